//! Behaviour of the UCS@school role rules (`ucs::roles`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ucs::roles::{
    check_change, check_create, check_create_with, implied_effects, implied_effects_of_create,
    ChangeKind, CreateOptions, ImpliedEffect, RemovalReason, Role, RoleSet, RoleSetError, Rule,
    UcsschoolRole, UcsschoolRoleError, UserFields, UserType, Violation,
};

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn list(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|i| (*i).to_owned()).collect())
}

fn groups(entries: &[(&str, &[&str])]) -> Option<BTreeMap<String, Vec<String>>> {
    Some(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.iter().map(|g| (*g).to_owned()).collect()))
            .collect(),
    )
}

/// A complete, valid create request for a student of DEMOSCHOOL in class 1a.
fn student() -> UserFields {
    UserFields {
        name: s("jdoe"),
        firstname: s("Jane"),
        lastname: s("Doe"),
        record_uid: s("4711"),
        source_uid: s("sis"),
        roles: Some(vec![Role::Student]),
        school: s("DEMOSCHOOL"),
        schools: list(&["DEMOSCHOOL"]),
        school_classes: groups(&[("DEMOSCHOOL", &["1a"])]),
        workgroups: None,
        legal_guardians: None,
        legal_wards: None,
        expiration_date: None,
        ucsschool_roles: None,
    }
}

/// An existing teacher in schools A and B with classes in both.
fn teacher_ab() -> UserFields {
    UserFields {
        name: s("tlehrer"),
        firstname: s("Tina"),
        lastname: s("Lehrer"),
        record_uid: s("1"),
        source_uid: s("sis"),
        roles: Some(vec![Role::Teacher]),
        school: s("A"),
        schools: list(&["A", "B"]),
        school_classes: groups(&[("A", &["1a"]), ("B", &["2b"])]),
        workgroups: groups(&[("A", &["chess"])]),
        ..Default::default()
    }
}

fn rules(violations: &[Violation]) -> Vec<(String, Rule)> {
    violations
        .iter()
        .map(|v| (v.field.clone(), v.rule))
        .collect()
}

fn one(violations: Vec<Violation>) -> Violation {
    assert_eq!(
        violations.len(),
        1,
        "expected one violation: {violations:#?}"
    );
    violations.into_iter().next().unwrap()
}

// ---------------------------------------------------------------- Role, RoleSet, strings

#[test]
fn role_names_round_trip_and_exam_user_is_a_student() {
    for role in Role::ALL {
        assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        assert_eq!(role.to_string(), role.as_str());
        let json = serde_json::to_string(&role).unwrap();
        assert_eq!(json, format!("\"{}\"", role.as_str()));
        assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
    }
    assert_eq!("exam_user".parse::<Role>(), Ok(Role::Student));
    assert_eq!(
        serde_json::from_str::<Role>("\"exam_user\"").unwrap(),
        Role::Student
    );
    let err = "Teacher".parse::<Role>().unwrap_err();
    assert_eq!(err.value, "Teacher");
    assert!(err.to_string().contains("unknown role \"Teacher\""));
    assert!(serde_json::from_str::<Role>("\"pupil\"").is_err());
}

#[test]
fn role_from_kelvin_url() {
    let base = "https://dc.example.org/ucsschool/kelvin/v1/roles/";
    assert_eq!(
        Role::from_name_or_url(&format!("{base}school_admin")),
        Ok(Role::SchoolAdmin)
    );
    assert_eq!(
        Role::from_name_or_url(&format!("{base}staff/")),
        Ok(Role::Staff)
    );
    assert_eq!(
        Role::from_name_or_url("legal_guardian"),
        Ok(Role::LegalGuardian)
    );
    let err = Role::from_name_or_url(&format!("{base}janitor")).unwrap_err();
    assert_eq!(err.value, format!("{base}janitor"));
}

#[test]
fn exactly_the_nine_allowed_role_sets_are_accepted() {
    use Role::*;
    let allowed: Vec<Vec<Role>> = vec![
        vec![Staff],
        vec![Student],
        vec![Teacher],
        vec![SchoolAdmin],
        vec![LegalGuardian],
        vec![Staff, Teacher],
        vec![SchoolAdmin, Staff],
        vec![SchoolAdmin, Teacher],
        vec![SchoolAdmin, Staff, Teacher],
    ];
    let mut accepted = 0;
    for mask in 1u32..32 {
        let roles: Vec<Role> = Role::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, r)| r)
            .collect();
        let expected_ok = allowed.iter().any(|a| {
            let mut a = a.clone();
            a.sort();
            a == roles
        });
        match RoleSet::new(roles.clone()) {
            Ok(set) => {
                assert!(expected_ok, "{roles:?} must be rejected");
                assert_eq!(set.roles(), roles);
                assert_eq!(set.len(), roles.len());
                accepted += 1;
            }
            Err(err) => {
                assert!(!expected_ok, "{roles:?} must be accepted");
                assert_eq!(
                    err,
                    RoleSetError::NotAllowed {
                        roles: roles.clone()
                    }
                );
            }
        }
    }
    assert_eq!(accepted, 9);
    assert_eq!(RoleSet::new([]), Err(RoleSetError::Empty));
}

