//! The two database engines behind a [`crate::Store`]: embedded SQLite and a shared PostgreSQL
//! server. Everything the store does (de-duplication, copies, clusters, queries, the state of
//! `rasd watch`) is written once, over the small [`Engine`] trait; an engine only runs SQL.
//!
//! Statements are written with numbered parameters (`?1`, `?2`, as SQLite spells them); the
//! PostgreSQL engine renumbers them `$1`, `$2`. Where the two dialects differ (case-insensitive
//! comparison, lists passed as one parameter, full-text search, taking the write lock), the
//! SQL comes from [`Dialect`].

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use crate::StoreError;

/// A value bound to a statement or read from a row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    /// A list of ids, one parameter (see [`Dialect::in_ids`]).
    Ints(Vec<i64>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(v.into())
    }
}

impl From<u8> for Value {
    fn from(v: u8) -> Self {
        Value::Int(v.into())
    }
}

/// Binds values: `params![a, b, c]` is an array of [`Value`]s.
macro_rules! params {
    ($($v:expr),* $(,)?) => { [$($crate::engine::Value::from($v)),*] };
}
pub(crate) use params;

/// One row of a result.
#[derive(Debug)]
pub(crate) struct Row(Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, StoreError> {
        self.0.get(i).ok_or_else(|| StoreError::Decode(format!("no column {i}")))
    }

    /// An integer column (NULL is an error).
    pub(crate) fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| StoreError::Decode(format!("column {i} is NULL")))
    }

    /// An integer column that may be NULL.
    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            other => Err(StoreError::Decode(format!("column {i}: expected an integer, found {other:?}"))),
        }
    }

    /// A real column that may be NULL (integers are read as reals).
    pub(crate) fn opt_real(&self, i: usize) -> Result<Option<f64>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Real(v) => Ok(Some(*v)),
            Value::Int(v) => Ok(Some(*v as f64)),
            other => Err(StoreError::Decode(format!("column {i}: expected a number, found {other:?}"))),
        }
    }

    /// A text column (NULL is an error).
    pub(crate) fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| StoreError::Decode(format!("column {i} is NULL")))
    }

    /// A text column that may be NULL.
    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v.clone())),
            other => Err(StoreError::Decode(format!("column {i}: expected text, found {other:?}"))),
        }
    }

    /// A blob column.
    pub(crate) fn blob(&self, i: usize) -> Result<&[u8], StoreError> {
        match self.at(i)? {
            Value::Blob(v) => Ok(v),
            other => Err(StoreError::Decode(format!("column {i}: expected bytes, found {other:?}"))),
        }
    }

    /// A count or other non-negative integer column that may be NULL, as `u32`.
    pub(crate) fn opt_u32(&self, i: usize) -> Result<Option<u32>, StoreError> {
        self.opt_int(i)?
            .map(|v| u32::try_from(v).map_err(|_| StoreError::Decode(format!("column {i}: {v} is out of range"))))
            .transpose()
    }
}

/// Which engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// The key of PostgreSQL's advisory lock that writers take for each batch (and migrations):
/// batches from several processes are applied one after another, so each sees what the others
/// stored (duplicates, copies, clusters), as one process would.
const WRITE_LOCK: i64 = 0x7261_7364; // "rasd"

