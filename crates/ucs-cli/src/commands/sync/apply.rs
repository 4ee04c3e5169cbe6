//! Applying a plan with a progress bar (on a terminal only) and printing the summary.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ucs::kelvin::Kelvin;
use ucs_sync::apply::ResultKind;
use ucs_sync::{ApplyOptions, ApplyReport, Plan};

use super::error::sync_error;
use crate::cli::sync::{ApplyFiles, ReportFormat};
use crate::exit::{CliResult, Outcome};

/// Applies `plan` (read from or written to `plan_path`) and prints what happened.
pub async fn run(
    kelvin: &Kelvin,
    plan: &Plan,
    plan_path: &Path,
    files: &ApplyFiles,
    format: ReportFormat,
) -> CliResult {
    let journal = files
        .journal
        .clone()
        .unwrap_or_else(|| beside(plan_path, "journal.jsonl"));
    let passwords = files
        .passwords_csv
        .clone()
        .unwrap_or_else(|| beside(plan_path, "passwords.csv"));
    let total = plan.pending().count() as u64;
    let bar = progress_bar(total);
    let shown = bar.clone();
    let mut options = ApplyOptions::new(&journal)
        .concurrency(files.concurrency)
        .passwords_csv(&passwords)
        .on_progress(move |p| {
            shown.set_length(p.total as u64);
            shown.set_position(p.done as u64);
            if p.failed > 0 {
                shown.set_message(format!("{} failed", p.failed));
            }
        });
    if let Some(summary) = &files.summary_csv {
        options = options.summary_csv(summary);
    }
    let result = plan.apply(kelvin, &options).await;
    bar.finish_and_clear();
    let report = result.map_err(sync_error)?;
    print_summary(&report, format, &journal, &passwords)?;
    Ok(outcome(&report))
}

/// done/total, rate, ETA; drawn only when standard output is a terminal.
fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stdout());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} actions  {rate}  ETA {eta}  {msg}")
    {
        let style = style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", state.per_sec());
            },
        );
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// 0 when nothing failed, 1 when some failed, 2 when every action with a request failed.
fn outcome(report: &ApplyReport) -> Outcome {
    let failed = report.count(ResultKind::Failed) + report.count(ResultKind::Skipped);
    let worked = report.count(ResultKind::Done) + report.count(ResultKind::AlreadyDone);
    match (failed, worked) {
        (0, _) => Outcome::Done,
        (_, 0) => Outcome::Nothing,
        _ => Outcome::Partial,
    }
}

fn print_summary(
    report: &ApplyReport,
    format: ReportFormat,
    journal: &Path,
    passwords: &Path,
) -> CliResult<()> {
    let mut out = std::io::stdout().lock();
    if format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut out, report).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let resumed = if report.resumed {
        " (continued an interrupted run)"
    } else {
        ""
    };
    writeln!(out, "applied{resumed}:")?;
    for kind in [
        ResultKind::Done,
        ResultKind::AlreadyDone,
        ResultKind::Failed,
        ResultKind::Skipped,
        ResultKind::Unchanged,
    ] {
        let count = report.count(kind);
        if count > 0 {
            writeln!(out, "  {:<12} {count:>6}", kind.as_str())?;
        }
    }
    let failures: Vec<_> = report.failures().collect();
    if !failures.is_empty() {
        writeln!(out, "\nfailed ({}):", failures.len())?;
        for f in failures {
            let row = f.row.map(|r| format!("row {r}, ")).unwrap_or_default();
            writeln!(
                out,
                "  {row}{} {} ({}): {}",
                f.kind.as_str(),
                f.name,
                f.record_uid,
                f.error.as_deref().unwrap_or("failed")
            )?;
        }
    }
    writeln!(out, "\njournal: {}", journal.display())?;
    let created = report
        .results
        .iter()
        .any(|r| r.kind == ucs_sync::plan::ActionKind::Create && r.result == ResultKind::Done);
    if created {
        writeln!(
            out,
            "passwords of new users: {} (mode 600; hand them out, then delete the file)",
            passwords.display()
        )?;
    }
    Ok(())
}

/// `path` with another ending: `plan.json` -> `plan.journal.jsonl`.
fn beside(plan: &Path, ending: &str) -> PathBuf {
    let stem = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    plan.with_file_name(format!("{stem}.{ending}"))
}
