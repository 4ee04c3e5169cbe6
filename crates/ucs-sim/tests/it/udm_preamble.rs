//! What the UDM REST API checks before any resource runs: credentials, `Accept`, the body,
//! `X-Request-Id`, the proxy's path handling.
//!
//! Source of every test (unless it names another): univention/univention-corporate-server,
//! UCS 5.2-1 copy geekswagg/univention-corporate-server @ 03c80076,
//! management/univention-directory-manager-rest/src/univention/admin/rest/module.py,
//! class `ResourceBase` (`prepare`, `parse_authorization`, `force_authorization`,
//! `check_acceptable`, `decode_request_arguments`, `write_error`).

use crate::common::{Answer, Api};
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::json;

const HTML_DISABLED: &str = "HTTP 406: Not Acceptable (The unsupported HTML view of the UDM REST API is disabled. Please use the JSON interface via the &quot;Accept: application/json&quot; HTTP header or enable it via the UCR variable &quot;directory/manager/rest/html-view-enabled&quot;. To get a developer overview the OpenAPI schema interface can be reached at /univention/udm/schema/.)";

async fn with_accept(api: &Api, accept: Option<&str>) -> Answer {
    let mut request = api.udm_bare(Method::GET, "/users/user/?limit=1");
    if let Some(a) = accept {
        request = request.header("Accept", a);
    }
    api.send(request).await
}

