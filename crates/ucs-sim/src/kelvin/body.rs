//! Request bodies as FastAPI 0.97 reads them (`fastapi/routing.py`, `get_request_handler`):
//! JSON is parsed only for `application/json` / `application/*+json` or a missing
//! `Content-Type`, before authentication; an empty body is a missing body; anything else is
//! handed to pydantic as bytes. Then pydantic 1 turns the value into a dict (`dict(value)`).

use super::error::{KelvinError, ValidationError};
use super::pyjson::{self, Failure};
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

/// A request body after FastAPI's reading step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawBody {
    /// No body (or JSON `null`).
    Missing,
    /// Parsed JSON.
    Json(Value),
    /// Not parsed (another content type).
    Bytes,
}

fn is_json_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

fn decode_error(text: &str, error: &pyjson::JsonError) -> KelvinError {
    let (message, lineno, colno) = pyjson::describe(text, error);
    KelvinError::validation(vec![ValidationError::new(
        vec![json!("body"), json!(error.pos)],
        message,
        "value_error.jsondecode",
    )
    .with_ctx(json!({
        "msg": error.msg, "doc": text, "pos": error.pos, "lineno": lineno, "colno": colno,
    }))])
}

fn parse_error() -> KelvinError {
    KelvinError::detail(
        StatusCode::BAD_REQUEST,
        "There was an error parsing the body",
    )
}

/// The body as a dict, or the 422 of its shape.
pub(crate) fn dict(raw: RawBody) -> Result<Map<String, Value>, KelvinError> {
    model_dict(raw).map_err(KelvinError::validation)
}

/// The body of an admin's write, in the server's order: the JSON is parsed first (a
/// syntax error is a 422 even without a token), then the caller must be a Kelvin admin,
/// then pydantic makes a dict of the value.
pub(crate) fn admin_write(
    app: &crate::app::App,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, KelvinError> {
    let raw = read(headers, body)?;
    super::caller::Admin::check(app, headers)?;
    dict(raw)
}

/// Reads a body; a JSON syntax error is a 422 (before authentication, as on the server).
pub(crate) fn read(headers: &HeaderMap, body: &[u8]) -> Result<RawBody, KelvinError> {
    if body.is_empty() {
        return Ok(RawBody::Missing);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if content_type.is_some_and(|ct| !ct.is_empty() && !is_json_type(ct)) {
        return Ok(RawBody::Bytes);
    }
    let bytes = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let text = std::str::from_utf8(bytes).map_err(|_| parse_error())?;
    match pyjson::check(text) {
        Err(Failure::Syntax(error)) => return Err(decode_error(text, &error)),
        Err(Failure::TooDeep) => return Err(parse_error()),
        Ok(()) => {}
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Null) => Ok(RawBody::Missing),
        Ok(value) => Ok(RawBody::Json(value)),
        // what Python accepts and serde does not (NaN, huge numbers): no field can use it
        Err(_) => Err(parse_error()),
    }
}

fn not_a_dict() -> ValidationError {
    ValidationError::at(&["body"], "value is not a valid dict", "type_error.dict")
}

/// `dict(value)` of a list: pairs (two-element lists or two-character strings).
fn dict_of_pairs(items: &[Value]) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for item in items {
        let (key, value) = match item {
            Value::Array(pair) if pair.len() == 2 => (pair[0].clone(), pair[1].clone()),
            Value::String(s) if s.chars().count() == 2 => {
                let mut chars = s.chars().map(|c| Value::String(c.to_string()));
                (chars.next()?, chars.next()?)
            }
            _ => return None,
        };
        match key {
            Value::String(k) => {
                map.insert(k, value);
            }
            Value::Array(_) | Value::Object(_) => return None,
            // a non-string key is a valid dict key that no field of a model matches
            _ => {}
        }
    }
    Some(map)
}

/// The body as the dict a pydantic model is validated from.
pub(crate) fn model_dict(raw: RawBody) -> Result<Map<String, Value>, Vec<ValidationError>> {
    match raw {
        RawBody::Missing => Err(vec![ValidationError::missing(super::error::loc(&["body"]))]),
        RawBody::Bytes => Err(vec![not_a_dict()]),
        RawBody::Json(Value::Object(map)) => Ok(map),
        RawBody::Json(Value::Array(items)) => {
            dict_of_pairs(&items).ok_or_else(|| vec![not_a_dict()])
        }
        RawBody::Json(Value::String(s)) if s.is_empty() => Ok(Map::new()),
        RawBody::Json(_) => Err(vec![not_a_dict()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(ct: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(ct) = ct {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        h
    }

    #[test]
    fn content_types_and_empty_bodies() {
        assert_eq!(read(&headers(None), b"").unwrap(), RawBody::Missing);
        assert_eq!(read(&headers(None), b"null").unwrap(), RawBody::Missing);
        assert_eq!(
            read(&headers(Some("text/plain")), b"{}").unwrap(),
            RawBody::Bytes
        );
        assert_eq!(
            read(
                &headers(Some("application/merge-patch+json; charset=utf-8")),
                b"{}"
            )
            .unwrap(),
            RawBody::Json(json!({}))
        );
        let e = read(&headers(None), b"not json").unwrap_err();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body()["detail"][0]["loc"], json!(["body", 0]));
        assert_eq!(e.body()["detail"][0]["ctx"]["doc"], "not json");
        assert_eq!(
            read(&headers(None), b"\xff").unwrap_err().status(),
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn dicts_from_lists() {
        assert_eq!(model_dict(RawBody::Json(json!([]))).unwrap(), Map::new());
        let m = model_dict(RawBody::Json(json!([["name", "x"], "ab"]))).unwrap();
        assert_eq!(Value::Object(m), json!({"name": "x", "a": "b"}));
        assert!(model_dict(RawBody::Json(json!([1]))).is_err());
        assert!(model_dict(RawBody::Json(json!(5))).is_err());
        assert!(model_dict(RawBody::Bytes).is_err());
    }
}