impl Dialect {
    /// Starts a write transaction holding the write lock.
    pub(crate) fn begin_write(self) -> String {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE".into(),
            Dialect::Postgres => format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"),
        }
    }

    /// The statements that take the lock for creating a schema or migrating, each to be run on
    /// its own, and the one that releases it. PostgreSQL's is a session lock taken *before* the
    /// transaction starts: a transaction that began before the wait would not see the tables
    /// another process created meanwhile (its catalog cache is read at its start).
    pub(crate) fn migration_lock(self) -> (Vec<String>, &'static str) {
        match self {
            Dialect::Sqlite => (vec!["BEGIN IMMEDIATE".into()], ""),
            Dialect::Postgres => (
                vec![format!("SELECT pg_advisory_lock({WRITE_LOCK})"), "BEGIN".into()],
                "SELECT pg_advisory_unlock_all()",
            ),
        }
    }

    /// `column = ?`, ignoring case (SQLite's indexes over these columns are `COLLATE NOCASE`).
    pub(crate) fn eq_nocase(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} = ? COLLATE NOCASE"),
            Dialect::Postgres => format!("lower({column}) = lower(?)"),
        }
    }

    /// `column` is one of the ids of the list parameter `param` (`?`, `?2` …: a [`Value::Ints`]).
    pub(crate) fn in_ids(self, column: &str, param: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} IN (SELECT value FROM json_each({param}))"),
            Dialect::Postgres => format!("{column} IN (SELECT x FROM unnest({param}::bigint[]) AS x)"),
        }
    }

    /// A table `wanted(value, key)` of the ids of a list parameter with their positions.
    pub(crate) fn wanted_ids(self, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("json_each(?{param}) AS wanted"),
            Dialect::Postgres => format!("unnest(?{param}::bigint[]) WITH ORDINALITY AS wanted(value, key)"),
        }
    }

    /// The ids of clusters whose search words hold every word of the query made by [`Self::words_query`].
    pub(crate) fn search_match(self) -> String {
        format!("SELECT rowid FROM clusters_fts WHERE {}", self.search_condition("clusters_fts"))
    }

    /// Whether the full-text row `table` (`clusters_fts` or an alias of it) holds every word of
    /// the query `?`.
    pub(crate) fn search_condition(self, table: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{table} MATCH ?"),
            Dialect::Postgres => format!("{table}.words @@ plainto_tsquery('simple', ?)"),
        }
    }

    /// What ends a subquery that the planner must run first, on its own: a few full-text hits
    /// are then looked up and sorted, where PostgreSQL, misjudging a rare word's hits (its
    /// default estimate), would otherwise walk every cluster checking each.
    pub(crate) fn planned_alone(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " OFFSET 0",
        }
    }

    /// An expression that no index may answer, so that the planner walks the rows in the order
    /// asked and checks it (SQLite's unary `+`); PostgreSQL chooses from its statistics.
    pub(crate) fn unindexed(self, expression: &str) -> String {
        match self {
            Dialect::Sqlite => format!("+{expression}"),
            Dialect::Postgres => expression.to_string(),
        }
    }

    /// A full-text query asking for every one of these (folded) words.
    pub(crate) fn words_query(self, words: &[String]) -> String {
        match self {
            Dialect::Sqlite => words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" "),
            // plainto_tsquery splits the words as to_tsvector split the stored ones.
            Dialect::Postgres => words.join(" "),
        }
    }

    /// Inserts an event's search words: `?1` the event id, `?2` the words.
    pub(crate) fn search_insert(self) -> &'static str {
        match self {
            Dialect::Sqlite => "INSERT INTO events_fts (rowid, words) VALUES (?1, ?2)",
            Dialect::Postgres => "INSERT INTO events_fts (rowid, words) VALUES (?1, to_tsvector('simple', ?2))",
        }
    }

    /// `GROUP BY` a text column ignoring case, showing one of its spellings.
    pub(crate) fn group_nocase(self, column: &str) -> (String, String) {
        match self {
            Dialect::Sqlite => (column.to_string(), format!("{column} COLLATE NOCASE")),
            Dialect::Postgres => (format!("min({column})"), format!("lower({column})")),
        }
    }
}

/// Runs SQL. Implemented by SQLite and PostgreSQL connections.
pub(crate) trait Engine: Send {
    /// Which SQL it speaks.
    fn dialect(&self) -> Dialect;
    /// Runs one statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Runs one query; its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs several statements without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// The counts this connection remembers while the data stays as it was.
    fn remembered(&mut self) -> &mut Remembered;
}

