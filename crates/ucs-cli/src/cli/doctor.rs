//! `ucs doctor`.

use clap::Args;

/// `ucs doctor`.
#[derive(Debug, Args)]
#[command(
    after_help = "Each finding is one line: ok, warn or fail, with what to do.

Examples:
  ucs --profile school doctor
  ucs --profile school doctor --trust-ca 'AB:CD:...'   # save the offered CA after comparing it

Exit status: 0 no check failed, 1 a check failed, 2 doctor could not run (bad profile)."
)]
pub struct DoctorArgs {
    /// Save the CA certificate the server offers, if its SHA-256 fingerprint is this one,
    /// as the profile's CA file (compare it with the server's first).
    #[arg(long, value_name = "SHA256")]
    pub trust_ca: Option<String>,
    /// Also compare the API documents with the vendored ones change by change.
    #[arg(long)]
    pub drift_details: bool,
}
