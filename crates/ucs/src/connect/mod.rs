//! Both clients from one host, one set of credentials and one CA:
//! [`Ucs::connect`], [`Ucs::builder`], and the environment
//! ([`Ucs::from_env`], [`Kelvin::from_env`], [`Udm::from_env`]).
//!
//! ```no_run
//! # fn demo() -> ucs::Result<()> {
//! let ucs = ucs::Ucs::builder("https://ucs.example.com")
//!     .credentials("Administrator", "univention")
//!     .ca_file("/etc/ssl/ucs-root-ca.pem")?
//!     .build()?;
//! let (kelvin, udm) = (ucs.kelvin(), ucs.udm());
//! # let _ = (kelvin, udm); Ok(()) }
//! ```
//!
//! # Environment variables
//!
//! The same names the `ucs` command line reads:
//!
//! | Variable | Meaning |
//! |---|---|
//! | `UCS_HOST` | the server, `https://ucs.example.com` (required) |
//! | `UCS_USER` | the account (default `Administrator`) |
//! | `UCS_PASSWORD_FILE` | a file whose first line is the password (tried first) |
//! | `UCS_PASSWORD` | the password itself |
//! | `UCS_CA_FILE` | a PEM file of CA certificates to trust, e.g. the UCS root CA |
//! | `UCS_KELVIN_API` | `v1` (default) or `v2` |
//!
//! Empty values count as unset. Kelvin is reached at
//! `<UCS_HOST>/ucsschool/kelvin`, UDM at `<UCS_HOST>/univention/udm`.

mod env;
pub mod password_file;

use std::time::Duration;

pub use env::{CA_FILE_VAR, HOST_VAR, KELVIN_API_VAR, PASSWORD_FILE_VAR, PASSWORD_VAR, USER_VAR};

use crate::error::{Error, Result};
use crate::kelvin::{ApiVersion, Kelvin, KelvinBuilder};
use crate::secret::Secret;
use crate::udm::{Udm, UdmBuilder};

/// Where UDM lives below the host.
const UDM_PATH: &str = "/univention/udm";

/// A Kelvin session and a UDM client for the same server.
#[derive(Clone, Debug)]
pub struct Ucs {
    kelvin: Kelvin,
    udm: Udm,
}

impl Ucs {
    /// Both clients of `host` (`https://ucs.example.com`), logging in as
    /// `username`, trusting the system's CA roots. For a UCS root CA, use
    /// [`Ucs::builder`] with [`UcsBuilder::ca_file`].
    pub fn connect(
        host: impl AsRef<str>,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Result<Ucs> {
        Ucs::builder(host).credentials(username, password).build()
    }

    /// Starts configuring both clients of `host`.
    pub fn builder(host: impl AsRef<str>) -> UcsBuilder {
        UcsBuilder::new(host.as_ref())
    }

    /// Both clients from the environment (see [the table](crate::connect)).
    pub fn from_env() -> Result<Ucs> {
        UcsBuilder::from_env()?.build()
    }

    /// Two clients built elsewhere, kept together.
    pub fn new(kelvin: Kelvin, udm: Udm) -> Ucs {
        Ucs { kelvin, udm }
    }

    /// The Kelvin session.
    pub fn kelvin(&self) -> &Kelvin {
        &self.kelvin
    }

    /// The UDM client.
    pub fn udm(&self) -> &Udm {
        &self.udm
    }

    /// The two clients.
    pub fn into_parts(self) -> (Kelvin, Udm) {
        (self.kelvin, self.udm)
    }
}

/// What both clients share: host, credentials, trust, timeouts. For
/// settings of one API, continue with [`UcsBuilder::kelvin_builder`] or
/// [`UcsBuilder::udm_builder`] and put the results together with
/// [`Ucs::new`].
#[derive(Clone)]
pub struct UcsBuilder {
    host: String,
    credentials: Option<(String, Secret)>,
    ca_pem: Vec<Vec<u8>>,
    accept_invalid_certs: bool,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    kelvin_api: ApiVersion,
}

impl std::fmt::Debug for UcsBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UcsBuilder")
            .field("host", &self.host)
            .field("credentials", &self.credentials)
            .field("ca_certificates", &self.ca_pem.len())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("kelvin_api", &self.kelvin_api)
            .finish()
    }
}

impl UcsBuilder {
    fn new(host: &str) -> Self {
        UcsBuilder {
            host: host.trim().trim_end_matches('/').to_string(),
            credentials: None,
            ca_pem: Vec::new(),
            accept_invalid_certs: false,
            timeout: None,
            user_agent: None,
            kelvin_api: ApiVersion::V1,
        }
    }

    /// The account both clients log in with (Kelvin: the password grant;
    /// UDM: HTTP Basic). The password is a [`Secret`].
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some((username.into(), password.into()));
        self
    }

    /// Trust the CA certificate(s) in this PEM file, e.g. the UCS root CA
    /// (`/etc/univention/ssl/ucsCA/CAcert.pem` on the Primary Directory
    /// Node, served at `https://<host>/ucs-root-ca.crt`).
    pub fn ca_file(mut self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let pem = std::fs::read(path)
            .map_err(|e| Error::Config(format!("cannot read CA file {}: {e}", path.display())))?;
        self.ca_pem.push(pem);
        Ok(self)
    }

    /// Trust the CA certificate(s) in this PEM text.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem.push(pem.into());
        self
    }

    /// **Dangerous**: accept any TLS certificate (see
    /// [`Builder::danger_accept_invalid_certs`](crate::session::Builder::danger_accept_invalid_certs)).
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Timeout of each HTTP request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// `User-Agent` header of both clients.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Kelvin API version (default v1).
    pub fn kelvin_api_version(mut self, version: ApiVersion) -> Self {
        self.kelvin_api = version;
        self
    }

    /// The server root.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The Kelvin builder with these settings.
    pub fn kelvin_builder(&self) -> Result<KelvinBuilder> {
        let builder = Kelvin::builder(&self.host).api_version(self.kelvin_api);
        self.apply(builder)
    }

    /// The UDM builder with these settings (API root `<host>/univention/udm`).
    pub fn udm_builder(&self) -> Result<UdmBuilder> {
        self.apply(Udm::builder(format!("{}{UDM_PATH}", self.host)))
    }

    /// Builds both clients (neither logs in before its first call).
    pub fn build(&self) -> Result<Ucs> {
        Ok(Ucs {
            kelvin: self.kelvin_builder()?.build()?,
            udm: self.udm_builder()?.build()?,
        })
    }

    fn apply<A>(
        &self,
        mut builder: crate::session::Builder<A>,
    ) -> Result<crate::session::Builder<A>> {
        let (username, password) = self.credentials.clone().ok_or_else(|| {
            Error::Config("Ucs needs credentials (builder.credentials(...), or UCS_USER and UCS_PASSWORD_FILE / UCS_PASSWORD)".into())
        })?;
        builder = builder
            .credentials(username, password)
            .danger_accept_invalid_certs(self.accept_invalid_certs);
        for pem in &self.ca_pem {
            builder = builder.ca_pem(pem.clone());
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(agent) = &self.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        Ok(builder)
    }
}

impl Kelvin {
    /// A Kelvin session from the environment (see [the table](crate::connect)).
    pub fn from_env() -> Result<Kelvin> {
        UcsBuilder::from_env()?.kelvin_builder()?.build()
    }
}

impl Udm {
    /// A UDM client from the environment (see [the table](crate::connect));
    /// `UCS_KELVIN_API` is ignored.
    pub fn from_env() -> Result<Udm> {
        UcsBuilder::from_env()?.udm_builder()?.build()
    }
}
