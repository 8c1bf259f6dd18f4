//! `watch.toml`: the sources to poll, how to behave over HTTP, and the alert rules.
//!
//! ```toml
//! [[source]]
//! url = "https://www.enabbaladi.net/feed/"
//! interval = "15m"
//! ```
//!
//! Every mistake is reported with the file, the place in it and the reason, before anything
//! is polled.

use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use serde::Deserialize;

/// A configuration that could not be read, with the file and the reason.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong, and where.
    pub reason: String,
}

/// The whole configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The sources, in the file's order.
    pub sources: Vec<Source>,
    /// How to fetch.
    pub http: Http,
    /// The alert rules.
    pub alerts: Vec<AlertRule>,
    /// Where `rasd serve` runs, for the link an alert carries (`http://127.0.0.1:8080`).
    pub serve_url: String,
    /// The SMTP server that sends e-mail alerts.
    pub smtp: Option<Smtp>,
}

/// How an SMTP connection is secured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587), required.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on this machine or a test.
    None,
}

/// The SMTP server e-mail alerts go through.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    /// Its host name.
    pub host: String,
    /// Its port (default: 587 for STARTTLS, 465 for TLS, 25 without).
    pub port: Option<u16>,
    /// How the connection is secured.
    #[serde(default)]
    pub security: Security,
    /// The sender, `Name <address>` or `address`.
    pub from: String,
    /// The environment variable holding the user name, when the server wants one.
    pub username_env: Option<String>,
    /// The environment variable holding the password.
    pub password_env: Option<String>,
}

/// What a source is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An RSS or Atom feed: each item is an article (its text, or its page when the item is a
    /// bare link).
    Feed,
    /// An HTML page listing articles: links matching `links` are fetched as articles.
    Index,
    /// A sitemap (news sitemap, or a sitemap index one level down): each `<loc>` is an article.
    Sitemap,
    /// A local folder: files that were not stored before are read as `rasd ingest` reads them.
    Folder,
}

impl Kind {
    /// Its name in the configuration and the store.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Index => "index",
            Kind::Sitemap => "sitemap",
            Kind::Folder => "folder",
        }
    }
}

/// How an article without a date of its own is dated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Undated {
    /// Left undated: rasd dates its events from the text alone.
    #[default]
    Keep,
    /// The day it was fetched (UTC): right for a live feed that lists only today's news.
    FetchDay,
}

/// One source to poll.
#[derive(Clone, Debug)]
pub struct Source {
    /// Its name: given, or the URL's host (the folder's path).
    pub name: String,
    /// The URL (http, https) or the folder.
    pub url: String,
    /// What it is read as.
    pub kind: Kind,
    /// How often it is polled.
    pub interval: Duration,
    /// The outlet its articles are published by (overrides what the feed says).
    pub outlet: Option<String>,
    /// The language its articles are in (`ar`, `en`), when they do not say.
    pub language: Option<String>,
    /// For an index page: the links that are articles.
    pub links: Option<Regex>,
    /// How an undated article is dated.
    pub undated: Undated,
}

/// How rasd behaves over HTTP.
#[derive(Clone, Debug)]
pub struct Http {
    /// The `User-Agent` sent, and the name robots.txt rules are read for.
    pub user_agent: String,
    /// The longest one request may take.
    pub timeout: Duration,
    /// The largest body read; a larger answer is refused.
    pub max_bytes: u64,
    /// Requests in flight to one host at most.
    pub per_host_concurrency: usize,
    /// The least time between two requests to one host (robots.txt's Crawl-delay, when
    /// longer, wins, up to a minute).
    pub per_host_delay: Duration,
    /// Redirects followed at most.
    pub max_redirects: usize,
    /// Articles fetched from one index page or sitemap per poll at most (the newest first).
    pub max_pages: usize,
    /// The longest wait between polls of a failing source.
    pub max_backoff: Duration,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            user_agent: format!(
                "rasd/{} (news monitoring; +{})",
                env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_REPOSITORY")
            ),
            timeout: Duration::from_secs(30),
            max_bytes: 10 * 1024 * 1024,
            per_host_concurrency: 2,
            per_host_delay: Duration::from_secs(1),
            max_redirects: 5,
            max_pages: 50,
            max_backoff: Duration::from_secs(6 * 3600),
        }
    }
}

