//! What the server checks before any resource runs (`ResourceBase.prepare`): credentials
//! (401 without an `Authorization` header, before anything else), then in any case `Accept`
//! (406) and the request body (400 for a body on a safe method or invalid JSON), which replace
//! a 400/403 of the credential check; last that 400/403.

use super::error::UdmError;
use super::negotiate::{self, Format};
use crate::app::App;
use crate::auth::{self, UdmAccess};
use axum::http::{header, HeaderMap, Method, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

/// The challenge of a 401.
pub(crate) const REALM: &str = "Basic realm=\"Univention Directory Manager\"";

/// Which `Accept` rule the resource applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AcceptRule {
    /// `check_acceptable`.
    Normal,
    /// The OpenAPI document: always JSON.
    AlwaysJson,
    /// The progress resource: exactly `*/*` also means JSON (old clients send it).
    StarIsJson,
}

/// What the preamble found.
pub(crate) struct Passed {
    /// The caller's DN.
    pub user: String,
    /// The negotiated format.
    pub format: Format,
    /// The JSON body of a write, if it was sent as `application/json`.
    pub body: Option<Value>,
}

/// Why the request stops in the preamble.
pub(crate) enum Stop {
    /// 401 with an empty body (and the challenge(s)).
    Unauthorized { bearer: bool },
    /// Any other error, in the format negotiated so far (JSON when Accept failed: the error
    /// itself is then an HTML page).
    Error(UdmError, Format),
}

/// The credentials of a Basic header, decoded as ISO-8859-1, or the 400.
fn basic_credentials(payload: &str) -> Result<(String, String), UdmError> {
    let malformed = || UdmError::bad_request("The basic auth credentials are malformed.");
    // the server's decoder drops characters outside the alphabet
    let cleaned: String = payload
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    let bytes = STANDARD.decode(cleaned).map_err(|_| malformed())?;
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let (user, password) = text.split_once(':').ok_or_else(malformed)?;
    if user.is_empty() || password.is_empty() {
        return Err(malformed());
    }
    Ok((user.to_string(), password.to_string()))
}

/// Checks the `Authorization` header: the caller's DN, a stop (401), or a deferred error.
fn authorize(app: &App, value: &str) -> Result<Result<String, UdmError>, Stop> {
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("bearer ") {
        return Err(Stop::Unauthorized { bearer: true });
    }
    let Some(payload) = value.get(6..).filter(|_| lower.starts_with("basic ")) else {
        return Err(Stop::Unauthorized { bearer: false });
    };
    let (user, password) = match basic_credentials(payload) {
        Ok(pair) => pair,
        Err(e) => return Ok(Err(e)),
    };
    match app
        .store
        .read(|tree| auth::udm_login(tree, &app.ldap_secret, &user, &password))
    {
        UdmAccess::Granted(dn) => Ok(Ok(dn)),
        UdmAccess::Unauthenticated => Err(Stop::Unauthorized { bearer: false }),
        UdmAccess::Forbidden => Ok(Err(UdmError::http(
            StatusCode::FORBIDDEN,
            Some("Not in allowed groups."),
        ))),
    }
}

fn content_type(headers: &HeaderMap) -> String {
    let raw = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    raw.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `decode_request_arguments`: the JSON body of a write, or a 400.
fn decode_body(
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<Value>, UdmError> {
    if matches!(
        *method,
        Method::HEAD | Method::GET | Method::OPTIONS | Method::DELETE
    ) {
        if !body.is_empty() {
            return Err(UdmError::bad_request(
                "Safe HTTP method should not contain request body/Content-Type header.",
            ));
        }
        return Ok(None);
    }
    match content_type(headers).as_str() {
        "application/json" | "application/json-patch+json" => {
            serde_json::from_slice(body).map(Some).map_err(|e| {
                UdmError::bad_request(&format!("Invalid JSON document: JSONDecodeError('{e}')"))
            })
        }
        _ => Ok(None),
    }
}

/// Runs the preamble in the server's order.
pub(crate) fn run(
    app: &App,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    rule: AcceptRule,
) -> Result<Passed, Stop> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(authorization) = authorization.filter(|a| !a.is_empty()) else {
        return Err(Stop::Unauthorized { bearer: false });
    };
    let deferred = authorize(app, &authorization)?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let format = match (rule, accept) {
        (AcceptRule::AlwaysJson, _) => Format::Json,
        (AcceptRule::StarIsJson, Some("*/*")) => Format::Json,
        _ => negotiate::accept(accept).map_err(|r| Stop::Error(r.into_error(), Format::Json))?,
    };
    let body = decode_body(method, headers, body).map_err(|e| Stop::Error(e, format))?;
    let user = deferred.map_err(|e| Stop::Error(e, format))?;
    Ok(Passed { user, format, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_latin1_and_must_not_be_empty() {
        let encoded = STANDARD.encode([b'a', b':', 0xFC]);
        assert_eq!(
            basic_credentials(&encoded).unwrap(),
            ("a".into(), "ü".into())
        );
        assert!(basic_credentials(&STANDARD.encode("a:")).is_err());
        assert!(basic_credentials(&STANDARD.encode(":b")).is_err());
        assert!(basic_credentials(&STANDARD.encode("ab")).is_err());
        assert!(basic_credentials("!!!").is_err());
        let junk = format!("{}\u{7}", STANDARD.encode("a:b"));
        assert_eq!(basic_credentials(&junk).unwrap(), ("a".into(), "b".into()));
    }
}
