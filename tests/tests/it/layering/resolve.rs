//! Which module a path names: through child modules, `use` bindings (re-exports included)
//! and glob imports, to the module that defines the item.

use std::collections::BTreeMap;

use super::modules::{Crate, UseItem};

/// How deep `use` bindings are followed.
const MAX_RESOLVE_DEPTH: usize = 16;

impl Crate {
    /// The module that owns the item `segs` names, seen from module `from`; `None` when the path
    /// leaves the crate.
    pub(super) fn resolve(&self, from: usize, segs: &[String], depth: usize) -> Option<usize> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        let module = &self.modules[from];
        match segs.first()?.as_str() {
            "crate" => self.walk(0, &segs[1..], depth),
            "self" => self.walk(from, &segs[1..], depth),
            "super" => self.walk(module.parent?, &segs[1..], depth),
            name if module.children.contains_key(name) => self.walk(from, segs, depth),
            name => {
                let item = self.binding(from, name)?;
                let target = self.resolve(from, &item.segs, depth + 1)?;
                self.walk(target, &segs[1..], depth + 1)
            }
        }
    }

    /// Follows `rest` from module `cur` through child modules, definitions and `use` bindings.
    fn walk(&self, mut cur: usize, rest: &[String], depth: usize) -> Option<usize> {
        for (k, seg) in rest.iter().enumerate() {
            let module = &self.modules[cur];
            if seg == "super" {
                cur = module.parent?;
            } else if let Some(&child) = module.children.get(seg) {
                cur = child;
            } else if module.defines.contains(seg) || depth > MAX_RESOLVE_DEPTH {
                return Some(cur);
            } else if let Some(item) = self.binding(cur, seg) {
                // `None`: an item the module imports from another crate.
                let target = self.resolve(cur, &item.segs, depth + 1)?;
                return self.walk(target, &rest[k + 1..], depth + 1);
            } else {
                return Some(self.through_glob(cur, seg, depth).unwrap_or(cur));
            }
        }
        Some(cur)
    }

    /// The module a glob import of `cur` brings `seg` from, if any.
    fn through_glob(&self, cur: usize, seg: &str, depth: usize) -> Option<usize> {
        let globs = self.modules[cur].uses.iter().filter(|u| u.glob);
        for glob in globs {
            let Some(target) = self.resolve(cur, &glob.segs, depth + 1) else {
                continue;
            };
            let t = &self.modules[target];
            if t.children.contains_key(seg) || t.defines.contains(seg) {
                return Some(target);
            }
            if self.binding(target, seg).is_some() {
                return self.walk(target, &[seg.to_string()], depth + 1);
            }
        }
        None
    }

    fn binding(&self, module: usize, name: &str) -> Option<&UseItem> {
        let uses = &self.modules[module].uses;
        uses.iter().find(|u| u.name.as_deref() == Some(name))
    }

    /// Every import between two modules of the crate, with (up to three of) the places it is
    /// written.
    pub(super) fn imports(&self) -> BTreeMap<(usize, usize), Vec<String>> {
        let mut imports: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
        for (id, module) in self.modules.iter().enumerate().filter(|(_, m)| !m.test) {
            for r in &module.refs {
                match self.resolve(id, &r.segs, 0) {
                    Some(target) if target != id => {
                        let sites = imports.entry((id, target)).or_default();
                        if sites.len() < 3 {
                            let place = format!("{}:{}", r.file.display(), r.line);
                            sites.push(format!("{place} {}", r.segs.join("::")));
                        }
                    }
                    _ => {}
                }
            }
        }
        imports
    }
}
