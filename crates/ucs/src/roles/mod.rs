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
pub use violation::{Rule, Violation};
