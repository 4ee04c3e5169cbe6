//! The error type of this crate.

/// Why a document could not be turned into a surface or compared.
///
/// Every variant names the place in the document (a JSON pointer such as
/// `#/paths/~1users~1/get/parameters/0`) so the problem can be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SurfaceError {
    /// A part of the document that must be a JSON object (the document
    /// itself, `paths`, a path item, an operation, a parameter, ...) is not.
    #[error("{pointer} must be a JSON object, found {found}")]
    NotAnObject {
        /// Where the value is.
        pointer: String,
        /// What was found instead (`array`, `string`, ...).
        found: &'static str,
    },
    /// A required member is missing (e.g. a parameter without `name` or `in`).
    #[error("{pointer} has no `{member}`")]
    MissingMember {
        /// The object lacking the member.
        pointer: String,
        /// The missing member's name.
        member: &'static str,
    },
    /// A local `$ref` points to nothing.
    #[error("{pointer}: `$ref` {reference} points to nothing in the document")]
    UnresolvedRef {
        /// Where the reference is.
        pointer: String,
        /// The reference text.
        reference: String,
    },
    /// A `$ref` to another document; only local references (`#/...`) are supported.
    #[error("{pointer}: `$ref` {reference} points outside the document; only local references (#/...) are supported")]
    ExternalRef {
        /// Where the reference is.
        pointer: String,
        /// The reference text.
        reference: String,
    },
    /// A chain of `$ref`s leads back to itself.
    #[error("{pointer}: `$ref` {reference} is part of a reference cycle")]
    RefCycle {
        /// Where the chain starts.
        pointer: String,
        /// The reference that closes the cycle.
        reference: String,
    },
}

/// A short name for the JSON type of `value`, for error messages.
pub(crate) fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}
