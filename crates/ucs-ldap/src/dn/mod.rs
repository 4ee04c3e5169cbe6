//! LDAP distinguished names (RFC 4514): parsing, escaping, display, navigation and the
//! comparison key.

pub mod canonical;
mod error;
mod escape;
mod parse;
mod rdn;

use std::fmt;
use std::str::FromStr;

pub use error::DnError;
pub use escape::escape_value;
pub use rdn::{Ava, Rdn};

/// A distinguished name such as `uid=jdoe,cn=users,dc=example,dc=com`.
///
/// Parsing understands RFC 4514 escapes (`\,`, `\+`, `\"`, `\\`, `\<`, `\>`, `\;`, `\=`,
/// `\#`, leading and trailing `\ `, and `\XX` hex pairs); `Display` writes the escaped form
/// of [`escape_value`]. Two DNs are equal when LDAP names the same entry with them: attribute
/// types and values compare case-insensitively (UCS's naming attributes `uid`, `cn`, `ou`,
/// `dc` all use case-ignoring matching rules) and the AVAs of a multi-valued RDN in any
/// order. [`Dn::key`] is that comparison as a string.
///
/// ```
/// use ucs_ldap::Dn;
/// let base: Dn = "cn=users,dc=example,dc=com".parse()?;
/// let user = base.child("uid", "Doe, Jane");
/// assert_eq!(user.to_string(), r"uid=Doe\, Jane,cn=users,dc=example,dc=com");
/// assert_eq!(user.parent(), Some(base));
/// assert_eq!(user.rdn_value(), Some("Doe, Jane"));
/// assert_eq!(Dn::parse("UID=JDoe,DC=X")?, Dn::parse("uid=jdoe,dc=x")?);
/// # Ok::<(), ucs_ldap::DnError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Dn {
    rdns: Vec<Rdn>,
}

impl Dn {
    /// The empty DN (the root).
    pub fn root() -> Self {
        Dn::default()
    }

    /// Parses a DN string (see the [`parse`](self) rules).
    pub fn parse(input: &str) -> Result<Dn, DnError> {
        parse::parse(input).map(|rdns| Dn { rdns })
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

    /// The attribute type of the leftmost RDN (`uid` for `uid=jdoe,...`).
    pub fn rdn_attr(&self) -> Option<&str> {
        self.rdn().map(Rdn::attr)
    }

    /// The DN one level up, or `None` for the root.
    pub fn parent(&self) -> Option<Dn> {
        (!self.rdns.is_empty()).then(|| Dn {
            rdns: self.rdns[1..].to_vec(),
        })
    }

    /// A DN one level below this one. An empty `value` gives a DN that does not parse back.
    pub fn child(&self, attr: impl Into<String>, value: impl Into<String>) -> Dn {
        let mut rdns = Vec::with_capacity(self.rdns.len() + 1);
        rdns.push(Rdn::new(attr, value));
        rdns.extend(self.rdns.iter().cloned());
        Dn { rdns }
    }

    /// Whether `self` is `ancestor` or below it (compared as LDAP does).
    pub fn is_within(&self, ancestor: &Dn) -> bool {
        let n = ancestor.rdns.len();
        self.rdns.len() >= n
            && self.rdns[self.rdns.len() - n..]
                .iter()
                .zip(&ancestor.rdns)
                .all(|(a, b)| a.key() == b.key())
    }

    /// Whether this is the root (empty) DN.
    pub fn is_root(&self) -> bool {
        self.rdns.is_empty()
    }

    /// The number of RDNs.
    pub fn depth(&self) -> usize {
        self.rdns.len()
    }

    /// The canonical form: attribute types lower-cased, no spaces around separators, the
    /// AVAs of each RDN sorted, values escaped by [`escape_value`]; the values' case kept.
    pub fn canonical(&self) -> String {
        self.render(false)
    }

    /// The comparison key: the canonical form lower-cased. Two DNs name the same entry
    /// exactly when their keys are equal.
    pub fn key(&self) -> String {
        self.render(true)
    }

    fn render(&self, fold: bool) -> String {
        let mut out = String::new();
        for (i, rdn) in self.rdns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            rdn.write_canonical(&mut out, fold);
        }
        out
    }
}

impl PartialEq for Dn {
    fn eq(&self, other: &Self) -> bool {
        self.rdns.len() == other.rdns.len() && self.key() == other.key()
    }
}

impl Eq for Dn {}

impl std::hash::Hash for Dn {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl fmt::Display for Dn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rdn) in self.rdns.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{rdn}")?;
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
