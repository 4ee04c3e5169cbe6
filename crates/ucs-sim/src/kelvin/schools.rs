//! `/schools/` (`kelvin/routers/v1/school.py`, `v2/school.py`): search, get, HEAD, create.
//! Schools cannot be changed or deleted through Kelvin.

use super::body::{self, RawBody};
use super::caller::{Admin, Reader};
use super::error::{KelvinError, ValidationError};
use super::fields::{Fields, Opt};
use super::py::{repr, repr_set};
use super::udm_error::dir_error;
use super::urls::Urls;
use crate::app::App;
use crate::pattern::Pattern;
use crate::query;
use crate::school_layout;
use crate::store::{Object, Tree};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The `SchoolModel` document of a school (v2 builds it from its database: roles rebuilt,
/// server lists sorted, an empty display name is `null`).
pub(crate) fn to_json(object: &Object, urls: &Urls) -> Value {
    let name = school_layout::school_name(object);
    let v2 = urls.version() == "v2";
    let list = |key: &str| {
        let mut items: Vec<Value> = object
            .extra
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if v2 {
            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        }
        Value::Array(items)
    };
    let roles = if v2 {
        json!([format!("school:school:{name}")])
    } else {
        json!(object.prop_list("ucsschoolRole"))
    };
    let display = match object.prop_str("displayName") {
        Some(d) if !d.is_empty() || !v2 => json!(d),
        _ if v2 => Value::Null,
        _ => json!(name),
    };
    json!({
        "dn": object.dn,
        "url": urls.school(&name),
        "ucsschool_roles": roles,
        "udm_properties": {},
        "name": name,
        "display_name": display,
        "educational_servers": list("educational_servers"),
        "administrative_servers": list("administrative_servers"),
        "class_share_file_server": object.extra.get("class_share_file_server").cloned().unwrap_or(Value::Null),
        "home_share_file_server": object.extra.get("home_share_file_server").cloned().unwrap_or(Value::Null),
    })
}

/// All schools (OUs directly below the base marked as schools), in directory order.
pub(crate) fn all(tree: &Tree) -> impl Iterator<Item = &Object> {
    let base = ucs_ldap::canonical::key_of_canonical(tree.base_dn());
    tree.of_module("container/ou").filter(move |o| {
        school_layout::is_school(o) && ucs_ldap::canonical::parent(&o.dn).to_lowercase() == base
    })
}

/// `No school with name='X' found.`
pub(crate) fn no_school(name: &str) -> KelvinError {
    KelvinError::not_found(format!("No school with name={} found.", repr(name)))
}

/// The school of a name as the server's OU lookup finds it (case-insensitive in v1, exact
/// in v2's database).
pub(crate) fn find<'a>(tree: &'a Tree, name: &str, exact: bool) -> Option<&'a Object> {
    school_layout::find_school(tree, name)
        .filter(|o| !exact || school_layout::school_name(o) == name)
}

/// Search (`name`: `*` wildcards, case-insensitive; empty = all). v2 sorts by name.
pub(crate) fn search_in(tree: &Tree, urls: &Urls, raw: Option<&str>) -> Value {
    let pairs = query::parse(raw);
    let pattern = query::last(&pairs, "name")
        .filter(|n| !n.is_empty())
        .map(Pattern::wildcard);
    let mut found: Vec<&Object> = all(tree)
        .filter(|o| {
            pattern
                .as_ref()
                .is_none_or(|p| p.matches(&school_layout::school_name(o)))
        })
        .collect();
    if urls.version() == "v2" {
        found.sort_by_key(|o| school_layout::school_name(o));
    }
    Value::from(
        found
            .into_iter()
            .map(|o| to_json(o, urls))
            .collect::<Vec<_>>(),
    )
}

/// `GET /schools/`.
pub(crate) async fn search(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    RawQuery(raw): RawQuery,
) -> Json<Value> {
    Json(super::version::read(&app, &urls, |tree| {
        search_in(tree, &urls, raw.as_deref())
    }))
}

/// `GET /schools/{name}`.
pub(crate) async fn get_one(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    Path(name): Path<String>,
) -> Result<Json<Value>, KelvinError> {
    let exact = urls.version() == "v2";
    super::version::read(&app, &urls, |tree| {
        find(tree, &name, exact).map(|o| to_json(o, &urls))
    })
    .map(Json)
    .ok_or_else(|| no_school(&name))
}

/// `HEAD /schools/{name}`: 200 or 404 without a body.
pub(crate) async fn exists(
    State(app): State<Arc<App>>,
    _: Reader,
    urls: Urls,
    Path(name): Path<String>,
) -> StatusCode {
    let exact = urls.version() == "v2";
    if super::version::read(&app, &urls, |tree| find(tree, &name, exact).is_some()) {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    }
}

/// The body of `POST /schools/` (`SchoolCreateModel`).
struct NewSchool {
    name: String,
    display_name: Option<String>,
    educational: Vec<String>,
    administrative: Vec<String>,
    class_share: Option<String>,
    home_share: Option<String>,
}

/// `SchoolName.validate` of the UCS@school lib.
fn school_name_error(name: &str) -> Option<&'static str> {
    let special = name.chars().any(|c| ",+\"\\<>;=\0".contains(c))
        || name.starts_with(['#', ' '])
        || name.ends_with(' ');
    let bytes = name.as_bytes();
    let valid = !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
    if special {
        Some("May not contain special characters")
    } else if !valid {
        Some("Invalid school name")
    } else {
        None
    }
}

