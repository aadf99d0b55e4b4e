//! Friendly dates and times, as the CLI flags, the forms and quick capture accept them:
//! `now`, `today`, `tomorrow`, `yesterday`, `mon`..`sun` (the next one, today included, or as
//! the field's [`Direction`] says: the last one for a payment, the first on or after the start
//! for an end),
//! `next fri` (the one after), `+3d`, `-1w`, `+2m`, `in 3 days`, `14:00`, `2pm`,
//! `2026-12-01`, `2026-12-01 14:00`, `2026-12-01T14:00`, `2026-12-01T13:00:00Z`,
//! `2026-12-01T14:00+01:00`, `1 dec`, `dec 1`, `1/12` is NOT accepted (ambiguous).
//! Any date form may be followed by a time: `tomorrow 9:30`, `fri 14:00`.
//! Local forms are read in the configured zone.
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WhenError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, WhenError> {
    Err(WhenError(msg.into()))
}

/// What a friendly text meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A day without a time.
    Date(NaiveDate),
    /// A wall-clock time in the configured zone.
    Local(NaiveDateTime),
    /// An exact instant (the text had `Z` or an offset).
    Instant(DateTime<Utc>),
}

impl When {
    /// The local date in `tz`.
    pub fn date(&self, tz: Tz) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::Local(n) => n.date(),
            When::Instant(t) => t.with_timezone(&tz).date_naive(),
        }
    }
    /// The instant; a bare date takes `default_time`.
    pub fn instant(&self, tz: Tz, default_time: NaiveTime) -> DateTime<Utc> {
        match self {
            When::Date(d) => local_to_utc(d.and_time(default_time), tz),
            When::Local(n) => local_to_utc(*n, tz),
            When::Instant(t) => *t,
        }
    }
    pub fn has_time(&self) -> bool {
        !matches!(self, When::Date(_))
    }
}

/// Which day a date without a year (`1 nov`) or a bare weekday (`fri`) means. Fields disagree:
/// on Monday 23 Nov 2026 a meeting "fri" is the coming Friday, but a payment made "fri" was
/// last Friday, a list "--from 1 nov" starts three weeks ago, and a flight's arrival "mon
/// 11:00" is the first Monday after it left. Explicit forms (`yesterday`, `next fri`, `+3d`,
/// `-1w`, `2026-11-01`, `1 nov 2025`) mean the same in every direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// The next one, today included: an event's start, a task's due date, a snooze, a journey.
    #[default]
    Future,
    /// The most recent one, today included: a payment, an issue date, when last in touch.
    Past,
    /// A date: the closest one, today included; a weekday: the coming one, today included.
    /// The bounds of a list, an agenda, an export, `--at` naming an occurrence, and an
    /// invoice's due date given without its issue date (recorded late, it is past).
    Nearest,
    /// The first on or after this day: an end, an arrival or `--until` after its start, a
    /// range's `--to` after its `--from`, an invoice's due date after its issue date.
    From(NaiveDate),
}

impl Direction {
    /// Of the candidate days (sorted, any number), the one this direction picks.
    fn pick(self, today: NaiveDate, candidates: &[NaiveDate]) -> Option<NaiveDate> {
        match self {
            Direction::Future => candidates.iter().copied().find(|d| *d >= today),
            Direction::From(day) => candidates.iter().copied().find(|d| *d >= day),
            Direction::Past => candidates.iter().copied().rev().find(|d| *d <= today),
            // a tie (half a year either way) goes to the future
            Direction::Nearest => candidates
                .iter()
                .copied()
                .min_by_key(|d| ((*d - today).num_days().abs(), *d < today)),
        }
    }

    /// The day `wd` means: the coming one (today included) forward and for neutral fields,
    /// the last one (today included) for past ones, the first on or after the anchor.
    fn weekday(self, today: NaiveDate, wd: Weekday) -> NaiveDate {
        match self {
            Direction::Future | Direction::Nearest => next_weekday(today, wd),
            Direction::Past => next_weekday(today - Duration::days(6), wd),
            Direction::From(day) => next_weekday(day, wd),
        }
    }

    /// The years a date without one may fall in.
    fn years(self, today: NaiveDate) -> std::ops::RangeInclusive<i32> {
        let (lo, hi) = match self {
            Direction::From(day) => (today.year().min(day.year()), today.year().max(day.year())),
            _ => (today.year(), today.year()),
        };
        lo - 8..=hi + 8
    }
}

