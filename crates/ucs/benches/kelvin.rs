//! Client-side cost of the Kelvin facade against an in-process `ucs-sim`:
//! one GET of a user, and one search answering 5,000 users. Each is measured
//! twice: through the facade, and as a bare `reqwest` request of the same URL
//! (body read, not decoded); the difference is the facade's client-side cost
//! (headers, request id, span, JSON decoding into typed models).
//!
//! `cargo bench -p ucs --bench kelvin`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ucs::kelvin::{BulkOptions, Kelvin, NewUser, UserFilter};

fn setup(runtime: &tokio::runtime::Runtime) -> (ucs_sim::SimHandle, Kelvin) {
    runtime.block_on(async {
        let sim = ucs_sim::Sim::builder().spawn().await.expect("emulator");
        let (user, password) = sim.admin();
        let kelvin = Kelvin::builder(sim.base_url())
            .credentials(user, password)
            .build()
            .expect("session");
        let users = (0..5_000).map(|i| {
            NewUser::student("Bench", format!("User{i}"))
                .name(format!("bench{i:05}"))
                .school("DEMOSCHOOL2")
                .class("b1")
                .record_uid(format!("b{i}"))
                .source_uid("bench")
        });
        let results = kelvin
            .users()
            .create_many(users, &BulkOptions::new().concurrency(16))
            .await;
        assert!(
            results.iter().all(Result::is_ok),
            "setup: every user created"
        );
        (sim, kelvin)
    })
}

/// A bare HTTP client with a token, for the baseline.
fn raw_client(
    runtime: &tokio::runtime::Runtime,
    sim: &ucs_sim::SimHandle,
) -> (reqwest::Client, String) {
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let (user, password) = sim.admin();
        let answer: serde_json::Value = http
            .post(format!("{}/token", sim.kelvin_url()))
            .form(&[("username", user.as_str()), ("password", password.as_str())])
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token JSON");
        let token = answer["access_token"]
            .as_str()
            .expect("access_token")
            .to_string();
        (http, token)
    })
}

async fn raw_get(http: &reqwest::Client, token: &str, url: &str) -> usize {
    let response = http.get(url).bearer_auth(token).send().await.expect("GET");
    assert!(response.status().is_success());
    response.bytes().await.expect("body").len()
}

fn kelvin(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (sim, kelvin) = setup(&runtime);
    let (http, token) = raw_client(&runtime, &sim);
    let user_url = format!("{}/v1/users/bench00042", sim.kelvin_url());
    let search_url = format!("{}/v1/users/?school=DEMOSCHOOL2", sim.kelvin_url());

    let mut group = c.benchmark_group("kelvin");
    group.throughput(Throughput::Elements(1));
    group.bench_function("get user (facade)", |b| {
        b.to_async(&runtime).iter(|| async {
            let user = kelvin.users().get("bench00042").await.expect("get");
            assert_eq!(user.name, "bench00042");
        })
    });
    group.bench_function("get user (bare HTTP)", |b| {
        b.to_async(&runtime)
            .iter(|| async { raw_get(&http, &token, &user_url).await })
    });
    group.sample_size(10);
    group.throughput(Throughput::Elements(5_000));
    group.bench_function("search 5000 users (facade)", |b| {
        b.to_async(&runtime).iter(|| async {
            let users = kelvin
                .users()
                .search(&UserFilter::new().school("DEMOSCHOOL2"))
                .await
                .expect("search");
            assert_eq!(users.len(), 5_000);
        })
    });
    group.bench_function("search 5000 users (bare HTTP)", |b| {
        b.to_async(&runtime)
            .iter(|| async { raw_get(&http, &token, &search_url).await })
    });
    group.finish();
}

criterion_group!(benches, kelvin);
criterion_main!(benches);
