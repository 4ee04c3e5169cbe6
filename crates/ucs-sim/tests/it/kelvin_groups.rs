//! Kelvin `/classes/` and `/workgroups/`.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/routers/v1/school_class.py` and `routers/v1/workgroup.py`
//! (`SchoolClassCreateModel.check_name2`, `SchoolClassPatchDocument.to_modify_kwargs`,
//! `search`, `get`, `create`, `partial_update`, `complete_update`, `delete`),
//! `routers/v1/base.py` (`get_lib_obj`), `service/exception_handler.py`
//! (`udm_exception_handler`), the UCS@school lib `models/attributes.py` (`SchoolClassName`),
//! `models/base.py` (`validate`) and UDM's `syntax.py` (`gid`).

use crate::common;

use common::{detail, kref, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const GID: &str = "A group name must start and end with a letter, number or underscore. In between additionally spaces, dashes and dots are allowed.";

async fn setup() -> (Api, String) {
    let api = Api::start().await;
    let token = api.admin_token().await;
    (api, token)
}

fn class(name: &str) -> Value {
    json!({"name": name, "school": kref("/schools/DEMOSCHOOL")})
}

/// `search`: `school` is required, at least 2 characters, the search base (an unknown school
/// is UDM's refusal, `UdmError:APICommunicationError`); an empty `name` is no filter.
#[tokio::test]
async fn class_search_needs_a_school() {
    let (api, token) = setup().await;
    let missing = api.kget(&token, "/classes/").await;
    assert_eq!(
        missing.body,
        json!({"detail": [{"loc": ["query", "school"], "msg": "field required", "type": "value_error.missing"}]})
    );
    let short = api.kget(&token, "/classes/?school=D").await;
    assert_eq!(
        short.body["detail"][0],
        json!({"loc": ["query", "school"], "msg": "ensure this value has at least 2 characters", "type": "value_error.any_str.min_length", "ctx": {"limit_value": 2}})
    );
    let unknown = api.kget(&token, "/classes/?school=NOSCHOOL").await;
    assert_eq!(
        (unknown.status, unknown.body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": [{"loc": [], "msg": "Unprocessable Entity", "type": "UdmError:APICommunicationError"}]})
        )
    );
    let all = api.kget(&token, "/classes/?school=DEMOSCHOOL&name=").await;
    assert_eq!(all.body.as_array().map(Vec::len), Some(1));
    let wild = api
        .kget(&token, "/workgroups/?school=demoschool&name=DEMO*")
        .await;
    assert_eq!(wild.body[0]["name"], "Demoworkgroup");
}

/// The document: `create_share` is always `true` in v1, members are the first RDN of their
/// DNs, the school of the DN; `get_lib_obj`'s 404 names `<school>-<name>`.
#[tokio::test]
async fn class_documents_and_404s() {
    let (api, token) = setup().await;
    let one = api.kget(&token, "/classes/demoschool/democlass").await;
    assert_eq!(
        one.body,
        json!({"dn": format!("cn=DEMOSCHOOL-Democlass,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL,{}", api.base()),
               "url": api.https("/classes/DEMOSCHOOL/Democlass"), "ucsschool_roles": ["school_class:school:DEMOSCHOOL"],
               "udm_properties": {}, "name": "Democlass", "school": api.https("/schools/DEMOSCHOOL"), "description": null,
               "users": [api.https("/users/demo_student"), api.https("/users/demo_teacher")], "create_share": true})
    );
    let wg = api
        .kget(&token, "/workgroups/DEMOSCHOOL/Demoworkgroup")
        .await;
    assert_eq!(
        (
            wg.body["email"].clone(),
            wg.body["allowed_email_senders_users"].clone()
        ),
        (Value::Null, json!([]))
    );
    for path in ["/classes/DEMOSCHOOL/nope", "/workgroups/NOSCHOOL/nope"] {
        let missing = api.kget(&token, path).await;
        let school = path.split('/').nth(2).unwrap();
        assert_eq!(
            missing.body,
            json!({"detail": format!("No object with name='{school}-nope' found or not authorized.")}),
            "{path}"
        );
    }
    let deleted = api
        .kelvin_call(Method::DELETE, &token, "/classes/NOSCHOOL/k5b", None)
        .await;
    assert_eq!(
        deleted.body,
        json!({"detail": "No object with name='NOSCHOOL-k5b' found or not authorized."})
    );
}

/// `check_name2` validates `<school>-<name>` as `SchoolClassName` (root error); the school
/// must exist (404 `detail`) and is case-fixed; `ucsschool_roles` is not a create field;
/// `create_share` is not read back; a name taken by another group is UDM's refusal.
#[tokio::test]
async fn class_creation() {
    let (api, token) = setup().await;
    let post = |body: Value| api.kelvin_call(Method::POST, &token, "/classes/", Some(body));
    for name in ["c!", ""] {
        let bad = post(class(name)).await;
        assert_eq!(
            bad.body,
            json!({"detail": [{"loc": ["body", "__root__"], "msg": GID, "type": "value_error"}]}),
            "{name:?}"
        );
    }
    let bare = post(json!({"name": "k1", "school": "DEMOSCHOOL"})).await;
    assert_eq!(
        bare.body["detail"][0]["msg"],
        "invalid or missing URL scheme"
    );
    let nowhere = post(json!({"name": "k1", "school": kref("/schools/NOSCHOOL")})).await;
    assert_eq!(
        (nowhere.status, nowhere.body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "No school with name='NOSCHOOL' found."})
        )
    );
    let body = json!({"name": "k", "school": kref("/schools/demoschool"), "ucsschool_roles": ["foo:bar:baz"], "create_share": false});
    let created = post(body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        created.body["dn"],
        format!(
            "cn=DEMOSCHOOL-k,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL,{}",
            api.base()
        )
    );
    assert_eq!(
        (
            created.body["ucsschool_roles"].clone(),
            created.body["create_share"].clone()
        ),
        (json!(["school_class:school:DEMOSCHOOL"]), json!(true))
    );
    let again = post(class("K")).await;
    assert_eq!(
        (again.status, again.body),
        (
            StatusCode::CONFLICT,
            json!({"detail": "School class exists."})
        )
    );
    let taken = post(class("Demoworkgroup")).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(taken.body["detail"][0]["type"], "UdmError:CreateError");
}

