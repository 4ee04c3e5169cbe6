//! Transport settings against real HTTP: the request-id header name, the
//! client-wide cap on requests in flight, the connection pool, an explicit
//! proxy, client certificates, and TLS errors that say what to do.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use ucs::kelvin::Kelvin;
use ucs::udm::{Dn, Udm};
use ucs::{Error, RetryPolicy};
use ucs_sim::Sim;

use crate::support::logs;
use crate::support::pki::Pki;
use crate::support::server::serve;

fn demo_dn() -> Dn {
    "uid=demo,cn=users,dc=example,dc=com".parse().expect("dn")
}

/// A UDM object answer, as `GET /univention/udm/users/user/<dn>` gives it.
fn user_json() -> Value {
    json!({"dn": "uid=demo,cn=users,dc=example,dc=com", "properties": {"username": "demo"}})
}

#[tokio::test]
async fn the_request_id_header_name_is_configurable() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let (user, password) = sim.admin();
    let udm = Udm::builder(sim.udm_url())
        .credentials(&user, &password)
        .request_id_header("X-Correlation-ID")
        .expect("header name")
        .build()
        .expect("client");
    let users = udm.users().search().all().await.expect("search");
    assert!(!users.is_empty());
    udm.with_request_id("corr-42")
        .users()
        .search()
        .all()
        .await
        .expect("search");
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(&user, &password)
        .request_id_header("X-Correlation-ID")
        .expect("header name")
        .build()
        .expect("session");
    kelvin.roles().list().await.expect("roles");

    let requests = sim.requests();
    assert!(requests.len() >= 4, "{requests:?}");
    for request in &requests {
        assert_eq!(
            request.request_id, None,
            "no X-Request-ID: {}",
            request.path_and_query
        );
        let id = request.header("x-correlation-id").expect("correlation id");
        assert!(
            id == "corr-42" || uuid::Uuid::parse_str(id).is_ok(),
            "{id} at {}",
            request.path_and_query
        );
    }
    assert!(requests
        .iter()
        .any(|r| r.header("x-correlation-id") == Some("corr-42")));
    assert!(
        requests
            .iter()
            .any(|r| r.path_and_query == "/ucsschool/kelvin/token"),
        "the login carries it too"
    );
    assert!(matches!(
        Udm::builder(sim.udm_url()).request_id_header("bad header"),
        Err(Error::Config(_))
    ));
}

/// Counts requests in flight and remembers the most seen at once.
#[derive(Clone, Default)]
struct InFlight {
    now: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
}

async fn slow_object(State(flight): State<InFlight>) -> Json<Value> {
    let now = flight.now.fetch_add(1, Ordering::SeqCst) + 1;
    flight.max.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(60)).await;
    flight.now.fetch_sub(1, Ordering::SeqCst);
    Json(user_json())
}

/// The most requests in flight when 12 gets run at once through `udm`.
async fn most_in_flight(
    configure: impl FnOnce(ucs::udm::UdmBuilder) -> ucs::udm::UdmBuilder,
) -> usize {
    let flight = InFlight::default();
    let router = Router::new()
        .route("/univention/udm/users/user/{dn}", get(slow_object))
        .with_state(flight.clone());
    let server = serve(router).await;
    let udm = configure(
        Udm::builder(format!("{}/univention/udm", server.url)).credentials("Administrator", "pw"),
    )
    .build()
    .expect("client");
    let calls = (0..12).map(|_| {
        let users = udm.clone().users();
        tokio::spawn(async move { users.get(&demo_dn()).await })
    });
    for call in futures::future::join_all(calls).await {
        let user = call.expect("task").expect("get");
        assert_eq!(user.get_str("username"), Some("demo"));
    }
    flight.max.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udm_clients_have_at_most_4_requests_in_flight_by_default() {
    assert_eq!(most_in_flight(|b| b).await, 4);
    assert_eq!(most_in_flight(|b| b.max_concurrent_requests(2)).await, 2);
    assert_eq!(most_in_flight(|b| b.unlimited_concurrency()).await, 12);
    let udm = Udm::builder("http://127.0.0.1:1")
        .credentials("a", "b")
        .build()
        .expect("client");
    assert_eq!(udm.max_concurrent_requests(), Some(4));
    let kelvin = Kelvin::builder("http://127.0.0.1:1")
        .credentials("a", "b")
        .build()
        .expect("session");
    assert_eq!(
        kelvin.max_concurrent_requests(),
        None,
        "Kelvin: no cap by default"
    );
    let capped = Kelvin::builder("http://127.0.0.1:1")
        .credentials("a", "b")
        .max_concurrent_requests(0)
        .build()
        .expect("session");
    assert_eq!(capped.max_concurrent_requests(), Some(1), "at least one");
}

#[tokio::test]
async fn the_kelvin_login_does_not_wait_for_a_permit_its_caller_holds() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .max_concurrent_requests(1)
        .build()
        .expect("session");
    let calls = (0..4).map(|_| {
        let roles = kelvin.roles();
        async move { roles.list().await }
    });
    let results = tokio::time::timeout(Duration::from_secs(20), futures::future::join_all(calls))
        .await
        .expect("no deadlock");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(kelvin.logins(), 1);
}

