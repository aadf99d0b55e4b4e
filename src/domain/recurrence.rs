//! Recurrence expansion. `expand` returns every occurrence of `event` that overlaps
//! `[from, to)`, honouring RRULE, RDATE, EXDATE, in the event's own zone (a weekly 09:00
//! Europe/Stockholm stays 09:00 local across DST). Overrides (events with `recurrence_id`) are
//! applied by `expand_series`.
//!
//! The expander is our own (RFC 5545 section 3.3.10, with the same BYxxx defaults and order of
//! evaluation as python-dateutil, which calendar clients and `recurring_ical_events` use):
//! FREQ=DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL, COUNT or UNTIL, BYDAY (with ordinals such as
//! `2TU`, `-1FR`), BYMONTHDAY, BYMONTH, BYYEARDAY, BYHOUR/BYMINUTE/BYSECOND, BYSETPOS, WKST.
//! FREQ=HOURLY/MINUTELY/SECONDLY and BYWEEKNO are rejected with a clear message.
//!
//! Rules work on local wall times in the event's zone. A wall time that does not exist (the
//! spring-forward gap) moves forward by the gap; an ambiguous one takes the earlier instant
//! (see `when::local_to_utc`). DTSTART is always the first occurrence and counts towards COUNT
//! (RFC 5545), even when it does not match the rule.
//!
//! Checked against python `recurring_ical_events` (dateutil) on thousands of random rules
//! (`tests/recurrence.rs`, `tests/interop/rrule_check.py`). Where dateutil departs from RFC 5545
//! we follow the RFC: BYDAY mixing plain and numbered days (`MO,-1FR`) is their union (dateutil
//! intersects them); WEEKLY with BYSETPOS takes the whole first week (dateutil starts it at
//! DTSTART); a DTSTART that does not match its rule counts towards COUNT (dateutil does not
//! count it; the RFC calls such a set undefined, and `first_match` lets forms snap DTSTART).
//!
//! Cost: a series without COUNT jumps straight to the period holding the window, so a one-day
//! window ten years after DTSTART costs the same as one on the first day. A series with COUNT
//! has to count from DTSTART, but stops after COUNT occurrences or at the window's end.
use super::{Event, EventStatus, EventTime};
use crate::domain::when::local_to_utc;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// One concrete occurrence of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub event_id: i64,
    pub start: DateTime<Utc>,
    /// Exclusive.
    pub end: DateTime<Utc>,
    pub all_day: bool,
    /// The original local start of this occurrence (its RECURRENCE-ID), None for a single event.
    pub recurrence_id: Option<NaiveDateTime>,
}

/// Upper bound on occurrences produced by one `expand` call (a rule like
/// `FREQ=DAILY;BYMINUTE=0,1,..` over a decade must not exhaust memory).
pub const MAX_OCCURRENCES: usize = 100_000;

/// A problem with an RRULE text, naming the part at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid RRULE: {0}")]
pub struct RRuleError(pub String);

fn rerr<T>(msg: impl Into<String>) -> Result<T, RRuleError> {
    Err(RRuleError(msg.into()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// The end given by UNTIL, in the form it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// `UNTIL=20261231`: the whole day is included.
    Date(NaiveDate),
    /// `UNTIL=20261231T225959Z`.
    Utc(DateTime<Utc>),
    /// `UNTIL=20261231T235959` (floating: a wall time in the event's zone).
    Local(NaiveDateTime),
}

/// A parsed RRULE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    /// (ordinal, weekday); ordinal 0 = every such weekday.
    pub by_day: Vec<(i32, Weekday)>,
    pub by_month_day: Vec<i32>,
    pub by_month: Vec<u32>,
    pub by_year_day: Vec<i32>,
    pub by_hour: Vec<u32>,
    pub by_minute: Vec<u32>,
    pub by_second: Vec<u32>,
    pub by_set_pos: Vec<i32>,
    pub wkst: Weekday,
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

pub fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn parse_list<T>(
    key: &str,
    value: &str,
    f: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<Vec<T>, RRuleError> {
    let mut out = Vec::new();
    for part in value.split(',') {
        match f(part.trim()) {
            Some(v) => out.push(v),
            None => return rerr(format!("{key}={value}: '{part}' is not {what}")),
        }
    }
    Ok(out)
}

fn int_in(s: &str, lo: i64, hi: i64, nonzero: bool) -> Option<i64> {
    let t = s.strip_prefix('+').unwrap_or(s);
    // Long enough for every bound used (COUNT up to 1000000), short enough to parse as i64.
    if t.is_empty() || t.len() > 12 {
        return None;
    }
    let n: i64 = t.parse().ok()?;
    let ok = if nonzero {
        n != 0 && n.abs() >= lo && n.abs() <= hi
    } else {
        n >= lo && n <= hi
    };
    ok.then_some(n)
}

fn parse_until(v: &str) -> Option<Until> {
    let v = v.trim();
    if v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(Until::Date);
    }
    if let Some(x) = v.strip_suffix('Z').or_else(|| v.strip_suffix('z')) {
        let n = NaiveDateTime::parse_from_str(x, "%Y%m%dT%H%M%S").ok()?;
        return Some(Until::Utc(n.and_utc()));
    }
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .ok()
        .map(Until::Local)
}

/// Parse an RRULE value (`FREQ=WEEKLY;BYDAY=MO,WE`; a leading `RRULE:` is accepted).
pub fn parse_rrule(text: &str) -> Result<Rule, RRuleError> {
    let t = text.trim();
    // RFC 5545 rule parts are ASCII; refusing anything else up front also keeps the byte
    // slicing below on character boundaries.
    if let Some(c) = t.chars().find(|c| !c.is_ascii()) {
        return rerr(format!(
            "unexpected character '{c}' (a rule is plain ASCII, e.g. FREQ=WEEKLY;BYDAY=MO)"
        ));
    }
    let t = if t.len() >= 6 && t[..6].eq_ignore_ascii_case("RRULE:") {
        &t[6..]
    } else {
        t
    };
    if t.is_empty() {
        return rerr("empty rule (expected e.g. FREQ=WEEKLY;BYDAY=MO)");
    }
    let mut freq = None;
    let mut rule = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        by_day: vec![],
        by_month_day: vec![],
        by_month: vec![],
        by_year_day: vec![],
        by_hour: vec![],
        by_minute: vec![],
        by_second: vec![],
        by_set_pos: vec![],
        wkst: Weekday::Mon,
    };
    let mut seen: Vec<String> = Vec::new();
    for part in t.split(';') {
        if part.trim().is_empty() {
            continue;
        }
        let Some((k, v)) = part.split_once('=') else {
            return rerr(format!("'{part}' is not KEY=VALUE"));
        };
        let key = k.trim().to_ascii_uppercase();
        let value = v.trim().to_ascii_uppercase();
        if seen.contains(&key) {
            return rerr(format!("{key} is given twice"));
        }
        seen.push(key.clone());
        if value.is_empty() {
            return rerr(format!("{key} has no value"));
        }
        match key.as_str() {
            "FREQ" => {
                freq = Some(match value.as_str() {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    "YEARLY" => Freq::Yearly,
                    "HOURLY" | "MINUTELY" | "SECONDLY" => {
                        return rerr(format!(
                            "FREQ={value} is not supported (use DAILY, WEEKLY, MONTHLY or YEARLY)"
                        ));
                    }
                    _ => {
                        return rerr(format!(
                            "FREQ={value} is unknown (use DAILY, WEEKLY, MONTHLY or YEARLY)"
                        ));
                    }
                })
            }
            "INTERVAL" => match int_in(&value, 1, 10_000, false) {
                Some(n) => rule.interval = n as u32,
                None => {
                    return rerr(format!("INTERVAL={value} must be a number from 1 to 10000"));
                }
            },
            "COUNT" => match int_in(&value, 1, 1_000_000, false) {
                Some(n) => rule.count = Some(n as u32),
                None => {
                    return rerr(format!("COUNT={value} must be a number from 1 to 1000000"));
                }
            },
            "UNTIL" => match parse_until(&value) {
                Some(u) => rule.until = Some(u),
                None => {
                    return rerr(format!(
                        "UNTIL={value} is not a date (20261231) or date-time (20261231T235959Z)"
                    ));
                }
            },
            "BYDAY" => {
                rule.by_day = parse_list(
                    &key,
                    &value,
                    |s| {
                        if s.len() < 2 {
                            return None;
                        }
                        let (n, d) = s.split_at(s.len() - 2);
                        let wd = parse_weekday(d)?;
                        let ord = if n.is_empty() {
                            0
                        } else {
                            int_in(n, 1, 53, true)? as i32
                        };
                        Some((ord, wd))
                    },
                    "a weekday such as MO, 2TU or -1FR",
                )?
            }
            "BYMONTHDAY" => {
                rule.by_month_day = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 1, 31, true).map(|n| n as i32),
                    "a day of the month (1..31 or -31..-1)",
                )?
            }
            "BYMONTH" => {
                rule.by_month = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 1, 12, false).map(|n| n as u32),
                    "a month (1..12)",
                )?
            }
            "BYYEARDAY" => {
                rule.by_year_day = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 1, 366, true).map(|n| n as i32),
                    "a day of the year (1..366 or -366..-1)",
                )?
            }
            "BYHOUR" => {
                rule.by_hour = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 0, 23, false).map(|n| n as u32),
                    "an hour (0..23)",
                )?
            }
            "BYMINUTE" => {
                rule.by_minute = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 0, 59, false).map(|n| n as u32),
                    "a minute (0..59)",
                )?
            }
            "BYSECOND" => {
                rule.by_second = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 0, 59, false).map(|n| n as u32),
                    "a second (0..59)",
                )?
            }
            "BYSETPOS" => {
                rule.by_set_pos = parse_list(
                    &key,
                    &value,
                    |s| int_in(s, 1, 366, true).map(|n| n as i32),
                    "a position (1..366 or -366..-1)",
                )?
            }
            "WKST" => match parse_weekday(&value) {
                Some(d) => rule.wkst = d,
                None => return rerr(format!("WKST={value} is not a weekday (MO..SU)")),
            },
            "BYWEEKNO" => return rerr("BYWEEKNO is not supported"),
            _ if key.starts_with("X-") => {}
            _ => return rerr(format!("unknown part {key}")),
        }
    }
    let Some(f) = freq else {
        return rerr("FREQ is missing (e.g. FREQ=WEEKLY)");
    };
    rule.freq = f;
    if rule.count.is_some() && rule.until.is_some() {
        return rerr("COUNT and UNTIL must not both be given");
    }
    if matches!(f, Freq::Daily | Freq::Weekly) && rule.by_day.iter().any(|(n, _)| *n != 0) {
        return rerr(format!(
            "BYDAY with a number (e.g. 2TU) needs FREQ=MONTHLY or YEARLY, not {}",
            if f == Freq::Daily { "DAILY" } else { "WEEKLY" }
        ));
    }
    let in_month = f == Freq::Monthly || (f == Freq::Yearly && !rule.by_month.is_empty());
    if in_month && let Some((n, d)) = rule.by_day.iter().find(|(n, _)| n.abs() > 5) {
        return rerr(format!(
            "BYDAY={n}{}: a month has at most 5 of each weekday (use 1..5 or -5..-1)",
            weekday_code(*d)
        ));
    }
    if f == Freq::Weekly && !rule.by_month_day.is_empty() {
        return rerr("BYMONTHDAY cannot be used with FREQ=WEEKLY");
    }
    if f != Freq::Yearly && !rule.by_year_day.is_empty() {
        return rerr("BYYEARDAY needs FREQ=YEARLY");
    }
    Ok(rule)
}

