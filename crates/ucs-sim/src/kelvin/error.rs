//! Kelvin error responses, shaped as the real server (FastAPI 0.97 + pydantic 1 + its own
//! exception handlers in `kelvin/service/exception_handler.py`) sends them.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// One pydantic validation error: `{"loc": [...], "msg": "...", "type": "...", "ctx": {...}}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValidationError {
    /// Location (`["body", "roles", 0]`, `["query", "school"]`).
    pub loc: Vec<Value>,
    /// Message.
    pub msg: String,
    /// Error type (`value_error.missing`, `type_error.str`, `value_error`).
    pub kind: String,
    /// pydantic's error context (`{"limit_value": 1}`), when the error type has one.
    pub ctx: Option<Value>,
}

/// A location from plain segments (`["body", "name"]`).
pub(crate) fn loc(parts: &[&str]) -> Vec<Value> {
    parts.iter().map(|s| Value::from(*s)).collect()
}

impl ValidationError {
    /// An error at `loc` of the given type.
    pub fn new(loc: Vec<Value>, msg: impl Into<String>, kind: &str) -> Self {
        Self {
            loc,
            msg: msg.into(),
            kind: kind.to_string(),
            ctx: None,
        }
    }

    /// An error at a location given as plain segments.
    pub fn at(parts: &[&str], msg: impl Into<String>, kind: &str) -> Self {
        Self::new(loc(parts), msg, kind)
    }

    /// The same error with pydantic's context.
    pub fn with_ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    /// A custom validator's `ValueError` (`type: value_error`).
    pub fn value(loc: Vec<Value>, msg: impl Into<String>) -> Self {
        Self::new(loc, msg, "value_error")
    }

    /// A required field is missing.
    pub fn missing(loc: Vec<Value>) -> Self {
        Self::new(loc, "field required", "value_error.missing")
    }

    /// An explicit `null` for a field that does not allow it.
    pub fn none_not_allowed(loc: Vec<Value>) -> Self {
        Self::new(
            loc,
            "none is not an allowed value",
            "type_error.none.not_allowed",
        )
    }

    fn to_json(&self) -> Value {
        let mut item = json!({"loc": self.loc, "msg": self.msg, "type": self.kind});
        if let (Some(ctx), Some(map)) = (&self.ctx, item.as_object_mut()) {
            map.insert("ctx".into(), ctx.clone());
        }
        item
    }
}

/// An error answer of the Kelvin API.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KelvinError {
    status: StatusCode,
    body: Value,
    /// `WWW-Authenticate: Bearer` (FastAPI's OAuth2 scheme and the token check send it).
    challenge: bool,
    /// `Access-Control-Expose-Headers: X-Request-ID` (the 500 and UDM-error handlers).
    expose_request_id: bool,
}

impl KelvinError {
    fn with(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body,
            challenge: false,
            expose_request_id: false,
        }
    }

    /// 422 with a list of validation errors.
    pub fn validation(errors: Vec<ValidationError>) -> Self {
        let list: Vec<Value> = errors.iter().map(ValidationError::to_json).collect();
        Self::with(StatusCode::UNPROCESSABLE_ENTITY, json!({ "detail": list }))
    }

    /// `{"detail": "<text>"}` with the given status (an `HTTPException` of a route).
    pub fn detail(status: StatusCode, text: impl Into<String>) -> Self {
        Self::with(status, json!({"detail": text.into()}))
    }

    /// 400 `{"detail": "<text>"}`: the UCS@school library or importer refused the write.
    pub fn bad_request(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::BAD_REQUEST, text)
    }

    /// 422 `{"detail": "<text>"}`: a route's own check refused the request.
    pub fn unprocessable(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::UNPROCESSABLE_ENTITY, text)
    }

    /// 404 `{"detail": "<text>"}`: the resource does not exist.
    pub fn not_found(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::NOT_FOUND, text)
    }

    /// 404 `{"message": "<text>"}`: the library's `NoObject` escaped a handler (bad
    /// reference URLs, unknown referenced users).
    pub fn no_object(text: impl Into<String>) -> Self {
        Self::with(StatusCode::NOT_FOUND, json!({"message": text.into()}))
    }

    /// 409 `{"detail": "<text>"}`.
    pub fn conflict(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::CONFLICT, text)
    }

    /// 401 without a challenge (`Unauthorized`, `Inactive user`, bad login).
    pub fn unauthorized(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::UNAUTHORIZED, text)
    }

    /// 401 with `WWW-Authenticate: Bearer` (no or an invalid token).
    pub fn credentials(text: impl Into<String>) -> Self {
        let mut error = Self::detail(StatusCode::UNAUTHORIZED, text);
        error.challenge = true;
        error
    }

    /// 500 `{"detail": "Internal server error"}` (an unhandled exception of the server).
    pub fn internal() -> Self {
        let mut error = Self::detail(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error");
        error.expose_request_id = true;
        error
    }

    /// A refusal of the UDM REST API passed through (`UdmError:<class>`): one entry per
    /// property (`loc` = the property) or one entry with an empty `loc`.
    pub fn udm(class: &str, status: StatusCode, entries: Vec<(Option<String>, Value)>) -> Self {
        let kind = format!("UdmError:{class}");
        let list: Vec<Value> = entries
            .into_iter()
            .map(|(location, msg)| {
                let loc: Vec<Value> = location.into_iter().map(Value::from).collect();
                json!({"loc": loc, "msg": msg, "type": kind})
            })
            .collect();
        let mut error = Self::with(status, json!({ "detail": list }));
        error.expose_request_id = true;
        error
    }

    /// The status code.
    #[cfg(test)]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body.
    #[cfg(test)]
    pub fn body(&self) -> &Value {
        &self.body
    }
}

static EXPOSE: HeaderName = header::ACCESS_CONTROL_EXPOSE_HEADERS;

impl IntoResponse for KelvinError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        let headers = response.headers_mut();
        if self.challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.expose_request_id {
            headers.insert(EXPOSE.clone(), HeaderValue::from_static("X-Request-ID"));
        }
        response
    }
}
