//! The only place with SQL: one SQLite file (WAL, foreign keys, busy timeout), versioned
//! migrations, one transaction per write, paged and indexed queries.
//!
//! Every public read exists on [`Store`] and on [`Tx`] (inside [`Store::write`]); every write
//! exists on [`Tx`] and, as a one-transaction convenience, on [`Store`].
//!
//! Storage conventions (see `schema.rs`): instants are whole unix seconds in UTC (sub-second
//! parts are dropped on write) plus the IANA zone name; dates are `YYYY-MM-DD`; local wall times
//! (RECURRENCE-ID, EXDATE, RDATE) `YYYY-MM-DDTHH:MM:SS`; money is integer minor units plus the
//! ISO currency code. Search is a case- and accent-insensitive substring match on folded keys
//! (`muller` finds "Müller"); `%` and `_` in the search text are literal.
mod contacts;
mod events;
mod invoices;
pub mod keys;
mod links;
mod modify;
mod reminders;
mod row;
pub mod schema;
mod search;
mod sidecar;
pub use sidecar::OwnFile;
mod tasks;
mod travel;
mod ui_reads;

use crate::domain::{
    Contact, Event, EventStatus, Invoice, InvoiceStatus, Kind, Money, Segment, SegmentStatus, Task,
    TaskStatus, Trip, ValidationError,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use links::ContactLinks;
pub use modify::{Modified, Reverted, Stored};
pub use schema::SCHEMA_VERSION;
pub use tasks::{Triage, TriageQuery};
pub use travel::TripPage;

/// `PRAGMA application_id` of a secretaire database ("SCRT").
pub const APPLICATION_ID: i64 = 0x5343_5254;

/// How long a writer waits for another process's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: i64 },
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error(
        "the database was written by a newer secretaire (schema version {found}; this one knows up to {supported}); it was left unchanged: upgrade secretaire to open it"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("damaged or foreign database: {0}")]
    Corrupt(String),
    /// A read-only open ([`Store::open_read_only`]) of a database whose schema is older than
    /// this build's (0: a blank file): it needs migrating, which writes.
    #[error(
        "the database has schema version {found}; this secretaire needs {SCHEMA_VERSION}, an upgrade that writes to it"
    )]
    Outdated { found: i64 },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Handle on the SQLite file. One connection; open a second `Store` on the same path for
/// another thread or process (writes wait for each other, reads never block).
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

/// A write transaction (BEGIN IMMEDIATE), committed when the closure given to
/// [`Store::write`] returns `Ok`, rolled back otherwise.
pub struct Tx<'a> {
    tx: Transaction<'a>,
}

// ---------------------------------------------------------------------------------------------
// Queries

/// Events overlapping `[from, to)`, plus recurring masters that may have occurrences in the
/// window (expand them with `domain::recurrence::expand`), plus overrides whose original slot
/// (RECURRENCE-ID) lies in the window so the caller can suppress the occurrence they replace.
/// Ordered by start.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub status: Option<EventStatus>,
    /// Case-insensitive substring of title, location or notes.
    pub search: Option<String>,
    /// The zone whose days all-day events are placed in. None: all-day events within 14 hours
    /// of the window are included (the caller's expansion places them exactly).
    pub tz: Option<Tz>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// Trips (with segments) ordered by first departure; trips without segments come last and are
