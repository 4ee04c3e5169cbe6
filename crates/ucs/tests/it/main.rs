//! The integration tests of `ucs`, one test binary: each module is one subject.

mod forms;
mod forms_props;
mod oauth2;
mod roles;
mod roles_props;
mod support;
mod transport;
