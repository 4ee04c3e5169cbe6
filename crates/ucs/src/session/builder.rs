//! The builder both clients share: connection, TLS, credentials, retries,
//! limits; `A` holds what one API adds (Kelvin's version and token leeway).

use std::time::Duration;

use reqwest::header::HeaderName;

use crate::error::{Error, Result};
use crate::http::exec::Transport;
use crate::http::limit::ConcurrencyLimit;
use crate::http::proxy::{ExplicitProxy, ProxyChoice};
use crate::http::retry::RetryPolicy;
use crate::http::settings::HttpSettings;
use crate::http::url::parse_server_url;
use crate::secret::Secret;
use crate::session::credentials::{missing, Credentials};

/// Configures a client; `A` is what the API adds
/// (`ucs::kelvin::KelvinOptions`, `ucs::udm::UdmOptions`).
pub struct Builder<A> {
    url: Result<reqwest::Url>,
    credentials: Credentials,
    settings: HttpSettings,
    proxy_credentials: Option<(String, Secret)>,
    proxy_bypass: Option<String>,
    language: Option<String>,
    retry: RetryPolicy,
    request_id_header: HeaderName,
    concurrency: Option<usize>,
    oauth2_scope: Option<String>,
    pub(crate) api: A,
}

impl<A: std::fmt::Debug> std::fmt::Debug for Builder<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("url", &self.url.as_ref().map(|u| u.as_str()).ok())
            .field("credentials", &self.credentials)
            .field("settings", &self.settings)
            .field("proxy_credentials", &self.proxy_credentials)
            .field("proxy_bypass", &self.proxy_bypass)
            .field("language", &self.language)
            .field("retry", &self.retry)
            .field("request_id_header", &self.request_id_header)
            .field("max_concurrent_requests", &self.concurrency)
            .field("oauth2_scope", &self.oauth2_scope)
            .field("api", &self.api)
            .finish()
    }
}

/// What a finished builder hands to the API's `build`.
pub(crate) struct Parts<A> {
    pub url: reqwest::Url,
    /// The user name of password credentials (empty with others).
    pub username: String,
    /// The password of password credentials (empty with others).
    pub password: Secret,
    /// The credentials as given.
    pub credentials: Credentials,
    pub transport: Transport,
    pub api: A,
}

impl<A> Builder<A> {
    /// A builder for the server at `url` (an `http(s)` URL without
    /// credentials in it; a bad URL is reported by `build`).
    pub(crate) fn new(url: &str, api: A) -> Self {
        Builder {
            url: parse_server_url(url),
            credentials: Credentials::Missing,
            settings: HttpSettings::default(),
            proxy_credentials: None,
            proxy_bypass: None,
            language: None,
            retry: RetryPolicy::default(),
            request_id_header: HeaderName::from_static("x-request-id"),
            concurrency: None,
            oauth2_scope: None,
            api,
        }
    }

