//! Policies: Kolab-style format strings, parsed by a small safe parser (never evaluated as
//! code).
//!
//! Two forms are accepted:
//!
//! * **Template** (the policy does not start with a quote): literal text with `%(key)s`
//!   placeholders and `%%` for a percent sign, e.g. `%(givenname)s.%(surname)s@%(domain)s`.
//! * **Expression** (the policy starts with `'` or `"`): string literals, each optionally
//!   followed by slices and string methods, joined with `+`, e.g.
//!   `'%(givenname)s'[0:1].capitalize() + '.' + '%(surname)s'` or
//!   `'{0}.{1}@{2}'.format('%(givenname)s'[0:1], '%(surname)s', '%(domain)s')`.
//!
//! Inside literals, `%(key)s` is replaced by the input value *after* parsing, so input
//! can never change the structure of a policy. Supported after a literal: `[start:end]`
//! and `[index]` (Python semantics on characters, negative indices count from the end;
//! an index out of range gives the empty string instead of an error), `.lower()`,
//! `.upper()`, `.capitalize()`, `.title()`, `.strip()`, `.lstrip()`, `.rstrip()`, and
//! `.format(args...)` directly on a literal with `{0}`-style or `{}` fields (`{{`/`}}`
//! for braces). Kolab's secondary-mail form `{"{0}@{1}": "format('%(uid)s', '%(domain)s')"}`
//! is accepted by [`Policy::parse_kolab_format`].

use std::fmt;

use super::PolicyError;

/// A parsed policy. Parse once, render many times.
///
/// ```
/// use ucs::forms::Policy;
/// let p = Policy::parse("'%(givenname)s'[0:1].upper() + '.' + '%(sn)s'.lower()").unwrap();
/// assert_eq!(p.keys(), ["givenname", "sn"]);
/// let out = p.render(|k| match k { "givenname" => Some("jane"), "sn" => Some("DOE"), _ => None });
/// assert_eq!(out.unwrap(), "J.doe");
///
/// let err = Policy::parse("'%(sn)s'.shout()").unwrap_err();
/// assert_eq!(err.position, 9);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Policy {
    source: String,
    expr: Expr,
}

