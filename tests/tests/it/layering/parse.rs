//! Reading a crate: the `mod` declarations followed from the crate root to every file and
//! inline module, and in each the `use` trees, the paths and the top-level items.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use super::lexer::{lex, Tok};
use super::modules::{Crate, Module, PathRef, Source, UseItem, MAX_MODULES};

/// Keywords that define a named item.
const ITEM_KEYWORDS: &[&str] = &[
    "fn", "struct", "enum", "trait", "type", "const", "static", "union",
];
/// Macros whose input is code for another crate.
const QUOTING_MACROS: &[&str] = &[
    "quote",
    "quote_spanned",
    "parse_quote",
    "parse_quote_spanned",
];

impl Crate {
    /// Reads the crate whose root file is `root`, following its `mod` declarations.
    pub(super) fn load(name: &str, root: &Path, source: &dyn Source) -> Crate {
        let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut krate = Crate {
            name: name.to_string(),
            modules: vec![Module::new(String::new(), None, dir, false)],
            problems: Vec::new(),
        };
        let mut queue = VecDeque::from([(0usize, root.to_path_buf())]);
        while let Some((id, file)) = queue.pop_front() {
            if krate.modules.len() > MAX_MODULES {
                krate
                    .problems
                    .push(format!("more than {MAX_MODULES} modules"));
                break;
            }
            let Some(text) = source.read(&file) else {
                krate
                    .problems
                    .push(format!("cannot read {}", file.display()));
                continue;
            };
            let mut parser = FileParser::new(&mut krate, id, &file, &text, source);
            parser.run();
            queue.extend(parser.declared);
        }
        krate
    }

    fn add_module(&mut self, parent: usize, name: &str, child_dir: PathBuf, test: bool) -> usize {
        let path = match self.modules[parent].path.as_str() {
            "" => name.to_string(),
            p => format!("{p}::{name}"),
        };
        let test = test || self.modules[parent].test;
        let id = self.modules.len();
        self.modules
            .push(Module::new(path, Some(parent), child_dir, test));
        self.modules[parent].children.insert(name.to_string(), id);
        id
    }
}

/// Reads one file into the modules of a crate.
struct FileParser<'a> {
    krate: &'a mut Crate,
    file: &'a Path,
    source: &'a dyn Source,
    toks: Vec<(Tok, usize)>,
    /// The open modules: (module, brace depth of its body).
    stack: Vec<(usize, usize)>,
    depth: usize,
    /// File modules declared by `mod name;`: (module, its file).
    declared: Vec<(usize, PathBuf)>,
}

