//! The UDM features the Python client had, end to end against `ucs-sim`:
//! objects by DN without their module, the LDAP base, following DN-valued
//! properties, `properties` on get, search superordinate/opened/sorting,
//! `If-Unmodified-Since`, deletes with the server's defaults, membership
//! helpers, `>=`/`<=` filters.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use serde_json::json;
use ucs::udm::{DeleteOptions, Dn, Filter, Object, Udm};
use ucs::{Error, RetryPolicy};
use ucs_sim::{Sim, SimHandle};

async fn sim() -> SimHandle {
    Sim::builder().spawn().await.expect("emulator starts")
}

fn udm_at(url: &str) -> Udm {
    Udm::builder(url)
        .credentials("Administrator", "univention")
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("client")
}

fn udm(sim: &SimHandle) -> Udm {
    udm_at(&sim.udm_url())
}

fn dn(text: &str) -> Dn {
    text.parse().expect("dn")
}

const DEMO_STUDENT: &str = "uid=demo_student,cn=schueler,cn=users,ou=DEMOSCHOOL,dc=example,dc=com";

async fn new_user(udm: &Udm, username: &str) -> Object {
    let users = udm.users();
    let mut u = users.template(None, None).await.expect("template");
    u.set("username", username)
        .set("firstname", "Jane")
        .set("lastname", "Doe")
        .set_password("Passw0rd-Secret!");
    users.create(&u).await.expect("create")
}

async fn new_group(udm: &Udm, name: &str) -> Object {
    let groups = udm.groups();
    let mut g = groups.template(None, None).await.expect("template");
    g.set("name", name);
    groups.create(&g).await.expect("create")
}

/// `GET /udm/object/{dn}` answers 301 to the object's URL under its module
/// (module.py `ObjectLink.get`, UCS 5.2-1); the client reads the `Location`
/// and asks there.
#[tokio::test]
async fn objects_are_found_by_dn_and_uuid_without_their_module() {
    let sim = sim().await;
    let udm = udm(&sim);
    sim.clear_requests();
    let student = udm.object(&dn(DEMO_STUDENT)).await.expect("by dn");
    assert_eq!(student.module(), "users/user");
    assert_eq!(student.get_str("username"), Some("demo_student"));
    assert!(
        student.etag().is_some(),
        "read with its ETag, ready to write"
    );
    let log: Vec<(String, u16)> = sim
        .requests()
        .into_iter()
        .map(|r| (r.path_and_query, r.status))
        .collect();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(
        log[0]
            .0
            .starts_with("/univention/udm/object/uid%3Ddemo_student"),
        "{log:?}"
    );
    assert_eq!(log[0].1, 301);
    assert!(
        log[1]
            .0
            .starts_with("/univention/udm/users/user/uid%3Ddemo_student"),
        "{log:?}"
    );
    assert_eq!(log[1].1, 200);

    let ou = udm
        .object(&dn("ou=DEMOSCHOOL,dc=example,dc=com"))
        .await
        .expect("ou");
    assert_eq!(ou.module(), "container/ou");
    let uuid = student.uuid().expect("uuid").to_string();
    let again = udm.object_by_uuid(&uuid).await.expect("by uuid");
    assert_eq!(again.dn(), student.dn());

    // written back through the module the object names
    let mut student = student;
    student.set("description", "found by DN");
    let users = udm.module_of(&student).expect("module");
    assert!(users.is_described());
    let patched = users.patch(&student).await.expect("patched");
    assert_eq!(patched.get_str("description"), Some("found by DN"));

    let missing = udm
        .object(&dn("uid=nobody,cn=users,dc=example,dc=com"))
        .await
        .expect_err("missing");
    assert!(missing.is_not_found(), "{missing}");
    assert!(matches!(
        udm.object_by_uuid("not-a-uuid").await,
        Err(Error::InvalidInput(_))
    ));
}

