//! The HTTP server around the router: accepting (plain or TLS) connections, and per request
//! fault injection, latency, the `X-Request-ID` echo and the request log.

use crate::faults::{Decision, FaultInjector};
use crate::recorder::{RecordedRequest, Recorder, REDACTED};
use axum::body::Body;
use axum::http::header::AsHeaderName;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// The request-id header.
pub(crate) static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Closing the connection without an answer (hyper drops the connection when the service
/// fails).
#[derive(Debug)]
pub(crate) struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

/// Per-request behaviour that is not part of either API.
#[derive(Debug)]
pub(crate) struct Traffic {
    /// Fault injection.
    pub faults: FaultInjector,
    /// Request log.
    pub recorder: Recorder,
    /// Added latency in microseconds.
    pub latency_us: AtomicU64,
}

fn fault_response(status: u16, path: &str, retry_after: Option<u64>) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Error");
    let message = format!("Simulated fault: {} {reason}", status.as_u16());
    let body = if path.starts_with(crate::udm::PREFIX) {
        crate::udm::fault_body(status, path)
    } else {
        serde_json::json!({ "detail": message })
    };
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(seconds) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    response
}

/// A header's value as text (`None` when absent or not visible ASCII).
fn header_text(headers: &HeaderMap, name: impl AsHeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The request id a request sent, and the one its answer carries: for the UDM API the one
/// the UDM REST API derives, else the client's (a fresh one when it sent none or an empty
/// one).
fn request_ids(request: &Request<Incoming>) -> (Option<String>, String) {
    let headers = request.headers();
    let client_request_id = header_text(headers, &X_REQUEST_ID);
    let response_request_id = if request.uri().path().starts_with(crate::udm::PREFIX) {
        crate::udm::request_id(headers.get(&X_REQUEST_ID).map(|v| v.as_bytes()))
    } else {
        client_request_id
            .clone()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    };
    (client_request_id, response_request_id)
}

/// A request's headers for the log, credentials redacted.
fn logged_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let shown = if REDACTED.contains(&name.as_str()) {
                "<redacted>".to_string()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_string(), shown)
        })
        .collect()
}

/// The log entry of a request before it is answered (status 0, no fault injected).
fn record_of(
    request: &Request<Incoming>,
    client_request_id: Option<String>,
    response_request_id: String,
) -> RecordedRequest {
    let headers = request.headers();
    RecordedRequest {
        method: request.method().to_string(),
        path_and_query: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| request.uri().path().to_string()),
        status: 0,
        request_id: client_request_id,
        response_request_id,
        authorization: headers.contains_key(header::AUTHORIZATION),
        if_match: header_text(headers, header::IF_MATCH),
        accept_language: header_text(headers, header::ACCEPT_LANGUAGE),
        headers: logged_headers(headers),
        injected: false,
    }
}

/// The answer to a request under a fault decision: the router's, or a simulated fault
/// instead of it or after it; `None` closes the connection. Marks `record` as injected when
/// a fault applies.
async fn answer(
    decision: Decision,
    retry_after: Option<u64>,
    router: Router,
    request: Request<Incoming>,
    record: &mut RecordedRequest,
) -> Option<Response<Body>> {
    let path = request.uri().path().to_string();
    let response = match decision {
        Decision::Drop => {
            record.injected = true;
            return None;
        }
        Decision::Status(status) => {
            record.injected = true;
            fault_response(status, &path, retry_after)
        }
        Decision::Pass | Decision::AfterProcessing(_) => match router.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
    };
    match decision {
        Decision::AfterProcessing(after) => {
            record.injected = true;
            after.map(|status| fault_response(status, &path, retry_after))
        }
        _ => Some(response),
    }
}

/// Gives the answer the request id `response_request_id`, unless the API set its own (Kelvin's
/// rules differ), which the log then shows.
fn keep_request_id(
    response: &mut Response<Body>,
    response_request_id: &str,
    record: &mut RecordedRequest,
) {
    match response
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
    {
        Some(own) => record.response_request_id = own.to_string(),
        None => {
            if let Ok(v) = HeaderValue::from_str(response_request_id) {
                response.headers_mut().insert(X_REQUEST_ID.clone(), v);
            }
        }
    }
}

impl Traffic {
    /// Handles one request.
    pub async fn handle(
        &self,
        router: Router,
        request: Request<Incoming>,
    ) -> Result<Response<Body>, Dropped> {
        let (decision, retry_after) = self.faults.next();
        let (client_request_id, response_request_id) = request_ids(&request);
        let mut record = record_of(&request, client_request_id, response_request_id.clone());
        let latency = self.latency_us.load(Ordering::Relaxed);
        if latency > 0 {
            tokio::time::sleep(Duration::from_micros(latency)).await;
        }
        let answered = answer(decision, retry_after, router, request, &mut record).await;
        let Some(mut response) = answered else {
            self.recorder.push(record);
            return Err(Dropped);
        };
        keep_request_id(&mut response, &response_request_id, &mut record);
        record.status = response.status().as_u16();
        self.recorder.push(record);
        Ok(response)
    }
}

async fn serve_connection<I>(io: I, router: Router, traffic: Arc<Traffic>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let router = router.clone();
        let traffic = traffic.clone();
        async move { traffic.handle(router, request).await }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// Accepts connections until `shutdown` turns true; then closes every connection.
pub(crate) async fn run(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    traffic: Arc<Traffic>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(pair) => pair,
                    Err(error) => {
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let traffic = traffic.clone();
                let tls = tls.clone();
                connections.spawn(async move {
                    match tls {
                        Some(acceptor) => match acceptor.accept(stream).await {
                            Ok(tls_stream) => serve_connection(tls_stream, router, traffic).await,
                            Err(error) => tracing::debug!(%error, "TLS handshake failed"),
                        },
                        None => serve_connection(stream, router, traffic).await,
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}
