//! The importer's role names (`user_role`, the `__role` column, per-role settings).

use serde::{Deserialize, Serialize};
use ucs::roles::Role;

/// A kind of user as the importer's configuration names it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// `student`
    Student,
    /// `teacher`
    Teacher,
    /// `staff`
    Staff,
    /// `teacher_and_staff`
    TeacherAndStaff,
    /// `legal_guardian`
    LegalGuardian,
    /// `school_admin`
    SchoolAdmin,
}

impl UserRole {
    /// The configuration key (`student`, `teacher_and_staff`, ...).
    pub fn key(self) -> &'static str {
        match self {
            UserRole::Student => "student",
            UserRole::Teacher => "teacher",
            UserRole::Staff => "staff",
            UserRole::TeacherAndStaff => "teacher_and_staff",
            UserRole::LegalGuardian => "legal_guardian",
            UserRole::SchoolAdmin => "school_admin",
        }
    }

    /// A `user_role` value of the configuration.
    pub fn from_config(value: &str) -> Option<UserRole> {
        Some(match value {
            "student" => UserRole::Student,
            "teacher" => UserRole::Teacher,
            "staff" => UserRole::Staff,
            "teacher_and_staff" => UserRole::TeacherAndStaff,
            "legal_guardian" => UserRole::LegalGuardian,
            "school_admin" => UserRole::SchoolAdmin,
            _ => return None,
        })
    }

    /// A value of the `__role` column; `staffteacher` is accepted as well.
    pub fn from_column(value: &str) -> Option<UserRole> {
        match value {
            "staffteacher" => Some(UserRole::TeacherAndStaff),
            "school_admin" => None,
            other => UserRole::from_config(other),
        }
    }

    /// The Kelvin roles.
    pub fn roles(self) -> Vec<Role> {
        match self {
            UserRole::Student => vec![Role::Student],
            UserRole::Teacher => vec![Role::Teacher],
            UserRole::Staff => vec![Role::Staff],
            UserRole::TeacherAndStaff => vec![Role::Teacher, Role::Staff],
            UserRole::LegalGuardian => vec![Role::LegalGuardian],
            UserRole::SchoolAdmin => vec![Role::SchoolAdmin],
        }
    }

    /// The kind of a user with these roles, in the importer's order of precedence
    /// (student, then teacher with or without staff, staff, legal guardian, school admin).
    pub fn of_roles(roles: &[Role]) -> Option<UserRole> {
        let has = |r: Role| roles.contains(&r);
        if has(Role::Student) {
            Some(UserRole::Student)
        } else if has(Role::Teacher) && has(Role::Staff) {
            Some(UserRole::TeacherAndStaff)
        } else if has(Role::Teacher) {
            Some(UserRole::Teacher)
        } else if has(Role::Staff) {
            Some(UserRole::Staff)
        } else if has(Role::LegalGuardian) {
            Some(UserRole::LegalGuardian)
        } else if has(Role::SchoolAdmin) {
            Some(UserRole::SchoolAdmin)
        } else {
            None
        }
    }
}
