//! `GET /roles/` and `GET /roles/{name}`: the five UCS@school roles.

use super::error::KelvinError;
use super::urls::Urls;
use super::Caller;
use axum::extract::Path;
use axum::Json;
use serde_json::{json, Value};
use ucs_ldap::Role;

fn role_json(role: Role, urls: &Urls) -> Value {
    json!({"name": role.as_str(), "display_name": role.display_name(), "url": urls.role(role.as_str())})
}

/// All roles.
pub(crate) async fn list(_caller: Caller, urls: Urls) -> Json<Value> {
    Json(Value::from(
        Role::BY_NAME
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
    Role::BY_NAME
        .into_iter()
        .find(|r| r.as_str() == name)
        .map(|r| Json(role_json(r, &urls)))
        .ok_or_else(|| KelvinError::not_found(format!("No role with name {name:?} found.")))
}
