//! The roster itself: its columns and rows, and how many of them a reader may keep.

use super::decode::Encoding;

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

    pub(super) fn from_pairs(line: usize, columns: &[String], values: Vec<String>) -> RosterRow {
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

    pub(super) fn empty(columns: Vec<String>) -> Roster {
        Roster::new(columns, Vec::new())
    }

    /// The roster, read in `encoding`.
    pub(super) fn with_encoding(mut self, encoding: Encoding) -> Roster {
        self.encoding = Some(encoding);
        self
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
