//! Rosters: the rows a school information system exported, as column -> value, before any
//! mapping. Read from CSV ([`Roster::from_csv`]) or JSON Lines ([`Roster::from_json_lines`]).

mod csv;
mod decode;
mod jsonl;
mod roster;

use std::io::Read;
use std::path::Path;

pub use self::csv::sniff_delimiter;
pub use decode::{decode, decode_as, Encoding};
pub use roster::{Roster, RosterRow, MAX_COLUMNS, MAX_ROWS};

use crate::config::CsvSettings;
use crate::{Result, SyncError};

/// The largest roster file read (512 MiB).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// The readers: bytes or a file, CSV or JSON Lines.
impl Roster {
    /// Reads CSV bytes (UTF-8 with or without BOM, or Windows-1252; see [`decode`]) with
    /// the configuration's delimiter and header lines.
    pub fn from_csv(bytes: &[u8], settings: &CsvSettings) -> Result<Roster> {
        let (text, encoding) = decode(bytes);
        Ok(csv::read(&text, settings)?.with_encoding(encoding))
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
