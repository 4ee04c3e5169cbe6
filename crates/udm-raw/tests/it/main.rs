//! The integration tests of `udm-raw`, one test binary: each module is one subject.

mod dispatch;
mod generated_surface;
