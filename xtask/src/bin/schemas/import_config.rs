//! The schema of a `ucs-school-import` JSON configuration file as `ucs-sync`
//! reads it (`ucs_sync::config`, `import_json.rs`): the keys it reads, each
//! with the values the reader accepts, and this project's `ucs_sync` section.
//! The importer has more keys; they are allowed and ignored.
//!
//! No Rust type of `ucs-sync` has this shape (the reader walks the JSON by
//! hand), so the types below describe it. The schema carries an example file
//! with every key; [`schema`] refuses to print the schema unless `ucs-sync`
//! reads that example and ends up with its values.

// The types only describe the file: nothing builds or reads them.
#![allow(dead_code)]

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde_json::{json, Value};
use ucs_sync::config::{from_import_json_values, Mode, SafetyLimit, UserRole};

use crate::lenient::{keys_optional, Flag, Integer, OrNull, Text};

/// A `ucs-school-import` JSON configuration file, as `ucs-sync` reads it.
/// Several files stack: a later file overrides an earlier one key by key,
/// nested objects recursively. Keys of the importer that `ucs-sync` does not
/// read are allowed and ignored.
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
pub struct ImportConfig {
    /// The source system: the `source_uid` of the users this sync owns.
    source_uid: OrNull<Text>,
    /// The school of rows without one; required by the SingleSourcePartialUserImport.
    school: OrNull<Text>,
    /// The role of rows without a `__role` column.
    user_role: OrNull<UserRole>,
    /// The mail domain for `<maildomain>` in `scheme.email`.
    maildomain: OrNull<Text>,
    /// Never deactivate or delete users missing from the roster.
    no_delete: Flag,
    /// How many rejected rows and failed actions are tolerated; -1 = any.
    tolerate_errors: Integer,
    /// Length of generated passwords (1 to 256).
    password_length: Integer,
    /// An empty class cell keeps the user's classes.
    school_classes_keep_if_empty: Flag,
    /// An empty workgroup cell keeps the user's workgroups.
    workgroups_keep_if_empty: Flag,
    /// Replaces characters not allowed in class names.
    school_classes_invalid_character_replacement: OrNull<Text>,
    /// Replaces characters not allowed in workgroup names.
    workgroups_invalid_character_replacement: OrNull<Text>,
    /// Transliteration of names.
    normalize: OrNull<Normalize>,
    /// Whether new users are created enabled, per role key (`student`, ...) or `default`.
    activate_new_users: OrNull<BTreeMap<String, Flag>>,
    /// Days until users missing from the roster are deactivated and deleted.
    deletion_grace_period: OrNull<GracePeriod>,
    /// How the CSV roster is read.
    csv: OrNull<Csv>,
    /// Templates of generated values.
    scheme: OrNull<Scheme>,
    /// User name rules.
    username: OrNull<Username>,
    /// Attributes every row must have; the six the importer always requires
    /// (firstname, lastname, name, record_uid, school, source_uid) are added.
    mandatory_attributes: Vec<Text>,
    /// Checks to skip (`uniqueness`, `global_source_uid`).
    skip_tests: Vec<Text>,
    /// Settings of `ucs-sync` that the importer does not have.
    ucs_sync: OrNull<UcsSync>,
    /// The importer's classes; a `user_importer` ending in
    /// `SingleSourcePartialUserImport` selects the school-change mode.
    classes: OrNull<Classes>,
    /// The school that holds users who are in no school's roster (school-change mode).
    limbo_ou: OrNull<Text>,
}

/// Transliteration of names (`normalize`).
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
struct Normalize {
    /// Transliterate first names.
    firstname: Flag,
    /// Transliterate last names.
    lastname: Flag,
}

/// Days until users missing from the roster are deactivated and deleted
/// (0 = now).
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
struct GracePeriod {
    /// Days until the account is deactivated.
    deactivation: Integer,
    /// Days until the account is deleted.
    deletion: Integer,
}

/// How the CSV roster is read (`csv`).
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
struct Csv {
    /// Column name -> attribute (`firstname`, `school_classes`, `__role`,
    /// `__ignore`, `__action`, or a UDM property name).
    mapping: OrNull<BTreeMap<String, Text>>,
    /// Lines before the data; with 1 the first line names the columns.
    header_lines: Integer,
    /// The delimiter, one character; without it, it is detected from the first line.
    delimiter: OrNull<Text>,
    /// The delimiter inside a cell, per column (`default` for all others).
    #[schemars(rename = "incell-delimiter")]
    incell_delimiter: OrNull<BTreeMap<String, Text>>,
    /// Mapped columns that may be missing from the header.
    allowed_missing_columns: Vec<Text>,
}

/// Templates of generated values (`scheme`); every other key is the template
/// of the UDM property of that name.
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
struct Scheme {
    /// The user name template, for every role or per role key (`student`, ..., `default`).
    username: UsernameScheme,
    /// The mail address template.
    email: Text,
    /// The `record_uid` template (used when the roster has none).
    record_uid: Text,
    /// The first name template (used when the row's is empty).
    firstname: Text,
    /// The last name template (used when the row's is empty).
    lastname: Text,
    /// Templates of UDM properties.
    #[schemars(flatten)]
    udm_properties: BTreeMap<String, Text>,
}

/// A user name template, for every role or per role key.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum UsernameScheme {
    /// One template for every role.
    Every(Text),
    /// A template per role key (`student`, ..., `default`).
    PerRole(BTreeMap<String, Text>),
}

