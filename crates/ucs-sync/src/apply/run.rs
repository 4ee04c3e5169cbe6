//! One apply in progress: every action of the plan, a bounded number at a time, with the
//! progress reported and the journal synced now and then.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use ucs::kelvin::Kelvin;

use super::options::{ApplyOptions, ApplyProgress};
use super::report::{ActionResult, ResultKind};
use crate::directory::Directory;
use crate::journal::{Journal, JournalState};
use crate::plan::{Action, Op, Plan};
use crate::report::PasswordFile;

/// The journal goes to disk after this many finished actions (and at the end).
const SYNC_EVERY: usize = 64;

/// One apply in progress.
pub(crate) struct Run<'a> {
    pub plan: &'a Plan,
    pub kelvin: Kelvin,
    pub journal: Journal,
    pub passwords: Option<PasswordFile>,
    pub earlier: JournalState,
    pub directory: Option<Directory>,
    pub options: &'a ApplyOptions,
    pub finished: AtomicUsize,
    pub failed: AtomicUsize,
    pub total: usize,
}

impl Run<'_> {
    /// Runs every action; the results in plan order.
    pub(crate) async fn all(&self) -> Vec<ActionResult> {
        // collected first: a stream over a closure would not be `Send` for all lifetimes
        let calls: Vec<_> = self
            .plan
            .actions
            .iter()
            .map(|action| self.one(action))
            .collect();
        let mut results: Vec<ActionResult> = futures::stream::iter(calls)
            .buffer_unordered(self.options.concurrency)
            .collect()
            .await;
        results.sort_by_key(|r| r.id);
        results
    }

    async fn one(&self, action: &Action) -> ActionResult {
        if matches!(action.op, Op::None) {
            return ActionResult::of(action, ResultKind::Unchanged, None);
        }
        let result = self.run_action(action).await;
        if result.result == ResultKind::Failed {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        let done = self.finished.fetch_add(1, Ordering::Relaxed) + 1;
        if done.is_multiple_of(SYNC_EVERY) {
            // an fsync failure here is repeated (and reported) by the final sync
            let _ = self.journal.sync().await;
        }
        if let Some(progress) = &self.options.progress {
            let failed = self.failed.load(Ordering::Relaxed);
            progress(ApplyProgress {
                done,
                failed,
                total: self.total,
            });
        }
        result
    }

    /// Whether failures so far exceed what `tolerate_errors` allows (rejected rows count).
    pub(crate) fn too_many_failures(&self) -> bool {
        let tolerate = self.plan.tolerate_errors;
        let errors = self.failed.load(Ordering::Relaxed) + self.plan.rejected.len();
        tolerate >= 0 && errors as i64 > tolerate
    }
}
