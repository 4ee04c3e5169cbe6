//! The Kelvin features the Python client had, end to end against `ucs-sim`:
//! objects by URL, `exists` for every resource, serde of the models, the DN
//! type, workgroup mail senders in patches, and leaving out what the server
//! fills on create.

use std::time::Duration;

use ucs::kelvin::{
    GroupPatch, Kelvin, KelvinObject, KelvinRef, NewUser, NewWorkGroup, User, UserPatch,
};
use ucs::roles::{CreateOptions, Role, Rule};
use ucs::udm::Dn;
use ucs::{Error, RetryPolicy};
use ucs_sim::{Sim, SimHandle};

async fn sim() -> SimHandle {
    Sim::builder().spawn().await.expect("emulator starts")
}

fn kelvin(sim: &SimHandle) -> Kelvin {
    let (user, password) = sim.admin();
    Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("session")
}

fn student(name: &str) -> NewUser {
    NewUser::student("Jürgen", "Müller")
        .name(name)
        .school("DEMOSCHOOL")
        .class("Democlass")
        .record_uid(format!("rec-{name}"))
        .source_uid("e2e")
        .password("Initial-Passw0rd!")
}

/// The paths the client requested with `method`, in order.
fn paths(sim: &SimHandle, method: &str) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == method)
        .map(|r| r.path_and_query)
        .collect()
}

/// An object URL with another scheme and host: Kelvin ignores both when it
/// reads a URL (kelvin-api `urls.py` `url_to_name`, Kelvin 4.0.0), and writes
/// `https://<Host>` into every answer (`routers/v1/base.py`
/// `scheme_and_quote`), so the client reads the object from its own server.
fn elsewhere(url: &str) -> String {
    let path = url.split_once("/ucsschool/").expect("a Kelvin URL").1;
    format!("https://kelvin.elsewhere.example/ucsschool/{path}")
}

#[tokio::test]
async fn every_resource_is_read_by_its_url_from_the_sessions_server() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let user = k
        .users()
        .create(student("url.student"))
        .await
        .expect("user");
    let class = k
        .classes()
        .get("DEMOSCHOOL", "Democlass")
        .await
        .expect("class");
    let group = k
        .workgroups()
        .get("DEMOSCHOOL", "Demoworkgroup")
        .await
        .expect("workgroup");
    let school = k.schools().get("DEMOSCHOOL").await.expect("school");
    let role = k.roles().get(Role::Student).await.expect("role");

    assert_eq!(
        k.users()
            .get_by_url(&elsewhere(&user.url))
            .await
            .expect("by url"),
        user
    );
    assert_eq!(
        k.schools().get_by_url(&school.url).await.expect("by url"),
        school
    );
    assert_eq!(
        k.classes().get_by_url(&class.url).await.expect("by url"),
        class
    );
    assert_eq!(
        k.workgroups().get_by_url(&group.url).await.expect("by url"),
        group
    );
    assert_eq!(k.roles().get_by_url(&role.url).await.expect("by url"), role);
    match k.get_by_url(&elsewhere(&class.url)).await.expect("any") {
        KelvinObject::Class(found) => assert_eq!(found, class),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        k.parse_url(&group.url).expect("parses"),
        KelvinRef::WorkGroup {
            school: "DEMOSCHOOL".into(),
            name: "Demoworkgroup".into()
        }
    );
    let gets = paths(&sim, "GET");
    assert!(
        gets.iter()
            .filter(|p| p.as_str() == "/ucsschool/kelvin/v1/users/url.student")
            .count()
            == 1,
        "the user URL on another host was read from the sim: {gets:?}"
    );

    let before = sim.request_count();
    match k.users().get_by_url(&school.url).await {
        Err(Error::InvalidInput(text)) => {
            assert!(text.contains("schools object"), "{text}")
        }
        other => panic!("{other:?}"),
    }
    match k
        .users()
        .get_by_url("https://h/ucsschool/kelvin/v1/users/")
        .await
    {
        Err(Error::InvalidInput(text)) => assert!(text.contains("name segment"), "{text}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.request_count(), before, "refused URLs send nothing");
    let missing = k
        .users()
        .get_by_url(&user.url.replace("url.student", "nobody.here"))
        .await
        .expect_err("missing");
    assert!(missing.is_not_found(), "{missing}");
}

/// HEAD exists only for schools (kelvin-api `routers/v1/school.py`
/// `school_exists`); every other resource is asked with GET (FastAPI routes
/// have no implicit HEAD: HEAD on them is 405).
#[tokio::test]
async fn exists_for_every_resource_uses_head_only_for_schools() {
    let sim = sim().await;
    let k = kelvin(&sim);
    sim.clear_requests();
    assert!(k.users().exists("demo_student").await.expect("user"));
    assert!(!k.users().exists("nobody.here").await.expect("user"));
    assert!(k.schools().exists("DEMOSCHOOL").await.expect("school"));
    assert!(!k.schools().exists("NOSCHOOL").await.expect("school"));
    assert!(k
        .classes()
        .exists("DEMOSCHOOL", "Democlass")
        .await
        .expect("class"));
    assert!(!k
        .classes()
        .exists("DEMOSCHOOL", "noclass")
        .await
        .expect("class"));
    assert!(k
        .workgroups()
        .exists("DEMOSCHOOL", "Demoworkgroup")
        .await
        .expect("workgroup"));
    assert!(!k
        .workgroups()
        .exists("DEMOSCHOOL", "nowg")
        .await
        .expect("wg"));
    assert!(k.roles().exists("teacher").await.expect("role"));
    // role names are case-sensitive and exam_user is no Kelvin role
    // (kelvin-api routers/v1/role.py `get`)
    assert!(!k.roles().exists("Teacher").await.expect("role"));
    assert!(!k.roles().exists("exam_user").await.expect("role"));

    let log: Vec<(String, String)> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path_and_query.starts_with("/ucsschool/kelvin/v1/"))
        .map(|r| (r.method, r.path_and_query))
        .collect();
    let heads: Vec<_> = log.iter().filter(|(m, _)| m == "HEAD").collect();
    assert_eq!(heads.len(), 2, "{log:?}");
    assert!(
        heads.iter().all(|(_, p)| p.contains("/schools/")),
        "{log:?}"
    );
    assert_eq!(log.len(), 11, "one request per question: {log:?}");
}

