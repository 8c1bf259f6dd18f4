//! Queries: event clusters by date, type, place, actor, status and text.

use rasd_record::Event;

use crate::cluster::haversine_km;
use crate::engine::{Dialect, Engine, Row, Value};
use crate::StoreError;

/// What `rasd events` and `GET /api/events` ask for; every field narrows the answer.
///
/// Filters apply to each cluster's reading (its first report: the row an export shows), except
/// `text`, which finds a cluster by the words of its reports together.
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
    /// Keyset paging: only the clusters after this one (its first day and id) in the query's
    /// order, so a deep page reads no rows it skips.
    pub after: Option<(String, i64)>,
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
    /// What the cluster's marker on a map shows (id, type, window, place, toll).
    pub marker: Marker,
    /// Time precision (1–3).
    pub precision: u8,
    /// Country.
    pub country: Option<String>,
    /// Geo-precision (1–3).
    pub geo_precision: Option<u8>,
    /// Actor 1's name.
    pub actor1: Option<String>,
    /// Actor 2's name.
    pub actor2: Option<String>,
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
            marker: Marker {
                id: c.id,
                event_type: e.event_type.clone(),
                sub_event_type: e.sub_event_type.clone(),
                status: e.status.clone(),
                date_start: e.date.start.clone(),
                date_end: e.date.end.clone(),
                location: l.map(|l| l.name.clone()),
                location_ar: l.and_then(|l| l.name_ar.clone()),
                admin1: l.and_then(|l| l.admin1.clone()),
                fatalities: c.fatalities(),
                point: l.map(|l| [l.lon, l.lat]),
            },
            precision: e.date.precision,
            country: l.map(|l| l.country.clone()),
            geo_precision: l.map(|l| l.geo_precision),
            actor1: e.actor1.as_ref().map(|a| a.name.clone()),
            actor2: e.actor2.as_ref().map(|a| a.name.clone()),
            sources: c.outlets(),
            reports: c.reports.len(),
            article_id: c.reports[0].article_id,
            evidence: e.evidence.text.clone(),
            confidence: e.confidence,
        }
    }
}

/// `FROM … WHERE …` under construction: each `?` of a condition becomes a numbered parameter.
struct Conditions {
    /// The rows read: the clusters `c`, or on PostgreSQL a text search's hits `f` joined to them.
    from: String,
    /// ` WHERE …`.
    sql: String,
    args: Vec<Value>,
    /// The columns of the order (first day, then id): the clusters', or the hits' own copy of
    /// them, which sorts the hits without reading each one's cluster.
    order: [&'static str; 2],
}

impl Conditions {
    fn and(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        self.sql.push_str(" AND ");
        self.push(clause, values);
    }

    /// Appends a clause, numbering its `?`s after the parameters so far.
    fn push(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        let mut values = values.into_iter();
        for (i, part) in clause.split('?').enumerate() {
            if i > 0 {
                self.args.push(values.next().unwrap_or(Value::Null));
                self.sql.push_str(&format!("?{}", self.args.len()));
            }
            self.sql.push_str(part);
        }
    }

    /// A clause of conditions alone (`(SELECT …) + (SELECT …)`), numbered like the others.
    fn clause() -> Conditions {
        Conditions { from: String::new(), sql: String::new(), args: Vec::new(), order: ["c.date_start", "c.id"] }
    }

