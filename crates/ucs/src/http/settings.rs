//! Connection settings and the one `reqwest::Client` a session uses.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::http::proxy::ProxyChoice;
use crate::secret::Secret;

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
    /// Client certificate and private key (PEM), for servers that ask for
    /// one (mutual TLS). A secret: the key must not show up in `Debug`.
    pub identity_pem: Option<Secret>,
    pub proxy: ProxyChoice,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Option<Duration>,
    /// How many idle connections per host are kept (`None`: no limit).
    pub pool_max_idle_per_host: Option<usize>,
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
            identity_pem: None,
            proxy: ProxyChoice::default(),
            pool_idle_timeout: Some(Duration::from_secs(60)),
            pool_max_idle_per_host: None,
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

    /// Reads a PEM file with the client certificate (chain) and its private
    /// key. The key is kept as a secret; the PEM is checked by `build`.
    pub(crate) fn set_identity_file(&mut self, path: &std::path::Path) -> Result<()> {
        let pem = std::fs::read(path).map_err(|e| {
            Error::Config(format!(
                "cannot read the client certificate file {}: {e}",
                path.display()
            ))
        })?;
        self.set_identity_pem(&pem);
        Ok(())
    }

    /// Sets the client certificate and key from PEM text (PEM is ASCII;
    /// other bytes make it fail the check in `build`).
    pub(crate) fn set_identity_pem(&mut self, pem: &[u8]) {
        self.identity_pem = Some(Secret::new(String::from_utf8_lossy(pem).into_owned()));
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
            .pool_idle_timeout(self.pool_idle_timeout);
        if let Some(max) = self.pool_max_idle_per_host {
            builder = builder.pool_max_idle_per_host(max);
        }
        if !self.ca_pem.is_empty() {
            builder = builder.tls_certs_only(self.certificates()?);
        }
        if let Some(pem) = &self.identity_pem {
            builder = builder.identity(identity(pem)?);
        }
        builder = self.proxy.apply(builder)?;
        if self.accept_invalid_certs {
            tracing::warn!(
                "TLS certificate verification is OFF (danger_accept_invalid_certs): \
                 credentials and data can be intercepted"
            );
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        builder
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", chain(&e))))
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

/// The client identity; reqwest's own message names no key material.
fn identity(pem: &Secret) -> Result<reqwest::Identity> {
    reqwest::Identity::from_pem(pem.expose().as_bytes()).map_err(|e| {
        Error::Config(format!(
            "invalid client certificate PEM (it needs the certificate and its private key, \
             PKCS#8, PKCS#1 or SEC1, in one PEM): {}",
            chain(&e)
        ))
    })
}

/// An error with its sources (reqwest's builder errors say little on their
/// own).
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    let mut depth = 0;
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
        depth += 1;
        if depth > 16 {
            break;
        }
    }
    text
}
