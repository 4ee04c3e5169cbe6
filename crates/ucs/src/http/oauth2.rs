//! OAuth 2 client-credentials grant (RFC 6749 section 4.4), as Keycloak
//! serves it for Nubus: `POST <token_url>` with the form `grant_type=
//! client_credentials`, `client_id`, `client_secret` and an optional
//! `scope`; the answer's `access_token` is sent as `Authorization: Bearer`
//! to the API, a new one requested before `expires_in` runs out, one request
//! shared by all concurrent calls, and a new one after a 401.
//!
//! The token endpoint may be on another origin than the API: the client
//! secret goes only to the token endpoint (in the form, never in a header
//! of an API request), the access token only to the API (the token request
//! carries no `Authorization`). Redirects are followed for neither.

use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{ApiError, Error, RequestContext, Result};
use crate::http::bearer::bearer_header;
use crate::http::exec::{
    execute, send_hand_written, Auth, NoAuth, Op, Overrides, Redirects, Transport,
};
use crate::http::limit::ConcurrencyLimit;
use crate::http::token_cache::TokenCache;
use crate::secret::Secret;

/// How long a token is assumed to live when the answer has no `expires_in`.
const FALLBACK_TTL: Duration = Duration::from_secs(300);

/// The longest lifetime believed from a token answer.
const MAX_TTL: Duration = Duration::from_secs(24 * 3600);

/// How long before expiry a new token is requested (at most half the
/// lifetime).
const LEEWAY: Duration = Duration::from_secs(30);

/// The configuration of the grant.
#[derive(Clone, Debug)]
pub(crate) struct ClientCredentials {
    /// The token endpoint (Keycloak:
    /// `https://<host>/realms/<realm>/protocol/openid-connect/token`).
    pub token_url: reqwest::Url,
    /// The client id.
    pub client_id: String,
    /// The client secret (sent only to the token endpoint).
    pub client_secret: Secret,
    /// Space-separated scopes to ask for, if any.
    pub scope: Option<String>,
}

/// Requests and hands out access tokens.
pub(crate) struct ClientCredentialsSource {
    transport: Transport,
    config: ClientCredentials,
    token: TokenCache,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Secret,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<Value>,
}

impl ClientCredentialsSource {
    /// A source sending its token requests with `transport`'s HTTP client
    /// (TLS trust, proxy, timeouts, retries), outside the API's cap on
    /// concurrent requests.
    pub(crate) fn new(transport: &Transport, config: ClientCredentials) -> Self {
        if config.token_url.scheme() != "https" && !is_loopback(&config.token_url) {
            tracing::warn!(
                url = %config.token_url,
                "the OAuth 2 token endpoint is not https: the client secret travels unencrypted"
            );
        }
        let mut transport = transport.clone();
        transport.limit = ConcurrencyLimit::unlimited();
        ClientCredentialsSource {
            transport,
            config,
            token: TokenCache::new(),
        }
    }

    /// One token request through the executor (it changes nothing on the
    /// server, so it is retried like a GET).
    async fn request_token(&self) -> Result<(HeaderValue, SystemTime)> {
        let config = &self.config;
        tracing::debug!(url = %config.token_url, client = %config.client_id, "requesting an access token");
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", config.client_id.as_str()),
            ("client_secret", config.client_secret.expose()),
        ];
        if let Some(scope) = &config.scope {
            form.push(("scope", scope.as_str()));
        }
        let op = Op::new("POST", config.token_url.as_str())
            .with_secrets(vec![&config.client_secret])
            .safe_to_repeat();
        let http = &self.transport.http;
        let answer = execute(
            &self.transport,
            &NoAuth,
            &Overrides::default(),
            op,
            |prepared| {
                let request = http.post(config.token_url.clone()).form(&form);
                send_hand_written(request, prepared, Redirects::Refuse)
            },
        )
        .await
        .map_err(|e| self.request_failed(e))?;
        let issued = SystemTime::now();
        let status = answer.status();
        let (body, context) = answer.into_parts();
        if status != 200 {
            return Err(decode_error(
                &context,
                format!("the token endpoint answered {status} instead of a token"),
            ));
        }
        let parsed: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| decode_error(&context, format!("token answer: {e}")))?;
        check_token_type(parsed.token_type.as_deref(), &context)?;
        let header = bearer_header(parsed.access_token.expose()).ok_or_else(|| {
            decode_error(
                &context,
                "the access token is empty or contains characters HTTP headers cannot carry".into(),
            )
        })?;
        Ok((header, refresh_time(parsed.expires_in.as_ref(), issued)))
    }

    /// A refused token request says which client could not get a token
    /// where (400 with `invalid_client`/`invalid_scope`, 401 and 403 all
    /// mean the grant was refused).
    fn request_failed(&self, error: Error) -> Error {
        match error {
            Error::Unauthorized(api) | Error::Forbidden(api) | Error::InvalidRequest(api) => {
                Error::Unauthorized(Box::new(ApiError {
                    detail: format!(
                        "OAuth 2 token request for client {:?} at {} failed ({}): {}",
                        self.config.client_id, self.config.token_url, api.status, api.detail
                    ),
                    ..*api
                }))
            }
            other => other,
        }
    }
}

