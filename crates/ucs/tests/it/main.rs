//! The integration tests of `ucs`, one test binary: each module is one subject.

mod fill_values;
mod forms;
mod forms_props;
mod kolab_types;
mod roles;
mod roles_props;
mod taken_preload;
mod transliteration;
