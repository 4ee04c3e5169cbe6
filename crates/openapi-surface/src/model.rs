//! The normalized surface of a document: operations and components reduced
//! to what shapes client code, in a deterministic order.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{json_type, SurfaceError};
use crate::method_name::method_name;
use crate::refs::{component_name, escape_token, ref_of, Resolver};
use crate::schema::{shape_of, Shape};

/// The HTTP methods an OpenAPI path item can hold, in display order.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A component used by reference, or an inline definition.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Slot<T> {
    /// `$ref` to a component: its name (or the whole reference when it points
    /// elsewhere) and what the reference chain ends at.
    Ref { name: String, resolved: T },
    /// Defined in place.
    Inline(T),
}

impl<T> Slot<T> {
    /// The definition, wherever it lives.
    pub(crate) fn get(&self) -> &T {
        match self {
            Slot::Ref { resolved, .. } => resolved,
            Slot::Inline(value) => value,
        }
    }

    /// The component name, for references.
    pub(crate) fn ref_name(&self) -> Option<&str> {
        match self {
            Slot::Ref { name, .. } => Some(name),
            Slot::Inline(_) => None,
        }
    }
}

/// A parameter; its schema root carries `required` and `deprecated`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Param {
    pub location: String,
    pub name: String,
    pub schema: Shape,
}

/// A request body: media type -> schema.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Body {
    pub required: bool,
    pub content: BTreeMap<String, Shape>,
}

/// A response: media type -> schema (empty: no content).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Response {
    pub content: BTreeMap<String, Shape>,
}

/// One operation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    /// The method progenitor generates for the operationId.
    pub method_name: Option<String>,
    pub deprecated: bool,
    /// The operation's own `security` (None: the document's applies).
    pub security: Option<String>,
    /// Parameters keyed by (location, name), path-level ones merged in.
    pub params: BTreeMap<(String, String), Slot<Param>>,
    pub request: Option<Slot<Body>>,
    /// Responses keyed by status (`200`, `4XX`, `default`).
    pub responses: BTreeMap<String, Slot<Response>>,
}

impl Operation {
    /// `GET /path`.
    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// The normalized surface of one document.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Surface {
    /// Operations keyed by (path, method position in [`METHODS`]).
    pub operations: BTreeMap<(String, usize), Operation>,
    /// The document's `security`.
    pub security: Option<String>,
    pub parameters: BTreeMap<String, Slot<Param>>,
    pub request_bodies: BTreeMap<String, Slot<Body>>,
    pub responses: BTreeMap<String, Slot<Response>>,
    pub schemas: BTreeMap<String, Shape>,
    /// Security schemes, each summarized in one line.
    pub security_schemes: BTreeMap<String, String>,
}

/// Builds the surface of `doc`.
pub(crate) fn build(doc: &Value) -> Result<Surface, SurfaceError> {
    let root = object(doc, "#")?;
    let resolver = Resolver::new(doc);
    let builder = Builder { resolver };
    let mut surface = Surface {
        security: root.get("security").map(security_text),
        ..Surface::default()
    };

    if let Some(paths) = root.get("paths") {
        let paths = object(paths, "#/paths")?;
        for (path, item) in paths {
            let at = format!("#/paths/{}", escape_token(path));
            let item = resolver.deref(item, &at)?;
            let item = object(item, &at)?;
            let shared = match item.get("parameters") {
                Some(list) => builder.params(list, &format!("{at}/parameters"))?,
                None => BTreeMap::new(),
            };
            for (index, method) in METHODS.iter().enumerate() {
                if let Some(op) = item.get(*method) {
                    let op_at = format!("{at}/{method}");
                    let operation = builder.operation(op, &op_at, method, path, &shared)?;
                    surface.operations.insert((path.clone(), index), operation);
                }
            }
        }
    }

    if let Some(components) = root.get("components") {
        let components = object(components, "#/components")?;
        let section = |name: &str| -> Result<Option<&Map<String, Value>>, SurfaceError> {
            components
                .get(name)
                .map(|v| object(v, &format!("#/components/{name}")))
                .transpose()
        };
        if let Some(params) = section("parameters")? {
            for (name, value) in params {
                let at = format!("#/components/parameters/{}", escape_token(name));
                let slot = builder.slot(value, &at, "parameters", |v, at| builder.param(v, at))?;
                surface.parameters.insert(name.clone(), slot);
            }
        }
        if let Some(bodies) = section("requestBodies")? {
            for (name, value) in bodies {
                let at = format!("#/components/requestBodies/{}", escape_token(name));
                let slot =
                    builder.slot(value, &at, "requestBodies", |v, at| builder.body(v, at))?;
                surface.request_bodies.insert(name.clone(), slot);
            }
        }
        if let Some(responses) = section("responses")? {
            for (name, value) in responses {
                let at = format!("#/components/responses/{}", escape_token(name));
                let slot =
                    builder.slot(value, &at, "responses", |v, at| builder.response(v, at))?;
                surface.responses.insert(name.clone(), slot);
            }
        }
        if let Some(schemas) = section("schemas")? {
            for (name, value) in schemas {
                surface.schemas.insert(name.clone(), shape_of(value));
            }
        }
        if let Some(schemes) = section("securitySchemes")? {
            for (name, value) in schemes {
                let at = format!("#/components/securitySchemes/{}", escape_token(name));
                let scheme = resolver.deref(value, &at)?;
                surface
                    .security_schemes
                    .insert(name.clone(), security_scheme_text(scheme));
            }
        }
    }
    Ok(surface)
}

