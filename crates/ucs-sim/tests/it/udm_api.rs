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
                        .map(|p| {
                            p.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| p.to_string())
                        })
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
    // module.py ResourceBase.prepare: X-Request-Id keeps only [A-Fa-f0-9-] (utils.py RE_UUID)
    assert_eq!(answer.header("x-request-id"), Some("d-e-1"));
    let dn = answer.body["dn"].as_str().unwrap().to_string();
    assert_eq!(dn, format!("uid=ada,cn=users,{}", api.base()));
    assert_eq!(answer.body["uuid"].as_str().unwrap().len(), 36);
    let location = answer.header("location").unwrap().to_string();
    assert_eq!(location, api.udm_object("users/user", &dn));

    let got = api.udm_get(&location).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.header("etag").unwrap().starts_with('"'));
    // http_conditional.py modified_from_timestamp: no Last-Modified within a second of a change
    assert!(got.header("last-modified").is_none());
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

    // a DN of another module: UDM's wrongObjectType, re-raised as UDM_Error -> 400
    // (module.py get_module_object; handlers/__init__.py simpleLdap.__init__)
    let wrong_module = api.udm_get(&api.udm_object("groups/group", &dn)).await;
    assert_eq!(wrong_module.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong_module.body["error"]["message"],
        format!("The object type of this object differs from the specified object type: {dn} is not recognized as groups/group.")
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
            Some(json!({"position": format!("cn=groups,{}", api.base()), "properties": {"name": "put-made", "description": "via PUT"}})),
        )
        .await;
    // module.py Object.put: a missing DN is created there (201, Location, no ETag)
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.header("location"), Some(url.as_str()));
    assert!(created.header("etag").is_none());
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
    // module.py Object.delete: UDM errors of the removal are re-raised as UDM_Error -> 400
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert_eq!(refused.body["error"]["title"], "");
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
    // utils.py quote_dn: `/` stays literal, everything else outside A-Za-z0-9_.-~ is encoded
    assert!(
        location.contains("%5C%2C") && location.contains("%20/%20") && location.contains("%C3%BC")
    );
    assert!(!location.contains("%2F"));
    let got = api.udm_get(&location).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    assert_eq!(got.body["dn"], dn);
    assert_eq!(got.body["properties"]["name"], name);
    assert_eq!(got.body["id"], name);
    // another spelling of the same DN (hex escapes, spaces after commas) names the same object
    let hex = format!(
        "CN=\\231 M\\C3\\BCller\\2C Schmidt\\2BCo / \\22Ltd\\22 \\3Cx\\3E\\3B\\5C end\\20,{}",
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
    // no hits: `_embedded` without `udm:object` (module.py Objects.get)
    let names = |body: &Value| -> Vec<String> {
        body["_embedded"]["udm:object"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| o["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
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

    // module.py Objects.search: only `uid`, `uidNumber` and `cn` are sorted (LDAP server-side
    // sort); any other `by` leaves the order alone
    let sorted = search("by=uid&dir=DESC&filter=username%3Ddemo*".into()).await;
    assert_eq!(names(&sorted.body)[0], "demo_teacher");
    let ascending = search("by=uid&filter=username%3Ddemo*".into()).await;
    assert_eq!(names(&ascending.body)[0], "demo_admin");
    let unsorted = search("by=username&dir=DESC&filter=username%3Ddemo*".into()).await;
    let plain = search("filter=username%3Ddemo*".into()).await;
    assert_eq!(names(&unsorted.body), names(&plain.body));

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
async fn hidden_objects_and_aggregate_modules() {
    let api = Api::start().await;
    let with_hidden = api.udm_get("/container/cn/?scope=one").await;
    let without = api.udm_get("/container/cn/?scope=one&hidden=false").await;
    let count = |a: &common::Answer| {
        a.body["_embedded"]["udm:object"]
            .as_array()
            .map_or(0, Vec::len)
    };
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
    let all = api.udm_get("/computers/computer/?hidden=true").await;
    assert_eq!(count(&all), 1);
    assert_eq!(
        all.body["_embedded"]["udm:object"][0]["objectType"],
        "computers/windows"
    );
    let read_through = api
        .udm_get(&api.udm_object("computers/computer", created.body["dn"].as_str().unwrap()))
        .await;
    // reading one object through an aggregate module is not emulated (404)
    assert_eq!(read_through.status, StatusCode::NOT_FOUND);
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
    // module.py Object.get_representation: every object shows `objectFlag`
    let mut shown = properties.clone();
    shown["objectFlag"] = json!([]);
    assert_eq!(api.udm_get(&url).await.body["properties"], shown);
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
    // module.py Object.handle_udm_errors: groupNameAlreadyUsed is reported at ["body", "dn"]
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_locations(&duplicate.body), vec!["body.dn"]);
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
/// Reads every page of a paged search and checks that together they are the answer of
/// the same search without paging.
#[tokio::test]
async fn filters_on_derived_relations_match_what_objects_show() {
    let api = Api::start().await;
    let all = api.udm_get("/users/user/?hidden=true").await;
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
