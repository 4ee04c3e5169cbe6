//! Kelvin token endpoint and Bearer authentication over HTTP.

use crate::common;

use base64::Engine;
use common::{kelvin_user, Api};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;
use ucs_sim::Sim;

#[tokio::test]
async fn token_is_a_jwt_with_exp_and_sub() {
    let api = Api::start().await;
    let answer = api.login("Administrator", "univention").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["token_type"], "bearer");
    let token = answer.body["access_token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[0])
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "HS256");
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["sub"], "Administrator");
    let exp = claims["exp"].as_u64().unwrap();
    let iat = claims["iat"].as_u64().unwrap();
    assert!(
        (3599..=3601).contains(&(exp - iat)),
        "default TTL is 60 minutes"
    );
}

#[tokio::test]
async fn token_accepts_the_optional_oauth2_fields() {
    let api = Api::start().await;
    let answer = api
        .send(
            api.http
                .post(format!("{}/token", api.sim.kelvin_url()))
                .form(&[
                    ("grant_type", "password"),
                    ("username", "Administrator"),
                    ("password", "univention"),
                    ("scope", ""),
                    ("client_id", "x"),
                    ("client_secret", "y"),
                ]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let wrong_grant = api
        .send(
            api.http
                .post(format!("{}/token", api.sim.kelvin_url()))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("username", "Administrator"),
                    ("password", "univention"),
                ]),
        )
        .await;
    assert_eq!(wrong_grant.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong_grant.body["detail"][0]["loc"],
        json!(["body", "grant_type"])
    );
}

#[tokio::test]
async fn bad_credentials_get_401_with_bearer_challenge() {
    let api = Api::start().await;
    for (user, password) in [
        ("Administrator", "wrong"),
        ("nobody", "univention"),
        // school users exist but are in neither Kelvin group
        ("demo_student", "univention"),
        ("demo_admin", "univention"),
    ] {
        let answer = api.login(user, password).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{user}");
        assert_eq!(
            answer.body,
            json!({"detail": "Incorrect username or password"})
        );
        assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
    }
}

#[tokio::test]
async fn missing_form_fields_are_validation_errors() {
    let api = Api::start().await;
    let answer = api
        .send(
            api.http
                .post(format!("{}/token", api.sim.kelvin_url()))
                .form(&[("username", "Administrator")]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body["detail"],
        json!([{"loc": ["body", "password"], "msg": "field required", "type": "value_error.missing"}])
    );
}

#[tokio::test]
async fn custom_admin_password_is_used() {
    let api = Api::with(Sim::builder().admin_password("s3cret-pw")).await;
    assert_eq!(
        api.sim.admin(),
        ("Administrator".to_string(), "s3cret-pw".to_string())
    );
    assert_eq!(
        api.login("Administrator", "univention").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api.login("Administrator", "s3cret-pw").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn resources_require_a_valid_bearer_token() {
    let api = Api::start().await;
    let no_header = api.send(api.http.get(api.kelvin("/users/"))).await;
    assert_eq!(no_header.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        no_header.body,
        json!({"detail": "Could not validate credentials"})
    );
    assert_eq!(no_header.header("www-authenticate"), Some("Bearer"));

    let garbage = api.kget("not-a-token", "/users/").await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
    assert_eq!(garbage.body["detail"], "Could not validate credentials");

    let basic = api
        .send(
            api.http
                .get(api.kelvin("/schools/"))
                .basic_auth("Administrator", Some("univention")),
        )
        .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);

    // a token of another simulator (other key) is refused
    let other = Api::start().await;
    let foreign = other.admin_token().await;
    assert_eq!(
        api.kget(&foreign, "/schools/").await.status,
        StatusCode::UNAUTHORIZED
    );

    let token = api.admin_token().await;
    assert_eq!(api.kget(&token, "/schools/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn tokens_expire_after_the_ttl() {
    let api = Api::with(Sim::builder().token_ttl(Duration::from_millis(300))).await;
    let token = api.admin_token().await;
    assert_eq!(api.kget(&token, "/roles/").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(450)).await;
    let expired = api.kget(&token, "/roles/").await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.body["detail"], "Could not validate credentials");
}

#[tokio::test]
async fn expire_tokens_revokes_every_issued_token() {
    let api = Api::start().await;
    let first = api.admin_token().await;
    let second = api.admin_token().await;
    api.sim.expire_tokens();
    assert_eq!(
        api.kget(&first, "/roles/").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api.kget(&second, "/roles/").await.status,
        StatusCode::UNAUTHORIZED
    );
    let fresh = api.admin_token().await;
    assert_eq!(api.kget(&fresh, "/roles/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn reader_reads_but_cannot_write() {
    let api = Api::start().await;
    let (reader, password) = api.sim.reader();
    let token = api.token_for(&reader, &password).await;
    assert_eq!(
        api.kget(&token, "/users/demo_student").await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.kget(&token, "/schools/DEMOSCHOOL").await.status,
        StatusCode::OK
    );
    let create = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("r1", "student", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(create.status, StatusCode::UNAUTHORIZED);
    assert_eq!(create.header("www-authenticate"), Some("Bearer"));
    let delete = api
        .kelvin_call(Method::DELETE, &token, "/users/demo_student", None)
        .await;
    assert_eq!(delete.status, StatusCode::UNAUTHORIZED);
    assert!(
        api.sim.store().user("demo_student").is_some(),
        "nothing was deleted"
    );
    assert!(api.sim.store().user("r1").is_none(), "nothing was created");
}

#[tokio::test]
async fn removing_a_user_from_the_kelvin_group_revokes_access_at_once() {
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
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.text);
    assert_eq!(
        api.kget(&token, "/roles/").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn request_id_is_echoed_or_generated() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let echoed = api
        .send(
            api.http
                .get(api.kelvin("/roles/"))
                .bearer_auth(&token)
                .header("X-Request-ID", "abc-123")
                .header("Accept-Language", "de-DE"),
        )
        .await;
    assert_eq!(echoed.header("x-request-id"), Some("abc-123"));
    let generated = api.kget(&token, "/roles/").await;
    let id = generated.header("x-request-id").unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let failed = api
        .send(
            api.http
                .get(api.kelvin("/roles/"))
                .header("X-Request-ID", "e1"),
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert_eq!(failed.header("x-request-id"), Some("e1"));
}

#[tokio::test]
async fn readme_and_changelog_need_no_token_and_unknown_routes_are_404() {
    let api = Api::start().await;
    let readme = api.send(api.http.get(api.kelvin("/readme"))).await;
    assert_eq!(readme.status, StatusCode::OK);
    assert!(readme
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(readme.text.contains("emulator"));
    let changelog = api.send(api.http.get(api.kelvin("/changelog"))).await;
    assert_eq!(changelog.status, StatusCode::OK);
    let token = api.admin_token().await;
    let missing = api.kget(&token, "/nothing/here").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, json!({"detail": "Not Found"}));
    let wrong_method = api
        .kelvin_call(Method::DELETE, &token, "/schools/DEMOSCHOOL", None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.body, json!({"detail": "Method Not Allowed"}));
}