/// `value` as an object, or an error naming `pointer`.
fn object<'a>(value: &'a Value, pointer: &str) -> Result<&'a Map<String, Value>, SurfaceError> {
    value.as_object().ok_or_else(|| SurfaceError::NotAnObject {
        pointer: pointer.to_string(),
        found: json_type(value),
    })
}

/// Builds the parts of a surface that need reference resolution.
struct Builder<'a> {
    resolver: Resolver<'a>,
}

impl<'a> Builder<'a> {
    /// A reference to a component of `kind`, or an inline definition.
    fn slot<T>(
        &self,
        value: &'a Value,
        at: &str,
        kind: &str,
        build: impl Fn(&'a Value, &str) -> Result<T, SurfaceError>,
    ) -> Result<Slot<T>, SurfaceError> {
        match ref_of(value) {
            Some(reference) => {
                let target = self.resolver.deref(value, at)?;
                let name = component_name(reference, kind).unwrap_or_else(|| reference.to_string());
                Ok(Slot::Ref {
                    name,
                    resolved: build(target, at)?,
                })
            }
            None => Ok(Slot::Inline(build(value, at)?)),
        }
    }

    /// One operation.
    fn operation(
        &self,
        value: &'a Value,
        at: &str,
        method: &str,
        path: &str,
        shared: &BTreeMap<(String, String), Slot<Param>>,
    ) -> Result<Operation, SurfaceError> {
        let op = object(value, at)?;
        let mut params = shared.clone();
        if let Some(list) = op.get("parameters") {
            params.extend(self.params(list, &format!("{at}/parameters"))?);
        }
        let request = op
            .get("requestBody")
            .map(|body| {
                self.slot(
                    body,
                    &format!("{at}/requestBody"),
                    "requestBodies",
                    |v, at| self.body(v, at),
                )
            })
            .transpose()?;
        let mut responses = BTreeMap::new();
        if let Some(list) = op.get("responses") {
            let list_at = format!("{at}/responses");
            for (status, response) in object(list, &list_at)? {
                let response_at = format!("{list_at}/{}", escape_token(status));
                let slot = self.slot(response, &response_at, "responses", |v, at| {
                    self.response(v, at)
                })?;
                responses.insert(status.clone(), slot);
            }
        }
        let operation_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string);
        Ok(Operation {
            method: method.to_string(),
            path: path.to_string(),
            method_name: operation_id.as_deref().map(method_name),
            operation_id,
            deprecated: op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            security: op.get("security").map(security_text),
            params,
            request,
            responses,
        })
    }

