//! The HTTP layer shared by the Kelvin and UDM clients: one `reqwest::Client`
//! per session (rustls, connection reuse), TLS trust settings, retries, error
//! decoding.

pub(crate) mod error_body;
pub(crate) mod exec;
pub mod retry;

use std::time::Duration;

use crate::error::{Error, Result};

/// Connection settings common to both clients.
#[derive(Clone, Debug)]
pub(crate) struct HttpSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub ca_pem: Vec<Vec<u8>>,
    pub accept_invalid_certs: bool,
    pub user_agent: String,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            ca_pem: Vec::new(),
            accept_invalid_certs: false,
            user_agent: format!("ucs-rs/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl HttpSettings {
    /// Reads a PEM file of CA certificates to trust.
    pub(crate) fn add_ca_file(&mut self, path: &std::path::Path) -> Result<()> {
        let pem = std::fs::read(path)
            .map_err(|e| Error::Config(format!("cannot read CA file {}: {e}", path.display())))?;
        self.ca_pem.push(pem);
        Ok(())
    }

    /// Builds the session's HTTP client.
    pub(crate) fn build(&self) -> Result<reqwest::Client> {
        self.builder()?
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }

    /// Builds an HTTP client that hands redirects to the caller (UDM answers
    /// move progress with 301/303 that must be polled, not followed).
    pub(crate) fn build_without_redirects(&self) -> Result<reqwest::Client> {
        self.builder()?
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }

    fn builder(&self) -> Result<reqwest::ClientBuilder> {
        // reqwest is built without a default crypto provider; use ring unless
        // the application installed one already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone())
            .pool_idle_timeout(Duration::from_secs(60));
        if !self.ca_pem.is_empty() {
            let mut certs = Vec::new();
            for pem in &self.ca_pem {
                let bundle = reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| Error::Config(format!("invalid CA certificate PEM: {e}")))?;
                if bundle.is_empty() {
                    return Err(Error::Config("the CA PEM contains no certificate".into()));
                }
                certs.extend(bundle);
            }
            builder = builder.tls_certs_only(certs);
        }
        if self.accept_invalid_certs {
            tracing::warn!(
                "TLS certificate verification is OFF (danger_accept_invalid_certs): \
                 credentials and data can be intercepted"
            );
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        Ok(builder)
    }
}

/// Percent-encodes one URL path segment (every byte outside
/// `A-Za-z0-9-._~`), as the generated clients do.
pub(crate) fn encode_segment(segment: &str) -> String {
    kelvin_raw::encode_path_segment(segment)
}
