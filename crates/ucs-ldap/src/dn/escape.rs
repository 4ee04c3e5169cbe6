//! Escaping of attribute values for DN strings (RFC 4514, section 2.4).

/// Escapes an attribute value: `,` `+` `"` `\` `<` `>` `;` with a backslash, a leading `#`
/// or space and a trailing space likewise, NUL as `\00`. `=` needs no escape (RFC 4514) and
/// gets none, so that canonical forms stay stable.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
    out
}
