//! Reading `ucs-school-import`'s JSON configuration.
//!
//! Files stack as in `ucsschool.importer.configuration.Configuration`: each later file is
//! merged into the earlier ones key by key, nested objects recursively
//! (`ReadOnlyDict._recursive_typed_update`). Then `username.max_length` gets its defaults
//! (`_set_username_maxlength`: `default` from the UCR variable `ucsschool/username/max_length`,
//! 20; `student` = `default` minus the length of the exam prefix `exam-`), and the six
//! mandatory attributes are added (`ReadOnlyDict.check_mandatory_attributes`).

use serde_json::{Map, Value};

use super::{GracePeriod, Mode, SyncConfig, UserRole};
use crate::{Result, SyncError};

const EXAM_PREFIX: &str = "exam-";
const SISOPI_IMPORTER: &str = "SingleSourcePartialUserImport";
const MINIMAL_MANDATORY: [&str; 6] = [
    "firstname",
    "lastname",
    "name",
    "record_uid",
    "school",
    "source_uid",
];

/// Merges `values` (parsed JSON files, first to last) and reads the result.
pub fn from_import_json_values(values: &[Value]) -> Result<SyncConfig> {
    let mut merged = Map::new();
    for value in values {
        let Value::Object(map) = value else {
            return Err(SyncError::Config(
                "a configuration file must hold a JSON object".into(),
            ));
        };
        merge(&mut merged, map, 0)?;
    }
    read(&merged)
}

fn merge(into: &mut Map<String, Value>, from: &Map<String, Value>, depth: usize) -> Result<()> {
    if depth > 16 {
        return Err(SyncError::Config(
            "configuration nested deeper than 16 levels".into(),
        ));
    }
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(Value::Object(old)), Value::Object(new)) => merge(old, new, depth + 1)?,
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(())
}

fn read(c: &Map<String, Value>) -> Result<SyncConfig> {
    let mut config = SyncConfig::default();
    if let Some(v) = text(c, "source_uid")? {
        config.source_uid = v;
    }
    config.school = text(c, "school")?;
    config.user_role = match text(c, "user_role")? {
        None => None,
        Some(r) => Some(UserRole::from_config(&r).ok_or_else(|| bad("user_role", &r))?),
    };
    config.maildomain = text(c, "maildomain")?;
    if let Some(v) = c.get("no_delete") {
        config.no_delete = boolean(v, "no_delete")?;
    }
    if let Some(v) = c.get("tolerate_errors") {
        config.tolerate_errors = integer(v, "tolerate_errors")?;
    }
    if let Some(v) = c.get("password_length") {
        config.password_length = usize::try_from(integer(v, "password_length")?)
            .map_err(|_| bad("password_length", v))?;
    }
    read_flags(c, &mut config)?;
    read_grace(c, &mut config.deletion_grace_period)?;
    read_csv(c, &mut config)?;
    read_scheme(c, &mut config)?;
    read_username(c, &mut config)?;
    read_lists(c, &mut config)?;
    config.mode = read_mode(c)?;
    Ok(config)
}

fn read_flags(c: &Map<String, Value>, config: &mut SyncConfig) -> Result<()> {
    for (key, slot) in [
        (
            "school_classes_keep_if_empty",
            &mut config.school_classes_keep_if_empty,
        ),
        (
            "workgroups_keep_if_empty",
            &mut config.workgroups_keep_if_empty,
        ),
    ] {
        if let Some(v) = c.get(key) {
            *slot = boolean(v, key)?;
        }
    }
    for (key, slot) in [
        (
            "school_classes_invalid_character_replacement",
            &mut config.school_classes_invalid_character_replacement,
        ),
        (
            "workgroups_invalid_character_replacement",
            &mut config.workgroups_invalid_character_replacement,
        ),
    ] {
        if let Some(v) = text(c, key)? {
            *slot = v;
        }
    }
    if let Some(n) = object(c, "normalize")? {
        if let Some(v) = n.get("firstname") {
            config.normalize_firstname = boolean(v, "normalize.firstname")?;
        }
        if let Some(v) = n.get("lastname") {
            config.normalize_lastname = boolean(v, "normalize.lastname")?;
        }
    }
    if let Some(a) = object(c, "activate_new_users")? {
        for (role, v) in a {
            config
                .activate_new_users
                .insert(role.clone(), boolean(v, "activate_new_users")?);
        }
    }
    Ok(())
}

fn read_grace(c: &Map<String, Value>, grace: &mut GracePeriod) -> Result<()> {
    if let Some(g) = object(c, "deletion_grace_period")? {
        if let Some(v) = g.get("deactivation") {
            grace.deactivation = integer(v, "deletion_grace_period.deactivation")?;
        }
        if let Some(v) = g.get("deletion") {
            grace.deletion = integer(v, "deletion_grace_period.deletion")?;
        }
    }
    Ok(())
}

fn read_csv(c: &Map<String, Value>, config: &mut SyncConfig) -> Result<()> {
    let Some(csv) = object(c, "csv")? else {
        return Ok(());
    };
    if let Some(mapping) = object(csv, "mapping")? {
        config.csv.mapping = mapping
            .iter()
            .map(|(k, v)| Ok((k.clone(), plain_text(v, "csv.mapping")?)))
            .collect::<Result<_>>()?;
    }
    if let Some(v) = csv.get("header_lines") {
        config.csv.header_lines = usize::try_from(integer(v, "csv.header_lines")?)
            .map_err(|_| bad("csv.header_lines", v))?;
    }
    if let Some(d) = text(csv, "delimiter")? {
        config.csv.delimiter = match d.as_bytes() {
            [b] => Some(*b),
            _ => return Err(bad("csv.delimiter", &d)),
        };
    }
    if let Some(d) = object(csv, "incell-delimiter")? {
        for (column, v) in d {
            let value = plain_text(v, "csv.incell-delimiter")?;
            config.csv.incell_delimiter.insert(column.clone(), value);
        }
    }
    if let Some(list) = csv.get("allowed_missing_columns") {
        config.csv.allowed_missing_columns = strings(list, "csv.allowed_missing_columns")?;
    }
    Ok(())
}

