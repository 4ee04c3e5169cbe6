//! Running one API call: headers, request id, tracing span, error decoding,
//! retries and re-authentication.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use futures::TryStreamExt;
use progenitor_client::{ByteStream, Error as RawError, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::error::{Error, RequestContext, Result};
use crate::http::error_body;
use crate::http::retry::{parse_retry_after, RetryPolicy};
use crate::secret::Secret;

/// The largest error body read (the rest is ignored).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Supplies the `Authorization` header and reacts to 401 answers.
pub(crate) trait Auth: Send + Sync {
    /// The header for the next attempt, with a generation number identifying
    /// the credentials it carries.
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>>;
    /// The server answered 401 to credentials of `generation`. Returns
    /// whether sending again with fresh credentials makes sense.
    fn rejected(&self, generation: u64) -> BoxFuture<'_, bool>;
}

/// Per-call settings that override the client's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overrides {
    /// `Accept-Language` for this call.
    pub language: Option<String>,
    /// `X-Request-ID` for this call (else a fresh UUID).
    pub request_id: Option<String>,
    /// Retry policy for this call.
    pub retry: Option<RetryPolicy>,
}

/// Settings shared by every call of a client.
#[derive(Clone, Debug)]
pub(crate) struct Defaults {
    /// The client's `Accept-Language`.
    pub language: Option<String>,
    /// The client's retry policy.
    pub retry: RetryPolicy,
}

/// What the call is, for logs, errors and retry decisions.
pub(crate) struct Op<'a> {
    /// HTTP method.
    pub method: &'static str,
    /// Full URL (for messages; the raw client builds its own).
    pub url: String,
    /// Whether sending twice is harmless.
    pub idempotent: bool,
    /// Values the request carries that must never come back in an error.
    pub secrets: Vec<&'a Secret>,
}

impl Op<'_> {
    /// A call of `method` on `url`; GET, HEAD, PUT, PATCH and DELETE are
    /// idempotent.
    pub fn new(method: &'static str, url: impl Into<String>) -> Op<'static> {
        Op {
            method,
            url: url.into(),
            idempotent: method != "POST",
            secrets: Vec::new(),
        }
    }

    /// Adds secrets to keep out of error texts.
    pub fn with_secrets<'b>(self, secrets: Vec<&'b Secret>) -> Op<'b> {
        Op {
            method: self.method,
            url: self.url,
            idempotent: self.idempotent,
            secrets,
        }
    }
}

/// An error-response body type of the generated clients: a byte stream for
/// declared error statuses, nothing for operations that declare none.
pub(crate) trait ErrorBody: Send {
    /// Reads the body (bounded).
    fn read(self) -> impl Future<Output = Vec<u8>> + Send;
}

impl ErrorBody for ByteStream {
    async fn read(self) -> Vec<u8> {
        read_stream(self).await
    }
}

impl ErrorBody for () {
    async fn read(self) -> Vec<u8> {
        Vec::new()
    }
}

/// What one failed attempt means.
enum Failure {
    /// Give up with this error.
    Fatal(Error),
    /// Try again after the delay (if the policy allows), else this error.
    Retry(Error, Option<Duration>),
    /// 401: try again once with fresh credentials.
    Unauthorized(Error),
}

/// A fresh request id.
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Runs `send` (one call of a generated method, given the headers to add)
/// until it succeeds or the retry policy gives up.
pub(crate) async fn execute<T, E, F, Fut>(
    defaults: &Defaults,
    auth: &dyn Auth,
    overrides: &Overrides,
    op: Op<'_>,
    mut send: F,
) -> Result<ResponseValue<T>>
where
    E: ErrorBody,
    F: FnMut(HeaderMap) -> Fut,
    Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>>,
{
    let request_id = overrides.request_id.clone().unwrap_or_else(new_request_id);
    let policy = overrides.retry.as_ref().unwrap_or(&defaults.retry);
    let language = overrides.language.as_ref().or(defaults.language.as_ref());
    let context = RequestContext {
        method: op.method.to_string(),
        url: op.url.clone(),
        request_id: Some(request_id.clone()),
    };
    let span = tracing::debug_span!("ucs.request", method = op.method, url = %op.url, request_id = %request_id);
    async move {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                headers.insert(HeaderName::from_static("x-request-id"), value);
            }
            if let Some(language) = language.and_then(|l| HeaderValue::from_str(l).ok()) {
                headers.insert(reqwest::header::ACCEPT_LANGUAGE, language);
            }
            let generation = match auth.header().await? {
                Some((mut value, generation)) => {
                    value.set_sensitive(true);
                    headers.insert(reqwest::header::AUTHORIZATION, value);
                    generation
                }
                None => 0,
            };
            tracing::debug!(attempt, "sending");
            let failure = match send(headers).await {
                Ok(response) => {
                    tracing::debug!(
                        attempt,
                        status = response.status().as_u16(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "done"
                    );
                    return Ok(response);
                }
                Err(raw) => classify(raw, &context, &op, policy).await,
            };
            let (error, server_delay) = match failure {
                Failure::Fatal(error) => return Err(error),
                Failure::Unauthorized(error) => {
                    if !reauthenticated && auth.rejected(generation).await {
                        reauthenticated = true;
                        tracing::debug!(attempt, "401: authenticating again");
                        attempt -= 1;
                        continue;
                    }
                    return Err(error);
                }
                Failure::Retry(error, delay) => (error, delay),
            };
            match policy.next_delay(attempt, started.elapsed(), server_delay) {
                Some(delay) => {
                    tracing::warn!(
                        attempt,
                        status = error.status(),
                        delay_ms = delay.as_millis() as u64,
                        "retrying: {}",
                        short(&error)
                    );
                    tokio::time::sleep(delay).await;
                }
                None => {
                    tracing::debug!(attempt, "giving up: {}", short(&error));
                    return Err(error);
                }
            }
        }
    }
    .instrument(span)
    .await
}

