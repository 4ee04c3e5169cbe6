//! `ucs doctor`.

use crate::cli::doctor::DoctorArgs;
use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

/// Runs the checks.
pub async fn run(_global: &GlobalArgs, _args: &DoctorArgs) -> CliResult {
    Err(CliError::new("doctor: not yet"))
}
