//! The embedded store of rasd: one SQLite file holding articles, their events and sources.
//!
//! [`Store::open`] creates or opens the file (WAL mode, numbered migrations in [`schema`]).
//! Records go in through a [`Batch`] — one transaction — so a crash loses at most the batch in
//! flight, and re-running the same input stores nothing twice:
//!
//! * an article already stored (same folded body text, or same URL and text) is a duplicate;
//! * an article at a known URL whose text changed replaces its own events;
//! * a near-copy of a stored article (MinHash over word shingles, another outlet syndicating
//!   the same wire copy) is stored and marked `copy_of`;
//! * each event joins the cluster of an event from another article that is the same event
//!   (same sub-event type, overlapping dates, nearby places or the same district, compatible
//!   actors), so an exported row is a cluster with every source.
//!
//! ```
//! let mut store = rasd_store::Store::open_in_memory().unwrap();
//! let record: rasd_record::Record = serde_json::from_str(include_str!("../tests/data/record.json")).unwrap();
//! let mut batch = store.batch().unwrap();
//! assert!(matches!(batch.put(&record, "a.txt").unwrap(), rasd_store::Outcome::New(_)));
//! assert!(matches!(batch.put(&record, "a.txt").unwrap(), rasd_store::Outcome::Duplicate(_)));
//! batch.commit().unwrap();
//! assert_eq!(store.counts().unwrap().articles, 1);
//! ```
#![deny(missing_docs)]

mod cluster;
mod minhash;
mod query;
pub mod schema;
mod sources;
mod watch;

use std::path::Path;

use rasd_record::Record;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use minhash::Signature;
pub use query::{parse_confidence, parse_near, Cluster, EventQuery, SourceReport, Stats};
pub use sources::{stored_sources, StoredSource};
pub use watch::{Alert, AlertRow, NewAlert, SourceState};

/// Articles whose shingles agree this much (MinHash estimate) are copies of one another.
const COPY_SIMILARITY: f64 = 0.8;

/// Stored articles one LSH band offers as copy candidates at most.
const CANDIDATES_PER_BAND: i64 = 32;

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    /// A read-only store has an older schema that only a writer can migrate.
    #[error("the database has schema {found}, this rasd reads {known}; open it once with a command that writes (rasd ingest) to migrate it")]
    NeedsMigration {
        /// The file's schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// Another process held the database's write lock for longer than [`BUSY_TIMEOUT`]:
    /// nothing was written, and the same work can be tried again.
    #[error(
        "the database is locked by another writer (waited {} s); nothing was written, try again",
        BUSY_TIMEOUT.as_secs()
    )]
    Busy,
    /// A stored record could not be read back.
    #[error("stored record: {0}")]
    Json(#[from] serde_json::Error),
    /// The stored data was made with another version of the text folding or of the record
    /// format than this rasd's: searches and duplicate detection would disagree with it.
    #[error(
        "the database was made with {what} version {found}, this rasd uses version {known}; {}",
        if found < known { "rebuild it with `rasd reindex --db FILE` (it re-reads every stored article; nothing is lost)" }
        else { "it was made by a newer rasd: upgrade rasd" }
    )]
    OtherVersion {
        /// `folding` or `format`.
        what: &'static str,
        /// The database's.
        found: i64,
        /// This rasd's.
        known: i64,
    },
    /// The file holds a newer schema than this rasd knows.
    #[error("the database was written by a newer rasd (schema {found}, this rasd knows {known}); upgrade rasd")]
    NewerSchema {
        /// The file's schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// Whether trying the same work again may succeed (another writer held the lock).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Busy)
    }
}

/// How long a writer waits for another to finish before giving up with [`StoreError::Busy`].
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether an existing database file cannot be written by this process (mode 444, another
/// user's file): then it is opened with [`Store::open_read_only`].
pub fn is_read_only(path: &Path) -> bool {
    path.exists()
        && std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

/// A path as a `file:` URI path: characters that mean something in a URI are escaped.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

/// The store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

/// What happened to one record put in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored as a new article (its row id).
    New(i64),
    /// Stored, and marked a copy of an article already stored (its id, the original's id).
    Copy(i64, i64),
    /// Already stored: nothing added (the stored article's id).
    Duplicate(i64),
    /// A known URL with new text: the article and its events were replaced (its id).
    Updated(i64),
}

/// How many rows the store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Articles.
    pub articles: u64,
    /// Articles marked as copies of another.
    pub copies: u64,
    /// Events (one per article that reports them).
    pub events: u64,
    /// Event clusters (distinct events across articles).
    pub clusters: u64,
}

