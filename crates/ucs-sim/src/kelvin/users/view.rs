//! The `UserModel` document (`kelvin/routers/v1/user.py`, `UserModel._from_lib_model_kwargs`;
//! v2: `v2/user.py`, `_user_to_model`).

use super::state::UserState;
use crate::directory::view;
use crate::kelvin::error::KelvinError;
use crate::kelvin::py::repr;
use crate::kelvin::urls::Urls;
use crate::store::{Object, Tree};
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;
use ucs_ldap::Role;

/// The role names the UCS@school lib knows (`ucsschool/lib/roles.py`, `all_roles`).
const ALL_ROLES: [&str; 36] = [
    "pupil",
    "teacher",
    "legal_guardian",
    "staff",
    "computer_room",
    "dc_backup",
    "dc_master",
    "dc_slave",
    "dc_slave_admin",
    "dc_slave_edu",
    "exam_user",
    "marketplace_share",
    "memberserver",
    "memberserver_admin",
    "memberserver_edu",
    "school",
    "school_admin",
    "school_admin_group",
    "school_class",
    "school_class_share",
    "single_master",
    "student",
    "workgroup",
    "workgroup_share",
    "school_domain_group",
    "school_teacher_group",
    "school_staff_group",
    "school_student_group",
    "school_legal_guardian_group",
    "ip_computer",
    "linux_computer",
    "mac_computer",
    "ubuntu_computer",
    "win_computer",
    "teacher_computer",
    "veyon-backend",
];

/// Whether the lib knows a role name.
pub(crate) fn is_known_role(name: &str) -> bool {
    ALL_ROLES.contains(&name)
}

/// `_is_school_role_string`: context type `school`, or a role the lib does not know in a
/// context type it knows.
pub(crate) fn is_school_role_string(role: &str) -> bool {
    let mut parts = role.split(':');
    let (Some(name), Some(context_type)) = (parts.next(), parts.next()) else {
        return false;
    };
    let known_context = matches!(context_type, "school" | "exam");
    context_type == "school" || (known_context && !ALL_ROLES.contains(&name))
}

/// `SchoolUserRole.from_lib_role` (the server answers 500 for anything else).
fn user_role(role: &str) -> Result<Role, KelvinError> {
    let name = role.split(':').next().unwrap_or("");
    if role.split(':').count() != 3 {
        return Err(KelvinError::internal());
    }
    if !ALL_ROLES.contains(&name) {
        return Err(KelvinError::detail(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "The role string {} includes the unknown role {}.",
                repr(role),
                repr(name)
            ),
        ));
    }
    match name {
        "exam_user" | "student" => Ok(Role::Student),
        other => other.parse::<Role>().map_err(|_| {
            KelvinError::detail(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("Unknown UCS@school role {}.", repr(role)),
            )
        }),
    }
}

/// The `roles` of a user: from its school-context role strings, sorted by name.
fn roles(state: &UserState, v2: bool) -> Result<Vec<Role>, KelvinError> {
    let mut out: Vec<Role> = Vec::new();
    for role in state
        .ucsschool_roles
        .iter()
        .filter(|r| is_school_role_string(r))
    {
        let parsed = if v2 {
            // v2: roles the server does not know (exam_user) are left out
            match role.split(':').next().and_then(|n| n.parse::<Role>().ok()) {
                Some(r) => r,
                None => continue,
            }
        } else {
            user_role(role)?
        };
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    out.sort_by_key(|r| r.as_str());
    Ok(out)
}

fn text_or_null(object: &Object, property: &str) -> Value {
    match object.prop_str(property) {
        Some(s) if !s.is_empty() => Value::from(s),
        _ => Value::Null,
    }
}

/// Classes or workgroups per school: keys sorted, names without `<school>-` (v1: Python's
/// `str.replace` of every occurrence, case-sensitive; v2: the prefix once), sorted.
fn memberships(groups: &std::collections::BTreeMap<String, Vec<String>>, v2: bool) -> Value {
    let mut map = Map::new();
    for (school, names) in groups {
        let prefix = format!("{school}-");
        let mut relative: Vec<String> = names
            .iter()
            .map(|n| {
                if v2 {
                    n.strip_prefix(&prefix).unwrap_or(n).to_string()
                } else {
                    n.replace(&prefix, "")
                }
            })
            .collect();
        relative.sort();
        map.insert(school.clone(), json!(relative));
    }
    Value::Object(map)
}

fn user_urls(dns: &[String], urls: &Urls) -> Value {
    json!(dns
        .iter()
        .filter_map(|d| dn::rdn_value(d))
        .map(|n| urls.user(&n))
        .collect::<Vec<_>>())
}

/// The `udm_properties` of a user: every mapped property with its value (`null` if none).
pub(crate) fn udm_properties(tree: &Tree, object: &Object, mapped: &[String]) -> Value {
    Value::Object(
        mapped
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    view::property(tree, object, n).unwrap_or(Value::Null),
                )
            })
            .collect(),
    )
}

/// v2's `ucsschool_roles`: one `<role>:school:<school>` per membership role.
fn v2_role_strings(state: &UserState) -> Vec<String> {
    state
        .ucsschool_roles
        .iter()
        .filter(|r| r.split(':').nth(1) == Some("school"))
        .cloned()
        .collect()
}

/// The document of a user.
pub(crate) fn to_json(
    tree: &Tree,
    object: &Object,
    state: &UserState,
    urls: &Urls,
    mapped: &[String],
) -> Result<Value, KelvinError> {
    let v2 = urls.version() == "v2";
    let mut schools: Vec<String> = state.schools.iter().map(|s| urls.school(s)).collect();
    schools.sort();
    let role_urls: Vec<String> = roles(state, v2)?
        .iter()
        .map(|r| urls.role(r.as_str()))
        .collect();
    let disabled = object
        .properties
        .get("disabled")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut doc = Map::new();
    let mut put = |name: &str, value: Value| {
        doc.insert(name.to_string(), value);
    };
    put("dn", json!(object.dn));
    put("url", json!(urls.user(&state.name)));
    put(
        "ucsschool_roles",
        json!(if v2 {
            v2_role_strings(state)
        } else {
            state.ucsschool_roles.clone()
        }),
    );
    put("udm_properties", udm_properties(tree, object, mapped));
    put("name", json!(state.name));
    put("school", json!(urls.school(&state.school)));
    put("firstname", text_or_null(object, "firstname"));
    put("lastname", text_or_null(object, "lastname"));
    put("birthday", text_or_null(object, "birthday"));
    put("disabled", json!(disabled));
    put("email", text_or_null(object, "mailPrimaryAddress"));
    put("expiration_date", text_or_null(object, "userexpiry"));
    put("record_uid", text_or_null(object, "ucsschoolRecordUID"));
    put("roles", json!(role_urls));
    put("schools", json!(schools));
    put("school_classes", memberships(&state.classes, v2));
    put("workgroups", memberships(&state.workgroups, v2));
    put("source_uid", text_or_null(object, "ucsschoolSourceUID"));
    put("legal_guardians", user_urls(&state.guardians, urls));
    put("legal_wards", user_urls(&state.wards, urls));
    Ok(Value::Object(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_role_strings() {
        assert!(is_school_role_string("teacher:school:X"));
        assert!(is_school_role_string("foo:school:X"));
        assert!(is_school_role_string("foo:exam:X"));
        assert!(!is_school_role_string("exam_user:exam:X"));
        assert!(!is_school_role_string("foo:bar:baz"));
        assert_eq!(user_role("exam_user:school:X").unwrap(), Role::Student);
        assert!(user_role("school_class:school:X").is_err());
    }
}
