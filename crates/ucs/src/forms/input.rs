//! Form input: the values a user entered, by attribute name.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The values entered into a form, by attribute name, as JSON values (so that a wrong
/// type, such as a number for a text field, can be reported instead of lost).
///
/// `Debug` hides the values of keys that look like secrets (containing `password`,
/// case-insensitive).
///
/// ```
/// use ucs::forms::FormInput;
/// let input = FormInput::new()
///     .with("givenname", "Jürgen")
///     .with("sn", "Müller")
///     .with("userpassword", "s3cret");
/// assert_eq!(input.text("sn"), Some("Müller"));
/// assert!(!format!("{input:?}").contains("s3cret"));
/// ```
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormInput {
    values: BTreeMap<String, Value>,
}

/// Whether a key names a secret whose value must not be shown.
pub(crate) fn is_secret_key(key: &str) -> bool {
    key.to_ascii_lowercase().contains("password")
}

/// Groups of input keys that mean the same thing, so that Kolab's policies
/// (`%(givenname)s`, `%(surname)s`) work with UDM and Kelvin names (`firstname`,
/// `lastname`) and vice versa.
pub const KEY_SYNONYMS: [&[&str]; 4] = [
    &["givenname", "firstname", "given_name"],
    &["sn", "surname", "lastname", "last_name"],
    &["uid", "username", "name"],
    &["mail", "email", "mailprimaryaddress"],
];

impl FormInput {
    /// An empty input.
    pub fn new() -> FormInput {
        FormInput::default()
    }

    /// Adds a value (builder style).
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> FormInput {
        self.insert(key, value);
        self
    }

    /// Sets a value, returning the previous one.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.values.insert(key.into(), value.into())
    }

    /// Removes a value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    /// The value of `key` exactly.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// The value of `key` if it is a string.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// The value for `key`, trying the key itself, then its [synonyms](KEY_SYNONYMS), then
    /// a case-insensitive match (`preferredLanguage` for `preferredlanguage`). JSON `null`
    /// counts as absent.
    pub fn lookup(&self, key: &str) -> Option<&Value> {
        let found = |k: &str| self.values.get(k).filter(|v| !v.is_null());
        if let Some(v) = found(key) {
            return Some(v);
        }
        let lower = key.to_ascii_lowercase();
        if let Some(group) = KEY_SYNONYMS.iter().find(|g| g.contains(&lower.as_str())) {
            for synonym in group.iter() {
                if let Some(v) = found(synonym) {
                    return Some(v);
                }
            }
        }
        self.values.iter().find_map(|(k, v)| {
            let matches = k.eq_ignore_ascii_case(key)
                || KEY_SYNONYMS.iter().any(|g| {
                    g.contains(&lower.as_str()) && g.iter().any(|s| k.eq_ignore_ascii_case(s))
                });
            (matches && !v.is_null()).then_some(v)
        })
    }

    /// The entries, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl fmt::Debug for FormInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.values {
            if is_secret_key(key) {
                map.entry(key, &"[redacted]");
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for FormInput {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        FormInput {
            values: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

impl From<BTreeMap<String, Value>> for FormInput {
    fn from(values: BTreeMap<String, Value>) -> Self {
        FormInput { values }
    }
}
