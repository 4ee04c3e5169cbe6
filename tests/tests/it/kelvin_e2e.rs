//! End-to-end tests of the Kelvin facade against `ucs-sim` over real HTTP.

use std::collections::BTreeMap;
use std::time::Duration;

use ucs::kelvin::{
    ApiVersion, BulkOptions, GroupPatch, Kelvin, NewSchool, NewSchoolClass, NewUser, NewWorkGroup,
    UserFilter, UserPatch,
};
use ucs::roles::Role;
use ucs::{Error, RetryPolicy};
use ucs_sim::{Faults, Sim, SimHandle};

async fn sim() -> SimHandle {
    Sim::builder().spawn().await.expect("emulator starts")
}

fn kelvin(sim: &SimHandle) -> Kelvin {
    let (user, password) = sim.admin();
    Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(50)),
        )
        .build()
        .expect("session")
}

fn student(name: &str) -> NewUser {
    NewUser::student("Jürgen", "Müller")
        .name(name)
        .school("DEMOSCHOOL")
        .class("1a")
        .record_uid(format!("rec-{name}"))
        .source_uid("e2e")
        .password("Initial-Passw0rd!")
}

#[tokio::test]
async fn schools_roles_and_login() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let schools = k.schools().search(None).await.expect("schools");
    let names: Vec<_> = schools.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names.contains(&"DEMOSCHOOL") && names.contains(&"DEMOSCHOOL2"),
        "{names:?}"
    );
    let one = k.schools().get("DEMOSCHOOL").await.expect("school");
    assert_eq!(one.name, "DEMOSCHOOL");
    assert!(
        one.url.ends_with("/ucsschool/kelvin/v1/schools/DEMOSCHOOL"),
        "{}",
        one.url
    );
    assert!(k.schools().exists("DEMOSCHOOL").await.expect("head"));
    assert!(!k.schools().exists("NOSUCHSCHOOL").await.expect("head"));
    let heads = sim.requests().iter().filter(|r| r.method == "HEAD").count();
    assert_eq!(heads, 2, "exists uses HEAD");

    let roles = k.roles().list().await.expect("roles");
    let mut role_names: Vec<_> = roles.iter().map(|r| r.name.clone()).collect();
    role_names.sort();
    assert_eq!(
        role_names,
        [
            "legal_guardian",
            "school_admin",
            "staff",
            "student",
            "teacher"
        ]
    );
    assert_eq!(
        k.roles().get(Role::Teacher).await.expect("role").role(),
        Some(Role::Teacher)
    );
    assert_eq!(k.logins(), 1, "one login for all calls");

    let created = k
        .schools()
        .create(NewSchool::new("E2ESCHOOL").display_name("E2E school"))
        .await
        .expect("create school");
    assert_eq!(created.display_name.as_deref(), Some("E2E school"));
    assert!(k.schools().exists("E2ESCHOOL").await.expect("head"));
}

