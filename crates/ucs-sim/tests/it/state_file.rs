//! Loading and saving the directory as a JSON state file.

use crate::common;

use common::{kelvin_user, Api};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use ucs_sim::Sim;

#[tokio::test]
async fn the_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let api = Api::with(Sim::builder().state_file(&path)).await;
    assert!(path.exists(), "written at start");
    let token = api.admin_token().await;
    let created = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("persisted", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["format"], 1);
    assert!(saved["objects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["dn"].as_str().unwrap().starts_with("uid=persisted,")));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("\"password\""),
        "no password property is stored"
    );
    assert!(
        text.contains("\"password_hash\": \"sha256$"),
        "passwords are stored hashed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["state.json"], "no temporary files are left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    api.sim.shutdown().await;

    // `empty` does not matter when a state file exists: it is loaded instead of seeding
    let again = Api::with(
        Sim::builder()
            .state_file(&path)
            .empty(true)
            .admin_password("new-admin-pw"),
    )
    .await;
    let store = again.sim.store();
    assert!(store.user("persisted").is_some());
    assert!(store.user("demo_student").is_some());
    assert_eq!(
        again.login("Administrator", "univention").await.status,
        StatusCode::UNAUTHORIZED
    );
    let token2 = again.token_for("Administrator", "new-admin-pw").await;
    assert_eq!(
        again.kget(&token, "/roles/").await.status,
        StatusCode::UNAUTHORIZED,
        "old tokens are void"
    );
    let user = again.kget(&token2, "/users/persisted").await;
    assert_eq!(user.status, StatusCode::OK);
    assert_eq!(user.body["record_uid"], "rec-persisted");
    // counters continue: a new user gets a fresh uidNumber
    let next = again
        .kelvin_call(
            Method::POST,
            &token2,
            "/users/",
            Some(kelvin_user("after", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(next.status, StatusCode::CREATED);
    let uid = |name: &str| {
        store.user(name).unwrap().properties["uidNumber"]
            .as_u64()
            .unwrap()
    };
    assert!(uid("after") > uid("persisted"));
}

#[tokio::test]
async fn failed_writes_do_not_change_the_file_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let api = Api::with(Sim::builder().state_file(&path).empty(true)).await;
    let before = std::fs::read_to_string(&path).unwrap();
    let token = api.admin_token().await;
    let refused = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("x", "teacher", "NOSCHOOL")),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    api.sim.shutdown().await;

    std::fs::write(&path, "{ not json").unwrap();
    common::install_crypto();
    let error = Sim::builder().state_file(&path).spawn().await.unwrap_err();
    assert!(format!("{error:#}").contains("s.json"), "{error:#}");
}
