//! RFC 5545 text -> domain events, leniently: whatever the producer (Outlook, Google, Apple,
//! Thunderbird, calcurse). A bad item is reported with its line and UID and skipped; only a
//! file that is not a calendar at all is refused. Never panics, whatever the bytes.
use super::export::{OWN_PROPS, category_label};
use super::keep;
use super::line::{Prop, parse_line, split_text_list, unescape_text, unfold};
use super::tz::{Observance, match_offsets, parse_offset, zone_from_tzid};
use crate::domain::{Attendee, Event, EventCategory, EventStatus, EventTime};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

/// What the importer needs from outside: the zone for floating times without X-WR-TIMEZONE,
/// and `now` for items that carry no CREATED/DTSTAMP.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub default_tz: Tz,
    pub now: DateTime<Utc>,
}

/// One event read from the file. `line` is where its BEGIN:VEVENT is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEvent {
    pub line: usize,
    pub uid: String,
    pub event: Event,
    /// Set on an override whose series is not in the same calendar: its RECURRENCE-ID as
    /// written, so the importer can place it in the stored series' frame ([`rid_for_series`]).
    /// `event.recurrence_id` meanwhile holds it in the override's own frame.
    pub unplaced_recurrence: Option<RecurrenceAt>,
    /// Set on an item our calcurse profile wrote from a series (see
    /// [`super::profile::DERIVED_PROP`]): that series' UID.
    pub calcurse_of: Option<String>,
}

/// A RECURRENCE-ID as written: a date, or an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecurrenceAt {
    Date(NaiveDate),
    Instant(DateTime<Utc>),
}

/// The `Event::recurrence_id` convention for an occurrence of a series with this time: wall
/// time in the series' zone, or midnight of the date for an all-day series.
pub fn rid_for_series(at: RecurrenceAt, series: &EventTime) -> NaiveDateTime {
    match at {
        RecurrenceAt::Date(d) => rid_in_series(Moment::Date(d), series),
        RecurrenceAt::Instant(t) => {
            rid_in_series(Moment::Local(t.naive_utc(), chrono_tz::UTC), series)
        }
    }
}

/// An item that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    pub line: usize,
    /// Empty when the item has none (or it could not be read).
    pub uid: String,
    pub message: String,
}

impl std::fmt::Display for ItemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.uid.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {} (UID {}): {}", self.line, self.uid, self.message)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseReport {
    pub items: Vec<ParsedEvent>,
    pub errors: Vec<ItemError>,
    /// How many VCALENDAR blocks the file held.
    pub calendars: usize,
    /// Parts of imported items that were not kept because they could not be written back
    /// validly (an alarm with `TRIGGER:soon`, a property whose value is not of its type).
    pub dropped: Vec<ItemError>,
    /// Series split by a change to this and all following occurrences
    /// (`RECURRENCE-ID;RANGE=THISANDFUTURE`), see [`super::future`].
    pub splits: Vec<super::future::Split>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not a calendar file: {0}")]
    NotACalendar(String),
}

/// A component as read: its properties, sub-components, and where its lines are.
#[derive(Debug, Default)]
struct Comp {
    name: String,
    line: usize,
    props: Vec<Prop>,
    children: Vec<Comp>,
    /// Index range into the unfolded lines, BEGIN..=END.
    span: (usize, usize),
    errors: Vec<(usize, String)>,
}

impl Comp {
    fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    fn all_errors(&self) -> Vec<(usize, String)> {
        let mut v = self.errors.clone();
        for c in &self.children {
            v.extend(c.all_errors());
        }
        v
    }
}

fn build_tree(lines: &[(usize, String)]) -> Vec<Comp> {
    let mut roots: Vec<Comp> = Vec::new();
    let mut stack: Vec<Comp> = Vec::new();
    fn close(stack: &mut [Comp], roots: &mut Vec<Comp>, mut c: Comp, end_idx: usize) {
        c.span.1 = end_idx;
        match stack.last_mut() {
            Some(parent) => parent.children.push(c),
            None => roots.push(c),
        }
    }
    for (idx, (ln, text)) in lines.iter().enumerate() {
        let p = match parse_line(*ln, text) {
            Ok(p) => p,
            Err(msg) => {
                if let Some(top) = stack.last_mut() {
                    top.errors.push((*ln, msg));
                }
                continue;
            }
        };
        match p.name.as_str() {
            "BEGIN" => stack.push(Comp {
                name: p.value.trim().to_ascii_uppercase(),
                line: *ln,
                span: (idx, idx),
                ..Comp::default()
            }),
            "END" => {
                let name = p.value.trim().to_ascii_uppercase();
                if let Some(pos) = stack.iter().rposition(|c| c.name == name) {
                    while stack.len() > pos + 1 {
                        if let Some(mut open) = stack.pop() {
                            open.errors
                                .push((open.line, format!("BEGIN:{} has no END", open.name)));
                            close(&mut stack, &mut roots, open, idx.saturating_sub(1));
                        }
                    }
                    if let Some(c) = stack.pop() {
                        close(&mut stack, &mut roots, c, idx);
                    }
                } else if let Some(top) = stack.last_mut() {
                    top.errors
                        .push((*ln, format!("END:{name} without a matching BEGIN")));
                }
            }
            _ => {
                if let Some(top) = stack.last_mut() {
                    top.props.push(p);
                }
            }
        }
    }
    let last = lines.len().saturating_sub(1);
    while let Some(mut open) = stack.pop() {
        open.errors
            .push((open.line, format!("BEGIN:{} has no END", open.name)));
        close(&mut stack, &mut roots, open, last);
    }
    roots
}

