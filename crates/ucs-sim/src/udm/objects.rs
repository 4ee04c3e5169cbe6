//! One UDM object: template (`<module>/add`), create, read, replace or move (PUT), change
//! (PATCH), delete; with ETag / `If-Match` / `If-Unmodified-Since` preconditions.

use super::error::UdmError;
use super::modules::covers;
use super::repr::{http_date, object_href, object_json, Selection};
use crate::app::App;
use crate::directory::{self, rules, Change, FieldError, NewEntry};
use crate::query;
use crate::store::{Object, Tree};
use crate::udm::catalog::ModuleSpec;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::DateTime;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// A write request body.
#[derive(Debug, Default)]
struct Body {
    position: Option<String>,
    superordinate: Option<String>,
    properties: Map<String, Value>,
    options: Option<BTreeMap<String, bool>>,
    policies: Option<BTreeMap<String, Vec<String>>>,
}

fn parse_body(bytes: &[u8]) -> Result<Body, UdmError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        UdmError::new(
            StatusCode::BAD_REQUEST,
            format!("Invalid JSON document: {e}"),
        )
    })?;
    let Value::Object(mut map) = value else {
        return Err(UdmError::new(
            StatusCode::BAD_REQUEST,
            "The request body must be a JSON object.",
        ));
    };
    let mut errors = Vec::new();
    let mut text = |key: &str, errors: &mut Vec<FieldError>| match map.remove(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            errors.push(FieldError::at(&[key], format!("{key} must be a DN string")));
            None
        }
    };
    let position = text("position", &mut errors);
    let superordinate = text("superordinate", &mut errors);
    let properties = match map.remove("properties") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(p)) => p,
        Some(_) => {
            errors.push(FieldError::at(
                &["properties"],
                "properties must be an object",
            ));
            Map::new()
        }
    };
    let options = match map.remove("options") {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => {
            let mut out = BTreeMap::new();
            for (name, v) in o {
                match v {
                    Value::Bool(b) => {
                        out.insert(name, b);
                    }
                    _ => errors.push(FieldError::at(
                        &["options", &name],
                        "options must be booleans",
                    )),
                }
            }
            Some(out)
        }
        Some(Value::Array(items)) => Some(
            items
                .into_iter()
                .filter_map(|v| v.as_str().map(|s| (s.to_string(), true)))
                .collect(),
        ),
        Some(_) => {
            errors.push(FieldError::at(&["options"], "options must be an object"));
            None
        }
    };
    let policies = match map.remove("policies") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => {
            let mut out = BTreeMap::new();
            for (name, v) in p {
                let dns = match v {
                    Value::Null => Vec::new(),
                    Value::String(s) => vec![s],
                    Value::Array(items) if items.iter().all(Value::is_string) => items
                        .into_iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                    _ => {
                        errors.push(FieldError::at(
                            &["policies", &name],
                            "must be a list of DNs",
                        ));
                        continue;
                    }
                };
                out.insert(name, dns);
            }
            Some(out)
        }
        Some(_) => {
            errors.push(FieldError::at(&["policies"], "policies must be an object"));
            None
        }
    };
    if !errors.is_empty() {
        return Err(UdmError::from(directory::DirError::Invalid(errors)));
    }
    Ok(Body {
        position,
        superordinate,
        properties,
        options,
        policies,
    })
}

fn etag_matches(header_value: &str, etag: &str) -> bool {
    header_value.split(',').any(|candidate| {
        let candidate = candidate.trim();
        candidate == "*" || candidate.trim_start_matches("W/") == etag.trim_start_matches("W/")
    })
}

/// `If-Match` and `If-Unmodified-Since` against the current state.
fn check_preconditions(headers: &HeaderMap, current: Option<&Object>) -> Result<(), UdmError> {
    if let Some(value) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        match current {
            Some(object) if etag_matches(value, &object.etag()) => {}
            _ => return Err(UdmError::precondition_failed()),
        }
    }
    if let (Some(value), Some(object)) = (
        headers
            .get(header::IF_UNMODIFIED_SINCE)
            .and_then(|v| v.to_str().ok()),
        current,
    ) {
        if let Ok(since) = DateTime::parse_from_rfc2822(value) {
            if object.modified.timestamp() > since.timestamp() {
                return Err(UdmError::precondition_failed());
            }
        }
    }
    Ok(())
}