#[tokio::test]
async fn user_lifecycle_create_get_search_patch_rename_move_replace_delete() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let users = k.users();

    let user = users
        .create(student("e2e.student").email("e2e.student@example.com"))
        .await
        .expect("create");
    assert_eq!(user.name, "e2e.student");
    assert_eq!(user.school, "DEMOSCHOOL");
    assert_eq!(user.roles, vec![Role::Student]);
    assert_eq!(
        user.school_classes.get("DEMOSCHOOL"),
        Some(&vec!["1a".to_string()])
    );
    assert!(
        k.classes().exists("DEMOSCHOOL", "1a").await.expect("class"),
        "a class named in school_classes is created"
    );
    assert!(users.exists("e2e.student").await.expect("exists"));
    assert!(!users.exists("nobody.here").await.expect("exists"));

    let found = users
        .search(
            &UserFilter::new()
                .school("demoschool")
                .name("e2e.*")
                .lastname("MÜLLER")
                .role(Role::Student),
        )
        .await
        .expect("search");
    assert_eq!(
        found.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["e2e.student"]
    );
    let none = users
        .search(&UserFilter::new().name("e2e.*").role(Role::Teacher))
        .await
        .expect("search");
    assert!(none.is_empty());
    let both_roles = users
        .search(
            &UserFilter::new()
                .role(Role::Teacher)
                .role(Role::Student)
                .school("DEMOSCHOOL"),
        )
        .await
        .expect("search");
    assert!(
        both_roles.iter().any(|u| u.name == "demo_teacher")
            && both_roles.iter().any(|u| u.name == "e2e.student")
    );
    let queries: Vec<_> = sim
        .requests()
        .iter()
        .filter(|r| r.path_and_query.contains("roles="))
        .map(|r| r.path_and_query.clone())
        .collect();
    assert!(
        queries.iter().any(|q| q.matches("roles=").count() == 2),
        "repeated roles key: {queries:?}"
    );

    let patched = users
        .patch(
            "e2e.student",
            &UserPatch::new()
                .firstname("Karl")
                .email(None)
                .birthday(chrono::NaiveDate::from_ymd_opt(2012, 3, 4)),
        )
        .await
        .expect("patch");
    assert_eq!(patched.firstname, "Karl");
    assert_eq!(patched.lastname, "Müller", "untouched fields stay");
    assert_eq!(patched.email, None, "null cleared the e-mail");
    assert_eq!(
        patched.birthday,
        chrono::NaiveDate::from_ymd_opt(2012, 3, 4)
    );

    let renamed = users
        .rename("e2e.student", "e2e.renamed")
        .await
        .expect("rename");
    assert_eq!(renamed.name, "e2e.renamed");
    assert!(!users.exists("e2e.student").await.expect("exists"));

    let moved = users
        .patch(
            "e2e.renamed",
            &UserPatch::new()
                .school("DEMOSCHOOL2")
                .schools(["DEMOSCHOOL2"])
                .school_classes(BTreeMap::from([(
                    "DEMOSCHOOL2".to_string(),
                    vec!["2b".to_string()],
                )])),
        )
        .await
        .expect("move");
    assert_eq!(moved.school, "DEMOSCHOOL2");
    let school2: ucs::udm::Dn = "ou=DEMOSCHOOL2,dc=example,dc=com".parse().expect("dn");
    assert!(moved.dn.is_within(&school2), "{}", moved.dn);

    let mut full = NewUser::from(&moved);
    full.lastname = "Meier".into();
    full.email = None;
    let replaced = users.replace("e2e.renamed", full).await.expect("put");
    assert_eq!(replaced.lastname, "Meier");

    users.delete("e2e.renamed").await.expect("delete");
    let gone = users.get("e2e.renamed").await.expect_err("deleted");
    assert!(gone.is_not_found(), "{gone:?}");
}

#[tokio::test]
async fn classes_and_workgroups() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let class = k
        .classes()
        .create(
            NewSchoolClass::new("DEMOSCHOOL", "7c")
                .description("seventh")
                .user("demo_student"),
        )
        .await
        .expect("class");
    assert_eq!(class.school, "DEMOSCHOOL");
    assert_eq!(class.users, Some(vec!["demo_student".to_string()]));
    let listed = k
        .classes()
        .search("DEMOSCHOOL", Some("7*"))
        .await
        .expect("search");
    assert_eq!(
        listed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["7c"]
    );
    let patched = k
        .classes()
        .patch(
            "DEMOSCHOOL",
            "7c",
            &GroupPatch::new()
                .description(Some("changed"))
                .users(["demo_student", "demo_teacher"]),
        )
        .await
        .expect("patch");
    assert_eq!(patched.description.as_deref(), Some("changed"));
    assert_eq!(patched.users.as_ref().map(Vec::len), Some(2));
    let replaced = k
        .classes()
        .replace("DEMOSCHOOL", "7c", NewSchoolClass::new("DEMOSCHOOL", "7c"))
        .await
        .expect("put");
    assert_eq!(replaced.users, Some(Vec::new()));
    k.classes()
        .delete("DEMOSCHOOL", "7c")
        .await
        .expect("delete");
    assert!(!k
        .classes()
        .exists("DEMOSCHOOL", "7c")
        .await
        .expect("exists"));

    let wg = k
        .workgroups()
        .create(NewWorkGroup::new("DEMOSCHOOL", "chess").user("demo_student"))
        .await
        .expect("wg");
    assert_eq!(wg.name, "chess");
    let fetched = k
        .workgroups()
        .exclude_users()
        .get("DEMOSCHOOL", "chess")
        .await
        .expect("get");
    assert_eq!(fetched.name, "chess");
    assert_eq!(fetched.users, None, "members read this way are unknown");
    let refused = NewWorkGroup::try_from(&fetched).expect_err("unknown members");
    assert!(
        refused
            .to_string()
            .contains("members of \"chess\" are unknown"),
        "{refused}"
    );
    let full = k
        .workgroups()
        .get("DEMOSCHOOL", "chess")
        .await
        .expect("get");
    let again = NewWorkGroup::try_from(&full).expect("members known");
    assert_eq!(again.users, vec!["demo_student".to_string()]);
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.path_and_query.contains("exclude=users")));
    k.workgroups()
        .delete("DEMOSCHOOL", "chess")
        .await
        .expect("delete");
}

