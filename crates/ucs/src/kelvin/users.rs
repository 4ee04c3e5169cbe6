//! School users: get, search, create, replace, patch, rename, move, delete,
//! exists.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::call::{body, kelvin_call, parse};
use super::models::User;
use super::urls::Urls;
use super::{ApiVersion, Kelvin};
use crate::error::{Error, Result};
use crate::http::exec::Op;
use crate::roles::{check_change, check_create, ChangeKind, Role, UserFields};
use crate::secret::Secret;

pub use super::models::PasswordHashes;

/// A user to create. Start with [`NewUser::new`] or a role shortcut.
///
/// ```
/// use ucs::kelvin::NewUser;
/// let user = NewUser::student("Jürgen", "Müller")
///     .name("jmueller")
///     .school("DEMOSCHOOL")
///     .class("1a")
///     .record_uid("4711")
///     .source_uid("sis")
///     .password("S3cret-Passw0rd");
/// assert!(!format!("{user:?}").contains("S3cret"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewUser {
    /// Login name; required unless the server has a name template.
    pub name: Option<String>,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Primary school (default: the alphabetically first of `schools`).
    pub school: Option<String>,
    /// All schools.
    pub schools: Vec<String>,
    /// Classes per school.
    pub school_classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// E-mail address.
    pub email: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Account expiry (year 1961-2099).
    pub expiration_date: Option<NaiveDate>,
    /// Create the account disabled.
    pub disabled: bool,
    /// The user's id in the source system.
    pub record_uid: Option<String>,
    /// The source system.
    pub source_uid: Option<String>,
    /// Initial password.
    pub password: Option<Secret>,
    /// Password hashes instead of a password.
    pub password_hashes: Option<PasswordHashes>,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Vec<String>,
    /// Legal guardians (user names), for students.
    pub legal_guardians: Vec<String>,
    /// Legal wards (user names), for legal guardians.
    pub legal_wards: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

impl NewUser {
    /// A user with a name and no roles yet.
    pub fn new(firstname: impl Into<String>, lastname: impl Into<String>) -> Self {
        NewUser {
            firstname: firstname.into(),
            lastname: lastname.into(),
            ..Default::default()
        }
    }

    /// A student.
    pub fn student(firstname: impl Into<String>, lastname: impl Into<String>) -> Self {
        Self::new(firstname, lastname).role(Role::Student)
    }

    /// A teacher.
    pub fn teacher(firstname: impl Into<String>, lastname: impl Into<String>) -> Self {
        Self::new(firstname, lastname).role(Role::Teacher)
    }

    /// A staff member.
    pub fn staff(firstname: impl Into<String>, lastname: impl Into<String>) -> Self {
        Self::new(firstname, lastname).role(Role::Staff)
    }

    /// A legal guardian.
    pub fn legal_guardian(firstname: impl Into<String>, lastname: impl Into<String>) -> Self {
        Self::new(firstname, lastname).role(Role::LegalGuardian)
    }

    /// Login name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a role.
    pub fn role(mut self, role: Role) -> Self {
        if !self.roles.contains(&role) {
            self.roles.push(role);
        }
        self
    }

    /// Primary school (also added to `schools`).
    pub fn school(mut self, school: impl Into<String>) -> Self {
        let school = school.into();
        if !self.schools.contains(&school) {
            self.schools.push(school.clone());
        }
        self.school = Some(school);
        self
    }

    /// An additional school.
    pub fn also_school(mut self, school: impl Into<String>) -> Self {
        let school = school.into();
        if !self.schools.contains(&school) {
            self.schools.push(school);
        }
        self
    }

    /// A class in the primary school (call [`NewUser::school`] first).
    pub fn class(self, class: impl Into<String>) -> Self {
        let school = self
            .school
            .clone()
            .or_else(|| self.schools.first().cloned())
            .unwrap_or_default();
        self.class_in(school, class)
    }

