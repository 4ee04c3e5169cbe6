//! Constraints on a node's values: enums and bounds (lengths, ranges,
//! patterns, ...), narrowed or widened.

use serde_json::Value;

use crate::drift::{ChangeClass, ChangeKind};
use crate::schema::{Bound, Direction, Node};
use crate::usage::Usage;

use super::context::{At, Comparer};

use ChangeClass::{Breaking, Compatible, ResponseEnumAddition};

impl Comparer<'_> {
    /// An enum introduced or dropped, or values removed or added.
    pub(super) fn enums(&mut self, o: &Node, n: &Node, usage: Usage, at: At<'_>) {
        match (&o.enum_values, &n.enum_values) {
            (None, Some(values)) => {
                let list = values.join(", ");
                let detail = format!("enum introduced: [{list}]");
                let kind = ChangeKind::ConstraintNarrowed;
                self.push(Breaking, kind, at, None, Some(list), detail);
            }
            (Some(values), None) => {
                let list = values.join(", ");
                let detail = format!("enum dropped (was [{list}])");
                let kind = ChangeKind::ConstraintWidened;
                self.push(Compatible, kind, at, Some(list), None, detail);
            }
            (Some(a), Some(b)) => self.enum_values(a, b, usage, at),
            (None, None) => {}
        }
    }

    /// Values removed break every client; values added may surprise one
    /// that reads them from a response.
    fn enum_values(&mut self, a: &[String], b: &[String], usage: Usage, at: At<'_>) {
        let only_in = |x: &[String], y: &[String]| -> Vec<String> {
            x.iter().filter(|v| !y.contains(v)).cloned().collect()
        };
        let (removed, added) = (only_in(a, b), only_in(b, a));
        if !removed.is_empty() {
            let list = removed.join(", ");
            let detail = format!("enum values removed: {list}");
            let kind = ChangeKind::EnumValuesRemoved;
            self.push(Breaking, kind, at, Some(list), None, detail);
        }
        if !added.is_empty() {
            let list = added.join(", ");
            let (class, detail) = if usage.response {
                let detail = format!("enum values added (may appear in responses): {list}");
                (ResponseEnumAddition, detail)
            } else {
                (Compatible, format!("enum values added: {list}"))
            };
            self.push(
                class,
                ChangeKind::EnumValuesAdded,
                at,
                None,
                Some(list),
                detail,
            );
        }
    }

    /// Every bound set, changed or dropped.
    pub(super) fn bounds(&mut self, o: &Node, n: &Node, at: At<'_>) {
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
            let (class, kind, word) = if narrowed {
                (Breaking, ChangeKind::ConstraintNarrowed, "narrowed")
            } else {
                (Compatible, ChangeKind::ConstraintWidened, "widened")
            };
            let detail = format!("constraint {word}: {what}");
            self.push(class, kind, at, old, new, detail);
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
}
