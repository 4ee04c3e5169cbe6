//! Streaming a 100,000-object UDM search from an in-process `ucs-sim`:
//! throughput (criterion) and the client's peak memory (a counting
//! allocator; printed once before the timed runs).
//!
//! The emulator runs on its own runtime thread; the allocator counts only
//! what the client's thread allocates and frees, so the figure is the
//! client's peak, not the emulator's.
//!
//! `cargo bench -p ucs --bench udm_search`

mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::StreamExt;
use ucs::udm::Udm;

const OBJECTS: usize = 100_000;
const PAGE: u64 = 1_000;

/// A module without uniqueness checks, so the emulator can be filled quickly.
const MODULE: &str = "settings/data";

fn setup(server: &tokio::runtime::Runtime) -> (ucs_sim::SimHandle, Udm) {
    server.block_on(async {
        let sim = ucs_sim::Sim::builder().empty(true).request_log_limit(1_000).spawn().await.expect("emulator");
        let store = sim.store();
        for i in 0..OBJECTS {
            store
                .insert(MODULE, None, serde_json::json!({"name": format!("bench-{i:06}"), "data_type": "text", "data": "x".repeat(64)}))
                .expect("insert");
        }
        let (user, password) = sim.admin();
        let udm = Udm::builder(sim.udm_url()).credentials(user, password).build().expect("client");
        (sim, udm)
    })
}

async fn stream_all(udm: &Udm) -> usize {
    let module = udm.module(MODULE).expect("module");
    let mut stream = module.search().page_size(PAGE).stream();
    let mut count = 0;
    while let Some(object) = stream.next().await {
        let object = object.expect("object");
        std::hint::black_box(object.get_str("name"));
        count += 1;
    }
    count
}

fn udm_search(c: &mut Criterion) {
    // the emulator on its own thread, the client on this one
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let (_sim, udm) = setup(&server);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");

    let started = std::time::Instant::now();
    let (count, peak) = support::peak_while(|| runtime.block_on(stream_all(&udm)));
    let elapsed = started.elapsed();
    assert_eq!(count, OBJECTS);
    println!(
        "udm_search: streamed {count} objects in {:.2} s ({:.0} objects/s); client peak heap {:.2} MiB",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        peak as f64 / (1024.0 * 1024.0),
    );

    let mut group = c.benchmark_group("udm");
    group.sample_size(10);
    group.throughput(Throughput::Elements(OBJECTS as u64));
    group.bench_function("stream 100000 objects", |b| {
        b.to_async(&runtime).iter(|| async {
            assert_eq!(stream_all(&udm).await, OBJECTS);
        })
    });
    group.finish();
}

criterion_group!(benches, udm_search);
criterion_main!(benches);
