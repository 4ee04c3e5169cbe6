//! Security: the document's and each operation's requirement, and the
//! security schemes.

use std::collections::BTreeSet;

use crate::drift::{ChangeClass, ChangeKind};
use crate::model::{Operation, Surface};

use super::context::{or_none, At, Comparer};

use ChangeClass::{Breaking, Compatible};

impl Comparer<'_> {
    /// The document-wide security requirement.
    pub(super) fn document_security(&mut self) {
        if self.old_security != self.new_security {
            let (old, new) = (
                self.old_security.map(str::to_string),
                self.new_security.map(str::to_string),
            );
            self.security_changed(At::new("document", ""), old, new);
        }
    }

    /// An operation's own requirement, falling back to the document's.
    pub(super) fn operation_security(&mut self, loc: &str, o: &Operation, n: &Operation) {
        if o.security == n.security {
            return;
        }
        let old = o.security.as_deref().or(self.old_security);
        let new = n.security.as_deref().or(self.new_security);
        if old != new {
            let (old, new) = (old.map(str::to_string), new.map(str::to_string));
            self.security_changed(At::new(loc, ""), old, new);
        }
    }

    fn security_changed(&mut self, at: At<'_>, old: Option<String>, new: Option<String>) {
        let class = security_class(new.as_deref());
        let detail = format!("security changed: {} -> {}", or_none(&old), or_none(&new));
        self.push(class, ChangeKind::SecurityChanged, at, old, new, detail);
    }

    /// The security schemes of `components`.
    pub(super) fn security_schemes(&mut self, old: &Surface, new: &Surface) {
        let names: BTreeSet<&String> = old
            .security_schemes
            .keys()
            .chain(new.security_schemes.keys())
            .collect();
        for name in names {
            let loc = format!("security scheme {name}");
            let at = At::new(&loc, "");
            match (
                old.security_schemes.get(name),
                new.security_schemes.get(name),
            ) {
                (Some(o), None) => {
                    let (kind, detail) =
                        (ChangeKind::SecuritySchemeRemoved, "security scheme removed");
                    self.push(
                        Breaking,
                        kind,
                        at,
                        Some(o.clone()),
                        None,
                        detail.to_string(),
                    );
                }
                (None, Some(n)) => {
                    let detail = format!("security scheme added: {n}");
                    let kind = ChangeKind::SecuritySchemeAdded;
                    self.push(Compatible, kind, at, None, Some(n.clone()), detail);
                }
                (Some(o), Some(n)) if o != n => {
                    let detail = format!("security scheme changed: {o} -> {n}");
                    let kind = ChangeKind::SecuritySchemeChanged;
                    self.push(Breaking, kind, at, Some(o.clone()), Some(n.clone()), detail);
                }
                _ => {}
            }
        }
    }
}

/// Dropping the security requirement is compatible; any other change breaks calls.
fn security_class(new: Option<&str>) -> ChangeClass {
    match new {
        None | Some("none") => Compatible,
        Some(text) if text.split(" | ").any(|alt| alt == "anonymous") => Compatible,
        Some(_) => Breaking,
    }
}
