//! Kelvin objects as the stable JSON of `-o json` (Kelvin's field names; schools, roles and
//! users as names, not URLs) and back: `users get -o json` is valid input of
//! `users create --json`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ucs::kelvin::{NewUser, RoleInfo, School, SchoolClass, User, WorkGroup};

use crate::cli::kelvin::role;
use crate::exit::CliError;

/// A school user in the command line's JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UserDoc {
    /// Login name.
    pub name: Option<String>,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// Primary school.
    pub school: Option<String>,
    /// All schools.
    pub schools: Vec<String>,
    /// Role names.
    pub roles: Vec<String>,
    /// Classes per school.
    pub school_classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// E-mail address.
    pub email: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Account expiry.
    pub expiration_date: Option<NaiveDate>,
    /// Disabled account.
    pub disabled: bool,
    /// Id in the source system.
    pub record_uid: Option<String>,
    /// The source system.
    pub source_uid: Option<String>,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Vec<String>,
    /// Legal guardians.
    pub legal_guardians: Vec<String>,
    /// Legal wards.
    pub legal_wards: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
    /// The LDAP DN (output only; ignored on input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dn: Option<String>,
    /// The Kelvin URL (output only; ignored on input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl From<&User> for UserDoc {
    fn from(user: &User) -> Self {
        UserDoc {
            name: Some(user.name.clone()),
            firstname: user.firstname.clone(),
            lastname: user.lastname.clone(),
            school: Some(user.school.clone()),
            schools: user.schools.clone(),
            roles: user.roles.iter().map(|r| r.as_str().to_string()).collect(),
            school_classes: user.school_classes.clone(),
            workgroups: user.workgroups.clone(),
            email: user.email.clone(),
            birthday: user.birthday,
            expiration_date: user.expiration_date,
            disabled: user.disabled,
            record_uid: user.record_uid.clone(),
            source_uid: user.source_uid.clone(),
            ucsschool_roles: user.ucsschool_roles.clone(),
            legal_guardians: user.legal_guardians.clone(),
            legal_wards: user.legal_wards.clone(),
            udm_properties: user.udm_properties.clone(),
            dn: Some(user.dn.to_string()),
            url: Some(user.url.clone()),
        }
    }
}

impl UserDoc {
    /// The user to create (without password).
    pub fn into_new_user(self) -> Result<NewUser, CliError> {
        let roles = self
            .roles
            .iter()
            .map(|r| role(r).map_err(CliError::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NewUser {
            name: self.name,
            firstname: self.firstname,
            lastname: self.lastname,
            roles,
            school: self.school,
            schools: self.schools,
            school_classes: self.school_classes,
            workgroups: self.workgroups,
            email: self.email,
            birthday: self.birthday,
            expiration_date: self.expiration_date,
            disabled: self.disabled,
            record_uid: self.record_uid,
            source_uid: self.source_uid,
            ucsschool_roles: self.ucsschool_roles,
            legal_guardians: self.legal_guardians,
            legal_wards: self.legal_wards,
            udm_properties: self.udm_properties,
            ..NewUser::default()
        })
    }
}

/// A user as JSON.
pub fn user(user: &User) -> Value {
    serde_json::to_value(UserDoc::from(user)).unwrap_or(Value::Null)
}

/// A school as JSON.
pub fn school(school: &School) -> Value {
    json!({
        "name": school.name,
        "display_name": school.display_name,
        "educational_servers": school.educational_servers,
        "administrative_servers": school.administrative_servers,
        "class_share_file_server": school.class_share_file_server,
        "home_share_file_server": school.home_share_file_server,
        "ucsschool_roles": school.ucsschool_roles,
        "udm_properties": school.udm_properties,
        "dn": school.dn,
        "url": school.url,
    })
}

/// A class as JSON.
pub fn class(class: &SchoolClass) -> Value {
    json!({
        "name": class.name,
        "school": class.school,
        "description": class.description,
        "users": class.users,
        "create_share": class.create_share,
        "ucsschool_roles": class.ucsschool_roles,
        "udm_properties": class.udm_properties,
        "dn": class.dn,
        "url": class.url,
    })
}

/// A workgroup as JSON.
pub fn workgroup(group: &WorkGroup) -> Value {
    json!({
        "name": group.name,
        "school": group.school,
        "description": group.description,
        "users": group.users,
        "create_share": group.create_share,
        "email": group.email,
        "allowed_email_senders_users": group.allowed_email_senders_users,
        "allowed_email_senders_groups": group.allowed_email_senders_groups,
        "ucsschool_roles": group.ucsschool_roles,
        "udm_properties": group.udm_properties,
        "dn": group.dn,
        "url": group.url,
    })
}

/// A role as JSON.
pub fn role_info(role: &RoleInfo) -> Value {
    json!({"name": role.name, "display_name": role.display_name, "url": role.url})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_json_is_create_input() {
        let doc: UserDoc = serde_json::from_value(json!({
            "name": "a", "firstname": "A", "lastname": "B", "school": "S", "schools": ["S"],
            "roles": ["student"], "school_classes": {"S": ["1a"]}, "dn": "uid=a", "url": "http://x"
        }))
        .unwrap();
        let user = doc.into_new_user().unwrap();
        assert_eq!(user.roles, vec![ucs::roles::Role::Student]);
        assert_eq!(user.school_classes["S"], vec!["1a"]);
    }

    #[test]
    fn misspelled_fields_are_refused() {
        let err = serde_json::from_value::<UserDoc>(json!({"lastnmae": "B"})).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `lastnmae`"),
            "{err}"
        );
    }
}
