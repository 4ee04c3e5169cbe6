//! What a sync does: the source, the column mapping, the name and mail schemes, the
//! lifecycle of users who left, and the safety limit.
//!
//! [`SyncConfig::default`] holds the defaults of `ucs-school-import`
//! (`usr/share/ucs-school-import/configs/user_import_defaults.json` and
//! `ucsschool.importer.configuration._set_username_maxlength`); [`SyncConfig::from_import_json`]
//! reads the importer's own JSON configuration on top of them.

mod import_json;
mod role;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use import_json::from_import_json_values;
pub use role::UserRole;

/// The name of the UDM property that holds the deletion date.
pub const PURGE_TIMESTAMP: &str = "ucsschoolPurgeTimestamp";

/// How the CSV roster is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvSettings {
    /// Column name -> attribute (`firstname`, `school_classes`, `__role`, `__ignore`,
    /// `__action`, or a UDM property name), in the configuration's order.
    pub mapping: Vec<(String, String)>,
    /// Lines before the data; with 1 the first line names the columns, otherwise the
    /// columns are named `0`, `1`, ...
    pub header_lines: usize,
    /// The delimiter; `None` = detect it from the first line.
    pub delimiter: Option<u8>,
    /// The delimiter inside a cell, per column (key `default` for all others).
    pub incell_delimiter: BTreeMap<String, String>,
    /// Mapped columns that may be missing from the header.
    pub allowed_missing_columns: Vec<String>,
}

impl Default for CsvSettings {
    fn default() -> Self {
        CsvSettings {
            mapping: Vec::new(),
            header_lines: 1,
            delimiter: None,
            incell_delimiter: BTreeMap::from([("default".into(), ",".into())]),
            allowed_missing_columns: Vec::new(),
        }
    }
}

/// Templates for generated values (`scheme`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    /// User name template per role key (`student`, ..., `default`).
    pub username: BTreeMap<String, String>,
    /// Mail address template.
    pub email: Option<String>,
    /// `record_uid` template (used when the roster has none).
    pub record_uid: Option<String>,
    /// First name template (used when the row's is empty).
    pub firstname: Option<String>,
    /// Last name template (used when the row's is empty).
    pub lastname: Option<String>,
    /// Templates of UDM properties.
    pub udm_properties: BTreeMap<String, String>,
}

/// Days until deactivation and deletion of users missing from the roster
/// (`deletion_grace_period`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GracePeriod {
    /// Days until the account is deactivated (0 = now).
    pub deactivation: i64,
    /// Days until the account is deleted (0 = now).
    pub deletion: i64,
}

/// What happens to users missing from a school's roster.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Mode {
    /// `ucs-school-import`'s default: users of the source missing from the roster are
    /// deactivated and deleted after the grace period.
    #[default]
    Default,
    /// `SingleSourcePartialUserImport`: one school's roster at a time; a user missing from
    /// it leaves that school, and a user in no school any more goes to the limbo school,
    /// deactivated; a user found in another school (or the limbo) is moved or gets the
    /// school added. Needs `school`.
    SchoolChange {
        /// The school that holds users who are in no school's roster.
        limbo_ou: String,
    },
}

/// The share of a school's users a plan may deactivate or delete.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SafetyLimit {
    /// The largest share (0.0 to 1.0) per school.
    pub max_share: f64,
    /// Schools with fewer users of the source than this are not limited.
    pub min_users: usize,
    /// Go ahead anyway.
    pub force: bool,
}

impl Default for SafetyLimit {
    /// At most 10% of a school's users, schools of 20 users or more, not forced.
    fn default() -> Self {
        SafetyLimit {
            max_share: 0.1,
            min_users: 20,
            force: false,
        }
    }
}

