//! Applying a Kelvin user write to the directory: school/schools resolution (moves), role
//! rules that need the directory, membership semantics, and the mapping of Kelvin fields to
//! UDM properties and options.
//!
//! Membership semantics (as the real server): an absent `school_classes` / `workgroups` key
//! keeps the memberships (restricted to the user's schools), a given map replaces them, an
//! empty map removes them all. A class named in `school_classes` is created when missing;
//! workgroups must exist. Changing to staff removes all classes; changing to student needs a
//! class in each school and is refused for school admins.

use super::body::{Mode, Opt};
use super::error::KelvinError;
use super::user_input::UserInput;
use super::user_view::{self, UserState};
use crate::directory::{self, Change, DirError, NewEntry};
use crate::school_layout;
use crate::store::Tree;
use crate::udm::catalog::Catalog;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;
use ucs_ldap::Role;

fn conflict() -> KelvinError {
    KelvinError::detail(StatusCode::CONFLICT, "School user exists.")
}

/// Maps a directory failure to the Kelvin answer.
pub(crate) fn dir_error(error: DirError) -> KelvinError {
    match error {
        DirError::Exists(_) => conflict(),
        DirError::NotFound(dn) => KelvinError::not_found(format!("No object with DN {dn} found.")),
        other => KelvinError::rule(other.to_string()),
    }
}

/// Resolves school names to the schools' stored spelling; unknown schools are an error.
fn resolve_schools(tree: &Tree, names: &[String]) -> Result<Vec<String>, KelvinError> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let school = school_layout::find_school(tree, name)
            .map(school_layout::school_name)
            .ok_or_else(|| KelvinError::rule(format!("School {name:?} does not exist.")))?;
        if !out.iter().any(|s| s.eq_ignore_ascii_case(&school)) {
            out.push(school);
        }
    }
    Ok(out)
}

fn lookup<'a>(list: &'a [String], name: &str) -> Option<&'a String> {
    list.iter().find(|s| s.eq_ignore_ascii_case(name))
}

/// Primary school and schools after the write.
fn resolve_school_fields(
    tree: &Tree,
    input: &UserInput,
    current: Option<&UserState>,
) -> Result<(String, Vec<String>), KelvinError> {
    let given_school = input.school.value().cloned();
    let given_schools = input.schools.value().cloned();
    let (school, schools) = match (given_school, given_schools, current) {
        (Some(school), Some(schools), _) => (Some(school), schools),
        (Some(school), None, Some(cur)) => {
            let mut schools = cur.schools.clone();
            if lookup(&schools, &school).is_none() {
                schools.push(school.clone());
            }
            (Some(school), schools)
        }
        (Some(school), None, None) => (Some(school.clone()), vec![school]),
        (None, Some(schools), cur) => {
            let keep = cur
                .map(|c| c.school.clone())
                .filter(|s| lookup(&schools, s).is_some());
            (keep, schools)
        }
        (None, None, Some(cur)) => (Some(cur.school.clone()), cur.schools.clone()),
        (None, None, None) => {
            return Err(KelvinError::rule(
                "Either 'school' or 'schools' must be set.",
            ))
        }
    };
    let schools = resolve_schools(tree, &schools)?;
    let school = match school {
        Some(name) => resolve_schools(tree, &[name])?.remove(0),
        None => {
            let mut sorted = schools.clone();
            sorted.sort_by_key(|s| s.to_lowercase());
            sorted
                .first()
                .cloned()
                .ok_or_else(|| KelvinError::rule("Either 'school' or 'schools' must be set."))?
        }
    };
    if lookup(&schools, &school).is_none() {
        return Err(KelvinError::rule(format!(
            "School {school:?} must be one of the schools in 'schools'."
        )));
    }
    Ok((school, schools))
}

/// Memberships per school after the write (`field` names the body field for messages).
fn resolve_memberships(
    given: &Opt<BTreeMap<String, Vec<String>>>,
    current: Option<&BTreeMap<String, Vec<String>>>,
    schools: &[String],
    field: &str,
) -> Result<BTreeMap<String, Vec<String>>, KelvinError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    match given {
        Opt::Set(map) => {
            for (school, names) in map {
                let Some(school) = lookup(schools, school) else {
                    return Err(KelvinError::rule(format!(
                        "School {school:?} in '{field}' is not one of the user's schools."
                    )));
                };
                let entry = out.entry(school.clone()).or_default();
                for name in names {
                    if !entry.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                        entry.push(name.clone());
                    }
                }
            }
        }
        Opt::Null => {}
        Opt::Absent => {
            for (school, names) in current.into_iter().flatten() {
                if let Some(school) = lookup(schools, school) {
                    out.entry(school.clone())
                        .or_default()
                        .extend(names.iter().cloned());
                }
            }
        }
    }
    out.retain(|_, names| !names.is_empty());
    Ok(out)
}

