//! The UCS@school user roles and how they appear in UDM (options, containers, role strings).

use std::collections::BTreeMap;

/// A UCS@school user role (`exam_user` is not a role of its own: it counts as student).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum SchoolRole {
    /// `legal_guardian`
    LegalGuardian,
    /// `school_admin`
    SchoolAdmin,
    /// `staff`
    Staff,
    /// `student`
    Student,
    /// `teacher`
    Teacher,
}

impl SchoolRole {
    /// Every role, in name order.
    pub const ALL: [SchoolRole; 5] = [
        SchoolRole::LegalGuardian,
        SchoolRole::SchoolAdmin,
        SchoolRole::Staff,
        SchoolRole::Student,
        SchoolRole::Teacher,
    ];

    /// The Kelvin name (`school_admin`).
    pub fn name(self) -> &'static str {
        match self {
            SchoolRole::LegalGuardian => "legal_guardian",
            SchoolRole::SchoolAdmin => "school_admin",
            SchoolRole::Staff => "staff",
            SchoolRole::Student => "student",
            SchoolRole::Teacher => "teacher",
        }
    }

    /// A human readable name.
    pub fn display_name(self) -> &'static str {
        match self {
            SchoolRole::LegalGuardian => "Legal Guardian",
            SchoolRole::SchoolAdmin => "School Administrator",
            SchoolRole::Staff => "Staff",
            SchoolRole::Student => "Student",
            SchoolRole::Teacher => "Teacher",
        }
    }

    /// Parses a Kelvin role name; `exam_user` counts as student.
    pub fn parse(name: &str) -> Option<SchoolRole> {
        match name {
            "legal_guardian" => Some(SchoolRole::LegalGuardian),
            "school_admin" => Some(SchoolRole::SchoolAdmin),
            "staff" => Some(SchoolRole::Staff),
            "student" | "exam_user" => Some(SchoolRole::Student),
            "teacher" => Some(SchoolRole::Teacher),
            _ => None,
        }
    }

    /// The UDM option that marks a user with this role.
    pub fn option(self) -> &'static str {
        match self {
            SchoolRole::LegalGuardian => "ucsschoolLegalGuardian",
            SchoolRole::SchoolAdmin => "ucsschoolAdministrator",
            SchoolRole::Staff => "ucsschoolStaff",
            SchoolRole::Student => "ucsschoolStudent",
            SchoolRole::Teacher => "ucsschoolTeacher",
        }
    }

    /// The roles a user's UDM options express.
    pub fn from_options(options: &BTreeMap<String, bool>) -> Vec<SchoolRole> {
        let mut roles: Vec<SchoolRole> = SchoolRole::ALL
            .into_iter()
            .filter(|r| options.get(r.option()).copied().unwrap_or(false))
            .collect();
        if options.get("ucsschoolExam").copied().unwrap_or(false)
            && !roles.contains(&SchoolRole::Student)
        {
            roles.push(SchoolRole::Student);
            roles.sort();
        }
        roles
    }
}

/// The container below `cn=users,ou=<school>` where users with these roles live.
pub(crate) fn user_container(roles: &[SchoolRole]) -> &'static str {
    let has = |r| roles.contains(&r);
    if has(SchoolRole::Student) {
        "schueler"
    } else if has(SchoolRole::Teacher) && has(SchoolRole::Staff) {
        "lehrer und mitarbeiter"
    } else if has(SchoolRole::Teacher) {
        "lehrer"
    } else if has(SchoolRole::Staff) {
        "mitarbeiter"
    } else if has(SchoolRole::SchoolAdmin) {
        "admins"
    } else {
        "eltern"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_options_and_containers() {
        for role in SchoolRole::ALL {
            assert_eq!(SchoolRole::parse(role.name()), Some(role));
        }
        assert_eq!(SchoolRole::parse("exam_user"), Some(SchoolRole::Student));
        assert_eq!(SchoolRole::parse("admin"), None);
        let mut options = BTreeMap::new();
        options.insert("ucsschoolTeacher".to_string(), true);
        options.insert("ucsschoolStaff".to_string(), true);
        options.insert("pki".to_string(), true);
        let roles = SchoolRole::from_options(&options);
        assert_eq!(roles, vec![SchoolRole::Staff, SchoolRole::Teacher]);
        assert_eq!(user_container(&roles), "lehrer und mitarbeiter");
        assert_eq!(user_container(&[SchoolRole::SchoolAdmin]), "admins");
        assert_eq!(
            user_container(&[SchoolRole::SchoolAdmin, SchoolRole::Teacher]),
            "lehrer"
        );
    }
}
