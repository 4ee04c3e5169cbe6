//! `ucs sync plan|apply|run` against the emulator: the plan table, the plan file, applying
//! with its journal and passwords file, the confirmation, and each exit code.

use crate::common::{run, Env};

/// An importer configuration as a school writes it (ucs-school-import's `user_import.json`).
const IMPORT_JSON: &str = r#"{
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

const HEADER: &str = "ID;Vorname;Nachname;Schule;Klassen;Rolle;Geburtstag\n";
const GOOD: &str = "r1;Jürgen;Müller;DEMOSCHOOL;\"1a\";student;01.02.2010\n\
                    r2;Anna;Schmidt;DEMOSCHOOL;\"1a\";student;03.04.2011\n\
                    r4;Lena;Meyer;DEMOSCHOOL;\"\";teacher;07.08.1980\n";
const BAD: &str = "r3;Max;;DEMOSCHOOL;\"1b\";student;05.06.2010\n";

fn setup(rows: &str) -> Env {
    let env = Env::start();
    std::fs::write(env.path("import.json"), IMPORT_JSON).unwrap();
    std::fs::write(env.path("roster.csv"), format!("{HEADER}{rows}")).unwrap();
    env
}

fn sis_users(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = env
        .sim
        .store()
        .objects("users/user")
        .into_iter()
        .filter(|u| u.str_property("ucsschoolSourceUID") == Some("sis"))
        .filter_map(|u| u.str_property("username").map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn plan_shows_counts_rows_and_rejected_rows_and_writes_the_plan() {
    let env = setup(&format!("{GOOD}{BAD}"));
    let (code, stdout, stderr) = run(env.ucs().args([
        "sync",
        "plan",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan.json",
    ]));
    assert_eq!(code, 1, "a rejected row: partly. {stderr}");
    insta::assert_snapshot!("sync_plan", stdout);
    assert!(
        stderr.contains("plan written to plan.json; apply it with: ucs sync apply plan.json"),
        "{stderr}"
    );
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["actions"].as_array().unwrap().len(), 3);
    assert_eq!(plan["rejected"][0]["row"], 5, "the line of the bad row");
    assert!(sis_users(&env).is_empty(), "planning changes nothing");

    let (code, stdout, _) = run(env.ucs().args([
        "sync",
        "plan",
        "roster.csv",
        "--config",
        "import.json",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    let printed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed["source_uid"], "sis");
}

#[test]
fn apply_runs_the_plan_and_keeps_journal_and_passwords() {
    let env = setup(GOOD);
    let (code, _, _) = run(env.ucs().args([
        "sync",
        "plan",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan.json",
    ]));
    assert_eq!(code, 0);
    let (code, stdout, stderr) =
        run(env
            .ucs()
            .args(["sync", "apply", "plan.json", "--summary-csv", "summary.csv"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("applied:\n  done              3\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\r') && !stdout.contains('\u{1b}'),
        "no progress bar when stdout is not a terminal"
    );
    assert_eq!(sis_users(&env), ["A.Schmidt", "J.Mueller", "L.Meyer"]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(env.path("plan.passwords.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let passwords = std::fs::read_to_string(env.path("plan.passwords.csv")).unwrap();
    assert_eq!(
        passwords.lines().count(),
        4,
        "a header and one line per new user: {passwords}"
    );
    assert!(env.path("plan.journal.jsonl").exists());
    let summary = std::fs::read_to_string(env.path("summary.csv")).unwrap();
    assert!(
        summary.starts_with("row,action,name,record_uid,result,error\n"),
        "{summary}"
    );
    // the passwords never reach the terminal
    for line in passwords.lines().skip(1) {
        for field in line.split(',') {
            if field.len() >= 12 {
                assert!(!stdout.contains(field) && !stderr.contains(field));
            }
        }
    }
}

#[test]
fn run_asks_and_refuses_without_a_terminal_unless_yes() {
    let env = setup(GOOD);
    let (code, _, stderr) = run(env.ucs().args([
        "sync",
        "run",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan.json",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("not applied: standard input is not a terminal"),
        "{stderr}"
    );
    assert!(stderr.contains("pass --yes"), "{stderr}");
    assert!(sis_users(&env).is_empty(), "nothing done");
    let (code, stdout, stderr) = run(env.ucs().args([
        "sync",
        "run",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan.json",
        "--yes",
    ]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(sis_users(&env).len(), 3);
    // a second run has nothing to do
    let (code, stdout, stderr) = run(env.ucs().args([
        "sync",
        "run",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan2.json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("unchanged        3"), "{stdout}");
    assert!(stderr.contains("nothing to change"), "{stderr}");
    // a changed last name becomes a PATCH of exactly that field (and what depends on it)
    std::fs::write(
        env.path("roster.csv"),
        format!("{HEADER}{}", GOOD.replace("Schmidt", "Schmitt")),
    )
    .unwrap();
    let (code, stdout, _) =
        run(env
            .ucs()
            .args(["sync", "plan", "roster.csv", "--config", "import.json"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("sync_plan_modify", stdout);
    // a user missing from the roster is deactivated (deactivation grace period 0)
    let without_lena: String = GOOD
        .replace("Schmidt", "Schmitt")
        .lines()
        .filter(|l| !l.starts_with("r4;"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(env.path("roster.csv"), format!("{HEADER}{without_lena}")).unwrap();
    let (code, stdout, stderr) = run(env.ucs().args([
        "sync",
        "run",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan3.json",
        "--yes",
    ]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("deactivate       1") && stdout.contains("modify           1"),
        "{stdout}"
    );
    let lena = env.sim.store().user("L.Meyer").unwrap();
    assert_eq!(
        lena.property("disabled"),
        Some(&serde_json::json!(true)),
        "{:?}",
        lena.properties
    );
    assert!(lena.str_property("ucsschoolPurgeTimestamp").is_some());
    // the user name stays (uid is in no_overwrite_attributes), the last name changes
    assert_eq!(
        env.sim
            .store()
            .user("A.Schmidt")
            .unwrap()
            .str_property("lastname"),
        Some("Schmitt")
    );
}

#[test]
fn a_failed_action_is_partly_done_and_a_changed_directory_refuses_the_plan() {
    let env = setup(GOOD);
    let (code, _, _) = run(env.ucs().args([
        "sync",
        "plan",
        "roster.csv",
        "--config",
        "import.json",
        "-o",
        "plan.json",
    ]));
    assert_eq!(code, 0);
    // someone takes one of the planned names outside the schools (not a school user, so
    // the plan's view of the school directory is unchanged)
    env.sim
        .store()
        .insert("users/user", None, serde_json::json!({"username": "A.Schmidt", "lastname": "Other", "password": "univention"}))
        .unwrap();
    let (code, stdout, stderr) = run(env.ucs().args(["sync", "apply", "plan.json"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("failed            1"), "{stdout}");
    assert!(
        stdout.contains("row 3, create A.Schmidt (r2): "),
        "{stdout}"
    );
    assert_eq!(sis_users(&env), ["J.Mueller", "L.Meyer"]);

    // a plan made before a school user changed is refused as a whole
    std::fs::write(
        env.path("roster.csv"),
        format!("{HEADER}r9;Paul;Weiss;DEMOSCHOOL;\"1a\";student;01.01.2012\n"),
    )
    .unwrap();
    let (code, _, _) = run(env.ucs().args([
        "sync",
        "plan",
        "roster.csv",
        "--config",
        "import.json",
        "--school",
        "DEMOSCHOOL",
        "-o",
        "old.json",
    ]));
    assert!(code <= 1);
    let (code, _, _) = run(env.ucs().args([
        "kelvin",
        "users",
        "patch",
        "J.Mueller",
        "--set",
        "lastname=Changed",
    ]));
    assert_eq!(code, 0);
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["sync", "apply", "old.json", "--journal", "old.journal"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the directory changed since the plan was made"),
        "{stderr}"
    );
    assert!(stderr.contains("make a new plan"), "{stderr}");
}

#[test]
fn bad_inputs_do_nothing() {
    let env = setup(GOOD);
    std::fs::write(env.path("broken.json"), "{ not json").unwrap();
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["sync", "plan", "roster.csv", "--config", "broken.json"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("configuration: not JSON"), "{stderr}");
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["sync", "plan", "missing.csv", "--config", "import.json"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.csv"), "{stderr}");
    std::fs::write(env.path("plan.json"), "{\"format\": 99}").unwrap();
    let (code, _, stderr) = run(env.ucs().args(["sync", "apply", "plan.json"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("plan: format Some(99) is not 1"),
        "{stderr}"
    );
    let (code, _, stderr) = run(env.ucs().args(["sync", "plan", "roster.csv"]));
    assert_eq!(code, 2, "the configuration is required");
    assert!(stderr.contains("--config <IMPORT.JSON>"), "{stderr}");
    std::fs::write(env.path("all-bad.csv"), format!("{HEADER}{BAD}")).unwrap();
    let (code, _, _) =
        run(env
            .ucs()
            .args(["sync", "plan", "all-bad.csv", "--config", "import.json"]));
    assert_eq!(code, 2, "every row rejected: nothing to do");
    assert!(sis_users(&env).is_empty());
}

/// The README's first command: the sample roster against an emulator started for the run.
#[test]
fn the_sample_roster_runs_against_an_embedded_emulator() {
    let dir = tempfile::tempdir().unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sync");
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ucs"));
    cmd.current_dir(dir.path())
        .env("HOME", dir.path())
        .env_remove("UCS_HOST")
        .env_remove("UCS_PROFILE")
        .args(["sync", "run"])
        .arg(examples.join("students.csv"))
        .arg("--config")
        .arg(examples.join("import.json"))
        .args(["--sim", "--yes"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(
        code, 1,
        "one row is rejected, the others done: {stdout}{stderr}"
    );
    assert!(stdout.contains("create           7"), "{stdout}");
    assert!(
        stdout.contains("J.Mueller2"),
        "the counter makes names unique: {stdout}"
    );
    assert!(
        stdout.contains("row 9 (record_uid 3001): lastname"),
        "{stdout}"
    );
    assert!(stdout.contains("done              7"), "{stdout}");
    assert!(
        stderr.contains("using an emulator started for this run"),
        "{stderr}"
    );
    let passwords = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".passwords.csv"))
        .expect("a passwords file");
    let rows = std::fs::read_to_string(passwords.path()).unwrap();
    assert_eq!(rows.lines().count(), 8, "a header and 7 new users: {rows}");
    for row in rows.lines().skip(1) {
        let password = row.split(',').nth(1).expect("a password column");
        assert!(password.len() >= 15, "{row}");
        assert!(
            !stdout.contains(password) && !stderr.contains(password),
            "never printed"
        );
    }
}