/// Counts and sets of hits a connection remembers until the data changes
/// ([`dyn Engine::remembered_count`], [`dyn Engine::remembered_hits`]).
#[derive(Default)]
pub(crate) struct Remembered {
    /// The data version they were made at.
    version: Option<i64>,
    counts: HashMap<String, i64>,
    /// Shared with the connection's [`HIT_FN`].
    hits: HitSets,
    /// The sets of [`HIT_TABLE`] this connection looked up, by key, and when (PostgreSQL).
    hit_table_sets: HashMap<String, (i64, Instant)>,
    /// The server would not let this connection use [`HIT_TABLE`] (a read-only role, a hot
    /// standby): pages walk the search rows instead.
    hit_table_refused: bool,
}

impl Remembered {
    /// Forgets everything: this connection is changing the data (which SQLite's `data_version`
    /// does not count).
    pub(crate) fn forget(&mut self) {
        self.version = None;
        self.counts.clear();
        lock(&self.hits).clear();
        self.hit_table_sets.clear();
    }
}

/// Sets of ids by key, for [`HIT_FN`].
type HitSets = Arc<Mutex<HashMap<String, HashSet<i64>>>>;

fn lock(sets: &HitSets) -> std::sync::MutexGuard<'_, HashMap<String, HashSet<i64>>> {
    sets.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a remembered answer is kept under: its query and parameters.
fn memory_key(sql: &str, params: &[Value]) -> String {
    format!("{sql}\u{1f}{params:?}")
}

/// Counts remembered at most per connection; beyond, they are forgotten.
const REMEMBERED_CAPACITY: usize = 1024;
/// Sets of hits remembered at most per connection (a frequent word's: about 1 MB).
const HIT_SETS_CAPACITY: usize = 32;

/// The SQLite function `rasd_hit(id, key)`: whether `id` is in the set of hits remembered under
/// `key` ([`dyn Engine::remembered_hits`]), checked while walking the clusters in date order
/// instead of a set of tens of thousands of ids built for every page.
pub(crate) const HIT_FN: &str = "rasd_hit";

/// The PostgreSQL table of remembered sets of hits ([`dyn Engine::remembered_hit_table`]),
/// shared by every connection: `(set_id, date_start, id)`, listed in [`HIT_SETS`].
pub(crate) const HIT_TABLE: &str = "rasd_hits";

/// The sets in [`HIT_TABLE`]: their key (query and parameters), the data version they were made
/// at, and when a connection last looked one up.
const HIT_SETS: &str = "rasd_hit_sets";

/// The key of PostgreSQL's advisory lock held by the connection filling a set of
/// [`HIT_TABLE`]: one fills while the others walk.
pub(crate) const HIT_FILL_LOCK: i64 = 0x7261_7368; // "rash"

/// How long a connection trusts a set it looked up before looking it up again (which tells the
/// others it is in use).
const HIT_SET_TRUSTED: Duration = Duration::from_secs(10);

/// How long a set nobody looked up stays before it may go to make room, or once the data
/// changed: far longer than [`HIT_SET_TRUSTED`], so no connection still reads a set it trusts.
const HIT_SET_KEPT: &str = "1 minute";

