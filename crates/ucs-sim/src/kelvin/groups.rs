//! `/classes/` and `/workgroups/`: school groups addressed as `/{school}/{name}`. Both kinds
//! behave the same; workgroups have e-mail settings in addition.

use super::body::{parse_object, Fields, Mode, Opt};
use super::error::{KelvinError, ValidationError};
use super::urls::Urls;
use super::user_view;
use super::user_write::dir_error;
use super::Caller;
use crate::app::App;
use crate::directory::{self, Change, NewEntry};
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
use ucs_ldap::canonical as dn;

/// Class or workgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A school class.
    Class,
    /// A workgroup.
    Workgroup,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Class => "school class",
            Kind::Workgroup => "workgroup",
        }
    }

    fn role(self) -> &'static str {
        match self {
            Kind::Class => "school_class",
            Kind::Workgroup => "workgroup",
        }
    }

    fn dn(self, school: &str, name: &str, base: &str) -> String {
        match self {
            Kind::Class => school_layout::class_dn(school, name, base),
            Kind::Workgroup => school_layout::workgroup_dn(school, name, base),
        }
    }

    fn container(self, school: &str, base: &str) -> String {
        match self {
            Kind::Class => school_layout::classes_container(school, base),
            Kind::Workgroup => school_layout::workgroups_container(school, base),
        }
    }

    fn url(self, urls: &Urls, school: &str, name: &str) -> String {
        match self {
            Kind::Class => urls.class(school, name),
            Kind::Workgroup => urls.workgroup(school, name),
        }
    }

    fn not_found(self, school: &str, name: &str) -> KelvinError {
        KelvinError::not_found(format!(
            "No {} with name={name:?} in school={school:?} found.",
            self.label()
        ))
    }

    fn exists(self) -> KelvinError {
        let text = match self {
            Kind::Class => "School class exists.",
            Kind::Workgroup => "Workgroup exists.",
        };
        KelvinError::detail(StatusCode::CONFLICT, text)
    }
}

/// Name of a class or workgroup (the `cn` without the `<school>-` prefix) and its school.
fn names(object: &Object, base: &str) -> (String, String) {
    match school_layout::classify_group(&object.dn, base) {
        school_layout::GroupKind::Class(s, n) | school_layout::GroupKind::Workgroup(s, n) => (s, n),
        _ => (
            String::new(),
            object.prop_str("name").unwrap_or("").to_string(),
        ),
    }
}

fn to_json(tree: &Tree, kind: Kind, object: &Object, urls: &Urls) -> Value {
    let (school, name) = names(object, tree.base_dn());
    let users: Vec<String> = object
        .prop_list("users")
        .iter()
        .filter_map(|member| tree.get(&dn::key_of_canonical(member)))
        .filter(|o| o.module == "users/user")
        .filter_map(|o| o.prop_str("username").map(|u| urls.user(u)))
        .collect();
    let mut doc = json!({
        "dn": object.dn,
        "url": kind.url(urls, &school, &name),
        "ucsschool_roles": object.prop_list("ucsschoolRole"),
        "udm_properties": {},
        "name": name,
        "school": urls.school(&school),
        "description": object.prop_str("description"),
        "users": users,
        "create_share": object.extra.get("create_share").cloned().unwrap_or(json!(true)),
    });
    if kind == Kind::Workgroup {
        if let Some(map) = doc.as_object_mut() {
            map.insert("email".into(), json!(object.prop_str("mailAddress")));
            for key in [
                "allowed_email_senders_users",
                "allowed_email_senders_groups",
            ] {
                map.insert(
                    key.into(),
                    object.extra.get(key).cloned().unwrap_or(json!([])),
                );
            }
        }
    }
    doc
}

fn find<'a>(tree: &'a Tree, kind: Kind, school: &str, name: &str) -> Option<&'a Object> {
    let key = dn::key_of_canonical(&kind.dn(school, name, tree.base_dn()));
    tree.get(&key).filter(|o| o.module == "groups/group")
}

