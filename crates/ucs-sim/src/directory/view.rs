//! How an entry reads: stored properties completed with the module's other properties
//! (null or empty list), derived relations (a user's `groups`), write-only values hidden.

use super::links;
use crate::catalog::{Catalog, PropertySpec};
use crate::store::{Object, Tree};
use serde_json::{Map, Value};
use std::borrow::Cow;
use ucs_ldap::canonical as dn;

/// Properties that are never returned.
pub(crate) const WRITE_ONLY: [&str; 1] = ["password"];

/// The value a typed module's property shows (`key`: the entry's DN key, for derived
/// relations).
fn typed_value<'a>(
    tree: &Tree,
    object: &'a Object,
    key: &str,
    spec: &PropertySpec,
) -> Cow<'a, Value> {
    if WRITE_ONLY.contains(&spec.name.as_str()) {
        Cow::Owned(Value::Null)
    } else if let Some(link) = links::derived(&object.module, &spec.name) {
        Cow::Owned(Value::from(links::derived_values(tree, key, link)))
    } else {
        match object.properties.get(&spec.name) {
            Some(v) => Cow::Borrowed(v),
            None if spec.is_list() => Cow::Owned(Value::Array(Vec::new())),
            None => Cow::Owned(Value::Null),
        }
    }
}

/// The full property map of an entry.
pub(crate) fn properties(tree: &Tree, catalog: &Catalog, object: &Object) -> Map<String, Value> {
    let key = dn::key_of_canonical(&object.dn);
    let mut out = Map::new();
    match catalog.module(&object.module).filter(|m| m.typed) {
        Some(module) => {
            for spec in &module.properties {
                let value = typed_value(tree, object, &key, spec).into_owned();
                out.insert(spec.name.clone(), value);
            }
        }
        None => {
            for (name, value) in &object.properties {
                if !WRITE_ONLY.contains(&name.as_str()) {
                    out.insert(name.clone(), value.clone());
                }
            }
        }
    }
    out
}

/// The entry of the [`properties`] map whose name `matches`, the first in the map's order,
/// without building the map (searches look at a few properties of many entries).
pub(crate) fn shown_property<'a>(
    tree: &Tree,
    catalog: &Catalog,
    object: &'a Object,
    matches: impl Fn(&str) -> bool,
) -> Option<Cow<'a, Value>> {
    match catalog.module(&object.module).filter(|m| m.typed) {
        Some(module) => {
            let spec = module.properties.iter().find(|p| matches(&p.name))?;
            let key = dn::key_of_canonical(&object.dn);
            Some(typed_value(tree, object, &key, spec))
        }
        None => object
            .properties
            .iter()
            .find(|(name, _)| !WRITE_ONLY.contains(&name.as_str()) && matches(name))
            .map(|(_, value)| Cow::Borrowed(value)),
    }
}

/// One property as read (derived relations computed), `None` when the entry lacks it.
pub(crate) fn property(tree: &Tree, object: &Object, name: &str) -> Option<Value> {
    if WRITE_ONLY.contains(&name) {
        return None;
    }
    if let Some(link) = links::derived(&object.module, name) {
        let key = dn::key_of_canonical(&object.dn);
        return Some(Value::from(links::derived_values(tree, &key, link)));
    }
    object.properties.get(name).cloned()
}

/// Options with the module's defaults filled in.
pub(crate) fn options(catalog: &Catalog, object: &Object) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(module) = catalog.module(&object.module) {
        for option in &module.options {
            out.insert(
                option.name.clone(),
                Value::Bool(
                    object
                        .options
                        .get(&option.name)
                        .copied()
                        .unwrap_or(option.default),
                ),
            );
        }
    }
    for (name, value) in &object.options {
        out.entry(name.clone()).or_insert(Value::Bool(*value));
    }
    out
}

/// Policy references with every policy type of the module present.
pub(crate) fn policies(catalog: &Catalog, object: &Object) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(module) = catalog.module(&object.module) {
        for policy in &module.policies {
            out.insert(
                policy.name.clone(),
                Value::from(
                    object
                        .policies
                        .get(&policy.name)
                        .cloned()
                        .unwrap_or_default(),
                ),
            );
        }
    }
    for (name, dns) in &object.policies {
        out.entry(name.clone())
            .or_insert_with(|| Value::from(dns.clone()));
    }
    out
}
