//! HTTP as a good citizen: conditional GET, compressed bodies, timeouts, bounded redirects and
//! sizes, robots.txt, and a per-host limit on requests in flight and on their pace.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use tokio::sync::Semaphore;
use url::Url;

use crate::config::Http;

/// The validators of a previous answer, sent back so an unchanged resource costs a 304.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A successful answer.
#[derive(Clone, Debug)]
pub enum Fetched {
    /// 304: nothing changed since the validators sent.
    NotModified,
    /// A body.
    Body(Body),
}

/// A body read in full, within the size limit.
#[derive(Clone, Debug)]
pub struct Body {
    /// The URL after redirects.
    pub url: Url,
    /// The bytes (decompressed).
    pub bytes: Vec<u8>,
    /// The charset the `Content-Type` header declares.
    pub charset: Option<String>,
    /// The validators to send next time.
    pub validators: Validators,
}

/// Why a fetch failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// An HTTP error status.
    #[error("HTTP {status}{}", retry_after.map(|d| format!(" (Retry-After {} s)", d.as_secs())).unwrap_or_default())]
    Status {
        /// The status code.
        status: u16,
        /// How long the server asked us to wait (429, 503).
        retry_after: Option<Duration>,
    },
    /// No answer in time.
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// More redirects than allowed, or a loop.
    #[error("too many redirects (a loop, or more than {0})")]
    Redirects(usize),
    /// The body is larger than allowed.
    #[error("the answer is larger than the limit of {0} bytes")]
    TooLarge(u64),
    /// robots.txt disallows the URL for our user agent.
    #[error("robots.txt of the host disallows it")]
    Disallowed,
    /// Anything else: DNS, connection refused, TLS, a broken body.
    #[error("{0}")]
    Network(String),
}

impl FetchError {
    /// How long the server asked to wait before the next try.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// How long a host's robots.txt is trusted before it is read again (a `rasd watch` may run for
/// months); one that could not be read is tried again after [`ROBOTS_RETRY`].
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// When an unreadable robots.txt is tried again.
const ROBOTS_RETRY: Duration = Duration::from_secs(5 * 60);

/// A host's share of the fetcher: requests in flight, when the next may start, and its
/// robots.txt with the time it was read.
struct Host {
    permits: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
    robots: tokio::sync::Mutex<Option<(Instant, Arc<Robots>)>>,
}

/// A host's robots.txt, as read once per run.
enum Robots {
    /// Rules for our user agent.
    Rules(Box<texting_robots::Robot>),
    /// No robots.txt (4xx): everything is allowed.
    AllowAll,
    /// robots.txt could not be read (5xx, network), for this reason: nothing is fetched from
    /// the host this run.
    Unreachable(String),
}

/// Fetches over HTTP; shared by every source of a cycle.
pub struct Fetcher {
    client: reqwest::Client,
    http: Http,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(http: &Http) -> Result<Fetcher, String> {
        let client = reqwest::Client::builder()
            .user_agent(http.user_agent.clone())
            .timeout(http.timeout)
            .connect_timeout(http.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::limited(http.max_redirects))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Fetcher { client, http: http.clone(), hosts: Mutex::new(HashMap::new()) })
    }

    /// Articles fetched from one index page or sitemap per poll at most.
    pub fn max_pages(&self) -> usize {
        self.http.max_pages
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = format!("{}://{}", url.scheme(), url.authority());
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Semaphore::new(self.http.per_host_concurrency),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                    robots: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// GETs a URL, with the validators of the previous answer, when robots.txt allows it.
    pub async fn get(&self, url: &Url, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        let host = self.host(url);
        let robots = self.robots_of(url, &host).await;
        let delay = match &*robots {
            Robots::Unreachable(why) => {
                return Err(FetchError::Network(format!("robots.txt of the host could not be read: {why}")))
            }
            Robots::Rules(robot) if !robot.allowed(url.as_str()) => return Err(FetchError::Disallowed),
            Robots::Rules(robot) => robot
                .delay
                .map(|s| Duration::from_secs_f32(s.clamp(0.0, 60.0)))
                .unwrap_or_default()
                .max(self.http.per_host_delay),
            Robots::AllowAll => self.http.per_host_delay,
        };
        self.paced(&host, delay, url, validators).await
    }

    /// One request, once the host has a free slot and its pause since the last start is over.
    async fn paced(
        &self,
        host: &Host,
        delay: Duration,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        let _permit = host.permits.acquire().await.map_err(|e| FetchError::Network(e.to_string()))?;
        {
            let mut next = host.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep(*next - now).await;
            }
            *next = Instant::now() + delay;
        }
        self.request(url, validators).await
    }

