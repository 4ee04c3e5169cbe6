//! A user to create (or the full state of a replace) and its request body.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::super::models::{PasswordHashes, User};
use super::super::urls::Urls;
use crate::error::Result;
use crate::roles::{Role, UserFields};
use crate::secret::Secret;

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
///
/// It serializes with Kelvin's field names and the names (not URLs) of
/// schools and roles, **without** `password` and `password_hashes`: secrets
/// are never written out. Deserializing reads them when present (an import
/// file with initial passwords), and takes defaults for absent fields.
///
/// ```
/// use ucs::kelvin::NewUser;
/// let user = NewUser::student("Jürgen", "Müller").name("jmueller").password("S3cret-Passw0rd");
/// let json = serde_json::to_value(&user).unwrap();
/// assert_eq!(json["name"], "jmueller");
/// assert_eq!(json["roles"], serde_json::json!(["student"]));
/// assert!(json.get("password").is_none() && !json.to_string().contains("S3cret"));
/// let back: NewUser = serde_json::from_value(json).unwrap();
/// assert_eq!(back.password, None);
/// assert_eq!(back, NewUser { password: None, ..user });
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
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
    /// Initial password (never serialized).
    #[serde(skip_serializing)]
    pub password: Option<Secret>,
    /// Password hashes instead of a password (never serialized; read as
    /// `kelvin_password_hashes`).
    #[serde(skip_serializing, alias = "kelvin_password_hashes")]
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
    pub(super) fn to_json(&self, urls: &Urls) -> Result<Value> {
        let mut body = Map::new();
        if let Some(name) = &self.name {
            body.insert("name".into(), json!(name));
        }
        body.insert("firstname".into(), json!(self.firstname));
        body.insert("lastname".into(), json!(self.lastname));
        body.insert("roles".into(), role_urls(urls, &self.roles)?);
        let mut schools = self.schools.clone();
        if let Some(school) = &self.school {
            if !schools.contains(school) {
                schools.push(school.clone());
            }
            body.insert("school".into(), json!(urls.item("schools", school)?));
        }
        body.insert("schools".into(), school_urls(urls, &schools)?);
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
        Ok(Value::Object(body))
    }

    pub(super) fn secrets(&self) -> Vec<&Secret> {
        let mut out: Vec<&Secret> = self.password.iter().collect();
        if let Some(h) = &self.password_hashes {
            out.extend(h.secrets());
        }
        out
    }

    /// The fields this request set that `user` does not have (names of the
    /// fields; empty when `user` is what this request creates).
    pub(crate) fn differences(&self, user: &User) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut differ = |field: &'static str, same: bool| {
            if !same {
                out.push(field);
            }
        };
        let same_opt = |sent: &Option<String>, found: &Option<String>| {
            sent.is_none()
                || sent.as_deref().map(str::to_lowercase) == found.as_deref().map(str::to_lowercase)
        };
        differ("record_uid", same_opt(&self.record_uid, &user.record_uid));
        differ("source_uid", same_opt(&self.source_uid, &user.source_uid));
        differ(
            "name",
            self.name
                .as_ref()
                .is_none_or(|n| n.eq_ignore_ascii_case(&user.name)),
        );
        differ("firstname", self.firstname == user.firstname);
        differ("lastname", self.lastname == user.lastname);
        differ("email", same_opt(&self.email, &user.email));
        differ(
            "birthday",
            self.birthday.is_none() || self.birthday == user.birthday,
        );
        let sent_roles: std::collections::BTreeSet<_> = self.roles.iter().collect();
        let found_roles: std::collections::BTreeSet<_> = user.roles.iter().collect();
        differ("roles", sent_roles == found_roles);
        let mut schools = self.schools.clone();
        schools.extend(self.school.iter().cloned());
        differ(
            "schools",
            schools
                .iter()
                .all(|s| user.schools.iter().any(|u| u.eq_ignore_ascii_case(s))),
        );
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

pub(super) fn role_urls(urls: &Urls, roles: &[Role]) -> Result<Value> {
    let urls: Vec<String> = roles
        .iter()
        .map(|r| urls.item("roles", r.as_str()))
        .collect::<Result<_>>()?;
    Ok(json!(urls))
}

pub(super) fn school_urls(urls: &Urls, schools: &[String]) -> Result<Value> {
    Ok(json!(urls.items("schools", schools)?))
}
