//! The DN parser (RFC 4514, section 3), the only one in the workspace.
//!
//! Accepted: `attr=value` pairs joined by `+` into RDNs, RDNs joined by `,`; spaces around
//! attribute types, after `=` and at the end of a value are insignificant unless escaped;
//! escapes are `\` followed by two hex digits (a byte of the UTF-8 value) or by any other
//! character (that character). Refused: a missing attribute type or `=`, an empty value, an
//! unescaped `"`, `;`, `<` or `>`, a dangling `\`, a bad hex escape, a value that is not
//! UTF-8 after unescaping, and an empty RDN (`uid=a,,dc=x`, a trailing `,`).

use super::error::DnError;
use super::rdn::{Ava, Rdn};

/// Parses `input`; the empty (or all-space) string is the root DN.
pub(crate) fn parse(input: &str) -> Result<Vec<Rdn>, DnError> {
    let mut parser = Parser {
        input,
        bytes: input.as_bytes(),
        pos: 0,
    };
    let mut rdns = Vec::new();
    if input.trim().is_empty() {
        return Ok(rdns);
    }
    loop {
        rdns.push(parser.rdn()?);
        match parser.bytes.get(parser.pos) {
            None => return Ok(rdns),
            Some(b',') => {
                parser.pos += 1;
                if parser.pos >= parser.bytes.len() {
                    return Err(parser.error("trailing `,`"));
                }
            }
            Some(_) => return Err(parser.error("expected `,` between RDNs")),
        }
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

    fn rdn(&mut self) -> Result<Rdn, DnError> {
        let mut avas = vec![self.ava()?];
        while self.bytes.get(self.pos) == Some(&b'+') {
            self.pos += 1;
            avas.push(self.ava()?);
        }
        Ok(Rdn::from_avas(avas))
    }

    fn ava(&mut self) -> Result<Ava, DnError> {
        let attr = self.attribute_type()?;
        self.skip_spaces();
        if self.bytes.get(self.pos) != Some(&b'=') {
            return Err(self.error("expected `=` after the attribute type"));
        }
        self.pos += 1;
        self.skip_spaces();
        let value = self.value()?;
        if value.is_empty() {
            return Err(self.error("empty attribute value"));
        }
        Ok(Ava { attr, value })
    }

    fn attribute_type(&mut self) -> Result<String, DnError> {
        self.skip_spaces();
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error("expected an attribute type"));
        }
        Ok(self.input[start..self.pos].to_string())
    }

    /// Reads a value up to the next unescaped `,` or `+` (or the end).
    fn value(&mut self) -> Result<String, DnError> {
        let mut raw: Vec<u8> = Vec::new();
        // `raw[..escaped_len]` ends with an escaped byte: trailing-space trimming stops there
        let mut escaped_len = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b',' | b'+' => break,
                b'\\' => {
                    self.escape(&mut raw)?;
                    escaped_len = raw.len();
                }
                b'"' | b';' | b'<' | b'>' => return Err(self.error("unescaped special character")),
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

    /// Reads one escape at `self.pos` (which is the `\`) into `raw`.
    fn escape(&mut self, raw: &mut Vec<u8>) -> Result<(), DnError> {
        let Some(&first) = self.bytes.get(self.pos + 1) else {
            self.pos += 1;
            return Err(self.error("dangling `\\` at the end"));
        };
        if first.is_ascii_hexdigit() {
            let Some(&second) = self
                .bytes
                .get(self.pos + 2)
                .filter(|b| b.is_ascii_hexdigit())
            else {
                self.pos += 1;
                return Err(self.error("`\\` and one hex digit: expected two"));
            };
            raw.push(hex_value(first) * 16 + hex_value(second));
            self.pos += 3;
            return Ok(());
        }
        // any other character stands for itself; copy it whole (it may be multi-byte)
        let width = self.input[self.pos + 1..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        raw.extend_from_slice(&self.bytes[self.pos + 1..self.pos + 1 + width]);
        self.pos += 1 + width;
        Ok(())
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
