//! Errors of form-value generation and user-type loading, and the error a uniqueness
//! backend ([`Taken`](super::Taken)) answers.

/// A uniqueness backend failed (a search on the server, say).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct TakenError(Box<dyn std::error::Error + Send + Sync>);

impl TakenError {
    /// Wraps a backend error.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TakenError {
        TakenError(error.into())
    }

    /// The backend error.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.0
    }
}

/// A policy (format string) that cannot be parsed.
///
/// `position` is the 0-based character offset in `policy` where the problem was found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bad policy {policy:?} at character offset {position}: {reason}")]
pub struct PolicyError {
    /// The policy text.
    pub policy: String,
    /// 0-based character offset of the problem.
    pub position: usize,
    /// What is wrong, in English.
    pub reason: String,
}

/// Why form values could not be generated, or a user type could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// A policy of `attribute` uses an input that was not given.
    #[error("cannot generate {attribute}: input {key:?} is missing")]
    MissingInput {
        /// The attribute being generated.
        attribute: String,
        /// The missing input key.
        key: String,
    },
    /// An input used by a policy is given, but only as whitespace.
    #[error("cannot generate {attribute}: input {key:?} is only whitespace")]
    BlankInput {
        /// The attribute being generated.
        attribute: String,
        /// The blank input key.
        key: String,
    },
    /// The values in use could not be loaded for a batch.
    #[error("could not load the values in use")]
    Preload(#[source] TakenError),
    /// An input used by a policy is not a string (e.g. a list or a number).
    #[error("cannot generate {attribute}: input {key:?} is not a string")]
    InputNotText {
        /// The attribute being generated.
        attribute: String,
        /// The input key.
        key: String,
    },
    /// A policy of `attribute` cannot be parsed.
    #[error("{attribute}: {source}")]
    BadPolicy {
        /// The attribute whose policy is bad.
        attribute: String,
        /// Where and why.
        #[source]
        source: PolicyError,
    },
    /// The wanted attribute is not an auto form field of the user type.
    #[error("user type {user_type:?} has no auto form field {attribute:?}")]
    UnknownAttribute {
        /// The user type's key.
        user_type: String,
        /// The unknown attribute.
        attribute: String,
    },
    /// No generator was named for an auto form field and none follows from its name.
    #[error("auto form field {attribute:?} names no generator and none follows from its name; set \"generator\" to one of cn, displayname, uid, mail, aliases, password, text")]
    UnknownGenerator {
        /// The attribute.
        attribute: String,
    },
    /// A `text` generator without a policy.
    #[error("auto form field {attribute:?} uses the text generator but has no policy")]
    MissingPolicy {
        /// The attribute.
        attribute: String,
    },
    /// A generated mail address is not valid.
    #[error("generated {attribute} {value:?} is not a valid mail address: {reason}")]
    InvalidMail {
        /// The attribute.
        attribute: String,
        /// The rejected address.
        value: String,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// A password policy that no password can satisfy.
    #[error("invalid password policy: {reason}")]
    InvalidPasswordPolicy {
        /// Why.
        reason: String,
    },
    /// No free value was found within the allowed number of suffixes.
    #[error("no free {attribute} found for {base:?} after trying {tried} numeric suffixes")]
    SuffixesExhausted {
        /// The attribute (`uid`, `mail`).
        attribute: String,
        /// The value before suffixes.
        base: String,
        /// How many suffixed candidates were tried.
        tried: u32,
    },
    /// The uniqueness backend failed.
    #[error("could not check whether {attribute} {value:?} is taken")]
    Uniqueness {
        /// The attribute.
        attribute: String,
        /// The candidate value.
        value: String,
        /// The backend's error.
        #[source]
        source: TakenError,
    },
    /// A user type document is not valid JSON of the expected shape.
    #[error("invalid user type JSON: {0}")]
    Json(#[from] serde_json::Error),
}
