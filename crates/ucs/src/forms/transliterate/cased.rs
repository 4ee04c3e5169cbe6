//! Writing a transliterated letter in the case of its source letter (every script).

/// Appends lower-case ASCII `latin` for a letter: as is for a small letter,
/// capitalized for a capital, all capitals in a word written in capitals.
pub(super) fn push_cased(out: &mut String, latin: &str, upper: bool, shout: bool) {
    if !upper {
        out.push_str(latin);
    } else if shout {
        out.extend(latin.chars().map(|c| c.to_ascii_uppercase()));
    } else {
        let mut chars = latin.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
}
