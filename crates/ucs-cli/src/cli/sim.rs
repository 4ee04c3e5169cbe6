//! `ucs sim`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

/// `ucs sim`.
#[derive(Debug, Args)]
#[command(
    after_help = "The emulator keeps one directory in memory (schools DEMOSCHOOL and DEMOSCHOOL2,
users demo_student, demo_teacher, demo_staff, demo_admin) and answers both APIs like the real
servers. It is for trying and testing, not a server: do not put real data in it.

Examples:
  ucs sim &                     # then: ucs --profile sim kelvin users list
  ucs sim --listen 127.0.0.1:9443 --state demo.json --profile-name demo"
)]
pub struct SimArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// Serve plain HTTP instead of HTTPS with a generated CA.
    #[arg(long)]
    pub no_tls: bool,
    /// Keep the directory in this JSON file (loaded at start, saved after every write).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Start without demo data.
    #[arg(long)]
    pub empty: bool,
    /// The name of the profile to write.
    #[arg(long, default_value = "sim")]
    pub profile_name: String,
    /// Lifetime of Kelvin tokens in seconds.
    #[arg(long, default_value_t = 3600)]
    pub token_ttl: u64,
}
