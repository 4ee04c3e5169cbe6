//! One schema node against the node at the same path: type, requiredness,
//! nullability, defaults, access, deprecation, discriminator.

use crate::drift::{ChangeClass, ChangeKind};
use crate::render::kind_text;
use crate::schema::Node;
use crate::usage::Usage;

use super::context::{or_none, At, Comparer};

use ChangeClass::{Breaking, Compatible};

/// `Breaking` when `breaks`, else `Compatible`.
fn breaking_if(breaks: bool) -> ChangeClass {
    if breaks {
        Breaking
    } else {
        Compatible
    }
}

impl Comparer<'_> {
    /// Compares two nodes at the same path; `true` when the node was retyped
    /// (its children are then not compared).
    pub(super) fn nodes(&mut self, o: &Node, n: &Node, usage: Usage, at: At<'_>) -> bool {
        if self.retyped(o, n, at) {
            return true;
        }
        self.required(o, n, usage, at);
        self.nullable(o, n, usage, at);
        self.enums(o, n, usage, at);
        self.bounds(o, n, at);
        self.additional(o, n, at);
        self.default_value(o, n, at);
        self.access(o, n, at);
        self.deprecation(o, n, at);
        self.discriminator(o, n, at);
        self.extra_required(o, n, usage, at);
        false
    }

    fn retyped(&mut self, o: &Node, n: &Node, at: At<'_>) -> bool {
        if self.kinds_equal(&o.kind, &n.kind) && o.format == n.format {
            return false;
        }
        let old = kind_text(&o.kind, o.format.as_deref());
        let new = kind_text(&n.kind, n.format.as_deref());
        let detail = format!("type changed: {old} -> {new}");
        self.push(
            Breaking,
            ChangeKind::TypeChanged,
            at,
            Some(old),
            Some(new),
            detail,
        );
        true
    }

    /// Becoming required breaks requests; becoming optional breaks responses.
    fn required(&mut self, o: &Node, n: &Node, usage: Usage, at: At<'_>) {
        if o.required == n.required {
            return;
        }
        if n.required {
            let detail = if usage.request {
                "became required in a request"
            } else {
                "became required"
            };
            self.note(
                breaking_if(usage.request),
                ChangeKind::RequiredAdded,
                at,
                detail,
            );
        } else {
            let detail = if usage.response {
                "became optional in a response"
            } else {
                "became optional"
            };
            self.note(
                breaking_if(usage.response),
                ChangeKind::RequiredRemoved,
                at,
                detail,
            );
        }
    }

    /// Becoming nullable breaks responses; no longer nullable breaks requests.
    fn nullable(&mut self, o: &Node, n: &Node, usage: Usage, at: At<'_>) {
        if o.nullable == n.nullable {
            return;
        }
        if n.nullable {
            let detail = if usage.response {
                "became nullable in a response"
            } else {
                "became nullable"
            };
            self.note(
                breaking_if(usage.response),
                ChangeKind::NullableAdded,
                at,
                detail,
            );
        } else {
            let detail = if usage.request {
                "no longer nullable in a request"
            } else {
                "no longer nullable"
            };
            self.note(
                breaking_if(usage.request),
                ChangeKind::NullableRemoved,
                at,
                detail,
            );
        }
    }

    fn additional(&mut self, o: &Node, n: &Node, at: At<'_>) {
        if o.additional == n.additional {
            return;
        }
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
        self.push(class, kind, at, Some(old), Some(new), detail);
    }

    fn default_value(&mut self, o: &Node, n: &Node, at: At<'_>) {
        if o.default == n.default {
            return;
        }
        let detail = format!(
            "default changed: {} -> {}",
            or_none(&o.default),
            or_none(&n.default)
        );
        let (old, new) = (o.default.clone(), n.default.clone());
        self.push(Compatible, ChangeKind::DefaultChanged, at, old, new, detail);
    }

    /// `readOnly` and `writeOnly`.
    fn access(&mut self, o: &Node, n: &Node, at: At<'_>) {
        for (was, is, name) in [
            (o.read_only, n.read_only, "readOnly"),
            (o.write_only, n.write_only, "writeOnly"),
        ] {
            if was != is {
                let detail = format!("{name} {}", if is { "set" } else { "cleared" });
                self.note(Compatible, ChangeKind::AccessChanged, at, &detail);
            }
        }
    }

    fn deprecation(&mut self, o: &Node, n: &Node, at: At<'_>) {
        if o.deprecated != n.deprecated {
            let detail = if n.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.note(Compatible, ChangeKind::DeprecationChanged, at, detail);
        }
    }

    fn discriminator(&mut self, o: &Node, n: &Node, at: At<'_>) {
        if o.discriminator == n.discriminator {
            return;
        }
        let detail = format!(
            "discriminator changed: {} -> {}",
            or_none(&o.discriminator),
            or_none(&n.discriminator)
        );
        let (old, new) = (o.discriminator.clone(), n.discriminator.clone());
        self.push(Breaking, ChangeKind::TypeChanged, at, old, new, detail);
    }

    /// Names in `required` without a property of their own.
    fn extra_required(&mut self, o: &Node, n: &Node, usage: Usage, at: At<'_>) {
        let added = n
            .extra_required
            .iter()
            .filter(|r| !o.extra_required.contains(r));
        for name in added {
            let detail = format!("`{name}` became required");
            let class = breaking_if(usage.request);
            let new = Some(name.clone());
            self.push(class, ChangeKind::RequiredAdded, at, None, new, detail);
        }
        let removed = o
            .extra_required
            .iter()
            .filter(|r| !n.extra_required.contains(r));
        for name in removed {
            let detail = format!("`{name}` became optional");
            let class = breaking_if(usage.response);
            let old = Some(name.clone());
            self.push(class, ChangeKind::RequiredRemoved, at, old, None, detail);
        }
    }
}
