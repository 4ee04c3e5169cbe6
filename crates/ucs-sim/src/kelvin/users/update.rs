//! PATCH and PUT of a user in the steps of `partial_update` and `complete_update`
//! (`kelvin/routers/v1/user.py`): look-up, references, legal-guardian gate, school move,
//! rename, role change, the change itself. The real server saves each step; the emulator
//! applies them together (a failing later step leaves nothing changed).

use super::convert;
use super::lib::{self, lib_repr};
use super::model::{Memberships, UserBody, UserPatch};
use super::persist::{self, Target};
use super::refs_resolve::{self as resolve, Resolved};
use super::state::{self, UserState};
use super::view::is_school_role_string;
use crate::app::App;
use crate::kelvin::error::KelvinError;
use crate::kelvin::fields::Opt;
use crate::kelvin::py::{repr, repr_opt};
use crate::kelvin::udm_error::{self, Operation};
use crate::kelvin::version::ApiVersion;
use crate::store::{Object, Tree};
use serde_json::Value;
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;
use ucs_ldap::Role;

/// The users/user entry of a name (any user: the handlers search `uid=` in UDM).
fn lookup<'a>(tree: &'a Tree, name: &str) -> Result<&'a Object, KelvinError> {
    crate::auth::find_user(tree, name).ok_or_else(|| {
        KelvinError::not_found(format!(
            "No object with name={} found or not authorized.",
            repr(name)
        ))
    })
}

/// The lib user of an entry; non-school users are `get_lib_obj(dn=...)`'s 404 (`name=None`).
fn school_user(tree: &Tree, object: &Object) -> Result<UserState, KelvinError> {
    state::read(tree, object)
        .ok_or_else(|| KelvinError::not_found("No object with name=None found or not authorized."))
}

