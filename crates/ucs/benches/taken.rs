//! Filling 40 new users' names and addresses against 440 existing Kelvin
//! users of an in-process `ucs-sim`: one Kelvin search per candidate value
//! (`NewUser::fill_missing` with a `TakenSet` in front of `KelvinTaken`)
//! against one search for the batch (`NewUser::fill_missing_many`, which
//! preloads every user into a `PreloadedTaken`).
//!
//! Half of the new users share a surname with each other and with existing
//! users, so that candidates collide and suffixes are probed.
//!
//! `cargo bench -p ucs --bench taken`

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ucs::forms::{TakenSet, UserValues};
use ucs::kelvin::{BulkOptions, Kelvin, KelvinTaken, NewUser, UserFilter};

const EXISTING: usize = 440;
const NEW: usize = 40;

fn setup(runtime: &tokio::runtime::Runtime) -> (ucs_sim::SimHandle, Kelvin) {
    runtime.block_on(async {
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
        let seeded = kelvin
            .users()
            .search(&UserFilter::new())
            .await
            .expect("search")
            .len();
        let users = (0..EXISTING.saturating_sub(seeded)).map(|i| {
            let lastname = if i % 4 == 0 {
                "Müller".to_string()
            } else {
                format!("Existing{i}")
            };
            NewUser::student("Bench", lastname)
                .name(if i % 4 == 0 {
                    format!("mueller{}", i / 4 + 2)
                } else {
                    format!("existing{i:04}")
                })
                .school("DEMOSCHOOL")
                .class("Democlass")
                .record_uid(format!("e{i}"))
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
        let total = kelvin
            .users()
            .search(&UserFilter::new())
            .await
            .expect("search")
            .len();
        assert_eq!(total, EXISTING);
        (sim, kelvin)
    })
}

fn new_users() -> Vec<NewUser> {
    (0..NEW)
        .map(|i| {
            let lastname = if i % 2 == 0 {
                "Müller".to_string()
            } else {
                format!("Neu{i}")
            };
            NewUser::student("Jürgen", lastname)
                .school("DEMOSCHOOL")
                .record_uid(format!("n{i}"))
        })
        .collect()
}

fn values(kelvin: &Kelvin) -> UserValues {
    let batch = TakenSet::with_backend(Arc::new(KelvinTaken::new(kelvin.clone())));
    UserValues::kelvin(batch).mail_domain("example.com")
}

fn taken(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (_sim, kelvin) = setup(&runtime);

    let mut group = c.benchmark_group("taken");
    group.sample_size(10);
    group.throughput(Throughput::Elements(NEW as u64));
    group.bench_function("40 against 440: one search per candidate", |b| {
        b.to_async(&runtime).iter_batched(
            || (new_users(), values(&kelvin)),
            |(users, values)| async move {
                for user in users {
                    let user = user.fill_missing(&values).await.expect("filled");
                    std::hint::black_box(user);
                }
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("40 against 440: one preloaded search", |b| {
        b.to_async(&runtime).iter_batched(
            || (new_users(), values(&kelvin)),
            |(users, values)| async move {
                let filled = NewUser::fill_missing_many(users, &values, |_| {})
                    .await
                    .expect("preload");
                assert!(filled.iter().all(Result::is_ok));
                std::hint::black_box(filled);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, taken);
criterion_main!(benches);
