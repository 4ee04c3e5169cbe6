//! `ucs kelvin ...` against the emulator: tables (snapshots), JSON and CSV, every action of
//! every resource, the exit codes of batches, rule violations and read-only accounts.

use serde_json::Value;

use crate::common::{run, set_mode, Env};

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn users_list_as_table_json_and_csv() {
    let env = Env::start();
    let (code, table, stderr) =
        run(env
            .ucs()
            .args(["kelvin", "users", "list", "--school", "DEMOSCHOOL"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("kelvin_users_list", table);

    let (code, csv, _) = run(env.ucs().args([
        "kelvin",
        "users",
        "list",
        "--filter",
        "name=demo_st*",
        "-o",
        "csv",
    ]));
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        "name,firstname,lastname,school,roles,school_classes,email\n\
         demo_staff,Demo,Staff,DEMOSCHOOL,staff,,demo_staff@example.com\n\
         demo_student,Demo,Student,DEMOSCHOOL,student,DEMOSCHOOL:Democlass,demo_student@example.com\n"
    );
    // Kelvin ignores a query parameter it does not map (ucsschool-kelvin-rest-api
    // release-4.0.0, kelvin-api/ucsschool/kelvin/routers/v1/user.py
    // `search_query_params_to_udm_filter`): the list refuses to print that unfiltered answer
    let (code, stdout, stderr) =
        run(env
            .ucs()
            .args(["kelvin", "users", "list", "--query", "displayName=Nobody*"]));
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains(
            "the server does not map the UDM property \"displayName\", so Kelvin ignored \
             --query displayName=Nobody* and answered users without that filter"
        ),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(env.ucs().args([
        "kelvin",
        "users",
        "list",
        "--query",
        "title=Dr*",
        "-o",
        "json",
    ]));
    assert_eq!(
        (code, stdout.trim()),
        (0, "[]"),
        "a mapped one filters: {stderr}"
    );
    let (code, _, stderr) = run(env
        .ucs()
        .args(["kelvin", "users", "list", "--filter", "shoe=42"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("Kelvin cannot search users by \"shoe\""),
        "{stderr}"
    );
}

#[test]
fn users_list_by_role_is_one_user_type() {
    let env = Env::start();
    // `roles` is one user type, matched exactly by the lib class's type filter: teacher is
    // (&(objectClass=ucsschoolTeacher)(!(objectClass=ucsschoolStaff))), teacher + staff both
    // classes (ucsschool-kelvin-rest-api release-4.0.0, kelvin-api/ucsschool/kelvin/routers/
    // v1/user.py `search`; ucs-school-lib/modules/ucsschool/lib/models/user.py `Teacher`,
    // `TeacherAndStaff` `type_filter`)
    let (code, _, stderr) = run(env.ucs().args([
        "kelvin",
        "users",
        "create",
        "--name",
        "tstaff",
        "--firstname",
        "Tea",
        "--lastname",
        "Staff",
        "--role",
        "teacher",
        "--role",
        "staff",
        "--school",
        "DEMOSCHOOL",
        "--record-uid",
        "ts1",
        "--source-uid",
        "sis",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let list_names = |roles: &[&str]| {
        let mut args = vec!["kelvin", "users", "list", "-o", "json"];
        for role in roles {
            args.extend(["--role", role]);
        }
        let (code, stdout, stderr) = run(env.ucs().args(&args));
        assert_eq!(code, 0, "{stderr}");
        let users = json_of(&stdout);
        let names: Vec<String> = users
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_string())
            .collect();
        (names, users)
    };
    let (names, users) = list_names(&["teacher"]);
    assert_eq!(names, ["demo_teacher"], "not the teacher who is also staff");
    assert_eq!(
        users[0]["school_classes"],
        serde_json::json!({"DEMOSCHOOL": ["Democlass"]})
    );
    assert_eq!(users[0]["roles"], serde_json::json!(["teacher"]));
    let (names, users) = list_names(&["teacher", "staff"]);
    assert_eq!(names, ["tstaff"], "only users who are both");
    assert_eq!(users[0]["roles"], serde_json::json!(["staff", "teacher"]));
    let search = env
        .sim
        .requests()
        .into_iter()
        .rfind(|r| r.path_and_query.starts_with("/ucsschool/kelvin/v1/users"))
        .unwrap();
    assert!(
        search.path_and_query.contains("roles=teacher")
            && search.path_and_query.contains("roles=staff"),
        "{}",
        search.path_and_query
    );
    // any other set is refused before anything is sent (the server: 422 `Unknown value
    // for 'roles' property`)
    let before = env.sim.request_count();
    let (code, stdout, stderr) = run(env.ucs().args([
        "kelvin", "users", "list", "--role", "student", "--role", "teacher",
    ]));
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains(
            "Kelvin searches users by one of the role sets [staff], [student], [teacher], \
             [legal_guardian], [staff, teacher], [school_admin], not [student, teacher]"
        ),
        "{stderr}"
    );
    let searches = env
        .sim
        .requests()
        .iter()
        .skip(before as usize)
        .filter(|r| r.path_and_query.starts_with("/ucsschool/kelvin/v1/users"))
        .count();
    assert_eq!(searches, 0, "no search was sent");
}

#[test]
fn users_get_create_patch_delete() {
    let env = Env::start();
    let (code, table, _) = run(env.ucs().args(["kelvin", "users", "get", "demo_student"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("kelvin_users_get", env.normalize(&table));

    std::fs::write(env.path("new.pw"), "S3cret-Passw0rd!\n").unwrap();
    set_mode(&env.path("new.pw"), 0o600);
    let (code, stdout, stderr) = run(env.ucs().args([
        "kelvin",
        "users",
        "create",
        "--name",
        "jmueller",
        "--firstname",
        "Jürgen",
        "--lastname",
        "Müller",
        "--role",
        "student",
        "--school",
        "DEMOSCHOOL",
        "--class",
        "Democlass",
        "--record-uid",
        "4711",
        "--source-uid",
        "sis",
        "--birthday",
        "2010-05-04",
        "--udm-property",
        "title=Dr.",
        "--new-password-file",
        "new.pw",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("S3cret") && !stderr.contains("S3cret"));
    let created = json_of(&stdout);
    assert_eq!(created["birthday"], "2010-05-04");
    assert_eq!(created["udm_properties"]["title"], "Dr.");
    let stored = env
        .sim
        .store()
        .user("jmueller")
        .expect("created on the server");
    assert_eq!(stored.str_property("lastname"), Some("Müller"));
    assert!(env
        .sim
        .store()
        .password_matches(&stored.dn, "S3cret-Passw0rd!"));

    let (code, stdout, _) = run(env.ucs().args([
        "kelvin",
        "users",
        "patch",
        "jmueller",
        "--set",
        "lastname=Meier",
        "--clear",
        "email",
        "--set",
        "udm_properties.title=Prof.",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    let patched = json_of(&stdout);
    assert_eq!(
        (patched["lastname"].as_str(), patched["email"].as_str()),
        (Some("Meier"), None)
    );
    assert_eq!(
        env.sim
            .store()
            .user("jmueller")
            .unwrap()
            .str_property("title"),
        Some("Prof.")
    );
    let patch = env
        .sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(patch.path_and_query, "/ucsschool/kelvin/v1/users/jmueller");

    // `get -o json` is input of `create --json`
    let (_, doc, _) = run(env
        .ucs()
        .args(["kelvin", "users", "get", "jmueller", "-o", "json"]));
    let doc = doc
        .replace("\"jmueller\"", "\"jmeier\"")
        .replace("\"4711\"", "\"4712\"");
    std::fs::write(env.path("copy.json"), doc).unwrap();
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["kelvin", "users", "create", "--json", "copy.json"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        env.sim
            .store()
            .user("jmeier")
            .unwrap()
            .str_property("lastname"),
        Some("Meier")
    );

    // deleting two existing and one missing user: partly done
    let (code, stdout, stderr) = run(env
        .ucs()
        .args(["kelvin", "users", "delete", "jmueller", "nobody", "jmeier"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(stdout, "deleted user jmueller\ndeleted user jmeier\n");
    assert!(
        stderr.starts_with("nobody: error: not found: DELETE"),
        "{stderr}"
    );
    assert!(env.sim.store().user("jmueller").is_none() && env.sim.store().user("jmeier").is_none());
    let (code, _, _) = run(env.ucs().args(["kelvin", "users", "delete", "nobody"]));
    assert_eq!(code, 2, "nothing done");
}

#[test]
fn rule_violations_are_named_before_anything_is_sent() {
    let env = Env::start();
    let before = env.sim.request_count();
    let (code, stdout, stderr) = run(env.ucs().args([
        "kelvin",
        "users",
        "create",
        "--name",
        "x",
        "--firstname",
        "X",
        "--lastname",
        "Y",
        "--role",
        "student",
        "--role",
        "teacher",
        "--school",
        "DEMOSCHOOL",
    ]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    insta::assert_snapshot!("kelvin_rule_violations", stderr);
    let posts = env
        .sim
        .requests()
        .iter()
        .skip(before as usize)
        .filter(|r| r.method == "POST" && r.path_and_query.contains("/users"))
        .count();
    assert_eq!(posts, 0, "no create was sent");
    let (code, _, stderr) = run(env.ucs().args([
        "kelvin",
        "users",
        "patch",
        "demo_student",
        "--set",
        "shoe_size=42",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("shoe_size: not a field Kelvin can change"),
        "{stderr}"
    );
    let (code, _, stderr) = run(env.ucs().args(["kelvin", "users", "patch", "demo_student"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("nothing to change"), "{stderr}");
}

#[test]
fn a_reader_can_read_but_not_write() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args([
        "--user",
        "kelvin-reader",
        "kelvin",
        "users",
        "get",
        "demo_teacher",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    assert_eq!(json_of(&stdout)["name"], "demo_teacher");
    let (code, _, stderr) = run(env.ucs().args([
        "--user",
        "kelvin-reader",
        "kelvin",
        "users",
        "delete",
        "demo_teacher",
    ]));
    assert_eq!(code, 2);
    // readers get 401 `Unauthorized` on writes (ucsschool-kelvin-rest-api release-4.0.0,
    // kelvin-api/ucsschool/kelvin/token_auth.py `get_kelvin_admin`)
    assert!(stderr.contains("-> 401: Unauthorized"), "{stderr}");
    assert!(
        stderr.contains("a read-only Kelvin account cannot write"),
        "{stderr}"
    );
    assert!(env.sim.store().user("demo_teacher").is_some());
}

#[test]
fn schools_and_roles() {
    let env = Env::start();
    let (code, table, _) = run(env.ucs().args(["kelvin", "schools", "list"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("kelvin_schools_list", table);
    let (code, stdout, _) = run(env.ucs().args([
        "kelvin",
        "schools",
        "create",
        "SCHOOL3",
        "--display-name",
        "School Three",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    assert_eq!(json_of(&stdout)["display_name"], "School Three");
    let (_, stdout, _) = run(env
        .ucs()
        .args(["kelvin", "schools", "get", "SCHOOL3", "-o", "json"]));
    assert_eq!(json_of(&stdout)["name"], "SCHOOL3");
    let (code, stdout, _) = run(env
        .ucs()
        .args(["kelvin", "schools", "list", "--name", "DEMO*", "-o", "csv"]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    // in the server's order, and `display_name` is the name (ucsschool-kelvin-rest-api
    // release-4.0.0, kelvin-api/ucsschool/kelvin/routers/v1/role.py `search`, `get`)
    let (code, table, _) = run(env.ucs().args(["kelvin", "roles", "list"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("kelvin_roles_list", table);
    let (code, stdout, _) =
        run(env
            .ucs()
            .args(["kelvin", "roles", "get", "legal_guardian", "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(json_of(&stdout)["display_name"], "legal_guardian");
    let (code, _, stderr) = run(env.ucs().args(["kelvin", "schools", "get", "NOSCHOOL"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("not found"), "{stderr}");
}

#[test]
fn classes_and_workgroups() {
    let env = Env::start();
    let (code, table, _) =
        run(env
            .ucs()
            .args(["kelvin", "classes", "list", "--school", "DEMOSCHOOL"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("kelvin_classes_list", table);
    let (code, stdout, stderr) = run(env.ucs().args([
        "kelvin",
        "classes",
        "create",
        "DEMOSCHOOL",
        "5a",
        "--description",
        "Fifth",
        "--member",
        "demo_student",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        json_of(&stdout)["users"],
        serde_json::json!(["demo_student"])
    );
    let (code, stdout, _) = run(env.ucs().args([
        "kelvin",
        "classes",
        "patch",
        "DEMOSCHOOL",
        "5a",
        "--clear-description",
        "--users",
        "demo_student,demo_teacher",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    let class = json_of(&stdout);
    assert_eq!(class["description"], Value::Null);
    assert_eq!(
        class["users"],
        serde_json::json!(["demo_student", "demo_teacher"])
    );
    let (_, stdout, _) =
        run(env
            .ucs()
            .args(["kelvin", "classes", "get", "DEMOSCHOOL", "5a", "-o", "json"]));
    assert_eq!(json_of(&stdout)["name"], "5a");
    let (code, stdout, _) =
        run(env
            .ucs()
            .args(["kelvin", "classes", "delete", "DEMOSCHOOL", "5a"]));
    assert_eq!(
        (code, stdout.as_str()),
        (0, "deleted class DEMOSCHOOL/5a\n")
    );

    let (code, stdout, stderr) = run(env.ucs().args([
        "kelvin",
        "workgroups",
        "create",
        "DEMOSCHOOL",
        "chess",
        "--member",
        "demo_teacher",
        "--no-share",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    // v1 answers always say `create_share: true`: the model's default, the lib object does
    // not give it back (ucsschool-kelvin-rest-api release-4.0.0,
    // kelvin-api/ucsschool/kelvin/routers/v1/workgroup.py `WorkGroupCreateModel`)
    assert_eq!(json_of(&stdout)["create_share"], true);
    let (code, stdout, _) = run(env.ucs().args([
        "kelvin",
        "workgroups",
        "patch",
        "DEMOSCHOOL",
        "chess",
        "--rename",
        "go",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    assert_eq!(json_of(&stdout)["name"], "go");
    let (_, stdout, _) = run(env.ucs().args([
        "kelvin",
        "workgroups",
        "list",
        "--school",
        "DEMOSCHOOL",
        "-o",
        "csv",
    ]));
    assert!(
        stdout.contains("\ngo,DEMOSCHOOL,,demo_teacher\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run(env.ucs().args([
        "kelvin",
        "workgroups",
        "get",
        "DEMOSCHOOL",
        "go",
        "-o",
        "json",
    ]));
    assert_eq!(
        json_of(&stdout)["users"],
        serde_json::json!(["demo_teacher"])
    );
    let (code, _, stderr) = run(env.ucs().args([
        "kelvin",
        "workgroups",
        "delete",
        "DEMOSCHOOL",
        "go",
        "chess",
    ]));
    assert_eq!(code, 1, "one of two: {stderr}");
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["kelvin", "classes", "patch", "DEMOSCHOOL", "Democlass"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("nothing to change"));
}

#[test]
fn kelvin_v2_is_selectable() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args([
        "--kelvin-api",
        "v2",
        "kelvin",
        "users",
        "get",
        "demo_staff",
        "-o",
        "json",
    ]));
    assert_eq!(code, 0);
    assert!(json_of(&stdout)["url"]
        .as_str()
        .unwrap()
        .contains("/ucsschool/kelvin/v2/users/demo_staff"));
    let (code, _, stderr) = run(env.ucs().args([
        "--kelvin-api",
        "v2",
        "kelvin",
        "users",
        "list",
        "--role",
        "staff",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("v2 API has no roles"), "{stderr}");
}
