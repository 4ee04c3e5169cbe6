//! The outcome of an apply.

use serde::{Deserialize, Serialize};

use crate::plan::{Action, ActionKind};
use crate::report::SummaryRow;

/// How one action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    /// Carried out.
    Done,
    /// Found carried out by an earlier, interrupted run.
    AlreadyDone,
    /// Failed; see the error.
    Failed,
    /// Not tried: too many failures before it (`tolerate_errors`).
    Skipped,
    /// Nothing to do.
    Unchanged,
}

impl ResultKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Done => "done",
            ResultKind::AlreadyDone => "already_done",
            ResultKind::Failed => "failed",
            ResultKind::Skipped => "skipped",
            ResultKind::Unchanged => "unchanged",
        }
    }
}

/// The result of one action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionResult {
    /// The action id.
    pub id: u32,
    /// The kind of action.
    pub kind: ActionKind,
    /// The roster row.
    pub row: Option<usize>,
    /// The user's name.
    pub name: String,
    /// The user's `record_uid`.
    pub record_uid: String,
    /// How it ended.
    pub result: ResultKind,
    /// The error of a failed action.
    pub error: Option<String>,
}

impl ActionResult {
    /// How `action` ended.
    pub(crate) fn of(action: &Action, result: ResultKind, error: Option<String>) -> ActionResult {
        ActionResult {
            id: action.id,
            kind: action.kind,
            row: action.row,
            name: action.name.clone(),
            record_uid: action.record_uid.clone(),
            result,
            error,
        }
    }
}

/// What an apply did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyReport {
    /// The plan applied.
    pub plan_id: String,
    /// Whether an earlier run's journal was continued.
    pub resumed: bool,
    /// One result per action, in plan order.
    pub results: Vec<ActionResult>,
    /// The summary rows (actions and rejected roster rows).
    pub summary: Vec<SummaryRow>,
}

impl ApplyReport {
    /// How many actions ended like this.
    pub fn count(&self, result: ResultKind) -> usize {
        self.results.iter().filter(|r| r.result == result).count()
    }

    /// The failed actions.
    pub fn failures(&self) -> impl Iterator<Item = &ActionResult> {
        self.results
            .iter()
            .filter(|r| r.result == ResultKind::Failed)
    }
}
