//! The changes between a user as it is and as it should be: exactly the fields that
//! differ, in the form of a Kelvin PATCH.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::model::Change;
use crate::directory::DirUser;

/// Field -> change.
pub type Changes = BTreeMap<String, Change>;

/// The fields of `new` that differ from `old`.
pub fn diff(old: &DirUser, new: &DirUser) -> Changes {
    let mut changes = Changes::new();
    let mut put = |field: &str, o: Value, n: Value| {
        if o != n {
            changes.insert(field.to_string(), Change { old: o, new: n });
        }
    };
    put("name", json!(old.name), json!(new.name));
    put("firstname", json!(old.firstname), json!(new.firstname));
    put("lastname", json!(old.lastname), json!(new.lastname));
    put("email", json!(old.email), json!(new.email));
    put("birthday", json!(old.birthday), json!(new.birthday));
    put(
        "expiration_date",
        json!(old.expiration_date),
        json!(new.expiration_date),
    );
    put("disabled", json!(old.disabled), json!(new.disabled));
    put("school", json!(old.school), json!(new.school));
    put("schools", json!(old.schools), json!(new.schools));
    groups(
        &mut changes,
        "school_classes",
        &old.school_classes,
        &new.school_classes,
        &new.schools,
    );
    groups(
        &mut changes,
        "workgroups",
        &old.workgroups,
        &new.workgroups,
        &new.schools,
    );
    for (property, value) in &new.udm_properties {
        let before = old
            .udm_properties
            .get(property)
            .cloned()
            .unwrap_or(Value::Null);
        if blank(&before) && blank(value) || before == *value {
            continue;
        }
        changes.insert(
            format!("udm_properties.{property}"),
            Change {
                old: before,
                new: value.clone(),
            },
        );
    }
    changes
}

fn blank(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("")
}

/// Memberships without empty lists, names sorted.
pub fn tidy(groups: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    groups
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(school, names)| {
            let mut names = names.clone();
            names.sort();
            names.dedup();
            (school.clone(), names)
        })
        .collect()
}

/// A change of classes or workgroups. Kelvin's PATCH keeps the memberships of schools not
/// in the body, so schools the user stays in but whose memberships go are sent with an
/// empty list.
fn groups(
    changes: &mut Changes,
    field: &str,
    old: &BTreeMap<String, Vec<String>>,
    new: &BTreeMap<String, Vec<String>>,
    schools: &[String],
) {
    let (old, new) = (tidy(old), tidy(new));
    if old == new {
        return;
    }
    let mut body = new.clone();
    for school in old.keys().filter(|s| schools.contains(s)) {
        body.entry(school.clone()).or_default();
    }
    changes.insert(
        field.to_string(),
        Change {
            old: json!(old),
            new: json!(body),
        },
    );
}
