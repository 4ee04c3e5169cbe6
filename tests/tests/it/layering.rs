//! No import cycle between the modules of any workspace crate.
//!
//! For every crate root (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs` of `xtask`, `tests` and
//! `crates/*`) the test follows the `mod` declarations to every module, files and inline
//! `mod name { .. }` blocks alike, and reads each file's tokens (comments and literals skipped).
//! It records every path that can name a module of the same crate: `crate::..`, `super::..`,
//! `self::..`, and paths that start with a child module's name (`render::render(..)`), in `use`
//! lines and in code. A path is resolved through the `use` bindings of the modules it passes, so
//! `crate::Error`, re-exported by `lib.rs` from `error`, is an import of `error`. Not counted:
//! `pub use` re-exports themselves (they publish a child's item, the re-exporting code does not
//! use it), `#[cfg(test)]` modules and `use` lines, and the input of `quote!`, `parse_quote!` and
//! `quote_spanned!` (code a generator writes for another crate).
//!
//! The layers are checked inside every module: its parts are its own file and the subtree of each
//! of its children, and an import `a -> b` counts between the parts of the innermost module that
//! holds both. A cycle between those parts is reported: two sibling subtrees that import from each
//! other (`store` <-> `state_file`, however deep the files sit), or a module file that imports
//! from a child whose subtree imports from that file. A child may import items of its parent's
//! file only if that file does not import from the child.

mod cycles;
mod lexer;
mod modules;
mod parse;
mod resolve;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cycles::{cycles, lift};
use lexer::lex;
use modules::{Crate, Disk, Source};
use parse::use_tree;

/// Imports allowed to close a cycle, as `(crate, importing module, imported module)` (`crate`
/// for the crate root). They are left out of the graph; the test fails once one of them no longer
/// exists, so this list only shrinks. Empty: no workspace crate has an import cycle.
const KNOWN_EDGES: &[(&str, &str, &str)] = &[];

/// An import between two modules, or two parts of a module (module indexes).
type Edge = (usize, usize);
/// The imports between the parts of one module: (from part, to part) -> the imports behind it.
type Lifted = BTreeMap<Edge, Vec<Edge>>;

/// Checks one crate; writes its cycles (with the imports that form them) and stale exceptions
/// to `report` and returns how many it found.
fn check_crate(krate: &Crate, known_edges: &[(&str, &str, &str)], report: &mut String) -> usize {
    let imports = krate.imports();
    let known: BTreeSet<(&str, &str)> = known_edges
        .iter()
        .filter(|(c, _, _)| *c == krate.name)
        .map(|&(_, a, b)| (a, b))
        .collect();
    let present: BTreeSet<(&str, &str)> = imports.keys().map(|e| names(krate, e)).collect();
    let mut found = 0;
    for (a, b) in known.difference(&present) {
        found += 1;
        let _ = writeln!(
            report,
            "{}: the known import {a} -> {b} is gone: remove it from KNOWN_EDGES",
            krate.name
        );
    }
    let mut levels: BTreeMap<usize, Lifted> = BTreeMap::new();
    for edge in imports.keys().filter(|e| !known.contains(&names(krate, e))) {
        let (level, from, to) = lift(krate, edge.0, edge.1);
        let lifted = levels.entry(level).or_default();
        lifted.entry((from, to)).or_default().push(*edge);
    }
    for (&level, lifted) in &levels {
        found += report_cycles(krate, level, lifted, &imports, report);
    }
    for problem in &krate.problems {
        found += 1;
        let _ = writeln!(report, "{}: {problem}", krate.name);
    }
    found
}

/// Writes the cycles between the parts of module `level`; returns how many.
fn report_cycles(
    krate: &Crate,
    level: usize,
    lifted: &Lifted,
    imports: &BTreeMap<Edge, Vec<String>>,
    report: &mut String,
) -> usize {
    let parts: BTreeSet<Edge> = lifted.keys().copied().collect();
    let found = cycles(&parts);
    for comp in &found {
        let members: Vec<String> = comp.iter().map(|&p| part_name(krate, level, p)).collect();
        let _ = writeln!(
            report,
            "{}: import cycle between {}",
            krate.name,
            members.join(", ")
        );
        let inside = lifted
            .iter()
            .filter(|((f, t), _)| comp.contains(f) && comp.contains(t));
        for edge in inside.flat_map(|(_, edges)| edges) {
            let (a, b) = names(krate, edge);
            let _ = writeln!(report, "    {a} -> {b}: {}", imports[edge].join("; "));
        }
    }
    found.len()
}

