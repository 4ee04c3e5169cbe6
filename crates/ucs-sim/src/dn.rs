//! LDAP distinguished names: parsing (RFC 4514 escapes), the canonical form the store keeps,
//! case-insensitive comparison keys and the parent/child relation.
//!
//! The canonical form lower-cases attribute types, removes spaces around separators, decodes
//! `\XX` hex escapes and re-escapes values with the two-character form (`\,` `\+` `\\` `\"`
//! `\;` `\<` `\>`, a leading `#` or space, a trailing space) and NUL as `\00`. Because commas
//! and plus signs inside values are then always preceded by a backslash, the hierarchy can be
//! computed on canonical strings without parsing them again. A *key* is the canonical form
//! lower-cased: two DNs name the same entry when their keys are equal.

use std::fmt;

/// Why a string is not a distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnError {
    /// Human readable reason (never contains secrets; DNs are not secret).
    pub reason: String,
}

impl fmt::Display for DnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for DnError {}

fn err(reason: impl Into<String>) -> DnError {
    DnError {
        reason: reason.into(),
    }
}

/// One attribute-value assertion of an RDN, the value unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ava {
    /// Attribute type, lower-cased (`uid`, `cn`, `ou`, `dc`, ...).
    pub attr: String,
    /// The value, unescaped.
    pub value: String,
}

/// Parses a DN into its RDNs (each a list of AVAs), leftmost RDN first.
///
/// The empty string is the root DN (no RDNs).
pub fn parse(input: &str) -> Result<Vec<Vec<Ava>>, DnError> {
    let mut rdns: Vec<Vec<Ava>> = Vec::new();
    if input.trim().is_empty() {
        return Ok(rdns);
    }
    let bytes = input.as_bytes();
    let mut pos = 0usize;
    let mut current: Vec<Ava> = Vec::new();
    loop {
        // attribute type
        while pos < bytes.len() && bytes[pos] == b' ' {
            pos += 1;
        }
        let start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' && bytes[pos] != b',' && bytes[pos] != b'+' {
            pos += 1;
        }
        if pos >= bytes.len() || bytes[pos] != b'=' {
            return Err(err(format!("missing '=' in DN {input:?}")));
        }
        let attr = input[start..pos].trim();
        if attr.is_empty()
            || !attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(err(format!(
                "invalid attribute type {attr:?} in DN {input:?}"
            )));
        }
        pos += 1; // '='
        while pos < bytes.len() && bytes[pos] == b' ' {
            pos += 1;
        }
        // value
        let mut raw: Vec<u8> = Vec::new();
        // number of bytes at the end of `raw` that came from escapes (never trimmed)
        let mut escaped_tail = 0usize;
        let mut terminator = None;
        while pos < bytes.len() {
            let b = bytes[pos];
            match b {
                b'\\' => {
                    let next = bytes
                        .get(pos + 1)
                        .copied()
                        .ok_or_else(|| err(format!("dangling escape in DN {input:?}")))?;
                    if next.is_ascii_hexdigit() {
                        let lo = bytes
                            .get(pos + 2)
                            .copied()
                            .filter(u8::is_ascii_hexdigit)
                            .ok_or_else(|| err(format!("invalid hex escape in DN {input:?}")))?;
                        raw.push(hex_value(next) * 16 + hex_value(lo));
                        pos += 3;
                    } else {
                        raw.push(next);
                        pos += 2;
                    }
                    escaped_tail = raw.len();
                }
                b',' | b'+' => {
                    terminator = Some(b);
                    pos += 1;
                    break;
                }
                b'"' | b';' | b'<' | b'>' => {
                    return Err(err(format!(
                        "unescaped {:?} in DN {input:?}",
                        char::from(b)
                    )));
                }
                _ => {
                    raw.push(b);
                    pos += 1;
                }
            }
        }
        // trim unescaped trailing spaces
        while raw.len() > escaped_tail && raw.last() == Some(&b' ') {
            raw.pop();
        }
        let value = String::from_utf8(raw)
            .map_err(|_| err(format!("DN value is not UTF-8 in {input:?}")))?;
        if value.is_empty() {
            return Err(err(format!("empty value for {attr:?} in DN {input:?}")));
        }
        current.push(Ava {
            attr: attr.to_ascii_lowercase(),
            value,
        });
        match terminator {
            Some(b'+') => continue,
            Some(_) => {
                rdns.push(std::mem::take(&mut current));
                if pos >= bytes.len() {
                    return Err(err(format!("trailing ',' in DN {input:?}")));
                }
            }
            None => {
                rdns.push(std::mem::take(&mut current));
                return Ok(rdns);
            }
        }
    }
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Escapes an attribute value for use in a canonical DN.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | ';' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
    out
}

fn render(rdns: &[Vec<Ava>]) -> String {
    let mut out = String::new();
    for (i, rdn) in rdns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, ava) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            out.push_str(&ava.attr);
            out.push('=');
            out.push_str(&escape_value(&ava.value));
        }
    }
    out
}

/// The canonical form of a DN (see the module documentation). AVAs of a multi-valued RDN
/// are sorted so that equal RDNs have equal canonical forms.
pub fn canonical(input: &str) -> Result<String, DnError> {
    let mut rdns = parse(input)?;
    for rdn in &mut rdns {
        rdn.sort_by(|a, b| {
            (a.attr.as_str(), a.value.to_lowercase())
                .cmp(&(b.attr.as_str(), b.value.to_lowercase()))
        });
    }
    Ok(render(&rdns))
}

/// The comparison key of a DN given in any valid form.
pub fn key(input: &str) -> Result<String, DnError> {
    canonical(input).map(|c| c.to_lowercase())
}

