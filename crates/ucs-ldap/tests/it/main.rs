//! Tests of the shared LDAP grammar: DNs, the canonical string functions, filters, roles,
//! and round-trip properties.

mod canonical;
mod dn;
mod filter;
mod props;
mod roles;
