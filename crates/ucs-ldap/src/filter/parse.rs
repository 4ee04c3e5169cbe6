//! The filter parser (RFC 4515 with RFC 4526's `(&)` and `(|)`), the only one in the
//! workspace.
//!
//! Also accepted, as UDM accepts them: a filter without the outer parentheses (`uid=foo`),
//! spaces between parenthesised parts, and `\` before a character that is not a hex digit
//! (that character itself). Nesting is limited to [`MAX_FILTER_DEPTH`] levels, so a hostile
//! filter cannot exhaust the stack.

use std::str::FromStr;

use super::Filter;

/// The deepest nesting of `&`, `|` and `!` a parsed filter may have.
pub const MAX_FILTER_DEPTH: usize = 64;

/// Why a filter text could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid LDAP filter {input:?}: {reason} at position {position}")]
pub struct FilterError {
    /// The input.
    pub input: String,
    /// What is wrong.
    pub reason: String,
    /// Where (a byte offset into the parenthesised input).
    pub position: usize,
}

impl FromStr for Filter {
    type Err = FilterError;

    fn from_str(input: &str) -> Result<Filter, FilterError> {
        let trimmed = input.trim();
        let wrapped;
        let text = if trimmed.starts_with('(') {
            trimmed
        } else {
            wrapped = format!("({trimmed})");
            wrapped.as_str()
        };
        let mut parser = Parser {
            input: text,
            bytes: text.as_bytes(),
            pos: 0,
        };
        let filter = parser.filter(0)?;
        parser.skip_spaces();
        if parser.pos != parser.bytes.len() {
            return Err(parser.error("unexpected text after the filter"));
        }
        Ok(filter)
    }
}

struct Parser<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, reason: impl Into<String>) -> FilterError {
        FilterError {
            input: self.input.to_string(),
            reason: reason.into(),
            position: self.pos,
        }
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), FilterError> {
        self.skip_spaces();
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {:?}", char::from(b))))
        }
    }

    fn filter(&mut self, depth: usize) -> Result<Filter, FilterError> {
        if depth > MAX_FILTER_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_FILTER_DEPTH} levels")));
        }
        self.expect(b'(')?;
        self.skip_spaces();
        let filter = match self.bytes.get(self.pos) {
            Some(b'&') => {
                self.pos += 1;
                Filter::And(self.list(depth)?)
            }
            Some(b'|') => {
                self.pos += 1;
                Filter::Or(self.list(depth)?)
            }
            Some(b'!') => {
                self.pos += 1;
                Filter::Not(Box::new(self.filter(depth + 1)?))
            }
            Some(_) => self.item()?,
            None => return Err(self.error("unexpected end")),
        };
        self.expect(b')')?;
        Ok(filter)
    }

    fn list(&mut self, depth: usize) -> Result<Vec<Filter>, FilterError> {
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match self.bytes.get(self.pos) {
                Some(b'(') => items.push(self.filter(depth + 1)?),
                Some(b')') => return Ok(items),
                _ => return Err(self.error("expected a parenthesised filter")),
            }
        }
    }

    fn item(&mut self) -> Result<Filter, FilterError> {
        let attr = self.attribute()?;
        let op = self.operator()?;
        let mut parts = self.value()?;
        let wildcards = parts.len() > 1;
        match op {
            Op::Equal if parts.len() == 2 && parts.iter().all(String::is_empty) => {
                Ok(Filter::Present(attr))
            }
            Op::Equal if wildcards => Ok(Filter::Wildcard(attr, parts)),
            _ if wildcards => Err(self.error("wildcards are only allowed with `=`")),
            Op::Equal => Ok(Filter::Eq(attr, parts.remove(0))),
            Op::Approx => Ok(Filter::Approx(attr, parts.remove(0))),
            Op::GreaterOrEqual => Ok(Filter::GreaterOrEqual(attr, parts.remove(0))),
            Op::LessOrEqual => Ok(Filter::LessOrEqual(attr, parts.remove(0))),
        }
    }

    fn attribute(&mut self) -> Result<String, FilterError> {
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| !matches!(b, b'=' | b'>' | b'<' | b'~' | b'(' | b')'))
        {
            self.pos += 1;
        }
        let attr = self.input[start..self.pos].trim();
        let valid = !attr.is_empty()
            && attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ';' | ':'));
        if !valid {
            return Err(self.error("invalid attribute description"));
        }
        Ok(attr.to_string())
    }

    fn operator(&mut self) -> Result<Op, FilterError> {
        let op = match self.bytes.get(self.pos) {
            Some(b'=') => {
                self.pos += 1;
                return Ok(Op::Equal);
            }
            Some(b'>') => Op::GreaterOrEqual,
            Some(b'<') => Op::LessOrEqual,
            Some(b'~') => Op::Approx,
            _ => return Err(self.error("expected an operator")),
        };
        if self.bytes.get(self.pos + 1) != Some(&b'=') {
            return Err(self.error("expected `=`"));
        }
        self.pos += 2;
        Ok(op)
    }

    /// Reads an assertion value up to the closing parenthesis, split at unescaped `*`.
    fn value(&mut self) -> Result<Vec<String>, FilterError> {
        let mut parts = Vec::new();
        let mut current: Vec<u8> = Vec::new();
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated value")),
                Some(b')') => break,
                Some(b'(') => return Err(self.error("unescaped `(` in a value")),
                Some(b'*') => {
                    parts.push(self.utf8(std::mem::take(&mut current))?);
                    self.pos += 1;
                }
                Some(b'\\') => self.escape(&mut current)?,
                Some(&b) => {
                    current.push(b);
                    self.pos += 1;
                }
            }
        }
        parts.push(self.utf8(current)?);
        Ok(parts)
    }

    /// Reads one escape at `self.pos` (the `\`) into `out`.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), FilterError> {
        let hi = self.bytes.get(self.pos + 1).copied();
        let lo = self.bytes.get(self.pos + 2).copied();
        match (hi, lo) {
            (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                out.push(hex(h) * 16 + hex(l));
                self.pos += 3;
            }
            (Some(_), _) => {
                // lenient: `\*` and friends mean the character itself (whole, if multi-byte)
                let width = self.input[self.pos + 1..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                out.extend_from_slice(&self.bytes[self.pos + 1..self.pos + 1 + width]);
                self.pos += 1 + width;
            }
            (None, _) => return Err(self.error("dangling escape")),
        }
        Ok(())
    }

    fn utf8(&self, bytes: Vec<u8>) -> Result<String, FilterError> {
        String::from_utf8(bytes).map_err(|_| self.error("value is not UTF-8"))
    }
}

enum Op {
    Equal,
    Approx,
    GreaterOrEqual,
    LessOrEqual,
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}
