//! The `secretaire` binary: parse arguments, load the config, open the store, then hand over
//! to a CLI subcommand or the terminal UI.
//!
//! Testing aid: `SECRETAIRE_NOW=2026-11-23T09:00:00Z` fixes the clock (RFC 3339) so tests and
//! demos never depend on the wall clock. Only this file reads it.
use clap::Parser;
use secretaire::cli::{self, Cli, Ctx, UserError};
use secretaire::clock::{Clock, FixedClock, SystemClock};
use secretaire::config;
use secretaire::store::Store;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match Cli::try_parse_from(cli::args::mark_attached_values(std::env::args_os())) {
        Ok(a) => a,
        Err(e) => return usage_error(e),
    };
    match real_main(args) {
        Ok(status) => ExitCode::from(status),
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", cli::error_line(&e));
            ExitCode::from(cli::exit_code(&e))
        }
    }
}

/// `--help` and `--version` print as clap renders them; a usage mistake becomes ONE line
/// (clap's message and its tip) with status 2, like every other input error.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    eprintln!("{}", cli::usage_line(&e.render().to_string()));
    ExitCode::from(2)
}

fn clock() -> anyhow::Result<Box<dyn Clock>> {
    match std::env::var("SECRETAIRE_NOW") {
        Ok(v) if !v.trim().is_empty() => {
            let t = chrono::DateTime::parse_from_rfc3339(v.trim()).map_err(|e| {
                UserError::new(format!(
                    "SECRETAIRE_NOW: '{}' is not an RFC 3339 time ({e})",
                    v.trim()
                ))
            })?;
            Ok(Box::new(FixedClock::new(t.with_timezone(&chrono::Utc))))
        }
        _ => Ok(Box::new(SystemClock)),
    }
}

/// The exit status: 0, or 128 + the signal that ended the UI (see `tui::Ended`).
fn real_main(args: Cli) -> anyhow::Result<u8> {
    let clock = clock()?;
    let loaded = config::load(args.config.as_deref());
    let cfg = loaded.config.clone();

    if args.demo {
        if args.command.is_some() {
            return Err(UserError::new("--demo opens the UI; it takes no command"));
        }
        return run_demo_ui(clock.as_ref(), loaded);
    }

    let db = cli::db_path(args.db.as_deref(), std::env::var_os("SECRETAIRE_DB"))
        .ok_or_else(|| UserError::new("no home directory: give --db PATH"))?;

    let Some(command) = args.command else {
        let store = cli::open_store(&db, cli::Access::Create)?;
        return secretaire::tui::run(
            store,
            clock.as_ref(),
            cfg,
            loaded.warnings,
            loaded.path.as_deref(),
        )
        .map(secretaire::tui::Ended::status);
    };

    for w in &loaded.warnings {
        eprintln!("warning: {}", cli::text::line(w));
    }
    let access = cli::access(&command);
    // a failed first command leaves no database behind
    let fresh = (access == cli::Access::Create)
        .then(|| cli::Fresh::before(&db))
        .flatten();
    let result = cli::open_store(&db, access).and_then(|store| {
        // tasks' due days are ordered in the configured zone (re-keyed once when it changed;
        // a read-only file keeps its keys: its lists still hold every task)
        let _ = store.use_zone(cfg.timezone);
        let ctx = Ctx::new(store, clock, cfg, args.json);
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        cli::run(&ctx, &command, &mut out)?;
        std::io::Write::flush(&mut out)?;
        Ok(())
    });
    // (the store is closed here)
    if result.is_err()
        && let Some(f) = fresh
    {
        f.undo();
    }
    result.map(|()| 0)
}

/// `--demo`: a fresh private temporary directory (0700) holding a database (0600) seeded with
/// the small demo set, the UI on it, and the directory removed afterwards. Folders of earlier
/// runs that were killed are removed first.
fn run_demo_ui(clock: &dyn Clock, loaded: config::Loaded) -> anyhow::Result<u8> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    // folders of earlier runs whose terminal was closed (SIGHUP leaves no time to clean up)
    cli::remove_stale_demo_dirs(&base);
    let mut dir = None;
    for i in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let d = base.join(cli::demo_dir_name(
            std::process::id(),
            &format!("{nanos:x}-{i}"),
        ));
        if std::fs::DirBuilder::new().mode(0o700).create(&d).is_ok() {
            dir = Some(d);
            break;
        }
    }
    let dir = dir.ok_or_else(|| anyhow::anyhow!("cannot create a temporary directory"))?;
    let result = (|| {
        let store = Store::open(&dir.join("demo.db"))?;
        let cfg = loaded.config.clone();
        secretaire::demo::seed(
            &store,
            secretaire::demo::DemoSize::Small,
            clock.now(),
            cfg.timezone,
        )?;
        secretaire::tui::run(store, clock, cfg, loaded.warnings, loaded.path.as_deref())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result.map(secretaire::tui::Ended::status)
}