/// `GET /udm/ldap/base/` answers 301 to `container/dc/<base>` (module.py
/// `LdapBase.get`).
#[tokio::test]
async fn the_ldap_base_comes_from_the_redirect() {
    let sim = Sim::builder()
        .base_dn("dc=schule,dc=test")
        .spawn()
        .await
        .expect("sim");
    let udm = udm(&sim);
    assert_eq!(
        udm.ldap_base().await.expect("base"),
        dn("dc=schule,dc=test")
    );
    let base = udm
        .object(&dn("dc=schule,dc=test"))
        .await
        .expect("base object");
    assert_eq!(base.module(), "container/dc");
}

/// A redirect off the client's origin is not followed: the next request
/// would carry the credentials there.
#[tokio::test]
async fn redirects_to_another_origin_are_refused() {
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    let elsewhere = axum::Router::new().fallback(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async { "{}" }
    });
    let other = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let other_addr = other.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(other, elsewhere).await.expect("serve") });
    let target = format!("http://{other_addr}/univention/udm/users/user/uid%3Dx%2Cdc%3Dx");
    let redirecting = axum::Router::new().fallback(move || {
        let target = target.clone();
        async move {
            (
                axum::http::StatusCode::MOVED_PERMANENTLY,
                [("location", target)],
                "{}",
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, redirecting).await.expect("serve") });
    let udm = udm_at(&format!("http://{addr}/univention/udm"));
    for result in [
        udm.object(&dn("uid=x,dc=x")).await.map(|_| ()),
        udm.ldap_base().await.map(|_| ()),
    ] {
        match result {
            Err(Error::InvalidInput(text)) => assert!(text.contains("another origin"), "{text}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn dn_valued_properties_resolve_to_their_objects() {
    let sim = sim().await;
    let udm = udm(&sim);
    let student = udm.users().get(&dn(DEMO_STUDENT)).await.expect("student");
    let group_dns: HashSet<Dn> = student
        .get("groups")
        .and_then(|g| g.as_array())
        .expect("groups")
        .iter()
        .map(|v| dn(v.as_str().expect("text")))
        .collect();
    assert!(group_dns.len() >= 2, "{group_dns:?}");
    let groups = student.resolve(&udm, "groups").await.expect("resolved");
    let resolved: HashSet<Dn> = groups.iter().filter_map(|g| g.dn().cloned()).collect();
    assert_eq!(resolved, group_dns);
    assert!(groups.iter().all(|g| g.module() == "groups/group"));

    // in the property's order; DNs whose object is gone are left out
    let mut local = Object::new("groups/group");
    local.set(
        "users",
        json!([DEMO_STUDENT, "uid=gone,cn=users,dc=example,dc=com", ""]),
    );
    let members = local.resolve(&udm, "users").await.expect("resolved");
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].get_str("username"), Some("demo_student"));
    assert!(local
        .resolve(&udm, "nothing")
        .await
        .expect("none")
        .is_empty());

    let before = sim.request_count();
    local.set("users", json!([DEMO_STUDENT, "not a dn"]));
    match local.resolve(&udm, "users").await {
        Err(Error::InvalidInput(text)) => assert!(text.contains("#2"), "{text}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.request_count(), before, "nothing read");
}

/// `properties` on an object GET (module.py `Object.get`, `properties`
/// query, default `['*']`).
#[tokio::test]
async fn get_with_a_properties_selection() {
    let sim = sim().await;
    let udm = udm(&sim);
    let some = udm
        .users()
        .get_properties(&dn(DEMO_STUDENT), Some(&["username", "lastname"]))
        .await
        .expect("get");
    let keys: BTreeSet<&str> = some.properties().keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["username", "lastname"]));
    let query = sim
        .requests()
        .last()
        .expect("request")
        .path_and_query
        .clone();
    assert!(
        query.ends_with("?properties=username&properties=lastname"),
        "{query}"
    );
    let all = udm.users().get(&dn(DEMO_STUDENT)).await.expect("get");
    assert!(all.properties().len() > 10);
}

/// `by`/`dir` sort (module.py `Objects.get`; the server sorts by `uid`,
/// `uidNumber`, `cn`), `opened=false` answers DNs only, `superordinate` is
/// the default position.
#[tokio::test]
async fn search_sorting_dns_only_and_superordinate() {
    let sim = sim().await;
    let udm = udm(&sim);
    for name in ["sort-b", "sort-a", "sort-c"] {
        new_user(&udm, name).await;
    }
    let names = |objects: &[Object]| -> Vec<String> {
        objects
            .iter()
            .map(|o| o.get_str("username").unwrap_or_default().to_string())
            .collect()
    };
    let down = udm
        .users()
        .search()
        .filter(Filter::starts_with("username", "sort-"))
        .sort_by("uid", true)
        .all()
        .await
        .expect("search");
    assert_eq!(names(&down), ["sort-c", "sort-b", "sort-a"]);
    let up = udm
        .users()
        .search()
        .filter(Filter::starts_with("username", "sort-"))
        .sort_by("uid", false)
        .all()
        .await
        .expect("search");
    assert_eq!(names(&up), ["sort-a", "sort-b", "sort-c"]);
    let query = sim
        .requests()
        .last()
        .expect("request")
        .path_and_query
        .clone();
    assert!(
        query.contains("dir=ASC") && query.contains("by=uid"),
        "{query}"
    );

    let dns_only = udm
        .users()
        .search()
        .filter(Filter::starts_with("username", "sort-"))
        .dns_only()
        .all()
        .await
        .expect("search");
    assert_eq!(dns_only.len(), 3);
    assert!(dns_only.iter().all(|o| o.dn().is_some()));
    assert!(
        dns_only.iter().all(|o| o.get("username").is_none()),
        "{dns_only:?}"
    );
    assert!(sim
        .requests()
        .last()
        .expect("request")
        .path_and_query
        .contains("opened=false"));

    // DHCP subnets below services (superordinate modules of the document)
    let services = udm.module("dhcp/service").expect("module");
    let records = udm.module("dhcp/subnet").expect("module");
    let base = dn("dc=example,dc=com");
    let mut zone_dns = Vec::new();
    for service in ["dhcp-a", "dhcp-b"] {
        let mut z = Object::new("dhcp/service");
        z.set("name", service).set_position(base.clone());
        let created = services.create(&z).await.expect("service");
        zone_dns.push(created.dn().cloned().expect("dn"));
    }
    for (zone, subnet) in [
        (&zone_dns[0], "www"),
        (&zone_dns[0], "mail"),
        (&zone_dns[1], "www"),
    ] {
        let mut r = Object::new("dhcp/subnet");
        r.set("name", subnet)
            .set_superordinate(zone.clone())
            .set_position(zone.clone());
        records.create(&r).await.expect("subnet");
    }
    let in_a = records
        .search()
        .superordinate(&zone_dns[0])
        .all()
        .await
        .expect("search");
    let found: BTreeSet<String> = in_a
        .iter()
        .map(|o| o.get_str("name").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        found,
        BTreeSet::from(["mail".to_string(), "www".to_string()])
    );
    let query = sim
        .requests()
        .last()
        .expect("request")
        .path_and_query
        .clone();
    assert!(query.contains("superordinate=cn%3Ddhcp-a"), "{query}");
    assert!(!query.contains("position="), "{query}");
    assert!(in_a
        .iter()
        .all(|o| o.dn().expect("dn").is_within(&zone_dns[0])));
}

/// `>=` and `<=` filter terms reach the server as LDAP filters.
#[tokio::test]
async fn ordering_filters_select_ranges() {
    let sim = sim().await;
    let udm = udm(&sim);
    let mut numbers = Vec::new();
    for name in ["range-a", "range-b", "range-c"] {
        let user = new_user(&udm, name).await;
        let n = user.get("uidNumber").expect("uidNumber").clone();
        let n: u64 = match n {
            serde_json::Value::String(s) => s.parse().expect("number"),
            serde_json::Value::Number(n) => n.as_u64().expect("number"),
            other => panic!("{other}"),
        };
        numbers.push(n);
    }
    numbers.sort();
    let hits = udm
        .users()
        .search()
        .filter(Filter::and([
            Filter::starts_with("username", "range-"),
            Filter::ge("uidNumber", numbers[1].to_string()),
            Filter::le("uidNumber", numbers[2].to_string()),
        ]))
        .all()
        .await
        .expect("search");
    assert_eq!(hits.len(), 2, "{hits:?}");
    let query = sim
        .requests()
        .last()
        .expect("request")
        .path_and_query
        .clone();
    assert!(query.contains("uidNumber%3E%3D"), "{query}");
}

/// `DELETE` without parameters takes the server's defaults, `cleanup` and
/// `recursive` both true (module.py `Object.delete`): a container goes with
/// everything below it; `leaf_only` refuses a container that is not empty.
#[tokio::test]
async fn deletes_are_recursive_by_default_and_leaf_only_on_request() {
    let sim = sim().await;
    let udm = udm(&sim);
    let containers = udm.containers();
    let base = dn("dc=example,dc=com");
    let mut outer = containers
        .template(Some(&base), None)
        .await
        .expect("template");
    outer.set("name", "outer").set_position(base.clone());
    let outer = containers.create(&outer).await.expect("outer");
    let outer_dn = outer.dn().cloned().expect("dn");
    let mut inner = containers
        .template(Some(&outer_dn), None)
        .await
        .expect("template");
    inner.set("name", "inner").set_position(outer_dn.clone());
    let inner_dn = containers
        .create(&inner)
        .await
        .expect("inner")
        .dn()
        .cloned()
        .expect("dn");

    let refused = containers
        .delete_with(&outer_dn, DeleteOptions::leaf_only())
        .await
        .expect_err("not a leaf");
    assert_eq!(refused.status(), Some(400), "{refused}");
    let query = sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "DELETE")
        .expect("delete")
        .path_and_query;
    assert!(query.contains("recursive=false"), "{query}");
    assert!(containers.exists(&inner_dn).await.expect("exists"));

    containers.delete(&outer_dn).await.expect("deleted");
    let query = sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "DELETE")
        .expect("delete")
        .path_and_query;
    assert!(!query.contains('?'), "the server's defaults: {query}");
    assert!(!containers.exists(&outer_dn).await.expect("exists"));
    assert!(!containers.exists(&inner_dn).await.expect("exists"));
}

