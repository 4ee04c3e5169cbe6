//! Kelvin token endpoint and authorization over HTTP.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/main.py` (`login_for_access_token`),
//! `kelvin-api/ucsschool/kelvin/token_auth.py` (`get_current_user`,
//! `get_current_active_user`, `get_kelvin_admin`, `get_kelvin_reader`),
//! `kelvin-api/ucsschool/kelvin/ldap.py` (`check_auth_and_get_user`, `user_is_disabled`),
//! and FastAPI 0.97 `security/oauth2.py` (`OAuth2PasswordBearer`, `OAuth2PasswordRequestForm`).

use crate::common;

use base64::Engine;
use common::{detail, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use ucs_sim::Sim;

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// `login_for_access_token`: `sub` is `{username, kelvin_admin, kelvin_reader, schools,
/// roles}` (the group flags and the user's `ucsschoolSchool`/`ucsschoolRole` at login);
/// `exp` = now + 60 minutes (`get_token_ttl`).
#[tokio::test]
async fn the_token_records_the_user_its_groups_schools_and_roles() {
    let api = Api::start().await;
    let answer = api.login("administrator", "univention").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["token_type"], "bearer");
    let token = answer.body["access_token"].as_str().unwrap();
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "HS256");
    let c = claims(token);
    assert_eq!(
        c["sub"],
        json!({"username": "Administrator", "kelvin_admin": true, "kelvin_reader": false, "schools": [], "roles": []})
    );
    let now = chrono::Utc::now().timestamp() as u64;
    let exp = c["exp"].as_u64().unwrap();
    assert!((now + 3590..=now + 3610).contains(&exp), "{exp} vs {now}");
    assert!(c.get("iat").is_none(), "the real payload has no iat");

    let student = api.token_for("demo_student", "univention").await;
    assert_eq!(
        claims(&student)["sub"],
        json!({"username": "demo_student", "kelvin_admin": false, "kelvin_reader": false,
               "schools": ["DEMOSCHOOL"], "roles": ["student:school:DEMOSCHOOL"]})
    );
}

/// `OAuth2PasswordRequestForm`: empty values count as missing; errors in the form's field
/// order (grant_type, username, password); the regex error carries `ctx`.
#[tokio::test]
async fn form_fields_are_checked_like_fastapi_does() {
    let api = Api::start().await;
    let post = |form: Vec<(&'static str, &'static str)>| {
        api.send(
            api.http
                .post(format!("{}/token", api.sim.kelvin_url()))
                .form(&form),
        )
    };
    let empty = post(vec![("username", ""), ("password", "x")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        empty.body,
        json!({"detail": [{"loc": ["body", "username"], "msg": "field required", "type": "value_error.missing"}]})
    );
    let grant = post(vec![("grant_type", "foo")]).await;
    assert_eq!(
        grant.body["detail"],
        json!([
            {"loc": ["body", "grant_type"], "msg": "string does not match regex \"password\"", "type": "value_error.str.regex", "ctx": {"pattern": "password"}},
            {"loc": ["body", "username"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["body", "password"], "msg": "field required", "type": "value_error.missing"},
        ])
    );
    let json_body = api
        .send(
            api.http
                .post(format!("{}/token", api.sim.kelvin_url()))
                .json(&json!({"username": "Administrator", "password": "univention"})),
        )
        .await;
    assert_eq!(
        json_body.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "JSON bodies are not read"
    );
    let optional = post(vec![
        ("grant_type", "password"),
        ("username", "Administrator"),
        ("password", "univention"),
        ("scope", ""),
        ("client_id", "x"),
    ])
    .await;
    assert_eq!(optional.status, StatusCode::OK, "{}", optional.text);
}

/// `login_for_access_token`: 401 `Incorrect username or password`, without a challenge.
#[tokio::test]
async fn a_wrong_password_is_401_without_challenge() {
    let api = Api::start().await;
    for (user, password) in [("Administrator", "wrong"), ("nobody", "univention")] {
        let answer = api.login(user, password).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            answer.body,
            json!({"detail": "Incorrect username or password"})
        );
        assert_eq!(answer.header("www-authenticate"), None);
    }
    let custom = Api::with(Sim::builder().admin_password("s3cret-admin")).await;
    assert_eq!(
        custom.login("Administrator", "univention").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        custom.login("Administrator", "s3cret-admin").await.status,
        StatusCode::OK
    );
}

/// `get_kelvin_reader` / `get_kelvin_admin`: a valid user outside both Kelvin groups gets a
/// token, and 401 `Unauthorized` (no challenge) on every resource, reads and writes.
#[tokio::test]
async fn users_outside_the_kelvin_groups_get_a_token_and_then_401() {
    let api = Api::start().await;
    let token = api.token_for("demo_student", "univention").await;
    let answers = [
        api.kget(&token, "/roles/").await,
        api.kget(&token, "/users/demo_student").await,
        api.kget(&token, "/schools/").await,
        api.kelvin_call(Method::POST, &token, "/users/", Some(json!({})))
            .await,
        api.kelvin_call(Method::DELETE, &token, "/users/x", None)
            .await,
    ];
    for answer in answers {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        assert_eq!(answer.body, json!({"detail": "Unauthorized"}));
        assert_eq!(answer.header("www-authenticate"), None);
    }
}

/// `get_kelvin_admin`: readers read, and get 401 `Unauthorized` on writes (before the body
/// is validated: dependencies run first).
#[tokio::test]
async fn readers_read_and_get_401_on_writes() {
    let api = Api::start().await;
    let (user, password) = api.sim.reader();
    let token = api.token_for(&user, &password).await;
    assert_eq!(
        api.kget(&token, "/users/demo_student").await.status,
        StatusCode::OK
    );
    for (method, path) in [
        (Method::POST, "/users/"),
        (Method::PATCH, "/users/demo_student"),
        (Method::PUT, "/users/demo_student"),
        (Method::DELETE, "/users/demo_student"),
        (Method::POST, "/classes/"),
        (Method::DELETE, "/workgroups/DEMOSCHOOL/Demoworkgroup"),
        (Method::POST, "/schools/"),
    ] {
        let answer = api
            .kelvin_call(method.clone(), &token, path, Some(json!({})))
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(answer.body, json!({"detail": "Unauthorized"}));
    }
    assert!(api.sim.store().user("demo_student").is_some());
}

/// `login_for_access_token` records the flags once: leaving the admins group later does
/// not change what a token issued before may do.
#[tokio::test]
async fn group_flags_are_those_of_login_time() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let group = format!(
        "cn=ucsschool-kelvin-rest-api-admins,cn=groups,{}",
        api.base()
    );
    let answer = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("groups/group", &group),
            Some(json!({"properties": {"users": []}})),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.text);
    assert_eq!(api.kget(&token, "/roles/").await.status, StatusCode::OK);
    let fresh = api.admin_token().await;
    assert_eq!(
        api.kget(&fresh, "/roles/").await.body,
        json!({"detail": "Unauthorized"})
    );
}

