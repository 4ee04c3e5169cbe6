//! Lookup tables the tree keeps up to date on every write, so that reads never scan the
//! whole directory:
//!
//! * **who lists an entry**: for the relation properties (a group's `users`, `nestedGroup`,
//!   a student's `ucsschoolLegalGuardian`), the keys of the entries whose list names a DN;
//!   this is how a user's `groups` or a guardian's `ucsschoolLegalWard` are derived;
//! * **entries by value**: for properties that identify an entry (a user's `username` and
//!   `mailPrimaryAddress`, a group's `name`), the keys of the entries with that value,
//!   compared case-insensitively as the directory compares them.
//!
//! Sets of keys are ordered, so results come in DN-key order, the order of a full scan.

use super::object::Object;
use super::relations::RELATIONS;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

/// How values of an identifying property are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// ASCII letters case-insensitively (LDAP `uid`).
    Ascii,
    /// All letters case-insensitively (Unicode lower case).
    Unicode,
}

impl Fold {
    /// The form two equal values share.
    pub fn apply(self, value: &str) -> String {
        match self {
            Fold::Ascii => value.to_ascii_lowercase(),
            Fold::Unicode => value.to_lowercase(),
        }
    }
}

/// Identifying properties with a by-value index: module, property, comparison.
pub(crate) const VALUE_INDEXES: [(&str, &str, Fold); 3] = [
    ("users/user", "username", Fold::Ascii),
    ("users/user", "mailPrimaryAddress", Fold::Unicode),
    ("groups/group", "name", Fold::Unicode),
];

/// Keys of entries, grouped by a lookup value.
type KeysBy = HashMap<String, BTreeSet<String>>;

fn link_in(map: &mut KeysBy, value: String, key: &str) {
    map.entry(value).or_default().insert(key.to_string());
}

fn unlink_in(map: &mut KeysBy, value: &str, key: &str) {
    if let Some(keys) = map.get_mut(value) {
        keys.remove(key);
        if keys.is_empty() {
            map.remove(value);
        }
    }
}

/// The items of a list property (nothing when the property is absent or not a list).
fn list_items(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// The DN keys a list of stored DNs names (DN keys are lower-cased canonical DNs).
fn listed_keys(items: &[Value]) -> impl Iterator<Item = String> + '_ {
    items
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_lowercase)
}

/// The lookup tables (see the module documentation).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Index {
    /// Per entry of [`RELATIONS`]: DN key listed -> keys of the entries listing it.
    listed_by: Vec<KeysBy>,
    /// Per entry of [`VALUE_INDEXES`]: folded value -> keys of the entries with it.
    by_value: Vec<KeysBy>,
}

impl Index {
    /// Empty tables.
    pub fn new() -> Self {
        Self {
            listed_by: RELATIONS.iter().map(|_| KeysBy::new()).collect(),
            by_value: VALUE_INDEXES.iter().map(|_| KeysBy::new()).collect(),
        }
    }

    /// Position of the relation table for `module.property`, if it has one.
    fn relation(module: &str, property: &str) -> Option<usize> {
        RELATIONS
            .iter()
            .position(|l| l.source_module == module && l.source_prop == property)
    }

    /// Position of the value table for `module.property`, if it has one.
    fn value_table(module: &str, property: &str) -> Option<(usize, Fold)> {
        VALUE_INDEXES
            .iter()
            .position(|(m, p, _)| *m == module && *p == property)
            .map(|i| (i, VALUE_INDEXES[i].2))
    }

