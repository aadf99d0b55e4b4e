//! `export ics` and `import ics`: the shell around `crate::ics` (files and the store).
use super::{Ctx, UserError};
use crate::domain::event::local_midnight;
use crate::domain::{Event, Segment, Task};
use crate::ics::{self, Change, ExportOptions, ItemError, ParseOptions, ParseReport};
use crate::store::{EventQuery, Store, TaskQuery, TripQuery, Tx};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct ExportIcsArgs {
    /// First day to include (friendly date); default: everything.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day to include (friendly date); default: everything.
    #[arg(long)]
    pub to: Option<String>,
    /// Extra items to include: travel, tasks (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub include: Vec<String>,
    /// Output file ("-" for standard output).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportIcsArgs {
    pub file: PathBuf,
    /// Report what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Rows read per query when paging through the store.
const PAGE: u32 = 500;

/// What `export ics` gathered from the store.
#[derive(Debug, Default)]
pub struct Gathered {
    pub events: Vec<Event>,
    pub segments: Vec<Segment>,
    pub tasks: Vec<Task>,
}

/// Everything to export: events overlapping `[from, to)` plus recurring masters (all events
/// without a window), travel segments and open tasks with a due date when asked. Pages
/// through the store; never one unbounded query.
pub fn gather(
    store: &Store,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    tz: chrono_tz::Tz,
    travel: bool,
    tasks: bool,
) -> anyhow::Result<Gathered> {
    let mut g = Gathered::default();
    let mut seen = HashSet::new();
    let mut offset = 0;
    loop {
        let q = EventQuery {
            from: window.map(|w| w.0),
            to: window.map(|w| w.1),
            tz: Some(tz),
            limit: Some(PAGE),
            offset,
            ..EventQuery::default()
        };
        let page = store.list_events(&q)?;
        let n = page.len() as u32;
        for e in page {
            if seen.insert(e.id) {
                g.events.push(e);
            }
        }
        if n < PAGE {
            break;
        }
        offset += PAGE;
    }
    if travel {
        match window {
            Some((from, to)) => g.segments = store.list_segments(from, to)?,
            None => {
                let mut offset = 0;
                loop {
                    let q = TripQuery {
                        limit: Some(PAGE),
                        offset,
                        ..TripQuery::default()
                    };
                    let page = store.list_trips(&q)?;
                    let n = page.len() as u32;
                    g.segments.extend(page.into_iter().flat_map(|t| t.segments));
                    if n < PAGE {
                        break;
                    }
                    offset += PAGE;
                }
            }
        }
    }
    if tasks {
        let mut offset = 0;
        loop {
            let q = TaskQuery {
                open_only: true,
                tz: Some(tz),
                limit: Some(PAGE),
                offset,
                ..TaskQuery::default()
            };
            let page = store.list_tasks(&q)?;
            let n = page.len() as u32;
            g.tasks
                .extend(page.into_iter().filter(|t| match (t.due, window) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(d), Some((from, to))) => {
                        let day = d.date_in(tz);
                        day >= from.with_timezone(&tz).date_naive() && local_midnight(day, tz) < to
                    }
                }));
            if n < PAGE {
                break;
            }
            offset += PAGE;
        }
    }
    Ok(g)
}

