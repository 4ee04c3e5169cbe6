//! UDM templates as the importer's `scheme` uses them: `<firstname>[0].<lastname>`,
//! `<:umlauts><firstname:lower>`, `<lastname>[0:3]`.
//!
//! The grammar and semantics of `univention.admin.pattern_replace` (UCS 5.2, from Kelvin
//! 4.0.0's `univention-directory-manager-modules-slim/univention/admin/__init__.py`):
//!
//! * `<key>` is replaced by the value of `key`; a missing or empty value gives `""`;
//! * `<key:cmd,cmd>` applies commands in order: `lower`, `upper`, `umlauts`, `alphanum`
//!   (letters and digits only), `trim`/`strip`; unknown commands do nothing;
//! * `<:cmd,...>` (no key) applies the commands to the whole result at the end;
//! * `<key>[i]` / `<key>[a:b]` (digits and colons only) indexes or slices the value by
//!   characters, as Python does; a malformed range leaves the value as it is, an index past
//!   the end is an error (Python raises `IndexError` there).
//!
//! Everything else, e.g. `[COUNTER2]`, stays literal. The range is parsed here, never
//! evaluated as code.

use super::text::umlauts;

/// A template could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Renders `template` with values from `lookup`.
pub fn render<'v>(
    template: &str,
    lookup: impl Fn(&str) -> Option<&'v str>,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut global = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>').filter(|c| *c > 0) else {
            out.push('<');
            rest = after;
            continue;
        };
        let (key, commands) = split_commands(&after[..close]);
        let (range, tail) = take_range(&after[close + 1..]);
        rest = tail;
        if key.is_empty() && !commands.is_empty() {
            global.extend(commands);
            continue;
        }
        let value = lookup(key).unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let value = apply(value, &commands);
        match range {
            Some(range) => out.push_str(&index(&value, range)?),
            None => out.push_str(&value),
        }
    }
    out.push_str(rest);
    Ok(if global.is_empty() {
        out
    } else {
        apply(&out, &global)
    })
}

/// The keys a template uses.
pub fn keys(template: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        match after.find('>').filter(|c| *c > 0) {
            Some(close) => {
                let (key, _) = split_commands(&after[..close]);
                if !key.is_empty() {
                    keys.push(key.to_string());
                }
                rest = &after[close + 1..];
            }
            None => rest = after,
        }
    }
    keys
}

/// `key:cmd1,cmd2` -> (`key`, [`cmd1`, `cmd2`]); the last `:` separates.
fn split_commands(inner: &str) -> (&str, Vec<String>) {
    match inner.rsplit_once(':') {
        Some((key, commands)) => (
            key,
            commands
                .split(',')
                .map(|c| c.trim().to_lowercase())
                .collect(),
        ),
        None => (inner, Vec::new()),
    }
}

/// A `[digits:digits]` right after the placeholder.
fn take_range(text: &str) -> (Option<&str>, &str) {
    let Some(inner) = text.strip_prefix('[') else {
        return (None, text);
    };
    let Some(end) = inner.find(']') else {
        return (None, text);
    };
    let range = &inner[..end];
    if !range.is_empty() && range.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        (Some(range), &inner[end + 1..])
    } else {
        (None, text)
    }
}

fn apply(text: &str, commands: &[String]) -> String {
    let mut text = text.to_string();
    for command in commands {
        text = match command.as_str() {
            "lower" => text.to_lowercase(),
            "upper" => text.to_uppercase(),
            "umlauts" => umlauts(&text),
            "alphanum" => text.chars().filter(|c| c.is_alphanumeric()).collect(),
            "trim" | "strip" => text.trim().to_string(),
            _ => text,
        };
    }
    text
}

/// Python's `value[range]` for `range` of digits and colons.
fn index(value: &str, range: &str) -> Result<String, TemplateError> {
    let chars: Vec<char> = value.chars().collect();
    let parts: Vec<&str> = range.split(':').collect();
    let number = |p: &str| -> Option<usize> { p.parse().ok() };
    match parts.as_slice() {
        [i] => match number(i).and_then(|i| chars.get(i)) {
            Some(c) => Ok(c.to_string()),
            None => Err(TemplateError(format!(
                "index [{range}] is past the end of {value:?}"
            ))),
        },
        [a, b] => Ok(slice(&chars, number(a), number(b), 1)),
        [a, b, step] => match number(step) {
            Some(0) => Err(TemplateError(format!("slice [{range}] has step 0"))),
            step => Ok(slice(&chars, number(a), number(b), step.unwrap_or(1))),
        },
        _ => Ok(value.to_string()),
    }
}

fn slice(chars: &[char], start: Option<usize>, end: Option<usize>, step: usize) -> String {
    let end = end.unwrap_or(chars.len()).min(chars.len());
    let start = start.unwrap_or(0).min(end);
    chars[start..end].iter().step_by(step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(key: &str) -> Option<&'static str> {
        match key {
            "firstname" => Some("Jürgen"),
            "lastname" => Some("Müller"),
            "empty" => Some(""),
            _ => None,
        }
    }

    #[test]
    fn placeholders_commands_and_ranges() {
        let r = |t: &str| render(t, look);
        assert_eq!(
            r("<:umlauts><firstname>[0]<lastname>[COUNTER2]").unwrap(),
            "JMueller[COUNTER2]"
        );
        assert_eq!(
            r("<firstname:umlauts,lower>.<lastname>[0:3]").unwrap(),
            "juergen.Mül"
        );
        assert_eq!(r("<missing>x<empty>").unwrap(), "x");
        assert_eq!(r("<lastname>[::2]").unwrap(), "Mle");
        assert_eq!(
            r("<lastname>[9]").unwrap_err().0,
            "index [9] is past the end of \"Müller\""
        );
        assert_eq!(r("a<b").unwrap(), "a<b");
        assert_eq!(
            keys("<:umlauts><firstname>[0].<lastname:lower>"),
            ["firstname", "lastname"]
        );
    }
}