/// A saved alert rule: the filters of `rasd events`, and where to send what matches.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// The rule's name (unique).
    pub name: String,
    /// ACLED event type.
    pub event_type: Option<String>,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// First-level unit.
    pub admin1: Option<String>,
    /// `LAT,LON,KM`.
    pub near: Option<String>,
    /// An actor's name or alias.
    pub actor: Option<String>,
    /// Words the event's text must contain.
    pub text: Option<String>,
    /// occurred, future, denied, negated.
    pub status: Option<String>,
    /// The least toll.
    pub min_fatalities: Option<u32>,
    /// The least confidence (0..1).
    pub min_confidence: Option<f64>,
    /// Print alerts as JSON lines on standard output.
    #[serde(default)]
    pub stdout: bool,
    /// Append alerts as JSON lines to this file.
    pub file: Option<PathBuf>,
    /// POST each alert as JSON to this URL.
    pub webhook: Option<String>,
    /// The name of the environment variable holding the webhook's HMAC-SHA256 key (the
    /// signature goes in `X-Rasd-Signature: sha256=HEX`). Kept out of the file on purpose.
    pub secret_env: Option<String>,
    /// E-mail each alert to these addresses, through `[smtp]`.
    #[serde(default)]
    pub email: Vec<String>,
}

impl AlertRule {
    /// Where this rule's alerts go: `stdout`, `file:PATH`, `webhook:URL`, `email:ADDRESS`.
    pub fn destinations(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.stdout {
            out.push("stdout".to_string());
        }
        if let Some(path) = &self.file {
            out.push(format!("file:{}", path.display()));
        }
        if let Some(url) = &self.webhook {
            out.push(format!("webhook:{url}"));
        }
        out.extend(self.email.iter().map(|address| format!("email:{address}")));
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    http: RawHttp,
    #[serde(default)]
    alert: Vec<AlertRule>,
    serve_url: Option<String>,
    smtp: Option<Smtp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Option<String>,
    url: String,
    kind: Option<Kind>,
    interval: Option<String>,
    outlet: Option<String>,
    language: Option<String>,
    links: Option<String>,
    #[serde(default)]
    undated: Undated,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    user_agent: Option<String>,
    timeout: Option<String>,
    max_bytes: Option<u64>,
    per_host_concurrency: Option<usize>,
    per_host_delay: Option<String>,
    max_redirects: Option<usize>,
    max_pages: Option<usize>,
    max_backoff: Option<String>,
}

/// The default polling interval.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError { path: path.to_path_buf(), reason: format!("cannot read it: {e}") })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, base).map_err(|reason| ConfigError { path: path.to_path_buf(), reason })
    }

    /// Reads a configuration from its text; relative folders are taken from `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        let mut sources: Vec<Source> = Vec::with_capacity(raw.source.len());
        for (i, s) in raw.source.into_iter().enumerate() {
            let source = source(s, base).map_err(|e| format!("[[source]] number {}: {e}", i + 1))?;
            if sources.iter().any(|other| other.name == source.name) {
                return Err(format!("two sources are called {:?}: give each a distinct `name = \"…\"`", source.name));
            }
            sources.push(source);
        }
        let http = http(raw.http)?;
        if let Some(smtp) = &raw.smtp {
            check_address(&smtp.from).map_err(|e| format!("[smtp] from: {e}"))?;
        }
        for (i, rule) in raw.alert.iter().enumerate() {
            let fail = |e: String| format!("[[alert]] number {} ({:?}): {e}", i + 1, rule.name);
            check_rule(rule).map_err(fail)?;
            if !rule.email.is_empty() && raw.smtp.is_none() {
                return Err(fail("e-mail needs an [smtp] section: host, from (and port, security)".into()));
            }
            if raw.alert[..i].iter().any(|other| other.name == rule.name) {
                return Err(format!("two alerts are called {:?}", rule.name));
            }
        }
        let serve_url = raw.serve_url.unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
        Ok(Config {
            sources,
            http,
            alerts: raw.alert,
            serve_url: serve_url.trim_end_matches('/').to_string(),
            smtp: raw.smtp,
        })
    }
}