/// Workgroup `create`: no school look-up (the lib's validation refuses an unknown school:
/// 400 with its text; a lower-case school stays lower-case), e-mail senders must be DNs,
/// 409 `school workgroup exists.`, and a missing name breaks `check_name2` (`KeyError`, 500).
#[tokio::test]
async fn workgroup_creation() {
    let (api, token) = setup().await;
    let post = |body: Value| api.kelvin_call(Method::POST, &token, "/workgroups/", Some(body));
    let base = api.base();
    let unknown = post(json!({"name": "w1", "school": kref("/schools/NOSCHOOL")})).await;
    assert_eq!(
        (unknown.status, detail(&unknown.body).to_string()),
        (StatusCode::BAD_REQUEST, format!("Failed to create school workgroup WorkGroup(name='NOSCHOOL-w1', school='NOSCHOOL', dn='cn=NOSCHOOL-w1,cn=schueler,cn=groups,ou=NOSCHOOL,{base}'): {{'school': ['The school \"NOSCHOOL\" does not exist. Please choose an existing one or create it.']}}"))
    );
    let senders = post(json!({"name": "w2", "school": kref("/schools/DEMOSCHOOL"), "allowed_email_senders_users": ["x"], "allowed_email_senders_groups": ["y"]})).await;
    assert!(detail(&senders.body).ends_with("{'allowed_email_senders_users': ['Not a valid LDAP DN'], 'allowed_email_senders_groups': ['Not a valid LDAP DN']}"), "{}", senders.text);
    let exists =
        post(json!({"name": "demoworkgroup", "school": kref("/schools/DEMOSCHOOL")})).await;
    assert_eq!(
        (exists.status, exists.body),
        (
            StatusCode::CONFLICT,
            json!({"detail": "school workgroup exists."})
        )
    );
    let lower = post(json!({"name": "w3", "school": kref("/schools/demoschool")})).await;
    assert_eq!(lower.status, StatusCode::CREATED, "{}", lower.text);
    assert_eq!(
        lower.body["ucsschool_roles"],
        json!(["workgroup:school:demoschool"])
    );
    assert_eq!(
        lower.body["dn"],
        format!("cn=demoschool-w3,cn=schueler,cn=groups,ou=demoschool,{base}")
    );
    let nameless = post(json!({"school": kref("/schools/DEMOSCHOOL")})).await;
    assert_eq!(
        (nameless.status, nameless.body),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"detail": "Internal server error"})
        )
    );
}

