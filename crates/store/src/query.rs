//! Queries: event clusters by date, type, place, actor, status and text.

use rasd_record::Event;
use rusqlite::{params_from_iter, types::Value, Connection, OptionalExtension};

use crate::cluster::haversine_km;
use crate::StoreError;

/// What `rasd events` asks for; every field narrows the answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventQuery {
    /// Events whose window ends on or after this ISO date.
    pub since: Option<String>,
    /// Events whose window starts on or before this ISO date.
    pub until: Option<String>,
    /// ACLED event type.
    pub event_type: Option<String>,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// First-level unit (Rif Dimashq, Homs …).
    pub admin1: Option<String>,
    /// Within `km` of (`lat`, `lon`).
    pub near: Option<(f64, f64, f64)>,
    /// An actor name (actor1 or actor2), any part of it, case-insensitive.
    pub actor: Option<String>,
    /// occurred, future, denied, negated.
    pub status: Option<String>,
    /// Words that must all appear (Arabic folded: diacritics, hamza and ta-marbuta ignored).
    pub text: Option<String>,
    /// At most this many clusters.
    pub limit: Option<usize>,
}

/// One source's report of a clustered event.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceReport {
    /// The event's row id.
    pub event_id: i64,
    /// The article it was read from.
    pub article_id: i64,
    /// The article's outlet.
    pub outlet: Option<String>,
    /// The article's publication date.
    pub published: Option<String>,
    /// The fatalities this source reports.
    pub fatalities: Option<u32>,
    /// The event as read from this source.
    pub event: Event,
}

/// One event as reported by one or more sources.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The cluster's id: the row id of its first event.
    pub id: i64,
    /// Every report, first stored first.
    pub reports: Vec<SourceReport>,
}

impl Cluster {
    /// The first report's reading of the event.
    pub fn event(&self) -> &Event {
        &self.reports[0].event
    }

    /// The cluster's best estimate of fatalities: the lowest figure any source gives (ACLED's
    /// conservative convention); `None` when no source gives one.
    pub fn fatalities(&self) -> Option<u32> {
        self.reports.iter().filter_map(|r| r.fatalities).min()
    }

    /// The outlets that reported it, in order, without repeats.
    pub fn outlets(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in self.reports.iter().filter_map(|r| r.outlet.clone()) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// A WHERE clause under construction: each `?` of a condition becomes a numbered parameter.
struct Conditions {
    sql: String,
    args: Vec<Value>,
}

impl Conditions {
    fn and(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        self.sql.push_str(" AND ");
        let mut values = values.into_iter();
        for (i, part) in clause.split('?').enumerate() {
            if i > 0 {
                self.args.push(values.next().unwrap_or(Value::Null));
                self.sql.push_str(&format!("?{}", self.args.len()));
            }
            self.sql.push_str(part);
        }
    }
}

pub(crate) fn clusters(conn: &Connection, q: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
    let mut c = Conditions {
        sql: String::from("SELECT e.cluster_id, e.lat, e.lon FROM events e WHERE 1 = 1"),
        args: Vec::new(),
    };
    let text = |s: &String| Value::Text(s.clone());
    if let Some(d) = &q.since {
        c.and("e.date_end >= ?", [text(d)]);
    }
    if let Some(d) = &q.until {
        c.and("e.date_start <= ?", [text(d)]);
    }
    if let Some(t) = &q.event_type {
        c.and("lower(e.event_type) = lower(?)", [text(t)]);
    }
    if let Some(t) = &q.sub_event_type {
        c.and("lower(e.sub_event_type) = lower(?)", [text(t)]);
    }
    if let Some(a) = &q.admin1 {
        c.and("lower(e.admin1) = lower(?)", [text(a)]);
    }
    if let Some(s) = &q.status {
        c.and("e.status = ?", [text(s)]);
    }
    if let Some(a) = &q.actor {
        let like = Value::Text(format!("%{}%", a.to_lowercase()));
        c.and("(lower(e.actor1) LIKE ? OR lower(e.actor2) LIKE ?)", [like.clone(), like]);
    }
    if let Some((lat, lon, km)) = q.near {
        let dlat = km / 111.0;
        let dlon = km / (111.0 * lat.to_radians().cos().abs().max(0.01));
        c.and("e.lat BETWEEN ? AND ?", [Value::Real(lat - dlat), Value::Real(lat + dlat)]);
        c.and("e.lon BETWEEN ? AND ?", [Value::Real(lon - dlon), Value::Real(lon + dlon)]);
    }
    if let Some(words) = &q.text {
        let words: Vec<String> = rasd_text::fold::fold_str(words)
            .split_whitespace()
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .collect();
        if !words.is_empty() {
            c.and("e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", [Value::Text(words.join(" "))]);
        }
    }
    let Conditions { mut sql, args } = c;
    sql.push_str(" ORDER BY e.date_start, e.cluster_id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<f64>>(1)?, r.get::<_, Option<f64>>(2)?))
    })?;
    let mut ids: Vec<i64> = Vec::new();
    for row in rows {
        let (cluster, lat, lon) = row?;
        if let Some((qlat, qlon, km)) = q.near {
            let inside = lat.zip(lon).is_some_and(|p| haversine_km(p, (qlat, qlon)) <= km);
            if !inside {
                continue;
            }
        }
        if !ids.contains(&cluster) {
            ids.push(cluster);
        }
        if q.limit.is_some_and(|l| ids.len() >= l) {
            break;
        }
    }
    ids.into_iter().filter_map(|id| load(conn, id).transpose()).collect()
}

pub(crate) fn cluster(conn: &Connection, event_id: i64) -> Result<Option<Cluster>, StoreError> {
    let cluster: Option<i64> =
        conn.query_row("SELECT cluster_id FROM events WHERE id = ?1", [event_id], |r| r.get(0)).optional()?;
    match cluster {
        Some(c) => load(conn, c),
        None => Ok(None),
    }
}

fn load(conn: &Connection, cluster: i64) -> Result<Option<Cluster>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.article_id, a.outlet, a.published, e.fatalities, e.event FROM events e \
         JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([cluster], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<u32>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut reports = Vec::new();
    for row in rows {
        let (event_id, article_id, outlet, published, fatalities, json) = row?;
        reports.push(SourceReport {
            event_id,
            article_id,
            outlet,
            published,
            fatalities,
            event: serde_json::from_str(&json)?,
        });
    }
    Ok((!reports.is_empty()).then_some(Cluster { id: cluster, reports }))
}
