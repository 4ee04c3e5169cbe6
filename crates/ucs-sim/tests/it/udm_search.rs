//! UDM searches and paging.
//!
//! Source of every test: univention/univention-corporate-server, UCS 5.2-1 copy
//! geekswagg/univention-corporate-server @ 03c80076,
//! management/univention-directory-manager-rest/src/univention/admin/rest/module.py,
//! `Objects.get` and `Objects.search` (and sanitizer.py `BoolSanitizer`,
//! `QueryStringSanitizer`; umc sanitizers.py `ChoicesSanitizer`, `IntegerSanitizer`,
//! `SearchSanitizer` for the 422 texts).

use crate::common::{enc, udm_error_locations, udm_ids, Api};
use reqwest::StatusCode;
use serde_json::json;

// `search = bool(self.request.query)`: without a query string the answer is the module
// overview without objects and without `results`.
#[tokio::test]
async fn no_query_string_means_no_search() {
    let api = Api::start().await;
    let overview = api.udm_get("/users/user/").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert_eq!(overview.body["_embedded"], json!({}));
    assert!(overview.body.get("results").is_none());
    assert_eq!(
        overview.body["_links"]["udm:layout"][0]["href"],
        api.udm("/users/user/layout")
    );
    assert_eq!(
        overview.body["_links"]["self"][0]["href"],
        api.udm("/users/user/")
    );
    let search = api.udm_get("/users/user/?unknown=1").await;
    assert!(
        search.body["results"].as_u64().unwrap() >= 5,
        "any parameter searches"
    );
    assert!(search.body["_links"].get("udm:layout").is_none());
    assert_eq!(
        search.header("cache-control"),
        Some("private, must-revalidate, no-cache, no-store, max-age=1")
    );
}

// The filter goes to LDAP AND-ed with the module's own filter: raw LDAP attributes work.
// UCS@school users carry the object class of their role option.
#[tokio::test]
async fn filters_see_ldap_attributes() {
    let api = Api::start().await;
    let api = &api;
    let search = |filter: &str| {
        let url = format!("/users/user/?filter={}", enc(filter));
        async move { api.udm_get(&url).await }
    };
    let all = search("(objectClass=*)").await;
    let everyone = api.udm_get("/users/user/?hidden=true").await;
    assert_eq!(all.body["results"], everyone.body["results"]);
    assert_eq!(
        udm_ids(&search("(objectClass=ucsschoolStudent)").await.body),
        ["demo_student"]
    );
    let teachers = udm_ids(
        &search("(&(objectClass=ucsschoolTeacher)(univentionObjectType=users/user))")
            .await
            .body,
    );
    assert_eq!(teachers, ["demo_teacher"]);
    assert!(udm_ids(&search("(objectClass=organizationalUnit)").await.body).is_empty());
    let schools = api
        .udm_get(&format!(
            "/container/ou/?filter={}",
            enc("(objectClass=ucsschoolOrganizationalUnit)")
        ))
        .await;
    let mut ids = udm_ids(&schools.body);
    ids.sort();
    assert_eq!(ids, ["DEMOSCHOOL", "DEMOSCHOOL2"]);
    let groups = api
        .udm_get(&format!(
            "/groups/group/?filter={}",
            enc("(&(objectClass=posixGroup)(cn=Domain Users))")
        ))
        .await;
    assert_eq!(udm_ids(&groups.body), ["Domain Users"]);
    let uuid = api
        .udm_get(&api.udm_object(
            "users/user",
            &format!(
                "uid=demo_staff,cn=mitarbeiter,cn=users,ou=DEMOSCHOOL,{}",
                api.base()
            ),
        ))
        .await
        .body["uuid"]
        .clone();
    let by_uuid = search(&format!("(entryUUID={})", uuid.as_str().unwrap())).await;
    assert_eq!(udm_ids(&by_uuid.body), ["demo_staff"]);
    let bad = search("(username=").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(udm_error_locations(&bad.body), ["query.filter"]);
}