#[tokio::test]
async fn error_variants_carry_method_url_status_request_id_and_detail() {
    let sim = sim().await;
    let k = kelvin(&sim);

    let e = k.users().get("nobody").await.expect_err("404");
    let Error::NotFound(api) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.context.method, "GET");
    assert!(api
        .context
        .url
        .ends_with("/ucsschool/kelvin/v1/users/nobody"));
    assert!(api.context.request_id.is_some());
    assert!(!api.detail.is_empty());

    k.users().create(student("dup.user")).await.expect("first");
    let e = k
        .users()
        .create(student("dup.user"))
        .await
        .expect_err("409");
    assert!(matches!(&e, Error::Conflict(a) if a.status == 409), "{e:?}");

    // the server's own rule check (client checks skipped): 422 with detail
    let e = k
        .users()
        .without_rule_checks()
        .create(student("bad.roles").role(Role::LegalGuardian))
        .await
        .expect_err("422");
    let Error::InvalidRequest(api) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(api.status, 422);
    assert!(!api.detail.is_empty() || !api.fields.is_empty());

    // pydantic-style validation: 422 with a `detail` list, one field each
    let mut incomplete = student("no.ids");
    incomplete.record_uid = None;
    incomplete.source_uid = None;
    let e = k
        .users()
        .without_rule_checks()
        .create(incomplete)
        .await
        .expect_err("422 list");
    let Error::InvalidRequest(api) = &e else {
        panic!("{e:?}")
    };
    let fields: Vec<_> = api.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"body.record_uid") && fields.contains(&"body.source_uid"),
        "{fields:?}"
    );
    assert_eq!(e.field_errors().len(), api.fields.len());

    // the same mistake caught client-side: nothing is sent
    let before = sim.request_count();
    let e = k
        .users()
        .create(student("bad.roles").role(Role::LegalGuardian))
        .await
        .expect_err("rule");
    let Error::RuleViolation(violations) = &e else {
        panic!("{e:?}")
    };
    assert!(
        violations.iter().any(|v| v.field == "roles"),
        "{violations:?}"
    );
    assert_eq!(
        sim.request_count(),
        before,
        "no request for a rule violation"
    );

    // bad password: unauthorized, naming host and user but not the password
    let bad = Kelvin::builder(sim.base_url())
        .credentials("Administrator", "WrongPassw0rd")
        .build()
        .expect("session");
    let e = bad.schools().search(None).await.expect_err("401");
    let Error::Unauthorized(api) = &e else {
        panic!("{e:?}")
    };
    assert!(
        api.detail.contains("Administrator") && api.detail.contains(sim.base_url()),
        "{}",
        api.detail
    );
    assert!(!format!("{e} {e:?}").contains("WrongPassw0rd"));

    // the reader account may read but not write
    let reader = Kelvin::builder(sim.base_url())
        .credentials("kelvin-reader", "univention")
        .build()
        .expect("session");
    assert!(reader.schools().get("DEMOSCHOOL").await.is_ok());
    let e = reader
        .users()
        .create(student("by.reader"))
        .await
        .expect_err("reader write");
    assert!(matches!(e, Error::Unauthorized(_)), "{e:?}");

    // server error after the retry budget
    sim.set_faults(Faults {
        fail_nth: vec![(1, 500)],
        ..Default::default()
    });
    let e = k.schools().get("DEMOSCHOOL").await.expect_err("500");
    assert!(matches!(&e, Error::Server(a) if a.status == 500), "{e:?}");
    sim.set_faults(Faults::default());

    // transport error: nobody listens
    let dead = Kelvin::builder("http://127.0.0.1:9")
        .credentials("a", "b")
        .retry(RetryPolicy::none())
        .build()
        .expect("session");
    let e = dead.schools().search(None).await.expect_err("refused");
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
}