#[test]
fn role_set_ignores_duplicates_serializes_and_explains() {
    let set = RoleSet::new([Role::Teacher, Role::Staff, Role::Teacher]).unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(set.to_string(), "staff, teacher");
    assert_eq!(
        serde_json::to_string(&set).unwrap(),
        r#"["staff","teacher"]"#
    );
    assert_eq!(
        serde_json::from_str::<RoleSet>(r#"["teacher","staff"]"#).unwrap(),
        set
    );
    let err = serde_json::from_str::<RoleSet>(r#"["student","legal_guardian"]"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("the role combination [student, legal_guardian] is not allowed"),
        "{err}"
    );
    assert!(RoleSet::new([Role::Staff])
        .unwrap()
        .is_staff_without_teacher());
    assert!(RoleSet::new([Role::Staff, Role::SchoolAdmin])
        .unwrap()
        .is_staff_without_teacher());
    assert!(!RoleSet::new([Role::Staff, Role::Teacher])
        .unwrap()
        .is_staff_without_teacher());
}

#[test]
fn ucsschool_role_strings_parse_format_and_reject_malformed() {
    let r: UcsschoolRole = "student:school:DEMOSCHOOL".parse().unwrap();
    assert_eq!(
        r,
        UcsschoolRole {
            role: "student".into(),
            context_type: "school".into(),
            context: "DEMOSCHOOL".into()
        }
    );
    assert!(r.is_school_context());
    assert_eq!(r.user_role(), Some(Role::Student));
    assert_eq!(r.to_string(), "student:school:DEMOSCHOOL");
    assert_eq!(
        UcsschoolRole::for_school(Role::SchoolAdmin, "gym1").to_string(),
        "school_admin:school:gym1"
    );
    let custom: UcsschoolRole = "myrole:mycontext:gym1".parse().unwrap();
    assert_eq!(custom.user_role(), None);
    assert!(!custom.is_school_context());
    assert_eq!(
        "pupil:school:X"
            .parse::<UcsschoolRole>()
            .unwrap()
            .user_role(),
        Some(Role::Student)
    );
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(json, r#""student:school:DEMOSCHOOL""#);
    assert_eq!(serde_json::from_str::<UcsschoolRole>(&json).unwrap(), r);

    assert_eq!(
        "student:DEMOSCHOOL".parse::<UcsschoolRole>(),
        Err(UcsschoolRoleError::WrongPartCount {
            value: "student:DEMOSCHOOL".into(),
            parts: 2
        })
    );
    assert_eq!(
        "a:b:c:d".parse::<UcsschoolRole>(),
        Err(UcsschoolRoleError::WrongPartCount {
            value: "a:b:c:d".into(),
            parts: 4
        })
    );
    assert_eq!(
        "student::X".parse::<UcsschoolRole>(),
        Err(UcsschoolRoleError::EmptyPart {
            value: "student::X".into(),
            part: "context_type"
        })
    );
    assert!(serde_json::from_str::<UcsschoolRole>(r#""nonsense""#).is_err());
}

#[test]
fn rule_codes_are_stable_and_unique() {
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len());
    assert!(codes
        .iter()
        .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
    assert_eq!(Rule::StudentNeedsClass.code(), "student_needs_class");
    assert_eq!(
        Rule::TooManyLegalGuardians.to_string(),
        "too_many_legal_guardians"
    );
}

// ---------------------------------------------------------------- create

#[test]
fn valid_create_has_no_violations() {
    assert_eq!(check_create(&student()), vec![]);
    let teacher_staff = UserFields {
        roles: Some(vec![Role::Teacher, Role::Staff, Role::SchoolAdmin]),
        ..student()
    };
    assert_eq!(check_create(&teacher_staff), vec![]);
}

#[test]
fn create_requires_each_field() {
    for field in ["name", "firstname", "lastname", "record_uid", "source_uid"] {
        let mut user = student();
        let slot = match field {
            "name" => &mut user.name,
            "firstname" => &mut user.firstname,
            "lastname" => &mut user.lastname,
            "record_uid" => &mut user.record_uid,
            _ => &mut user.source_uid,
        };
        *slot = None;
        let v = one(check_create(&user));
        assert_eq!((v.field.as_str(), v.rule), (field, Rule::RequiredField));
        assert_eq!(
            v.message,
            format!("a new user needs {field}, but none was given.")
        );
        *match field {
            "name" => &mut user.name,
            "firstname" => &mut user.firstname,
            "lastname" => &mut user.lastname,
            "record_uid" => &mut user.record_uid,
            _ => &mut user.source_uid,
        } = s("  ");
        let v = one(check_create(&user));
        assert_eq!((v.field.as_str(), v.rule), (field, Rule::RequiredField));
        assert!(v.message.contains("\"  \" is blank"), "{}", v.message);
    }
    let user = UserFields {
        roles: None,
        ..student()
    };
    let v = one(check_create(&user));
    assert_eq!((v.field.as_str(), v.rule), ("roles", Rule::RequiredField));
}

#[test]
fn create_name_may_come_from_a_server_template() {
    let user = UserFields {
        name: None,
        ..student()
    };
    assert_eq!(
        rules(&check_create(&user)),
        [("name".into(), Rule::RequiredField)]
    );
    let templated = CreateOptions {
        name_from_template: true,
    };
    assert_eq!(check_create_with(&user, templated), vec![]);
}

#[test]
fn create_requires_school_or_schools_and_either_is_enough() {
    let neither = UserFields {
        school: None,
        schools: None,
        school_classes: None,
        ..student()
    };
    let v = one(check_create(&neither));
    assert_eq!((v.field.as_str(), v.rule), ("school", Rule::RequiredField));
    assert!(v.message.contains("school or schools"));

    let empty = UserFields {
        schools: Some(vec![]),
        school: None,
        school_classes: None,
        ..student()
    };
    assert_eq!(
        rules(&check_create(&empty)),
        [("school".into(), Rule::RequiredField)]
    );

    let only_school = UserFields {
        schools: None,
        ..student()
    };
    assert_eq!(check_create(&only_school), vec![]);
    let only_schools = UserFields {
        school: None,
        ..student()
    };
    assert_eq!(check_create(&only_schools), vec![]);
}

#[test]
fn create_with_only_schools_takes_the_alphabetically_first() {
    let user = UserFields {
        school: None,
        schools: list(&["zeta", "Beta", "alpha"]),
        school_classes: groups(&[("alpha", &["1a"])]),
        ..student()
    };
    assert_eq!(check_create(&user), vec![]);
    // byte order, as the server's sorted(): upper case sorts first
    assert_eq!(
        implied_effects_of_create(&user),
        [ImpliedEffect::SchoolChosen {
            school: "Beta".into()
        }]
    );
    assert_eq!(implied_effects_of_create(&student()), []);
}

#[test]
fn create_school_must_be_in_schools() {
    let user = UserFields {
        school: s("OTHER"),
        ..student()
    };
    let v = one(check_create(&user));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("school", Rule::SchoolNotInSchools)
    );
    assert_eq!(
        v.message,
        "school \"OTHER\" is not one of schools [DEMOSCHOOL]."
    );
    // OU names are case-insensitive
    let user = UserFields {
        school: s("demoschool"),
        ..student()
    };
    assert_eq!(check_create(&user), vec![]);
}

#[test]
fn create_blank_school_entries_are_empty_values() {
    let user = UserFields {
        schools: list(&["DEMOSCHOOL", " "]),
        ..student()
    };
    assert_eq!(
        rules(&check_create(&user)),
        [("schools[1]".into(), Rule::EmptyValue)]
    );
    let user = UserFields {
        school: s(""),
        ..student()
    };
    assert_eq!(
        rules(&check_create(&user)),
        [("school".into(), Rule::EmptyValue)]
    );
}

#[test]
fn create_membership_keys_must_be_schools() {
    let user = UserFields {
        school_classes: groups(&[("DEMOSCHOOL", &["1a"]), ("DEMOSCHOOL2", &["2b"])]),
        workgroups: groups(&[("OTHER", &["chess"]), ("demoschool", &["band"])]),
        ..student()
    };
    let violations = check_create(&user);
    assert_eq!(
        rules(&violations),
        [
            (
                "school_classes.DEMOSCHOOL2".into(),
                Rule::MembershipOutsideSchools
            ),
            ("workgroups.OTHER".into(), Rule::MembershipOutsideSchools),
        ]
    );
    assert_eq!(
        violations[0].message,
        "school_classes lists school \"DEMOSCHOOL2\", which is not one of the user's schools [DEMOSCHOOL]."
    );
    // with only `school`, the schools are [school]
    let user = UserFields {
        schools: None,
        school_classes: groups(&[("ELSEWHERE", &["1a"])]),
        ..student()
    };
    assert_eq!(
        rules(&check_create(&user)),
        [(
            "school_classes.ELSEWHERE".into(),
            Rule::MembershipOutsideSchools
        )]
    );
}

#[test]
fn create_staff_cannot_have_classes() {
    let staff = UserFields {
        roles: Some(vec![Role::Staff]),
        school_classes: groups(&[("DEMOSCHOOL", &["1a", "1b"])]),
        ..student()
    };
    let v = one(check_create(&staff));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("school_classes", Rule::StaffWithoutClasses)
    );
    assert!(v.message.contains("DEMOSCHOOL: 1a, 1b"), "{}", v.message);
    // staff + teacher may have classes, staff with an empty list is fine
    let both = UserFields {
        roles: Some(vec![Role::Staff, Role::Teacher]),
        ..staff.clone()
    };
    assert_eq!(check_create(&both), vec![]);
    let empty = UserFields {
        school_classes: groups(&[("DEMOSCHOOL", &[])]),
        ..staff
    };
    assert_eq!(check_create(&empty), vec![]);
}

#[test]
fn create_legal_guardians_only_on_students_and_at_most_four() {
    let four = list(&["g1", "g2", "g3", "g4"]);
    let ok = UserFields {
        legal_guardians: four.clone(),
        ..student()
    };
    assert_eq!(check_create(&ok), vec![]);

    let five = UserFields {
        legal_guardians: list(&["g1", "g2", "g3", "g4", "g5"]),
        ..student()
    };
    let v = one(check_create(&five));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("legal_guardians[4]", Rule::TooManyLegalGuardians)
    );
    assert_eq!(
        v.message,
        "A student can have at most 4 legal guardians, but 5 are given (\"g5\" is one too many)."
    );

    let teacher = UserFields {
        roles: Some(vec![Role::Teacher]),
        legal_guardians: four,
        ..student()
    };
    let v = one(check_create(&teacher));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("legal_guardians", Rule::LegalGuardiansOnlyForStudents)
    );
    assert!(v.message.contains("(teacher)") && v.message.contains("[g1, g2, g3, g4]"));
    // an empty list is fine for anybody
    let teacher = UserFields {
        legal_guardians: Some(vec![]),
        ..teacher
    };
    assert_eq!(check_create(&teacher), vec![]);
}

