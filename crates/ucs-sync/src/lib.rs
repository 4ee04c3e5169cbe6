//! Plan/apply reconciliation of a school roster against UCS@school over the Kelvin REST
//! API, with the semantics of `ucs-school-import` (the importer the real Kelvin itself
//! uses), remotely, with a reviewable plan.
//!
//! 1. **Input**: a [`Roster`] from CSV (UTF-8 with or without BOM, Windows-1252, any
//!    delimiter, quoted fields) or JSON Lines, mapped through the importer's
//!    `csv.mapping` ([`SyncConfig::from_import_json`] reads its JSON configuration).
//! 2. **Plan**: [`Planner::plan`] compares the roster with the Kelvin users of the
//!    `source_uid` (keyed by `record_uid`) and gives a [`Plan`]: one action per user
//!    (create with generated name, mail address and password; modify as a PATCH of exactly
//!    the changed fields; move; rename; deactivate; delete; unchanged), each with its
//!    reason; rows breaking a rule ([`ucs::roles`] and the importer's checks) are reported
//!    with every problem and skipped. The plan is a JSON file with a format version and
//!    the fingerprint of the directory state it was computed from.
//! 3. **Lifecycle**: users missing from the roster are deactivated and deleted after
//!    `deletion_grace_period` (`ucsschoolPurgeTimestamp`, which the Kelvin server must map
//!    in `mapped_udm_properties.json`); `no_delete`; the school-change mode of the
//!    importer's `SingleSourcePartialUserImport`; a safety limit per school.
//! 4. **Apply**: [`Plan::apply`] executes exactly the plan with bounded concurrency,
//!    refusing a changed directory ([`Planner::apply_or_replan`] plans again instead), and
//!    keeps a journal so that a killed run resumes where it stopped. It writes a summary
//!    (CSV, JSON) and the new passwords (CSV, mode 0600; never logged).
//!
//! ```no_run
//! # async fn demo() -> ucs_sync::Result<()> {
//! use ucs::kelvin::Kelvin;
//! use ucs_sync::{ApplyOptions, Planner, Roster, SyncConfig};
//!
//! let kelvin = Kelvin::builder("https://ucs.example.com")
//!     .credentials("sync-admin", std::env::var("KELVIN_PASSWORD").unwrap_or_default())
//!     .build()?;
//! let config = SyncConfig::from_import_json(&[r#"{
//!     "source_uid": "sis", "school": "DEMOSCHOOL", "user_role": "student",
//!     "csv": {"mapping": {"ID": "record_uid", "Vorname": "firstname", "Nachname": "lastname",
//!                         "Klassen": "school_classes"}},
//!     "scheme": {"username": {"default": "<:umlauts><firstname>[0].<lastname>[COUNTER2]"},
//!                "email": "<firstname>.<lastname>@<maildomain>"},
//!     "maildomain": "school.example.org",
//!     "deletion_grace_period": {"deactivation": 0, "deletion": 90}
//! }"#])?;
//! let roster = Roster::from_csv_path("students.csv", &config.csv)?;
//! let plan = Planner::new(&kelvin, config).plan(&roster).await?;
//! for action in plan.pending() {
//!     println!("{:?} {}: {}", action.kind, action.name, action.reason);
//! }
//! plan.save("plan.json")?; // review it, then apply it (now or later)
//! let options = ApplyOptions::new("sync-journal.jsonl")
//!     .passwords_csv("new-passwords.csv")
//!     .summary_csv("summary.csv")
//!     .on_progress(|p| eprintln!("{}/{} ({} failed)", p.done, p.total, p.failed));
//! let report = plan.apply(&kelvin, &options).await?; // run again to resume after a kill
//! println!("{} failed", report.failures().count());
//! # Ok(()) }
//! ```
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
