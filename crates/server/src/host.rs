//! The `Host` check: a page on another site cannot reach this server through a DNS name that
//! it points at 127.0.0.1 (DNS rebinding), because requests must name this server.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

/// The hosts requests may name.
#[derive(Debug)]
pub(crate) struct Allowed {
    addr: SocketAddr,
    names: Vec<String>,
}

impl Allowed {
    /// The listening address, `localhost` when it is a loopback or unspecified address, and the
    /// names given with `--allow-host`.
    pub(crate) fn new(addr: SocketAddr, extra: &[String]) -> Self {
        let mut names: Vec<String> = extra.iter().map(|n| n.trim().to_ascii_lowercase()).collect();
        if addr.ip().is_loopback() || addr.ip().is_unspecified() {
            names.push("localhost".to_string());
        }
        Allowed { addr, names }
    }

    /// Whether a `Host` header value names this server.
    pub(crate) fn admits(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = match host.rsplit_once(':') {
            Some((name, port)) if !name.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host.as_str(),
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        if self.names.iter().any(|n| n == name) {
            return true;
        }
        match name.parse::<IpAddr>() {
            // On 0.0.0.0 every address of the machine is this server's.
            Ok(_) if self.addr.ip().is_unspecified() => true,
            Ok(ip) => ip == self.addr.ip() || (self.addr.ip().is_loopback() && ip.is_loopback()),
            Err(_) => false,
        }
    }
}

/// Refuses a request whose `Host` names another server (400).
pub(crate) async fn check(State(allowed): State<Arc<Allowed>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).map(|h| h.to_str().unwrap_or("\u{fffd}"));
    match host {
        Some(host) if !allowed.admits(host) => ApiError::bad_request(format!(
            "Host {host:?} is not this server; to reach it under that name, start it with --allow-host {}",
            host.rsplit_once(':').map_or(host, |(name, _)| name)
        ))
        .into_response(),
        _ => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_server() {
        let local = Allowed::new(SocketAddr::from(([127, 0, 0, 1], 8080)), &["rasd.lan".to_string()]);
        for host in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "rasd.lan:8080", "127.0.0.1"] {
            assert!(local.admits(host), "{host}");
        }
        for host in ["evil.example", "evil.example:8080", "10.0.0.5:8080", "", "localhost.evil.example"] {
            assert!(!local.admits(host), "{host}");
        }
        let shared = Allowed::new(SocketAddr::from(([0, 0, 0, 0], 8080)), &[]);
        assert!(shared.admits("192.168.1.20:8080"));
        assert!(!shared.admits("attacker.example:8080"));
    }
}
