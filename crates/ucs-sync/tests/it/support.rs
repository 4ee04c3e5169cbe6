//! Shared test helpers: an in-process `ucs-sim`, a Kelvin session, generated rosters.

use std::time::Duration;

use chrono::NaiveDate;
use ucs::kelvin::Kelvin;
use ucs::RetryPolicy;
use ucs_sim::{Sim, SimHandle};
use ucs_sync::directory::{DirUser, Directory};
use ucs_sync::{SyncConfig, PURGE};

/// The emulator, mapping the purge timestamp as a Kelvin server configured for syncs does
/// (`mapped_udm_properties.json` lists `ucsschoolPurgeTimestamp`).
pub async fn sim() -> SimHandle {
    let mut mapped: Vec<String> = ucs_sim::DEFAULT_MAPPED_UDM_PROPERTIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    mapped.push(PURGE.to_string());
    Sim::builder()
        .mapped_udm_properties(mapped)
        .spawn()
        .await
        .expect("emulator starts")
}

pub fn kelvin(sim: &SimHandle) -> Kelvin {
    let (user, password) = sim.admin();
    kelvin_at(sim.base_url(), &user, &password)
}

pub fn kelvin_at(url: &str, user: &str, password: &str) -> Kelvin {
    Kelvin::builder(url)
        .credentials(user, password)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(50)),
        )
        .timeout(Duration::from_secs(120))
        .build()
        .expect("session")
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// An importer configuration as a school would write it (`user_import.json`).
pub const IMPORT_JSON: &str = r#"{
    "source_uid": "sis",
    "csv": {"mapping": {
        "ID": "record_uid", "Vorname": "firstname", "Nachname": "lastname", "Schule": "school",
        "Klassen": "school_classes", "Rolle": "__role", "Geburtstag": "birthday"
    }},
    "scheme": {
        "username": {"default": "<:umlauts><firstname>[0].<lastname>[COUNTER2]"},
        "email": "<firstname>.<lastname>[COUNTER2]@<maildomain>"
    },
    "maildomain": "example.com",
    "deletion_grace_period": {"deactivation": 0, "deletion": 30},
    "tolerate_errors": -1
}"#;

pub fn config() -> SyncConfig {
    SyncConfig::from_import_json(&[IMPORT_JSON]).expect("configuration")
}

const FIRST: [&str; 8] = [
    "Jürgen", "Anna", "Özlem", "Max", "Lena", "Björn", "Sofie", "Paul",
];
const LAST: [&str; 6] = ["Müller", "Schmidt", "Weiß", "Öztürk", "Meyer", "Schäfer"];

/// One roster row.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: String,
    pub first: String,
    pub last: String,
    pub school: String,
    pub classes: String,
    pub role: String,
    pub birthday: String,
}

/// `n` people of `school`, students in classes 1a..5c, every tenth a teacher.
pub fn people(n: usize, school: &str, prefix: &str) -> Vec<Person> {
    (0..n)
        .map(|i| {
            let teacher = i % 10 == 9;
            Person {
                id: format!("{prefix}{i:05}"),
                first: FIRST[i % FIRST.len()].to_string(),
                last: LAST[(i / FIRST.len()) % LAST.len()].to_string(),
                school: school.to_string(),
                classes: format!("{}{}", 1 + i % 5, ["a", "b", "c"][i % 3]),
                role: if teacher { "teacher" } else { "student" }.to_string(),
                birthday: format!("{:02}.{:02}.{}", 1 + i % 28, 1 + i % 12, 2010 + i % 5),
            }
        })
        .collect()
}

/// The CSV of `people`, `;`-separated as spreadsheet exports are.
pub fn csv(people: &[Person]) -> Vec<u8> {
    let mut out = String::from("ID;Vorname;Nachname;Schule;Klassen;Rolle;Geburtstag\n");
    for p in people {
        out.push_str(&format!(
            "{};{};{};{};\"{}\";{};{}\n",
            p.id, p.first, p.last, p.school, p.classes, p.role, p.birthday
        ));
    }
    out.into_bytes()
}

/// The users of the source `sis`, keyed by record_uid, sorted.
pub async fn state(kelvin: &Kelvin) -> Vec<DirUser> {
    state_of(kelvin, "sis").await
}

/// The users of a source, sorted by record_uid.
pub async fn state_of(kelvin: &Kelvin, source: &str) -> Vec<DirUser> {
    let directory = Directory::fetch(kelvin).await.expect("directory");
    let mut users: Vec<DirUser> = directory.users_of(source).cloned().collect();
    users.sort_by(|a, b| a.record_uid.cmp(&b.record_uid));
    users
}
