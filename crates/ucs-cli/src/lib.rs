//! `ucs`: the command line for admins and integrators of Univention Corporate Server and
//! UCS@school. Kelvin and UDM objects, the roster sync, a connection doctor and the embedded
//! emulator, on the `ucs` facade.
//!
//! The binary is `ucs`; this library holds its grammar ([`command`]) so that tests, shell
//! completions and man pages come from the same definition.

pub mod cli;
mod commands;
mod config;
mod connection;
mod exit;
mod output;
mod password;

use std::process::ExitCode;

use clap::Parser;

pub use cli::command;
pub use config::{ConfigFile, Profile};
pub use exit::Outcome;

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    init_logging();
    // reqwest is built without a default crypto provider (the workspace uses ring everywhere)
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return Outcome::Nothing.into();
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(outcome) => outcome.into(),
        Err(error) if error.broken_pipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            Outcome::Nothing.into()
        }
    }
}

/// Log lines (the facade's warnings) go to standard error; `UCS_LOG=debug` shows more.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("UCS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