fn short(error: &Error) -> String {
    match error {
        Error::Transport { message, .. } => message.clone(),
        other => other
            .status()
            .map(|s| s.to_string())
            .unwrap_or_else(|| "error".into()),
    }
}

async fn classify<E: ErrorBody>(
    raw: RawError<E>,
    context: &RequestContext,
    op: &Op<'_>,
    policy: &RetryPolicy,
) -> Failure {
    let (status, headers, body) = match raw {
        RawError::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.into_inner().read().await;
            (status, headers, body)
        }
        RawError::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = read_response(response).await;
            (status, headers, body)
        }
        RawError::CommunicationError(e)
        | RawError::ResponseBodyError(e)
        | RawError::InvalidUpgrade(e) => {
            // A refused connection never reached the server; anything else
            // (timeout, reset) may have.
            let never_sent = e.is_connect();
            let error = Error::Transport {
                context: Box::new(context.clone()),
                message: describe(&e),
                maybe_sent: !never_sent,
            };
            return if op.idempotent || never_sent {
                Failure::Retry(error, None)
            } else {
                Failure::Fatal(error)
            };
        }
        RawError::InvalidResponsePayload(_, e) => {
            return Failure::Fatal(Error::Decode {
                context: Box::new(context.clone()),
                message: e.to_string(),
            })
        }
        RawError::InvalidRequest(message) => return Failure::Fatal(Error::InvalidInput(message)),
        RawError::Custom(message) => {
            return Failure::Fatal(Error::Transport {
                context: Box::new(context.clone()),
                message,
                maybe_sent: false,
            })
        }
    };
    let error = Error::from_status(error_body::decode(
        context.clone(),
        status,
        &body,
        &op.secrets,
    ));
    if status == 401 {
        return Failure::Unauthorized(error);
    }
    // 429 and 503 mean "not processed"; 502 and 504 may come after the
    // backend processed the request, so only idempotent calls repeat them.
    let safe_for_any_method = matches!(status, 429 | 503);
    if policy.retries_status(status) && (op.idempotent || safe_for_any_method) {
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        return Failure::Retry(error, retry_after);
    }
    Failure::Fatal(error)
}

/// A reqwest error's message with its sources, without the URL (the context
/// carries it).
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut message = if error.is_timeout() {
        "timed out".to_string()
    } else if error.is_connect() {
        "cannot connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Reads at most [`MAX_ERROR_BODY`] bytes of a body stream.
pub(crate) async fn read_stream(stream: ByteStream) -> Vec<u8> {
    read_bounded(stream.into_inner()).await
}

async fn read_response(response: reqwest::Response) -> Vec<u8> {
    read_bounded(response.bytes_stream()).await
}

async fn read_bounded<S>(mut chunks: S) -> Vec<u8>
where
    S: futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin,
{
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = chunks.try_next().await {
        let room = MAX_ERROR_BODY.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    out
}

/// Reads a whole success body stream (bounded by `limit` bytes).
pub(crate) async fn collect_body(
    stream: ByteStream,
    limit: usize,
    context: &RequestContext,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut inner = stream.into_inner();
    loop {
        match inner.try_next().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > limit {
                    return Err(Error::Decode {
                        context: Box::new(context.clone()),
                        message: format!("answer larger than {limit} bytes"),
                    });
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => {
                return Err(Error::Transport {
                    context: Box::new(context.clone()),
                    message: describe(&e),
                    maybe_sent: true,
                })
            }
        }
    }
}

/// Fixed HTTP Basic credentials.
pub(crate) struct BasicAuth(HeaderValue);

impl BasicAuth {
    pub(crate) fn new(user: &str, password: &Secret) -> Result<Self> {
        use base64::Engine;
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{user}:{}", password.expose()));
        let mut value = HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| {
            Error::Config("the user name contains characters HTTP headers cannot carry".into())
        })?;
        value.set_sensitive(true);
        Ok(BasicAuth(value))
    }
}

impl Auth for BasicAuth {
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>> {
        let value = self.0.clone();
        Box::pin(async move { Ok(Some((value, 0))) })
    }

    fn rejected(&self, _generation: u64) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }
}
