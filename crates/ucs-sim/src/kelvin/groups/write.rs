//! Creating, changing and deleting classes and workgroups in the order of the real handlers
//! (`create`, `partial_update`, `complete_update`, `delete` of `school_class.py` and
//! `workgroup.py`), with the asymmetries between the two kinds: classes check and case-fix
//! their school, workgroups do not.

use super::kind::{not_found, Kind};
use super::model::{GroupBody, GroupPatch};
use super::view::{find, to_json};
use crate::app::App;
use crate::directory::{self, Change, NewEntry};
use crate::kelvin::error::KelvinError;
use crate::kelvin::fields::Opt;
use crate::kelvin::py::{repr, repr_errors};
use crate::kelvin::pyurl::HttpUrl;
use crate::kelvin::refs::{self, RefKind};
use crate::kelvin::schools::no_school;
use crate::kelvin::udm_error::dir_error;
use crate::kelvin::udm_error::{self, Operation};
use crate::kelvin::urls::Urls;
use crate::kelvin::version::ApiVersion;
use crate::school_layout;
use crate::store::Tree;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// `url_to_dn` of member URLs: any user (also non-school users such as Administrator).
fn member_dns(
    tree: &Tree,
    version: ApiVersion,
    urls: &[HttpUrl],
) -> Result<Vec<String>, KelvinError> {
    urls.iter()
        .map(|url| {
            let name = refs::name(version, RefKind::User, url)?;
            crate::auth::find_user(tree, &name)
                .map(|o| o.dn.clone())
                .ok_or_else(|| refs::unknown_user(url))
        })
        .collect()
}

/// The school of a class path or body (`search_schools_in_ldap(raise404=True)`).
fn class_school(tree: &Tree, name: &str) -> Result<String, KelvinError> {
    school_layout::find_school(tree, name)
        .map(school_layout::school_name)
        .ok_or_else(|| no_school(name))
}

/// The UCS@school lib's validation of e-mail sender lists (DN syntax).
fn sender_errors(users: &[String], groups: &[String]) -> Vec<(String, Vec<String>)> {
    let mut errors = Vec::new();
    for (key, list) in [
        ("allowed_email_senders_users", users),
        ("allowed_email_senders_groups", groups),
    ] {
        if list.iter().any(|d| dn::canonical(d).is_err()) {
            errors.push((key.to_string(), vec!["Not a valid LDAP DN".to_string()]));
        }
    }
    errors
}

fn lib_repr(kind: Kind, full: &str, school: &str, base: &str) -> String {
    let class = match kind {
        Kind::Class => "SchoolClass",
        Kind::Workgroup => "WorkGroup",
    };
    let name = full.strip_prefix(&format!("{school}-")).unwrap_or(full);
    format!(
        "{class}(name={}, school={}, dn={})",
        repr(full),
        repr(school),
        repr(&kind.dn(school, name, base))
    )
}

fn properties(
    kind: Kind,
    school: &str,
    body: &GroupBody,
    members: Vec<String>,
) -> Map<String, Value> {
    let mut props = Map::new();
    props.insert("name".into(), json!(format!("{school}-{}", body.name)));
    props.insert("school".into(), json!([school]));
    props.insert("description".into(), json!(body.description));
    props.insert("users".into(), json!(members));
    if kind == Kind::Workgroup {
        props.insert(
            "mailAddress".into(),
            json!(body.email.as_deref().filter(|e| !e.is_empty())),
        );
        props.insert("allowedEmailUsers".into(), json!(body.allowed_users));
        props.insert("allowedEmailGroups".into(), json!(body.allowed_groups));
    }
    props
}

