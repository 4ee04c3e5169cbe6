//! Move operations in progress: `PUT` with a new position answers 202 with the URL of a
//! progress resource, which answers 301 (still running, `Retry-After`) once and then 303
//! with the moved object's URL. The move itself happens before the 202, so the store is
//! consistent at once; only the protocol is asynchronous.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// How many finished moves are remembered.
const REMEMBERED: usize = 1000;

/// A move the client may poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MoveState {
    /// Module of the moved object.
    pub module: String,
    /// DN after the move.
    pub dn: String,
    /// How often the progress resource was read.
    pub polls: u32,
}

/// All remembered moves by id.
#[derive(Debug, Default)]
pub(crate) struct Moves {
    inner: Mutex<(HashMap<String, MoveState>, VecDeque<String>)>,
}

impl Moves {
    /// Registers a finished move and returns its id.
    pub fn start(&self, module: &str, dn: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *guard;
        map.insert(
            id.clone(),
            MoveState {
                module: module.to_string(),
                dn: dn.to_string(),
                polls: 0,
            },
        );
        order.push_back(id.clone());
        while order.len() > REMEMBERED {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
        id
    }

    /// Reads a move (counting the poll); `None` for unknown ids.
    pub fn poll(&self, id: &str) -> Option<MoveState> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let state = guard.0.get_mut(id)?;
        let before = state.clone();
        state.polls += 1;
        Some(before)
    }
}
