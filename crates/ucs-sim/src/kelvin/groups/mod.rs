//! `/classes/` and `/workgroups/` (`kelvin/routers/v1/school_class.py`, `workgroup.py`; v2
//! reads `v2/school_class.py`, `v2/workgroup.py`): school groups addressed as
//! `/{school}/{name}`, stored as `groups/group` entries named `<school>-<name>`.

mod kind;
pub(crate) mod model;
mod view;
mod write;

use super::body;
use super::caller::{Admin, Reader};
use super::error::KelvinError;
use super::urls::Urls;
use super::version::{self, ApiVersion};
use crate::app::App;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use kind::Kind;
use serde_json::Value;
use std::sync::Arc;

/// Selects the kind of group a generic handler serves.
pub(crate) trait GroupResource: Send + Sync + 'static {
    /// The kind.
    const KIND: Kind;
}

/// `/classes/`.
pub(crate) struct Classes;

impl GroupResource for Classes {
    const KIND: Kind = Kind::Class;
}

/// `/workgroups/`.
pub(crate) struct Workgroups;

impl GroupResource for Workgroups {
    const KIND: Kind = Kind::Workgroup;
}

/// `GET /classes/?school=...&name=...` (and workgroups).
pub(crate) async fn list<K: GroupResource>(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, KelvinError> {
    let query = view::search_query(raw.as_deref())?;
    version::read(&app, &urls, |tree| {
        view::search(tree, K::KIND, &urls, &query)
    })
    .map(Json)
}

/// `GET /classes/{school}/{name}` (and workgroups).
pub(crate) async fn get_one<K: GroupResource>(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    Path((school, name)): Path<(String, String)>,
) -> Result<Json<Value>, KelvinError> {
    version::read(&app, &urls, |tree| {
        view::get(tree, K::KIND, &urls, &school, &name)
    })
    .map(Json)
}

/// `POST /classes/` (and workgroups).
pub(crate) async fn post<K: GroupResource>(
    State(app): State<Arc<App>>,
    urls: Urls,
    version: ApiVersion,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, KelvinError> {
    let dict = body::admin_write(&app, &headers, &body)?;
    let input = model::parse_body(K::KIND, &dict)?;
    let doc = write::create(&app, K::KIND, version, &urls, input)?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// `PUT /classes/{school}/{name}` (and workgroups).
pub(crate) async fn put<K: GroupResource>(
    State(app): State<Arc<App>>,
    urls: Urls,
    version: ApiVersion,
    headers: HeaderMap,
    Path((school, name)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    let dict = body::admin_write(&app, &headers, &body)?;
    let input = model::parse_body(K::KIND, &dict)?;
    write::replace(&app, K::KIND, version, &urls, (&school, &name), input).map(Json)
}

/// `PATCH /classes/{school}/{name}` (and workgroups).
pub(crate) async fn patch<K: GroupResource>(
    State(app): State<Arc<App>>,
    urls: Urls,
    version: ApiVersion,
    headers: HeaderMap,
    Path((school, name)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    let dict = body::admin_write(&app, &headers, &body)?;
    let input = model::parse_patch(K::KIND, &dict)?;
    write::change(&app, K::KIND, version, &urls, (&school, &name), input).map(Json)
}

/// `DELETE /classes/{school}/{name}` (and workgroups).
pub(crate) async fn delete<K: GroupResource>(
    State(app): State<Arc<App>>,
    _: Admin,
    Path((school, name)): Path<(String, String)>,
) -> Result<StatusCode, KelvinError> {
    write::remove(&app, K::KIND, &school, &name)
}