/// The comparison key of a DN that is already canonical (cheap: no parsing).
pub fn key_of_canonical(canonical: &str) -> String {
    canonical.to_lowercase()
}

/// Whether a canonical DN has the key `key` (the same as comparing
/// [`key_of_canonical`] with `key`, without allocating for ASCII DNs).
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

/// The first AVA of the leftmost RDN (only that RDN is parsed).
fn first_ava(dn: &str) -> Option<Ava> {
    parse(first_rdn(dn))
        .ok()?
        .into_iter()
        .next()?
        .into_iter()
        .next()
}

/// The unescaped value of the first AVA of the leftmost RDN (`demo_student`).
pub fn rdn_value(dn: &str) -> Option<String> {
    first_ava(dn).map(|a| a.value)
}

/// The attribute type of the first AVA of the leftmost RDN (`uid`).
pub fn rdn_attr(dn: &str) -> Option<String> {
    first_ava(dn).map(|a| a.attr)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_normalises_spacing_case_and_escapes() {
        assert_eq!(
            canonical("UID=Foo , CN=users,  dc=Example,dc=com").unwrap(),
            "uid=Foo,cn=users,dc=Example,dc=com"
        );
        assert_eq!(canonical("cn=a\\2Cb,dc=x").unwrap(), "cn=a\\,b,dc=x");
        assert_eq!(canonical("cn=\\23hash,dc=x").unwrap(), "cn=\\#hash,dc=x");
        assert_eq!(canonical("cn=sp\\ ,dc=x").unwrap(), "cn=sp\\ ,dc=x");
        assert_eq!(
            canonical("cn=M\\C3\\BCller,dc=x").unwrap(),
            "cn=Müller,dc=x"
        );
        assert_eq!(canonical("sn=b+cn=a,dc=x").unwrap(), "cn=a+sn=b,dc=x");
        assert_eq!(canonical("").unwrap(), "");
    }

    #[test]
    fn invalid_dns_are_rejected_with_a_reason() {
        for bad in ["foo", "cn=", "cn=a,", "=a", "cn=a\\", "cn=a\\4", "cn=a\"b"] {
            let e = parse(bad).unwrap_err();
            assert!(!e.reason.is_empty(), "{bad}");
        }
    }

    #[test]
    fn escaped_values_round_trip() {
        let value = "a,b+c#d/e f \\ü\"<>;";
        let dn = child("cn", value, "dc=example,dc=com");
        let parsed = parse(&dn).unwrap();
        assert_eq!(parsed[0][0].value, value);
        assert_eq!(parsed.len(), 3);
        assert_eq!(rdn_value(&dn).as_deref(), Some(value));
        assert_eq!(canonical(&dn).unwrap(), dn);
    }

    #[test]
    fn hierarchy_ignores_escaped_commas() {
        let parent_dn = "dc=example,dc=com";
        let tricky = "cn=x\\,dc=example,dc=com";
        // one RDN with the value "x,dc=example" below dc=com, not below dc=example,dc=com
        assert_eq!(parent(tricky), "dc=com");
        assert!(!is_below(tricky, parent_dn));
        assert!(is_below(tricky, "dc=com"));
        assert!(is_below(
            "cn=y,cn=x\\,dc=example,dc=com",
            "cn=x\\,dc=example,dc=com"
        ));
        assert!(!is_below(
            "cn=x\\,dc=example,dc=com",
            "dc=example,dc=com,dc=org"
        ));
        assert!(!is_below("cn=evil\\,dc=com", "dc=com"));
        assert!(is_below("cn=a\\\\,dc=com", "dc=com"));
        assert!(!is_below("dc=example,dc=com", "dc=example,dc=com"));
        assert!(is_at_or_below("dc=example,dc=com", "dc=example,dc=com"));
        assert_eq!(depth("cn=a\\,b,dc=x,dc=y"), 3);
        for (child, ancestor) in [
            ("cn=A,DC=X", "dc=x"),
            ("DC=X", "dc=x"),
            ("cn=x\\,DC=example,dc=com", "dc=example,dc=com"),
            ("cn=Ä,dc=X", "dc=x"),
            ("cn=a,dc=y", "dc=x"),
            ("cn=a,dc=x", ""),
            ("cn=a,dc=xx", "dc=x"),
            ("cn=a,dc=X", "dc=X"),
        ] {
            assert_eq!(
                is_at_or_below_key(child, ancestor),
                is_at_or_below(&key_of_canonical(child), ancestor),
                "{child} {ancestor}"
            );
        }
        assert_eq!(first_rdn("cn=a\\,b,dc=x"), "cn=a\\,b");
        assert!(same_key("uid=A,dc=X", "uid=a,dc=x"));
        assert!(same_key("uid=Ä,dc=X", "uid=ä,dc=x"));
        assert!(!same_key("uid=Ä,dc=X", "uid=ä,dc=y"));
        assert!(!same_key("uid=a,dc=x", "uid=A,dc=x"), "keys are lower case");
        assert_eq!(rdn_value("cn=a\\2Cb+sn=c,dc=x").as_deref(), Some("a,b"));
        assert_eq!(rdn_attr("SN=c+cn=a, dc=x").as_deref(), Some("sn"));
    }

    #[test]
    fn rebase_moves_subtrees_keeping_the_relative_part() {
        assert_eq!(
            rebase("uid=a,cn=users,ou=Ä,dc=x", "ou=ä,dc=x", "ou=B,dc=x").as_deref(),
            Some("uid=a,cn=users,ou=B,dc=x")
        );
        assert_eq!(
            rebase("ou=A,dc=x", "ou=a,dc=x", "ou=B,dc=x").as_deref(),
            Some("ou=B,dc=x")
        );
        assert_eq!(rebase("ou=C,dc=x", "ou=a,dc=x", "ou=B,dc=x"), None);
    }
}
