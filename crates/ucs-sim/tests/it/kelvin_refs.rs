//! Reference fields of Kelvin bodies (`school`, `schools`, `roles`, `users`,
//! `legal_guardians`): full URLs of this API version's resources.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/urls.py` (`url_to_name`, `url_to_dn`),
//! `routers/v1/base.py` (`unscheme_and_unquote`), `routers/v1/user.py` (`remove_url`,
//! `UserCreateModel._as_lib_model_kwargs`, `fix_case_of_ous`), `routers/v1/role.py`
//! (`SchoolUserRole`), `service/exception_handler.py` (`no_object_exception_handler`), and
//! pydantic 1.10 `networks.py` (`HttpUrl`).

use crate::common;

use common::{detail, kref, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn student(role: Value, school: Value) -> Value {
    json!({"name": "refs1", "firstname": "R", "lastname": "F", "record_uid": "refs1", "roles": [role], "school": school})
}

async fn create(api: &Api, body: Value) -> common::Answer {
    let token = api.admin_token().await;
    api.kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await
}

/// pydantic `HttpUrl`: a bare name has no scheme, `ftp` is not permitted (with `ctx`), a host
/// without a top level domain is invalid; a failing `school` also fails the root validator.
#[tokio::test]
async fn references_must_be_http_urls() {
    let api = Api::start().await;
    let school = json!(kref("/schools/DEMOSCHOOL"));
    let bare = create(&api, student(json!("student"), school.clone())).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bare.body["detail"],
        json!([{"loc": ["body", "roles", 0], "msg": "invalid or missing URL scheme", "type": "value_error.url.scheme"}])
    );
    let ftp = create(
        &api,
        student(
            json!("ftp://127.0.0.1/ucsschool/kelvin/v1/roles/student"),
            school.clone(),
        ),
    )
    .await;
    assert_eq!(
        ftp.body["detail"][0],
        json!({"loc": ["body", "roles", 0], "msg": "URL scheme not permitted", "type": "value_error.url.scheme", "ctx": {"allowed_schemes": ["http", "https"]}})
    );
    let local = create(
        &api,
        student(
            json!("https://localhost/ucsschool/kelvin/v1/roles/student"),
            school,
        ),
    )
    .await;
    assert_eq!(
        local.body["detail"][0]["msg"],
        "URL host invalid, top level domain required"
    );
    let bare_school = create(
        &api,
        student(json!(kref("/roles/student")), json!("DEMOSCHOOL")),
    )
    .await;
    assert_eq!(
        bare_school.body["detail"],
        json!([
            {"loc": ["body", "school"], "msg": "invalid or missing URL scheme", "type": "value_error.url.scheme"},
            {"loc": ["body", "__root__"], "msg": "At least one of 'school' and 'schools' must be set.", "type": "value_error"},
        ])
    );
}

/// `url_to_name`: host, port and query are ignored, the path is unquoted and must be exactly
/// this version's path of that resource type; otherwise the lib's `NoObject` is 404
/// `{"message": "Could not find object of type 'role' with URL('<http URL>')."}`.
#[tokio::test]
async fn only_this_versions_resource_paths_resolve() {
    let api = Api::start().await;
    let school = json!(kref("/schools/DEMOSCHOOL"));
    for role in [
        "https://127.0.0.1:1/ucsschool/kelvin/v1/schools/student",
        "https://127.0.0.1:1/ucsschool/kelvin/v2/roles/student",
        "https://127.0.0.1:1/ucsschool/kelvin/v1/roles/student/",
    ] {
        let answer = create(&api, student(json!(role), school.clone())).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{role}");
        let http = role.replacen("https", "http", 1);
        assert_eq!(
            answer.body,
            json!({"message": format!("Could not find object of type 'role' with URL('{http}').")})
        );
    }
    let other_host = create(
        &api,
        student(
            json!("http://other.example.com:99/ucsschool/kelvin/v1/roles/stu%64ent?x=1"),
            school,
        ),
    )
    .await;
    assert_eq!(
        other_host.status,
        StatusCode::CREATED,
        "{}",
        other_host.text
    );
    assert_eq!(
        other_host.body["roles"],
        json!([api.https("/roles/student")])
    );
    let wrong_type = create(
        &api,
        student(
            json!(kref("/roles/teacher")),
            json!(kref("/users/DEMOSCHOOL")),
        ),
    )
    .await;
    assert_eq!(
        wrong_type.body,
        json!({"message": "Could not find object of type 'school' with URL('http://example.invalid/ucsschool/kelvin/v1/users/DEMOSCHOOL')."})
    );
}

