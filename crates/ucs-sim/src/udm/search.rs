//! `GET /univention/udm/<module>/`: search with `filter` (LDAP syntax), `query[prop]=value`,
//! `position` + `scope`, `hidden`, `superordinate`, `properties`, sorting (`by`, `dir`) and
//! paging (`limit`, `page`, HAL `first`/`prev`/`next`/`last` links).

use super::error::UdmError;
use super::modules::covers;
use super::repr::{object_json, Selection};
use super::search_cache;
use crate::app::App;
use crate::directory::{values, view};
use crate::ldap_filter::{self, Matcher};
use crate::pattern::Pattern;
use crate::query;
use crate::store::Object;
use crate::udm::catalog::ModuleSpec;
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// LDAP attribute names users put into filters, mapped to UDM property names.
fn property_for_attribute<'a>(module: &str, attr: &'a str) -> &'a str {
    let lower = attr.to_ascii_lowercase();
    let family = module.split('/').next().unwrap_or("");
    let mapped = match (family, lower.as_str()) {
        ("users", "uid") => "username",
        ("users", "givenname") => "firstname",
        ("users", "sn") => "lastname",
        ("users", "mail") => "mailPrimaryAddress",
        ("users", "displayname") => "displayName",
        ("users", "uidnumber") => "uidNumber",
        ("users", "gidnumber") => "gidNumber",
        ("users", "ucsschoolrecorduid") => "ucsschoolRecordUID",
        ("users", "ucsschoolsourceuid") => "ucsschoolSourceUID",
        ("groups", "cn") => "name",
        ("groups", "gidnumber") => "gidNumber",
        ("container", "ou") | ("container", "cn") | ("mail", "cn") => "name",
        _ => return attr,
    };
    mapped
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Sub,
    One,
    Base,
    BaseOne,
}

/// A boolean query parameter (`default` when absent; 422 when not a boolean).
pub(crate) fn flag(
    pairs: &[(String, String)],
    name: &str,
    default: bool,
) -> Result<bool, UdmError> {
    match query::last(pairs, name) {
        None => Ok(default),
        Some(value) => query::boolean(value).ok_or_else(|| {
            UdmError::bad_query(name, format!("{value:?} is not a boolean (true or false)."))
        }),
    }
}

/// The part of an ordered answer that page `page` (from 1) of size `limit` shows; all of it
/// without a limit (or with 0).
fn page_of<T>(hits: &[T], limit: Option<usize>, page: usize) -> &[T] {
    match limit {
        Some(l) if l > 0 => {
            let start = page.saturating_sub(1).saturating_mul(l).min(hits.len());
            &hits[start..start.saturating_add(l).min(hits.len())]
        }
        _ => hits,
    }
}

