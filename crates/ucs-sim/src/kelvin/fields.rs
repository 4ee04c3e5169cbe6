//! Reading the fields of a body dict the way pydantic 1 validates them (its coercions and
//! error types), collecting every error of the body.

use super::error::{KelvinError, ValidationError};
use super::pyurl::{self, HttpUrl};
use serde_json::{json, Map, Value};

/// A field that may be absent, explicitly null, or set.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Opt<T> {
    /// Not in the body.
    #[default]
    Absent,
    /// `null` in the body.
    Null,
    /// A value.
    Set(T),
}

impl<T> Opt<T> {
    /// The value, if set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Opt::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the body mentions the field (value or null).
    pub fn is_given(&self) -> bool {
        !matches!(self, Opt::Absent)
    }

    /// Whether the body has `null` for the field.
    pub fn is_null(&self) -> bool {
        matches!(self, Opt::Null)
    }

    /// The value, if set, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Opt::Set(v) => Some(v),
            _ => None,
        }
    }
}

/// Collects validation errors while reading the fields of one body.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    /// The errors found so far, in field order.
    pub errors: Vec<ValidationError>,
}

/// pydantic's `str` coercion: strings, and numbers (Python `str(number)`).
pub(crate) fn coerce_str(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// pydantic's `bool` coercion (`BOOL_TRUE`/`BOOL_FALSE`).
pub(crate) fn coerce_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(1.0) => Some(true),
            Some(0.0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.to_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
            "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn with_index(loc: &[Value], index: impl Into<Value>) -> Vec<Value> {
    let mut out = loc.to_vec();
    out.push(index.into());
    out
}

fn str_error(loc: Vec<Value>) -> ValidationError {
    ValidationError::new(loc, "str type expected", "type_error.str")
}

impl<'a> Fields<'a> {
    /// Starts reading a body.
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            errors: Vec::new(),
        }
    }

    /// The raw value of a field.
    pub fn raw(&self, key: &str) -> Opt<&'a Value> {
        match self.map.get(key) {
            None => Opt::Absent,
            Some(Value::Null) => Opt::Null,
            Some(v) => Opt::Set(v),
        }
    }

    /// Whether the body has the key at all.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    fn loc(key: &str) -> Vec<Value> {
        vec![json!("body"), json!(key)]
    }

    /// Records an error.
    pub fn push(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    /// A required field that is missing or null gets its error; returns whether it is set.
    pub fn require<T>(&mut self, key: &str, value: &Opt<T>) -> bool {
        match value {
            // a value of the wrong type has its error already
            Opt::Absent if self.has(key) => {}
            Opt::Absent => self.push(ValidationError::missing(Self::loc(key))),
            Opt::Null => self.push(ValidationError::none_not_allowed(Self::loc(key))),
            Opt::Set(_) => return true,
        }
        false
    }

    /// An optional field that must not be null (`x: List[str] = []`).
    pub fn not_null<T>(&mut self, key: &str, value: &Opt<T>) {
        if value.is_null() {
            self.push(ValidationError::none_not_allowed(Self::loc(key)));
        }
    }

    /// A `str` field.
    pub fn string(&mut self, key: &str) -> Opt<String> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(v) => match coerce_str(v) {
                Some(s) => Opt::Set(s),
                None => {
                    self.push(str_error(Self::loc(key)));
                    Opt::Absent
                }
            },
        }
    }

    /// A `bool` field.
    pub fn boolean(&mut self, key: &str) -> Opt<bool> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(v) => match coerce_bool(v) {
                Some(b) => Opt::Set(b),
                None => {
                    self.push(ValidationError::new(
                        Self::loc(key),
                        "value could not be parsed to a boolean",
                        "type_error.bool",
                    ));
                    Opt::Absent
                }
            },
        }
    }

    /// The items of a list field (`value is not a valid list` otherwise).
    fn items(&mut self, loc: &[Value], value: &'a Value) -> Option<&'a Vec<Value>> {
        match value {
            Value::Array(items) => Some(items),
            _ => {
                self.push(ValidationError::new(
                    loc.to_vec(),
                    "value is not a valid list",
                    "type_error.list",
                ));
                None
            }
        }
    }

    fn str_items(&mut self, loc: &[Value], value: &'a Value) -> Option<Vec<String>> {
        let items = self.items(loc, value)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match coerce_str(item) {
                Some(s) => out.push(s),
                None => {
                    ok = false;
                    self.push(str_error(with_index(loc, i)));
                }
            }
        }
        ok.then_some(out)
    }

    /// A `List[str]` field.
    pub fn string_list(&mut self, key: &str) -> Opt<Vec<String>> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(v) => match self.str_items(&Self::loc(key), v) {
                Some(list) => Opt::Set(list),
                None => Opt::Absent,
            },
        }
    }

    /// One `HttpUrl` at `loc`.
    pub fn url_at(&mut self, loc: Vec<Value>, value: &Value) -> Option<HttpUrl> {
        match pyurl::validate(value) {
            Ok(url) => Some(url),
            Err(e) => {
                self.push(e.at(loc));
                None
            }
        }
    }

    /// An `HttpUrl` field.
    pub fn url(&mut self, key: &str) -> Opt<HttpUrl> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(v) => match self.url_at(Self::loc(key), v) {
                Some(url) => Opt::Set(url),
                None => Opt::Absent,
            },
        }
    }

    /// A `List[HttpUrl]` field.
    pub fn url_list(&mut self, key: &str) -> Opt<Vec<HttpUrl>> {
        let loc = Self::loc(key);
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(v) => {
                let Some(items) = self.items(&loc, v) else {
                    return Opt::Absent;
                };
                let before = self.errors.len();
                let urls: Vec<HttpUrl> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.url_at(with_index(&loc, i), item))
                    .collect();
                if self.errors.len() == before {
                    Opt::Set(urls)
                } else {
                    Opt::Absent
                }
            }
        }
    }

    /// A `Dict[str, List[str]]` field (`school_classes`, `workgroups`).
    pub fn map_of_lists(&mut self, key: &str) -> Opt<Vec<(String, Vec<String>)>> {
        let loc = Self::loc(key);
        let entries = match self.raw(key) {
            Opt::Absent => return Opt::Absent,
            Opt::Null => return Opt::Null,
            Opt::Set(Value::Object(entries)) => entries,
            Opt::Set(_) => {
                self.push(ValidationError::new(
                    loc,
                    "value is not a valid dict",
                    "type_error.dict",
                ));
                return Opt::Absent;
            }
        };
        let before = self.errors.len();
        let mut out = Vec::new();
        for (school, names) in entries {
            if let Some(list) = self.str_items(&with_index(&loc, school.as_str()), names) {
                out.push((school.clone(), list));
            }
        }
        if self.errors.len() == before {
            Opt::Set(out)
        } else {
            Opt::Absent
        }
    }

    /// A `Dict[str, Any]` field (`udm_properties`).
    pub fn object(&mut self, key: &str) -> Opt<Map<String, Value>> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(Value::Object(m)) => Opt::Set(m.clone()),
            // pydantic runs `dict(value)`: an empty list is an empty dict
            Opt::Set(Value::Array(items)) if items.is_empty() => Opt::Set(Map::new()),
            Opt::Set(_) => {
                self.push(ValidationError::new(
                    Self::loc(key),
                    "value is not a valid dict",
                    "type_error.dict",
                ));
                Opt::Absent
            }
        }
    }

    /// The collected errors.
    pub fn into_errors(self) -> Vec<ValidationError> {
        self.errors
    }

    /// Fails with the collected errors, if any, keeping the reader usable.
    pub fn finish_ref(&mut self) -> Result<(), KelvinError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(KelvinError::validation(std::mem::take(&mut self.errors)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pydantic_coercions() {
        assert_eq!(coerce_str(&json!(5)), Some("5".into()));
        assert_eq!(coerce_str(&json!(true)), Some("True".into()));
        assert_eq!(coerce_str(&json!([])), None);
        for yes in [json!(true), json!(1), json!("YES"), json!("t"), json!("on")] {
            assert_eq!(coerce_bool(&yes), Some(true), "{yes}");
        }
        for no in [
            json!(false),
            json!(0),
            json!("No"),
            json!("off"),
            json!("f"),
        ] {
            assert_eq!(coerce_bool(&no), Some(false), "{no}");
        }
        assert_eq!(coerce_bool(&json!(2)), None);
        assert_eq!(coerce_bool(&json!("maybe")), None);
    }

    #[test]
    fn list_and_map_errors_carry_their_location() {
        let body = json!({"roles": "x", "school_classes": {"S": ["a", {}]}, "names": ["a", 1]});
        let map = body.as_object().unwrap();
        let mut f = Fields::new(map);
        assert_eq!(
            f.string_list("names"),
            Opt::Set(vec!["a".into(), "1".into()])
        );
        assert_eq!(f.string_list("roles"), Opt::Absent);
        assert_eq!(f.map_of_lists("school_classes"), Opt::Absent);
        let locs: Vec<Value> = f.errors.iter().map(|e| json!(e.loc)).collect();
        assert_eq!(
            locs,
            vec![
                json!(["body", "roles"]),
                json!(["body", "school_classes", "S", 1])
            ]
        );
    }
}
