//! Clustering events across articles: the same raid reported by ten outlets is one event.
//!
//! An event is linked to a stored event from *another* article when both have the same
//! sub-event type, their date windows overlap, their places are within [`SAME_PLACE_KM`] (or in
//! the same district), and their actors do not contradict each other (two different named
//! actor1s). Only events dated within a week (time precision 1–2) and placed at a town or near
//! it (geo-precision 1–2) cluster; vaguer ones stay alone. A cluster is everything linked,
//! directly or through others (single linkage): an event linked to several clusters joins them
//! into one, the oldest. So the clusters do not depend on the order articles arrive in, and
//! writers in several processes build the clusters one process would.

use rasd_record::Event;

use crate::engine::{params, Engine, Value};
use crate::StoreError;

/// Places this close are the same place for clustering.
pub(crate) const SAME_PLACE_KM: f64 = 25.0;

/// The article an event is read from: its row id, outlet and publication date.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reporter<'a> {
    pub(crate) article_id: i64,
    pub(crate) outlet: Option<&'a str>,
    pub(crate) published: Option<&'a str>,
}

/// Inserts an event of article `article_id` and assigns its cluster; adds the clusters whose
/// summaries changed (the one it joined or heads, and any it merged away) to `touched`.
pub(crate) fn insert_event(
    db: &mut dyn Engine,
    article: Reporter,
    e: &Event,
    touched: &mut Vec<i64>,
) -> Result<i64, StoreError> {
    let Reporter { article_id, outlet, published } = article;
    let l = e.location.as_ref();
    let (lat, lon) = (l.map(|l| l.lat), l.map(|l| l.lon));
    let admin2 = l.and_then(|l| l.admin2.clone());
    let actor1 = e.actor1.as_ref().map(|a| a.name.clone());
    let id = db
        .query_one(
            "INSERT INTO events (article_id, local_id, cluster_id, event_type, sub_event_type, status, date_start, date_end, \
             precision, location, admin1, admin2, country, iso3, lat, lon, geo_precision, actor1, actor2, fatalities, injured, \
             outlet, published, confidence, evidence, location_ar) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
             ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25) RETURNING id",
            &params![
                article_id,
                &e.id,
                &e.event_type,
                &e.sub_event_type,
                &e.status,
                &e.date.start,
                &e.date.end,
                e.date.precision,
                l.map(|l| l.name.clone()),
                l.and_then(|l| l.admin1.clone()),
                admin2.clone(),
                l.map(|l| l.country.clone()),
                l.map(|l| l.iso3.clone()),
                lat,
                lon,
                l.map(|l| l.geo_precision),
                actor1.clone(),
                e.actor2.as_ref().map(|a| a.name.clone()),
                e.fatalities,
                e.injured,
                outlet,
                published,
                f64::from(e.confidence),
                &e.evidence.text,
                l.and_then(|l| l.name_ar.clone()),
            ],
        )?
        .int(0)?;
    db.execute("INSERT INTO event_docs (event_id, event) VALUES (?1, ?2)", &params![id, serde_json::to_string(e)?])?;
    let linked = linked_clusters(db, article_id, e, lat.zip(lon), admin2.as_deref(), actor1.as_deref())?;
    let cluster = linked.first().copied().unwrap_or(id);
    db.execute("UPDATE events SET cluster_id = ?2 WHERE id = ?1", &params![id, cluster])?;
    touched.push(cluster);
    touched.extend(linked.iter().skip(1));
    if linked.len() > 1 {
        db.execute(
            &format!("UPDATE events SET cluster_id = ?1 WHERE {}", db.dialect().in_ids("cluster_id", "?2")),
            &[Value::Int(cluster), Value::Ints(linked[1..].to_vec())],
        )?;
    }
    Ok(id)
}

/// The clusters of the stored events this event is linked to, oldest first.
fn linked_clusters(
    db: &mut dyn Engine,
    article_id: i64,
    e: &Event,
    point: Option<(f64, f64)>,
    admin2: Option<&str>,
    actor1: Option<&str>,
) -> Result<Vec<i64>, StoreError> {
    // Only events placed and dated precisely enough can be told to be the same event: a
    // month-long window or a governorate centroid would merge everything nearby.
    let precise =
        |precision: Option<u8>, geo: Option<u8>| precision.is_some_and(|p| p <= 2) && geo.is_some_and(|g| g <= 2);
    if !precise(Some(e.date.precision), e.location.as_ref().map(|l| l.geo_precision)) {
        return Ok(Vec::new());
    }
    // A precise window spans days, not months: an overlapping one starts less than a month
    // before this one, and that lower bound keeps the index scan short on a large store.
    let earliest = chrono::NaiveDate::parse_from_str(&e.date.start, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_sub_days(chrono::Days::new(31)))
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
    let rows = db.query(
        "SELECT cluster_id, lat, lon, admin2, actor1 FROM events \
         WHERE sub_event_type = ?1 AND date_start <= ?2 AND date_start >= ?3 \
         AND date_end >= ?4 AND article_id != ?5 AND precision <= 2 AND geo_precision <= 2 ORDER BY cluster_id",
        &params![&e.sub_event_type, &e.date.end, earliest, &e.date.start, article_id],
    )?;
    let mut linked: Vec<i64> = Vec::new();
    for row in rows {
        let cluster = row.int(0)?;
        if linked.last() == Some(&cluster) || !actors_compatible(actor1, row.opt_text(4)?.as_deref()) {
            continue;
        }
        let Some(distance) = point.zip(row.opt_real(1)?.zip(row.opt_real(2)?)).map(|(a, b)| haversine_km(a, b)) else {
            continue;
        };
        let same_district = admin2.is_some() && admin2 == row.opt_text(3)?.as_deref();
        if distance <= SAME_PLACE_KM || same_district {
            linked.push(cluster);
        }
    }
    Ok(linked)
}

/// Two actor1s contradict each other when both are named and differ (unidentified groups
/// contradict nobody).
fn actors_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || a.starts_with("Unidentified") || b.starts_with("Unidentified"),
        _ => true,
    }
}

/// Great-circle distance in kilometres between two (lat, lon) points.
pub(crate) fn haversine_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    rasd_text::geo::haversine_km(lat1, lon1, lat2, lon2)
}

/// The words full-text search finds an event by: its sentence, place and actors, folded like
/// all matching in rasd (no diacritics, hamza or ta-marbuta differences).
pub(crate) fn search_words(e: &Event) -> String {
    let mut words = e.evidence.text.clone();
    for extra in [e.location.as_ref().map(|l| l.name.as_str()), e.location.as_ref().and_then(|l| l.name_ar.as_deref())]
        .into_iter()
        .flatten()
        .chain(e.actor1.iter().chain(&e.actor2).map(|a| a.name.as_str()))
    {
        words.push(' ');
        words.push_str(extra);
    }
    rasd_text::fold::fold_str(&words)
}
