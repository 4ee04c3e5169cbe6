//! One authenticated UDM request and how its answers are written: JSON or HAL-JSON with the
//! `curies` link, `Content-Type`, `Content-Language`, `Vary` and `Cache-Control`.

use super::error::UdmError;
use super::negotiate::Format;
use super::quote::{decode_path, quote_path};
use crate::app::App;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

/// `Cache-Control` values the server sends (`add_caching`).
pub(crate) mod cache {
    /// Errors, progress, modify answers, non-container moves.
    pub const NO_STORE: &str = "private, must-revalidate, no-cache, no-store";
    /// Search answers.
    pub const SEARCH: &str = "private, must-revalidate, no-cache, no-store, max-age=1";
    /// One object, PUT-create, delete, 202.
    pub const PRIVATE: &str = "private, must-revalidate";
    /// POST 201.
    pub const CREATED: &str = "private, must-revalidate, no-cache";
    /// Templates, listings, redirects.
    pub const PUBLIC_REVALIDATE: &str = "public, must-revalidate";
    /// The module list.
    pub const PUBLIC: &str = "public";
}

/// Headers on every negotiated answer.
const VARY: &str = "Accept, Accept-Language, Accept-Encoding, Authorization";

/// An authenticated request.
pub(crate) struct Ctx<'a> {
    /// The application.
    pub app: &'a App,
    /// `scheme://host`.
    pub origin: String,
    /// `scheme://host/univention/udm`.
    pub api: String,
    /// The request path with merged slashes (still encoded).
    pub path: String,
    /// Query parameters in order (blank values kept).
    pub pairs: Vec<(String, String)>,
    /// JSON or HAL.
    pub format: Format,
    /// The caller's DN.
    pub user: String,
    /// The method.
    pub method: Method,
    /// The request headers.
    pub headers: &'a HeaderMap,
    /// `en-US` or `de-DE`.
    pub language: &'static str,
    /// The parsed JSON body of a write (`None`: not `application/json`).
    pub body: Option<Value>,
}

fn insert(response: &mut Response, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}

/// Adds a header to a response (ignored when the value is not a valid header value).
pub(crate) fn set_header(response: &mut Response, name: HeaderName, value: &str) {
    insert(response, name, value);
}

impl Ctx<'_> {
    /// The request URL without query, re-quoted as the server's links are.
    pub fn self_url(&self) -> String {
        let decoded = decode_path(&self.path).unwrap_or_else(|| self.path.clone());
        format!("{}{}", self.origin, quote_path(&decoded))
    }

    /// `<api>/<tail>`.
    pub fn url(&self, tail: &str) -> String {
        format!("{}/{tail}", self.api)
    }

    /// A negotiated answer.
    pub fn reply(&self, status: StatusCode, mut value: Value, caching: &str) -> Response {
        if let Value::Object(map) = &mut value {
            if self.format == Format::Hal {
                map.entry("_links").or_insert_with(|| json!({}));
                map.entry("_embedded").or_insert_with(|| json!({}));
            }
            let links = map
                .entry("_links")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(links) = links {
                links.insert(
                    "curies".into(),
                    json!([{"name": "udm", "templated": true, "href": format!("{}/relation/{{rel}}", self.api)}]),
                );
            }
        }
        let content_type = match self.format {
            Format::Json => "application/json",
            Format::Hal => "application/hal+json",
        };
        let mut response = Response::new(Body::from(value.to_string()));
        *response.status_mut() = status;
        insert(&mut response, header::CONTENT_TYPE, content_type);
        insert(&mut response, header::VARY, VARY);
        insert(&mut response, header::CONTENT_LANGUAGE, self.language);
        insert(&mut response, header::CACHE_CONTROL, caching);
        response
    }

    /// An answer without body (204, 304).
    pub fn empty(&self, status: StatusCode, caching: Option<&str>) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = status;
        if let Some(c) = caching {
            insert(&mut response, header::CACHE_CONTROL, c);
        }
        response
    }

    /// An error answer.
    pub fn error(&self, error: UdmError) -> Response {
        if error.html {
            return html_error(&error, self.language);
        }
        let document = error.document(&self.self_url(), self.format == Format::Hal);
        let mut response = self.reply(error.status, document, cache::NO_STORE);
        insert(
            &mut response,
            HeaderName::from_static("hx-reselect"),
            "div.error",
        );
        insert(
            &mut response,
            HeaderName::from_static("hx-reswap"),
            "innerHTML",
        );
        if error.status == StatusCode::SERVICE_UNAVAILABLE {
            insert(&mut response, header::RETRY_AFTER, "15");
        }
        for (name, value) in &error.headers {
            insert(&mut response, name.clone(), value);
        }
        response
    }
}

/// An error as the HTML page (406 and other errors before JSON was negotiated).
pub(crate) fn html_error(error: &UdmError, language: &str) -> Response {
    let mut response = Response::new(Body::from(error.html_page()));
    *response.status_mut() = error.status;
    insert(
        &mut response,
        header::CONTENT_TYPE,
        "text/html; charset=UTF-8",
    );
    insert(&mut response, header::CONTENT_LANGUAGE, language);
    insert(&mut response, header::CACHE_CONTROL, cache::NO_STORE);
    for (name, value) in &error.headers {
        insert(&mut response, name.clone(), value);
    }
    response
}
