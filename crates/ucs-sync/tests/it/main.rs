//! Integration tests of `ucs-sync` against `ucs-sim` over HTTP (and, with
//! `KELVIN_REAL_URL` set, against the real Kelvin code).

mod config_import;
mod e2e;
mod fuzz;
mod input;
mod kelvin_real;
mod lifecycle;
mod resume;
mod scheme;
mod school_change;
mod support;
