//! UDM writes: bodies, property/option merging, error locations, moves, conditional requests.
//!
//! Source of every test (unless it names another): univention/univention-corporate-server,
//! UCS 5.2-1 copy geekswagg/univention-corporate-server @ 03c80076,
//! management/univention-directory-manager-rest/src/univention/admin/rest/module.py,
//! class `Object` (`put`, `patch`, `create`, `set_properties`, `set_property`,
//! `handle_udm_errors`, `move`, `_move_with_childs`, `delete`), `Objects.post`,
//! `Operations.get`, and http_conditional.py `ConditionalResource`.

use crate::common::{udm_error_locations, Api};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;

// Objects.post: `properties` is required (422 "Argument required" at ["body","properties"]);
// the 201 body is {dn, uuid, _links: {curies}} with Location and ETag.
#[tokio::test]
async fn create_answers_and_required_fields() {
    let api = Api::start().await;
    let missing = api
        .udm_call(
            Method::POST,
            "/users/user/",
            Some(json!({"position": format!("cn=users,{}", api.base())})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(udm_error_locations(&missing.body), ["body.properties"]);
    assert_eq!(
        missing.body["error"]["message"],
        "1 error(s) occurred:\nBody data \"properties\": Argument required\n"
    );
    // sanitizer.py PropertySanitizer: `objectFlag` is accepted for every module (templates show it)
    let mut newbie = crate::common::udm_user("newbie");
    newbie["properties"]["objectFlag"] = json!([]);
    let created = api
        .udm_call(Method::POST, "/users/user/", Some(newbie))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let keys: Vec<&String> = created.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["dn", "uuid", "_links"]);
    assert_eq!(created.body["_links"]["curies"][0]["name"], "udm");
    assert_eq!(
        created.header("cache-control"),
        Some("private, must-revalidate, no-cache")
    );
    assert!(created.header("etag").is_some());
    let got = api.udm_get(created.header("location").unwrap()).await;
    let keys: Vec<&String> = got.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "_links",
            "_embedded",
            "uri",
            "dn",
            "objectType",
            "id",
            "position",
            "properties",
            "options",
            "policies",
            "uuid"
        ]
    );
    assert_eq!(
        got.header("allow"),
        Some("GET, OPTIONS, PUT, PATCH, DELETE")
    );
}

