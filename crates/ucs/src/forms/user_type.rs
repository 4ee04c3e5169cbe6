//! User types in Kolab's shape: `form_fields`, `auto_form_fields` and static `fields`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{FormError, PasswordPolicy, Policy};

/// A user type: which fields a form asks for, which are generated, and static values.
///
/// (De)serializes in the shape of Kolab's `user_types` API:
///
/// ```json
/// {"key": "kolab", "name": "Kolab user", "description": "...",
///  "attributes": {"form_fields": {...}, "auto_form_fields": {...}, "fields": {...}}}
/// ```
///
/// A flat document (`form_fields` etc. at the top level, `key`/`name` optional) is
/// accepted too. Other top-level keys of Kolab's API (`id`, `is_default`, `used_for`) are
/// ignored; unknown keys inside a field definition are an error, so that a typo such as
/// `"optinal"` does not silently make a field required.
///
/// Kolab's own documents load as they are (the user types of `kolab_wap.sql`, Kolab
/// Web Admin Panel 3.1): a field defined as `[]` (PHP's empty array) has no settings, a
/// field group written `[]` is empty, an auto field may carry the `type` of its value,
/// and an attribute that is both a form field and an auto field (Kolab's `alias`) takes
/// the auto field's `type` when the form field names none, as Kolab merges the two.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserType {
    /// Short identifier, e.g. `kolab`.
    pub key: String,
    /// Human-readable name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The fields.
    pub attributes: TypeAttributes,
}

/// The three field groups of a [`UserType`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeAttributes {
    /// Fields the user fills in, by attribute name.
    #[serde(default)]
    pub form_fields: BTreeMap<String, FormField>,
    /// Fields computed from other inputs, by attribute name.
    #[serde(default)]
    pub auto_form_fields: BTreeMap<String, AutoFormField>,
    /// Static values (e.g. `objectclass`), by attribute name.
    #[serde(default)]
    pub fields: BTreeMap<String, serde_json::Value>,
}

/// The kind of value a form field takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// One string (the default).
    #[default]
    Text,
    /// A list of strings.
    List,
    /// One of `values`.
    Select,
    /// A list of strings, each one of `values`.
    Multiselect,
    /// Kolab's mail quota (`text-quota`): a whole number of kilobytes, as a string of
    /// digits or a JSON number.
    #[serde(rename = "text-quota")]
    TextQuota,
    /// A password (one string, never shown in messages).
    Password,
}

/// A format a field's values must have beyond their type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueFormat {
    /// A mail address (see [`mail_problem`](super::mail_problem)).
    Mail,
}

/// A field the user fills in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// Value type; `text` if absent.
    #[serde(rename = "type", default)]
    pub field_type: FieldType,
    /// Whether the field may be left out; required if absent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Longest allowed value in characters (for lists: per item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maxlength: Option<usize>,
    /// Allowed values of `select` / `multiselect` fields (empty: any value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Whether a UI should offer completion (informational).
    #[serde(default, skip_serializing_if = "is_false")]
    pub autocomplete: bool,
    /// Default value a UI may pre-fill (informational; validation does not apply it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Required format of the values. Fields named like mail attributes (`mail`, `email`,
    /// `alias`, `mailPrimaryAddress`, ...) are checked as mail addresses without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ValueFormat>,
    /// The most items of a `list` or `multiselect` (Kolab's `maxcount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maxcount: Option<usize>,
    /// Whether a UI shows the field without letting the user change it (informational).
    #[serde(default, skip_serializing_if = "is_false")]
    pub readonly: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// How an auto form field is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    /// Common name; default policy `%(givenname)s %(sn)s`.
    Cn,
    /// Display name; default policy `%(sn)s, %(givenname)s`.
    Displayname,
    /// User name; default policy `%(sn)s`, transliterated, reduced to `[a-z0-9._-]`,
    /// made unique.
    Uid,
    /// Primary mail address; default policy `%(givenname)s.%(sn)s@%(domain)s`,
    /// transliterated, lower-cased, validated, made unique.
    Mail,
    /// Mail aliases from the `secondary` policies, minus the primary address.
    Aliases,
    /// Any other text: the policy rendered as is.
    Text,
    /// A random password from the `password` policy.
    Password,
    /// A home directory; default policy `/home/%(uid)s` (Kolab's).
    Homedirectory,
    /// A value the directory assigns itself (`uidnumber`, `gidnumber`; Kolab's daemon
    /// picks the `mailhost`): not generated here. Asking for it adds a
    /// [`GenerationNote::LeftToServer`](super::GenerationNote::LeftToServer).
    Server,
}

