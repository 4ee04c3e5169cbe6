//! UDM error responses: `{"code", "title", "message", "_embedded": {"udm:error": [...]}}`.

use crate::directory::{DirError, FieldError};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the UDM REST API.
#[derive(Debug, Clone)]
pub(crate) struct UdmError {
    status: StatusCode,
    message: String,
    errors: Vec<FieldError>,
    headers: Vec<(HeaderName, String)>,
}

impl UdmError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// 422 with per-field errors (locations are relative to the body).
    pub fn invalid(message: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
        }
    }

    /// 422 for one query parameter.
    pub fn bad_query(parameter: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            errors: vec![FieldError {
                location: vec!["query".into(), parameter.into()],
                message: message.clone(),
            }],
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
        }
    }

    /// 404 for a DN.
    pub fn not_found(dn: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("Wrong object type or the object {dn} does not exist."),
        )
    }

    /// 412: the object changed since the client read it.
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "The resource has changed in the meantime. Please try again.",
        )
    }

    /// 405 with the allowed methods.
    pub fn method_not_allowed(allowed: &[String]) -> Self {
        Self {
            headers: vec![(header::ALLOW, allowed.join(", "))],
            ..Self::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.")
        }
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

impl From<DirError> for UdmError {
    fn from(error: DirError) -> Self {
        match error {
            DirError::NotFound(dn) => UdmError::not_found(&dn),
            DirError::UnknownModule(m) => {
                UdmError::new(StatusCode::NOT_FOUND, format!("Unknown object type {m:?}."))
            }
            DirError::Invalid(errors) => {
                let message = format!(
                    "{} error(s) occurred: {}",
                    errors.len(),
                    errors
                        .iter()
                        .map(|e| e.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
                UdmError::invalid(message, errors)
            }
            DirError::Exists(dn) => UdmError::invalid(
                format!("An object with the DN {dn} already exists."),
                vec![FieldError::at(
                    &["dn"],
                    format!("An object with the DN {dn} already exists."),
                )],
            ),
        }
    }
}

impl IntoResponse for UdmError {
    fn into_response(self) -> Response {
        let errors: Vec<_> = self
            .errors
            .iter()
            .map(|e| {
                let mut location = vec!["body".to_string()];
                if e.location.first().map(String::as_str) == Some("query") {
                    location.clear();
                }
                location.extend(e.location.iter().cloned());
                json!({"location": location, "message": e.message, "type": "value_error"})
            })
            .collect();
        let body = json!({
            "code": self.status.as_u16(),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "message": self.message,
            "_embedded": {"udm:error": errors},
            "_links": {},
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, v);
            }
        }
        response
    }
}
