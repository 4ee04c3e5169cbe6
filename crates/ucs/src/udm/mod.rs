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

mod fill;
mod module;
mod modules_list;
mod object;
mod search;

use std::sync::Arc;

pub use fill::UdmTaken;
pub use module::{DeleteOptions, Module};
pub use modules_list::ModuleEntry;
pub use object::Object;
pub use search::{Scope, Search};
pub use ucs_ldap::{escape_filter_value, Filter};
pub use ucs_ldap::{escape_value, Ava, Dn, DnError, Rdn};

use crate::error::{Error, Result};
use crate::http::exec::{BasicAuth, Defaults, Overrides};
use crate::http::retry::RetryPolicy;
use crate::http::HttpSettings;
use crate::secret::Secret;

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

/// Configures a [`Udm`] client.
#[derive(Debug)]
pub struct UdmBuilder {
    base: String,
    username: Option<String>,
    password: Option<Secret>,
    settings: HttpSettings,
    language: Option<String>,
    retry: RetryPolicy,
    error: Option<Error>,
}

crate::http::connection_options!(UdmBuilder);

impl UdmBuilder {
    /// HTTP Basic credentials (a member of `Domain Admins` or another group
    /// allowed to use the API).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.username = Some(username.into());
        self.password = Some(password.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Udm> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let username = self.username.ok_or_else(|| {
            Error::Config("UDM needs credentials (UdmBuilder::credentials)".into())
        })?;
        let password = self.password.unwrap_or_else(|| Secret::new(""));
        let auth = BasicAuth::new(&username, &password)?;
        let http = self.settings.build_without_redirects()?;
        Ok(Udm {
            inner: Arc::new(Inner {
                base: self.base,
                http,
                defaults: Defaults {
                    language: self.language,
                    retry: self.retry,
                },
                auth,
            }),
            overrides: Overrides::default(),
        })
    }
}

pub(crate) struct Inner {
    base: String,
    http: reqwest::Client,
    defaults: Defaults,
    auth: BasicAuth,
}

/// A UDM REST API client. Cheap to clone; `Send + Sync`; one HTTP client
/// (connection reuse) shared by all clones.
#[derive(Clone)]
pub struct Udm {
    inner: Arc<Inner>,
    overrides: Overrides,
}

impl std::fmt::Debug for Udm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Udm")
            .field("base", &self.inner.base)
            .finish_non_exhaustive()
    }
}

impl Udm {
    /// Starts configuring a client for the API at `url`
    /// (`https://host/univention/udm`; a bare `https://host` gets the path
    /// added).
    pub fn builder(url: impl Into<String>) -> UdmBuilder {
        let url = url.into();
        let mut base = url.trim_end_matches('/').to_string();
        let error = match reqwest::Url::parse(&base) {
            Ok(parsed) if parsed.scheme() == "https" || parsed.scheme() == "http" => {
                if parsed.path() == "/" || parsed.path().is_empty() {
                    base.push_str("/univention/udm");
                }
                None
            }
            _ => Some(Error::Config(format!("not an http(s) URL: {url:?}"))),
        };
        UdmBuilder {
            base,
            username: None,
            password: None,
            settings: HttpSettings::default(),
            language: None,
            retry: RetryPolicy::default(),
            error,
        }
    }

    /// The same client with another `Accept-Language` for the calls made
    /// through the returned handle.
    pub fn with_language(&self, language: impl Into<String>) -> Udm {
        let mut u = self.clone();
        u.overrides.language = Some(language.into());
        u
    }

    /// The same client sending this `X-Request-ID` on the calls made through
    /// the returned handle.
    pub fn with_request_id(&self, request_id: impl Into<String>) -> Udm {
        let mut u = self.clone();
        u.overrides.request_id = Some(request_id.into());
        u
    }

    /// The same client with another retry policy for the calls made through
    /// the returned handle.
    pub fn with_retry(&self, policy: RetryPolicy) -> Udm {
        let mut u = self.clone();
        u.overrides.retry = Some(policy);
        u
    }

