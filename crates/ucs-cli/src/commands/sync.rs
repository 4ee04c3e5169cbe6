//! `ucs sync plan|apply|run`: the command layer over the sync engine (crate `ucs-sync`).

use crate::cli::sync::SyncArgs;
use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

/// Runs a sync command.
pub async fn run(_global: &GlobalArgs, _args: &SyncArgs) -> CliResult {
    Err(CliError::new(
        "`ucs sync` is not in this build yet: the sync engine (ucs-sync) is still being built",
    )
    .hint("nothing was changed"))
}
