//! UDM with bearer tokens (Nubus: Keycloak tokens), against a raw token
//! endpoint and a raw API server that check the headers: `ucs-sim` accepts
//! no bearer token for UDM (it answers 401, as the real server does for a
//! token it cannot bind with), so the accepting side is played here.
//!
//! The API server answers a refused token as UCS 5.2-1's UDM REST API does
//! (`univention/admin/rest/module.py`, `Resource.force_authorization`): 401
//! with a Basic and a Bearer challenge, no body.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Value};
use ucs::udm::{Dn, Udm};
use ucs::Error;
use ucs_sim::Sim;

use crate::support::logs;
use crate::support::server::{serve, TestServer};

const CLIENT_ID: &str = "ucs-client";
const SECRET: &str = "Client-Secret-7f3a9";
const TOKEN_PATH: &str = "/realms/ucs/protocol/openid-connect/token";

#[derive(Default)]
struct Keycloak {
    /// Forms of the token requests, in order.
    forms: Vec<HashMap<String, String>>,
    /// `Authorization` headers of the token requests.
    token_request_auth: Vec<Option<String>>,
    /// `expires_in` of the next answers.
    expires_in: Value,
    /// Answer token requests with this instead.
    refuse: Option<(StatusCode, Value)>,
    /// Answer token requests with a redirect here.
    redirect: Option<String>,
    /// Tokens the API accepts.
    valid: HashSet<String>,
    /// `Authorization` headers the API saw.
    api_auth: Vec<Option<String>>,
    /// Answer API requests with a redirect here.
    api_redirect: Option<String>,
    /// Refuse every token.
    refuse_all: bool,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Keycloak>>);

impl Shared {
    fn with<T>(&self, f: impl FnOnce(&mut Keycloak) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn redirect(to: &str) -> Response {
    (
        StatusCode::TEMPORARY_REDIRECT,
        [("location", to.to_string())],
    )
        .into_response()
}

async fn token(
    State(kc): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    kc.with(|kc| {
        kc.forms.push(form.clone());
        kc.token_request_auth
            .push(headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string));
        if let Some(to) = &kc.redirect {
            return redirect(to);
        }
        if let Some((status, body)) = &kc.refuse {
            return (*status, Json(body.clone())).into_response();
        }
        let known = form.get("grant_type").map(String::as_str) == Some("client_credentials")
            && form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
            && form.get("client_secret").map(String::as_str) == Some(SECRET);
        if !known {
            let body = json!({"error": "invalid_client", "error_description": "Invalid client or Invalid client credentials"});
            return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        }
        let token = format!("access-token-{}-{}", kc.forms.len(), uuid::Uuid::new_v4());
        kc.valid.insert(token.clone());
        Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": kc.expires_in, "scope": "openid"}))
            .into_response()
    })
}

async fn api_object(State(kc): State<Shared>, headers: HeaderMap) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    kc.with(|kc| {
        kc.api_auth.push(auth.clone());
        if let Some(to) = &kc.api_redirect {
            return redirect(to);
        }
        let token = auth.as_deref().and_then(|a| a.strip_prefix("Bearer "));
        if !kc.refuse_all && token.is_some_and(|t| kc.valid.contains(t)) {
            return Json(json!({"dn": "uid=demo,cn=users,dc=example,dc=com", "properties": {"username": "demo"}}))
                .into_response();
        }
        (
            StatusCode::UNAUTHORIZED,
            [
                ("www-authenticate", "Basic realm=\"Univention Directory Manager\""),
                (
                    "www-authenticate",
                    "Bearer realm=\"Univention Directory Manager\" scope=\"openid\" error=\"invalid_token\" error_description=\"token expired\"",
                ),
            ],
        )
            .into_response()
    })
}

/// The token endpoint and the API, on two origins.
struct Setup {
    kc: Shared,
    token_server: TestServer,
    api_server: TestServer,
}

impl Setup {
    async fn new(expires_in: Value) -> Setup {
        let kc = Shared::default();
        kc.with(|k| k.expires_in = expires_in);
        let token_server = serve(
            Router::new()
                .route(TOKEN_PATH, post(token))
                .with_state(kc.clone()),
        )
        .await;
        let api_server = serve(
            Router::new()
                .route("/univention/udm/users/user/{dn}", get(api_object))
                .with_state(kc.clone()),
        )
        .await;
        Setup {
            kc,
            token_server,
            api_server,
        }
    }

    fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.token_server.url)
    }

    fn builder(&self, secret: &str) -> ucs::udm::UdmBuilder {
        Udm::builder(format!("{}/univention/udm", self.api_server.url))
            .oauth2_client_credentials(&self.token_url(), CLIENT_ID, secret)
            .expect("token URL")
            .retry(ucs::RetryPolicy::none())
    }

    fn forms(&self) -> Vec<HashMap<String, String>> {
        self.kc.with(|k| k.forms.clone())
    }

    fn api_auth(&self) -> Vec<Option<String>> {
        self.kc.with(|k| k.api_auth.clone())
    }
}

