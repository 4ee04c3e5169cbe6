//! The generated clients with the session's credentials, request ids,
//! retries, `Accept-Language`, cap on requests in flight and body limit: for
//! any operation the facade does not wrap.
//!
//! [`Kelvin::raw`](crate::kelvin::Kelvin::raw) hands the closure a
//! `kelvin_raw::v1::Client` or `kelvin_raw::v2::Client` (chosen by the
//! closure's argument type), [`Udm::raw`](crate::udm::Udm::raw) the
//! dispatching `udm_raw::Client` or a family client such as
//! `udm_raw::users::Client`. The closure runs once per attempt, so it may
//! capture only what it can use again (references, clones). The generated
//! method's answer comes back as it is (`.await` gives the body, `.response()`
//! the whole `ResponseValue` with status and headers); an error answer is
//! decoded into [`Error`](crate::Error) like every facade call.
//!
//! ```no_run
//! # async fn demo(kelvin: ucs::kelvin::Kelvin, udm: ucs::udm::Udm) -> ucs::Result<()> {
//! use ucs::raw::{kelvin_raw, udm_raw};
//!
//! // Kelvin: the roles as the generated v1 model
//! let roles = kelvin
//!     .raw(|c: kelvin_raw::v1::Client| async move {
//!         c.search_ucsschool_kelvin_v1_roles_get().await
//!     })
//!     .idempotent() // a GET: retried like the facade's GETs
//!     .await?;
//!
//! // UDM: one object as JSON, with the answer's headers
//! let dn = "uid=demo,cn=users,dc=example,dc=com";
//! let answer = udm
//!     .raw(|c: udm_raw::Client| async move { c.get("users/user", dn, None).await })
//!     .idempotent()
//!     .response()
//!     .await?;
//! let etag = answer.headers().get("etag").cloned();
//! let object: &udm_raw::Object = answer.as_ref();
//!
//! // UDM: an operation of a family client (its header arguments, such as
//! // the request id, are replaced by the session's)
//! let found = udm
//!     .raw(|c: udm_raw::users::Client| async move {
//!         let filter = Some("uid=demo*");
//!         c.udm_users_user_object_search(
//!             None, None, filter, None, None, None, None, None, None, // query
//!             None, None, None, None, None, // headers
//!         )
//!         .await
//!     })
//!     .idempotent()
//!     .await?;
//! # let _ = (roles, etag, object, found); Ok(()) }
//! ```
//!
//! The generated crates are re-exported here ([`kelvin_raw`], [`udm_raw`]),
//! so their versions always match the facade's.
//!
//! Without `.idempotent()` a raw call is treated like a write that must not
//! run twice: it is repeated only where the server certainly did not process
//! it (a refused connection, 429, 503). Errors name the call as `RAW
//! <API root>`, since the executor does not see the generated method's URL.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;

use futures::future::BoxFuture;
use progenitor_client::Error as RawError;

use crate::error::Result;
pub use crate::http::exec::ErrorBody;
use crate::http::exec::Op;
use crate::kelvin::KelvinApi;
use crate::session::Client;
use crate::udm::UdmApi;
pub use kelvin_raw;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use udm_raw;

mod sealed {
    pub trait Sealed {}
}

/// A generated client a raw call can be made with; implemented for the
/// clients of `kelvin-raw` and `udm-raw`.
pub trait RawClient<A>: Sized + sealed::Sealed {
    /// The client for one attempt: the API's base URL, the session's HTTP
    /// client and the attempt's headers, query and body limit.
    #[doc(hidden)]
    fn for_attempt(
        session: &Client<A>,
        headers: reqwest::header::HeaderMap,
        max_body: usize,
    ) -> Self;

    /// The API root, naming the call in errors and logs.
    #[doc(hidden)]
    fn root(session: &Client<A>) -> String;
}

