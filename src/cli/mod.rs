//! Scriptable subcommands: the clap tree ([`args`]), dispatch ([`run`]), human and JSON
//! output, and how errors become exit codes ([`exit_code`], [`error_line`]).
//!
//! Exit status: 0 success; 2 the user's input or data was at fault (unknown id, invalid date,
//! end before start, unknown currency, not a database, a database from a newer version) with
//! ONE line `error: ...` on stderr and nothing written; 1 anything else (I/O, bugs).
pub mod agenda_cmd;
pub mod args;
pub mod cal_cmd;
pub mod csv_export;
pub mod ctx;
pub mod ics_cmd;
pub mod input;
pub mod json;
pub mod occurrence_cmd;
pub mod records;
pub mod reminder_cmd;
pub mod text;
pub mod vcf_cmd;

pub use args::{Cli, Command};
pub use ctx::{Ctx, UserError};

use crate::store::{Store, StoreError};
use args::{DemoSizeArg, ExportCmd, ImportCmd};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Run one subcommand, writing its output to `out`.
pub fn run(ctx: &Ctx, cmd: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let cfg = &ctx.config;
    match cmd {
        Command::Add(a) => records::add(ctx, cfg, a, out),
        Command::List(a) => records::list(ctx, a, out),
        Command::Show(a) => records::show(ctx, a, out),
        Command::Edit(a) => records::edit(ctx, cfg, a, out),
        Command::Delete(a) => records::delete(ctx, a, out),
        Command::Done { id } => records::done(ctx, *id, out),
        Command::Snooze { id, until } => records::snooze(ctx, cfg, *id, until, out),
        Command::Pay { id, on } => records::pay(ctx, *id, on.as_deref(), out),
        Command::Agenda(a) => agenda_cmd::run(ctx, a, out),
        Command::Export(ExportCmd::Csv(a)) => {
            check_output(ctx, &a.output)?;
            csv_export::run(ctx, a, out)
        }
        Command::Export(ExportCmd::Ics(a)) => {
            check_output(ctx, &a.output)?;
            ics_cmd::export(ctx, a, out)
        }
        Command::Export(ExportCmd::Vcf(a)) => {
            check_output(ctx, &a.output)?;
            vcf_cmd::export(ctx, a, out)
        }
        Command::Import(ImportCmd::Ics(a)) => {
            check_input_file(&a.file)?;
            ics_cmd::import(ctx, a, out)
        }
        Command::Import(ImportCmd::Vcf(a)) => {
            check_input_file(&a.file)?;
            vcf_cmd::import(ctx, a, out)
        }
        Command::Occurrence(a) => occurrence_cmd::run(ctx, a, out),
        Command::Reminder(a) => reminder_cmd::run(ctx, a, out),
        Command::Conflicts(a) => cal_cmd::conflicts(ctx, a, out),
        Command::Free(a) => cal_cmd::free_with_config(ctx, &ctx.config, a, out),
        Command::Backup { file, force } => backup(ctx, file, *force, out),
        Command::Demo { size } => demo(ctx, *size, out),
    }
}

/// How a command uses the database file: which commands may create one, which only read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only: the file is opened read-only (it may be a read-only file); a missing or
    /// empty file is an error, never created.
    Read,
    /// Changes records that must already exist: a missing or empty file is an error.
    Write,
    /// Puts records in (`add`, `import`, `demo`, and the UI): a missing or empty file becomes a
    /// new database.
    Create,
    /// `import --dry-run`: reads; a missing file is compared as an empty database (in memory).
    Preview,
}

/// The access `cmd` needs. Only `add`, `import` and `demo` (and the UI) create a database.
pub fn access(cmd: &Command) -> Access {
    use occurrence_cmd::OccurrenceCmd;
    match cmd {
        Command::Add(_) | Command::Demo { .. } => Access::Create,
        Command::Import(ImportCmd::Ics(a)) if a.dry_run => Access::Preview,
        Command::Import(ImportCmd::Vcf(a)) if a.dry_run => Access::Preview,
        Command::Import(_) => Access::Create,
        Command::Edit(_)
        | Command::Delete(_)
        | Command::Done { .. }
        | Command::Snooze { .. }
        | Command::Pay { .. } => Access::Write,
        Command::Occurrence(OccurrenceCmd::List { .. }) => Access::Read,
        Command::Occurrence(_) => Access::Write,
        Command::Reminder(reminder_cmd::ReminderCmd::List) => Access::Read,
        Command::Reminder(_) => Access::Write,
        Command::List(_)
        | Command::Show(_)
        | Command::Agenda(_)
        | Command::Export(_)
        | Command::Conflicts(_)
        | Command::Free(_)
        | Command::Backup { .. } => Access::Read,
    }
}