impl Store {
    /// Opens (or creates) the store at `path`, running any pending migrations.
    ///
    /// Several processes may create the same file at once. SQLite then answers one of them
    /// "busy" at once, without waiting (a connection holding a read lock cannot wait for a
    /// writer that waits for it), so an open that fails busy is tried again, for up to
    /// [`BUSY_TIMEOUT`], after a growing pause.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let start = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(5);
        loop {
            match Self::open_once(path) {
                Err(StoreError::Busy) if start.elapsed() + pause < BUSY_TIMEOUT => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(std::time::Duration::from_millis(500));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        // Wait for other writers from the first statement on (two first runs race to set WAL
        // mode and create the schema).
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // WAL with NORMAL sync: a committed batch survives a crash of rasd (not of the OS).
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Fewer checkpoints and page reads while ingesting: 64 MB of cache, checkpoint every ~16 MB.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
        Self::setup(conn)
    }

    /// Opens an existing store for reading only (`rasd events`, `show`, a read-only `serve`):
    /// works on a file this user cannot write (mode 444, another user's), and never migrates.
    /// A WAL database whose shared-memory file cannot be created is opened as immutable.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let readable =
            |conn: &Connection| conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0));
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let conn = match readable(&conn) {
            Ok(_) => conn,
            Err(_) => {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                let conn = Connection::open_with_flags(uri, flags)?;
                readable(&conn)?;
                conn
            }
        };
        query::register_functions(&conn)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = schema::MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::NewerSchema { found, known });
        }
        if found < known {
            return Err(StoreError::NeedsMigration { found, known });
        }
        check_versions(&conn)?;
        Ok(Store { conn })
    }

    /// A store in memory (tests, `rasd extract`-like one-off use).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        query::register_functions(&conn)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let known = schema::MIGRATIONS.len() as i64;
        let version = |conn: &Connection| conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0));
        let found = version(&conn)?;
        if found > known {
            return Err(StoreError::NewerSchema { found, known });
        }
        if found < known {
            // Migrations run once, under the write lock; the version is read again inside it,
            // as another process may have migrated in the meantime.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let version = version(&tx)?;
            for (i, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(migration)?;
                tx.pragma_update(None, "user_version", i as i64 + 1)?;
            }
            if version == 0 {
                // A new store: its data will be made by this rasd.
                for (name, current) in current_versions() {
                    tx.execute("UPDATE rasd_versions SET version = ?2 WHERE name = ?1", params![name, current])?;
                }
            }
            tx.commit()?;
        }
        check_versions(&conn)?;
        Ok(Store { conn })
    }

    /// Starts a batch: everything put in it is stored by [`Batch::commit`], or not at all.
    pub fn batch(&mut self) -> Result<Batch<'_>, StoreError> {
        // Immediate: take the write lock now (waiting for another writer), rather than fail
        // when a read transaction cannot be upgraded.
        Ok(Batch { tx: self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?, search: Vec::new() })
    }

    /// Row counts.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let one = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as u64);
        Ok(Counts {
            articles: one("SELECT count(*) FROM articles")?,
            copies: one("SELECT count(*) FROM articles WHERE copy_of IS NOT NULL")?,
            events: one("SELECT count(*) FROM events")?,
            clusters: one("SELECT count(*) FROM events WHERE id = cluster_id")?,
        })
    }

    /// Event clusters matching a query, oldest first (or newest first), one page of them
    /// when the query has a limit.
    pub fn events(&self, query: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
        query::clusters(&self.conn, query)
    }

    /// A number that changes whenever another connection commits to the file (SQLite's
    /// `data_version`): what was read before it changed may be stale.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// How many clusters match a query (its limit and offset ignored).
    pub fn count_events(&self, query: &EventQuery) -> Result<u64, StoreError> {
        query::count(&self.conn, query)
    }

    /// For a query whose `near` point finds nothing: a note when the same point with latitude
    /// and longitude swapped would find events (`--near 36.3,33.5,20` for Damascus), so the
    /// user learns the order is LAT,LON,KM instead of concluding nothing happened there.
    pub fn swapped_near_warning(&self, query: &EventQuery) -> Result<Option<String>, StoreError> {
        let Some((lat, lon, km)) = query.near else { return Ok(None) };
        if lon.abs() > 90.0 {
            return Ok(None);
        }
        let swapped = EventQuery { near: Some((lon, lat, km)), offset: 0, limit: None, ..query.clone() };
        let found = self.count_events(&swapped)?;
        Ok((found > 0).then(|| {
            format!(
                "near: nothing within {km} km of {lat},{lon}, but {found} event(s) within {km} km of {lon},{lat}; \
                 the order is LAT,LON,KM"
            )
        }))
    }

    /// Counts of the clusters matching a query by day, type, first-level unit and status.
    pub fn stats(&self, query: &EventQuery) -> Result<Stats, StoreError> {
        query::stats(&self.conn, query)
    }

    /// One cluster by the id of any of its events.
    pub fn cluster(&self, event_id: i64) -> Result<Option<Cluster>, StoreError> {
        query::cluster(&self.conn, event_id)
    }

    /// A stored article with its row (origin, copy) by its row id.
    pub fn stored_article(&self, id: i64) -> Result<Option<StoredArticle>, StoreError> {
        let row = self
            .conn
            .query_row(&format!("{ARTICLE_ROW} WHERE a.id = ?1"), [id], |r| {
                Ok((article_row(r)?, r.get::<_, String>(7)?))
            })
            .optional()?;
        row.map(|(row, json)| Ok(StoredArticle { row, record: serde_json::from_str(&json)? })).transpose()
    }

    /// Stored articles: (id, published, outlet, title, events, copy_of), newest first.
    pub fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("{ARTICLE_ROW} ORDER BY a.published DESC, a.id DESC LIMIT ?1"))?;
        let rows = stmt.query_map([limit as i64], article_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The versions this rasd makes data with: of the text folding and of the record format.
fn current_versions() -> [(&'static str, i64); 2] {
    [("folding", rasd_text::fold::FOLDING_VERSION.into()), ("format", rasd_record::FORMAT_VERSION.into())]
}

/// Refuses a store whose data was made with another folding or record format.
fn check_versions(conn: &Connection) -> Result<(), StoreError> {
    for (what, known) in current_versions() {
        let found: i64 = conn.query_row("SELECT version FROM rasd_versions WHERE name = ?1", [what], |r| r.get(0))?;
        if found != known {
            return Err(StoreError::OtherVersion { what, found, known });
        }
    }
    Ok(())
}

/// The columns of an [`ArticleRow`], then the record's JSON.
const ARTICLE_ROW: &str = "SELECT a.id, a.published, a.outlet, a.title, a.origin, a.copy_of, \
     (SELECT count(*) FROM events e WHERE e.article_id = a.id), a.record FROM articles a";

fn article_row(r: &rusqlite::Row) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        published: r.get(1)?,
        outlet: r.get(2)?,
        title: r.get(3)?,
        origin: r.get(4)?,
        copy_of: r.get(5)?,
        events: r.get::<_, i64>(6)? as u64,
    })
}

