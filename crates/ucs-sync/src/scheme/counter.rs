//! User names and mail addresses from a rendered template with a counter variable.
//!
//! The rules of `UsernameHandler.format_name` and `EmailHandler.format_name`
//! (`ucsschool/importer/utils/username_handler.py`, Kelvin 4.0.0):
//!
//! * `[ALWAYSCOUNTER]` is always replaced by a number (1 first); `[COUNTER2]` by nothing
//!   the first time, then by 2, 3, ... (matched case-insensitively); two counter variables
//!   are an error;
//! * user names keep only ASCII letters, digits and the allowed special characters
//!   (default `.`), which may not start or end the name;
//! * with a counter, the name without the variable is cut to `max_length - 3` (room for
//!   three digits) before the counter goes in; without one, the name is cut to
//!   `max_length`; leading and trailing dots are removed last;
//! * mail addresses: the counter applies to the local part, which loses only whitespace,
//!   and may be at most `254 - len(domain) - 1` long.
//!
//! The number comes from a [`TakenIndex`] instead of the importer's LDAP counter store,
//! see there.

use super::index::TakenIndex;

const COUNTER_DIGITS: usize = 3;
const MAX_EMAIL_LENGTH: usize = 254;
const MAX_TRIES: usize = 10_000;

/// Which counter variable a template has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Counter {
    Always,
    Second,
}

/// A counter variable could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

/// The rules for one kind of value.
#[derive(Clone, Debug)]
pub struct NameRules {
    /// Longest value.
    pub max_length: usize,
    /// Special characters allowed besides letters and digits; `None` = mail rules
    /// (everything but whitespace).
    pub allowed_special: Option<String>,
}

impl NameRules {
    /// User name rules.
    pub fn username(max_length: usize, allowed_special: &str) -> NameRules {
        NameRules {
            max_length,
            allowed_special: Some(allowed_special.to_string()),
        }
    }

    /// Mail address rules for the local part of an address in `domain`.
    pub fn email_local_part(domain: &str) -> NameRules {
        NameRules {
            max_length: MAX_EMAIL_LENGTH.saturating_sub(domain.len() + 1),
            allowed_special: None,
        }
    }
}

/// Makes a unique user name from a rendered template (`taken` holds names in use).
pub fn format_username(
    template: &str,
    rules: &NameRules,
    taken: &TakenIndex,
) -> Result<String, FormatError> {
    format_value(template, rules, "", taken)
}

/// Makes a unique mail address from a rendered `local@domain` template.
pub fn format_email(template: &str, taken: &TakenIndex) -> Result<String, FormatError> {
    let (local, domain) = match template.rsplit_once('@') {
        Some((l, d)) => (l, d),
        None => ("", template),
    };
    let rules = NameRules::email_local_part(domain);
    if rules.max_length < 1 {
        return Err(FormatError(
            "the mail domain leaves no room for a local part".into(),
        ));
    }
    let suffix = format!("@{domain}");
    let local = format_value(local, &rules, &suffix, taken)?;
    Ok(format!("{local}{suffix}"))
}

fn format_value(
    name: &str,
    rules: &NameRules,
    suffix: &str,
    taken: &TakenIndex,
) -> Result<String, FormatError> {
    let found = find_counters(name);
    let Some(&(position, length, counter)) = found.first() else {
        let cleaned = remove_bad_chars(name, rules);
        let cut = if name.chars().count() > rules.max_length {
            cleaned.chars().take(rules.max_length).collect()
        } else {
            cleaned
        };
        return Ok(cut.trim_matches('.').to_string());
    };
    if found.len() >= 2 {
        return Err(FormatError(format!(
            "more than one counter variable in {name:?}"
        )));
    }
    let variable = &name[position..position + length];
    let without = remove_bad_chars(
        &format!("{}{}", &name[..position], &name[position + length..]),
        rules,
    );
    let cut_pos = rules.max_length.saturating_sub(COUNTER_DIGITS);
    let template = if without.chars().count() > cut_pos {
        let at = name[..position].chars().count();
        let start: String = without.chars().take(cut_pos.min(at)).collect();
        let end: String = without.chars().take(cut_pos).skip(at).collect();
        format!("{start}{variable}{end}")
    } else {
        name.to_string()
    };
    if without.is_empty() {
        return Ok(finish(&template, "", rules));
    }
    let first = next_number(&template, counter, rules, suffix, taken);
    let mut number = first.parse::<u32>().ok();
    let mut name = finish(&template, &first, rules);
    // the index makes this rare; it guards names the index cannot see as counters
    for _ in 0..MAX_TRIES {
        if !taken.contains(&format!("{name}{suffix}")) {
            return Ok(name);
        }
        let next = number.map_or(2, |n| n + 1);
        number = Some(next);
        name = finish(&template, &next.to_string(), rules);
    }
    Err(FormatError(format!(
        "no free value for {name:?} after {MAX_TRIES} counters"
    )))
}

