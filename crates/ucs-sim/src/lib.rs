//! `ucs-sim`: an in-memory emulator of the UDM REST API and the UCS@school Kelvin REST API,
//! for tests, examples and demos.
//!
//! **It is not a server.** It keeps one directory in memory (optionally saved to a JSON
//! file) and answers both APIs over real HTTP as the real servers do, so that clients can be
//! tested end to end without a UCS appliance. There is no LDAP, no replication, no listener
//! or hooks, no real password hashing (salted SHA-256), no Samba/Kerberos, no file shares,
//! no OPA policies, no translations; module titles are derived from module names.
//!
//! What it does emulate:
//!
//! * one store shared by both APIs (a Kelvin user *is* a UDM `users/user` object under
//!   `cn=<role container>,cn=users,ou=<school>,<base>`; a school a `container/ou`; classes
//!   and workgroups `groups/group` objects below `cn=groups,ou=<school>`);
//! * Kelvin v1 and v2: token endpoint (HS256 JWT), Bearer auth, users, schools, classes,
//!   workgroups, roles, search filters, the UCS@school role rules, the server's error bodies;
//! * UDM: HTTP Basic auth, all 128 modules of the vendored spec (full behaviour for
//!   `users/user`, `groups/group`, `container/ou`, `container/cn`, `mail/domain`; generic
//!   storage for the rest), templates, LDAP-filter search with paging, ETag/`If-Match`,
//!   moves with a progress resource, per-property 422 errors;
//! * seed data like a fresh UCS@school (schools DEMOSCHOOL and DEMOSCHOOL2, class Democlass,
//!   workgroup Demoworkgroup, users demo_student, demo_teacher, demo_staff, demo_admin with
//!   password `univention`, mail domain `example.com`);
//! * fault injection (error statuses with `Retry-After`, dropped connections, failures of
//!   chosen requests, also after processing), latency, token expiry, a request log, TLS with
//!   a generated CA.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use std::time::Duration;
//! use ucs_sim::{Faults, Sim};
//!
//! let sim = Sim::builder()
//!     .empty(false)
//!     .token_ttl(Duration::from_secs(600))
//!     .faults(Faults::default())
//!     .spawn()
//!     .await?;
//! println!("Kelvin at {}, UDM at {}", sim.kelvin_url(), sim.udm_url());
//! let (user, _password) = sim.admin();
//! assert_eq!(user, "Administrator");
//! assert!(sim.store().user("demo_student").is_some());
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod app;
mod auth;
mod catalog;
mod directory;

mod faults;
mod inspect;
mod jwt;
mod kelvin;
mod ldap_filter;
mod password;
mod pattern;
mod query;
mod recorder;
mod school_layout;
mod seed;
mod server;
mod sim;

mod store;
mod tls;
mod udm;
mod udm_state;

pub use faults::Faults;
pub use inspect::{SimStore, StoredObject};
pub use recorder::RecordedRequest;
pub use sim::{Sim, SimBuilder, SimHandle, DEFAULT_MAPPED_UDM_PROPERTIES};
