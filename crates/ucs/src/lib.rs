//! Typed, safe async clients for the Univention directory APIs.
#![deny(missing_docs)]
pub mod roles;