/// The current user as a write target.
fn target_of(object: &Object, s: &UserState) -> Target {
    let text = |p: &str| {
        object
            .prop_str(p)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    Target {
        class: s.class,
        exam: s.exam,
        name: Some(s.name.clone()),
        school: s.school.clone(),
        schools: s.schools.clone(),
        firstname: text("firstname").unwrap_or_default(),
        lastname: text("lastname").unwrap_or_default(),
        birthday: text("birthday"),
        expiration_date: text("userexpiry"),
        email: text("mailPrimaryAddress"),
        disabled: object
            .properties
            .get("disabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        record_uid: text("ucsschoolRecordUID"),
        source_uid: text("ucsschoolSourceUID"),
        ucsschool_roles: s.ucsschool_roles.clone(),
        classes: s.classes.clone(),
        workgroups: s.workgroups.clone(),
        guardians: s.guardians.clone(),
        wards: s.wards.clone(),
        password: None,
        password_hashes: None,
        udm_properties: Default::default(),
    }
}

/// `rename_user`: the importer's checks of the renamed user, then UDM (at write time).
fn rename(t: &mut Target, current: &UserState, new: Option<&str>) -> Result<(), KelvinError> {
    if new == Some(current.name.as_str()) {
        return Ok(());
    }
    t.name = new.map(str::to_string);
    lib::importer_checks(t, true).map_err(|e| {
        let who = lib_repr(t.class, new, Some(&t.school), Some(&current.dn));
        KelvinError::bad_request(format!(
            "Renaming {who} from {} to {}: {e}",
            repr(&current.name),
            repr_opt(new)
        ))
    })
}

/// `memberships` from the body: keys and names as sent.
fn memberships(given: &Memberships) -> BTreeMap<String, Vec<String>> {
    given
        .iter()
        .map(|(s, names)| (s.clone(), names.clone()))
        .collect()
}

/// The last steps of both: legal guardians and wards resolved, the lib's and importer's
/// checks of a modify, then the directory write (UDM refusals pass through).
fn finish(
    app: &App,
    tree: &mut Tree,
    object_options: &BTreeMap<String, bool>,
    current: &UserState,
    t: &mut Target,
    links: (Option<&[String]>, Option<&[String]>),
) -> Result<String, KelvinError> {
    let name = t.name.clone().unwrap_or_default();
    if let Some(guardians) = links.0 {
        t.guardians =
            resolve::legal(tree, guardians, &name, true).map_err(KelvinError::bad_request)?;
    }
    if let Some(wards) = links.1 {
        t.wards = resolve::legal(tree, wards, &name, false).map_err(KelvinError::bad_request)?;
    }
    lib::update_role_strings(t);
    lib::workgroups_exist(tree, t, Some(current)).map_err(KelvinError::bad_request)?;
    lib::importer_checks(t, false).map_err(KelvinError::bad_request)?;
    lib::lib_check(tree, t, Some(&current.key)).map_err(KelvinError::bad_request)?;
    persist::modify(tree, &app.catalog, current, object_options, t)
        .map_err(|e| udm_error::from_dir(Operation::Modify, e))
}

fn read_back(
    app: &App,
    tree: &Tree,
    user_dn: &str,
    urls: &crate::kelvin::urls::Urls,
) -> Result<Value, KelvinError> {
    let object = tree
        .get(&dn::key_of_canonical(user_dn))
        .ok_or_else(KelvinError::internal)?;
    let s = state::read(tree, object).ok_or_else(KelvinError::internal)?;
    super::view::to_json(tree, object, &s, urls, &app.mapped_udm_properties)
}

/// The move step of both: `school` wins, else the first of the new schools when the current
/// school is not among them.
fn move_step(
    tree: &Tree,
    t: &mut Target,
    school: Option<&str>,
    schools: &[String],
) -> Result<(), KelvinError> {
    let new = match school {
        Some(s) => Some(s.to_string()),
        None if !schools.is_empty() && !schools.contains(&t.school) => {
            schools.iter().min().cloned()
        }
        None => None,
    };
    let Some(new) = new else { return Ok(()) };
    if new != t.school && crate::school_layout::find_school(tree, &new).is_none() {
        // the importer's `check_schools` raises `UnknownSchoolName`, which nobody catches
        return Err(KelvinError::internal());
    }
    convert::change_school(t, &new, schools)
}

/// `PATCH /users/{name}`.
pub(crate) fn patch(
    app: &App,
    version: ApiVersion,
    urls: &crate::kelvin::urls::Urls,
    name: &str,
    p: UserPatch,
) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        let object = lookup(tree, name)?;
        let r = resolve::patch_refs(version, &p)?;
        let current = school_user(tree, object)?;
        let options = object.options.clone();
        let mut t = target_of(object, &current);
        let given = |o: &Opt<Vec<String>>| o.value().is_some_and(|l| !l.is_empty());
        super::legal_gate::check(
            t.class,
            given(&p.legal_guardians),
            given(&p.legal_wards),
            r.roles.as_deref(),
        )?;
        let initial = t.clone();
        let legal = resolve::legal_names(version, &p.legal_guardians, &p.legal_wards)?;
        if r.school.is_some() || r.schools.is_some() {
            let schools = r
                .schools
                .clone()
                .unwrap_or_else(|| r.school.iter().cloned().collect());
            move_step(tree, &mut t, r.school.as_deref(), &schools)?;
            t.schools = schools;
        }
        if p.name.is_given() {
            rename(&mut t, &current, p.name.value().map(String::as_str))?;
        }
        if let Some(names) = &r.roles {
            let roles = names
                .iter()
                .map(|n| n.parse::<Role>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| KelvinError::internal())?;
            let additional = p.school_classes.value().map(Vec::as_slice);
            convert::change_roles(&mut t, &current, &roles, additional)?;
        }
        if let Opt::Set(sent) = &p.ucsschool_roles {
            let mut roles: Vec<String> = sent
                .iter()
                .filter(|s| !is_school_role_string(s))
                .cloned()
                .collect();
            roles.extend(
                t.ucsschool_roles
                    .iter()
                    .filter(|s| is_school_role_string(s))
                    .cloned(),
            );
            t.ucsschool_roles = roles;
        }
        apply_patch_fields(&mut t, &p);
        if t == initial && legal.0.is_none() && legal.1.is_none() {
            return read_back(app, tree, &current.dn, urls);
        }
        let user_dn = finish(
            app,
            tree,
            &options,
            &current,
            &mut t,
            (legal.0.as_deref(), legal.1.as_deref()),
        )?;
        read_back(app, tree, &user_dn, urls)
    })
}

