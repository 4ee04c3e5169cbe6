//! The first syntax error of a JSON text as Python's `json` module (CPython 3.11, the C
//! scanner) reports it: message and character position. The real server (FastAPI 0.97)
//! turns it into a 422 with `loc: ["body", <pos>]` and the error's attributes as `ctx`.

/// A JSON syntax error: Python's `JSONDecodeError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonError {
    /// The short message (`Expecting value`).
    pub msg: &'static str,
    /// Character (not byte) position.
    pub pos: usize,
}

/// Why a text could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A syntax error.
    Syntax(JsonError),
    /// Nested deeper than Python's recursion limit allows (the server answers 400).
    TooDeep,
}

/// Deepest nesting accepted (CPython's recursion limit is about 1000 frames).
const MAX_DEPTH: usize = 900;

struct Scanner {
    s: Vec<char>,
    depth: usize,
}

fn err(msg: &'static str, pos: usize) -> Failure {
    Failure::Syntax(JsonError { msg, pos })
}

impl Scanner {
    fn at(&self, i: usize) -> Option<char> {
        self.s.get(i).copied()
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while matches!(self.at(i), Some(' ' | '\t' | '\n' | '\r')) {
            i += 1;
        }
        i
    }

    fn starts(&self, i: usize, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(k, c)| self.at(i + k) == Some(c))
    }

    /// One value at `i`; `Err(Stop(i))` is Python's StopIteration ("Expecting value").
    fn value(&mut self, i: usize) -> Result<usize, Failure> {
        match self.at(i) {
            Some('"') => self.string(i + 1),
            Some('{') => self.nested(|sc| sc.object(i + 1)),
            Some('[') => self.nested(|sc| sc.array(i + 1)),
            Some('n') if self.starts(i, "null") => Ok(i + 4),
            Some('t') if self.starts(i, "true") => Ok(i + 4),
            Some('f') if self.starts(i, "false") => Ok(i + 5),
            Some('N') if self.starts(i, "NaN") => Ok(i + 3),
            Some('I') if self.starts(i, "Infinity") => Ok(i + 8),
            Some('-') if self.starts(i, "-Infinity") => Ok(i + 9),
            _ => self.number(i).ok_or_else(|| err("Expecting value", i)),
        }
    }

    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<usize, Failure>,
    ) -> Result<usize, Failure> {
        if self.depth >= MAX_DEPTH {
            return Err(Failure::TooDeep);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn digits(&self, mut i: usize) -> usize {
        while matches!(self.at(i), Some('0'..='9')) {
            i += 1;
        }
        i
    }

    fn number(&self, start: usize) -> Option<usize> {
        let mut i = start;
        if self.at(i) == Some('-') {
            i += 1;
        }
        i = match self.at(i) {
            Some('1'..='9') => self.digits(i + 1),
            Some('0') => i + 1,
            _ => return None,
        };
        if self.at(i) == Some('.') && matches!(self.at(i + 1), Some('0'..='9')) {
            i = self.digits(i + 2);
        }
        if matches!(self.at(i), Some('e' | 'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some('+' | '-')) {
                j += 1;
            }
            let end = self.digits(j);
            if end > j {
                i = end;
            }
        }
        Some(i)
    }

    fn string(&self, start: usize) -> Result<usize, Failure> {
        let begin = start - 1;
        let mut i = start;
        loop {
            match self.at(i) {
                None => return Err(err("Unterminated string starting at", begin)),
                Some('"') => return Ok(i + 1),
                Some('\\') => i = self.escape(i, begin)?,
                Some(c) if (c as u32) < 0x20 => return Err(err("Invalid control character at", i)),
                Some(_) => i += 1,
            }
        }
    }

    /// The escape starting with the backslash at `b`; returns the index after it.
    fn escape(&self, b: usize, begin: usize) -> Result<usize, Failure> {
        match self.at(b + 1) {
            None => Err(err("Unterminated string starting at", begin)),
            Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => Ok(b + 2),
            Some('u') => {
                let hex = (b + 2..b + 6).all(|k| self.at(k).is_some_and(|c| c.is_ascii_hexdigit()));
                if hex {
                    Ok(b + 6)
                } else {
                    Err(err("Invalid \\uXXXX escape", b + 1))
                }
            }
            Some(_) => Err(err("Invalid \\escape", b)),
        }
    }

    fn object(&mut self, start: usize) -> Result<usize, Failure> {
        let mut i = self.skip_ws(start);
        if self.at(i) == Some('}') {
            return Ok(i + 1);
        }
        loop {
            if self.at(i) != Some('"') {
                return Err(err("Expecting property name enclosed in double quotes", i));
            }
            i = self.skip_ws(self.string(i + 1)?);
            if self.at(i) != Some(':') {
                return Err(err("Expecting ':' delimiter", i));
            }
            let at = self.skip_ws(i + 1);
            let end = self.value(at)?;
            i = self.skip_ws(end);
            match self.at(i) {
                Some('}') => return Ok(i + 1),
                Some(',') => i = self.skip_ws(i + 1),
                _ => return Err(err("Expecting ',' delimiter", i)),
            }
        }
    }

    fn array(&mut self, start: usize) -> Result<usize, Failure> {
        let mut i = self.skip_ws(start);
        if self.at(i) == Some(']') {
            return Ok(i + 1);
        }
        loop {
            let end = self.value(i)?;
            i = self.skip_ws(end);
            match self.at(i) {
                Some(']') => return Ok(i + 1),
                Some(',') => i = self.skip_ws(i + 1),
                _ => return Err(err("Expecting ',' delimiter", i)),
            }
        }
    }
}

/// Checks a JSON text as `json.loads` does.
pub(crate) fn check(text: &str) -> Result<(), Failure> {
    let mut scanner = Scanner {
        s: text.chars().collect(),
        depth: 0,
    };
    let start = scanner.skip_ws(0);
    let value_end = scanner.value(start)?;
    let end = scanner.skip_ws(value_end);
    if end != scanner.s.len() {
        return Err(err("Extra data", end));
    }
    Ok(())
}

/// Python's `JSONDecodeError.__str__`: `<msg>: line L column C (char P)`, with line and column.
pub(crate) fn describe(text: &str, error: &JsonError) -> (String, usize, usize) {
    let before: Vec<char> = text.chars().take(error.pos).collect();
    let lineno = before.iter().filter(|c| **c == '\n').count() + 1;
    let colno = match before.iter().rposition(|c| *c == '\n') {
        Some(nl) => error.pos - nl,
        None => error.pos + 1,
    };
    let message = format!(
        "{}: line {lineno} column {colno} (char {})",
        error.msg, error.pos
    );
    (message, lineno, colno)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> (&'static str, usize) {
        match check(text) {
            Err(Failure::Syntax(e)) => (e.msg, e.pos),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    /// Expected values printed by CPython 3.11's `json.loads`.
    #[test]
    fn errors_match_cpython() {
        assert_eq!(first("["), ("Expecting value", 1));
        assert_eq!(
            first("{"),
            ("Expecting property name enclosed in double quotes", 1)
        );
        assert_eq!(first("[1,]"), ("Expecting value", 3));
        assert_eq!(
            first("{\"a\":1,}"),
            ("Expecting property name enclosed in double quotes", 7)
        );
        assert_eq!(first("{\"a\""), ("Expecting ':' delimiter", 4));
        assert_eq!(first("{\"a\":"), ("Expecting value", 5));
        assert_eq!(first("\"abc"), ("Unterminated string starting at", 0));
        assert_eq!(first("\"a\\x\""), ("Invalid \\escape", 2));
        assert_eq!(first("\"\\u12\""), ("Invalid \\uXXXX escape", 2));
        assert_eq!(first("[1 2]"), ("Expecting ',' delimiter", 3));
        assert_eq!(first("tru"), ("Expecting value", 0));
        assert_eq!(first("-"), ("Expecting value", 0));
        assert_eq!(first("01"), ("Extra data", 1));
        assert_eq!(first("1."), ("Extra data", 1));
        assert_eq!(first("{\"a\":1}x"), ("Extra data", 7));
        assert_eq!(first("\n\n  [1,\n2,]"), ("Expecting value", 10));
        assert_eq!(first("\"a\nb\""), ("Invalid control character at", 2));
        assert_eq!(first("not json"), ("Expecting value", 0));
        assert_eq!(
            first("{\"firstname\":\"X\""),
            ("Expecting ',' delimiter", 16)
        );
        assert!(check(" {\"a\": [1, -2.5e3, true, null, \"\\u00fc\"]} ").is_ok());
        let deep = "[".repeat(1000);
        assert_eq!(check(&deep), Err(Failure::TooDeep));
    }

    #[test]
    fn messages_name_line_and_column() {
        let text = "{\"firstname\":\"X\"";
        let e = JsonError {
            msg: "Expecting ',' delimiter",
            pos: 16,
        };
        assert_eq!(
            describe(text, &e).0,
            "Expecting ',' delimiter: line 1 column 17 (char 16)"
        );
        let e = JsonError {
            msg: "Expecting value",
            pos: 10,
        };
        assert_eq!(
            describe("\n\n  [1,\n2,]", &e),
            ("Expecting value: line 4 column 3 (char 10)".into(), 4, 3)
        );
    }
}
