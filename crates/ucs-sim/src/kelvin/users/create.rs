//! `POST /users/` in the steps of `create` (`kelvin/routers/v1/user.py`) and the importer
//! it runs (`UserImport.determine_add_modify_action`, `ImportUser.prepare_all`, `validate`,
//! `create`): references, case of school names, conflicts, the import IDs, defaults, checks.

use super::class::UserClass;
use super::lib::{self, lib_dn, lib_repr};
use super::model::UserBody;
use super::persist::{self, Target};
use super::refs_resolve::{self as resolve, Resolved};
use super::state;
use crate::app::App;
use crate::kelvin::error::KelvinError;
use crate::kelvin::py::{repr, repr_opt};
use crate::kelvin::schools::no_school;
use crate::kelvin::udm_error::{self, Operation};
use crate::kelvin::urls::Urls;
use crate::kelvin::version::ApiVersion;
use crate::school_layout;
use crate::store::Tree;
use serde_json::Value;
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// The importer's default `source_uid` (`kelvin_defaults.json`).
pub(crate) const DEFAULT_SOURCE_UID: &str = "Kelvin";

/// `fix_case_of_ous`: school names as the OUs spell them (404 for unknown schools).
fn stored_school(tree: &Tree, name: &str) -> Result<String, KelvinError> {
    school_layout::find_school(tree, name)
        .map(school_layout::school_name)
        .ok_or_else(|| no_school(name))
}

fn fix_case(tree: &Tree, t: &mut Target) -> Result<(), KelvinError> {
    if !t.school.is_empty() {
        t.school = stored_school(tree, &t.school)?;
    }
    t.schools = t
        .schools
        .iter()
        .map(|s| stored_school(tree, s))
        .collect::<Result<_, _>>()?;
    for role in t.ucsschool_roles.clone() {
        let parts: Vec<&str> = role.split(':').collect();
        if parts.len() != 3 || parts[1] != "school" {
            continue;
        }
        if let Some(fixed) = t
            .schools
            .iter()
            .find(|s| s.eq_ignore_ascii_case(parts[2]) && **s != parts[2])
        {
            let fixed = format!("{}:school:{fixed}", parts[0]);
            t.ucsschool_roles.retain(|x| *x != role);
            t.ucsschool_roles.push(fixed);
        }
    }
    let schools = t.schools.clone();
    for map in [&mut t.classes, &mut t.workgroups] {
        for key in map.keys().cloned().collect::<Vec<_>>() {
            if let Some(fixed) = schools
                .iter()
                .find(|s| s.eq_ignore_ascii_case(&key) && **s != key)
            {
                if let Some(v) = map.remove(&key) {
                    map.insert(fixed.clone(), v);
                }
            }
        }
    }
    Ok(())
}

/// The lib object `as_lib_model` builds from the body.
fn initial_target(b: &UserBody, r: &Resolved, class: UserClass) -> Target {
    let mut schools = r.schools.clone();
    if let (Some(s), true) = (&r.school, schools.is_empty()) {
        schools.push(s.clone());
    }
    let classes: BTreeMap<String, Vec<String>> = b.school_classes.iter().cloned().collect();
    Target {
        class,
        exam: false,
        name: b.name.clone(),
        school: r.school.clone().unwrap_or_default(),
        schools,
        firstname: b.firstname.clone(),
        lastname: b.lastname.clone(),
        birthday: b.birthday.clone(),
        expiration_date: b.expiration_date.clone(),
        email: b.email.clone().filter(|e| !e.is_empty()),
        disabled: b.disabled,
        record_uid: b.record_uid.clone(),
        source_uid: b.source_uid.clone(),
        ucsschool_roles: r.role_strings.clone(),
        classes: if class.has_classes() {
            classes
        } else {
            BTreeMap::new()
        },
        workgroups: b.workgroups.iter().cloned().collect(),
        guardians: Vec::new(),
        wards: Vec::new(),
        password: b.password.clone().filter(|p| !p.is_empty()),
        password_hashes: b.password_hashes.clone(),
        udm_properties: b.udm_properties.clone(),
    }
}

fn who(t: &Target, base: &str) -> String {
    let school = Some(t.school.as_str()).filter(|s| !s.is_empty());
    lib_repr(
        t.class,
        t.name.as_deref(),
        school,
        lib_dn(t.class, t.name.as_deref(), school, base).as_deref(),
    )
}

fn failed(t: &Target, base: &str, text: impl std::fmt::Display) -> KelvinError {
    KelvinError::bad_request(format!("Failed to create {}: {text}", who(t, base)))
}