#[test]
fn create_legal_wards_only_on_legal_guardians_and_at_most_ten() {
    let wards: Vec<String> = (0..10).map(|i| format!("kid{i}")).collect();
    let guardian = UserFields {
        roles: Some(vec![Role::LegalGuardian]),
        school_classes: None,
        legal_wards: Some(wards.clone()),
        ..student()
    };
    assert_eq!(check_create(&guardian), vec![]);

    let mut eleven = wards.clone();
    eleven.push("kid10".into());
    let many = UserFields {
        legal_wards: Some(eleven),
        ..guardian.clone()
    };
    let v = one(check_create(&many));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("legal_wards[10]", Rule::TooManyLegalWards)
    );
    assert!(v.message.contains("at most 10") && v.message.contains("\"kid10\""));

    let student_with_wards = UserFields {
        legal_wards: Some(wards),
        ..student()
    };
    let v = one(check_create(&student_with_wards));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("legal_wards", Rule::LegalWardsOnlyForLegalGuardians)
    );
}

#[test]
fn create_expiration_year_between_1961_and_2099() {
    for (y, m, d, ok) in [
        (1961, 1, 1, true),
        (2099, 12, 31, true),
        (2030, 7, 31, true),
        (1960, 12, 31, false),
        (2100, 1, 1, false),
    ] {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let user = UserFields {
            expiration_date: Some(date),
            ..student()
        };
        let violations = check_create(&user);
        if ok {
            assert_eq!(violations, vec![], "{date}");
        } else {
            let v = one(violations);
            assert_eq!(
                (v.field.as_str(), v.rule),
                ("expiration_date", Rule::ExpirationYear)
            );
            assert!(v.message.contains(&date.to_string()), "{}", v.message);
        }
    }
}

