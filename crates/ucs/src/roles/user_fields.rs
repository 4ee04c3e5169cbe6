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

/// Options for [`check_create_with`](super::check_create_with): which fields the server
/// fills when a create leaves them out. A field left out is then no violation; a field
/// sent blank still is. Every other rule stays on.
///
/// What Kelvin 4.0.0 does with a create that leaves them out (kelvin-api
/// `routers/v1/user.py` `create`; ucs-school-import `importer/models/import_user.py`
/// `make_username`, `make_record_uid`, `make_source_uid`):
/// * `name`: made from the import configuration's `scheme.username` template; without
///   one (Kelvin's default configuration has none) the create fails with 400 `No username
///   was created`.
/// * `record_uid`: made from `scheme.record_uid`; without one the create fails with 400
///   `source_uid or record_uid are not set`.
/// * `source_uid`: always the configuration's `source_uid` (default `Kelvin`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CreateOptions {
    /// The server has a user name template (`scheme.username`), so a create request may
    /// leave `name` out.
    pub name_from_template: bool,
    /// The server has a `record_uid` template (`scheme.record_uid`), so a create request
    /// may leave `record_uid` out.
    pub record_uid_from_template: bool,
    /// The server fills a missing `source_uid` with its configured one (Kelvin 4.0.0
    /// always does).
    pub source_uid_from_server: bool,
}

impl CreateOptions {
    /// What every Kelvin 4.0.0 fills: `source_uid` (with its configured one).
    pub fn kelvin() -> Self {
        CreateOptions {
            source_uid_from_server: true,
            ..Default::default()
        }
    }

    /// The server also makes user names from a template.
    pub fn name_from_template(mut self) -> Self {
        self.name_from_template = true;
        self
    }

    /// The server also makes `record_uid`s from a template.
    pub fn record_uid_from_template(mut self) -> Self {
        self.record_uid_from_template = true;
        self
    }
}