impl<'a> FileParser<'a> {
    fn new(
        krate: &'a mut Crate,
        module: usize,
        file: &'a Path,
        text: &str,
        source: &'a dyn Source,
    ) -> Self {
        FileParser {
            krate,
            file,
            source,
            toks: lex(text),
            stack: vec![(module, 0)],
            depth: 0,
            declared: Vec::new(),
        }
    }

    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i).map(|(t, _)| t)
    }

    fn ident(&self, i: usize) -> Option<&str> {
        match self.tok(i) {
            Some(Tok::Ident(w)) => Some(w),
            _ => None,
        }
    }

    /// The module being read, and the brace depth of its top level.
    fn current(&self) -> (usize, usize) {
        self.stack.last().copied().unwrap_or((0, 0))
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            i = self.step(i).max(i + 1);
        }
    }

    /// Reads what starts at token `i`; returns the index after it.
    fn step(&mut self, i: usize) -> usize {
        let (module, top) = self.current();
        match self.tok(i) {
            Some(Tok::Punct('{')) => self.depth += 1,
            Some(Tok::Punct('}')) => {
                self.depth = self.depth.saturating_sub(1);
                if self.stack.len() > 1 && self.depth + 1 == top {
                    self.stack.pop();
                }
            }
            Some(Tok::Ident(w)) => match w.as_str() {
                "mod" => return self.module_decl(i),
                "use" => return self.use_decl(i),
                "macro_rules" if self.tok(i + 1) == Some(&Tok::Punct('!')) => {
                    self.define(i + 2, top);
                }
                w if ITEM_KEYWORDS.contains(&w) => self.define(i + 1, top),
                _ if self.tok(i + 1) == Some(&Tok::Sep) && !self.after_sep(i) => {
                    return self.path(i, module);
                }
                w if QUOTING_MACROS.contains(&w) && self.tok(i + 1) == Some(&Tok::Punct('!')) => {
                    return skip_group(&self.toks, i + 2);
                }
                _ => {}
            },
            _ => {}
        }
        i + 1
    }

    fn after_sep(&self, i: usize) -> bool {
        i > 0 && self.tok(i - 1) == Some(&Tok::Sep)
    }

    /// The item named at token `i` is defined here if it is at the module's top level.
    fn define(&mut self, i: usize, top: usize) {
        if self.depth != top {
            return;
        }
        let (module, _) = self.current();
        if let Some(name) = self.ident(i).map(str::to_string) {
            self.krate.modules[module].defines.insert(name);
        }
    }

    /// `mod name;` or `mod name { .. }` at token `i`.
    fn module_decl(&mut self, i: usize) -> usize {
        let (module, _) = self.current();
        let Some(name) = self.ident(i + 1).map(str::to_string) else {
            return i + 1;
        };
        let test = cfg_test_before(&self.toks, i);
        match self.tok(i + 2) {
            Some(Tok::Punct('{')) => {
                let dir = self.krate.modules[module].child_dir.join(&name);
                let child = self.krate.add_module(module, &name, dir, test);
                self.depth += 1;
                self.stack.push((child, self.depth));
                i + 3
            }
            Some(Tok::Punct(';')) => {
                let base = self.krate.modules[module].child_dir.clone();
                let (file, dir) = module_file(self.source, &base, &name);
                let child = self.krate.add_module(module, &name, dir, test);
                self.declared.push((child, file));
                i + 3
            }
            _ => i + 1,
        }
    }

    /// A `use` declaration at token `i`.
    fn use_decl(&mut self, i: usize) -> usize {
        let (module, _) = self.current();
        let mut items = Vec::new();
        let next = use_tree(&self.toks, i + 1, Vec::new(), &mut items);
        let counts = !is_public(&self.toks, i) && !cfg_test_before(&self.toks, i);
        let line = self.toks[i].1;
        let m = &mut self.krate.modules[module];
        for item in items {
            if counts {
                m.refs.push(PathRef {
                    segs: item.segs.clone(),
                    file: self.file.to_path_buf(),
                    line,
                });
            }
            m.uses.push(item);
        }
        next
    }

    /// A path in code at token `i`.
    fn path(&mut self, i: usize, module: usize) -> usize {
        let (segs, next) = path_at(&self.toks, i);
        let quoting = segs
            .last()
            .is_some_and(|s| QUOTING_MACROS.contains(&s.as_str()));
        if quoting && self.tok(next) == Some(&Tok::Punct('!')) {
            return skip_group(&self.toks, next + 1);
        }
        self.krate.modules[module].refs.push(PathRef {
            segs,
            file: self.file.to_path_buf(),
            line: self.toks[i].1,
        });
        next
    }
}

/// The file of module `name` declared in a module whose child files live in `base`, and the
/// directory of its own children.
fn module_file(source: &dyn Source, base: &Path, name: &str) -> (PathBuf, PathBuf) {
    let flat = base.join(format!("{name}.rs"));
    let dir = base.join(name);
    if source.is_file(&flat) {
        (flat, dir)
    } else {
        (dir.join("mod.rs"), dir)
    }
}

/// The path `ident (:: ident)*` at `i`, and the index after it.
fn path_at(toks: &[(Tok, usize)], mut i: usize) -> (Vec<String>, usize) {
    let mut segs = Vec::new();
    while let Some((Tok::Ident(w), _)) = toks.get(i) {
        segs.push(w.clone());
        i += 1;
        match (toks.get(i), toks.get(i + 1)) {
            (Some((Tok::Sep, _)), Some((Tok::Ident(_), _))) => i += 1,
            _ => break,
        }
    }
    (segs, i)
}

