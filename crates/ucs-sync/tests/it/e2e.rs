//! The sync scenario against `ucs-sim`: a first sync creates everybody, a second plans
//! nothing, edits become PATCHes of exactly the changed fields, a bad row does not stop
//! the others.

use std::collections::HashSet;

use serde_json::json;
use ucs_sync::plan::{ActionKind, Op};
use ucs_sync::{ApplyOptions, FixedClock, Planner, Roster};

use crate::support::{config, csv, day, kelvin, people, sim, state};

fn planner(kelvin: &ucs::kelvin::Kelvin) -> Planner {
    Planner::new(kelvin, config()).clock(FixedClock::on(day(2026, 3, 1)))
}

#[tokio::test]
async fn first_sync_creates_500_users_then_a_second_plans_nothing() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let roster = Roster::from_csv(&csv(&people(500, "DEMOSCHOOL", "r")), &cfg.csv).expect("roster");
    let plan = planner(&k).plan(&roster).await.expect("plan");
    assert!(plan.rejected.is_empty(), "{:?}", plan.rejected.first());
    assert_eq!(plan.counts().get(&ActionKind::Create), Some(&500));
    let names: HashSet<String> = plan.actions.iter().map(|a| a.name.to_lowercase()).collect();
    assert_eq!(names.len(), 500, "names unique within the batch");

    // The username scheme of the importer: <:umlauts><firstname>[0].<lastname>[COUNTER2]
    // (ImportUser.make_username, username_scheme puts <:umlauts> in front); [COUNTER2] is
    // empty the first time, then 2, 3, ... (UsernameHandler.counter2), Kelvin 4.0.0.
    let first = &plan.actions[0];
    assert_eq!(first.name, "J.Mueller");
    assert_eq!(
        plan.actions[48].name, "J.Mueller2",
        "row 48 is the next Jürgen Müller"
    );
    let Op::Create { user } = &first.op else {
        panic!("a create")
    };
    assert_eq!(
        user.email.as_deref(),
        Some("jürgen.müller@example.com"),
        "make_email lower-cases, no umlauts command"
    );
    assert_eq!(user.school_classes["DEMOSCHOOL"], ["1a"]);
    assert_eq!(user.birthday, Some(day(2010, 1, 1)));

    let dir = tempfile::tempdir().expect("tempdir");
    let passwords = dir.path().join("passwords.csv");
    let options = ApplyOptions::new(dir.path().join("journal.jsonl"))
        .passwords_csv(&passwords)
        .summary_csv(dir.path().join("summary.csv"))
        .summary_json(dir.path().join("summary.json"))
        .concurrency(8);
    let report = plan.apply(&k, &options).await.expect("apply");
    assert_eq!(
        report.count(ucs_sync::apply::ResultKind::Done),
        500,
        "{:?}",
        report.failures().next()
    );
    let users = state(&k).await;
    assert_eq!(users.len(), 500);
    let j = users
        .iter()
        .find(|u| u.record_uid.as_deref() == Some("r00000"))
        .expect("row 0");
    assert_eq!(
        (j.name.as_str(), j.firstname.as_str(), j.school.as_str()),
        ("J.Mueller", "Jürgen", "DEMOSCHOOL")
    );
    assert!(!j.disabled);

    check_password_file(&passwords, 500);
    let summary = std::fs::read_to_string(dir.path().join("summary.csv")).expect("summary");
    assert!(
        summary.starts_with(
            "row,action,name,record_uid,result,error\n2,create,J.Mueller,r00000,done,\n"
        ),
        "{summary}"
    );

    let again = planner(&k).plan(&roster).await.expect("second plan");
    assert_eq!(again.pending().count(), 0, "{:?}", again.pending().next());
    assert_eq!(again.counts().get(&ActionKind::Unchanged), Some(&500));
}

