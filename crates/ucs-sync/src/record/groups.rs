//! School classes and workgroups in roster cells: `SCHOOL-CLASS,SCHOOL-CLASS2` or
//! `CLASS,CLASS2` (the row's school), as `ImportUser.make_classes` / `make_workgroups`
//! read them (Kelvin 4.0.0): entries are split at `,`, the first `-` separates the school
//! (without one the primary school is meant), both parts are transliterated
//! (`ImportUser.normalize`), an entry `SCHOOL-` with an empty name is an error, duplicates
//! are dropped, and characters other than letters, digits, space, `-`, `.`, `_` are replaced
//! by the configured replacement (`school_classes_invalid_character_replacement`,
//! default `-`). The result is Kelvin's form: school -> names without the school prefix.

use std::collections::BTreeMap;

use crate::scheme::normalize;

/// Classes or workgroups per school.
pub type Groups = BTreeMap<String, Vec<String>>;

/// Parses a cell; `school` is the row's primary school.
pub fn parse_groups(cell: &str, school: &str, replacement: &str) -> Result<Groups, String> {
    let mut out = Groups::new();
    let cell = cell.trim_matches([' ', '\n', '\r', '\t', ',']);
    for entry in cell.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (group_school, name) = match entry.split_once('-') {
            Some((s, n)) if n.trim().is_empty() => {
                return Err(format!("empty name after the school {s:?} in {entry:?}"))
            }
            Some((s, n)) => (s.trim().to_string(), n.trim().to_string()),
            None => (school.to_string(), entry.to_string()),
        };
        let name = replace_invalid(&normalize(&name), replacement);
        let names = out.entry(normalize(&group_school)).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(out)
}

/// `school_classes_invalid_character_replacement`: an empty replacement changes nothing.
pub fn replace_invalid(name: &str, replacement: &str) -> String {
    if replacement.is_empty() {
        return name.to_string();
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.' | '_');
    name.chars()
        .map(|c| {
            if allowed(c) {
                c.to_string()
            } else {
                replacement.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_unprefixed_and_errors() {
        let g = parse_groups("DEMOSCHOOL2-1b, 1a,1a ,Schüler/in", "DEMOSCHOOL", "-").unwrap();
        assert_eq!(g["DEMOSCHOOL"], ["1a", "Schueler-in"]);
        assert_eq!(g["DEMOSCHOOL2"], ["1b"]);
        assert!(parse_groups("DEMOSCHOOL-", "X", "-").is_err());
        assert!(parse_groups(" , ", "X", "-").unwrap().is_empty());
    }
}
