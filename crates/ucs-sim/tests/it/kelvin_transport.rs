//! What the real Kelvin server does around its routes: slash redirects, 405, HEAD, the
//! request id, body parsing, the URLs of its answers.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/main.py` (router prefixes), `service/middleware.py`
//! (`add_middlewares`: asgi-correlation-id 4.3.4 `CorrelationIdMiddleware`, `is_valid_uuid4`),
//! `routers/v1/base.py` (`LibModelHelperMixin.scheme_and_quote`), and the libraries it pins:
//! starlette 0.27 `Router` (`redirect_slashes`, `Route.handle` 405), FastAPI 0.97
//! `routing.get_request_handler` (body reading), CPython 3.11 `json` (decode errors).

use crate::common;

use common::Api;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// starlette `redirect_slashes`: the other spelling of a route's trailing slash is a 307 to
/// it, with the query, before authentication.
#[tokio::test]
async fn the_other_trailing_slash_is_a_307_before_authentication() {
    let api = Api::start().await;
    let base = api.sim.base_url().to_string();
    for (method, path, location) in [
        (
            Method::GET,
            "/users?name=demo_student",
            "/ucsschool/kelvin/v1/users/?name=demo_student",
        ),
        (Method::POST, "/users", "/ucsschool/kelvin/v1/users/"),
        (
            Method::GET,
            "/users/demo_student/",
            "/ucsschool/kelvin/v1/users/demo_student",
        ),
        (Method::GET, "/roles", "/ucsschool/kelvin/v1/roles/"),
        (
            Method::GET,
            "/classes/DEMOSCHOOL/Democlass/",
            "/ucsschool/kelvin/v1/classes/DEMOSCHOOL/Democlass",
        ),
    ] {
        let answer = api
            .send(api.http.request(method.clone(), api.kelvin(path)))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::TEMPORARY_REDIRECT,
            "{method} {path}"
        );
        assert_eq!(
            answer.header("location"),
            Some(format!("{base}{location}").as_str())
        );
    }
    let token = api
        .send(api.http.post(format!("{}/token/", api.sim.kelvin_url())))
        .await;
    assert_eq!(token.status, StatusCode::TEMPORARY_REDIRECT);
    let unknown = api.send(api.http.get(api.kelvin("/nothing"))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body, json!({"detail": "Not Found"}));
}

/// starlette `Route.handle`: 405 with the methods of the first route of the path (`GET`; the
/// token route `POST`); FastAPI routes have no implicit HEAD (only `HEAD /schools/{name}`).
#[tokio::test]
async fn wrong_methods_are_405_with_the_first_routes_allow() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    for (method, path) in [
        (Method::DELETE, "/roles/teacher"),
        (Method::PATCH, "/schools/DEMOSCHOOL"),
        (Method::POST, "/users/demo_student"),
        (Method::DELETE, "/users/"),
        (Method::PUT, "/classes/"),
        (Method::HEAD, "/roles/teacher"),
        (Method::HEAD, "/users/demo_student"),
    ] {
        let answer = api.kelvin_call(method.clone(), &token, path, None).await;
        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(answer.header("allow"), Some("GET"), "{method} {path}");
        if method != Method::HEAD {
            assert_eq!(answer.body, json!({"detail": "Method Not Allowed"}));
        }
    }
    let get_token = api
        .send(api.http.get(format!("{}/token", api.sim.kelvin_url())))
        .await;
    assert_eq!(get_token.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get_token.header("allow"), Some("POST"));
    let head = api
        .kelvin_call(Method::HEAD, &token, "/schools/demoschool", None)
        .await;
    assert_eq!((head.status, head.text.as_str()), (StatusCode::OK, ""));
}

