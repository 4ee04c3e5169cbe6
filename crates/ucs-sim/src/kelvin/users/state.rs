//! A `users/user` entry as the UCS@school lib reads it (`User.from_udm_obj`): its class (by
//! options), school (the OU of its DN), schools, role strings, classes and workgroups (the
//! groups in each school's containers, as full `<school>-<name>` names), guardians, wards.

use super::class::UserClass;
use crate::directory::links;
use crate::school_layout::{self, GroupKind};
use crate::store::{Object, Tree};
use std::collections::{BTreeMap, HashMap};
use ucs_ldap::canonical as dn;

/// Whether a UDM user is a UCS@school user (has one of the role options).
pub(crate) fn is_school_user(object: &Object) -> bool {
    object.module == "users/user" && UserClass::of_options(&object.options).is_some()
}

/// A user as the lib reads it.
#[derive(Debug, Clone)]
pub(crate) struct UserState {
    /// The entry's key.
    pub key: String,
    /// The entry's DN.
    pub dn: String,
    /// The lib class.
    pub class: UserClass,
    /// Marked as exam user (`ucsschoolExam`).
    pub exam: bool,
    /// Has the `ucsschoolAdministrator` option.
    pub admin_option: bool,
    /// User name.
    pub name: String,
    /// Primary school (the OU of the DN).
    pub school: String,
    /// Schools as stored (`school`).
    pub schools: Vec<String>,
    /// `ucsschoolRole` as stored.
    pub ucsschool_roles: Vec<String>,
    /// Classes per school of the user: full group names.
    pub classes: BTreeMap<String, Vec<String>>,
    /// Workgroups per school of the user: full group names.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// DNs of all groups.
    pub groups: Vec<String>,
    /// DNs of legal guardians.
    pub guardians: Vec<String>,
    /// DNs of legal wards.
    pub wards: Vec<String>,
}

/// What groups are in UCS@school terms, remembered by DN while many users are read.
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

/// Reads a school user (`None` for users without a role option).
pub(crate) fn read(tree: &Tree, object: &Object) -> Option<UserState> {
    read_with(tree, object, &mut GroupKinds::default())
}

fn user_school_key<'a>(schools: &'a [String], school: &str) -> Option<&'a String> {
    schools.iter().find(|s| s.eq_ignore_ascii_case(school))
}

/// Reads a school user, classifying its groups through `kinds`.
pub(crate) fn read_with(tree: &Tree, object: &Object, kinds: &mut GroupKinds) -> Option<UserState> {
    let class = UserClass::of_options(&object.options)?;
    let base = tree.base_dn();
    let key = dn::key_of_canonical(&object.dn);
    let schools = object.prop_list("school");
    let school = school_layout::school_of(&object.dn, base)
        .or_else(|| schools.first().cloned())
        .unwrap_or_default();
    let groups = links::derived_values(tree, &key, &links::LINKS[0]);
    let mut state = UserState {
        key: key.clone(),
        dn: object.dn.clone(),
        class,
        exam: object.option("ucsschoolExam"),
        admin_option: object.option("ucsschoolAdministrator"),
        name: object.prop_str("username").unwrap_or_default().to_string(),
        school,
        ucsschool_roles: object.prop_list("ucsschoolRole"),
        classes: BTreeMap::new(),
        workgroups: BTreeMap::new(),
        groups: Vec::new(),
        guardians: object.prop_list("ucsschoolLegalGuardian"),
        wards: links::derived_values(tree, &key, &links::LINKS[2]),
        schools,
    };
    for group in &groups {
        let (map, group_school) = match kinds.classify(group, base) {
            GroupKind::Class(s, _) if class.has_classes() => (&mut state.classes, s),
            GroupKind::Workgroup(s, _) => (&mut state.workgroups, s),
            _ => continue,
        };
        if let Some(owner) = user_school_key(&state.schools, &group_school) {
            let cn = dn::rdn_value(group).unwrap_or_default();
            map.entry(owner.clone()).or_default().push(cn);
        }
    }
    state.groups = groups;
    Some(state)
}
