//! The in-memory directory tree: entries by DN key, counters, lookup tables kept up to date on
//! every write (see `index.rs`), and an undo journal so that a request that fails half-way
//! leaves no trace.

use super::index::Index;
use super::object::Object;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// Counters that must survive a restart from a state file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Last revision handed out.
    pub revision: u64,
    /// Next `uidNumber`.
    pub uid_number: u64,
    /// Next `gidNumber`.
    pub gid_number: u64,
}

impl Default for Counters {
    fn default() -> Self {
        Self {
            revision: 0,
            uid_number: 2000,
            gid_number: 5000,
        }
    }
}

#[derive(Debug)]
struct Journal {
    entries: Vec<(String, Option<Object>)>,
    counters: Counters,
}

/// All entries, keyed by DN key (lower-cased canonical DN).
#[derive(Debug)]
pub(crate) struct Tree {
    base_dn: String,
    objects: BTreeMap<String, Object>,
    index: Index,
    counters: Counters,
    journal: Option<Journal>,
    generation: u64,
}

impl Tree {
    /// An empty tree below `base_dn` (canonical).
    pub fn new(base_dn: String) -> Self {
        Self {
            base_dn,
            objects: BTreeMap::new(),
            index: Index::new(),
            counters: Counters::default(),
            journal: None,
            generation: 0,
        }
    }

    /// Rebuilds a tree from saved parts.
    pub fn from_parts(base_dn: String, objects: Vec<Object>, counters: Counters) -> Self {
        let objects: BTreeMap<String, Object> = objects
            .into_iter()
            .map(|o| (dn::key_of_canonical(&o.dn), o))
            .collect();
        let mut index = Index::new();
        for (key, object) in &objects {
            index.add(key, object);
        }
        Self {
            base_dn,
            objects,
            index,
            counters,
            journal: None,
            generation: 0,
        }
    }

    /// The LDAP base DN (canonical).
    pub fn base_dn(&self) -> &str {
        &self.base_dn
    }

    /// Current counters.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The entry with this key.
    pub fn get(&self, key: &str) -> Option<&Object> {
        self.objects.get(key)
    }

    /// The entry named by a DN in any valid spelling.
    pub fn find(&self, dn_text: &str) -> Option<&Object> {
        dn::key(dn_text).ok().and_then(|k| self.objects.get(&k))
    }

    /// Whether an entry with this key exists.
    pub fn contains(&self, key: &str) -> bool {
        self.objects.contains_key(key)
    }