    /// `FROM … WHERE …`, its parameters and the columns of its order.
    fn into_parts(self) -> (String, Vec<Value>, [&'static str; 2]) {
        (format!("{}{}", self.from, self.sql), self.args, self.order)
    }

    /// `FROM clusters c WHERE …`: the summary rows of the clusters that match the query.
    ///
    /// A text or actor filter is written for the number of rows it matches (counted first, by
    /// index): a few are found first and sorted; many are checked while walking the clusters in
    /// the query's order, where a page finds its rows after a short walk. A count or a tally
    /// (`walk_above` None) reads every match anyway, so it never walks: that would read every
    /// cluster.
    fn of(q: &EventQuery, db: &mut dyn Engine, walk_above: Option<i64>) -> Result<Conditions, StoreError> {
        let dialect = db.dialect();
        let mut c =
            Conditions { from: " FROM clusters c".to_string(), sql: String::from(" WHERE TRUE"), ..Self::clause() };
        let text = |s: &String| Value::Text(s.clone());
        if let Some(d) = &q.since {
            c.and("c.date_end >= ?", [text(d)]);
        }
        if let Some(d) = &q.until {
            c.and("c.date_start <= ?", [text(d)]);
        }
        for (column, value) in [
            ("c.event_type", &q.event_type),
            ("c.sub_event_type", &q.sub_event_type),
            ("c.admin1", &q.admin1),
            ("c.status", &q.status),
        ] {
            if let Some(v) = value {
                c.and(&dialect.eq_nocase(column), [text(v)]);
            }
        }
        if let Some(ids) = &q.clusters {
            c.and(&dialect.in_ids("c.id", "?"), [Value::Ints(ids.clone())]);
        }
        if let Some(m) = q.min_confidence {
            c.and("c.confidence >= ?", [Value::Real(m - 1e-6)]);
        }
        if let Some(a) = &q.actor {
            // The user's % and _ are letters, not wildcards.
            let escaped = a.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let like = Value::Text(format!("%{escaped}%"));
            c.and("(lower(c.actor1) LIKE ? ESCAPE '\\' OR lower(c.actor2) LIKE ? ESCAPE '\\')", [like.clone(), like]);
        }
        if !q.actors.is_empty() {
            let names: Vec<Value> = q.actors.iter().map(|a| Value::Text(a.clone())).collect();
            let list = vec!["lower(?)"; names.len()].join(", ");
            let both = names.iter().chain(&names).cloned();
            let walk = match (walk_above, dialect) {
                // PostgreSQL plans the OR from its statistics on the actor indexes: an index
                // search for a rare actor, a walk in date order for a frequent one.
                (Some(_), Dialect::Postgres) => true,
                (Some(most), Dialect::Sqlite) => {
                    // Counted up to the threshold only: past it, how many does not matter.
                    let mut matches = Conditions::clause();
                    for column in ["actor1", "actor2"] {
                        let glue = if column == "actor1" { "SELECT (" } else { ") + (" };
                        matches.push(
                            &format!(
                                "{glue}SELECT count(*) FROM (SELECT 1 FROM clusters WHERE lower({column}) IN ({list}) \
                                 LIMIT {}) AS m",
                                most + 1
                            ),
                            names.clone(),
                        );
                    }
                    matches.sql.push(')');
                    db.remembered_count(&matches.sql, &matches.args)? > most
                }
                (None, _) => false,
            };
            if walk {
                let (one, two) = (dialect.unindexed("lower(c.actor1)"), dialect.unindexed("lower(c.actor2)"));
                c.and(&format!("({one} IN ({list}) OR {two} IN ({list}))"), both);
            } else {
                // A union of two index searches (clusters_by_actor1/2), not an OR that the
                // planner may answer by scanning every cluster.
                c.and(
                    &format!(
                        "c.id IN (SELECT id FROM clusters WHERE lower(actor1) IN ({list}) \
                         UNION SELECT id FROM clusters WHERE lower(actor2) IN ({list}))"
                    ),
                    both,
                );
            }
        }
        if let Some((lat, lon, km)) = q.near {
            let dlat = km / 111.0;
            let dlon = km / (111.0 * lat.to_radians().cos().abs().max(0.01));
            c.and("c.lat BETWEEN ? AND ?", [Value::Real(lat - dlat), Value::Real(lat + dlat)]);
            c.and("c.lon BETWEEN ? AND ?", [Value::Real(lon - dlon), Value::Real(lon + dlon)]);
            c.and(
                &format!("{DISTANCE_FN}(c.lat, c.lon, ?, ?) <= ?"),
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
                let words = Value::Text(dialect.words_query(&words));
                let walk = match walk_above {
                    Some(most) => {
                        let hits = format!(
                            "SELECT count(*) FROM ({} LIMIT {}) AS hits",
                            dialect.search_match().replace('?', "?1"),
                            most + 1
                        );
                        db.remembered_count(&hits, std::slice::from_ref(&words))? > most
                    }
                    None => false,
                };
                match (walk, dialect) {
                    // PostgreSQL reads the hits with their own copy of the first day: walked in
                    // date order (the index clusters_fts_by_date), each checked for the words;
                    // or found first, by the words' index, and sorted without reading a cluster.
                    // PostgreSQL walks the hits remembered in the table its connections share,
                    // in date order, reading no search row.
                    (true, Dialect::Postgres)
                        if let Some(set) = db.remembered_hit_table(
                            &format!(
                                "SELECT date_start, rowid FROM clusters_fts WHERE {}",
                                dialect.search_condition("clusters_fts").replace('?', "?1")
                            ),
                            std::slice::from_ref(&words),
                        )? =>
                    {
                        c.from = format!(" FROM {} h JOIN clusters c ON c.id = h.id", crate::engine::HIT_TABLE);
                        c.and("h.set_id = ?", [Value::Int(set)]);
                        c.order = ["h.date_start", "h.id"];
                    }
                    (_, Dialect::Postgres) => {
                        c.args.push(words);
                        let n = c.args.len();
                        let words = |table: &str| dialect.search_condition(table).replace('?', &format!("?{n}"));
                        let hits = if walk {
                            c.sql.push_str(&format!(" AND {}", words("f")));
                            "clusters_fts f".to_string()
                        } else {
                            format!(
                                "(SELECT rowid, date_start FROM clusters_fts WHERE {}{}) AS f",
                                words("clusters_fts"),
                                dialect.planned_alone()
                            )
                        };
                        c.from = format!(" FROM {hits} JOIN clusters c ON c.id = f.rowid");
                        c.order = ["f.date_start", "f.rowid"];
                    }
                    // The hits, a set remembered until the data changes, checked while walking.
                    (true, Dialect::Sqlite) => {
                        let hits = db.remembered_hits(&dialect.search_match().replace('?', "?1"), &[words])?;
                        c.and(&format!("{}(c.id, ?)", crate::engine::HIT_FN), [Value::Text(hits)]);
                    }
                    (false, Dialect::Sqlite) => c.and(&format!("c.id IN ({})", dialect.search_match()), [words]),
                }
            }
        }
        Ok(c)
    }
}

/// Above this many matching rows, a text or actor filter is checked while walking the clusters
/// in order ([`Conditions::of`]).
const WALK_ABOVE: i64 = 5_000;

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

/// What a map marker shows of a cluster: its type for the colour, its place, window and toll
/// for the tooltip, its id to open it ([`crate::Store::markers`]). Read from the columns it
/// needs and no others, so that the map's thousands of markers read no actors, outlets or
/// evidence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Marker {
    /// The cluster's id.
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
    /// The place's name.
    pub location: Option<String>,
    /// The place's Arabic name.
    pub location_ar: Option<String>,
    /// First-level unit.
    pub admin1: Option<String>,
    /// The lowest toll any report gives.
    pub fatalities: Option<u32>,
    /// Where it is drawn (longitude, latitude), when the cluster has a place.
    #[serde(skip)]
    pub point: Option<[f64; 2]>,
}

/// The columns of a [`Marker`], in the order [`marker`] reads them (a macro, so that
/// [`SUMMARY_COLUMNS`] can begin with them).
macro_rules! marker_columns {
    () => {
        "c.id, c.event_type, c.sub_event_type, c.status, c.date_start, c.date_end, c.location, c.location_ar, \
         c.admin1, c.fatalities, c.lon, c.lat"
    };
}
const MARKER_COLUMNS: &str = marker_columns!();

fn marker(r: &Row) -> Result<Marker, StoreError> {
    Ok(Marker {
        id: r.int(0)?,
        event_type: r.text(1)?,
        sub_event_type: r.text(2)?,
        status: r.text(3)?,
        date_start: r.text(4)?,
        date_end: r.text(5)?,
        location: r.opt_text(6)?,
        location_ar: r.opt_text(7)?,
        admin1: r.opt_text(8)?,
        fatalities: r.opt_u32(9)?,
        point: r.opt_real(10)?.zip(r.opt_real(11)?).map(|(lon, lat)| [lon, lat]),
    })
}

/// The columns of a [`ClusterSummary`]: the marker's, then the rest, in the order [`summary`]
/// reads them.
const SUMMARY_COLUMNS: &str = concat!(
    marker_columns!(),
    ", c.precision, c.country, c.geo_precision, c.actor1, c.actor2, c.sources, c.reports, c.article_id, c.evidence, \
     c.confidence"
);

fn summary(r: &Row) -> Result<ClusterSummary, StoreError> {
    let small = |i| r.opt_int(i).map(|v| v.map(|v| v as u8));
    Ok(ClusterSummary {
        marker: marker(r)?,
        precision: small(12)?.unwrap_or(0),
        country: r.opt_text(13)?,
        geo_precision: small(14)?,
        actor1: r.opt_text(15)?,
        actor2: r.opt_text(16)?,
        sources: serde_json::from_str(&r.text(17)?)?,
        reports: r.int(18)? as usize,
        article_id: r.int(19)?,
        evidence: r.opt_text(20)?.unwrap_or_default(),
        confidence: r.opt_real(21)?.unwrap_or(0.0) as f32,
    })
}

/// The markers of the clusters matching a query, in the order and page of [`summaries`].
pub(crate) fn markers(db: &mut dyn Engine, q: &EventQuery) -> Result<Vec<Marker>, StoreError> {
    let (sql, args) = page(db, q, MARKER_COLUMNS, Some(WALK_ABOVE))?;
    db.query(&sql, &args)?.iter().map(marker).collect()
}

/// The summaries of the clusters matching a query, one page of them, in one query over the
/// `clusters` table.
pub(crate) fn summaries(db: &mut dyn Engine, q: &EventQuery) -> Result<Vec<ClusterSummary>, StoreError> {
    summaries_walking_above(db, q, Some(WALK_ABOVE))
}

/// The page is found by id first, reading no summary column (an offset page skips its rows in
/// an index, PostgreSQL sorts a text search's hits by their own copy of the first day), then
/// only its own rows are read.
fn summaries_walking_above(
    db: &mut dyn Engine,
    q: &EventQuery,
    walk_above: Option<i64>,
) -> Result<Vec<ClusterSummary>, StoreError> {
    let (ids, args) = page(db, q, "c.id", walk_above)?;
    let order = order_of(q);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM clusters c JOIN ({ids}) AS p ON p.id = c.id \
         ORDER BY c.date_start {order}, c.id {order}"
    );
    db.query(&sql, &args)?.iter().map(summary).collect()
}

