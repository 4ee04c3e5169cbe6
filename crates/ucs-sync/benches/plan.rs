//! Planning a 50,000-row roster against a directory of 50,000 users of the source:
//! 45,000 unchanged, 2,500 changed (last name), 2,500 missing from the roster
//! (deactivated), 2,500 new rows (created with generated names). Measures reading the
//! CSV plus planning (the directory snapshot is built before), and prints the peak heap
//! of one such run (counting allocator).
//!
//! `cargo bench -p ucs-sync --bench plan`

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, criterion_main, Criterion};
use ucs_sync::directory::{DirUser, Directory};
use ucs_sync::{FixedClock, Planner, Roster, SyncConfig};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const USERS: usize = 50_000;
const FIRST: [&str; 10] = [
    "Jürgen", "Anna", "Özlem", "Max", "Lena", "Björn", "Sofie", "Paul", "Emil", "Mia",
];
const LAST: [&str; 12] = [
    "Müller",
    "Schmidt",
    "Weiß",
    "Öztürk",
    "Meyer",
    "Schäfer",
    "Koch",
    "Bauer",
    "Wolf",
    "Neumann",
    "Braun",
    "Zimmermann",
];

fn person(i: usize) -> (String, String, String) {
    let first = FIRST[i % FIRST.len()];
    let last = format!("{}{}", LAST[(i / FIRST.len()) % LAST.len()], i / 120);
    (
        first.to_string(),
        last,
        format!("{}{}", 1 + i % 9, ["a", "b", "c", "d"][i % 4]),
    )
}

fn directory() -> Directory {
    let users = (0..USERS).map(|i| {
        let (first, last, class) = person(i);
        DirUser {
            name: format!("u{i:06}"),
            firstname: first,
            lastname: last,
            school: "DEMOSCHOOL".into(),
            schools: vec!["DEMOSCHOOL".into()],
            roles: vec!["student".into()],
            school_classes: BTreeMap::from([("DEMOSCHOOL".to_string(), vec![class])]),
            workgroups: BTreeMap::new(),
            email: Some(format!("u{i:06}@example.com")),
            birthday: None,
            expiration_date: None,
            disabled: false,
            record_uid: Some(format!("r{i:06}")),
            source_uid: Some("sis".into()),
            udm_properties: BTreeMap::from([(
                "ucsschoolPurgeTimestamp".to_string(),
                serde_json::Value::Null,
            )]),
        }
    });
    Directory::new(users.collect(), ["DEMOSCHOOL".to_string()])
}

/// Rows 0..47,500 of the directory (2,500 with a new last name) and 2,500 new ones.
fn roster_csv() -> Vec<u8> {
    let mut out = String::from("ID;Vorname;Nachname;Klassen\n");
    for i in (0..USERS - 2_500).chain(USERS..USERS + 2_500) {
        let (first, mut last, class) = person(i);
        if i % 19 == 0 && i < USERS {
            last.push_str("-Neu");
        }
        out.push_str(&format!("r{i:06};{first};{last};{class}\n"));
    }
    out.into_bytes()
}

fn config() -> SyncConfig {
    let json = r#"{"source_uid": "sis", "school": "DEMOSCHOOL", "user_role": "student",
        "csv": {"mapping": {"ID": "record_uid", "Vorname": "firstname", "Nachname": "lastname", "Klassen": "school_classes"}},
        "scheme": {"username": {"default": "<:umlauts><firstname>[0].<lastname>[COUNTER2]"},
                   "email": "<firstname>.<lastname>[COUNTER2]@<maildomain>"},
        "maildomain": "example.com", "tolerate_errors": -1,
        "deletion_grace_period": {"deactivation": 0, "deletion": 30}}"#;
    SyncConfig::from_import_json(&[json]).expect("configuration")
}

fn plan_once(
    rt: &tokio::runtime::Runtime,
    directory: &Directory,
    csv: &[u8],
    planner: &Planner,
) -> ucs_sync::Plan {
    let roster = Roster::from_csv(csv, &planner.config().csv).expect("roster");
    rt.block_on(planner.plan_against(&roster, directory))
        .expect("plan")
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let before = CURRENT.load(Ordering::Relaxed);
    let directory = directory();
    let snapshot = CURRENT.load(Ordering::Relaxed) - before;
    let csv = roster_csv();
    let planner = Planner::offline(config()).clock(FixedClock::on(
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
    ));

    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let plan = plan_once(&rt, &directory, &csv, &planner);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let counts = plan.counts();
    eprintln!(
        "plan: {counts:?}, rejected {}: {:?}",
        plan.rejected.len(),
        plan.rejected.first()
    );
    eprintln!("heap: directory snapshot {:.1} MiB; peak while reading the CSV and planning {:.1} MiB above it", mib(snapshot), mib(peak));
    assert_eq!(
        plan.pending().count(),
        7_500,
        "2,500 each of create, modify, deactivate"
    );
    drop(plan);

    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    group.bench_function("50k rows against 50k users (CSV + plan)", |b| {
        b.iter(|| plan_once(&rt, &directory, &csv, &planner))
    });
    group.finish();
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

criterion_group!(benches, bench);
criterion_main!(benches);
