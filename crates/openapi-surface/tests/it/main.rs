//! The integration tests of `openapi-surface`, one test binary: each module is one subject.

mod classification;
