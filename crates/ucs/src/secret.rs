//! Secret values (passwords, tokens, password hashes) that never show up in
//! `Debug` output, logs or error messages.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A secret string: a password, a token or a password hash.
///
/// `Debug` and `Display` print `[REDACTED]`; the value is zeroized on drop.
/// Read it with [`Secret::expose`] only where it is sent to the server.
///
/// ```
/// let password = ucs::Secret::from("univention");
/// assert_eq!(format!("{password:?}"), "Secret([REDACTED])");
/// assert_eq!(password.expose(), "univention");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The secret value. Call this only to send it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Secret::new(value.as_str())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl Secret {
    /// Writes the secret's value with serde. `Secret` does not implement
    /// `Serialize`, so a struct that derives it and holds a secret does not
    /// compile until it names this function for the field
    /// (`#[serde(serialize_with = "ucs::Secret::serialize_exposed")]`): writing
    /// a secret out is always an explicit act.
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Login {
    ///     user: String,
    ///     #[serde(serialize_with = "ucs::Secret::serialize_exposed")]
    ///     password: ucs::Secret,
    /// }
    /// let login = Login { user: "a".into(), password: "pw".into() };
    /// assert_eq!(serde_json::to_string(&login).unwrap(), r#"{"user":"a","password":"pw"}"#);
    /// ```
    pub fn serialize_exposed<S: serde::Serializer>(
        secret: &Secret,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(secret.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// Replaces every occurrence of the secrets in `text` (a server message that
/// might echo a sent value) with `[REDACTED]`.
pub(crate) fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        let value = secret.expose();
        if value.len() >= 3 {
            out = out.replace(value, "[REDACTED]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::from("hunter22");
        assert_eq!(format!("{s:?}"), "Secret([REDACTED])");
        assert_eq!(format!("{s}"), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(Secret([REDACTED]))");
        assert_eq!(s.expose(), "hunter22");
    }

    #[test]
    fn serializes_the_value_only_when_asked_by_name() {
        let s = Secret::from("pw");
        let mut out = Vec::new();
        Secret::serialize_exposed(&s, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(out, b"\"pw\"");
        let back: Secret = serde_json::from_str("\"pw\"").unwrap();
        assert_eq!(back, s);
    }

    /// A `Secret` inside a struct that derives `Serialize` would write the
    /// value; without the impl such a struct does not compile.
    #[test]
    fn secret_does_not_implement_serialize() {
        trait Fallback {
            fn serializable(&self) -> bool {
                false
            }
        }
        struct Probe<T>(T);
        impl<T> Fallback for Probe<T> {}
        impl<T: serde::Serialize> Probe<T> {
            #[allow(dead_code)]
            fn serializable(&self) -> bool {
                true
            }
        }
        assert!(Probe("text").serializable(), "the probe detects Serialize");
        assert!(!Probe(Secret::from("pw")).serializable());
    }

    #[test]
    fn redact_removes_echoed_secrets() {
        let s = Secret::from("s3cret!");
        assert_eq!(
            redact("password 's3cret!' is too weak", &[&s]),
            "password '[REDACTED]' is too weak"
        );
    }
}
