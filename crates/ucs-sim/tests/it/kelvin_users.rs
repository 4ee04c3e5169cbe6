//! Kelvin `/users/` over HTTP: reading, searching, writing, role rules and memberships.

use crate::common;

use common::{kelvin_messages, kelvin_user, last_segment, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn names(body: &Value) -> Vec<String> {
    body.as_array()
        .unwrap_or_else(|| panic!("a list: {body}"))
        .iter()
        .map(|u| u["name"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn setup() -> (Api, String) {
    let api = Api::start().await;
    let token = api.admin_token().await;
    (api, token)
}

#[tokio::test]
async fn a_user_has_every_field_of_the_user_model_and_urls_from_the_host() {
    let (api, token) = setup().await;
    let answer = api.kget(&token, "/users/demo_student").await;
    assert_eq!(answer.status, StatusCode::OK);
    let user = answer.body;
    let mut keys: Vec<&str> = user
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "birthday",
            "disabled",
            "dn",
            "email",
            "expiration_date",
            "firstname",
            "lastname",
            "legal_guardians",
            "legal_wards",
            "name",
            "record_uid",
            "roles",
            "school",
            "school_classes",
            "schools",
            "source_uid",
            "ucsschool_roles",
            "udm_properties",
            "url",
            "workgroups"
        ]
    );
    let base = api.sim.base_url();
    assert_eq!(
        user["url"],
        format!("{base}/ucsschool/kelvin/v1/users/demo_student")
    );
    assert_eq!(
        user["school"],
        format!("{base}/ucsschool/kelvin/v1/schools/DEMOSCHOOL")
    );
    assert_eq!(
        user["roles"],
        json!([format!("{base}/ucsschool/kelvin/v1/roles/student")])
    );
    assert_eq!(
        user["dn"],
        format!(
            "uid=demo_student,cn=schueler,cn=users,ou=DEMOSCHOOL,{}",
            api.base()
        )
    );
    assert_eq!(user["school_classes"], json!({"DEMOSCHOOL": ["Democlass"]}));
    assert_eq!(user["workgroups"], json!({"DEMOSCHOOL": ["Demoworkgroup"]}));
    assert_eq!(
        user["ucsschool_roles"],
        json!(["student:school:DEMOSCHOOL"])
    );
    assert_eq!(user["email"], "demo_student@example.com");
    assert_eq!(user["birthday"], Value::Null);
    assert_eq!(user["disabled"], false);

    // URLs follow the Host header the client used
    let custom = api
        .send(
            api.http
                .get(api.kelvin("/users/demo_teacher"))
                .bearer_auth(&token)
                .header("Host", "kelvin.example.org"),
        )
        .await;
    assert_eq!(
        custom.body["url"],
        "http://kelvin.example.org/ucsschool/kelvin/v1/users/demo_teacher"
    );

    // v2 answers with v2 URLs
    let v2 = api
        .kelvin_call(
            Method::GET,
            &token,
            &format!("{}/v2/users/demo_teacher", api.sim.kelvin_url()),
            None,
        )
        .await;
    assert_eq!(v2.status, StatusCode::OK);
    assert!(v2.body["url"]
        .as_str()
        .unwrap()
        .contains("/ucsschool/kelvin/v2/users/"));
}

#[tokio::test]
async fn unknown_user_is_404_with_message_and_users_have_no_head() {
    let (api, token) = setup().await;
    let answer = api.kget(&token, "/users/nobody").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.body["message"].as_str().unwrap().contains("nobody"));
    // the Administrator is a UDM user but no school user
    assert_eq!(
        api.kget(&token, "/users/Administrator").await.status,
        StatusCode::NOT_FOUND
    );
    let head = api
        .kelvin_call(Method::HEAD, &token, "/users/demo_student", None)
        .await;
    assert_eq!(head.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn search_filters_are_case_insensitive_with_wildcards() {
    let (api, token) = setup().await;
    let all = api.kget(&token, "/users/").await;
    assert_eq!(
        names(&all.body),
        vec!["demo_admin", "demo_staff", "demo_student", "demo_teacher"]
    );
    for (query, expected) in [
        (
            "school=demoschool",
            vec!["demo_admin", "demo_staff", "demo_student", "demo_teacher"],
        ),
        ("school=DEMOSCHOOL2", vec![]),
        ("name=demo_s*", vec!["demo_staff", "demo_student"]),
        ("name=*TEACH*", vec!["demo_teacher"]),
        ("firstname=demo&lastname=stud*", vec!["demo_student"]),
        ("email=demo_teacher@example.com", vec!["demo_teacher"]),
        ("record_uid=demo_staff", vec!["demo_staff"]),
        (
            "source_uid=DEMO*",
            vec!["demo_admin", "demo_staff", "demo_student", "demo_teacher"],
        ),
        (
            "roles=student&roles=teacher",
            vec!["demo_student", "demo_teacher"],
        ),
        ("roles=school_admin", vec!["demo_admin"]),
        (
            "disabled=false",
            vec!["demo_admin", "demo_staff", "demo_student", "demo_teacher"],
        ),
        ("disabled=true", vec![]),
        ("ucsschool_roles=teacher:school:*", vec!["demo_teacher"]),
        ("displayName=Demo%20St*", vec!["demo_staff", "demo_student"]),
        ("title=*", vec![]),
    ] {
        let answer = api.kget(&token, &format!("/users/?{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.text);
        assert_eq!(names(&answer.body), expected, "{query}");
    }
    let bad_role = api.kget(&token, "/users/?roles=pilot").await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad_role.body["detail"][0]["loc"],
        json!(["query", "roles", 0])
    );
    let bad_bool = api.kget(&token, "/users/?disabled=maybe").await;
    assert_eq!(bad_bool.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn search_by_dates_and_mapped_udm_properties() {
    let (api, token) = setup().await;
    let patch = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_teacher",
            Some(json!({
                "birthday": "1980-04-05",
                "expiration_date": "2030-07-31",
                "disabled": true,
                "udm_properties": {"title": "Dr."},
            })),
        )
        .await;
    assert_eq!(patch.status, StatusCode::OK, "{}", patch.text);
    assert_eq!(patch.body["udm_properties"]["title"], "Dr.");
    for query in [
        "birthday=1980-04-05",
        "expiration_date=2030-*",
        "disabled=true",
        "title=Dr*",
    ] {
        let answer = api.kget(&token, &format!("/users/?{query}")).await;
        assert_eq!(names(&answer.body), vec!["demo_teacher"], "{query}");
    }
}

#[tokio::test]
async fn create_returns_201_with_the_user_and_stores_a_udm_user() {
    let (api, token) = setup().await;
    let mut body = kelvin_user("new.student", "student", "DEMOSCHOOL");
    body["email"] = json!("New.Student@example.com");
    body["birthday"] = json!("2012-01-31");
    body["password"] = json!("very-secret-1");
    body["school_classes"] = json!({"DEMOSCHOOL": ["Democlass", "5b"]});
    body["workgroups"] = json!({"DEMOSCHOOL": ["Demoworkgroup"]});
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let user = &answer.body;
    assert!(user.get("password").is_none() && !answer.text.contains("very-secret-1"));
    assert_eq!(user["name"], "new.student");
    assert_eq!(
        user["school_classes"],
        json!({"DEMOSCHOOL": ["5b", "Democlass"]})
    );
    assert_eq!(user["workgroups"], json!({"DEMOSCHOOL": ["Demoworkgroup"]}));
    assert_eq!(user["birthday"], "2012-01-31");
    assert_eq!(user["record_uid"], "rec-new.student");

    let stored = api
        .sim
        .store()
        .user("new.student")
        .expect("a UDM user exists");
    assert_eq!(
        stored.dn,
        format!(
            "uid=new.student,cn=schueler,cn=users,ou=DEMOSCHOOL,{}",
            api.base()
        )
    );
    assert_eq!(stored.str_property("firstname"), Some("First"));
    assert_eq!(
        stored.str_property("mailPrimaryAddress"),
        Some("New.Student@example.com")
    );
    assert_eq!(
        stored.str_property("ucsschoolRecordUID"),
        Some("rec-new.student")
    );
    assert_eq!(stored.str_property("ucsschoolSourceUID"), Some("TESTSRC"));
    assert_eq!(stored.property("school"), Some(&json!(["DEMOSCHOOL"])));
    assert_eq!(stored.options["ucsschoolStudent"], true);
    assert!(stored.property("password") == Some(&Value::Null));
    assert!(api
        .sim
        .store()
        .password_matches(&stored.dn, "very-secret-1"));
    // the missing class was created and is a class
    let class = api.kget(&token, "/classes/DEMOSCHOOL/5b").await;
    assert_eq!(class.status, StatusCode::OK);
    assert_eq!(class.body["users"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn create_conflicts_and_validation_errors() {
    let (api, token) = setup().await;
    let exists = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("Demo_Student", "student", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(exists.status, StatusCode::CONFLICT);
    assert_eq!(exists.body, json!({"detail": "School user exists."}));

    let empty = api
        .kelvin_call(Method::POST, &token, "/users/", Some(json!({})))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = kelvin_messages(&empty.body);
    for field in [
        "name",
        "firstname",
        "lastname",
        "record_uid",
        "source_uid",
        "roles",
    ] {
        assert!(
            messages.contains(&format!("[\"body\",\"{field}\"] field required")),
            "{field}: {messages:?}"
        );
    }
    assert!(messages
        .iter()
        .any(|m| m.starts_with("[\"body\",\"school\"]")));
    assert_eq!(empty.body["detail"][0]["type"], "value_error.missing");

    let not_json = api
        .send(
            api.http
                .post(api.kelvin("/users/"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut unknown_school = kelvin_user("u1", "teacher", "NOSCHOOL");
    unknown_school["email"] = json!("u1@example.com");
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(unknown_school))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body,
        json!({"detail": "School \"NOSCHOOL\" does not exist."})
    );

    let mut foreign_domain = kelvin_user("u2", "teacher", "DEMOSCHOOL");
    foreign_domain["email"] = json!("u2@elsewhere.org");
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(foreign_domain))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body["detail"]
            .as_str()
            .unwrap()
            .contains("elsewhere.org"),
        "{}",
        answer.text
    );

    let mut missing_wg = kelvin_user("u3", "teacher", "DEMOSCHOOL");
    missing_wg["workgroups"] = json!({"DEMOSCHOOL": ["nope"]});
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(missing_wg))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body["detail"]
        .as_str()
        .unwrap()
        .contains("Workgroup \"nope\""));

    let mut short_password = kelvin_user("u4", "teacher", "DEMOSCHOOL");
    short_password["password"] = json!("short");
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(short_password))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !answer.text.contains("\"short\""),
        "the password is not echoed: {}",
        answer.text
    );

    // nothing of the failed creates is left behind
    for name in ["u1", "u2", "u3", "u4"] {
        assert!(api.sim.store().user(name).is_none(), "{name}");
    }
}

#[tokio::test]
async fn school_and_schools_rules() {
    let (api, token) = setup().await;
    // only schools: school is the alphabetically first
    let mut body = kelvin_user("multi", "teacher", "X");
    body.as_object_mut().unwrap().remove("school");
    body["schools"] = json!(["DEMOSCHOOL2", "DEMOSCHOOL"]);
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(
        last_segment(answer.body["school"].as_str().unwrap()),
        "DEMOSCHOOL"
    );
    assert_eq!(answer.body["schools"].as_array().unwrap().len(), 2);
    assert_eq!(
        answer.body["ucsschool_roles"],
        json!(["teacher:school:DEMOSCHOOL2", "teacher:school:DEMOSCHOOL"])
    );

    // school not in schools
    let mut body = kelvin_user("bad", "teacher", "DEMOSCHOOL2");
    body["schools"] = json!(["DEMOSCHOOL"]);
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["detail"][0]["loc"], json!(["body", "school"]));

    // class keys must be schools of the user
    let mut body = kelvin_user("bad2", "student", "DEMOSCHOOL");
    body["school_classes"] = json!({"DEMOSCHOOL2": ["1a"]});
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body["detail"]
        .as_str()
        .unwrap()
        .contains("DEMOSCHOOL2"));
}

#[tokio::test]
async fn role_combinations_and_attribute_rules_are_422() {
    let (api, token) = setup().await;
    for roles in [
        vec!["student", "teacher"],
        vec!["student", "staff"],
        vec!["school_admin", "student"],
        vec!["legal_guardian", "teacher"],
    ] {
        let mut body = kelvin_user("combo", "student", "DEMOSCHOOL");
        body["roles"] = json!(roles);
        let answer = api
            .kelvin_call(Method::POST, &token, "/users/", Some(body))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{roles:?}");
        assert_eq!(answer.body["detail"][0]["loc"], json!(["body", "roles"]));
        assert_eq!(answer.body["detail"][0]["type"], "value_error");
        assert!(answer.body["detail"][0]["msg"]
            .as_str()
            .unwrap()
            .contains("Invalid combination of roles"));
    }
    for roles in [
        vec!["staff", "teacher"],
        vec!["school_admin", "teacher"],
        vec!["school_admin", "staff", "teacher"],
    ] {
        let name = format!("ok-{}", roles.join("-").replace('_', ""));
        let mut body = kelvin_user(&name, "student", "DEMOSCHOOL");
        body["roles"] = json!(roles);
        let answer = api
            .kelvin_call(Method::POST, &token, "/users/", Some(body))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "{roles:?}: {}",
            answer.text
        );
    }
    let staff_teacher = api.sim.store().user("ok-staff-teacher").unwrap();
    assert!(staff_teacher
        .dn
        .starts_with("uid=ok-staff-teacher,cn=lehrer und mitarbeiter,cn=users,"));

    let mut unknown = kelvin_user("unk", "pilot", "DEMOSCHOOL");
    unknown["roles"] = json!(["pilot"]);
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(unknown))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut exam = kelvin_user("exam1", "student", "DEMOSCHOOL");
    exam["roles"] = json!(["student", "exam_user"]);
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(exam))
        .await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "exam_user counts as student: {}",
        answer.text
    );
    assert_eq!(
        answer.body["ucsschool_roles"],
        json!(["exam_user:school:DEMOSCHOOL"])
    );

    let mut expiry = kelvin_user("exp", "teacher", "DEMOSCHOOL");
    expiry["expiration_date"] = json!("1960-12-31");
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(expiry.clone()))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body["detail"][0]["loc"],
        json!(["body", "expiration_date"])
    );
    expiry["expiration_date"] = json!("2099-12-31");
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(expiry))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.body["expiration_date"], "2099-12-31");
    assert_eq!(
        api.sim
            .store()
            .user("exp")
            .unwrap()
            .str_property("userexpiry"),
        Some("2099-12-31")
    );

    let mut bad_date = kelvin_user("bd", "teacher", "DEMOSCHOOL");
    bad_date["birthday"] = json!("31.01.2010");
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(bad_date))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["detail"][0]["type"], "value_error.date");
}

