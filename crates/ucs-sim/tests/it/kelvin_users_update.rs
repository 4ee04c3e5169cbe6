//! `PATCH`, `PUT` and `DELETE /users/{name}`.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/routers/v1/user.py` (`UserPatchModel`,
//! `validate_null_values`, `to_modify_kwargs`, `partial_update`, `complete_update`,
//! `change_school`, `rename_user`, `change_roles`, `delete`), the importer's
//! `models/import_user.py` (`validate`, `modify`) and the lib's `models/user.py`
//! (`UserTypeConverter.convert`), `models/base.py` (`update_ucsschool_roles`).

use crate::common;

use common::{detail, kelvin_user, kref, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn setup() -> (Api, String) {
    let api = Api::start().await;
    let token = api.admin_token().await;
    (api, token)
}

async fn teacher(api: &Api, token: &str, name: &str, extra: Value) -> Value {
    let mut b = kelvin_user(name, "teacher", "DEMOSCHOOL");
    if let (Some(b), Some(extra)) = (b.as_object_mut(), extra.as_object()) {
        b.extend(extra.clone());
    }
    let answer = api
        .kelvin_call(Method::POST, token, "/users/", Some(b))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    answer.body
}

async fn patch(api: &Api, token: &str, name: &str, b: Value) -> common::Answer {
    api.kelvin_call(Method::PATCH, token, &format!("/users/{name}"), Some(b))
        .await
}

/// `UserPatchModel`: `null` per field: `Null value in property.` (`validate_null_values`),
/// `none is not an allowed value` (list fields), accepted and then refused by the importer
/// (400), or accepted and clearing.
#[tokio::test]
async fn null_in_a_patch_per_field() {
    let (api, token) = setup().await;
    teacher(
        &api,
        &token,
        "pn",
        json!({"email": "pn@example.com", "birthday": "2000-01-01"}),
    )
    .await;
    for field in [
        "disabled",
        "password",
        "school",
        "schools",
        "roles",
        "school_classes",
        "workgroups",
        "kelvin_password_hashes",
        "udm_properties",
    ] {
        let answer = patch(&api, &token, "pn", json!({field: null})).await;
        assert_eq!(
            answer.body,
            json!({"detail": [{"loc": ["body", field], "msg": "Null value in property.", "type": "value_error"}]}),
            "{field}"
        );
    }
    for field in ["ucsschool_roles", "legal_wards", "legal_guardians"] {
        let answer = patch(&api, &token, "pn", json!({field: null})).await;
        assert_eq!(
            answer.body["detail"][0]["type"], "type_error.none.not_allowed",
            "{field}"
        );
    }
    for (field, text) in [
        (
            "firstname",
            "Mandatory attribute 'firstname' has empty value.",
        ),
        (
            "record_uid",
            "Mandatory attribute 'record_uid' has empty value.",
        ),
    ] {
        let answer = patch(&api, &token, "pn", json!({field: null})).await;
        assert_eq!(
            (answer.status, detail(&answer.body)),
            (StatusCode::BAD_REQUEST, text),
            "{field}"
        );
    }
    let cleared = patch(&api, &token, "pn", json!({"email": null, "birthday": null})).await;
    assert_eq!(
        (
            cleared.body["email"].clone(),
            cleared.body["birthday"].clone()
        ),
        (Value::Null, Value::Null)
    );
    let renamed = patch(&api, &token, "pn", json!({"name": null})).await;
    assert_eq!(
        detail(&renamed.body),
        format!("Renaming ImportTeacher(name=None, school='DEMOSCHOOL', dn='uid=pn,cn=lehrer,cn=users,ou=DEMOSCHOOL,{}') from 'pn' to None: No username was created.", api.base())
    );
    let empty_roles = patch(&api, &token, "pn", json!({"roles": []})).await;
    assert_eq!(
        empty_roles.body["detail"][0]["ctx"],
        json!({"limit_value": 1})
    );
}

/// `partial_update`: `school` alone makes `schools` `[school]`; a `school` outside the new
/// schools is 422; sent role strings of other context types replace the old ones and come
/// first; an empty password is no change; a short one is UDM's password policy.
#[tokio::test]
async fn patch_school_roles_and_passwords() {
    let (api, token) = setup().await;
    teacher(&api, &token, "ps", json!({"schools": [kref("/schools/DEMOSCHOOL"), kref("/schools/DEMOSCHOOL2")], "ucsschool_roles": ["foo:bar:baz"], "password": "fifteen-chars-pw"})).await;
    let only_school = patch(
        &api,
        &token,
        "ps",
        json!({"school": kref("/schools/DEMOSCHOOL")}),
    )
    .await;
    assert_eq!(only_school.status, StatusCode::OK, "{}", only_school.text);
    assert_eq!(
        only_school.body["schools"],
        json!([api.https("/schools/DEMOSCHOOL")])
    );
    assert_eq!(
        only_school.body["ucsschool_roles"],
        json!(["teacher:school:DEMOSCHOOL", "foo:bar:baz"])
    );
    let outside = patch(
        &api,
        &token,
        "ps",
        json!({"school": kref("/schools/DEMOSCHOOL2"), "schools": [kref("/schools/DEMOSCHOOL")]}),
    )
    .await;
    assert_eq!(
        outside.body,
        json!({"detail": "New 'school' 'DEMOSCHOOL2' not in current or future 'schools'."})
    );
    let roles = patch(
        &api,
        &token,
        "ps",
        json!({"ucsschool_roles": ["x:y:z", "teacher:school:DEMOSCHOOL2"]}),
    )
    .await;
    assert_eq!(
        roles.body["ucsschool_roles"],
        json!(["x:y:z", "teacher:school:DEMOSCHOOL"])
    );
    let same = patch(&api, &token, "ps", json!({"password": ""})).await;
    assert_eq!(same.status, StatusCode::OK);
    assert!(api
        .sim
        .store()
        .password_matches(same.body["dn"].as_str().unwrap(), "fifteen-chars-pw"));
    let short = patch(&api, &token, "ps", json!({"password": "short"})).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.body["detail"][0]["loc"], json!(["password"]));
    assert_eq!(short.body["detail"][0]["type"], "UdmError:ModifyError");
    let taken = patch(&api, &token, "ps", json!({"name": "demo_teacher"})).await;
    assert_eq!(
        (taken.status, taken.body["detail"][0]["type"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("UdmError:ModifyError")
        )
    );
}

/// `change_roles` / `UserTypeConverter.convert`: a target class with the same role set
/// changes nothing; to staff drops the classes; to student needs a class in every school and
/// is refused for users with the `ucsschoolAdministrator` option.
#[tokio::test]
async fn role_changes() {
    let (api, token) = setup().await;
    let roles = |rs: &[&str]| json!({"roles": rs.iter().map(|r| kref(&format!("/roles/{r}"))).collect::<Vec<_>>()});
    teacher(
        &api,
        &token,
        "rl1",
        json!({"school_classes": {"DEMOSCHOOL": ["Democlass"]}}),
    )
    .await;
    let noop = patch(&api, &token, "rl1", roles(&["teacher", "school_admin"])).await;
    assert_eq!(noop.body["roles"], json!([api.https("/roles/teacher")]));
    let staff = patch(&api, &token, "rl1", roles(&["staff"])).await;
    assert_eq!(staff.body["school_classes"], json!({}));
    assert!(staff.body["dn"]
        .as_str()
        .unwrap()
        .starts_with("uid=rl1,cn=mitarbeiter,"));
    let no_class = patch(&api, &token, "rl1", roles(&["student"])).await;
    assert_eq!(detail(&no_class.body), "Type conversion to 'Student' requires at least one school class per school in old user or passed in additionally.");
    let mut to_student = roles(&["student"]);
    to_student["school_classes"] = json!({"DEMOSCHOOL": ["Democlass"]});
    let student = patch(&api, &token, "rl1", to_student.clone()).await;
    assert_eq!(student.status, StatusCode::OK, "{}", student.text);
    assert_eq!(
        student.body["ucsschool_roles"],
        json!(["student:school:DEMOSCHOOL"])
    );
    let admin = patch(&api, &token, "demo_admin", to_student).await;
    assert_eq!(
        (admin.status, detail(&admin.body)),
        (
            StatusCode::BAD_REQUEST,
            "Conversion to 'ImportStudent' is not allowed for school administrator."
        )
    );
    let gate = patch(
        &api,
        &token,
        "demo_teacher",
        json!({"legal_guardians": ["demo_admin"]}),
    )
    .await;
    assert_eq!(
        detail(&gate.body),
        "Parameter 'legal_guardians' only valid for user-role 'student'"
    );
}

/// `complete_update`: absent `school_classes` remove all classes, absent `workgroups` keep
/// them; unsent role strings of other context types go; `school` alone is `schools`;
/// missing name / record_uid / source_uid are the importer's 400s.
#[tokio::test]
async fn put_replaces_the_user() {
    let (api, token) = setup().await;
    teacher(&api, &token, "pt", json!({"schools": [kref("/schools/DEMOSCHOOL"), kref("/schools/DEMOSCHOOL2")],
        "school_classes": {"DEMOSCHOOL": ["Democlass"]}, "workgroups": {"DEMOSCHOOL": ["Demoworkgroup"]}, "ucsschool_roles": ["foo:bar:baz"]})).await;
    let put = |b: Value| api.kelvin_call(Method::PUT, &token, "/users/pt", Some(b));
    let full = json!({"name": "pt", "firstname": "P", "lastname": "T", "roles": [kref("/roles/teacher")], "school": kref("/schools/DEMOSCHOOL"), "record_uid": "rec-pt", "source_uid": "TESTSRC"});
    let answer = put(full.clone()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["school_classes"], json!({}));
    assert_eq!(
        answer.body["workgroups"],
        json!({"DEMOSCHOOL": ["Demoworkgroup"]})
    );
    assert_eq!(
        answer.body["schools"],
        json!([api.https("/schools/DEMOSCHOOL")])
    );
    assert_eq!(
        answer.body["ucsschool_roles"],
        json!(["teacher:school:DEMOSCHOOL"])
    );
    let base = api.base();
    for (field, text) in [
        ("name", format!("Renaming ImportTeacher(name=None, school='DEMOSCHOOL', dn='uid=pt,cn=lehrer,cn=users,ou=DEMOSCHOOL,{base}') from 'pt' to None: No username was created.")),
        ("record_uid", "Mandatory attribute 'record_uid' has empty value.".into()),
        ("source_uid", "Mandatory attribute 'source_uid' has empty value.".into()),
    ] {
        let mut b = full.clone();
        b.as_object_mut().unwrap().remove(field);
        let refused = put(b).await;
        assert_eq!((refused.status, detail(&refused.body)), (StatusCode::BAD_REQUEST, text.as_str()), "{field}");
    }
}

/// `delete`: 204; the 404 texts as for GET (`name=None` for users that are no school users).
#[tokio::test]
async fn delete_users() {
    let (api, token) = setup().await;
    let admin = api
        .kelvin_call(Method::DELETE, &token, "/users/Administrator", None)
        .await;
    assert_eq!(
        admin.body,
        json!({"detail": "No object with name=None found or not authorized."})
    );
    let nobody = api
        .kelvin_call(Method::DELETE, &token, "/users/nobody", None)
        .await;
    assert_eq!(
        nobody.body,
        json!({"detail": "No object with name='nobody' found or not authorized."})
    );
    let gone = api
        .kelvin_call(Method::DELETE, &token, "/users/DEMO_STAFF", None)
        .await;
    assert_eq!(
        (gone.status, gone.text.as_str()),
        (StatusCode::NO_CONTENT, "")
    );
    assert!(api.sim.store().user("demo_staff").is_none());
}