/// Open the database at `path` as `access` needs it, every failure one clear line (exit 2):
/// a missing or empty file for a command that does not create one ("no database at ..."),
/// a file we may not write for a command that writes ("... is read-only"), a damaged or
/// foreign file, a newer schema. A reading command on a file we may not write opens it
/// read-only (nothing is written then, not even a migration); on a file we may write it opens
/// it as usual, which writes nothing either unless the schema needs upgrading.
pub fn open_store(path: &Path, access: Access) -> anyhow::Result<Store> {
    check_database_file(path)?;
    let blank = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    if blank && access != Access::Create {
        if access == Access::Preview {
            return Ok(Store::open_in_memory()?);
        }
        return Err(UserError::new(format!(
            "no database at {} (run `secretaire demo` or add something first)",
            path.display()
        )));
    }
    if matches!(access, Access::Read | Access::Preview) && !writable(path) {
        match Store::open_read_only(path) {
            Ok(s) => return Ok(s),
            Err(StoreError::Outdated { found: 0 }) => {
                return Err(UserError::new(format!(
                    "no database at {} (run `secretaire demo` or add something first)",
                    path.display()
                )));
            }
            Err(StoreError::Outdated { found }) => {
                return Err(UserError::new(format!(
                    "{} is read-only, and its schema (version {found}) needs an upgrade that writes to it",
                    path.display()
                )));
            }
            Err(e) => return Err(open_error(path, e)),
        }
    }
    if !blank && !writable(path) {
        return Err(UserError::new(format!("{} is read-only", path.display())));
    }
    Store::open(path).map_err(|e| open_error(path, e))
}

/// What a command that may create the database ([`Access::Create`]) is about to create: the
/// file (or, for an empty file, its first contents) and the missing folders above it. When
/// the command fails, [`Fresh::undo`] takes them away again: a failed first `add` leaves no
/// database behind.
#[derive(Debug)]
pub struct Fresh {
    file: PathBuf,
    /// The file existed, empty: undo empties it again rather than removing it.
    existed: bool,
    /// Folders to create, the deepest first.
    dirs: Vec<PathBuf>,
}

impl Fresh {
    /// None when `path` already holds data (nothing to undo then).
    pub fn before(path: &Path) -> Option<Fresh> {
        let existed = match std::fs::metadata(path) {
            Ok(m) if m.len() > 0 => return None,
            Ok(_) => true,
            Err(_) => false,
        };
        let mut dirs = Vec::new();
        let mut p = path.parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            dirs.push(d.to_path_buf());
            p = d.parent();
        }
        Some(Fresh {
            file: path.to_path_buf(),
            existed,
            dirs,
        })
    }

    /// Remove what was created (call after the store is closed).
    pub fn undo(self) {
        let side = |ext: &str| {
            let mut s = self.file.clone().into_os_string();
            s.push(ext);
            PathBuf::from(s)
        };
        for ext in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(side(ext));
        }
        if self.existed {
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&self.file);
        } else {
            let _ = std::fs::remove_file(&self.file);
        }
        for d in &self.dirs {
            // only if empty: never anything we did not make
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// Whether we may write `path` (an existing file): false for a read-only file or file system.
fn writable(path: &Path) -> bool {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ),
    }
}

/// A failure to open the database as one line naming the file, exit status 2 (the path or
/// the file is the problem) unless it is a plain I/O failure of ours.
fn open_error(path: &Path, e: StoreError) -> anyhow::Error {
    let shown = path.display();
    match e {
        StoreError::TooNew { .. } => anyhow::Error::new(e),
        // the message names the file already
        StoreError::Corrupt(m) => UserError::new(m),
        StoreError::Sqlite(ref s) if is_read_only(s) => {
            UserError::new(format!("{shown} is read-only"))
        }
        StoreError::Sqlite(ref s)
            if matches!(
                s.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            ) =>
        {
            UserError::new(format!("{shown} is not a secretaire database ({s})"))
        }
        // "cannot create database /proc/x.db: No such file or directory"
        StoreError::Io(io) => UserError::new(io.to_string()),
        other => anyhow::Error::new(other).context(format!("cannot open {shown}")),
    }
}

