//! The store of rasd: articles, their events and sources, in one SQLite file (embedded, the
//! default) or in a PostgreSQL database that several processes and machines share.
//!
//! [`Store::open`] creates or opens a file (WAL mode), [`Store::connect`] any [`Location`] (a file
//! or `postgres://…`); both run the numbered migrations of [`schema`]. The logic is written once
//! over a small engine trait (`engine.rs`) with a SQLite and a PostgreSQL implementation.
//! Records go in through a [`Batch`] — one transaction, holding the write lock — so a crash loses
//! at most the batch in flight, writers in several processes see each other's work as one
//! process would, and re-running the same input stores nothing twice:
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
mod engine;
mod location;
mod minhash;
mod query;
pub mod schema;
pub mod scratch;
mod sources;
mod watch;

use std::cell::{RefCell, RefMut};
use std::path::Path;
use std::sync::LazyLock;

use rasd_record::Record;
use rusqlite::{Connection, OpenFlags};

use engine::{params, Dialect, Engine, Row, Value};
pub use location::Location;
use minhash::Signature;
pub use query::{parse_confidence, parse_near, Cluster, ClusterSummary, EventQuery, Marker, SourceReport, Stats};
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
    /// PostgreSQL failed.
    #[error("database: {0}")]
    Postgres(#[from] postgres::Error),
    /// The PostgreSQL server could not be reached or refused the connection.
    #[error("cannot connect to {location}: {reason}")]
    Connect {
        /// The server, password hidden.
        location: String,
        /// Why.
        reason: String,
    },
    /// A stored value was not of the type the store wrote there.
    #[error("stored value: {0}")]
    Decode(String),
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

/// The store: a connection to a SQLite file or a PostgreSQL database.
pub struct Store {
    engine: RefCell<Box<dyn Engine>>,
    dialect: Dialect,
    /// A batch was started: the planner's statistics may need refreshing when done.
    wrote: bool,
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.wrote && self.dialect == Dialect::Sqlite {
            // Re-reads the statistics of tables that changed much (bounded work), so queries
            // keep choosing the right indexes as the store grows. PostgreSQL's autovacuum does
            // this itself. Nothing to report to if it fails: the data is committed.
            let _ = self.engine.get_mut().batch("PRAGMA analysis_limit = 1000; PRAGMA optimize");
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dialect", &self.dialect).finish()
    }
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
    /// Opens (or creates) the store at a location: a SQLite file, or a PostgreSQL database
    /// (`postgres://…`), running any pending migrations.
    pub fn connect(location: &Location) -> Result<Self, StoreError> {
        match location {
            Location::File(path) => Self::open(path),
            Location::Postgres(url) => Self::setup(Box::new(location::connect_postgres(url)?)),
        }
    }

    /// Opens an existing store for reading only: [`Store::open_read_only`] for a file; for
    /// PostgreSQL, a connection that refuses a database whose schema is not this rasd's.
    pub fn connect_read_only(location: &Location) -> Result<Self, StoreError> {
        match location {
            Location::File(path) => Self::open_read_only(path),
            Location::Postgres(url) => {
                let mut engine: Box<dyn Engine> = Box::new(location::connect_postgres(url)?);
                schema::check_current(&mut *engine)?;
                Ok(Self::wrap(engine))
            }
        }
    }

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
        Self::setup_sqlite(conn)
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
        let mut engine: Box<dyn Engine> = Box::new(engine::Sqlite::new(conn)?);
        schema::check_current(&mut *engine)?;
        Ok(Self::wrap(engine))
    }

    /// A store in memory (tests, `rasd extract`-like one-off use).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup_sqlite(Connection::open_in_memory()?)
    }

    fn setup_sqlite(conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        query::register_functions(&conn)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Self::setup(Box::new(engine::Sqlite::new(conn)?))
    }

    /// Migrates a connection's database to this rasd's schema and checks its versions.
    fn setup(mut engine: Box<dyn Engine>) -> Result<Self, StoreError> {
        schema::migrate(&mut *engine)?;
        schema::check_current(&mut *engine)?;
        Ok(Self::wrap(engine))
    }

    fn wrap(engine: Box<dyn Engine>) -> Self {
        let dialect = engine.dialect();
        Store { engine: RefCell::new(engine), dialect, wrote: false }
    }

    fn engine(&self) -> RefMut<'_, Box<dyn Engine>> {
        self.engine.borrow_mut()
    }

    /// Starts a batch: everything put in it is stored by [`Batch::commit`], or not at all.
    /// The batch holds the write lock until then (waiting for another writer's batch first).
    pub fn batch(&mut self) -> Result<Batch<'_>, StoreError> {
        let dialect = self.dialect;
        self.wrote = true;
        let mut engine = self.engine.borrow_mut();
        engine.batch(&dialect.begin_write())?;
        Ok(Batch { engine, dialect, search: Vec::new(), touched: Vec::new(), open: true })
    }

    /// Row counts.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let row = self.engine().query_one(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE copy_of IS NOT NULL), \
             (SELECT count(*) FROM events), (SELECT count(*) FROM clusters)",
            &[],
        )?;
        let n = |i| row.int(i).map(|n| n as u64);
        Ok(Counts { articles: n(0)?, copies: n(1)?, events: n(2)?, clusters: n(3)? })
    }

    /// Event clusters matching a query, oldest first (or newest first), one page of them
    /// when the query has a limit.
    pub fn events(&self, query: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
        query::clusters(&mut **self.engine(), query)
    }

    /// The summaries of the clusters matching a query, in the order and page of
    /// [`Store::events`], read from the rows alone: what lists and maps show.
    pub fn summaries(&self, query: &EventQuery) -> Result<Vec<ClusterSummary>, StoreError> {
        query::summaries(&mut **self.engine(), query)
    }

    /// The map's markers of the clusters matching a query, in the order and page of
    /// [`Store::events`]: only the columns a marker shows.
    pub fn markers(&self, query: &EventQuery) -> Result<Vec<Marker>, StoreError> {
        query::markers(&mut **self.engine(), query)
    }

    /// A number that changes whenever another connection commits to the database (SQLite's
    /// `data_version`; in PostgreSQL, a counter each batch increments): what was read before
    /// it changed may be stale.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.engine().data_version()
    }

    /// How many clusters match a query (its limit and offset ignored).
    pub fn count_events(&self, query: &EventQuery) -> Result<u64, StoreError> {
        query::count(&mut **self.engine(), query)
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
        query::stats(&mut **self.engine(), query)
    }

    /// One cluster by the id of any of its events.
    pub fn cluster(&self, event_id: i64) -> Result<Option<Cluster>, StoreError> {
        query::cluster(&mut **self.engine(), event_id)
    }

    /// A stored article with its row (origin, copy) by its row id.
    pub fn stored_article(&self, id: i64) -> Result<Option<StoredArticle>, StoreError> {
        let row = self.engine().query_opt(&format!("{ARTICLE_ROW} WHERE a.id = ?1"), &params![id])?;
        row.map(|r| Ok(StoredArticle { row: article_row(&r)?, record: serde_json::from_str(&r.text(7)?)? })).transpose()
    }

    /// Stored articles: (id, published, outlet, title, events, copy_of), newest first.
    pub fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        let sql = format!("{ARTICLE_ROW} ORDER BY a.published DESC NULLS LAST, a.id DESC LIMIT ?1");
        let rows = self.engine().query(&sql, &params![limit.min(i64::MAX as usize) as i64])?;
        rows.iter().map(article_row).collect()
    }

    /// Every stored article's record with its origin, in the order they were stored, a page
    /// of `limit` after the article id `after` (keyset paging): what `rasd copy` reads.
    pub fn records_after(&self, after: i64, limit: usize) -> Result<Vec<(i64, String, Record)>, StoreError> {
        let rows = self.engine().query(
            "SELECT id, origin, record FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
            &params![after, limit.min(i64::MAX as usize) as i64],
        )?;
        rows.iter().map(|r| Ok((r.int(0)?, r.text(1)?, serde_json::from_str(&r.text(2)?)?))).collect()
    }
}

