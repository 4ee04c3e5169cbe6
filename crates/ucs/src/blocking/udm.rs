//! The blocking UDM client, its module handles and searches.

use futures::stream::BoxStream;
use futures::StreamExt;

use crate::error::Result;
use crate::udm::{self, DeleteOptions, Dn, Filter, ModuleEntry, Object, Scope};

use super::runtime::Worker;

/// A blocking UDM client: [`udm::Udm`] with every call run to its end.
/// Cheap to clone; clones share the client and its runtime thread.
#[derive(Clone, Debug)]
pub struct Udm {
    inner: udm::Udm,
    worker: Worker,
}

impl Udm {
    /// Wraps an async client (built with [`udm::Udm::builder`]).
    pub fn new(client: udm::Udm) -> Result<Udm> {
        Ok(Udm {
            inner: client,
            worker: Worker::start()?,
        })
    }

    /// A client from the environment (see [`crate::connect`]).
    pub fn from_env() -> Result<Udm> {
        Udm::new(udm::Udm::from_env()?)
    }

    /// The async client inside (for [`raw`](crate::raw) calls).
    pub fn as_async(&self) -> &udm::Udm {
        &self.inner
    }

    /// The API root URL.
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// A module by name (see [`udm::Udm::module`]).
    pub fn module(&self, name: &str) -> Result<Module> {
        Ok(self.wrap(self.inner.module(name)?))
    }

    /// The modules the server offers.
    pub fn modules(&self) -> Result<Vec<ModuleEntry>> {
        let udm = self.inner.clone();
        self.worker.run(async move { udm.modules().await })
    }

    /// `users/user`.
    pub fn users(&self) -> Module {
        self.wrap(self.inner.users())
    }

    /// `groups/group`.
    pub fn groups(&self) -> Module {
        self.wrap(self.inner.groups())
    }

    /// `container/ou`.
    pub fn ous(&self) -> Module {
        self.wrap(self.inner.ous())
    }

    /// `container/cn`.
    pub fn containers(&self) -> Module {
        self.wrap(self.inner.containers())
    }

    /// `mail/domain`.
    pub fn mail_domains(&self) -> Module {
        self.wrap(self.inner.mail_domains())
    }

    fn wrap(&self, module: udm::Module) -> Module {
        Module {
            inner: module,
            worker: self.worker.clone(),
        }
    }
}

/// Runs one method of the async module on the worker; the call owns a
/// clone of the module and everything else it uses.
macro_rules! run {
    ($self:ident, |$m:ident| $call:expr) => {{
        let $m = $self.inner.clone();
        $self.worker.run(async move { $call.await })
    }};
}

/// One UDM module (blocking [`udm::Module`]).
#[derive(Clone)]
pub struct Module {
    inner: udm::Module,
    worker: Worker,
}

impl Module {
    /// The module name, e.g. `users/user`.
    pub fn name(&self) -> &str {
        self.inner.name()
    }

    /// See [`udm::Module::allow_blind_writes`].
    pub fn allow_blind_writes(mut self) -> Self {
        self.inner = self.inner.allow_blind_writes();
        self
    }

    /// A new object filled with the server's defaults.
    pub fn template(&self, position: Option<&Dn>, superordinate: Option<&Dn>) -> Result<Object> {
        let (position, superordinate) = (position.cloned(), superordinate.cloned());
        run!(self, |m| m
            .template(position.as_ref(), superordinate.as_ref()))
    }

    /// One object.
    pub fn get(&self, dn: &Dn) -> Result<Object> {
        let dn = dn.clone();
        run!(self, |m| m.get(&dn))
    }

    /// One object with only the named properties.
    pub fn get_properties(&self, dn: &Dn, properties: Option<&[&str]>) -> Result<Object> {
        let dn = dn.clone();
        let names: Option<Vec<String>> =
            properties.map(|p| p.iter().map(|s| s.to_string()).collect());
        run!(self, |m| async move {
            let names: Option<Vec<&str>> = names
                .as_ref()
                .map(|n| n.iter().map(String::as_str).collect());
            m.get_properties(&dn, names.as_deref()).await
        })
    }

    /// Whether an object exists.
    pub fn exists(&self, dn: &Dn) -> Result<bool> {
        let dn = dn.clone();
        run!(self, |m| m.exists(&dn))
    }

    /// Creates an object.
    pub fn create(&self, object: &Object) -> Result<Object> {
        let object = object.clone();
        run!(self, |m| m.create(&object))
    }

    /// Writes the changed properties (see [`udm::Module::patch`]).
    pub fn patch(&self, object: &Object) -> Result<Object> {
        let object = object.clone();
        run!(self, |m| m.patch(&object))
    }

    /// Writes all properties (see [`udm::Module::replace`]).
    pub fn replace(&self, object: &Object) -> Result<Object> {
        let object = object.clone();
        run!(self, |m| m.replace(&object))
    }

    /// Read-modify-write without lost updates (see [`udm::Module::modify`]).
    pub fn modify<F>(&self, dn: &Dn, change: F) -> Result<Object>
    where
        F: FnMut(&mut Object) -> Result<()> + Send + 'static,
    {
        let dn = dn.clone();
        run!(self, |m| m.modify(&dn, change))
    }

