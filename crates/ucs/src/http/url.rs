//! Server URLs: parsing what the caller configures (never with credentials
//! in it), and keeping every request on the configured origin.

use crate::error::{Error, Result};

/// Parses a configured server URL: `http` or `https`, no user info. A URL
/// with `user:password@` is refused without repeating it (the password would
/// otherwise show up in every log line and error that names the URL).
pub(crate) fn parse_server_url(input: &str) -> Result<reqwest::Url> {
    let url = reqwest::Url::parse(input.trim())
        .map_err(|e| Error::Config(format!("not a URL ({e}): {:?}", without_user_info(input))))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "the server URL contains credentials (user:password@host); give them with \
             .credentials(...) instead"
                .into(),
        ));
    }
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(Error::Config(format!(
            "not an http(s) URL (scheme {other:?}): {:?}",
            without_user_info(input)
        ))),
    }
}

/// `input` with everything before its last `@` (user info, if any) cut out,
/// keeping a scheme.
fn without_user_info(input: &str) -> String {
    let Some(at) = input.rfind('@') else {
        return input.to_string();
    };
    match input.find("://") {
        Some(scheme_end) if scheme_end < at => {
            format!("{}://…@{}", &input[..scheme_end], &input[at + 1..])
        }
        _ => format!("…@{}", &input[at + 1..]),
    }
}

/// `scheme://host[:port]` of a URL, for same-origin checks.
pub(crate) fn origin(url: &reqwest::Url) -> String {
    url.origin().ascii_serialization()
}

/// Resolves a `Location` the server sent against `base` and refuses it unless
/// it stays on `base`'s origin (the next request would carry credentials).
pub(crate) fn same_origin_location(base: &reqwest::Url, location: &str) -> Result<reqwest::Url> {
    let target = base
        .join(location)
        .map_err(|e| Error::InvalidInput(format!("the server sent a malformed Location ({e})")))?;
    if origin(&target) != origin(base) {
        return Err(Error::InvalidInput(format!(
            "the server redirected to another origin ({}); not following it with credentials",
            origin(&target)
        )));
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_refused_without_echoing_them() {
        let error = parse_server_url("https://admin:Pw-1234@ucs.example.com").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("contains credentials"), "{text}");
        assert!(!text.contains("Pw-1234"), "{text}");
        let error = parse_server_url("ftp://admin:Pw-1234@ucs.example.com").unwrap_err();
        assert!(!error.to_string().contains("Pw-1234"), "{error}");
        let error = parse_server_url("::nope::x:Pw-1234@h").unwrap_err();
        assert!(!error.to_string().contains("Pw-1234"), "{error}");
        assert!(parse_server_url("https://ucs.example.com:8443/x").is_ok());
    }

    #[test]
    fn locations_stay_on_the_origin() {
        let base = reqwest::Url::parse("https://ucs.example.com/univention/udm/").unwrap();
        assert_eq!(
            same_origin_location(&base, "/univention/udm/progress/1")
                .unwrap()
                .as_str(),
            "https://ucs.example.com/univention/udm/progress/1"
        );
        assert!(same_origin_location(&base, "https://ucs.example.com/x").is_ok());
        for evil in [
            "https://evil.example.com/x",
            "//evil.example.com/x",
            "http://ucs.example.com/x",
            "https://ucs.example.com:444/x",
        ] {
            let error = same_origin_location(&base, evil).unwrap_err();
            assert!(
                error.to_string().contains("another origin"),
                "{evil}: {error}"
            );
        }
    }
}