type Expr = Vec<Term>;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    base: Base,
    ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Base {
    Text(Vec<Piece>),
    Format {
        template: Vec<FormatPiece>,
        args: Vec<Expr>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Key(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum FormatPiece {
    Piece(Piece),
    Arg(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Slice(Option<i64>, Option<i64>),
    Index(i64),
    Lower,
    Upper,
    Capitalize,
    Title,
    Strip,
    LStrip,
    RStrip,
}

const METHODS: &str = "lower, upper, capitalize, title, strip, lstrip, rstrip, format";

/// Characters of a string literal's content with their offsets in the policy.
type Located = Vec<(char, usize)>;

/// The deepest nesting of `format()` calls in a policy; deeper policies are
/// refused (each level is a recursion of the parser and of the evaluation).
pub const MAX_POLICY_DEPTH: usize = 16;

struct Parser<'a> {
    source: &'a str,
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, position: usize, reason: impl Into<String>) -> PolicyError {
        PolicyError {
            policy: self.source.to_owned(),
            position,
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, wanted: char, what: &str) -> Result<(), PolicyError> {
        self.skip_ws();
        match self.peek() {
            Some(c) if c == wanted => {
                self.pos += 1;
                Ok(())
            }
            Some(c) => Err(self.error(self.pos, format!("expected {what}, found {c:?}"))),
            None => Err(self.error(self.pos, format!("expected {what}, found the end"))),
        }
    }

    /// expr := term ('+' term)*
    fn expr(&mut self) -> Result<Expr, PolicyError> {
        let mut terms = vec![self.term()?];
        loop {
            self.skip_ws();
            if self.peek() == Some('+') {
                self.pos += 1;
                terms.push(self.term()?);
            } else {
                return Ok(terms);
            }
        }
    }

    /// term := literal postfix*
    fn term(&mut self) -> Result<Term, PolicyError> {
        self.skip_ws();
        let start = self.pos;
        let literal = match self.peek() {
            Some('\'' | '"') => self.literal()?,
            Some(c) => {
                return Err(self.error(start, format!("expected a quoted string, found {c:?}")))
            }
            None => return Err(self.error(start, "expected a quoted string, found the end")),
        };
        let mut term = Term {
            base: Base::Text(Vec::new()),
            ops: Vec::new(),
        };
        let mut format_template = Some(literal);
        loop {
            self.skip_ws();
            match self.peek() {
                Some('[') => {
                    self.pos += 1;
                    term.ops.push(self.slice()?);
                }
                Some('.') => {
                    let dot = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    let name_at = self.pos;
                    let name = self.identifier();
                    if name.is_empty() {
                        return Err(self.error(name_at, "expected a method name after '.'"));
                    }
                    self.expect('(', "'(' after the method name")?;
                    if name == "format" {
                        let Some(template) = format_template.take().filter(|_| term.ops.is_empty())
                        else {
                            return Err(self.error(
                                dot,
                                "format() can only be called directly on a string literal",
                            ));
                        };
                        let args = self.arguments()?;
                        let template = self.format_template(&template, args.len())?;
                        term.base = Base::Format { template, args };
                        continue;
                    }
                    let op = match name.as_str() {
                        "lower" => Op::Lower,
                        "upper" => Op::Upper,
                        "capitalize" => Op::Capitalize,
                        "title" => Op::Title,
                        "strip" => Op::Strip,
                        "lstrip" => Op::LStrip,
                        "rstrip" => Op::RStrip,
                        other => {
                            return Err(self.error(
                                name_at,
                                format!("unknown method {other:?}; supported are {METHODS}"),
                            ))
                        }
                    };
                    self.expect(')', &format!("')': {name}() takes no arguments"))?;
                    term.ops.push(op);
                }
                _ => break,
            }
        }
        if let Some(literal) = format_template {
            term.base = Base::Text(self.pieces(&literal)?);
        }
        Ok(term)
    }

    fn identifier(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            name.push(c);
            self.pos += 1;
        }
        name
    }

    /// Arguments of format(): expr (',' expr)* ')', or just ')'.
    fn arguments(&mut self) -> Result<Vec<Expr>, PolicyError> {
        if self.depth >= MAX_POLICY_DEPTH {
            return Err(self.error(
                self.pos,
                format!("format() calls nested deeper than {MAX_POLICY_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        let args = self.argument_list();
        self.depth -= 1;
        args
    }

    fn argument_list(&mut self) -> Result<Vec<Expr>, PolicyError> {
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                Some(c) => {
                    return Err(self.error(self.pos, format!("expected ',' or ')', found {c:?}")))
                }
                None => return Err(self.error(self.pos, "expected ',' or ')', found the end")),
            }
        }
    }

    /// After '[': `int]`, or `int? : int? ]`.
    fn slice(&mut self) -> Result<Op, PolicyError> {
        let start = self.integer()?;
        self.skip_ws();
        if self.peek() == Some(':') {
            self.pos += 1;
            let end = self.integer()?;
            self.expect(']', "']' to close the slice")?;
            return Ok(Op::Slice(start, end));
        }
        let at = self.pos;
        self.expect(']', "':' or ']' in the subscript")?;
        match start {
            Some(index) => Ok(Op::Index(index)),
            None => Err(self.error(at, "expected an index or a slice between '[' and ']'")),
        }
    }

    fn integer(&mut self) -> Result<Option<i64>, PolicyError> {
        self.skip_ws();
        let start = self.pos;
        let mut text = String::new();
        if self.peek() == Some('-') {
            text.push('-');
            self.pos += 1;
        }
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            text.push(c);
            self.pos += 1;
        }
        match text.as_str() {
            "" => Ok(None),
            "-" => Err(self.error(start, "expected digits after '-'")),
            _ => text
                .parse()
                .map(Some)
                .map_err(|_| self.error(start, format!("the number {text} is too large"))),
        }
    }

    /// A quoted literal with `\\`, `\'`, `\"` escapes; returns its content with offsets.
    fn literal(&mut self) -> Result<Located, PolicyError> {
        let open = self.pos;
        let quote = self.chars[open];
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => {
                    return Err(self.error(
                        open,
                        format!("unterminated string: missing closing {quote}"),
                    ))
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    let at = self.pos;
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ ('\\' | '\'' | '"')) => {
                            out.push((c, at));
                            self.pos += 1;
                        }
                        Some(c) => {
                            return Err(self.error(
                                at,
                                format!(
                                    "unsupported escape \\{c}; only \\\\, \\' and \\\" are allowed"
                                ),
                            ))
                        }
                        None => return Err(self.error(at, "unterminated escape at the end")),
                    }
                }
                Some(c) => {
                    out.push((c, self.pos));
                    self.pos += 1;
                }
            }
        }
    }

    /// Splits text into literal pieces and `%(key)s` placeholders.
    fn pieces(&self, text: &[(char, usize)]) -> Result<Vec<Piece>, PolicyError> {
        let mut out = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < text.len() {
            let (c, at) = text[i];
            if c != '%' {
                literal.push(c);
                i += 1;
                continue;
            }
            match text.get(i + 1).map(|x| x.0) {
                Some('%') => {
                    literal.push('%');
                    i += 2;
                }
                Some('(') => {
                    let (key, next) = self.placeholder(text, i)?;
                    if !literal.is_empty() {
                        out.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    out.push(Piece::Key(key));
                    i = next;
                }
                _ => {
                    return Err(self.error(
                        at,
                        "a '%' must start a placeholder like %(name)s or be doubled as %%",
                    ))
                }
            }
        }
        if !literal.is_empty() {
            out.push(Piece::Literal(literal));
        }
        Ok(out)
    }

    /// Parses `%(key)s` starting at `text[i] == '%'`; returns the key and the next index.
    fn placeholder(
        &self,
        text: &[(char, usize)],
        i: usize,
    ) -> Result<(String, usize), PolicyError> {
        let at = text[i].1;
        let mut j = i + 2;
        let mut key = String::new();
        while let Some(&(c, _)) = text.get(j) {
            if c == ')' {
                break;
            }
            if !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
                return Err(self.error(
                    text[j].1,
                    format!("{c:?} is not allowed in a placeholder name"),
                ));
            }
            key.push(c);
            j += 1;
        }
        if text.get(j).is_none() {
            return Err(self.error(at, "unterminated placeholder: missing ')'"));
        }
        if key.is_empty() {
            return Err(self.error(at, "empty placeholder name in %()s"));
        }
        match text.get(j + 1) {
            Some(('s', _)) => Ok((key, j + 2)),
            Some((c, pos)) => Err(self.error(
                *pos,
                format!("only the 's' conversion is supported, found %({key}){c}"),
            )),
            None => Err(self.error(
                at,
                format!("missing conversion after %({key}); write %({key})s"),
            )),
        }
    }

    /// Parses a format() template: `{0}`, `{}`, `{{`, `}}` plus `%(key)s` placeholders.
    fn format_template(
        &self,
        text: &[(char, usize)],
        argc: usize,
    ) -> Result<Vec<FormatPiece>, PolicyError> {
        let mut out = Vec::new();
        let mut plain: Located = Vec::new();
        let mut auto = 0usize;
        let (mut used_auto, mut used_manual) = (false, false);
        let mut i = 0;
        while i < text.len() {
            let (c, at) = text[i];
            match c {
                '{' if text.get(i + 1).map(|x| x.0) == Some('{') => {
                    plain.push(('{', at));
                    i += 2;
                }
                '}' if text.get(i + 1).map(|x| x.0) == Some('}') => {
                    plain.push(('}', at));
                    i += 2;
                }
                '}' => return Err(self.error(at, "single '}' in a format string; write '}}'")),
                '{' => {
                    let mut j = i + 1;
                    let mut digits = String::new();
                    while let Some(&(d, _)) = text.get(j).filter(|x| x.0 != '}') {
                        digits.push(d);
                        j += 1;
                    }
                    if text.get(j).is_none() {
                        return Err(self.error(at, "unterminated format field: missing '}'"));
                    }
                    let index = if digits.is_empty() {
                        used_auto = true;
                        auto += 1;
                        auto - 1
                    } else if digits.chars().all(|d| d.is_ascii_digit()) {
                        used_manual = true;
                        digits
                            .parse()
                            .map_err(|_| self.error(at, "format field number too large"))?
                    } else {
                        return Err(self.error(
                            at,
                            format!("unsupported format field {{{digits}}}; only positional fields like {{0}} or {{}} are allowed"),
                        ));
                    };
                    if used_auto && used_manual {
                        return Err(self.error(
                            at,
                            "cannot mix {} and {0}-style fields in one format string",
                        ));
                    }
                    if index >= argc {
                        return Err(self.error(
                            at,
                            format!("format field {{{index}}} has no argument ({argc} given)"),
                        ));
                    }
                    if !plain.is_empty() {
                        out.extend(
                            self.pieces(&std::mem::take(&mut plain))?
                                .into_iter()
                                .map(FormatPiece::Piece),
                        );
                    }
                    out.push(FormatPiece::Arg(index));
                    i = j + 1;
                }
                _ => {
                    plain.push((c, at));
                    i += 1;
                }
            }
        }
        if !plain.is_empty() {
            out.extend(self.pieces(&plain)?.into_iter().map(FormatPiece::Piece));
        }
        Ok(out)
    }
}