/// `udm_properties` with `only_known_udm_properties`: keys must be configured for the
/// resource (none are by default).
pub(crate) fn unknown_udm_properties(
    f: &mut Fields,
    resource: &str,
    configured: &[String],
) -> Opt<Map<String, Value>> {
    let value = f.object("udm_properties");
    if let Opt::Set(props) = &value {
        let unknown: Vec<&String> = props.keys().filter(|k| !configured.contains(k)).collect();
        if !unknown.is_empty() {
            f.push(ValidationError::at(
                &["body", "udm_properties"],
                format!("UDM properties that were not configured for resource {} and are thus not allowed: {}", repr(resource), repr_set(&unknown)),
                "value_error.unknownudmproperty",
            ));
        }
    }
    value
}

fn parse_new_school(map: &Map<String, Value>) -> Result<NewSchool, Vec<ValidationError>> {
    let mut f = Fields::new(map);
    let _ = unknown_udm_properties(&mut f, "school", &[]);
    let name = f.string("name");
    if f.require("name", &name) {
        if let Some(message) = school_name_error(name.value().map(String::as_str).unwrap_or("")) {
            f.push(ValidationError::value(
                super::error::loc(&["body", "name"]),
                message,
            ));
        }
    }
    let display_name = f.string("display_name");
    let educational = f.string_list("educational_servers");
    f.not_null("educational_servers", &educational);
    let administrative = f.string_list("administrative_servers");
    f.not_null("administrative_servers", &administrative);
    let class_share = f.string("class_share_file_server");
    let home_share = f.string("home_share_file_server");
    if !f.errors.is_empty() {
        return Err(f.into_errors());
    }
    Ok(NewSchool {
        name: name.into_value().unwrap_or_default(),
        display_name: display_name.into_value(),
        educational: educational.into_value().unwrap_or_default(),
        administrative: administrative.into_value().unwrap_or_default(),
        class_share: class_share.into_value().filter(|s| !s.is_empty()),
        home_share: home_share.into_value().filter(|s| !s.is_empty()),
    })
}

fn host_exists(tree: &Tree, name: &str) -> bool {
    tree.iter().any(|(_, o)| {
        o.module.starts_with("computers/")
            && o.prop_str("name")
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// `validate_create_request_params`: one server per list; share hosts must exist or be made.
fn check_servers(tree: &Tree, school: &NewSchool) -> Result<(), KelvinError> {
    for (attr, servers) in [
        ("administrative_servers", &school.administrative),
        ("educational_servers", &school.educational),
    ] {
        if servers.len() > 1 {
            return Err(KelvinError::unprocessable(format!(
                "More than one host in parameter {} is not supported.",
                repr(attr)
            )));
        }
    }
    for (attr, host) in [
        ("class_share_file_server", &school.class_share),
        ("home_share_file_server", &school.home_share),
    ] {
        let Some(host) = host else { continue };
        let made = *host == format!("dc{}", school.name)
            || school.administrative.contains(host)
            || school.educational.contains(host);
        if !made && !host_exists(tree, host) {
            return Err(KelvinError::unprocessable(format!(
                "Host {} in parameter {} does not exist and will not be automatically created. Supply the name of an existing host or one from 'administrative_servers' or 'educational_servers' (or none to automatically use the educational server).",
                repr(host), repr(attr)
            )));
        }
    }
    Ok(())
}

fn create_school(app: &App, school: NewSchool, urls: &Urls) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        if school_layout::find_school(tree, &school.name).is_some() {
            return Err(KelvinError::conflict("School exists."));
        }
        check_servers(tree, &school)?;
        let mut extra = Map::new();
        extra.insert("educational_servers".into(), json!(school.educational));
        extra.insert(
            "administrative_servers".into(),
            json!(school.administrative),
        );
        if let Some(v) = &school.class_share {
            extra.insert("class_share_file_server".into(), json!(v));
        }
        if let Some(v) = &school.home_share {
            extra.insert("home_share_file_server".into(), json!(v));
        }
        let display = school.display_name.as_deref().filter(|d| !d.is_empty());
        let dn_text = school_layout::ensure_school(
            tree,
            &app.catalog,
            &school.name,
            display,
            extra,
            Map::new(),
        )
        .map_err(dir_error)?;
        tree.find(&dn_text)
            .map(|o| to_json(o, urls))
            .ok_or_else(KelvinError::internal)
    })
}

/// `POST /schools/`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    urls: Urls,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, KelvinError> {
    let raw_body: RawBody = body::read(&headers, &body)?;
    Admin::check(&app, &headers)?;
    let pairs = query::parse(raw.as_deref());
    let mut errors = Vec::new();
    if query::last(&pairs, "alter_dhcpd_base")
        .is_some_and(|v| super::fields::coerce_bool(&json!(v)).is_none())
    {
        errors.push(ValidationError::at(
            &["query", "alter_dhcpd_base"],
            "value could not be parsed to a boolean",
            "type_error.bool",
        ));
    }
    let parsed = body::model_dict(raw_body).and_then(|map| parse_new_school(&map));
    let school = match parsed {
        Ok(school) if errors.is_empty() => school,
        Ok(_) => return Err(KelvinError::validation(errors)),
        Err(body_errors) => {
            errors.extend(body_errors);
            return Err(KelvinError::validation(errors));
        }
    };
    let doc = create_school(&app, school, &urls)?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}
