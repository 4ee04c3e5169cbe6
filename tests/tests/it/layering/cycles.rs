//! Where an import counts (between the parts of the innermost module that holds both ends)
//! and the cycles of a graph.

use std::collections::{BTreeMap, BTreeSet};

use super::modules::{Crate, MAX_MODULES};

/// The modules from the crate root down to `id`.
fn lineage(krate: &Crate, id: usize) -> Vec<usize> {
    let mut line = vec![id];
    let mut cur = id;
    while let Some(parent) = krate.modules[cur].parent {
        if line.len() > MAX_MODULES {
            break;
        }
        line.push(parent);
        cur = parent;
    }
    line.reverse();
    line
}

/// Where the import `a -> b` counts: `(module, from part, to part)` of the innermost module that
/// holds both; a part is that module itself (its own file) or one of its children (its subtree).
pub(super) fn lift(krate: &Crate, a: usize, b: usize) -> (usize, usize, usize) {
    let (la, lb) = (lineage(krate, a), lineage(krate, b));
    let common = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let level = la[common - 1];
    let part = |line: &[usize]| line.get(common).copied().unwrap_or(level);
    (level, part(&la), part(&lb))
}

/// The strongly connected components with more than one node.
pub(super) fn cycles(edges: &BTreeSet<(usize, usize)>) -> Vec<BTreeSet<usize>> {
    let mut next: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    let reach = |start: usize| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start];
        while let Some(v) = todo.pop() {
            for &w in next.get(&v).into_iter().flatten() {
                if seen.insert(w) {
                    todo.push(w);
                }
            }
        }
        seen
    };
    let reach: BTreeMap<usize, BTreeSet<usize>> = next.keys().map(|&v| (v, reach(v))).collect();
    let mut out: Vec<BTreeSet<usize>> = Vec::new();
    for (&v, from_v) in &reach {
        let comp: BTreeSet<usize> = from_v
            .iter()
            .copied()
            .filter(|w| reach.get(w).is_some_and(|r| r.contains(&v)))
            .collect();
        if comp.len() > 1 && !out.contains(&comp) {
            out.push(comp);
        }
    }
    out
}
