//! Kelvin resource URLs in answers: always `https://<Host>/ucsschool/kelvin/<version>/...`
//! (the server's `scheme_and_quote` forces the scheme), path percent-quoted as Python's
//! `urllib.parse.quote` does.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `urllib.parse.quote(path)` leaves alone: letters, digits, `_.-~` and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~')
    .remove(b'/');

/// `urllib.parse.quote` of a path.
pub(crate) fn quote(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// URL builder for one request (`https://HOST/ucsschool/kelvin/v1`).
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    base: String,
    version: &'static str,
}

impl Urls {
    /// URLs below `https://<host>/ucsschool/kelvin/<version>`.
    pub fn new(host: &str, version: &'static str) -> Self {
        Self {
            base: format!("https://{host}/ucsschool/kelvin/{version}"),
            version,
        }
    }

    /// `v1` or `v2`.
    pub fn version(&self) -> &'static str {
        self.version
    }

    fn under(&self, path: &str) -> String {
        format!("{}{}", self.base, quote(path))
    }

    /// A user's URL.
    pub fn user(&self, name: &str) -> String {
        self.under(&format!("/users/{name}"))
    }

    /// A school's URL.
    pub fn school(&self, name: &str) -> String {
        self.under(&format!("/schools/{name}"))
    }

    /// A role's URL.
    pub fn role(&self, name: &str) -> String {
        self.under(&format!("/roles/{name}"))
    }

    /// A class's URL.
    pub fn class(&self, school: &str, name: &str) -> String {
        self.under(&format!("/classes/{school}/{name}"))
    }

    /// A workgroup's URL.
    pub fn workgroup(&self, school: &str, name: &str) -> String {
        self.under(&format!("/workgroups/{school}/{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_python_quoting() {
        let urls = Urls::new("127.0.0.1:8080", "v1");
        assert_eq!(
            urls.class("S", "1a b!"),
            "https://127.0.0.1:8080/ucsschool/kelvin/v1/classes/S/1a%20b%21"
        );
        assert_eq!(
            urls.user("ü~x"),
            "https://127.0.0.1:8080/ucsschool/kelvin/v1/users/%C3%BC~x"
        );
    }
}
