//! How long the surface and the drift of the vendored documents take
//! (the UDM document: 814 operations, 1,033 schemas, 3.3 MB).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

fn load(spec: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs")
        .join(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn benches(c: &mut Criterion) {
    let udm = load("udm/openapi.json");
    let kelvin_old = load("kelvin/history/3.3.1/openapi.json");
    let kelvin_new = load("kelvin/openapi.json");

    let mut group = c.benchmark_group("openapi-surface");
    group.sample_size(10);
    group.bench_function("surface udm", |b| b.iter(|| openapi_surface::surface(&udm)));
    group.bench_function("diff udm udm", |b| {
        b.iter(|| openapi_surface::diff(&udm, &udm))
    });
    group.bench_function("diff kelvin 3.3.1 4.0.0", |b| {
        b.iter(|| openapi_surface::diff(&kelvin_old, &kelvin_new))
    });
    group.finish();
}

criterion_group!(surface, benches);
criterion_main!(surface);
