//! The JSON API handlers. Shapes are documented in `openapi.json`; a test checks real answers
//! against it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use rasd_pipeline::ArticleMeta;
use rasd_store::{ClusterSummary, Marker, Outcome, Store};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::filters::{self, Format};
use crate::{ApiError, App};

type Answer = Result<Response, ApiError>;

/// The OpenAPI document of this API.
pub(crate) const OPENAPI: &str = include_str!("../openapi.json");

/// `GET /healthz`.
pub(crate) async fn health(State(app): State<Arc<App>>) -> Answer {
    let counts = app.pool.run(|store| Ok(store.counts()?)).await?;
    Ok(Json(json!({
        "status": "ok", "articles": counts.articles, "events": counts.events, "clusters": counts.clusters,
        "ingest": app.token.is_some(),
    }))
    .into_response())
}

/// `GET /api/openapi.json`.
pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// `GET /api/taxonomy`: ACLED's event types and sub-event types with their Arabic labels and map
/// colours (`data/events/taxonomy.tsv`), in ACLED's order; the web UI's menus, legend and colours.
pub(crate) async fn taxonomy() -> Response {
    Json(rasd_kb::Taxonomy::embedded()).into_response()
}

/// One page of `/api/events`, read from the rows alone (no event's JSON parsed): summaries, or
/// for the map only what its markers show.
enum Page {
    Summaries(Vec<ClusterSummary>),
    Markers(Vec<Marker>),
}

impl Page {
    fn len(&self) -> usize {
        match self {
            Page::Summaries(rows) => rows.len(),
            Page::Markers(rows) => rows.len(),
        }
    }

    /// The page's last cluster (whose first day and id are the next page's keyset).
    fn last(&self) -> Option<&Marker> {
        match self {
            Page::Summaries(rows) => rows.last().map(|s| &s.marker),
            Page::Markers(rows) => rows.last(),
        }
    }
}

/// `GET /api/events`: one page of clusters, or GeoJSON for the map.
pub(crate) async fn events(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    let mut request = filters::events(raw.as_deref())?;
    request.query = filters::canonical(&app.knowledge, request.query)?;
    let shared = app.clone();
    let (total, page, warnings, request) = app
        .pool
        .run(move |store| {
            let page = match request.format {
                Format::Markers => Page::Markers(store.markers(&request.query)?),
                Format::Json | Format::Geojson => Page::Summaries(store.summaries(&request.query)?),
            };
            // A page that is not full tells the total without counting (unless it follows a cursor).
            let (offset, len) = (request.query.offset as u64, page.len() as u64);
            let full = request.query.limit.is_some_and(|l| page.len() >= l);
            let total = if !full && request.query.after.is_none() && (len > 0 || offset == 0) {
                offset + len
            } else {
                shared.totals.count(store, &request.query)?
            };
            let warnings = if total == 0 { store.swapped_near_warning(&request.query)? } else { None };
            Ok((total, page, Vec::from_iter(warnings), request))
        })
        .await?;
    // A full page has a next one, which this cursor asks for (keyset paging: no rows skipped).
    let next = match page.last() {
        Some(last) if request.query.limit.is_some_and(|l| page.len() >= l) => {
            Some(filters::next_cursor(&last.date_start, last.id))
        }
        _ => None,
    };
    let clusters = match page {
        Page::Markers(markers) => {
            let body = crate::markers::collection(&markers, total, &warnings, next.as_deref())
                .map_err(|e| ApiError::internal(format!("cannot write the markers: {e}")))?;
            return Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response());
        }
        Page::Summaries(clusters) => clusters,
    };
    let body = match request.format {
        Format::Json => json!({
            "total": total, "offset": request.query.offset, "limit": request.query.limit, "next": next, "warnings": warnings,
            "events": clusters.iter().map(rasd_export::summary_json).collect::<Vec<_>>(),
        }),
        Format::Geojson | Format::Markers => {
            let mut collection = rasd_export::geojson_value(&clusters);
            collection["total"] = json!(total);
            collection["next"] = json!(next);
            collection["warnings"] = json!(warnings);
            collection
        }
    };
    let mut response = Json(body).into_response();
    if request.format == Format::Geojson {
        response.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/geo+json"));
    }
    Ok(response)
}

