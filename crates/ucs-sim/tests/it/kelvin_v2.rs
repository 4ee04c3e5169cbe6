//! Kelvin v2: the v1 writes, reads from the server's database, and the emulator's two v2
//! knobs (read lag, 503).
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/main.py` (`v2_router` with `check_db_compatibility`),
//! `service/dependency.py` (`check_db_compatibility`: 503 `This instance is deprecated.
//! Please upgrade.`), `routers/v2/role.py`, `routers/v2/school.py`, `routers/v2/user.py`
//! (`_build_query`, `_user_to_model`), `routers/v2/school_class.py` (`search`, `get`,
//! `_group_to_school_class_model`), `kelvin-api/changelog.rst` (4.0.0: reads follow writes
//! "usually in the range of 1 to 2 seconds"; there is no "not ready" answer).

use crate::common;

use common::{kelvin_user, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use ucs_sim::Sim;

async fn v2(api: &Api, token: &str, path: &str) -> common::Answer {
    api.send(api.http.get(api.kelvin_v2(path)).bearer_auth(token))
        .await
}

fn names(answer: &common::Answer) -> Vec<String> {
    answer
        .body
        .as_array()
        .expect("a list")
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

/// `v2/role.py`: sorted by name; v2 URLs.
#[tokio::test]
async fn v2_roles_are_sorted_and_urls_name_v2() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let roles = v2(&api, &token, "/roles/").await;
    assert_eq!(
        names(&roles),
        vec![
            "legal_guardian",
            "school_admin",
            "staff",
            "student",
            "teacher"
        ]
    );
    assert_eq!(
        roles.body[0]["url"],
        format!(
            "https://{}/ucsschool/kelvin/v2/roles/legal_guardian",
            api.host()
        )
    );
    let user = v2(&api, &token, "/users/demo_student").await;
    assert_eq!(
        user.body["url"],
        format!(
            "https://{}/ucsschool/kelvin/v2/users/demo_student",
            api.host()
        )
    );
}

/// `v2/user.py`: no `roles` filter (ignored), case-insensitive `name`, empty values are no
/// filter, exact `record_uid`; `GET` matches the name exactly.
#[tokio::test]
async fn v2_user_search() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let all = vec!["demo_admin", "demo_staff", "demo_student", "demo_teacher"];
    assert_eq!(names(&v2(&api, &token, "/users/?roles=student").await), all);
    assert_eq!(names(&v2(&api, &token, "/users/?name=").await), all);
    assert_eq!(
        names(&v2(&api, &token, "/users/?name=DEMO_S*").await),
        vec!["demo_staff", "demo_student"]
    );
    assert!(names(&v2(&api, &token, "/users/?record_uid=DEMO_student").await).is_empty());
    assert_eq!(
        names(&v2(&api, &token, "/users/?record_uid=demo_student").await),
        vec!["demo_student"]
    );
    let upper = v2(&api, &token, "/users/DEMO_STUDENT").await;
    assert_eq!(
        (upper.status, upper.body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "No object with name='DEMO_STUDENT' found or not authorized."})
        )
    );
}

/// `v2/school_class.py`: search by the exact school (unknown: `[]`), `GET` by
/// `<school>-<name>` case-insensitively, 404 with the unprefixed name, stored `create_share`.
#[tokio::test]
async fn v2_classes() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    assert_eq!(
        v2(&api, &token, "/classes/?school=NOSCHOOL").await.body,
        json!([])
    );
    assert!(
        names(&v2(&api, &token, "/classes/?school=demoschool").await).is_empty(),
        "the school matches exactly"
    );
    let one = v2(&api, &token, "/classes/demoschool/democlass").await;
    assert_eq!(one.body["name"], "Democlass");
    let missing = v2(&api, &token, "/classes/DEMOSCHOOL/nope").await;
    assert_eq!(
        missing.body,
        json!({"detail": "No object with name='nope' found or not authorized."})
    );
    let created = api
        .send(
            api.http
                .post(api.kelvin_v2("/classes/"))
                .bearer_auth(&token)
                .json(&json!({"name": "v2k", "school": format!("https://x.example.com/ucsschool/kelvin/v2/schools/DEMOSCHOOL"), "create_share": false})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["create_share"], json!(false));
    let v1_ref = api
        .send(
            api.http
                .post(api.kelvin_v2("/classes/"))
                .bearer_auth(&token)
                .json(&json!({"name": "v2l", "school": common::kref("/schools/DEMOSCHOOL")})),
        )
        .await;
    assert_eq!(
        v1_ref.status,
        StatusCode::NOT_FOUND,
        "a v1 URL in a v2 request: {}",
        v1_ref.text
    );
}

/// Knob: v2 answers 503 with the real server's only 503 text, before authentication; v1 is
/// not affected; it can be switched off again.
#[tokio::test]
async fn the_v2_unavailable_knob() {
    let api = Api::with(Sim::builder().kelvin_v2_unavailable(true)).await;
    let token = api.admin_token().await;
    for token in [token.as_str(), "not-a-token"] {
        let answer = v2(&api, token, "/users/").await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            answer.body,
            json!({"detail": "This instance is deprecated. Please upgrade."})
        );
    }
    let token = api.admin_token().await;
    assert_eq!(
        api.kget(&token, "/users/demo_student").await.status,
        StatusCode::OK
    );
    api.sim.set_kelvin_v2_unavailable(false);
    assert_eq!(
        v2(&api, &token, "/users/demo_student").await.status,
        StatusCode::OK
    );
}

/// Knob: v2 reads see the directory as it was `lag` ago (writes of either version and of
/// UDM); v1 reads see every write at once.
#[tokio::test]
async fn the_v2_read_lag_knob() {
    let api = Api::with(Sim::builder().kelvin_v2_read_lag(Duration::from_millis(800))).await;
    let token = api.admin_token().await;
    let created = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("lagged", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        api.kget(&token, "/users/lagged").await.status,
        StatusCode::OK
    );
    assert_eq!(
        v2(&api, &token, "/users/lagged").await.status,
        StatusCode::NOT_FOUND
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let later: Value = v2(&api, &token, "/users/lagged").await.body;
    assert_eq!(later["name"], "lagged");
    api.sim.set_kelvin_v2_read_lag(Duration::ZERO);
    let removed = api
        .kelvin_call(Method::DELETE, &token, "/users/lagged", None)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        v2(&api, &token, "/users/lagged").await.status,
        StatusCode::NOT_FOUND
    );
}
