//! Cosmetic differences between two documents: `info`, prose (titles,
//! descriptions, summaries, examples, tags) and member order. Walks both
//! documents in parallel, knowing which maps hold names (`properties`,
//! `paths`, ...) so that a property called `title` is not taken for prose.

use serde_json::{Map, Value};

use crate::drift::{Change, ChangeClass, ChangeKind};
use crate::refs::escape_token;

/// Keys whose values are prose: never part of the API.
const PROSE: [&str; 7] = [
    "title",
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "tags",
];

/// Keys whose values map names to definitions.
const NAME_MAPS: [&str; 15] = [
    "paths",
    "properties",
    "responses",
    "content",
    "schemas",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "encoding",
    "variables",
    "patternProperties",
    "definitions",
];

/// Keys holding data rather than definitions; only their order is compared.
const DATA: [&str; 5] = ["enum", "required", "default", "const", "$ref"];

/// Longest value shown in a cosmetic change.
const SHOWN: usize = 80;

/// Appends the cosmetic differences between `old` and `new` to `out`.
pub(crate) fn cosmetic_changes(old: &Value, new: &Value, out: &mut Vec<Change>) {
    for key in ["openapi", "info", "servers"] {
        let (o, n) = (old.get(key), new.get(key));
        if o == n {
            continue;
        }
        match (
            key,
            o.and_then(Value::as_object),
            n.and_then(Value::as_object),
        ) {
            ("info", Some(o), Some(n)) => {
                let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    if o.get(k) != n.get(k) {
                        push(out, ChangeKind::InfoChanged, "info", k, o.get(k), n.get(k));
                    }
                }
            }
            _ => push(out, ChangeKind::InfoChanged, key, "", o, n),
        }
    }
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        return;
    };
    for key in ["paths", "components", "tags", "externalDocs"] {
        let (Some(ov), Some(nv)) = (o.get(key), n.get(key)) else {
            continue;
        };
        let pointer = format!("#/{key}");
        if PROSE.contains(&key) {
            if ov != nv {
                push(
                    out,
                    ChangeKind::ProseChanged,
                    &pointer,
                    "",
                    Some(ov),
                    Some(nv),
                );
            }
        } else if key == "components" {
            if let (Some(oc), Some(nc)) = (ov.as_object(), nv.as_object()) {
                for (section, osec) in oc {
                    if let (Some(osec), Some(nsec)) =
                        (osec.as_object(), nc.get(section).and_then(Value::as_object))
                    {
                        names(
                            osec,
                            nsec,
                            &format!("{pointer}/{}", escape_token(section)),
                            out,
                        );
                    }
                }
            }
        } else if key == "paths" {
            if let (Some(ov), Some(nv)) = (ov.as_object(), nv.as_object()) {
                names(ov, nv, &pointer, out);
            }
        }
    }
}

/// Compares a map of names to definitions: order, then each shared definition.
fn names(o: &Map<String, Value>, n: &Map<String, Value>, pointer: &str, out: &mut Vec<Change>) {
    if o.len() == n.len() && o.keys().all(|k| n.contains_key(k)) && !o.keys().eq(n.keys()) {
        let detail = "order of members changed".to_string();
        out.push(change(
            ChangeKind::OrderChanged,
            pointer,
            "",
            None,
            None,
            detail,
        ));
    }
    for (key, ov) in o {
        if let Some(nv) = n.get(key) {
            definition(ov, nv, &format!("{pointer}/{}", escape_token(key)), out);
        }
    }
}

