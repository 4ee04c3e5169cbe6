//! pydantic's coercions of JSON values, as Kelvin 4.0.0's models apply them.

use serde_json::Value;

/// pydantic's `str` coercion: strings, and numbers (Python `str(number)`).
pub(crate) fn coerce_str(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// pydantic's `bool` coercion (`BOOL_TRUE`/`BOOL_FALSE`).
pub(crate) fn coerce_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(1.0) => Some(true),
            Some(0.0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.to_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
            "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}
