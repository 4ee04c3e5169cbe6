//! Turning an error answer (status + body) into an [`ApiError`].
//!
//! Bodies seen in the wild: Kelvin's FastAPI `{"detail": [{loc, msg, type}]}`
//! and `{"detail": "text"}`, Kelvin's `{"message": "text"}`, UDM's
//! `{"code", "title", "message", "_embedded": {"udm:error": [{location,
//! message, type}]}}`, OAuth 2 token endpoints' `{"error",
//! "error_description"}`, and HTML or plain text from proxies.

use serde_json::Value;

use crate::error::{ApiError, FieldError, RequestContext};
use crate::secret::{redact, Secret};

/// The longest server text kept in an error.
const MAX_DETAIL: usize = 500;

/// Decodes an error body. `secrets` are values the request carried that must
/// not come back in the error text, even if the server echoes them.
pub(crate) fn decode(
    context: RequestContext,
    status: u16,
    body: &[u8],
    secrets: &[&Secret],
) -> ApiError {
    let (detail, fields) = match serde_json::from_slice::<Value>(body) {
        Ok(json) => from_json(&json),
        Err(_) => (plain_text(body), Vec::new()),
    };
    let detail = if detail.is_empty() {
        reason(status).to_string()
    } else {
        detail
    };
    ApiError {
        context,
        status,
        detail: truncate(&redact(&detail, secrets)),
        fields: fields
            .into_iter()
            .map(|f| FieldError {
                message: truncate(&redact(&f.message, secrets)),
                ..f
            })
            .collect(),
    }
}

fn from_json(json: &Value) -> (String, Vec<FieldError>) {
    let mut fields = Vec::new();
    // Kelvin / FastAPI: detail as a list of validation errors, or a string.
    match json.get("detail") {
        Some(Value::Array(items)) => {
            for item in items {
                let field = item
                    .get("loc")
                    .and_then(Value::as_array)
                    .map(|loc| {
                        loc.iter()
                            .map(|p| match p {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .unwrap_or_default();
                fields.push(FieldError {
                    field,
                    message: text(item.get("msg")),
                    kind: item.get("type").and_then(Value::as_str).map(str::to_string),
                });
            }
            let detail = match fields.as_slice() {
                [one] => one.message.clone(),
                _ => format!("{} invalid fields", fields.len()),
            };
            return (detail, fields);
        }
        Some(Value::String(s)) => return (s.clone(), fields),
        Some(other) if !other.is_null() => return (other.to_string(), fields),
        _ => {}
    }
    // UDM: embedded udm:error list.
    if let Some(errors) = json
        .pointer("/_embedded/udm:error")
        .and_then(Value::as_array)
    {
        for item in errors {
            let field = item
                .get("location")
                .and_then(Value::as_array)
                .map(|loc| {
                    loc.iter()
                        .filter_map(Value::as_str)
                        .skip_while(|p| *p == "body")
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .unwrap_or_default();
            fields.push(FieldError {
                field,
                message: text(item.get("message")),
                kind: item.get("type").and_then(Value::as_str).map(str::to_string),
            });
        }
    }
    let detail = [
        json.get("message"),
        json.get("error").and_then(|e| e.get("message")),
        json.get("title"),
    ]
    .into_iter()
    .map(text)
    .find(|s| !s.is_empty())
    .or_else(|| oauth_error(json))
    .unwrap_or_default();
    (detail, fields)
}

/// An OAuth 2 error answer (RFC 6749 section 5.2):
/// `{"error": "invalid_client", "error_description": "..."}`.
fn oauth_error(json: &Value) -> Option<String> {
    let code = json.get("error")?.as_str()?;
    match json.get("error_description").and_then(Value::as_str) {
        Some(description) if !description.is_empty() => Some(format!("{description} ({code})")),
        _ => Some(code.to_string()),
    }
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The start of a non-JSON body, with HTML tags and runs of white space
/// removed.
fn plain_text(body: &[u8]) -> String {
    let raw = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let mut out = String::new();
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_DETAIL {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX_DETAIL).collect();
        format!("{cut}...")
    }
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RequestContext {
        RequestContext {
            method: "POST".into(),
            url: "https://h/x".into(),
            request_id: None,
        }
    }

    #[test]
    fn kelvin_validation_list_becomes_fields() {
        let body = br#"{"detail":[{"loc":["body","roles",0],"msg":"invalid role","type":"value_error"},{"loc":["body","name"],"msg":"field required","type":"value_error.missing"}]}"#;
        let e = decode(ctx(), 422, body, &[]);
        assert_eq!(e.detail, "2 invalid fields");
        assert_eq!(e.fields[0].field, "body.roles.0");
        assert_eq!(e.fields[0].message, "invalid role");
        assert_eq!(e.fields[1].kind.as_deref(), Some("value_error.missing"));
    }

    #[test]
    fn kelvin_string_detail_and_message_bodies() {
        assert_eq!(
            decode(ctx(), 409, br#"{"detail":"School user exists."}"#, &[]).detail,
            "School user exists."
        );
        assert_eq!(
            decode(ctx(), 404, br#"{"message":"No school 'X'."}"#, &[]).detail,
            "No school 'X'."
        );
    }

    #[test]
    fn udm_embedded_errors_become_property_fields() {
        let body = br#"{"code":422,"title":"Unprocessable Entity","message":"Request argument error","_embedded":{"udm:error":[{"location":["body","properties","username"],"message":"The username is already in use.","type":"value_error"}]}}"#;
        let e = decode(ctx(), 422, body, &[]);
        assert_eq!(e.detail, "Request argument error");
        assert_eq!(e.fields.len(), 1);
        assert_eq!(e.fields[0].field, "properties.username");
        assert_eq!(e.fields[0].message, "The username is already in use.");
    }

    #[test]
    fn oauth_error_answers_give_description_and_code() {
        let body = br#"{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}"#;
        assert_eq!(
            decode(ctx(), 401, body, &[]).detail,
            "Invalid client or Invalid client credentials (invalid_client)"
        );
        assert_eq!(
            decode(ctx(), 400, br#"{"error":"invalid_scope"}"#, &[]).detail,
            "invalid_scope"
        );
    }

    #[test]
    fn html_and_empty_bodies_give_readable_text() {
        let e = decode(
            ctx(),
            503,
            b"<html><body><h1>Service Unavailable</h1><p>Try later</p></body></html>",
            &[],
        );
        assert_eq!(e.detail, "Service Unavailable Try later");
        assert_eq!(decode(ctx(), 502, b"", &[]).detail, "Bad Gateway");
    }

    #[test]
    fn echoed_secrets_are_redacted() {
        let pw = Secret::from("Sup3rS3cret");
        let body = br#"{"detail":[{"loc":["body","password"],"msg":"'Sup3rS3cret' is too short","type":"value_error"}]}"#;
        let e = decode(ctx(), 422, body, &[&pw]);
        assert!(!format!("{e:?}").contains("Sup3rS3cret"));
        assert_eq!(e.fields[0].message, "'[REDACTED]' is too short");
    }

    #[test]
    fn long_text_is_truncated() {
        let body = format!("{{\"detail\": \"{}\"}}", "x".repeat(2000));
        assert_eq!(
            decode(ctx(), 400, body.as_bytes(), &[]).detail.len(),
            MAX_DETAIL + 3
        );
    }
}
