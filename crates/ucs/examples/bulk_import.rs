//! Bulk import: 200 students from an in-memory roster, with generated user
//! names, e-mail addresses and passwords, a pre-flight check, stop rules and
//! per-item progress, then a summary; at the end the imported students (and
//! the classes the import made) are deleted again.
//!
//! What it shows:
//!
//! * the names and addresses in use loaded in **one** search for the whole
//!   batch (`KelvinTaken::preloaded`, a `PreloadedTaken`) instead of one
//!   search per candidate name;
//! * `NewUser::fill_missing_many`: a user name by a naming policy (first
//!   initial and last name, `jmueller`, `jmueller2`, ...), an address, an
//!   initial password, for every row that has none (passwords are never
//!   printed);
//! * `kelvin.users().bulk()`: bounded concurrency, a pre-flight check (rows
//!   naming a school that does not exist are not sent; classes that do not
//!   exist yet are reported, the server creates them), stop rules (after 20
//!   failures, or when the first 5 errors are the same), a callback per item;
//! * the report: every result carries its row's identity (`#index`, name,
//!   `record_uid`, `source_uid`).
//!
//! Three rows of the roster are broken on purpose: two name a school that
//! does not exist, one repeats another row's `record_uid` (the server answers
//! 409 for the second user with the same `source_uid` and `record_uid`).
//!
//! Runs against an embedded `ucs-sim` by default:
//!
//! ```text
//! cargo run -p ucs --example bulk_import
//! ```
//!
//! or against a real server (`Kelvin::from_env`; it imports into
//! `EXAMPLE_SCHOOL`, default the first school, with addresses in
//! `EXAMPLE_MAIL_DOMAIN` if set, and deletes what it imported at the end):
//!
//! ```text
//! UCS_HOST=https://ucs.example.com UCS_USER=Administrator UCS_PASSWORD=... \
//! UCS_CA_FILE=/path/to/ucs-root-ca.pem EXAMPLE_SCHOOL=DEMOSCHOOL \
//! EXAMPLE_MAIL_DOMAIN=school.example.org cargo run -p ucs --example bulk_import
//! ```

use std::collections::BTreeSet;
use std::sync::Arc;

use futures::StreamExt;
use ucs::forms::{NamePolicy, UserValues};
use ucs::kelvin::{
    BulkReport, ItemOutcome, Kelvin, KelvinTaken, Missing, NewUser, NotSent, Preflight, User,
};

/// The source system of the imported students (their `source_uid`).
pub const SOURCE: &str = "roster-example";

const FIRST_NAMES: [&str; 20] = [
    "Jürgen", "Jana", "Jonas", "Lea", "Lukas", "Léon", "Mia", "Max", "Emma", "Elias", "Zoë",
    "Ömer", "Sophie", "Samuel", "Hannah", "Henri", "Ida", "Isaak", "Noah", "Nora",
];
const LAST_NAMES: [&str; 10] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weiß",
    "Öztürk",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
];
const CLASSES: [&str; 4] = ["1a", "1b", "2a", "2b"];

/// What the import did.
#[derive(Debug)]
pub struct Summary {
    /// The students created, as stored.
    pub created: Vec<User>,
    /// Rows the server refused: the row's identity and the error.
    pub failed: Vec<String>,
    /// Rows not sent (the pre-flight check found their school missing, or
    /// the run had stopped).
    pub not_sent: Vec<String>,
    /// Classes the server created on the way (`school`, `class`).
    pub new_classes: Vec<(String, String)>,
    /// How many times the names in use were loaded (one search each).
    pub loads: u64,
}

/// The roster as a source system would deliver it: names, class and the
/// student's id there (`record_uid`), but no user name, address or password.
pub fn roster(school: &str) -> Vec<NewUser> {
    let row = |i: usize, school: &str, record_uid: String| {
        NewUser::student(FIRST_NAMES[i % 20], LAST_NAMES[(i / 20) % 10])
            .school(school)
            .class(CLASSES[i % CLASSES.len()])
            .record_uid(record_uid)
            .source_uid(SOURCE)
    };
    let mut rows: Vec<NewUser> = (0..197)
        .map(|i| row(i, school, format!("sis-{}", 1000 + i)))
        .collect();
    // broken on purpose: a school that does not exist (twice), a repeated id
    rows.push(row(197, "NOSCHOOL", "sis-1197".into()));
    rows.push(row(198, "NOSCHOOL", "sis-1198".into()));
    rows.push(row(199, school, "sis-1000".into()));
    rows
}

/// The import, against any Kelvin server.
pub async fn run(kelvin: &Kelvin, school: &str, mail_domain: Option<&str>) -> ucs::Result<Summary> {
    let rows = roster(school);
    println!("roster: {} students for {school}", rows.len());

    // 1. The user names and addresses in use, in one search for the batch.
    let taken = Arc::new(KelvinTaken::new(kelvin.clone()).preloaded().await?);
    println!(
        "in use: {} user names, {} e-mail addresses (loaded in one search)",
        taken.set().len("uid"),
        taken.set().len("mail")
    );

    // 2. Fill in what the roster does not have: name, e-mail, password.
    let mut values = UserValues::kelvin(taken.clone()).uid_policy(NamePolicy::FirstInitialLastName);
    if let Some(domain) = mail_domain {
        values = values.mail_domain(domain);
    }
    let batch = fill(rows, &values).await?;

    // 3. Send them: 8 at a time, after a pre-flight check, with stop rules.
    let report = kelvin
        .users()
        .bulk()
        .concurrency(8)
        .preflight(Preflight::new())
        .stop_after(20)
        .stop_on_identical_errors(5)
        .on_item(|event| {
            if let ItemOutcome::Failed(error) = event.outcome {
                println!("  {} failed: {error}", event.id);
            }
            if event.done % 40 == 0 || event.done == event.total {
                println!(
                    "  done {:>3}/{} ({} failed)",
                    event.done, event.total, event.failed
                );
            }
        })
        .create(batch)
        .await?;

    // 4. What became of every row.
    let summary = summarize(&report, taken.loads());
    print_summary(&report, &summary);
    Ok(summary)
}

