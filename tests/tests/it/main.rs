//! The integration tests of `workspace`, one test binary: each module is one subject.

mod drift_history;
mod drift_methods;
mod drift_surface;
mod examples;
mod form_values_e2e;
mod garbage;
mod hostile;
mod kelvin_bulk_run;
mod kelvin_e2e;
mod kelvin_features;
mod kelvin_server_fills;
mod layering;
mod secret_redaction;
mod udm_e2e;
mod udm_features;
mod udm_generic;
mod udm_preconditions;