fn search(app: &App, kind: Kind, urls: &Urls, raw: Option<&str>) -> Result<Value, KelvinError> {
    let pairs = query::parse(raw);
    let Some(school) = query::last(&pairs, "school") else {
        return Err(KelvinError::validation(vec![ValidationError::missing(&[
            "query", "school",
        ])]));
    };
    let pattern = query::last(&pairs, "name").map(Pattern::wildcard);
    Ok(app.store.read(|tree| {
        let Some(school) = school_layout::find_school(tree, school).map(school_layout::school_name)
        else {
            return Value::from(Vec::<Value>::new());
        };
        let container = dn::key_of_canonical(&kind.container(&school, tree.base_dn()));
        let mut found: Vec<(String, Value)> = tree
            .of_module("groups/group")
            .filter(|o| dn::parent(&o.dn).to_lowercase() == container)
            .filter_map(|o| {
                let (_, name) = names(o, tree.base_dn());
                pattern
                    .as_ref()
                    .is_none_or(|p| p.matches(&name))
                    .then(|| (name.to_lowercase(), to_json(tree, kind, o, urls)))
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        Value::from(found.into_iter().map(|(_, v)| v).collect::<Vec<_>>())
    }))
}

/// A class or workgroup write, read from the body.
struct GroupInput {
    name: Opt<String>,
    school: Opt<String>,
    description: Opt<String>,
    users: Opt<Vec<String>>,
    create_share: Opt<bool>,
    ucsschool_roles: Opt<Vec<String>>,
    udm_properties: Opt<Map<String, Value>>,
    email: Opt<String>,
    allowed_users: Opt<Vec<String>>,
    allowed_groups: Opt<Vec<String>>,
}

fn parse_group(body: &[u8], kind: Kind, mode: Mode) -> Result<GroupInput, KelvinError> {
    let map = parse_object(body)?;
    let mut f = Fields::new(&map);
    let input = GroupInput {
        name: f.string("name"),
        school: if mode == Mode::Patch {
            Opt::Absent
        } else {
            f.url_name("school")
        },
        description: f.string("description"),
        users: f.url_names("users"),
        create_share: f.boolean("create_share"),
        ucsschool_roles: f.string_list("ucsschool_roles"),
        udm_properties: f.object("udm_properties"),
        email: if kind == Kind::Workgroup {
            f.string("email")
        } else {
            Opt::Absent
        },
        allowed_users: if kind == Kind::Workgroup {
            f.string_list("allowed_email_senders_users")
        } else {
            Opt::Absent
        },
        allowed_groups: if kind == Kind::Workgroup {
            f.string_list("allowed_email_senders_groups")
        } else {
            Opt::Absent
        },
    };
    if mode == Mode::Patch {
        f.not_null("name", &input.name);
    } else {
        f.require("name", &input.name);
        f.require("school", &input.school);
    }
    if let Opt::Set(name) = &input.name {
        if name.trim().is_empty() || name.trim() != name {
            f.errors.push(ValidationError::value(
                &["body", "name"],
                "The name must not be empty or start or end with spaces.",
            ));
        }
    }
    if let Opt::Set(roles) = &input.ucsschool_roles {
        for role in roles {
            if let Err(message) = super::rules::check_ucsschool_role(role) {
                f.errors.push(ValidationError::value(
                    &["body", "ucsschool_roles"],
                    message,
                ));
            }
        }
    }
    f.finish()?;
    Ok(input)
}

fn member_dns(tree: &Tree, names: &[String]) -> Result<Vec<String>, KelvinError> {
    names
        .iter()
        .map(|name| {
            user_view::find(tree, name)
                .map(|o| o.dn.clone())
                .ok_or_else(|| KelvinError::rule(format!("User {name:?} does not exist.")))
        })
        .collect()
}

/// UDM properties and Kelvin-only attributes of a write.
type GroupWrite = (Map<String, Value>, Map<String, Value>);

/// Properties and Kelvin-only attributes a write sets (`replace`, PUT: absent optional
/// fields, including `users`, are cleared).
fn group_properties(
    tree: &Tree,
    kind: Kind,
    school: &str,
    name: &str,
    input: &GroupInput,
    replace: bool,
) -> Result<GroupWrite, KelvinError> {
    let mut props = Map::new();
    props.insert("name".into(), json!(format!("{school}-{name}")));
    match &input.description {
        Opt::Set(d) => {
            props.insert("description".into(), json!(d));
        }
        Opt::Null => {
            props.insert("description".into(), Value::Null);
        }
        Opt::Absent if replace => {
            props.insert("description".into(), Value::Null);
        }
        Opt::Absent => {}
    }
    match &input.users {
        Opt::Set(users) => {
            props.insert("users".into(), json!(member_dns(tree, users)?));
        }
        Opt::Null => {
            props.insert("users".into(), json!([]));
        }
        Opt::Absent if replace => {
            props.insert("users".into(), json!([]));
        }
        Opt::Absent => {}
    }
    if let Opt::Set(roles) = &input.ucsschool_roles {
        props.insert("ucsschoolRole".into(), json!(roles));
    }
    match &input.email {
        Opt::Set(e) if !e.is_empty() => {
            props.insert("mailAddress".into(), json!(e));
        }
        Opt::Set(_) | Opt::Null => {
            props.insert("mailAddress".into(), Value::Null);
        }
        Opt::Absent if replace && kind == Kind::Workgroup => {
            props.insert("mailAddress".into(), Value::Null);
        }
        Opt::Absent => {}
    }
    if let Opt::Set(udm) = &input.udm_properties {
        for (k, v) in udm {
            props.insert(k.clone(), v.clone());
        }
    }
    let mut extra = Map::new();
    match input.create_share {
        Opt::Set(b) => {
            extra.insert("create_share".into(), json!(b));
        }
        _ if replace => {
            extra.insert("create_share".into(), json!(true));
        }
        _ => {}
    }
    for (key, value) in [
        ("allowed_email_senders_users", &input.allowed_users),
        ("allowed_email_senders_groups", &input.allowed_groups),
    ] {
        match value {
            Opt::Set(list) => {
                extra.insert(key.into(), json!(list));
            }
            Opt::Null => {
                extra.insert(key.into(), json!([]));
            }
            Opt::Absent if replace => {
                extra.insert(key.into(), json!([]));
            }
            Opt::Absent => {}
        }
    }
    Ok((props, extra))
}

fn create(app: &App, kind: Kind, urls: &Urls, body: &[u8]) -> Result<Value, KelvinError> {
    let input = parse_group(body, kind, Mode::Create)?;
    app.store.write(|tree| {
        let school_name = input.school.value().cloned().unwrap_or_default();
        let school = school_layout::find_school(tree, &school_name)
            .map(school_layout::school_name)
            .ok_or_else(|| KelvinError::rule(format!("School {school_name:?} does not exist.")))?;
        let name = input.name.value().cloned().unwrap_or_default();
        if find(tree, kind, &school, &name).is_some() {
            return Err(kind.exists());
        }
        school_layout::ensure_school(tree, &app.catalog, &school, None, Map::new(), Map::new())
            .map_err(dir_error)?;
        let (mut properties, extra) = group_properties(tree, kind, &school, &name, &input, true)?;
        properties.insert("school".into(), json!([school]));
        properties
            .entry("ucsschoolRole")
            .or_insert_with(|| json!([format!("{}:school:{school}", kind.role())]));
        properties.retain(|_, v| !v.is_null());
        let group_dn = directory::create(
            tree,
            &app.catalog,
            NewEntry {
                module: "groups/group".into(),
                dn: Some(kind.dn(&school, &name, tree.base_dn())),
                properties,
                extra,
                ..Default::default()
            },
        )
        .map_err(|e| match e {
            directory::DirError::Exists(_) => kind.exists(),
            other => dir_error(other),
        })?;
        tree.find(&group_dn)
            .map(|o| to_json(tree, kind, o, urls))
            .ok_or_else(|| KelvinError::rule("The group vanished while it was written."))
    })
}

fn update(
    app: &App,
    kind: Kind,
    urls: &Urls,
    school: &str,
    name: &str,
    mode: Mode,
    body: &[u8],
) -> Result<Value, KelvinError> {
    let input = parse_group(body, kind, mode)?;
    app.store.write(|tree| {
        let object = find(tree, kind, school, name).ok_or_else(|| kind.not_found(school, name))?;
        let key = dn::key_of_canonical(&object.dn);
        let (school, current_name) = names(object, tree.base_dn());
        if let Opt::Set(target) = &input.school {
            if !target.eq_ignore_ascii_case(&school) {
                return Err(KelvinError::rule(format!(
                    "Moving a {} to another school is not supported.",
                    kind.label()
                )));
            }
        }
        let new_name = input.name.value().cloned().unwrap_or(current_name);
        let (properties, extra) = group_properties(
            tree,
            kind,
            &school,
            &new_name,
            &input,
            mode == Mode::Replace,
        )?;
        let modified = directory::modify(
            tree,
            &app.catalog,
            &key,
            Change {
                properties,
                extra,
                ..Default::default()
            },
        )
        .map_err(|e| match e {
            directory::DirError::Exists(_) => kind.exists(),
            other => dir_error(other),
        })?;
        tree.find(&modified.dn)
            .map(|o| to_json(tree, kind, o, urls))
            .ok_or_else(|| KelvinError::rule("The group vanished while it was written."))
    })
}

fn get(app: &App, kind: Kind, urls: &Urls, school: &str, name: &str) -> Result<Value, KelvinError> {
    app.store
        .read(|tree| find(tree, kind, school, name).map(|o| to_json(tree, kind, o, urls)))
        .ok_or_else(|| kind.not_found(school, name))
}

fn remove(app: &App, kind: Kind, school: &str, name: &str) -> Result<StatusCode, KelvinError> {
    app.store.write(|tree| {
        let key = find(tree, kind, school, name)
            .map(|o| dn::key_of_canonical(&o.dn))
            .ok_or_else(|| kind.not_found(school, name))?;
        directory::delete(tree, &key, true).map_err(dir_error)?;
        Ok(StatusCode::NO_CONTENT)
    })
}

/// Selects the kind of group a generic handler serves.
pub(crate) trait GroupResource: Send + Sync + 'static {
    /// The kind.
    const KIND: Kind;
}

/// `/classes/`.
pub(crate) struct Classes;

impl GroupResource for Classes {
    const KIND: Kind = Kind::Class;
}

/// `/workgroups/`.
pub(crate) struct Workgroups;

impl GroupResource for Workgroups {
    const KIND: Kind = Kind::Workgroup;
}

/// `GET /classes/?school=...&name=...` (and workgroups).
pub(crate) async fn list<K: GroupResource>(
    State(app): State<Arc<App>>,
    _caller: Caller,
    urls: Urls,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, KelvinError> {
    search(&app, K::KIND, &urls, raw.as_deref()).map(Json)
}

/// `POST /classes/` (and workgroups).
pub(crate) async fn post<K: GroupResource>(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    body: Bytes,
) -> Result<Response, KelvinError> {
    caller.require_write()?;
    let doc = create(&app, K::KIND, &urls, &body)?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// `GET /classes/{school}/{name}` (and workgroups).
pub(crate) async fn get_one<K: GroupResource>(
    State(app): State<Arc<App>>,
    _caller: Caller,
    urls: Urls,
    Path((school, name)): Path<(String, String)>,
) -> Result<Json<Value>, KelvinError> {
    get(&app, K::KIND, &urls, &school, &name).map(Json)
}

/// `PUT /classes/{school}/{name}` (and workgroups).
pub(crate) async fn put<K: GroupResource>(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    Path((school, name)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    caller.require_write()?;
    update(&app, K::KIND, &urls, &school, &name, Mode::Replace, &body).map(Json)
}

/// `PATCH /classes/{school}/{name}` (and workgroups).
pub(crate) async fn patch<K: GroupResource>(
    State(app): State<Arc<App>>,
    caller: Caller,
    urls: Urls,
    Path((school, name)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, KelvinError> {
    caller.require_write()?;
    update(&app, K::KIND, &urls, &school, &name, Mode::Patch, &body).map(Json)
}

/// `DELETE /classes/{school}/{name}` (and workgroups).
pub(crate) async fn delete<K: GroupResource>(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path((school, name)): Path<(String, String)>,
) -> Result<StatusCode, KelvinError> {
    caller.require_write()?;
    remove(&app, K::KIND, &school, &name)
}
