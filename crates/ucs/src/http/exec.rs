//! Running one API call: headers, request id, tracing span, error decoding,
//! redaction, retries and re-authentication. Every request of both clients,
//! the Kelvin login included, goes through [`execute`].

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use futures::TryStreamExt;
use progenitor_client::{ByteStream, Error as RawError, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::error::{Error, RequestContext, Result};
use crate::http::answer::Answer;
use crate::http::error_body;
use crate::http::limit::ConcurrencyLimit;
use crate::http::retry::{parse_retry_after, RetryPolicy};
use crate::secret::Secret;

/// The largest error body read (the rest is ignored).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Supplies the `Authorization` header and reacts to 401 answers.
pub(crate) trait Auth: Send + Sync {
    /// The header for the next attempt, with a generation number identifying
    /// the credentials it carries (`None`: send no credentials).
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>>;
    /// The server answered 401 to credentials of `generation`. Returns
    /// whether sending again with fresh credentials makes sense.
    fn rejected(&self, generation: u64) -> BoxFuture<'_, bool>;
}

/// No credentials (the Kelvin login itself).
pub(crate) struct NoAuth;

impl Auth for NoAuth {
    fn header(&self) -> BoxFuture<'_, Result<Option<(HeaderValue, u64)>>> {
        Box::pin(async { Ok(None) })
    }

    fn rejected(&self, _generation: u64) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }
}

/// Per-handle settings that override the client's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overrides {
    /// `Accept-Language` for this call.
    pub language: Option<String>,
    /// `X-Request-ID` for this call (else a fresh UUID).
    pub request_id: Option<String>,
    /// Retry policy for this call.
    pub retry: Option<RetryPolicy>,
}

