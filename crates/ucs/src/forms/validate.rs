//! `validate`: every problem of every field of a form input.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::input::is_secret_key;
use super::{mail_problem, FieldType, FormField, FormInput, Generator, UserType, ValueFormat};

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A required field is absent, `null`, blank or an empty list.
    Required,
    /// The value has the wrong JSON type.
    WrongType {
        /// What the field takes: `a string` or `a list of strings`.
        expected: &'static str,
    },
    /// The value is longer than `maxlength` characters.
    TooLong {
        /// The limit.
        max: usize,
        /// The value's length in characters.
        length: usize,
    },
    /// The value is not one of the field's allowed `values`.
    NotAllowed,
    /// The value is not a valid mail address.
    InvalidMail {
        /// Why.
        reason: &'static str,
    },
    /// The input has a key that the user type does not know; it would be lost.
    UnknownField,
    /// The input sets a static field of the type to a different value.
    FixedField,
    /// A `list` or `multiselect` has more items than its `maxcount`.
    TooMany {
        /// The limit.
        max: usize,
        /// The number of items.
        count: usize,
    },
    /// A `text-quota` value is not a whole number (of kilobytes).
    NotAWholeNumber,
}

/// One problem of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field, with `[index]` for an item of a list (`alias[2]`).
    pub field: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// One English sentence naming the field and, unless it is a secret, the value.
    pub message: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Groups problems by field (the part of the path before any `[index]`).
pub fn problems_by_field(problems: &[FieldProblem]) -> BTreeMap<&str, Vec<&FieldProblem>> {
    let mut out: BTreeMap<&str, Vec<&FieldProblem>> = BTreeMap::new();
    for problem in problems {
        let field = problem.field.split('[').next().unwrap_or(&problem.field);
        out.entry(field).or_default().push(problem);
    }
    out
}

const MAIL_ATTRIBUTES: [&str; 9] = [
    "mail",
    "email",
    "e-mail",
    "mailprimaryaddress",
    "mailalternativeaddress",
    "mailalternateaddress",
    "mailforwardaddress",
    "alias",
    "aliases",
];

fn is_mail_attribute(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    MAIL_ATTRIBUTES.contains(&lower.as_str())
}

/// Checks `input` against `user_type` and returns every problem (empty when valid).
///
/// For each form field: present unless optional (absent, `null`, blank text and empty
/// lists count as missing), the right type (`text`/`select`: a string; `list`/
/// `multiselect`: a list of strings), at most `maxlength` characters (per item for lists),
/// one of `values` for `select`/`multiselect`, and a valid mail address for mail fields
/// (named like `mail`, `email`, `alias`, `mailPrimaryAddress`, or `"format": "mail"`).
/// Values given for auto form fields are checked for type and mail syntax. Keys the type
/// does not know (not a form, auto or static field, nor an input listed in an auto field's
/// `data`) are reported, as is a static field set to a different value: nothing is
/// silently dropped. Messages never show the values of secret fields (`password`...).
///
/// ```
/// use ucs::forms::{validate, FormInput, ProblemKind, UserType};
/// let input = FormInput::new().with("givenname", "Jane").with("mail", "jane@@example.org");
/// let problems = validate(&UserType::kolab(), &input);
/// assert_eq!(problems[0].field, "mail");
/// assert!(matches!(problems[0].kind, ProblemKind::InvalidMail { .. }));
/// assert_eq!(problems[1].field, "sn");
/// assert_eq!(problems[1].kind, ProblemKind::Required);
/// ```
pub fn validate(user_type: &UserType, input: &FormInput) -> Vec<FieldProblem> {
    let attributes = &user_type.attributes;
    let mut problems = Vec::new();
    let mut keys: Vec<&str> = attributes
        .form_fields
        .keys()
        .chain(attributes.auto_form_fields.keys())
        .map(String::as_str)
        .chain(input.iter().map(|(k, _)| k))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let value = input.get(key);
        if let Some(field) = attributes.form_fields.get(key) {
            check_form_field(&mut problems, key, field, value);
        } else if let Some(auto) = attributes.auto_form_fields.get(key) {
            if let Some(value) = value.filter(|v| !v.is_null()) {
                let list = auto.generator_for(key).ok() == Some(Generator::Aliases);
                let field = FormField {
                    field_type: auto.field_type.unwrap_or(if list {
                        FieldType::List
                    } else {
                        FieldType::Text
                    }),
                    optional: true,
                    ..FormField::default()
                };
                check_form_field(&mut problems, key, &field, Some(value));
            }
        } else if let Some(fixed) = attributes.fields.get(key) {
            if value.is_some_and(|v| v != fixed) {
                problems.push(FieldProblem {
                    field: key.to_owned(),
                    kind: ProblemKind::FixedField,
                    message: format!("{key} is fixed to {fixed} by the user type and cannot be set to another value."),
                });
            }
        } else if !attributes
            .auto_form_fields
            .values()
            .any(|auto| auto.data.iter().any(|d| d == key))
        {
            problems.push(FieldProblem {
                field: key.to_owned(),
                kind: ProblemKind::UnknownField,
                message: format!(
                    "{key} is not a field of user type {:?}, so its value would be lost.",
                    user_type.key
                ),
            });
        }
    }
    problems
}

