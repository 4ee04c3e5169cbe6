//! Transliteration of names to ASCII by `preferredlanguage`, independent of OS locales.

/// Whether a `preferredlanguage` value is a German locale: `de`, `de_DE`, `de-AT`,
/// `de_CH.UTF-8`, `DE` ... (the language part before `_`, `-`, `.` or `@` is `de`).
pub fn is_german(preferred_language: &str) -> bool {
    preferred_language
        .trim()
        .split(['_', '-', '.', '@'])
        .next()
        .is_some_and(|lang| lang.eq_ignore_ascii_case("de"))
}

const COMBINING_DIAERESIS: char = '\u{308}';
const COMBINING_RING: char = '\u{30A}';
const COMBINING_BREVE: char = '\u{306}';

/// Transliterates `text` to ASCII.
///
/// * German locales ([`is_german`]): `ä ö ü ß å` become `ae oe ue ss aa` (capitals `Ae Oe
///   Ue SS Aa`), also when written with combining marks (`u` + U+0308).
/// * Cyrillic, in every locale, uses the Russian table: `А Б В Г Д Е Ё Ж З И Й К Л М Н О
///   П Р С Т У Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я` become `A B V G D E E Zh Z I J K L M N O P R S T U
///   F Kh Ts Ch Sh Shch - Y - E Yu Ya` (`Ъ` and `Ь` are dropped).
/// * Everything else goes through [`any_ascii`] (`é` → `e`, `ş` → `s`, `Ω` → `O`,
///   `张` → `Zhang`).
///
/// The result is pure ASCII; it is not yet reduced to any character set (see
/// [`uid_from`](super::uid_from)).
///
/// ```
/// use ucs::forms::transliterate;
/// assert_eq!(transliterate("Jürgen Müller-Lüdenscheidt", Some("de_DE")), "Juergen Mueller-Luedenscheidt");
/// assert_eq!(transliterate("Jürgen", Some("fr_FR")), "Jurgen");
/// assert_eq!(transliterate("Щукин Йосиф", None), "Shchukin Josif");
/// ```
pub fn transliterate(text: &str, preferred_language: Option<&str>) -> String {
    let german = preferred_language.is_some_and(is_german);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if german {
            if let Some(mapped) = german_decomposed(c, next) {
                chars.next();
                out.push_str(mapped);
                continue;
            }
        }
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        if german {
            if let Some(mapped) = german_char(c) {
                out.push_str(mapped);
                continue;
            }
        }
        if let Some(mapped) = cyrillic(c, next) {
            if next == Some(COMBINING_BREVE) && matches!(c, 'И' | 'и') {
                chars.next();
            }
            out.push_str(mapped);
            continue;
        }
        out.push_str(any_ascii::any_ascii_char(c));
    }
    out
}

/// German mapping of a base letter followed by a combining diaeresis or ring above.
fn german_decomposed(c: char, next: Option<char>) -> Option<&'static str> {
    Some(match (c, next?) {
        ('a', COMBINING_DIAERESIS) => "ae",
        ('o', COMBINING_DIAERESIS) => "oe",
        ('u', COMBINING_DIAERESIS) => "ue",
        ('A', COMBINING_DIAERESIS) => "Ae",
        ('O', COMBINING_DIAERESIS) => "Oe",
        ('U', COMBINING_DIAERESIS) => "Ue",
        ('a', COMBINING_RING) => "aa",
        ('A', COMBINING_RING) => "Aa",
        _ => return None,
    })
}

/// German mapping of a precomposed letter.
fn german_char(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'Ä' => "Ae",
        'Ö' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'ẞ' => "SS",
        'å' => "aa",
        'Å' => "Aa",
        _ => return None,
    })
}

/// Russian table for one Cyrillic letter; `Й` written as `И` + combining breve maps too.
fn cyrillic(c: char, next: Option<char>) -> Option<&'static str> {
    if next == Some(COMBINING_BREVE) {
        match c {
            'И' => return Some("J"),
            'и' => return Some("j"),
            _ => {}
        }
    }
    Some(match c {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Е' => "E",
        'Ё' => "E",
        'Ж' => "Zh",
        'З' => "Z",
        'И' => "I",
        'Й' => "J",
        'К' => "K",
        'Л' => "L",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' => "U",
        'Ф' => "F",
        'Х' => "Kh",
        'Ц' => "Ts",
        'Ч' => "Ch",
        'Ш' => "Sh",
        'Щ' => "Shch",
        'Ъ' | 'ъ' | 'Ь' | 'ь' => "",
        'Ы' => "Y",
        'Э' => "E",
        'Ю' => "Yu",
        'Я' => "Ya",
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}