/// The parameters of [`INSERT_BANDS`] and [`BAND_CANDIDATES`]: an article id as `?1`, then each
/// band's number and hash.
fn band_params(article_id: i64, signature: &Signature) -> Vec<Value> {
    let mut values = Vec::with_capacity(1 + 2 * minhash::BANDS);
    values.push(Value::Int(article_id));
    values.extend(signature.bands().flat_map(|(band, hash)| [Value::Int(band), Value::Int(hash)]));
    values
}

/// Stores an article's LSH bands in one statement.
static INSERT_BANDS: LazyLock<String> = LazyLock::new(|| {
    let rows: Vec<String> = (0..minhash::BANDS).map(|i| format!("(?{}, ?{}, ?1)", 2 * i + 2, 2 * i + 3)).collect();
    format!("INSERT INTO article_bands (band, hash, article_id) VALUES {}", rows.join(", "))
});

/// The copy candidates of every band in one query: at most [`CANDIDATES_PER_BAND`] a band,
/// other than the article `?1` itself.
static BAND_CANDIDATES: LazyLock<String> = LazyLock::new(|| {
    let per_band: Vec<String> = (0..minhash::BANDS)
        .map(|i| {
            format!(
                "SELECT article_id FROM (SELECT article_id FROM article_bands WHERE band = ?{} AND hash = ?{} \
                 AND article_id != ?1 LIMIT {CANDIDATES_PER_BAND}) AS b{i}",
                2 * i + 2,
                2 * i + 3
            )
        })
        .collect();
    per_band.join(" UNION ALL ")
});