/// `POST`.
pub(crate) fn create(
    app: &App,
    kind: Kind,
    version: ApiVersion,
    urls: &Urls,
    body: GroupBody,
) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        let base = tree.base_dn().to_string();
        let named = refs::name(version, RefKind::School, &body.school)?;
        let members = member_dns(tree, version, &body.users)?;
        let school = match kind {
            Kind::Class => class_school(tree, &named)?,
            Kind::Workgroup => named,
        };
        if find(tree, kind, &school, &body.name).is_some() {
            return Err(kind.exists());
        }
        let full = format!("{school}-{}", body.name);
        let mut errors = if kind == Kind::Workgroup { sender_errors(&body.allowed_users, &body.allowed_groups) } else { Vec::new() };
        if school_layout::find_school(tree, &school).is_none() {
            errors.push(("school".into(), vec![format!("The school \"{school}\" does not exist. Please choose an existing one or create it.")]));
        }
        if !errors.is_empty() {
            let what = if kind == Kind::Class { "school class" } else { "school workgroup" };
            return Err(KelvinError::bad_request(format!("Failed to create {what} {}: {}", lib_repr(kind, &full, &school, &base), repr_errors(&errors))));
        }
        school_layout::ensure_school(tree, &app.catalog, &school, None, Map::new(), Map::new()).map_err(dir_error)?;
        let mut props = properties(kind, &school, &body, members);
        props.insert("ucsschoolRole".into(), json!([format!("{}:school:{school}", kind.role())]));
        props.retain(|_, v| !v.is_null());
        let mut extra = Map::new();
        extra.insert("create_share".into(), json!(body.create_share));
        let entry = NewEntry { module: "groups/group".into(), dn: Some(kind.dn(&school, &body.name, &base)), properties: props, extra, ..Default::default() };
        let group_dn = directory::create(tree, &app.catalog, entry).map_err(|e| udm_error::from_dir(Operation::Create, e))?;
        tree.find(&group_dn).map(|o| to_json(tree, kind, o, urls)).ok_or_else(KelvinError::internal)
    })
}

fn modify(
    app: &App,
    tree: &mut Tree,
    kind: Kind,
    urls: &Urls,
    key: &str,
    properties: Map<String, Value>,
    extra: Map<String, Value>,
) -> Result<Value, KelvinError> {
    let change = Change {
        properties,
        extra,
        ..Default::default()
    };
    let modified = directory::modify(tree, &app.catalog, key, change)
        .map_err(|e| udm_error::from_dir(Operation::Modify, e))?;
    tree.find(&modified.dn)
        .map(|o| to_json(tree, kind, o, urls))
        .ok_or_else(KelvinError::internal)
}

/// The school of an existing group as the handler sees it (classes: case-fixed, 404 if none).
fn path_school(tree: &Tree, kind: Kind, school: &str) -> Result<String, KelvinError> {
    match kind {
        Kind::Class => class_school(tree, school),
        Kind::Workgroup => Ok(school.to_string()),
    }
}

/// `PUT`: the body replaces the group; moving to another school is refused.
pub(crate) fn replace(
    app: &App,
    kind: Kind,
    version: ApiVersion,
    urls: &Urls,
    path: (&str, &str),
    body: GroupBody,
) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        let school = path_school(tree, kind, path.0)?;
        let body_school = refs::name(version, RefKind::School, &body.school)?;
        let moved = match kind {
            Kind::Class => school.to_lowercase() != body_school.to_lowercase(),
            Kind::Workgroup => school != body_school,
        };
        if moved {
            return Err(KelvinError::unprocessable(match kind {
                Kind::Class => "Moving of class to other school is not allowed.",
                Kind::Workgroup => "Moving a workgroup to another school is not allowed.",
            }));
        }
        let object = find(tree, kind, &school, path.1)
            .ok_or_else(|| not_found(&format!("{school}-{}", path.1)))?;
        let key = dn::key_of_canonical(&object.dn);
        let members = member_dns(tree, version, &body.users)?;
        if kind == Kind::Workgroup {
            let errors = sender_errors(&body.allowed_users, &body.allowed_groups);
            if !errors.is_empty() {
                return Err(KelvinError::bad_request(repr_errors(&errors)));
            }
        }
        let mut props = properties(kind, &school, &body, members);
        props.insert(
            "ucsschoolRole".into(),
            json!([format!("{}:school:{school}", kind.role())]),
        );
        let mut extra = Map::new();
        extra.insert("create_share".into(), json!(body.create_share));
        modify(app, tree, kind, urls, &key, props, extra)
    })
}