    /// A class in a given school.
    pub fn class_in(mut self, school: impl Into<String>, class: impl Into<String>) -> Self {
        self.school_classes
            .entry(school.into())
            .or_default()
            .push(class.into());
        self
    }

    /// A workgroup in a given school.
    pub fn workgroup_in(mut self, school: impl Into<String>, workgroup: impl Into<String>) -> Self {
        self.workgroups
            .entry(school.into())
            .or_default()
            .push(workgroup.into());
        self
    }

    /// E-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Birthday.
    pub fn birthday(mut self, birthday: NaiveDate) -> Self {
        self.birthday = Some(birthday);
        self
    }

    /// Account expiry.
    pub fn expiration_date(mut self, date: NaiveDate) -> Self {
        self.expiration_date = Some(date);
        self
    }

    /// Create the account disabled.
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }

    /// The user's id in the source system.
    pub fn record_uid(mut self, id: impl Into<String>) -> Self {
        self.record_uid = Some(id.into());
        self
    }

    /// The source system.
    pub fn source_uid(mut self, id: impl Into<String>) -> Self {
        self.source_uid = Some(id.into());
        self
    }

    /// Initial password.
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Password hashes instead of a password.
    pub fn password_hashes(mut self, hashes: PasswordHashes) -> Self {
        self.password_hashes = Some(hashes);
        self
    }

    /// A legal guardian (user name).
    pub fn legal_guardian_of(mut self, guardian: impl Into<String>) -> Self {
        self.legal_guardians.push(guardian.into());
        self
    }

    /// A legal ward (user name).
    pub fn legal_ward(mut self, ward: impl Into<String>) -> Self {
        self.legal_wards.push(ward.into());
        self
    }

    /// A mapped UDM property.
    pub fn udm_property(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.udm_properties.insert(name.into(), value.into());
        self
    }

    /// What the role rules see of this create.
    pub fn rule_fields(&self) -> UserFields {
        let schools = if self.schools.is_empty() {
            None
        } else {
            Some(self.schools.clone())
        };
        UserFields {
            name: self.name.clone(),
            firstname: Some(self.firstname.clone()),
            lastname: Some(self.lastname.clone()),
            record_uid: self.record_uid.clone(),
            source_uid: self.source_uid.clone(),
            roles: Some(self.roles.clone()),
            school: self.school.clone(),
            schools,
            school_classes: Some(self.school_classes.clone()),
            workgroups: Some(self.workgroups.clone()),
            legal_guardians: Some(self.legal_guardians.clone()),
            legal_wards: Some(self.legal_wards.clone()),
            expiration_date: self.expiration_date,
            ucsschool_roles: Some(self.ucsschool_roles.clone()),
        }
    }

    /// The request body (with URL-valued fields).
    fn to_json(&self, urls: &Urls) -> Value {
        let mut body = Map::new();
        if let Some(name) = &self.name {
            body.insert("name".into(), json!(name));
        }
        body.insert("firstname".into(), json!(self.firstname));
        body.insert("lastname".into(), json!(self.lastname));
        body.insert("roles".into(), role_urls(urls, &self.roles));
        let mut schools = self.schools.clone();
        if let Some(school) = &self.school {
            if !schools.contains(school) {
                schools.push(school.clone());
            }
            body.insert("school".into(), json!(urls.item("schools", school)));
        }
        body.insert("schools".into(), school_urls(urls, &schools));
        body.insert("school_classes".into(), json!(self.school_classes));
        body.insert("workgroups".into(), json!(self.workgroups));
        body.insert("disabled".into(), json!(self.disabled));
        for (key, value) in [
            ("email", self.email.as_ref()),
            ("record_uid", self.record_uid.as_ref()),
            ("source_uid", self.source_uid.as_ref()),
        ] {
            if let Some(value) = value {
                body.insert(key.into(), json!(value));
            }
        }
        if let Some(birthday) = self.birthday {
            body.insert("birthday".into(), json!(birthday));
        }
        if let Some(date) = self.expiration_date {
            body.insert("expiration_date".into(), json!(date));
        }
        body.insert("ucsschool_roles".into(), json!(self.ucsschool_roles));
        body.insert("legal_guardians".into(), json!(self.legal_guardians));
        body.insert("legal_wards".into(), json!(self.legal_wards));
        body.insert(
            "udm_properties".into(),
            Value::Object(self.udm_properties.clone()),
        );
        if let Some(password) = &self.password {
            body.insert("password".into(), json!(password.expose()));
        }
        if let Some(hashes) = &self.password_hashes {
            body.insert("kelvin_password_hashes".into(), hashes.to_json());
        }
        Value::Object(body)
    }

    fn secrets(&self) -> Vec<&Secret> {
        let mut out: Vec<&Secret> = self.password.iter().collect();
        if let Some(h) = &self.password_hashes {
            out.extend(h.secrets());
        }
        out
    }
}

