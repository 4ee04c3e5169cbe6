//! The UCS@school Kelvin REST API client.
//!
//! ```no_run
//! # async fn demo() -> ucs::Result<()> {
//! use ucs::kelvin::{Kelvin, NewUser, UserFilter};
//! use ucs::roles::Role;
//!
//! let kelvin = Kelvin::builder("https://ucs.example.com")
//!     .credentials("Administrator", "univention")
//!     .ca_file("/etc/ssl/ucs-root-ca.pem")?
//!     .build()?;
//! let user = kelvin
//!     .users()
//!     .create(NewUser::student("Jürgen", "Müller").name("jmueller").school("DEMOSCHOOL").class("1a")
//!         .record_uid("r-1").source_uid("sis"))
//!     .await?;
//! let teachers = kelvin.users().search(&UserFilter::new().school("DEMOSCHOOL").role(Role::Teacher)).await?;
//! # let _ = (user, teachers);
//! # Ok(()) }
//! ```
//!
//! Every call gets a fresh `X-Request-ID` (or the caller's, see
//! [`Kelvin::with_request_id`]), is retried on 429/502/503/504 and connection
//! errors when that is safe (never a blind repeat of a create), and logs one
//! `tracing` span without bodies or credentials.

mod bulk;
mod bulk_preflight;
mod bulk_run;
mod by_url;
mod call;
mod client;
mod fill;
mod groups;
mod models;
mod password_hashes;
mod roles_api;
mod schools;
pub(crate) mod token;
mod url_ref;
mod urls;
mod users;

pub use bulk::{BulkOptions, BulkProgress, BulkResult};
pub use bulk_preflight::{Missing, Preflight, PreflightReport};
pub use bulk_run::{
    BulkItem, BulkReport, BulkRun, ItemEvent, ItemId, ItemOutcome, NotSent, StopReason,
};
pub use by_url::KelvinObject;
pub use client::{ApiVersion, Kelvin, KelvinApi, KelvinBuilder, KelvinOptions};
pub use fill::{FillRow, KelvinTaken};
pub use groups::{
    ClassPatch, Classes, GroupPatch, NewSchoolClass, NewWorkGroup, SchoolClass, WorkGroup,
    WorkGroupPatch, WorkGroups,
};
pub use models::{PasswordHashes, User};
pub use roles_api::{RoleInfo, Roles};
pub use schools::{NewSchool, School, Schools};
pub use url_ref::KelvinRef;
pub use users::{NewUser, UserFilter, UserPatch, Users};