/// Parses the use tree at `i` (after `use`, or inside braces) under `prefix` into `out`;
/// returns the index after it.
pub(super) fn use_tree(
    toks: &[(Tok, usize)],
    mut i: usize,
    mut segs: Vec<String>,
    out: &mut Vec<UseItem>,
) -> usize {
    loop {
        match toks.get(i).map(|(t, _)| t) {
            // `use ::name`: an extern crate (an empty first segment resolves to nothing).
            Some(Tok::Sep) if segs.is_empty() => {
                segs.push(String::new());
                i += 1;
            }
            Some(Tok::Sep) => i += 1,
            Some(Tok::Ident(w)) => {
                segs.push(w.clone());
                i += 1;
                if toks.get(i).map(|(t, _)| t) != Some(&Tok::Sep) {
                    return use_leaf(toks, i, segs, out);
                }
            }
            Some(Tok::Punct('*')) => {
                out.push(UseItem {
                    segs,
                    name: None,
                    glob: true,
                });
                return i + 1;
            }
            Some(Tok::Punct('{')) => return use_group(toks, i + 1, &segs, out),
            _ => return i,
        }
    }
}

/// The end of a use path at `i`: an optional `as name`, and `self` in a group.
fn use_leaf(
    toks: &[(Tok, usize)],
    mut i: usize,
    mut segs: Vec<String>,
    out: &mut Vec<UseItem>,
) -> usize {
    let mut name = segs.last().cloned().unwrap_or_default();
    if let (Some((Tok::Ident(kw), _)), Some((Tok::Ident(alias), _))) =
        (toks.get(i), toks.get(i + 1))
    {
        if kw == "as" {
            name = alias.clone();
            i += 2;
        }
    }
    if segs.len() > 1 && segs.last().map(String::as_str) == Some("self") {
        segs.pop();
        if name == "self" {
            name = segs.last().cloned().unwrap_or_default();
        }
    }
    let name = (name != "_").then_some(name);
    out.push(UseItem {
        segs,
        name,
        glob: false,
    });
    i
}

/// The inside of `{ .. }` of a use tree at `i`; returns the index after the `}`.
fn use_group(
    toks: &[(Tok, usize)],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<UseItem>,
) -> usize {
    loop {
        match toks.get(i).map(|(t, _)| t) {
            Some(Tok::Punct('}')) => return i + 1,
            Some(Tok::Punct(',')) => i += 1,
            None => return i,
            Some(_) => {
                let next = use_tree(toks, i, prefix.to_vec(), out);
                if next == i {
                    return i;
                }
                i = next;
            }
        }
    }
}

/// Whether the item whose keyword is at `i` is `pub` or `pub(..)`.
fn is_public(toks: &[(Tok, usize)], i: usize) -> bool {
    visibility_start(toks, i) < i
}

/// The index where the visibility before the keyword at `i` starts (`i` when there is none).
fn visibility_start(toks: &[(Tok, usize)], i: usize) -> usize {
    let before = |k: usize| i.checked_sub(k).and_then(|j| toks.get(j)).map(|(t, _)| t);
    let is_pub = |t: Option<&Tok>| matches!(t, Some(Tok::Ident(w)) if w == "pub");
    if is_pub(before(1)) {
        return i - 1;
    }
    if before(1) == Some(&Tok::Punct(')')) {
        for k in 2..6 {
            if before(k) == Some(&Tok::Punct('(')) && is_pub(before(k + 1)) {
                return i - k - 1;
            }
        }
    }
    i
}

/// Whether the item whose keyword is at `i` carries `#[cfg(test)]`.
fn cfg_test_before(toks: &[(Tok, usize)], i: usize) -> bool {
    let mut end = visibility_start(toks, i);
    // Attributes, last first: `# [ .. ]`.
    for _ in 0..16 {
        if end == 0 || toks.get(end - 1).map(|(t, _)| t) != Some(&Tok::Punct(']')) {
            return false;
        }
        let mut open = end - 1;
        while open > 0 && toks[open].0 != Tok::Punct('[') {
            open -= 1;
        }
        let inner: Vec<&Tok> = toks[open + 1..end - 1].iter().map(|(t, _)| t).collect();
        let cfg_test = [
            Tok::Ident("cfg".into()),
            Tok::Punct('('),
            Tok::Ident("test".into()),
            Tok::Punct(')'),
        ];
        if inner.iter().copied().eq(cfg_test.iter()) {
            return true;
        }
        end = open.saturating_sub(1);
    }
    false
}

/// `toks[i]` opens a group (`(`, `[` or `{`): the index after its closing delimiter.
fn skip_group(toks: &[(Tok, usize)], mut i: usize) -> usize {
    let mut depth = 0usize;
    while let Some((t, _)) = toks.get(i) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}