/// SQLite refused a write: the file, its folder or the file system is read-only.
pub fn is_read_only(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly)
}

/// An input file must exist and be a readable file ("-" is standard input).
fn check_input_file(path: &Path) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(UserError::new(format!("{} is a directory", path.display()))),
        Ok(_) => std::fs::File::open(path)
            .map(|_| ())
            .map_err(|e| UserError::new(format!("cannot read {}: {e}", path.display()))),
        Err(e) => Err(UserError::new(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Refuse to write `dest` when it is the open database or one of its files (its `-wal`,
/// `-shm`, `-journal`), by any path or link: the user's slip (exit 2, one line), caught before
/// anything is read or written. `backup` and every export ask this first; "-" (standard output)
/// is never a file of ours.
pub fn check_output(ctx: &Ctx, dest: &Path) -> anyhow::Result<()> {
    if dest.as_os_str() == "-" {
        return Ok(());
    }
    match ctx.store.own_file(dest) {
        Some(own) => Err(UserError::new(own.refusal(dest))),
        None => Ok(()),
    }
}

fn backup(ctx: &Ctx, file: &Path, force: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if file.is_dir() {
        return Err(UserError::new(format!("{} is a directory", file.display())));
    }
    check_output(ctx, file)?;
    if file.exists() && !force {
        return Err(UserError::new(format!(
            "{} already exists (add --force to replace it)",
            file.display()
        )));
    }
    // the copy is written beside FILE and renamed over it: an old backup is replaced at once,
    // never left half-written or missing
    ctx.store.backup_to(file)?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if ctx.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"file": file.display().to_string(), "bytes": size})
        )?;
    } else {
        writeln!(out, "backed up to {} ({size} bytes)", file.display())?;
    }
    Ok(())
}

fn demo(ctx: &Ctx, size: DemoSizeArg, out: &mut dyn Write) -> anyhow::Result<()> {
    use crate::store::{ContactQuery, EventQuery, InvoiceQuery, TaskQuery, TripQuery};
    let s = &ctx.store;
    let one = Some(1);
    let empty = s.count_events(&EventQuery::default())? == 0
        && s.count_tasks(&TaskQuery::default())? == 0
        && s.list_contacts(&ContactQuery {
            limit: one,
            ..Default::default()
        })?
        .is_empty()
        && s.list_invoices(&InvoiceQuery {
            limit: one,
            ..Default::default()
        })?
        .is_empty()
        && s.list_trips(&TripQuery {
            limit: one,
            ..Default::default()
        })?
        .is_empty();
    if !empty {
        return Err(UserError::new(
            "the database already holds records; demo data goes into an empty one (pick a new file with --db)",
        ));
    }
    let size = match size {
        DemoSizeArg::Small => crate::demo::DemoSize::Small,
        DemoSizeArg::Large => crate::demo::DemoSize::Large,
    };
    let started = std::time::Instant::now();
    let stats = crate::demo::seed(s, size, ctx.now(), ctx.tz)?;
    let took = started.elapsed();
    if ctx.json {
        let mut v = serde_json::to_value(stats)?;
        v["seconds"] = serde_json::json!(took.as_secs_f64());
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "wrote {} events, {} trips ({} segments), {} contacts, {} invoices, {} tasks in {:.2} s",
            stats.events,
            stats.trips,
            stats.segments,
            stats.contacts,
            stats.invoices,
            stats.tasks,
            took.as_secs_f64()
        )?;
    }
    Ok(())
}

/// `--demo` works in a private folder `secretaire-demo-<pid>-<nonce>` under the temp dir.
pub const DEMO_DIR_PREFIX: &str = "secretaire-demo-";

/// The name of a `--demo` folder of process `pid`.
pub fn demo_dir_name(pid: u32, nonce: &str) -> String {
    format!("{DEMO_DIR_PREFIX}{pid}-{nonce}")
}

