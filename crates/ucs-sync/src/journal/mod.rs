//! The apply journal: append-only JSON lines, one per event, so that a run killed at any
//! point can be resumed. The first line names the plan (on disk before any request); then
//! every action is recorded as `started` before its request is sent and `done` after it,
//! with the user's server-side identity (name, `record_uid`, `source_uid`). Lines are
//! written at once (a killed process loses none) and `fsync`ed in batches and at the end
//! (group commit: one `fsync` covers every line before it). A resumed run skips what is
//! `done` and looks up every other action in the directory to tell whether it happened,
//! so a line lost with the machine costs a lookup, never a duplicate.

mod entry;
mod writer;

pub use entry::{Entry, Identity, Outcome, JOURNAL_FORMAT};
pub use writer::Journal;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use crate::{Result, SyncError};

/// The longest journal line read.
const MAX_LINE: usize = 1 << 20;

/// What a journal says about a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JournalState {
    /// The plan id of the header.
    pub plan_id: Option<String>,
    /// Actions started (identity at the start).
    pub started: BTreeMap<u32, Identity>,
    /// Actions finished, with the outcome.
    pub finished: BTreeMap<u32, (Outcome, Identity)>,
}

impl JournalState {
    /// Reads a journal; a last line cut short by a killed run is ignored, any other bad
    /// line is an error.
    pub fn read(path: &Path) -> Result<JournalState> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(JournalState::default())
            }
            Err(e) => return Err(SyncError::file(path, e)),
        };
        let mut state = JournalState::default();
        let mut lines = std::io::BufReader::new(file).split(b'\n').peekable();
        let mut number = 0;
        while let Some(line) = lines.next() {
            number += 1;
            let line = line.map_err(|e| SyncError::file(path, e))?;
            let last = lines.peek().is_none();
            if line.len() > MAX_LINE {
                return Err(SyncError::Journal(format!(
                    "line {number} is longer than {MAX_LINE} bytes"
                )));
            }
            match serde_json::from_slice::<Entry>(&line) {
                Ok(entry) => state.record(entry),
                Err(_) if last => break,
                Err(e) => return Err(SyncError::Journal(format!("line {number}: {e}"))),
            }
        }
        Ok(state)
    }

    fn record(&mut self, entry: Entry) {
        match entry {
            Entry::Header { plan_id, .. } => self.plan_id = Some(plan_id),
            Entry::Started { action, identity } => {
                self.started.insert(action, identity);
            }
            Entry::Done {
                action,
                outcome,
                identity,
                ..
            } => {
                self.finished.insert(action, (outcome, identity));
            }
        }
    }

    /// Started and not finished.
    pub fn unfinished(&self) -> impl Iterator<Item = (&u32, &Identity)> {
        self.started
            .iter()
            .filter(|(id, _)| !self.finished.contains_key(id))
    }
}
