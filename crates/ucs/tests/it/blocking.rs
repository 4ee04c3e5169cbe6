//! The blocking clients against ucs-sim running on a runtime of its own:
//! the test threads themselves have no async runtime, except where a test
//! checks that calling from inside one does not panic.

use ucs::blocking;
use ucs::kelvin::{
    GroupPatch, Kelvin, NewSchool, NewSchoolClass, NewUser, NewWorkGroup, UserFilter, UserPatch,
};
use ucs::roles::Role;
use ucs::udm::{Dn, Filter, Udm};
use ucs::Error;
use ucs_sim::{Sim, SimHandle};

/// The emulator on a multi-thread runtime that keeps serving after
/// `block_on` returned; dropping the runtime stops it.
fn sim_on_its_own_runtime() -> (tokio::runtime::Runtime, SimHandle) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let sim = runtime.block_on(Sim::builder().spawn()).expect("emulator");
    (runtime, sim)
}

fn kelvin(sim: &SimHandle) -> blocking::Kelvin {
    let (user, password) = sim.admin();
    Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .build_blocking()
        .expect("session")
}

fn udm(sim: &SimHandle) -> blocking::Udm {
    let (user, password) = sim.admin();
    Udm::builder(sim.udm_url())
        .credentials(user, password)
        .build_blocking()
        .expect("client")
}

#[test]
fn kelvin_users_schools_classes_workgroups_and_roles() {
    let (_runtime, sim) = sim_on_its_own_runtime();
    let k = kelvin(&sim);

    let school = k.schools().get("DEMOSCHOOL").expect("school");
    assert_eq!(school.name, "DEMOSCHOOL");
    assert!(k.schools().exists("DEMOSCHOOL").expect("exists"));
    assert!(!k.schools().exists("NOSCHOOL").expect("exists"));
    let created = k
        .schools()
        .create(NewSchool::new("BLOCKSCHOOL"))
        .expect("create school");
    assert_eq!(created.name, "BLOCKSCHOOL");
    assert!(k
        .schools()
        .search(None)
        .expect("schools")
        .iter()
        .any(|s| s.name == "BLOCKSCHOOL"));

    let users = k.users();
    let new = NewUser::student("Jürgen", "Müller")
        .name("blk.student")
        .school("DEMOSCHOOL")
        .class("1a")
        .record_uid("rec-blocking")
        .source_uid("blocking")
        .password("Initial-Passw0rd!");
    let user = users.create(new).expect("create");
    assert_eq!(
        (user.name.as_str(), user.roles.clone()),
        ("blk.student", vec![Role::Student])
    );
    assert_eq!(users.get("blk.student").expect("get").lastname, "Müller");
    assert!(users.exists("blk.student").expect("exists"));
    let found = users
        .search(&UserFilter::new().school("DEMOSCHOOL").name("blk.*"))
        .expect("search");
    assert_eq!(
        found.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["blk.student"]
    );
    let patched = users
        .patch("blk.student", &UserPatch::new().firstname("Karl"))
        .expect("patch");
    assert_eq!(patched.firstname, "Karl");
    let renamed = users.rename("blk.student", "blk.renamed").expect("rename");
    assert_eq!(renamed.name, "blk.renamed");
    users.delete("blk.renamed").expect("delete");
    assert!(users.get("blk.renamed").unwrap_err().is_not_found());

    let class = k
        .classes()
        .create(NewSchoolClass::new("DEMOSCHOOL", "9b").user("demo_student"))
        .expect("class");
    assert_eq!(class.users, Some(vec!["demo_student".to_string()]));
    let patched = k
        .classes()
        .patch(
            "DEMOSCHOOL",
            "9b",
            &GroupPatch::new().description(Some("ninth")),
        )
        .expect("patch");
    assert_eq!(patched.description.as_deref(), Some("ninth"));
    assert_eq!(
        k.classes()
            .search("DEMOSCHOOL", Some("9*"))
            .expect("search")
            .len(),
        1
    );
    k.classes().delete("DEMOSCHOOL", "9b").expect("delete");
    assert!(!k.classes().exists("DEMOSCHOOL", "9b").expect("exists"));

    let wg = k
        .workgroups()
        .create(NewWorkGroup::new("DEMOSCHOOL", "chess-club"))
        .expect("workgroup");
    assert_eq!(wg.name, "chess-club");
    assert_eq!(
        k.workgroups()
            .get("DEMOSCHOOL", "chess-club")
            .expect("get")
            .name,
        "chess-club"
    );
    k.workgroups()
        .delete("DEMOSCHOOL", "chess-club")
        .expect("delete");

    assert_eq!(k.roles().list().expect("roles").len(), 5);
    assert_eq!(
        k.roles().get(Role::Teacher).expect("role").role(),
        Some(Role::Teacher)
    );
    assert_eq!(k.logins(), 1, "one session for every call");
}