impl dyn Engine + '_ {
    /// The first row of a query, if any.
    pub(crate) fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first row of a query, which must return one.
    pub(crate) fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?.ok_or_else(|| StoreError::Decode(format!("no row from {sql}")))
    }

    /// A number that changes whenever any connection commits a change to the data.
    pub(crate) fn data_version(&mut self) -> Result<i64, StoreError> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "PRAGMA data_version",
            Dialect::Postgres => "SELECT n FROM rasd_changes",
        };
        self.query_one(sql, &[])?.int(0)
    }

    /// The count `sql` returns, remembered with its parameters until the data changes: how many
    /// rows a text or actor filter matches (up to a cap) decides how a page is read, and counting
    /// the thousands of hits of a frequent word takes longer than reading the page. A count made
    /// stale by this connection's own writes (which SQLite's `data_version` does not count) only
    /// chooses the slower way to the same rows.
    pub(crate) fn remembered_count(&mut self, sql: &str, params: &[Value]) -> Result<i64, StoreError> {
        let key = memory_key(sql, params);
        if let Some(&count) = self.memory()?.counts.get(&key) {
            return Ok(count);
        }
        let count = self.query_one(sql, params)?.int(0)?;
        let memory = self.remembered();
        if memory.counts.len() >= REMEMBERED_CAPACITY {
            memory.counts.clear();
        }
        memory.counts.insert(key, count);
        Ok(count)
    }

    /// Remembers the ids `sql` returns until the data changes, under the key returned, which
    /// `rasd_hit(id, key)` checks ([`HIT_FN`], SQLite).
    pub(crate) fn remembered_hits(&mut self, sql: &str, params: &[Value]) -> Result<String, StoreError> {
        let key = memory_key(sql, params);
        let sets = self.memory()?.hits.clone();
        if lock(&sets).contains_key(&key) {
            return Ok(key);
        }
        let ids = self.query(sql, params)?.iter().map(|r| r.int(0)).collect::<Result<HashSet<i64>, _>>()?;
        let mut sets = lock(&sets);
        if sets.len() >= HIT_SETS_CAPACITY {
            sets.clear();
        }
        sets.insert(key.clone(), ids);
        Ok(key)
    }

    /// The set of rows `(date_start, id)` that `sql` returns at the current version of the data,
    /// as a set of the shared [`HIT_TABLE`] (PostgreSQL), whose key gives them in date order: a
    /// page then reads only its own hits, where a walk of the search rows reads and checks the
    /// words of every row it passes. The first connection to ask fills the set, once for all.
    /// None while another connection fills a set, and always where the server lets this
    /// connection use no such table (a read-only role, a hot standby): the page walks instead.
    pub(crate) fn remembered_hit_table(&mut self, sql: &str, params: &[Value]) -> Result<Option<i64>, StoreError> {
        let key = memory_key(sql, params);
        let memory = self.memory()?;
        if memory.hit_table_refused {
            return Ok(None);
        }
        match memory.hit_table_sets.get(&key) {
            Some(&(set, looked_up)) if looked_up.elapsed() < HIT_SET_TRUSTED => return Ok(Some(set)),
            _ => {}
        }
        let version = memory.version;
        match self.shared_hit_set(&key, sql, params) {
            Ok(Some(set)) => {
                let memory = self.remembered();
                if memory.version == version {
                    if memory.hit_table_sets.len() >= HIT_SETS_CAPACITY {
                        memory.hit_table_sets.clear();
                    }
                    memory.hit_table_sets.insert(key, (set, Instant::now()));
                }
                Ok(Some(set))
            }
            Ok(None) => Ok(None),
            // Refused by the server (read-only, recovery, no grant): this connection walks.
            Err(_) => {
                self.remembered().hit_table_refused = true;
                Ok(None)
            }
        }
    }

    /// The set of [`HIT_TABLE`] under `key` at the current version of the data, marked as looked
    /// up now; filled here if it is missing and no other connection is filling one.
    fn shared_hit_set(&mut self, key: &str, sql: &str, params: &[Value]) -> Result<Option<i64>, StoreError> {
        let look_up = format!(
            "UPDATE {HIT_SETS} SET used = now() WHERE key = ?1 AND version = (SELECT n FROM rasd_changes) RETURNING set_id"
        );
        if let Some(row) = self.query_opt(&look_up, &[key.into()])? {
            return Ok(Some(row.int(0)?));
        }
        if self.query_one(&format!("SELECT pg_try_advisory_lock({HIT_FILL_LOCK})"), &[])?.int(0)? == 0 {
            return Ok(None);
        }
        let filled = (|| {
            // Filled by another connection since the look-up?
            if let Some(row) = self.query_opt(&look_up, &[key.into()])? {
                return row.int(0);
            }
            self.make_room_in_hit_table()?;
            // One statement, one snapshot: the hits and the version they are labelled with agree.
            let mut args = params.to_vec();
            args.push(key.into());
            let set = self
                .query_one(
                    &format!(
                        "WITH s AS (SELECT nextval('rasd_hit_set_ids') AS id, (SELECT n FROM rasd_changes) AS version), \
                         hits AS (INSERT INTO {HIT_TABLE} (set_id, date_start, id) SELECT s.id, h.* FROM s, ({sql}) AS h) \
                         INSERT INTO {HIT_SETS} (key, version, set_id) SELECT ?{}, s.version, s.id FROM s RETURNING set_id",
                        args.len()
                    ),
                    &args,
                )?
                .int(0)?;
            // The planner needs the new rows' statistics to read a set in order.
            self.batch(&format!("ANALYZE {HIT_TABLE}"))?;
            Ok(set)
        })();
        self.batch(&format!("SELECT pg_advisory_unlock({HIT_FILL_LOCK})"))?;
        filled.map(Some)
    }

    /// Drops the sets of [`HIT_TABLE`] unused for [`HIT_SET_KEPT`] that were made at an earlier
    /// version of the data or lie beyond the [`HIT_SETS_CAPACITY`] most recently used.
    fn make_room_in_hit_table(&mut self) -> Result<(), StoreError> {
        let gone = self.query(
            &format!(
                "DELETE FROM {HIT_SETS} WHERE used < now() - interval '{HIT_SET_KEPT}' AND \
                 (version <> (SELECT n FROM rasd_changes) OR set_id IN \
                 (SELECT set_id FROM {HIT_SETS} ORDER BY used DESC OFFSET {} )) RETURNING set_id",
                HIT_SETS_CAPACITY - 1
            ),
            &[],
        )?;
        if !gone.is_empty() {
            let ids = gone.iter().map(|r| r.int(0)).collect::<Result<Vec<_>, _>>()?;
            self.execute(&format!("DELETE FROM {HIT_TABLE} WHERE set_id = ANY(?1)"), &[Value::Ints(ids)])?;
        }
        Ok(())
    }

    /// What this connection remembers, forgotten first if the data changed since.
    fn memory(&mut self) -> Result<&mut Remembered, StoreError> {
        let version = self.data_version()?;
        let memory = self.remembered();
        if memory.version != Some(version) {
            memory.forget();
            memory.version = Some(version);
        }
        Ok(memory)
    }
}

