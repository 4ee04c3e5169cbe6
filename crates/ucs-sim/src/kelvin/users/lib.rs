//! The UCS@school importer's and lib's checks of a user before it is written
//! (`ImportUser.validate`, `User.validate`, `_validate_workgroups`), the lib's `repr()` of a
//! user for messages, and the role-string bookkeeping of a modify
//! (`RoleSupportMixin.update_ucsschool_roles`).

use super::class::UserClass;
use super::persist::Target;
use super::state::UserState;
use crate::kelvin::lib_names::{is_gid, GID_MESSAGE};
use crate::kelvin::py::{repr, repr_errors, repr_opt};
use crate::school_layout;
use crate::store::Tree;
use ucs_ldap::canonical as dn;

/// The password length the importer requires of given passwords on create.
pub(crate) const PASSWORD_LENGTH: usize = 15;

/// The lib's DN of a user (`None` without a name or school).
pub(crate) fn lib_dn(
    class: UserClass,
    name: Option<&str>,
    school: Option<&str>,
    base: &str,
) -> Option<String> {
    let (name, school) = (
        name.filter(|n| !n.is_empty())?,
        school.filter(|s| !s.is_empty())?,
    );
    Some(dn::child(
        "uid",
        name,
        &school_layout::users_container(school, class.container(), base),
    ))
}

/// `repr()` of a lib user: `ImportStudent(name='x', school='S', dn='uid=x,...')`.
pub(crate) fn lib_repr(
    class: UserClass,
    name: Option<&str>,
    school: Option<&str>,
    dn_text: Option<&str>,
) -> String {
    format!(
        "{}(name={}, school={}, dn={})",
        class.lib_name(),
        repr_opt(name),
        repr_opt(school),
        repr_opt(dn_text)
    )
}

/// The longest user name of a class (`username:max_length`: 20, students 15).
fn max_name_length(class: UserClass) -> usize {
    if class == UserClass::Student {
        15
    } else {
        20
    }
}

fn empty(value: Option<&str>) -> bool {
    value.is_none_or(str::is_empty)
}

/// The checks `ImportUser.validate` raises one by one (texts of the importer's exceptions).
pub(crate) fn importer_checks(t: &Target, check_username: bool) -> Result<(), String> {
    if check_username {
        let name = t.name.as_deref().unwrap_or("");
        if name.is_empty() {
            return Err("No username was created.".into());
        }
        if name.chars().count() > max_name_length(t.class) {
            return Err(format!("Username '{name}' is longer than allowed."));
        }
        if t.password
            .as_deref()
            .is_some_and(|p| !p.is_empty() && p.chars().count() < PASSWORD_LENGTH)
        {
            return Err(format!(
                "Password is shorter than {PASSWORD_LENGTH} characters."
            ));
        }
    }
    let mandatory = [
        ("firstname", Some(t.firstname.as_str())),
        ("lastname", Some(t.lastname.as_str())),
        ("name", t.name.as_deref()),
        ("record_uid", t.record_uid.as_deref()),
        ("school", Some(t.school.as_str())),
        ("source_uid", t.source_uid.as_deref()),
    ];
    if let Some((attr, _)) = mandatory.iter().find(|(_, v)| empty(*v)) {
        return Err(format!(
            "Mandatory attribute {} has empty value.",
            repr(attr)
        ));
    }
    if let Some(email) = t.email.as_deref().filter(|e| !e.is_empty()) {
        if !email_format_ok(email) {
            return Err(format!("Email address '{email}' has invalid format."));
        }
    }
    for names in t.classes.values() {
        if let Some(bad) = names.iter().find(|n| !is_gid(n)) {
            return Err(format!("Invalid school class name: {}", repr(bad)));
        }
    }
    Ok(())
}

/// `re.match(r"[^@]+@.+\..+", email)`: something before the first `@`, then (on one line)
/// a dot with characters on both sides.
fn email_format_ok(email: &str) -> bool {
    let Some((local, rest)) = email.split_once('@') else {
        return false;
    };
    let line: Vec<char> = rest.split('\n').next().unwrap_or("").chars().collect();
    !local.is_empty() && (1..line.len().saturating_sub(1)).any(|i| line[i] == '.')
}

fn in_schools(t: &Target, school: &str) -> bool {
    t.schools
        .iter()
        .chain(std::iter::once(&t.school))
        .any(|s| s.eq_ignore_ascii_case(school))
}

fn missing_users(tree: &Tree, dns: &[String]) -> Vec<String> {
    dns.iter()
        .filter(|d| !tree.contains(&dn::key_of_canonical(d)))
        .cloned()
        .collect()
}

