//! The body of a Kelvin user write (create, PUT, PATCH), read and checked like the server's
//! pydantic models do (422 with a list of `{loc, msg, type}`).

use super::body::{parse_object, Fields, Mode, Opt};
use super::error::{KelvinError, ValidationError};
use super::rules;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::Role;

/// A user write, with URLs already turned into names.
#[derive(Debug, Default, Clone)]
pub(crate) struct UserInput {
    /// User name.
    pub name: Opt<String>,
    /// Primary school.
    pub school: Opt<String>,
    /// All schools.
    pub schools: Opt<Vec<String>>,
    /// Given name.
    pub firstname: Opt<String>,
    /// Family name.
    pub lastname: Opt<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Opt<String>,
    /// Deactivated account.
    pub disabled: Opt<bool>,
    /// Primary e-mail address.
    pub email: Opt<String>,
    /// `YYYY-MM-DD`.
    pub expiration_date: Opt<String>,
    /// Identifier in the source system.
    pub record_uid: Opt<String>,
    /// Identifier of the source system.
    pub source_uid: Opt<String>,
    /// Roles.
    pub roles: Opt<Vec<Role>>,
    /// Whether `exam_user` was among the roles.
    pub exam_user: bool,
    /// Classes per school.
    pub school_classes: Opt<BTreeMap<String, Vec<String>>>,
    /// Workgroups per school.
    pub workgroups: Opt<BTreeMap<String, Vec<String>>>,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Opt<Vec<String>>,
    /// User names of legal guardians.
    pub legal_guardians: Opt<Vec<String>>,
    /// User names of legal wards.
    pub legal_wards: Opt<Vec<String>>,
    /// New password (write-only).
    pub password: Opt<String>,
    /// Password hashes (write-only, opaque).
    pub kelvin_password_hashes: Opt<Value>,
    /// Additional UDM properties.
    pub udm_properties: Opt<Map<String, Value>>,
}

const HASH_FIELDS: [&str; 5] = [
    "user_password",
    "samba_nt_password",
    "krb_5_key",
    "krb5_key_version_number",
    "samba_pwd_last_set",
];

