//! The `ucs` binary.

fn main() -> std::process::ExitCode {
    ucs_cli::main()
}