/// Read a calendar file. Refuses bytes with no `BEGIN:VCALENDAR`; otherwise reports each item.
pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<ParseReport, ParseError> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines = unfold(text);
    let roots = build_tree(&lines);
    let calendars: Vec<&Comp> = roots.iter().filter(|c| c.name == "VCALENDAR").collect();
    if calendars.is_empty() {
        return Err(ParseError::NotACalendar(if text.trim().is_empty() {
            "the file is empty".to_string()
        } else {
            "no BEGIN:VCALENDAR found".to_string()
        }));
    }
    let mut report = ParseReport {
        calendars: calendars.len(),
        ..ParseReport::default()
    };
    for r in roots.iter().filter(|c| c.name != "VCALENDAR") {
        report.errors.push(ItemError {
            line: r.line,
            uid: uid_of(r),
            message: format!("{} outside BEGIN:VCALENDAR", r.name),
        });
    }
    for cal in calendars {
        read_calendar(cal, &lines, opts, &mut report);
    }
    Ok(report)
}

fn uid_of(c: &Comp) -> String {
    c.prop("UID")
        .map(|p| unescape_text(p.value.trim()))
        .unwrap_or_default()
}

/// TZID -> zone for one VCALENDAR: names first, then that calendar's VTIMEZONE blocks.
struct Zones<'a> {
    vtimezones: HashMap<String, &'a Comp>,
    floating: Tz,
    /// The calendar's X-WR-TIMEZONE, if any (Google).
    wr: Option<Tz>,
}

impl Zones<'_> {
    fn resolve(&self, tzid: &str, year: i32) -> Result<Tz, String> {
        if let Some(z) = zone_from_tzid(tzid) {
            return Ok(z);
        }
        let Some(vt) = self.vtimezones.get(tzid.trim()) else {
            return Err(format!(
                "unknown time zone '{tzid}' and no VTIMEZONE for it in the file"
            ));
        };
        for key in [
            "X-LIC-LOCATION",
            "X-MICROSOFT-CDO-TZID-NAME",
            "X-WR-TIMEZONE",
        ] {
            if let Some(z) = vt.prop(key).and_then(|p| zone_from_tzid(&p.value)) {
                return Ok(z);
            }
        }
        let obs: Vec<Observance> = vt
            .children
            .iter()
            .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
            .filter_map(|c| {
                let start = c
                    .prop("DTSTART")
                    .and_then(|p| parse_dt(&p.value, false).ok())?;
                let start = match start {
                    Dt::Date(d) => d.and_time(NaiveTime::MIN),
                    Dt::Floating(n) | Dt::Utc(n) => n,
                };
                let offset_to = c.prop("TZOFFSETTO").and_then(|p| parse_offset(&p.value))?;
                let month = c
                    .prop("RRULE")
                    .and_then(|p| {
                        p.value.split(';').find_map(|part| {
                            let (k, v) = part.split_once('=')?;
                            if k.eq_ignore_ascii_case("BYMONTH") {
                                v.split(',').next()?.trim().parse().ok()
                            } else {
                                None
                            }
                        })
                    })
                    .unwrap_or(start.month());
                Some(Observance {
                    daylight: c.name == "DAYLIGHT",
                    start,
                    offset_to,
                    month,
                })
            })
            .collect();
        if obs.is_empty() {
            return Err(format!(
                "time zone '{tzid}': its VTIMEZONE has no usable STANDARD/DAYLIGHT"
            ));
        }
        match_offsets(&obs, year).ok_or_else(|| {
            format!("time zone '{tzid}': no IANA zone has the offsets of its VTIMEZONE")
        })
    }
}

/// A DATE or DATE-TIME value as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dt {
    Date(NaiveDate),
    Floating(NaiveDateTime),
    Utc(NaiveDateTime),
}

