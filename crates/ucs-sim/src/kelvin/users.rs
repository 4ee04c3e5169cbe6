//! `/users/`: search, get, create, replace (PUT), change (PATCH), delete.

use super::body::Mode;
use super::error::{KelvinError, ValidationError};
use super::urls::Urls;
use super::user_input::parse_user;
use super::user_view::{self, GroupKinds, UserState};
use super::user_write::{dir_error, write_user};
use super::Caller;
use crate::app::App;
use crate::directory::{self, values, view};
use crate::pattern::Pattern;
use crate::query;
use crate::store::{Object, Tree};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;
use ucs_ldap::canonical as dn;
use ucs_ldap::Role;

fn not_found(name: &str) -> KelvinError {
    KelvinError::not_found(format!("No User with name={name:?} found."))
}

/// One search criterion.
enum Criterion {
    /// A Kelvin text field (wildcards, case-insensitive).
    Field(&'static str, Pattern),
    /// `disabled=true|false`.
    Disabled(bool),
    /// Any of these roles.
    Roles(Vec<Role>),
    /// Any of these `ucsschool_roles` patterns.
    UcsschoolRoles(Vec<Pattern>),
    /// A UDM property.
    Property(String, Pattern),
}

const TEXT_FIELDS: [(&str, &str); 9] = [
    ("school", ""),
    ("name", "username"),
    ("firstname", "firstname"),
    ("lastname", "lastname"),
    ("email", "mailPrimaryAddress"),
    ("record_uid", "ucsschoolRecordUID"),
    ("source_uid", "ucsschoolSourceUID"),
    ("birthday", "birthday"),
    ("expiration_date", "userexpiry"),
];

fn parse_criteria(pairs: &[(String, String)]) -> Result<Vec<Criterion>, KelvinError> {
    let mut criteria = Vec::new();
    let mut errors = Vec::new();
    let mut roles = Vec::new();
    let mut ucsschool_roles = Vec::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if let Some((field, _)) = TEXT_FIELDS.iter().find(|(f, _)| f == key) {
            criteria.push(Criterion::Field(field, Pattern::wildcard(value)));
            continue;
        }
        match key.as_str() {
            "disabled" => match query::boolean(value) {
                Some(wanted) => criteria.push(Criterion::Disabled(wanted)),
                None => errors.push(ValidationError::new(
                    &["query", "disabled"],
                    "value could not be parsed to a boolean",
                    "type_error.bool",
                )),
            },
            "roles" => match Role::BY_NAME.into_iter().find(|r| r.as_str() == value) {
                Some(role) => roles.push(role),
                None => errors.push(ValidationError {
                    loc: vec!["query".into(), "roles".into(), i.into()],
                    msg: "value is not a valid enumeration member; permitted: 'school_admin', 'staff', 'student', 'legal_guardian', 'teacher'".into(),
                    kind: "type_error.enum".into(),
                }),
            },
            "ucsschool_roles" => ucsschool_roles.push(Pattern::wildcard(value)),
            _ => criteria.push(Criterion::Property(key.clone(), Pattern::wildcard(value))),
        }
    }
    if !errors.is_empty() {
        return Err(KelvinError::validation(errors));
    }
    if !roles.is_empty() {
        criteria.push(Criterion::Roles(roles));
    }
    if !ucsschool_roles.is_empty() {
        criteria.push(Criterion::UcsschoolRoles(ucsschool_roles));
    }
    Ok(criteria)
}

