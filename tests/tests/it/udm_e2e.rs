//! End-to-end tests of the UDM facade against `ucs-sim` over real HTTP.

use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use ucs::udm::{DeleteOptions, Dn, Filter, Scope, Udm};
use ucs::{Error, RetryPolicy};
use ucs_sim::{Faults, Sim, SimHandle};

async fn sim() -> SimHandle {
    Sim::builder().spawn().await.expect("emulator starts")
}

fn udm(sim: &SimHandle) -> Udm {
    let (user, password) = sim.admin();
    Udm::builder(sim.udm_url())
        .credentials(user, password)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(50)),
        )
        .build()
        .expect("client")
}

fn base() -> Dn {
    "dc=example,dc=com".parse().expect("dn")
}

async fn new_user(udm: &Udm, username: &str, position: Option<&Dn>) -> ucs::udm::Object {
    let users = udm.users();
    let mut u = users.template(position, None).await.expect("template");
    u.set("username", username)
        .set("firstname", "Jane")
        .set("lastname", "Doe")
        .set_password("Passw0rd-Secret!");
    if let Some(p) = position {
        u.set_position(p.clone());
    }
    users.create(&u).await.expect("create")
}

#[tokio::test]
async fn lists_the_modules_the_server_offers() {
    let sim = sim().await;
    let modules = udm(&sim).modules().await.expect("modules");
    let names: Vec<_> = modules.iter().map(|m| m.name.as_str()).collect();
    for expected in [
        "users/user",
        "groups/group",
        "container/ou",
        "container/cn",
        "mail/domain",
        "dns/forward_zone",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} in {} modules",
            names.len()
        );
    }
    assert_eq!(modules.len(), 128);
    assert!(modules.iter().all(|m| m.supported));
}

#[tokio::test]
async fn template_create_get_patch_replace_delete() {
    let sim = sim().await;
    let udm = udm(&sim);
    let users = udm.users();
    let template = users.template(None, None).await.expect("template");
    assert!(template.is_new() && template.dn().is_none());

    let user = new_user(&udm, "e2e-jdoe", None).await;
    let dn = user.dn().cloned().expect("dn");
    assert_eq!(user.get_str("username"), Some("e2e-jdoe"));
    // module.py Object.get (UCS 5.2-1): an ETag always; Last-Modified only
    // once the object is older than a second
    assert!(user.etag().is_some(), "GET carries an ETag");
    assert!(user.get("password").is_none(), "password is write-only");
    assert!(users.exists(&dn).await.expect("exists"));

    let mut changed = user.clone();
    changed.set("description", "hello");
    let patched = users.patch(&changed).await.expect("patch");
    assert_eq!(patched.get_str("description"), Some("hello"));
    assert_eq!(
        patched.get_str("lastname"),
        Some("Doe"),
        "untouched properties stay"
    );
    assert_ne!(patched.etag(), user.etag(), "a write changes the ETag");
    let patch_request = sim
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "PATCH")
        .expect("patch sent");
    assert_eq!(
        patch_request.if_match.as_deref(),
        user.etag(),
        "If-Match sent"
    );

    let mut cleared = patched.clone();
    cleared.clear("description");
    let patched = users.patch(&cleared).await.expect("clear");
    assert!(
        patched
            .get("description")
            .is_none_or(|v| v.is_null() || v == ""),
        "null cleared the description: {:?}",
        patched.get("description")
    );

    let mut replaced = patched.clone();
    replaced.set("lastname", "Replaced");
    let replaced = users.replace(&replaced).await.expect("put");
    assert_eq!(replaced.get_str("lastname"), Some("Replaced"));

    users.delete(&dn).await.expect("delete");
    let e = users.get(&dn).await.expect_err("gone");
    assert!(matches!(&e, Error::NotFound(a) if a.status == 404), "{e:?}");
}