fn parse_dt(v: &str, date_hint: bool) -> Result<Dt, String> {
    let v = v.trim();
    let bad = || format!("bad date/time '{}'", v.chars().take(40).collect::<String>());
    if v.len() == 8 || (date_hint && v.len() >= 8 && !v.contains('T')) {
        let d =
            NaiveDate::parse_from_str(v.get(..8).ok_or_else(bad)?, "%Y%m%d").map_err(|_| bad())?;
        return Ok(Dt::Date(d));
    }
    let (body, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (v, false),
    };
    let n = if body.len() == 15 {
        NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S").map_err(|_| bad())?
    } else if body.len() == 13 {
        // seen in the wild: no seconds
        NaiveDateTime::parse_from_str(&format!("{body}00"), "%Y%m%dT%H%M%S").map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    Ok(if utc { Dt::Utc(n) } else { Dt::Floating(n) })
}

/// A point as placed: a date, or a wall time in a zone.
#[derive(Debug, Clone, Copy)]
enum Moment {
    Date(NaiveDate),
    Local(NaiveDateTime, Tz),
}

pub(crate) fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
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

impl Moment {
    fn instant(self, tz_for_dates: Tz) -> DateTime<Utc> {
        match self {
            Moment::Date(d) => local_to_utc(d.and_time(NaiveTime::MIN), tz_for_dates),
            Moment::Local(n, z) => local_to_utc(n, z),
        }
    }
}

/// Read one value of a date/time property (one of possibly several comma-separated values).
fn moment(p: &Prop, value: &str, zones: &Zones) -> Result<Moment, String> {
    let date_hint = p
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let value = value.split('/').next().unwrap_or(value); // PERIOD: its start
    match parse_dt(value, date_hint).map_err(|m| format!("{}: {m}", p.name))? {
        Dt::Date(d) => Ok(Moment::Date(d)),
        Dt::Utc(n) => Ok(Moment::Local(n, chrono_tz::UTC)),
        Dt::Floating(n) => match p.param("TZID") {
            Some(tzid) => Ok(Moment::Local(n, zones.resolve(tzid, n.year())?)),
            None => Ok(Moment::Local(n, zones.floating)),
        },
    }
}

/// RFC 5545 DURATION: `[+-]P[nW][nD][T[nH][nM][nS]]`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut total: i64 = 0;
    let mut num: Option<i64> = None;
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => {
                let d = c as i64 - '0' as i64;
                num = Some(num.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
            }
            'T' | 't' => {
                if num.is_some() {
                    return None;
                }
                in_time = true;
            }
            u => {
                let n = num.take()?;
                let mult = match (u.to_ascii_uppercase(), in_time) {
                    ('W', false) => 7 * 86400,
                    ('D', false) => 86400,
                    // calcurse writes `-P300S` (no T): hours and seconds cannot mean anything
                    // else, so take them; a bare `M` could be months and stays an error.
                    ('H', _) => 3600,
                    ('M', true) => 60,
                    ('S', _) => 1,
                    _ => return None,
                };
                total = total.checked_add(n.checked_mul(mult)?)?;
                any = true;
            }
        }
    }
    if num.is_some() || !any || total > 100 * 366 * 86400 {
        return None;
    }
    Some(Duration::seconds(if neg { -total } else { total }))
}