impl From<&User> for NewUser {
    /// The fields of an existing user, for a full replace (PUT) after changes.
    fn from(user: &User) -> Self {
        NewUser {
            name: Some(user.name.clone()),
            firstname: user.firstname.clone(),
            lastname: user.lastname.clone(),
            roles: user.roles.clone(),
            school: Some(user.school.clone()),
            schools: user.schools.clone(),
            school_classes: user.school_classes.clone(),
            workgroups: user.workgroups.clone(),
            email: user.email.clone(),
            birthday: user.birthday,
            expiration_date: user.expiration_date,
            disabled: user.disabled,
            record_uid: user.record_uid.clone(),
            source_uid: user.source_uid.clone(),
            password: None,
            password_hashes: None,
            ucsschool_roles: user.ucsschool_roles.clone(),
            legal_guardians: user.legal_guardians.clone(),
            legal_wards: user.legal_wards.clone(),
            udm_properties: user.udm_properties.clone(),
        }
    }
}

fn role_urls(urls: &Urls, roles: &[Role]) -> Value {
    json!(roles
        .iter()
        .map(|r| urls.item("roles", r.as_str()))
        .collect::<Vec<_>>())
}

fn school_urls(urls: &Urls, schools: &[String]) -> Value {
    json!(schools
        .iter()
        .map(|s| urls.item("schools", s))
        .collect::<Vec<_>>())
}

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
    fn touches_rules(&self) -> bool {
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

    fn to_json(&self, urls: &Urls) -> Map<String, Value> {
        let mut body = self.fields.clone();
        if let Some(roles) = &self.roles {
            body.insert("roles".into(), role_urls(urls, roles));
        }
        if let Some(school) = &self.school {
            body.insert("school".into(), json!(urls.item("schools", school)));
        }
        if let Some(schools) = &self.schools {
            body.insert("schools".into(), school_urls(urls, schools));
        }
        if let Some(password) = &self.password {
            body.insert("password".into(), json!(password.expose()));
        }
        if let Some(hashes) = &self.password_hashes {
            body.insert("kelvin_password_hashes".into(), hashes.to_json());
        }
        body
    }

    fn secrets(&self) -> Vec<&Secret> {
        let mut out: Vec<&Secret> = self.password.iter().collect();
        if let Some(h) = &self.password_hashes {
            out.extend(h.secrets());
        }
        out
    }
}

/// Search filters for users. Every filter is case-insensitive and accepts `*`
/// wildcards; filters combine with AND, several roles with OR.
///
/// ```
/// use ucs::kelvin::UserFilter;
/// use ucs::roles::Role;
/// let filter = UserFilter::new()
///     .school("DEMOSCHOOL")
///     .lastname("M*ller")
///     .role(Role::Student)
///     .role(Role::Teacher)
///     .udm_property("title", "Dr*");
/// # let _ = filter;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserFilter {
    school: Option<String>,
    name: Option<String>,
    firstname: Option<String>,
    lastname: Option<String>,
    email: Option<String>,
    record_uid: Option<String>,
    source_uid: Option<String>,
    birthday: Option<NaiveDate>,
    expiration_date: Option<NaiveDate>,
    disabled: Option<bool>,
    roles: Vec<Role>,
    ucsschool_roles: Vec<String>,
    udm_properties: Vec<(String, String)>,
}

