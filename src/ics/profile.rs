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
use chrono::{DateTime, Duration, NaiveDateTime, Utc, Weekday};
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

/// Whether calcurse, running in `viewer`, repeats `series` (RDATEs aside) on the same
/// instants as we do over `window`.
pub fn calcurse_repeats(
    series: &Event,
    viewer: Tz,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> bool {
    let Some(Ok(rule)) = series.rrule.as_deref().map(parse_rrule) else {
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

/// The events of a calendar rewritten for calcurse running in `viewer` (see the module
/// documentation). `window` bounds the series that have to be written out one by one.
pub fn for_calcurse(
    events: &[Event],
    window: (DateTime<Utc>, DateTime<Utc>),
    viewer: Tz,
) -> Vec<Event> {
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
                out.push(d);
            }
            continue;
        }
        if e.rrule.is_none() && e.rdates.is_empty() {
            out.push(e.clone());
            continue;
        }
        let m = super::export::sync_dtstart(e).unwrap_or_else(|| e.clone());
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
            out.push(series);
            for r in m
                .rdates
                .iter()
                .filter(|r| !m.exdates.contains(r) && !overridden(**r))
            {
                let (s, e_) = at(*r);
                out.push(single(&m, *r, s, e_));
            }
        } else {
            // Written out one by one over the window.
            let mut plain = m.clone();
            plain.recurrence_id = None;
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
                out.push(single(&m, rid, s, e_));
            }
        }
        for o in mine {
            if o.status != EventStatus::Cancelled
                && let Some(d) = detached(o, &e.uid)
            {
                out.push(d);
            }
        }
    }
    out
}