#[tokio::test]
async fn legal_guardians_and_wards_stay_consistent() {
    let (api, token) = setup().await;
    let mut guardian = kelvin_user("parent1", "legal_guardian", "DEMOSCHOOL");
    guardian["roles"] = json!(["legal_guardian"]);
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(guardian))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let guardian_url = answer.body["url"].as_str().unwrap().to_string();

    let patch = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"legal_guardians": [guardian_url]})),
        )
        .await;
    assert_eq!(patch.status, StatusCode::OK, "{}", patch.text);
    assert_eq!(patch.body["legal_guardians"].as_array().unwrap().len(), 1);
    assert_eq!(
        last_segment(patch.body["legal_guardians"][0].as_str().unwrap()),
        "parent1"
    );
    let parent = api.kget(&token, "/users/parent1").await;
    assert_eq!(
        parent.body["legal_wards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| last_segment(u.as_str().unwrap()))
            .collect::<Vec<_>>(),
        vec!["demo_student"]
    );

    // guardians only on students, wards only on guardians, limits
    let answer = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_teacher",
            Some(json!({"legal_guardians": ["parent1"]})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_teacher",
            Some(json!({"legal_wards": ["demo_student"]})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let five: Vec<String> = (0..5).map(|i| format!("p{i}")).collect();
    let answer = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"roles": ["student"], "legal_guardians": five})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body["detail"][0]["msg"]
        .as_str()
        .unwrap()
        .contains("at most 4"));
    let answer = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"legal_guardians": ["demo_teacher"]})),
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a teacher is no legal guardian"
    );

    // deleting the guardian removes the relation
    let deleted = api
        .kelvin_call(Method::DELETE, &token, "/users/parent1", None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let student = api.kget(&token, "/users/demo_student").await;
    assert_eq!(student.body["legal_guardians"], json!([]));
}

