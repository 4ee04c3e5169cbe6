//! The one directory store both APIs share: a tree of entries behind a lock, with
//! all-or-nothing writes and optional persistence to a state file after every write.

pub(crate) mod history;
pub(crate) mod index;
pub(crate) mod object;
pub(crate) mod tree;

pub(crate) use object::{Object, Secrets};
pub(crate) use tree::Tree;

use std::path::PathBuf;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Shared handle to the directory tree.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    tree: RwLock<Tree>,
    state_file: Option<PathBuf>,
    history: history::History,
}

impl Store {
    /// Wraps a tree; with a state file, every successful write is saved there.
    pub fn new(tree: Tree, state_file: Option<PathBuf>) -> Self {
        Self {
            shared: Arc::new(Shared {
                tree: RwLock::new(tree),
                state_file,
                history: history::History::default(),
            }),
        }
    }

    fn read_guard(&self) -> RwLockReadGuard<'_, Tree> {
        self.shared
            .tree
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, Tree> {
        self.shared
            .tree
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` with shared read access.
    pub fn read<R>(&self, f: impl FnOnce(&Tree) -> R) -> R {
        f(&self.read_guard())
    }

    /// Lets [`Store::read_lagged`] see the tree as it was `lag` ago (zero: as it is).
    pub fn set_read_lag(&self, lag: std::time::Duration) {
        self.shared.history.set_lag(lag, &self.read_guard());
    }

    /// Runs `f` with read access to the tree as it was the set lag ago (or as it is).
    pub fn read_lagged<R>(&self, f: impl FnOnce(&Tree) -> R) -> R {
        match self.shared.history.lagged() {
            Some(tree) => f(&tree),
            None => self.read(f),
        }
    }

    /// Runs `f` with exclusive access as one transaction: when `f` fails every change it made
    /// is undone; when it succeeds and changed something, the state file is rewritten.
    pub fn write<R, E>(&self, f: impl FnOnce(&mut Tree) -> Result<R, E>) -> Result<R, E> {
        let mut tree = self.write_guard();
        tree.begin();
        match f(&mut tree) {
            Ok(value) => {
                if tree.commit() {
                    self.persist(&tree);
                    self.shared.history.record(&tree);
                }
                Ok(value)
            }
            Err(error) => {
                tree.rollback();
                Err(error)
            }
        }
    }

    fn persist(&self, tree: &Tree) {
        if let Some(path) = &self.shared.state_file {
            if let Err(error) = crate::state_file::save(path, tree) {
                tracing::error!(path = %path.display(), %error, "could not save the state file");
            }
        }
    }

    /// Saves the state file now (used once at start so that a new file exists at once).
    pub fn save_now(&self) -> std::io::Result<()> {
        match &self.shared.state_file {
            Some(path) => crate::state_file::save(path, &self.read_guard()),
            None => Ok(()),
        }
    }
}