/// The versions this rasd makes data with: of the text folding and of the record format.
fn current_versions() -> [(&'static str, i64); 2] {
    [("folding", rasd_text::fold::FOLDING_VERSION.into()), ("format", rasd_record::FORMAT_VERSION.into())]
}

/// The columns of an [`ArticleRow`], then the record's JSON.
const ARTICLE_ROW: &str = "SELECT a.id, a.published, a.outlet, a.title, a.origin, a.copy_of, \
     (SELECT count(*) FROM events e WHERE e.article_id = a.id), a.record FROM articles a";

fn article_row(r: &Row) -> Result<ArticleRow, StoreError> {
    Ok(ArticleRow {
        id: r.int(0)?,
        published: r.opt_text(1)?,
        outlet: r.opt_text(2)?,
        title: r.opt_text(3)?,
        origin: r.text(4)?,
        copy_of: r.opt_int(5)?,
        events: r.int(6)? as u64,
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

/// A transaction putting records in the store. Dropped without [`Batch::commit`], it is rolled
/// back.
pub struct Batch<'s> {
    engine: RefMut<'s, Box<dyn Engine>>,
    dialect: Dialect,
    /// Full-text rows, written last: FTS5 flushes its pending rows at every statement savepoint,
    /// so interleaving them with the other inserts would flush once per event.
    search: Vec<(i64, String)>,
    /// The clusters whose summary rows this batch changed (new, grown, merged, emptied), rewritten
    /// at commit.
    touched: Vec<i64>,
    /// Not yet committed.
    open: bool,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("dialect", &self.dialect).field("pending_search", &self.search.len()).finish()
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to report to: the batch's error (if any) is already on its way up.
            let _ = self.engine.batch("ROLLBACK");
        }
    }
}

impl Batch<'_> {
    fn db(&mut self) -> &mut dyn Engine {
        &mut **self.engine
    }

    /// Stores one record read from `origin`.
    pub fn put(&mut self, record: &Record, origin: &str) -> Result<Outcome, StoreError> {
        self.put_prepared(record, &Prepared::of(record), origin)
    }

    /// [`Batch::put`] with the record's [`Prepared`] work done beforehand (in parallel, by
    /// the caller).
    pub fn put_prepared(&mut self, record: &Record, prepared: &Prepared, origin: &str) -> Result<Outcome, StoreError> {
        let a = &record.article;
        let signature = &prepared.signature;
        // One look-up for both keys: the same text (a duplicate) or the same URL (an update).
        let known = self.db().query(
            // (No `?2 IS NOT NULL`: a NULL URL matches nothing anyway, and SQLite prepares a
            // statement again each time a parameter it folded changes.)
            "SELECT id, key = ?1 FROM articles WHERE key = ?1 OR url = ?2 ORDER BY 2 DESC",
            &params![&a.id, a.url.as_deref()],
        )?;
        if let Some(row) = known.first().filter(|r| r.int(1).is_ok_and(|same| same == 1)) {
            return Ok(Outcome::Duplicate(row.int(0)?));
        }
        let by_url = known.first().map(|r| r.int(0)).transpose()?;
        if let Some(id) = by_url {
            self.forget_events(id)?;
        }
        let original = self.find_copy(by_url, signature)?;
        let json = serde_json::to_string(record)?;
        let columns = params![
            &a.id,
            origin,
            a.title.as_deref(),
            a.published.as_deref(),
            a.outlet.as_deref(),
            &a.language,
            a.section.as_deref(),
            a.author.as_deref(),
            &a.text,
            json,
            original,
            a.url.as_deref()
        ];
        let id = match by_url {
            Some(id) => {
                // The same columns but the URL (which found it), then the id.
                let mut values = columns[..11].to_vec();
                values.push(Value::Int(id));
                self.db().execute(
                    "UPDATE articles SET key = ?1, origin = ?2, title = ?3, published = ?4, outlet = ?5, language = ?6, \
                     section = ?7, author = ?8, text = ?9, record = ?10, copy_of = ?11 WHERE id = ?12",
                    &values,
                )?;
                id
            }
            None => self
                .db()
                .query_one(
                    "INSERT INTO articles (key, origin, title, published, outlet, language, section, author, text, record, \
                     copy_of, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
                    &columns,
                )?
                .int(0)?,
        };
        self.db().execute(
            "INSERT INTO article_signatures (article_id, signature) VALUES (?1, ?2) \
             ON CONFLICT (article_id) DO UPDATE SET signature = excluded.signature",
            &params![id, signature.to_bytes()],
        )?;
        self.db().execute(&INSERT_BANDS, &band_params(id, signature))?;
        for event in &record.events {
            let reporter =
                cluster::Reporter { article_id: id, outlet: a.outlet.as_deref(), published: a.published.as_deref() };
            let event_id = cluster::insert_event(&mut **self.engine, reporter, event, &mut self.touched)?;
            self.search.push((event_id, cluster::search_words(event)));
        }
        Ok(match (by_url, original) {
            (Some(_), _) => Outcome::Updated(id),
            (None, Some(o)) => Outcome::Copy(id, o),
            (None, None) => Outcome::New(id),
        })
    }

    /// Removes a stored article's events (its text changed), its search words and LSH bands.
    fn forget_events(&mut self, id: i64) -> Result<(), StoreError> {
        let mut old = Vec::new();
        for row in self.db().query("SELECT id, cluster_id FROM events WHERE article_id = ?1", &params![id])? {
            old.push(row.int(0)?);
            self.touched.push(row.int(1)?);
        }
        self.search.retain(|(event, _)| !old.contains(event));
        self.db().execute(
            "DELETE FROM events_fts WHERE rowid IN (SELECT id FROM events WHERE article_id = ?1)",
            &params![id],
        )?;
        self.db().execute("DELETE FROM events WHERE article_id = ?1", &params![id])?;
        // Clusters that lost their first report get their oldest remaining one as head.
        for gone in old {
            let head =
                self.db().query_one("SELECT min(id) FROM events WHERE cluster_id = ?1", &params![gone])?.opt_int(0)?;
            if let Some(head) = head {
                self.db().execute("UPDATE events SET cluster_id = ?2 WHERE cluster_id = ?1", &params![gone, head])?;
                self.touched.push(head);
            }
        }
        self.db().execute("DELETE FROM article_bands WHERE article_id = ?1", &params![id])?;
        Ok(())
    }

    /// The stored article an article copies (`id`: the article itself, when it is stored
    /// already): the most similar candidate of the LSH index above the copy threshold. Each band
    /// contributes at most [`CANDIDATES_PER_BAND`] articles (the first in the index, which keeps
    /// a band's articles in the order they were stored), so an article written from a template
    /// that thousands share costs a bounded number of comparisons, not one per stored article.
    /// One query reads every band's candidates, one their signatures.
    fn find_copy(&mut self, id: Option<i64>, signature: &Signature) -> Result<Option<i64>, StoreError> {
        let candidates = self.db().query(&BAND_CANDIDATES, &band_params(id.unwrap_or(-1), signature))?;
        let mut candidates: Vec<i64> = candidates.iter().map(|r| r.int(0)).collect::<Result<_, _>>()?;
        if candidates.is_empty() {
            return Ok(None);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let sql = format!(
            "SELECT s.signature, coalesce(a.copy_of, a.id) FROM article_signatures s JOIN articles a ON a.id = s.article_id \
             WHERE {} ORDER BY s.article_id",
            self.dialect.in_ids("s.article_id", "?1")
        );
        let mut best: Option<(f64, i64)> = None;
        for row in self.db().query(&sql, &[Value::Ints(candidates)])? {
            let Some(other_sig) = Signature::from_bytes(row.blob(0)?) else { continue };
            let similarity = signature.similarity(&other_sig);
            if similarity >= COPY_SIMILARITY && best.is_none_or(|(s, _)| similarity > s) {
                best = Some((similarity, row.int(1)?));
            }
        }
        Ok(best.map(|(_, root)| root))
    }

    /// Writes the full-text rows put so far.
    fn flush_search(&mut self) -> Result<(), StoreError> {
        let insert = self.dialect.search_insert();
        for (id, words) in std::mem::take(&mut self.search) {
            self.db().execute(insert, &params![id, words])?;
        }
        Ok(())
    }

    /// Writes what the batch keeps until it is read: the full-text rows, and the summary rows
    /// of the clusters it touched.
    fn flush(&mut self) -> Result<(), StoreError> {
        // What the connection remembers of the data is about to be wrong.
        self.db().remembered().forget();
        self.flush_search()?;
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        touched.dedup();
        schema::refresh_clusters(self.db(), touched)
    }

    /// Makes everything put in the batch durable.
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.flush()?;
        if self.dialect == Dialect::Postgres {
            self.db().execute("UPDATE rasd_changes SET n = n + 1", &[])?;
        }
        self.db().batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}