fn read_scheme(c: &Map<String, Value>, config: &mut SyncConfig) -> Result<()> {
    let Some(scheme) = object(c, "scheme")? else {
        return Ok(());
    };
    for (key, value) in scheme {
        match (key.as_str(), value) {
            ("username", Value::Object(per_role)) => {
                for (role, template) in per_role {
                    let t = plain_text(template, "scheme.username")?;
                    config.scheme.username.insert(role.clone(), t);
                }
            }
            ("username", other) => {
                let t = plain_text(other, "scheme.username")?;
                config.scheme.username.insert("default".into(), t);
            }
            ("email", v) => config.scheme.email = Some(plain_text(v, "scheme.email")?),
            ("record_uid", v) => {
                config.scheme.record_uid = Some(plain_text(v, "scheme.record_uid")?)
            }
            ("firstname", v) => config.scheme.firstname = Some(plain_text(v, "scheme.firstname")?),
            ("lastname", v) => config.scheme.lastname = Some(plain_text(v, "scheme.lastname")?),
            (property, v) => {
                let t = plain_text(v, "scheme")?;
                config.scheme.udm_properties.insert(property.to_string(), t);
            }
        }
    }
    Ok(())
}

fn read_username(c: &Map<String, Value>, config: &mut SyncConfig) -> Result<()> {
    let username = object(c, "username")?;
    if let Some(chars) = username.and_then(|u| u.get("allowed_special_chars")) {
        config.username_allowed_special_chars =
            plain_text(chars, "username.allowed_special_chars")?;
    }
    let lengths = username
        .map(|u| object(u, "max_length"))
        .transpose()?
        .flatten();
    let mut max = std::collections::BTreeMap::new();
    for (role, v) in lengths.into_iter().flatten() {
        let n = usize::try_from(integer(v, "username.max_length")?)
            .map_err(|_| bad("username.max_length", v))?;
        max.insert(role.clone(), n);
    }
    let default = *max.entry("default".to_string()).or_insert(20);
    max.entry("student".to_string())
        .or_insert(default.saturating_sub(EXAM_PREFIX.len()));
    config.username_max_length = max;
    Ok(())
}

fn read_lists(c: &Map<String, Value>, config: &mut SyncConfig) -> Result<()> {
    if let Some(list) = c.get("mandatory_attributes") {
        config.mandatory_attributes = strings(list, "mandatory_attributes")?;
    }
    for attribute in MINIMAL_MANDATORY {
        if !config.mandatory_attributes.iter().any(|a| a == attribute) {
            config.mandatory_attributes.push(attribute.to_string());
        }
    }
    config.mandatory_attributes.sort();
    if let Some(list) = c.get("skip_tests") {
        config.skip_tests = strings(list, "skip_tests")?;
    }
    if let Some(ours) = object(c, "ucs_sync")? {
        read_own(ours, config)?;
    }
    Ok(())
}

/// Settings of this crate that the importer does not have, under the key `ucs_sync`.
fn read_own(ours: &Map<String, Value>, config: &mut SyncConfig) -> Result<()> {
    if let Some(list) = ours.get("no_overwrite_attributes") {
        config.no_overwrite_attributes = strings(list, "ucs_sync.no_overwrite_attributes")?;
    }
    if let Some(safety) = ours.get("safety") {
        config.safety = serde_json::from_value(safety.clone())
            .map_err(|e| SyncError::Config(format!("ucs_sync.safety: {e}")))?;
    }
    Ok(())
}

fn read_mode(c: &Map<String, Value>) -> Result<Mode> {
    let importer = object(c, "classes")?
        .and_then(|classes| classes.get("user_importer"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !importer.ends_with(SISOPI_IMPORTER) {
        return Ok(Mode::Default);
    }
    let limbo_ou = text(c, "limbo_ou")?.ok_or_else(|| {
        SyncError::Config("the SingleSourcePartialUserImport needs `limbo_ou`".into())
    })?;
    Ok(Mode::SchoolChange { limbo_ou })
}

fn bad(key: &str, value: impl std::fmt::Debug) -> SyncError {
    SyncError::Config(format!("{key}: unusable value {value:?}"))
}

fn object<'a>(c: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Map<String, Value>>> {
    match c.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(bad(key, other)),
    }
}

/// A string value; `null` and `""` are absent.
fn text(c: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match c.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(v) => plain_text(v, key).map(Some),
    }
}

fn plain_text(v: &Value, key: &str) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(bad(key, other)),
    }
}

fn strings(v: &Value, key: &str) -> Result<Vec<String>> {
    match v {
        Value::Array(items) => items.iter().map(|i| plain_text(i, key)).collect(),
        other => Err(bad(key, other)),
    }
}

/// Booleans may come as strings from the importer's command line (`"1"`, `"true"`).
fn boolean(v: &Value, key: &str) -> Result<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(n.as_i64().is_some_and(|n| n != 0)),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" | "" => Ok(false),
            _ => Err(bad(key, s)),
        },
        other => Err(bad(key, other)),
    }
}

fn integer(v: &Value, key: &str) -> Result<i64> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| bad(key, n)),
        Value::String(s) => s.trim().parse().map_err(|_| bad(key, s)),
        other => Err(bad(key, other)),
    }
}
