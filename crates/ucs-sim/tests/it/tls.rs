//! HTTPS with the generated CA.

use crate::common;

use reqwest::StatusCode;
use serde_json::Value;
use ucs_sim::Sim;

#[tokio::test]
async fn https_works_with_the_generated_ca_only() {
    common::install_crypto();
    let sim = Sim::builder().tls(true).spawn().await.unwrap();
    let base = sim.base_url().to_string();
    assert!(base.starts_with("https://localhost:"), "{base}");
    let pem = sim.ca_pem().expect("a CA with TLS");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let ca = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();

    let (user, password) = sim.admin();
    let token: Value = client
        .post(format!("{}/token", sim.kelvin_url()))
        .form(&[("username", user.as_str()), ("password", password.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap();
    let school: Value = client
        .get(format!("{}/v1/schools/DEMOSCHOOL", sim.kelvin_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        school["url"],
        format!("{base}/ucsschool/kelvin/v1/schools/DEMOSCHOOL")
    );
    let udm = client
        .get(format!("{}/users/user/?limit=1", sim.udm_url()))
        .basic_auth(&user, Some(&password))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(udm.status(), StatusCode::OK);

    // a client that does not trust the CA fails the handshake
    let other_pem = Sim::builder()
        .tls(true)
        .spawn()
        .await
        .unwrap()
        .ca_pem()
        .unwrap();
    let wrong_ca = reqwest::Certificate::from_pem(other_pem.as_bytes()).unwrap();
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([wrong_ca])
        .build()
        .unwrap();
    let error = untrusting
        .get(format!("{}/v1/readme", sim.kelvin_url()))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error:?}");
    // plain HTTP to the TLS port gets no HTTP answer
    let plain = reqwest::Client::new()
        .get(format!(
            "http://{}/ucsschool/kelvin/v1/readme",
            sim.local_addr()
        ))
        .send()
        .await;
    assert!(plain.map(|r| r.status() != StatusCode::OK).unwrap_or(true));
    assert!(Sim::builder().spawn().await.unwrap().ca_pem().is_none());
}

/// With a state file the CA's key is kept beside it, so a client that saved the CA of the
/// first run trusts the emulator after a restart (a new server certificate, the same anchor).
#[tokio::test]
async fn the_ca_is_kept_with_the_state_file() {
    common::install_crypto();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("demo.json");
    let first = Sim::builder()
        .tls(true)
        .state_file(&state)
        .spawn()
        .await
        .unwrap();
    let saved = first.ca_pem().expect("CA");
    first.shutdown().await;
    let key = dir.path().join("demo.json.ca-key.pem");
    let key_text = std::fs::read_to_string(&key).unwrap();
    assert!(key_text.contains("PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the CA key is private");
    }
    let second = Sim::builder()
        .tls(true)
        .state_file(&state)
        .spawn()
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(saved.as_bytes()).unwrap()])
        .build()
        .unwrap();
    let answer = client
        .get(format!("{}/v1/schools/", second.kelvin_url()))
        .send()
        .await
        .expect("the first run's CA verifies the second run's certificate");
    assert_eq!(
        answer.status(),
        StatusCode::UNAUTHORIZED,
        "TLS done, auth asked"
    );
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        key_text,
        "the key is reused"
    );

    // without a state file every start has its own CA
    let other = Sim::builder().tls(true).spawn().await.unwrap();
    let refused = client
        .get(format!("{}/v1/schools/", other.kelvin_url()))
        .send()
        .await;
    assert!(refused.is_err(), "another CA");
}
