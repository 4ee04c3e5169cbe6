//! What to do about a failed TLS handshake: the server's certificate is not
//! trusted (give the UCS root CA), is for another name, has expired, or the
//! server wants a client certificate.

use rustls::{AlertDescription, CertificateError};

/// Where UCS keeps its root CA, on the Primary Directory Node.
pub(crate) const UCS_CA_PATH: &str = "/etc/univention/ssl/ucsCA/CAcert.pem";

/// The advice for a transport error whose cause is a TLS problem, if it is
/// one. `origin` is `https://host[:port]` of the request.
pub(crate) fn advice(error: &reqwest::Error) -> Option<String> {
    let origin = error
        .url()
        .map(|url| url.origin().ascii_serialization())
        .unwrap_or_else(|| "https://<server>".into());
    advice_for(tls_error(error)?, &origin)
}

/// The advice for one rustls error.
fn advice_for(error: &rustls::Error, origin: &str) -> Option<String> {
    let untrusted = format!(
        "the server's certificate is not signed by a CA this client trusts: give the UCS root CA \
         with .ca_file(path) (UCS_CA_FILE for from_env; ca_pem for PEM text). UCS keeps it in \
         {UCS_CA_PATH} on the Primary Directory Node and serves it at {origin}/ucs-root-ca.crt \
         (compare its fingerprint with the server's copy before trusting it)"
    );
    match error {
        rustls::Error::InvalidCertificate(cause) => Some(match cause {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(
                    "the server's certificate is not issued for the name in the URL ({origin}): \
                     connect with the name the certificate carries (UCS certificates name the \
                     host's fully qualified domain name)"
                )
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is expired or not yet valid: check the clocks of \
                 client and server, or renew the server's certificate"
                    .to_string()
            }
            _ => untrusted,
        }),
        rustls::Error::AlertReceived(
            AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::AccessDenied,
        ) => Some(
            "the server refused the client certificate, or wants one: give a certificate it \
             accepts with .client_identity_file(path) (certificate and private key in one PEM)"
                .to_string(),
        ),
        _ => None,
    }
}

/// The rustls error in an error's source chain. An `io::Error` shows its
/// inner error's source, not the inner error itself, so each one is looked
/// into as well.
fn tls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(error);
    let mut depth = 0;
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            if let Some(tls) = tls_error(inner) {
                return Some(tls);
            }
        }
        depth += 1;
        if depth > 32 {
            return None;
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_issuer_names_the_ca_option_and_where_ucs_keeps_its_ca() {
        let error = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let text = advice_for(&error, "https://ucs.example.com").unwrap();
        assert!(text.contains(".ca_file(path)"), "{text}");
        assert!(text.contains("UCS_CA_FILE"), "{text}");
        assert!(text.contains(UCS_CA_PATH), "{text}");
        assert!(
            text.contains("https://ucs.example.com/ucs-root-ca.crt"),
            "{text}"
        );
    }

    #[test]
    fn names_expiry_and_client_certificates_get_their_own_advice() {
        let name = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert!(advice_for(&name, "https://10.0.0.1")
            .unwrap()
            .contains("fully qualified domain name"));
        let expired = rustls::Error::InvalidCertificate(CertificateError::Expired);
        assert!(advice_for(&expired, "https://h")
            .unwrap()
            .contains("expired"));
        let wanted = rustls::Error::AlertReceived(AlertDescription::CertificateRequired);
        assert!(advice_for(&wanted, "https://h")
            .unwrap()
            .contains(".client_identity_file"));
        assert_eq!(advice_for(&rustls::Error::DecryptError, "https://h"), None);
    }

    #[test]
    fn the_rustls_error_is_found_inside_io_errors() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        let outer = std::io::Error::other(io);
        assert!(matches!(
            tls_error(&outer),
            Some(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer
            ))
        ));
        assert!(tls_error(&std::io::Error::other("plain")).is_none());
    }
}
