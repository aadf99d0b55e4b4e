//! The `-wal` and `-shm` files a read-only open makes. SQLite creates them beside the database
//! with the database file's mode: reading a file made read-only (0400) leaves a 0400 `-shm`
//! behind, and once the file is writable again every write fails "readonly database" until
//! someone deletes them by hand. So a read-only [`super::Store`] notes which of the two it
//! created, makes them writable by their owner at once, and removes them again when it is
//! dropped, if no other connection uses them by then.
use std::path::{Path, PathBuf};

/// SQLite's "dead man switch" byte in the `-shm` file (os_unix.c, `UNIX_SHM_DMS`): every
/// connection using the file holds a read lock on it while it is open.
const SHM_DMS: i64 = 128;

/// The side files one read-only open created; dropped after the connection is closed (it is
/// the store's last field).
#[derive(Debug, Default)]
pub struct Created {
    wal: Option<PathBuf>,
    shm: Option<PathBuf>,
}

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

impl Created {
    /// The side files that exist now but did not `before` an open: made writable by their
    /// owner (they took the database file's mode), so a later write is not refused.
    pub fn since(db: &Path, before: (bool, bool)) -> Created {
        let new = |ext: &str, existed: bool| {
            let p = side(db, ext);
            (!existed && p.exists()).then_some(p)
        };
        let c = Created {
            wal: new("-wal", before.0),
            shm: new("-shm", before.1),
        };
        for p in c.wal.iter().chain(c.shm.iter()) {
            owner_writable(p);
        }
        c
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

impl Drop for Created {
    /// Remove what the open created, when it is safe: the `-wal` is empty (a read-only
    /// connection writes nothing; a writer that came and went would have left its pages
    /// there) and no connection uses the `-shm` (we can take the write lock on its DMS byte,
    /// which every open connection holds a read lock on). The lock is held while both files
    /// are removed. Anything else leaves them as they are (already writable by their owner).
    fn drop(&mut self) {
        let Some(shm) = self.shm.take() else {
            return;
        };
        if let Some(wal) = &self.wal
            && std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
        {
            return;
        }
        let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&shm)
        else {
            return;
        };
        if !lock_exclusive(&f, SHM_DMS) {
            return;
        }
        if let Some(wal) = self.wal.take() {
            let _ = std::fs::remove_file(wal);
        }
        let _ = std::fs::remove_file(&shm);
        // closing `f` releases the lock
    }
}

/// Take a POSIX write lock on one byte without waiting: false when another process holds any
/// lock on it. (POSIX locks do not see this process's own: the CLI has one connection.)
fn lock_exclusive(f: &std::fs::File, byte: i64) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: `flock` is plain data, zeroed is a valid value; the fd is open for writing and
    // outlives the call.
    unsafe {
        let mut l: libc::flock = std::mem::zeroed();
        l.l_type = libc::F_WRLCK as libc::c_short;
        l.l_whence = libc::SEEK_SET as libc::c_short;
        l.l_start = byte as libc::off_t;
        l.l_len = 1;
        libc::fcntl(f.as_raw_fd(), libc::F_SETLK, &l) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection holding the -shm keeps both files; once it is gone they are removed.
    #[test]
    fn only_an_unused_shm_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        {
            let s = super::super::Store::open(&db).unwrap();
            drop(s);
        }
        let before = existing(&db);
        assert_eq!(before, (false, false));
        std::fs::write(side(&db, "-shm"), b"").unwrap();
        std::fs::write(side(&db, "-wal"), b"").unwrap();
        // a WAL with pages in it is never removed
        std::fs::write(side(&db, "-wal"), b"pages").unwrap();
        drop(Created::since(&db, before));
        assert_eq!(existing(&db), (true, true));
        std::fs::write(side(&db, "-wal"), b"").unwrap();
        drop(Created::since(&db, before));
        assert_eq!(existing(&db), (false, false));
    }
}
