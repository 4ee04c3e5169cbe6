//! The UCS@school Kelvin REST API client.
//!
//! ```no_run
//! # async fn demo() -> ucs::Result<()> {
//! use ucs::kelvin::{Kelvin, NewUser, UserFilter};
//! use ucs::roles::Role;
//!
//! let kelvin = Kelvin::builder("https://ucs.example.com")
//!     .credentials("Administrator", "univention")
//!     .ca_file("/etc/ssl/ucs-root-ca.pem")?
//!     .build()?;
//! let user = kelvin
//!     .users()
//!     .create(NewUser::student("Jürgen", "Müller").name("jmueller").school("DEMOSCHOOL").class("1a")
//!         .record_uid("r-1").source_uid("sis"))
//!     .await?;
//! let teachers = kelvin.users().search(&UserFilter::new().school("DEMOSCHOOL").role(Role::Teacher)).await?;
//! # let _ = (user, teachers);
//! # Ok(()) }
//! ```
//!
//! Every call gets a fresh `X-Request-ID` (or the caller's, see
//! [`Kelvin::with_request_id`]), is retried on 429/502/503/504 and connection
//! errors when that is safe (never a blind repeat of a create), and logs one
//! `tracing` span without bodies or credentials.

mod bulk;
mod call;
mod fill;
mod groups;
mod models;
mod roles_api;
mod schools;
mod token;
mod urls;
mod users;

use std::sync::Arc;
use std::time::Duration;

pub use bulk::{BulkOptions, BulkProgress, BulkResult};
pub use fill::KelvinTaken;
pub use groups::{
    ClassPatch, Classes, GroupPatch, NewSchoolClass, NewWorkGroup, SchoolClass, WorkGroup,
    WorkGroupPatch, WorkGroups,
};
pub use models::{PasswordHashes, User};
pub use roles_api::{RoleInfo, Roles};
pub use schools::{NewSchool, School, Schools};
pub use users::{NewUser, UserFilter, UserPatch, Users};

use crate::error::{Error, Result};
use crate::http::exec::{Defaults, Overrides};
use crate::http::retry::RetryPolicy;
use crate::http::HttpSettings;
use crate::secret::Secret;
use token::TokenSource;
use urls::Urls;

/// Which Kelvin API to talk to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/ucsschool/kelvin/v1`: reads and writes the primary directory.
    #[default]
    V1,
    /// `/ucsschool/kelvin/v2`: reads from an eventually consistent replica
    /// (answers 503 while it is not ready, which is retried).
    V2,
}

impl ApiVersion {
    fn path(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

/// Configures a [`Kelvin`] session.
#[derive(Debug)]
pub struct KelvinBuilder {
    host: String,
    username: Option<String>,
    password: Option<Secret>,
    settings: HttpSettings,
    language: Option<String>,
    version: ApiVersion,
    retry: RetryPolicy,
    token_leeway: Duration,
    error: Option<Error>,
}

crate::http::connection_options!(KelvinBuilder);

impl KelvinBuilder {
    /// The account to log in with (a member of `ucsschool-kelvin-rest-api-admins`
    /// or, read-only, `-readers`).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.username = Some(username.into());
        self.password = Some(password.into());
        self
    }

    /// API version (default v1).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// How long before the token's expiry it is refreshed (default 60 s).
    pub fn token_leeway(mut self, leeway: Duration) -> Self {
        self.token_leeway = leeway;
        self
    }

    /// Builds the session. It logs in lazily, on the first call.
    pub fn build(self) -> Result<Kelvin> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let username = self.username.ok_or_else(|| {
            Error::Config("Kelvin needs credentials (KelvinBuilder::credentials)".into())
        })?;
        let password = self.password.unwrap_or_else(|| Secret::new(""));
        let http = self.settings.build()?;
        let token = TokenSource::new(
            http.clone(),
            &self.host,
            username,
            password,
            self.token_leeway,
            self.retry.clone(),
        );
        Ok(Kelvin {
            inner: Arc::new(Inner {
                urls: Urls::new(&self.host, self.version.path()),
                host: self.host,
                http,
                version: self.version,
                defaults: Defaults {
                    language: self.language,
                    retry: self.retry,
                },
                token,
            }),
            overrides: Overrides::default(),
        })
    }
}

pub(crate) struct Inner {
    host: String,
    http: reqwest::Client,
    version: ApiVersion,
    defaults: Defaults,
    token: TokenSource,
    urls: Urls,
}

/// A Kelvin session: one HTTP client (connection reuse) and one access token
/// shared by all clones. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Kelvin {
    inner: Arc<Inner>,
    overrides: Overrides,
}

impl std::fmt::Debug for Kelvin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kelvin")
            .field("host", &self.inner.host)
            .field("version", &self.inner.version)
            .finish_non_exhaustive()
    }
}

impl Kelvin {
    /// Starts configuring a session for the server at `host`
    /// (`https://ucs.example.com`; a trailing `/ucsschool/kelvin` is accepted).
    pub fn builder(host: impl Into<String>) -> KelvinBuilder {
        let host = host.into();
        let trimmed = host.trim_end_matches('/');
        let trimmed = trimmed
            .strip_suffix("/ucsschool/kelvin")
            .unwrap_or(trimmed)
            .to_string();
        let error = match reqwest::Url::parse(&trimmed) {
            Ok(url) if url.scheme() == "https" || url.scheme() == "http" => None,
            _ => Some(Error::Config(format!("not an http(s) URL: {host:?}"))),
        };
        KelvinBuilder {
            host: trimmed,
            username: None,
            password: None,
            settings: HttpSettings::default(),
            language: None,
            version: ApiVersion::V1,
            retry: RetryPolicy::default(),
            token_leeway: Duration::from_secs(60),
            error,
        }
    }

    /// The same session with another `Accept-Language` for the calls made
    /// through the returned handle; the session itself is unchanged.
    pub fn with_language(&self, language: impl Into<String>) -> Kelvin {
        let mut k = self.clone();
        k.overrides.language = Some(language.into());
        k
    }

    /// The same session sending this `X-Request-ID` on the calls made through
    /// the returned handle (to correlate with your own logs).
    pub fn with_request_id(&self, request_id: impl Into<String>) -> Kelvin {
        let mut k = self.clone();
        k.overrides.request_id = Some(request_id.into());
        k
    }

    /// The same session with another retry policy for the calls made through
    /// the returned handle.
    pub fn with_retry(&self, policy: RetryPolicy) -> Kelvin {
        let mut k = self.clone();
        k.overrides.retry = Some(policy);
        k
    }

    /// The API version in use.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.version
    }

    /// The server root URL.
    pub fn host(&self) -> &str {
        &self.inner.host
    }

    /// How many times the session has logged in so far (token requests).
    pub fn logins(&self) -> u64 {
        self.inner.token.logins()
    }

    /// School users.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// Schools (OUs).
    pub fn schools(&self) -> Schools<'_> {
        Schools::new(self)
    }

    /// School classes, addressed by school and name.
    pub fn classes(&self) -> Classes<'_> {
        Classes::new(self)
    }

    /// Workgroups, addressed by school and name.
    pub fn workgroups(&self) -> WorkGroups<'_> {
        WorkGroups::new(self)
    }

    /// The UCS@school roles.
    pub fn roles(&self) -> Roles<'_> {
        Roles::new(self)
    }

    pub(crate) fn urls(&self) -> &Urls {
        &self.inner.urls
    }
}