    /// A `parameters` list keyed by (location, name).
    fn params(
        &self,
        list: &'a Value,
        at: &str,
    ) -> Result<BTreeMap<(String, String), Slot<Param>>, SurfaceError> {
        let items = list.as_array().ok_or_else(|| SurfaceError::NotAnObject {
            pointer: at.to_string(),
            found: json_type(list),
        })?;
        let mut out = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let slot = self.slot(item, &format!("{at}/{i}"), "parameters", |v, at| {
                self.param(v, at)
            })?;
            let key = (slot.get().location.clone(), slot.get().name.clone());
            out.insert(key, slot);
        }
        Ok(out)
    }

    /// One parameter definition.
    fn param(&self, value: &'a Value, at: &str) -> Result<Param, SurfaceError> {
        let map = object(value, at)?;
        let text = |member: &'static str| -> Result<String, SurfaceError> {
            map.get(member)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| SurfaceError::MissingMember {
                    pointer: at.to_string(),
                    member,
                })
        };
        let location = text("in")?;
        let name = text("name")?;
        let schema_value = map.get("schema").or_else(|| {
            map.get("content")
                .and_then(Value::as_object)
                .and_then(|content| content.values().next())
                .and_then(|media| media.get("schema"))
        });
        let mut schema = schema_value.map(shape_of).unwrap_or_default();
        schema.node.required = map
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        schema.node.deprecated |= map
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok(Param {
            location,
            name,
            schema,
        })
    }

    /// One request body definition.
    fn body(&self, value: &'a Value, at: &str) -> Result<Body, SurfaceError> {
        let map = object(value, at)?;
        Ok(Body {
            required: map
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            content: self.content(map.get("content"), &format!("{at}/content"))?,
        })
    }

    /// One response definition.
    fn response(&self, value: &'a Value, at: &str) -> Result<Response, SurfaceError> {
        let map = object(value, at)?;
        Ok(Response {
            content: self.content(map.get("content"), &format!("{at}/content"))?,
        })
    }

    /// A `content` map: media type -> schema.
    fn content(
        &self,
        value: Option<&'a Value>,
        at: &str,
    ) -> Result<BTreeMap<String, Shape>, SurfaceError> {
        let mut out = BTreeMap::new();
        if let Some(value) = value {
            for (media, entry) in object(value, at)? {
                let entry_at = format!("{at}/{}", escape_token(media));
                let entry = object(entry, &entry_at)?;
                out.insert(
                    media.clone(),
                    entry.get("schema").map(shape_of).unwrap_or_default(),
                );
            }
        }
        Ok(out)
    }
}