// handle_udm_errors + set_property: a taken user name is at ["body","dn"] ("Object exists:
// (uid): ..."), a taken mail address at ["body","properties","mailPrimaryAddress"], an
// existing DN at ["body","dn"]; syntax errors are collected at ["body","properties",<prop>]; unknown properties
// (PropertySanitizer, sanitizer.py) and missing required ones at ["body","properties",<p>].
#[tokio::test]
async fn error_locations_and_texts() {
    let api = Api::start().await;
    api.create_udm_user("taken").await;
    let mut again = crate::common::udm_user("taken");
    again["properties"]["mailPrimaryAddress"] = json!("other@example.com");
    let name = api
        .udm_call(Method::POST, "/users/user/", Some(again))
        .await;
    assert_eq!(name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(udm_error_locations(&name.body), ["body.dn"]);
    let text =
        "Object exists: (uid): The username is already in use as username or as groupname: taken.";
    assert_eq!(name.body["error"]["error"], json!({"body": {"dn": text}}));
    assert_eq!(
        name.body["error"]["message"],
        format!("1 error(s) occurred:\nRequest argument \"dn\" {text}\n")
    );
    let mut mail = crate::common::udm_user("mailer");
    mail["properties"]["mailPrimaryAddress"] = json!("taken@example.com");
    let mail = api.udm_call(Method::POST, "/users/user/", Some(mail)).await;
    assert_eq!(
        udm_error_locations(&mail.body),
        ["body.properties.mailPrimaryAddress"]
    );
    assert_eq!(
        mail.body["error"]["error"],
        json!({"mailPrimaryAddress": "The mail address is already in use: taken@example.com."})
    );
    let mut syntax = crate::common::udm_user("bad name");
    syntax["properties"]["birthday"] = json!("yesterday");
    let syntax = api
        .udm_call(Method::POST, "/users/user/", Some(syntax))
        .await;
    // sanitizer.py PropertySanitizer._sanitize encodes every value through its type hint
    // (types.py DateType._from_json_type) before anything is set: collected at
    // body.properties.<prop>, as udm-rest-client's error.error shows it
    let mut locations = udm_error_locations(&syntax.body);
    locations.sort();
    assert_eq!(
        locations,
        [
            "body.properties.birthday",
            "body.properties.mailPrimaryAddress"
        ],
        "every invalid value, not only the first"
    );
    assert_eq!(
        syntax.body["error"]["error"]["birthday"],
        "The property birthday has an invalid value: Date does not match format \"%Y-%m-%d\"."
    );
    let unknown = api
        .udm_call(
            Method::POST,
            "/users/user/",
            Some(json!({"properties": {"username": "x", "colour": "blue", "lastname": 5}})),
        )
        .await;
    let mut locations = udm_error_locations(&unknown.body);
    locations.sort();
    assert_eq!(
        locations,
        ["body.properties.colour", "body.properties.lastname"]
    );
    assert_eq!(
        unknown.body["error"]["error"]["colour"],
        "The User module has no property colour."
    );
    let required = api
        .udm_call(
            Method::POST,
            "/users/user/",
            Some(json!({"properties": {"username": "nolast"}})),
        )
        .await;
    let mut locations = udm_error_locations(&required.body);
    locations.sort();
    assert_eq!(
        locations,
        ["body.properties.lastname", "body.properties.password"]
    );
    assert_eq!(
        required.body["error"]["error"]["lastname"],
        "The property \"lastname\" is required."
    );
    let exists = api
        .udm_call(
            Method::POST,
            "/container/cn/",
            Some(json!({"properties": {"name": "users"}})),
        )
        .await;
    assert_eq!(udm_error_locations(&exists.body), ["body.dn"]);
    let dn = format!("cn=users,{}", api.base());
    assert_eq!(
        exists.body["error"]["error"]["body"]["dn"],
        format!("Object exists: dn: {dn}: Object exists: {dn}.")
    );
}

// put/patch + set_properties: only the given properties change (PUT is not a replace),
// options merge, `position` and `properties` are required for PUT, PATCH ignores `position`,
// an empty policies map leaves the references alone.
#[tokio::test]
async fn put_and_patch_change_only_what_they_are_given() {
    let api = Api::start().await;
    let dn = api.create_udm_user("merger").await;
    let url = api.udm_object("users/user", &dn);
    let position = format!("cn=users,{}", api.base());
    let patched = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(json!({"properties": {"description": "kept"}, "options": {"pki": true}})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT, "{}", patched.text);
    assert_eq!(patched.header("location"), Some(url.as_str()));
    let put = api.udm_call(Method::PUT, &url, Some(json!({"position": position, "properties": {"title": "Dr."}, "options": {"ucsschoolStaff": true}, "policies": {}}))).await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text);
    let user = api.udm_get(&url).await.body;
    assert_eq!(
        user["properties"]["description"], "kept",
        "PUT left it alone"
    );
    assert_eq!(user["properties"]["title"], "Dr.");
    assert_eq!(user["properties"]["firstname"], "Ada");
    assert_eq!(user["options"]["pki"], true, "options merge");
    assert_eq!(user["options"]["ucsschoolStaff"], true);
    let moved_by_patch = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(json!({"position": format!("cn=groups,{}", api.base()), "properties": {}})),
        )
        .await;
    assert_eq!(moved_by_patch.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.udm_get(&url).await.status,
        StatusCode::OK,
        "PATCH does not move"
    );
    let incomplete = api
        .udm_call(Method::PUT, &url, Some(json!({"properties": {}})))
        .await;
    assert_eq!(udm_error_locations(&incomplete.body), ["body.position"]);
    let no_props = api
        .udm_call(Method::PUT, &url, Some(json!({"position": position})))
        .await;
    assert_eq!(udm_error_locations(&no_props.body), ["body.properties"]);
}

