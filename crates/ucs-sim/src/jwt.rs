//! Kelvin access tokens: HS256 JSON Web Tokens, signed with a random per-process key. The
//! payload is the real server's (`kelvin/main.py`, `login_for_access_token`): `sub` is an
//! object with the user name, the two Kelvin group flags (as they were at login), the user's
//! `ucsschoolSchool` and `ucsschoolRole` values, and `exp` is in seconds. Two claims of the
//! simulator's own follow: `exp_ms` (sub-second lifetimes in tests) and `jti` (revocation of
//! all tokens at once, `expire_all`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type HmacSha256 = Hmac<Sha256>;

/// The `sub` claim of a token.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Subject {
    /// The user name as stored.
    pub username: String,
    /// Member of the Kelvin admins group at login.
    #[serde(default)]
    pub kelvin_admin: bool,
    /// Member of the Kelvin readers group at login.
    #[serde(default)]
    pub kelvin_reader: bool,
    /// The user's schools (`ucsschoolSchool`).
    #[serde(default)]
    pub schools: Vec<String>,
    /// The user's roles (`ucsschoolRole`).
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Claims the simulator puts into a token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Claims {
    /// Who the token was issued to.
    pub sub: Subject,
    /// Expiry (seconds since the epoch, rounded up).
    pub exp: u64,
    /// Expiry in milliseconds, so that sub-second TTLs work in tests.
    pub exp_ms: u64,
    /// Sequence number of the token; tokens below the revocation mark are invalid.
    pub jti: u64,
}

/// Why a token was refused (the HTTP answer is the same for all of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// Not three base64url parts, bad JSON, wrong algorithm.
    Malformed,
    /// Signature does not verify.
    BadSignature,
    /// Past `exp`.
    Expired,
    /// Issued before the last `expire_all`.
    Revoked,
}

/// Issues and checks tokens.
#[derive(Debug)]
pub(crate) struct TokenIssuer {
    key: [u8; 32],
    ttl_ms: AtomicU64,
    next_seq: AtomicU64,
    revoked_below: AtomicU64,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl TokenIssuer {
    /// A new issuer with a random key.
    pub fn new(ttl: Duration) -> Self {
        Self {
            key: rand::random(),
            ttl_ms: AtomicU64::new(ttl.as_millis() as u64),
            next_seq: AtomicU64::new(1),
            revoked_below: AtomicU64::new(0),
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match HmacSha256::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => return Vec::new(),
        };
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    /// Issues a token for `subject`.
    pub fn issue(&self, subject: Subject) -> String {
        let now = now_ms();
        let exp_ms = now + self.ttl_ms.load(Ordering::Relaxed);
        let claims = Claims {
            sub: subject,
            exp: exp_ms.div_ceil(1000),
            exp_ms,
            jti: self.next_seq.fetch_add(1, Ordering::SeqCst),
        };
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let signing_input = format!("{header}.{payload}");
        let signature = URL_SAFE_NO_PAD.encode(self.sign(signing_input.as_bytes()));
        format!("{signing_input}.{signature}")
    }

    /// Checks a token and returns its claims.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let header_json: serde_json::Value = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        if header_json.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err(TokenError::Malformed);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        let mut mac = HmacSha256::new_from_slice(&self.key).map_err(|_| TokenError::Malformed)?;
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| TokenError::BadSignature)?;
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        if claims.jti < self.revoked_below.load(Ordering::SeqCst) {
            return Err(TokenError::Revoked);
        }
        if now_ms() >= claims.exp_ms {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    /// Makes every token issued so far invalid.
    pub fn expire_all(&self) {
        let next = self.next_seq.load(Ordering::SeqCst);
        self.revoked_below.fetch_max(next, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(name: &str) -> Subject {
        Subject {
            username: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn issued_tokens_verify_and_carry_claims() {
        let issuer = TokenIssuer::new(Duration::from_secs(3600));
        let token = issuer.issue(subject("Administrator"));
        let claims = issuer.verify(&token).unwrap();
        assert_eq!(claims.sub.username, "Administrator");
        assert!(claims.exp >= now_ms() / 1000 + 3599);
    }

    #[test]
    fn tampered_foreign_expired_and_revoked_tokens_fail() {
        let issuer = TokenIssuer::new(Duration::from_secs(3600));
        let token = issuer.issue(subject("a"));
        let other = TokenIssuer::new(Duration::from_secs(3600));
        assert_eq!(other.verify(&token), Err(TokenError::BadSignature));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(
            br#"{"sub":{"username":"root"},"exp":9999999999,"exp_ms":9999999999000,"jti":99}"#,
        );
        parts[1] = &forged;
        assert_eq!(
            issuer.verify(&parts.join(".")),
            Err(TokenError::BadSignature)
        );
        assert_eq!(issuer.verify("abc"), Err(TokenError::Malformed));

        let short = TokenIssuer::new(Duration::ZERO);
        assert_eq!(
            short.verify(&short.issue(subject("a"))),
            Err(TokenError::Expired)
        );

        issuer.expire_all();
        assert_eq!(issuer.verify(&token), Err(TokenError::Revoked));
        let fresh = issuer.issue(subject("a"));
        assert!(issuer.verify(&fresh).is_ok());
    }
}
