//! Both clients from one host, credentials and CA: `Ucs::connect`,
//! `Ucs::builder` and the environment variables the command line reads.

use std::collections::HashMap;

use ucs::kelvin::ApiVersion;
use ucs::{Error, Ucs, UcsBuilder};
use ucs_sim::Sim;

#[tokio::test]
async fn connect_builds_a_kelvin_session_and_a_udm_client_for_one_host() {
    let sim = Sim::builder().spawn().await.expect("emulator");
    let (user, password) = sim.admin();
    let ucs = Ucs::connect(sim.base_url(), &user, &password).expect("clients");
    let roles = ucs.kelvin().roles().list().await.expect("roles");
    assert_eq!(roles.len(), 5);
    let users = ucs.udm().users().search().all().await.expect("users");
    assert!(users
        .iter()
        .any(|u| u.get_str("username") == Some("Administrator")));
    assert_eq!(ucs.udm().base_url(), sim.udm_url());
    let paths: Vec<String> = sim
        .requests()
        .into_iter()
        .map(|r| r.path_and_query)
        .collect();
    assert!(
        paths.iter().any(|p| p == "/ucsschool/kelvin/token"),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p == "/ucsschool/kelvin/v1/roles/"),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("/univention/udm/users/user/?")),
        "{paths:?}"
    );
    assert!(
        sim.requests().iter().all(|r| r.status < 400),
        "{:?}",
        sim.requests()
    );

    let (kelvin, udm) = ucs.into_parts();
    let again = Ucs::new(kelvin, udm);
    assert!(again
        .kelvin()
        .schools()
        .exists("DEMOSCHOOL")
        .await
        .expect("exists"));

    let error = Ucs::builder(sim.base_url()).build().unwrap_err();
    assert!(error.to_string().contains("needs credentials"), "{error}");
}

#[tokio::test]
async fn the_environment_gives_host_account_password_file_ca_and_kelvin_version() {
    let sim = Sim::builder().tls(true).spawn().await.expect("emulator");
    let (user, password) = sim.admin();
    let dir = tempfile::tempdir().expect("dir");
    let ca = dir.path().join("ucs-root-ca.pem");
    std::fs::write(&ca, sim.ca_pem().expect("CA")).expect("write");
    let pw = dir.path().join("password");
    std::fs::write(&pw, format!("{password}\n")).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let vars: HashMap<&str, String> = [
        ("UCS_HOST", format!("{}/", sim.base_url())),
        ("UCS_USER", user.clone()),
        ("UCS_PASSWORD_FILE", pw.display().to_string()),
        ("UCS_PASSWORD", "not-this-one".to_string()),
        ("UCS_CA_FILE", ca.display().to_string()),
        ("UCS_KELVIN_API", "v2".to_string()),
    ]
    .into_iter()
    .collect();
    let builder = UcsBuilder::from_env_with(|name| vars.get(name).cloned()).expect("settings");
    assert!(!format!("{builder:?}").contains(&password));
    let ucs = builder.build().expect("clients");
    assert_eq!(ucs.kelvin().api_version(), ApiVersion::V2);
    ucs.kelvin().roles().list().await.expect("roles over TLS");
    ucs.udm()
        .users()
        .search()
        .all()
        .await
        .expect("users over TLS");
    let paths: Vec<String> = sim
        .requests()
        .into_iter()
        .map(|r| r.path_and_query)
        .collect();
    assert!(
        paths.iter().any(|p| p == "/ucsschool/kelvin/v2/roles/"),
        "{paths:?}"
    );

    // one API's own settings on top of the shared ones
    let udm = builder
        .udm_builder()
        .expect("builder")
        .max_concurrent_requests(1)
        .build()
        .expect("client");
    assert_eq!(udm.max_concurrent_requests(), Some(1));
    udm.users().search().all().await.expect("users");

    let without_ca: HashMap<&str, String> = vars
        .iter()
        .filter(|(k, _)| **k != "UCS_CA_FILE")
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    let untrusted = UcsBuilder::from_env_with(|name| without_ca.get(name).cloned())
        .expect("settings")
        .build()
        .expect("clients");
    match untrusted.udm().users().search().all().await {
        Err(Error::Transport { message, .. }) => {
            assert!(message.contains("UCS_CA_FILE"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
