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
    /// The answers being worked out, each with a lock its worker holds: a request for an
    /// answer not yet remembered waits for the one working it out (and then finds it) instead
    /// of all counting the same at once.
    working: Mutex<HashMap<String, Arc<Mutex<()>>>>,
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
            working: Mutex::new(HashMap::new()),
        })
    }

    /// The number of clusters matching `query`, counted with `store` unless remembered from
    /// an unchanged database.
    pub(crate) fn count(&self, store: &Store, query: &EventQuery) -> Result<u64, StoreError> {
        let key = format!("count {}", filters_of(query));
        self.once(
            &key,
            |state| state.totals.get(&key).copied(),
            || {
                let total = store.count_events(query)?;
                remember(&mut self.current()?.totals, key.clone(), total, CAPACITY);
                Ok(total)
            },
        )
    }

    /// The stats of the clusters matching `query`, tallied with `store` unless remembered from
    /// an unchanged database.
    pub(crate) fn stats(&self, store: &Store, query: &EventQuery) -> Result<Arc<Stats>, StoreError> {
        let key = format!("stats {}", filters_of(query));
        self.once(
            &key,
            |state| state.stats.get(&key).cloned(),
            || {
                let stats = Arc::new(store.stats(query)?);
                remember(&mut self.current()?.stats, key.clone(), stats.clone(), STATS_CAPACITY);
                Ok(stats)
            },
        )
    }

    /// The remembered answer, or else the one `work` gives, worked out by one request at a time
    /// per key: the others wait for it and then find it remembered.
    fn once<T>(
        &self,
        key: &str,
        remembered: impl Fn(&State) -> Option<T>,
        work: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if let Some(answer) = remembered(&*self.current()?) {
            return Ok(answer);
        }
        let gate = self.working.lock().unwrap_or_else(|e| e.into_inner()).entry(key.to_string()).or_default().clone();
        let _turn = gate.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = remembered(&*self.current()?) {
            return Ok(answer);
        }
        let answer = work();
        self.working.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
        answer
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