#[tokio::test]
async fn a_stale_etag_is_a_conflict_and_modify_loses_no_update() {
    let sim = sim().await;
    let udm = udm(&sim);
    let users = udm.users();
    let user = new_user(&udm, "e2e-race", None).await;
    let dn = user.dn().cloned().expect("dn");

    let mut first = user.clone();
    first.set("description", "first");
    users.patch(&first).await.expect("first writer");
    let mut stale = user.clone();
    stale.set("title", "stale");
    let e = users.patch(&stale).await.expect_err("412");
    assert!(matches!(&e, Error::Conflict(a) if a.status == 412), "{e:?}");

    // 12 concurrent writers each add their own mail alias: none is lost
    let writers = (0..12).map(|i| {
        let users = udm.users();
        let dn = dn.clone();
        async move {
            users
                .modify(&dn, |u| {
                    let mut list = u
                        .get("e-mail")
                        .and_then(|v| v.as_array().cloned())
                        .unwrap_or_default();
                    list.push(json!(format!("w{i}@example.com")));
                    u.set("e-mail", list);
                    Ok(())
                })
                .await
        }
    });
    for result in futures::future::join_all(writers).await {
        result.expect("modify");
    }
    let end = users.get(&dn).await.expect("get");
    let mails = end
        .get("e-mail")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        mails.len(),
        12,
        "every concurrent update survived: {mails:?}"
    );
    let conflicts = sim.requests().iter().filter(|r| r.status == 412).count();
    assert!(conflicts >= 1, "the writers did collide");
}

#[tokio::test]
async fn moves_follow_the_progress_answer() {
    let sim = sim().await;
    let udm = udm(&sim);
    let ous = udm.ous();
    let mut ou = ous.template(None, None).await.expect("template");
    ou.set("name", "e2emove");
    let ou = ous.create(&ou).await.expect("ou");
    let ou_dn = ou.dn().cloned().expect("dn");
    let mut user = new_user(&udm, "e2e-mover", None).await;
    user.set("description", "moved and changed");
    let moved = udm.users().move_to(&user, &ou_dn).await.expect("move");
    assert_eq!(
        moved.dn().expect("dn").to_string(),
        format!("uid=e2e-mover,{ou_dn}")
    );
    assert_eq!(
        moved.get_str("description"),
        Some("moved and changed"),
        "changes are patched after the move (the moving PUT ignores them)"
    );
    assert!(!udm
        .users()
        .exists(user.dn().expect("old dn"))
        .await
        .expect("exists"));
    // module.py Object.move (UCS 5.2-1): a module without children answers
    // 201 with the new Location; containers answer 202 and a progress URL
    let puts: Vec<u16> = sim
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.status)
        .collect();
    assert_eq!(puts, [201], "the user move");
    let containers = udm.containers();
    let mut box_cn = containers.template(None, None).await.expect("template");
    box_cn
        .set("name", "e2ebox")
        .set_position("cn=groups,dc=example,dc=com".parse().expect("dn"));
    let box_cn = containers.create(&box_cn).await.expect("container");
    let moved_box = containers
        .move_to(&box_cn, &ou_dn)
        .await
        .expect("container move");
    assert_eq!(
        moved_box.dn().expect("dn").to_string(),
        format!("cn=e2ebox,{ou_dn}")
    );
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.method == "PUT" && r.status == 202),
        "the container move answered 202"
    );
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.path_and_query.contains("/progress/") && r.status == 303),
        "its progress was polled to the 303"
    );

    ous.delete_with(
        &ou_dn,
        DeleteOptions {
            recursive: Some(true),
            ..Default::default()
        },
    )
    .await
    .expect("recursive delete");
    assert!(!udm
        .users()
        .exists(moved.dn().expect("dn"))
        .await
        .expect("exists"));
}

#[tokio::test]
async fn search_filters_query_scope_properties_and_paging() {
    let sim = sim().await;
    let udm = udm(&sim);
    let groups = udm.groups();
    let position: Dn = "cn=groups,dc=example,dc=com".parse().expect("dn");
    for i in 0..45 {
        let mut g = groups
            .template(Some(&position), None)
            .await
            .expect("template");
        g.set("name", format!("page-{i:02}"))
            .set("description", if i % 2 == 0 { "even" } else { "odd" });
        g.set_position(position.clone());
        groups.create(&g).await.expect("group");
    }
    let before = sim.request_count();
    let all: Vec<_> = groups
        .search()
        .filter(Filter::starts_with("name", "page-"))
        .page_size(7)
        .stream()
        .try_collect()
        .await
        .expect("search");
    assert_eq!(all.len(), 45);
    let mut names: Vec<_> = all.iter().filter_map(|g| g.get_str("name")).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 45, "every object exactly once");
    assert_eq!(sim.request_count() - before, 7, "45 objects in pages of 7");

    let even = groups
        .search()
        .query("description", "even")
        .filter(Filter::starts_with("name", "page-"))
        .all()
        .await
        .expect("query");
    assert_eq!(even.len(), 23);
    let slim = groups
        .search()
        .filter(Filter::eq("name", "page-01"))
        .properties(["name"])
        .all()
        .await
        .expect("properties");
    assert_eq!(slim.len(), 1);
    assert!(
        slim[0].get("description").is_none(),
        "only the selected properties"
    );
    let one_level = groups
        .search()
        .position(base())
        .scope(Scope::One)
        .filter(Filter::starts_with("name", "page-"))
        .all()
        .await
        .expect("scope");
    assert!(one_level.is_empty(), "the groups are one level deeper");
}