/// The SQL direction of a query's order: newest first, or oldest.
fn order_of(q: &EventQuery) -> &'static str {
    if q.newest_first {
        "DESC"
    } else {
        "ASC"
    }
}

/// The ids of the clusters matching a query, in its order, one page of them.
fn head_ids(db: &mut dyn Engine, q: &EventQuery) -> Result<Vec<i64>, StoreError> {
    let (sql, args) = page(db, q, "c.id", Some(WALK_ABOVE))?;
    db.query(&sql, &args)?.iter().map(|r| r.int(0)).collect()
}

/// `SELECT columns` of the clusters matching a query, in its order (date, then id), after its
/// keyset cursor, one page of them.
fn page(
    db: &mut dyn Engine,
    q: &EventQuery,
    columns: &str,
    walk_above: Option<i64>,
) -> Result<(String, Vec<Value>), StoreError> {
    let dialect = db.dialect();
    let mut conditions = Conditions::of(q, db, walk_above)?;
    let (order, beyond) = (order_of(q), if q.newest_first { "<" } else { ">" });
    if let Some((date, id)) = &q.after {
        let [day, id_column] = conditions.order;
        conditions.and(&format!("({day}, {id_column}) {beyond} (?, ?)"), [Value::Text(date.clone()), Value::Int(*id)]);
    }
    let (sql, mut args, [day, id]) = conditions.into_parts();
    let mut sql = format!("SELECT {columns}{sql} ORDER BY {day} {order}, {id} {order}");
    if let Some(limit) = q.limit {
        args.push(Value::Int(limit.min(i64::MAX as usize) as i64));
        sql.push_str(&format!(" LIMIT ?{}", args.len()));
    }
    if q.offset > 0 {
        args.push(Value::Int(q.offset.min(i64::MAX as usize) as i64));
        let unlimited = match (q.limit, dialect) {
            (Some(_), _) | (None, Dialect::Postgres) => "",
            (None, Dialect::Sqlite) => " LIMIT -1",
        };
        sql.push_str(&format!("{unlimited} OFFSET ?{}", args.len()));
    }
    Ok((sql, args))
}