/// Check an RRULE text for forms and the CLI: `Err` holds a one-line message.
pub fn validate_rrule(text: &str) -> Result<(), String> {
    parse_rrule(text).map(|_| ()).map_err(|e| e.to_string())
}

/// The rule in one canonical spelling, so that the same rule is stored and exported the same
/// whoever typed it (`freq=weekly;byday=tu` is refused by calcurse): names upper-case, parts in
/// RFC 5545's order of evaluation (FREQ, INTERVAL, BYMONTH, BYYEARDAY, BYMONTHDAY, BYDAY,
/// BYHOUR, BYMINUTE, BYSECOND, BYSETPOS, WKST) with COUNT or UNTIL last, numbers without `+` or
/// leading zeros, defaults left out (INTERVAL=1, WKST=MO), repeated list values once, and `X-`
/// parts dropped (python-dateutil refuses them). Weekday lists keep their order.
pub fn canonical_rrule(text: &str) -> Result<String, RRuleError> {
    let r = parse_rrule(text)?;
    Ok(format_rule(&r))
}

/// [`canonical_rrule`] for forms and the CLI: `Err` holds a one-line message.
pub fn canonical(text: &str) -> Result<String, String> {
    canonical_rrule(text).map_err(|e| e.to_string())
}

/// A parsed rule written back in the canonical spelling (see [`canonical_rrule`]).
pub fn format_rule(r: &Rule) -> String {
    fn list<T: PartialEq + ToString>(key: &str, v: &[T], out: &mut Vec<String>) {
        if v.is_empty() {
            return;
        }
        let mut seen: Vec<&T> = Vec::new();
        for x in v {
            if !seen.contains(&x) {
                seen.push(x);
            }
        }
        let items: Vec<String> = seen.iter().map(|x| x.to_string()).collect();
        out.push(format!("{key}={}", items.join(",")));
    }
    let mut out = vec![format!(
        "FREQ={}",
        match r.freq {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
            Freq::Yearly => "YEARLY",
        }
    )];
    if r.interval != 1 {
        out.push(format!("INTERVAL={}", r.interval));
    }
    list("BYMONTH", &r.by_month, &mut out);
    list("BYYEARDAY", &r.by_year_day, &mut out);
    list("BYMONTHDAY", &r.by_month_day, &mut out);
    let days: Vec<String> = r
        .by_day
        .iter()
        .map(|(n, d)| {
            if *n == 0 {
                weekday_code(*d).to_string()
            } else {
                format!("{n}{}", weekday_code(*d))
            }
        })
        .collect();
    list("BYDAY", &days, &mut out);
    list("BYHOUR", &r.by_hour, &mut out);
    list("BYMINUTE", &r.by_minute, &mut out);
    list("BYSECOND", &r.by_second, &mut out);
    list("BYSETPOS", &r.by_set_pos, &mut out);
    if r.wkst != Weekday::Mon {
        out.push(format!("WKST={}", weekday_code(r.wkst)));
    }
    if let Some(c) = r.count {
        out.push(format!("COUNT={c}"));
    }
    match r.until {
        Some(Until::Date(d)) => out.push(format!("UNTIL={}", d.format("%Y%m%d"))),
        Some(Until::Utc(t)) => out.push(format!("UNTIL={}", t.format("%Y%m%dT%H%M%SZ"))),
        Some(Until::Local(n)) => out.push(format!("UNTIL={}", n.format("%Y%m%dT%H%M%S"))),
        None => {}
    }
    out.join(";")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    match (
        NaiveDate::from_ymd_opt(ny, nm, 1),
        NaiveDate::from_ymd_opt(y, m, 1),
    ) {
        (Some(a), Some(b)) => (a - b).num_days() as u32,
        _ => 31,
    }
}

