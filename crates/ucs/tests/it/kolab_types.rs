//! Kolab's own user type documents load and work (`ucs::forms::UserType`).
//!
//! The documents are in the shape of the `user_types` rows of Kolab Web Admin
//! Panel 3.1 (`doc/kolab_wap-3.1.sql`, the `attributes` column): fields defined
//! as `[]` (PHP's empty array), `"type": "text-quota"`, `"type"` inside auto
//! fields, `alias` as both a form field and an auto field (the form merges
//! the two: `kolab_client_task::form_prepare`), and auto fields the directory
//! fills (`mailhost`, `uidnumber`, `gidnumber`).

use futures::executor::block_on;
use serde_json::json;
use ucs::forms::*;

/// The Kolab user type ("kolab") of the 3.1 schema.
fn kolab_user() -> serde_json::Value {
    json!({
        "id": "1", "key": "kolab", "name": "Kolab User", "description": "A Kolab User", "used_for": null,
        "attributes": {
            "auto_form_fields": {
                "alias": {"type": "list", "data": ["givenname", "preferredlanguage", "sn"]},
                "cn": {"data": ["givenname", "sn"]},
                "displayname": {"data": ["givenname", "sn"]},
                "mail": {"data": ["givenname", "preferredlanguage", "sn"]},
                "mailhost": {"optional": true},
                "uid": {"data": ["givenname", "preferredlanguage", "sn"]},
                "userpassword": {"optional": true}
            },
            "form_fields": {
                "alias": {"optional": true},
                "givenname": [],
                "initials": {"optional": true},
                "kolabdelegate": {"type": "list", "autocomplete": true, "optional": true},
                "kolabinvitationpolicy": {"type": "select", "values": ["", "ACT_MANUAL", "ACT_REJECT"], "optional": true},
                "kolaballowsmtprecipient": {"type": "list", "optional": true},
                "kolaballowsmtpsender": {"type": "list", "optional": true},
                "l": {"optional": true},
                "mailalternateaddress": {"type": "list", "optional": true},
                "mailquota": {"type": "text-quota", "optional": true},
                "mobile": {"optional": true},
                "nsroledn": {"type": "list", "autocomplete": true, "optional": true},
                "o": {"optional": true},
                "ou": {"type": "select"},
                "pager": {"optional": true},
                "postalcode": {"optional": true},
                "preferredlanguage": {"type": "select"},
                "sn": [],
                "street": {"optional": true},
                "telephonenumber": {"optional": true},
                "title": {"optional": true},
                "userpassword": {"optional": true}
            },
            "fields": {"objectclass": ["top", "inetorgperson", "kolabinetorgperson", "mailrecipient", "organizationalperson", "person"]}
        }
    })
}

/// The POSIX user type ("posix") of the same schema.
fn posix_user() -> serde_json::Value {
    json!({
        "key": "posix", "name": "POSIX User", "description": "A POSIX user",
        "attributes": {
            "auto_form_fields": {
                "cn": {"data": ["givenname", "sn"]},
                "displayname": {"data": ["givenname", "sn"]},
                "gidnumber": [],
                "homedirectory": {"data": ["givenname", "preferredlanguage", "sn"]},
                "uid": {"data": ["givenname", "preferredlanguage", "sn"]},
                "uidnumber": [],
                "userpassword": {"optional": true}
            },
            "form_fields": {
                "givenname": [],
                "loginshell": {"type": "select", "values": ["/bin/bash", "/usr/bin/git-shell", "/sbin/nologin"]},
                "sn": [],
                "userpassword": {"optional": true}
            },
            "fields": {"objectclass": ["top", "inetorgperson", "organizationalperson", "person", "posixaccount"]}
        }
    })
}

/// What a form of the Kolab type asks for.
fn form() -> FormInput {
    FormInput::new()
        .with("givenname", "Jürgen")
        .with("sn", "Müller")
        .with("preferredlanguage", "de_DE")
        .with("ou", "ou=People,dc=example,dc=org")
}

/// What generation needs: the names, the language and the mail domain.
fn input() -> FormInput {
    form().with("domain", "example.org")
}

