//! Kelvin access tokens: the OAuth2 password grant at
//! `POST /ucsschool/kelvin/token` (not part of the 4.0.0 v1 document, so
//! written by hand), the token's expiry read from the JWT, refresh before
//! expiry, one refresh shared by all concurrent requests, and a new login
//! after a 401.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use serde::Deserialize;

use crate::error::{ApiError, Error, RequestContext, Result};
use crate::http::exec::{new_request_id, Auth};
use crate::http::retry::{parse_retry_after, RetryPolicy};
use crate::secret::Secret;

/// How long a token is assumed to live when its expiry cannot be read.
const FALLBACK_TTL: Duration = Duration::from_secs(300);

/// A token and when it stops being used.
struct Token {
    value: Secret,
    refresh_at: SystemTime,
    generation: u64,
}

/// Logs in and hands out a valid token.
pub(crate) struct TokenSource {
    http: reqwest::Client,
    token_url: String,
    username: String,
    password: Secret,
    leeway: Duration,
    retry: RetryPolicy,
    current: tokio::sync::Mutex<Option<Token>>,
    generations: AtomicU64,
    logins: AtomicU64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Secret,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenSource {
    pub(crate) fn new(
        http: reqwest::Client,
        host: &str,
        username: String,
        password: Secret,
        leeway: Duration,
        retry: RetryPolicy,
    ) -> Self {
        TokenSource {
            http,
            token_url: format!("{host}/ucsschool/kelvin/token"),
            username,
            password,
            leeway,
            retry,
            current: tokio::sync::Mutex::new(None),
            generations: AtomicU64::new(0),
            logins: AtomicU64::new(0),
        }
    }

    /// How many logins this source has done.
    pub(crate) fn logins(&self) -> u64 {
        self.logins.load(Ordering::Relaxed)
    }

    /// The token to send, logging in first if there is none or it is about to
    /// expire. Concurrent callers wait for one login.
    async fn token(&self) -> Result<(Secret, u64)> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            if SystemTime::now() < token.refresh_at {
                return Ok((token.value.clone(), token.generation));
            }
            tracing::debug!("access token about to expire: logging in again");
        }
        let (value, refresh_at) = self.login().await?;
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        *current = Some(Token {
            value: value.clone(),
            refresh_at,
            generation,
        });
        Ok((value, generation))
    }

    /// Drops the token of `generation` if it is still the current one.
    async fn invalidate(&self, generation: u64) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| t.generation == generation) {
            *current = None;
        }
    }

    /// One password-grant login, retried on 429/502/503/504 and connection
    /// errors (it changes nothing on the server).
    async fn login(&self) -> Result<(Secret, SystemTime)> {
        let request_id = new_request_id();
        let context = RequestContext {
            method: "POST".into(),
            url: self.token_url.clone(),
            request_id: Some(request_id.clone()),
        };
        let started = std::time::Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.logins.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(url = %self.token_url, user = %self.username, request_id = %request_id, attempt, "logging in");
            let form = [
                ("grant_type", "password"),
                ("username", self.username.as_str()),
                ("password", self.password.expose()),
            ];
            let sent = self
                .http
                .post(&self.token_url)
                .header("x-request-id", &request_id)
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&form)
                .send()
                .await;
            let (error, retry_after) = match sent {
                Ok(response) if response.status().is_success() => {
                    let issued = SystemTime::now();
                    let answer: TokenAnswer = response.json().await.map_err(|e| Error::Decode {
                        context: Box::new(context.clone()),
                        message: format!("token answer: {e}"),
                    })?;
                    let expires = jwt_expiry(answer.access_token.expose())
                        .or_else(|| answer.expires_in.map(|s| issued + Duration::from_secs(s)))
                        .unwrap_or(issued + FALLBACK_TTL);
                    // refresh `leeway` before expiry, but never before half the lifetime
                    let lifetime = expires.duration_since(issued).unwrap_or(Duration::ZERO);
                    let refresh_at = expires
                        .checked_sub(self.leeway.min(lifetime / 2))
                        .unwrap_or(issued);
                    return Ok((answer.access_token, refresh_at));
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    let body = response.bytes().await.unwrap_or_default();
                    let mut api = crate::http::error_body::decode(
                        context.clone(),
                        status,
                        &body,
                        &[&self.password],
                    );
                    if status == 401 || status == 403 {
                        api.detail = format!(
                            "login as {:?} at {} failed: {}",
                            self.username, self.token_url, api.detail
                        );
                        return Err(Error::Unauthorized(Box::new(ApiError {
                            status: 401,
                            ..api
                        })));
                    }
                    let error = Error::from_status(api);
                    if !self.retry.retries_status(status) {
                        return Err(error);
                    }
                    (error, retry_after)
                }
                Err(e) => (
                    Error::Transport {
                        context: Box::new(context.clone()),
                        message: format!(
                            "cannot log in as {:?}: {}",
                            self.username,
                            crate::http::exec::describe(&e)
                        ),
                        maybe_sent: !e.is_connect(),
                    },
                    None,
                ),
            };
            match self
                .retry
                .next_delay(attempt, started.elapsed(), retry_after)
            {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(error),
            }
        }
    }
}

impl Auth for TokenSource {
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>> {
        Box::pin(async move {
            let (token, generation) = self.token().await?;
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Error::InvalidInput("the server sent a token HTTP headers cannot carry".into())
                })?;
            value.set_sensitive(true);
            Ok(Some((value, generation)))
        })
    }

    fn rejected(&self, generation: u64) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            self.invalidate(generation).await;
            true
        })
    }
}

/// The `exp` claim of a JWT (not verified: the client only needs to know when
/// to refresh).
pub(crate) fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    if !exp.is_finite() || exp < 0.0 {
        return None;
    }
    Some(UNIX_EPOCH + Duration::from_secs_f64(exp))
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
    }
}
