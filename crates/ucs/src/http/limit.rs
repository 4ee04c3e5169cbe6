//! The client-wide cap on requests in flight: every attempt of every call of
//! one client (all its clones and handles) holds a permit while it is sent
//! and its answer read.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A cap on concurrent requests, or none.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConcurrencyLimit {
    permits: Option<Arc<Semaphore>>,
    max: Option<usize>,
}

impl ConcurrencyLimit {
    /// At most `max` requests at a time (at least 1).
    pub(crate) fn new(max: usize) -> Self {
        let max = max.max(1);
        ConcurrencyLimit {
            permits: Some(Arc::new(Semaphore::new(max))),
            max: Some(max),
        }
    }

    /// No cap.
    pub(crate) fn unlimited() -> Self {
        ConcurrencyLimit::default()
    }

    /// The cap, if any.
    pub(crate) fn max(&self) -> Option<usize> {
        self.max
    }

    /// Waits for a permit (immediately `None` without a cap). The semaphore
    /// is never closed, so acquiring cannot fail; should it ever, the
    /// request goes ahead rather than failing.
    pub(crate) async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        let permits = self.permits.as_ref()?;
        Arc::clone(permits).acquire_owned().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn permits_are_shared_by_clones_and_returned_on_drop() {
        let limit = ConcurrencyLimit::new(2);
        let clone = limit.clone();
        let a = limit.acquire().await;
        let b = clone.acquire().await;
        assert!(a.is_some() && b.is_some());
        let third = tokio::time::timeout(std::time::Duration::from_millis(20), limit.acquire());
        assert!(third.await.is_err(), "a third request waits");
        drop(a);
        assert!(clone.acquire().await.is_some());
        assert_eq!(ConcurrencyLimit::new(0).max(), Some(1));
        assert!(ConcurrencyLimit::unlimited().acquire().await.is_none());
    }
}
