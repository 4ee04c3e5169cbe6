//! Bulk runs with a report against `ucs-sim`: identities, the per-item
//! callback, stopping rules and pre-flight checks.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ucs::kelvin::{
    ItemOutcome, Kelvin, Missing, NewUser, NotSent, Preflight, StopReason, UserPatch,
};
use ucs::{Error, RetryPolicy};
use ucs_sim::{Sim, SimHandle};

async fn sim() -> SimHandle {
    Sim::builder().spawn().await.expect("emulator starts")
}

fn kelvin(sim: &SimHandle) -> Kelvin {
    let (user, password) = sim.admin();
    Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("session")
}

fn student(name: &str) -> NewUser {
    NewUser::student("Bulk", "Student")
        .name(name)
        .school("DEMOSCHOOL")
        .class("Democlass")
        .record_uid(format!("rec-{name}"))
        .source_uid("bulk")
        .password("Initial-Passw0rd!")
}

fn posts(sim: &SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path_and_query == "/ucsschool/kelvin/v1/users/")
        .count()
}

/// What the callback saw of one item: index, name, outcome, status, done,
/// failed.
type Seen = (
    usize,
    Option<String>,
    &'static str,
    Option<u16>,
    usize,
    usize,
);

fn kind(outcome: &ItemOutcome) -> &'static str {
    match outcome {
        ItemOutcome::Done(_) => "done",
        ItemOutcome::Failed(_) => "failed",
        ItemOutcome::NotSent(NotSent::Stopped) => "stopped",
        ItemOutcome::NotSent(NotSent::Missing(_)) => "missing",
        _ => "other",
    }
}

/// A name any user has is refused with 409 `School user exists.`
/// (kelvin-api `routers/v1/user.py` `create`, `user.exists`).
#[tokio::test]
async fn results_and_callbacks_carry_the_item_and_its_error() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let batch = vec![
        student("bulk.a"),
        student("demo_student"),
        student("bulk.b"),
    ];
    let report = k
        .users()
        .bulk()
        .concurrency(2)
        .on_item(move |event| {
            let status = match event.outcome {
                ItemOutcome::Failed(e) => e.status(),
                _ => None,
            };
            log.lock().expect("lock").push((
                event.id.index,
                event.id.name.clone(),
                kind(event.outcome),
                status,
                event.done,
                event.failed,
            ));
            assert_eq!(event.total, 3);
        })
        .create(batch)
        .await
        .expect("run");
    let kinds: Vec<_> = report.items.iter().map(|i| kind(&i.outcome)).collect();
    assert_eq!(kinds, ["done", "failed", "done"]);
    for (index, item) in report.items.iter().enumerate() {
        assert_eq!(item.id.index, index);
        assert_eq!(
            item.id.record_uid.as_deref(),
            Some(format!("rec-{}", item.id.name.as_deref().unwrap_or_default()).as_str())
        );
        assert_eq!(item.id.source_uid.as_deref(), Some("bulk"));
    }
    let (id, error) = report.failed().next().expect("one failure");
    assert_eq!(id.name.as_deref(), Some("demo_student"));
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    let made: Vec<_> = report
        .succeeded()
        .map(|(id, user)| (id.index, user.name.clone()))
        .collect();
    assert_eq!(made, [(0, "bulk.a".to_string()), (2, "bulk.b".to_string())]);
    assert!(report.stopped.is_none() && report.preflight.is_none());

    let mut seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.iter().map(|s| s.4).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(seen.last().map(|s| s.5), Some(1), "one failed in the end");
    seen.sort();
    assert_eq!(
        seen.iter()
            .map(|s| (s.0, s.1.clone(), s.2, s.3))
            .collect::<Vec<_>>(),
        [
            (0, Some("bulk.a".into()), "done", None),
            (1, Some("demo_student".into()), "failed", Some(409)),
            (2, Some("bulk.b".into()), "done", None),
        ]
    );
}

#[tokio::test]
async fn a_run_stops_after_n_failures_and_sends_nothing_more() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let batch = vec![
        student("demo_student"),
        student("bulk.ok"),
        student("demo_teacher"),
        student("bulk.never1"),
        student("bulk.never2"),
    ];
    let report = k
        .users()
        .bulk()
        .concurrency(1)
        .stop_after(2)
        .create(batch)
        .await
        .expect("run");
    let kinds: Vec<_> = report.items.iter().map(|i| kind(&i.outcome)).collect();
    assert_eq!(kinds, ["failed", "done", "failed", "stopped", "stopped"]);
    assert_eq!(report.stopped, Some(StopReason::Failures(2)));
    assert_eq!(posts(&sim), 3, "the stopped items were not sent");
    assert!(!k.users().exists("bulk.never1").await.expect("exists"));
}

