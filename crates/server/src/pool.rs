//! A pool of store connections (r2d2): SQLite in WAL mode, like PostgreSQL, lets many readers
//! and one writer work at once, each on its own connection.

use rasd_store::{Location, Store, StoreError};

use crate::ApiError;

/// Opens stores on one database.
#[derive(Debug)]
struct Manager {
    location: Location,
    read_only: bool,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Store;
    type Error = StoreError;

    fn connect(&self) -> Result<Store, StoreError> {
        if self.read_only {
            Store::connect_read_only(&self.location)
        } else {
            Store::connect(&self.location)
        }
    }

    fn is_valid(&self, _: &mut Store) -> Result<(), StoreError> {
        Ok(())
    }

    fn has_broken(&self, _: &mut Store) -> bool {
        false
    }
}

/// The pool every request borrows a store from.
#[derive(Clone, Debug)]
pub(crate) struct StorePool {
    pool: r2d2::Pool<Manager>,
    /// The database (a file) cannot be written by this user: the API reads and refuses to store.
    pub(crate) read_only: bool,
}

impl StorePool {
    /// Opens the pool, failing now (not at the first request) when the file cannot be opened.
    pub(crate) fn open(location: &Location) -> Result<Self, StoreError> {
        let read_only = location.file().is_some_and(rasd_store::is_read_only);
        // Opening once first runs any pending migration before the pool's connections race.
        if read_only {
            drop(Store::connect_read_only(location)?);
        } else {
            drop(Store::connect(location)?);
        }
        // More connections than cores: a short list is then not queued behind the map's
        // thousands of markers or a text search, but shares the cores with them.
        let size = std::thread::available_parallelism().map_or(8, |n| n.get() * 4).max(8) as u32;
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .build_unchecked(Manager { location: location.clone(), read_only });
        Ok(StorePool { pool, read_only })
    }

    /// Runs `work` with a store on the blocking thread pool.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = pool.get().map_err(|e| ApiError::unavailable(format!("database busy: {e}")))?;
            work(&mut store)
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }
}
