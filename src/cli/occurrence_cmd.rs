//! `occurrence list|delete|edit`: exceptions to a repeating event (RFC 5545).
//!
//! - delete one occurrence: an EXDATE on the series (and its override, if any, goes);
//! - edit one occurrence: an override, a record with the series' UID and RECURRENCE-ID = the
//!   occurrence's original local start;
//! - edit with `--following`: the series is split; the old one ends just before the
//!   occurrence (UNTIL), a new series (new UID) starts there with the changes, keeping what is
//!   left of COUNT.
//!
//! The rules are `domain::schedule::{delete_occurrence, change_occurrence, change_following}`;
//! this module reads the flags, finds the occurrence `--at` names, and writes the result in ONE
//! transaction that also does the reads, so nothing can change in between. Any input error
//! rolls it back: the database is as it was.
use super::input::{self, Res, bad};
use super::json;
use super::records::{apply_event, event_when};
use super::text::{self, Table};
use super::{Ctx, UserError};
use crate::domain::event::{local_midnight, new_uid};
use crate::domain::recurrence::{self, Occurrence, event_zone, is_recurring, local_starts};
use crate::domain::schedule::{self, SeriesChange, SeriesError};
use crate::domain::when::{self, When, local_to_utc};
use crate::domain::{Event, EventStatus, EventTime};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum OccurrenceCmd {
    /// The occurrences of a repeating event in a period, by original start; moved, changed,
    /// deleted and cancelled ones are marked.
    List {
        /// The series' event id (an override's id works too).
        id: i64,
        /// First day (default today).
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        from: Option<String>,
        /// Last day, inclusive (default a year after --from).
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        to: Option<String>,
        /// At most this many rows (at least 1).
        #[arg(long, default_value_t = 100, value_parser = super::args::at_least_one)]
        limit: u32,
    },
    /// Delete one occurrence (the series gets an EXDATE); the rest of the series stays.
    Delete {
        /// The series' event id (an override's id works too).
        id: i64,
        /// The occurrence: its date, or date and time, in the event's zone ("mon",
        /// "2026-12-14", "2026-12-14 09:00").
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        at: String,
    },
    /// Bring one occurrence back as the series has it: undoes a delete (EXDATE), a cancel or
    /// a change (the override goes).
    Restore {
        /// The series' event id (an override's id works too).
        id: i64,
        /// The occurrence: its original date, or date and time, in the event's zone (a changed
        /// one is also found by its new time).
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        at: String,
    },
    /// Change one occurrence (an override), or with --following this one and every later one
    /// (the series is split in two).
    Edit {
        /// The series' event id (an override's id works too).
        id: i64,
        /// The occurrence: its date, or date and time, in the event's zone.
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        at: String,
        /// Change this and all following occurrences: the series ends before this one and a
        /// new series starts here with the changes.
        #[arg(long)]
        following: bool,
        #[command(flatten)]
        f: Box<OccurrenceFields>,
    },
}

/// What an occurrence edit may change.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OccurrenceFields {
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub title: Option<String>,
    /// New start: "2026-12-15 13:00", "wed 13:00", a bare time ("13:00") on the occurrence's
    /// own day, or a date alone (the same time on that day). The length is kept unless --end
    /// or --duration is given.
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub start: Option<String>,
    /// New end: a date/time, or a bare time on the start's day.
    #[arg(long, conflicts_with = "duration", allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub end: Option<String>,
    /// New length: 30m, 1h, 1h30m.
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub duration: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub location: Option<String>,
    /// tentative|confirmed|cancelled (cancelled hides this occurrence but keeps a record).
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub status: Option<String>,
    /// meeting|appointment|call|deadline|private|other.
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub category: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub notes: Option<String>,
    /// Reminder minutes before ("none" removes it).
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub reminder: Option<String>,
    /// With --following only: a new rule for the new series (e.g. FREQ=WEEKLY;BYDAY=TU).
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub rrule: Option<String>,
}

impl OccurrenceFields {
    fn is_empty(&self) -> bool {
        let OccurrenceFields {
            title,
            start,
            end,
            duration,
            location,
            status,
            category,
            notes,
            reminder,
            rrule,
        } = self;
        [
            title, start, end, duration, location, status, category, notes, reminder, rrule,
        ]
        .iter()
        .all(|x| x.is_none())
    }
}

pub fn run(ctx: &Ctx, cmd: &OccurrenceCmd, out: &mut dyn Write) -> Res<()> {
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    match cmd {
        OccurrenceCmd::List {
            id,
            from,
            to,
            limit,
        } => list(ctx, *id, from.as_deref(), to.as_deref(), *limit, out),
        OccurrenceCmd::Delete { id, at } => delete(ctx, *id, at, out),
        OccurrenceCmd::Restore { id, at } => restore(ctx, *id, at, out),
        OccurrenceCmd::Edit {
            id,
            at,
            following,
            f,
        } => edit(ctx, *id, at, *following, f, out),
    }
}

