//! `cargo xtask gen [--check]`: the raw client crates from `specs/`.
//!
//! Each target's code is generated in memory ([`codegen::generate`]) and
//! written when it differs from the committed file; `--check` only compares.
//! When a file was written, `cargo check` of the regenerated crates shows at
//! once whether the new code compiles.

use anyhow::{Context, Result};
use xshell::cmd;

use crate::codegen;
use crate::targets::{self, Target};
use crate::workspace::{self, FileStatus};

/// Regenerates (or, with `check`, compares) every target; `false` when a
/// committed file is stale.
pub fn run(check: bool) -> Result<bool> {
    let root = workspace::root();
    let mut ok = true;
    let mut written: Vec<&Target> = Vec::new();
    for target in targets::ALL {
        let generated = codegen::generate(&root, target)?;
        for note in &generated.notes {
            eprintln!("note: {note}");
        }
        match workspace::update(&root, &generated.path, &generated.code, check)? {
            FileStatus::Stale => ok = false,
            FileStatus::Written => written.push(target),
            FileStatus::Unchanged => {}
        }
    }
    if !ok {
        eprintln!("\nThe committed generated code does not match specs/ and the generator. Run:\n\n    cargo xtask gen\n\nand commit the result.");
    }
    if !written.is_empty() {
        check_builds(&written)?;
    }
    Ok(ok)
}

/// `cargo check` of the crates whose code was just written.
fn check_builds(targets: &[&Target]) -> Result<()> {
    let sh = workspace::shell()?;
    let cargo = workspace::cargo();
    let packages: Vec<String> = targets
        .iter()
        .flat_map(|t| ["-p".to_string(), t.package().to_string()])
        .collect();
    eprintln!("checking that the regenerated crates compile");
    workspace::nested(cmd!(sh, "{cargo} check --quiet {packages...}"))
        .run()
        .context("the regenerated code does not compile (see the errors above)")?;
    Ok(())
}