impl Generator {
    /// The generator a Kolab attribute name implies: `cn`, `displayname`, `uid`, `mail`,
    /// `mailalternateaddress`/`alias` (aliases), `userpassword`, `homedirectory` and the
    /// directory's `uidnumber`, `gidnumber`, `mailhost` (case-insensitive), or `None`.
    pub fn for_attribute(attribute: &str) -> Option<Generator> {
        let lower = attribute.to_ascii_lowercase();
        Some(match lower.as_str() {
            "cn" => Generator::Cn,
            "displayname" => Generator::Displayname,
            "uid" => Generator::Uid,
            "mail" => Generator::Mail,
            "mailalternateaddress" | "alias" => Generator::Aliases,
            "userpassword" => Generator::Password,
            "homedirectory" => Generator::Homedirectory,
            "uidnumber" | "gidnumber" | "mailhost" => Generator::Server,
            _ => return None,
        })
    }

    /// The policy used when a field names none.
    pub fn default_policy(self) -> Option<&'static str> {
        match self {
            Generator::Cn => Some("%(givenname)s %(sn)s"),
            Generator::Displayname => Some("%(sn)s, %(givenname)s"),
            Generator::Uid => Some("%(sn)s"),
            Generator::Mail => Some("%(givenname)s.%(sn)s@%(domain)s"),
            Generator::Homedirectory => Some("/home/%(uid)s"),
            Generator::Aliases | Generator::Text | Generator::Password | Generator::Server => None,
        }
    }

    /// The lower-case name (`cn`, `displayname`, `uid`, `mail`, `aliases`, `text`,
    /// `password`, `homedirectory`, `server`).
    pub fn as_str(self) -> &'static str {
        match self {
            Generator::Cn => "cn",
            Generator::Displayname => "displayname",
            Generator::Uid => "uid",
            Generator::Mail => "mail",
            Generator::Aliases => "aliases",
            Generator::Text => "text",
            Generator::Password => "password",
            Generator::Homedirectory => "homedirectory",
            Generator::Server => "server",
        }
    }
}

/// The secondary (alias) policies used when an aliases field names none: first initial
/// and surname, and the user name, each `@%(domain)s`.
pub const DEFAULT_SECONDARY_POLICIES: [&str; 2] = [
    "'{0}.{1}@{2}'.format('%(givenname)s'[0:1], '%(sn)s', '%(domain)s')",
    "%(uid)s@%(domain)s",
];

/// One secondary (alias) policy: a policy string, or Kolab's one-entry map
/// `{"{0}.{1}@{2}": "format('%(givenname)s'[0:1], '%(surname)s', '%(domain)s')"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SecondaryPolicy {
    /// A policy string.
    Policy(String),
    /// Kolab's format map (each entry is one policy).
    Kolab(BTreeMap<String, String>),
}

/// A field computed from other inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoFormField {
    /// The input keys the value is computed from (for UIs, which regenerate when one of
    /// them changes; validation accepts these keys as known inputs). What generation
    /// actually requires are the keys its policies use.
    #[serde(default)]
    pub data: Vec<String>,
    /// Whether the field may stay empty: an optional field whose inputs are missing is
    /// skipped instead of failing generation.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// How the value is computed; inferred from the attribute name if absent (see
    /// [`Generator::for_attribute`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    /// The policy (format string); the generator's default if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Alias policies of an `aliases` field; [`DEFAULT_SECONDARY_POLICIES`] if empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary: Vec<SecondaryPolicy>,
    /// Password policy of a `password` field; [`PasswordPolicy::default`] if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<PasswordPolicy>,
    /// The type of the value (Kolab's `"type"`: `list` for aliases); informational, and
    /// the type of a form field of the same name that names none.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FieldType>,
    /// The longest value in characters, for a `uid` field: a longer user name is cut,
    /// and a numeric suffix fits within it (see [`make_unique_within`](super::make_unique_within)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maxlength: Option<usize>,
    /// Whether a UI shows the value without letting the user change it (informational).
    #[serde(default, skip_serializing_if = "is_false")]
    pub readonly: bool,
}

impl AutoFormField {
    /// The generator of this field, named `attribute` in its type.
    pub fn generator_for(&self, attribute: &str) -> Result<Generator, FormError> {
        self.generator
            .or_else(|| Generator::for_attribute(attribute))
            .ok_or_else(|| FormError::UnknownGenerator {
                attribute: attribute.to_owned(),
            })
    }

    /// The parsed main policy (explicit or the generator's default), if the generator
    /// uses one.
    pub fn main_policy(&self, attribute: &str) -> Result<Option<Policy>, FormError> {
        let generator = self.generator_for(attribute)?;
        let text = match (&self.policy, generator) {
            (_, Generator::Password | Generator::Aliases | Generator::Server) => None,
            (Some(text), _) => Some(text.as_str()),
            (None, Generator::Text) => {
                return Err(FormError::MissingPolicy {
                    attribute: attribute.to_owned(),
                })
            }
            (None, other) => other.default_policy(),
        };
        text.map(|t| parse(attribute, t)).transpose()
    }

