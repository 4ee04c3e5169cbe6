//! The view of a school user that the role rules work on.

use std::collections::BTreeMap;

use super::Role;

/// What the role rules see of a school user: a create request, the user as it is, or a
/// change (PUT/PATCH body). `None` = the field is absent (not sent).
///
/// School names are plain names (`DEMOSCHOOL`), not URLs; `school_classes` and `workgroups`
/// map a school name to group names without the school prefix (`{"DEMOSCHOOL": ["1a"]}`),
/// as Kelvin shows them. `legal_guardians` / `legal_wards` hold user names.
/// The Kelvin facade converts its request and resource types into this shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserFields {
    /// User name (`uid`).
    pub name: Option<String>,
    /// Given name.
    pub firstname: Option<String>,
    /// Family name.
    pub lastname: Option<String>,
    /// Identifier in the source database.
    pub record_uid: Option<String>,
    /// Identifier of the source database.
    pub source_uid: Option<String>,
    /// Roles (see [`RoleSet`](super::RoleSet) for the allowed combinations).
    pub roles: Option<Vec<Role>>,
    /// Primary school (OU name).
    pub school: Option<String>,
    /// All schools of the user.
    pub schools: Option<Vec<String>>,
    /// School classes by school.
    pub school_classes: Option<BTreeMap<String, Vec<String>>>,
    /// Workgroups by school.
    pub workgroups: Option<BTreeMap<String, Vec<String>>>,
    /// User names of the legal guardians (students only).
    pub legal_guardians: Option<Vec<String>>,
    /// User names of the legal wards (legal guardians only).
    pub legal_wards: Option<Vec<String>>,
    /// Account expiration date.
    pub expiration_date: Option<chrono::NaiveDate>,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Option<Vec<String>>,
}

/// How a change is sent to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// PUT: a full replacement. `name`, `firstname`, `lastname`, `record_uid`,
    /// `source_uid`, `roles` and `school` or `schools` are required. An absent
    /// `school_classes` removes every class, an absent `workgroups` keeps them; absent
    /// `legal_guardians` / `legal_wards` are cleared; `ucsschool_roles` strings of other
    /// contexts that are not sent are dropped (Kelvin 4.0.0 `complete_update`).
    Replace,
    /// PATCH: only the fields sent change; absent fields keep their values.
    Patch,
}

/// Options for [`check_create_with`](super::check_create_with).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CreateOptions {
    /// The server has a user name template (Kelvin's `username` import configuration), so
    /// a create request may leave `name` out.
    pub name_from_template: bool,
}
