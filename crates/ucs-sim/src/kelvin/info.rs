//! `GET /readme` and `GET /changelog` (HTML, no authentication, as on the real server).

use axum::response::Html;

const NOTE: &str = "<p>This is <strong>ucs-sim</strong>, an in-memory emulator of the UCS@school \
Kelvin REST API for tests and demos. It is not a Kelvin server: no LDAP, no replication, \
no hooks.</p>";

/// The readme page.
pub(crate) async fn readme() -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>Kelvin API (ucs-sim)</title></head><body><h1>Kelvin API</h1>{NOTE}</body></html>"
    ))
}

/// The changelog page.
pub(crate) async fn changelog() -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>Kelvin API changelog (ucs-sim)</title></head><body><h1>Changelog</h1>{NOTE}<p>Emulates the API of Kelvin 4.0.0.</p></body></html>"
    ))
}