#[test]
fn udm_module_create_get_search_patch_modify_move_delete() {
    let (_runtime, sim) = sim_on_its_own_runtime();
    let u = udm(&sim);
    let users = u.users();
    let mut new = users.template(None, None).expect("template");
    new.set("username", "blocking-user")
        .set("firstname", "Jane")
        .set("lastname", "Doe")
        .set_password("Passw0rd-Secret!");
    let created = users.create(&new).expect("create");
    let dn = created.dn().cloned().expect("dn");
    assert!(users.exists(&dn).expect("exists"));
    assert_eq!(
        users.get(&dn).expect("get").get_str("lastname"),
        Some("Doe")
    );
    let only = users.get_properties(&dn, Some(&["username"])).expect("get");
    assert_eq!(only.get_str("username"), Some("blocking-user"));
    assert_eq!(only.get("lastname"), None);

    let found = users
        .search()
        .query("username", "blocking-*")
        .all()
        .expect("search");
    assert_eq!(found.len(), 1);
    let exact = users
        .search()
        .filter(Filter::eq("username", "blocking-user"))
        .all()
        .expect("search");
    assert_eq!(exact.first().and_then(|o| o.dn()), Some(&dn));
    let iterated: Vec<_> = users
        .search()
        .page_size(1)
        .iter()
        .collect::<ucs::Result<Vec<_>>>()
        .expect("iterate");
    let all = users.search().all().expect("all");
    assert_eq!(iterated.len(), all.len(), "page by page, every hit");
    assert!(iterated.len() >= 2);

    let mut changed = users.get(&dn).expect("get");
    changed.set("description", "patched");
    assert_eq!(
        users.patch(&changed).expect("patch").get_str("description"),
        Some("patched")
    );
    let modified = users
        .modify(&dn, |object| {
            object.set("description", "modified");
            Ok(())
        })
        .expect("modify");
    assert_eq!(modified.get_str("description"), Some("modified"));

    let ous = u.ous();
    let mut ou = ous.template(None, None).expect("template");
    ou.set("name", "blockingou");
    let ou = ous.create(&ou).expect("ou");
    let ou_dn = ou.dn().cloned().expect("dn");
    let moved = users.move_to(&modified, &ou_dn).expect("move");
    let moved_dn = moved.dn().cloned().expect("dn");
    assert_eq!(moved_dn.to_string(), format!("uid=blocking-user,{ou_dn}"));
    users.delete(&moved_dn).expect("delete");
    assert!(!users.exists(&moved_dn).expect("exists"));
    ous.delete_with(&ou_dn, ucs::udm::DeleteOptions::leaf_only())
        .expect("delete empty ou");

    let missing: Dn = "uid=nobody,cn=users,dc=example,dc=com".parse().expect("dn");
    assert!(matches!(users.get(&missing), Err(Error::NotFound(_))));
    assert!(matches!(
        u.module("users/usr"),
        Err(Error::UnknownModule { .. })
    ));
    assert!(u
        .modules()
        .expect("modules")
        .iter()
        .any(|m| m.name == "users/user"));
}

/// Calls from async code block its thread but do not panic; so does
/// dropping the client there.
#[tokio::test(flavor = "current_thread")]
async fn calls_from_inside_a_runtime_do_not_panic() {
    let (runtime, sim) = tokio::task::spawn_blocking(sim_on_its_own_runtime)
        .await
        .expect("sim");
    let k = kelvin(&sim);
    assert_eq!(k.roles().list().expect("roles from async code").len(), 5);
    let u = udm(&sim);
    assert!(!u.users().search().all().expect("users").is_empty());
    drop((k, u));
    tokio::task::spawn_blocking(move || drop(runtime))
        .await
        .expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_from_a_multi_thread_runtime_and_spawn_blocking_work() {
    let (runtime, sim) = tokio::task::spawn_blocking(sim_on_its_own_runtime)
        .await
        .expect("sim");
    let k = kelvin(&sim);
    let roles = k.roles();
    let listed = tokio::task::spawn_blocking(move || roles.list())
        .await
        .expect("task");
    assert_eq!(listed.expect("roles").len(), 5);
    assert!(k.schools().exists("DEMOSCHOOL").expect("exists"));
    tokio::task::spawn_blocking(move || drop(runtime))
        .await
        .expect("stop");
}
