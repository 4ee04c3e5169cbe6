//! The parameters of `GET <module>/` (the server's `Objects.get` sanitizers), checked into a
//! [`Search`].

use super::error::UdmError;
use super::invalid::Key;
use super::params::Values;
use crate::ldap_filter::{self, Matcher};

/// The LDAP scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The subtree.
    Sub,
    /// The children.
    One,
    /// The base entry.
    Base,
    /// The base entry and its children.
    BaseOne,
}

/// A checked search.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    /// Search base (`None`: the LDAP base).
    pub position: Option<String>,
    /// The raw `filter` (`query` is ignored when it is given).
    pub filter: Option<(String, Matcher)>,
    /// `query[<prop>]` values (asterisks collapsed).
    pub query: Vec<(String, String)>,
    /// The default property of a `query[]` without a name.
    pub property: Option<String>,
    /// The scope.
    pub scope: Scope,
    /// Include hidden objects.
    pub hidden: bool,
    /// Open the objects (properties, options, policies).
    pub opened: bool,
    /// The `properties` selection.
    pub properties: Vec<String>,
    /// The superordinate.
    pub superordinate: Option<String>,
    /// Descending.
    pub descending: bool,
    /// The `by` parameter.
    pub by: Option<String>,
    /// Page number (from 1).
    pub page: usize,
    /// Page size (`None` or 0: no paging).
    pub limit: Option<usize>,
}

/// The maximum number of `*` in a `query[...]` value.
const MAX_ASTERISKS: usize = 5;

fn collapse_asterisks(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if !(c == '*' && out.ends_with('*')) {
            out.push(c);
        }
    }
    out
}

fn filter(values: &mut Values) -> Option<(String, Matcher)> {
    let text = values.string("filter")?;
    if text.is_empty() {
        return None;
    }
    match ldap_filter::parse(&text) {
        Ok(m) => Some((text, m)),
        Err(_) => {
            values.add(&["filter".into()], "Not a valid LDAP search filter.");
            None
        }
    }
}

fn query(values: &mut Values) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (prop, value) in values.query_map() {
        let value = collapse_asterisks(&value);
        if value.matches('*').count() > MAX_ASTERISKS {
            values.add(
                &[Key::from("query"), Key::from(prop.as_str())],
                format!(
                    "The maximum number of asterisks (*) in the search string is {MAX_ASTERISKS}"
                ),
            );
            continue;
        }
        out.push((prop, value));
    }
    out
}

/// Checks the parameters of a search (`base`: the LDAP base).
pub(crate) fn parse(pairs: &[(String, String)], base: &str) -> Result<Search, UdmError> {
    let mut values = Values::new(pairs);
    let position = values.dn("position", base);
    let filter = filter(&mut values);
    let query = query(&mut values);
    let property = values.string("property");
    if let Some(p) = property.as_deref() {
        if !p
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ';')
        {
            values.add(&["property".into()], "Value is invalid");
        }
    }
    let scope = match values
        .choice("scope", &["sub", "one", "base", "base+one"], "sub")
        .as_str()
    {
        "one" => Scope::One,
        "base" => Scope::Base,
        "base+one" => Scope::BaseOne,
        _ => Scope::Sub,
    };
    let hidden = values.boolean("hidden", true);
    let opened = values.boolean("opened", true);
    let properties = values.list("properties");
    let superordinate = values.dn("superordinate", base);
    let descending = values.choice("dir", &["ASC", "DESC"], "ASC") == "DESC";
    let by = values.string("by").filter(|b| !b.is_empty());
    let page = values.integer("page", 1).unwrap_or(1);
    let limit = values.integer("limit", 0);
    values.finish()?;
    Ok(Search {
        position,
        filter,
        query,
        property,
        scope,
        hidden,
        opened,
        properties,
        superordinate,
        descending,
        by,
        page: usize::try_from(page).unwrap_or(usize::MAX),
        limit: limit.map(|l| usize::try_from(l).unwrap_or(usize::MAX)),
    })
}
