//! Checks of a user about to be created or changed, after `ImportUser.validate`
//! (Kelvin 4.0.0, `ucsschool/importer/models/import_user.py`) and the role rules of
//! `ucs::roles`.

use ucs::roles::{check_change, check_create, ChangeKind};

use super::model::NewUserSpec;
use crate::config::SyncConfig;
use crate::directory::Directory;
use crate::problem::Problem;

/// `validate`: mandatory attributes must be non-empty.
pub fn mandatory(spec: &NewUserSpec, config: &SyncConfig) -> Vec<Problem> {
    let value = |attribute: &str| -> Option<String> {
        Some(match attribute {
            "firstname" => spec.firstname.clone(),
            "lastname" => spec.lastname.clone(),
            "name" | "username" => spec.name.clone(),
            "record_uid" => spec.record_uid.clone(),
            "source_uid" => spec.source_uid.clone(),
            "school" => spec.school.clone(),
            "email" | "mailPrimaryAddress" => spec.email.clone().unwrap_or_default(),
            "birthday" => spec.birthday.map(|d| d.to_string()).unwrap_or_default(),
            other => spec.udm_properties.get(other)?.as_str()?.to_string(),
        })
    };
    config
        .mandatory_attributes
        .iter()
        .filter(|a| value(a).is_none_or(|v| v.is_empty()))
        .map(|a| {
            Problem::new(
                a.clone(),
                "required_field",
                format!("mandatory attribute {a:?} is empty"),
            )
        })
        .collect()
}

/// `validate(check_username=True)`: the name fits `username.max_length`.
pub fn name_length(name: &str, max: usize) -> Option<Problem> {
    (name.chars().count() > max).then(|| {
        Problem::new(
            "name",
            "name_too_long",
            format!("user name {name:?} is longer than {max} characters"),
        )
    })
}

/// `validate`: `[^@]+@.+\..+` from the start of the address.
pub fn email_format(email: Option<&str>) -> Option<Problem> {
    let email = email.filter(|e| !e.is_empty())?;
    let valid = email.split_once('@').is_some_and(|(local, rest)| {
        !local.is_empty()
            && rest
                .char_indices()
                .any(|(i, c)| c == '.' && i > 0 && i + 1 < rest.len())
    });
    (!valid).then(|| {
        Problem::new(
            "email",
            "invalid_email",
            format!("mail address {email:?} has an invalid format"),
        )
    })
}

/// `check_schools`: every school exists (case-insensitive).
pub fn schools_exist(school: &str, schools: &[String], directory: &Directory) -> Vec<Problem> {
    std::iter::once(school)
        .chain(schools.iter().map(String::as_str))
        .filter(|s| !s.is_empty() && !directory.has_school(s))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|s| {
            Problem::new(
                "schools",
                "unknown_school",
                format!("school {s:?} does not exist"),
            )
        })
        .collect()
}

/// UDM properties must be ones Kelvin maps (Kelvin answers 422 otherwise).
pub fn mapped_properties<'a>(
    properties: impl IntoIterator<Item = &'a String>,
    directory: &Directory,
) -> Vec<Problem> {
    let Some(mapped) = directory.mapped_udm_properties() else {
        return Vec::new();
    };
    properties
        .into_iter()
        .filter(|p| !mapped.contains(*p))
        .map(|p| {
            Problem::new(
                format!("udm_properties.{p}"),
                "unmapped_udm_property",
                format!("UDM property {p:?} is not mapped by the Kelvin server"),
            )
        })
        .collect()
}

/// The role rules of a create.
pub fn create_rules(spec: &NewUserSpec) -> Vec<Problem> {
    check_create(&spec.to_new_user(None).rule_fields())
        .iter()
        .map(Problem::from)
        .collect()
}

/// The role rules of a change.
pub fn change_rules(
    before: &ucs::roles::UserFields,
    patch: &ucs::kelvin::UserPatch,
) -> Vec<Problem> {
    check_change(before, &patch.rule_fields(), ChangeKind::Patch)
        .iter()
        .map(Problem::from)
        .collect()
}
