//! Reading `ucs-school-import`'s JSON configuration (ucs-school-import/modules/ucsschool/
//! importer/configuration.py; defaults from usr/share/ucs-school-import/configs/
//! user_import_defaults.json; repository univention/ucsschool-kelvin-rest-api, release
//! 4.0.0).

use ucs_sync::config::{Mode, UserRole};
use ucs_sync::{SyncConfig, SyncError};

/// The harness's copy of the importer's shipped defaults, when present.
const DEFAULTS: &str =
    "/work/shared/kelvin-real/root/usr/share/ucs-school-import/configs/user_import_defaults.json";

#[test]
fn the_shipped_defaults_and_a_user_file_stack() {
    let defaults =
        std::fs::read_to_string(DEFAULTS).unwrap_or_else(|_| include_defaults().to_string());
    let user = r#"{
        "source_uid": "NewDB", "user_role": "student", "school": "DEMOSCHOOL",
        "csv": {"mapping": {"Vorname": "firstname", "Klassen": "school_classes", "Telefon": "phone"},
                "delimiter": ";", "incell-delimiter": {"Telefon": "|"}},
        "scheme": {"username": {"default": "<:umlauts><firstname>[0]<lastname>[COUNTER2]", "teacher": "<lastname>"},
                   "email": "<firstname>.<lastname>@<maildomain>", "displayName": "<firstname> <lastname>"},
        "username": {"max_length": {"default": 18}},
        "deletion_grace_period": {"deletion": "90"},
        "tolerate_errors": 5, "no_delete": "1",
        "mandatory_attributes": ["email"]
    }"#;
    let c = SyncConfig::from_import_json(&[&defaults, user]).expect("configuration");
    assert_eq!(c.source_uid, "NewDB");
    assert_eq!(c.user_role, Some(UserRole::Student));
    assert_eq!(c.csv.delimiter, Some(b';'));
    assert_eq!(c.csv.header_lines, 1);
    assert_eq!(
        c.csv.mapping[2],
        ("Telefon".to_string(), "phone".to_string()),
        "mapping order kept"
    );
    assert_eq!(c.incell_delimiter("Telefon"), "|");
    assert_eq!(
        c.incell_delimiter("Klassen"),
        ",",
        "incell-delimiter.default"
    );
    assert_eq!(
        c.username_scheme(Some(UserRole::Teacher)),
        Some("<lastname>")
    );
    assert_eq!(
        c.username_scheme(Some(UserRole::Staff)),
        Some("<:umlauts><firstname>[0]<lastname>[COUNTER2]")
    );
    assert_eq!(
        c.scheme.udm_properties["displayName"],
        "<firstname> <lastname>"
    );
    // _set_username_maxlength: student = default - len("exam-")
    assert_eq!(c.max_username_length(Some(UserRole::Student)), 13);
    assert_eq!(c.max_username_length(Some(UserRole::Teacher)), 18);
    // nested objects merge key by key (ReadOnlyDict._recursive_typed_update)
    assert_eq!(
        (
            c.deletion_grace_period.deactivation,
            c.deletion_grace_period.deletion
        ),
        (0, 90)
    );
    assert_eq!((c.tolerate_errors, c.no_delete), (5, true));
    // check_mandatory_attributes adds the six minimal ones and sorts
    assert_eq!(
        c.mandatory_attributes,
        [
            "email",
            "firstname",
            "lastname",
            "name",
            "record_uid",
            "school",
            "source_uid"
        ]
    );
    assert_eq!(c.password_length, 15);
    assert!(
        c.activates(Some(UserRole::Teacher)),
        "activate_new_users.default"
    );
    assert_eq!(c.mode, Mode::Default);
}

fn include_defaults() -> &'static str {
    r#"{"csv": {"header_lines": 1, "incell-delimiter": {"default": ","}, "mapping": {}},
        "deletion_grace_period": {"deactivation": 0, "deletion": 0}, "tolerate_errors": 0,
        "password_length": 15, "username": {"allowed_special_chars": "."}}"#
}

#[test]
fn defaults_without_files_and_username_max_length_from_ucr_default() {
    let c = SyncConfig::from_import_json(&[r#"{"source_uid": "x"}"#]).unwrap();
    assert_eq!(
        c.max_username_length(None),
        20,
        "ucsschool/username/max_length defaults to 20"
    );
    assert_eq!(c.max_username_length(Some(UserRole::Student)), 15);
    assert_eq!(
        c.tolerate_errors, 0,
        "user_import_defaults.json: tolerate_errors 0"
    );
    assert_eq!(c.no_overwrite_attributes, ["mailPrimaryAddress", "uid"]);
}

#[test]
fn the_sisopi_importer_class_selects_the_school_change_mode() {
    let sisopi = r#"{"source_uid": "x", "school": "A", "limbo_ou": "limbo",
        "classes": {"user_importer": "ucsschool.importer.mass_import.sisopi_user_import.SingleSourcePartialUserImport"}}"#;
    let c = SyncConfig::from_import_json(&[sisopi]).unwrap();
    assert_eq!(
        c.mode,
        Mode::SchoolChange {
            limbo_ou: "limbo".into()
        }
    );
    let missing = r#"{"classes": {"user_importer": "x.SingleSourcePartialUserImport"}}"#;
    assert!(
        matches!(SyncConfig::from_import_json(&[missing]), Err(SyncError::Config(m)) if m.contains("limbo_ou"))
    );
}

#[test]
fn bad_values_are_refused_with_the_key() {
    for (json, key) in [
        (r#"{"user_role": "pupil"}"#, "user_role"),
        (r#"{"csv": {"delimiter": ";;"}}"#, "csv.delimiter"),
        (r#"{"tolerate_errors": "many"}"#, "tolerate_errors"),
        (r#"[1]"#, "JSON object"),
    ] {
        let err = SyncConfig::from_import_json(&[json])
            .unwrap_err()
            .to_string();
        assert!(err.contains(key), "{json}: {err}");
    }
}