pub(crate) fn count(db: &mut dyn Engine, q: &EventQuery) -> Result<u64, StoreError> {
    let (sql, args, _) = Conditions::of(q, db, None)?.into_parts();
    Ok(db.query_one(&format!("SELECT count(*){sql}"), &args)?.int(0)? as u64)
}

/// One pass over the matching clusters, grouped by first day, type, first-level unit and status
/// (ignoring case, as the filters compare), folded here into the four tallies.
pub(crate) fn stats(db: &mut dyn Engine, q: &EventQuery) -> Result<Stats, StoreError> {
    let dialect = db.dialect();
    let (sql, args, _) = Conditions::of(q, db, None)?.into_parts();
    // Grouped in the order of the index `clusters_for_stats`, which holds every column read.
    let keys = ["c.event_type", "c.admin1", "c.status"].map(|k| dialect.group_nocase(k));
    let rows = db.query(
        &format!(
            "SELECT c.date_start, {}, {}, {}, count(*){sql} GROUP BY c.date_start, {}, {}, {}",
            keys[0].0, keys[1].0, keys[2].0, keys[0].1, keys[1].1, keys[2].1
        ),
        &args,
    )?;
    let mut days: std::collections::BTreeMap<(String, String), (String, u64)> = Default::default();
    let mut tallies = [Tally::default(), Tally::default(), Tally::default()];
    let mut total = 0;
    for r in &rows {
        let (day, event_type, n) = (r.text(0)?, r.text(1)?, r.int(4)? as u64);
        total += n;
        days.entry((day, event_type.to_lowercase())).or_insert_with(|| (event_type.clone(), 0)).1 += n;
        tallies[0].add(Some(event_type), n);
        tallies[1].add(r.opt_text(2)?, n);
        tallies[2].add(r.opt_text(3)?, n);
    }
    let by_day = days.into_iter().map(|((day, _), (event_type, n))| (day, event_type, n)).collect();
    let [by_type, by_admin1, by_status] = tallies.map(Tally::most_first);
    Ok(Stats { total, by_day, by_type, by_admin1, by_status })
}

