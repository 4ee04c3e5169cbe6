//! A partial change of a user (PATCH).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::super::models::PasswordHashes;
use super::super::urls::Urls;
use super::new::{role_urls, school_urls};
use crate::error::Result;
use crate::roles::{Role, UserFields};
use crate::secret::Secret;

/// A partial change (PATCH): only the fields set here are sent; a field set
/// to `None` is sent as `null`, which clears it.
///
/// ```
/// use ucs::kelvin::UserPatch;
/// let patch = UserPatch::new().lastname("Meier").email(None).birthday(None);
/// assert_eq!(patch.to_json_preview()["email"], serde_json::Value::Null);
/// assert!(patch.to_json_preview().get("firstname").is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserPatch {
    fields: Map<String, Value>,
    /// Role names, schools and memberships kept unresolved until the URL
    /// base is known.
    roles: Option<Vec<Role>>,
    school: Option<String>,
    schools: Option<Vec<String>>,
    password: Option<Secret>,
    password_hashes: Option<PasswordHashes>,
}

impl UserPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    fn set(mut self, key: &str, value: Value) -> Self {
        self.fields.insert(key.to_string(), value);
        self
    }

    /// New login name (a rename: the user's URL changes).
    pub fn name(self, name: impl Into<String>) -> Self {
        self.set("name", json!(name.into()))
    }

    /// First name.
    pub fn firstname(self, value: impl Into<String>) -> Self {
        self.set("firstname", json!(value.into()))
    }

    /// Last name.
    pub fn lastname(self, value: impl Into<String>) -> Self {
        self.set("lastname", json!(value.into()))
    }

    /// E-mail address; `None` clears it.
    pub fn email(self, value: Option<&str>) -> Self {
        self.set("email", json!(value))
    }

    /// Birthday; `None` clears it.
    pub fn birthday(self, value: Option<NaiveDate>) -> Self {
        self.set("birthday", json!(value))
    }

    /// Account expiry; `None` clears it.
    pub fn expiration_date(self, value: Option<NaiveDate>) -> Self {
        self.set("expiration_date", json!(value))
    }

    /// Disable or enable the account.
    pub fn disabled(self, value: bool) -> Self {
        self.set("disabled", json!(value))
    }

    /// The user's id in the source system; `None` clears it.
    pub fn record_uid(self, value: Option<&str>) -> Self {
        self.set("record_uid", json!(value))
    }

    /// The source system; `None` clears it.
    pub fn source_uid(self, value: Option<&str>) -> Self {
        self.set("source_uid", json!(value))
    }

    /// New roles.
    pub fn roles(mut self, roles: impl IntoIterator<Item = Role>) -> Self {
        self.roles = Some(roles.into_iter().collect());
        self
    }

    /// New primary school (a move; also send `schools` if the old school
    /// should be left).
    pub fn school(mut self, school: impl Into<String>) -> Self {
        self.school = Some(school.into());
        self
    }

    /// New set of schools.
    pub fn schools(mut self, schools: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.schools = Some(schools.into_iter().map(Into::into).collect());
        self
    }

    /// Classes per school. An empty map removes all class memberships; a
    /// school not in the map keeps its classes.
    pub fn school_classes(self, classes: BTreeMap<String, Vec<String>>) -> Self {
        self.set("school_classes", json!(classes))
    }

    /// Workgroups per school, with the same semantics as `school_classes`.
    pub fn workgroups(self, workgroups: BTreeMap<String, Vec<String>>) -> Self {
        self.set("workgroups", json!(workgroups))
    }

    /// Legal guardians (user names).
    pub fn legal_guardians(self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        self.set("legal_guardians", json!(names))
    }

    /// Legal wards (user names).
    pub fn legal_wards(self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        self.set("legal_wards", json!(names))
    }

    /// `role:context_type:context` strings.
    pub fn ucsschool_roles(self, roles: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let roles: Vec<String> = roles.into_iter().map(Into::into).collect();
        self.set("ucsschool_roles", json!(roles))
    }

    /// A mapped UDM property (`Value::Null` clears it).
    pub fn udm_property(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let props = self
            .fields
            .entry("udm_properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(map) = props {
            map.insert(name.into(), value.into());
        }
        self
    }

    /// New password.
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// New password hashes.
    pub fn password_hashes(mut self, hashes: PasswordHashes) -> Self {
        self.password_hashes = Some(hashes);
        self
    }

    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.roles.is_none()
            && self.school.is_none()
            && self.schools.is_none()
            && self.password.is_none()
            && self.password_hashes.is_none()
    }

    /// The body without secrets and with names instead of URLs (for
    /// inspection and tests).
    pub fn to_json_preview(&self) -> Map<String, Value> {
        let mut out = self.fields.clone();
        if let Some(roles) = &self.roles {
            out.insert(
                "roles".into(),
                json!(roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            );
        }
        if let Some(school) = &self.school {
            out.insert("school".into(), json!(school));
        }
        if let Some(schools) = &self.schools {
            out.insert("schools".into(), json!(schools));
        }
        out
    }

    /// Whether the patch touches fields the role rules need the current user
    /// for.
    pub(super) fn touches_rules(&self) -> bool {
        self.roles.is_some()
            || self.school.is_some()
            || self.schools.is_some()
            || [
                "school_classes",
                "workgroups",
                "legal_guardians",
                "legal_wards",
                "expiration_date",
            ]
            .iter()
            .any(|k| self.fields.contains_key(*k))
    }

    /// What the role rules see of this change.
    pub fn rule_fields(&self) -> UserFields {
        let strings = |key: &str| -> Option<Vec<String>> {
            self.fields
                .get(key)
                .and_then(|v| serde_json::from_value(v.clone()).ok())
        };
        let groups = |key: &str| -> Option<BTreeMap<String, Vec<String>>> {
            self.fields
                .get(key)
                .and_then(|v| serde_json::from_value(v.clone()).ok())
        };
        let text = |key: &str| {
            self.fields
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        UserFields {
            name: text("name"),
            firstname: text("firstname"),
            lastname: text("lastname"),
            record_uid: text("record_uid"),
            source_uid: text("source_uid"),
            roles: self.roles.clone(),
            school: self.school.clone(),
            schools: self.schools.clone(),
            school_classes: groups("school_classes"),
            workgroups: groups("workgroups"),
            legal_guardians: strings("legal_guardians"),
            legal_wards: strings("legal_wards"),
            expiration_date: self
                .fields
                .get("expiration_date")
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
            ucsschool_roles: strings("ucsschool_roles"),
        }
    }

    pub(super) fn to_json(&self, urls: &Urls) -> Result<Map<String, Value>> {
        let mut body = self.fields.clone();
        if let Some(roles) = &self.roles {
            body.insert("roles".into(), role_urls(urls, roles)?);
        }
        if let Some(school) = &self.school {
            body.insert("school".into(), json!(urls.item("schools", school)?));
        }
        if let Some(schools) = &self.schools {
            body.insert("schools".into(), school_urls(urls, schools)?);
        }
        if let Some(password) = &self.password {
            body.insert("password".into(), json!(password.expose()));
        }
        if let Some(hashes) = &self.password_hashes {
            body.insert("kelvin_password_hashes".into(), hashes.to_json());
        }
        Ok(body)
    }

    pub(super) fn secrets(&self) -> Vec<&Secret> {
        let mut out: Vec<&Secret> = self.password.iter().collect();
        if let Some(h) = &self.password_hashes {
            out.extend(h.secrets());
        }
        out
    }
}