/// Whether `t`'s wall time in `tz` is the second of two equal ones (the repeated hour of an
/// autumn night): RFC 5545, our series and [`local_to_utc`] read such a wall time as the
/// first, an hour earlier.
pub fn second_of_two(t: DateTime<Utc>, tz: Tz) -> bool {
    matches!(tz.from_local_datetime(&t.with_timezone(&tz).naive_local()),
        LocalResult::Ambiguous(first, _) if first.with_timezone(&Utc) != t)
}

/// A local wall time in `tz` as an instant. In a DST gap (02:30 on the spring-forward night)
/// the time moves forward by the gap; an ambiguous time (autumn) takes the earlier instant.
pub fn local_to_utc(n: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&n) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        LocalResult::None => {
            // Read the wall time with the offset in force just before the gap, so 02:30 on
            // the spring-forward night lands at 03:30 after it.
            use chrono::Offset;
            let before = tz.offset_from_utc_datetime(&(n - Duration::days(1))).fix();
            Utc.from_utc_datetime(&(n - Duration::seconds(i64::from(before.local_minus_utc()))))
        }
    }
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn weekday(word: &str) -> Option<Weekday> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    WEEKDAYS.iter().find_map(|(p, d)| {
        let full = d_full(*d);
        (full.starts_with(w) && w.starts_with(p)).then_some(*d)
    })
}

fn d_full(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0..12)
        .find(|&i| FULL[i].starts_with(w) && w.starts_with(MONTHS[i]))
        .map(|i| i as u32 + 1)
}

/// Add calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(d: NaiveDate, months: i32) -> Option<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + months;
    let (y, m0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    let mut day = d.day();
    loop {
        if let Some(x) = NaiveDate::from_ymd_opt(y, m0 + 1, day) {
            return Some(x);
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    }
}

/// Parse a time of day: `14:00`, `9:30`, `0930`? (no), `14`, `2pm`, `2:30pm`, `12am`, `14h`, `14.30`.
pub fn parse_time(text: &str) -> Result<NaiveTime, WhenError> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        WhenError(format!(
            "invalid time '{}' (use HH:MM, e.g. 14:00)",
            text.trim()
        ))
    };
    let (body, pm) = if let Some(b) = t.strip_suffix("pm") {
        (b.trim(), Some(true))
    } else if let Some(b) = t.strip_suffix("am") {
        (b.trim(), Some(false))
    } else {
        (t.strip_suffix('h').unwrap_or(&t), None)
    };
    let (h, m) = match body.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None => (body, "0"),
    };
    if h.is_empty()
        || h.len() > 2
        || m.is_empty()
        || m.len() > 2
        || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let (mut h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    match pm {
        Some(p) => {
            if !(1..=12).contains(&h) {
                return Err(bad());
            }
            h = match (h, p) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if body.contains([':', '.']) || body.len() <= 2 => {}
        None => return Err(bad()),
    }
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// Whether a word looks like a time (so quick capture can tell `14:00` from a title word).
pub fn is_time_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    (w.contains(':') || w.ends_with("am") || w.ends_with("pm")) && parse_time(&w).is_ok()
}

/// Parse a date without a time. `today` is the local date of "now". A date without a year or a
/// bare weekday is the next one ([`parse_date_dir`] chooses).
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    parse_date_dir(text, today, Direction::Future)
}

/// [`parse_date`], reading a date without a year or a bare weekday in direction `dir`.
pub fn parse_date_dir(
    text: &str,
    today: NaiveDate,
    dir: Direction,
) -> Result<NaiveDate, WhenError> {
    let t = text.trim().to_ascii_lowercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    match parse_date_words_dir(&words, today, dir)? {
        Some((d, used)) if used == words.len() => Ok(d),
        _ => err(format!(
            "invalid date '{}' (use YYYY-MM-DD, today, tomorrow, mon..sun, +3d, or 1 dec)",
            text.trim()
        )),
    }
}

/// Try to read a date from the first words; returns the date and how many words it used. A
/// date without a year or a bare weekday is the next one.
pub fn parse_date_words(
    words: &[&str],
    today: NaiveDate,
) -> Result<Option<(NaiveDate, usize)>, WhenError> {
    parse_date_words_dir(words, today, Direction::Future)
}

/// The years a date may be in: a record's dates are written as four-digit years (stored,
/// exported as iCalendar `DTSTART`), and nothing a secretary plans lies outside them.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// `d`, or an error naming what was typed when its year is outside [`YEARS`] (`+100000y`).
fn in_years(d: NaiveDate, typed: &str) -> Result<NaiveDate, WhenError> {
    if YEARS.contains(&d.year()) {
        return Ok(d);
    }
    err(format!(
        "invalid date '{}': year {} is out of range ({}-{})",
        typed.trim(),
        d.year(),
        YEARS.start(),
        YEARS.end()
    ))
}

