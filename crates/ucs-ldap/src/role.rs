//! The five UCS@school user roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UCS@school user role, as Kelvin names it in `/ucsschool/kelvin/v1/roles/{name}`.
///
/// Parsing (`FromStr`, serde) accepts the five canonical names and, because the server
/// counts an exam user as a student, also `exam_user`, which becomes [`Role::Student`].
/// That mapping is one-way: formatting always yields the canonical name (`student`), so
/// `"exam_user".parse::<Role>()?.to_string() == "student"`. Use
/// [`UcsschoolRole`](crate::UcsschoolRole) to keep the exact role string of an exam user.
///
/// ```
/// use ucs_ldap::Role;
/// assert_eq!("school_admin".parse::<Role>().unwrap(), Role::SchoolAdmin);
/// assert_eq!("exam_user".parse::<Role>().unwrap(), Role::Student);
/// assert_eq!(Role::LegalGuardian.to_string(), "legal_guardian");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// `staff`: school staff (secretary, caretaker, ...), never in school classes.
    Staff,
    /// `student` (also parsed from `exam_user`).
    Student,
    /// `teacher`.
    Teacher,
    /// `school_admin`: administrator of one or more schools.
    SchoolAdmin,
    /// `legal_guardian`: parent or other guardian of students.
    LegalGuardian,
}

impl Role {
    /// All five roles, in declaration order.
    pub const ALL: [Role; 5] = [
        Role::Staff,
        Role::Student,
        Role::Teacher,
        Role::SchoolAdmin,
        Role::LegalGuardian,
    ];

    /// The canonical name (`staff`, `student`, `teacher`, `school_admin`, `legal_guardian`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Student => "student",
            Role::Teacher => "teacher",
            Role::SchoolAdmin => "school_admin",
            Role::LegalGuardian => "legal_guardian",
        }
    }

    /// All five roles in the order of their names (`legal_guardian`, `school_admin`,
    /// `staff`, `student`, `teacher`), the order Kelvin lists them in.
    pub const BY_NAME: [Role; 5] = [
        Role::LegalGuardian,
        Role::SchoolAdmin,
        Role::Staff,
        Role::Student,
        Role::Teacher,
    ];

    /// The UDM option of `users/user` that marks a user with this role
    /// (`ucsschoolStudent`, ...; UCS@school's `ucsschool.lib.models.user` classes).
    pub fn udm_option(self) -> &'static str {
        match self {
            Role::LegalGuardian => "ucsschoolLegalGuardian",
            Role::SchoolAdmin => "ucsschoolAdministrator",
            Role::Staff => "ucsschoolStaff",
            Role::Student => "ucsschoolStudent",
            Role::Teacher => "ucsschoolTeacher",
        }
    }

    /// The English display name Kelvin's `/roles/` resource serves.
    pub fn display_name(self) -> &'static str {
        match self {
            Role::LegalGuardian => "Legal Guardian",
            Role::SchoolAdmin => "School Administrator",
            Role::Staff => "Staff",
            Role::Student => "Student",
            Role::Teacher => "Teacher",
        }
    }

    /// Parses a role name or a Kelvin role URL (`https://host/ucsschool/kelvin/v1/roles/teacher`,
    /// with or without a trailing `/`): the last non-empty path segment is the name.
    ///
    /// ```
    /// use ucs_ldap::Role;
    /// let url = "https://dc.example.org/ucsschool/kelvin/v1/roles/teacher";
    /// assert_eq!(Role::from_name_or_url(url).unwrap(), Role::Teacher);
    /// ```
    pub fn from_name_or_url(value: &str) -> Result<Role, RoleParseError> {
        let name = value
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(value);
        name.parse().map_err(|_| RoleParseError {
            value: value.to_owned(),
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not one of the role names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {value:?}; expected one of staff, student, teacher, school_admin, legal_guardian (or exam_user)")]
pub struct RoleParseError {
    /// The rejected text.
    pub value: String,
}

impl FromStr for Role {
    type Err = RoleParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "staff" => Ok(Role::Staff),
            "student" | "exam_user" => Ok(Role::Student),
            "teacher" => Ok(Role::Teacher),
            "school_admin" => Ok(Role::SchoolAdmin),
            "legal_guardian" => Ok(Role::LegalGuardian),
            _ => Err(RoleParseError {
                value: s.to_owned(),
            }),
        }
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
