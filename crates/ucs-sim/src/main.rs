//! `ucs-sim`: runs the emulator of the Kelvin and UDM REST APIs until Ctrl-C.

use anyhow::Context;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use ucs_sim::Sim;

/// In-memory emulator of the UDM REST API and the UCS@school Kelvin REST API, for tests,
/// examples and demos. Not a server: no LDAP, no replication, no hooks.
#[derive(Debug, Parser)]
#[command(name = "ucs-sim", version)]
struct Args {
    /// Address to listen on (loopback only is recommended).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve HTTPS with a freshly generated CA and server certificate.
    #[arg(long)]
    tls: bool,
    /// Where to write the CA certificate (PEM) with --tls [default: ucs-sim-ca.pem].
    #[arg(long, requires = "tls")]
    ca_out: Option<PathBuf>,
    /// Load the directory from this JSON file if it exists; save it after every write.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Start without demo data (only the Administrator and kelvin-reader accounts).
    #[arg(long)]
    empty: bool,
    /// The Administrator's password.
    #[arg(
        long,
        env = "UCS_SIM_ADMIN_PASSWORD",
        default_value = "univention",
        hide_env_values = true
    )]
    admin_password: String,
    /// The password of cn=admin on UDM (a UCS's /etc/ldap.secret; default: random per start).
    #[arg(long, env = "UCS_SIM_LDAP_SECRET", hide_env_values = true)]
    ldap_secret: Option<String>,
    /// Lifetime of Kelvin tokens in seconds.
    #[arg(long, default_value_t = 3600)]
    token_ttl: u64,
    /// UDM property Kelvin shows in udm_properties (repeatable; the default is none).
    #[arg(long = "udm-property")]
    udm_properties: Vec<String>,
    /// Kelvin v2 reads see the directory as it was this many milliseconds ago (emulator knob).
    #[arg(long, default_value_t = 0)]
    kelvin_v2_read_lag_ms: u64,
    /// Kelvin v2 answers 503 "This instance is deprecated. Please upgrade." (emulator knob).
    #[arg(long)]
    kelvin_v2_unavailable: bool,
    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Faults to inject, e.g. `error-rate=0.05,statuses=502/503,retry-after=1,drop-rate=0.01,seed=7`
    /// (also `fail=N:STATUS`, `drop-after=N`, `fail-after=N:STATUS`).
    #[arg(long, value_parser = parse_faults)]
    faults: Option<ucs_sim::Faults>,
}

fn parse_faults(spec: &str) -> Result<ucs_sim::Faults, String> {
    spec.parse()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let args = Args::parse();
    let mut builder = Sim::builder()
        .listen(args.listen)
        .tls(args.tls)
        .empty(args.empty)
        .admin_password(args.admin_password)
        .token_ttl(Duration::from_secs(args.token_ttl))
        .kelvin_v2_read_lag(Duration::from_millis(args.kelvin_v2_read_lag_ms))
        .kelvin_v2_unavailable(args.kelvin_v2_unavailable);
    if let Some(secret) = &args.ldap_secret {
        builder = builder.ldap_secret(secret);
    }
    if let Some(state) = &args.state {
        builder = builder.state_file(state);
    }
    if args.latency_ms > 0 {
        builder = builder.latency(Duration::from_millis(args.latency_ms));
    }
    if let Some(faults) = args.faults.clone() {
        builder = builder.faults(faults);
    }
    if !args.udm_properties.is_empty() {
        builder = builder.mapped_udm_properties(args.udm_properties.clone());
    }
    let sim = builder.spawn().await?;

    println!(
        "ucs-sim: emulator of the Kelvin and UDM REST APIs (for tests and demos, not a server)"
    );
    println!("  base URL:   {}", sim.base_url());
    println!(
        "  Kelvin:     {}/v1/  (token: {}/token)",
        sim.kelvin_url(),
        sim.kelvin_url()
    );
    println!("  UDM:        {}/", sim.udm_url());
    let (admin, admin_password) = sim.admin();
    let (reader, reader_password) = sim.reader();
    println!("  accounts:   {admin} / {admin_password}  (UDM and Kelvin)");
    println!("              {reader} / {reader_password}  (Kelvin, read-only)");
    println!(
        "              cn=admin / {}  (UDM; the LDAP secret)",
        sim.ldap_secret()
    );
    if sim.store().user("demo_student").is_some() {
        println!("              demo_student, demo_teacher, demo_staff, demo_admin / univention  (school users)");
    }
    if let Some(pem) = sim.ca_pem() {
        let path = args
            .ca_out
            .clone()
            .unwrap_or_else(|| PathBuf::from("ucs-sim-ca.pem"));
        std::fs::write(&path, pem).with_context(|| format!("writing {}", path.display()))?;
        println!("  CA file:    {}", path.display());
    }
    if let Some(state) = sim.state_file() {
        println!("  state file: {}", state.display());
    }
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    sim.shutdown().await;
    Ok(())
}
