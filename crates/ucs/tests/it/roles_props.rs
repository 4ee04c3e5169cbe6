//! Property tests of the role rules: valid requests stay valid, changes are judged by what
//! they touch, and the checks are total on arbitrary input.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use ucs::roles::{
    check_change, check_create, implied_effects, ChangeKind, Role, RoleSet, Rule, UserFields,
};

const SCHOOLS: [&str; 4] = ["A", "B", "DEMOSCHOOL", "gym1"];

fn allowed_roles() -> impl Strategy<Value = Vec<Role>> {
    use Role::*;
    prop::sample::select(vec![
        vec![Staff],
        vec![Student],
        vec![Teacher],
        vec![SchoolAdmin],
        vec![LegalGuardian],
        vec![Staff, Teacher],
        vec![Teacher, Staff],
        vec![SchoolAdmin, Staff],
        vec![SchoolAdmin, Teacher],
        vec![SchoolAdmin, Staff, Teacher],
    ])
}

fn any_roles() -> impl Strategy<Value = Vec<Role>> {
    vec(prop::sample::select(Role::ALL.to_vec()), 0..4)
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÄÖÜäöüß][a-zäöüß' -]{0,12}"
}

fn in_range_date() -> impl Strategy<Value = NaiveDate> {
    (1961i32..=2099, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn role_string() -> impl Strategy<Value = String> {
    ("[a-z_]{1,10}", "[a-z]{1,8}", "[A-Za-z0-9-]{1,10}")
        .prop_map(|(r, t, c)| format!("{r}:{t}:{c}"))
}

/// A create request that satisfies every rule.
fn valid_create() -> impl Strategy<Value = UserFields> {
    (
        allowed_roles(),
        prop::sample::subsequence(SCHOOLS.to_vec(), 1..=4),
        any::<prop::sample::Index>(),
        any::<bool>(),
        name(),
        name(),
        "[a-z0-9]{1,10}",
        option::of(in_range_date()),
        option::of(vec(role_string(), 0..3)),
        0usize..=4,
        0usize..=10,
    )
        .prop_map(
            |(
                roles,
                schools,
                pick,
                send_school,
                first,
                last,
                uid,
                expiration,
                ucsschool_roles,
                n_guardians,
                n_wards,
            )| {
                let schools: Vec<String> = schools.into_iter().map(str::to_owned).collect();
                let school = send_school.then(|| pick.get(&schools).clone());
                let staff_only = roles.contains(&Role::Staff) && !roles.contains(&Role::Teacher);
                let school_classes = (!staff_only).then(|| {
                    schools
                        .iter()
                        .map(|s| (s.clone(), vec![format!("{s}-1a")]))
                        .collect::<BTreeMap<_, _>>()
                });
                let legal_guardians = roles
                    .contains(&Role::Student)
                    .then(|| (0..n_guardians).map(|i| format!("guardian{i}")).collect());
                let legal_wards = roles
                    .contains(&Role::LegalGuardian)
                    .then(|| (0..n_wards).map(|i| format!("ward{i}")).collect());
                UserFields {
                    name: Some(uid.clone()),
                    firstname: Some(first),
                    lastname: Some(last),
                    record_uid: Some(format!("rec-{uid}")),
                    source_uid: Some("sis".into()),
                    roles: Some(roles),
                    school,
                    schools: Some(schools.clone()),
                    workgroups: Some(
                        schools
                            .iter()
                            .map(|s| (s.clone(), vec!["wg".into()]))
                            .collect(),
                    ),
                    school_classes,
                    legal_guardians,
                    legal_wards,
                    expiration_date: expiration,
                    ucsschool_roles,
                }
            },
        )
}

/// Anything at all, including broken data.
fn arbitrary_user() -> impl Strategy<Value = UserFields> {
    let text = || option::of("[A-Za-z0-9 ]{0,6}");
    let schools = || {
        option::of(vec(
            prop::sample::select(vec!["A", "B", "C", "", " "]).prop_map(str::to_owned),
            0..4,
        ))
    };
    let map = || {
        option::of(btree_map(
            prop::sample::select(vec!["A", "B", "C", "a"]).prop_map(str::to_owned),
            vec("[a-z0-9]{1,3}", 0..3),
            0..3,
        ))
    };
    let names = || option::of(vec("[a-z]{1,4}", 0..13));
    (
        (text(), text(), text(), text(), text()),
        option::of(any_roles()),
        option::of(prop::sample::select(vec!["A", "B", "C", "", "a"]).prop_map(str::to_owned)),
        schools(),
        (map(), map()),
        (names(), names()),
        option::of(
            (1900i32..2200, 1u32..=12, 1u32..=28)
                .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        ),
        option::of(vec("[a-z:]{0,8}", 0..3)),
    )
        .prop_map(
            |(
                (name, firstname, lastname, record_uid, source_uid),
                roles,
                school,
                schools,
                (school_classes, workgroups),
                (legal_guardians, legal_wards),
                expiration_date,
                ucsschool_roles,
            )| UserFields {
                name,
                firstname,
                lastname,
                record_uid,
                source_uid,
                roles,
                school,
                schools,
                school_classes,
                workgroups,
                legal_guardians,
                legal_wards,
                expiration_date,
                ucsschool_roles,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_valid_create_is_valid(user in valid_create()) {
        prop_assert_eq!(check_create(&user), vec![]);
    }

    #[test]
    fn a_valid_create_stays_valid_when_unrelated_fields_change(
        user in valid_create(),
        first in name(),
        last in name(),
        record in "[A-Za-z0-9-]{1,20}",
        source in "[A-Za-z0-9-]{1,20}",
        expiration in option::of(in_range_date()),
        ucsschool_roles in option::of(vec(role_string(), 0..4)),
    ) {
        let changed = UserFields {
            firstname: Some(first),
            lastname: Some(last),
            record_uid: Some(record),
            source_uid: Some(source),
            expiration_date: expiration,
            ucsschool_roles,
            ..user
        };
        prop_assert_eq!(check_create(&changed), vec![]);
    }

    #[test]
    fn a_valid_user_sent_back_unchanged_is_a_valid_put(user in valid_create()) {
        // as stored on the server, a user always has a primary school
        let first = user.schools.as_ref().and_then(|s| s.iter().min().cloned());
        let user = UserFields { school: user.school.clone().or(first), ..user };
        prop_assert_eq!(check_change(&user, &user, ChangeKind::Replace), vec![]);
        prop_assert_eq!(implied_effects(&user, &user, ChangeKind::Replace), vec![]);
    }

    #[test]
    fn an_empty_patch_never_fails_whatever_is_on_the_server(before in arbitrary_user()) {
        prop_assert_eq!(check_change(&before, &UserFields::default(), ChangeKind::Patch), vec![]);
        prop_assert_eq!(implied_effects(&before, &UserFields::default(), ChangeKind::Patch), vec![]);
    }

    #[test]
    fn a_patch_of_names_only_never_fails(before in arbitrary_user(), first in name(), last in name()) {
        let change = UserFields { firstname: Some(first), lastname: Some(last), ..Default::default() };
        prop_assert_eq!(check_change(&before, &change, ChangeKind::Patch), vec![]);
    }

    #[test]
    fn role_combination_is_reported_exactly_when_the_set_is_not_allowed(user in arbitrary_user()) {
        let violations = check_create(&user);
        let reported = violations.iter().filter(|v| v.rule == Rule::RoleCombination).count();
        let expected = match &user.roles {
            Some(roles) => usize::from(RoleSet::new(roles.iter().copied()).is_err()),
            None => 0,
        };
        prop_assert_eq!(reported, expected);
    }

    #[test]
    fn checks_are_total_and_every_violation_is_a_sentence(
        before in arbitrary_user(),
        change in arbitrary_user(),
        replace in any::<bool>(),
    ) {
        let kind = if replace { ChangeKind::Replace } else { ChangeKind::Patch };
        for v in check_create(&before).into_iter().chain(check_change(&before, &change, kind)) {
            prop_assert!(!v.field.is_empty());
            prop_assert!(v.message.ends_with('.'), "{}", v.message);
            prop_assert!(Rule::ALL.contains(&v.rule));
        }
        for effect in implied_effects(&before, &change, kind) {
            prop_assert!(effect.to_string().ends_with('.'));
        }
        // deterministic
        prop_assert_eq!(check_change(&before, &change, kind), check_change(&before, &change, kind));
    }
}