// module.py ResourceBase.check_acceptable: missing Accept, */*, text/* and HTML types choose
// the disabled HTML view (406, rendered as an HTML page); unknown types are 406 as well.
#[tokio::test]
async fn accept_negotiation_follows_check_acceptable() {
    let api = Api::start().await;
    for accept in [
        None,
        Some("*/*"),
        Some("text/*"),
        Some("text/html"),
        Some("*/*, application/json"),
    ] {
        let answer = with_accept(&api, accept).await;
        assert_eq!(answer.status, StatusCode::NOT_ACCEPTABLE, "{accept:?}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=UTF-8")
        );
        assert!(answer.text.contains(HTML_DISABLED), "{}", answer.text);
    }
    for accept in ["Application/JSON", "image/png"] {
        let answer = with_accept(&api, Some(accept)).await;
        assert_eq!(answer.status, StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert!(answer.text.contains(
            "The requested Content-Type does not exists. Specify a valid Accept header."
        ));
    }
    for accept in [
        "application/json",
        "text/html;q=0.9, application/json",
        "application/json;q=0.5, */*;q=0.1",
    ] {
        let answer = with_accept(&api, Some(accept)).await;
        assert_eq!(answer.status, StatusCode::OK, "{accept}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("content-language"), Some("en-US"));
    }
    // HAL: `_links` and `_embedded` always present (hal.py HAL.get_hal_json)
    for accept in ["application/hal+json", "application/*"] {
        let root = api
            .send(api.udm_bare(Method::GET, "/").header("Accept", accept))
            .await;
        assert_eq!(root.header("content-type"), Some("application/hal+json"));
        assert_eq!(root.body["_embedded"], json!({}));
        let json_root = api.udm_get("/").await;
        assert!(
            json_root.body.get("_embedded").is_none(),
            "plain JSON adds nothing"
        );
    }
    // a q value that is not a number fails the server (500, HTML)
    let bad = with_accept(&api, Some("application/json;q=high")).await;
    assert_eq!(bad.status, StatusCode::INTERNAL_SERVER_ERROR);
}

// module.py ResourceBase.prepare + force_authorization: no Authorization header -> 401 with
// an empty body and the Basic challenge, before Accept is looked at.
#[tokio::test]
async fn missing_or_wrong_credentials_are_401_with_an_empty_body() {
    let api = Api::start().await;
    for path in ["/users/user/", "/no/such/route/", "/"] {
        let anonymous = api.send(api.http.get(api.udm(path))).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(anonymous.text, "");
        assert_eq!(
            anonymous.header("www-authenticate"),
            Some("Basic realm=\"Univention Directory Manager\"")
        );
    }
    let wrong = api
        .send(
            api.http
                .get(api.udm("/"))
                .basic_auth("Administrator", Some("nope"))
                .header("Accept", "application/json"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.text, "");
    let bearer = api.send(api.http.get(api.udm("/")).bearer_auth("x")).await;
    assert_eq!(bearer.status, StatusCode::UNAUTHORIZED);
    let challenges: Vec<&str> = bearer
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(
        challenges,
        [
            "Basic realm=\"Univention Directory Manager\"",
            "Bearer realm=\"Univention Directory Manager\""
        ]
    );
    let other_scheme = api
        .send(
            api.http
                .get(api.udm("/"))
                .header("Authorization", "Digest x"),
        )
        .await;
    assert_eq!(other_scheme.status, StatusCode::UNAUTHORIZED);
}

// module.py ResourceBase.parse_authorization: undecodable Basic credentials, no colon, an
// empty user name or password -> 400 "The basic auth credentials are malformed."
#[tokio::test]
async fn malformed_basic_credentials_are_400() {
    let api = Api::start().await;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    for payload in [
        "!!!".to_string(),
        b64("nocolon"),
        b64("Administrator:"),
        b64(":univention"),
    ] {
        let answer = api
            .send(
                api.http
                    .get(api.udm("/"))
                    .header("Authorization", format!("Basic {payload}"))
                    .header("Accept", "application/json"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{payload}");
        assert_eq!(
            answer.body["error"]["message"],
            "HTTP 400: Bad Request (The basic auth credentials are malformed.)"
        );
        assert_eq!(answer.body["error"]["title"], "");
        // a failing Accept check runs afterwards and replaces the 400 (the `finally` in prepare)
        let html = api
            .send(
                api.http
                    .get(api.udm("/"))
                    .header("Authorization", format!("Basic {payload}")),
            )
            .await;
        assert_eq!(html.status, StatusCode::NOT_ACCEPTABLE);
    }
}

// module.py ResourceBase.parse_authorization decodes Basic credentials as ISO-8859-1;
// _auth_check_allowed_groups answers 403 "Not in allowed groups." for valid users outside
// the authorized groups (Domain Admins, DC Backup Hosts, DC Slave Hosts: the join script
// 22univention-directory-manager-rest.inst); `cn=admin` skips the group check and binds with
// its own password, the LDAP secret (`_auth_get_userdn` maps it to `cn=admin,<base>`).
#[tokio::test]
async fn credentials_are_latin1_and_only_authorized_groups_get_in() {
    let api = Api::start().await;
    let dn = api.create_udm_user("umlaut").await;
    let changed = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("users/user", &dn),
            Some(json!({"properties": {"password": "Grüße1234"}})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text);
    let encode = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut latin1 = b"umlaut:Gr".to_vec();
    latin1.extend([0xFC, 0xDF, b'e', b'1', b'2', b'3', b'4']);
    let utf8 = b"umlaut:Gr\xC3\xBC\xC3\x9Fe1234".to_vec();
    let call = |payload: String| {
        api.http
            .get(api.udm("/"))
            .header("Authorization", format!("Basic {payload}"))
            .header("Accept", "application/json")
    };
    let as_latin1 = api.send(call(encode(latin1))).await;
    assert_eq!(
        as_latin1.status,
        StatusCode::FORBIDDEN,
        "valid user, not a domain admin"
    );
    assert_eq!(
        as_latin1.body["error"]["message"],
        "HTTP 403: Forbidden (Not in allowed groups.)"
    );
    assert_eq!(as_latin1.body["error"]["title"], "");
    let as_utf8 = api.send(call(encode(utf8))).await;
    assert_eq!(
        as_utf8.status,
        StatusCode::UNAUTHORIZED,
        "UTF-8 bytes are read as Latin-1"
    );
    let ldap_admin = |password: String| {
        api.http
            .get(api.udm("/"))
            .basic_auth("cn=admin", Some(password))
            .header("Accept", "application/json")
    };
    let with_secret = api.send(ldap_admin(api.sim.ldap_secret())).await;
    assert_eq!(with_secret.status, StatusCode::OK);
    let (_, admin_password) = api.sim.admin();
    let with_admins = api.send(ldap_admin(admin_password)).await;
    assert_eq!(
        with_admins.status,
        StatusCode::UNAUTHORIZED,
        "cn=admin has the LDAP secret, not the Administrator's password"
    );
}

// module.py ResourceBase.decode_request_arguments: a body on GET/DELETE is 400; JSON is
// parsed only for `application/json`; invalid JSON is 400; sanitizer.py DictSanitizer: a
// JSON body that is not an object is 422 at ["body"].
#[tokio::test]
async fn request_bodies_and_content_types() {
    let api = Api::start().await;
    let safe = "HTTP 400: Bad Request (Safe HTTP method should not contain request body/Content-Type header.)";
    for method in [Method::GET, Method::DELETE] {
        let answer = api
            .send(
                api.udm_request(method.clone(), "/users/user/?limit=1")
                    .body("{}"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{method}");
        assert_eq!(answer.body["error"]["message"], safe);
    }
    let typed_only = api
        .send(
            api.udm_request(Method::GET, "/users/user/?limit=1")
                .header("Content-Type", "application/json"),
        )
        .await;
    assert_eq!(
        typed_only.status,
        StatusCode::OK,
        "a Content-Type alone is fine"
    );
    let invalid = api
        .send(
            api.udm_request(Method::POST, "/users/user/")
                .header("Content-Type", "application/json; charset=utf-8")
                .body("{"),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(invalid.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("HTTP 400: Bad Request (Invalid JSON document: JSONDecodeError("));
    let form = api
        .send(
            api.udm_request(Method::POST, "/users/user/")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("a=b"),
        )
        .await;
    assert_eq!(
        form.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "the handlers get no document"
    );
    assert_eq!(
        form.body["error"]["message"],
        "'NoneType' object is not subscriptable"
    );
    assert!(form.body["error"]["traceback"]
        .as_str()
        .unwrap()
        .starts_with("Traceback"));
    let list = api
        .udm_call(Method::POST, "/users/user/", Some(json!([1])))
        .await;
    assert_eq!(list.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        list.body["_embedded"]["udm:error"][0]["location"],
        json!(["body"])
    );
    assert_eq!(
        list.body["error"]["message"],
        "1 error(s) occurred:\nBody data \"body_arguments\": Not a \"dict\"\n"
    );
}

// module.py ResourceBase.prepare: `RE_UUID.sub('', value)[:36]` (utils.py RE_UUID =
// `[^A-Fa-f0-9-]`); the gateway (server/__init__.py Gateway.prepare) fills in a uuid4 when
// the header is missing.
#[tokio::test]
async fn request_ids_are_normalised() {
    let api = Api::start().await;
    let id = |value: Option<&str>| {
        let mut request = api.udm_request(Method::GET, "/");
        if let Some(v) = value {
            request = request.header("X-Request-Id", v);
        }
        request
    };
    assert_eq!(
        api.send(id(Some("req-42_XYZ")))
            .await
            .header("x-request-id"),
        Some("e-42")
    );
    let long = "a".repeat(50);
    assert_eq!(
        api.send(id(Some(&long)))
            .await
            .header("x-request-id")
            .map(str::len),
        Some(36)
    );
    assert_eq!(
        api.send(id(Some(""))).await.header("x-request-id"),
        Some("")
    );
    let generated = api
        .send(id(None))
        .await
        .header("x-request-id")
        .unwrap()
        .to_string();
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    // errors carry it too
    assert_eq!(
        api.send(
            api.udm_request(Method::GET, "/nothing/")
                .header("X-Request-Id", "ABC")
        )
        .await
        .header("x-request-id"),
        Some("ABC")
    );
}

// module.py Application (URL table; routes need their trailing slash; a DN must end with the
// LDAP base), Nothing (404), write_error (nested 404 body with the message tornado makes
// without a log message); the language gateway has no HEAD (405); Apache merges `//` and
// refuses `%2F` (the comment above the `dn` pattern in Application.__init__).
#[tokio::test]
async fn routing_like_the_url_table_behind_the_proxy() {
    let api = Api::start().await;
    let missing = api.udm_get("/users/user").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.body["error"],
        json!({"code": 404, "title": "", "message": "HTTP 404: Not Found", "error": {}})
    );
    assert_eq!(
        missing.body["_links"]["self"][0],
        json!({"title": "HTTP-Error 404: ", "href": api.udm("/users/user")})
    );
    assert_eq!(
        missing.body["_links"]["curies"][0]["href"],
        api.udm("/relation/{rel}")
    );
    assert_eq!(
        missing.header("cache-control"),
        Some("private, must-revalidate, no-cache, no-store")
    );
    let base = api.base();
    let other_base = api
        .udm_get(&format!(
            "/users/user/uid=Administrator,cn=users,{}",
            base.to_uppercase()
        ))
        .await;
    assert_eq!(
        other_base.status,
        StatusCode::NOT_FOUND,
        "the base spelled differently"
    );
    let merged = api.udm_get("//users//user/?limit=1").await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    let slash = api.udm_get(&format!("/container/cn/cn=a%2Fb,{base}")).await;
    assert_eq!(slash.status, StatusCode::NOT_FOUND);
    assert!(
        slash.text.contains("<title>404 Not Found</title>"),
        "the proxy's page"
    );
    let head = api.send(api.udm_request(Method::HEAD, "/")).await;
    assert_eq!(head.status, StatusCode::METHOD_NOT_ALLOWED);
    let post_root = api.udm_call(Method::POST, "/", Some(json!({}))).await;
    assert_eq!(post_root.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        post_root.body["error"]["message"],
        "HTTP 405: Method Not Allowed"
    );
    assert!(post_root.header("allow").is_none());
}