    /// The account to use. The password is a [`Secret`]: it never shows up
    /// in `Debug` output, logs or errors, and is sent only to the configured
    /// server (redirects are never followed).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Credentials::Password {
            username: username.into(),
            password: password.into(),
        };
        self
    }

    /// Replaces the credentials (the API's own builder methods).
    pub(crate) fn set_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The scope of an OAuth 2 grant (checked by `into_parts`).
    pub(crate) fn set_oauth2_scope(mut self, scope: String) -> Self {
        self.oauth2_scope = Some(scope);
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

    /// A client certificate for servers that ask for one (mutual TLS): the
    /// certificate (chain) and its private key (PKCS#8, PKCS#1 or SEC1) in
    /// one PEM text. The key is kept like a [`Secret`]; the PEM is checked by
    /// `build`.
    pub fn client_identity_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.settings.set_identity_pem(pem.as_ref());
        self
    }

    /// [`Builder::client_identity_pem`] from a file (keep it `chmod 600`).
    pub fn client_identity_file(mut self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        self.settings.set_identity_file(path.as_ref())?;
        Ok(self)
    }

    /// Send every request through this HTTP proxy (`http://proxy:3128`;
    /// HTTPS requests tunnel through it with `CONNECT`, so the proxy sees
    /// neither credentials nor data). The environment's proxy variables are
    /// then ignored. Without this call the client uses what the environment
    /// says (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, read once
    /// by `build`); [`Builder::no_proxy`] ignores the environment too.
    /// A URL with credentials in it is refused: give them with
    /// [`Builder::proxy_credentials`].
    pub fn proxy(mut self, url: &str) -> Result<Self> {
        self.settings.proxy = ProxyChoice::Explicit(ExplicitProxy::parse(url)?);
        Ok(self)
    }

    /// Basic credentials for the proxy of [`Builder::proxy`]
    /// (`Proxy-Authorization`; sent to the proxy only).
    pub fn proxy_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.proxy_credentials = Some((username.into(), password.into()));
        self
    }

    /// Hosts reached without the proxy of [`Builder::proxy`], in `NO_PROXY`
    /// syntax: comma-separated names (`.example.com` and `example.com` match
    /// the domain and its subdomains), IP addresses and networks
    /// (`10.0.0.0/8`), or `*`.
    pub fn no_proxy_for(mut self, hosts: impl Into<String>) -> Self {
        self.proxy_bypass = Some(hosts.into());
        self
    }

    /// Connect directly: no proxy, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.settings.proxy = ProxyChoice::Direct;
        self
    }

    /// How long an idle connection stays in the pool (default 60 s; `None`:
    /// until the server closes it).
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections per host the pool keeps (default: no limit;
    /// 0 disables reuse).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.settings.pool_max_idle_per_host = Some(max);
        self
    }

    /// At most `max` requests of this client in flight at a time (at least
    /// 1), shared by all its clones and handles: further calls wait for a
    /// free slot. Default: 4 for UDM (the UDM REST API runs one server
    /// process unless configured otherwise, so more concurrent requests only
    /// queue there, and time out), no cap for Kelvin.
    pub fn max_concurrent_requests(mut self, max: usize) -> Self {
        self.concurrency = Some(max.max(1));
        self
    }

    /// No cap on requests in flight (the default for Kelvin).
    pub fn unlimited_concurrency(mut self) -> Self {
        self.concurrency = None;
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
    pub(crate) fn into_parts(mut self, what: &str) -> Result<Parts<A>> {
        let url = self.url?;
        if matches!(self.credentials, Credentials::Missing) {
            return Err(missing(what));
        }
        if let Some(scope) = self.oauth2_scope.take() {
            match &mut self.credentials {
                Credentials::OAuth2(config) => config.scope = Some(scope),
                _ => {
                    return Err(Error::Config(
                        "oauth2_scope needs oauth2_client_credentials(...)".into(),
                    ))
                }
            }
        }
        self.settings.proxy = proxy_choice(
            self.settings.proxy,
            self.proxy_credentials,
            self.proxy_bypass,
        )?;
        let limit = match self.concurrency {
            Some(max) => ConcurrencyLimit::new(max),
            None => ConcurrencyLimit::unlimited(),
        };
        let transport = Transport {
            http: self.settings.build()?,
            language: self.language,
            retry: self.retry,
            max_body: self.settings.max_body,
            request_id_header: self.request_id_header,
            limit,
        };
        let (username, password) = match self.credentials.password() {
            Some((user, password)) => (user.to_string(), password.clone()),
            None => (String::new(), Secret::new("")),
        };
        Ok(Parts {
            url,
            username,
            password,
            credentials: self.credentials,
            transport,
            api: self.api,
        })
    }
}

/// The proxy settings put together: credentials and exclusions belong to an
/// explicit proxy.
fn proxy_choice(
    choice: ProxyChoice,
    credentials: Option<(String, Secret)>,
    bypass: Option<String>,
) -> Result<ProxyChoice> {
    match choice {
        ProxyChoice::Explicit(mut proxy) => {
            proxy.credentials = credentials;
            proxy.bypass = bypass;
            Ok(ProxyChoice::Explicit(proxy))
        }
        _ if credentials.is_some() || bypass.is_some() => Err(Error::Config(
            "proxy_credentials and no_proxy_for need a proxy (builder.proxy(url))".into(),
        )),
        other => Ok(other),
    }
}
