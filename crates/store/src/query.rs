//! Queries: event clusters by date, type, place, actor, status and text.

use rasd_record::Event;
use rusqlite::{params_from_iter, types::Value, Connection, OptionalExtension};

use crate::cluster::haversine_km;
use crate::StoreError;

/// What `rasd events` and `GET /api/events` ask for; every field narrows the answer.
///
/// Filters apply to each cluster's reading (its first report: the row an export shows), except
/// `text`, which finds a cluster by the words of any of its reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventQuery {
    /// Events whose window ends on or after this ISO date.
    pub since: Option<String>,
    /// Events whose window starts on or before this ISO date.
    pub until: Option<String>,
    /// ACLED event type (case-insensitive).
    pub event_type: Option<String>,
    /// ACLED sub-event type (case-insensitive).
    pub sub_event_type: Option<String>,
    /// First-level unit (Rif Dimashq, Homs …), case-insensitive.
    pub admin1: Option<String>,
    /// Within `km` of (`lat`, `lon`).
    pub near: Option<(f64, f64, f64)>,
    /// An actor name (actor1 or actor2), any part of it, case-insensitive.
    pub actor: Option<String>,
    /// Canonical actor names (actor1 or actor2 is one of them, case-insensitive): what an alias
    /// the user typed (داعش, Daesh) stands for. Empty: no such filter.
    pub actors: Vec<String>,
    /// occurred, future, denied, negated.
    pub status: Option<String>,
    /// Words that must all appear (Arabic folded: diacritics, hamza and ta-marbuta ignored).
    pub text: Option<String>,
    /// Only events whose confidence is at least this (0..1).
    pub min_confidence: Option<f64>,
    /// Only these clusters (their ids), when given: what one batch touched.
    pub clusters: Option<Vec<i64>>,
    /// At most this many clusters.
    pub limit: Option<usize>,
    /// Skip this many clusters first (pagination).
    pub offset: usize,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
}

/// Parses a confidence threshold (`--min-confidence`, `?min_confidence=`): a number in 0..1.
pub fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{s:?} is not a number between 0 and 1")),
    }
}

/// Parses a `LAT,LON,KM` circle (`--near`, `?near=`).
pub fn parse_near(s: &str) -> Result<(f64, f64, f64), String> {
    let parts: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>().map_err(|_| format!("{p:?} is not a number")))
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [lat, lon, km] if (-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon) && *km > 0.0 => {
            Ok((*lat, *lon, *km))
        }
        [_, _, _] => {
            Err("expected a latitude in -90..90, a longitude in -180..180 and a positive distance".to_string())
        }
        _ => Err("expected LAT,LON,KM, e.g. 33.51,36.29,25".to_string()),
    }
}

/// Counts of the clusters matching a query, for charts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Matching clusters.
    pub total: u64,
    /// (first day of the window, event type, clusters), by day then type.
    pub by_day: Vec<(String, String, u64)>,
    /// (event type, clusters), most first.
    pub by_type: Vec<(String, u64)>,
    /// (first-level unit, clusters), most first; clusters without a place are left out.
    pub by_admin1: Vec<(String, u64)>,
    /// (status, clusters), most first.
    pub by_status: Vec<(String, u64)>,
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

    /// `FROM events e WHERE …`: the clusters' first reports (`e.id = e.cluster_id`, the
    /// condition of the partial indexes of migration 2) that match the query.
    fn of(q: &EventQuery) -> Conditions {
        let mut c = Conditions { sql: String::from(" FROM events e WHERE e.id = e.cluster_id"), args: Vec::new() };
        let text = |s: &String| Value::Text(s.clone());
        if let Some(d) = &q.since {
            c.and("e.date_end >= ?", [text(d)]);
        }
        if let Some(d) = &q.until {
            c.and("e.date_start <= ?", [text(d)]);
        }
        if let Some(t) = &q.event_type {
            c.and("e.event_type = ? COLLATE NOCASE", [text(t)]);
        }
        if let Some(t) = &q.sub_event_type {
            c.and("e.sub_event_type = ? COLLATE NOCASE", [text(t)]);
        }
        if let Some(a) = &q.admin1 {
            c.and("e.admin1 = ? COLLATE NOCASE", [text(a)]);
        }
        if let Some(s) = &q.status {
            c.and("e.status = ? COLLATE NOCASE", [text(s)]);
        }
        if let Some(ids) = &q.clusters {
            let ids = Value::Text(serde_json::Value::from(ids.clone()).to_string());
            c.and("e.id IN (SELECT value FROM json_each(?))", [ids]);
        }
        if let Some(m) = q.min_confidence {
            c.and("e.confidence >= ?", [Value::Real(m - 1e-6)]);
        }
        if let Some(a) = &q.actor {
            // The user's % and _ are letters, not wildcards.
            let escaped = a.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let like = Value::Text(format!("%{escaped}%"));
            c.and("(lower(e.actor1) LIKE ? ESCAPE '\\' OR lower(e.actor2) LIKE ? ESCAPE '\\')", [like.clone(), like]);
        }
        if !q.actors.is_empty() {
            let names = Value::Text(serde_json::Value::from(q.actors.clone()).to_string());
            c.and(
                "(lower(e.actor1) IN (SELECT lower(value) FROM json_each(?)) \
                 OR lower(e.actor2) IN (SELECT lower(value) FROM json_each(?)))",
                [names.clone(), names],
            );
        }
        if let Some((lat, lon, km)) = q.near {
            let dlat = km / 111.0;
            let dlon = km / (111.0 * lat.to_radians().cos().abs().max(0.01));
            c.and("e.lat BETWEEN ? AND ?", [Value::Real(lat - dlat), Value::Real(lat + dlat)]);
            c.and("e.lon BETWEEN ? AND ?", [Value::Real(lon - dlon), Value::Real(lon + dlon)]);
            c.and(
                &format!("{DISTANCE_FN}(e.lat, e.lon, ?, ?) <= ?"),
                [Value::Real(lat), Value::Real(lon), Value::Real(km)],
            );
        }
        if let Some(words) = &q.text {
            let words: Vec<String> = rasd_text::fold::fold_str(words)
                .split_whitespace()
                .map(|w| w.replace(|c: char| c == '"' || c.is_control(), ""))
                .filter(|w| !w.is_empty())
                .map(|w| format!("\"{w}\""))
                .collect();
            if !words.is_empty() {
                c.and(
                    "e.id IN (SELECT m.cluster_id FROM events m WHERE m.id IN \
                     (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))",
                    [Value::Text(words.join(" "))],
                );
            }
        }
        c
    }
}

