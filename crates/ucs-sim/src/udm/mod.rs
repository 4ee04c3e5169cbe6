//! The UDM REST API at `/univention/udm/`, as UCS 5.2 serves it behind its proxy: repeated
//! slashes merged and encoded slashes refused (the proxy), `HEAD` refused (the language
//! gateway), then routing on the raw path, the preamble (credentials, `Accept`, body) and the
//! resources.

mod body;
mod conditional;
mod ctx;
mod dir_error;
mod doc;
mod error;
mod invalid;
mod ldap_view;
mod modules;
mod moves;
mod negotiate;
mod params;
mod preamble;
mod quote;
mod read;
mod redirects;
mod route;
mod search;
mod search_params;
mod write;

use crate::app::App;
use crate::query;
use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use ctx::Ctx;
use error::UdmError;
use preamble::{AcceptRule, Stop};
use route::{Refused, Route};
use std::sync::Arc;

/// The path prefix of the API.
pub(crate) const PREFIX: &str = "/univention/udm";

/// The `X-Request-Id` the server answers with: the client's value without characters other
/// than hex digits and `-`, at most 36 long (a missing header gets a new UUID).
pub(crate) fn request_id(sent: Option<&[u8]>) -> String {
    match sent {
        None => uuid::Uuid::new_v4().to_string(),
        Some(bytes) => bytes
            .iter()
            .filter(|b| b.is_ascii_hexdigit() || **b == b'-')
            .take(36)
            .map(|&b| char::from(b))
            .collect(),
    }
}

/// The body of an injected fault, in the server's error shape.
pub(crate) fn fault_body(status: StatusCode, path: &str) -> serde_json::Value {
    let error = UdmError::http(status, Some("Simulated fault"));
    error.document(path, false)
}

fn plain(status: StatusCode, content_type: &'static str, body: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The proxy's answer to an encoded slash.
fn proxy_not_found() -> Response {
    plain(
        StatusCode::NOT_FOUND,
        "text/html; charset=iso-8859-1",
        "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n",
    )
}

/// The gateway's answer to `HEAD`.
fn head_not_allowed() -> Response {
    plain(
        StatusCode::METHOD_NOT_ALLOWED,
        "text/html; charset=UTF-8",
        "<html><title>405: Method Not Allowed</title><body>405: Method Not Allowed</body></html>",
    )
}

fn unauthorized(bearer: bool, language: &'static str) -> Response {
    let mut response = plain(StatusCode::UNAUTHORIZED, "text/html; charset=UTF-8", "");
    let headers = response.headers_mut();
    headers.append(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(preamble::REALM),
    );
    if bearer {
        headers.append(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"Univention Directory Manager\""),
        );
    }
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(language));
    response
}

/// Handles every request below `/univention/udm`.
pub(crate) async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::HEAD {
        return head_not_allowed();
    }
    let path = route::merge_slashes(uri.path());
    let rest = path.strip_prefix(PREFIX).unwrap_or("").to_string();
    let base_dn = app.store.read(|tree| tree.base_dn().to_string());
    let language = negotiate::language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let origin = app.origin(&headers);
    let route = match route::route(&rest, &base_dn) {
        Ok(route) => route,
        Err(Refused::EncodedSlash) => return proxy_not_found(),
        Err(Refused::InvalidUnicode(raw)) => Route::Invalid(raw),
    };
    let rule = match route {
        Route::OpenApi => AcceptRule::AlwaysJson,
        Route::Progress(_) => AcceptRule::StarIsJson,
        _ => AcceptRule::Normal,
    };
    let mut ctx = Ctx {
        app: &app,
        api: format!("{origin}{PREFIX}"),
        origin,
        path,
        pairs: query::parse(uri.query()),
        format: negotiate::Format::Json,
        user: String::new(),
        method,
        headers: &headers,
        language,
        body: None,
    };
    match preamble::run(&app, &ctx.method, &headers, &body, rule) {
        Err(Stop::Unauthorized { bearer }) => unauthorized(bearer, language),
        Err(Stop::Error(error, format)) => {
            ctx.format = format;
            ctx.error(error)
        }
        Ok(passed) => {
            ctx.format = passed.format;
            ctx.user = passed.user;
            ctx.body = passed.body;
            serve(&ctx, route).unwrap_or_else(|error| ctx.error(error))
        }
    }
}

fn only_get(ctx: &Ctx) -> Result<(), UdmError> {
    if ctx.method == Method::GET {
        Ok(())
    } else {
        Err(UdmError::http(StatusCode::METHOD_NOT_ALLOWED, None))
    }
}

fn allowed(ctx: &Ctx, methods: &[String]) -> Result<(), UdmError> {
    if methods.iter().any(|m| *m == ctx.method.as_str()) {
        Ok(())
    } else {
        Err(UdmError::http(StatusCode::METHOD_NOT_ALLOWED, None))
    }
}

fn serve(ctx: &Ctx, route: Route) -> Result<Response, UdmError> {
    let module = |name: &str| ctx.app.catalog.module(name).ok_or_else(UdmError::not_found);
    match route {
        Route::Root => only_get(ctx).map(|_| modules::root(ctx)),
        Route::OpenApi => only_get(ctx).map(|_| redirects::openapi(ctx)),
        Route::LdapBase => only_get(ctx).map(|_| redirects::ldap_base(ctx)),
        Route::ObjectByDn(dn) => only_get(ctx).and_then(|_| redirects::object_by_dn(ctx, &dn)),
        Route::ObjectByUuid(id) => only_get(ctx).and_then(|_| redirects::object_by_uuid(ctx, &id)),
        Route::ModuleType(key) => only_get(ctx).map(|_| modules::module_type(ctx, key)),
        Route::Progress(id) => only_get(ctx).and_then(|_| moves::progress(ctx, &id)),
        Route::Collection(name) => {
            let module = module(&name)?;
            allowed(ctx, &module.collection)?;
            match ctx.method {
                Method::POST => write::create(ctx, module),
                _ => search::search(ctx, module),
            }
        }
        Route::Template(name) => {
            let module = module(&name)?;
            only_get(ctx)?;
            if !module.template {
                return Err(UdmError::not_found());
            }
            read::template(ctx, module)
        }
        Route::Object(name, dn) => {
            let module = module(&name)?;
            allowed(ctx, &module.object)?;
            match ctx.method {
                Method::PUT => write::put(ctx, module, &dn),
                Method::PATCH => write::patch(ctx, module, &dn),
                Method::DELETE => write::delete(ctx, module, &dn),
                _ => read::get(ctx, module, &dn),
            }
        }
        Route::Invalid(raw) => Err(UdmError::bad_request(&format!(
            "Invalid unicode in url: {raw:?}"
        ))),
        Route::Nothing => Err(UdmError::not_found()),
    }
}
