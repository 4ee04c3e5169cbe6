//! LDAP search filters (RFC 4515) evaluated against an object's properties.
//!
//! Supported: `&`, `|`, `!`, equality, presence (`attr=*`), substrings (`*` anywhere),
//! `>=`, `<=`, `~=` (treated as case-insensitive equality) and the escapes `\2a` `\28` `\29`
//! `\5c` `\00` (any `\XX`). A filter without the outer parentheses (`uid=foo`) is accepted,
//! as UDM does. Comparisons are case-insensitive.

use crate::pattern::Pattern;
use std::fmt;

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Matches everything (the empty filter).
    Any,
    /// All sub-filters match.
    And(Vec<Filter>),
    /// At least one sub-filter matches.
    Or(Vec<Filter>),
    /// The sub-filter does not match.
    Not(Box<Filter>),
    /// The attribute has a non-empty value.
    Present(String),
    /// A value equals (case-insensitively) the assertion.
    Equal(String, String),
    /// A value matches the wildcard pattern.
    Substring(String, Pattern),
    /// A value is greater than or equal (numerically when both sides are integers).
    GreaterOrEqual(String, String),
    /// A value is less than or equal (numerically when both sides are integers).
    LessOrEqual(String, String),
}

/// Why a filter could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// What is wrong, with the byte position.
    pub reason: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for FilterError {}

struct Parser<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Parses a filter string.
pub fn parse(input: &str) -> Result<Filter, FilterError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(Filter::Any);
    }
    let wrapped;
    let text = if trimmed.starts_with('(') {
        trimmed
    } else {
        wrapped = format!("({trimmed})");
        wrapped.as_str()
    };
    let mut parser = Parser {
        input: text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let filter = parser.filter()?;
    parser.skip_spaces();
    if parser.pos != parser.bytes.len() {
        return Err(parser.error("unexpected text after the filter"));
    }
    Ok(filter)
}

