//! One JSON value as the text of a table or CSV cell.

use serde_json::Value;

/// Strings as they are, lists joined by commas, `{"SCHOOL": ["1a", "1b"]}` as
/// `SCHOOL:1a,1b`, null as empty, anything else as compact JSON.
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(","),
        Value::Object(map) if map.values().all(|v| v.is_array() || v.is_string()) => map
            .iter()
            .map(|(k, v)| format!("{k}:{}", cell_text(v)))
            .collect::<Vec<_>>()
            .join(" "),
        Value::Object(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells() {
        assert_eq!(cell_text(&json!(null)), "");
        assert_eq!(cell_text(&json!(["a", 1, true])), "a,1,true");
        assert_eq!(
            cell_text(&json!({"DEMOSCHOOL": ["1a", "1b"], "S2": []})),
            "DEMOSCHOOL:1a,1b S2:"
        );
        assert_eq!(cell_text(&json!({"a": {"b": 1}})), r#"{"a":{"b":1}}"#);
    }
}
