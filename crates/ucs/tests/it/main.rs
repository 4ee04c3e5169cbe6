//! The integration tests of `ucs`, one test binary: each module is one subject.

mod blocking;
mod connect;
mod fill_values;
mod forms;
mod forms_props;
mod kolab_types;
mod oauth2;
mod raw;
mod roles;
mod roles_props;
mod support;
mod taken_preload;
mod transliteration;
mod transport;
