//! The user type Kelvin 4.0.0 makes of a set of roles.
//!
//! Kelvin does not refuse a role combination: it picks one UCS@school user class by
//! precedence and gives the user that class's UDM options, container and role groups only,
//! while writing one `ucsschool_roles` string per requested role (Kelvin 4.0.0
//! `routers/v1/role.py` `SchoolUserRole.get_lib_class`, the importer's
//! `default_user_import_factory.make_import_user`). A role change whose new set maps to the
//! same class changes nothing on the server (`routers/v1/user.py` `change_roles`).

use std::fmt;

use super::Role;

/// The UCS@school user class a role set becomes on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserType {
    /// Any set with `student`.
    Student,
    /// `teacher` and `staff`.
    TeacherAndStaff,
    /// `teacher` (without staff).
    Teacher,
    /// `staff` (without teacher).
    Staff,
    /// `legal_guardian`.
    LegalGuardian,
    /// `school_admin` alone.
    SchoolAdmin,
}

impl UserType {
    /// The class for these roles, by Kelvin's precedence: student > teacher and staff >
    /// teacher > staff > legal guardian > school admin. `None` for no roles.
    pub fn of(roles: &[Role]) -> Option<UserType> {
        let has = |r| roles.contains(&r);
        let kind = if has(Role::Student) {
            UserType::Student
        } else if has(Role::Teacher) && has(Role::Staff) {
            UserType::TeacherAndStaff
        } else if has(Role::Teacher) {
            UserType::Teacher
        } else if has(Role::Staff) {
            UserType::Staff
        } else if has(Role::LegalGuardian) {
            UserType::LegalGuardian
        } else if has(Role::SchoolAdmin) {
            UserType::SchoolAdmin
        } else {
            return None;
        };
        Some(kind)
    }

    /// The roles the class carries in UDM (its options and groups).
    pub fn roles(self) -> &'static [Role] {
        match self {
            UserType::Student => &[Role::Student],
            UserType::TeacherAndStaff => &[Role::Staff, Role::Teacher],
            UserType::Teacher => &[Role::Teacher],
            UserType::Staff => &[Role::Staff],
            UserType::LegalGuardian => &[Role::LegalGuardian],
            UserType::SchoolAdmin => &[Role::SchoolAdmin],
        }
    }

    /// The requested roles the class does not carry (e.g. `school_admin` of a teacher).
    pub fn missing(self, roles: &[Role]) -> Vec<Role> {
        let mut out: Vec<Role> = roles
            .iter()
            .copied()
            .filter(|r| !self.roles().contains(r))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

impl fmt::Display for UserType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UserType::Student => "student",
            UserType::TeacherAndStaff => "teacher and staff",
            UserType::Teacher => "teacher",
            UserType::Staff => "staff",
            UserType::LegalGuardian => "legal guardian",
            UserType::SchoolAdmin => "school admin",
        })
    }
}
