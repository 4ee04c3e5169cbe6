//! The integration tests of `ucs-sim`, one test binary: each module is one subject.

mod common;
mod cross_api;
mod faults;
mod kelvin_auth;
mod kelvin_schools_groups;
mod kelvin_users;
mod state_file;
mod tls;
mod udm_api;
mod udm_catalog_fresh;
mod udm_navigation;
mod udm_preamble;
mod udm_search;
mod udm_writes;