fn find_in_module<'a>(
    tree: &'a Tree,
    module: &ModuleSpec,
    dn_text: &str,
) -> Result<&'a Object, UdmError> {
    let key = dn::key(dn_text).map_err(|e| {
        UdmError::new(
            StatusCode::NOT_FOUND,
            format!("Invalid DN {dn_text:?}: {e}"),
        )
    })?;
    tree.get(&key)
        .filter(|o| covers(&module.name, &o.module))
        .ok_or_else(|| UdmError::not_found(dn_text))
}

fn set_object_headers(response: &mut Response, object: &Object) {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&object.etag()) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(&object.modified)) {
        headers.insert(header::LAST_MODIFIED, v);
    }
}

fn set_location(response: &mut Response, location: &str) {
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
}

/// `GET <module>/<dn>`.
pub(crate) fn get(
    app: &App,
    module: &ModuleSpec,
    base: &str,
    dn_text: &str,
    headers: &HeaderMap,
    pairs: &[(String, String)],
) -> Result<Response, UdmError> {
    let selection = Selection::from_values(&query::all(pairs, "properties"));
    app.store.read(|tree| {
        let object = find_in_module(tree, module, dn_text)?;
        if let Some(value) = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
        {
            if etag_matches(value, &object.etag()) {
                let mut response = StatusCode::NOT_MODIFIED.into_response();
                set_object_headers(&mut response, object);
                return Ok(response);
            }
        }
        let mut response =
            Json(object_json(tree, &app.catalog, object, base, &selection)).into_response();
        set_object_headers(&mut response, object);
        Ok(response)
    })
}

/// `GET <module>/add`: the template of a new object.
pub(crate) fn template(
    app: &App,
    module: &ModuleSpec,
    base: &str,
    pairs: &[(String, String)],
) -> Value {
    let base_dn = app.store.read(|tree| tree.base_dn().to_string());
    let position = query::last(pairs, "position")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| rules::default_position(&module.name, &base_dn));
    let defaults = rules::template_defaults(&module.name, &base_dn);
    let mut properties = Map::new();
    for spec in &module.properties {
        let value = defaults
            .get(&spec.name)
            .cloned()
            .unwrap_or(if spec.is_list() {
                json!([])
            } else {
                Value::Null
            });
        properties.insert(spec.name.clone(), value);
    }
    let options: Map<String, Value> = module
        .options
        .iter()
        .map(|o| (o.name.clone(), Value::Bool(o.default)))
        .collect();
    let policies: Map<String, Value> = module
        .policies
        .iter()
        .map(|p| (p.name.clone(), json!([])))
        .collect();
    json!({
        "position": position,
        "superordinate": query::last(pairs, "superordinate").filter(|s| !s.is_empty()),
        "objectType": module.name,
        "properties": properties,
        "options": options,
        "policies": policies,
        "_links": {
            "self": [{"href": format!("{base}/{}/add", module.name)}],
            "type": [{"href": format!("{base}/{}/", module.name)}],
        },
        "_embedded": {},
    })
}

fn created(
    app: &App,
    module: &ModuleSpec,
    base: &str,
    dn_text: &str,
    status: StatusCode,
) -> Response {
    app.store.read(|tree| {
        let object = tree.find(dn_text);
        let uuid = object.map(|o| o.uuid.clone());
        let mut response = (status, Json(json!({"dn": dn_text, "uuid": uuid}))).into_response();
        set_location(&mut response, &object_href(base, &module.name, dn_text));
        if let Some(object) = object {
            set_object_headers(&mut response, object);
        }
        response
    })
}

/// `POST <module>/`.
pub(crate) fn create(
    app: &App,
    module: &ModuleSpec,
    base: &str,
    body: &[u8],
) -> Result<Response, UdmError> {
    let body = parse_body(body)?;
    let dn_text = app.store.write(|tree| {
        directory::create(
            tree,
            &app.catalog,
            NewEntry {
                module: module.name.clone(),
                position: body.position,
                superordinate: body.superordinate,
                properties: body.properties,
                options: body.options.unwrap_or_default(),
                policies: body.policies.unwrap_or_default(),
                ..Default::default()
            },
        )
    })?;
    Ok(created(app, module, base, &dn_text, StatusCode::CREATED))
}

/// What a modification answered.
enum Outcome {
    Created(String),
    Moved(String),
    Modified(String),
}

