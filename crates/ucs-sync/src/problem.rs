//! Problems of one roster row: which field breaks which rule, and why.

use serde::{Deserialize, Serialize};

/// One broken rule of one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Problem {
    /// The field (`lastname`, `school_classes.DEMOSCHOOL`, `udm_properties.phone`, `row`).
    pub field: String,
    /// A stable snake_case code (`required_field`, `unknown_school`, ...); role rules use
    /// `ucs::roles::Rule::code`.
    pub code: String,
    /// One English sentence naming the value.
    pub message: String,
}

impl Problem {
    /// A problem of `field`.
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl From<&ucs::roles::Violation> for Problem {
    fn from(v: &ucs::roles::Violation) -> Problem {
        Problem::new(v.field.clone(), v.rule.code(), v.message.clone())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

/// Every problem of one rejected row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RowProblems {
    /// The row's line number in the input (1 = the first line of the file).
    pub row: usize,
    /// The row's `record_uid`, if it has one.
    pub record_uid: Option<String>,
    /// The problems, at least one.
    pub problems: Vec<Problem>,
}
