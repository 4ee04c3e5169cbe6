//! Error handling: every failure is one `ucs::Error`, and its variant says
//! what to do about it. [`handle`] is the `match` a program would write; the
//! scenarios below make each branch happen:
//!
//! | scenario | variant |
//! |---|---|
//! | a user that does not exist | `Error::NotFound` (404) |
//! | a user name that is taken | `Error::Conflict` (409) |
//! | a UDM write with an ETag that is stale (someone wrote in between) | `Error::Conflict` (412); `Module::modify` re-reads and retries by itself |
//! | a value the server refuses | `Error::InvalidRequest`, with `ApiError::fields` naming each field |
//! | roles that UCS@school does not allow | `Error::RuleViolation`, checked before sending: nothing is sent |
//! | a wrong password | `Error::Unauthorized` (401) |
//! | an answer lost after the server did the work | `error.maybe_applied()`: look before sending again |
//! | 503s that go away | retried by the `RetryPolicy`; with `RetryPolicy::none()`, `Error::Server` |
//!
//! The last two need the emulator's fault injection (`ucs_sim::Faults`) and
//! are skipped against a real server.
//!
//! Runs against an embedded `ucs-sim` by default:
//!
//! ```text
//! cargo run -p ucs --example error_handling
//! ```
//!
//! or against a real server (`ucs::Ucs::from_env`; it creates one teacher in
//! `EXAMPLE_SCHOOL`, default the first school, and deletes it at the end):
//!
//! ```text
//! UCS_HOST=https://ucs.example.com UCS_USER=Administrator UCS_PASSWORD=... \
//! UCS_CA_FILE=/path/to/ucs-root-ca.pem EXAMPLE_SCHOOL=DEMOSCHOOL \
//! cargo run -p ucs --example error_handling
//! ```

use chrono::NaiveDate;
use ucs::kelvin::{Kelvin, NewSchoolClass, NewUser};
use ucs::udm::{Dn, Udm};
use ucs::{Error, RetryPolicy, UcsBuilder};
use ucs_sim::{Faults, SimHandle};

/// The branches of [`handle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Branch {
    /// 404.
    NotFound,
    /// 409: the object exists already.
    Duplicate,
    /// 412: the object changed since it was read.
    Stale,
    /// The server refused a value.
    Invalid,
    /// A UCS@school rule is broken; nothing was sent.
    Rules,
    /// Wrong credentials.
    Unauthorized,
    /// The request may have been carried out although it failed.
    MaybeApplied,
    /// The server kept failing (after the retries).
    Server,
    /// Anything else.
    Other,
}

/// What a program does with each kind of failure.
pub fn handle(error: &Error) -> Branch {
    match error {
        // First: a write that may have happened must not be sent blindly again.
        e if e.maybe_applied() => {
            println!("    may have been applied: look it up before sending it again ({e})");
            Branch::MaybeApplied
        }
        Error::NotFound(api) => {
            println!("    not found ({}): {}", api.status, api.detail);
            Branch::NotFound
        }
        Error::Conflict(api) if api.status == 412 => {
            println!(
                "    changed by someone else since it was read ({}): read it again, reapply the change",
                api.status
            );
            Branch::Stale
        }
        Error::Conflict(api) => {
            println!("    exists already ({}): {}", api.status, api.detail);
            Branch::Duplicate
        }
        Error::InvalidRequest(api) => {
            // UDM's text repeats the field errors on further lines
            let summary = api.detail.lines().next().unwrap_or_default();
            println!("    refused ({}): {summary}", api.status);
            for field in &api.fields {
                println!("      field {}: {}", field.field, field.message);
            }
            Branch::Invalid
        }
        Error::RuleViolation(violations) => {
            println!(
                "    breaks {} UCS@school rule(s), nothing sent:",
                violations.len()
            );
            for v in violations {
                println!("      {} [{}]: {}", v.field, v.rule.code(), v.message);
            }
            Branch::Rules
        }
        Error::Unauthorized(api) => {
            println!(
                "    wrong or expired credentials ({}): {}",
                api.status, api.detail
            );
            Branch::Unauthorized
        }
        Error::Server(api) => {
            println!(
                "    the server failed ({}) and the retry policy gave up: try later",
                api.status
            );
            Branch::Server
        }
        other => {
            println!("    {other}");
            Branch::Other
        }
    }
}

/// Runs `call`, expecting it to fail, and handles the failure.
async fn expect_failure<T>(
    what: &str,
    call: impl std::future::Future<Output = ucs::Result<T>>,
) -> ucs::Result<Branch> {
    println!("{what}:");
    match call.await {
        Ok(_) => Err(Error::InvalidInput(format!("{what}: expected a failure"))),
        Err(error) => {
            let branch = handle(&error);
            if let Some(id) = error.request_id() {
                println!("    (request id {id}, for the server's logs)");
            }
            Ok(branch)
        }
    }
}

