//! Searches as lazily paged streams.

use futures::stream::BoxStream;
use serde_json::Value;

use super::module::Module;
use super::object::Object;
use crate::error::{Error, Result};
use crate::http::exec::Op;
use ucs_ldap::Dn;
use ucs_ldap::Filter;

/// How deep below `position` a search looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// The whole subtree (default).
    #[default]
    Sub,
    /// Direct children only.
    One,
    /// The position itself.
    Base,
    /// The position and its direct children.
    BaseAndOne,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Sub => "sub",
            Scope::One => "one",
            Scope::Base => "base",
            Scope::BaseAndOne => "base+one",
        }
    }
}

/// A search in one module; run it with [`Search::stream`] (pages fetched
/// lazily, bounded memory) or [`Search::all`].
///
/// ```no_run
/// # async fn demo(udm: ucs::udm::Udm) -> ucs::Result<()> {
/// use futures::TryStreamExt;
/// use ucs::udm::{Filter, Scope};
/// let users = udm.users();
/// let mut hits = users
///     .search()
///     .filter(Filter::starts_with("username", "demo_"))
///     .query("disabled", "0")
///     .position("cn=users,dc=example,dc=com".parse()?)
///     .scope(Scope::Sub)
///     .properties(["username", "mailPrimaryAddress"])
///     .page_size(500)
///     .stream();
/// while let Some(user) = hits.try_next().await? {
///     println!("{:?}", user.get_str("username"));
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Search {
    module: Module,
    filter: Option<String>,
    query: Vec<(String, String)>,
    position: Option<Dn>,
    scope: Option<Scope>,
    hidden: Option<bool>,
    properties: Option<Vec<String>>,
    page_size: u64,
}

impl Search {
    pub(crate) fn new(module: Module) -> Self {
        Search {
            module,
            filter: None,
            query: Vec::new(),
            position: None,
            scope: None,
            hidden: None,
            properties: None,
            page_size: 100,
        }
    }

    /// An LDAP filter.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter.to_string());
        self
    }

    /// `query[<property>]=<value>` (`*` wildcards allowed); several combine
    /// with AND.
    pub fn query(mut self, property: impl Into<String>, value: impl Into<String>) -> Self {
        self.query
            .push((format!("query[{}]", property.into()), value.into()));
        self
    }

    /// Search below this container.
    pub fn position(mut self, position: Dn) -> Self {
        self.position = Some(position);
        self
    }

    /// How deep to search.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Include hidden objects.
    pub fn hidden(mut self, hidden: bool) -> Self {
        self.hidden = Some(hidden);
        self
    }

    /// Only these properties in the results.
    pub fn properties(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.properties = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Objects per page (default 100, at least 1).
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// The results as a stream: one page is fetched when the previous one is
    /// used up, so memory stays bounded by the page size.
    pub fn stream(self) -> BoxStream<'static, Result<Object>> {
        Box::pin(async_stream::try_stream! {
            if !self.module.operations().contains(&"search") {
                Err(Error::InvalidInput(format!("UDM module {} does not support search", self.module.name())))?;
            }
            let position = self.position.as_ref().map(ToString::to_string);
            let scope = self.scope.map(Scope::as_str);
            let name = self.module.name();
            let mut page: u64 = 1;
            loop {
                let args = udm_raw::SearchArgs {
                    filter: self.filter.as_deref(),
                    position: position.as_deref(),
                    scope,
                    hidden: self.hidden,
                    properties: self.properties.as_ref(),
                    limit: Some(self.page_size),
                    page: std::num::NonZeroU64::new(page),
                    dir: None,
                    by: None,
                };
                let args = &args;
                let op = Op::new("GET", self.module.collection_url());
                let answer = self
                    .module
                    .udm()
                    .call(op, &self.query, |c| async move { c.search(name, args).await })
                    .await?;
                let (mut list, context) = answer.into_parts();
                let items = match list.get_mut("_embedded").and_then(|e| e.get_mut("udm:object")).map(Value::take) {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                let has_next = list.get("_links").and_then(|l| l.get("next")).is_some_and(|n| !n.is_null());
                let count = items.len();
                drop(list);
                for item in items {
                    if let Value::Object(map) = item {
                        yield Object::from_json(name, map, None, None, true).map_err(|message| Error::Decode {
                            context: Box::new(context.clone()),
                            message,
                        })?;
                    }
                }
                if !has_next || count == 0 {
                    break;
                }
                page += 1;
            }
        })
    }

    /// All results (fetched page by page).
    pub async fn all(self) -> Result<Vec<Object>> {
        use futures::TryStreamExt;
        self.stream().try_collect().await
    }
}
