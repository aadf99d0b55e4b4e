//! Schedule rules on expanded occurrences: conflicts, free slots, and editing one
//! occurrence of a series (delete one, change one, change this and following). Pure: callers
//! load events and segments, call these, and write the records they get back.
//!
//! Decisions:
//! - Conflicts are between timed occurrences (and travel legs) only. All-day items (a
//!   conference day, a birthday, an out-of-office day) conflict with nothing: they mark the
//!   day rather than block an hour. Cancelled events and cancelled segments never conflict;
//!   zero-length timed items (a 17:00 deadline) do not either.
//! - Travel: flight, train, car and other legs are busy from departure to arrival; hotel stays
//!   are not (you hold meetings at the hotel). Two legs overlapping each other is the trip's
//!   business, not reported here.
//! - Free slots: busy = timed, non-cancelled occurrences, travel legs as above, and all-day
//!   events of category "private" (out of office). Other all-day items leave the day free.
use super::recurrence::{
    self, Occurrence, RuleEnd, expand_series, local_start, parse_rrule, starts_before, with_end,
};
use super::travel::{Segment, SegmentKind, SegmentStatus};
use super::{Event, EventCategory, EventStatus, EventTime};
use crate::domain::when::local_to_utc;

/// How far a record has been edited, for calendar clients: SEQUENCE and LAST-MODIFIED of
/// travel segments and tasks (events carry theirs in [`Event`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revision {
    pub sequence: u32,
    /// When it last changed; None for rows written before revisions were kept.
    pub modified: Option<chrono::DateTime<chrono::Utc>>,
}
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// What a conflict is between.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Busy {
    Event {
        event_id: i64,
        title: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        #[serde(skip_serializing_if = "Option::is_none")]
        recurrence_id: Option<NaiveDateTime>,
    },
    Segment {
        segment_id: i64,
        trip_id: i64,
        title: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

impl Busy {
    pub fn start(&self) -> DateTime<Utc> {
        match self {
            Busy::Event { start, .. } | Busy::Segment { start, .. } => *start,
        }
    }
    pub fn end(&self) -> DateTime<Utc> {
        match self {
            Busy::Event { end, .. } | Busy::Segment { end, .. } => *end,
        }
    }
    pub fn title(&self) -> &str {
        match self {
            Busy::Event { title, .. } | Busy::Segment { title, .. } => title,
        }
    }
    fn is_segment(&self) -> bool {
        matches!(self, Busy::Segment { .. })
    }
}

/// Two items overlapping during `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub a: Busy,
    pub b: Busy,
}

/// A travel leg that blocks time (not hotels, not cancelled).
pub fn segment_blocks(s: &Segment) -> bool {
    s.status != SegmentStatus::Cancelled && s.kind != SegmentKind::Hotel && s.arrive > s.depart
}

/// A short label for a leg: "flight SK 1417 ARN-EWR".
pub fn segment_title(s: &Segment) -> String {
    let mut t = s.kind.to_string();
    if !s.number.is_empty() {
        t.push(' ');
        t.push_str(&s.number);
    }
    if !s.origin.is_empty() || !s.destination.is_empty() {
        t.push_str(&format!(" {}-{}", s.origin, s.destination));
    }
    t
}

/// Overlapping timed occurrences and travel legs. `occurrences` pairs each occurrence with the
/// event it came from (the override for an overridden one). Sort and sweep: O(n log n + k)
/// for k conflicts. Sorted by overlap start.
pub fn conflicts(occurrences: &[(Occurrence, &Event)], segments: &[Segment]) -> Vec<Conflict> {
    let mut items: Vec<Busy> = occurrences
        .iter()
        .filter(|(o, e)| !o.all_day && o.end > o.start && e.status != EventStatus::Cancelled)
        .map(|(o, e)| Busy::Event {
            event_id: o.event_id,
            title: e.title.clone(),
            start: o.start,
            end: o.end,
            recurrence_id: o.recurrence_id,
        })
        .collect();
    items.extend(
        segments
            .iter()
            .filter(|s| segment_blocks(s))
            .map(|s| Busy::Segment {
                segment_id: s.id,
                trip_id: s.trip_id,
                title: segment_title(s),
                start: s.depart,
                end: s.arrive,
            }),
    );
    items.sort_by(|a, b| a.start().cmp(&b.start()).then(a.end().cmp(&b.end())));
    let mut out = Vec::new();
    // Indices of items still running at the current start.
    let mut active: Vec<usize> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let s = it.start();
        active.retain(|&j| items[j].end() > s);
        for &j in &active {
            let other = &items[j];
            if other.is_segment() && it.is_segment() {
                continue;
            }
            out.push(Conflict {
                start: s,
                end: other.end().min(it.end()),
                a: other.clone(),
                b: it.clone(),
            });
        }
        active.push(i);
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    out
}

/// Busy intervals for free-slot search (see the module notes), merged and sorted.
pub fn busy_intervals(
    occurrences: &[(Occurrence, &Event)],
    segments: &[Segment],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut v: Vec<(DateTime<Utc>, DateTime<Utc>)> = occurrences
        .iter()
        .filter(|(o, e)| {
            e.status != EventStatus::Cancelled
                && o.end > o.start
                && (!o.all_day || e.category == EventCategory::PrivateBlock)
        })
        .map(|(o, _)| (o.start, o.end))
        .collect();
    v.extend(
        segments
            .iter()
            .filter(|s| segment_blocks(s))
            .map(|s| (s.depart, s.arrive)),
    );
    merge(v)
}

fn merge(mut v: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    v.sort();
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Working hours for free-slot search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub days: Vec<Weekday>,
}

/// Free intervals of at least `duration` within working hours (in `tz`) on each of `days`
/// that is a working day, outside `busy` (any order, may overlap). Returns whole free
/// intervals, sorted; a caller wanting "not before now" adds `(day start, now)` as busy.
pub fn free_slots(
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
    days: &[NaiveDate],
    duration: Duration,
    hours: &WorkHours,
    tz: Tz,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let busy = merge(busy.to_vec());
    let mut out = Vec::new();
    if hours.end <= hours.start || duration <= Duration::zero() {
        return out;
    }
    for d in days {
        if !hours.days.contains(&d.weekday()) {
            continue;
        }
        let ws = local_to_utc(d.and_time(hours.start), tz);
        let we = local_to_utc(d.and_time(hours.end), tz);
        let mut cur = ws;
        // busy is sorted by start and disjoint: skip to the first one ending after ws
        let first = busy.partition_point(|b| b.1 <= ws);
        for &(bs, be) in &busy[first..] {
            if bs >= we {
                break;
            }
            if bs > cur && bs - cur >= duration {
                out.push((cur, bs));
            }
            cur = cur.max(be);
            if cur >= we {
                break;
            }
        }
        if we > cur && we - cur >= duration {
            out.push((cur, we));
        }
    }
    out
}