/// A stored article: its row and its whole record.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredArticle {
    /// Where it came from, its copy link and event count.
    pub row: ArticleRow,
    /// The record read from it.
    pub record: Record,
}

/// A stored article, as `rasd articles` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleRow {
    /// Row id.
    pub id: i64,
    /// Publication date.
    pub published: Option<String>,
    /// Publishing outlet.
    pub outlet: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Where it was read from.
    pub origin: String,
    /// The article it copies, if any.
    pub copy_of: Option<i64>,
    /// Events read from it.
    pub events: u64,
}

/// The work on a record that needs no database (its MinHash signature), done before the
/// record enters a batch so that callers can spread it across threads.
#[derive(Clone, Debug)]
pub struct Prepared {
    signature: Signature,
}

impl Prepared {
    /// Prepares a record.
    pub fn of(record: &Record) -> Prepared {
        let folded = rasd_text::fold::fold_str(&record.article.text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        Prepared { signature: Signature::of(&words) }
    }
}

/// A transaction putting records in the store.
#[derive(Debug)]
pub struct Batch<'s> {
    tx: Transaction<'s>,
    /// Full-text rows, written last: FTS5 flushes its pending rows at every statement savepoint,
    /// so interleaving them with the other inserts would flush once per event.
    search: Vec<(i64, String)>,
}

