//! The school user model and password hashes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::call::FromRaw;
use super::urls::{into_name, name_from_url};
use crate::roles::{Role, UserFields};
use crate::secret::Secret;
use ucs_ldap::Dn;

/// A school user as Kelvin returns it, with URL-valued fields turned into
/// names (`school: "DEMOSCHOOL"`, `roles: [Role::Teacher]`).
///
/// Serializes (and deserializes) with these names and Kelvin's field names,
/// as the Python client's `as_dict` does (`roles` as role names, `dn` as
/// text).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Login name (`uid`).
    pub name: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// LDAP DN.
    pub dn: Dn,
    /// The user's Kelvin URL.
    pub url: String,
    /// Primary school.
    pub school: String,
    /// All schools.
    pub schools: Vec<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Classes per school.
    pub school_classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// Primary e-mail address.
    pub email: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Account expiry.
    pub expiration_date: Option<NaiveDate>,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// The user's id in the source system.
    pub record_uid: Option<String>,
    /// The source system.
    pub source_uid: Option<String>,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Vec<String>,
    /// Legal guardians (user names).
    pub legal_guardians: Vec<String>,
    /// Legal wards (user names).
    pub legal_wards: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

impl User {
    /// What the role rules see of this user.
    pub fn rule_fields(&self) -> UserFields {
        UserFields {
            name: Some(self.name.clone()),
            firstname: Some(self.firstname.clone()),
            lastname: Some(self.lastname.clone()),
            record_uid: self.record_uid.clone(),
            source_uid: self.source_uid.clone(),
            roles: Some(self.roles.clone()),
            school: Some(self.school.clone()),
            schools: Some(self.schools.clone()),
            school_classes: Some(self.school_classes.clone()),
            workgroups: Some(self.workgroups.clone()),
            legal_guardians: Some(self.legal_guardians.clone()),
            legal_wards: Some(self.legal_wards.clone()),
            expiration_date: self.expiration_date,
            ucsschool_roles: Some(self.ucsschool_roles.clone()),
        }
    }
}

/// Password hashes to set instead of a password (`kelvin_password_hashes`),
/// e.g. when migrating accounts. Every value is secret: `Debug` hides them
/// and there is no `Serialize` (they are written only into a request body);
/// `Deserialize` reads them (from a migration file, say).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct PasswordHashes {
    /// `userPassword` values.
    pub user_password: Vec<Secret>,
    /// `sambaNTPassword`.
    pub samba_nt_password: Secret,
    /// `krb5Key` values, base64-encoded.
    pub krb_5_key: Vec<Secret>,
    /// `krb5KeyVersionNumber`.
    pub krb5_key_version_number: i64,
    /// `sambaPwdLastSet`.
    pub samba_pwd_last_set: i64,
}

impl PasswordHashes {
    /// The JSON the server expects.
    pub(crate) fn to_json(&self) -> Value {
        serde_json::json!({
            "user_password": self.user_password.iter().map(|s| s.expose()).collect::<Vec<_>>(),
            "samba_nt_password": self.samba_nt_password.expose(),
            "krb_5_key": self.krb_5_key.iter().map(|s| s.expose()).collect::<Vec<_>>(),
            "krb5_key_version_number": self.krb5_key_version_number,
            "samba_pwd_last_set": self.samba_pwd_last_set,
        })
    }

    /// Every secret value, to keep out of error texts.
    pub(crate) fn secrets(&self) -> Vec<&Secret> {
        let mut out: Vec<&Secret> = self.user_password.iter().collect();
        out.push(&self.samba_nt_password);
        out.extend(self.krb_5_key.iter());
        out
    }
}

/// One role from its URL or name.
fn role_from(value: &str) -> Result<Role, String> {
    let name = name_from_url(value);
    name.parse::<Role>()
        .map_err(|_| format!("unknown role {name:?}"))
}

/// The names in URL-valued fields, reusing the strings the answer was
/// decoded into.
fn names(values: Vec<String>) -> Vec<String> {
    values.into_iter().map(into_name).collect()
}

macro_rules! user_from_raw {
    ($version:ident) => {
        impl FromRaw<kelvin_raw::$version::types::UserModel> for User {
            fn from_raw(raw: kelvin_raw::$version::types::UserModel) -> Result<Self, String> {
                Ok(User {
                    roles: raw
                        .roles
                        .iter()
                        .map(|r| role_from(r))
                        .collect::<Result<_, _>>()?,
                    school: into_name(raw.school.into()),
                    schools: raw
                        .schools
                        .into_iter()
                        .map(|s| into_name(s.into()))
                        .collect(),
                    name: raw.name,
                    firstname: raw.firstname,
                    lastname: raw.lastname,
                    dn: Dn::parse(&raw.dn)
                        .map_err(|e| format!("malformed user DN {:?}: {e}", raw.dn))?,
                    url: raw.url.into(),
                    school_classes: raw.school_classes.into_iter().collect(),
                    workgroups: raw.workgroups.into_iter().collect(),
                    email: raw.email,
                    birthday: raw.birthday,
                    expiration_date: raw.expiration_date,
                    disabled: raw.disabled,
                    record_uid: raw.record_uid,
                    source_uid: raw.source_uid,
                    ucsschool_roles: raw.ucsschool_roles,
                    legal_guardians: names(raw.legal_guardians),
                    legal_wards: names(raw.legal_wards),
                    udm_properties: raw.udm_properties,
                })
            }
        }
    };
}

user_from_raw!(v1);
user_from_raw!(v2);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_debug_shows_no_hash() {
        let h = PasswordHashes {
            user_password: vec![Secret::from("{crypt}$6$abc")],
            samba_nt_password: Secret::from("8846F7EAEE8FB117AD06BDD830B7586C"),
            krb_5_key: vec![Secret::from("a2V5")],
            krb5_key_version_number: 1,
            samba_pwd_last_set: 1,
        };
        let debug = format!("{h:?}");
        for secret in ["crypt", "8846F7", "a2V5"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert_eq!(
            h.to_json()["samba_nt_password"],
            "8846F7EAEE8FB117AD06BDD830B7586C"
        );
    }

    #[test]
    fn user_model_urls_become_names() {
        let raw: kelvin_raw::v1::types::UserModel = serde_json::from_value(serde_json::json!({
            "dn": "uid=m,cn=schueler,cn=users,ou=DEMOSCHOOL,dc=example,dc=com",
            "url": "http://h/ucsschool/kelvin/v1/users/m",
            "name": "m", "firstname": "M", "lastname": "Müller",
            "school": "http://h/ucsschool/kelvin/v1/schools/DEMO%20SCHOOL",
            "schools": ["http://h/ucsschool/kelvin/v1/schools/DEMO%20SCHOOL"],
            "roles": ["http://h/ucsschool/kelvin/v1/roles/student"],
            "school_classes": {"DEMO SCHOOL": ["1a"]},
            "an_unknown_field": 1
        }))
        .expect("the generated model ignores unknown fields");
        let user = User::from_raw(raw).expect("converts");
        assert_eq!(user.school, "DEMO SCHOOL");
        assert_eq!(user.roles, vec![Role::Student]);
        assert_eq!(user.school_classes["DEMO SCHOOL"], vec!["1a"]);
        assert!(!user.disabled);
    }
}
