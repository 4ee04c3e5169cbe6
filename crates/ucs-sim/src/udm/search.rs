//! `GET <module>/`: without any query parameter the module overview (no objects), else a
//! search: `filter` (LDAP syntax; UDM property names and raw LDAP attributes both work; when
//! given, `query` and `hidden` are not applied) or `query[<prop>]=<value>`, `position` +
//! `scope`, `properties`, `opened`, server-side sorting (`by` only for `uid`, `uidNumber`,
//! `cn`), forward-only paging (`limit`, `page`). `results` counts the objects of this answer.

use super::ctx::{cache, set_header, Ctx};
use super::doc::{self, Selection};
use super::error::UdmError;
use super::invalid::{Invalid, Key};
use super::ldap_view::{self, SortValue};
use super::modules::{covers, is_aggregate};
use super::quote::urlencode;
use super::search_params::{self, Scope, Search};
use crate::catalog::ModuleSpec;
use crate::pattern::Pattern;
use crate::store::{Object, Tree};
use crate::udm_state::paging::PageAnswer;
use crate::udm_state::search_cache;
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use ucs_ldap::canonical as dn;

fn in_scope(scope: Scope, key: &str, position: &str) -> bool {
    match scope {
        Scope::Sub => dn::is_at_or_below(key, position),
        Scope::One => dn::parent(key) == position,
        Scope::Base => key == position,
        Scope::BaseOne => key == position || dn::parent(key) == position,
    }
}

/// Whether an entry matches the filter or the `query` values.
fn matches(ctx: &Ctx, tree: &Tree, search: &Search, object: &Object) -> bool {
    let values = |attr: &str| ldap_view::values_of(tree, &ctx.app.catalog, object, attr);
    if let Some((_, matcher)) = &search.filter {
        return matcher.matches(&values);
    }
    if !search.hidden && object.hidden {
        return false;
    }
    search.query.iter().all(|(key, value)| {
        let attribute = Some(key.as_str())
            .filter(|k| !k.is_empty())
            .or(search.property.as_deref());
        match (attribute, value.as_str()) {
            (None, "*") => true,
            (Some(a), "*") => !values(a).is_empty(),
            (attribute, pattern) => {
                let naming =
                    crate::directory::rules::naming(&object.module, None, &object.properties);
                let pattern = Pattern::wildcard(pattern);
                values(attribute.unwrap_or(naming.property))
                    .iter()
                    .any(|v| pattern.matches(v))
            }
        }
    })
}

fn sort(ctx: &Ctx, tree: &Tree, module: &str, search: &Search, hits: &mut Vec<(&String, &Object)>) {
    let Some(attr) = search.by.as_deref().and_then(ldap_view::sort_attribute) else {
        return;
    };
    if is_aggregate(module) {
        return;
    }
    // entries without the attribute sort last either way
    hits.sort_by_cached_key(|(_, o)| {
        let value = ldap_view::sort_value(tree, &ctx.app.catalog, o, attr);
        (value.is_none(), value.unwrap_or(SortValue::Number(0)))
    });
    if search.descending {
        let missing = hits
            .iter()
            .position(|(_, o)| ldap_view::sort_value(tree, &ctx.app.catalog, o, attr).is_none());
        let end = missing.unwrap_or(hits.len());
        hits[..end].reverse();
    }
}

/// The ordered keys of the hits.
fn ordered_hits(
    ctx: &Ctx,
    tree: &Tree,
    module: &ModuleSpec,
    search: &Search,
    position: &str,
) -> Vec<String> {
    let mut hits: Vec<(&String, &Object)> = tree
        .iter()
        .filter(|(key, object)| {
            covers(&module.name, &object.module)
                && in_scope(search.scope, key, position)
                && matches(ctx, tree, search, object)
        })
        .collect();
    sort(ctx, tree, &module.name, search, &mut hits);
    hits.into_iter().map(|(k, _)| k.clone()).collect()
}