/// User name rules (`username`).
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
struct Username {
    /// Characters allowed in user names besides ASCII letters and digits.
    allowed_special_chars: Text,
    /// Longest user name per role key (`default` for the others; 20, and for
    /// students `default` minus the length of `exam-`, when not given).
    max_length: OrNull<BTreeMap<String, Integer>>,
}

/// Settings of `ucs-sync` that the importer does not have (`ucs_sync`).
/// Unknown keys here are typos: the reader would ignore them.
#[derive(JsonSchema)]
#[schemars(transform = keys_optional, deny_unknown_fields)]
struct UcsSync {
    /// LDAP attributes that templates never overwrite on existing users.
    no_overwrite_attributes: Vec<Text>,
    /// The share of a school's users one plan may deactivate or delete.
    safety: SafetyLimit,
}

/// The importer's classes (`classes`).
#[derive(JsonSchema)]
#[schemars(transform = keys_optional)]
struct Classes {
    /// The importer class (`...SingleSourcePartialUserImport` selects the school-change mode).
    user_importer: String,
}

/// A configuration file with every key the schema describes.
fn example() -> Value {
    json!({
        "source_uid": "sis",
        "school": "DEMOSCHOOL",
        "user_role": "student",
        "maildomain": "school.example",
        "no_delete": false,
        "tolerate_errors": 3,
        "password_length": "12",
        "school_classes_keep_if_empty": "yes",
        "workgroups_keep_if_empty": 0,
        "school_classes_invalid_character_replacement": "_",
        "workgroups_invalid_character_replacement": "_",
        "normalize": { "firstname": true, "lastname": "false" },
        "activate_new_users": { "default": true, "staff": false },
        "deletion_grace_period": { "deactivation": 0, "deletion": 30 },
        "csv": {
            "mapping": {
                "Vorname": "firstname",
                "Nachname": "lastname",
                "Klassen": "school_classes",
                "Rolle": "__role",
                "ID": "record_uid"
            },
            "header_lines": 1,
            "delimiter": ";",
            "incell-delimiter": { "default": ",", "Klassen": " " },
            "allowed_missing_columns": ["Klassen"]
        },
        "scheme": {
            "username": { "default": "<:umlauts><firstname>.<lastname>", "student": "<firstname>[0]<lastname>[COUNTER2]" },
            "email": "<firstname>.<lastname>@<maildomain>",
            "record_uid": "<firstname>.<lastname>",
            "firstname": "<lastname>",
            "lastname": "<firstname>",
            "description": "imported from <source_uid>"
        },
        "username": { "allowed_special_chars": ".-", "max_length": { "default": 20 } },
        "mandatory_attributes": ["firstname", "lastname", "school"],
        "skip_tests": ["uniqueness"],
        "ucs_sync": {
            "no_overwrite_attributes": ["mailPrimaryAddress", "uid"],
            "safety": { "max_share": 0.2, "min_users": 10, "force": false }
        },
        "classes": { "user_importer": "ucsschool.importer.mass_import.sisopi_user_import.SingleSourcePartialUserImport" },
        "limbo_ou": "limbo"
    })
}

/// The schema, with [`example`] as its example, once `ucs-sync` read the
/// example as intended.
pub fn schema() -> Result<Value, String> {
    let example = example();
    check_example(&example)?;
    let mut schema = crate::draft7::root::<ImportConfig>("ucs-sync configuration")?;
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .ok_or("the configuration schema has no properties")?;
    let missing: Vec<&String> = properties
        .keys()
        .filter(|key| example.get(key.as_str()).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!("the example lacks the keys {missing:?}"));
    }
    if let Some(object) = schema.as_object_mut() {
        object.insert("examples".into(), Value::Array(vec![example]));
    }
    Ok(schema)
}

/// `ucs-sync` reads the example, and every value lands where the schema says.
fn check_example(example: &Value) -> Result<(), String> {
    let config = from_import_json_values(std::slice::from_ref(example))
        .map_err(|e| format!("ucs-sync refuses the schema's example: {e}"))?;
    let expect = |what: &str, ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(format!("ucs-sync read the example's {what} differently"))
        }
    };
    expect("source_uid", config.source_uid == "sis")?;
    expect("user_role", config.user_role == Some(UserRole::Student))?;
    expect("password_length", config.password_length == 12)?;
    expect(
        "school_classes_keep_if_empty",
        config.school_classes_keep_if_empty,
    )?;
    expect(
        "normalize",
        config.normalize_firstname && !config.normalize_lastname,
    )?;
    expect(
        "deletion_grace_period",
        config.deletion_grace_period.deletion == 30,
    )?;
    expect("csv.delimiter", config.csv.delimiter == Some(b';'))?;
    expect(
        "csv.incell-delimiter",
        config.incell_delimiter("Klassen") == " ",
    )?;
    expect(
        "scheme",
        config.scheme.udm_properties.contains_key("description"),
    )?;
    expect(
        "username.max_length",
        config.max_username_length(None) == 20,
    )?;
    expect(
        "ucs_sync.safety",
        config.safety.max_share == 0.2 && config.safety.min_users == 10,
    )?;
    expect(
        "limbo_ou",
        matches!(&config.mode, Mode::SchoolChange { limbo_ou } if limbo_ou == "limbo"),
    )?;
    Ok(())
}
