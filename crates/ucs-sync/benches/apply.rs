//! Applying a plan of 5,000 creates against an in-process `ucs-sim`, 8 requests at a time,
//! with the journal (group-committed fsyncs), the new-passwords file and the fingerprint
//! check; beside it the same 5,000 create requests sent bare with `reqwest` at the same
//! concurrency. Each iteration starts from a fresh emulator (set-up not timed).
//!
//! `cargo bench -p ucs-sync --bench apply`

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use futures::StreamExt;
use serde_json::{json, Value};
use ucs::kelvin::Kelvin;
use ucs_sync::plan::{NewUserSpec, Op};
use ucs_sync::{ApplyOptions, Plan, Planner, Roster, SyncConfig};

const USERS: usize = 5_000;
const CONCURRENCY: usize = 8;

fn config() -> SyncConfig {
    let json = r#"{"source_uid": "bench", "school": "DEMOSCHOOL2", "user_role": "student",
        "csv": {"mapping": {"ID": "record_uid", "Vorname": "firstname", "Nachname": "lastname", "Klassen": "school_classes"}},
        "scheme": {"username": {"default": "<:umlauts><firstname>[0].<lastname>[COUNTER2]"},
                   "email": "<firstname>.<lastname>[COUNTER2]@<maildomain>"},
        "maildomain": "example.com", "tolerate_errors": -1}"#;
    SyncConfig::from_import_json(&[json]).expect("configuration")
}

fn roster() -> Vec<u8> {
    let mut out = String::from("ID;Vorname;Nachname;Klassen\n");
    for i in 0..USERS {
        out.push_str(&format!("b{i:05};Bench;User{i};b{}\n", i % 20));
    }
    out.into_bytes()
}

async fn fresh() -> (ucs_sim::SimHandle, Kelvin) {
    let sim = ucs_sim::Sim::builder()
        .request_log_limit(100)
        .spawn()
        .await
        .expect("emulator");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build()
        .expect("session");
    (sim, kelvin)
}

async fn plan(kelvin: &Kelvin) -> Plan {
    let config = config();
    let roster = Roster::from_csv(&roster(), &config.csv).expect("roster");
    let plan = Planner::new(kelvin, config)
        .plan(&roster)
        .await
        .expect("plan");
    assert_eq!(plan.pending().count(), USERS);
    plan
}

async fn apply_once() -> Duration {
    let (_sim, kelvin) = fresh().await;
    let plan = plan(&kelvin).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let options = ApplyOptions::new(dir.path().join("journal.jsonl"))
        .passwords_csv(dir.path().join("passwords.csv"))
        .concurrency(CONCURRENCY);
    let start = Instant::now();
    let report = plan.apply(&kelvin, &options).await.expect("apply");
    let elapsed = start.elapsed();
    assert_eq!(
        report.failures().count(),
        0,
        "{:?}",
        report.failures().next()
    );
    elapsed
}

/// The body the facade sends for a create (its `NewUser::to_json`).
fn body(base: &str, spec: &NewUserSpec, password: &str) -> Value {
    let school = |s: &str| format!("{base}/ucsschool/kelvin/v1/schools/{s}");
    json!({
        "name": spec.name, "firstname": spec.firstname, "lastname": spec.lastname,
        "roles": [format!("{base}/ucsschool/kelvin/v1/roles/student")],
        "school": school(&spec.school), "schools": spec.schools.iter().map(|s| school(s)).collect::<Vec<_>>(),
        "school_classes": spec.school_classes, "workgroups": {}, "disabled": false,
        "email": spec.email, "record_uid": spec.record_uid, "source_uid": spec.source_uid,
        "ucsschool_roles": [], "legal_guardians": [], "legal_wards": [], "udm_properties": {},
        "password": password,
    })
}

async fn bare_once() -> Duration {
    let (sim, kelvin) = fresh().await;
    let plan = plan(&kelvin).await;
    let base = sim.base_url().to_string();
    let bodies: Vec<Value> = plan
        .actions
        .iter()
        .filter_map(|a| match &a.op {
            Op::Create { user } => Some(body(&base, user, "Bench-Passw0rd!")),
            _ => None,
        })
        .collect();
    let http = reqwest::Client::new();
    let (user, password) = sim.admin();
    let token: Value = http
        .post(format!("{}/token", sim.kelvin_url()))
        .form(&[("username", user.as_str()), ("password", password.as_str())])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token JSON");
    let auth = format!(
        "Bearer {}",
        token["access_token"].as_str().expect("access_token")
    );
    let url = format!("{}/v1/users/", sim.kelvin_url());
    let start = Instant::now();
    let statuses: Vec<u16> = futures::stream::iter(bodies.iter().map(|b| {
        let request = http.post(&url).header("Authorization", &auth).json(b);
        async move {
            let answer = request.send().await.expect("sent");
            let status = answer.status().as_u16();
            let _ = answer.bytes().await;
            status
        }
    }))
    .buffer_unordered(CONCURRENCY)
    .collect()
    .await;
    let elapsed = start.elapsed();
    assert!(
        statuses.iter().all(|s| *s == 201),
        "every bare create answered 201"
    );
    elapsed
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("apply 5,000 creates, 8 in flight");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60));
    group.bench_function("ucs-sync apply (journal, passwords, fingerprint)", |b| {
        b.iter_custom(|n| (0..n).map(|_| rt.block_on(apply_once())).sum())
    });
    group.bench_function("bare reqwest POSTs", |b| {
        b.iter_custom(|n| (0..n).map(|_| rt.block_on(bare_once())).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