/// [`parse_date_words`], reading a date without a year or a bare weekday in direction `dir`.
/// A date outside [`YEARS`] is an error.
pub fn parse_date_words_dir(
    words: &[&str],
    today: NaiveDate,
    dir: Direction,
) -> Result<Option<(NaiveDate, usize)>, WhenError> {
    match date_words(words, today, dir)? {
        Some((d, used)) => Ok(Some((in_years(d, &words[..used].join(" "))?, used))),
        None => Ok(None),
    }
}

fn date_words(
    words: &[&str],
    today: NaiveDate,
    dir: Direction,
) -> Result<Option<(NaiveDate, usize)>, WhenError> {
    let Some(&w0) = words.first() else {
        return Ok(None);
    };
    let w0 = w0.to_ascii_lowercase();
    let w0 = w0.as_str();
    match w0 {
        "today" | "tod" | "now" => return Ok(Some((today, 1))),
        "tomorrow" | "tmr" | "tom" => return Ok(Some((today + Duration::days(1), 1))),
        "yesterday" => return Ok(Some((today - Duration::days(1), 1))),
        _ => {}
    }
    if w0 == "next" {
        if let Some(d) = words.get(1).and_then(|w| weekday(&w.to_ascii_lowercase())) {
            // the first one after today
            return Ok(Some((next_weekday(today + Duration::days(1), d), 2)));
        }
        if let Some(w) = words.get(1) {
            match w.to_ascii_lowercase().as_str() {
                "week" => {
                    return Ok(Some((
                        next_weekday(today + Duration::days(1), Weekday::Mon),
                        2,
                    )));
                }
                "month" => {
                    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
                        .expect("first of month");
                    return Ok(add_months(first, 1).map(|d| (d, 2)));
                }
                _ => {}
            }
        }
        return Ok(None);
    }
    if w0 == "in" {
        if let (Some(n), Some(unit)) = (words.get(1), words.get(2))
            && let Ok(n) = n.parse::<i64>()
            && let Some(d) = offset(today, n, unit)?
        {
            return Ok(Some((d, 3)));
        }
        return Ok(None);
    }
    if let Some(d) = weekday(w0) {
        return Ok(Some((dir.weekday(today, d), 1)));
    }
    // +3d, -1w, +2m, +1y
    if let Some(rest) = w0
        .strip_prefix('+')
        .map(|r| (1, r))
        .or_else(|| w0.strip_prefix('-').map(|r| (-1, r)))
    {
        let (sign, body) = rest;
        let split = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        let (num, unit) = body.split_at(split);
        if let Ok(n) = num.parse::<i64>() {
            let unit = if unit.is_empty() { "d" } else { unit };
            return match offset(today, sign * n, unit)? {
                Some(d) => Ok(Some((d, 1))),
                None => err(format!("invalid offset '{w0}' (use +3d, +2w, +1m)")),
            };
        }
        return Ok(None);
    }
    // ISO date, optionally with T and time: the date part only here
    let iso = w0.split('t').next().unwrap_or(w0);
    if iso.len() == 10 && iso.as_bytes()[4] == b'-' && iso.as_bytes()[7] == b'-' {
        return match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
            Ok(d) if iso.len() == w0.len() => Ok(Some((d, 1))),
            Ok(_) => Ok(None),
            Err(_) => err(format!("invalid date '{iso}' (no such day)")),
        };
    }
    // "1 dec", "1 dec 2027", "dec 1", "dec 1 2027"
    let num = |s: &str| s.trim_end_matches([',', '.']).parse::<u32>().ok();
    let (day, mon, used) = if let (Some(d), Some(m)) = (
        num(w0),
        words.get(1).and_then(|w| month(&w.to_ascii_lowercase())),
    ) {
        (d, m, 2)
    } else if let (Some(m), Some(d)) = (month(w0), words.get(1).and_then(|w| num(w))) {
        (d, m, 2)
    } else {
        return Ok(None);
    };
    let year_word = words
        .get(used)
        .and_then(|w| w.parse::<i32>().ok())
        .filter(|y| YEARS.contains(y));
    let (year, used) = match year_word {
        Some(y) => (y, used + 1),
        None => {
            // that day in the years around (29 Feb: the leap years), picked by direction
            let around: Vec<NaiveDate> = dir
                .years(today)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, mon, day))
                .collect();
            match dir.pick(today, &around) {
                Some(d) => return Ok(Some((d, used))),
                None => {
                    return err(format!(
                        "invalid date: {} has no day {day}",
                        MONTHS[mon as usize - 1]
                    ));
                }
            }
        }
    };
    match NaiveDate::from_ymd_opt(year, mon, day) {
        Some(d) => Ok(Some((d, used))),
        None => err(format!(
            "invalid date: {} {} has no day {day}",
            MONTHS[mon as usize - 1],
            year
        )),
    }
}

