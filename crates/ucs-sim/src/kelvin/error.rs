//! Kelvin error responses, shaped as the real server (FastAPI + pydantic 1) sends them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// One pydantic validation error: `{"loc": [...], "msg": "...", "type": "..."}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValidationError {
    /// Location (`["body", "roles"]`, `["query", "school"]`, `["body", "roles", 0]`).
    pub loc: Vec<Value>,
    /// Message.
    pub msg: String,
    /// Error type (`value_error.missing`, `type_error.str`, `value_error`).
    pub kind: String,
}

impl ValidationError {
    /// An error at `loc` of the given type.
    pub fn new(loc: &[&str], msg: impl Into<String>, kind: &str) -> Self {
        Self {
            loc: loc.iter().map(|s| Value::from(*s)).collect(),
            msg: msg.into(),
            kind: kind.to_string(),
        }
    }

    /// A custom validator's error (`type: value_error`).
    pub fn value(loc: &[&str], msg: impl Into<String>) -> Self {
        Self::new(loc, msg, "value_error")
    }

    /// A required field is missing.
    pub fn missing(loc: &[&str]) -> Self {
        Self::new(loc, "field required", "value_error.missing")
    }

    fn to_json(&self) -> Value {
        json!({"loc": self.loc, "msg": self.msg, "type": self.kind})
    }
}

/// An error answer of the Kelvin API.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KelvinError {
    status: StatusCode,
    body: Value,
    bearer_challenge: bool,
}

impl KelvinError {
    /// 422 with a list of validation errors.
    pub fn validation(errors: Vec<ValidationError>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({"detail": errors.iter().map(ValidationError::to_json).collect::<Vec<_>>()}),
            bearer_challenge: false,
        }
    }

    /// `{"detail": "<text>"}` with the given status (422 for rule violations, 409, 400, ...).
    pub fn detail(status: StatusCode, text: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({"detail": text.into()}),
            bearer_challenge: false,
        }
    }

    /// 422 `{"detail": "<text>"}`: a business rule refused the request.
    pub fn rule(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::UNPROCESSABLE_ENTITY, text)
    }

    /// 404 `{"message": "<text>"}`.
    pub fn not_found(text: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: json!({"message": text.into()}),
            bearer_challenge: false,
        }
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    pub fn unauthorized(text: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            body: json!({"detail": text.into()}),
            bearer_challenge: true,
        }
    }
}

impl IntoResponse for KelvinError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if self.bearer_challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
