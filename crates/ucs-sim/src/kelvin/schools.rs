//! `/schools/`: search, get (and HEAD), create. Schools cannot be changed or deleted through
//! Kelvin (the real API has no such operations either).

use super::body::{parse_object, Fields, Opt};
use super::error::{KelvinError, ValidationError};
use super::urls::Urls;
use super::user_write::dir_error;
use super::Caller;
use crate::app::App;
use crate::pattern::Pattern;
use crate::query;
use crate::school_layout;
use crate::store::{Object, Tree};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The `SchoolModel` document of a school.
fn to_json(object: &Object, urls: &Urls) -> Value {
    let name = school_layout::school_name(object);
    let extra = |key: &str, default: Value| object.extra.get(key).cloned().unwrap_or(default);
    json!({
        "dn": object.dn,
        "url": urls.school(&name),
        "ucsschool_roles": object.prop_list("ucsschoolRole"),
        "udm_properties": {},
        "name": name,
        "display_name": object.prop_str("displayName").unwrap_or(&name),
        "educational_servers": extra("educational_servers", json!([])),
        "administrative_servers": extra("administrative_servers", json!([])),
        "class_share_file_server": extra("class_share_file_server", Value::Null),
        "home_share_file_server": extra("home_share_file_server", Value::Null),
    })
}

fn schools(tree: &Tree) -> impl Iterator<Item = &Object> {
    let base = ucs_ldap::canonical::key_of_canonical(tree.base_dn());
    tree.of_module("container/ou").filter(move |o| {
        school_layout::is_school(o) && ucs_ldap::canonical::parent(&o.dn).to_lowercase() == base
    })
}

/// `GET /schools/`.
pub(crate) async fn search(
    State(app): State<Arc<App>>,
    _caller: Caller,
    urls: Urls,
    RawQuery(raw): RawQuery,
) -> Json<Value> {
    let pairs = query::parse(raw.as_deref());
    let pattern = query::last(&pairs, "name").map(Pattern::wildcard);
    let list = app.store.read(|tree| {
        let mut found: Vec<&Object> = schools(tree)
            .filter(|o| {
                pattern
                    .as_ref()
                    .is_none_or(|p| p.matches(&school_layout::school_name(o)))
            })
            .collect();
        found.sort_by_key(|o| school_layout::school_name(o).to_lowercase());
        found
            .into_iter()
            .map(|o| to_json(o, &urls))
            .collect::<Vec<_>>()
    });
    Json(Value::from(list))
}

/// `GET /schools/{name}` (HEAD answers the same status without a body).
pub(crate) async fn get_one(
    State(app): State<Arc<App>>,
    _caller: Caller,
    urls: Urls,
    Path(name): Path<String>,
) -> Result<Json<Value>, KelvinError> {
    app.store
        .read(|tree| school_layout::find_school(tree, &name).map(|o| to_json(o, &urls)))
        .map(Json)
        .ok_or_else(|| KelvinError::not_found(format!("No school with name={name:?} found.")))
}

/// Whether a school name is valid (letters, digits, `-`, `_`; starting and ending with a
/// letter or digit), as UCS@school requires for OU names.
fn is_valid_school_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// `POST /schools/`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, KelvinError> {
    caller.require_write()?;
    let pairs = query::parse(raw.as_deref());
    if query::last(&pairs, "alter_dhcpd_base").is_some_and(|v| query::boolean(v).is_none()) {
        return Err(KelvinError::validation(vec![ValidationError::new(
            &["query", "alter_dhcpd_base"],
            "value could not be parsed to a boolean",
            "type_error.bool",
        )]));
    }
    let map = parse_object(&body)?;
    let mut f = Fields::new(&map);
    let name = f.string("name");
    let display_name = f.string("display_name");
    let educational = f.string_list("educational_servers");
    let administrative = f.string_list("administrative_servers");
    let class_share = f.string("class_share_file_server");
    let home_share = f.string("home_share_file_server");
    let udm_properties = f.object("udm_properties");
    f.require("name", &name);
    if let Opt::Set(n) = &name {
        if !is_valid_school_name(n) {
            f.errors.push(ValidationError::value(
                &["body", "name"],
                "Invalid school name: use letters, digits, '-' and '_' only, starting and ending with a letter or digit.",
            ));
        }
    }
    f.finish()?;
    let name = name.value().cloned().unwrap_or_default();
    let mut extra = Map::new();
    extra.insert(
        "educational_servers".into(),
        json!(educational.value().cloned().unwrap_or_default()),
    );
    extra.insert(
        "administrative_servers".into(),
        json!(administrative.value().cloned().unwrap_or_default()),
    );
    if let Opt::Set(v) = class_share {
        extra.insert("class_share_file_server".into(), json!(v));
    }
    if let Opt::Set(v) = home_share {
        extra.insert("home_share_file_server".into(), json!(v));
    }
    let school = app.store.write(|tree| {
        let ou = school_layout::school_dn(&name, tree.base_dn());
        if tree.find(&ou).is_some() {
            return Err(KelvinError::detail(StatusCode::CONFLICT, "School exists."));
        }
        let dn_text = school_layout::ensure_school(
            tree,
            &app.catalog,
            &name,
            display_name.value().map(String::as_str),
            extra,
            udm_properties.value().cloned().unwrap_or_default(),
        )
        .map_err(dir_error)?;
        tree.find(&dn_text)
            .map(|o| to_json(o, &urls))
            .ok_or_else(|| KelvinError::rule("The school vanished while it was written."))
    })?;
    Ok((StatusCode::CREATED, Json(school)).into_response())
}
