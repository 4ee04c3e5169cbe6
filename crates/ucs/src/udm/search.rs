//! Searches as lazily paged streams.

use futures::stream::BoxStream;
use serde_json::Value;

use super::module::Module;
use super::object::Object;
use crate::error::{Error, Result};
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

/// The most pages one search fetches by default (100 objects each: a
/// million objects); [`Search::max_pages`] changes it.
pub const MAX_PAGES: u64 = 10_000;

/// A search in one module; run it with [`Search::stream`] (pages fetched
/// lazily, bounded memory) or [`Search::all`].
///
/// The UDM REST API pages forward only, through a per-user session keyed by
/// the search's parameters (module.py `Objects.search`, UCS 5.2-1): a paged
/// search abandoned before its last page would make the next identical one
/// start with an empty page. Every paged stream therefore carries a
/// never-matching clause of its own (`(!(entryUUID=<random>))`) in its LDAP
/// filter, so no two streams share a session; `query(...)` conditions are
/// sent as filter terms for the same reason (the server ignores `query[]`
/// when a `filter` is given). Paging ends when the server sends no `next`
/// link, after [`Search::max_pages`] pages, or with an error when a server
/// answers the same page twice.
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
    filter: Option<Filter>,
    query: Vec<(String, String)>,
    extra: Vec<(String, String)>,
    position: Option<Dn>,
    scope: Option<Scope>,
    hidden: Option<bool>,
    properties: Option<Vec<String>>,
    sort: Option<(String, bool)>,
    page_size: Option<u64>,
    max_pages: u64,
}

/// One page of hits.
struct Page {
    objects: Vec<Object>,
    has_next: bool,
    /// The first and last DN, to notice a server that repeats a page.
    bounds: Option<(String, String)>,
    /// The request that fetched it.
    context: crate::error::RequestContext,
}

impl Module {
    /// A search in this module.
    pub fn search(&self) -> Search {
        Search::new(self.clone())
    }
}

impl Search {
    fn new(module: Module) -> Self {
        Search {
            module,
            filter: None,
            query: Vec::new(),
            extra: Vec::new(),
            position: None,
            scope: None,
            hidden: None,
            properties: None,
            sort: None,
            page_size: Some(100),
            max_pages: MAX_PAGES,
        }
    }

