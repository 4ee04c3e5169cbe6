//! The fingerprint of the directory state a plan depends on: the users of the source in
//! full, the names and mail addresses of everybody else (uniqueness), and the schools.
//! A SHA-256 over a canonical text of these, in a fixed order.

use sha2::{Digest, Sha256};

use super::{DirUser, Directory};

/// The fingerprint for a plan of `source_uid`.
pub fn fingerprint(directory: &Directory, source_uid: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"ucs-sync directory v1\n");
    let mut own: Vec<&DirUser> = directory.users_of(source_uid).collect();
    own.sort_unstable_by(|a, b| (&a.record_uid, &a.name).cmp(&(&b.record_uid, &b.name)));
    let mut line = Vec::with_capacity(1024);
    for user in own {
        line.clear();
        // serialising a DirUser (strings, maps, dates) cannot fail
        let _ = serde_json::to_writer(&mut line, user);
        hash.update(&line);
        hash.update(b"\n");
    }
    hash.update(b"--\n");
    let mut others: Vec<(String, String)> = directory
        .users()
        .iter()
        .filter(|u| u.source_uid.as_deref() != Some(source_uid) || u.record_uid.is_none())
        .map(|u| {
            (
                u.name.to_lowercase(),
                u.email.clone().unwrap_or_default().to_lowercase(),
            )
        })
        .collect();
    others.sort_unstable();
    for (name, email) in &others {
        hash.update(name.as_bytes());
        hash.update(b"\t");
        hash.update(email.as_bytes());
        hash.update(b"\n");
    }
    hash.update(b"--\n");
    for school in directory.schools() {
        hash.update(school.to_lowercase().as_bytes());
        hash.update(b"\n");
    }
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
