//! Plan/apply reconciliation of a school roster against UCS@school, compatible with
//! `ucs-school-import`.
#![deny(missing_docs)]

pub mod apply;
pub mod clock;
pub mod config;
pub mod directory;
mod error;
pub mod input;
pub mod journal;
pub mod plan;
mod problem;
pub mod record;
pub mod report;
pub mod scheme;

pub use apply::{ApplyOptions, ApplyReport};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{SyncConfig, PURGE_TIMESTAMP as PURGE};
pub use error::{Result, SyncError};
pub use input::Roster;
pub use plan::{Plan, Planner};
pub use problem::{Problem, RowProblems};
