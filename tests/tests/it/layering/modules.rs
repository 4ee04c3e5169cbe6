//! The modules of one crate: each module's place in the tree, its `use` bindings, the paths
//! it writes and the items it defines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How many modules one crate may have.
pub(super) const MAX_MODULES: usize = 10_000;

/// A module of one crate.
#[derive(Debug)]
pub(super) struct Module {
    /// `a::b`, empty for the crate root.
    pub(super) path: String,
    pub(super) parent: Option<usize>,
    pub(super) children: BTreeMap<String, usize>,
    /// The directory that holds the files of its child modules.
    pub(super) child_dir: PathBuf,
    /// Compiled for tests only (`#[cfg(test)]`, or inside such a module).
    pub(super) test: bool,
    /// Names bound by `use` (re-exports included).
    pub(super) uses: Vec<UseItem>,
    /// The paths that may name a module of this crate.
    pub(super) refs: Vec<PathRef>,
    /// Names of the items defined at the module's top level.
    pub(super) defines: BTreeSet<String>,
}

/// One leaf of a `use` tree.
#[derive(Debug, Clone)]
pub(super) struct UseItem {
    pub(super) segs: Vec<String>,
    /// The name it binds; `None` for a glob and for `as _`.
    pub(super) name: Option<String>,
    /// `use a::*`.
    pub(super) glob: bool,
}

/// A path written in a module, and where.
#[derive(Debug, Clone)]
pub(super) struct PathRef {
    pub(super) segs: Vec<String>,
    pub(super) file: PathBuf,
    pub(super) line: usize,
}

/// The modules of one crate, the root first.
pub(super) struct Crate {
    pub(super) name: String,
    pub(super) modules: Vec<Module>,
    pub(super) problems: Vec<String>,
}

/// Reads source files; the test reads the disk, the checker's own tests a map.
pub(super) trait Source {
    fn read(&self, path: &Path) -> Option<String>;
    fn is_file(&self, path: &Path) -> bool;
}

/// The files on disk.
pub(super) struct Disk;

impl Source for Disk {
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
}

impl Crate {
    /// The module's path, `crate` for the root.
    pub(super) fn name_of(&self, id: usize) -> &str {
        match self.modules[id].path.as_str() {
            "" => "crate",
            p => p,
        }
    }
}

impl Module {
    pub(super) fn new(
        path: String,
        parent: Option<usize>,
        child_dir: PathBuf,
        test: bool,
    ) -> Module {
        Module {
            path,
            parent,
            children: BTreeMap::new(),
            child_dir,
            test,
            uses: Vec::new(),
            refs: Vec::new(),
            defines: BTreeSet::new(),
        }
    }
}