/// `CorrelationIdMiddleware` with `is_valid_uuid4`: a valid UUID4 is echoed as sent, anything
/// else is replaced by `uuid4().hex` (32 hex digits); on every answer, also 401 and 404.
#[tokio::test]
async fn request_ids_are_echoed_only_when_they_are_uuid4() {
    let api = Api::start().await;
    let send = |id: Option<&'static str>, path: &'static str| {
        let mut request = api.http.get(api.kelvin(path));
        if let Some(id) = id {
            request = request.header("X-Request-ID", id);
        }
        api.send(request)
    };
    for valid in [
        "0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e",
        "0B7B5E5E8B4D4A439C391F0A3B3C2D1E",
    ] {
        let answer = send(Some(valid), "/roles/").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.header("x-request-id"), Some(valid));
    }
    for replaced in [
        Some("my-id-1"),
        Some("0b7b5e5e-8b4d-1a43-9c39-1f0a3b3c2d1e"),
        None,
    ] {
        let answer = send(replaced, "/nothing").await;
        let id = answer.header("x-request-id").unwrap();
        assert_eq!(id.len(), 32, "{id}");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{id}"
        );
        assert_ne!(Some(id), replaced);
    }
    let log = api.sim.requests();
    assert_eq!(
        log.last().unwrap().response_request_id.len(),
        32,
        "the log records the id sent back"
    );
}

/// FastAPI `get_request_handler`: JSON is parsed before authentication (a decode error is a
/// 422 with the position and Python's message, `ctx` = the `JSONDecodeError`), an empty body
/// is a missing body, another content type is handed over as bytes (`type_error.dict`),
/// `[]` becomes `{}` (pydantic's `dict(value)`), undecodable bytes are a 400.
#[tokio::test]
async fn bodies_are_read_as_fastapi_reads_them() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let decode = api
        .kelvin_raw(
            Method::PATCH,
            "not-a-token",
            "/users/demo_student",
            None,
            b"{\"firstname\":\"X\"",
        )
        .await;
    assert_eq!(
        decode.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "before authentication"
    );
    assert_eq!(
        decode.body,
        json!({"detail": [{"loc": ["body", 16], "msg": "Expecting ',' delimiter: line 1 column 17 (char 16)",
            "type": "value_error.jsondecode",
            "ctx": {"msg": "Expecting ',' delimiter", "doc": "{\"firstname\":\"X\"", "pos": 16, "lineno": 1, "colno": 17}}]})
    );
    let not_json = api
        .kelvin_raw(
            Method::POST,
            &token,
            "/users/",
            Some("application/json"),
            b"not json",
        )
        .await;
    assert_eq!(
        not_json.body["detail"][0]["msg"],
        "Expecting value: line 1 column 1 (char 0)"
    );
    let empty = api
        .kelvin_raw(Method::PATCH, &token, "/users/demo_student", None, b"")
        .await;
    assert_eq!(
        empty.body,
        json!({"detail": [{"loc": ["body"], "msg": "field required", "type": "value_error.missing"}]})
    );
    let empty_unauthenticated = api
        .kelvin_raw(Method::PATCH, "x", "/users/demo_student", None, b"")
        .await;
    assert_eq!(
        empty_unauthenticated.status,
        StatusCode::UNAUTHORIZED,
        "a missing body is checked after auth"
    );
    let text = api
        .kelvin_raw(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some("text/plain"),
            b"{\"firstname\":\"X\"}",
        )
        .await;
    assert_eq!(
        text.body,
        json!({"detail": [{"loc": ["body"], "msg": "value is not a valid dict", "type": "type_error.dict"}]})
    );
    let list = api
        .kelvin_raw(Method::POST, &token, "/users/", None, b"[]")
        .await;
    let locs: Vec<_> = list.body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["loc"].clone())
        .collect();
    assert_eq!(
        locs,
        vec![
            json!(["body", "firstname"]),
            json!(["body", "lastname"]),
            json!(["body", "roles"]),
            json!(["body", "__root__"])
        ]
    );
    let bytes = api
        .kelvin_raw(Method::POST, &token, "/users/", None, b"\xff\xfe")
        .await;
    assert_eq!(
        (bytes.status, bytes.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "There was an error parsing the body"})
        )
    );
}

