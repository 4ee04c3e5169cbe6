//! The grammar of the Kelvin object URLs the server returns (`user.url`, a class's
//! `school`, the `roles` of a user, ...).
//!
//! Kelvin writes every URL as `https://<the request's Host>/ucsschool/kelvin/<version>/...`,
//! `https` even when it is reached over plain HTTP, with the names
//! percent-quoted (kelvin-api `routers/v1/base.py` `scheme_and_quote`,
//! `routers/v1/role.py` `SchoolUserRole.to_url`, Kelvin 4.0.0). When it reads
//! a URL it ignores the scheme, host, port and query and matches the path
//! against its own routes of the request's API version (`urls.py`
//! `url_to_name`). The client does the same: it takes the names out of the
//! path and reads the object from this session's server, so a URL never sends
//! the credentials elsewhere.

use percent_encoding::percent_decode_str;

use super::ApiVersion;
use crate::error::{Error, Result};

/// What a Kelvin object URL points to (names percent-decoded).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KelvinRef {
    /// `…/users/<name>`
    User(String),
    /// `…/schools/<name>`
    School(String),
    /// `…/classes/<school>/<name>`
    Class {
        /// The school.
        school: String,
        /// The class name (without the school prefix).
        name: String,
    },
    /// `…/workgroups/<school>/<name>`
    WorkGroup {
        /// The school.
        school: String,
        /// The workgroup name (without the school prefix).
        name: String,
    },
    /// `…/roles/<name>`
    Role(String),
}

impl KelvinRef {
    /// Parses a Kelvin object URL of API `version`
    /// (`https://host/ucsschool/kelvin/v1/classes/DEMOSCHOOL/1a`). Scheme
    /// (`http` or `https`), host, port, query and fragment are not looked at;
    /// the path must be exactly one object's path (a collection URL, a
    /// trailing slash, extra segments or another API version are refused, as
    /// the server refuses them in references).
    pub fn parse(url: &str, version: ApiVersion) -> Result<KelvinRef> {
        let parsed = reqwest::Url::parse(url.trim())
            .map_err(|e| invalid(url, &format!("not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(url, "not an http(s) URL"));
        }
        let segments: Vec<&str> = parsed.path_segments().into_iter().flatten().collect();
        let start = segments
            .windows(2)
            .position(|w| w == ["ucsschool", "kelvin"])
            .ok_or_else(|| invalid(url, "no /ucsschool/kelvin/ in its path"))?;
        let rest = &segments[start + 2..];
        match rest.first() {
            Some(v) if *v == version.path() => {}
            Some(v) if matches!(*v, "v1" | "v2") => {
                return Err(invalid(
                    url,
                    &format!("it names API {v}, the session uses {}", version.path()),
                ))
            }
            _ => return Err(invalid(url, "no API version (v1, v2) in its path")),
        }
        let collection = rest.get(1).copied().unwrap_or_default();
        let names = rest.get(2..).unwrap_or_default();
        object_ref(url, collection, names)
    }

    /// The resource kind, as Kelvin names its collections.
    pub fn collection(&self) -> &'static str {
        match self {
            KelvinRef::User(_) => "users",
            KelvinRef::School(_) => "schools",
            KelvinRef::Class { .. } => "classes",
            KelvinRef::WorkGroup { .. } => "workgroups",
            KelvinRef::Role(_) => "roles",
        }
    }
}

/// The reference for `collection` and the decoded name segments.
fn object_ref(url: &str, collection: &str, names: &[&str]) -> Result<KelvinRef> {
    let decoded: Vec<String> = names
        .iter()
        .map(|n| decode(url, n))
        .collect::<Result<_>>()?;
    let wanted = match collection {
        "classes" | "workgroups" => 2,
        "users" | "schools" | "roles" => 1,
        "" => return Err(invalid(url, "no resource in its path")),
        other => return Err(invalid(url, &format!("{other:?} is not a Kelvin resource"))),
    };
    if decoded.len() != wanted || decoded.iter().any(String::is_empty) {
        return Err(invalid(
            url,
            &format!("a {collection} object URL has {wanted} name segment(s) after /{collection}/"),
        ));
    }
    let mut names = decoded.into_iter();
    let mut next = || names.next().unwrap_or_default();
    Ok(match collection {
        "users" => KelvinRef::User(next()),
        "schools" => KelvinRef::School(next()),
        "roles" => KelvinRef::Role(next()),
        "classes" => KelvinRef::Class {
            school: next(),
            name: next(),
        },
        _ => KelvinRef::WorkGroup {
            school: next(),
            name: next(),
        },
    })
}

fn decode(url: &str, segment: &str) -> Result<String> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| invalid(url, "a name in its path is not UTF-8"))
}

