//! Modules reached generically (`Udm::generic_module`): hand-written requests
//! to the URLs and with the parameters of the generated clients, the same
//! object model. Against `ucs-sim` with modules it knows (so the answers are
//! the real server's, as the emulator follows them), and against a small
//! server with a module the vendored document lacks (`ucs-sim` serves only
//! the document's modules and answers 404 for others).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::TryStreamExt;
use serde_json::{json, Value};
use ucs::udm::{DeleteOptions, Dn, Filter, Object, Udm};
use ucs::{Error, RetryPolicy};
use ucs_sim::{Sim, SimHandle};

fn udm_at(url: &str) -> Udm {
    Udm::builder(url)
        .credentials("Administrator", "univention")
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("client")
}

fn dn(text: &str) -> Dn {
    text.parse().expect("dn")
}

/// What the generic path sent, next to what the generated path sent for the
/// same calls: the same methods, paths and queries (apart from the search
/// nonce), `If-Match` on the same writes (the ETags differ: other objects),
/// the same `Accept` and `Content-Type`.
fn requests(sim: &SimHandle) -> Vec<(String, String, bool, String)> {
    sim.requests()
        .into_iter()
        .map(|r| {
            let path = match r.path_and_query.split_once("filter=") {
                Some((head, tail)) => {
                    let rest = tail.split_once('&').map(|(_, r)| r).unwrap_or("");
                    format!("{head}filter=…&{rest}")
                }
                None => r.path_and_query.clone(),
            };
            let types = format!(
                "{} {}",
                r.header("accept").unwrap_or("-"),
                r.header("content-type").unwrap_or("-")
            );
            (r.method, path, r.if_match.is_some(), types)
        })
        .collect()
}

async fn lifecycle(users: &ucs::udm::Module, name: &str) -> Vec<Object> {
    let mut out = Vec::new();
    let mut user = users.template(None, None).await.expect("template");
    user.set("username", name)
        .set("firstname", "Gen")
        .set("lastname", "Eric")
        .set_password("Passw0rd-Secret!");
    let created = users.create(&user).await.expect("create");
    let dn = created.dn().cloned().expect("dn");
    out.push(created);
    out.push(
        users
            .get_properties(&dn, Some(&["username", "lastname"]))
            .await
            .expect("get"),
    );
    let found: Vec<Object> = users
        .search()
        .filter(Filter::eq("username", name))
        .sort_by("uid", true)
        .page_size(10)
        .stream()
        .try_collect()
        .await
        .expect("search");
    out.extend(found);
    let changed = users
        .modify(&dn, |u| {
            u.set("description", "changed");
            Ok(())
        })
        .await
        .expect("modify");
    out.push(changed.clone());
    let mut replaced = changed;
    replaced.set("lastname", "Replaced");
    out.push(users.replace(&replaced).await.expect("replace"));
    users
        .delete_with(
            &dn,
            DeleteOptions {
                cleanup: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("delete");
    assert!(!users.exists(&dn).await.expect("exists"));
    out
}

#[tokio::test]
async fn a_generic_module_behaves_like_the_described_one_against_the_emulator() {
    let sim = Sim::builder().spawn().await.expect("sim");
    let udm = udm_at(&sim.udm_url());
    sim.clear_requests();
    let described = lifecycle(&udm.users(), "gen-user").await;
    let described_log = requests(&sim);
    sim.clear_requests();
    let generic_users = udm.generic_module("users/user").expect("generic");
    assert!(!generic_users.is_described());
    let generic = lifecycle(&generic_users, "gen-user").await;
    let generic_log = requests(&sim);

    assert_eq!(generic_log, described_log);
    assert_eq!(generic.len(), described.len());
    for (g, d) in generic.iter().zip(&described) {
        assert_eq!(g.module(), "users/user");
        assert_eq!(g.dn(), d.dn());
        let strip = |o: &Object| {
            let mut p = o.properties().clone();
            for volatile in ["uidNumber", "sambaRID", "passwordexpiry", "userexpiry"] {
                p.remove(volatile);
            }
            p
        };
        assert_eq!(strip(g), strip(d));
    }
    assert_eq!(generic[1].properties().len(), 2, "properties selection");
    assert_eq!(generic[3].get_str("description"), Some("changed"));
    assert_eq!(generic[4].get_str("lastname"), Some("Replaced"));
}

/// A container move through the generic path: the server answers 202 and a
/// progress URL (module.py `Object.move`, UCS 5.2-1), polled as for
/// described modules.
#[tokio::test]
async fn generic_moves_follow_the_progress_answer() {
    let sim = Sim::builder().spawn().await.expect("sim");
    let udm = udm_at(&sim.udm_url());
    let containers = udm.generic_module("container/cn").expect("generic");
    let base = dn("dc=example,dc=com");
    let mut target = Object::new("container/cn");
    target.set("name", "gen-target").set_position(base.clone());
    let target = containers.create(&target).await.expect("target");
    let mut moving = Object::new("container/cn");
    moving.set("name", "gen-box").set_position(base.clone());
    let moving = containers.create(&moving).await.expect("box");
    let moved = containers
        .move_to(&moving, target.dn().expect("dn"))
        .await
        .expect("moved");
    assert_eq!(
        moved.dn().expect("dn"),
        &dn("cn=gen-box,cn=gen-target,dc=example,dc=com")
    );
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.method == "PUT" && r.status == 202));
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.path_and_query.starts_with("/univention/udm/progress/")));
}

