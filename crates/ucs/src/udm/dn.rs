//! LDAP distinguished names (RFC 4514): parsing, escaping, navigation.

use std::fmt;
use std::str::FromStr;

/// A distinguished name such as `uid=jdoe,cn=users,dc=example,dc=com`.
///
/// Parsing understands RFC 4514 escapes (`\,`, `\+`, `\"`, `\\`, `\<`, `\>`,
/// `\;`, `\=`, `\#`, leading/trailing `\ `, and `\XX` hex pairs); `Display`
/// writes the canonical escaped form. Attribute names compare
/// case-insensitively.
///
/// ```
/// use ucs::udm::Dn;
/// let base: Dn = "cn=users,dc=example,dc=com".parse()?;
/// let user = base.child("uid", "Doe, Jane");
/// assert_eq!(user.to_string(), r"uid=Doe\, Jane,cn=users,dc=example,dc=com");
/// assert_eq!(user.parent(), Some(base));
/// assert_eq!(user.rdn_value(), Some("Doe, Jane"));
/// # Ok::<(), ucs::udm::DnError>(())
/// ```
#[derive(Clone, Debug, Default, Eq)]
pub struct Dn {
    rdns: Vec<Rdn>,
}

/// One relative DN: one or more `attr=value` pairs joined by `+`.
#[derive(Clone, Debug, Eq)]
pub struct Rdn {
    avas: Vec<(String, String)>,
}

/// Why a string is not a DN.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid DN {input:?}: {reason} (at byte {position})")]
pub struct DnError {
    /// The input.
    pub input: String,
    /// What is wrong.
    pub reason: &'static str,
    /// Where.
    pub position: usize,
}

impl Rdn {
    /// A single-valued RDN.
    pub fn new(attr: impl Into<String>, value: impl Into<String>) -> Self {
        Rdn {
            avas: vec![(attr.into(), value.into())],
        }
    }

    /// The `(attribute, value)` pairs (values unescaped).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.avas
    }

    /// The attribute of the first pair.
    pub fn attr(&self) -> &str {
        self.avas.first().map(|(a, _)| a.as_str()).unwrap_or("")
    }

    /// The (unescaped) value of the first pair.
    pub fn value(&self) -> &str {
        self.avas.first().map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

impl PartialEq for Rdn {
    fn eq(&self, other: &Self) -> bool {
        self.avas.len() == other.avas.len()
            && self
                .avas
                .iter()
                .zip(&other.avas)
                .all(|((a1, v1), (a2, v2))| a1.eq_ignore_ascii_case(a2) && v1 == v2)
    }
}

impl PartialEq for Dn {
    fn eq(&self, other: &Self) -> bool {
        self.rdns == other.rdns
    }
}

impl std::hash::Hash for Dn {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for rdn in &self.rdns {
            for (a, v) in &rdn.avas {
                a.to_ascii_lowercase().hash(state);
                v.hash(state);
            }
        }
    }
}

/// Escapes an attribute value for a DN string (RFC 4514, section 2.4).
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=' => {
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

impl Dn {
    /// The empty DN (the root).
    pub fn root() -> Self {
        Dn::default()
    }

    /// Parses a DN string.
    pub fn parse(input: &str) -> Result<Dn, DnError> {
        Parser {
            input,
            bytes: input.as_bytes(),
            pos: 0,
        }
        .parse()
    }

    /// The RDNs, leftmost (most specific) first.
    pub fn rdns(&self) -> &[Rdn] {
        &self.rdns
    }

    /// The leftmost RDN.
    pub fn rdn(&self) -> Option<&Rdn> {
        self.rdns.first()
    }

    /// The value of the leftmost RDN (`jdoe` for `uid=jdoe,...`).
    pub fn rdn_value(&self) -> Option<&str> {
        self.rdn().map(Rdn::value)
    }

    /// The DN one level up, or `None` for the root.
    pub fn parent(&self) -> Option<Dn> {
        if self.rdns.is_empty() {
            None
        } else {
            Some(Dn {
                rdns: self.rdns[1..].to_vec(),
            })
        }
    }

    /// A DN one level below this one.
    pub fn child(&self, attr: impl Into<String>, value: impl Into<String>) -> Dn {
        let mut rdns = Vec::with_capacity(self.rdns.len() + 1);
        rdns.push(Rdn::new(attr, value));
        rdns.extend(self.rdns.iter().cloned());
        Dn { rdns }
    }

    /// Whether `self` is `ancestor` or below it.
    pub fn is_within(&self, ancestor: &Dn) -> bool {
        self.rdns.len() >= ancestor.rdns.len()
            && self.rdns[self.rdns.len() - ancestor.rdns.len()..] == ancestor.rdns[..]
    }

    /// Whether this is the root (empty) DN.
    pub fn is_root(&self) -> bool {
        self.rdns.is_empty()
    }
}

impl fmt::Display for Dn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rdn) in self.rdns.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            for (j, (attr, value)) in rdn.avas.iter().enumerate() {
                if j > 0 {
                    f.write_str("+")?;
                }
                write!(f, "{attr}={}", escape_value(value))?;
            }
        }
        Ok(())
    }
}

impl FromStr for Dn {
    type Err = DnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dn::parse(s)
    }
}

impl TryFrom<&str> for Dn {
    type Error = DnError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Dn::parse(s)
    }
}

