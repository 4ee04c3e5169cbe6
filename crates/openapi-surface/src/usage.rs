//! Where component schemas are used: in requests, in responses, or both.
//! A change is judged by the side of the exchange it affects.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::METHODS;
use crate::refs::{component_name, Resolver};

/// The sides of the exchange a schema appears on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Usage {
    /// Sent by the client (parameters, request bodies).
    pub request: bool,
    /// Sent by the server (responses).
    pub response: bool,
}

impl Usage {
    /// Request side only.
    pub(crate) const REQUEST: Usage = Usage {
        request: true,
        response: false,
    };
    /// Response side only.
    pub(crate) const RESPONSE: Usage = Usage {
        request: false,
        response: true,
    };
    /// Both sides (also used for schemas no operation reaches).
    pub(crate) const BOTH: Usage = Usage {
        request: true,
        response: true,
    };

    fn union(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

/// Usage of every component schema reachable from `docs`' operations and
/// components (parameters and request bodies count as requests, responses as
/// responses), following `$ref`s between schemas.
pub(crate) fn schema_usage(docs: &[&Value]) -> BTreeMap<String, Usage> {
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    for doc in docs {
        let resolver = Resolver::new(doc);
        let mut roots: Vec<(&Value, Usage)> = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for item in paths.values() {
                let Ok(item) = resolver.deref(item, "#") else {
                    continue;
                };
                push_params(&resolver, item.get("parameters"), &mut roots);
                for method in METHODS {
                    let Some(op) = item.get(method) else { continue };
                    push_params(&resolver, op.get("parameters"), &mut roots);
                    if let Some(body) = op.get("requestBody") {
                        if let Ok(body) = resolver.deref(body, "#") {
                            roots.push((body, Usage::REQUEST));
                        }
                    }
                    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                        for response in responses.values() {
                            if let Ok(response) = resolver.deref(response, "#") {
                                roots.push((response, Usage::RESPONSE));
                            }
                        }
                    }
                }
            }
        }
        if let Some(components) = doc.get("components") {
            for (section, side) in [
                ("parameters", Usage::REQUEST),
                ("requestBodies", Usage::REQUEST),
                ("responses", Usage::RESPONSE),
            ] {
                if let Some(items) = components.get(section).and_then(Value::as_object) {
                    roots.extend(items.values().map(|v| (v, side)));
                }
            }
        }
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (root, side) in roots {
            let mut pending = Vec::new();
            collect_schema_refs(root, &mut pending);
            while let Some(name) = pending.pop() {
                let entry = usage.entry(name.clone()).or_default();
                if entry.union(side) == *entry && (entry.request || entry.response) {
                    continue;
                }
                *entry = entry.union(side);
                if let Some(schema) = schemas.and_then(|s| s.get(&name)) {
                    collect_schema_refs(schema, &mut pending);
                }
            }
        }
    }
    usage
}

/// Adds the parameters of a `parameters` list as request roots.
fn push_params<'a>(
    resolver: &Resolver<'a>,
    list: Option<&'a Value>,
    roots: &mut Vec<(&'a Value, Usage)>,
) {
    for param in list.and_then(Value::as_array).into_iter().flatten() {
        if let Ok(param) = resolver.deref(param, "#") {
            roots.push((param, Usage::REQUEST));
        }
    }
}

/// Names of the component schemas referenced anywhere below `value`.
fn collect_schema_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| component_name(r, "schemas"))
            {
                out.push(name);
            }
            for (key, child) in map {
                if key != "example" && key != "examples" && key != "enum" && key != "default" {
                    collect_schema_refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_schema_refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sides_follow_references() {
        let doc = json!({
            "paths": {"/u": {
                "get": {
                    "parameters": [{"in": "query", "name": "r", "schema": {"$ref": "#/components/schemas/Role"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}
                },
                "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewUser"}}}}}
            }},
            "components": {"schemas": {
                "Role": {"type": "string"},
                "User": {"properties": {"addr": {"$ref": "#/components/schemas/Addr"}}},
                "NewUser": {"properties": {"addr": {"$ref": "#/components/schemas/Addr"}}},
                "Addr": {"properties": {"self": {"$ref": "#/components/schemas/Addr"}}},
                "Unused": {}
            }}
        });
        let usage = schema_usage(&[&doc]);
        assert_eq!(usage["Role"], Usage::REQUEST);
        assert_eq!(usage["User"], Usage::RESPONSE);
        assert_eq!(usage["NewUser"], Usage::REQUEST);
        assert_eq!(usage["Addr"], Usage::BOTH);
        assert!(!usage.contains_key("Unused"));
    }
}
