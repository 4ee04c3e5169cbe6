//! The config file with the connection profiles (`~/.config/ucs/config.toml`):
//!
//! ```toml
//! default_profile = "school"
//!
//! [profiles.school]
//! host = "https://ucs.school.example"
//! user = "Administrator"
//! ca_file = "/home/admin/.config/ucs/school-ca.pem"
//! password_file = "/home/admin/.config/ucs/school.password"
//! kelvin_api = "v1"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cli::KelvinApi;
use crate::exit::CliError;

/// Config files larger than this are refused (a profile file is a few hundred bytes).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used without --profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// The profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One named server connection. No password: at most the path of a file holding it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// `https://ucs.example.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// PEM file with the CA certificate(s) to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// A file whose first line is the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_file: Option<PathBuf>,
    /// Kelvin API version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kelvin_api: Option<KelvinApi>,
}

/// Where the config file is: the option / `UCS_CONFIG`, else the XDG config directory.
pub fn config_path(explicit: Option<&Path>) -> Result<PathBuf, CliError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    dirs::config_dir()
        .map(|dir| dir.join("ucs").join("config.toml"))
        .ok_or_else(|| {
            CliError::new("cannot find the config directory")
                .hint("set UCS_CONFIG or --config-file")
        })
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<ConfigFile, CliError> {
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => {
                return Err(CliError::new(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        if metadata.len() > MAX_CONFIG_BYTES {
            return Err(CliError::new(format!(
                "{} is larger than {MAX_CONFIG_BYTES} bytes; is it the right file?",
                path.display()
            )));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
        toml::from_str(&text).map_err(|e| {
            CliError::new(format!(
                "{} is not a valid config file: {e}",
                path.display()
            ))
        })
    }

    /// Writes the file (creating its directory; temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), CliError> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| CliError::new(format!("cannot serialize the config: {e}")))?;
        write_private(path, text.as_bytes())
    }

    /// The profile `name`, or the default one; `None` when neither is set.
    pub fn select(&self, name: Option<&str>) -> Result<Option<(String, Profile)>, CliError> {
        let name = match name.or(self.default_profile.as_deref()) {
            Some(name) => name,
            None => return Ok(None),
        };
        match self.profiles.get(name) {
            Some(profile) => Ok(Some((name.to_string(), profile.clone()))),
            None => Err(
                CliError::new(format!("no profile named {name:?}")).hint(format!(
                "known profiles: {}; add one with `ucs profile set {name} --host URL --user NAME`",
                self.names()
            )),
            ),
        }
    }

    fn names(&self) -> String {
        if self.profiles.is_empty() {
            "none".into()
        } else {
            self.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    }
}

/// Writes `bytes` to `path` readable by the owner only (directory created, atomically).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::new(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension("tmp-ucs");
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(fail)?;
        file.write_all(bytes).map_err(fail)?;
        file.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_selects_the_default() {
        let text = r#"
default_profile = "school"
[profiles.school]
host = "https://ucs.example"
user = "Administrator"
kelvin_api = "v2"
"#;
        let config: ConfigFile = toml::from_str(text).unwrap();
        let (name, profile) = config.select(None).unwrap().unwrap();
        assert_eq!(name, "school");
        assert_eq!(profile.kelvin_api, Some(KelvinApi::V2));
        let again: ConfigFile = toml::from_str(&toml::to_string_pretty(&config).unwrap()).unwrap();
        assert_eq!(again, config);
    }

    #[test]
    fn unknown_profile_names_the_known_ones() {
        let config: ConfigFile = toml::from_str("[profiles.a]\n[profiles.b]\n").unwrap();
        let err = config.select(Some("c")).unwrap_err();
        assert_eq!(err.message, "no profile named \"c\"");
        assert!(err.hint.unwrap().starts_with("known profiles: a, b;"));
    }

    #[test]
    fn a_password_key_is_refused() {
        let err = toml::from_str::<ConfigFile>("[profiles.a]\npassword = \"x\"\n").unwrap_err();
        assert!(
            err.to_string().contains("unknown field `password`"),
            "{err}"
        );
    }
}
