//! Queries: event clusters by date, type, place, actor, status and text.

use rasd_record::Event;

use crate::cluster::haversine_km;
use crate::engine::{Dialect, Engine, Value};
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

/// What a list or a map shows of a cluster: its first report's reading, and what its reports
/// say together. Read from the rows alone ([`crate::Store::summaries`]), never from an event's
/// JSON, so that thousands of markers cost no parsing.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSummary {
    /// The cluster's id (its first event's).
    pub id: i64,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
    /// occurred, future, denied, negated.
    pub status: String,
    /// First day of the window.
    pub date_start: String,
    /// Last day of the window.
    pub date_end: String,
    /// Time precision (1–3).
    pub precision: u8,
    /// The place's name.
    pub location: Option<String>,
    /// The place's Arabic name.
    pub location_ar: Option<String>,
    /// First-level unit.
    pub admin1: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Geo-precision (1–3).
    pub geo_precision: Option<u8>,
    /// Actor 1's name.
    pub actor1: Option<String>,
    /// Actor 2's name.
    pub actor2: Option<String>,
    /// The lowest toll any report gives ([`Cluster::fatalities`]).
    pub fatalities: Option<u32>,
    /// The outlets that reported it, in order, without repeats ([`Cluster::outlets`]).
    pub sources: Vec<String>,
    /// How many reports.
    pub reports: usize,
    /// The first report's article.
    pub article_id: i64,
    /// The first report's evidence sentence.
    pub evidence: String,
    /// The first report's confidence.
    pub confidence: f32,
}

