//! Alerts: which clusters a poll made new or raised the toll of match a rule, what the alert
//! says, and its delivery to standard output, a file or a signed webhook.
//!
//! An alert is queued in the store in the transaction that stores the articles behind it (one
//! per rule, cluster and destination, and again only when the highest reported toll rises), then
//! delivered; the store records each attempt. A crash between delivery and its record makes the
//! next run deliver it again with the same `X-Rasd-Delivery` id, which a receiver can use to
//! drop the repeat.

use std::io::Write;
use std::time::Duration;

use hmac::{Hmac, Mac};
use rasd_store::{Alert, Batch, Cluster, EventQuery, NewAlert, StoreError};
use serde_json::json;
use sha2::Sha256;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{AlertRule, Security, Smtp};

/// Delivery attempts of one alert at most, across runs, before it is recorded as failed.
pub const MAX_ATTEMPTS: u32 = 8;
/// Tries of a webhook within one delivery attempt, and the pause before each retry.
const WEBHOOK_RETRIES: [Duration; 2] = [Duration::from_millis(500), Duration::from_secs(2)];

/// A rule with its query, as `rasd events` would read its filters.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The rule as configured.
    pub config: AlertRule,
    /// Its filters (types, admin1 and actors already resolved against the knowledge).
    pub query: EventQuery,
}

/// A rule's filters as a query, before resolution.
pub fn query_of(rule: &AlertRule) -> Result<EventQuery, String> {
    Ok(EventQuery {
        event_type: rule.event_type.clone(),
        sub_event_type: rule.sub_event_type.clone(),
        admin1: rule.admin1.clone(),
        near: rule.near.as_deref().map(rasd_store::parse_near).transpose()?,
        actor: rule.actor.clone(),
        text: rule.text.clone(),
        status: rule.status.clone(),
        min_confidence: rule.min_confidence,
        ..EventQuery::default()
    })
}

/// The highest toll any source of a cluster reports.
fn highest_toll(cluster: &Cluster) -> Option<u32> {
    cluster.reports.iter().filter_map(|r| r.fatalities).max()
}

