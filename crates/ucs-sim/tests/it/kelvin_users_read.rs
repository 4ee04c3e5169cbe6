//! Reading Kelvin users: the document, `GET /users/{name}`, `GET /users/`.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/routers/v1/user.py` (`UserModel._from_lib_model_kwargs`,
//! `get`, `search`, `all_query_params`, `search_query_params_to_udm_filter`,
//! `_is_school_role_string`), `routers/v1/role.py` (`SchoolUserRole.from_lib_role`), the
//! UCS@school lib `models/user.py` (`type_filter` of `User`, `Student`, `Teacher`, `Staff`,
//! `TeachersAndStaff`, `SchoolAdmin`) and `kelvin/config.py` (no mapped UDM properties).

use crate::common;

use common::{kelvin_user, kref, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn setup() -> (Api, String) {
    let api = Api::start().await;
    let token = api.admin_token().await;
    (api, token)
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

async fn udm_user(api: &Api, name: &str, options: Value, roles: Value) {
    let base = api.base();
    let body = json!({
        "position": format!("cn=schueler,cn=users,ou=DEMOSCHOOL,{base}"),
        "options": options,
        "properties": {"username": name, "lastname": name, "password": "univention", "school": ["DEMOSCHOOL"], "ucsschoolRole": roles},
    });
    let answer = api.udm_call(Method::POST, "/users/user/", Some(body)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
}

/// `_from_lib_model_kwargs`: no mapped UDM properties by default (`{}`); `roles` from the
/// school-context role strings, sorted; `schools` sorted; classes without the school prefix.
#[tokio::test]
async fn the_user_document() {
    let (api, token) = setup().await;
    let student = api.kget(&token, "/users/DEMO_STUDENT").await;
    assert_eq!(
        student.body,
        json!({"dn": format!("uid=demo_student,cn=schueler,cn=users,ou=DEMOSCHOOL,{}", api.base()),
               "url": api.https("/users/demo_student"), "ucsschool_roles": ["student:school:DEMOSCHOOL"],
               "udm_properties": {}, "name": "demo_student", "school": api.https("/schools/DEMOSCHOOL"),
               "firstname": "Demo", "lastname": "Student", "birthday": null, "disabled": false,
               "email": "demo_student@example.com", "expiration_date": null, "record_uid": "demo_student",
               "roles": [api.https("/roles/student")], "schools": [api.https("/schools/DEMOSCHOOL")],
               "school_classes": {"DEMOSCHOOL": ["Democlass"]}, "workgroups": {"DEMOSCHOOL": ["Demoworkgroup"]},
               "source_uid": "DEMOID", "legal_guardians": [], "legal_wards": []})
    );
    let mut body = kelvin_user("multi", "teacher", "DEMOSCHOOL");
    body["schools"] = json!([kref("/schools/DEMOSCHOOL2"), kref("/schools/DEMOSCHOOL")]);
    body["roles"] = json!([kref("/roles/teacher"), kref("/roles/school_admin")]);
    let created = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        created.body["schools"],
        json!([
            api.https("/schools/DEMOSCHOOL"),
            api.https("/schools/DEMOSCHOOL2")
        ])
    );
    assert_eq!(
        created.body["roles"],
        json!([
            api.https("/roles/school_admin"),
            api.https("/roles/teacher")
        ])
    );
}

/// `get`: unknown names are `No object with name='x'`; users that are no school users (the
/// lib loads them by DN only) `name=None`; exam users are read as students.
#[tokio::test]
async fn get_404s_and_exam_users() {
    let (api, token) = setup().await;
    let missing = api.kget(&token, "/users/nobody").await;
    assert_eq!(
        (missing.status, missing.body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "No object with name='nobody' found or not authorized."})
        )
    );
    let admin = api.kget(&token, "/users/Administrator").await;
    assert_eq!(
        admin.body,
        json!({"detail": "No object with name=None found or not authorized."})
    );
    udm_user(
        &api,
        "exam-demo",
        json!({"ucsschoolStudent": true, "ucsschoolExam": true}),
        json!(["exam_user:school:DEMOSCHOOL"]),
    )
    .await;
    let exam = api.kget(&token, "/users/exam-demo").await;
    assert_eq!(exam.status, StatusCode::OK, "{}", exam.text);
    assert_eq!(exam.body["roles"], json!([api.https("/roles/student")]));
}