/// An embedded SQLite connection.
pub(crate) struct Sqlite {
    conn: rusqlite::Connection,
    remembered: Remembered,
}

/// Statements a SQLite connection keeps prepared: every statement of a put, and the queries.
const SQLITE_PREPARED: usize = 64;

impl Sqlite {
    pub(crate) fn new(conn: rusqlite::Connection) -> Result<Self, StoreError> {
        conn.set_prepared_statement_cache_capacity(SQLITE_PREPARED);
        let remembered = Remembered::default();
        let sets = remembered.hits.clone();
        // Not deterministic: the sets change with the data.
        conn.create_scalar_function(HIT_FN, 2, rusqlite::functions::FunctionFlags::SQLITE_UTF8, move |ctx| {
            let id = ctx.get::<i64>(0)?;
            let key = ctx.get_raw(1).as_str().map_err(|e| rusqlite::Error::UserFunctionError(e.into()))?;
            Ok(lock(&sets).get(key).is_some_and(|ids| ids.contains(&id)))
        })?;
        Ok(Sqlite { conn, remembered })
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        let list = |json: String| Ok(ToSqlOutput::Owned(rusqlite::types::Value::Text(json)));
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Real(v) => ValueRef::Real(*v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
            Value::Blob(v) => ValueRef::Blob(v),
            Value::Ints(v) => return list(serde_json::Value::from(v.clone()).to_string()),
        }))
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Result<Value, StoreError> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => {
            Value::Text(String::from_utf8(t.to_vec()).map_err(|e| StoreError::Decode(format!("text: {e}")))?)
        }
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    })
}

