//! A password kept in a file (`UCS_PASSWORD_FILE`, the command line's `--password-file`):
//! its first line, without the line end. Files larger than [`MAX_BYTES`] and files whose
//! first line is empty are refused; a file others may read is reported to the caller,
//! which warns in its own way.

use std::path::Path;

use crate::secret::Secret;

/// Password files larger than this are refused (not a password file).
pub const MAX_BYTES: u64 = 64 * 1024;

/// Why a password file gave no password.
#[derive(Debug)]
pub enum PasswordFileError {
    /// The file cannot be read.
    Unreadable(std::io::Error),
    /// The file is larger than [`MAX_BYTES`].
    TooLarge,
    /// The first line is empty.
    Empty,
}

/// The password in `path`. `open_to_others` is called with the file's permission bits
/// (`0o644`) when users other than its owner may read it (on Unix), before the file is
/// read.
pub fn read(path: &Path, open_to_others: impl FnOnce(u32)) -> Result<Secret, PasswordFileError> {
    let metadata = std::fs::metadata(path).map_err(PasswordFileError::Unreadable)?;
    if metadata.len() > MAX_BYTES {
        return Err(PasswordFileError::TooLarge);
    }
    if let Some(mode) = readable_by_others(&metadata) {
        open_to_others(mode);
    }
    let text = std::fs::read_to_string(path).map_err(PasswordFileError::Unreadable)?;
    let first = text.lines().next().unwrap_or_default();
    if first.is_empty() {
        return Err(PasswordFileError::Empty);
    }
    Ok(Secret::new(first))
}

#[cfg(unix)]
fn readable_by_others(metadata: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn readable_by_others(_metadata: &std::fs::Metadata) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("write");
        path
    }

    #[test]
    fn the_first_line_is_the_password_and_bad_files_say_why() {
        let dir = tempfile::tempdir().expect("dir");
        let two_lines = file(&dir, "pw", b"s3cret\r\nsecond\n");
        let read_pw = read(&two_lines, |_| {}).expect("password");
        assert_eq!(read_pw.expose(), "s3cret");
        let empty = file(&dir, "empty", b"\nafter\n");
        assert!(matches!(
            read(&empty, |_| {}),
            Err(PasswordFileError::Empty)
        ));
        let large = file(&dir, "large", &vec![b'x'; MAX_BYTES as usize + 1]);
        assert!(matches!(
            read(&large, |_| {}),
            Err(PasswordFileError::TooLarge)
        ));
        let missing = dir.path().join("missing");
        assert!(matches!(
            read(&missing, |_| {}),
            Err(PasswordFileError::Unreadable(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_reported_before_it_is_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = file(&dir, "pw", b"\n");
        let mode = |bits| std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bits));
        mode(0o644).expect("chmod");
        let mut seen = None;
        // reported even though the file then turns out to be empty
        assert!(matches!(
            read(&path, |m| seen = Some(m)),
            Err(PasswordFileError::Empty)
        ));
        assert_eq!(seen, Some(0o644));
        mode(0o600).expect("chmod");
        let mut seen = None;
        let _ = read(&path, |m| seen = Some(m));
        assert_eq!(seen, None);
    }
}
