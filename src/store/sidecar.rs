//! The `-wal` and `-shm` files a read-only open makes. SQLite creates them beside the database
//! with the database file's mode: reading a file made read-only (0400) would leave a 0400
//! `-shm` behind, and once the file is writable again every write would fail "readonly
//! database" until someone deleted it by hand. So a read-only open makes the side files it
//! created writable by their owner at once. They stay afterwards, as after any open: SQLite
//! reuses and manages them.
use std::path::{Path, PathBuf};

/// `db` with `ext` appended (`x.db-wal`).
pub fn side(db: &Path, ext: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// Which of the two side files exist now.
pub fn existing(db: &Path) -> (bool, bool) {
    (side(db, "-wal").exists(), side(db, "-shm").exists())
}

/// Make the side files that exist now but did not `before` an open writable by their owner
/// (they took the database file's mode). Files that were there before are not ours to change.
pub fn make_created_writable(db: &Path, before: (bool, bool)) {
    for (ext, existed) in [("-wal", before.0), ("-shm", before.1)] {
        let p = side(db, ext);
        if !existed && p.exists() {
            owner_writable(&p);
        }
    }
}

/// Add the owner's write bit (ours: we just created the file).
fn owner_writable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(m) = std::fs::metadata(p) {
        let mode = m.permissions().mode() & 0o777;
        if mode & 0o600 != 0o600 {
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode | 0o600));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// Side files an open created become writable by their owner; ones that were there
    /// before are left as they were.
    #[test]
    fn only_side_files_the_open_created_are_made_writable() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let before = existing(&db);
        assert_eq!(before, (false, false));
        for ext in ["-wal", "-shm"] {
            std::fs::write(side(&db, ext), b"").unwrap();
            std::fs::set_permissions(side(&db, ext), std::fs::Permissions::from_mode(0o400))
                .unwrap();
        }
        make_created_writable(&db, (true, false));
        assert_eq!(mode(&side(&db, "-wal")), 0o400, "existed before: not ours");
        assert_eq!(mode(&side(&db, "-shm")), 0o600);
    }
}
