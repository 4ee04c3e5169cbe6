//! Cyrillic: the Russian table (every locale without a table of its own) and
//! the national tables of Ukrainian, Bulgarian and Serbian.
//!
//! * Ukrainian: the official transliteration of the Cabinet of Ministers of
//!   Ukraine (resolution no. 55 of 27 January 2010, used for passports).
//!   Г h, Ґ g, И y, І i, Х kh, Ц ts, Щ shch; Є Ї Й Ю Я are ye yi y yu ya at
//!   the beginning of a word and ie i i iu ia elsewhere; зг is zgh (to keep
//!   it apart from zh); the soft sign and the apostrophe are dropped.
//! * Bulgarian: the Transliteration Act of 2009 (the Streamlined System):
//!   Ж zh, Й y, Х h, Ц ts, Щ sht, Ъ a, Ь y, Ю yu, Я ya; ия at the end of a
//!   word is ia (София Sofia).
//! * Serbian: the Serbian Latin alphabet (Ђ đ, Ж ž, Ј j, Љ lj, Њ nj, Ћ ć, Ц c,
//!   Ч č, Џ dž, Ш š, Х h), written in ASCII: the marks are dropped and đ, the
//!   one letter without an ASCII base, is dj (Ђоковић Djokovic).
//!
//! Letters a national table does not have (a Russian ы in a Ukrainian name)
//! use the Russian table.

/// A national table, chosen by `preferredlanguage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Table {
    Ukrainian,
    Bulgarian,
    Serbian,
}

const COMBINING_BREVE: char = '\u{306}';
const COMBINING_DIAERESIS: char = '\u{308}';

/// Whether `c` is in the Cyrillic block.
pub(super) fn is_letter(c: char) -> bool {
    ('\u{400}'..='\u{4FF}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2BC}')
}

/// Where the Cyrillic word starting at `start` ends: letters, combining
/// marks and (in Ukrainian, where it is part of the spelling) an apostrophe
/// between letters.
pub(super) fn word_end(chars: &[char], start: usize, table: Table) -> usize {
    let mut end = start;
    while end < chars.len() {
        let c = chars[end];
        let inner_apostrophe = table == Table::Ukrainian
            && is_apostrophe(c)
            && chars.get(end + 1).is_some_and(|n| is_letter(*n));
        if !(is_letter(c) || ('\u{300}'..='\u{36F}').contains(&c) || inner_apostrophe) {
            break;
        }
        end += 1;
    }
    end
}

/// Transcribes one word (see [`word_end`]) by `table`.
pub(super) fn transcribe(word: &[char], table: Table, out: &mut String) {
    let letters = compose(word);
    let shout = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
    for (i, &c) in letters.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let at = Position {
            initial: i == 0,
            last: i + 1 == letters.len(),
            previous: i
                .checked_sub(1)
                .and_then(|p| letters[p].to_lowercase().next()),
        };
        let national = match table {
            Table::Ukrainian => ukrainian(lower, &at),
            Table::Bulgarian => bulgarian(lower, &at),
            Table::Serbian => serbian(lower),
        };
        match national.or_else(|| russian(lower, None)) {
            Some(latin) => super::cased::push_cased(out, latin, c.is_uppercase(), shout),
            None => out.push_str(any_ascii::any_ascii_char(c)),
        }
    }
}

/// Letters with their combining marks composed (И + breve is Й), other
/// marks and apostrophes dropped.
fn compose(word: &[char]) -> Vec<char> {
    let mut letters: Vec<char> = Vec::with_capacity(word.len());
    for &c in word {
        if is_letter(c) {
            letters.push(c);
            continue;
        }
        let Some(last) = letters.last_mut() else {
            continue;
        };
        let composed = match (*last, c) {
            ('И', COMBINING_BREVE) => 'Й',
            ('и', COMBINING_BREVE) => 'й',
            ('У', COMBINING_BREVE) => 'Ў',
            ('у', COMBINING_BREVE) => 'ў',
            ('І', COMBINING_DIAERESIS) => 'Ї',
            ('і', COMBINING_DIAERESIS) => 'ї',
            ('Е', COMBINING_DIAERESIS) => 'Ё',
            ('е', COMBINING_DIAERESIS) => 'ё',
            _ => continue,
        };
        *last = composed;
    }
    letters
}

/// Where a letter stands in its word.
struct Position {
    initial: bool,
    last: bool,
    /// The letter before, lower-cased.
    previous: Option<char>,
}

fn ukrainian(c: char, at: &Position) -> Option<&'static str> {
    let initial = at.initial;
    Some(match c {
        'г' if at.previous == Some('з') => "gh",
        'г' => "h",
        'ґ' => "g",
        'е' => "e",
        'є' if initial => "ye",
        'є' => "ie",
        'и' => "y",
        'і' => "i",
        'ї' if initial => "yi",
        'ї' => "i",
        'й' if initial => "y",
        'й' => "i",
        'х' => "kh",
        'ц' => "ts",
        'щ' => "shch",
        'ь' => "",
        'ю' if initial => "yu",
        'ю' => "iu",
        'я' if initial => "ya",
        'я' => "ia",
        _ => return common(c),
    })
}

fn bulgarian(c: char, at: &Position) -> Option<&'static str> {
    Some(match c {
        'й' => "y",
        'х' => "h",
        'ц' => "ts",
        'щ' => "sht",
        'ъ' => "a",
        'ь' => "y",
        'ю' => "yu",
        'я' if at.last && at.previous == Some('и') => "a",
        'я' => "ya",
        'и' => "i",
        'е' => "e",
        'г' => "g",
        _ => return common(c),
    })
}

fn serbian(c: char) -> Option<&'static str> {
    Some(match c {
        'ђ' => "dj",
        'ж' => "z",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' | 'ц' | 'ч' => "c",
        'џ' => "dz",
        'ш' => "s",
        'х' => "h",
        'и' => "i",
        'е' => "e",
        'г' => "g",
        _ => return common(c),
    })
}

/// Letters all three national tables write alike.
fn common(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'д' => "d",
        'ж' => "zh",
        'з' => "z",
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
        'ч' => "ch",
        'ш' => "sh",
        _ => return None,
    })
}

/// Russian table for one Cyrillic letter; `Й` written as `И` + combining
/// breve maps too (`next` is the character after `c`).
pub(super) fn russian(c: char, next: Option<char>) -> Option<&'static str> {
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
