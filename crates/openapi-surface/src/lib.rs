//! Normalized API surface of OpenAPI documents and drift between two of them.
//!
//! * [`surface`] turns a document into stable, sorted, human-readable text:
//!   one block per operation (method, path, the Rust method progenitor
//!   generates, parameters, request body, responses), then the reusable
//!   components and one block per schema (fields with type, required,
//!   nullable, enum values, constraints). Prose (titles, descriptions,
//!   examples) never appears and everything is sorted, so the text changes
//!   only when the API does. It is meant for snapshot tests.
//! * [`diff`] lists every change between two documents as a [`Change`],
//!   classified by its effect on client code ([`ChangeClass`]); [`Drift`]
//!   renders them as a report ([`Drift::to_text`], [`Drift::to_json`]).
//!
//! Documents are taken as [`serde_json::Value`], not parsed into typed
//! OpenAPI structs, so documents a strict parser rejects can still be
//! compared. Local `$ref`s are resolved (with cycle protection); schema
//! `$ref`s are shown by name rather than expanded.
//!
//! ```
//! use openapi_surface::{diff, surface, ChangeClass, ChangeKind};
//! use serde_json::json;
//!
//! let old = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
//!     "/users/": {"get": {"operationId": "listUsers", "responses": {"200": {"description": "OK"}}}}
//! }});
//! let new = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "2"}, "paths": {
//!     "/users/": {"get": {"operationId": "users_list", "responses": {"200": {"description": "OK"}}}}
//! }});
//! assert!(surface(&old)?.contains("GET /users/ -> list_users (operationId listUsers)"));
//!
//! let drift = diff(&old, &new)?;
//! let rename = drift.of_kind(ChangeKind::OperationRenamed).next().unwrap();
//! assert_eq!(rename.class, ChangeClass::Breaking);
//! assert_eq!((rename.old.as_deref(), rename.new.as_deref()), (Some("list_users"), Some("users_list")));
//! assert!(drift.has(ChangeClass::Cosmetic)); // info.version
//! # Ok::<(), openapi_surface::SurfaceError>(())
//! ```

#![deny(missing_docs)]

mod compare;
mod cosmetic;
mod drift;
mod error;
mod method_name;
mod model;
mod refs;
mod render;
mod schema;
mod usage;

pub use drift::{Change, ChangeClass, ChangeKind, Drift};
pub use error::SurfaceError;
pub use method_name::method_name;

use serde_json::Value;

/// The normalized surface of an OpenAPI document as text.
///
/// # Errors
///
/// [`SurfaceError`] when the document is not an object, a structural part
/// (paths, operations, parameters, responses, components) has the wrong JSON
/// type, a parameter lacks `name`/`in`, or a parameter, request body or
/// response `$ref` cannot be resolved. Dangling schema `$ref`s are shown, not
/// rejected.
pub fn surface(doc: &Value) -> Result<String, SurfaceError> {
    Ok(render::render(&model::build(doc)?))
}

/// Every change from `old` to `new`, classified.
///
/// How a change to a component schema is classified depends on where the
/// schema is used (in either document): a field becoming required breaks
/// requests, a field becoming optional breaks responses; a schema no
/// operation uses counts as both.
///
/// # Errors
///
/// The same as [`surface`], for either document.
pub fn diff(old: &Value, new: &Value) -> Result<Drift, SurfaceError> {
    let old_surface = model::build(old)?;
    let new_surface = model::build(new)?;
    let usage = usage::schema_usage(&[old, new]);
    let mut changes = compare::run(&old_surface, &new_surface, usage);
    cosmetic::cosmetic_changes(old, new, &mut changes);
    if changes.is_empty() && old != new {
        changes.push(Change {
            class: ChangeClass::Cosmetic,
            kind: ChangeKind::OtherChanged,
            location: "document".to_string(),
            path: String::new(),
            old: None,
            new: None,
            detail: "the documents differ only outside the normalized surface \
                     (e.g. response headers, callbacks, links, parameter styles)"
                .to_string(),
        });
    }
    Ok(Drift::new(changes))
}
