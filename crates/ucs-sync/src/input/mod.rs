//! Rosters: the rows a school information system exported, as column -> value, before any
//! mapping. Read from CSV ([`Roster::from_csv`]) or JSON Lines ([`Roster::from_json_lines`]).

mod csv;
mod decode;
mod jsonl;

use std::io::Read;
use std::path::Path;

pub use self::csv::sniff_delimiter;
pub use decode::{decode, decode_as, Encoding};

use crate::config::CsvSettings;
use crate::{Result, SyncError};

/// The largest roster file read (512 MiB).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;
/// The most rows a roster may have.
pub const MAX_ROWS: usize = 2_000_000;
/// The most columns a row may have.
pub const MAX_COLUMNS: usize = 1_000;

/// One input row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    /// Line number in the input (1 = the first line).
    pub line: usize,
    /// Column -> value, trimmed.
    pub values: Vec<(String, String)>,
}

impl RosterRow {
    /// A row from pairs.
    pub fn new(line: usize, values: Vec<(String, String)>) -> RosterRow {
        RosterRow { line, values }
    }

    fn from_pairs(line: usize, columns: &[String], values: Vec<String>) -> RosterRow {
        let values = values
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| columns.get(i).map(|c| (c.clone(), v)))
            .collect();
        RosterRow { line, values }
    }

    /// The value of a column.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }
}

/// A roster: the column names and the rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    columns: Vec<String>,
    rows: Vec<RosterRow>,
    encoding: Option<Encoding>,
}

impl Roster {
    /// A roster from rows.
    pub fn new(columns: Vec<String>, rows: Vec<RosterRow>) -> Roster {
        Roster {
            columns,
            rows,
            encoding: None,
        }
    }

    fn empty(columns: Vec<String>) -> Roster {
        Roster::new(columns, Vec::new())
    }

    /// Reads CSV bytes (UTF-8 with or without BOM, or Windows-1252; see [`decode`]) with
    /// the configuration's delimiter and header lines.
    pub fn from_csv(bytes: &[u8], settings: &CsvSettings) -> Result<Roster> {
        let (text, encoding) = decode(bytes);
        let mut roster = csv::read(&text, settings)?;
        roster.encoding = Some(encoding);
        Ok(roster)
    }

    /// Reads a CSV file.
    pub fn from_csv_path(path: impl AsRef<Path>, settings: &CsvSettings) -> Result<Roster> {
        Roster::from_csv(&read_bounded(path.as_ref())?, settings)
    }

    /// Reads JSON Lines bytes (UTF-8).
    pub fn from_json_lines(bytes: &[u8]) -> Result<Roster> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| SyncError::Input(format!("JSON Lines must be UTF-8: {e}")))?;
        jsonl::read(text.strip_prefix('\u{feff}').unwrap_or(text))
    }

    /// Reads a JSON Lines file.
    pub fn from_json_lines_path(path: impl AsRef<Path>) -> Result<Roster> {
        Roster::from_json_lines(&read_bounded(path.as_ref())?)
    }

    /// The column names (of the header, or `0`, `1`, ... without one).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The rows.
    pub fn rows(&self) -> &[RosterRow] {
        &self.rows
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The detected encoding (CSV only).
    pub fn encoding(&self) -> Option<Encoding> {
        self.encoding
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| SyncError::file(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SyncError::file(path, e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(SyncError::file(
            path,
            format!("larger than {MAX_INPUT_BYTES} bytes"),
        ));
    }
    Ok(bytes)
}