/// Remove the `--demo` folders under `base` that a run killed before it could clean up (its
/// terminal was closed) left behind: only folders named like ours, owned by us, whose process
/// is gone (no `/proc/<pid>`). Symbolic links and anything else are left alone. Returns what
/// was removed.
pub fn remove_stale_demo_dirs(base: &Path) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let Ok(me) = std::fs::metadata("/proc/self").map(|m| m.uid()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut gone = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(DEMO_DIR_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        let ours = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == me);
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if ours && !alive && std::fs::remove_dir_all(&path).is_ok() {
            gone.push(path);
        }
    }
    gone
}

/// The database path: `--db` beats `$SECRETAIRE_DB` beats the platform default.
pub fn db_path(flag: Option<&Path>, env: Option<OsString>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| env.filter(|e| !e.is_empty()).map(PathBuf::from))
        .or_else(crate::config::default_db_path)
}

/// Refuse, before SQLite touches it, a path that is a directory, unreadable, or a file that is
/// not an SQLite database (an empty or missing file is fine: it becomes a new database).
pub fn check_database_file(path: &Path) -> anyhow::Result<()> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(UserError::new(format!(
                "cannot open {}: {e}",
                path.display()
            )));
        }
    };
    if meta.is_dir() {
        return Err(UserError::new(format!(
            "{} is a directory, not a database",
            path.display()
        )));
    }
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| UserError::new(format!("cannot read {}: {e}", path.display())))?;
    if n > 0 && (n < 16 || head != *b"SQLite format 3\0") {
        return Err(UserError::new(format!(
            "{} is not a secretaire database (not an SQLite file)",
            path.display()
        )));
    }
    Ok(())
}

fn store_error_is_users(e: &StoreError) -> bool {
    match e {
        StoreError::NotFound { .. }
        | StoreError::Invalid(_)
        | StoreError::TooNew { .. }
        | StoreError::Corrupt(_) => true,
        StoreError::Sqlite(s) => matches!(
            s.sqlite_error_code(),
            Some(
                rusqlite::ErrorCode::NotADatabase
                    | rusqlite::ErrorCode::DatabaseCorrupt
                    | rusqlite::ErrorCode::ReadOnly
            )
        ),
        _ => false,
    }
}

/// 2 when the user's input or data is at fault, else 1.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    for cause in e.chain() {
        if cause.downcast_ref::<UserError>().is_some()
            || cause.downcast_ref::<clap::Error>().is_some()
        {
            return 2;
        }
        if let Some(s) = cause.downcast_ref::<StoreError>() {
            return if store_error_is_users(s) { 2 } else { 1 };
        }
    }
    1
}

/// The error as ONE printable line (causes joined with ": ", control characters escaped). A
/// cause whose text the line already holds is left out (SQLite's message often comes three
/// times: the store's, rusqlite's, and "Error code N: ..." below them).
pub fn error_line(e: &anyhow::Error) -> String {
    let msg = match e.downcast_ref::<StoreError>() {
        Some(StoreError::TooNew { found, supported }) => format!(
            "the database was written by a newer secretaire (schema {found}; this version reads up to {supported}); upgrade secretaire"
        ),
        Some(StoreError::Invalid(v)) => format!("--{}: {}", v.field, v.message),
        Some(StoreError::Sqlite(s)) if is_read_only(s) => {
            "the database is read-only: nothing was written".to_string()
        }
        _ => {
            let mut parts: Vec<String> = Vec::new();
            for cause in e.chain() {
                if cause.downcast_ref::<rusqlite::ffi::Error>().is_some() {
                    continue;
                }
                let s = cause.to_string();
                let low = s.to_lowercase();
                if !parts.iter().any(|p| p.to_lowercase().contains(&low)) {
                    parts.push(s);
                }
            }
            parts.join(": ")
        }
    };
    text::line(msg.trim())
}