fn matches(tree: &Tree, object: &Object, state: &UserState, criterion: &Criterion) -> bool {
    match criterion {
        Criterion::Field("school", pattern) => state.schools.iter().any(|s| pattern.matches(s)),
        Criterion::Field(field, pattern) => {
            let property = TEXT_FIELDS
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, p)| *p)
                .unwrap_or(field);
            object
                .prop_str(property)
                .is_some_and(|v| pattern.matches(v))
        }
        Criterion::Disabled(wanted) => {
            object
                .properties
                .get("disabled")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                == *wanted
        }
        Criterion::Roles(roles) => roles.iter().any(|r| state.roles.contains(r)),
        Criterion::UcsschoolRoles(patterns) => object
            .prop_list("ucsschoolRole")
            .iter()
            .any(|r| patterns.iter().any(|p| p.matches(r))),
        Criterion::Property(name, pattern) => view::property(tree, object, name)
            .map(|v| {
                values::search_strings(&v)
                    .iter()
                    .any(|s| pattern.matches(s))
            })
            .unwrap_or(false),
    }
}

/// `GET /users/`.
pub(crate) async fn search(
    State(app): State<Arc<App>>,
    _caller: Caller,
    urls: Urls,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, KelvinError> {
    let criteria = parse_criteria(&query::parse(raw.as_deref()))?;
    let found = app.store.read(|tree| {
        let mut kinds = GroupKinds::default();
        let mut users: Vec<(&Object, UserState)> = tree
            .of_module("users/user")
            .filter(|o| user_view::is_school_user(o))
            .filter_map(|o| {
                let state = user_view::state_with(tree, o, &mut kinds);
                criteria
                    .iter()
                    .all(|c| matches(tree, o, &state, c))
                    .then_some((o, state))
            })
            .collect();
        users.sort_by_cached_key(|(o, _)| o.prop_str("username").unwrap_or("").to_lowercase());
        users
            .iter()
            .map(|(o, state)| {
                user_view::to_json_with_state(tree, o, state, &urls, &app.mapped_udm_properties)
            })
            .collect::<Vec<_>>()
    });
    Ok(Json(Value::from(found)))
}

fn read_user(app: &App, tree: &Tree, dn_text: &str, urls: &Urls) -> Option<Value> {
    tree.get(&dn::key_of_canonical(dn_text))
        .map(|o| user_view::to_json(tree, o, urls, &app.mapped_udm_properties))
}

/// `GET /users/{name}`.
pub(crate) async fn get_one(
    State(app): State<Arc<App>>,
    _caller: Caller,
    urls: Urls,
    Path(name): Path<String>,
) -> Result<Json<Value>, KelvinError> {
    app.store
        .read(|tree| {
            user_view::find(tree, &name)
                .map(|o| user_view::to_json(tree, o, &urls, &app.mapped_udm_properties))
        })
        .map(Json)
        .ok_or_else(|| not_found(&name))
}

fn write(
    app: &App,
    urls: &Urls,
    mode: Mode,
    existing: Option<&str>,
    body: &[u8],
) -> Result<Value, KelvinError> {
    let input = parse_user(body, mode, &app.mapped_udm_properties)?;
    app.store.write(|tree| {
        let user_dn = write_user(tree, &app.catalog, mode, existing, input)?;
        read_user(app, tree, &user_dn, urls)
            .ok_or_else(|| KelvinError::rule("The user vanished while it was written."))
    })
}

/// `POST /users/`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    body: Bytes,
) -> Result<Response, KelvinError> {
    caller.require_write()?;
    let user = write(&app, &urls, Mode::Create, None, &body)?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

/// `PUT /users/{name}`.
pub(crate) async fn replace(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    caller.require_write()?;
    write(&app, &urls, Mode::Replace, Some(&name), &body).map(Json)
}

/// `PATCH /users/{name}`.
pub(crate) async fn patch(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    caller.require_write()?;
    write(&app, &urls, Mode::Patch, Some(&name), &body).map(Json)
}

/// `DELETE /users/{name}`.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, KelvinError> {
    caller.require_write()?;
    app.store.write(|tree| {
        let key = user_view::find(tree, &name)
            .map(|o| dn::key_of_canonical(&o.dn))
            .ok_or_else(|| not_found(&name))?;
        directory::delete(tree, &key, false).map_err(dir_error)?;
        Ok(StatusCode::NO_CONTENT)
    })
}
