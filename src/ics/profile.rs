//! Export profiles. The standard file uses everything RFC 5545 offers (overrides with
//! RECURRENCE-ID, RDATE, BYSETPOS...). Some clients read less: calcurse 4.7 keeps both the
//! series' instance and the moved copy of an overridden occurrence, ignores RDATE, BYSETPOS,
//! BYYEARDAY, BYWEEKNO, BYHOUR/BYMINUTE/BYSECOND and WKST, converts a TZID to its own zone once
//! at import (so a series whose offset to the viewer's zone changes drifts), and refuses a
//! series whose first day in its own zone is not the day it sees. The calcurse profile writes
//! what such a client reads the same way we do: overrides and RDATE instances become events of
//! their own (stable UIDs derived from the series' UID and the occurrence), excluded from the
//! series by EXDATE; series it cannot follow become single events over the export window.
use crate::domain::recurrence::{Freq, expand, parse_rrule};
use crate::domain::{Event, EventStatus, EventTime};
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Which readers the file is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// RFC 5545 with overrides (RECURRENCE-ID), RDATE and every rule part: Outlook, Google,
    /// Apple, Thunderbird, khal.
    #[default]
    Standard,
    /// For calcurse (and other readers without overrides, RDATE or BYSETPOS): overrides become
    /// their own events, rules it cannot follow are expanded over the export window.
    Calcurse,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Standard => "standard",
            Profile::Calcurse => "calcurse",
        }
    }
}

/// The UID an occurrence gets when it is written as an event of its own: the series' UID and
/// the occurrence's original local start, so re-exports update it rather than duplicate it.
pub fn occurrence_uid(series_uid: &str, rid: NaiveDateTime) -> String {
    format!("{series_uid}-{}", rid.format("%Y%m%dT%H%M%S"))
}

/// The property that marks what the calcurse profile wrote from a series (the series itself
/// with calcurse's exceptions, and its occurrences as events of their own); its value is the
/// series' UID. Importing such an item back while we hold that series would duplicate it.
pub const DERIVED_PROP: &str = "X-SECRETAIRE-CALCURSE-OF";

/// `e` marked as written for calcurse from the series `series_uid`.
fn mark(mut e: Event, series_uid: &str) -> Event {
    let line = format!("{DERIVED_PROP}:{}", super::line::escape_text(series_uid));
    e.extra_ics = if e.extra_ics.is_empty() {
        line
    } else {
        format!("{line}\n{}", e.extra_ics)
    };
    e
}

/// Whether a numbered weekday can be missing from some period of the rule: the 5th (or 5th
/// from last) in a month, the 53rd in a year.
fn may_be_absent(rule: &crate::domain::recurrence::Rule, n: i32) -> bool {
    let in_month = rule.freq == Freq::Monthly || !rule.by_month.is_empty();
    n.abs() >= if in_month { 5 } else { 53 }
}

