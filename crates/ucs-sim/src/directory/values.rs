//! Property values: type checks against the catalog, canonical DNs in DN-valued properties,
//! and the string forms searches compare against.

use super::error::{Cause, FieldError};
use crate::catalog::{ModuleSpec, PropertySpec};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// Whether a string is a plausible e-mail address (`local@domain.tld`).
pub(crate) fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(|c| c.is_whitespace())
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Whether a string is a `YYYY-MM-DD` date.
pub(crate) fn is_date(value: &str) -> bool {
    value.len() == 10 && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
}

fn check_scalar(kind: &str, format: Option<&str>, value: &Value) -> Result<(), (Cause, String)> {
    let syntax = |message: String| (Cause::Syntax, message);
    let wrong = |message: String| (Cause::Type, message);
    match (kind, value) {
        (_, Value::Null) => Ok(()),
        ("string", Value::String(s)) => match format {
            // types.py DateType._from_json_type (UCS 5.2-1)
            Some("date") if !s.is_empty() && !is_date(s) => Err(syntax(
                "Date does not match format \"%Y-%m-%d\".".to_string(),
            )),
            Some("email") if !s.is_empty() && !is_email(s) => {
                Err(syntax(format!("{s:?} is not a valid e-mail address")))
            }
            Some("dn") if !s.is_empty() => ucs_ldap::Dn::parse(s)
                .map(|_| ())
                .map_err(|e| syntax(e.to_string())),
            _ => Ok(()),
        },
        ("string", other) => Err(wrong(format!("must be a string, not {}", type_name(other)))),
        ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(()),
        ("integer", Value::String(s)) if s.trim().parse::<i64>().is_ok() => Ok(()),
        ("integer", other) => Err(wrong(format!(
            "must be an integer, not {}",
            type_name(other)
        ))),
        ("boolean", Value::Bool(_)) => Ok(()),
        ("boolean", other) => Err(wrong(format!(
            "must be a boolean, not {}",
            type_name(other)
        ))),
        ("object", Value::Object(_)) => Ok(()),
        ("object", other) => Err(wrong(format!(
            "must be an object, not {}",
            type_name(other)
        ))),
        _ => Ok(()),
    }
}

/// The JSON type name of a value, for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn check_property(spec: &PropertySpec, value: &Value) -> Result<(), (Cause, String)> {
    if spec.is_list() {
        match value {
            Value::Null => Ok(()),
            Value::Array(items) => {
                let kind = spec.items.as_deref().unwrap_or("string");
                for item in items {
                    check_scalar(kind, spec.format.as_deref(), item)?;
                }
                Ok(())
            }
            other => Err((
                Cause::Type,
                format!("must be a list, not {}", type_name(other)),
            )),
        }
    } else {
        check_scalar(&spec.kind, spec.format.as_deref(), value)
    }
}

/// Checks given properties against a typed module (unknown names and wrong types are
/// errors); untyped modules accept any JSON values.
pub(crate) fn check_properties(
    module: &ModuleSpec,
    properties: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) {
    if !module.typed {
        return;
    }
    for (name, value) in properties {
        match module.property(name) {
            Some(spec) => {
                if let Err((cause, message)) = check_property(spec, value) {
                    errors.push(
                        FieldError::property(
                            name,
                            format!("The property {name} has an invalid value: {message}"),
                        )
                        .because(cause),
                    );
                }
            }
            None => errors.push(
                FieldError::property(
                    name,
                    format!(
                        "The property {name} is not known to the module {}",
                        module.name
                    ),
                )
                .because(Cause::UnknownProperty),
            ),
        }
    }
}

/// Checks option names against the module (when it declares options).
pub(crate) fn check_options(
    module: &ModuleSpec,
    options: &BTreeMap<String, bool>,
    errors: &mut Vec<FieldError>,
) {
    if module.options.is_empty() {
        return;
    }
    for name in options.keys() {
        if !module.options.iter().any(|o| &o.name == name) {
            errors.push(FieldError::at(
                &["options", name],
                format!(
                    "The option {name} is not known to the module {}",
                    module.name
                ),
            ));
        }
    }
}

/// Checks policy references: known policy types (when declared), DNs, and at most `max`.
pub(crate) fn check_policies(
    module: &ModuleSpec,
    policies: &BTreeMap<String, Vec<String>>,
    errors: &mut Vec<FieldError>,
) {
    for (name, dns) in policies {
        let spec = module.policies.iter().find(|p| &p.name == name);
        if spec.is_none() && !module.policies.is_empty() {
            errors.push(FieldError::at(
                &["policies", name],
                format!("The policy type {name} does not apply to {}", module.name),
            ));
            continue;
        }
        if let Some(spec) = spec {
            if dns.len() as u64 > spec.max {
                errors.push(FieldError::at(
                    &["policies", name],
                    format!(
                        "At most {} policies of type {name} can be referenced",
                        spec.max
                    ),
                ));
            }
        }
        for d in dns {
            if let Err(e) = ucs_ldap::Dn::parse(d) {
                errors.push(FieldError::at(&["policies", name], e.to_string()));
            }
        }
    }
}

/// Rewrites DN-valued properties of a typed module into canonical form (after checking).
pub(crate) fn canonicalize(module: &ModuleSpec, properties: &mut Map<String, Value>) {
    for (name, value) in properties.iter_mut() {
        let Some(spec) = module.property(name) else {
            continue;
        };
        if spec.format.as_deref() != Some("dn") {
            continue;
        }
        match value {
            Value::String(s) if !s.is_empty() => {
                if let Ok(c) = dn::canonical(s) {
                    *s = c;
                }
            }
            Value::Array(items) => {
                for item in items.iter_mut() {
                    if let Value::String(s) = item {
                        if let Ok(c) = dn::canonical(s) {
                            *s = c;
                        }
                    }
                }
                // multivalue properties are sets
                let mut seen = Vec::new();
                items.retain(|item| {
                    let k = item.as_str().map(str::to_lowercase);
                    if seen.contains(&k) {
                        false
                    } else {
                        seen.push(k);
                        true
                    }
                });
            }
            _ => {}
        }
    }
}

/// The string forms of a value that filters compare against: strings as they are, numbers
/// in decimal, booleans as both `1`/`0` and `true`/`false`, lists element-wise.
pub(crate) fn search_strings(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::Bool(b) => {
            if *b {
                vec!["1".into(), "true".into()]
            } else {
                vec!["0".into(), "false".into()]
            }
        }
        Value::Number(n) => vec![n.to_string()],
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(search_strings).collect(),
        Value::Object(_) => vec![value.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_are_checked() {
        assert!(is_email("a.b@example.com"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("nodomain@"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("1.1.2020"));
    }

    #[test]
    fn search_strings_cover_all_json_types() {
        assert_eq!(search_strings(&json!(true)), vec!["1", "true"]);
        assert_eq!(search_strings(&json!(["a", 2])), vec!["a", "2"]);
        assert!(search_strings(&json!(null)).is_empty());
    }
}
