//! UCS@school role rules, checked on the client before anything is sent.
//!
//! Kelvin enforces these rules on the server and answers a broken one with an error after
//! the fact; here they are pure functions over [`UserFields`] that return **every**
//! [`Violation`] at once, each naming the field path, the [`Rule`] and the value:
//!
//! * [`Role`], [`RoleSet`] (the allowed role combinations) and [`UcsschoolRole`]
//!   (`role:context_type:context` strings);
//! * [`check_create`] / [`check_create_with`] for a new user, [`check_change`] for a PUT
//!   ([`ChangeKind::Replace`]) or PATCH ([`ChangeKind::Patch`]);
//! * [`implied_effects`] / [`implied_effects_of_create`] for consequences that are not
//!   errors (memberships removed, schools left, the school the server picks).
//!
//! No I/O; the Kelvin facade converts its request types into [`UserFields`].
//!
//! # Where these rules are stricter than the server
//!
//! The rules follow UCS@school's documentation. The Kelvin 4.0.0 server itself accepts some
//! requests the documentation calls invalid (its UCS@school library's validator only logs
//! them). They stay refused here, because the result is rarely what the caller meant:
//!
//! | refused here | what Kelvin 4.0.0 would do |
//! |---|---|
//! | [`Rule::RoleCombination`]: `student` + `teacher`, `staff` + `legal_guardian`, ... | picks one user type by precedence (student > teacher and staff > teacher > staff > legal guardian > school admin, [`UserType`]) and stores e.g. a student with both role strings |
//! | [`Rule::SchoolNotInSchools`] on create | silently replaces `school` by the alphabetically first of `schools` |
//! | [`Rule::SchoolAdminToStudent`] for a user whose roles include `school_admin` | refuses only users with the `ucsschoolAdministrator` UDM option, which a teacher created with `school_admin` through Kelvin does not have: it converts them |
//! | [`Rule::RoleChangeIgnored`]: roles that make the same user type (`teacher` -> `teacher` + `school_admin`) | answers 200 and changes nothing |
//! | [`Rule::TooManyLegalGuardians`], [`Rule::TooManyLegalWards`] | the same limits, as a 400 after resolving the names |
//!
//! What the server does without an error is reported by [`implied_effects`]: a PATCH with
//! only `school` makes the user leave its other schools, a PUT without `school_classes`
//! removes every class, a PUT drops `ucsschool_roles` strings of other contexts it does
//! not send, and roles a user type does not carry get a role string but no UDM option
//! ([`ImpliedEffect::RolesNotCarried`]).
//!
//! ```
//! use ucs::roles::{check_create, Role, UserFields};
//! let user = UserFields {
//!     name: Some("mmueller".into()),
//!     firstname: Some("Max".into()),
//!     lastname: Some("Müller".into()),
//!     record_uid: Some("4711".into()),
//!     source_uid: Some("sis".into()),
//!     roles: Some(vec![Role::Student]),
//!     schools: Some(vec!["DEMOSCHOOL".into()]),
//!     ..Default::default()
//! };
//! assert!(check_create(&user).is_empty());
//! ```

mod effects;
mod resolve;
mod role_set;
mod rules;
mod user_fields;
mod user_type;
mod violation;

pub use effects::{implied_effects, implied_effects_of_create, ImpliedEffect, RemovalReason};
pub use role_set::{RoleSet, RoleSetError};
pub use rules::{
    check_change, check_create, check_create_with, MAX_EXPIRATION_YEAR, MAX_LEGAL_GUARDIANS,
    MAX_LEGAL_WARDS, MIN_EXPIRATION_YEAR,
};
pub use ucs_ldap::{Role, RoleParseError};
pub use ucs_ldap::{UcsschoolRole, UcsschoolRoleError};
pub use user_fields::{ChangeKind, CreateOptions, UserFields};
pub use user_type::UserType;
pub use violation::{Rule, Violation};