/// `search`: only the six role sets (others: 422 with the enum list), each by its lib class's
/// exact type filter; exam users never (also not with `roles=student`).
#[tokio::test]
async fn search_by_roles_uses_the_type_filters() {
    let (api, token) = setup().await;
    let mut both = kelvin_user("ts", "teacher", "DEMOSCHOOL");
    both["roles"] = json!([kref("/roles/teacher"), kref("/roles/staff")]);
    assert_eq!(
        api.kelvin_call(Method::POST, &token, "/users/", Some(both))
            .await
            .status,
        StatusCode::CREATED
    );
    let mut admin_teacher = kelvin_user("tsa", "teacher", "DEMOSCHOOL");
    admin_teacher["roles"] = json!([kref("/roles/teacher"), kref("/roles/school_admin")]);
    assert_eq!(
        api.kelvin_call(Method::POST, &token, "/users/", Some(admin_teacher))
            .await
            .status,
        StatusCode::CREATED
    );
    udm_user(
        &api,
        "exam-x",
        json!({"ucsschoolStudent": true, "ucsschoolExam": true}),
        json!(["exam_user:school:DEMOSCHOOL"]),
    )
    .await;
    assert_eq!(
        names(&api.kget(&token, "/users/?roles=teacher").await),
        vec!["demo_teacher", "tsa"]
    );
    assert_eq!(
        names(&api.kget(&token, "/users/?roles=teacher&roles=staff").await),
        vec!["ts"]
    );
    assert_eq!(
        names(&api.kget(&token, "/users/?roles=staff").await),
        vec!["demo_staff"]
    );
    assert_eq!(
        names(&api.kget(&token, "/users/?roles=school_admin").await),
        vec!["demo_admin"],
        "by the option only"
    );
    assert_eq!(
        names(&api.kget(&token, "/users/?roles=student").await),
        vec!["demo_student"]
    );
    assert!(!names(&api.kget(&token, "/users/?name=*exam*").await).contains(&"exam-x".to_string()));
    let mixed = api
        .kget(&token, "/users/?roles=student&roles=teacher")
        .await;
    assert_eq!(
        (mixed.status, mixed.body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": "Unknown value for 'roles' property: [<SchoolUserRole.student: 'student'>, <SchoolUserRole.teacher: 'teacher'>]"})
        )
    );
    let bad = api.kget(&token, "/users/?roles=foo").await;
    assert_eq!(
        bad.body["detail"][0]["ctx"],
        json!({"enum_values": ["school_admin", "staff", "student", "legal_guardian", "teacher"]})
    );
}

/// `all_query_params`: unknown or unmapped parameters are ignored; scalars count with their
/// last value; repeated `ucsschool_roles` are ANDed; `school=` is no filter, `name=` matches
/// nothing; `email` must match `^.+@.+$`, dates must parse; sorted by name case-sensitively.
#[tokio::test]
async fn search_parameters() {
    let (api, token) = setup().await;
    let all = ["demo_admin", "demo_staff", "demo_student", "demo_teacher"];
    assert_eq!(
        names(
            &api.kget(&token, "/users/?unknown=1&displayName=x&uidNumber=2003")
                .await
        ),
        all
    );
    assert_eq!(
        names(
            &api.kget(&token, "/users/?name=demo_student&name=demo_teacher")
                .await
        ),
        vec!["demo_teacher"]
    );
    assert_eq!(
        names(
            &api.kget(&token, "/users/?school=DEMOSCHOOL2&school=demoschool")
                .await
        ),
        all
    );
    assert_eq!(names(&api.kget(&token, "/users/?school=").await), all);
    assert!(names(&api.kget(&token, "/users/?name=").await).is_empty());
    let anded = "/users/?ucsschool_roles=student:school:DEMOSCHOOL&ucsschool_roles=teacher:school:DEMOSCHOOL";
    assert!(names(&api.kget(&token, anded).await).is_empty());
    assert_eq!(
        names(
            &api.kget(&token, "/users/?ucsschool_roles=teacher:school:*")
                .await
        ),
        vec!["demo_teacher"]
    );
    assert_eq!(
        names(
            &api.kget(
                &token,
                "/users/?record_uid=DEMO_student&email=DEMO_STUDENT@example.com"
            )
            .await
        ),
        vec!["demo_student"]
    );
    let email = api.kget(&token, "/users/?email=nomail").await;
    assert_eq!(
        email.body,
        json!({"detail": [{"loc": ["query", "email"], "msg": "string does not match regex \"^.+@.+$\"", "type": "value_error.str.regex", "ctx": {"pattern": "^.+@.+$"}}]})
    );
    let date = api.kget(&token, "/users/?birthday=xx").await;
    assert_eq!(date.body["detail"][0]["type"], "value_error.date");
    for name in ["az1", "Bz1"] {
        let mut body = kelvin_user(name, "staff", "DEMOSCHOOL");
        body["lastname"] = json!("Sorttest");
        assert_eq!(
            api.kelvin_call(Method::POST, &token, "/users/", Some(body))
                .await
                .status,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        names(&api.kget(&token, "/users/?lastname=sorttest").await),
        vec!["Bz1", "az1"]
    );
}

/// Configured UDM properties (`--udm-property`) are shown and searchable.
#[tokio::test]
async fn mapped_udm_properties_are_shown_and_searched() {
    let api = Api::with(ucs_sim::Sim::builder().mapped_udm_properties(["title"])).await;
    let token = api.admin_token().await;
    let mut body = kelvin_user("titled", "teacher", "DEMOSCHOOL");
    body["udm_properties"] = json!({"title": "Dr."});
    let created = api
        .kelvin_call(Method::POST, &token, "/users/", Some(body))
        .await;
    assert_eq!(
        created.body["udm_properties"],
        json!({"title": "Dr."}),
        "{}",
        created.text
    );
    assert_eq!(
        names(&api.kget(&token, "/users/?title=dr*").await),
        vec!["titled"]
    );
    let refused = api
        .kelvin_call(
            Method::PATCH,
            &token,
            "/users/titled",
            Some(json!({"udm_properties": {"phone": "1"}})),
        )
        .await;
    assert_eq!(refused.body["detail"][0]["msg"], "UDM properties that were not configured for resource 'user' and are thus not allowed: {'phone'}");
}
