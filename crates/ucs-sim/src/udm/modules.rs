//! The module listings (`GET /udm/` and `GET /udm/<module_type>/`) and the aggregate modules
//! that stand for a whole family (`computers/computer` finds every computer).

use super::ctx::{cache, Ctx};
use super::doc::has_children;
use super::route::MODULE_TYPES;
use crate::catalog::{Catalog, ModuleSpec};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

/// Read-only modules that stand for all modules of their family (or a part of it).
const AGGREGATES: [(&str, &[&str]); 10] = [
    ("computers/computer", &["computers/"]),
    ("dns/dns", &["dns/"]),
    ("dhcp/dhcp", &["dhcp/"]),
    ("mail/mail", &["mail/"]),
    ("nagios/nagios", &["nagios/"]),
    ("policies/policy", &["policies/"]),
    ("portals/all", &["portals/"]),
    ("blocklists/all", &["blocklists/"]),
    ("settings/settings", &["settings/"]),
    ("shares/print", &["shares/printer", "shares/printergroup"]),
];

/// Whether a module is an aggregate (its searches find objects of other modules).
pub(crate) fn is_aggregate(module: &str) -> bool {
    AGGREGATES.iter().any(|(name, _)| *name == module)
}

/// Whether an object of module `actual` is found by a search in module `requested`.
pub(crate) fn covers(requested: &str, actual: &str) -> bool {
    if requested == actual {
        return true;
    }
    AGGREGATES
        .iter()
        .find(|(name, _)| *name == requested)
        .is_some_and(|(_, prefixes)| {
            prefixes.iter().any(|p| actual.starts_with(p)) && !is_aggregate(actual)
        })
}

fn type_link(ctx: &Ctx, module: &ModuleSpec) -> Value {
    json!({"name": module.name, "title": module.title(), "href": ctx.url(&format!("{}/", module.name))})
}

/// `GET /udm/`.
pub(crate) fn root(ctx: &Ctx) -> Response {
    let mut keys: Vec<&(&str, &str)> = MODULE_TYPES.iter().collect();
    keys.sort_by_key(|(key, _)| if *key == "navigation" { "" } else { *key });
    let object_modules: Vec<Value> = keys
        .iter()
        .map(|(key, name)| {
            let title = match *name {
                "object" | "container" => format!("All {name} types"),
                _ => format!(
                    "{}s",
                    crate::catalog::title_case(name.split('/').nth(1).unwrap_or(name))
                ),
            };
            let shown = if *key == "navigation" { "all" } else { key };
            json!({"name": shown, "title": title, "href": ctx.url(&format!("{key}/"))})
        })
        .collect();
    let types: Vec<Value> = ctx
        .app
        .catalog
        .modules()
        .iter()
        .map(|m| type_link(ctx, m))
        .collect();
    let document = json!({"_links": {
        "self": [{"title": "All modules", "href": ctx.url("")}],
        "udm:object-modules": object_modules,
        "udm:object-types": types,
        "udm:object/get-by-dn": [{"templated": true, "href": ctx.url("object/{dn}")}],
        "udm:object/get-by-uuid": [{"templated": true, "href": ctx.url("object/{uuid}")}],
        "udm:license": [{"name": "license", "title": "UCS license", "href": ctx.url("license/")}],
        "udm:ldap-base": [{"title": "LDAP base", "href": ctx.url("ldap/base/")}],
        "udm:relations": [{"name": "relation", "title": "All link relations", "href": ctx.url("relation/")}],
    }});
    ctx.reply(StatusCode::OK, document, cache::PUBLIC)
}

/// The modules a `/udm/<module_type>/` listing shows.
fn listed<'a>(catalog: &'a Catalog, stands_for: &str) -> Vec<&'a ModuleSpec> {
    let modules = catalog.modules().iter();
    match stands_for {
        "object" => modules.collect(),
        "container" => modules
            .filter(|m| has_children(&m.name) && m.name.starts_with("container/"))
            .collect(),
        name if is_aggregate(name) => modules
            .filter(|m| m.name != name && covers(name, &m.name))
            .collect(),
        name => modules.filter(|m| m.name == name).collect(),
    }
}

/// `GET /udm/<module_type>/`.
pub(crate) fn module_type(ctx: &Ctx, key: &str) -> Response {
    let stands_for = MODULE_TYPES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, m)| *m)
        .unwrap_or("object");
    let title = match ctx.app.catalog.module(stands_for) {
        Some(m) => format!("{}s", m.title()),
        None => "All object types".to_string(),
    };
    let types: Vec<Value> = listed(&ctx.app.catalog, stands_for)
        .into_iter()
        .map(|m| type_link(ctx, m))
        .collect();
    let mut links = json!({
        "up": [{"title": "All modules", "href": ctx.url("")}],
        "self": [{"name": key, "title": title, "href": ctx.url(&format!("{key}/"))}],
    });
    if let Value::Object(map) = &mut links {
        if key == "navigation" {
            map.insert(
                "udm:tree".into(),
                json!([{"href": ctx.url("container/dc/tree")}]),
            );
        }
        map.insert("udm:object-types".into(), Value::from(types));
    }
    ctx.reply(
        StatusCode::OK,
        json!({"_links": links}),
        cache::PUBLIC_REVALIDATE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_cover_their_family() {
        assert!(covers("computers/computer", "computers/windows"));
        assert!(covers("users/user", "users/user"));
        assert!(!covers("users/user", "users/ldap"));
        assert!(covers("shares/print", "shares/printer"));
        assert!(!covers("shares/print", "shares/share"));
    }
}
