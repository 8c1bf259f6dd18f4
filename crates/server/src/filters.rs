//! The query string of `/api/events` and `/api/stats`, checked: an unknown parameter, a
//! malformed date or number, or an impossible value is a 400 that says which and why.

use chrono::NaiveDate;
use rasd_pipeline::Knowledge;
use rasd_store::EventQuery;

use crate::{ApiError, MAX_QUERY_BYTES};

/// Clusters per page when the client does not say.
pub(crate) const DEFAULT_LIMIT: usize = 100;
/// The most clusters one JSON page holds.
pub(crate) const MAX_LIMIT: usize = 1000;
/// The most features one GeoJSON answer holds (the map's markers).
pub(crate) const MAX_GEOJSON_LIMIT: usize = 10_000;
/// The longest value of a text filter, in characters.
const MAX_VALUE_CHARS: usize = 200;

/// The filter parameters, as documented in `openapi.json`.
const FILTERS: &[&str] =
    &["since", "until", "type", "sub_type", "admin1", "near", "actor", "status", "text", "min_confidence"];
/// The paging parameters of `/api/events`.
const PAGING: &[&str] = &["limit", "offset", "after", "format"];

/// How `/api/events` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `{"total", "offset", "limit", "events": [summary…]}`.
    Json,
    /// A GeoJSON FeatureCollection with a `total` member.
    Geojson,
    /// The same, each feature's properties only what a map marker shows ([`crate::markers`]).
    Markers,
}

/// A parsed `/api/events` request.
#[derive(Debug)]
pub(crate) struct EventsRequest {
    pub(crate) query: EventQuery,
    pub(crate) format: Format,
}

/// Parses the query string of `/api/events` (filters and paging), newest first.
pub(crate) fn events(raw: Option<&str>) -> Result<EventsRequest, ApiError> {
    let mut request =
        EventsRequest { query: EventQuery { newest_first: true, ..Default::default() }, format: Format::Json };
    let mut limit = None;
    for (key, value) in pairs(raw, &[FILTERS, PAGING].concat())? {
        match key.as_str() {
            "limit" => limit = Some(number(&key, &value)?),
            "offset" => request.query.offset = number(&key, &value)?,
            "after" => request.query.after = Some(cursor(&value)?),
            "format" => {
                request.format = match value.as_str() {
                    "json" => Format::Json,
                    "geojson" => Format::Geojson,
                    "markers" => Format::Markers,
                    other => {
                        return Err(ApiError::bad_request(format!("format: {other:?} is not json, geojson or markers")))
                    }
                }
            }
            _ => filter(&mut request.query, &key, value)?,
        }
    }
    if request.query.after.is_some() && request.query.offset > 0 {
        return Err(ApiError::bad_request("after and offset cannot be combined: page with one or the other"));
    }
    let (max, default) = match request.format {
        Format::Json => (MAX_LIMIT, DEFAULT_LIMIT),
        Format::Geojson | Format::Markers => (MAX_GEOJSON_LIMIT, MAX_GEOJSON_LIMIT),
    };
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(ApiError::bad_request(format!("limit: {limit} is not between 1 and {max}")));
    }
    request.query.limit = Some(limit);
    Ok(request)
}

/// Parses the query string of `/api/stats` (filters only).
pub(crate) fn stats(raw: Option<&str>) -> Result<EventQuery, ApiError> {
    let mut query = EventQuery::default();
    for (key, value) in pairs(raw, FILTERS)? {
        filter(&mut query, &key, value)?;
    }
    Ok(query)
}

/// The decoded pairs, each parameter known and given once.
fn pairs(raw: Option<&str>, known: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let raw = raw.unwrap_or("");
    if raw.len() > MAX_QUERY_BYTES {
        return Err(ApiError::uri_too_long(format!(
            "the query string is {} bytes; the limit is {MAX_QUERY_BYTES}",
            raw.len()
        )));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
        .map_err(|e| ApiError::bad_request(format!("the query string is not valid: {e}")))?;
    for (i, (key, _)) in pairs.iter().enumerate() {
        if !known.contains(&key.as_str()) {
            return Err(ApiError::bad_request(format!("unknown parameter {key:?}; known: {}", known.join(", "))));
        }
        if pairs[..i].iter().any(|(k, _)| k == key) {
            return Err(ApiError::bad_request(format!("parameter {key:?} is given twice")));
        }
    }
    Ok(pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect())
}

fn filter(q: &mut EventQuery, key: &str, value: String) -> Result<(), ApiError> {
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(ApiError::bad_request(format!("{key}: contains the control character {c:?}")));
    }
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(ApiError::bad_request(format!("{key}: longer than {MAX_VALUE_CHARS} characters")));
    }
    match key {
        "since" => q.since = Some(date(key, &value)?),
        "until" => q.until = Some(date(key, &value)?),
        "type" => q.event_type = Some(value),
        "sub_type" => q.sub_event_type = Some(value),
        "admin1" => q.admin1 = Some(value),
        "actor" => q.actor = Some(value),
        "text" => q.text = Some(value),
        "near" => {
            q.near = Some(rasd_store::parse_near(&value).map_err(|e| ApiError::bad_request(format!("near: {e}")))?)
        }
        "min_confidence" => {
            q.min_confidence = Some(
                rasd_store::parse_confidence(&value)
                    .map_err(|e| ApiError::bad_request(format!("min_confidence: {e}")))?,
            )
        }
        "status" => match value.as_str() {
            "occurred" | "future" | "denied" | "negated" => q.status = Some(value),
            other => {
                return Err(ApiError::bad_request(format!(
                    "status: {other:?} is not one of occurred, future, denied, negated"
                )))
            }
        },
        _ => unreachable!("pairs() admits only known parameters"),
    }
    Ok(())
}

