//! One directory entry as the store keeps it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Write-only credentials of an entry. Never serialized into API responses, never printed.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Secrets {
    /// Salted SHA-256 of the password (see `password.rs`), if one was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    /// The `kelvin_password_hashes` document as sent, kept opaque.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kelvin_password_hashes: Option<Value>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "kelvin_password_hashes",
                &self.kelvin_password_hashes.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A directory entry: a UDM object of some module, with the bookkeeping the APIs need.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Object {
    /// Canonical DN (see `dn.rs`).
    pub dn: String,
    /// UDM module (`users/user`).
    pub module: String,
    /// `entryUUID`.
    pub uuid: String,
    /// Superordinate DN for modules that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superordinate: Option<String>,
    /// Stored UDM properties (derived ones such as a user's `groups` are computed on read).
    #[serde(default)]
    pub properties: Map<String, Value>,
    /// UDM options that were set explicitly.
    #[serde(default)]
    pub options: BTreeMap<String, bool>,
    /// Policy references by policy type.
    #[serde(default)]
    pub policies: BTreeMap<String, Vec<String>>,
    /// Hidden objects are left out of searches with `hidden=false`.
    #[serde(default)]
    pub hidden: bool,
    /// Attributes only the Kelvin view of the object shows (for example a school's
    /// `educational_servers`); not UDM properties.
    #[serde(default)]
    pub extra: Map<String, Value>,
    /// Credentials (write-only).
    #[serde(default)]
    pub secrets: Secrets,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Last modification time (also of derived properties such as group memberships).
    pub modified: DateTime<Utc>,
    /// Store-wide revision of the last change; the ETag derives from it.
    pub revision: u64,
}

impl Object {
    /// A string property (`None` when absent, null or not a string).
    pub fn prop_str(&self, name: &str) -> Option<&str> {
        self.properties.get(name).and_then(Value::as_str)
    }

    /// A list property as strings (a scalar string counts as a one-element list).
    pub fn prop_list(&self, name: &str) -> Vec<String> {
        match self.properties.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// Whether a UDM option is set.
    pub fn option(&self, name: &str) -> bool {
        self.options.get(name).copied().unwrap_or(false)
    }

    /// The ETag of the current state.
    pub fn etag(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{}:{}", self.uuid, self.revision).as_bytes());
        let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    }
}