fn fnv64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(b'\n')) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn multi_line(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn read_calendar(
    cal: &Comp,
    lines: &[(usize, String)],
    opts: &ParseOptions,
    out: &mut ParseReport,
) {
    let wr = cal
        .prop("X-WR-TIMEZONE")
        .and_then(|p| zone_from_tzid(&unescape_text(&p.value)));
    let mut vtimezones = HashMap::new();
    for c in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
        if let Some(id) = c.prop("TZID") {
            vtimezones.insert(unescape_text(id.value.trim()), c);
        }
    }
    let zones = Zones {
        vtimezones,
        floating: wr.unwrap_or(opts.default_tz),
        wr,
    };
    let base = out.items.len();
    let mut read: Vec<(ParsedEvent, Option<Moment>)> = Vec::new();
    // Occurrences made from RDATE periods (see `read_event`).
    let mut generated: Vec<ParsedEvent> = Vec::new();
    // Changes to "this and all following" occurrences (RANGE=THISANDFUTURE): the lines of
    // their BEGIN:VEVENT, and by UID the line of the RECURRENCE-ID of one that could not be
    // read (its series is not imported: it would be wrong from there on).
    let mut this_and_future: HashSet<usize> = HashSet::new();
    let mut unreadable_future: HashMap<String, usize> = HashMap::new();
    for c in &cal.children {
        match c.name.as_str() {
            "VEVENT" => {
                let uid = uid_of(c);
                let mut rid_line = None;
                if let Some(p) = c.prop("RECURRENCE-ID").filter(|p| {
                    p.param("RANGE")
                        .is_some_and(|r| r.trim().eq_ignore_ascii_case("THISANDFUTURE"))
                }) {
                    this_and_future.insert(c.line);
                    rid_line = Some(p.line);
                }
                match read_event(c, lines, &zones, opts) {
                    Ok(ReadEvent {
                        event,
                        rid,
                        dropped,
                        instances,
                    }) => {
                        // (a change to this and following occurrences makes its own series:
                        // periods of it are not occurrences of the one it changes)
                        let instances = if rid_line.is_some() {
                            Vec::new()
                        } else {
                            instances
                        };
                        generated.extend(instances.into_iter().map(|o| ParsedEvent {
                            line: c.line,
                            uid: o.uid.clone(),
                            event: o,
                            unplaced_recurrence: None,
                            calcurse_of: None,
                        }));
                        out.dropped
                            .extend(dropped.into_iter().map(|(line, message)| ItemError {
                                line,
                                uid: event.uid.clone(),
                                message,
                            }));
                        read.push((
                            ParsedEvent {
                                line: c.line,
                                uid: event.uid.clone(),
                                event,
                                unplaced_recurrence: None,
                                calcurse_of: c
                                    .prop(super::profile::DERIVED_PROP)
                                    .map(|p| unescape_text(p.value.trim())),
                            },
                            rid,
                        ))
                    }
                    Err((line, message)) => {
                        if let Some(l) = rid_line {
                            unreadable_future.entry(uid.clone()).or_insert(l);
                        }
                        out.errors.push(ItemError { line, uid, message })
                    }
                }
            }
            "VTIMEZONE" => {}
            "VTODO" => out.errors.push(ItemError {
                line: c.line,
                uid: uid_of(c),
                message: "a task (VTODO): tasks are not imported from calendar files".into(),
            }),
            other => out.errors.push(ItemError {
                line: c.line,
                uid: uid_of(c),
                message: format!("{other} is not imported"),
            }),
        }
    }
    // A change to "this and all following" occurrences that cannot be read leaves the rest of
    // its series wrong from that occurrence on: nothing of such a series is imported (not
    // half of it); each of its items is skipped, naming the line.
    if !unreadable_future.is_empty() {
        let (refused, kept): (Vec<_>, Vec<_>) = read
            .into_iter()
            .partition(|(p, _)| unreadable_future.contains_key(&p.uid));
        read = kept;
        generated.retain(|g| !unreadable_future.contains_key(&g.uid));
        for (p, _) in refused {
            let line = unreadable_future[&p.uid];
            out.errors.push(ItemError {
                line: p.line,
                uid: p.uid,
                message: format!(
                    "line {line}: the change to this and all following occurrences \
                     (RECURRENCE-ID;RANGE=THISANDFUTURE) could not be read; nothing of this \
                     series is imported"
                ),
            });
        }
    }
    // Overrides name the occurrence they replace in their series' frame (a moved occurrence
    // may carry another zone than its series).
    let series: HashMap<String, EventTime> = read
        .iter()
        .filter(|(p, _)| p.event.recurrence_id.is_none())
        .map(|(p, _)| (p.uid.clone(), p.event.time.clone()))
        .collect();
    for (mut p, rid) in read {
        match (rid, series.get(&p.uid)) {
            (Some(rid), Some(time)) => p.event.recurrence_id = Some(rid_in_series(rid, time)),
            (Some(rid), None) => {
                p.unplaced_recurrence = Some(match rid {
                    Moment::Date(d) => RecurrenceAt::Date(d),
                    Moment::Local(n, z) => RecurrenceAt::Instant(local_to_utc(n, z)),
                })
            }
            _ => {}
        }
        out.items.push(p);
    }
    // An occurrence the file changes explicitly wins over one made from an RDATE period.
    for g in generated {
        let taken = out
            .items
            .iter()
            .any(|p| p.uid == g.uid && p.event.recurrence_id == g.event.recurrence_id);
        if !taken {
            out.items.push(g);
        }
    }
    // RANGE=THISANDFUTURE: the series is split there (see `future`).
    if !this_and_future.is_empty() {
        let mine = out.items.split_off(base);
        let applied = super::future::apply(mine, &this_and_future, opts.now);
        out.items.extend(applied.items);
        out.errors.extend(applied.errors);
        out.splits.extend(applied.splits);
    }
}

fn short_text(s: &str) -> String {
    s.chars().take(30).filter(|c| !c.is_control()).collect()
}

fn raw_lines(c: &Comp, lines: &[(usize, String)]) -> Vec<String> {
    lines
        .get(c.span.0..=c.span.1.min(lines.len().saturating_sub(1)))
        .map(|s| s.iter().map(|(_, l)| l.clone()).collect())
        .unwrap_or_default()
}

/// The reminder an alarm stands for, when it is a plain "N minutes before the start" alarm.
fn alarm_minutes(a: &Comp) -> Option<u32> {
    let t = a.prop("TRIGGER")?;
    if t.param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME"))
    {
        return None;
    }
    if t.param("RELATED")
        .is_some_and(|v| v.eq_ignore_ascii_case("END"))
    {
        return None;
    }
    let d = parse_duration(&t.value)?;
    if d > Duration::zero() {
        return None;
    }
    let m = (-d).num_minutes();
    (m <= 60 * 24 * 28).then_some(m as u32)
}

