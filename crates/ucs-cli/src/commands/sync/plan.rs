//! Making a plan and printing it: counts per action, the rows, the rejected rows by row and
//! field.

use std::io::Write;

use serde_json::json;
use ucs::kelvin::Kelvin;
use ucs_sync::plan::Op;
use ucs_sync::{Plan, Planner, Roster, SyncConfig};

use super::error::sync_error;
use crate::cli::sync::{PlanInput, ReportFormat};
use crate::cli::OutputFormat;
use crate::exit::{CliError, CliResult, Outcome};
use crate::output::{Column, ListPrinter};

/// Reads the configuration and the roster and plans against the directory.
pub async fn make(kelvin: &Kelvin, input: &PlanInput) -> CliResult<Plan> {
    let texts = input
        .import_config
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map_err(|e| CliError::new(format!("cannot read {}: {e}", p.display())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut config = SyncConfig::from_import_json(&refs).map_err(sync_error)?;
    if let Some(school) = &input.school {
        config.school = Some(school.clone());
    }
    let path = &input.roster;
    let json_lines = path
        .extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson");
    let roster = if json_lines {
        Roster::from_json_lines_path(path)
    } else {
        Roster::from_csv_path(path, &config.csv)
    }
    .map_err(sync_error)?;
    Planner::new(kelvin, config)
        .plan(&roster)
        .await
        .map_err(sync_error)
}

/// 0 when every row was planned, 1 when some were rejected, 2 when all were.
pub fn outcome(plan: &Plan) -> Outcome {
    let planned = plan.actions.iter().filter(|a| a.row.is_some()).count();
    match (plan.rejected.len(), planned) {
        (0, _) => Outcome::Done,
        (_, 0) => Outcome::Nothing,
        _ => Outcome::Partial,
    }
}

/// Prints the plan.
pub fn print(plan: &Plan, format: ReportFormat) -> CliResult<()> {
    let mut out = std::io::stdout().lock();
    if format == ReportFormat::Json {
        writeln!(out, "{}", plan.to_json().map_err(sync_error)?)?;
        return Ok(());
    }
    let school = plan
        .school
        .as_deref()
        .map(|s| format!(", school {s}"))
        .unwrap_or_default();
    writeln!(
        out,
        "plan for source {}{school}: {} actions, {} rejected rows",
        plan.source_uid,
        plan.actions.len(),
        plan.rejected.len()
    )?;
    for (kind, count) in plan.counts() {
        writeln!(out, "  {:<11} {count:>6}", kind.as_str())?;
    }
    let rows: Vec<_> = plan.pending().map(action_row).collect();
    if !rows.is_empty() {
        writeln!(out)?;
        let columns = Column::list(&["row", "action", "name", "record_uid", "changes", "reason"]);
        let mut printer = ListPrinter::new(OutputFormat::Table, columns, &mut out);
        for row in &rows {
            printer.push(row)?;
        }
        printer.finish()?;
    }
    if !plan.rejected.is_empty() {
        writeln!(out, "\nrejected rows ({}):", plan.rejected.len())?;
        for row in &plan.rejected {
            let id = row
                .record_uid
                .as_deref()
                .map(|r| format!(" (record_uid {r})"))
                .unwrap_or_default();
            for problem in &row.problems {
                writeln!(out, "  row {}{id}: {problem}", row.row)?;
            }
        }
    }
    Ok(())
}

fn action_row(action: &ucs_sync::plan::Action) -> serde_json::Value {
    let changes = match &action.op {
        Op::Patch { changes, .. } => changes.keys().cloned().collect::<Vec<_>>().join(","),
        Op::Create { .. } => String::new(),
        Op::Delete { .. } => String::new(),
        Op::None => String::new(),
    };
    let row = action
        .row
        .map(|r| r.to_string())
        .unwrap_or_else(|| "-".into());
    json!({"row": row, "action": action.kind.as_str(), "name": action.name, "record_uid": action.record_uid,
           "changes": changes, "reason": action.reason})
}
