//! `ucsschool_roles` strings: `role:context_type:context`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Role;

/// One entry of a user's `ucsschool_roles`, such as `student:school:DEMOSCHOOL` or
/// `exam_user:exam:mathe-1`.
///
/// The role and context type are kept as text because UCS@school knows many more roles
/// (`school_class`, `dc_master`, ...) and deployments may add their own
/// (`myrole:mycontext:gym1`). A string is well-formed when it has exactly three
/// `:`-separated parts and none of them is empty.
///
/// ```
/// use ucs_ldap::{Role, UcsschoolRole};
/// let r: UcsschoolRole = "exam_user:school:DEMOSCHOOL".parse().unwrap();
/// assert_eq!(r.context, "DEMOSCHOOL");
/// assert_eq!(r.user_role(), Some(Role::Student));
/// assert_eq!(r.to_string(), "exam_user:school:DEMOSCHOOL");
/// assert!("student:DEMOSCHOOL".parse::<UcsschoolRole>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UcsschoolRole {
    /// The role, e.g. `student`, `teacher`, `exam_user`, `school_class`.
    pub role: String,
    /// The context type, e.g. `school` or `exam`.
    pub context_type: String,
    /// The context, e.g. the school (OU) name.
    pub context: String,
}

/// Why a `ucsschool_roles` string is malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UcsschoolRoleError {
    /// Not exactly three `:`-separated parts.
    #[error("ucsschool role {value:?} has {parts} part(s); expected role:context_type:context")]
    WrongPartCount {
        /// The rejected text.
        value: String,
        /// How many parts it has.
        parts: usize,
    },
    /// One of the three parts is empty.
    #[error("ucsschool role {value:?} has an empty {part}; expected role:context_type:context")]
    EmptyPart {
        /// The rejected text.
        value: String,
        /// Which part is empty: `role`, `context_type` or `context`.
        part: &'static str,
    },
}

impl UcsschoolRole {
    /// A school-context role string for a user role, e.g. `teacher:school:DEMOSCHOOL`.
    pub fn for_school(role: Role, school: &str) -> UcsschoolRole {
        UcsschoolRole {
            role: role.as_str().to_owned(),
            context_type: "school".to_owned(),
            context: school.to_owned(),
        }
    }

    /// The user role this entry stands for, if any: the five [`Role`] names, plus
    /// `exam_user` and the legacy `pupil`, which count as [`Role::Student`].
    pub fn user_role(&self) -> Option<Role> {
        match self.role.as_str() {
            "pupil" => Some(Role::Student),
            other => other.parse().ok(),
        }
    }

    /// Whether the context type is `school`.
    pub fn is_school_context(&self) -> bool {
        self.context_type == "school"
    }
}

impl FromStr for UcsschoolRole {
    type Err = UcsschoolRoleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(':').collect();
        let [role, context_type, context] = parts[..] else {
            return Err(UcsschoolRoleError::WrongPartCount {
                value: s.to_owned(),
                parts: parts.len(),
            });
        };
        for (part, name) in [
            (role, "role"),
            (context_type, "context_type"),
            (context, "context"),
        ] {
            if part.is_empty() {
                return Err(UcsschoolRoleError::EmptyPart {
                    value: s.to_owned(),
                    part: name,
                });
            }
        }
        Ok(UcsschoolRole {
            role: role.to_owned(),
            context_type: context_type.to_owned(),
            context: context.to_owned(),
        })
    }
}

impl fmt::Display for UcsschoolRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.role, self.context_type, self.context)
    }
}

impl Serialize for UcsschoolRole {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UcsschoolRole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
