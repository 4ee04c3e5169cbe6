//! Schema trees: nodes added and removed along the paths of two trees.

use std::collections::HashMap;

use crate::drift::{ChangeClass, ChangeKind};
use crate::render::describe;
use crate::schema::{Flat, Segment, Shape};
use crate::usage::Usage;

use super::context::{join, At, Comparer};

use ChangeClass::{Breaking, Compatible, ResponseEnumAddition};

impl Comparer<'_> {
    /// Compares two schema trees node by node; below a node that was added,
    /// removed or retyped nothing more is reported. `at.path` is the prefix
    /// of every node's path.
    pub(super) fn shapes(&mut self, o: &Shape, n: &Shape, usage: Usage, at: At<'_>) {
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
            let path = join(at.path, &f.path);
            let node_at = At::new(at.loc, &path);
            match new_index.get(f.path.as_str()) {
                None => {
                    cut.push(&f.path);
                    self.removed(f, node_at);
                }
                Some(g) => {
                    if self.nodes(&f.shape.node, &g.shape.node, usage, node_at) {
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
            let path = join(at.path, &g.path);
            self.added(g, usage, At::new(at.loc, &path));
        }
    }

    /// A node only in the old tree.
    fn removed(&mut self, f: &Flat, at: At<'_>) {
        let (kind, detail) = match f.last {
            Some(Segment::Property(_)) => (ChangeKind::FieldRemoved, "field removed"),
            Some(Segment::AllOf(_) | Segment::AnyOf(_) | Segment::OneOf(_)) => {
                (ChangeKind::VariantRemoved, "member removed")
            }
            Some(Segment::Items | Segment::TupleItem(_) | Segment::Not) => {
                (ChangeKind::TypeChanged, "schema removed")
            }
            // Reported by the parent's `additionalProperties` change.
            Some(Segment::Additional) | None => return,
        };
        let old = Some(describe(f.shape));
        self.push(Breaking, kind, at, old, None, detail.to_string());
    }

    /// A node only in the new tree.
    fn added(&mut self, g: &Flat, usage: Usage, at: At<'_>) {
        let text = describe(g.shape);
        let required = g.shape.node.required;
        let (class, kind, detail) = match g.last {
            Some(Segment::Property(_)) => {
                let (class, detail) = if required && usage.request {
                    (
                        Breaking,
                        format!("required field added to a request: {text}"),
                    )
                } else if required {
                    (Compatible, format!("field added: {text}"))
                } else {
                    (Compatible, format!("optional field added: {text}"))
                };
                (class, ChangeKind::FieldAdded, detail)
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
                (class, ChangeKind::VariantAdded, detail)
            }
            Some(Segment::AllOf(_)) => {
                let (class, detail) = if usage.request && g.shape.has_required(self.new_schemas) {
                    let what = "allOf member with required fields added to a request";
                    (Breaking, format!("{what}: {text}"))
                } else {
                    (Compatible, format!("allOf member added: {text}"))
                };
                (class, ChangeKind::VariantAdded, detail)
            }
            Some(Segment::Items | Segment::TupleItem(_) | Segment::Not) => (
                Breaking,
                ChangeKind::TypeChanged,
                format!("schema added: {text}"),
            ),
            Some(Segment::Additional) | None => return,
        };
        self.push(class, kind, at, None, Some(text), detail);
    }
}

/// Whether `path` lies below one of the `cut` paths.
fn under(cut: &[&str], path: &str) -> bool {
    cut.iter().any(|c| {
        path.len() > c.len()
            && path.starts_with(c)
            && matches!(path[c.len()..].chars().next(), Some('.' | '[' | '{' | '|'))
    })
}

#[cfg(test)]
mod tests {
    use super::under;

    #[test]
    fn cut_paths_cover_descendants_only() {
        assert!(under(&[".a"], ".a.b"));
        assert!(under(&[".a"], ".a[]"));
        assert!(!under(&[".a"], ".ab"));
        assert!(!under(&[".a"], ".a"));
        assert!(under(&[""], ".x"));
    }
}
