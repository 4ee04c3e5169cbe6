//! CSV rosters: delimiter detection, header lines, quoted fields.
//!
//! As in `ucsschool.importer.reader.csv_reader.CsvReader.read`: with `header_lines` = 1
//! the first line names the columns; otherwise `header_lines` lines are skipped and the
//! columns are named `0`, `1`, ... Keys and values are trimmed. The delimiter is the
//! configured `csv.delimiter`, else the importer lets `csv.Sniffer` guess from the first
//! line; here the guess is the most frequent of `,` `;` tab `|` outside quotes in the
//! first line (`,` on a tie or when none occurs).

use super::roster::{Roster, RosterRow, MAX_COLUMNS, MAX_ROWS};
use crate::config::CsvSettings;
use crate::{Result, SyncError};

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Guesses the delimiter from the first line.
pub fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for byte in line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = CANDIDATES.iter().position(|c| *c == byte) {
                counts[i] += 1;
            }
        }
    }
    let best =
        (0..CANDIDATES.len()).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    CANDIDATES[best]
}

/// Reads CSV text into rows of column -> value.
pub fn read(text: &str, settings: &CsvSettings) -> Result<Roster> {
    let delimiter = settings.delimiter.unwrap_or_else(|| sniff_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let named = settings.header_lines == 1;
    let mut columns = Vec::new();
    for _ in 0..settings.header_lines {
        match records.next() {
            Some(record) if named => columns = fields(&record.map_err(csv_error)?)?,
            Some(record) => drop(record.map_err(csv_error)?),
            None => return Ok(Roster::empty(columns)),
        }
    }
    let mut lines = LineCounter::default();
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        if rows.len() >= MAX_ROWS {
            return Err(SyncError::Input(format!("more than {MAX_ROWS} rows")));
        }
        let values = fields(&record)?;
        if values.iter().all(String::is_empty) {
            continue;
        }
        if !named && columns.len() < values.len() {
            columns = (0..values.len()).map(|i| i.to_string()).collect();
        }
        let line = lines.line_at(text, record.position().map_or(0, |p| p.byte() as usize));
        rows.push(RosterRow::from_pairs(line, &columns, values));
    }
    Ok(Roster::new(columns, rows))
}

/// Line numbers from byte offsets that only grow (blank lines count, as in the importer's
/// `reader.line_num`).
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let mut offset = offset.min(bytes.len());
        // the record's position can be at the blank lines before it
        while offset < bytes.len() && matches!(bytes[offset], b'\n' | b'\r') {
            offset += 1;
        }
        if offset > self.offset {
            self.line += text.as_bytes()[self.offset..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.offset = offset;
        }
        self.line + 1
    }
}

fn fields(record: &csv::StringRecord) -> Result<Vec<String>> {
    if record.len() > MAX_COLUMNS {
        return Err(SyncError::Input(format!(
            "a line has more than {MAX_COLUMNS} fields"
        )));
    }
    Ok(record.iter().map(|f| f.trim().to_string()).collect())
}

fn csv_error(e: csv::Error) -> SyncError {
    SyncError::Input(format!("CSV: {e}"))
}