/// Everything a sync needs to know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncConfig {
    /// The source system (`source_uid`).
    pub source_uid: String,
    /// The school of rows without one (`school`); required in school-change mode.
    pub school: Option<String>,
    /// The role of rows without a `__role` column (`user_role`).
    pub user_role: Option<UserRole>,
    /// CSV reading and column mapping (`csv`).
    pub csv: CsvSettings,
    /// Templates (`scheme`).
    pub scheme: Scheme,
    /// The mail domain for `<maildomain>` (`maildomain`).
    pub maildomain: Option<String>,
    /// Attributes every row must have (`mandatory_attributes`).
    pub mandatory_attributes: Vec<String>,
    /// Lifecycle of users who left (`deletion_grace_period`).
    pub deletion_grace_period: GracePeriod,
    /// Never deactivate or delete users missing from the roster (`no_delete`).
    pub no_delete: bool,
    /// How many rejected rows and failed actions are tolerated; -1 = any
    /// (`tolerate_errors`).
    pub tolerate_errors: i64,
    /// Longest user name per role key (`username.max_length`; `default` for the others).
    pub username_max_length: BTreeMap<String, usize>,
    /// Characters allowed in user names besides ASCII letters and digits
    /// (`username.allowed_special_chars`).
    pub username_allowed_special_chars: String,
    /// Length of generated passwords (`password_length`).
    pub password_length: usize,
    /// Whether new users are enabled, per role key or `default` (`activate_new_users`).
    pub activate_new_users: BTreeMap<String, bool>,
    /// An empty class cell keeps the user's classes (`school_classes_keep_if_empty`).
    pub school_classes_keep_if_empty: bool,
    /// An empty workgroup cell keeps the user's workgroups (`workgroups_keep_if_empty`).
    pub workgroups_keep_if_empty: bool,
    /// Replaces characters not allowed in class names
    /// (`school_classes_invalid_character_replacement`).
    pub school_classes_invalid_character_replacement: String,
    /// Replaces characters not allowed in workgroup names
    /// (`workgroups_invalid_character_replacement`).
    pub workgroups_invalid_character_replacement: String,
    /// Transliterate first names (`normalize.firstname`).
    pub normalize_firstname: bool,
    /// Transliterate last names (`normalize.lastname`).
    pub normalize_lastname: bool,
    /// LDAP attributes that templates never overwrite on existing users (the UCR variable
    /// `ucsschool/import/generate/user/attributes/no-overwrite-by-schema`).
    pub no_overwrite_attributes: Vec<String>,
    /// Checks to skip (`skip_tests`: `uniqueness`, `global_source_uid`).
    pub skip_tests: Vec<String>,
    /// What happens to users missing from the roster.
    pub mode: Mode,
    /// The safety limit of deactivations and deletions.
    pub safety: SafetyLimit,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            source_uid: String::new(),
            school: None,
            user_role: None,
            csv: CsvSettings::default(),
            scheme: Scheme::default(),
            maildomain: None,
            mandatory_attributes: [
                "firstname",
                "lastname",
                "name",
                "record_uid",
                "school",
                "source_uid",
            ]
            .map(String::from)
            .to_vec(),
            deletion_grace_period: GracePeriod::default(),
            no_delete: false,
            tolerate_errors: 0,
            username_max_length: BTreeMap::from([("default".into(), 20), ("student".into(), 15)]),
            username_allowed_special_chars: ".".into(),
            password_length: 15,
            activate_new_users: BTreeMap::from([("default".into(), true)]),
            school_classes_keep_if_empty: false,
            workgroups_keep_if_empty: false,
            school_classes_invalid_character_replacement: "-".into(),
            workgroups_invalid_character_replacement: "-".into(),
            normalize_firstname: false,
            normalize_lastname: false,
            no_overwrite_attributes: vec!["mailPrimaryAddress".into(), "uid".into()],
            skip_tests: Vec::new(),
            mode: Mode::Default,
            safety: SafetyLimit::default(),
        }
    }
}

impl SyncConfig {
    /// The importer's defaults for the source `source_uid`.
    pub fn new(source_uid: impl Into<String>) -> SyncConfig {
        SyncConfig {
            source_uid: source_uid.into(),
            ..SyncConfig::default()
        }
    }

    /// Reads `ucs-school-import` JSON configuration files (later files override earlier
    /// ones key by key, as the importer stacks them) on top of the defaults.
    pub fn from_import_json(files: &[&str]) -> crate::Result<SyncConfig> {
        let mut values = Vec::with_capacity(files.len());
        for text in files {
            let value: serde_json::Value = serde_json::from_str(text)
                .map_err(|e| crate::SyncError::Config(format!("not JSON: {e}")))?;
            values.push(value);
        }
        from_import_json_values(&values)
    }

    /// The longest user name for a role.
    pub fn max_username_length(&self, role: Option<UserRole>) -> usize {
        role.and_then(|r| self.username_max_length.get(r.key()))
            .or_else(|| self.username_max_length.get("default"))
            .copied()
            .unwrap_or(20)
    }

    /// The user name template for a role.
    pub fn username_scheme(&self, role: Option<UserRole>) -> Option<&str> {
        role.and_then(|r| self.scheme.username.get(r.key()))
            .or_else(|| self.scheme.username.get("default"))
            .map(String::as_str)
    }

    /// Whether new users of a role are created enabled.
    pub fn activates(&self, role: Option<UserRole>) -> bool {
        role.and_then(|r| self.activate_new_users.get(r.key()))
            .or_else(|| self.activate_new_users.get("default"))
            .copied()
            .unwrap_or(true)
    }

    /// The delimiter inside cells of `column`.
    pub fn incell_delimiter(&self, column: &str) -> &str {
        self.csv
            .incell_delimiter
            .get(column)
            .or_else(|| self.csv.incell_delimiter.get("default"))
            .map(String::as_str)
            .unwrap_or(",")
    }

    /// Whether a check is skipped (`skip_tests`).
    pub fn skips(&self, test: &str) -> bool {
        self.skip_tests.iter().any(|t| t == test)
    }

    /// Whether templates may overwrite this LDAP attribute of existing users.
    pub fn overwrites(&self, ldap_attribute: &str) -> bool {
        !self
            .no_overwrite_attributes
            .iter()
            .any(|a| a == ldap_attribute)
    }

    /// Checks the combination of settings.
    pub fn check(&self) -> crate::Result<()> {
        let fail = |m: &str| Err(crate::SyncError::Config(m.to_string()));
        if self.source_uid.trim().is_empty() {
            return fail("source_uid is not set");
        }
        if matches!(self.mode, Mode::SchoolChange { .. }) && self.school.is_none() {
            return fail("the school-change mode needs `school`");
        }
        if !(0.0..=1.0).contains(&self.safety.max_share) {
            return fail("safety.max_share must be between 0 and 1");
        }
        if self.password_length == 0 || self.password_length > 256 {
            return fail("password_length must be between 1 and 256");
        }
        Ok(())
    }
}
