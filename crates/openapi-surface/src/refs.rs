//! Local `$ref` resolution with cycle protection.

use serde_json::Value;

use crate::error::SurfaceError;

/// The most `$ref` hops followed before a chain is declared a cycle.
const MAX_HOPS: usize = 64;

/// The `$ref` string of `value`, when it is a reference object.
pub(crate) fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// The component name a local reference of `kind` names:
/// `#/components/schemas/User` -> `User` for kind `schemas`.
pub(crate) fn component_name(reference: &str, kind: &str) -> Option<String> {
    let pointer = pointer_of(reference)?;
    let prefix = format!("/components/{kind}/");
    let token = pointer.strip_prefix(&prefix)?;
    if token.contains('/') {
        return None;
    }
    Some(unescape_token(token))
}

/// The JSON pointer of a local reference (`#/a/b` -> `/a/b`), percent-decoded.
fn pointer_of(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !(fragment.is_empty() || fragment.starts_with('/')) {
        return None;
    }
    Some(percent_decode(fragment))
}

/// Decodes `%XX` escapes (a URI fragment may carry them); invalid escapes stay as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Undoes JSON-pointer escaping of one token (`~1` -> `/`, `~0` -> `~`).
fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Escapes one JSON-pointer token (`/` -> `~1`, `~` -> `~0`).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Follows `$ref` chains inside one document.
#[derive(Clone, Copy)]
pub(crate) struct Resolver<'a> {
    doc: &'a Value,
}

impl<'a> Resolver<'a> {
    /// A resolver over `doc`.
    pub(crate) fn new(doc: &'a Value) -> Self {
        Self { doc }
    }

    /// The target of one local reference, without following further `$ref`s.
    pub(crate) fn target(&self, reference: &str, at: &str) -> Result<&'a Value, SurfaceError> {
        let pointer = pointer_of(reference).ok_or_else(|| SurfaceError::ExternalRef {
            pointer: at.to_string(),
            reference: reference.to_string(),
        })?;
        self.doc
            .pointer(&pointer)
            .ok_or_else(|| SurfaceError::UnresolvedRef {
                pointer: at.to_string(),
                reference: reference.to_string(),
            })
    }

    /// `value` itself, or what its `$ref` chain ends at.
    pub(crate) fn deref(&self, value: &'a Value, at: &str) -> Result<&'a Value, SurfaceError> {
        let mut current = value;
        let mut seen: Vec<&str> = Vec::new();
        while let Some(reference) = ref_of(current) {
            if seen.contains(&reference) || seen.len() >= MAX_HOPS {
                return Err(SurfaceError::RefCycle {
                    pointer: at.to_string(),
                    reference: reference.to_string(),
                });
            }
            seen.push(reference);
            current = self.target(reference, at)?;
        }
        Ok(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn component_names_are_unescaped() {
        assert_eq!(
            component_name("#/components/schemas/User", "schemas").as_deref(),
            Some("User")
        );
        assert_eq!(
            component_name("#/components/schemas/a~1b~0c", "schemas").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(
            component_name("#/components/schemas/a%20b", "schemas").as_deref(),
            Some("a b")
        );
        assert_eq!(
            component_name("#/components/responses/User", "schemas"),
            None
        );
        assert_eq!(
            component_name("other.json#/components/schemas/User", "schemas"),
            None
        );
    }

    #[test]
    fn chains_are_followed() {
        let doc = json!({"components": {"responses": {
            "a": {"$ref": "#/components/responses/b"},
            "b": {"description": "B"}
        }}});
        let r = Resolver::new(&doc);
        let start = json!({"$ref": "#/components/responses/a"});
        assert_eq!(
            r.deref(&start, "#/x").unwrap(),
            &json!({"description": "B"})
        );
    }

    #[test]
    fn cycles_dangling_and_external_refs_are_errors() {
        let doc = json!({"components": {"responses": {
            "a": {"$ref": "#/components/responses/b"},
            "b": {"$ref": "#/components/responses/a"}
        }}});
        let r = Resolver::new(&doc);
        let start = json!({"$ref": "#/components/responses/a"});
        assert_eq!(
            r.deref(&start, "#/x"),
            Err(SurfaceError::RefCycle {
                pointer: "#/x".into(),
                reference: "#/components/responses/a".into()
            })
        );
        let dangling = json!({"$ref": "#/components/responses/zzz"});
        assert_eq!(
            r.deref(&dangling, "#/y"),
            Err(SurfaceError::UnresolvedRef {
                pointer: "#/y".into(),
                reference: "#/components/responses/zzz".into()
            })
        );
        let external = json!({"$ref": "common.json#/components/responses/a"});
        assert!(matches!(
            r.deref(&external, "#/z"),
            Err(SurfaceError::ExternalRef { .. })
        ));
    }
}