/// left out when a window is given.
#[derive(Debug, Clone, Default)]
pub struct TripQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Case-insensitive substring of the trip's or any of its segments' text.
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// Travel segments ordered by departure (the CLI's `list segments`).
#[derive(Debug, Clone, Default)]
pub struct SegmentQuery {
    /// Segments under way at some point of `[from, to)` (either bound may be open).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub status: Option<SegmentStatus>,
    /// Case-insensitive substring of kind, provider, number, confirmation, places or notes.
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// Contacts ordered by name (case- and accent-insensitive).
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    /// Substring of name, organization, title, e-mails, phones, tags, address or notes.
    pub search: Option<String>,
    /// Only contacts with this tag (case-insensitive, whole tag).
    pub tag: Option<String>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// Invoices ordered by due date.
#[derive(Debug, Clone, Default)]
pub struct InvoiceQuery {
    pub status: Option<InvoiceStatus>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    /// Neither paid nor cancelled.
    pub open_only: bool,
    pub vendor_id: Option<i64>,
    /// Substring of vendor, number, payment reference or notes.
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaskOrder {
    /// Earliest due first (undated last), then priority.
    #[default]
    Due,
    /// High first, then by due.
    Priority,
    /// By kind (call, email, letter, message, other), then by due.
    Kind,
    /// Oldest first (an inbox worked in arrival order).
    Created,
}

#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub status: Option<TaskStatus>,
    /// Not done.
    pub open_only: bool,
    /// Due on or after this day (tasks without a due are left out).
    pub due_from: Option<NaiveDate>,
    /// Due on or before this day (tasks without a due are left out).
    pub due_to: Option<NaiveDate>,
    pub contact_id: Option<i64>,
    /// Substring of subject, notes, delegated-to or the contact's name.
    pub search: Option<String>,
    pub order: TaskOrder,
    /// The zone `due_from`/`due_to` are days in, for tasks due at an instant. None: UTC.
    pub tz: Option<Tz>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// Sum and count of invoices with one status in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceTotal {
    pub status: InvoiceStatus,
    pub total: Money,
    pub count: u64,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    pub detail: String,
}

// ---------------------------------------------------------------------------------------------
// Opening

impl Store {
    /// Open (or create) the database at `path`: missing folders are created (0700), a new file
    /// is created 0600 (an existing empty file is made 0600), then WAL, foreign keys, busy
    /// timeout and migrations. A database from a
    /// newer version is refused with [`StoreError::TooNew`] before anything is written.
    pub fn open(path: &Path) -> Result<Store> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.exists()
        {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(|e| io_at(e, "cannot create folder", parent))?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // an empty file we are about to make a database of: private like a new one
                // (its -wal and -shm files take its mode)
                if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
                }
            }
            Err(e) => return Err(io_at(e, "cannot create database", path)),
        }
        if path.is_dir() {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!("{} is a folder, not a database file", path.display()),
            )));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(..) => StoreError::Io(std::io::Error::other(format!(
                "cannot open database {}: {e}",
                path.display()
            ))),
            e => StoreError::Sqlite(e),
        })?;
        Store::setup(conn, Some(path.to_path_buf()))
    }

    /// Open an existing database for reading only: nothing is written, not even the WAL
    /// switch or a migration, so it works on a file we may not write (a backup on read-only
    /// media, a file without write permission). A database that needs migrating is refused
    /// with [`StoreError::Outdated`] (open it with [`Store::open`] to migrate it).
    ///
    /// A database in WAL mode whose folder we may not write either (so SQLite cannot make its
    /// `-shm` file) is read as immutable: nobody can be writing it then. The `-wal`/`-shm`
    /// files SQLite makes for this open are made writable by their owner ([`sidecar`]): a read
    /// never leaves a 0400 `-shm` behind that would refuse every later write.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        let before = sidecar::existing(path);
        let open = |immutable: bool| -> Result<(Connection, (i64, i64))> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = if immutable {
                Connection::open_with_flags(
                    format!("file:{}?immutable=1", uri_path(path)),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
            } else {
                Connection::open_with_flags(path, flags)
            }
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(..) => StoreError::Io(std::io::Error::other(
                    format!("cannot open database {shown}: {e}"),
                )),
                e => StoreError::Sqlite(e),
            })?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let header = check_header(&conn, &shown)?;
            Ok((conn, header))
        };
        let (conn, (version, app_id)) = match open(false) {
            // no -shm file and none can be made (SQLite says "cannot open" or "read-only")
            Err(StoreError::Sqlite(e))
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) =>
            {
                open(true)?
            }
            other => other?,
        };
        sidecar::make_created_writable(path, before);
        let store = Store {
            conn,
            path: Some(path.to_path_buf()),
        };
        if version < SCHEMA_VERSION || app_id == 0 {
            return Err(StoreError::Outdated { found: version });
        }
        store.conn.pragma_update(None, "foreign_keys", true)?;
        store.conn.set_prepared_statement_cache_capacity(128);
        Ok(store)
    }

    /// A private database in memory (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let shown = path
            .as_deref()
            .map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let (version, app_id) = check_header(&conn, &shown)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        if path.is_some() {
            // Switching needs an exclusive lock, and SQLite answers "busy" at once (without the
            // busy handler) when another connection is mid-write: retry until the timeout.
            let mode: String =
                retry_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Io(std::io::Error::other(format!(
                    "{shown}: cannot switch to WAL mode (got {mode})"
                ))));
            }
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        conn.set_prepared_statement_cache_capacity(128);
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        if version < SCHEMA_VERSION
            && let Err(e) = schema::migrations().to_latest(&mut conn)
        {
            // Another process may have migrated the file at the same moment.
            let now: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now != SCHEMA_VERSION {
                return Err(match e {
                    rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
                    e => StoreError::Corrupt(format!("{shown}: migration failed: {e}")),
                });
            }
        }
        if app_id == 0 {
            retry_busy(|| conn.pragma_update(None, "application_id", APPLICATION_ID))?;
        }
        Ok(Store { conn, path })
    }

    /// The file this store was opened on (None in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether writing `dest` would write over this database or one of its side files (by
    /// any path or link: [`sidecar::own_file`]). Every command that writes a file asks first.
    pub fn own_file(&self, dest: &Path) -> Option<OwnFile> {
        sidecar::own_file(self.path.as_deref()?, dest)
    }

    /// `PRAGMA data_version`: changes when ANOTHER connection committed a write (poll it to
    /// know when to reload). Writes through this handle do not change it.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// A consistent copy of the database at `dest` (SQLite online backup), written to a
    /// temporary file (0600) in the same folder and renamed into place. An existing `dest` is
    /// replaced.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(own) = self.own_file(dest) {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("cannot back up onto {}: {}", dest.display(), own.describe()),
            )));
        }
        let dir = match dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => {
                use std::os::unix::fs::DirBuilderExt;
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(p)
                    .map_err(|e| io_at(e, "cannot create folder", p))?;
                p.to_path_buf()
            }
            None => PathBuf::from("."),
        };
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                StoreError::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{} is not a file name", dest.display()),
                ))
            })?;
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{}-{seq}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| io_at(e, "cannot create backup", &tmp))?;
        let result = (|| -> Result<()> {
            let mut out = Connection::open_with_flags(
                &tmp,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
                loop {
                    // -1: all pages in one step, from one read snapshot of the source.
                    match backup.step(-1)? {
                        rusqlite::backup::StepResult::Done => break,
                        rusqlite::backup::StepResult::More => {}
                        _ => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            }
            // A self-contained file: no -wal beside it.
            let _: String = out.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            out.close().map_err(|(_, e)| StoreError::Sqlite(e))?;
            std::fs::rename(&tmp, dest).map_err(|e| io_at(e, "cannot write backup", dest))?;
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Run `f` in one write transaction (BEGIN IMMEDIATE: waits up to [`BUSY_TIMEOUT`] for
    /// another writer). Committed when `f` returns `Ok`, rolled back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.write_with(f)
    }

    /// [`Store::write`] for loading many rows at once (demo data, a scale test). The trigram
    /// search indexes (schema v3) are not kept in step row by row: triggers are off on this
    /// connection while `f` runs, and the indexes are rebuilt from all rows before the commit,
    /// several times faster for thousands of rows. Other connections are not affected.
    /// Rebuilding reads every row: not for small writes. (Every trigger of the schema is the
    /// search indexes'; a new one must be redone here too.)
    pub fn write_bulk<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        use rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER as TRIGGERS;
        // statements prepared with the triggers would still run them
        self.conn.flush_prepared_statement_cache();
        self.conn.set_db_config(TRIGGERS, false)?;
        let out = self.write(|tx| {
            let out = f(tx)?;
            search::rebuild_indexes(&tx.tx)?;
            Ok(out)
        });
        self.conn.flush_prepared_statement_cache();
        self.conn.set_db_config(TRIGGERS, true)?;
        out
    }

    /// [`Store::write`] for a closure with its own error type (a command's input errors):
    /// any `Err` rolls the transaction back.
    pub fn write_with<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let tx = Tx { tx };
        let out = f(&tx)?;
        tx.tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

/// The first read of a database: its schema version and application id, refusing a file that
/// is not SQLite, a newer schema, or another program's database, before anything is written.
/// One snapshot, so a migration committed by another process meanwhile is seen whole.
fn check_header(conn: &Connection, shown: &str) -> Result<(i64, i64)> {
    let (version, app_id, tables) = retry_busy(|| {
        let tx = conn.unchecked_transaction()?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let app_id: i64 = tx.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let tables: i64 = tx.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            [],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok((version, app_id, tables))
    })
    .map_err(|e| not_a_db(e, shown))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StoreError::Corrupt(format!(
            "{shown} belongs to another program (application id {app_id:#x}); left unchanged"
        )));
    }
    if version == 0 && tables > 0 {
        return Err(StoreError::Corrupt(format!(
            "{shown} is an SQLite database of another program ({tables} tables); left unchanged"
        )));
    }
    Ok((version, app_id))
}

/// `path` for a `file:` URI: `%`, `?` and `#` percent-encoded (the rest as it is).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Run `f` again while SQLite reports the database busy or locked, up to [`BUSY_TIMEOUT`].
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(2);
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            r => return r,
        }
    }
}

