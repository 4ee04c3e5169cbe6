//! The UDM HTTP REST API client: every UDM module through one generic API
//! (in the style of kube-rs' `Api<K>`), ETag-safe writes, lazily paged
//! search streams and a [`Dn`] type.
//!
//! ```no_run
//! # async fn demo() -> ucs::Result<()> {
//! use futures::TryStreamExt;
//! use ucs::udm::{Dn, Filter, Udm};
//!
//! let udm = Udm::builder("https://ucs.example.com/univention/udm")
//!     .credentials("Administrator", "univention")
//!     .build()?;
//! let users = udm.users();
//! let mut user = users.template(None, None).await?;
//! user.set("username", "jdoe").set("firstname", "Jane").set("lastname", "Doe").set_password("S3cret-Passw0rd");
//! let user = users.create(&user).await?;
//! let dn = user.dn().cloned().expect("created");
//! users.modify(&dn, |u| { u.set("description", "changed"); Ok(()) }).await?;
//! let found: Vec<_> = users.search().filter(Filter::eq("username", "jdoe")).stream().try_collect().await?;
//! users.delete(&dn).await?;
//! # let _ = found; Ok(()) }
//! ```

mod connection;
mod fill;
mod handles;
pub(crate) mod location;
mod lookup;
mod members;
mod module;
mod modules_list;
mod moving;
mod object;
mod resolve;
mod search;
mod send;
mod write;

pub use fill::UdmTaken;
pub use module::{DeleteOptions, Module};
pub use modules_list::ModuleEntry;
pub use object::Object;
pub use resolve::MAX_RESOLVE;
pub use search::{Scope, Search, MAX_PAGES};
pub use ucs_ldap::{escape_filter_value, Filter};
pub use ucs_ldap::{escape_value, Ava, Dn, DnError, Rdn};

use crate::error::Result;
use crate::session::{Builder, Client, Core};

/// Typed views of the properties of the common modules (generated from the
/// vendored document; read them with [`Object::typed`]).
pub mod typed {
    /// `container/cn` properties.
    pub use udm_raw::container::types::ContainerCnProperties as ContainerProperties;
    /// `container/ou` properties.
    pub use udm_raw::container::types::ContainerOuProperties as OuProperties;
    /// `groups/group` properties.
    pub use udm_raw::groups::types::GroupsGroupProperties as GroupProperties;
    /// `mail/domain` properties.
    pub use udm_raw::mail::types::MailDomainProperties;
    /// `users/user` properties.
    pub use udm_raw::users::types::UsersUserProperties as UserProperties;
}

/// A UDM REST API client. Cheap to clone; `Send + Sync + 'static`; one HTTP
/// client (connection reuse) shared by all clones.
pub type Udm = Client<UdmApi>;

/// Configures a [`Udm`] client (see [`Udm::builder`]).
pub type UdmBuilder = Builder<UdmOptions>;

/// Requests a UDM client has in flight at most, by default: the UDM REST
/// API runs one server process unless its administrator configured more, so
/// more concurrent requests only wait in its queue (and time out there).
const DEFAULT_CONCURRENCY: usize = 4;

/// What a UDM builder adds to the shared settings (nothing yet).
#[derive(Clone, Debug, Default)]
pub struct UdmOptions {}

/// What a UDM client keeps besides the shared core.
pub struct UdmApi {
    base: String,
}

impl Builder<UdmOptions> {
    /// Builds the client: HTTP Basic with [`Builder::credentials`] (a member
    /// of `Domain Admins` or another group allowed to use the API), or a
    /// bearer token ([`Builder::bearer_token`],
    /// [`Builder::oauth2_client_credentials`]).
    pub fn build(self) -> Result<Udm> {
        let parts = self.into_parts("UDM")?;
        let auth = parts.credentials.header_auth(&parts.transport, "UDM")?;
        let mut base = parts.url.as_str().trim_end_matches('/').to_string();
        if parts.url.path() == "/" || parts.url.path().is_empty() {
            base.push_str("/univention/udm");
        }
        Ok(Client::new(Core {
            transport: parts.transport,
            auth,
            url: parts.url,
            api: UdmApi { base },
        }))
    }
}

impl std::fmt::Debug for Client<UdmApi> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Udm")
            .field("base", &self.api().base)
            .finish_non_exhaustive()
    }
}

impl Client<UdmApi> {
    /// Starts configuring a client for the API at `url`
    /// (`https://host/univention/udm`; a bare `https://host` gets the path
    /// added). A URL with credentials in it is refused by `build`.
    pub fn builder(url: impl AsRef<str>) -> UdmBuilder {
        Builder::new(url.as_ref(), UdmOptions::default())
            .max_concurrent_requests(DEFAULT_CONCURRENCY)
    }

    /// The API root URL.
    pub fn base_url(&self) -> &str {
        &self.api().base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn builder_rejects_bad_urls() {
        assert!(matches!(
            Udm::builder("ftp://x").credentials("a", "b").build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Udm::builder("http://x").build(),
            Err(Error::Config(_))
        ));
    }
}

mod call {
    //! Running calls of the generated dispatching client and hand-written
    //! GETs through the executor.

    use std::future::Future;

    use progenitor_client::{ByteStream, Error as RawError, ResponseValue};
    use reqwest::header::HeaderMap;

    use super::Udm;
    use crate::error::Result;
    use crate::http::answer::Answer;
    use crate::http::exec::{send_hand_written, Op, Redirects};

    impl Udm {
        /// Runs `f` (a call of the generated `udm_raw::Client`) with auth,
        /// request id, language, retries and the body limit.
        pub(crate) async fn call<T, F, Fut>(
            &self,
            op: Op<'_>,
            query: &[(String, String)],
            f: F,
        ) -> Result<Answer<T>>
        where
            F: Fn(udm_raw::Client) -> Fut,
            Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<ByteStream>>>,
        {
            self.call_with(op, query, &HeaderMap::new(), f).await
        }

        /// [`Udm::call`] with extra request headers (a precondition).
        pub(crate) async fn call_with<T, F, Fut>(
            &self,
            op: Op<'_>,
            query: &[(String, String)],
            extra: &HeaderMap,
            f: F,
        ) -> Result<Answer<T>>
        where
            F: Fn(udm_raw::Client) -> Fut,
            Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<ByteStream>>>,
        {
            let base = self.base_url();
            let http = &self.transport().http;
            self.execute(op, |mut prepared| {
                prepared.headers.extend(extra.clone());
                let options = udm_raw::CallOptions {
                    headers: prepared.headers,
                    query: query.to_vec(),
                    max_body: prepared.max_body,
                };
                f(udm_raw::Client::new_with_client(
                    base,
                    http.clone(),
                    options,
                ))
            })
            .await
        }

        /// A GET the document does not describe (module listing, move
        /// progress): status, headers and body of any answer below 400.
        /// `url` must be on the client's origin (see
        /// [`Udm::same_origin`]).
        pub(crate) async fn get_url(&self, url: &str) -> Result<Answer<bytes::Bytes>> {
            let http = &self.transport().http;
            self.execute(Op::new("GET", url), |prepared| {
                send_hand_written(http.get(url), prepared, Redirects::Answer)
            })
            .await
        }

        /// The absolute URL of a `Location` the server sent, refused unless
        /// it is on the client's origin (the next request carries the
        /// credentials).
        pub(crate) fn same_origin(&self, location: &str) -> Result<String> {
            crate::http::url::same_origin_location(self.url(), location).map(String::from)
        }
    }
}
