//! The UDM REST API at `/univention/udm/`: HTTP Basic authentication, then dispatch on the
//! raw request path (DNs are percent-decoded exactly once, as the real server does).

pub(crate) mod catalog;
mod error;
mod modules;
mod objects;
pub(crate) mod progress;
mod repr;
mod search;
pub(crate) mod search_cache;

use crate::app::App;
use crate::auth::{self, UdmAccess};
use crate::query;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use error::UdmError;
use std::sync::Arc;

/// The realm of the Basic authentication challenge.
const REALM: &str = "Basic realm=\"Univention Directory Manager\"";

/// The path prefix of the API.
pub(crate) const PREFIX: &str = "/univention/udm";

fn unauthorized() -> UdmError {
    UdmError::new(
        StatusCode::UNAUTHORIZED,
        "Authentication required: wrong or missing credentials.",
    )
    .with_header(header::WWW_AUTHENTICATE, REALM)
}

fn authenticate(app: &App, headers: &HeaderMap) -> Result<(), UdmError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(unauthorized)?;
    let (scheme, encoded) = value.split_once(' ').ok_or_else(unauthorized)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(unauthorized());
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(unauthorized)?;
    let (username, password) = decoded.split_once(':').ok_or_else(unauthorized)?;
    match app
        .store
        .read(|tree| auth::udm_login(tree, username, password))
    {
        UdmAccess::Granted => Ok(()),
        UdmAccess::Unauthenticated => Err(unauthorized()),
        UdmAccess::Forbidden => Err(UdmError::new(
            StatusCode::FORBIDDEN,
            format!("The user {username:?} is not allowed to use the UDM REST API."),
        )),
    }
}

fn allowed(methods: &[String], method: &Method) -> Result<(), UdmError> {
    let name = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    if methods.iter().any(|m| m == name) {
        Ok(())
    } else {
        Err(UdmError::method_not_allowed(methods))
    }
}

/// Handles every request below `/univention/udm`.
pub(crate) async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match dispatch(&app, &method, &uri, &headers, &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn dispatch(
    app: &App,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, UdmError> {
    authenticate(app, headers)?;
    let base = format!("{}{PREFIX}", app.origin(headers));
    let rest = uri.path().strip_prefix(PREFIX).unwrap_or("");
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let pairs = query::parse(uri.query());
    let get_only = [String::from("GET")];

    if rest.is_empty() {
        allowed(&get_only, method)?;
        return Ok(Json(modules::root(&app.catalog, &base)).into_response());
    }
    let mut parts = rest.splitn(3, '/');
    let family = parts.next().unwrap_or("");
    let name = parts.next();
    let remainder = parts.next();

    if family == "progress" {
        allowed(&get_only, method)?;
        return objects::progress(app, &base, &query::decode_path(name.unwrap_or("")));
    }
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        allowed(&get_only, method)?;
        return modules::family(&app.catalog, &base, family)
            .map(|doc| Json(doc).into_response())
            .ok_or_else(|| {
                UdmError::new(
                    StatusCode::NOT_FOUND,
                    format!("Unknown module family {family:?}."),
                )
            });
    };
    let module_name = format!("{family}/{name}");
    let module = app.catalog.module(&module_name).ok_or_else(|| {
        UdmError::new(
            StatusCode::NOT_FOUND,
            format!("Unknown object type {module_name:?}."),
        )
    })?;
    match remainder {
        None | Some("") => {
            allowed(&module.collection, method)?;
            if method == Method::POST {
                objects::create(app, module, &base, body)
            } else {
                search::search(app, module, &base, &pairs).map(|doc| Json(doc).into_response())
            }
        }
        Some("add") => {
            let methods = if module.template {
                get_only.to_vec()
            } else {
                Vec::new()
            };
            allowed(&methods, method)?;
            Ok(Json(objects::template(app, module, &base, &pairs)).into_response())
        }
        Some(raw_dn) => {
            allowed(&module.object, method)?;
            let dn_text = query::decode_path(raw_dn);
            match *method {
                Method::GET | Method::HEAD => {
                    objects::get(app, module, &base, &dn_text, headers, &pairs)
                }
                Method::PUT => objects::modify(app, module, &base, &dn_text, headers, body, true),
                Method::PATCH => {
                    objects::modify(app, module, &base, &dn_text, headers, body, false)
                }
                Method::DELETE => objects::delete(app, module, &dn_text, headers, &pairs),
                _ => Err(UdmError::method_not_allowed(&module.object)),
            }
        }
    }
}
