//! The API version a route belongs to (`v1` or `v2`) and what it decides for a request: the
//! URLs of the answers and which state of the directory the handlers read (v2 reads its own
//! database in the real server; here the directory, optionally as it was a set time ago).

use super::error::KelvinError;
use super::urls::Urls;
use crate::app::App;
use crate::store::Tree;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::sync::Arc;

/// Which API version a route belongs to (`v1` or `v2`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiVersion(pub &'static str);

impl FromRequestParts<Arc<App>> for ApiVersion {
    type Rejection = KelvinError;

    async fn from_request_parts(parts: &mut Parts, _: &Arc<App>) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ApiVersion>()
            .copied()
            .unwrap_or(ApiVersion("v1")))
    }
}

impl FromRequestParts<Arc<App>> for Urls {
    type Rejection = KelvinError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let version = parts
            .extensions
            .get::<ApiVersion>()
            .map(|v| v.0)
            .unwrap_or("v1");
        let origin = app.origin(&parts.headers);
        let host = origin.split_once("://").map(|(_, h)| h).unwrap_or(&origin);
        Ok(Urls::new(host, version))
    }
}

/// Reads the directory as the version sees it: v1 now, v2 with the configured lag.
pub(crate) fn read<R>(app: &App, urls: &Urls, f: impl FnOnce(&Tree) -> R) -> R {
    if urls.version() == "v2" {
        app.store.read_lagged(f)
    } else {
        app.store.read(f)
    }
}
