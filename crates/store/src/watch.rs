//! What `rasd watch` keeps in the store: each source's polling state and the alert queue.
//!
//! A source's state is saved in the same transaction as the articles its poll brought in, and
//! alerts are queued in it too, so a crash (even SIGKILL) either keeps a poll whole or loses it
//! whole: a restart polls again, stores nothing twice and queues no alert twice.

use crate::engine::{params, Row};
use crate::{query, Batch, Cluster, EventQuery, Store, StoreError};

/// The polling state of one watched source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceState {
    /// The source's name (unique in the configuration).
    pub name: String,
    /// Its URL or folder.
    pub url: String,
    /// `feed`, `index`, `sitemap` or `folder`.
    pub kind: String,
    /// The `ETag` of its last answer, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` of its last answer, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When it was last polled (RFC 3339, UTC).
    pub last_poll: Option<String>,
    /// When a poll last succeeded.
    pub last_success: Option<String>,
    /// Why the last poll failed, when it did.
    pub last_error: Option<String>,
    /// Failures since the last success.
    pub failures: u32,
    /// When it is next due (RFC 3339, UTC); `None`: now.
    pub next_due: Option<String>,
    /// Articles stored from it, in all.
    pub items: u64,
}

/// An alert to deliver: one rule, one cluster, one destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// Its row id: the delivery's idempotency key.
    pub id: i64,
    /// The rule's name.
    pub rule: String,
    /// `stdout`, `file:PATH` or `webhook:URL`.
    pub destination: String,
    /// The event cluster it is about.
    pub cluster_id: i64,
    /// The alert, JSON.
    pub payload: String,
    /// Delivery attempts so far.
    pub attempts: u32,
}

/// An alert to queue, for each of its rule's destinations.
#[derive(Clone, Copy, Debug)]
pub struct NewAlert<'a> {
    /// The rule's name.
    pub rule: &'a str,
    /// The event cluster it is about.
    pub cluster_id: i64,
    /// The event's sub-event type, place and first day, joined.
    pub fingerprint: &'a str,
    /// The highest toll a source reports.
    pub fatalities: Option<u32>,
    /// `new` or `toll`.
    pub reason: &'a str,
    /// The alert, JSON.
    pub payload: &'a str,
}

/// An alert as recorded, for `rasd watch status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRow {
    /// The alert's fields.
    pub alert: Alert,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl Store {
    /// The state of every source polled so far, by name.
    pub fn source_states(&self) -> Result<Vec<SourceState>, StoreError> {
        let rows = self.engine().query(
            "SELECT name, url, kind, etag, last_modified, last_poll, last_success, last_error, failures, next_due, items \
             FROM sources ORDER BY name",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(SourceState {
                    name: r.text(0)?,
                    url: r.text(1)?,
                    kind: r.text(2)?,
                    etag: r.opt_text(3)?,
                    last_modified: r.opt_text(4)?,
                    last_poll: r.opt_text(5)?,
                    last_success: r.opt_text(6)?,
                    last_error: r.opt_text(7)?,
                    failures: r.opt_u32(8)?.unwrap_or(0),
                    next_due: r.opt_text(9)?,
                    items: r.int(10)? as u64,
                })
            })
            .collect()
    }

    /// Articles stored from a source on a day (YYYY-MM-DD).
    pub fn source_items_on(&self, name: &str, day: &str) -> Result<u64, StoreError> {
        let row = self
            .engine()
            .query_opt("SELECT items FROM source_days WHERE source = ?1 AND day = ?2", &params![name, day])?;
        Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0) as u64)
    }

    /// Whether an article with this URL is stored.
    pub fn knows_url(&self, url: &str) -> Result<bool, StoreError> {
        self.exists("SELECT 1 FROM articles WHERE url = ?1", url)
    }

    /// The key (the hash of the folded text, `article.id`) of the article stored at this URL.
    pub fn key_at_url(&self, url: &str) -> Result<Option<String>, StoreError> {
        self.engine()
            .query_opt("SELECT key FROM articles WHERE url = ?1", &params![url])?
            .map(|r| r.text(0))
            .transpose()
    }

    /// Whether an article read from this origin (a file, `file#N`) is stored.
    pub fn knows_origin(&self, origin: &str) -> Result<bool, StoreError> {
        self.exists("SELECT 1 FROM articles WHERE origin = ?1", origin)
    }

    fn exists(&self, sql: &str, value: &str) -> Result<bool, StoreError> {
        Ok(self.engine().query_opt(sql, &params![value])?.is_some())
    }

    /// Alerts waiting for delivery whose next try is due at `now` (RFC 3339), oldest first.
    pub fn due_alerts(&self, now: &str) -> Result<Vec<Alert>, StoreError> {
        let rows = self.engine().query(
            "SELECT id, rule, destination, cluster_id, payload, attempts FROM alerts \
             WHERE status = 'pending' AND (next_try IS NULL OR next_try <= ?1) ORDER BY id",
            &params![now],
        )?;
        rows.iter().map(alert_of).collect()
    }

    /// The latest alerts recorded, newest first.
    pub fn recent_alerts(&self, limit: usize) -> Result<Vec<AlertRow>, StoreError> {
        let rows = self.engine().query(
            "SELECT id, rule, destination, cluster_id, payload, attempts, status, last_error FROM alerts \
             ORDER BY id DESC LIMIT ?1",
            &params![limit.min(i64::MAX as usize) as i64],
        )?;
        rows.iter()
            .map(|r| Ok(AlertRow { alert: alert_of(r)?, status: r.text(6)?, last_error: r.opt_text(7)? }))
            .collect()
    }

    /// Records an attempt to deliver an alert: sent (`error` is `None`), to be tried again at
    /// `retry_at`, or failed for good (no `retry_at`).
    pub fn record_delivery(
        &self,
        id: i64,
        now: &str,
        error: Option<&str>,
        retry_at: Option<&str>,
    ) -> Result<(), StoreError> {
        let status = match (error, retry_at) {
            (None, _) => "sent",
            (Some(_), Some(_)) => "pending",
            (Some(_), None) => "failed",
        };
        self.engine().execute(
            "UPDATE alerts SET attempts = attempts + 1, status = ?2, last_error = ?3, next_try = ?4, \
             sent = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent END WHERE id = ?1",
            &params![id, status, error, retry_at, now],
        )?;
        Ok(())
    }

    /// Replaces the recorded alert rules (name, rule as JSON) with these.
    pub fn save_alert_rules(&mut self, rules: &[(String, String)]) -> Result<(), StoreError> {
        let mut batch = self.batch()?;
        batch.db().execute("DELETE FROM alert_rules", &[])?;
        for (name, rule) in rules {
            batch.db().execute("INSERT INTO alert_rules (name, rule) VALUES (?1, ?2)", &params![name, rule])?;
        }
        batch.commit()
    }

    /// The alert rules of the last `rasd watch` (name, rule as JSON), by name.
    pub fn alert_rules(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = self.engine().query("SELECT name, rule FROM alert_rules ORDER BY name", &[])?;
        rows.iter().map(|r| Ok((r.text(0)?, r.text(1)?))).collect()
    }
}

