//! A fixed bearer token (obtained elsewhere, e.g. from Keycloak by another
//! process), sent as `Authorization: Bearer <token>`.

use futures::future::BoxFuture;
use reqwest::header::HeaderValue;

use crate::error::{Error, Result};
use crate::http::exec::Auth;
use crate::secret::Secret;

/// A fixed bearer token. A 401 is final: there is nothing to renew it with.
pub(crate) struct StaticBearer(HeaderValue);

impl StaticBearer {
    /// The header for `token` (without the `Bearer ` prefix).
    pub(crate) fn new(token: &Secret) -> Result<Self> {
        Ok(StaticBearer(bearer_header(token.expose()).ok_or_else(
            || {
                Error::Config(
                    "the bearer token is empty or contains characters HTTP headers cannot carry"
                        .into(),
                )
            },
        )?))
    }
}

/// `Bearer <token>` as a sensitive header value; `None` for an empty token
/// or one with characters a header cannot carry.
pub(crate) fn bearer_header(token: &str) -> Option<HeaderValue> {
    let token = token.trim();
    if token.is_empty() {
        return None;
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl Auth for StaticBearer {
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>> {
        let value = self.0.clone();
        Box::pin(async move { Ok(Some((value, 0))) })
    }

    fn rejected(&self, _generation: u64) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_become_sensitive_bearer_headers() {
        let value = bearer_header(" abc.def ").unwrap();
        assert_eq!(value.to_str().unwrap(), "Bearer abc.def");
        assert!(value.is_sensitive());
        assert!(bearer_header("").is_none());
        assert!(bearer_header("line\nbreak").is_none());
        let error = StaticBearer::new(&Secret::new("bad\r\ntoken-value"))
            .err()
            .unwrap();
        assert!(!error.to_string().contains("token-value"), "{error}");
    }
}
