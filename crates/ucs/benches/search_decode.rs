//! What a search costs the client, next to a bare `serde_json` decode of the
//! same bytes.
//!
//! The answers are real: 1,000 school users created in an in-process
//! `ucs-sim`, read once as the Kelvin user search answer and as the UDM
//! `users/user` search page. A small local server then answers every request
//! with those bytes at once (no directory work), so the facade's time is the
//! client's: request, transfer over loopback, decoding into `User`s and
//! `Object`s. Measured side by side:
//!
//! * `serde_json::from_slice::<Vec<Value>>` of the Kelvin answer (for UDM,
//!   `from_slice::<Value>` of the page, which is an object);
//! * a bare `reqwest` GET of the same bytes (body read, not decoded) from the
//!   same server, plus the bare decode;
//! * the facade's search (`Users::search`, `Search::all`).
//!
//! Before the timed runs it prints the medians and the ratios facade / bare
//! decode. `cargo bench -p ucs --bench search_decode`

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use ucs::kelvin::{BulkOptions, Kelvin, NewUser, UserFilter};
use ucs::udm::Udm;

const USERS: usize = 1_000;

/// The two answers, as the emulator sent them.
struct Answers {
    kelvin: Vec<u8>,
    udm: Vec<u8>,
}

fn new_users() -> impl Iterator<Item = NewUser> {
    (0..USERS).map(|i| {
        NewUser::student("Bench", format!("Müller{i}"))
            .name(format!("bench{i:05}"))
            .email(format!("bench{i:05}@example.com"))
            .birthday(chrono::NaiveDate::from_ymd_opt(2010, 1, 1 + (i % 28) as u32).expect("date"))
            .school("DEMOSCHOOL2")
            .class("b1")
            .record_uid(format!("b{i}"))
            .source_uid("bench")
            .udm_property("title", "Dr.")
    })
}

