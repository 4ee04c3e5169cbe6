//! The facade against hostile or broken servers: raw HTTP servers on loopback
//! that redirect credentials to other origins, echo the `Authorization`
//! header, send huge or endless bodies, never stop paging, strip ETags or
//! lose answers. Each test reproduces one defect the hardening issue found.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use ucs::kelvin::{Kelvin, NewUser, NewWorkGroup};
use ucs::udm::{Dn, Udm};
use ucs::{Error, RetryPolicy};
use ucs_tests::{RawReply, RawRequest, RawServer};

const PASSWORD: &str = "Hostile-Test-Pw1";
const TOKEN: &str = "opaque-token-value-7x";

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn kelvin(url: &str) -> Kelvin {
    Kelvin::builder(url)
        .credentials("admin", PASSWORD)
        .retry(quick_retries())
        .build()
        .expect("session")
}

fn udm(url: &str) -> Udm {
    Udm::builder(format!("{url}/univention/udm"))
        .credentials("admin", PASSWORD)
        .retry(quick_retries())
        .build()
        .expect("client")
}

fn token_answer() -> RawReply {
    RawReply::json(
        200,
        format!(r#"{{"access_token":"{TOKEN}","token_type":"bearer"}}"#),
    )
}

fn is_token(r: &RawRequest) -> bool {
    r.method == "POST" && r.target == "/ucsschool/kelvin/token"
}

const USER_DN: &str = "uid=jdoe,cn=users,dc=example,dc=com";

/// A UDM object document as the server sends one.
fn udm_user_json(description: &str) -> String {
    serde_json::json!({
        "dn": USER_DN,
        "objectType": "users/user",
        "position": "cn=users,dc=example,dc=com",
        "properties": {"username": "jdoe", "lastname": "Doe", "description": description},
        "options": {},
        "policies": {},
    })
    .to_string()
}

/// Every secret form of the credentials a leak could take.
fn leaked(text: &str) -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin:{PASSWORD}"));
    [PASSWORD.to_string(), basic, TOKEN.to_string()]
        .into_iter()
        .filter(|s| text.contains(s.as_str()))
        .collect()
}

/// 1. The Kelvin token POST is never redirected: a 307 to another origin
/// does not re-post the password form there.
#[tokio::test]
async fn the_token_post_follows_no_redirect() {
    let other = RawServer::start(|_| token_answer()).await;
    let location = format!("{}/ucsschool/kelvin/token", other.url);
    let server =
        RawServer::start(move |_| RawReply::empty(307, &[("location", location.as_str())])).await;
    let error = kelvin(&server.url)
        .schools()
        .search(None)
        .await
        .expect_err("no token");
    assert_eq!(error.status(), Some(307), "{error}");
    assert!(
        error.to_string().contains("not followed"),
        "the error says why: {error}"
    );
    assert!(other.requests().is_empty(), "the other origin got nothing");
    assert!(leaked(&format!("{error} {error:?}")).is_empty());
}

/// 2. A UDM move's progress `Location` on another origin receives no
/// credentials.
#[tokio::test]
async fn move_progress_on_another_origin_gets_no_credentials() {
    let other = RawServer::start(|_| RawReply::empty(303, &[])).await;
    let progress = format!("{}/univention/udm/progress/1", other.url);
    let server = RawServer::start(move |r| match r.method.as_str() {
        "GET" => RawReply::json_with(200, &[("etag", "\"e1\"")], udm_user_json("x")),
        _ => RawReply::empty(202, &[("location", progress.as_str())]),
    })
    .await;
    let udm = udm(&server.url);
    let user = udm
        .users()
        .get(&USER_DN.parse().expect("dn"))
        .await
        .expect("get");
    let target: Dn = "ou=school,dc=example,dc=com".parse().expect("dn");
    let error = udm
        .users()
        .move_to(&user, &target)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("another origin"), "{error}");
    assert!(other.requests().is_empty(), "no request, no credentials");
}