/// The filter values as the user meant them ([`Knowledge::resolve_query`]: aliases, Arabic
/// names, any case); a value that names nothing is a 400 naming its parameter.
pub(crate) fn canonical(knowledge: &Knowledge, query: EventQuery) -> Result<EventQuery, ApiError> {
    knowledge.resolve_query(query).map_err(|e| ApiError::bad_request(e.to_string()))
}

fn date(key: &str, value: &str) -> Result<String, ApiError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| ApiError::bad_request(format!("{key}: {value:?} is not a date (YYYY-MM-DD)")))
}

/// The keyset cursor of the event a page ends with, `DATE,ID` ([`next_cursor`]).
fn cursor(value: &str) -> Result<(String, i64), ApiError> {
    let bad =
        || ApiError::bad_request(format!("after: {value:?} is not a cursor (DATE,ID as a page's `next` gives it)"));
    let (day, id) = value.split_once(',').ok_or_else(bad)?;
    let id = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(bad)?;
    Ok((date("after", day)?, id))
}

/// The cursor of the page after one that ends with this cluster (first day, id).
pub(crate) fn next_cursor(date_start: &str, id: i64) -> String {
    format!("{date_start},{id}")
}

fn number(key: &str, value: &str) -> Result<usize, ApiError> {
    value.parse().map_err(|_| ApiError::bad_request(format!("{key}: {value:?} is not a whole number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_paging_are_read() {
        let r = events(Some(
            "type=Battles&since=2025-01-02&near=33.5,36.3,10&limit=5&offset=10&text=%D8%AF%D8%B1%D8%B9%D8%A7",
        ))
        .unwrap();
        assert_eq!(r.query.event_type.as_deref(), Some("Battles"));
        assert_eq!(r.query.since.as_deref(), Some("2025-01-02"));
        assert_eq!(r.query.near, Some((33.5, 36.3, 10.0)));
        assert_eq!((r.query.limit, r.query.offset), (Some(5), 10));
        assert_eq!(r.query.text.as_deref(), Some("درعا"));
        assert!(r.query.newest_first);
        let r = events(Some(&format!("after={}", next_cursor("2025-01-02", 77)))).unwrap();
        assert_eq!(r.query.after, Some(("2025-01-02".to_string(), 77)));
    }

    #[test]
    fn empty_values_are_no_filter_and_geojson_pages_are_large() {
        let r = events(Some("type=&format=geojson")).unwrap();
        assert_eq!(r.query.event_type, None);
        assert_eq!((r.format, r.query.limit), (Format::Geojson, Some(MAX_GEOJSON_LIMIT)));
        assert_eq!(events(None).unwrap().query.limit, Some(DEFAULT_LIMIT));
        let r = events(Some("format=markers")).unwrap();
        assert_eq!((r.format, r.query.limit), (Format::Markers, Some(MAX_GEOJSON_LIMIT)));
    }

    #[test]
    fn bad_parameters_say_what_is_wrong() {
        let message = |q: &str| events(Some(q)).unwrap_err().message;
        assert!(message("since=2025-13-01").contains("since: \"2025-13-01\" is not a date"));
        assert!(message("limit=0").contains("limit: 0"));
        assert!(message("limit=1001").contains("between 1 and 1000"));
        assert!(message("limit=ten").contains("whole number"));
        assert!(message("status=happened").contains("not one of"));
        assert!(message("near=33,36").contains("near:"));
        assert!(message("colour=red").contains("unknown parameter \"colour\""));
        assert!(message("type=a&type=b").contains("given twice"));
        assert!(message("format=xml").contains("format"));
        assert!(message("after=2025-01-02").contains("after: \"2025-01-02\" is not a cursor"));
        assert!(message("after=2025-01-02,0").contains("not a cursor"));
        assert!(message("after=2025-02-30,5").contains("after: \"2025-02-30\" is not a date"));
        assert!(message("after=2025-01-02,5&offset=3").contains("cannot be combined"));
        assert!(stats(Some("limit=5")).is_err(), "stats take no paging");
        let long = format!("text={}", "a".repeat(MAX_QUERY_BYTES));
        assert_eq!(events(Some(&long)).unwrap_err().status, axum::http::StatusCode::URI_TOO_LONG);
    }
}