/// `SchoolUserRole(name)` for a name that is not one of the five roles raises a `ValueError`
/// nobody catches: 500. A school that does not exist is `fix_case_of_ous`'s 404 `detail`;
/// an existing one is written as the OU spells it (Bug #55456).
#[tokio::test]
async fn unknown_roles_are_500_and_schools_are_looked_up() {
    let api = Api::start().await;
    let unknown = create(
        &api,
        student(
            json!(kref("/roles/foo")),
            json!(kref("/schools/DEMOSCHOOL")),
        ),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.body),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"detail": "Internal server error"})
        )
    );
    let missing = create(
        &api,
        student(
            json!(kref("/roles/teacher")),
            json!(kref("/schools/NOSCHOOL")),
        ),
    )
    .await;
    assert_eq!(
        (missing.status, missing.body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "No school with name='NOSCHOOL' found."})
        )
    );
    let lower = create(
        &api,
        student(
            json!(kref("/roles/teacher")),
            json!(kref("/schools/demoschool")),
        ),
    )
    .await;
    assert_eq!(lower.status, StatusCode::CREATED, "{}", lower.text);
    assert_eq!(lower.body["school"], api.https("/schools/DEMOSCHOOL"));
    assert_eq!(
        lower.body["ucsschool_roles"],
        json!(["teacher:school:DEMOSCHOOL"])
    );
}

/// `url_to_dn` for class members: any user (also Administrator); an unknown one is 404
/// `{"message": "... with URL '<http URL>'."}` (the URL as a string here, not `URL(...)`).
#[tokio::test]
async fn class_members_may_be_any_user() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let body = |users: Value| json!({"name": "refs-k", "school": kref("/schools/DEMOSCHOOL"), "users": users});
    let unknown = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(body(json!([
                kref("/users/demo_student"),
                kref("/users/nobody")
            ]))),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.body,
        json!({"message": "Could not find object of type 'user' with URL 'http://example.invalid/ucsschool/kelvin/v1/users/nobody'."})
    );
    let bare = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(body(json!(["demo_student"]))),
        )
        .await;
    assert_eq!(bare.body["detail"][0]["loc"], json!(["body", "users", 0]));
    let any = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(body(json!([
                kref("/users/Administrator"),
                kref("/users/DEMO_STUDENT")
            ]))),
        )
        .await;
    assert_eq!(any.status, StatusCode::CREATED, "{}", any.text);
    assert_eq!(
        any.body["users"],
        json!([
            api.https("/users/Administrator"),
            api.https("/users/demo_student")
        ])
    );
}

/// `remove_url`: a legal guardian without `/` is a user name, anything else must be a user
/// URL of this version (404 `message` otherwise); unknown names are the importer's 400.
#[tokio::test]
async fn legal_guardians_are_names_or_user_urls() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let patch = |value: &str| json!({"legal_guardians": [value]});
    let wrong = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(patch(&kref("/schools/x"))),
        )
        .await;
    assert_eq!(
        wrong.body,
        json!({"message": "Could not find object of type 'user' with URL('http://example.invalid/ucsschool/kelvin/v1/schools/x')."})
    );
    let nobody = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(patch("nobody")),
        )
        .await;
    assert_eq!(
        (nobody.status, detail(&nobody.body)),
        (
            StatusCode::BAD_REQUEST,
            "Couldn't find legal guardian nobody for student demo_student"
        )
    );
}