#[test]
fn kolabs_user_type_loads() {
    let user_type = UserType::from_json(&kolab_user().to_string()).unwrap();
    let fields = &user_type.attributes.form_fields;
    assert_eq!(
        fields["givenname"],
        FormField::default(),
        "[] is no settings"
    );
    assert_eq!(fields["mailquota"].field_type, FieldType::TextQuota);
    assert!(fields["mailquota"].optional);
    assert_eq!(
        fields["alias"].field_type,
        FieldType::List,
        "the form field takes the auto field's type"
    );
    let auto = &user_type.attributes.auto_form_fields;
    assert_eq!(auto["alias"].field_type, Some(FieldType::List));
    assert_eq!(
        auto["alias"].generator_for("alias").unwrap(),
        Generator::Aliases
    );
    assert_eq!(
        auto["mailhost"].generator_for("mailhost").unwrap(),
        Generator::Server
    );
    // serializes to a document that loads to the same type
    let again = UserType::from_json(&serde_json::to_string(&user_type).unwrap()).unwrap();
    assert_eq!(again, user_type);
}

#[test]
fn kolabs_alias_attribute_generates_aliases() {
    let user_type = UserType::from_json(&kolab_user().to_string()).unwrap();
    let values = block_on(generate(
        &user_type,
        &["uid", "mail", "alias", "mailhost", "cn"],
        &input(),
        &TakenSet::new(),
    ))
    .unwrap();
    assert_eq!(values.text("uid"), Some("mueller"));
    assert_eq!(values.text("mail"), Some("juergen.mueller@example.org"));
    assert_eq!(
        values.list("alias").unwrap(),
        ["j.mueller@example.org", "mueller@example.org"]
    );
    assert_eq!(values.text("cn"), Some("Jürgen Müller"));
    assert!(values.get("mailhost").is_none());
    assert!(values.notes().contains(&GenerationNote::LeftToServer {
        attribute: "mailhost".into()
    }));
}

#[test]
fn kolabs_alias_is_validated_as_a_list_of_addresses() {
    let user_type = UserType::from_json(&kolab_user().to_string()).unwrap();
    let form = form()
        .with("alias", json!(["jm@example.org", "not an address"]))
        .with("mailquota", "1048576");
    let problems = validate(&user_type, &form);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "alias[1]");
    assert!(matches!(problems[0].kind, ProblemKind::InvalidMail { .. }));
}

#[test]
fn text_quota_takes_whole_kilobytes() {
    let user_type = UserType::from_json(&kolab_user().to_string()).unwrap();
    let with = |quota: serde_json::Value| validate(&user_type, &form().with("mailquota", quota));
    assert_eq!(with(json!("1048576")), []);
    assert_eq!(with(json!(524288)), []);
    for bad in [json!("1 GB"), json!(-1), json!(1.5)] {
        let problems = with(bad.clone());
        assert_eq!(problems.len(), 1, "{bad}");
        assert_eq!(problems[0].kind, ProblemKind::NotAWholeNumber);
        assert_eq!(
            problems[0].message,
            format!("mailquota must be a whole number of kilobytes, but is {bad}.")
        );
    }
}

#[test]
fn posix_user_type_generates_the_home_directory() {
    let user_type = UserType::from_json(&posix_user().to_string()).unwrap();
    let values = block_on(generate(
        &user_type,
        &["uid", "homedirectory", "uidnumber", "gidnumber"],
        &input(),
        &TakenSet::new(),
    ))
    .unwrap();
    assert_eq!(values.text("uid"), Some("mueller"));
    assert_eq!(values.text("homedirectory"), Some("/home/mueller"));
    assert!(values.get("uidnumber").is_none());
    let left: Vec<&GenerationNote> = values
        .notes()
        .iter()
        .filter(|n| matches!(n, GenerationNote::LeftToServer { .. }))
        .collect();
    assert_eq!(left.len(), 2);
}

#[test]
fn empty_groups_written_as_lists_load() {
    let user_type = UserType::from_json(
        r#"{"key": "role", "attributes": {"auto_form_fields": [], "form_fields": {"cn": []}, "fields": {"objectclass": ["top"]}}}"#,
    )
    .unwrap();
    assert!(user_type.attributes.auto_form_fields.is_empty());
    assert_eq!(user_type.attributes.form_fields["cn"], FormField::default());
}

#[test]
fn readonly_and_maxcount_are_kept_and_checked() {
    let user_type = UserType::from_json(
        r#"{"form_fields": {"sn": {}, "nsroledn": {"type": "list", "optional": true, "maxcount": 2, "readonly": true}},
            "auto_form_fields": {"uid": {"readonly": true}}}"#,
    )
    .unwrap();
    assert!(user_type.attributes.form_fields["nsroledn"].readonly);
    assert!(user_type.attributes.auto_form_fields["uid"].readonly);
    let problems = validate(
        &user_type,
        &FormInput::new()
            .with("sn", "Doe")
            .with("nsroledn", json!(["a", "b", "c"])),
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::TooMany { max: 2, count: 3 });
    assert_eq!(
        problems[0].message,
        "nsroledn has 3 items, at most 2 are allowed."
    );
}
