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

/// One of the files that make up a database: the file itself or a journal beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnFile {
    Database,
    Wal,
    Shm,
    Journal,
}

impl OwnFile {
    /// "the database itself", "the database's -wal file", ...
    pub fn describe(self) -> &'static str {
        match self {
            OwnFile::Database => "the database itself",
            OwnFile::Wal => "the database's -wal file",
            OwnFile::Shm => "the database's -shm file",
            OwnFile::Journal => "the database's -journal file",
        }
    }

    /// The one line that refuses writing `dest`: "d.db is the database itself: write to
    /// another file".
    pub fn refusal(self, dest: &Path) -> String {
        format!(
            "{} is {}: write to another file",
            dest.display(),
            self.describe()
        )
    }
}

/// Which of `db`'s files (the database, its `-wal`, `-shm`, `-journal`) writing `dest` would
/// write over: by path (`./d.db`, `../x/d.db`, a symbolic link, even one that does not lead
/// to an existing file yet) or by being the same file under another name (a hard link: same
/// device and inode). None when `dest` is another file.
pub fn own_file(db: &Path, dest: &Path) -> Option<OwnFile> {
    use std::os::unix::fs::MetadataExt;
    let db = db.canonicalize().ok()?;
    let files = [
        (OwnFile::Database, db.clone()),
        (OwnFile::Wal, side(&db, "-wal")),
        (OwnFile::Shm, side(&db, "-shm")),
        (OwnFile::Journal, side(&db, "-journal")),
    ];
    let target = resolve(dest);
    if let Some((k, _)) = files.iter().find(|(_, p)| Some(p) == target.as_ref()) {
        return Some(*k);
    }
    let m = std::fs::metadata(dest).ok()?;
    files.iter().find_map(|(k, p)| {
        std::fs::metadata(p)
            .ok()
            .filter(|o| o.dev() == m.dev() && o.ino() == m.ino())
            .map(|_| *k)
    })
}

/// The canonical path `p` leads to, also when the file (or the end of a chain of symbolic
/// links) does not exist yet: its folder's canonical path and its name.
fn resolve(p: &Path) -> Option<PathBuf> {
    let mut p = p.to_path_buf();
    for _ in 0..40 {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        match std::fs::read_link(&p) {
            // a dangling link: where it points, read from its folder
            Ok(to) => {
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                }
            }
            Err(_) => {
                let name = p.file_name()?;
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                return Some(dir.canonicalize().ok()?.join(name));
            }
        }
    }
    None
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
    /// Every way of naming the database or its side files is caught; other files are not.
    #[test]
    fn the_databases_own_files_are_known_by_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        std::fs::write(&db, b"x").unwrap();
        std::fs::write(side(&db, "-wal"), b"").unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let hard = dir.path().join("hard.db");
        std::fs::hard_link(&db, &hard).unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("d.db-shm", &dangling).unwrap();
        let wal_link = sub.join("w");
        std::fs::hard_link(side(&db, "-wal"), &wal_link).unwrap();
        for (dest, want) in [
            (db.clone(), Some(OwnFile::Database)),
            (sub.join("../d.db"), Some(OwnFile::Database)),
            (link, Some(OwnFile::Database)),
            (hard, Some(OwnFile::Database)),
            (side(&db, "-wal"), Some(OwnFile::Wal)),
            (wal_link, Some(OwnFile::Wal)),
            // not there yet: by name
            (side(&db, "-shm"), Some(OwnFile::Shm)),
            (dangling, Some(OwnFile::Shm)),
            (side(&db, "-journal"), Some(OwnFile::Journal)),
            (dir.path().join("d.db.csv"), None),
            (sub.join("d.db"), None),
            (dir.path().join("nowhere/d.db"), None),
        ] {
            assert_eq!(own_file(&db, &dest), want, "{}", dest.display());
        }
    }
}
