//! What the real server does around its routes (starlette 0.27 routing, asgi-correlation-id
//! 4.3.4): trailing-slash redirects, the 405 `Allow` header, and the `X-Request-ID` rules.

use super::error::KelvinError;
use crate::app::App;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::sync::Arc;

/// The request-id header.
static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every route below `/ucsschool/kelvin` (`{}` is one path parameter).
const ROUTES: [&str; 11] = [
    "/users/",
    "/users/{}",
    "/schools/",
    "/schools/{}",
    "/classes/",
    "/classes/{}/{}",
    "/workgroups/",
    "/workgroups/{}/{}",
    "/roles/",
    "/roles/{}",
    "/readme",
];

fn matches_template(path: &str, template: &str) -> bool {
    let mut parts = path.split('/');
    let mut wanted = template.split('/');
    loop {
        match (parts.next(), wanted.next()) {
            (None, None) => return true,
            (Some(p), Some("{}")) if !p.is_empty() => {}
            (Some(p), Some(w)) if p == w => {}
            _ => return false,
        }
    }
}

/// Whether a path (below `/ucsschool/kelvin`) is one of the server's routes.
fn is_route(path: &str) -> bool {
    if path == "/token" {
        return true;
    }
    let Some(rest) = path
        .strip_prefix("/v1")
        .or_else(|| path.strip_prefix("/v2"))
    else {
        return false;
    };
    rest == "/changelog" || ROUTES.iter().any(|t| matches_template(rest, t))
}

/// What starlette's `RedirectResponse` leaves unquoted in a location.
const LOCATION: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~')
    .remove(b':')
    .remove(b'/')
    .remove(b'%')
    .remove(b'#')
    .remove(b'?')
    .remove(b'=')
    .remove(b'@')
    .remove(b'[')
    .remove(b']')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';');

/// Unknown paths: a 307 to the other spelling of the trailing slash when that is a route
/// (starlette's `redirect_slashes`, before authentication), else 404.
pub(crate) async fn fallback(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let full = crate::query::decode_path(uri.path());
    if let Some(path) = full.strip_prefix("/ucsschool/kelvin") {
        let toggled = match path.strip_suffix('/') {
            Some(_) => path.trim_end_matches('/').to_string(),
            None => format!("{path}/"),
        };
        if is_route(&toggled) {
            let origin = app.origin(&headers);
            let mut location = format!(
                "{origin}{}",
                utf8_percent_encode(&format!("/ucsschool/kelvin{toggled}"), LOCATION)
            );
            if let Some(q) = uri.query() {
                location.push('?');
                location.push_str(q);
            }
            if let Ok(value) = HeaderValue::from_str(&location) {
                return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, value)])
                    .into_response();
            }
        }
    }
    KelvinError::not_found("Not Found").into_response()
}

/// Wrong method on a route: 405 (the `Allow` header is set by [`layer`]).
pub(crate) async fn method_not_allowed() -> KelvinError {
    KelvinError::detail(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
}

/// Python's `uuid.UUID(value).version == 4` (asgi-correlation-id's `is_valid_uuid4`).
pub(crate) fn is_uuid4(value: &str) -> bool {
    let cleaned = value.replace("urn:", "").replace("uuid:", "");
    let hex: String = cleaned
        .trim_matches(['{', '}'])
        .chars()
        .filter(|c| *c != '-')
        .collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    let version = hex.as_bytes()[12];
    let variant = u8::from_str_radix(&hex[16..17], 16).unwrap_or(0);
    version == b'4' && (variant & 0b1100) == 0b1000
}

/// The id of a request: a valid UUID4 as sent, else a new one as 32 hex digits.
fn request_id(headers: &HeaderMap) -> String {
    match headers.get(&X_REQUEST_ID).and_then(|v| v.to_str().ok()) {
        Some(id) if !id.is_empty() && is_uuid4(id) => id.to_string(),
        _ => uuid::Uuid::new_v4().simple().to_string(),
    }
}

/// Around every Kelvin request: the request id on the answer, and the `Allow` header of a
/// 405 (the methods of the first route of that path: `GET`, or `POST` for the token).
pub(crate) async fn layer(request: Request, next: Next) -> Response {
    let id = request_id(request.headers());
    let is_token = request
        .uri()
        .path()
        .trim_end_matches('/')
        .ends_with("/token");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(X_REQUEST_ID.clone(), value);
    }
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        let allow = if is_token { "POST" } else { "GET" };
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_request_ids() {
        assert!(is_route("/v1/users/"));
        assert!(is_route("/v2/classes/S/k"));
        assert!(!is_route("/v1/users"));
        assert!(!is_route("/v1/classes/S/"));
        assert!(!is_route("/v3/users/"));
        assert!(is_uuid4("0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e"));
        assert!(is_uuid4("0B7B5E5E8B4D4A439C391F0A3B3C2D1E"));
        assert!(is_uuid4("{urn:uuid:0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e}"));
        assert!(
            !is_uuid4("0b7b5e5e-8b4d-1a43-9c39-1f0a3b3c2d1e"),
            "version 1"
        );
        assert!(
            !is_uuid4("0b7b5e5e-8b4d-4a43-1c39-1f0a3b3c2d1e"),
            "NCS variant"
        );
        assert!(!is_uuid4("my-id-1"));
    }
}