/// A security requirement list in one line: alternatives joined by ` | `,
/// schemes required together joined by `+`, scopes in brackets.
fn security_text(value: &Value) -> String {
    let Some(list) = value.as_array() else {
        return "invalid".to_string();
    };
    if list.is_empty() {
        return "none".to_string();
    }
    let mut alternatives: Vec<String> = list
        .iter()
        .map(|requirement| match requirement.as_object() {
            Some(map) if map.is_empty() => "anonymous".to_string(),
            Some(map) => {
                let mut schemes: Vec<String> = map
                    .iter()
                    .map(|(name, scopes)| {
                        let mut scopes: Vec<&str> = scopes
                            .as_array()
                            .map(|s| s.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        scopes.sort_unstable();
                        if scopes.is_empty() {
                            name.clone()
                        } else {
                            format!("{name}[{}]", scopes.join(","))
                        }
                    })
                    .collect();
                schemes.sort();
                schemes.join("+")
            }
            None => "invalid".to_string(),
        })
        .collect();
    alternatives.sort();
    alternatives.dedup();
    alternatives.join(" | ")
}

/// A security scheme in one line (`http basic`, `oauth2 password tokenUrl=...`).
fn security_scheme_text(value: &Value) -> String {
    let get = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or("");
    match get("type") {
        "http" => {
            let mut text = format!("http {}", get("scheme").to_lowercase());
            if !get("bearerFormat").is_empty() {
                text.push_str(&format!(" bearerFormat={}", get("bearerFormat")));
            }
            text
        }
        "apiKey" => format!("apiKey {} {}", get("in"), get("name")),
        "openIdConnect" => format!("openIdConnect {}", get("openIdConnectUrl")),
        "oauth2" => {
            let mut text = "oauth2".to_string();
            if let Some(flows) = value.get("flows").and_then(Value::as_object) {
                let mut names: Vec<&String> = flows.keys().collect();
                names.sort();
                for name in names {
                    let flow = &flows[name.as_str()];
                    text.push_str(&format!(" {name}"));
                    for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                        if let Some(url) = flow.get(key).and_then(Value::as_str) {
                            text.push_str(&format!(" {key}={url}"));
                        }
                    }
                    if let Some(scopes) = flow.get("scopes").and_then(Value::as_object) {
                        let mut scopes: Vec<&String> = scopes.keys().collect();
                        scopes.sort();
                        if !scopes.is_empty() {
                            let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
                            text.push_str(&format!(" scopes=[{}]", scopes.join(",")));
                        }
                    }
                }
            }
            text
        }
        "" => "unknown".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_level_parameters_merge_and_operation_ones_win() {
        let doc = json!({"paths": {"/u/{id}": {
            "parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": "getU", "parameters": [
                {"in": "path", "name": "id", "required": true, "schema": {"type": "integer"}},
                {"in": "query", "name": "q", "schema": {"type": "string"}}
            ], "responses": {}}
        }}});
        let surface = build(&doc).unwrap();
        let op = &surface.operations[&("/u/{id}".to_string(), 0)];
        assert_eq!(op.method_name.as_deref(), Some("get_u"));
        assert_eq!(op.params.len(), 2);
        let id = op.params[&("path".to_string(), "id".to_string())].get();
        assert_eq!(
            id.schema.node.kind,
            crate::schema::Kind::Type("integer".into())
        );
        assert!(id.schema.node.required);
    }

    #[test]
    fn referenced_parts_keep_their_names() {
        let doc = json!({
            "paths": {"/x": {"post": {
                "parameters": [{"$ref": "#/components/parameters/lang"}],
                "requestBody": {"$ref": "#/components/requestBodies/thing"},
                "responses": {"400": {"$ref": "#/components/responses/Bad"}}
            }}},
            "components": {
                "parameters": {"lang": {"in": "header", "name": "Accept-Language", "schema": {"type": "string"}}},
                "requestBodies": {"thing": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}},
                "responses": {"Bad": {"$ref": "#/components/responses/Worse"}, "Worse": {"description": "x"}},
                "schemas": {"Thing": {"type": "object"}}
            }
        });
        let surface = build(&doc).unwrap();
        let op = &surface.operations[&("/x".to_string(), 2)];
        assert_eq!(op.operation_id, None);
        assert_eq!(
            op.params[&("header".to_string(), "Accept-Language".to_string())].ref_name(),
            Some("lang")
        );
        assert_eq!(op.request.as_ref().and_then(Slot::ref_name), Some("thing"));
        assert!(op
            .request
            .as_ref()
            .map(|b| b.get().required)
            .unwrap_or(false));
        assert_eq!(op.responses["400"].ref_name(), Some("Bad"));
        assert_eq!(surface.responses["Bad"].ref_name(), Some("Worse"));
    }

    #[test]
    fn structural_errors_name_the_place() {
        assert_eq!(
            build(&json!([])),
            Err(SurfaceError::NotAnObject {
                pointer: "#".into(),
                found: "array"
            })
        );
        assert_eq!(
            build(&json!({"paths": {"/a": {"get": {"parameters": [{"in": "query"}]}}}})),
            Err(SurfaceError::MissingMember {
                pointer: "#/paths/~1a/get/parameters/0".into(),
                member: "name"
            })
        );
        assert_eq!(
            build(
                &json!({"paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/nope"}}}}}})
            ),
            Err(SurfaceError::UnresolvedRef {
                pointer: "#/paths/~1a/get/responses/200".into(),
                reference: "#/components/responses/nope".into()
            })
        );
    }

    #[test]
    fn security_is_summarized() {
        assert_eq!(
            security_text(&json!([{"b": [], "a": ["w", "r"]}, {}])),
            "a[r,w]+b | anonymous"
        );
        assert_eq!(security_text(&json!([])), "none");
        assert_eq!(
            security_scheme_text(
                &json!({"type": "oauth2", "flows": {"password": {"tokenUrl": "/token", "scopes": {}}}})
            ),
            "oauth2 password tokenUrl=/token"
        );
        assert_eq!(
            security_scheme_text(&json!({"type": "http", "scheme": "Basic"})),
            "http basic"
        );
    }
}
