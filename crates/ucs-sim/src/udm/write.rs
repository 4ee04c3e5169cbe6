//! Writes of one object: create (`POST <module>/`, `PUT` on a missing DN), modify (`PUT`,
//! `PATCH`: only the given properties change, options merge, a non-empty policies map
//! replaces the references), delete. A `PUT` whose `position` differs from the parent is a
//! move (see `moves.rs`).

use super::body::{self, Write, WriteBody};
use super::conditional::{self, Verdict};
use super::ctx::{cache, set_header, Ctx};
use super::dir_error::to_udm;
use super::doc::object_href;
use super::error::UdmError;
use super::invalid::{Invalid, Key};
use super::moves;
use super::params::Values;
use super::read::{find, set_entity_tags};
use crate::catalog::ModuleSpec;
use crate::directory::{self, Change, NewEntry};
use crate::store::{Object, Tree};
use axum::http::{header, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde_json::json;
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// The 500 of a write whose body was not sent as `application/json` (the server's handlers
/// then index a missing document).
fn not_json(text: &str) -> UdmError {
    let name = if text.contains("attribute") {
        "AttributeError"
    } else {
        "TypeError"
    };
    UdmError::internal(
        text,
        format!("Traceback (most recent call last):\n  (request handler of the UDM REST API)\n{name}: {text}\n"),
    )
}

const NOT_SUBSCRIPTABLE: &str = "'NoneType' object is not subscriptable";

/// The checked body, `None` when it was not JSON; 422 for a malformed one. `objectFlag` is
/// accepted and ignored for modules without such a property (sanitizer.py
/// `PropertySanitizer`, module.py `Object.set_property`).
fn checked_body(
    ctx: &Ctx,
    module: &ModuleSpec,
    write: Write,
) -> Result<Option<WriteBody>, UdmError> {
    let mut body = unflagged_body(ctx, write)?;
    if let Some(b) = body.as_mut() {
        if module.typed && module.property("objectFlag").is_none() {
            b.properties.shift_remove("objectFlag");
        }
    }
    Ok(body)
}

fn unflagged_body(ctx: &Ctx, write: Write) -> Result<Option<WriteBody>, UdmError> {
    let Some(value) = &ctx.body else {
        return Ok(None);
    };
    let base = ctx.app.store.read(|tree| tree.base_dn().to_string());
    let mut invalid = Invalid::default();
    let checked = body::sanitize(value, write, &base, &mut invalid);
    if invalid.is_empty() {
        Ok(Some(checked))
    } else {
        Err(UdmError::invalid(&invalid))
    }
}

fn created(
    ctx: &Ctx,
    module: &ModuleSpec,
    object: &Object,
    status_caching: &str,
    etag: bool,
) -> Response {
    let document = json!({"dn": object.dn, "uuid": object.uuid});
    let mut response = ctx.reply(StatusCode::CREATED, document, status_caching);
    set_header(
        &mut response,
        header::LOCATION,
        &object_href(&ctx.api, &module.name, &object.dn),
    );
    if etag {
        set_entity_tags(&mut response, object);
    }
    response
}

fn new_entry(module: &ModuleSpec, body: WriteBody, position: Option<String>) -> NewEntry {
    NewEntry {
        module: module.name.clone(),
        position: position.or(body.position).or(body.superordinate.clone()),
        superordinate: body.superordinate,
        properties: body.properties,
        options: body.options.unwrap_or_default(),
        policies: body.policies.filter(|p| !p.is_empty()).unwrap_or_default(),
        ..Default::default()
    }
}

/// `POST <module>/`.
pub(crate) fn create(ctx: &Ctx, module: &ModuleSpec) -> Result<Response, UdmError> {
    let body =
        checked_body(ctx, module, Write::Post)?.ok_or_else(|| not_json(NOT_SUBSCRIPTABLE))?;
    let dn_text = ctx
        .app
        .store
        .write(|tree| directory::create(tree, &ctx.app.catalog, new_entry(module, body, None)))
        .map_err(|e| to_udm(e, module))?;
    ctx.app.store.read(|tree| {
        let object = tree.find(&dn_text).ok_or_else(UdmError::not_found)?;
        Ok(created(ctx, module, object, cache::CREATED, true))
    })
}

/// `PUT` on a DN without an object: create it there (its RDN must fit the properties).
fn create_at(
    ctx: &Ctx,
    module: &ModuleSpec,
    dn_text: &str,
    body: Option<WriteBody>,
) -> Result<Response, UdmError> {
    let body = body.ok_or_else(|| not_json(NOT_SUBSCRIPTABLE))?;
    let wanted = dn::key(dn_text).map_err(|_| UdmError::not_found())?;
    let parent = dn::canonical(dn_text)
        .map(|c| dn::parent(&c).to_string())
        .unwrap_or_default();
    let made = ctx.app.store.write(|tree| {
        let made = directory::create(
            tree,
            &ctx.app.catalog,
            new_entry(module, body, Some(parent)),
        )
        .map_err(|e| to_udm(e, module))?;
        if dn::key_of_canonical(&made) != wanted {
            let invalid = Invalid::one(
                "body",
                &[Key::from("dn")],
                "Trying to create an object with wrong RDN.",
            );
            return Err(UdmError::invalid(&invalid));
        }
        Ok(made)
    })?;
    ctx.app.store.read(|tree| {
        let object = tree.find(&made).ok_or_else(UdmError::not_found)?;
        Ok(created(ctx, module, object, cache::PRIVATE, false))
    })
}

/// Options after a write: the given ones set, the others as they were.
fn merged_options(
    current: &Object,
    given: Option<BTreeMap<String, bool>>,
) -> Option<BTreeMap<String, bool>> {
    let given = given?;
    let mut options = current.options.clone();
    options.extend(given);
    Some(options)
}

/// Applies a modification and answers 204 with the (possibly new) location.
fn modify(
    ctx: &Ctx,
    module: &ModuleSpec,
    key: &str,
    body: WriteBody,
) -> Result<Response, UdmError> {
    let new_dn = ctx.app.store.write(|tree| {
        let current = tree.get(key).cloned().ok_or_else(UdmError::not_found)?;
        let change = Change {
            properties: body.properties,
            replace: false,
            options: merged_options(&current, body.options),
            policies: body.policies.filter(|p| !p.is_empty()),
            ..Default::default()
        };
        directory::modify(tree, &ctx.app.catalog, key, change)
            .map(|m| m.dn)
            .map_err(|e| to_udm(e, module))
    })?;
    let mut response = ctx.empty(StatusCode::NO_CONTENT, Some(cache::NO_STORE));
    set_header(
        &mut response,
        header::LOCATION,
        &object_href(&ctx.api, &module.name, &new_dn),
    );
    ctx.app.store.read(|tree| {
        if let Some(object) = tree.find(&new_dn) {
            set_entity_tags(&mut response, object);
        }
    });
    Ok(response)
}

/// Looks the object up and checks the preconditions; `Ok(None)`: there is no object.
fn current(
    ctx: &Ctx,
    module: &ModuleSpec,
    dn_text: &str,
    missing_ok: bool,
) -> Result<Option<Object>, UdmError> {
    ctx.app.store.read(|tree: &Tree| {
        let object = match find(tree, module, dn_text) {
            Ok(o) => o,
            Err(e) if missing_ok && e.status == StatusCode::NOT_FOUND => return Ok(None),
            Err(e) => return Err(e),
        };
        match conditional::check(&ctx.method, ctx.headers, object, Utc::now())? {
            Verdict::Proceed => Ok(Some(object.clone())),
            Verdict::NotModified => {
                let mut marker = UdmError::not_found();
                marker.status = StatusCode::NOT_MODIFIED;
                Err(marker)
            }
        }
    })
}

/// The answer when a precondition said 304 (no body, with the entity tags).
fn not_modified(ctx: &Ctx, module: &ModuleSpec, dn_text: &str) -> Response {
    let mut response = ctx.empty(StatusCode::NOT_MODIFIED, None);
    ctx.app.store.read(|tree| {
        if let Ok(object) = find(tree, module, dn_text) {
            set_entity_tags(&mut response, object);
        }
    });
    response
}

/// `PUT <module>/<dn>`: create, move or modify.
pub(crate) fn put(ctx: &Ctx, module: &ModuleSpec, dn_text: &str) -> Result<Response, UdmError> {
    let body = checked_body(ctx, module, Write::Put)?;
    let object = match current(ctx, module, dn_text, true) {
        Err(e) if e.status == StatusCode::NOT_MODIFIED => {
            return Ok(not_modified(ctx, module, dn_text))
        }
        other => other?,
    };
    let Some(object) = object else {
        return create_at(ctx, module, dn_text, body);
    };
    let body = body.ok_or_else(|| not_json("'NoneType' object has no attribute 'get'"))?;
    let key = dn::key_of_canonical(&object.dn);
    if let Some(position) = body.position.as_deref() {
        let parent = dn::key_of_canonical(dn::parent(&object.dn));
        if dn::key(position).map(|p| p != parent).unwrap_or(true) {
            return moves::start(ctx, module, &object, position);
        }
    }
    modify(ctx, module, &key, body)
}

/// `PATCH <module>/<dn>` (`position` is ignored).
pub(crate) fn patch(ctx: &Ctx, module: &ModuleSpec, dn_text: &str) -> Result<Response, UdmError> {
    let body = checked_body(ctx, module, Write::Patch)?;
    let object = match current(ctx, module, dn_text, false) {
        Err(e) if e.status == StatusCode::NOT_MODIFIED => {
            return Ok(not_modified(ctx, module, dn_text))
        }
        other => other?,
    };
    let object = object.ok_or_else(UdmError::not_found)?;
    let body = body.ok_or_else(|| not_json(NOT_SUBSCRIPTABLE))?;
    modify(ctx, module, &dn::key_of_canonical(&object.dn), body)
}

/// `DELETE <module>/<dn>?cleanup=&recursive=` (both default to true).
pub(crate) fn delete(ctx: &Ctx, module: &ModuleSpec, dn_text: &str) -> Result<Response, UdmError> {
    let mut values = Values::new(&ctx.pairs);
    values.boolean("cleanup", true);
    let recursive = values.boolean("recursive", true);
    values.finish()?;
    let object = match current(ctx, module, dn_text, false) {
        Err(e) if e.status == StatusCode::NOT_MODIFIED => {
            return Ok(ctx.empty(StatusCode::NOT_MODIFIED, None))
        }
        other => other?,
    };
    let object = object.ok_or_else(UdmError::not_found)?;
    let key = dn::key_of_canonical(&object.dn);
    ctx.app
        .store
        .write(|tree| directory::delete(tree, &key, recursive))
        .map_err(|e| match e {
            directory::DirError::Invalid(errors) => UdmError::udm(
                errors
                    .first()
                    .map(|e| format!("{}.", e.message))
                    .unwrap_or_default(),
            ),
            other => to_udm(other, module),
        })?;
    Ok(ctx.empty(StatusCode::NO_CONTENT, Some(cache::PRIVATE)))
}