impl ClusterSummary {
    /// The summary of a cluster read whole (what [`crate::Store::summaries`] reads from rows).
    pub fn of(c: &Cluster) -> ClusterSummary {
        let e = c.event();
        let l = e.location.as_ref();
        ClusterSummary {
            id: c.id,
            event_type: e.event_type.clone(),
            sub_event_type: e.sub_event_type.clone(),
            status: e.status.clone(),
            date_start: e.date.start.clone(),
            date_end: e.date.end.clone(),
            precision: e.date.precision,
            location: l.map(|l| l.name.clone()),
            location_ar: l.and_then(|l| l.name_ar.clone()),
            admin1: l.and_then(|l| l.admin1.clone()),
            country: l.map(|l| l.country.clone()),
            lat: l.map(|l| l.lat),
            lon: l.map(|l| l.lon),
            geo_precision: l.map(|l| l.geo_precision),
            actor1: e.actor1.as_ref().map(|a| a.name.clone()),
            actor2: e.actor2.as_ref().map(|a| a.name.clone()),
            fatalities: c.fatalities(),
            sources: c.outlets(),
            reports: c.reports.len(),
            article_id: c.reports[0].article_id,
            evidence: e.evidence.text.clone(),
            confidence: e.confidence,
        }
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
    /// condition of the partial indexes) that match the query.
    fn of(q: &EventQuery, dialect: Dialect) -> Conditions {
        let mut c = Conditions { sql: String::from(" FROM events e WHERE e.id = e.cluster_id"), args: Vec::new() };
        let text = |s: &String| Value::Text(s.clone());
        if let Some(d) = &q.since {
            c.and("e.date_end >= ?", [text(d)]);
        }
        if let Some(d) = &q.until {
            c.and("e.date_start <= ?", [text(d)]);
        }
        for (column, value) in [
            ("e.event_type", &q.event_type),
            ("e.sub_event_type", &q.sub_event_type),
            ("e.admin1", &q.admin1),
            ("e.status", &q.status),
        ] {
            if let Some(v) = value {
                c.and(&dialect.eq_nocase(column), [text(v)]);
            }
        }
        if let Some(ids) = &q.clusters {
            c.and(&dialect.in_list("e.id", "", "bigint", "?"), [Value::Ints(ids.clone())]);
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
            let names = Value::Texts(q.actors.clone());
            // As a union of two index searches (heads_by_actor1, heads_by_actor2), not an OR that
            // the planner answers by scanning every cluster.
            c.and(
                &format!(
                    "e.id IN (SELECT id FROM events WHERE {} AND id = cluster_id \
                     UNION SELECT id FROM events WHERE {} AND id = cluster_id)",
                    dialect.in_list("lower(actor1)", "lower", "text", "?"),
                    dialect.in_list("lower(actor2)", "lower", "text", "?")
                ),
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
                .collect();
            if !words.is_empty() {
                c.and(
                    &format!(
                        "e.id IN (SELECT m.cluster_id FROM events m WHERE m.id IN ({}){})",
                        dialect.search_match(),
                        dialect.planned_alone()
                    ),
                    [Value::Text(dialect.words_query(&words))],
                );
            }
        }
        c
    }
}

/// The SQL function giving the great-circle distance in km between two points (registered
/// on each SQLite connection; created by PostgreSQL's first migration).
pub(crate) const DISTANCE_FN: &str = "rasd_km";

/// Registers [`DISTANCE_FN`] on a SQLite connection.
pub(crate) fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
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

pub(crate) fn clusters(db: &mut dyn Engine, q: &EventQuery) -> Result<Vec<Cluster>, StoreError> {
    let ids = head_ids(db, q)?;
    load(db, &ids)
}

/// The columns of a [`ClusterSummary`] that the first report's row holds.
const SUMMARY_COLUMNS: &str = "e.id, e.event_type, e.sub_event_type, e.status, e.date_start, e.date_end, e.precision, \
     e.location, e.location_ar, e.admin1, e.country, e.lat, e.lon, e.geo_precision, e.actor1, e.actor2, e.article_id, \
     e.evidence, e.confidence";

pub(crate) fn summaries(db: &mut dyn Engine, q: &EventQuery) -> Result<Vec<ClusterSummary>, StoreError> {
    let ids = head_ids(db, q)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let heads = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {} JOIN events e ON e.id = wanted.value ORDER BY wanted.key",
        db.dialect().wanted_ids(1)
    );
    let mut summaries: Vec<ClusterSummary> = db
        .query(&heads, &[Value::Ints(ids.clone())])?
        .iter()
        .map(|r| {
            let small = |i| r.opt_int(i).map(|v| v.map(|v| v as u8));
            Ok(ClusterSummary {
                id: r.int(0)?,
                event_type: r.text(1)?,
                sub_event_type: r.text(2)?,
                status: r.text(3)?,
                date_start: r.text(4)?,
                date_end: r.text(5)?,
                precision: small(6)?.unwrap_or(0),
                location: r.opt_text(7)?,
                location_ar: r.opt_text(8)?,
                admin1: r.opt_text(9)?,
                country: r.opt_text(10)?,
                lat: r.opt_real(11)?,
                lon: r.opt_real(12)?,
                geo_precision: small(13)?,
                actor1: r.opt_text(14)?,
                actor2: r.opt_text(15)?,
                fatalities: None,
                sources: Vec::new(),
                reports: 0,
                article_id: r.int(16)?,
                evidence: r.opt_text(17)?.unwrap_or_default(),
                confidence: r.opt_real(18)?.unwrap_or(0.0) as f32,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    // What the reports say together: one small row per report, in the order they were stored.
    let reports = format!(
        "SELECT e.cluster_id, e.outlet, e.fatalities FROM events e WHERE {} ORDER BY e.cluster_id, e.id",
        db.dialect().in_list("e.cluster_id", "", "bigint", "?1")
    );
    let position: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for r in db.query(&reports, &[Value::Ints(ids)])? {
        let Some(&i) = position.get(&r.int(0)?) else { continue };
        let s = &mut summaries[i];
        s.reports += 1;
        if let Some(toll) = r.opt_u32(2)? {
            s.fatalities = Some(s.fatalities.map_or(toll, |f| f.min(toll)));
        }
        if let Some(outlet) = r.opt_text(1)? {
            if !s.sources.contains(&outlet) {
                s.sources.push(outlet);
            }
        }
    }
    Ok(summaries)
}

/// The ids of the clusters matching a query, in its order, one page of them.
fn head_ids(db: &mut dyn Engine, q: &EventQuery) -> Result<Vec<i64>, StoreError> {
    let Conditions { mut sql, mut args } = Conditions::of(q, db.dialect());
    let order = if q.newest_first { "DESC" } else { "ASC" };
    sql = format!("SELECT e.id{sql} ORDER BY e.date_start {order}, e.id {order}");
    if let Some(limit) = q.limit {
        args.push(Value::Int(limit.min(i64::MAX as usize) as i64));
        sql.push_str(&format!(" LIMIT ?{}", args.len()));
    }
    if q.offset > 0 {
        args.push(Value::Int(q.offset.min(i64::MAX as usize) as i64));
        sql.push_str(&format!(" {} ?{}", if q.limit.is_some() { "OFFSET" } else { "LIMIT -1 OFFSET" }, args.len()));
    }
    let sql = match db.dialect() {
        Dialect::Sqlite => sql,
        Dialect::Postgres => sql.replace("LIMIT -1 OFFSET", "OFFSET"),
    };
    db.query(&sql, &args)?.iter().map(|r| r.int(0)).collect()
}

pub(crate) fn count(db: &mut dyn Engine, q: &EventQuery) -> Result<u64, StoreError> {
    let Conditions { sql, args } = Conditions::of(q, db.dialect());
    Ok(db.query_one(&format!("SELECT count(*){sql}"), &args)?.int(0)? as u64)
}

pub(crate) fn stats(db: &mut dyn Engine, q: &EventQuery) -> Result<Stats, StoreError> {
    let dialect = db.dialect();
    let Conditions { sql, args } = Conditions::of(q, dialect);
    let mut grouped = |key: &str| -> Result<Vec<(String, u64)>, StoreError> {
        // Grouped as the partial indexes are collated, so the grouping reads an index in order.
        let (shown, group) = dialect.group_nocase(key);
        let rows = db.query(
            &format!("SELECT {shown}, count(*) AS n{sql} AND {key} IS NOT NULL GROUP BY {group} ORDER BY n DESC, 1"),
            &args,
        )?;
        rows.iter().map(|r| Ok((r.text(0)?, r.int(1)? as u64))).collect()
    };
    let by_type = grouped("e.event_type")?;
    let by_admin1 = grouped("e.admin1")?;
    let by_status = grouped("e.status")?;
    let (shown, group) = dialect.group_nocase("e.event_type");
    let rows = db.query(
        &format!(
            "SELECT e.date_start, {shown}, count(*){sql} GROUP BY e.date_start, {group} ORDER BY e.date_start, {group}"
        ),
        &args,
    )?;
    Ok(Stats {
        total: by_type.iter().map(|(_, n)| n).sum(),
        by_day: rows
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, r.int(2)? as u64)))
            .collect::<Result<_, StoreError>>()?,
        by_admin1,
        by_status,
        by_type,
    })
}

pub(crate) fn cluster(db: &mut dyn Engine, event_id: i64) -> Result<Option<Cluster>, StoreError> {
    match db.query_opt("SELECT cluster_id FROM events WHERE id = ?1", &[Value::Int(event_id)])? {
        Some(row) => Ok(load(db, &[row.int(0)?])?.pop()),
        None => Ok(None),
    }
}

/// The clusters of these ids, in this order, in one query (unknown ids are left out).
fn load(db: &mut dyn Engine, ids: &[i64]) -> Result<Vec<Cluster>, StoreError> {
    let sql = format!(
        "SELECT e.cluster_id, e.id, e.article_id, e.outlet, e.published, e.fatalities, d.event \
         FROM {} JOIN events e ON e.cluster_id = wanted.value \
         JOIN event_docs d ON d.event_id = e.id ORDER BY wanted.key, e.id",
        db.dialect().wanted_ids(1)
    );
    let rows = db.query(&sql, &[Value::Ints(ids.to_vec())])?;
    let mut clusters: Vec<Cluster> = Vec::with_capacity(ids.len());
    for r in rows {
        let cluster = r.int(0)?;
        let report = SourceReport {
            event_id: r.int(1)?,
            article_id: r.int(2)?,
            outlet: r.opt_text(3)?,
            published: r.opt_text(4)?,
            fatalities: r.opt_u32(5)?,
            event: serde_json::from_str(&r.text(6)?)?,
        };
        match clusters.last_mut() {
            Some(last) if last.id == cluster => last.reports.push(report),
            _ => clusters.push(Cluster { id: cluster, reports: vec![report] }),
        }
    }
    Ok(clusters)
}