#[tokio::test]
async fn patch_renames_and_moves_and_keeps_memberships() {
    let (api, token) = setup().await;
    let renamed = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"name": "demo_pupil"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert!(renamed.body["url"]
        .as_str()
        .unwrap()
        .ends_with("/users/demo_pupil"));
    assert!(renamed.body["dn"]
        .as_str()
        .unwrap()
        .starts_with("uid=demo_pupil,cn=schueler,"));
    assert_eq!(
        renamed.body["school_classes"],
        json!({"DEMOSCHOOL": ["Democlass"]})
    );
    assert_eq!(
        api.kget(&token, "/users/demo_student").await.status,
        StatusCode::NOT_FOUND
    );
    let class = api.kget(&token, "/classes/DEMOSCHOOL/Democlass").await;
    let members: Vec<String> = class.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| last_segment(u.as_str().unwrap()))
        .collect();
    assert!(
        members.contains(&"demo_pupil".to_string())
            && !members.contains(&"demo_student".to_string())
    );

    // move the teacher to DEMOSCHOOL2: its classes in DEMOSCHOOL go, the DN follows
    let moved = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_teacher",
            Some(json!({"school": "DEMOSCHOOL2", "schools": ["DEMOSCHOOL2"]})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(
        moved.body["dn"],
        format!(
            "uid=demo_teacher,cn=lehrer,cn=users,ou=DEMOSCHOOL2,{}",
            api.base()
        )
    );
    assert_eq!(moved.body["school_classes"], json!({}));
    assert_eq!(
        moved.body["ucsschool_roles"],
        json!(["teacher:school:DEMOSCHOOL2"])
    );
    let stored = api.sim.store().user("demo_teacher").unwrap();
    assert_eq!(stored.property("school"), Some(&json!(["DEMOSCHOOL2"])));

    // adding a school by PATCHing only `school` keeps the old one in `schools`
    let added = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_teacher",
            Some(json!({"school": "DEMOSCHOOL"})),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    assert_eq!(
        last_segment(added.body["school"].as_str().unwrap()),
        "DEMOSCHOOL"
    );
    assert_eq!(added.body["schools"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn membership_maps_keep_replace_or_clear() {
    let (api, token) = setup().await;
    // absent key keeps
    let kept = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"firstname": "Dora"})),
        )
        .await;
    assert_eq!(
        kept.body["school_classes"],
        json!({"DEMOSCHOOL": ["Democlass"]})
    );
    assert_eq!(
        kept.body["workgroups"],
        json!({"DEMOSCHOOL": ["Demoworkgroup"]})
    );
    // a given map replaces
    let replaced = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"school_classes": {"DEMOSCHOOL": ["7c"]}})),
        )
        .await;
    assert_eq!(
        replaced.body["school_classes"],
        json!({"DEMOSCHOOL": ["7c"]})
    );
    // the old class still exists although it lost a member
    assert_eq!(
        api.kget(&token, "/classes/DEMOSCHOOL/Democlass")
            .await
            .status,
        StatusCode::OK
    );
    // an empty map clears
    let cleared = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"school_classes": {}, "workgroups": {}})),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(cleared.body["school_classes"], json!({}));
    assert_eq!(cleared.body["workgroups"], json!({}));
    let class = api.kget(&token, "/classes/DEMOSCHOOL/7c").await;
    assert_eq!(
        class.status,
        StatusCode::OK,
        "a class is kept when it empties"
    );
    assert_eq!(class.body["users"], json!([]));
}

