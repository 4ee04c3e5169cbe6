//! Whether Kelvin takes URLs with this host in reference fields.
//!
//! The facade sends references (`school`, `schools`, `roles`, a class's `users`) as URLs on
//! the configured host. Kelvin 4.0.0 types them as pydantic 1.10 `HttpUrl`
//! (ucsschool-kelvin-rest-api release-4.0.0, kelvin-api/ucsschool/kelvin/routers/v1/user.py
//! `UserCreateModel`, school_class.py, workgroup.py), which requires an IP address or a
//! domain name ending in a top-level domain of 2 to 63 letters (`tld_required`); `localhost`
//! or a bare host name are refused with 422 `URL host invalid, top level domain required`.

use std::net::IpAddr;

use super::finding::Finding;

/// Whether `host` (without brackets or port) is an IP address or ends in a top-level domain.
pub fn accepted_in_references(host: &str) -> bool {
    if host.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    match name.rsplit_once('.') {
        Some((rest, tld)) => !rest.is_empty() && is_top_level_domain(tld),
        None => false,
    }
}

/// 2 to 63 letters, or `xn--` and 2 to 63 of `[0-9a-z_-]` (pydantic 1.10 `networks.py`,
/// `ascii_domain_regex` / `int_domain_regex`).
fn is_top_level_domain(tld: &str) -> bool {
    let lower = tld.to_lowercase();
    match lower.strip_prefix("xn--") {
        Some(puny) => {
            (2..=63).contains(&puny.len())
                && puny
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        None => (2..=63).contains(&lower.chars().count()) && lower.chars().all(char::is_alphabetic),
    }
}

/// A warning when Kelvin would refuse the host in references; nothing when it takes it.
pub fn check(host: &str) -> Option<Finding> {
    (!accepted_in_references(host)).then(|| {
        Finding::warn(
            "host-name",
            format!(
                "Kelvin refuses reference URLs on {host:?} (it needs an IP address or a name with \
                 a top-level domain): creating or changing users, classes and workgroups answers 422"
            ),
            "set the host as the server's fully qualified name or its IP address",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_and_names_with_a_top_level_domain_are_taken() {
        for host in [
            "127.0.0.1",
            "::1",
            "ucs.school.example",
            "primary.intranet.lan",
            "ucs.example.",
            "schule.xn--p1ai",
            "schule.рф",
        ] {
            assert!(accepted_in_references(host), "{host}");
        }
        for host in ["localhost", "ucs-primary", "server.123", "a.b1", ".de"] {
            assert!(!accepted_in_references(host), "{host}");
        }
        assert!(check("ucs.school.example").is_none());
        let warning = check("localhost").expect("a warning").to_string();
        assert!(warning.starts_with("warn  host-name"), "{warning}");
    }
}
