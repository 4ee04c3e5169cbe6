//! Uniqueness of generated values: the [`Taken`] trait, the in-memory [`TakenSet`] and the
//! suffixing algorithm (`doe`, `doe2`, `doe3`, ...).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use futures::future::BoxFuture;

use super::{FormError, TakenError};

/// A value that generation has settled on, reported to [`Taken::reserve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reservation<'a> {
    /// The attribute (`uid` or `mail`).
    pub attribute: &'a str,
    /// The value now in use.
    pub value: &'a str,
    /// The entry it belongs to (the `exclude` of the generation), if known.
    pub owner: Option<&'a str>,
    /// The value before suffixing (`doe` for `doe3`).
    pub base: &'a str,
    /// The numeric suffix appended, if any.
    pub suffix: Option<u32>,
}

/// Answers whether a value is already used, so that generated user names and mail
/// addresses are unique.
///
/// Attributes are `uid` (user names) and `mail`; `mail` means *any* mail address of an
/// entry (primary address or alias), since an alias must not collide with anybody's
/// address either. Values compare case-insensitively, as in the directory.
pub trait Taken: Send + Sync {
    /// Whether `value` is already used for `attribute` by an entry other than `exclude`
    /// (the entry being edited, e.g. its current uid/DN).
    fn is_taken<'a>(
        &'a self,
        attribute: &'a str,
        value: &'a str,
        exclude: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, TakenError>>;

    /// Records that generation settled on a value, so that later generations in the same
    /// batch see it as taken. The default does nothing (a server-backed implementation
    /// learns of the value when the entry is saved); [`TakenSet`] records it.
    fn reserve(&self, reservation: &Reservation<'_>) {
        let _ = reservation;
    }

    /// The first numeric suffix worth trying for `base` (at least 2). An implementation
    /// that knows `base2` ... `baseN` are taken may answer `N + 1`, which keeps a batch with
    /// many equal names linear. The default is 2.
    fn suffix_hint(&self, attribute: &str, base: &str) -> u32 {
        let _ = (attribute, base);
        2
    }

    /// For a batch: the values in use loaded in one go (one directory search instead of
    /// one per candidate), as a backend to use instead of this one (`Some`), or `None`
    /// to go on with this one. A directory-backed implementation answers a
    /// [`PreloadedTaken`](super::PreloadedTaken); the default answers `None`. A
    /// [`TakenSet`] puts its backend's preload behind itself and answers `None`.
    fn preload(&self) -> BoxFuture<'_, Result<Option<Arc<dyn Taken>>, TakenError>> {
        Box::pin(futures::future::ready(Ok(None)))
    }
}

impl<T: Taken + ?Sized> Taken for Arc<T> {
    fn is_taken<'a>(
        &'a self,
        attribute: &'a str,
        value: &'a str,
        exclude: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, TakenError>> {
        (**self).is_taken(attribute, value, exclude)
    }

    fn reserve(&self, reservation: &Reservation<'_>) {
        (**self).reserve(reservation)
    }

    fn suffix_hint(&self, attribute: &str, base: &str) -> u32 {
        (**self).suffix_hint(attribute, base)
    }

    fn preload(&self) -> BoxFuture<'_, Result<Option<Arc<dyn Taken>>, TakenError>> {
        (**self).preload()
    }
}

/// One value in use, as a directory lists it: for [`TakenSet::replace_loaded`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TakenEntry {
    /// The attribute (`uid` or `mail`).
    pub attribute: String,
    /// The value.
    pub value: String,
    /// The entry it belongs to (its user name or DN), if known.
    pub owner: Option<String>,
}

impl TakenEntry {
    /// A value of `attribute` used by `owner`.
    pub fn new(attribute: &str, value: &str, owner: Option<&str>) -> TakenEntry {
        TakenEntry {
            attribute: attribute.to_owned(),
            value: value.to_owned(),
            owner: owner.map(str::to_owned),
        }
    }
}

/// In-memory uniqueness set for batch imports, optionally in front of a backend.
///
/// Generation records every value it hands out here, so a CSV with two Jane Does gets
/// `doe` and `doe2` without a server round trip per name; with a backend
/// ([`TakenSet::with_backend`]) a value is free only if neither the set nor the backend
/// has it. Values are stored lower-cased with their owner (the entry they belong to), so
/// an entry never collides with itself. Thread-safe; share it with `Arc` if needed.
///
/// ```
/// # futures::executor::block_on(async {
/// use ucs::forms::{Taken, TakenSet};
/// let taken = TakenSet::new();
/// taken.insert_owned("uid", "Doe", "uid=doe,cn=users,dc=example,dc=org");
/// assert!(taken.is_taken("uid", "doe", None).await.unwrap());
/// assert!(!taken.is_taken("uid", "doe", Some("uid=doe,cn=users,dc=example,dc=org")).await.unwrap());
/// # });
/// ```
#[derive(Default)]
pub struct TakenSet {
    state: Mutex<State>,
    backend: RwLock<Option<Arc<dyn Taken>>>,
}