// move: modules without children answer 201 with the new Location (properties in the same PUT
// are not applied); a failed move is a UDM error (400).
#[tokio::test]
async fn moving_a_user_is_201_and_ignores_other_changes() {
    let api = Api::start().await;
    let base = api.base();
    let dn = api.create_udm_user("mover").await;
    api.udm_call(
        Method::POST,
        "/container/cn/",
        Some(json!({"properties": {"name": "target"}})),
    )
    .await;
    let target = format!("cn=target,{base}");
    let moved = api
        .udm_call(
            Method::PUT,
            &api.udm_object("users/user", &dn),
            Some(json!({"position": target, "properties": {"description": "lost"}})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::CREATED, "{}", moved.text);
    let new_dn = format!("uid=mover,{target}");
    let uri = api.udm_object("users/user", &new_dn);
    assert_eq!(moved.header("location"), Some(uri.as_str()));
    assert_eq!(moved.body["id"], "");
    assert_eq!(moved.body["finished"], true);
    assert_eq!(moved.body["errors"], false);
    assert_eq!(moved.body["uri"], uri);
    assert!(moved.body.get("dn").is_none());
    let user = api.udm_get(&uri).await.body;
    assert_eq!(
        user["properties"]["description"],
        json!(null),
        "not applied with the move"
    );
    let nowhere = api
        .udm_call(
            Method::PUT,
            &uri,
            Some(json!({"position": format!("cn=nowhere,{base}"), "properties": {}})),
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::BAD_REQUEST, "{}", nowhere.text);
    assert_eq!(nowhere.body["error"]["title"], "");
}

// _move_with_childs + Operations.get: containers answer 202 with a progress URL of the user;
// the progress answers 301 (Retry-After: 1, Location itself) while running, then 303 to the
// object and is gone; a failed move stays 301 with `errors: true`. `Accept: */*` is JSON
// there (Operations.check_acceptable).
#[tokio::test]
async fn moving_a_container_runs_in_the_background() {
    let api = Api::start().await;
    let base = api.base();
    for name in ["box", "shelf"] {
        api.udm_call(
            Method::POST,
            "/container/cn/",
            Some(json!({"properties": {"name": name}})),
        )
        .await;
    }
    api.udm_call(
        Method::POST,
        "/container/cn/",
        Some(json!({"position": format!("cn=box,{base}"), "properties": {"name": "inner"}})),
    )
    .await;
    let url = api.udm_object("container/cn", &format!("cn=box,{base}"));
    let started = api
        .udm_call(
            Method::PUT,
            &url,
            Some(json!({"position": format!("cn=shelf,{base}"), "properties": {}})),
        )
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text);
    let progress = started.header("location").unwrap().to_string();
    assert!(progress.starts_with(&api.udm("/progress/")));
    assert_eq!(started.body["finished"], false);
    let get = |accept: &'static str| {
        api.send(
            api.http
                .get(&progress)
                .basic_auth(api.sim.admin().0, Some(api.sim.admin().1))
                .header("Accept", accept),
        )
    };
    let running = get("*/*").await;
    assert_eq!(running.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(running.header("retry-after"), Some("1"));
    assert_eq!(running.header("location"), Some(progress.as_str()));
    let done = get("application/json").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let moved = api.udm_object("container/cn", &format!("cn=box,cn=shelf,{base}"));
    assert_eq!(done.header("location"), Some(moved.as_str()));
    assert_eq!(done.body["uri"], moved);
    assert_eq!(
        get("application/json").await.status,
        StatusCode::NOT_FOUND,
        "gone after the 303"
    );
    assert!(api
        .sim
        .store()
        .exists(&format!("cn=inner,cn=box,cn=shelf,{base}")));

    let failing = api
        .udm_call(
            Method::PUT,
            &moved,
            Some(json!({"position": format!("cn=nowhere,{base}"), "properties": {}})),
        )
        .await;
    assert_eq!(
        failing.status,
        StatusCode::ACCEPTED,
        "the 202 comes before the move runs"
    );
    let progress = failing.header("location").unwrap().to_string();
    for _ in 0..2 {
        let failed = api.udm_get(&progress).await;
        assert_eq!(failed.status, StatusCode::MOVED_PERMANENTLY);
        assert_eq!(failed.body["errors"], true);
        assert_eq!(failed.body["finished"], true);
        assert!(failed.body["traceback"].is_string());
    }
}

// http_conditional.py: ETag `"<40 hex>"` changing on every write; If-None-Match -> 304 on
// GET, 412 on writes; If-Match mismatch 412 with the server's text, unquoted 400;
// Last-Modified only for changes older than a second, then If-Modified-Since 304 and
// If-Unmodified-Since 412 (also on GET).
#[tokio::test]
async fn entity_tags_and_conditional_requests() {
    let api = Api::start().await;
    let dn = api.create_udm_user("tagged").await;
    let url = api.udm_object("users/user", &dn);
    let first = api.udm_get(&url).await;
    let etag = first.header("etag").unwrap().to_string();
    assert_eq!(etag.len(), 42);
    assert!(etag
        .trim_matches('"')
        .chars()
        .all(|c| c.is_ascii_hexdigit()));
    assert!(
        first.header("last-modified").is_none(),
        "changed less than a second ago"
    );
    let cached = api
        .send(
            api.udm_request(Method::GET, &url)
                .header("If-None-Match", &etag),
        )
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    let body = json!({"properties": {"description": "x"}});
    let none_match = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-None-Match", &etag)
                .json(&body),
        )
        .await;
    assert_eq!(none_match.status, StatusCode::PRECONDITION_FAILED);
    let stale = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Match", "\"0000\"")
                .json(&body),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        stale.body["error"]["message"],
        format!("HTTP 412: Precondition Failed (The resource has meanwhile been changed. If-Match \"0000\" does not match entity tag {etag}.)")
    );
    let unquoted = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Match", "abc")
                .json(&body),
        )
        .await;
    assert_eq!(unquoted.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unquoted.body["error"]["message"],
        "HTTP 400: Bad Request (Invalid \"If-Match\" syntax.)"
    );
    let matching = api
        .send(
            api.udm_request(Method::PATCH, &url)
                .header("If-Match", &etag)
                .json(&body),
        )
        .await;
    assert_eq!(matching.status, StatusCode::NO_CONTENT);
    assert_ne!(
        matching.header("etag"),
        Some(etag.as_str()),
        "a write changes the tag"
    );

    tokio::time::sleep(Duration::from_millis(2100)).await;
    let aged = api.udm_get(&url).await;
    let modified = aged.header("last-modified").unwrap().to_string();
    let since = api
        .send(
            api.udm_request(Method::GET, &url)
                .header("If-Modified-Since", &modified),
        )
        .await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    let old = "Mon, 01 Jan 2001 00:00:00 GMT";
    let unmodified = api
        .send(
            api.udm_request(Method::GET, &url)
                .header("If-Unmodified-Since", old),
        )
        .await;
    assert_eq!(unmodified.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        unmodified.body["error"]["message"],
        "HTTP 412: Precondition Failed (If-Unmodified-Since does not match Last-Modified.)"
    );
}
