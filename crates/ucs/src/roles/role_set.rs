//! The allowed combinations of roles.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Role;

/// A set of roles that UCS@school allows one user to have.
///
/// Allowed are exactly one role, or `staff` + `teacher`; `school_admin` may additionally be
/// combined with `staff` and/or `teacher`. So the nine allowed sets are `{staff}`,
/// `{student}`, `{teacher}`, `{school_admin}`, `{legal_guardian}`, `{staff, teacher}`,
/// `{school_admin, staff}`, `{school_admin, teacher}` and `{school_admin, staff, teacher}`.
/// A role listed twice counts once (the server treats the list as a set).
///
/// ```
/// use ucs::roles::{Role, RoleSet};
/// let set = RoleSet::new([Role::Teacher, Role::Staff]).unwrap();
/// assert!(set.contains(Role::Teacher));
/// assert_eq!(set.to_string(), "staff, teacher");
/// assert!(RoleSet::new([Role::Student, Role::Teacher]).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<Role>", into = "Vec<Role>")]
pub struct RoleSet {
    bits: u8,
}

/// Why a list of roles is not an allowed [`RoleSet`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoleSetError {
    /// No role at all.
    #[error("a user needs at least one role")]
    Empty,
    /// A combination UCS@school does not allow.
    #[error("the role combination [{}] is not allowed; allowed are exactly one role, staff with teacher, or school_admin with staff and/or teacher", join(.roles))]
    NotAllowed {
        /// The distinct roles that were combined, sorted.
        roles: Vec<Role>,
    },
}

fn join(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

const fn bit(role: Role) -> u8 {
    match role {
        Role::Staff => 1,
        Role::Student => 2,
        Role::Teacher => 4,
        Role::SchoolAdmin => 8,
        Role::LegalGuardian => 16,
    }
}

const STAFF: u8 = bit(Role::Staff);
const TEACHER: u8 = bit(Role::Teacher);
const ADMIN: u8 = bit(Role::SchoolAdmin);

impl RoleSet {
    /// Builds a set from roles (duplicates are ignored), rejecting empty and disallowed sets.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Result<RoleSet, RoleSetError> {
        let bits = roles.into_iter().fold(0u8, |acc, r| acc | bit(r));
        let set = RoleSet { bits };
        if bits == 0 {
            return Err(RoleSetError::Empty);
        }
        let single = bits.count_ones() == 1;
        let staff_teacher_admin = bits & !(STAFF | TEACHER | ADMIN) == 0;
        // Two or more of staff/teacher/school_admin and nothing else.
        if single || staff_teacher_admin {
            Ok(set)
        } else {
            Err(RoleSetError::NotAllowed { roles: set.roles() })
        }
    }

    /// Whether `role` is in the set.
    pub fn contains(self, role: Role) -> bool {
        self.bits & bit(role) != 0
    }

    /// The roles, sorted in [`Role`] order.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| self.bits & bit(*r) != 0)
            .collect()
    }

    /// Number of roles (1 to 3).
    pub fn len(self) -> usize {
        self.bits.count_ones() as usize
    }

    /// Always `false`: an allowed set is never empty (provided for API completeness).
    pub fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// Whether this is a staff user that is not also a teacher (`{staff}` or
    /// `{school_admin, staff}`): such users cannot be members of school classes.
    pub fn is_staff_without_teacher(self) -> bool {
        self.contains(Role::Staff) && !self.contains(Role::Teacher)
    }
}

impl fmt::Debug for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.roles()).finish()
    }
}

impl fmt::Display for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&join(&self.roles()))
    }
}

impl TryFrom<Vec<Role>> for RoleSet {
    type Error = RoleSetError;

    fn try_from(roles: Vec<Role>) -> Result<Self, Self::Error> {
        RoleSet::new(roles)
    }
}

impl From<RoleSet> for Vec<Role> {
    fn from(set: RoleSet) -> Self {
        set.roles()
    }
}