#[derive(Default)]
struct State {
    /// One entry per attribute; there are only a few (`uid`, `mail`), so a linear scan is
    /// cheaper than hashing the attribute name on every lookup.
    attributes: Vec<(String, Values)>,
}

#[derive(Default)]
struct Values {
    /// lower-cased value -> who holds it
    owners: HashMap<String, Held>,
    /// lower-cased base -> next suffix to try
    hints: HashMap<String, u32>,
}

/// Who holds a value, and whether it came from a directory load.
struct Held {
    owner: Option<String>,
    /// Loaded (replaced by the next load) rather than inserted or reserved here.
    loaded: bool,
}

impl Held {
    fn here(owner: Option<&str>) -> Held {
        Held {
            owner: owner.map(str::to_owned),
            loaded: false,
        }
    }
}

impl State {
    fn get(&self, attribute: &str) -> Option<&Values> {
        self.attributes
            .iter()
            .find(|(a, _)| a == attribute)
            .map(|(_, v)| v)
    }

    fn get_mut(&mut self, attribute: &str) -> &mut Values {
        let index = match self.attributes.iter().position(|(a, _)| a == attribute) {
            Some(index) => index,
            None => {
                self.attributes
                    .push((attribute.to_owned(), Values::default()));
                self.attributes.len() - 1
            }
        };
        &mut self.attributes[index].1
    }
}

fn fold(value: &str) -> Cow<'_, str> {
    if value.is_ascii() && !value.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.to_lowercase())
    }
}

impl TakenSet {
    /// An empty set without a backend.
    pub fn new() -> TakenSet {
        TakenSet::default()
    }

    /// An empty set in front of `backend` (for example a directory search).
    pub fn with_backend(backend: Arc<dyn Taken>) -> TakenSet {
        TakenSet {
            state: Mutex::default(),
            backend: RwLock::new(Some(backend)),
        }
    }

