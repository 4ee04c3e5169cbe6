//! Where the password comes from (file option, UCS_PASSWORD_FILE, UCS_PASSWORD, the
//! profile's password_file, the prompt), in that order, and that it never shows.

use crate::common::{run, set_mode, Env};

/// A profile without password_file, so that only the tested source applies.
fn without_profile_password(env: &Env) {
    let text = std::fs::read_to_string(env.config()).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("password_file"))
        .collect();
    std::fs::write(env.config(), kept.join("\n")).unwrap();
}

fn token_requests(env: &Env) -> usize {
    env.sim
        .requests()
        .iter()
        .filter(|r| r.path_and_query == "/ucsschool/kelvin/token")
        .count()
}

#[test]
fn the_password_file_option_and_its_variable() {
    let env = Env::start();
    without_profile_password(&env);
    std::fs::write(env.path("pw"), "univention\r\nsecond line ignored\n").unwrap();
    set_mode(&env.path("pw"), 0o600);
    let (code, stdout, stderr) =
        run(env
            .ucs()
            .args(["--password-file", "pw", "kelvin", "roles", "get", "staff"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.starts_with("name          staff\n"), "{stdout}");
    let (code, _, _) = run(env
        .ucs()
        .env("UCS_PASSWORD_FILE", env.path("pw"))
        .args(["kelvin", "roles", "list"]));
    assert_eq!(code, 0);
    assert_eq!(token_requests(&env), 2);
}

#[test]
fn the_password_variable_and_the_profile_file() {
    let env = Env::start();
    // the profile's password_file (univention) works on its own
    let (code, _, _) = run(env.ucs().args(["kelvin", "roles", "list"]));
    assert_eq!(code, 0);
    // UCS_PASSWORD comes before the profile's file: a wrong one fails
    let (code, stdout, stderr) = run(env
        .ucs()
        .env("UCS_PASSWORD", "wrong-Pa55")
        .args(["kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("401: login as \"Administrator\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check the user and the password"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("wrong-Pa55"),
        "the password never shows: {stderr}"
    );
    // the option comes before UCS_PASSWORD
    std::fs::write(env.path("pw"), "univention").unwrap();
    set_mode(&env.path("pw"), 0o600);
    let (code, _, _) = run(env.ucs().env("UCS_PASSWORD", "wrong-Pa55").args([
        "--password-file",
        "pw",
        "kelvin",
        "roles",
        "list",
    ]));
    assert_eq!(code, 0);
}

#[test]
fn without_a_terminal_there_is_no_prompt_but_a_clear_error() {
    let env = Env::start();
    without_profile_password(&env);
    let (code, stdout, stderr) = run(env.ucs().args(["kelvin", "users", "list"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no password: standard input is not a terminal"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--password-file FILE, set UCS_PASSWORD_FILE or UCS_PASSWORD"),
        "{stderr}"
    );
    assert_eq!(env.sim.request_count(), 0, "nothing was sent");
}

#[test]
fn a_password_file_others_can_read_is_warned_about() {
    let env = Env::start();
    set_mode(&env.path("sim.password"), 0o644);
    let (code, _, stderr) = run(env.ucs().args(["kelvin", "roles", "list"]));
    assert_eq!(code, 0);
    assert!(
        stderr.contains("can be read by other users (mode 644); run: chmod 600"),
        "{stderr}"
    );
}

#[test]
fn empty_and_missing_password_files_are_errors() {
    let env = Env::start();
    std::fs::write(env.path("empty"), "\n").unwrap();
    set_mode(&env.path("empty"), 0o600);
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["--password-file", "empty", "kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the password file empty is empty"),
        "{stderr}"
    );
    let (code, _, stderr) =
        run(env
            .ucs()
            .args(["--password-file", "missing", "kelvin", "roles", "list"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read the password file missing"),
        "{stderr}"
    );
    assert_eq!(env.sim.request_count(), 0);
}

#[test]
fn the_insecure_switch_is_loud() {
    let env = Env::start();
    let (code, _, stderr) = run(env.ucs().args([
        "--insecure-skip-tls-verify",
        "--ca-file",
        "/dev/null",
        "kelvin",
        "roles",
        "list",
    ]));
    assert!(
        stderr
            .contains("WARNING: TLS certificate verification is OFF (--insecure-skip-tls-verify)"),
        "{stderr}"
    );
    // with an unreadable CA file plus the switch the CA is still read (and fails): the
    // switch is no shortcut around a broken configuration
    assert_eq!(code, 2, "{stderr}");
    let text = std::fs::read_to_string(env.config()).unwrap();
    std::fs::write(
        env.config(),
        text.lines()
            .filter(|l| !l.starts_with("ca_file"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    let (code, stdout, stderr) =
        run(env
            .ucs()
            .args(["--insecure-skip-tls-verify", "kelvin", "roles", "list"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("school_admin"));
    assert!(stderr.contains("WARNING: TLS certificate verification is OFF"));
}
