//! A UDM object: properties as a JSON map (so extended attributes and
//! properties newer than the vendored document are never lost), options,
//! policies, position, and the ETag it was read with.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::secret::Secret;
use ucs_ldap::Dn;

/// The state an object was read with, for computing what changed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Snapshot {
    properties: Map<String, Value>,
    options: Map<String, Value>,
    policies: Map<String, Value>,
    position: Option<Dn>,
}

/// A UDM object of any module.
///
/// Properties are kept as JSON exactly as the server sent them; read them
/// with [`Object::get`] / [`Object::get_str`] or as a typed view with
/// [`Object::typed`]; change them with [`Object::set`] and [`Object::clear`]
/// (UDM clears a property on `null`). The password is write-only and kept as
/// a [`Secret`] outside the map.
///
/// ```
/// use serde_json::json;
/// let mut user = ucs::udm::Object::new("users/user");
/// user.set("username", "jdoe").set("lastname", "Doe").set_password("S3cret-Passw0rd");
/// assert_eq!(user.get_str("username"), Some("jdoe"));
/// assert!(!format!("{user:?}").contains("S3cret"));
/// ```
#[derive(Clone, PartialEq)]
pub struct Object {
    module: String,
    dn: Option<Dn>,
    position: Option<Dn>,
    superordinate: Option<Dn>,
    properties: Map<String, Value>,
    options: Map<String, Value>,
    policies: Map<String, Value>,
    uuid: Option<String>,
    uri: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    password: Option<Secret>,
    original: Option<Snapshot>,
    /// The properties the caller set or cleared (not the template's defaults).
    touched: std::collections::BTreeSet<String>,
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dn = self.dn.as_ref().map(ToString::to_string);
        f.debug_struct("Object")
            .field("module", &self.module)
            .field("dn", &dn)
            .field("position", &self.position.as_ref().map(ToString::to_string))
            .field("properties", &Redacted(&self.properties))
            .field("options", &self.options)
            .field("policies", &self.policies)
            .field("etag", &self.etag)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}

/// Property maps in `Debug` output, with password-like values hidden.
struct Redacted<'a>(&'a Map<String, Value>);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (k, v) in self.0 {
            if is_secret_property(k) && !v.is_null() {
                map.entry(k, &"[REDACTED]");
            } else {
                map.entry(k, v);
            }
        }
        map.finish()
    }
}

/// Properties whose values are secrets.
fn is_secret_property(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("password") && !lower.starts_with("pwd") && !lower.starts_with("overridepw")
        || lower == "krb5key"
        || lower == "sambantpassword"
}

/// `null`, `""` or `[]`: what UDM shows for a cleared property.
fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn map_of(value: Option<&Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

fn dn_of(value: Option<&Value>) -> std::result::Result<Option<Dn>, String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => Dn::parse(s)
            .map(Some)
            .map_err(|e| format!("the server sent a malformed DN: {e}")),
        _ => Ok(None),
    }
}

impl Object {
    /// An empty new object of `module` (prefer `Module::template`, which
    /// fills the server's defaults).
    pub fn new(module: impl Into<String>) -> Object {
        Object {
            module: module.into(),
            dn: None,
            position: None,
            superordinate: None,
            properties: Map::new(),
            options: Map::new(),
            policies: Map::new(),
            uuid: None,
            uri: None,
            etag: None,
            last_modified: None,
            password: None,
            original: None,
            touched: Default::default(),
        }
    }

    /// An object from the server's JSON (a GET answer, a template or a
    /// search hit). Secret properties move out of the map. `Err` says what
    /// of the answer is malformed (the caller names the request).
    pub(crate) fn from_json(
        module: &str,
        mut json: Map<String, Value>,
        etag: Option<String>,
        last_modified: Option<String>,
        existing: bool,
    ) -> std::result::Result<Object, String> {
        let mut properties = map_of(json.get("properties"));
        // the password is write-only: whatever the server sends (a hash,
        // null) stays out of the map and out of the next write
        properties.remove("password");
        let options = map_of(json.get("options"));
        let policies = map_of(json.get("policies"));
        let dn = if existing {
            dn_of(json.get("dn"))?
        } else {
            None
        };
        let position = dn_of(json.get("position"))?;
        let superordinate = dn_of(json.get("superordinate"))?;
        let text = |json: &mut Map<String, Value>, key: &str| match json.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        let uuid = text(&mut json, "uuid");
        let uri = text(&mut json, "uri");
        let module = text(&mut json, "objectType").unwrap_or_else(|| module.to_string());
        let original = existing.then(|| Snapshot {
            properties: properties.clone(),
            options: options.clone(),
            policies: policies.clone(),
            position: position.clone(),
        });
        Ok(Object {
            module,
            dn,
            position,
            superordinate,
            properties,
            options,
            policies,
            uuid,
            uri,
            etag,
            last_modified,
            password: None,
            original,
            touched: Default::default(),
        })
    }

