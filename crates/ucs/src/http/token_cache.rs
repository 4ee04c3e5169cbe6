//! One access token shared by every request of a client: handed out until its refresh
//! time, then fetched again by one caller while the others wait for it, and dropped
//! after a 401 only if it is still the token that was refused (a newer one stays).
//! The Kelvin login and the OAuth 2 client-credentials grant keep their tokens here.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use reqwest::header::HeaderValue;

use crate::error::Result;

/// A token (as the `Authorization` header it is sent in), when it stops being used, and
/// which fetch produced it.
struct Token {
    header: HeaderValue,
    refresh_at: SystemTime,
    generation: u64,
}

/// The current token of one client.
pub(crate) struct TokenCache {
    current: tokio::sync::Mutex<Option<Token>>,
    generations: AtomicU64,
}

impl TokenCache {
    /// A cache without a token.
    pub(crate) fn new() -> Self {
        TokenCache {
            current: tokio::sync::Mutex::new(None),
            generations: AtomicU64::new(0),
        }
    }

    /// The header to send and its generation: the current token, or one from `fetch`
    /// (the header and when to stop using it) when there is none or it is due for
    /// renewal, which is logged as `renewing`.
    pub(crate) async fn get_or_fetch<F>(
        &self,
        renewing: &'static str,
        fetch: impl FnOnce() -> F,
    ) -> Result<(HeaderValue, u64)>
    where
        F: Future<Output = Result<(HeaderValue, SystemTime)>>,
    {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            if SystemTime::now() < token.refresh_at {
                return Ok((token.header.clone(), token.generation));
            }
            tracing::debug!("{renewing}");
        }
        let (header, refresh_at) = fetch().await?;
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        *current = Some(Token {
            header: header.clone(),
            refresh_at,
            generation,
        });
        Ok((header, generation))
    }

    /// Drops the token of `generation` if it is still the current one.
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| t.generation == generation) {
            *current = None;
        }
    }
}
