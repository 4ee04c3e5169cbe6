//! `GET /roles/` and `GET /roles/{name}` (`kelvin/routers/v1/role.py`, `v2/role.py`): the
//! five user roles; `display_name` is the name.

use super::caller::Reader;
use super::error::KelvinError;
use super::py::repr;
use super::urls::Urls;
use axum::extract::Path;
use axum::Json;
use serde_json::{json, Value};
use ucs_ldap::Role;

/// The order of v1's list (`role.py`, `search`).
const V1_ORDER: [Role; 5] = [
    Role::Staff,
    Role::Student,
    Role::Teacher,
    Role::LegalGuardian,
    Role::SchoolAdmin,
];

fn role_json(role: Role, urls: &Urls) -> Value {
    json!({"name": role.as_str(), "display_name": role.as_str(), "url": urls.role(role.as_str())})
}

/// The roles in the order the version lists them (v2 sorts by name).
fn ordered(urls: &Urls) -> Vec<Role> {
    if urls.version() == "v2" {
        let mut roles = V1_ORDER.to_vec();
        roles.sort_by_key(|r| r.as_str());
        roles
    } else {
        V1_ORDER.to_vec()
    }
}

/// All roles.
pub(crate) async fn list(_: Reader, urls: Urls) -> Json<Value> {
    Json(Value::from(
        ordered(&urls)
            .into_iter()
            .map(|r| role_json(r, &urls))
            .collect::<Vec<_>>(),
    ))
}

/// One role (the name is case-sensitive).
pub(crate) async fn get_one(
    _: Reader,
    urls: Urls,
    Path(name): Path<String>,
) -> Result<Json<Value>, KelvinError> {
    V1_ORDER
        .into_iter()
        .find(|r| r.as_str() == name)
        .map(|r| Json(role_json(r, &urls)))
        .ok_or_else(|| {
            KelvinError::not_found(format!(
                "No object with name={} found or not authorized.",
                repr(&name)
            ))
        })
}
