//! Records: roster rows mapped to user attributes through `csv.mapping`, with the
//! importer's derivations of role, source, school, schools, classes, workgroups and dates.
//! Generated values (user name, mail address, password) come later, in planning.

mod dates;
mod groups;
mod map;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use ucs::roles::Role;
use ucs::Secret;

pub use dates::parse_date;
pub use groups::{parse_groups, replace_invalid, Groups};
pub(crate) use map::lookup;
pub use map::map_row;

use crate::config::UserRole;

/// Classes or workgroups of a record: not in the roster (keep what the user has), or set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Memberships {
    /// The column is not mapped: existing users keep theirs, new users get none.
    Keep,
    /// The column is mapped and empty, with `*_keep_if_empty`: keep those in schools the
    /// user stays in.
    KeepInSchools,
    /// These memberships.
    Set(Groups),
}

/// The desired state of one user, from one roster row.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The row's line number.
    pub row: usize,
    /// The kind of user.
    pub role: UserRole,
    /// Kelvin roles.
    pub roles: Vec<Role>,
    /// `record_uid` (empty if neither the row nor a template gives one).
    pub record_uid: String,
    /// `source_uid`.
    pub source_uid: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// A user name given by the roster.
    pub name: Option<String>,
    /// A mail address given by the roster (`Some("")` removes it).
    pub email: Option<String>,
    /// Primary school.
    pub school: String,
    /// All schools, sorted.
    pub schools: Vec<String>,
    /// Classes.
    pub school_classes: Memberships,
    /// Workgroups.
    pub workgroups: Memberships,
    /// Birthday (`None`: empty or not mapped).
    pub birthday: Option<NaiveDate>,
    /// Account expiry given by the roster.
    pub expiration_date: Option<NaiveDate>,
    /// UDM properties given by the roster.
    pub udm_properties: BTreeMap<String, Value>,
    /// A password given by the roster (used for new users only).
    pub password: Option<Secret>,
    /// The `__action` column (`D` = remove this user).
    pub action: Option<String>,
    /// Attribute -> raw cell, for templates (`<firstname>`, `<Klasse>` ...).
    pub input: BTreeMap<String, String>,
}
