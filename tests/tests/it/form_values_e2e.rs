//! Generated user names and mail addresses are unique against the server
//! (Kelvin and UDM `Taken` backends) and within a batch (`TakenSet`).

use std::sync::Arc;

use ucs::forms::{TakenSet, UserValues};
use ucs::kelvin::{Kelvin, KelvinTaken, NewUser};
use ucs::udm::{Udm, UdmTaken};

#[tokio::test]
async fn kelvin_users_get_unique_names_and_mail_addresses_from_the_server() {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build()
        .expect("session");
    let values = UserValues::kelvin(KelvinTaken::new(kelvin.clone())).mail_domain("example.com");
    let mut names = Vec::new();
    for i in 0..3 {
        let new = NewUser::student("Jürgen", "Müller")
            .school("DEMOSCHOOL")
            .class("1a")
            .record_uid(format!("fv-{i}"))
            .source_uid("forms")
            .fill_missing(&values)
            .await
            .expect("values");
        let created = kelvin.users().create(new).await.expect("create");
        names.push((created.name, created.email));
    }
    assert_eq!(
        names,
        [
            (
                "mueller".to_string(),
                Some("juergen.mueller@example.com".to_string())
            ),
            (
                "mueller2".to_string(),
                Some("juergen.mueller2@example.com".to_string())
            ),
            (
                "mueller3".to_string(),
                Some("juergen.mueller3@example.com".to_string())
            ),
        ]
    );
}

#[tokio::test]
async fn a_batch_gets_unique_values_without_creating_anything_in_between() {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build()
        .expect("session");
    let batch = TakenSet::with_backend(Arc::new(KelvinTaken::new(kelvin.clone())));
    let values = UserValues::kelvin(batch).mail_domain("example.org");
    let mut users = Vec::new();
    for _ in 0..2 {
        let u = NewUser::teacher("Jane", "Doe")
            .school("DEMOSCHOOL")
            .fill_missing(&values)
            .await
            .expect("values");
        users.push(u.name.expect("name"));
    }
    assert_eq!(
        users,
        ["doe", "doe2"],
        "the second Jane Doe sees the first one's name"
    );
}

#[tokio::test]
async fn udm_users_get_unique_user_names_from_the_server() {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("sim");
    let (user, password) = sim.admin();
    let udm = Udm::builder(sim.udm_url())
        .credentials(user, password)
        .build()
        .expect("client");
    let values = UserValues::udm(UdmTaken::new(udm.clone())).mail_domain("example.com");
    let users = udm.users();
    let mut created = Vec::new();
    for _ in 0..2 {
        let mut u = users.template(None, None).await.expect("template");
        u.set("firstname", "Zoë").set("lastname", "Ångström");
        u.fill_missing_user_values(&values).await.expect("values");
        created.push(users.create(&u).await.expect("create"));
    }
    assert_eq!(created[0].get_str("username"), Some("aangstroem"));
    assert_eq!(created[1].get_str("username"), Some("aangstroem2"));
    assert_eq!(
        created[0].get_str("mailPrimaryAddress"),
        Some("zoe.aangstroem@example.com")
    );
    assert_ne!(
        created[0].get_str("mailPrimaryAddress"),
        created[1].get_str("mailPrimaryAddress")
    );
}
