//! Reading one object (`GET <module>/<dn>`) and the template of a new one
//! (`GET <module>/add`).

use super::conditional::{self, Verdict};
use super::ctx::{cache, set_header, Ctx};
use super::doc::{self, Selection};
use super::error::UdmError;
use super::modules::is_aggregate;
use super::params;
use crate::catalog::ModuleSpec;
use crate::directory::rules;
use crate::store::{Object, Tree};
use axum::http::{header, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// The object at `dn_text` opened as `module`: 404 when there is none (or the module is an
/// aggregate of another type), 400 when it is of another type.
pub(crate) fn find<'a>(
    tree: &'a Tree,
    module: &ModuleSpec,
    dn_text: &str,
) -> Result<&'a Object, UdmError> {
    let key = dn::key(dn_text).map_err(|_| UdmError::not_found())?;
    let object = tree.get(&key).ok_or_else(UdmError::not_found)?;
    if object.module == module.name {
        return Ok(object);
    }
    if is_aggregate(&module.name) {
        return Err(UdmError::not_found());
    }
    Err(UdmError::udm(format!(
        "The object type of this object differs from the specified object type: {dn_text} is not recognized as {}.",
        module.name
    )))
}

/// Sets `ETag` and (for older changes) `Last-Modified`.
pub(crate) fn set_entity_tags(response: &mut Response, object: &Object) {
    set_header(response, header::ETAG, &conditional::etag(object));
    if let Some(date) = conditional::last_modified(object, Utc::now()) {
        set_header(response, header::LAST_MODIFIED, &date);
    }
}

fn allow(module: &ModuleSpec) -> String {
    let mut methods = vec!["GET", "OPTIONS"];
    if module.object.iter().any(|m| m == "PUT") {
        methods.extend(["PUT", "PATCH"]);
    }
    if module.object.iter().any(|m| m == "DELETE") {
        methods.push("DELETE");
    }
    methods.join(", ")
}

/// `GET <module>/<dn>`.
pub(crate) fn get(ctx: &Ctx, module: &ModuleSpec, dn_text: &str) -> Result<Response, UdmError> {
    let mut values = params::Values::new(&ctx.pairs);
    let selection = Selection::new(values.list("properties"));
    values.boolean("copy", false);
    values.finish()?;
    ctx.app.store.read(|tree| {
        let object = find(tree, module, dn_text)?;
        if conditional::check(&ctx.method, ctx.headers, object, Utc::now())? == Verdict::NotModified
        {
            let mut response = ctx.empty(StatusCode::NOT_MODIFIED, None);
            set_entity_tags(&mut response, object);
            return Ok(response);
        }
        let mut document = Map::new();
        let self_url = ctx.self_url();
        document.insert(
            "_links".into(),
            doc::object_links(&ctx.api, module, object, &self_url),
        );
        document.insert("_embedded".into(), json!({}));
        document.insert(
            "uri".into(),
            json!(doc::object_href(&ctx.api, &object.module, &object.dn)),
        );
        document.extend(doc::representation(
            tree,
            &ctx.app.catalog,
            object,
            &selection,
            true,
        ));
        let mut response = ctx.reply(StatusCode::OK, Value::Object(document), cache::PRIVATE);
        set_entity_tags(&mut response, object);
        set_header(&mut response, header::ALLOW, &allow(module));
        set_header(
            &mut response,
            header::HeaderName::from_static("accept-patch"),
            "application/json-patch+json, application/json",
        );
        Ok(response)
    })
}

fn template_properties(module: &ModuleSpec, base: &str) -> Map<String, Value> {
    let defaults = rules::template_defaults(&module.name, base);
    let mut properties = Map::new();
    for spec in &module.properties {
        let value = match defaults.get(&spec.name) {
            // defaults that are templates of other values are not shown
            Some(Value::String(s)) if s.contains('<') && s.contains('>') => Value::Null,
            Some(v) => v.clone(),
            None if spec.is_list() => json!([]),
            None => Value::Null,
        };
        properties.insert(spec.name.clone(), value);
    }
    properties.entry("objectFlag").or_insert(json!([]));
    properties
}

/// `GET <module>/add`.
pub(crate) fn template(ctx: &Ctx, module: &ModuleSpec) -> Result<Response, UdmError> {
    let base_dn = ctx.app.store.read(|tree| tree.base_dn().to_string());
    let mut values = params::Values::new(&ctx.pairs);
    let position = values.dn("position", &base_dn);
    let superordinate = values.dn("superordinate", &base_dn);
    values.dn("template", &base_dn);
    values.finish()?;
    let collection = ctx.url(&format!("{}/", module.name));
    let title = module.title();
    let mut document = Map::new();
    document.insert("_links".into(), json!({
        "icon": [{"type": "image/x-icon", "href": format!("{collection}favicon.ico")}],
        "udm:object-modules": [{"title": "All modules", "href": ctx.url("")}],
        "udm:object-module": [{"title": format!("{title}s"), "href": ctx.url(&format!("{}/", module.family()))}],
        "type": [{"title": title, "href": collection}],
        "create": [{"title": title, "method": "POST", "href": collection}],
        "udm:properties": [{"title": format!("Properties for {title}"), "href": format!("{collection}properties")}],
    }));
    document.insert("_embedded".into(), json!({}));
    document.insert("objectType".into(), json!(module.name));
    let position = position.unwrap_or_else(|| rules::default_position(&module.name, &base_dn));
    document.insert("position".into(), json!(position));
    document.insert(
        "properties".into(),
        Value::Object(template_properties(module, &base_dn)),
    );
    let options: Map<String, Value> = module
        .options
        .iter()
        .map(|o| (o.name.clone(), json!(o.default)))
        .collect();
    document.insert("options".into(), Value::Object(options));
    let policies: Map<String, Value> = module
        .policies
        .iter()
        .map(|p| (p.name.clone(), json!([])))
        .collect();
    document.insert("policies".into(), Value::Object(policies));
    if doc::has_superordinate(&module.name) {
        document.insert("superordinate".into(), json!(superordinate));
    }
    Ok(ctx.reply(
        StatusCode::OK,
        Value::Object(document),
        cache::PUBLIC_REVALIDATE,
    ))
}