#[test]
fn create_ucsschool_roles_must_be_well_formed() {
    let user = UserFields {
        ucsschool_roles: list(&[
            "student:school:DEMOSCHOOL",
            "broken",
            "a:b:",
            "myrole:mycontext:gym1",
        ]),
        ..student()
    };
    let violations = check_create(&user);
    assert_eq!(
        rules(&violations),
        [
            ("ucsschool_roles[1]".into(), Rule::UcsschoolRoleFormat),
            ("ucsschool_roles[2]".into(), Rule::UcsschoolRoleFormat),
        ]
    );
    assert_eq!(
        violations[0].message,
        "Ucsschool role \"broken\" has 1 part(s); expected role:context_type:context."
    );
    assert!(violations[1].message.contains("empty context"));
}

#[test]
fn create_reports_all_violations_at_once() {
    let user = UserFields {
        name: None,
        firstname: s(""),
        lastname: s("Doe"),
        record_uid: None,
        source_uid: s("sis"),
        roles: Some(vec![Role::Student, Role::Teacher]),
        school: s("X"),
        schools: list(&["A", "B"]),
        school_classes: groups(&[("C", &["1a"])]),
        workgroups: groups(&[("D", &["w"])]),
        legal_guardians: list(&["1", "2", "3", "4", "5"]),
        legal_wards: list(&["k"]),
        expiration_date: NaiveDate::from_ymd_opt(2200, 1, 1),
        ucsschool_roles: list(&["x"]),
    };
    let violations = check_create(&user);
    assert_eq!(
        rules(&violations),
        [
            ("name".into(), Rule::RequiredField),
            ("firstname".into(), Rule::RequiredField),
            ("record_uid".into(), Rule::RequiredField),
            ("roles".into(), Rule::RoleCombination),
            ("school".into(), Rule::SchoolNotInSchools),
            ("school_classes.C".into(), Rule::MembershipOutsideSchools),
            ("workgroups.D".into(), Rule::MembershipOutsideSchools),
            // role-dependent rules wait for an allowed role set; counts do not
            ("legal_guardians[4]".into(), Rule::TooManyLegalGuardians),
            ("expiration_date".into(), Rule::ExpirationYear),
            ("ucsschool_roles[0]".into(), Rule::UcsschoolRoleFormat),
        ]
    );
    for v in &violations {
        let shown = v.to_string();
        assert!(shown.starts_with(&format!("{}: ", v.field)));
        assert!(shown.ends_with(&format!("({})", v.rule.code())));
    }
}

// ---------------------------------------------------------------- change

#[test]
fn empty_patch_is_always_fine() {
    let change = UserFields::default();
    assert_eq!(
        check_change(&teacher_ab(), &change, ChangeKind::Patch),
        vec![]
    );
    assert_eq!(
        implied_effects(&teacher_ab(), &change, ChangeKind::Patch),
        vec![]
    );
}

#[test]
fn put_requires_the_create_body_fields() {
    // name, record_uid and source_uid too: Kelvin 4.0.0 routers/v1/user.py complete_update
    // answers 400 without them ("Renaming ... to None", "Mandatory attribute ... empty")
    let v = check_change(&teacher_ab(), &UserFields::default(), ChangeKind::Replace);
    assert_eq!(
        rules(&v),
        [
            ("firstname".into(), Rule::RequiredField),
            ("lastname".into(), Rule::RequiredField),
            ("roles".into(), Rule::RequiredField),
            ("name".into(), Rule::RequiredField),
            ("record_uid".into(), Rule::RequiredField),
            ("source_uid".into(), Rule::RequiredField),
            ("school".into(), Rule::RequiredField),
        ]
    );
    assert_eq!(
        v[0].message,
        "a full replacement (PUT) needs firstname, but none was given."
    );
    // the same user sent back unchanged is fine
    assert_eq!(
        check_change(&teacher_ab(), &teacher_ab(), ChangeKind::Replace),
        vec![]
    );
}

