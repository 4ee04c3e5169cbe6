//! `ucs profile ...`.

use clap::{Args, Subcommand};

/// `ucs profile ACTION`.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ProfileAction,
}

/// Actions on profiles.
#[derive(Debug, Subcommand)]
pub enum ProfileAction {
    /// List the profiles.
    #[command(after_help = "Example:\n  ucs profile list")]
    List,
    /// Show a profile as it resolves with the environment and options.
    #[command(after_help = "Example:\n  UCS_USER=kelvin-reader ucs --profile sim profile show")]
    Show,
    /// Add or change a profile from --host, --user, --ca-file, --password-file and
    /// --kelvin-api (or UCS_HOST, UCS_USER, ...); values not given stay as they are.
    #[command(after_help = "Example:
  ucs profile set school --host https://ucs.school.example --user Administrator \\
      --ca-file ~/.config/ucs/school-ca.pem --password-file ~/.config/ucs/school.password --default")]
    Set {
        /// The profile's name.
        name: String,
        /// Make it the default profile.
        #[arg(long)]
        default: bool,
    },
    /// Remove a profile.
    #[command(after_help = "Example:\n  ucs profile remove old-school")]
    Remove {
        /// The profile's name.
        name: String,
    },
}