/// `PUT <module>/<dn>` (`replace`) and `PATCH <module>/<dn>`.
pub(crate) fn modify(
    app: &App,
    module: &ModuleSpec,
    base: &str,
    dn_text: &str,
    headers: &HeaderMap,
    body: &[u8],
    replace: bool,
) -> Result<Response, UdmError> {
    let body = parse_body(body)?;
    let outcome = app.store.write(|tree| -> Result<Outcome, UdmError> {
        let key = dn::key(dn_text).map_err(|e| {
            UdmError::new(
                StatusCode::NOT_FOUND,
                format!("Invalid DN {dn_text:?}: {e}"),
            )
        })?;
        let current = tree.get(&key).filter(|o| covers(&module.name, &o.module));
        if current.is_none() && tree.contains(&key) {
            return Err(UdmError::not_found(dn_text));
        }
        check_preconditions(headers, current)?;
        let Some(current) = current else {
            if !replace {
                return Err(UdmError::not_found(dn_text));
            }
            let created = directory::create(
                tree,
                &app.catalog,
                NewEntry {
                    module: module.name.clone(),
                    dn: Some(dn_text.to_string()),
                    superordinate: body.superordinate,
                    properties: body.properties,
                    options: body.options.unwrap_or_default(),
                    policies: body.policies.unwrap_or_default(),
                    ..Default::default()
                },
            )?;
            return Ok(Outcome::Created(created));
        };
        let current_parent = dn::key_of_canonical(dn::parent(&current.dn));
        let position = match body.position {
            Some(p) => {
                let moves = dn::key(&p).map(|k| k != current_parent).unwrap_or(true);
                if moves && !replace {
                    return Err(UdmError::from(directory::DirError::Invalid(vec![
                        FieldError::at(&["position"], "Moving an object needs PUT, not PATCH"),
                    ])));
                }
                moves.then_some(p)
            }
            None => None,
        };
        let modified = directory::modify(
            tree,
            &app.catalog,
            &key,
            Change {
                properties: body.properties,
                replace,
                options: body.options,
                policies: body.policies,
                position,
                ..Default::default()
            },
        )?;
        Ok(if modified.moved {
            Outcome::Moved(modified.dn)
        } else {
            Outcome::Modified(modified.dn)
        })
    })?;
    Ok(match outcome {
        Outcome::Created(dn_text) => created(app, module, base, &dn_text, StatusCode::CREATED),
        Outcome::Moved(new_dn) => {
            let id = app.moves.start(&module.name, &new_dn);
            let mut response = (
                StatusCode::ACCEPTED,
                Json(json!({"id": id, "title": format!("Moving {dn_text}"), "finished": false})),
            )
                .into_response();
            set_location(&mut response, &format!("{base}/progress/{id}"));
            response
        }
        Outcome::Modified(new_dn) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            set_location(&mut response, &object_href(base, &module.name, &new_dn));
            app.store.read(|tree| {
                if let Some(object) = tree.find(&new_dn) {
                    set_object_headers(&mut response, object);
                }
            });
            response
        }
    })
}

/// `DELETE <module>/<dn>?cleanup=&recursive=`.
pub(crate) fn delete(
    app: &App,
    module: &ModuleSpec,
    dn_text: &str,
    headers: &HeaderMap,
    pairs: &[(String, String)],
) -> Result<Response, UdmError> {
    super::search::flag(pairs, "cleanup", true)?;
    let recursive = super::search::flag(pairs, "recursive", true)?;
    app.store.write(|tree| {
        let object = find_in_module(tree, module, dn_text)?;
        check_preconditions(headers, Some(object))?;
        let key = dn::key_of_canonical(&object.dn);
        directory::delete(tree, &key, recursive)?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

/// `GET /univention/udm/progress/<id>`.
pub(crate) fn progress(app: &App, base: &str, id: &str) -> Result<Response, UdmError> {
    let state = app
        .moves
        .poll(id)
        .ok_or_else(|| UdmError::new(StatusCode::NOT_FOUND, format!("No operation {id:?}.")))?;
    let href = object_href(base, &state.module, &state.dn);
    let mut response = if state.polls == 0 {
        let mut r = (
            StatusCode::MOVED_PERMANENTLY,
            Json(json!({"id": id, "finished": false, "percentage": 50, "errors": []})),
        )
            .into_response();
        set_location(&mut r, &format!("{base}/progress/{id}"));
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        r
    } else {
        let mut r = (
            StatusCode::SEE_OTHER,
            Json(json!({"id": id, "finished": true, "percentage": 100, "errors": [], "result": {"dn": state.dn, "uri": href}})),
        )
            .into_response();
        set_location(&mut r, &href);
        r
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
