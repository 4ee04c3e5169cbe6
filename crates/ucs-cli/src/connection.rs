//! One resolved connection: the profile, overridden by the environment and the options, and
//! the Kelvin and UDM clients built from it.

use std::cell::OnceCell;
use std::path::PathBuf;
use std::time::Duration;

use ucs::kelvin::{ApiVersion, Kelvin};
use ucs::udm::Udm;
use ucs::Secret;

use crate::cli::{GlobalArgs, KelvinApi};
use crate::config::{config_path, ConfigFile};
use crate::exit::CliError;
use crate::password::PasswordSource;

/// Where UDM lives below the host.
pub const UDM_PATH: &str = "/univention/udm";

/// A connection to one server.
#[derive(Debug)]
pub struct Connection {
    /// The profile it came from, if any.
    pub profile: Option<String>,
    /// `https://host[:port]`, without a trailing slash.
    pub host: String,
    /// The account.
    pub user: String,
    /// The CA file to trust.
    pub ca_file: Option<PathBuf>,
    /// Whether TLS verification is off.
    pub insecure: bool,
    /// Kelvin API version.
    pub kelvin_api: KelvinApi,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Where the password comes from.
    pub password_source: PasswordSource,
    /// The config file (for commands that change the profile).
    pub config_path: PathBuf,
    password: OnceCell<Secret>,
}

/// The user agent the command line sends.
pub fn user_agent() -> String {
    format!("ucs-cli/{}", env!("CARGO_PKG_VERSION"))
}

impl Connection {
    /// Resolves the connection from the options, the environment and the profile.
    pub fn resolve(global: &GlobalArgs) -> Result<Connection, CliError> {
        let config_path = config_path(global.config_file.as_deref())?;
        let config = ConfigFile::load(&config_path)?;
        let selected = config.select(global.profile.as_deref())?;
        let (name, profile) = match selected {
            Some((name, profile)) => (Some(name), profile),
            None => (None, Default::default()),
        };
        let host = global.host.clone().or(profile.host.clone()).ok_or_else(|| {
            CliError::new("no server: no --host, no UCS_HOST and no profile with a host").hint(
                "add a profile (`ucs profile set NAME --host https://ucs.example.com --user Administrator --default`) \
                 or try the emulator: `ucs sim`",
            )
        })?;
        let user = global
            .user
            .clone()
            .or(profile.user.clone())
            .unwrap_or_else(|| "Administrator".to_string());
        let password_source = PasswordSource::choose(
            global.password_file.as_deref(),
            profile.password_file.as_deref(),
        );
        Ok(Connection {
            profile: name,
            host: host.trim_end_matches('/').to_string(),
            user,
            ca_file: global.ca_file.clone().or(profile.ca_file),
            insecure: global.insecure,
            kelvin_api: global
                .kelvin_api
                .or(profile.kelvin_api)
                .unwrap_or(KelvinApi::V1),
            timeout: Duration::from_secs(global.timeout.max(1)),
            password_source,
            config_path,
            password: OnceCell::new(),
        })
    }

    /// The password, read once.
    pub fn password(&self) -> Result<Secret, CliError> {
        if let Some(secret) = self.password.get() {
            return Ok(secret.clone());
        }
        let secret = self.password_source.read(&self.user, &self.host)?;
        Ok(self.password.get_or_init(|| secret).clone())
    }

    /// Prints the loud warning when TLS verification is off.
    pub fn warn_if_insecure(&self) {
        if self.insecure {
            eprintln!(
                "WARNING: TLS certificate verification is OFF (--insecure-skip-tls-verify). Anyone on the \
                 network path can read the password and the data. Use --ca-file or `ucs doctor` instead."
            );
        }
    }

    /// The UDM API root.
    pub fn udm_url(&self) -> String {
        format!("{}{UDM_PATH}", self.host)
    }

    /// A Kelvin session (logs in on the first call).
    pub fn kelvin(&self) -> Result<Kelvin, CliError> {
        self.warn_if_insecure();
        let version = match self.kelvin_api {
            KelvinApi::V1 => ApiVersion::V1,
            KelvinApi::V2 => ApiVersion::V2,
        };
        let mut builder = Kelvin::builder(&self.host)
            .credentials(&self.user, self.password()?)
            .api_version(version)
            .timeout(self.timeout)
            .user_agent(user_agent())
            .danger_accept_invalid_certs(self.insecure);
        if let Some(ca) = &self.ca_file {
            builder = builder.ca_file(ca)?;
        }
        Ok(builder.build()?)
    }

    /// A UDM client.
    pub fn udm(&self) -> Result<Udm, CliError> {
        self.warn_if_insecure();
        let mut builder = Udm::builder(self.udm_url())
            .credentials(&self.user, self.password()?)
            .timeout(self.timeout)
            .user_agent(user_agent())
            .danger_accept_invalid_certs(self.insecure);
        if let Some(ca) = &self.ca_file {
            builder = builder.ca_file(ca)?;
        }
        Ok(builder.build()?)
    }
}