    /// An LDAP filter (UDM property names and LDAP attribute names both
    /// work).
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// The property equals `value` (`*` wildcards allowed, case as the
    /// property's LDAP matching rule says); several combine with AND.
    pub fn query(mut self, property: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((property.into(), value.into()));
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

    /// Include hidden objects (the server's default is to include them).
    pub fn hidden(mut self, hidden: bool) -> Self {
        self.hidden = Some(hidden);
        self
    }

    /// Only these properties in the results.
    pub fn properties(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.properties = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Only objects below this superordinate (DNS and DHCP modules); it is
    /// also the default position.
    pub fn superordinate(mut self, superordinate: &Dn) -> Self {
        self.extra
            .push(("superordinate".into(), superordinate.to_string()));
        self
    }

    /// Hits without options, policies and properties (`opened=false`): only
    /// their DNs, cheaply.
    pub fn dns_only(mut self) -> Self {
        self.extra.push(("opened".into(), "false".into()));
        self
    }

    /// Sort by an LDAP attribute, descending if asked. The server sorts only
    /// by `uid`, `uidNumber` and `cn` and ignores any other attribute.
    pub fn sort_by(mut self, attribute: impl Into<String>, descending: bool) -> Self {
        self.sort = Some((attribute.into(), descending));
        self
    }

    /// Objects per page (default 100, at least 1).
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// One request without paging: the server sends every hit at once
    /// (bounded by its size limit and the client's body limit).
    pub fn unpaged(mut self) -> Self {
        self.page_size = None;
        self
    }

    /// The most pages to fetch (default [`MAX_PAGES`]); paging stops there
    /// with an error rather than follow a server that never ends.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// The filter sent: the caller's filter, the `query` conditions and, for
    /// a paged search, a never-matching clause of its own.
    fn effective_filter(&self) -> Option<Filter> {
        let mut terms: Vec<Filter> = self.filter.iter().cloned().collect();
        terms.extend(self.query.iter().map(|(p, v)| query_term(p, v)));
        if self.hidden == Some(false) {
            terms.push(Filter::not(Filter::eq("objectFlag", "hidden")));
        }
        if self.page_size.is_some() {
            let nonce = uuid::Uuid::new_v4().to_string();
            terms.push(Filter::not(Filter::eq("entryUUID", nonce)));
        }
        match terms.len() {
            0 => None,
            1 => terms.pop(),
            _ => Some(Filter::and(terms)),
        }
    }

    /// The results as a stream: one page is fetched when the previous one is
    /// used up, so memory stays bounded by the page size.
    pub fn stream(self) -> BoxStream<'static, Result<Object>> {
        Box::pin(async_stream::try_stream! {
            self.module.require("search")?;
            let filter = self.effective_filter().map(|f| f.to_string());
            let mut previous: Option<(String, String)> = None;
            for page in 1..=self.max_pages {
                let got = self.fetch(filter.as_deref(), page).await?;
                if got.bounds.is_some() && got.bounds == previous {
                    Err(Error::Decode {
                        context: Box::new(got.context.clone()),
                        message: format!("page {page} repeats the objects of page {}; paging stopped", page - 1),
                    })?;
                }
                let last = !got.has_next || got.objects.is_empty() || self.page_size.is_none();
                if !last && page == self.max_pages {
                    Err(Error::Decode {
                        context: Box::new(got.context.clone()),
                        message: format!("still more after {page} pages; paging stopped (see Search::max_pages)"),
                    })?;
                }
                previous = got.bounds;
                for object in got.objects {
                    yield object;
                }
                if last {
                    return;
                }
            }
        })
    }

    /// Fetches one page.
    async fn fetch(&self, filter: Option<&str>, page: u64) -> Result<Page> {
        let position = self.position.as_ref().map(ToString::to_string);
        let args = udm_raw::SearchArgs {
            filter,
            position: position.as_deref(),
            scope: self.scope.map(Scope::as_str),
            hidden: self.hidden.filter(|_| filter.is_none()),
            properties: self.properties.as_ref(),
            limit: self.page_size,
            page: self.page_size.and(std::num::NonZeroU64::new(page)),
            dir: self
                .sort
                .as_ref()
                .map(|(_, desc)| if *desc { "DESC" } else { "ASC" }),
            by: self.sort.as_ref().map(|(by, _)| by.as_str()),
        };
        let name = self.module.name();
        let answer = self.module.send_search(&args, &self.extra).await?;
        let (mut list, context) = answer.into_parts();
        let items = match list
            .get_mut("_embedded")
            .and_then(|e| e.get_mut("udm:object"))
            .map(Value::take)
        {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let has_next = list
            .get("_links")
            .and_then(|l| l.get("next"))
            .is_some_and(|n| !n.is_null());
        let objects = items
            .into_iter()
            .filter_map(|item| match item {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .map(|map| Object::from_json(name, map, None, None, true))
            .collect::<std::result::Result<Vec<_>, String>>()
            .map_err(|message| Error::Decode {
                context: Box::new(context.clone()),
                message,
            })?;
        let bounds = page_bounds(&objects);
        Ok(Page {
            objects,
            has_next,
            bounds,
            context,
        })
    }

    /// All results (fetched page by page).
    pub async fn all(self) -> Result<Vec<Object>> {
        use futures::TryStreamExt;
        self.stream().try_collect().await
    }
}

/// A `query[property]=value` condition as a filter term: `*` are wildcards
/// (runs of them count as one), everything else literal.
fn query_term(property: &str, value: &str) -> Filter {
    if value == "*" {
        return Filter::present(property);
    }
    let mut parts: Vec<&str> = value.split('*').collect();
    // keep the open ends, drop the empty pieces between adjacent wildcards
    let last = parts.len() - 1;
    let mut index = 0;
    parts.retain(|p| {
        let keep = !p.is_empty() || index == 0 || index == last;
        index += 1;
        keep
    });
    Filter::wildcard(property, parts)
}

fn page_bounds(objects: &[Object]) -> Option<(String, String)> {
    let dn = |o: &Object| o.dn().map(|d| d.to_string()).unwrap_or_default();
    Some((dn(objects.first()?), dn(objects.last()?)))
}

#[cfg(test)]
mod tests {
    use super::query_term;

    #[test]
    fn query_conditions_become_filter_terms() {
        assert_eq!(
            query_term("username", "jdoe").to_string(),
            "(username=jdoe)"
        );
        assert_eq!(query_term("username", "j*").to_string(), "(username=j*)");
        assert_eq!(query_term("username", "*").to_string(), "(username=*)");
        assert_eq!(query_term("cn", "a**b").to_string(), "(cn=a*b)");
        assert_eq!(query_term("cn", "**a").to_string(), "(cn=*a)");
        assert_eq!(query_term("cn", "(x)").to_string(), r"(cn=\28x\29)");
    }
}
