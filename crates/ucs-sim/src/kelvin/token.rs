//! `POST /ucsschool/kelvin/token` (`kelvin/main.py`, `login_for_access_token`): FastAPI's
//! `OAuth2PasswordRequestForm`. Every user with a valid password gets a token; it records
//! the Kelvin group memberships, the user's schools and roles.

use super::error::{KelvinError, ValidationError};
use crate::app::App;
use crate::auth;
use crate::jwt::Subject;
use crate::query;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use bytes::Bytes;
use serde_json::{json, Value};
use std::sync::Arc;

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

/// The form's fields; an empty value counts as missing (FastAPI's form handling).
fn form_errors(pairs: &[(String, String)]) -> Result<(&str, &str), KelvinError> {
    let field = |name| query::last(pairs, name).filter(|v| !v.is_empty());
    let mut errors = Vec::new();
    if let Some(grant) = field("grant_type") {
        if grant != "password" {
            errors.push(
                ValidationError::at(
                    &["body", "grant_type"],
                    "string does not match regex \"password\"",
                    "value_error.str.regex",
                )
                .with_ctx(json!({"pattern": "password"})),
            );
        }
    }
    let (username, password) = (field("username"), field("password"));
    for (name, value) in [("username", username), ("password", password)] {
        if value.is_none() {
            errors.push(ValidationError::missing(super::error::loc(&["body", name])));
        }
    }
    match (username, password) {
        (Some(u), Some(p)) if errors.is_empty() => Ok((u, p)),
        _ => Err(KelvinError::validation(errors)),
    }
}

/// Issues a token to any user whose password is right.
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    let text = String::from_utf8_lossy(&body);
    let pairs = if is_form(&headers) {
        query::parse(Some(&text))
    } else {
        Vec::new()
    };
    let (username, password) = form_errors(&pairs)?;
    let subject = app.store.read(|tree| {
        auth::kelvin_login(tree, username, password).map(|user| {
            let flags = auth::kelvin_flags(tree, user);
            Subject {
                username: user.prop_str("username").unwrap_or(username).to_string(),
                kelvin_admin: flags.admin,
                kelvin_reader: flags.reader,
                schools: user.prop_list("school"),
                roles: user.prop_list("ucsschoolRole"),
            }
        })
    });
    match subject {
        Some(subject) => Ok(Json(json!({
            "access_token": app.tokens.issue(subject),
            "token_type": "bearer",
        }))),
        None => Err(KelvinError::unauthorized("Incorrect username or password")),
    }
}
