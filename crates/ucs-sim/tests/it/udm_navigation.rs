//! UDM module listings, redirects and the OpenAPI document.
//!
//! Source of every test: univention/univention-corporate-server, UCS 5.2-1 copy
//! geekswagg/univention-corporate-server @ 03c80076,
//! management/univention-directory-manager-rest/src/univention/admin/rest/module.py,
//! classes `Modules`, `ObjectTypes`, `LdapBase`, `ObjectLink`, `ObjectByUiid`, `OpenAPI`
//! (openapi.py `OpenAPIBase.check_acceptable`), and utils.py `quote_dn`/`unquote_dn`.

use crate::common::{quote_dn, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn module_listings_follow_the_mapping() {
    let api = Api::start().await;
    let root = api.udm_get("/").await;
    assert_eq!(root.status, StatusCode::OK);
    assert_eq!(root.header("cache-control"), Some("public"));
    let modules = root.body["_links"]["udm:object-modules"]
        .as_array()
        .unwrap();
    assert_eq!(modules[0]["name"], "all", "navigation first, named all");
    assert_eq!(modules[0]["href"], api.udm("/navigation/"));
    let names: Vec<&str> = modules.iter().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(names.len(), 20);
    assert!(names.contains(&"printers") && names.contains(&"self"));
    let types = root.body["_links"]["udm:object-types"].as_array().unwrap();
    assert_eq!(types.len(), 128, "every module of the vendored spec");
    assert_eq!(
        root.body["_links"]["udm:ldap-base"][0]["href"],
        api.udm("/ldap/base/")
    );
    assert_eq!(
        root.body["_links"]["udm:object/get-by-dn"][0],
        json!({"templated": true, "href": api.udm("/object/{dn}")})
    );

    let users = api.udm_get("/users/").await;
    let listed: Vec<&str> = users.body["_links"]["udm:object-types"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(listed, ["users/user"], "the mapped module itself");
    let computers = api.udm_get("/computers/").await;
    assert!(
        computers.body["_links"]["udm:object-types"]
            .as_array()
            .unwrap()
            .len()
            > 5,
        "its child modules"
    );
    let navigation = api.udm_get("/navigation/").await;
    assert_eq!(
        navigation.body["_links"]["udm:object-types"]
            .as_array()
            .unwrap()
            .len(),
        128
    );
    assert_eq!(
        api.udm_get("/ucsschool/").await.status,
        StatusCode::NOT_FOUND,
        "not a mapping key"
    );
    assert_eq!(
        api.udm_get("/users/nosuchmodule/").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn ldap_base_and_object_links_redirect() {
    let api = Api::start().await;
    let base = api.base();
    let redirect = api.udm_get("/ldap/base/").await;
    assert_eq!(redirect.status, StatusCode::MOVED_PERMANENTLY);
    let location = api.udm(&format!("/container/dc/{}", quote_dn(&base)));
    assert_eq!(redirect.header("location"), Some(location.as_str()));
    assert_eq!(
        redirect.body["_links"]["self"][0],
        json!({"title": "LDAP base", "href": location})
    );
    let base_object = api.udm_get(&location).await;
    assert_eq!(base_object.status, StatusCode::OK);
    assert_eq!(base_object.body["dn"], base);

    // object/{dn}: raw DN (udm-rest-client sends it unencoded) or encoded
    let dn = format!("uid=demo_admin,cn=admins,cn=users,ou=DEMOSCHOOL,{base}");
    for path in [
        format!("/object/{dn}"),
        format!("/object/{}", quote_dn(&dn)),
    ] {
        let found = api.udm_get(&path).await;
        assert_eq!(found.status, StatusCode::MOVED_PERMANENTLY, "{path}");
        assert_eq!(
            found.header("location"),
            Some(api.udm_object("users/user", &dn).as_str())
        );
    }
    let uuid = api.udm_get(&api.udm_object("users/user", &dn)).await.body["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let by_uuid = api.udm_get(&format!("/object/{uuid}")).await;
    assert_eq!(
        by_uuid.header("location"),
        Some(api.udm_object("users/user", &dn).as_str())
    );
    assert_eq!(
        api.udm_get(&format!("/object/cn=nope,{base}")).await.status,
        StatusCode::NOT_FOUND
    );

    // a DN with `//` travels as `,/=/,`
    let created = api
        .udm_call(
            Method::POST,
            "/container/cn/",
            Some(json!({"properties": {"name": "a//b"}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let slashed = created.body["dn"].as_str().unwrap().to_string();
    let location = created.header("location").unwrap().to_string();
    assert!(
        location.ends_with(&quote_dn(&slashed)) && location.contains("a%2C/%3D/%2Cb"),
        "{location}"
    );
    assert_eq!(api.udm_get(&location).await.body["dn"], slashed);
    let linked = api
        .udm_get(&format!("/object/{}", slashed.replace("//", ",/=/,")))
        .await;
    assert_eq!(linked.header("location"), Some(location.as_str()));
}

#[tokio::test]
async fn the_openapi_document_is_the_vendored_one() {
    let api = Api::start().await;
    let vendored: Value =
        serde_json::from_str(include_str!("../../../../specs/udm/openapi.json")).unwrap();
    for accept in ["text/html", "application/json"] {
        let served = api
            .send(
                api.udm_bare(Method::GET, "/openapi.json")
                    .header("Accept", accept),
            )
            .await;
        assert_eq!(
            served.status,
            StatusCode::OK,
            "{accept}: any Accept gets JSON"
        );
        assert_eq!(served.header("content-type"), Some("application/json"));
        assert_eq!(served.body, vendored);
    }
    let anonymous = api.send(api.http.get(api.udm("/openapi.json"))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
