//! Transliteration of names to ASCII by `preferredlanguage`, independent of OS locales.

mod cased;
mod cyrillic;
mod greek;

use cased::push_cased;
use cyrillic::Table;

/// Whether a `preferredlanguage` value is a German locale: `de`, `de_DE`, `de-AT`,
/// `de_CH.UTF-8`, `DE` ... (the language part before `_`, `-`, `.` or `@` is `de`).
pub fn is_german(preferred_language: &str) -> bool {
    language_part(preferred_language).is_some_and(|lang| lang.eq_ignore_ascii_case("de"))
}

/// The language part of a locale (`uk` of `uk_UA.UTF-8`).
fn language_part(preferred_language: &str) -> Option<&str> {
    preferred_language.trim().split(['_', '-', '.', '@']).next()
}

/// What a `preferredlanguage` changes in transliteration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    German,
    Ukrainian,
    Bulgarian,
    Serbian,
    Other,
}

impl Language {
    fn of(preferred_language: Option<&str>) -> Language {
        let Some(lang) = preferred_language.and_then(language_part) else {
            return Language::Other;
        };
        match lang.to_ascii_lowercase().as_str() {
            "de" => Language::German,
            "uk" => Language::Ukrainian,
            "bg" => Language::Bulgarian,
            "sr" => Language::Serbian,
            _ => Language::Other,
        }
    }

    fn cyrillic_table(self) -> Option<Table> {
        match self {
            Language::Ukrainian => Some(Table::Ukrainian),
            Language::Bulgarian => Some(Table::Bulgarian),
            Language::Serbian => Some(Table::Serbian),
            Language::German | Language::Other => None,
        }
    }
}

const COMBINING_DIAERESIS: char = '\u{308}';
const COMBINING_RING: char = '\u{30A}';
const COMBINING_BREVE: char = '\u{306}';

/// Transliterates `text` to ASCII.
///
/// * German locales ([`is_german`]): `ä ö ü ß å` become `ae oe ue ss aa` (capitals `Ae Oe
///   Ue SS Aa`), also when written with combining marks (`u` + U+0308).
/// * Greek, in every locale, by its national standard ELOT 743 (ISO 843), the
///   transcription of Greek passports: `Νικολάου` → `Nikolaou`, `Ευάγγελος` →
///   `Evangelos`, `Ευθύμιος` → `Efthymios`, `Μπάμπης` → `Bampis`, `Χαράλαμπος` →
///   `Charalampos`.
/// * Cyrillic by the national table of a Ukrainian (`uk`), Bulgarian (`bg`) or Serbian
///   (`sr`) locale (`Юрій` → `Yurii`, `Христо` → `Hristo`, `Ђоковић` → `Djokovic`), in
///   every other locale by the Russian table: `А Б В Г Д Е Ё Ж З И Й К Л М Н О П Р С Т
///   У Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я` become `A B V G D E E Zh Z I J K L M N O P R S T U F
///   Kh Ts Ch Sh Shch - Y - E Yu Ya` (`Ъ` and `Ь` are dropped).
/// * In a Serbian locale, the Latin `đ` is `dj` too.
/// * Everything else goes through [`any_ascii`] (`é` → `e`, `ş` → `s`, `张` → `Zhang`).
///
/// The result is pure ASCII; it is not yet reduced to any character set (see
/// [`uid_from`](super::uid_from)).
///
/// ```
/// use ucs::forms::transliterate;
/// assert_eq!(transliterate("Jürgen Müller-Lüdenscheidt", Some("de_DE")), "Juergen Mueller-Luedenscheidt");
/// assert_eq!(transliterate("Jürgen", Some("fr_FR")), "Jurgen");
/// assert_eq!(transliterate("Щукин Йосиф", None), "Shchukin Josif");
/// assert_eq!(transliterate("Αλέξανδρος Νικολάου", None), "Alexandros Nikolaou");
/// assert_eq!(transliterate("Олексій Шевченко", Some("uk_UA")), "Oleksii Shevchenko");
/// ```
pub fn transliterate(text: &str, preferred_language: Option<&str>) -> String {
    let language = Language::of(preferred_language);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        i = step(&chars, i, language, &mut out);
    }
    out
}

/// Writes what starts at `chars[i]` (one character or a whole Greek or
/// Cyrillic word); returns where the next step starts.
fn step(chars: &[char], i: usize, language: Language, out: &mut String) -> usize {
    let c = chars[i];
    let next = chars.get(i + 1).copied();
    if language == Language::German {
        if let Some(mapped) = german_decomposed(c, next) {
            out.push_str(mapped);
            return i + 2;
        }
    }
    if c.is_ascii() {
        out.push(c);
        return i + 1;
    }
    if language == Language::German {
        if let Some(mapped) = german_char(c) {
            out.push_str(mapped);
            return i + 1;
        }
    }
    if language == Language::Serbian && matches!(c, 'đ' | 'Đ') {
        let shout = next.is_some_and(char::is_uppercase);
        push_cased(out, "dj", c == 'Đ', shout);
        return i + 1;
    }
    if greek::is_letter(c) {
        let end = greek::word_end(chars, i);
        greek::transcribe(&chars[i..end], out);
        return end;
    }
    if cyrillic::is_letter(c) {
        return cyrillic_word(chars, i, language, out);
    }
    out.push_str(any_ascii::any_ascii_char(c));
    i + 1
}

/// A Cyrillic word by a national table, or one Cyrillic letter by the
/// Russian table.
fn cyrillic_word(chars: &[char], i: usize, language: Language, out: &mut String) -> usize {
    let c = chars[i];
    if let Some(table) = language.cyrillic_table() {
        let end = cyrillic::word_end(chars, i, table);
        cyrillic::transcribe(&chars[i..end], table, out);
        return end;
    }
    let next = chars.get(i + 1).copied();
    match cyrillic::russian(c, next) {
        Some(mapped) => {
            out.push_str(mapped);
            if next == Some(COMBINING_BREVE) && matches!(c, 'И' | 'и') {
                return i + 2;
            }
        }
        None => out.push_str(any_ascii::any_ascii_char(c)),
    }
    i + 1
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
