//! `--set`, `--set-json`, `--clear`, `--option` and `--new-password-file` applied to an object.
//! A `--set` value takes the type of the property's current value (template defaults for a new
//! object): `true`/`false` for booleans, numbers for numbers, a list when the property is one
//! or the option is repeated.

use serde_json::Value;
use ucs::udm::Object;

use crate::cli::udm::PropertyValues;
use crate::exit::CliError;
use crate::password::read_password_file;

/// Refuses what can be refused before anything is read (passwords in arguments, bad JSON).
pub fn check(values: &PropertyValues) -> Result<(), CliError> {
    for (key, value) in values.set.iter().chain(&values.set_json) {
        if key.to_ascii_lowercase().contains("password") {
            return Err(
                CliError::new(format!("{key}: passwords are never taken from arguments"))
                    .hint("use --new-password-file FILE"),
            );
        }
        if values.set_json.iter().any(|(k, v)| k == key && v == value) {
            serde_json::from_str::<Value>(value)
                .map_err(|e| CliError::new(format!("--set-json {key}: not JSON: {e}")))?;
        }
    }
    Ok(())
}

/// Applies the values to `object`.
pub fn apply(
    object: &mut Object,
    values: &PropertyValues,
    clear: &[String],
) -> Result<(), CliError> {
    check(values)?;
    for (key, texts) in grouped(&values.set) {
        let value = typed(object.get(&key), &texts)
            .map_err(|e| CliError::new(format!("--set {key}: {e}")))?;
        object.set(key, value);
    }
    for (key, text) in &values.set_json {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| CliError::new(format!("--set-json {key}: not JSON: {e}")))?;
        object.set(key.clone(), value);
    }
    for key in clear {
        object.clear(key.clone());
    }
    for option in &values.options {
        let (name, on) = match option.strip_prefix('-') {
            Some(name) => (name, false),
            None => (option.strip_prefix('+').unwrap_or(option), true),
        };
        object.set_option(name, on);
    }
    if let Some(path) = &values.new_password_file {
        object.set_password(read_password_file(path)?);
    }
    Ok(())
}

/// `--set` pairs grouped by property, in the order given.
fn grouped(pairs: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (key, value) in pairs {
        match out.iter_mut().find(|(k, _)| k == key) {
            Some((_, values)) => values.push(value.clone()),
            None => out.push((key.clone(), vec![value.clone()])),
        }
    }
    out
}

/// The value for `texts`, typed like `current`.
fn typed(current: Option<&Value>, texts: &[String]) -> Result<Value, String> {
    match current {
        Some(Value::Array(items)) => {
            let like = items.first();
            texts
                .iter()
                .map(|t| scalar(like, t))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        _ if texts.len() > 1 => Ok(Value::Array(
            texts.iter().cloned().map(Value::String).collect(),
        )),
        other => scalar(other, &texts[0]),
    }
}

fn scalar(like: Option<&Value>, text: &str) -> Result<Value, String> {
    match like {
        Some(Value::Bool(_)) => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got {text:?}")),
        },
        Some(Value::Number(_)) => serde_json::from_str::<serde_json::Number>(text)
            .map(Value::Number)
            .map_err(|_| format!("expected a number, got {text:?}")),
        _ => Ok(Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_take_the_type_of_the_current_value() {
        let t = |current: Value, texts: &[&str]| {
            let texts: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
            typed(Some(&current), &texts)
        };
        assert_eq!(t(json!(false), &["yes"]), Ok(json!(true)));
        assert_eq!(t(json!(1), &["42"]), Ok(json!(42)));
        assert_eq!(t(json!([]), &["a"]), Ok(json!(["a"])));
        assert_eq!(t(json!(null), &["a", "b"]), Ok(json!(["a", "b"])));
        assert_eq!(t(json!("x"), &["1"]), Ok(json!("1")));
        assert!(t(json!(true), &["maybe"])
            .unwrap_err()
            .contains("true or false"));
    }

    #[test]
    fn passwords_in_arguments_are_refused() {
        let values = PropertyValues {
            set: vec![("password".into(), "x".into())],
            set_json: vec![],
            options: vec![],
            new_password_file: None,
        };
        assert!(check(&values)
            .unwrap_err()
            .message
            .contains("never taken from arguments"));
    }
}
