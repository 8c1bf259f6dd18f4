//! `rasd serve`: the HTTP API and web map over a database.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use crate::query::Database;

/// Arguments of `rasd serve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    db: Database,
    /// Where to listen. The default answers only this machine; to share the map on a network,
    /// give an address such as 0.0.0.0:8080 (and put TLS in front of it).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: SocketAddr,
    /// The bearer token that `POST /api/articles` (ingest over HTTP) requires; without one,
    /// ingest over HTTP is disabled.
    #[arg(long, env = "RASD_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    token: Option<String>,
    /// A host name clients may use to reach the server (repeatable), e.g. the machine's name on
    /// the network. Requests naming any other host are refused, against DNS rebinding; the
    /// listening address and, on this machine, localhost are always accepted.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
}

pub fn run(dir: &rasd_kb::DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let knowledge = Arc::new(crate::load_knowledge(dir)?);
    let config =
        rasd_server::Config { db: args.db.location, addr: args.addr, token: args.token, allow_hosts: args.allow_host };
    let runtime = tokio::runtime::Runtime::new()?;
    let ingest = if config.token.is_some() { "on (bearer token)" } else { "off (no --token)" };
    runtime.block_on(rasd_server::serve(config, knowledge, |addr| {
        eprintln!(
            "rasd: serving the map at http://{addr}/ and the API at http://{addr}/api (ingest {ingest}); Ctrl-C stops"
        );
    }))?;
    Ok(ExitCode::SUCCESS)
}
