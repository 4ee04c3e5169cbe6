//! Uniqueness against the directory for batches: every user loaded in one
//! search (`KelvinTaken::preloaded`, `UdmTaken::preloaded`) instead of one
//! search per candidate name, refreshed for long runs; the bulk paths use it.
//! Against the in-process emulator (`ucs-sim`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ucs::forms::{FillProgress, Taken, TakenSet, UserValues};
use ucs::kelvin::{BulkOptions, Kelvin, KelvinTaken, NewUser};
use ucs::udm::{Object, Udm, UdmTaken};

async fn kelvin() -> (ucs_sim::SimHandle, Kelvin) {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build()
        .expect("session");
    (sim, kelvin)
}

async fn udm() -> (ucs_sim::SimHandle, Udm) {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let udm = Udm::builder(sim.udm_url())
        .credentials(user, password)
        .build()
        .expect("client");
    (sim, udm)
}

/// The Kelvin user searches the emulator received (path and query).
fn user_searches(sim: &ucs_sim::SimHandle) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| {
            r.method == "GET" && r.path_and_query.starts_with("/ucsschool/kelvin/v1/users/")
        })
        .filter(|r| {
            let path = r.path_and_query.split('?').next().unwrap_or_default();
            path == "/ucsschool/kelvin/v1/users/"
        })
        .map(|r| r.path_and_query)
        .collect()
}

async fn create(kelvin: &Kelvin, name: &str, lastname: &str, email: &str) {
    kelvin
        .users()
        .create(
            NewUser::student("Jane", lastname)
                .name(name)
                .email(email)
                .school("DEMOSCHOOL")
                .class("Democlass")
                .record_uid(format!("r-{name}"))
                .source_uid("preload"),
        )
        .await
        .expect("create");
}

#[tokio::test]
async fn one_search_loads_every_kelvin_user() {
    let (sim, kelvin) = kelvin().await;
    create(&kelvin, "doe", "Doe", "jane.doe@example.com").await;
    sim.clear_requests();
    let preloaded = KelvinTaken::new(kelvin.clone())
        .preloaded()
        .await
        .expect("preload");
    assert_eq!(
        user_searches(&sim),
        ["/ucsschool/kelvin/v1/users/"],
        "one search without filters"
    );
    let set = preloaded.set();
    assert!(set.contains("uid", "doe"));
    assert!(set.contains("uid", "DEMO_TEACHER"), "case-insensitive");
    assert!(set.contains("mail", "Jane.Doe@example.com"));
    assert_eq!(preloaded.loads(), 1);
    // the owner is the user name: the user itself may keep its values
    assert!(!preloaded.is_taken("uid", "doe", Some("doe")).await.unwrap());
    assert!(preloaded.is_taken("uid", "doe", None).await.unwrap());

    // generation against it sends nothing
    sim.clear_requests();
    let values = UserValues::kelvin(preloaded).mail_domain("example.com");
    let user = NewUser::student("Jane", "Doe")
        .school("DEMOSCHOOL")
        .fill_missing(&values)
        .await
        .expect("values");
    assert_eq!(user.name.as_deref(), Some("doe2"));
    assert_eq!(user.email.as_deref(), Some("jane.doe2@example.com"));
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test]
async fn per_school_preload_searches_each_school() {
    let (sim, kelvin) = kelvin().await;
    sim.clear_requests();
    let preloaded = KelvinTaken::new(kelvin.clone())
        .per_school(Vec::<String>::new())
        .preloaded()
        .await
        .expect("preload");
    let mut searches = user_searches(&sim);
    searches.sort();
    assert_eq!(
        searches,
        [
            "/ucsschool/kelvin/v1/users/?school=DEMOSCHOOL",
            "/ucsschool/kelvin/v1/users/?school=DEMOSCHOOL2",
        ]
    );
    assert!(sim.requests().iter().any(|r| r
        .path_and_query
        .starts_with("/ucsschool/kelvin/v1/schools/")));
    assert!(preloaded.set().contains("uid", "demo_student"));
    // named schools: only those
    sim.clear_requests();
    KelvinTaken::new(kelvin)
        .per_school(["DEMOSCHOOL2"])
        .preloaded()
        .await
        .expect("preload");
    assert_eq!(
        user_searches(&sim),
        ["/ucsschool/kelvin/v1/users/?school=DEMOSCHOOL2"]
    );
}