/// Fills every row's missing values; a row that cannot be filled is
/// reported and left out.
async fn fill(rows: Vec<NewUser>, values: &UserValues) -> ucs::Result<Vec<NewUser>> {
    let filled = NewUser::fill_missing_many(rows, values, |p| {
        if p.done % 50 == 0 || p.done == p.total {
            println!("  filled {:>3}/{} ({} failed)", p.done, p.total, p.failed);
        }
    })
    .await?;
    let mut batch = Vec::new();
    for (index, row) in filled.into_iter().enumerate() {
        match row {
            Ok(user) => batch.push(user),
            Err(e) => println!("  row #{index} not filled: {e}"),
        }
    }
    print_examples(&batch);
    Ok(batch)
}

fn summarize(report: &BulkReport, loads: u64) -> Summary {
    let new_classes = report
        .preflight
        .iter()
        .flat_map(|p| &p.to_be_created)
        .filter_map(|missing| match missing {
            Missing::Class { school, name } => Some((school.clone(), name.clone())),
            _ => None,
        })
        .collect();
    Summary {
        created: report.succeeded().map(|(_, user)| user.clone()).collect(),
        failed: report
            .failed()
            .map(|(id, e)| format!("{id}: {}", reason(e)))
            .collect(),
        not_sent: report
            .not_sent()
            .map(|(id, why)| format!("{id}: {}", describe(why)))
            .collect(),
        new_classes,
        loads,
    }
}

fn print_summary(report: &BulkReport, summary: &Summary) {
    if let Some(preflight) = &report.preflight {
        println!("pre-flight: {} lookups", preflight.lookups);
        for missing in &preflight.missing {
            println!("  missing: {missing}");
        }
        println!(
            "  created by the server on the way: {} classes",
            summary.new_classes.len()
        );
    }
    if let Some(reason) = &report.stopped {
        println!("the run stopped early: {reason:?}");
    }
    println!(
        "summary: {} created, {} failed, {} not sent; names in use loaded {} time(s)",
        summary.created.len(),
        summary.failed.len(),
        summary.not_sent.len(),
        summary.loads
    );
    for line in summary.failed.iter().chain(&summary.not_sent) {
        println!("  {line}");
    }
}

/// Shows the first rows with the names they got (never their passwords).
fn print_examples(batch: &[NewUser]) {
    println!("first rows, filled:");
    for user in batch.iter().take(4) {
        println!(
            "  {} {} -> {} <{}> password {}",
            user.firstname,
            user.lastname,
            user.name.as_deref().unwrap_or("?"),
            user.email.as_deref().unwrap_or("no address"),
            match &user.password {
                Some(secret) => secret.to_string(), // prints [REDACTED]
                None => "none".into(),
            }
        );
    }
}

/// The server's status and text (the whole error names the request too).
fn reason(error: &ucs::Error) -> String {
    match error.api_error() {
        Some(api) => format!("{} {}", api.status, api.detail),
        None => error.to_string(),
    }
}

fn describe(why: &NotSent) -> String {
    match why {
        NotSent::Missing(missing) => {
            let what: Vec<String> = missing.iter().map(ToString::to_string).collect();
            format!("not sent: {}", what.join(", "))
        }
        NotSent::Stopped => "not sent: the run had stopped".into(),
        other => format!("not sent: {other:?}"),
    }
}

/// Deletes what [`run`] imported: the students, then the classes the server
/// made for them.
pub async fn remove(kelvin: &Kelvin, summary: &Summary) -> ucs::Result<()> {
    let users = kelvin.users();
    let deleted: Vec<ucs::Result<()>> = futures::stream::iter(&summary.created)
        .map(|user| users.delete(&user.name))
        .buffer_unordered(8)
        .collect()
        .await;
    deleted.into_iter().collect::<ucs::Result<()>>()?;
    let classes: BTreeSet<&(String, String)> = summary.new_classes.iter().collect();
    for (school, class) in classes {
        kelvin.classes().delete(school, class).await?;
    }
    println!(
        "removed {} students and {} classes",
        summary.created.len(),
        summary.new_classes.len()
    );
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    // Keeps the embedded emulator alive while the import runs.
    let mut _sim = None;
    let (kelvin, school, domain) = match std::env::var("UCS_HOST") {
        Ok(_) => {
            let kelvin = Kelvin::from_env()?;
            let school = match std::env::var("EXAMPLE_SCHOOL") {
                Ok(school) => school,
                Err(_) => kelvin
                    .schools()
                    .search(None)
                    .await?
                    .first()
                    .map(|s| s.name.clone())
                    .ok_or("the server has no school")?,
            };
            (kelvin, school, std::env::var("EXAMPLE_MAIL_DOMAIN").ok())
        }
        Err(_) => {
            let sim = ucs_sim::Sim::builder().spawn().await?;
            println!("(using the embedded emulator at {})", sim.base_url());
            let (user, password) = sim.admin();
            let kelvin = Kelvin::builder(sim.base_url())
                .credentials(user, password)
                .build()?;
            _sim = Some(sim);
            (kelvin, "DEMOSCHOOL".to_string(), Some("example.com".into()))
        }
    };
    let summary = run(&kelvin, &school, domain.as_deref()).await?;
    remove(&kelvin, &summary).await?;
    Ok(())
}
