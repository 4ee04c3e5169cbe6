//! Relative DNs: the attribute-value assertions of one level of a DN, their display and
//! their canonical form.

use super::escape::escape_value;
use std::fmt;

/// One relative DN: one or more attribute-value assertions joined by `+`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rdn {
    avas: Vec<Ava>,
}

/// One `attr=value` pair of an RDN; the value unescaped, the type as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ava {
    /// The attribute type (`uid`, `cn`, `ou`, `dc`, or an OID).
    pub attr: String,
    /// The value, unescaped.
    pub value: String,
}

impl Rdn {
    /// A single-valued RDN.
    pub fn new(attr: impl Into<String>, value: impl Into<String>) -> Self {
        Rdn {
            avas: vec![Ava {
                attr: attr.into(),
                value: value.into(),
            }],
        }
    }

    /// An RDN of the AVAs `avas` (the parser's; never empty).
    pub(super) fn from_avas(avas: Vec<Ava>) -> Self {
        Rdn { avas }
    }

    /// The attribute-value assertions, in the order written.
    pub fn avas(&self) -> &[Ava] {
        &self.avas
    }

    /// The attribute type of the first AVA.
    pub fn attr(&self) -> &str {
        self.avas.first().map_or("", |a| a.attr.as_str())
    }

    /// The (unescaped) value of the first AVA.
    pub fn value(&self) -> &str {
        self.avas.first().map_or("", |a| a.value.as_str())
    }

    /// Writes the canonical form: types lower-cased, AVAs sorted, values escaped; with
    /// `fold` the values lower-cased too (the key).
    pub(super) fn write_canonical(&self, out: &mut String, fold: bool) {
        let mut avas: Vec<(String, String)> = self
            .avas
            .iter()
            .map(|a| {
                let value = if fold {
                    a.value.to_lowercase()
                } else {
                    a.value.clone()
                };
                (a.attr.to_ascii_lowercase(), value)
            })
            .collect();
        avas.sort_by(|(a1, v1), (a2, v2)| (a1, v1.to_lowercase()).cmp(&(a2, v2.to_lowercase())));
        for (i, (attr, value)) in avas.iter().enumerate() {
            if i > 0 {
                out.push('+');
            }
            out.push_str(attr);
            out.push('=');
            out.push_str(&escape_value(value));
        }
    }

    /// The comparison key of this RDN (its canonical form, lower-cased).
    pub(super) fn key(&self) -> String {
        let mut out = String::new();
        self.write_canonical(&mut out, true);
        out
    }
}

impl fmt::Display for Rdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, ava) in self.avas.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            write!(f, "{}={}", ava.attr, escape_value(&ava.value))?;
        }
        Ok(())
    }
}
