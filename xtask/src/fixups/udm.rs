//! Fixups for the UDM HTTP REST API document.

use openapiv3::{
    AdditionalProperties, ObjectType, OpenAPI, Parameter, QueryStyle, ReferenceOr, Schema,
    SchemaData, SchemaKind, Type,
};
use serde_json::Value;

use super::{all_operations_mut, operations_mut, ref_name};

/// UDM declares the move-progress callback of every `PUT` as
/// `callbacks: {"move-progress": {"$ref": "#/components/callbacks/moveProgress"}}`.
/// OpenAPI 3.0 allows that, but `openapiv3` cannot parse a referenced callback,
/// so the reference is replaced by the callback it points to. (progenitor
/// generates nothing for callbacks; the facade polls the `Location` of a 202.)
pub fn inline_callback_refs(doc: &mut Value) -> usize {
    let callbacks = doc
        .pointer("/components/callbacks")
        .cloned()
        .unwrap_or(Value::Null);
    let mut changed = 0;
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let Some(op_callbacks) = op.get_mut("callbacks").and_then(Value::as_object_mut) else {
                continue;
            };
            for callback in op_callbacks.values_mut() {
                let target = callback
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| ref_name(r, "callbacks"))
                    .and_then(|name| callbacks.get(name))
                    .cloned();
                if let Some(target) = target {
                    *callback = target;
                    changed += 1;
                }
            }
        }
    }
    changed
}

fn is_deep_object(doc: &OpenAPI, param: &ReferenceOr<Parameter>) -> bool {
    let resolved = match param {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => ref_name(reference, "parameters")
            .and_then(|name| doc.components.as_ref()?.parameters.get(name))
            .and_then(|p| p.as_item()),
    };
    matches!(
        resolved,
        Some(Parameter::Query {
            style: QueryStyle::DeepObject,
            ..
        })
    )
}

/// The UDM search routes take `query[<property>]=<value>` filters, documented
/// as one `style: deepObject` parameter named `query`. progenitor supports
/// only `form` query parameters, so the parameter is removed from the generated
/// methods; the facade sends these filters itself (see the crate docs of
/// `udm-raw`: `CallOptions::query`).
pub fn drop_deep_object_parameters(doc: &mut OpenAPI) -> usize {
    let snapshot = doc.clone();
    let mut changed = 0;
    for item in doc.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let before = item.parameters.len();
        item.parameters.retain(|p| !is_deep_object(&snapshot, p));
        changed += before - item.parameters.len();
        for (_, op) in operations_mut(item) {
            let before = op.parameters.len();
            op.parameters.retain(|p| !is_deep_object(&snapshot, p));
            changed += before - op.parameters.len();
        }
    }
    changed
}

fn open_object(nullable: bool) -> ReferenceOr<Schema> {
    ReferenceOr::Item(Schema {
        schema_data: SchemaData {
            nullable,
            ..Default::default()
        },
        schema_kind: SchemaKind::Type(Type::Object(ObjectType {
            additional_properties: Some(AdditionalProperties::Any(true)),
            ..Default::default()
        })),
    })
}

/// The typed `properties` object inside a module's `<module>.request-patch`
/// schema, if the document types that module's properties.
fn typed_properties(
    schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    module: &str,
) -> Option<Schema> {
    let patch = schemas.get(&format!("{module}.request-patch"))?.as_item()?;
    let SchemaKind::Type(Type::Object(patch)) = &patch.schema_kind else {
        return None;
    };
    let props = patch.properties.get("properties")?.as_item()?;
    match &props.schema_kind {
        SchemaKind::Type(Type::Object(obj)) if !obj.properties.is_empty() => {
            Some((**props).clone())
        }
        _ => None,
    }
}

