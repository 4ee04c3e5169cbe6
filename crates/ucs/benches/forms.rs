//! Generation of form values at batch-import scale: 100,000 users (uid, mail, cn,
//! displayname) with German names, many of them duplicates, against the in-memory
//! `TakenSet`.
//!
//! Run with `cargo bench -p ucs --bench forms`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use futures::executor::block_on;
use ucs::forms::{generate, FormGenerator, FormInput, TakenSet, UserType};

const GIVEN: [&str; 40] = [
    "Jürgen", "Jörg", "Günther", "Björn", "Sören", "Ülkü", "Käthe", "Hans", "Peter", "Klaus",
    "Wolfgang", "Michael", "Thomas", "Andreas", "Stefan", "Frank", "Uwe", "Bernd", "Dieter",
    "Matthias", "Anna", "Maria", "Ursula", "Monika", "Petra", "Sabine", "Renate", "Helga", "Karin",
    "Brigitte", "Jürgen", "Ingrid", "Erika", "Andrea", "Gabriele", "Susanne", "Birgit", "Christa",
    "Zoë", "Jan-Ole",
];

const FAMILY: [&str; 60] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Müller-Lüdenscheidt",
    "von der Heydt",
];

const USERS: usize = 100_000;
const WANTED: [&str; 4] = ["uid", "mail", "cn", "displayname"];

/// 100,000 inputs drawn deterministically from 40 x 60 names: every surname about 1,700
/// times (uids `mueller` ... `mueller1700`), every full name about 40 times.
fn inputs() -> Vec<FormInput> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    (0..USERS)
        .map(|_| {
            FormInput::new()
                .with("givenname", GIVEN[next(GIVEN.len())])
                .with("sn", FAMILY[next(FAMILY.len())])
                .with("preferredlanguage", "de_DE")
                .with("domain", "schule.example.org")
        })
        .collect()
}

fn batch(c: &mut Criterion) {
    let inputs = inputs();
    let kolab = UserType::kolab();
    let generator = FormGenerator::new(&kolab).expect("the built-in type is valid");
    let mut group = c.benchmark_group("generate_100k_users");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(12));
    group.bench_function("form_generator", |b| {
        b.iter(|| {
            let taken = TakenSet::new();
            block_on(async {
                for input in &inputs {
                    let values = generator
                        .generate(&WANTED, input, &taken)
                        .await
                        .expect("generation succeeds");
                    black_box(values);
                }
            });
            assert_eq!(taken.len("uid"), USERS);
        })
    });
    group.bench_function("generate_fn_parsing_each_time", |b| {
        b.iter(|| {
            let taken = TakenSet::new();
            block_on(async {
                for input in &inputs {
                    let values = generate(&kolab, &WANTED, input, &taken)
                        .await
                        .expect("generation succeeds");
                    black_box(values);
                }
            });
            assert_eq!(taken.len("mail"), USERS);
        })
    });
    group.finish();
}

fn single(c: &mut Criterion) {
    let kolab = UserType::kolab();
    let generator = FormGenerator::new(&kolab).expect("the built-in type is valid");
    let input = FormInput::new()
        .with("givenname", "Jürgen")
        .with("sn", "Müller-Lüdenscheidt")
        .with("preferredlanguage", "de_DE")
        .with("domain", "schule.example.org");
    c.bench_function("generate_one_user_all_attributes", |b| {
        let wanted = [
            "cn",
            "displayname",
            "uid",
            "mail",
            "mailalternateaddress",
            "userpassword",
        ];
        b.iter(|| {
            let taken = TakenSet::new();
            black_box(block_on(generator.generate(&wanted, &input, &taken)).expect("generates"))
        })
    });
}

criterion_group!(benches, batch, single);
criterion_main!(benches);
