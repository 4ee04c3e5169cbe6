//! Sync errors as the command line reports them.

use ucs_sync::SyncError;

use crate::exit::CliError;

/// A sync error for people: what went wrong, what to do.
pub fn sync_error(error: SyncError) -> CliError {
    let error = match error {
        SyncError::Directory(e) => return CliError::from(e),
        other => other,
    };
    let hint = match &error {
        SyncError::Config(_) => Some("check the importer configuration (--config)"),
        SyncError::Input(_) => Some("check the roster's encoding, delimiter and the columns the configuration maps"),
        SyncError::TooManyErrors { .. } => Some("fix the rows listed, or raise tolerate_errors in the configuration"),
        SyncError::SafetyLimit { .. } => {
            Some("check the roster is complete; to go ahead anyway set the safety limit's force in the configuration")
        }
        SyncError::DirectoryChanged { .. } => Some("the directory changed since planning: make a new plan"),
        SyncError::Journal(_) => Some("give another --journal, or the journal of this plan"),
        _ => None,
    };
    let mut message = error.to_string();
    if let SyncError::TooManyErrors { rejected, .. } = &error {
        for row in rejected.iter().take(50) {
            for problem in &row.problems {
                message.push_str(&format!("\n  row {}: {problem}", row.row));
            }
        }
    }
    let out = CliError::new(message);
    match hint {
        Some(h) => out.hint(h),
        None => out,
    }
}