/// A UDM object carries more than the document can say: extended attributes
/// (`settings/extended_attribute`) add properties at run time, newer UCS
/// releases add properties, and UDM clears a property when it receives an
/// explicit `null`. A generated struct drops unknown keys on read and cannot
/// send `null`, so a read-modify-write through it loses data. Every module's
/// object (`<module>`, used by get, template, create and modify) and search
/// result (`<module>.list`) is therefore an open JSON object
/// (`serde_json::Map`). The typed property schemas are kept as
/// `<module>.properties` components (plus `<module>.options` and
/// `<module>.policies`), so typed views of an object's JSON stay available;
/// the now unused `<module>.request`, `.request-patch`, `.response-mixin` and
/// `.uri` schemas are removed.
pub fn open_object_bodies(doc: &mut OpenAPI) -> usize {
    let Some(components) = doc.components.as_mut() else {
        return 0;
    };
    let schemas = &mut components.schemas;
    let modules: Vec<String> = schemas
        .keys()
        .filter_map(|k| k.strip_suffix(".request-patch").map(str::to_string))
        .collect();
    let mut changed = 0;
    for module in modules {
        if let Some(props) = typed_properties(schemas, &module) {
            schemas.insert(format!("{module}.properties"), ReferenceOr::Item(props));
        }
        for suffix in [".request", ".request-patch", ".response-mixin", ".uri"] {
            schemas.shift_remove(&format!("{module}{suffix}"));
        }
        for name in [module.clone(), format!("{module}.list")] {
            if schemas.contains_key(&name) {
                schemas.insert(name, open_object(false));
            }
        }
        changed += 1;
    }
    changed
}

/// A `PUT` or `PATCH` of an object answers **200** instead of 204 when UDM
/// reported warnings (`{"_embedded": {"udm:warning": [{"message"}]}}`, e.g.
/// `ipOverridesNetwork`; module.py `Object.put`/`Object.patch`, UCS 5.2-1),
/// which the document does not declare, so a generated client would treat a
/// successful write as an unexpected answer. The 200 is added to every object
/// write (`/<family>/<module>/{dn}`); together with the other success answers
/// it then comes out as a byte stream.
pub fn writes_may_answer_warnings(doc: &mut OpenAPI) -> usize {
    let mut changed = 0;
    for (method, path, op) in all_operations_mut(doc) {
        if !matches!(method, "put" | "patch") || !path.ends_with("/{dn}") {
            continue;
        }
        let status = openapiv3::StatusCode::Code(200);
        if op.responses.responses.contains_key(&status) {
            continue;
        }
        let warnings = openapiv3::Response {
            description: "Modified, with warnings".into(),
            content: indexmap::IndexMap::from([(
                "application/json".to_string(),
                openapiv3::MediaType {
                    schema: Some(open_object(false)),
                    ..Default::default()
                },
            )]),
            ..Default::default()
        };
        op.responses
            .responses
            .insert(status, ReferenceOr::Item(warnings));
        changed += 1;
    }
    changed
}