    /// Moves an object below `position` (see [`udm::Module::move_to`]).
    pub fn move_to(&self, object: &Object, position: &Dn) -> Result<Object> {
        let (object, position) = (object.clone(), position.clone());
        run!(self, |m| m.move_to(&object, &position))
    }

    /// Deletes an object with the server's defaults (see
    /// [`udm::Module::delete`]: a container is deleted with everything below
    /// it).
    pub fn delete(&self, dn: &Dn) -> Result<()> {
        let dn = dn.clone();
        run!(self, |m| m.delete(&dn))
    }

    /// Deletes an object with explicit options.
    pub fn delete_with(&self, dn: &Dn, options: DeleteOptions<'_>) -> Result<()> {
        let dn = dn.clone();
        let (cleanup, recursive) = (options.cleanup, options.recursive);
        let if_match = options.if_match.map(str::to_string);
        run!(self, |m| async move {
            let options = DeleteOptions {
                cleanup,
                recursive,
                if_match: if_match.as_deref(),
            };
            m.delete_with(&dn, options).await
        })
    }

    /// Deletes `object` if nobody changed it since it was read.
    pub fn delete_object(&self, object: &Object) -> Result<()> {
        let object = object.clone();
        run!(self, |m| m.delete_object(&object))
    }

    /// A search in this module.
    pub fn search(&self) -> Search {
        Search {
            inner: self.inner.search(),
            worker: self.worker.clone(),
        }
    }
}

/// A blocking search (see [`udm::Search`]): set it up, then [`Search::all`]
/// or iterate ([`Search::iter`], paged lazily).
#[derive(Clone)]
pub struct Search {
    inner: udm::Search,
    worker: Worker,
}

impl Search {
    fn map(mut self, f: impl FnOnce(udm::Search) -> udm::Search) -> Self {
        self.inner = f(self.inner);
        self
    }

    /// See [`udm::Search::filter`].
    pub fn filter(self, filter: Filter) -> Self {
        self.map(|s| s.filter(filter))
    }

    /// See [`udm::Search::query`].
    pub fn query(self, property: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|s| s.query(property, value))
    }

    /// See [`udm::Search::position`].
    pub fn position(self, position: Dn) -> Self {
        self.map(|s| s.position(position))
    }

    /// See [`udm::Search::scope`].
    pub fn scope(self, scope: Scope) -> Self {
        self.map(|s| s.scope(scope))
    }

    /// See [`udm::Search::hidden`].
    pub fn hidden(self, hidden: bool) -> Self {
        self.map(|s| s.hidden(hidden))
    }

    /// See [`udm::Search::properties`].
    pub fn properties(self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.map(|s| s.properties(names))
    }

    /// See [`udm::Search::superordinate`].
    pub fn superordinate(self, superordinate: &Dn) -> Self {
        self.map(|s| s.superordinate(superordinate))
    }

    /// See [`udm::Search::dns_only`].
    pub fn dns_only(self) -> Self {
        self.map(udm::Search::dns_only)
    }

    /// See [`udm::Search::sort_by`].
    pub fn sort_by(self, attribute: impl Into<String>, descending: bool) -> Self {
        self.map(|s| s.sort_by(attribute, descending))
    }

    /// See [`udm::Search::page_size`].
    pub fn page_size(self, size: u64) -> Self {
        self.map(|s| s.page_size(size))
    }

    /// See [`udm::Search::unpaged`].
    pub fn unpaged(self) -> Self {
        self.map(udm::Search::unpaged)
    }

    /// See [`udm::Search::max_pages`].
    pub fn max_pages(self, pages: u64) -> Self {
        self.map(|s| s.max_pages(pages))
    }

    /// Every hit.
    pub fn all(self) -> Result<Vec<Object>> {
        let search = self.inner;
        self.worker.run(async move { search.all().await })
    }

    /// The hits one by one, fetching pages as the iteration reaches them.
    pub fn iter(self) -> SearchIter {
        SearchIter {
            stream: Some(self.inner.stream()),
            worker: self.worker,
        }
    }
}

impl IntoIterator for Search {
    type Item = Result<Object>;
    type IntoIter = SearchIter;

    fn into_iter(self) -> SearchIter {
        self.iter()
    }
}

/// The hits of a [`Search`]; ends after the last hit or the first error.
pub struct SearchIter {
    stream: Option<BoxStream<'static, Result<Object>>>,
    worker: Worker,
}

impl Iterator for SearchIter {
    type Item = Result<Object>;

    fn next(&mut self) -> Option<Result<Object>> {
        let mut stream = self.stream.take()?;
        let step = self.worker.run(async move {
            let item = stream.next().await;
            Ok((stream, item))
        });
        match step {
            Ok((stream, Some(Ok(object)))) => {
                self.stream = Some(stream);
                Some(Ok(object))
            }
            Ok((_, Some(Err(error)))) | Err(error) => Some(Err(error)),
            Ok((_, None)) => None,
        }
    }
}
