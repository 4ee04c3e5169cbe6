//! `$ref` bookkeeping on documents held as JSON.

use serde_json::Value;

/// Collects every `$ref` string below `value`.
pub fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// What a local reference (`#/components/schemas/x`) points to.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let rest = reference.strip_prefix("#/")?;
    let pointer: String = rest
        .split('/')
        .map(|s| format!("/{}", s.replace('~', "~0")))
        .collect();
    doc.pointer(&pointer)
}

/// Every local reference in `doc` whose target does not exist.
pub fn dangling(doc: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs);
    refs.sort();
    refs.dedup();
    refs.retain(|r| r.starts_with("#/") && resolve(doc, r).is_none());
    refs
}
