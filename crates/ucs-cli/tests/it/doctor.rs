//! `ucs doctor` against a healthy emulator, a wrong CA (and saving the right one), a wrong
//! password, a reader account, a host that does not answer.

use crate::common::{pem_fingerprint, run, Env};

#[test]
fn a_healthy_emulator() {
    let env = Env::start();
    let (code, stdout, stderr) = run(env.ucs().arg("doctor"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    insta::assert_snapshot!("doctor_healthy", env.normalize(&stdout));
}

#[test]
fn a_reader_account() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args(["--user", "kelvin-reader", "doctor"]));
    assert_eq!(code, 0, "warnings only: {stdout}");
    insta::assert_snapshot!("doctor_reader", env.normalize(&stdout));
}

#[test]
fn an_account_in_neither_kelvin_group() {
    // Kelvin 4.0.0 gives every valid account a token, with the group flags in `sub`; the
    // account then gets 401 on every resource (ucsschool-kelvin-rest-api release-4.0.0,
    // kelvin-api/ucsschool/kelvin/main.py `login_for_access_token`,
    // kelvin-api/ucsschool/kelvin/token_auth.py `get_kelvin_reader`)
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args(["--user", "demo_student", "doctor"]));
    assert_eq!(code, 1, "a failed check: {stdout}");
    assert!(
        stdout.contains("ok    kelvin-login  logged in to Kelvin as demo_student"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "fail  kelvin-rights demo_student is in neither Kelvin group (from the token): \
             every Kelvin request answers 401 Unauthorized -> add the account to \
             ucsschool-kelvin-rest-api-admins"
        ),
        "{stdout}"
    );
}

#[test]
fn a_host_kelvin_refuses_in_references_is_warned_about() {
    // pydantic 1.10 `HttpUrl` (tld_required) types the reference fields of
    // ucsschool-kelvin-rest-api release-4.0.0, kelvin-api/ucsschool/kelvin/routers/v1/user.py
    // `UserCreateModel`: `localhost` is refused with 422
    let env = Env::start();
    let port = env.sim.local_addr().port();
    let host = format!("https://localhost:{port}");
    let (code, stdout, _) = run(env.ucs().args(["--host", &host, "doctor"]));
    assert_eq!(code, 0, "a warning: {stdout}");
    assert!(
        stdout.contains(
            "warn  host-name     Kelvin refuses reference URLs on \"localhost\" (it needs an IP \
             address or a name with a top-level domain)"
        ),
        "{stdout}"
    );
    let (code, _, stderr) = run(env.ucs().args([
        "--host",
        &host,
        "kelvin",
        "classes",
        "create",
        "DEMOSCHOOL",
        "7b",
    ]));
    assert_eq!(code, 2, "the server refuses it too");
    assert!(
        stderr.contains("body.school: URL host invalid, top level domain required"),
        "{stderr}"
    );
    let (_, stdout, _) = run(env.ucs().arg("doctor"));
    assert!(!stdout.contains("host-name"), "{stdout}");
}

#[test]
fn a_wrong_password() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().env("UCS_PASSWORD", "wrong-Pa55").arg("doctor"));
    assert_eq!(code, 1, "{stdout}");
    assert!(!stdout.contains("wrong-Pa55"));
    insta::assert_snapshot!("doctor_wrong_password", env.normalize(&stdout));
}

#[test]
fn a_wrong_ca_then_the_offered_one_saved_by_fingerprint() {
    let env = Env::start();
    let other = ucs_sim::Sim::builder().tls(true);
    let other = env.runtime.block_on(other.spawn()).unwrap();
    std::fs::write(env.path("wrong-ca.pem"), other.ca_pem().unwrap()).unwrap();
    let (code, stdout, _) = run(env.ucs().args(["--ca-file", "wrong-ca.pem", "doctor"]));
    assert_eq!(code, 1, "{stdout}");
    let right = pem_fingerprint(&env.sim.ca_pem().unwrap());
    assert!(
        stdout.contains(&format!("SHA-256 {right}")),
        "offers the server's CA: {stdout}"
    );
    insta::assert_snapshot!(
        "doctor_wrong_ca",
        env.normalize(&stdout).replace(&right, "FINGERPRINT")
    );
    assert!(!env.path("sim-ca.pem.saved").exists());

    // a fingerprint that does not match saves nothing
    let (code, stdout, _) = run(env.ucs().args([
        "--ca-file",
        "wrong-ca.pem",
        "doctor",
        "--trust-ca",
        &pem_fingerprint(&other.ca_pem().unwrap()),
    ]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("is not its fingerprint; nothing saved"),
        "{stdout}"
    );
    assert!(
        !env.path("sim-ca.pem").exists()
            || std::fs::read_to_string(env.config())
                .unwrap()
                .contains("sim-ca.pem")
    );

    // the right one is saved as the profile's CA file, and everything after works
    let (code, stdout, _) = run(env.ucs().args([
        "--ca-file",
        "wrong-ca.pem",
        "doctor",
        "--trust-ca",
        &right.replace(':', "").to_lowercase(),
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("ok    trust-ca      saved the CA as"),
        "{stdout}"
    );
    assert!(stdout.contains("ok    kelvin-login"), "{stdout}");
    let config = std::fs::read_to_string(env.config()).unwrap();
    assert!(
        config.contains(&format!(
            "ca_file = {:?}",
            env.path("sim-ca.pem").display().to_string()
        )),
        "{config}"
    );
    assert_eq!(
        pem_fingerprint(&std::fs::read_to_string(env.path("sim-ca.pem")).unwrap()),
        right
    );
    let (code, _, _) = run(env.ucs().args(["kelvin", "roles", "list"]));
    assert_eq!(code, 0, "the saved CA is used");
}

#[test]
fn a_host_that_does_not_answer() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args(["--host", "https://127.0.0.1:9", "doctor"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("fail  reach         cannot connect to 127.0.0.1:9"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-> check the host name and port"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().count(),
        2,
        "nothing after an unreachable host: {stdout}"
    );
}

#[test]
fn plain_http_is_warned_about() {
    let env = Env::with(ucs_sim::Sim::builder());
    let (code, stdout, _) = run(env.ucs().arg("doctor"));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "warn  tls           plain HTTP: the password and the data travel unencrypted"
        ),
        "{stdout}"
    );
}

/// A web server that is neither Kelvin nor UDM: every path is 404. The login checks say which
/// API is missing and what to install, instead of a generic failure.
#[test]
fn a_host_that_serves_neither_api() {
    let env = Env::start();
    let host = not_found_server();
    let (code, stdout, _) = run(env.ucs().env("UCS_PASSWORD", "univention").args([
        "--host",
        &host,
        "--user",
        "Administrator",
        "doctor",
    ]));
    assert_eq!(code, 1, "{stdout}");
    for line in [
        format!("fail  kelvin-login  no Kelvin token endpoint at {host}/ucsschool/kelvin/token (404) -> install the app ucsschool-kelvin-rest-api, or use only the udm commands"),
        format!("fail  udm-login     no UDM REST API at {host}/univention/udm/ (404) -> install univention-directory-manager-rest (UCS has it on the Primary and Backup Directory Nodes), or use only the kelvin commands"),
    ] {
        assert!(stdout.contains(&line), "{line}\nnot in\n{stdout}");
    }
}

/// `http://127.0.0.1:PORT` of a thread that answers up to 64 connections with 404 JSON.
fn not_found_server() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
            let mut head = [0u8; 8192];
            let _ = stream.read(&mut head);
            let body = r#"{"detail":"Not Found"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}