fn position_key(tree: &Tree, search: &Search) -> Result<String, UdmError> {
    let Some(p) = search
        .position
        .as_deref()
        .or(search.superordinate.as_deref())
    else {
        return Ok(dn::key_of_canonical(tree.base_dn()));
    };
    let key = dn::key(p).unwrap_or_default();
    if tree.contains(&key) {
        return Ok(key);
    }
    let message = format!("LDAP object {p} could not be found.\nIt possibly has been deleted or moved. Please update your search results and open the object again.");
    Err(UdmError::invalid(&Invalid::one(
        "query",
        &[Key::from("position")],
        message,
    )))
}

/// The session key of a paged search (the server's: user, module and search parameters).
fn session_key(ctx: &Ctx, module: &str, search: &Search) -> String {
    let filter = search
        .filter
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    let question = search_cache::question(module, &ctx.pairs);
    format!("{}\n{question}\n{filter}\n{:?}", ctx.user, search.limit)
}

/// The hits shown and the last page, if the results ended.
fn page_of(ctx: &Ctx, module: &ModuleSpec, search: &Search, total: usize) -> PageAnswer {
    match search.limit.filter(|l| *l > 0) {
        None => PageAnswer {
            range: 0..total,
            last_page: Some(search.page),
        },
        Some(_) if is_aggregate(&module.name) => PageAnswer {
            range: 0..total,
            last_page: Some(search.page),
        },
        Some(limit) => ctx.app.udm_pages.page(
            &session_key(ctx, &module.name, search),
            search.page,
            limit,
            total,
        ),
    }
}

fn run(
    ctx: &Ctx,
    module: &ModuleSpec,
    search: &Search,
) -> Result<(Vec<Value>, Option<usize>), UdmError> {
    ctx.app.store.read(|tree| {
        let position = position_key(tree, search)?;
        let question = search_cache::question(&module.name, &ctx.pairs);
        let keys = match ctx.app.searches.get(&question, tree.generation()) {
            Some(keys) => keys,
            None => {
                let keys = Arc::new(ordered_hits(ctx, tree, module, search, &position));
                ctx.app
                    .searches
                    .put(question, tree.generation(), Arc::clone(&keys));
                keys
            }
        };
        let answer = page_of(ctx, module, search, keys.len());
        let opened = search.opened && search.properties != ["dn"];
        let selection = if opened {
            Selection::new(search.properties.clone())
        } else {
            Selection::new(vec!["dn".into()])
        };
        let docs = keys[answer.range.clone()]
            .iter()
            .filter_map(|k| tree.get(k))
            .map(|o| {
                doc::hit(
                    tree,
                    &ctx.app.catalog,
                    o,
                    &ctx.api,
                    &selection,
                    &search.properties,
                )
            })
            .collect();
        Ok((docs, answer.last_page))
    })
}

/// The URL of another page: the request's parameters (blank ones dropped, repeated ones
/// grouped) with `page` replaced or appended.
fn page_href(ctx: &Ctx, page: usize) -> String {
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in ctx.pairs.iter().filter(|(_, v)| !v.is_empty()) {
        match grouped.iter_mut().find(|(name, _)| name == k) {
            Some((_, values)) => values.push(v.clone()),
            None => grouped.push((k.clone(), vec![v.clone()])),
        }
    }
    match grouped.iter_mut().find(|(name, _)| name == "page") {
        Some((_, values)) => *values = vec![page.to_string()],
        None => grouped.push(("page".into(), vec![page.to_string()])),
    }
    let pairs: Vec<(String, String)> = grouped
        .into_iter()
        .flat_map(|(k, vs)| vs.into_iter().map(move |v| (k.clone(), v)))
        .collect();
    format!("{}?{}", ctx.self_url(), urlencode(&pairs))
}

