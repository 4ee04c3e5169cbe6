//! Who calls a Kelvin resource, as `kelvin/token_auth.py` decides it: FastAPI's
//! `OAuth2PasswordBearer` wants `Authorization: Bearer <token>` (else 401 `Not authenticated`
//! with a challenge); the token must verify and name a user that still exists (else
//! `Could not validate credentials`); a disabled account is `Inactive user`; and the group
//! flags recorded in the token at login decide: readers may read, admins may also write,
//! everybody else gets 401 `Unauthorized`.

use super::error::KelvinError;
use crate::app::App;
use crate::auth::{self, KelvinFlags};
use crate::store::Object;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use std::sync::Arc;

/// Whether an account counts as disabled (`kelvin/ldap.py`, `user_is_disabled`): the
/// `disabled` flag, or an expiry date (`shadowExpire`) that has been reached.
fn is_disabled(user: &Object) -> bool {
    let flag = user
        .properties
        .get("disabled")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let expired = user
        .prop_str("userexpiry")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .is_some_and(|d| d <= chrono::Utc::now().date_naive());
    flag || expired
}

/// Authenticates a request; returns the flags of its token.
pub(crate) fn authenticate(app: &App, headers: &HeaderMap) -> Result<KelvinFlags, KelvinError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if value.is_empty() || !scheme.eq_ignore_ascii_case("bearer") {
        return Err(KelvinError::credentials("Not authenticated"));
    }
    let invalid = || KelvinError::credentials("Could not validate credentials");
    let claims = app.tokens.verify(token).map_err(|_| invalid())?;
    if claims.sub.username.is_empty() {
        return Err(invalid());
    }
    let disabled = app
        .store
        .read(|tree| auth::find_user(tree, &claims.sub.username).map(is_disabled))
        .ok_or_else(invalid)?;
    if disabled {
        return Err(KelvinError::unauthorized("Inactive user"));
    }
    Ok(KelvinFlags {
        admin: claims.sub.kelvin_admin,
        reader: claims.sub.kelvin_reader,
    })
}

fn unauthorized() -> KelvinError {
    KelvinError::unauthorized("Unauthorized")
}

/// A caller who may read (`get_kelvin_reader`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader;

/// A caller who may write (`get_kelvin_admin`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Admin;

impl Reader {
    /// Checks the request's token.
    pub fn check(app: &App, headers: &HeaderMap) -> Result<Self, KelvinError> {
        let flags = authenticate(app, headers)?;
        if flags.admin || flags.reader {
            Ok(Reader)
        } else {
            Err(unauthorized())
        }
    }
}

impl Admin {
    /// Checks the request's token.
    pub fn check(app: &App, headers: &HeaderMap) -> Result<Self, KelvinError> {
        if authenticate(app, headers)?.admin {
            Ok(Admin)
        } else {
            Err(unauthorized())
        }
    }
}

impl FromRequestParts<Arc<App>> for Reader {
    type Rejection = KelvinError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        Reader::check(app, &parts.headers)
    }
}

impl FromRequestParts<Arc<App>> for Admin {
    type Rejection = KelvinError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        Admin::check(app, &parts.headers)
    }
}
