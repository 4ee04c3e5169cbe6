//! The state of one comparison and the helpers every subject uses.

use std::collections::BTreeMap;

use crate::drift::{Change, ChangeClass, ChangeKind};
use crate::model::Surface;
use crate::schema::{Kind, Shape};
use crate::usage::Usage;

/// Where a change is: the location (`operation GET /x`, `schema User`) and
/// the path inside it (`param query q`, `response 200 application/json .a`).
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub loc: &'a str,
    pub path: &'a str,
}

impl<'a> At<'a> {
    pub(super) fn new(loc: &'a str, path: &'a str) -> Self {
        At { loc, path }
    }
}

/// Collects the changes between two surfaces.
pub(super) struct Comparer<'a> {
    /// Where each component schema is used, in either document.
    pub usage: BTreeMap<String, Usage>,
    /// Component schemas renamed (old name -> new name).
    pub renames: BTreeMap<String, String>,
    pub new_schemas: &'a BTreeMap<String, Shape>,
    pub old_security: Option<&'a str>,
    pub new_security: Option<&'a str>,
    /// The changes found so far, in document order.
    pub out: Vec<Change>,
}

impl<'a> Comparer<'a> {
    pub(super) fn new(
        old: &'a Surface,
        new: &'a Surface,
        usage: BTreeMap<String, Usage>,
        renames: BTreeMap<String, String>,
    ) -> Self {
        Comparer {
            usage,
            renames,
            new_schemas: &new.schemas,
            old_security: old.security.as_deref(),
            new_security: new.security.as_deref(),
            out: Vec::new(),
        }
    }

    /// Records a change with its old and new values.
    pub(super) fn push(
        &mut self,
        class: ChangeClass,
        kind: ChangeKind,
        at: At<'_>,
        old: Option<String>,
        new: Option<String>,
        detail: String,
    ) {
        self.out.push(Change {
            class,
            kind,
            location: at.loc.to_string(),
            path: at.path.to_string(),
            old,
            new,
            detail,
        });
    }

    /// Records a change that has no old or new value to show.
    pub(super) fn note(&mut self, class: ChangeClass, kind: ChangeKind, at: At<'_>, detail: &str) {
        self.push(class, kind, at, None, None, detail.to_string());
    }

    /// Whether two kinds are the same, counting a `$ref` to a renamed schema
    /// as unchanged.
    pub(super) fn kinds_equal(&self, old: &Kind, new: &Kind) -> bool {
        match (old, new) {
            (Kind::Ref(a), Kind::Ref(b)) => a == b || self.renames.get(a) == Some(b),
            _ => old == new,
        }
    }
}

/// `prefix path`, without stray spaces.
pub(super) fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) => format!("{prefix} {path}"),
    }
}

/// The value, or `none`.
pub(super) fn or_none(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("none")
}
