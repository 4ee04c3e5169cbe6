//! Operations: added, removed, renamed, deprecated, and what they send and
//! receive (parameters, request body, responses).

use std::collections::BTreeSet;

use crate::drift::{ChangeClass, ChangeKind};
use crate::model::{Operation, Surface};
use crate::render::describe;

use super::context::{or_none, At, Comparer};

use ChangeClass::{Breaking, Compatible, Cosmetic};

impl Comparer<'_> {
    /// Every operation of either surface, by method, path and position.
    pub(super) fn operations(&mut self, old: &Surface, new: &Surface) {
        let keys: BTreeSet<&(String, usize)> =
            old.operations.keys().chain(new.operations.keys()).collect();
        for key in keys {
            match (old.operations.get(key), new.operations.get(key)) {
                (Some(o), None) => self.operation_presence(o, false),
                (None, Some(n)) => self.operation_presence(n, true),
                (Some(o), Some(n)) => self.operation(o, n),
                (None, None) => {}
            }
        }
    }

    /// An operation only in the new (`added`) or only in the old surface.
    fn operation_presence(&mut self, op: &Operation, added: bool) {
        let loc = format!("operation {}", op.label());
        let (class, kind, word) = if added {
            (Compatible, ChangeKind::OperationAdded, "added")
        } else {
            (Breaking, ChangeKind::OperationRemoved, "removed")
        };
        let detail = match &op.method_name {
            Some(m) => format!("operation {word} (generated method {m})"),
            None => format!("operation {word}"),
        };
        let (old, new) = if added {
            (None, op.method_name.clone())
        } else {
            (op.method_name.clone(), None)
        };
        self.push(class, kind, At::new(&loc, ""), old, new, detail);
    }

    /// One operation in both surfaces.
    fn operation(&mut self, o: &Operation, n: &Operation) {
        let loc = format!("operation {}", o.label());
        self.operation_identity(&loc, o, n);
        if o.deprecated != n.deprecated {
            let detail = if n.deprecated {
                "operation deprecated"
            } else {
                "operation no longer deprecated"
            };
            let kind = ChangeKind::DeprecationChanged;
            self.note(Compatible, kind, At::new(&loc, ""), detail);
        }
        self.operation_security(&loc, o, n);
        self.parameters(&loc, o, n);
        self.request(&loc, o, n);
        self.responses(&loc, o, n);
    }

    /// A new `operationId`: breaking when the generated method's name changes.
    fn operation_identity(&mut self, loc: &str, o: &Operation, n: &Operation) {
        if o.operation_id == n.operation_id {
            return;
        }
        let at = At::new(loc, "");
        let (old_id, new_id) = (or_none(&o.operation_id), or_none(&n.operation_id));
        if o.method_name != n.method_name {
            let detail = format!(
                "generated method renamed: {} -> {} (operationId {old_id} -> {new_id})",
                or_none(&o.method_name),
                or_none(&n.method_name)
            );
            let (old, new) = (o.method_name.clone(), n.method_name.clone());
            self.push(Breaking, ChangeKind::OperationRenamed, at, old, new, detail);
        } else {
            let detail = format!(
                "operationId changed: {old_id} -> {new_id} (generated method {} unchanged)",
                or_none(&n.method_name)
            );
            let (old, new) = (o.operation_id.clone(), n.operation_id.clone());
            self.push(
                Cosmetic,
                ChangeKind::OperationIdChanged,
                at,
                old,
                new,
                detail,
            );
        }
    }

    fn parameters(&mut self, loc: &str, o: &Operation, n: &Operation) {
        let keys: BTreeSet<&(String, String)> = o.params.keys().chain(n.params.keys()).collect();
        for key in keys {
            let path = format!("param {} {}", key.0, key.1);
            let at = At::new(loc, &path);
            match (o.params.get(key), n.params.get(key)) {
                (Some(_), None) => {
                    self.note(
                        Breaking,
                        ChangeKind::ParameterRemoved,
                        at,
                        "parameter removed",
                    );
                }
                (None, Some(p)) => {
                    let shape = &p.get().schema;
                    let (class, word) = if shape.node.required {
                        (Breaking, "required")
                    } else {
                        (Compatible, "optional")
                    };
                    let detail = format!("{word} parameter added: {}", describe(shape));
                    let new = Some(describe(shape));
                    self.push(class, ChangeKind::ParameterAdded, at, None, new, detail);
                }
                (Some(op), Some(np)) => {
                    self.slots(at, "parameters", op, np, |cx, a, b| cx.param(at, a, b));
                }
                (None, None) => {}
            }
        }
    }

    fn request(&mut self, loc: &str, o: &Operation, n: &Operation) {
        let at = At::new(loc, "request");
        match (&o.request, &n.request) {
            (Some(_), None) => {
                self.note(
                    Breaking,
                    ChangeKind::RequestBodyRemoved,
                    at,
                    "request body removed",
                );
            }
            (None, Some(b)) => {
                let (class, detail) = if b.get().required {
                    (Breaking, "required request body added")
                } else {
                    (Compatible, "optional request body added")
                };
                self.note(class, ChangeKind::RequestBodyAdded, at, detail);
            }
            (Some(ob), Some(nb)) => {
                self.slots(at, "requestBodies", ob, nb, |cx, a, b| cx.body(at, a, b));
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, loc: &str, o: &Operation, n: &Operation) {
        let statuses: BTreeSet<&String> = o.responses.keys().chain(n.responses.keys()).collect();
        for status in statuses {
            let path = format!("response {status}");
            let at = At::new(loc, &path);
            match (o.responses.get(status), n.responses.get(status)) {
                (Some(_), None) => {
                    self.note(
                        Breaking,
                        ChangeKind::ResponseRemoved,
                        at,
                        "response removed",
                    );
                }
                (None, Some(_)) => {
                    self.note(Compatible, ChangeKind::ResponseAdded, at, "response added");
                }
                (Some(or), Some(nr)) => {
                    self.slots(at, "responses", or, nr, |cx, a, b| cx.response(at, a, b));
                }
                (None, None) => {}
            }
        }
    }
}
