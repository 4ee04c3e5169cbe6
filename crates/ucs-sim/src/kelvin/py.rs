//! Python's `repr()` of the values the real server puts into its messages (`name='x'`,
//! `{'title'}`, `None`), so that texts built from them match.

/// Whether Python's `str.isprintable()` holds for a character (approximated: control,
/// format and separator characters other than the space are not printable).
fn printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

/// `repr(s)` of a Python `str`.
pub(crate) fn repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if printable(c) => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// `repr()` of an optional string: `'x'` or `None`.
pub(crate) fn repr_opt(s: Option<&str>) -> String {
    s.map(repr).unwrap_or_else(|| "None".to_string())
}

/// `repr()` of a list of strings: `['a', 'b']`.
pub(crate) fn repr_list<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| repr(s.as_ref())).collect();
    format!("[{}]", parts.join(", "))
}

/// `repr()` of a set of strings: `{'a', 'b'}` (Python's order is arbitrary; sorted here).
pub(crate) fn repr_set<S: AsRef<str>>(items: &[S]) -> String {
    let mut parts: Vec<String> = items.iter().map(|s| repr(s.as_ref())).collect();
    parts.sort();
    format!("{{{}}}", parts.join(", "))
}

/// `str()` of the UCS@school lib's `ValidationError`: the repr of its error dict,
/// `{'school': ['The school "X" does not exist. ...']}`.
pub(crate) fn repr_errors(errors: &[(String, Vec<String>)]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|(key, messages)| format!("{}: {}", repr(key), repr_list(messages)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_like_python() {
        assert_eq!(repr("nobody"), "'nobody'");
        assert_eq!(repr("o'x"), "\"o'x\"");
        assert_eq!(repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(repr("a\\b\n"), "'a\\\\b\\n'");
        assert_eq!(repr("ü\u{1}\u{a0}"), "'ü\\x01\\xa0'");
        assert_eq!(repr_opt(None), "None");
        assert_eq!(repr_list(&["a", "b"]), "['a', 'b']");
        assert_eq!(repr_set(&["x"]), "{'x'}");
        let errors = vec![(
            "school".to_string(),
            vec!["The school \"X\" does not exist.".to_string()],
        )];
        assert_eq!(
            repr_errors(&errors),
            "{'school': ['The school \"X\" does not exist.']}"
        );
    }
}