/// The template with the counter replaced, cleaned and stripped of dots.
fn finish(template: &str, counter: &str, rules: &NameRules) -> String {
    finish_keeping(template, counter, rules, None)
}

fn finish_keeping(template: &str, counter: &str, rules: &NameRules, keep: Option<char>) -> String {
    let replaced = replace_counter(template, counter);
    remove_bad_chars_keeping(&replaced, rules, keep)
        .trim_matches('.')
        .to_string()
}

/// The counter text: one more than the largest number in use at this position; for
/// `[COUNTER2]` nothing if the bare value and no numbered value is in use.
fn next_number(
    template: &str,
    counter: Counter,
    rules: &NameRules,
    suffix: &str,
    taken: &TakenIndex,
) -> String {
    const MARK: char = '\u{E000}';
    let marked = finish_keeping(template, &MARK.to_string(), rules, Some(MARK));
    let (prefix, rest) = marked.split_once(MARK).unwrap_or((&marked, ""));
    let rest = format!("{rest}{suffix}");
    let used = taken.max_counter(prefix, &rest);
    let bare = format!("{}{suffix}", finish(template, "", rules));
    match (counter, used) {
        (Counter::Second, None) if !taken.contains(&bare) => String::new(),
        (Counter::Second, used) => used.map_or(2, |n| (n + 1).max(2)).to_string(),
        (Counter::Always, used) => used.map_or(1, |n| n + 1).to_string(),
    }
}

fn replace_counter(template: &str, counter: &str) -> String {
    match find_counters(template).first() {
        Some(&(position, length, _)) => {
            format!(
                "{}{counter}{}",
                &template[..position],
                &template[position + length..]
            )
        }
        None => template.to_string(),
    }
}

/// Byte positions, lengths and kinds of the counter variables (case-insensitive).
fn find_counters(name: &str) -> Vec<(usize, usize, Counter)> {
    let lower = name.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while from < lower.len() {
        let next = [
            ("[alwayscounter]", Counter::Always),
            ("[counter2]", Counter::Second),
        ]
        .iter()
        .filter_map(|(v, c)| lower[from..].find(v).map(|i| (from + i, v.len(), *c)))
        .min_by_key(|(i, _, _)| *i);
        match next {
            Some(hit) => {
                found.push(hit);
                from = hit.0 + hit.1;
            }
            None => break,
        }
    }
    found
}

/// `UsernameHandler.remove_bad_chars` / `EmailHandler.remove_bad_chars`.
fn remove_bad_chars(name: &str, rules: &NameRules) -> String {
    remove_bad_chars_keeping(name, rules, None)
}

/// The same, keeping `keep` (a marker for the counter's position) wherever it is.
fn remove_bad_chars_keeping(name: &str, rules: &NameRules, keep: Option<char>) -> String {
    let kept = |c: char| Some(c) == keep;
    let Some(special) = &rules.allowed_special else {
        return name
            .chars()
            .filter(|c| kept(*c) || !c.is_whitespace())
            .collect();
    };
    let mut name = name;
    for c in special.chars() {
        name = name.trim_matches(c);
    }
    name.chars()
        .filter(|c| kept(*c) || c.is_ascii_alphanumeric() || special.contains(*c))
        .collect()
}
