//! Names and addresses already in use, with the counters they imply.
//!
//! The importer keeps a counter per name base in LDAP
//! (`cn=unique-usernames,cn=ucsschool,cn=univention,<base>`, `LdapStorageBackend` in
//! `ucsschool/importer/utils/username_handler.py`) that only ever grows, so a name is never
//! handed out twice. That store is not reachable through Kelvin; the index here derives the
//! counter from the values that exist: for a base `start` + counter + `end`, the next number
//! is one more than the largest number already used in that position. Values compare
//! case-insensitively (LDAP compares `uid` and `mailPrimaryAddress` that way).

use std::collections::{HashMap, HashSet};

/// Longest digit run read as a counter.
const MAX_COUNTER_DIGITS: usize = 9;

/// Values in use and the largest counter per (prefix, suffix).
#[derive(Clone, Debug, Default)]
pub struct TakenIndex {
    values: HashSet<String>,
    counters: HashMap<(String, String), u32>,
}

impl TakenIndex {
    /// An empty index.
    pub fn new() -> TakenIndex {
        TakenIndex::default()
    }

    /// Records a value as in use.
    pub fn insert(&mut self, value: &str) {
        let value = value.to_lowercase();
        for (start, end, number) in digit_runs(&value) {
            let slot = self
                .counters
                .entry((value[..start].to_string(), value[end..].to_string()))
                .or_insert(0);
            *slot = (*slot).max(number);
        }
        self.values.insert(value);
    }

    /// Whether a value is in use.
    pub fn contains(&self, value: &str) -> bool {
        self.values.contains(&value.to_lowercase())
    }

    /// The largest counter used between `prefix` and `suffix`, if any.
    pub fn max_counter(&self, prefix: &str, suffix: &str) -> Option<u32> {
        self.counters
            .get(&(prefix.to_lowercase(), suffix.to_lowercase()))
            .copied()
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Every tail of a run of ASCII digits that reads as a counter (no leading zero): for
/// `ab412` that is `412`, `12` and `2`, since a counter may follow a prefix ending in
/// digits (`ab41` + `2`).
fn digit_runs(value: &str) -> Vec<(usize, usize, u32)> {
    let bytes = value.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        for from in start.max(i.saturating_sub(MAX_COUNTER_DIGITS))..i {
            let digits = &value[from..i];
            if !digits.starts_with('0') {
                if let Ok(n) = digits.parse() {
                    runs.push((from, i, n));
                }
            }
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_per_position() {
        let mut index = TakenIndex::new();
        for v in [
            "mmueller",
            "mmueller2",
            "MMueller7",
            "max1.mustermann",
            "a01",
        ] {
            index.insert(v);
        }
        assert!(index.contains("MMUELLER2"));
        assert_eq!(index.max_counter("mmueller", ""), Some(7));
        assert_eq!(index.max_counter("max", ".mustermann"), Some(1));
        assert_eq!(index.max_counter("a", ""), None);
        assert_eq!(index.max_counter("a0", ""), Some(1));
        index.insert("m.oeztuerk412");
        assert_eq!(
            index.max_counter("m.oeztuerk41", ""),
            Some(2),
            "a prefix ending in digits"
        );
        assert_eq!(index.max_counter("m.oeztuerk", ""), Some(412));
        assert_eq!(index.max_counter("jdoe", ""), None);
    }
}
