//! The URL-valued fields Kelvin wants (`school`, `schools`, `roles`, class
//! `users`, ...) and the names inside the URLs it returns.

use percent_encoding::percent_decode_str;

use crate::error::{Error, Result};
use crate::http::encode_segment;

/// A name as one URL path segment. `.` and `..` are refused: URL parsers
/// resolve them (also as `%2E`) as dot-segments, so the request would reach
/// another resource; an empty name would address the collection.
fn segment(name: &str) -> Result<String> {
    match name {
        "" | "." | ".." => Err(Error::InvalidInput(format!(
            "{name:?} cannot be a Kelvin object name in a URL"
        ))),
        _ => Ok(encode_segment(name)),
    }
}

/// Builds resource URLs for one server and API version.
#[derive(Clone, Debug)]
pub(crate) struct Urls {
    /// `https://host[:port]/ucsschool/kelvin/v1`
    api: String,
}

impl Urls {
    pub(crate) fn new(host: &str, version: &str) -> Self {
        Urls {
            api: format!("{host}/ucsschool/kelvin/{version}"),
        }
    }

    /// `<api>/<collection>/` (a collection URL ends in `/`).
    pub(crate) fn collection(&self, collection: &str) -> String {
        format!("{}/{collection}/", self.api)
    }

    /// `<api>/<collection>/<name>` with the name percent-encoded.
    pub(crate) fn item(&self, collection: &str, name: &str) -> Result<String> {
        Ok(format!("{}/{collection}/{}", self.api, segment(name)?))
    }

    /// `<api>/<collection>/<school>/<name>` for classes and workgroups.
    pub(crate) fn school_item(&self, collection: &str, school: &str, name: &str) -> Result<String> {
        Ok(format!(
            "{}/{collection}/{}/{}",
            self.api,
            segment(school)?,
            segment(name)?
        ))
    }

    /// The URLs of several items.
    pub(crate) fn items<'n>(
        &self,
        collection: &str,
        names: impl IntoIterator<Item = &'n String>,
    ) -> Result<Vec<String>> {
        names
            .into_iter()
            .map(|n| self.item(collection, n))
            .collect()
    }
}

/// The name a Kelvin URL points to: its last path segment, `%xx`-decoded. A
/// value without `/` is taken as a name already.
pub(crate) fn name_from_url(value: &str) -> String {
    let last = last_segment(value);
    percent_decode_str(last)
        .decode_utf8()
        .map(|s| s.into_owned())
        .unwrap_or_else(|_| last.to_string())
}

/// [`name_from_url`] of an owned value, reusing its allocation when the
/// name needs no `%xx`-decoding (the usual case).
pub(crate) fn into_name(mut value: String) -> String {
    let last = last_segment(&value);
    if last.contains('%') {
        return name_from_url(&value);
    }
    let start = last.as_ptr() as usize - value.as_ptr() as usize;
    let end = start + last.len();
    value.truncate(end);
    value.drain(..start);
    value
}

/// The last path segment of a URL (or the whole value when it has no `/`).
fn last_segment(value: &str) -> &str {
    let path = value.split(['?', '#']).next().unwrap_or(value);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_into_urls_and_decoded_back() {
        let urls = Urls::new("https://h", "v1");
        let nasty = "a/b %?#ä";
        let url = urls.item("schools", nasty).unwrap();
        assert_eq!(
            url,
            "https://h/ucsschool/kelvin/v1/schools/a%2Fb%20%25%3F%23%C3%A4"
        );
        assert_eq!(name_from_url(&url), nasty);
        assert_eq!(
            urls.school_item("classes", "DEMO SCHOOL", "1a").unwrap(),
            "https://h/ucsschool/kelvin/v1/classes/DEMO%20SCHOOL/1a"
        );
        assert_eq!(
            urls.collection("users"),
            "https://h/ucsschool/kelvin/v1/users/"
        );
    }

    /// `.` and `..` would become dot-segments (another path, objects made
    /// unreachable): refused before anything is sent.
    #[test]
    fn dot_names_are_refused() {
        let urls = Urls::new("https://h", "v1");
        for name in [".", "..", ""] {
            let error = urls.item("users", name).unwrap_err();
            assert!(matches!(error, Error::InvalidInput(_)), "{name:?}: {error}");
            assert!(urls.school_item("classes", "DEMO", name).is_err());
            assert!(urls.school_item("classes", name, "1a").is_err());
        }
        assert!(urls.item("users", "...").is_ok());
        assert!(urls.item("users", "a.b").is_ok());
    }

    #[test]
    fn plain_names_and_trailing_slashes() {
        assert_eq!(name_from_url("DEMOSCHOOL"), "DEMOSCHOOL");
        assert_eq!(
            name_from_url("https://h/ucsschool/kelvin/v1/roles/student/"),
            "student"
        );
        assert_eq!(name_from_url("https://h/x/M%C3%BCller"), "Müller");
    }

    /// The owned variant gives what `name_from_url` gives, for every shape.
    #[test]
    fn into_name_agrees_with_name_from_url() {
        for value in [
            "DEMOSCHOOL",
            "",
            "/",
            "https://h/ucsschool/kelvin/v1/roles/student/",
            "https://h/x/M%C3%BCller",
            "https://h/x/%FF",
            "https://h/x/a?b=c/d#e",
            "https://h/x/a#/b",
            "https://h/x//",
        ] {
            assert_eq!(
                into_name(value.to_string()),
                name_from_url(value),
                "{value:?}"
            );
        }
    }
}
