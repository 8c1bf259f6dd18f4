//! Remembered totals and stats: counting the clusters that match a filter, or tallying them by
//! day, type, place and status, reads every matching index entry (hundreds of thousands on a
//! large store), while the map, its charts and the list ask for the same few filters again and
//! again. An answer is reused until the database changes, which a dedicated connection notices
//! through [`Store::data_version`], whoever wrote (this server, or a `rasd ingest` into the same
//! database): a materialized view per filter, refreshed when first asked after a change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rasd_store::{EventQuery, Location, Stats, Store, StoreError};

/// Totals remembered at most; beyond, the memory is cleared.
const CAPACITY: usize = 4096;
/// Stats remembered at most (each holds a count per day).
const STATS_CAPACITY: usize = 256;

/// The remembered totals and stats and the connection that watches for changes.
pub(crate) struct Totals {
    state: Mutex<State>,
    /// Taken while stats are tallied: requests for stats not yet remembered wait for the one
    /// tallying (and then find its answer) instead of all tallying the same at once.
    tallying: Mutex<()>,
}

struct State {
    watcher: Store,
    version: i64,
    totals: HashMap<String, u64>,
    stats: HashMap<String, Arc<Stats>>,
}

impl Totals {
    pub(crate) fn open(location: &Location) -> Result<Self, StoreError> {
        let watcher = Store::connect_read_only(location)?;
        let version = watcher.data_version()?;
        Ok(Totals {
            state: Mutex::new(State { watcher, version, totals: HashMap::new(), stats: HashMap::new() }),
            tallying: Mutex::new(()),
        })
    }

    /// The number of clusters matching `query`, counted with `store` unless remembered from
    /// an unchanged database.
    pub(crate) fn count(&self, store: &Store, query: &EventQuery) -> Result<u64, StoreError> {
        let key = filters_of(query);
        if let Some(total) = self.current()?.totals.get(&key) {
            return Ok(*total);
        }
        let total = store.count_events(query)?;
        remember(&mut self.current()?.totals, key, total, CAPACITY);
        Ok(total)
    }

    /// The stats of the clusters matching `query`, tallied with `store` unless remembered from
    /// an unchanged database.
    pub(crate) fn stats(&self, store: &Store, query: &EventQuery) -> Result<Arc<Stats>, StoreError> {
        let key = filters_of(query);
        let remembered = |totals: &Self| Ok::<_, StoreError>(totals.current()?.stats.get(&key).cloned());
        if let Some(stats) = remembered(self)? {
            return Ok(stats);
        }
        let _turn = self.tallying.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(stats) = remembered(self)? {
            return Ok(stats);
        }
        let stats = Arc::new(store.stats(query)?);
        remember(&mut self.current()?.stats, key, stats.clone(), STATS_CAPACITY);
        Ok(stats)
    }

    /// A number that changes whenever the database changes (SQLite's `data_version` as seen by
    /// the watching connection).
    pub(crate) fn version(&self) -> Result<i64, StoreError> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.watcher.data_version()
    }

    /// The remembered answers, forgotten first if the database changed since they were made.
    fn current(&self) -> Result<std::sync::MutexGuard<'_, State>, StoreError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let version = state.watcher.data_version()?;
        if version != state.version {
            state.version = version;
            state.totals.clear();
            state.stats.clear();
        }
        Ok(state)
    }
}

/// What an answer depends on: the filters, not the page.
fn filters_of(query: &EventQuery) -> String {
    format!("{:?}", EventQuery { limit: None, offset: 0, after: None, newest_first: false, ..query.clone() })
}

fn remember<V>(memory: &mut HashMap<String, V>, key: String, value: V, capacity: usize) {
    if memory.len() >= capacity {
        memory.clear();
    }
    memory.insert(key, value);
}
