//! Component schemas: added, removed, renamed, changed.

use std::collections::{BTreeMap, BTreeSet};

use crate::drift::{ChangeClass, ChangeKind};
use crate::model::Surface;
use crate::render::describe;
use crate::schema::Shape;
use crate::usage::Usage;

use super::context::{At, Comparer};

use ChangeClass::{Breaking, Compatible};

impl Comparer<'_> {
    /// Every component schema of either surface.
    pub(super) fn schemas(&mut self, old: &Surface, new: &Surface) {
        let targets: BTreeSet<String> = self.renames.values().cloned().collect();
        let names: BTreeSet<&String> = old.schemas.keys().chain(new.schemas.keys()).collect();
        for name in names {
            let loc = format!("schema {name}");
            let at = At::new(&loc, "");
            match (old.schemas.get(name), new.schemas.get(name)) {
                (Some(_), None) => self.schema_gone(at, name),
                // The target of a rename was reported with its old name.
                (None, Some(s)) if !targets.contains(name) => {
                    let detail = format!("schema added: {}", describe(s));
                    let new = Some(name.clone());
                    self.push(Compatible, ChangeKind::SchemaAdded, at, None, new, detail);
                }
                (Some(o), Some(n)) => {
                    let usage = self.schema_usage(name);
                    self.shapes(o, n, usage, at);
                }
                _ => {}
            }
        }
    }

    /// A schema only in the old surface: renamed or removed.
    fn schema_gone(&mut self, at: At<'_>, name: &str) {
        let old = Some(name.to_string());
        match self.renames.get(name).cloned() {
            Some(to) => {
                let detail = format!(
                    "schema renamed: {name} -> {to} (same content; the generated type is renamed)"
                );
                self.push(
                    Breaking,
                    ChangeKind::SchemaRenamed,
                    at,
                    old,
                    Some(to),
                    detail,
                );
            }
            None => {
                let detail = "schema removed".to_string();
                self.push(Breaking, ChangeKind::SchemaRemoved, at, old, None, detail);
            }
        }
    }

    /// The sides of the exchange the schema is on; both when no operation
    /// uses it.
    fn schema_usage(&self, name: &str) -> Usage {
        match self.usage.get(name).copied() {
            Some(usage) if usage != Usage::default() => usage,
            _ => Usage::BOTH,
        }
    }
}

/// Component schemas whose content reappears, unchanged, under a new name.
pub(super) fn renames(
    old: &BTreeMap<String, Shape>,
    new: &BTreeMap<String, Shape>,
) -> BTreeMap<String, String> {
    let removed: Vec<(&String, &Shape)> =
        old.iter().filter(|(k, _)| !new.contains_key(*k)).collect();
    let added: Vec<(&String, &Shape)> = new.iter().filter(|(k, _)| !old.contains_key(*k)).collect();
    let mut renames = BTreeMap::new();
    for (name, shape) in &removed {
        let matches: Vec<&(&String, &Shape)> = added.iter().filter(|(_, s)| s == shape).collect();
        if let [(target, target_shape)] = matches.as_slice() {
            let back = removed.iter().filter(|(_, s)| s == target_shape).count();
            if back == 1 {
                renames.insert((*name).clone(), (*target).clone());
            }
        }
    }
    renames
}
