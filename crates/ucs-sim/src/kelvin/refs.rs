//! Reference URLs in request bodies turned into names, as `kelvin/urls.py` (`url_to_name`,
//! `url_to_dn`) does: the host and query are ignored, the path is unquoted and must be the
//! path of a resource of that type *in the API version of the request*; otherwise the lib's
//! `NoObject` escapes and the server answers 404 `{"message": ...}`.

use super::error::KelvinError;
use super::py::repr;
use super::pyurl::HttpUrl;
use super::version::ApiVersion;

/// What a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// `/schools/{name}`.
    School,
    /// `/roles/{name}`.
    Role,
    /// `/users/{name}`.
    User,
}

impl RefKind {
    fn type_name(self) -> &'static str {
        match self {
            RefKind::School => "school",
            RefKind::Role => "role",
            RefKind::User => "user",
        }
    }

    fn collection(self) -> &'static str {
        match self {
            RefKind::School => "schools",
            RefKind::Role => "roles",
            RefKind::User => "users",
        }
    }
}

/// The last path segment (after trailing slashes are dropped).
fn last_segment(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// `url_to_name`: the name a reference URL points to.
pub(crate) fn name(
    version: ApiVersion,
    kind: RefKind,
    url: &HttpUrl,
) -> Result<String, KelvinError> {
    let (unschemed, path) = url.unschemed();
    let name = last_segment(&path).to_string();
    let expected = format!(
        "/ucsschool/kelvin/{}/{}/{name}",
        version.0,
        kind.collection()
    );
    if path != expected || name.is_empty() {
        return Err(KelvinError::no_object(format!(
            "Could not find object of type {} with URL({}).",
            repr(kind.type_name()),
            repr(&unschemed)
        )));
    }
    Ok(name)
}

/// `url_to_dn` for a user that does not exist: the message names the URL as a string.
pub(crate) fn unknown_user(url: &HttpUrl) -> KelvinError {
    KelvinError::no_object(format!(
        "Could not find object of type 'user' with URL {}.",
        repr(&url.unschemed().0)
    ))
}

/// `remove_url` of `legal_guardians` / `legal_wards` items: a value without `/` is a user
/// name (or a DN), anything else must be a user URL of this version.
pub(crate) fn user_name_or_url(version: ApiVersion, value: &str) -> Result<String, KelvinError> {
    if !value.contains('/') {
        return Ok(value.to_string());
    }
    // the server parses such a value with urlparse, without pydantic's URL checks
    let (url, path) = loose_unschemed(value);
    let name = last_segment(&path).to_string();
    let expected = format!("/ucsschool/kelvin/{}/users/{name}", version.0);
    if path != expected || name.is_empty() {
        return Err(KelvinError::no_object(format!(
            "Could not find object of type 'user' with URL({}).",
            repr(&url)
        )));
    }
    Ok(name)
}

/// `unscheme_and_unquote` of an arbitrary string (Python's `urlparse` split).
fn loose_unschemed(value: &str) -> (String, String) {
    let (scheme, rest) = match value.split_once("://") {
        Some((s, r))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (true, r)
        }
        _ => (false, value),
    };
    let (netloc, after) = if scheme {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        (&rest[..end], &rest[end..])
    } else {
        ("", rest)
    };
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    let path = crate::query::decode_path(&after[..path_end]);
    let url = format!("http://{netloc}{path}{}", &after[path_end..]);
    (url, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn url(s: &str) -> HttpUrl {
        super::super::pyurl::validate(&json!(s)).unwrap()
    }

    #[test]
    fn only_paths_of_this_version_and_type_resolve() {
        let v1 = ApiVersion("v1");
        assert_eq!(
            name(
                v1,
                RefKind::Role,
                &url("https://x.example.com/ucsschool/kelvin/v1/roles/stu%64ent?q=1")
            )
            .unwrap(),
            "student"
        );
        for bad in [
            "https://127.0.0.1:40501/ucsschool/kelvin/v1/schools/student",
            "https://127.0.0.1:40501/ucsschool/kelvin/v2/roles/student",
            "https://127.0.0.1:40501/ucsschool/kelvin/v1/roles/student/",
        ] {
            let e = name(v1, RefKind::Role, &url(bad)).unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::NOT_FOUND);
            let text = e.body()["message"].as_str().unwrap().to_string();
            assert!(
                text.starts_with(
                    "Could not find object of type 'role' with URL('http://127.0.0.1:40501/"
                ),
                "{text}"
            );
        }
        assert_eq!(
            user_name_or_url(v1, "demo_student").unwrap(),
            "demo_student"
        );
        assert_eq!(
            user_name_or_url(v1, "https://h/ucsschool/kelvin/v1/users/a").unwrap(),
            "a"
        );
        let e = user_name_or_url(v1, "https://h/ucsschool/kelvin/v1/schools/x").unwrap_err();
        assert_eq!(e.body()["message"], "Could not find object of type 'user' with URL('http://h/ucsschool/kelvin/v1/schools/x').");
    }
}
