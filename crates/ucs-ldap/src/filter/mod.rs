//! LDAP search filters (RFC 4515): the AST, a builder that escapes values, `Display`, and
//! (feature `parse`) `FromStr`.

#[cfg(feature = "parse")]
mod parse;

use std::fmt;

#[cfg(feature = "parse")]
pub use parse::{FilterError, MAX_FILTER_DEPTH};

/// An LDAP search filter. Values are escaped when written (`*` `(` `)` `\` NUL), so user
/// input can never change the filter's structure; use [`Filter::wildcard`] for patterns and
/// [`Filter::raw`] for a filter text taken as given.
///
/// ```
/// use ucs_ldap::Filter;
/// let f = Filter::and([
///     Filter::eq("lastname", "O*Brien (Jr.)"),
///     Filter::present("mailPrimaryAddress"),
///     Filter::not(Filter::eq("disabled", "1")),
///     Filter::starts_with("username", "j"),
/// ]);
/// assert_eq!(
///     f.to_string(),
///     r"(&(lastname=O\2aBrien \28Jr.\29)(mailPrimaryAddress=*)(!(disabled=1))(username=j*))"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `(attr=value)`.
    Eq(String, String),
    /// `(attr=*)`: the attribute has a value.
    Present(String),
    /// `(attr=p1*p2*...)`: literal parts with a wildcard between each two; an empty first
    /// or last part leaves that end open. Two or more parts.
    Wildcard(String, Vec<String>),
    /// `(attr>=value)`.
    GreaterOrEqual(String, String),
    /// `(attr<=value)`.
    LessOrEqual(String, String),
    /// `(attr~=value)`: approximate match (servers decide what that means).
    Approx(String, String),
    /// `(&...)`: all of them (`(&)` is true, RFC 4526).
    And(Vec<Filter>),
    /// `(|...)`: any of them (`(|)` is false, RFC 4526).
    Or(Vec<Filter>),
    /// `(!...)`.
    Not(Box<Filter>),
    /// A filter text written as given (not escaped; never produced by parsing).
    Raw(String),
}

/// Escapes a value for use in a filter (RFC 4515, section 3).
pub fn escape_filter_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '*' => out.push_str("\\2a"),
            '(' => out.push_str("\\28"),
            ')' => out.push_str("\\29"),
            '\\' => out.push_str("\\5c"),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
    out
}

impl Filter {
    /// `(attr=value)`, the value taken literally.
    pub fn eq(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::Eq(attr.into(), value.into())
    }

    /// `(attr=*)`.
    pub fn present(attr: impl Into<String>) -> Filter {
        Filter::Present(attr.into())
    }

    /// `(attr=value*)`.
    pub fn starts_with(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::Wildcard(attr.into(), vec![value.into(), String::new()])
    }

    /// `(attr=*value)`.
    pub fn ends_with(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::Wildcard(attr.into(), vec![String::new(), value.into()])
    }

    /// `(attr=*value*)`.
    pub fn contains(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::Wildcard(
            attr.into(),
            vec![String::new(), value.into(), String::new()],
        )
    }

    /// `(attr=p1*p2*...)`: literal parts with wildcards between them (one part is an
    /// equality).
    pub fn wildcard(
        attr: impl Into<String>,
        parts: impl IntoIterator<Item = impl Into<String>>,
    ) -> Filter {
        let attr = attr.into();
        let mut parts: Vec<String> = parts.into_iter().map(Into::into).collect();
        match parts.len() {
            0 => Filter::Eq(attr, String::new()),
            1 => Filter::Eq(attr, parts.remove(0)),
            _ => Filter::Wildcard(attr, parts),
        }
    }

    /// `(attr>=value)`.
    pub fn ge(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::GreaterOrEqual(attr.into(), value.into())
    }

    /// `(attr<=value)`.
    pub fn le(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::LessOrEqual(attr.into(), value.into())
    }

    /// `(attr~=value)`.
    pub fn approx(attr: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::Approx(attr.into(), value.into())
    }

    /// All of the filters.
    pub fn and(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::And(filters.into_iter().collect())
    }

    /// Any of the filters.
    pub fn or(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::Or(filters.into_iter().collect())
    }

    /// The negation.
    #[allow(clippy::should_implement_trait)]
    pub fn not(filter: Filter) -> Filter {
        Filter::Not(Box::new(filter))
    }

    /// A hand-written filter text, written as given (wrapped in parentheses when it has
    /// none).
    pub fn raw(filter: impl Into<String>) -> Filter {
        Filter::Raw(filter.into())
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Eq(a, v) => write!(f, "({a}={})", escape_filter_value(v)),
            Filter::Present(a) => write!(f, "({a}=*)"),
            Filter::Wildcard(a, parts) => {
                write!(f, "({a}=")?;
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("*")?;
                    }
                    f.write_str(&escape_filter_value(part))?;
                }
                f.write_str(")")
            }
            Filter::GreaterOrEqual(a, v) => write!(f, "({a}>={})", escape_filter_value(v)),
            Filter::LessOrEqual(a, v) => write!(f, "({a}<={})", escape_filter_value(v)),
            Filter::Approx(a, v) => write!(f, "({a}~={})", escape_filter_value(v)),
            Filter::And(list) => write_list(f, '&', list),
            Filter::Or(list) => write_list(f, '|', list),
            Filter::Not(inner) => write!(f, "(!{inner})"),
            Filter::Raw(text) if text.starts_with('(') => f.write_str(text),
            Filter::Raw(text) => write!(f, "({text})"),
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, op: char, list: &[Filter]) -> fmt::Result {
    write!(f, "({op}")?;
    for item in list {
        write!(f, "{item}")?;
    }
    f.write_str(")")
}
