//! What an operation or component sends and receives: parameters, request
//! bodies, responses and their media types, inline or by `$ref`.

use std::collections::{BTreeMap, BTreeSet};

use crate::drift::{ChangeClass, ChangeKind};
use crate::model::{Body, Param, Response, Slot};
use crate::render::describe;
use crate::schema::Shape;
use crate::usage::Usage;

use super::context::{join, At, Comparer};

use ChangeClass::{Breaking, Compatible, Cosmetic};

impl Comparer<'_> {
    /// Compares two uses of a part: nothing when both refer to the same
    /// component (its own comparison reports changes once); otherwise a
    /// cosmetic note when the reference changed, and the content's changes.
    pub(super) fn slots<T: PartialEq>(
        &mut self,
        at: At<'_>,
        kind: &str,
        o: &Slot<T>,
        n: &Slot<T>,
        content: impl FnOnce(&mut Self, &T, &T),
    ) {
        match (o.ref_name(), n.ref_name()) {
            (Some(a), Some(b)) if a == b => return,
            (None, None) => {}
            _ => {
                let show = |s: &Slot<T>| match s.ref_name() {
                    Some(name) => format!("#{kind}/{name}"),
                    None => "inline".to_string(),
                };
                let (old, new) = (show(o), show(n));
                let detail = if o.get() == n.get() {
                    format!("same content, now {new} instead of {old}")
                } else {
                    format!("now {new} instead of {old}")
                };
                self.push(
                    Cosmetic,
                    ChangeKind::RefChanged,
                    at,
                    Some(old),
                    Some(new),
                    detail,
                );
            }
        }
        if o.get() != n.get() {
            content(self, o.get(), n.get());
        }
    }

    pub(super) fn param(&mut self, at: At<'_>, o: &Param, n: &Param) {
        if (&o.location, &o.name) != (&n.location, &n.name) {
            let old = format!("{} {}", o.location, o.name);
            let new = format!("{} {}", n.location, n.name);
            let detail = format!("parameter is now {new} (was {old})");
            self.push(
                Breaking,
                ChangeKind::ParameterRemoved,
                at,
                Some(old),
                Some(new),
                detail,
            );
            return;
        }
        self.shapes(&o.schema, &n.schema, Usage::REQUEST, at);
    }

    pub(super) fn body(&mut self, at: At<'_>, o: &Body, n: &Body) {
        if o.required != n.required {
            if n.required {
                let detail = "request body became required";
                self.note(Breaking, ChangeKind::RequiredAdded, at, detail);
            } else {
                let detail = "request body became optional";
                self.note(Compatible, ChangeKind::RequiredRemoved, at, detail);
            }
        }
        self.content(at, &o.content, &n.content, Usage::REQUEST);
    }

    pub(super) fn response(&mut self, at: At<'_>, o: &Response, n: &Response) {
        self.content(at, &o.content, &n.content, Usage::RESPONSE);
    }

    /// The media types of a body or response.
    fn content(
        &mut self,
        at: At<'_>,
        o: &BTreeMap<String, Shape>,
        n: &BTreeMap<String, Shape>,
        usage: Usage,
    ) {
        let media: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
        for m in media {
            let mpath = join(at.path, m);
            let at = At::new(at.loc, &mpath);
            match (o.get(m), n.get(m)) {
                (Some(_), None) => {
                    self.note(
                        Breaking,
                        ChangeKind::MediaTypeRemoved,
                        at,
                        "media type removed",
                    );
                }
                (None, Some(s)) => {
                    let detail = format!("media type added: {}", describe(s));
                    let kind = ChangeKind::MediaTypeAdded;
                    self.push(Compatible, kind, at, None, Some(describe(s)), detail);
                }
                (Some(a), Some(b)) => self.shapes(a, b, usage, at),
                (None, None) => {}
            }
        }
    }
}
