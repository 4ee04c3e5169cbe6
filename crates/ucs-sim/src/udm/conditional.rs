//! Entity tags and conditional requests of one object (the server's `ConditionalResource`):
//! a strong 40-hex `ETag` over DN, module, change sequence and UUID; `Last-Modified` only
//! when the last change is more than a second old; `If-None-Match`, `If-Match`, then
//! `If-Modified-Since` and `If-Unmodified-Since` (the latter two only with a Last-Modified).

use super::error::UdmError;
use crate::store::Object;
use axum::http::{header, HeaderMap, Method};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The entity tag of an object's current state (changes on every write and on a move).
pub(crate) fn etag(object: &Object) -> String {
    let mut digest = Sha256::new();
    digest.update(object.dn.as_bytes());
    digest.update(object.module.as_bytes());
    digest.update(object.revision.to_string().as_bytes());
    digest.update(object.uuid.as_bytes());
    let hex: String = digest
        .finalize()
        .iter()
        .take(20)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// `Last-Modified`, or `None` while the last change is less than a second old.
pub(crate) fn last_modified(object: &Object, now: DateTime<Utc>) -> Option<String> {
    let a_second_ago = (now - chrono::Duration::seconds(1)).timestamp();
    (object.modified.timestamp() < a_second_ago).then(|| http_date(object.modified))
}

/// An HTTP date.
pub(crate) fn http_date(time: DateTime<Utc>) -> String {
    time.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The entity tags of an `If-Match`/`If-None-Match` value: `*` and (weak) quoted tags.
fn tags(value: &str) -> Vec<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'*' {
            out.push("*".to_string());
            i += 1;
            continue;
        }
        let start = i;
        let quote = if bytes[i..].starts_with(b"W/\"") {
            i + 2
        } else {
            i
        };
        if bytes.get(quote) == Some(&b'"') {
            if let Some(len) = bytes[quote + 1..].iter().position(|&b| b == b'"') {
                let end = quote + 1 + len + 1;
                out.push(value[start..end].to_string());
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

fn header_text<'a>(headers: &'a HeaderMap, name: &header::HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// What the preconditions decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Go on.
    Proceed,
    /// Answer 304.
    NotModified,
}

fn check_etags(method: &Method, headers: &HeaderMap, etag: &str) -> Result<Verdict, UdmError> {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let matching = |list: &[String]| list.iter().any(|t| t == "*" || weak(t) == weak(etag));
    if let Some(value) = header_text(headers, &header::IF_NONE_MATCH) {
        let list = tags(value);
        if list.is_empty() && !value.is_empty() {
            return Err(UdmError::bad_request("Invalid \"If-None-Match\" syntax."));
        }
        if !list.is_empty() && matching(&list) {
            if safe {
                return Ok(Verdict::NotModified);
            }
            return Err(UdmError::precondition(&format!(
                "The resource has meanwhile been changed. If-None-Match {} does not match entity tag {etag}.",
                list.join(", ")
            )));
        }
    }
    if let Some(value) = header_text(headers, &header::IF_MATCH) {
        let list = tags(value);
        if list.is_empty() && !value.is_empty() {
            return Err(UdmError::bad_request("Invalid \"If-Match\" syntax."));
        }
        if !list.is_empty() && !matching(&list) && !safe {
            return Err(UdmError::precondition(&format!(
                "The resource has meanwhile been changed. If-Match {} does not match entity tag {etag}.",
                list.join(", ")
            )));
        }
    }
    Ok(Verdict::Proceed)
}

fn parse_date(value: &str) -> Option<i64> {
    DateTime::parse_from_rfc2822(value.trim())
        .ok()
        .map(|d| d.timestamp())
}

/// Checks the conditional headers against the object's current state.
pub(crate) fn check(
    method: &Method,
    headers: &HeaderMap,
    object: &Object,
    now: DateTime<Utc>,
) -> Result<Verdict, UdmError> {
    if check_etags(method, headers, &etag(object))? == Verdict::NotModified {
        return Ok(Verdict::NotModified);
    }
    if last_modified(object, now).is_none() {
        return Ok(Verdict::Proceed);
    }
    let modified = object.modified.timestamp();
    if let Some(since) = header_text(headers, &header::IF_MODIFIED_SINCE).and_then(parse_date) {
        if since >= modified {
            return Ok(Verdict::NotModified);
        }
    }
    if let Some(since) = header_text(headers, &header::IF_UNMODIFIED_SINCE).and_then(parse_date) {
        if modified > since {
            return Err(UdmError::precondition(
                "If-Unmodified-Since does not match Last-Modified.",
            ));
        }
    }
    Ok(Verdict::Proceed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_tag_lists_are_scanned_like_the_server_does() {
        assert_eq!(tags("\"a\", W/\"b\" *"), vec!["\"a\"", "W/\"b\"", "*"]);
        assert!(tags("abc").is_empty());
        assert_eq!(tags("x\"y"), Vec::<String>::new());
    }
}
