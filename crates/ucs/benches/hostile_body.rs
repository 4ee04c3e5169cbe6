//! A hostile server answers a UDM GET with 100 MB (and another with an endless
//! body): how much memory the client holds at its peak (a counting allocator,
//! client thread only; printed before the timed runs) and how long the
//! refused call takes (criterion). The bound is the builder's `max_body`:
//! 1 MiB here, the 64 MiB default in the second figure.
//!
//! `cargo bench -p ucs --bench hostile_body`

mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ucs::udm::{Dn, Udm};

/// A server on its own thread that answers every request with a 100 MB body
/// (`endless`: without a length, until the client hangs up).
fn hostile_server(endless: bool) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    let head = if endless {
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_string()
                    } else {
                        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", 100 << 20)
                    };
                    let _ = stream.write_all(head.as_bytes()).await;
                    let chunk = vec![b' '; 64 * 1024];
                    for _ in 0..(if endless { usize::MAX } else { 1600 }) {
                        if stream.write_all(&chunk).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
    });
    let addr = rx.recv().expect("server address");
    format!("http://{addr}/univention/udm")
}

fn client(url: &str, max_body: Option<usize>) -> Udm {
    let mut builder = Udm::builder(url).credentials("admin", "x");
    if let Some(limit) = max_body {
        builder = builder.max_body(limit);
    }
    builder.build().expect("client")
}

async fn refused_get(udm: &Udm) {
    let dn: Dn = "uid=a,dc=example,dc=com".parse().expect("dn");
    match udm.users().get(&dn).await {
        Err(ucs::Error::TooLarge { .. }) => {}
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

fn peak_of(runtime: &tokio::runtime::Runtime, udm: &Udm) -> f64 {
    let ((), peak) = support::peak_while(|| runtime.block_on(refused_get(udm)));
    peak as f64 / (1 << 20) as f64
}

fn hostile_body(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sized = hostile_server(false);
    let endless = hostile_server(true);
    let small = client(&sized, Some(1 << 20));
    let small_endless = client(&endless, Some(1 << 20));
    let default = client(&sized, None);
    eprintln!(
        "client peak heap: 100 MB answer, 1 MiB limit: {:.2} MiB; endless answer, 1 MiB limit: {:.2} MiB; 100 MB answer, default 64 MiB limit: {:.2} MiB",
        peak_of(&runtime, &small),
        peak_of(&runtime, &small_endless),
        peak_of(&runtime, &default),
    );
    let mut group = c.benchmark_group("hostile_body");
    group.sample_size(10);
    group.bench_function("100MB answer, 1 MiB limit", |b| {
        b.iter(|| runtime.block_on(refused_get(&small)))
    });
    group.bench_function("endless answer, 1 MiB limit", |b| {
        b.iter(|| runtime.block_on(refused_get(&small_endless)))
    });
    group.finish();
}

criterion_group!(benches, hostile_body);
criterion_main!(benches);
