//! The dispatching client against a local HTTP server: module chosen at run
//! time, strict DN encoding, query filters, ETag headers and raw error bodies.

use std::sync::{Arc, Mutex};

use axum::{extract::Request, http::StatusCode, response::IntoResponse, Router};
use udm_raw::{CallOptions, Client, Error, SearchArgs};

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    if_match: Option<String>,
    accept: Option<String>,
    body: String,
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn serve() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |req: Request| {
        let log = log.clone();
        async move {
            let method = req.method().to_string();
            let path = req.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
            let (if_match, accept) = (header(&req, "if-match"), header(&req, "accept"));
            let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
            log.lock().unwrap().push(Seen {
                method: method.clone(),
                path: path.clone(),
                if_match: if_match.clone(),
                accept,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let json = [("content-type", "application/json")];
            match (method.as_str(), if_match.as_deref()) {
                ("GET", _) if path.starts_with("/univention/udm/big/") => (
                    StatusCode::OK,
                    json,
                    format!(r#"{{"dn":"uid=a,dc=x","properties":{{"x":"{}"}}}}"#, "y".repeat(100_000)),
                )
                    .into_response(),
                ("GET", _) if path.starts_with("/univention/udm/users/user/?") => (
                    StatusCode::OK,
                    json,
                    r#"{"_embedded":{"udm:object":[{"dn":"uid=a,dc=x","properties":{"username":"a"}}]}}"#,
                )
                    .into_response(),
                ("GET", _) => (StatusCode::OK, json, r#"{"dn":"uid=a\\,b,dc=x","properties":{"x-ext":1}}"#).into_response(),
                ("PUT", _) => (StatusCode::ACCEPTED, [("location", "/univention/udm/progress/1")], "").into_response(),
                ("DELETE", Some("\"stale\"")) => (
                    StatusCode::PRECONDITION_FAILED,
                    json,
                    r#"{"code":412,"title":"Precondition Failed","message":"etag mismatch"}"#,
                )
                    .into_response(),
                ("PATCH", _) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json,
                    r#"{"code":422,"_embedded":{"udm:error":[{"location":["body","properties","x"],"message":"bad"}]}}"#,
                )
                    .into_response(),
                _ => StatusCode::NO_CONTENT.into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/univention/udm"), seen)
}

fn client(base: &str, options: CallOptions) -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::new_with_client(base, reqwest::Client::new(), options)
}

const NASTY_DN: &str = "cn=Doe\\, Jane + #1/ä,cn=users,dc=example,dc=com";

#[tokio::test]
async fn get_encodes_the_dn_strictly_and_keeps_unknown_properties() {
    let (base, seen) = serve().await;
    let object = client(&base, CallOptions::default())
        .get("users/user", NASTY_DN, None)
        .await
        .expect("object")
        .into_inner();
    assert_eq!(
        object["properties"]["x-ext"], 1,
        "extended attributes survive"
    );
    // quote_dn (utils.py, UCS 5.2-1): `/` stays literal, Apache refuses %2F
    assert_eq!(
        seen.lock().unwrap()[0].path,
        "/univention/udm/users/user/cn%3DDoe%5C%2C%20Jane%20%2B%20%231/%C3%A4%2Ccn%3Dusers%2Cdc%3Dexample%2Cdc%3Dcom"
    );
}

/// `quote_dn` writes `//` as `,/=/,` (Apache merges slashes; the server
/// turns it back).
#[test]
fn double_slashes_in_dns_are_protected_from_path_normalisation() {
    assert_eq!(
        udm_raw::encode_path_segment("cn=http://x,dc=y"),
        "cn%3Dhttp%3A%2C/%3D/%2Cx%2Cdc%3Dy"
    );
}

/// The UDM REST API answers 406 to a request without
/// `Accept: application/json` (module.py `check_acceptable`, UCS 5.2-1); the
/// generated PUT, PATCH and DELETE methods declare no response body, so
/// `CallOptions::apply` supplies the header.
#[tokio::test]
async fn every_method_asks_for_json() {
    let (base, seen) = serve().await;
    let c = client(&base, CallOptions::default());
    let _ = c.get("users/user", "uid=a,dc=x", None).await;
    let _ = c
        .modify("users/user", "uid=a,dc=x", None, serde_json::Map::new())
        .await;
    let _ = c
        .update("users/user", "uid=a,dc=x", None, serde_json::Map::new())
        .await;
    let _ = c.remove("users/user", "uid=a,dc=x", None, None, None).await;
    let seen = seen.lock().unwrap().clone();
    let methods: Vec<&str> = seen.iter().map(|s| s.method.as_str()).collect();
    assert_eq!(methods, ["GET", "PUT", "PATCH", "DELETE"]);
    for s in &seen {
        assert_eq!(
            s.accept.as_deref(),
            Some("application/json"),
            "{}",
            s.method
        );
    }
}

/// A success body longer than `CallOptions::max_body` is cut off with a body
/// error whose source is the length limit, instead of being buffered whole.
#[tokio::test]
async fn success_bodies_are_bounded() {
    let (base, _) = serve().await;
    let base = base.replace("/univention/udm", "/univention/udm/big/x");
    let small = CallOptions {
        max_body: 10_000,
        ..CallOptions::default()
    };
    let Err(err) = client(&base, small)
        .get("users/user", "uid=a,dc=x", None)
        .await
    else {
        panic!("a 100 kB answer passed a 10 kB limit");
    };
    let Error::ResponseBodyError(e) = err else {
        panic!("expected a body error, got {err:?}");
    };
    let mut source = std::error::Error::source(&e);
    let mut limited = false;
    while let Some(s) = source {
        limited |= s.is::<http_body_util::LengthLimitError>();
        source = s.source();
    }
    assert!(limited, "the source is the length limit: {e:?}");
    let fits = client(&base, CallOptions::default())
        .get("users/user", "uid=a,dc=x", None)
        .await
        .expect("the default limit fits 100 kB");
    assert_eq!(
        fits.into_inner()["properties"]["x"].as_str().map(str::len),
        Some(100_000)
    );
}

#[tokio::test]
async fn search_sends_paging_scope_and_query_filters() {
    let (base, seen) = serve().await;
    let mut options = CallOptions::default();
    options.query.push(("query[username]".into(), "a*".into()));
    let props = vec!["username".to_string()];
    let args = SearchArgs {
        filter: Some("(uid=a*)"),
        scope: Some("one"),
        properties: Some(&props),
        limit: Some(50),
        page: std::num::NonZeroU64::new(2),
        ..Default::default()
    };
    let list = client(&base, options)
        .search("users/user", &args)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(
        list["_embedded"]["udm:object"][0]["properties"]["username"],
        "a"
    );
    let path = seen.lock().unwrap()[0].path.clone();
    for part in [
        "filter=%28uid%3Da*%29",
        "scope=one",
        "properties=username",
        "limit=50",
        "page=2",
        "query%5Busername%5D=a*",
    ] {
        assert!(path.contains(part), "{part} in {path}");
    }
}

#[tokio::test]
async fn modify_hands_out_the_move_answer_with_its_location() {
    let (base, seen) = serve().await;
    let mut body = serde_json::Map::new();
    body.insert("position".into(), "cn=people,dc=example,dc=com".into());
    let answer = client(&base, CallOptions::default())
        .modify(
            "users/user",
            "uid=a,dc=example,dc=com",
            Some("\"e1\""),
            body,
        )
        .await
        .expect("202 is success");
    assert_eq!(answer.status(), 202);
    assert_eq!(answer.headers()["location"], "/univention/udm/progress/1");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].if_match.as_deref(), Some("\"e1\""));
    assert_eq!(
        seen[0].body,
        r#"{"position":"cn=people,dc=example,dc=com"}"#
    );
}

#[tokio::test]
async fn a_412_keeps_its_status_and_body() {
    // DELETE does not declare 412, so it arrives as an undeclared response;
    // declared error statuses arrive as `ErrorResponse` with a byte stream.
    let (base, _) = serve().await;
    let err = client(&base, CallOptions::default())
        .remove(
            "groups/group",
            "cn=g,dc=example,dc=com",
            None,
            None,
            Some("\"stale\""),
        )
        .await
        .expect_err("412");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(412));
    let text = match err {
        Error::UnexpectedResponse(response) => response.text().await.expect("body"),
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    };
    assert!(text.contains("etag mismatch"), "{text}");
}

#[tokio::test]
async fn a_declared_error_status_is_an_error_response_with_a_raw_body() {
    let (base, _) = serve().await;
    let Err(err) = client(&base, CallOptions::default())
        .update("users/user", "uid=a,dc=x", None, serde_json::Map::new())
        .await
    else {
        panic!("expected the declared 422");
    };
    match err {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status(), 422);
            use futures::TryStreamExt;
            let chunks: Vec<bytes::Bytes> = response
                .into_inner()
                .into_inner()
                .try_collect()
                .await
                .expect("body");
            let text = String::from_utf8(chunks.concat()).expect("utf-8");
            assert!(text.contains("udm:error"), "{text}");
        }
        other => panic!("expected ErrorResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_modules_and_missing_operations_are_refused_without_a_request() {
    let (base, seen) = serve().await;
    let client = client(&base, CallOptions::default());
    let err = client
        .get("users/nosuch", "uid=a,dc=x", None)
        .await
        .expect_err("unknown");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("users/nosuch")),
        "{err:?}"
    );
    let err = client
        .create("computers/computer", serde_json::Map::new())
        .await
        .expect_err("no create");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("create")),
        "{err:?}"
    );
    let err = client
        .get("users/user", "not a dn", None)
        .await
        .expect_err("bad dn");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("invalid dn")),
        "{err:?}"
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
}
