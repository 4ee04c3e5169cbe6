//! The integration tests of `ucs`, one test binary: each module is one subject.

mod blocking;
mod connect;
mod forms;
mod forms_props;
mod oauth2;
mod raw;
mod roles;
mod roles_props;
mod support;
mod transport;
