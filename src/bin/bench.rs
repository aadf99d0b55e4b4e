//! secretaire-bench: figures for scale work, no pass/fail.
//!
//! `cargo run --release --bin secretaire-bench [-- --db PATH] [--now RFC3339] [--tz ZONE]
//! [--size small|large] [--runs N]`
//!
//! Seeds the large demo set into a temporary database (or reuses `--db PATH` when that file
//! already holds data; a missing PATH is seeded and kept), prints the seeding time with a
//! breakdown per kind, the file size, the time of the queries the panes make and of the real
//! agenda path (`cli::agenda_cmd::load` plus the expansion, as `secretaire agenda` runs it),
//! and the peak RSS. The data is generated for a fixed instant (2026-11-23 09:30 UTC unless
//! `--now` says otherwise), so runs are comparable; queries use the same instant.
use anyhow::{Context, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use secretaire::demo::{self, DemoSize};
use secretaire::domain::event::local_midnight;
use secretaire::store::{
    ContactQuery, EventQuery, InvoiceQuery, Store, TaskOrder, TaskQuery, TripQuery,
};
use std::path::PathBuf;
use std::time::Instant;

/// `println!` that ends the program quietly when stdout goes away (`| head`), instead of
/// panicking on the broken pipe.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write;
        if writeln!(std::io::stdout(), $($t)*).is_err() {
            stdout_gone();
        }
    }};
}

/// Where the temporary database lives, so an early exit can still remove it.
static TEMP: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

fn stdout_gone() -> ! {
    if let Some(p) = TEMP.get() {
        let _ = std::fs::remove_dir_all(p);
    }
    std::process::exit(0);
}

struct Args {
    db: Option<PathBuf>,
    now: DateTime<Utc>,
    tz: Tz,
    size: DemoSize,
    runs: u32,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        db: None,
        now: DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z")
            .context("default instant")?
            .with_timezone(&Utc),
        tz: chrono_tz::Europe::Stockholm,
        size: DemoSize::Large,
        runs: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--db" => args.db = Some(PathBuf::from(val()?)),
            "--now" => {
                let v = val()?;
                args.now = DateTime::parse_from_rfc3339(&v)
                    .with_context(|| format!("--now '{v}' is not an RFC 3339 instant"))?
                    .with_timezone(&Utc);
            }
            "--tz" => {
                args.tz = secretaire::domain::parse_tz(&val()?).map_err(anyhow::Error::msg)?
            }
            "--size" => {
                args.size = match val()?.as_str() {
                    "small" => DemoSize::Small,
                    "large" => DemoSize::Large,
                    v => bail!("--size '{v}': expected small or large"),
                }
            }
            "--runs" => {
                let v = val()?;
                args.runs = v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| format!("--runs '{v}' is not a positive number"))?;
            }
            "-h" | "--help" => {
                say!(
                    "secretaire-bench [--db PATH] [--now RFC3339] [--tz ZONE] [--size small|large] [--runs N]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument '{other}' (try --help)"),
        }
    }
    Ok(args)
}

