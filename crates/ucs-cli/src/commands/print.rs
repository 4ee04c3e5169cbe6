//! What the commands print on standard output: one object, a list, the lines of a batch.

use std::io::Write;

use serde_json::Value;

use crate::cli::OutputFormat;
use crate::exit::{CliResult, Outcome};
use crate::output::{print_object, Column, ListPrinter};

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
