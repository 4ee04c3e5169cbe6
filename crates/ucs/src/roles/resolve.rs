//! The state a user would be in after a change: the server's merge semantics in one place,
//! shared by the rule checks and the implied effects.

use std::collections::BTreeMap;

use super::{ChangeKind, Role, UserFields};

/// Whether an optional text is absent or only whitespace.
pub(crate) fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// Non-blank text, trimmed of nothing (the server compares names as given).
pub(crate) fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.trim().is_empty())
}

/// School (OU) names compare case-insensitively, like the directory does.
pub(crate) fn same_school(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether `schools` holds `school` (case-insensitively).
pub(crate) fn has_school(schools: &[String], school: &str) -> bool {
    schools.iter().any(|s| same_school(s, school))
}

/// Whether a membership map lists at least one group for `school` (keys match
/// case-insensitively; a map may hold the same school in two spellings).
pub(crate) fn has_groups_in(map: &BTreeMap<String, Vec<String>>, school: &str) -> bool {
    map.iter()
        .any(|(k, groups)| same_school(k, school) && !groups.is_empty())
}

/// The non-blank school names of a `schools` list.
pub(crate) fn non_blank(schools: &Option<Vec<String>>) -> Vec<String> {
    schools
        .iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect()
}

/// The alphabetically first school (what the server picks when only `schools` is sent).
pub(crate) fn first_school(schools: &[String]) -> Option<String> {
    schools.iter().min().cloned()
}

/// Where a user's school and schools end up.
#[derive(Debug, Default)]
pub(crate) struct Placement {
    /// Primary school afterwards (None if unknown).
    pub school: Option<String>,
    /// Schools afterwards.
    pub schools: Vec<String>,
    /// The primary school was chosen by the server as the alphabetically first of `schools`.
    pub school_chosen: bool,
}

/// Where a create request places the user.
pub(crate) fn place_create(user: &UserFields) -> Placement {
    let schools = non_blank(&user.schools);
    match present(&user.school) {
        Some(school) => Placement {
            school: Some(school.to_owned()),
            schools: if schools.is_empty() {
                vec![school.to_owned()]
            } else {
                schools
            },
            school_chosen: false,
        },
        None => Placement {
            school: first_school(&schools),
            school_chosen: !schools.is_empty(),
            schools,
        },
    }
}

/// Where a change places the user (Kelvin's PUT and PATCH agree here): `school` alone
/// makes `schools` = `[school]`; `schools` alone keeps the current school if it is among
/// them, else picks the alphabetically first; neither keeps everything.
pub(crate) fn place_change(before: &UserFields, change: &UserFields) -> Placement {
    let new_schools = non_blank(&change.schools);
    match (present(&change.school), new_schools.is_empty()) {
        (Some(school), false) => Placement {
            school: Some(school.to_owned()),
            schools: new_schools,
            school_chosen: false,
        },
        (Some(school), true) => Placement {
            school: Some(school.to_owned()),
            schools: vec![school.to_owned()],
            school_chosen: false,
        },
        (None, false) => match present(&before.school).filter(|s| has_school(&new_schools, s)) {
            Some(current) => Placement {
                school: Some(current.to_owned()),
                schools: new_schools,
                school_chosen: false,
            },
            None => Placement {
                school: first_school(&new_schools),
                schools: new_schools,
                school_chosen: true,
            },
        },
        (None, true) => {
            let mut schools = non_blank(&before.schools);
            if schools.is_empty() {
                schools.extend(present(&before.school).map(str::to_owned));
            }
            Placement {
                school: present(&before.school).map(str::to_owned),
                schools,
                school_chosen: false,
            }
        }
    }
}

/// The schools `before` had that `after` no longer has.
pub(crate) fn left_schools(before: &UserFields, after: &Placement) -> Vec<String> {
    let mut old = non_blank(&before.schools);
    if old.is_empty() {
        old.extend(present(&before.school).map(str::to_owned));
    }
    old.into_iter()
        .filter(|s| !has_school(&after.schools, s))
        .collect()
}

/// A membership map after a change: the sent map replaces the old one entirely (so `{}`
/// removes all memberships); an absent map keeps the old memberships, except those in
/// the schools the user leaves (`left`).
///
/// A PUT without `school_classes` removes every class (Kelvin 4.0.0
/// `routers/v1/user.py` `complete_update` sets the absent field to its default `{}`); a PUT
/// without `workgroups` keeps them, as any PATCH keeps an absent map.
pub(crate) fn memberships_after(
    field: &str,
    before: &Option<BTreeMap<String, Vec<String>>>,
    sent: &Option<BTreeMap<String, Vec<String>>>,
    left: &[String],
    kind: ChangeKind,
) -> BTreeMap<String, Vec<String>> {
    match sent {
        Some(map) => map.clone(),
        None if kind == ChangeKind::Replace && field == "school_classes" => BTreeMap::new(),
        None => before
            .iter()
            .flatten()
            .filter(|(school, _)| !has_school(left, school))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// Roles after a change (None when neither side says).
pub(crate) fn roles_after<'a>(
    before: &'a UserFields,
    change: &'a UserFields,
) -> Option<&'a [Role]> {
    change.roles.as_deref().or(before.roles.as_deref())
}

/// Legal guardians / wards after a change: sent value, else kept (PATCH) or cleared (PUT).
pub(crate) fn relations_after<'a>(
    before: &'a Option<Vec<String>>,
    sent: &'a Option<Vec<String>>,
    kind: ChangeKind,
) -> &'a [String] {
    match (sent, kind) {
        (Some(list), _) => list,
        (None, ChangeKind::Patch) => before.as_deref().unwrap_or(&[]),
        (None, ChangeKind::Replace) => &[],
    }
}

/// Whether a role list makes a staff user who is not a teacher.
pub(crate) fn staff_without_teacher(roles: &[Role]) -> bool {
    roles.contains(&Role::Staff) && !roles.contains(&Role::Teacher)
}

/// Whether any school in a membership map has at least one group.
pub(crate) fn any_groups(map: &BTreeMap<String, Vec<String>>) -> bool {
    map.values().any(|groups| !groups.is_empty())
}
