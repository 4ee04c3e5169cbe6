//! Files only the owner may read (mode 0600 on Unix).

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::{Result, SyncError};

/// Opens `path` for appending, creating it with mode 0600; an existing file is set to 0600.
pub(crate) fn create_private(path: &Path, truncate: bool) -> Result<File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if truncate {
        options.write(true).truncate(true);
    } else {
        options.append(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| SyncError::file(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| SyncError::file(path, e))?;
    }
    Ok(file)
}

/// Flushes a file to disk.
pub(crate) fn sync_file(file: &File, path: &Path) -> Result<()> {
    file.sync_data().map_err(|e| SyncError::file(path, e))
}