/// Text fields: PATCH keeps absent ones, POST/PUT clear them.
fn put_optional(props: &mut Map<String, Value>, mode: Mode, property: &str, value: &Opt<String>) {
    match value {
        Opt::Set(v) if !v.is_empty() => {
            props.insert(property.into(), json!(v));
        }
        Opt::Set(_) | Opt::Null => {
            props.insert(property.into(), Value::Null);
        }
        Opt::Absent if mode == Mode::Replace => {
            props.insert(property.into(), Value::Null);
        }
        Opt::Absent => {}
    }
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    (0..24)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect()
}

/// User names to DNs of school users with the given role.
fn user_dns(
    tree: &Tree,
    names: &[String],
    role: Role,
    what: &str,
) -> Result<Vec<String>, KelvinError> {
    names
        .iter()
        .map(|name| match user_view::find(tree, name) {
            Some(o) if crate::school_role::from_options(&o.options).contains(&role) => {
                Ok(o.dn.clone())
            }
            Some(_) => Err(KelvinError::rule(format!(
                "User {name:?} cannot be a {what}: it does not have the role '{}'.",
                role.as_str()
            ))),
            None => Err(KelvinError::rule(format!("User {name:?} does not exist."))),
        })
        .collect()
}

/// Creates (`existing` = `None`) or changes a school user; returns the user's DN.
pub(crate) fn write_user(
    tree: &mut Tree,
    catalog: &Catalog,
    mode: Mode,
    existing: Option<&str>,
    input: UserInput,
) -> Result<String, KelvinError> {
    let base = tree.base_dn().to_string();
    let current = match existing {
        Some(name) => {
            let object = user_view::find(tree, name).ok_or_else(|| {
                KelvinError::not_found(format!("No User with name={name:?} found."))
            })?;
            Some((
                dn::key_of_canonical(&object.dn),
                user_view::state(tree, object),
                object.clone(),
            ))
        }
        None => None,
    };
    let current_state = current.as_ref().map(|(_, s, _)| s);

    // name (a new name must be free)
    let name = match (&input.name, current_state) {
        (Opt::Set(n), _) => n.clone(),
        (_, Some(cur)) => cur.name.clone(),
        _ => return Err(KelvinError::rule("The user name is required.")),
    };
    let renamed = current_state.is_none_or(|c| !c.name.eq_ignore_ascii_case(&name));
    if renamed && crate::auth::find_user(tree, &name).is_some() {
        return Err(conflict());
    }

    let roles: Vec<Role> = match (&input.roles, current_state) {
        (Opt::Set(r), _) => r.clone(),
        (_, Some(cur)) => cur.roles.clone(),
        _ => return Err(KelvinError::rule("At least one role is required.")),
    };
    super::rules::check_role_combination(&roles).map_err(KelvinError::rule)?;
    let exam = if input.roles.is_given() {
        input.exam_user
    } else {
        current_state.is_some_and(|c| c.exam)
    };
    let is_student = roles.contains(&Role::Student);
    let (school, schools) = resolve_school_fields(tree, &input, current_state)?;

    // classes and the role rules that depend on them
    let mut classes = resolve_memberships(
        &input.school_classes,
        current_state.map(|c| &c.classes),
        &schools,
        "school_classes",
    )?;
    let staff_without_classes =
        roles.contains(&Role::Staff) && !roles.contains(&Role::Teacher) && !is_student;
    if staff_without_classes {
        classes.clear();
    }
    if let Some(cur) = current_state {
        if is_student && !cur.roles.contains(&Role::Student) {
            if cur.roles.contains(&Role::SchoolAdmin) {
                return Err(KelvinError::rule(
                    "The role of a school administrator cannot be changed to student.",
                ));
            }
            let missing: Vec<&String> = schools
                .iter()
                .filter(|s| classes.get(*s).is_none_or(Vec::is_empty))
                .collect();
            if !missing.is_empty() {
                return Err(KelvinError::rule(format!(
                    "Changing the role to student requires at least one school class in each of the user's schools; none in: {}.",
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
        }
    }
    let workgroups = resolve_memberships(
        &input.workgroups,
        current_state.map(|c| &c.workgroups),
        &schools,
        "workgroups",
    )?;

    // guardians and wards
    let guardians: Vec<String> = if !is_student {
        if input.legal_guardians.value().is_some_and(|g| !g.is_empty()) {
            return Err(KelvinError::rule("Only students can have legal guardians."));
        }
        Vec::new()
    } else {
        match &input.legal_guardians {
            Opt::Set(names) => user_dns(tree, names, Role::LegalGuardian, "legal guardian")?,
            Opt::Null => Vec::new(),
            Opt::Absent => current
                .as_ref()
                .map(|(_, _, o)| o.prop_list("ucsschoolLegalGuardian"))
                .unwrap_or_default(),
        }
    };
    let is_guardian = roles.contains(&Role::LegalGuardian);
    let wards: Option<Vec<String>> = if !is_guardian {
        if input.legal_wards.value().is_some_and(|w| !w.is_empty()) {
            return Err(KelvinError::rule(
                "Only legal guardians can have legal wards.",
            ));
        }
        Some(Vec::new())
    } else {
        match &input.legal_wards {
            Opt::Set(names) => {
                if names.len() > super::rules::MAX_LEGAL_WARDS {
                    return Err(KelvinError::rule("Too many legal wards."));
                }
                Some(user_dns(tree, names, Role::Student, "legal ward")?)
            }
            Opt::Null => Some(Vec::new()),
            Opt::Absent => None,
        }
    };

    // directory structure the user needs
    for s in &schools {
        school_layout::ensure_school(tree, catalog, s, None, Map::new(), Map::new())
            .map_err(dir_error)?;
    }
    let mut group_dns: Vec<String> = current_state
        .map(|c| c.other_groups.clone())
        .unwrap_or_default();
    for (s, names) in &classes {
        for class in names {
            group_dns
                .push(school_layout::ensure_class(tree, catalog, s, class).map_err(dir_error)?);
        }
    }
    for (s, names) in &workgroups {
        for wg in names {
            let wg_dn = school_layout::workgroup_dn(s, wg, &base);
            if !tree.contains(&dn::key_of_canonical(&wg_dn)) {
                return Err(KelvinError::rule(format!(
                    "Workgroup {wg:?} of school {s:?} does not exist."
                )));
            }
            group_dns.push(wg_dn);
        }
    }
    for s in &schools {
        group_dns.push(school_layout::domain_users_group(s, &base));
        for role in &roles {
            group_dns.extend(school_layout::role_group(s, *role, &base));
        }
    }

    // ucsschool_roles: one per role and school, plus entries of other context types
    let mut ucsschool_roles: Vec<String> = Vec::new();
    for role in &roles {
        let role_name = if *role == Role::Student && exam {
            "exam_user"
        } else {
            role.as_str()
        };
        for s in &schools {
            ucsschool_roles.push(format!("{role_name}:school:{s}"));
        }
    }
    let foreign: Vec<String> = match &input.ucsschool_roles {
        Opt::Set(given) => given.clone(),
        _ => current
            .as_ref()
            .map(|(_, _, o)| o.prop_list("ucsschoolRole"))
            .unwrap_or_default(),
    };
    for entry in foreign {
        if entry.split(':').nth(1) != Some("school") && !ucsschool_roles.contains(&entry) {
            ucsschool_roles.push(entry);
        }
    }

    // UDM properties
    let mut props = Map::new();
    props.insert("username".into(), json!(name));
    for (property, value) in [
        ("firstname", &input.firstname),
        ("lastname", &input.lastname),
    ] {
        if let Opt::Set(v) = value {
            props.insert(property.into(), json!(v));
        }
    }
    put_optional(&mut props, mode, "birthday", &input.birthday);
    put_optional(&mut props, mode, "mailPrimaryAddress", &input.email);
    put_optional(&mut props, mode, "userexpiry", &input.expiration_date);
    put_optional(&mut props, mode, "ucsschoolRecordUID", &input.record_uid);
    put_optional(&mut props, mode, "ucsschoolSourceUID", &input.source_uid);
    match input.disabled {
        Opt::Set(b) => {
            props.insert("disabled".into(), json!(b));
        }
        _ if mode != Mode::Patch => {
            props.insert("disabled".into(), json!(false));
        }
        _ => {}
    }
    props.insert("school".into(), json!(schools));
    props.insert("ucsschoolRole".into(), json!(ucsschool_roles));
    props.insert("ucsschoolLegalGuardian".into(), json!(guardians));
    props.insert("groups".into(), json!(group_dns));
    props.insert(
        "primaryGroup".into(),
        json!(school_layout::domain_users_group(&school, &base)),
    );
    if let Some(wards) = wards {
        props.insert("ucsschoolLegalWard".into(), json!(wards));
    }
    if let Opt::Set(udm) = &input.udm_properties {
        for (k, v) in udm {
            props.insert(k.clone(), v.clone());
        }
    }
    if let Opt::Set(password) = &input.password {
        props.insert("password".into(), json!(password));
    }

    let mut options: BTreeMap<String, bool> = current
        .as_ref()
        .map(|(_, _, o)| o.options.clone())
        .unwrap_or_default();
    for role in Role::BY_NAME {
        options.remove(role.udm_option());
    }
    options.remove("ucsschoolExam");
    for role in &roles {
        options.insert(role.udm_option().to_string(), true);
    }
    if exam {
        options.insert("ucsschoolExam".into(), true);
    }
    let hashes = match &input.kelvin_password_hashes {
        Opt::Set(h) => Some(h.clone()),
        _ => None,
    };
    let position = school_layout::users_container(&school, &roles, &base);
    let target_dn = dn::child("uid", &name, &position);

    match current {
        None => {
            if !props.contains_key("password") && hashes.is_none() {
                props.insert("password".into(), json!(random_password()));
            }
            directory::create(
                tree,
                catalog,
                NewEntry {
                    module: "users/user".into(),
                    dn: Some(target_dn),
                    properties: props,
                    options,
                    kelvin_password_hashes: hashes,
                    ..Default::default()
                },
            )
            .map_err(dir_error)
        }
        Some((key, _, _)) => directory::modify(
            tree,
            catalog,
            &key,
            Change {
                properties: props,
                options: Some(options),
                position: Some(position),
                kelvin_password_hashes: hashes,
                ..Default::default()
            },
        )
        .map(|m| m.dn)
        .map_err(dir_error),
    }
}
