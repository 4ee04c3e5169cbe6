//! `POST /ucsschool/kelvin/token`: the OAuth2 password grant (form-encoded).

use super::error::{KelvinError, ValidationError};
use crate::app::App;
use crate::auth;
use crate::query;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use bytes::Bytes;
use serde_json::{json, Value};
use std::sync::Arc;

/// Issues a token for a Kelvin admin or reader.
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let text = String::from_utf8_lossy(&body);
    let pairs = if is_form {
        query::parse(Some(&text))
    } else {
        Vec::new()
    };
    let username = query::last(&pairs, "username");
    let password = query::last(&pairs, "password");
    let mut errors = Vec::new();
    if username.is_none() {
        errors.push(ValidationError::missing(&["body", "username"]));
    }
    if password.is_none() {
        errors.push(ValidationError::missing(&["body", "password"]));
    }
    if let Some(grant) = query::last(&pairs, "grant_type") {
        if grant != "password" {
            errors.push(ValidationError::new(
                &["body", "grant_type"],
                "string does not match regex \"password\"",
                "value_error.str.regex",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(KelvinError::validation(errors));
    }
    let (username, password) = (username.unwrap_or(""), password.unwrap_or(""));
    let access = app
        .store
        .read(|tree| auth::kelvin_login(tree, username, password));
    match access {
        Some(_) => Ok(Json(json!({
            "access_token": app.tokens.issue(username),
            "token_type": "bearer",
        }))),
        None => Err(KelvinError::unauthorized("Incorrect username or password")),
    }
}
