//! Garbage answers through the public API: a raw server answers every facade
//! call (Kelvin login and resources, UDM objects, searches, writes, moves,
//! the module list) with random statuses and random or random-JSON bodies.
//! Whatever arrives, the call returns (`Ok` or `Err`); nothing panics, and no
//! error text carries a credential.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use ucs::kelvin::{Kelvin, NewUser, UserFilter, UserPatch};
use ucs::udm::{Dn, Object, Udm};
use ucs::RetryPolicy;
use ucs_tests::{RawReply, RawServer};

const PASSWORD: &str = "Garbage-Pw-77";

#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    body: Vec<u8>,
    location: Option<String>,
    token_garbage: Option<Vec<u8>>,
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        Just(b"{}".to_vec()),
        Just(b"[]".to_vec()),
        Just(
            br#"{"_embedded":{"udm:object":[{"dn":"uid=a,dc=x"}]},"_links":{"next":{}}}"#.to_vec()
        ),
        Just(br#"{"dn":"uid=a,dc=x","properties":{"x":1},"position":"dc=x"}"#.to_vec()),
        Just(br#"{"dn":"not a dn"}"#.to_vec()),
        Just(br#"{"detail":[{"loc":[1,{"x":2}],"msg":null}]}"#.to_vec()),
        Just(
            br#"{"error":{"error":{"a":["b"]}},"_embedded":{"udm:error":[{"location":5}]}}"#
                .to_vec()
        ),
        Just(br#"{"finished":true,"errors":true,"traceback":"x"}"#.to_vec()),
        "\\PC{0,200}".prop_map(String::into_bytes),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    (
        prop::sample::select(vec![
            200u16, 201, 202, 204, 301, 303, 307, 400, 401, 404, 409, 412, 422, 500, 503,
        ]),
        body(),
        prop::option::of(prop::sample::select(vec![
            "/univention/udm/users/user/uid%3Db%2Cdc%3Dx".to_string(),
            "/univention/udm/progress/1".to_string(),
            "http://other.invalid/x".to_string(),
            "::bad".to_string(),
        ])),
        prop::option::weighted(0.25, body()),
    )
        .prop_map(|(status, body, location, token_garbage)| Answer {
            status,
            body,
            location,
            token_garbage,
        })
}

fn reply(answer: &Answer, token: bool) -> RawReply {
    if token {
        return match &answer.token_garbage {
            Some(body) => RawReply::Full {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.clone(),
            },
            None => RawReply::json(200, r#"{"access_token":"tok","token_type":"bearer"}"#),
        };
    }
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("retry-after".to_string(), "0".to_string()),
    ];
    if let Some(location) = &answer.location {
        headers.push(("location".into(), location.clone()));
    }
    RawReply::Full {
        status: answer.status,
        headers,
        body: answer.body.clone(),
    }
}

async fn exercise(kelvin: &Kelvin, udm: &Udm) -> Vec<String> {
    let dn: Dn = "uid=a,cn=users,dc=example,dc=com".parse().expect("dn");
    let mut errors = Vec::new();
    let mut note = |r: Result<(), ucs::Error>| {
        if let Err(e) = r {
            errors.push(format!("{e} {e:?}"));
        }
    };
    let users = kelvin.users();
    note(users.get("a").await.map(drop));
    note(users.search(&UserFilter::new().school("S")).await.map(drop));
    note(
        users
            .create(
                NewUser::staff("A", "B")
                    .name("a")
                    .school("S")
                    .record_uid("1")
                    .source_uid("s"),
            )
            .await
            .map(drop),
    );
    note(
        users
            .patch("a", &UserPatch::new().firstname("x"))
            .await
            .map(drop),
    );
    note(kelvin.schools().exists("S").await.map(drop));
    note(kelvin.classes().search("S", None).await.map(drop));
    note(kelvin.roles().list().await.map(drop));
    let module = udm.users().move_timeout(Duration::from_millis(200));
    note(module.get(&dn).await.map(drop));
    note(
        module
            .search()
            .page_size(2)
            .max_pages(3)
            .all()
            .await
            .map(drop),
    );
    let mut object = Object::new("users/user");
    object
        .set("username", "a")
        .set_position("cn=users,dc=example,dc=com".parse().expect("dn"));
    note(module.create(&object).await.map(drop));
    if let Ok(mut read) = module.get(&dn).await {
        read.set("description", "x");
        note(module.patch(&read).await.map(drop));
        note(
            module
                .move_to(&read, &"dc=example,dc=com".parse().expect("dn"))
                .await
                .map(drop),
        );
    }
    note(udm.modules().await.map(drop));
    errors
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn garbage_answers_never_panic_and_never_leak(answer in answer()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let current = Arc::new(Mutex::new(answer));
            let shared = current.clone();
            let server = RawServer::start(move |r| {
                let answer = shared.lock().expect("answer").clone();
                reply(&answer, r.target == "/ucsschool/kelvin/token")
            })
            .await;
            let retry = RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2));
            let kelvin = Kelvin::builder(&server.url)
                .credentials("admin", PASSWORD)
                .retry(retry.clone())
                .timeout(Duration::from_secs(5))
                .build()
                .expect("session");
            let udm = Udm::builder(format!("{}/univention/udm", server.url))
                .credentials("admin", PASSWORD)
                .retry(retry)
                .timeout(Duration::from_secs(5))
                .build()
                .expect("client");
            for text in exercise(&kelvin, &udm).await {
                prop_assert!(!text.contains(PASSWORD), "{}", text);
            }
            Ok(())
        })?;
    }
}
