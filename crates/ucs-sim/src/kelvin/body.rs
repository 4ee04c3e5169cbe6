//! Reading Kelvin request bodies field by field with pydantic-1 style validation errors.

use super::error::{KelvinError, ValidationError};
use super::urls::name_from_url;
use crate::directory::values::is_date;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Which kind of write a body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// POST: required fields must be there.
    Create,
    /// PUT: a complete document; absent optional fields take their defaults.
    Replace,
    /// PATCH: only the given fields change.
    Patch,
}

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

    /// Maps the value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Opt<U> {
        match self {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(v) => Opt::Set(f(v)),
        }
    }
}

/// Parses a JSON object body (422 `value_error.jsondecode` / `type_error.dict` otherwise).
pub(crate) fn parse_object(body: &[u8]) -> Result<Map<String, Value>, KelvinError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        KelvinError::validation(vec![ValidationError::new(
            &["body"],
            format!("Expecting value: {e}"),
            "value_error.jsondecode",
        )])
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(KelvinError::validation(vec![ValidationError::new(
            &["body"],
            "value is not a valid dict",
            "type_error.dict",
        )])),
    }
}

/// Collects validation errors while reading fields of one body.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    /// The errors found so far.
    pub errors: Vec<ValidationError>,
}

impl<'a> Fields<'a> {
    /// Starts reading a body.
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            errors: Vec::new(),
        }
    }

    fn raw(&self, key: &str) -> Opt<&'a Value> {
        match self.map.get(key) {
            None => Opt::Absent,
            Some(Value::Null) => Opt::Null,
            Some(v) => Opt::Set(v),
        }
    }

    /// Records a value of the wrong JSON type; the field counts as absent.
    fn wrong_type<T>(&mut self, key: &str, msg: &str, kind: &str) -> Opt<T> {
        self.errors
            .push(ValidationError::new(&["body", key], msg, kind));
        Opt::Absent
    }

    /// Records a missing required field.
    pub fn require<T>(&mut self, key: &str, value: &Opt<T>) {
        if !value.is_given() {
            self.errors.push(ValidationError::missing(&["body", key]));
        } else if matches!(value, Opt::Null) {
            self.errors.push(ValidationError::new(
                &["body", key],
                "none is not an allowed value",
                "type_error.none.not_allowed",
            ));
        }
    }

    /// Refuses an explicit null for a field that is not optional.
    pub fn not_null<T>(&mut self, key: &str, value: &Opt<T>) {
        if matches!(value, Opt::Null) {
            self.errors.push(ValidationError::new(
                &["body", key],
                "none is not an allowed value",
                "type_error.none.not_allowed",
            ));
        }
    }

    /// A string field.
    pub fn string(&mut self, key: &str) -> Opt<String> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(Value::String(s)) => Opt::Set(s.clone()),
            Opt::Set(Value::Number(n)) => Opt::Set(n.to_string()),
            Opt::Set(_) => self.wrong_type(key, "str type expected", "type_error.str"),
        }
    }

    /// A URL field (or a plain name): the name it points to.
    pub fn url_name(&mut self, key: &str) -> Opt<String> {
        self.string(key).map(|s| name_from_url(&s))
    }

    /// A `YYYY-MM-DD` date field.
    pub fn date(&mut self, key: &str) -> Opt<String> {
        match self.string(key) {
            Opt::Set(s) if !is_date(&s) => {
                self.errors.push(ValidationError::new(
                    &["body", key],
                    "invalid date format",
                    "value_error.date",
                ));
                Opt::Absent
            }
            other => other,
        }
    }

    /// A boolean field.
    pub fn boolean(&mut self, key: &str) -> Opt<bool> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(Value::Bool(b)) => Opt::Set(*b),
            Opt::Set(_) => self.wrong_type(
                key,
                "value could not be parsed to a boolean",
                "type_error.bool",
            ),
        }
    }

    /// A list of strings.
    pub fn string_list(&mut self, key: &str) -> Opt<Vec<String>> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        _ => self.errors.push(ValidationError {
                            loc: vec!["body".into(), key.into(), i.into()],
                            msg: "str type expected".into(),
                            kind: "type_error.str".into(),
                        }),
                    }
                }
                Opt::Set(out)
            }
            Opt::Set(_) => self.wrong_type(key, "value is not a valid list", "type_error.list"),
        }
    }

    /// A list of URLs (or plain names): the names they point to.
    pub fn url_names(&mut self, key: &str) -> Opt<Vec<String>> {
        self.string_list(key)
            .map(|items| items.iter().map(|s| name_from_url(s)).collect())
    }

    /// A map of lists of strings (`school_classes`).
    pub fn map_of_lists(&mut self, key: &str) -> Opt<BTreeMap<String, Vec<String>>> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(Value::Object(entries)) => {
                let mut out = BTreeMap::new();
                for (school, names) in entries {
                    match names {
                        Value::Array(items) if items.iter().all(Value::is_string) => {
                            out.insert(
                                school.clone(),
                                items
                                    .iter()
                                    .filter_map(|v| v.as_str().map(str::to_string))
                                    .collect(),
                            );
                        }
                        _ => self.errors.push(ValidationError {
                            loc: vec!["body".into(), key.into(), school.clone().into()],
                            msg: "value is not a valid list of strings".into(),
                            kind: "type_error.list".into(),
                        }),
                    }
                }
                Opt::Set(out)
            }
            Opt::Set(_) => self.wrong_type(key, "value is not a valid dict", "type_error.dict"),
        }
    }

    /// A JSON object field.
    pub fn object(&mut self, key: &str) -> Opt<Map<String, Value>> {
        match self.raw(key) {
            Opt::Absent => Opt::Absent,
            Opt::Null => Opt::Null,
            Opt::Set(Value::Object(m)) => Opt::Set(m.clone()),
            Opt::Set(_) => self.wrong_type(key, "value is not a valid dict", "type_error.dict"),
        }
    }

    /// Fails with all collected errors, if any.
    pub fn finish(self) -> Result<(), KelvinError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(KelvinError::validation(self.errors))
        }
    }
}
