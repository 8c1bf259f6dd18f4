//! What `rasd watch` keeps in the store: each source's polling state and the alert queue.
//!
//! A source's state is saved in the same transaction as the articles its poll brought in, and
//! alerts are queued in it too, so a crash (even SIGKILL) either keeps a poll whole or loses it
//! whole: a restart polls again, stores nothing twice and queues no alert twice.

use rusqlite::{params, OptionalExtension};

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
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, url, kind, etag, last_modified, last_poll, last_success, last_error, failures, next_due, items \
             FROM sources ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SourceState {
                name: r.get(0)?,
                url: r.get(1)?,
                kind: r.get(2)?,
                etag: r.get(3)?,
                last_modified: r.get(4)?,
                last_poll: r.get(5)?,
                last_success: r.get(6)?,
                last_error: r.get(7)?,
                failures: r.get(8)?,
                next_due: r.get(9)?,
                items: r.get::<_, i64>(10)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Articles stored from a source on a day (YYYY-MM-DD).
    pub fn source_items_on(&self, name: &str, day: &str) -> Result<u64, StoreError> {
        let n: Option<i64> = self
            .conn
            .prepare_cached("SELECT items FROM source_days WHERE source = ?1 AND day = ?2")?
            .query_row([name, day], |r| r.get(0))
            .optional()?;
        Ok(n.unwrap_or(0) as u64)
    }

    /// Whether an article with this URL is stored.
    pub fn knows_url(&self, url: &str) -> Result<bool, StoreError> {
        self.exists("SELECT 1 FROM articles WHERE url = ?1", url)
    }

    /// The key (the hash of the folded text, `article.id`) of the article stored at this URL.
    pub fn key_at_url(&self, url: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT key FROM articles WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?)
    }

    /// Whether an article read from this origin (a file, `file#N`) is stored.
    pub fn knows_origin(&self, origin: &str) -> Result<bool, StoreError> {
        self.exists("SELECT 1 FROM articles WHERE origin = ?1", origin)
    }

    fn exists(&self, sql: &str, value: &str) -> Result<bool, StoreError> {
        Ok(self.conn.prepare_cached(sql)?.query_row([value], |_| Ok(())).optional()?.is_some())
    }

    /// Alerts waiting for delivery whose next try is due at `now` (RFC 3339), oldest first.
    pub fn due_alerts(&self, now: &str) -> Result<Vec<Alert>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, rule, destination, cluster_id, payload, attempts FROM alerts \
             WHERE status = 'pending' AND (next_try IS NULL OR next_try <= ?1) ORDER BY id",
        )?;
        let rows = stmt.query_map([now], alert_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest alerts recorded, newest first.
    pub fn recent_alerts(&self, limit: usize) -> Result<Vec<AlertRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, rule, destination, cluster_id, payload, attempts, status, last_error FROM alerts \
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AlertRow { alert: alert_of(r)?, status: r.get(6)?, last_error: r.get(7)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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
        self.conn
            .prepare_cached(
                "UPDATE alerts SET attempts = attempts + 1, status = ?2, last_error = ?3, next_try = ?4, \
                 sent = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent END WHERE id = ?1",
            )?
            .execute(params![id, status, error, retry_at, now])?;
        Ok(())
    }
}

impl Store {
    /// Replaces the recorded alert rules (name, rule as JSON) with these.
    pub fn save_alert_rules(&mut self, rules: &[(String, String)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM alert_rules", [])?;
        for (name, rule) in rules {
            tx.execute("INSERT INTO alert_rules (name, rule) VALUES (?1, ?2)", params![name, rule])?;
        }
        Ok(tx.commit()?)
    }

    /// The alert rules of the last `rasd watch` (name, rule as JSON), by name.
    pub fn alert_rules(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT name, rule FROM alert_rules ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn alert_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Alert> {
    Ok(Alert {
        id: r.get(0)?,
        rule: r.get(1)?,
        destination: r.get(2)?,
        cluster_id: r.get(3)?,
        payload: r.get(4)?,
        attempts: r.get(5)?,
    })
}

impl Batch<'_> {
    /// Saves a source's state, and counts `new_items` stored from it on `day`.
    pub fn save_source(&mut self, state: &SourceState, day: &str, new_items: u64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO sources (name, url, kind, etag, last_modified, last_poll, last_success, \
                 last_error, failures, next_due, items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                state.name,
                state.url,
                state.kind,
                state.etag,
                state.last_modified,
                state.last_poll,
                state.last_success,
                state.last_error,
                state.failures,
                state.next_due,
                state.items as i64
            ])?;
        if new_items > 0 {
            self.tx
                .prepare_cached(
                    "INSERT INTO source_days (source, day, items) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (source, day) DO UPDATE SET items = items + excluded.items",
                )?
                .execute(params![state.name, day, new_items as i64])?;
        }
        Ok(())
    }

    /// The clusters an article's events belong to.
    pub fn clusters_of_article(&self, article_id: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT DISTINCT cluster_id FROM events WHERE article_id = ?1")?;
        let rows = stmt.query_map([article_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The URL of a stored article, when it has one.
    pub fn article_url(&self, article_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT url FROM articles WHERE id = ?1")?
            .query_row([article_id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// The clusters matching a query, as the batch has them so far (its own articles included).
    pub fn matching(&mut self, query: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
        self.flush_search()?;
        query::clusters(&self.tx, query)
    }

    /// The highest toll an alert of this rule was queued with for a cluster, or for an event
    /// with the same fingerprint (its reports may sit in another cluster: an article updated
    /// since, reports that did not cluster together): `None` when the rule never alerted on it,
    /// `Some(None)` when it did without a toll.
    pub fn alerted_toll(
        &self,
        rule: &str,
        cluster_id: i64,
        fingerprint: &str,
    ) -> Result<Option<Option<u32>>, StoreError> {
        let sql =
            "SELECT max(fatalities), count(*) FROM alerts WHERE rule = ?1 AND (cluster_id = ?2 OR fingerprint = ?3)";
        Ok(self
            .tx
            .prepare_cached(sql)?
            .query_row(params![rule, cluster_id, fingerprint], |r| {
                Ok((r.get::<_, Option<u32>>(0)?, r.get::<_, i64>(1)?))
            })
            .map(|(toll, n)| (n > 0).then_some(toll))?)
    }

    /// Queues an alert for delivery once the batch is committed.
    pub fn queue_alert(&mut self, alert: &NewAlert<'_>, destination: &str, now: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO alerts (rule, destination, cluster_id, fingerprint, fatalities, reason, payload, created, \
                 status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            )?
            .execute(params![
                alert.rule,
                destination,
                alert.cluster_id,
                alert.fingerprint,
                alert.fatalities,
                alert.reason,
                alert.payload,
                now
            ])?;
        Ok(())
    }
}
