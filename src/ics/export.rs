//! Domain -> RFC 5545 text. Pure: the caller passes the records, a contact lookup and `now`.
use super::line::{LineWriter, parse_line};
use super::tz::write_vtimezone;
use crate::domain::schedule::Revision;
use crate::domain::{
    Contact, Due, Event, EventCategory, EventStatus, EventTime, Segment, SegmentKind,
    SegmentStatus, Task, TaskStatus,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};

pub const PRODID: &str = "-//secretaire//secretaire 0.1//EN";

/// Calendar-wide choices.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Written as X-WR-CALNAME when set.
    pub calendar_name: Option<String>,
    /// Which readers the file is for (see [`super::profile`]).
    pub profile: super::Profile,
    /// The calcurse profile: the span over which series it cannot follow are written out one
    /// by one, and the zone calcurse runs in. Default: a year back and two ahead of `now`,
    /// in UTC.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub viewer: Option<Tz>,
    /// SEQUENCE/LAST-MODIFIED of travel segments and tasks by row id (the store keeps them;
    /// a missing one is written as SEQUENCE:0 without LAST-MODIFIED).
    pub segment_revisions: HashMap<i64, Revision>,
    pub task_revisions: HashMap<i64, Revision>,
}

/// SEQUENCE and, when known, LAST-MODIFIED.
fn revision_props(w: &mut LineWriter, r: Option<&Revision>) {
    let r = r.copied().unwrap_or_default();
    if let Some(m) = r.modified {
        w.raw(&format!("LAST-MODIFIED:{}", utc_stamp(m)));
    }
    w.raw(&format!("SEQUENCE:{}", r.sequence));
}

/// Properties the exporter writes itself: an `extra_ics` line with one of these names is not
/// written again (a calendar item has one of each).
pub(crate) const OWN_PROPS: &[&str] = &[
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "STATUS",
    "SEQUENCE",
    "CREATED",
    "LAST-MODIFIED",
    "RRULE",
    "RECURRENCE-ID",
    "X-SECRETAIRE-CATEGORY",
    "X-SECRETAIRE-SUMMARY-PARAMS",
    "X-SECRETAIRE-LOCATION-PARAMS",
    "X-SECRETAIRE-DESCRIPTION-PARAMS",
];

/// The TEXT properties we model whose parameters (LANGUAGE, ALTREP, X-...) we do not: the
/// importer keeps them in `extra_ics` as `X-SECRETAIRE-<NAME>-PARAMS;<params>:` and the
/// exporter puts them back on the property.
pub(crate) const TEXT_WITH_PARAMS: &[&str] = &["SUMMARY", "LOCATION", "DESCRIPTION"];

/// The name of the `extra_ics` line holding a property's kept parameters.
pub(crate) fn params_line_name(prop: &str) -> String {
    format!("X-SECRETAIRE-{prop}-PARAMS")
}

/// The kept parameters of `prop` (see [`TEXT_WITH_PARAMS`]).
fn kept_params(extra: &str, prop: &str) -> Vec<(String, String)> {
    let name = params_line_name(prop);
    extra
        .lines()
        .filter_map(|l| parse_line(0, l.trim_end_matches('\r')).ok())
        .find(|p| p.name == name)
        .map(|p| {
            p.params
                .into_iter()
                .filter(|(k, _)| !p.bad_params.iter().any(|(b, _)| b == k))
                .map(|(k, v)| (k, v.join(",")))
                .collect()
        })
        .unwrap_or_default()
}

/// A TEXT property with the parameters kept for it.
fn text_prop(w: &mut LineWriter, name: &str, value: &str, extra: &str) {
    let params = kept_params(extra, name);
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    w.prop(name, &refs, &super::line::escape_text(value));
}

/// How a category is named in CATEGORIES.
pub fn category_label(c: EventCategory) -> &'static str {
    match c {
        EventCategory::Meeting => "Meeting",
        EventCategory::Appointment => "Appointment",
        EventCategory::Call => "Call",
        EventCategory::Deadline => "Deadline",
        EventCategory::PrivateBlock => "Private",
        EventCategory::Other => "Other",
    }
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Which zones are used and over which years (for the VTIMEZONE blocks).
#[derive(Default)]
struct ZoneUse(BTreeMap<String, (Tz, i32, i32)>);

impl ZoneUse {
    fn note(&mut self, tz: Tz, year: i32) {
        if tz == chrono_tz::UTC {
            return;
        }
        let e = self
            .0
            .entry(tz.name().to_string())
            .or_insert((tz, year, year));
        e.1 = e.1.min(year);
        e.2 = e.2.max(year);
    }
}

/// A date-time property in the frame of an event: `Z` for UTC, TZID otherwise, VALUE=DATE for
/// all-day items.
fn dt_prop(w: &mut LineWriter, name: &str, naive: NaiveDateTime, frame: Frame) {
    match frame {
        Frame::Date => w.prop(
            name,
            &[("VALUE", "DATE")],
            &naive.date().format("%Y%m%d").to_string(),
        ),
        Frame::Zone(tz) if tz == chrono_tz::UTC => {
            w.prop(name, &[], &naive.format("%Y%m%dT%H%M%SZ").to_string())
        }
        Frame::Zone(tz) => w.prop(
            name,
            &[("TZID", tz.name())],
            &naive.format("%Y%m%dT%H%M%S").to_string(),
        ),
        Frame::Floating => w.prop(name, &[], &naive.format("%Y%m%dT%H%M%S").to_string()),
    }
}

/// The parameter that names the zone of a date-time written in UTC because its wall time is
/// the second of two (see [`instant_prop`]): importing it back keeps the item in that zone.
pub const ZONE_PARAM: &str = "X-SECRETAIRE-TZID";

/// The date-time `t` of a single item (not a series' start, whose wall time the rule repeats)
/// in `tz`, as a wall time with TZID; in UTC, its zone named by [`ZONE_PARAM`], when that wall
/// time is the second of two, so that every reader gets the instant.
fn instant_prop(w: &mut LineWriter, name: &str, t: DateTime<Utc>, tz: Tz) {
    if crate::domain::when::second_of_two(t, tz) {
        w.prop(name, &[(ZONE_PARAM, tz.name())], &utc_stamp(t));
    } else {
        dt_prop(w, name, naive_in(t, tz), Frame::Zone(tz));
    }
}

#[derive(Clone, Copy)]
enum Frame {
    Date,
    Zone(Tz),
    /// A wall time without a zone (only the calcurse profile writes these).
    Floating,
}

fn frame_of(t: &EventTime) -> Frame {
    match t {
        EventTime::AllDay { .. } => Frame::Date,
        EventTime::Timed { tz, .. } => Frame::Zone(*tz),
    }
}

fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

/// Rule parts rewritten so that python-dateutil (khal, recurring-ical-events) reads them as
/// RFC 5545 (and we) do: plain weekdays mixed with numbered ones in a month (`BYDAY=MO,-1FR`,
/// which dateutil intersects) become numbered ones (`1MO,...,5MO,-1FR`); BYSETPOS in a weekly
/// rule (which dateutil applies to the first week cut at DTSTART) becomes the weekdays it
/// picks; a weekday numbered 10 or more in a year (`20MO`, which crashed khal) becomes the
/// days of the year it can fall on (`BYYEARDAY=134,...,140;BYDAY=MO`). The rule comes back in
/// its canonical spelling.
fn dateutil_safe(rrule: &str, time: &EventTime) -> String {
    use crate::domain::recurrence::{Freq, format_rule, parse_rrule};
    let Ok(mut rule) = parse_rrule(rrule) else {
        return rrule.to_string();
    };
    let in_month =
        rule.freq == Freq::Monthly || (rule.freq == Freq::Yearly && !rule.by_month.is_empty());
    let mixed =
        rule.by_day.iter().any(|(n, _)| *n == 0) && rule.by_day.iter().any(|(n, _)| *n != 0);
    let weekly_setpos = rule.freq == Freq::Weekly
        && !rule.by_set_pos.is_empty()
        && rule.by_month.is_empty()
        && rule.by_hour.is_empty()
        && rule.by_minute.is_empty()
        && rule.by_second.is_empty();
    let in_year = rule.freq == Freq::Yearly && rule.by_month.is_empty();
    if mixed && in_month {
        rule.by_day = rule
            .by_day
            .iter()
            .flat_map(|(n, d)| {
                if *n == 0 {
                    (1..=5).map(|k| (k, *d)).collect::<Vec<_>>()
                } else {
                    vec![(*n, *d)]
                }
            })
            .collect();
    } else if weekly_setpos {
        // The week's days in order from WKST; the positions pick from them.
        let start_day = match time {
            EventTime::Timed { start, tz, .. } => start.with_timezone(tz).weekday(),
            EventTime::AllDay { start, .. } => start.weekday(),
        };
        let mut days: Vec<chrono::Weekday> = if rule.by_day.is_empty() {
            vec![start_day]
        } else {
            rule.by_day.iter().map(|(_, d)| *d).collect()
        };
        let rank = |d: &chrono::Weekday| {
            (7 + d.num_days_from_monday() - rule.wkst.num_days_from_monday()) % 7
        };
        days.sort_by_key(rank);
        days.dedup();
        let n = days.len() as i32;
        let mut picked: Vec<chrono::Weekday> = rule
            .by_set_pos
            .iter()
            .filter_map(|p| {
                let i = if *p > 0 { p - 1 } else { n + p };
                (0..n).contains(&i).then(|| days[i as usize])
            })
            .collect();
        picked.sort_by_key(rank);
        picked.dedup();
        if picked.is_empty() {
            return rrule.to_string();
        }
        rule.by_day = picked.into_iter().map(|d| (0, d)).collect();
        rule.by_set_pos.clear();
    } else if in_year
        && !mixed
        && rule.by_year_day.is_empty()
        && rule.by_day.iter().any(|(n, _)| n.abs() >= 10)
        && rule.by_day.iter().all(|(_, d)| *d == rule.by_day[0].1)
    {
        // The n-th weekday of a year is on one of the days 7n-6..7n (from the end for n < 0).
        let mut days: Vec<i32> = Vec::new();
        for (n, _) in &rule.by_day {
            let hi = (7 * n.abs()).min(366);
            let lo = (7 * n.abs() - 6).min(366);
            days.extend((lo..=hi).map(|x| if *n < 0 { -x } else { x }));
        }
        days.sort_by_key(|x| (*x < 0, x.abs()));
        days.dedup();
        rule.by_year_day = days;
        rule.by_day = vec![(0, rule.by_day[0].1)];
    }
    format_rule(&rule)
}

