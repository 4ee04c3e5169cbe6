//! User names (`uid`): reduced to a safe character set, never empty.

/// The user name used when nothing usable is left of the input (e.g. an empty surname or
/// one made only of punctuation).
pub const UID_FALLBACK: &str = "user";

/// Reduces text to a user name: ASCII letters lower-cased, then only `[a-z0-9._-]` kept
/// (spaces and everything else dropped), leading and trailing `.`, `_`, `-` trimmed. The
/// result always matches `^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$`; if nothing is left it is
/// [`UID_FALLBACK`]. Transliterate first (see [`transliterate`](super::transliterate)) so
/// that non-ASCII letters are kept in spirit rather than dropped.
///
/// ```
/// use ucs::forms::uid_from;
/// assert_eq!(uid_from("van der Berg"), "vanderberg");
/// assert_eq!(uid_from("O'Neil-Smith."), "oneil-smith");
/// assert_eq!(uid_from("  "), "user");
/// ```
pub fn uid_from(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter_map(|c| {
            let c = c.to_ascii_lowercase();
            (c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
                .then_some(c)
        })
        .collect();
    let trimmed = kept.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if trimmed.is_empty() {
        UID_FALLBACK.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Whether `uid` matches `^[a-z0-9][a-z0-9._-]*$`.
pub fn is_valid_uid(uid: &str) -> bool {
    let mut bytes = uid.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}
