//! The examples run end to end against the embedded emulator.

#[allow(dead_code)]
#[path = "../../../crates/ucs/examples/kelvin_quickstart.rs"]
mod kelvin_quickstart;

#[allow(dead_code)]
#[path = "../../../crates/ucs/examples/udm_quickstart.rs"]
mod udm_quickstart;

#[tokio::test]
async fn kelvin_quickstart_runs() {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let kelvin = ucs::kelvin::Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build()
        .expect("session");
    kelvin_quickstart::run(&kelvin)
        .await
        .expect("the example succeeds");
    let left = kelvin
        .users()
        .search(&ucs::kelvin::UserFilter::new().source_uid("quickstart"))
        .await
        .expect("search");
    assert!(left.is_empty(), "the example cleans up after itself");
}

#[tokio::test]
async fn udm_quickstart_runs() {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let udm = ucs::udm::Udm::builder(sim.udm_url())
        .credentials(user, password)
        .build()
        .expect("client");
    udm_quickstart::run(&udm)
        .await
        .expect("the example succeeds");
}

#[allow(dead_code)]
#[path = "../../../crates/ucs/examples/bulk_import.rs"]
mod bulk_import;

#[allow(dead_code)]
#[path = "../../../crates/ucs/examples/form_values.rs"]
mod form_values;

#[allow(dead_code)]
#[path = "../../../crates/ucs/examples/error_handling.rs"]
mod error_handling;

#[allow(dead_code)]
#[path = "../../../crates/ucs/examples/kelvin_udm_join.rs"]
mod kelvin_udm_join;

async fn sim_and_kelvin() -> (ucs_sim::SimHandle, ucs::kelvin::Kelvin) {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let kelvin = ucs::kelvin::Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build()
        .expect("session");
    (sim, kelvin)
}

/// 197 of the 200 rows are created with unique generated names; two name a
/// school that does not exist and are not sent (pre-flight), one repeats a
/// `record_uid` of the same `source_uid` and is refused with 409.
#[tokio::test]
async fn bulk_import_creates_the_roster_with_unique_names() {
    let (_sim, kelvin) = sim_and_kelvin().await;
    let summary = bulk_import::run(&kelvin, "DEMOSCHOOL", Some("example.com"))
        .await
        .expect("the import runs");
    assert_eq!(summary.created.len(), 197);
    assert_eq!(summary.failed.len(), 1, "{:?}", summary.failed);
    assert!(
        summary.failed[0].contains("record_uid=\"sis-1000\"") && summary.failed[0].contains("409"),
        "{:?}",
        summary.failed
    );
    assert_eq!(summary.not_sent.len(), 2, "{:?}", summary.not_sent);
    for line in &summary.not_sent {
        assert!(
            line.contains("school \"NOSCHOOL\" does not exist"),
            "{line}"
        );
    }
    assert_eq!(summary.loads, 1, "one search for the names in use");
    let mut classes = summary.new_classes.clone();
    classes.sort();
    assert_eq!(
        classes,
        ["1a", "1b", "2a", "2b"].map(|c| ("DEMOSCHOOL".to_string(), c.to_string()))
    );

    let names: std::collections::BTreeSet<String> = summary
        .created
        .iter()
        .map(|u| u.name.to_lowercase())
        .collect();
    assert_eq!(names.len(), 197, "user names are unique");
    let mails: std::collections::BTreeSet<String> = summary
        .created
        .iter()
        .filter_map(|u| u.email.clone())
        .collect();
    assert_eq!(mails.len(), 197, "addresses are unique");
    let first = |last: &str, record_uid: &str| {
        summary
            .created
            .iter()
            .find(|u| u.record_uid.as_deref() == Some(record_uid))
            .map(|u| (u.name.clone(), u.lastname.clone(), u.email.clone()))
            .filter(|(_, l, _)| l == last)
    };
    // first initial + last name, transliterated, numbered in roster order
    assert_eq!(
        first("Müller", "sis-1001").map(|u| u.0),
        Some("jmueller2".to_string())
    );
    assert_eq!(
        first("Müller", "sis-1002"),
        Some((
            "jmueller3".to_string(),
            "Müller".to_string(),
            Some("jonas.mueller@example.com".to_string())
        ))
    );
    assert_eq!(
        first("Öztürk", "sis-1111").map(|u| u.0),
        Some("ooeztuerk".to_string())
    );

    let stored = kelvin
        .users()
        .search(&ucs::kelvin::UserFilter::new().source_uid(bulk_import::SOURCE))
        .await
        .expect("search");
    let stored: std::collections::BTreeSet<String> =
        stored.iter().map(|u| u.name.to_lowercase()).collect();
    assert_eq!(
        stored, names,
        "the directory holds exactly the users reported"
    );

    bulk_import::remove(&kelvin, &summary)
        .await
        .expect("clean up");
    let left = kelvin
        .users()
        .search(&ucs::kelvin::UserFilter::new().source_uid(bulk_import::SOURCE))
        .await
        .expect("search");
    assert!(left.is_empty());
    assert!(!kelvin
        .classes()
        .exists("DEMOSCHOOL", "1a")
        .await
        .expect("exists"));
}