/// `prepare_uids` and the look-up by import IDs (`get_by_import_id`).
fn import_ids(tree: &Tree, t: &mut Target, base: &str) -> Result<(), KelvinError> {
    if t.source_uid.as_deref().is_none_or(str::is_empty) {
        t.source_uid = Some(DEFAULT_SOURCE_UID.into());
    }
    let (source, record) = (
        t.source_uid.clone().unwrap_or_default(),
        t.record_uid.clone().unwrap_or_default(),
    );
    if record.is_empty() {
        let text = format!(
            "source_uid or record_uid are not set (source_uid={} record_uid={}).",
            repr(&source),
            repr_opt(t.record_uid.as_deref())
        );
        return Err(failed(t, base, text));
    }
    let existing = tree
        .with_value("users/user", "ucsschoolRecordUID", &record)
        .filter(|o| state::is_school_user(o))
        .find(|o| {
            o.prop_str("ucsschoolSourceUID")
                .is_some_and(|s| s.eq_ignore_ascii_case(&source))
        });
    if let Some(existing) = existing {
        let name = t
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| existing.prop_str("username").map(str::to_string));
        return Err(KelvinError::conflict(format!(
            "School user exists (name={}, record_uid={}, source_uid={}).",
            repr_opt(name.as_deref()),
            repr(&record),
            repr(&source)
        )));
    }
    Ok(())
}

/// `prepare_all` of a new user: primary school, schools, password, class names, guardians.
fn prepare(tree: &Tree, t: &mut Target, r: &Resolved, base: &str) -> Result<(), KelvinError> {
    let mut schools: Vec<String> = Vec::new();
    for s in &t.schools {
        if !schools.contains(s) {
            schools.push(s.clone());
        }
    }
    t.schools = schools;
    if t.school.is_empty() || !t.schools.contains(&t.school) {
        if let Some(first) = t.schools.iter().min().cloned() {
            t.school = first;
        }
    }
    if t.password.is_none() {
        t.password = Some(random_password());
    }
    t.classes = resolve::replaced_classes(&t.classes.clone().into_iter().collect::<Vec<_>>());
    t.workgroups =
        resolve::replaced_workgroups(&t.workgroups.clone().into_iter().collect::<Vec<_>>());
    let name = t.name.clone().unwrap_or_else(|| "None".into());
    match t.class {
        UserClass::Student => {
            t.guardians = resolve::legal(tree, &r.legal_guardians, &name, true)
                .map_err(|e| failed(t, base, e))?
        }
        UserClass::LegalGuardian => {
            t.wards = resolve::legal(tree, &r.legal_wards, &name, false)
                .map_err(|e| failed(t, base, e))?
        }
        _ => {}
    }
    Ok(())
}

/// A random password of the importer's length.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    (0..lib::PASSWORD_LENGTH)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect()
}

/// Creates a user from a POST body; returns the new user's document.
pub(crate) fn create(
    app: &App,
    version: ApiVersion,
    urls: &Urls,
    b: UserBody,
) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        let base = tree.base_dn().to_string();
        let r = resolve::body_refs(version, &b)?;
        let class = UserClass::for_roles(&r.roles).ok_or_else(KelvinError::internal)?;
        let mut t = initial_target(&b, &r, class);
        fix_case(tree, &mut t)?;
        if let Some(name) = t.name.as_deref().filter(|n| !n.is_empty()) {
            if crate::auth::find_user(tree, name).is_some() {
                return Err(KelvinError::conflict("School user exists."));
            }
        }
        super::legal_gate::check(
            class,
            !b.legal_guardians.is_empty(),
            !b.legal_wards.is_empty(),
            None,
        )?;
        import_ids(tree, &mut t, &base)?;
        prepare(tree, &mut t, &r, &base)?;
        lib::importer_checks(&t, true).map_err(|e| failed(&t, &base, e))?;
        lib::workgroups_exist(tree, &t, None).map_err(|e| failed(&t, &base, e))?;
        lib::lib_check(tree, &t, None).map_err(|e| failed(&t, &base, e))?;
        let user_dn = persist::create(tree, &app.catalog, &t)
            .map_err(|e| udm_error::from_dir(Operation::Create, e))?;
        let object = tree
            .get(&dn::key_of_canonical(&user_dn))
            .ok_or_else(KelvinError::internal)?;
        let s = state::read(tree, object).ok_or_else(KelvinError::internal)?;
        super::view::to_json(tree, object, &s, urls, &app.mapped_udm_properties)
    })
}
