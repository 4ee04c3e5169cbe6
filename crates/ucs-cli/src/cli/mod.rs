//! The command-line grammar (clap derive): global options and one module per
//! command family. Nothing here talks to a server.

pub mod doctor;
pub mod kelvin;
mod output;
pub mod profile;
pub mod sim;
pub mod sync;
pub mod udm;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

pub use output::{OutputArgs, OutputFormat};

/// The clap definition of `ucs` (for completions, man pages and tests).
pub fn command() -> clap::Command {
    Cli::command()
}

/// What `ucs --help` shows below the options: password sources, examples, exit codes.
const AFTER_LONG_HELP: &str = "\
Passwords are never taken from an argument. In this order: --password-file / UCS_PASSWORD_FILE,
the environment variable UCS_PASSWORD, the profile's password_file, else a prompt without echo
(only when standard input is a terminal).

Examples:
  ucs sim &                                  # start the emulator, writes the profile 'sim'
  ucs --profile sim doctor                   # check connection, TLS, versions, rights
  ucs --profile sim kelvin users list --school DEMOSCHOOL --role teacher
  ucs --profile sim udm users/user list --filter 'uid=demo_*' -o json

Exit status:
  0  done: everything asked for was done (doctor: no check failed)
  1  partly done: some rows or objects failed, the others were done (doctor: a check failed)
  2  nothing done: bad input or usage, refused plan, no connection, login refused";

/// `ucs`: the command line for UCS and UCS@school admins.
#[derive(Debug, Parser)]
#[command(
    name = "ucs",
    version,
    about = "Command line for Univention Corporate Server and UCS@school: Kelvin, UDM, sync, doctor",
    long_about = "Command line for Univention Corporate Server and UCS@school admins and integrators: \
look up and change school users, classes and workgroups (Kelvin REST API) and any directory \
object (UDM REST API), run the roster sync, and find out why a server refuses you (doctor).\n\n\
Connections come from named profiles in ~/.config/ucs/config.toml (see `ucs profile`), \
overridden by UCS_HOST, UCS_USER, UCS_CA_FILE, UCS_PASSWORD_FILE and the options below.",
    after_long_help = AFTER_LONG_HELP,
    after_help = "Exit status: 0 done, 1 partly done (some rows failed), 2 nothing done. See --help."
)]
pub struct Cli {
    /// Options every command understands.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Connection and output options, valid before or after the command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Connection profile from the config file [default: the file's default_profile].
    #[arg(
        long,
        short = 'p',
        global = true,
        env = "UCS_PROFILE",
        value_name = "NAME"
    )]
    pub profile: Option<String>,
    /// The config file with the profiles [default: ~/.config/ucs/config.toml].
    #[arg(long, global = true, env = "UCS_CONFIG", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// The server, e.g. https://ucs.example.com (overrides the profile).
    #[arg(long, global = true, env = "UCS_HOST", value_name = "URL")]
    pub host: Option<String>,
    /// The account to log in with (overrides the profile).
    #[arg(long, global = true, env = "UCS_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Read the password from this file (first line; keep it chmod 600).
    #[arg(long, global = true, env = "UCS_PASSWORD_FILE", value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Trust the CA certificate(s) in this PEM file, e.g. the UCS root CA.
    #[arg(long, global = true, env = "UCS_CA_FILE", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// DANGEROUS: do not verify the server's TLS certificate. Anyone on the network path
    /// can read the password and the data. Prefer --ca-file or `ucs doctor`.
    #[arg(long = "insecure-skip-tls-verify", global = true)]
    pub insecure: bool,
    /// Kelvin API version (overrides the profile) [default: v1].
    #[arg(
        long,
        global = true,
        env = "UCS_KELVIN_API",
        value_enum,
        value_name = "VERSION"
    )]
    pub kelvin_api: Option<KelvinApi>,
    /// Timeout of each HTTP request, in seconds.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,
}

/// Kelvin API version.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    ValueEnum,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum KelvinApi {
    /// /ucsschool/kelvin/v1 (reads and writes the primary directory).
    V1,
    /// /ucsschool/kelvin/v2 (reads from a replica).
    V2,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// UCS@school Kelvin REST API: users, schools, classes, workgroups, roles.
    Kelvin(kelvin::KelvinArgs),
    /// UDM REST API: any directory object by module (users/user, groups/group, ...).
    Udm(udm::UdmArgs),
    /// Sync a roster (CSV) into the school directory: plan, apply, run.
    Sync(sync::SyncArgs),
    /// Check the connection: reachability, TLS, API versions, login, rights, token, drift.
    Doctor(doctor::DoctorArgs),
    /// Start the embedded emulator of both APIs and write a ready profile for it.
    Sim(sim::SimArgs),
    /// Show and edit connection profiles.
    Profile(profile::ProfileArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  ucs completions bash > ~/.local/share/bash-completion/completions/ucs"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (ucs.1 and one per subcommand) into a directory.
    #[command(after_help = "Example:\n  ucs man --out-dir ~/.local/share/man/man1 && man ucs")]
    Man {
        /// Where to write the pages.
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
    },
}
