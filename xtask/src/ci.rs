//! `cargo xtask ci`: the CI steps, in CI's order.
//!
//! Formatting, generated code and schemas up to date, clippy with warnings
//! as errors, then the README's test command. `.ci/run` installs the
//! toolchain, runs `cargo xtask ci --no-tests`, then the README's test command
//! itself (exactly what the README shows), then the real peers: the upstream
//! Python clients against the emulator and the real Kelvin harness.
//! The cargo commands run here get `CI=true` (insta then never writes
//! snapshots); `.ci/run` exports it for every step.

use anyhow::{bail, Result};
use clap::Args;
use xshell::cmd;

use crate::generate;
use crate::schemas;
use crate::workspace;

/// The README's test command.
pub const TEST_COMMAND: &str = "cargo test --workspace";

/// Arguments of `cargo xtask ci`.
#[derive(Args, Debug)]
pub struct CiArgs {
    /// Stop before the test command (`.ci/run` runs it itself).
    #[arg(long)]
    pub no_tests: bool,
}

/// Runs the steps; the first failure stops the run.
pub fn run(args: &CiArgs) -> Result<bool> {
    let sh = workspace::shell()?;
    sh.set_var("CI", "true");
    let cargo = workspace::cargo();

    step("cargo fmt --check");
    workspace::nested(cmd!(sh, "{cargo} fmt --all --check")).run()?;

    step("cargo xtask gen --check");
    if !generate::run(true)? {
        bail!("the generated code is stale");
    }

    step("cargo xtask schemas --check");
    if !schemas::run(true)? {
        bail!("the JSON Schemas in schemas/ are stale");
    }

    step("cargo clippy");
    workspace::nested(cmd!(
        sh,
        "{cargo} clippy --workspace --all-targets --locked -- -D warnings"
    ))
    .run()?;
    // the schema printer is built only with the `schemas` feature, which --workspace leaves out
    workspace::nested(cmd!(
        sh,
        "{cargo} clippy -p xtask --features schemas --all-targets --locked -- -D warnings"
    ))
    .run()?;

    if args.no_tests {
        return Ok(true);
    }
    step("tests (the README's test command)");
    let test_args: Vec<&str> = TEST_COMMAND.split_whitespace().skip(1).collect();
    workspace::nested(cmd!(sh, "{cargo} {test_args...}")).run()?;
    Ok(true)
}

fn step(title: &str) {
    eprintln!("== {title}");
}

#[cfg(test)]
mod tests {
    use super::TEST_COMMAND;
    use crate::workspace;

    fn read(path: &str) -> String {
        std::fs::read_to_string(workspace::root().join(path)).expect("readable")
    }

    #[test]
    fn the_readme_shows_the_test_command_ci_runs() {
        let readme = read("README.md");
        let shown = readme
            .lines()
            .filter_map(|line| line.split('#').next())
            .any(|command| command.trim() == TEST_COMMAND);
        assert!(shown, "README.md does not show `{TEST_COMMAND}`");
    }

    #[test]
    fn ci_run_calls_the_steps_then_the_test_command_then_the_peers() {
        let script = read(".ci/run");
        let commands: Vec<&str> = script
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect();
        let at = |command: &str| {
            commands
                .iter()
                .position(|c| *c == command)
                .unwrap_or_else(|| panic!("{command} is not in .ci/run: {commands:?}"))
        };
        let order = [
            at("cargo xtask ci --no-tests"),
            at(TEST_COMMAND),
            at("tests/python/run.sh"),
            at(".ci/kelvin-real.sh"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{commands:?}");
        assert_eq!(commands.last(), Some(&".ci/kelvin-real.sh"));
    }
}
