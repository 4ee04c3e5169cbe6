//! Background operations (moves of containers): `PUT` answers 202 with the URL of a progress
//! resource of the user who started it. The resource answers 301 (`Retry-After: 1`) while the
//! operation runs (here: on the first poll) and forever when it failed; 303 to the moved
//! object when it finished, after which it is gone (404).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// How many operations are remembered.
const REMEMBERED: usize = 1000;

/// How an operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Moved: module and new DN.
    Moved { module: String, dn: String },
    /// Failed, with the error text (the server's traceback).
    Failed(String),
}

/// An operation the user may poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MoveState {
    /// Who started it.
    pub user: String,
    /// How it ended.
    pub ending: Ending,
    /// How often the progress resource was read.
    pub polls: u32,
}

/// All remembered operations by id.
#[derive(Debug, Default)]
pub(crate) struct Moves {
    inner: Mutex<(HashMap<String, MoveState>, VecDeque<String>)>,
}

impl Moves {
    /// Registers a finished operation and returns its id.
    pub fn start(&self, user: &str, ending: Ending) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *guard;
        map.insert(
            id.clone(),
            MoveState {
                user: user.to_string(),
                ending,
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

    /// Reads an operation of `user` (counting the poll); a finished move is forgotten after
    /// the poll that reports it. `None` for unknown ids and other users' operations.
    pub fn poll(&self, user: &str, id: &str) -> Option<MoveState> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, _) = &mut *guard;
        let state = map.get_mut(id).filter(|s| s.user == user)?;
        let before = state.clone();
        state.polls += 1;
        if before.polls > 0 && matches!(before.ending, Ending::Moved { .. }) {
            map.remove(id);
        }
        Some(before)
    }
}