fn offset(today: NaiveDate, n: i64, unit: &str) -> Result<Option<NaiveDate>, WhenError> {
    let unit = unit.to_ascii_lowercase();
    let too_far = || WhenError(format!("offset {n}{unit} is out of range"));
    if n.unsigned_abs() > 100_000 {
        return Err(too_far());
    }
    Ok(match unit.as_str() {
        "d" | "day" | "days" => today.checked_add_signed(Duration::days(n)),
        "w" | "week" | "weeks" => today.checked_add_signed(Duration::weeks(n)),
        "m" | "month" | "months" => add_months(today, n as i32),
        "y" | "year" | "years" => add_months(today, (n * 12) as i32),
        _ => None,
    })
}

/// The next `d` on or after `from`.
pub fn next_weekday(from: NaiveDate, d: Weekday) -> NaiveDate {
    let diff =
        (7 + d.num_days_from_monday() as i64 - from.weekday().num_days_from_monday() as i64) % 7;
    from + Duration::days(diff)
}

/// Parse a friendly date with an optional time. `now` and `tz` fix "today". A date without a
/// year or a bare weekday is the next one ([`parse_when_dir`] chooses).
pub fn parse_when(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<When, WhenError> {
    parse_when_dir(text, now, tz, Direction::Future)
}

/// [`parse_when`], reading a date without a year or a bare weekday in direction `dir`.
pub fn parse_when_dir(
    text: &str,
    now: DateTime<Utc>,
    tz: Tz,
    dir: Direction,
) -> Result<When, WhenError> {
    let raw = text.trim();
    if raw.is_empty() {
        return err("a date is required");
    }
    let w = when_text(raw, now, tz, dir)?;
    in_years(w.date(tz), raw)?;
    Ok(w)
}

fn when_text(raw: &str, now: DateTime<Utc>, tz: Tz, dir: Direction) -> Result<When, WhenError> {
    // Exact instants: RFC 3339 with Z or an offset.
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(When::Instant(t.with_timezone(&Utc)));
    }
    for f in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%dT%H:%MZ"] {
        if let Ok(t) = DateTime::parse_from_str(&raw.replace('Z', "+00:00"), f) {
            return Ok(When::Instant(t.with_timezone(&Utc)));
        }
    }
    let today = now.with_timezone(&tz).date_naive();
    let lower = raw.to_ascii_lowercase();
    // this very minute (a date field reads `now` as today)
    if lower == "now" {
        return Ok(When::Instant(now));
    }
    // 2026-12-01T14:00[:ss]
    if let Some((d, t)) = lower.split_once('t')
        && d.len() == 10
        && d.as_bytes()[4] == b'-'
    {
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| WhenError(format!("invalid date '{d}' (no such day)")))?;
        let time = NaiveTime::parse_from_str(t, "%H:%M:%S").or_else(|_| parse_time(t))?;
        return Ok(When::Local(date.and_time(time)));
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.len() == 1
        && let Ok(t) = parse_time(words[0])
        && (is_time_word(words[0]) || words[0].ends_with('h'))
    {
        return Ok(When::Local(today.and_time(t)));
    }
    let Some((date, used)) = parse_date_words_dir(&words, today, dir)? else {
        return err(format!(
            "invalid date '{raw}' (use YYYY-MM-DD [HH:MM], today, tomorrow, mon..sun, +3d, 1 dec, 14:00)"
        ));
    };
    let rest = &words[used..];
    match rest {
        [] => Ok(When::Date(date)),
        [t] | ["at", t] => Ok(When::Local(date.and_time(parse_time(t)?))),
        _ => err(format!(
            "invalid date '{raw}': did not understand '{}'",
            rest.join(" ")
        )),
    }
}

/// Whether `word` names a weekday (`fri`, `Friday`).
pub fn is_weekday(word: &str) -> bool {
    weekday(&word.trim().to_ascii_lowercase()).is_some()
}

