//! In-memory emulator of the UDM REST API and the UCS@school Kelvin REST API.
#![deny(missing_docs)]

mod directory;
mod dn;
mod jwt;
mod ldap_filter;
mod password;
mod pattern;
mod query;
mod state_file;
mod store;
mod udm;
