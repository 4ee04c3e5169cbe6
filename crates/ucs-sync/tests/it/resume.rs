//! A run killed at any point and resumed ends in the same state as a clean run, with no
//! duplicates: the apply task is aborted after a random number of requests (several
//! seeds), then the same plan is applied again with the same journal.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use ucs_sync::apply::ResultKind;
use ucs_sync::journal::JournalState;
use ucs_sync::{ApplyOptions, FixedClock, Plan, Planner, Roster};

use crate::support::{config, csv, day, kelvin, people, sim, state, Person};

/// A directory after a first sync of 30 people, and a plan that creates 12, modifies 5,
/// deactivates 2 and deletes 1 (one was deactivated long ago).
async fn prepared() -> (
    ucs_sim::SimHandle,
    ucs::kelvin::Kelvin,
    Plan,
    tempfile::TempDir,
) {
    let sim = sim().await;
    let k = kelvin(&sim);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config();
    let mut rows: Vec<Person> = people(31, "DEMOSCHOOL", "r");
    let setup =
        ApplyOptions::new(dir.path().join("setup0")).passwords_csv(dir.path().join("setup-pw.csv"));
    plan_for(&k, &cfg, &rows, day(2026, 1, 1))
        .await
        .apply(&k, &setup)
        .await
        .unwrap();
    rows.remove(30);
    let setup =
        ApplyOptions::new(dir.path().join("setup1")).passwords_csv(dir.path().join("setup-pw.csv"));
    plan_for(&k, &cfg, &rows, day(2026, 1, 1))
        .await
        .apply(&k, &setup)
        .await
        .unwrap();
    rows.drain(20..22);
    for person in rows.iter_mut().take(5) {
        person.last = format!("{}-Neu", person.last);
    }
    rows.extend(people(12, "DEMOSCHOOL", "n"));
    let plan = plan_for(&k, &cfg, &rows, day(2026, 3, 1)).await;
    let counts = plan.counts();
    assert_eq!(plan.pending().count(), 20, "{counts:?}");
    (sim, k, plan, dir)
}

async fn plan_for(
    k: &ucs::kelvin::Kelvin,
    cfg: &ucs_sync::SyncConfig,
    rows: &[Person],
    date: chrono::NaiveDate,
) -> Plan {
    let roster = Roster::from_csv(&csv(rows), &cfg.csv).unwrap();
    let mut c = cfg.clone();
    c.safety.force = true;
    Planner::new(k, c)
        .clock(FixedClock::on(date))
        .plan(&roster)
        .await
        .unwrap()
}

fn options(dir: &std::path::Path) -> ApplyOptions {
    ApplyOptions::new(dir.join("journal.jsonl"))
        .passwords_csv(dir.join("passwords.csv"))
        .concurrency(4)
}

#[tokio::test]
async fn a_killed_apply_resumes_to_the_state_of_a_clean_run() {
    let (_clean_sim, clean_k, clean_plan, clean_dir) = prepared().await;
    let clean = clean_plan
        .apply(&clean_k, &options(clean_dir.path()))
        .await
        .expect("clean run");
    assert_eq!(clean.count(ResultKind::Done), 20);
    let expected = comparable(state(&clean_k).await);
    assert_eq!(
        expected.len(),
        31 - 1 + 12,
        "one deleted, two only deactivated"
    );

    let (mut unfinished, mut finished) = (0, 0);
    for seed in [1_u64, 7, 23, 42, 99, 123, 2024] {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let (sim, k, plan, dir) = prepared().await;
        let kill_after = rng.random_range(1..=22u64);
        let start = sim.request_count();
        let run = {
            let (k, plan, opts) = (k.clone(), plan.clone(), options(dir.path()));
            tokio::spawn(async move { plan.apply(&k, &opts).await })
        };
        while sim.request_count() < start + kill_after && !run.is_finished() {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        run.abort();
        let _ = run.await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        let journal =
            JournalState::read(&dir.path().join("journal.jsonl")).expect("journal readable");
        // killed before the first action, the journal may not have its header yet
        let started = journal.plan_id.is_some();
        unfinished += journal.unfinished().count();
        finished += journal.finished.len();
        eprintln!(
            "seed {seed}: killed after {kill_after} requests, {} finished, {} unfinished",
            journal.finished.len(),
            journal.unfinished().count()
        );
        if started {
            assert_eq!(
                journal.plan_id.as_deref(),
                Some(plan.id.as_str()),
                "seed {seed}"
            );
        }

        let resumed = plan
            .apply(&k, &options(dir.path()))
            .await
            .expect("resumed run");
        assert_eq!(resumed.resumed, started, "seed {seed}");
        assert_eq!(
            resumed.failures().count(),
            0,
            "seed {seed}: {:?}",
            resumed.failures().next()
        );
        let done = resumed.count(ResultKind::Done) + resumed.count(ResultKind::AlreadyDone);
        assert_eq!(done, 20, "seed {seed}: every action ends done");
        let end = comparable(state(&k).await);
        let differ: Vec<_> = end.iter().zip(&expected).filter(|(a, b)| a != b).collect();
        assert!(
            end.len() == expected.len() && differ.is_empty(),
            "seed {seed} (killed after {kill_after} requests): {:?}",
            differ.first()
        );
        let records: std::collections::HashSet<_> =
            end.iter().map(|u| u.record_uid.clone()).collect();
        assert_eq!(records.len(), end.len(), "seed {seed}: no duplicates");
        check_passwords(dir.path(), seed);
    }
    assert!(
        unfinished > 0,
        "some kill hit an action between started and done"
    );
    assert!(finished > 0, "some kill came after finished actions");
}

/// The users without what the server numbers in the order of creation (`uidNumber`),
/// which concurrent creates make differ between any two runs.
fn comparable(mut users: Vec<ucs_sync::directory::DirUser>) -> Vec<ucs_sync::directory::DirUser> {
    for user in &mut users {
        user.udm_properties.remove("uidNumber");
    }
    users
}

/// Every created user has exactly one password row.
fn check_passwords(dir: &std::path::Path, seed: u64) {
    let text = std::fs::read_to_string(dir.join("passwords.csv")).unwrap();
    let mut names: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(names.len(), 12, "seed {seed}: {text}");
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 12, "seed {seed}: one row per user");
}

#[tokio::test]
async fn a_journal_of_another_plan_is_refused_and_a_changed_directory_too() {
    let (_sim, k, plan, dir) = prepared().await;
    let mut other = plan.clone();
    other.id = "another".into();
    let journal = dir.path().join("journal.jsonl");
    std::fs::write(&journal, format!("{{\"event\":\"header\",\"format\":1,\"plan_id\":\"another\",\"fingerprint\":\"{}\"}}\n", plan.fingerprint)).unwrap();
    let err = plan.apply(&k, &options(dir.path())).await.unwrap_err();
    assert!(err.to_string().contains("belongs to plan another"), "{err}");
    std::fs::remove_file(&journal).unwrap();

    k.users()
        .delete("J.Mueller")
        .await
        .expect("someone else changes the directory");
    let err = plan.apply(&k, &options(dir.path())).await.unwrap_err();
    assert!(
        matches!(err, ucs_sync::SyncError::DirectoryChanged { .. }),
        "{err}"
    );
}
