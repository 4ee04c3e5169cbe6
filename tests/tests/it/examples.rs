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
