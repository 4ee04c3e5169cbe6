//! Kelvin access tokens: the OAuth2 password grant at
//! `POST /ucsschool/kelvin/token` (not part of the 4.0.0 v1 document, so
//! written by hand, but sent through the one executor: bounded body, the
//! session's retry policy and error mapping, no redirects), the token's
//! expiry read from the JWT, refresh before expiry, one refresh shared by all
//! concurrent requests, and a new login after a 401.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use serde::Deserialize;

use crate::error::{ApiError, Error, Result};
use crate::http::exec::{
    execute, send_hand_written, Auth, NoAuth, Op, Overrides, Redirects, Transport,
};
use crate::http::token_cache::TokenCache;
use crate::secret::Secret;

/// How long a token is assumed to live when its expiry cannot be read.
const FALLBACK_TTL: Duration = Duration::from_secs(300);

/// The longest lifetime believed from a token answer; longer claims
/// (`expires_in` = 2^64 - 1, `exp` = 1e300) are clamped to it.
const MAX_TTL: Duration = Duration::from_secs(24 * 3600);

/// Logs in and hands out a valid token.
pub(crate) struct TokenSource {
    transport: Transport,
    token_url: String,
    username: String,
    password: Secret,
    leeway: Duration,
    token: TokenCache,
    logins: AtomicU64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Secret,
    #[serde(default)]
    expires_in: Option<f64>,
}

impl TokenSource {
    pub(crate) fn new(
        transport: Transport,
        host: &str,
        username: String,
        password: Secret,
        leeway: Duration,
    ) -> Self {
        TokenSource {
            transport,
            token_url: format!("{host}/ucsschool/kelvin/token"),
            username,
            password,
            leeway,
            token: TokenCache::new(),
            logins: AtomicU64::new(0),
        }
    }

    /// How many login requests this source has sent.
    pub(crate) fn logins(&self) -> u64 {
        self.logins.load(Ordering::Relaxed)
    }

    /// One password-grant login through the executor (it changes nothing on
    /// the server, so it is retried like a GET).
    async fn login(&self) -> Result<(HeaderValue, SystemTime)> {
        tracing::debug!(url = %self.token_url, user = %self.username, "logging in");
        let form = [
            ("grant_type", "password"),
            ("username", self.username.as_str()),
            ("password", self.password.expose()),
        ];
        let op = Op::new("POST", self.token_url.clone())
            .with_secrets(vec![&self.password])
            .safe_to_repeat();
        let answer = execute(
            &self.transport,
            &NoAuth,
            &Overrides::default(),
            op,
            |prepared| {
                self.logins.fetch_add(1, Ordering::Relaxed);
                let request = self.transport.http.post(&self.token_url).form(&form);
                send_hand_written(request, prepared, Redirects::Refuse)
            },
        )
        .await
        .map_err(|e| self.login_failed(e))?;
        let issued = SystemTime::now();
        let status = answer.status();
        let (body, context) = answer.into_parts();
        let decode_error = |message: String| Error::Decode {
            context: Box::new(context.clone()),
            message,
        };
        if status != 200 {
            return Err(decode_error(format!(
                "the token endpoint answered {status} instead of a token"
            )));
        }
        let parsed: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| decode_error(format!("token answer: {e}")))?;
        let mut header = HeaderValue::from_str(&format!("Bearer {}", parsed.access_token.expose()))
            .map_err(|_| {
                decode_error("the token contains characters HTTP headers cannot carry".into())
            })?;
        header.set_sensitive(true);
        let expires = expiry(&parsed, issued);
        // refresh `leeway` before expiry, but never before half the lifetime
        let lifetime = expires.duration_since(issued).unwrap_or(Duration::ZERO);
        let refresh_at = expires
            .checked_sub(self.leeway.min(lifetime / 2))
            .unwrap_or(issued);
        Ok((header, refresh_at))
    }

    /// A failed login says who could not log in where (401 and 403 both mean
    /// the credentials were refused).
    fn login_failed(&self, error: Error) -> Error {
        match error {
            Error::Unauthorized(api) | Error::Forbidden(api) => {
                Error::Unauthorized(Box::new(ApiError {
                    detail: format!(
                        "login as {:?} at {} failed: {}",
                        self.username, self.token_url, api.detail
                    ),
                    status: 401,
                    ..*api
                }))
            }
            other => other,
        }
    }
}

/// When a token expires: the JWT's `exp`, else `expires_in`, else the
/// fallback; never later than [`MAX_TTL`] from `issued`.
fn expiry(answer: &TokenAnswer, issued: SystemTime) -> SystemTime {
    let latest = issued + MAX_TTL;
    let claimed = jwt_expiry(answer.access_token.expose()).or_else(|| {
        let seconds = answer.expires_in.filter(|s| s.is_finite() && *s >= 0.0)?;
        let lifetime = Duration::try_from_secs_f64(seconds.min(MAX_TTL.as_secs_f64())).ok()?;
        issued.checked_add(lifetime)
    });
    claimed.unwrap_or(issued + FALLBACK_TTL).min(latest)
}

impl Auth for TokenSource {
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>> {
        // the token to send, logging in first if there is none or it is about to expire;
        // concurrent callers wait for one login
        Box::pin(async move {
            self.token
                .get_or_fetch("access token about to expire: logging in again", || {
                    self.login()
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

/// The `exp` claim of a JWT (not verified: the client only needs to know when
/// to refresh). Values beyond what the clock can hold count as unreadable.
pub(crate) fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    let since_epoch = Duration::try_from_secs_f64(exp).ok()?;
    UNIX_EPOCH.checked_add(since_epoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            enc.encode(r#"{"alg":"HS256"}"#),
            enc.encode(claims)
        )
    }

    #[test]
    fn expiry_is_read_from_the_exp_claim() {
        let t = jwt(r#"{"sub":"admin","exp":2000000000}"#);
        assert_eq!(
            jwt_expiry(&t),
            Some(UNIX_EPOCH + Duration::from_secs(2_000_000_000))
        );
    }

    #[test]
    fn tokens_without_a_readable_exp_have_no_expiry() {
        assert_eq!(jwt_expiry("not-a-jwt"), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"admin"}"#)), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":-5}"#)), None);
    }

    /// Hostile lifetimes panicked before (instant overflow in
    /// `Duration::from_secs_f64` and `SystemTime + Duration`).
    #[test]
    fn absurd_lifetimes_are_clamped_not_a_panic() {
        let issued = SystemTime::now();
        for claims in [r#"{"exp":1e300}"#, r#"{"exp":1e19}"#, r#"{"exp":1.8e19}"#] {
            let answer = TokenAnswer {
                access_token: Secret::new(jwt(claims)),
                expires_in: None,
            };
            let e = expiry(&answer, issued);
            assert!(e <= issued + MAX_TTL, "{claims}");
        }
        for expires_in in [u64::MAX as f64, 1e300, f64::INFINITY, f64::NAN, -1.0] {
            let answer = TokenAnswer {
                access_token: Secret::new("opaque"),
                expires_in: Some(expires_in),
            };
            let e = expiry(&answer, issued);
            assert!(e <= issued + MAX_TTL && e > issued, "{expires_in}");
        }
        let answer = TokenAnswer {
            access_token: Secret::new("opaque"),
            expires_in: Some(120.0),
        };
        assert_eq!(expiry(&answer, issued), issued + Duration::from_secs(120));
    }
}