#[tokio::test]
async fn membership_helpers_lose_no_concurrent_change() {
    let sim = sim().await;
    let udm = udm(&sim);
    let group = new_group(&udm, "members-e2e").await;
    let group_dn = group.dn().cloned().expect("dn");
    let mut users = Vec::new();
    for i in 0..6 {
        users.push(
            new_user(&udm, &format!("member-{i}"))
                .await
                .dn()
                .cloned()
                .expect("dn"),
        );
    }
    let tasks: Vec<_> = users
        .iter()
        .cloned()
        .map(|user| {
            let groups = udm.groups();
            let group_dn = group_dn.clone();
            tokio::spawn(async move { groups.add_members(&group_dn, [user]).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("added");
    }
    let members = |o: &Object| -> HashSet<Dn> {
        o.get("users")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).map(dn).collect())
            .unwrap_or_default()
    };
    let read = udm.groups().get(&group_dn).await.expect("group");
    assert_eq!(
        members(&read),
        users.iter().cloned().collect::<HashSet<_>>()
    );
    let conflicts = sim.requests().iter().filter(|r| r.status == 412).count();
    let patches: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert!(
        patches.iter().all(|r| r.if_match.is_some()),
        "If-Match on every write"
    );
    assert_eq!(
        patches.len(),
        6 + conflicts,
        "one PATCH per add, plus one per conflict"
    );

    // a member given in other case is already there; removing keeps the rest
    let upper = dn(&users[0].to_string().to_uppercase());
    let same = udm
        .groups()
        .add_members(&group_dn, [upper.clone()])
        .await
        .expect("noop");
    assert_eq!(members(&same).len(), 6);
    let fewer = udm
        .groups()
        .remove_members(&group_dn, [upper, users[1].clone()])
        .await
        .expect("removed");
    assert_eq!(
        members(&fewer),
        users[2..].iter().cloned().collect::<HashSet<_>>()
    );
    match udm.users().add_members(&group_dn, []).await {
        Err(Error::InvalidInput(text)) => assert!(text.contains("groups/group"), "{text}"),
        other => panic!("{other:?}"),
    }
}