fn days_in_year(y: i32) -> u32 {
    if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// The rule with python-dateutil's defaults filled in from DTSTART.
struct Prepared<'a> {
    rule: &'a Rule,
    by_day: Vec<(i32, Weekday)>,
    by_month_day: Vec<i32>,
    by_month: Vec<u32>,
    times: Vec<NaiveTime>,
    /// First day of period 0.
    p0: NaiveDate,
}

impl<'a> Prepared<'a> {
    fn new(rule: &'a Rule, dtstart: NaiveDateTime, all_day: bool) -> Prepared<'a> {
        let d = dtstart.date();
        let mut by_day = rule.by_day.clone();
        let mut by_month_day = rule.by_month_day.clone();
        let mut by_month = rule.by_month.clone();
        if by_day.is_empty() && by_month_day.is_empty() && rule.by_year_day.is_empty() {
            match rule.freq {
                Freq::Daily => {}
                Freq::Weekly => by_day = vec![(0, d.weekday())],
                Freq::Monthly => by_month_day = vec![d.day() as i32],
                Freq::Yearly => {
                    by_month_day = vec![d.day() as i32];
                    if by_month.is_empty() {
                        by_month = vec![d.month()];
                    }
                }
            }
        }
        let times = if all_day {
            vec![NaiveTime::MIN]
        } else {
            let t = dtstart.time();
            let hs = if rule.by_hour.is_empty() {
                vec![t.hour()]
            } else {
                rule.by_hour.clone()
            };
            let ms = if rule.by_minute.is_empty() {
                vec![t.minute()]
            } else {
                rule.by_minute.clone()
            };
            let ss = if rule.by_second.is_empty() {
                vec![t.second()]
            } else {
                rule.by_second.clone()
            };
            let mut v: Vec<NaiveTime> = Vec::new();
            for h in &hs {
                for m in &ms {
                    for sec in &ss {
                        if let Some(t) = NaiveTime::from_hms_opt(*h, *m, *sec) {
                            v.push(t);
                        }
                    }
                }
            }
            v.sort();
            v.dedup();
            v
        };
        let p0 = match rule.freq {
            Freq::Daily => d,
            Freq::Weekly => {
                let back =
                    (7 + d.weekday().num_days_from_monday() - rule.wkst.num_days_from_monday()) % 7;
                d - Duration::days(i64::from(back))
            }
            Freq::Monthly => d.with_day(1).unwrap_or(d),
            Freq::Yearly => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
        };
        Prepared {
            rule,
            by_day,
            by_month_day,
            by_month,
            times,
            p0,
        }
    }

    /// First day and number of days of period `k`; None past chrono's range.
    fn period(&self, k: i64) -> Option<(NaiveDate, i64)> {
        let step = i64::from(self.rule.interval).checked_mul(k)?;
        match self.rule.freq {
            Freq::Daily => Some((self.p0.checked_add_signed(Duration::try_days(step)?)?, 1)),
            Freq::Weekly => Some((
                self.p0
                    .checked_add_signed(Duration::try_days(step.checked_mul(7)?)?)?,
                7,
            )),
            Freq::Monthly => {
                let m = i64::from(self.p0.month0()) + step;
                let y = i64::from(self.p0.year()) + m.div_euclid(12);
                let y = i32::try_from(y).ok()?;
                let mo = m.rem_euclid(12) as u32 + 1;
                let first = NaiveDate::from_ymd_opt(y, mo, 1)?;
                Some((first, i64::from(days_in_month(y, mo))))
            }
            Freq::Yearly => {
                let y = i32::try_from(i64::from(self.p0.year()) + step).ok()?;
                let first = NaiveDate::from_ymd_opt(y, 1, 1)?;
                Some((first, i64::from(days_in_year(y))))
            }
        }
    }

    /// The period index holding local date `t` (or the last one starting before it).
    fn period_index(&self, t: NaiveDate) -> i64 {
        let iv = i64::from(self.rule.interval);
        let k = match self.rule.freq {
            Freq::Daily => (t - self.p0).num_days().div_euclid(iv),
            Freq::Weekly => (t - self.p0).num_days().div_euclid(7 * iv),
            Freq::Monthly => {
                let m = (i64::from(t.year()) * 12 + i64::from(t.month0()))
                    - (i64::from(self.p0.year()) * 12 + i64::from(self.p0.month0()));
                m.div_euclid(iv)
            }
            Freq::Yearly => (i64::from(t.year()) - i64::from(self.p0.year())).div_euclid(iv),
        };
        k.max(0)
    }

    fn day_matches(&self, d: NaiveDate) -> bool {
        if !self.by_month.is_empty() && !self.by_month.contains(&d.month()) {
            return false;
        }
        if !self.rule.by_year_day.is_empty() {
            let n = d.ordinal() as i32;
            let neg = n - days_in_year(d.year()) as i32 - 1;
            if !self.rule.by_year_day.iter().any(|&x| x == n || x == neg) {
                return false;
            }
        }
        let dim = days_in_month(d.year(), d.month()) as i32;
        if !self.by_month_day.is_empty() {
            let n = d.day() as i32;
            let neg = n - dim - 1;
            if !self.by_month_day.iter().any(|&x| x == n || x == neg) {
                return false;
            }
        }
        if !self.by_day.is_empty() {
            let wd = d.weekday();
            let in_month = self.rule.freq == Freq::Monthly
                || (self.rule.freq == Freq::Yearly && !self.rule.by_month.is_empty());
            let (pos, len) = if in_month {
                (d.day() as i32, dim)
            } else {
                (d.ordinal() as i32, days_in_year(d.year()) as i32)
            };
            let nth = (pos - 1) / 7 + 1;
            let nth_neg = -((len - pos) / 7 + 1);
            let ok = self.by_day.iter().any(|&(ord, w)| {
                w == wd
                    && (ord == 0
                        || matches!(self.rule.freq, Freq::Daily | Freq::Weekly)
                        || ord == nth
                        || ord == nth_neg)
            });
            if !ok {
                return false;
            }
        }
        true
    }

    /// The rule's occurrences in period `k`, sorted, BYSETPOS applied.
    fn period_set(&self, first: NaiveDate, len: i64, out: &mut Vec<NaiveDateTime>) {
        out.clear();
        for i in 0..len {
            let Some(d) = first.checked_add_signed(Duration::days(i)) else {
                break;
            };
            if self.day_matches(d) {
                out.extend(self.times.iter().map(|t| d.and_time(*t)));
            }
        }
        if !self.rule.by_set_pos.is_empty() && !out.is_empty() {
            let n = out.len() as i64;
            let mut picked: Vec<NaiveDateTime> = self
                .rule
                .by_set_pos
                .iter()
                .filter_map(|&p| {
                    let i = if p > 0 {
                        i64::from(p) - 1
                    } else {
                        n + i64::from(p)
                    };
                    (0..n).contains(&i).then(|| out[i as usize])
                })
                .collect();
            picked.sort();
            picked.dedup();
            *out = picked;
        }
    }
}

/// How the series' local wall times map to instants and where UNTIL cuts.
struct Frame {
    tz: Tz,
    all_day: bool,
}

impl Frame {
    fn beyond_until(&self, until: Option<Until>, dt: NaiveDateTime) -> bool {
        match until {
            None => false,
            Some(Until::Date(d)) => dt.date() > d,
            Some(Until::Local(n)) => {
                if self.all_day {
                    dt.date() > n.date()
                } else {
                    dt > n
                }
            }
            Some(Until::Utc(u)) => {
                if self.all_day {
                    dt.date() > u.date_naive()
                } else {
                    local_to_utc(dt, self.tz) > u
                }
            }
        }
    }
}

/// Local start times generated by `rule` from `dtstart` (DTSTART first), limited to those
/// whose date lies in `[lo, hi]`. COUNT and UNTIL are honoured; EXDATE/RDATE are not applied.
fn rule_starts(
    rule: &Rule,
    dtstart: NaiveDateTime,
    frame: &Frame,
    lo: NaiveDate,
    hi: NaiveDate,
) -> Vec<NaiveDateTime> {
    let p = Prepared::new(rule, dtstart, frame.all_day);
    let mut out = Vec::new();
    let mut emitted: u64 = 0;
    let count = rule.count.map(u64::from);
    // DTSTART is always the first occurrence.
    if frame.beyond_until(rule.until, dtstart) {
        // UNTIL before DTSTART: DTSTART is still the first instance (RFC 5545).
        if dtstart.date() >= lo && dtstart.date() <= hi {
            out.push(dtstart);
        }
        return out;
    }
    emitted += 1;
    if dtstart.date() >= lo && dtstart.date() <= hi {
        out.push(dtstart);
    }
    if count == Some(1) {
        return out;
    }
    let k0 = if count.is_some() {
        0
    } else {
        p.period_index(lo)
    };
    let mut set = Vec::new();
    let mut k = k0;
    // Rules that never match (BYMONTH=2;BYMONTHDAY=30) end at `hi` like any other: every
    // period is visited at most once up to the window's end.
    while let Some((first, len)) = p.period(k) {
        if first > hi {
            break;
        }
        p.period_set(first, len, &mut set);
        for &dt in &set {
            if dt <= dtstart {
                continue;
            }
            if frame.beyond_until(rule.until, dt) {
                return out;
            }
            if dt.date() > hi {
                return out;
            }
            emitted += 1;
            if dt.date() >= lo {
                out.push(dt);
                if out.len() >= MAX_OCCURRENCES {
                    return out;
                }
            }
            if count.is_some_and(|c| emitted >= c) {
                return out;
            }
        }
        k += 1;
    }
    out
}

/// The first time at or after `dtstart` that the rule itself generates (ignoring COUNT,
/// UNTIL and the RFC rule that DTSTART is always an instance), looking at most 1000 periods
/// ahead. Forms use it to snap a series' start onto its rule: RFC 5545 leaves a series whose
/// DTSTART does not match its rule undefined, and clients disagree on whether such a DTSTART
/// counts towards COUNT.
pub fn first_match(rule: &Rule, dtstart: NaiveDateTime, all_day: bool) -> Option<NaiveDateTime> {
    first_match_within(rule, dtstart, all_day, 1000)
}

fn first_match_within(
    rule: &Rule,
    dtstart: NaiveDateTime,
    all_day: bool,
    periods: u32,
) -> Option<NaiveDateTime> {
    let p = Prepared::new(rule, dtstart, all_day);
    let mut set = Vec::new();
    for k in 0..periods {
        let (first, len) = p.period(i64::from(k))?;
        p.period_set(first, len, &mut set);
        if let Some(t) = set.iter().find(|t| **t >= dtstart) {
            return Some(*t);
        }
    }
    None
}

/// What a series needs beyond its rule's syntax, given its start, so that every calendar
/// reads it as we do. Refused: a rule that produces no occurrence from `dtstart` (such as
/// FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30: RFC 5545 leaves it undefined, calcurse spins on it
/// forever), and BYSETPOS in a weekly rule that also filters by month or time
/// (python-dateutil, hence khal, applies it to the first week cut at DTSTART; without such a
/// filter the export rewrites it as plain weekdays).
pub fn check_series(rrule: &str, dtstart: NaiveDateTime, all_day: bool) -> Result<(), String> {
    let rule = parse_rrule(rrule).map_err(|e| e.to_string())?;
    if rule.freq == Freq::Weekly
        && !rule.by_set_pos.is_empty()
        && !(rule.by_month.is_empty()
            && rule.by_hour.is_empty()
            && rule.by_minute.is_empty()
            && rule.by_second.is_empty())
    {
        return Err(
            "BYSETPOS in a weekly rule with BYMONTH, BYHOUR, BYMINUTE or BYSECOND is read \
             differently by other calendars (python-dateutil, khal); use FREQ=MONTHLY or leave \
             out BYSETPOS"
                .into(),
        );
    }
    if let Some(m) = dateutil_problem(&rule) {
        return Err(m);
    }
    // Eight years of periods: every weekday/leap-year combination comes round.
    let periods = match rule.freq {
        Freq::Daily => 3000,
        Freq::Weekly => 450,
        Freq::Monthly => 100,
        Freq::Yearly => 400,
    };
    if first_match_within(&rule, dtstart, all_day, periods).is_none() {
        return Err(format!(
            "the rule never occurs from {}: no date fits it (e.g. 30 February, or the first \
             Tuesday on the 28th)",
            if all_day {
                dtstart.format("%Y-%m-%d").to_string()
            } else {
                dtstart.format("%Y-%m-%d %H:%M").to_string()
            }
        ));
    }
    Ok(())
}

/// Why python-dateutil based clients (khal, recurring-ical-events) cannot be given this rule
/// in a form they read as RFC 5545 does (None: they can, perhaps rewritten on export). A yearly
/// rule without BYMONTH counts weekdays in the whole year: python-icalendar as khal ships it
/// reads at most one digit of such a number (`20MO` crashed khal's import and lost the rest of
/// the file), so a two-digit one is written as the days of the year it stands for, which works
/// for one weekday only; and plain weekdays mixed with numbered ones there (`SU,-1FR`), which
/// dateutil intersects, could only be written with such numbers.
pub fn dateutil_problem(rule: &Rule) -> Option<String> {
    if rule.freq != Freq::Yearly || !rule.by_month.is_empty() {
        return None;
    }
    let numbered: Vec<&(i32, Weekday)> = rule.by_day.iter().filter(|(n, _)| *n != 0).collect();
    if numbered.is_empty() {
        return None;
    }
    if numbered.len() < rule.by_day.len() {
        return Some(
            "FREQ=YEARLY without BYMONTH mixing plain and numbered weekdays (e.g. SU,-1FR) is \
             read otherwise by python-dateutil (khal); give BYMONTH or make two events"
                .into(),
        );
    }
    let big = numbered.iter().any(|(n, _)| n.abs() >= 10);
    let one_day = numbered.iter().all(|(_, d)| *d == numbered[0].1);
    if big && (!one_day || !rule.by_year_day.is_empty()) {
        return Some(
            "FREQ=YEARLY with a weekday numbered 10 or more (e.g. 20MO) crashes khal; it can be \
             written for it only alone, or with others of the same weekday and no BYYEARDAY"
                .into(),
        );
    }
    None
}

/// Whether the event's DTSTART is itself generated by its RRULE (true without a rule).
pub fn is_synchronized(event: &Event) -> bool {
    let Some(Ok(rule)) = event.rrule.as_deref().map(parse_rrule) else {
        return true;
    };
    let s = local_start(event);
    first_match(&rule, s, event.time.is_all_day()) == Some(s)
}

/// The local wall time an event starts at in its own zone (all-day: midnight of its date).
pub fn local_start(event: &Event) -> NaiveDateTime {
    match &event.time {
        EventTime::Timed { start, tz, .. } => start.with_timezone(tz).naive_local(),
        EventTime::AllDay { start, .. } => start.and_time(NaiveTime::MIN),
    }
}

/// The zone the event's wall times are in (UTC for all-day events, which have none).
pub fn event_zone(event: &Event) -> Tz {
    match &event.time {
        EventTime::Timed { tz, .. } => *tz,
        EventTime::AllDay { .. } => chrono_tz::UTC,
    }
}

/// The local start times of `event`'s recurrence set (RRULE + RDATE - EXDATE, DTSTART
/// included) whose local date is in `[lo, hi]`, sorted. An invalid RRULE counts as none
/// (DTSTART and RDATEs only); forms reject it up front with `validate_rrule`.
pub fn local_starts(event: &Event, lo: NaiveDate, hi: NaiveDate) -> Vec<NaiveDateTime> {
    let all_day = event.time.is_all_day();
    let frame = Frame {
        tz: event_zone(event),
        all_day,
    };
    let dtstart = local_start(event);
    let rule = event.rrule.as_deref().and_then(|r| parse_rrule(r).ok());
    let mut v = match &rule {
        Some(r) => rule_starts(r, dtstart, &frame, lo, hi),
        None if dtstart.date() >= lo && dtstart.date() <= hi => vec![dtstart],
        None => vec![],
    };
    let norm = |n: &NaiveDateTime| {
        if all_day {
            n.date().and_time(NaiveTime::MIN)
        } else {
            *n
        }
    };
    for r in &event.rdates {
        let r = norm(r);
        if r.date() >= lo && r.date() <= hi {
            v.push(r);
        }
    }
    v.sort();
    v.dedup();
    if !event.exdates.is_empty() {
        let ex: Vec<NaiveDateTime> = event.exdates.iter().map(norm).collect();
        v.retain(|x| !ex.contains(x));
    }
    v
}

/// Whether an event repeats (has an RRULE or RDATEs).
pub fn is_recurring(event: &Event) -> bool {
    event.rrule.is_some() || !event.rdates.is_empty()
}

/// Occurrences of one event overlapping `[from, to)`; `display` places all-day days.
/// Recurring events yield one occurrence per instance with its `recurrence_id`; a single event
/// yields at most one with `recurrence_id: None`.
pub fn expand(
    event: &Event,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    display: Tz,
) -> Vec<Occurrence> {
    let overlaps = |start: DateTime<Utc>, end: DateTime<Utc>| {
        start < to && (end > from || (end == start && start >= from))
    };
    if !is_recurring(event) || event.recurrence_id.is_some() {
        let start = event.time.start_in(display);
        let end = event.time.end_in(display);
        return if overlaps(start, end) {
            vec![Occurrence {
                event_id: event.id,
                start,
                end,
                all_day: event.time.is_all_day(),
                recurrence_id: event.recurrence_id,
            }]
        } else {
            vec![]
        };
    }
    match &event.time {
        EventTime::Timed { start, end, tz } => {
            let dur = *end - *start;
            // Generous local-date bounds; the exact overlap test follows.
            let lo = (from - dur - Duration::days(2))
                .with_timezone(tz)
                .date_naive();
            let hi = (to + Duration::days(2)).with_timezone(tz).date_naive();
            local_starts(event, lo, hi)
                .into_iter()
                .filter_map(|n| {
                    let s = local_to_utc(n, *tz);
                    let e = s + dur;
                    overlaps(s, e).then_some(Occurrence {
                        event_id: event.id,
                        start: s,
                        end: e,
                        all_day: false,
                        recurrence_id: Some(n),
                    })
                })
                .collect()
        }
        EventTime::AllDay { start, end } => {
            let span = (*end - *start).num_days().max(0) + 1;
            let lo = (from - Duration::days(span + 2))
                .with_timezone(&display)
                .date_naive();
            let hi = (to + Duration::days(2))
                .with_timezone(&display)
                .date_naive();
            local_starts(event, lo, hi)
                .into_iter()
                .filter_map(|n| {
                    let d = n.date();
                    let s = super::event::local_midnight(d, display);
                    let e = super::event::local_midnight(
                        d.checked_add_signed(Duration::days(span)).unwrap_or(d),
                        display,
                    );
                    overlaps(s, e).then_some(Occurrence {
                        event_id: event.id,
                        start: s,
                        end: e,
                        all_day: true,
                        recurrence_id: Some(n),
                    })
                })
                .collect()
        }
    }
}

fn same_rid(a: NaiveDateTime, b: NaiveDateTime, all_day: bool) -> bool {
    if all_day {
        a.date() == b.date()
    } else {
        a == b
    }
}

/// Whether `rid` (a local start in the convention of `Event::recurrence_id`) is an occurrence
/// of `master`'s recurrence set: generated by its rule or an RDATE, and not excluded.
pub fn is_occurrence(master: &Event, rid: NaiveDateTime) -> bool {
    let all_day = master.time.is_all_day();
    local_starts(master, rid.date(), rid.date())
        .into_iter()
        .any(|x| same_rid(x, rid, all_day))
}

/// Occurrences of a series overlapping `[from, to)`: the master's, with each override (same
/// UID, `recurrence_id` set) replacing the occurrence it names (moved, retitled...), and
/// cancelled overrides dropping theirs. Overrides moved into the window from outside it are
/// included. An override whose RECURRENCE-ID names no occurrence of the series (the series
/// changed under it) is not shown: it is not exported either, and RFC 5545 gives it no meaning
/// (clients disagree on whether it is an extra instance). Sorted by start.
pub fn expand_series(
    master: &Event,
    overrides: &[Event],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    display: Tz,
) -> Vec<Occurrence> {
    let all_day = master.time.is_all_day();
    let mine: Vec<&Event> = overrides
        .iter()
        .filter(|o| o.uid == master.uid)
        .filter(|o| o.recurrence_id.is_some_and(|r| is_occurrence(master, r)))
        .collect();
    let mut out: Vec<Occurrence> = expand(master, from, to, display)
        .into_iter()
        .filter(|occ| {
            let Some(rid) = occ.recurrence_id else {
                return true;
            };
            !mine
                .iter()
                .any(|o| o.recurrence_id.is_some_and(|r| same_rid(r, rid, all_day)))
        })
        .collect();
    for o in mine {
        if o.status == EventStatus::Cancelled {
            continue;
        }
        out.extend(expand(o, from, to, display));
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    out
}

/// The first occurrence starting at or after `after` (for reminders and "next" columns),
/// looking up to 10 years ahead in growing windows so a daily series costs one small window.
pub fn next_after(event: &Event, after: DateTime<Utc>, display: Tz) -> Option<Occurrence> {
    for days in [2, 35, 400, 3660] {
        let to = after + Duration::days(days);
        if let Some(o) = expand(event, after, to, display)
            .into_iter()
            .find(|o| o.start >= after)
        {
            return Some(o);
        }
    }
    None
}

/// Every local start of the series from DTSTART up to and excluding `before` (used to keep
/// COUNT right when a series is split). Bounded by COUNT/UNTIL and by `before`.
pub fn starts_before(event: &Event, before: NaiveDateTime) -> Vec<NaiveDateTime> {
    let lo = local_start(event).date();
    let mut v = local_starts(event, lo, before.date());
    v.retain(|x| *x < before);
    v
}

/// A short human description of a rule: "every 2 weeks on Mon, Wed until 2026-12-31".
pub fn describe(text: &str) -> String {
    let Ok(r) = parse_rrule(text) else {
        return format!("invalid rule {text}");
    };
    let unit = match r.freq {
        Freq::Daily => "day",
        Freq::Weekly => "week",
        Freq::Monthly => "month",
        Freq::Yearly => "year",
    };
    let mut s = if r.interval == 1 {
        format!("every {unit}")
    } else {
        format!("every {} {unit}s", r.interval)
    };
    if !r.by_day.is_empty() {
        let days: Vec<String> = r
            .by_day
            .iter()
            .map(|(n, d)| {
                let name = format!("{d}");
                match n {
                    0 => name,
                    -1 => format!("last {name}"),
                    n if *n < 0 => format!("{} from last {name}", -n),
                    n => format!("{}{} {name}", n, ordinal_suffix(*n)),
                }
            })
            .collect();
        s.push_str(&format!(" on {}", days.join(", ")));
    }
    if !r.by_month_day.is_empty() {
        let days: Vec<String> = r
            .by_month_day
            .iter()
            .map(|n| {
                if *n == -1 {
                    "last day".to_string()
                } else {
                    format!("{n}{}", ordinal_suffix(*n))
                }
            })
            .collect();
        s.push_str(&format!(" on the {}", days.join(", ")));
    }
    if !r.by_set_pos.is_empty() {
        let p: Vec<String> = r.by_set_pos.iter().map(|n| n.to_string()).collect();
        s.push_str(&format!(" (position {})", p.join(", ")));
    }
    match (r.count, r.until) {
        (Some(c), _) => s.push_str(&format!(", {c} times")),
        (_, Some(Until::Date(d))) => s.push_str(&format!(" until {d}")),
        (_, Some(Until::Local(n))) => s.push_str(&format!(" until {}", n.date())),
        (_, Some(Until::Utc(u))) => s.push_str(&format!(" until {}", u.date_naive())),
        _ => {}
    }
    s
}

fn ordinal_suffix(n: i32) -> &'static str {
    let n = n.abs();
    match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    }
}

