//! The UCS@school Kelvin REST API at `/ucsschool/kelvin/`: the token endpoint and the v1
//! and v2 resources (same behaviour; URLs in answers name the version that was asked).

mod body;
mod error;
mod groups;
mod info;
mod roles;
pub(crate) mod rules;
mod schools;
mod token;
pub(crate) mod urls;
pub(crate) mod user_input;
pub(crate) mod user_view;
pub(crate) mod user_write;
mod users;

pub(crate) use body::{Mode, Opt};
pub(crate) use error::KelvinError;

use crate::app::App;
use crate::auth::{self, KelvinAccess};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Router};
use std::sync::Arc;
use urls::Urls;

/// Which API version a route belongs to (`v1` or `v2`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiVersion(pub &'static str);

/// The authenticated caller of a Kelvin resource.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// What the caller may do.
    pub access: KelvinAccess,
}

impl Caller {
    /// Refuses writes by read-only callers (401, as the real server answers readers).
    pub fn require_write(&self) -> Result<(), KelvinError> {
        match self.access {
            KelvinAccess::Admin => Ok(()),
            KelvinAccess::Reader => Err(KelvinError::unauthorized(
                "Not enough permissions: read-only access",
            )),
        }
    }
}

fn invalid_credentials() -> KelvinError {
    KelvinError::unauthorized("Could not validate credentials")
}

impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = KelvinError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let header_value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(invalid_credentials)?;
        let (scheme, token) = header_value
            .split_once(' ')
            .ok_or_else(invalid_credentials)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(invalid_credentials());
        }
        let claims = app
            .tokens
            .verify(token.trim())
            .map_err(|_| invalid_credentials())?;
        let access = app.store.read(|tree| {
            auth::find_user(tree, &claims.sub).and_then(|user| auth::kelvin_access(tree, user))
        });
        match access {
            Some(access) => Ok(Caller { access }),
            None => Err(invalid_credentials()),
        }
    }
}

impl FromRequestParts<Arc<App>> for Urls {
    type Rejection = KelvinError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let version = parts
            .extensions
            .get::<ApiVersion>()
            .map(|v| v.0)
            .unwrap_or("v1");
        Ok(Urls::new(format!(
            "{}/ucsschool/kelvin/{version}",
            app.origin(&parts.headers)
        )))
    }
}

async fn not_found() -> KelvinError {
    KelvinError::detail(StatusCode::NOT_FOUND, "Not Found")
}

async fn method_not_allowed() -> KelvinError {
    KelvinError::detail(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
}

/// Resources other than a school have no HEAD (FastAPI answers 405).
fn no_head(route: MethodRouter<Arc<App>>) -> MethodRouter<Arc<App>> {
    route.head(method_not_allowed)
}

/// The routes of `/classes/` or `/workgroups/`.
fn group_routes<K: groups::GroupResource>(collection: &str) -> Router<Arc<App>> {
    let list = || no_head(get(groups::list::<K>).post(groups::post::<K>));
    Router::new()
        .route(&format!("/{collection}/"), list())
        .route(&format!("/{collection}"), list())
        .route(
            &format!("/{collection}/{{school}}/{{name}}"),
            no_head(
                get(groups::get_one::<K>)
                    .put(groups::put::<K>)
                    .patch(groups::patch::<K>)
                    .delete(groups::delete::<K>),
            ),
        )
}

fn versioned(version: &'static str) -> Router<Arc<App>> {
    Router::new()
        .route("/users/", no_head(get(users::search).post(users::create)))
        .route("/users", no_head(get(users::search).post(users::create)))
        .route(
            "/users/{name}",
            no_head(
                get(users::get_one)
                    .put(users::replace)
                    .patch(users::patch)
                    .delete(users::delete),
            ),
        )
        .route(
            "/schools/",
            no_head(get(schools::search).post(schools::create)),
        )
        .route(
            "/schools",
            no_head(get(schools::search).post(schools::create)),
        )
        .route("/schools/{name}", get(schools::get_one))
        .merge(group_routes::<groups::Classes>("classes"))
        .merge(group_routes::<groups::Workgroups>("workgroups"))
        .route("/roles/", no_head(get(roles::list)))
        .route("/roles", no_head(get(roles::list)))
        .route("/roles/{name}", no_head(get(roles::get_one)))
        .route("/changelog", no_head(get(info::changelog)))
        .route("/readme", no_head(get(info::readme)))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(Extension(ApiVersion(version)))
}

/// The Kelvin router, to be nested at `/ucsschool/kelvin`.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/token", post(token::login))
        .nest("/v1", versioned("v1"))
        .nest("/v2", versioned("v2"))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}
