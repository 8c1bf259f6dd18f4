//! Throwaway PostgreSQL schemas, for the tests and benchmarks that run rasd on both engines.
//!
//! The server is `RASD_TEST_POSTGRES` (default `postgres://127.0.0.1:5432/test`). Each
//! [`ScratchSchema`] is a new schema in it, dropped when the value is dropped. With
//! `RASD_SKIP_POSTGRES=1`, [`ScratchSchema::new`] gives `None` and the PostgreSQL half of a test
//! is skipped; otherwise a server that does not answer is an error that says so.
//!
//! [`test_database`] gives a test its database on the engine `RASD_TEST_BACKEND` names
//! (`sqlite`, the default, or `postgres`), so that one suite runs on both.

use std::sync::atomic::{AtomicU32, Ordering};

/// The server tests use unless `RASD_TEST_POSTGRES` names another.
pub const DEFAULT_TEST_SERVER: &str = "postgres://127.0.0.1:5432/test";

/// A schema of its own on the test server, dropped with this value.
#[derive(Debug)]
pub struct ScratchSchema {
    server: String,
    name: String,
}

impl ScratchSchema {
    /// A new, empty schema whose name starts with `tag`; `None` when `RASD_SKIP_POSTGRES=1`.
    pub fn new(tag: &str) -> Result<Option<ScratchSchema>, String> {
        if std::env::var("RASD_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
            eprintln!("note: RASD_SKIP_POSTGRES=1: the PostgreSQL half of this test is skipped");
            return Ok(None);
        }
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let server = std::env::var("RASD_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_TEST_SERVER.to_string());
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).take(20).collect();
        let name = format!(
            "rasd_{}_{}_{}_{nanos}",
            tag.to_ascii_lowercase(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = postgres::Client::connect(&server, postgres::NoTls).map_err(|e| {
            format!(
                "PostgreSQL does not answer at {server}: {e}. Start it, point RASD_TEST_POSTGRES at one, \
                 or set RASD_SKIP_POSTGRES=1 to test SQLite only"
            )
        })?;
        drop_abandoned(&mut client);
        client.batch_execute(&format!("CREATE SCHEMA {name}")).map_err(|e| format!("{server}: {e}"))?;
        Ok(Some(ScratchSchema { server, name }))
    }

    /// The URL of a store in this schema, for `--db`.
    pub fn url(&self) -> String {
        let separator = if self.server.contains('?') { '&' } else { '?' };
        format!("{}{separator}options=-csearch_path%3D{}", self.server, self.name)
    }

    /// The store's location.
    pub fn location(&self) -> crate::Location {
        crate::Location::Postgres(self.url())
    }
}

/// Drops the scratch schemas of test processes that have ended (a schema kept for a whole test
/// binary, or one whose test was killed, is never dropped by its own process). Linux only: the
/// process ids are looked up in `/proc`.
fn drop_abandoned(client: &mut postgres::Client) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(rows) = client.query("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'rasd\\_%'", &[]) else {
        return;
    };
    for row in rows {
        let name: String = row.get(0);
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"));
        }
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        // A schema left behind by a failed drop only takes space on a test server.
        if let Ok(mut client) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// A new, empty database for a test: a file `name` in `dir`, or, when `RASD_TEST_BACKEND` is
/// `postgres`, a schema of its own on the test server (kept until the test process ends; the
/// next test run drops it).
pub fn test_database(dir: &std::path::Path, name: &str) -> crate::Location {
    if std::env::var("RASD_TEST_BACKEND").is_ok_and(|b| b == "postgres") {
        let schema = ScratchSchema::new(name)
            .and_then(|s| s.ok_or_else(|| "RASD_TEST_BACKEND=postgres, but RASD_SKIP_POSTGRES=1".to_string()))
            .unwrap_or_else(|e| panic!("{e}"));
        let location = schema.location();
        // Kept for servers that outlive the test: dropped by the next run (`drop_abandoned`).
        std::mem::forget(schema);
        location
    } else {
        crate::Location::File(dir.join(name))
    }
}