fn check_password_file(path: &std::path::Path, users: usize) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .expect("passwords file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the passwords");
    }
    let text = std::fs::read_to_string(path).expect("passwords");
    let mut lines = text.lines();
    // NewUserPasswordCsvExporter.field_names (ucsschool/importer/writer/
    // new_user_password_csv_exporter.py, Kelvin 4.0.0)
    assert_eq!(
        lines.next(),
        Some("username,password,role,lastname,firstname,schools,classes")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), users);
    let first: Vec<&str> = rows
        .iter()
        .find(|r| r.starts_with("J.Mueller,"))
        .expect("row")
        .split(',')
        .collect();
    assert_eq!(first[1].len(), 15, "password_length 15");
    assert_eq!(
        &first[2..],
        ["student", "Müller", "Jürgen", "DEMOSCHOOL", "DEMOSCHOOL-1a"]
    );
}

#[tokio::test]
async fn edited_rows_become_patches_of_exactly_the_changed_fields() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let mut rows = people(40, "DEMOSCHOOL", "r");
    let first = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts =
        |n: &str| ApplyOptions::new(dir.path().join(n)).passwords_csv(dir.path().join("pw.csv"));
    first.apply(&k, &opts("j1")).await.expect("first apply");

    rows[3].last = "Schmidt-Weber".into();
    rows[4].classes = "2b,DEMOSCHOOL-3c".into();
    rows[5].birthday = "2011-06-30".into();
    let plan = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    let pending: Vec<_> = plan.pending().collect();
    assert_eq!(pending.len(), 3, "{pending:#?}");
    let changes = |i: usize| match &pending[i].op {
        Op::Patch { changes, .. } => changes.clone(),
        other => panic!("a PATCH, not {other:?}"),
    };
    assert_eq!(pending[0].kind, ActionKind::Modify);
    assert_eq!(changes(0).keys().collect::<Vec<_>>(), ["lastname"]);
    assert_eq!(changes(0)["lastname"].new, json!("Schmidt-Weber"));
    assert_eq!(changes(1).keys().collect::<Vec<_>>(), ["school_classes"]);
    assert_eq!(
        changes(1)["school_classes"].new,
        json!({"DEMOSCHOOL": ["2b", "3c"]})
    );
    assert_eq!(changes(2).keys().collect::<Vec<_>>(), ["birthday"]);
    assert!(
        pending[0].reason.contains("changed lastname"),
        "{}",
        pending[0].reason
    );

    sim.clear_requests();
    plan.apply(&k, &opts("j2")).await.expect("apply edits");
    let patches: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 3, "one PATCH per edited row");
    assert!(
        patches[0].path_and_query.ends_with("/users/M.Mueller"),
        "{}",
        patches[0].path_and_query
    );
    let body = ucs_sync::plan::to_patch(&changes(0)).to_json_preview();
    assert_eq!(
        serde_json::Value::Object(body),
        json!({"lastname": "Schmidt-Weber"}),
        "exactly the changed field"
    );
    let users = state(&k).await;
    assert_eq!(users[3].lastname, "Schmidt-Weber");
    assert_eq!(users[4].school_classes["DEMOSCHOOL"], ["2b", "3c"]);
    assert_eq!(users[5].birthday, Some(crate::support::day(2011, 6, 30)));
    let after = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    assert_eq!(after.pending().count(), 0);
}

#[tokio::test]
async fn a_row_breaking_rules_is_reported_by_field_and_the_others_proceed() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let mut rows = people(10, "DEMOSCHOOL", "r");
    rows[2].classes = "DEMOSCHOOL2-1a".into();
    rows[2].birthday = "31.02.2010".into();
    rows[6].school = "NOSUCHSCHOOL".into();
    let plan = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    assert_eq!(plan.counts().get(&ActionKind::Create), Some(&8));
    assert_eq!(plan.rejected.len(), 2);
    let bad_date = &plan.rejected[0];
    assert_eq!(
        (bad_date.row, bad_date.record_uid.as_deref()),
        (4, None),
        "mapping problems come first"
    );
    assert_eq!(bad_date.problems[0].field, "birthday");
    let unknown = &plan.rejected[1];
    assert_eq!(unknown.record_uid.as_deref(), Some("r00006"));
    let codes: Vec<_> = unknown
        .problems
        .iter()
        .map(|p| (p.field.as_str(), p.code.as_str()))
        .collect();
    assert!(codes.contains(&("schools", "unknown_school")), "{codes:?}");

    let dir = tempfile::tempdir().unwrap();
    let options = ApplyOptions::new(dir.path().join("j"))
        .passwords_csv(dir.path().join("pw.csv"))
        .summary_csv(dir.path().join("s.csv"));
    let report = plan.apply(&k, &options).await.expect("apply");
    assert_eq!(report.count(ucs_sync::apply::ResultKind::Done), 8);
    assert_eq!(state(&k).await.len(), 8);
    let summary = std::fs::read_to_string(dir.path().join("s.csv")).unwrap();
    assert!(
        summary.contains(
            "4,rejected,,,rejected,\"birthday: \"\"31.02.2010\"\" is not a date (invalid_date)\"\n"
        ),
        "{summary}"
    );
}

