//! Directory failures as the UDM REST API reports them. Type, syntax and unknown-property
//! problems are collected by the request's property sanitizer, which encodes every value
//! through its type hint and syntax (`sanitizer.py` `PropertySanitizer._sanitize`,
//! `types.py` `TypeHint.encode_json`), at `["body", "properties", <prop>]`; the checks of the
//! create or modify itself raise one error each: missing required properties (all of them),
//! a taken name (`["body", "dn"]`), a taken mail address, an existing DN.

use super::error::UdmError;
use super::invalid::{Invalid, Key};
use crate::catalog::ModuleSpec;
use crate::directory::{Cause, DirError, FieldError};

/// The module's name as the server's messages show it (`short_description`).
pub(crate) fn module_title(module: &ModuleSpec) -> String {
    match module.name.as_str() {
        "users/user" => "User".into(),
        "groups/group" => "Group".into(),
        "container/ou" => "Container: Organisational unit".into(),
        "container/cn" => "Container: Container".into(),
        "container/dc" => "Container: Domain".into(),
        "mail/domain" => "Mail domain".into(),
        _ => module.title(),
    }
}

fn property_of(error: &FieldError) -> &str {
    match error.location.as_slice() {
        [first, name, ..] if first == "properties" => name,
        [only] => only,
        _ => "",
    }
}

fn at_properties(name: &str) -> [Key; 2] {
    [Key::from("properties"), Key::from(name)]
}

fn collected(errors: &[FieldError], module: &ModuleSpec) -> Option<UdmError> {
    let mut invalid = Invalid::default();
    for e in errors {
        let name = property_of(e);
        match e.cause {
            Cause::UnknownProperty => invalid.add(
                "body",
                &at_properties(name),
                format!(
                    "The {} module has no property {name}.",
                    module_title(module)
                ),
            ),
            Cause::Type | Cause::Syntax => invalid.add("body", &at_properties(name), &e.message),
            _ => {}
        }
    }
    (!invalid.is_empty()).then(|| UdmError::invalid(&invalid))
}

fn required(errors: &[FieldError]) -> Option<UdmError> {
    let mut invalid = Invalid::default();
    for e in errors.iter().filter(|e| e.cause == Cause::Required) {
        let name = property_of(e);
        invalid.add(
            "body",
            &at_properties(name),
            format!("The property \"{name}\" is required."),
        );
    }
    (!invalid.is_empty()).then(|| UdmError::invalid(&invalid))
}

fn taken_text(kind: &str, value: &str) -> String {
    let what = match kind {
        "uid" => "The username is already in use as username or as groupname",
        _ => "The groupname is already in use as groupname or as username",
    };
    format!("Object exists: ({kind}): {what}: {value}.")
}

/// The one error the create or modify itself raises.
fn single(error: &FieldError) -> UdmError {
    let name = property_of(error);
    let invalid =
        |path: &[Key], message: String| UdmError::invalid(&Invalid::one("body", path, message));
    match &error.cause {
        Cause::NameTaken { kind, value } => invalid(&["dn".into()], taken_text(kind, value)),
        Cause::MailTaken(address) => invalid(
            &at_properties("mailPrimaryAddress"),
            format!("The mail address is already in use: {address}."),
        ),
        _ => match error.location.first().map(String::as_str) {
            Some("properties") => invalid(&at_properties(name), error.message.clone()),
            Some("options") => invalid(&["options".into()], error.message.clone()),
            Some("policies") => invalid(&["policies".into()], error.message.clone()),
            Some("dn") => invalid(&["dn".into()], error.message.clone()),
            _ => UdmError::udm(format!("{}.", error.message.trim_end_matches('.'))),
        },
    }
}

/// The answer to a failed directory write.
pub(crate) fn to_udm(error: DirError, module: &ModuleSpec) -> UdmError {
    match error {
        DirError::NotFound(_) | DirError::UnknownModule(_) => UdmError::not_found(),
        DirError::Exists(dn) => UdmError::invalid(&Invalid::one(
            "body",
            &["dn".into()],
            format!("Object exists: dn: {dn}: Object exists: {dn}."),
        )),
        DirError::Invalid(errors) => collected(&errors, module)
            .or_else(|| required(&errors))
            .or_else(|| errors.first().map(single))
            .unwrap_or_else(|| UdmError::udm("Invalid request.")),
    }
}
