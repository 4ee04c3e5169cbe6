//! The school-change mode (`SingleSourcePartialUserImport`,
//! ucs-school-import/modules/ucsschool/importer/mass_import/sisopi_user_import.py and
//! usr/share/ucs-school-import/configs/user_import_sisopi.json, repository
//! univention/ucsschool-kelvin-rest-api, release 4.0.0): each school syncs its own roster;
//! a user who moved from one school to another ends in the new school whatever order the
//! two rosters are synced in.

use ucs::kelvin::{Kelvin, NewSchool};
use ucs_sync::config::Mode;
use ucs_sync::directory::DirUser;
use ucs_sync::plan::ActionKind;
use ucs_sync::{ApplyOptions, FixedClock, Planner, Roster, SyncConfig};

use crate::support::{csv, day, kelvin, people, sim, state, Person, IMPORT_JSON};

const LIMBO: &str = "LIMBO";

fn config(school: &str) -> SyncConfig {
    let sisopi = format!(
        r#"{{"school": "{school}", "limbo_ou": "{LIMBO}",
            "classes": {{"user_importer": "ucsschool.importer.mass_import.sisopi_user_import.SingleSourcePartialUserImport"}},
            "ucs_sync": {{"safety": {{"max_share": 1.0, "min_users": 0, "force": false}}}}}}"#
    );
    SyncConfig::from_import_json(&[IMPORT_JSON, &sisopi]).expect("configuration")
}

async fn sync(
    k: &Kelvin,
    school: &str,
    rows: &[Person],
    dir: &std::path::Path,
    step: &str,
) -> ucs_sync::Plan {
    let cfg = config(school);
    let roster = Roster::from_csv(&csv(rows), &cfg.csv).expect("roster");
    let plan = Planner::new(k, cfg)
        .clock(FixedClock::on(day(2026, 8, 1)))
        .plan(&roster)
        .await
        .expect("plan");
    assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
    let options =
        ApplyOptions::new(dir.join(format!("{step}.jsonl"))).passwords_csv(dir.join("pw.csv"));
    let report = plan.apply(k, &options).await.expect("apply");
    assert_eq!(
        report.failures().count(),
        0,
        "{:?}",
        report.failures().next()
    );
    plan
}

struct World {
    _sim: ucs_sim::SimHandle,
    kelvin: Kelvin,
    dir: tempfile::TempDir,
    a: Vec<Person>,
    b: Vec<Person>,
}

/// Two schools with their rosters synced; then person 0 of A moves to B.
async fn world() -> World {
    let sim = sim().await;
    let kelvin = kelvin(&sim);
    kelvin
        .schools()
        .create(NewSchool::new(LIMBO))
        .await
        .expect("limbo school");
    let dir = tempfile::tempdir().unwrap();
    let a = people(6, "DEMOSCHOOL", "a");
    let b = people(4, "DEMOSCHOOL2", "b");
    sync(&kelvin, "DEMOSCHOOL", &a, dir.path(), "a0").await;
    sync(&kelvin, "DEMOSCHOOL2", &b, dir.path(), "b0").await;
    World {
        _sim: sim,
        kelvin,
        dir,
        a,
        b,
    }
}

fn moved(w: &World) -> (Vec<Person>, Vec<Person>) {
    let mut person = w.a[0].clone();
    person.school = "DEMOSCHOOL2".into();
    person.classes = "7x".into();
    let a = w.a[1..].to_vec();
    let mut b = w.b.clone();
    b.push(person);
    (a, b)
}

fn the_mover(users: &[DirUser]) -> DirUser {
    users
        .iter()
        .find(|u| u.record_uid.as_deref() == Some("a00000"))
        .expect("the moved user")
        .clone()
}

#[tokio::test]
async fn a_moved_user_ends_in_the_new_school_in_either_order() {
    let first = world().await;
    let (a, b) = moved(&first);
    // A first: missing from A and in no other school -> the limbo, disabled (do_delete)
    let plan = sync(&first.kelvin, "DEMOSCHOOL", &a, first.dir.path(), "a1").await;
    let leave = plan
        .actions
        .iter()
        .find(|x| x.record_uid == "a00000")
        .unwrap();
    assert_eq!(leave.kind, ActionKind::Deactivate, "{}", leave.reason);
    let limbo = the_mover(&state(&first.kelvin).await);
    assert_eq!((limbo.school.as_str(), limbo.disabled), (LIMBO, true));
    // then B: found in the limbo -> moved to B and reactivated (prepare_imported_user)
    let plan = sync(&first.kelvin, "DEMOSCHOOL2", &b, first.dir.path(), "b1").await;
    assert_eq!(
        plan.actions
            .iter()
            .find(|x| x.record_uid == "a00000")
            .unwrap()
            .kind,
        ActionKind::Move
    );
    let end_one = state(&first.kelvin).await;

    let second = world().await;
    let (a, b) = moved(&second);
    // B first: found in A -> B is added to schools, A stays primary
    sync(&second.kelvin, "DEMOSCHOOL2", &b, second.dir.path(), "b1").await;
    let both = the_mover(&state(&second.kelvin).await);
    assert_eq!(both.school, "DEMOSCHOOL");
    assert_eq!(both.schools, ["DEMOSCHOOL", "DEMOSCHOOL2"]);
    // then A: missing from A, still in B -> A removed, B becomes primary (a move)
    let plan = sync(&second.kelvin, "DEMOSCHOOL", &a, second.dir.path(), "a1").await;
    assert_eq!(
        plan.actions
            .iter()
            .find(|x| x.record_uid == "a00000")
            .unwrap()
            .kind,
        ActionKind::Move
    );
    let end_two = state(&second.kelvin).await;

    let user = the_mover(&end_one);
    assert_eq!(user.school, "DEMOSCHOOL2");
    assert_eq!(user.schools, ["DEMOSCHOOL2"]);
    assert!(!user.disabled);
    assert_eq!(
        user.school_classes.get("DEMOSCHOOL2").map(Vec::as_slice),
        Some(&["7x".to_string()][..])
    );
    assert!(!user.school_classes.contains_key("DEMOSCHOOL"));
    assert_eq!(end_one, end_two, "the same end state in either order");
    assert_eq!(end_one.len(), 10, "nobody was created twice or deleted");
}

#[tokio::test]
async fn rows_of_another_school_are_refused_in_school_change_mode() {
    let w = world().await;
    let cfg = config("DEMOSCHOOL");
    let mut rows = w.a.clone();
    rows[2].school = "DEMOSCHOOL2".into();
    let roster = Roster::from_csv(&csv(&rows), &cfg.csv).unwrap();
    let plan = Planner::new(&w.kelvin, cfg).plan(&roster).await.unwrap();
    assert_eq!(plan.rejected.len(), 1);
    assert_eq!(plan.rejected[0].problems[0].code, "other_school");
    assert!(matches!(config("X").mode, Mode::SchoolChange { .. }));
}