/// Replace the end of a rule (COUNT/UNTIL) keeping its other parts in order.
pub fn with_end(text: &str, end: Option<RuleEnd>) -> String {
    let t = text.trim();
    let t = if t.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("RRULE:")) {
        &t[6..]
    } else {
        t
    };
    let mut parts: Vec<String> = t
        .split(';')
        .filter(|p| !p.trim().is_empty())
        .filter(|p| {
            let k = p
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_uppercase();
            k != "COUNT" && k != "UNTIL"
        })
        .map(|p| p.trim().to_string())
        .collect();
    match end {
        None => {}
        Some(RuleEnd::Count(c)) => parts.push(format!("COUNT={c}")),
        Some(RuleEnd::UntilUtc(u)) => parts.push(format!("UNTIL={}", u.format("%Y%m%dT%H%M%SZ"))),
        Some(RuleEnd::UntilDate(d)) => parts.push(format!("UNTIL={}", d.format("%Y%m%d"))),
    }
    parts.join(";")
}

/// A new end for a rule, see `with_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleEnd {
    Count(u32),
    UntilUtc(DateTime<Utc>),
    UntilDate(NaiveDate),
}

use chrono::Timelike;

/// Occurrences of loaded events in `[from, to)`, `.0` indexing `events`. Series are expanded
/// with their overrides (an override replaces the occurrence it names; a cancelled one drops
/// it); an override whose master is not loaded shows on its own.
pub fn occurrences(
    events: &[Event],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Vec<(usize, Occurrence)> {
    use std::collections::{HashMap, HashSet};
    let index_of: HashMap<i64, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let masters: HashSet<&str> = events
        .iter()
        .filter(|e| e.recurrence_id.is_none())
        .map(|e| e.uid.as_str())
        .collect();
    let mut overrides: HashMap<&str, Vec<Event>> = HashMap::new();
    for e in events.iter().filter(|e| e.recurrence_id.is_some()) {
        overrides.entry(e.uid.as_str()).or_default().push(e.clone());
    }
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if e.recurrence_id.is_some() {
            // shown through its master's series; alone when the master is not loaded
            if !masters.contains(e.uid.as_str())
                && e.status != crate::domain::EventStatus::Cancelled
            {
                out.extend(expand(e, from, to, tz).into_iter().map(|o| (i, o)));
            }
            continue;
        }
        if e.rrule.is_some() || !e.rdates.is_empty() {
            let ov = overrides
                .get(e.uid.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for o in expand_series(e, ov, from, to, tz) {
                let idx = index_of.get(&o.event_id).copied().unwrap_or(i);
                out.push((idx, o));
            }
        } else {
            out.extend(expand(e, from, to, tz).into_iter().map(|o| (i, o)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    fn ev(local: &str, minutes: i64, tz: Tz, rule: &str) -> Event {
        let n = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        let s = local_to_utc(n, tz);
        let mut e = Event::new(
            "Series",
            EventTime::Timed {
                start: s,
                end: s + Duration::minutes(minutes),
                tz,
            },
            s,
        );
        e.id = 7;
        e.uid = "s@x".into();
        e.rrule = (!rule.is_empty()).then(|| rule.to_string());
        e
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
    }

    fn locals(e: &Event, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
        let tz = event_zone(e);
        expand(e, from, to, Stockholm)
            .iter()
            .map(|o| {
                o.start
                    .with_timezone(&tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn rules_are_stored_in_one_spelling() {
        for (typed, want) in [
            ("freq=weekly;byday=tu", "FREQ=WEEKLY;BYDAY=TU"),
            (
                "RRULE:FREQ=weekly;Count=3;BYDAY=mo,we",
                "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3",
            ),
            (
                "BYDAY=+1MO,-1FR;FREQ=MONTHLY;INTERVAL=1;UNTIL=20271231",
                "FREQ=MONTHLY;BYDAY=1MO,-1FR;UNTIL=20271231",
            ),
            (
                "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=03;WKST=MO",
                "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            ),
            (
                "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,MO;WKST=su;X-NAME=a;INTERVAL=02",
                "FREQ=MONTHLY;INTERVAL=2;BYDAY=MO,TU;BYSETPOS=-1;WKST=SU",
            ),
            (
                "FREQ=DAILY;UNTIL=20270101t090000z;BYHOUR=9,17",
                "FREQ=DAILY;BYHOUR=9,17;UNTIL=20270101T090000Z",
            ),
        ] {
            assert_eq!(canonical(typed).as_deref(), Ok(want), "{typed}");
            // the canonical form is a fixed point and means the same rule
            assert_eq!(canonical(want).as_deref(), Ok(want));
            let (a, b) = (
                ev(
                    "2027-01-04 09:00",
                    60,
                    Stockholm,
                    typed.trim_start_matches("RRULE:"),
                ),
                ev("2027-01-04 09:00", 60, Stockholm, want),
            );
            let (lo, hi) = (
                local_start(&a).date(),
                local_start(&a).date() + Duration::days(800),
            );
            assert_eq!(
                local_starts(&a, lo, hi),
                local_starts(&b, lo, hi),
                "{typed}"
            );
        }
        assert!(canonical("FREQ=SOMETIMES").is_err());
    }

    #[test]
    fn weekday_numbers_a_month_cannot_have_are_refused() {
        for bad in [
            "FREQ=MONTHLY;BYDAY=6MO",
            "FREQ=MONTHLY;BYDAY=1MO,-10FR",
            "FREQ=YEARLY;BYMONTH=3;BYDAY=20MO",
        ] {
            let e = validate_rrule(bad).unwrap_err();
            assert!(e.contains("at most 5"), "{bad}: {e}");
        }
        assert!(validate_rrule("FREQ=YEARLY;BYDAY=20MO").is_ok());
        assert!(validate_rrule("FREQ=MONTHLY;BYDAY=5MO,-5FR").is_ok());
    }

    #[test]
    fn yearly_weekday_rules_dateutil_cannot_be_given_are_refused() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 4)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        for (rule, ok) in [
            ("FREQ=YEARLY;BYDAY=20MO", true),
            ("FREQ=YEARLY;BYDAY=1MO,20MO,-10MO", true),
            ("FREQ=YEARLY;BYDAY=-1FR,1MO", true),
            ("FREQ=YEARLY;BYMONTH=1;BYDAY=MO,-1FR", true),
            ("FREQ=YEARLY;BYDAY=SU,-1FR", false),
            ("FREQ=YEARLY;BYDAY=20MO,-1FR", false),
            ("FREQ=YEARLY;BYDAY=20MO;BYYEARDAY=140", false),
        ] {
            let r = check_series(rule, start, false);
            assert_eq!(r.is_ok(), ok, "{rule}: {r:?}");
        }
    }

    #[test]
    fn count_bounds_are_the_ones_named() {
        assert!(validate_rrule("FREQ=DAILY;COUNT=1000000").is_ok());
        let e = validate_rrule("FREQ=DAILY;COUNT=1000001").unwrap_err();
        assert!(e.contains("from 1 to 1000000"), "{e}");
        assert!(validate_rrule("FREQ=DAILY;INTERVAL=10000").is_ok());
        let e = validate_rrule("FREQ=DAILY;INTERVAL=10001").unwrap_err();
        assert!(e.contains("from 1 to 10000"), "{e}");
    }

    #[test]
    fn parse_errors_name_the_part() {
        for (bad, needle) in [
            ("", "empty"),
            ("BYDAY=MO", "FREQ is missing"),
            ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY"),
            ("FREQ=HOURLY", "not supported"),
            ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0"),
            ("FREQ=WEEKLY;BYDAY=XX", "'XX'"),
            ("FREQ=MONTHLY;BYDAY=0MO", "'0MO'"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "'32'"),
            ("FREQ=YEARLY;BYMONTH=13", "'13'"),
            ("FREQ=DAILY;COUNT=3;UNTIL=20260101", "COUNT and UNTIL"),
            ("FREQ=DAILY;UNTIL=2026-01-01", "UNTIL=2026-01-01"),
            ("FREQ=DAILY;COUNT=-1", "COUNT=-1"),
            ("FREQ=DAILY;FREQ=WEEKLY", "twice"),
            ("FREQ=DAILY;FOO=1", "FOO"),
            ("FREQ=DAILY;BYWEEKNO=3", "BYWEEKNO"),
            ("FREQ=WEEKLY;BYDAY=2TU", "needs FREQ=MONTHLY"),
            ("FREQ=DAILY;garbage", "KEY=VALUE"),
        ] {
            let e = validate_rrule(bad).unwrap_err();
            assert!(e.contains(needle), "{bad}: {e}");
        }
        assert!(validate_rrule("RRULE:freq=weekly;byday=mo,we;interval=2").is_ok());
        assert!(validate_rrule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1").is_ok());
    }

    #[test]
    fn weekly_stays_at_local_time_across_dst() {
        let e = ev("2026-03-16 09:00", 60, Stockholm, "FREQ=WEEKLY");
        let occ = expand(
            &e,
            utc(2026, 3, 1, 0, 0),
            utc(2026, 11, 10, 0, 0),
            Stockholm,
        );
        assert!(occ.len() > 30);
        for o in &occ {
            let l = o.start.with_timezone(&Stockholm);
            assert_eq!(l.format("%a %H:%M").to_string(), "Mon 09:00", "{o:?}");
            assert_eq!(o.end - o.start, Duration::minutes(60));
        }
        // UTC hour moves with DST: 08:00Z in winter, 07:00Z in summer.
        assert_eq!(occ[1].start, utc(2026, 3, 23, 8, 0));
        assert_eq!(occ[2].start, utc(2026, 3, 30, 7, 0));
        let after = occ
            .iter()
            .find(|o| o.start > utc(2026, 10, 25, 12, 0))
            .unwrap();
        assert_eq!(after.start, utc(2026, 10, 26, 8, 0));
    }

    #[test]
    fn window_far_from_dtstart_jumps_ahead() {
        let e = ev("2020-01-01 10:00", 30, Stockholm, "FREQ=DAILY");
        let occ = expand(&e, utc(2030, 6, 5, 0, 0), utc(2030, 6, 6, 0, 0), Stockholm);
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].start, utc(2030, 6, 5, 8, 0));
        assert_eq!(
            occ[0].recurrence_id,
            Some(
                NaiveDate::from_ymd_opt(2030, 6, 5)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap()
            )
        );
    }

    #[test]
    fn count_with_exdate_does_not_add_extra() {
        let mut e = ev("2026-01-05 09:00", 30, Stockholm, "FREQ=DAILY;COUNT=5");
        e.exdates.push(
            NaiveDate::from_ymd_opt(2026, 1, 7)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        let l = locals(&e, utc(2026, 1, 1, 0, 0), utc(2026, 2, 1, 0, 0));
        assert_eq!(
            l,
            [
                "2026-01-05 09:00",
                "2026-01-06 09:00",
                "2026-01-08 09:00",
                "2026-01-09 09:00"
            ]
        );
    }

    #[test]
    fn monthly_nth_weekday_and_last_friday() {
        let e = ev(
            "2026-01-13 14:00",
            60,
            Stockholm,
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=4",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0)),
            [
                "2026-01-13 14:00",
                "2026-02-10 14:00",
                "2026-03-10 14:00",
                "2026-04-14 14:00"
            ]
        );
        let e = ev(
            "2026-01-30 16:00",
            60,
            Stockholm,
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0)),
            ["2026-01-30 16:00", "2026-02-27 16:00", "2026-03-27 16:00"]
        );
    }

    #[test]
    fn last_workday_of_month() {
        let e = ev(
            "2026-01-30 15:00",
            30,
            Stockholm,
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2026, 6, 1, 0, 0)),
            [
                "2026-01-30 15:00",
                "2026-02-27 15:00",
                "2026-03-31 15:00",
                "2026-04-30 15:00",
                "2026-05-29 15:00"
            ]
        );
    }

    #[test]
    fn leap_day_and_31st_skip_short_periods() {
        let e = ev("2024-02-29 12:00", 60, Stockholm, "FREQ=YEARLY");
        assert_eq!(
            locals(&e, utc(2024, 1, 1, 0, 0), utc(2033, 1, 1, 0, 0)),
            ["2024-02-29 12:00", "2028-02-29 12:00", "2032-02-29 12:00"]
        );
        let e = ev("2026-01-31 12:00", 60, Stockholm, "FREQ=MONTHLY;COUNT=4");
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0)),
            [
                "2026-01-31 12:00",
                "2026-03-31 12:00",
                "2026-05-31 12:00",
                "2026-07-31 12:00"
            ]
        );
    }

    #[test]
    fn until_is_inclusive() {
        let e = ev(
            "2026-01-05 09:00",
            30,
            Stockholm,
            "FREQ=DAILY;UNTIL=20260107T080000Z",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2026, 2, 1, 0, 0)),
            ["2026-01-05 09:00", "2026-01-06 09:00", "2026-01-07 09:00"]
        );
        let e = ev(
            "2026-01-05 09:00",
            30,
            Stockholm,
            "FREQ=DAILY;UNTIL=20260107T075959Z",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2026, 2, 1, 0, 0)).len(),
            2
        );
        let e = ev(
            "2026-01-05 09:00",
            30,
            Stockholm,
            "FREQ=DAILY;UNTIL=20260107",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2026, 2, 1, 0, 0)).len(),
            3
        );
    }

    #[test]
    fn all_day_series_and_rdate() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let mut e = Event::new(
            "Offsite",
            EventTime::AllDay {
                start: d,
                end: d + Duration::days(1),
            },
            utc(2026, 1, 1, 0, 0),
        );
        e.rrule = Some("FREQ=WEEKLY;COUNT=3".into());
        e.rdates.push(
            NaiveDate::from_ymd_opt(2026, 4, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        );
        let occ = expand(&e, utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0), Stockholm);
        let days: Vec<String> = occ
            .iter()
            .map(|o| {
                o.start
                    .with_timezone(&Stockholm)
                    .format("%m-%d %H:%M")
                    .to_string()
            })
            .collect();
        assert_eq!(
            days,
            ["03-02 00:00", "03-09 00:00", "03-16 00:00", "04-01 00:00"]
        );
        assert!(occ.iter().all(|o| o.all_day));
        // two days each (inclusive end), the second one crossing nothing odd
        assert_eq!(occ[0].end - occ[0].start, Duration::days(2));
    }

    #[test]
    fn occurrence_spanning_window_start_is_included() {
        let e = ev("2026-01-05 23:00", 120, Stockholm, "FREQ=DAILY");
        // 2026-01-06 00:30 local is inside the occurrence that started 23:00 the day before
        let occ = expand(
            &e,
            utc(2026, 1, 5, 23, 30),
            utc(2026, 1, 5, 23, 45),
            Stockholm,
        );
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].start, utc(2026, 1, 5, 22, 0));
    }

    #[test]
    fn invalid_rule_expands_as_single_and_never_panics() {
        let mut e = ev("2026-01-05 09:00", 30, Stockholm, "FREQ=SOMETIMES");
        e.rdates.push(
            NaiveDate::from_ymd_opt(2026, 1, 9)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2026, 2, 1, 0, 0)),
            ["2026-01-05 09:00", "2026-01-09 09:00"]
        );
        // never-matching rule: bounded by the window
        let e = ev(
            "2026-01-31 09:00",
            30,
            Stockholm,
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2226, 1, 1, 0, 0)).len(),
            1
        );
        let e = ev(
            "2026-01-31 09:00",
            30,
            Stockholm,
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=10",
        );
        assert_eq!(
            locals(&e, utc(2026, 1, 1, 0, 0), utc(2226, 1, 1, 0, 0)).len(),
            1
        );
    }

    #[test]
    fn gap_time_moves_forward() {
        // 02:30 does not exist on 2026-03-29 in Stockholm
        let e = ev("2026-03-22 02:30", 30, Stockholm, "FREQ=WEEKLY;COUNT=3");
        let occ = expand(&e, utc(2026, 3, 1, 0, 0), utc(2026, 5, 1, 0, 0), Stockholm);
        assert_eq!(occ.len(), 3);
        assert_eq!(occ[1].start, utc(2026, 3, 29, 1, 30));
        assert_eq!(
            occ[1].recurrence_id.unwrap().format("%H:%M").to_string(),
            "02:30"
        );
    }

    #[test]
    fn an_override_naming_no_occurrence_is_not_shown() {
        let m = ev("2027-01-04 10:00", 60, Stockholm, "FREQ=WEEKLY;COUNT=6");
        let moved = |rid: &str, title: &str| {
            let mut o = ev("2027-01-11 14:00", 60, Stockholm, "");
            o.id = 8;
            o.title = title.into();
            o.recurrence_id = Some(NaiveDateTime::parse_from_str(rid, "%Y-%m-%d %H:%M").unwrap());
            o
        };
        // The series was at 09:00 when the occurrence was moved; it is at 10:00 now.
        let orphan = moved("2027-01-11 09:00", "Moved");
        assert!(!is_occurrence(&m, orphan.recurrence_id.unwrap()));
        let live = moved("2027-01-11 10:00", "Moved");
        assert!(is_occurrence(&m, live.recurrence_id.unwrap()));
        let (from, to) = (utc(2027, 1, 11, 0, 0), utc(2027, 1, 12, 0, 0));
        let starts = |ov: &Event| {
            expand_series(&m, std::slice::from_ref(ov), from, to, Stockholm)
                .iter()
                .map(|o| (o.event_id, o.start))
                .collect::<Vec<_>>()
        };
        assert_eq!(starts(&orphan), [(7, utc(2027, 1, 11, 9, 0))]);
        assert_eq!(starts(&live), [(8, utc(2027, 1, 11, 13, 0))]);
        // an excluded occurrence is no occurrence either
        let mut ex = m.clone();
        ex.exdates.push(live.recurrence_id.unwrap());
        assert!(!is_occurrence(&ex, live.recurrence_id.unwrap()));
    }

    #[test]
    fn describe_reads_well() {
        assert_eq!(
            describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"),
            "every 2 weeks on Mon, Wed"
        );
        assert_eq!(
            describe("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"),
            "every month on last Fri, 3 times"
        );
        assert_eq!(describe("FREQ=MONTHLY;BYDAY=2TU"), "every month on 2nd Tue");
    }

    #[test]
    fn with_end_replaces_count_and_until() {
        assert_eq!(
            with_end(
                "FREQ=DAILY;COUNT=5;BYHOUR=9",
                Some(RuleEnd::UntilUtc(utc(2026, 1, 2, 3, 4)))
            ),
            "FREQ=DAILY;BYHOUR=9;UNTIL=20260102T030400Z"
        );
        assert_eq!(
            with_end("RRULE:FREQ=DAILY;UNTIL=20260101", Some(RuleEnd::Count(3))),
            "FREQ=DAILY;COUNT=3"
        );
    }

    #[test]
    fn next_after_finds_the_coming_instance() {
        let e = ev("2026-01-05 09:00", 30, Stockholm, "FREQ=MONTHLY;BYDAY=-1FR");
        let n = next_after(&e, utc(2026, 3, 28, 0, 0), Stockholm).unwrap();
        assert_eq!(n.start, utc(2026, 4, 24, 7, 0));
        let e = ev("2026-01-05 09:00", 30, Stockholm, "FREQ=DAILY;COUNT=2");
        assert!(next_after(&e, utc(2026, 1, 7, 0, 0), Stockholm).is_none());
    }
}