#[tokio::test]
async fn an_undecodable_success_answer_is_a_decode_error() {
    // a server that logs in fine but answers a user GET with garbage
    let app = axum::Router::new()
        .route(
            "/ucsschool/kelvin/token",
            axum::routing::post(|| async {
                axum::Json(serde_json::json!({"access_token": "t", "token_type": "bearer"}))
            }),
        )
        .route(
            "/ucsschool/kelvin/v1/users/{name}",
            axum::routing::get(|| async {
                ([("content-type", "application/json")], "{\"name\": 42}")
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let k = Kelvin::builder(format!("http://{addr}"))
        .credentials("a", "b")
        .build()
        .expect("session");
    let e = k.users().get("x").await.expect_err("garbage");
    let Error::Decode { context, message } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(context.method, "GET");
    assert!(context.url.ends_with("/users/x"));
    assert!(context.request_id.is_some(), "the request id is named");
    assert!(!message.is_empty());
}

#[tokio::test]
async fn token_expiry_in_the_middle_of_a_bulk_run_fails_no_item() {
    let sim = Sim::builder()
        .token_ttl(Duration::from_secs(1))
        .spawn()
        .await
        .expect("sim");
    let k = kelvin(&sim);
    let users: Vec<NewUser> = (0..120).map(|i| student(&format!("bulk{i:03}"))).collect();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = done.clone();
    let options = BulkOptions::new().concurrency(8).on_progress(move |p| {
        seen.store(p.done, std::sync::atomic::Ordering::SeqCst);
        assert!(p.done <= p.total);
    });
    let first_half = k.users().create_many(users[..60].to_vec(), &options).await;
    sim.expire_tokens();
    let second_half = k.users().create_many(users[60..].to_vec(), &options).await;
    let failed: Vec<_> = first_half
        .iter()
        .chain(&second_half)
        .filter_map(|r| r.as_ref().err())
        .collect();
    assert!(failed.is_empty(), "failed items: {failed:?}");
    assert_eq!(done.load(std::sync::atomic::Ordering::SeqCst), 60);
    assert!(
        k.logins() >= 2,
        "logged in again after expiry: {}",
        k.logins()
    );
    let stored = k
        .users()
        .search(&UserFilter::new().name("bulk*"))
        .await
        .expect("search");
    assert_eq!(stored.len(), 120);
}

#[tokio::test]
async fn a_401_triggers_exactly_one_new_login_and_the_call_succeeds() {
    let sim = sim().await;
    let k = kelvin(&sim);
    k.schools().get("DEMOSCHOOL").await.expect("first");
    assert_eq!(k.logins(), 1);
    sim.expire_tokens();
    k.schools().get("DEMOSCHOOL").await.expect("after expiry");
    assert_eq!(k.logins(), 2);
}

#[tokio::test]
async fn concurrent_calls_share_one_login() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let schools = k.schools();
    let calls = (0..16).map(|_| schools.get("DEMOSCHOOL"));
    for result in futures::future::join_all(calls).await {
        result.expect("get");
    }
    assert_eq!(k.logins(), 1, "single-flight token");
}

#[tokio::test]
async fn injected_faults_are_retried_without_failures_or_duplicate_creates() {
    let sim = sim().await;
    let k = kelvin(&sim);
    k.schools().get("DEMOSCHOOL").await.expect("login first");
    sim.set_faults(Faults {
        error_rate: 0.3,
        statuses: vec![429, 502, 503],
        retry_after: Some(0),
        seed: 7,
        ..Default::default()
    });
    for _ in 0..60 {
        k.schools()
            .get("DEMOSCHOOL")
            .await
            .expect("idempotent calls survive faults");
    }
    for i in 0..20 {
        k.users()
            .create(student(&format!("faulty{i:02}")))
            .await
            .expect("create survives faults");
    }
    sim.set_faults(Faults::default());
    let created = k
        .users()
        .search(&UserFilter::new().name("faulty*"))
        .await
        .expect("search");
    assert_eq!(created.len(), 20, "no duplicates, none missing");
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_not_sent_twice() {
    let sim = sim().await;
    let k = kelvin(&sim);
    k.schools().get("DEMOSCHOOL").await.expect("login first");
    let posts_before = sim.requests().iter().filter(|r| r.method == "POST").count();
    sim.set_faults(Faults {
        drop_after_processing_nth: vec![1],
        ..Default::default()
    });
    let user = k
        .users()
        .create(student("lost.answer"))
        .await
        .expect("create reports the stored user");
    sim.set_faults(Faults::default());
    assert_eq!(user.name, "lost.answer");
    let posts = sim.requests().iter().filter(|r| r.method == "POST").count() - posts_before;
    assert_eq!(posts, 1, "the POST was not repeated");
    assert_eq!(
        k.users()
            .search(&UserFilter::new().name("lost.answer"))
            .await
            .expect("search")
            .len(),
        1
    );
}

#[tokio::test]
async fn nasty_names_are_escaped_in_paths_and_decoded_from_urls() {
    let sim = sim().await;
    let k = kelvin(&sim);
    for name in ["a b", "ä-ö_ü", "x%y", "q?r", "h#t", "s/l"] {
        let created = k
            .classes()
            .create(NewSchoolClass::new("DEMOSCHOOL", name))
            .await;
        let created = created.unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(created.name, name);
        let fetched = k
            .classes()
            .get("DEMOSCHOOL", name)
            .await
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(fetched.name, name);
        k.classes()
            .delete("DEMOSCHOOL", name)
            .await
            .expect("delete");
    }
    let paths: Vec<_> = sim
        .requests()
        .iter()
        .map(|r| r.path_and_query.clone())
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("/classes/DEMOSCHOOL/a%20b")),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("/classes/DEMOSCHOOL/s%2Fl")),
        "{paths:?}"
    );
}

