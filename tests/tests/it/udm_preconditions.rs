//! Writes where no ETag is known: behind a proxy that strips `ETag` from the
//! answers, the client falls back to `If-Unmodified-Since` with the
//! object's `Last-Modified` (module.py `Object.patch`/`put` check both
//! through `http_conditional.py` `ConditionalResource`, UCS 5.2-1: a
//! modification since that date answers 412), and refuses a write with
//! neither unless blind writes are allowed.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use ucs::udm::{Dn, Udm};
use ucs::{Error, RetryPolicy};
use ucs_sim::{Sim, SimHandle};

/// Which headers the proxy removes from every answer.
#[derive(Clone)]
struct Proxy {
    upstream: String,
    strip: Vec<&'static str>,
    http: reqwest::Client,
}

async fn forward(
    State(proxy): State<Proxy>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let url = format!("{}{}", proxy.upstream, uri);
    let mut request = proxy.http.request(method, url).body(body);
    for (name, value) in &headers {
        if name != "host" {
            request = request.header(name, value);
        }
    }
    let Ok(answer) = request.send().await else {
        return Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(Body::empty())
            .expect("response");
    };
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        if !proxy
            .strip
            .iter()
            .any(|s| name.as_str().eq_ignore_ascii_case(s))
        {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    response.body(Body::from(bytes)).expect("response")
}

async fn proxied(sim: &SimHandle, strip: &[&'static str]) -> Udm {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (user, password) = sim.admin();
    // built first: it installs the TLS crypto provider the proxy's client needs
    let udm = Udm::builder(format!("http://{addr}/univention/udm"))
        .credentials(user, password)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let proxy = Proxy {
        upstream: sim.base_url().to_string(),
        strip: strip.to_vec(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    };
    let router = axum::Router::new().fallback(forward).with_state(proxy);
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    udm
}

const DEMO_TEACHER: &str = "uid=demo_teacher,cn=lehrer,cn=users,ou=DEMOSCHOOL,dc=example,dc=com";

fn dn(text: &str) -> Dn {
    text.parse().expect("dn")
}

/// The teacher once it has a `Last-Modified`: the server sends one only
/// when the last change is more than a second old (module.py `Object.get`
/// through `ConditionalResource`, UCS 5.2-1; the date has whole seconds).
async fn read_dated(users: &ucs::udm::Module) -> ucs::udm::Object {
    for _ in 0..40 {
        let object = users.get(&dn(DEMO_TEACHER)).await.expect("read");
        if object.last_modified().is_some() {
            return object;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no Last-Modified after 4 s")
}

/// The last write the emulator saw.
fn last_write(sim: &SimHandle) -> ucs_sim::RecordedRequest {
    sim.requests()
        .into_iter()
        .rfind(|r| r.method == "PATCH" || r.method == "PUT")
        .expect("a write")
}

#[tokio::test]
async fn without_an_etag_writes_carry_if_unmodified_since() {
    let sim = Sim::builder().spawn().await.expect("sim");
    let udm = proxied(&sim, &["etag"]).await;
    let users = udm.users();
    let mut teacher = read_dated(&users).await;
    assert_eq!(teacher.etag(), None, "the proxy strips it");
    let last_modified = teacher.last_modified().expect("Last-Modified").to_string();
    teacher.set("description", "no etag");
    let patched = users.patch(&teacher).await.expect("patched");
    assert_eq!(patched.get_str("description"), Some("no etag"));
    let write = last_write(&sim);
    assert_eq!(write.if_match, None);
    assert_eq!(
        write.header("if-unmodified-since"),
        Some(last_modified.as_str())
    );
    assert_eq!(write.status, 204);

    // changed by someone else in a later second: the old date no longer
    // holds, 412
    let mut stale = read_dated(&users).await;
    assert!(stale.etag().is_none());
    let direct = Udm::builder(sim.udm_url())
        .credentials("Administrator", "univention")
        .build()
        .expect("client");
    direct
        .users()
        .modify(&dn(DEMO_TEACHER), |u| {
            u.set("description", "someone else");
            Ok(())
        })
        .await
        .expect("other write");
    read_dated(&direct.users()).await;
    stale.set("description", "mine");
    match users.patch(&stale).await {
        Err(Error::Conflict(api)) => assert_eq!(api.status, 412),
        other => panic!("{other:?}"),
    }
    let kept = direct.users().get(&dn(DEMO_TEACHER)).await.expect("read");
    assert_eq!(kept.get_str("description"), Some("someone else"));
}

#[tokio::test]
async fn with_neither_validator_a_write_is_refused_unless_blind_writes_are_allowed() {
    let sim = Sim::builder().spawn().await.expect("sim");
    let udm = proxied(&sim, &["etag", "last-modified"]).await;
    let mut teacher = udm.users().get(&dn(DEMO_TEACHER)).await.expect("read");
    assert!(teacher.etag().is_none() && teacher.last_modified().is_none());
    teacher.set("description", "blind");
    let before = sim.request_count();
    match udm.users().patch(&teacher).await {
        Err(Error::InvalidInput(text)) => assert!(text.contains("allow_blind_writes"), "{text}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.request_count(), before, "nothing sent");
    let written = udm
        .users()
        .allow_blind_writes()
        .patch(&teacher)
        .await
        .expect("blind write");
    assert_eq!(written.get_str("description"), Some("blind"));
    let write = last_write(&sim);
    assert_eq!(write.if_match, None);
    assert_eq!(write.header("if-unmodified-since"), None);
}
