//! The findings of a doctor run, printed as they come.

use std::io::Write;

use super::finding::{Finding, Status};
use crate::exit::Outcome;

/// The findings so far, printed as they come.
pub struct Report {
    failed: bool,
}

impl Report {
    /// No findings yet.
    pub fn new() -> Report {
        Report { failed: false }
    }

    /// Prints a finding.
    pub fn add(&mut self, finding: Finding) -> std::io::Result<()> {
        self.failed |= finding.status == Status::Fail;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{finding}")?;
        out.flush()
    }

    /// Prints a line below the last finding.
    pub fn detail(&mut self, line: &str) -> std::io::Result<()> {
        writeln!(std::io::stdout().lock(), "        {line}")
    }

    /// Done, or partly done once a check failed.
    pub fn outcome(&self) -> Outcome {
        if self.failed {
            Outcome::Partial
        } else {
            Outcome::Done
        }
    }
}
