//! Project automation for the ucs-rs workspace. Run `cargo xtask --help`.
//!
//! The modules, from the bottom: `workspace` (paths, `cargo`, writing or
//! checking generated files) and `http`; the generator (`fixups`, `refs`,
//! `targets`, `udm_modules`, `codegen`); the commands (`generate`, `drift`,
//! `fetch`, `schemas`, `ci`). This file only dispatches.

mod ci;
mod codegen;
mod drift;
mod fetch;
mod fixups;
mod generate;
mod http;
mod refs;
mod schemas;
mod targets;
mod udm_modules;
mod workspace;

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
    /// Write the JSON Schemas of the project's file formats into `schemas/`.
    Schemas {
        /// Fail with a diff if a committed schema is stale.
        #[arg(long)]
        check: bool,
    },
    /// Run the CI steps (formatting, generated code, schemas, clippy, tests).
    Ci(ci::CiArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<bool> = match cli.command {
        Command::Gen { check } => generate::run(check),
        Command::Fetch(args) => fetch::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Schemas { check } => schemas::run(check),
        Command::Ci(args) => ci::run(&args),
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
