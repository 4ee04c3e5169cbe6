//! `GET /users/` (v1: `kelvin/routers/v1/user.py`, `search` and
//! `search_query_params_to_udm_filter`; v2: `v2/user.py`, `_build_query`).
//!
//! v1 builds one UDM filter: the type filter of the lib class of `roles` (only six role sets
//! are accepted; without `roles` every school user but exam users), `ucsschoolSchool`, and one
//! equality per parameter that is a lib attribute or a configured UDM property (others are
//! ignored; a repeated parameter counts with its last value, `ucsschool_roles` with all,
//! ANDed). Matching is LDAP's: case-insensitive, `*` anywhere. v2 queries its database: no
//! `roles`, empty values are no filter, `record_uid`/`source_uid` case-sensitive.

use super::class::UserClass;
use super::state::{self, GroupKinds, UserState};
use crate::directory::{values, view};
use crate::kelvin::error::{KelvinError, ValidationError};
use crate::kelvin::fields::coerce_bool;
use crate::pattern::Pattern;
use crate::query;
use crate::store::{Object, Tree};
use serde_json::{json, Value};
use ucs_ldap::Role;

/// One condition on a user.
enum Condition {
    /// A UDM property matches (LDAP-like: case-insensitive, `*` wildcards).
    Property(String, Pattern),
    /// A property equals, case-sensitively (v2 `record_uid`/`source_uid` without `*`).
    Exact(String, String),
    /// `disabled`.
    Disabled(bool),
    /// Never true (a filter on an attribute UDM cannot search).
    Nothing,
}

/// The parsed search.
pub(crate) struct Search {
    class: Option<UserClass>,
    school: Option<Pattern>,
    conditions: Vec<Condition>,
}

/// Lib attributes of `ImportUser` and their UDM properties (`None`: not searchable).
const ATTRIBUTES: [(&str, Option<&str>); 15] = [
    ("name", Some("username")),
    ("school", None),
    ("schools", Some("school")),
    ("firstname", Some("firstname")),
    ("lastname", Some("lastname")),
    ("birthday", Some("birthday")),
    ("expiration_date", Some("userexpiry")),
    ("email", Some("mailPrimaryAddress")),
    ("password", Some("password")),
    ("disabled", Some("disabled")),
    ("school_classes", None),
    ("workgroups", None),
    ("ucsschool_roles", Some("ucsschoolRole")),
    ("record_uid", Some("ucsschoolRecordUID")),
    ("source_uid", Some("ucsschoolSourceUID")),
];

/// Every value of a repeated query parameter, in order.
fn all_values<'a>(pairs: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

const ENUM: [&str; 5] = [
    "school_admin",
    "staff",
    "student",
    "legal_guardian",
    "teacher",
];

fn enum_error(i: usize) -> ValidationError {
    ValidationError::new(
        vec![json!("query"), json!("roles"), json!(i)],
        "value is not a valid enumeration member; permitted: 'school_admin', 'staff', 'student', 'legal_guardian', 'teacher'",
        "type_error.enum",
    )
    .with_ctx(json!({"enum_values": ENUM}))
}

/// pydantic's `date` of a query value: `YYYY-M-D` normalised.
fn query_date(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split('-').collect();
    let ok = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() != 3 || !ok(parts[0], 4, 4) || !ok(parts[1], 1, 2) || !ok(parts[2], 1, 2) {
        return None;
    }
    let iso = format!("{}-{:0>2}-{:0>2}", parts[0], parts[1], parts[2]);
    chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d")
        .ok()
        .map(|_| iso)
}