fn source(s: RawSource, base: &Path) -> Result<Source, String> {
    let parsed = url::Url::parse(&s.url).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
    let kind = match (s.kind, &parsed) {
        (Some(Kind::Folder), _) | (None, None) => Kind::Folder,
        (Some(kind), Some(_)) => kind,
        (None, Some(u)) if s.links.is_some() => {
            let _ = u;
            Kind::Index
        }
        (None, Some(u)) if u.path().to_ascii_lowercase().contains("sitemap") => Kind::Sitemap,
        (None, Some(_)) => Kind::Feed,
        (Some(kind), None) => {
            return Err(format!("url {:?} is not an http(s) URL, which a {} needs", s.url, kind.name()))
        }
    };
    let url = match kind {
        Kind::Folder => {
            let path = Path::new(s.url.strip_prefix("file://").unwrap_or(&s.url));
            let path = if path.is_absolute() { path.to_path_buf() } else { base.join(path) };
            path.display().to_string()
        }
        _ => s.url.clone(),
    };
    let links = match (&s.links, kind) {
        (Some(pattern), Kind::Index) => {
            Some(Regex::new(pattern).map_err(|e| format!("links {pattern:?} is not a regular expression: {e}"))?)
        }
        (Some(_), _) => return Err(format!("`links` is for index pages, not a {}", kind.name())),
        (None, Kind::Index) => {
            return Err("an index page needs `links = \"…\"`: a regular expression the article links match".into())
        }
        (None, _) => None,
    };
    let name = s.name.unwrap_or_else(|| match &parsed {
        Some(u) => u.host_str().unwrap_or(&s.url).to_string(),
        None => url.clone(),
    });
    if name.trim().is_empty() {
        return Err("`name` is empty".into());
    }
    let interval = match &s.interval {
        Some(text) => duration("interval", text)?,
        None => DEFAULT_INTERVAL,
    };
    if interval < Duration::from_secs(1) {
        return Err(format!("interval {:?} is under a second", s.interval.unwrap_or_default()));
    }
    Ok(Source { name, url, kind, interval, outlet: s.outlet, language: s.language, links, undated: s.undated })
}

fn http(raw: RawHttp) -> Result<Http, String> {
    let d = Http::default();
    let time = |key: &str, value: Option<String>, default: Duration| match value {
        Some(text) => duration(key, &text).map_err(|e| format!("[http] {e}")),
        None => Ok(default),
    };
    let http = Http {
        user_agent: raw.user_agent.unwrap_or(d.user_agent),
        timeout: time("timeout", raw.timeout, d.timeout)?,
        max_bytes: raw.max_bytes.unwrap_or(d.max_bytes),
        per_host_concurrency: raw.per_host_concurrency.unwrap_or(d.per_host_concurrency),
        per_host_delay: time("per_host_delay", raw.per_host_delay, d.per_host_delay)?,
        max_redirects: raw.max_redirects.unwrap_or(d.max_redirects),
        max_pages: raw.max_pages.unwrap_or(d.max_pages),
        max_backoff: time("max_backoff", raw.max_backoff, d.max_backoff)?,
    };
    if http.per_host_concurrency == 0 {
        return Err("[http] per_host_concurrency must be at least 1".into());
    }
    if http.user_agent.trim().is_empty() {
        return Err("[http] user_agent is empty: say who is fetching".into());
    }
    Ok(http)
}