    fn backend(&self) -> Option<Arc<dyn Taken>> {
        // every update replaces the whole value, so a poisoned lock is consistent
        self.backend
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn set_backend(&self, backend: Arc<dyn Taken>) {
        *self
            .backend
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(backend);
    }

    /// Replaces the values loaded from a directory by `entries` (a fresh load): values
    /// loaded before and missing now are forgotten, values inserted or reserved here stay.
    pub fn replace_loaded(&self, entries: impl IntoIterator<Item = TakenEntry>) {
        let mut state = self.state();
        for (_, values) in state.attributes.iter_mut() {
            values.owners.retain(|_, held| !held.loaded);
            // suffix hints assume that nothing below them became free
            values.hints.clear();
        }
        for entry in entries {
            let owners = &mut state.get_mut(&entry.attribute).owners;
            let key = fold(&entry.value).into_owned();
            owners.entry(key).or_insert(Held {
                owner: entry.owner,
                loaded: true,
            });
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves the maps consistent (every
        // update is a single insert), so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks `value` as used for `attribute` by an unknown entry.
    pub fn insert(&self, attribute: &str, value: &str) {
        self.put(attribute, value, None);
    }

    /// Marks `value` as used for `attribute` by `owner` (its DN or uid), so that
    /// generating for `owner` again may reuse it.
    pub fn insert_owned(&self, attribute: &str, value: &str, owner: &str) {
        self.put(attribute, value, Some(owner));
    }

    fn put(&self, attribute: &str, value: &str, owner: Option<&str>) {
        self.state()
            .get_mut(attribute)
            .owners
            .insert(fold(value).into_owned(), Held::here(owner));
    }

    /// Marks many values of one attribute as used by unknown entries.
    pub fn extend<I, S>(&self, attribute: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut state = self.state();
        let owners = &mut state.get_mut(attribute).owners;
        for value in values {
            owners.insert(fold(value.as_ref()).into_owned(), Held::here(None));
        }
    }

    /// Forgets a value; returns whether it was there.
    pub fn remove(&self, attribute: &str, value: &str) -> bool {
        let mut state = self.state();
        let values = state.get_mut(attribute);
        // suffix hints assume that nothing below them became free
        values.hints.clear();
        values.owners.remove(fold(value).as_ref()).is_some()
    }

    /// Whether the set itself (not the backend) holds `value` for `attribute`.
    pub fn contains(&self, attribute: &str, value: &str) -> bool {
        self.state()
            .get(attribute)
            .is_some_and(|v| v.owners.contains_key(fold(value).as_ref()))
    }

    /// Number of values held for `attribute`.
    pub fn len(&self, attribute: &str) -> usize {
        self.state().get(attribute).map_or(0, |v| v.owners.len())
    }

    /// Whether the set holds no values at all.
    pub fn is_empty(&self) -> bool {
        self.state()
            .attributes
            .iter()
            .all(|(_, v)| v.owners.is_empty())
    }

    /// Whether the set holds `value` for an entry other than `exclude`.
    fn held_by_other(&self, attribute: &str, value: &str, exclude: Option<&str>) -> bool {
        self.state()
            .get(attribute)
            .and_then(|v| v.owners.get(fold(value).as_ref()))
            .is_some_and(|held| exclude.is_none() || held.owner.as_deref() != exclude)
    }
}

impl std::fmt::Debug for TakenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        let mut counts: Vec<(&String, usize)> = state
            .attributes
            .iter()
            .map(|(a, v)| (a, v.owners.len()))
            .collect();
        counts.sort();
        f.debug_struct("TakenSet")
            .field("values", &counts)
            .field("backend", &self.backend().is_some())
            .finish()
    }
}

impl Taken for TakenSet {
    fn is_taken<'a>(
        &'a self,
        attribute: &'a str,
        value: &'a str,
        exclude: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, TakenError>> {
        if self.held_by_other(attribute, value, exclude) {
            return Box::pin(futures::future::ready(Ok(true)));
        }
        match self.backend() {
            Some(backend) => {
                Box::pin(async move { backend.is_taken(attribute, value, exclude).await })
            }
            None => Box::pin(futures::future::ready(Ok(false))),
        }
    }

    fn reserve(&self, reservation: &Reservation<'_>) {
        {
            let mut state = self.state();
            let values = state.get_mut(reservation.attribute);
            values.owners.insert(
                fold(reservation.value).into_owned(),
                Held::here(reservation.owner),
            );
            if let Some(suffix) = reservation.suffix {
                let next = suffix.saturating_add(1);
                let base = fold(reservation.base);
                match values.hints.get_mut(base.as_ref()) {
                    Some(slot) => *slot = (*slot).max(next),
                    None => {
                        values.hints.insert(base.into_owned(), next);
                    }
                }
            }
        }
        if let Some(backend) = self.backend() {
            backend.reserve(reservation);
        }
    }

    fn suffix_hint(&self, attribute: &str, base: &str) -> u32 {
        let own = self
            .state()
            .get(attribute)
            .and_then(|v| v.hints.get(fold(base).as_ref()).copied())
            .unwrap_or(2);
        let backend = self.backend().map_or(2, |b| b.suffix_hint(attribute, base));
        own.max(backend).max(2)
    }

    /// Puts the backend's preload (if it offers one) behind this set, so that this set,
    /// with what it holds, goes on being used: answers `None`.
    fn preload(&self) -> BoxFuture<'_, Result<Option<Arc<dyn Taken>>, TakenError>> {
        Box::pin(async move {
            if let Some(backend) = self.backend() {
                if let Some(preloaded) = backend.preload().await? {
                    self.set_backend(preloaded);
                }
            }
            Ok(None)
        })
    }
}

/// How many suffixed candidates are tried before giving up.
pub const MAX_SUFFIX_ATTEMPTS: u32 = 1000;

/// Makes `value` unique for `attribute`: the value itself if free, else the first free of
/// `value2`, `value3`, ... (for a mail address the number goes before the `@`:
/// `jane.doe2@example.org`), starting at the backend's [`Taken::suffix_hint`] (at 2 when
/// `exclude` names an entry being edited, so that it keeps its own `doe5`). The chosen
/// value is [reserved](Taken::reserve) with `exclude` as its owner. Gives up with
/// [`FormError::SuffixesExhausted`] after [`MAX_SUFFIX_ATTEMPTS`] candidates.
///
/// ```
/// # futures::executor::block_on(async {
/// use ucs::forms::{make_unique, TakenSet};
/// let taken = TakenSet::new();
/// assert_eq!(make_unique(&taken, "uid", "doe", None).await.unwrap(), "doe");
/// assert_eq!(make_unique(&taken, "uid", "doe", None).await.unwrap(), "doe2");
/// assert_eq!(make_unique(&taken, "mail", "j.doe@example.org", None).await.unwrap(), "j.doe@example.org");
/// assert_eq!(make_unique(&taken, "mail", "j.doe@example.org", None).await.unwrap(), "j.doe2@example.org");
/// # });
/// ```
pub async fn make_unique(
    taken: &dyn Taken,
    attribute: &str,
    value: &str,
    exclude: Option<&str>,
) -> Result<String, FormError> {
    unique(taken, attribute, value, exclude, None).await
}

/// Room left for the number of a suffixed value that is cut: three digits, as the
/// UCS@school importer leaves for its counters (ucs-school-import,
/// `UsernameHandler.format_name`: `PATTERN_FUNC_MAXLENGTH`).
pub const SUFFIX_ROOM: usize = 3;

/// [`make_unique`] for values of at most `max_chars` characters (a limit on user names):
/// a longer value is cut to `max_chars`; a suffixed candidate is cut to `max_chars -`
/// [`SUFFIX_ROOM`] before its number, as the UCS@school importer does (further only for
/// a number of more digits), so that every candidate fits. A cut loses trailing `.`, `_`
/// and `-`.
///
/// ```
/// # futures::executor::block_on(async {
/// use ucs::forms::{make_unique_within, TakenSet};
/// let taken = TakenSet::new();
/// let first = make_unique_within(&taken, "uid", "mueller-luedenscheidt", None, 15).await.unwrap();
/// assert_eq!(first, "mueller-luedens");
/// let second = make_unique_within(&taken, "uid", "mueller-luedenscheidt", None, 15).await.unwrap();
/// assert_eq!(second, "mueller-lued2");
/// # });
/// ```
pub async fn make_unique_within(
    taken: &dyn Taken,
    attribute: &str,
    value: &str,
    exclude: Option<&str>,
    max_chars: usize,
) -> Result<String, FormError> {
    unique(taken, attribute, value, exclude, Some(max_chars.max(1))).await
}

/// A candidate: `prefix`, the suffix and `tail`, within `max` characters.
fn candidate(prefix: &str, suffix: Option<u32>, tail: &str, max: Option<usize>) -> String {
    let number = suffix.map(|n| n.to_string()).unwrap_or_default();
    let Some(max) = max else {
        return format!("{prefix}{number}{tail}");
    };
    let fixed = number.len() + tail.chars().count();
    if prefix.chars().count() + fixed <= max {
        return format!("{prefix}{number}{tail}");
    }
    let mut room = max.saturating_sub(fixed);
    if suffix.is_some() {
        room = room.min(max.saturating_sub(SUFFIX_ROOM));
    }
    let cut: String = prefix.chars().take(room).collect();
    let cut = cut.trim_end_matches(['.', '_', '-']);
    format!("{cut}{number}{tail}")
}

async fn unique(
    taken: &dyn Taken,
    attribute: &str,
    value: &str,
    exclude: Option<&str>,
    max: Option<usize>,
) -> Result<String, FormError> {
    let (prefix, tail) = match value.rfind('@') {
        Some(at) => value.split_at(at),
        None => (value, ""),
    };
    let check = |candidate: String| async move {
        match taken.is_taken(attribute, &candidate, exclude).await {
            Ok(used) => Ok((used, candidate)),
            Err(source) => Err(FormError::Uniqueness {
                attribute: attribute.to_owned(),
                value: candidate,
                source,
            }),
        }
    };
    let reserve = |candidate: &str, suffix: Option<u32>| {
        taken.reserve(&Reservation {
            attribute,
            value: candidate,
            owner: exclude,
            base: value,
            suffix,
        });
    };
    let (used, first) = check(candidate(prefix, None, tail, max)).await?;
    if !used {
        reserve(&first, None);
        return Ok(first);
    }
    // The hint skips values taken at the time; when editing an entry, one of those may be
    // its own, which it must keep, so probe from 2 then.
    let start = match exclude {
        None => taken.suffix_hint(attribute, value).max(2),
        Some(_) => 2,
    };
    for suffix in (0..MAX_SUFFIX_ATTEMPTS).map_while(|i| start.checked_add(i)) {
        let (used, next) = check(candidate(prefix, Some(suffix), tail, max)).await?;
        if !used {
            reserve(&next, Some(suffix));
            return Ok(next);
        }
    }
    Err(FormError::SuffixesExhausted {
        attribute: attribute.to_owned(),
        base: value.to_owned(),
        tried: MAX_SUFFIX_ATTEMPTS,
    })
}