/// What every call of a client shares: the HTTP client and its defaults.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    /// The one HTTP client (connection reuse; never follows redirects).
    pub http: reqwest::Client,
    /// The client's `Accept-Language`.
    pub language: Option<String>,
    /// The client's retry policy.
    pub retry: RetryPolicy,
    /// The largest answer body read, in bytes.
    pub max_body: usize,
    /// The header that carries the request id (default `X-Request-ID`).
    pub request_id_header: HeaderName,
    /// The cap on requests in flight, shared by every call of the client.
    pub limit: ConcurrencyLimit,
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

    /// Marks a write the caller confirms itself after an ambiguous failure
    /// (a lost answer): the executor then repeats it only where the server
    /// certainly did not process it (a refused connection, 429, 503).
    pub fn not_repeated(mut self) -> Self {
        self.idempotent = false;
        self
    }

    /// Marks a POST that changes nothing on the server (a login), so that it
    /// is retried like a GET.
    pub fn safe_to_repeat(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

/// What a call's `send` closure gets for one attempt.
pub(crate) struct Prepared {
    /// Headers to add (request id, language, accept, credentials).
    pub headers: HeaderMap,
    /// The largest answer body to read.
    pub max_body: usize,
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for progenitor_client::ByteStream {}
    impl Sealed for () {}
}

/// An error-response body type of the generated clients: a byte stream
/// (`progenitor_client::ByteStream`) for declared error statuses, `()` for
/// operations that declare none. Implemented for exactly these two.
pub trait ErrorBody: Send + sealed::Sealed {
    /// Reads the body (bounded).
    #[doc(hidden)]
    fn read(self) -> impl Future<Output = Vec<u8>> + Send;
}

impl ErrorBody for ByteStream {
    async fn read(self) -> Vec<u8> {
        read_bounded(self.into_inner(), MAX_ERROR_BODY).await
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

/// Runs `send` (one call of a generated method or a hand-written request,
/// given the headers to add) until it succeeds or the retry policy gives up.
/// The answer carries the request's context.
pub(crate) async fn execute<T, E, F, Fut>(
    transport: &Transport,
    auth: &dyn Auth,
    overrides: &Overrides,
    op: Op<'_>,
    mut send: F,
) -> Result<Answer<T>>
where
    E: ErrorBody,
    F: FnMut(Prepared) -> Fut,
    Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>>,
{
    let request_id = overrides.request_id.clone().unwrap_or_else(new_request_id);
    let call = CallState {
        transport,
        auth,
        policy: overrides.retry.as_ref().unwrap_or(&transport.retry),
        context: RequestContext {
            method: op.method.to_string(),
            url: op.url.clone(),
            request_id: Some(request_id.clone()),
        },
        base_headers: base_headers(transport, overrides, &request_id),
        op,
        started: Instant::now(),
    };
    let span = tracing::debug_span!("ucs.request", method = call.op.method, url = %call.op.url, request_id = %request_id);
    async move {
        let mut attempt: u32 = 0;
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            let (generation, failure) = match call.attempt(attempt, &mut send).await? {
                Attempted::Answered(answer) => return Ok(answer),
                Attempted::Failed(generation, failure) => (generation, failure),
            };
            match call
                .after(failure, attempt, generation, &mut reauthenticated)
                .await
            {
                Next::Reauthenticate => attempt -= 1,
                Next::Wait(delay) => tokio::time::sleep(delay).await,
                Next::GiveUp(error) => return Err(error),
            }
        }
    }
    .instrument(span)
    .await
}

/// One call being executed: what every attempt shares.
struct CallState<'a, 'o> {
    transport: &'a Transport,
    auth: &'a dyn Auth,
    policy: &'a RetryPolicy,
    context: RequestContext,
    base_headers: HeaderMap,
    op: Op<'o>,
    started: Instant,
}

/// How one attempt ended.
enum Attempted<T> {
    /// The server answered with success.
    Answered(Answer<T>),
    /// It failed; the credentials' generation and what the failure means.
    Failed(u64, Failure),
}

/// What follows a failed attempt.
enum Next {
    /// Send again at once with fresh credentials (not counted as a retry).
    Reauthenticate,
    /// Send again after this delay.
    Wait(Duration),
    /// Stop with this error.
    GiveUp(Error),
}

impl CallState<'_, '_> {
    /// Sends once with fresh headers and credentials.
    async fn attempt<T, E, F, Fut>(&self, attempt: u32, send: &mut F) -> Result<Attempted<T>>
    where
        E: ErrorBody,
        F: FnMut(Prepared) -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>>,
    {
        let mut headers = self.base_headers.clone();
        let (generation, sent) = authorize(self.auth, &mut headers).await?;
        tracing::debug!(attempt, "sending");
        let prepared = Prepared {
            headers,
            max_body: self.transport.max_body,
        };
        // taken after the credentials: a login goes through the executor
        // too and must not wait for a permit held by its caller
        let _permit = self.transport.limit.acquire().await;
        match send(prepared).await {
            Ok(response) => {
                tracing::debug!(
                    attempt,
                    status = response.status().as_u16(),
                    elapsed_ms = self.started.elapsed().as_millis() as u64,
                    "done"
                );
                Ok(Attempted::Answered(Answer::new(
                    response,
                    self.context.clone(),
                )))
            }
            Err(raw) => {
                let secrets: Vec<&Secret> = self.op.secrets.iter().copied().chain(&sent).collect();
                let call = Call {
                    context: &self.context,
                    op: &self.op,
                    secrets: &secrets,
                    max_body: self.transport.max_body,
                };
                let failure = classify(raw, &call, self.policy).await;
                Ok(Attempted::Failed(generation, failure))
            }
        }
    }

    /// Decides what follows a failed attempt: one re-authentication after
    /// a 401, else the retry policy's delay or the error.
    async fn after(
        &self,
        failure: Failure,
        attempt: u32,
        generation: u64,
        reauthenticated: &mut bool,
    ) -> Next {
        let (error, server_delay) = match failure {
            Failure::Fatal(error) => return Next::GiveUp(error),
            Failure::Unauthorized(error) => {
                if !*reauthenticated && self.auth.rejected(generation).await {
                    *reauthenticated = true;
                    tracing::debug!(attempt, "401: authenticating again");
                    return Next::Reauthenticate;
                }
                return Next::GiveUp(error);
            }
            Failure::Retry(error, delay) => (error, delay),
        };
        match self
            .policy
            .next_delay(attempt, self.started.elapsed(), server_delay)
        {
            Some(delay) => {
                tracing::warn!(
                    attempt,
                    status = error.status(),
                    delay_ms = delay.as_millis() as u64,
                    "retrying: {}",
                    short(&error)
                );
                Next::Wait(delay)
            }
            None => {
                tracing::debug!(attempt, "giving up: {}", short(&error));
                Next::GiveUp(error)
            }
        }
    }
}

/// The headers every attempt of a call carries.
fn base_headers(transport: &Transport, overrides: &Overrides, request_id: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(transport.request_id_header.clone(), value);
    }
    let language = overrides.language.as_ref().or(transport.language.as_ref());
    if let Some(language) = language.and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(reqwest::header::ACCEPT_LANGUAGE, language);
    }
    headers.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    headers
}

/// Adds the credentials of the next attempt; returns their generation and
/// the values to keep out of error texts (the header value and what follows
/// its scheme, should a server or proxy echo the header back).
async fn authorize(auth: &dyn Auth, headers: &mut HeaderMap) -> Result<(u64, Vec<Secret>)> {
    let Some((mut value, generation)) = auth.header().await? else {
        return Ok((0, Vec::new()));
    };
    let text = value.to_str().unwrap_or_default().to_string();
    let mut sent = Vec::new();
    if let Some((_, credentials)) = text.split_once(' ') {
        sent.push(Secret::new(credentials.trim()));
    }
    sent.push(Secret::new(text));
    value.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Ok((generation, sent))
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

/// One failed attempt's request, for classifying it.
struct Call<'a> {
    context: &'a RequestContext,
    op: &'a Op<'a>,
    secrets: &'a [&'a Secret],
    max_body: usize,
}

