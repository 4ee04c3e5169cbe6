//! Resources that point elsewhere: `/udm/ldap/base/` (301 to the base object),
//! `/udm/object/{dn}` and `/udm/object/{uuid}` (301 to the object's URL), and the OpenAPI
//! document `/udm/openapi.json`.

use super::ctx::{cache, set_header, Ctx};
use super::doc::object_href;
use super::error::UdmError;
use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::json;
use ucs_ldap::canonical as dn;

/// The vendored OpenAPI document of the UDM REST API (UCS 5.2), served as it is.
const OPENAPI: &str = include_str!("../../../../specs/udm/openapi.json");

fn moved(ctx: &Ctx, url: &str, title: &str) -> Response {
    let document = json!({"_links": {"self": [{"title": title, "href": url}]}});
    let mut response = ctx.reply(
        StatusCode::MOVED_PERMANENTLY,
        document,
        cache::PUBLIC_REVALIDATE,
    );
    set_header(&mut response, header::LOCATION, url);
    response
}

/// `GET /udm/ldap/base/`.
pub(crate) fn ldap_base(ctx: &Ctx) -> Response {
    let base = ctx.app.store.read(|tree| tree.base_dn().to_string());
    moved(
        ctx,
        &object_href(&ctx.api, "container/dc", &base),
        "LDAP base",
    )
}

/// `GET /udm/object/{dn}`: the DN as sent, under the module of the entry.
pub(crate) fn object_by_dn(ctx: &Ctx, dn_text: &str) -> Result<Response, UdmError> {
    let module = ctx.app.store.read(|tree| {
        let key = dn::key(dn_text).ok()?;
        tree.get(&key).map(|o| o.module.clone())
    });
    let module = module.ok_or_else(UdmError::not_found)?;
    let url = object_href(&ctx.api, &module, dn_text);
    Ok(moved(ctx, &url, "Get UDM object by DN or UUID"))
}

/// `GET /udm/object/{uuid}`.
pub(crate) fn object_by_uuid(ctx: &Ctx, uuid: &str) -> Result<Response, UdmError> {
    let found = ctx.app.store.read(|tree| {
        tree.iter()
            .find(|(_, o)| o.uuid == uuid)
            .map(|(_, o)| (o.module.clone(), o.dn.clone()))
    });
    let (module, dn_text) = found.ok_or_else(UdmError::not_found)?;
    let url = object_href(&ctx.api, &module, &dn_text);
    Ok(moved(ctx, &url, "Get UDM object by DN or UUID"))
}

/// `GET /udm/openapi.json` (always JSON, whatever `Accept` says).
pub(crate) fn openapi(ctx: &Ctx) -> Response {
    let mut response = Response::new(Body::from(OPENAPI));
    set_header(&mut response, header::CONTENT_TYPE, "application/json");
    set_header(&mut response, header::CONTENT_LANGUAGE, ctx.language);
    response
}