/// Names by the row's language and the naming policy, unique against the
/// directory (`jmueller` exists) and within the batch; passwords never
/// printed.
#[tokio::test]
async fn form_values_generates_by_language_and_never_prints_passwords() {
    let (_sim, kelvin) = sim_and_kelvin().await;
    let rows = form_values::run(&kelvin, "DEMOSCHOOL", "example.com")
        .await
        .expect("the example succeeds");
    let got: Vec<(&str, Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| match &r.result {
            Ok(u) => (r.language, u.name.clone(), u.email.clone()),
            Err(_) => (r.language, None, None),
        })
        .collect();
    let want = |lang, name: &str, mail: &str| {
        (
            lang,
            Some(name.to_string()),
            Some(format!("{mail}@example.com")),
        )
    };
    assert_eq!(
        got,
        [
            want("de-DE", "jmueller2", "juergen.mueller2"),
            want("de-DE", "jmueller3", "juergen.mueller3"),
            want("fr-FR", "jmuller", "jurgen.muller"),
            want("de-DE", "zweiss", "zoe.weiss"),
            want("el-GR", "epapadopoulos", "evangelos.papadopoulos"),
            want("el-GR", "cbakogiannis", "charalampos.bakogiannis"),
            want("uk-UA", "oshevchenko", "oleksii.shevchenko"),
            ("de-DE", None, None),
        ]
    );
    match &rows[7].result {
        Err(ucs::Error::Form(ucs::forms::FormError::BlankInput { key, .. })) => {
            assert_eq!(key, "givenname")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        rows[7].printed.contains("only whitespace"),
        "{}",
        rows[7].printed
    );
    for row in &rows[..7] {
        let user = row.result.as_ref().expect("filled");
        let password = user.password.as_ref().expect("a password");
        assert!(password.expose().len() >= 15);
        assert!(!row.printed.contains(password.expose()), "{}", row.printed);
        assert!(
            row.printed.ends_with("password [REDACTED]"),
            "{}",
            row.printed
        );
        assert!(!format!("{user:?}").contains(password.expose()));
    }
    assert!(
        !kelvin.users().exists("jmueller").await.expect("exists"),
        "the example removes the account it made"
    );
}

/// Each branch of the example's `handle` is reached, in order; the
/// rule-violating create is never sent, the create whose answer was lost is
/// not sent twice.
#[tokio::test]
async fn error_handling_reaches_every_branch() {
    use error_handling::Branch::*;
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let connection = ucs::Ucs::builder(sim.base_url()).credentials(user, password);
    let reached = error_handling::run(&connection, "DEMOSCHOOL", Some(&sim))
        .await
        .expect("the example succeeds");
    assert_eq!(
        reached,
        [
            NotFound,
            Duplicate,
            Stale,
            Invalid,
            Rules,
            Unauthorized,
            Unauthorized,
            MaybeApplied,
            Server
        ]
    );
    let posts = |path: &str| {
        sim.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path_and_query == path)
            .count()
    };
    assert_eq!(
        posts("/ucsschool/kelvin/v1/users/"),
        2,
        "the create and the duplicate; the rule violation was not sent"
    );
    assert_eq!(posts("/ucsschool/kelvin/v1/classes/"), 1, "not sent twice");
    let kelvin = connection.build().expect("clients");
    assert!(!kelvin
        .kelvin()
        .users()
        .exists("errors-example")
        .await
        .expect("exists"));
    assert!(!kelvin
        .kelvin()
        .classes()
        .exists("DEMOSCHOOL", "errors-lost")
        .await
        .expect("exists"));
}

/// Every Kelvin user of the school is found in UDM by DN and by
/// (`source_uid`, `record_uid`), and every field of the mapping agrees.
#[tokio::test]
async fn kelvin_udm_join_agrees_field_by_field() {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let ucs = ucs::Ucs::connect(sim.base_url(), user, password).expect("clients");
    let joined = kelvin_udm_join::run(ucs.kelvin(), ucs.udm(), "DEMOSCHOOL", Some("example.com"))
        .await
        .expect("the example succeeds");
    let names: Vec<&str> = joined.iter().map(|j| j.user.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "demo_admin",
            "demo_staff",
            "demo_student",
            "demo_teacher",
            "join-guardian",
            "join-student",
            "join-teacher"
        ]
    );
    for j in &joined {
        let object = j.by_dn.as_ref().expect("joined by DN");
        assert_eq!(j.by_import_id.as_ref(), object.dn(), "{}", j.user.name);
        assert_eq!(j.checks.len(), 18);
        for check in &j.checks {
            assert!(check.agrees(), "{}: {check:?}", j.user.name);
        }
    }
    let value = |name: &str, field: &str| {
        joined
            .iter()
            .find(|j| j.user.name == name)
            .and_then(|j| j.checks.iter().find(|c| c.field == field))
            .map(|c| c.udm_value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("join-student", "birthday"), "2012-03-04");
    assert_eq!(value("join-student", "expiration_date"), "2031-07-31");
    assert_eq!(value("join-student", "email"), "jonas.gaertner@example.com");
    assert_eq!(value("join-student", "legal_guardians"), "join-guardian");
    assert_eq!(value("join-guardian", "legal_wards"), "join-student");
    assert_eq!(
        value("join-student", "school_classes"),
        "DEMOSCHOOL: join-7a"
    );
    assert_eq!(value("join-student", "roles"), "student");
    assert_eq!(value("join-student", "source_uid"), "join-example");
    assert_eq!(
        value("join-student", "record_uid"),
        "join-example-join-student"
    );
    assert_eq!(value("join-teacher", "disabled"), "true");
    assert_eq!(value("join-teacher", "schools"), "DEMOSCHOOL, DEMOSCHOOL2");
    assert_eq!(
        value("demo_student", "workgroups"),
        "DEMOSCHOOL: Demoworkgroup"
    );
    assert_eq!(value("demo_admin", "school"), "DEMOSCHOOL");
    for made in ["join-guardian", "join-student", "join-teacher"] {
        assert!(!ucs.kelvin().users().exists(made).await.expect("exists"));
    }
}
