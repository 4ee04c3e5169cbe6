//! Creates that leave out what the server fills, against a small stand-in
//! for a Kelvin 4.0.0 whose import configuration has name and `record_uid`
//! templates. (`ucs-sim` has no such templates: like a default Kelvin it
//! needs a name; `kelvin_features.rs` tests the client-side rules against
//! it.)
//!
//! What the stand-in does is what Kelvin 4.0.0 does on `POST /v1/users/`
//! (kelvin-api `routers/v1/user.py` `create`, then ucs-school-import
//! `importer/models/import_user.py`): `make_username` builds a missing name
//! from `scheme.username`, `make_record_uid` a missing `record_uid` from
//! `scheme.record_uid`, `make_source_uid` sets a missing `source_uid` to the
//! configured one (`Kelvin`). The templates themselves are the stand-in's.

use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use ucs::kelvin::{Kelvin, NewUser};
use ucs::roles::CreateOptions;
use ucs::{Error, RetryPolicy};

#[derive(Default)]
struct Stub {
    /// Every create body received.
    posts: Vec<Value>,
    /// The users made.
    users: Vec<Value>,
    /// Answer the next create with 502 after making the user (a gateway
    /// that lost the answer).
    lose_next_answer: bool,
}

type Shared = Arc<Mutex<Stub>>;

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The stand-in's `scheme.username` (`<:umlauts><firstname>[0]<lastname>`,
/// lower-cased) and `scheme.record_uid` (`<lastname>.<firstname>`).
fn fill(body: &Value) -> (String, String, String) {
    let first = text(body, "firstname").unwrap_or_default();
    let last = text(body, "lastname").unwrap_or_default();
    let umlauts = |s: &str| s.replace('ü', "ue").replace('ä', "ae").replace('ö', "oe");
    let initial: String = first.chars().take(1).collect();
    let name =
        text(body, "name").unwrap_or_else(|| umlauts(&format!("{initial}{last}")).to_lowercase());
    let record_uid = text(body, "record_uid").unwrap_or_else(|| format!("{last}.{first}"));
    let source_uid = text(body, "source_uid").unwrap_or_else(|| "Kelvin".into());
    (name, record_uid, source_uid)
}

fn user_model(body: &Value, host: &str) -> Value {
    let (name, record_uid, source_uid) = fill(body);
    let api = format!("https://{host}/ucsschool/kelvin/v1");
    json!({
        "dn": format!("uid={name},cn=schueler,cn=users,ou=DEMOSCHOOL,dc=example,dc=com"),
        "url": format!("{api}/users/{name}"),
        "ucsschool_roles": ["student:school:DEMOSCHOOL"],
        "udm_properties": {},
        "name": name,
        "school": format!("{api}/schools/DEMOSCHOOL"),
        "firstname": body["firstname"],
        "lastname": body["lastname"],
        "birthday": null, "disabled": false, "email": null, "expiration_date": null,
        "record_uid": record_uid,
        "roles": [format!("{api}/roles/student")],
        "schools": [format!("{api}/schools/DEMOSCHOOL")],
        "school_classes": body.get("school_classes").cloned().unwrap_or(json!({})),
        "workgroups": {},
        "source_uid": source_uid,
        "legal_guardians": [], "legal_wards": []
    })
}

async fn create(
    State(stub): State<Shared>,
    headers: axum::http::HeaderMap,
    Json(body): Json<Value>,
) -> impl IntoResponse {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    let mut stub = stub.lock().expect("lock");
    stub.posts.push(body.clone());
    let user = user_model(&body, &host);
    stub.users.push(user.clone());
    if std::mem::take(&mut stub.lose_next_answer) {
        return (
            StatusCode::BAD_GATEWAY,
            Json(json!({"detail": "Bad Gateway"})),
        );
    }
    (StatusCode::CREATED, Json(user))
}