impl serde::Serialize for Dn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Dn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Dn::parse(&s).map_err(serde::de::Error::custom)
    }
}

struct Parser<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> DnError {
        DnError {
            input: self.input.to_string(),
            reason,
            position: self.pos,
        }
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    fn parse(mut self) -> Result<Dn, DnError> {
        let mut rdns = Vec::new();
        if self.input.trim().is_empty() {
            return Ok(Dn { rdns });
        }
        loop {
            let mut avas = Vec::new();
            loop {
                avas.push(self.ava()?);
                if self.bytes.get(self.pos) == Some(&b'+') {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            rdns.push(Rdn { avas });
            match self.bytes.get(self.pos) {
                None => break,
                Some(b',') | Some(b';') => self.pos += 1,
                Some(_) => return Err(self.error("expected `,` between RDNs")),
            }
        }
        Ok(Dn { rdns })
    }

    fn ava(&mut self) -> Result<(String, String), DnError> {
        self.skip_spaces();
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.pos == start {
            return Err(self.error("expected an attribute name"));
        }
        let attr = self.input[start..self.pos].to_string();
        self.skip_spaces();
        if self.bytes.get(self.pos) != Some(&b'=') {
            return Err(self.error("expected `=` after the attribute name"));
        }
        self.pos += 1;
        let value = self.value()?;
        Ok((attr, value))
    }

    fn value(&mut self) -> Result<String, DnError> {
        let mut raw: Vec<u8> = Vec::new();
        // bytes of `raw` that came from escapes, so trailing-space trimming
        // keeps an escaped space
        let mut escaped_len = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b',' | b'+' | b';' => break,
                b'\\' => {
                    self.pos += 1;
                    match self.bytes.get(self.pos) {
                        Some(&h1)
                            if h1.is_ascii_hexdigit()
                                && self
                                    .bytes
                                    .get(self.pos + 1)
                                    .is_some_and(u8::is_ascii_hexdigit) =>
                        {
                            let hex = &self.input[self.pos..self.pos + 2];
                            raw.push(
                                u8::from_str_radix(hex, 16)
                                    .map_err(|_| self.error("bad hex escape"))?,
                            );
                            self.pos += 2;
                        }
                        Some(&c) => {
                            raw.push(c);
                            self.pos += 1;
                        }
                        None => return Err(self.error("dangling `\\` at the end")),
                    }
                    escaped_len = raw.len();
                }
                b'"' => return Err(self.error("unescaped `\"` in a value")),
                _ => {
                    raw.push(b);
                    self.pos += 1;
                }
            }
        }
        while raw.len() > escaped_len && raw.last() == Some(&b' ') {
            raw.pop();
        }
        String::from_utf8(raw).map_err(|_| self.error("value is not UTF-8 after unescaping"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_plain_dns() {
        let dn = Dn::parse("uid=jdoe, cn=users ,dc=example,dc=com").unwrap();
        assert_eq!(dn.to_string(), "uid=jdoe,cn=users,dc=example,dc=com");
        assert_eq!(dn.rdns().len(), 4);
        assert_eq!(dn.rdn().unwrap().attr(), "uid");
        assert_eq!(
            dn.parent().unwrap().to_string(),
            "cn=users,dc=example,dc=com"
        );
    }

    #[test]
    fn nasty_values_round_trip() {
        for value in [
            "Doe, Jane",
            "a+b",
            "x=y",
            r"back\slash",
            "#hash",
            " lead",
            "trail ",
            "quo\"te",
            "<>;",
            "Müller/ß",
            "semi;colon",
        ] {
            let dn = Dn::parse("cn=users,dc=x").unwrap().child("cn", value);
            let text = dn.to_string();
            let back = Dn::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(back.rdn_value(), Some(value), "{text}");
            assert_eq!(back, dn);
        }
    }

    #[test]
    fn hex_escapes_and_multi_valued_rdns() {
        let dn = Dn::parse(r"cn=M\C3\BCller+uid=m,dc=x").unwrap();
        assert_eq!(
            dn.rdn().unwrap().pairs(),
            &[
                ("cn".to_string(), "Müller".to_string()),
                ("uid".to_string(), "m".to_string())
            ]
        );
        assert_eq!(dn.to_string(), "cn=Müller+uid=m,dc=x");
        assert_eq!(escape_value("a\0b"), r"a\00b");
    }

    #[test]
    fn attribute_names_compare_case_insensitively() {
        assert_eq!(
            Dn::parse("UID=a,DC=x").unwrap(),
            Dn::parse("uid=a,dc=x").unwrap()
        );
        assert_ne!(
            Dn::parse("uid=A,dc=x").unwrap(),
            Dn::parse("uid=a,dc=x").unwrap()
        );
        let base = Dn::parse("dc=example,dc=com").unwrap();
        assert!(Dn::parse("uid=a,cn=users,DC=example,dc=com")
            .unwrap()
            .is_within(&base));
        assert!(!Dn::parse("dc=com").unwrap().is_within(&base));
    }

    #[test]
    fn malformed_dns_are_errors() {
        for bad in ["uid", "=x", "uid=a,", "uid=a,,dc=x", "uid=a\\", "uid=a\"b"] {
            assert!(Dn::parse(bad).is_err(), "{bad}");
        }
        assert!(Dn::parse("").unwrap().is_root());
    }
}