async fn object_route() -> Json<Value> {
    Json(user_json())
}

/// Three gets one after the other; the connections the server accepted.
async fn connections_for(
    pause: Duration,
    configure: impl FnOnce(ucs::udm::UdmBuilder) -> ucs::udm::UdmBuilder,
) -> usize {
    let server =
        serve(Router::new().route("/univention/udm/users/user/{dn}", get(object_route))).await;
    let udm = configure(
        Udm::builder(format!("{}/univention/udm", server.url)).credentials("Administrator", "pw"),
    )
    .build()
    .expect("client");
    for _ in 0..3 {
        udm.users().get(&demo_dn()).await.expect("get");
        tokio::time::sleep(pause).await;
    }
    server.connections()
}

#[tokio::test]
async fn pool_settings_decide_whether_connections_are_reused() {
    let pause = Duration::from_millis(150);
    assert_eq!(connections_for(pause, |b| b).await, 1, "reused by default");
    assert_eq!(
        connections_for(pause, |b| b.pool_max_idle_per_host(0)).await,
        3,
        "no idle connections kept"
    );
    assert_eq!(
        connections_for(pause, |b| b
            .pool_idle_timeout(Some(Duration::from_millis(20))))
        .await,
        3,
        "idle connections closed after 20 ms"
    );
}

/// What a forward proxy saw: the request target (absolute for a proxy) and
/// the `Proxy-Authorization` header.
#[derive(Clone, Default)]
struct ProxyLog(Arc<Mutex<Vec<ProxiedRequest>>>);

/// The request target and the `Proxy-Authorization` header.
type ProxiedRequest = (String, Option<String>);

