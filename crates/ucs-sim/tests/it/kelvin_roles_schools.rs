//! Kelvin `/roles/` and `/schools/`.
//!
//! Source: univention/ucsschool-kelvin-rest-api, release 4.0.0,
//! `kelvin-api/ucsschool/kelvin/routers/v1/role.py` (`search`, `get`),
//! `routers/v1/school.py` (`school_search`, `school_get`, `school_exists`, `school_create`,
//! `validate_create_request_params`, `search_schools_in_ldap`), `routers/v1/base.py`
//! (`only_known_udm_properties`), the UCS@school lib `models/attributes.py` (`SchoolName`),
//! `models/school.py` (`create_default_containers`) and `models/user.py`
//! (`get_legal_guardians_groups`).

use crate::common;

use common::{detail, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// v1 `search`: staff, student, teacher, legal_guardian, school_admin; `display_name` = name.
#[tokio::test]
async fn roles_are_listed_in_the_servers_order_with_their_names_as_display_names() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let list = api.kget(&token, "/roles/").await;
    let expected: Vec<Value> = [
        "staff",
        "student",
        "teacher",
        "legal_guardian",
        "school_admin",
    ]
    .iter()
    .map(|r| json!({"name": r, "display_name": r, "url": api.https(&format!("/roles/{r}"))}))
    .collect();
    assert_eq!(list.body, Value::from(expected));
    let one = api.kget(&token, "/roles/school_admin").await;
    assert_eq!(
        one.body,
        json!({"name": "school_admin", "display_name": "school_admin", "url": api.https("/roles/school_admin")})
    );
    for missing in ["Teacher", "exam_user"] {
        let answer = api.kget(&token, &format!("/roles/{missing}")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert_eq!(
            answer.body,
            json!({"detail": format!("No object with name='{missing}' found or not authorized.")})
        );
    }
}

/// `school_search`: `name` with `*` (case-insensitive as LDAP); an empty `name` is no filter;
/// `school_get`: case-insensitive, the stored name in the answer, 404 `No school with
/// name='X' found.`; HEAD: 200/404 without body, `*` is no wildcard.
#[tokio::test]
async fn schools_are_searched_and_fetched_case_insensitively() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let names = |a: &common::Answer| -> Vec<String> {
        a.body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&api.kget(&token, "/schools/?name=demo*").await),
        vec!["DEMOSCHOOL", "DEMOSCHOOL2"]
    );
    assert_eq!(
        names(&api.kget(&token, "/schools/?name=").await),
        vec!["DEMOSCHOOL", "DEMOSCHOOL2"]
    );
    assert_eq!(
        names(&api.kget(&token, "/schools/?name=nothing*").await),
        Vec::<String>::new()
    );
    let one = api.kget(&token, "/schools/demoschool").await;
    assert_eq!(
        one.body,
        json!({"dn": format!("ou=DEMOSCHOOL,{}", api.base()), "url": api.https("/schools/DEMOSCHOOL"),
               "ucsschool_roles": ["school:school:DEMOSCHOOL"], "udm_properties": {}, "name": "DEMOSCHOOL",
               "display_name": "Demo School", "educational_servers": [], "administrative_servers": [],
               "class_share_file_server": null, "home_share_file_server": null})
    );
    let missing = api.kget(&token, "/schools/NOSCHOOL").await;
    assert_eq!(
        (missing.status, missing.body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "No school with name='NOSCHOOL' found."})
        )
    );
    for (name, status) in [
        ("demoschool", StatusCode::OK),
        ("NOSCHOOL", StatusCode::NOT_FOUND),
        ("DEMO*", StatusCode::NOT_FOUND),
    ] {
        let head = api
            .kelvin_call(Method::HEAD, &token, &format!("/schools/{name}"), None)
            .await;
        assert_eq!((head.status, head.text.as_str()), (status, ""), "{name}");
    }
}

/// `SchoolCreateModel` and `school_create`: the lib's name check, 409 (case-insensitive),
/// the server checks of `validate_create_request_params`, and no UDM property is configured.
#[tokio::test]
async fn school_creation_checks_name_servers_and_properties() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let post = |body: Value| api.kelvin_call(Method::POST, &token, "/schools/", Some(body));
    let missing = post(json!({})).await;
    assert_eq!(
        missing.body,
        json!({"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "value_error.missing"}]})
    );
    let bad = post(json!({"name": "-bad"})).await;
    assert_eq!(
        bad.body,
        json!({"detail": [{"loc": ["body", "name"], "msg": "Invalid school name", "type": "value_error"}]})
    );
    let exists = post(json!({"name": "demoschool"})).await;
    assert_eq!(
        (exists.status, exists.body),
        (StatusCode::CONFLICT, json!({"detail": "School exists."}))
    );
    let servers = post(json!({"name": "NEW1", "educational_servers": ["a", "b"]})).await;
    assert_eq!(
        (servers.status, detail(&servers.body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "More than one host in parameter 'educational_servers' is not supported."
        )
    );
    let share = post(json!({"name": "NEW1", "class_share_file_server": "nohost"})).await;
    assert!(detail(&share.body).starts_with("Host 'nohost' in parameter 'class_share_file_server' does not exist and will not be automatically created."), "{}", share.text);
    let props = post(json!({"name": "NEW1", "udm_properties": {"x": 1}})).await;
    assert_eq!(
        props.body["detail"],
        json!([{"loc": ["body", "udm_properties"], "msg": "UDM properties that were not configured for resource 'school' and are thus not allowed: {'x'}", "type": "value_error.unknownudmproperty"}])
    );
    assert!(api
        .sim
        .store()
        .get(&format!("ou=NEW1,{}", api.base()))
        .is_none());
}

/// `create_ou` / `create_default_containers`: a new school has the user containers
/// (legal guardians in `cn=sorgeberechtigte`), the group, share and computer containers, and
/// the role groups, among them `sorgeberechtigte-<ou>` (`get_legal_guardians_groups`).
#[tokio::test]
async fn a_new_school_has_its_containers_and_role_groups() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    let created = api
        .kelvin_call(
            Method::POST,
            &token,
            "/schools/",
            Some(json!({"name": "NEW2", "display_name": "New 2"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["display_name"], "New 2");
    assert_eq!(created.body["url"], api.https("/schools/NEW2"));
    let base = api.base();
    for dn in [
        format!("cn=sorgeberechtigte,cn=users,ou=NEW2,{base}"),
        format!("cn=lehrer und mitarbeiter,cn=users,ou=NEW2,{base}"),
        format!("cn=klassen,cn=schueler,cn=groups,ou=NEW2,{base}"),
        format!("cn=klassen,cn=shares,ou=NEW2,{base}"),
        format!("cn=raeume,cn=groups,ou=NEW2,{base}"),
        format!("cn=dc,cn=server,cn=computers,ou=NEW2,{base}"),
        format!("cn=sorgeberechtigte-new2,cn=groups,ou=NEW2,{base}"),
        format!("cn=schueler-new2,cn=groups,ou=NEW2,{base}"),
        format!("cn=Domain Users NEW2,cn=groups,ou=NEW2,{base}"),
        format!("cn=admins-new2,cn=ouadmins,cn=groups,{base}"),
    ] {
        assert!(api.sim.store().get(&dn).is_some(), "{dn}");
    }
}
