//! The UCS@school lib's user classes (`ImportStudent`, `ImportTeacher`, ...): which one a
//! write uses (`DefaultUserImportFactory.make_import_user`: student > teacher+staff >
//! teacher > staff > legal guardian > school admin), which one an existing user is
//! (`User.get_class_for_udm_obj`, by its UDM options), and what each class means in the
//! directory: options, container, role groups (`ucsschool/lib/models/user.py`).

use std::collections::BTreeMap;
use ucs_ldap::Role;

/// A lib user class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserClass {
    /// `ImportStudent`.
    Student,
    /// `ImportTeacher`.
    Teacher,
    /// `ImportStaff`.
    Staff,
    /// `ImportTeachersAndStaff`.
    TeachersAndStaff,
    /// `ImportSchoolAdmin`.
    SchoolAdmin,
    /// `ImportLegalGuardian`.
    LegalGuardian,
}

/// The UDM options of the five user roles.
pub(crate) const ROLE_OPTIONS: [&str; 5] = [
    "ucsschoolStudent",
    "ucsschoolTeacher",
    "ucsschoolStaff",
    "ucsschoolAdministrator",
    "ucsschoolLegalGuardian",
];

impl UserClass {
    /// The class a write with these roles uses (`None` for no roles: the lib's plain
    /// `ImportUser`, which the server cannot write).
    pub fn for_roles(roles: &[Role]) -> Option<Self> {
        let has = |r| roles.contains(&r);
        Some(if has(Role::Student) {
            UserClass::Student
        } else if has(Role::Teacher) && has(Role::Staff) {
            UserClass::TeachersAndStaff
        } else if has(Role::Teacher) {
            UserClass::Teacher
        } else if has(Role::Staff) {
            UserClass::Staff
        } else if has(Role::LegalGuardian) {
            UserClass::LegalGuardian
        } else if has(Role::SchoolAdmin) {
            UserClass::SchoolAdmin
        } else {
            return None;
        })
    }

    /// The class of an existing user, by its options (exam users count as students).
    pub fn of_options(options: &BTreeMap<String, bool>) -> Option<Self> {
        let on = |o: &str| options.get(o).copied().unwrap_or(false);
        Some(if on("ucsschoolTeacher") && on("ucsschoolStaff") {
            UserClass::TeachersAndStaff
        } else if on("ucsschoolTeacher") {
            UserClass::Teacher
        } else if on("ucsschoolLegalGuardian") {
            UserClass::LegalGuardian
        } else if on("ucsschoolStaff") {
            UserClass::Staff
        } else if on("ucsschoolStudent") {
            UserClass::Student
        } else if on("ucsschoolAdministrator") {
            UserClass::SchoolAdmin
        } else {
            return None;
        })
    }

