//! Starting and controlling a simulator: [`Sim::builder`], [`SimBuilder`], [`SimHandle`].

use crate::app::App;
use crate::catalog::Catalog;
use crate::faults::{FaultInjector, Faults};
use crate::inspect::SimStore;
use crate::jwt::TokenIssuer;
use crate::recorder::{RecordedRequest, Recorder};
use crate::seed;
use crate::server::{self, Traffic};
use crate::store::Store;
use crate::udm_state::progress::Moves;
use crate::udm_state::search_cache::SearchCache;
use anyhow::Context;
use axum::routing::any;
use axum::Router;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Entry point: `Sim::builder()...spawn().await`.
#[derive(Debug, Clone, Copy)]
pub struct Sim;

impl Sim {
    /// A builder with the defaults: seeded demo data, admin password `univention`, token TTL
    /// 60 minutes, no latency, no faults, no state file, plain HTTP on an ephemeral port of
    /// 127.0.0.1.
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }
}

/// UDM properties Kelvin shows in `udm_properties` unless configured otherwise: none, as on
/// a fresh Kelvin 4.0.0 (its `mapped_udm_properties.json` configures none).
pub const DEFAULT_MAPPED_UDM_PROPERTIES: [&str; 0] = [];

/// Configuration of a simulator.
#[derive(Clone)]
pub struct SimBuilder {
    empty: bool,
    admin_password: String,
    ldap_secret: Option<String>,
    token_ttl: Duration,
    latency: Duration,
    faults: Faults,
    state_file: Option<PathBuf>,
    tls: bool,
    listen: SocketAddr,
    base_dn: String,
    mapped_udm_properties: Vec<String>,
    request_log_limit: usize,
    kelvin_v2_read_lag: Duration,
    kelvin_v2_unavailable: bool,
}

impl fmt::Debug for SimBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimBuilder")
            .field("empty", &self.empty)
            .field("admin_password", &"<redacted>")
            .field("ldap_secret", &"<redacted>")
            .field("token_ttl", &self.token_ttl)
            .field("latency", &self.latency)
            .field("faults", &self.faults)
            .field("state_file", &self.state_file)
            .field("tls", &self.tls)
            .field("listen", &self.listen)
            .field("base_dn", &self.base_dn)
            .finish()
    }
}

impl Default for SimBuilder {
    fn default() -> Self {
        Self {
            empty: false,
            admin_password: seed::DEMO_PASSWORD.to_string(),
            ldap_secret: None,
            token_ttl: Duration::from_secs(3600),
            latency: Duration::ZERO,
            faults: Faults::default(),
            state_file: None,
            tls: false,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_dn: "dc=example,dc=com".into(),
            mapped_udm_properties: DEFAULT_MAPPED_UDM_PROPERTIES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            request_log_limit: 10_000,
            kelvin_v2_read_lag: Duration::ZERO,
            kelvin_v2_unavailable: false,
        }
    }
}

impl SimBuilder {
    /// `true`: no demo data, only the infrastructure (containers, system groups, the mail
    /// domain `example.com`) and the Administrator and `kelvin-reader` accounts.
    pub fn empty(mut self, empty: bool) -> Self {
        self.empty = empty;
        self
    }

    /// The Administrator's password (default `univention`).
    pub fn admin_password(mut self, password: impl Into<String>) -> Self {
        self.admin_password = password.into();
        self
    }

    /// The password of `cn=admin`, the LDAP administrator, which a UCS keeps in
    /// `/etc/ldap.secret` and the UDM REST API checks by an LDAP bind (`module.py`
    /// `_auth_get_userdn`). Default: a random one per start ([`SimHandle::ldap_secret`]), so
    /// that no client passes here with a password the real `cn=admin` does not have.
    pub fn ldap_secret(mut self, secret: impl Into<String>) -> Self {
        self.ldap_secret = Some(secret.into());
        self
    }

    /// Lifetime of Kelvin tokens (default 60 minutes).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Delay added to every response.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Fault injection from the first request on.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Load the directory from this JSON file if it exists (instead of seeding), and save it
    /// there after every write (atomically: temporary file, then rename).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Serve HTTPS with a generated CA and server certificate (see [`SimHandle::ca_pem`]).
    /// With a [`state_file`](SimBuilder::state_file), the CA's key is kept beside it
    /// (`<state>.ca-key.pem`, mode 600), so a client that saved the CA keeps trusting the
    /// emulator after a restart.
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn listen(mut self, address: SocketAddr) -> Self {
        self.listen = address;
        self
    }

    /// The LDAP base DN (default `dc=example,dc=com`).
    pub fn base_dn(mut self, base_dn: impl Into<String>) -> Self {
        self.base_dn = base_dn.into();
        self
    }

