//! The store side of calendar files, shared by the CLI (`secretaire export/import ics`) and the
//! TUI: gather what to export, write the file privately, apply a parsed file in one
//! transaction (or a dry run). Text in and out stays in `export`/`parse`; this is the shell.
use crate::domain::event::local_midnight;
use crate::domain::{Event, Segment, Task, recurrence};
use crate::ics::{self, Change, ItemError, ParseReport, ParsedEvent};
use crate::store::{EventQuery, Store, TaskQuery, TripQuery, Tx};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

/// Rows read per query when paging through the store.
const PAGE: u32 = 500;

/// What `export ics` gathered from the store.
#[derive(Debug, Default)]
pub struct Gathered {
    pub events: Vec<Event>,
    pub segments: Vec<Segment>,
    pub tasks: Vec<Task>,
    /// Series the calcurse profile wrote out over the window only (see `profile::Cutoff`).
    pub cutoffs: Vec<ics::profile::Cutoff>,
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
) -> crate::store::Result<Gathered> {
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

/// The export options for a profile: the calcurse profile writes the series it cannot follow
/// one by one over the export window, an open (or absent) side taken as a year back or two
/// years ahead of `now`, for calcurse running in `tz`.
pub fn export_options(
    profile: ics::Profile,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> ics::ExportOptions {
    let back = now - chrono::Duration::days(366);
    let ahead = now + chrono::Duration::days(2 * 366);
    // `window` sides reach far (year 1 / 9000) when only one was given.
    let (from, to) = window.unwrap_or((back, ahead));
    let from = if from < now - chrono::Duration::days(50 * 366) {
        back
    } else {
        from
    };
    let to = if to > now + chrono::Duration::days(50 * 366) {
        ahead
    } else {
        to
    };
    ics::ExportOptions {
        profile,
        window: Some((from, to)),
        viewer: Some(tz),
        ..ics::ExportOptions::default()
    }
}

/// The calendar text for a window (None: everything), with what went in: (text, the records
/// gathered, the number of tasks written as VTODO).
pub fn export_text(
    store: &Store,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    tz: chrono_tz::Tz,
    travel: bool,
    tasks: bool,
    opts: &ics::ExportOptions,
    now: DateTime<Utc>,
) -> crate::store::Result<(String, Gathered, usize)> {
    let mut g = gather(store, window, tz, travel, tasks)?;
    let lookup = |id: i64| store.get_contact(id).ok();
    let mut opts = opts.clone();
    for s in &g.segments {
        opts.segment_revisions
            .insert(s.id, store.segment_revision(s.id)?);
    }
    for t in &g.tasks {
        opts.task_revisions.insert(t.id, store.task_revision(t.id)?);
    }
    let (text, cutoffs) =
        ics::export::export_noting(&g.events, &g.segments, &g.tasks, &lookup, &opts, now);
    g.cutoffs = cutoffs;
    let n_tasks = g
        .tasks
        .iter()
        .filter(|t| t.status != crate::domain::TaskStatus::Done && t.due.is_some())
        .count();
    Ok((text, g, n_tasks))
}

/// Write `bytes` to `path` as a private file (0600), through a temporary file renamed into
/// place so a failed export never leaves half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let res = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
        std::fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: Vec<ItemError>,
    /// Parts of imported or updated items that were left out (see `ParseReport::dropped`).
    pub dropped: Vec<ItemError>,
    /// Changed or cancelled occurrences deleted because the file holds a newer version of their
    /// series without them (the line and UID of that series in the file).
    pub removed: Vec<ItemError>,
}

/// Link attendees to local contacts: a link to a contact that does not exist here is dropped,
/// an attendee without one is linked by e-mail.
fn link_attendees(tx: &dyn Reads, e: &mut Event) -> crate::store::Result<()> {
    for a in &mut e.attendees {
        if let Some(id) = a.contact_id
            && !tx.contact_exists(id)?
        {
            a.contact_id = None;
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
    fn series_of(&self, uid: &str) -> crate::store::Result<Option<Event>>;
    fn overrides_of(&self, uid: &str) -> crate::store::Result<Vec<Event>>;
    /// The stored parts series `uid` was split into (see `ics::future::part_uid`), masters
    /// and overrides.
    fn parts_of(&self, uid: &str) -> crate::store::Result<Vec<Event>>;
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
            fn series_of(&self, uid: &str) -> crate::store::Result<Option<Event>> {
                self.find_event_by_uid(uid, None)
            }
            fn overrides_of(&self, uid: &str) -> crate::store::Result<Vec<Event>> {
                let mut v = self.list_series(uid)?;
                v.retain(|e| e.recurrence_id.is_some());
                Ok(v)
            }
            fn parts_of(&self, uid: &str) -> crate::store::Result<Vec<Event>> {
                self.list_uid_prefix(&format!("{uid}{}", ics::future::PART_MARK))
            }
        }
    };
}
reads_impl!(Store);
reads_impl!(Tx<'_>);

/// A version of an item: SEQUENCE, then LAST-MODIFIED (see `ics::decide`).
fn version(e: &Event) -> (u32, DateTime<Utc>) {
    (e.sequence, e.updated)
}

/// A series in the file in a newer version than the stored one (a higher SEQUENCE, or the same
/// and a later LAST-MODIFIED/DTSTAMP, as `ics::decide` compares them): for its UID the file is
/// authoritative (RFC 5546: a new version of a recurring event replaces the whole set), so the
/// stored changed occurrences it no longer has go.
struct NewerSeries<'a> {
    item: &'a ParsedEvent,
    /// The RECURRENCE-IDs of its overrides in the file.
    kept: Vec<chrono::NaiveDateTime>,
}

/// How the file's series compare with the stored ones: the newer versions (for which the file
/// is authoritative) and the UIDs of older ones, with the stored series.
struct SeriesVersions<'a> {
    newer: Vec<NewerSeries<'a>>,
    older: HashMap<String, Event>,
}

