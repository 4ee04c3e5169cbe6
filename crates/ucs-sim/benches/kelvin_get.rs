//! Kelvin GET throughput against an in-process simulator over real HTTP (loopback).
//!
//! Target: 1,000 GETs per second on a 2-core machine. `cargo bench -p ucs-sim --bench
//! kelvin_get` reports the throughput in elements (GETs) per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::future::join_all;
use std::time::Duration;
use ucs_sim::Sim;

struct Setup {
    client: reqwest::Client,
    token: String,
    user_url: String,
    search_url: String,
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
        user_url: format!("{}/v1/users/demo_student", sim.kelvin_url()),
        search_url: format!("{}/v1/users/?school=DEMOSCHOOL", sim.kelvin_url()),
    };
    (sim, setup)
}

async fn get(setup: &Setup, url: &str) {
    let response = setup
        .client
        .get(url)
        .bearer_auth(&setup.token)
        .send()
        .await
        .expect("GET reaches the simulator");
    assert!(response.status().is_success());
    response.bytes().await.expect("body");
}

fn kelvin_get(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (_sim, setup) = runtime.block_on(setup());

    let mut group = c.benchmark_group("kelvin_get");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(5));

    group.throughput(Throughput::Elements(1));
    group.bench_function("user_sequential", |b| {
        b.to_async(&runtime).iter(|| get(&setup, &setup.user_url))
    });

    const PARALLEL: u64 = 8;
    group.throughput(Throughput::Elements(PARALLEL));
    group.bench_function("user_8_concurrent", |b| {
        b.to_async(&runtime)
            .iter(|| join_all((0..PARALLEL).map(|_| get(&setup, &setup.user_url))))
    });

    group.throughput(Throughput::Elements(1));
    group.bench_function("search_school_sequential", |b| {
        b.to_async(&runtime).iter(|| get(&setup, &setup.search_url))
    });
    group.finish();
}

criterion_group!(benches, kelvin_get);
criterion_main!(benches);
