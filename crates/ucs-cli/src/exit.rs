//! Exit codes and the one error type of the command line: a message for people, a hint what
//! to do, and the exit code it leads to.

use std::fmt;
use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: everything asked for was done.
    Done,
    /// 1: some rows or objects failed, the others were done (doctor: a check failed).
    Partial,
    /// 2: nothing was done.
    Nothing,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::Partial => 1,
            Outcome::Nothing => 2,
        }
    }

    /// The outcome of a batch: all, some or none of `total` items failed.
    pub fn of_batch(failed: usize, total: usize) -> Outcome {
        match failed {
            0 => Outcome::Done,
            f if f < total => Outcome::Partial,
            _ => Outcome::Nothing,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome.code())
    }
}

/// A failed command: nothing (more) was done.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The reader of the output went away (`ucs ... | head`): end quietly.
    pub broken_pipe: bool,
}

impl CliError {
    /// An error without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: None,
            broken_pipe: false,
        }
    }

    /// Adds what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl From<ucs::Error> for CliError {
    fn from(error: ucs::Error) -> Self {
        let hint = hint_for(&error);
        if let ucs::Error::RuleViolation(violations) = &error {
            let mut message = format!(
                "the request breaks {} UCS@school rule(s); nothing was sent:",
                violations.len()
            );
            for v in violations {
                message.push_str(&format!(
                    "\n  {}: {} ({})",
                    v.field,
                    v.message,
                    v.rule.code()
                ));
            }
            return CliError {
                message,
                hint,
                broken_pipe: false,
            };
        }
        let mut message = error.to_string();
        for field in error.field_errors() {
            if !message.contains(&field.to_string()) {
                message.push_str(&format!("\n  {field}"));
            }
        }
        CliError {
            message,
            hint,
            broken_pipe: false,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        let mut out = CliError::new(format!("cannot write the output: {error}"));
        out.broken_pipe = error.kind() == std::io::ErrorKind::BrokenPipe;
        out
    }
}

/// What an admin can do about a facade error.
fn hint_for(error: &ucs::Error) -> Option<String> {
    use ucs::Error as E;
    let text = match error {
        E::Unauthorized(_) => {
            "check the user and the password (--password-file, UCS_PASSWORD_FILE, \
             UCS_PASSWORD); a read-only Kelvin account cannot write; `ucs doctor` tells which"
        }
        E::Forbidden(_) => {
            "the account is valid but lacks the rights (UDM: Domain Admins); `ucs doctor` tells"
        }
        E::NotFound(_) => "check the name or DN (list them with `list`)",
        E::Transport { message, .. } if looks_like_tls(message) => {
            "the server's certificate is not trusted: run `ucs doctor` to see and save its CA, \
             or give --ca-file"
        }
        E::Transport { .. } => {
            "check --host / UCS_HOST and that the server is reachable; `ucs doctor` checks"
        }
        E::RuleViolation(_) => {
            "fix the fields named above (or --no-rule-checks to let the server decide)"
        }
        E::Config(message) if message.contains("CA") => {
            "give a PEM file with --ca-file (or `ucs doctor --trust-ca`)"
        }
        _ => return None,
    };
    Some(text.to_string())
}

/// Whether a transport error message is about the certificate.
pub fn looks_like_tls(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    ["certificate", "unknownissuer", "tls", "handshake"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Shorthand for the command functions.
pub type CliResult<T = Outcome> = Result<T, CliError>;
