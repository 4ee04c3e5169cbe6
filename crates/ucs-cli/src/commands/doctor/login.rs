//! Logging in: the Kelvin token (its lifetime and, where the server says so, the account's
//! rights), Kelvin admin or reader, and the UDM login.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use futures::TryStreamExt;
use serde_json::Value;
use ucs::kelvin::{Kelvin, UserPatch};
use ucs::udm::Udm;
use ucs::Secret;

use super::finding::Finding;
use super::http::{describe, read, Answer};

/// What a Kelvin token says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenFacts {
    /// Seconds until it expires.
    pub lifetime: Option<u64>,
    /// `sub.kelvin_admin` (Kelvin 4 puts the rights into the token).
    pub admin: Option<bool>,
    /// `sub.kelvin_reader`.
    pub reader: Option<bool>,
}

/// The claims of a JWT (not verified: only read).
pub fn token_facts(token: &str, now: SystemTime) -> TokenFacts {
    let claims: Option<Value> = token.split('.').nth(1).and_then(|payload| {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    });
    let Some(claims) = claims else {
        return TokenFacts::default();
    };
    let now = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let flag = |name: &str| {
        claims
            .get("sub")
            .and_then(|s| s.get(name))
            .and_then(Value::as_bool)
    };
    TokenFacts {
        lifetime: claims
            .get("exp")
            .and_then(Value::as_f64)
            .map(|exp| (exp as u64).saturating_sub(now)),
        admin: flag("kelvin_admin"),
        reader: flag("kelvin_reader"),
    }
}

/// The check of the Kelvin login.
const LOGIN_CHECK: &str = "kelvin-login";

/// Logs in at the token endpoint (one request; the password only in the form body).
pub async fn kelvin_token(
    http: &reqwest::Client,
    host: &str,
    user: &str,
    password: &Secret,
) -> (Finding, Option<TokenFacts>) {
    match log_in(http, host, user, password).await {
        Ok((finding, facts)) => (finding, Some(facts)),
        Err(finding) => (finding, None),
    }
}

/// The login and what its token says; a failed login as its finding.
async fn log_in(
    http: &reqwest::Client,
    host: &str,
    user: &str,
    password: &Secret,
) -> Result<(Finding, TokenFacts), Finding> {
    let url = format!("{host}/ucsschool/kelvin/token");
    let answer = post_login(http, &url, user, password).await?;
    accepted(answer.status, &url, user)?;
    let token = access_token(&answer.body)?;
    let facts = token_facts(token.expose(), SystemTime::now());
    Ok((lifetime_finding(user, facts.lifetime), facts))
}

/// Posts the login form; an unreachable endpoint is a failed check.
async fn post_login(
    http: &reqwest::Client,
    url: &str,
    user: &str,
    password: &Secret,
) -> Result<Answer, Finding> {
    let form = [("username", user), ("password", password.expose())];
    let answer = match http.post(url).form(&form).send().await {
        Ok(response) => read(response).await,
        Err(e) => Err(e),
    };
    answer.map_err(|e| {
        Finding::fail(
            LOGIN_CHECK,
            format!("cannot reach {url}: {}", describe(&e)),
            "check the host",
        )
    })
}

/// Whether the token endpoint accepted the login (200); the finding for any other status.
fn accepted(status: u16, url: &str, user: &str) -> Result<(), Finding> {
    let (message, todo) = match status {
        200 => return Ok(()),
        401 => (
            format!("Kelvin refused the login of {user} (401)"),
            "check the password; the account must be in ucsschool-kelvin-rest-api-admins \
             (or -readers for reading)",
        ),
        404 => (
            format!("no Kelvin token endpoint at {url} (404)"),
            "install the app ucsschool-kelvin-rest-api, or use only the udm commands",
        ),
        other => (
            format!("the token endpoint answered {other}"),
            "look at the server's Kelvin log",
        ),
    };
    Err(Finding::fail(LOGIN_CHECK, message, todo))
}

/// The `access_token` of the token endpoint's answer.
fn access_token(body: &[u8]) -> Result<Secret, Finding> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| {
            v.get("access_token")
                .and_then(Value::as_str)
                .map(Secret::new)
        })
        .ok_or_else(|| {
            Finding::fail(
                LOGIN_CHECK,
                "the token endpoint's answer has no access_token",
                "is this a Kelvin server?",
            )
        })
}

/// The finding of a login whose token lives `lifetime` seconds: a warning below 5 minutes.
fn lifetime_finding(user: &str, lifetime: Option<u64>) -> Finding {
    let valid = match lifetime {
        Some(secs) => format!("; the token is valid for {}", minutes(secs)),
        None => "; the token's lifetime is unknown (no exp claim)".to_string(),
    };
    match lifetime {
        Some(secs) if secs < 300 => Finding::warn(
            LOGIN_CHECK,
            format!("logged in to Kelvin as {user}{valid}"),
            // the UCR variable as spelled in ucsschool-kelvin-rest-api release-4.0.0,
            // kelvin-api/ucsschool/kelvin/constants.py (UCRV_TOKEN_TTL)
            "long syncs log in again often; raise the UCR variable ucsschool/kelvin/access_tokel_ttl (minutes)",
        ),
        _ => Finding::ok(LOGIN_CHECK, format!("logged in to Kelvin as {user}{valid}")),
    }
}

fn minutes(secs: u64) -> String {
    match secs {
        0..=119 => format!("{secs} s"),
        _ => format!("{} min", (secs + 30) / 60),
    }
}

