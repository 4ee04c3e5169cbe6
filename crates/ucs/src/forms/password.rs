//! Random passwords from a policy (length and character classes).

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{CryptoRng, Rng};
use serde::{Deserialize, Serialize};

use super::FormError;
use crate::Secret;

/// Longest password a policy may ask for.
pub const MAX_PASSWORD_LENGTH: usize = 4096;

/// A set of characters and how many of them a password must contain at least.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharClass {
    /// The characters of the class (printable, no whitespace).
    pub chars: String,
    /// Minimum number of characters from this class.
    #[serde(default)]
    pub min: usize,
}

impl CharClass {
    /// A class with a minimum count.
    pub fn new(chars: impl Into<String>, min: usize) -> CharClass {
        CharClass {
            chars: chars.into(),
            min,
        }
    }
}

/// How passwords are generated: `length` characters, drawn from the union of the
/// classes, with at least `min` characters of each class.
///
/// The default is 15 characters from `[A-Za-z0-9_-]` with at least one lower-case letter,
/// one upper-case letter and one digit. Passwords come from the thread-local CSPRNG of
/// `rand` (ChaCha, seeded from the operating system) and are returned as
/// [`Secret`], which never shows in `Debug` output.
///
/// ```
/// use ucs::forms::PasswordPolicy;
/// let policy = PasswordPolicy::default();
/// let password = policy.generate().unwrap();
/// assert_eq!(password.expose().chars().count(), 15);
/// assert!(policy.is_satisfied_by(password.expose()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Number of characters.
    pub length: usize,
    /// Character classes; the alphabet is their union.
    pub classes: Vec<CharClass>,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            length: 15,
            classes: vec![
                CharClass::new("abcdefghijklmnopqrstuvwxyz", 1),
                CharClass::new("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1),
                CharClass::new("0123456789", 1),
                CharClass::new("_-", 0),
            ],
        }
    }
}

impl PasswordPolicy {
    /// Checks that passwords can satisfy the policy: a length of 1 to
    /// [`MAX_PASSWORD_LENGTH`], at least one class, no empty class, only printable
    /// non-whitespace characters, and the minimums adding up to at most the length.
    pub fn check(&self) -> Result<(), FormError> {
        let invalid = |reason: String| Err(FormError::InvalidPasswordPolicy { reason });
        if self.length == 0 || self.length > MAX_PASSWORD_LENGTH {
            return invalid(format!(
                "length {} is not between 1 and {MAX_PASSWORD_LENGTH}",
                self.length
            ));
        }
        if self.classes.is_empty() {
            return invalid("at least one character class is needed".into());
        }
        for (i, class) in self.classes.iter().enumerate() {
            if class.chars.is_empty() {
                return invalid(format!("character class {i} is empty"));
            }
            if let Some(c) = class
                .chars
                .chars()
                .find(|c| c.is_whitespace() || c.is_control())
            {
                return invalid(format!(
                    "character class {i} contains the whitespace or control character {c:?}"
                ));
            }
        }
        let required = self
            .classes
            .iter()
            .try_fold(0usize, |sum, class| sum.checked_add(class.min));
        let Some(required) = required else {
            return invalid("the class minimums add up to more than any length".into());
        };
        if required > self.length {
            return invalid(format!(
                "the classes require at least {required} characters, but the length is {}",
                self.length
            ));
        }
        Ok(())
    }

    /// Generates a password with the thread-local CSPRNG.
    pub fn generate(&self) -> Result<Secret, FormError> {
        self.generate_with(&mut rand::rng())
    }

    /// Generates a password with the given cryptographically secure generator.
    pub fn generate_with<R: Rng + CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<Secret, FormError> {
        self.check()?;
        let classes: Vec<Vec<char>> = self
            .classes
            .iter()
            .map(|c| c.chars.chars().collect())
            .collect();
        let mut alphabet: Vec<char> = classes.iter().flatten().copied().collect();
        alphabet.sort_unstable();
        alphabet.dedup();
        let mut password: Vec<char> = Vec::with_capacity(self.length);
        for (class, spec) in classes.iter().zip(&self.classes) {
            password.extend((0..spec.min).filter_map(|_| class.choose(rng)));
        }
        while password.len() < self.length {
            password.extend(alphabet.choose(rng));
        }
        password.shuffle(rng);
        let text: String = password.iter().collect();
        password.fill('\0');
        Ok(Secret::new(text))
    }

    /// Whether `password` has the policy's length, uses only its alphabet and meets every
    /// class minimum.
    pub fn is_satisfied_by(&self, password: &str) -> bool {
        password.chars().count() == self.length
            && password
                .chars()
                .all(|c| self.classes.iter().any(|class| class.chars.contains(c)))
            && self.classes.iter().all(|class| {
                password
                    .chars()
                    .filter(|c| class.chars.contains(*c))
                    .count()
                    >= class.min
            })
    }
}
