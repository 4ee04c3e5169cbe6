//! Where the password comes from: a file, the environment, or a prompt without echo. Never
//! from an argument (arguments show in `ps` and in the shell history).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use ucs::connect::password_file::{self, PasswordFileError};
use ucs::Secret;

use crate::exit::CliError;

/// The environment variable that may hold the password itself.
pub const PASSWORD_ENV: &str = "UCS_PASSWORD";

/// Where the password is read from, in the order they are tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// `--password-file` or `UCS_PASSWORD_FILE`.
    File(PathBuf),
    /// `UCS_PASSWORD`.
    Environment,
    /// The profile's `password_file`.
    ProfileFile(PathBuf),
    /// A prompt on the terminal, without echo.
    Prompt,
}

impl PasswordSource {
    /// The first source that applies.
    pub fn choose(option_file: Option<&Path>, profile_file: Option<&Path>) -> PasswordSource {
        if let Some(path) = option_file {
            PasswordSource::File(path.to_path_buf())
        } else if std::env::var_os(PASSWORD_ENV).is_some() {
            PasswordSource::Environment
        } else if let Some(path) = profile_file {
            PasswordSource::ProfileFile(path.to_path_buf())
        } else {
            PasswordSource::Prompt
        }
    }

    /// Says where the password comes from (never the password).
    pub fn describe(&self) -> String {
        match self {
            PasswordSource::File(p) => {
                format!("file {} (--password-file / UCS_PASSWORD_FILE)", p.display())
            }
            PasswordSource::Environment => format!("environment variable {PASSWORD_ENV}"),
            PasswordSource::ProfileFile(p) => {
                format!("file {} (profile's password_file)", p.display())
            }
            PasswordSource::Prompt => "prompt (no echo)".to_string(),
        }
    }

    /// Reads the password.
    pub fn read(&self, user: &str, host: &str) -> Result<Secret, CliError> {
        match self {
            PasswordSource::File(path) | PasswordSource::ProfileFile(path) => {
                read_password_file(path)
            }
            PasswordSource::Environment => match std::env::var(PASSWORD_ENV) {
                Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
                _ => Err(CliError::new(format!(
                    "{PASSWORD_ENV} is empty or not UTF-8"
                ))),
            },
            PasswordSource::Prompt => prompt(user, host),
        }
    }
}

/// The first line of a password file (without the line end). Warns when others can read it.
pub fn read_password_file(path: &Path) -> Result<Secret, CliError> {
    password_file::read(path, |mode| {
        eprintln!(
            "warning: the password file {} can be read by other users (mode {mode:03o}); run: chmod 600 {}",
            path.display(),
            path.display()
        );
    })
    .map_err(|e| {
        CliError::new(match e {
            PasswordFileError::Unreadable(e) => {
                format!("cannot read the password file {}: {e}", path.display())
            }
            PasswordFileError::TooLarge => format!(
                "the password file {} is larger than {} bytes; is it the right file?",
                path.display(),
                password_file::MAX_BYTES
            ),
            PasswordFileError::Empty => {
                format!("the password file {} is empty", path.display())
            }
        })
    })
}

fn prompt(user: &str, host: &str) -> Result<Secret, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new("no password: standard input is not a terminal, so there is no prompt").hint(
            "give --password-file FILE, set UCS_PASSWORD_FILE or UCS_PASSWORD, or add password_file to the profile",
        ));
    }
    let text = rpassword::prompt_password(format!("Password for {user} at {host}: "))
        .map_err(|e| CliError::new(format!("cannot read the password from the terminal: {e}")))?;
    if text.is_empty() {
        return Err(CliError::new("no password given"));
    }
    Ok(Secret::new(text))
}