fn collection_links(ctx: &Ctx, module: &ModuleSpec) -> Map<String, Value> {
    let collection = ctx.url(&format!("{}/", module.name));
    let plural = format!("{}s", module.title());
    let mut fields = vec![
        "position",
        "query*",
        "filter",
        "scope",
        "hidden",
        "properties*",
        "opened",
    ];
    if doc::has_superordinate(&module.name) {
        fields.push("superordinate");
    }
    if !is_aggregate(&module.name) {
        fields.extend(["limit", "page", "by", "dir"]);
    }
    let mut links = Map::new();
    links.insert(
        "udm:object-modules".into(),
        json!([{"title": "All modules", "href": ctx.url("")}]),
    );
    links.insert(
        "up".into(),
        json!([{"title": plural, "href": ctx.url(&format!("{}/", module.family()))}]),
    );
    links.insert(
        "self".into(),
        json!([{"name": module.name, "title": plural, "href": collection}]),
    );
    links.insert("describedby".into(), json!([{"title": format!("{} module", module.name), "method": "OPTIONS", "href": collection}]));
    links.insert("search".into(), json!([{"templated": true, "title": format!("Search for {plural}"), "href": format!("{collection}{{?{}}}", fields.join(","))}]));
    if module.template {
        let title = format!("Create a {}", module.title());
        links.insert("create-form".into(), json!([
            {"title": title, "href": format!("{collection}add")},
            {"templated": true, "title": title, "href": format!("{collection}add{{?position,superordinate}}")},
        ]));
    }
    links.insert(
        "icon".into(),
        json!([{"type": "image/x-icon", "href": format!("{collection}favicon.ico")}]),
    );
    links
}

fn paging_links(
    ctx: &Ctx,
    search: &Search,
    last_page: Option<usize>,
    links: &mut Map<String, Value>,
) {
    if search.limit.is_none_or(|l| l == 0) {
        return;
    }
    links.insert(
        "first".into(),
        json!([{"title": "First page", "href": page_href(ctx, 1)}]),
    );
    if search.page > 1 {
        links.insert(
            "prev".into(),
            json!([{"title": "Previous page", "href": page_href(ctx, search.page - 1)}]),
        );
    }
    match last_page {
        None => links.insert(
            "next".into(),
            json!([{"title": "Next page", "href": page_href(ctx, search.page + 1)}]),
        ),
        Some(last) => links.insert(
            "last".into(),
            json!([{"title": "Last page", "href": page_href(ctx, last)}]),
        ),
    };
}

fn overview_links(ctx: &Ctx, module: &ModuleSpec, links: &mut Map<String, Value>) {
    let collection = ctx.url(&format!("{}/", module.name));
    links.insert(
        "udm:layout".into(),
        json!([{"title": "Module layout", "href": format!("{collection}layout")}]),
    );
    links.insert(
        "udm:properties".into(),
        json!([{"title": "Module properties", "href": format!("{collection}properties")}]),
    );
    let results: Vec<Value> = module.policies.iter().map(|p| {
        json!({"name": p.name, "title": format!("Evaluate referenced {} policies", p.name), "templated": true, "href": format!("{collection}{}/{{?policy,position}}", p.name)})
    }).collect();
    if !results.is_empty() {
        links.insert("udm:policy-result".into(), Value::from(results));
    }
}

/// `GET <module>/`.
pub(crate) fn search(ctx: &Ctx, module: &ModuleSpec) -> Result<Response, UdmError> {
    let base = ctx.app.store.read(|tree| tree.base_dn().to_string());
    let search = search_params::parse(&ctx.pairs, &base)?;
    let mut links = collection_links(ctx, module);
    let mut document = Map::new();
    if ctx.pairs.is_empty() {
        overview_links(ctx, module, &mut links);
        document.insert("_links".into(), Value::Object(links));
        document.insert("_embedded".into(), json!({}));
    } else {
        let (hits, last_page) = run(ctx, module, &search)?;
        paging_links(ctx, &search, last_page, &mut links);
        let count = hits.len();
        let mut embedded = Map::new();
        if count > 0 {
            embedded.insert("udm:object".into(), Value::Array(hits));
        }
        document.insert("_links".into(), Value::Object(links));
        document.insert("_embedded".into(), Value::Object(embedded));
        document.insert("results".into(), json!(count));
    }
    let mut response = ctx.reply(StatusCode::OK, Value::Object(document), cache::SEARCH);
    let allow = if module.collection.iter().any(|m| m == "POST") {
        "GET, OPTIONS, POST"
    } else {
        "GET, OPTIONS"
    };
    set_header(&mut response, header::ALLOW, allow);
    Ok(response)
}