type ItemResult<T> = Result<T, (usize, String)>;

/// One VEVENT as read: the event, its RECURRENCE-ID as written, the parts left out, and the
/// changed occurrences its `RDATE;VALUE=PERIOD`s stand for.
struct ReadEvent {
    event: Event,
    rid: Option<Moment>,
    dropped: Vec<Dropped>,
    instances: Vec<Event>,
}
/// A part of an item left out: its line and why.
type Dropped = (usize, String);

/// The lines to keep for a sub-component of an event we do not model, or why it cannot be
/// kept (it would make the whole exported file unreadable to a strict reader).
fn kept_component(c: &Comp) -> ItemResult<(Vec<String>, Vec<Dropped>)> {
    if let Some(e) = c.all_errors().into_iter().next() {
        return Err(e);
    }
    if !keep::keepable_component(&c.name) {
        return Err((c.line, format!("{} inside an event", c.name)));
    }
    if c.name == "VALARM"
        && let Some(child) = c.children.first()
    {
        return Err((child.line, format!("VALARM holds a {}", child.name)));
    }
    // Only the properties that belong in this component, with values of their types.
    let mut dropped: Vec<Dropped> = Vec::new();
    let mut kept: Vec<Prop> = Vec::new();
    for p in &c.props {
        let alarm_trigger = c.name == "VALARM" && p.name == "TRIGGER";
        let problem = if alarm_trigger && p.bad_params.is_empty() {
            None // checked (and a lenient duration rewritten) with the whole alarm below
        } else {
            keep::prop_problem_in(&c.name, p)
        };
        if let Some(m) = problem {
            dropped.push((p.line, format!("{}: {m}; not kept", c.name)));
        } else if keep::once_only(&c.name, &p.name) && kept.iter().any(|k| k.name == p.name) {
            dropped.push((p.line, format!("{}: a second {}; not kept", c.name, p.name)));
        } else {
            kept.push(p.clone());
        }
    }
    let mut out = vec![format!("BEGIN:{}", c.name)];
    let trigger = if c.name == "VALARM" {
        keep::alarm_problem(&kept, c.line)?
    } else {
        None
    };
    for p in &kept {
        match (&trigger, p.name.as_str()) {
            (Some(t), "TRIGGER") => out.push(t.clone()),
            _ => out.push(p.raw.clone()),
        }
    }
    for child in &c.children {
        match kept_component(child) {
            Ok((l, d)) => {
                out.extend(l);
                dropped.extend(d);
            }
            Err((line, m)) => dropped.push((line, format!("{m}; the {} is not kept", child.name))),
        }
    }
    out.push(format!("END:{}", c.name));
    Ok((out, dropped))
}

/// The sub-component lines of a stored event's `extra_ics` that can be written validly (rows
/// stored before the import checked them may hold a broken alarm); the rest is left out.
pub(crate) fn clean_blocks(block_lines: &[String]) -> Vec<String> {
    let numbered: Vec<(usize, String)> = block_lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.clone()))
        .collect();
    build_tree(&numbered)
        .iter()
        .filter_map(|c| kept_component(c).ok())
        .flat_map(|(l, _)| l)
        .collect()
}

