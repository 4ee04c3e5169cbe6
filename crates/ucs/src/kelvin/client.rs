//! The Kelvin session: [`Kelvin`] (a [`Client`] with what Kelvin needs
//! besides the shared core), its builder and the API version it talks to.

use std::sync::Arc;
use std::time::Duration;

use super::token::TokenSource;
use super::urls::Urls;
use crate::error::Result;
use crate::session::{Builder, Client, Core};

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
    pub(super) fn path(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

/// A Kelvin session: one HTTP client (connection reuse) and one access token
/// shared by all clones. Cheap to clone; `Send + Sync + 'static`, so clones
/// (and the resource handles made from them) can move into `tokio::spawn`.
pub type Kelvin = Client<KelvinApi>;

/// Configures a [`Kelvin`] session (see [`Kelvin::builder`]).
pub type KelvinBuilder = Builder<KelvinOptions>;

/// What a Kelvin builder adds to the shared settings.
#[derive(Clone, Debug)]
pub struct KelvinOptions {
    version: ApiVersion,
    token_leeway: Duration,
}

/// What a Kelvin session keeps besides the shared core.
pub struct KelvinApi {
    host: String,
    version: ApiVersion,
    urls: Urls,
    token: Arc<TokenSource>,
}

impl Builder<KelvinOptions> {
    /// API version (default v1).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api.version = version;
        self
    }

    /// How long before the token's expiry it is refreshed (default 60 s).
    pub fn token_leeway(mut self, leeway: Duration) -> Self {
        self.api.token_leeway = leeway;
        self
    }

    /// Builds the session. It logs in lazily, on the first call.
    pub fn build(self) -> Result<Kelvin> {
        let parts = self.into_parts("Kelvin")?;
        let host = parts.url.as_str().trim_end_matches('/').to_string();
        let token = Arc::new(TokenSource::new(
            parts.transport.clone(),
            &host,
            parts.username,
            parts.password,
            parts.api.token_leeway,
        ));
        Ok(Client::new(Core {
            transport: parts.transport,
            auth: token.clone(),
            url: parts.url,
            api: KelvinApi {
                urls: Urls::new(&host, parts.api.version.path()),
                host,
                version: parts.api.version,
                token,
            },
        }))
    }
}

impl std::fmt::Debug for Client<KelvinApi> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kelvin")
            .field("host", &self.api().host)
            .field("version", &self.api().version)
            .finish_non_exhaustive()
    }
}

impl Client<KelvinApi> {
    /// Starts configuring a session for the server at `host`
    /// (`https://ucs.example.com`; a trailing `/ucsschool/kelvin` is accepted).
    /// A URL with credentials in it (`https://user:pw@host`) is refused by
    /// `build`.
    pub fn builder(host: impl AsRef<str>) -> KelvinBuilder {
        let host = host.as_ref();
        let trimmed = host.trim_end_matches('/');
        let trimmed = trimmed.strip_suffix("/ucsschool/kelvin").unwrap_or(trimmed);
        Builder::new(
            trimmed,
            KelvinOptions {
                version: ApiVersion::V1,
                token_leeway: Duration::from_secs(60),
            },
        )
    }

    /// The API version in use.
    pub fn api_version(&self) -> ApiVersion {
        self.api().version
    }

    /// The server root URL.
    pub fn host(&self) -> &str {
        &self.api().host
    }

    /// How many login requests the session has sent so far.
    pub fn logins(&self) -> u64 {
        self.api().token.logins()
    }

    pub(crate) fn urls(&self) -> &Urls {
        &self.api().urls
    }
}
