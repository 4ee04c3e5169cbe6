//! Compares two surfaces and classifies every change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::drift::{Change, ChangeClass, ChangeKind};
use crate::model::{Body, Operation, Param, Response, Slot, Surface};
use crate::render::{describe, kind_text};
use crate::schema::{Bound, Direction, Flat, Kind, Node, Segment, Shape};
use crate::usage::Usage;

use ChangeClass::{Breaking, Compatible, Cosmetic, ResponseEnumAddition};

/// Collects the changes between two surfaces.
pub(crate) struct Comparer<'a> {
    /// Where each component schema is used, in either document.
    usage: BTreeMap<String, Usage>,
    /// Component schemas renamed (old name -> new name).
    renames: BTreeMap<String, String>,
    new_schemas: &'a BTreeMap<String, Shape>,
    old_security: Option<&'a str>,
    new_security: Option<&'a str>,
    /// The changes found so far, in document order.
    pub(crate) out: Vec<Change>,
}

impl<'a> Comparer<'a> {
    /// Compares `old` with `new`; `usage` tells which side of the exchange
    /// each component schema is on.
    pub(crate) fn run(
        old: &'a Surface,
        new: &'a Surface,
        usage: BTreeMap<String, Usage>,
    ) -> Vec<Change> {
        let mut cx = Comparer {
            usage,
            renames: schema_renames(&old.schemas, &new.schemas),
            new_schemas: &new.schemas,
            old_security: old.security.as_deref(),
            new_security: new.security.as_deref(),
            out: Vec::new(),
        };
        cx.document_security();
        cx.operations(old, new);
        cx.security_schemes(old, new);
        cx.components(old, new);
        cx.schemas(old, new);
        cx.out
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        class: ChangeClass,
        kind: ChangeKind,
        location: &str,
        path: &str,
        old: Option<String>,
        new: Option<String>,
        detail: String,
    ) {
        self.out.push(Change {
            class,
            kind,
            location: location.to_string(),
            path: path.to_string(),
            old,
            new,
            detail,
        });
    }

    fn document_security(&mut self) {
        if self.old_security != self.new_security {
            let (old, new) = (
                self.old_security.map(str::to_string),
                self.new_security.map(str::to_string),
            );
            let class = security_class(new.as_deref());
            let detail = format!("security changed: {} -> {}", or_none(&old), or_none(&new));
            self.push(
                class,
                ChangeKind::SecurityChanged,
                "document",
                "",
                old,
                new,
                detail,
            );
        }
    }

