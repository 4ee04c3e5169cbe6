//! Spec fixups: small, named rewrites of a parsed OpenAPI document, applied in
//! memory before progenitor sees it. The files in `specs/` stay exactly as the
//! servers serve them.
//!
//! Every fixup states the server behaviour it encodes, returns how many places
//! it changed (so `cargo xtask gen` can say when a fixup has become a no-op
//! after a server update) and has a unit test.

pub mod common;
pub mod kelvin;
pub mod udm;

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};
use serde_json::Value;

/// A rewrite of the raw JSON document, for problems that stop `openapiv3`
/// from parsing it at all.
pub type JsonFixup = fn(&mut Value) -> usize;

/// A rewrite of the parsed document.
pub type DocFixup = fn(&mut OpenAPI) -> usize;

/// A named fixup, as listed in the generator's output.
pub enum Fixup {
    /// Runs on the JSON text before parsing.
    Json(&'static str, JsonFixup),
    /// Runs on the parsed document.
    Doc(&'static str, DocFixup),
}

impl Fixup {
    /// The fixup's name (its function name).
    pub fn name(&self) -> &'static str {
        match self {
            Fixup::Json(name, _) | Fixup::Doc(name, _) => name,
        }
    }
}

/// Every operation of a path item, mutably, with its lower-case method name.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("options", item.options.as_mut()),
        ("head", item.head.as_mut()),
        ("patch", item.patch.as_mut()),
        ("trace", item.trace.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.map(|op| (method, op)))
}

/// Every operation of the document, mutably, with its method and path.
pub fn all_operations_mut(
    doc: &mut OpenAPI,
) -> impl Iterator<Item = (&'static str, &str, &mut Operation)> {
    doc.paths.paths.iter_mut().flat_map(|(path, item)| {
        let item = match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        };
        item.into_iter()
            .flat_map(move |item| operations_mut(item).map(move |(m, op)| (m, path.as_str(), op)))
    })
}

/// The component name a local `$ref` points to (`#/components/<kind>/<name>`).
pub fn ref_name<'a>(reference: &'a str, kind: &str) -> Option<&'a str> {
    reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')
}

#[cfg(test)]
pub(crate) mod test_support {
    use openapiv3::OpenAPI;

    /// Parses a small test document written as JSON.
    pub fn doc(json: serde_json::Value) -> OpenAPI {
        serde_json::from_value(json).expect("test document parses")
    }

    /// The document as JSON again, for assertions.
    pub fn json(doc: &OpenAPI) -> serde_json::Value {
        serde_json::to_value(doc).expect("document serializes")
    }
}
