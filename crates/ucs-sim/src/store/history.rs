//! Past states of the tree, for readers that should lag behind writes (Kelvin v2's
//! replica-lag knob). Off until enabled; then every committed write keeps a copy of the
//! tree, and copies older than the lag are dropped except the newest of them.

use super::tree::Tree;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Snapshots of the tree with the time they became current.
#[derive(Debug, Default)]
pub(crate) struct History {
    state: Mutex<Option<Kept>>,
}

#[derive(Debug)]
struct Kept {
    lag: Duration,
    snapshots: VecDeque<(Instant, Arc<Tree>)>,
}

fn copy(tree: &Tree) -> Arc<Tree> {
    Arc::new(Tree::from_parts(
        tree.base_dn().to_string(),
        tree.snapshot(),
        tree.counters(),
    ))
}

impl History {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Kept>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts (or changes, or with zero stops) keeping states for readers `lag` behind.
    pub fn set_lag(&self, lag: Duration, current: &Tree) {
        let mut state = self.lock();
        if lag.is_zero() {
            *state = None;
            return;
        }
        match state.as_mut() {
            Some(kept) => kept.lag = lag,
            None => {
                let mut snapshots = VecDeque::new();
                snapshots.push_back((Instant::now(), copy(current)));
                *state = Some(Kept { lag, snapshots });
            }
        }
    }

    /// Records the tree after a committed write.
    pub fn record(&self, tree: &Tree) {
        let mut state = self.lock();
        let Some(kept) = state.as_mut() else { return };
        let now = Instant::now();
        kept.snapshots.push_back((now, copy(tree)));
        let cut = now.checked_sub(kept.lag);
        // drop what no reader can see any more: keep the newest snapshot older than the lag
        while let (Some(cut), Some((second, _))) = (cut, kept.snapshots.get(1)) {
            if *second <= cut {
                kept.snapshots.pop_front();
            } else {
                break;
            }
        }
    }

    /// The tree as it was `lag` ago, if states are kept.
    pub fn lagged(&self) -> Option<Arc<Tree>> {
        let state = self.lock();
        let kept = state.as_ref()?;
        let cut = Instant::now().checked_sub(kept.lag);
        let visible = kept
            .snapshots
            .iter()
            .rev()
            .find(|(at, _)| cut.is_some_and(|c| *at <= c));
        visible
            .or_else(|| kept.snapshots.front())
            .map(|(_, t)| t.clone())
    }
}
