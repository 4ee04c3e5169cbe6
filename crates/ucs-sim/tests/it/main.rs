//! The integration tests of `ucs-sim`, one test binary: each module is one subject.

mod common;
mod cross_api;
mod faults;
mod kelvin_auth;
mod kelvin_differential;
mod kelvin_groups;
mod kelvin_refs;
mod kelvin_roles_schools;
mod kelvin_transport;
mod kelvin_users_create;
mod kelvin_users_read;
mod kelvin_users_update;
mod kelvin_v2;
mod state_file;
mod tls;
mod udm_api;
mod udm_catalog_fresh;
mod udm_navigation;
mod udm_preamble;
mod udm_search;
mod udm_writes;
