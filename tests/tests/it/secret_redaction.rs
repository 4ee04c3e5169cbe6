//! No password, token, password hash or Basic credential reaches a log line
//! (any level), a `Debug` print or an error message, over a full scenario.

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine;
use ucs::kelvin::{Kelvin, NewUser, PasswordHashes, UserPatch};
use ucs::udm::Udm;
use ucs::Secret;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every log line of this test binary, at every level: the subscriber is the process-wide
/// default (a thread-local one loses events of callsites other tests registered first).
fn global_capture() -> Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            let subscriber = tracing_subscriber::fmt()
                .with_writer(capture.clone())
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other test sets a global subscriber");
            capture
        })
        .clone()
}

const SECRETS: [&str; 6] = [
    "Kelvin-Initial-Pw1!",
    "Kelvin-Changed-Pw2!",
    "{crypt}$6$saltsalt$hashhashhash",
    "8846F7EAEE8FB117AD06BDD830B7586C",
    "Udm-User-Passw0rd!",
    "Wrong-Admin-Pw9",
];

#[tokio::test]
async fn a_full_scenario_logs_no_secret() {
    let capture = global_capture();
    let sim = ucs_sim::Sim::builder()
        .admin_password("Admin-Secret-77")
        .spawn()
        .await
        .expect("sim");
    let (admin, admin_pw) = sim.admin();
    assert_eq!(admin_pw, "Admin-Secret-77");
    let mut debug_prints = Vec::new();

    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(admin.clone(), admin_pw.clone())
        .build()
        .expect("kelvin");
    let hashes = PasswordHashes {
        user_password: vec![Secret::from(SECRETS[2])],
        samba_nt_password: Secret::from(SECRETS[3]),
        krb_5_key: vec![Secret::from("a3JiNWtleQ==")],
        krb5_key_version_number: 1,
        samba_pwd_last_set: 1,
    };
    let new = NewUser::student("Sec", "Ret")
        .name("secret.user")
        .school("DEMOSCHOOL")
        .class("1a")
        .record_uid("sec-1")
        .source_uid("e2e")
        .password(SECRETS[0]);
    debug_prints.push(format!("{new:?}"));
    let user = kelvin.users().create(new).await.expect("create");
    debug_prints.push(format!("{user:?}"));
    let patch = UserPatch::new().password(SECRETS[1]);
    debug_prints.push(format!("{patch:?}"));
    kelvin
        .users()
        .patch("secret.user", &patch)
        .await
        .expect("patch password");
    let hash_patch = UserPatch::new().password_hashes(hashes.clone());
    debug_prints.push(format!("{hash_patch:?} {hashes:?}"));
    let _ = kelvin.users().patch("secret.user", &hash_patch).await;
    sim.expire_tokens();
    kelvin.schools().get("DEMOSCHOOL").await.expect("re-login");
    let bad = Kelvin::builder(sim.base_url())
        .credentials(admin.clone(), SECRETS[5])
        .build()
        .expect("kelvin");
    let e = bad
        .schools()
        .get("DEMOSCHOOL")
        .await
        .expect_err("bad password");
    debug_prints.push(format!("{e} {e:?} {bad:?} {kelvin:?}"));

    let udm = Udm::builder(sim.udm_url())
        .credentials(admin.clone(), admin_pw.clone())
        .build()
        .expect("udm");
    let users = udm.users();
    let mut u = users.template(None, None).await.expect("template");
    u.set("username", "secret-udm")
        .set("lastname", "Ret")
        .set_password(SECRETS[4]);
    debug_prints.push(format!("{u:?}"));
    let created = users.create(&u).await.expect("create");
    let mut again = created.clone();
    again.set("password", SECRETS[4]);
    debug_prints.push(format!("{again:?}"));
    users.patch(&again).await.expect("patch");
    let e = users.create(&u).await.expect_err("duplicate");
    debug_prints.push(format!("{e} {e:?} {udm:?}"));
    let wrong = Udm::builder(sim.udm_url())
        .credentials(admin.clone(), SECRETS[5])
        .build()
        .expect("udm");
    let e = wrong
        .users()
        .get(created.dn().expect("dn"))
        .await
        .expect_err("401");
    debug_prints.push(format!("{e} {e:?}"));

    let logs = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf-8 logs");
    assert!(logs.contains("ucs.request"), "the scenario was traced");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{admin}:{admin_pw}"));
    let mut forbidden: Vec<String> = SECRETS.iter().map(|s| s.to_string()).collect();
    forbidden.push(admin_pw.clone());
    forbidden.push(basic);
    forbidden.push("Bearer ey".into());
    let everything = format!("{logs}\n{}", debug_prints.join("\n"));
    for secret in &forbidden {
        assert!(
            !everything.contains(secret.as_str()),
            "secret {secret:?} leaked"
        );
    }
}