#[tokio::test]
async fn role_changes_follow_the_school_rules() {
    let (api, token) = setup().await;
    // to staff: classes go, the user moves to cn=mitarbeiter
    let staff = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_teacher",
            Some(json!({"roles": ["staff"]})),
        )
        .await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.text);
    assert_eq!(staff.body["school_classes"], json!({}));
    assert!(staff.body["dn"]
        .as_str()
        .unwrap()
        .starts_with("uid=demo_teacher,cn=mitarbeiter,"));
    let options = &api.sim.store().user("demo_teacher").unwrap().options;
    assert_eq!(
        (
            options["ucsschoolStaff"].clone(),
            options["ucsschoolTeacher"].clone()
        ),
        (json!(true), json!(false))
    );

    // to student without a class in each school: refused, nothing changes
    let refused = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_staff",
            Some(json!({"roles": ["student"]})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body["detail"]
        .as_str()
        .unwrap()
        .contains("at least one school class"));
    assert_eq!(
        api.kget(&token, "/users/demo_staff").await.body["roles"][0]
            .as_str()
            .map(last_segment),
        Some("staff".to_string())
    );
    // ... with a class sent along it works
    let student = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_staff",
            Some(json!({"roles": ["student"], "school_classes": {"DEMOSCHOOL": ["Democlass"]}})),
        )
        .await;
    assert_eq!(student.status, StatusCode::OK, "{}", student.text);
    assert!(student.body["dn"]
        .as_str()
        .unwrap()
        .contains(",cn=schueler,"));

    // a school admin cannot become a student
    let admin = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_admin",
            Some(json!({"roles": ["student"], "school_classes": {"DEMOSCHOOL": ["Democlass"]}})),
        )
        .await;
    assert_eq!(admin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(admin.body["detail"]
        .as_str()
        .unwrap()
        .contains("school administrator"));

    // PATCH refuses null for required fields
    let null_name = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_admin",
            Some(json!({"firstname": null, "roles": []})),
        )
        .await;
    assert_eq!(null_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = kelvin_messages(&null_name.body);
    assert!(messages
        .iter()
        .any(|m| m.contains("firstname") && m.contains("none is not an allowed value")));
    assert!(messages
        .iter()
        .any(|m| m.contains("roles") && m.contains("at least 1")));
}