#[test]
fn patch_rejects_sent_empty_values() {
    let change = UserFields {
        name: s(""),
        firstname: s(" "),
        lastname: s(""),
        school: s(""),
        schools: Some(vec![]),
        roles: Some(vec![]),
        ..Default::default()
    };
    let v = check_change(&teacher_ab(), &change, ChangeKind::Patch);
    assert_eq!(
        rules(&v),
        [
            ("name".into(), Rule::EmptyValue),
            ("firstname".into(), Rule::EmptyValue),
            ("lastname".into(), Rule::EmptyValue),
            ("school".into(), Rule::EmptyValue),
            ("schools".into(), Rule::EmptyValue),
            ("roles".into(), Rule::RoleCombination),
        ]
    );
    assert_eq!(
        v[1].message,
        "firstname is sent as \" \", but it must not be empty."
    );
}

#[test]
fn change_role_combination_only_checked_when_roles_are_sent() {
    let change = UserFields {
        roles: Some(vec![Role::Student, Role::Staff]),
        ..Default::default()
    };
    let v = one(check_change(&teacher_ab(), &change, ChangeKind::Patch));
    assert_eq!((v.field.as_str(), v.rule), ("roles", Rule::RoleCombination));
    assert!(v.message.contains("[staff, student]"));
    // a broken state already on the server does not block an unrelated PATCH
    let broken = UserFields {
        roles: Some(vec![Role::Student, Role::Staff]),
        ..teacher_ab()
    };
    let rename = UserFields {
        firstname: s("Tim"),
        ..Default::default()
    };
    assert_eq!(check_change(&broken, &rename, ChangeKind::Patch), vec![]);
}

#[test]
fn changing_to_staff_must_drop_classes_explicitly() {
    let to_staff = UserFields {
        roles: Some(vec![Role::Staff]),
        ..Default::default()
    };
    let v = one(check_change(&teacher_ab(), &to_staff, ChangeKind::Patch));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("school_classes", Rule::StaffWithoutClasses)
    );
    assert_eq!(
        v.message,
        "Changing the user to staff would remove their school classes (A: 1a; B: 2b); send school_classes as {} to confirm."
    );

    let confirmed = UserFields {
        school_classes: Some(BTreeMap::new()),
        ..to_staff.clone()
    };
    assert_eq!(
        check_change(&teacher_ab(), &confirmed, ChangeKind::Patch),
        vec![]
    );
    assert_eq!(
        implied_effects(&teacher_ab(), &confirmed, ChangeKind::Patch),
        [
            ImpliedEffect::MembershipsRemoved {
                field: "school_classes",
                school: "A".into(),
                groups: vec!["1a".into()],
                reason: RemovalReason::ReplacedByRequest
            },
            ImpliedEffect::MembershipsRemoved {
                field: "school_classes",
                school: "B".into(),
                groups: vec!["2b".into()],
                reason: RemovalReason::ReplacedByRequest
            },
        ]
    );

    // sending classes along with the change to staff is refused outright
    let with_classes = UserFields {
        school_classes: groups(&[("A", &["1a"])]),
        ..to_staff.clone()
    };
    let v = one(check_change(
        &teacher_ab(),
        &with_classes,
        ChangeKind::Patch,
    ));
    assert_eq!(v.rule, Rule::StaffWithoutClasses);
    assert!(v.message.contains("lists A: 1a"));

    // a user without classes becomes staff without fuss; staff + teacher keeps classes
    let no_classes = UserFields {
        school_classes: None,
        ..teacher_ab()
    };
    assert_eq!(
        check_change(&no_classes, &to_staff, ChangeKind::Patch),
        vec![]
    );
    let staff_teacher = UserFields {
        roles: Some(vec![Role::Staff, Role::Teacher]),
        ..Default::default()
    };
    assert_eq!(
        check_change(&teacher_ab(), &staff_teacher, ChangeKind::Patch),
        vec![]
    );
    // a PUT without school_classes removes them all (Kelvin 4.0.0 routers/v1/user.py
    // complete_update), so a change to staff that way loses nothing unseen: no violation,
    // and the implied effects say which classes go
    let put = UserFields {
        roles: Some(vec![Role::Staff]),
        school_classes: None,
        ..teacher_ab()
    };
    assert_eq!(
        check_change(&teacher_ab(), &put, ChangeKind::Replace),
        vec![]
    );
    assert!(implied_effects(&teacher_ab(), &put, ChangeKind::Replace)
        .iter()
        .any(|e| matches!(
            e,
            ImpliedEffect::MembershipsRemoved {
                field: "school_classes",
                reason: RemovalReason::NotSent,
                ..
            }
        )));
}

