//! Transliteration as UDM's template command `umlauts` does it
//! (`univention.admin.pattern_replace`, UCS 5.2 / Kelvin 4.0.0's
//! `univention-directory-manager-modules-slim`): `Ä Ö Ü ä ö ü` become `Ae Oe Ue ae oe ue`,
//! `Þ ð þ` become `P o p`, then everything else is reduced to ASCII (`unidecode` there,
//! `any_ascii` here: `ß` -> `ss`, `é` -> `e`, `ø` -> `o`).

/// `<:umlauts>` applied to `text`.
pub fn umlauts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Þ' => out.push('P'),
            'ð' => out.push('o'),
            'þ' => out.push('p'),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(any_ascii::any_ascii_char(c)),
        }
    }
    out
}

/// `ImportUser.normalize`: `<:umlauts>` of the value.
pub fn normalize(text: &str) -> String {
    umlauts(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_then_ascii() {
        assert_eq!(umlauts("Jürgen Müßig-Öztürk"), "Juergen Muessig-Oeztuerk");
        assert_eq!(umlauts("Þóra Éowyn"), "Pora Eowyn");
    }
}
