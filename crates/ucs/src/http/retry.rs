//! When and how long to wait before trying a request again.

use std::time::Duration;

use rand::Rng;

/// Retry policy for idempotent requests (GET, HEAD, PUT, PATCH, DELETE) on
/// 429/502/503/504 answers and connection errors: exponential backoff with
/// full jitter, honouring `Retry-After`, bounded by attempts and total time.
/// A create (POST) is never repeated blindly; see the resources' docs.
///
/// ```
/// use std::time::Duration;
/// let policy = ucs::RetryPolicy::default()
///     .max_attempts(4)
///     .max_elapsed(Duration::from_secs(30));
/// assert_eq!(policy.attempts(), 4);
/// assert_eq!(ucs::RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    /// 5 attempts, 500 ms doubling up to 20 s between them, at most 60 s in
    /// all, on 429, 502, 503 and 504.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
            statuses: vec![429, 502, 503, 504],
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// How many attempts in all (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first wait; it doubles on every further retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts (also caps `Retry-After`).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest time from the first attempt after which no retry starts.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The statuses that are retried (default 429, 502, 503, 504).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The total time budget.
    pub fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether a status is retried.
    pub fn retries_status(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), given
    /// the server's `Retry-After` if any; `None` when the policy gives up
    /// (attempts used up, or the wait would end after the time budget).
    pub fn next_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(server) => server.min(self.max_backoff),
            None => {
                let exp = self
                    .initial_backoff
                    .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
                    .min(self.max_backoff);
                // full jitter between half and all of the exponential step
                let half = exp / 2;
                let jitter_ms = rand::rng().random_range(0..=half.as_millis().max(1) as u64);
                half + Duration::from_millis(jitter_ms)
            }
        };
        if elapsed + delay > self.max_elapsed {
            return None;
        }
        Some(delay)
    }
}

/// Parses a `Retry-After` header: delay seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_jitter_bounds_and_stops() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000))
            .max_attempts(6);
        for (attempt, full) in [(1, 100u64), (2, 200), (3, 400), (4, 800), (5, 1000)] {
            let d = p.next_delay(attempt, Duration::ZERO, None).expect("retry");
            assert!(
                d >= Duration::from_millis(full / 2) && d <= Duration::from_millis(full),
                "attempt {attempt}: {d:?}"
            );
        }
        assert_eq!(
            p.next_delay(6, Duration::ZERO, None),
            None,
            "attempts used up"
        );
    }

    #[test]
    fn retry_after_is_honoured_but_capped_and_budgeted() {
        let p = RetryPolicy::default()
            .max_backoff(Duration::from_secs(5))
            .max_elapsed(Duration::from_secs(10));
        assert_eq!(
            p.next_delay(1, Duration::ZERO, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            p.next_delay(1, Duration::ZERO, Some(Duration::from_secs(60))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            p.next_delay(1, Duration::from_secs(9), Some(Duration::from_secs(2))),
            None,
            "over budget"
        );
        assert_eq!(
            RetryPolicy::none().next_delay(1, Duration::ZERO, None),
            None
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "past date"
        );
        let future = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let d = parse_retry_after(&future).expect("date");
        assert!(
            d > Duration::from_secs(25) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