/// RRULE with UNTIL in the form RFC 5545 wants: UTC when DTSTART has a zone, a DATE when
/// DTSTART is a DATE, and the parts python-dateutil reads otherwise rewritten (see
/// [`dateutil_safe`]). Other parts are kept as written.
pub fn normalize_rrule(rrule: &str, time: &EventTime) -> String {
    // One spelling whoever wrote it (calcurse refuses lower-case names); a rule that does not
    // parse is left as it is.
    let canonical =
        crate::domain::recurrence::canonical_rrule(rrule).unwrap_or_else(|_| rrule.to_string());
    dateutil_safe(&canonical, time)
        .split(';')
        .map(|part| {
            let Some((k, v)) = part.split_once('=') else {
                return part.to_string();
            };
            if !k.eq_ignore_ascii_case("UNTIL") {
                return part.to_string();
            }
            let v = v.trim();
            let date = NaiveDate::parse_from_str(v.get(..8).unwrap_or(""), "%Y%m%d").ok();
            let Some(date) = date else {
                return part.to_string();
            };
            let time_part = v
                .get(9..15)
                .and_then(|t| chrono::NaiveTime::parse_from_str(t, "%H%M%S").ok());
            let is_utc = v.ends_with(['Z', 'z']);
            match time {
                EventTime::AllDay { .. } => format!("{k}={}", date.format("%Y%m%d")),
                EventTime::Timed { tz, .. } => {
                    let instant = match (time_part, is_utc) {
                        (Some(t), true) => Utc.from_utc_datetime(&date.and_time(t)),
                        (Some(t), false) => local_to_utc(date.and_time(t), *tz),
                        // A date: through the end of that day, local.
                        (None, _) => local_to_utc(
                            date.and_hms_opt(23, 59, 59)
                                .unwrap_or(date.and_time(chrono::NaiveTime::MIN)),
                            *tz,
                        ),
                    };
                    format!("{k}={}", utc_stamp(instant))
                }
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn until_year(rrule: &str) -> Option<i32> {
    rrule.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.eq_ignore_ascii_case("UNTIL") {
            v.get(..4)?.parse().ok()
        } else {
            None
        }
    })
}

/// `extra_ics` lines that are well-formed content lines, not one we write ourselves, and
/// with balanced BEGIN/END (no VEVENT/VCALENDAR/VTODO/VTIMEZONE blocks); properties first,
/// then sub-components, as RFC 5545 orders them.
pub(crate) fn sanitize_extra(extra: &str) -> Vec<String> {
    let mut props: Vec<String> = Vec::new();
    let mut blocks: Vec<String> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    for line in extra.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let Ok(p) = parse_line(0, line) else { continue };
        let v = p.value.trim().to_ascii_uppercase();
        match p.name.as_str() {
            "BEGIN" => {
                if ["VEVENT", "VCALENDAR", "VTODO", "VTIMEZONE", "VJOURNAL"].contains(&v.as_str())
                    || v.is_empty()
                {
                    continue;
                }
                stack.push((v, blocks.len()));
                blocks.push(line.to_string());
            }
            "END" => {
                if stack.last().is_some_and(|(n, _)| *n == v) {
                    stack.pop();
                    blocks.push(line.to_string());
                }
            }
            name => {
                if stack.is_empty() {
                    if !OWN_PROPS.contains(&name) {
                        props.push(line.to_string());
                    }
                } else {
                    blocks.push(line.to_string());
                }
            }
        }
    }
    if let Some((_, pos)) = stack.first() {
        blocks.truncate(*pos);
    }
    let mut seen: Vec<String> = Vec::new();
    props.retain(|l| {
        let Ok(p) = parse_line(0, l) else {
            return false;
        };
        if super::keep::event_prop_problem(&p).is_some()
            || (super::keep::once_only("VEVENT", &p.name) && seen.contains(&p.name))
        {
            return false;
        }
        seen.push(p.name);
        true
    });
    props.extend(super::parse::clean_blocks(&blocks));
    props
}

/// The RRULE without COUNT and UNTIL (to probe which starts the pattern produces).
pub(crate) fn without_end(rrule: &str) -> String {
    rrule
        .split(';')
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("").trim();
            !k.eq_ignore_ascii_case("COUNT") && !k.eq_ignore_ascii_case("UNTIL")
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn with_time(e: &Event, new_start: NaiveDateTime) -> Option<EventTime> {
    Some(match &e.time {
        EventTime::Timed { start, end, tz } => {
            let s = local_to_utc(new_start, *tz);
            EventTime::Timed {
                start: s,
                end: s.checked_add_signed(*end - *start)?,
                tz: *tz,
            }
        }
        EventTime::AllDay { start, end } => {
            let s = new_start.date();
            EventTime::AllDay {
                start: s,
                end: s.checked_add_signed(*end - *start)?,
            }
        }
    })
}

/// Whether a series' DTSTART is one of its rule's own starts (a Monday start for
/// `BYDAY=TU,TH` is not). None when `e` has no rule that parses, or is an override.
pub(crate) fn starts_on_rule(e: &Event) -> Option<bool> {
    use crate::domain::recurrence::{Freq, local_start, local_starts, parse_rrule};
    let rrule = e.rrule.as_deref()?;
    if e.recurrence_id.is_some() {
        return None;
    }
    let rule = parse_rrule(rrule).ok()?;
    let constrained = !(rule.by_day.is_empty()
        && rule.by_month_day.is_empty()
        && rule.by_month.is_empty()
        && rule.by_year_day.is_empty()
        && rule.by_set_pos.is_empty());
    if !constrained {
        return Some(true);
    }
    let dtstart = local_start(e);
    // Start the pattern one full period earlier: it produces DTSTART again iff DTSTART fits it.
    let n = rule.interval.max(1);
    let back = match rule.freq {
        Freq::Daily => dtstart.checked_sub_signed(Duration::days(n as i64)),
        Freq::Weekly => dtstart.checked_sub_signed(Duration::weeks(n as i64)),
        Freq::Monthly => dtstart.checked_sub_months(chrono::Months::new(n)),
        Freq::Yearly => dtstart.checked_sub_months(chrono::Months::new(12 * n)),
    }?;
    let mut probe = e.clone();
    probe.rrule = Some(without_end(rrule));
    probe.exdates.clear();
    probe.rdates.clear();
    probe.time = with_time(e, back)?;
    Some(local_starts(&probe, dtstart.date(), dtstart.date()).contains(&dtstart))
}

/// A series whose DTSTART is not one of its rule's own starts (a Monday start for
/// `BYDAY=TU,TH`) rewritten the way RFC 5545 can say it: DTSTART moved to the rule's first
/// start, the old DTSTART kept as an RDATE, COUNT lowered by one. RFC 5545 leaves an
/// unsynchronised DTSTART undefined and calcurse refuses it; the occurrences stay the same
/// (our expander counts DTSTART as the first instance). None when nothing needs rewriting.
pub fn sync_dtstart(e: &Event) -> Option<Event> {
    use crate::domain::recurrence::{local_start, local_starts, parse_rrule};
    let rrule = e.rrule.as_deref()?;
    if e.recurrence_id.is_some() {
        return None;
    }
    let rule = parse_rrule(rrule).ok()?;
    let dtstart = local_start(e);
    // A rule ending before DTSTART leaves DTSTART as the only instance for RFC 5545 (and us)
    // and none at all for python-dateutil: write the single event.
    let ends_before = match rule.until {
        Some(crate::domain::recurrence::Until::Date(d)) => d < dtstart.date(),
        Some(crate::domain::recurrence::Until::Local(n)) => n < dtstart,
        Some(crate::domain::recurrence::Until::Utc(t)) => match &e.time {
            EventTime::Timed { start, .. } => t < *start,
            EventTime::AllDay { .. } => t.date_naive() < dtstart.date(),
        },
        None => false,
    };
    if ends_before {
        let mut out = e.clone();
        out.rrule = None;
        return Some(out);
    }
    if starts_on_rule(e)? {
        return None;
    }
    // The rule's first own start after DTSTART (within the rule's end): five years ahead, or,
    // for a rule that sparse (the fifth Sunday of February: 2032, 2060...), up to fifty.
    let mut open = e.clone();
    open.exdates.clear();
    open.rdates.clear();
    let later_within = |years: i64| -> Option<Vec<NaiveDateTime>> {
        let horizon = dtstart
            .date()
            .checked_add_signed(Duration::days(years * 366))?;
        Some(
            local_starts(&open, dtstart.date(), horizon)
                .into_iter()
                .filter(|s| *s > dtstart)
                .collect(),
        )
    };
    let mut later = later_within(5)?;
    if later.is_empty() {
        later = later_within(50)?;
    }
    // A start that falls in a DST gap cannot be DTSTART: its wall time does not exist and
    // readers would shift the whole series to the time after the gap. Such starts stay
    // instances as RDATEs; DTSTART goes to the next start that exists.
    let exists = |n: &NaiveDateTime| match &e.time {
        EventTime::Timed { tz, .. } => local_to_utc(*n, *tz).with_timezone(tz).naive_local() == *n,
        EventTime::AllDay { .. } => true,
    };
    let skipped: Vec<NaiveDateTime> = later.iter().take_while(|n| !exists(n)).copied().collect();
    let first = later.iter().find(|n| exists(n)).copied();
    let count = rule
        .count
        .map(|c| c.saturating_sub(1 + skipped.len() as u32));
    let mut out = e.clone();
    let mut extra_rdates = vec![dtstart];
    match first {
        Some(first) if count != Some(0) => {
            out.time = with_time(e, first)?;
            let parts: Vec<String> = rrule
                .split(';')
                .map(|p| match (p.split_once('='), count) {
                    (Some((k, _)), Some(c)) if k.trim().eq_ignore_ascii_case("COUNT") => {
                        format!("{k}={c}")
                    }
                    _ => p.to_string(),
                })
                .collect();
            out.rrule = Some(parts.join(";"));
            extra_rdates.extend(&skipped);
        }
        _ => {
            if rule.count.is_none() && rule.until.is_none() {
                return None; // a start further out than we look: leave it
            }
            // The rule ends before its own first start (COUNT=1, an early UNTIL), or every
            // later start is in a gap: DTSTART and those are the instances.
            out.rrule = None;
            extra_rdates = skipped;
        }
    }
    for (i, r) in extra_rdates.into_iter().enumerate() {
        if !e.exdates.contains(&r) && !out.rdates.contains(&r) {
            out.rdates.insert(i.min(out.rdates.len()), r);
        }
    }
    Some(out)
}

fn trigger(minutes: u32) -> String {
    if minutes == 0 {
        "PT0S".to_string()
    } else if minutes.is_multiple_of(60 * 24) {
        format!("-P{}D", minutes / (60 * 24))
    } else if minutes.is_multiple_of(60) {
        format!("-PT{}H", minutes / 60)
    } else {
        format!("-PT{minutes}M")
    }
}

fn naive_in(t: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// An exact duration as RFC 5545 writes one (hours, minutes, seconds: never days or weeks,
/// which are nominal and change length across a clock change): `PT2H`, `PT26H30M`, `PT0S`.
pub(crate) fn exact_duration(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || secs == 0 {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// The end of a timed item that starts at `start`: DTEND in `tz`, unless that wall time is the
/// second of two (the autumn change: readers take the first, an hour early), in which case the
/// exact DURATION. A point in time (a deadline) gets `DURATION:PT0S` (DTEND must be
/// later than DTSTART, and readers give an event without an end an hour), or, for calcurse,
/// which refuses PT0S but reads no end as zero-length, nothing.
fn end_prop(
    w: &mut LineWriter,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    tz: Tz,
    profile: super::Profile,
) {
    if end <= start {
        if profile == super::Profile::Standard {
            w.raw("DURATION:PT0S");
        }
        return;
    }
    // Readers take the first of two equal wall times: DTEND is right unless the end is the
    // second one.
    if crate::domain::when::second_of_two(end, tz) {
        w.raw(&format!("DURATION:{}", exact_duration(end - start)));
    } else {
        dt_prop(w, "DTEND", naive_in(end, tz), Frame::Zone(tz));
    }
}

/// Floating wall times for calcurse (see `profile::calcurse_walls`): DTSTART, and DTEND
/// unless the item is a point in time.
fn floating_props(w: &mut LineWriter, start: NaiveDateTime, end: NaiveDateTime) {
    w.prop("DTSTART", &[], &start.format("%Y%m%dT%H%M%S").to_string());
    if end > start {
        w.prop("DTEND", &[], &end.format("%Y%m%dT%H%M%S").to_string());
    }
}

/// An RRULE written for a floating DTSTART in `viewer`: its UTC UNTIL as a wall time there
/// (RFC 5545: UNTIL is floating when DTSTART is).
fn floating_rule(rrule: &str, viewer: Tz) -> String {
    rrule
        .split(';')
        .map(|p| {
            match p
                .strip_prefix("UNTIL=")
                .and_then(|v| NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%SZ").ok())
            {
                Some(u) => format!(
                    "UNTIL={}",
                    Utc.from_utc_datetime(&u)
                        .with_timezone(&viewer)
                        .format("%Y%m%dT%H%M%S")
                ),
                None => p.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

#[allow(clippy::too_many_arguments)]
fn write_event(
    w: &mut LineWriter,
    e: &Event,
    series: Option<&Event>,
    contacts: &dyn Fn(i64) -> Option<Contact>,
    profile: super::Profile,
    viewer: Tz,
    now: DateTime<Utc>,
) {
    w.raw("BEGIN:VEVENT");
    if e.uid.trim().is_empty() {
        w.text("UID", &format!("event-{}@secretaire", e.id));
    } else {
        w.text("UID", &e.uid);
    }
    w.raw(&format!("DTSTAMP:{}", utc_stamp(now)));
    w.raw(&format!("CREATED:{}", utc_stamp(e.created)));
    w.raw(&format!("LAST-MODIFIED:{}", utc_stamp(e.updated)));
    w.raw(&format!("SEQUENCE:{}", e.sequence));
    let mut frame = frame_of(&e.time);
    let mut floating = None;
    match &e.time {
        EventTime::Timed { start, end, tz } => {
            match super::profile::calcurse_walls(*start, *end, viewer)
                .filter(|_| profile == super::Profile::Calcurse)
            {
                Some((s, e_)) => {
                    floating_props(w, s, e_);
                    floating = Some(*tz);
                }
                None => {
                    if crate::domain::recurrence::is_recurring(e) {
                        // a series' start is the wall time its rule repeats (see the README)
                        dt_prop(w, "DTSTART", naive_in(*start, *tz), frame);
                    } else {
                        instant_prop(w, "DTSTART", *start, *tz);
                    }
                    end_prop(w, *start, *end, *tz, profile);
                }
            }
        }
        EventTime::AllDay { start, end } => {
            let excl = end.succ_opt().unwrap_or(*end);
            dt_prop(w, "DTSTART", start.and_time(chrono::NaiveTime::MIN), frame);
            dt_prop(w, "DTEND", excl.and_time(chrono::NaiveTime::MIN), frame);
        }
    }
    if let Some(r) = &e.rrule {
        let r = normalize_rrule(r, &e.time);
        match floating {
            Some(_) => w.raw(&format!("RRULE:{}", floating_rule(&r, viewer))),
            None => w.raw(&format!("RRULE:{r}")),
        }
    }
    // A floating series names its exceptions by wall times in the viewer's zone too.
    let in_frame = |d: &NaiveDateTime| match floating {
        Some(tz) => naive_in(local_to_utc(*d, tz), viewer),
        None => *d,
    };
    if floating.is_some() {
        frame = Frame::Floating;
    }
    for d in &e.rdates {
        dt_prop(w, "RDATE", in_frame(d), frame);
    }
    for d in &e.exdates {
        dt_prop(w, "EXDATE", in_frame(d), frame);
    }
    if let Some(r) = e.recurrence_id {
        // Same value type and zone as the series' DTSTART (the id is its wall time).
        let rid_frame = series.map(|s| frame_of(&s.time)).unwrap_or(frame);
        dt_prop(w, "RECURRENCE-ID", r, rid_frame);
    }
    text_prop(w, "SUMMARY", &e.title, &e.extra_ics);
    if !e.location.is_empty() {
        text_prop(w, "LOCATION", &e.location, &e.extra_ics);
    }
    if !e.notes.is_empty() {
        text_prop(w, "DESCRIPTION", &e.notes, &e.extra_ics);
    }
    w.raw(match e.status {
        EventStatus::Tentative => "STATUS:TENTATIVE",
        EventStatus::Confirmed => "STATUS:CONFIRMED",
        EventStatus::Cancelled => "STATUS:CANCELLED",
    });
    let extra = sanitize_extra(&e.extra_ics);
    let has_categories = extra.iter().any(|l| {
        l.get(..10)
            .is_some_and(|h| h.eq_ignore_ascii_case("CATEGORIES"))
            && l.get(10..).is_some_and(|rest| rest.starts_with([':', ';']))
    });
    // The default category is not written: an imported event without CATEGORIES must not
    // gain one in other clients (X-SECRETAIRE-CATEGORY keeps it for us).
    if !has_categories && e.category != EventCategory::Meeting {
        w.text("CATEGORIES", category_label(e.category));
    }
    w.raw(&format!("X-SECRETAIRE-CATEGORY:{}", e.category.as_str()));
    for a in &e.attendees {
        let mut email = a.email.clone();
        let mut name = a.name.clone();
        if let Some(id) = a.contact_id
            && (email.is_empty() || name.is_empty())
            && let Some(c) = contacts(id)
        {
            if email.is_empty() {
                email = c
                    .emails
                    .first()
                    .map(|l| l.value.clone())
                    .unwrap_or_default();
            }
            if name.is_empty() {
                name = c.name.clone();
            }
        }
        let id_s = a.contact_id.map(|i| i.to_string());
        let mut params: Vec<(&str, &str)> = Vec::new();
        if !name.is_empty() {
            params.push(("CN", &name));
        }
        if let Some(s) = &id_s {
            params.push(("X-SECRETAIRE-CONTACT-ID", s));
        }
        let value = if email.is_empty() {
            // What Outlook writes for an attendee without an address.
            "invalid:nomail".to_string()
        } else {
            format!("mailto:{email}")
        };
        w.prop("ATTENDEE", &params, &value);
    }
    // Properties first, then our alarm, then kept sub-components (so the alarm we model is the
    // first one a re-import sees).
    let first_block = extra
        .iter()
        .position(|l| l.get(..6).is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:")))
        .unwrap_or(extra.len());
    for l in &extra[..first_block] {
        w.raw(l);
    }
    if let Some(m) = e.reminder_minutes {
        w.raw("BEGIN:VALARM");
        w.raw("ACTION:DISPLAY");
        w.text("DESCRIPTION", &e.title);
        w.raw(&format!("TRIGGER:{}", trigger(m)));
        w.raw("END:VALARM");
    }
    for l in &extra[first_block..] {
        w.raw(l);
    }
    w.raw("END:VEVENT");
}

/// The title a travel segment gets in a calendar: `✈ SK 903 ARN→EWR`.
pub fn segment_summary(s: &Segment) -> String {
    let route = match (s.origin.is_empty(), s.destination.is_empty()) {
        (false, false) => format!("{}→{}", s.origin, s.destination),
        (false, true) => s.origin.clone(),
        (true, false) => s.destination.clone(),
        (true, true) => String::new(),
    };
    let ident = if s.number.is_empty() {
        s.provider.clone()
    } else {
        s.number.clone()
    };
    let join = |icon: &str, parts: &[&str]| {
        let body: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
        let body = body.join(" ");
        if body.is_empty() {
            icon.to_string()
        } else {
            format!("{icon} {body}")
        }
    };
    match s.kind {
        SegmentKind::Flight => join("✈", &[&ident, &route]),
        SegmentKind::Train => join("🚆", &[&ident, &route]),
        SegmentKind::Car => join("🚗", &[&ident, &route]),
        SegmentKind::Hotel => {
            let place = [s.origin.as_str(), s.destination.as_str()]
                .iter()
                .copied()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            join("🏨", &[&place])
        }
        SegmentKind::Other => join("•", &[&ident, &route]),
    }
}

fn segment_uid(s: &Segment) -> String {
    if s.uid.trim().is_empty() {
        format!("segment-{}@secretaire", s.id)
    } else {
        s.uid.clone()
    }
}

fn write_segment(
    w: &mut LineWriter,
    s: &Segment,
    rev: Option<&Revision>,
    profile: super::Profile,
    viewer: Tz,
    now: DateTime<Utc>,
) {
    w.raw("BEGIN:VEVENT");
    w.text("UID", &segment_uid(s));
    w.raw(&format!("DTSTAMP:{}", utc_stamp(now)));
    revision_props(w, rev);
    match super::profile::calcurse_walls(s.depart, s.arrive, viewer)
        .filter(|_| profile == super::Profile::Calcurse)
    {
        Some((a, b)) => floating_props(w, a, b),
        None => {
            instant_prop(w, "DTSTART", s.depart, s.depart_tz);
            end_prop(w, s.depart, s.arrive, s.arrive_tz, profile);
        }
    }
    w.text("SUMMARY", &segment_summary(s));
    let location = match s.kind {
        SegmentKind::Hotel => [s.origin.as_str(), s.destination.as_str()]
            .iter()
            .copied()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        _ => s.origin.clone(),
    };
    if !location.is_empty() {
        w.text("LOCATION", &location);
    }
    let mut desc: Vec<String> = Vec::new();
    if !s.provider.is_empty() {
        desc.push(format!("Provider: {}", s.provider));
    }
    if !s.number.is_empty() {
        desc.push(format!("Number: {}", s.number));
    }
    if !s.confirmation.is_empty() {
        desc.push(format!("Confirmation: {}", s.confirmation));
    }
    if !s.seat.is_empty() {
        let label = if s.kind == SegmentKind::Hotel {
            "Room"
        } else {
            "Seat"
        };
        desc.push(format!("{label}: {}", s.seat));
    }
    if s.kind != SegmentKind::Hotel && !s.destination.is_empty() {
        desc.push(format!(
            "Arrives: {} {} ({})",
            s.destination,
            s.arrive_local().format("%Y-%m-%d %H:%M"),
            s.arrive_tz.name()
        ));
    }
    if !s.notes.is_empty() {
        desc.push(String::new());
        desc.push(s.notes.clone());
    }
    if !desc.is_empty() {
        w.text("DESCRIPTION", &desc.join("\n"));
    }
    w.raw(match s.status {
        SegmentStatus::Planned => "STATUS:TENTATIVE",
        SegmentStatus::Booked => "STATUS:CONFIRMED",
        SegmentStatus::Cancelled => "STATUS:CANCELLED",
    });
    w.raw("CATEGORIES:Travel");
    w.raw(&format!("X-SECRETAIRE-SEGMENT:{}", s.kind.as_str()));
    w.raw("TRANSP:OPAQUE");
    w.raw("END:VEVENT");
}

/// The UID a task gets in a calendar (tasks have no UID of their own; the row id is stable).
pub fn task_uid(t: &Task) -> String {
    format!("task-{}@secretaire", t.id)
}

fn write_task(w: &mut LineWriter, t: &Task, rev: Option<&Revision>, now: DateTime<Utc>) {
    w.raw("BEGIN:VTODO");
    w.text("UID", &task_uid(t));
    w.raw(&format!("DTSTAMP:{}", utc_stamp(now)));
    w.raw(&format!("CREATED:{}", utc_stamp(t.created)));
    revision_props(w, rev);
    match t.due {
        Some(Due::Date(d)) => w.prop("DUE", &[("VALUE", "DATE")], &d.format("%Y%m%d").to_string()),
        Some(Due::At(a)) => w.raw(&format!("DUE:{}", utc_stamp(a))),
        None => {}
    }
    w.text("SUMMARY", &t.subject);
    let mut desc = Vec::new();
    desc.push(format!(
        "{} {}",
        match t.direction {
            crate::domain::TaskDirection::Incoming => "Answer",
            crate::domain::TaskDirection::Outgoing => "Send",
        },
        t.kind.as_str()
    ));
    if !t.contact_name.is_empty() {
        desc.push(format!("Contact: {}", t.contact_name));
    }
    if !t.delegated_to.is_empty() {
        desc.push(format!("Delegated to: {}", t.delegated_to));
    }
    if !t.notes.is_empty() {
        desc.push(String::new());
        desc.push(t.notes.clone());
    }
    w.text("DESCRIPTION", &desc.join("\n"));
    w.raw(&format!(
        "PRIORITY:{}",
        match t.priority {
            crate::domain::Priority::High => 1,
            crate::domain::Priority::Normal => 5,
            crate::domain::Priority::Low => 9,
        }
    ));
    w.raw(match t.status {
        TaskStatus::Open => "STATUS:NEEDS-ACTION",
        TaskStatus::Waiting => "STATUS:IN-PROCESS",
        TaskStatus::Done => "STATUS:COMPLETED",
    });
    w.raw(&format!("X-SECRETAIRE-TASK-KIND:{}", t.kind.as_str()));
    w.raw("END:VTODO");
}

/// Order events so that every series is followed by its overrides (same UID, by
/// RECURRENCE-ID), series in the order they first appear.
fn grouped(events: &[Event]) -> Vec<&Event> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        let g = groups.entry(e.uid.as_str()).or_default();
        if g.is_empty() {
            order.push(e.uid.as_str());
        }
        g.push(e);
    }
    let mut out = Vec::with_capacity(events.len());
    for uid in order {
        if let Some(mut g) = groups.remove(uid) {
            g.sort_by_key(|e| e.recurrence_id);
            out.extend(g);
        }
    }
    out
}

/// A series whose rule is refused when entered now but was stored before that check (one that
/// never occurs, one python-dateutil cannot be given: see `recurrence::check_series`) as its
/// dates up to `until`: DTSTART and RDATEs, which every reader shows as we do. None for any
/// other event.
fn dated(e: &Event, until: DateTime<Utc>) -> Option<Event> {
    use crate::domain::recurrence::{check_series, event_zone, local_start, local_starts};
    let rr = e.rrule.as_deref()?;
    if e.recurrence_id.is_some() || crate::domain::recurrence::parse_rrule(rr).is_err() {
        return None;
    }
    let start = local_start(e);
    check_series(rr, start, e.time.is_all_day()).err()?;
    let hi = until.with_timezone(&event_zone(e)).date_naive();
    let mut out = e.clone();
    out.rrule = None;
    out.rdates = local_starts(e, start.date(), hi.max(start.date()))
        .into_iter()
        .filter(|s| *s != start)
        .collect();
    out.exdates.retain(|x| *x == start);
    Some(out)
}

/// `master` as exported: with an EXDATE for each of its cancelled occurrences (`overrides`
/// with STATUS:CANCELLED), the EXDATEs in order. khal and recurring-ical-events show a
/// cancelled override as an occurrence (khal marks it), where we and most clients show none;
/// an EXDATE means the same to every reader.
pub(crate) fn with_cancellations<'a>(
    master: &Event,
    overrides: impl IntoIterator<Item = &'a Event>,
) -> Event {
    let mut m = master.clone();
    for o in overrides {
        if o.uid == m.uid
            && o.status == EventStatus::Cancelled
            && let Some(rid) = o.recurrence_id
            && !m.exdates.contains(&rid)
        {
            m.exdates.push(rid);
        }
    }
    if m.exdates.len() != master.exdates.len() {
        m.exdates.sort();
    }
    m
}

/// The standard export's events: cancelled occurrences as EXDATEs of their series (see
/// [`with_cancellations`]) instead of overrides.
fn cancelled_as_exdates(events: Vec<Event>) -> Vec<Event> {
    let cancelled: Vec<Event> = events
        .iter()
        .filter(|e| e.recurrence_id.is_some() && e.status == EventStatus::Cancelled)
        .cloned()
        .collect();
    let masters: std::collections::HashSet<String> = events
        .iter()
        .filter(|e| e.recurrence_id.is_none() && crate::domain::recurrence::is_recurring(e))
        .map(|e| e.uid.clone())
        .collect();
    events
        .into_iter()
        .filter(|e| {
            !(e.recurrence_id.is_some()
                && e.status == EventStatus::Cancelled
                && masters.contains(&e.uid))
        })
        .map(|e| {
            if e.recurrence_id.is_none() && masters.contains(&e.uid) {
                with_cancellations(&e, &cancelled)
            } else {
                e
            }
        })
        .collect()
}

/// `events` without the overrides that name no occurrence of their series (the series changed
/// under them): readers would show such an override as an extra meeting, and we do not show it.
fn without_orphans(events: &[Event]) -> Vec<Event> {
    let masters: HashMap<&str, &Event> = events
        .iter()
        .filter(|e| e.recurrence_id.is_none())
        .map(|e| (e.uid.as_str(), e))
        .collect();
    events
        .iter()
        .filter(|e| match (e.recurrence_id, masters.get(e.uid.as_str())) {
            (Some(rid), Some(m)) => crate::domain::recurrence::is_occurrence(m, rid),
            _ => true,
        })
        .cloned()
        .collect()
}

/// Write one VCALENDAR holding `events` (series, overrides, single events), travel `segments`
/// as events and open `tasks` with a due date as VTODOs. `contacts` resolves an attendee's
/// linked contact (for its name/e-mail when the attendee lacks them). `now` becomes DTSTAMP.
pub fn export(
    events: &[Event],
    segments: &[Segment],
    tasks: &[Task],
    contacts: &dyn Fn(i64) -> Option<Contact>,
    opts: &ExportOptions,
    now: DateTime<Utc>,
) -> String {
    export_noting(events, segments, tasks, contacts, opts, now).0
}

/// [`export`], with the series the calcurse profile wrote out over its window only (the
/// occurrences outside it are not in the file; see `profile::Cutoff`).
pub fn export_noting(
    events: &[Event],
    segments: &[Segment],
    tasks: &[Task],
    contacts: &dyn Fn(i64) -> Option<Contact>,
    opts: &ExportOptions,
    now: DateTime<Utc>,
) -> (String, Vec<super::profile::Cutoff>) {
    let viewer = opts.viewer.unwrap_or(chrono_tz::UTC);
    let mut cutoffs = Vec::new();
    let mut live = without_orphans(events);
    if opts.profile == super::Profile::Standard {
        live = cancelled_as_exdates(live);
        let until = opts.window.map_or(now + Duration::days(2 * 366), |w| w.1);
        for e in &mut live {
            if let Some(d) = dated(e, until) {
                *e = d;
            }
        }
    }
    let events = &live[..];
    let flat;
    let events = match opts.profile {
        super::Profile::Standard => events,
        super::Profile::Calcurse => {
            let window = opts
                .window
                .unwrap_or((now - Duration::days(366), now + Duration::days(2 * 366)));
            (flat, cutoffs) = super::profile::for_calcurse_noting(events, window, viewer);
            &flat[..]
        }
    };
    let synced: Vec<Event> = events
        .iter()
        .map(|e| sync_dtstart(e).unwrap_or_else(|| e.clone()))
        .collect();
    let events = grouped(&synced);
    let tasks: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Done && t.due.is_some())
        .collect();

    let mut zones = ZoneUse::default();
    for e in &events {
        if let EventTime::Timed { start, end, tz } = &e.time {
            zones.note(*tz, naive_in(*start, *tz).year());
            zones.note(*tz, naive_in(*end, *tz).year());
            for d in e
                .exdates
                .iter()
                .chain(&e.rdates)
                .chain(e.recurrence_id.iter())
            {
                zones.note(*tz, d.year());
            }
            if let Some(r) = &e.rrule {
                let start_year = naive_in(*start, *tz).year();
                // Open-ended: zones with yearly rules repeat them forever (see
                // write_vtimezone); the others get explicit transitions for 30 years.
                let last = until_year(r).unwrap_or(now.year().max(start_year) + 30);
                zones.note(*tz, last.clamp(start_year, start_year + 50));
            }
        }
    }
    for s in segments {
        zones.note(s.depart_tz, s.depart_local().year());
        zones.note(s.arrive_tz, s.arrive_local().year());
    }

    let mut w = LineWriter::new();
    w.raw("BEGIN:VCALENDAR");
    w.raw("VERSION:2.0");
    w.raw(&format!("PRODID:{PRODID}"));
    w.raw("CALSCALE:GREGORIAN");
    if let Some(n) = &opts.calendar_name {
        w.text("X-WR-CALNAME", n);
    }
    for (tz, from, to) in zones.0.values() {
        write_vtimezone(&mut w, *tz, *from, *to);
    }
    let masters: HashMap<&str, &Event> = events
        .iter()
        .filter(|e| e.recurrence_id.is_none())
        .map(|e| (e.uid.as_str(), *e))
        .collect();
    for e in &events {
        let series = masters.get(e.uid.as_str()).copied();
        write_event(&mut w, e, series, contacts, opts.profile, viewer, now);
    }
    for s in segments {
        write_segment(
            &mut w,
            s,
            opts.segment_revisions.get(&s.id),
            opts.profile,
            viewer,
            now,
        );
    }
    for t in tasks {
        write_task(&mut w, t, opts.task_revisions.get(&t.id), now);
    }
    w.raw("END:VCALENDAR");
    (w.finish(), cutoffs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_follows_dtstart_type() {
        let tz = chrono_tz::Europe::Stockholm;
        let t = EventTime::Timed {
            start: Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
            tz,
        };
        assert_eq!(
            normalize_rrule("FREQ=WEEKLY;UNTIL=20260601T090000;BYDAY=MO", &t),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260601T070000Z"
        );
        assert_eq!(
            normalize_rrule("FREQ=DAILY;UNTIL=20260601", &t),
            "FREQ=DAILY;UNTIL=20260601T215959Z"
        );
        assert_eq!(
            normalize_rrule("FREQ=DAILY;UNTIL=20260601T090000Z", &t),
            "FREQ=DAILY;UNTIL=20260601T090000Z"
        );
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let a = EventTime::AllDay { start: d, end: d };
        assert_eq!(
            normalize_rrule("FREQ=YEARLY;UNTIL=20300105T000000Z", &a),
            "FREQ=YEARLY;UNTIL=20300105"
        );
    }

    #[test]
    fn extra_lines_are_sanitized() {
        let extra = "X-A:1\nUID:dup\nnot a line\nBEGIN:VALARM\nACTION:AUDIO\nTRIGGER:-PT5M\nEND:VALARM\nX-C:3\nEND:VEVENT\nBEGIN:VEVENT\nBEGIN:X-OPEN\nX-B:2";
        assert_eq!(
            sanitize_extra(extra),
            vec![
                "X-A:1",
                "X-C:3",
                "BEGIN:VALARM",
                "ACTION:AUDIO",
                "TRIGGER:-PT5M",
                "END:VALARM"
            ]
        );
    }

    #[test]
    fn stored_broken_alarms_are_not_exported() {
        // Rows imported before the check existed.
        let extra = "X-A:1\nPRIORITY:high\nBEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:x\nTRIGGER:soon\nEND:VALARM\nBEGIN:VALARM\nTRIGGER:-PT15MACTION:DISPLAY\nEND:VALARM\nBEGIN:VALARM\nACTION:AUDIO\nTRIGGER:-P300S\nEND:VALARM";
        assert_eq!(
            sanitize_extra(extra),
            vec![
                "X-A:1",
                "BEGIN:VALARM",
                "ACTION:AUDIO",
                "TRIGGER:-PT5M",
                "END:VALARM"
            ]
        );
    }

    fn stockholm(h: u32) -> EventTime {
        let start = chrono_tz::Europe::Stockholm
            .with_ymd_and_hms(2026, 11, 2, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        EventTime::Timed {
            start,
            end: start + Duration::hours(1),
            tz: chrono_tz::Europe::Stockholm,
        }
    }

    #[test]
    fn rules_dateutil_reads_otherwise_are_rewritten() {
        let t = stockholm(9); // a Monday
        // dateutil intersects plain and numbered weekdays; RFC 5545 unites them.
        assert_eq!(
            normalize_rrule("FREQ=MONTHLY;BYDAY=MO,-1FR;COUNT=6", &t),
            "FREQ=MONTHLY;BYDAY=1MO,2MO,3MO,4MO,5MO,-1FR;COUNT=6"
        );
        // A weekday numbered 10 or more in a year (python-icalendar in khal reads one digit):
        // the days of the year it can fall on.
        assert_eq!(
            normalize_rrule("FREQ=YEARLY;BYDAY=20MO", &t),
            "FREQ=YEARLY;BYYEARDAY=134,135,136,137,138,139,140;BYDAY=MO"
        );
        assert_eq!(
            normalize_rrule("FREQ=YEARLY;BYDAY=1FR,-10FR;COUNT=3", &t),
            "FREQ=YEARLY;BYYEARDAY=1,2,3,4,5,6,7,-64,-65,-66,-67,-68,-69,-70;BYDAY=FR;COUNT=3"
        );
        assert_eq!(
            normalize_rrule("FREQ=YEARLY;BYDAY=53MO", &t),
            "FREQ=YEARLY;BYYEARDAY=365,366;BYDAY=MO"
        );
        // Weekly BYSETPOS picks fixed weekdays.
        assert_eq!(
            normalize_rrule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", &t),
            "FREQ=WEEKLY;BYDAY=FR"
        );
        assert_eq!(
            normalize_rrule("FREQ=WEEKLY;BYDAY=SU,MO,SA;BYSETPOS=1,-1;WKST=SU", &t),
            "FREQ=WEEKLY;BYDAY=SU,SA;WKST=SU"
        );
        assert_eq!(
            normalize_rrule("FREQ=WEEKLY;BYSETPOS=1", &t),
            "FREQ=WEEKLY;BYDAY=MO"
        );
        // Left alone: all numbered, or monthly BYSETPOS (dateutil agrees there).
        for r in [
            "FREQ=MONTHLY;BYDAY=1MO,-1FR",
            "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
        ] {
            assert_eq!(normalize_rrule(r, &t), r);
        }
    }

    #[test]
    fn year_day_rewrites_keep_the_occurrences() {
        use crate::domain::recurrence::{local_start, local_starts};
        for (rule, y, m, d) in [
            ("FREQ=YEARLY;BYDAY=20MO", 2027, 5, 17),
            ("FREQ=YEARLY;BYDAY=-10FR;COUNT=12", 2027, 10, 22),
            ("FREQ=YEARLY;INTERVAL=2;BYDAY=1TU,53TU,-30TU", 2027, 1, 5),
            ("FREQ=YEARLY;BYDAY=53SU", 2028, 12, 31),
        ] {
            let start = chrono_tz::Europe::Stockholm
                .with_ymd_and_hms(y, m, d, 9, 0, 0)
                .unwrap()
                .with_timezone(&Utc);
            let mut e = Event::new("x", stockholm(9), Utc::now());
            e.time = EventTime::Timed {
                start,
                end: start + Duration::hours(1),
                tz: chrono_tz::Europe::Stockholm,
            };
            e.rrule = Some(rule.into());
            let mut w = e.clone();
            w.rrule = Some(normalize_rrule(rule, &e.time));
            assert!(w.rrule.as_deref().unwrap().contains("BYYEARDAY"), "{rule}");
            let lo = local_start(&e).date();
            let hi = lo + Duration::days(40 * 366);
            let want = local_starts(&e, lo, hi);
            assert!(want.len() > 2, "{rule}");
            assert_eq!(local_starts(&w, lo, hi), want, "{rule}");
        }
    }

    #[test]
    fn a_stored_rule_refused_now_is_exported_as_its_dates() {
        // Stored before such rules were refused: dateutil intersects SU and -1FR.
        let mut e = Event::new("x", stockholm(9), Utc::now());
        e.uid = "old@x".into();
        e.rrule = Some("FREQ=YEARLY;BYDAY=SU,-1FR".into());
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let until = now + Duration::days(365);
        let d = dated(&e, until).unwrap();
        assert_eq!(d.rrule, None);
        let lo = crate::domain::recurrence::local_start(&e).date();
        let hi = until.date_naive();
        assert_eq!(
            crate::domain::recurrence::local_starts(&d, lo, hi),
            crate::domain::recurrence::local_starts(&e, lo, hi)
        );
        let text = export(&[e], &[], &[], &|_| None, &ExportOptions::default(), now);
        assert!(!text.contains("\r\nRRULE:FREQ=YEARLY;BYDAY"), "{text}");
        assert!(text.contains("\r\nRDATE;TZID=Europe/Stockholm:"), "{text}");
    }

    #[test]
    fn a_rule_with_no_instance_after_dtstart_is_written_as_a_single_event() {
        let mut e = Event::new("x", stockholm(9), Utc::now());
        // Monday start, Tuesday rule, one occurrence: DTSTART is all there is.
        e.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=1".into());
        assert_eq!(sync_dtstart(&e).unwrap().rrule, None);
        // UNTIL before the start: RFC 5545 keeps DTSTART, dateutil keeps nothing.
        e.rrule = Some("FREQ=DAILY;UNTIL=20261101T000000Z".into());
        assert_eq!(sync_dtstart(&e).unwrap().rrule, None);
        e.rrule = Some("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261102T235959Z".into());
        assert_eq!(sync_dtstart(&e).unwrap().rrule, None);
        // Two: the Tuesday becomes DTSTART, the Monday an RDATE.
        e.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=2".into());
        let s = sync_dtstart(&e).unwrap();
        assert_eq!(s.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=TU;COUNT=1"));
        assert_eq!(s.rdates.len(), 1);
    }

    #[test]
    fn triggers() {
        assert_eq!(trigger(15), "-PT15M");
        assert_eq!(trigger(120), "-PT2H");
        assert_eq!(trigger(2880), "-P2D");
        assert_eq!(trigger(0), "PT0S");
    }
}