    /// The parsed alias policies (explicit or [`DEFAULT_SECONDARY_POLICIES`]).
    pub fn secondary_policies(&self, attribute: &str) -> Result<Vec<Policy>, FormError> {
        if self.secondary.is_empty() {
            return DEFAULT_SECONDARY_POLICIES
                .iter()
                .map(|p| parse(attribute, p))
                .collect();
        }
        let mut out = Vec::new();
        for entry in &self.secondary {
            match entry {
                SecondaryPolicy::Policy(text) => out.push(parse(attribute, text)?),
                SecondaryPolicy::Kolab(map) => {
                    for (template, call) in map {
                        out.push(
                            Policy::parse_kolab_format(template, call).map_err(|source| {
                                FormError::BadPolicy {
                                    attribute: attribute.to_owned(),
                                    source,
                                }
                            })?,
                        );
                    }
                }
            }
        }
        Ok(out)
    }
}

fn parse(attribute: &str, text: &str) -> Result<Policy, FormError> {
    Policy::parse(text).map_err(|source| FormError::BadPolicy {
        attribute: attribute.to_owned(),
        source,
    })
}

impl UserType {
    /// Loads a user type from JSON (Kolab's shape or the flat one) and [checks](Self::check)
    /// it.
    pub fn from_json(json: &str) -> Result<UserType, FormError> {
        let user_type: UserType = serde_json::from_str(json)?;
        user_type.check()?;
        Ok(user_type)
    }

    /// Checks every auto form field: its generator is known, its policies parse, a `text`
    /// field has a policy and a password policy can be satisfied.
    pub fn check(&self) -> Result<(), FormError> {
        for (attribute, field) in &self.attributes.auto_form_fields {
            match field.generator_for(attribute)? {
                Generator::Aliases => {
                    field.secondary_policies(attribute)?;
                }
                Generator::Password => field.password.clone().unwrap_or_default().check()?,
                Generator::Server => {}
                _ => {
                    field.main_policy(attribute)?;
                }
            }
        }
        Ok(())
    }

    /// The names of the auto form fields.
    pub fn auto_attributes(&self) -> Vec<&str> {
        self.attributes
            .auto_form_fields
            .keys()
            .map(String::as_str)
            .collect()
    }
}

#[derive(Deserialize)]
struct RawUserType {
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    attributes: Option<Value>,
    #[serde(default)]
    form_fields: Option<Value>,
    #[serde(default)]
    auto_form_fields: Option<Value>,
    #[serde(default)]
    fields: Option<Value>,
}

impl<'de> Deserialize<'de> for UserType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawUserType::deserialize(deserializer)?;
        let flat =
            raw.form_fields.is_some() || raw.auto_form_fields.is_some() || raw.fields.is_some();
        let attributes = match (raw.attributes, flat) {
            (Some(_), true) => {
                return Err(serde::de::Error::custom(
                    "a user type has either \"attributes\" or top-level form_fields/auto_form_fields/fields, not both",
                ))
            }
            (Some(attributes), false) => attributes,
            (None, _) => {
                let mut groups = Map::new();
                for (name, group) in [
                    ("form_fields", raw.form_fields),
                    ("auto_form_fields", raw.auto_form_fields),
                    ("fields", raw.fields),
                ] {
                    if let Some(group) = group {
                        groups.insert(name.to_owned(), group);
                    }
                }
                Value::Object(groups)
            }
        };
        let attributes: TypeAttributes =
            serde_json::from_value(kolab_shapes(attributes)).map_err(serde::de::Error::custom)?;
        let key = raw.key.unwrap_or_default();
        Ok(UserType {
            name: raw.name.unwrap_or_else(|| key.clone()),
            key,
            description: raw.description.unwrap_or_default(),
            attributes,
        })
    }
}

/// Kolab's shapes in the shape [`TypeAttributes`] reads: an empty field group or field
/// definition written `[]` (PHP's empty array) as `{}`, and a form field without a
/// `type` given the `type` of the auto field of the same name (Kolab merges the two).
fn kolab_shapes(mut attributes: Value) -> Value {
    let Some(groups) = attributes.as_object_mut() else {
        return attributes;
    };
    for group in ["form_fields", "auto_form_fields"] {
        if let Some(fields) = groups.get_mut(group) {
            empty_array_as_object(fields);
            if let Some(fields) = fields.as_object_mut() {
                fields.values_mut().for_each(empty_array_as_object);
            }
        }
    }
    if let Some(fields) = groups.get_mut("fields") {
        empty_array_as_object(fields);
    }
    let auto_types: Vec<(String, Value)> = groups
        .get("auto_form_fields")
        .and_then(Value::as_object)
        .map(|auto| {
            auto.iter()
                .filter_map(|(name, field)| Some((name.clone(), field.get("type")?.clone())))
                .collect()
        })
        .unwrap_or_default();
    if let Some(form) = groups.get_mut("form_fields").and_then(Value::as_object_mut) {
        for (name, field_type) in auto_types {
            if let Some(Value::Object(field)) = form.get_mut(&name) {
                field.entry("type").or_insert(field_type);
            }
        }
    }
    attributes
}

fn empty_array_as_object(value: &mut Value) {
    if value.as_array().is_some_and(Vec::is_empty) {
        *value = Value::Object(Map::new());
    }
}