/// Operations of the document that still use `deepObject` parameters.
#[cfg(test)]
fn deep_object_operations(doc: &OpenAPI) -> usize {
    doc.operations()
        .filter(|(_, _, op)| op.parameters.iter().any(|p| is_deep_object(doc, p)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixups::test_support::{doc, json};
    use serde_json::json;

    #[test]
    fn callback_refs_are_inlined_and_the_document_parses() {
        let mut v = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/users/user/{dn}": {"put": {
                "operationId": "modify",
                "callbacks": {"move-progress": {"$ref": "#/components/callbacks/moveProgress"}},
                "responses": {"204": {"description": "No Content"}}
            }}},
            "components": {"callbacks": {"moveProgress": {"{$response.header.Location}": {
                "get": {"responses": {"303": {"description": "See Other"}}}
            }}}}
        });
        assert!(serde_json::from_value::<OpenAPI>(v.clone()).is_err());
        assert_eq!(inline_callback_refs(&mut v), 1);
        let cb = &v["paths"]["/users/user/{dn}"]["put"]["callbacks"]["move-progress"];
        assert!(cb["{$response.header.Location}"]["get"]["responses"]["303"].is_object());
        serde_json::from_value::<OpenAPI>(v.clone()).expect("parses after the fixup");
        assert_eq!(inline_callback_refs(&mut v), 0);
    }

    #[test]
    fn object_writes_may_answer_200_with_warnings() {
        let mut d = doc(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/users/user/{dn}": {
                    "put": {"operationId": "p", "responses": {"204": {"description": "ok"}}},
                    "patch": {"operationId": "q", "responses": {"204": {"description": "ok"}}},
                    "get": {"operationId": "g", "responses": {"204": {"description": "ok"}}}
                },
                "/users/user/": {"post": {"operationId": "c", "responses": {"201": {"description": "ok"}}}}
            }
        }));
        assert_eq!(writes_may_answer_warnings(&mut d), 2);
        let v = json(&d);
        for method in ["put", "patch"] {
            let ok = &v["paths"]["/users/user/{dn}"][method]["responses"]["200"];
            assert!(
                ok["content"]["application/json"].is_object(),
                "{method}: {ok}"
            );
        }
        assert!(v["paths"]["/users/user/{dn}"]["get"]["responses"]["200"].is_null());
        assert!(v["paths"]["/users/user/"]["post"]["responses"]["200"].is_null());
        assert_eq!(writes_may_answer_warnings(&mut d), 0, "already declared");
    }

    #[test]
    fn deep_object_query_parameter_is_dropped_others_stay() {
        let mut d = doc(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/users/user/": {"get": {
                "operationId": "search",
                "parameters": [
                    {"$ref": "#/components/parameters/query"},
                    {"$ref": "#/components/parameters/filter"}
                ],
                "responses": {"200": {"description": "OK"}}
            }}},
            "components": {"parameters": {
                "query": {"in": "query", "name": "query", "style": "deepObject",
                          "schema": {"type": "object", "additionalProperties": true}},
                "filter": {"in": "query", "name": "filter", "schema": {"type": "string"}}
            }}
        }));
        assert_eq!(deep_object_operations(&d), 1);
        assert_eq!(drop_deep_object_parameters(&mut d), 1);
        assert_eq!(deep_object_operations(&d), 0);
        let j = json(&d);
        assert_eq!(
            j["paths"]["/users/user/"]["get"]["parameters"],
            json!([{"$ref": "#/components/parameters/filter"}])
        );
    }

    #[test]
    fn module_objects_become_open_and_typed_properties_survive() {
        let mut d = doc(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "users-user.request-patch": {"type": "object", "properties": {
                    "properties": {"type": "object", "properties": {
                        "firstname": {"type": "string", "nullable": true}
                    }},
                    "options": {"$ref": "#/components/schemas/users-user.options"}
                }},
                "users-user.request": {"allOf": [{"$ref": "#/components/schemas/users-user.request-patch"}]},
                "users-user.response-mixin": {"type": "object", "properties": {
                    "uri": {"$ref": "#/components/schemas/users-user.uri"}}},
                "users-user.uri": {"type": "string"},
                "users-user.options": {"type": "object", "properties": {"pki": {"type": "boolean"}}},
                "users-user": {"allOf": [
                    {"$ref": "#/components/schemas/users-user.request"},
                    {"$ref": "#/components/schemas/users-user.response-mixin"}
                ]},
                "users-user.list": {"type": "object"},
                "mail-folder.request-patch": {"type": "object", "properties": {
                    "properties": {"type": "object", "additionalProperties": true}}},
                "mail-folder": {"allOf": [{"$ref": "#/components/schemas/mail-folder.request-patch"}]},
                "mail-folder.list": {"type": "object"}
            }}
        }));
        assert_eq!(open_object_bodies(&mut d), 2);
        let j = json(&d);
        let s = &j["components"]["schemas"];
        let open = json!({"type": "object", "additionalProperties": true});
        assert_eq!(s["users-user"], open);
        assert_eq!(s["users-user.list"], open);
        assert_eq!(s["mail-folder"], open);
        assert_eq!(
            s["users-user.properties"]["properties"]["firstname"],
            json!({"type": "string", "nullable": true})
        );
        assert!(s["users-user.options"].is_object());
        assert!(
            s.get("mail-folder.properties").is_none(),
            "free-form modules get no typed view"
        );
        for gone in [
            "users-user.request",
            "users-user.request-patch",
            "users-user.response-mixin",
            "users-user.uri",
        ] {
            assert!(s.get(gone).is_none(), "{gone} removed");
        }
        assert!(
            crate::refs::dangling(&j).is_empty(),
            "{:?}",
            crate::refs::dangling(&j)
        );
    }
}
