//! Shell completions and man pages, generated from the clap definition.

use std::path::Path;

use crate::exit::{CliError, CliResult, Outcome};

/// `ucs completions SHELL`: the script on standard output.
pub fn completions(shell: clap_complete::Shell) -> CliResult {
    let mut command = crate::cli::command();
    clap_complete::generate(shell, &mut command, "ucs", &mut std::io::stdout().lock());
    Ok(Outcome::Done)
}

/// `ucs man --out-dir DIR`: `ucs.1` and one page per subcommand (`ucs-kelvin-users-list.1`).
pub fn man_pages(out_dir: &Path) -> CliResult {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| CliError::new(format!("cannot create {}: {e}", out_dir.display())))?;
    clap_mangen::generate_to(crate::cli::command(), out_dir).map_err(|e| {
        CliError::new(format!(
            "cannot write the man pages to {}: {e}",
            out_dir.display()
        ))
    })?;
    println!("wrote the man pages to {}", out_dir.display());
    Ok(Outcome::Done)
}
