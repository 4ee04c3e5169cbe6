//! Query strings and form bodies (`application/x-www-form-urlencoded`): parsing into ordered
//! pairs (keys may repeat) and encoding.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes left as they are when encoding a URL component: `A-Za-z0-9-._~` (RFC 3986
/// unreserved). Everything else, including `/`, `,`, `=` and `%`, becomes `%XX`.
pub const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query component.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Percent-decodes once (`+` stays `+`), replacing invalid UTF-8.
pub fn decode_path(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

fn decode_form(value: &str) -> String {
    let spaced = value.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// Parses `a=1&b=2&a=3` into ordered pairs (`+` means space, `%XX` decoded).
pub fn parse(raw: Option<&str>) -> Vec<(String, String)> {
    raw.unwrap_or("")
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (decode_form(k), decode_form(v)),
            None => (decode_form(part), String::new()),
        })
        .collect()
}

/// The last value of `key`, if present.
pub fn last<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A boolean query value: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off` (any case).
pub fn boolean(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_keys_plus_and_percent_escapes() {
        let pairs = parse(Some(
            "roles=student&roles=teacher&name=a+b%2Bc&flag&x=%C3%BC",
        ));
        let roles: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "roles")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(roles, vec!["student", "teacher"]);
        assert_eq!(last(&pairs, "name"), Some("a b+c"));
        assert_eq!(last(&pairs, "flag"), Some(""));
        assert_eq!(last(&pairs, "x"), Some("ü"));
        assert_eq!(last(&pairs, "missing"), None);
    }

    #[test]
    fn encodes_every_reserved_byte() {
        assert_eq!(
            encode_component("cn=a b,/ü%~"),
            "cn%3Da%20b%2C%2F%C3%BC%25~"
        );
        assert_eq!(decode_path("a%2Bb+c"), "a+b+c");
        assert_eq!(boolean("TRUE"), Some(true));
        assert_eq!(boolean("off"), Some(false));
        assert_eq!(boolean("maybe"), None);
    }
}
