//! Greek by ELOT 743:2001 (identical to ISO 843:1997), type 2, the
//! transcription: the system of Greek and Cypriot passports, adopted by the
//! United Nations for Greek names (resolution V/19, 1987).
//!
//! Letters: α a, β v, γ g, δ d, ε e, ζ z, η i, θ th, ι i, κ k, λ l, μ m,
//! ν n, ξ x, ο o, π p, ρ r, σ/ς s, τ t, υ y, φ f, χ ch, ψ ps, ω o.
//! Combinations: γγ ng, γξ nx, γχ nch (γκ is gk, ντ nt, letter by letter);
//! μπ is b at the beginning and at the end of a word, mp inside it; ου is ou;
//! in αυ, ευ, ηυ the υ is v before vowels and voiced consonants and f before
//! the voiceless θ κ ξ π σ τ φ χ ψ and at the end of a word (αυ av/af, ευ
//! ev/ef, ηυ iv/if). An accent on the first vowel or a diaeresis on the υ
//! (άυ, αϋ) splits the pair: each letter stands alone. Accents and
//! diaereses are otherwise dropped. A digraph of a capital is capitalized
//! (Θ Th, Χ Ch), or all capitals in a word written in capitals (ΘΕΟΣ THEOS).

/// One letter of a Greek word.
#[derive(Clone, Copy, Debug)]
struct Letter {
    /// Lower case, without marks (`σ` for `ς` too).
    base: char,
    upper: bool,
    accent: bool,
    diaeresis: bool,
}

/// The consonants before which αυ, ευ, ηυ are af, ef, if.
const VOICELESS: [char; 9] = ['θ', 'κ', 'ξ', 'π', 'σ', 'τ', 'φ', 'χ', 'ψ'];

/// Whether `c` is a (monotonic) Greek letter, with or without accent or
/// diaeresis.
pub(super) fn is_letter(c: char) -> bool {
    letter(c).is_some()
}

/// Where the Greek word starting at `start` ends: letters and the combining
/// marks that follow them.
pub(super) fn word_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() && (is_letter(chars[end]) || is_combining(chars[end])) {
        end += 1;
    }
    end
}

/// Transcribes one word (letters and combining marks, see [`word_end`]).
pub(super) fn transcribe(word: &[char], out: &mut String) {
    let letters = letters(word);
    let shout = letters.len() > 1 && letters.iter().all(|l| l.upper);
    let mut i = 0;
    while i < letters.len() {
        let (latin, used) = unit(&letters, i);
        super::cased::push_cased(out, latin, letters[i].upper, shout);
        i += used;
    }
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// The letters of a word, combining marks folded into the letter before.
fn letters(word: &[char]) -> Vec<Letter> {
    let mut letters: Vec<Letter> = Vec::with_capacity(word.len());
    for &c in word {
        if let Some(l) = letter(c) {
            letters.push(l);
        } else if let Some(last) = letters.last_mut() {
            match c {
                '\u{301}' | '\u{300}' | '\u{342}' => last.accent = true,
                '\u{308}' => last.diaeresis = true,
                '\u{344}' => {
                    last.accent = true;
                    last.diaeresis = true;
                }
                _ => {} // breathings, iota subscript: nothing to write
            }
        }
    }
    letters
}

/// The Latin text of the letter (or pair) at `i`, and how many letters it
/// took.
fn unit(letters: &[Letter], i: usize) -> (&'static str, usize) {
    let l = letters[i];
    let Some(n) = letters.get(i + 1).copied() else {
        return (single(l.base), 1);
    };
    let pair = match (l.base, n.base) {
        ('γ', 'γ') => "ng",
        ('γ', 'ξ') => "nx",
        ('γ', 'χ') => "nch",
        ('μ', 'π') if i == 0 || i + 2 == letters.len() => "b",
        ('μ', 'π') => "mp",
        ('ο', 'υ') if !l.accent && !n.diaeresis => "ou",
        ('α' | 'ε' | 'η', 'υ') if !l.accent && !n.diaeresis => {
            let voiceless = letters
                .get(i + 2)
                .is_none_or(|after| VOICELESS.contains(&after.base));
            match (l.base, voiceless) {
                ('α', false) => "av",
                ('α', true) => "af",
                ('ε', false) => "ev",
                ('ε', true) => "ef",
                (_, false) => "iv",
                (_, true) => "if",
            }
        }
        _ => return (single(l.base), 1),
    };
    (pair, 2)
}

fn single(base: char) -> &'static str {
    match base {
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        _ => "o", // ω: `letter` makes no other base
    }
}

/// A precomposed Greek letter.
fn letter(c: char) -> Option<Letter> {
    let plain = |base: char, upper: bool| Letter {
        base,
        upper,
        accent: false,
        diaeresis: false,
    };
    let marked = |base: char, upper: bool, accent: bool, diaeresis: bool| Letter {
        base,
        upper,
        accent,
        diaeresis,
    };
    Some(match c {
        'ς' => plain('σ', false),
        'α'..='ω' => plain(c, false),
        '\u{3A2}' => return None, // unassigned, between Ρ and Σ
        'Α'..='Ω' => plain(char::from_u32(c as u32 + 0x20)?, true),
        'ά' => marked('α', false, true, false),
        'έ' => marked('ε', false, true, false),
        'ή' => marked('η', false, true, false),
        'ί' => marked('ι', false, true, false),
        'ό' => marked('ο', false, true, false),
        'ύ' => marked('υ', false, true, false),
        'ώ' => marked('ω', false, true, false),
        'ϊ' => marked('ι', false, false, true),
        'ϋ' => marked('υ', false, false, true),
        'ΐ' => marked('ι', false, true, true),
        'ΰ' => marked('υ', false, true, true),
        'Ά' => marked('α', true, true, false),
        'Έ' => marked('ε', true, true, false),
        'Ή' => marked('η', true, true, false),
        'Ί' => marked('ι', true, true, false),
        'Ό' => marked('ο', true, true, false),
        'Ύ' => marked('υ', true, true, false),
        'Ώ' => marked('ω', true, true, false),
        'Ϊ' => marked('ι', true, false, true),
        'Ϋ' => marked('υ', true, false, true),
        _ => return None,
    })
}
