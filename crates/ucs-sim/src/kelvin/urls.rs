//! Kelvin resource URLs: built from the request's scheme and `Host` header, names
//! percent-encoded; and names read back from URLs.

use crate::query::{decode_path, encode_component};

/// URL builder for one request (`http://HOST/ucsschool/kelvin/v1`).
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    base: String,
}

impl Urls {
    /// URLs below `base` (without trailing slash).
    pub fn new(base: String) -> Self {
        Self { base }
    }

    /// A user's URL.
    pub fn user(&self, name: &str) -> String {
        format!("{}/users/{}", self.base, encode_component(name))
    }

    /// A school's URL.
    pub fn school(&self, name: &str) -> String {
        format!("{}/schools/{}", self.base, encode_component(name))
    }

    /// A role's URL.
    pub fn role(&self, name: &str) -> String {
        format!("{}/roles/{}", self.base, encode_component(name))
    }

    /// A class's URL.
    pub fn class(&self, school: &str, name: &str) -> String {
        format!(
            "{}/classes/{}/{}",
            self.base,
            encode_component(school),
            encode_component(name)
        )
    }

    /// A workgroup's URL.
    pub fn workgroup(&self, school: &str, name: &str) -> String {
        format!(
            "{}/workgroups/{}/{}",
            self.base,
            encode_component(school),
            encode_component(name)
        )
    }
}

/// The name a resource URL points to (its last path segment, percent-decoded). A value that
/// is not a URL (no `/`) is taken as the name itself.
pub(crate) fn name_from_url(value: &str) -> String {
    if !value.contains('/') {
        return value.to_string();
    }
    let without_query = value.split(['?', '#']).next().unwrap_or(value);
    let trimmed = without_query.trim_end_matches('/');
    let segment = trimmed.rsplit('/').next().unwrap_or(trimmed);
    decode_path(segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_urls() {
        let urls = Urls::new("http://h/ucsschool/kelvin/v1".into());
        for name in ["DEMOSCHOOL", "a/b c", "ü%x?#"] {
            assert_eq!(name_from_url(&urls.school(name)), name);
        }
        assert_eq!(
            urls.class("S", "1a b"),
            "http://h/ucsschool/kelvin/v1/classes/S/1a%20b"
        );
        assert_eq!(name_from_url("student"), "student");
        assert_eq!(name_from_url("http://h/x/roles/teacher?x=1"), "teacher");
    }
}
