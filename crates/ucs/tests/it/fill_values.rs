//! Filling users' missing values (`ucs::forms::UserValues`, Kelvin's
//! `NewUser::fill_missing*`): naming policies, per-row languages, the
//! importer's user name lengths and blank input.

use std::sync::{Arc, Mutex};

use futures::executor::block_on;
use ucs::forms::*;
use ucs::kelvin::{FillRow, NewUser};

fn values() -> UserValues {
    UserValues::kelvin(TakenSet::new()).mail_domain("school.example.org")
}

fn name(user: &NewUser) -> &str {
    user.name.as_deref().unwrap_or_default()
}

fn fill(user: NewUser, values: &UserValues) -> NewUser {
    block_on(user.fill_missing(values)).unwrap()
}

#[test]
fn naming_policies_make_the_user_name() {
    for (naming, expected) in [
        (NamePolicy::LastName, "mueller"),
        (NamePolicy::FirstInitialLastName, "jmueller"),
        (NamePolicy::FirstInitialDotLastName, "j.mueller"),
        (NamePolicy::FirstNameDotLastName, "juergen.mueller"),
        (NamePolicy::FirstNameLastName, "juergenmueller"),
        (NamePolicy::LastNameDotFirstName, "mueller.juergen"),
    ] {
        let values = values().uid_policy(naming);
        let user = fill(NewUser::teacher("Jürgen", "Müller"), &values);
        assert_eq!(name(&user), expected, "{naming:?}");
        // the mail address keeps its own policy
        assert_eq!(
            user.email.as_deref(),
            Some("juergen.mueller@school.example.org")
        );
    }
}

#[test]
fn naming_policies_make_the_mail_address() {
    let values = values().mail_policy(NamePolicy::FirstInitialDotLastName);
    let user = fill(NewUser::teacher("Jürgen", "Müller"), &values);
    assert_eq!(user.email.as_deref(), Some("j.mueller@school.example.org"));
    assert_eq!(name(&user), "mueller");
    let values = values.mail_policy(NamePolicy::LastNameDotFirstName);
    let user = fill(NewUser::teacher("Jürgen", "Müller"), &values);
    assert_eq!(
        user.email.as_deref(),
        Some("mueller.juergen@school.example.org")
    );
}

