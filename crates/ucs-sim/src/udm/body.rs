//! The JSON body of POST, PUT and PATCH, checked as the server's body sanitizers check it:
//! `position`/`superordinate` are DNs below the LDAP base, `options` a map of booleans (by
//! truthiness), `policies` a map of DN lists, `properties` a map (required for POST and PUT,
//! as is `position` for PUT). Unknown keys are ignored.

use super::invalid::{Invalid, Key};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Which write the body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// `POST <module>/`.
    Post,
    /// `PUT <module>/<dn>`.
    Put,
    /// `PATCH <module>/<dn>`.
    Patch,
}

/// A checked body.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteBody {
    /// `position` (empty or absent: none).
    pub position: Option<String>,
    /// `superordinate`.
    pub superordinate: Option<String>,
    /// `options` (absent: unchanged).
    pub options: Option<BTreeMap<String, bool>>,
    /// `policies` (absent: unchanged).
    pub policies: Option<BTreeMap<String, Vec<String>>>,
    /// `properties`.
    pub properties: Map<String, Value>,
}

/// Checks a DN value; the message of the problem otherwise.
pub(crate) fn check_dn(value: &Value, base: &str) -> Result<String, &'static str> {
    let Value::String(text) = value else {
        return Err("Value is not a string");
    };
    if text.is_empty() {
        return Ok(String::new());
    }
    let dn = ucs_ldap::Dn::parse(text).map_err(|_| "Value is not a LDAP DN.")?;
    let below = |suffix: &str| ucs_ldap::Dn::parse(suffix).is_ok_and(|s| dn.is_within(&s));
    if below(base) || below("cn=internal") {
        Ok(text.clone())
    } else {
        Err("INVALID_BASE")
    }
}

fn base_message(base: &str) -> String {
    format!("The ldap base is invalid. Use {}.", base.to_lowercase())
}

fn dn_field(
    map: &Map<String, Value>,
    name: &str,
    required: bool,
    allow_null: bool,
    base: &str,
    invalid: &mut Invalid,
) -> Option<String> {
    let path = [Key::from(name)];
    match map.get(name) {
        None if required => {
            invalid.add("body_arguments", &path, "Argument required");
            None
        }
        None => None,
        Some(Value::Null) if allow_null => None,
        Some(value) => match check_dn(value, base) {
            Ok(dn) => Some(dn).filter(|d| !d.is_empty()),
            Err("INVALID_BASE") => {
                invalid.add("body_arguments", &path, base_message(base));
                None
            }
            Err(message) => {
                invalid.add("body_arguments", &path, message);
                None
            }
        },
    }
}

/// Python's truthiness, which the options' boolean sanitizer applies.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn options(map: &Map<String, Value>, invalid: &mut Invalid) -> Option<BTreeMap<String, bool>> {
    match map.get("options")? {
        Value::Object(o) => Some(o.iter().map(|(k, v)| (k.clone(), truthy(v))).collect()),
        _ => {
            invalid.add("body_arguments", &["options".into()], "Not a \"dict\"");
            None
        }
    }
}

fn policies(
    map: &Map<String, Value>,
    base: &str,
    invalid: &mut Invalid,
) -> Option<BTreeMap<String, Vec<String>>> {
    let Value::Object(p) = map.get("policies")? else {
        invalid.add("body_arguments", &["policies".into()], "Not a \"dict\"");
        return None;
    };
    let mut out = BTreeMap::new();
    for (kind, value) in p {
        let Value::Array(items) = value else {
            invalid.add(
                "body_arguments",
                &["policies".into(), kind.as_str().into()],
                "Not a \"list\"",
            );
            continue;
        };
        let mut dns = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = [Key::from("policies"), kind.as_str().into(), Key::Index(i)];
            match check_dn(item, base) {
                Ok(dn) => dns.push(dn),
                Err("INVALID_BASE") => invalid.add("body_arguments", &path, base_message(base)),
                Err(message) => invalid.add("body_arguments", &path, message),
            }
        }
        out.insert(kind.clone(), dns);
    }
    Some(out)
}

/// Checks a body; the problems go into `invalid`.
pub(crate) fn sanitize(
    value: &Value,
    write: Write,
    base: &str,
    invalid: &mut Invalid,
) -> WriteBody {
    let Value::Object(map) = value else {
        invalid.add("body_arguments", &[], "Not a \"dict\"");
        return WriteBody::default();
    };
    let position = match write {
        Write::Post => dn_field(map, "position", false, true, base, invalid),
        Write::Put => dn_field(map, "position", true, false, base, invalid),
        Write::Patch => dn_field(map, "position", false, false, base, invalid),
    };
    let superordinate = dn_field(map, "superordinate", false, true, base, invalid);
    let options = options(map, invalid);
    let policies = policies(map, base, invalid);
    let properties = match map.get("properties") {
        Some(Value::Object(p)) => p.clone(),
        None if write != Write::Patch => {
            invalid.add(
                "body_arguments",
                &["properties".into()],
                "Argument required",
            );
            Map::new()
        }
        None => Map::new(),
        Some(_) => {
            invalid.add("body_arguments", &["properties".into()], "Not a \"dict\"");
            Map::new()
        }
    };
    WriteBody {
        position,
        superordinate,
        options,
        policies,
        properties,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = "dc=example,dc=com";

    #[test]
    fn bodies_are_checked_like_the_server_does() {
        let mut invalid = Invalid::default();
        let body = sanitize(
            &json!({"position": "cn=users,dc=example,dc=com", "options": {"a": 1, "b": null}, "properties": {}}),
            Write::Post,
            BASE,
            &mut invalid,
        );
        assert!(invalid.is_empty());
        assert_eq!(
            body.options.unwrap(),
            [("a".to_string(), true), ("b".to_string(), false)].into()
        );

        let mut invalid = Invalid::default();
        sanitize(&json!({"properties": {}}), Write::Put, BASE, &mut invalid);
        assert_eq!(
            invalid,
            Invalid::one("body_arguments", &["position".into()], "Argument required")
        );

        let mut invalid = Invalid::default();
        sanitize(
            &json!({"position": "cn=x,dc=other"}),
            Write::Patch,
            BASE,
            &mut invalid,
        );
        assert_eq!(
            invalid,
            Invalid::one(
                "body_arguments",
                &["position".into()],
                "The ldap base is invalid. Use dc=example,dc=com."
            )
        );

        let mut invalid = Invalid::default();
        sanitize(
            &json!({"properties": {}, "policies": {"policies/umc": ["x"]}}),
            Write::Post,
            BASE,
            &mut invalid,
        );
        assert_eq!(
            invalid,
            Invalid::one(
                "body_arguments",
                &["policies".into(), "policies/umc".into(), Key::Index(0)],
                "Value is not a LDAP DN."
            )
        );

        let mut invalid = Invalid::default();
        sanitize(&json!([1]), Write::Post, BASE, &mut invalid);
        assert_eq!(
            invalid,
            Invalid::one("body_arguments", &[], "Not a \"dict\"")
        );
    }
}
