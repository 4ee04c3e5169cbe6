//! Users who left the roster: deactivated now, deleted once the (injected) clock passes
//! the grace period; reactivated if they come back; the safety limit; `no_delete`.
//!
//! Semantics of `UserImport.do_delete`, `deactivate_user_now`, `set_deactivation_grace`,
//! `set_deletion_grace` (ucs-school-import/modules/ucsschool/importer/mass_import/
//! user_import.py), `ImportUser.reactivate` (models/import_user.py) and the cron job
//! `ucs-school-purge-expired-users` (usr/share/ucs-school-import/scripts/), repository
//! univention/ucsschool-kelvin-rest-api, release 4.0.0.

use std::collections::BTreeMap;

use serde_json::json;
use ucs_sync::config::GracePeriod;
use ucs_sync::directory::{DirUser, Directory};
use ucs_sync::plan::{ActionKind, Op};
use ucs_sync::{ApplyOptions, FixedClock, Planner, Roster, SyncError, PURGE};

use crate::support::{config, csv, day, kelvin, people, sim, state};

async fn plan_on(
    k: &ucs::kelvin::Kelvin,
    rows: &[crate::support::Person],
    date: chrono::NaiveDate,
) -> ucs_sync::Plan {
    let cfg = config();
    let roster = Roster::from_csv(&csv(rows), &cfg.csv).expect("roster");
    Planner::new(k, cfg)
        .clock(FixedClock::on(date))
        .plan(&roster)
        .await
        .expect("plan")
}

#[tokio::test]
async fn removed_rows_are_deactivated_then_deleted_after_the_grace_period() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let dir = tempfile::tempdir().unwrap();
    let opts =
        |n: &str| ApplyOptions::new(dir.path().join(n)).passwords_csv(dir.path().join("pw.csv"));
    let all = people(30, "DEMOSCHOOL", "r");
    plan_on(&k, &all, day(2026, 3, 1))
        .await
        .apply(&k, &opts("j0"))
        .await
        .unwrap();

    let mut rows = all.clone();
    rows.drain(5..8);
    // deletion_grace_period {deactivation: 0, deletion: 30}: deletion > deactivation, so
    // disable now (deactivate_user_now) and set ucsschoolPurgeTimestamp to today + 30
    // (set_deletion_grace, "%Y-%m-%d").
    let plan = plan_on(&k, &rows, day(2026, 3, 1)).await;
    let pending: Vec<_> = plan.pending().collect();
    assert_eq!(pending.len(), 3);
    for action in &pending {
        assert_eq!(action.kind, ActionKind::Deactivate);
        let Op::Patch { changes, .. } = &action.op else {
            panic!("a PATCH")
        };
        assert_eq!(changes["disabled"].new, json!(true));
        assert_eq!(
            changes[&format!("udm_properties.{PURGE}")].new,
            json!("2026-03-31")
        );
        assert_eq!(changes.len(), 2, "{changes:?}");
    }
    plan.apply(&k, &opts("j1")).await.unwrap();
    let users = state(&k).await;
    assert!(users[5].disabled && users[6].disabled && users[7].disabled && !users[8].disabled);
    assert_eq!(users[5].udm_properties[PURGE], json!("2026-03-31"));

    // already deactivated and scheduled: nothing to do until the date comes
    for date in [day(2026, 3, 1), day(2026, 3, 30)] {
        let idle = plan_on(&k, &rows, date).await;
        assert_eq!(idle.pending().count(), 0, "{date}");
    }
    let unchanged = plan_on(&k, &rows, day(2026, 3, 2)).await;
    let reason = &unchanged
        .actions
        .iter()
        .find(|a| a.record_uid == "r00005")
        .unwrap()
        .reason;
    assert_eq!(
        reason,
        "missing from the roster; already deactivated, deletion on 2026-03-31"
    );

    // ucs-school-purge-expired-users deletes ucsschoolPurgeTimestamp<=today
    let purge = plan_on(&k, &rows, day(2026, 3, 31)).await;
    let deletes: Vec<_> = purge.pending().collect();
    assert_eq!(deletes.len(), 3);
    assert!(deletes
        .iter()
        .all(|a| a.kind == ActionKind::Delete
            && a.reason.contains("deletion date 2026-03-31 has come")));
    purge.apply(&k, &opts("j2")).await.unwrap();
    let users = state(&k).await;
    assert_eq!(users.len(), 27);
    assert!(users
        .iter()
        .all(|u| !["r00005", "r00006", "r00007"].contains(&u.record_uid.as_deref().unwrap())));
}

