//! The errors of a sync: configuration, input, planning and applying.

use std::path::PathBuf;

use crate::problem::RowProblems;

/// A sync step that could not be carried out at all (a single bad row is not an error: it
/// is reported in the plan and skipped).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// The roster cannot be read (encoding, CSV structure, missing mapped columns, size).
    #[error("roster: {0}")]
    Input(String),
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The directory could not be read or written.
    #[error("directory: {0}")]
    Directory(#[from] ucs::Error),
    /// More rows were rejected than `tolerate_errors` allows.
    #[error("{} rows rejected, more than tolerate_errors = {limit}", .rejected.len())]
    TooManyErrors {
        /// The allowed number.
        limit: i64,
        /// The rejected rows.
        rejected: Vec<RowProblems>,
    },
    /// The plan would deactivate or delete more of a school's users than the safety limit
    /// allows (see `SafetyLimit`); pass `force` to go ahead.
    #[error("safety limit: the plan removes {removed} of {total} users of school {school} (more than {limit_percent}%); not forced")]
    SafetyLimit {
        /// The school.
        school: String,
        /// Users deactivated or deleted.
        removed: usize,
        /// Users of the source in that school.
        total: usize,
        /// The limit in percent.
        limit_percent: f64,
    },
    /// The directory changed since the plan was made.
    #[error("the directory changed since the plan was made (fingerprint {expected}, now {found}); re-plan")]
    DirectoryChanged {
        /// The plan's fingerprint.
        expected: String,
        /// The directory's fingerprint now.
        found: String,
    },
    /// The plan file is not one this version reads.
    #[error("plan: {0}")]
    Plan(String),
    /// The journal does not belong to this plan or is damaged.
    #[error("journal: {0}")]
    Journal(String),
}

impl SyncError {
    pub(crate) fn file(path: &std::path::Path, error: impl std::fmt::Display) -> SyncError {
        SyncError::File {
            path: path.to_path_buf(),
            message: error.to_string(),
        }
    }
}

/// Result of a sync step.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;
