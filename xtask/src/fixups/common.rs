//! Fixups that both servers need.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, MediaType, ObjectType, OpenAPI, ReferenceOr, Response,
    Schema, SchemaData, SchemaKind, StatusCode, Type,
};

use super::{all_operations_mut, ref_name};

/// The media type given to bodies the generated client must hand out as a
/// byte stream instead of decoding (progenitor types only `application/json`).
const STREAM: &str = "application/octet-stream";

/// Resolves a response reference, following chains of references.
fn resolve_response(
    components: Option<&Components>,
    response: &ReferenceOr<Response>,
) -> Option<Response> {
    let mut current = response;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(item) => return Some(item.clone()),
            ReferenceOr::Reference { reference } => {
                let name = ref_name(reference, "responses")?;
                current = components?.responses.get(name)?;
            }
        }
    }
    None
}

/// A response whose body is handed out as a byte stream.
fn as_stream(mut response: Response) -> Response {
    response.content = IndexMap::from([(STREAM.to_string(), MediaType::default())]);
    response
}

fn is_error(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => *code >= 400,
        StatusCode::Range(range) => *range >= 4,
    }
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

/// Error responses come from several layers (the API itself, FastAPI's request
/// validation, the Apache reverse proxy's HTML error pages, load balancers), so
/// their bodies follow no single schema: Kelvin sends `{"detail": [..]}`,
/// `{"detail": "..."}` and `{"message": ..}`, UDM sends its `embedded-error`
/// document or a proxy's HTML page. A typed decode would turn an HTML 503 into
/// a payload error without its status, and progenitor cannot generate an
/// operation whose error statuses carry different types at all. Every error
/// response therefore keeps its status and headers but hands its body out as a
/// byte stream (`Error::ErrorResponse(ResponseValue<ByteStream>)`); the facade
/// decodes it. The error schemas stay in `components` as types.
pub fn error_bodies_are_streams(doc: &mut OpenAPI) -> usize {
    let components = doc.components.clone();
    let mut changed = 0;
    for (_, _, op) in all_operations_mut(doc) {
        for (status, response) in op.responses.responses.iter_mut() {
            if !is_error(status) {
                continue;
            }
            if let Some(resolved) = resolve_response(components.as_ref(), response) {
                *response = ReferenceOr::Item(as_stream(resolved));
                changed += 1;
            }
        }
    }
    changed
}

/// What a success response's body decodes to, for comparing responses.
fn body_kind(response: &Response) -> String {
    match response.content.get("application/json") {
        Some(media) => serde_json::to_string(&media.schema).unwrap_or_default(),
        None if response.content.is_empty() => "none".to_string(),
        None => "stream".to_string(),
    }
}

/// Some operations answer several success statuses with different bodies: UDM's
/// PUT answers 201 (created, `{dn, uuid}`), 202 (move started, a `Location` to
/// poll) or 204 (modified, no body). progenitor generates one success type per
/// operation, so such operations hand out every success body as a byte stream
/// with its status and headers (`ResponseValue<ByteStream>`); the caller reads
/// `status()`, `headers()` and, where there is one, the body.
pub fn mixed_success_bodies_are_streams(doc: &mut OpenAPI) -> usize {
    let components = doc.components.clone();
    let mut changed = 0;
    for (_, _, op) in all_operations_mut(doc) {
        let successes: Vec<(StatusCode, Response)> = op
            .responses
            .responses
            .iter()
            .filter(|(status, _)| is_success(status))
            .filter_map(|(status, r)| {
                Some((status.clone(), resolve_response(components.as_ref(), r)?))
            })
            .collect();
        let mut kinds: Vec<String> = successes.iter().map(|(_, r)| body_kind(r)).collect();
        kinds.sort();
        kinds.dedup();
        if kinds.len() <= 1 {
            continue;
        }
        for (status, response) in successes {
            op.responses
                .responses
                .insert(status, ReferenceOr::Item(as_stream(response)));
            changed += 1;
        }
    }
    changed
}

/// A HEAD response never has a body (RFC 9110, section 9.3.2), but FastAPI
/// documents HEAD routes with the JSON body of their GET twin (Kelvin's
/// `HEAD /schools/{name}`). A generated client would try to decode the empty
/// body and fail on every success. HEAD responses are therefore declared
/// without content.
pub fn head_responses_have_no_body(doc: &mut OpenAPI) -> usize {
    let components = doc.components.clone();
    let mut changed = 0;
    for (method, _, op) in all_operations_mut(doc) {
        if method != "head" {
            continue;
        }
        for response in op.responses.responses.values_mut() {
            if let Some(mut resolved) = resolve_response(components.as_ref(), response) {
                if !resolved.content.is_empty() {
                    resolved.content.clear();
                    *response = ReferenceOr::Item(resolved);
                    changed += 1;
                }
            }
        }
    }
    changed
}

/// A PATCH changes only the fields it sends, and clears a field it sends as
/// `null` (Kelvin applies `exclude_unset`; UDM clears a property on `null`).
/// A generated struct can neither send `null` (it skips `None`) nor leave out
/// a field it knows, so a PATCH request body is an open JSON object
/// (`serde_json::Map`); the documented patch schema stays in `components` as
/// a type.
pub fn patch_bodies_are_open_objects(doc: &mut OpenAPI) -> usize {
    open_request_bodies(doc, &["patch"])
}

