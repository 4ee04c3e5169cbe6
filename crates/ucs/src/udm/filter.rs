//! A small LDAP filter builder (RFC 4515) that escapes values.

use std::fmt;

/// An LDAP search filter. Values are escaped (`*` `(` `)` `\` NUL), so user
/// input can never change the filter's structure; use [`Filter::wildcard`]
/// or [`Filter::raw`] for patterns.
///
/// ```
/// use ucs::udm::Filter;
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
    /// `(attr=value)` with the value escaped.
    Eq(String, String),
    /// `(attr=*)`.
    Present(String),
    /// `(attr=a*b*c)`: the parts escaped, joined by `*`.
    Wildcard(String, Vec<String>),
    /// `(attr>=value)`.
    GreaterOrEqual(String, String),
    /// `(attr<=value)`.
    LessOrEqual(String, String),
    /// `(&...)`.
    And(Vec<Filter>),
    /// `(|...)`.
    Or(Vec<Filter>),
    /// `(!...)`.
    Not(Box<Filter>),
    /// A filter string used as given (not escaped).
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

    /// `(attr=p1*p2*...)`: literal parts with wildcards between them.
    pub fn wildcard(
        attr: impl Into<String>,
        parts: impl IntoIterator<Item = impl Into<String>>,
    ) -> Filter {
        Filter::Wildcard(attr.into(), parts.into_iter().map(Into::into).collect())
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

    /// A hand-written filter string, used as given.
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
                let parts: Vec<String> = parts.iter().map(|p| escape_filter_value(p)).collect();
                write!(f, "({a}={})", parts.join("*"))
            }
            Filter::GreaterOrEqual(a, v) => write!(f, "({a}>={})", escape_filter_value(v)),
            Filter::LessOrEqual(a, v) => write!(f, "({a}<={})", escape_filter_value(v)),
            Filter::And(list) | Filter::Or(list) => {
                f.write_str(if matches!(self, Filter::And(_)) {
                    "(&"
                } else {
                    "(|"
                })?;
                for item in list {
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
            Filter::Not(inner) => write!(f, "(!{inner})"),
            Filter::Raw(text) => {
                if text.starts_with('(') {
                    f.write_str(text)
                } else {
                    write!(f, "({text})")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(escape_filter_value(r"a*b(c)d\e"), r"a\2ab\28c\29d\5ce");
        assert_eq!(Filter::eq("cn", "x\0").to_string(), r"(cn=x\00)");
        assert_eq!(Filter::contains("cn", "*").to_string(), r"(cn=*\2a*)");
        assert_eq!(
            Filter::wildcard("cn", ["a", "b", "c"]).to_string(),
            "(cn=a*b*c)"
        );
        assert_eq!(Filter::ends_with("cn", "z").to_string(), "(cn=*z)");
    }

    #[test]
    fn composition_and_raw_filters() {
        let f = Filter::or([
            Filter::eq("a", "1"),
            Filter::raw("b=2"),
            Filter::raw("(c=3)"),
        ]);
        assert_eq!(f.to_string(), "(|(a=1)(b=2)(c=3))");
        assert_eq!(
            Filter::GreaterOrEqual("n".into(), "5".into()).to_string(),
            "(n>=5)"
        );
    }
}