async fn search(
    State(stub): State<Shared>,
    Query(query): Query<Vec<(String, String)>>,
) -> Json<Value> {
    let stub = stub.lock().expect("lock");
    let hits: Vec<Value> = stub
        .users
        .iter()
        .filter(|u| {
            query
                .iter()
                .all(|(k, v)| u.get(k).and_then(Value::as_str) == Some(v.as_str()))
        })
        .cloned()
        .collect();
    Json(Value::Array(hits))
}

async fn serve() -> (Kelvin, Shared) {
    let stub: Shared = Arc::default();
    let app = axum::Router::new()
        .route(
            "/ucsschool/kelvin/token",
            axum::routing::post(|| async {
                Json(json!({"access_token": "t", "token_type": "bearer"}))
            }),
        )
        .route(
            "/ucsschool/kelvin/v1/users/",
            axum::routing::post(create).get(search),
        )
        .with_state(stub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let kelvin = Kelvin::builder(format!("http://{addr}"))
        .credentials("Administrator", "univention")
        .retry(RetryPolicy::none())
        .build()
        .expect("session");
    (kelvin, stub)
}

fn bare_student() -> NewUser {
    NewUser::student("Jürgen", "Müller")
        .school("DEMOSCHOOL")
        .class("1a")
}

#[tokio::test]
async fn the_server_names_the_user_and_fills_record_and_source_uid() {
    let (kelvin, stub) = serve().await;
    let users = kelvin.users().server_fills(
        CreateOptions::kelvin()
            .name_from_template()
            .record_uid_from_template(),
    );
    let created = users.create(bare_student()).await.expect("created");
    assert_eq!(created.name, "jmueller");
    assert_eq!(created.record_uid.as_deref(), Some("Müller.Jürgen"));
    assert_eq!(created.source_uid.as_deref(), Some("Kelvin"));
    let posts = stub.lock().expect("lock").posts.clone();
    assert_eq!(posts.len(), 1);
    for key in ["name", "record_uid", "source_uid", "password"] {
        assert!(posts[0].get(key).is_none(), "{key} not sent: {}", posts[0]);
    }
    assert_eq!(posts[0]["firstname"], "Jürgen");
    assert_eq!(posts[0]["school_classes"], json!({"DEMOSCHOOL": ["1a"]}));
}

/// A create whose answer is lost is confirmed by looking the user up; with
/// the name left to the server that is by `record_uid` (the server's own
/// `source_uid` applies, so any one match with the fields sent is ours).
#[tokio::test]
async fn a_lost_answer_is_confirmed_by_record_uid_when_the_server_names_the_user() {
    let (kelvin, stub) = serve().await;
    stub.lock().expect("lock").lose_next_answer = true;
    let users = kelvin
        .users()
        .server_fills(CreateOptions::kelvin().name_from_template());
    let created = users
        .create(bare_student().record_uid("r-4711"))
        .await
        .expect("confirmed");
    assert_eq!(created.name, "jmueller");
    assert_eq!(created.record_uid.as_deref(), Some("r-4711"));
    assert_eq!(stub.lock().expect("lock").posts.len(), 1, "not sent twice");
}

/// With neither a name nor a `record_uid` sent there is nothing to look the
/// user up by: the original error comes back, and the create is not sent
/// again (it may have made the user).
#[tokio::test]
async fn a_lost_answer_without_anything_to_look_up_is_reported_not_repeated() {
    let (kelvin, stub) = serve().await;
    stub.lock().expect("lock").lose_next_answer = true;
    let users = kelvin.users().server_fills(
        CreateOptions::kelvin()
            .name_from_template()
            .record_uid_from_template(),
    );
    let error = users.create(bare_student()).await.expect_err("lost");
    match &error {
        Error::Server(api) => assert_eq!(api.status, 502),
        other => panic!("{other:?}"),
    }
    assert_eq!(stub.lock().expect("lock").posts.len(), 1, "not sent again");
}
