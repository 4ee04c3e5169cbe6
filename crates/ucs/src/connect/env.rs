//! Reading the connection from environment variables (the names the `ucs`
//! command line uses): [`UcsBuilder::from_env`] and
//! [`UcsBuilder::from_env_with`].

use std::path::Path;

use crate::error::{Error, Result};
use crate::kelvin::ApiVersion;
use crate::secret::Secret;

use super::password_file::{self, PasswordFileError};
use super::UcsBuilder;

/// The server, `https://ucs.example.com`.
pub const HOST_VAR: &str = "UCS_HOST";
/// The account (default `Administrator`).
pub const USER_VAR: &str = "UCS_USER";
/// A file whose first line is the password.
pub const PASSWORD_FILE_VAR: &str = "UCS_PASSWORD_FILE";
/// The password itself.
pub const PASSWORD_VAR: &str = "UCS_PASSWORD";
/// A PEM file of CA certificates to trust.
pub const CA_FILE_VAR: &str = "UCS_CA_FILE";
/// `v1` or `v2`.
pub const KELVIN_API_VAR: &str = "UCS_KELVIN_API";

/// The account when `UCS_USER` is not set (as the command line has it).
const DEFAULT_USER: &str = "Administrator";

impl UcsBuilder {
    /// The settings the environment gives (see [the table](crate::connect)).
    pub fn from_env() -> Result<UcsBuilder> {
        from_lookup(|name| std::env::var(name).ok())
    }

    /// [`UcsBuilder::from_env`] with the variables looked up by `lookup`
    /// (a map, a `.env` file already read, a test).
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<UcsBuilder> {
        from_lookup(lookup)
    }
}

/// The builder the variables describe.
fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<UcsBuilder> {
    let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    let host = var(HOST_VAR).ok_or_else(|| {
        Error::Config(format!(
            "{HOST_VAR} is not set (the server, e.g. https://ucs.example.com)"
        ))
    })?;
    let user = var(USER_VAR).unwrap_or_else(|| DEFAULT_USER.to_string());
    let password = match (var(PASSWORD_FILE_VAR), var(PASSWORD_VAR)) {
        (Some(file), _) => read_password_file(Path::new(&file))?,
        (None, Some(password)) => Secret::new(password),
        (None, None) => {
            return Err(Error::Config(format!(
                "no password: set {PASSWORD_FILE_VAR} (a file whose first line is the password) \
                 or {PASSWORD_VAR}"
            )))
        }
    };
    let mut builder = UcsBuilder::new(&host).credentials(user, password);
    if let Some(ca) = var(CA_FILE_VAR) {
        builder = builder
            .ca_file(&ca)
            .map_err(|e| Error::Config(format!("{CA_FILE_VAR}: {}", config_text(e))))?;
    }
    if let Some(version) = var(KELVIN_API_VAR) {
        builder = builder.kelvin_api_version(api_version(&version)?);
    }
    Ok(builder)
}

fn api_version(text: &str) -> Result<ApiVersion> {
    match text.trim().to_ascii_lowercase().as_str() {
        "v1" => Ok(ApiVersion::V1),
        "v2" => Ok(ApiVersion::V2),
        other => Err(Error::Config(format!(
            "{KELVIN_API_VAR} must be v1 or v2, not {other:?}"
        ))),
    }
}

/// The first line of a password file, without its line end.
fn read_password_file(path: &Path) -> Result<Secret> {
    password_file::read(path, |mode| {
        tracing::warn!(
            file = %path.display(),
            mode = format!("{mode:03o}"),
            "the password file can be read by other users; chmod 600 it"
        );
    })
    .map_err(|e| {
        Error::Config(match e {
            PasswordFileError::Unreadable(e) => format!(
                "cannot read the password file {} ({PASSWORD_FILE_VAR}): {e}",
                path.display()
            ),
            PasswordFileError::TooLarge => format!(
                "the password file {} ({PASSWORD_FILE_VAR}) is larger than {} bytes; is it \
                 the right file?",
                path.display(),
                password_file::MAX_BYTES
            ),
            PasswordFileError::Empty => format!(
                "the password file {} ({PASSWORD_FILE_VAR}) is empty",
                path.display()
            ),
        })
    })
}

fn config_text(error: Error) -> String {
    match error {
        Error::Config(text) => text,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn host_user_password_and_version_are_read() {
        let builder = from_lookup(lookup(&[
            ("UCS_HOST", "https://ucs.example.com/"),
            ("UCS_PASSWORD", "Env-Pw-1"),
            ("UCS_KELVIN_API", "V2"),
        ]))
        .unwrap();
        assert_eq!(builder.host(), "https://ucs.example.com");
        let (user, password) = builder.credentials.clone().unwrap();
        assert_eq!(user, "Administrator");
        assert_eq!(password.expose(), "Env-Pw-1");
        assert_eq!(builder.kelvin_api, ApiVersion::V2);
        assert!(!format!("{builder:?}").contains("Env-Pw-1"));
    }

    #[test]
    fn missing_and_bad_values_say_which_variable() {
        let error = from_lookup(lookup(&[("UCS_PASSWORD", "x")])).unwrap_err();
        assert!(error.to_string().contains("UCS_HOST is not set"), "{error}");
        let error =
            from_lookup(lookup(&[("UCS_HOST", "https://h"), ("UCS_PASSWORD", "")])).unwrap_err();
        assert!(error.to_string().contains("UCS_PASSWORD_FILE"), "{error}");
        let error = from_lookup(lookup(&[
            ("UCS_HOST", "https://h"),
            ("UCS_PASSWORD", "x"),
            ("UCS_KELVIN_API", "v3"),
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("v1 or v2"), "{error}");
        let error = from_lookup(lookup(&[
            ("UCS_HOST", "https://h"),
            ("UCS_PASSWORD", "x"),
            ("UCS_CA_FILE", "/nonexistent/ca.pem"),
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("UCS_CA_FILE"), "{error}");
    }

    #[test]
    fn the_password_file_wins_and_only_its_first_line_counts() {
        let dir = std::env::temp_dir().join(format!("ucs-env-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pw");
        std::fs::write(&file, "File-Pw-1\nsecond line\n").unwrap();
        let builder = from_lookup(lookup(&[
            ("UCS_HOST", "https://h"),
            ("UCS_USER", "kelvin-admin"),
            ("UCS_PASSWORD", "Env-Pw-2"),
            ("UCS_PASSWORD_FILE", file.to_str().unwrap()),
        ]))
        .unwrap();
        let (user, password) = builder.credentials.clone().unwrap();
        assert_eq!(
            (user.as_str(), password.expose()),
            ("kelvin-admin", "File-Pw-1")
        );
        std::fs::write(&file, "\n").unwrap();
        let error = from_lookup(lookup(&[
            ("UCS_HOST", "https://h"),
            ("UCS_PASSWORD_FILE", file.to_str().unwrap()),
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("is empty"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