impl Tx<'_> {
    /// Delete a row without reading it first: the way out when a row cannot be read (a
    /// `Corrupt` error names its id). Children go with it as on a normal delete; an invoice
    /// keeps a deleted vendor's name. Returns whether a row was deleted.
    pub fn purge(&self, kind: Kind, id: i64) -> Result<bool> {
        let c: &Connection = &self.tx;
        let trip_of_segment: Option<i64> = if kind == Kind::Segment {
            c.prepare_cached("SELECT trip_id FROM segments WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?
        } else {
            None
        };
        if kind == Kind::Contact {
            c.prepare_cached(
                "UPDATE invoices SET vendor_name = \
                 ifnull((SELECT name FROM contacts WHERE id = ?1), vendor_name) \
                 WHERE vendor_id = ?1",
            )?
            .execute([id])?;
        }
        let table = match kind {
            Kind::Event => "events",
            Kind::Trip => "trips",
            Kind::Segment => "segments",
            Kind::Contact => "contacts",
            Kind::Invoice => "invoices",
            Kind::Task => "tasks",
        };
        let n = c
            .prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?
            .execute([id])?;
        if let Some(trip) = trip_of_segment {
            travel::refresh_span(c, trip)?;
        }
        Ok(n > 0)
    }
}

impl Store {
    /// [`Tx::purge`] in its own transaction.
    pub fn purge(&self, kind: Kind, id: i64) -> Result<bool> {
        self.write(|tx| tx.purge(kind, id))
    }
}