/// The demo: `connection` says where the server is and how to log in
/// (`sim`: the embedded emulator, for the scenarios that inject faults).
pub async fn run(
    connection: &UcsBuilder,
    school: &str,
    sim: Option<&SimHandle>,
) -> ucs::Result<Vec<Branch>> {
    let ucs = connection.build()?;
    let (kelvin, udm) = (ucs.kelvin(), ucs.udm());
    let users = kelvin.users();
    let mut reached = Vec::new();

    let nobody = users.get("no-such-user");
    reached.push(expect_failure("a user that does not exist", nobody).await?);

    let teacher = || {
        NewUser::teacher("Erika", "Example")
            .name("errors-example")
            .school(school)
            .record_uid("errors-example")
            .source_uid("errors-example")
            .password("Errors-Passw0rd!")
    };
    let created = users.create(teacher()).await?;
    let twice = users.create(teacher().record_uid("errors-example-2"));
    reached.push(expect_failure("the same user name again", twice).await?);

    reached.push(stale_etag(udm, &created.dn).await?);

    let udm_users = udm.users();
    let bad_date = udm_users.modify(&created.dn, |user| {
        user.set("birthday", "31.02.2010");
        Ok(())
    });
    reached.push(expect_failure("a birthday UDM cannot read", bad_date).await?);

    let before = sim.map(|s| s.request_count());
    let staff_in_a_class = NewUser::staff("Sam", "Staff")
        .name("errors-staff")
        .school(school)
        .class("1a")
        .expiration_date(NaiveDate::from_ymd_opt(2150, 1, 1).unwrap_or_default())
        .record_uid("errors-staff")
        .source_uid("errors-example");
    let refused = users.create(staff_in_a_class);
    reached.push(expect_failure("staff in a class, expiring in 2150", refused).await?);
    if let (Some(sim), Some(before)) = (sim, before) {
        println!("    requests sent for it: {}", sim.request_count() - before);
    }

    let wrong = connection
        .clone()
        .credentials("Administrator", "not-the-password")
        .build()?;
    let (wrong_schools, wrong_users) = (wrong.kelvin().schools(), wrong.udm().users());
    let login = wrong_schools.get(school);
    reached.push(expect_failure("a wrong password (Kelvin)", login).await?);
    let basic = wrong_users.exists(&created.dn);
    reached.push(expect_failure("a wrong password (UDM)", basic).await?);

    match sim {
        Some(sim) => {
            reached.push(lost_answer(kelvin, school, sim).await?);
            reached.push(retries(connection, kelvin, school, sim).await?);
        }
        None => println!("(lost answers and retries need the emulator's faults: skipped)"),
    }

    users.delete(&created.name).await?;
    println!("deleted {}", created.name);
    Ok(reached)
}

/// Two writers read the same object; the second one's ETag is stale.
async fn stale_etag(udm: &Udm, dn: &Dn) -> ucs::Result<Branch> {
    let users = udm.users();
    let mut first = users.get(dn).await?;
    let mut second = users.get(dn).await?;
    first.set("description", "written by the first writer");
    users.patch(&first).await?;
    second.set("description", "written by the second writer");
    let branch = expect_failure("a UDM write with a stale ETag", users.patch(&second)).await?;
    // modify() reads, applies the change and writes with If-Match, and on a
    // 412 starts over with a fresh read: no lost update, no error.
    let done = users
        .modify(dn, |user| {
            user.set("description", "written by the second writer");
            Ok(())
        })
        .await?;
    println!(
        "    with modify(): description = {:?}",
        done.get_str("description")
    );
    Ok(branch)
}

/// The server creates a class, then the connection drops before the answer.
async fn lost_answer(kelvin: &Kelvin, school: &str, sim: &SimHandle) -> ucs::Result<Branch> {
    sim.set_faults(Faults {
        drop_after_processing_nth: vec![1],
        ..Faults::default()
    });
    let classes = kelvin.classes();
    let create = classes.create(NewSchoolClass::new(school, "errors-lost"));
    let branch = expect_failure("a create whose answer is lost", create).await?;
    sim.set_faults(Faults::default());
    // What to do about it: look, then decide.
    if classes.exists(school, "errors-lost").await? {
        println!("    looked it up: the class exists, so it is not sent again");
        classes.delete(school, "errors-lost").await?;
    }
    Ok(branch)
}

/// Two 503s in a row: the default policy retries them; a session without
/// retries reports the first one.
async fn retries(
    connection: &UcsBuilder,
    kelvin: &Kelvin,
    school: &str,
    sim: &SimHandle,
) -> ucs::Result<Branch> {
    println!("two 503 answers, then the real one:");
    let before = sim.request_count();
    sim.set_faults(Faults {
        fail_nth: vec![(1, 503), (2, 503)],
        ..Faults::default()
    });
    let found = kelvin.schools().get(school).await?;
    println!(
        "    got {} after {} requests (RetryPolicy::default(): up to 5 attempts, backoff from 500 ms)",
        found.name,
        sim.request_count() - before
    );

    let impatient = connection
        .kelvin_builder()?
        .retry(RetryPolicy::none())
        .build()?;
    let schools = impatient.schools();
    schools.get(school).await?; // logs in before the faults
    sim.set_faults(Faults {
        fail_nth: vec![(1, 503)],
        ..Faults::default()
    });
    let once = schools.get(school);
    let branch = expect_failure("a 503 with RetryPolicy::none()", once).await?;
    sim.set_faults(Faults::default());
    Ok(branch)
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    if std::env::var_os("UCS_HOST").is_some() {
        let connection = UcsBuilder::from_env()?;
        let school = match std::env::var("EXAMPLE_SCHOOL") {
            Ok(school) => school,
            Err(_) => first_school(&connection.kelvin_builder()?.build()?).await?,
        };
        run(&connection, &school, None).await?;
    } else {
        let sim = ucs_sim::Sim::builder().spawn().await?;
        println!("(using the embedded emulator at {})", sim.base_url());
        let (user, password) = sim.admin();
        let connection = ucs::Ucs::builder(sim.base_url()).credentials(user, password);
        run(&connection, "DEMOSCHOOL", Some(&sim)).await?;
    }
    Ok(())
}

#[allow(dead_code)]
async fn first_school(kelvin: &Kelvin) -> Result<String, Box<dyn std::error::Error>> {
    let schools = kelvin.schools().search(None).await?;
    Ok(schools
        .first()
        .map(|s| s.name.clone())
        .ok_or("the server has no school")?)
}
