//! A throw-away CA with a server certificate for 127.0.0.1/localhost and a
//! client certificate, and a TLS server that asks for client certificates.

use std::sync::{Arc, Mutex};

use axum::Router;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// A CA and what it signed.
pub struct Pki {
    pub ca_pem: String,
    pub ca_der: CertificateDer<'static>,
    pub server_chain: Vec<CertificateDer<'static>>,
    pub server_key: PrivateKeyDer<'static>,
    /// The client certificate followed by its private key (PKCS#8), one PEM.
    pub client_identity_pem: String,
    pub client_key_pem: String,
    pub client_der: CertificateDer<'static>,
}

fn ca(name: &str) -> (Issuer<'static, KeyPair>, String, CertificateDer<'static>) {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    params.distinguished_name = dn;
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let key = KeyPair::generate().expect("CA key");
    let cert = params.self_signed(&key).expect("CA certificate");
    (Issuer::new(params, key), cert.pem(), cert.der().clone())
}

impl Pki {
    pub fn new() -> Pki {
        let (issuer, ca_pem, ca_der) = ca("ucs-rs test CA");
        let mut server = CertificateParams::new(Vec::<String>::new()).expect("server parameters");
        server.subject_alt_names = vec![
            SanType::DnsName("localhost".try_into().expect("name")),
            SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()),
        ];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate().expect("server key");
        let server_cert = server.signed_by(&server_key, &issuer).expect("server cert");

        let mut client = CertificateParams::new(Vec::<String>::new()).expect("client parameters");
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "ucs-rs test client");
        client.distinguished_name = dn;
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate().expect("client key");
        let client_cert = client.signed_by(&client_key, &issuer).expect("client cert");
        Pki {
            ca_pem,
            ca_der: ca_der.clone(),
            server_chain: vec![server_cert.der().clone(), ca_der],
            server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            client_identity_pem: format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
            client_key_pem: client_key.serialize_pem(),
            client_der: client_cert.der().clone(),
        }
    }

    /// A TLS server that requires a client certificate signed by this CA;
    /// `peers` gets the certificate each accepted connection presented.
    pub async fn serve_mutual_tls(
        &self,
        router: Router,
    ) -> (String, Arc<Mutex<Vec<CertificateDer<'static>>>>) {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.ca_der.clone()).expect("root");
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        .expect("client verifier");
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_client_cert_verifier(verifier)
            .with_single_cert(self.server_chain.clone(), self.server_key.clone_key())
            .expect("server config");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let peers = Arc::new(Mutex::new(Vec::new()));
        let tls = TlsListener {
            tcp: listener,
            acceptor: TlsAcceptor::from(Arc::new(config)),
            peers: peers.clone(),
        };
        tokio::spawn(async move {
            let _ = axum::serve(tls, router).await;
        });
        (format!("https://127.0.0.1:{}", addr.port()), peers)
    }
}

struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    peers: Arc<Mutex<Vec<CertificateDer<'static>>>>,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            // handshakes that fail (no client certificate) are dropped
            if let Ok(stream) = self.acceptor.accept(tcp).await {
                if let Some(cert) = stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|c| c.first())
                {
                    self.peers
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(cert.clone().into_owned());
                }
                return (stream, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