#[tokio::test]
async fn role_rules_of_ucs_roles_reject_memberships_outside_the_schools() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let mut rows = people(3, "DEMOSCHOOL", "r");
    rows[1].classes = "DEMOSCHOOL2-1a".into();
    let plan = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    assert_eq!(plan.rejected.len(), 1);
    let problems = &plan.rejected[0].problems;
    assert!(
        problems
            .iter()
            .any(|p| p.code == "membership_outside_schools"
                && p.field == "school_classes.DEMOSCHOOL2"),
        "{problems:?}"
    );
}

/// A blank last name is one problem, the importer's (`ImportUser.validate`,
/// `check_mandatory_attributes`, ucs-school-import in ucsschool-kelvin-rest-api
/// release-4.0.0), not again as the role rules' required field.
#[tokio::test]
async fn a_field_breaking_two_checks_the_same_way_is_reported_once() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let mut rows = people(2, "DEMOSCHOOL", "r");
    rows[1].last = String::new();
    let plan = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    assert_eq!(plan.rejected.len(), 1, "{:?}", plan.rejected);
    let problems: Vec<_> = plan.rejected[0]
        .problems
        .iter()
        .map(|p| (p.field.as_str(), p.code.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [(
            "lastname",
            "required_field",
            "mandatory attribute \"lastname\" is empty"
        )]
    );
}

#[tokio::test]
async fn a_rejected_row_does_not_keep_its_name_from_later_rows() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let mut rows = people(60, "DEMOSCHOOL", "r");
    rows[3].classes = "DEMOSCHOOL2-1a".into();
    let plan = planner(&k)
        .plan(&Roster::from_csv(&csv(&rows), &cfg.csv).unwrap())
        .await
        .unwrap();
    assert_eq!(plan.rejected.len(), 1, "{:?}", plan.rejected);
    let later = plan
        .actions
        .iter()
        .find(|a| a.record_uid == "r00051")
        .expect("row of the same name");
    assert_eq!(
        later.name, "M.Mueller",
        "the rejected row 3 claimed nothing"
    );
}

#[tokio::test]
async fn a_changed_directory_is_replanned_on_request_and_progress_is_reported() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let cfg = config();
    let roster = Roster::from_csv(&csv(&people(6, "DEMOSCHOOL", "r")), &cfg.csv).unwrap();
    let planner = planner(&k);
    let stale = planner.plan(&roster).await.unwrap();
    // someone creates one of the roster's users in the meantime
    let Op::Create { user } = &stale.actions[0].op else {
        panic!("a create")
    };
    k.users()
        .create(user.to_new_user(None))
        .await
        .expect("created elsewhere");

    let dir = tempfile::tempdir().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = ApplyOptions::new(dir.path().join("j"))
        .passwords_csv(dir.path().join("pw.csv"))
        .summary_json(dir.path().join("s.json"))
        .on_progress(move |p| log.lock().unwrap().push((p.done, p.total)));
    let (applied, report) = planner
        .apply_or_replan(&roster, stale.clone(), &options)
        .await
        .expect("replanned");
    assert_ne!(applied.id, stale.id, "a new plan");
    assert_eq!(
        applied.actions[0].kind,
        ActionKind::Unchanged,
        "the user made elsewhere is not created again"
    );
    assert_eq!(report.count(ucs_sync::apply::ResultKind::Done), 5);
    let progress = seen.lock().unwrap().clone();
    assert_eq!(progress.len(), 5);
    assert!(
        progress.iter().all(|(_, total)| *total == 5)
            && progress.iter().any(|(done, _)| *done == 5)
    );
    let summary: Vec<ucs_sync::report::SummaryRow> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s.json")).unwrap()).unwrap();
    assert_eq!(summary.len(), 6);
    assert_eq!(
        (summary[0].action.as_str(), summary[0].result.as_str()),
        ("unchanged", "unchanged")
    );
    assert_eq!(state(&k).await.len(), 6);
}