/// When a snooze typed as `text` ends: an instant after `now`. A date alone is `default_time`
/// that day; a bare weekday that is today means next week's (`mon` on a Monday is a week away,
/// as "snooze until Monday" means); a day alone that is today once `default_time` has passed
/// asks for a time. The error names no field: the caller says which.
pub fn snooze_until(
    text: &str,
    now: DateTime<Utc>,
    tz: Tz,
    default_time: NaiveTime,
) -> Result<DateTime<Utc>, WhenError> {
    let today = now.with_timezone(&tz).date_naive();
    let w = parse_when(text, now, tz)?;
    let w = match w {
        When::Date(d) if d == today && is_weekday(text) => When::Date(d + Duration::days(7)),
        w => w,
    };
    let at = w.instant(tz, default_time);
    if at > now {
        return Ok(at);
    }
    let shown = at.with_timezone(&tz).format("%a %-d %b %Y %H:%M");
    match w {
        When::Date(d) if d == today => err(format!(
            "today's {} has passed: give a time, e.g. 'today {}'",
            default_time.format("%H:%M"),
            (now.with_timezone(&tz) + Duration::hours(1)).format("%H:00")
        )),
        _ => err(format!("{shown} is not in the future")),
    }
}

/// Parse `14:00-15:30` (also with en dash or `to`) into two times.
pub fn parse_time_range(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let t = text.trim().replace('\u{2013}', "-");
    let (a, b) = t.split_once('-').or_else(|| t.split_once(" to "))?;
    Some((parse_time(a).ok()?, parse_time(b).ok()?))
}

