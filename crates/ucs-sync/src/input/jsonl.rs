//! JSON Lines rosters: one JSON object per line, keys as columns. Strings are taken as
//! they are, numbers and booleans as their JSON text, `null` as empty, lists as their
//! items joined with `,` (the default in-cell delimiter).

use serde_json::Value;

use super::roster::{Roster, RosterRow, MAX_COLUMNS, MAX_ROWS};
use crate::{Result, SyncError};

/// Reads JSON Lines text.
pub fn read(text: &str) -> Result<Roster> {
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(SyncError::Input(format!("more than {MAX_ROWS} rows")));
        }
        let number = index + 1;
        let value: Value = serde_json::from_str(line)
            .map_err(|e| SyncError::Input(format!("line {number}: not JSON: {e}")))?;
        let Value::Object(object) = value else {
            return Err(SyncError::Input(format!(
                "line {number}: not a JSON object"
            )));
        };
        if object.len() > MAX_COLUMNS {
            return Err(SyncError::Input(format!(
                "line {number}: more than {MAX_COLUMNS} keys"
            )));
        }
        let mut pairs = Vec::with_capacity(object.len());
        for (key, value) in object {
            if !columns.contains(&key) {
                columns.push(key.clone());
            }
            pairs.push((key.trim().to_string(), cell(&value)?));
        }
        rows.push(RosterRow::new(number, pairs));
    }
    Ok(Roster::new(columns, rows))
}

fn cell(value: &Value) -> Result<String> {
    Ok(match value {
        Value::Null => String::new(),
        Value::String(s) => s.trim().to_string(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) => items
            .iter()
            .map(cell)
            .collect::<Result<Vec<_>>>()?
            .join(","),
        Value::Object(_) => {
            return Err(SyncError::Input(
                "a nested object is not a roster value".into(),
            ))
        }
    })
}
