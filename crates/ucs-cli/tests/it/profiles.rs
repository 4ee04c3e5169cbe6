//! Profiles: set, list, show, remove; the environment and the options override them.

use crate::common::{run, Env};

#[test]
fn set_list_show_remove() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().args([
        "profile",
        "set",
        "school",
        "--host",
        "https://ucs.school.example",
        "--user",
        "admin",
        "--ca-file",
        "/etc/ucs-ca.pem",
    ]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("saved profile school in TMP/config.toml (changed: host, user, ca_file)")
            || stdout.contains("(changed: host, user, ca_file)"),
        "{stdout}"
    );
    let (_, list, _) = run(env.ucs().args(["profile", "list"]));
    insta::assert_snapshot!("profile_list", env.normalize(&list));
    let (code, show, _) = run(env.ucs().args(["--profile", "school", "profile", "show"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("profile_show", env.normalize(&show));
    let (code, _, _) = run(env.ucs().args(["profile", "set", "school", "--default"]));
    assert_eq!(code, 0);
    let config = std::fs::read_to_string(env.config()).unwrap();
    assert!(
        config.starts_with("default_profile = \"school\""),
        "{config}"
    );
    assert!(
        config.contains("host = \"https://ucs.school.example\""),
        "values not given stay: {config}"
    );
    let (code, _, _) = run(env.ucs().args(["profile", "remove", "school"]));
    assert_eq!(code, 0);
    let config = std::fs::read_to_string(env.config()).unwrap();
    assert!(
        !config.contains("school") && !config.contains("default_profile"),
        "{config}"
    );
    let (code, _, stderr) = run(env.ucs().args(["profile", "remove", "school"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no profile named \"school\""));
}

#[test]
fn environment_overrides_the_profile() {
    let env = Env::start();
    let (_, show, _) = run(env
        .ucs()
        .env("UCS_USER", "kelvin-reader")
        .env("UCS_KELVIN_API", "v2")
        .args(["profile", "show"]));
    let field = |name: &str| {
        show.lines()
            .find_map(|l| {
                l.strip_prefix(name)
                    .filter(|r| r.starts_with(' '))
                    .map(str::trim)
            })
            .unwrap_or("")
    };
    assert_eq!(field("user"), "kelvin-reader", "{show}");
    assert_eq!(field("kelvin_api"), "v2", "{show}");
    // UCS_HOST wins over the profile's host: here a closed port, so the call fails
    let (code, _, stderr) = run(env
        .ucs()
        .env("UCS_HOST", "https://127.0.0.1:9")
        .args(["kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("https://127.0.0.1:9/ucsschool/kelvin/token"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: check --host / UCS_HOST"), "{stderr}");
}

#[test]
fn unknown_profiles_and_missing_hosts_are_explained() {
    let env = Env::start();
    let (code, _, stderr) = run(env
        .ucs()
        .args(["--profile", "nope", "kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: no profile named \"nope\"\n  hint: known profiles: sim;"),
        "{stderr}"
    );
    std::fs::write(env.config(), "").unwrap();
    let (code, _, stderr) = run(env.ucs().args(["kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no server: no --host, no UCS_HOST and no profile with a host"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ucs sim"),
        "points to the emulator: {stderr}"
    );
    std::fs::write(env.config(), "[profiles.a]\npassword = \"x\"\n").unwrap();
    let (code, _, stderr) = run(env.ucs().args(["kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown field `password`"),
        "a password in the config is refused: {stderr}"
    );
}