fn series_versions<'a>(
    r: &dyn Reads,
    report: &'a ParseReport,
) -> crate::store::Result<SeriesVersions<'a>> {
    let mut out = SeriesVersions {
        newer: Vec::new(),
        older: HashMap::new(),
    };
    for item in report
        .items
        .iter()
        .filter(|i| i.event.recurrence_id.is_none())
    {
        let Some(stored) = r.series_of(&item.event.uid)? else {
            continue;
        };
        if version(&item.event) < version(&stored) {
            out.older.insert(item.event.uid.clone(), stored);
            continue;
        }
        // The rule that decides whether the file's version is newer (`ics::decide`): a higher
        // SEQUENCE, or the same and a later LAST-MODIFIED (DTSTAMP without one). The same
        // version is not authoritative; occurrences changed here after the file's version
        // are newer than it and stay (see import_into).
        if version(&item.event) <= version(&stored) {
            continue;
        }
        let kept = report
            .items
            .iter()
            .filter(|o| o.event.uid == item.event.uid)
            .filter_map(|o| o.event.recurrence_id)
            .filter(|rid| crate::domain::recurrence::is_occurrence(&item.event, *rid))
            .collect();
        out.newer.push(NewerSeries { item, kept });
    }
    Ok(out)
}

/// Why an override of the file is not imported: it names no occurrence of its series (the
/// version that will be stored: the file's unless it is older), so no client could place it.
fn orphan_reason(
    r: &dyn Reads,
    report: &ParseReport,
    versions: &SeriesVersions<'_>,
    e: &Event,
) -> crate::store::Result<Option<String>> {
    let Some(rid) = e.recurrence_id else {
        return Ok(None);
    };
    let in_file = report
        .items
        .iter()
        .find(|m| m.event.uid == e.uid && m.event.recurrence_id.is_none())
        .map(|m| m.event.clone());
    let master = match (versions.older.get(&e.uid), in_file) {
        (Some(stored), _) => Some(stored.clone()),
        (None, Some(m)) => Some(m),
        (None, None) => r.series_of(&e.uid)?,
    };
    Ok(master
        .filter(|m| !crate::domain::recurrence::is_occurrence(m, rid))
        .map(|_| {
            format!(
                "RECURRENCE-ID {} names no occurrence of its series",
                rid.format("%Y-%m-%d %H:%M")
            )
        }))
}