/// Occurrences of many events over `[from, to)`, each series with its overrides applied,
/// paired with the event each came from, sorted by start. `events` is what the store returned
/// for the window (singles, masters, overrides); `extra_overrides` are overrides found by UID
/// outside it (moved away from the window's days). Overrides whose master is missing show as
/// single events.
pub fn occurrences_in(
    events: &[Event],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    display: Tz,
) -> Vec<(Occurrence, &Event)> {
    use std::collections::{HashMap, HashSet};
    let mut out: Vec<(Occurrence, &Event)> = Vec::new();
    let by_id: HashMap<i64, &Event> = events.iter().map(|e| (e.id, e)).collect();
    let masters: HashSet<&str> = events
        .iter()
        .filter(|m| m.recurrence_id.is_none() && recurrence::is_recurring(m))
        .map(|m| m.uid.as_str())
        .collect();
    let mut overrides: HashMap<&str, Vec<Event>> = HashMap::new();
    for e in events.iter().filter(|e| e.recurrence_id.is_some()) {
        overrides.entry(e.uid.as_str()).or_default().push(e.clone());
    }
    for e in events {
        if e.recurrence_id.is_some() && masters.contains(e.uid.as_str()) {
            continue; // applied by its master below
        }
        if e.recurrence_id.is_none() && recurrence::is_recurring(e) {
            let ov = overrides
                .get(e.uid.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for o in expand_series(e, ov, from, to, display) {
                let src = if o.event_id == e.id {
                    Some(e)
                } else {
                    by_id.get(&o.event_id).copied()
                };
                if let Some(src) = src {
                    out.push((o, src));
                }
            }
        } else {
            out.extend(
                recurrence::expand(e, from, to, display)
                    .into_iter()
                    .map(|o| (o, e)),
            );
        }
    }
    out.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(a.0.end.cmp(&b.0.end)));
    out
}

// ---------------------------------------------------------------------------------------
// Editing a series

/// Records to write for a series edit, in one transaction: update, then insert, then delete.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeriesChange {
    pub update: Vec<Event>,
    pub insert: Vec<Event>,
    pub delete: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    #[error("event {0} is not a recurring series")]
    NotRecurring(i64),
    #[error("the series has no occurrence at {0}")]
    NoSuchOccurrence(NaiveDateTime),
    #[error("{0}")]
    Rule(String),
    /// The new part would run over the part before it or the series split from it.
    #[error("{0}")]
    Overlap(String),
}

fn rid_eq(a: NaiveDateTime, b: NaiveDateTime, all_day: bool) -> bool {
    if all_day {
        a.date() == b.date()
    } else {
        a == b
    }
}

fn check_occurrence(master: &Event, rid: NaiveDateTime) -> Result<(), SeriesError> {
    if !recurrence::is_recurring(master) || master.recurrence_id.is_some() {
        return Err(SeriesError::NotRecurring(master.id));
    }
    if recurrence::is_occurrence(master, rid) {
        Ok(())
    } else {
        Err(SeriesError::NoSuchOccurrence(rid))
    }
}

/// The occurrence `occ` of `master` as a concrete event (to prefill an edit form): the
/// master's fields at the occurrence's time, no rule, `recurrence_id` set, id 0.
pub fn occurrence_event(master: &Event, occ: &Occurrence) -> Event {
    let mut e = master.clone();
    e.id = 0;
    e.rrule = None;
    e.exdates.clear();
    e.rdates.clear();
    e.recurrence_id = occ.recurrence_id;
    e.time = match &master.time {
        EventTime::Timed { tz, .. } => EventTime::Timed {
            start: occ.start,
            end: occ.end,
            tz: *tz,
        },
        EventTime::AllDay { start, end } => {
            let d = occ.recurrence_id.map(|r| r.date()).unwrap_or(*start);
            EventTime::AllDay {
                start: d,
                end: d + (*end - *start),
            }
        }
    };
    e
}

/// Whether `n` (a local start) is an instance of series `e`'s rule, EXDATEs aside.
fn is_instance(e: &Event, n: NaiveDateTime) -> bool {
    let mut probe = e.clone();
    probe.exdates.clear();
    recurrence::local_starts(&probe, n.date(), n.date()).contains(&n)
}

/// How far an edit from `old` to `new` moves a whole series, when that is all it does to
/// the series' shape: both the same series (not an override), the same rule text, the same
/// zone, all-day or timed alike, and the start moved. None otherwise (a new rule or zone
/// leaves the exceptions where they are: they may name no occurrence any more).
pub fn series_move(old: &Event, new: &Event) -> Option<Duration> {
    use recurrence::{event_zone, is_recurring};
    if old.recurrence_id.is_some()
        || new.recurrence_id.is_some()
        || !is_recurring(old)
        || old.rrule != new.rrule
        || old.time.is_all_day() != new.time.is_all_day()
        || event_zone(old) != event_zone(new)
    {
        return None;
    }
    let d = local_start(new) - local_start(old);
    (!d.is_zero()).then_some(d)
}

/// The `extra_ics` line by which the second part of a split series names the first (the
/// series it was split from): `RELATED-TO;RELTYPE=X-SECRETAIRE-SPLIT:<uid>`, a valid RFC 5545
/// property, so it survives an export and import. Moving the first part later stops its end
/// before the second part's first start (see [`until_moved`]).
pub fn split_marker(uid: &str) -> String {
    format!("{SPLIT_FROM}{uid}")
}

const SPLIT_FROM: &str = "RELATED-TO;RELTYPE=X-SECRETAIRE-SPLIT:";

/// The UID of the series `extra` (an event's `extra_ics`) says this one was split from.
pub fn split_from(extra: &str) -> Option<&str> {
    extra
        .lines()
        .find_map(|l| l.strip_prefix(SPLIT_FROM))
        .map(str::trim)
        .filter(|u| !u.is_empty())
}

/// The first part `prev` of a split series with its end moved so that it runs until `day`,
/// the day its second part now starts: its rule ending on its last instance before that day.
/// None when it has no instance before `day` (the second part would start before the first)
/// or no readable rule.
pub fn run_until_day(prev: &Event, day: NaiveDate) -> Option<String> {
    let rule = prev.rrule.as_deref()?;
    parse_rrule(rule).ok()?;
    let mut open = prev.clone();
    open.rrule = Some(with_end(rule, None));
    open.exdates.clear();
    open.rdates.clear();
    let from = local_start(prev).date();
    if from >= day {
        return None;
    }
    let last = recurrence::local_starts(&open, from, day)
        .into_iter()
        .filter(|x| x.date() < day)
        .max()?;
    Some(with_end(rule, Some(ending_at(prev, last))))
}

/// An UNTIL on `last`, a local start of series `e`: a date for an all-day series, else the
/// instant in UTC.
fn ending_at(e: &Event, last: NaiveDateTime) -> RuleEnd {
    match &e.time {
        EventTime::AllDay { .. } => RuleEnd::UntilDate(last.date()),
        EventTime::Timed { tz, .. } => RuleEnd::UntilUtc(local_to_utc(last, *tz)),
    }
}

/// The day `e` starts on, seen in `zone` (an all-day event's own first day).
pub fn start_day(e: &Event, zone: chrono_tz::Tz) -> NaiveDate {
    match &e.time {
        EventTime::Timed { start, .. } => start.with_timezone(&zone).date_naive(),
        EventTime::AllDay { start, .. } => *start,
    }
}

