//! The DN grammar as functions over canonical strings, for code that keeps many DNs as text
//! (the emulator's directory store).
//!
//! A canonical DN ([`canonical`], the same as [`Dn::canonical`](super::Dn::canonical)) has
//! lower-case attribute types, no spaces around separators, sorted AVAs and values escaped
//! with the two-character form, so every `,` or `+` inside a value follows a backslash: the
//! hierarchy can be computed on the text without parsing it again. A *key* is the canonical
//! form lower-cased; two DNs name the same entry when their keys are equal.

use super::{escape_value, Dn, DnError};

/// The canonical form of a DN given in any valid form.
pub fn canonical(input: &str) -> Result<String, DnError> {
    Dn::parse(input).map(|dn| dn.canonical())
}

/// The comparison key of a DN given in any valid form.
pub fn key(input: &str) -> Result<String, DnError> {
    Dn::parse(input).map(|dn| dn.key())
}

/// The comparison key of a DN that is already canonical (cheap: no parsing).
pub fn key_of_canonical(canonical: &str) -> String {
    canonical.to_lowercase()
}

/// Whether a canonical DN has the key `key` (the same as comparing [`key_of_canonical`]
/// with `key`, without allocating for ASCII DNs).
pub fn same_key(canonical: &str, key: &str) -> bool {
    if canonical.is_ascii() && key.is_ascii() {
        canonical.len() == key.len()
            && canonical
                .bytes()
                .zip(key.bytes())
                .all(|(c, k)| c.to_ascii_lowercase() == k)
    } else {
        key_of_canonical(canonical) == key
    }
}

/// Builds the canonical DN `attr=value,parent` (`parent` canonical, may be empty).
pub fn child(attr: &str, value: &str, parent: &str) -> String {
    let rdn = format!("{}={}", attr.to_ascii_lowercase(), escape_value(value));
    if parent.is_empty() {
        rdn
    } else {
        format!("{rdn},{parent}")
    }
}

/// Byte index of the first RDN separator (an unescaped `,`) in a canonical DN.
fn first_separator(canonical: &str) -> Option<usize> {
    let bytes = canonical.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b',' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The parent of a canonical DN or key (`""` for a single RDN).
pub fn parent(canonical: &str) -> &str {
    match first_separator(canonical) {
        Some(i) => &canonical[i + 1..],
        None => "",
    }
}

/// The leftmost RDN of a canonical DN, still escaped (`uid=demo_student`).
pub fn first_rdn(canonical: &str) -> &str {
    match first_separator(canonical) {
        Some(i) => &canonical[..i],
        None => canonical,
    }
}

/// The unescaped value of the first AVA of the leftmost RDN (`demo_student`); only that RDN
/// is parsed.
pub fn rdn_value(dn: &str) -> Option<String> {
    let rdn = Dn::parse(first_rdn(dn)).ok()?;
    rdn.rdn_value().map(str::to_string)
}

/// The attribute type of the first AVA of the leftmost RDN, lower-cased (`uid`).
pub fn rdn_attr(dn: &str) -> Option<String> {
    let rdn = Dn::parse(first_rdn(dn)).ok()?;
    rdn.rdn_attr().map(str::to_ascii_lowercase)
}

/// Whether `child` lies strictly below `ancestor` (both keys or both canonical).
pub fn is_below(child: &str, ancestor: &str) -> bool {
    is_below_by(child, ancestor, |tail, ancestor| tail == ancestor)
}

/// [`is_below`] with `same` deciding whether the end of `child` names `ancestor`.
fn is_below_by(child: &str, ancestor: &str, same: impl Fn(&str, &str) -> bool) -> bool {
    if ancestor.is_empty() {
        return !child.is_empty();
    }
    if child.len() <= ancestor.len() + 1 {
        return false;
    }
    let cut = child.len() - ancestor.len() - 1;
    if !child.is_char_boundary(cut + 1) || !same(&child[cut + 1..], ancestor) {
        return false;
    }
    if child.as_bytes()[cut] != b',' {
        return false;
    }
    // the comma must be a separator: preceded by an even number of backslashes
    let backslashes = child.as_bytes()[..cut]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 0
}

/// Whether `child` is `ancestor` or lies below it.
pub fn is_at_or_below(child: &str, ancestor: &str) -> bool {
    child == ancestor || is_below(child, ancestor)
}

/// Whether the canonical DN `child` names the entry `ancestor_key` or one below it (the same
/// as [`is_at_or_below`] on its key, without allocating for ASCII DNs).
pub fn is_at_or_below_key(child: &str, ancestor_key: &str) -> bool {
    if child.is_ascii() {
        // ASCII lower-casing keeps every byte where it is
        same_key(child, ancestor_key) || is_below_by(child, ancestor_key, same_key)
    } else {
        is_at_or_below(&key_of_canonical(child), ancestor_key)
    }
}

/// Number of RDNs in a canonical DN.
pub fn depth(canonical: &str) -> usize {
    if canonical.is_empty() {
        return 0;
    }
    let mut n = 1;
    let mut rest = canonical;
    while let Some(i) = first_separator(rest) {
        n += 1;
        rest = &rest[i + 1..];
    }
    n
}

/// Replaces the `old_base` suffix of canonical `dn` with `new_base` when `dn` is at or below
/// `old_base` (compared case-insensitively); `None` otherwise.
pub fn rebase(dn: &str, old_base: &str, new_base: &str) -> Option<String> {
    let dn_key = dn.to_lowercase();
    let old_key = old_base.to_lowercase();
    if dn_key == old_key {
        return Some(new_base.to_string());
    }
    if !is_below(&dn_key, &old_key) {
        return None;
    }
    // the prefix length in the original string: count RDNs instead of bytes, because
    // lower-casing may change byte lengths of non-ASCII characters
    let keep = depth(dn) - depth(old_base);
    let mut end = 0usize;
    let mut rest = dn;
    for _ in 0..keep {
        let i = first_separator(rest)?;
        end += i + 1;
        rest = &rest[i + 1..];
    }
    Some(format!("{}{}", &dn[..end], new_base))
}
