//! Two-sided relations between entries, kept consistent the way UDM does: one side is stored
//! (a group's `users`), the other is derived on read (a user's `groups`). Writing the derived
//! side changes the stored side of the other entries.

use super::error::{DirError, FieldError};
pub(crate) use crate::store::relations::{Link, GROUP_MEMBERS, LEGAL_GUARDIANS, RELATIONS};
use crate::store::Tree;
use serde_json::{Map, Value};
use ucs_ldap::canonical as dn;

/// The relation whose derived side is `module.prop`.
pub(crate) fn derived(module: &str, prop: &str) -> Option<&'static Link> {
    RELATIONS
        .iter()
        .copied()
        .find(|l| l.target_module == module && l.target_prop == prop)
}

/// Relations whose stored side lives in `module`.
pub(crate) fn stored_in(module: &str) -> impl Iterator<Item = &'static Link> + '_ {
    RELATIONS
        .iter()
        .copied()
        .filter(move |l| l.source_module == module)
}

/// Removes the derived properties from a write and returns them with their relation.
pub(crate) fn take_derived(
    module: &str,
    properties: &mut Map<String, Value>,
) -> Vec<(&'static Link, Option<Vec<String>>)> {
    let mut out = Vec::new();
    for link in RELATIONS
        .iter()
        .copied()
        .filter(|l| l.target_module == module)
    {
        if let Some(value) = properties.shift_remove(link.target_prop) {
            let list = match value {
                Value::Null => Some(Vec::new()),
                Value::Array(items) => Some(
                    items
                        .into_iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                ),
                Value::String(s) => Some(vec![s]),
                _ => None,
            };
            out.push((link, list));
        }
    }
    out
}

/// DNs of the entries whose stored list names `target_key` (stored DNs are canonical), in
/// DN-key order.
pub(crate) fn derived_values(tree: &Tree, target_key: &str, link: &Link) -> Vec<String> {
    tree.listing(link.source_module, link.source_prop, target_key)
        .map(|source| source.dn.clone())
        .collect()
}

/// The key of the entry a related DN names when it exists and belongs to `module` (or is
/// `pending`, the entry being created); records an error under `property` otherwise.
fn resolve(
    tree: &Tree,
    value: &str,
    module: &str,
    property: &str,
    pending: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let message = match dn::key(value) {
        Ok(k) => match tree.get(&k) {
            Some(o) if o.module == module => return Some(k),
            None if pending == Some(k.as_str()) => return Some(k),
            Some(_) => format!("{value} is not a {module} object"),
            None => format!("The object {value} does not exist"),
        },
        Err(e) => format!("Invalid DN {value:?}: {e}"),
    };
    errors.push(FieldError::property(property, message));
    None
}

/// Makes the entry `target_key` listed by exactly the `desired` sources.
pub(crate) fn set_derived(
    tree: &mut Tree,
    target_key: &str,
    link: &Link,
    desired: &[String],
) -> Result<(), DirError> {
    let target_dn = match tree.get(target_key) {
        Some(o) => o.dn.clone(),
        None => return Err(DirError::NotFound(target_key.to_string())),
    };
    let mut errors = Vec::new();
    let mut wanted: Vec<String> = Vec::new();
    for value in desired {
        if let Some(k) = resolve(
            tree,
            value,
            link.source_module,
            link.target_prop,
            None,
            &mut errors,
        ) {
            if !wanted.contains(&k) {
                wanted.push(k);
            }
        }
    }
    if !errors.is_empty() {
        return Err(DirError::Invalid(errors));
    }
    let current: Vec<String> = derived_values(tree, target_key, link)
        .iter()
        .map(|d| dn::key_of_canonical(d))
        .collect();
    for source in wanted.iter().filter(|k| !current.contains(k)) {
        let dn_value = target_dn.clone();
        tree.update(source, |o| match o.properties.get_mut(link.source_prop) {
            // the usual shape: append in place instead of rebuilding a long member list
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.push(Value::String(dn_value));
            }
            _ => {
                let mut list = o.prop_list(link.source_prop);
                list.push(dn_value);
                o.properties
                    .insert(link.source_prop.to_string(), list.into());
            }
        });
    }
    for source in current.iter().filter(|k| !wanted.contains(k)) {
        tree.update(source, |o| {
            let list: Vec<String> = o
                .prop_list(link.source_prop)
                .into_iter()
                .filter(|v| dn::key_of_canonical(v) != target_key)
                .collect();
            o.properties
                .insert(link.source_prop.to_string(), list.into());
        });
    }
    if current.iter().collect::<Vec<_>>() != wanted.iter().collect::<Vec<_>>() {
        tree.touch(target_key);
    }
    Ok(())
}

/// Checks the DNs of a stored list (they must name existing entries of the target module)
/// and returns the keys that joined or left the list, so that their derived side changes.
pub(crate) fn check_stored(
    tree: &Tree,
    link: &Link,
    own_key: Option<&str>,
    old: &[String],
    new: &[String],
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let old_keys: Vec<String> = old.iter().filter_map(|d| dn::key(d).ok()).collect();
    let new_keys: Vec<String> = new
        .iter()
        .filter_map(|value| {
            resolve(
                tree,
                value,
                link.target_module,
                link.source_prop,
                own_key,
                errors,
            )
        })
        .collect();
    let mut changed: Vec<String> = new_keys
        .iter()
        .filter(|k| !old_keys.contains(k))
        .chain(old_keys.iter().filter(|k| !new_keys.contains(k)))
        .cloned()
        .collect();
    changed.dedup();
    changed
}
