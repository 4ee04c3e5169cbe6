//! The HTTP agent `fetch` and `drift` download documents with.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use base64::Engine;

/// An HTTP agent with TLS verification on (against `ca_file` if given, else
/// the public WebPKI roots), or off with `insecure`.
pub fn agent(ca_file: Option<&Path>, insecure: bool) -> Result<ureq::Agent> {
    use ureq::tls::{Certificate, RootCerts, TlsConfig};
    let mut tls = TlsConfig::builder();
    if let Some(path) = ca_file {
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read CA file {}", path.display()))?;
        let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => Some(Ok(cert)),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<std::result::Result<_, _>>()
            .with_context(|| format!("{} is not a PEM certificate file", path.display()))?;
        if certs.is_empty() {
            bail!("{} contains no PEM certificate", path.display());
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    if insecure {
        eprintln!(
            "WARNING: --insecure: TLS certificates are NOT verified; anyone on the network path \
             can change the documents you are about to vendor."
        );
        tls = tls.disable_verification(true);
    }
    Ok(ureq::Agent::config_builder()
        .tls_config(tls.build())
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .new_agent())
}

/// The `Authorization` header value of HTTP Basic auth.
pub fn basic_auth(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}
