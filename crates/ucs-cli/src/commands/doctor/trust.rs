//! The TLS finding, and saving the offered CA when the admin vouches for it.

use std::io::IsTerminal;

use super::finding::Finding;
use super::report::Report;
use super::tls::{self, Offer, Verified};
use crate::cli::doctor::DoctorArgs;
use crate::config::{write_private, ConfigFile};
use crate::connection::Connection;
use crate::exit::CliError;

/// Checks TLS; returns whether the other checks can go on. A CA saved here is used from
/// then on.
pub async fn check(
    connection: &mut Connection,
    args: &DoctorArgs,
    report: &mut Report,
) -> Result<bool, CliError> {
    if let Some(warning) = unverified_channel(connection) {
        report.add(warning)?;
        return Ok(true);
    }
    let reason = match tls::verify(connection).await {
        Verified::Trusted => {
            report.add(Finding::ok("tls", trusted_by(connection)))?;
            if args.trust_ca.is_some() {
                report.add(Finding::ok(
                    "trust-ca",
                    "the certificate is trusted already; nothing saved",
                ))?;
            }
            return Ok(true);
        }
        Verified::Other(reason) => {
            report.add(Finding::fail(
                "tls",
                format!("no HTTPS answer: {reason}"),
                "check that the port serves HTTPS",
            ))?;
            return Ok(false);
        }
        Verified::Untrusted(reason) => reason,
    };
    let Some(offer) = tls::offer(connection).await else {
        report.add(Finding::fail(
            "tls",
            format!("the server's certificate is not trusted: {reason}"),
            "get the UCS root CA (/etc/univention/ssl/ucsCA/CAcert.pem on the primary) and give it with --ca-file",
        ))?;
        return Ok(false);
    };
    let fp = offer.fingerprint();
    report.add(ca_offer(&offer, &fp))?;
    if !vouched(args, &offer)? {
        report.add(unvouched(connection, args, &reason, &fp))?;
        return Ok(false);
    }
    save_and_verify(connection, &offer, report).await
}

/// The warning for a connection whose certificate is not checked: plain HTTP, or
/// `--insecure-skip-tls-verify`.
fn unverified_channel(connection: &Connection) -> Option<Finding> {
    if connection.host.starts_with("http://") {
        return Some(Finding::warn(
            "tls",
            "plain HTTP: the password and the data travel unencrypted",
            "use https:// (UCS serves both APIs over HTTPS)",
        ));
    }
    connection.insecure.then(|| {
        Finding::warn(
            "tls",
            "certificate verification is OFF (--insecure-skip-tls-verify)",
            "drop the switch; trust the UCS root CA with --ca-file or `ucs doctor --trust-ca`",
        )
    })
}

/// The CA the server offers, with its fingerprint `fp` to compare.
fn ca_offer(offer: &Offer, fp: &str) -> Finding {
    Finding::warn(
        "ca-offer",
        format!("the server offers a CA: {}, SHA-256 {fp}", offer.origin),
        "compare with `openssl x509 -noout -fingerprint -sha256 -in /etc/univention/ssl/ucsCA/CAcert.pem` \
         on the UCS primary",
    )
}

/// The failure when nobody vouched for the offered CA (fingerprint `fp`): nothing saved, and
/// the command that saves it.
fn unvouched(connection: &Connection, args: &DoctorArgs, reason: &str, fp: &str) -> Finding {
    let profile = connection
        .profile
        .as_deref()
        .map(|p| format!(" --profile {p}"))
        .unwrap_or_default();
    let mismatch = match &args.trust_ca {
        Some(given) => format!("; {given} is not its fingerprint"),
        None => String::new(),
    };
    Finding::fail(
        "tls",
        format!(
            "the server's certificate is not trusted ({}){mismatch}; nothing saved",
            short(reason)
        ),
        format!("if the fingerprints match, run: ucs{profile} doctor --trust-ca {fp}"),
    )
}

/// Saves the vouched-for CA and verifies again with it.
async fn save_and_verify(
    connection: &mut Connection,
    offer: &Offer,
    report: &mut Report,
) -> Result<bool, CliError> {
    let path = save(connection, offer)?;
    report.add(Finding::ok(
        "trust-ca",
        format!("saved the CA as {} for this profile", path.display()),
    ))?;
    match tls::verify(connection).await {
        Verified::Trusted => {
            report.add(Finding::ok("tls", trusted_by(connection)))?;
            Ok(true)
        }
        Verified::Untrusted(reason) | Verified::Other(reason) => {
            report.add(Finding::fail(
                "tls",
                format!("still not trusted: {reason}"),
                "the offered certificate is not the issuer; get the UCS root CA",
            ))?;
            Ok(false)
        }
    }
}

fn trusted_by(connection: &Connection) -> String {
    match &connection.ca_file {
        Some(path) => format!(
            "certificate verified against the CA file {}",
            path.display()
        ),
        None => "certificate verified against the system's trusted roots".to_string(),
    }
}

/// The certificate error without the request around it.
fn short(reason: &str) -> &str {
    reason
        .find("invalid peer certificate")
        .map(|i| &reason[i..])
        .unwrap_or(reason)
}

/// Whether the admin vouches for the offer: `--trust-ca` with its fingerprint, or "yes" at a
/// terminal prompt.
fn vouched(args: &DoctorArgs, offer: &Offer) -> Result<bool, CliError> {
    if let Some(given) = &args.trust_ca {
        return Ok(tls::same_fingerprint(given, &offer.fingerprint()));
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(false);
    }
    eprint!("Compared the fingerprint and trust this CA for the profile? Type yes to save it: ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::new(format!("cannot read the answer: {e}")))?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

/// Writes the CA next to the config file and makes it the profile's CA file.
fn save(connection: &mut Connection, offer: &Offer) -> Result<std::path::PathBuf, CliError> {
    let Some(name) = connection.profile.clone() else {
        return Err(CliError::new("no profile to save the CA in").hint(
            "save it with a profile (`ucs profile set NAME --host ...`), or give --ca-file",
        ));
    };
    let dir = connection
        .config_path
        .parent()
        .map(|d| d.to_path_buf())
        .unwrap_or_default();
    let path = dir.join(format!("{name}-ca.pem"));
    write_private(&path, offer.pem().as_bytes())?;
    let mut config = ConfigFile::load(&connection.config_path)?;
    if let Some(profile) = config.profiles.get_mut(&name) {
        profile.ca_file = Some(path.clone());
    }
    config.save(&connection.config_path)?;
    connection.ca_file = Some(path.clone());
    Ok(path)
}