fn read_event(
    c: &Comp,
    lines: &[(usize, String)],
    zones: &Zones,
    opts: &ParseOptions,
) -> ItemResult<ReadEvent> {
    if let Some((line, msg)) = c.all_errors().into_iter().next() {
        return Err((line, msg));
    }
    if let Some(p) = c.prop("X-SECRETAIRE-SEGMENT") {
        return Err((
            c.line,
            format!(
                "a travel segment exported by secretaire ({}); edit it in its trip",
                p.value.trim()
            ),
        ));
    }
    let at = |p: &Prop, m: String| (p.line, m);
    let uid = match c.prop("UID").map(|p| unescape_text(p.value.trim())) {
        Some(u) if !u.is_empty() => u,
        _ => {
            // calcurse exports without UIDs unless asked: derive a stable one from the content
            // so importing the same file twice is still idempotent.
            let raw = raw_lines(c, lines);
            let refs: Vec<&str> = raw.iter().map(String::as_str).collect();
            format!("import-{:016x}@secretaire", fnv64(&refs))
        }
    };
    let dtstart = c
        .prop("DTSTART")
        .ok_or_else(|| (c.line, "no DTSTART".to_string()))?;
    let start_m = moment(dtstart, &dtstart.value, zones).map_err(|m| at(dtstart, m))?;
    // Google writes UTC times plus a calendar zone: keep the instant, show it in that zone.
    let event_tz = match start_m {
        // We write a start in UTC when its wall time is the second of two, naming its zone.
        Moment::Local(_, z) if z == chrono_tz::UTC => dtstart
            .param(super::export::ZONE_PARAM)
            .and_then(super::tz::zone_from_tzid)
            .or(zones.wr)
            .unwrap_or(chrono_tz::UTC),
        Moment::Local(_, z) => z,
        Moment::Date(_) => zones.floating,
    };
    let end_m = match c.prop("DTEND") {
        Some(p) => Some(moment(p, &p.value, zones).map_err(|m| at(p, m))?),
        None => None,
    };
    let duration = match c.prop("DURATION") {
        Some(p) if end_m.is_none() => Some(
            parse_duration(&p.value)
                .ok_or_else(|| at(p, format!("bad DURATION '{}'", p.value.trim())))?,
        ),
        _ => None,
    };
    let time = match start_m {
        Moment::Date(s) => {
            let end = match (end_m, duration) {
                (Some(Moment::Date(e)), _) => e.pred_opt().unwrap_or(e),
                (Some(Moment::Local(n, _)), _) => n.date().pred_opt().unwrap_or(s),
                (None, Some(d)) => {
                    let days = d.num_days().max(1);
                    s.checked_add_signed(Duration::days(days - 1)).unwrap_or(s)
                }
                (None, None) => s,
            };
            // DTEND equal to DTSTART (a common mistake): one day.
            let end = end.max(s);
            EventTime::AllDay { start: s, end }
        }
        Moment::Local(..) => {
            let start = start_m.instant(event_tz);
            let end = match (end_m, duration) {
                (Some(m), _) => m.instant(event_tz),
                (None, Some(d)) => start.checked_add_signed(d).unwrap_or(start),
                (None, None) => start,
            };
            if end < start {
                let p = c.prop("DTEND").or(c.prop("DURATION")).unwrap_or(dtstart);
                return Err((p.line, "the event ends before it starts".to_string()));
            }
            EventTime::Timed {
                start,
                end,
                tz: event_tz,
            }
        }
    };
    // EXDATE/RDATE/RECURRENCE-ID in the event's frame: wall time in its zone, or midnight.
    let to_frame = |m: Moment| -> NaiveDateTime {
        match (&time, m) {
            (EventTime::AllDay { .. }, Moment::Date(d)) => d.and_time(NaiveTime::MIN),
            (EventTime::AllDay { .. }, Moment::Local(n, _)) => n.date().and_time(NaiveTime::MIN),
            (EventTime::Timed { start, tz, .. }, Moment::Date(d)) => {
                d.and_time(start.with_timezone(tz).time())
            }
            (EventTime::Timed { tz, .. }, Moment::Local(n, z)) => {
                if z == *tz {
                    n
                } else {
                    local_to_utc(n, z).with_timezone(tz).naive_local()
                }
            }
        }
    };
    let list = |name: &str| -> ItemResult<Vec<NaiveDateTime>> {
        let mut v = Vec::new();
        for p in c.props.iter().filter(|p| p.name == name) {
            for val in p.value.split(',').filter(|s| !s.trim().is_empty()) {
                v.push(to_frame(moment(p, val, zones).map_err(|m| at(p, m))?));
            }
        }
        Ok(v)
    };
    let exdates = list("EXDATE")?;
    let rdates = list("RDATE")?;
    // RDATE;VALUE=PERIOD: an extra instance with its own length (start/end or start/duration).
    let mut periods: Vec<(NaiveDateTime, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for p in c.props.iter().filter(|p| p.name == "RDATE") {
        for val in p.value.split(',').filter(|v| v.contains('/')) {
            let (a, b) = val.split_once('/').unwrap_or((val, ""));
            let m = moment(p, a, zones).map_err(|m| at(p, m))?;
            let s = m.instant(event_tz);
            let b = b.trim();
            let e = if b.starts_with(['P', 'p', '+', '-']) {
                parse_duration(b).and_then(|d| s.checked_add_signed(d))
            } else {
                moment(p, b, zones).ok().map(|m| m.instant(event_tz))
            }
            .ok_or_else(|| at(p, format!("RDATE: bad period end '{}'", short_text(b))))?;
            if e < s {
                return Err(at(p, "RDATE: a period that ends before it starts".into()));
            }
            periods.push((to_frame(m), s, e));
        }
    }
    let rid_moment = match c.prop("RECURRENCE-ID") {
        Some(p) => Some(moment(p, &p.value, zones).map_err(|m| at(p, m))?),
        None => None,
    };
    // In the override's own frame for now; `read_calendar` re-frames it in its series' zone.
    let recurrence_id = rid_moment.map(to_frame);

    let text = |name: &str| c.prop(name).map(|p| unescape_text(&p.value));
    let title = one_line(&text("SUMMARY").unwrap_or_default());
    let title = if title.trim().is_empty() {
        "(no title)".to_string()
    } else {
        title
    };
    let stamp = |name: &str| -> Option<DateTime<Utc>> {
        match parse_dt(&c.prop(name)?.value, false).ok()? {
            Dt::Utc(n) | Dt::Floating(n) => Some(Utc.from_utc_datetime(&n)),
            Dt::Date(d) => Some(Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN))),
        }
    };
    let created = stamp("CREATED").or(stamp("DTSTAMP")).unwrap_or(opts.now);
    let updated = stamp("LAST-MODIFIED")
        .or(stamp("DTSTAMP"))
        .unwrap_or(created);
    let status = match c
        .prop("STATUS")
        .map(|p| p.value.trim().to_ascii_uppercase())
    {
        Some(s) if s == "TENTATIVE" => EventStatus::Tentative,
        Some(s) if s == "CANCELLED" || s == "CANCELED" => EventStatus::Cancelled,
        _ => EventStatus::Confirmed,
    };

    // Category: ours if we wrote it, else guessed from CATEGORIES.
    let cats: Vec<&Prop> = c.props.iter().filter(|p| p.name == "CATEGORIES").collect();
    let ours = c
        .prop("X-SECRETAIRE-CATEGORY")
        .and_then(|p| p.value.trim().parse::<EventCategory>().ok());
    let guessed = cats
        .iter()
        .flat_map(|p| split_text_list(&p.value))
        .find_map(|v| v.trim().parse::<EventCategory>().ok());
    let category = ours.or(guessed).unwrap_or(EventCategory::Meeting);
    // Consumed when our export writes it back the same (it leaves out the default category).
    let consumed_categories = category != EventCategory::Meeting && cats.len() == 1 && {
        let v = split_text_list(&cats[0].value);
        cats[0].params.is_empty()
            && v.len() == 1
            && v[0].eq_ignore_ascii_case(category_label(category))
    };

    let mut attendees = Vec::new();
    for p in c.props.iter().filter(|p| p.name == "ATTENDEE") {
        let v = p.value.trim();
        let addr = match (v.get(..7), v.get(7..)) {
            (Some(h), Some(rest)) if h.eq_ignore_ascii_case("mailto:") => rest.trim().to_string(),
            _ => String::new(),
        };
        let email = if crate::domain::event::looks_like_email(&addr) {
            addr
        } else {
            String::new()
        };
        let mut name = one_line(p.param("CN").unwrap_or(""));
        if name.is_empty() && email.is_empty() && !v.eq_ignore_ascii_case("invalid:nomail") {
            name = one_line(v);
        }
        if name.is_empty() && email.is_empty() {
            continue;
        }
        let contact_id = p
            .param("X-SECRETAIRE-CONTACT-ID")
            .and_then(|s| s.trim().parse::<i64>().ok());
        attendees.push(Attendee {
            contact_id,
            name,
            email,
        });
    }

    let mut reminder_minutes = None;
    let mut extra: Vec<String> = Vec::new();
    let mut dropped: Vec<Dropped> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for p in &c.props {
        let n = p.name.as_str();
        let modeled = matches!(n, "EXDATE" | "RDATE" | "ATTENDEE")
            || n == super::profile::DERIVED_PROP
            || (n == "CATEGORIES" && consumed_categories);
        if modeled {
            continue;
        }
        if OWN_PROPS.contains(&n) {
            // one of each; a duplicate is dropped
            if !seen.contains(&n) {
                seen.push(n);
            }
            continue;
        }
        if let Some(m) = keep::event_prop_problem(p) {
            dropped.push((p.line, format!("{m}; not kept")));
            continue;
        }
        if keep::once_only("VEVENT", n) && seen.contains(&n) {
            dropped.push((p.line, format!("a second {n}; not kept")));
            continue;
        }
        seen.push(n);
        extra.push(p.raw.clone());
    }
    // Parameters of the TEXT properties we model (SUMMARY;LANGUAGE=de): kept for the export,
    // those off RFC 5545's grammar left out (the value is kept).
    for name in super::export::TEXT_WITH_PARAMS {
        let Some(p) = c.prop(name) else { continue };
        for (_, why) in &p.bad_params {
            dropped.push((p.line, format!("{name}: {why}; the parameter is not kept")));
        }
        let good: Vec<&(String, Vec<String>)> = p
            .params
            .iter()
            .filter(|(k, _)| !p.bad_params.iter().any(|(b, _)| b == k))
            .collect();
        if !good.is_empty() {
            let mut line = super::export::params_line_name(name);
            for (k, vs) in good {
                line.push(';');
                line.push_str(k);
                line.push('=');
                let quoted: Vec<String> = vs.iter().map(|v| super::line::param_value(v)).collect();
                line.push_str(&quoted.join(","));
            }
            line.push(':');
            extra.push(line);
        }
    }
    for child in &c.children {
        if child.name == "VALARM"
            && reminder_minutes.is_none()
            && let Some(m) = alarm_minutes(child)
        {
            reminder_minutes = Some(m);
            continue;
        }
        match kept_component(child) {
            Ok((kept, parts)) => {
                extra.extend(kept);
                dropped.extend(parts);
            }
            Err((line, m)) => dropped.push((line, format!("{m}; the {} is not kept", child.name))),
        }
    }
    let rrule = c
        .prop("RRULE")
        .map(|p| p.value.trim().to_string())
        .filter(|r| !r.is_empty());
    // A rule our expander cannot follow would show a series as one event: say so instead.
    if let (Some(r), Some(p)) = (&rrule, c.prop("RRULE")) {
        if !r.is_ascii() {
            return Err((
                p.line,
                "RRULE: not a rule (it holds non-ASCII characters)".into(),
            ));
        }
        crate::domain::recurrence::validate_rrule(r)
            .map_err(|m| (p.line, format!("RRULE: {m}")))?;
    }
    // Stored in one spelling, as rules typed here are.
    let rrule = rrule.map(|r| crate::domain::recurrence::canonical_rrule(&r).unwrap_or(r));

    let event = Event {
        id: 0,
        uid,
        title,
        time,
        location: one_line(&text("LOCATION").unwrap_or_default()),
        notes: multi_line(&text("DESCRIPTION").unwrap_or_default()),
        category,
        status,
        attendees,
        reminder_minutes,
        rrule,
        exdates,
        rdates,
        recurrence_id,
        sequence: c
            .prop("SEQUENCE")
            .and_then(|p| p.value.trim().parse::<u32>().ok())
            .unwrap_or(0),
        created,
        updated: updated.max(created),
        extra_ics: extra.join("\n"),
    };
    event.validate().map_err(|e| {
        let line = match e.field {
            "title" => c.prop("SUMMARY").map(|p| p.line),
            "location" => c.prop("LOCATION").map(|p| p.line),
            "notes" => c.prop("DESCRIPTION").map(|p| p.line),
            "rrule" => c.prop("RRULE").map(|p| p.line),
            "attendee" => c.prop("ATTENDEE").map(|p| p.line),
            "end" => c.prop("DTEND").map(|p| p.line),
            _ => None,
        };
        (line.unwrap_or(c.line), e.to_string())
    })?;
    // Periods of another length than the event's become changed occurrences of that length.
    let mut extra_instances = Vec::new();
    if let EventTime::Timed { start, end, tz } = &event.time {
        for (rid, s, e) in periods {
            if e - s == *end - *start || event.exdates.contains(&rid) {
                continue;
            }
            let mut o = event.clone();
            o.rrule = None;
            o.rdates.clear();
            o.exdates.clear();
            o.recurrence_id = Some(rid);
            o.time = EventTime::Timed {
                start: s,
                end: e,
                tz: *tz,
            };
            extra_instances.push(o);
        }
    }
    Ok(ReadEvent {
        event,
        rid: rid_moment,
        dropped,
        instances: extra_instances,
    })
}

