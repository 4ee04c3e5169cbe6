//! JSON documents the commands read: a file, or standard input for `-`, bounded in size.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::exit::{CliError, CliResult};

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