/// Compares one definition (schema, operation, parameter, media type, ...).
fn definition(o: &Value, n: &Value, pointer: &str, out: &mut Vec<Change>) {
    match (o, n) {
        (Value::Object(o), Value::Object(n)) => {
            for key in PROSE {
                let (ov, nv) = (o.get(key), n.get(key));
                if ov != nv {
                    push(out, ChangeKind::ProseChanged, pointer, key, ov, nv);
                }
            }
            for (key, ov) in o {
                let Some(nv) = n.get(key) else { continue };
                if PROSE.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let at = format!("{pointer}/{}", escape_token(key));
                if DATA.contains(&key.as_str()) {
                    if key == "enum" || key == "required" {
                        same_set_other_order(ov, nv, &at, out);
                    }
                } else if key == "parameters" && ov.is_array() {
                    parameter_list(ov, nv, &at, out);
                } else if NAME_MAPS.contains(&key.as_str()) && ov.is_object() {
                    if let (Some(ov), Some(nv)) = (ov.as_object(), nv.as_object()) {
                        names(ov, nv, &at, out);
                    }
                } else {
                    definition(ov, nv, &at, out);
                }
            }
        }
        (Value::Array(o), Value::Array(n)) => {
            for (i, (ov, nv)) in o.iter().zip(n).enumerate() {
                definition(ov, nv, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A `parameters` list: parameters are matched by `$ref` or `in`+`name`, so
/// reordering is reported as such.
fn parameter_list(o: &Value, n: &Value, pointer: &str, out: &mut Vec<Change>) {
    let (Some(o), Some(n)) = (o.as_array(), n.as_array()) else {
        return;
    };
    let key = |p: &Value| -> String {
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) => r.to_string(),
            None => format!(
                "{} {}",
                p.get("in").and_then(Value::as_str).unwrap_or(""),
                p.get("name").and_then(Value::as_str).unwrap_or("")
            ),
        }
    };
    let ok: Vec<String> = o.iter().map(key).collect();
    let nk: Vec<String> = n.iter().map(key).collect();
    let mut os = ok.clone();
    let mut ns = nk.clone();
    os.sort();
    ns.sort();
    if os == ns && ok != nk {
        out.push(change(
            ChangeKind::OrderChanged,
            pointer,
            "",
            None,
            None,
            "order of parameters changed".to_string(),
        ));
    }
    for (i, ov) in o.iter().enumerate() {
        if let Some(j) = nk.iter().position(|k| *k == ok[i]) {
            definition(ov, &n[j], &format!("{pointer}/{i}"), out);
        }
    }
}

/// Reports arrays holding the same values in another order.
fn same_set_other_order(o: &Value, n: &Value, pointer: &str, out: &mut Vec<Change>) {
    let (Some(o), Some(n)) = (o.as_array(), n.as_array()) else {
        return;
    };
    if o == n || o.len() != n.len() {
        return;
    }
    let mut os: Vec<String> = o.iter().map(Value::to_string).collect();
    let mut ns: Vec<String> = n.iter().map(Value::to_string).collect();
    os.sort();
    ns.sort();
    if os == ns {
        out.push(change(
            ChangeKind::OrderChanged,
            pointer,
            "",
            None,
            None,
            "order of values changed".to_string(),
        ));
    }
}

fn push(
    out: &mut Vec<Change>,
    kind: ChangeKind,
    location: &str,
    path: &str,
    o: Option<&Value>,
    n: Option<&Value>,
) {
    let (old, new) = (o.map(shown), n.map(shown));
    let what = if path.is_empty() {
        location.trim_start_matches("#/")
    } else {
        path
    };
    let detail = format!(
        "{what} changed: {} -> {}",
        old.as_deref().unwrap_or("absent"),
        new.as_deref().unwrap_or("absent")
    );
    out.push(change(kind, location, path, old, new, detail));
}

fn change(
    kind: ChangeKind,
    location: &str,
    path: &str,
    old: Option<String>,
    new: Option<String>,
    detail: String,
) -> Change {
    Change {
        class: ChangeClass::Cosmetic,
        kind,
        location: location.to_string(),
        path: path.to_string(),
        old,
        new,
        detail,
    }
}

/// A value for display: strings as they are, other values as compact JSON,
/// cut at [`SHOWN`] characters.
fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > SHOWN {
        let cut: String = text.chars().take(SHOWN).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_property_named_title_is_not_prose() {
        let old = json!({"components": {"schemas": {"S": {"title": "S", "properties": {"title": {"type": "string"}}}}}});
        let new = json!({"components": {"schemas": {"S": {"title": "S2", "properties": {"title": {"type": "integer"}}}}}});
        let mut out = Vec::new();
        cosmetic_changes(&old, &new, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].location, "#/components/schemas/S");
        assert_eq!(out[0].path, "title");
        assert_eq!(out[0].old.as_deref(), Some("S"));
        assert_eq!(out[0].new.as_deref(), Some("S2"));
    }

    #[test]
    fn reordered_parameters_and_properties_are_order_changes() {
        let old = json!({"paths": {"/a": {"get": {"parameters": [
            {"in": "query", "name": "x"}, {"in": "query", "name": "y"}
        ]}}}, "components": {"schemas": {"S": {"properties": {"a": {}, "b": {}}, "required": ["a", "b"]}}}});
        let new = json!({"paths": {"/a": {"get": {"parameters": [
            {"in": "query", "name": "y"}, {"in": "query", "name": "x"}
        ]}}}, "components": {"schemas": {"S": {"properties": {"b": {}, "a": {}}, "required": ["b", "a"]}}}});
        let mut out = Vec::new();
        cosmetic_changes(&old, &new, &mut out);
        let places: Vec<&str> = out.iter().map(|c| c.location.as_str()).collect();
        assert_eq!(
            places,
            vec![
                "#/paths/~1a/get/parameters",
                "#/components/schemas/S/properties",
                "#/components/schemas/S/required"
            ]
        );
        assert!(out.iter().all(|c| c.kind == ChangeKind::OrderChanged));
    }

    #[test]
    fn info_changes_are_listed_per_key() {
        let old = json!({"openapi": "3.0.2", "info": {"title": "A", "version": "1"}});
        let new = json!({"openapi": "3.0.3", "info": {"title": "A", "version": "2"}});
        let mut out = Vec::new();
        cosmetic_changes(&old, &new, &mut out);
        let lines: Vec<String> = out.iter().map(|c| c.line()).collect();
        assert_eq!(
            lines,
            vec![
                "openapi: openapi changed: 3.0.2 -> 3.0.3",
                "info version: version changed: 1 -> 2"
            ]
        );
    }
}