/// `SchoolClassPatchDocument.to_modify_kwargs`: `users: null` is ignored (deprecated),
/// `users: []` removes all, `name: null` renames to `<school>-None`; `name` is checked as
/// `DEMOSCHOOL-<name>` (loc `name`); sent roles keep the class role; `ucsschool_roles: null`
/// breaks the lib (500); renaming onto an existing group is UDM's refusal.
#[tokio::test]
async fn class_patch() {
    let (api, token) = setup().await;
    let created = api.kelvin_call(Method::POST, &token, "/classes/", Some(json!({"name": "p1", "school": kref("/schools/DEMOSCHOOL"), "users": [kref("/users/demo_student")]}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let patch =
        |path: &'static str, body: Value| api.kelvin_call(Method::PATCH, &token, path, Some(body));
    let kept = patch("/classes/DEMOSCHOOL/p1", json!({"users": null})).await;
    assert_eq!(
        kept.body["users"],
        json!([api.https("/users/demo_student")])
    );
    let roles = patch(
        "/classes/DEMOSCHOOL/p1",
        json!({"ucsschool_roles": ["foo:bar:baz"], "description": "d"}),
    )
    .await;
    assert_eq!(
        roles.body["ucsschool_roles"],
        json!(["foo:bar:baz", "school_class:school:DEMOSCHOOL"])
    );
    let bad = patch("/classes/DEMOSCHOOL/p1", json!({"name": "p1!"})).await;
    assert_eq!(
        bad.body,
        json!({"detail": [{"loc": ["body", "name"], "msg": GID, "type": "value_error"}]})
    );
    let null_roles = patch("/classes/DEMOSCHOOL/p1", json!({"ucsschool_roles": null})).await;
    assert_eq!(null_roles.status, StatusCode::INTERNAL_SERVER_ERROR);
    let taken = patch("/classes/DEMOSCHOOL/p1", json!({"name": "Democlass"})).await;
    assert_eq!(
        (taken.status, taken.body["detail"][0]["type"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("UdmError:ModifyError")
        )
    );
    let no_school = patch("/classes/NOSCHOOL/p1", json!({})).await;
    assert_eq!(
        no_school.body,
        json!({"detail": "No school with name='NOSCHOOL' found."})
    );
    let emptied = patch("/classes/DEMOSCHOOL/p1", json!({"users": []})).await;
    assert_eq!(emptied.body["users"], json!([]));
    let none = patch("/classes/DEMOSCHOOL/p1", json!({"name": null})).await;
    assert_eq!(
        (none.body["name"].clone(), none.body["description"].clone()),
        (json!("None"), json!("d"))
    );
    let wg = patch(
        "/workgroups/DEMOSCHOOL/Demoworkgroup",
        json!({"allowed_email_senders_users": null}),
    )
    .await;
    assert_eq!(wg.body["detail"][0]["type"], "type_error.none.not_allowed");
}

/// `complete_update`: a class may not change school (case-insensitive compare), a workgroup
/// neither (case-sensitive compare); absent `users`/`description` are cleared.
#[tokio::test]
async fn class_and_workgroup_put() {
    let (api, token) = setup().await;
    let put =
        |path: &'static str, body: Value| api.kelvin_call(Method::PUT, &token, path, Some(body));
    let moved = put(
        "/classes/DEMOSCHOOL/Democlass",
        json!({"name": "Democlass", "school": kref("/schools/DEMOSCHOOL2")}),
    )
    .await;
    assert_eq!(
        (moved.status, moved.body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": "Moving of class to other school is not allowed."})
        )
    );
    let same = put(
        "/classes/DEMOSCHOOL/Democlass",
        json!({"name": "Democlass", "school": kref("/schools/demoschool")}),
    )
    .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.text);
    assert_eq!(same.body["users"], json!([]), "absent users are cleared");
    let wg = put(
        "/workgroups/DEMOSCHOOL/Demoworkgroup",
        json!({"name": "Demoworkgroup", "school": kref("/schools/demoschool")}),
    )
    .await;
    assert_eq!(
        (wg.status, wg.body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"detail": "Moving a workgroup to another school is not allowed."})
        )
    );
    let nowhere = put(
        "/classes/NOSCHOOL/k5",
        json!({"name": "k5", "school": kref("/schools/DEMOSCHOOL")}),
    )
    .await;
    assert_eq!(
        nowhere.body,
        json!({"detail": "No school with name='NOSCHOOL' found."})
    );
    let wg_ok = put("/workgroups/DEMOSCHOOL/Demoworkgroup", json!({"name": "Demoworkgroup", "school": kref("/schools/DEMOSCHOOL"), "email": "wg@example.com"})).await;
    assert_eq!(
        (
            wg_ok.body["email"].clone(),
            wg_ok.body["description"].clone()
        ),
        (json!("wg@example.com"), Value::Null)
    );
}