/// A `Store` can move to a worker thread.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Store>();
};

fn io_at(e: std::io::Error, what: &str, path: &Path) -> StoreError {
    StoreError::Io(std::io::Error::new(
        e.kind(),
        format!("{what} {}: {e}", path.display()),
    ))
}

fn not_a_db(e: rusqlite::Error, shown: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::Corrupt(format!(
            "{shown} is not a secretaire database (SQLite: file is not a database)"
        )),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            StoreError::Corrupt(format!("{shown} is damaged (SQLite: {e})"))
        }
        _ => StoreError::Sqlite(e),
    }
}

// ---------------------------------------------------------------------------------------------
// The API on both handles

/// Reads: the same method on `Store` and on `Tx`.
macro_rules! reads {
    ($($(#[$m:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $path:path;)*) => {
        impl Store {
            $($(#[$m])* pub fn $name(&self, $($arg: $ty),*) -> Result<$ret> {
                $path(&self.conn, $($arg),*)
            })*
        }
        impl Tx<'_> {
            $($(#[$m])* pub fn $name(&self, $($arg: $ty),*) -> Result<$ret> {
                $path(&self.tx, $($arg),*)
            })*
        }
    };
}

/// Writes: on `Tx`, and on `Store` as one transaction each.
macro_rules! writes {
    ($($(#[$m:meta])* fn $name:ident($arg:ident: $ty:ty) -> $ret:ty = $path:path;)*) => {
        impl Store {
            $($(#[$m])* pub fn $name(&self, $arg: $ty) -> Result<$ret> {
                self.write(|tx| tx.$name($arg))
            })*
        }
        impl Tx<'_> {
            $($(#[$m])* pub fn $name(&self, $arg: $ty) -> Result<$ret> {
                $path(&self.tx, $arg)
            })*
        }
    };
}

reads! {
    /// One event with its attendees.
    fn get_event(id: i64) -> Event = events::get;
    /// See [`EventQuery`].
    fn list_events(q: &EventQuery) -> Vec<Event> = events::list;
    /// How many events [`Store::list_events`] would return without limit/offset.
    fn count_events(q: &EventQuery) -> u64 = events::count;
    /// The event with this UID and RECURRENCE-ID (None: the master or a single event).
    fn find_event_by_uid(uid: &str, recurrence_id: Option<NaiveDateTime>) -> Option<Event> = events::find_by_uid;
    /// A series: the event(s) with this UID, master first, then overrides by RECURRENCE-ID.
    fn list_series(uid: &str) -> Vec<Event> = events::list_series;
    /// The series split from series `uid` (see `domain::schedule::split_marker`).
    fn split_parts(uid: &str) -> Vec<Event> = events::split_parts;
    /// The events whose UID begins with this text (the parts a split series was given, see
    /// `ics::future::part_uid`), by UID, each master before its overrides.
    fn list_uid_prefix(prefix: &str) -> Vec<Event> = events::list_uid_prefix;
    /// One trip with its segments.
    fn get_trip(id: i64) -> Trip = travel::get_trip;
    fn get_segment(id: i64) -> Segment = travel::get_segment;
    /// SEQUENCE and LAST-MODIFIED of a segment (raised by every change).
    fn segment_revision(id: i64) -> crate::domain::schedule::Revision = travel::segment_revision;
    /// SEQUENCE and LAST-MODIFIED of a task (raised by every change).
    fn task_revision(id: i64) -> crate::domain::schedule::Revision = tasks::revision;
    /// See [`TripQuery`].
    fn list_trips(q: &TripQuery) -> Vec<Trip> = travel::list_trips;
    /// Segments overlapping `[from, to)`, by departure.
    fn list_segments(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Segment> = travel::list_segments;
    /// See [`SegmentQuery`].
    fn list_segments_by(q: &SegmentQuery) -> Vec<Segment> = travel::list_segments_by;
    /// How many segments [`Store::list_segments_by`] would return without limit/offset.
    fn count_segments(q: &SegmentQuery) -> u64 = travel::count_segments;
    fn get_contact(id: i64) -> Contact = contacts::get;
    /// See [`ContactQuery`].
    fn list_contacts(q: &ContactQuery) -> Vec<Contact> = contacts::list;
    fn count_contacts(q: &ContactQuery) -> u64 = contacts::count;
    /// Contacts whose name matches `text`: exact matches first, then prefix, then substring.
    fn find_contacts_by_name(text: &str, limit: u32) -> Vec<Contact> = contacts::find_by_name;
    fn find_contact_by_uid(uid: &str) -> Option<Contact> = contacts::find_by_uid;
    /// Contacts with this e-mail address (case-insensitive).
    fn find_contacts_by_email(email: &str) -> Vec<Contact> = contacts::find_by_email;
    fn get_invoice(id: i64) -> Invoice = invoices::get;
    /// See [`InvoiceQuery`].
    fn list_invoices(q: &InvoiceQuery) -> Vec<Invoice> = invoices::list;
    fn count_invoices(q: &InvoiceQuery) -> u64 = invoices::count;
    /// Sum and count per status and currency.
    fn invoice_totals() -> Vec<InvoiceTotal> = invoices::totals;
    fn get_task(id: i64) -> Task = tasks::get;
    /// See [`TaskQuery`].
    fn list_tasks(q: &TaskQuery) -> Vec<Task> = tasks::list;
    fn count_tasks(q: &TaskQuery) -> u64 = tasks::count;
    /// The zone the keys of tasks' date-only dues were made in (see [`Store::use_zone`]).
    fn due_zone() -> Tz = tasks::due_zone;
    /// Case-insensitive substring search over every kind, at most `limit` hits per kind.
    fn search_all(text: &str, limit: u32) -> Vec<SearchHit> = search::search_all;
}

writes! {
    /// Validates; a non-zero id is kept (undo of a delete). Returns the id. An empty UID is
    /// filled with a fresh one.
    fn insert_event(e: &Event) -> i64 = events::insert;
    /// Validates; NotFound if the id is missing. Callers bump `Event::touch` first.
    fn update_event(e: &Event) -> () = events::update;
    /// Returns what was deleted (for undo).
    fn delete_event(id: i64) -> Event = events::delete;
    /// The trip and its segments (their `trip_id` is set to the trip's id).
    fn insert_trip(t: &Trip) -> i64 = travel::insert_trip;
    /// The trip row, and its segments become exactly `t.segments`: segments with a known id
    /// are updated, id 0 inserted, the trip's others deleted.
    fn update_trip(t: &Trip) -> () = travel::update_trip;
    /// Deletes the trip and its segments; returns both.
    fn delete_trip(id: i64) -> Trip = travel::delete_trip;
    /// Into the trip `s.trip_id`.
    fn insert_segment(s: &Segment) -> i64 = travel::insert_segment;
    fn update_segment(s: &Segment) -> () = travel::update_segment;
    fn delete_segment(id: i64) -> Segment = travel::delete_segment;
    fn insert_contact(c: &Contact) -> i64 = contacts::insert;
    fn update_contact(c: &Contact) -> () = contacts::update;
    /// Invoices and tasks of the contact stay (their link is cleared; invoices keep the
    /// vendor's name as text).
    fn delete_contact(id: i64) -> Contact = contacts::delete;
    fn insert_invoice(i: &Invoice) -> i64 = invoices::insert;
    fn update_invoice(i: &Invoice) -> () = invoices::update;
    fn delete_invoice(id: i64) -> Invoice = invoices::delete;
    fn insert_task(t: &Task) -> i64 = tasks::insert;
    fn update_task(t: &Task) -> () = tasks::update;
    fn delete_task(id: i64) -> Task = tasks::delete;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Attendee, Currency, Due, EventTime, Labeled, SegmentKind, SegmentStatus, TaskStatus,
    };
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn smoke_every_kind() {
        let s = Store::open_in_memory().unwrap();
        let anna = Contact {
            name: "Anna Müller".into(),
            emails: vec![Labeled::new("work", "anna@berg.se")],
            tags: vec!["press".into()],
            ..Default::default()
        };
        let cid = s.insert_contact(&anna).unwrap();
        let mut e = Event::new(
            "Board",
            EventTime::Timed {
                start: at(23, 9),
                end: at(23, 10),
                tz: chrono_tz::Europe::Stockholm,
            },
            at(1, 0),
        );
        e.attendees.push(Attendee {
            contact_id: Some(cid),
            name: "Anna".into(),
            email: "anna@berg.se".into(),
        });
        let eid = s.insert_event(&e).unwrap();
        let got = s.get_event(eid).unwrap();
        assert_eq!(got.attendees, e.attendees);
        assert!(!got.uid.is_empty());
        let q = EventQuery {
            from: Some(at(23, 0)),
            to: Some(at(24, 0)),
            ..Default::default()
        };
        assert_eq!(s.list_events(&q).unwrap().len(), 1);
        assert_eq!(s.count_events(&q).unwrap(), 1);

        let seg = Segment {
            id: 0,
            trip_id: 0,
            uid: String::new(),
            kind: SegmentKind::Flight,
            provider: "SAS".into(),
            number: "SK 903".into(),
            confirmation: "ABC".into(),
            origin: "ARN".into(),
            destination: "EWR".into(),
            depart: at(25, 9),
            depart_tz: chrono_tz::Europe::Stockholm,
            arrive: at(25, 17),
            arrive_tz: chrono_tz::America::New_York,
            seat: "1A".into(),
            cost: Some(Money::new(100, Currency::SEK)),
            status: SegmentStatus::Booked,
            notes: String::new(),
        };
        let trip = Trip {
            id: 0,
            name: "NYC".into(),
            purpose: "Board".into(),
            notes: String::new(),
            segments: vec![seg],
        };
        let tid = s.insert_trip(&trip).unwrap();
        let t = s.get_trip(tid).unwrap();
        assert_eq!(t.segments.len(), 1);
        assert_eq!(s.list_trips(&TripQuery::default()).unwrap().len(), 1);
        assert_eq!(s.list_segments(at(25, 0), at(26, 0)).unwrap().len(), 1);

        let inv = Invoice {
            id: 0,
            vendor_id: Some(cid),
            vendor_name: String::new(),
            number: "1".into(),
            issue_date: day(1),
            due_date: day(20),
            amount: Money::new(124900, Currency::SEK),
            status: InvoiceStatus::Received,
            paid_date: None,
            payment_ref: String::new(),
            document_path: String::new(),
            notes: String::new(),
        };
        let iid = s.insert_invoice(&inv).unwrap();
        assert_eq!(s.get_invoice(iid).unwrap().vendor_name, "Anna Müller");
        assert_eq!(s.invoice_totals().unwrap()[0].count, 1);

        let mut task = Task::new("Reply", at(1, 0));
        task.contact_id = Some(cid);
        task.due = Some(Due::Date(day(24)));
        let kid = s.insert_task(&task).unwrap();
        assert_eq!(s.get_task(kid).unwrap().contact_name, "Anna Müller");
        let tq = TaskQuery {
            due_to: Some(day(24)),
            ..Default::default()
        };
        assert_eq!(s.count_tasks(&tq).unwrap(), 1);

        let hits = s.search_all("muller", 5).unwrap();
        assert!(hits.iter().any(|h| h.kind == Kind::Contact), "{hits:?}");
        let tagged = s
            .list_contacts(&ContactQuery {
                tag: Some("PRESS".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(tagged.len(), 1);

        s.delete_contact(cid).unwrap();
        let inv = s.get_invoice(iid).unwrap();
        assert_eq!(
            (inv.vendor_id, inv.vendor_name.as_str()),
            (None, "Anna Müller")
        );
        assert_eq!(s.get_task(kid).unwrap().contact_id, None);
        assert_eq!(s.get_event(eid).unwrap().attendees[0].contact_id, None);
        let mut task = s.get_task(kid).unwrap();
        task.mark_done(at(2, 0));
        s.update_task(&task).unwrap();
        assert_eq!(s.get_task(kid).unwrap().status, TaskStatus::Done);
        s.delete_trip(tid).unwrap();
        assert!(matches!(
            s.get_trip(tid),
            Err(StoreError::NotFound { kind: "trip", .. })
        ));
    }
}

#[cfg(test)]
mod plan_tests {
    use super::row::plans::{self, Plan};
    use super::*;
    use chrono::TimeZone;

    /// A plan that reads a whole table (a SCAN not through an index), or sorts in a temporary
    /// b-tree for its ORDER BY: a page of 40 would read or sort every row.
    fn whole_table(p: &Plan) -> Option<&str> {
        p.lines.iter().map(String::as_str).find(|l| {
            let scan = l.starts_with("SCAN ")
                && !l.contains("USING INDEX")
                && !l.contains("USING COVERING INDEX")
                && !l.contains("VIRTUAL TABLE");
            scan || l.contains("USE TEMP B-TREE FOR ORDER BY")
        })
    }

    fn check(what: &str, plans: &[Plan]) {
        assert!(!plans.is_empty(), "{what}: no query recorded");
        for p in plans {
            if let Some(l) = whole_table(p) {
                panic!("{what}: '{l}' in the plan of\n{}\n{:#?}", p.sql, p.lines);
            }
        }
    }

    /// Every paged query the panes, the agenda and the CLI run: the REAL SQL and parameters
    /// (recorded as the store runs them), in every order and with each filter a pane uses.
    #[test]
    fn paged_queries_read_only_their_page() {
        let s = Store::open_in_memory().unwrap();
        let tz = chrono_tz::Europe::Stockholm;
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let today = now.date_naive();
        let page = |offset| (Some(40), offset);
        for offset in [0, 400] {
            let (limit, offset) = page(offset);
            let run = |what: &str, f: &dyn Fn() -> Result<usize>| {
                let (r, p) = plans::record(f);
                r.unwrap();
                check(what, &p);
            };
            run("contacts", &|| {
                let q = ContactQuery {
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_contacts(&q)?.len() + s.count_contacts(&q)? as usize)
            });
            // a tag is a subset found through its index, then sorted: fine, as long as no
            // table is read whole
            let (r, p) = plans::record(|| {
                s.list_contacts(&ContactQuery {
                    tag: Some("press".into()),
                    limit,
                    offset,
                    ..Default::default()
                })
            });
            r.unwrap();
            for plan in &p {
                assert!(
                    plan.lines.iter().any(|l| l.contains("contact_tags_key"))
                        && !plan.lines.iter().any(|l| l.starts_with("SCAN ")),
                    "{plan:#?}"
                );
            }
            for open_only in [false, true] {
                run("invoices", &|| {
                    let q = InvoiceQuery {
                        open_only,
                        limit,
                        offset,
                        ..Default::default()
                    };
                    Ok(s.list_invoices(&q)?.len() + s.count_invoices(&q)? as usize)
                });
                run("invoices due in a range", &|| {
                    let q = InvoiceQuery {
                        open_only,
                        due_from: Some(today),
                        due_to: Some(today + chrono::Duration::days(7)),
                        limit,
                        offset,
                        ..Default::default()
                    };
                    Ok(s.list_invoices(&q)?.len())
                });
            }
            run("invoices by status", &|| {
                let q = InvoiceQuery {
                    status: Some(InvoiceStatus::Disputed),
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_invoices(&q)?.len())
            });
            for order in [
                TaskOrder::Due,
                TaskOrder::Priority,
                TaskOrder::Kind,
                TaskOrder::Created,
            ] {
                for open_only in [true, false] {
                    run(&format!("tasks {order:?} open_only={open_only}"), &|| {
                        let q = TaskQuery {
                            open_only,
                            order,
                            tz: Some(tz),
                            limit,
                            offset,
                            ..Default::default()
                        };
                        Ok(s.list_tasks(&q)?.len() + s.count_tasks(&q)? as usize)
                    });
                }
            }
            // the agenda and `list tasks --from --to`: a due range, by due
            run("tasks due in a range", &|| {
                let q = TaskQuery {
                    open_only: true,
                    due_from: Some(today),
                    due_to: Some(today + chrono::Duration::days(7)),
                    tz: Some(tz),
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_tasks(&q)?.len() + s.count_tasks(&q)? as usize)
            });
            // `list tasks --status S` (the CLI) pages by due
            run("tasks waiting", &|| {
                let q = TaskQuery {
                    status: Some(TaskStatus::Waiting),
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_tasks(&q)?.len() + s.count_tasks(&q)? as usize)
            });
            run("trips", &|| {
                Ok(s.list_trips(&TripQuery {
                    limit,
                    offset,
                    ..Default::default()
                })?
                .len())
            });
            run("trips in a window", &|| {
                let q = TripQuery {
                    from: Some(now),
                    to: Some(now + chrono::Duration::days(30)),
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_trips(&q)?.len())
            });
            run("segments in a window", &|| {
                let q = SegmentQuery {
                    from: Some(now),
                    to: Some(now + chrono::Duration::days(30)),
                    status: Some(SegmentStatus::Booked),
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_segments_by(&q)?.len() + s.count_segments(&q)? as usize)
            });
            run("events", &|| {
                let q = EventQuery {
                    limit,
                    offset,
                    ..Default::default()
                };
                Ok(s.list_events(&q)?.len() + s.count_events(&q)? as usize)
            });
        }
        // the Today pane, the agenda and the schedule: windows and what is due by a day
        let run = |what: &str, f: &dyn Fn() -> Result<usize>| {
            let (r, p) = plans::record(f);
            r.unwrap();
            check(what, &p);
        };
        run("today's tasks", &|| {
            let q = TaskQuery {
                open_only: true,
                due_to: Some(today),
                order: TaskOrder::Priority,
                tz: Some(tz),
                limit: Some(200),
                ..Default::default()
            };
            Ok(s.list_tasks(&q)?.len() + s.count_tasks(&q)? as usize)
        });
        run("overdue invoices", &|| {
            let q = InvoiceQuery {
                open_only: true,
                due_to: Some(today),
                limit: Some(200),
                ..Default::default()
            };
            Ok(s.list_invoices(&q)?.len() + s.count_invoices(&q)? as usize)
        });
        run("invoice totals", &|| Ok(s.invoice_totals()?.len()));
        // the Today pane's triage groups and the Travel pane's pages, as the terminal UI runs them
        // (a triage group is a due range found through the open-tasks due index; by priority
        // only that range is sorted, never the table)
        for which in [Triage::Overdue, Triage::DueToday] {
            for order in [TaskOrder::Priority, TaskOrder::Due] {
                let q = TriageQuery {
                    which,
                    day: today,
                    now,
                    tz,
                    search: None,
                    order,
                    limit: Some(10),
                    offset: 0,
                };
                let (r, p) = plans::record(|| {
                    Ok::<_, StoreError>(s.list_triage(&q)?.0.len() + s.count_triage(&q)? as usize)
                });
                r.unwrap();
                assert_eq!(p.len(), 2, "{p:#?}");
                for plan in &p {
                    assert!(
                        plan.lines.iter().any(|l| l.starts_with("SEARCH t USING")
                            && l.contains("INDEX tasks_open_due (due_key")),
                        "triage {which:?} by {order:?}: not a due range: {plan:#?}"
                    );
                    let scan = plan.lines.iter().find(|l| l.starts_with("SCAN "));
                    assert!(scan.is_none(), "{scan:?} in {plan:#?}");
                }
            }
        }
        for past in [false, true] {
            run(&format!("trip page past={past}"), &|| {
                let q = TripPage {
                    now,
                    past,
                    search: None,
                    limit: 40,
                    offset: 400,
                };
                Ok(s.list_trip_page(&q)?.0.len())
            });
        }
        for days in [1, 7] {
            run(&format!("events, {days} days"), &|| {
                let q = EventQuery {
                    from: Some(now),
                    to: Some(now + chrono::Duration::days(days)),
                    tz: Some(tz),
                    limit: Some(500),
                    ..Default::default()
                };
                Ok(s.list_events(&q)?.len())
            });
            run(&format!("segments, {days} days"), &|| {
                Ok(s.list_segments(now, now + chrono::Duration::days(days))?
                    .len())
            });
        }
        // the window query reads series and moved occurrences through their own indexes
        let (_, p) = plans::record(|| {
            s.list_events(&EventQuery {
                from: Some(now),
                to: Some(now + chrono::Duration::days(1)),
                ..Default::default()
            })
        });
        let lines = p
            .iter()
            .flat_map(|p| p.lines.clone())
            .collect::<Vec<_>>()
            .join("\n");
        for index in ["events_start", "events_series", "events_overrides"] {
            assert!(lines.contains(index), "{index} unused: {lines}");
        }
    }

    /// A search of three characters or more finds its rows through the trigram indexes; no
    /// kind reads its whole table. (The results are sorted after: they are few.)
    #[test]
    fn searches_go_through_the_trigram_indexes() {
        let s = Store::open_in_memory().unwrap();
        let (r, p) = plans::record(|| s.search_all("sk 903", 10));
        r.unwrap();
        assert_eq!(p.len(), 6, "{p:#?}");
        for plan in &p {
            assert!(
                plan.lines.iter().any(|l| l.contains("VIRTUAL TABLE")),
                "not through an FTS index: {plan:#?}"
            );
            let scan = plan.lines.iter().find(|l| {
                l.starts_with("SCAN ") && !l.contains("INDEX") && !l.contains("VIRTUAL TABLE")
            });
            assert!(scan.is_none(), "{scan:?} in {plan:#?}");
        }
        let search = Some("lindqvist".to_string());
        let (_, p) = plans::record(|| {
            s.list_contacts(&ContactQuery {
                search: search.clone(),
                limit: Some(40),
                ..Default::default()
            })
            .unwrap();
            s.list_tasks(&TaskQuery {
                search: search.clone(),
                limit: Some(40),
                ..Default::default()
            })
            .unwrap();
            s.list_invoices(&InvoiceQuery {
                search: search.clone(),
                limit: Some(40),
                ..Default::default()
            })
            .unwrap();
            s.list_events(&EventQuery {
                search: search.clone(),
                limit: Some(40),
                ..Default::default()
            })
            .unwrap();
            s.list_trips(&TripQuery {
                search: search.clone(),
                limit: Some(40),
                ..Default::default()
            })
            .unwrap();
            s.list_segments_by(&SegmentQuery {
                search: search.clone(),
                limit: Some(40),
                ..Default::default()
            })
            .unwrap();
            s.find_contacts_by_name("lindqvist", 10).unwrap();
        });
        assert!(p.len() >= 7);
        for plan in &p {
            if plan.sql.contains("max(") {
                continue;
            }
            assert!(
                plan.lines.iter().any(|l| l.contains("VIRTUAL TABLE")),
                "{plan:#?}"
            );
        }
    }
}