impl Batch<'_> {
    /// Stores one record read from `origin`.
    pub fn put(&mut self, record: &Record, origin: &str) -> Result<Outcome, StoreError> {
        self.put_prepared(record, &Prepared::of(record), origin)
    }

    /// [`Batch::put`] with the record's [`Prepared`] work done beforehand (in parallel, by
    /// the caller).
    pub fn put_prepared(&mut self, record: &Record, prepared: &Prepared, origin: &str) -> Result<Outcome, StoreError> {
        let a = &record.article;
        let signature = &prepared.signature;
        let by_key: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM articles WHERE key = ?1")?
            .query_row([&a.id], |r| r.get(0))
            .optional()?;
        if let Some(id) = by_key {
            return Ok(Outcome::Duplicate(id));
        }
        let by_url: Option<i64> = match &a.url {
            Some(url) => self
                .tx
                .prepare_cached("SELECT id FROM articles WHERE url = ?1")?
                .query_row([url], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let json = serde_json::to_string(record)?;
        let id = match by_url {
            Some(id) => {
                let old: Vec<i64> = self
                    .tx
                    .prepare_cached("SELECT id FROM events WHERE article_id = ?1")?
                    .query_map([id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                self.search.retain(|(event, _)| !old.contains(event));
                self.tx
                    .prepare_cached(
                        "DELETE FROM events_fts WHERE rowid IN (SELECT id FROM events WHERE article_id = ?1)",
                    )?
                    .execute([id])?;
                self.tx.prepare_cached("DELETE FROM events WHERE article_id = ?1")?.execute([id])?;
                // Clusters that lost their first report get their oldest remaining one as head.
                for gone in &old {
                    self.tx
                        .prepare_cached(
                            "UPDATE events SET cluster_id = (SELECT min(id) FROM events WHERE cluster_id = ?1) \
                             WHERE cluster_id = ?1",
                        )?
                        .execute([gone])?;
                }
                self.tx.prepare_cached("DELETE FROM article_bands WHERE article_id = ?1")?.execute([id])?;
                self.tx.prepare_cached("UPDATE articles SET key = ?2, origin = ?3, title = ?4, published = ?5, outlet = ?6, language = ?7, \
                     section = ?8, author = ?9, text = ?10, record = ?11 WHERE id = ?1")?.execute(
                    params![id, a.id, origin, a.title, a.published, a.outlet, a.language, a.section, a.author, a.text, json],
                )?;
                id
            }
            None => {
                self.tx.prepare_cached("INSERT INTO articles (key, url, origin, title, published, outlet, language, section, author, text, record) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?.execute(
                    params![a.id, a.url, origin, a.title, a.published, a.outlet, a.language, a.section, a.author, a.text, json],
                )?;
                self.tx.last_insert_rowid()
            }
        };
        let original = self.find_copy(id, signature)?;
        self.tx.prepare_cached("UPDATE articles SET copy_of = ?2 WHERE id = ?1")?.execute(params![id, original])?;
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO article_signatures (article_id, signature) VALUES (?1, ?2)")?
            .execute(params![id, signature.to_bytes()])?;
        for (band, hash) in signature.bands() {
            self.tx
                .prepare_cached("INSERT INTO article_bands (band, hash, article_id) VALUES (?1, ?2, ?3)")?
                .execute(params![band, hash, id])?;
        }
        for event in &record.events {
            let reporter =
                cluster::Reporter { article_id: id, outlet: a.outlet.as_deref(), published: a.published.as_deref() };
            let event_id = cluster::insert_event(&self.tx, reporter, event)?;
            self.search.push((event_id, cluster::search_words(event)));
        }
        Ok(match (by_url, original) {
            (Some(_), _) => Outcome::Updated(id),
            (None, Some(o)) => Outcome::Copy(id, o),
            (None, None) => Outcome::New(id),
        })
    }

    /// The stored article this one copies: the most similar candidate of the LSH index above
    /// the copy threshold. Each band contributes at most [`CANDIDATES_PER_BAND`] articles (the
    /// first in the index, which keeps a band's articles in the order they were stored), so an article written from a template that thousands share costs a
    /// bounded number of comparisons, not one per stored article.
    fn find_copy(&self, id: i64, signature: &Signature) -> Result<Option<i64>, StoreError> {
        let mut candidates: Vec<i64> = Vec::new();
        let mut stmt = self.tx.prepare_cached(
            "SELECT article_id FROM article_bands WHERE band = ?1 AND hash = ?2 AND article_id != ?3 LIMIT ?4",
        )?;
        for (band, hash) in signature.bands() {
            let rows = stmt.query_map(params![band, hash, id, CANDIDATES_PER_BAND], |r| r.get::<_, i64>(0))?;
            for other in rows {
                candidates.push(other?);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(f64, i64)> = None;
        let mut sig_stmt = self.tx.prepare_cached(
            "SELECT s.signature, coalesce(a.copy_of, a.id) FROM article_signatures s JOIN articles a ON a.id = s.article_id \
             WHERE s.article_id = ?1",
        )?;
        for other in candidates {
            let row: Option<(Vec<u8>, i64)> = sig_stmt.query_row([other], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            let Some((bytes, root)) = row else { continue };
            let Some(other_sig) = Signature::from_bytes(&bytes) else { continue };
            let similarity = signature.similarity(&other_sig);
            if similarity >= COPY_SIMILARITY && best.is_none_or(|(s, _)| similarity > s) {
                best = Some((similarity, root));
            }
        }
        Ok(best.map(|(_, root)| root))
    }

    /// Writes the full-text rows put so far.
    fn flush_search(&mut self) -> Result<(), StoreError> {
        let mut insert = self.tx.prepare_cached("INSERT INTO events_fts (rowid, words) VALUES (?1, ?2)")?;
        for (id, words) in self.search.drain(..) {
            insert.execute(params![id, words])?;
        }
        Ok(())
    }

    /// Makes everything put in the batch durable.
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.flush_search()?;
        Ok(self.tx.commit()?)
    }
}
