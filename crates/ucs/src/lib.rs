//! Typed, safe async clients for the Univention directory APIs: the
//! UCS@school **Kelvin** REST API ([`kelvin::Kelvin`]) and the **UDM** HTTP
//! REST API ([`udm::Udm`]), plus the domain logic integrators otherwise write
//! by hand: UCS@school role rules ([`roles`]) checked before any request, and
//! Kolab-style form-value generation ([`forms`]).
//!
//! # Quick start
//!
//! ```no_run
//! use ucs::kelvin::{Kelvin, NewUser, UserFilter};
//! use ucs::roles::Role;
//! use ucs::udm::{Filter, Udm};
//!
//! # async fn demo() -> ucs::Result<()> {
//! let kelvin = Kelvin::builder("https://ucs.example.com")
//!     .credentials("Administrator", std::env::var("UCS_PASSWORD").unwrap_or_default())
//!     .ca_file("/etc/ssl/ucs-root-ca.pem")?
//!     .build()?;
//! let user = kelvin
//!     .users()
//!     .create(NewUser::student("Jürgen", "Müller").name("jmueller").school("DEMOSCHOOL")
//!         .class("1a").record_uid("4711").source_uid("sis"))
//!     .await?;
//! let teachers = kelvin
//!     .users()
//!     .search(&UserFilter::new().school("DEMOSCHOOL").role(Role::Teacher))
//!     .await?;
//!
//! let udm = Udm::builder("https://ucs.example.com/univention/udm")
//!     .credentials("Administrator", std::env::var("UCS_PASSWORD").unwrap_or_default())
//!     .build()?;
//! udm.users()
//!     .modify(&user.dn, |u| {
//!         u.set("title", "Dr.");
//!         Ok(())
//!     })
//!     .await?; // If-Match, re-read and retry on a concurrent change
//! let found = udm.users().search().filter(Filter::eq("uid", "jmueller")).all().await?;
//! # let _ = (teachers, found); Ok(()) }
//! ```
//!
//! [`Ucs::connect`] builds both clients from one host, account and CA, and
//! [`Ucs::from_env`] from the `UCS_*` variables the `ucs` command line reads
//! ([`connect`]). [`raw`] reaches every operation of the generated clients
//! with the session's credentials and retries; [`blocking`] has the same
//! clients for programs without an async runtime. The builders
//! ([`session::Builder`]) also take client certificates, a proxy, pool
//! settings, a cap on requests in flight, and for UDM bearer tokens and the
//! OAuth 2 client-credentials grant (Nubus with Keycloak).
//!
//! # Runtime
//!
//! The clients are async and need a [tokio](https://tokio.rs) runtime (with the
//! `time` and `net` drivers, as `#[tokio::main]` gives). TLS is rustls with the
//! ring provider; no OpenSSL. [`blocking`] runs its own runtime on a thread.
//!
//! # Cargo features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `udm-all` | yes | every UDM module family of the generated client (128 modules) |
//! | `udm-<family>` | no | one family: `udm-appcenter`, `udm-blocklists`, `udm-computers`, `udm-dhcp`, `udm-dns`, `udm-kerberos`, `udm-monitoring`, `udm-ms`, `udm-nagios`, `udm-networks`, `udm-policies`, `udm-portals`, `udm-recyclebin`, `udm-settings`, `udm-shares` |
//!
//! `users`, `groups`, `container` and `mail` are always built. With
//! `default-features = false` and a few families the build is much faster
//! (the UDM client is 137,000 generated lines); `udm.module(name)` of a family
//! that is off answers a configuration error naming the feature, and
//! [`udm::Udm::generic_module`] still reaches any module by hand-written
//! requests.
//!
//! # What the server decides
//!
//! The facade follows the real servers' code (Kelvin 4.0.0, the UDM REST API
//! of UCS 5.2): every request asks for `Accept: application/json`, redirects
//! are never followed (credentials stay on their origin), answers are bounded
//! ([`session::Builder::max_body`]), a create is never repeated blindly
//! ([`Error::maybe_applied`]), UDM writes carry the object's ETag. Where the
//! facade is stricter than the server, [`roles`] says so.
#![deny(missing_docs)]

pub mod blocking;
pub mod connect;
pub mod error;
pub mod forms;
#[cfg(test)]
mod fuzz;
mod http;
// The generated clients' error type (progenitor_client::Error) is large; the
// facade passes it through closures only to turn it into `ucs::Error`.
#[allow(clippy::result_large_err)]
pub mod kelvin;
pub mod raw;
pub mod roles;
mod secret;
pub mod session;
#[allow(clippy::result_large_err)]
pub mod udm;

/// Dates in user models (`birthday`, `expiration_date`).
pub use chrono::NaiveDate;
pub use connect::{Ucs, UcsBuilder};
pub use error::{ApiError, Error, FieldError, RequestContext, Result};
pub use http::retry::RetryPolicy;
pub use secret::Secret;
/// JSON values in object properties, `udm_properties` and patches.
pub use serde_json::{Map, Value};
/// The DN, filter and role grammar (also at `ucs::udm::{Dn, Filter}` and
/// `ucs::roles::Role`).
pub use ucs_ldap;