// `if not ldap_filter:` the query[] values build the filter (asterisks collapsed, at most 5,
// `*` alone a presence test); with a raw filter they and `hidden` are not applied.
#[tokio::test]
async fn query_values_and_hidden() {
    let api = Api::start().await;
    let api = &api;
    let query = |q: &str| {
        let url = format!("/users/user/?{q}");
        async move { api.udm_get(&url).await }
    };
    let mut ids = udm_ids(&query("query%5Busername%5D=demo_s**").await.body);
    ids.sort();
    assert_eq!(ids, ["demo_staff", "demo_student"]);
    let both = query(&format!(
        "filter={}&query%5Busername%5D=nobody",
        enc("(username=demo_admin)")
    ))
    .await;
    assert_eq!(
        udm_ids(&both.body),
        ["demo_admin"],
        "query ignored with a filter"
    );
    let present = query("query%5Bbirthday%5D=*").await;
    assert_eq!(present.body["results"], 0, "nobody has a birthday");
    let asterisks = query("query%5Busername%5D=a*b*c*d*e*f*").await;
    assert_eq!(asterisks.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        udm_error_locations(&asterisks.body),
        ["query.query.username"]
    );
    assert_eq!(
        asterisks.body["_embedded"]["udm:error"][0]["message"],
        "The maximum number of asterisks (*) in the search string is 5"
    );
    let containers = |q: &str| {
        let url = format!("/container/cn/?scope=one&{q}");
        async move { api.udm_get(&url).await }
    };
    let with_hidden = containers("hidden=true").await.body["results"]
        .as_u64()
        .unwrap();
    let without = containers("hidden=false").await.body["results"]
        .as_u64()
        .unwrap();
    assert_eq!(with_hidden, without + 1, "cn=univention is hidden");
    let filtered = containers(&format!("hidden=false&filter={}", enc("(objectClass=*)"))).await;
    assert_eq!(
        filtered.body["results"], with_hidden,
        "hidden is not applied to a raw filter"
    );
}

