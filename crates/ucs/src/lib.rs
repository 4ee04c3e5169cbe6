//! Typed, safe async clients for the Univention directory APIs: the
//! UCS@school **Kelvin** REST API ([`kelvin::Kelvin`]) and the **UDM** HTTP
//! REST API ([`udm::Udm`]), plus the domain logic integrators otherwise write
//! by hand: UCS@school role rules ([`roles`]) checked before any request, and
//! Kolab-style form-value generation ([`forms`]).
//!
//! Both clients are built on the generated `kelvin-raw` and `udm-raw` crates
//! and share one [`Error`] type, [`Secret`] values that never show up in logs
//! or `Debug` output, a [`RetryPolicy`], and a fresh `X-Request-ID` per call.
//!
//! [`Ucs::connect`] builds both from one host, account and CA, and
//! [`Ucs::from_env`] from the `UCS_*` variables the `ucs` command line reads
//! ([`connect`]). [`raw`] reaches every operation of the generated clients
//! with the session's credentials and retries; [`blocking`] has the same
//! clients for programs without an async runtime. The builders
//! ([`session::Builder`]) also take client certificates, a proxy, pool
//! settings, a cap on requests in flight, and for UDM bearer tokens and the
//! OAuth 2 client-credentials grant (Nubus with Keycloak).
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

pub use connect::{Ucs, UcsBuilder};
pub use error::{ApiError, Error, FieldError, RequestContext, Result};
pub use http::retry::RetryPolicy;
pub use secret::Secret;
