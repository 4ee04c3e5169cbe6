//! Consequences of a request that are not errors but that a caller should know about.

use std::fmt;

use super::resolve::{
    has_groups_in, has_school, left_schools, memberships_after, place_change, place_create,
};
use super::{ChangeKind, Role, UserFields, UserType};

/// Why memberships disappear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RemovalReason {
    /// The request sends the membership map, and the map no longer lists these groups'
    /// school (an empty map `{}` removes all memberships).
    ReplacedByRequest,
    /// The user leaves the school, and the memberships in it go with it.
    SchoolLeft,
    /// A full replacement (PUT) without `school_classes` removes every class (Kelvin
    /// 4.0.0 `complete_update`).
    NotSent,
}

/// Something a request implies without being a rule violation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImpliedEffect {
    /// `school` was not sent; the server takes `school` as the alphabetically first of the
    /// sent `schools`.
    SchoolChosen {
        /// The school the server will take.
        school: String,
    },
    /// The user leaves these schools.
    SchoolsLeft {
        /// Schools the user was in and will no longer be in.
        schools: Vec<String>,
    },
    /// All memberships of one school in `school_classes` or `workgroups` are removed.
    MembershipsRemoved {
        /// `school_classes` or `workgroups`.
        field: &'static str,
        /// The school.
        school: String,
        /// The groups the user leaves.
        groups: Vec<String>,
        /// Why.
        reason: RemovalReason,
    },
    /// The roles make a user type that does not carry all of them: Kelvin gives the user
    /// that type's options and groups only (a teacher with `school_admin` gets no
    /// `ucsschoolAdministrator` option and no `admins-<school>` group), though it writes
    /// a role string for every requested role.
    RolesNotCarried {
        /// The type the server makes.
        user_type: UserType,
        /// The requested roles the type does not carry.
        roles: Vec<Role>,
    },
    /// A full replacement (PUT) drops the `ucsschool_roles` strings of other contexts
    /// (`foo:bar:baz`) that it does not send (Kelvin 4.0.0 `complete_update`).
    RoleStringsDropped {
        /// The strings removed.
        strings: Vec<String>,
    },
    /// A full replacement (PUT) without `legal_guardians` / `legal_wards` clears them.
    RelationsCleared {
        /// `legal_guardians` or `legal_wards`.
        field: &'static str,
        /// The user names that are no longer linked.
        users: Vec<String>,
    },
}

impl fmt::Display for ImpliedEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImpliedEffect::SchoolChosen { school } => write!(
                f,
                "school is not sent, so the server takes {school:?}, the alphabetically first of schools."
            ),
            ImpliedEffect::SchoolsLeft { schools } => {
                write!(f, "The user leaves the schools [{}].", schools.join(", "))
            }
            ImpliedEffect::MembershipsRemoved {
                field,
                school,
                groups,
                reason,
            } => {
                let why = match reason {
                    RemovalReason::ReplacedByRequest => "the sent map no longer lists the school",
                    RemovalReason::SchoolLeft => "the user leaves the school",
                    RemovalReason::NotSent => "a full replacement without school_classes removes all",
                };
                write!(
                    f,
                    "The user leaves {field} [{}] in school {school:?} because {why}.",
                    groups.join(", ")
                )
            }
            ImpliedEffect::RolesNotCarried { user_type, roles } => write!(
                f,
                "The server makes the user a {user_type}; the roles [{}] get a role string but not the options and groups of that role.",
                roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            ),
            ImpliedEffect::RoleStringsDropped { strings } => write!(
                f,
                "A full replacement drops the ucsschool_roles [{}] it does not send.",
                strings.join(", ")
            ),
            ImpliedEffect::RelationsCleared { field, users } => write!(
                f,
                "A full replacement without {field} clears [{}].",
                users.join(", ")
            ),
        }
    }
}

/// What a create request implies: the school the server picks (only `schools` sent) and
/// roles the user type does not carry ([`ImpliedEffect::RolesNotCarried`]).
pub fn implied_effects_of_create(user: &UserFields) -> Vec<ImpliedEffect> {
    let placement = place_create(user);
    let mut out = Vec::new();
    if let (true, Some(school)) = (placement.school_chosen, placement.school) {
        out.push(ImpliedEffect::SchoolChosen { school });
    }
    out.extend(roles_not_carried(user.roles.as_deref()));
    out
}