macro_rules! text_filters {
    ($($field:ident: $doc:literal),* $(,)?) => {
        $(
            #[doc = $doc]
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )*
    };
}

impl UserFilter {
    /// No filter: all users.
    pub fn new() -> Self {
        Self::default()
    }

    text_filters! {
        school: "Users of this school.",
        name: "Login name (`*` wildcards).",
        firstname: "First name (`*` wildcards).",
        lastname: "Last name (`*` wildcards).",
        email: "E-mail address (`*` wildcards).",
        record_uid: "Id in the source system.",
        source_uid: "Source system.",
    }

    /// Birthday.
    pub fn birthday(mut self, date: NaiveDate) -> Self {
        self.birthday = Some(date);
        self
    }

    /// Account expiry date.
    pub fn expiration_date(mut self, date: NaiveDate) -> Self {
        self.expiration_date = Some(date);
        self
    }

    /// Disabled or enabled accounts.
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = Some(disabled);
        self
    }

    /// Users with this role (repeat for "any of these roles"; v1 only).
    pub fn role(mut self, role: Role) -> Self {
        self.roles.push(role);
        self
    }

    /// Users with this `role:context_type:context` string (v1 only).
    pub fn ucsschool_role(mut self, role: impl Into<String>) -> Self {
        self.ucsschool_roles.push(role.into());
        self
    }

    /// A mapped UDM property (`?title=Dr*`).
    pub fn udm_property(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.udm_properties.push((name.into(), value.into()));
        self
    }
}

/// School users of a [`Kelvin`] session.
#[derive(Clone)]
pub struct Users {
    kelvin: Kelvin,
    checks: bool,
}

impl Users {
    pub(crate) fn new(kelvin: Kelvin) -> Self {
        Users {
            kelvin,
            checks: true,
        }
    }

    /// Skip the client-side role-rule checks for calls through this handle
    /// (the server still enforces them).
    pub fn without_rule_checks(mut self) -> Self {
        self.checks = false;
        self
    }

    fn url(&self, name: &str) -> String {
        self.kelvin.urls().item("users", name)
    }

    /// One user by login name.
    pub async fn get(&self, name: &str) -> Result<User> {
        kelvin_call!(&self.kelvin, Op::new("GET", self.url(name)), Vec::new(), |c|
            v1: c.get_ucsschool_kelvin_v1_users_username_get(name),
            v2: c.get_ucsschool_kelvin_v2_users_username_get(name))
    }

