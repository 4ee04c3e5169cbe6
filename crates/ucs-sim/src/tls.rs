//! HTTPS: a throw-away CA and a server certificate for `localhost`, `127.0.0.1` and `::1`,
//! generated at start (rcgen), served with rustls and the ring provider.

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// The generated CA (PEM, for clients) and the acceptor for the server side.
pub(crate) struct TlsSetup {
    /// The CA certificate, PEM encoded.
    pub ca_pem: String,
    /// Accepts TLS connections with the server certificate.
    pub acceptor: TlsAcceptor,
}

/// Generates a CA and a server certificate signed by it.
pub(crate) fn generate() -> anyhow::Result<TlsSetup> {
    generate_with(KeyPair::generate().context("CA key")?)
}

/// The CA key kept in `path` (PEM, created readable by its owner only when missing), so that
/// clients that saved the CA certificate keep trusting the emulator after a restart: the CA
/// certificate is made anew from the same key and name, which is all a trust anchor holds.
pub(crate) fn generate_with_kept_ca(path: &std::path::Path) -> anyhow::Result<TlsSetup> {
    let key = match std::fs::read_to_string(path) {
        Ok(pem) => KeyPair::from_pem(&pem)
            .with_context(|| format!("reading the CA key {}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = KeyPair::generate().context("CA key")?;
            write_private(path, &key.serialize_pem())?;
            key
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    generate_with(key)
}

fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// A CA with `ca_key` and a server certificate signed by it.
fn generate_with(ca_key: KeyPair) -> anyhow::Result<TlsSetup> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).context("CA parameters")?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "ucs-sim test CA");
    ca_name.push(DnType::OrganizationName, "ucs-sim (not a real CA)");
    ca_params.distinguished_name = ca_name;
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).context("CA certificate")?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut server_params =
        CertificateParams::new(Vec::<String>::new()).context("server parameters")?;
    server_params.subject_alt_names = vec![
        SanType::DnsName("localhost".try_into().context("DNS name")?),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ];
    let mut server_name = DistinguishedName::new();
    server_name.push(DnType::CommonName, "localhost");
    server_params.distinguished_name = server_name;
    server_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_key = KeyPair::generate().context("server key")?;
    let server_cert = server_params
        .signed_by(&server_key, &issuer)
        .context("server certificate")?;

    let chain: Vec<CertificateDer<'static>> =
        vec![server_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS protocol versions")?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .context("TLS server certificate")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsSetup {
        ca_pem: ca_cert.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}
