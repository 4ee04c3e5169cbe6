//! The UCS@school Kelvin REST API 4.0.0 at `/ucsschool/kelvin/`: the token endpoint and the
//! v1 and v2 resources. v2 shares v1's writes and reads through [`version::read`] (its
//! database in the real server; here the directory, optionally as it was a set time ago).

mod body;
mod caller;
mod coerce;
mod error;
mod fields;
mod groups;
mod info;
mod lib_names;
mod py;
mod pyjson;
mod pyurl;
mod refs;
mod roles;
mod schools;
mod token;
mod transport;
mod udm_error;
mod urls;
pub(crate) mod users;
mod version;

pub(crate) use error::KelvinError;

use crate::app::App;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Router};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use version::ApiVersion;

/// Resources other than a school have no HEAD (FastAPI answers 405).
fn no_head(route: MethodRouter<Arc<App>>) -> MethodRouter<Arc<App>> {
    route.head(transport::method_not_allowed)
}

/// The routes of `/classes/` or `/workgroups/`.
fn group_routes<K: groups::GroupResource>(collection: &str) -> Router<Arc<App>> {
    Router::new()
        .route(
            &format!("/{collection}/"),
            no_head(get(groups::list::<K>).post(groups::post::<K>)),
        )
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

/// v2's router-level dependency (`check_db_compatibility`), before authentication.
async fn v2_gate(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if app.kelvin.v2_unavailable.load(Ordering::Relaxed) {
        return KelvinError::detail(
            StatusCode::SERVICE_UNAVAILABLE,
            "This instance is deprecated. Please upgrade.",
        )
        .into_response();
    }
    next.run(request).await
}

fn versioned(app: &Arc<App>, version: &'static str) -> Router<Arc<App>> {
    let router = Router::new()
        .route("/users/", no_head(get(users::search).post(users::create)))
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
            "/schools/{name}",
            get(schools::get_one).head(schools::exists),
        )
        .merge(group_routes::<groups::Classes>("classes"))
        .merge(group_routes::<groups::Workgroups>("workgroups"))
        .route("/roles/", no_head(get(roles::list)))
        .route("/roles/{name}", no_head(get(roles::get_one)))
        .route("/changelog", no_head(get(info::changelog)))
        .route("/readme", no_head(get(info::readme)))
        .route("/openapi.json", no_head(get(info::openapi_versioned)));
    let router = if version == "v2" {
        router.route_layer(middleware::from_fn_with_state(app.clone(), v2_gate))
    } else {
        router
    };
    router
        .fallback(transport::fallback)
        .method_not_allowed_fallback(transport::method_not_allowed)
        .layer(Extension(ApiVersion(version)))
}

/// The Kelvin router, to be nested at `/ucsschool/kelvin`.
pub(crate) fn router(app: &Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/token", post(token::login))
        .route("/openapi-v1.json", no_head(get(info::openapi_v1)))
        .route("/openapi-v2.json", no_head(get(info::openapi_v2)))
        .nest("/v1", versioned(app, "v1"))
        .nest("/v2", versioned(app, "v2"))
        .fallback(transport::fallback)
        .method_not_allowed_fallback(transport::method_not_allowed)
        .layer(middleware::from_fn(transport::layer))
}