    /// Keys of the `module` entries whose list `property` names `target_key`, in key
    /// order; `None` when that property is not indexed.
    pub fn listing(
        &self,
        module: &str,
        property: &str,
        target_key: &str,
    ) -> Option<impl Iterator<Item = &str> + '_> {
        let table = &self.listed_by[Self::relation(module, property)?];
        Some(
            table
                .get(target_key)
                .into_iter()
                .flatten()
                .map(String::as_str),
        )
    }

    /// Keys of the `module` entries whose `property` equals `value` (compared as the
    /// table's [`Fold`] says), in key order; `None` when that property is not indexed.
    pub fn with_value(
        &self,
        module: &str,
        property: &str,
        value: &str,
    ) -> Option<impl Iterator<Item = &str> + '_> {
        let (i, fold) = Self::value_table(module, property)?;
        Some(
            self.by_value[i]
                .get(&fold.apply(value))
                .into_iter()
                .flatten()
                .map(String::as_str),
        )
    }

    /// Records a new entry.
    pub fn add(&mut self, key: &str, object: &Object) {
        for (i, link) in RELATIONS.iter().enumerate() {
            if link.source_module == object.module {
                let items = list_items(object.properties.get(link.source_prop));
                for listed in listed_keys(items) {
                    link_in(&mut self.listed_by[i], listed, key);
                }
            }
        }
        for (i, (module, property, fold)) in VALUE_INDEXES.iter().enumerate() {
            if *module == object.module {
                if let Some(value) = object.prop_str(property) {
                    link_in(&mut self.by_value[i], fold.apply(value), key);
                }
            }
        }
    }

    /// Forgets a removed entry.
    pub fn remove(&mut self, key: &str, object: &Object) {
        for (i, link) in RELATIONS.iter().enumerate() {
            if link.source_module == object.module {
                let items = list_items(object.properties.get(link.source_prop));
                for listed in listed_keys(items) {
                    unlink_in(&mut self.listed_by[i], &listed, key);
                }
            }
        }
        for (i, (module, property, fold)) in VALUE_INDEXES.iter().enumerate() {
            if *module == object.module {
                if let Some(value) = object.prop_str(property) {
                    unlink_in(&mut self.by_value[i], &fold.apply(value), key);
                }
            }
        }
    }

    /// Follows a change of the entry `key` from `before` to `after` (same key), touching
    /// only what changed: appending to a member list costs the appended items, not the list.
    pub fn change(&mut self, key: &str, before: &Object, after: &Object) {
        if before.module != after.module {
            self.remove(key, before);
            self.add(key, after);
            return;
        }
        for (i, link) in RELATIONS.iter().enumerate() {
            if link.source_module != after.module {
                continue;
            }
            let old = list_items(before.properties.get(link.source_prop));
            let new = list_items(after.properties.get(link.source_prop));
            if old == new {
                continue;
            }
            let table = &mut self.listed_by[i];
            if new.len() > old.len() && new[..old.len()] == *old {
                // appended: earlier items keep their entries
                for listed in listed_keys(&new[old.len()..]) {
                    link_in(table, listed, key);
                }
                continue;
            }
            let old_keys: HashSet<String> = listed_keys(old).collect();
            let new_keys: HashSet<String> = listed_keys(new).collect();
            for gone in old_keys.difference(&new_keys) {
                unlink_in(table, gone, key);
            }
            for added in new_keys.difference(&old_keys) {
                link_in(table, added.clone(), key);
            }
        }
        for (i, (module, property, fold)) in VALUE_INDEXES.iter().enumerate() {
            if *module != after.module {
                continue;
            }
            let old = before.prop_str(property);
            let new = after.prop_str(property);
            if old == new {
                continue;
            }
            if let Some(value) = old {
                unlink_in(&mut self.by_value[i], &fold.apply(value), key);
            }
            if let Some(value) = new {
                link_in(&mut self.by_value[i], fold.apply(value), key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;

    fn entry(dn_text: &str, module: &str, properties: Value) -> Object {
        let now = Utc::now();
        Object {
            dn: dn_text.to_string(),
            module: module.to_string(),
            uuid: "u".into(),
            superordinate: None,
            properties: match properties {
                Value::Object(map) => map,
                _ => Default::default(),
            },
            options: Default::default(),
            policies: Default::default(),
            hidden: false,
            extra: Default::default(),
            secrets: Default::default(),
            created: now,
            modified: now,
            revision: 0,
        }
    }

    fn listing(index: &Index, target: &str) -> Vec<String> {
        index
            .listing("groups/group", "users", target)
            .map(|keys| keys.map(str::to_string).collect())
            .unwrap_or_default()
    }

    fn group_named(index: &Index, name: &str) -> Vec<String> {
        index
            .with_value("groups/group", "name", name)
            .map(|keys| keys.map(str::to_string).collect())
            .unwrap_or_default()
    }

    #[test]
    fn member_lists_are_indexed_by_lower_cased_dn_in_key_order() {
        let mut index = Index::new();
        let b = entry(
            "cn=B,dc=x",
            "groups/group",
            json!({"name": "B", "users": ["uid=Ann,dc=x"]}),
        );
        let a = entry(
            "cn=A,dc=x",
            "groups/group",
            json!({"name": "A", "users": ["uid=ann,dc=x", "uid=bob,dc=x"]}),
        );
        index.add("cn=b,dc=x", &b);
        index.add("cn=a,dc=x", &a);
        assert_eq!(listing(&index, "uid=ann,dc=x"), ["cn=a,dc=x", "cn=b,dc=x"]);
        assert_eq!(listing(&index, "uid=bob,dc=x"), ["cn=a,dc=x"]);
        assert!(
            listing(&index, "uid=Ann,dc=x").is_empty(),
            "lookups use keys"
        );
        // a module without such a relation, or a property without a table, has no answer
        assert!(index.listing("users/user", "users", "x").is_none());
        index.remove("cn=a,dc=x", &a);
        assert_eq!(listing(&index, "uid=ann,dc=x"), ["cn=b,dc=x"]);
        assert!(listing(&index, "uid=bob,dc=x").is_empty());
    }

    #[test]
    fn changes_follow_appends_removals_renames_and_module_changes() {
        let mut index = Index::new();
        let before = entry(
            "cn=G,dc=x",
            "groups/group",
            json!({"name": "G", "users": ["uid=a,dc=x"]}),
        );
        index.add("cn=g,dc=x", &before);
        // append
        let appended = entry(
            "cn=G,dc=x",
            "groups/group",
            json!({"name": "G", "users": ["uid=a,dc=x", "uid=b,dc=x"]}),
        );
        index.change("cn=g,dc=x", &before, &appended);
        assert_eq!(listing(&index, "uid=b,dc=x"), ["cn=g,dc=x"]);
        // removal of one of two spellings of the same DN keeps the entry listed
        let twice = entry(
            "cn=G,dc=x",
            "groups/group",
            json!({"name": "G", "users": ["uid=a,dc=x", "uid=b,dc=x", "UID=A,dc=x"]}),
        );
        index.change("cn=g,dc=x", &appended, &twice);
        let once = entry(
            "cn=G,dc=x",
            "groups/group",
            json!({"name": "G", "users": ["UID=A,dc=x"]}),
        );
        index.change("cn=g,dc=x", &twice, &once);
        assert_eq!(listing(&index, "uid=a,dc=x"), ["cn=g,dc=x"]);
        assert!(listing(&index, "uid=b,dc=x").is_empty());
        // a renamed group is found under its new name only
        let renamed = entry(
            "cn=G,dc=x",
            "groups/group",
            json!({"name": "H", "users": []}),
        );
        index.change("cn=g,dc=x", &once, &renamed);
        assert!(listing(&index, "uid=a,dc=x").is_empty());
        assert_eq!(group_named(&index, "h"), ["cn=g,dc=x"]);
        assert!(group_named(&index, "G").is_empty());
        // an entry that changes module leaves the tables of the old one
        let other = entry("cn=G,dc=x", "container/cn", json!({"name": "H"}));
        index.change("cn=g,dc=x", &renamed, &other);
        assert!(group_named(&index, "h").is_empty());
    }

    #[test]
    fn user_names_compare_ascii_case_insensitively_and_mail_addresses_fully() {
        let mut index = Index::new();
        let user = entry(
            "uid=Ärger,dc=x",
            "users/user",
            json!({"username": "Ärger", "mailPrimaryAddress": "Ärger@Example.com"}),
        );
        index.add("uid=ärger,dc=x", &user);
        let count = |property: &str, value: &str| {
            index
                .with_value("users/user", property, value)
                .map(Iterator::count)
                .unwrap_or(0)
        };
        assert_eq!(count("username", "ÄRGER"), 1);
        assert_eq!(count("username", "ärger"), 0, "uid compares ASCII only");
        assert_eq!(count("mailPrimaryAddress", "ärger@example.COM"), 1);
        assert!(index.with_value("users/user", "lastname", "x").is_none());
    }
}