fn apply_patch_fields(t: &mut Target, p: &UserPatch) {
    let text = |o: &Opt<String>| o.value().filter(|v| !v.is_empty()).cloned();
    if p.firstname.is_given() {
        t.firstname = text(&p.firstname).unwrap_or_default();
    }
    if p.lastname.is_given() {
        t.lastname = text(&p.lastname).unwrap_or_default();
    }
    for (field, slot) in [
        (&p.birthday, &mut t.birthday),
        (&p.expiration_date, &mut t.expiration_date),
        (&p.email, &mut t.email),
        (&p.record_uid, &mut t.record_uid),
        (&p.source_uid, &mut t.source_uid),
    ] {
        if field.is_given() {
            *slot = text(field);
        }
    }
    if let Opt::Set(d) = p.disabled {
        t.disabled = d;
    }
    t.password = p.password.value().filter(|v| !v.is_empty()).cloned();
    if let Opt::Set(c) = &p.school_classes {
        t.classes = if t.class.has_classes() {
            memberships(c)
        } else {
            BTreeMap::new()
        };
    }
    if let Opt::Set(w) = &p.workgroups {
        t.workgroups = memberships(w);
    }
    if let Opt::Set(u) = &p.udm_properties {
        t.udm_properties = u.clone();
    }
    t.password_hashes = p.password_hashes.value().cloned();
}

/// `PUT /users/{name}`.
pub(crate) fn replace(
    app: &App,
    version: ApiVersion,
    urls: &crate::kelvin::urls::Urls,
    name: &str,
    b: UserBody,
) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        let object = lookup(tree, name)?;
        let r: Resolved = resolve::body_refs(version, &b)?;
        let current = school_user(tree, object)?;
        let options = object.options.clone();
        let mut t = target_of(object, &current);
        super::legal_gate::check(
            t.class,
            !b.legal_guardians.is_empty(),
            !b.legal_wards.is_empty(),
            None,
        )?;
        let mut schools = r.schools.clone();
        if let (Some(s), true) = (&r.school, schools.is_empty()) {
            schools.push(s.clone());
        }
        move_step(tree, &mut t, r.school.as_deref(), &schools)?;
        rename(&mut t, &current, b.name.as_deref())?;
        convert::change_roles(&mut t, &current, &r.roles, Some(&b.school_classes))?;
        apply_body_fields(&mut t, &b, &r, schools);
        let legal = (
            Some(r.legal_guardians.as_slice()),
            Some(r.legal_wards.as_slice()),
        );
        let user_dn = finish(app, tree, &options, &current, &mut t, legal)?;
        read_back(app, tree, &user_dn, urls)
    })
}

fn apply_body_fields(t: &mut Target, b: &UserBody, r: &Resolved, schools: Vec<String>) {
    t.schools = schools;
    if !t.schools.contains(&t.school) {
        if let Some(first) = t.schools.iter().min() {
            t.school = first.clone();
        }
    }
    t.firstname = b.firstname.clone();
    t.lastname = b.lastname.clone();
    t.birthday = b.birthday.clone();
    t.expiration_date = b.expiration_date.clone();
    t.email = b.email.clone().filter(|e| !e.is_empty());
    t.disabled = b.disabled;
    t.record_uid = b.record_uid.clone().filter(|v| !v.is_empty());
    t.source_uid = b.source_uid.clone().filter(|v| !v.is_empty());
    t.password = b.password.clone().filter(|p| !p.is_empty());
    t.password_hashes = b.password_hashes.clone();
    t.ucsschool_roles = r.role_strings.clone();
    t.classes = if t.class.has_classes() {
        resolve::replaced_classes(&b.school_classes)
    } else {
        BTreeMap::new()
    };
    if b.workgroups_given {
        t.workgroups = resolve::replaced_workgroups(&b.workgroups);
    }
    t.udm_properties = b.udm_properties.clone();
}