/// clap's multi-line usage error as ONE line: the `error:` sentence with its details (the
/// missing arguments, the possible values), its tip, and where help is.
///
/// `error: the following required arguments were not provided: <UNTIL> (see --help)`
pub fn usage_line(rendered: &str) -> String {
    let (mut head, mut details, mut tips) = (String::new(), Vec::new(), Vec::new());
    let mut in_error = false;
    for raw in rendered.lines() {
        let l = raw.trim();
        if let Some(rest) = l.strip_prefix("error:") {
            head = format!("error:{rest}");
            in_error = true;
        } else if l.starts_with("tip:") {
            tips.push(l.to_string());
            in_error = false;
        } else if l.is_empty() || !raw.starts_with(' ') {
            // a blank line or "Usage: ..." ends the error's own lines
            in_error = false;
        } else if in_error {
            details.push(l.to_string());
        }
    }
    if head.is_empty() {
        head = format!(
            "error: {}",
            rendered.lines().next().unwrap_or("invalid arguments")
        );
    }
    let mut line = head;
    if !details.is_empty() {
        line.push(' ');
        line.push_str(&details.join(", "));
    }
    for t in tips {
        line.push_str("; ");
        line.push_str(&t);
    }
    line.push_str(" (see --help)");
    text::line(&line)
}