    /// The module (`users/user`).
    pub fn module(&self) -> &str {
        &self.module
    }

    /// The DN (`None` for an object not created yet).
    pub fn dn(&self) -> Option<&Dn> {
        self.dn.as_ref()
    }

    /// The container the object is (or will be) in.
    pub fn position(&self) -> Option<&Dn> {
        self.position.as_ref()
    }

    /// Sets the container for a new object. An existing object moves only
    /// with `Module::move_to`; `Module::patch` and `Module::replace` refuse
    /// an object whose position was changed here.
    pub fn set_position(&mut self, position: Dn) -> &mut Self {
        self.position = Some(position);
        self
    }

    /// The superordinate (for modules that have one, e.g. DNS records).
    pub fn superordinate(&self) -> Option<&Dn> {
        self.superordinate.as_ref()
    }

    /// Sets the superordinate of a new object.
    pub fn set_superordinate(&mut self, superordinate: Dn) -> &mut Self {
        self.superordinate = Some(superordinate);
        self
    }

    /// The entryUUID.
    pub fn uuid(&self) -> Option<&str> {
        self.uuid.as_deref()
    }

    /// The object's URL.
    pub fn uri(&self) -> Option<&str> {
        self.uri.as_deref()
    }

    /// The ETag the object was read with (sent as `If-Match` on writes).
    pub fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }

    /// The `Last-Modified` the object was read with.
    pub fn last_modified(&self) -> Option<&str> {
        self.last_modified.as_deref()
    }

    /// All properties.
    pub fn properties(&self) -> &Map<String, Value> {
        &self.properties
    }

    /// One property.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.properties.get(name)
    }

    /// One property as text.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.properties.get(name).and_then(Value::as_str)
    }

    /// Sets a property (the password goes to [`Object::set_password`]).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        let name = name.into();
        let value = value.into();
        if name == "password" {
            if let Value::String(s) = value {
                self.password = Some(Secret::new(s));
            }
            return self;
        }
        self.touched.insert(name.clone());
        self.properties.insert(name, value);
        self
    }

    /// Clears a property (sent as `null`).
    pub fn clear(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.touched.insert(name.clone());
        self.properties.insert(name, Value::Null);
        self
    }

    /// Sets the password (write-only; never read back).
    pub fn set_password(&mut self, password: impl Into<Secret>) -> &mut Self {
        self.password = Some(password.into());
        self
    }

    /// The options (`pki`, `ucsschoolStudent`, ...).
    pub fn options(&self) -> &Map<String, Value> {
        &self.options
    }

    /// Turns an option on or off.
    pub fn set_option(&mut self, name: impl Into<String>, on: bool) -> &mut Self {
        self.options.insert(name.into(), Value::Bool(on));
        self
    }

    /// The policy references (`policies/umc` -> DNs).
    pub fn policies(&self) -> &Map<String, Value> {
        &self.policies
    }

    /// Sets the DNs of one policy type.
    pub fn set_policy(
        &mut self,
        policy_type: impl Into<String>,
        dns: impl IntoIterator<Item = Dn>,
    ) -> &mut Self {
        let dns: Vec<Value> = dns
            .into_iter()
            .map(|d| Value::String(d.to_string()))
            .collect();
        self.policies.insert(policy_type.into(), Value::Array(dns));
        self
    }

    /// The properties as a typed view, e.g.
    /// `udm_raw::users::types::UsersUserProperties` (the 15 modules the
    /// document types). The view is read-only: unknown properties are not in
    /// it, so change the object through [`Object::set`].
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_value(Value::Object(self.properties.clone())).map_err(|e| {
            Error::InvalidInput(format!(
                "{} properties do not fit the typed view: {e}",
                self.module
            ))
        })
    }

    /// Whether the object exists on the server (was read from it).
    pub fn is_new(&self) -> bool {
        self.original.is_none()
    }

    /// The properties that differ from what was read (removed ones as
    /// `null`), plus the password if one was set.
    pub fn changed_properties(&self) -> Map<String, Value> {
        let empty = Map::new();
        let before = self
            .original
            .as_ref()
            .map(|o| &o.properties)
            .unwrap_or(&empty);
        let mut out = Map::new();
        for (k, v) in &self.properties {
            if before.get(k) != Some(v) {
                out.insert(k.clone(), v.clone());
            }
        }
        for k in before.keys() {
            if !self.properties.contains_key(k) {
                out.insert(k.clone(), Value::Null);
            }
        }
        out
    }

    /// Whether the position differs from the one the object was read with.
    pub(crate) fn position_changed(&self) -> bool {
        self.original
            .as_ref()
            .is_some_and(|o| o.position.is_some() && o.position != self.position)
    }

    /// Applies this object's changes (properties, password, options,
    /// policies) to `fresh`, a newer read of the same object.
    pub(crate) fn carry_changes_to(&self, fresh: &mut Object) {
        for (name, value) in self.changed_properties() {
            fresh.properties.insert(name, value);
        }
        if let Some(password) = &self.password {
            fresh.password = Some(password.clone());
        }
        if let Some(original) = &self.original {
            for (name, value) in &self.options {
                if original.options.get(name) != Some(value) {
                    fresh.options.insert(name.clone(), value.clone());
                }
            }
            if original.policies != self.policies {
                fresh.policies = self.policies.clone();
            }
        }
    }

    /// Whether `other` (a newer read) already holds every property value this
    /// object would write (for a new object: every property the caller set;
    /// the template's defaults may be stored transformed): then a write whose
    /// answer was lost was applied.
    pub(crate) fn changes_visible_in(&self, other: &Object) -> bool {
        let mut sent = self.changed_properties();
        if self.is_new() {
            sent.retain(|name, _| self.touched.contains(name));
        }
        sent.iter().all(|(name, value)| match value {
            Value::Null => other.properties.get(name).is_none_or(is_empty_value),
            _ => other.properties.get(name) == Some(value),
        })
    }

    /// Whether anything would be sent by a patch.
    pub fn has_changes(&self) -> bool {
        !self.changed_properties().is_empty()
            || self.password.is_some()
            || self
                .original
                .as_ref()
                .is_some_and(|o| o.options != self.options || o.policies != self.policies)
    }

    pub(crate) fn password(&self) -> Option<&Secret> {
        self.password.as_ref()
    }

    /// The body of a create or a full replace.
    pub(crate) fn full_body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        if let Some(position) = &self.position {
            body.insert("position".into(), Value::String(position.to_string()));
        }
        if let Some(sup) = &self.superordinate {
            body.insert("superordinate".into(), Value::String(sup.to_string()));
        }
        let mut properties = self.properties.clone();
        if let Some(password) = &self.password {
            properties.insert(
                "password".into(),
                Value::String(password.expose().to_string()),
            );
        }
        body.insert("properties".into(), Value::Object(properties));
        if !self.options.is_empty() {
            body.insert("options".into(), Value::Object(self.options.clone()));
        }
        if !self.policies.is_empty() {
            body.insert("policies".into(), Value::Object(self.policies.clone()));
        }
        body
    }

    /// The body of a patch: only what changed since the object was read.
    pub(crate) fn patch_body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        let mut properties = self.changed_properties();
        if let Some(password) = &self.password {
            properties.insert(
                "password".into(),
                Value::String(password.expose().to_string()),
            );
        }
        body.insert("properties".into(), Value::Object(properties));
        if let Some(original) = &self.original {
            if original.options != self.options {
                body.insert("options".into(), Value::Object(self.options.clone()));
            }
            if original.policies != self.policies {
                body.insert("policies".into(), Value::Object(self.policies.clone()));
            }
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(json: Value) -> Object {
        let Value::Object(map) = json else {
            panic!("object")
        };
        Object::from_json("users/user", map, Some("\"e1\"".into()), None, true).unwrap()
    }

    #[test]
    fn unknown_properties_and_extended_attributes_survive_a_round_trip() {
        let mut o = read(json!({
            "dn": "uid=a,cn=users,dc=x", "position": "cn=users,dc=x", "objectType": "users/user",
            "properties": {"username": "a", "myExtAttr": ["x", "y"], "password": "{crypt}$6$x"}
        }));
        assert_eq!(o.get("myExtAttr"), Some(&json!(["x", "y"])));
        assert!(o.get("password").is_none(), "the hash is dropped");
        assert!(!o.has_changes());
        o.set("lastname", "B").clear("myExtAttr");
        assert_eq!(
            o.patch_body()["properties"],
            json!({"lastname": "B", "myExtAttr": null})
        );
        assert_eq!(o.etag(), Some("\"e1\""));
    }

    #[test]
    fn password_is_sent_but_never_shown() {
        let mut o = read(json!({"dn": "uid=a,dc=x", "properties": {"username": "a"}}));
        o.set("password", "Geheim-123");
        assert!(o.has_changes());
        assert_eq!(o.patch_body()["properties"]["password"], "Geheim-123");
        assert!(!format!("{o:?}").contains("Geheim-123"));
    }

    #[test]
    fn options_and_policies_changes_are_patched() {
        let mut o = read(json!({"dn": "uid=a,dc=x", "properties": {}, "options": {"pki": false}}));
        o.set_option("pki", true);
        let body = o.patch_body();
        assert_eq!(body["options"], json!({"pki": true}));
        assert!(body.get("policies").is_none());
    }
}