/// The same refusal for every item (here: a school that does not exist) is
/// seen three times, then the run stops instead of sending the rest.
#[tokio::test]
async fn a_run_stops_when_its_first_errors_are_identical() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let batch: Vec<NewUser> = (0..10)
        .map(|i| {
            NewUser::student("Bulk", "Student")
                .name(format!("bulk.noschool{i}"))
                .school("NOSCHOOL")
                .record_uid(format!("rec-{i}"))
                .source_uid("bulk")
        })
        .collect();
    let report = k
        .users()
        .bulk()
        .concurrency(1)
        .stop_on_identical_errors(3)
        .create(batch)
        .await
        .expect("run");
    assert_eq!(report.failed().count(), 3);
    assert_eq!(report.not_sent().count(), 7);
    match &report.stopped {
        Some(StopReason::IdenticalErrors { count: 3, error }) => {
            assert!(error.contains("NOSCHOOL"), "{error}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(posts(&sim), 3);

    // different first errors: no stop, everything is sent
    let mixed = vec![
        student("demo_student"),
        NewUser::student("Bulk", "Student")
            .name("bulk.mixed")
            .school("NOSCHOOL")
            .record_uid("rec-mixed")
            .source_uid("bulk"),
        student("demo_teacher"),
        student("bulk.mixed.ok"),
    ];
    let report = k
        .users()
        .bulk()
        .concurrency(1)
        .stop_on_identical_errors(2)
        .create(mixed)
        .await
        .expect("run");
    assert!(report.stopped.is_none());
    assert_eq!(report.failed().count(), 3);
    assert_eq!(report.succeeded().count(), 1);
}

#[tokio::test]
async fn preflight_keeps_doomed_items_from_being_sent() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let batch = vec![
        student("pre.ok").email("pre.ok@example.com"),
        NewUser::student("Pre", "Flight")
            .name("pre.noschool")
            .school("NOSCHOOL")
            .record_uid("rec-pre.noschool")
            .source_uid("bulk"),
        student("pre.nowg").workgroup_in("DEMOSCHOOL", "nowg"),
        student("pre.newclass").class_in("DEMOSCHOOL", "brand-new"),
        student("pre.nomail").email("pre.nomail@nodomain.test"),
        NewUser::student("Pre", "Case")
            .name("pre.case")
            .school("demoschool")
            .class_in("demoschool", "DEMOSCHOOL-Democlass")
            .record_uid("rec-pre.case")
            .source_uid("bulk"),
    ];
    sim.clear_requests();
    let checks = Preflight::new().mail_domains(["Example.com"]);
    let report = k
        .users()
        .bulk()
        .preflight(checks.clone())
        .create(batch.clone())
        .await
        .expect("run");
    let kinds: Vec<_> = report.items.iter().map(|i| kind(&i.outcome)).collect();
    assert_eq!(
        kinds,
        ["done", "missing", "missing", "done", "missing", "done"]
    );
    let missing = |index: usize| match &report.items[index].outcome {
        ItemOutcome::NotSent(NotSent::Missing(m)) => m.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(missing(1), [Missing::School("NOSCHOOL".into())]);
    assert!(
        matches!(&missing(2)[..], [Missing::WorkGroup { name, .. }] if name == "nowg"),
        "{:?}",
        missing(2)
    );
    assert_eq!(missing(4), [Missing::MailDomain("nodomain.test".into())]);
    let pre = report.preflight.as_ref().expect("preflight report");
    assert_eq!(pre.missing.len(), 3);
    assert_eq!(pre.to_be_created.len(), 1, "{:?}", pre.to_be_created);
    assert_eq!(
        pre.lookups, 3,
        "one school listing, classes and workgroups of one school"
    );
    let lookups: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path_and_query)
        .collect();
    assert_eq!(lookups.len(), 3, "{lookups:?}");
    assert_eq!(posts(&sim), 3, "only the items that can succeed were sent");

    // classes required: the new class stops its item too; check() sends nothing
    let strict = k
        .users()
        .bulk()
        .preflight(checks.require_existing_classes());
    let before = posts(&sim);
    let later = [
        student("pre.strict").class_in("DEMOSCHOOL", "brand-new"),
        student("pre.strict2").class_in("DEMOSCHOOL", "brand-new-2"),
    ];
    let found = strict.check(&later).await.expect("check");
    assert_eq!(
        found.missing.iter().collect::<Vec<_>>(),
        [&Missing::Class {
            school: "DEMOSCHOOL".into(),
            name: "brand-new-2".into()
        }],
        "the class the first run made exists now"
    );
    assert!(found.to_be_created.is_empty());
    assert_eq!(posts(&sim), before);
}

#[tokio::test]
async fn patches_carry_the_user_name_and_are_checked_too() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let report = k
        .users()
        .bulk()
        .preflight(Preflight::new())
        .patch([
            (
                "demo_student".to_string(),
                UserPatch::new().lastname("Patched"),
            ),
            (
                "demo_teacher".to_string(),
                UserPatch::new().school("NOSCHOOL").schools(["NOSCHOOL"]),
            ),
            ("nobody.here".to_string(), UserPatch::new().lastname("X")),
        ])
        .await
        .expect("run");
    let kinds: Vec<_> = report.items.iter().map(|i| kind(&i.outcome)).collect();
    assert_eq!(kinds, ["done", "missing", "failed"]);
    assert_eq!(report.items[1].id.name.as_deref(), Some("demo_teacher"));
    let (id, error) = report.failed().next().expect("failure");
    assert_eq!(id.name.as_deref(), Some("nobody.here"));
    assert!(error.is_not_found(), "{error}");
    assert_eq!(
        k.users().get("demo_student").await.expect("get").lastname,
        "Patched"
    );
}