    /// Whether a user exists (GET; Kelvin has no HEAD for users).
    pub async fn exists(&self, name: &str) -> Result<bool> {
        match self.get(name).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Users matching `filter` (Kelvin answers all matches at once).
    pub async fn search(&self, filter: &UserFilter) -> Result<Vec<User>> {
        let query = filter.udm_properties.clone();
        let f = filter;
        if self.kelvin.api_version() == ApiVersion::V2
            && (!f.roles.is_empty() || !f.ucsschool_roles.is_empty())
        {
            return Err(Error::InvalidInput(
                "the Kelvin v2 API has no roles/ucsschool_roles user filter".into(),
            ));
        }
        let roles: Vec<kelvin_raw::v1::types::SchoolUserRole> = f
            .roles
            .iter()
            .map(|r| r.as_str().parse())
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::InvalidInput(format!("role filter: {e}")))?;
        let roles = (!roles.is_empty()).then_some(&roles);
        let ucsschool_roles = (!f.ucsschool_roles.is_empty()).then_some(&f.ucsschool_roles);
        let url = self.kelvin.urls().collection("users");
        kelvin_call!(&self.kelvin, Op::new("GET", url), query, |c|
        v1: async {
            let email: Option<kelvin_raw::v1::types::Email> = match &f.email {
                Some(e) => Some(parse(e, "e-mail filter")?),
                None => None,
            };
            c.search_ucsschool_kelvin_v1_users_get(
                f.birthday.as_ref(), f.disabled, email.as_ref(), f.expiration_date.as_ref(),
                f.firstname.as_deref(), f.lastname.as_deref(), f.name.as_deref(), f.record_uid.as_deref(),
                roles, f.school.as_deref(), f.source_uid.as_deref(), ucsschool_roles,
            ).await
        },
        v2: c.search_ucsschool_kelvin_v2_users_get(
            f.birthday.as_ref(), f.disabled, f.email.as_deref(), f.expiration_date.as_ref(),
            f.firstname.as_deref(), f.lastname.as_deref(), f.name.as_deref(), f.record_uid.as_deref(),
            f.school.as_deref(), f.source_uid.as_deref(),
        ))
    }

    fn check(&self, violations: Vec<crate::roles::Violation>) -> Result<()> {
        if self.checks && !violations.is_empty() {
            Err(Error::RuleViolation(violations))
        } else {
            Ok(())
        }
    }

    /// Creates a user. The role rules are checked first (see
    /// [`Users::without_rule_checks`]).
    ///
    /// A create is never repeated blindly: if the connection breaks (or a
    /// gateway answers 502/504) after the request may have reached the server,
    /// the client looks the user up first and returns it if it exists, so a
    /// retry never creates a duplicate.
    pub async fn create(&self, user: NewUser) -> Result<User> {
        if self.checks {
            self.check(check_create(&user.rule_fields()))?;
        }
        let json = user.to_json(self.kelvin.urls());
        let json = &json;
        let url = self.kelvin.urls().collection("users");
        let mut ambiguous = 0;
        loop {
            let op = Op::new("POST", url.clone()).with_secrets(user.secrets());
            let result: Result<User> = kelvin_call!(&self.kelvin, op, Vec::new(), |c|
                v1: async { c.create_ucsschool_kelvin_v1_users_post(&body(json)?).await },
                v2: async { c.create_ucsschool_kelvin_v2_users_post(&body(json)?).await });
            match result {
                Err(e) if is_ambiguous(&e) && ambiguous < 3 => {
                    ambiguous += 1;
                    let Some(name) = user.name.as_deref() else {
                        return Err(e);
                    };
                    tracing::warn!(
                        user = name,
                        "create may have reached the server; checking before sending again"
                    );
                    match self.get(name).await {
                        Ok(existing) => return Ok(existing),
                        Err(lookup) if lookup.is_not_found() => continue,
                        Err(_) => return Err(e),
                    }
                }
                other => return other,
            }
        }
    }

    /// Replaces a user (PUT) with `user`'s fields: fields left empty are
    /// cleared. The role rules compare against the current state on the
    /// server.
    pub async fn replace(&self, name: &str, user: NewUser) -> Result<User> {
        if self.checks {
            let before = self.get(name).await?;
            self.check(check_change(
                &before.rule_fields(),
                &user.rule_fields(),
                ChangeKind::Replace,
            ))?;
        }
        let json = user.to_json(self.kelvin.urls());
        let json = &json;
        let op = Op::new("PUT", self.url(name)).with_secrets(user.secrets());
        kelvin_call!(&self.kelvin, op, Vec::new(), |c|
            v1: async { c.complete_update_ucsschool_kelvin_v1_users_username_put(name, &body(json)?).await },
            v2: async { c.complete_update_ucsschool_kelvin_v2_users_username_put(name, &body(json)?).await })
    }