    async fn request(&self, url: &Url, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        let mut headers = HeaderMap::new();
        if let Some(v) = validators {
            let mut put = |name, value: &Option<String>| {
                if let Some(value) = value.as_deref().and_then(|s| HeaderValue::from_str(s).ok()) {
                    headers.insert(name, value);
                }
            };
            put(header::IF_NONE_MATCH, &v.etag);
            put(header::IF_MODIFIED_SINCE, &v.last_modified);
        }
        let response = self.client.get(url.clone()).headers(headers).send().await.map_err(|e| self.error(e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after = response.headers().get(header::RETRY_AFTER).and_then(retry_after);
            return Err(FetchError::Status { status: status.as_u16(), retry_after });
        }
        let limit = self.http.max_bytes;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge(limit));
        }
        let final_url = response.url().clone();
        let text = |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
        let validators = Validators { etag: text(header::ETAG), last_modified: text(header::LAST_MODIFIED) };
        let charset = text(header::CONTENT_TYPE).and_then(|t| rasd_ingest::content_type_charset(&t));
        let mut response = response;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.error(e))? {
            if bytes.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::TooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body(Body { url: final_url, bytes, charset, validators }))
    }

    /// The host's robots.txt: as read before while fresh, else read now (one request at a time
    /// per host waits for it).
    async fn robots_of(&self, url: &Url, host: &Host) -> Arc<Robots> {
        let mut cached = host.robots.lock().await;
        if let Some((read, robots)) = &*cached {
            let ttl = if matches!(**robots, Robots::Unreachable(_)) { ROBOTS_RETRY } else { ROBOTS_TTL };
            if read.elapsed() < ttl {
                return robots.clone();
            }
        }
        let robots = Arc::new(self.robots(url, host).await);
        *cached = Some((Instant::now(), robots.clone()));
        robots
    }

    async fn robots(&self, url: &Url, host: &Host) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else { return Robots::AllowAll };
        match self.paced(host, self.http.per_host_delay, &robots_url, None).await {
            Ok(Fetched::Body(body)) => match texting_robots::Robot::new(&self.http.user_agent, &body.bytes) {
                Ok(robot) => Robots::Rules(Box::new(robot)),
                Err(_) => Robots::AllowAll,
            },
            Ok(Fetched::NotModified) => Robots::AllowAll,
            Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => Robots::AllowAll,
            Err(FetchError::TooLarge(_)) => Robots::AllowAll,
            Err(e) => Robots::Unreachable(e.to_string()),
        }
    }

    fn error(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.http.timeout.as_secs())
        } else if e.is_redirect() {
            FetchError::Redirects(self.http.max_redirects)
        } else {
            // The innermost cause says what happened (connection refused, certificate …).
            let mut source: &dyn std::error::Error = &e;
            while let Some(inner) = source.source() {
                source = inner;
            }
            FetchError::Network(format!("{e}: {source}"))
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date, capped at a day.
fn retry_after(value: &HeaderValue) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    let wait = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(text).ok()?.duration_since(SystemTime::now()).unwrap_or_default(),
    };
    Some(wait.min(Duration::from_secs(24 * 3600)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(&HeaderValue::from_static("120")), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(&HeaderValue::from_static("999999")), Some(Duration::from_secs(24 * 3600)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600));
        let wait = retry_after(&HeaderValue::from_str(&later).unwrap()).unwrap();
        assert!((590..=600).contains(&wait.as_secs()), "{wait:?}");
        assert_eq!(retry_after(&HeaderValue::from_static("soon")), None);
    }
}
