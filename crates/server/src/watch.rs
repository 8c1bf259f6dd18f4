//! What `rasd watch` keeps, served: the state of each source, the alert rules and the latest
//! alerts, and a live stream (server-sent events) that tells pages when the database changed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream::{self, Stream};
use serde_json::{json, Value};

use crate::{ApiError, App};

/// How often the live stream looks for a change.
const LIVE_POLL: Duration = Duration::from_secs(1);
/// Alerts listed by `GET /api/alerts`.
const RECENT_ALERTS: usize = 100;

/// `GET /api/sources`: each watched source's state.
pub(crate) async fn sources(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let today = chrono::Utc::now().date_naive().to_string();
    let sources = app
        .pool
        .run(move |store| {
            let mut out = Vec::new();
            for s in store.source_states()? {
                let today = store.source_items_on(&s.name, &today)?;
                out.push(json!({
                    "name": s.name, "url": s.url, "kind": s.kind, "last_poll": s.last_poll,
                    "last_success": s.last_success, "last_error": s.last_error, "failures": s.failures,
                    "next_poll": s.next_due, "items_today": today, "items": s.items,
                }));
            }
            Ok(out)
        })
        .await?;
    Ok(Json(json!({ "sources": sources })).into_response())
}

/// `GET /api/alerts`: the alert rules of the last `rasd watch` and the latest alerts.
pub(crate) async fn alerts(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let (rules, alerts) = app.pool.run(|store| Ok((store.alert_rules()?, store.recent_alerts(RECENT_ALERTS)?))).await?;
    let rules: Vec<Value> = rules
        .into_iter()
        .map(
            |(name, rule)| json!({ "name": name, "rule": serde_json::from_str::<Value>(&rule).unwrap_or(Value::Null) }),
        )
        .collect();
    let alerts: Vec<Value> = alerts
        .into_iter()
        .map(|a| {
            let payload: Value = serde_json::from_str(&a.alert.payload).unwrap_or(Value::Null);
            json!({
                "id": a.alert.id, "rule": a.alert.rule, "destination": a.alert.destination,
                "cluster_id": a.alert.cluster_id, "status": a.status, "attempts": a.alert.attempts,
                "last_error": a.last_error, "summary": payload["summary"], "reason": payload["reason"],
            })
        })
        .collect();
    Ok(Json(json!({ "rules": rules, "alerts": alerts })).into_response())
}

/// `GET /api/live`: a `change` event now and whenever the database changes (whoever wrote:
/// `rasd watch`, `rasd ingest`, this server), with the store's counts; pages reload on it.
pub(crate) async fn live(State(app): State<Arc<App>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = stream::unfold((app, None::<i64>), |(app, last)| async move {
        loop {
            let watching = app.clone();
            let version = tokio::task::spawn_blocking(move || watching.totals.version()).await;
            if let Ok(Ok(version)) = version {
                if last != Some(version) {
                    let counts = app.pool.run(|store| Ok(store.counts()?)).await.ok()?;
                    let data = json!({
                        "version": version, "articles": counts.articles, "events": counts.events,
                        "clusters": counts.clusters,
                    });
                    return Some((Ok(Event::default().event("change").data(data.to_string())), (app, Some(version))));
                }
            }
            tokio::time::sleep(LIVE_POLL).await;
        }
    });
    Sse::new(changes).keep_alive(KeepAlive::default())
}
