//! The output option of the commands that print objects, and its formats.

use clap::{Args, ValueEnum};

/// The output format option of the commands that print objects.
#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// Output format: table for people, json (stable, for scripts) or csv.
    #[arg(
        long,
        short = 'o',
        global = true,
        env = "UCS_OUTPUT",
        value_enum,
        default_value = "table"
    )]
    pub output: OutputFormat,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people (lists), or one field per line (single objects).
    Table,
    /// JSON: an array for lists (printed as it arrives), an object for one object.
    Json,
    /// CSV with a header line, the same columns as the table.
    Csv,
}