/// The parts of a split series (a change to this and following occurrences, see
/// `ics::future`) that the file's version of the series no longer makes: the change was taken
/// back, or made from another occurrence. Left, they would show the meetings from there on
/// twice, so they go with their changed occurrences (`removed`), unless the file's series is
/// older than the stored one, or the part is newer than every item of the series in the file
/// (a stale file must not undo a newer split).
fn remove_stale_parts(
    r: &dyn Reads,
    tx: Option<&Tx<'_>>,
    report: &ParseReport,
    versions: &SeriesVersions<'_>,
    s: &mut ImportSummary,
) -> crate::store::Result<()> {
    for m in report
        .items
        .iter()
        .filter(|i| i.event.recurrence_id.is_none() && !versions.older.contains_key(&i.uid))
    {
        let stored = r.parts_of(&m.uid)?;
        if stored.is_empty() {
            continue;
        }
        let prefix = format!("{}{}", m.uid, ics::future::PART_MARK);
        let of_series = |u: &str| u == m.uid || u.starts_with(&prefix);
        let made: HashSet<&str> = report
            .items
            .iter()
            .flat_map(|i| [Some(i.uid.as_str()), i.calcurse_of.as_deref()])
            .flatten()
            .filter(|u| u.starts_with(&prefix))
            .collect();
        let Some(file_version) = report
            .items
            .iter()
            .filter(|i| of_series(&i.uid))
            .map(|i| version(&i.event))
            .max()
        else {
            continue;
        };
        for part in stored.iter().filter(|p| {
            p.recurrence_id.is_none()
                && !made.contains(p.uid.as_str())
                && version(p) <= file_version
        }) {
            if let Some(tx) = tx {
                for e in stored.iter().filter(|e| e.uid == part.uid) {
                    tx.delete_event(e.id)?;
                }
            }
            s.removed.push(ItemError {
                line: m.line,
                uid: m.uid.clone(),
                message: format!(
                    "the part of the series from {} on ({}, UID {}) is not in the file's version \
                     of the series (its change to this and following occurrences is not there)",
                    recurrence::local_start(part).format(if part.time.is_all_day() {
                        "%a %-d %b %Y"
                    } else {
                        "%a %-d %b %Y %H:%M"
                    }),
                    part.title,
                    part.uid
                ),
            });
        }
    }
    Ok(())
}

