//! The builder both clients share: connection, TLS, credentials, retries,
//! limits; `A` holds what one API adds (Kelvin's version and token leeway).

use std::time::Duration;

use reqwest::header::HeaderName;

use crate::error::{Error, Result};
use crate::http::exec::Transport;
use crate::http::retry::RetryPolicy;
use crate::http::settings::HttpSettings;
use crate::http::url::parse_server_url;
use crate::secret::Secret;

/// Configures a client; `A` is what the API adds
/// (`ucs::kelvin::KelvinOptions`, `ucs::udm::UdmOptions`).
pub struct Builder<A> {
    url: Result<reqwest::Url>,
    username: Option<String>,
    password: Option<Secret>,
    settings: HttpSettings,
    language: Option<String>,
    retry: RetryPolicy,
    request_id_header: HeaderName,
    pub(crate) api: A,
}

impl<A: std::fmt::Debug> std::fmt::Debug for Builder<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("url", &self.url.as_ref().map(|u| u.as_str()).ok())
            .field("username", &self.username)
            .field("password", &self.password)
            .field("settings", &self.settings)
            .field("language", &self.language)
            .field("retry", &self.retry)
            .field("api", &self.api)
            .finish()
    }
}

/// What a finished builder hands to the API's `build`.
pub(crate) struct Parts<A> {
    pub url: reqwest::Url,
    pub username: String,
    pub password: Secret,
    pub transport: Transport,
    pub api: A,
}

impl<A> Builder<A> {
    /// A builder for the server at `url` (an `http(s)` URL without
    /// credentials in it; a bad URL is reported by `build`).
    pub(crate) fn new(url: &str, api: A) -> Self {
        Builder {
            url: parse_server_url(url),
            username: None,
            password: None,
            settings: HttpSettings::default(),
            language: None,
            retry: RetryPolicy::default(),
            request_id_header: HeaderName::from_static("x-request-id"),
            api,
        }
    }

    /// The account to use. The password is a [`Secret`]: it never shows up
    /// in `Debug` output, logs or errors, and is sent only to the configured
    /// server (redirects are never followed).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.username = Some(username.into());
        self.password = Some(password.into());
        self
    }

    /// Trust the CA certificate(s) in this PEM file instead of the public
    /// roots, e.g. the UCS root CA (`/etc/univention/ssl/ucsCA/CAcert.pem` on
    /// the server, or `https://<server>/ucs-root-ca.crt`).
    pub fn ca_file(mut self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        self.settings.add_ca_file(path.as_ref())?;
        Ok(self)
    }

    /// Trust the CA certificate(s) in this PEM text.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.ca_pem.push(pem.into());
        self
    }

    /// **Dangerous**: accept any TLS certificate (self-signed, expired,
    /// another host). Anyone on the network path can read the credentials
    /// and the data. Prefer `ca_file`. Logs a warning.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.settings.accept_invalid_certs = accept;
        self
    }

    /// Timeout of each HTTP request, body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Timeout of establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// `Accept-Language` for every call (per handle: `with_language`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// `User-Agent` header (default `ucs-rs/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.settings.user_agent = agent.into();
        self
    }

    /// The largest answer body read, in bytes (default 64 MiB). A longer
    /// answer fails with [`Error::TooLarge`] and is not retried.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.settings.max_body = bytes.max(1);
        self
    }

    /// The header that carries the request id (default `X-Request-ID`).
    pub fn request_id_header(mut self, name: &str) -> Result<Self> {
        self.request_id_header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("not an HTTP header name: {name:?}")))?;
        Ok(self)
    }

    /// Checks the settings and builds the shared parts; `what` names the API
    /// in the error for missing credentials.
    pub(crate) fn into_parts(self, what: &str) -> Result<Parts<A>> {
        let url = self.url?;
        let username = self.username.ok_or_else(|| {
            Error::Config(format!(
                "{what} needs credentials (builder.credentials(...))"
            ))
        })?;
        let transport = Transport {
            http: self.settings.build()?,
            language: self.language,
            retry: self.retry,
            max_body: self.settings.max_body,
            request_id_header: self.request_id_header,
        };
        Ok(Parts {
            url,
            username,
            password: self.password.unwrap_or_else(|| Secret::new("")),
            transport,
            api: self.api,
        })
    }
}
