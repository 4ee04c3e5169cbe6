//! The name checks of the UCS@school lib (`ucsschool/lib/models/attributes.py`: `Username`,
//! `SchoolClassName`, `CommonName`) with the UDM syntaxes they use (`uid_umlauts`, `gid`,
//! `string_numbers_letters_dots_spaces`), and their messages.

/// `gid.error_message`.
pub(crate) const GID_MESSAGE: &str = "A group name must start and end with a letter, number or underscore. In between additionally spaces, dashes and dots are allowed.";
/// `string_numbers_letters_dots_spaces.error_message` (share names).
const SHARE_MESSAGE: &str = "Value must not contain anything other than digits, letters, dots or spaces, must be at least 2 characters long, and start and end with a digit or letter!";

/// Python's `\w` (Unicode): letters, digits, underscore.
fn word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `(?u)^\w([\w -.’]*\w)?$` (the UDM `gid` syntax).
pub(crate) fn is_gid(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let inner = |c: char| word(c) || (' '..='.').contains(&c) || c == '’';
    match chars.as_slice() {
        [] => false,
        [only] => word(*only),
        [first, middle @ .., last] => {
            word(*first) && word(*last) && middle.iter().all(|c| inner(*c))
        }
    }
}

/// `(?u)(^[a-zA-Z0-9])[a-zA-Z0-9._ -]*([a-zA-Z0-9]$)` (share names).
fn is_share_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"._ -".contains(c))
}

/// Whether `ldap.dn.escape_dn_chars` would change the value (`CommonName`).
fn needs_escaping(s: &str) -> bool {
    s.chars().any(|c| "\\,+\"<>;=\0".contains(c)) || s.starts_with(['#', ' ']) || s.ends_with(' ')
}

/// `SchoolClassName.validate` (classes and workgroups, checked as `<school>-<name>`).
pub(crate) fn check_group_name(name: &str) -> Result<(), &'static str> {
    if !is_gid(name) {
        Err(GID_MESSAGE)
    } else if !is_share_name(name) {
        Err(SHARE_MESSAGE)
    } else if needs_escaping(name) {
        Err("May not contain special characters")
    } else {
        Ok(())
    }
}

/// `(?u)(^\w[\w -.]*\w$)|\w*$` (the UDM `uid_umlauts` syntax, as `re.match`).
fn is_uid(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let long = chars.len() >= 2
        && word(chars[0])
        && word(chars[chars.len() - 1])
        && chars[1..chars.len() - 1]
            .iter()
            .all(|c| word(*c) || (' '..='.').contains(c));
    long || chars.iter().all(|c| word(*c))
}

const WINDOWS_RESERVED: [&str; 24] = [
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// `is_valid_win_directory_name`.
fn is_windows_name(s: &str) -> bool {
    let bad_char = s
        .chars()
        .any(|c| "<>:\"/\\|?*".contains(c) || (c as u32) < 0x20);
    let stem = s.split('.').next().unwrap_or("").to_uppercase();
    !bad_char
        && !WINDOWS_RESERVED.contains(&stem.as_str())
        && !s.ends_with([' ', '.'])
        && s.chars().count() <= 255
}

/// `Username.validate` (the `name` of a user body).
pub(crate) fn check_username(name: &str) -> Result<(), &'static str> {
    if name.contains(' ') {
        Err("Spaces are not allowed in the username!")
    } else if !is_uid(name) {
        Err("Username must only contain numbers, letters and dots!")
    } else if needs_escaping(name) {
        Err("May not contain special characters")
    } else if !is_windows_name(name) {
        Err("May not be a Windows reserved name")
    } else {
        Ok(())
    }
}

/// What the importer keeps of a class name (`school_classes_invalid_character_replacement`:
/// letters, digits, space and `-._`; everything else becomes `-`).
pub(crate) fn replace_class_chars(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " -._".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        assert!(check_group_name("DEMOSCHOOL-c").is_ok());
        assert!(check_group_name("DEMOSCHOOL-c 1").is_ok());
        assert_eq!(check_group_name("DEMOSCHOOL-c!"), Err(GID_MESSAGE));
        assert_eq!(check_group_name("DEMOSCHOOL-"), Err(GID_MESSAGE));
        assert_eq!(check_group_name("DEMOSCHOOL-ä"), Err(SHARE_MESSAGE));
        assert!(!is_gid("-x") && is_gid("_") && is_gid("a.b"));
    }

    #[test]
    fn user_names() {
        assert!(check_username("demo_student").is_ok());
        assert!(check_username("a.b").is_ok());
        assert_eq!(
            check_username("a b"),
            Err("Spaces are not allowed in the username!")
        );
        for bad in ["-abc", "abc.", "a/"] {
            assert_eq!(
                check_username(bad),
                Err("Username must only contain numbers, letters and dots!"),
                "{bad}"
            );
        }
        assert_eq!(
            check_username("a,b"),
            Err("May not contain special characters")
        );
        assert_eq!(
            check_username("con"),
            Err("May not be a Windows reserved name")
        );
        assert_eq!(
            check_username("a*b"),
            Err("May not be a Windows reserved name")
        );
        assert_eq!(replace_class_chars("bad class!"), "bad class-");
    }
}