macro_rules! kelvin_raw_client {
    ($($client:ty),*) => {$(
        impl sealed::Sealed for $client {}
        impl RawClient<KelvinApi> for $client {
            fn for_attempt(
                session: &Client<KelvinApi>,
                headers: reqwest::header::HeaderMap,
                max_body: usize,
            ) -> Self {
                let options = kelvin_raw::CallOptions { headers, query: Vec::new(), max_body };
                <$client>::new_with_client(session.host(), session.transport().http.clone(), options)
            }

            fn root(session: &Client<KelvinApi>) -> String {
                format!("{}/ucsschool/kelvin", session.host())
            }
        }
    )*};
}

kelvin_raw_client!(kelvin_raw::v1::Client, kelvin_raw::v2::Client);

macro_rules! udm_raw_client {
    ($($(#[$cfg:meta])* $client:ty),* $(,)?) => {$(
        $(#[$cfg])*
        impl sealed::Sealed for $client {}
        $(#[$cfg])*
        impl RawClient<UdmApi> for $client {
            fn for_attempt(
                session: &Client<UdmApi>,
                headers: reqwest::header::HeaderMap,
                max_body: usize,
            ) -> Self {
                let options = udm_raw::CallOptions { headers, query: Vec::new(), max_body };
                <$client>::new_with_client(session.base_url(), session.transport().http.clone(), options)
            }

            fn root(session: &Client<UdmApi>) -> String {
                session.base_url().to_string()
            }
        }
    )*};
}

// The families `ucs` always builds, and the others with `udm-all`.
udm_raw_client!(
    udm_raw::Client,
    udm_raw::users::Client,
    udm_raw::groups::Client,
    udm_raw::container::Client,
    udm_raw::mail::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::appcenter::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::blocklists::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::computers::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::dhcp::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::dns::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::kerberos::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::monitoring::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::ms::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::nagios::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::networks::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::policies::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::portals::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::recyclebin::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::settings::Client,
    #[cfg(feature = "udm-all")]
    udm_raw::shares::Client,
);

/// A raw call, ready to run: `.await` it for the body, or call
/// [`RawCall::response`] for status and headers too.
#[must_use = "a raw call does nothing until it is awaited"]
pub struct RawCall<'a, A, C, F> {
    session: &'a Client<A>,
    call: F,
    idempotent: bool,
    client: PhantomData<fn(C)>,
}

impl<A> Client<A> {
    /// A call of a generated method with this session's credentials,
    /// request id, retries and limits (see [`crate::raw`]).
    pub fn raw<C, F>(&self, call: F) -> RawCall<'_, A, C, F> {
        RawCall {
            session: self,
            call,
            idempotent: false,
            client: PhantomData,
        }
    }
}

impl<'a, A, C, F> RawCall<'a, A, C, F> {
    /// The call is safe to send twice (a read, or a write that sets a
    /// value): it is retried like the facade's GETs.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

impl<'a, A, C, F, Fut, T, E> RawCall<'a, A, C, F>
where
    A: Send + Sync + 'static,
    C: RawClient<A>,
    F: FnMut(C) -> Fut + Send + 'a,
    Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + Send,
    T: Send,
    E: ErrorBody,
{
    /// Runs the call; the answer with status and headers.
    pub async fn response(self) -> Result<ResponseValue<T>> {
        let RawCall {
            session,
            mut call,
            idempotent,
            ..
        } = self;
        let mut op = Op::new("RAW", C::root(session));
        if !idempotent {
            op = op.not_repeated();
        }
        let answer = session
            .execute(op, |prepared| {
                call(C::for_attempt(session, prepared.headers, prepared.max_body))
            })
            .await?;
        Ok(answer.into_response())
    }
}

impl<'a, A, C, F, Fut, T, E> IntoFuture for RawCall<'a, A, C, F>
where
    A: Send + Sync + 'static,
    C: RawClient<A> + 'a,
    F: FnMut(C) -> Fut + Send + 'a,
    Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + Send + 'a,
    T: Send + 'a,
    E: ErrorBody + 'a,
{
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'a, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.response().await.map(ResponseValue::into_inner) })
    }
}