    /// UDM properties Kelvin accepts and shows in `udm_properties` (the server's
    /// "mapped UDM properties"; default [`DEFAULT_MAPPED_UDM_PROPERTIES`]).
    pub fn mapped_udm_properties<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.mapped_udm_properties = names.into_iter().map(Into::into).collect();
        self
    }

    /// How many requests [`SimHandle::requests`] keeps (default 10,000; older ones are
    /// forgotten, [`SimHandle::request_count`] counts all).
    pub fn request_log_limit(mut self, limit: usize) -> Self {
        self.request_log_limit = limit;
        self
    }

    /// Kelvin v2 reads see the directory as it was `lag` ago (default zero). An emulator knob:
    /// the real Kelvin 4.0.0 reads v2 from a database that follows LDAP "usually in the range
    /// of 1 to 2 seconds" (its changelog), without any signal of the lag.
    pub fn kelvin_v2_read_lag(mut self, lag: Duration) -> Self {
        self.kelvin_v2_read_lag = lag;
        self
    }

    /// Kelvin v2 answers every request with 503 `This instance is deprecated. Please
    /// upgrade.` (default off). An emulator knob for "not ready": that 503 is the only one the
    /// real Kelvin 4.0.0 sends (when its database is not at the expected revision).
    pub fn kelvin_v2_unavailable(mut self, unavailable: bool) -> Self {
        self.kelvin_v2_unavailable = unavailable;
        self
    }

    /// The directory: loaded from the state file if there is one (with the configured
    /// accounts ensured), else seeded; saved to the state file at once.
    fn open_store(&self, catalog: &Catalog) -> anyhow::Result<Store> {
        let loaded = match &self.state_file {
            Some(path) => crate::store::state_file::load(path)?,
            None => None,
        };
        let from_file = loaded.is_some();
        let mut tree = match loaded {
            Some(tree) => tree,
            None => seed::new_tree(&self.base_dn)?,
        };
        if from_file {
            seed::ensure_accounts(&mut tree, catalog, &self.admin_password)?;
        } else {
            seed::seed(&mut tree, catalog, self.empty, &self.admin_password)?;
        }
        let store = Store::new(tree, self.state_file.clone());
        store
            .save_now()
            .with_context(|| format!("writing the state file {:?}", self.state_file))?;
        Ok(store)
    }

    /// The CA and server certificate when serving HTTPS (the CA's key kept beside a state
    /// file).
    fn tls_setup(&self) -> anyhow::Result<Option<crate::tls::TlsSetup>> {
        if !self.tls {
            return Ok(None);
        }
        Ok(Some(match &self.state_file {
            Some(state) => crate::tls::generate_with_kept_ca(&ca_key_path(state))?,
            None => crate::tls::generate()?,
        }))
    }

    /// The shared state of both APIs, with the builder's Kelvin switches applied.
    fn app(&self, store: Store, catalog: Catalog, scheme: &'static str, host: String) -> Arc<App> {
        let app = Arc::new(App {
            store,
            catalog,
            tokens: TokenIssuer::new(self.token_ttl),
            scheme,
            default_host: host,
            mapped_udm_properties: self.mapped_udm_properties.clone(),
            moves: Moves::default(),
            searches: SearchCache::default(),
            udm_pages: Default::default(),
            kelvin: crate::app::KelvinSettings::default(),
            ldap_secret: self
                .ldap_secret
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()),
        });
        app.kelvin
            .v2_unavailable
            .store(self.kelvin_v2_unavailable, Ordering::Relaxed);
        app.store.set_read_lag(self.kelvin_v2_read_lag);
        app
    }

    /// Fault injection, request log and latency as configured.
    fn traffic(&self) -> Arc<Traffic> {
        Arc::new(Traffic {
            faults: FaultInjector::new(self.faults.clone()),
            recorder: Recorder::new(self.request_log_limit),
            latency_us: AtomicU64::new(self.latency.as_micros() as u64),
        })
    }

    /// Starts the simulator on a background task of the current tokio runtime.
    pub async fn spawn(self) -> anyhow::Result<SimHandle> {
        let catalog = Catalog::load().context("loading the UDM module catalog")?;
        let store = self.open_store(&catalog)?;
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .with_context(|| format!("binding {}", self.listen))?;
        let local_addr = listener.local_addr()?;
        let tls = self.tls_setup()?;
        let (scheme, host) = scheme_and_host(tls.is_some(), local_addr);
        let app = self.app(store, catalog, scheme, host.clone());
        let traffic = self.traffic();
        let routes = router(&app);
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(server::run(
            listener,
            tls.as_ref().map(|t| t.acceptor.clone()),
            routes,
            traffic.clone(),
            shutdown_rx,
        ));
        Ok(SimHandle {
            inner: Arc::new(Inner {
                app,
                traffic,
                base_url: format!("{scheme}://{host}"),
                local_addr,
                ca_pem: tls.map(|t| t.ca_pem),
                admin_password: self.admin_password,
                state_file: self.state_file,
                shutdown: shutdown_tx,
                task: Mutex::new(Some(task)),
            }),
        })
    }
}

/// Scheme and `host:port` the simulator is reached at (see [`SimHandle::base_url`]): with
/// TLS on a loopback address, `localhost:PORT`.
fn scheme_and_host(tls: bool, local_addr: SocketAddr) -> (&'static str, String) {
    match (tls, local_addr.ip().is_loopback()) {
        (true, true) => ("https", format!("localhost:{}", local_addr.port())),
        (true, false) => ("https", local_addr.to_string()),
        (false, _) => ("http", local_addr.to_string()),
    }
}

