//! Kelvin reads with 5,000 extra school users present, against an in-process simulator over
//! real HTTP (loopback), the emulator's side only (bodies are read, not decoded):
//!
//! * `search 5000 users`: `GET /v1/users/?school=DEMOSCHOOL2` answering all 5,000
//!   (target: well under 0.5 s);
//! * `get user`: `GET /v1/users/<name>` (target: well under 1 ms);
//! * `get class of 5000`: `GET /v1/classes/DEMOSCHOOL2/b1`, a class with 5,000 members.
//!
//! The users are created through `POST /v1/users/` (16 at a time); the time that takes is
//! printed once before the measurements.
//!
//! `cargo bench -p ucs-sim --bench kelvin_search`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::stream::{self, StreamExt};
use serde_json::json;
use std::time::{Duration, Instant};
use ucs_sim::Sim;

const USERS: usize = 5_000;
const CONCURRENCY: usize = 16;

struct Setup {
    client: reqwest::Client,
    token: String,
    kelvin: String,
}

impl Setup {
    async fn get(&self, url: &str) -> bytes::Bytes {
        let response = self
            .client
            .get(url)
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET reaches the simulator");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        response.bytes().await.expect("body")
    }
}

async fn setup() -> (ucs_sim::SimHandle, Setup) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().spawn().await.expect("simulator starts");
    let client = reqwest::Client::new();
    let (user, password) = sim.admin();
    let token: serde_json::Value = client
        .post(format!("{}/token", sim.kelvin_url()))
        .form(&[("username", user.as_str()), ("password", password.as_str())])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token JSON");
    let token = token["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();
    let setup = Setup {
        client,
        token,
        kelvin: format!("{}/v1", sim.kelvin_url()),
    };

    let started = Instant::now();
    let created = stream::iter(0..USERS)
        .map(|i| {
            let setup = &setup;
            async move {
                let body = json!({
                    "name": format!("bench{i:05}"),
                    "firstname": "Bench",
                    "lastname": format!("User{i}"),
                    "school": format!("{}/schools/DEMOSCHOOL2", setup.kelvin),
                    "roles": [format!("{}/roles/student", setup.kelvin)],
                    "school_classes": {"DEMOSCHOOL2": ["b1"]},
                    "record_uid": format!("b{i}"),
                    "source_uid": "bench",
                });
                setup
                    .client
                    .post(format!("{}/users/", setup.kelvin))
                    .bearer_auth(&setup.token)
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .filter(|status| std::future::ready(*status == 201))
        .count()
        .await;
    assert_eq!(created, USERS, "setup: every user created");
    println!(
        "kelvin_search: created {USERS} users in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    (sim, setup)
}

fn kelvin_search(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (_sim, setup) = runtime.block_on(setup());
    let search_url = format!("{}/users/?school=DEMOSCHOOL2", setup.kelvin);
    let user_url = format!("{}/users/bench00042", setup.kelvin);
    let class_url = format!("{}/classes/DEMOSCHOOL2/b1", setup.kelvin);

    let answer: serde_json::Value =
        serde_json::from_slice(&runtime.block_on(setup.get(&search_url))).expect("JSON");
    assert_eq!(answer.as_array().map(Vec::len), Some(USERS));

    let mut group = c.benchmark_group("kelvin_search");
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(1));
    group.bench_function("get user", |b| {
        b.to_async(&runtime).iter(|| setup.get(&user_url))
    });
    group.bench_function("get class of 5000", |b| {
        b.to_async(&runtime).iter(|| setup.get(&class_url))
    });
    group.sample_size(10);
    group.throughput(Throughput::Elements(USERS as u64));
    group.bench_function("search 5000 users", |b| {
        b.to_async(&runtime).iter(|| setup.get(&search_url))
    });
    group.finish();
}

criterion_group!(benches, kelvin_search);
criterion_main!(benches);