fn alert_of(r: &Row) -> Result<Alert, StoreError> {
    Ok(Alert {
        id: r.int(0)?,
        rule: r.text(1)?,
        destination: r.text(2)?,
        cluster_id: r.int(3)?,
        payload: r.text(4)?,
        attempts: r.opt_u32(5)?.unwrap_or(0),
    })
}

impl Batch<'_> {
    /// Saves a source's state, and counts `new_items` stored from it on `day`.
    pub fn save_source(&mut self, state: &SourceState, day: &str, new_items: u64) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO sources (name, url, kind, etag, last_modified, last_poll, last_success, \
             last_error, failures, next_due, items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
             ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind, etag = excluded.etag, \
             last_modified = excluded.last_modified, last_poll = excluded.last_poll, last_success = excluded.last_success, \
             last_error = excluded.last_error, failures = excluded.failures, next_due = excluded.next_due, items = excluded.items",
            &params![
                &state.name,
                &state.url,
                &state.kind,
                state.etag.as_deref(),
                state.last_modified.as_deref(),
                state.last_poll.as_deref(),
                state.last_success.as_deref(),
                state.last_error.as_deref(),
                state.failures,
                state.next_due.as_deref(),
                state.items as i64
            ],
        )?;
        if new_items > 0 {
            self.db().execute(
                "INSERT INTO source_days (source, day, items) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (source, day) DO UPDATE SET items = source_days.items + excluded.items",
                &params![&state.name, day, new_items as i64],
            )?;
        }
        Ok(())
    }

    /// The clusters an article's events belong to.
    pub fn clusters_of_article(&mut self, article_id: i64) -> Result<Vec<i64>, StoreError> {
        let rows = self.db().query(
            "SELECT DISTINCT cluster_id FROM events WHERE article_id = ?1 ORDER BY cluster_id",
            &params![article_id],
        )?;
        rows.iter().map(|r| r.int(0)).collect()
    }

    /// The URL of a stored article, when it has one.
    pub fn article_url(&mut self, article_id: i64) -> Result<Option<String>, StoreError> {
        let row = self.db().query_opt("SELECT url FROM articles WHERE id = ?1", &params![article_id])?;
        Ok(row.map(|r| r.opt_text(0)).transpose()?.flatten())
    }

    /// The clusters matching a query, as the batch has them so far (its own articles included).
    pub fn matching(&mut self, query: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
        self.flush()?;
        query::clusters(self.db(), query)
    }

    /// The highest toll an alert of this rule was queued with for a cluster, or for an event
    /// with the same fingerprint (its reports may sit in another cluster: an article updated
    /// since, reports that did not cluster together): `None` when the rule never alerted on it,
    /// `Some(None)` when it did without a toll.
    pub fn alerted_toll(
        &mut self,
        rule: &str,
        cluster_id: i64,
        fingerprint: &str,
    ) -> Result<Option<Option<u32>>, StoreError> {
        let row = self.db().query_one(
            "SELECT max(fatalities), count(*) FROM alerts WHERE rule = ?1 AND (cluster_id = ?2 OR fingerprint = ?3)",
            &params![rule, cluster_id, fingerprint],
        )?;
        Ok((row.int(1)? > 0).then_some(row.opt_u32(0)?))
    }

    /// Queues an alert for delivery once the batch is committed.
    pub fn queue_alert(&mut self, alert: &NewAlert<'_>, destination: &str, now: &str) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT INTO alerts (rule, destination, cluster_id, fingerprint, fatalities, reason, payload, created, \
             status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            &params![
                alert.rule,
                destination,
                alert.cluster_id,
                alert.fingerprint,
                alert.fatalities,
                alert.reason,
                alert.payload,
                now
            ],
        )?;
        Ok(())
    }
}
