//! Query strings and form bodies (`application/x-www-form-urlencoded`): parsing into ordered
//! pairs (keys may repeat).

use percent_encoding::percent_decode_str;

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
    fn paths_are_decoded_once() {
        assert_eq!(decode_path("a%2Bb+c"), "a+b+c");
        assert_eq!(decode_path("%C3%BC%25"), "ü%");
    }
}