#[tokio::test]
async fn put_replaces_the_user_but_keeps_absent_memberships() {
    let (api, token) = setup().await;
    let before = api.kget(&token, "/users/demo_student").await.body;
    let mut doc = before.clone();
    let map = doc.as_object_mut().unwrap();
    map.remove("email");
    map.remove("school_classes");
    map.insert("lastname".into(), json!("Replaced"));
    map.insert("birthday".into(), json!("2011-11-11"));
    let put = api
        .kelvin_call(Method::PUT, &token, "/users/demo_student", Some(doc))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(put.body["lastname"], "Replaced");
    assert_eq!(put.body["birthday"], "2011-11-11");
    assert_eq!(
        put.body["email"],
        Value::Null,
        "an absent optional field is cleared by PUT"
    );
    assert_eq!(
        put.body["school_classes"], before["school_classes"],
        "absent memberships are kept"
    );

    let incomplete = api
        .kelvin_call(
            Method::PUT,
            &token,
            "/users/demo_student",
            Some(json!({"firstname": "x"})),
        )
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = api
        .kelvin_call(
            Method::PUT,
            &token,
            "/users/ghost",
            Some(kelvin_user("ghost", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body["message"].as_str().unwrap().contains("ghost"));
}

#[tokio::test]
async fn passwords_and_hashes_are_write_only() {
    let (api, token) = setup().await;
    let hashes = json!({
        "user_password": ["{crypt}$6$abc$def"],
        "samba_nt_password": "8846F7EAEE8FB117AD06BDD830B7586C",
        "krb_5_key": ["a2V5"],
        "krb5_key_version_number": 1,
        "samba_pwd_last_set": 1_600_000_000,
    });
    let mut body = kelvin_user("hashed", "teacher", "DEMOSCHOOL");
    body["kelvin_password_hashes"] = hashes;
    let answer = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert!(!answer.text.contains("8846F7EA") && !answer.text.contains("kelvin_password_hashes"));
    let dn = answer.body["dn"].as_str().unwrap().to_string();
    assert!(api.sim.store().has_password_hashes(&dn));

    let incomplete = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/hashed",
            Some(json!({"kelvin_password_hashes": {"user_password": []}})),
        )
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kelvin_messages(&incomplete.body)
        .iter()
        .any(|m| m.contains("samba_nt_password")));

    let changed = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/hashed",
            Some(json!({"password": "n3w-password"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(!changed.text.contains("n3w-password"));
    assert!(api.sim.store().password_matches(&dn, "n3w-password"));
    let logged = api.sim.requests();
    assert!(logged
        .iter()
        .all(|r| !format!("{r:?}").contains("n3w-password")));
}

#[tokio::test]
async fn unmapped_udm_properties_are_refused() {
    let (api, token) = setup().await;
    let answer = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/demo_student",
            Some(json!({"udm_properties": {"uidNumber": 4711, "secretary": []}})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body["detail"][0]["loc"],
        json!(["body", "udm_properties"])
    );
    assert!(answer.body["detail"][0]["msg"]
        .as_str()
        .unwrap()
        .contains("secretary"));
}

#[tokio::test]
async fn delete_removes_the_user_and_its_memberships() {
    let (api, token) = setup().await;
    let deleted = api
        .kelvin_call(Method::DELETE, &token, "/users/demo_student", None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.text.is_empty());
    let again = api
        .kelvin_call(Method::DELETE, &token, "/users/demo_student", None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.body["message"].is_string());
    let class = api.kget(&token, "/classes/DEMOSCHOOL/Democlass").await;
    assert_eq!(
        class.body["users"].as_array().unwrap().len(),
        1,
        "only demo_teacher is left"
    );
    let group = api
        .sim
        .store()
        .get(&format!(
            "cn=Domain Users DEMOSCHOOL,cn=groups,ou=DEMOSCHOOL,{}",
            api.base()
        ))
        .unwrap();
    assert!(!group
        .property("users")
        .unwrap()
        .to_string()
        .contains("demo_student"));
}
