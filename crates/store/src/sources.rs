//! The stored articles as inputs again: their text and what their input said about them, read
//! from a store of any folding or format version, so `rasd reindex` can rebuild it.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::{schema, StoreError};

/// A stored article, enough to read it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSource {
    /// Where it came from (`file`, `file:LINE`, `feed#N`).
    pub origin: String,
    /// The article text, as stored.
    pub text: String,
    /// The title.
    pub title: Option<String>,
    /// The publication date (YYYY-MM-DD).
    pub published: Option<String>,
    /// The outlet.
    pub outlet: Option<String>,
    /// The URL.
    pub url: Option<String>,
    /// The author.
    pub author: Option<String>,
    /// The language (ISO 639).
    pub language: String,
}

/// Every stored article, in the order it was stored, from a database of any folding or
/// record-format version (not from a newer schema than this rasd knows).
pub fn stored_sources(path: &Path) -> Result<Vec<StoredSource>, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = schema::MIGRATIONS.len() as i64;
    if found > known {
        return Err(StoreError::NewerSchema { found, known });
    }
    let mut stmt =
        conn.prepare("SELECT origin, text, title, published, outlet, url, author, language FROM articles ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredSource {
            origin: r.get(0)?,
            text: r.get(1)?,
            title: r.get(2)?,
            published: r.get(3)?,
            outlet: r.get(4)?,
            url: r.get(5)?,
            author: r.get(6)?,
            language: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
