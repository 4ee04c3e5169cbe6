//! UDM objects on the command line: DNs as arguments, objects as the JSON of `-o json`.

use serde_json::{json, Value};
use ucs::udm::{Dn, Object};

use crate::exit::CliError;

/// A DN from the command line.
pub fn parse_dn(text: &str) -> Result<Dn, CliError> {
    Dn::parse(text).map_err(|e| CliError::new(format!("not a DN: {text:?}: {e}")))
}

/// An object as the stable JSON of `-o json`.
pub fn object_json(object: &Object) -> Value {
    json!({
        "dn": object.dn().map(ToString::to_string),
        "module": object.module(),
        "position": object.position().map(ToString::to_string),
        "uuid": object.uuid(),
        "properties": object.properties(),
        "options": object.options(),
        "policies": object.policies(),
    })
}