/// Both APIs under their prefixes, `404 Not Found` elsewhere.
fn router(app: &Arc<App>) -> Router {
    Router::new()
        .nest("/ucsschool/kelvin", crate::kelvin::router(app))
        .route(crate::udm::PREFIX, any(crate::udm::handle))
        .route(&format!("{}/", crate::udm::PREFIX), any(crate::udm::handle))
        .route(
            &format!("{}/{{*rest}}", crate::udm::PREFIX),
            any(crate::udm::handle),
        )
        .fallback(not_found)
        .with_state(app.clone())
}

async fn not_found() -> (axum::http::StatusCode, axum::Json<serde_json::Value>) {
    (
        axum::http::StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({"detail": "Not Found"})),
    )
}

struct Inner {
    app: Arc<App>,
    traffic: Arc<Traffic>,
    base_url: String,
    local_addr: SocketAddr,
    ca_pem: Option<String>,
    admin_password: String,
    state_file: Option<PathBuf>,
    shutdown: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// A running simulator. Cheap to clone; the server stops when [`SimHandle::shutdown`] is
/// called or the last clone is dropped.
#[derive(Clone)]
pub struct SimHandle {
    inner: Arc<Inner>,
}

impl fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimHandle")
            .field("base_url", &self.inner.base_url)
            .field("tls", &self.inner.ca_pem.is_some())
            .finish()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The Kelvin API root: `<base>/ucsschool/kelvin` (token at `/token`, resources below
    /// `/v1` and `/v2`).
    pub fn kelvin_url(&self) -> String {
        format!("{}/ucsschool/kelvin", self.inner.base_url)
    }

    /// The UDM REST API root: `<base>/univention/udm`.
    pub fn udm_url(&self) -> String {
        format!("{}{}", self.inner.base_url, crate::udm::PREFIX)
    }

    /// The socket address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.inner.local_addr
    }

    /// The CA certificate (PEM) that signed the server certificate, when serving TLS.
    pub fn ca_pem(&self) -> Option<String> {
        self.inner.ca_pem.clone()
    }

    /// The Administrator's user name and password (allowed on both APIs).
    pub fn admin(&self) -> (String, String) {
        (
            crate::auth::ADMIN_USER.to_string(),
            self.inner.admin_password.clone(),
        )
    }

    /// The password of `cn=admin` on the UDM REST API (see [`SimBuilder::ldap_secret`]).
    pub fn ldap_secret(&self) -> String {
        self.inner.app.ldap_secret.clone()
    }

    /// The Kelvin read-only account's user name and password.
    pub fn reader(&self) -> (String, String) {
        (
            seed::READER_USER.to_string(),
            seed::DEMO_PASSWORD.to_string(),
        )
    }

    /// The state file, if one is used.
    pub fn state_file(&self) -> Option<&std::path::Path> {
        self.inner.state_file.as_deref()
    }

    /// Replaces the fault injection; request counting for `fail_nth` and friends starts
    /// again with the next request.
    pub fn set_faults(&self, faults: Faults) {
        self.inner.traffic.faults.set(faults);
    }

    /// The active fault injection.
    pub fn faults(&self) -> Faults {
        self.inner.traffic.faults.get()
    }

    /// Changes the latency added to every response.
    pub fn set_latency(&self, latency: Duration) {
        self.inner
            .traffic
            .latency_us
            .store(latency.as_micros() as u64, Ordering::Relaxed);
    }

    /// Changes the lag of Kelvin v2 reads (see [`SimBuilder::kelvin_v2_read_lag`]).
    pub fn set_kelvin_v2_read_lag(&self, lag: Duration) {
        self.inner.app.store.set_read_lag(lag);
    }

    /// Switches the 503 of Kelvin v2 on or off (see [`SimBuilder::kelvin_v2_unavailable`]).
    pub fn set_kelvin_v2_unavailable(&self, unavailable: bool) {
        self.inner
            .app
            .kelvin
            .v2_unavailable
            .store(unavailable, Ordering::Relaxed);
    }

    /// Makes every Kelvin token issued so far invalid (401 on its next use).
    pub fn expire_tokens(&self) {
        self.inner.app.tokens.expire_all();
    }

    /// The logged requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.traffic.recorder.requests()
    }

    /// Forgets the logged requests (not the count).
    pub fn clear_requests(&self) {
        self.inner.traffic.recorder.clear();
    }

    /// Number of requests received since the start (including dropped ones).
    pub fn request_count(&self) -> u64 {
        self.inner.traffic.recorder.total()
    }

    /// Direct access to the directory.
    pub fn store(&self) -> SimStore {
        SimStore::new(self.inner.app.clone())
    }

    /// Stops the server and closes all connections. Idempotent.
    pub async fn shutdown(&self) {
        let _ = self.inner.shutdown.send(true);
        let task = self
            .inner
            .task
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

/// Where the CA key of an emulator with a state file is kept.
fn ca_key_path(state: &std::path::Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".ca-key.pem");
    PathBuf::from(name)
}