    /// The class's name in the server's messages.
    pub fn lib_name(self) -> &'static str {
        match self {
            UserClass::Student => "ImportStudent",
            UserClass::Teacher => "ImportTeacher",
            UserClass::Staff => "ImportStaff",
            UserClass::TeachersAndStaff => "ImportTeachersAndStaff",
            UserClass::SchoolAdmin => "ImportSchoolAdmin",
            UserClass::LegalGuardian => "ImportLegalGuardian",
        }
    }

    /// The class's role set (`roles` of the lib class); a role change to a class with the same
    /// set does nothing (`change_roles`).
    pub fn roles(self) -> &'static [Role] {
        match self {
            UserClass::Student => &[Role::Student],
            UserClass::Teacher => &[Role::Teacher],
            UserClass::Staff => &[Role::Staff],
            UserClass::TeachersAndStaff => &[Role::Teacher, Role::Staff],
            UserClass::SchoolAdmin => &[Role::SchoolAdmin],
            UserClass::LegalGuardian => &[Role::LegalGuardian],
        }
    }

    /// The UDM options the class sets (`get_default_options`).
    pub fn options(self) -> &'static [&'static str] {
        match self {
            UserClass::Student => &["ucsschoolStudent"],
            UserClass::Teacher => &["ucsschoolTeacher"],
            UserClass::Staff => &["ucsschoolStaff"],
            UserClass::TeachersAndStaff => &["ucsschoolTeacher", "ucsschoolStaff"],
            UserClass::SchoolAdmin => &["ucsschoolAdministrator"],
            UserClass::LegalGuardian => &["ucsschoolLegalGuardian"],
        }
    }

    /// The container below `cn=users,ou=<school>` (`get_container`, UCR defaults).
    pub fn container(self) -> &'static str {
        match self {
            UserClass::Student => "schueler",
            UserClass::Teacher => "lehrer",
            UserClass::Staff => "mitarbeiter",
            UserClass::TeachersAndStaff => "lehrer und mitarbeiter",
            UserClass::SchoolAdmin => "admins",
            UserClass::LegalGuardian => "sorgeberechtigte",
        }
    }

    /// The role groups the class joins in each school (`get_specific_groups`).
    pub fn group_roles(self) -> &'static [Role] {
        match self {
            UserClass::Student => &[Role::Student],
            UserClass::Teacher => &[Role::Teacher],
            UserClass::Staff => &[Role::Staff],
            UserClass::TeachersAndStaff => &[Role::Teacher, Role::Staff],
            UserClass::SchoolAdmin => &[Role::SchoolAdmin],
            UserClass::LegalGuardian => &[Role::LegalGuardian],
        }
    }

    /// The role groups a conversion to this class removes (`UserTypeConverter._groups`).
    pub fn conversion_removes(self) -> &'static [Role] {
        match self {
            UserClass::SchoolAdmin | UserClass::LegalGuardian => {
                &[Role::Student, Role::Teacher, Role::Staff]
            }
            UserClass::Staff => &[Role::Student, Role::Teacher, Role::SchoolAdmin],
            UserClass::Student => &[Role::Staff, Role::Teacher, Role::SchoolAdmin],
            UserClass::TeachersAndStaff => &[Role::Student, Role::SchoolAdmin],
            UserClass::Teacher => &[Role::Staff, Role::Student, Role::SchoolAdmin],
        }
    }

    /// The school-context role strings a conversion to this class removes and adds
    /// (`UserTypeConverter.roles_rm` / `roles_add`).
    pub fn conversion_roles(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            UserClass::Staff => (
                &["student", "teacher", "school_admin", "legal_guardian"],
                &["staff"],
            ),
            UserClass::Student => (
                &["staff", "teacher", "school_admin", "legal_guardian"],
                &["student"],
            ),
            UserClass::Teacher => (
                &["staff", "student", "school_admin", "legal_guardian"],
                &["teacher"],
            ),
            UserClass::TeachersAndStaff => (
                &["student", "school_admin", "legal_guardian"],
                &["staff", "teacher"],
            ),
            UserClass::LegalGuardian => (
                &["student", "teacher", "staff", "school_admin"],
                &["legal_guardian"],
            ),
            UserClass::SchoolAdmin => (
                &["student", "teacher", "staff", "legal_guardian"],
                &["school_admin"],
            ),
        }
    }

    /// Staff users have no classes (`ImportUser.make_classes`, `Staff.get_school_class_objs`).
    pub fn has_classes(self) -> bool {
        self != UserClass::Staff
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn precedence_on_write_and_on_read_differ() {
        assert_eq!(
            UserClass::for_roles(&[Teacher, Student]),
            Some(UserClass::Student)
        );
        assert_eq!(
            UserClass::for_roles(&[SchoolAdmin, Teacher]),
            Some(UserClass::Teacher)
        );
        assert_eq!(
            UserClass::for_roles(&[Staff, LegalGuardian]),
            Some(UserClass::Staff)
        );
        assert_eq!(
            UserClass::for_roles(&[Staff, Teacher]),
            Some(UserClass::TeachersAndStaff)
        );
        assert_eq!(UserClass::for_roles(&[]), None);
        let mut options = BTreeMap::new();
        options.insert("ucsschoolStudent".to_string(), true);
        options.insert("ucsschoolTeacher".to_string(), true);
        assert_eq!(UserClass::of_options(&options), Some(UserClass::Teacher));
    }
}
