//! Reaching the host, checking its TLS certificate, and offering the server's CA (with its
//! SHA-256 fingerprint) when the certificate is not trusted. Nothing is trusted silently: a
//! CA is saved only when the admin confirms it or passes its fingerprint.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};

use super::http::{client, describe, read};
use crate::connection::Connection;
use crate::exit::looks_like_tls;

/// Host and port of the connection's URL.
pub fn host_port(host_url: &str) -> Option<(String, u16)> {
    let url = reqwest::Url::parse(host_url).ok()?;
    Some((
        url.host_str()?.trim_matches(['[', ']']).to_string(),
        url.port_or_known_default()?,
    ))
}

/// Whether a TCP connection can be opened.
pub async fn reach(host: &str, port: u16, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect((host, port))).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
    }
}

/// How the verified TLS check went.
pub enum Verified {
    /// The certificate is trusted.
    Trusted,
    /// The certificate is not trusted (the reason).
    Untrusted(String),
    /// Something else failed (the reason).
    Other(String),
}

/// A request with the facade's trust settings: does the certificate verify?
pub async fn verify(connection: &Connection) -> Verified {
    let http = match client(connection, false) {
        Ok(http) => http,
        Err(e) => return Verified::Other(e.message),
    };
    match http.get(format!("{}/", connection.host)).send().await {
        Ok(_) => Verified::Trusted,
        Err(e) => {
            let text = describe(&e);
            if looks_like_tls(&text) {
                Verified::Untrusted(text)
            } else {
                Verified::Other(text)
            }
        }
    }
}

/// A CA certificate the server offers.
pub struct Offer {
    /// DER bytes.
    pub der: Vec<u8>,
    /// Where it came from.
    pub origin: String,
}

impl Offer {
    /// `AB:CD:...`, as `openssl x509 -noout -fingerprint -sha256` prints it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.der)
    }

    /// The certificate as PEM.
    pub fn pem(&self) -> String {
        let text = base64::engine::general_purpose::STANDARD.encode(&self.der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in text.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }
}

/// SHA-256 of DER bytes as colon-separated upper-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Whether `given` (with or without colons, any case, an optional `SHA256:` prefix) names
/// the fingerprint `actual`.
pub fn same_fingerprint(given: &str, actual: &str) -> bool {
    let norm = |s: &str| -> String {
        let s = s.trim();
        let s = s
            .strip_prefix("SHA256:")
            .or_else(|| s.strip_prefix("sha256:"))
            .unwrap_or(s);
        s.chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let given = norm(given);
    given.len() == 64 && given == norm(actual)
}

/// What the server offers as its CA: `/ucs-root-ca.crt` (as UCS serves it), else the last
/// certificate of the chain it presents. Fetched without verification, only to be shown.
pub async fn offer(connection: &Connection) -> Option<Offer> {
    if let Some(offer) = root_ca_download(connection).await {
        return Some(offer);
    }
    let (host, port) = host_port(&connection.host)?;
    let chain = presented_chain(&host, port, connection.timeout)
        .await
        .ok()?;
    let origin = if chain.len() > 1 {
        "the last certificate of the chain the server presents (it does not serve /ucs-root-ca.crt)"
    } else {
        "the server's own certificate (it presents no CA and does not serve /ucs-root-ca.crt)"
    };
    chain.last().map(|der| Offer {
        der: der.to_vec(),
        origin: origin.to_string(),
    })
}

async fn root_ca_download(connection: &Connection) -> Option<Offer> {
    let http = client(connection, true).ok()?;
    let response = http
        .get(format!("{}/ucs-root-ca.crt", connection.host))
        .send()
        .await
        .ok()?;
    let answer = read(response).await.ok()?;
    if answer.status != 200 {
        return None;
    }
    let mut reader = std::io::BufReader::new(answer.body.as_slice());
    let der = rustls_pemfile::certs(&mut reader).next()?.ok()?;
    Some(Offer {
        der: der.to_vec(),
        origin: format!("{}/ucs-root-ca.crt", connection.host),
    })
}

/// The certificates the server presents, leaf first (the handshake accepts anything: only
/// to look at them).
pub async fn presented_chain(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<Vec<CertificateDer<'static>>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(LookOnly(provider)))
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    let connect = async {
        let tcp = tokio::net::TcpStream::connect((host, port))
            .await
            .map_err(|e| e.to_string())?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| e.to_string())?;
        let chain = tls.get_ref().1.peer_certificates().unwrap_or_default();
        Ok(chain.iter().map(|c| c.clone().into_owned()).collect())
    };
    tokio::time::timeout(timeout, connect)
        .await
        .map_err(|_| "no TLS answer in time".to_string())?
}

/// A verifier that accepts every certificate: for looking at the chain, never for data.
#[derive(Debug)]
struct LookOnly(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for LookOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_compare_in_any_spelling() {
        let fp = fingerprint(b"x");
        assert_eq!(fp.len(), 32 * 3 - 1);
        assert!(same_fingerprint(&fp, &fp));
        assert!(same_fingerprint(&fp.replace(':', "").to_lowercase(), &fp));
        assert!(same_fingerprint(&format!("SHA256:{fp}"), &fp));
        assert!(!same_fingerprint(&fp[..10], &fp));
        assert!(!same_fingerprint(&fingerprint(b"y"), &fp));
    }

    #[test]
    fn pem_wraps_at_64_columns() {
        let offer = Offer {
            der: vec![7; 100],
            origin: String::new(),
        };
        let pem = offer.pem();
        let mut reader = std::io::BufReader::new(pem.as_bytes());
        let der = rustls_pemfile::certs(&mut reader).next().unwrap().unwrap();
        assert_eq!(der.as_ref(), &[7; 100][..]);
        assert!(pem.lines().all(|l| l.len() <= 64 || l.starts_with("-----")));
    }

    #[test]
    fn host_and_port_from_urls() {
        assert_eq!(
            host_port("https://ucs.example"),
            Some(("ucs.example".into(), 443))
        );
        assert_eq!(
            host_port("http://127.0.0.1:8080"),
            Some(("127.0.0.1".into(), 8080))
        );
        assert_eq!(host_port("https://[::1]:9"), Some(("::1".into(), 9)));
    }
}
