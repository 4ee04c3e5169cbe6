//! The HTTP layer shared by the Kelvin and UDM clients: one `reqwest::Client`
//! per session (rustls, connection reuse, no redirects), TLS trust settings,
//! bounded bodies, retries, error decoding and redaction.

pub(crate) mod answer;
pub(crate) mod bearer;
pub(crate) mod error_body;
pub(crate) mod exec;
pub(crate) mod limit;
pub(crate) mod oauth2;
pub(crate) mod proxy;
pub mod retry;
pub(crate) mod settings;
pub(crate) mod tls_hint;
pub(crate) mod token_cache;
pub(crate) mod url;

/// Percent-encodes one URL path segment (every byte outside
/// `A-Za-z0-9-._~`), as the generated clients do.
pub(crate) fn encode_segment(segment: &str) -> String {
    kelvin_raw::encode_path_segment(segment)
}