// ---------------------------------------------------------------------------------------
// one transaction, with user errors rolling it back

enum Step {
    User(anyhow::Error),
    Store(StoreError),
}

impl From<StoreError> for Step {
    fn from(e: StoreError) -> Step {
        Step::Store(e)
    }
}

fn user(e: anyhow::Error) -> Step {
    Step::User(e)
}

/// Run `f` in one write transaction; a user error (or any error) rolls it back.
fn in_tx<T>(ctx: &Ctx, f: impl FnOnce(&Tx<'_>) -> Result<T, Step>) -> Res<T> {
    let mut failed: Option<anyhow::Error> = None;
    let r = ctx.store.write(|tx| match f(tx) {
        Ok(v) => Ok(v),
        Err(Step::Store(e)) => Err(e),
        Err(Step::User(e)) => {
            failed = Some(e);
            Err(StoreError::Corrupt("rolled back".into()))
        }
    });
    match (r, failed) {
        (_, Some(e)) => Err(e),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(e.into()),
    }
}

fn series_error(e: SeriesError) -> Step {
    Step::User(UserError::new(match e {
        SeriesError::NotRecurring(id) => format!("event {id} is not a repeating event"),
        SeriesError::NoSuchOccurrence(n) => {
            format!(
                "--at: the series has no occurrence at {}",
                n.format("%Y-%m-%d %H:%M")
            )
        }
        SeriesError::Rule(m) => format!("--rrule: {m}"),
        SeriesError::Overlap(m) => format!("--start: {m}"),
    }))
}

// ---------------------------------------------------------------------------------------
// finding the series and the occurrence

/// The series `id` belongs to: its master and the overrides (same UID).
struct Series {
    master: Event,
    overrides: Vec<Event>,
}

fn load_series(
    id: i64,
    get: impl Fn(i64) -> crate::store::Result<Event>,
    list: impl Fn(&str) -> crate::store::Result<Vec<Event>>,
) -> Result<Series, Step> {
    let e = get(id)?;
    let all = list(&e.uid)?;
    let master = if e.recurrence_id.is_some() {
        all.iter()
            .find(|m| m.recurrence_id.is_none() && is_recurring(m))
            .cloned()
            .ok_or_else(|| {
                user(UserError::new(format!(
                    "event {id} is a changed occurrence whose series is gone; edit it with `edit event {id}`"
                )))
            })?
    } else if is_recurring(&e) {
        e
    } else {
        return Err(user(UserError::new(format!(
            "event {id} '{}' does not repeat; use `edit event {id}` or `delete event {id}`",
            text::line(&e.title)
        ))));
    };
    let overrides = all
        .into_iter()
        .filter(|o| o.id != master.id && o.recurrence_id.is_some())
        .collect();
    Ok(Series { master, overrides })
}

fn same_rid(a: NaiveDateTime, b: NaiveDateTime, all_day: bool) -> bool {
    if all_day {
        a.date() == b.date()
    } else {
        a == b
    }
}

/// The local start of an event in the series' zone (all-day: midnight of its first day).
fn local_of(e: &Event, tz: Tz) -> NaiveDateTime {
    match &e.time {
        EventTime::Timed { start, .. } => start.with_timezone(&tz).naive_local(),
        EventTime::AllDay { start, .. } => start.and_time(NaiveTime::MIN),
    }
}

fn fmt_local(n: NaiveDateTime, all_day: bool) -> String {
    if all_day {
        text::day(n.date())
    } else {
        format!("{} {}", text::day(n.date()), n.format("%H:%M"))
    }
}

/// The RECURRENCE-ID `--at` names. A date alone is enough when the series has one occurrence
/// that day; an occurrence moved by an override is found by its new time too.
fn resolve_at(ctx: &Ctx, s: &Series, at: &str) -> Result<NaiveDateTime, Step> {
    let m = &s.master;
    let all_day = m.time.is_all_day();
    let tz = if all_day { ctx.tz } else { event_zone(m) };
    let (day, time) = input::occurrence_at("at", at, ctx.now(), tz).map_err(user)?;
    let time = if all_day { None } else { time };
    // (RECURRENCE-ID, where it is now)
    let mut cands: Vec<(NaiveDateTime, NaiveDateTime)> = local_starts(m, day, day)
        .into_iter()
        .map(|r| {
            let now_at = s
                .overrides
                .iter()
                .find(|o| o.recurrence_id.is_some_and(|x| same_rid(x, r, all_day)))
                .map_or(r, |o| local_of(o, tz));
            (r, now_at)
        })
        .collect();
    for o in &s.overrides {
        let Some(rid) = o.recurrence_id else { continue };
        let cur = local_of(o, tz);
        if cur.date() == day && !cands.iter().any(|(r, _)| same_rid(*r, rid, all_day)) {
            cands.push((rid, cur));
        }
    }
    cands.sort();
    let title = text::line(&m.title);
    let zone = if all_day {
        String::new()
    } else {
        format!(" ({})", tz.name())
    };
    if let Some(n) = time {
        if let Some((r, _)) = cands.iter().find(|(r, cur)| *r == n || *cur == n) {
            return Ok(*r);
        }
        if m.exdates.contains(&n) {
            return Err(user(bad(
                "at",
                format!(
                    "the occurrence of event {} '{title}' at {}{zone} is already deleted (bring it back with `secretaire occurrence restore {} --at \"{}\"`)",
                    m.id,
                    fmt_local(n, false),
                    m.id,
                    n.format("%Y-%m-%d %H:%M")
                ),
            )));
        }
        let that_day = if cands.is_empty() {
            format!("none on {}", text::day(day))
        } else {
            format!(
                "that day: {}",
                cands
                    .iter()
                    .map(|(_, c)| c.format("%H:%M").to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(user(bad(
            "at",
            format!(
                "event {} '{title}' has no occurrence at {}{zone}; {that_day}",
                m.id,
                fmt_local(n, false)
            ),
        )));
    }
    match cands.as_slice() {
        [(r, _)] => Ok(*r),
        [] if m.exdates.iter().any(|x| x.date() == day) => Err(user(bad(
            "at",
            format!(
                "the occurrence of event {} '{title}' on {} is deleted (bring it back with `secretaire occurrence restore {} --at {day}`)",
                m.id,
                text::day(day),
                m.id
            ),
        ))),
        [] => {
            let near = nearest(m, day);
            Err(user(bad(
                "at",
                format!(
                    "event {} '{title}' has no occurrence on {}{zone}{near}",
                    m.id,
                    text::day(day)
                ),
            )))
        }
        many => Err(user(bad(
            "at",
            format!(
                "event {} '{title}' has {} occurrences on {}{zone}: {}; give the time too (--at \"{} {}\")",
                m.id,
                many.len(),
                text::day(day),
                many.iter()
                    .map(|(_, c)| c.format("%H:%M").to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                day,
                many[0].1.format("%H:%M")
            ),
        ))),
    }
}

/// "; nearest: Mon 14 Dec 2026 09:00, Mon 21 Dec 2026 09:00" (within two months either side).
fn nearest(m: &Event, day: NaiveDate) -> String {
    let all_day = m.time.is_all_day();
    let before = local_starts(m, day - Duration::days(62), day)
        .into_iter()
        .rfind(|n| n.date() < day);
    let after = local_starts(m, day, day + Duration::days(62))
        .into_iter()
        .find(|n| n.date() > day);
    let v: Vec<String> = [before, after]
        .into_iter()
        .flatten()
        .map(|n| fmt_local(n, all_day))
        .collect();
    if v.is_empty() {
        format!("; see `secretaire occurrence list {}`", m.id)
    } else {
        format!("; nearest: {}", v.join(", "))
    }
}

/// The occurrence `rid` of `master` as generated (before any override).
fn occurrence_at(master: &Event, rid: NaiveDateTime, display: Tz) -> Occurrence {
    match &master.time {
        EventTime::Timed { start, end, tz } => {
            let s = local_to_utc(rid, *tz);
            Occurrence {
                event_id: master.id,
                start: s,
                end: s + (*end - *start),
                all_day: false,
                recurrence_id: Some(rid),
            }
        }
        EventTime::AllDay { start, end } => {
            let d = rid.date();
            let span = (*end - *start).num_days().max(0) + 1;
            Occurrence {
                event_id: master.id,
                start: local_midnight(d, display),
                end: local_midnight(d + Duration::days(span), display),
                all_day: true,
                recurrence_id: Some(rid.date().and_time(NaiveTime::MIN)),
            }
        }
    }
}

/// Write a series change: updates, then inserts, then deletes. Returns the inserted ids.
fn apply(tx: &Tx<'_>, change: &SeriesChange, now: DateTime<Utc>) -> Result<Vec<i64>, Step> {
    // a whole series moved ("this and following" from its first occurrence) keeps clear of
    // the other part of a split
    tx.keep_changed_split_parts_apart(change, now)?;
    for e in &change.update {
        tx.update_event(e)?;
    }
    let mut ids = Vec::new();
    for e in &change.insert {
        ids.push(tx.insert_event(e)?);
    }
    for id in &change.delete {
        tx.delete_event(*id)?;
    }
    // a new series (this and following): its reminders answered as the old one's
    tx.carry_series_answers(change)?;
    Ok(ids)
}

fn naive_json(n: NaiveDateTime) -> Value {
    Value::String(n.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn print(out: &mut dyn Write, v: &Value) -> Res<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// list

struct Row {
    rid: NaiveDateTime,
    /// Where it is now; None when deleted.
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    all_day: bool,
    state: &'static str,
    override_id: Option<i64>,
    title: String,
}

fn list(
    ctx: &Ctx,
    id: i64,
    from: Option<&str>,
    to: Option<&str>,
    limit: u32,
    out: &mut dyn Write,
) -> Res<()> {
    let (now, tz) = (ctx.now(), ctx.tz);
    let from = match from {
        Some(d) => input::date("from", d, now, tz, input::Direction::Nearest)?,
        None => ctx.today(),
    };
    let to = match to {
        Some(d) => input::range_day("to", d, Some(from), now, tz)?,
        None => from + Duration::days(365),
    };
    let s = match load_series(id, |i| ctx.store.get_event(i), |u| ctx.store.list_series(u)) {
        Ok(s) => s,
        Err(Step::User(e)) => return Err(e),
        Err(Step::Store(e)) => return Err(e.into()),
    };
    let m = &s.master;
    let all_day = m.time.is_all_day();
    let ez = event_zone(m);
    let (start, end) = (
        local_midnight(from, tz),
        local_midnight(to + Duration::days(1), tz),
    );
    let original = |rid: NaiveDateTime| occurrence_at(m, rid, tz);
    let in_window = |o: &Occurrence| o.start < end && o.end > start;
    let mut rows: Vec<Row> = Vec::new();
    for o in recurrence::expand_series(m, &s.overrides, start, end, tz) {
        let Some(rid) = o.recurrence_id else { continue };
        let ov = s.overrides.iter().find(|x| x.id == o.event_id);
        let state = match ov {
            None => "",
            Some(_) if original(rid).start != o.start || original(rid).end != o.end => "moved",
            Some(_) => "changed",
        };
        rows.push(Row {
            rid,
            span: Some((o.start, o.end)),
            all_day: o.all_day,
            state,
            override_id: ov.map(|x| x.id),
            title: ov.unwrap_or(m).title.clone(),
        });
    }
    for x in &m.exdates {
        if in_window(&original(*x)) {
            rows.push(Row {
                rid: *x,
                span: None,
                all_day,
                state: "deleted",
                override_id: None,
                title: m.title.clone(),
            });
        }
    }
    for o in s
        .overrides
        .iter()
        .filter(|o| o.status == EventStatus::Cancelled)
    {
        let Some(rid) = o.recurrence_id else { continue };
        if in_window(&original(rid)) {
            rows.push(Row {
                rid,
                span: None,
                all_day,
                state: "cancelled",
                override_id: Some(o.id),
                title: o.title.clone(),
            });
        }
    }
    rows.sort_by(|a, b| {
        let ka = a.span.map_or(original(a.rid).start, |s| s.0);
        let kb = b.span.map_or(original(b.rid).start, |s| s.0);
        (ka, a.rid).cmp(&(kb, b.rid))
    });
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    if ctx.json {
        let occ: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "recurrence_id": naive_json(r.rid),
                    "state": if r.state.is_empty() { "scheduled" } else { r.state },
                    // All-day: dates, the end the last day (inclusive), as events give them.
                    "start": r.span.map_or(Value::Null, |s| json::span(s.0, s.1, r.all_day, tz).0),
                    "end": r.span.map_or(Value::Null, |s| json::span(s.0, s.1, r.all_day, tz).1),
                    "all_day": r.all_day,
                    "override_id": r.override_id,
                    "title": r.title,
                })
            })
            .collect();
        return print(
            out,
            &json!({
                "series": json::event(m),
                "from": from.to_string(),
                "to": to.to_string(),
                "occurrences": occ,
                "more": more,
            }),
        );
    }
    writeln!(
        out,
        "event {} '{}' · {}{}",
        m.id,
        text::line(&m.title),
        text::repeats(m),
        if all_day {
            String::new()
        } else {
            format!(" · {}", ez.name())
        }
    )?;
    if rows.is_empty() {
        writeln!(out, "no occurrences from {from} to {to}")?;
        return Ok(());
    }
    let mut t = Table::new(&["ORIGINAL", "NOW", "STATE", "TITLE", "OVERRIDE"]);
    for r in &rows {
        let now_at = match r.span {
            None => "—".to_string(),
            Some(_) if r.all_day && r.state.is_empty() => "all day".to_string(),
            Some((a, _)) if r.all_day => {
                format!("{} (all day)", text::day(a.with_timezone(&tz).date_naive()))
            }
            Some((a, b)) => {
                let same_day = a.with_timezone(&tz).date_naive() == r.rid.date();
                if same_day && r.state.is_empty() {
                    format!("{}–{}", text::hm(a, tz), text::hm(b, tz))
                } else {
                    format!(
                        "{} {}–{}",
                        text::day(a.with_timezone(&tz).date_naive()),
                        text::hm(a, tz),
                        text::hm(b, tz)
                    )
                }
            }
        };
        t.row(vec![
            fmt_local(r.rid, all_day),
            now_at,
            r.state.to_string(),
            r.title.clone(),
            r.override_id.map(|i| i.to_string()).unwrap_or_default(),
        ]);
    }
    out.write_all(t.render().as_bytes())?;
    if more {
        writeln!(out, "(first {limit}; more with --limit or a later --from)")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// delete

fn delete(ctx: &Ctx, id: i64, at: &str, out: &mut dyn Write) -> Res<()> {
    let now = ctx.now();
    let (master, rid, removed) = in_tx(ctx, |tx| {
        let s = load_series(id, |i| tx.get_event(i), |u| tx.list_series(u))?;
        let rid = resolve_at(ctx, &s, at)?;
        let change =
            schedule::delete_occurrence(&s.master, &s.overrides, rid, now).map_err(series_error)?;
        apply(tx, &change, now)?;
        Ok((s.master.id, rid, change.delete.clone()))
    })?;
    let m = ctx.store.get_event(master)?;
    let all_day = m.time.is_all_day();
    let empty = !has_occurrences(ctx, &m)?;
    if ctx.json {
        return print(
            out,
            &json!({
                "action": "deleted",
                "event_id": m.id,
                "recurrence_id": naive_json(rid),
                "removed_overrides": removed,
                "series": json::event(&m),
                "series_empty": empty,
            }),
        );
    }
    let mut line = format!(
        "deleted the occurrence {}{} of event {} '{}' (EXDATE; series sequence {})",
        fmt_local(rid, all_day),
        if all_day {
            String::new()
        } else {
            format!(" {}", event_zone(&m).name())
        },
        m.id,
        text::line(&m.title),
        m.sequence
    );
    for r in &removed {
        line.push_str(&format!("; its changed copy, event {r}, removed"));
    }
    writeln!(out, "{line}")?;
    if empty {
        writeln!(
            out,
            "the series has no occurrences left; `secretaire delete event {}` removes it",
            m.id
        )?;
    }
    Ok(())
}

/// Whether a series still shows anywhere: an open-ended rule always does; a bounded one (COUNT
/// or UNTIL, so expansion is bounded too) is expanded, with its overrides.
fn has_occurrences(ctx: &Ctx, m: &Event) -> Res<bool> {
    let bounded = m
        .rrule
        .as_deref()
        .and_then(|r| recurrence::parse_rrule(r).ok())
        .is_some_and(|r| r.count.is_some() || r.until.is_some());
    if !bounded {
        return Ok(true);
    }
    let overrides: Vec<Event> = ctx
        .store
        .list_series(&m.uid)?
        .into_iter()
        .filter(|o| o.recurrence_id.is_some())
        .collect();
    let from = m.time.start_in(ctx.tz) - Duration::days(1);
    let far = local_midnight(
        NaiveDate::from_ymd_opt(9000, 1, 1).unwrap_or_default(),
        chrono_tz::UTC,
    );
    Ok(!recurrence::expand_series(m, &overrides, from, far, ctx.tz).is_empty())
}

// ---------------------------------------------------------------------------------------
// restore

/// Undo the exceptions of occurrence `rid`: its EXDATE is removed and its override (changed,
/// moved or cancelled) deleted, so the series' rule places it again. The series' SEQUENCE goes
/// up. None when there is nothing to undo.
pub fn restore_occurrence(
    master: &Event,
    overrides: &[Event],
    rid: NaiveDateTime,
    now: DateTime<Utc>,
) -> Option<SeriesChange> {
    let all_day = master.time.is_all_day();
    let mut m = master.clone();
    m.exdates.retain(|x| !same_rid(*x, rid, all_day));
    let delete: Vec<i64> = overrides
        .iter()
        .filter(|o| {
            o.uid == master.uid && o.recurrence_id.is_some_and(|r| same_rid(r, rid, all_day))
        })
        .map(|o| o.id)
        .collect();
    if m.exdates.len() == master.exdates.len() && delete.is_empty() {
        return None;
    }
    m.touch(now);
    Some(SeriesChange {
        update: vec![m],
        insert: vec![],
        delete,
    })
}

/// The exception `--at` names for restore: a deleted occurrence (by its original start) or an
/// overridden one (by its original or its new start).
fn resolve_exception(ctx: &Ctx, s: &Series, at: &str) -> Result<NaiveDateTime, Step> {
    let m = &s.master;
    let all_day = m.time.is_all_day();
    let tz = if all_day { ctx.tz } else { event_zone(m) };
    let (day, time) = input::occurrence_at("at", at, ctx.now(), tz).map_err(user)?;
    let time = if all_day { None } else { time };
    let mut cands: Vec<(NaiveDateTime, NaiveDateTime)> = m
        .exdates
        .iter()
        .filter(|x| x.date() == day)
        .map(|x| (*x, *x))
        .collect();
    for o in &s.overrides {
        let Some(rid) = o.recurrence_id else { continue };
        let cur = local_of(o, tz);
        if (rid.date() == day || cur.date() == day) && !cands.iter().any(|(r, _)| *r == rid) {
            cands.push((rid, cur));
        }
    }
    cands.sort();
    let hit = match time {
        Some(n) => cands
            .iter()
            .filter(|(r, c)| *r == n || *c == n)
            .map(|(r, _)| *r)
            .next(),
        None if cands.len() == 1 => Some(cands[0].0),
        None => None,
    };
    if let Some(r) = hit {
        return Ok(r);
    }
    let what = if cands.is_empty() {
        format!(
            "event {} '{}' has no deleted, cancelled or changed occurrence on {}",
            m.id,
            text::line(&m.title),
            text::day(day)
        )
    } else {
        format!(
            "event {} '{}' has {} on {}: {}; give the time too",
            m.id,
            text::line(&m.title),
            if cands.len() == 1 {
                "one exception"
            } else {
                "several exceptions"
            },
            text::day(day),
            cands
                .iter()
                .map(|(r, _)| r.format("%H:%M").to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(user(bad(
        "at",
        format!("{what} (see `secretaire occurrence list {}`)", m.id),
    )))
}

fn restore(ctx: &Ctx, id: i64, at: &str, out: &mut dyn Write) -> Res<()> {
    let now = ctx.now();
    let (master, rid, removed) = in_tx(ctx, |tx| {
        let s = load_series(id, |i| tx.get_event(i), |u| tx.list_series(u))?;
        let rid = resolve_exception(ctx, &s, at)?;
        let change = restore_occurrence(&s.master, &s.overrides, rid, now).ok_or_else(|| {
            user(bad(
                "at",
                "that occurrence is as the series has it; nothing to restore",
            ))
        })?;
        apply(tx, &change, now)?;
        Ok((s.master.id, rid, change.delete.clone()))
    })?;
    let m = ctx.store.get_event(master)?;
    if ctx.json {
        return print(
            out,
            &json!({
                "action": "restored",
                "event_id": m.id,
                "recurrence_id": naive_json(rid),
                "removed_overrides": removed,
                "series": json::event(&m),
            }),
        );
    }
    let mut line = format!(
        "restored the occurrence {} of event {} '{}' as the series has it (series sequence {})",
        fmt_local(rid, m.time.is_all_day()),
        m.id,
        text::line(&m.title),
        m.sequence
    );
    for r in &removed {
        line.push_str(&format!("; its changed copy, event {r}, removed"));
    }
    writeln!(out, "{line}")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// edit

/// "13:00" alone means that time on `day` (the occurrence's day), not today.
fn on_day(text: &str, day: NaiveDate) -> String {
    let t = text.trim();
    let bare = !t.contains(char::is_whitespace)
        && !t.contains('-')
        && when::parse_time(t).is_ok()
        && (when::is_time_word(t) || t.ends_with('h'));
    if bare {
        format!("{day} {t}")
    } else {
        t.to_string()
    }
}

enum Edited {
    One {
        master: i64,
        rid: NaiveDateTime,
        override_id: i64,
        created: bool,
    },
    Split {
        master: i64,
        rid: NaiveDateTime,
        new_id: Option<i64>,
        moved: Vec<i64>,
        deleted: Vec<i64>,
    },
}

fn edit(
    ctx: &Ctx,
    id: i64,
    at: &str,
    following: bool,
    f: &OccurrenceFields,
    out: &mut dyn Write,
) -> Res<()> {
    if f.is_empty() {
        return Err(UserError::new(
            "nothing to change: give --start, --end, --duration, --title, --location, --status, --category, --notes or --reminder",
        ));
    }
    if f.rrule.is_some() && !following {
        return Err(bad(
            "rrule",
            "changes the rule of this and following occurrences: add --following",
        ));
    }
    let now = ctx.now();
    let done = in_tx(ctx, |tx| {
        let s = load_series(id, |i| tx.get_event(i), |u| tx.list_series(u))?;
        let m = &s.master;
        let all_day = m.time.is_all_day();
        let rid = resolve_at(ctx, &s, at)?;
        let existing = s
            .overrides
            .iter()
            .find(|o| o.recurrence_id.is_some_and(|r| same_rid(r, rid, all_day)));
        let mut base = match existing {
            Some(o) if !following => o.clone(),
            _ => schedule::occurrence_event(m, &occurrence_at(m, rid, ctx.tz)),
        };
        let base_local = local_of(&base, event_zone(&base));
        let day = base_local.date();
        // a date alone moves a timed occurrence to that day at its own time
        let start = match f.start.as_deref() {
            Some(t) if !base.time.is_all_day() => {
                match input::parse_when(
                    "start",
                    t,
                    now,
                    event_zone(&base),
                    input::Direction::Future,
                )
                .map_err(user)?
                {
                    When::Date(d) => Some(format!("{d} {}", base_local.format("%H:%M"))),
                    _ => Some(on_day(t, day)),
                }
            }
            other => other.map(|t| on_day(t, day)),
        };
        let fields = super::args::EventFields {
            title: f.title.clone(),
            start,
            end: f.end.as_deref().map(|t| on_day(t, day)),
            duration: f.duration.clone(),
            location: f.location.clone(),
            notes: f.notes.clone(),
            category: f.category.clone(),
            status: f.status.clone(),
            reminder: f.reminder.clone(),
            ..Default::default()
        };
        apply_event(ctx, &mut base, &fields, false).map_err(user)?;
        if let Some(r) = &f.rrule {
            let r = r.trim().trim_start_matches("RRULE:");
            base.rrule = Some(recurrence::canonical(r).map_err(|msg| user(bad("rrule", msg)))?);
        }
        base.validate()
            .map_err(|e| user(UserError::new(format!("--{}: {}", e.field, e.message))))?;
        if following {
            // the new series' first occurrence must be one its rule generates, else clients
            // disagree on what it means (RFC 5545 leaves it undefined)
            let mut probe = base.clone();
            if probe.rrule.is_none() {
                probe.rrule = m.rrule.clone();
            }
            if !recurrence::is_synchronized(&probe) {
                let first = local_of(&probe, event_zone(&probe));
                return Err(user(bad(
                    if f.rrule.is_some() { "rrule" } else { "start" },
                    format!(
                        "{} is not an occurrence of the rule {}; give a rule that includes it (--rrule ...)",
                        fmt_local(first, all_day),
                        probe.rrule.as_deref().unwrap_or_default()
                    ),
                )));
            }
            // the series split from this one too: moved whole, it ends before them
            let mut rows = s.overrides.clone();
            rows.extend(tx.split_parts(&m.uid)?);
            let change = schedule::change_following(m, &rows, rid, &base, &new_uid(now), now)
                .map_err(series_error)?;
            let ids = apply(tx, &change, now)?;
            let moved = change
                .update
                .iter()
                .filter(|e| e.id != m.id)
                .map(|e| e.id)
                .collect();
            Ok(Edited::Split {
                master: m.id,
                rid,
                new_id: ids.first().copied(),
                moved,
                deleted: change.delete.clone(),
            })
        } else {
            let change = schedule::change_occurrence(m, &s.overrides, rid, &base, now)
                .map_err(series_error)?;
            let ids = apply(tx, &change, now)?;
            let (override_id, created) = match ids.first() {
                Some(i) => (*i, true),
                None => (change.update.first().map_or(0, |e| e.id), false),
            };
            Ok(Edited::One {
                master: m.id,
                rid,
                override_id,
                created,
            })
        }
    })?;
    match done {
        Edited::One {
            master,
            rid,
            override_id,
            created,
        } => {
            let m = ctx.store.get_event(master)?;
            let o = ctx.store.get_event(override_id)?;
            if ctx.json {
                return print(
                    out,
                    &json!({
                        "action": "changed",
                        "event_id": m.id,
                        "recurrence_id": naive_json(rid),
                        "created": created,
                        "override": json::event(&o),
                    }),
                );
            }
            let cancelled = if o.status == EventStatus::Cancelled {
                " (cancelled)"
            } else {
                ""
            };
            writeln!(
                out,
                "changed the occurrence {} of event {} '{}': now {}{cancelled} · '{}' (override event {}, sequence {})",
                fmt_local(rid, m.time.is_all_day()),
                m.id,
                text::line(&m.title),
                event_when(&o),
                text::line(&o.title),
                o.id,
                o.sequence
            )?;
        }
        Edited::Split {
            master,
            rid,
            new_id,
            moved,
            deleted,
        } => {
            let m = ctx.store.get_event(master)?;
            let n = new_id.map(|i| ctx.store.get_event(i)).transpose()?;
            if ctx.json {
                return print(
                    out,
                    &json!({
                        "action": if n.is_some() { "split" } else { "changed_series" },
                        "event_id": m.id,
                        "recurrence_id": naive_json(rid),
                        "series": json::event(&m),
                        "new_series": n.as_ref().map_or(Value::Null, json::event),
                        "moved_overrides": moved,
                        "deleted_overrides": deleted,
                    }),
                );
            }
            let all_day = m.time.is_all_day();
            match n {
                Some(n) => {
                    writeln!(
                        out,
                        "split event {} '{}' at {}: it now ends before ({}); new event {} '{}' from {} ({})",
                        m.id,
                        text::line(&m.title),
                        fmt_local(rid, all_day),
                        m.rrule.as_deref().unwrap_or_default(),
                        n.id,
                        text::line(&n.title),
                        event_when(&n),
                        n.rrule.as_deref().unwrap_or_default()
                    )?;
                    if !moved.is_empty() {
                        writeln!(
                            out,
                            "changed occurrences moved to the new series: {}",
                            join_ids(&moved)
                        )?;
                    }
                    if !deleted.is_empty() {
                        writeln!(
                            out,
                            "changed occurrences dropped (the rule changed): {}",
                            join_ids(&deleted)
                        )?;
                    }
                }
                None => writeln!(
                    out,
                    "{} is the first occurrence: changed the whole series, event {} '{}' from {} ({})",
                    fmt_local(rid, all_day),
                    m.id,
                    text::line(&m.title),
                    event_when(&m),
                    m.rrule.as_deref().unwrap_or_default()
                )?,
            }
        }
    }
    Ok(())
}

fn join_ids(v: &[i64]) -> String {
    v.iter()
        .map(|i| format!("event {i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    fn local(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn series() -> (Event, Vec<Event>) {
        let mut m = Event::new(
            "Staff",
            EventTime::Timed {
                start: at(7, 8),
                end: at(7, 9),
                tz: chrono_tz::Europe::Stockholm,
            },
            at(1, 0),
        );
        m.id = 1;
        m.uid = "s@t".into();
        m.rrule = Some("FREQ=WEEKLY;COUNT=5".into());
        m.exdates = vec![local(14, 9)];
        let mut o = m.clone();
        o.id = 2;
        o.rrule = None;
        o.exdates.clear();
        o.recurrence_id = Some(local(21, 9));
        o.status = EventStatus::Cancelled;
        (m, vec![o])
    }

    #[test]
    fn restore_removes_the_exdate_or_the_override_and_raises_sequence() {
        let (m, ov) = series();
        let ch = restore_occurrence(&m, &ov, local(14, 9), at(2, 0)).unwrap();
        assert!(ch.update[0].exdates.is_empty());
        assert_eq!(ch.update[0].sequence, m.sequence + 1);
        assert!(ch.delete.is_empty());
        let ch = restore_occurrence(&m, &ov, local(21, 9), at(2, 0)).unwrap();
        assert_eq!(ch.update[0].exdates, m.exdates);
        assert_eq!(ch.delete, vec![2]);
        assert_eq!(restore_occurrence(&m, &ov, local(28, 9), at(2, 0)), None);
    }

    #[test]
    fn bare_times_land_on_the_occurrence_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
        assert_eq!(on_day("10:30", d), "2026-12-21 10:30");
        assert_eq!(on_day("2pm", d), "2026-12-21 2pm");
        assert_eq!(on_day("14h", d), "2026-12-21 14h");
        assert_eq!(on_day("tomorrow 10:00", d), "tomorrow 10:00");
        assert_eq!(on_day("2026-12-22", d), "2026-12-22");
        assert_eq!(on_day("fri", d), "fri");
    }

    #[test]
    fn occurrence_at_keeps_length_and_all_day_span() {
        let (m, _) = series();
        let o = occurrence_at(&m, local(21, 9), chrono_tz::UTC);
        assert_eq!((o.start, o.end), (at(21, 8), at(21, 9)));
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut a = m.clone();
        a.time = EventTime::AllDay {
            start: d,
            end: d + Duration::days(1),
        };
        let o = occurrence_at(&a, local(5, 0), chrono_tz::UTC);
        assert!(o.all_day);
        assert_eq!(o.end - o.start, Duration::days(2));
    }
}
