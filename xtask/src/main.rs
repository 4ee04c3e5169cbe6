//! Project automation for the ucs-rs workspace. Run `cargo xtask --help`.

mod codegen;
mod drift;
mod fetch;
mod fixups;
mod refs;
mod targets;
mod udm_modules;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Code generation and API maintenance for ucs-rs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `crates/*-raw/src/generated.rs` from `specs/` (offline).
    Gen {
        /// Regenerate in memory and fail with a diff if the committed code is stale.
        #[arg(long)]
        check: bool,
    },
    /// Download the OpenAPI documents from live servers into `specs/`, show
    /// what changed (drift report), then regenerate.
    Fetch(fetch::FetchArgs),
    /// Report the API changes between two OpenAPI documents (paths or URLs).
    Drift(drift::DriftArgs),
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<bool> = match cli.command {
        Command::Gen { check } => gen(check),
        Command::Fetch(args) => fetch::run(&args),
        Command::Drift(args) => drift::run(&args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask gen [--check]`.
pub fn gen(check: bool) -> Result<bool> {
    let root = workspace_root();
    let mut ok = true;
    for target in targets::ALL {
        let generated = codegen::generate(&root, target)?;
        for note in &generated.notes {
            eprintln!("note: {note}");
        }
        let path = root.join(&generated.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if check {
            if current != generated.code {
                ok = false;
                eprintln!("{} is stale:", generated.path);
                eprintln!("{}", diff_excerpt(&current, &generated.code, 60));
            } else {
                eprintln!("{} is up to date", generated.path);
            }
        } else if current != generated.code {
            std::fs::write(&path, &generated.code)?;
            eprintln!(
                "wrote {} ({} lines)",
                generated.path,
                generated.code.lines().count()
            );
        } else {
            eprintln!("{} unchanged", generated.path);
        }
    }
    if !ok {
        eprintln!("\nThe committed generated code does not match specs/ and the generator. Run:\n\n    cargo xtask gen\n\nand commit the result.");
    }
    Ok(ok)
}

/// A unified diff of `old` -> `new`, cut after `max_lines` lines.
fn diff_excerpt(old: &str, new: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("committed", "generated")
        .to_string();
    let total = text.lines().count();
    let mut out: Vec<&str> = text.lines().take(max_lines).collect();
    let more = format!("... ({} more diff lines)", total.saturating_sub(max_lines));
    if total > max_lines {
        out.push(&more);
    }
    out.join("\n")
}