/// Counts by a text key that ignores case, showing the spelling that sorts first.
#[derive(Default)]
struct Tally(Vec<(String, u64)>, std::collections::HashMap<String, usize>);

impl Tally {
    fn add(&mut self, key: Option<String>, n: u64) {
        let Some(key) = key else { return };
        match self.1.get(&key.to_lowercase()) {
            Some(&i) => {
                let (shown, count) = &mut self.0[i];
                *count += n;
                if key < *shown {
                    *shown = key;
                }
            }
            None => {
                self.1.insert(key.to_lowercase(), self.0.len());
                self.0.push((key, n));
            }
        }
    }

    /// Most first, then by key.
    fn most_first(self) -> Vec<(String, u64)> {
        let mut counts = self.0;
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ways of writing a text or actor filter (the matches found first and sorted, or
    /// checked while walking the clusters in order) find the same clusters in the same order,
    /// on both engines.
    #[test]
    fn walking_and_finding_first_agree() {
        walking_and_finding_first_agree_in(crate::Store::open_in_memory().unwrap());
        if let Some(schema) = crate::scratch::ScratchSchema::new("walking").unwrap() {
            walking_and_finding_first_agree_in(crate::Store::connect(&schema.location()).unwrap());
        }
    }

    /// The map's markers are read in date order from one covering index, never row by row.
    #[test]
    fn markers_read_one_covering_index() {
        let store = crate::Store::open_in_memory().unwrap();
        let mut db = store.engine();
        let query = EventQuery { limit: Some(5000), ..Default::default() };
        let (sql, args) = page(&mut **db, &query, MARKER_COLUMNS, Some(WALK_ABOVE)).unwrap();
        let plan = db.query(&format!("EXPLAIN QUERY PLAN {sql}"), &args).unwrap();
        let steps: Vec<String> = plan.iter().map(|r| r.text(3).unwrap()).collect();
        assert_eq!(steps, ["SCAN c USING COVERING INDEX clusters_for_markers"]);
    }

    /// A capped count is remembered while the data stays as it was (a row added behind the
    /// connection's back is not seen), and counted again once another connection commits.
    #[test]
    fn counts_are_remembered_until_the_data_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("remembered.db");
        let reader = crate::Store::open(&path).unwrap();
        let sql = "SELECT count(*) FROM rasd_versions";
        let count = || reader.engine().remembered_count(sql, &[]).unwrap();
        let before = count();
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute("INSERT INTO rasd_versions (name, version) VALUES ('probe', 1)", []).unwrap();
        assert_eq!(count(), before + 1, "another connection's commit changes the data version");
        // Written by a hand that does not bump the data version: the count stays remembered.
        reader.engine().batch("INSERT INTO rasd_versions (name, version) VALUES ('own', 1)").unwrap();
        assert_eq!(count(), before + 1);
        assert_eq!(reader.engine().query_one(sql, &[]).unwrap().int(0).unwrap(), before + 2);
    }

    /// On PostgreSQL a frequent word's page reads the hits remembered in a table all connections
    /// share, filled once; a connection walks the search rows instead, to the same page, while
    /// another fills a set, and always where it may write no table (read-only).
    #[test]
    fn postgres_walks_remembered_hits_or_else_the_search_rows() {
        let Some(schema) = crate::scratch::ScratchSchema::new("hit_table").unwrap() else { return };
        let mut store = crate::Store::connect(&schema.location()).unwrap();
        let record: rasd_record::Record = serde_json::from_str(include_str!("../tests/data/record.json")).unwrap();
        let mut batch = store.batch().unwrap();
        batch.put(&record, "seed").unwrap();
        batch.commit().unwrap();
        let page_of = |db: &mut dyn Engine, word: &str| -> (String, Vec<i64>) {
            let q = EventQuery { text: Some(word.into()), ..Default::default() };
            let (sql, args) = page(db, &q, "c.id", Some(0)).unwrap();
            (sql.clone(), db.query(&sql, &args).unwrap().iter().map(|r| r.int(0).unwrap()).collect())
        };
        let sets =
            |db: &mut dyn Engine| db.query_one("SELECT count(*) FROM rasd_hit_sets", &[]).unwrap().int(0).unwrap();
        let (sql, remembered) = page_of(&mut **store.engine(), "مفخخة");
        assert!(sql.contains(crate::engine::HIT_TABLE), "{sql}");
        assert!(!remembered.is_empty());
        // Another connection reads the same set: it was filled once.
        let other = crate::Store::connect(&schema.location()).unwrap();
        assert_eq!(page_of(&mut **other.engine(), "مفخخة"), (sql, remembered.clone()));
        assert_eq!(sets(&mut **store.engine()), 1);
        // While one connection fills a set, another walks.
        let fill_lock = crate::engine::HIT_FILL_LOCK;
        store.engine().batch(&format!("SELECT pg_advisory_lock({fill_lock})")).unwrap();
        let (sql, walked) = page_of(&mut **other.engine(), "حمص");
        assert!(!sql.contains(crate::engine::HIT_TABLE), "{sql}");
        assert!(!walked.is_empty());
        store.engine().batch(&format!("SELECT pg_advisory_unlock({fill_lock})")).unwrap();
        let (sql, from_the_table) = page_of(&mut **other.engine(), "حمص");
        assert!(sql.contains(crate::engine::HIT_TABLE), "{sql}");
        assert_eq!(from_the_table, walked);
        assert_eq!(sets(&mut **store.engine()), 2);
        // A read-only connection fills nothing, and walks.
        let read_only = crate::Store::connect(&schema.location()).unwrap();
        read_only.engine().batch("SET default_transaction_read_only = on").unwrap();
        let (sql, walked_search_rows) = page_of(&mut **read_only.engine(), "مفخخة");
        assert!(!sql.contains(crate::engine::HIT_TABLE), "{sql}");
        assert_eq!(walked_search_rows, remembered);
    }

    fn walking_and_finding_first_agree_in(mut store: crate::Store) {
        let record: rasd_record::Record = serde_json::from_str(include_str!("../tests/data/record.json")).unwrap();
        // Forty days apart: separate clusters.
        let copy = |n: u64| {
            let mut r = record.clone();
            r.article.id = format!("copy{n}");
            for e in &mut r.events {
                for d in [&mut e.date.start, &mut e.date.end] {
                    let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                    *d = (day + chrono::Days::new(40 * n)).to_string();
                }
            }
            r
        };
        let mut batch = store.batch().unwrap();
        for n in 0..6 {
            batch.put(&copy(n), "copy").unwrap();
        }
        batch.commit().unwrap();
        let police = "police forces of SYRIA (2024-)".to_string();
        for filter in [
            EventQuery { text: Some("مفخخة".into()), ..Default::default() },
            EventQuery { actors: vec![police.clone()], ..Default::default() },
            EventQuery { actors: vec!["Nobody".into(), police], text: Some("حمص".into()), ..Default::default() },
        ] {
            for (newest_first, limit) in [(true, Some(4)), (false, None)] {
                let q = EventQuery { newest_first, limit, ..filter.clone() };
                let mut db = store.engine();
                let mut ids = |walk_above| -> Vec<i64> {
                    summaries_walking_above(&mut **db, &q, walk_above).unwrap().iter().map(|s| s.marker.id).collect()
                };
                let found_first = ids(None);
                assert!(found_first.len() >= 4, "{q:?}: {found_first:?}");
                assert_eq!(ids(Some(0)), found_first, "{q:?}");
                // An offset page is the same slice of that order, walking or not.
                let q = EventQuery { offset: 1, limit: Some(2), ..q };
                for walk_above in [None, Some(0)] {
                    let page: Vec<i64> = summaries_walking_above(&mut **db, &q, walk_above)
                        .unwrap()
                        .iter()
                        .map(|s| s.marker.id)
                        .collect();
                    assert_eq!(page, found_first[1..3], "{q:?}");
                }
            }
        }
        // A walk after this connection's own write finds it: what the walk remembered of the
        // hits is forgotten.
        let q = EventQuery { text: Some("مفخخة".into()), ..Default::default() };
        let walked = |store: &crate::Store| summaries_walking_above(&mut **store.engine(), &q, Some(0)).unwrap().len();
        let before = walked(&store);
        let mut batch = store.batch().unwrap();
        batch.put(&copy(6), "copy").unwrap();
        batch.commit().unwrap();
        assert_eq!(walked(&store), before + 1);
    }
}
