//! Initial passwords as the importer makes them (`ucsschool.lib.models.utils.create_passwd`,
//! called by `ImportUser.make_password` with `password_length`, Kelvin 4.0.0):
//!
//! * letters without the look-alikes `i l o I L O`, digits without `0 1`, and the
//!   specials `$%&*-+=:.?`;
//! * at most a fifth of the characters are specials;
//! * with 4 characters or more: at least one lower-case letter, one upper-case letter and
//!   one digit, and one special if the length allows one;
//! * the first character is a letter.
//!
//! Drawn from the operating system's CSPRNG-seeded thread RNG; returned as [`ucs::Secret`].

use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use ucs::Secret;

const LOWER: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SPECIALS: &[u8] = b"$%&*-+=:.?";

/// A new password of `length` characters (at least 1).
pub fn generate(length: usize) -> Secret {
    generate_with(&mut rand::rng(), length)
}

/// The same with a given RNG.
pub fn generate_with<R: Rng + ?Sized>(rng: &mut R, length: usize) -> Secret {
    let length = length.max(1);
    let mut specials_allowed = length / 5;
    let mut rest = length - 1;
    let mut chars: Vec<u8> = Vec::with_capacity(length);
    let pick = |rng: &mut R, set: &[u8]| *set.choose(rng).unwrap_or(&b'a');
    if rest >= 3 {
        chars.extend([pick(rng, LOWER), pick(rng, UPPER), pick(rng, DIGITS)]);
        rest -= 3;
    }
    if rest > 0 && specials_allowed > 0 {
        chars.push(pick(rng, SPECIALS));
        specials_allowed -= 1;
        rest -= 1;
    }
    for _ in 0..rest {
        let with_specials = specials_allowed > 0;
        let pool = LOWER.len()
            + UPPER.len()
            + DIGITS.len()
            + if with_specials { SPECIALS.len() } else { 0 };
        let i = rng.random_range(0..pool);
        let c = [LOWER, UPPER, DIGITS, SPECIALS].concat()[i];
        if SPECIALS.contains(&c) {
            specials_allowed -= 1;
        }
        chars.push(c);
    }
    chars.shuffle(rng);
    let letters = [LOWER, UPPER].concat();
    chars.insert(0, pick(rng, &letters));
    Secret::new(String::from_utf8_lossy(&chars).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_rules_hold() {
        for length in [1, 4, 8, 15, 40] {
            for _ in 0..50 {
                let pw = generate(length);
                let pw = pw.expose();
                assert_eq!(pw.len(), length);
                assert!(
                    pw.as_bytes()[0].is_ascii_alphabetic(),
                    "{length}: starts with a letter"
                );
                let specials = pw.bytes().filter(|c| SPECIALS.contains(c)).count();
                assert!(specials <= length / 5, "{length}: at most a fifth specials");
                assert!(!pw.contains(['i', 'l', 'o', 'I', 'L', 'O', '0', '1']));
                if length >= 5 {
                    assert!(pw.bytes().any(|c| LOWER.contains(&c)));
                    assert!(pw.bytes().any(|c| UPPER.contains(&c)));
                    assert!(pw.bytes().any(|c| DIGITS.contains(&c)));
                    assert!(specials >= 1);
                }
            }
        }
    }
}