// Booleans are exactly 1/on/true/false/0/off/"" (BoolSanitizer); a parameter sent twice stays
// a list and fails (QueryStringSanitizer); `scope` must be one of four values (a raw `+` is a
// space); `limit=` is not a number.
#[tokio::test]
async fn parameters_are_checked_strictly() {
    let api = Api::start().await;
    let bool_choices =
        "Value has to be one of ['1', 'on', 'true', 'false', '0', 'off', '', None, True, False]";
    for (query, location, message) in [
        ("hidden=TRUE", "query.hidden", bool_choices),
        ("hidden=yes", "query.hidden", bool_choices),
        (
            "scope=sub&scope=one",
            "query.scope",
            "Value has to be one of ['sub', 'one', 'base', 'base+one']",
        ),
        (
            "scope=base+one",
            "query.scope",
            "Value has to be one of ['sub', 'one', 'base', 'base+one']",
        ),
        ("limit=", "query.limit", "Cannot be converted to a number"),
        ("page=0", "query.page", "Should stay >= 1"),
        (
            "dir=UP",
            "query.dir",
            "Value has to be one of ['ASC', 'DESC']",
        ),
        (
            "position=cn%3Dx%2Cdc%3Dother",
            "query.position",
            "The ldap base is invalid. Use dc=example,dc=com.",
        ),
    ] {
        let answer = api.udm_get(&format!("/users/user/?{query}")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(udm_error_locations(&answer.body), [location], "{query}");
        let param = location.trim_start_matches("query.");
        assert_eq!(
            answer.body["error"]["message"],
            format!("1 error(s) occurred:\nQuery string \"{param}\": {message}\n"),
            "{query}"
        );
        assert_eq!(answer.body["error"]["title"], "Unprocessable Entity");
        assert_eq!(
            answer.body["error"]["error"],
            json!({"query_string": {param: message}})
        );
    }
    assert_eq!(
        api.udm_get("/users/user/?hidden=").await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.udm_get("/users/user/?scope=base%2Bone").await.status,
        StatusCode::OK
    );
    let missing = api
        .udm_get(&format!(
            "/users/user/?position={}",
            enc(&format!("cn=nope,{}", api.base()))
        ))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(udm_error_locations(&missing.body), ["query.position"]);
    assert_eq!(
        missing.body["error"]["error"]["position"]
            .as_str()
            .unwrap()
            .lines()
            .next(),
        Some(format!("LDAP object cn=nope,{} could not be found.", api.base()).as_str())
    );
}

// Paging: `results` counts this page; links `first`, `prev` (page > 1), and `next` or
// `last`, never both; hrefs are the request's parameters (blank ones dropped) with `page`
// replaced, urlencoded; the session of (user, search) only reads forward.
#[tokio::test]
async fn pages_are_read_forward_only_with_the_servers_links() {
    let api = Api::start().await;
    let url =
        |page: usize| format!("/users/user/?filter=username%3Ddemo%2A&limit=3&empty=&page={page}");
    let first = api.udm_get(&url(1)).await;
    assert_eq!(first.body["results"], 3);
    let links = &first.body["_links"];
    let href = |page: usize| {
        api.udm(&format!(
            "/users/user/?filter=username%3Ddemo%2A&limit=3&page={page}"
        ))
    };
    assert_eq!(
        links["first"],
        json!([{"title": "First page", "href": href(1)}])
    );
    assert_eq!(
        links["next"],
        json!([{"title": "Next page", "href": href(2)}])
    );
    assert!(links.get("prev").is_none() && links.get("last").is_none());
    assert_eq!(
        links["self"][0]["href"],
        api.udm("/users/user/"),
        "self without the query"
    );

    let second = api.udm_get(&url(2)).await;
    assert_eq!(second.body["results"], 1, "4 demo users");
    let links = &second.body["_links"];
    assert_eq!(
        links["prev"],
        json!([{"title": "Previous page", "href": href(1)}])
    );
    assert_eq!(
        links["last"],
        json!([{"title": "Last page", "href": href(2)}])
    );
    assert!(links.get("next").is_none());

    // the session ended with the last page: page 1 works again; going back does not
    let again = api.udm_get(&url(1)).await;
    assert_eq!(again.body["results"], 3);
    let back = api.udm_get(&url(1)).await;
    assert_eq!(
        back.body["results"], 0,
        "page <= the page the session reached: no search"
    );
    assert!(back.body["_embedded"].get("udm:object").is_none());
    assert!(back.body["_links"].get("next").is_some());
    // past the end: the last page again, marked as the last page asked for
    let other = |page: usize| {
        format!("/users/user/?filter=username%3Ddemo%2A&limit=3&page={page}&properties=username")
    };
    let far = api.udm_get(&other(9)).await;
    assert_eq!(far.body["results"], 1);
    assert!(far.body["_links"]["last"][0]["href"]
        .as_str()
        .unwrap()
        .ends_with("page=9&properties=username"));
    // the session belongs to the user: another user starts fresh (Administrator vs cn=admin)
    let fresh = api
        .send(
            api.http
                .get(api.udm(&url(1)))
                .basic_auth("cn=admin", Some(api.sim.ldap_secret()))
                .header("Accept", "application/json"),
        )
        .await;
    assert_eq!(fresh.body["results"], 3);
}

// Hits: dn, objectType, id, position, properties, options, policies, uuid, uri and only a
// `self` link; `properties` selects set properties only and empties `policies`.
#[tokio::test]
async fn hits_are_shaped_like_the_servers() {
    let api = Api::start().await;
    let all = api
        .udm_get("/users/user/?query%5Busername%5D=demo_admin")
        .await;
    let hit = &all.body["_embedded"]["udm:object"][0];
    let keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "dn",
            "objectType",
            "id",
            "position",
            "properties",
            "options",
            "policies",
            "uuid",
            "uri",
            "_links"
        ]
    );
    assert_eq!(
        hit["_links"],
        json!({"self": [{"name": hit["dn"], "title": "demo_admin", "href": hit["uri"]}]})
    );
    assert_eq!(hit["properties"]["objectFlag"], json!([]));
    let some = api
        .udm_get(
            "/users/user/?query%5Busername%5D=demo_admin&properties=username&properties=birthday",
        )
        .await;
    let hit = &some.body["_embedded"]["udm:object"][0];
    assert_eq!(
        hit["properties"],
        json!({"username": "demo_admin"}),
        "unset properties are left out"
    );
    assert_eq!(hit["policies"], json!({}));
    let closed = api
        .udm_get("/users/user/?query%5Busername%5D=demo_admin&opened=false&properties=username")
        .await;
    let hit = &closed.body["_embedded"]["udm:object"][0];
    assert!(hit.get("options").is_none() && hit.get("policies").is_none());
    assert_eq!(hit["properties"], json!({}));
    assert!(hit["_links"]["self"][0]["href"]
        .as_str()
        .unwrap()
        .ends_with("?properties=username"));
}
