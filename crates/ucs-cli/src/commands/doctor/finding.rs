//! One finding of `ucs doctor`: ok, warn or fail, what was found, and what to do.

use std::fmt;

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Fine.
    Ok,
    /// Works, but something deserves attention.
    Warn,
    /// Does not work.
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How it went.
    pub status: Status,
    /// The check's short name.
    pub check: &'static str,
    /// What was found.
    pub message: String,
    /// What to do (warn and fail).
    pub todo: Option<String>,
}

impl Finding {
    /// A passed check.
    pub fn ok(check: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            status: Status::Ok,
            check,
            message: message.into(),
            todo: None,
        }
    }

    /// A check that deserves attention.
    pub fn warn(
        check: &'static str,
        message: impl Into<String>,
        todo: impl Into<String>,
    ) -> Finding {
        Finding {
            status: Status::Warn,
            check,
            message: message.into(),
            todo: Some(todo.into()),
        }
    }

    /// A failed check.
    pub fn fail(
        check: &'static str,
        message: impl Into<String>,
        todo: impl Into<String>,
    ) -> Finding {
        Finding {
            status: Status::Fail,
            check,
            message: message.into(),
            todo: Some(todo.into()),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = match self.status {
            Status::Ok => "ok  ",
            Status::Warn => "warn",
            Status::Fail => "fail",
        };
        write!(f, "{status}  {:<13} {}", self.check, self.message)?;
        if let Some(todo) = &self.todo {
            write!(f, " -> {todo}")?;
        }
        Ok(())
    }
}