/// Admin or reader: from the token when it says so, else from a harmless write (a PATCH of
/// a user that does not exist: 404 for admins, 401 for everybody else).
///
/// Kelvin 4.0.0 gives every valid account a token whose `sub` holds `kelvin_admin` and
/// `kelvin_reader`, the group memberships at login; an account in neither group then gets
/// 401 `Unauthorized` on every resource (ucsschool-kelvin-rest-api release-4.0.0,
/// kelvin-api/ucsschool/kelvin/main.py `login_for_access_token`,
/// kelvin-api/ucsschool/kelvin/token_auth.py `get_kelvin_admin`, `get_kelvin_reader`).
pub async fn kelvin_rights(kelvin: &Kelvin, user: &str, facts: &TokenFacts) -> Finding {
    let check = "kelvin-rights";
    let reader_todo = "reading works; writes and `ucs sync apply` need an account in ucsschool-kelvin-rest-api-admins";
    match (facts.admin, facts.reader) {
        (Some(false), Some(false)) => {
            return Finding::fail(
                check,
                format!(
                    "{user} is in neither Kelvin group (from the token): every Kelvin request \
                     answers 401 Unauthorized"
                ),
                "add the account to ucsschool-kelvin-rest-api-admins (or -readers for reading), \
                 then log in again",
            )
        }
        (Some(true), _) => {
            return Finding::ok(
                check,
                format!("{user} is a Kelvin admin (read and write; from the token)"),
            )
        }
        (_, Some(true)) => {
            return Finding::warn(
                check,
                format!("{user} is a Kelvin reader (read-only; from the token)"),
                reader_todo,
            )
        }
        _ => {}
    }
    let probe = format!("ucs-doctor-probe-{}", uuid::Uuid::new_v4().simple());
    match kelvin.users().patch(&probe, &UserPatch::new()).await {
        Err(e) if e.is_not_found() => {
            Finding::ok(check, format!("{user} is a Kelvin admin (read and write)"))
        }
        Err(ucs::Error::Unauthorized(_)) => Finding::warn(
            check,
            format!("{user} may not write (401): a Kelvin reader or in neither Kelvin group"),
            reader_todo,
        ),
        Err(e) => Finding::warn(
            check,
            format!("cannot tell admin from reader: {e}"),
            "look at the server's Kelvin log",
        ),
        Ok(_) => Finding::warn(
            check,
            format!("a user named {probe} exists"),
            "remove it; it is not one of ours to touch",
        ),
    }
}

/// The UDM login (one search for one user).
pub async fn udm_login(udm: &Udm, user: &str) -> Finding {
    let check = "udm-login";
    let users = udm.users();
    let mut first = users.search().page_size(1).stream();
    match first.try_next().await {
        Ok(_) => Finding::ok(
            check,
            format!("UDM accepts {user} (read and write by the server's ACLs)"),
        ),
        Err(ucs::Error::Unauthorized(_)) => Finding::fail(
            check,
            format!("UDM refused the login of {user} (401)"),
            "check the user name and the password",
        ),
        Err(ucs::Error::Forbidden(_)) => Finding::warn(
            check,
            format!("{user} may not use the UDM REST API (403: valid account without UDM rights)"),
            "the udm commands need a member of Domain Admins; the kelvin commands still work",
        ),
        Err(ucs::Error::NotFound(e)) => Finding::fail(
            check,
            format!("no UDM REST API at {} (404)", udm_base(&e.context.url)),
            "install univention-directory-manager-rest (UCS has it on the Primary and Backup \
             Directory Nodes), or use only the kelvin commands",
        ),
        Err(e) => Finding::fail(
            check,
            format!("UDM failed: {e}"),
            "run with UCS_LOG=debug, look at the server's log",
        ),
    }
}

/// The UDM base of a request URL (`https://h/univention/udm/users/user/?...` ->
/// `https://h/univention/udm/`), or the URL itself.
fn udm_base(url: &str) -> &str {
    const BASE: &str = "/univention/udm/";
    url.find(BASE).map_or(url, |at| &url[..at + BASE.len()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn jwt(claims: Value) -> String {
        let enc = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        format!(
            "{}.{}.sig",
            enc(br#"{"alg":"HS256"}"#),
            enc(claims.to_string().as_bytes())
        )
    }

    #[test]
    fn kelvin_4_tokens_carry_the_rights_in_sub() {
        // ucsschool-kelvin-rest-api release-4.0.0, kelvin-api/ucsschool/kelvin/token_auth.py,
        // get_current_user: sub = {"username", "kelvin_admin", "kelvin_reader"}, exp.
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let facts = token_facts(
            &jwt(
                serde_json::json!({"sub": {"username": "r", "kelvin_admin": false,
            "kelvin_reader": true}, "exp": 4_600}),
            ),
            now,
        );
        assert_eq!(
            facts,
            TokenFacts {
                lifetime: Some(3_600),
                admin: Some(false),
                reader: Some(true)
            }
        );
        let plain = token_facts(
            &jwt(serde_json::json!({"sub": "Administrator", "exp": 1_060})),
            now,
        );
        assert_eq!(
            plain,
            TokenFacts {
                lifetime: Some(60),
                admin: None,
                reader: None
            }
        );
        assert_eq!(token_facts("not-a-jwt", now), TokenFacts::default());
        assert_eq!(minutes(3_599), "60 min");
        assert_eq!(minutes(59), "59 s");
    }

    #[test]
    fn the_udm_base_of_a_request_url() {
        assert_eq!(
            udm_base("https://h:1/univention/udm/users/user/?query=x"),
            "https://h:1/univention/udm/"
        );
        assert_eq!(udm_base("https://h/other"), "https://h/other");
    }
}