#[test]
fn own_policies_are_parsed_and_bad_ones_refused() {
    let values = values()
        .try_uid_policy("'%(sn)s'[0:4] + '%(givenname)s'[0:2]")
        .unwrap();
    let user = fill(NewUser::teacher("Jürgen", "Müller"), &values);
    assert_eq!(name(&user), "muelju");
    match values.try_uid_policy("'%(sn)s'.shout()") {
        Err(FormError::BadPolicy { attribute, source }) => {
            assert_eq!(attribute, "uid");
            assert_eq!(source.position, 9);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_row_has_its_language() {
    let values = values();
    let german = fill(NewUser::teacher("Jürgen", "Müller"), &values);
    assert_eq!(name(&german), "mueller");
    let french = fill(
        NewUser::teacher("Jürgen", "Müller"),
        &values.with_language("fr_FR"),
    );
    assert_eq!(name(&french), "muller");
    let greek = block_on(
        NewUser::teacher("Ευάγγελος", "Παπαδόπουλος").fill_missing_in(&values, Some("el_GR")),
    )
    .unwrap();
    assert_eq!(name(&greek), "papadopoulos");
    assert_eq!(
        greek.email.as_deref(),
        Some("evangelos.papadopoulos@school.example.org")
    );
    // the user's own preferredLanguage (a mapped UDM property Kelvin knows)
    let ukrainian = fill(
        NewUser::teacher("Юрій", "Шевченко").udm_property("preferredLanguage", "uk_UA"),
        &values,
    );
    assert_eq!(name(&ukrainian), "shevchenko");
    assert_eq!(
        ukrainian.email.as_deref(),
        Some("yurii.shevchenko@school.example.org")
    );
    // the same letters in a Russian row use the Russian table
    let russian = fill(
        NewUser::teacher("Юрий", "Шевченко"),
        &values.with_language("ru"),
    );
    assert_eq!(
        russian.email.as_deref(),
        Some("yurij.shevchenko@school.example.org")
    );
}

/// The importer's `username:max_length`: 20 by default (UCR
/// `ucsschool/username/max_length`), students 20 - len("exam-") = 15
/// (ucs-school-import `configuration.py` `_set_username_maxlength`); a
/// counter gets three characters of room (`UsernameHandler.format_name`,
/// `PATTERN_FUNC_MAXLENGTH = 3`).
#[test]
fn user_names_fit_the_importers_lengths() {
    assert_eq!(
        UidLength::UCS_SCHOOL,
        UidLength {
            default: 20,
            student: 15
        }
    );
    assert_eq!(
        UidLength::from_ucr(16, "exam-"),
        UidLength {
            default: 16,
            student: 11
        }
    );
    let values = values();
    let student = fill(NewUser::student("Jürgen", "Müller-Lüdenscheidt"), &values);
    assert_eq!(name(&student), "mueller-luedens");
    let second = fill(NewUser::student("Jürgen", "Müller-Lüdenscheidt"), &values);
    assert_eq!(name(&second), "mueller-lued2");
    let teacher = fill(NewUser::teacher("Jürgen", "Müller-Lüdenscheidt"), &values);
    assert_eq!(name(&teacher), "mueller-luedenscheid");
    for user in [&student, &second, &teacher] {
        assert!(is_valid_uid(name(user)), "{}", name(user));
    }
    // a cut never ends in a separator
    let short = fill(
        NewUser::teacher("Jürgen", "Müller-Lüdenscheidt"),
        &values.clone().max_uid_length(8),
    );
    assert_eq!(name(&short), "mueller");
}

#[test]
fn the_types_own_maxlength_limits_generation() {
    let user_type = UserType::from_json(
        r#"{"form_fields": {"sn": {}}, "auto_form_fields": {"uid": {"maxlength": 6}}}"#,
    )
    .unwrap();
    let taken = TakenSet::new();
    let input = FormInput::new().with("sn", "Papadopoulos");
    let first = block_on(generate(&user_type, &["uid"], &input, &taken)).unwrap();
    let second = block_on(generate(&user_type, &["uid"], &input, &taken)).unwrap();
    assert_eq!(first.text("uid"), Some("papado"));
    assert_eq!(second.text("uid"), Some("pap2"));
}

#[test]
fn blank_names_count_as_missing_and_are_named() {
    let values = values();
    let error = block_on(NewUser::student("Jane", " \t ").fill_missing(&values)).unwrap_err();
    match &error {
        ucs::Error::Form(FormError::BlankInput { attribute, key }) => {
            assert_eq!(attribute, "name");
            assert_eq!(key, "lastname");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "form values: cannot generate name: input \"lastname\" is only whitespace"
    );
    // a blank name or e-mail address is filled like a missing one
    let mut user = NewUser::student("Jane", "Doe");
    user.name = Some("  ".into());
    user.email = Some(" ".into());
    let user = fill(user, &values);
    assert_eq!(name(&user), "doe");
    assert_eq!(user.email.as_deref(), Some("jane.doe@school.example.org"));
    // a blank first name leaves out the e-mail address (optional), not the name
    let user = fill(NewUser::student(" ", "Roe"), &values);
    assert_eq!(name(&user), "roe");
    assert_eq!(user.email, None);
}

#[test]
fn many_rows_are_filled_in_order_with_progress() {
    let values = values();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rows: Vec<FillRow> = vec![
        NewUser::student("Jürgen", "Müller").into(),
        NewUser::student("Jürgen", "Müller").into(),
        NewUser::student("Jane", "  ").into(),
        FillRow::new(NewUser::teacher("Ευάγγελος", "Παπαδόπουλος"), "el_GR"),
    ];
    let log = seen.clone();
    let results = block_on(NewUser::fill_missing_many(rows, &values, move |p| {
        log.lock().unwrap().push(p)
    }))
    .unwrap();
    let names: Vec<Option<&str>> = results.iter().map(|r| r.as_ref().ok().map(name)).collect();
    assert_eq!(
        names,
        [
            Some("mueller"),
            Some("mueller2"),
            None,
            Some("papadopoulos")
        ]
    );
    assert!(matches!(
        &results[2],
        Err(ucs::Error::Form(FormError::BlankInput { key, .. })) if key == "lastname"
    ));
    let seen = seen.lock().unwrap();
    assert_eq!(
        *seen,
        [
            FillProgress {
                done: 1,
                failed: 0,
                total: 4
            },
            FillProgress {
                done: 2,
                failed: 0,
                total: 4
            },
            FillProgress {
                done: 3,
                failed: 1,
                total: 4
            },
            FillProgress {
                done: 4,
                failed: 1,
                total: 4
            },
        ]
    );
}