fn decode_error(context: &RequestContext, message: String) -> Error {
    Error::Decode {
        context: Box::new(context.clone()),
        message,
    }
}

/// Only bearer tokens can be sent as they are (a DPoP or MAC token needs
/// more than a header).
fn check_token_type(token_type: Option<&str>, context: &RequestContext) -> Result<()> {
    match token_type {
        None => Ok(()),
        Some(t) if t.eq_ignore_ascii_case("bearer") => Ok(()),
        Some(other) => Err(decode_error(
            context,
            format!(
                "the token endpoint issued a {other:?} token; only Bearer tokens are supported"
            ),
        )),
    }
}

/// When to request the next token: `leeway` before expiry, but not before
/// half the lifetime; the lifetime from `expires_in` (a number, or a number
/// as text), clamped to [`MAX_TTL`], else [`FALLBACK_TTL`].
fn refresh_time(expires_in: Option<&Value>, issued: SystemTime) -> SystemTime {
    let seconds = match expires_in {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let lifetime = seconds
        .filter(|s| s.is_finite() && *s >= 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s.min(MAX_TTL.as_secs_f64())).ok())
        .unwrap_or(FALLBACK_TTL);
    issued + lifetime - LEEWAY.min(lifetime / 2)
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Auth for ClientCredentialsSource {
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>> {
        // the token to send, requesting one first if there is none or it is about to
        // expire; concurrent callers wait for one request
        Box::pin(async move {
            self.token
                .get_or_fetch("access token about to expire: requesting a new one", || {
                    self.request_token()
                })
                .await
                .map(Some)
        })
    }

    fn rejected(&self, generation: u64) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            self.token.invalidate(generation).await;
            true
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_come_from_expires_in_and_are_clamped() {
        let issued = SystemTime::now();
        let at = |v: Option<Value>| {
            refresh_time(v.as_ref(), issued)
                .duration_since(issued)
                .unwrap()
        };
        assert_eq!(at(Some(300.into())), Duration::from_secs(270));
        assert_eq!(at(Some("300".into())), Duration::from_secs(270));
        // short lifetimes are used for at least half of them
        assert_eq!(at(Some(20.into())), Duration::from_secs(10));
        assert_eq!(at(None), Duration::from_secs(270));
        assert_eq!(at(Some((-5).into())), Duration::from_secs(270));
        assert_eq!(at(Some("soon".into())), Duration::from_secs(270));
        assert_eq!(at(Some(1e300.into())), MAX_TTL - LEEWAY);
        assert_eq!(at(Some(u64::MAX.into())), MAX_TTL - LEEWAY);
    }

    #[test]
    fn only_bearer_tokens_are_accepted() {
        let context = RequestContext::default();
        assert!(check_token_type(None, &context).is_ok());
        assert!(check_token_type(Some("bearer"), &context).is_ok());
        assert!(check_token_type(Some("Bearer"), &context).is_ok());
        let error = check_token_type(Some("DPoP"), &context).unwrap_err();
        assert!(error.to_string().contains("only Bearer"), "{error}");
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for (url, loopback) in [
            ("http://localhost:8080/t", true),
            ("http://127.0.0.1/t", true),
            ("http://[::1]:99/t", true),
            ("http://kc.example.com/t", false),
            ("http://10.0.0.1/t", false),
        ] {
            assert_eq!(
                is_loopback(&reqwest::Url::parse(url).unwrap()),
                loopback,
                "{url}"
            );
        }
    }

    #[test]
    fn the_configuration_debug_hides_the_secret() {
        let config = ClientCredentials {
            token_url: reqwest::Url::parse("https://kc.example.com/token").unwrap(),
            client_id: "ucs-sync".into(),
            client_secret: Secret::new("Client-Secret-1"),
            scope: None,
        };
        let text = format!("{config:?}");
        assert!(!text.contains("Client-Secret-1"), "{text}");
        assert!(text.contains("ucs-sync"), "{text}");
    }
}
