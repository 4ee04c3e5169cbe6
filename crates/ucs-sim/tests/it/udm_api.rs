//! The UDM REST API over HTTP.

use crate::common;

use common::{enc, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn error_locations(body: &Value) -> Vec<String> {
    body["_embedded"]["udm:error"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["location"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p.as_str().unwrap())
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .collect()
        })
        .unwrap_or_default()
}

fn new_user(username: &str) -> Value {
    json!({
        "properties": {
            "username": username,
            "firstname": "Ada",
            "lastname": "Lovelace",
            "password": "correct horse",
            "mailPrimaryAddress": format!("{username}@example.com"),
        }
    })
}

async fn create_user(api: &Api, username: &str) -> String {
    let answer = api
        .udm_call(Method::POST, "/users/user/", Some(new_user(username)))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    answer.body["dn"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn module_listings_cover_the_spec() {
    let api = Api::start().await;
    let root = api.udm_get("/").await;
    assert_eq!(root.status, StatusCode::OK);
    assert!(root
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let modules = root.body["_links"]["udm:object-modules"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = modules
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for family in [
        "users",
        "groups",
        "container",
        "mail",
        "computers",
        "policies",
        "settings",
    ] {
        assert!(names.contains(&family), "{family}");
    }
    assert_eq!(modules[0]["href"], api.udm(&format!("/{}/", names[0])));

    let users = api.udm_get("/users/").await;
    let types = users.body["_links"]["udm:object-types"].as_array().unwrap();
    let user = types.iter().find(|t| t["name"] == "users/user").unwrap();
    assert_eq!(user["href"], api.udm("/users/user/"));
    assert_eq!(user["title"], "User");
    let total: usize = {
        let mut n = 0;
        for family in names {
            n += api.udm_get(&format!("/{family}/")).await.body["_links"]["udm:object-types"]
                .as_array()
                .unwrap()
                .len();
        }
        n
    };
    assert_eq!(total, 128, "every module of the vendored spec is offered");
    assert_eq!(
        api.udm_get("/nosuchfamily/").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.udm_get("/users/nosuchmodule/").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn basic_auth_401_and_403() {
    let api = Api::start().await;
    let anonymous = api.send(api.http.get(api.udm("/users/user/"))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.header("www-authenticate"),
        Some("Basic realm=\"Univention Directory Manager\"")
    );
    assert_eq!(anonymous.body["code"], 401);
    assert_eq!(anonymous.body["title"], "Unauthorized");
    assert!(anonymous.body["message"].is_string());
    assert!(anonymous.body["_embedded"]["udm:error"].is_array());

    let wrong = api
        .send(
            api.http
                .get(api.udm("/"))
                .basic_auth("Administrator", Some("nope")),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    for user in ["demo_student", "kelvin-reader"] {
        let forbidden = api
            .send(
                api.http
                    .get(api.udm("/"))
                    .basic_auth(user, Some("univention")),
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(forbidden.body["code"], 403);
    }
    let bearer = api.send(api.http.get(api.udm("/")).bearer_auth("x")).await;
    assert_eq!(bearer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn templates_show_defaults_and_only_exist_where_the_spec_has_them() {
    let api = Api::start().await;
    let template = api.udm_get("/users/user/add").await;
    assert_eq!(template.status, StatusCode::OK);
    let base = api.base();
    assert_eq!(template.body["position"], format!("cn=users,{base}"));
    assert_eq!(template.body["objectType"], "users/user");
    let props = &template.body["properties"];
    assert_eq!(props["username"], Value::Null);
    assert_eq!(props["shell"], "/bin/bash");
    assert_eq!(
        props["primaryGroup"],
        format!("cn=Domain Users,cn=groups,{base}")
    );
    assert_eq!(props["groups"], json!([]));
    assert_eq!(template.body["options"]["ucsschoolStudent"], false);
    assert!(template.body["policies"]["policies/umc"].is_array());
    let positioned = api
        .udm_get(&format!(
            "/groups/group/add?position={}",
            enc(&format!("cn=groups,{base}"))
        ))
        .await;
    assert_eq!(positioned.body["position"], format!("cn=groups,{base}"));
    let none = api.udm_get("/computers/computer/add").await;
    assert_eq!(none.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn create_and_read_a_user_with_defaults_and_headers() {
    let api = Api::start().await;
    let answer = api
        .send(
            api.udm_request(Method::POST, "/users/user/")
                .header("X-Request-ID", "udm-req-1")
                .json(&new_user("ada")),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(answer.header("x-request-id"), Some("udm-req-1"));
    let dn = answer.body["dn"].as_str().unwrap().to_string();
    assert_eq!(dn, format!("uid=ada,cn=users,{}", api.base()));
    assert_eq!(answer.body["uuid"].as_str().unwrap().len(), 36);
    let location = answer.header("location").unwrap().to_string();
    assert_eq!(location, api.udm_object("users/user", &dn));

    let got = api.udm_get(&location).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.header("etag").unwrap().starts_with('"'));
    assert!(got.header("last-modified").unwrap().ends_with(" GMT"));
    let user = &got.body;
    assert_eq!(user["dn"], dn);
    assert_eq!(user["id"], "ada");
    assert_eq!(user["objectType"], "users/user");
    assert_eq!(user["position"], format!("cn=users,{}", api.base()));
    assert_eq!(user["uri"], location);
    assert_eq!(user["_links"]["self"][0]["href"], location);
    let props = &user["properties"];
    assert_eq!(props["password"], Value::Null);
    assert!(!got.text.contains("correct horse"));
    assert_eq!(props["unixhome"], "/home/ada");
    assert_eq!(props["displayName"], "Ada Lovelace");
    assert!(props["uidNumber"].as_u64().unwrap() > 2000);
    assert_eq!(
        props["groups"],
        json!([format!("cn=Domain Users,cn=groups,{}", api.base())])
    );
    assert!(api.sim.store().password_matches(&dn, "correct horse"));

    // a DN of another module is not found through this module
    let wrong_module = api.udm_get(&api.udm_object("groups/group", &dn)).await;
    assert_eq!(wrong_module.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong_module.body["code"], 404);
}

#[tokio::test]
async fn invalid_writes_get_422_with_per_property_errors() {
    let api = Api::start().await;
    create_user(&api, "taken").await;
    let cases = [
        (
            json!({"properties": {"username": "x1"}}),
            vec!["body.properties.lastname", "body.properties.password"],
        ),
        (
            json!({"properties": {"username": "taken", "lastname": "L", "password": "univention"}}),
            vec!["body.properties.username"],
        ),
        (
            json!({"properties": {"username": "x2", "lastname": "L", "password": "univention", "mailPrimaryAddress": "taken@example.com"}}),
            vec!["body.properties.mailPrimaryAddress"],
        ),
        (
            json!({"properties": {"username": "x3", "lastname": "L", "password": "univention", "mailPrimaryAddress": "x3@unknown.org"}}),
            vec!["body.properties.mailPrimaryAddress"],
        ),
        (
            json!({"properties": {"username": "x4", "lastname": "L", "password": "univention", "disabled": "yes", "birthday": "1.2.2000"}}),
            vec!["body.properties.disabled", "body.properties.birthday"],
        ),
        (
            json!({"properties": {"username": "x5", "lastname": "L", "password": "univention", "noSuchProperty": 1}}),
            vec!["body.properties.noSuchProperty"],
        ),
        (
            json!({"properties": {"username": "bad name", "lastname": "L", "password": "univention"}}),
            vec!["body.properties.username"],
        ),
        (
            json!({"properties": {"username": "x6", "lastname": "L", "password": "short"}}),
            vec!["body.properties.password"],
        ),
        (
            json!({"position": "cn=nowhere,dc=example,dc=com", "properties": {"username": "x7", "lastname": "L", "password": "univention"}}),
            vec!["body.position"],
        ),
        (
            json!({"options": {"noSuchOption": true}, "properties": {"username": "x8", "lastname": "L", "password": "univention"}}),
            vec!["body.options.noSuchOption"],
        ),
    ];
    for (body, expected) in cases {
        let answer = api
            .udm_call(Method::POST, "/users/user/", Some(body.clone()))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            answer.text
        );
        assert_eq!(answer.body["code"], 422);
        assert_eq!(answer.body["title"], "Unprocessable Entity");
        assert_eq!(error_locations(&answer.body), expected, "{body}");
        assert!(!answer.text.contains("\"short\""));
    }
    assert_eq!(
        api.sim.store().count("users/user"),
        7,
        "no half-created users"
    );

    let not_json = api
        .send(
            api.udm_request(Method::POST, "/users/user/")
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    let read_only = api
        .udm_call(Method::POST, "/computers/computer/", Some(json!({})))
        .await;
    assert_eq!(read_only.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(read_only.header("allow"), Some("GET"));
}

#[tokio::test]
async fn etags_and_preconditions() {
    let api = Api::start().await;
    let dn = create_user(&api, "etag").await;
    let url = api.udm_object("users/user", &dn);
    let first = api.udm_get(&url).await;
    let etag = first.header("etag").unwrap().to_string();

    let not_modified = api
        .send(
            api.udm_request(Method::GET, &url)
                .header("If-None-Match", &etag),
        )
        .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);

    let stale = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Match", "\"not-the-etag\"")
                .json(&json!({"properties": {"title": "Dr."}})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.body["code"], 412);
    assert_eq!(
        api.sim.store().get(&dn).unwrap().property("title"),
        Some(&Value::Null)
    );

    let fresh = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Match", &etag)
                .json(&json!({"properties": {"title": "Dr."}})),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::NO_CONTENT, "{}", fresh.text);
    let new_etag = fresh.header("etag").unwrap().to_string();
    assert_ne!(new_etag, etag, "every write changes the ETag");
    assert_eq!(
        api.udm_get(&url).await.header("etag"),
        Some(new_etag.as_str())
    );

    // the old ETag is stale now
    let lost_update = api
        .send(
            api.udm_request(Method::PUT, &url)
                .header("If-Match", &etag)
                .json(&json!({"properties": {"title": "Prof."}})),
        )
        .await;
    assert_eq!(lost_update.status, StatusCode::PRECONDITION_FAILED);

    let old_date = "Mon, 01 Jan 2001 00:00:00 GMT";
    let unmodified = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Unmodified-Since", old_date)
                .json(&json!({"properties": {"title": "X"}})),
        )
        .await;
    assert_eq!(unmodified.status, StatusCode::PRECONDITION_FAILED);
    let future = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Unmodified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")
                .json(&json!({"properties": {"title": "Y"}})),
        )
        .await;
    assert_eq!(future.status, StatusCode::NO_CONTENT);

    let delete_stale = api
        .send(
            api.udm_request(Method::DELETE, &url)
                .header("If-Match", &etag),
        )
        .await;
    assert_eq!(delete_stale.status, StatusCode::PRECONDITION_FAILED);
    assert!(api.sim.store().exists(&dn));
    let any = api
        .send(
            api.udm_request(Method::DELETE, &url)
                .header("If-Match", "*"),
        )
        .await;
    assert_eq!(any.status, StatusCode::NO_CONTENT);
    assert!(!api.sim.store().exists(&dn));
    let requests = api.sim.requests();
    assert!(requests
        .iter()
        .any(|r| r.method == "DELETE" && r.if_match.as_deref() == Some("*") && r.status == 204));
}

#[tokio::test]
async fn patch_clears_with_null_and_put_replaces() {
    let api = Api::start().await;
    let dn = create_user(&api, "repl").await;
    let url = api.udm_object("users/user", &dn);
    let patched = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(
                json!({"properties": {"description": "desc", "title": "Dr.", "phone": ["+49 1"]}}),
            ),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT);
    assert_eq!(patched.header("location"), Some(url.as_str()));
    let cleared = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(json!({"properties": {"description": null}})),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    let user = api.udm_get(&url).await.body;
    assert_eq!(user["properties"]["description"], Value::Null);
    assert_eq!(
        user["properties"]["title"], "Dr.",
        "PATCH keeps what it does not name"
    );

    let put = api
        .udm_call(
            Method::PUT,
            &url,
            Some(json!({"properties": {"username": "repl", "lastname": "New"}})),
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text);
    let user = api.udm_get(&url).await.body;
    assert_eq!(user["properties"]["lastname"], "New");
    assert_eq!(user["properties"]["title"], Value::Null, "PUT replaces");
    assert_eq!(user["properties"]["phone"], json!([]));
    assert_eq!(user["properties"]["firstname"], Value::Null);
    assert_eq!(
        user["properties"]["shell"], "/bin/bash",
        "defaults come back"
    );
    assert_eq!(
        user["properties"]["unixhome"], "/home/repl",
        "placeholders are filled"
    );
    assert!(
        !user["properties"]["groups"].as_array().unwrap().is_empty(),
        "memberships are kept"
    );
    assert!(
        api.sim.store().password_matches(&dn, "correct horse"),
        "the password is kept"
    );

    let missing_required = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(json!({"properties": {"lastname": null}})),
        )
        .await;
    assert_eq!(missing_required.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_locations(&missing_required.body),
        vec!["body.properties.lastname"]
    );
}

#[tokio::test]
async fn put_on_a_missing_dn_creates_it() {
    let api = Api::start().await;
    let dn = format!("cn=put-made,cn=groups,{}", api.base());
    let url = api.udm_object("groups/group", &dn);
    let created = api
        .udm_call(
            Method::PUT,
            &url,
            Some(json!({"properties": {"description": "via PUT"}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["dn"], dn);
    let group = api.sim.store().get(&dn).unwrap();
    assert_eq!(group.str_property("name"), Some("put-made"));
    assert!(group.property("gidNumber").unwrap().is_u64());
    let patch_missing = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("groups/group", &format!("cn=nope,cn=groups,{}", api.base())),
            Some(json!({"properties": {}})),
        )
        .await;
    assert_eq!(patch_missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn put_with_a_new_position_moves_via_a_progress_resource() {
    let api = Api::start().await;
    let base = api.base();
    let dn = create_user(&api, "mover").await;
    let group_dn = format!("cn=movers,cn=groups,{base}");
    let group = api
        .udm_call(
            Method::POST,
            "/groups/group/",
            Some(json!({"properties": {"name": "movers", "users": [dn]}})),
        )
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.text);
    let target = format!("cn=people,{base}");
    assert_eq!(
        api.udm_call(
            Method::POST,
            "/container/cn/",
            Some(json!({"properties": {"name": "people"}}))
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let url = api.udm_object("users/user", &dn);
    let current = api.udm_get(&url).await.body;
    let mut body = json!({"position": target, "properties": current["properties"].clone()});
    body["properties"]
        .as_object_mut()
        .unwrap()
        .remove("password");
    let started = api.udm_call(Method::PUT, &url, Some(body)).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text);
    let progress = started.header("location").unwrap().to_string();
    assert!(progress.starts_with(&api.udm("/progress/")));

    let running = api.udm_get(&progress).await;
    assert_eq!(running.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(running.header("retry-after"), Some("1"));
    assert_eq!(running.header("location"), Some(progress.as_str()));
    let done = api.udm_get(&progress).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let new_dn = format!("uid=mover,{target}");
    assert_eq!(
        done.header("location"),
        Some(api.udm_object("users/user", &new_dn).as_str())
    );

    assert_eq!(api.udm_get(&url).await.status, StatusCode::NOT_FOUND);
    let moved = api.udm_get(&api.udm_object("users/user", &new_dn)).await;
    assert_eq!(moved.status, StatusCode::OK);
    assert_eq!(moved.body["position"], target);
    assert!(moved.body["properties"]["groups"]
        .as_array()
        .unwrap()
        .contains(&json!(group_dn)));
    let members = api.sim.store().get(&group_dn).unwrap().properties["users"].clone();
    assert_eq!(members, json!([new_dn]), "references follow the move");

    // moving below a missing container fails and changes nothing
    let bad = api
        .udm_call(
            Method::PUT,
            &api.udm_object("users/user", &new_dn),
            Some(json!({"position": format!("cn=missing,{base}"), "properties": {"username": "mover", "lastname": "L"}})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_locations(&bad.body), vec!["body.position"]);
    // PATCH does not move
    let patch_move = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("users/user", &new_dn),
            Some(json!({"position": format!("cn=users,{base}")})),
        )
        .await;
    assert_eq!(patch_move.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        api.udm_get("/progress/unknown-id").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn renaming_and_moving_containers_carries_the_subtree() {
    let api = Api::start().await;
    let base = api.base();
    api.udm_call(
        Method::POST,
        "/container/ou/",
        Some(json!({"properties": {"name": "dept"}})),
    )
    .await;
    let user = api
        .udm_call(
            Method::POST,
            "/users/user/",
            Some(json!({"position": format!("ou=dept,{base}"), "properties": {"username": "inside", "lastname": "I", "password": "univention"}})),
        )
        .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.text);
    let renamed = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("container/ou", &format!("ou=dept,{base}")),
            Some(json!({"properties": {"name": "department"}})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT, "{}", renamed.text);
    assert_eq!(
        renamed.header("location"),
        Some(
            api.udm_object("container/ou", &format!("ou=department,{base}"))
                .as_str()
        )
    );
    assert!(api
        .sim
        .store()
        .exists(&format!("uid=inside,ou=department,{base}")));
    assert!(!api
        .sim
        .store()
        .exists(&format!("uid=inside,ou=dept,{base}")));
    let members = api
        .sim
        .store()
        .get(&format!("cn=Domain Users,cn=groups,{base}"))
        .unwrap();
    assert!(members.properties["users"]
        .to_string()
        .contains("uid=inside,ou=department"));
}

#[tokio::test]
async fn delete_is_recursive_unless_told_otherwise() {
    let api = Api::start().await;
    let base = api.base();
    api.udm_call(
        Method::POST,
        "/container/cn/",
        Some(json!({"properties": {"name": "tree"}})),
    )
    .await;
    api.udm_call(
        Method::POST,
        "/container/cn/",
        Some(json!({"position": format!("cn=tree,{base}"), "properties": {"name": "leaf"}})),
    )
    .await;
    let url = api.udm_object("container/cn", &format!("cn=tree,{base}"));
    let refused = api
        .udm_call(Method::DELETE, &format!("{url}?recursive=false"), None)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(api.sim.store().exists(&format!("cn=leaf,cn=tree,{base}")));
    let bad_flag = api
        .udm_call(Method::DELETE, &format!("{url}?recursive=perhaps"), None)
        .await;
    assert_eq!(bad_flag.status, StatusCode::UNPROCESSABLE_ENTITY);
    let deleted = api
        .udm_call(
            Method::DELETE,
            &format!("{url}?cleanup=true&recursive=true"),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(!api.sim.store().exists(&format!("cn=leaf,cn=tree,{base}")));
    assert_eq!(
        api.udm_call(Method::DELETE, &url, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn dns_with_special_characters_round_trip() {
    let api = Api::start().await;
    let name = "#1 Müller, Schmidt+Co / \"Ltd\" <x>;\\ end ";
    let created = api
        .udm_call(
            Method::POST,
            "/container/cn/",
            Some(json!({"properties": {"name": name}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let dn = created.body["dn"].as_str().unwrap().to_string();
    assert_eq!(
        dn,
        format!(
            "cn=\\#1 Müller\\, Schmidt\\+Co / \\\"Ltd\\\" \\<x\\>\\;\\\\ end\\ ,{}",
            api.base()
        )
    );
    let location = created.header("location").unwrap().to_string();
    assert!(location.contains("%5C%2C") && location.contains("%2F") && location.contains("%C3%BC"));
    let got = api.udm_get(&location).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    assert_eq!(got.body["dn"], dn);
    assert_eq!(got.body["properties"]["name"], name);
    assert_eq!(got.body["id"], name);
    // another spelling of the same DN (hex escapes, spaces after commas) names the same object
    let hex = format!(
        "CN=\\231 M\\C3\\BCller\\2C Schmidt\\2BCo / \\22Ltd\\22 \\3Cx\\3E\\3B\\5C end\\20, {}",
        api.base()
    );
    assert_eq!(
        api.udm_get(&api.udm_object("container/cn", &hex))
            .await
            .body["dn"],
        dn
    );
    // decoded exactly once: a literal "%41" stays "%41"
    let percent = api
        .udm_call(
            Method::POST,
            "/container/cn/",
            Some(json!({"properties": {"name": "100%41"}})),
        )
        .await;
    let percent_dn = percent.body["dn"].as_str().unwrap().to_string();
    let percent_get = api
        .udm_get(&api.udm_object("container/cn", &percent_dn))
        .await;
    assert_eq!(percent_get.body["properties"]["name"], "100%41");
    let deleted = api.udm_call(Method::DELETE, &location, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn search_with_filters_queries_scopes_and_property_selection() {
    let api = Api::start().await;
    let base = api.base();
    let names = |body: &Value| -> Vec<String> {
        body["_embedded"]["udm:object"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    let search = |query: String| {
        let api = &api;
        async move { api.udm_get(&format!("/users/user/?{query}")).await }
    };
    let filter = search(format!(
        "filter={}",
        enc("(&(username=demo*)(!(username=demo_admin)))")
    ))
    .await;
    assert_eq!(filter.status, StatusCode::OK);
    assert_eq!(
        names(&filter.body),
        vec!["demo_staff", "demo_student", "demo_teacher"]
    );
    let or = search(format!(
        "filter={}",
        enc("(|(uid=demo_admin)(mailPrimaryAddress=demo_staff@*))")
    ))
    .await;
    let mut got = names(&or.body);
    got.sort();
    assert_eq!(got, vec!["demo_admin", "demo_staff"]);
    let presence = search(format!("filter={}", enc("(birthday=*)"))).await;
    assert!(names(&presence.body).is_empty());
    let bare = search(format!("filter={}", enc("username=Administrator"))).await;
    assert_eq!(names(&bare.body), vec!["Administrator"]);
    let escaped = search(format!("filter={}", enc("(displayName=Demo\\20St*)"))).await;
    assert_eq!(names(&escaped.body).len(), 2);
    let query = search(format!("{}=demo_s*", enc("query[username]"))).await;
    let mut got = names(&query.body);
    got.sort();
    assert_eq!(got, vec!["demo_staff", "demo_student"]);

    let school_users = format!("cn=users,ou=DEMOSCHOOL,{base}");
    let sub = search(format!("position={}&scope=sub", enc(&school_users))).await;
    assert_eq!(names(&sub.body).len(), 4);
    let one = search(format!("position={}&scope=one", enc(&school_users))).await;
    assert!(names(&one.body).is_empty());
    let teacher_dn = format!("uid=demo_teacher,cn=lehrer,{school_users}");
    let base_scope = search(format!("position={}&scope=base", enc(&teacher_dn))).await;
    assert_eq!(names(&base_scope.body), vec!["demo_teacher"]);

    let selected =
        search("properties=username&properties=lastname&query%5Busername%5D=demo_admin".into())
            .await;
    let props = selected.body["_embedded"]["udm:object"][0]["properties"]
        .as_object()
        .unwrap();
    let mut keys: Vec<&String> = props.keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["lastname", "username"]);

    let sorted = search("by=username&dir=DESC&filter=username%3Ddemo*".into()).await;
    assert_eq!(names(&sorted.body)[0], "demo_teacher");

    for (query, parameter) in [
        ("filter=(username=", "filter"),
        ("scope=everything", "scope"),
        ("limit=-1", "limit"),
        ("page=0", "page"),
        ("dir=UP", "dir"),
        ("hidden=maybe", "hidden"),
    ] {
        let answer = search(query.to_string()).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            error_locations(&answer.body),
            vec![format!("query.{parameter}")]
        );
    }
    let missing_position = search(format!("position={}", enc(&format!("cn=nope,{base}")))).await;
    assert_eq!(missing_position.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn search_pages_with_hal_links() {
    let api = Api::start().await;
    let first = api
        .udm_get("/users/user/?filter=username%3Ddemo*&limit=3")
        .await;
    assert_eq!(first.body["results"], 4);
    assert_eq!(
        first.body["_embedded"]["udm:object"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let links = &first.body["_links"];
    assert!(links.get("prev").is_none());
    let next = links["next"][0]["href"].as_str().unwrap().to_string();
    assert!(
        next.contains("filter=username%3Ddemo%2A")
            && next.contains("limit=3")
            && next.contains("page=2"),
        "{next}"
    );
    assert!(links["first"][0]["href"]
        .as_str()
        .unwrap()
        .contains("page=1"));
    assert!(links["last"][0]["href"]
        .as_str()
        .unwrap()
        .contains("page=2"));
    let second = api.udm_get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    let objects = second.body["_embedded"]["udm:object"].as_array().unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0]["id"], "demo_teacher");
    assert!(second.body["_links"].get("next").is_none());
    assert!(second.body["_links"]["prev"][0]["href"]
        .as_str()
        .unwrap()
        .contains("page=1"));
    let beyond = api
        .udm_get("/users/user/?filter=username%3Ddemo*&limit=3&page=5")
        .await;
    assert!(beyond.body["_embedded"]["udm:object"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn hidden_objects_and_aggregate_modules() {
    let api = Api::start().await;
    let with_hidden = api.udm_get("/container/cn/?scope=one").await;
    let without = api.udm_get("/container/cn/?scope=one&hidden=false").await;
    let count = |a: &common::Answer| a.body["_embedded"]["udm:object"].as_array().unwrap().len();
    assert_eq!(
        count(&with_hidden),
        count(&without) + 1,
        "cn=univention is hidden"
    );

    let created = api
        .udm_call(
            Method::POST,
            "/computers/windows/",
            Some(json!({"properties": {"name": "pc01", "mac": ["00:11:22:33:44:55"]}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        created.body["dn"],
        format!("cn=pc01,cn=computers,{}", api.base())
    );
    let all = api.udm_get("/computers/computer/").await;
    assert_eq!(count(&all), 1);
    assert_eq!(
        all.body["_embedded"]["udm:object"][0]["objectType"],
        "computers/windows"
    );
    let read_through = api
        .udm_get(&api.udm_object("computers/computer", created.body["dn"].as_str().unwrap()))
        .await;
    assert_eq!(read_through.status, StatusCode::OK);
    let no_delete = api
        .udm_call(
            Method::DELETE,
            &api.udm_object("computers/computer", created.body["dn"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(no_delete.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn generic_modules_store_any_properties() {
    let api = Api::start().await;
    let properties = json!({
        "name": "wiki",
        "displayName": {"en_US": "Wiki", "de_DE": "Wiki"},
        "link": [["en_US", "https://wiki.example.com"]],
        "activated": true,
        "anything": [1, 2, 3],
    });
    let created = api
        .udm_call(
            Method::POST,
            "/portals/entry/",
            Some(json!({"properties": properties.clone(), "policies": {}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let dn = created.body["dn"].as_str().unwrap().to_string();
    assert_eq!(dn, format!("cn=wiki,cn=univention,{}", api.base()));
    let url = api.udm_object("portals/entry", &dn);
    assert_eq!(api.udm_get(&url).await.body["properties"], properties);
    let patched = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(json!({"properties": {"activated": false, "anything": null}})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT);
    let after = api.udm_get(&url).await.body;
    assert_eq!(after["properties"]["activated"], false);
    assert!(after["properties"].get("anything").is_none());
    let found = api
        .udm_get("/portals/entry/?filter=%28activated%3Dfalse%29")
        .await;
    assert_eq!(found.body["results"], 1);
    let nameless = api
        .udm_call(
            Method::POST,
            "/portals/entry/",
            Some(json!({"properties": {"link": []}})),
        )
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_locations(&nameless.body),
        vec!["body.properties.name"]
    );
}

#[tokio::test]
async fn groups_users_and_nested_groups_are_two_sided() {
    let api = Api::start().await;
    let base = api.base();
    let user_dn = create_user(&api, "member").await;
    let inner = api
        .udm_call(
            Method::POST,
            "/groups/group/",
            Some(json!({"properties": {"name": "inner", "users": [user_dn]}})),
        )
        .await;
    assert_eq!(inner.status, StatusCode::CREATED);
    let inner_dn = inner.body["dn"].as_str().unwrap().to_string();
    let outer = api
        .udm_call(
            Method::POST,
            "/groups/group/",
            Some(json!({"properties": {"name": "outer", "nestedGroup": [inner_dn]}})),
        )
        .await;
    assert_eq!(outer.status, StatusCode::CREATED);
    let outer_dn = outer.body["dn"].as_str().unwrap().to_string();
    let inner_view = api
        .udm_get(&api.udm_object("groups/group", &inner_dn))
        .await;
    assert_eq!(inner_view.body["properties"]["memberOf"], json!([outer_dn]));
    let user_view = api.udm_get(&api.udm_object("users/user", &user_dn)).await;
    assert!(user_view.body["properties"]["groups"]
        .as_array()
        .unwrap()
        .contains(&json!(inner_dn)));

    // writing the user's groups changes the groups
    let etag_before = api.sim.store().get(&inner_dn).unwrap().etag;
    let patched = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("users/user", &user_dn),
            Some(json!({"properties": {"groups": [format!("cn=Domain Users,cn=groups,{base}"), outer_dn]}})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT, "{}", patched.text);
    assert_eq!(
        api.sim.store().get(&inner_dn).unwrap().properties["users"],
        json!([])
    );
    assert_ne!(api.sim.store().get(&inner_dn).unwrap().etag, etag_before);
    assert_eq!(
        api.sim.store().get(&outer_dn).unwrap().properties["users"],
        json!([user_dn])
    );

    let duplicate = api
        .udm_call(
            Method::POST,
            "/groups/group/",
            Some(json!({"position": format!("cn=users,{base}"), "properties": {"name": "OUTER"}})),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_locations(&duplicate.body),
        vec!["body.properties.name"]
    );
    let dangling = api
        .udm_call(
            Method::POST,
            "/groups/group/",
            Some(json!({"properties": {"name": "g2", "users": [format!("uid=ghost,{base}")]}})),
        )
        .await;
    assert_eq!(dangling.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn mail_domains_gate_mail_addresses() {
    let api = Api::start().await;
    let invalid = api
        .udm_call(
            Method::POST,
            "/mail/domain/",
            Some(json!({"properties": {"name": "no_dots"}})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = api
        .udm_call(
            Method::POST,
            "/mail/domain/",
            Some(json!({"properties": {"name": "school.example.org"}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(
        created.body["dn"],
        format!("cn=school.example.org,cn=domain,cn=mail,{}", api.base())
    );
    let mut user = new_user("mailer");
    user["properties"]["mailPrimaryAddress"] = json!("mailer@School.Example.org");
    assert_eq!(
        api.udm_call(Method::POST, "/users/user/", Some(user))
            .await
            .status,
        StatusCode::CREATED
    );
}

/// The `name` of every object of a search answer, in answer order.
fn answer_names(body: &Value) -> Vec<String> {
    body["_embedded"]["udm:object"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["properties"]["name"].as_str().unwrap().to_string())
        .collect()
}

/// Reads every page of a paged search and checks that together they are the answer of
/// the same search without paging.
async fn read_all_pages(api: &Api, query: &str, limit: usize) -> Vec<String> {
    let whole = api.udm_get(&format!("/settings/data/?{query}")).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.text);
    let expected = answer_names(&whole.body);
    let mut paged = Vec::new();
    for page in 1..=expected.len().div_ceil(limit).max(1) {
        let answer = api
            .udm_get(&format!(
                "/settings/data/?{query}&limit={limit}&page={page}"
            ))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(
            answer.body["results"],
            expected.len(),
            "{query} page {page}"
        );
        paged.extend(answer_names(&answer.body));
    }
    assert_eq!(
        paged, expected,
        "{query}: pages in order make the whole answer"
    );
    expected
}

#[tokio::test]
async fn paged_searches_follow_writes_between_pages() {
    let api = Api::empty().await;
    let store = api.sim.store();
    let mut dns = Vec::new();
    for i in 0..10 {
        let data = if i % 3 == 0 { "x" } else { "y" };
        dns.push(
            store
                .insert(
                    "settings/data",
                    None,
                    json!({"name": format!("p-{i:02}"), "data": data}),
                )
                .unwrap(),
        );
    }
    let page = |query: &str, limit: usize, page: usize| {
        let api = &api;
        let url = format!("/settings/data/?{query}&limit={limit}&page={page}");
        async move {
            let answer = api.udm_get(&url).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
            (answer_names(&answer.body), answer.body["results"].clone())
        }
    };
    let first = page("by=name", 4, 1).await;
    assert_eq!(first.0, ["p-00", "p-01", "p-02", "p-03"]);
    assert_eq!(first.1, 10);
    assert_eq!(
        page("by=name", 4, 2).await.0,
        ["p-04", "p-05", "p-06", "p-07"]
    );

    // a new object that sorts early shifts the later pages
    store
        .insert("settings/data", None, json!({"name": "p-015", "data": "x"}))
        .unwrap();
    let second = page("by=name", 4, 2).await;
    assert_eq!(second.0, ["p-03", "p-04", "p-05", "p-06"]);
    assert_eq!(second.1, 11);
    // a deleted object is gone from every page
    assert!(store.remove(&dns[0]));
    assert_eq!(
        page("by=name", 4, 1).await.0,
        ["p-01", "p-015", "p-02", "p-03"]
    );
    // a change of the sorted-by value moves the object
    let changed = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("settings/data", &dns[1]),
            Some(json!({"properties": {"data": "z"}})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text);
    let by_data = page("by=data&dir=DESC", 4, 1).await;
    assert_eq!(by_data.0[0], "p-01", "the only z comes first");

    // paging through any search gives the unpaged answer in pieces
    assert_eq!(read_all_pages(&api, "by=name", 3).await.len(), 10);
    let by_data = read_all_pages(&api, "by=data&dir=DESC", 4).await;
    assert_eq!(by_data.len(), 10);
    let filtered = read_all_pages(&api, &format!("filter={}", enc("(data=x)")), 2).await;
    assert_eq!(filtered, ["p-015", "p-03", "p-06", "p-09"]);
    let unsorted = read_all_pages(&api, "dir=DESC", 3).await;
    assert_eq!(unsorted.first().map(String::as_str), Some("p-09"));
}

#[tokio::test]
async fn filters_on_derived_relations_match_what_objects_show() {
    let api = Api::start().await;
    let all = api.udm_get("/users/user/").await;
    assert_eq!(all.status, StatusCode::OK);
    let class = format!(
        "cn=DEMOSCHOOL-Democlass,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL,{}",
        api.base()
    );
    let mut expected: Vec<String> = all.body["_embedded"]["udm:object"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["properties"]["groups"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g.as_str().unwrap().eq_ignore_ascii_case(&class))
        })
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert!(
        expected.contains(&"demo_student".to_string()),
        "{expected:?}"
    );
    // attribute names compare case-insensitively, values too
    let filter = format!("(GROUPS={})", class.to_uppercase());
    let found = api
        .udm_get(&format!("/users/user/?filter={}", enc(&filter)))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    let mut got: Vec<String> = found.body["_embedded"]["udm:object"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, expected);
    // write-only properties match nothing, even when they are set
    let password = api
        .udm_get(&format!("/users/user/?filter={}", enc("(password=*)")))
        .await;
    assert_eq!(password.body["results"], 0);
}
