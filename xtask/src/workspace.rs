//! The workspace this crate belongs to, the `cargo` that runs it, and how
//! files generated from the workspace are written or checked.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xshell::{Cmd, Shell};

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The `cargo` that started this program (`$CARGO`), else `cargo` from `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// A shell in the workspace root.
pub fn shell() -> Result<Shell> {
    let sh = Shell::new()?;
    sh.change_dir(root());
    Ok(sh)
}

/// `command` without the variables cargo sets for the program it runs
/// (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, ...): build scripts that watch
/// those (ring's does) would otherwise rerun in every nested cargo, and
/// everything above them would be rebuilt.
pub fn nested(mut command: Cmd<'_>) -> Cmd<'_> {
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(is_set_by_cargo_run) {
            command = command.env_remove(key);
        }
    }
    command
}

/// The variables `cargo run` sets for the program (besides `CARGO`).
fn is_set_by_cargo_run(key: &str) -> bool {
    key.starts_with("CARGO_PKG_")
        || matches!(
            key,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_MANIFEST_LINKS"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
                | "OUT_DIR"
        )
}

/// What [`update`] did with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// The file already had the content.
    Unchanged,
    /// The file was (re)written.
    Written,
    /// Check mode: the file differs from the content.
    Stale,
}

/// Writes `content` to `path` (relative to `root`) unless it is there
/// already; with `check`, only compares and prints a diff when it differs.
pub fn update(root: &Path, path: &str, content: &str, check: bool) -> Result<FileStatus> {
    let full = root.join(path);
    let current = std::fs::read_to_string(&full).unwrap_or_default();
    if current == content {
        let word = if check { "is up to date" } else { "unchanged" };
        eprintln!("{path} {word}");
        return Ok(FileStatus::Unchanged);
    }
    if check {
        eprintln!("{path} is stale:");
        eprintln!("{}", diff_excerpt(&current, content, 60));
        return Ok(FileStatus::Stale);
    }
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&full, content).with_context(|| format!("cannot write {path}"))?;
    eprintln!("wrote {path} ({} lines)", content.lines().count());
    Ok(FileStatus::Written)
}

/// A unified diff of `old` -> `new`, cut after `max_lines` lines.
pub fn diff_excerpt(old: &str, new: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("committed", "generated")
        .to_string();
    let total = text.lines().count();
    let mut out: Vec<&str> = text.lines().take(max_lines).collect();
    let more = format!("... ({} more diff lines)", total.saturating_sub(max_lines));
    if total > max_lines {
        out.push(&more);
    }
    out.join("\n")
}
