//! Class and workgroup documents, lookup and search. v1 reads the directory
//! (`SchoolClassModel._from_lib_model_kwargs`); v2 builds the same document from its
//! database (`v2/school_class.py`, `_group_to_school_class_model`): members and roles sorted,
//! `create_share` as stored.

use super::kind::{not_found, Kind};
use crate::kelvin::error::{loc, KelvinError, ValidationError};
use crate::kelvin::urls::Urls;
use crate::pattern::Pattern;
use crate::query;
use crate::school_layout::{self, GroupKind};
use crate::store::{Object, Tree};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// School and name (without the `<school>-` prefix) of a class or workgroup, from its DN.
pub(crate) fn names(object: &Object, base: &str) -> (String, String) {
    match school_layout::classify_group(&object.dn, base) {
        GroupKind::Class(s, n) | GroupKind::Workgroup(s, n) => (s, n),
        _ => (
            String::new(),
            object.prop_str("name").unwrap_or("").to_string(),
        ),
    }
}

fn member_urls(tree: &Tree, object: &Object, urls: &Urls, v2: bool) -> Vec<String> {
    let members = object.prop_list("users");
    let mut out: Vec<String> = if v2 {
        members
            .iter()
            .filter_map(|m| tree.get(&dn::key_of_canonical(m)))
            .filter_map(|o| o.prop_str("username").map(|u| urls.user(u)))
            .collect()
    } else {
        // v1: the first RDN value of each member DN (`name_from_dn`), in stored order
        members
            .iter()
            .filter_map(|m| dn::rdn_value(m))
            .map(|u| urls.user(&u))
            .collect()
    };
    if v2 {
        out.sort();
    }
    out
}

/// The `SchoolClassModel` / `WorkGroupModel` document.
pub(crate) fn to_json(tree: &Tree, kind: Kind, object: &Object, urls: &Urls) -> Value {
    let (school, name) = names(object, tree.base_dn());
    let v2 = urls.version() == "v2";
    let mut roles = object.prop_list("ucsschoolRole");
    if v2 {
        roles.retain(|r| r.split(':').nth(1) == Some("school"));
        roles.sort();
    }
    let create_share = if v2 {
        object
            .extra
            .get("create_share")
            .cloned()
            .unwrap_or(json!(true))
    } else {
        json!(true)
    };
    let mut doc = Map::new();
    doc.insert("dn".into(), json!(object.dn));
    doc.insert("url".into(), json!(kind.url(urls, &school, &name)));
    doc.insert("ucsschool_roles".into(), json!(roles));
    doc.insert("udm_properties".into(), json!({}));
    doc.insert("name".into(), json!(name));
    doc.insert("school".into(), json!(urls.school(&school)));
    doc.insert("description".into(), json!(object.prop_str("description")));
    doc.insert("users".into(), json!(member_urls(tree, object, urls, v2)));
    doc.insert("create_share".into(), create_share);
    if kind == Kind::Workgroup {
        doc.insert("email".into(), json!(object.prop_str("mailAddress")));
        for (key, property) in [
            ("allowed_email_senders_users", "allowedEmailUsers"),
            ("allowed_email_senders_groups", "allowedEmailGroups"),
        ] {
            let mut list = object.prop_list(property);
            if v2 {
                list.sort();
            }
            doc.insert(key.into(), json!(list));
        }
    }
    Value::Object(doc)
}

/// The group at `<school>-<name>` of that kind.
pub(crate) fn find<'a>(tree: &'a Tree, kind: Kind, school: &str, name: &str) -> Option<&'a Object> {
    let key = dn::key_of_canonical(&kind.dn(school, name, tree.base_dn()));
    tree.get(&key).filter(|o| o.module == "groups/group")
}

fn is_kind(tree: &Tree, kind: Kind, object: &Object) -> bool {
    match school_layout::classify_group(&object.dn, tree.base_dn()) {
        GroupKind::Class(..) => kind == Kind::Class,
        GroupKind::Workgroup(..) => kind == Kind::Workgroup,
        _ => false,
    }
}

/// `GET /{school}/{name}`. v1 looks the DN up (case-insensitively); v2 matches
/// `<school>-<name>` case-insensitively among all groups of the kind and names only the
/// unprefixed name in its 404.
pub(crate) fn get(
    tree: &Tree,
    kind: Kind,
    urls: &Urls,
    school: &str,
    name: &str,
) -> Result<Value, KelvinError> {
    if urls.version() == "v2" {
        let wanted = format!("{school}-{name}").to_lowercase();
        return tree
            .of_module("groups/group")
            .filter(|o| is_kind(tree, kind, o))
            .find(|o| {
                o.prop_str("name")
                    .is_some_and(|n| n.to_lowercase() == wanted)
            })
            .map(|o| to_json(tree, kind, o, urls))
            .ok_or_else(|| not_found(name));
    }
    find(tree, kind, school, name)
        .map(|o| to_json(tree, kind, o, urls))
        .ok_or_else(|| not_found(&format!("{school}-{name}")))
}

/// A search's parameters.
pub(crate) struct SearchQuery {
    school: String,
    name: Option<String>,
}

/// `school` (required, at least 2 characters) and `name` (optional; empty = no filter).
pub(crate) fn search_query(raw: Option<&str>) -> Result<SearchQuery, KelvinError> {
    let pairs = query::parse(raw);
    let school = match query::last(&pairs, "school") {
        None => {
            return Err(KelvinError::validation(vec![ValidationError::missing(
                loc(&["query", "school"]),
            )]))
        }
        Some(s) if s.chars().count() < 2 => {
            return Err(KelvinError::validation(vec![ValidationError::at(
                &["query", "school"],
                "ensure this value has at least 2 characters",
                "value_error.any_str.min_length",
            )
            .with_ctx(json!({"limit_value": 2}))]))
        }
        Some(s) => s.to_string(),
    };
    let name = query::last(&pairs, "name")
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    Ok(SearchQuery { school, name })
}

/// Search below one school. v1 searches the school's container through UDM, which refuses an
/// unknown base; v2 filters its database by the exact school name.
pub(crate) fn search(
    tree: &Tree,
    kind: Kind,
    urls: &Urls,
    q: &SearchQuery,
) -> Result<Value, KelvinError> {
    let v2 = urls.version() == "v2";
    let container = dn::key_of_canonical(&kind.container(&q.school, tree.base_dn()));
    if !v2 && !tree.contains(&container) {
        return Err(KelvinError::udm(
            "APICommunicationError",
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(None, json!("Unprocessable Entity"))],
        ));
    }
    let pattern = q
        .name
        .as_ref()
        .map(|n| Pattern::wildcard(&format!("{}-{n}", q.school)));
    let mut found: Vec<&Object> = tree
        .of_module("groups/group")
        .filter(|o| dn::parent(&o.dn).to_lowercase() == container && is_kind(tree, kind, o))
        .filter(|o| !v2 || names(o, tree.base_dn()).0 == q.school)
        .filter(|o| {
            pattern
                .as_ref()
                .is_none_or(|p| o.prop_str("name").is_some_and(|n| p.matches(n)))
        })
        .collect();
    if v2 {
        found.sort_by_key(|o| o.prop_str("name").unwrap_or("").to_string());
    }
    Ok(Value::from(
        found
            .into_iter()
            .map(|o| to_json(tree, kind, o, urls))
            .collect::<Vec<_>>(),
    ))
}