/// An override's RECURRENCE-ID as the wall time of its series (the convention of
/// `Event::recurrence_id`): in the series' zone, or midnight of the date for all-day series.
fn rid_in_series(rid: Moment, series: &EventTime) -> NaiveDateTime {
    match (series, rid) {
        (EventTime::AllDay { .. }, Moment::Date(d)) => d.and_time(NaiveTime::MIN),
        (EventTime::AllDay { .. }, Moment::Local(n, _)) => n.date().and_time(NaiveTime::MIN),
        (EventTime::Timed { start, tz, .. }, Moment::Date(d)) => {
            d.and_time(start.with_timezone(tz).time())
        }
        (EventTime::Timed { tz, .. }, Moment::Local(n, z)) => {
            if z == *tz {
                n
            } else {
                local_to_utc(n, z).with_timezone(tz).naive_local()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse_duration("P2W"), Some(Duration::days(14)));
        assert_eq!(parse_duration("PT0S"), Some(Duration::zero()));
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT5"), None);
        assert_eq!(parse_duration("-P300S"), Some(Duration::minutes(-5)));
        assert_eq!(parse_duration("P1M"), None);
        assert_eq!(parse_duration("P99999999999999999999D"), None);
    }

    #[test]
    fn date_values() {
        assert_eq!(
            parse_dt("20261201", false),
            Ok(Dt::Date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()))
        );
        assert!(matches!(
            parse_dt("20261201T090000Z", false),
            Ok(Dt::Utc(_))
        ));
        assert!(matches!(
            parse_dt("20261201T0900", false),
            Ok(Dt::Floating(_))
        ));
        assert!(parse_dt("20261301T090000", false).is_err());
        assert!(parse_dt("2026-12-01", false).is_err());
    }
}
