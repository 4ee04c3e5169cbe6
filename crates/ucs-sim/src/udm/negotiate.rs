//! Content negotiation as the server does it: the `Accept` header picks HTML, HAL-JSON or JSON
//! (HTML is disabled, so it is a 406), and `Accept-Language` picks the answer language.

use super::error::UdmError;

/// The representation of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `application/json`.
    Json,
    /// `application/hal+json`: `_links` and `_embedded` are always present.
    Hal,
}

/// The text of the 406 for HTML requests.
const HTML_DISABLED: &str = "The unsupported HTML view of the UDM REST API is disabled. Please use the JSON interface via the \"Accept: application/json\" HTTP header or enable it via the UCR variable \"directory/manager/rest/html-view-enabled\". To get a developer overview the OpenAPI schema interface can be reached at /univention/udm/schema/.";

/// The text of the 406 for unknown media types.
const UNKNOWN_TYPE: &str =
    "The requested Content-Type does not exists. Specify a valid Accept header.";

/// Why no format was chosen.
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// 406 (HTML page).
    NotAcceptable(UdmError),
    /// A `q` value that is not a number: the server fails with a 500 (HTML page).
    BadWeight(String),
}

impl Refusal {
    /// The error answer.
    pub fn into_error(self) -> UdmError {
        match self {
            Refusal::NotAcceptable(e) => e,
            Refusal::BadWeight(value) => {
                let mut error = UdmError::internal(
                    format!("could not convert string to float: '{value}'"),
                    String::new(),
                );
                error.html = true;
                error
            }
        }
    }
}

fn weight(params: &[&str]) -> Result<f64, Refusal> {
    for part in params.iter().map(|p| p.trim()) {
        if let Some(value) = part.strip_prefix("q=") {
            return value
                .trim()
                .parse::<f64>()
                .map_err(|_| Refusal::BadWeight(value.to_string()));
        }
    }
    Ok(1.0)
}

/// The format an `Accept` header (absent: `text/html`) asks for.
pub(crate) fn accept(header: Option<&str>) -> Result<Format, Refusal> {
    let mut entries: Vec<(String, f64)> = Vec::new();
    for item in header.unwrap_or("text/html").split(',') {
        let parts: Vec<&str> = item.trim().split(';').collect();
        let media = parts.first().map(|p| p.trim()).unwrap_or("");
        entries.push((media.to_string(), weight(parts.get(1..).unwrap_or(&[]))?));
    }
    // stable: equal weights keep the header's order
    entries.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    for (media, q) in entries {
        if q <= 0.0 {
            continue;
        }
        match media.as_str() {
            "text/html" | "text/xml" | "application/xml" | "text/*" | "*/*" => {
                return Err(Refusal::NotAcceptable(UdmError::not_acceptable(
                    HTML_DISABLED,
                )))
            }
            "application/hal+json" | "application/*" => return Ok(Format::Hal),
            "application/json" => return Ok(Format::Json),
            _ => {}
        }
    }
    Err(Refusal::NotAcceptable(UdmError::not_acceptable(
        UNKNOWN_TYPE,
    )))
}

/// The answer language (`Content-Language`): English unless German is preferred; languages
/// without a translation fall back to German, which ranks above English.
pub(crate) fn language(header: Option<&str>) -> &'static str {
    let mut entries: Vec<(String, f64)> = header
        .unwrap_or("en-US")
        .split(',')
        .filter_map(|item| {
            let parts: Vec<&str> = item.trim().split(';').collect();
            let tag = parts.first()?.trim().to_ascii_lowercase();
            let q = weight(parts.get(1..).unwrap_or(&[])).unwrap_or(0.0);
            Some((tag, q))
        })
        .collect();
    entries.push(("de".into(), 0.02));
    entries.push(("en".into(), 0.01));
    entries.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    for (tag, q) in entries {
        if q <= 0.0 {
            continue;
        }
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "de" => return "de-DE",
            "en" => return "en-US",
            _ => {}
        }
    }
    "en-US"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_values_as_the_server_reads_them() {
        assert!(accept(None).is_err());
        assert!(accept(Some("*/*")).is_err());
        assert!(accept(Some("text/*")).is_err());
        assert!(accept(Some("Application/JSON")).is_err());
        assert!(accept(Some("*/*, application/json")).is_err());
        assert_eq!(accept(Some("application/json")).unwrap(), Format::Json);
        assert_eq!(accept(Some("application/*")).unwrap(), Format::Hal);
        assert_eq!(
            accept(Some("text/html;q=0.9, application/json")).unwrap(),
            Format::Json
        );
        assert_eq!(
            accept(Some("application/json;q=0.5, */*;q=0.1")).unwrap(),
            Format::Json
        );
        assert!(matches!(
            accept(Some("application/json;q=x")),
            Err(Refusal::BadWeight(_))
        ));
        assert_eq!(language(None), "en-US");
        assert_eq!(language(Some("de")), "de-DE");
        assert_eq!(language(Some("fr-FR")), "de-DE");
        assert_eq!(language(Some("en-GB,de;q=0.5")), "en-US");
    }
}
