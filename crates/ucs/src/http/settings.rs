//! Connection settings and the one `reqwest::Client` a session uses.

use std::time::Duration;

use crate::error::{Error, Result};

/// The default limit of one answer body: 64 MiB (a search of 50,000 Kelvin
/// users is about 60 MB).
pub(crate) const DEFAULT_MAX_BODY: usize = 64 << 20;

/// Connection settings common to both clients.
#[derive(Clone, Debug)]
pub(crate) struct HttpSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub ca_pem: Vec<Vec<u8>>,
    pub accept_invalid_certs: bool,
    pub user_agent: String,
    pub max_body: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            ca_pem: Vec::new(),
            accept_invalid_certs: false,
            user_agent: format!("ucs-rs/{}", env!("CARGO_PKG_VERSION")),
            max_body: DEFAULT_MAX_BODY,
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

    /// Builds the session's HTTP client. It never follows a redirect: every
    /// request carries credentials, and a redirect could hand them (or a
    /// password form) to another origin. UDM's move progress answers 301/303,
    /// which the UDM client polls itself after checking the origin.
    pub(crate) fn build(&self) -> Result<reqwest::Client> {
        // reqwest is built without a default crypto provider; use ring unless
        // the application installed one already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60));
        if !self.ca_pem.is_empty() {
            builder = builder.tls_certs_only(self.certificates()?);
        }
        if self.accept_invalid_certs {
            tracing::warn!(
                "TLS certificate verification is OFF (danger_accept_invalid_certs): \
                 credentials and data can be intercepted"
            );
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        builder
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }

    fn certificates(&self) -> Result<Vec<reqwest::Certificate>> {
        let mut certs = Vec::new();
        for pem in &self.ca_pem {
            let bundle = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("invalid CA certificate PEM: {e}")))?;
            if bundle.is_empty() {
                return Err(Error::Config("the CA PEM contains no certificate".into()));
            }
            certs.extend(bundle);
        }
        Ok(certs)
    }
}
