//! A user PATCH from field/value pairs: `--set` gives text (lists comma-separated), `--json`
//! gives JSON values; `null` clears a field.

use serde_json::{Map, Value};
use ucs::kelvin::UserPatch;

use crate::cli::kelvin::{date, role};
use crate::exit::CliError;

/// Builds the patch; unknown fields and values of the wrong type are errors naming the field.
pub fn user_patch(changes: &Map<String, Value>) -> Result<UserPatch, CliError> {
    let mut patch = UserPatch::new();
    for (field, value) in changes {
        patch = apply(patch, field, value).map_err(|e| CliError::new(format!("{field}: {e}")))?;
    }
    Ok(patch)
}

fn apply(patch: UserPatch, field: &str, value: &Value) -> Result<UserPatch, String> {
    if let Some(property) = field.strip_prefix("udm_properties.") {
        return Ok(patch.udm_property(property, value.clone()));
    }
    Ok(match field {
        "name" => patch.name(required_text(value)?),
        "firstname" => patch.firstname(required_text(value)?),
        "lastname" => patch.lastname(required_text(value)?),
        "email" => patch.email(optional_text(value)?.as_deref()),
        "record_uid" => patch.record_uid(optional_text(value)?.as_deref()),
        "source_uid" => patch.source_uid(optional_text(value)?.as_deref()),
        "birthday" => patch.birthday(optional_date(value)?),
        "expiration_date" => patch.expiration_date(optional_date(value)?),
        "disabled" => patch.disabled(flag(value)?),
        "roles" => patch.roles(
            list(value)?
                .iter()
                .map(|r| role(r))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        "school" => patch.school(required_text(value)?),
        "schools" => patch.schools(list(value)?),
        "legal_guardians" => patch.legal_guardians(list(value)?),
        "legal_wards" => patch.legal_wards(list(value)?),
        "ucsschool_roles" => patch.ucsschool_roles(list(value)?),
        "school_classes" => patch.school_classes(groups(value)?),
        "workgroups" => patch.workgroups(groups(value)?),
        "udm_properties" => match value {
            Value::Object(map) => map
                .iter()
                .fold(patch, |p, (k, v)| p.udm_property(k, v.clone())),
            _ => return Err("expected an object of UDM properties".into()),
        },
        "password" | "kelvin_password_hashes" => {
            return Err(
                "passwords are never taken from arguments or JSON; use --new-password-file".into(),
            )
        }
        _ => return Err("not a field Kelvin can change".into()),
    })
}

fn required_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::Null => Err("cannot be cleared".into()),
        _ => Err("expected a text".into()),
    }
}

fn optional_text(value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err("expected a text or null".into()),
    }
}

fn optional_date(value: &Value) -> Result<Option<chrono::NaiveDate>, String> {
    optional_text(value)?.map(|s| date(&s)).transpose()
}

fn flag(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => boolean(s).map_err(|e| e.message),
        _ => Err("expected true or false".into()),
    }
}

/// A list: a JSON array of texts, or comma-separated text (empty text: an empty list).
fn list(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "expected a list of texts".to_string())
            })
            .collect(),
        Value::String(s) if s.trim().is_empty() => Ok(Vec::new()),
        Value::String(s) => Ok(s.split(',').map(|p| p.trim().to_string()).collect()),
        Value::Null => Ok(Vec::new()),
        _ => Err("expected a list".into()),
    }
}

/// `{"SCHOOL": ["a", "b"]}`, or text `SCHOOL:a,b SCHOOL2:c` (as the table shows it).
fn groups(value: &Value) -> Result<std::collections::BTreeMap<String, Vec<String>>, String> {
    match value {
        Value::Object(_) => serde_json::from_value(value.clone())
            .map_err(|_| "expected {\"SCHOOL\": [\"NAME\", ...]}".to_string()),
        Value::Null => Ok(Default::default()),
        Value::String(s) => s
            .split_whitespace()
            .map(|part| {
                let (school, names) = part
                    .split_once(':')
                    .ok_or("expected SCHOOL:NAME,NAME ...")?;
                let names = names
                    .split(',')
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect();
                Ok((school.to_string(), names))
            })
            .collect(),
        _ => Err("expected {\"SCHOOL\": [\"NAME\", ...]}".into()),
    }
}

/// `true`/`false` (also `yes`/`no`, `1`/`0`).
pub fn boolean(text: &str) -> Result<bool, CliError> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(CliError::new(format!(
            "expected true or false, got {text:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn preview(changes: Value) -> Map<String, Value> {
        let Value::Object(map) = changes else {
            unreachable!()
        };
        user_patch(&map).unwrap().to_json_preview()
    }

    #[test]
    fn text_and_json_values_become_the_patch() {
        let p = preview(
            json!({"lastname": "Meier", "email": null, "schools": "A, B", "disabled": "yes",
            "school_classes": "A:1a,1b B:2c", "udm_properties.title": "Dr."}),
        );
        assert_eq!(p["lastname"], "Meier");
        assert_eq!(p["email"], Value::Null);
        assert_eq!(p["schools"], json!(["A", "B"]));
        assert_eq!(p["disabled"], true);
        assert_eq!(p["school_classes"], json!({"A": ["1a", "1b"], "B": ["2c"]}));
        assert_eq!(p["udm_properties"], json!({"title": "Dr."}));
    }

    #[test]
    fn bad_fields_are_named() {
        let Value::Object(map) = json!({"password": "x"}) else {
            unreachable!()
        };
        let err = user_patch(&map).unwrap_err();
        assert!(
            err.message
                .starts_with("password: passwords are never taken"),
            "{}",
            err.message
        );
        let Value::Object(map) = json!({"lastname": null}) else {
            unreachable!()
        };
        assert_eq!(
            user_patch(&map).unwrap_err().message,
            "lastname: cannot be cleared"
        );
        let Value::Object(map) = json!({"shoe_size": 3}) else {
            unreachable!()
        };
        assert_eq!(
            user_patch(&map).unwrap_err().message,
            "shoe_size: not a field Kelvin can change"
        );
    }
}