impl Policy {
    /// Parses a policy (see the module documentation for the syntax).
    pub fn parse(policy: &str) -> Result<Policy, PolicyError> {
        let mut parser = Parser {
            source: policy,
            chars: policy.chars().collect(),
            pos: 0,
            depth: 0,
        };
        parser.skip_ws();
        let expr = if matches!(parser.peek(), Some('\'' | '"')) {
            let expr = parser.expr()?;
            parser.skip_ws();
            if let Some(c) = parser.peek() {
                return Err(parser.error(
                    parser.pos,
                    format!("unexpected {c:?} after the expression; join parts with '+'"),
                ));
            }
            expr
        } else {
            let located: Located = policy.chars().zip(0..).collect();
            vec![Term {
                base: Base::Text(parser.pieces(&located)?),
                ops: Vec::new(),
            }]
        };
        Ok(Policy {
            source: policy.to_owned(),
            expr,
        })
    }

    /// Parses Kolab's secondary-mail form: a format template (the key of Kolab's
    /// one-entry map, e.g. `{0}.{1}@{2}`) and the call text (its value, e.g.
    /// `format('%(givenname)s'[0:1], '%(surname)s', '%(domain)s')`).
    ///
    /// It is parsed as `'<template>'.<call>`; error positions refer to that text.
    pub fn parse_kolab_format(template: &str, call: &str) -> Result<Policy, PolicyError> {
        let escaped = template.replace('\\', "\\\\").replace('\'', "\\'");
        let source = format!("'{escaped}'.{}", call.trim_start());
        let policy = Policy::parse(&source)?;
        match policy.expr.as_slice() {
            [Term {
                base: Base::Format { .. },
                ..
            }] => Ok(policy),
            _ => Err(PolicyError {
                policy: source,
                position: escaped.chars().count() + 3,
                reason: "expected a single format(...) call".into(),
            }),
        }
    }

