//! The LDAP grammar shared by the `ucs` clients and the `ucs-sim` emulator, so that both
//! read and write names and filters the same way:
//!
//! * [`Dn`]: distinguished names (RFC 4514): parse, escape, display, navigate, and compare
//!   as LDAP does ([`Dn::key`]); [`canonical`] offers the same grammar as functions over
//!   canonical strings;
//! * [`Filter`]: search filters (RFC 4515), built with escaping and written with `Display`;
//!   parsed with `FromStr` when the `parse` feature is on;
//! * [`Role`] and [`UcsschoolRole`]: the UCS@school user roles and the
//!   `role:context_type:context` strings of `ucsschool_roles`.
//!
//! ```
//! use ucs_ldap::{Dn, Filter, Role};
//! let users: Dn = "cn=users,dc=example,dc=com".parse()?;
//! let f = Filter::and([Filter::eq("uid", "a*b"), Filter::present("mail")]);
//! assert_eq!(f.to_string(), r"(&(uid=a\2ab)(mail=*))");
//! assert_eq!(users.child("uid", "jdoe").to_string(), "uid=jdoe,cn=users,dc=example,dc=com");
//! assert_eq!("teacher".parse::<Role>().unwrap().udm_option(), "ucsschoolTeacher");
//! # Ok::<(), ucs_ldap::DnError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod dn;
pub mod filter;
mod role;
mod ucsschool_role;

pub use dn::{canonical, escape_value, Ava, Dn, DnError, Rdn};
pub use filter::{escape_filter_value, Filter};
#[cfg(feature = "parse")]
pub use filter::{FilterError, MAX_FILTER_DEPTH};
pub use role::{Role, RoleParseError};
pub use ucsschool_role::{UcsschoolRole, UcsschoolRoleError};