/// Write `bytes` to `path` as a private file (0600), through a temporary file renamed into
/// place so a failed export never leaves half a calendar.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export.ics".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let res = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(UserError::new(format!(
            "cannot write {}: {e}",
            path.display()
        )));
    }
    Ok(())
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
                crate::domain::when::parse_date(t, today)
                    .map_err(|e| UserError::new(format!("--{flag}: {e}")))
            })
            .transpose()
    };
    let from = day("from", &args.from)?;
    let to = day("to", &args.to)?;
    let window = match (from, to) {
        (None, None) => None,
        (f, t) => {
            let start = f
                .map(|d| local_midnight(d, ctx.tz))
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            let end = t
                .and_then(|d| d.succ_opt())
                .map(|d| local_midnight(d, ctx.tz))
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            if end <= start {
                return Err(UserError::new("--to is before --from"));
            }
            Some((start, end))
        }
    };
    let g = gather(&ctx.store, window, ctx.tz, travel, tasks)?;
    let lookup = |id: i64| ctx.store.get_contact(id).ok();
    let text = ics::export(
        &g.events,
        &g.segments,
        &g.tasks,
        &lookup,
        &ExportOptions::default(),
        ctx.now(),
    );
    let n_tasks = g
        .tasks
        .iter()
        .filter(|t| t.status != crate::domain::TaskStatus::Done && t.due.is_some())
        .count();
    if args.output.as_os_str() == "-" {
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    write_private(&args.output, text.as_bytes())?;
    if ctx.json {
        let v = serde_json::json!({
            "file": args.output.display().to_string(),
            "events": g.events.len(),
            "segments": g.segments.len(),
            "tasks": n_tasks,
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
    }
    Ok(())
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: Vec<ItemError>,
}

/// Link attendees to local contacts: a link to a contact that does not exist here is dropped,
/// an attendee without one is linked by e-mail.
fn link_attendees(tx: &dyn Reads, e: &mut Event) -> crate::store::Result<()> {
    for a in &mut e.attendees {
        if let Some(id) = a.contact_id {
            if !tx.contact_exists(id)? {
                a.contact_id = None;
            }
        }
        if a.contact_id.is_none() && !a.email.is_empty() {
            a.contact_id = tx.contact_by_email(&a.email)?;
        }
    }
    Ok(())
}

/// The reads an import needs, on a `Store` (dry run) or inside the write transaction.
trait Reads {
    fn contact_exists(&self, id: i64) -> crate::store::Result<bool>;
    fn contact_by_email(&self, email: &str) -> crate::store::Result<Option<i64>>;
    fn find(&self, e: &Event) -> crate::store::Result<Option<Event>>;
}

macro_rules! reads_impl {
    ($t:ty) => {
        impl Reads for $t {
            fn contact_exists(&self, id: i64) -> crate::store::Result<bool> {
                match self.get_contact(id) {
                    Ok(_) => Ok(true),
                    Err(crate::store::StoreError::NotFound { .. }) => Ok(false),
                    Err(e) => Err(e),
                }
            }
            fn contact_by_email(&self, email: &str) -> crate::store::Result<Option<i64>> {
                Ok(self.find_contacts_by_email(email)?.first().map(|c| c.id))
            }
            fn find(&self, e: &Event) -> crate::store::Result<Option<Event>> {
                self.find_event_by_uid(&e.uid, e.recurrence_id)
            }
        }
    };
}
reads_impl!(Store);
reads_impl!(Tx<'_>);

/// Apply a parsed file to the store in ONE transaction (or, `dry_run`, only read): by
/// (UID, RECURRENCE-ID), insert what is new, update what changed, leave the rest. The file's
/// per-item errors become `skipped`; an item the store refuses is skipped too.
pub fn import_into(
    store: &Store,
    report: &ParseReport,
    now: DateTime<Utc>,
    dry_run: bool,
) -> anyhow::Result<ImportSummary> {
    let run = |r: &dyn Reads, tx: Option<&Tx<'_>>| -> crate::store::Result<ImportSummary> {
        let mut s = ImportSummary {
            skipped: report.errors.clone(),
            ..ImportSummary::default()
        };
        for item in &report.items {
            let mut e = item.event.clone();
            link_attendees(r, &mut e)?;
            let existing = r.find(&e)?;
            let change = ics::decide(existing.as_ref(), &e, now);
            let res = match (&change, tx) {
                (Change::Insert(ev), Some(tx)) => tx.insert_event(ev).map(|_| ()),
                (Change::Update { new, .. }, Some(tx)) => tx.update_event(new),
                _ => Ok(()),
            };
            match res {
                Ok(()) => match change {
                    Change::Insert(_) => s.imported += 1,
                    Change::Update { .. } => s.updated += 1,
                    Change::Unchanged => s.unchanged += 1,
                },
                Err(crate::store::StoreError::Invalid(v)) => s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: v.to_string(),
                }),
                Err(other) => return Err(other),
            }
        }
        s.skipped.sort_by_key(|e| e.line);
        Ok(s)
    };
    let s = if dry_run {
        run(store, None)?
    } else {
        store.write(|tx| run(tx, Some(tx)))?
    };
    Ok(s)
}

pub fn import(ctx: &Ctx, args: &ImportIcsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
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
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    for e in &s.skipped {
        writeln!(out, "skipped {e}")?;
    }
    writeln!(
        out,
        "{}imported {}, updated {}, unchanged {}, skipped {}",
        if args.dry_run {
            "dry run: would have "
        } else {
            ""
        },
        s.imported,
        s.updated,
        s.unchanged,
        s.skipped.len()
    )?;
    Ok(())
}
