//! Kelvin schools, classes, workgroups and roles over HTTP.

use crate::common;

use common::{enc, kelvin_messages, last_segment, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn setup() -> (Api, String) {
    let api = Api::start().await;
    let token = api.admin_token().await;
    (api, token)
}

fn names(body: &Value) -> Vec<String> {
    body.as_array()
        .unwrap_or_else(|| panic!("a list: {body}"))
        .iter()
        .map(|o| o["name"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn schools_list_search_get_and_head() {
    let (api, token) = setup().await;
    let all = api.kget(&token, "/schools/").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(names(&all.body), vec!["DEMOSCHOOL", "DEMOSCHOOL2"]);
    let school = &all.body[0];
    assert_eq!(school["dn"], format!("ou=DEMOSCHOOL,{}", api.base()));
    assert_eq!(
        school["url"],
        format!(
            "{}/ucsschool/kelvin/v1/schools/DEMOSCHOOL",
            api.sim.base_url()
        )
    );
    assert_eq!(
        school["ucsschool_roles"],
        json!(["school:school:DEMOSCHOOL"])
    );
    assert_eq!(school["display_name"], "Demo School");
    assert_eq!(school["educational_servers"], json!([]));

    assert_eq!(
        names(&api.kget(&token, "/schools/?name=*2").await.body),
        vec!["DEMOSCHOOL2"]
    );
    assert_eq!(
        names(&api.kget(&token, "/schools/?name=demoschool").await.body),
        vec!["DEMOSCHOOL"]
    );
    assert_eq!(
        api.kget(&token, "/schools/demoschool2").await.body["name"],
        "DEMOSCHOOL2"
    );

    let missing = api.kget(&token, "/schools/NOPE").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body["message"].as_str().unwrap().contains("NOPE"));

    let head = api
        .kelvin_call(Method::HEAD, &token, "/schools/DEMOSCHOOL", None)
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.text.is_empty());
    let head_missing = api
        .kelvin_call(Method::HEAD, &token, "/schools/NOPE", None)
        .await;
    assert_eq!(head_missing.status, StatusCode::NOT_FOUND);
    assert!(head_missing.text.is_empty());
    let head_no_token = api
        .send(api.http.head(api.kelvin("/schools/DEMOSCHOOL")))
        .await;
    assert_eq!(head_no_token.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn schools_are_created_with_their_containers_and_groups() {
    let (api, token) = setup().await;
    let created = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/?alter_dhcpd_base=false",
            Some(json!({
                "name": "NEWSCHOOL",
                "display_name": "New School",
                "educational_servers": ["dc-edu-1"],
                "class_share_file_server": "fs-1",
            })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["display_name"], "New School");
    assert_eq!(created.body["educational_servers"], json!(["dc-edu-1"]));
    assert_eq!(created.body["class_share_file_server"], "fs-1");
    let store = api.sim.store();
    let base = api.base();
    for dn in [
        format!("ou=NEWSCHOOL,{base}"),
        format!("cn=schueler,cn=users,ou=NEWSCHOOL,{base}"),
        format!("cn=lehrer und mitarbeiter,cn=users,ou=NEWSCHOOL,{base}"),
        format!("cn=klassen,cn=schueler,cn=groups,ou=NEWSCHOOL,{base}"),
        format!("cn=Domain Users NEWSCHOOL,cn=groups,ou=NEWSCHOOL,{base}"),
        format!("cn=lehrer-newschool,cn=groups,ou=NEWSCHOOL,{base}"),
        format!("cn=admins-newschool,cn=ouadmins,cn=groups,{base}"),
    ] {
        assert!(store.exists(&dn), "{dn}");
    }
    let ou = store.get(&format!("ou=NEWSCHOOL,{base}")).unwrap();
    assert_eq!(ou.module, "container/ou");
    assert_eq!(ou.options["UCSschool-School-OU"], true);

    let again = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/",
            Some(json!({"name": "newschool"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let invalid = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/",
            Some(json!({"name": "bad name!"})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.body["detail"][0]["loc"], json!(["body", "name"]));
    let nameless = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/",
            Some(json!({"display_name": "x"})),
        )
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        kelvin_messages(&nameless.body),
        vec!["[\"body\",\"name\"] field required"]
    );
    let bad_flag = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/?alter_dhcpd_base=maybe",
            Some(json!({"name": "S3"})),
        )
        .await;
    assert_eq!(bad_flag.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn class_search_needs_a_school_and_filters_by_name() {
    let (api, token) = setup().await;
    let missing = api.kget(&token, "/classes/").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        missing.body,
        json!({"detail": [{"loc": ["query", "school"], "msg": "field required", "type": "value_error.missing"}]})
    );
    assert_eq!(
        names(&api.kget(&token, "/classes/?school=DEMOSCHOOL").await.body),
        vec!["Democlass"]
    );
    assert_eq!(
        names(
            &api.kget(&token, "/classes/?school=DEMOSCHOOL&name=demo*")
                .await
                .body
        ),
        vec!["Democlass"]
    );
    assert!(names(
        &api.kget(&token, "/classes/?school=DEMOSCHOOL&name=x*")
            .await
            .body
    )
    .is_empty());
    assert!(names(&api.kget(&token, "/classes/?school=DEMOSCHOOL2").await.body).is_empty());
    assert!(names(&api.kget(&token, "/classes/?school=NOPE").await.body).is_empty());
    // workgroups are not classes and vice versa
    assert_eq!(
        names(
            &api.kget(&token, "/workgroups/?school=DEMOSCHOOL")
                .await
                .body
        ),
        vec!["Demoworkgroup"]
    );
}

#[tokio::test]
async fn class_lifecycle_with_names_that_need_encoding() {
    let (api, token) = setup().await;
    let name = "7a/b c";
    let created = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(json!({
                "name": name,
                "school": format!("{}/ucsschool/kelvin/v1/schools/DEMOSCHOOL", api.sim.base_url()),
                "description": "Class with odd name",
                "users": [format!("{}/ucsschool/kelvin/v1/users/demo_student", api.sim.base_url())],
            })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let url = created.body["url"].as_str().unwrap().to_string();
    assert!(url.ends_with("/classes/DEMOSCHOOL/7a%2Fb%20c"), "{url}");
    assert_eq!(last_segment(&url), name);
    assert_eq!(created.body["create_share"], true);
    assert_eq!(
        created.body["ucsschool_roles"],
        json!(["school_class:school:DEMOSCHOOL"])
    );
    assert_eq!(
        created.body["dn"],
        format!(
            "cn=DEMOSCHOOL-7a/b c,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL,{}",
            api.base()
        )
    );
    let got = api.kget(&token, &url).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["name"], name);
    let student = api.kget(&token, "/users/demo_student").await;
    let mut classes = student.body["school_classes"]["DEMOSCHOOL"]
        .as_array()
        .unwrap()
        .clone();
    classes.sort_by_key(|v| v.as_str().unwrap().to_string());
    assert_eq!(classes, vec![json!("7a/b c"), json!("Democlass")]);

    let duplicate = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(json!({"name": name, "school": "DEMOSCHOOL"})),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);

    // PATCH: members and description; PUT renames and clears the description
    let patched = api
        .kelvin_call(
            Method::PATCH,
            &token,
            &url,
            Some(json!({"users": ["demo_teacher"], "description": "d2"})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.body["description"], "d2");
    assert_eq!(patched.body["users"].as_array().unwrap().len(), 1);
    assert_eq!(
        api.kget(&token, "/users/demo_student").await.body["school_classes"],
        json!({"DEMOSCHOOL": ["Democlass"]})
    );

    let put = api
        .kelvin_call(
            Method::PUT,
            &token,
            &url,
            Some(json!({"name": "8a", "school": "DEMOSCHOOL"})),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert!(put.body["url"]
        .as_str()
        .unwrap()
        .ends_with("/classes/DEMOSCHOOL/8a"));
    assert_eq!(put.body["description"], Value::Null);
    assert_eq!(
        put.body["users"],
        json!([]),
        "PUT is complete: absent users are cleared"
    );
    assert_eq!(api.kget(&token, &url).await.status, StatusCode::NOT_FOUND);
    let teacher = api.kget(&token, "/users/demo_teacher").await;
    assert_eq!(
        teacher.body["school_classes"],
        json!({"DEMOSCHOOL": ["Democlass"]})
    );
    let refilled = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/classes/DEMOSCHOOL/8a",
            Some(json!({"users": ["demo_teacher"]})),
        )
        .await;
    assert_eq!(refilled.body["users"].as_array().unwrap().len(), 1);

    let other_school = api
        .kelvin_call(
            Method::PUT,
            &token,
            "/classes/DEMOSCHOOL/8a",
            Some(json!({"name": "8a", "school": "DEMOSCHOOL2"})),
        )
        .await;
    assert_eq!(other_school.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown_member = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/classes/DEMOSCHOOL/8a",
            Some(json!({"users": ["ghost"]})),
        )
        .await;
    assert_eq!(unknown_member.status, StatusCode::UNPROCESSABLE_ENTITY);

    let deleted = api
        .kelvin_call(Method::DELETE, &token, "/classes/DEMOSCHOOL/8a", None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = api.kget(&token, "/classes/DEMOSCHOOL/8a").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(gone.body["message"].as_str().unwrap().contains("8a"));
    assert!(
        api.kget(&token, "/users/demo_teacher").await.body["school_classes"]["DEMOSCHOOL"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c != "8a")
    );
}

#[tokio::test]
async fn class_validation_errors() {
    let (api, token) = setup().await;
    let answer = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(json!({"description": "x"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = kelvin_messages(&answer.body);
    assert!(messages.contains(&"[\"body\",\"name\"] field required".to_string()));
    assert!(messages.contains(&"[\"body\",\"school\"] field required".to_string()));
    let answer = api
        .kelvin_call(
            Method::POST,
            &token,
            "/classes/",
            Some(json!({"name": "x", "school": "NOPE"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body,
        json!({"detail": "School \"NOPE\" does not exist."})
    );
    let answer = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/classes/DEMOSCHOOL/nope",
            Some(json!({})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn workgroups_have_email_settings() {
    let (api, token) = setup().await;
    let created = api
        .kelvin_call(
            Method::POST,
            &token,
            "/workgroups/",
            Some(json!({
                "name": "Chess club",
                "school": "DEMOSCHOOL",
                "email": "chess@example.com",
                "allowed_email_senders_users": ["demo_teacher"],
                "users": ["demo_student", "demo_teacher"],
            })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["email"], "chess@example.com");
    assert_eq!(
        created.body["allowed_email_senders_users"],
        json!(["demo_teacher"])
    );
    assert_eq!(created.body["allowed_email_senders_groups"], json!([]));
    assert_eq!(
        created.body["ucsschool_roles"],
        json!(["workgroup:school:DEMOSCHOOL"])
    );
    let url = format!("/workgroups/DEMOSCHOOL/{}", enc("Chess club"));
    assert_eq!(
        api.kget(&token, &url).await.body["users"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let student = api.kget(&token, "/users/demo_student").await;
    assert_eq!(
        student.body["workgroups"],
        json!({"DEMOSCHOOL": ["Chess club", "Demoworkgroup"]})
    );
    let group = api
        .sim
        .store()
        .get(created.body["dn"].as_str().unwrap())
        .unwrap();
    assert_eq!(group.str_property("mailAddress"), Some("chess@example.com"));

    let patched = api
        .kelvin_call(Method::PATCH, &token, &url, Some(json!({"email": null})))
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.body["email"], Value::Null);
    let deleted = api.kelvin_call(Method::DELETE, &token, &url, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(api.kget(&token, &url).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_are_the_five_school_roles() {
    let (api, token) = setup().await;
    let roles = api.kget(&token, "/roles/").await;
    assert_eq!(roles.status, StatusCode::OK);
    assert_eq!(
        names(&roles.body),
        vec![
            "legal_guardian",
            "school_admin",
            "staff",
            "student",
            "teacher"
        ]
    );
    let teacher = api.kget(&token, "/roles/teacher").await;
    assert_eq!(
        teacher.body,
        json!({
            "name": "teacher",
            "display_name": "Teacher",
            "url": format!("{}/ucsschool/kelvin/v1/roles/teacher", api.sim.base_url()),
        })
    );
    let missing = api.kget(&token, "/roles/pilot").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body["message"].as_str().unwrap().contains("pilot"));
}

#[tokio::test]
async fn v2_behaves_like_v1_with_v2_urls() {
    let (api, token) = setup().await;
    let v2 = |path: &str| format!("{}/v2{path}", api.sim.kelvin_url());
    let schools = api.kget(&token, &v2("/schools/")).await;
    assert_eq!(names(&schools.body), vec!["DEMOSCHOOL", "DEMOSCHOOL2"]);
    assert!(schools.body[0]["url"]
        .as_str()
        .unwrap()
        .contains("/ucsschool/kelvin/v2/schools/"));
    let class = api
        .kelvin_call(
            Method::POST,
            &token,
            &v2("/classes/"),
            Some(json!({"name": "v2class", "school": "DEMOSCHOOL"})),
        )
        .await;
    assert_eq!(class.status, StatusCode::CREATED, "{}", class.text);
    assert!(class.body["url"]
        .as_str()
        .unwrap()
        .contains("/v2/classes/DEMOSCHOOL/v2class"));
    assert!(class.body["school"]
        .as_str()
        .unwrap()
        .contains("/v2/schools/DEMOSCHOOL"));
    // written through v2, read through v1
    assert_eq!(
        api.kget(&token, "/classes/DEMOSCHOOL/v2class").await.status,
        StatusCode::OK
    );
    let user = api
        .kelvin_call(
            Method::POST,
            &token,
            &v2("/users/"),
            Some(common::kelvin_user("v2user", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.text);
    assert!(user.body["roles"][0]
        .as_str()
        .unwrap()
        .contains("/v2/roles/teacher"));
    let roles = api.kget(&token, &v2("/roles/")).await;
    assert_eq!(roles.body.as_array().unwrap().len(), 5);
    let wg = api
        .kget(&token, &v2("/workgroups/?school=DEMOSCHOOL"))
        .await;
    assert_eq!(names(&wg.body), vec!["Demoworkgroup"]);
    let head = api
        .kelvin_call(Method::HEAD, &token, &v2("/schools/DEMOSCHOOL2"), None)
        .await;
    assert_eq!(head.status, StatusCode::OK);
}
