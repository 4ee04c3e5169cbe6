//! Loading and saving the store as a JSON file, written atomically (temporary file in the
//! same directory, flushed, then renamed over the old one) so that a crash never leaves a
//! half-written state behind.
//!
//! The file holds every entry including password hashes (salted SHA-256, not the passwords),
//! so on Unix it is created readable by its owner only.

use super::object::Object;
use super::tree::{Counters, Tree};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Version of the file layout.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Document {
    format: u32,
    base_dn: String,
    counters: Counters,
    objects: Vec<Object>,
}

/// Loads a state file; `Ok(None)` when it does not exist.
pub(crate) fn load(path: &Path) -> anyhow::Result<Option<Tree>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let document: Document = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a ucs-sim state file", path.display()))?;
    anyhow::ensure!(
        document.format == FORMAT,
        "{}: unsupported state file format {} (expected {FORMAT})",
        path.display(),
        document.format
    );
    Ok(Some(Tree::from_parts(
        document.base_dn,
        document.objects,
        document.counters,
    )))
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes the tree to `path` atomically.
pub(crate) fn save(path: &Path, tree: &Tree) -> std::io::Result<()> {
    let document = Document {
        format: FORMAT,
        base_dn: tree.base_dn().to_string(),
        counters: tree.counters(),
        objects: tree.snapshot(),
    };
    let bytes = serde_json::to_vec_pretty(&document).map_err(std::io::Error::other)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state.json".into());
    let temp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        file.write_all(&bytes)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
