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
pub mod text;
pub mod vcf_cmd;

pub use args::{Cli, Command};
pub use ctx::{Ctx, UserError};

use crate::store::StoreError;
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
        Command::Export(ExportCmd::Csv(a)) => csv_export::run(ctx, a, out),
        Command::Export(ExportCmd::Ics(a)) => ics_cmd::export(ctx, a, out),
        Command::Export(ExportCmd::Vcf(a)) => vcf_cmd::export(ctx, a, out),
        Command::Import(ImportCmd::Ics(a)) => {
            check_input_file(&a.file)?;
            ics_cmd::import(ctx, a, out)
        }
        Command::Import(ImportCmd::Vcf(a)) => {
            check_input_file(&a.file)?;
            vcf_cmd::import(ctx, a, out)
        }
        Command::Occurrence(a) => occurrence_cmd::run(ctx, a, out),
        Command::Conflicts(a) => cal_cmd::conflicts(ctx, a, out),
        Command::Free(a) => cal_cmd::free_with_config(ctx, &ctx.config, a, out),
        Command::Backup { file, force } => backup(ctx, file, *force, out),
        Command::Demo { size } => demo(ctx, *size, out),
    }
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

fn backup(ctx: &Ctx, file: &Path, force: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if file.is_dir() {
        return Err(UserError::new(format!("{} is a directory", file.display())));
    }
    if file.exists() {
        if !force {
            return Err(UserError::new(format!(
                "{} already exists (add --force to overwrite it)",
                file.display()
            )));
        }
        std::fs::remove_file(file)?;
    }
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
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
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

/// The error as ONE printable line (causes joined with ": ", control characters escaped).
pub fn error_line(e: &anyhow::Error) -> String {
    let msg = match e.downcast_ref::<StoreError>() {
        Some(StoreError::TooNew { found, supported }) => format!(
            "the database was written by a newer secretaire (schema {found}; this version reads up to {supported}); upgrade secretaire"
        ),
        Some(StoreError::Invalid(v)) => format!("--{}: {}", v.field, v.message),
        _ => format!("{e:#}"),
    };
    text::line(msg.trim())
}

/// Whether the command only reads (an import with --dry-run): run on a database that does not
/// exist yet, it reads an empty one in memory instead of creating the file.
pub fn is_dry_run(c: &Command) -> bool {
    match c {
        Command::Import(ImportCmd::Ics(a)) => a.dry_run,
        Command::Import(ImportCmd::Vcf(a)) => a.dry_run,
        _ => false,
    }
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
