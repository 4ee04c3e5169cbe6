//! `GET /roles/` and `GET /roles/{name}`: the five UCS@school roles.

use super::error::KelvinError;
use super::urls::Urls;
use super::Caller;
use crate::school_role::SchoolRole;
use axum::extract::Path;
use axum::Json;
use serde_json::{json, Value};

fn role_json(role: SchoolRole, urls: &Urls) -> Value {
    json!({"name": role.name(), "display_name": role.display_name(), "url": urls.role(role.name())})
}

/// All roles.
pub(crate) async fn list(_caller: Caller, urls: Urls) -> Json<Value> {
    Json(Value::from(
        SchoolRole::ALL
            .iter()
            .map(|r| role_json(*r, &urls))
            .collect::<Vec<_>>(),
    ))
}

/// One role.
pub(crate) async fn get_one(
    _caller: Caller,
    urls: Urls,
    Path(name): Path<String>,
) -> Result<Json<Value>, KelvinError> {
    SchoolRole::ALL
        .into_iter()
        .find(|r| r.name() == name)
        .map(|r| Json(role_json(r, &urls)))
        .ok_or_else(|| KelvinError::not_found(format!("No role with name {name:?} found.")))
}
