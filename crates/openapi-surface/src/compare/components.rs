//! Reusable parameters, request bodies and responses (`components`).

use std::collections::{BTreeMap, BTreeSet};

use crate::drift::{ChangeClass, ChangeKind};
use crate::model::{Slot, Surface};

use super::context::{At, Comparer};

impl Comparer<'_> {
    /// Every reusable parameter, request body and response.
    pub(super) fn components(&mut self, old: &Surface, new: &Surface) {
        let each = each_component("parameter", &old.parameters, &new.parameters);
        for (loc, o, n) in each {
            let at = At::new(&loc, "");
            self.component(at, "parameters", o, n, |cx, a, b| cx.param(at, a, b));
        }
        let each = each_component("request body", &old.request_bodies, &new.request_bodies);
        for (loc, o, n) in each {
            let at = At::new(&loc, "");
            self.component(at, "requestBodies", o, n, |cx, a, b| cx.body(at, a, b));
        }
        let each = each_component("response", &old.responses, &new.responses);
        for (loc, o, n) in each {
            let at = At::new(&loc, "");
            self.component(at, "responses", o, n, |cx, a, b| cx.response(at, a, b));
        }
    }

    /// One component in either surface: its content when in both, else its
    /// presence.
    fn component<T: PartialEq>(
        &mut self,
        at: At<'_>,
        kind: &str,
        o: Option<&Slot<T>>,
        n: Option<&Slot<T>>,
        content: impl FnOnce(&mut Self, &T, &T),
    ) {
        match (o, n) {
            (Some(o), Some(n)) => self.slots(at, kind, o, n, content),
            (o, n) => self.component_presence(at, o.is_some(), n.is_some()),
        }
    }

    /// A reusable parameter, body or response appeared or disappeared: the
    /// operations using it report what that means for them.
    fn component_presence(&mut self, at: At<'_>, old: bool, new: bool) {
        let cosmetic = ChangeClass::Cosmetic;
        match (old, new) {
            (true, false) => {
                let kind = ChangeKind::ComponentRemoved;
                self.note(cosmetic, kind, at, "reusable component removed");
            }
            (false, true) => {
                let kind = ChangeKind::ComponentAdded;
                self.note(cosmetic, kind, at, "reusable component added");
            }
            _ => {}
        }
    }
}

/// Every name of either map, sorted, with its location (`{what} component
/// {name}`) and its entry on each side.
fn each_component<'s, T>(
    what: &str,
    old: &'s BTreeMap<String, T>,
    new: &'s BTreeMap<String, T>,
) -> Vec<(String, Option<&'s T>, Option<&'s T>)> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .map(|name| {
            (
                format!("{what} component {name}"),
                old.get(name),
                new.get(name),
            )
        })
        .collect()
}