    /// The API root URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// A module by name. Unknown names are an error listing close matches;
    /// modules whose family feature is off in this build are a configuration
    /// error naming the feature.
    pub fn module(&self, name: &str) -> Result<Module<'_>> {
        match udm_raw::module_info(name) {
            Some(info) if info.enabled => Ok(Module::new(self, info)),
            Some(info) => Err(Error::Config(format!(
                "UDM module {name:?} needs the cargo feature `{}` of udm-raw (or `udm-all` of ucs)",
                info.family
            ))),
            None => Err(Error::UnknownModule {
                name: name.to_string(),
                suggestions: close_matches(name),
            }),
        }
    }

    fn known(&self, name: &'static str) -> Module<'_> {
        match udm_raw::module_info(name) {
            Some(info) => Module::new(self, info),
            None => unreachable!("{name} is in the vendored document"),
        }
    }

    /// `users/user`.
    pub fn users(&self) -> Module<'_> {
        self.known("users/user")
    }

    /// `groups/group`.
    pub fn groups(&self) -> Module<'_> {
        self.known("groups/group")
    }

    /// `container/ou`.
    pub fn ous(&self) -> Module<'_> {
        self.known("container/ou")
    }

    /// `container/cn`.
    pub fn containers(&self) -> Module<'_> {
        self.known("container/cn")
    }

    /// `mail/domain`.
    pub fn mail_domains(&self) -> Module<'_> {
        self.known("mail/domain")
    }
}

/// Known module names close to `name`, best first.
fn close_matches(name: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = udm_raw::MODULES
        .iter()
        .map(|m| (strsim::jaro_winkler(name, m.name), m.name))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_modules_get_suggestions() {
        let udm = Udm::builder("http://127.0.0.1:1")
            .credentials("a", "b")
            .build()
            .unwrap();
        match udm.module("users/usr") {
            Err(Error::UnknownModule { suggestions, .. }) => {
                assert_eq!(suggestions.first().map(String::as_str), Some("users/user"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(udm.module("groups/group").unwrap().name(), "groups/group");
        assert_eq!(udm.base_url(), "http://127.0.0.1:1/univention/udm");
    }

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

    use super::Udm;
    use crate::error::Result;
    use crate::http::exec::{execute, Op};

    impl Udm {
        /// Runs `f` (a call of the generated `udm_raw::Client`) with auth,
        /// request id, language and retries.
        pub(crate) async fn call<T, F, Fut>(
            &self,
            op: Op<'_>,
            query: &[(String, String)],
            f: F,
        ) -> Result<ResponseValue<T>>
        where
            F: Fn(udm_raw::Client) -> Fut,
            Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<ByteStream>>>,
        {
            let inner = &*self.inner;
            execute(
                &inner.defaults,
                &inner.auth,
                &self.overrides,
                op,
                |headers| {
                    let options = udm_raw::CallOptions {
                        headers,
                        query: query.to_vec(),
                    };
                    f(udm_raw::Client::new_with_client(
                        &inner.base,
                        inner.http.clone(),
                        options,
                    ))
                },
            )
            .await
        }

        /// A GET the document does not describe (module listing, move
        /// progress): status, headers and body of any non-error answer.
        pub(crate) async fn get_url(&self, url: &str) -> Result<ResponseValue<bytes::Bytes>> {
            let inner = &*self.inner;
            execute(
                &inner.defaults,
                &inner.auth,
                &self.overrides,
                Op::new("GET", url),
                |headers| {
                    let request = inner
                        .http
                        .get(url)
                        .headers(headers)
                        .header(reqwest::header::ACCEPT, "application/json");
                    async move {
                        let response = request
                            .send()
                            .await
                            .map_err(RawError::<()>::CommunicationError)?;
                        let status = response.status();
                        if status.is_client_error() || status.is_server_error() {
                            return Err(RawError::UnexpectedResponse(response));
                        }
                        let headers = response.headers().clone();
                        let body = response
                            .bytes()
                            .await
                            .map_err(RawError::ResponseBodyError)?;
                        Ok(ResponseValue::new(body, status, headers))
                    }
                },
            )
            .await
        }

        /// An absolute URL for a `Location` header value.
        pub(crate) fn absolute(&self, location: &str) -> String {
            if location.starts_with("http://") || location.starts_with("https://") {
                return location.to_string();
            }
            let base = &self.inner.base;
            let origin_end = base
                .find("://")
                .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
                .unwrap_or(base.len());
            format!("{}{}", &base[..origin_end], location)
        }
    }
}
