//! `rasd serve`: a JSON API over the store and an offline web map, in one binary.
//!
//! * [`router`] builds the axum application: the API under `/api` (see `openapi.json`, served
//!   at `/api/openapi.json`), `/healthz`, and the web UI embedded from `web/` at `/` and
//!   `/assets/…`.
//! * [`serve`] binds it (localhost unless told otherwise) and runs until Ctrl-C.
//!
//! Every database call runs on the blocking pool with a pooled [`rasd_store::Store`]; every
//! response carries a strict Content-Security-Policy; request bodies and query strings have
//! size limits; errors are JSON `{"error": "…"}` with the right status.
#![deny(missing_docs)]

mod api;
mod assets;
mod error;
mod filters;
mod host;
mod markers;
mod pool;
mod totals;
mod watch;

use rasd_store::Location;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use rasd_pipeline::Knowledge;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::ApiError;

/// The largest request body accepted (an article to extract or ingest).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The longest query string accepted.
pub const MAX_QUERY_BYTES: usize = 2048;

/// The Content-Security-Policy of every response: only this server's own scripts, styles,
/// images and API; no inline script or style, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// What a server needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database: a SQLite file (which must exist) or a PostgreSQL database.
    pub db: Location,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The bearer token `POST /api/articles` requires; ingest over HTTP is disabled without one.
    pub token: Option<String>,
    /// Host names (besides the listening address and, on loopback, `localhost`) that requests
    /// may name in their `Host` header: a defence against DNS rebinding.
    pub allow_hosts: Vec<String>,
}

/// How long a client has to send a request's headers.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long one request may take (reading the article of `POST /api/extract` included).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// How long one connection stays open, idle keep-alive included.
pub const CONNECTION_LIFETIME: std::time::Duration = std::time::Duration::from_secs(120);

/// What can stop a server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database is missing or unreadable.
    #[error("{path}: {reason}")]
    Database {
        /// The file.
        path: String,
        /// Why it cannot be served.
        reason: String,
    },
    /// The address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared by every request.
pub(crate) struct App {
    pub(crate) pool: pool::StorePool,
    pub(crate) totals: totals::Totals,
    pub(crate) knowledge: Arc<Knowledge>,
    pub(crate) token: Option<String>,
    /// Extractions running at once: an abandoned request cannot pile work on the CPUs.
    pub(crate) extractions: tokio::sync::Semaphore,
}

/// Builds the application for a database and the compiled knowledge (`POST /api/extract`).
pub fn router(config: &Config, knowledge: Arc<Knowledge>) -> Result<Router, ServeError> {
    let database = |reason: String| ServeError::Database { path: config.db.to_string(), reason };
    if !config.db.may_exist() {
        return Err(database("no such database; create one with `rasd ingest PATH... --db FILE`".into()));
    }
    let pool = pool::StorePool::open(&config.db).map_err(|e| database(e.to_string()))?;
    let totals = totals::Totals::open(&config.db).map_err(|e| database(e.to_string()))?;
    let token = config.token.clone().filter(|t| !t.is_empty());
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let extractions = tokio::sync::Semaphore::new(cores);
    let app = Arc::new(App { pool, totals, knowledge, token, extractions });
    let hosts = Arc::new(host::Allowed::new(config.addr, &config.allow_hosts));
    let header =
        |name, value: &'static str| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    Ok(Router::new()
        .route("/healthz", get(api::health))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/articles", post(api::ingest))
        .route("/api/stats", get(api::stats))
        .route("/api/taxonomy", get(api::taxonomy))
        .route("/api/extract", post(api::extract))
        .route("/api/sources", get(watch::sources))
        .route("/api/alerts", get(watch::alerts))
        .route("/api/live", get(watch::live))
        .route("/", get(assets::index))
        .route("/sources", get(assets::sources))
        .route("/assets/{*path}", get(assets::file))
        .fallback(api::not_found)
        .with_state(app)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn_with_state(hosts, host::check)))
}

/// Serves until Ctrl-C (or SIGTERM). `ready` is called with the bound address once it listens.
pub async fn serve(
    config: Config,
    knowledge: Arc<Knowledge>,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    // Opening the database blocks (PostgreSQL's client runs its own runtime): not on this one.
    let opening = config.clone();
    let app = tokio::task::spawn_blocking(move || router(&opening, knowledge))
        .await
        .map_err(|e| ServeError::Database { path: config.db.to_string(), reason: format!("opening failed: {e}") })??;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind { addr: config.addr, source })?;
    ready(listener.local_addr()?);
    let mut shutdown = std::pin::pin!(shutdown());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A full file table or a reset before accept: the server keeps going.
                Err(_) => continue,
            },
            () = &mut shutdown => return Ok(()),
        };
        tokio::spawn(connection(stream, app.clone()));
    }
}

/// Serves one connection: headers within [`HEADER_TIMEOUT`], the whole connection within
/// [`CONNECTION_LIFETIME`], so slow or idle clients cannot hold the server's sockets.
async fn connection(stream: tokio::net::TcpStream, app: Router) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let service = hyper_util::service::TowerToHyperService::new(app);
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let serving = builder.serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(CONNECTION_LIFETIME, serving).await;
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
