//! The one error type of the crate.
//!
//! Every failed call returns an [`Error`] whose variant says what went wrong
//! (match on it) and which carries the request's method, URL (never with
//! credentials), HTTP status, request id and the server's own text.

use std::fmt;

use crate::roles::Violation;

/// A failed call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 404 (or 410): the object does not exist.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// 409 (the object exists already, or a concurrent change) or 412
    /// (`If-Match` did not match: someone else changed the object since it
    /// was read).
    #[error("conflict: {0}")]
    Conflict(Box<ApiError>),
    /// The server rejected the request's content: 400, 406, 411, 413, 414,
    /// 415, 416 or 422. [`ApiError::fields`] lists per-field problems when the
    /// server named them (Kelvin `detail` lists, UDM `udm:error` entries).
    #[error("invalid request: {0}")]
    InvalidRequest(Box<ApiError>),
    /// 401: missing, wrong or expired credentials (also a failed Kelvin login,
    /// and writes by a read-only Kelvin account).
    #[error("unauthorized: {0}")]
    Unauthorized(Box<ApiError>),
    /// 403: valid credentials without permission.
    #[error("forbidden: {0}")]
    Forbidden(Box<ApiError>),
    /// 429 or 5xx after the retry policy gave up, or 500/501.
    #[error("server error: {0}")]
    Server(Box<ApiError>),
    /// Any other status the client does not expect (3xx, 405, ...).
    #[error("unexpected answer: {0}")]
    UnexpectedStatus(Box<ApiError>),
    /// The request breaks a UCS@school rule; checked before anything was sent.
    #[error("{}", RuleViolations(.0))]
    RuleViolation(Vec<Violation>),
    /// The connection failed, timed out or broke off.
    #[error("transport error: {context}: {message}")]
    Transport {
        /// The request.
        context: Box<RequestContext>,
        /// What the HTTP stack said.
        message: String,
        /// Whether the request may have reached the server (a POST whose
        /// connection broke after sending).
        maybe_sent: bool,
    },
    /// An answer longer than the client's limit (`max_body` of the builder);
    /// the rest was not read, and the call is not retried.
    #[error("answer too large: {context}: more than {limit} bytes")]
    TooLarge {
        /// The request.
        context: Box<RequestContext>,
        /// The limit in bytes.
        limit: usize,
    },
    /// An operation the server runs on its own (a UDM container move) did
    /// not finish in time. The request was sent and may still complete.
    #[error("timed out: {context}: {message}")]
    Timeout {
        /// The request that started the operation (or the poll that gave up).
        context: Box<RequestContext>,
        /// What did not finish.
        message: String,
    },
    /// A success answer whose body is not what the API promises.
    #[error("undecodable answer: {context}: {message}")]
    Decode {
        /// The request.
        context: Box<RequestContext>,
        /// What did not decode.
        message: String,
    },
    /// The caller's input cannot be sent (a malformed DN, a name that is not
    /// a valid URL part, ...). Nothing was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// `udm.module(name)` with a module the API does not have.
    #[error("unknown UDM module {name:?}{}", suggest(.suggestions))]
    UnknownModule {
        /// The name asked for.
        name: String,
        /// Close matches among the known modules.
        suggestions: Vec<String>,
    },
    /// The client could not be configured (unreadable CA file, bad URL, ...).
    #[error("configuration error: {0}")]
    Config(String),
    /// Form values could not be generated (a missing input, a bad policy, a
    /// failed uniqueness lookup, ...).
    #[error("form values: {0}")]
    Form(#[from] crate::forms::FormError),
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

struct RuleViolations<'a>(&'a [Violation]);

impl fmt::Display for RuleViolations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule violation")?;
        if self.0.len() > 1 {
            write!(f, "s ({})", self.0.len())?;
        }
        for (i, v) in self.0.iter().enumerate() {
            write!(f, "{} {v}", if i == 0 { ":" } else { ";" })?;
        }
        Ok(())
    }
}

/// The request an error is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// HTTP method.
    pub method: String,
    /// The URL, without credentials.
    pub url: String,
    /// The `X-Request-ID` the request was sent with.
    pub request_id: Option<String>,
}

impl fmt::Display for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// An error answer of the server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiError {
    /// The request.
    pub context: RequestContext,
    /// HTTP status.
    pub status: u16,
    /// The server's message (`detail`, `message`, or the body's start).
    pub detail: String,
    /// Per-field problems the server named.
    pub fields: Vec<FieldError>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.context, self.status)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        for field in &self.fields {
            write!(f, "; {field}")?;
        }
        Ok(())
    }
}

