//! `ucs profile list|show|set|remove`.

use serde_json::json;

use crate::cli::profile::{ProfileAction, ProfileArgs};
use crate::cli::{GlobalArgs, OutputFormat};
use crate::commands::print::{print_all, print_one};
use crate::config::{config_path, ConfigFile};
use crate::connection::Connection;
use crate::exit::{CliError, CliResult, Outcome};

/// Runs a profile action.
pub fn run(global: &GlobalArgs, args: &ProfileArgs) -> CliResult {
    let path = config_path(global.config_file.as_deref())?;
    match &args.action {
        ProfileAction::List => {
            let config = ConfigFile::load(&path)?;
            let items: Vec<_> = config
                .profiles
                .iter()
                .map(|(name, p)| {
                    let default = config.default_profile.as_deref() == Some(name.as_str());
                    json!({"name": name, "default": if default { "*" } else { "" }, "host": p.host,
                           "user": p.user, "ca_file": p.ca_file})
                })
                .collect();
            let columns =
                crate::output::Column::list(&["name", "default", "host", "user", "ca_file"]);
            print_all(OutputFormat::Table, columns, &items)
        }
        ProfileAction::Show => {
            let c = Connection::resolve(global)?;
            print_one(
                OutputFormat::Table,
                &json!({
                    "config_file": c.config_path,
                    "profile": c.profile,
                    "host": c.host,
                    "user": c.user,
                    "password": c.password_source.describe(),
                    "ca_file": c.ca_file,
                    "tls": if c.insecure { "NOT VERIFIED (--insecure-skip-tls-verify)" } else { "verified" },
                    "kelvin_api": format!("{:?}", c.kelvin_api).to_lowercase(),
                    "kelvin_url": format!("{}/ucsschool/kelvin", c.host),
                    "udm_url": c.udm_url(),
                }),
            )
        }
        ProfileAction::Set { name, default } => set(global, &path, name, *default),
        ProfileAction::Remove { name } => {
            let mut config = ConfigFile::load(&path)?;
            if config.profiles.remove(name).is_none() {
                return Err(CliError::new(format!("no profile named {name:?}")));
            }
            if config.default_profile.as_deref() == Some(name.as_str()) {
                config.default_profile = None;
            }
            config.save(&path)?;
            println!("removed profile {name} from {}", path.display());
            Ok(Outcome::Done)
        }
    }
}

fn set(global: &GlobalArgs, path: &std::path::Path, name: &str, default: bool) -> CliResult {
    if let Some(host) = &global.host {
        let ok = host.starts_with("https://") || host.starts_with("http://");
        if !ok {
            return Err(
                CliError::new(format!("--host {host:?} is not an http(s) URL"))
                    .hint("e.g. --host https://ucs.example.com"),
            );
        }
    }
    let mut config = ConfigFile::load(path)?;
    let profile = config.profiles.entry(name.to_string()).or_default();
    let fields = [
        (global.host.is_some(), "host"),
        (global.user.is_some(), "user"),
        (global.ca_file.is_some(), "ca_file"),
        (global.password_file.is_some(), "password_file"),
        (global.kelvin_api.is_some(), "kelvin_api"),
    ];
    profile.host = global.host.clone().or(profile.host.take());
    profile.user = global.user.clone().or(profile.user.take());
    profile.ca_file = global.ca_file.clone().or(profile.ca_file.take());
    profile.password_file = global
        .password_file
        .clone()
        .or(profile.password_file.take());
    profile.kelvin_api = global.kelvin_api.or(profile.kelvin_api);
    if default || config.default_profile.is_none() {
        config.default_profile = Some(name.to_string());
    }
    config.save(path)?;
    let changed: Vec<&str> = fields
        .iter()
        .filter(|(set, _)| *set)
        .map(|(_, f)| *f)
        .collect();
    println!(
        "saved profile {name} in {} (changed: {})",
        path.display(),
        if changed.is_empty() {
            "nothing".to_string()
        } else {
            changed.join(", ")
        }
    );
    Ok(Outcome::Done)
}