#[tokio::test]
async fn request_ids_are_fresh_per_call_or_the_callers_and_language_is_per_handle() {
    let sim = sim().await;
    let k = kelvin(&sim);
    k.schools().get("DEMOSCHOOL").await.expect("get");
    k.schools().get("DEMOSCHOOL").await.expect("get");
    k.with_request_id("my-trace-42")
        .schools()
        .get("DEMOSCHOOL")
        .await
        .expect("get");
    let ids: Vec<_> = sim
        .requests()
        .iter()
        .filter(|r| r.path_and_query.ends_with("/schools/DEMOSCHOOL"))
        .map(|r| r.request_id.clone().expect("id sent"))
        .collect();
    assert_eq!(ids.len(), 3);
    assert_ne!(ids[0], ids[1], "fresh id per call");
    assert_eq!(ids[2], "my-trace-42");

    let german = k.with_language("de-DE");
    german.schools().get("DEMOSCHOOL").await.expect("get");
    k.schools().get("DEMOSCHOOL").await.expect("get");
    let langs: Vec<_> = sim
        .requests()
        .iter()
        .rev()
        .take(2)
        .map(|r| r.accept_language.clone())
        .collect();
    assert_eq!(
        langs,
        [None, Some("de-DE".to_string())],
        "the override does not leak into the session"
    );
}

#[tokio::test]
async fn the_v2_api_works_the_same() {
    let sim = sim().await;
    let (user, password) = sim.admin();
    let k = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .api_version(ApiVersion::V2)
        .build()
        .expect("v2");
    let created = k.users().create(student("v2.user")).await.expect("create");
    assert!(
        created.url.contains("/ucsschool/kelvin/v2/users/v2.user"),
        "{}",
        created.url
    );
    assert_eq!(k.users().get("v2.user").await.expect("get").name, "v2.user");
    let e = k
        .users()
        .search(&UserFilter::new().role(Role::Student))
        .await
        .expect_err("no roles filter in v2");
    assert!(matches!(e, Error::InvalidInput(_)));
}

#[tokio::test]
async fn tls_verifies_against_the_given_ca_and_refuses_unknown_certificates() {
    let sim = Sim::builder()
        .tls(true)
        .spawn()
        .await
        .expect("sim with TLS");
    assert!(sim.base_url().starts_with("https://"), "{}", sim.base_url());
    let ca = sim.ca_pem().expect("the emulator's CA");
    let (user, password) = sim.admin();

    let trusted = Kelvin::builder(sim.base_url())
        .credentials(&user, &password)
        .ca_pem(ca)
        .build()
        .expect("session");
    assert!(trusted
        .schools()
        .exists("DEMOSCHOOL")
        .await
        .expect("verified TLS"));

    let untrusted = Kelvin::builder(sim.base_url())
        .credentials(&user, &password)
        .retry(RetryPolicy::none())
        .build()
        .expect("session");
    let e = untrusted
        .schools()
        .exists("DEMOSCHOOL")
        .await
        .expect_err("unknown CA");
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");

    let reckless = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .danger_accept_invalid_certs(true)
        .build()
        .expect("session");
    assert!(reckless
        .schools()
        .exists("DEMOSCHOOL")
        .await
        .expect("verification off"));
}