/// Queues the alerts that `clusters` (touched by this batch) raise: a cluster a rule never
/// alerted on, or one whose highest reported toll rose since. Returns how many were queued.
pub fn queue(
    batch: &mut Batch<'_>,
    rules: &[Rule],
    clusters: &[i64],
    now: &str,
    serve_url: &str,
) -> Result<usize, StoreError> {
    if clusters.is_empty() {
        return Ok(0);
    }
    let mut queued = 0;
    for rule in rules {
        let query = EventQuery { clusters: Some(clusters.to_vec()), ..rule.query.clone() };
        for cluster in batch.matching(&query)? {
            let toll = highest_toll(&cluster);
            if rule.config.min_fatalities.is_some_and(|min| toll.unwrap_or(0) < min) {
                continue;
            }
            let fingerprint = fingerprint(&cluster);
            let reason = match batch.alerted_toll(&rule.config.name, cluster.id, &fingerprint)? {
                None => "new",
                Some(before) if toll.unwrap_or(0) > before.unwrap_or(0) => "toll",
                Some(_) => continue,
            };
            let urls =
                cluster.reports.iter().map(|r| batch.article_url(r.article_id)).collect::<Result<Vec<_>, _>>()?;
            let payload = payload(&rule.config.name, reason, &cluster, &urls, serve_url).to_string();
            let alert = NewAlert {
                rule: &rule.config.name,
                cluster_id: cluster.id,
                fingerprint: &fingerprint,
                fatalities: toll,
                reason,
                payload: &payload,
            };
            for destination in rule.config.destinations() {
                batch.queue_alert(&alert, &destination, now)?;
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// What makes two clusters one event for alerting: sub-event type, place and first day.
fn fingerprint(cluster: &Cluster) -> String {
    let event = cluster.event();
    let place = event.location.as_ref().map_or("", |l| l.name.as_str());
    format!("{}|{place}|{}", event.sub_event_type, event.date.start)
}

/// What an alert says: the event in a line, its fields, its sources (with the URL of each
/// report, `urls` in the order of the cluster's reports) and its link in `rasd serve`.
pub fn payload(
    rule: &str,
    reason: &str,
    cluster: &Cluster,
    urls: &[Option<String>],
    serve_url: &str,
) -> serde_json::Value {
    let event = cluster.event();
    let place = event.location.as_ref();
    let where_ = place.map(|l| match &l.admin1 {
        Some(admin1) if admin1 != &l.name => format!("{}, {admin1}", l.name),
        _ => l.name.clone(),
    });
    let date = if event.date.start == event.date.end {
        event.date.start.clone()
    } else {
        format!("{}/{}", event.date.start, event.date.end)
    };
    let toll = highest_toll(cluster);
    let mut summary =
        format!("{} in {} on {date}", event.sub_event_type, where_.as_deref().unwrap_or("an unknown place"));
    if let Some(n) = toll {
        summary.push_str(&format!(": {n} killed"));
    }
    if reason == "toll" {
        summary.push_str(" (toll rose)");
    }
    json!({
        "rule": rule,
        "reason": reason,
        "summary": summary,
        "cluster_id": cluster.id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "status": event.status,
        "date": {"start": event.date.start, "end": event.date.end, "precision": event.date.precision},
        "place": place.map(|l| json!({"name": l.name, "admin1": l.admin1, "country": l.country, "lat": l.lat, "lon": l.lon})),
        "actor1": event.actor1.as_ref().map(|a| &a.name),
        "actor2": event.actor2.as_ref().map(|a| &a.name),
        "fatalities": cluster.fatalities(),
        "highest_reported_fatalities": toll,
        "confidence": (f64::from(event.confidence) * 100.0).round() / 100.0,
        "sources": cluster
            .reports
            .iter()
            .zip(urls.iter().chain(std::iter::repeat(&None)))
            .map(|(r, url)| json!({"outlet": r.outlet, "published": r.published, "url": url, "article_id": r.article_id}))
            .collect::<Vec<_>>(),
        "link": format!("{serve_url}/#event={}", cluster.id),
    })
}

/// Delivers alerts to their destinations.
pub struct Deliverer {
    client: reqwest::Client,
    mailer: Option<Mailer>,
}

/// The SMTP connection e-mail alerts go through, and their sender.
struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Deliverer {
    /// A deliverer whose webhook requests identify themselves with `user_agent`, and that sends
    /// e-mail through `smtp` when given (its credentials read from the environment now).
    pub fn new(user_agent: &str, timeout: Duration, smtp: Option<&Smtp>) -> Result<Deliverer, String> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        let mailer = smtp.map(|smtp| mailer(smtp, timeout)).transpose()?;
        Ok(Deliverer { client, mailer })
    }

    /// Delivers one alert; `Err` says why it failed and whether trying again may help.
    pub async fn deliver(&self, alert: &Alert, rule: &AlertRule) -> Result<(), (String, bool)> {
        let destination = alert.destination.as_str();
        if destination == "stdout" {
            let mut out = std::io::stdout().lock();
            return writeln!(out, "{}", alert.payload).and_then(|_| out.flush()).map_err(|e| (e.to_string(), true));
        }
        if let Some(path) = destination.strip_prefix("file:") {
            let line = format!("{}\n", alert.payload);
            return std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(line.as_bytes()))
                .map_err(|e| (format!("{path}: {e}"), true));
        }
        if let Some(address) = destination.strip_prefix("email:") {
            return self.email(address, alert).await;
        }
        if let Some(url) = destination.strip_prefix("webhook:") {
            let secret =
                match &rule.secret_env {
                    Some(var) => Some(std::env::var(var).map_err(|_| {
                        (format!("the environment variable {var} (the webhook's key) is not set"), false)
                    })?),
                    None => None,
                };
            return self.post(url, alert, secret.as_deref()).await;
        }
        Err((format!("unknown destination {destination:?}"), false))
    }

    async fn post(&self, url: &str, alert: &Alert, secret: Option<&str>) -> Result<(), (String, bool)> {
        let mut last = (String::new(), true);
        for pause in std::iter::once(Duration::ZERO).chain(WEBHOOK_RETRIES) {
            tokio::time::sleep(pause).await;
            let mut request = self
                .client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("X-Rasd-Delivery", alert.id.to_string())
                .body(alert.payload.clone());
            if let Some(key) = secret {
                request = request.header("X-Rasd-Signature", signature(key, alert.payload.as_bytes()));
            }
            match request.send().await {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) => {
                    let status = r.status();
                    let retry = status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408;
                    last = (format!("webhook answered HTTP {}", status.as_u16()), retry);
                    if !retry {
                        break;
                    }
                }
                Err(e) => last = (format!("webhook: {e}"), true),
            }
        }
        Err(last)
    }
}

impl Deliverer {
    async fn email(&self, address: &str, alert: &Alert) -> Result<(), (String, bool)> {
        let mailer = self.mailer.as_ref().ok_or_else(|| ("no [smtp] server is configured".to_string(), false))?;
        let to = address.parse().map_err(|e| (format!("{address:?}: {e}"), false))?;
        let payload: serde_json::Value = serde_json::from_str(&alert.payload).unwrap_or_default();
        let summary = payload["summary"].as_str().unwrap_or("a new event");
        let body = format!(
            "{summary}\n\n{}\n\nRule: {}\nSources: {}\n\n{}\n",
            payload["link"].as_str().unwrap_or_default(),
            alert.rule,
            payload["sources"].as_array().map_or(0, Vec::len),
            serde_json::to_string_pretty(&payload).unwrap_or_default()
        );
        let message = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(format!("rasd alert ({}): {summary}", alert.rule))
            .message_id(Some(format!("<rasd-alert-{}@{}>", alert.id, mailer.from.email.domain())))
            .body(body)
            .map_err(|e| (format!("cannot build the e-mail: {e}"), false))?;
        mailer.transport.send(message).await.map(|_| ()).map_err(|e| {
            let permanent = e.is_permanent();
            (format!("SMTP: {e}"), !permanent)
        })
    }
}

/// The SMTP transport of a configuration.
fn mailer(smtp: &Smtp, timeout: Duration) -> Result<Mailer, String> {
    let from = smtp.from.parse().map_err(|e| format!("[smtp] from {:?}: {e}", smtp.from))?;
    let setup = |e: lettre::transport::smtp::Error| format!("[smtp] {}: {e}", smtp.host);
    let (builder, port) = match smtp.security {
        Security::Starttls => (AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(setup)?, 587),
        Security::Tls => (AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(setup)?, 465),
        Security::None => (AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host), 25),
    };
    let mut builder = builder.port(smtp.port.unwrap_or(port)).timeout(Some(timeout));
    let env = |var: &Option<String>| -> Result<Option<String>, String> {
        var.as_ref()
            .map(|v| std::env::var(v).map_err(|_| format!("[smtp]: the environment variable {v} is not set")))
            .transpose()
    };
    if let (Some(user), Some(password)) = (env(&smtp.username_env)?, env(&smtp.password_env)?) {
        builder = builder.credentials(Credentials::new(user, password));
    }
    Ok(Mailer { transport: builder.build(), from })
}

/// `sha256=HEX`: the HMAC-SHA256 of the body under the key, as the `X-Rasd-Signature` header.
pub fn signature(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_rule_becomes_the_query_of_rasd_events() {
        let rule = AlertRule {
            name: "idlib".into(),
            admin1: Some("Idlib".into()),
            near: Some("35.93,36.63,25".into()),
            min_confidence: Some(0.5),
            stdout: true,
            ..AlertRule::default()
        };
        let q = query_of(&rule).unwrap();
        assert_eq!(q.admin1.as_deref(), Some("Idlib"));
        assert_eq!(q.near, Some((35.93, 36.63, 25.0)));
        assert_eq!(q.min_confidence, Some(0.5));
    }
}
