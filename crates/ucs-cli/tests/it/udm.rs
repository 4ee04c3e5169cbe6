//! `ucs udm ...` against the emulator: streaming lists, every action, typed --set values,
//! partial deletes, unknown modules.

use serde_json::{json, Value};

use crate::common::{run, set_mode, Env};

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn list_as_table_json_and_csv_with_filters() {
    let env = Env::start();
    let (code, table, stderr) =
        run(env
            .ucs()
            .args(["udm", "users/user", "list", "--filter", "uid=demo_*"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("udm_users_list", table);
    let (code, stdout, _) = run(env.ucs().args([
        "udm",
        "users/user",
        "list",
        "--school",
        "DEMOSCHOOL",
        "--role",
        "teacher",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    let users = json_of(&stdout);
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["properties"]["username"], "demo_teacher");
    assert_eq!(users[0]["module"], "users/user");
    let search = env
        .sim
        .requests()
        .into_iter()
        .rfind(|r| r.path_and_query.starts_with("/univention/udm/users/user/?"))
        .unwrap();
    assert!(
        search
            .path_and_query
            .contains("position=ou%3DDEMOSCHOOL%2Cdc%3Dexample%2Cdc%3Dcom"),
        "{}",
        search.path_and_query
    );
    let (code, csv, _) = run(env.ucs().args([
        "udm",
        "users/user",
        "list",
        "--query",
        "lastname=Teach*",
        "--properties",
        "username,lastname",
        "-o",
        "csv",
    ]));
    assert_eq!(code, 0);
    assert_eq!(csv, "username,lastname,dn\ndemo_teacher,Teacher,\"uid=demo_teacher,cn=lehrer,cn=users,ou=DEMOSCHOOL,dc=example,dc=com\"\n");
    let (code, stdout, stderr) =
        run(env
            .ucs()
            .args(["udm", "users/user", "list", "--filter", "uid=nobody*"]));
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "", "no objects found\n")
    );
    let (_, stdout, _) = run(env.ucs().args([
        "udm",
        "users/user",
        "list",
        "--filter",
        "uid=nobody*",
        "-o",
        "json",
    ]));
    assert_eq!(stdout, "[]\n");
}

#[test]
fn large_lists_are_fetched_page_by_page_and_printed_as_they_come() {
    let env = Env::with(ucs_sim::Sim::builder().tls(true).empty(true));
    let store = env.sim.store();
    for i in 0..1_050 {
        store
            .insert("users/user", None, json!({"username": format!("bulk{i:04}"), "lastname": "Bulk", "password": "univention"}))
            .expect("seeded");
    }
    env.sim.clear_requests();
    let (code, stdout, stderr) = run(env.ucs().args([
        "udm",
        "users/user",
        "list",
        "--query",
        "username=bulk*",
        "--page-size",
        "100",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let users = json_of(&stdout);
    assert_eq!(users.as_array().unwrap().len(), 1_050);
    assert_eq!(users[1_049]["properties"]["username"], "bulk1049");
    let pages: Vec<String> = env
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.path_and_query.starts_with("/univention/udm/users/user/?"))
        .map(|r| r.path_and_query)
        .collect();
    assert_eq!(pages.len(), 11, "one request per page of 100");
    assert!(pages.iter().all(|p| p.contains("limit=100")));
    assert!(pages[10].contains("page=11"), "{}", pages[10]);
    // one JSON object per line: a consumer reads each as it arrives
    assert_eq!(stdout.lines().count(), 1_050 + 2);
    let (code, stdout, _) = run(env.ucs().args([
        "udm",
        "users/user",
        "list",
        "--query",
        "username=bulk*",
        "--limit",
        "3",
        "-o",
        "csv",
    ]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 4, "header and three rows: {stdout}");
}

#[test]
fn get_create_modify_move_delete() {
    let env = Env::start();
    let (code, table, _) = run(env.ucs().args([
        "udm",
        "groups/group",
        "get",
        "cn=Democlass-x,cn=groups,dc=example,dc=com",
    ]));
    assert_eq!(code, 2, "{table}");
    let (code, table, _) = run(env.ucs().args([
        "udm",
        "container/ou",
        "get",
        "ou=DEMOSCHOOL,dc=example,dc=com",
    ]));
    assert_eq!(code, 0);
    assert!(table.starts_with("dn "), "{table}");
    assert!(
        table.contains("\nname ") && table.contains("DEMOSCHOOL"),
        "{table}"
    );

    std::fs::write(env.path("pw"), "S3cret-Passw0rd!\n").unwrap();
    set_mode(&env.path("pw"), 0o600);
    let (code, stdout, stderr) = run(env.ucs().args([
        "udm",
        "users/user",
        "create",
        "--position",
        "cn=users,dc=example,dc=com",
        "--set",
        "username=jdoe",
        "--set",
        "firstname=Jane",
        "--set",
        "lastname=Doe",
        "--set",
        "disabled=true",
        "--set-json",
        "phone=[\"1\",\"2\"]",
        "--new-password-file",
        "pw",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let created = json_of(&stdout);
    assert_eq!(created["dn"], "uid=jdoe,cn=users,dc=example,dc=com");
    assert_eq!(
        created["properties"]["disabled"], true,
        "typed like the template's value"
    );
    assert_eq!(created["properties"]["phone"], json!(["1", "2"]));
    assert!(env
        .sim
        .store()
        .password_matches("uid=jdoe,cn=users,dc=example,dc=com", "S3cret-Passw0rd!"));

    let (code, stdout, _) = run(env.ucs().args([
        "udm",
        "users/user",
        "modify",
        "uid=jdoe,cn=users,dc=example,dc=com",
        "--set",
        "description=Teacher",
        "--clear",
        "phone",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    let modified = json_of(&stdout);
    assert_eq!(modified["properties"]["description"], "Teacher");
    let patch = env
        .sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "PATCH")
        .unwrap();
    assert!(patch.if_match.is_some(), "writes carry If-Match");

    let (code, _, _) = run(env.ucs().args([
        "udm",
        "container/cn",
        "create",
        "--position",
        "dc=example,dc=com",
        "--set",
        "name=people",
    ]));
    assert_eq!(code, 0);
    let (code, stdout, stderr) = run(env.ucs().args([
        "udm",
        "users/user",
        "move",
        "uid=jdoe,cn=users,dc=example,dc=com",
        "--position",
        "cn=people,dc=example,dc=com",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        json_of(&stdout)["dn"],
        "uid=jdoe,cn=people,dc=example,dc=com"
    );

    let (code, stdout, stderr) = run(env.ucs().args([
        "udm",
        "users/user",
        "delete",
        "uid=jdoe,cn=people,dc=example,dc=com",
        "uid=nobody,cn=people,dc=example,dc=com",
    ]));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "deleted users/user uid=jdoe,cn=people,dc=example,dc=com\n"
    );
    assert!(
        stderr.starts_with("uid=nobody,cn=people,dc=example,dc=com: error: not found"),
        "{stderr}"
    );
    assert!(!env
        .sim
        .store()
        .exists("uid=jdoe,cn=people,dc=example,dc=com"));
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let env = Env::start();
    let cases: [(&[&str], &str); 5] = [
        (
            &["udm", "users/usr", "list"],
            "unknown UDM module \"users/usr\"; did you mean users/user",
        ),
        (
            &["udm", "users/user", "get", "not a dn"],
            "not a DN: \"not a dn\"",
        ),
        (
            &[
                "udm",
                "users/user",
                "modify",
                "uid=a,dc=example,dc=com",
                "--set",
                "password=x",
            ],
            "passwords are never taken from arguments",
        ),
        (&["udm", "users/user"], "what to do with users/user?"),
        (
            &["udm", "modules", "list"],
            "`ucs udm modules` takes no action",
        ),
    ];
    for (args, message) in cases {
        let (code, _, stderr) = run(env.ucs().args(args));
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(env.sim.request_count(), 0);
}

#[test]
fn modules_are_listed() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args(["udm", "modules", "-o", "json"]));
    assert_eq!(code, 0);
    let modules = json_of(&stdout);
    let names: Vec<&str> = modules
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert!(
        names.contains(&"users/user") && names.contains(&"dns/host_record"),
        "{names:?}"
    );
    assert!(names.len() > 100);
}

#[test]
fn a_user_without_udm_rights_is_told_so() {
    let env = Env::start();
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["--user", "kelvin-reader", "udm", "users/user", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("forbidden:") && stderr.contains("-> 403"),
        "{stderr}"
    );
    assert!(
        stderr.contains("lacks the rights (UDM: Domain Admins)"),
        "{stderr}"
    );
}