#[test]
fn changing_to_student_needs_a_class_in_every_school() {
    let staff = UserFields {
        roles: Some(vec![Role::Staff]),
        school_classes: None,
        ..teacher_ab()
    };
    let to_student = UserFields {
        roles: Some(vec![Role::Student]),
        ..Default::default()
    };
    let v = check_change(&staff, &to_student, ChangeKind::Patch);
    assert_eq!(
        rules(&v),
        [
            ("school_classes.A".into(), Rule::StudentNeedsClass),
            ("school_classes.B".into(), Rule::StudentNeedsClass),
        ]
    );
    assert_eq!(
        v[0].message,
        "A user changed to student needs at least one school class in school \"A\"; add one to school_classes in the same request."
    );

    let half = UserFields {
        school_classes: groups(&[("A", &["1a"])]),
        ..to_student.clone()
    };
    assert_eq!(
        rules(&check_change(&staff, &half, ChangeKind::Patch)),
        [("school_classes.B".into(), Rule::StudentNeedsClass)]
    );
    let full = UserFields {
        school_classes: groups(&[("a", &["1a"]), ("B", &["2b"])]),
        ..to_student.clone()
    };
    assert_eq!(check_change(&staff, &full, ChangeKind::Patch), vec![]);

    // classes already there count
    assert_eq!(
        check_change(&teacher_ab(), &to_student, ChangeKind::Patch),
        vec![]
    );
    // an empty list for a school is no class
    let emptied = UserFields {
        school_classes: groups(&[("A", &["1a"]), ("B", &[])]),
        ..to_student.clone()
    };
    assert_eq!(
        rules(&check_change(&teacher_ab(), &emptied, ChangeKind::Patch)),
        [("school_classes.B".into(), Rule::StudentNeedsClass)]
    );
    // moving to one school at the same time: only that school needs a class
    let moved = UserFields {
        schools: list(&["B"]),
        ..to_student.clone()
    };
    assert_eq!(
        check_change(&teacher_ab(), &moved, ChangeKind::Patch),
        vec![]
    );
    // a student staying a student is not "changed to student"
    let pupil = UserFields {
        roles: Some(vec![Role::Student]),
        school_classes: None,
        ..teacher_ab()
    };
    assert_eq!(check_change(&pupil, &to_student, ChangeKind::Patch), vec![]);
}

#[test]
fn school_admin_cannot_become_student() {
    let admin = UserFields {
        roles: Some(vec![Role::SchoolAdmin, Role::Teacher]),
        ..teacher_ab()
    };
    let to_student = UserFields {
        roles: Some(vec![Role::Student]),
        ..Default::default()
    };
    let v = one(check_change(&admin, &to_student, ChangeKind::Patch));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("roles", Rule::SchoolAdminToStudent)
    );
    assert_eq!(v.message, "A school admin cannot be changed to student.");
    // exam_user parses as student, so the same applies
    let exam = UserFields {
        roles: Some(vec!["exam_user".parse().unwrap()]),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&admin, &exam, ChangeKind::Patch)),
        [("roles".into(), Rule::SchoolAdminToStudent)]
    );
    // a school admin may become a teacher
    let only_admin = UserFields {
        roles: Some(vec![Role::SchoolAdmin]),
        ..teacher_ab()
    };
    let to_teacher = UserFields {
        roles: Some(vec![Role::Teacher]),
        ..Default::default()
    };
    assert_eq!(
        check_change(&only_admin, &to_teacher, ChangeKind::Patch),
        vec![]
    );
}

/// Kelvin 4.0.0 changes a user's type only (routers/v1/user.py `change_roles`: the
/// target class by the precedence of `SchoolUserRole.get_lib_class`; an equal class is a
/// no-op), so dropping school_admin from a teacher, or adding it, would change nothing:
/// refused, saying why, instead of a silent no-op.
#[test]
fn role_changes_the_server_would_ignore_are_refused() {
    let teacher_admin = UserFields {
        roles: Some(vec![Role::SchoolAdmin, Role::Teacher]),
        ..teacher_ab()
    };
    let to_teacher = UserFields {
        roles: Some(vec![Role::Teacher]),
        ..Default::default()
    };
    let v = one(check_change(&teacher_admin, &to_teacher, ChangeKind::Patch));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("roles", Rule::RoleChangeIgnored)
    );
    assert!(
        v.message.contains("make the user a teacher"),
        "{}",
        v.message
    );
    let add_admin = UserFields {
        roles: Some(vec![Role::Teacher, Role::SchoolAdmin]),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&teacher_ab(), &add_admin, ChangeKind::Patch)),
        [("roles".into(), Rule::RoleChangeIgnored)]
    );
    // the same set in another order is no change at all
    let same = UserFields {
        roles: Some(vec![Role::Teacher, Role::SchoolAdmin]),
        ..Default::default()
    };
    assert_eq!(
        check_change(&teacher_admin, &same, ChangeKind::Patch),
        vec![]
    );
    // teacher -> teacher + staff is another type: carried out
    let staff_teacher = UserFields {
        roles: Some(vec![Role::Staff, Role::Teacher]),
        ..Default::default()
    };
    assert_eq!(
        check_change(&teacher_ab(), &staff_teacher, ChangeKind::Patch),
        vec![]
    );
}

