//! The request log tests assert on: what was asked and what was answered, with credentials
//! redacted.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// One request as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method (`GET`).
    pub method: String,
    /// Raw path and query as sent (`/univention/udm/users/user/uid%3Dx%2C...?properties=*`).
    pub path_and_query: String,
    /// Status answered; 0 when the connection was closed without a response.
    pub status: u16,
    /// The `X-Request-ID` header the client sent, if any.
    pub request_id: Option<String>,
    /// The `X-Request-ID` the response carried (the client's, or a generated one).
    pub response_request_id: String,
    /// Whether an `Authorization` header was sent (its value is never recorded).
    pub authorization: bool,
    /// The `If-Match` header, if any.
    pub if_match: Option<String>,
    /// The `Accept-Language` header, if any.
    pub accept_language: Option<String>,
    /// All request headers in order, with `Authorization`, `Proxy-Authorization` and
    /// `Cookie` values replaced by `<redacted>`.
    pub headers: Vec<(String, String)>,
    /// Whether the status (or the dropped connection) came from fault injection.
    pub injected: bool,
}

impl RecordedRequest {
    /// The value of a request header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Header names whose values are never recorded.
pub(crate) const REDACTED: [&str; 3] = ["authorization", "proxy-authorization", "cookie"];

/// A bounded log of requests plus a total count.
#[derive(Debug)]
pub(crate) struct Recorder {
    log: Mutex<VecDeque<RecordedRequest>>,
    limit: usize,
    total: AtomicU64,
}

impl Recorder {
    /// Keeps the last `limit` requests.
    pub fn new(limit: usize) -> Self {
        Self {
            log: Mutex::new(VecDeque::new()),
            limit,
            total: AtomicU64::new(0),
        }
    }

    /// Adds a request.
    pub fn push(&self, request: RecordedRequest) {
        self.total.fetch_add(1, Ordering::SeqCst);
        if self.limit == 0 {
            return;
        }
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() >= self.limit {
            log.pop_front();
        }
        log.push_back(request);
    }

    /// The logged requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Forgets the logged requests (the total count stays).
    pub fn clear(&self) {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Requests seen since the start, including dropped ones.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::SeqCst)
    }
}