impl Engine for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn remembered(&mut self) -> &mut Remembered {
        &mut self.remembered
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        Ok(self.conn.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Row((0..columns).map(|i| sqlite_value(r.get_ref(i)?)).collect::<Result<_, _>>()?));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch(sql)?)
    }
}

/// A connection to a PostgreSQL server, with its prepared statements.
pub(crate) struct Postgres {
    pub(crate) client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
    remembered: Remembered,
}

/// Statements kept prepared at most; beyond, the cache is emptied (queries built from many
/// filter combinations must not grow it without end in a long-running server).
const PREPARED_CAPACITY: usize = 512;

impl Postgres {
    pub(crate) fn new(client: postgres::Client) -> Self {
        Postgres { client, statements: HashMap::new(), remembered: Remembered::default() }
    }

    fn prepared(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(stmt) = self.statements.get(sql) {
            return Ok(stmt.clone());
        }
        if self.statements.len() >= PREPARED_CAPACITY {
            self.statements.clear();
        }
        let stmt = self.client.prepare(&dollar_params(sql))?;
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// `?N` parameters renumbered `$N`, and bare `?` numbered in order, outside quoted strings.
pub(crate) fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    let mut next = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    next += 1;
                    out.push_str(&next.to_string());
                }
            }
            _ => out.push(c),
        }
    }
    out
}

type BoxError = Box<dyn Error + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        fn checked<T: ToSql>(v: &T, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
            if !T::accepts(ty) {
                return Err(format!("a {} value given where {ty} is expected", std::any::type_name::<T>()).into());
            }
            v.to_sql(ty, out)
        }
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT4 => checked(&i32::try_from(*v)?, ty, out),
                Type::INT2 => checked(&i16::try_from(*v)?, ty, out),
                Type::FLOAT8 => checked(&(*v as f64), ty, out),
                _ => checked(v, ty, out),
            },
            Value::Real(v) => checked(v, ty, out),
            Value::Text(v) => checked(v, ty, out),
            Value::Blob(v) => checked(v, ty, out),
            Value::Ints(v) => checked(v, ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(Vec::<u8>::from_sql(ty, raw)?),
            _ => Value::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Engine for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn remembered(&mut self) -> &mut Remembered {
        &mut self.remembered
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let stmt = self.prepared(sql)?;
        Ok(self.client.execute(&stmt, &refs(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.prepared(sql)?;
        let rows = self.client.query(&stmt, &refs(params))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<_, Value>(i).map_err(StoreError::from))
                    .collect::<Result<_, _>>()
                    .map(Row)
            })
            .collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.client.batch_execute(sql)?)
    }
}

#[cfg(test)]
mod tests {
    use super::dollar_params;

    proptest::proptest! {
        /// Every `?N` outside a string becomes `$N`; nothing else changes.
        #[test]
        fn renumbering_touches_only_parameters(parts in proptest::collection::vec(("[a-z =(),.<>]{0,12}", 1u32..40), 0..8)) {
            let sql: String = parts.iter().map(|(text, n)| format!("{text}?{n}")).collect();
            let expected: String = parts.iter().map(|(text, n)| format!("{text}${n}")).collect();
            proptest::prop_assert_eq!(dollar_params(&sql), expected);
        }
    }

    #[test]
    fn parameters_are_renumbered_outside_strings() {
        assert_eq!(dollar_params("a = ?1 AND b = ?12"), "a = $1 AND b = $12");
        assert_eq!(dollar_params("a = ? AND b LIKE ? ESCAPE '\\'"), "a = $1 AND b LIKE $2 ESCAPE '\\'");
        assert_eq!(dollar_params("x = 'why?' AND y = ?2"), "x = 'why?' AND y = $2");
    }
}
