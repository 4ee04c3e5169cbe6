//! The servers' OpenAPI documents: their `info.version`, and how they differ from the
//! documents this build was generated from (the drift report in short).

use serde_json::Value;
use ucs::Secret;

use super::finding::Finding;
use super::http::{describe, read};

/// The Kelvin v1 document this build was generated from.
const VENDORED_KELVIN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../specs/kelvin/openapi.json"
));
/// The UDM document this build was generated from.
const VENDORED_UDM: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../specs/udm/openapi.json"
));

/// Which API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// Kelvin v1.
    Kelvin,
    /// UDM.
    Udm,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::Kelvin => "Kelvin",
            Api::Udm => "UDM",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Api::Kelvin => "/ucsschool/kelvin/v1/openapi.json",
            Api::Udm => "/univention/udm/openapi.json",
        }
    }

    fn check(self) -> &'static str {
        match self {
            Api::Kelvin => "kelvin-api",
            Api::Udm => "udm-api",
        }
    }

    fn vendored(self) -> &'static str {
        match self {
            Api::Kelvin => VENDORED_KELVIN,
            Api::Udm => VENDORED_UDM,
        }
    }
}

/// Fetches the document; the finding says which version the server runs.
pub async fn fetch(
    http: &reqwest::Client,
    host: &str,
    api: Api,
    basic: Option<(&str, &Secret)>,
) -> (Finding, Option<Value>) {
    let url = format!("{host}{}", api.path());
    let mut request = http.get(&url).header("Accept", "application/json");
    if let Some((user, password)) = basic {
        request = request.basic_auth(user, Some(password.expose()));
    }
    let answer = match request.send().await {
        Ok(response) => read(response).await,
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => {
            let text = format!("cannot fetch {url}: {}", describe(&e));
            return (
                Finding::warn(
                    api.check(),
                    text,
                    "the version is unknown; check the connection",
                ),
                None,
            );
        }
    };
    if answer.status != 200 {
        let text = format!(
            "the server does not serve {url} ({}), so its {} version is unknown",
            answer.status,
            api.name()
        );
        let todo = match answer.status {
            401 | 403 => {
                "the version check needs an account the API accepts (see the login checks)"
            }
            _ => match api {
                Api::Kelvin => "check that the app ucsschool-kelvin-rest-api is installed",
                Api::Udm => {
                    "check that the UDM REST API (univention-directory-manager-rest) is installed"
                }
            },
        };
        return (Finding::warn(api.check(), text, todo), None);
    }
    match serde_json::from_slice::<Value>(&answer.body) {
        Ok(doc) => {
            let version = doc
                .pointer("/info/version")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            (
                Finding::ok(api.check(), format!("{} API version {version}", api.name())),
                Some(doc),
            )
        }
        Err(e) => (
            Finding::warn(
                api.check(),
                format!("{url} is not JSON: {e}"),
                "is this a UCS server?",
            ),
            None,
        ),
    }
}

/// The drift between the vendored document and the server's, in one finding (and each
/// change as a line of `details`).
pub fn drift(api: Api, served: &Value, details: bool) -> (Finding, Vec<String>) {
    let check = "drift";
    let vendored: Value = match serde_json::from_str(api.vendored()) {
        Ok(v) => v,
        Err(e) => {
            return (
                Finding::warn(
                    check,
                    format!("the vendored {} document does not parse: {e}", api.name()),
                    "report this build",
                ),
                vec![],
            )
        }
    };
    let drift = match openapi_surface::diff(&vendored, served) {
        Ok(d) => d,
        Err(e) => {
            let text = format!("cannot compare the {} documents: {e}", api.name());
            return (
                Finding::warn(check, text, "compare them with `cargo xtask drift`"),
                vec![],
            );
        }
    };
    let version = |doc: &Value| {
        doc.pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    if drift.is_empty() {
        let text = format!(
            "the server's {} API is the one this build knows ({})",
            api.name(),
            version(&vendored)
        );
        return (Finding::ok(check, text), vec![]);
    }
    use openapi_surface::ChangeClass as C;
    let counts = [
        C::Breaking,
        C::ResponseEnumAddition,
        C::Compatible,
        C::Cosmetic,
    ]
    .iter()
    .filter(|c| drift.has(**c) || **c != C::ResponseEnumAddition)
    .map(|c| format!("{} {}", drift.count(*c), c.label()))
    .collect::<Vec<_>>()
    .join(", ");
    let text = format!(
        "the server's {} API ({}) differs from the one this build knows ({}): {counts}",
        api.name(),
        version(served),
        version(&vendored)
    );
    let lines = if details {
        drift.changes().iter().map(|c| c.line()).collect()
    } else {
        vec![]
    };
    let finding = if drift.has(C::Breaking) {
        Finding::warn(
            check,
            text,
            "some commands may misread answers; see --drift-details and update ucs",
        )
    } else {
        Finding::warn(
            check,
            text,
            "nothing breaks; --drift-details lists the changes",
        )
    };
    (finding, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_document_has_no_drift_and_a_removed_operation_is_breaking() {
        let served: Value = serde_json::from_str(VENDORED_KELVIN).unwrap();
        let (finding, lines) = drift(Api::Kelvin, &served, true);
        assert_eq!(
            finding.status,
            super::super::finding::Status::Ok,
            "{finding}"
        );
        assert!(
            finding
                .message
                .contains("is the one this build knows (4.0.0)"),
            "{finding}"
        );
        assert!(lines.is_empty());

        let mut changed = served.clone();
        let paths = changed["paths"].as_object_mut().unwrap();
        let first = paths.keys().next().unwrap().clone();
        paths.remove(&first);
        changed["info"]["version"] = Value::String("4.1.0".into());
        let (finding, lines) = drift(Api::Kelvin, &changed, true);
        assert_eq!(finding.status, super::super::finding::Status::Warn);
        assert!(
            finding
                .message
                .contains("(4.1.0) differs from the one this build knows (4.0.0)"),
            "{finding}"
        );
        assert!(
            finding.message.contains("breaking")
                && finding.todo.as_deref().unwrap().contains("misread"),
            "{finding}"
        );
        assert!(lines.iter().any(|l| l.contains(&first)), "{lines:?}");
        let (_, none) = drift(Api::Kelvin, &changed, false);
        assert!(none.is_empty(), "details only when asked");
    }
}
