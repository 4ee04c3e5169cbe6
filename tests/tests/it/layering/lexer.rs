//! The tokens of Rust source that module paths are made of: identifiers, `::` and
//! punctuation. Comments, literals and lifetimes are skipped.

/// One token of Rust source, as far as module paths are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Ident(String),
    /// `::`
    Sep,
    Punct(char),
}

/// The tokens of `src` with their line numbers; comments, literals and lifetimes are dropped.
pub(super) fn lex(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let start = i;
        i = lex_one(&c, i, line, &mut out).max(i + 1);
        line += c[start..i.min(c.len())]
            .iter()
            .filter(|&&x| x == '\n')
            .count();
    }
    out
}

/// Reads the token (or the skipped text) at `c[i]`; returns the index after it.
fn lex_one(c: &[char], i: usize, line: usize, out: &mut Vec<(Tok, usize)>) -> usize {
    let next = c.get(i + 1).copied();
    match c[i] {
        ch if ch.is_whitespace() => i + 1,
        '/' if next == Some('/') => (i..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len()),
        '/' if next == Some('*') => skip_block_comment(c, i),
        '"' => skip_string(c, i + 1),
        '\'' => skip_quote(c, i),
        ':' if next == Some(':') => {
            out.push((Tok::Sep, line));
            i + 2
        }
        ch if ch.is_ascii_digit() => word_end(c, i),
        ch if ch.is_alphabetic() || ch == '_' => lex_word(c, i, line, out),
        ch => {
            out.push((Tok::Punct(ch), line));
            i + 1
        }
    }
}

/// An identifier, keyword, or the prefix of a literal (`r"..."`, `b'x'`, `r#ident`).
fn lex_word(c: &[char], i: usize, line: usize, out: &mut Vec<(Tok, usize)>) -> usize {
    let end = word_end(c, i);
    let word: String = c[i..end].iter().collect();
    match (word.as_str(), c.get(end)) {
        ("r" | "br" | "cr", Some('#' | '"')) if is_raw_string(c, end) => skip_raw_string(c, end),
        // A raw identifier `r#name`: the name follows as an identifier.
        ("r", Some('#')) => end + 1,
        ("b" | "c", Some('"')) => skip_string(c, end + 1),
        ("b", Some('\'')) => skip_quote(c, end),
        _ => {
            out.push((Tok::Ident(word), line));
            end
        }
    }
}

fn word_end(c: &[char], mut i: usize) -> usize {
    while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
        i += 1;
    }
    i
}

/// `c[i..]` starts with `/*`: the index after the (nested) comment.
fn skip_block_comment(c: &[char], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < c.len() {
        if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// `c[i..]` is the inside of a string literal: the index after its closing quote.
fn skip_string(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i] != '"' {
        i += if c[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

/// Whether `c[i..]` (after `r`, `br` or `cr`) is `#*"`.
fn is_raw_string(c: &[char], mut i: usize) -> bool {
    while c.get(i) == Some(&'#') {
        i += 1;
    }
    c.get(i) == Some(&'"')
}

/// `c[i..]` is `#*"..`: the index after the raw string's closing `"#*`.
fn skip_raw_string(c: &[char], mut i: usize) -> usize {
    let mut hashes = 0;
    while c.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    i += 1;
    while i < c.len() {
        if c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// `c[i]` is `'`: the index after a character literal or a lifetime.
fn skip_quote(c: &[char], i: usize) -> usize {
    if c.get(i + 1) == Some(&'\\') {
        let close = (i + 3..c.len()).find(|&j| c[j] == '\'');
        return close.map_or(c.len(), |j| j + 1);
    }
    if c.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    word_end(c, i + 1)
}