/// The module names of an import.
fn names<'k>(krate: &'k Crate, &(a, b): &Edge) -> (&'k str, &'k str) {
    (krate.name_of(a), krate.name_of(b))
}

/// A part of module `level`: its own file, or a child's subtree.
fn part_name(krate: &Crate, level: usize, part: usize) -> String {
    if part == level {
        format!("{} (its own file)", krate.name_of(level))
    } else {
        format!("{}/**", krate.name_of(part))
    }
}

/// Every crate root of the workspace: (name, root file); `name (bin)` for a binary beside a
/// library.
fn crate_roots(workspace: &Path) -> Vec<(String, PathBuf)> {
    let mut dirs = vec![workspace.join("xtask"), workspace.join("tests")];
    dirs.extend(sorted_entries(&workspace.join("crates")));
    let mut roots = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let src = dir.join("src");
        let lib = src.join("lib.rs").is_file();
        if lib {
            roots.push((name.clone(), src.join("lib.rs")));
        }
        if src.join("main.rs").is_file() {
            let label = if lib {
                format!("{name} (bin)")
            } else {
                name.clone()
            };
            roots.push((label, src.join("main.rs")));
        }
        for bin in sorted_entries(&src.join("bin")) {
            let stem = bin.file_stem().map(|s| s.to_string_lossy().into_owned());
            let label = format!("{name} (bin {})", stem.unwrap_or_default());
            if bin.extension().is_some_and(|e| e == "rs") {
                roots.push((label, bin));
            } else if bin.join("main.rs").is_file() {
                // a binary of several files: `src/bin/<name>/main.rs`
                roots.push((label, bin.join("main.rs")));
            }
        }
    }
    roots
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// Checks every crate of `workspace`: (problems found, report, crates read, modules read).
fn check_workspace(workspace: &Path) -> (usize, String, usize, usize) {
    let mut report = String::new();
    let (mut found, mut crates, mut modules) = (0, 0, 0);
    for (name, root) in crate_roots(workspace) {
        let krate = Crate::load(&name, &root, &Disk);
        crates += 1;
        modules += krate.modules.len();
        found += check_crate(&krate, KNOWN_EDGES, &mut report);
    }
    (found, report, crates, modules)
}

#[test]
fn no_crate_has_an_import_cycle() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (found, report, crates, modules) = check_workspace(&workspace);
    let report = report.replace(&format!("{}/", workspace.display()), "");
    println!("{crates} crate roots, {modules} modules\n{report}");
    // Every workspace crate was read (a wrong path would find no cycle in nothing).
    assert!(
        crates >= 11 && modules >= 300,
        "{crates} crates, {modules} modules"
    );
    assert_eq!(found, 0, "import cycles (or stale exceptions):\n{report}");
}