/// `extra` without the split marker lines it may have inherited (a part split again names
/// only the series it was split from).
fn without_split_marker(extra: &str) -> String {
    extra
        .lines()
        .filter(|l| !l.starts_with(SPLIT_FROM))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first day, in `tz`, of a series in `rows` split from series `uid`.
fn next_part_day(rows: &[Event], uid: &str, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    let marker = split_marker(uid);
    rows.iter()
        .filter(|r| r.uid != uid && r.recurrence_id.is_none())
        .filter(|r| r.extra_ics.lines().any(|l| l == marker))
        .map(|r| start_day(r, tz))
        .min()
}

/// `new`'s rule with its UNTIL moved. The first part of a split series (`next_part`: the first
/// start of the series split from it) ends on the last instance before the day the second part
/// starts. Any other series keeps as many instances of its
/// rule as `old` had up to its UNTIL: the UNTIL becomes the last of that many starts of the
/// moved series (in UTC for a timed series, a date for an all-day one). Shifting the UNTIL by
/// the move instead is wrong when the rule pins the days: a Monday series moved to start on a
/// Tuesday keeps its Mondays, so an UNTIL moved a day later let it gain the Monday after (the
/// first meeting of a split series' second part, shown twice). Counted on the rule alone
/// (EXDATEs and RDATEs move separately). None without an UNTIL or when the rule is unreadable.
fn until_moved(
    rrule: &str,
    old: &Event,
    new: &Event,
    next_part: Option<NaiveDate>,
) -> Option<String> {
    use recurrence::Until;
    use recurrence::local_starts;
    let until = match parse_rrule(rrule).ok()?.until? {
        Until::Date(x) => x,
        Until::Utc(t) => t.date_naive(),
        Until::Local(n) => n.date(),
    };
    // Bounds for the expansions, so that a rule matching nothing more never runs far: the
    // UNTIL's day and the day after (a UTC UNTIL may be the next local day); the moved part
    // may need the move's length more, and a sparse rule (a fifth Sunday of February) up to
    // 50 years more for its next instance.
    let hi_old = until.succ_opt()?;
    let slack = (local_start(new) - local_start(old)).num_days().abs() + 366 * 50;
    let hi_new = hi_old.checked_add_signed(Duration::days(slack))?;
    let bare = |e: &Event, rule: String| {
        let mut p = e.clone();
        p.rrule = Some(rule);
        p.exdates.clear();
        p.rdates.clear();
        p
    };
    // The first part of a split series (the second part names it) runs until the day the
    // second part starts, wherever it is moved: moved later it never runs onto that day (two
    // stand-ups, or the 10:00 meeting beside the second part's 11:00), moved earlier it fills
    // the weeks up to it, and moved back it is what it was (rules repeat by the day at most).
    if let Some(day) = next_part {
        return run_until_day(&bare(new, rrule.to_string()), day);
    }
    // Any other series keeps its count: the old part's instances, up to its UNTIL (which ends
    // the expansion), and as many of the moved series' (its rule with COUNT for UNTIL).
    let was = bare(old, rrule.to_string());
    let lo = local_start(old).date();
    let n = local_starts(&was, lo, hi_old).len();
    let count = u32::try_from(n).ok()?.max(1);
    let moved = bare(new, with_end(rrule, Some(RuleEnd::Count(count))));
    let last = *local_starts(&moved, local_start(new).date(), hi_new).last()?;
    Some(with_end(rrule, Some(ending_at(new, last))))
}

/// A whole series moved (`old`, as stored, became `new`): its exceptions move with it, or
/// cancelled occurrences come back at the new time and a changed one shows twice. Every
/// EXDATE `old` had moves by the same local amount where that lands on an instance of the new
/// series; each override of the series (in `overrides`, which may also hold the series split
/// from this one: its end stays before their first start; any other rows ignored) whose
/// RECURRENCE-ID moved is returned, touched at `now`, for the caller to write in the same
/// transaction as `new`, in the order to write them. Nothing changes when [`series_move`]
/// says the edit is no move.
/// The one rule for every path that edits a series (the TUI's form, `secretaire edit event`,
/// "edit this and following" from the first occurrence).
pub fn shift_exceptions(
    old: &Event,
    new: &mut Event,
    overrides: &[Event],
    now: DateTime<Utc>,
) -> Vec<Event> {
    let Some(d) = series_move(old, new) else {
        return Vec::new();
    };
    // The end moves too (see `until_moved`): a series keeps its count, the first part of a
    // split one runs until the day its second part starts.
    let next_part = next_part_day(overrides, &old.uid, recurrence::event_zone(new));
    if let Some(r) = new
        .rrule
        .clone()
        .and_then(|r| until_moved(&r, old, new, next_part))
    {
        new.rrule = Some(r);
    }
    // Extra dates the series kept move with it too (a date typed in this same edit stays
    // where it was typed); before the EXDATEs, which may cancel one of them.
    new.rdates = new
        .rdates
        .iter()
        .map(|x| if old.rdates.contains(x) { *x + d } else { *x })
        .collect();
    new.rdates.sort();
    new.rdates.dedup();
    // An exception moves with the series unless its slot moved is no instance of the rule
    // (a Monday series whose start moved onto a Tuesday keeps its Mondays, and their
    // exceptions with them). The rule is read without its end: an exception the move takes
    // past the end (a first part moved later) still moves, so it never lands on another
    // occurrence, and comes back when the series is moved back.
    let open = {
        let mut p = new.clone();
        p.rrule = p.rrule.as_deref().map(|r| with_end(r, None));
        p
    };
    let shifted: Vec<NaiveDateTime> = new
        .exdates
        .iter()
        .map(|x| {
            if old.exdates.contains(x) && is_instance(&open, *x + d) {
                *x + d
            } else {
                *x
            }
        })
        .collect();
    new.exdates = shifted;
    let mut moved: Vec<Event> = overrides
        .iter()
        .filter(|o| o.uid == old.uid && o.id != old.id)
        .filter_map(|o| {
            let r = o.recurrence_id?;
            if !is_instance(&open, r + d) {
                return None;
            }
            let mut x = o.clone();
            x.recurrence_id = Some(r + d);
            // a change that kept its slot's time (a new title, room or status) is at the
            // series' new time too; one moved to a time of its own stays there
            let zone = recurrence::event_zone(old);
            x.time = match &o.time {
                EventTime::Timed { start, end, tz }
                    if start.with_timezone(&zone).naive_local() == r =>
                {
                    let s = local_to_utc(r + d, zone);
                    EventTime::Timed {
                        start: s,
                        end: s + (*end - *start),
                        tz: *tz,
                    }
                }
                EventTime::AllDay { start, end } if start.and_time(NaiveTime::MIN) == r => {
                    let days = Duration::days(d.num_days());
                    EventTime::AllDay {
                        start: *start + days,
                        end: *end + days,
                    }
                }
                t => t.clone(),
            };
            x.touch(now);
            Some(x)
        })
        .collect();
    // in an order that never puts two overrides on one RECURRENCE-ID on the way (a move by a
    // week onto the next override's): the one furthest in the direction of the move first
    moved.sort_by_key(|o| o.recurrence_id);
    if d > Duration::zero() {
        moved.reverse();
    }
    moved
}

/// Delete one occurrence: the master gets an EXDATE; an override of it is deleted.
pub fn delete_occurrence(
    master: &Event,
    overrides: &[Event],
    rid: NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<SeriesChange, SeriesError> {
    check_occurrence(master, rid)?;
    let all_day = master.time.is_all_day();
    let mut m = master.clone();
    let rid = if all_day {
        rid.date().and_time(NaiveTime::MIN)
    } else {
        rid
    };
    if !m.exdates.iter().any(|x| rid_eq(*x, rid, all_day)) {
        m.exdates.push(rid);
        m.exdates.sort();
    }
    m.touch(now);
    let delete = overrides
        .iter()
        .filter(|o| o.uid == master.uid && o.recurrence_id.is_some_and(|r| rid_eq(r, rid, all_day)))
        .map(|o| o.id)
        .filter(|id| *id != 0)
        .collect();
    Ok(SeriesChange {
        update: vec![m],
        insert: vec![],
        delete,
    })
}

/// Change one occurrence: `edited` holds the new fields (time, title, status...). Returns an
/// override (same UID, RECURRENCE-ID = the original local start) to insert, or the existing
/// override updated.
pub fn change_occurrence(
    master: &Event,
    overrides: &[Event],
    rid: NaiveDateTime,
    edited: &Event,
    now: DateTime<Utc>,
) -> Result<SeriesChange, SeriesError> {
    check_occurrence(master, rid)?;
    let all_day = master.time.is_all_day();
    let mut o = edited.clone();
    o.uid = master.uid.clone();
    o.rrule = None;
    o.exdates.clear();
    o.rdates.clear();
    o.recurrence_id = Some(if all_day {
        rid.date().and_time(NaiveTime::MIN)
    } else {
        rid
    });
    let existing = overrides
        .iter()
        .find(|x| x.uid == master.uid && x.recurrence_id.is_some_and(|r| rid_eq(r, rid, all_day)));
    match existing {
        Some(x) => {
            o.id = x.id;
            o.created = x.created;
            o.sequence = x.sequence;
            o.touch(now);
            Ok(SeriesChange {
                update: vec![o],
                ..Default::default()
            })
        }
        None => {
            o.id = 0;
            o.created = now;
            o.sequence = master.sequence;
            o.touch(now);
            Ok(SeriesChange {
                insert: vec![o],
                ..Default::default()
            })
        }
    }
}

/// Change this and following occurrences: the series is split at `rid`. The master ends just
/// before it (UNTIL one second before the occurrence, in UTC; for all-day series the day
/// before, as a DATE); the new series (`edited`, with `new_uid`) starts at the edited time and
/// keeps the rule's remaining COUNT. Overrides and EXDATE/RDATEs at or after `rid` move to
/// the new series (shifted by how far the start moved) when the rule text is unchanged, and
/// are dropped otherwise. Splitting at the first occurrence edits the whole series instead.
/// Occurrences the part of a series before `rid` keeps when it is split there: RRULE-generated
/// ones count towards COUNT (EXDATEs do too: they are still instances of the rule, only
/// hidden; RDATEs do not).
fn kept_before(master: &Event, rid: NaiveDateTime) -> u32 {
    let mut probe = master.clone();
    probe.exdates.clear();
    probe.rdates.clear();
    starts_before(&probe, rid).len() as u32
}

/// The rule the following part gets when the series is split at `rid` with its rule left as
/// it is ([`change_following`]): a COUNT becomes what is left of it ("8 times" split after 3
/// is "5 times"); any other rule is the series' own. None for an event without a rule.
pub fn following_rule(master: &Event, rid: NaiveDateTime) -> Option<String> {
    let text = master.rrule.clone()?;
    let Ok(rule) = parse_rrule(&text) else {
        return Some(text);
    };
    Some(match rule.count {
        Some(c) => with_end(
            &text,
            Some(RuleEnd::Count(
                c.saturating_sub(kept_before(master, rid)).max(1),
            )),
        ),
        None => text,
    })
}

pub fn change_following(
    master: &Event,
    overrides: &[Event],
    rid: NaiveDateTime,
    edited: &Event,
    new_uid: &str,
    now: DateTime<Utc>,
) -> Result<SeriesChange, SeriesError> {
    check_occurrence(master, rid)?;
    let all_day = master.time.is_all_day();
    let first = local_start(master);
    let rule_text = master.rrule.clone().unwrap_or_default();
    let new_rule_text = edited.rrule.clone().unwrap_or_else(|| rule_text.clone());
    let rule_unchanged = new_rule_text == rule_text;
    if rid_eq(rid, first, all_day) {
        // the whole series
        let mut m = edited.clone();
        m.id = master.id;
        m.uid = master.uid.clone();
        m.created = master.created;
        m.sequence = master.sequence;
        m.recurrence_id = None;
        m.rrule = Some(new_rule_text);
        if rule_unchanged {
            // the occurrence the form started from has no exceptions: the series keeps its
            // own, moved with it when the start moved
            m.exdates = master.exdates.clone();
            m.rdates = master.rdates.clone();
        } else {
            m.exdates.clear();
        }
        let moved = shift_exceptions(master, &mut m, overrides, now);
        m.touch(now);
        let mut update = vec![m];
        update.extend(moved);
        return Ok(SeriesChange {
            update,
            ..Default::default()
        });
    }
    let rule = parse_rrule(&rule_text).map_err(|e| SeriesError::Rule(e.to_string()))?;
    if !new_rule_text.is_empty() {
        parse_rrule(&new_rule_text).map_err(|e| SeriesError::Rule(e.to_string()))?;
    }
    let kept = kept_before(master, rid);
    let mut m = master.clone();
    let end = if all_day {
        RuleEnd::UntilDate(rid.date() - Duration::days(1))
    } else {
        let tz = recurrence::event_zone(master);
        RuleEnd::UntilUtc(local_to_utc(rid, tz) - Duration::seconds(1))
    };
    m.rrule = Some(with_end(&rule_text, Some(end)));
    m.exdates.retain(|x| *x < rid);
    m.rdates.retain(|x| *x < rid);
    m.touch(now);

    let mut n = edited.clone();
    n.id = 0;
    n.uid = new_uid.to_string();
    n.extra_ics = without_split_marker(&n.extra_ics);
    if !n.extra_ics.is_empty() {
        n.extra_ics.push('\n');
    }
    n.extra_ics.push_str(&split_marker(&master.uid));
    n.recurrence_id = None;
    n.created = now;
    n.sequence = 0;
    n.updated = now;
    let remaining = match (edited.rrule.as_ref(), rule.count) {
        // the caller kept the rule: carry the remaining count over
        (None, Some(c)) | (Some(_), Some(c)) if rule_unchanged => {
            Some(RuleEnd::Count(c.saturating_sub(kept).max(1)))
        }
        _ => None,
    };
    // A new rule given without an end keeps the series' end (UNTIL): the series ended there,
    // by a date or where a part split from it takes over, and the new part must not run on
    // past it alongside that part.
    let keeps_end = !rule_unchanged
        && parse_rrule(&new_rule_text).is_ok_and(|r| r.count.is_none() && r.until.is_none());
    let series_end = rule.until.map(|u| match u {
        recurrence::Until::Date(d) => RuleEnd::UntilDate(d),
        recurrence::Until::Utc(t) => RuleEnd::UntilUtc(t),
        recurrence::Until::Local(l) => {
            RuleEnd::UntilUtc(local_to_utc(l, recurrence::event_zone(master)))
        }
    });
    n.rrule = Some(match (remaining, series_end) {
        (Some(e), _) => with_end(&new_rule_text, Some(e)),
        (None, Some(e)) if keeps_end => with_end(&new_rule_text, Some(e)),
        (None, _) => new_rule_text.clone(),
    });
    let new_start = local_start(&n);
    // the new part starts after the last meeting the series keeps before it (the store holds
    // it before the day a part split from this series starts, `Tx::keep_changed_split_parts_apart`)
    let fmt = |x: NaiveDateTime| {
        if all_day {
            x.format("%a %-d %b %Y").to_string()
        } else {
            x.format("%a %-d %b %Y %H:%M").to_string()
        }
    };
    if let Some(last) = recurrence::starts_before(master, rid).last()
        && new_start.date() <= last.date()
    {
        return Err(SeriesError::Overlap(format!(
            "this and following would start on {}, on or before {}, the series' last meeting before it: give a start after that day",
            fmt(new_start),
            fmt(*last)
        )));
    }
    let shift = new_start - rid;
    let moved = |x: &NaiveDateTime| *x + shift;
    if rule_unchanged {
        n.exdates = master
            .exdates
            .iter()
            .filter(|x| **x >= rid)
            .map(moved)
            .collect();
        n.rdates = master
            .rdates
            .iter()
            .filter(|x| **x >= rid)
            .map(moved)
            .collect();
    } else {
        n.exdates.clear();
        n.rdates.clear();
    }
    let mut change = SeriesChange {
        update: vec![m],
        insert: vec![n],
        delete: vec![],
    };
    for o in overrides
        .iter()
        .filter(|o| o.uid == master.uid && o.recurrence_id.is_some_and(|r| r >= rid))
    {
        if rule_unchanged {
            let mut x = o.clone();
            x.uid = new_uid.to_string();
            x.recurrence_id = o.recurrence_id.map(|r| r + shift);
            x.touch(now);
            change.update.push(x);
        } else if o.id != 0 {
            change.delete.push(o.id);
        }
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recurrence::expand;
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap()
    }

    fn timed(id: i64, title: &str, s: DateTime<Utc>, e: DateTime<Utc>) -> Event {
        let mut ev = Event::new(
            title,
            EventTime::Timed {
                start: s,
                end: e,
                tz: Stockholm,
            },
            s,
        );
        ev.id = id;
        ev.uid = format!("{id}@t");
        ev
    }

    fn occ_pairs(events: &[Event]) -> Vec<(Occurrence, &Event)> {
        occurrences_in(events, utc(1, 0, 0), utc(31, 0, 0), Stockholm)
    }

    fn seg(id: i64, kind: SegmentKind, s: DateTime<Utc>, e: DateTime<Utc>) -> Segment {
        Segment {
            id,
            trip_id: 9,
            uid: format!("s{id}"),
            kind,
            provider: "SAS".into(),
            number: "SK 1".into(),
            confirmation: String::new(),
            origin: "ARN".into(),
            destination: "CPH".into(),
            depart: s,
            depart_tz: Stockholm,
            arrive: e,
            arrive_tz: Stockholm,
            seat: String::new(),
            cost: None,
            status: SegmentStatus::Booked,
            notes: String::new(),
        }
    }

    #[test]
    fn overlapping_timed_events_conflict_all_day_and_cancelled_do_not() {
        let a = timed(1, "Board", utc(2, 9, 0), utc(2, 11, 0));
        let b = timed(2, "Lunch", utc(2, 10, 30), utc(2, 12, 0));
        let c = timed(3, "After", utc(2, 12, 0), utc(2, 13, 0)); // touches, no overlap
        let mut d = timed(4, "Cancelled", utc(2, 9, 0), utc(2, 13, 0));
        d.status = EventStatus::Cancelled;
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let mut e = Event::new(
            "Conference",
            EventTime::AllDay {
                start: day,
                end: day,
            },
            utc(1, 0, 0),
        );
        e.id = 5;
        e.uid = "5@t".into();
        let events = vec![a, b, c, d, e];
        let pairs = occ_pairs(&events);
        let got = conflicts(&pairs, &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].a.title(), "Board");
        assert_eq!(got[0].b.title(), "Lunch");
        assert_eq!((got[0].start, got[0].end), (utc(2, 10, 30), utc(2, 11, 0)));
    }

    #[test]
    fn travel_conflicts_with_meetings_but_hotels_do_not() {
        let events = vec![timed(1, "Call", utc(3, 8, 0), utc(3, 9, 0))];
        let pairs = occ_pairs(&events);
        let flight = seg(1, SegmentKind::Flight, utc(3, 7, 30), utc(3, 8, 30));
        let hotel = seg(2, SegmentKind::Hotel, utc(2, 15, 0), utc(4, 10, 0));
        let mut cancelled = seg(3, SegmentKind::Train, utc(3, 7, 0), utc(3, 10, 0));
        cancelled.status = SegmentStatus::Cancelled;
        let got = conflicts(&pairs, &[flight, hotel, cancelled]);
        assert_eq!(got.len(), 1);
        assert!(matches!(got[0].a, Busy::Segment { segment_id: 1, .. }));
        assert_eq!(got[0].a.title(), "flight SK 1 ARN-CPH");
        assert_eq!(got[0].end, utc(3, 8, 30));
    }

    #[test]
    fn recurring_series_conflicts_per_occurrence() {
        let mut weekly = timed(1, "Staff", utc(7, 8, 0), utc(7, 9, 0));
        weekly.rrule = Some("FREQ=WEEKLY".into());
        let one = timed(2, "Dentist", utc(14, 8, 30), utc(14, 9, 30));
        let events = vec![weekly, one];
        let got = conflicts(&occ_pairs(&events), &[]);
        assert_eq!(got.len(), 1);
        assert!(matches!(
            got[0].a,
            Busy::Event {
                recurrence_id: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn sweep_finds_every_pair_among_many() {
        // 200 one-hour events every 30 minutes: each overlaps its neighbour only.
        let events: Vec<Event> = (0..200)
            .map(|i| {
                let s = utc(1, 0, 0) + Duration::minutes(30 * i);
                timed(i + 1, "x", s, s + Duration::hours(1))
            })
            .collect();
        assert_eq!(conflicts(&occ_pairs(&events), &[]).len(), 199);
    }

    #[test]
    fn free_slots_inside_working_hours_around_busy() {
        let hours = WorkHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
        };
        // Stockholm is UTC+1 in December: 09:00-17:00 local = 08:00-16:00Z.
        let busy = vec![
            (utc(7, 9, 0), utc(7, 10, 0)),
            (utc(7, 9, 30), utc(7, 11, 0)),
            (utc(7, 15, 30), utc(7, 18, 0)),
        ];
        let days: Vec<NaiveDate> = (5..=8)
            .map(|d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap())
            .collect();
        let got = free_slots(&busy, &days, Duration::minutes(60), &hours, Stockholm);
        // Sat 5th, Sun 6th skipped; Mon 7th two slots; Tue 8th the whole day
        assert_eq!(
            got,
            vec![
                (utc(7, 8, 0), utc(7, 9, 0)),
                (utc(7, 11, 0), utc(7, 15, 30)),
                (utc(8, 8, 0), utc(8, 16, 0)),
            ]
        );
        let got = free_slots(&busy, &days, Duration::minutes(61), &hours, Stockholm);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn busy_counts_private_all_day_and_travel() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut ooo = Event::new(
            "Out of office",
            EventTime::AllDay {
                start: day,
                end: day,
            },
            utc(1, 0, 0),
        );
        ooo.category = EventCategory::PrivateBlock;
        ooo.id = 1;
        let mut conf = ooo.clone();
        conf.category = EventCategory::Other;
        conf.id = 2;
        conf.time = EventTime::AllDay {
            start: day.succ_opt().unwrap(),
            end: day.succ_opt().unwrap(),
        };
        let events = vec![ooo, conf];
        let pairs = occ_pairs(&events);
        let b = busy_intervals(
            &pairs,
            &[seg(1, SegmentKind::Train, utc(9, 8, 0), utc(9, 9, 0))],
        );
        assert_eq!(b.len(), 2);
        assert_eq!(
            b[0].0,
            Stockholm
                .with_ymd_and_hms(2026, 12, 7, 0, 0, 0)
                .unwrap()
                .with_timezone(&Utc)
        );
    }

    fn weekly_count(n: u32) -> Event {
        let mut m = timed(1, "Staff", utc(7, 8, 0), utc(7, 9, 0));
        m.uid = "staff@t".into();
        m.rrule = Some(format!("FREQ=WEEKLY;COUNT={n}"));
        m
    }

    fn local(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn delete_one_adds_exdate_and_drops_its_override() {
        let m = weekly_count(4);
        let mut o = m.clone();
        o.id = 5;
        o.rrule = None;
        o.recurrence_id = Some(local(14, 9));
        let ch = delete_occurrence(&m, &[o], local(14, 9), utc(1, 0, 0)).unwrap();
        assert_eq!(ch.update[0].exdates, vec![local(14, 9)]);
        assert_eq!(ch.update[0].sequence, 1);
        assert_eq!(ch.delete, vec![5]);
        let occ = expand(&ch.update[0], utc(1, 0, 0), utc(31, 0, 0), Stockholm);
        assert_eq!(occ.len(), 3);
        assert_eq!(
            delete_occurrence(&m, &[], local(15, 9), utc(1, 0, 0)),
            Err(SeriesError::NoSuchOccurrence(local(15, 9)))
        );
    }

    #[test]
    fn change_one_builds_an_override() {
        let m = weekly_count(4);
        let occ = expand(&m, utc(14, 0, 0), utc(15, 0, 0), Stockholm).remove(0);
        let mut edited = occurrence_event(&m, &occ);
        edited.title = "Staff (moved)".into();
        edited.time = EventTime::Timed {
            start: utc(14, 13, 0),
            end: utc(14, 14, 0),
            tz: Stockholm,
        };
        let ch = change_occurrence(&m, &[], local(14, 9), &edited, utc(1, 0, 0)).unwrap();
        let o = &ch.insert[0];
        assert_eq!(o.uid, m.uid);
        assert_eq!(o.recurrence_id, Some(local(14, 9)));
        assert!(o.rrule.is_none());
        let all = expand_series(&m, &ch.insert, utc(1, 0, 0), utc(31, 0, 0), Stockholm);
        assert_eq!(all.len(), 4);
        assert_eq!(all[1].start, utc(14, 13, 0));
    }

    #[test]
    fn split_keeps_total_count_and_ends_master_before() {
        let m = weekly_count(5); // 7, 14, 21, 28 Dec, 4 Jan
        let occ = expand(&m, utc(21, 0, 0), utc(22, 0, 0), Stockholm).remove(0);
        let mut edited = occurrence_event(&m, &occ);
        edited.rrule = None; // keep the rule
        edited.time = EventTime::Timed {
            start: utc(21, 9, 0),
            end: utc(21, 10, 0),
            tz: Stockholm,
        };
        let ch = change_following(&m, &[], local(21, 9), &edited, "new@t", utc(1, 0, 0)).unwrap();
        let old = &ch.update[0];
        assert_eq!(
            old.rrule.as_deref(),
            Some("FREQ=WEEKLY;UNTIL=20261221T075959Z")
        );
        let new = &ch.insert[0];
        assert_eq!(new.uid, "new@t");
        assert_eq!(new.rrule.as_deref(), Some("FREQ=WEEKLY;COUNT=3"));
        let far = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
        let a = expand(old, utc(1, 0, 0), far, Stockholm);
        let b = expand(new, utc(1, 0, 0), far, Stockholm);
        assert_eq!(a.len() + b.len(), 5);
        assert_eq!(b[0].start, utc(21, 9, 0));
    }

    #[test]
    fn split_all_day_uses_a_date_until() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut m = Event::new(
            "Report",
            EventTime::AllDay { start: d, end: d },
            utc(1, 0, 0),
        );
        m.id = 1;
        m.uid = "r@t".into();
        m.rrule = Some("FREQ=DAILY".into());
        let rid = local(4, 0);
        let occ = expand(&m, utc(4, 0, 0), utc(4, 1, 0), Stockholm).remove(0);
        let edited = occurrence_event(&m, &occ);
        let ch = change_following(&m, &[], rid, &edited, "n@t", utc(1, 0, 0)).unwrap();
        assert_eq!(
            ch.update[0].rrule.as_deref(),
            Some("FREQ=DAILY;UNTIL=20261203")
        );
        assert_eq!(ch.insert[0].rrule.as_deref(), Some("FREQ=DAILY"));
        // splitting at the first occurrence edits the series in place
        let first = expand(&m, utc(1, 0, 0), utc(1, 1, 0), Stockholm).remove(0);
        let ch = change_following(
            &m,
            &[],
            local(1, 0),
            &occurrence_event(&m, &first),
            "n@t",
            utc(1, 0, 0),
        )
        .unwrap();
        assert!(ch.insert.is_empty());
        assert_eq!(ch.update[0].id, 1);
    }

    #[test]
    fn split_moves_later_overrides_and_exdates_to_the_new_series() {
        let mut m = weekly_count(6); // 7, 14, 21, 28 Dec, 4, 11 Jan
        m.exdates.push(local(14, 9));
        m.exdates.push(local(28, 9));
        let mut later = m.clone();
        later.id = 8;
        later.rrule = None;
        later.exdates.clear();
        later.recurrence_id = Some(local(21, 9) + Duration::days(14)); // 4 Jan
        later.title = "Staff (long)".into();
        let occ = expand(&m, utc(21, 0, 0), utc(22, 0, 0), Stockholm).remove(0);
        let mut edited = occurrence_event(&m, &occ);
        // one hour later from now on
        edited.time = EventTime::Timed {
            start: utc(21, 9, 0),
            end: utc(21, 10, 0),
            tz: Stockholm,
        };
        let ch =
            change_following(&m, &[later], local(21, 9), &edited, "new@t", utc(1, 0, 0)).unwrap();
        assert_eq!(ch.update[0].exdates, vec![local(14, 9)]);
        let new = &ch.insert[0];
        // 7 and 14 (hidden) were instances: 4 remain
        assert_eq!(new.rrule.as_deref(), Some("FREQ=WEEKLY;COUNT=4"));
        assert_eq!(new.exdates, vec![local(28, 10)]);
        let moved = &ch.update[1];
        assert_eq!(moved.uid, "new@t");
        assert_eq!(
            moved.recurrence_id,
            Some(local(21, 10) + Duration::days(14))
        );
        // the new series with its moved override: 21 Dec, (28 excluded), 4 Jan as override, 11 Jan
        let far = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
        let all = expand_series(new, &ch.update[1..], utc(1, 0, 0), far, Stockholm);
        assert_eq!(all.len(), 3);
        assert_eq!(all.iter().filter(|o| o.event_id == 8).count(), 1);
        assert_eq!(all.iter().filter(|o| o.event_id == 0).count(), 2);
    }

    /// Weekly from 7 Dec 09:00 Stockholm, 14 and 28 Dec cancelled, 21 Dec and 4 Jan changed
    /// (overrides 8 and 9), and an override of another series (10).
    fn weekly_with_exceptions() -> (Event, Vec<Event>) {
        let mut m = weekly_count(6);
        m.exdates = vec![local(14, 9), local(28, 9)];
        let over = |id: i64, rid: NaiveDateTime| {
            let mut o = m.clone();
            o.id = id;
            o.rrule = None;
            o.exdates.clear();
            o.recurrence_id = Some(rid);
            o
        };
        let mut other = over(10, local(21, 9));
        other.uid = "other@t".into();
        let overrides = vec![
            over(8, local(21, 9)),
            over(9, local(21, 9) + Duration::days(14)),
            other,
        ];
        (m, overrides)
    }

    #[test]
    fn moving_a_series_moves_its_exdates_and_overrides_by_the_same_local_amount() {
        let (m, overrides) = weekly_with_exceptions();
        let mut new = m.clone();
        new.time = EventTime::Timed {
            start: utc(7, 9, 0),
            end: utc(7, 10, 0),
            tz: Stockholm,
        };
        assert_eq!(series_move(&m, &new), Some(Duration::hours(1)));
        let moved = shift_exceptions(&m, &mut new, &overrides, utc(1, 0, 0));
        assert_eq!(new.exdates, vec![local(14, 10), local(28, 10)]);
        // the furthest first on a move forward; another series' override is not touched
        let got: Vec<_> = moved.iter().map(|o| (o.id, o.recurrence_id)).collect();
        assert_eq!(
            got,
            [
                (9, Some(local(21, 10) + Duration::days(14))),
                (8, Some(local(21, 10)))
            ]
        );
        assert!(moved.iter().all(|o| o.sequence == 1), "touched");
        // the same occurrences, an hour later: 7, 11 Jan as generated; 21 Dec, 4 Jan changed
        let far = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(
            expand_series(&new, &moved, utc(1, 0, 0), far, Stockholm).len(),
            4
        );
    }

    #[test]
    fn moving_a_series_moves_its_extra_dates_and_their_overrides() {
        // Weekly from 7 Dec 09:00 plus an extra date on Wed 9 Dec 09:00 (changed by override 8),
        // and one on Thu 10 Dec cancelled by an EXDATE: an hour later, all of them an hour later.
        let mut m = weekly_count(3);
        m.rdates = vec![local(9, 9), local(10, 9)];
        m.exdates = vec![local(10, 9)];
        let mut o = m.clone();
        o.id = 8;
        o.rrule = None;
        o.rdates.clear();
        o.exdates.clear();
        o.recurrence_id = Some(local(9, 9));
        let mut new = m.clone();
        new.time = EventTime::Timed {
            start: utc(7, 9, 0),
            end: utc(7, 10, 0),
            tz: Stockholm,
        };
        let moved = shift_exceptions(&m, &mut new, std::slice::from_ref(&o), utc(1, 0, 0));
        assert_eq!(new.rdates, vec![local(9, 10), local(10, 10)]);
        assert_eq!(new.exdates, vec![local(10, 10)]);
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].recurrence_id, Some(local(9, 10)));
        // 7, 14, 21 Dec and the 9th (as its override): the 10th stays cancelled
        let far = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(
            expand_series(&new, &moved, utc(1, 0, 0), far, Stockholm).len(),
            4
        );
        // a date typed in the same edit is kept as typed
        let mut edit = m.clone();
        edit.time = new.time.clone();
        edit.rdates = vec![local(9, 9), local(12, 15)];
        shift_exceptions(&m, &mut edit, &[], utc(1, 0, 0));
        assert_eq!(edit.rdates, vec![local(9, 10), local(12, 15)]);
    }

    #[test]
    fn moving_the_first_part_of_a_split_series_moves_its_until() {
        // Daily at 09:00 from 1 Dec, split on 10 Dec: the first part ends by UNTIL one second
        // before 10 Dec 09:00.
        let mut m = timed(1, "Stand-up", utc(1, 8, 0), utc(1, 8, 15));
        m.rrule = Some("FREQ=DAILY".into());
        let at = |d: u32, h: u32| {
            NaiveDate::from_ymd_opt(2026, 12, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        // the form gives the occurrence split at, at its own time
        let mut at10 = m.clone();
        at10.time = EventTime::Timed {
            start: utc(10, 8, 0),
            end: utc(10, 8, 15),
            tz: Stockholm,
        };
        let split = change_following(&m, &[], at(10, 9), &at10, "2@t", utc(1, 0, 0)).unwrap();
        let first = split.update[0].clone();
        let far = utc(31, 0, 0);
        let starts = |e: &Event| -> Vec<DateTime<Utc>> {
            let lo = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
            expand(e, lo, far, Stockholm)
                .iter()
                .map(|o| o.start)
                .collect()
        };
        let before = starts(&first);
        assert_eq!(before.len(), 9);
        for d in [Duration::days(1), Duration::hours(-1), Duration::days(-2)] {
            let mut moved = first.clone();
            let s = utc(1, 8, 0) + d;
            moved.time = EventTime::Timed {
                start: s,
                end: s + Duration::minutes(15),
                tz: Stockholm,
            };
            // the second part, which names this one, among the rows (it starts on the 10th)
            let mut second = split.insert[0].clone();
            second.time = EventTime::Timed {
                start: utc(10, 8, 0),
                end: utc(10, 8, 15),
                tz: Stockholm,
            };
            let rows = std::slice::from_ref(&second);
            assert!(shift_exceptions(&first, &mut moved, rows, utc(2, 0, 0)).is_empty());
            // every day from the new start up to the day the second part starts, none on it:
            // a day later eight (the ninth would be on the 10th), an hour earlier the nine
            // (10 Dec 08:00 is that day), two days earlier eleven (29 Nov to 9 Dec)
            let ten = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
            let want: Vec<DateTime<Utc>> = (0..)
                .map(|k| s + Duration::days(k))
                .take_while(|t| t.with_timezone(&Stockholm).date_naive() < ten)
                .collect();
            let n = if d == Duration::days(1) {
                8
            } else if d == Duration::hours(-1) {
                9
            } else {
                11
            };
            assert_eq!(want.len(), n);
            assert_eq!(starts(&moved), want, "moved by {d}");
        }
        // an all-day series ending on a date, not split: it keeps its count either way (1, 8,
        // 15 Dec become 3, 10, 17 Dec or 29 Nov, 6, 13 Dec)
        let mut a = Event::new(
            "Off",
            EventTime::AllDay {
                start: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            },
            utc(1, 0, 0),
        );
        a.rrule = Some("FREQ=WEEKLY;UNTIL=20261215".into());
        let mut b = a.clone();
        b.time = EventTime::AllDay {
            start: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        };
        shift_exceptions(&a, &mut b, &[], utc(2, 0, 0));
        assert_eq!(b.rrule.as_deref(), Some("FREQ=WEEKLY;UNTIL=20261217"));
        let mut c = a.clone();
        c.time = EventTime::AllDay {
            start: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        };
        shift_exceptions(&a, &mut c, &[], utc(2, 0, 0));
        assert_eq!(c.rrule.as_deref(), Some("FREQ=WEEKLY;UNTIL=20261213"));
    }

    #[test]
    fn moving_the_first_part_of_a_weekday_series_keeps_its_count_not_its_span() {
        // Mondays at 10:00 from 30 Nov, split on 4 Jan: the first part is 30 Nov .. 28 Dec
        // (five Mondays), ending by UNTIL a second before 4 Jan 10:00.
        let nov30 = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
        let mut m = timed(1, "W", nov30, nov30 + Duration::hours(1));
        m.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
        let jan4 = NaiveDate::from_ymd_opt(2027, 1, 4)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let mut on_jan4 = m.clone();
        let j = Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).unwrap();
        on_jan4.time = EventTime::Timed {
            start: j,
            end: j + Duration::hours(1),
            tz: Stockholm,
        };
        let split = change_following(&m, &[], jan4, &on_jan4, "2@t", utc(1, 0, 0)).unwrap();
        let first = split.update[0].clone();
        let local_days = |e: &Event| -> Vec<String> {
            let lo = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
            let hi = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
            expand(e, lo, hi, Stockholm)
                .iter()
                .map(|o| {
                    o.start
                        .with_timezone(&Stockholm)
                        .format("%m-%d %H:%M")
                        .to_string()
                })
                .collect()
        };
        assert_eq!(
            local_days(&first),
            [
                "11-30 10:00",
                "12-07 10:00",
                "12-14 10:00",
                "12-21 10:00",
                "12-28 10:00"
            ]
        );
        // moved to start Tuesday 1 Dec: the rule keeps it on Mondays after that first day, and
        // the UNTIL moved a day later reached Monday 4 Jan, the second part's first meeting
        let mut moved = first.clone();
        moved.time = EventTime::Timed {
            start: utc(1, 9, 0),
            end: utc(1, 10, 0),
            tz: Stockholm,
        };
        shift_exceptions(&first, &mut moved, &[], utc(2, 0, 0));
        assert_eq!(
            local_days(&moved),
            [
                "12-01 10:00",
                "12-07 10:00",
                "12-14 10:00",
                "12-21 10:00",
                "12-28 10:00"
            ]
        );
        // and a week earlier it keeps five, ending a week earlier
        let mut earlier = first.clone();
        earlier.time = EventTime::Timed {
            start: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
            tz: Stockholm,
        };
        shift_exceptions(&first, &mut earlier, &[], utc(2, 0, 0));
        assert_eq!(local_days(&earlier).len(), 5);
        assert_eq!(local_days(&earlier).last().unwrap(), "12-21 10:00");
    }

    #[test]
    fn a_new_rule_zone_or_an_override_is_no_series_move() {
        let (m, overrides) = weekly_with_exceptions();
        let later = |e: &Event| {
            let mut n = e.clone();
            n.time = EventTime::Timed {
                start: utc(7, 9, 0),
                end: utc(7, 10, 0),
                tz: Stockholm,
            };
            n
        };
        let mut rule = later(&m);
        rule.rrule = Some("FREQ=WEEKLY;COUNT=6;BYDAY=TU".into());
        let mut zone = m.clone();
        zone.time = EventTime::Timed {
            start: utc(7, 8, 0),
            end: utc(7, 9, 0),
            tz: chrono_tz::Europe::London,
        };
        for mut new in [rule, zone, m.clone()] {
            assert_eq!(series_move(&m, &new), None);
            let before = new.exdates.clone();
            assert!(shift_exceptions(&m, &mut new, &overrides, utc(1, 0, 0)).is_empty());
            assert_eq!(new.exdates, before);
        }
        assert_eq!(series_move(&overrides[0], &later(&overrides[0])), None);
    }

    #[test]
    fn edit_following_from_the_first_occurrence_keeps_and_moves_the_series_exceptions() {
        let (m, overrides) = weekly_with_exceptions();
        let first = expand(&m, utc(7, 0, 0), utc(8, 0, 0), Stockholm).remove(0);
        let mut edited = occurrence_event(&m, &first);
        assert!(
            edited.exdates.is_empty(),
            "the form starts from the occurrence"
        );
        edited.rrule = None; // the rule as it is
        edited.time = EventTime::Timed {
            start: utc(7, 9, 0),
            end: utc(7, 10, 0),
            tz: Stockholm,
        };
        let ch =
            change_following(&m, &overrides, local(7, 9), &edited, "n@t", utc(1, 0, 0)).unwrap();
        assert!(ch.insert.is_empty());
        assert_eq!(ch.update[0].id, 1);
        assert_eq!(ch.update[0].exdates, vec![local(14, 10), local(28, 10)]);
        let ids: Vec<i64> = ch.update[1..].iter().map(|o| o.id).collect();
        assert_eq!(ids, [9, 8]);
    }

    #[test]
    fn occurrences_in_applies_overrides_and_keeps_orphans() {
        let m = weekly_count(3);
        let mut o = m.clone();
        o.id = 2;
        o.rrule = None;
        o.recurrence_id = Some(local(14, 9));
        o.title = "Moved".into();
        o.time = EventTime::Timed {
            start: utc(15, 8, 0),
            end: utc(15, 9, 0),
            tz: Stockholm,
        };
        let mut orphan = timed(3, "Orphan", utc(20, 8, 0), utc(20, 9, 0));
        orphan.recurrence_id = Some(local(20, 9));
        let events = vec![m, o, orphan];
        let got: Vec<(i64, String)> = occ_pairs(&events)
            .iter()
            .map(|(o, e)| (o.event_id, e.title.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (1, "Staff".to_string()),
                (2, "Moved".to_string()),
                (3, "Orphan".to_string()),
                (1, "Staff".to_string())
            ]
        );
    }
}