#[tokio::test]
async fn a_refresh_sees_new_users_and_keeps_what_was_handed_out() {
    let (_sim, kelvin) = kelvin().await;
    let preloaded = Arc::new(
        KelvinTaken::new(kelvin.clone())
            .preloaded()
            .await
            .expect("preload"),
    );
    let values = UserValues::kelvin(preloaded.clone());
    let smith = NewUser::student("Ann", "Smith")
        .school("DEMOSCHOOL")
        .fill_missing(&values)
        .await
        .expect("values");
    assert_eq!(
        smith.name.as_deref(),
        Some("smith"),
        "handed out, not created"
    );
    create(&kelvin, "jones", "Jones", "jones@example.com").await;
    assert!(!preloaded.set().contains("uid", "jones"));
    preloaded.refresh().await.expect("refresh");
    assert_eq!(preloaded.loads(), 2);
    assert!(
        preloaded.set().contains("uid", "jones"),
        "seen after the refresh"
    );
    assert!(preloaded.set().contains("uid", "smith"), "still handed out");
    let again = NewUser::student("Ann", "Smith")
        .school("DEMOSCHOOL")
        .fill_missing(&values)
        .await
        .expect("values");
    assert_eq!(again.name.as_deref(), Some("smith2"));
}

#[tokio::test]
async fn an_old_load_is_refreshed_before_a_check() {
    let (_sim, kelvin) = kelvin().await;
    let fresh = KelvinTaken::new(kelvin.clone())
        .preloaded()
        .await
        .expect("preload")
        .refresh_after(Duration::from_secs(3600));
    assert!(fresh.is_taken("uid", "demo_staff", None).await.unwrap());
    assert_eq!(fresh.loads(), 1, "young enough: no reload");

    let stale = KelvinTaken::new(kelvin.clone())
        .preloaded()
        .await
        .expect("preload")
        .refresh_after(Duration::ZERO);
    create(&kelvin, "late", "Late", "late@example.com").await;
    assert!(stale.is_taken("uid", "late", None).await.unwrap());
    assert_eq!(stale.loads(), 2, "reloaded before the check");
}

#[tokio::test]
async fn fill_missing_many_loads_the_users_once() {
    let (sim, kelvin) = kelvin().await;
    create(&kelvin, "mueller", "Müller", "juergen.mueller@example.com").await;
    let values = UserValues::kelvin(KelvinTaken::new(kelvin.clone())).mail_domain("example.com");
    sim.clear_requests();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let log = progress.clone();
    let rows = (0..3).map(|i| {
        NewUser::student("Jürgen", "Müller")
            .school("DEMOSCHOOL")
            .record_uid(format!("m-{i}"))
    });
    let filled = NewUser::fill_missing_many(rows, &values, move |p: FillProgress| {
        log.lock().unwrap().push(p.done)
    })
    .await
    .expect("preload");
    let names: Vec<String> = filled
        .into_iter()
        .map(|r| r.expect("filled").name.expect("name"))
        .collect();
    assert_eq!(names, ["mueller2", "mueller3", "mueller4"]);
    assert_eq!(user_searches(&sim).len(), 1, "one search for the batch");
    assert_eq!(*progress.lock().unwrap(), [1, 2, 3]);
}

/// A batch set in front of the live backend: its preload goes behind the
/// set, which keeps what it holds (the state a caller may reuse).
#[tokio::test]
async fn a_taken_set_puts_the_preload_behind_itself() {
    let (sim, kelvin) = kelvin().await;
    let batch = Arc::new(TakenSet::with_backend(Arc::new(KelvinTaken::new(
        kelvin.clone(),
    ))));
    batch.insert("uid", "reserved");
    let values = UserValues::kelvin(batch.clone());
    sim.clear_requests();
    let rows = [
        NewUser::teacher("A", "Reserved").school("DEMOSCHOOL"),
        NewUser::teacher("B", "Demo_staff").school("DEMOSCHOOL"),
    ];
    let filled = NewUser::fill_missing_many(rows, &values, |_| {})
        .await
        .expect("preload");
    let names: Vec<String> = filled
        .into_iter()
        .map(|r| r.expect("filled").name.expect("name"))
        .collect();
    assert_eq!(names, ["reserved2", "demo_staff2"]);
    assert_eq!(user_searches(&sim).len(), 1);
    assert!(
        batch.contains("uid", "reserved2"),
        "the caller's set learned the names"
    );
}

#[tokio::test]
async fn create_many_fills_missing_values_from_one_search() {
    let (sim, kelvin) = kelvin().await;
    let values = UserValues::kelvin(KelvinTaken::new(kelvin.clone())).mail_domain("example.com");
    sim.clear_requests();
    let users = (0..3).map(|i| {
        NewUser::student("Jane", "Roe")
            .school("DEMOSCHOOL")
            .class("Democlass")
            .record_uid(format!("roe-{i}"))
            .source_uid("bulk")
    });
    let created = kelvin
        .users()
        .create_many(users, &BulkOptions::new().fill_missing(values))
        .await;
    let names: Vec<String> = created
        .into_iter()
        .map(|r| r.expect("created").name)
        .collect();
    assert_eq!(names, ["roe", "roe2", "roe3"]);
    assert_eq!(user_searches(&sim).len(), 1, "one search, then the creates");
    let posts = sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path_and_query == "/ucsschool/kelvin/v1/users/")
        .count();
    assert_eq!(posts, 3);
}