/// Evaluates the search and builds the answer document.
pub(crate) fn search(
    app: &App,
    module: &ModuleSpec,
    base: &str,
    pairs: &[(String, String)],
) -> Result<Value, UdmError> {
    let filter = match query::last(pairs, "filter") {
        Some(text) => {
            ldap_filter::parse(text).map_err(|e| UdmError::bad_query("filter", e.to_string()))?
        }
        None => Matcher::Any,
    };
    let queries: Vec<(String, Pattern)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("query[")
                .and_then(|rest| rest.strip_suffix(']'))
                .map(|prop| (prop.to_string(), Pattern::wildcard(v)))
        })
        .collect();
    let scope = match query::last(pairs, "scope").unwrap_or("sub") {
        "sub" => Scope::Sub,
        "one" => Scope::One,
        "base" => Scope::Base,
        "base+one" | "base one" => Scope::BaseOne,
        other => {
            return Err(UdmError::bad_query(
                "scope",
                format!("{other:?} is not one of sub, one, base, base+one."),
            ))
        }
    };
    let hidden = flag(pairs, "hidden", true)?;
    let limit = match query::last(pairs, "limit") {
        Some(v) if !v.is_empty() => Some(v.parse::<usize>().map_err(|_| {
            UdmError::bad_query("limit", format!("{v:?} is not a non-negative integer."))
        })?),
        _ => None,
    };
    let page = match query::last(pairs, "page") {
        Some(v) => match v.parse::<usize>() {
            Ok(p) if p >= 1 => p,
            _ => {
                return Err(UdmError::bad_query(
                    "page",
                    format!("{v:?} is not an integer >= 1."),
                ))
            }
        },
        None => 1,
    };
    let descending = match query::last(pairs, "dir") {
        Some("ASC") | None => false,
        Some("DESC") => true,
        Some(other) => {
            return Err(UdmError::bad_query(
                "dir",
                format!("{other:?} is not ASC or DESC."),
            ))
        }
    };
    let by = query::last(pairs, "by")
        .filter(|b| !b.is_empty())
        .map(str::to_string);
    let selection = Selection::from_values(&query::all(pairs, "properties"));

    let (objects, total) = app.store.read(|tree| {
        let position = match query::last(pairs, "position").filter(|p| !p.is_empty()) {
            Some(p) => {
                let key = dn::key(p).map_err(|e| UdmError::bad_query("position", e.to_string()))?;
                if !key.is_empty() && !tree.contains(&key) {
                    return Err(UdmError::bad_query(
                        "position",
                        format!("The position {p} does not exist."),
                    ));
                }
                key
            }
            None => dn::key_of_canonical(tree.base_dn()),
        };
        let superordinate = match query::last(pairs, "superordinate").filter(|s| !s.is_empty()) {
            Some(s) => {
                Some(dn::key(s).map_err(|e| UdmError::bad_query("superordinate", e.to_string()))?)
            }
            None => None,
        };
        // a paged search reads its answer page by page: compute it once per directory state
        let paged = limit.is_some_and(|l| l > 0);
        let question = search_cache::question(&module.name, pairs);
        if paged {
            if let Some(keys) = app.searches.get(&question, tree.generation()) {
                let page_keys = page_of(&keys, limit, page);
                let docs: Vec<Value> = page_keys
                    .iter()
                    .filter_map(|k| tree.get(k))
                    .map(|o| object_json(tree, &app.catalog, o, base, &selection))
                    .collect();
                return Ok((docs, keys.len()));
            }
        }
        let in_scope = |key: &str| match scope {
            Scope::Sub => dn::is_at_or_below(key, &position),
            Scope::One => dn::parent(key) == position,
            Scope::Base => key == position,
            Scope::BaseOne => key == position || dn::parent(key) == position,
        };
        // the tree iterates in DN-key order, the order of an unsorted answer
        let mut hits: Vec<(&String, &Object)> = Vec::new();
        for (key, object) in tree.iter() {
            if !covers(&module.name, &object.module) || !in_scope(key) || (!hidden && object.hidden)
            {
                continue;
            }
            if let Some(sup) = &superordinate {
                let below = object
                    .superordinate
                    .as_deref()
                    .is_some_and(|s| dn::key_of_canonical(s) == *sup)
                    || dn::is_below(key, sup);
                if !below {
                    continue;
                }
            }
            let lookup = |attr: &str| -> Vec<String> {
                let name = property_for_attribute(&object.module, attr);
                view::shown_property(tree, &app.catalog, object, |k| k.eq_ignore_ascii_case(name))
                    .map(|v| values::search_strings(&v))
                    .unwrap_or_default()
            };
            if !filter.matches(&lookup) {
                continue;
            }
            let query_ok = queries.iter().all(|(prop, pattern)| {
                lookup(prop).iter().any(|v| pattern.matches(v))
                    || (pattern.matches("") && lookup(prop).is_empty())
            });
            if query_ok {
                hits.push((key, object));
            }
        }
        if let Some(prop) = &by {
            // stable, and the hits come in key order: ties stay in key order
            hits.sort_by_cached_key(|(_, o)| {
                view::shown_property(tree, &app.catalog, o, |k| k == prop)
                    .map(|v| values::search_strings(&v).join(",").to_lowercase())
                    .unwrap_or_default()
            });
        }
        if descending {
            hits.reverse();
        }
        let total = hits.len();
        let docs: Vec<Value> = page_of(&hits, limit, page)
            .iter()
            .map(|(_, o)| object_json(tree, &app.catalog, o, base, &selection))
            .collect();
        if paged && total > limit.unwrap_or(0) {
            let keys = hits.iter().map(|(k, _)| (*k).clone()).collect();
            app.searches
                .put(question, tree.generation(), std::sync::Arc::new(keys));
        }
        Ok((docs, total))
    })?;

    let collection = format!("{base}/{}/", module.name);
    let href = |page_number: Option<usize>| -> String {
        let mut p: Vec<(String, String)> =
            pairs.iter().filter(|(k, _)| k != "page").cloned().collect();
        if let Some(n) = page_number {
            p.push(("page".into(), n.to_string()));
        }
        if p.is_empty() {
            collection.clone()
        } else {
            format!("{collection}?{}", query::encode(&p))
        }
    };
    let mut links = Map::new();
    links.insert(
        "self".into(),
        json!([{"href": href(query::last(pairs, "page").map(|_| page))}]),
    );
    if let Some(l) = limit.filter(|l| *l > 0) {
        let last = total.div_ceil(l).max(1);
        links.insert("first".into(), json!([{"href": href(Some(1))}]));
        links.insert("last".into(), json!([{"href": href(Some(last))}]));
        if page > 1 {
            links.insert(
                "prev".into(),
                json!([{"href": href(Some((page - 1).min(last)))}]),
            );
        }
        if page < last {
            links.insert("next".into(), json!([{"href": href(Some(page + 1))}]));
        }
    }
    links.insert(
        "udm:object-types".into(),
        json!([{"href": collection, "name": module.name}]),
    );
    // built by hand: `json!` would copy every object document once more
    let mut embedded = Map::new();
    embedded.insert("udm:object".into(), Value::Array(objects));
    let mut doc = Map::new();
    doc.insert("_links".into(), Value::Object(links));
    doc.insert("_embedded".into(), Value::Object(embedded));
    doc.insert("results".into(), Value::from(total));
    Ok(Value::Object(doc))
}