/// `get_current_active_user`: a disabled account (UDM `disabled`, or an expiry date that has
/// been reached) is 401 `Inactive user`; `get_current_user`: a deleted user's token is
/// `Could not validate credentials` with the Bearer challenge.
#[tokio::test]
async fn disabled_and_deleted_users_lose_access() {
    let api = Api::start().await;
    let token = api.token_for("demo_student", "univention").await;
    let reader_token = api.token_for("kelvin-reader", "univention").await;
    let reader_dn = api.sim.store().user("kelvin-reader").unwrap().dn;
    let answer = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("users/user", &reader_dn),
            Some(json!({"properties": {"disabled": true}})),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.text);
    let inactive = api.kget(&reader_token, "/roles/").await;
    assert_eq!(inactive.status, StatusCode::UNAUTHORIZED);
    assert_eq!(inactive.body, json!({"detail": "Inactive user"}));
    assert_eq!(inactive.header("www-authenticate"), None);

    let admin = api.admin_token().await;
    let deleted = api
        .kelvin_call(Method::DELETE, &admin, "/users/demo_student", None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = api.kget(&token, "/roles/").await;
    assert_eq!(
        gone.body,
        json!({"detail": "Could not validate credentials"})
    );
    assert_eq!(gone.header("www-authenticate"), Some("Bearer"));

    let expired_user = api.token_for("demo_teacher", "univention").await;
    let teacher_dn = api.sim.store().user("demo_teacher").unwrap().dn;
    let today = chrono::Utc::now().date_naive().to_string();
    let answer = api
        .udm_call(
            Method::PATCH,
            &api.udm_object("users/user", &teacher_dn),
            Some(json!({"properties": {"userexpiry": today}})),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.text);
    assert_eq!(
        detail(&api.kget(&expired_user, "/roles/").await.body),
        "Inactive user"
    );
}

/// `OAuth2PasswordBearer`: no header or another scheme is `Not authenticated`; a token that
/// does not verify is `Could not validate credentials`; both with `WWW-Authenticate: Bearer`.
#[tokio::test]
async fn missing_or_bad_bearer_tokens() {
    let api = Api::start().await;
    let cases = [
        (None, "Not authenticated"),
        (Some("Basic abc"), "Not authenticated"),
        (Some("Bearer"), "Could not validate credentials"),
        (Some("Bearer abc"), "Could not validate credentials"),
        (Some("bearer a.b.c"), "Could not validate credentials"),
    ];
    for (header, text) in cases {
        let mut request = api.http.get(api.kelvin("/roles/"));
        if let Some(h) = header {
            request = request.header("authorization", h);
        }
        let answer = api.send(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{header:?}");
        assert_eq!(answer.body, json!({"detail": text}), "{header:?}");
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Bearer"),
            "{header:?}"
        );
    }
}

/// Emulator features on top: token lifetime and revoking all tokens.
#[tokio::test]
async fn tokens_expire_after_the_ttl_and_can_be_revoked() {
    let api = Api::with(Sim::builder().token_ttl(Duration::from_millis(300))).await;
    let token = api.admin_token().await;
    assert_eq!(api.kget(&token, "/roles/").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        api.kget(&token, "/roles/").await.status,
        StatusCode::UNAUTHORIZED
    );

    let api = Api::start().await;
    let token = api.admin_token().await;
    api.sim.expire_tokens();
    let revoked = api.kget(&token, "/roles/").await;
    assert_eq!(
        revoked.body,
        json!({"detail": "Could not validate credentials"})
    );
    let fresh = api.admin_token().await;
    assert_eq!(api.kget(&fresh, "/roles/").await.status, StatusCode::OK);
}

/// `routers/v1/doc.py` (`get_readme`, `get_history`): HTML without authentication.
#[tokio::test]
async fn readme_and_changelog_need_no_token() {
    let api = Api::start().await;
    for path in ["/readme", "/changelog"] {
        let answer = api.send(api.http.get(api.kelvin(path))).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(answer
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
    }
}
