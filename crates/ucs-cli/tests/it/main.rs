//! The integration tests of the `ucs` binary, one test binary: each module is one subject.
//! The binary runs as a separate process (assert_cmd) against an emulator started in this
//! process (ucs-sim), with its own config file in a temporary directory.

mod common;
mod doctor;
mod grammar;
mod kelvin;
mod passwords;
mod profiles;
mod sim_command;
mod sync;
mod udm;
