//! Remembered totals: counting the clusters that match a filter scans every matching index
//! entry (tens of thousands on a large store), while the map and the list ask for the same
//! few filters again and again. A total is reused until the database changes, which a
//! dedicated connection notices through [`Store::data_version`], whoever wrote (this server,
//! or a `rasd ingest` into the same database).

use std::collections::HashMap;
use std::sync::Mutex;

use rasd_store::{EventQuery, Location, Store, StoreError};

/// Totals remembered at most; beyond, the memory is cleared.
const CAPACITY: usize = 4096;

/// The remembered totals and the connection that watches for changes.
pub(crate) struct Totals {
    state: Mutex<State>,
}

struct State {
    watcher: Store,
    version: i64,
    totals: HashMap<String, u64>,
}

impl Totals {
    pub(crate) fn open(location: &Location) -> Result<Self, StoreError> {
        let watcher = Store::connect_read_only(location)?;
        let version = watcher.data_version()?;
        Ok(Totals { state: Mutex::new(State { watcher, version, totals: HashMap::new() }) })
    }

    /// The number of clusters matching `query`, counted with `store` unless remembered from
    /// an unchanged database.
    pub(crate) fn count(&self, store: &Store, query: &EventQuery) -> Result<u64, StoreError> {
        let key = format!("{:?}", EventQuery { limit: None, offset: 0, newest_first: false, ..query.clone() });
        if let Some(total) = self.lookup(&key)? {
            return Ok(total);
        }
        let total = store.count_events(query)?;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.totals.len() >= CAPACITY {
            state.totals.clear();
        }
        state.totals.insert(key, total);
        Ok(total)
    }

    /// A number that changes whenever the database changes (SQLite's `data_version` as seen by
    /// the watching connection).
    pub(crate) fn version(&self) -> Result<i64, StoreError> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.watcher.data_version()
    }

    fn lookup(&self, key: &str) -> Result<Option<u64>, StoreError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let version = state.watcher.data_version()?;
        if version != state.version {
            state.version = version;
            state.totals.clear();
        }
        Ok(state.totals.get(key).copied())
    }
}
