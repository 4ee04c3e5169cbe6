//! The errors of directory operations: why an operation failed ([`DirError`]) and, for
//! invalid input, the problem with each part of the request ([`FieldError`], [`Cause`]).

use std::fmt;

/// What kind of problem a [`FieldError`] is, for APIs that report kinds differently (the UDM
/// REST API places syntax errors, missing values and taken names at different locations).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Cause {
    /// Anything not listed below.
    #[default]
    Other,
    /// The JSON type of a value does not fit the property.
    Type,
    /// The value does not fit the property's syntax (format, allowed characters).
    Syntax,
    /// The module has no property of that name.
    UnknownProperty,
    /// A required property has no value.
    Required,
    /// The naming value (`uid` of users, `group` of groups) is used by another entry.
    NameTaken {
        /// `uid` or `group`.
        kind: &'static str,
        /// The value.
        value: String,
    },
    /// The primary mail address is used by another entry.
    MailTaken(String),
    /// The password does not fit the password policy.
    Password,
}

/// A problem with one part of a request (`["properties", "username"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// Where in the request body the problem is.
    pub location: Vec<String>,
    /// What is wrong.
    pub message: String,
    /// What kind of problem it is.
    pub cause: Cause,
}

impl FieldError {
    /// A problem with a property.
    pub fn property(name: &str, message: impl Into<String>) -> Self {
        Self {
            location: vec!["properties".into(), name.into()],
            message: message.into(),
            cause: Cause::Other,
        }
    }

    /// A problem at another location of the body.
    pub fn at(location: &[&str], message: impl Into<String>) -> Self {
        Self {
            location: location.iter().map(|s| s.to_string()).collect(),
            message: message.into(),
            cause: Cause::Other,
        }
    }

    /// The same problem, classified.
    pub fn because(mut self, cause: Cause) -> Self {
        self.cause = cause;
        self
    }
}

/// Why a directory operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DirError {
    /// The module is not one the simulator knows.
    UnknownModule(String),
    /// No entry with that DN.
    NotFound(String),
    /// Invalid input, per field.
    Invalid(Vec<FieldError>),
    /// An entry with that DN exists already.
    Exists(String),
}

impl fmt::Display for DirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirError::UnknownModule(m) => write!(f, "Unknown module {m:?}"),
            DirError::NotFound(dn) => write!(f, "The object {dn} does not exist"),
            DirError::Invalid(errors) => {
                let parts: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                f.write_str(&parts.join("; "))
            }
            DirError::Exists(dn) => write!(f, "An object with the DN {dn} already exists"),
        }
    }
}
