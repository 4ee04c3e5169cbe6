//! Fixups for the UCS@school Kelvin REST API documents (FastAPI / pydantic 1).

use openapiv3::OpenAPI;
use serde_json::Value;

/// Pydantic 1 documents `Union[str, AnyUrl]` fields (`legal_wards`,
/// `legal_guardians` in `UserPatchModel`) as `anyOf: [{type: string},
/// {type: string, format: uri, ...}]`: every alternative is a string, and the
/// server accepts any string there (a user name or a user URL). typify turns
/// such an `anyOf` into a struct of flattened optionals that cannot serialize
/// a plain string, so an `anyOf` whose alternatives are all strings becomes a
/// single `type: string` schema (keeping the title).
pub fn string_alternatives_are_strings(doc: &mut OpenAPI) -> usize {
    let mut value = match serde_json::to_value(&*doc) {
        Ok(value) => value,
        Err(_) => return 0,
    };
    let changed = collapse_string_any_of(&mut value);
    if changed > 0 {
        if let Ok(rewritten) = serde_json::from_value(value) {
            *doc = rewritten;
        }
    }
    changed
}

fn is_plain_string_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("$ref").is_none()
}

fn collapse_string_any_of(value: &mut Value) -> usize {
    let mut changed = 0;
    match value {
        Value::Object(map) => {
            let all_strings = map
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|alts| !alts.is_empty() && alts.iter().all(is_plain_string_schema));
            if all_strings {
                map.remove("anyOf");
                map.insert("type".to_string(), Value::String("string".to_string()));
                changed += 1;
            }
            for child in map.values_mut() {
                changed += collapse_string_any_of(child);
            }
        }
        Value::Array(items) => {
            for child in items {
                changed += collapse_string_any_of(child);
            }
        }
        _ => {}
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixups::test_support::{doc, json};
    use serde_json::json;

    #[test]
    fn string_any_of_collapses_but_mixed_any_of_stays() {
        let mut d = doc(json!({
            "openapi": "3.0.2",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "UserPatchModel": {"type": "object", "properties": {
                    "legal_wards": {"title": "Legal Wards", "type": "array", "items": {"anyOf": [
                        {"type": "string"},
                        {"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083}
                    ]}}
                }},
                "ValidationError": {"type": "object", "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}
                }}
            }}
        }));
        assert_eq!(string_alternatives_are_strings(&mut d), 1);
        let j = json(&d);
        assert_eq!(
            j["components"]["schemas"]["UserPatchModel"]["properties"]["legal_wards"]["items"],
            json!({"type": "string"})
        );
        assert!(
            j["components"]["schemas"]["ValidationError"]["properties"]["loc"]["items"]["anyOf"]
                .is_array()
        );
        assert_eq!(string_alternatives_are_strings(&mut d), 0);
    }
}