#[tokio::test]
async fn a_failed_preload_fails_every_row_without_sending() {
    let (sim, _kelvin) = kelvin().await;
    let broken = Kelvin::builder(sim.base_url())
        .credentials("Administrator", "wrong password")
        .build()
        .expect("session");
    let values = UserValues::kelvin(KelvinTaken::new(broken.clone()));
    let users = (0..2).map(|i| NewUser::student("A", format!("B{i}")).school("DEMOSCHOOL"));
    let created = broken
        .users()
        .create_many(users, &BulkOptions::new().fill_missing(values))
        .await;
    assert_eq!(created.len(), 2);
    let first = created[0].as_ref().unwrap_err();
    assert!(
        matches!(first, ucs::Error::Form(ucs::forms::FormError::Preload(_))),
        "{first:?}"
    );
    let second = created[1].as_ref().unwrap_err().to_string();
    assert!(
        second
            .starts_with("invalid input: not sent: form values: could not load the values in use"),
        "{second}"
    );
    let posts = sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path_and_query == "/ucsschool/kelvin/v1/users/")
        .count();
    assert_eq!(posts, 0, "nothing sent");
}

#[tokio::test]
async fn udm_preload_loads_names_and_addresses_with_their_dns() {
    let (sim, udm) = udm().await;
    let users = udm.users();
    let mut first = users.template(None, None).await.expect("template");
    first
        .set("username", "zoe")
        .set("lastname", "Ångström")
        .set("mailPrimaryAddress", "zoe@example.com")
        .set(
            "mailAlternativeAddress",
            serde_json::json!(["z.a@example.com"]),
        )
        .set_password("Univention.99");
    let created = users.create(&first).await.expect("create");
    let dn = created.dn().expect("dn").to_string();
    sim.clear_requests();
    let preloaded = UdmTaken::new(udm.clone())
        .preloaded()
        .await
        .expect("preload");
    let searches = sim
        .requests()
        .iter()
        .filter(|r| {
            r.method == "GET" && r.path_and_query.starts_with("/univention/udm/users/user/?")
        })
        .count();
    assert_eq!(searches, 1, "one page of 1,000");
    let set = preloaded.set();
    assert!(set.contains("uid", "zoe"));
    assert!(set.contains("uid", "Administrator"));
    assert!(set.contains("mail", "zoe@example.com"));
    assert!(set.contains("mail", "z.a@example.com"));
    assert!(!preloaded
        .is_taken("mail", "z.a@example.com", Some(&dn))
        .await
        .unwrap());
    assert!(preloaded
        .is_taken("mail", "z.a@example.com", None)
        .await
        .unwrap());
}

#[tokio::test]
async fn udm_objects_are_filled_from_one_search_in_their_own_language() {
    let (sim, udm) = udm().await;
    let values = UserValues::udm(UdmTaken::new(udm.clone())).mail_domain("example.com");
    let users = udm.users();
    let mut objects: Vec<Object> = Vec::new();
    for (first, last, language) in [
        ("Zoë", "Ångström", None),
        ("Zoë", "Ångström", None),
        ("Ευάγγελος", "Παπαδόπουλος", Some("el_GR")),
    ] {
        let mut object = users.template(None, None).await.expect("template");
        object.set("firstname", first).set("lastname", last);
        if let Some(language) = language {
            object.set("preferredLanguage", language);
        }
        objects.push(object);
    }
    let mut blank = users.template(None, None).await.expect("template");
    blank.set("firstname", "Ann").set("lastname", "   ");
    objects.push(blank);
    sim.clear_requests();
    let filled = Object::fill_missing_many(objects, &values, |_| {})
        .await
        .expect("preload");
    let names: Vec<Option<String>> = filled
        .iter()
        .map(|r| {
            r.as_ref()
                .ok()
                .and_then(|o| o.get_str("username").map(str::to_owned))
        })
        .collect();
    assert_eq!(
        names,
        [
            Some("aangstroem".to_string()),
            Some("aangstroem2".to_string()),
            Some("papadopoulos".to_string()),
            None,
        ]
    );
    let error = filled[3].as_ref().unwrap_err().to_string();
    assert!(error.contains("lastname (not only whitespace)"), "{error}");
    let searches = sim
        .requests()
        .iter()
        .filter(|r| {
            r.method == "GET" && r.path_and_query.starts_with("/univention/udm/users/user/?")
        })
        .count();
    assert_eq!(searches, 1);
    let created = users
        .create(filled[2].as_ref().expect("filled"))
        .await
        .expect("create");
    assert_eq!(
        created.get_str("mailPrimaryAddress"),
        Some("evangelos.papadopoulos@example.com")
    );
}