/// Kelvin 4.0.0 gives a user the options and groups of one class only
/// (`SchoolUserRole.get_lib_class`, importer `make_import_user`): a teacher with
/// school_admin gets a role string but no ucsschoolAdministrator option.
#[test]
fn roles_the_user_type_does_not_carry_are_an_implied_effect() {
    let create = UserFields {
        roles: Some(vec![Role::Teacher, Role::SchoolAdmin]),
        ..teacher_ab()
    };
    assert!(
        implied_effects_of_create(&create).contains(&ImpliedEffect::RolesNotCarried {
            user_type: UserType::Teacher,
            roles: vec![Role::SchoolAdmin],
        })
    );
    let staff_teacher = UserFields {
        roles: Some(vec![Role::Staff, Role::Teacher]),
        ..teacher_ab()
    };
    assert!(implied_effects_of_create(&staff_teacher)
        .iter()
        .all(|e| !matches!(e, ImpliedEffect::RolesNotCarried { .. })));
}

/// A PUT drops the ucsschool_roles strings of other contexts it does not send (Kelvin
/// 4.0.0 routers/v1/user.py `complete_update` recomputes them).
#[test]
fn a_put_drops_unsent_role_strings_of_other_contexts() {
    let before = UserFields {
        ucsschool_roles: Some(vec!["teacher:school:A".into(), "foo:bar:baz".into()]),
        ..teacher_ab()
    };
    let put = UserFields {
        ucsschool_roles: Some(vec!["teacher:school:A".into()]),
        ..teacher_ab()
    };
    assert!(
        implied_effects(&before, &put, ChangeKind::Replace).contains(
            &ImpliedEffect::RoleStringsDropped {
                strings: vec!["foo:bar:baz".into()]
            }
        )
    );
    assert!(!implied_effects(&before, &before, ChangeKind::Replace)
        .iter()
        .any(|e| matches!(e, ImpliedEffect::RoleStringsDropped { .. })));
}

#[test]
fn change_school_must_be_in_schools() {
    let change = UserFields {
        school: s("C"),
        schools: list(&["A", "B"]),
        ..Default::default()
    };
    let v = one(check_change(&teacher_ab(), &change, ChangeKind::Patch));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("school", Rule::SchoolNotInSchools)
    );
    assert_eq!(v.message, "school \"C\" is not one of schools [A, B].");
}

#[test]
fn change_school_alone_sets_schools_and_drops_other_memberships() {
    let change = UserFields {
        school: s("B"),
        ..Default::default()
    };
    assert_eq!(
        check_change(&teacher_ab(), &change, ChangeKind::Patch),
        vec![]
    );
    assert_eq!(
        implied_effects(&teacher_ab(), &change, ChangeKind::Patch),
        [
            ImpliedEffect::SchoolsLeft {
                schools: vec!["A".into()]
            },
            ImpliedEffect::MembershipsRemoved {
                field: "school_classes",
                school: "A".into(),
                groups: vec!["1a".into()],
                reason: RemovalReason::SchoolLeft
            },
            ImpliedEffect::MembershipsRemoved {
                field: "workgroups",
                school: "A".into(),
                groups: vec!["chess".into()],
                reason: RemovalReason::SchoolLeft
            },
        ]
    );
    let shown = implied_effects(&teacher_ab(), &change, ChangeKind::Patch)[1].to_string();
    assert_eq!(
        shown,
        "The user leaves school_classes [1a] in school \"A\" because the user leaves the school."
    );
}

#[test]
fn change_schools_alone_keeps_or_chooses_the_school() {
    let keep = UserFields {
        schools: list(&["C", "A"]),
        ..Default::default()
    };
    assert_eq!(
        implied_effects(&teacher_ab(), &keep, ChangeKind::Patch)[0],
        ImpliedEffect::SchoolsLeft {
            schools: vec!["B".into()]
        }
    );
    let choose = UserFields {
        schools: list(&["D", "C"]),
        ..Default::default()
    };
    let effects = implied_effects(&teacher_ab(), &choose, ChangeKind::Patch);
    assert_eq!(
        effects[0],
        ImpliedEffect::SchoolChosen { school: "C".into() }
    );
    assert_eq!(
        effects[1],
        ImpliedEffect::SchoolsLeft {
            schools: vec!["A".into(), "B".into()]
        }
    );
}

#[test]
fn change_membership_keys_must_be_schools_after_the_change() {
    let change = UserFields {
        school_classes: groups(&[("A", &["1a"]), ("Z", &["9z"])]),
        workgroups: groups(&[("Y", &["w"])]),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&teacher_ab(), &change, ChangeKind::Patch)),
        [
            ("school_classes.Z".into(), Rule::MembershipOutsideSchools),
            ("workgroups.Y".into(), Rule::MembershipOutsideSchools),
        ]
    );
    // a key for a school added in the same request is fine
    let added = UserFields {
        schools: list(&["A", "B", "Z"]),
        school_classes: groups(&[("Z", &["9z"])]),
        ..Default::default()
    };
    assert_eq!(
        check_change(&teacher_ab(), &added, ChangeKind::Patch),
        vec![]
    );
}