fn query_errors(pairs: &[(String, String)], v2: bool) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let last = |k| query::last(pairs, k);
    if let Some(email) = last("email").filter(|_| !v2) {
        let chars: Vec<char> = email.chars().collect();
        let matches =
            (1..chars.len().saturating_sub(1)).any(|i| chars[i] == '@') && !email.contains('\n');
        if !matches {
            errors.push(
                ValidationError::at(
                    &["query", "email"],
                    "string does not match regex \"^.+@.+$\"",
                    "value_error.str.regex",
                )
                .with_ctx(json!({"pattern": "^.+@.+$"})),
            );
        }
    }
    for key in ["birthday", "expiration_date"] {
        if last(key).is_some_and(|v| query_date(v).is_none()) {
            errors.push(ValidationError::at(
                &["query", key],
                "invalid date format",
                "value_error.date",
            ));
        }
    }
    if last("disabled").is_some_and(|v| coerce_bool(&json!(v)).is_none()) {
        errors.push(ValidationError::at(
            &["query", "disabled"],
            "value could not be parsed to a boolean",
            "type_error.bool",
        ));
    }
    if !v2 {
        for (i, value) in all_values(pairs, "roles").iter().enumerate() {
            if !ENUM.contains(value) {
                errors.push(enum_error(i));
            }
        }
    }
    errors
}

/// The lib class of a `roles` set; other sets are the route's 422.
fn role_class(names: &[&str]) -> Result<Option<UserClass>, KelvinError> {
    if names.is_empty() {
        return Ok(None);
    }
    let roles: Vec<Role> = names.iter().filter_map(|n| n.parse().ok()).collect();
    let mut set = roles.clone();
    set.sort_by_key(|r| r.as_str());
    set.dedup();
    let allowed = matches!(set.as_slice(), [_]) || set == [Role::Staff, Role::Teacher];
    if !allowed {
        let items: Vec<String> = roles
            .iter()
            .map(|r| format!("<SchoolUserRole.{0}: '{0}'>", r.as_str()))
            .collect();
        return Err(KelvinError::unprocessable(format!(
            "Unknown value for 'roles' property: [{}]",
            items.join(", ")
        )));
    }
    Ok(UserClass::for_roles(&set))
}

fn condition_v1(key: &str, value: &str, mapped: &[String]) -> Option<Condition> {
    let property = match ATTRIBUTES.iter().find(|(a, _)| *a == key) {
        Some((_, None)) => return Some(Condition::Nothing),
        Some((_, Some(p))) => p.to_string(),
        None if mapped.iter().any(|m| m == key) => key.to_string(),
        None => return None,
    };
    Some(match key {
        "disabled" => Condition::Disabled(coerce_bool(&json!(value)).unwrap_or(false)),
        "birthday" | "expiration_date" => {
            Condition::Exact(property, query_date(value).unwrap_or_default())
        }
        _ => Condition::Property(property, Pattern::wildcard(value)),
    })
}

