//! The Kelvin view of a `users/user` entry: names of its schools, roles, classes,
//! workgroups and guardians, and the `UserModel` JSON document.

use super::urls::Urls;
use crate::directory::{links, view};
use crate::school_layout::{self, GroupKind};
use crate::store::{Object, Tree};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use ucs_ldap::canonical as dn;
use ucs_ldap::Role;

/// Whether a UDM user is a UCS@school user (has a school role option).
pub(crate) fn is_school_user(object: &Object) -> bool {
    object.module == "users/user" && !crate::school_role::from_options(&object.options).is_empty()
}

/// The school user with that name (case-insensitive).
pub(crate) fn find<'a>(tree: &'a Tree, name: &str) -> Option<&'a Object> {
    crate::auth::find_user(tree, name).filter(|o| is_school_user(o))
}

/// A user as Kelvin sees it, with names instead of DNs.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserState {
    /// User name.
    pub name: String,
    /// Primary school.
    pub school: String,
    /// All schools.
    pub schools: Vec<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Marked as exam user.
    pub exam: bool,
    /// Classes per school.
    pub classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// DNs of groups that are neither classes, workgroups nor school-managed.
    pub other_groups: Vec<String>,
    /// User names of legal guardians.
    pub guardians: Vec<String>,
    /// User names of legal wards.
    pub wards: Vec<String>,
}

fn username_of(tree: &Tree, user_dn: &str) -> String {
    tree.get(&dn::key_of_canonical(user_dn))
        .and_then(|o| o.prop_str("username").map(str::to_string))
        .or_else(|| dn::rdn_value(user_dn))
        .unwrap_or_default()
}

/// What groups are in UCS@school terms, remembered by DN while many users are read (a
/// search answers thousands of users who share a handful of groups).
#[derive(Debug, Default)]
pub(crate) struct GroupKinds(HashMap<String, GroupKind>);

impl GroupKinds {
    fn classify(&mut self, group_dn: &str, base: &str) -> GroupKind {
        if let Some(kind) = self.0.get(group_dn) {
            return kind.clone();
        }
        let kind = school_layout::classify_group(group_dn, base);
        self.0.insert(group_dn.to_string(), kind.clone());
        kind
    }
}

/// Reads the Kelvin view of a user.
pub(crate) fn state(tree: &Tree, object: &Object) -> UserState {
    state_with(tree, object, &mut GroupKinds::default())
}

/// Reads the Kelvin view of a user, classifying its groups through `kinds`.
pub(crate) fn state_with(tree: &Tree, object: &Object, kinds: &mut GroupKinds) -> UserState {
    let base = tree.base_dn();
    let key = dn::key_of_canonical(&object.dn);
    let mut schools = object.prop_list("school");
    let dn_school = school_layout::school_of(&object.dn, base);
    if schools.is_empty() {
        schools.extend(dn_school.clone());
    }
    let school = dn_school
        .filter(|s| schools.iter().any(|x| x.eq_ignore_ascii_case(s)))
        .or_else(|| schools.first().cloned())
        .unwrap_or_default();
    let mut state = UserState {
        name: object.prop_str("username").unwrap_or_default().to_string(),
        school,
        schools,
        roles: crate::school_role::from_options(&object.options),
        exam: object.option("ucsschoolExam"),
        ..Default::default()
    };
    for group in links::derived_values(tree, &key, &links::LINKS[0]) {
        match kinds.classify(&group, base) {
            GroupKind::Class(school, name) => state.classes.entry(school).or_default().push(name),
            GroupKind::Workgroup(school, name) => {
                state.workgroups.entry(school).or_default().push(name)
            }
            GroupKind::SchoolManaged => {}
            GroupKind::Other => state.other_groups.push(group),
        }
    }
    for names in state
        .classes
        .values_mut()
        .chain(state.workgroups.values_mut())
    {
        names.sort();
    }
    state.guardians = object
        .prop_list("ucsschoolLegalGuardian")
        .iter()
        .map(|d| username_of(tree, d))
        .collect();
    state.wards = links::derived_values(tree, &key, &links::LINKS[2])
        .iter()
        .map(|d| username_of(tree, d))
        .collect();
    state
}

fn text_or_null(object: &Object, property: &str) -> Value {
    match object.prop_str(property) {
        Some(s) if !s.is_empty() => Value::from(s),
        _ => Value::Null,
    }
}

/// The `udm_properties` of an entry: every mapped property with its current value.
pub(crate) fn udm_properties(
    tree: &Tree,
    object: &Object,
    mapped: &[String],
) -> Map<String, Value> {
    mapped
        .iter()
        .map(|name| {
            (
                name.clone(),
                view::property(tree, object, name).unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// The `UserModel` document of a user.
pub(crate) fn to_json(tree: &Tree, object: &Object, urls: &Urls, mapped: &[String]) -> Value {
    to_json_with_state(tree, object, &state(tree, object), urls, mapped)
}

/// The `UserModel` document of a user whose Kelvin view `state` is known already.
pub(crate) fn to_json_with_state(
    tree: &Tree,
    object: &Object,
    state: &UserState,
    urls: &Urls,
    mapped: &[String],
) -> Value {
    let map_of = |groups: &BTreeMap<String, Vec<String>>| -> Value {
        Value::Object(
            groups
                .iter()
                .map(|(school, names)| (school.clone(), Value::from(names.clone())))
                .collect(),
        )
    };
    let urls_of = |names: &[String], url: &dyn Fn(&str) -> String| -> Value {
        Value::Array(names.iter().map(|n| Value::String(url(n))).collect())
    };
    // built field by field: `json!` would copy the nested maps once more
    let mut doc = Map::new();
    let mut put = |name: &str, value: Value| {
        doc.insert(name.to_string(), value);
    };
    put("dn", Value::from(object.dn.as_str()));
    put("url", Value::String(urls.user(&state.name)));
    put(
        "ucsschool_roles",
        Value::from(object.prop_list("ucsschoolRole")),
    );
    put(
        "udm_properties",
        Value::Object(udm_properties(tree, object, mapped)),
    );
    put("name", Value::from(state.name.as_str()));
    put("school", Value::String(urls.school(&state.school)));
    put("firstname", text_or_null(object, "firstname"));
    put("lastname", text_or_null(object, "lastname"));
    put("birthday", text_or_null(object, "birthday"));
    put(
        "disabled",
        Value::Bool(
            object
                .properties
                .get("disabled")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
    );
    put("email", text_or_null(object, "mailPrimaryAddress"));
    put("expiration_date", text_or_null(object, "userexpiry"));
    put("record_uid", text_or_null(object, "ucsschoolRecordUID"));
    put(
        "roles",
        Value::Array(
            state
                .roles
                .iter()
                .map(|r| Value::String(urls.role(r.as_str())))
                .collect(),
        ),
    );
    put("schools", urls_of(&state.schools, &|s| urls.school(s)));
    put("school_classes", map_of(&state.classes));
    put("workgroups", map_of(&state.workgroups));
    put("source_uid", text_or_null(object, "ucsschoolSourceUID"));
    put(
        "legal_guardians",
        urls_of(&state.guardians, &|g| urls.user(g)),
    );
    put("legal_wards", urls_of(&state.wards, &|w| urls.user(w)));
    Value::Object(doc)
}