#[tokio::test]
async fn kolab_style_names_are_the_alternative_to_the_scheme() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let mut cfg = config();
    cfg.scheme = Default::default();
    cfg.maildomain = None;
    let roster = Roster::from_csv(&csv(&people(9, "DEMOSCHOOL", "r")), &cfg.csv).unwrap();
    let names = ucs_sync::plan::KolabNames {
        mail_domain: Some("school.example.org".into()),
        language: None,
    };
    let plan = Planner::new(&k, cfg)
        .kolab_names(names)
        .plan(&roster)
        .await
        .unwrap();
    assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
    // ucs::forms::UserType::kelvin_school_user: the last name, transliterated, then a
    // suffix; the address first.last@domain
    assert_eq!(plan.actions[0].name, "mueller");
    assert_eq!(plan.actions[8].name, "schmidt");
    let Op::Create { user } = &plan.actions[1].op else {
        panic!("a create")
    };
    assert_eq!(user.name, "mueller2");
    assert_eq!(
        user.email.as_deref(),
        Some("anna.mueller@school.example.org")
    );
}

#[tokio::test]
async fn the_plan_file_round_trips_without_secrets_and_is_versioned() {
    let sim = sim().await;
    let k = kelvin(&sim);
    let mut cfg = config();
    cfg.csv.mapping.push(("Passwort".into(), "password".into()));
    let text = "ID;Vorname;Nachname;Schule;Klassen;Rolle;Geburtstag;Passwort\nr1;Anna;Berg;DEMOSCHOOL;1a;student;;Roster-Secret-99\n";
    let roster = Roster::from_csv(text.as_bytes(), &cfg.csv).unwrap();
    let plan = Planner::new(&k, cfg)
        .clock(FixedClock::on(day(2026, 3, 1)))
        .plan(&roster)
        .await
        .unwrap();
    let json = plan.to_json().unwrap();
    assert!(
        !json.contains("Roster-Secret-99"),
        "a roster password never reaches the plan file"
    );
    assert!(
        !format!("{plan:?}").contains("Roster-Secret-99"),
        "nor Debug output"
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], 1);
    assert_eq!(
        value["fingerprint"].as_str().map(str::len),
        Some(64),
        "a SHA-256"
    );
    assert_eq!(value["actions"][0]["op"], "create");
    assert_eq!(value["actions"][0]["kind"], "create");

    let dir = tempfile::tempdir().unwrap();
    plan.save(dir.path().join("plan.json")).unwrap();
    let loaded = ucs_sync::Plan::load(dir.path().join("plan.json")).unwrap();
    assert_eq!(
        (loaded.id.as_str(), &loaded.actions),
        (plan.id.as_str(), &plan.actions)
    );
    let newer = json.replacen("\"format\": 1", "\"format\": 2", 1);
    let err = ucs_sync::Plan::from_json(&newer).unwrap_err().to_string();
    assert!(err.contains("format Some(2) is not 1"), "{err}");

    // the in-memory plan uses the roster's password; it goes to the passwords file only
    let options = ApplyOptions::new(dir.path().join("j")).passwords_csv(dir.path().join("pw.csv"));
    plan.apply(&k, &options).await.unwrap();
    let passwords = std::fs::read_to_string(dir.path().join("pw.csv")).unwrap();
    assert!(
        passwords.contains("A.Berg,Roster-Secret-99,student,Berg,Anna,DEMOSCHOOL,DEMOSCHOOL-1a"),
        "{passwords}"
    );
    let journal = std::fs::read_to_string(dir.path().join("j")).unwrap();
    assert!(!journal.contains("Roster-Secret-99"));
}