fn demo_dn() -> Dn {
    "uid=demo,cn=users,dc=example,dc=com".parse().expect("dn")
}

#[tokio::test]
async fn one_token_request_serves_concurrent_calls_and_the_secret_goes_only_to_the_token_endpoint()
{
    let setup = Setup::new(json!(300)).await;
    let (captured, _guard) = logs::capture();
    let udm = setup.builder(SECRET).build().expect("client");
    let calls = (0..5).map(|_| {
        let users = udm.users();
        async move { users.get(&demo_dn()).await }
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.expect("get").get_str("username"), Some("demo"));
    }
    let forms = setup.forms();
    assert_eq!(forms.len(), 1, "one token request for five calls");
    let expected: HashMap<String, String> = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(forms[0], expected);
    assert_eq!(
        setup.kc.with(|k| k.token_request_auth.clone()),
        vec![None],
        "no Authorization to the token endpoint"
    );
    let api_auth = setup.api_auth();
    assert_eq!(api_auth.len(), 5);
    let issued = setup
        .kc
        .with(|k| k.valid.iter().next().cloned())
        .expect("token");
    for auth in &api_auth {
        assert_eq!(auth.as_deref(), Some(format!("Bearer {issued}").as_str()));
    }

    let text = captured.text();
    assert!(
        text.contains("requesting an access token"),
        "the capture works: {text}"
    );
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains(&issued), "{text}");
    assert!(!format!("{udm:?}").contains(SECRET));
    assert!(!format!("{:?}", setup.builder(SECRET)).contains(SECRET));
}

#[tokio::test]
async fn tokens_are_replaced_when_they_expire_and_kept_while_they_live() {
    let short = Setup::new(json!(0)).await;
    let udm = short.builder(SECRET).build().expect("client");
    for _ in 0..3 {
        udm.users().get(&demo_dn()).await.expect("get");
    }
    assert_eq!(
        short.forms().len(),
        3,
        "a token of no lifetime is replaced for each call"
    );
    let distinct: HashSet<_> = short.api_auth().into_iter().collect();
    assert_eq!(distinct.len(), 3);

    let long = Setup::new(json!("3600")).await;
    let udm = long.builder(SECRET).build().expect("client");
    for _ in 0..3 {
        udm.users().get(&demo_dn()).await.expect("get");
    }
    assert_eq!(long.forms().len(), 1, "expires_in as text is understood");
}

#[tokio::test]
async fn a_refused_token_is_replaced_once() {
    let setup = Setup::new(json!(300)).await;
    let udm = setup.builder(SECRET).build().expect("client");
    udm.users().get(&demo_dn()).await.expect("first get");
    setup.kc.with(|k| k.valid.clear());
    udm.users().get(&demo_dn()).await.expect("get after a 401");
    assert_eq!(setup.forms().len(), 2);
    let api_auth = setup.api_auth();
    assert_eq!(api_auth.len(), 3, "the refused request and its repetition");
    assert_eq!(api_auth[0], api_auth[1], "the old token was refused");
    assert_ne!(api_auth[1], api_auth[2], "a new one was sent");

    // the API refuses every token: one new token, then the 401 stands
    setup.kc.with(|k| k.refuse_all = true);
    let tokens_before = setup.forms().len();
    let before = setup.api_auth().len();
    match udm.users().get(&demo_dn()).await {
        Err(Error::Unauthorized(api)) => assert_eq!(api.status, 401),
        other => panic!("{other:?}"),
    }
    assert_eq!(setup.api_auth().len() - before, 2, "sent twice, not more");
    assert_eq!(setup.forms().len() - tokens_before, 1, "one new token");
}

