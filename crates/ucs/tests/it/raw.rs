//! The raw escape hatch against ucs-sim: generated clients with the
//! session's credentials, request ids, language, retries and error decoding.

use futures::TryStreamExt;
use serde_json::Value;
use ucs::kelvin::Kelvin;
use ucs::raw::{kelvin_raw, udm_raw};
use ucs::udm::{Filter, Udm};
use ucs::{Error, RetryPolicy};
use ucs_sim::{Faults, Sim, SimHandle};

fn kelvin(sim: &SimHandle) -> Kelvin {
    let (user, password) = sim.admin();
    Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .retry(
            RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(5))
                .max_backoff(std::time::Duration::from_millis(20)),
        )
        .build()
        .expect("session")
}

fn udm(sim: &SimHandle) -> Udm {
    let (user, password) = sim.admin();
    Udm::builder(sim.udm_url())
        .credentials(user, password)
        .build()
        .expect("client")
}

#[tokio::test]
async fn kelvin_raw_calls_carry_the_token_request_id_and_language() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let k = kelvin(&sim);
    let roles =
        k.with_request_id("raw-call-1")
            .with_language("de-DE")
            .raw(|c: kelvin_raw::v1::Client| async move {
                c.search_ucsschool_kelvin_v1_roles_get().await
            })
            .idempotent()
            .await
            .expect("roles");
    let mut names: Vec<String> = roles.iter().map(|r| r.name.to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "legal_guardian",
            "school_admin",
            "staff",
            "student",
            "teacher"
        ]
    );
    let request = sim
        .requests()
        .into_iter()
        .find(|r| r.path_and_query == "/ucsschool/kelvin/v1/roles/")
        .expect("roles request");
    assert!(request.authorization);
    assert_eq!(request.status, 200);
    assert_eq!(request.request_id.as_deref(), Some("raw-call-1"));
    assert_eq!(request.accept_language.as_deref(), Some("de-DE"));

    let answer = k
        .raw(|c: kelvin_raw::v2::Client| async move {
            c.get_ucsschool_kelvin_v2_roles_role_name_get("teacher")
                .await
        })
        .response()
        .await
        .expect("v2 role");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.as_ref().name.to_string(), "teacher");
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.path_and_query == "/ucsschool/kelvin/v2/roles/teacher"));

    let changelog = k
        .raw(|c: kelvin_raw::v1::Client| async move {
            c.get_history_ucsschool_kelvin_v1_changelog_get().await
        })
        .await
        .expect("changelog");
    let bytes: Vec<u8> = changelog
        .into_inner()
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .expect("body");
    assert!(String::from_utf8_lossy(&bytes).contains("Changelog"));
    assert_eq!(k.logins(), 1);
}

#[tokio::test]
async fn raw_calls_log_in_again_after_a_401_and_are_retried_only_when_marked_idempotent() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let k = kelvin(&sim);
    let list = || {
        k.raw(|c: kelvin_raw::v1::Client| async move { c.search_ucsschool_kelvin_v1_roles_get().await })
    };
    list().await.expect("roles");
    sim.expire_tokens();
    list().await.expect("roles after the token expired");
    assert_eq!(k.logins(), 2);

    sim.set_faults(Faults {
        fail_nth: vec![(1, 502)],
        ..Faults::default()
    });
    match list().await {
        Err(Error::Server(api)) => {
            assert_eq!(api.status, 502);
            assert_eq!(api.context.method, "RAW");
            assert_eq!(
                api.context.url,
                format!("{}/ucsschool/kelvin", sim.base_url())
            );
        }
        other => panic!("a 502 may follow processing; not repeated: {other:?}"),
    }
    sim.set_faults(Faults {
        fail_nth: vec![(1, 502)],
        ..Faults::default()
    });
    let before = sim.request_count();
    list().idempotent().await.expect("repeated after a 502");
    assert_eq!(sim.request_count() - before, 2);
    sim.set_faults(Faults {
        fail_nth: vec![(1, 503)],
        ..Faults::default()
    });
    list()
        .await
        .expect("503 means not processed: repeated even so");

    let missing = k
        .raw(|c: kelvin_raw::v1::Client| async move {
            c.get_ucsschool_kelvin_v1_users_username_get("nobody.here")
                .await
        })
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
}

#[tokio::test]
async fn udm_raw_calls_use_the_dispatching_and_the_family_clients() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let u = udm(&sim);
    let admin = u
        .users()
        .search()
        .filter(Filter::eq("username", "Administrator"))
        .all()
        .await
        .expect("search")
        .pop()
        .expect("Administrator");
    let admin = u.users().get(admin.dn().expect("dn")).await.expect("get");
    let dn = admin.dn().expect("dn").to_string();
    let dn = dn.as_str();
    assert!(admin.etag().is_some());

    let answer = u
        .raw(|c: udm_raw::Client| async move { c.get("users/user", dn, None).await })
        .idempotent()
        .response()
        .await
        .expect("get");
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers().get("etag").and_then(|v| v.to_str().ok()),
        admin.etag(),
        "the answer's headers come along"
    );
    let object: &udm_raw::Object = answer.as_ref();
    assert_eq!(object.get("dn").and_then(Value::as_str), Some(dn));

    let list = u
        .raw(|c: udm_raw::users::Client| async move {
            c.udm_users_user_object_search(
                None,
                None,
                Some("uid=Administrator"),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            )
            .await
        })
        .idempotent()
        .await
        .expect("family search");
    let hits = list
        .get("_embedded")
        .and_then(|e| e.get("udm:object"))
        .and_then(Value::as_array)
        .expect("hits");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]
            .pointer("/properties/username")
            .and_then(Value::as_str),
        Some("Administrator")
    );
    let search = sim
        .requests()
        .into_iter()
        .find(|r| {
            r.path_and_query
                .starts_with("/univention/udm/users/user/?filter=")
        })
        .expect("search request");
    assert!(search.authorization);
    assert!(search
        .request_id
        .as_deref()
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()));

    let missing = u
        .raw(|c: udm_raw::Client| async move {
            c.get("users/user", "uid=nobody,cn=users,dc=nowhere,dc=test", None)
                .await
        })
        .await
        .unwrap_err();
    match missing {
        Error::NotFound(api) => {
            assert_eq!(api.status, 404);
            assert_eq!(api.context.url, sim.udm_url());
        }
        other => panic!("{other:?}"),
    }
}