/// Source files in memory, for the checker's own tests.
struct Files(BTreeMap<PathBuf, &'static str>);

impl Source for Files {
    fn read(&self, path: &Path) -> Option<String> {
        self.0.get(path).map(|text| text.to_string())
    }
    fn is_file(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
}

/// The report of a crate made of `files` (paths below `src/`, `lib.rs` first).
fn report_of(files: &[(&str, &'static str)]) -> (usize, String) {
    let files = Files(
        files
            .iter()
            .map(|(path, text)| (Path::new("src").join(path), *text))
            .collect(),
    );
    let krate = Crate::load("demo", Path::new("src/lib.rs"), &files);
    let mut report = String::new();
    let found = check_crate(&krate, &[], &mut report);
    (found, report)
}

#[test]
fn siblings_that_import_each_other_are_a_cycle() {
    let (found, report) = report_of(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a.rs", "use crate::b::Thing;\npub struct Other;\n"),
        (
            "b.rs",
            "pub struct Thing;\nfn f() -> crate::a::Other { todo!() }\n",
        ),
    ]);
    assert_eq!(found, 1, "{report}");
    assert!(
        report.contains("import cycle between a/**, b/**"),
        "{report}"
    );
    assert!(
        report.contains("a -> b: src/a.rs:1 crate::b::Thing"),
        "{report}"
    );
    assert!(
        report.contains("b -> a: src/b.rs:2 crate::a::Other"),
        "{report}"
    );
}

#[test]
fn a_child_may_import_its_parent_only_if_the_parent_does_not_import_it() {
    let one_way = [
        ("lib.rs", "mod dn;\n"),
        ("dn/mod.rs", "mod parse;\npub struct Ava;\n"),
        ("dn/parse.rs", "use super::Ava;\n"),
    ];
    assert_eq!(report_of(&one_way).0, 0, "{}", report_of(&one_way).1);
    let both_ways = [
        ("lib.rs", "mod dn;\n"),
        (
            "dn/mod.rs",
            "mod parse;\npub struct Ava;\nfn f() { parse::parse() }\n",
        ),
        ("dn/parse.rs", "use super::Ava;\npub fn parse() {}\n"),
    ];
    let (found, report) = report_of(&both_ways);
    assert_eq!(found, 1, "{report}");
    assert!(
        report.contains("between dn (its own file), dn::parse/**"),
        "{report}"
    );
}

#[test]
fn subtrees_count_as_one_part_of_their_parent() {
    // `store` calls `state_file`, which reads `store::tree`: no two files import each other,
    // but the `store` subtree and `state_file` do.
    let (found, report) = report_of(&[
        ("lib.rs", "mod state_file;\nmod store;\n"),
        (
            "store/mod.rs",
            "mod tree;\nfn save() { crate::state_file::save() }\n",
        ),
        ("store/tree.rs", "pub struct Tree;\n"),
        (
            "state_file.rs",
            "use crate::store::tree::Tree;\npub fn save() {}\n",
        ),
    ]);
    assert_eq!(found, 1, "{report}");
    assert!(
        report.contains("between state_file/**, store/**"),
        "{report}"
    );
}

#[test]
fn re_exports_resolve_to_the_defining_module_and_are_not_imports() {
    // `lib.rs` re-exports `error::Error`; `a` importing `crate::Error` imports `error`, and the
    // re-export is not an import of `lib.rs` from `error`.
    let (found, report) = report_of(&[
        (
            "lib.rs",
            "mod a;\nmod error;\npub use error::Error;\nfn f() { a::g() }\n",
        ),
        ("error.rs", "pub struct Error;\n"),
        ("a.rs", "use crate::Error;\npub fn g() {}\n"),
    ]);
    assert_eq!(found, 0, "{report}");
    let (found, report) = report_of(&[
        ("lib.rs", "mod a;\nmod b;\npub use b::Thing;\n"),
        ("a.rs", "use crate::Thing;\npub fn g() {}\n"),
        ("b.rs", "pub struct Thing;\nfn f() { crate::a::g() }\n"),
    ]);
    assert!(
        report.contains("a -> b: src/a.rs:1 crate::Thing"),
        "{report}"
    );
    assert_eq!(found, 1, "{report}");
}

#[test]
fn tests_comments_strings_and_quoted_code_are_not_imports() {
    let (found, report) = report_of(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        (
            "a.rs",
            "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::b::g;\n}\n",
        ),
        (
            "b.rs",
            concat!(
                "// crate::a::f\n",
                "/* crate::a::f /* nested */ crate::a::f */\n",
                "const S: &str = \"crate::a::f\";\n",
                "const R: &str = r#\"crate::a::f \"quoted\"\"#;\n",
                "const C: char = '\\'';\n",
                "fn q<'a>(x: &'a str) { quote::quote!(crate::a::f()); syn::parse_quote!(crate::a::f) }\n",
                "pub fn g() { crate::a::f() }\n",
            ),
        ),
    ]);
    // Only b -> a is left: a one-way import.
    assert_eq!(found, 0, "{report}");
}

#[test]
fn grouped_aliased_and_nested_use_trees_are_read() {
    let read = |text: &str| {
        let mut items = Vec::new();
        use_tree(&lex(text), 1, Vec::new(), &mut items);
        items
            .iter()
            .map(|u| match (&u.name, u.glob) {
                (Some(name), _) => format!("{} as {name}", u.segs.join("::")),
                (None, true) => format!("{}::*", u.segs.join("::")),
                (None, false) => format!("{} as _", u.segs.join("::")),
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        read("use crate::{a::{self, B as C}, d::*, e::{F, _G as _}};"),
        [
            "crate::a as a",
            "crate::a::B as C",
            "crate::d::*",
            "crate::e::F as F",
            "crate::e::_G as _",
        ]
    );
    assert_eq!(read("use ::ext::E;"), ["::ext::E as E"]);
}

#[test]
fn a_known_import_that_is_gone_fails_the_check() {
    let krate = Crate::load(
        "ucs-sim",
        Path::new("src/lib.rs"),
        &Files(BTreeMap::from([(PathBuf::from("src/lib.rs"), "")])),
    );
    let mut report = String::new();
    let found = check_crate(&krate, &[("ucs-sim", "store", "state_file")], &mut report);
    assert_eq!(found, 1, "{report}");
    assert!(
        report.contains("the known import store -> state_file is gone"),
        "{report}"
    );
}
