//! `cargo xtask fetch`: refresh `specs/` from live servers.

use anyhow::{bail, Result};
use clap::Args;

/// Arguments of `cargo xtask fetch`.
#[derive(Args, Debug)]
pub struct FetchArgs {}

/// Runs `cargo xtask fetch`.
pub fn run(_args: &FetchArgs) -> Result<bool> {
    bail!("fetch is not implemented yet")
}
