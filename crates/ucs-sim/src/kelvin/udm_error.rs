//! Refusals of writes the real server delegates to the UDM REST API, passed through as its
//! `udm_exception_handler` does (`kelvin/service/exception_handler.py`): one entry per key of
//! the UDM error body's `error.error` member (`udm-rest-client` 1.3.2, `call_openapi`).
//!
//! UDM fills that member as `module.py` (`write_error`) does: for problems below
//! `body.properties` (types, unknown or required properties, the password policy, a taken
//! mail address) with `{property: message}`; otherwise with the whole tree, e.g.
//! `{"body": {"dn": "Object exists: ..."}}` for a taken name or `{"body": {<property>: ...}}`
//! for a syntax error. Which problem UDM reports first follows the emulation of the UDM API
//! (`udm/dir_error.rs`): the first syntax error, else type and property problems, else
//! missing properties, else the first other one.
//!
//! A directory failure of a write the real server does not expect to fail ([`dir_error`]) is
//! logged and answered as the server's internal error.

use super::error::KelvinError;
use crate::directory::{Cause, DirError, FieldError};
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

/// One `error.error` entry: its key (the location Kelvin reports) and value.
type Entry = (Option<String>, Value);

fn property(error: &FieldError) -> String {
    match error.location.as_slice() {
        [first, name, ..] if first == "properties" => name.clone(),
        [only] => only.clone(),
        _ => String::new(),
    }
}

fn taken_text(kind: &str, value: &str) -> String {
    let what = match kind {
        "uid" => "The username is already in use as username or as groupname",
        _ => "The groupname is already in use as groupname or as username",
    };
    format!("Object exists: ({kind}): {what}: {value}.")
}

/// The entry of a problem the create or modify itself raises.
fn single(error: &FieldError) -> Entry {
    match &error.cause {
        Cause::NameTaken { kind, value } => {
            (Some("body".into()), json!({"dn": taken_text(kind, value)}))
        }
        Cause::MailTaken(address) => (
            Some("mailPrimaryAddress".into()),
            json!(format!("The mail address is already in use: {address}.")),
        ),
        Cause::Syntax => (
            Some("body".into()),
            json!({ property(error): error.message }),
        ),
        _ => match error.location.first().map(String::as_str) {
            Some("properties") => (Some(property(error)), json!(error.message)),
            Some(other) => (Some("body".into()), json!({ other: error.message })),
            None => (None, json!(error.message)),
        },
    }
}

/// The entries UDM's `error.error` has for these problems.
fn entries(errors: &[FieldError]) -> Vec<Entry> {
    if let Some(syntax) = errors.iter().find(|e| e.cause == Cause::Syntax) {
        return vec![single(syntax)];
    }
    let collected: Vec<Entry> = errors
        .iter()
        .filter(|e| matches!(e.cause, Cause::Type | Cause::UnknownProperty))
        .map(|e| (Some(property(e)), json!(e.message)))
        .collect();
    if !collected.is_empty() {
        return collected;
    }
    let required: Vec<Entry> = errors
        .iter()
        .filter(|e| e.cause == Cause::Required)
        .map(|e| {
            let name = property(e);
            let text = format!("The property \"{name}\" is required.");
            (Some(name), json!(text))
        })
        .collect();
    if !required.is_empty() {
        return required;
    }
    errors.first().map(single).into_iter().collect()
}

/// The Kelvin answer to a failed directory write that the real server leaves to UDM.
pub(crate) fn from_dir(operation: Operation, error: DirError) -> KelvinError {
    let class = operation.class();
    match error {
        DirError::Invalid(errors) => {
            KelvinError::udm(class, StatusCode::UNPROCESSABLE_ENTITY, entries(&errors))
        }
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

/// A directory failure of a write the real server does not expect to fail.
pub(crate) fn dir_error(error: DirError) -> KelvinError {
    tracing::warn!(%error, "Kelvin write failed in the directory");
    KelvinError::internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn udm_error_members_become_kelvin_entries() {
        let taken = FieldError::property("username", "taken").because(Cause::NameTaken {
            kind: "uid",
            value: "x".into(),
        });
        let e = from_dir(Operation::Modify, DirError::Invalid(vec![taken]));
        assert_eq!(
            e.body()["detail"],
            json!([{"loc": ["body"], "msg": {"dn": "Object exists: (uid): The username is already in use as username or as groupname: x."}, "type": "UdmError:ModifyError"}])
        );
        let policy = FieldError::property("password", "Password policy error: too short")
            .because(Cause::Password);
        let e = from_dir(Operation::Modify, DirError::Invalid(vec![policy]));
        assert_eq!(e.body()["detail"][0]["loc"], json!(["password"]));
        let syntax = FieldError::property("username", "bad").because(Cause::Syntax);
        let required = FieldError::property("lastname", "missing").because(Cause::Required);
        let e = from_dir(Operation::Create, DirError::Invalid(vec![required, syntax]));
        assert_eq!(
            e.body()["detail"],
            json!([{"loc": ["body"], "msg": {"username": "bad"}, "type": "UdmError:CreateError"}])
        );
    }
}