/// The SQL function giving the great-circle distance in km between two points.
pub(crate) const DISTANCE_FN: &str = "rasd_km";

/// Registers [`DISTANCE_FN`] on a connection.
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        DISTANCE_FN,
        4,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let point = |i: usize| -> rusqlite::Result<Option<(f64, f64)>> {
                Ok(ctx.get::<Option<f64>>(i)?.zip(ctx.get::<Option<f64>>(i + 1)?))
            };
            Ok(point(0)?.zip(point(2)?).map(|(a, b)| haversine_km(a, b)))
        },
    )
}

pub(crate) fn clusters(conn: &Connection, q: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
    let Conditions { mut sql, mut args } = Conditions::of(q);
    let order = if q.newest_first { "DESC" } else { "ASC" };
    sql = format!(
        "SELECT e.id{sql} ORDER BY e.date_start {order}, e.id {order} LIMIT ?{} OFFSET ?{}",
        args.len() + 1,
        args.len() + 2
    );
    args.push(Value::Integer(q.limit.map_or(-1, |l| l.min(i64::MAX as usize) as i64)));
    args.push(Value::Integer(q.offset.min(i64::MAX as usize) as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids: Vec<i64> = stmt.query_map(params_from_iter(args), |r| r.get(0))?.collect::<Result<_, _>>()?;
    load(conn, &ids)
}

pub(crate) fn count(conn: &Connection, q: &EventQuery) -> Result<u64, StoreError> {
    let Conditions { sql, args } = Conditions::of(q);
    let mut stmt = conn.prepare_cached(&format!("SELECT count(*){sql}"))?;
    Ok(stmt.query_row(params_from_iter(args), |r| r.get::<_, i64>(0))? as u64)
}

pub(crate) fn stats(conn: &Connection, q: &EventQuery) -> Result<Stats, StoreError> {
    let Conditions { sql, args } = Conditions::of(q);
    let grouped = |key: &str| -> Result<Vec<(String, u64)>, StoreError> {
        // Grouped as the partial indexes are collated, so the grouping reads an index in order.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {key}, count(*) AS n{sql} AND {key} IS NOT NULL GROUP BY {key} COLLATE NOCASE ORDER BY n DESC, {key}"
        ))?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let by_type = grouped("e.event_type")?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.date_start, e.event_type, count(*){sql} GROUP BY e.date_start, e.event_type COLLATE NOCASE \
         ORDER BY e.date_start, e.event_type COLLATE NOCASE"
    ))?;
    let rows =
        stmt.query_map(params_from_iter(args.iter()), |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)))?;
    Ok(Stats {
        total: by_type.iter().map(|(_, n)| n).sum(),
        by_day: rows.collect::<Result<_, _>>()?,
        by_admin1: grouped("e.admin1")?,
        by_status: grouped("e.status")?,
        by_type,
    })
}

pub(crate) fn cluster(conn: &Connection, event_id: i64) -> Result<Option<Cluster>, StoreError> {
    let cluster: Option<i64> =
        conn.query_row("SELECT cluster_id FROM events WHERE id = ?1", [event_id], |r| r.get(0)).optional()?;
    match cluster {
        Some(c) => Ok(load(conn, &[c])?.pop()),
        None => Ok(None),
    }
}

/// The clusters of these ids, in this order, in one query (unknown ids are left out).
fn load(conn: &Connection, ids: &[i64]) -> Result<Vec<Cluster>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.cluster_id, e.id, e.article_id, e.outlet, e.published, e.fatalities, d.event \
         FROM json_each(?1) AS wanted JOIN events e ON e.cluster_id = wanted.value \
         JOIN event_docs d ON d.event_id = e.id ORDER BY wanted.key, e.id",
    )?;
    let wanted = serde_json::to_string(ids)?;
    let mut rows = stmt.query([wanted])?;
    let mut clusters: Vec<Cluster> = Vec::with_capacity(ids.len());
    while let Some(r) = rows.next()? {
        let cluster: i64 = r.get(0)?;
        let report = SourceReport {
            event_id: r.get(1)?,
            article_id: r.get(2)?,
            outlet: r.get(3)?,
            published: r.get(4)?,
            fatalities: r.get(5)?,
            event: serde_json::from_str(r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)?)?,
        };
        match clusters.last_mut() {
            Some(last) if last.id == cluster => last.reports.push(report),
            _ => clusters.push(Cluster { id: cluster, reports: vec![report] }),
        }
    }
    Ok(clusters)
}
