//! Query parameters checked as the server's query sanitizers check them: a parameter sent
//! once is a string, one sent more often stays a list (and fails every scalar sanitizer);
//! booleans are exactly `1 on true false 0 off` or empty; unknown parameters are ignored.
//! All problems are collected into one 422 (`["query", <param>]`).

use super::body::check_dn;
use super::error::UdmError;
use super::invalid::{Invalid, Key};

/// The choices of the boolean sanitizer, as its message shows them.
const BOOL_CHOICES: &str = "['1', 'on', 'true', 'false', '0', 'off', '', None, True, False]";

/// The query of one request and the problems found so far.
pub(crate) struct Values<'a> {
    pairs: &'a [(String, String)],
    invalid: Invalid,
}

fn python_list(choices: &[&str]) -> String {
    let items: Vec<String> = choices.iter().map(|c| format!("'{c}'")).collect();
    format!("[{}]", items.join(", "))
}

/// Python's `int()` of a string.
fn python_int(text: &str) -> Option<i64> {
    let t = text.trim().replace('_', "");
    t.strip_prefix('+')
        .unwrap_or(&t)
        .parse::<i64>()
        .ok()
        .filter(|_| !text.trim().is_empty())
}

impl<'a> Values<'a> {
    /// The parameters of a request.
    pub fn new(pairs: &'a [(String, String)]) -> Self {
        Self {
            pairs,
            invalid: Invalid::default(),
        }
    }

    /// Records a problem at `["query", name, ...]`.
    pub fn add(&mut self, path: &[Key], message: impl Into<String>) {
        self.invalid.add("query_string", path, message);
    }

    fn all(&self, name: &str) -> Vec<&'a str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A scalar: `Err(())` when it was sent more than once (the problem is recorded with
    /// `list_message`).
    fn scalar(&mut self, name: &str, list_message: &str) -> Result<Option<&'a str>, ()> {
        let values = self.all(name);
        match values.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => {
                self.add(&[name.into()], list_message);
                Err(())
            }
        }
    }

    /// A string parameter.
    pub fn string(&mut self, name: &str) -> Option<String> {
        self.scalar(name, "Value is not a string")
            .ok()
            .flatten()
            .map(str::to_string)
    }

    /// A DN parameter below the LDAP base (empty: none).
    pub fn dn(&mut self, name: &str, base: &str) -> Option<String> {
        let value = self.scalar(name, "Value is not a string").ok().flatten()?;
        match check_dn(&serde_json::Value::from(value), base) {
            Ok(dn) => Some(dn).filter(|d| !d.is_empty()),
            Err("INVALID_BASE") => {
                self.add(
                    &[name.into()],
                    format!("The ldap base is invalid. Use {}.", base.to_lowercase()),
                );
                None
            }
            Err(message) => {
                self.add(&[name.into()], message);
                None
            }
        }
    }

    /// A boolean parameter.
    pub fn boolean(&mut self, name: &str, default: bool) -> bool {
        let message = format!("Value has to be one of {BOOL_CHOICES}");
        match self.scalar(name, &message) {
            Ok(None) | Err(()) => default,
            Ok(Some("1" | "on" | "true")) => true,
            Ok(Some("false" | "0" | "off" | "")) => false,
            Ok(Some(_)) => {
                self.add(&[name.into()], message);
                default
            }
        }
    }

    /// One of `choices`.
    pub fn choice(&mut self, name: &str, choices: &[&str], default: &'static str) -> String {
        let message = format!("Value has to be one of {}", python_list(choices));
        match self.scalar(name, &message) {
            Ok(None) | Err(()) => default.to_string(),
            Ok(Some(v)) if choices.contains(&v) => v.to_string(),
            Ok(Some(_)) => {
                self.add(&[name.into()], message);
                default.to_string()
            }
        }
    }

    /// An integer of at least `minimum`.
    pub fn integer(&mut self, name: &str, minimum: i64) -> Option<i64> {
        let value = self
            .scalar(name, "Cannot be converted to a number")
            .ok()
            .flatten()?;
        match python_int(value) {
            Some(n) if n >= minimum => Some(n),
            Some(_) => {
                self.add(&[name.into()], format!("Should stay >= {minimum}"));
                None
            }
            None => {
                self.add(&[name.into()], "Cannot be converted to a number");
                None
            }
        }
    }

    /// A list parameter (repeated; no splitting).
    pub fn list(&mut self, name: &str) -> Vec<String> {
        self.all(name).into_iter().map(str::to_string).collect()
    }

    /// The `query[<prop>]` map: the first value of each key.
    pub fn query_map(&mut self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (key, value) in self.pairs {
            let Some(prop) = key.strip_prefix("query[").and_then(|k| k.strip_suffix(']')) else {
                continue;
            };
            if out.iter().any(|(p, _)| p == prop) {
                continue;
            }
            if !prop
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ';')
            {
                self.add(&["query".into(), prop.into()], "Value is invalid");
                continue;
            }
            out.push((prop.to_string(), value.clone()));
        }
        out
    }

    /// The 422 for everything recorded, if anything.
    pub fn finish(self) -> Result<(), UdmError> {
        if self.invalid.is_empty() {
            Ok(())
        } else {
            Err(UdmError::invalid(&self.invalid))
        }
    }
}