async fn classify<E: ErrorBody>(
    raw: RawError<E>,
    call: &Call<'_>,
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
            let body = read_bounded(response.bytes_stream(), MAX_ERROR_BODY).await;
            (status, headers, body)
        }
        RawError::CommunicationError(e) | RawError::InvalidUpgrade(e) => {
            return transport_failure(&e, call)
        }
        RawError::ResponseBodyError(e) if is_too_large(&e) => {
            return Failure::Fatal(too_large(call.context, call.max_body))
        }
        RawError::ResponseBodyError(e) => return transport_failure(&e, call),
        RawError::InvalidResponsePayload(_, e) => {
            return Failure::Fatal(Error::Decode {
                context: Box::new(call.context.clone()),
                message: e.to_string(),
            })
        }
        RawError::InvalidRequest(message) => return Failure::Fatal(Error::InvalidInput(message)),
        RawError::Custom(message) => {
            return Failure::Fatal(Error::Transport {
                context: Box::new(call.context.clone()),
                message,
                maybe_sent: false,
            })
        }
    };
    let mut api = error_body::decode(call.context.clone(), status, &body, call.secrets);
    if (300..400).contains(&status) {
        api.detail = redirect_detail(&headers, &api.detail, call.secrets);
    }
    let error = Error::from_status(api);
    if status == 401 {
        return Failure::Unauthorized(error);
    }
    // 429 and 503 mean "not processed"; 502 and 504 may come after the
    // backend processed the request, so only idempotent calls repeat them.
    let safe_for_any_method = matches!(status, 429 | 503);
    if policy.retries_status(status) && (call.op.idempotent || safe_for_any_method) {
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        return Failure::Retry(error, retry_after);
    }
    Failure::Fatal(error)
}

/// A redirect answer's text: redirects are never followed.
fn redirect_detail(headers: &HeaderMap, detail: &str, secrets: &[&Secret]) -> String {
    let location = headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("nowhere");
    let location = crate::secret::redact(location, secrets);
    format!("redirect to {location:?} not followed (requests carry credentials): {detail}")
}

/// A connection-level failure: retried when the request never left or is
/// idempotent.
fn transport_failure(e: &reqwest::Error, call: &Call<'_>) -> Failure {
    // A refused connection never reached the server; anything else
    // (timeout, reset) may have.
    let never_sent = e.is_connect();
    let error = Error::Transport {
        context: Box::new(call.context.clone()),
        message: describe(e),
        maybe_sent: !never_sent,
    };
    if call.op.idempotent || never_sent {
        Failure::Retry(error, None)
    } else {
        Failure::Fatal(error)
    }
}

/// Whether a body error is the body limit (`limit_body`).
fn is_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// The error for an answer over the body limit.
pub(crate) fn too_large(context: &RequestContext, limit: usize) -> Error {
    Error::TooLarge {
        context: Box::new(context.clone()),
        limit,
    }
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
    if let Some(advice) = crate::http::tls_hint::advice(error) {
        message.push_str(" -- ");
        message.push_str(&advice);
    }
    message
}

/// Reads at most `limit` bytes of a body stream (the rest is dropped).
async fn read_bounded<S>(mut chunks: S, limit: usize) -> Vec<u8>
where
    S: futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin,
{
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = chunks.try_next().await {
        let room = limit.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    out
}

/// Reads a whole success body stream; more than `limit` bytes is
/// [`Error::TooLarge`].
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
                    return Err(too_large(context, limit));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) if is_too_large(&e) => return Err(too_large(context, limit)),
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

/// How a hand-written request takes a redirect answer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Redirects {
    /// A 3xx is an answer the caller reads itself (UDM's move progress and
    /// object links), never followed automatically.
    Answer,
    /// A 3xx is an error (the Kelvin login: a password form is never
    /// re-posted).
    Refuse,
}

/// Sends a request the generated clients do not describe (the Kelvin login,
/// UDM's module list and move progress) with the prepared headers and a
/// bounded body. Success answers (and with [`Redirects::Answer`] redirects)
/// are returned with their body; others come back as `UnexpectedResponse`
/// for the executor to decode.
pub(crate) async fn send_hand_written(
    request: reqwest::RequestBuilder,
    prepared: Prepared,
    redirects: Redirects,
) -> std::result::Result<ResponseValue<bytes::Bytes>, RawError<()>> {
    let response = request
        .headers(prepared.headers)
        .send()
        .await
        .map_err(RawError::CommunicationError)?;
    let response = kelvin_raw::limit_body(response, prepared.max_body);
    let status = response.status();
    let redirect_refused = status.is_redirection() && redirects == Redirects::Refuse;
    if status.is_client_error() || status.is_server_error() || redirect_refused {
        return Err(RawError::UnexpectedResponse(response));
    }
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(RawError::ResponseBodyError)?;
    Ok(ResponseValue::new(body, status, headers))
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
