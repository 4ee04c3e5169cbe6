//! Direct access to the simulator's directory for test setup and assertions
//! ([`SimStore`]), without going through either API.

use crate::app::App;
use crate::auth;
use crate::directory::{self, view, NewEntry};
use crate::store::{Object, Tree};
use serde_json::{Map, Value};
use std::sync::Arc;
use ucs_ldap::canonical as dn;

/// An entry of the directory as UDM shows it (write-only values such as passwords are never
/// included).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    /// The DN.
    pub dn: String,
    /// The UDM module (`users/user`).
    pub module: String,
    /// The entry UUID.
    pub uuid: String,
    /// The parent container's DN.
    pub position: String,
    /// Properties, including derived ones (a user's `groups`).
    pub properties: Map<String, Value>,
    /// Options with defaults.
    pub options: Map<String, Value>,
    /// Policy references.
    pub policies: Map<String, Value>,
    /// The current ETag (changes on every write).
    pub etag: String,
}

impl StoredObject {
    /// A property value (`None` when absent).
    pub fn property(&self, name: &str) -> Option<&Value> {
        self.properties.get(name)
    }

    /// A string property.
    pub fn str_property(&self, name: &str) -> Option<&str> {
        self.properties.get(name).and_then(Value::as_str)
    }
}

/// Handle to the directory of a running simulator.
#[derive(Clone)]
pub struct SimStore {
    app: Arc<App>,
}

impl std::fmt::Debug for SimStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimStore")
            .field("entries", &self.len())
            .finish()
    }
}

impl SimStore {
    pub(crate) fn new(app: Arc<App>) -> Self {
        Self { app }
    }

    fn stored(&self, tree: &Tree, object: &Object) -> StoredObject {
        StoredObject {
            dn: object.dn.clone(),
            module: object.module.clone(),
            uuid: object.uuid.clone(),
            position: dn::parent(&object.dn).to_string(),
            properties: view::properties(tree, &self.app.catalog, object),
            options: view::options(&self.app.catalog, object),
            policies: view::policies(&self.app.catalog, object),
            etag: object.etag(),
        }
    }

    /// The entry with this DN (any valid spelling).
    pub fn get(&self, dn_text: &str) -> Option<StoredObject> {
        self.app
            .store
            .read(|tree| tree.find(dn_text).map(|o| self.stored(tree, o)))
    }

    /// Whether an entry with this DN exists.
    pub fn exists(&self, dn_text: &str) -> bool {
        self.app.store.read(|tree| tree.find(dn_text).is_some())
    }

    /// All entries of a module, in DN order.
    pub fn objects(&self, module: &str) -> Vec<StoredObject> {
        self.app.store.read(|tree| {
            tree.of_module(module)
                .map(|o| self.stored(tree, o))
                .collect()
        })
    }

    /// The `users/user` entry with this user name (case-insensitive).
    pub fn user(&self, username: &str) -> Option<StoredObject> {
        self.app
            .store
            .read(|tree| auth::find_user(tree, username).map(|o| self.stored(tree, o)))
    }

    /// Number of entries of a module.
    pub fn count(&self, module: &str) -> usize {
        self.app.store.read(|tree| tree.of_module(module).count())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.app.store.read(|tree| tree.len())
    }

    /// Whether the directory is empty (it never is: the base entry always exists).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The base DN.
    pub fn base_dn(&self) -> String {
        self.app.store.read(|tree| tree.base_dn().to_string())
    }

    /// Creates an entry with UDM's checks and defaults (`position` `None`: the module's
    /// default container). `properties` is a JSON object; a `password` property is stored
    /// hashed. Returns the new DN.
    pub fn insert(
        &self,
        module: &str,
        position: Option<&str>,
        properties: Value,
    ) -> anyhow::Result<String> {
        let properties = match properties {
            Value::Object(map) => map,
            other => anyhow::bail!("properties must be a JSON object, not {other}"),
        };
        self.app
            .store
            .write(|tree| {
                directory::create(
                    tree,
                    &self.app.catalog,
                    NewEntry {
                        module: module.to_string(),
                        position: position.map(str::to_string),
                        properties,
                        ..Default::default()
                    },
                )
            })
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Deletes an entry and everything below it; false when it did not exist.
    pub fn remove(&self, dn_text: &str) -> bool {
        let Ok(key) = dn::key(dn_text) else {
            return false;
        };
        self.app
            .store
            .write(|tree| directory::delete(tree, &key, true))
            .is_ok()
    }

    /// Whether the entry's password is `password` (the hash is never exposed).
    pub fn password_matches(&self, dn_text: &str, password: &str) -> bool {
        self.app.store.read(|tree| {
            tree.find(dn_text)
                .is_some_and(|o| directory::verify_password(o, password))
        })
    }

    /// Whether Kelvin password hashes were stored for the entry.
    pub fn has_password_hashes(&self, dn_text: &str) -> bool {
        self.app.store.read(|tree| {
            tree.find(dn_text)
                .is_some_and(|o| o.secrets.kelvin_password_hashes.is_some())
        })
    }
}