#[tokio::test]
async fn error_mapping() {
    let sim = sim().await;
    let udm = udm(&sim);
    new_user(&udm, "e2e-taken", None).await;
    let users = udm.users();
    let mut dup = users.template(None, None).await.expect("template");
    dup.set("username", "e2e-taken")
        .set("lastname", "X")
        .set_password("Passw0rd-Secret!");
    let e = users.create(&dup).await.expect_err("duplicate username");
    let Error::InvalidRequest(api) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(api.status, 422);
    // module.py Object.create (UCS 5.2-1): a taken name is an existing DN,
    // reported at ["body", "dn"]
    assert!(
        api.fields
            .iter()
            .any(|f| f.field == "dn" && f.message.contains("already in use")),
        "{:?}",
        api.fields
    );
    assert!(!format!("{e:?}").contains("Passw0rd-Secret!"));

    let wrong = Udm::builder(sim.udm_url())
        .credentials("Administrator", "nope-nope")
        .build()
        .expect("client");
    assert!(matches!(
        wrong.users().search().all().await,
        Err(Error::Unauthorized(_))
    ));
    let student = Udm::builder(sim.udm_url())
        .credentials("demo_student", "univention")
        .build()
        .expect("client");
    assert!(matches!(
        student.users().search().all().await,
        Err(Error::Forbidden(_))
    ));

    let before = sim.request_count();
    assert!(matches!(
        udm.module("users/usr"),
        Err(Error::UnknownModule { .. })
    ));
    let computers = udm.module("computers/computer").expect("module");
    let e = computers
        .create(&ucs::udm::Object::new("computers/computer"))
        .await
        .expect_err("no create");
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    assert_eq!(sim.request_count(), before, "refused without a request");
}

#[tokio::test]
async fn nasty_dns_round_trip() {
    let sim = sim().await;
    let udm = udm(&sim);
    let groups = udm.groups();
    for name in [
        "Doe, Jane",
        "a+b=c",
        r"back\slash",
        "#1 / two",
        "ünï cödé",
        " lead",
    ] {
        let mut g = groups.template(None, None).await.expect("template");
        g.set("name", name);
        let created = groups
            .create(&g)
            .await
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let dn = created.dn().cloned().expect("dn");
        assert_eq!(dn.rdn_value(), Some(name));
        let fetched = groups
            .get(&dn)
            .await
            .unwrap_or_else(|e| panic!("{name:?} ({dn}): {e}"));
        assert_eq!(fetched.get_str("name"), Some(name));
        groups.delete(&dn).await.expect("delete");
    }
}

#[tokio::test]
async fn retries_honour_retry_after_on_idempotent_calls() {
    let sim = sim().await;
    let udm = udm(&sim);
    sim.set_faults(Faults {
        fail_nth: vec![(1, 503), (2, 429)],
        retry_after: Some(0),
        ..Default::default()
    });
    let users = udm
        .users()
        .search()
        .filter(Filter::eq("username", "demo_student"))
        .all()
        .await
        .expect("retried");
    assert_eq!(users.len(), 1);
    let statuses: Vec<_> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(&statuses[statuses.len() - 3..], &[503, 429, 200]);
}

#[tokio::test]
async fn typed_views_of_common_modules() {
    let sim = sim().await;
    let udm = udm(&sim);
    let user = new_user(&udm, "e2e-typed", None).await;
    let view: ucs::udm::typed::UserProperties = user.typed().expect("typed view");
    assert_eq!(view.username.as_deref(), Some("e2e-typed"));
    assert_eq!(view.firstname.as_deref(), Some("Jane"));
}