#[tokio::test]
async fn models_serialize_with_names_and_never_with_secrets() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let user = k.users().get("demo_student").await.expect("user");
    let expected_dn: Dn = "uid=demo_student,cn=schueler,cn=users,ou=DEMOSCHOOL,dc=example,dc=com"
        .parse()
        .expect("dn");
    assert_eq!(user.dn, expected_dn);
    assert_eq!(user.dn.rdn_value(), Some("demo_student"));

    let json = serde_json::to_value(&user).expect("serializes");
    assert_eq!(json["dn"], expected_dn.to_string());
    assert_eq!(json["school"], "DEMOSCHOOL");
    assert_eq!(json["roles"], serde_json::json!(["student"]));
    assert_eq!(
        json["school_classes"]["DEMOSCHOOL"],
        serde_json::json!(["Democlass"])
    );
    let back: User = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, user);

    let class = k
        .classes()
        .get("DEMOSCHOOL", "Democlass")
        .await
        .expect("class");
    let json = serde_json::to_value(&class).expect("class serializes");
    assert_eq!(json["name"], "Democlass");
    assert_eq!(json["school"], "DEMOSCHOOL");
    let school = k.schools().get("DEMOSCHOOL").await.expect("school");
    assert_eq!(
        serde_json::to_value(&school).expect("ser")["name"],
        "DEMOSCHOOL"
    );

    // a NewUser written to a file keeps no password; read back, it creates
    // the same user (with a password given again)
    let new = student("serde.student");
    let text = serde_json::to_string(&new).expect("serializes");
    assert!(!text.contains("Initial-Passw0rd"), "{text}");
    assert!(!text.contains("password"), "{text}");
    let read: NewUser = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(read.password, None);
    let created = k
        .users()
        .create(read.password("Other-Passw0rd!"))
        .await
        .expect("created from the file");
    assert_eq!(created.name, "serde.student");
    assert_eq!(created.record_uid.as_deref(), Some("rec-serde.student"));
}