#[tokio::test]
async fn refused_client_credentials_name_the_client_and_never_the_secret() {
    let setup = Setup::new(json!(300)).await;
    let udm = setup.builder("Wrong-Secret-123").build().expect("client");
    let error = udm.users().get(&demo_dn()).await.unwrap_err();
    let Error::Unauthorized(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(api.status, 401);
    let text = error.to_string();
    for needle in [
        "OAuth 2 token request for client \"ucs-client\"",
        &setup.token_url(),
        "Invalid client or Invalid client credentials (invalid_client)",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    assert!(
        !text.contains("Wrong-Secret-123") && !format!("{error:?}").contains("Wrong-Secret-123")
    );
    assert!(setup.api_auth().is_empty(), "the API saw nothing");

    // a token endpoint that echoes the secret
    setup.kc.with(|k| {
        k.refuse = Some((
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_scope", "error_description": format!("scope refused for secret {SECRET}")}),
        ))
    });
    let udm = setup.builder(SECRET).build().expect("client");
    let error = udm.users().get(&demo_dn()).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(
        text.contains("scope refused for secret [REDACTED] (invalid_scope)"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn neither_the_secret_nor_the_token_follows_a_redirect() {
    let elsewhere = serve(Router::new().fallback(|| async { "captured" })).await;
    let setup = Setup::new(json!(300)).await;
    setup
        .kc
        .with(|k| k.redirect = Some(format!("{}/token", elsewhere.url)));
    let udm = setup.builder(SECRET).build().expect("client");
    let error = udm.users().get(&demo_dn()).await.unwrap_err();
    assert!(
        matches!(&error, Error::UnexpectedStatus(api) if api.status == 307),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("redirect to") && text.contains("not followed"),
        "{text}"
    );
    assert!(text.contains(&format!("{}/token", elsewhere.url)), "{text}");
    assert_eq!(setup.forms().len(), 1, "asked once, not repeated");
    assert_eq!(elsewhere.connections(), 0);

    setup.kc.with(|k| {
        k.redirect = None;
        k.api_redirect = Some(format!("{}/univention/udm/users/user/x", elsewhere.url));
    });
    let error = udm.users().get(&demo_dn()).await.unwrap_err();
    assert!(error.to_string().contains("not followed"), "{error}");
    assert_eq!(elsewhere.connections(), 0, "the bearer token stayed home");
}

#[tokio::test]
async fn scopes_are_asked_for_when_configured() {
    let setup = Setup::new(json!(300)).await;
    let udm = setup
        .builder(SECRET)
        .oauth2_scope("openid udm")
        .build()
        .expect("client");
    udm.users().get(&demo_dn()).await.expect("get");
    assert_eq!(
        setup.forms()[0].get("scope").map(String::as_str),
        Some("openid udm")
    );

    let error = Udm::builder("http://127.0.0.1:1")
        .credentials("a", "b")
        .oauth2_scope("x")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("oauth2_scope needs oauth2_client_credentials"),
        "{error}"
    );
    let error = Udm::builder("http://127.0.0.1:1")
        .oauth2_client_credentials(
            "https://kc:Pw-In-Url-5@kc.example.com/token",
            CLIENT_ID,
            SECRET,
        )
        .unwrap_err();
    assert!(!error.to_string().contains("Pw-In-Url-5"), "{error}");
}

#[tokio::test]
async fn the_token_request_is_outside_the_cap_on_requests_in_flight() {
    let setup = Setup::new(json!(300)).await;
    let udm = setup
        .builder(SECRET)
        .max_concurrent_requests(1)
        .build()
        .expect("client");
    let calls = (0..3).map(|_| {
        let users = udm.users();
        async move { users.get(&demo_dn()).await }
    });
    let results = tokio::time::timeout(Duration::from_secs(10), futures::future::join_all(calls))
        .await
        .expect("no deadlock");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

#[tokio::test]
async fn a_static_bearer_token_is_sent_as_it_is_and_not_renewed() {
    let setup = Setup::new(json!(300)).await;
    let token = "static-token-2b7e151628aed2a6";
    setup.kc.with(|k| k.valid.insert(token.to_string()));
    let (captured, _guard) = logs::capture();
    let builder =
        Udm::builder(format!("{}/univention/udm", setup.api_server.url)).bearer_token(token);
    assert!(!format!("{builder:?}").contains(token));
    let udm = builder.build().expect("client");
    udm.users().get(&demo_dn()).await.expect("get");
    assert_eq!(setup.api_auth(), vec![Some(format!("Bearer {token}"))]);
    setup.kc.with(|k| k.valid.clear());
    let error = udm.users().get(&demo_dn()).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(token));
    assert_eq!(
        setup.api_auth().len(),
        2,
        "a fixed token is not sent again after a 401"
    );
    let text = captured.text();
    assert!(text.contains("ucs.request"), "the capture works: {text}");
    assert!(!text.contains(token), "{text}");
    assert!(setup.forms().is_empty());
    assert!(matches!(
        Udm::builder("http://127.0.0.1:1").bearer_token("").build(),
        Err(Error::Config(_))
    ));
}

/// ucs-sim has no token issuer for UDM; like the real server with a token it
/// cannot bind (`module.py`, `parse_authorization`), it refuses it with 401.
#[tokio::test]
async fn the_emulator_refuses_bearer_tokens_for_udm() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let udm = Udm::builder(sim.udm_url())
        .bearer_token("not-a-keycloak-token")
        .build()
        .expect("client");
    let error = udm.users().search().all().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].authorization);
    assert_eq!(requests[0].status, 401);
}
