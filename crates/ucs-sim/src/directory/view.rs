//! How an entry reads: stored properties completed with the module's other properties
//! (null or empty list), derived relations (a user's `groups`), write-only values hidden.

use super::links;
use crate::dn;
use crate::store::{Object, Tree};
use crate::udm::catalog::Catalog;
use serde_json::{Map, Value};

/// Properties that are never returned.
pub(crate) const WRITE_ONLY: [&str; 1] = ["password"];

/// The full property map of an entry.
pub(crate) fn properties(tree: &Tree, catalog: &Catalog, object: &Object) -> Map<String, Value> {
    let key = dn::key_of_canonical(&object.dn);
    let mut out = Map::new();
    match catalog.module(&object.module).filter(|m| m.typed) {
        Some(module) => {
            for spec in &module.properties {
                let value = if WRITE_ONLY.contains(&spec.name.as_str()) {
                    Value::Null
                } else if let Some(link) = links::derived(&object.module, &spec.name) {
                    Value::from(links::derived_values(tree, &key, link))
                } else {
                    match object.properties.get(&spec.name) {
                        Some(v) => v.clone(),
                        None if spec.is_list() => Value::Array(Vec::new()),
                        None => Value::Null,
                    }
                };
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
