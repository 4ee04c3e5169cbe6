//! How a plan is applied.

use std::path::PathBuf;
use std::sync::Arc;

/// Where an apply stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApplyProgress {
    /// Actions finished (including failed ones and ones found done).
    pub done: usize,
    /// Actions failed so far.
    pub failed: usize,
    /// Actions with a request.
    pub total: usize,
}

/// Options of [`Plan::apply`](crate::Plan::apply).
#[derive(Clone)]
pub struct ApplyOptions {
    pub(crate) concurrency: usize,
    pub(crate) journal: PathBuf,
    pub(crate) passwords_csv: Option<PathBuf>,
    pub(crate) summary_csv: Option<PathBuf>,
    pub(crate) summary_json: Option<PathBuf>,
    pub(crate) check_fingerprint: bool,
    pub(crate) progress: Option<Arc<dyn Fn(ApplyProgress) + Send + Sync>>,
}

impl std::fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("concurrency", &self.concurrency)
            .field("journal", &self.journal)
            .field("passwords_csv", &self.passwords_csv)
            .field("check_fingerprint", &self.check_fingerprint)
            .finish_non_exhaustive()
    }
}

impl ApplyOptions {
    /// Options with the journal at `journal` (an existing journal of the same plan is
    /// resumed), 8 requests at a time, the fingerprint checked.
    pub fn new(journal: impl Into<PathBuf>) -> ApplyOptions {
        ApplyOptions {
            concurrency: 8,
            journal: journal.into(),
            passwords_csv: None,
            summary_csv: None,
            summary_json: None,
            check_fingerprint: true,
            progress: None,
        }
    }

    /// How many requests run at the same time (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Where the passwords of new users go (mode 0600). Required when the plan creates
    /// users.
    pub fn passwords_csv(mut self, path: impl Into<PathBuf>) -> Self {
        self.passwords_csv = Some(path.into());
        self
    }

    /// Where the CSV summary goes.
    pub fn summary_csv(mut self, path: impl Into<PathBuf>) -> Self {
        self.summary_csv = Some(path.into());
        self
    }

    /// Where the JSON summary goes.
    pub fn summary_json(mut self, path: impl Into<PathBuf>) -> Self {
        self.summary_json = Some(path.into());
        self
    }

    /// Skip the check that the directory is as the plan saw it (not recommended).
    pub fn skip_fingerprint_check(mut self) -> Self {
        self.check_fingerprint = false;
        self
    }

    /// Called after every finished action.
    pub fn on_progress(mut self, callback: impl Fn(ApplyProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }
}
