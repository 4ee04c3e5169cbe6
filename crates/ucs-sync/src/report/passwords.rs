//! The new-passwords file: a CSV with the columns of the importer's
//! `NewUserPasswordCsvExporter` (`username,password,role,lastname,firstname,schools,classes`;
//! classes as `SCHOOL-CLASS` joined with `,`). Created with mode 0600; rows are appended as
//! users are created, so a resumed run continues it. Its content is never logged.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ucs::Secret;

use super::files::{create_private, sync_file};
use crate::plan::NewUserSpec;
use crate::{Result, SyncError};

const HEADER: [&str; 7] = [
    "username",
    "password",
    "role",
    "lastname",
    "firstname",
    "schools",
    "classes",
];

/// An open new-passwords file.
#[derive(Debug)]
pub struct PasswordFile {
    path: PathBuf,
    file: Mutex<std::fs::File>,
    names: Mutex<HashSet<String>>,
}

impl PasswordFile {
    /// Opens (or creates) the file; remembers the users it already has.
    pub fn open(path: &Path) -> Result<PasswordFile> {
        let empty = cut_partial_line(path)?;
        let names = existing_names(path)?;
        let file = create_private(path, false)?;
        let out = PasswordFile {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            names: Mutex::new(HashSet::new()),
        };
        if empty {
            out.write_row(&HEADER.map(String::from))?;
        }
        if let Ok(mut known) = out.names.lock() {
            *known = names;
        }
        Ok(out)
    }

    /// Whether the file has a row for `name`.
    pub fn has(&self, name: &str) -> bool {
        self.names.lock().map(|n| n.contains(name)).unwrap_or(false)
    }

    /// Appends the row of a created user.
    pub fn add(&self, user: &NewUserSpec, password: &Secret) -> Result<()> {
        let role = crate::config::UserRole::of_roles(&user.to_new_user(None).roles)
            .map_or("", |r| r.key());
        let classes = user
            .school_classes
            .iter()
            .flat_map(|(school, names)| names.iter().map(move |n| format!("{school}-{n}")))
            .collect::<Vec<_>>()
            .join(",");
        let row = [
            user.name.clone(),
            password.expose().to_string(),
            role.to_string(),
            user.lastname.clone(),
            user.firstname.clone(),
            user.schools.join(","),
            classes,
        ];
        self.write_row(&row)?;
        if let Ok(mut names) = self.names.lock() {
            names.insert(user.name.clone());
        }
        Ok(())
    }

    fn write_row(&self, row: &[String]) -> Result<()> {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        writer
            .write_record(row)
            .map_err(|e| SyncError::file(&self.path, e))?;
        let bytes = writer
            .into_inner()
            .map_err(|e| SyncError::file(&self.path, e.error()))?;
        let mut file = self
            .file
            .lock()
            .map_err(|_| SyncError::file(&self.path, "lock poisoned"))?;
        file.write_all(&bytes)
            .map_err(|e| SyncError::file(&self.path, e))
    }

    /// Flushes the file to disk.
    pub fn sync(&self) -> Result<()> {
        let file = self
            .file
            .lock()
            .map_err(|_| SyncError::file(&self.path, "lock poisoned"))?;
        sync_file(&file, &self.path)
    }
}

fn existing_names(path: &Path) -> Result<HashSet<String>> {
    if !path.exists() {
        return Ok(HashSet::new());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| SyncError::file(path, e))?;
    let mut names = HashSet::new();
    for record in reader.records() {
        let Ok(record) = record else { break };
        if let Some(name) = record.get(0).filter(|_| record.len() == HEADER.len()) {
            names.insert(name.to_string());
        }
    }
    Ok(names)
}

/// Drops a last line a killed run left unfinished; tells whether the file is empty.
pub(crate) fn cut_partial_line(path: &Path) -> Result<bool> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(SyncError::file(path, e)),
    };
    if bytes.last().is_none_or(|b| *b == b'\n') {
        return Ok(bytes.is_empty());
    }
    let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| SyncError::file(path, e))?;
    file.set_len(keep as u64)
        .map_err(|e| SyncError::file(path, e))?;
    Ok(keep == 0)
}
