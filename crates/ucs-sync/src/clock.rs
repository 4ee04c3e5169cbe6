//! The clock a sync reads "today" from; injectable for tests and dry runs.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

/// Where a sync gets the current time.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date (UTC).
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock standing at a fixed time (tests, "what would happen on day X").
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// Midnight UTC of `date`.
    pub fn on(date: NaiveDate) -> FixedClock {
        FixedClock(date.and_time(chrono::NaiveTime::MIN).and_utc())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A shared clock.
pub type SharedClock = Arc<dyn Clock>;