    /// The policy text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The input keys the policy uses, in order of first use, without duplicates.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys = Vec::new();
        collect_keys(&self.expr, &mut keys);
        keys
    }

    /// Renders the policy, looking every `%(key)s` up with `lookup`.
    /// Returns the missing key as `Err` if `lookup` has no value for it.
    pub fn render<'v>(&self, lookup: impl Fn(&str) -> Option<&'v str>) -> Result<String, String> {
        eval_expr(&self.expr, &lookup)
    }
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Policy").field(&self.source).finish()
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for Policy {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Policy::parse(s)
    }
}

fn collect_keys<'p>(expr: &'p Expr, keys: &mut Vec<&'p str>) {
    let add = |piece: &'p Piece, keys: &mut Vec<&'p str>| {
        if let Piece::Key(k) = piece {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    };
    for term in expr {
        match &term.base {
            Base::Text(pieces) => pieces.iter().for_each(|p| add(p, keys)),
            Base::Format { template, args } => {
                for piece in template {
                    if let FormatPiece::Piece(p) = piece {
                        add(p, keys);
                    }
                }
                for arg in args {
                    collect_keys(arg, keys);
                }
            }
        }
    }
}

fn eval_expr<'v>(expr: &Expr, lookup: &impl Fn(&str) -> Option<&'v str>) -> Result<String, String> {
    let mut out = String::new();
    for term in expr {
        let mut value = match &term.base {
            Base::Text(pieces) => {
                let mut text = String::new();
                for piece in pieces {
                    push_piece(&mut text, piece, lookup)?;
                }
                text
            }
            Base::Format { template, args } => {
                let values = args
                    .iter()
                    .map(|a| eval_expr(a, lookup))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut text = String::new();
                for piece in template {
                    match piece {
                        FormatPiece::Piece(p) => push_piece(&mut text, p, lookup)?,
                        // indices are checked against the argument count when parsing
                        FormatPiece::Arg(i) => {
                            text.push_str(values.get(*i).map_or("", String::as_str))
                        }
                    }
                }
                text
            }
        };
        for op in &term.ops {
            value = apply(*op, &value);
        }
        out.push_str(&value);
    }
    Ok(out)
}

