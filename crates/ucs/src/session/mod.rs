//! The session core both clients are made of: one place that owns the HTTP
//! client, the defaults, the per-handle overrides, the credentials and the
//! executor. `ucs::kelvin::Kelvin` is `Client<KelvinApi>` and
//! `ucs::udm::Udm` is `Client<UdmApi>`; their builders are
//! `Builder<KelvinOptions>` and `Builder<UdmOptions>`.

mod builder;
pub(crate) mod credentials;

use std::future::Future;
use std::sync::Arc;

use progenitor_client::{Error as RawError, ResponseValue};

pub use builder::Builder;

use crate::error::Result;
use crate::http::answer::Answer;
use crate::http::exec::{execute, Auth, ErrorBody, Op, Overrides, Prepared, Transport};
use crate::http::retry::RetryPolicy;

/// A client of one API (`A`: what that API needs besides the shared core).
/// Cheap to clone (`Arc` inside), `Send + Sync + 'static`; all clones share
/// one HTTP client (connection reuse) and one set of credentials.
pub struct Client<A> {
    core: Arc<Core<A>>,
    overrides: Overrides,
}

/// What all clones of a client share.
pub(crate) struct Core<A> {
    pub transport: Transport,
    pub auth: Arc<dyn Auth>,
    pub url: reqwest::Url,
    pub api: A,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client {
            core: Arc::clone(&self.core),
            overrides: self.overrides.clone(),
        }
    }
}

impl<A> Client<A> {
    pub(crate) fn new(core: Core<A>) -> Self {
        Client {
            core: Arc::new(core),
            overrides: Overrides::default(),
        }
    }

    /// The same client with another `Accept-Language` for the calls made
    /// through the returned handle; the client itself is unchanged.
    pub fn with_language(&self, language: impl Into<String>) -> Self {
        let mut c = self.clone();
        c.overrides.language = Some(language.into());
        c
    }

    /// The same client sending this request id (header `X-Request-ID`, or
    /// the builder's `request_id_header`) on the calls made through the
    /// returned handle, to correlate them with your own logs.
    pub fn with_request_id(&self, request_id: impl Into<String>) -> Self {
        let mut c = self.clone();
        c.overrides.request_id = Some(request_id.into());
        c
    }

    /// The same client with another retry policy for the calls made through
    /// the returned handle.
    pub fn with_retry(&self, policy: RetryPolicy) -> Self {
        let mut c = self.clone();
        c.overrides.retry = Some(policy);
        c
    }

    /// The cap on requests in flight set with
    /// [`Builder::max_concurrent_requests`] (`None`: no cap).
    pub fn max_concurrent_requests(&self) -> Option<usize> {
        self.core.transport.limit.max()
    }

    /// What this API keeps besides the core.
    pub(crate) fn api(&self) -> &A {
        &self.core.api
    }

    /// The configured server URL.
    pub(crate) fn url(&self) -> &reqwest::Url {
        &self.core.url
    }

    /// The HTTP client and the defaults.
    pub(crate) fn transport(&self) -> &Transport {
        &self.core.transport
    }

    /// Runs one call through the executor with this client's credentials.
    pub(crate) async fn execute<T, E, F, Fut>(&self, op: Op<'_>, send: F) -> Result<Answer<T>>
    where
        E: ErrorBody,
        F: FnMut(Prepared) -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>>,
    {
        let core = &*self.core;
        execute(&core.transport, &*core.auth, &self.overrides, op, send).await
    }
}