/// Apply a parsed file to the store in ONE transaction (or, `dry_run`, only read): by
/// (UID, RECURRENCE-ID), insert what is new, update what changed, leave the rest. The file's
/// per-item errors become `skipped`; an item the store refuses is skipped too. A series the
/// file holds in a newer version brings its overrides with it: stored ones the file no longer
/// has are deleted (`removed`), unless edited here after that version.
pub fn import_into(
    store: &Store,
    report: &ParseReport,
    now: DateTime<Utc>,
    dry_run: bool,
) -> crate::store::Result<ImportSummary> {
    let run = |r: &dyn Reads, tx: Option<&Tx<'_>>| -> crate::store::Result<ImportSummary> {
        let mut s = ImportSummary {
            skipped: report.errors.clone(),
            ..ImportSummary::default()
        };
        // Read before anything is written: the versions stored now, and the series held
        // before this import that items written for calcurse came from.
        let versions = series_versions(r, report)?;
        let mut held: HashSet<&str> = HashSet::new();
        for uid in report.items.iter().filter_map(|i| i.calcurse_of.as_deref()) {
            if !held.contains(uid) && r.series_of(uid)?.is_some() {
                held.insert(uid);
            }
        }
        for item in &report.items {
            if let Some(series) = item.calcurse_of.as_deref().filter(|u| held.contains(u)) {
                s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: format!(
                        "written for calcurse from series {series}, which is here already; \
                         import the standard export"
                    ),
                });
                continue;
            }
            // A part the file splits off a series (RANGE=THISANDFUTURE) whose stored version
            // is newer than the file's: not made again beside it.
            if let Some(stored) = report
                .splits
                .iter()
                .find(|x| x.new_uid.as_deref() == Some(item.uid.as_str()))
                .and_then(|x| versions.older.get(&x.uid))
            {
                s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: format!(
                        "older than the stored version of its series {} (SEQUENCE {} stored)",
                        stored.uid, stored.sequence
                    ),
                });
                continue;
            }
            let mut e = item.event.clone();
            // An override without its series in the file: name the occurrence in the frame of
            // the stored series.
            if let Some(at) = item.unplaced_recurrence
                && let Some(master) = r.series_of(&e.uid)?
            {
                e.recurrence_id = Some(ics::rid_for_series(at, &master.time));
            }
            if let Some(reason) = orphan_reason(r, report, &versions, &e)? {
                s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: reason,
                });
                continue;
            }
            link_attendees(r, &mut e)?;
            let mut existing = r.find(&e)?;
            // A series is compared as we export it: its cancelled occurrences as EXDATEs.
            let mut cancelled: Vec<Event> = Vec::new();
            if e.recurrence_id.is_none()
                && let Some(m) = existing.as_mut()
            {
                cancelled = r.overrides_of(&m.uid)?;
                cancelled.retain(|o| o.status == crate::domain::EventStatus::Cancelled);
                if !cancelled.is_empty() {
                    let exported = ics::export::with_cancellations(m, &cancelled);
                    m.exdates = exported.exdates;
                }
            }
            // A changed occurrence from an older version of a stored series, which the newer
            // one does not have (it was taken back): not brought back.
            if let (Some(stored), None, Some(_)) =
                (versions.older.get(&e.uid), &existing, e.recurrence_id)
            {
                s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: format!(
                        "older than the stored version of its series (SEQUENCE {} in the file, {} stored)",
                        report
                            .items
                            .iter()
                            .find(|m| m.event.uid == e.uid && m.event.recurrence_id.is_none())
                            .map_or(e.sequence, |m| m.event.sequence),
                        stored.sequence
                    ),
                });
                continue;
            }
            let change = ics::decide(existing.as_ref(), &e, now);
            let res = match (&change, tx) {
                (Change::Insert(ev), Some(tx)) => tx.insert_event(ev).map(|_| ()),
                (Change::Update(new), Some(tx)) => tx.update_event(new).and_then(|()| {
                    // A cancelled occurrence the new version excludes is that EXDATE now.
                    for o in cancelled
                        .iter()
                        .filter(|o| o.recurrence_id.is_some_and(|r| new.exdates.contains(&r)))
                    {
                        tx.delete_event(o.id)?;
                    }
                    Ok(())
                }),
                _ => Ok(()),
            };
            if let Some(reason) = change.older_reason(&e) {
                s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: reason,
                });
                continue;
            }
            match res {
                Ok(()) => {
                    match change {
                        Change::Insert(_) => s.imported += 1,
                        Change::Update(_) => s.updated += 1,
                        Change::Unchanged | Change::Older { .. } => s.unchanged += 1,
                    }
                    if !matches!(change, Change::Unchanged) {
                        s.dropped.extend(
                            report
                                .dropped
                                .iter()
                                .filter(|d| d.uid == item.uid && d.line >= item.line)
                                .filter(|d| {
                                    // up to the next item of the file
                                    report
                                        .items
                                        .iter()
                                        .filter(|o| o.line > item.line)
                                        .all(|o| d.line < o.line)
                                })
                                .cloned(),
                        );
                    }
                }
                Err(crate::store::StoreError::Invalid(v)) => s.skipped.push(ItemError {
                    line: item.line,
                    uid: item.uid.clone(),
                    message: v.to_string(),
                }),
                Err(other) => return Err(other),
            }
        }
        for n in &versions.newer {
            let series = &n.item.event;
            let mut recorded = false;
            for o in r.overrides_of(&series.uid)? {
                let Some(rid) = o.recurrence_id else { continue };
                if n.kept.contains(&rid) || version(&o) > version(series) {
                    continue;
                }
                if let Some(tx) = tx {
                    tx.delete_event(o.id)?;
                    // A series the file left as it was (newer by its stamp alone) takes the
                    // file's stamp, so the older file is recognised as older afterwards and
                    // cannot bring the occurrence back.
                    if !recorded
                        && let Some(mut m) = tx.series_of(&series.uid)?
                        && version(&m) < version(series)
                    {
                        m.updated = series.updated.min(now).max(m.updated);
                        tx.update_event(&m)?;
                    }
                    recorded = true;
                }
                s.removed.push(ItemError {
                    line: n.item.line,
                    uid: n.item.uid.clone(),
                    message: format!(
                        "the {} occurrence of {} ({}) is not in the file's newer version of the \
                         series (SEQUENCE {})",
                        if o.status == crate::domain::EventStatus::Cancelled {
                            "cancelled"
                        } else {
                            "changed"
                        },
                        rid.format("%a %-d %b %Y %H:%M"),
                        o.title,
                        series.sequence
                    ),
                });
            }
        }
        remove_stale_parts(r, tx, report, &versions, &mut s)?;
        s.skipped.sort_by_key(|e| e.line);
        s.dropped.sort_by_key(|e| e.line);
        s.dropped.dedup();
        Ok(s)
    };
    let s = if dry_run {
        run(store, None)?
    } else {
        store.write(|tx| run(tx, Some(tx)))?
    };
    Ok(s)
}
