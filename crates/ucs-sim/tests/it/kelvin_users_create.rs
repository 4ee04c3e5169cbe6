//! `POST /users/`: the body model, the importer's defaults and checks, role precedence.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/routers/v1/user.py` (`UserBaseModel`, `UserCreateModel`,
//! `not_both_password_and_hashes`, `_validate_date_format`, `_validate_date_range`, `create`,
//! `fix_case_of_ous`, `check_role`), `kelvin-api/usr/share/ucs-school-import/configs/
//! kelvin_defaults.json` (`source_uid: Kelvin`), `ucs-school-import/.../user_import_defaults.json`
//! (`password_length: 15`, `mandatory_attributes`, `scheme: {}`), the importer's
//! `models/import_user.py` (`validate`, `make_schools`, `make_classes`,
//! `make_legal_guardians`, `_validate_workgroups`, `get_by_import_id`), `mass_import/
//! user_import.py` (`determine_add_modify_action`), `default_user_import_factory.py`
//! (`make_import_user`) and the lib `models/user.py` (`Student`, `Teacher`, ...).

use crate::common;

use common::{detail, kref, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn setup() -> (Api, String) {
    let api = Api::start().await;
    let token = api.admin_token().await;
    (api, token)
}

fn body(name: Option<&str>, roles: &[&str]) -> Value {
    let mut b = json!({"firstname": "F", "lastname": "L", "school": kref("/schools/DEMOSCHOOL"),
                       "roles": roles.iter().map(|r| kref(&format!("/roles/{r}"))).collect::<Vec<_>>()});
    if let Some(n) = name {
        b["name"] = json!(n);
        b["record_uid"] = json!(format!("rec-{n}"));
    }
    b
}

async fn post(api: &Api, token: &str, b: Value) -> common::Answer {
    api.kelvin_call(Method::POST, token, "/users/", Some(b))
        .await
}

/// pydantic: only firstname, lastname, roles are required; the root validators run too.
#[tokio::test]
async fn the_body_model() {
    let (api, token) = setup().await;
    let empty = post(&api, &token, json!({})).await;
    assert_eq!(
        empty.body["detail"],
        json!([
            {"loc": ["body", "firstname"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["body", "lastname"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["body", "roles"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["body", "__root__"], "msg": "At least one of 'school' and 'schools' must be set.", "type": "value_error"},
        ])
    );
    let mut b = body(Some("x1"), &["teacher"]);
    b["name"] = json!("a b");
    b["birthday"] = json!("2001-02-30");
    b["expiration_date"] = json!("2100-01-01");
    b["ucsschool_roles"] = json!(["bad"]);
    b["password"] = json!("a-long-enough-password");
    b["kelvin_password_hashes"] = json!({"user_password": ["x"], "samba_nt_password": "x", "krb_5_key": ["!!!"], "krb5_key_version_number": 1, "samba_pwd_last_set": 1});
    let messages: Vec<(Value, Value)> = post(&api, &token, b).await.body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["loc"].clone(), e["msg"].clone()))
        .collect();
    assert_eq!(
        messages,
        vec![
            (
                json!(["body", "name"]),
                json!("Spaces are not allowed in the username!")
            ),
            (
                json!(["body", "birthday"]),
                json!("Incorrect date format, should be YYYY-MM-DD.")
            ),
            (
                json!(["body", "expiration_date"]),
                json!("Year must be between 1961 and 2099.")
            ),
            (
                json!(["body", "ucsschool_roles"]),
                json!("Invalid UCS@school role string: 'bad'.")
            ),
            (
                json!(["body", "__root__"]),
                json!("Only one of 'password' and 'kelvin_password_hashes' must be set.")
            ),
        ]
    );
    let mut coerced = body(Some("x2"), &["teacher"]);
    coerced["disabled"] = json!("yes");
    coerced["birthday"] = json!("2000-1-2");
    let ok = post(&api, &token, coerced).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(
        (ok.body["disabled"].clone(), ok.body["birthday"].clone()),
        (json!(true), json!("2000-01-02"))
    );
}

/// The importer: `source_uid` defaults to `Kelvin`; no `record_uid` or no name (no name
/// template is configured) are 400 `Failed to create <lib repr>: ...`.
#[tokio::test]
async fn import_ids_and_names() {
    let (api, token) = setup().await;
    let base = api.base();
    let mut no_record = body(Some("nrec"), &["student"]);
    no_record.as_object_mut().unwrap().remove("record_uid");
    let answer = post(&api, &token, no_record).await;
    assert_eq!(
        (answer.status, detail(&answer.body).to_string()),
        (StatusCode::BAD_REQUEST, format!("Failed to create ImportStudent(name='nrec', school='DEMOSCHOOL', dn='uid=nrec,cn=schueler,cn=users,ou=DEMOSCHOOL,{base}'): source_uid or record_uid are not set (source_uid='Kelvin' record_uid=None)."))
    );
    let mut no_name = body(None, &["student"]);
    no_name["record_uid"] = json!("r-noname");
    let answer = post(&api, &token, no_name).await;
    assert_eq!(detail(&answer.body), "Failed to create ImportStudent(name=None, school='DEMOSCHOOL', dn=None): No username was created.");
    let created = post(&api, &token, body(Some("kelv1"), &["teacher"])).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["source_uid"], "Kelvin");
}

/// 409: the name is taken by any user (also Administrator, case-insensitive); the same
/// (`source_uid`, `record_uid`) as an existing school user.
#[tokio::test]
async fn conflicts() {
    let (api, token) = setup().await;
    for name in ["Demo_Student", "administrator"] {
        let answer = post(&api, &token, body(Some(name), &["student"])).await;
        assert_eq!(
            (answer.status, answer.body),
            (
                StatusCode::CONFLICT,
                json!({"detail": "School user exists."})
            ),
            "{name}"
        );
    }
    assert_eq!(
        post(&api, &token, body(Some("dup1"), &["teacher"]))
            .await
            .status,
        StatusCode::CREATED
    );
    let mut same_ids = body(Some("dup2"), &["staff"]);
    same_ids["record_uid"] = json!("rec-dup1");
    let answer = post(&api, &token, same_ids).await;
    assert_eq!(
        (answer.status, answer.body),
        (
            StatusCode::CONFLICT,
            json!({"detail": "School user exists (name='dup2', record_uid='rec-dup1', source_uid='Kelvin')."})
        )
    );
}

/// `make_schools`: a `school` outside `schools` becomes the first of `sorted(schools)`.
#[tokio::test]
async fn the_school_is_picked_from_the_schools() {
    let (api, token) = setup().await;
    let mut b = body(Some("pick"), &["teacher"]);
    b["schools"] = json!([kref("/schools/DEMOSCHOOL2")]);
    let answer = post(&api, &token, b).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(answer.body["school"], api.https("/schools/DEMOSCHOOL2"));
    assert_eq!(
        answer.body["schools"],
        json!([api.https("/schools/DEMOSCHOOL2")])
    );
    assert!(answer.body["dn"]
        .as_str()
        .unwrap()
        .ends_with(&format!("ou=DEMOSCHOOL2,{}", api.base())));
}

/// `make_import_user`: combinations are not refused; the lib class comes from the precedence
/// student > teacher+staff > teacher > staff > legal guardian > school admin, and only that
/// class decides options, container and role groups; role strings are one per requested role.
#[tokio::test]
async fn combined_roles_take_the_class_of_precedence() {
    let (api, token) = setup().await;
    let base = api.base();
    let mut st = body(Some("rc1"), &["student", "teacher"]);
    st["school_classes"] = json!({"DEMOSCHOOL": ["Democlass"]});
    let student = post(&api, &token, st).await;
    assert_eq!(student.status, StatusCode::CREATED, "{}", student.text);
    assert_eq!(
        student.body["dn"],
        format!("uid=rc1,cn=schueler,cn=users,ou=DEMOSCHOOL,{base}")
    );
    assert_eq!(
        student.body["ucsschool_roles"],
        json!(["student:school:DEMOSCHOOL", "teacher:school:DEMOSCHOOL"])
    );
    let teacher = post(
        &api,
        &token,
        body(Some("rc2"), &["teacher", "school_admin"]),
    )
    .await;
    assert_eq!(
        teacher.body["dn"],
        format!("uid=rc2,cn=lehrer,cn=users,ou=DEMOSCHOOL,{base}")
    );
    assert_eq!(
        teacher.body["roles"],
        json!([
            api.https("/roles/school_admin"),
            api.https("/roles/teacher")
        ])
    );
    let udm = api
        .udm_get(&api.udm_object("users/user", teacher.body["dn"].as_str().unwrap()))
        .await;
    assert_eq!(
        (
            udm.body["options"]["ucsschoolTeacher"].clone(),
            udm.body["options"]["ucsschoolAdministrator"].clone()
        ),
        (json!(true), json!(false))
    );
    let groups = udm.body["properties"]["groups"].to_string();
    assert!(
        groups.contains("lehrer-demoschool") && !groups.contains("admins-demoschool"),
        "{groups}"
    );
    let staff = post(
        &api,
        &token,
        body(Some("rc3"), &["staff", "legal_guardian"]),
    )
    .await;
    assert_eq!(
        staff.body["dn"],
        format!("uid=rc3,cn=mitarbeiter,cn=users,ou=DEMOSCHOOL,{base}")
    );
    let mut foreign = body(Some("rc4"), &["teacher"]);
    foreign["ucsschool_roles"] = json!(["foo:bar:baz", "teacher:school:DEMOSCHOOL2"]);
    let answer = post(&api, &token, foreign).await;
    assert_eq!(
        answer.body["ucsschool_roles"],
        json!(["teacher:school:DEMOSCHOOL", "foo:bar:baz"])
    );
    let none = post(&api, &token, body(Some("rc5"), &[])).await;
    assert_eq!(
        none.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "`roles: []` breaks the server"
    );
}

/// The importer's and the lib's checks, each a 400 `Failed to create <repr>: <text>`.
#[tokio::test]
async fn importer_checks() {
    let (api, token) = setup().await;
    let prefix = |name: &str, container: &str, class: &str| {
        format!("Failed to create {class}(name='{name}', school='DEMOSCHOOL', dn='uid={name},cn={container},cn=users,ou=DEMOSCHOOL,{}'): ", api.base())
    };
    let cases: Vec<(Value, String)> = vec![
        ({ let mut b = body(Some("abcdefghijklmnop"), &["student"]); b["school_classes"] = json!({"DEMOSCHOOL": ["Democlass"]}); b },
         format!("{}Username 'abcdefghijklmnop' is longer than allowed.", prefix("abcdefghijklmnop", "schueler", "ImportStudent"))),
        ({ let mut b = body(Some("pw1"), &["teacher"]); b["password"] = json!("short"); b },
         format!("{}Password is shorter than 15 characters.", prefix("pw1", "lehrer", "ImportTeacher"))),
        ({ let mut b = body(Some("cl1"), &["teacher"]); b["school_classes"] = json!({"DEMOSCHOOL": ["bad class!"]}); b },
         format!("{}Invalid school class name: 'bad class-'", prefix("cl1", "lehrer", "ImportTeacher"))),
        ({ let mut b = body(Some("cl2"), &["teacher"]); b["school_classes"] = json!({"DEMOSCHOOL2": ["x"]}); b },
         format!("{}{{'school_classes': [\"School 'DEMOSCHOOL2' in 'school_classes' is missing in the users 'school(s)' attributes.\"]}}", prefix("cl2", "lehrer", "ImportTeacher"))),
        ({ let mut b = body(Some("wg1"), &["teacher"]); b["workgroups"] = json!({"DEMOSCHOOL": ["nowg"]}); b },
         format!("{}Work group 'DEMOSCHOOL-nowg' of school 'DEMOSCHOOL' does not exist, please create it first.", prefix("wg1", "lehrer", "ImportTeacher"))),
        ({ let mut b = body(Some("fn1"), &["teacher"]); b["firstname"] = json!(""); b },
         format!("{}Mandatory attribute 'firstname' has empty value.", prefix("fn1", "lehrer", "ImportTeacher"))),
        ({ let mut b = body(Some("em1"), &["teacher"]); b["email"] = json!("nope"); b },
         format!("{}Email address 'nope' has invalid format.", prefix("em1", "lehrer", "ImportTeacher"))),
        ({ let mut b = body(Some("lg1"), &["student"]); b["school_classes"] = json!({"DEMOSCHOOL": ["Democlass"]}); b["legal_guardians"] = json!(["nobody"]); b },
         format!("{}Couldn't find legal guardian nobody for student lg1", prefix("lg1", "schueler", "ImportStudent"))),
    ];
    for (b, expected) in cases {
        let answer = post(&api, &token, b).await;
        assert_eq!(
            (answer.status, detail(&answer.body)),
            (StatusCode::BAD_REQUEST, expected.as_str())
        );
    }
    let gate = post(&api, &token, {
        let mut b = body(Some("lg2"), &["teacher"]);
        b["legal_wards"] = json!(["demo_student"]);
        b
    })
    .await;
    assert_eq!(
        detail(&gate.body),
        "Parameter 'legal_wards' only valid for user-role 'legal_guardian'"
    );
    let prefixed = post(&api, &token, {
        let mut b = body(Some("cl3"), &["teacher"]);
        b["school_classes"] = json!({"DEMOSCHOOL": ["DEMOSCHOOL-Democlass"]});
        b
    })
    .await;
    assert_eq!(
        prefixed.body["school_classes"],
        json!({"DEMOSCHOOL": ["Democlass"]}),
        "{}",
        prefixed.text
    );
}

/// Legal guardians live in `cn=sorgeberechtigte` and join `sorgeberechtigte-<ou>`
/// (`LegalGuardian.get_container`, `get_legal_guardians_groups`); wards are resolved by name.
#[tokio::test]
async fn legal_guardians_and_their_wards() {
    let (api, token) = setup().await;
    let mut b = body(Some("lg9"), &["legal_guardian"]);
    b["legal_wards"] = json!(["demo_student"]);
    let guardian = post(&api, &token, b).await;
    assert_eq!(guardian.status, StatusCode::CREATED, "{}", guardian.text);
    assert_eq!(
        guardian.body["dn"],
        format!(
            "uid=lg9,cn=sorgeberechtigte,cn=users,ou=DEMOSCHOOL,{}",
            api.base()
        )
    );
    assert_eq!(
        guardian.body["legal_wards"],
        json!([api.https("/users/demo_student")])
    );
    let udm = api
        .udm_get(&api.udm_object("users/user", guardian.body["dn"].as_str().unwrap()))
        .await;
    assert!(
        udm.body["properties"]["groups"]
            .to_string()
            .contains("cn=sorgeberechtigte-demoschool,cn=groups,ou=DEMOSCHOOL"),
        "{}",
        udm.text
    );
    let ward = api.kget(&token, "/users/demo_student").await;
    assert_eq!(
        ward.body["legal_guardians"],
        json!([api.https("/users/lg9")])
    );
}