/// Workgroups keep `allowed_email_senders_users`/`_groups` as DN lists
/// (ucs-school-lib `models/group.py` `EmailAttributesMixin`, UDM
/// `allowedEmailUsers`/`allowedEmailGroups`); a PATCH replaces them.
#[tokio::test]
async fn workgroup_mail_senders_are_patched_as_dns() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let teacher = k.users().get("demo_teacher").await.expect("teacher");
    let class = k
        .classes()
        .get("DEMOSCHOOL", "Democlass")
        .await
        .expect("class");
    k.workgroups()
        .create(NewWorkGroup::new("DEMOSCHOOL", "senders"))
        .await
        .expect("workgroup");
    let patched = k
        .workgroups()
        .patch(
            "DEMOSCHOOL",
            "senders",
            &GroupPatch::new()
                .allowed_email_senders_users([teacher.dn.to_string()])
                .allowed_email_senders_groups([class.dn.clone()]),
        )
        .await
        .expect("patched");
    assert_eq!(
        patched.allowed_email_senders_users,
        [teacher.dn.to_string()]
    );
    assert_eq!(patched.allowed_email_senders_groups, vec![class.dn.clone()]);
    let read = k
        .workgroups()
        .get("DEMOSCHOOL", "senders")
        .await
        .expect("read");
    assert_eq!(read.allowed_email_senders_users, [teacher.dn.to_string()]);
    assert_eq!(read.allowed_email_senders_groups, vec![class.dn.clone()]);

    let cleared = k
        .workgroups()
        .patch(
            "DEMOSCHOOL",
            "senders",
            &GroupPatch::new().allowed_email_senders_users(Vec::<String>::new()),
        )
        .await
        .expect("cleared");
    assert!(cleared.allowed_email_senders_users.is_empty());
    assert_eq!(
        cleared.allowed_email_senders_groups,
        vec![class.dn.clone()],
        "the other list is kept"
    );

    let before = sim.request_count();
    match k
        .workgroups()
        .patch(
            "DEMOSCHOOL",
            "senders",
            &GroupPatch::new().allowed_email_senders_users(["demo_teacher"]),
        )
        .await
    {
        Err(Error::InvalidInput(text)) => {
            assert!(text.contains("allowed_email_senders_users"), "{text}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.request_count(), before, "nothing sent");
}

/// Leaving out what the server fills is allowed only as far as the caller
/// says the server fills it; the other rules stay on, and nothing is sent
/// when a rule fails.
#[tokio::test]
async fn fields_the_server_fills_may_be_left_out_only_when_declared() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let bare = NewUser::student("Jürgen", "Müller")
        .school("DEMOSCHOOL")
        .class("Democlass");
    let before = sim.request_count();
    let rules = |e: Error| match e {
        Error::RuleViolation(v) => v.into_iter().map(|v| (v.field, v.rule)).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let plain = k.users().create(bare.clone()).await.expect_err("refused");
    assert_eq!(
        rules(plain),
        [
            ("name".to_string(), Rule::RequiredField),
            ("record_uid".to_string(), Rule::RequiredField),
            ("source_uid".to_string(), Rule::RequiredField)
        ]
    );
    let named_only = k
        .users()
        .server_fills(CreateOptions::kelvin().name_from_template())
        .create(bare.clone())
        .await
        .expect_err("refused");
    assert_eq!(
        rules(named_only),
        [("record_uid".to_string(), Rule::RequiredField)]
    );
    let staff = NewUser::staff("S", "T")
        .school("DEMOSCHOOL")
        .class("Democlass");
    let all = CreateOptions::kelvin()
        .name_from_template()
        .record_uid_from_template();
    let staff_error = k
        .users()
        .server_fills(all)
        .create(staff)
        .await
        .expect_err("refused");
    assert_eq!(
        rules(staff_error),
        [("school_classes".to_string(), Rule::StaffWithoutClasses)]
    );
    assert_eq!(sim.request_count(), before, "nothing was sent");
}

/// A patch that renames keeps working with the typed DN: the DN follows.
#[tokio::test]
async fn renamed_users_get_their_new_dn() {
    let sim = sim().await;
    let k = kelvin(&sim);
    k.users().create(student("dn.before")).await.expect("user");
    let renamed = k
        .users()
        .patch("dn.before", &UserPatch::new().name("dn.after"))
        .await
        .expect("renamed");
    assert_eq!(renamed.dn.rdn_value(), Some("dn.after"));
    assert_eq!(renamed.dn.rdn_attr(), Some("uid"));
}
