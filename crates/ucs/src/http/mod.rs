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

/// The connection options both client builders share. The builder needs the
/// fields `settings: HttpSettings`, `language: Option<String>` and `retry:
/// RetryPolicy`.
macro_rules! connection_options {
    ($builder:ident) => {
        impl $builder {
            /// Trust the CA certificate(s) in this PEM file instead of the
            /// public roots, e.g. the UCS root CA
            /// (`/etc/univention/ssl/ucsCA/CAcert.pem` on the server).
            pub fn ca_file(
                mut self,
                path: impl AsRef<std::path::Path>,
            ) -> $crate::error::Result<Self> {
                self.settings.add_ca_file(path.as_ref())?;
                Ok(self)
            }

            /// Trust the CA certificate(s) in this PEM text.
            pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
                self.settings.ca_pem.push(pem.into());
                self
            }

            /// **Dangerous**: accept any TLS certificate (self-signed,
            /// expired, another host). Anyone on the network path can read
            /// the credentials and the data. Prefer `ca_file`. Logs a warning.
            pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
                self.settings.accept_invalid_certs = accept;
                self
            }

            /// Timeout of each HTTP request (default 30 s).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.settings.timeout = timeout;
                self
            }

            /// `Accept-Language` for every call (per call: the client's
            /// `with_language`).
            pub fn language(mut self, language: impl Into<String>) -> Self {
                self.language = Some(language.into());
                self
            }

            /// Retry policy (default [`RetryPolicy::default`](crate::RetryPolicy::default)).
            pub fn retry(mut self, policy: $crate::http::retry::RetryPolicy) -> Self {
                self.retry = policy;
                self
            }

            /// `User-Agent` header (default `ucs-rs/<version>`).
            pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
                self.settings.user_agent = agent.into();
                self
            }
        }
    };
}

pub(crate) use connection_options;

/// Percent-encodes one URL path segment (every byte outside
/// `A-Za-z0-9-._~`), as the generated clients do.
pub(crate) fn encode_segment(segment: &str) -> String {
    kelvin_raw::encode_path_segment(segment)
}
