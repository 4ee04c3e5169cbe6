//! The commands: each takes its parsed arguments and returns how it ended.

pub mod doctor;
pub mod json_input;
pub mod kelvin;
pub mod manual;
pub mod print;
pub mod profile;
pub mod sim;
pub mod sync;
pub mod udm;

use crate::cli::{Cli, Command};
use crate::exit::CliResult;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> CliResult {
    let global = &cli.global;
    match &cli.command {
        Command::Kelvin(args) => kelvin::run(global, args).await,
        Command::Udm(args) => udm::run(global, args).await,
        Command::Sync(args) => sync::run(global, args).await,
        Command::Doctor(args) => doctor::run(global, args).await,
        Command::Sim(args) => sim::run(global, args).await,
        Command::Profile(args) => profile::run(global, args),
        Command::Completions { shell } => manual::completions(*shell),
        Command::Man { out_dir } => manual::man_pages(out_dir),
    }
}
