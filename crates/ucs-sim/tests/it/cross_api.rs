//! What one API writes, the other reads: Kelvin and UDM share one directory.

use crate::common;

use common::{kelvin_user, last_segment, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn a_kelvin_user_is_a_udm_user() {
    let api = Api::with(ucs_sim::Sim::builder().mapped_udm_properties(["title", "phone"])).await;
    let token = api.admin_token().await;
    let mut body = kelvin_user("k.user", "teacher", "DEMOSCHOOL");
    body["email"] = json!("k.user@example.com");
    body["birthday"] = json!("1985-06-07");
    body["expiration_date"] = json!("2040-01-01");
    body["disabled"] = json!(true);
    body["school_classes"] = json!({"DEMOSCHOOL": ["Democlass"]});
    body["udm_properties"] = json!({"title": "Dr.", "phone": ["+49 421 1"]});
    let created = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let dn = created.body["dn"].as_str().unwrap().to_string();

    let udm = api.udm_get(&api.udm_object("users/user", &dn)).await;
    assert_eq!(udm.status, StatusCode::OK);
    let p = &udm.body["properties"];
    assert_eq!(p["username"], "k.user");
    assert_eq!(p["firstname"], "First");
    assert_eq!(p["lastname"], "Last");
    assert_eq!(p["mailPrimaryAddress"], "k.user@example.com");
    assert_eq!(p["birthday"], "1985-06-07");
    assert_eq!(p["userexpiry"], "2040-01-01");
    assert_eq!(p["disabled"], true);
    assert_eq!(p["ucsschoolRecordUID"], "rec-k.user");
    assert_eq!(p["ucsschoolSourceUID"], "TESTSRC");
    assert_eq!(p["school"], json!(["DEMOSCHOOL"]));
    assert_eq!(p["ucsschoolRole"], json!(["teacher:school:DEMOSCHOOL"]));
    assert_eq!(p["title"], "Dr.");
    assert_eq!(p["phone"], json!(["+49 421 1"]));
    let base = api.base();
    let groups: Vec<&str> = p["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    for expected in [
        format!("cn=DEMOSCHOOL-Democlass,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL,{base}"),
        format!("cn=Domain Users DEMOSCHOOL,cn=groups,ou=DEMOSCHOOL,{base}"),
        format!("cn=lehrer-demoschool,cn=groups,ou=DEMOSCHOOL,{base}"),
    ] {
        assert!(
            groups.contains(&expected.as_str()),
            "{expected} in {groups:?}"
        );
    }
    assert_eq!(
        p["primaryGroup"],
        format!("cn=Domain Users DEMOSCHOOL,cn=groups,ou=DEMOSCHOOL,{base}")
    );
    assert_eq!(udm.body["options"]["ucsschoolTeacher"], true);
    assert_eq!(udm.body["options"]["ucsschoolStudent"], false);

    // found by a UDM search, too
    let found = api
        .udm_get("/users/user/?filter=%28ucsschoolRecordUID%3Drec-k.user%29")
        .await;
    assert_eq!(found.body["results"], 1);
}

#[tokio::test]
async fn a_udm_school_user_is_a_kelvin_user() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let base = api.base();
    let created = api
        .udm_call(
            Method::POST,
            "/users/user/",
            Some(json!({
                "position": format!("cn=schueler,cn=users,ou=DEMOSCHOOL2,{base}"),
                "options": {"ucsschoolStudent": true},
                "properties": {
                    "username": "u.student",
                    "firstname": "Udo",
                    "lastname": "Student",
                    "password": "univention",
                    "school": ["DEMOSCHOOL2"],
                    "ucsschoolRecordUID": "u-1",
                    "ucsschoolSourceUID": "UDM",
                    "ucsschoolRole": ["student:school:DEMOSCHOOL2"],
                    "birthday": "2009-09-09",
                }
            })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let user = api.kget(&token, "/users/u.student").await;
    assert_eq!(user.status, StatusCode::OK, "{}", user.text);
    assert_eq!(user.body["firstname"], "Udo");
    assert_eq!(user.body["birthday"], "2009-09-09");
    assert_eq!(user.body["record_uid"], "u-1");
    assert_eq!(
        last_segment(user.body["school"].as_str().unwrap()),
        "DEMOSCHOOL2"
    );
    assert_eq!(
        last_segment(user.body["roles"][0].as_str().unwrap()),
        "student"
    );
    let found = api.kget(&token, "/users/?school=DEMOSCHOOL2").await;
    assert_eq!(found.body.as_array().unwrap().len(), 1);

    // a class created through UDM shows up in Kelvin, and memberships written through UDM too
    let class_dn =
        format!("cn=DEMOSCHOOL2-9z,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL2,{base}");
    let class = api
        .udm_call(
            Method::POST,
            "/groups/group/",
            Some(json!({
                "position": format!("cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL2,{base}"),
                "properties": {"name": "DEMOSCHOOL2-9z", "users": [created.body["dn"]]},
            })),
        )
        .await;
    assert_eq!(class.status, StatusCode::CREATED, "{}", class.text);
    assert_eq!(class.body["dn"], class_dn);
    let user = api.kget(&token, "/users/u.student").await;
    assert_eq!(user.body["school_classes"], json!({"DEMOSCHOOL2": ["9z"]}));
    let classes = api.kget(&token, "/classes/?school=DEMOSCHOOL2").await;
    assert_eq!(classes.body[0]["name"], "9z");
}

#[tokio::test]
async fn udm_changes_show_in_kelvin_and_kelvin_changes_in_udm() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let student = api.sim.store().user("demo_student").unwrap();
    let url = api.udm_object("users/user", &student.dn);

    // UDM rename -> Kelvin URL changes
    let renamed = api
        .udm_call(
            Method::PATCH,
            &url,
            Some(json!({"properties": {"username": "renamed_student", "firstname": "Rena"}})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT, "{}", renamed.text);
    assert_eq!(
        api.kget(&token, "/users/demo_student").await.status,
        StatusCode::NOT_FOUND
    );
    let kelvin = api.kget(&token, "/users/renamed_student").await;
    assert_eq!(kelvin.body["firstname"], "Rena");
    assert_eq!(
        kelvin.body["school_classes"],
        json!({"DEMOSCHOOL": ["Democlass"]})
    );

    // Kelvin PATCH -> UDM sees it (and the ETag changed)
    let new_dn = kelvin.body["dn"].as_str().unwrap().to_string();
    let etag = api
        .udm_get(&api.udm_object("users/user", &new_dn))
        .await
        .header("etag")
        .unwrap()
        .to_string();
    let patched = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/renamed_student",
            Some(json!({"lastname": "Kelvinson"})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    let udm = api.udm_get(&api.udm_object("users/user", &new_dn)).await;
    assert_eq!(udm.body["properties"]["lastname"], "Kelvinson");
    assert_ne!(udm.header("etag").unwrap(), etag);

    // UDM delete -> Kelvin 404
    let deleted = api
        .udm_call(Method::DELETE, &api.udm_object("users/user", &new_dn), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.kget(&token, "/users/renamed_student").await.status,
        StatusCode::NOT_FOUND
    );
    let class = api.kget(&token, "/classes/DEMOSCHOOL/Democlass").await;
    assert!(class.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| !u.as_str().unwrap().contains("renamed")));

    // a school created through Kelvin is a container/ou in UDM
    let school = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/",
            Some(json!({"name": "KSCHOOL"})),
        )
        .await;
    assert_eq!(school.status, StatusCode::CREATED);
    let ou = api
        .udm_get(&api.udm_object("container/ou", &format!("ou=KSCHOOL,{}", api.base())))
        .await;
    assert_eq!(ou.status, StatusCode::OK);
    assert_eq!(
        ou.body["properties"]["ucsschoolRole"],
        json!(["school:school:KSCHOOL"])
    );
    assert_eq!(ou.body["options"]["UCSschool-School-OU"], Value::Bool(true));
}
