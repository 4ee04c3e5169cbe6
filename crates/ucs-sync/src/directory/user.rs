//! The part of a Kelvin user a sync reads and compares.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ucs::roles::Role;

/// A school user as the directory has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirUser {
    /// User name.
    pub name: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// Primary school.
    pub school: String,
    /// All schools, sorted.
    pub schools: Vec<String>,
    /// Kelvin role names, sorted.
    pub roles: Vec<String>,
    /// Classes per school, names sorted.
    pub school_classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school, names sorted.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// Mail address.
    pub email: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Account expiry.
    pub expiration_date: Option<NaiveDate>,
    /// Disabled.
    pub disabled: bool,
    /// `record_uid`.
    pub record_uid: Option<String>,
    /// `source_uid`.
    pub source_uid: Option<String>,
    /// Mapped UDM properties.
    pub udm_properties: BTreeMap<String, Value>,
}

impl DirUser {
    /// The Kelvin roles.
    pub fn kelvin_roles(&self) -> Vec<Role> {
        self.roles.iter().filter_map(|r| r.parse().ok()).collect()
    }

    /// A UDM property as text (`None` for absent, null or empty).
    pub fn udm_text(&self, property: &str) -> Option<&str> {
        self.udm_properties
            .get(property)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    }

    /// What the role rules see of this user.
    pub fn rule_fields(&self) -> ucs::roles::UserFields {
        ucs::roles::UserFields {
            name: Some(self.name.clone()),
            firstname: Some(self.firstname.clone()),
            lastname: Some(self.lastname.clone()),
            record_uid: self.record_uid.clone(),
            source_uid: self.source_uid.clone(),
            roles: Some(self.kelvin_roles()),
            school: Some(self.school.clone()),
            schools: Some(self.schools.clone()),
            school_classes: Some(self.school_classes.clone()),
            workgroups: Some(self.workgroups.clone()),
            legal_guardians: None,
            legal_wards: None,
            expiration_date: self.expiration_date,
            ucsschool_roles: None,
        }
    }
}

fn sorted_groups(groups: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    groups
        .iter()
        .map(|(school, names)| {
            let mut names = names.clone();
            names.sort();
            (school.clone(), names)
        })
        .collect()
}

impl From<&ucs::kelvin::User> for DirUser {
    fn from(u: &ucs::kelvin::User) -> DirUser {
        let mut schools = u.schools.clone();
        schools.sort();
        let mut roles: Vec<String> = u.roles.iter().map(|r| r.as_str().to_string()).collect();
        roles.sort();
        DirUser {
            name: u.name.clone(),
            firstname: u.firstname.clone(),
            lastname: u.lastname.clone(),
            school: u.school.clone(),
            schools,
            roles,
            school_classes: sorted_groups(&u.school_classes),
            workgroups: sorted_groups(&u.workgroups),
            email: u.email.clone().filter(|e| !e.is_empty()),
            birthday: u.birthday,
            expiration_date: u.expiration_date,
            disabled: u.disabled,
            record_uid: u.record_uid.clone(),
            source_uid: u.source_uid.clone(),
            udm_properties: u
                .udm_properties
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}
