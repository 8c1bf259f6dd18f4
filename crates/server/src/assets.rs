//! The web UI, embedded from `web/` at build time: `/` is `index.html`, `/sources` is
//! `sources.html`, every other file is under `/assets/`. Nothing is fetched from elsewhere (no CDN, no tile server).

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::ApiError;

#[derive(rust_embed::Embed)]
#[folder = "web/"]
struct Web;

/// `GET /`.
pub(crate) async fn index() -> Response {
    file(Path("index.html".to_string())).await
}

/// `GET /sources`: the watched sources and the alerts.
pub(crate) async fn sources() -> Response {
    file(Path("sources.html".to_string())).await
}

/// `GET /assets/{path}`.
pub(crate) async fn file(Path(path): Path<String>) -> Response {
    let Some(asset) = Web::get(&path) else {
        return ApiError::not_found(format!("no asset {path:?}")).into_response();
    };
    let mime = asset.metadata.mimetype();
    let mut response = asset.data.into_owned().into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
