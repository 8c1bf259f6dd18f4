//! Where a store lives: a SQLite file, or a PostgreSQL database given by its URL.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::engine::{Dialect, Postgres};
use crate::StoreError;

/// Where a store lives, as `--db` names it: a file path (SQLite, the default), or a
/// `postgres://` / `postgresql://` URL (libpq's form: `postgres://user@host:port/database`,
/// with `?options=-csearch_path%3DNAME` to keep a dataset in its own schema).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL database.
    Postgres(String),
}

impl FromStr for Location {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        Ok(if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::File(PathBuf::from(s))
        })
    }
}

impl std::fmt::Display for Location {
    /// The path, or the URL with its password hidden (it is shown in messages and logs).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&hide_password(url)),
        }
    }
}

impl Location {
    /// The file, for a SQLite store.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// Whether a store can be there already: a file that exists, or any server (whether it
    /// holds a rasd database is known once connected).
    pub fn may_exist(&self) -> bool {
        match self {
            Location::File(path) => path.exists(),
            Location::Postgres(_) => true,
        }
    }
}

/// `scheme://user:SECRET@host` → `scheme://user:***@host`.
fn hide_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &url[..scheme_end], &authority[..colon], &rest[at..])
        }
        _ => url.to_string(),
    }
}

/// The schema a URL's `options` put first on the search path (`-c search_path=NAME`).
fn schema_of(config: &postgres::Config) -> Option<String> {
    let options = config.get_options()?;
    let value = options.split("search_path=").nth(1)?;
    let name: String = value.chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
    let name = name.trim_matches('"').to_string();
    (!name.is_empty()).then_some(name)
}

/// Connects to a PostgreSQL database, creating the schema its search path names if needed.
pub(crate) fn connect_postgres(url: &str) -> Result<Postgres, StoreError> {
    let fail = |reason: String| StoreError::Connect { location: hide_password(url), reason };
    let mut config = postgres::Config::from_str(url).map_err(|e| fail(e.to_string()))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("rasd");
    }
    let mut client = config.connect(postgres::NoTls).map_err(|e| fail(reason(&e)))?;
    if let Some(schema) = schema_of(&config) {
        let exists = client
            .query_opt("SELECT 1 FROM pg_namespace WHERE nspname = $1", &[&schema])
            .map_err(|e| fail(reason(&e)))?
            .is_some();
        // Created only when missing, so that a read-only role or standby can serve it.
        if !exists {
            let quoted = schema.replace('"', "\"\"");
            // Under the lock: two first runs would otherwise race to create it.
            let (lock, unlock) = Dialect::Postgres.migration_lock();
            let create = format!("CREATE SCHEMA IF NOT EXISTS \"{quoted}\"");
            for statement in [&lock[0], &create, &unlock.to_string()] {
                client
                    .batch_execute(statement)
                    .map_err(|e| fail(format!("cannot create the schema {schema}: {}", reason(&e))))?;
            }
        }
    }
    // rasd's queries are short and many, from several clients at once: compiling one (JIT) or
    // sharing it among parallel workers costs more than it gives (a text-filtered page: 17 ms
    // alone, 44 ms with two workers, at a million events).
    client.batch_execute("SET jit = off; SET max_parallel_workers_per_gather = 0").map_err(|e| fail(reason(&e)))?;
    Ok(Postgres::new(client))
}

/// What the server said («permission denied for database test», "cannot execute CREATE SCHEMA
/// in a read-only transaction"), where the error's own text is only "db error".
fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_postgres_and_paths_sqlite() {
        assert_eq!("rasd.db".parse(), Ok(Location::File("rasd.db".into())));
        assert_eq!("./postgres://x".parse(), Ok(Location::File("./postgres://x".into())));
        for url in ["postgres://127.0.0.1/test", "POSTGRESQL://h/db"] {
            assert_eq!(url.parse(), Ok(Location::Postgres(url.into())));
        }
    }

    #[test]
    fn passwords_are_hidden() {
        let shown = Location::Postgres("postgres://rasd:s3cret@db.example:5432/news?options=x".into()).to_string();
        assert_eq!(shown, "postgres://rasd:***@db.example:5432/news?options=x");
        assert_eq!(hide_password("postgres://rasd@h/db"), "postgres://rasd@h/db");
    }

    proptest::proptest! {
        /// Whatever `--db` says, it parses, and a password never reaches a message.
        #[test]
        fn any_location_parses_and_hides_its_password(
            user in "[a-z]{1,8}", password in "[A-Za-z0-9!$&*+;=]{1,12}", rest in "[^@]{0,30}", path in "\\PC{0,40}"
        ) {
            // A password that is the mask itself cannot be told from it.
            proptest::prop_assume!(password != "***");
            let url = format!("postgres://{user}:{password}@{rest}");
            let shown = url.parse::<Location>().unwrap().to_string();
            proptest::prop_assert!(!shown.contains(&format!(":{password}@")), "{shown}");
            let parsed = path.parse::<Location>().unwrap();
            let lower = path.to_ascii_lowercase();
            let url = lower.starts_with("postgres://") || lower.starts_with("postgresql://");
            proptest::prop_assert_eq!(matches!(parsed, Location::Postgres(_)), url);
        }
    }

    #[test]
    fn the_schema_is_read_from_the_options() {
        let config = postgres::Config::from_str("postgres://h/db?options=-c%20search_path%3Dnews_2025").unwrap();
        assert_eq!(schema_of(&config).as_deref(), Some("news_2025"));
        assert_eq!(schema_of(&postgres::Config::from_str("postgres://h/db").unwrap()), None);
    }
}