/// 3. A server or proxy that echoes the `Authorization` header puts no
/// credential into an error's `Display` or `Debug`.
#[tokio::test]
async fn echoed_authorization_headers_are_redacted() {
    let echo = |r: &RawRequest| {
        let auth = r.header("authorization").unwrap_or_default().to_string();
        RawReply::json(
            400,
            serde_json::json!({"error": {"code": 400, "title": "", "message": format!("bad header {auth}"),
                "error": {"x": format!("got {auth}")}}})
            .to_string(),
        )
    };
    let udm_server = RawServer::start(echo).await;
    let error = udm(&udm_server.url)
        .users()
        .get(&USER_DN.parse().expect("dn"))
        .await
        .expect_err("400");
    let text = format!("{error} {error:?}");
    assert!(text.contains("bad header"), "the message is kept: {text}");
    assert_eq!(leaked(&text), Vec::<String>::new(), "{text}");

    let kelvin_server = RawServer::start(move |r| {
        if is_token(r) {
            token_answer()
        } else {
            let auth = r.header("authorization").unwrap_or_default();
            RawReply::json(422, format!(r#"{{"detail":"you sent {auth}"}}"#))
        }
    })
    .await;
    let error = kelvin(&kelvin_server.url)
        .users()
        .get("jdoe")
        .await
        .expect_err("422");
    let text = format!("{error} {error:?}");
    assert!(text.contains("you sent Bearer [REDACTED]"), "{text}");
    assert_eq!(leaked(&text), Vec::<String>::new(), "{text}");
}

/// 4. A URL with user info is refused, without repeating the password.
#[test]
fn urls_with_credentials_are_refused() {
    let url = format!("https://admin:{PASSWORD}@ucs.example.com");
    let kelvin = Kelvin::builder(&url).credentials("admin", "x").build();
    let udm = Udm::builder(&url).credentials("admin", "x").build();
    for result in [kelvin.map(|_| ()), udm.map(|_| ())] {
        let error = result.expect_err("refused");
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(
            error.to_string().contains("contains credentials"),
            "{error}"
        );
        assert!(leaked(&format!("{error} {error:?}")).is_empty());
    }
}

/// A raw Kelvin server that answers logins with `token` and every other
/// request with an empty list of schools.
async fn kelvin_with_token(token: String) -> RawServer {
    RawServer::start(move |r| {
        if is_token(r) {
            RawReply::json(200, token.clone())
        } else {
            RawReply::json(200, "[]")
        }
    })
    .await
}

fn jwt(claims: &str) -> String {
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        enc.encode(r#"{"alg":"HS256"}"#),
        enc.encode(claims)
    )
}

/// 5. Absurd token lifetimes (`expires_in` = 2^64 - 1, `exp` = 1e300 or
/// 1e19) panicked; now they are clamped and the session works.
#[tokio::test]
async fn absurd_token_lifetimes_do_not_panic() {
    let answers = [
        format!(r#"{{"access_token":"{TOKEN}","expires_in":18446744073709551615}}"#),
        format!(r#"{{"access_token":"{}"}}"#, jwt(r#"{"exp":1e300}"#)),
        format!(
            r#"{{"access_token":"{}"}}"#,
            jwt(r#"{"exp":10000000000000000000}"#)
        ),
    ];
    for answer in answers {
        let server = kelvin_with_token(answer.clone()).await;
        let kelvin = kelvin(&server.url);
        for _ in 0..2 {
            let schools = kelvin.schools().search(None).await.expect("schools");
            assert!(schools.is_empty(), "{answer}");
        }
        assert_eq!(kelvin.logins(), 1, "one login serves both calls: {answer}");
    }
}

/// 6. Success bodies are bounded: a 100 MB answer and an endless one end in
/// `Error::TooLarge` after one attempt, instead of filling memory (under the
/// default retries, an endless body was read 5 times over).
#[tokio::test]
async fn huge_and_endless_bodies_are_cut_off_and_not_retried() {
    let big = RawServer::start(|_| RawReply::Sized {
        length: 100 << 20,
        chunk: vec![b' '; 64 * 1024],
    })
    .await;
    let error = udm(&big.url)
        .users()
        .get(&USER_DN.parse().expect("dn"))
        .await
        .expect_err("too large");
    assert!(
        matches!(error, Error::TooLarge { limit, .. } if limit == 64 << 20),
        "{error:?}"
    );
    assert_eq!(big.requests().len(), 1, "not retried");

    let endless = RawServer::start(|_| RawReply::Endless {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        chunk: b"[{\"name\":\"x\"},".repeat(1000),
    })
    .await;
    let small = Udm::builder(format!("{}/univention/udm", endless.url))
        .credentials("admin", PASSWORD)
        .max_body(1 << 20)
        .build()
        .expect("client");
    let error = small
        .users()
        .get(&USER_DN.parse().expect("dn"))
        .await
        .expect_err("endless");
    assert!(
        matches!(error, Error::TooLarge { limit, .. } if limit == 1 << 20),
        "{error:?}"
    );
    assert_eq!(endless.requests().len(), 1, "not retried");
}

/// A UDM search page with one object and a `next` link.
fn page(n: usize) -> String {
    serde_json::json!({
        "_embedded": {"udm:object": [{"dn": format!("uid=u{n},dc=example,dc=com"), "properties": {}}]},
        "_links": {"next": {"href": "http://x/next"}},
        "results": 1,
    })
    .to_string()
}

/// 7. A server that always sends `next` does not keep the client paging
/// forever: a repeated page stops it, and so does the page limit.
#[tokio::test]
async fn endless_paging_ends_with_an_error() {
    let same = RawServer::start(|_| RawReply::json(200, page(1))).await;
    let error = udm(&same.url)
        .users()
        .search()
        .page_size(1)
        .all()
        .await
        .expect_err("repeated page");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(
        error.to_string().contains("repeats the objects of page 1"),
        "{error}"
    );
    assert_eq!(same.requests().len(), 2);

    let counter = Arc::new(AtomicUsize::new(0));
    let count = counter.clone();
    let fresh =
        RawServer::start(move |_| RawReply::json(200, page(count.fetch_add(1, Ordering::SeqCst))))
            .await;
    let error = udm(&fresh.url)
        .users()
        .search()
        .page_size(1)
        .max_pages(5)
        .all()
        .await
        .expect_err("too many pages");
    assert!(
        error.to_string().contains("still more after 5 pages"),
        "{error}"
    );
    assert_eq!(fresh.requests().len(), 5);
}

/// 9. Kelvin names `.` and `..` would become dot-segments: refused before
/// anything is sent.
#[tokio::test]
async fn dot_names_are_refused_before_sending() {
    let server = RawServer::start(|r| {
        if is_token(r) {
            token_answer()
        } else {
            RawReply::json(200, "{}")
        }
    })
    .await;
    let kelvin = kelvin(&server.url);
    for name in [".", ".."] {
        let error = kelvin.users().get(name).await.expect_err("refused");
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        let error = kelvin
            .classes()
            .get("DEMOSCHOOL", name)
            .await
            .expect_err("refused");
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    }
    assert!(
        server.requests().is_empty(),
        "nothing was sent, not even a login"
    );
}

/// A Kelvin user document of the emulator, as JSON text (to serve from a raw
/// server).
async fn kelvin_user_json(name: &str, record_uid: &str) -> String {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(user.clone(), password.clone())
        .build()
        .expect("session");
    kelvin
        .users()
        .create(
            NewUser::student("Jane", "Doe")
                .name(name)
                .school("DEMOSCHOOL")
                .class("1a")
                .record_uid(record_uid)
                .source_uid("sis"),
        )
        .await
        .expect("create");
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(format!("{}/ucsschool/kelvin/token", sim.base_url()))
        .form(&[("username", user.as_str()), ("password", password.as_str())])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    http.get(format!(
        "{}/ucsschool/kelvin/v1/users/{name}",
        sim.base_url()
    ))
    .bearer_auth(token["access_token"].as_str().expect("token"))
    .send()
    .await
    .expect("user")
    .text()
    .await
    .expect("text")
}

/// A raw Kelvin server whose user create loses its answer (the connection
/// closes) and whose lookup finds `found`.
async fn lossy_kelvin(found: String) -> RawServer {
    RawServer::start(move |r| {
        if is_token(r) {
            token_answer()
        } else if r.method == "POST" {
            RawReply::Hangup
        } else {
            RawReply::json(200, found.clone())
        }
    })
    .await
}

fn jdoe(record_uid: &str) -> NewUser {
    NewUser::student("Jane", "Doe")
        .name("jdoe")
        .school("DEMOSCHOOL")
        .class("1a")
        .record_uid(record_uid)
        .source_uid("sis")
}

/// 10. After a lost create answer, an existing account with the same name is
/// ours only if it has the `record_uid`, `source_uid` and every other field
/// the request set; someone else's account is reported, never returned.
#[tokio::test]
async fn a_lost_create_never_returns_someone_elses_account() {
    let someone_else = lossy_kelvin(kelvin_user_json("jdoe", "other-person").await).await;
    let error = kelvin(&someone_else.url)
        .users()
        .create(jdoe("4711"))
        .await
        .expect_err("not ours");
    assert!(error.maybe_applied(), "{error:?}");
    assert!(
        error.to_string().contains("differs in record_uid"),
        "{error}"
    );

    let ours = lossy_kelvin(kelvin_user_json("jdoe", "4711").await).await;
    let user = kelvin(&ours.url)
        .users()
        .create(jdoe("4711"))
        .await
        .expect("the lost create happened");
    assert_eq!(user.record_uid.as_deref(), Some("4711"));
    let posts = ours
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && !is_token(r))
        .count();
    assert_eq!(posts, 1, "the create was not sent twice");
}

/// 13. A write of an object read without ETag is refused by default; with a
/// `Last-Modified` it carries `If-Unmodified-Since`; `allow_blind_writes`
/// sends it without a precondition.
#[tokio::test]
async fn writes_without_an_etag_are_guarded_or_refused() {
    let no_tags = RawServer::start(|r| match r.method.as_str() {
        "GET" => RawReply::json(200, udm_user_json("before")),
        _ => RawReply::empty(204, &[]),
    })
    .await;
    let users = udm(&no_tags.url).users();
    let mut user = users.get(&USER_DN.parse().expect("dn")).await.expect("get");
    user.set("description", "after");
    let error = users.patch(&user).await.expect_err("refused");
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(error.to_string().contains("without an ETag"), "{error}");
    assert!(no_tags.requests().iter().all(|r| r.method == "GET"));
    users
        .clone()
        .allow_blind_writes()
        .patch(&user)
        .await
        .expect("blind write allowed");
    let patch = no_tags
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("sent");
    assert_eq!(patch.header("if-match"), None);

    let dated = RawServer::start(|r| match r.method.as_str() {
        "GET" => RawReply::json_with(
            200,
            &[("last-modified", "Tue, 01 Dec 2026 10:00:00 GMT")],
            udm_user_json("before"),
        ),
        _ => RawReply::empty(204, &[]),
    })
    .await;
    let users = udm(&dated.url).users();
    let mut user = users.get(&USER_DN.parse().expect("dn")).await.expect("get");
    user.set("description", "after");
    users.patch(&user).await.expect("patch");
    let patch = dated
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("sent");
    assert_eq!(
        patch.header("if-unmodified-since"),
        Some("Tue, 01 Dec 2026 10:00:00 GMT")
    );
    assert_eq!(patch.header("accept"), Some("application/json"));
}

/// 14. A Kelvin replace sends empty collections as given: `workgroups: {}`
/// means "in no workgroup", and an empty sender list clears it.
#[tokio::test]
async fn replace_sends_empty_collections() {
    let user = kelvin_user_json("jdoe", "4711").await;
    let server = RawServer::start(move |r| {
        if is_token(r) {
            token_answer()
        } else if r.target.contains("/workgroups/") {
            RawReply::json(422, r#"{"detail":"stop here"}"#)
        } else {
            RawReply::json(200, user.clone())
        }
    })
    .await;
    let kelvin = kelvin(&server.url);
    kelvin
        .users()
        .without_rule_checks()
        .replace("jdoe", jdoe("4711"))
        .await
        .expect("replace");
    let _ = kelvin
        .workgroups()
        .replace(
            "DEMOSCHOOL",
            "chess",
            NewWorkGroup::new("DEMOSCHOOL", "chess"),
        )
        .await;
    let puts: Vec<serde_json::Value> = server
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect();
    assert_eq!(puts.len(), 2);
    assert_eq!(puts[0]["workgroups"], serde_json::json!({}));
    assert_eq!(puts[0]["legal_guardians"], serde_json::json!([]));
    assert_eq!(
        puts[1]["allowed_email_senders_users"],
        serde_json::json!([])
    );
    assert_eq!(puts[1]["users"], serde_json::json!([]));
}

/// 17. A malformed DN in a successful create's answer is an undecodable
/// answer (the create happened), not "invalid input"; a move that does not
/// finish is a timeout.
#[tokio::test]
async fn server_side_outcomes_are_not_invalid_input() {
    let server = RawServer::start(|r| match (r.method.as_str(), r.target.as_str()) {
        ("POST", _) => RawReply::json(201, r#"{"dn":"not a dn","uuid":"u"}"#),
        ("GET", t) if t.contains("/progress/") => RawReply::json_with(
            301,
            &[
                ("location", "/univention/udm/progress/1"),
                ("retry-after", "1"),
            ],
            r#"{"finished":false,"errors":false}"#,
        ),
        ("GET", _) => RawReply::json_with(200, &[("etag", "\"e1\"")], udm_user_json("x")),
        _ => RawReply::empty(202, &[("location", "/univention/udm/progress/1")]),
    })
    .await;
    let udm = udm(&server.url);
    let mut new = ucs::udm::Object::new("users/user");
    new.set("username", "jdoe")
        .set_position("cn=users,dc=example,dc=com".parse().expect("dn"));
    let error = udm.users().create(&new).await.expect_err("bad DN");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.context().map(|c| c.method.as_str()), Some("POST"));

    let containers = udm.containers().move_timeout(Duration::from_millis(1500));
    let box_cn = containers
        .get(&USER_DN.parse().expect("dn"))
        .await
        .expect("get");
    let target: Dn = "ou=school,dc=example,dc=com".parse().expect("dn");
    let error = containers
        .move_to(&box_cn, &target)
        .await
        .expect_err("never finishes");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.maybe_applied());
}

async fn sim_udm() -> (ucs_sim::SimHandle, Udm) {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let udm = Udm::builder(sim.udm_url())
        .credentials(user, password)
        .retry(quick_retries())
        .build()
        .expect("client");
    (sim, udm)
}

async fn sim_user(udm: &Udm, name: &str) -> ucs::udm::Object {
    let users = udm.users();
    let mut u = users.template(None, None).await.expect("template");
    u.set("username", name)
        .set("lastname", "Doe")
        .set("description", "0")
        .set_password("Passw0rd-Secret!");
    users.create(&u).await.expect("create")
}

/// 11. `modify()` applied a change twice when a PATCH answer was lost (the
/// retry with the old `If-Match` got 412, the re-read re-applied it): a
/// counter went 0 -> 2. Now the re-read shows the write arrived.
#[tokio::test]
async fn a_lost_patch_answer_does_not_apply_the_change_twice() {
    let (sim, udm) = sim_udm().await;
    let dn = sim_user(&udm, "counter").await.dn().cloned().expect("dn");
    for round in 1..=5u64 {
        // the modify's GET is request 1 after setting the faults, its PATCH 2
        sim.set_faults(ucs_sim::Faults {
            drop_after_processing_nth: vec![2],
            ..Default::default()
        });
        let done = udm
            .users()
            .modify(&dn, |u| {
                let n: u64 = u.get_str("description").unwrap_or("0").parse().unwrap_or(0);
                u.set("description", (n + 1).to_string());
                Ok(())
            })
            .await
            .expect("modify");
        sim.set_faults(ucs_sim::Faults::default());
        assert_eq!(
            done.get_str("description"),
            Some(round.to_string().as_str())
        );
        let stored = udm.users().get(&dn).await.expect("get");
        assert_eq!(
            stored.get_str("description"),
            Some(round.to_string().as_str()),
            "applied exactly once in round {round}"
        );
    }
}

/// 12. A UDM create whose answer is lost (connection closed, or a gateway's
/// 502 after the backend created it) is confirmed at the DN its naming
/// property implies: one object, returned as created.
#[tokio::test]
async fn a_lost_udm_create_is_confirmed_not_repeated() {
    let (sim, udm) = sim_udm().await;
    let users = udm.users();
    for (name, faults) in [
        (
            "lost-answer",
            ucs_sim::Faults {
                drop_after_processing_nth: vec![1],
                ..Default::default()
            },
        ),
        (
            "gateway-502",
            ucs_sim::Faults {
                fail_after_processing_nth: vec![(1, 502)],
                ..Default::default()
            },
        ),
    ] {
        let mut u = users.template(None, None).await.expect("template");
        u.set("username", name)
            .set("lastname", "Doe")
            .set_password("Passw0rd-Secret!");
        assert_eq!(
            users.implied_dn(&u).map(|d| d.to_string()),
            Some(format!("uid={name},cn=users,dc=example,dc=com"))
        );
        sim.set_faults(faults);
        let created = users.create(&u).await.expect("confirmed");
        sim.set_faults(ucs_sim::Faults::default());
        assert_eq!(created.get_str("username"), Some(name));
        let found = users
            .search()
            .query("username", name)
            .all()
            .await
            .expect("search");
        assert_eq!(found.len(), 1, "{name}: exactly one object");
    }
    // the connection closed before the create was processed: nothing there,
    // the original error says so
    let mut u = users.template(None, None).await.expect("template");
    sim.set_faults(ucs_sim::Faults {
        fail_nth: vec![(1, 0)],
        ..Default::default()
    });
    u.set("username", "never-arrived").set("lastname", "Doe");
    let error = users.create(&u).await.expect_err("not created");
    sim.set_faults(ucs_sim::Faults::default());
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.to_string().contains("does not exist"), "{error}");
}

/// 16. `set_position()` followed by `patch()` silently did not move; now it
/// is an error that names `move_to`.
#[tokio::test]
async fn a_changed_position_is_refused_by_patch_and_replace() {
    let (_sim, udm) = sim_udm().await;
    let mut user = sim_user(&udm, "mover").await;
    user.set_position("cn=groups,dc=example,dc=com".parse().expect("dn"));
    for result in [
        udm.users().patch(&user).await,
        udm.users().replace(&user).await,
    ] {
        let error = result.expect_err("refused");
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(error.to_string().contains("Module::move_to"), "{error}");
    }
}