async fn proxy_answer(
    State(log): State<ProxyLog>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Json<Value> {
    let auth = headers
        .get("proxy-authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    log.0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((uri.to_string(), auth));
    Json(user_json())
}

#[tokio::test]
async fn an_explicit_proxy_gets_every_request_unless_the_host_is_excluded() {
    let log = ProxyLog::default();
    let proxy = serve(Router::new().fallback(proxy_answer).with_state(log.clone())).await;
    let target =
        serve(Router::new().route("/univention/udm/users/user/{dn}", get(object_route))).await;
    let api = format!("{}/univention/udm", target.url);

    let (captured, _guard) = logs::capture();
    let builder = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .proxy(&proxy.url)
        .expect("proxy")
        .proxy_credentials("squid-user", "Proxy-Secret-9");
    assert!(!format!("{builder:?}").contains("Proxy-Secret-9"));
    let udm = builder.build().expect("client");
    udm.users().get(&demo_dn()).await.expect("get via proxy");
    {
        let seen = log.0.lock().unwrap_or_else(|p| p.into_inner());
        assert_eq!(seen.len(), 1, "{seen:?}");
        let (uri, auth) = &seen[0];
        assert!(
            uri.starts_with(&format!("{}/univention/udm/users/user/", target.url)),
            "absolute-form target: {uri}"
        );
        use base64::Engine;
        let expected =
            base64::engine::general_purpose::STANDARD.encode("squid-user:Proxy-Secret-9");
        assert_eq!(auth.as_deref(), Some(format!("Basic {expected}").as_str()));
    }
    assert_eq!(
        target.connections(),
        0,
        "nothing went to the server directly"
    );
    let text = captured.text();
    assert!(text.contains("ucs.request"), "the capture works: {text}");
    assert!(!text.contains("Proxy-Secret-9"), "{text}");

    let bypassing = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .proxy(&proxy.url)
        .expect("proxy")
        .no_proxy_for("127.0.0.1")
        .build()
        .expect("client");
    bypassing.users().get(&demo_dn()).await.expect("direct get");
    let direct = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .proxy(&proxy.url)
        .expect("proxy")
        .no_proxy()
        .build()
        .expect("client");
    direct.users().get(&demo_dn()).await.expect("direct get");
    assert_eq!(log.0.lock().unwrap_or_else(|p| p.into_inner()).len(), 1);
    assert_eq!(target.connections(), 2);

    let error = Udm::builder(&api)
        .proxy("http://u:Pw-In-Url@proxy:3128")
        .unwrap_err();
    assert!(error.to_string().contains(".proxy_credentials"), "{error}");
    assert!(!error.to_string().contains("Pw-In-Url"), "{error}");
    let error = Udm::builder(&api)
        .credentials("a", "b")
        .no_proxy_for("localhost")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("need a proxy"), "{error}");
}

async fn hello() -> Json<Value> {
    Json(user_json())
}

#[tokio::test]
async fn client_certificates_are_presented_to_servers_that_want_them() {
    let pki = Pki::new();
    let (url, peers) = pki
        .serve_mutual_tls(Router::new().route("/univention/udm/users/user/{dn}", get(hello)))
        .await;
    let api = format!("{url}/univention/udm");

    let without = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .ca_pem(pki.ca_pem.clone())
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    match without.users().get(&demo_dn()).await {
        Err(Error::Transport { message, .. }) => {
            assert!(message.contains(".client_identity_file"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(peers.lock().unwrap_or_else(|p| p.into_inner()).is_empty());

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("client.pem");
    std::fs::write(&file, &pki.client_identity_pem).expect("write");
    let builder = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .ca_pem(pki.ca_pem.clone())
        .client_identity_file(&file)
        .expect("identity file");
    let key_body = pki
        .client_key_pem
        .lines()
        .nth(1)
        .expect("key line")
        .to_string();
    assert!(
        !format!("{builder:?}").contains(&key_body),
        "the key stays out of Debug"
    );
    let with = builder.build().expect("client");
    let user = with
        .users()
        .get(&demo_dn())
        .await
        .expect("get with a client certificate");
    assert_eq!(user.get_str("username"), Some("demo"));
    let presented = peers.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert_eq!(presented, vec![pki.client_der.clone()]);

    let from_pem = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .ca_pem(pki.ca_pem.clone())
        .client_identity_pem(pki.client_identity_pem.as_bytes())
        .build()
        .expect("client");
    from_pem.users().get(&demo_dn()).await.expect("get");

    let only_key = Udm::builder(&api)
        .credentials("Administrator", "pw")
        .client_identity_pem(pki.client_key_pem.as_bytes())
        .build()
        .unwrap_err();
    let text = only_key.to_string();
    assert!(text.contains("invalid client certificate PEM"), "{text}");
    assert!(!text.contains(&key_body), "{text}");
    assert!(matches!(
        Udm::builder(&api).client_identity_file(dir.path().join("missing.pem")),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn a_server_certificate_from_an_unknown_ca_says_where_ucs_keeps_its_ca() {
    let sim = Sim::builder().tls(true).spawn().await.expect("emulator");
    let other = Sim::builder().tls(true).spawn().await.expect("emulator");
    let (user, password) = sim.admin();
    let wrong_ca = other.ca_pem().expect("CA");
    for udm_or_kelvin in ["udm", "kelvin"] {
        let error = if udm_or_kelvin == "udm" {
            Udm::builder(sim.udm_url())
                .credentials(&user, &password)
                .ca_pem(wrong_ca.clone())
                .build()
                .expect("client")
                .users()
                .get(&demo_dn())
                .await
                .unwrap_err()
        } else {
            Kelvin::builder(sim.base_url())
                .credentials(&user, &password)
                .ca_pem(wrong_ca.clone())
                .retry(RetryPolicy::none())
                .build()
                .expect("session")
                .roles()
                .list()
                .await
                .unwrap_err()
        };
        let Error::Transport { message, .. } = &error else {
            panic!("{udm_or_kelvin}: {error:?}");
        };
        for needle in [
            "not signed by a CA this client trusts",
            ".ca_file(path)",
            "UCS_CA_FILE",
            "/etc/univention/ssl/ucsCA/CAcert.pem",
            &format!("{}/ucs-root-ca.crt", sim.base_url()),
        ] {
            assert!(
                message.contains(needle),
                "{udm_or_kelvin}: {needle} in {message}"
            );
        }
    }
    let right = Udm::builder(sim.udm_url())
        .credentials(&user, &password)
        .ca_pem(sim.ca_pem().expect("CA"))
        .build()
        .expect("client");
    assert!(!right
        .users()
        .search()
        .all()
        .await
        .expect("search")
        .is_empty());
}