    /// Changes only the fields in `patch` (PATCH). When the patch touches
    /// roles, schools, memberships or guardians, the current user is read
    /// first to check the role rules.
    pub async fn patch(&self, name: &str, patch: &UserPatch) -> Result<User> {
        if self.checks && patch.touches_rules() {
            let before = self.get(name).await?;
            self.check(check_change(
                &before.rule_fields(),
                &patch.rule_fields(),
                ChangeKind::Patch,
            ))?;
        }
        let json = patch.to_json(self.kelvin.urls());
        let json = &json;
        let op = Op::new("PATCH", self.url(name)).with_secrets(patch.secrets());
        kelvin_call!(&self.kelvin, op, Vec::new(), |c|
            v1: c.partial_update_ucsschool_kelvin_v1_users_username_patch(name, json),
            v2: c.partial_update_ucsschool_kelvin_v2_users_username_patch(name, json))
    }

    /// Renames a user.
    pub async fn rename(&self, name: &str, new_name: &str) -> Result<User> {
        self.patch(name, &UserPatch::new().name(new_name)).await
    }

    /// Moves a user to another primary school (leaving the old one).
    pub async fn move_to_school(&self, name: &str, school: &str) -> Result<User> {
        self.patch(name, &UserPatch::new().school(school).schools([school]))
            .await
    }

    /// Deletes a user.
    pub async fn delete(&self, name: &str) -> Result<()> {
        kelvin_call!(&self.kelvin, Op::new("DELETE", self.url(name)), Vec::new(), |c|
            v1: c.delete_ucsschool_kelvin_v1_users_username_delete(name),
            v2: c.delete_ucsschool_kelvin_v2_users_username_delete(name))
    }
}

/// Whether a failed create may nevertheless have been carried out.
fn is_ambiguous(error: &Error) -> bool {
    match error {
        Error::Transport { maybe_sent, .. } => *maybe_sent,
        Error::Server(api) => matches!(api.status, 502 | 504),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_user_body_has_urls_for_schools_and_roles() {
        let urls = Urls::new("https://h", "v1");
        let u = NewUser::teacher("A", "B")
            .school("DEMO SCHOOL")
            .class("1a")
            .password("pw123");
        let body = u.to_json(&urls);
        assert_eq!(
            body["school"],
            "https://h/ucsschool/kelvin/v1/schools/DEMO%20SCHOOL"
        );
        assert_eq!(
            body["schools"],
            json!(["https://h/ucsschool/kelvin/v1/schools/DEMO%20SCHOOL"])
        );
        assert_eq!(
            body["roles"],
            json!(["https://h/ucsschool/kelvin/v1/roles/teacher"])
        );
        assert_eq!(body["school_classes"], json!({"DEMO SCHOOL": ["1a"]}));
        assert_eq!(body["password"], "pw123");
        let typed: kelvin_raw::v1::types::UserCreateModel =
            serde_json::from_value(body).expect("fits the generated model");
        assert_eq!(typed.firstname, "A");
    }

    #[test]
    fn patch_sends_only_set_fields_and_null_clears() {
        let urls = Urls::new("https://h", "v1");
        let p = UserPatch::new()
            .email(None)
            .roles([Role::Staff])
            .udm_property("title", Value::Null);
        let body = p.to_json(&urls);
        assert_eq!(body.len(), 3);
        assert_eq!(body["email"], Value::Null);
        assert_eq!(
            body["roles"],
            json!(["https://h/ucsschool/kelvin/v1/roles/staff"])
        );
        assert_eq!(body["udm_properties"], json!({"title": null}));
        assert!(p.touches_rules());
        assert!(!UserPatch::new().firstname("x").touches_rules());
    }

    #[test]
    fn patch_debug_hides_the_password() {
        let p = UserPatch::new().password("Very$ecret1");
        assert!(!format!("{p:?}").contains("Very$ecret1"));
        assert!(!p.is_empty());
    }
}
