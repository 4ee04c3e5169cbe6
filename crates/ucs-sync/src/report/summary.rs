//! The summary of an apply: one row per action and per rejected roster row, as CSV and
//! JSON (`row,action,name,record_uid,result,error`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::files::create_private;
use crate::{Result, SyncError};

/// One line of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// The roster row, if any.
    pub row: Option<usize>,
    /// `create`, `modify`, ..., or `rejected`.
    pub action: String,
    /// The user's name.
    pub name: String,
    /// The user's `record_uid`.
    pub record_uid: String,
    /// `done`, `already_done`, `failed`, `skipped`, `unchanged`, `rejected`.
    pub result: String,
    /// Why it failed or was rejected.
    pub error: Option<String>,
}

/// Writes the summary as CSV.
pub fn write_summary_csv(path: &Path, rows: &[SummaryRow]) -> Result<()> {
    let file = create_private(path, true)?;
    let mut writer = csv::Writer::from_writer(file);
    let fail = |e: csv::Error| SyncError::file(path, e);
    writer
        .write_record(["row", "action", "name", "record_uid", "result", "error"])
        .map_err(fail)?;
    for r in rows {
        let row = r.row.map(|n| n.to_string()).unwrap_or_default();
        let error = r.error.clone().unwrap_or_default();
        writer
            .write_record([&row, &r.action, &r.name, &r.record_uid, &r.result, &error])
            .map_err(fail)?;
    }
    writer.flush().map_err(|e| SyncError::file(path, e))
}

/// Writes the summary as JSON (a list of rows).
pub fn write_summary_json(path: &Path, rows: &[SummaryRow]) -> Result<()> {
    let file = create_private(path, true)?;
    serde_json::to_writer_pretty(file, rows).map_err(|e| SyncError::file(path, e))
}
