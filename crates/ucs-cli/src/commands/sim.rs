//! `ucs sim`: the embedded emulator, with a ready profile written for it.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ucs_sim::{Sim, SimHandle};

use crate::cli::sim::SimArgs;
use crate::cli::GlobalArgs;
use crate::config::{config_path, write_private, ConfigFile, Profile};
use crate::exit::{CliError, CliResult, Outcome};

/// The UDM properties a Kelvin server configured for syncs maps: the defaults and the
/// purge timestamp that deactivations set (so that `ucs sync` can be tried here).
fn mapped_for_sync() -> Vec<String> {
    let mut mapped: Vec<String> = ucs_sim::DEFAULT_MAPPED_UDM_PROPERTIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    mapped.push(ucs_sync::PURGE.to_string());
    mapped
}

/// An emulator for one command (`ucs sync run --sim`): plain HTTP on a free loopback port.
pub async fn embedded() -> anyhow::Result<SimHandle> {
    Sim::builder()
        .mapped_udm_properties(mapped_for_sync())
        .spawn()
        .await
}

/// The address a client reaches the emulator at: its IP address, the loopback address of the
/// same family when it listens on all addresses (the certificate names both loopback
/// addresses). Not `localhost`: Kelvin takes references (`school`, `roles`, `users`) only as
/// URLs whose host has a top-level domain or is an IP address (pydantic 1.10 `HttpUrl`, used
/// by the models of Kelvin 4.0.0 `routers/v1/*.py`), and the URLs the client sends carry the
/// host it was given.
pub fn client_url(sim: &SimHandle) -> String {
    let addr = sim.local_addr();
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let scheme = if sim.ca_pem().is_some() {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{}", std::net::SocketAddr::new(ip, addr.port()))
}

/// Starts the emulator, writes the profile, serves until Ctrl-C or SIGTERM.
pub async fn run(global: &GlobalArgs, args: &SimArgs) -> CliResult {
    let path = config_path(global.config_file.as_deref())?;
    let mut builder = Sim::builder()
        .mapped_udm_properties(mapped_for_sync())
        .listen(args.listen)
        .tls(!args.no_tls)
        .empty(args.empty)
        .token_ttl(Duration::from_secs(args.token_ttl.max(1)));
    if let Some(state) = &args.state {
        builder = builder.state_file(state);
    }
    let sim = builder.spawn().await.map_err(|e| {
        CliError::new(format!("cannot start the emulator: {e:#}")).hint("try another --listen port")
    })?;
    let became_default = write_profile(&path, &args.profile_name, &sim)?;
    announce(&sim, &args.profile_name, &path, became_default)?;
    wait_for_stop().await;
    sim.shutdown().await;
    eprintln!("ucs sim: stopped");
    Ok(Outcome::Done)
}

/// Writes the CA and the password file next to the config file and the profile into it;
/// returns whether it became the default profile.
fn write_profile(config: &Path, name: &str, sim: &SimHandle) -> Result<bool, CliError> {
    let dir = config
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let (user, password) = sim.admin();
    let password_file = dir.join(format!("{name}.password"));
    write_private(&password_file, format!("{password}\n").as_bytes())?;
    let ca_file = match sim.ca_pem() {
        Some(pem) => {
            let file = dir.join(format!("{name}-ca.pem"));
            write_private(&file, pem.as_bytes())?;
            Some(file)
        }
        None => None,
    };
    let mut file = ConfigFile::load(config)?;
    file.profiles.insert(
        name.to_string(),
        Profile {
            host: Some(client_url(sim)),
            user: Some(user),
            ca_file,
            password_file: Some(password_file),
            kelvin_api: None,
        },
    );
    let became_default = file.default_profile.is_none();
    if became_default {
        file.default_profile = Some(name.to_string());
    }
    file.save(config)?;
    Ok(became_default)
}

fn announce(sim: &SimHandle, name: &str, config: &Path, became_default: bool) -> CliResult<()> {
    let (admin, _) = sim.admin();
    let (reader, _) = sim.reader();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "ucs sim: emulator of the Kelvin and UDM REST APIs (for trying and tests, not a server)"
    )?;
    writeln!(out, "  base URL: {}", client_url(sim))?;
    writeln!(
        out,
        "  profile:  {name} in {}{}",
        config.display(),
        if became_default { " (the default)" } else { "" }
    )?;
    writeln!(
        out,
        "  accounts: {admin} (Kelvin and UDM); {reader} (Kelvin, read-only); password univention"
    )?;
    writeln!(out, "  try:      ucs --profile {name} doctor")?;
    writeln!(
        out,
        "            ucs --profile {name} kelvin users list --school DEMOSCHOOL"
    )?;
    writeln!(
        out,
        "            ucs --profile {name} --user {reader} doctor"
    )?;
    writeln!(
        out,
        "ucs sim: ready at {} (Ctrl-C stops it)",
        client_url(sim)
    )?;
    out.flush()?;
    Ok(())
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