async fn read_answers() -> Answers {
    let sim = ucs_sim::Sim::builder().spawn().await.expect("emulator");
    let (user, password) = sim.admin();
    let kelvin = Kelvin::builder(sim.base_url())
        .credentials(&user, &password)
        .build()
        .expect("session");
    let results = kelvin
        .users()
        .create_many(new_users(), &BulkOptions::new().concurrency(16))
        .await;
    assert!(
        results.iter().all(Result::is_ok),
        "setup: every user created"
    );
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/token", sim.kelvin_url()))
        .form(&[("username", user.as_str()), ("password", password.as_str())])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token JSON");
    let token = token["access_token"].as_str().expect("access_token");
    let kelvin = http
        .get(format!("{}/v1/users/?school=DEMOSCHOOL2", sim.kelvin_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("Kelvin search");
    assert!(kelvin.status().is_success());
    let kelvin = kelvin.bytes().await.expect("Kelvin body").to_vec();
    let udm = http
        .get(format!(
            "{}/users/user/?filter=(ucsschoolSourceUID=bench)",
            sim.udm_url()
        ))
        .basic_auth(&user, Some(&password))
        .header("Accept", "application/json")
        .send()
        .await
        .expect("UDM search");
    assert!(udm.status().is_success());
    let udm = udm.bytes().await.expect("UDM body").to_vec();
    Answers { kelvin, udm }
}

/// Reads one request (head and body) from a keep-alive connection; `None`
/// when the client closed it.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    buffer.drain(..head_end + length);
    Some(head)
}

/// Answers the Kelvin login with a token and every other request with the
/// Kelvin or UDM answer, by path.
async fn serve(listener: TcpListener, answers: Arc<Answers>) {
    const TOKEN: &[u8] =
        br#"{"access_token":"bench-token","token_type":"bearer","expires_in":86400}"#;
    while let Ok((mut stream, _)) = listener.accept().await {
        let answers = answers.clone();
        tokio::spawn(async move {
            let mut buffer = Vec::new();
            while let Some(head) = read_request(&mut stream, &mut buffer).await {
                let path = head.split(' ').nth(1).unwrap_or("");
                let body: &[u8] = if path.ends_with("/token") {
                    TOKEN
                } else if path.starts_with("/ucsschool/kelvin/") {
                    &answers.kelvin
                } else {
                    &answers.udm
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(body).await.is_err()
                {
                    return;
                }
            }
        });
    }
}

/// The clients of the benchmark, all pointed at the local answering server.
struct Clients {
    kelvin: Kelvin,
    udm: Udm,
    http: reqwest::Client,
    kelvin_url: String,
    udm_url: String,
    answers: Arc<Answers>,
}

fn setup(server: &tokio::runtime::Runtime) -> Clients {
    let answers = Arc::new(server.block_on(read_answers()));
    let listener = server
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    server.spawn(serve(listener, answers.clone()));
    Clients {
        kelvin: Kelvin::builder(&base)
            .credentials("bench", "bench")
            .build()
            .expect("Kelvin session"),
        udm: Udm::builder(format!("{base}/univention/udm"))
            .credentials("bench", "bench")
            .build()
            .expect("UDM client"),
        http: reqwest::Client::new(),
        kelvin_url: format!("{base}/ucsschool/kelvin/v1/users/?school=DEMOSCHOOL2"),
        udm_url: format!("{base}/univention/udm/users/user/"),
        answers,
    }
}

async fn kelvin_search(clients: &Clients) -> usize {
    let users = clients
        .kelvin
        .users()
        .search(&UserFilter::new().school("DEMOSCHOOL2"))
        .await
        .expect("search");
    std::hint::black_box(&users);
    users.len()
}

async fn udm_search(clients: &Clients) -> usize {
    let objects = clients
        .udm
        .users()
        .search()
        .unpaged()
        .all()
        .await
        .expect("search");
    std::hint::black_box(&objects);
    objects.len()
}

async fn bare_get(clients: &Clients, url: &str) -> bytes::Bytes {
    let response = clients.http.get(url).send().await.expect("GET");
    assert!(response.status().is_success());
    response.bytes().await.expect("body")
}

fn values(bytes: &[u8]) -> usize {
    let values: Vec<Value> = serde_json::from_slice(bytes).expect("JSON array");
    values.len()
}

fn value(bytes: &[u8]) -> usize {
    let value: Value = serde_json::from_slice(bytes).expect("JSON");
    usize::from(!value.is_null())
}

/// The medians of `runs` runs of `bare` and of `facade`, run alternately so
/// that a change in the machine's load affects both alike.
fn medians(runs: usize, mut bare: impl FnMut(), mut facade: impl FnMut()) -> (Duration, Duration) {
    let time = |f: &mut dyn FnMut()| {
        let started = Instant::now();
        f();
        started.elapsed()
    };
    let mut bare_times = Vec::with_capacity(runs);
    let mut facade_times = Vec::with_capacity(runs);
    for _ in 0..runs {
        bare_times.push(time(&mut bare));
        facade_times.push(time(&mut facade));
    }
    bare_times.sort();
    facade_times.sort();
    (bare_times[runs / 2], facade_times[runs / 2])
}

/// Prints the medians and ratios once (criterion reports each case alone).
fn print_ratios(runtime: &tokio::runtime::Runtime, clients: &Clients) {
    let answers = &clients.answers;
    let (kelvin_bare, kelvin_facade) = medians(
        41,
        || assert_eq!(values(&answers.kelvin), USERS),
        || assert_eq!(runtime.block_on(kelvin_search(clients)), USERS),
    );
    let (udm_bare, udm_facade) = medians(
        41,
        || assert_eq!(value(&answers.udm), 1),
        || assert_eq!(runtime.block_on(udm_search(clients)), USERS),
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (api, bytes, bare, facade) in [
        ("Kelvin", answers.kelvin.len(), kelvin_bare, kelvin_facade),
        ("UDM", answers.udm.len(), udm_bare, udm_facade),
    ] {
        println!(
            "search_decode: {api}, {USERS} users, {bytes} bytes: bare decode {:.2} ms, facade search {:.2} ms, ratio {:.2}",
            ms(bare),
            ms(facade),
            ms(facade) / ms(bare)
        );
    }
}

fn search_decode(c: &mut Criterion) {
    // the answering server on its own thread, the client on this one
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let clients = setup(&server);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    print_ratios(&runtime, &clients);

    let mut group = c.benchmark_group("search_decode");
    group.throughput(Throughput::Elements(USERS as u64));
    let answers = clients.answers.clone();
    group.bench_function("kelvin: bare serde_json Vec<Value>", |b| {
        b.iter(|| assert_eq!(values(&answers.kelvin), USERS))
    });
    group.bench_function("kelvin: bare GET + Vec<Value>", |b| {
        b.to_async(&runtime).iter(|| async {
            let body = bare_get(&clients, &clients.kelvin_url).await;
            assert_eq!(values(&body), USERS)
        })
    });
    group.bench_function("kelvin: facade search", |b| {
        b.to_async(&runtime)
            .iter(|| async { assert_eq!(kelvin_search(&clients).await, USERS) })
    });
    group.bench_function("udm: bare serde_json Value", |b| {
        b.iter(|| assert_eq!(value(&answers.udm), 1))
    });
    group.bench_function("udm: bare GET + Value", |b| {
        b.to_async(&runtime).iter(|| async {
            let body = bare_get(&clients, &clients.udm_url).await;
            assert_eq!(value(&body), 1)
        })
    });
    group.bench_function("udm: facade search", |b| {
        b.to_async(&runtime)
            .iter(|| async { assert_eq!(udm_search(&clients).await, USERS) })
    });
    group.finish();
}

criterion_group!(benches, search_decode);
criterion_main!(benches);