fn push_piece<'v>(
    out: &mut String,
    piece: &Piece,
    lookup: &impl Fn(&str) -> Option<&'v str>,
) -> Result<(), String> {
    match piece {
        Piece::Literal(text) => out.push_str(text),
        Piece::Key(key) => out.push_str(lookup(key).ok_or_else(|| key.clone())?),
    }
    Ok(())
}

fn apply(op: Op, value: &str) -> String {
    match op {
        Op::Slice(start, end) => slice(value, start, end),
        Op::Index(i) => {
            let len = value.chars().count() as i64;
            let at = if i < 0 { len + i } else { i };
            if (0..len).contains(&at) {
                slice(value, Some(at), Some(at + 1))
            } else {
                String::new()
            }
        }
        Op::Lower => value.to_lowercase(),
        Op::Upper => value.to_uppercase(),
        Op::Capitalize => {
            let mut chars = value.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.as_str().to_lowercase().chars())
                    .collect(),
                None => String::new(),
            }
        }
        Op::Title => {
            let mut out = String::with_capacity(value.len());
            let mut in_word = false;
            for c in value.chars() {
                if c.is_alphabetic() {
                    if in_word {
                        out.extend(c.to_lowercase());
                    } else {
                        out.extend(c.to_uppercase());
                    }
                    in_word = true;
                } else {
                    out.push(c);
                    in_word = false;
                }
            }
            out
        }
        Op::Strip => value.trim().to_owned(),
        Op::LStrip => value.trim_start().to_owned(),
        Op::RStrip => value.trim_end().to_owned(),
    }
}

/// Python's `s[start:end]` on characters.
fn slice(value: &str, start: Option<i64>, end: Option<i64>) -> String {
    let len = value.chars().count() as i64;
    let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let from = start.map_or(0, clamp);
    let to = end.map_or(len, clamp);
    if from >= to {
        return String::new();
    }
    value
        .chars()
        .skip(from as usize)
        .take((to - from) as usize)
        .collect()
}
