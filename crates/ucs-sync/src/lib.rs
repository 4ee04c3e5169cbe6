//! Plan/apply reconciliation of a school roster against UCS@school, compatible with
//! `ucs-school-import`.
#![deny(missing_docs)]

pub mod clock;
pub mod config;
mod error;
pub mod input;
mod problem;
pub mod record;
pub mod scheme;

pub use clock::{Clock, FixedClock, SystemClock};
pub use config::SyncConfig;
pub use error::{Result, SyncError};
pub use input::Roster;
pub use problem::{Problem, RowProblems};