/// A create (POST) or replace (PUT) must send exactly what the caller set:
/// Kelvin reads an empty map or list in a body as "remove all" (`workgroups:
/// {}`, `allowed_email_senders_users: []`), but the generated structs skip
/// empty collections when they serialize (`skip_serializing_if`), so the
/// server would keep the old values. POST and PUT request bodies are therefore
/// open JSON objects too; the documented schemas stay in `components` as types.
pub fn write_bodies_are_open_objects(doc: &mut OpenAPI) -> usize {
    open_request_bodies(doc, &["post", "put"])
}

/// Makes the JSON request bodies of the operations with these methods open
/// objects (`serde_json::Map`).
fn open_request_bodies(doc: &mut OpenAPI, methods: &[&str]) -> usize {
    let mut changed = 0;
    for (method, _, op) in all_operations_mut(doc) {
        if !methods.contains(&method) {
            continue;
        }
        let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() else {
            continue;
        };
        if let Some(media) = body.content.get_mut("application/json") {
            media.schema = Some(ReferenceOr::Item(Schema {
                schema_data: SchemaData::default(),
                schema_kind: SchemaKind::Type(Type::Object(ObjectType {
                    additional_properties: Some(AdditionalProperties::Any(true)),
                    ..Default::default()
                })),
            }));
            changed += 1;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixups::test_support::{doc, json};
    use serde_json::json;

    fn two_statuses() -> OpenAPI {
        doc(json!({
            "openapi": "3.0.2",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x/{n}": {
                "head": {"operationId": "exists", "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {}}}},
                    "404": {"$ref": "#/components/responses/NotFound"}
                }},
                "put": {"operationId": "put", "responses": {
                    "201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "204": {"description": "No Content"},
                    "422": {"description": "Invalid", "content": {"application/json": {"schema": {"type": "object"}}}}
                }},
                "get": {"operationId": "get", "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "string"}}}}
                }}
            }},
            "components": {"responses": {"NotFound": {"description": "Not Found",
                "headers": {"X-Request-Id": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}}}}}
        }))
    }

    #[test]
    fn error_bodies_become_streams_and_keep_headers() {
        let mut d = two_statuses();
        assert_eq!(error_bodies_are_streams(&mut d), 2);
        let j = json(&d);
        let not_found = &j["paths"]["/x/{n}"]["head"]["responses"]["404"];
        assert_eq!(not_found["description"], "Not Found");
        assert!(not_found["headers"]["X-Request-Id"].is_object());
        assert_eq!(
            not_found["content"],
            json!({"application/octet-stream": {}})
        );
        assert_eq!(
            j["paths"]["/x/{n}"]["put"]["responses"]["422"]["content"],
            json!({"application/octet-stream": {}})
        );
        // success responses are untouched
        assert_eq!(
            j["paths"]["/x/{n}"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn mixed_success_bodies_become_streams_only_where_mixed() {
        let mut d = two_statuses();
        assert_eq!(mixed_success_bodies_are_streams(&mut d), 2);
        let j = json(&d);
        let put = &j["paths"]["/x/{n}"]["put"]["responses"];
        assert_eq!(
            put["201"]["content"],
            json!({"application/octet-stream": {}})
        );
        assert_eq!(
            put["204"]["content"],
            json!({"application/octet-stream": {}})
        );
        assert!(
            j["paths"]["/x/{n}"]["get"]["responses"]["200"]["content"]["application/json"]
                .is_object()
        );
        // a second run finds nothing left to do
        assert_eq!(mixed_success_bodies_are_streams(&mut d), 0);
    }

    #[test]
    fn head_responses_lose_their_body() {
        let mut d = two_statuses();
        assert_eq!(head_responses_have_no_body(&mut d), 2);
        let j = json(&d);
        let head = &j["paths"]["/x/{n}"]["head"]["responses"];
        assert!(head["200"].get("content").is_none());
        assert!(head["404"].get("content").is_none());
        assert_eq!(head["404"]["description"], "Not Found");
        assert_eq!(head_responses_have_no_body(&mut d), 0);
    }

    #[test]
    fn patch_bodies_become_open_objects() {
        let mut d = doc(json!({
            "openapi": "3.0.2",
            "info": {"title": "t", "version": "1"},
            "paths": {"/users/{name}": {
                "patch": {"operationId": "patch",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserPatchModel"}}}, "required": true},
                    "responses": {"200": {"description": "OK"}}},
                "put": {"operationId": "put",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserPatchModel"}}}, "required": true},
                    "responses": {"200": {"description": "OK"}}}
            }},
            "components": {"schemas": {"UserPatchModel": {"type": "object", "properties": {"birthday": {"type": "string"}}}}}
        }));
        assert_eq!(patch_bodies_are_open_objects(&mut d), 1);
        let j = json(&d);
        assert_eq!(
            j["paths"]["/users/{name}"]["patch"]["requestBody"]["content"]["application/json"]
                ["schema"],
            json!({"type": "object", "additionalProperties": true})
        );
        assert_eq!(
            j["paths"]["/users/{name}"]["put"]["requestBody"]["content"]["application/json"]
                ["schema"],
            json!({"$ref": "#/components/schemas/UserPatchModel"})
        );
        assert!(
            j["components"]["schemas"]["UserPatchModel"].is_object(),
            "the type stays"
        );
        assert_eq!(write_bodies_are_open_objects(&mut d), 1, "then the PUT");
        assert_eq!(
            json(&d)["paths"]["/users/{name}"]["put"]["requestBody"]["content"]["application/json"]
                ["schema"],
            json!({"type": "object", "additionalProperties": true})
        );
    }
}
