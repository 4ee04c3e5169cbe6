//! Uniqueness of generated values: the [`Taken`] trait, the in-memory [`TakenSet`] and the
//! suffixing algorithm (`doe`, `doe2`, `doe3`, ...).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use futures::future::BoxFuture;

use super::FormError;

/// A uniqueness backend failed (a search on the server, say).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct TakenError(Box<dyn std::error::Error + Send + Sync>);

impl TakenError {
    /// Wraps a backend error.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TakenError {
        TakenError(error.into())
    }

    /// The backend error.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.0
    }
}

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
    backend: Option<Arc<dyn Taken>>,
}

#[derive(Default)]
struct State {
    /// One entry per attribute; there are only a few (`uid`, `mail`), so a linear scan is
    /// cheaper than hashing the attribute name on every lookup.
    attributes: Vec<(String, Values)>,
}

#[derive(Default)]
struct Values {
    /// lower-cased value -> owner
    owners: HashMap<String, Option<String>>,
    /// lower-cased base -> next suffix to try
    hints: HashMap<String, u32>,
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
            backend: Some(backend),
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
            .insert(fold(value).into_owned(), owner.map(str::to_owned));
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
            owners.insert(fold(value.as_ref()).into_owned(), None);
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
            .is_some_and(|owner| exclude.is_none() || owner.as_deref() != exclude)
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
            .field("backend", &self.backend.is_some())
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
        match &self.backend {
            Some(backend) => backend.is_taken(attribute, value, exclude),
            None => Box::pin(futures::future::ready(Ok(false))),
        }
    }

    fn reserve(&self, reservation: &Reservation<'_>) {
        {
            let mut state = self.state();
            let values = state.get_mut(reservation.attribute);
            values.owners.insert(
                fold(reservation.value).into_owned(),
                reservation.owner.map(str::to_owned),
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
        if let Some(backend) = &self.backend {
            backend.reserve(reservation);
        }
    }

    fn suffix_hint(&self, attribute: &str, base: &str) -> u32 {
        let own = self
            .state()
            .get(attribute)
            .and_then(|v| v.hints.get(fold(base).as_ref()).copied())
            .unwrap_or(2);
        let backend = self
            .backend
            .as_ref()
            .map_or(2, |b| b.suffix_hint(attribute, base));
        own.max(backend).max(2)
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
    let (used, candidate) = check(value.to_owned()).await?;
    if !used {
        taken.reserve(&Reservation {
            attribute,
            value: &candidate,
            owner: exclude,
            base: value,
            suffix: None,
        });
        return Ok(candidate);
    }
    // The hint skips values taken at the time; when editing an entry, one of those may be
    // its own, which it must keep, so probe from 2 then.
    let start = match exclude {
        None => taken.suffix_hint(attribute, value).max(2),
        Some(_) => 2,
    };
    for suffix in (0..MAX_SUFFIX_ATTEMPTS).map_while(|i| start.checked_add(i)) {
        let (used, candidate) = check(format!("{prefix}{suffix}{tail}")).await?;
        if !used {
            taken.reserve(&Reservation {
                attribute,
                value: &candidate,
                owner: exclude,
                base: value,
                suffix: Some(suffix),
            });
            return Ok(candidate);
        }
    }
    Err(FormError::SuffixesExhausted {
        attribute: attribute.to_owned(),
        base: value.to_owned(),
        tried: MAX_SUFFIX_ATTEMPTS,
    })
}
