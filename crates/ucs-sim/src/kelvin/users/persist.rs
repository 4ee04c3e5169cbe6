//! Writing a school user to the directory as the UCS@school lib leaves it after a create or
//! modify (`User.do_create`, `do_modify`, `UserTypeConverter.convert`): the options and
//! container of its class, its groups (domain users and role groups of every school, its
//! classes and workgroups; a modify keeps other groups, drops the groups of schools it left
//! and, on a class change, the role groups the conversion removes), role strings and
//! properties. A create sets the password without UDM's password policy (the lib sets
//! `overridePWLength`); a modify is checked against it.

use super::class::{UserClass, ROLE_OPTIONS};
use super::state::UserState;
use crate::catalog::Catalog;
use crate::directory::{self, Change, DirError, NewEntry};
use crate::school_layout::{self, GroupKind};
use crate::store::Tree;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// A school user as a write leaves it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub class: UserClass,
    pub exam: bool,
    /// `None` only before validation (a write needs a name).
    pub name: Option<String>,
    pub school: String,
    pub schools: Vec<String>,
    pub firstname: String,
    pub lastname: String,
    pub birthday: Option<String>,
    pub expiration_date: Option<String>,
    pub email: Option<String>,
    pub disabled: bool,
    pub record_uid: Option<String>,
    pub source_uid: Option<String>,
    pub ucsschool_roles: Vec<String>,
    /// Classes per school: full `<school>-<name>` names.
    pub classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school: full names.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// DNs.
    pub guardians: Vec<String>,
    /// DNs.
    pub wards: Vec<String>,
    pub password: Option<String>,
    pub password_hashes: Option<Value>,
    pub udm_properties: Map<String, Value>,
}

fn short<'a>(school: &str, full: &'a str) -> &'a str {
    full.strip_prefix(&format!("{school}-")).unwrap_or(full)
}

/// The target's workgroups: school, full name (`<school>-<name>`), DN.
pub(crate) fn workgroup_dns(t: &Target, base: &str) -> Vec<(String, String, String)> {
    t.workgroups
        .iter()
        .flat_map(|(school, names)| {
            names.iter().map(move |n| {
                let name = short(school, n);
                (
                    school.clone(),
                    format!("{school}-{name}"),
                    school_layout::workgroup_dn(school, name, base),
                )
            })
        })
        .collect()
}

/// The groups every user of the class must be in (`groups_used`) plus its classes and
/// workgroups; missing classes are created.
fn mandatory_groups(
    tree: &mut Tree,
    catalog: &Catalog,
    t: &Target,
) -> Result<Vec<String>, DirError> {
    let base = tree.base_dn().to_string();
    let mut groups = Vec::new();
    for school in &t.schools {
        groups.push(school_layout::domain_users_group(school, &base));
    }
    for (school, names) in &t.classes {
        for name in names {
            groups.push(school_layout::ensure_class(
                tree,
                catalog,
                school,
                short(school, name),
            )?);
        }
    }
    groups.extend(workgroup_dns(t, &base).into_iter().map(|(_, _, d)| d));
    for school in &t.schools {
        for role in t.class.group_roles() {
            groups.push(school_layout::role_group(school, *role, &base));
        }
    }
    Ok(groups)
}

/// Whether a group belongs to one of `schools` (by DN, or as its `admins-<school>` group).
fn of_school(group: &str, schools: &[String], base: &str) -> bool {
    if let Some(s) = school_layout::school_of(group, base) {
        return schools.iter().any(|x| x.eq_ignore_ascii_case(&s));
    }
    let cn = dn::rdn_value(group).unwrap_or_default().to_lowercase();
    schools
        .iter()
        .any(|s| cn == format!("admins-{}", s.to_lowercase()))
}

/// The groups after a modify.
fn modified_groups(
    tree: &mut Tree,
    catalog: &Catalog,
    current: &UserState,
    t: &Target,
) -> Result<Vec<String>, DirError> {
    let base = tree.base_dn().to_string();
    let left: Vec<String> = current
        .schools
        .iter()
        .filter(|s| !t.schools.iter().any(|n| n.eq_ignore_ascii_case(s)))
        .cloned()
        .collect();
    let removed_roles: Vec<String> = if current.class != t.class {
        let schools = current.schools.iter().chain(t.schools.iter());
        schools
            .flat_map(|s| {
                t.class
                    .conversion_removes()
                    .iter()
                    .map(|r| school_layout::role_group(s, *r, &base))
            })
            .map(|g| dn::key_of_canonical(&g))
            .collect()
    } else {
        Vec::new()
    };
    let mut groups: Vec<String> = current
        .groups
        .iter()
        .filter(|g| {
            !matches!(
                school_layout::classify_group(g, &base),
                GroupKind::Class(..) | GroupKind::Workgroup(..)
            )
        })
        .filter(|g| !of_school(g, &left, &base))
        .filter(|g| !removed_roles.contains(&dn::key_of_canonical(g)))
        .cloned()
        .collect();
    for group in mandatory_groups(tree, catalog, t)? {
        let key = dn::key_of_canonical(&group);
        if !groups.iter().any(|g| dn::key_of_canonical(g) == key) {
            groups.push(group);
        }
    }
    Ok(groups)
}