impl Parser<'_> {
    fn error(&self, what: &str) -> FilterError {
        FilterError {
            reason: format!(
                "invalid LDAP filter {:?}: {what} at position {}",
                self.input, self.pos
            ),
        }
    }

    fn skip_spaces(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] == b' ' {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), FilterError> {
        self.skip_spaces();
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {:?}", char::from(b))))
        }
    }

    fn filter(&mut self) -> Result<Filter, FilterError> {
        self.expect(b'(')?;
        self.skip_spaces();
        let filter = match self.bytes.get(self.pos) {
            Some(b'&') => {
                self.pos += 1;
                Filter::And(self.list()?)
            }
            Some(b'|') => {
                self.pos += 1;
                Filter::Or(self.list()?)
            }
            Some(b'!') => {
                self.pos += 1;
                Filter::Not(Box::new(self.filter()?))
            }
            Some(_) => self.item()?,
            None => return Err(self.error("unexpected end")),
        };
        self.expect(b')')?;
        Ok(filter)
    }

    fn list(&mut self) -> Result<Vec<Filter>, FilterError> {
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match self.bytes.get(self.pos) {
                Some(b'(') => items.push(self.filter()?),
                Some(b')') if !items.is_empty() => return Ok(items),
                _ => return Err(self.error("expected a parenthesised filter")),
            }
        }
    }

    fn item(&mut self) -> Result<Filter, FilterError> {
        let start = self.pos;
        while self.pos < self.bytes.len()
            && !matches!(
                self.bytes[self.pos],
                b'=' | b'>' | b'<' | b'~' | b'(' | b')'
            )
        {
            self.pos += 1;
        }
        let attr = self.input[start..self.pos].trim().to_string();
        if attr.is_empty()
            || !attr
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ';' | ':'))
        {
            return Err(self.error("invalid attribute name"));
        }
        let op = match self.bytes.get(self.pos) {
            Some(b'=') => {
                self.pos += 1;
                "="
            }
            Some(b'>') | Some(b'<') | Some(b'~') => {
                let op = self.bytes[self.pos];
                if self.bytes.get(self.pos + 1) != Some(&b'=') {
                    return Err(self.error("expected '='"));
                }
                self.pos += 2;
                match op {
                    b'>' => ">=",
                    b'<' => "<=",
                    _ => "~=",
                }
            }
            _ => return Err(self.error("expected an operator")),
        };
        let pieces = self.value()?;
        match op {
            "=" if pieces.len() == 2 && pieces.iter().all(String::is_empty) => {
                Ok(Filter::Present(attr))
            }
            "=" if pieces.len() > 1 => Ok(Filter::Substring(attr, Pattern::from_pieces(pieces))),
            _ if pieces.len() > 1 => Err(self.error("wildcards are only allowed with '='")),
            "=" | "~=" => Ok(Filter::Equal(attr, pieces.concat())),
            ">=" => Ok(Filter::GreaterOrEqual(attr, pieces.concat())),
            _ => Ok(Filter::LessOrEqual(attr, pieces.concat())),
        }
    }

    /// Reads an assertion value up to the closing parenthesis, split at unescaped `*`.
    fn value(&mut self) -> Result<Vec<String>, FilterError> {
        let mut pieces = Vec::new();
        let mut current: Vec<u8> = Vec::new();
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated value")),
                Some(b')') => break,
                Some(b'(') => return Err(self.error("unescaped '(' in value")),
                Some(b'*') => {
                    pieces.push(self.utf8(std::mem::take(&mut current))?);
                    self.pos += 1;
                }
                Some(b'\\') => {
                    let hi = self.bytes.get(self.pos + 1).copied();
                    let lo = self.bytes.get(self.pos + 2).copied();
                    match (hi, lo) {
                        (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                            current.push(hex(h) * 16 + hex(l));
                            self.pos += 3;
                        }
                        (Some(other), _) => {
                            // lenient: `\*` and friends mean the character itself
                            current.push(other);
                            self.pos += 2;
                        }
                        (None, _) => return Err(self.error("dangling escape")),
                    }
                }
                Some(&b) => {
                    current.push(b);
                    self.pos += 1;
                }
            }
        }
        pieces.push(self.utf8(current)?);
        Ok(pieces)
    }

    fn utf8(&self, bytes: Vec<u8>) -> Result<String, FilterError> {
        String::from_utf8(bytes).map_err(|_| self.error("value is not UTF-8"))
    }
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

fn compare(left: &str, right: &str) -> std::cmp::Ordering {
    match (left.trim().parse::<i64>(), right.trim().parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => left.to_lowercase().cmp(&right.to_lowercase()),
    }
}

impl Filter {
    /// Evaluates the filter; `values(attr)` returns the attribute's values as strings (empty
    /// when the attribute is absent or empty).
    pub fn matches(&self, values: &dyn Fn(&str) -> Vec<String>) -> bool {
        match self {
            Filter::Any => true,
            Filter::And(items) => items.iter().all(|f| f.matches(values)),
            Filter::Or(items) => items.iter().any(|f| f.matches(values)),
            Filter::Not(inner) => !inner.matches(values),
            Filter::Present(attr) => values(attr).iter().any(|v| !v.is_empty()),
            Filter::Equal(attr, expected) => {
                let expected = expected.to_lowercase();
                values(attr).iter().any(|v| v.to_lowercase() == expected)
            }
            Filter::Substring(attr, pattern) => values(attr).iter().any(|v| pattern.matches(v)),
            Filter::GreaterOrEqual(attr, bound) => values(attr)
                .iter()
                .any(|v| compare(v, bound) != std::cmp::Ordering::Less),
            Filter::LessOrEqual(attr, bound) => values(attr)
                .iter()
                .any(|v| compare(v, bound) != std::cmp::Ordering::Greater),
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

    #[test]
    fn malformed_filters_are_errors() {
        for bad in [
            "(uid=a",
            "(&)",
            "(uid>a)",
            "uid",
            "(uid=a))",
            "(uid=a(b)",
            "(=a)",
            "(uid>=a*)",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }
}