/// Reads and checks a user body. `mapped` lists the UDM properties the server exposes.
pub(crate) fn parse_user(
    body: &[u8],
    mode: Mode,
    mapped: &[String],
) -> Result<UserInput, KelvinError> {
    let map = parse_object(body)?;
    let mut f = Fields::new(&map);
    let mut input = UserInput {
        name: f.string("name"),
        school: f.url_name("school"),
        schools: f.url_names("schools"),
        firstname: f.string("firstname"),
        lastname: f.string("lastname"),
        birthday: f.date("birthday"),
        disabled: f.boolean("disabled"),
        email: f.string("email"),
        expiration_date: f.date("expiration_date"),
        record_uid: f.string("record_uid"),
        source_uid: f.string("source_uid"),
        school_classes: f.map_of_lists("school_classes"),
        workgroups: f.map_of_lists("workgroups"),
        ucsschool_roles: f.string_list("ucsschool_roles"),
        legal_guardians: f.url_names("legal_guardians"),
        legal_wards: f.url_names("legal_wards"),
        password: f.string("password"),
        udm_properties: f.object("udm_properties"),
        ..Default::default()
    };

    // roles: URLs or names, at least one, a valid combination
    let role_names = f.url_names("roles");
    input.roles = match role_names {
        Opt::Set(names) => {
            if names.is_empty() {
                f.errors.push(ValidationError::new(
                    &["body", "roles"],
                    "ensure this value has at least 1 items",
                    "value_error.list.min_items",
                ));
                Opt::Absent
            } else {
                let mut roles = Vec::new();
                for name in &names {
                    match crate::school_role::parse(name) {
                        Some(role) => {
                            if !roles.contains(&role) {
                                roles.push(role)
                            }
                        }
                        None => f.errors.push(ValidationError::value(
                            &["body", "roles"],
                            format!("Unknown role {name:?}."),
                        )),
                    }
                }
                input.exam_user = names.iter().any(|n| n == "exam_user");
                crate::school_role::sort_by_name(&mut roles);
                if let Err(message) = rules::check_role_combination(&roles) {
                    f.errors
                        .push(ValidationError::value(&["body", "roles"], message));
                }
                Opt::Set(roles)
            }
        }
        Opt::Null => Opt::Null,
        Opt::Absent => Opt::Absent,
    };

    match &map.get("kelvin_password_hashes") {
        None => {}
        Some(Value::Null) => input.kelvin_password_hashes = Opt::Null,
        Some(Value::Object(hashes)) => {
            for field in HASH_FIELDS {
                if !hashes.contains_key(field) {
                    f.errors.push(ValidationError::missing(&[
                        "body",
                        "kelvin_password_hashes",
                        field,
                    ]));
                }
            }
            input.kelvin_password_hashes = Opt::Set(Value::Object((*hashes).clone()));
        }
        Some(_) => f.errors.push(ValidationError::new(
            &["body", "kelvin_password_hashes"],
            "value is not a valid dict",
            "type_error.dict",
        )),
    }

    if mode == Mode::Patch {
        for (key, given) in [
            ("name", matches!(input.name, Opt::Null)),
            ("school", matches!(input.school, Opt::Null)),
            ("firstname", matches!(input.firstname, Opt::Null)),
            ("lastname", matches!(input.lastname, Opt::Null)),
            ("disabled", matches!(input.disabled, Opt::Null)),
            ("roles", matches!(input.roles, Opt::Null)),
            ("schools", matches!(input.schools, Opt::Null)),
        ] {
            if given {
                f.errors.push(ValidationError::new(
                    &["body", key],
                    "none is not an allowed value",
                    "type_error.none.not_allowed",
                ));
            }
        }
    } else {
        f.require("name", &input.name);
        f.require("firstname", &input.firstname);
        f.require("lastname", &input.lastname);
        f.require("record_uid", &input.record_uid);
        f.require("source_uid", &input.source_uid);
        f.require("roles", &input.roles);
        f.not_null("disabled", &input.disabled);
        if input.school.value().is_none() && input.schools.value().is_none_or(Vec::is_empty) {
            f.errors.push(ValidationError::value(
                &["body", "school"],
                "Either 'school' or 'schools' must be set.",
            ));
        }
    }
    for (key, value) in [
        ("name", &input.name),
        ("firstname", &input.firstname),
        ("lastname", &input.lastname),
    ] {
        if value.value().is_some_and(|v| v.trim().is_empty()) {
            f.errors.push(ValidationError::value(
                &["body", key],
                format!("{key} must not be empty."),
            ));
        }
    }
    if let Opt::Set(schools) = &input.schools {
        if schools.is_empty() {
            f.errors.push(ValidationError::new(
                &["body", "schools"],
                "ensure this value has at least 1 items",
                "value_error.list.min_items",
            ));
        }
        if let Opt::Set(school) = &input.school {
            if !schools.iter().any(|s| s.eq_ignore_ascii_case(school)) {
                f.errors.push(ValidationError::value(
                    &["body", "school"],
                    format!("School {school:?} must be one of the schools in 'schools'."),
                ));
            }
        }
    }
    if let Opt::Set(date) = &input.expiration_date {
        if let Err(message) = rules::check_expiration_date(date) {
            f.errors.push(ValidationError::value(
                &["body", "expiration_date"],
                message,
            ));
        }
    }
    if let Opt::Set(roles) = &input.ucsschool_roles {
        for role in roles {
            if let Err(message) = rules::check_ucsschool_role(role) {
                f.errors.push(ValidationError::value(
                    &["body", "ucsschool_roles"],
                    message,
                ));
            }
        }
    }
    let roles = input.roles.value().cloned();
    if let Opt::Set(guardians) = &input.legal_guardians {
        if guardians.len() > rules::MAX_LEGAL_GUARDIANS {
            f.errors.push(ValidationError::value(
                &["body", "legal_guardians"],
                format!(
                    "A student can have at most {} legal guardians.",
                    rules::MAX_LEGAL_GUARDIANS
                ),
            ));
        }
        if !guardians.is_empty() && roles.as_ref().is_some_and(|r| !r.contains(&Role::Student)) {
            f.errors.push(ValidationError::value(
                &["body", "legal_guardians"],
                "Only students can have legal guardians.",
            ));
        }
    }
    if let Opt::Set(wards) = &input.legal_wards {
        if wards.len() > rules::MAX_LEGAL_WARDS {
            f.errors.push(ValidationError::value(
                &["body", "legal_wards"],
                format!(
                    "A legal guardian can have at most {} legal wards.",
                    rules::MAX_LEGAL_WARDS
                ),
            ));
        }
        if !wards.is_empty()
            && roles
                .as_ref()
                .is_some_and(|r| !r.contains(&Role::LegalGuardian))
        {
            f.errors.push(ValidationError::value(
                &["body", "legal_wards"],
                "Only legal guardians can have legal wards.",
            ));
        }
    }
    if let Opt::Set(props) = &input.udm_properties {
        for key in props.keys() {
            if !mapped.iter().any(|m| m == key) {
                f.errors.push(ValidationError::value(
                    &["body", "udm_properties"],
                    format!(
                        "UDM property {key:?} is not mapped by this server (mapped: {}).",
                        mapped.join(", ")
                    ),
                ));
            }
        }
    }
    f.finish()?;
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn locs(e: &KelvinError) -> String {
        format!("{e:?}")
    }

    #[test]
    fn create_requires_fields_and_reports_each() {
        let e = parse_user(b"{}", Mode::Create, &[]).unwrap_err();
        let text = locs(&e);
        for field in [
            "name",
            "firstname",
            "lastname",
            "record_uid",
            "source_uid",
            "roles",
            "school",
        ] {
            assert!(
                text.contains(&format!("String(\"{field}\")")),
                "{field} missing in {text}"
            );
        }
        assert!(parse_user(b"[]", Mode::Create, &[]).is_err());
        assert!(parse_user(b"{", Mode::Create, &[]).is_err());
    }

    #[test]
    fn urls_become_names_and_rules_apply() {
        let body = json!({
            "name": "x", "firstname": "X", "lastname": "Y", "record_uid": "r", "source_uid": "s",
            "roles": ["http://h/ucsschool/kelvin/v1/roles/teacher", "staff"],
            "schools": ["http://h/ucsschool/kelvin/v1/schools/DEMOSCHOOL"],
            "school_classes": {"DEMOSCHOOL": ["1a"]},
        });
        let input = parse_user(body.to_string().as_bytes(), Mode::Create, &[]).unwrap();
        assert_eq!(input.roles, Opt::Set(vec![Role::Staff, Role::Teacher]));
        assert_eq!(input.schools, Opt::Set(vec!["DEMOSCHOOL".to_string()]));

        let bad = json!({"roles": ["student", "teacher"], "legal_wards": ["a"], "expiration_date": "2100-01-01"});
        let e = parse_user(bad.to_string().as_bytes(), Mode::Patch, &[]).unwrap_err();
        let text = locs(&e);
        assert!(text.contains("Invalid combination of roles"));
        assert!(text.contains("Only legal guardians"));
        assert!(text.contains("2099-12-31"));

        let props = json!({"udm_properties": {"title": "Dr", "secret": 1}});
        let e =
            parse_user(props.to_string().as_bytes(), Mode::Patch, &["title".into()]).unwrap_err();
        assert!(locs(&e).contains("\\\"secret\\\" is not mapped"));
    }
}