/// Whether the error is a closed stdout (`secretaire list events | head`): not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|je| je.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's details stay in the one line: which argument is missing, which values exist.
    #[rstest::rstest]
    #[case(&["export", "csv", "tasks"], "error: the following required arguments were not provided: --output <OUTPUT> (see --help)")]
    #[case(&["snooze", "5"], "error: the following required arguments were not provided: <UNTIL> (see --help)")]
    #[case(&["show", "task"], "error: the following required arguments were not provided: <ID> (see --help)")]
    #[case(&["show"], "error: the following required arguments were not provided: <KIND>, <ID> (see --help)")]
    #[case(&["export", "ics", "--for", "outlook", "-o", "x.ics"], "error: invalid value 'outlook' for '--for <FOR_CLIENT>' [possible values: standard, calcurse] (see --help)")]
    #[case(&["export", "csv", "events", "-o", "x"], "error: invalid value 'events' for '<KIND>' [possible values: invoices, contacts, tasks] (see --help)")]
    #[case(&["list", "taks"], "error: invalid value 'taks' for '<KIND>' [possible values: event, trip, segment, contact, invoice, task]; tip: a similar value exists: 'task' (see --help)")]
    #[case(&["lst"], "error: unrecognized subcommand 'lst'; tip: a similar subcommand exists: 'list' (see --help)")]
    fn usage_errors_keep_their_details_in_one_line(#[case] argv: &[&str], #[case] want: &str) {
        use clap::Parser;
        let mut full = vec!["secretaire"];
        full.extend_from_slice(argv);
        let e = Cli::try_parse_from(full).unwrap_err();
        assert_eq!(usage_line(&e.render().to_string()), want);
    }

    #[test]
    fn db_path_precedence() {
        let flag = PathBuf::from("/tmp/flag.db");
        assert_eq!(
            db_path(Some(&flag), Some("/tmp/env.db".into())),
            Some(flag.clone())
        );
        assert_eq!(
            db_path(None, Some("/tmp/env.db".into())),
            Some(PathBuf::from("/tmp/env.db"))
        );
        assert_eq!(
            db_path(None, Some("".into())),
            crate::config::default_db_path()
        );
    }

    #[test]
    fn non_databases_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.txt");
        std::fs::write(&p, "hello, this is not a database at all").unwrap();
        let e = check_database_file(&p).unwrap_err();
        assert_eq!(exit_code(&e), 2);
        assert!(error_line(&e).contains("is not a secretaire database"));
        assert!(check_database_file(dir.path()).is_err());
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, "").unwrap();
        assert!(check_database_file(&empty).is_ok());
        assert!(check_database_file(&dir.path().join("new.db")).is_ok());
        let short = dir.path().join("short.db");
        std::fs::write(&short, "SQLite").unwrap();
        assert!(check_database_file(&short).is_err());
    }

    #[test]
    fn a_cause_repeating_the_line_is_left_out() {
        let sqlite = |code: i32, msg: &str| {
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(msg.into()))
        };
        // SQLite's text came three times: the store's, rusqlite's, "Error code 1544: ..."
        let e = anyhow::Error::new(StoreError::Sqlite(sqlite(
            rusqlite::ffi::SQLITE_READONLY_DBMOVED,
            "attempt to write a readonly database",
        )));
        assert_eq!(
            error_line(&e),
            "the database is read-only: nothing was written"
        );
        assert_eq!(exit_code(&e), 2);
        let e = anyhow::Error::new(StoreError::Sqlite(sqlite(
            rusqlite::ffi::SQLITE_FULL,
            "database or disk is full",
        )))
        .context("saving task 5");
        assert_eq!(
            error_line(&e),
            "saving task 5: database error: database or disk is full"
        );
        let io = std::io::Error::other("cannot create database /x/a.db: No such file");
        let e = anyhow::Error::new(StoreError::Io(io)).context("cannot open /x/a.db");
        assert_eq!(
            error_line(&e),
            "cannot open /x/a.db: cannot create database /x/a.db: No such file"
        );
    }

    #[test]
    fn which_commands_may_create_a_database() {
        use clap::Parser;
        let access = |argv: &[&str]| {
            let mut v = vec!["secretaire"];
            v.extend_from_slice(argv);
            super::access(&Cli::try_parse_from(v).unwrap().command.unwrap())
        };
        assert_eq!(access(&["add", "task", "X"]), Access::Create);
        assert_eq!(access(&["import", "vcf", "a.vcf"]), Access::Create);
        assert_eq!(
            access(&["import", "ics", "a.ics", "--dry-run"]),
            Access::Preview
        );
        assert_eq!(access(&["demo"]), Access::Create);
        assert_eq!(access(&["pay", "1"]), Access::Write);
        assert_eq!(
            access(&["occurrence", "delete", "1", "--at", "mon"]),
            Access::Write
        );
        assert_eq!(access(&["occurrence", "list", "1"]), Access::Read);
        assert_eq!(access(&["backup", "b.db"]), Access::Read);
        assert_eq!(access(&["export", "ics", "-o", "a.ics"]), Access::Read);
    }

    #[test]
    fn stale_demo_folders_of_dead_processes_are_removed_and_nothing_else() {
        use std::os::unix::fs::MetadataExt;
        let base = tempfile::tempdir().unwrap();
        let b = base.path();
        // a pid that cannot be running (above the kernel's limit)
        let dead = 4_194_305 + 17;
        let stale = b.join(demo_dir_name(dead, "1a2b-0"));
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("demo.db"), "x").unwrap();
        let mine = b.join(demo_dir_name(std::process::id(), "3c-0"));
        std::fs::create_dir(&mine).unwrap();
        let not_a_pid = b.join("secretaire-demo-abc-1");
        std::fs::create_dir(&not_a_pid).unwrap();
        let other_name = b.join(format!("secretaire-bench-{dead}-1"));
        std::fs::create_dir(&other_name).unwrap();
        let a_file = b.join(demo_dir_name(dead, "file"));
        std::fs::write(&a_file, "keep").unwrap();
        let target = b.join("kept-target");
        std::fs::create_dir(&target).unwrap();
        let link = b.join(demo_dir_name(dead, "link"));
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
        let foreign = b.join(demo_dir_name(dead, "theirs"));
        if root {
            std::fs::create_dir(&foreign).unwrap();
            std::os::unix::fs::chown(&foreign, Some(65534), Some(65534)).unwrap();
        }
        assert_eq!(remove_stale_demo_dirs(b), vec![stale.clone()]);
        assert!(!stale.exists());
        for kept in [&mine, &not_a_pid, &other_name, &a_file, &target, &link] {
            assert!(
                kept.symlink_metadata().is_ok(),
                "{} removed",
                kept.display()
            );
        }
        assert_eq!(foreign.exists(), root, "someone else's folder is theirs");
    }

    #[test]
    fn error_lines_are_one_line() {
        let e = UserError::new("bad\nthing\u{1b}[2J");
        assert_eq!(error_line(&e), "bad thing\\u{1b}[2J");
        assert_eq!(exit_code(&e), 2);
        let e = anyhow::anyhow!("disk on fire");
        assert_eq!(exit_code(&e), 1);
        let e = anyhow::Error::new(StoreError::TooNew {
            found: 9,
            supported: 2,
        });
        assert_eq!(exit_code(&e), 2);
        assert!(error_line(&e).contains("newer secretaire (schema 9"));
    }
}
