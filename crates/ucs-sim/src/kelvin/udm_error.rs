//! Refusals of writes the real server delegates to the UDM REST API, passed through as its
//! `udm_exception_handler` does (`kelvin/service/exception_handler.py`): one entry per key of
//! the UDM error body's `error.error` member (`udm-rest-client` 1.3.2, `call_openapi`). For
//! property errors UDM sets that member to `{property: message}` (`module.py`,
//! `write_error`); for a taken name or DN to `{"body": {"dn": message}}`.

use super::error::KelvinError;
use crate::directory::{DirError, FieldError};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// The operation that failed: `CreateError` or `ModifyError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// A create.
    Create,
    /// A modify (also renames and moves, which Kelvin sends as modifies).
    Modify,
}

impl Operation {
    fn class(self) -> &'static str {
        match self {
            Operation::Create => "CreateError",
            Operation::Modify => "ModifyError",
        }
    }
}

fn taken(error: &FieldError) -> Option<Value> {
    let property = error.location.get(1).map(String::as_str)?;
    if !error.message.contains("already in use") {
        return None;
    }
    let (kind, what) = match property {
        "username" => (
            "uid",
            "The username is already in use as username or as groupname",
        ),
        "name" => (
            "group",
            "The groupname is already in use as groupname or as username",
        ),
        _ => return None,
    };
    let value = error.message.split('"').nth(1).unwrap_or("");
    Some(json!({"dn": format!("Object exists: ({kind}): {what}: {value}.")}))
}

fn entry(error: &FieldError) -> (Option<String>, Value) {
    if let Some(dn) = taken(error) {
        return (Some("body".into()), dn);
    }
    match error.location.as_slice() {
        [first, name, ..] if first == "properties" => (Some(name.clone()), json!(error.message)),
        [first, ..] => (Some("body".into()), json!({ first.clone(): error.message })),
        [] => (None, json!(error.message)),
    }
}

/// The Kelvin answer to a failed directory write that the real server leaves to UDM.
pub(crate) fn from_dir(operation: Operation, error: DirError) -> KelvinError {
    let class = operation.class();
    match error {
        DirError::Invalid(errors) => KelvinError::udm(
            class,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors.iter().map(entry).collect(),
        ),
        DirError::Exists(dn) => KelvinError::udm(
            class,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(
                Some("body".into()),
                json!({"dn": format!("Object exists: dn: {dn}: Object exists: {dn}.")}),
            )],
        ),
        DirError::NotFound(_) | DirError::UnknownModule(_) => KelvinError::internal(),
    }
}