/// Parse a duration: `60m`, `90`, `1h`, `1h30m`, `1.5h`, `2d`.
pub fn parse_duration(text: &str) -> Result<Duration, WhenError> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        WhenError(format!(
            "invalid duration '{}' (use 30m, 1h, 1h30m)",
            text.trim()
        ))
    };
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(m) = t.parse::<i64>() {
        return if (1..=100_000).contains(&m) {
            Ok(Duration::minutes(m))
        } else {
            Err(bad())
        };
    }
    if let Some(h) = t.strip_suffix('h')
        && let Some((a, b)) = h.split_once(['.', ','])
    {
        let (a, b): (i64, i64) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
        if b >= 10 {
            return Err(bad());
        }
        if !(0..=100_000 * 60).contains(&a) || b < 0 {
            return Err(bad());
        }
        return Ok(Duration::minutes(a * 60 + b * 6));
    }
    let mut total = 0i64;
    let mut num = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().map_err(|_| bad())?;
        num.clear();
        if n > 100_000 * 24 * 60 {
            return Err(bad());
        }
        total += match c {
            'd' => n * 24 * 60,
            'h' => n * 60,
            'm' => n,
            _ => return Err(bad()),
        };
        if total > 100_000 * 60 {
            return Err(bad());
        }
    }
    if !num.is_empty() || total == 0 {
        return Err(bad());
    }
    Ok(Duration::minutes(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Stockholm;

    // Monday 2026-11-23 10:00 in Stockholm
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn local(y: i32, m: u32, day: u32, h: u32, min: u32) -> When {
        When::Local(d(y, m, day).and_hms_opt(h, min, 0).unwrap())
    }

    #[test]
    fn friendly_forms() {
        let cases: Vec<(&str, When)> = vec![
            ("today", When::Date(d(2026, 11, 23))),
            ("Tomorrow", When::Date(d(2026, 11, 24))),
            ("yesterday", When::Date(d(2026, 11, 22))),
            ("mon", When::Date(d(2026, 11, 23))),
            ("fri", When::Date(d(2026, 11, 27))),
            ("friday", When::Date(d(2026, 11, 27))),
            ("next mon", When::Date(d(2026, 11, 30))),
            ("next fri", When::Date(d(2026, 11, 27))),
            ("+3d", When::Date(d(2026, 11, 26))),
            ("+3", When::Date(d(2026, 11, 26))),
            ("-1w", When::Date(d(2026, 11, 16))),
            ("+1m", When::Date(d(2026, 12, 23))),
            ("in 2 weeks", When::Date(d(2026, 12, 7))),
            ("14:00", local(2026, 11, 23, 14, 0)),
            ("2pm", local(2026, 11, 23, 14, 0)),
            ("2026-12-01", When::Date(d(2026, 12, 1))),
            ("2026-12-01 14:00", local(2026, 12, 1, 14, 0)),
            ("2026-12-01T14:00", local(2026, 12, 1, 14, 0)),
            ("2026-12-01T14:00:00", local(2026, 12, 1, 14, 0)),
            ("tomorrow 9:30", local(2026, 11, 24, 9, 30)),
            ("fri at 14:00", local(2026, 11, 27, 14, 0)),
            ("1 dec", When::Date(d(2026, 12, 1))),
            ("dec 1", When::Date(d(2026, 12, 1))),
            ("3 jan", When::Date(d(2027, 1, 3))),
            ("15 march 2027 10:00", local(2027, 3, 15, 10, 0)),
            ("next week", When::Date(d(2026, 11, 30))),
            ("next month", When::Date(d(2026, 12, 1))),
            (
                "2026-12-01T13:00:00Z",
                When::Instant(Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap()),
            ),
            (
                "2026-12-01T14:00+01:00",
                When::Instant(Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_when(text, now(), Stockholm), Ok(want), "{text}");
        }
    }

    /// On Monday 23 Nov 2026: a date without a year or a bare weekday, per direction. A
    /// weekday in a neutral field is the coming one (`agenda --date fri` is this Friday).
    #[rstest::rstest]
    #[case("fri", d(2026, 11, 27), d(2026, 11, 20), d(2026, 11, 27))]
    #[case("friday", d(2026, 11, 27), d(2026, 11, 20), d(2026, 11, 27))]
    #[case("mon", d(2026, 11, 23), d(2026, 11, 23), d(2026, 11, 23))]
    #[case("tue", d(2026, 11, 24), d(2026, 11, 17), d(2026, 11, 24))]
    #[case("thu", d(2026, 11, 26), d(2026, 11, 19), d(2026, 11, 26))]
    #[case("sun", d(2026, 11, 29), d(2026, 11, 22), d(2026, 11, 29))]
    #[case("20 nov", d(2027, 11, 20), d(2026, 11, 20), d(2026, 11, 20))]
    #[case("nov 20", d(2027, 11, 20), d(2026, 11, 20), d(2026, 11, 20))]
    #[case("23 nov", d(2026, 11, 23), d(2026, 11, 23), d(2026, 11, 23))]
    #[case("1 dec", d(2026, 12, 1), d(2025, 12, 1), d(2026, 12, 1))]
    #[case("3 jan", d(2027, 1, 3), d(2026, 1, 3), d(2027, 1, 3))]
    // 184 days back, 181 ahead
    #[case("23 may", d(2027, 5, 23), d(2026, 5, 23), d(2027, 5, 23))]
    // 20 May is 187 back, 178 ahead; 26 May 181 back, 184 ahead
    #[case("26 may", d(2027, 5, 26), d(2026, 5, 26), d(2026, 5, 26))]
    #[case("29 feb", d(2028, 2, 29), d(2024, 2, 29), d(2028, 2, 29))]
    // explicit forms mean the same in every direction
    #[case("1 nov 2025", d(2025, 11, 1), d(2025, 11, 1), d(2025, 11, 1))]
    #[case("next fri", d(2026, 11, 27), d(2026, 11, 27), d(2026, 11, 27))]
    #[case("-1w", d(2026, 11, 16), d(2026, 11, 16), d(2026, 11, 16))]
    #[case("+1d", d(2026, 11, 24), d(2026, 11, 24), d(2026, 11, 24))]
    #[case("yesterday", d(2026, 11, 22), d(2026, 11, 22), d(2026, 11, 22))]
    #[case("2026-12-24", d(2026, 12, 24), d(2026, 12, 24), d(2026, 12, 24))]
    fn each_direction(
        #[case] text: &str,
        #[case] future: NaiveDate,
        #[case] past: NaiveDate,
        #[case] nearest: NaiveDate,
    ) {
        let today = d(2026, 11, 23);
        for (dir, want) in [
            (Direction::Future, future),
            (Direction::Past, past),
            (Direction::Nearest, nearest),
        ] {
            assert_eq!(parse_date_dir(text, today, dir), Ok(want), "{text} {dir:?}");
            assert_eq!(
                parse_when_dir(text, now(), Stockholm, dir),
                Ok(When::Date(want)),
                "{text} {dir:?}"
            );
        }
        // the default is the future
        assert_eq!(parse_date(text, today), Ok(future), "{text}");
    }

    /// From a day on (an end after its start, `--to` after `--from`, a due date after the
    /// issue date): a weekday or a date without a year is the first on or after that day;
    /// explicit forms still count from today.
    #[rstest::rstest]
    // a hotel checked in on Friday 27 Nov, out "mon"
    #[case(d(2026, 11, 27), "mon", d(2026, 11, 30))]
    #[case(d(2026, 11, 27), "fri", d(2026, 11, 27))]
    #[case(d(2026, 11, 27), "thu", d(2026, 12, 3))]
    // a range from 1 Jan 2027 "to 31 may"
    #[case(d(2027, 1, 1), "31 may", d(2027, 5, 31))]
    #[case(d(2027, 1, 1), "1 jan", d(2027, 1, 1))]
    // a range from 1 Nov 2026 to "30 nov"; from 1 Dec 2026 to "31 jan"
    #[case(d(2026, 11, 1), "30 nov", d(2026, 11, 30))]
    #[case(d(2026, 12, 1), "31 jan", d(2027, 1, 31))]
    // an anchor years away
    #[case(d(2040, 6, 1), "1 jan", d(2041, 1, 1))]
    #[case(d(2020, 3, 1), "29 feb", d(2024, 2, 29))]
    // explicit: from today, whatever the anchor
    #[case(d(2027, 1, 1), "tomorrow", d(2026, 11, 24))]
    #[case(d(2027, 1, 1), "+7d", d(2026, 11, 30))]
    #[case(d(2027, 1, 1), "2026-05-31", d(2026, 5, 31))]
    #[case(d(2027, 1, 1), "next fri", d(2026, 11, 27))]
    fn from_a_day_on(#[case] anchor: NaiveDate, #[case] text: &str, #[case] want: NaiveDate) {
        let dir = Direction::From(anchor);
        assert_eq!(
            parse_date_dir(text, d(2026, 11, 23), dir),
            Ok(want),
            "{text}"
        );
        assert_eq!(
            parse_when_dir(&format!("{text} 11:00"), now(), Stockholm, dir),
            Ok(When::Local(want.and_hms_opt(11, 0, 0).unwrap())),
            "{text}"
        );
    }

    #[test]
    fn now_is_this_minute_and_today_in_a_date_field() {
        assert_eq!(
            parse_when("now", now(), Stockholm),
            Ok(When::Instant(now()))
        );
        assert_eq!(
            parse_when(" NOW ", now(), Stockholm),
            Ok(When::Instant(now()))
        );
        assert_eq!(parse_date("now", d(2026, 11, 23)), Ok(d(2026, 11, 23)));
    }

    /// Monday 23 Nov 2026, 10:00 in Stockholm; a date alone wakes at 09:00.
    #[rstest::rstest]
    // a weekday that is today is next week's
    #[case("mon", Ok(local(2026, 11, 30, 9, 0)))]
    #[case("monday", Ok(local(2026, 11, 30, 9, 0)))]
    #[case("mon 15:00", Ok(local(2026, 11, 23, 15, 0)))]
    #[case("fri", Ok(local(2026, 11, 27, 9, 0)))]
    #[case("tomorrow", Ok(local(2026, 11, 24, 9, 0)))]
    #[case("today 15:00", Ok(local(2026, 11, 23, 15, 0)))]
    #[case("15:00", Ok(local(2026, 11, 23, 15, 0)))]
    #[case(
        "today",
        Err("today's 09:00 has passed: give a time, e.g. 'today 11:00'")
    )]
    #[case(
        "23 nov",
        Err("today's 09:00 has passed: give a time, e.g. 'today 11:00'")
    )]
    #[case("09:30", Err("Mon 23 Nov 2026 09:30 is not in the future"))]
    #[case("yesterday", Err("Sun 22 Nov 2026 09:00 is not in the future"))]
    #[case("now", Err("Mon 23 Nov 2026 10:00 is not in the future"))]
    fn snoozes(#[case] text: &str, #[case] want: Result<When, &str>) {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let got = snooze_until(text, now(), Stockholm, nine).map_err(|e| e.0);
        let want = want
            .map(|w| w.instant(Stockholm, nine))
            .map_err(str::to_string);
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn a_direction_keeps_the_time_and_refuses_days_that_never_exist() {
        assert_eq!(
            parse_when_dir("fri 14:00", now(), Stockholm, Direction::Past),
            Ok(local(2026, 11, 20, 14, 0))
        );
        for dir in [
            Direction::Future,
            Direction::Past,
            Direction::Nearest,
            Direction::From(d(2027, 1, 1)),
        ] {
            let e = parse_date_dir("30 feb", d(2026, 11, 23), dir).unwrap_err();
            assert!(e.0.contains("feb has no day 30"), "{e}");
        }
    }

    /// Dates outside the years 1900-2999 are refused in every form, naming what was typed
    /// (`+100000y` was accepted and exported as DTSTART `+1020261123T100000`).
    #[rstest::rstest]
    #[case(
        "+100000y 10:00",
        "invalid date '+100000y': year 102026 is out of range (1900-2999)"
    )]
    #[case(
        "+1000y",
        "invalid date '+1000y': year 3026 is out of range (1900-2999)"
    )]
    #[case(
        "-1000y",
        "invalid date '-1000y': year 1026 is out of range (1900-2999)"
    )]
    #[case(
        "in 99999 weeks",
        "invalid date 'in 99999 weeks': year 3943 is out of range (1900-2999)"
    )]
    #[case(
        "3000-01-01",
        "invalid date '3000-01-01': year 3000 is out of range (1900-2999)"
    )]
    #[case(
        "1899-12-31 10:00",
        "invalid date '1899-12-31': year 1899 is out of range (1900-2999)"
    )]
    #[case(
        "3000-01-01T10:00",
        "invalid date '3000-01-01T10:00': year 3000 is out of range (1900-2999)"
    )]
    #[case(
        "3000-01-01T10:00:00Z",
        "invalid date '3000-01-01T10:00:00Z': year 3000 is out of range (1900-2999)"
    )]
    fn years_outside_the_range_are_refused(#[case] text: &str, #[case] want: &str) {
        for dir in [Direction::Future, Direction::Past, Direction::Nearest] {
            assert_eq!(
                parse_when_dir(text, now(), Stockholm, dir),
                Err(WhenError(want.into())),
                "{text}"
            );
        }
        // the edges are in
        assert_eq!(
            parse_date("2999-12-31", d(2026, 11, 23)),
            Ok(d(2999, 12, 31))
        );
        assert_eq!(parse_date("1900-01-01", d(2026, 11, 23)), Ok(d(1900, 1, 1)));
    }

    #[test]
    fn garbage_is_refused_with_the_text() {
        for bad in [
            "",
            "soon",
            "2026-02-30",
            "2026-13-01",
            "31 feb 2027",
            "25:00",
            "tomorrow banana",
            "+3x",
            "14:60",
            "1/12",
            "+999999999d",
            "in -9223372036854775808 days",
        ] {
            let e = parse_when(bad, now(), Stockholm);
            assert!(e.is_err(), "{bad:?} accepted as {e:?}");
        }
        assert!(
            parse_when("2026-02-30", now(), Stockholm)
                .unwrap_err()
                .0
                .contains("2026-02-30")
        );
    }

    #[test]
    fn dates_only() {
        let today = d(2026, 11, 23);
        assert_eq!(parse_date("+1d", today).unwrap(), d(2026, 11, 24));
        assert!(parse_date("14:00", today).is_err());
        assert!(parse_date("tomorrow 14:00", today).is_err());
        assert_eq!(add_months(d(2026, 1, 31), 1).unwrap(), d(2026, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1).unwrap(), d(2024, 2, 29));
        assert_eq!(add_months(d(2026, 11, 30), -12).unwrap(), d(2025, 11, 30));
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("9:05").unwrap(),
            NaiveTime::from_hms_opt(9, 5, 0).unwrap()
        );
        assert_eq!(
            parse_time("12am").unwrap(),
            NaiveTime::from_hms_opt(0, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("12pm").unwrap(),
            NaiveTime::from_hms_opt(12, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("14.30").unwrap(),
            NaiveTime::from_hms_opt(14, 30, 0).unwrap()
        );
        assert_eq!(
            parse_time("14h").unwrap(),
            NaiveTime::from_hms_opt(14, 0, 0).unwrap()
        );
        for bad in ["13pm", "0am", "1400", "ab:cd", "", ":30", "7:5:3"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert!(
            is_time_word("14:00")
                && is_time_word("2pm")
                && !is_time_word("2026")
                && !is_time_word("Room")
        );
        assert_eq!(
            parse_time_range("14:00-15:30"),
            Some((
                NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(15, 30, 0).unwrap()
            ))
        );
        assert_eq!(parse_time_range("14:00"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("60m").unwrap(), Duration::minutes(60));
        assert_eq!(parse_duration("90").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("1.5h").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("2d").unwrap(), Duration::days(2));
        for bad in [
            "",
            "0",
            "h",
            "1x",
            "-5",
            "1.55h",
            "9999999999999999d",
            "99999999999999999.5h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dst_gap_and_overlap() {
        // 2026-03-29 02:30 does not exist in Stockholm: moved to 03:30 local (01:30 UTC)
        let gap = d(2026, 3, 29).and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            local_to_utc(gap, Stockholm),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap()
        );
        // 2026-10-25 02:30 happens twice: the first (CEST, 00:30 UTC)
        let twice = d(2026, 10, 25).and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            local_to_utc(twice, Stockholm),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        let w = parse_when("2026-12-01", now(), Stockholm).unwrap();
        assert_eq!(
            w.instant(Stockholm, NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()
        );
    }
}
