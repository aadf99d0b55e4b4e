//! `export ics` and `import ics`: the shell around `crate::ics` (files and the store).
use super::{Ctx, UserError};
use crate::domain::event::local_midnight;
use crate::ics::{self, ParseOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct ExportIcsArgs {
    /// First day to include (friendly date); default: everything.
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub from: Option<String>,
    /// Last day to include (friendly date); default: everything.
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub to: Option<String>,
    /// Extra items to include: travel, tasks (comma-separated).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub include: Vec<String>,
    /// Output file ("-" for standard output).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Which client the file is for: standard (Outlook, Google, Apple, Thunderbird, khal) or
    /// calcurse (no overrides, RDATE or BYSETPOS: those become single events; series it cannot
    /// follow are expanded over --from/--to, default a year back to two years ahead).
    #[arg(long = "for", value_enum, default_value_t = ForClient::Standard)]
    pub for_client: ForClient,
}

/// `--for`: the export profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ForClient {
    Standard,
    Calcurse,
}

impl From<ForClient> for ics::Profile {
    fn from(f: ForClient) -> Self {
        match f {
            ForClient::Standard => ics::Profile::Standard,
            ForClient::Calcurse => ics::Profile::Calcurse,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportIcsArgs {
    pub file: PathBuf,
    /// Report what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub use crate::ics::sync::{Gathered, ImportSummary, export_text, gather, import_into};

/// Write `bytes` to `path` as a private file (0600), through a temporary file renamed into
/// place so a failed export never leaves half a calendar.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    crate::ics::sync::write_private(path, bytes)
        .map_err(|e| UserError::new(format!("cannot write {}: {e}", path.display())))
}

pub fn export(ctx: &Ctx, args: &ExportIcsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (mut travel, mut tasks) = (false, false);
    for inc in &args.include {
        match inc.trim().to_ascii_lowercase().as_str() {
            "travel" | "trips" | "segments" => travel = true,
            "tasks" | "task" | "todo" | "todos" => tasks = true,
            "" => {}
            other => {
                return Err(UserError::new(format!(
                    "unknown --include '{other}' (expected: travel, tasks)"
                )));
            }
        }
    }
    let today = ctx.today();
    let day = |flag: &str, s: &Option<String>| -> anyhow::Result<Option<chrono::NaiveDate>> {
        s.as_deref()
            .map(|t| {
                crate::domain::when::parse_date_dir(
                    t,
                    today,
                    crate::domain::when::Direction::Nearest,
                )
                .map_err(|e| UserError::new(format!("--{flag}: {e}")))
            })
            .transpose()
    };
    let from = day("from", &args.from)?;
    // --to counts from --from ("--from '1 jan' --to '31 may'"), and names both when before
    let to = args
        .to
        .as_deref()
        .map(|t| super::input::range_day("to", t, from, ctx.now(), ctx.tz))
        .transpose()?;
    let window = match (from, to) {
        (None, None) => None,
        (f, t) => {
            // An open side reaches far, but not to chrono's limits (zone arithmetic on those
            // would overflow).
            let far = |y| chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
            let start = local_midnight(f.unwrap_or(far(1)), ctx.tz);
            let end = local_midnight(t.and_then(|d| d.succ_opt()).unwrap_or(far(9000)), ctx.tz);
            if end <= start {
                return Err(UserError::new("--to is before --from"));
            }
            Some((start, end))
        }
    };
    let opts = crate::ics::sync::export_options(args.for_client.into(), window, ctx.tz, ctx.now());
    let (text, g, n_tasks) =
        crate::ics::sync::export_text(&ctx.store, window, ctx.tz, travel, tasks, &opts, ctx.now())?;
    if args.output.as_os_str() == "-" {
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    write_private(&args.output, text.as_bytes())?;
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    if ctx.json {
        let v = serde_json::json!({
            "file": args.output.display().to_string(),
            "events": g.events.len(),
            "segments": g.segments.len(),
            "tasks": n_tasks,
            "for": opts.profile.as_str(),
            "cut_off": g.cutoffs.iter().map(|c| serde_json::json!({
                "uid": c.uid,
                "title": c.title,
                "earlier": c.earlier,
                "later": c.later,
                "next": c.next.map(|n| n.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            })).collect::<Vec<_>>(),
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "exported {} events, {} travel segments, {} tasks to {}",
            g.events.len(),
            g.segments.len(),
            n_tasks,
            args.output.display()
        )?;
        if let Some(w) = opts.window {
            for c in &g.cutoffs {
                writeln!(out, "{}", cutoff_note(c, w, ctx.tz))?;
            }
        }
    }
    Ok(())
}

/// One line for a series the calcurse profile wrote out over the window only.
fn cutoff_note(
    c: &crate::ics::profile::Cutoff,
    window: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
    tz: chrono_tz::Tz,
) -> String {
    let day =
        |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%Y-%m-%d").to_string();
    let mut left = Vec::new();
    if c.earlier {
        left.push(format!("before {}", day(window.0)));
    }
    if c.later {
        left.push(match c.next {
            Some(n) => format!(
                "from {} (next {})",
                day(window.1),
                n.with_timezone(&tz).format("%a %-d %b %Y %H:%M")
            ),
            None => format!("from {}", day(window.1)),
        });
    }
    format!(
        "note: series '{}' (UID {}) is written for calcurse as single events (calcurse cannot \
         follow it as a series); its occurrences {} are not in the file: widen --from/--to to include them",
        c.title,
        c.uid,
        left.join(" and ")
    )
}

pub fn import(ctx: &Ctx, args: &ImportIcsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    let shown = args.file.display().to_string();
    let bytes = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| UserError::new(format!("cannot read standard input: {e}")))?;
        b
    } else {
        std::fs::read(&args.file)
            .map_err(|e| UserError::new(format!("cannot read {shown}: {e}")))?
    };
    let opts = ParseOptions {
        default_tz: ctx.tz,
        now: ctx.now(),
    };
    let report = ics::parse(&bytes, &opts).map_err(|e| UserError::new(format!("{shown}: {e}")))?;
    let s = import_into(&ctx.store, &report, ctx.now(), args.dry_run)?;
    if ctx.json {
        let skipped: Vec<_> = s
            .skipped
            .iter()
            .map(|e| serde_json::json!({"line": e.line, "uid": e.uid, "reason": e.message}))
            .collect();
        let v = serde_json::json!({
            "file": shown,
            "dry_run": args.dry_run,
            "imported": s.imported,
            "updated": s.updated,
            "unchanged": s.unchanged,
            "skipped": skipped,
            "dropped": s
                .dropped
                .iter()
                .map(|e| serde_json::json!({"line": e.line, "uid": e.uid, "reason": e.message}))
                .collect::<Vec<_>>(),
            "removed": s
                .removed
                .iter()
                .map(|e| serde_json::json!({"line": e.line, "uid": e.uid, "reason": e.message}))
                .collect::<Vec<_>>(),
            "split": report
                .splits
                .iter()
                .map(|x| serde_json::json!({
                    "line": x.line,
                    "uid": x.uid,
                    "at": x.at.format(if x.all_day { "%Y-%m-%d" } else { "%Y-%m-%dT%H:%M:%S" }).to_string(),
                    "new_uid": x.new_uid,
                }))
                .collect::<Vec<_>>(),
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    for x in &report.splits {
        writeln!(out, "split {x}")?;
    }
    for e in &s.skipped {
        writeln!(out, "skipped {e}")?;
    }
    for e in &s.dropped {
        writeln!(out, "dropped {e}")?;
    }
    for e in &s.removed {
        writeln!(out, "removed {e}")?;
    }
    writeln!(
        out,
        "{}imported {}, updated {}, unchanged {}, skipped {}{}{}",
        if args.dry_run {
            "dry run: would have "
        } else {
            ""
        },
        s.imported,
        s.updated,
        s.unchanged,
        s.skipped.len(),
        if s.dropped.is_empty() {
            String::new()
        } else {
            format!(", parts dropped {}", s.dropped.len())
        },
        if s.removed.is_empty() {
            String::new()
        } else {
            format!(", changed occurrences removed {}", s.removed.len())
        }
    )?;
    Ok(())
}
