//! `/users/` (`kelvin/routers/v1/user.py`; v2 reads `v2/user.py`): search, get, create,
//! replace (PUT), change (PATCH), delete.

mod checks;
pub(crate) mod class;
mod convert;
mod create;
mod legal_gate;
mod lib;
pub(crate) mod model;
pub(crate) mod persist;
mod refs_resolve;
pub(crate) mod search;
pub(crate) mod state;
mod update;
pub(crate) mod view;

use super::body;
use super::caller::{Admin, Reader};
use super::error::KelvinError;
use super::py::repr;
use super::urls::Urls;
use super::version::{self, ApiVersion};
use crate::app::App;
use crate::directory;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;
use ucs_ldap::canonical as dn;

fn no_object(name: &str) -> KelvinError {
    KelvinError::not_found(format!(
        "No object with name={} found or not authorized.",
        repr(name)
    ))
}

fn non_school_user() -> KelvinError {
    KelvinError::not_found("No object with name=None found or not authorized.")
}

/// `GET /users/`.
pub(crate) async fn search(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, KelvinError> {
    let v2 = urls.version() == "v2";
    let mapped = &app.mapped_udm_properties;
    let parsed = if v2 {
        search::parse_v2(raw.as_deref(), mapped)?
    } else {
        search::parse_v1(raw.as_deref(), mapped)?
    };
    version::read(&app, &urls, |tree| {
        let docs = search::run(tree, &parsed, v2)
            .iter()
            .map(|(o, s)| view::to_json(tree, o, s, &urls, mapped))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Json(Value::from(docs)))
    })
}

/// `GET /users/{name}`: any object with that `uid` (case-insensitive); v2 exactly.
pub(crate) async fn get_one(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    Path(name): Path<String>,
) -> Result<Json<Value>, KelvinError> {
    version::read(&app, &urls, |tree| {
        let object = crate::auth::find_user(tree, &name).ok_or_else(|| no_object(&name))?;
        if urls.version() == "v2" && object.prop_str("username") != Some(name.as_str()) {
            return Err(no_object(&name));
        }
        let s = state::read(tree, object).ok_or_else(|| {
            if urls.version() == "v2" {
                no_object(&name)
            } else {
                non_school_user()
            }
        })?;
        view::to_json(tree, object, &s, &urls, &app.mapped_udm_properties).map(Json)
    })
}

/// `POST /users/`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    urls: Urls,
    version: ApiVersion,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, KelvinError> {
    let dict = body::admin_write(&app, &headers, &body)?;
    let input = model::parse_body(&dict, &app.mapped_udm_properties)?;
    let doc = create::create(&app, version, &urls, input)?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// `PUT /users/{name}`.
pub(crate) async fn replace(
    State(app): State<Arc<App>>,
    urls: Urls,
    version: ApiVersion,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    let dict = body::admin_write(&app, &headers, &body)?;
    let input = model::parse_body(&dict, &app.mapped_udm_properties)?;
    update::replace(&app, version, &urls, &name, input).map(Json)
}

/// `PATCH /users/{name}`.
pub(crate) async fn patch(
    State(app): State<Arc<App>>,
    urls: Urls,
    version: ApiVersion,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    let dict = body::admin_write(&app, &headers, &body)?;
    let input = model::parse_patch(&dict, &app.mapped_udm_properties)?;
    update::patch(&app, version, &urls, &name, input).map(Json)
}

/// `DELETE /users/{name}`.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    _: Admin,
    Path(name): Path<String>,
) -> Result<StatusCode, KelvinError> {
    app.store.write(|tree| {
        let object = crate::auth::find_user(tree, &name).ok_or_else(|| no_object(&name))?;
        if !state::is_school_user(object) {
            return Err(non_school_user());
        }
        let key = dn::key_of_canonical(&object.dn);
        directory::delete(tree, &key, false).map_err(super::udm_error::dir_error)?;
        Ok(StatusCode::NO_CONTENT)
    })
}