#[test]
fn empty_map_removes_all_and_absent_key_keeps_memberships() {
    // absent: memberships kept, nothing implied
    let rename = UserFields {
        lastname: s("Neu"),
        ..Default::default()
    };
    assert_eq!(
        implied_effects(&teacher_ab(), &rename, ChangeKind::Patch),
        vec![]
    );
    // a PUT without the maps keeps the workgroups but removes every class (Kelvin 4.0.0
    // routers/v1/user.py complete_update: the absent field takes its default `{}`)
    let put_without_maps = UserFields {
        school_classes: None,
        workgroups: None,
        ..teacher_ab()
    };
    let effects = implied_effects(&teacher_ab(), &put_without_maps, ChangeKind::Replace);
    assert!(!effects.is_empty());
    assert!(
        effects.iter().all(|e| matches!(
            e,
            ImpliedEffect::MembershipsRemoved {
                field: "school_classes",
                reason: RemovalReason::NotSent,
                ..
            }
        )),
        "{effects:?}"
    );
    // empty map: all removed, in PATCH and PUT alike
    for kind in [ChangeKind::Patch, ChangeKind::Replace] {
        let clear = UserFields {
            workgroups: Some(BTreeMap::new()),
            ..teacher_ab()
        };
        let change = if kind == ChangeKind::Patch {
            UserFields {
                workgroups: Some(BTreeMap::new()),
                ..Default::default()
            }
        } else {
            clear
        };
        assert_eq!(
            implied_effects(&teacher_ab(), &change, kind),
            [ImpliedEffect::MembershipsRemoved {
                field: "workgroups",
                school: "A".into(),
                groups: vec!["chess".into()],
                reason: RemovalReason::ReplacedByRequest
            }],
            "{kind:?}"
        );
    }
}

#[test]
fn change_legal_guardians_and_wards() {
    let pupil = UserFields {
        roles: Some(vec![Role::Student]),
        legal_guardians: list(&["mum", "dad"]),
        ..teacher_ab()
    };
    // too many sent
    let five = UserFields {
        legal_guardians: list(&["a", "b", "c", "d", "e"]),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&pupil, &five, ChangeKind::Patch)),
        [("legal_guardians[4]".into(), Rule::TooManyLegalGuardians)]
    );
    // guardians kept by a PATCH to teacher: must be dropped explicitly
    let to_teacher = UserFields {
        roles: Some(vec![Role::Teacher]),
        ..Default::default()
    };
    let v = one(check_change(&pupil, &to_teacher, ChangeKind::Patch));
    assert_eq!(
        (v.field.as_str(), v.rule),
        ("legal_guardians", Rule::LegalGuardiansOnlyForStudents)
    );
    assert!(v.message.contains("[mum, dad]"));
    let dropped = UserFields {
        legal_guardians: Some(vec![]),
        ..to_teacher.clone()
    };
    assert_eq!(check_change(&pupil, &dropped, ChangeKind::Patch), vec![]);
    // a PUT without legal_guardians clears them (and says so)
    let put = UserFields {
        roles: Some(vec![Role::Teacher]),
        legal_guardians: None,
        ..pupil.clone()
    };
    assert_eq!(check_change(&pupil, &put, ChangeKind::Replace), vec![]);
    assert_eq!(
        implied_effects(&pupil, &put, ChangeKind::Replace),
        [ImpliedEffect::RelationsCleared {
            field: "legal_guardians",
            users: vec!["mum".into(), "dad".into()]
        }]
    );
    // wards on a teacher
    let wards = UserFields {
        legal_wards: list(&["kid"]),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&teacher_ab(), &wards, ChangeKind::Patch)),
        [("legal_wards".into(), Rule::LegalWardsOnlyForLegalGuardians)]
    );
    // wards on a user changed to legal guardian in the same request
    let guardian = UserFields {
        roles: Some(vec![Role::LegalGuardian]),
        school_classes: Some(BTreeMap::new()),
        legal_wards: list(&["kid"]),
        ..Default::default()
    };
    assert_eq!(
        check_change(&teacher_ab(), &guardian, ChangeKind::Patch),
        vec![]
    );
}

#[test]
fn change_expiration_and_ucsschool_roles_checked_when_sent() {
    let change = UserFields {
        expiration_date: NaiveDate::from_ymd_opt(1960, 6, 1),
        ucsschool_roles: list(&["teacher:school"]),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&teacher_ab(), &change, ChangeKind::Patch)),
        [
            ("expiration_date".into(), Rule::ExpirationYear),
            ("ucsschool_roles[0]".into(), Rule::UcsschoolRoleFormat),
        ]
    );
    let already = UserFields {
        expiration_date: NaiveDate::from_ymd_opt(1900, 1, 1),
        ..teacher_ab()
    };
    let rename = UserFields {
        firstname: s("X"),
        ..Default::default()
    };
    assert_eq!(check_change(&already, &rename, ChangeKind::Patch), vec![]);
}

#[test]
fn change_reports_all_violations_at_once() {
    let admin = UserFields {
        roles: Some(vec![Role::SchoolAdmin]),
        ..teacher_ab()
    };
    let change = UserFields {
        name: s(""),
        roles: Some(vec![Role::Student]),
        school: s("Q"),
        schools: list(&["A", "B"]),
        workgroups: groups(&[("Z", &["w"])]),
        legal_wards: list(&["kid"]),
        expiration_date: NaiveDate::from_ymd_opt(2100, 1, 1),
        ..Default::default()
    };
    assert_eq!(
        rules(&check_change(&admin, &change, ChangeKind::Patch)),
        [
            ("name".into(), Rule::EmptyValue),
            ("school".into(), Rule::SchoolNotInSchools),
            ("workgroups.Z".into(), Rule::MembershipOutsideSchools),
            ("roles".into(), Rule::SchoolAdminToStudent),
            ("legal_wards".into(), Rule::LegalWardsOnlyForLegalGuardians),
            ("expiration_date".into(), Rule::ExpirationYear),
        ]
    );
}