fn properties(t: &Target, groups: Vec<String>, base: &str) -> Map<String, Value> {
    let mut p = t.udm_properties.clone();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_string(), v);
    };
    put("username", json!(t.name.as_deref().unwrap_or_default()));
    put("firstname", json!(t.firstname));
    put("lastname", json!(t.lastname));
    put("birthday", json!(t.birthday));
    put("userexpiry", json!(t.expiration_date));
    put(
        "mailPrimaryAddress",
        json!(t.email.as_deref().filter(|e| !e.is_empty())),
    );
    if let Some(email) = t.email.as_deref().filter(|e| !e.is_empty()) {
        put("e-mail", json!([email]));
    }
    put("disabled", json!(t.disabled));
    put("ucsschoolRecordUID", json!(t.record_uid));
    put("ucsschoolSourceUID", json!(t.source_uid));
    put("school", json!(t.schools));
    put("departmentNumber", json!([t.school]));
    put("ucsschoolRole", json!(t.ucsschool_roles));
    match t.class {
        UserClass::Student => put("ucsschoolLegalGuardian", json!(t.guardians)),
        UserClass::LegalGuardian => put("ucsschoolLegalWard", json!(t.wards)),
        _ => {}
    }
    put("groups", json!(groups));
    put(
        "primaryGroup",
        json!(school_layout::domain_users_group(&t.school, base)),
    );
    p
}

fn options(current: Option<&BTreeMap<String, bool>>, t: &Target) -> BTreeMap<String, bool> {
    let mut options = current.cloned().unwrap_or_default();
    for option in ROLE_OPTIONS {
        options.remove(option);
    }
    for option in t.class.options() {
        options.insert(option.to_string(), true);
    }
    if t.exam {
        options.insert("ucsschoolExam".into(), true);
    }
    options
}

fn set_password(tree: &mut Tree, dn_text: &str, password: Option<&str>) {
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        let hash = crate::password::hash(password);
        tree.update(&dn::key_of_canonical(dn_text), |o| {
            o.secrets.password_hash = Some(hash)
        });
    }
}

fn position(t: &Target, base: &str) -> String {
    school_layout::users_container(&t.school, t.class.container(), base)
}

/// Creates the user; returns its DN.
pub(crate) fn create(tree: &mut Tree, catalog: &Catalog, t: &Target) -> Result<String, DirError> {
    let base = tree.base_dn().to_string();
    for school in &t.schools {
        school_layout::ensure_school(tree, catalog, school, None, Map::new(), Map::new())?;
    }
    let groups = mandatory_groups(tree, catalog, t)?;
    let mut props = properties(t, groups, &base);
    props.retain(|_, v| !v.is_null());
    // a throw-away password passes UDM's policy; the real one is set without it below
    props.insert("password".into(), json!(uuid::Uuid::new_v4().to_string()));
    let entry = NewEntry {
        module: "users/user".into(),
        dn: Some(dn::child(
            "uid",
            t.name.as_deref().unwrap_or_default(),
            &position(t, &base),
        )),
        properties: props,
        options: options(None, t),
        kelvin_password_hashes: t.password_hashes.clone(),
        ..Default::default()
    };
    let dn_text = directory::create(tree, catalog, entry)?;
    set_password(tree, &dn_text, t.password.as_deref());
    Ok(dn_text)
}

/// Changes a user to the target; returns its DN.
pub(crate) fn modify(
    tree: &mut Tree,
    catalog: &Catalog,
    current: &UserState,
    options_now: &BTreeMap<String, bool>,
    t: &Target,
) -> Result<String, DirError> {
    let base = tree.base_dn().to_string();
    for school in &t.schools {
        school_layout::ensure_school(tree, catalog, school, None, Map::new(), Map::new())?;
    }
    let groups = modified_groups(tree, catalog, current, t)?;
    let mut props = properties(t, groups, &base);
    // a modify checks UDM's password policy (`ImportUser.modify(check_password_policies=True)`)
    if let Some(password) = t.password.as_deref().filter(|p| !p.is_empty()) {
        props.insert("password".into(), json!(password));
    }
    let change = Change {
        properties: props,
        options: Some(options(Some(options_now), t)),
        position: Some(position(t, &base)),
        kelvin_password_hashes: t.password_hashes.clone(),
        ..Default::default()
    };
    directory::modify(tree, catalog, &current.key, change).map(|m| m.dn)
}
