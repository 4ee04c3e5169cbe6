//! UDM error answers as the server writes them: `{"error": {code, title, message, error},
//! "_embedded": {"udm:error": [...]}, "_links": {self, curies}}`, or the HTML page for
//! errors raised before JSON was negotiated (406), or nothing (401).

use super::invalid::Invalid;
use axum::http::{HeaderName, StatusCode};
use serde_json::{json, Map, Value};

/// An error answer of the UDM REST API (boxed: errors travel through many `Result`s).
#[derive(Debug, Clone)]
pub(crate) struct UdmError(Box<ErrorBody>);

impl std::ops::Deref for UdmError {
    type Target = ErrorBody;
    fn deref(&self) -> &ErrorBody {
        &self.0
    }
}

impl std::ops::DerefMut for UdmError {
    fn deref_mut(&mut self) -> &mut ErrorBody {
        &mut self.0
    }
}

/// What an error answer says.
#[derive(Debug, Clone)]
pub(crate) struct ErrorBody {
    /// The status.
    pub status: StatusCode,
    /// `error.title`.
    pub title: String,
    /// `error.message`.
    pub message: String,
    /// `error.error` (deprecated per-field map).
    pub error: Value,
    /// The `udm:error` resources.
    pub embedded: Vec<Value>,
    /// `error.traceback` for statuses >= 500 (`None`: null).
    pub traceback: Option<String>,
    /// Extra response headers.
    pub headers: Vec<(HeaderName, String)>,
    /// Rendered as an HTML page (the Accept check failed before JSON was chosen).
    pub html: bool,
}

/// The reason phrase of a status.
pub(crate) fn reason(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Unknown")
}

impl UdmError {
    fn bare(status: StatusCode, message: String) -> Self {
        Self(Box::new(ErrorBody {
            status,
            title: String::new(),
            message,
            error: json!({}),
            embedded: Vec::new(),
            traceback: None,
            headers: Vec::new(),
            html: false,
        }))
    }

    /// A plain HTTP error: `HTTP <code>: <Reason>` plus ` (<text>)` when there is a text.
    pub fn http(status: StatusCode, text: Option<&str>) -> Self {
        let head = format!("HTTP {}: {}", status.as_u16(), reason(status));
        let message = match text {
            Some(t) => format!("{head} ({t})"),
            None => head,
        };
        Self::bare(status, message)
    }

    /// 404 (the server never adds a text).
    pub fn not_found() -> Self {
        Self::http(StatusCode::NOT_FOUND, None)
    }

    /// 400 with a text.
    pub fn bad_request(text: &str) -> Self {
        Self::http(StatusCode::BAD_REQUEST, Some(text))
    }

    /// 400 for a failed directory operation: the directory's own text, no prefix.
    pub fn udm(text: impl Into<String>) -> Self {
        Self::bare(StatusCode::BAD_REQUEST, text.into())
    }

    /// 412 with the server's text.
    pub fn precondition(text: &str) -> Self {
        Self::http(StatusCode::PRECONDITION_FAILED, Some(text))
    }

    /// 500 from a failure inside a handler.
    pub fn internal(message: impl Into<String>, traceback: String) -> Self {
        let mut error = Self::bare(StatusCode::INTERNAL_SERVER_ERROR, message.into());
        error.traceback = Some(traceback);
        error
    }

    /// 406 as an HTML page.
    pub fn not_acceptable(text: &str) -> Self {
        let mut error = Self::http(StatusCode::NOT_ACCEPTABLE, Some(text));
        error.html = true;
        error
    }

    /// 422 from an error tree.
    pub fn invalid(invalid: &Invalid) -> Self {
        let rendered = invalid.render();
        let mut error = Self::bare(StatusCode::UNPROCESSABLE_ENTITY, rendered.message);
        error.title = reason(StatusCode::UNPROCESSABLE_ENTITY).to_string();
        error.error = rendered.error;
        error.embedded = rendered.embedded;
        error
    }

    /// The JSON document (`self_href`: the request URL without query).
    pub fn document(&self, self_href: &str, hal: bool) -> Value {
        let mut error = Map::new();
        if self.status.as_u16() >= 500 {
            error.insert("traceback".into(), json!(self.traceback));
        }
        error.insert("code".into(), json!(self.status.as_u16()));
        error.insert("title".into(), json!(self.title));
        error.insert("message".into(), json!(self.message));
        error.insert("error".into(), self.error.clone());
        let mut doc = Map::new();
        doc.insert("error".into(), Value::Object(error));
        if !self.embedded.is_empty() {
            doc.insert("_embedded".into(), json!({"udm:error": self.embedded}));
        }
        let title = format!("HTTP-Error {}: {}", self.status.as_u16(), self.title);
        doc.insert(
            "_links".into(),
            json!({"self": [{"title": title, "href": self_href}]}),
        );
        if hal && !doc.contains_key("_embedded") {
            doc.insert("_embedded".into(), json!({}));
        }
        Value::Object(doc)
    }

    /// The HTML page of an error raised before content negotiation.
    pub fn html_page(&self) -> String {
        let escape = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        format!(
            "<!DOCTYPE html>\n<html><head><title>HTTP-Error {code}: {title}</title></head>\
             <body><div class=\"error\"><h1>HTTP-Error {code}: {title}</h1><p>{message}</p></div>\
             </body></html>\n",
            code = self.status.as_u16(),
            title = escape(&self.title),
            message = escape(&self.message),
        )
    }
}
