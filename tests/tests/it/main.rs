//! The integration tests of `workspace`, one test binary: each module is one subject.

mod drift_history;
mod drift_methods;
mod drift_surface;
mod examples;
mod form_values_e2e;
mod kelvin_e2e;
mod layering;
mod secret_redaction;
mod udm_e2e;