/// One field the server rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldError {
    /// Where: `body.roles`, `properties.username`, `query.school`, ...
    pub field: String,
    /// The server's message.
    pub message: String,
    /// The server's error type (`value_error`, ...), if it sent one.
    pub kind: Option<String>,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl Error {
    /// This error with `note` appended to what it says (the message of a transport
    /// error, the detail of a server error); other variants as they are.
    pub(crate) fn amended(self, note: &str) -> Error {
        match self {
            Error::Transport {
                context,
                message,
                maybe_sent,
            } => Error::Transport {
                context,
                message: format!("{message}; {note}"),
                maybe_sent,
            },
            Error::Server(mut api) => {
                api.detail = format!("{}; {note}", api.detail);
                Error::Server(api)
            }
            other => other,
        }
    }

    /// The server's error answer, for the variants that have one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::NotFound(e)
            | Error::Conflict(e)
            | Error::InvalidRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|e| e.status)
    }

    /// The request the error is about, if one was sent.
    pub fn context(&self) -> Option<&RequestContext> {
        match self {
            Error::Transport { context, .. }
            | Error::Decode { context, .. }
            | Error::TooLarge { context, .. }
            | Error::Timeout { context, .. } => Some(context),
            other => other.api_error().map(|e| &e.context),
        }
    }

    /// The `X-Request-ID` of the failed request.
    pub fn request_id(&self) -> Option<&str> {
        self.context().and_then(|c| c.request_id.as_deref())
    }

    /// Per-field problems (server-side field errors, or client-side rule
    /// violations as `field: message`).
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Error::RuleViolation(violations) => violations
                .iter()
                .map(|v| FieldError {
                    field: v.field.clone(),
                    message: v.message.clone(),
                    kind: Some(v.rule.code().to_string()),
                })
                .collect(),
            other => other
                .api_error()
                .map(|e| e.fields.clone())
                .unwrap_or_default(),
        }
    }

    /// Whether the request may have been carried out although it failed: the
    /// connection broke after sending, a gateway answered 502/504 to a write
    /// (the backend may have done the work), or a container move timed out.
    /// Before sending such a write again, check whether it already happened.
    pub fn maybe_applied(&self) -> bool {
        match self {
            Error::Transport { maybe_sent, .. } => *maybe_sent,
            Error::Timeout { .. } => true,
            Error::Server(api) => {
                matches!(api.status, 502 | 504)
                    && matches!(
                        api.context.method.as_str(),
                        "POST" | "PUT" | "PATCH" | "DELETE"
                    )
            }
            _ => false,
        }
    }

    /// Whether this is a 404.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_))
    }

    /// Builds the variant for an error status.
    pub fn from_status(error: ApiError) -> Error {
        let boxed = Box::new(error);
        match boxed.status {
            404 | 410 => Error::NotFound(boxed),
            409 | 412 => Error::Conflict(boxed),
            400 | 406 | 411 | 413 | 414 | 415 | 416 | 422 => Error::InvalidRequest(boxed),
            401 => Error::Unauthorized(boxed),
            403 => Error::Forbidden(boxed),
            429 | 500..=599 => Error::Server(boxed),
            _ => Error::UnexpectedStatus(boxed),
        }
    }
}

impl From<ucs_ldap::DnError> for Error {
    /// A DN that does not parse is invalid input.
    fn from(error: ucs_ldap::DnError) -> Self {
        Error::InvalidInput(error.to_string())
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> ApiError {
        ApiError {
            context: RequestContext {
                method: "GET".into(),
                url: "https://h/ucsschool/kelvin/v1/users/x".into(),
                request_id: Some("r-1".into()),
            },
            status,
            detail: "No user with name 'x'.".into(),
            fields: vec![],
        }
    }

    type IsVariant = fn(&Error) -> bool;

    #[test]
    fn statuses_map_to_variants() {
        let cases: [(u16, IsVariant); 13] = [
            (400, |e| matches!(e, Error::InvalidRequest(_))),
            (401, |e| matches!(e, Error::Unauthorized(_))),
            (403, |e| matches!(e, Error::Forbidden(_))),
            (404, |e| matches!(e, Error::NotFound(_))),
            (406, |e| matches!(e, Error::InvalidRequest(_))),
            (409, |e| matches!(e, Error::Conflict(_))),
            (412, |e| matches!(e, Error::Conflict(_))),
            (413, |e| matches!(e, Error::InvalidRequest(_))),
            (416, |e| matches!(e, Error::InvalidRequest(_))),
            (422, |e| matches!(e, Error::InvalidRequest(_))),
            (429, |e| matches!(e, Error::Server(_))),
            (503, |e| matches!(e, Error::Server(_))),
            (405, |e| matches!(e, Error::UnexpectedStatus(_))),
        ];
        for (status, is) in cases {
            let e = Error::from_status(api(status));
            assert!(is(&e), "{status} -> {e:?}");
            assert_eq!(e.status(), Some(status));
            assert_eq!(e.request_id(), Some("r-1"));
        }
    }

    #[test]
    fn display_names_method_url_status_request_id_and_detail() {
        let mut a = api(422);
        a.fields.push(FieldError {
            field: "body.roles".into(),
            message: "invalid role".into(),
            kind: None,
        });
        let text = Error::from_status(a).to_string();
        assert_eq!(
            text,
            "invalid request: GET https://h/ucsschool/kelvin/v1/users/x (request id r-1) -> 422: \
             No user with name 'x'.; body.roles: invalid role"
        );
    }

    #[test]
    fn unknown_module_suggests_close_matches() {
        let e = Error::UnknownModule {
            name: "users/usr".into(),
            suggestions: vec!["users/user".into()],
        };
        assert_eq!(
            e.to_string(),
            "unknown UDM module \"users/usr\"; did you mean users/user?"
        );
    }
}
