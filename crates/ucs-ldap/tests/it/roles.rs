use ucs_ldap::{Role, UcsschoolRole};

#[test]
fn names_parse_and_print() {
    for role in Role::ALL {
        assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        assert_eq!(role.to_string(), role.as_str());
    }
    assert_eq!("exam_user".parse::<Role>().unwrap(), Role::Student);
    let error = "admin".parse::<Role>().unwrap_err();
    assert!(
        error.to_string().contains("unknown role \"admin\""),
        "{error}"
    );
    assert_eq!(
        Role::from_name_or_url("https://h/ucsschool/kelvin/v1/roles/staff/").unwrap(),
        Role::Staff
    );
}

/// The option names are those of `ucsschool.lib.models.user` (Student: ucsschoolStudent,
/// Teacher: ucsschoolTeacher, Staff: ucsschoolStaff, SchoolAdmin: ucsschoolAdministrator,
/// LegalGuardian: ucsschoolLegalGuardian), Kelvin 4.0.0.
#[test]
fn udm_vocabulary() {
    let options: Vec<&str> = Role::BY_NAME.iter().map(|r| r.udm_option()).collect();
    assert_eq!(
        options,
        [
            "ucsschoolLegalGuardian",
            "ucsschoolAdministrator",
            "ucsschoolStaff",
            "ucsschoolStudent",
            "ucsschoolTeacher"
        ]
    );
    let mut names: Vec<&str> = Role::BY_NAME.iter().map(|r| r.as_str()).collect();
    let sorted = {
        let mut s = names.clone();
        s.sort();
        s
    };
    assert_eq!(names, sorted, "BY_NAME is in name order");
    names.dedup();
    assert_eq!(names.len(), 5);
    assert_eq!(Role::SchoolAdmin.display_name(), "School Administrator");
}

#[test]
fn ucsschool_role_strings() {
    let r: UcsschoolRole = "exam_user:exam:mathe-1".parse().unwrap();
    assert_eq!(r.user_role(), Some(Role::Student));
    assert!(!r.is_school_context());
    assert_eq!(
        UcsschoolRole::for_school(Role::Teacher, "gym").to_string(),
        "teacher:school:gym"
    );
    assert!("a:b".parse::<UcsschoolRole>().is_err());
    assert!("a::c".parse::<UcsschoolRole>().is_err());
}