    fn operations(&mut self, old: &Surface, new: &Surface) {
        let keys: BTreeSet<&(String, usize)> =
            old.operations.keys().chain(new.operations.keys()).collect();
        for key in keys {
            match (old.operations.get(key), new.operations.get(key)) {
                (Some(o), None) => {
                    let loc = format!("operation {}", o.label());
                    let detail = match &o.method_name {
                        Some(m) => format!("operation removed (generated method {m})"),
                        None => "operation removed".to_string(),
                    };
                    self.push(
                        Breaking,
                        ChangeKind::OperationRemoved,
                        &loc,
                        "",
                        o.method_name.clone(),
                        None,
                        detail,
                    );
                }
                (None, Some(n)) => {
                    let loc = format!("operation {}", n.label());
                    let detail = match &n.method_name {
                        Some(m) => format!("operation added (generated method {m})"),
                        None => "operation added".to_string(),
                    };
                    self.push(
                        Compatible,
                        ChangeKind::OperationAdded,
                        &loc,
                        "",
                        None,
                        n.method_name.clone(),
                        detail,
                    );
                }
                (Some(o), Some(n)) => self.operation(o, n),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let loc = format!("operation {}", o.label());
        if o.operation_id != n.operation_id {
            let (old_id, new_id) = (or_none(&o.operation_id), or_none(&n.operation_id));
            if o.method_name != n.method_name {
                let detail = format!(
                    "generated method renamed: {} -> {} (operationId {old_id} -> {new_id})",
                    or_none(&o.method_name),
                    or_none(&n.method_name)
                );
                self.push(
                    Breaking,
                    ChangeKind::OperationRenamed,
                    &loc,
                    "",
                    o.method_name.clone(),
                    n.method_name.clone(),
                    detail,
                );
            } else {
                let detail = format!(
                    "operationId changed: {old_id} -> {new_id} (generated method {} unchanged)",
                    or_none(&n.method_name)
                );
                self.push(
                    Cosmetic,
                    ChangeKind::OperationIdChanged,
                    &loc,
                    "",
                    o.operation_id.clone(),
                    n.operation_id.clone(),
                    detail,
                );
            }
        }
        if o.deprecated != n.deprecated {
            let detail = if n.deprecated {
                "operation deprecated"
            } else {
                "operation no longer deprecated"
            };
            self.push(
                Compatible,
                ChangeKind::DeprecationChanged,
                &loc,
                "",
                None,
                None,
                detail.to_string(),
            );
        }
        if o.security != n.security {
            let old = o
                .security
                .as_deref()
                .or(self.old_security)
                .map(str::to_string);
            let new = n
                .security
                .as_deref()
                .or(self.new_security)
                .map(str::to_string);
            if old != new {
                let class = security_class(new.as_deref());
                let detail = format!("security changed: {} -> {}", or_none(&old), or_none(&new));
                self.push(
                    class,
                    ChangeKind::SecurityChanged,
                    &loc,
                    "",
                    old,
                    new,
                    detail,
                );
            }
        }

        let keys: BTreeSet<&(String, String)> = o.params.keys().chain(n.params.keys()).collect();
        for key in keys {
            let path = format!("param {} {}", key.0, key.1);
            match (o.params.get(key), n.params.get(key)) {
                (Some(_), None) => {
                    self.push(
                        Breaking,
                        ChangeKind::ParameterRemoved,
                        &loc,
                        &path,
                        None,
                        None,
                        "parameter removed".to_string(),
                    );
                }
                (None, Some(p)) => {
                    let shape = &p.get().schema;
                    let (class, detail) = if shape.node.required {
                        (
                            Breaking,
                            format!("required parameter added: {}", describe(shape)),
                        )
                    } else {
                        (
                            Compatible,
                            format!("optional parameter added: {}", describe(shape)),
                        )
                    };
                    self.push(
                        class,
                        ChangeKind::ParameterAdded,
                        &loc,
                        &path,
                        None,
                        Some(describe(shape)),
                        detail,
                    );
                }
                (Some(op), Some(np)) => {
                    self.slots(&loc, &path, "parameters", op, np, |cx, a, b| {
                        cx.param(&loc, &path, a, b)
                    });
                }
                (None, None) => {}
            }
        }

        match (&o.request, &n.request) {
            (Some(_), None) => {
                self.push(
                    Breaking,
                    ChangeKind::RequestBodyRemoved,
                    &loc,
                    "request",
                    None,
                    None,
                    "request body removed".to_string(),
                );
            }
            (None, Some(b)) => {
                let (class, detail) = if b.get().required {
                    (Breaking, "required request body added")
                } else {
                    (Compatible, "optional request body added")
                };
                self.push(
                    class,
                    ChangeKind::RequestBodyAdded,
                    &loc,
                    "request",
                    None,
                    None,
                    detail.to_string(),
                );
            }
            (Some(ob), Some(nb)) => {
                self.slots(&loc, "request", "requestBodies", ob, nb, |cx, a, b| {
                    cx.body(&loc, "request", a, b)
                });
            }
            (None, None) => {}
        }

        let statuses: BTreeSet<&String> = o.responses.keys().chain(n.responses.keys()).collect();
        for status in statuses {
            let path = format!("response {status}");
            match (o.responses.get(status), n.responses.get(status)) {
                (Some(_), None) => {
                    self.push(
                        Breaking,
                        ChangeKind::ResponseRemoved,
                        &loc,
                        &path,
                        None,
                        None,
                        "response removed".to_string(),
                    );
                }
                (None, Some(_)) => {
                    self.push(
                        Compatible,
                        ChangeKind::ResponseAdded,
                        &loc,
                        &path,
                        None,
                        None,
                        "response added".to_string(),
                    );
                }
                (Some(or), Some(nr)) => {
                    self.slots(&loc, &path, "responses", or, nr, |cx, a, b| {
                        cx.response(&loc, &path, a, b)
                    });
                }
                (None, None) => {}
            }
        }
    }

    /// Compares two uses of a part: nothing when both refer to the same
    /// component (its own comparison reports changes once); otherwise a
    /// cosmetic note when the reference changed, and the content's changes.
    fn slots<T: PartialEq>(
        &mut self,
        loc: &str,
        path: &str,
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
                    loc,
                    path,
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

    fn param(&mut self, loc: &str, path: &str, o: &Param, n: &Param) {
        if (&o.location, &o.name) != (&n.location, &n.name) {
            let old = format!("{} {}", o.location, o.name);
            let new = format!("{} {}", n.location, n.name);
            let detail = format!("parameter is now {new} (was {old})");
            self.push(
                Breaking,
                ChangeKind::ParameterRemoved,
                loc,
                path,
                Some(old),
                Some(new),
                detail,
            );
            return;
        }
        self.shapes(&o.schema, &n.schema, Usage::REQUEST, loc, path);
    }

    fn body(&mut self, loc: &str, path: &str, o: &Body, n: &Body) {
        if o.required != n.required {
            if n.required {
                self.push(
                    Breaking,
                    ChangeKind::RequiredAdded,
                    loc,
                    path,
                    None,
                    None,
                    "request body became required".to_string(),
                );
            } else {
                self.push(
                    Compatible,
                    ChangeKind::RequiredRemoved,
                    loc,
                    path,
                    None,
                    None,
                    "request body became optional".to_string(),
                );
            }
        }
        self.content(loc, path, &o.content, &n.content, Usage::REQUEST);
    }

    fn response(&mut self, loc: &str, path: &str, o: &Response, n: &Response) {
        self.content(loc, path, &o.content, &n.content, Usage::RESPONSE);
    }

    fn content(
        &mut self,
        loc: &str,
        path: &str,
        o: &BTreeMap<String, Shape>,
        n: &BTreeMap<String, Shape>,
        usage: Usage,
    ) {
        let media: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
        for m in media {
            let mpath = join(path, m);
            match (o.get(m), n.get(m)) {
                (Some(_), None) => {
                    self.push(
                        Breaking,
                        ChangeKind::MediaTypeRemoved,
                        loc,
                        &mpath,
                        None,
                        None,
                        "media type removed".to_string(),
                    );
                }
                (None, Some(s)) => {
                    let detail = format!("media type added: {}", describe(s));
                    self.push(
                        Compatible,
                        ChangeKind::MediaTypeAdded,
                        loc,
                        &mpath,
                        None,
                        Some(describe(s)),
                        detail,
                    );
                }
                (Some(a), Some(b)) => self.shapes(a, b, usage, loc, &mpath),
                (None, None) => {}
            }
        }
    }

    fn security_schemes(&mut self, old: &Surface, new: &Surface) {
        let names: BTreeSet<&String> = old
            .security_schemes
            .keys()
            .chain(new.security_schemes.keys())
            .collect();
        for name in names {
            let loc = format!("security scheme {name}");
            match (
                old.security_schemes.get(name),
                new.security_schemes.get(name),
            ) {
                (Some(o), None) => {
                    self.push(
                        Breaking,
                        ChangeKind::SecuritySchemeRemoved,
                        &loc,
                        "",
                        Some(o.clone()),
                        None,
                        "security scheme removed".to_string(),
                    );
                }
                (None, Some(n)) => {
                    let detail = format!("security scheme added: {n}");
                    self.push(
                        Compatible,
                        ChangeKind::SecuritySchemeAdded,
                        &loc,
                        "",
                        None,
                        Some(n.clone()),
                        detail,
                    );
                }
                (Some(o), Some(n)) if o != n => {
                    let detail = format!("security scheme changed: {o} -> {n}");
                    self.push(
                        Breaking,
                        ChangeKind::SecuritySchemeChanged,
                        &loc,
                        "",
                        Some(o.clone()),
                        Some(n.clone()),
                        detail,
                    );
                }
                _ => {}
            }
        }
    }

    fn components(&mut self, old: &Surface, new: &Surface) {
        let names: BTreeSet<&String> = old.parameters.keys().chain(new.parameters.keys()).collect();
        for name in names {
            let loc = format!("parameter component {name}");
            match (old.parameters.get(name), new.parameters.get(name)) {
                (Some(o), Some(n)) => self.slots(&loc, "", "parameters", o, n, |cx, a, b| {
                    cx.param(&loc, "", a, b)
                }),
                (o, n) => self.component_presence(&loc, o.is_some(), n.is_some()),
            }
        }
        let names: BTreeSet<&String> = old
            .request_bodies
            .keys()
            .chain(new.request_bodies.keys())
            .collect();
        for name in names {
            let loc = format!("request body component {name}");
            match (old.request_bodies.get(name), new.request_bodies.get(name)) {
                (Some(o), Some(n)) => self.slots(&loc, "", "requestBodies", o, n, |cx, a, b| {
                    cx.body(&loc, "", a, b)
                }),
                (o, n) => self.component_presence(&loc, o.is_some(), n.is_some()),
            }
        }
        let names: BTreeSet<&String> = old.responses.keys().chain(new.responses.keys()).collect();
        for name in names {
            let loc = format!("response component {name}");
            match (old.responses.get(name), new.responses.get(name)) {
                (Some(o), Some(n)) => self.slots(&loc, "", "responses", o, n, |cx, a, b| {
                    cx.response(&loc, "", a, b)
                }),
                (o, n) => self.component_presence(&loc, o.is_some(), n.is_some()),
            }
        }
    }

    /// A reusable parameter, body or response appeared or disappeared: the
    /// operations using it report what that means for them.
    fn component_presence(&mut self, loc: &str, old: bool, new: bool) {
        match (old, new) {
            (true, false) => self.push(
                Cosmetic,
                ChangeKind::ComponentRemoved,
                loc,
                "",
                None,
                None,
                "reusable component removed".to_string(),
            ),
            (false, true) => self.push(
                Cosmetic,
                ChangeKind::ComponentAdded,
                loc,
                "",
                None,
                None,
                "reusable component added".to_string(),
            ),
            _ => {}
        }
    }

    fn schemas(&mut self, old: &Surface, new: &Surface) {
        let targets: BTreeSet<&String> = self.renames.values().collect();
        let targets: BTreeSet<String> = targets.into_iter().cloned().collect();
        let names: BTreeSet<&String> = old.schemas.keys().chain(new.schemas.keys()).collect();
        for name in names {
            let loc = format!("schema {name}");
            match (old.schemas.get(name), new.schemas.get(name)) {
                (Some(_), None) => match self.renames.get(name).cloned() {
                    Some(to) => {
                        let detail = format!("schema renamed: {name} -> {to} (same content; the generated type is renamed)");
                        self.push(
                            Breaking,
                            ChangeKind::SchemaRenamed,
                            &loc,
                            "",
                            Some(name.clone()),
                            Some(to),
                            detail,
                        );
                    }
                    None => {
                        self.push(
                            Breaking,
                            ChangeKind::SchemaRemoved,
                            &loc,
                            "",
                            Some(name.clone()),
                            None,
                            "schema removed".to_string(),
                        );
                    }
                },
                (None, Some(s)) => {
                    if !targets.contains(name) {
                        let detail = format!("schema added: {}", describe(s));
                        self.push(
                            Compatible,
                            ChangeKind::SchemaAdded,
                            &loc,
                            "",
                            None,
                            Some(name.clone()),
                            detail,
                        );
                    }
                }
                (Some(o), Some(n)) => {
                    let usage = self
                        .usage
                        .get(name.as_str())
                        .copied()
                        .unwrap_or(Usage::BOTH);
                    let usage = if usage == Usage::default() {
                        Usage::BOTH
                    } else {
                        usage
                    };
                    self.shapes(o, n, usage, &loc, "");
                }
                (None, None) => {}
            }
        }
    }

    /// Compares two schema trees node by node; below a node that was added,
    /// removed or retyped nothing more is reported.
    fn shapes(&mut self, o: &Shape, n: &Shape, usage: Usage, loc: &str, prefix: &str) {
        let old_flat = o.flatten();
        let new_flat = n.flatten();
        let old_index: HashMap<&str, &Flat> =
            old_flat.iter().map(|f| (f.path.as_str(), f)).collect();
        let new_index: HashMap<&str, &Flat> =
            new_flat.iter().map(|f| (f.path.as_str(), f)).collect();
        let mut cut: Vec<&str> = Vec::new();
        for f in &old_flat {
            if under(&cut, &f.path) {
                continue;
            }
            let path = join(prefix, &f.path);
            match new_index.get(f.path.as_str()) {
                None => {
                    cut.push(&f.path);
                    self.removed(f, usage, loc, &path);
                }
                Some(g) => {
                    if self.nodes(&f.shape.node, &g.shape.node, usage, loc, &path) {
                        cut.push(&f.path);
                    }
                }
            }
        }
        for g in &new_flat {
            if old_index.contains_key(g.path.as_str()) || under(&cut, &g.path) {
                continue;
            }
            cut.push(&g.path);
            self.added(g, usage, loc, &join(prefix, &g.path));
        }
    }

    fn removed(&mut self, f: &Flat, usage: Usage, loc: &str, path: &str) {
        let _ = usage;
        let old = Some(describe(f.shape));
        match f.last {
            Some(Segment::Property(_)) => {
                self.push(
                    Breaking,
                    ChangeKind::FieldRemoved,
                    loc,
                    path,
                    old,
                    None,
                    "field removed".to_string(),
                );
            }
            Some(Segment::AllOf(_) | Segment::AnyOf(_) | Segment::OneOf(_)) => {
                self.push(
                    Breaking,
                    ChangeKind::VariantRemoved,
                    loc,
                    path,
                    old,
                    None,
                    "member removed".to_string(),
                );
            }
            Some(Segment::Items | Segment::TupleItem(_) | Segment::Not) => {
                self.push(
                    Breaking,
                    ChangeKind::TypeChanged,
                    loc,
                    path,
                    old,
                    None,
                    "schema removed".to_string(),
                );
            }
            // Reported by the parent's `additionalProperties` change.
            Some(Segment::Additional) | None => {}
        }
    }

    fn added(&mut self, g: &Flat, usage: Usage, loc: &str, path: &str) {
        let new = Some(describe(g.shape));
        let text = describe(g.shape);
        match g.last {
            Some(Segment::Property(_)) => {
                let (class, detail) = if g.shape.node.required && usage.request {
                    (
                        Breaking,
                        format!("required field added to a request: {text}"),
                    )
                } else if g.shape.node.required {
                    (Compatible, format!("field added: {text}"))
                } else {
                    (Compatible, format!("optional field added: {text}"))
                };
                self.push(class, ChangeKind::FieldAdded, loc, path, None, new, detail);
            }
            Some(Segment::AnyOf(_) | Segment::OneOf(_)) => {
                let (class, detail) = if usage.response {
                    (
                        ResponseEnumAddition,
                        format!("new alternative in a response: {text}"),
                    )
                } else {
                    (Compatible, format!("new alternative accepted: {text}"))
                };
                self.push(
                    class,
                    ChangeKind::VariantAdded,
                    loc,
                    path,
                    None,
                    new,
                    detail,
                );
            }
            Some(Segment::AllOf(_)) => {
                let (class, detail) = if usage.request && g.shape.has_required(self.new_schemas) {
                    (
                        Breaking,
                        format!("allOf member with required fields added to a request: {text}"),
                    )
                } else {
                    (Compatible, format!("allOf member added: {text}"))
                };
                self.push(
                    class,
                    ChangeKind::VariantAdded,
                    loc,
                    path,
                    None,
                    new,
                    detail,
                );
            }
            Some(Segment::Items | Segment::TupleItem(_) | Segment::Not) => {
                self.push(
                    Breaking,
                    ChangeKind::TypeChanged,
                    loc,
                    path,
                    None,
                    new,
                    format!("schema added: {text}"),
                );
            }
            Some(Segment::Additional) | None => {}
        }
    }

    /// Compares two nodes at the same path; `true` when the node was retyped
    /// (its children are then not compared).
    fn nodes(&mut self, o: &Node, n: &Node, usage: Usage, loc: &str, path: &str) -> bool {
        if !self.kinds_equal(&o.kind, &n.kind) || o.format != n.format {
            let old = kind_text(&o.kind, o.format.as_deref());
            let new = kind_text(&n.kind, n.format.as_deref());
            let detail = format!("type changed: {old} -> {new}");
            self.push(
                Breaking,
                ChangeKind::TypeChanged,
                loc,
                path,
                Some(old),
                Some(new),
                detail,
            );
            return true;
        }
        if o.required != n.required {
            if n.required {
                let class = if usage.request { Breaking } else { Compatible };
                let detail = if usage.request {
                    "became required in a request"
                } else {
                    "became required"
                };
                self.push(
                    class,
                    ChangeKind::RequiredAdded,
                    loc,
                    path,
                    None,
                    None,
                    detail.to_string(),
                );
            } else {
                let class = if usage.response { Breaking } else { Compatible };
                let detail = if usage.response {
                    "became optional in a response"
                } else {
                    "became optional"
                };
                self.push(
                    class,
                    ChangeKind::RequiredRemoved,
                    loc,
                    path,
                    None,
                    None,
                    detail.to_string(),
                );
            }
        }
        if o.nullable != n.nullable {
            if n.nullable {
                let class = if usage.response { Breaking } else { Compatible };
                let detail = if usage.response {
                    "became nullable in a response"
                } else {
                    "became nullable"
                };
                self.push(
                    class,
                    ChangeKind::NullableAdded,
                    loc,
                    path,
                    None,
                    None,
                    detail.to_string(),
                );
            } else {
                let class = if usage.request { Breaking } else { Compatible };
                let detail = if usage.request {
                    "no longer nullable in a request"
                } else {
                    "no longer nullable"
                };
                self.push(
                    class,
                    ChangeKind::NullableRemoved,
                    loc,
                    path,
                    None,
                    None,
                    detail.to_string(),
                );
            }
        }
        self.enums(o, n, usage, loc, path);
        self.bounds(o, n, loc, path);
        if o.additional != n.additional {
            let (old, new) = (
                o.additional.label().to_string(),
                n.additional.label().to_string(),
            );
            let (class, kind, word) = if n.additional.strictness() > o.additional.strictness() {
                (Breaking, ChangeKind::ConstraintNarrowed, "narrowed")
            } else {
                (Compatible, ChangeKind::ConstraintWidened, "widened")
            };
            let detail = format!("additionalProperties {word}: {old} -> {new}");
            self.push(class, kind, loc, path, Some(old), Some(new), detail);
        }
        if o.default != n.default {
            let detail = format!(
                "default changed: {} -> {}",
                or_none(&o.default),
                or_none(&n.default)
            );
            self.push(
                Compatible,
                ChangeKind::DefaultChanged,
                loc,
                path,
                o.default.clone(),
                n.default.clone(),
                detail,
            );
        }
        for (was, is, name) in [
            (o.read_only, n.read_only, "readOnly"),
            (o.write_only, n.write_only, "writeOnly"),
        ] {
            if was != is {
                let detail = format!("{name} {}", if is { "set" } else { "cleared" });
                self.push(
                    Compatible,
                    ChangeKind::AccessChanged,
                    loc,
                    path,
                    None,
                    None,
                    detail,
                );
            }
        }
        if o.deprecated != n.deprecated {
            let detail = if n.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(
                Compatible,
                ChangeKind::DeprecationChanged,
                loc,
                path,
                None,
                None,
                detail.to_string(),
            );
        }
        if o.discriminator != n.discriminator {
            let detail = format!(
                "discriminator changed: {} -> {}",
                or_none(&o.discriminator),
                or_none(&n.discriminator)
            );
            self.push(
                Breaking,
                ChangeKind::TypeChanged,
                loc,
                path,
                o.discriminator.clone(),
                n.discriminator.clone(),
                detail,
            );
        }
        for name in n
            .extra_required
            .iter()
            .filter(|r| !o.extra_required.contains(r))
        {
            let class = if usage.request { Breaking } else { Compatible };
            let detail = format!("`{name}` became required");
            self.push(
                class,
                ChangeKind::RequiredAdded,
                loc,
                path,
                None,
                Some(name.clone()),
                detail,
            );
        }
        for name in o
            .extra_required
            .iter()
            .filter(|r| !n.extra_required.contains(r))
        {
            let class = if usage.response { Breaking } else { Compatible };
            let detail = format!("`{name}` became optional");
            self.push(
                class,
                ChangeKind::RequiredRemoved,
                loc,
                path,
                Some(name.clone()),
                None,
                detail,
            );
        }
        false
    }

    fn kinds_equal(&self, old: &Kind, new: &Kind) -> bool {
        match (old, new) {
            (Kind::Ref(a), Kind::Ref(b)) => a == b || self.renames.get(a) == Some(b),
            _ => old == new,
        }
    }

    fn enums(&mut self, o: &Node, n: &Node, usage: Usage, loc: &str, path: &str) {
        match (&o.enum_values, &n.enum_values) {
            (None, Some(values)) => {
                let list = values.join(", ");
                let detail = format!("enum introduced: [{list}]");
                self.push(
                    Breaking,
                    ChangeKind::ConstraintNarrowed,
                    loc,
                    path,
                    None,
                    Some(list),
                    detail,
                );
            }
            (Some(values), None) => {
                let list = values.join(", ");
                let detail = format!("enum dropped (was [{list}])");
                self.push(
                    Compatible,
                    ChangeKind::ConstraintWidened,
                    loc,
                    path,
                    Some(list),
                    None,
                    detail,
                );
            }
            (Some(a), Some(b)) => {
                let removed: Vec<&str> = a
                    .iter()
                    .filter(|v| !b.contains(v))
                    .map(String::as_str)
                    .collect();
                let added: Vec<&str> = b
                    .iter()
                    .filter(|v| !a.contains(v))
                    .map(String::as_str)
                    .collect();
                if !removed.is_empty() {
                    let list = removed.join(", ");
                    let detail = format!("enum values removed: {list}");
                    self.push(
                        Breaking,
                        ChangeKind::EnumValuesRemoved,
                        loc,
                        path,
                        Some(list),
                        None,
                        detail,
                    );
                }
                if !added.is_empty() {
                    let list = added.join(", ");
                    let (class, detail) = if usage.response {
                        (
                            ResponseEnumAddition,
                            format!("enum values added (may appear in responses): {list}"),
                        )
                    } else {
                        (Compatible, format!("enum values added: {list}"))
                    };
                    self.push(
                        class,
                        ChangeKind::EnumValuesAdded,
                        loc,
                        path,
                        None,
                        Some(list),
                        detail,
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn bounds(&mut self, o: &Node, n: &Node, loc: &str, path: &str) {
        for bound in Bound::ALL {
            let (ov, nv) = (o.bound(bound), n.bound(bound));
            if ov == nv {
                continue;
            }
            let Some(narrowed) = narrows(bound, ov, nv) else {
                continue;
            };
            let key = bound.keyword();
            let show = |v: Option<&Value>| v.map(|v| format!("{key}={v}"));
            let (old, new) = (show(ov), show(nv));
            let what = match (&old, &new) {
                (None, Some(new)) => format!("{new} added"),
                (Some(old), None) => format!("{old} removed"),
                (Some(old), Some(new)) => format!("{old} -> {new}"),
                (None, None) => String::new(),
            };
            if narrowed {
                self.push(
                    Breaking,
                    ChangeKind::ConstraintNarrowed,
                    loc,
                    path,
                    old,
                    new,
                    format!("constraint narrowed: {what}"),
                );
            } else {
                self.push(
                    Compatible,
                    ChangeKind::ConstraintWidened,
                    loc,
                    path,
                    old,
                    new,
                    format!("constraint widened: {what}"),
                );
            }
        }
    }
}

/// Whether changing `bound` from `old` to `new` narrows (`true`) or widens
/// (`false`) the accepted values; `None` when nothing changes.
fn narrows(bound: Bound, old: Option<&Value>, new: Option<&Value>) -> Option<bool> {
    let direction = match new.or(old) {
        Some(v) => bound.direction(v),
        None => return None,
    };
    let number = |v: &Value| v.as_f64();
    Some(match direction {
        Direction::Lower | Direction::Upper => match (old, new) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => match (number(a), number(b)) {
                (Some(a), Some(b)) if a == b => return None,
                (Some(a), Some(b)) => (b > a) == (direction == Direction::Lower),
                _ => true,
            },
            (None, None) => return None,
        },
        Direction::Exact => new.is_some(),
        Direction::Flag => new == Some(&Value::Bool(true)),
    })
}

/// Component schemas whose content reappears, unchanged, under a new name.
fn schema_renames(
    old: &BTreeMap<String, Shape>,
    new: &BTreeMap<String, Shape>,
) -> BTreeMap<String, String> {
    let removed: Vec<(&String, &Shape)> =
        old.iter().filter(|(k, _)| !new.contains_key(*k)).collect();
    let added: Vec<(&String, &Shape)> = new.iter().filter(|(k, _)| !old.contains_key(*k)).collect();
    let mut renames = BTreeMap::new();
    for (name, shape) in &removed {
        let matches: Vec<&&String> = added
            .iter()
            .filter(|(_, s)| s == shape)
            .map(|(k, _)| k)
            .collect();
        if let [target] = matches.as_slice() {
            let back = removed
                .iter()
                .filter(|(_, s)| *s == &new[target.as_str()])
                .count();
            if back == 1 {
                renames.insert((*name).clone(), (**target).clone());
            }
        }
    }
    renames
}

/// Whether `path` lies below one of the `cut` paths.
fn under(cut: &[&str], path: &str) -> bool {
    cut.iter().any(|c| {
        path.len() > c.len()
            && path.starts_with(c)
            && matches!(path[c.len()..].chars().next(), Some('.' | '[' | '{' | '|'))
    })
}

/// `prefix path`, without stray spaces.
fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) => format!("{prefix} {path}"),
    }
}

/// The value, or `none`.
fn or_none(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("none")
}

/// Dropping the security requirement is compatible; any other change breaks calls.
fn security_class(new: Option<&str>) -> ChangeClass {
    match new {
        None | Some("none") => Compatible,
        Some(text) if text.split(" | ").any(|alt| alt == "anonymous") => Compatible,
        Some(_) => Breaking,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bound_directions() {
        use Bound::*;
        let v = |x: i64| json!(x);
        assert_eq!(narrows(MinLength, None, Some(&v(1))), Some(true));
        assert_eq!(narrows(MinLength, Some(&v(3)), Some(&v(1))), Some(false));
        assert_eq!(narrows(MaxLength, Some(&v(3)), Some(&v(1))), Some(true));
        assert_eq!(narrows(MaxLength, Some(&v(3)), None), Some(false));
        assert_eq!(narrows(MaxItems, Some(&v(3)), Some(&json!(3.0))), None);
        assert_eq!(
            narrows(Pattern, Some(&json!("a")), Some(&json!("b"))),
            Some(true)
        );
        assert_eq!(narrows(Pattern, Some(&json!("a")), None), Some(false));
        assert_eq!(narrows(UniqueItems, None, Some(&json!(true))), Some(true));
        assert_eq!(narrows(UniqueItems, Some(&json!(true)), None), Some(false));
        assert_eq!(
            narrows(ExclusiveMinimum, Some(&v(1)), Some(&v(2))),
            Some(true)
        );
    }

    #[test]
    fn cut_paths_cover_descendants_only() {
        assert!(under(&[".a"], ".a.b"));
        assert!(under(&[".a"], ".a[]"));
        assert!(!under(&[".a"], ".ab"));
        assert!(!under(&[".a"], ".a"));
        assert!(under(&[""], ".x"));
    }
}