/// A private folder under the system temp dir, removed on drop (tempfile is a dev-dependency).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> anyhow::Result<TempDir> {
        use std::os::unix::fs::DirBuilderExt;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let p =
            std::env::temp_dir().join(format!("secretaire-bench-{}-{nanos:x}", std::process::id()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&p)
            .with_context(|| format!("cannot create {}", p.display()))?;
        let _ = TEMP.set(p.clone());
        Ok(TempDir(p))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident set size (VmHWM) and current (VmRSS) from /proc/self/status.
fn rss() -> (String, String) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn file_size(p: &std::path::Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// Run `f` `runs` times (after one warm-up) and print min / median / max and the row count.
fn time<T>(
    label: &str,
    runs: u32,
    mut f: impl FnMut() -> secretaire::store::Result<T>,
    rows: impl Fn(&T) -> usize,
) -> anyhow::Result<()> {
    let first = Instant::now();
    let out = f().with_context(|| label.to_string())?;
    let cold = first.elapsed();
    let mut samples = Vec::with_capacity(runs as usize);
    for _ in 0..runs {
        let t = Instant::now();
        f().with_context(|| label.to_string())?;
        samples.push(t.elapsed());
    }
    samples.sort();
    let med = samples[samples.len() / 2];
    say!(
        "  {label:<48} {:>5} rows  first {:>11}  median {:>11}  max {:>11}",
        rows(&out),
        ms(cold),
        ms(med),
        ms(samples[samples.len() - 1])
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("secretaire-bench: {e:#}");
        std::process::exit(2);
    }
}

fn run() -> anyhow::Result<()> {
    let args = parse_args()?;
    let mut _tmp = None;
    let path = match &args.db {
        Some(p) => p.clone(),
        None => {
            let dir = TempDir::new()?;
            let p = dir.0.join("bench.db");
            _tmp = Some(dir);
            p
        }
    };
    say!("secretaire-bench");
    say!("  database: {}", path.display());
    say!("  now: {}  tz: {}", args.now.to_rfc3339(), args.tz);

    let opened = Instant::now();
    let store = Store::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    say!("  open (create/migrate): {}", ms(opened.elapsed()));
    let existing = store.count_events(&EventQuery::default())?;
    if existing > 0 {
        say!("  reusing {existing} events already in the database (no seeding)");
    } else {
        let t = Instant::now();
        let data = demo::generate(args.size, args.now, args.tz);
        let generated = t.elapsed();
        say!("\nseeding {:?}", args.size);
        say!("  generate (pure, in memory): {}", ms(generated));
        let t = Instant::now();
        let mut last = Instant::now();
        let stats = demo::insert_with(&store, &data, |kind, n| {
            let d = last.elapsed();
            say!(
                "  insert {kind:<9} {n:>7} rows  {:>12}  ({:.1} µs/row)",
                ms(d),
                d.as_secs_f64() * 1e6 / (n.max(1) as f64)
            );
            last = Instant::now();
        })?;
        let commit = last.elapsed();
        let inserted = t.elapsed();
        say!("  commit: {}", ms(commit));
        say!("  insert total (one transaction): {}", ms(inserted));
        say!(
            "  SEED TOTAL (generate + insert): {}",
            ms(generated + inserted)
        );
        say!(
            "  rows: {} events, {} contacts, {} invoices, {} tasks, {} trips, {} segments",
            stats.events,
            stats.contacts,
            stats.invoices,
            stats.tasks,
            stats.trips,
            stats.segments
        );
        drop(data);
    }
    let (hwm, _) = rss();
    say!("  peak RSS so far: {hwm}");

    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("bench.db")
    ));
    say!(
        "\ndatabase file: {:.1} MiB (+ WAL {:.1} MiB)",
        file_size(&path) as f64 / 1048576.0,
        file_size(&wal) as f64 / 1048576.0
    );

    let tz = args.tz;
    let today: NaiveDate = args.now.with_timezone(&tz).date_naive();
    let day_from = local_midnight(today, tz);
    let day_to = local_midnight(today + Duration::days(1), tz);
    let week_to = local_midnight(today + Duration::days(7), tz);
    let runs = args.runs;
    say!("\nqueries ({runs} runs each after a first, cold one)");
    time(
        "list_events: today (agenda / Today pane)",
        runs,
        || {
            store.list_events(&EventQuery {
                from: Some(day_from),
                to: Some(day_to),
                tz: Some(tz),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_events: this week",
        runs,
        || {
            store.list_events(&EventQuery {
                from: Some(day_from),
                to: Some(week_to),
                tz: Some(tz),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    // what the TUI does for `2 v v v`: the month's load, then the pane's update (series
    // expanded, conflicts marked)
    let config = secretaire::config::Config {
        timezone: tz,
        ..Default::default()
    };
    let mut app = secretaire::app::App::new(&config, args.now, vec![]);
    let clock = secretaire::clock::FixedClock::new(args.now);
    for a in [
        secretaire::app::Action::ShowPane(secretaire::app::Pane::Schedule),
        secretaire::app::Action::CycleView,
        secretaire::app::Action::CycleView,
        secretaire::app::Action::CycleView,
    ] {
        secretaire::app::update(&mut app, a);
    }
    time(
        "Schedule month view: whole month loaded + update",
        runs,
        || {
            let load = secretaire::app::schedule::load(&app);
            if let Some(a) = secretaire::tui::effects::run(&store, &clock, load) {
                secretaire::app::update(&mut app, a);
            }
            Ok(app.schedule.occs.len())
        },
        |n| *n,
    )?;
    time(
        "list_events: search 'lindqvist', 40 rows",
        runs,
        || {
            store.list_events(&EventQuery {
                search: Some("lindqvist".into()),
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "count_events: all",
        runs,
        || store.count_events(&EventQuery::default()),
        |_| 1,
    )?;
    time(
        "list_segments: this week",
        runs,
        || store.list_segments(day_from, week_to),
        Vec::len,
    )?;
    time(
        "list_trips: next 30 days",
        runs,
        || {
            store.list_trips(&TripQuery {
                from: Some(day_from),
                to: Some(day_from + Duration::days(30)),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_contacts: first page of 40",
        runs,
        || {
            store.list_contacts(&ContactQuery {
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_contacts: page of 40 at offset 10000",
        runs,
        || {
            store.list_contacts(&ContactQuery {
                limit: Some(40),
                offset: 10_000,
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_contacts: search 'berg', 40 rows",
        runs,
        || {
            store.list_contacts(&ContactQuery {
                search: Some("berg".into()),
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_contacts: tag press, 40 rows",
        runs,
        || {
            store.list_contacts(&ContactQuery {
                tag: Some("press".into()),
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "count_contacts: search 'berg'",
        runs,
        || {
            store.count_contacts(&ContactQuery {
                search: Some("berg".into()),
                ..Default::default()
            })
        },
        |_| 1,
    )?;
    time(
        "find_contacts_by_name 'anna', 10",
        runs,
        || store.find_contacts_by_name("anna", 10),
        Vec::len,
    )?;
    time(
        "list_invoices: overdue (open, due < today), 40",
        runs,
        || {
            store.list_invoices(&InvoiceQuery {
                open_only: true,
                due_to: Some(today - Duration::days(1)),
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_invoices: due within 7 days",
        runs,
        || {
            store.list_invoices(&InvoiceQuery {
                open_only: true,
                due_from: Some(today),
                due_to: Some(today + Duration::days(7)),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time("invoice_totals", runs, || store.invoice_totals(), Vec::len)?;
    time(
        "list_tasks: open by due, 40",
        runs,
        || {
            store.list_tasks(&TaskQuery {
                open_only: true,
                order: TaskOrder::Due,
                tz: Some(tz),
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "list_tasks: open by priority, 40",
        runs,
        || {
            store.list_tasks(&TaskQuery {
                open_only: true,
                order: TaskOrder::Priority,
                limit: Some(40),
                ..Default::default()
            })
        },
        Vec::len,
    )?;
    time(
        "count_tasks: open, due by today",
        runs,
        || {
            store.count_tasks(&TaskQuery {
                open_only: true,
                due_to: Some(today),
                tz: Some(tz),
                ..Default::default()
            })
        },
        |_| 1,
    )?;
    // exactly what `secretaire agenda` does for a day (and for the week): the store queries,
    // then the series expanded and everything merged into days
    for days in [1, 7] {
        let w = secretaire::domain::agenda::Window {
            from: today,
            days,
            tz,
            now: args.now,
        };
        time(
            &format!("agenda: {days} day(s), store + series expansion"),
            runs,
            || {
                let l = secretaire::cli::agenda_cmd::load(&store, &w)?;
                let n: usize = l.days(&w).iter().map(|d| d.items.len()).sum();
                Ok(n)
            },
            |n| *n,
        )?;
    }
    time(
        "search_all 'lindqvist', 10 per kind",
        runs,
        || store.search_all("lindqvist", 10),
        Vec::len,
    )?;
    time(
        "search_all 'sk 903', 10 per kind",
        runs,
        || store.search_all("sk 903", 10),
        Vec::len,
    )?;
    time(
        "search_all 'meeting' (common), 10 per kind",
        runs,
        || store.search_all("meeting", 10),
        Vec::len,
    )?;
    time(
        "search_all 'sk' (2 letters: no index), 10/kind",
        runs,
        || store.search_all("sk", 10),
        Vec::len,
    )?;

    let (hwm, now_rss) = rss();
    say!("\npeak RSS (VmHWM): {hwm}   current RSS: {now_rss}");
    Ok(())
}
