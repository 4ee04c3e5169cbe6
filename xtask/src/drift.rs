//! `cargo xtask drift OLD NEW`: the classified API changes between two
//! OpenAPI documents.

use anyhow::{bail, Result};
use clap::Args;

/// Arguments of `cargo xtask drift`.
#[derive(Args, Debug)]
pub struct DriftArgs {
    /// The old document (a path or an http(s) URL).
    pub old: String,
    /// The new document (a path or an http(s) URL).
    pub new: String,
}

/// Runs `cargo xtask drift`; `Ok(false)` means "report printed, exit non-zero".
pub fn run(_args: &DriftArgs) -> Result<bool> {
    bail!("drift is not implemented yet")
}