/// Reads a v1 search (422s of the query first, then the roles set).
pub(crate) fn parse_v1(raw: Option<&str>, mapped: &[String]) -> Result<Search, KelvinError> {
    let pairs = query::parse(raw);
    let errors = query_errors(&pairs, false);
    if !errors.is_empty() {
        return Err(KelvinError::validation(errors));
    }
    let class = role_class(&all_values(&pairs, "roles"))?;
    let mut conditions = Vec::new();
    for value in all_values(&pairs, "ucsschool_roles") {
        conditions.push(Condition::Property(
            "ucsschoolRole".into(),
            Pattern::wildcard(value),
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (key, _) in pairs.iter().rev() {
        if matches!(key.as_str(), "school" | "roles" | "ucsschool_roles")
            || seen.contains(&key.as_str())
        {
            continue;
        }
        seen.push(key);
        if let Some(c) = query::last(&pairs, key).and_then(|v| condition_v1(key, v, mapped)) {
            conditions.push(c);
        }
    }
    let school = query::last(&pairs, "school")
        .filter(|s| !s.is_empty())
        .map(Pattern::wildcard);
    Ok(Search {
        class,
        school,
        conditions,
    })
}

/// Reads a v2 search (`_KNOWN_SEARCH_PARAMS` plus configured UDM properties).
pub(crate) fn parse_v2(raw: Option<&str>, mapped: &[String]) -> Result<Search, KelvinError> {
    let pairs = query::parse(raw);
    let errors = query_errors(&pairs, true);
    if !errors.is_empty() {
        return Err(KelvinError::validation(errors));
    }
    let mut conditions = Vec::new();
    for (key, property) in [
        ("name", "username"),
        ("firstname", "firstname"),
        ("lastname", "lastname"),
        ("email", "mailPrimaryAddress"),
    ] {
        if let Some(v) = query::last(&pairs, key).filter(|v| !v.is_empty()) {
            conditions.push(Condition::Property(property.into(), Pattern::wildcard(v)));
        }
    }
    for (key, property) in [
        ("record_uid", "ucsschoolRecordUID"),
        ("source_uid", "ucsschoolSourceUID"),
    ] {
        match query::last(&pairs, key).filter(|v| !v.is_empty()) {
            Some(v) if v.contains('*') => {
                conditions.push(Condition::Property(property.into(), Pattern::wildcard(v)))
            }
            Some(v) => conditions.push(Condition::Exact(property.into(), v.to_string())),
            None => {}
        }
    }
    for (key, property) in [("birthday", "birthday"), ("expiration_date", "userexpiry")] {
        if let Some(v) = query::last(&pairs, key) {
            conditions.push(Condition::Exact(
                property.into(),
                query_date(v).unwrap_or_default(),
            ));
        }
    }
    if let Some(v) = query::last(&pairs, "disabled") {
        conditions.push(Condition::Disabled(coerce_bool(&json!(v)).unwrap_or(false)));
    }
    for m in mapped {
        if let Some(v) = query::last(&pairs, m) {
            conditions.push(Condition::Property(m.clone(), Pattern::wildcard(v)));
        }
    }
    let school = query::last(&pairs, "school")
        .filter(|s| !s.is_empty())
        .map(Pattern::wildcard);
    Ok(Search {
        class: None,
        school,
        conditions,
    })
}

fn strings(tree: &Tree, object: &Object, property: &str) -> Vec<String> {
    view::property(tree, object, property)
        .map(|v| values::search_strings(&v))
        .unwrap_or_default()
}

fn holds(tree: &Tree, object: &Object, condition: &Condition) -> bool {
    match condition {
        Condition::Property(p, pattern) => {
            strings(tree, object, p).iter().any(|s| pattern.matches(s))
        }
        Condition::Exact(p, value) => strings(tree, object, p).iter().any(|s| s == value),
        Condition::Disabled(wanted) => {
            object
                .properties
                .get("disabled")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                == *wanted
        }
        Condition::Nothing => false,
    }
}

/// The lib class's `type_filter` (no class: every school user but exam users).
fn type_filter(object: &Object, class: Option<UserClass>) -> bool {
    let on = |o: &str| object.option(o);
    match class {
        None => UserClass::of_options(&object.options).is_some() && !on("ucsschoolExam"),
        Some(UserClass::Student) => on("ucsschoolStudent") && !on("ucsschoolExam"),
        Some(UserClass::Teacher) => on("ucsschoolTeacher") && !on("ucsschoolStaff"),
        Some(UserClass::Staff) => on("ucsschoolStaff") && !on("ucsschoolTeacher"),
        Some(UserClass::TeachersAndStaff) => on("ucsschoolStaff") && on("ucsschoolTeacher"),
        Some(UserClass::SchoolAdmin) => on("ucsschoolAdministrator"),
        Some(UserClass::LegalGuardian) => on("ucsschoolLegalGuardian"),
    }
}

/// The users a search finds, sorted by name (case-sensitive), with their lib view.
pub(crate) fn run<'a>(tree: &'a Tree, search: &Search, v2: bool) -> Vec<(&'a Object, UserState)> {
    let mut kinds = GroupKinds::default();
    let mut found: Vec<(&Object, UserState)> = tree
        .of_module("users/user")
        .filter(|o| {
            if v2 {
                state::is_school_user(o)
            } else {
                type_filter(o, search.class)
            }
        })
        .filter(|o| {
            search
                .school
                .as_ref()
                .is_none_or(|p| o.prop_list("school").iter().any(|s| p.matches(s)))
        })
        .filter(|o| search.conditions.iter().all(|c| holds(tree, o, c)))
        .filter_map(|o| state::read_with(tree, o, &mut kinds).map(|s| (o, s)))
        .collect();
    found.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    found
}
