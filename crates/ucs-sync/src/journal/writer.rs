//! Appending to the journal with group commit: every line is written at once; a caller
//! that needs its line on disk waits for an `fsync` that covers it, and one `fsync`
//! covers every line written before it started.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::Entry;
use crate::report::create_private;
use crate::{Result, SyncError};

#[derive(Debug)]
struct Counters {
    written: u64,
}

/// An open journal.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    file: Arc<Mutex<std::fs::File>>,
    counters: Arc<Mutex<Counters>>,
    synced: Arc<tokio::sync::Mutex<u64>>,
}

impl Journal {
    /// Opens the journal for appending (created with mode 0600); a last line a killed run
    /// left unfinished is cut off first.
    pub fn open(path: &Path) -> Result<Journal> {
        crate::report::cut_partial_line(path)?;
        let file = create_private(path, false)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file: Arc::new(Mutex::new(file)),
            counters: Arc::new(Mutex::new(Counters { written: 0 })),
            synced: Arc::new(tokio::sync::Mutex::new(0)),
        })
    }

    /// Appends a line; with `durable`, returns once it is on disk.
    pub async fn append(&self, entry: &Entry, durable: bool) -> Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(|e| SyncError::Journal(e.to_string()))?;
        line.push(b'\n');
        let seq = {
            let mut file = self.file.lock().map_err(|_| self.poisoned())?;
            file.write_all(&line)
                .map_err(|e| SyncError::file(&self.path, e))?;
            let mut counters = self.counters.lock().map_err(|_| self.poisoned())?;
            counters.written += 1;
            counters.written
        };
        if durable {
            self.sync_up_to(seq).await?;
        }
        Ok(())
    }

    /// Puts every line written so far on disk.
    pub async fn sync(&self) -> Result<()> {
        let written = self.counters.lock().map_err(|_| self.poisoned())?.written;
        self.sync_up_to(written).await
    }

    async fn sync_up_to(&self, seq: u64) -> Result<()> {
        let mut synced = self.synced.lock().await;
        if *synced >= seq {
            return Ok(());
        }
        let target = self.counters.lock().map_err(|_| self.poisoned())?.written;
        let file = self
            .file
            .lock()
            .map_err(|_| self.poisoned())?
            .try_clone()
            .map_err(|e| SyncError::file(&self.path, e))?;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            file.sync_data().map_err(|e| SyncError::file(&path, e))
        })
        .await
        .map_err(|e| SyncError::Journal(format!("fsync task: {e}")))??;
        *synced = target;
        Ok(())
    }

    fn poisoned(&self) -> SyncError {
        SyncError::Journal(format!("{}: lock poisoned", self.path.display()))
    }
}
