//! The doctor's own HTTP client (the facade hides what the doctor must see: the raw TLS
//! error, the token's lifetime, undocumented URLs such as the OpenAPI documents).

use std::time::Duration;

use crate::connection::{user_agent, Connection};
use crate::exit::CliError;

/// Answers larger than this are cut off (the UDM document is about 3.5 MB).
pub const MAX_BODY_BYTES: usize = 32 << 20;

/// A client trusting what the facade would trust (the CA file, else the system's roots), or
/// nothing at all with `insecure`.
pub fn client(connection: &Connection, insecure: bool) -> Result<reqwest::Client, CliError> {
    let mut builder = reqwest::Client::builder()
        .timeout(connection.timeout)
        .connect_timeout(Duration::from_secs(10))
        .user_agent(user_agent())
        .redirect(reqwest::redirect::Policy::none());
    if let Some(path) = &connection.ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            CliError::new(format!("cannot read the CA file {}: {e}", path.display()))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            CliError::new(format!("the CA file {} is not PEM: {e}", path.display()))
        })?;
        if certs.is_empty() {
            return Err(CliError::new(format!(
                "the CA file {} holds no certificate",
                path.display()
            )));
        }
        builder = builder.tls_certs_only(certs);
    }
    if insecure {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    builder
        .build()
        .map_err(|e| CliError::new(format!("cannot build the HTTP client: {e}")))
}

/// A response's status and (bounded) body.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body, at most [`MAX_BODY_BYTES`].
    pub body: Vec<u8>,
}

/// Reads at most [`MAX_BODY_BYTES`] of the body.
pub async fn read(mut response: reqwest::Response) -> Result<Answer, reqwest::Error> {
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY_BYTES.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room <= chunk.len() {
            break;
        }
    }
    Ok(Answer { status, body })
}

/// The error with its causes, on one line.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = cause.source();
    }
    text
}