/// `GET /api/events/{id}`: a cluster with every source's full reading.
pub(crate) async fn event(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let id = row_id("event", &id)?;
    let cluster = app.pool.run(move |store| Ok(store.cluster(id)?)).await?;
    let cluster = cluster.ok_or_else(|| ApiError::not_found(format!("no event {id}")))?;
    Ok(Json(json!({
        "id": cluster.id,
        "summary": rasd_export::summary_json(&rasd_store::ClusterSummary::of(&cluster)),
        "fatalities": cluster.fatalities(),
        "reports": cluster.reports.iter().map(|r| json!({
            "event_id": r.event_id, "article_id": r.article_id, "outlet": r.outlet,
            "published": r.published, "fatalities": r.fatalities, "event": r.event,
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// `GET /api/articles/{id}`: a stored article's record (its text and every span).
pub(crate) async fn article(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let id = row_id("article", &id)?;
    let stored = app.pool.run(move |store| Ok(store.stored_article(id)?)).await?;
    let stored = stored.ok_or_else(|| ApiError::not_found(format!("no article {id}")))?;
    Ok(Json(json!({"id": stored.row.id, "origin": stored.row.origin, "copy_of": stored.row.copy_of, "record": stored.record}))
        .into_response())
}

/// `GET /api/stats`: counts of the matching clusters by day, type, governorate and status.
pub(crate) async fn stats(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    let query = filters::canonical(&app.knowledge, filters::stats(raw.as_deref())?)?;
    let shared = app.clone();
    let stats = app.pool.run(move |store| Ok(shared.totals.stats(store, &query)?)).await?;
    let mut by_day: Vec<Value> = Vec::new();
    for (day, event_type, n) in &stats.by_day {
        if by_day.last().is_none_or(|d| d["date"] != day.as_str()) {
            by_day.push(json!({"date": day, "counts": {}}));
        }
        if let Some(last) = by_day.last_mut() {
            last["counts"][event_type] = json!(n);
        }
    }
    let object =
        |pairs: &[(String, u64)]| pairs.iter().map(|(k, n)| (k.clone(), json!(n))).collect::<serde_json::Map<_, _>>();
    Ok(Json(json!({
        "total": stats.total, "by_day": by_day, "by_type": object(&stats.by_type),
        "by_admin1": object(&stats.by_admin1), "by_status": object(&stats.by_status),
    }))
    .into_response())
}

/// `POST /api/extract`: an article in, its record out; nothing is stored.
pub(crate) async fn extract(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let submitted = Submitted::parse(&headers, body)?;
    // One extraction per core at most; a request waits for a turn within its time budget.
    let _turn = app.extractions.acquire().await.map_err(|_| ApiError::unavailable("the server is stopping"))?;
    Ok(Json(read(&app, &submitted).await?).into_response())
}

/// Reads a submitted article on the blocking pool.
async fn read(app: &Arc<App>, submitted: &Submitted) -> Result<rasd_record::Record, ApiError> {
    let knowledge = app.knowledge.clone();
    let (text, meta) = (submitted.text.clone(), submitted.meta.clone());
    // When this request is dropped (its client went away, or its time ran out), the guard
    // raises the flag and the extraction stops at its next stage.
    let stop = Arc::new(AtomicBool::new(false));
    let _guard = StopOnDrop(stop.clone());
    tokio::task::spawn_blocking(move || knowledge.extract_until(&text, &meta, &|| stop.load(Ordering::Relaxed)))
        .await
        .map_err(|e| ApiError::internal(format!("extraction failed: {e}")))?
        .ok_or_else(|| ApiError::unavailable("the extraction was stopped"))
}

/// Raises its flag when dropped.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// `POST /api/articles`: reads and stores an article; needs the server's bearer token.
pub(crate) async fn ingest(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    authorize(app.token.as_deref(), &headers)?;
    if app.pool.read_only {
        return Err(ApiError::forbidden("the database is read-only for this server: articles cannot be stored"));
    }
    let submitted = Submitted::parse(&headers, body)?;
    // Read first: the database connection is held only to store.
    let record = read(&app, &submitted).await?;
    let origin = submitted.meta.url.clone().unwrap_or_else(|| "POST /api/articles".to_string());
    let (outcome, record) = app
        .pool
        .run(move |store: &mut Store| {
            let mut batch = store.batch()?;
            let outcome = batch.put(&record, &origin)?;
            batch.commit()?;
            Ok((outcome, record))
        })
        .await?;
    let (name, id, status) = match outcome {
        Outcome::New(id) => ("new", id, StatusCode::CREATED),
        Outcome::Copy(id, _) => ("copy", id, StatusCode::CREATED),
        Outcome::Updated(id) => ("updated", id, StatusCode::OK),
        Outcome::Duplicate(id) => ("duplicate", id, StatusCode::OK),
    };
    let copy_of = match outcome {
        Outcome::Copy(_, original) => Some(original),
        _ => None,
    };
    let events = if matches!(outcome, Outcome::Duplicate(_)) { 0 } else { record.events.len() };
    Ok((status, Json(json!({"outcome": name, "article_id": id, "copy_of": copy_of, "events": events}))).into_response())
}

/// Any other path.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("no such page or endpoint; the API is described at /api/openapi.json")
}

fn row_id(what: &str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::bad_request(format!("{what} id {raw:?} is not a positive whole number")))
}

/// Checks `Authorization: Bearer <token>` against the server's token.
fn authorize(token: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = token else {
        return Err(ApiError::forbidden(
            "ingest over HTTP is disabled: start `rasd serve` with --token (or RASD_TOKEN)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::unauthorized("this endpoint needs `Authorization: Bearer <token>`"))?;
    // Compare without an early exit, so timing does not tell how much of a guess was right.
    let same = given.len() == token.len() && given.bytes().zip(token.bytes()).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::unauthorized("the bearer token is wrong"))
    }
}

/// An article posted to `/api/extract` or `/api/articles`, as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// A checked submission: JSON with `text` and optional metadata, or plain text.
#[derive(Debug)]
struct Submitted {
    text: String,
    meta: ArticleMeta,
}

impl Submitted {
    fn parse(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Submitted, ApiError> {
        let body = body.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::too_large(format!("the body is larger than {} bytes", crate::MAX_BODY_BYTES))
            }
            status => ApiError { status, message: e.body_text() },
        })?;
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let body = if json {
            serde_json::from_slice::<Body>(&body).map_err(|e| ApiError::bad_request(format!("body: {e}")))?
        } else {
            let text = String::from_utf8(body.to_vec()).map_err(|_| ApiError::bad_request("body: not UTF-8 text"))?;
            Body { text, title: None, published: None, outlet: None, url: None }
        };
        if body.text.trim().is_empty() {
            return Err(ApiError::bad_request("body: the article text is empty"));
        }
        let published = match &body.published {
            Some(d) => Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| ApiError::bad_request(format!("published: {d:?} is not a date (YYYY-MM-DD)")))?,
            ),
            None => None,
        };
        let meta =
            ArticleMeta { published, outlet: body.outlet, url: body.url, title: body.title, ..Default::default() };
        Ok(Submitted { text: body.text, meta })
    }
}
