//! Values in use loaded from a directory in one go, for batches: one search
//! instead of one per candidate name ([`PreloadedTaken`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use super::{Reservation, Taken, TakenEntry, TakenError, TakenSet};

/// Where a [`PreloadedTaken`] gets the values in use: a directory listing
/// every user name and mail address with its owner.
pub trait TakenSource: Send + Sync {
    /// Every value in use.
    fn load(&self) -> BoxFuture<'_, Result<Vec<TakenEntry>, TakenError>>;
}

/// The values in use, loaded from a [`TakenSource`] at once and held in a
/// [`TakenSet`], which also records what generation hands out. For a long
/// run, [`refresh`](PreloadedTaken::refresh) loads again (or set
/// [`refresh_after`](PreloadedTaken::refresh_after) to do it when the load is
/// older than a maximum age); a refresh keeps the values reserved by this
/// process, which may not be in the directory yet.
///
/// Built by `KelvinTaken::preloaded` and `UdmTaken::preloaded`, or by
/// [`UserValues::preloaded`](super::UserValues::preloaded) for a batch.
pub struct PreloadedTaken {
    source: Arc<dyn TakenSource>,
    set: TakenSet,
    loaded_at: Mutex<Instant>,
    max_age: Option<Duration>,
    /// One load at a time.
    loading: futures::lock::Mutex<()>,
    loads: AtomicU64,
}

impl std::fmt::Debug for PreloadedTaken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreloadedTaken")
            .field("set", &self.set)
            .field("max_age", &self.max_age)
            .field("loads", &self.loads())
            .finish_non_exhaustive()
    }
}

impl PreloadedTaken {
    /// Loads the values in use from `source`.
    pub async fn load(source: impl TakenSource + 'static) -> Result<PreloadedTaken, TakenError> {
        let preloaded = PreloadedTaken {
            source: Arc::new(source),
            set: TakenSet::new(),
            loaded_at: Mutex::new(Instant::now()),
            max_age: None,
            loading: futures::lock::Mutex::new(()),
            loads: AtomicU64::new(0),
        };
        preloaded.refresh().await?;
        Ok(preloaded)
    }

    /// Loads again before a check when the last load is older than `max_age`.
    pub fn refresh_after(mut self, max_age: Duration) -> PreloadedTaken {
        self.max_age = Some(max_age);
        self
    }

    /// Loads the values in use again; what this process reserved stays.
    pub async fn refresh(&self) -> Result<(), TakenError> {
        let _loading = self.loading.lock().await;
        self.load_now().await
    }

    async fn load_now(&self) -> Result<(), TakenError> {
        let entries = self.source.load().await?;
        self.set.replace_loaded(entries);
        *self.loaded_at_lock() = Instant::now();
        self.loads.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Loads again if the last load is older than the maximum age; a check
    /// that waited for another caller's load does not load once more.
    async fn refresh_if_stale(&self) -> Result<(), TakenError> {
        if !self.is_stale() {
            return Ok(());
        }
        let _loading = self.loading.lock().await;
        if self.is_stale() {
            self.load_now().await?;
        }
        Ok(())
    }

    fn is_stale(&self) -> bool {
        self.max_age
            .is_some_and(|max| self.loaded_at_lock().elapsed() > max)
    }

    fn loaded_at_lock(&self) -> std::sync::MutexGuard<'_, Instant> {
        // an Instant is always consistent, so a poisoned lock is usable
        self.loaded_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The values held (loaded and reserved).
    pub fn set(&self) -> &TakenSet {
        &self.set
    }

    /// When the values were last loaded.
    pub fn loaded_at(&self) -> Instant {
        *self.loaded_at_lock()
    }

    /// How many times the values were loaded.
    pub fn loads(&self) -> u64 {
        self.loads.load(Ordering::Relaxed)
    }
}

impl Taken for PreloadedTaken {
    fn is_taken<'a>(
        &'a self,
        attribute: &'a str,
        value: &'a str,
        exclude: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, TakenError>> {
        Box::pin(async move {
            self.refresh_if_stale().await?;
            self.set.is_taken(attribute, value, exclude).await
        })
    }

    fn reserve(&self, reservation: &Reservation<'_>) {
        self.set.reserve(reservation);
    }

    fn suffix_hint(&self, attribute: &str, base: &str) -> u32 {
        self.set.suffix_hint(attribute, base)
    }
}