/// The errors `User.validate` collects (raised together as the lib's `ValidationError`).
pub(crate) fn lib_errors(
    tree: &Tree,
    t: &Target,
    own_key: Option<&str>,
) -> Vec<(String, Vec<String>)> {
    let mut errors: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |key: &str, message: String| match errors.iter_mut().find(|(k, _)| k == key) {
        Some((_, list)) => {
            if !list.contains(&message) {
                list.push(message)
            }
        }
        None => errors.push((key.to_string(), vec![message])),
    };
    if school_layout::find_school(tree, &t.school).is_none() {
        add(
            "school",
            format!(
                "The school \"{}\" does not exist. Please choose an existing one or create it.",
                t.school
            ),
        );
    }
    if let Some(email) = t.email.as_deref().filter(|e| !e.is_empty()) {
        let taken = tree
            .with_value("users/user", "mailPrimaryAddress", email)
            .any(|o| Some(dn::key_of_canonical(&o.dn).as_str()) != own_key);
        if taken {
            add("email", "The email address is already taken by another user. Please change the email address.".into());
        }
    }
    for (field, map) in [
        ("school_classes", &t.classes),
        ("workgroups", &t.workgroups),
    ] {
        for school in map.keys().filter(|s| !in_schools(t, s)) {
            add(
                field,
                format!(
                    "School {} in {} is missing in the users 'school(s)' attributes.",
                    repr(school),
                    repr(field)
                ),
            );
        }
        if map.values().flatten().any(|n| !is_gid(n)) {
            add(field, GID_MESSAGE.into());
        }
    }
    let (field, dns, text) = match t.class {
        UserClass::Student => (
            "legal_guardians",
            &t.guardians,
            "The following legal guardians do not exist:",
        ),
        UserClass::LegalGuardian => (
            "legal_wards",
            &t.wards,
            "The following students do not exist:",
        ),
        _ => return errors,
    };
    let missing = missing_users(tree, dns);
    if !missing.is_empty() {
        add(field, format!("{text}\n{}", missing.join("\n")));
    }
    errors
}

/// `Err(text)` of the lib's `ValidationError` when it found problems.
pub(crate) fn lib_check(tree: &Tree, t: &Target, own_key: Option<&str>) -> Result<(), String> {
    let errors = lib_errors(tree, t, own_key);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(repr_errors(&errors))
    }
}

/// `_validate_workgroups`: workgroups the user is not yet in must exist.
pub(crate) fn workgroups_exist(
    tree: &Tree,
    t: &Target,
    current: Option<&UserState>,
) -> Result<(), String> {
    let base = tree.base_dn().to_string();
    for (school, name, group_dn) in super::persist::workgroup_dns(t, &base) {
        let member = current.is_some_and(|c| {
            c.groups
                .iter()
                .any(|g| dn::same_key(g, &dn::key_of_canonical(&group_dn)))
        });
        if !member && !tree.contains(&dn::key_of_canonical(&group_dn)) {
            return Err(format!(
                "Work group {} of school {} does not exist, please create it first.",
                repr(&name),
                repr(&school)
            ));
        }
    }
    Ok(())
}

/// The default school-context roles of a class (`default_roles`).
fn default_roles(class: UserClass) -> &'static [&'static str] {
    match class {
        UserClass::Student => &["student"],
        UserClass::Teacher => &["teacher"],
        UserClass::Staff => &["staff"],
        UserClass::TeachersAndStaff => &["teacher", "staff"],
        UserClass::SchoolAdmin => &["school_admin"],
        UserClass::LegalGuardian => &["legal_guardian"],
    }
}

/// `update_ucsschool_roles`: a new school gets the class's default roles (if the user has no
/// role there yet); a school the user left loses its school-context roles.
pub(crate) fn update_role_strings(t: &mut Target) {
    let parsed: Vec<(String, String, String)> = t
        .ucsschool_roles
        .iter()
        .filter_map(|r| {
            let parts: Vec<&str> = r.split(':').collect();
            (parts.len() == 3 && parts.iter().all(|p| !p.is_empty())).then(|| {
                (
                    parts[0].to_string(),
                    parts[1].to_string(),
                    parts[2].to_string(),
                )
            })
        })
        .collect();
    let old: Vec<&String> = parsed
        .iter()
        .map(|(_, _, c)| c)
        .filter(|c| *c != "-")
        .collect();
    let mut current: Vec<String> = t.schools.clone();
    current.push(t.school.clone());
    let new: Vec<&String> = current.iter().filter(|s| !old.contains(s)).collect();
    let removed: Vec<&String> = old
        .iter()
        .copied()
        .filter(|s| !current.contains(s))
        .collect();
    if new.is_empty() && removed.is_empty() {
        return;
    }
    let mut roles = parsed.clone();
    let mut added: Vec<String> = Vec::new();
    for school in new {
        if added.contains(school) {
            continue;
        }
        added.push(school.clone());
        roles.extend(
            default_roles(t.class)
                .iter()
                .map(|r| (r.to_string(), "school".to_string(), school.clone())),
        );
    }
    roles.retain(|(_, ctype, ctx)| !(ctype == "school" && removed.contains(&ctx)));
    t.ucsschool_roles = roles
        .into_iter()
        .map(|(r, ct, c)| format!("{r}:{ct}:{c}"))
        .collect();
}