fn roles_not_carried(roles: Option<&[Role]>) -> Option<ImpliedEffect> {
    let roles = roles?;
    let user_type = UserType::of(roles)?;
    let missing = user_type.missing(roles);
    (!missing.is_empty()).then_some(ImpliedEffect::RolesNotCarried {
        user_type,
        roles: missing,
    })
}

/// Whether two role lists are the same set.
fn same_roles(a: &Option<Vec<Role>>, b: &Option<Vec<Role>>) -> bool {
    let (a, b) = (a.as_deref().unwrap_or(&[]), b.as_deref().unwrap_or(&[]));
    a.iter().all(|r| b.contains(r)) && b.iter().all(|r| a.contains(r))
}

/// The `ucsschool_roles` strings of contexts other than `school` that a PUT removes.
fn role_strings_dropped(before: &UserFields, change: &UserFields) -> Option<ImpliedEffect> {
    let sent = change.ucsschool_roles.as_deref().unwrap_or(&[]);
    let strings: Vec<String> = before
        .ucsschool_roles
        .iter()
        .flatten()
        .filter(|s| s.split(':').nth(1) != Some("school") && !sent.contains(s))
        .cloned()
        .collect();
    (!strings.is_empty()).then_some(ImpliedEffect::RoleStringsDropped { strings })
}

/// What a change implies beyond its own fields: the school the server picks, schools the
/// user leaves, memberships that disappear (a replaced map, or a school left) and, for a
/// PUT, legal guardians / wards cleared because they were not sent.
///
/// ```
/// use std::collections::BTreeMap;
/// use ucs::roles::{implied_effects, ChangeKind, ImpliedEffect, UserFields};
/// let before = UserFields {
///     school: Some("A".into()),
///     schools: Some(vec!["A".into(), "B".into()]),
///     school_classes: Some(BTreeMap::from([("A".into(), vec!["1a".into()])])),
///     ..Default::default()
/// };
/// let change = UserFields { school: Some("B".into()), ..Default::default() };
/// let effects = implied_effects(&before, &change, ChangeKind::Patch);
/// assert_eq!(effects[0], ImpliedEffect::SchoolsLeft { schools: vec!["A".into()] });
/// ```
pub fn implied_effects(
    before: &UserFields,
    change: &UserFields,
    kind: ChangeKind,
) -> Vec<ImpliedEffect> {
    let mut out = Vec::new();
    let placement = place_change(before, change);
    if placement.school_chosen {
        if let Some(school) = &placement.school {
            out.push(ImpliedEffect::SchoolChosen {
                school: school.clone(),
            });
        }
    }
    let left = left_schools(before, &placement);
    if !left.is_empty() {
        out.push(ImpliedEffect::SchoolsLeft {
            schools: left.clone(),
        });
    }
    for (field, old, sent) in [
        (
            "school_classes",
            &before.school_classes,
            &change.school_classes,
        ),
        ("workgroups", &before.workgroups, &change.workgroups),
    ] {
        let next = memberships_after(field, old, sent, &left, kind);
        for (school, groups) in old.iter().flatten() {
            if groups.is_empty() || has_groups_in(&next, school) {
                continue;
            }
            let reason = if sent.is_none() && has_school(&left, school) {
                RemovalReason::SchoolLeft
            } else if sent.is_none() {
                RemovalReason::NotSent
            } else {
                RemovalReason::ReplacedByRequest
            };
            out.push(ImpliedEffect::MembershipsRemoved {
                field,
                school: school.clone(),
                groups: groups.clone(),
                reason,
            });
        }
    }
    if change.roles.is_some() && !same_roles(&before.roles, &change.roles) {
        out.extend(roles_not_carried(change.roles.as_deref()));
    }
    if kind == ChangeKind::Replace {
        out.extend(role_strings_dropped(before, change));
        for (field, old, sent) in [
            (
                "legal_guardians",
                &before.legal_guardians,
                &change.legal_guardians,
            ),
            ("legal_wards", &before.legal_wards, &change.legal_wards),
        ] {
            match (old, sent) {
                (Some(users), None) if !users.is_empty() => {
                    out.push(ImpliedEffect::RelationsCleared {
                        field,
                        users: users.clone(),
                    })
                }
                _ => {}
            }
        }
    }
    out
}