/// `scheme_and_quote`: every URL of an answer is `https://<Host>/...` with the path quoted
/// by `urllib.parse.quote`, also over plain http.
#[tokio::test]
async fn answer_urls_are_https_with_the_request_host() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let answer = api
        .send(
            api.http
                .get(api.kelvin("/users/demo_student"))
                .bearer_auth(&token)
                .header("host", "kelvin.example.org:8443"),
        )
        .await;
    assert_eq!(
        answer.body["url"],
        "https://kelvin.example.org:8443/ucsschool/kelvin/v1/users/demo_student"
    );
    assert_eq!(
        answer.body["school"],
        "https://kelvin.example.org:8443/ucsschool/kelvin/v1/schools/DEMOSCHOOL"
    );
    let class = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(json!({"name": "1a b", "school": common::kref("/schools/DEMOSCHOOL")})),
        )
        .await;
    assert_eq!(class.status, StatusCode::CREATED, "{}", class.text);
    assert_eq!(class.body["url"], api.https("/classes/DEMOSCHOOL/1a%20b"));
}

/// `unhandled_exception_handler`: a 500 is `{"detail": "Internal server error"}` and exposes
/// the request id header.
#[tokio::test]
async fn internal_errors_expose_the_request_id() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let body = json!({"firstname": "a", "lastname": "b", "roles": [common::kref("/roles/foo")], "school": common::kref("/schools/DEMOSCHOOL")});
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.body, json!({"detail": "Internal server error"}));
    assert_eq!(
        answer.header("access-control-expose-headers"),
        Some("X-Request-ID")
    );
    assert!(answer.header("x-request-id").is_some());
}

/// The OpenAPI documents, without a token: each version's `/openapi.json` (the doc router is
/// included in both versioned routers, so v2's database check applies to it) and the service
/// router's `/openapi-v1.json` and `/openapi-v2.json` (ucsschool-kelvin-rest-api release-4.0.0,
/// `kelvin-api/ucsschool/kelvin/routers/v1/doc.py` `openapi_versioned`, `openapi_v1`,
/// `openapi_v2`; `main.py` `v1_router.include_router(v1.doc.router)`,
/// `v2_router = APIRouter(..., dependencies=[Depends(check_db_compatibility)])`).
#[tokio::test]
async fn the_openapi_documents_are_served_without_a_token() {
    let api = Api::start().await;
    let root = api.sim.kelvin_url().to_string();
    for (url, title, path) in [
        (
            api.kelvin("/openapi.json"),
            "Kelvin API - V1",
            "/ucsschool/kelvin/v1/users/",
        ),
        (
            api.kelvin_v2("/openapi.json"),
            "Kelvin API - V2",
            "/ucsschool/kelvin/v2/users/",
        ),
        (
            format!("{root}/openapi-v1.json"),
            "Kelvin API - V1",
            "/ucsschool/kelvin/v1/users/",
        ),
        (
            format!("{root}/openapi-v2.json"),
            "Kelvin API - V2",
            "/ucsschool/kelvin/v2/users/",
        ),
    ] {
        let answer = api.send(api.http.get(&url)).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{url}"
        );
        assert_eq!(answer.body["info"]["title"], json!(title), "{url}");
        assert_eq!(answer.body["info"]["version"], json!("4.0.0"), "{url}");
        assert!(
            answer.body["paths"].get(path).is_some(),
            "{url} lists {path}"
        );
    }
    let head = api.send(api.http.head(api.kelvin("/openapi.json"))).await;
    assert_eq!(head.status, StatusCode::METHOD_NOT_ALLOWED);

    let deprecated = Api::with(ucs_sim::Sim::builder().kelvin_v2_unavailable(true)).await;
    let v2 = deprecated
        .send(deprecated.http.get(deprecated.kelvin_v2("/openapi.json")))
        .await;
    assert_eq!(v2.status, StatusCode::SERVICE_UNAVAILABLE);
    let service = format!("{}/openapi-v2.json", deprecated.sim.kelvin_url());
    let v2 = deprecated.send(deprecated.http.get(&service)).await;
    assert_eq!(
        v2.status,
        StatusCode::OK,
        "the service route has no database check"
    );
}
