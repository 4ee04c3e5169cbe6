//! The generated client against a local HTTP server: HEAD without a body,
//! undeclared error statuses, strict path encoding and per-call options.

use std::sync::{Arc, Mutex};

use axum::{extract::Request, http::StatusCode, response::IntoResponse, Router};
use kelvin_raw::{v1, CallOptions, Error};

/// What the test server saw: method, raw path and query, Authorization header.
type Seen = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

async fn serve() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |req: Request| {
        let log = log.clone();
        async move {
            let path = req.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
            let auth = req
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            log.lock().unwrap().push((req.method().to_string(), path.clone(), auth));
            match path.as_str() {
                "/ucsschool/kelvin/v1/schools/DEMOSCHOOL" => StatusCode::OK.into_response(),
                p if p.starts_with("/ucsschool/kelvin/v1/roles/") => (
                    StatusCode::OK,
                    [("content-type", "application/json")],
                    r#"{"name":"student","display_name":"Student","url":"http://h/ucsschool/kelvin/v1/roles/student"}"#,
                )
                    .into_response(),
                _ => (StatusCode::NOT_FOUND, r#"{"message":"not found"}"#).into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn client(base: &str, options: CallOptions) -> v1::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    v1::Client::new_with_client(base, reqwest::Client::new(), options)
}

#[tokio::test]
async fn head_on_an_existing_school_is_success_without_a_body() {
    let (base, seen) = serve().await;
    let response = client(&base, CallOptions::default())
        .school_exists_ucsschool_kelvin_v1_schools_school_name_head("DEMOSCHOOL")
        .await
        .expect("200 is success");
    assert_eq!(response.status(), 200);
    assert_eq!(seen.lock().unwrap()[0].0, "HEAD");
}

#[tokio::test]
async fn head_on_a_missing_school_is_a_404_error() {
    let (base, _) = serve().await;
    let err = client(&base, CallOptions::default())
        .school_exists_ucsschool_kelvin_v1_schools_school_name_head("NOSUCHSCHOOL")
        .await
        .expect_err("404 is an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(
        matches!(err, Error::UnexpectedResponse(_)),
        "undeclared status: {err:?}"
    );
}

#[tokio::test]
async fn path_parameters_are_encoded_strictly_and_call_options_apply() {
    let (base, seen) = serve().await;
    let mut options = CallOptions::default();
    let mut token = reqwest::header::HeaderValue::from_static("Bearer secret-token");
    token.set_sensitive(true);
    options
        .headers
        .insert(reqwest::header::AUTHORIZATION, token);
    options.query.push(("title".into(), "Dr*".into()));
    let role = client(&base, options.clone())
        .get_ucsschool_kelvin_v1_roles_role_name_get("a/b %?#ä\\,=+")
        .await
        .expect("role decoded");
    assert_eq!(role.name, "student");
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].1,
        "/ucsschool/kelvin/v1/roles/a%2Fb%20%25%3F%23%C3%A4%5C%2C%3D%2B?title=Dr*"
    );
    assert_eq!(seen[0].2.as_deref(), Some("Bearer secret-token"));
    assert!(
        !format!("{options:?}").contains("secret-token"),
        "Debug hides header values"
    );
}
