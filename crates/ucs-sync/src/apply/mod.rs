//! Applying a plan: exactly its actions, with bounded concurrency, a journal that makes a
//! killed run resumable, the summary and the new-passwords file.

mod execute;
mod options;
mod replan;
mod report;
mod resume;
mod run;

use std::sync::atomic::AtomicUsize;

use ucs::kelvin::Kelvin;

pub use options::{ApplyOptions, ApplyProgress};
pub use report::{ActionResult, ApplyReport, ResultKind};

use crate::directory::{fingerprint, Directory};
use crate::journal::{Entry, Journal, JournalState, JOURNAL_FORMAT};
use crate::plan::{ActionKind, Plan};
use crate::report::{write_summary_csv, write_summary_json, PasswordFile, SummaryRow};
use crate::{Result, SyncError};
use run::Run;

impl Plan {
    /// Applies the plan. A journal of an earlier run of this plan at
    /// `options.journal` is continued: what it finished is not repeated, everything else
    /// is looked up in the directory first. A fresh run first checks that the directory is as the plan saw
    /// it ([`SyncError::DirectoryChanged`] otherwise).
    pub async fn apply(&self, kelvin: &Kelvin, options: &ApplyOptions) -> Result<ApplyReport> {
        let earlier = JournalState::read(&options.journal)?;
        let resumed = earlier.plan_id.is_some();
        if let Some(id) = earlier.plan_id.as_ref().filter(|id| **id != self.id) {
            return Err(SyncError::Journal(format!(
                "the journal belongs to plan {id}, not {}",
                self.id
            )));
        }
        let creates = self.actions.iter().any(|a| a.kind == ActionKind::Create);
        if creates && options.passwords_csv.is_none() {
            return Err(SyncError::Config(
                "the plan creates users: set ApplyOptions::passwords_csv".into(),
            ));
        }
        let directory = self
            .directory_for(kelvin, options, resumed, &earlier)
            .await?;
        let journal = Journal::open(&options.journal)?;
        if !resumed {
            let header = Entry::Header {
                format: JOURNAL_FORMAT,
                plan_id: self.id.clone(),
                fingerprint: self.fingerprint.clone(),
            };
            journal.append(&header, true).await?;
        }
        let passwords = options
            .passwords_csv
            .as_deref()
            .map(PasswordFile::open)
            .transpose()?;
        let run = Run {
            plan: self,
            kelvin: kelvin.clone(),
            journal,
            passwords,
            earlier,
            directory,
            options,
            finished: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            total: self.pending().count(),
        };
        let results = run.all().await;
        run.journal.sync().await?;
        if let Some(p) = &run.passwords {
            p.sync()?;
        }
        let report = ApplyReport {
            plan_id: self.id.clone(),
            resumed,
            summary: summary(self, &results),
            results,
        };
        write_summaries(options, &report.summary)?;
        Ok(report)
    }

    /// Fresh run: the directory must match the fingerprint. Resumed run with unfinished
    /// actions: the directory to look them up in.
    async fn directory_for(
        &self,
        kelvin: &Kelvin,
        options: &ApplyOptions,
        resumed: bool,
        earlier: &JournalState,
    ) -> Result<Option<Directory>> {
        let unfinished = self
            .pending()
            .any(|a| !earlier.finished.contains_key(&a.id));
        let needed = if resumed {
            unfinished
        } else {
            options.check_fingerprint
        };
        if !needed {
            return Ok(None);
        }
        let directory = Directory::fetch(kelvin).await?;
        if !resumed {
            let found = fingerprint(&directory, &self.source_uid);
            if found != self.fingerprint {
                return Err(SyncError::DirectoryChanged {
                    expected: self.fingerprint.clone(),
                    found,
                });
            }
        }
        Ok(Some(directory))
    }
}

fn summary(plan: &Plan, results: &[ActionResult]) -> Vec<SummaryRow> {
    let mut rows: Vec<SummaryRow> = results
        .iter()
        .map(|r| SummaryRow {
            row: r.row,
            action: r.kind.as_str().to_string(),
            name: r.name.clone(),
            record_uid: r.record_uid.clone(),
            result: r.result.as_str().to_string(),
            error: r.error.clone(),
        })
        .collect();
    for rejected in &plan.rejected {
        let problems: Vec<String> = rejected.problems.iter().map(ToString::to_string).collect();
        rows.push(SummaryRow {
            row: Some(rejected.row),
            action: "rejected".into(),
            name: String::new(),
            record_uid: rejected.record_uid.clone().unwrap_or_default(),
            result: "rejected".into(),
            error: Some(problems.join("; ")),
        });
    }
    rows.sort_by_key(|r| r.row.unwrap_or(usize::MAX));
    rows
}

fn write_summaries(options: &ApplyOptions, rows: &[SummaryRow]) -> Result<()> {
    if let Some(path) = &options.summary_csv {
        write_summary_csv(path, rows)?;
    }
    if let Some(path) = &options.summary_json {
        write_summary_json(path, rows)?;
    }
    Ok(())
}
