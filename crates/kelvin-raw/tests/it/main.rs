//! The integration tests of `kelvin-raw`, one test binary: each module is one subject.

mod generated_surface;
mod http;