#[tokio::test]
async fn a_returning_user_is_reactivated() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let dir = tempfile::tempdir().unwrap();
    let opts =
        |n: &str| ApplyOptions::new(dir.path().join(n)).passwords_csv(dir.path().join("pw.csv"));
    let all = people(25, "DEMOSCHOOL", "r");
    plan_on(&k, &all, day(2026, 3, 1))
        .await
        .apply(&k, &opts("j0"))
        .await
        .unwrap();
    plan_on(&k, &all[1..], day(2026, 3, 1))
        .await
        .apply(&k, &opts("j1"))
        .await
        .unwrap();
    assert!(state(&k).await[0].disabled);
    // ImportUser.reactivate: disabled off, no expiry, no purge timestamp
    let back = plan_on(&k, &all, day(2026, 3, 5)).await;
    let pending: Vec<_> = back.pending().collect();
    assert_eq!(pending.len(), 1);
    let Op::Patch { changes, .. } = &pending[0].op else {
        panic!("a PATCH")
    };
    assert_eq!(
        changes.keys().collect::<Vec<_>>(),
        ["disabled", "udm_properties.ucsschoolPurgeTimestamp"]
    );
    assert_eq!(changes["disabled"].new, json!(false));
    back.apply(&k, &opts("j2")).await.unwrap();
    let user = &state(&k).await[0];
    assert!(!user.disabled);
    assert!(
        user.udm_text(PURGE).is_none(),
        "{:?}",
        user.udm_properties.get(PURGE)
    );
}

#[tokio::test]
async fn the_safety_limit_refuses_removing_too_many_unless_forced() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let dir = tempfile::tempdir().unwrap();
    let all = people(30, "DEMOSCHOOL", "r");
    let opts = ApplyOptions::new(dir.path().join("j0")).passwords_csv(dir.path().join("pw.csv"));
    plan_on(&k, &all, day(2026, 3, 1))
        .await
        .apply(&k, &opts)
        .await
        .unwrap();
    let cfg = config();
    let roster = Roster::from_csv(&csv(&all[..26]), &cfg.csv).unwrap();
    let err = Planner::new(&k, cfg.clone())
        .plan(&roster)
        .await
        .unwrap_err();
    match err {
        SyncError::SafetyLimit {
            school,
            removed,
            total,
            ..
        } => assert_eq!((school.as_str(), removed, total), ("DEMOSCHOOL", 4, 30)),
        other => panic!("{other}"),
    }
    let mut forced = cfg.clone();
    forced.safety.force = true;
    let plan = Planner::new(&k, forced)
        .plan(&roster)
        .await
        .expect("forced");
    assert_eq!(plan.pending().count(), 4);
    let mut keep = cfg;
    keep.no_delete = true;
    let plan = Planner::new(&k, keep)
        .plan(&roster)
        .await
        .expect("no_delete");
    assert_eq!(
        plan.pending().count(),
        0,
        "no_delete: detect_users_to_delete looks only at action D rows"
    );
}

fn user(
    record: &str,
    disabled: bool,
    expiry: Option<chrono::NaiveDate>,
    purge: Option<&str>,
) -> DirUser {
    let mut udm = BTreeMap::new();
    udm.insert(
        PURGE.to_string(),
        purge.map_or(serde_json::Value::Null, |p| json!(p)),
    );
    DirUser {
        name: format!("u{record}"),
        firstname: "A".into(),
        lastname: "B".into(),
        school: "DEMOSCHOOL".into(),
        schools: vec!["DEMOSCHOOL".into()],
        roles: vec!["student".into()],
        school_classes: BTreeMap::from([("DEMOSCHOOL".to_string(), vec!["1a".to_string()])]),
        workgroups: BTreeMap::new(),
        email: None,
        birthday: None,
        expiration_date: expiry,
        disabled,
        record_uid: Some(record.into()),
        source_uid: Some("sis".into()),
        udm_properties: udm,
    }
}

