//! The documentation routes, without authentication as on the real server: `GET /readme`,
//! `GET /changelog` (HTML) and `GET /openapi.json` of each version, and the service routes
//! `GET /ucsschool/kelvin/openapi-v1.json` and `/openapi-v2.json` (ucsschool-kelvin-rest-api
//! release-4.0.0, `kelvin-api/ucsschool/kelvin/routers/v1/doc.py`: `router` is included in
//! both versioned routers, `service_router` at `/ucsschool/kelvin`).
//!
//! The OpenAPI documents are the vendored ones (`specs/kelvin/`): the real server's documents
//! without their prose (`description`, `summary`), as the differential test checks. So
//! `cargo xtask fetch` works against the emulator.

use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};

use super::ApiVersion;

const NOTE: &str = "<p>This is <strong>ucs-sim</strong>, an in-memory emulator of the UCS@school \
Kelvin REST API for tests and demos. It is not a Kelvin server: no LDAP, no replication, \
no hooks.</p>";

/// The v1 document as Kelvin 4.0.0 serves it (`title` "Kelvin API - V1").
const OPENAPI_V1: &str = include_str!("../../../../specs/kelvin/openapi.json");
/// The v2 document as Kelvin 4.0.0 serves it (`title` "Kelvin API - V2").
const OPENAPI_V2: &str = include_str!("../../../../specs/kelvin/openapi-v2.json");

/// The readme page.
pub(crate) async fn readme() -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>Kelvin API (ucs-sim)</title></head><body><h1>Kelvin API</h1>{NOTE}</body></html>"
    ))
}

/// The changelog page.
pub(crate) async fn changelog() -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>Kelvin API changelog (ucs-sim)</title></head><body><h1>Changelog</h1>{NOTE}<p>Emulates the API of Kelvin 4.0.0.</p></body></html>"
    ))
}

/// `GET /v1/openapi.json`, `GET /v2/openapi.json` (`doc.py` `openapi_versioned`: the
/// document of the version in the path).
pub(crate) async fn openapi_versioned(version: ApiVersion) -> Response {
    document(if version.0 == "v2" {
        OPENAPI_V2
    } else {
        OPENAPI_V1
    })
}

/// `GET /openapi-v1.json` (`doc.py` `openapi_v1`).
pub(crate) async fn openapi_v1() -> Response {
    document(OPENAPI_V1)
}

/// `GET /openapi-v2.json` (`doc.py` `openapi_v2`; on the service router, so without v2's
/// database check).
pub(crate) async fn openapi_v2() -> Response {
    document(OPENAPI_V2)
}

fn document(text: &'static str) -> Response {
    ([(CONTENT_TYPE, "application/json")], text).into_response()
}
