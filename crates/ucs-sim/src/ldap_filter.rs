//! LDAP search filters evaluated against an object's properties. The grammar is
//! `ucs_ldap::Filter` (the one parser of the workspace); this module compiles a parsed filter
//! into a [`Matcher`] and evaluates it.
//!
//! Comparisons are case-insensitive; `~=` is case-insensitive equality; `>=` and `<=`
//! compare numerically when both sides are integers. The empty filter matches everything.

use crate::pattern::Pattern;
use ucs_ldap::Filter;

/// A filter ready for evaluation (values lower-cased, wildcards compiled).
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Matches everything (the empty filter).
    Any,
    /// All sub-filters match.
    And(Vec<Matcher>),
    /// At least one sub-filter matches.
    Or(Vec<Matcher>),
    /// The sub-filter does not match.
    Not(Box<Matcher>),
    /// The attribute has a non-empty value.
    Present(String),
    /// A value equals the (lower-cased) assertion, ignoring case.
    Equal(String, String),
    /// A value matches the wildcard pattern.
    Substring(String, Pattern),
    /// A value is greater than or equal.
    GreaterOrEqual(String, String),
    /// A value is less than or equal.
    LessOrEqual(String, String),
}

/// Parses and compiles a filter text; the empty text matches everything.
pub fn parse(input: &str) -> Result<Matcher, ucs_ldap::FilterError> {
    if input.trim().is_empty() {
        return Ok(Matcher::Any);
    }
    input.parse::<Filter>().map(|f| compile(&f))
}

fn compile(filter: &Filter) -> Matcher {
    let list = |items: &[Filter]| items.iter().map(compile).collect();
    match filter {
        Filter::And(items) => Matcher::And(list(items)),
        Filter::Or(items) => Matcher::Or(list(items)),
        Filter::Not(inner) => Matcher::Not(Box::new(compile(inner))),
        Filter::Present(attr) => Matcher::Present(attr.clone()),
        Filter::Eq(attr, value) | Filter::Approx(attr, value) => {
            Matcher::Equal(attr.clone(), value.to_lowercase())
        }
        Filter::Wildcard(attr, parts) => {
            Matcher::Substring(attr.clone(), Pattern::from_pieces(parts.clone()))
        }
        Filter::GreaterOrEqual(attr, value) => Matcher::GreaterOrEqual(attr.clone(), value.clone()),
        Filter::LessOrEqual(attr, value) => Matcher::LessOrEqual(attr.clone(), value.clone()),
        // parsing never produces a raw filter; one that is not understood matches nothing
        Filter::Raw(_) => Matcher::Or(Vec::new()),
    }
}

fn compare(left: &str, right: &str) -> std::cmp::Ordering {
    match (left.trim().parse::<i64>(), right.trim().parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => left.to_lowercase().cmp(&right.to_lowercase()),
    }
}

impl Matcher {
    /// Evaluates the filter; `values(attr)` returns the attribute's values as strings (empty
    /// when the attribute is absent or empty).
    pub fn matches(&self, values: &dyn Fn(&str) -> Vec<String>) -> bool {
        use std::cmp::Ordering;
        match self {
            Matcher::Any => true,
            Matcher::And(items) => items.iter().all(|f| f.matches(values)),
            Matcher::Or(items) => items.iter().any(|f| f.matches(values)),
            Matcher::Not(inner) => !inner.matches(values),
            Matcher::Present(attr) => values(attr).iter().any(|v| !v.is_empty()),
            Matcher::Equal(attr, expected) => {
                values(attr).iter().any(|v| v.to_lowercase() == *expected)
            }
            Matcher::Substring(attr, pattern) => values(attr).iter().any(|v| pattern.matches(v)),
            Matcher::GreaterOrEqual(attr, bound) => values(attr)
                .iter()
                .any(|v| compare(v, bound) != Ordering::Less),
            Matcher::LessOrEqual(attr, bound) => values(attr)
                .iter()
                .any(|v| compare(v, bound) != Ordering::Greater),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn object(pairs: &[(&str, &[&str])]) -> HashMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, vs)| (k.to_lowercase(), vs.iter().map(|v| v.to_string()).collect()))
            .collect()
    }

    fn eval(filter: &str, obj: &HashMap<String, Vec<String>>) -> bool {
        let f = parse(filter).unwrap_or_else(|e| panic!("{e}"));
        f.matches(&|attr: &str| obj.get(&attr.to_lowercase()).cloned().unwrap_or_default())
    }

    #[test]
    fn boolean_operators_presence_and_substrings() {
        let user = object(&[
            ("username", &["demo_student"]),
            ("firstname", &["Demo"]),
            ("e-mail", &["a@example.com", "b@example.com"]),
            ("uidNumber", &["2001"]),
        ]);
        assert!(eval("(username=demo_student)", &user));
        assert!(eval("username=DEMO_student", &user));
        assert!(eval("(&(username=demo*)(firstname=*em*))", &user));
        assert!(eval("(|(username=nobody)(e-mail=b@*))", &user));
        assert!(eval("(!(username=nobody))", &user));
        assert!(eval("(firstname=*)", &user));
        assert!(!eval("(lastname=*)", &user));
        assert!(eval("(uidNumber>=2000)", &user));
        assert!(!eval("(uidNumber<=999)", &user));
        assert!(eval("(uidNumber<=10000)", &user));
        assert!(eval("(firstname~=demo)", &user));
        assert!(eval("", &user));
        assert!(eval("(&)", &user), "RFC 4526: an empty AND is true");
        assert!(!eval("(|)", &user), "RFC 4526: an empty OR is false");
    }

    #[test]
    fn escapes_are_literal_characters() {
        let obj = object(&[("name", &["a*b(c)\\d"])]);
        assert!(eval("(name=a\\2ab\\28c\\29\\5cd)", &obj));
        assert!(!eval("(name=a\\2a)", &obj));
        assert!(eval("(name=a\\2a*)", &obj));
        let nul = object(&[("name", &["x\0y"])]);
        assert!(eval("(name=x\\00y)", &nul));
        let uml = object(&[("name", &["Müller"])]);
        assert!(eval("(name=M\\c3\\bcller)", &uml));
    }
}