fn shown(field: &FormField, name: &str, text: &str) -> String {
    if is_secret_key(name) || field.field_type == FieldType::Password {
        "the value".to_owned()
    } else {
        format!("{text:?}")
    }
}

fn check_form_field(
    out: &mut Vec<FieldProblem>,
    name: &str,
    field: &FormField,
    value: Option<&Value>,
) {
    let missing = match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    };
    if missing {
        if !field.optional {
            out.push(FieldProblem {
                field: name.to_owned(),
                kind: ProblemKind::Required,
                message: format!("{name} is required."),
            });
        }
        return;
    }
    let Some(value) = value else { return };
    let mail = field.format == Some(ValueFormat::Mail) || is_mail_attribute(name);
    match field.field_type {
        FieldType::Text | FieldType::Select | FieldType::Password => match value {
            Value::String(text) => check_text(out, name, name, field, text, mail),
            other => out.push(wrong_type(name, "a string", other)),
        },
        FieldType::TextQuota => check_quota(out, name, value),
        FieldType::List | FieldType::Multiselect => match value {
            Value::Array(items) => {
                check_count(out, name, field, items.len());
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{name}[{i}]");
                    match item {
                        Value::String(text) => check_text(out, &path, name, field, text, mail),
                        other => out.push(wrong_type(&path, "a string", other)),
                    }
                }
            }
            other => out.push(wrong_type(name, "a list of strings", other)),
        },
    }
}

/// A `text-quota` value: digits, or a whole JSON number (Kolab's kilobytes).
fn check_quota(out: &mut Vec<FieldProblem>, name: &str, value: &Value) {
    let whole = match value {
        Value::String(text) => {
            let text = text.trim();
            !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
        }
        Value::Number(number) => number.is_u64(),
        other => return out.push(wrong_type(name, "a string", other)),
    };
    if !whole {
        out.push(FieldProblem {
            field: name.to_owned(),
            kind: ProblemKind::NotAWholeNumber,
            message: format!("{name} must be a whole number of kilobytes, but is {value}."),
        });
    }
}

fn check_count(out: &mut Vec<FieldProblem>, name: &str, field: &FormField, count: usize) {
    if let Some(max) = field.maxcount.filter(|max| count > *max) {
        out.push(FieldProblem {
            field: name.to_owned(),
            kind: ProblemKind::TooMany { max, count },
            message: format!("{name} has {count} items, at most {max} are allowed."),
        });
    }
}

fn wrong_type(path: &str, expected: &'static str, value: &Value) -> FieldProblem {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    FieldProblem {
        field: path.to_owned(),
        kind: ProblemKind::WrongType { expected },
        message: format!("{path} must be {expected}, but is {found}."),
    }
}

fn check_text(
    out: &mut Vec<FieldProblem>,
    path: &str,
    name: &str,
    field: &FormField,
    text: &str,
    mail: bool,
) {
    if let Some(max) = field.maxlength {
        let length = text.chars().count();
        if length > max {
            out.push(FieldProblem {
                field: path.to_owned(),
                kind: ProblemKind::TooLong { max, length },
                message: format!("{path} is {length} characters long, at most {max} are allowed."),
            });
        }
    }
    let choice = matches!(field.field_type, FieldType::Select | FieldType::Multiselect);
    if choice && !field.values.is_empty() && !field.values.iter().any(|v| v == text) {
        out.push(FieldProblem {
            field: path.to_owned(),
            kind: ProblemKind::NotAllowed,
            message: format!(
                "{path} is {}, which is not one of the allowed values [{}].",
                shown(field, name, text),
                field.values.join(", ")
            ),
        });
    }
    if mail {
        if let Some(reason) = mail_problem(text) {
            out.push(FieldProblem {
                field: path.to_owned(),
                kind: ProblemKind::InvalidMail { reason },
                message: format!(
                    "{path} is {}, which is not a valid mail address: {reason}.",
                    shown(field, name, text)
                ),
            });
        }
    }
}
