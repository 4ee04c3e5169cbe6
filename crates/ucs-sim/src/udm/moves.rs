//! Moves (`PUT` with a new `position`): everything else in the body is ignored. Objects of
//! modules without children move at once: 201 with the new `Location`, failures are 400 with
//! the directory's text. Containers move in the background: 202 with a progress resource
//! (`GET /udm/progress/<id>`), failures show there (`errors: true`).

use super::ctx::{cache, set_header, Ctx};
use super::doc::{has_children, object_href};
use super::error::UdmError;
use super::read::set_entity_tags;
use crate::catalog::ModuleSpec;
use crate::directory::{self, Change, DirError};
use crate::store::Object;
use crate::udm_state::progress::Ending;
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::json;
use ucs_ldap::canonical as dn;

/// The directory's text for a failed move.
fn move_error_text(error: &DirError) -> String {
    match error {
        DirError::Exists(dn) => format!("Object exists: {dn}."),
        DirError::NotFound(dn) => format!("No such object: {dn}."),
        DirError::Invalid(errors) => errors
            .first()
            .map(|e| format!("{}.", e.message.trim_end_matches('.')))
            .unwrap_or_default(),
        DirError::UnknownModule(m) => format!("Unknown module {m}."),
    }
}

/// Moves the object below `position`; the new DN.
fn relocate(ctx: &Ctx, object: &Object, position: &str) -> Result<String, DirError> {
    let key = dn::key_of_canonical(&object.dn);
    ctx.app.store.write(|tree| {
        let change = Change {
            position: Some(position.to_string()),
            ..Default::default()
        };
        directory::modify(tree, &ctx.app.catalog, &key, change).map(|m| m.dn)
    })
}

/// Starts the move of `object` and answers.
pub(crate) fn start(
    ctx: &Ctx,
    module: &ModuleSpec,
    object: &Object,
    position: &str,
) -> Result<Response, UdmError> {
    if has_children(&module.name) {
        return Ok(in_background(ctx, module, object, position));
    }
    let new_dn = relocate(ctx, object, position).map_err(|e| UdmError::udm(move_error_text(&e)))?;
    let uri = object_href(&ctx.api, &module.name, &new_dn);
    let document = json!({
        "id": "",
        "errors": false,
        "finished": true,
        "uri": uri,
        "_links": {"self": [{"href": uri}]},
    });
    let mut response = ctx.reply(StatusCode::CREATED, document, cache::NO_STORE);
    set_header(&mut response, header::LOCATION, &uri);
    set_entity_tags(&mut response, object);
    Ok(response)
}

fn in_background(ctx: &Ctx, module: &ModuleSpec, object: &Object, position: &str) -> Response {
    let ending = match relocate(ctx, object, position) {
        Ok(new_dn) => Ending::Moved {
            module: module.name.clone(),
            dn: new_dn,
        },
        Err(e) => Ending::Failed(format!(
            "Traceback (most recent call last):\n  (move of {})\nunivention.admin.uexceptions: {}\n",
            object.dn,
            move_error_text(&e)
        )),
    };
    let id = ctx.app.moves.start(&ctx.user, ending);
    let document = json!({"id": id, "finished": false, "errors": false});
    let mut response = ctx.reply(StatusCode::ACCEPTED, document, cache::PRIVATE);
    set_header(
        &mut response,
        header::LOCATION,
        &ctx.url(&format!("progress/{id}")),
    );
    set_entity_tags(&mut response, object);
    response
}

/// `GET /udm/progress/<id>`.
pub(crate) fn progress(ctx: &Ctx, id: &str) -> Result<Response, UdmError> {
    let state = ctx
        .app
        .moves
        .poll(&ctx.user, id)
        .ok_or_else(UdmError::not_found)?;
    let (status, document, location) = match (&state.ending, state.polls) {
        (Ending::Moved { .. }, 0) => (
            StatusCode::MOVED_PERMANENTLY,
            json!({"id": id, "finished": false, "errors": false}),
            ctx.self_url(),
        ),
        (Ending::Moved { module, dn }, _) => {
            let uri = object_href(&ctx.api, module, dn);
            let document = json!({"id": id, "finished": true, "errors": false, "uri": uri, "_links": {"self": [{"href": uri}]}});
            (StatusCode::SEE_OTHER, document, uri)
        }
        (Ending::Failed(traceback), _) => (
            StatusCode::MOVED_PERMANENTLY,
            json!({"id": id, "finished": true, "errors": true, "traceback": traceback}),
            ctx.self_url(),
        ),
    };
    let mut response = ctx.reply(status, document, cache::NO_STORE);
    set_header(&mut response, header::LOCATION, &location);
    if status == StatusCode::MOVED_PERMANENTLY {
        set_header(&mut response, header::RETRY_AFTER, "1");
    }
    Ok(response)
}