/// `ucsschool_roles` of a PATCH: as sent, and the lib adds the kind's role back.
fn patched_roles(kind: Kind, school: &str, roles: &[String]) -> Vec<String> {
    let own = format!("{}:school:{school}", kind.role());
    let mut out = roles.to_vec();
    if !out.iter().any(|r| r.eq_ignore_ascii_case(&own)) {
        out.push(own);
    }
    out
}

fn patch_properties(
    tree: &Tree,
    kind: Kind,
    version: ApiVersion,
    school: &str,
    patch: &GroupPatch,
) -> Result<Map<String, Value>, KelvinError> {
    let mut props = Map::new();
    match &patch.name {
        Opt::Set(n) => props.insert("name".into(), json!(format!("{school}-{n}"))),
        // `f"{school}-{None}"`: the server renames the group to `<school>-None`
        Opt::Null => props.insert("name".into(), json!(format!("{school}-None"))),
        Opt::Absent => None,
    };
    if patch.description.is_given() {
        props.insert("description".into(), json!(patch.description.value()));
    }
    match &patch.ucsschool_roles {
        Opt::Set(roles) => {
            props.insert(
                "ucsschoolRole".into(),
                json!(patched_roles(kind, school, roles)),
            );
        }
        // the lib iterates the roles: `TypeError: 'NoneType' object is not iterable`
        Opt::Null => return Err(KelvinError::internal()),
        Opt::Absent => {}
    }
    // `users: null` is ignored (deprecated), not a removal of all members
    if let Opt::Set(users) = &patch.users {
        props.insert("users".into(), json!(member_dns(tree, version, users)?));
    }
    if patch.email.is_given() {
        props.insert(
            "mailAddress".into(),
            json!(patch.email.value().filter(|e| !e.is_empty())),
        );
    }
    for (property, value) in [
        ("allowedEmailUsers", &patch.allowed_users),
        ("allowedEmailGroups", &patch.allowed_groups),
    ] {
        if let Opt::Set(list) = value {
            props.insert(property.into(), json!(list));
        }
    }
    Ok(props)
}

/// `PATCH`: only the given fields change.
pub(crate) fn change(
    app: &App,
    kind: Kind,
    version: ApiVersion,
    urls: &Urls,
    path: (&str, &str),
    patch: GroupPatch,
) -> Result<Value, KelvinError> {
    app.store.write(|tree| {
        let school = path_school(tree, kind, path.0)?;
        let object = find(tree, kind, &school, path.1)
            .ok_or_else(|| not_found(&format!("{school}-{}", path.1)))?;
        let key = dn::key_of_canonical(&object.dn);
        let props = patch_properties(tree, kind, version, &school, &patch)?;
        let errors = sender_errors(
            patch
                .allowed_users
                .value()
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            patch
                .allowed_groups
                .value()
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        );
        if !errors.is_empty() {
            return Err(KelvinError::bad_request(repr_errors(&errors)));
        }
        modify(app, tree, kind, urls, &key, props, Map::new())
    })
}

/// `DELETE` (no school check: an unknown school is the group's 404).
pub(crate) fn remove(
    app: &App,
    kind: Kind,
    school: &str,
    name: &str,
) -> Result<StatusCode, KelvinError> {
    app.store.write(|tree| {
        let key = find(tree, kind, school, name)
            .map(|o| dn::key_of_canonical(&o.dn))
            .ok_or_else(|| not_found(&format!("{school}-{name}")))?;
        directory::delete(tree, &key, true).map_err(dir_error)?;
        Ok(StatusCode::NO_CONTENT)
    })
}
