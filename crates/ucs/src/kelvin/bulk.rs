//! Bulk operations for sync jobs: many creates or patches with bounded
//! concurrency, one result per item (a bad row never aborts the rest) and a
//! progress callback.

use std::sync::Arc;

use futures::StreamExt;

use super::users::{NewUser, UserPatch, Users};
use super::User;
use crate::error::Result;
use crate::forms::UserValues;

/// How a bulk run proceeds.
#[derive(Clone)]
pub struct BulkOptions {
    concurrency: usize,
    progress: Option<Arc<dyn Fn(BulkProgress) + Send + Sync>>,
    fill: Option<UserValues>,
}

impl Default for BulkOptions {
    /// 8 requests in flight, no progress callback, nothing filled.
    fn default() -> Self {
        BulkOptions {
            concurrency: 8,
            progress: None,
            fill: None,
        }
    }
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .field("fill", &self.fill)
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

    /// [`Users::create_many`] fills each user's missing name, e-mail and
    /// password from `values` first ([`NewUser::fill_missing_many`]: one
    /// directory search for the batch, names unique within it).
    pub fn fill_missing(mut self, values: UserValues) -> Self {
        self.fill = Some(values);
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

/// One failure per row for an error that stopped the whole batch: the first
/// row carries the error, the others say that they were not sent and why.
fn every_row_fails<T>(error: crate::Error, rows: usize) -> Vec<BulkResult<T>> {
    let note = format!("not sent: {error}");
    let mut out: Vec<BulkResult<T>> = Vec::with_capacity(rows);
    if rows > 0 {
        out.push(Err(error));
    }
    out.extend((1..rows).map(|_| Err(crate::Error::InvalidInput(note.clone()))));
    out
}

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
    /// result per input, in input order. With
    /// [`BulkOptions::fill_missing`], missing values are filled first (a row
    /// that cannot be filled fails with that error and is not sent; all fail
    /// if the values in use cannot be loaded).
    pub async fn create_many(
        &self,
        users: impl IntoIterator<Item = NewUser>,
        options: &BulkOptions,
    ) -> Vec<BulkResult<User>> {
        let users: Vec<NewUser> = users.into_iter().collect();
        let Some(values) = &options.fill else {
            return run(users, options, |user| self.create(user)).await;
        };
        let total = users.len();
        let filled = match NewUser::fill_missing_many(users, values, |_| {}).await {
            Ok(filled) => filled,
            Err(e) => return every_row_fails(e, total),
        };
        run(
            filled,
            options,
            |user| async move { self.create(user?).await },
        )
        .await
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
