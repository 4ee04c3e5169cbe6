//! URL encodings of the UDM REST API: DNs in paths (`quote_dn`), re-quoted request paths and
//! query strings of the links it emits (`urlencode`, that is `quote_plus`).

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `quote` leaves alone in paths: `A-Za-z0-9_.-~` and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~')
    .remove(b'/');

/// What `quote_plus` leaves alone: `A-Za-z0-9_.-~` (a space becomes `+`).
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~')
    .remove(b' ');

/// The path form of a DN: `//` becomes `,/=/,` (a proxy would merge the slashes), then
/// everything outside `A-Za-z0-9_.-~/` is percent-encoded; `/` stays literal.
pub(crate) fn quote_dn(dn: &str) -> String {
    quote_path(&dn.replace("//", ",/=/,"))
}

/// A decoded path re-encoded (`/` stays).
pub(crate) fn quote_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The DN of a decoded path segment: `,/=/,` back to `//`.
pub(crate) fn unquote_dn(decoded: &str) -> String {
    decoded.replace(",/=/,", "//")
}

/// Percent-decodes once (`+` stays); `None` when the bytes are not UTF-8.
pub(crate) fn decode_path(raw: &str) -> Option<String> {
    percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

fn quote_plus(value: &str) -> String {
    utf8_percent_encode(value, FORM)
        .to_string()
        .replace(' ', "+")
}

/// A query string as `urlencode(..., doseq=True)` writes it.
pub(crate) fn urlencode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", quote_plus(k), quote_plus(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_keep_slashes_and_escape_double_slashes() {
        assert_eq!(
            quote_dn("uid=a b,cn=users,dc=x"),
            "uid%3Da%20b%2Ccn%3Dusers%2Cdc%3Dx"
        );
        assert_eq!(quote_dn("cn=a/b,dc=x"), "cn%3Da/b%2Cdc%3Dx");
        assert_eq!(quote_dn("cn=a//b,dc=x"), "cn%3Da%2C/%3D/%2Cb%2Cdc%3Dx");
        assert_eq!(quote_dn("cn=ü+#\\,dc=x"), "cn%3D%C3%BC%2B%23%5C%2Cdc%3Dx");
        let decoded = decode_path("cn%3Da%2C/%3D/%2Cb%2Cdc%3Dx").unwrap();
        assert_eq!(unquote_dn(&decoded), "cn=a//b,dc=x");
        assert_eq!(decode_path("%FF"), None);
    }

    #[test]
    fn queries_are_quoted_plus() {
        let pairs = vec![
            ("query[name]".to_string(), "a b*".to_string()),
            ("page".into(), "2".into()),
        ];
        assert_eq!(urlencode(&pairs), "query%5Bname%5D=a+b%2A&page=2");
    }
}
