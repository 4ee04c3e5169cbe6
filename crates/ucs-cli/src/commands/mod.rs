//! The commands: each takes its parsed arguments and returns how it ended.

pub mod doctor;
pub mod kelvin;
pub mod manual;
pub mod profile;
pub mod sim;
pub mod sync;
pub mod udm;

use std::io::{Read, Write};
use std::path::Path;

use serde_json::Value;

use crate::cli::{Cli, Command, OutputFormat};
use crate::exit::{CliError, CliResult, Outcome};
use crate::output::{print_object, Column, ListPrinter};

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

/// JSON inputs larger than this are refused.
const MAX_JSON_INPUT_BYTES: u64 = 16 << 20;

/// Reads a JSON document from a file, or from standard input for `-`.
pub fn read_json_input(path: &Path) -> CliResult<Value> {
    let mut text = String::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_JSON_INPUT_BYTES + 1)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_JSON_INPUT_BYTES + 1).read_to_string(&mut text))
    };
    result.map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    if text.len() as u64 > MAX_JSON_INPUT_BYTES {
        return Err(CliError::new(format!(
            "{} is larger than {MAX_JSON_INPUT_BYTES} bytes",
            path.display()
        )));
    }
    serde_json::from_str(&text)
        .map_err(|e| CliError::new(format!("{} is not valid JSON: {e}", path.display())))
}

/// Prints one object to standard output.
pub fn print_one(format: OutputFormat, item: &Value) -> CliResult {
    let mut out = std::io::stdout().lock();
    print_object(format, item, &mut out)?;
    out.flush()?;
    Ok(Outcome::Done)
}

/// Prints a whole list to standard output.
pub fn print_all(format: OutputFormat, columns: Vec<Column>, items: &[Value]) -> CliResult {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut printer = ListPrinter::new(format, columns, out);
    for item in items {
        printer.push(item)?;
    }
    let count = printer.finish()?;
    if count == 0 && format == OutputFormat::Table {
        eprintln!("no objects found");
    }
    Ok(Outcome::Done)
}

/// Runs `action` for each item of a batch, reports each failure on standard error, and
/// says done (all worked), partly done (some failed) or nothing done (all failed).
pub async fn batch<'a, T, F, Fut>(items: &'a [T], mut action: F) -> CliResult
where
    T: std::fmt::Display,
    F: FnMut(&'a T) -> Fut,
    Fut: std::future::Future<Output = CliResult<String>>,
{
    let mut failed = 0;
    for item in items {
        match action(item).await {
            Ok(done) => writeln!(std::io::stdout(), "{done}")?,
            Err(error) => {
                failed += 1;
                eprintln!("{item}: {error}");
            }
        }
    }
    Ok(Outcome::of_batch(failed, items.len()))
}
