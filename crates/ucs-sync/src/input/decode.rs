//! Text encodings users meet in roster exports: UTF-8 with or without a byte-order mark,
//! and Windows-1252 (what spreadsheet programs on Windows write).
//!
//! The importer asks libmagic for the encoding (`CsvReader.get_encoding`) and reads UTF-8
//! with a BOM as `utf-8-sig`; here: a UTF-8 BOM is dropped, valid UTF-8 is UTF-8, anything
//! else is decoded as Windows-1252 (which maps every byte, so no input is refused).

use serde::{Deserialize, Serialize};

/// The encoding a roster was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-8.
    Utf8,
    /// Windows-1252.
    Windows1252,
}

/// Decodes `bytes`, detecting the encoding.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8Bom,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), Encoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// Decodes `bytes` in a given encoding.
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8Bom | Encoding::Utf8 => {
            let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8_lossy(rest).into_owned()
        }
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_windows_1252() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,\xC3\xBC"),
            ("a,ü".into(), Encoding::Utf8Bom)
        );
        assert_eq!(decode("a,ü".as_bytes()), ("a,ü".into(), Encoding::Utf8));
        assert_eq!(
            decode(b"a,\xFC\x80"),
            ("a,ü€".into(), Encoding::Windows1252)
        );
    }
}