fn check_rule(rule: &AlertRule) -> Result<(), String> {
    if rule.name.trim().is_empty() {
        return Err("`name` is empty".into());
    }
    if rule.destinations().is_empty() {
        return Err(
            "no destination: set `stdout = true`, `file = \"…\"`, `webhook = \"…\"` or `email = [\"…\"]`".into()
        );
    }
    if let Some(near) = &rule.near {
        rasd_store::parse_near(near).map_err(|e| format!("near: {e}"))?;
    }
    if let Some(c) = rule.min_confidence {
        rasd_store::parse_confidence(&c.to_string()).map_err(|e| format!("min_confidence: {e}"))?;
    }
    if let Some(url) = &rule.webhook {
        url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| format!("webhook {url:?} is not an http(s) URL"))?;
    }
    for address in &rule.email {
        check_address(address).map_err(|e| format!("email: {e}"))?;
    }
    Ok(())
}

/// An e-mail address, `Name <address>` or `address`.
fn check_address(address: &str) -> Result<(), String> {
    address
        .parse::<lettre::message::Mailbox>()
        .map(|_| ())
        .map_err(|e| format!("{address:?} is not an e-mail address ({e})"))
}

/// A duration written `90s`, `15m`, `2h`, `500ms` or `1h 30m`.
fn duration(key: &str, text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("{key} {text:?} is not a duration like 15m, 90s or 2h: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("/base"))
    }

    #[test]
    fn three_lines_make_a_feed_polled_every_fifteen_minutes() {
        let c = parse("[[source]]\nurl = \"https://www.enabbaladi.net/feed/\"\n").unwrap();
        let s = &c.sources[0];
        assert_eq!((s.name.as_str(), s.kind, s.interval), ("www.enabbaladi.net", Kind::Feed, DEFAULT_INTERVAL));
        assert_eq!(c.http.per_host_concurrency, 2);
        assert!(c.http.user_agent.starts_with("rasd/"));
    }

    #[test]
    fn kinds_are_told_from_the_url_and_the_links_pattern() {
        let c = parse(
            "[[source]]\nurl = \"https://a.example/sitemap-news.xml\"\n\
             [[source]]\nurl = \"https://b.example/\"\nlinks = \"/archives/[0-9]+\"\n\
             [[source]]\nurl = \"inbox\"\ninterval = \"30s\"\n",
        )
        .unwrap();
        let kinds: Vec<Kind> = c.sources.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [Kind::Sitemap, Kind::Index, Kind::Folder]);
        assert_eq!(c.sources[2].url, "/base/inbox");
        assert_eq!(c.sources[2].interval, Duration::from_secs(30));
    }

    #[test]
    fn mistakes_name_the_entry_and_the_reason() {
        let err = |text: &str| parse(text).unwrap_err();
        assert!(err("[[source]]\nurl = \"https://a.example/\"\ninterval = \"soon\"\n")
            .contains("[[source]] number 1: interval \"soon\" is not a duration"));
        assert!(err("[[source]]\nurl = \"https://a.example/\"\nkind = \"index\"\n").contains("needs `links"));
        assert!(err("[[source]]\nurl = \"https://a.example/\"\nlinks = \"(\"\n").contains("not a regular expression"));
        assert!(err("[[source]]\nurl = \"https://a.example/x\"\n[[source]]\nurl = \"https://a.example/y\"\n")
            .contains("two sources are called \"a.example\""));
        assert!(
            err("[[source]]\nurl = \"https://a.example/\"\nintervall = \"5m\"\n").contains("unknown field `intervall`")
        );
        assert!(err("[[alert]]\nname = \"idlib\"\n").contains("no destination"));
        assert!(err("[[alert]]\nname = \"x\"\nstdout = true\nnear = \"35,36\"\n").contains("near:"));
        assert!(err("[http]\nper_host_concurrency = 0\n").contains("at least 1"));
        assert!(err("[[alert]]\nname = \"x\"\nemail = [\"a@b.example\"]\n").contains("needs an [smtp] section"));
        assert!(err("[smtp]\nhost = \"h\"\nfrom = \"r@h\"\n[[alert]]\nname = \"x\"\nemail = [\"nobody\"]\n")
            .contains("\"nobody\" is not an e-mail address"));
    }
}