    /// All entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Object)> {
        self.objects.iter()
    }

    /// All entries of one module.
    pub fn of_module<'a: 'q, 'q>(
        &'a self,
        module: &'q str,
    ) -> impl Iterator<Item = &'a Object> + 'q {
        self.objects.values().filter(move |o| o.module == module)
    }

    /// Keys of the entries strictly below `key`, deepest first (safe deletion order).
    pub fn descendants(&self, key: &str) -> Vec<String> {
        let mut keys: Vec<String> = self
            .objects
            .keys()
            .filter(|k| dn::is_below(k, key))
            .cloned()
            .collect();
        keys.sort_by_key(|k| std::cmp::Reverse(dn::depth(k)));
        keys
    }

    /// The `module` entries whose list property `property` names the entry `target_key`,
    /// in key order (from the index for relation properties, by a scan otherwise).
    pub fn listing<'a: 'q, 'q>(
        &'a self,
        module: &'q str,
        property: &'q str,
        target_key: &'q str,
    ) -> Box<dyn Iterator<Item = &'a Object> + 'q> {
        match self.index.listing(module, property, target_key) {
            Some(keys) => Box::new(keys.filter_map(|k| self.objects.get(k))),
            None => Box::new(self.of_module(module).filter(move |source| {
                match source.properties.get(property) {
                    Some(serde_json::Value::Array(items)) => items
                        .iter()
                        .any(|v| v.as_str().is_some_and(|d| d.to_lowercase() == target_key)),
                    _ => false,
                }
            })),
        }
    }

    /// The `module` entries whose string property `property` equals `value`, compared as
    /// the directory compares that property (see `index.rs`; ASCII case-insensitively for
    /// properties without an index), in key order.
    pub fn with_value<'a: 'q, 'q>(
        &'a self,
        module: &'q str,
        property: &'q str,
        value: &'q str,
    ) -> Box<dyn Iterator<Item = &'a Object> + 'q> {
        match self.index.with_value(module, property, value) {
            Some(keys) => Box::new(keys.filter_map(|k| self.objects.get(k))),
            None => Box::new(self.of_module(module).filter(move |o| {
                o.prop_str(property)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
            })),
        }
    }

    /// A number that changes whenever the tree changes (never persisted), so that results
    /// computed from the tree can be reused while it stays the same.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    fn journal(&mut self, key: &str) {
        if let Some(journal) = self.journal.as_mut() {
            journal
                .entries
                .push((key.to_string(), self.objects.get(key).cloned()));
        }
    }

    /// Hands out a new revision number.
    pub fn next_revision(&mut self) -> u64 {
        self.counters.revision += 1;
        self.counters.revision
    }

    /// Hands out a new `uidNumber`.
    pub fn next_uid_number(&mut self) -> u64 {
        self.counters.uid_number += 1;
        self.counters.uid_number
    }

    /// Hands out a new `gidNumber`.
    pub fn next_gid_number(&mut self) -> u64 {
        self.counters.gid_number += 1;
        self.counters.gid_number
    }

    /// Stores `object` under `key`, keeping the index in step.
    fn store(&mut self, key: String, object: Object) {
        if let Some(old) = self.objects.remove(&key) {
            self.index.remove(&key, &old);
        }
        self.index.add(&key, &object);
        self.objects.insert(key, object);
        self.generation += 1;
    }

    /// Removes the entry `key`, keeping the index in step.
    fn unstore(&mut self, key: &str) -> Option<Object> {
        let old = self.objects.remove(key)?;
        self.index.remove(key, &old);
        self.generation += 1;
        Some(old)
    }

    /// Inserts or replaces an entry (stamping a fresh revision).
    pub fn put(&mut self, mut object: Object) {
        let key = dn::key_of_canonical(&object.dn);
        self.journal(&key);
        object.revision = self.next_revision();
        self.store(key, object);
    }

    /// Removes an entry.
    pub fn remove(&mut self, key: &str) -> Option<Object> {
        self.journal(key);
        self.unstore(key)
    }

    /// Changes an entry in place, stamping a new revision and modification time.
    /// Returns false when there is no such entry.
    pub fn update(&mut self, key: &str, change: impl FnOnce(&mut Object)) -> bool {
        if !self.objects.contains_key(key) {
            return false;
        }
        self.journal(key);
        let revision = self.next_revision();
        self.generation += 1;
        let Tree {
            objects,
            index,
            journal,
            ..
        } = self;
        let Some(object) = objects.get_mut(key) else {
            return false;
        };
        // the state before the change: the journal's copy when there is one
        let own_copy;
        let before = match journal
            .as_ref()
            .and_then(|j| j.entries.last())
            .and_then(|(_, previous)| previous.as_ref())
        {
            Some(previous) => previous,
            None => {
                own_copy = object.clone();
                &own_copy
            }
        };
        change(object);
        object.revision = revision;
        object.modified = Utc::now();
        index.change(key, before, object);
        true
    }

    /// Applies `change` to a copy of every entry that `may_change` selects (a cheap test on
    /// the entry as it is, so that the others are not copied) and stores the copies `change`
    /// reports as changed (with a new revision and modification time).
    pub fn rewrite_each(
        &mut self,
        may_change: impl Fn(&Object) -> bool,
        mut change: impl FnMut(&mut Object) -> bool,
    ) {
        let keys: Vec<String> = self
            .objects
            .iter()
            .filter(|(_, object)| may_change(object))
            .map(|(key, _)| key.clone())
            .collect();
        for key in keys {
            let Some(mut copy) = self.objects.get(&key).cloned() else {
                continue;
            };
            if change(&mut copy) {
                self.update(&key, |o| *o = copy);
            }
        }
    }

    /// Marks an entry as changed (new revision, new modification time) without changing data,
    /// for derived properties such as memberships.
    pub fn touch(&mut self, key: &str) {
        if !self.objects.contains_key(key) {
            return;
        }
        self.journal(key);
        let revision = self.next_revision();
        self.generation += 1;
        if let Some(object) = self.objects.get_mut(key) {
            object.revision = revision;
            object.modified = Utc::now();
        }
    }

    /// Starts recording changes so that [`Tree::rollback`] can undo them.
    pub fn begin(&mut self) {
        self.journal = Some(Journal {
            entries: Vec::new(),
            counters: self.counters,
        });
    }

    /// Keeps the changes since [`Tree::begin`]; returns whether anything changed.
    pub fn commit(&mut self) -> bool {
        self.journal
            .take()
            .map(|j| !j.entries.is_empty())
            .unwrap_or(false)
    }

    /// Undoes every change since [`Tree::begin`].
    pub fn rollback(&mut self) {
        if let Some(journal) = self.journal.take() {
            for (key, previous) in journal.entries.into_iter().rev() {
                match previous {
                    Some(object) => self.store(key, object),
                    None => {
                        self.unstore(&key);
                    }
                }
            }
            self.counters = journal.counters;
        }
    }

    /// Every entry, for saving.
    pub fn snapshot(&self) -> Vec<Object> {
        self.objects.values().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(dn_text: &str) -> Object {
        let now = Utc::now();
        Object {
            dn: dn_text.to_string(),
            module: "container/cn".into(),
            uuid: "u".into(),
            superordinate: None,
            properties: Default::default(),
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

    #[test]
    fn rollback_restores_entries_and_counters() {
        let mut tree = Tree::new("dc=x".into());
        tree.put(entry("dc=x"));
        tree.put(entry("cn=a,dc=x"));
        let before = tree.snapshot();
        let counters = tree.counters();
        tree.begin();
        tree.put(entry("cn=b,dc=x"));
        tree.remove("cn=a,dc=x");
        tree.update("dc=x", |o| o.hidden = true);
        tree.next_uid_number();
        tree.rollback();
        assert_eq!(tree.snapshot(), before);
        assert_eq!(tree.counters(), counters);
    }

    /// Whether the tree's index is what indexing its entries from scratch gives.
    fn index_is_fresh(tree: &Tree) -> bool {
        let mut fresh = Index::new();
        for (key, object) in &tree.objects {
            fresh.add(key, object);
        }
        fresh == tree.index
    }

    fn group(dn_text: &str, members: &[&str]) -> Object {
        let mut object = entry(dn_text);
        object.module = "groups/group".into();
        object.properties.insert(
            "name".into(),
            dn::rdn_value(dn_text).unwrap_or_default().into(),
        );
        object.properties.insert(
            "users".into(),
            members
                .iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
                .into(),
        );
        object
    }

    fn listing_of(tree: &Tree, user_key: &str) -> Vec<String> {
        tree.listing("groups/group", "users", user_key)
            .map(|g| g.dn.clone())
            .collect()
    }

    #[test]
    fn the_index_follows_every_write_and_every_rollback() {
        let mut tree = Tree::new("dc=x".into());
        tree.put(entry("dc=x"));
        tree.put(group("cn=B,dc=x", &["uid=u,dc=x"]));
        tree.put(group("cn=A,dc=x", &[]));
        assert_eq!(listing_of(&tree, "uid=u,dc=x"), ["cn=B,dc=x"]);
        let generation = tree.generation();

        tree.begin();
        tree.update("cn=a,dc=x", |o| {
            o.properties
                .insert("users".into(), vec!["uid=U,dc=x"].into());
        });
        tree.put(group("cn=B,dc=x", &["uid=v,dc=x"]));
        tree.put(group("cn=C,dc=x", &["uid=u,dc=x", "uid=v,dc=x"]));
        tree.remove("cn=c,dc=x");
        tree.touch("cn=b,dc=x");
        assert!(index_is_fresh(&tree));
        assert_eq!(listing_of(&tree, "uid=u,dc=x"), ["cn=A,dc=x"]);
        assert_eq!(listing_of(&tree, "uid=v,dc=x"), ["cn=B,dc=x"]);
        assert_eq!(
            tree.with_value("groups/group", "name", "c").count(),
            0,
            "the removed group is not found by name"
        );
        tree.rollback();
        assert!(index_is_fresh(&tree));
        assert_eq!(listing_of(&tree, "uid=u,dc=x"), ["cn=B,dc=x"]);
        assert!(listing_of(&tree, "uid=v,dc=x").is_empty());
        assert!(
            tree.generation() > generation,
            "every change is a new generation"
        );

        // unindexed properties are answered by a scan
        tree.update("cn=a,dc=x", |o| {
            o.properties
                .insert("hosts".into(), vec!["cn=H,dc=x"].into());
        });
        let by_scan: Vec<&str> = tree
            .listing("groups/group", "hosts", "cn=h,dc=x")
            .map(|o| o.dn.as_str())
            .collect();
        assert_eq!(by_scan, ["cn=A,dc=x"]);
        let loaded = Tree::from_parts("dc=x".into(), tree.snapshot(), tree.counters());
        assert!(index_is_fresh(&loaded));
        assert_eq!(listing_of(&loaded, "uid=u,dc=x"), ["cn=B,dc=x"]);
    }

    #[test]
    fn descendants_come_deepest_first_and_updates_bump_revisions() {
        let mut tree = Tree::new("dc=x".into());
        for d in ["dc=x", "cn=a,dc=x", "cn=b,cn=a,dc=x", "cn=c,dc=x"] {
            tree.put(entry(d));
        }
        assert_eq!(
            tree.descendants("cn=a,dc=x"),
            vec!["cn=b,cn=a,dc=x".to_string()]
        );
        assert_eq!(tree.descendants("dc=x")[0], "cn=b,cn=a,dc=x");
        let old = tree.get("cn=c,dc=x").map(|o| o.revision);
        assert!(tree.update("cn=c,dc=x", |o| o.hidden = true));
        assert!(tree.get("cn=c,dc=x").map(|o| o.revision) > old);
        assert!(!tree.update("cn=nope,dc=x", |_| {}));
        tree.begin();
        assert!(!tree.commit());
    }
}