async fn offline(grace: GracePeriod, users: Vec<DirUser>) -> ucs_sync::Plan {
    let mut cfg = config();
    cfg.deletion_grace_period = grace;
    cfg.safety.force = true;
    let directory = Directory::new(users, ["DEMOSCHOOL".to_string()]);
    let roster = Roster::from_csv(
        b"ID;Vorname;Nachname;Schule;Klassen;Rolle;Geburtstag\n",
        &cfg.csv,
    )
    .unwrap();
    Planner::offline(cfg)
        .clock(FixedClock::on(day(2026, 3, 1)))
        .plan_against(&roster, &directory)
        .await
        .unwrap()
}

fn changes(plan: &ucs_sync::Plan) -> Vec<(String, serde_json::Value)> {
    match &plan.actions[0].op {
        Op::Patch { changes, .. } => changes
            .iter()
            .map(|(k, c)| (k.clone(), c.new.clone()))
            .collect(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn grace_periods_follow_do_delete() {
    let purge = format!("udm_properties.{PURGE}");
    // deletion <= deactivation and deletion 0: delete at once
    let now = offline(
        GracePeriod {
            deactivation: 0,
            deletion: 0,
        },
        vec![user("1", false, None, None)],
    )
    .await;
    assert_eq!(now.actions[0].kind, ActionKind::Delete);
    let negative = offline(
        GracePeriod {
            deactivation: 5,
            deletion: -3,
        },
        vec![user("1", false, None, None)],
    )
    .await;
    assert_eq!(
        negative.actions[0].kind,
        ActionKind::Delete,
        "grace periods are clamped at 0"
    );
    // deletion <= deactivation, deletion > 0: only the purge timestamp, not disabled
    let later = offline(
        GracePeriod {
            deactivation: 20,
            deletion: 10,
        },
        vec![user("1", false, None, None)],
    )
    .await;
    assert_eq!(changes(&later), [(purge.clone(), json!("2026-03-11"))]);
    // deletion > deactivation > 0: account expiry today + deactivation, purge today + deletion
    let expiry = offline(
        GracePeriod {
            deactivation: 7,
            deletion: 30,
        },
        vec![user("1", false, None, None)],
    )
    .await;
    assert_eq!(
        changes(&expiry),
        [
            ("expiration_date".into(), json!("2026-03-08")),
            (purge.clone(), json!("2026-03-31"))
        ]
    );
    // an existing expiry and purge timestamp are kept (set_deactivation_grace / set_deletion_grace)
    let kept = offline(
        GracePeriod {
            deactivation: 7,
            deletion: 30,
        },
        vec![user("1", false, Some(day(2026, 6, 1)), Some("2026-09-01"))],
    )
    .await;
    assert_eq!(kept.actions[0].kind, ActionKind::Unchanged);
    // a purge timestamp in the past deletes, whatever the grace periods say
    let due = offline(
        GracePeriod {
            deactivation: 0,
            deletion: 30,
        },
        vec![user("1", true, None, Some("2026-02-01"))],
    )
    .await;
    assert_eq!(due.actions[0].kind, ActionKind::Delete);
}

#[tokio::test]
async fn deletion_dates_need_the_purge_timestamp_mapped_by_kelvin() {
    // an emulator with Kelvin's default mapping, without ucsschoolPurgeTimestamp
    let sim = ucs_sim::Sim::builder().spawn().await.expect("emulator");
    let k = kelvin(&sim);
    let dir = tempfile::tempdir().unwrap();
    let all = people(25, "DEMOSCHOOL", "r");
    let opts = ApplyOptions::new(dir.path().join("j0")).passwords_csv(dir.path().join("pw.csv"));
    plan_on(&k, &all, day(2026, 3, 1))
        .await
        .apply(&k, &opts)
        .await
        .unwrap();
    let cfg = config();
    let roster = Roster::from_csv(&csv(&all[1..]), &cfg.csv).unwrap();
    let err = Planner::new(&k, cfg)
        .plan(&roster)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("does not map ucsschoolPurgeTimestamp"),
        "{err}"
    );
}
