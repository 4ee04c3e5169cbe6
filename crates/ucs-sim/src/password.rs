//! Password storage: a salted SHA-256, enough for an emulator (this is *not* how a real UCS
//! stores passwords, and not a password-hashing function fit for production).

use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(salt: &str, password: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update([0u8]);
    hasher.update(password.as_bytes());
    hex(&hasher.finalize())
}

/// Hashes a password with a fresh random salt: `sha256$<salt>$<digest>`.
pub(crate) fn hash(password: &str) -> String {
    let salt = hex(&rand::random::<[u8; 16]>());
    format!("sha256${salt}${}", digest(&salt, password))
}

/// Checks a password against a stored hash (constant time in the digest comparison).
pub(crate) fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.splitn(3, '$');
    let (Some("sha256"), Some(salt), Some(expected)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let actual = digest(salt, password);
    actual.len() == expected.len()
        && actual
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password_and_salts_differ() {
        let a = hash("univention");
        let b = hash("univention");
        assert_ne!(a, b);
        assert!(verify("univention", &a));
        assert!(!verify("Univention", &a));
        assert!(!verify("univention", "plain"));
        assert!(!a.contains("univention"));
    }
}