/// A small UDM REST server with one module the vendored document does not
/// know, answering as module.py does for any module: template, create (201,
/// `Location`, body `dn`/`uuid`), get with an ETag, search with
/// `_embedded.udm:object`, PATCH (204 with `Location`; 412 on a stale
/// `If-Match`), DELETE (204).
#[derive(Default)]
struct AppServer {
    objects: Vec<(String, Value, u32)>,
    log: Vec<(String, String, Option<String>, Value)>,
}

type App = Arc<Mutex<AppServer>>;

const MODULE_PATH: &str = "/univention/udm/myapp/entry/";

fn object_doc(dn: &str, properties: &Value) -> Value {
    json!({
        "dn": dn, "objectType": "myapp/entry", "id": dn.split(',').next(),
        "position": "cn=myapp,dc=example,dc=com",
        "properties": properties, "options": {}, "policies": {},
        "uri": format!("http://ignored{MODULE_PATH}{dn}"),
    })
}

async fn app(
    State(app): State<App>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let if_match = headers
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let mut app = app.lock().expect("lock");
    app.log.push((
        method.to_string(),
        uri.to_string(),
        if_match.clone(),
        body.clone(),
    ));
    let Some(rest) = uri.path().strip_prefix(MODULE_PATH) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let dn = percent_decode(rest);
    let etag = |rev: u32| format!("\"rev-{rev}\"");
    match (method.as_str(), dn.as_str()) {
        ("GET", "add") => Json(json!({"properties": {"name": null, "color": "blue"}, "position": "cn=myapp,dc=example,dc=com"})).into_response(),
        ("GET", "") => {
            let hits: Vec<Value> = app.objects.iter().map(|(d, p, _)| object_doc(d, p)).collect();
            Json(json!({"_embedded": {"udm:object": hits}, "_links": {}})).into_response()
        }
        ("POST", "") => {
            let name = body["properties"]["name"].as_str().unwrap_or("x").to_string();
            let dn = format!("cn={name},cn=myapp,dc=example,dc=com");
            app.objects.push((dn.clone(), body["properties"].clone(), 1));
            let location = format!("{MODULE_PATH}{}", quote(&dn));
            (StatusCode::CREATED, [("location", location)], Json(json!({"dn": dn, "uuid": "0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e"}))).into_response()
        }
        (m, dn) => {
            let Some(index) = app.objects.iter().position(|(d, _, _)| d == dn) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let rev = app.objects[index].2;
            match m {
                "GET" => {
                    let (d, p, _) = &app.objects[index];
                    ([("etag", etag(rev))], Json(object_doc(d, p))).into_response()
                }
                "PATCH" if if_match.as_deref() != Some(etag(rev).as_str()) => {
                    StatusCode::PRECONDITION_FAILED.into_response()
                }
                "PATCH" => {
                    let entry = &mut app.objects[index];
                    if let (Value::Object(have), Value::Object(new)) = (&mut entry.1, &body["properties"]) {
                        for (k, v) in new {
                            have.insert(k.clone(), v.clone());
                        }
                    }
                    entry.2 += 1;
                    (StatusCode::NO_CONTENT, [("location", uri.path().to_string())]).into_response()
                }
                "DELETE" => {
                    app.objects.remove(index);
                    StatusCode::NO_CONTENT.into_response()
                }
                _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
            }
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn quote(dn: &str) -> String {
    dn.replace('=', "%3D").replace(',', "%2C")
}

#[tokio::test]
async fn a_module_the_document_lacks_is_usable_generically() {
    let state: App = Arc::default();
    let router = axum::Router::new().fallback(app).with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    let udm = udm_at(&format!("http://{addr}/univention/udm"));

    assert!(matches!(
        udm.module("myapp/entry"),
        Err(Error::UnknownModule { .. })
    ));
    let entries = udm.generic_module("myapp/entry").expect("generic");
    let mut entry = entries.template(None, None).await.expect("template");
    assert!(entry.is_new());
    assert_eq!(
        entry.get_str("color"),
        Some("blue"),
        "the server's defaults"
    );
    entry.set("name", "first").set("color", "green");
    let created = entries.create(&entry).await.expect("created");
    let entry_dn = dn("cn=first,cn=myapp,dc=example,dc=com");
    assert_eq!(created.dn(), Some(&entry_dn));
    assert_eq!(created.module(), "myapp/entry");
    assert_eq!(created.etag(), Some("\"rev-1\""));

    let changed = entries
        .modify(&entry_dn, |e| {
            e.set("color", "red");
            Ok(())
        })
        .await
        .expect("modified");
    assert_eq!(changed.get_str("color"), Some("red"));
    assert_eq!(changed.etag(), Some("\"rev-2\""));

    // a stale ETag is a conflict, as for any module
    let mut stale = created.clone();
    stale.set("color", "yellow");
    match entries.patch(&stale).await {
        Err(Error::Conflict(api)) => assert_eq!(api.status, 412),
        other => panic!("{other:?}"),
    }

    let found = entries
        .search()
        .filter(Filter::eq("color", "red"))
        .all()
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].dn(), Some(&entry_dn));
    entries.delete(&entry_dn).await.expect("deleted");
    assert!(!entries.exists(&entry_dn).await.expect("exists"));

    let log = state.lock().expect("lock").log.clone();
    let lines: Vec<String> = log
        .iter()
        .map(|(m, u, im, _)| format!("{m} {u} {}", im.as_deref().unwrap_or("-")))
        .collect();
    let encoded = "cn%3Dfirst%2Ccn%3Dmyapp%2Cdc%3Dexample%2Cdc%3Dcom";
    assert_eq!(lines[0], format!("GET {MODULE_PATH}add -"));
    assert_eq!(lines[1], format!("POST {MODULE_PATH} -"));
    assert_eq!(lines[2], format!("GET {MODULE_PATH}{encoded} -"));
    assert_eq!(lines[3], format!("GET {MODULE_PATH}{encoded} -"));
    assert_eq!(lines[4], format!("PATCH {MODULE_PATH}{encoded} \"rev-1\""));
    assert_eq!(lines[5], format!("GET {MODULE_PATH}{encoded} -"));
    assert_eq!(lines[6], format!("PATCH {MODULE_PATH}{encoded} \"rev-1\""));
    assert!(
        lines[7].starts_with(&format!("GET {MODULE_PATH}?")),
        "{lines:?}"
    );
    assert!(
        lines[7].contains("filter=") && lines[7].contains("limit=100&page=1"),
        "{lines:?}"
    );
    assert_eq!(lines[8], format!("DELETE {MODULE_PATH}{encoded} -"));
    assert_eq!(
        log[1].3["properties"],
        json!({"name": "first", "color": "green"})
    );
    assert_eq!(log[4].3, json!({"properties": {"color": "red"}}));
}