fn invalid(url: &str, why: &str) -> Error {
    Error::InvalidInput(format!("{url:?} is not a Kelvin object URL: {why}"))
}

/// The error for a URL of the wrong resource kind.
pub(crate) fn wrong_kind(found: &KelvinRef, wanted: &str) -> Error {
    Error::InvalidInput(format!(
        "the URL names a {} object ({found:?}), not a {wanted} object",
        found.collection()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<KelvinRef> {
        KelvinRef::parse(url, ApiVersion::V1)
    }

    #[test]
    fn every_resource_is_recognised_with_names_decoded() {
        let h = "https://ucs.example.com/ucsschool/kelvin/v1";
        assert_eq!(
            parse(&format!("{h}/users/M%C3%BCller")).unwrap(),
            KelvinRef::User("Müller".into())
        );
        assert_eq!(
            parse(&format!("{h}/schools/DEMOSCHOOL?x=1#f")).unwrap(),
            KelvinRef::School("DEMOSCHOOL".into())
        );
        assert_eq!(
            parse(&format!("{h}/classes/DEMOSCHOOL/c%201")).unwrap(),
            KelvinRef::Class {
                school: "DEMOSCHOOL".into(),
                name: "c 1".into()
            }
        );
        assert_eq!(
            parse(&format!("{h}/workgroups/DEMOSCHOOL/wg")).unwrap(),
            KelvinRef::WorkGroup {
                school: "DEMOSCHOOL".into(),
                name: "wg".into()
            }
        );
        assert_eq!(
            parse("http://127.0.0.1:8080/ucsschool/kelvin/v1/roles/teacher").unwrap(),
            KelvinRef::Role("teacher".into())
        );
        assert_eq!(
            parse("https://proxy/prefix/ucsschool/kelvin/v1/users/a").unwrap(),
            KelvinRef::User("a".into())
        );
    }

    #[test]
    fn non_object_urls_are_refused() {
        let h = "https://h/ucsschool/kelvin/v1";
        for (url, why) in [
            (format!("{h}/users/"), "name segment"),
            (format!("{h}/users/a/"), "name segment"),
            (format!("{h}/users"), "name segment"),
            (format!("{h}/classes/DEMOSCHOOL"), "2 name segment"),
            (format!("{h}/classes/DEMOSCHOOL/a/b"), "2 name segment"),
            (format!("{h}/tokens/a"), "not a Kelvin resource"),
            (
                "https://h/ucsschool/kelvin/v2/users/a".into(),
                "names API v2",
            ),
            ("https://h/ucsschool/kelvin/users/a".into(), "API version"),
            ("https://h/other/users/a".into(), "/ucsschool/kelvin/"),
            ("ftp://h/ucsschool/kelvin/v1/users/a".into(), "http(s)"),
            ("users/a".into(), "not a URL"),
        ] {
            match parse(&url) {
                Err(Error::InvalidInput(text)) => assert!(text.contains(why), "{url}: {text}"),
                other => panic!("{url}: {other:?}"),
            }
        }
        assert!(KelvinRef::parse("https://h/ucsschool/kelvin/v2/users/a", ApiVersion::V2).is_ok());
    }
}
