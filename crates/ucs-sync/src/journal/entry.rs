//! Journal lines.

use serde::{Deserialize, Serialize};

/// The journal format this version writes and reads.
pub const JOURNAL_FORMAT: u32 = 1;

/// Who an action is about, as the server knows the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The user name.
    pub name: String,
    /// `record_uid`.
    pub record_uid: String,
    /// `source_uid`.
    pub source_uid: String,
}

/// How an action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Carried out.
    Done,
    /// Found carried out already (by an earlier, interrupted run).
    AlreadyDone,
    /// Refused by the server or failed otherwise.
    Failed,
}

impl Outcome {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::AlreadyDone => "already_done",
            Outcome::Failed => "failed",
        }
    }
}

/// One journal line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    /// The first line.
    Header {
        /// [`JOURNAL_FORMAT`].
        format: u32,
        /// The plan applied.
        plan_id: String,
        /// The plan's fingerprint.
        fingerprint: String,
    },
    /// An action is about to send its request.
    Started {
        /// The action id.
        action: u32,
        /// The user.
        identity: Identity,
    },
    /// An action ended.
    Done {
        /// The action id.
        action: u32,
        /// The outcome.
        outcome: Outcome,
        /// The user as the server has it now.
        identity: Identity,
        /// The error of a failed action.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}