/// calcurse 4.7 stops reading a rule's BYDAY list for a period at the first numbered weekday
/// that period does not have (`BYDAY=5MO,-1FR` skips the last Friday of every month without a
/// fifth Monday, and refuses the series outright when its first month has none), so it
/// follows a rule with at most one such weekday, written last. The rule as calcurse should
/// get it, or None when it cannot follow it.
///
/// calcurse reads `FREQ=YEARLY;BYMONTHDAY=15` without BYMONTH as the 15th of DTSTART's month
/// once a year, where it is the 15th of every month: that rule is written monthly (one that
/// also has BYDAY, BYYEARDAY, BYSETPOS or an INTERVAL cannot be, and is not followed). It
/// spins forever on a monthly rule with a day from the end that some month lacks
/// (`BYMONTHDAY=-29`, `-30`, `-31`; a yearly rule with BYMONTH it reads right): not followed.
fn calcurse_rule(rrule: &str, time: &EventTime) -> Option<String> {
    let mut text = super::export::normalize_rrule(rrule, time);
    let mut rule = parse_rrule(&text).ok()?;
    if rule.freq == Freq::Yearly && rule.by_month.is_empty() && !rule.by_month_day.is_empty() {
        if rule.interval != 1
            || !rule.by_day.is_empty()
            || !rule.by_year_day.is_empty()
            || !rule.by_set_pos.is_empty()
        {
            return None;
        }
        rule.freq = Freq::Monthly;
        text = text
            .split(';')
            .map(|p| {
                if p == "FREQ=YEARLY" {
                    "FREQ=MONTHLY"
                } else {
                    p
                }
            })
            .collect::<Vec<_>>()
            .join(";");
    }
    if rule.freq == Freq::Monthly && rule.by_month_day.iter().any(|d| *d < -28) {
        return None;
    }
    type Days = Vec<(i32, Weekday)>;
    let (absent, present): (Days, Days) = rule
        .by_day
        .iter()
        .partition(|(n, _)| *n != 0 && may_be_absent(&rule, *n));
    if absent.len() > 1 {
        return None;
    }
    if absent.is_empty() {
        return Some(text);
    }
    rule.by_day = present.into_iter().chain(absent).collect();
    // Same parts, the list reordered (the UNTIL normalize_rrule wrote is kept).
    Some(
        text.split(';')
            .map(|p| {
                if p.starts_with("BYDAY=") {
                    let days: Vec<String> = rule
                        .by_day
                        .iter()
                        .map(|(n, d)| format!("{n}{}", crate::domain::recurrence::weekday_code(*d)))
                        .collect();
                    format!("BYDAY={}", days.join(","))
                } else {
                    p.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// Whether calcurse, running in `viewer`, repeats `series` (RDATEs aside) on the same
/// instants as we do over `window`.
pub fn calcurse_repeats(
    series: &Event,
    viewer: Tz,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> bool {
    // calcurse refuses a series whose start its rule does not make ("rrule does not match
    // start day"): what the export could not move to the rule's first start (none within
    // fifty years) is written out.
    if super::export::starts_on_rule(series) != Some(true) {
        return false;
    }
    // calcurse reads a repeating all-day item as one day each time ("Conf" on 8-9 Dec every
    // year showed on the 8th only); a single one over several days it shows whole (as a daily
    // run), so such a series is written out one by one.
    if let EventTime::AllDay { start, end } = &series.time
        && end > start
    {
        return false;
    }
    // The rule as calcurse would get it (normalised as every export writes it).
    let Some(text) = series
        .rrule
        .as_deref()
        .and_then(|r| calcurse_rule(r, &series.time))
    else {
        return false;
    };
    let Ok(rule) = parse_rrule(&text) else {
        return false;
    };
    if !rule.by_set_pos.is_empty()
        || !rule.by_year_day.is_empty()
        || !rule.by_hour.is_empty()
        || !rule.by_minute.is_empty()
        || !rule.by_second.is_empty()
    {
        return false;
    }
    // calcurse counts weeks from Monday.
    if rule.freq == Freq::Weekly
        && rule.interval > 1
        && rule.wkst != Weekday::Mon
        && rule.by_day.len() > 1
    {
        return false;
    }
    let EventTime::Timed { start, tz, .. } = &series.time else {
        return true; // dates have no zone
    };
    if *tz == viewer {
        return true;
    }
    // calcurse keeps the wall time DTSTART has in its zone: every occurrence must have that
    // wall time there, on the day it has in the event's own zone.
    let first = start.with_timezone(&viewer).time();
    let mut plain = series.clone();
    plain.rdates.clear();
    plain.recurrence_id = None;
    // At least a year: the weeks where two zones' summer times differ come once a year.
    let to = window.1.max(window.0 + Duration::days(400));
    expand(&plain, window.0.min(*start), to, viewer)
        .iter()
        .all(|o| {
            let seen = o.start.with_timezone(&viewer);
            let own = o.start.with_timezone(tz);
            seen.time() == first && seen.date_naive() == own.date_naive()
        })
}

/// Whether the series' rule ends before it makes a second start (COUNT=1, or an UNTIL before
/// the next start: what a split can leave), so DTSTART is its one instance.
fn only_start(series: &Event) -> bool {
    use crate::domain::recurrence::{Until, next_after};
    let Some(Ok(rule)) = series.rrule.as_deref().map(parse_rrule) else {
        return false;
    };
    if !series.rdates.is_empty() {
        return false;
    }
    if rule.count == Some(1) {
        return true;
    }
    let Some(until) = rule.until else {
        return false;
    };
    let mut open = series.clone();
    open.rrule = series.rrule.as_deref().map(super::export::without_end);
    open.exdates.clear();
    let tz = crate::domain::recurrence::event_zone(series);
    let start = series.time.start_in(tz);
    let Some(next) = next_after(&open, start + Duration::seconds(1), tz) else {
        return false;
    };
    let local = next
        .recurrence_id
        .unwrap_or_else(|| next.start.with_timezone(&tz).naive_local());
    match until {
        Until::Date(d) => local.date() > d,
        Until::Local(n) => local > n,
        Until::Utc(t) => match &series.time {
            EventTime::Timed { .. } => next.start > t,
            EventTime::AllDay { .. } => local.date() > t.date_naive(),
        },
    }
}

/// The series' RRULE with COUNT replaced by an UNTIL at its last occurrence (None: no COUNT).
fn count_as_until(series: &Event) -> Option<String> {
    let rrule = series.rrule.as_deref()?;
    parse_rrule(rrule).ok()?.count?;
    let mut all = series.clone();
    all.exdates.clear();
    all.rdates.clear();
    let first = crate::domain::recurrence::local_start(&all).date();
    let last = *crate::domain::recurrence::local_starts(
        &all,
        first,
        first.checked_add_signed(Duration::days(200 * 366))?,
    )
    .last()?;
    let until = match &series.time {
        EventTime::AllDay { .. } => last.format("%Y%m%d").to_string(),
        EventTime::Timed { tz, .. } => super::parse::local_to_utc(last, *tz)
            .format("%Y%m%dT%H%M%SZ")
            .to_string(),
    };
    Some(
        rrule
            .split(';')
            .map(|p| {
                if p.split('=')
                    .next()
                    .is_some_and(|k| k.trim().eq_ignore_ascii_case("COUNT"))
                {
                    format!("UNTIL={until}")
                } else {
                    p.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// One occurrence of `series` (its original local start `rid`) as an event of its own.
fn single(series: &Event, rid: NaiveDateTime, start: DateTime<Utc>, end: DateTime<Utc>) -> Event {
    let mut e = series.clone();
    e.uid = occurrence_uid(&series.uid, rid);
    e.rrule = None;
    e.rdates.clear();
    e.exdates.clear();
    e.recurrence_id = None;
    e.time = match &series.time {
        EventTime::Timed { tz, .. } => EventTime::Timed {
            start,
            end,
            tz: *tz,
        },
        EventTime::AllDay { start: s, end: e_ } => {
            let d = rid.date();
            EventTime::AllDay {
                start: d,
                end: d.checked_add_signed(*e_ - *s).unwrap_or(d),
            }
        }
    };
    e
}

/// An override as an event of its own.
fn detached(o: &Event, series_uid: &str) -> Option<Event> {
    let rid = o.recurrence_id?;
    let mut e = o.clone();
    e.uid = occurrence_uid(series_uid, rid);
    e.recurrence_id = None;
    e.rrule = None;
    e.rdates.clear();
    e.exdates.clear();
    Some(e)
}

/// The wall times calcurse running in `viewer` has to be given for an item from `start` to
/// `end`, when the item's own zone will not do; None when it will. calcurse turns DTSTART and
/// the end into wall times of its zone and refuses its whole file when the end's is before the
/// start's (30 minutes from 02:45 summer time on the autumn night is `02:45 -> 02:15`), and
/// reads a wall time of the repeated hour as either of the two. Such an item gets floating
/// wall times in `viewer`: the start's, and the end's unless that is not later than the start
/// (then the start plus the item's length, so it keeps its length). A point in time (`end`
/// not after `start`) keeps its start as its end.
pub fn calcurse_walls(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    viewer: Tz,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let s = start.with_timezone(&viewer).naive_local();
    let e = end.with_timezone(&viewer).naive_local();
    let repeated =
        |n: &NaiveDateTime| matches!(viewer.from_local_datetime(n), LocalResult::Ambiguous(..));
    if !(repeated(&s) || (end > start && (repeated(&e) || e <= s))) {
        return None;
    }
    let len = (end - start).max(Duration::zero());
    Some((s, if e > s { e } else { s + len }))
}

/// A series the calcurse profile wrote out one by one over its window although it has
/// occurrences outside it (calcurse could not follow its rule): those are not in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutoff {
    pub uid: String,
    pub title: String,
    /// It has occurrences before the window.
    pub earlier: bool,
    /// It has occurrences after the window: the first one when within ten years.
    pub later: bool,
    pub next: Option<DateTime<Utc>>,
}

/// The occurrences of `series` outside `window`, as a [`Cutoff`] (None: there are none).
fn cutoff(series: &Event, window: (DateTime<Utc>, DateTime<Utc>), viewer: Tz) -> Option<Cutoff> {
    use crate::domain::recurrence::{event_zone, local_start, local_starts, next_after};
    let tz = event_zone(series);
    let earlier = super::parse::local_to_utc(local_start(series), tz) < window.0
        && !expand(series, series.time.start_in(tz), window.0, viewer).is_empty();
    let next = next_after(series, window.1, viewer).map(|o| o.start);
    // A rule sparser than ten years (the fifth Sunday of February) may still go on.
    let later = next.is_some() || {
        let from = window.1.with_timezone(&tz).naive_local();
        let to = from.date().checked_add_signed(Duration::days(50 * 366));
        to.is_some_and(|to| {
            local_starts(series, from.date(), to)
                .iter()
                .any(|s| *s >= from)
        })
    };
    (earlier || later).then(|| Cutoff {
        uid: series.uid.clone(),
        title: series.title.clone(),
        earlier,
        later,
        next,
    })
}

/// The events of a calendar rewritten for calcurse running in `viewer` (see the module
/// documentation). `window` bounds the series that have to be written out one by one.
pub fn for_calcurse(
    events: &[Event],
    window: (DateTime<Utc>, DateTime<Utc>),
    viewer: Tz,
) -> Vec<Event> {
    for_calcurse_noting(events, window, viewer).0
}

/// [`for_calcurse`], with the series whose occurrences outside the window are left out.
pub fn for_calcurse_noting(
    events: &[Event],
    window: (DateTime<Utc>, DateTime<Utc>),
    viewer: Tz,
) -> (Vec<Event>, Vec<Cutoff>) {
    let mut cutoffs = Vec::new();
    let mut overrides: HashMap<&str, Vec<&Event>> = HashMap::new();
    let mut masters: HashMap<&str, &Event> = HashMap::new();
    for e in events {
        if e.recurrence_id.is_some() {
            overrides.entry(e.uid.as_str()).or_default().push(e);
        } else {
            masters.insert(e.uid.as_str(), e);
        }
    }
    let mut out = Vec::new();
    for e in events {
        let mine = overrides.get(e.uid.as_str()).cloned().unwrap_or_default();
        if e.recurrence_id.is_some() {
            // An override without its series in the file: an event of its own.
            if !masters.contains_key(e.uid.as_str())
                && e.status != EventStatus::Cancelled
                && let Some(d) = detached(e, &e.uid)
            {
                out.push(mark(d, &e.uid));
            }
            continue;
        }
        if e.rrule.is_none() && e.rdates.is_empty() {
            // Written with floating wall times (see calcurse_walls): importing it back here
            // would move an item of the repeated hour to its first instance.
            match &e.time {
                EventTime::Timed { start, end, .. }
                    if calcurse_walls(*start, *end, viewer).is_some() =>
                {
                    out.push(mark(e.clone(), &e.uid))
                }
                _ => out.push(e.clone()),
            }
            continue;
        }
        let mut m = super::export::sync_dtstart(e).unwrap_or_else(|| e.clone());
        if only_start(&m) {
            m.rrule = None;
        }
        if !crate::domain::recurrence::is_recurring(&m) {
            // Only the start is left (COUNT=1 from a day the rule does not have, an UNTIL
            // before the start): the single event the standard export writes too, or what
            // replaces it.
            let rid = crate::domain::recurrence::local_start(&m);
            match mine.iter().find(|o| o.recurrence_id == Some(rid)) {
                Some(o) if o.status == EventStatus::Cancelled => {}
                Some(o) => out.extend(detached(o, &e.uid).map(|d| mark(d, &e.uid))),
                None => out.push(m),
            }
            continue;
        }
        let overridden = |rid: NaiveDateTime| mine.iter().any(|o| o.recurrence_id == Some(rid));
        let dur = match &m.time {
            EventTime::Timed { start, end, .. } => *end - *start,
            EventTime::AllDay { .. } => Duration::zero(),
        };
        let at = |rid: NaiveDateTime| -> (DateTime<Utc>, DateTime<Utc>) {
            let tz = crate::domain::recurrence::event_zone(&m);
            let s = super::parse::local_to_utc(rid, tz);
            (s, s + dur)
        };
        if m.rrule.is_some() && calcurse_repeats(&m, viewer, window) {
            let mut series = m.clone();
            series.rdates.clear();
            for o in &mine {
                if let Some(rid) = o.recurrence_id
                    && !series.exdates.contains(&rid)
                {
                    series.exdates.push(rid);
                }
            }
            series.exdates.sort();
            // calcurse does not count excluded dates towards COUNT (RFC 5545 does): end the
            // series at its last occurrence instead.
            if !series.exdates.is_empty()
                && let Some(until) = count_as_until(&series)
            {
                series.rrule = Some(until);
            }
            series.rrule = series
                .rrule
                .as_deref()
                .and_then(|r| calcurse_rule(r, &series.time));
            out.push(mark(series, &e.uid));
            for r in m
                .rdates
                .iter()
                .filter(|r| !m.exdates.contains(r) && !overridden(**r))
            {
                let (s, e_) = at(*r);
                out.push(mark(single(&m, *r, s, e_), &e.uid));
            }
        } else {
            // Written out one by one over the window.
            let mut plain = m.clone();
            plain.recurrence_id = None;
            if m.rrule.is_some() {
                cutoffs.extend(cutoff(&plain, window, viewer));
            }
            for occ in expand(&plain, window.0, window.1, viewer) {
                let Some(rid) = occ.recurrence_id else {
                    continue;
                };
                if overridden(rid) {
                    continue;
                }
                let (s, e_) = match &m.time {
                    EventTime::Timed { .. } => (occ.start, occ.end),
                    EventTime::AllDay { .. } => at(rid),
                };
                out.push(mark(single(&m, rid, s, e_), &e.uid));
            }
        }
        for o in mine {
            if o.status != EventStatus::Cancelled
                && let Some(d) = detached(o, &e.uid)
            {
                out.push(mark(d, &e.uid));
            }
        }
    }
    (out, cutoffs)
}
