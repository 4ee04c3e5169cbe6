//! Bulk operations for sync jobs: many creates or patches with bounded
//! concurrency, one result per item (a bad row never aborts the rest) and a
//! progress callback.

use std::sync::Arc;

use futures::StreamExt;

use super::users::{NewUser, UserPatch, Users};
use super::User;
use crate::error::Result;

/// How a bulk run proceeds.
#[derive(Clone)]
pub struct BulkOptions {
    concurrency: usize,
    progress: Option<Arc<dyn Fn(BulkProgress) + Send + Sync>>,
}

impl Default for BulkOptions {
    /// 8 requests in flight, no progress callback.
    fn default() -> Self {
        BulkOptions {
            concurrency: 8,
            progress: None,
        }
    }
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl BulkOptions {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many requests run at the same time (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Called after every finished item.
    pub fn on_progress(mut self, callback: impl Fn(BulkProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }
}

/// Where a bulk run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkProgress {
    /// Items finished (successfully or not).
    pub done: usize,
    /// Items that failed so far.
    pub failed: usize,
    /// All items.
    pub total: usize,
}

/// The outcome of one item, in input order.
pub type BulkResult<T> = Result<T>;

async fn run<I, F, Fut, T>(items: Vec<I>, options: &BulkOptions, mut call: F) -> Vec<BulkResult<T>>
where
    F: FnMut(I) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let total = items.len();
    let mut results: Vec<Option<BulkResult<T>>> = (0..total).map(|_| None).collect();
    let mut stream = futures::stream::iter(items.into_iter().enumerate().map(|(i, item)| {
        let fut = call(item);
        async move { (i, fut.await) }
    }))
    .buffer_unordered(options.concurrency);
    let (mut done, mut failed) = (0, 0);
    while let Some((i, result)) = stream.next().await {
        done += 1;
        if result.is_err() {
            failed += 1;
        }
        results[i] = Some(result);
        if let Some(progress) = &options.progress {
            progress(BulkProgress {
                done,
                failed,
                total,
            });
        }
    }
    results.into_iter().flatten().collect()
}

impl Users {
    /// Creates many users, `options.concurrency` at a time. Returns one
    /// result per input, in input order.
    pub async fn create_many(
        &self,
        users: impl IntoIterator<Item = NewUser>,
        options: &BulkOptions,
    ) -> Vec<BulkResult<User>> {
        let users: Vec<NewUser> = users.into_iter().collect();
        run(users, options, |user| self.create(user)).await
    }

    /// Applies many patches (`(user name, patch)`), `options.concurrency` at a
    /// time. Returns one result per input, in input order.
    pub async fn patch_many(
        &self,
        patches: impl IntoIterator<Item = (String, UserPatch)>,
        options: &BulkOptions,
    ) -> Vec<BulkResult<User>> {
        let patches: Vec<(String, UserPatch)> = patches.into_iter().collect();
        run(patches, options, |(name, patch)| async move {
            self.patch(&name, &patch).await
        })
        .await
    }
}
