//! The command-line grammar: no argument takes a password, every command explains itself
//! with an example, the exit codes are documented, completions and man pages come out.

use clap::ArgAction;

use crate::common::{run, Env};

/// Every command and subcommand, with its path (`ucs kelvin users list`).
fn all_commands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        let path = format!("{prefix} {}", cmd.get_name()).trim().to_string();
        out.push((path.clone(), cmd.clone()));
        for sub in cmd.get_subcommands() {
            walk(&path, sub, out);
        }
    }
    let mut cmd = ucs_cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk("", &cmd, &mut out);
    out
}

#[test]
fn the_grammar_is_consistent() {
    ucs_cli::command().debug_assert();
}

#[test]
fn no_argument_takes_a_password() {
    let mut checked = 0;
    for (path, cmd) in all_commands() {
        for arg in cmd.get_arguments() {
            let takes_value = matches!(arg.get_action(), ArgAction::Set | ArgAction::Append);
            let names = [
                Some(arg.get_id().as_str().to_string()),
                arg.get_long().map(str::to_string),
                arg.get_value_names().map(|v| {
                    v.iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                }),
            ];
            for name in names.into_iter().flatten() {
                let lower = name.to_ascii_lowercase().replace('-', "_");
                if takes_value && lower.contains("password") {
                    // a path of a file to read a password from, or to write new ones to
                    let a_path =
                        lower.ends_with("password_file") || lower.ends_with("passwords_csv");
                    assert!(
                        a_path,
                        "{path}: {name} takes a value and looks like a password"
                    );
                }
                checked += 1;
            }
            let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
            assert_ne!(
                env.as_deref(),
                Some("UCS_PASSWORD"),
                "{path}: an argument reads UCS_PASSWORD"
            );
        }
    }
    assert!(checked > 100, "walked {checked} names");
}

#[test]
fn a_password_option_is_refused_as_unknown() {
    let env = Env::start();
    let (code, stdout, stderr) =
        run(env
            .ucs()
            .args(["--password", "univention", "kelvin", "users", "list"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("unexpected argument '--password'"),
        "{stderr}"
    );
    assert!(
        !env.sim
            .requests()
            .iter()
            .any(|r| r.path_and_query.contains("token")),
        "nothing was sent"
    );
}

#[test]
fn every_command_has_an_example_in_its_help() {
    for (path, cmd) in all_commands() {
        if path.ends_with(" help") || path.contains(" help ") {
            continue;
        }
        let text = [cmd.get_after_help(), cmd.get_after_long_help()]
            .into_iter()
            .flatten()
            .map(|s| s.to_string())
            .collect::<String>();
        let has_subcommands = cmd.get_subcommands().any(|s| s.get_name() != "help");
        if has_subcommands && !["ucs", "ucs kelvin", "ucs udm", "ucs sync"].contains(&path.as_str())
        {
            continue; // a group: its actions carry the examples
        }
        assert!(
            text.contains("Example"),
            "{path} has no example in its help"
        );
        assert!(
            text.contains("ucs "),
            "{path}: the example shows no ucs command"
        );
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let env = Env::start();
    let (code, stdout, _) = run(env.ucs().arg("--help"));
    assert_eq!(code, 0);
    for line in [
        "Exit status:",
        "0  done: everything asked for was done",
        "1  partly done: some rows or objects failed",
        "2  nothing done: bad input or usage, refused plan",
        "Passwords are never taken from an argument",
    ] {
        assert!(stdout.contains(line), "--help lacks {line:?}:\n{stdout}");
    }
    let (_, short, _) = run(env.ucs().arg("-h"));
    assert!(short.contains("Exit status: 0 done, 1 partly done (some rows failed), 2 nothing done"));
    let (_, sync_help, _) = run(env.ucs().args(["sync", "--help"]));
    assert!(
        sync_help.contains("1  partly done: some rows failed"),
        "{sync_help}"
    );
}

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    let env = Env::start();
    let (code, _, stderr) = run(env.ucs().args(["kelvin", "users", "frobnicate"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unrecognized subcommand 'frobnicate'"),
        "{stderr}"
    );
    let (code, _, stderr) = run(env
        .ucs()
        .args(["kelvin", "users", "list", "--role", "pupil"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown role \"pupil\""), "{stderr}");
}

#[test]
fn completions_for_bash_and_zsh() {
    let env = Env::start();
    let (code, bash, _) = run(env.ucs().args(["completions", "bash"]));
    assert_eq!(code, 0);
    assert!(bash.contains("_ucs()"), "a bash completion function");
    assert!(bash.contains("kelvin") && bash.contains("--password-file"));
    let (code, zsh, _) = run(env.ucs().args(["completions", "zsh"]));
    assert_eq!(code, 0);
    assert!(zsh.starts_with("#compdef ucs"));
}

#[test]
fn man_pages_for_every_command() {
    let env = Env::start();
    let out = env.path("man");
    let (code, stdout, _) = run(env.ucs().args(["man", "--out-dir"]).arg(&out));
    assert_eq!(code, 0, "{stdout}");
    let top = std::fs::read_to_string(out.join("ucs.1")).expect("ucs.1");
    assert!(top.contains(".TH ucs 1"), "{}", &top[..200]);
    assert!(top.contains("Exit status"));
    let list = std::fs::read_to_string(out.join("ucs-kelvin-users-list.1"))
        .expect("a page per subcommand");
    assert!(list.contains("\\-\\-school"));
    assert!(out.join("ucs-udm.1").exists() && out.join("ucs-doctor.1").exists());
}
