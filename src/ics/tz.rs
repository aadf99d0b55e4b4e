//! Time zones in calendar files: VTIMEZONE blocks generated from chrono-tz transitions,
//! Windows zone names (Outlook) mapped to IANA with the CLDR windowsZones table, and custom
//! VTIMEZONEs mapped to an IANA zone by matching their offsets.
use super::line::{LineWriter, escape_text};
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
    Weekday,
};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use std::collections::HashMap;

/// CLDR windowsZones.xml, territory "001" (the default zone for each Windows name).
pub const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Almaty"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("Kamchatka Standard Time", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

/// The IANA zone for a Windows zone name (case-insensitive, surrounding quotes/space ignored).
pub fn windows_to_iana(name: &str) -> Option<Tz> {
    let n = name.trim().trim_matches('"').trim();
    WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(n))
        .and_then(|(_, iana)| iana.parse::<Tz>().ok())
}

/// A TZID that names a zone by itself: an IANA name (also inside a vendor prefix such as
/// `/mozilla.org/20050126_1/Europe/Berlin` or `/citadel.org/.../Europe/Berlin`), a Windows
/// name, or UTC/GMT/Z.
pub fn zone_from_tzid(tzid: &str) -> Option<Tz> {
    let t = tzid.trim().trim_matches('"').trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(z) = t.parse::<Tz>() {
        return Some(utc_alias(z));
    }
    if let Some(z) = windows_to_iana(t) {
        return Some(utc_alias(z));
    }
    // Outlook.com: `tzone://Microsoft/Utc`, `tzone://Microsoft/W. Europe Standard Time`
    if let Some(rest) = t.strip_prefix("tzone://Microsoft/") {
        if rest.eq_ignore_ascii_case("utc") {
            return Some(chrono_tz::UTC);
        }
        return windows_to_iana(rest).map(utc_alias);
    }
    if let Some(z) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|z| z.name().eq_ignore_ascii_case(t))
    {
        return Some(utc_alias(*z));
    }
    if ["utc", "gmt", "z", "etc/utc", "etc/gmt"].contains(&t.to_ascii_lowercase().as_str()) {
        return Some(chrono_tz::UTC);
    }
    // Vendor prefixes: try the last three, then the last two path components.
    let parts: Vec<&str> = t.split('/').filter(|p| !p.is_empty()).collect();
    for take in [3usize, 2] {
        if parts.len() >= take {
            let cand = parts[parts.len() - take..].join("/");
            if let Ok(z) = cand.parse::<Tz>() {
                return Some(utc_alias(z));
            }
        }
    }
    None
}

/// Zones that are UTC under another name become `UTC` (written as `Z` times).
fn utc_alias(z: Tz) -> Tz {
    match z.name() {
        "Etc/UTC" | "Etc/GMT" | "Etc/UCT" | "Etc/Universal" | "Etc/Zulu" | "Etc/GMT0"
        | "Etc/GMT+0" | "Etc/GMT-0" | "Etc/Greenwich" | "GMT" | "GMT0" | "GMT+0" | "GMT-0"
        | "UCT" | "Universal" | "Zulu" | "Greenwich" | "UTC" => chrono_tz::UTC,
        _ => z,
    }
}

/// Checked first when matching a custom VTIMEZONE: the zone most people mean by an offset.
const PREFERRED: &[&str] = &[
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Brisbane",
    "Pacific/Auckland",
    "Africa/Johannesburg",
];

fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (
        o.fix().local_minus_utc(),
        o.dst_offset() != Duration::zero(),
    )
}

/// One change of offset: at instant `at`, from `from` to `to` seconds east of UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub at: DateTime<Utc>,
    pub from: i32,
    pub to: i32,
    pub dst: bool,
    pub abbrev: String,
}

/// The offset transitions of `tz` in `[from, to)`, found by a daily scan refined to the second.
pub fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let mut out = Vec::new();
    let step = Duration::hours(12);
    let mut t0 = from;
    let mut o0 = offset_at(tz, t0);
    while t0 < to {
        let t1 = (t0 + step).min(to);
        let o1 = offset_at(tz, t1);
        if o1 != o0 {
            // first instant with the new offset lies in (t0, t1]
            let (mut lo, mut hi) = (t0.timestamp(), t1.timestamp());
            let at = |s: i64| DateTime::<Utc>::from_timestamp(s, 0).unwrap_or(t1);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, at(mid)) == o0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let hi = at(hi);
            let (to_off, dst) = offset_at(tz, hi);
            let abbrev = tz
                .offset_from_utc_datetime(&hi.naive_utc())
                .abbreviation()
                .unwrap_or("")
                .to_string();
            out.push(Transition {
                at: hi,
                from: o0.0,
                to: to_off,
                dst,
                abbrev,
            });
        }
        t0 = t1;
        o0 = o1;
    }
    out
}

/// `+HHMM` (or `+HHMMSS` when seconds are not zero).
pub fn fmt_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// Parse `+HHMM` / `-HHMMSS` into seconds east of UTC.
pub fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    if !(rest.len() == 4 || rest.len() == 6) || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = rest[0..2].parse().ok()?;
    let m: i32 = rest[2..4].parse().ok()?;
    let sec: i32 = if rest.len() == 6 {
        rest[4..6].parse().ok()?
    } else {
        0
    };
    if m > 59 || sec > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + sec))
}

fn year_start(y: i32) -> DateTime<Utc> {
    let d = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
    Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))
}

/// The last year whose transitions the time zone database spells out (chrono-tz computes the
/// rules through 2099 and keeps the last offset after that).
const LAST_DATA_YEAR: i32 = 2099;

/// Which day of its month a yearly transition falls on, as a VTIMEZONE RRULE says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRule {
    /// The last such weekday of the month (`BYDAY=-1SU`).
    Last(Weekday),
    /// The n-th such weekday (`BYDAY=2SU`), n in 1..=4.
    Nth(u8, Weekday),
    /// The first such weekday on or after a day (`BYDAY=FR;BYMONTHDAY=23,...,29`).
    OnOrAfter(u32, Weekday),
    /// A fixed day of the month (`BYMONTHDAY=21`).
    Fixed(u32),
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

impl DayRule {
    /// The day this rule picks in `year`/`month`.
    pub fn day_in(self, year: i32, month: u32) -> Option<NaiveDate> {
        match self {
            DayRule::Last(wd) => {
                let last = NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))?;
                let back =
                    (7 + last.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
                last.checked_sub_signed(Duration::days(back as i64))
            }
            DayRule::Nth(n, wd) => NaiveDate::from_weekday_of_month_opt(year, month, wd, n),
            DayRule::OnOrAfter(d0, wd) => {
                let first = NaiveDate::from_ymd_opt(year, month, d0)?;
                let ahead =
                    (7 + wd.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
                first
                    .checked_add_signed(Duration::days(ahead as i64))
                    .filter(|d| d.month() == month)
            }
            DayRule::Fixed(d) => NaiveDate::from_ymd_opt(year, month, d),
        }
    }

    /// The BYDAY/BYMONTHDAY part of an RRULE.
    pub fn rrule_part(self) -> String {
        let code = crate::domain::recurrence::weekday_code;
        match self {
            DayRule::Last(wd) => format!("BYDAY=-1{}", code(wd)),
            DayRule::Nth(n, wd) => format!("BYDAY={n}{}", code(wd)),
            DayRule::OnOrAfter(d0, wd) => format!(
                "BYDAY={};BYMONTHDAY={}",
                code(wd),
                (d0..d0 + 7)
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            DayRule::Fixed(d) => format!("BYMONTHDAY={d}"),
        }
    }
}

/// A transition that recurs every year: in `month` on the day `day` picks, at the local wall
/// time `time` (in the offset in force before it, as VTIMEZONE's DTSTART is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyRule {
    pub month: u32,
    pub day: DayRule,
    pub time: NaiveTime,
    pub from: i32,
    pub to: i32,
    pub dst: bool,
    pub abbrev: String,
}

impl YearlyRule {
    /// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`
    pub fn rrule(&self) -> String {
        format!(
            "FREQ=YEARLY;BYMONTH={};{}",
            self.month,
            self.day.rrule_part()
        )
    }

    /// The local wall time (offset before the change) of this rule's transition in `year`.
    pub fn local_in(&self, year: i32) -> Option<NaiveDateTime> {
        Some(self.day.day_in(year, self.month)?.and_time(self.time))
    }

    /// The instant of this rule's transition in `year`.
    pub fn at(&self, year: i32) -> Option<DateTime<Utc>> {
        let local = self.local_in(year)?;
        Some(Utc.from_utc_datetime(&(local - Duration::seconds(self.from as i64))))
    }
}

/// The offsets of a zone from `since` on: no change at all (`rules` empty), or the same yearly
/// transitions every year, checked against the time zone database for every year from `since`
/// through the last year it spells out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneTail {
    pub since: i32,
    pub rules: Vec<YearlyRule>,
}

/// The yearly rules `tz` follows today (as far as the database reaches), derived from its
/// transitions: for each transition of the last year, the simplest day rule that also gives
/// the transitions of the earlier years, kept back to the first year where one fails. None
/// when the zone changes offset more than twice a year or without a yearly pattern.
pub fn yearly_rules(tz: Tz) -> Option<ZoneTail> {
    let mut cache: HashMap<i32, Vec<Transition>> = HashMap::new();
    let mut year_tr = |y: i32| -> Vec<Transition> {
        cache
            .entry(y)
            .or_insert_with(|| transitions(tz, year_start(y), year_start(y + 1)))
            .clone()
    };
    const FIRST: i32 = 1900;
    let last = year_tr(LAST_DATA_YEAR);
    if last.is_empty() {
        let mut y = LAST_DATA_YEAR;
        while y > FIRST && year_tr(y - 1).is_empty() {
            y -= 1;
        }
        return Some(ZoneTail {
            since: y,
            rules: Vec::new(),
        });
    }
    if last.len() != 2 {
        return None;
    }
    let mut rules = Vec::new();
    let mut since = FIRST;
    for t in &last {
        let local = t.at.naive_utc() + Duration::seconds(t.from as i64);
        let (day, wd) = (local.day(), local.weekday());
        let dim = days_in_month(LAST_DATA_YEAR, local.month());
        let mut candidates = Vec::new();
        if day + 7 > dim {
            candidates.push(DayRule::Last(wd));
        }
        if day <= 28 {
            candidates.push(DayRule::Nth(((day - 1) / 7 + 1) as u8, wd));
        }
        for d0 in day.saturating_sub(6).max(1)..=day {
            if d0 + 6 <= dim.min(28) {
                candidates.push(DayRule::OnOrAfter(d0, wd));
            }
        }
        candidates.push(DayRule::Fixed(day));
        let mut best: Option<(i32, YearlyRule)> = None;
        for c in candidates {
            let rule = YearlyRule {
                month: local.month(),
                day: c,
                time: local.time(),
                from: t.from,
                to: t.to,
                dst: t.dst,
                abbrev: t.abbrev.clone(),
            };
            let holds = |y: i32, tr: &[Transition]| {
                rule.at(y).is_some_and(|at| {
                    tr.iter()
                        .any(|x| x.at == at && x.from == rule.from && x.to == rule.to)
                })
            };
            let mut y = LAST_DATA_YEAR;
            while y > FIRST && holds(y - 1, &year_tr(y - 1)) {
                y -= 1;
            }
            if best.as_ref().is_none_or(|(b, _)| y < *b) {
                best = Some((y, rule));
            }
        }
        let (y, rule) = best?;
        since = since.max(y);
        rules.push(rule);
    }
    // Every year of the tail has these two changes and no other.
    let mut y = LAST_DATA_YEAR;
    while y > since && year_tr(y - 1).len() == 2 {
        y -= 1;
    }
    Some(ZoneTail { since: y, rules })
}

/// Write `BEGIN:VTIMEZONE ... END:VTIMEZONE` for `tz` covering the years `from..=to` and, where
/// the zone follows yearly rules, every year after: one observance for the offset in force on
/// 1 January of `from`, one per transition before the zone's current rules took over (explicit
/// DTSTART), then one observance per current rule with a yearly RRULE (as Apple and Thunderbird
/// write them), so readers that use the block get summer time right decades out. A zone without
/// a yearly pattern gets explicit transitions through `to`. No DTSTAMP/UID: they do not belong
/// in VTIMEZONE.
pub fn write_vtimezone(w: &mut LineWriter, tz: Tz, from_year: i32, to_year: i32) {
    // Years far outside the tz database's rules gain nothing; keep the scan bounded.
    let from_year = from_year.clamp(1800, 2400);
    let to_year = to_year.clamp(from_year, 2400);
    // A day of margin either side: a local 1 January can be 31 December in UTC.
    let start = year_start(from_year) - Duration::days(1);
    let tail = yearly_rules(tz);
    let end = match &tail {
        Some(t) => year_start(t.since.max(from_year)),
        None => year_start(to_year + 1) + Duration::days(1),
    };
    w.raw("BEGIN:VTIMEZONE");
    w.raw(&format!("TZID:{}", tz.name()));
    w.raw(&format!("X-LIC-LOCATION:{}", tz.name()));
    let (o, dst) = offset_at(tz, start);
    let abbrev = tz
        .offset_from_utc_datetime(&start.naive_utc())
        .abbreviation()
        .unwrap_or("")
        .to_string();
    let first = Transition {
        at: start,
        from: o,
        to: o,
        dst,
        abbrev,
    };
    let observance = |w: &mut LineWriter, t: &Transition, rrule: Option<String>| {
        let kind = if t.dst { "DAYLIGHT" } else { "STANDARD" };
        w.raw(&format!("BEGIN:{kind}"));
        // DTSTART of an observance is local time in the offset in force before it.
        let local = t.at.naive_utc() + Duration::seconds(t.from as i64);
        w.raw(&format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
        w.raw(&format!("TZOFFSETFROM:{}", fmt_offset(t.from)));
        w.raw(&format!("TZOFFSETTO:{}", fmt_offset(t.to)));
        if let Some(r) = rrule {
            w.raw(&format!("RRULE:{r}"));
        }
        if !t.abbrev.is_empty() {
            w.raw(&format!("TZNAME:{}", escape_text(&t.abbrev)));
        }
        w.raw(&format!("END:{kind}"));
    };
    for t in std::iter::once(first).chain(transitions(tz, start, end)) {
        observance(w, &t, None);
    }
    if let Some(tail) = tail {
        let y = tail.since.max(from_year);
        for r in &tail.rules {
            let Some(at) = r.at(y) else { continue };
            let t = Transition {
                at,
                from: r.from,
                to: r.to,
                dst: r.dst,
                abbrev: r.abbrev.clone(),
            };
            observance(w, &t, Some(r.rrule()));
        }
    }
    w.raw("END:VTIMEZONE");
}

/// One observance read from a VTIMEZONE.
#[derive(Debug, Clone)]
pub struct Observance {
    pub daylight: bool,
    pub start: NaiveDateTime,
    pub offset_to: i32,
    /// BYMONTH of its RRULE, else the month of DTSTART.
    pub month: u32,
}

/// A VTIMEZONE whose TZID is not an IANA/Windows name: find an IANA zone with the same
/// offsets (and the same DST months) in `year`. Zones from the Windows table are preferred
/// (they are the canonical city of each region), then any zone in the database.
pub fn match_offsets(obs: &[Observance], year: i32) -> Option<Tz> {
    let latest = |daylight: bool| {
        obs.iter()
            .filter(|o| o.daylight == daylight && o.start.year() <= year)
            .max_by_key(|o| o.start)
            .or_else(|| {
                obs.iter()
                    .filter(|o| o.daylight == daylight)
                    .min_by_key(|o| o.start)
            })
    };
    let std = latest(false).or_else(|| latest(true))?;
    let day = latest(true).filter(|_| obs.iter().any(|o| !o.daylight));
    let fits = |tz: Tz| -> bool {
        let tr = transitions(tz, year_start(year), year_start(year + 1));
        match day {
            None => tr.is_empty() && offset_at(tz, year_start(year)).0 == std.offset_to,
            Some(d) => {
                let on = tr
                    .iter()
                    .find(|t| t.to == d.offset_to && t.from == std.offset_to);
                let off = tr
                    .iter()
                    .find(|t| t.to == std.offset_to && t.from == d.offset_to);
                match (on, off) {
                    (Some(a), Some(b)) => {
                        let m = |t: &Transition| (t.at + Duration::seconds(t.from as i64)).month();
                        m(a) == d.month && m(b) == std.month
                    }
                    _ => false,
                }
            }
        }
    };
    PREFERRED
        .iter()
        .chain(WINDOWS_ZONES.iter().map(|(_, iana)| iana))
        .filter_map(|iana| iana.parse::<Tz>().ok())
        .chain(chrono_tz::TZ_VARIANTS.iter().copied())
        .find(|tz| fits(*tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_windows_target_is_a_known_zone() {
        for (w, iana) in WINDOWS_ZONES {
            assert!(iana.parse::<Tz>().is_ok(), "{w} -> {iana}");
        }
        assert!(WINDOWS_ZONES.len() >= 100);
    }

    #[test]
    fn windows_names_map() {
        assert_eq!(
            windows_to_iana("W. Europe Standard Time"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            windows_to_iana("fle standard time"),
            Some(chrono_tz::Europe::Kyiv)
        );
        assert_eq!(
            windows_to_iana("\"Eastern Standard Time\""),
            Some(chrono_tz::America::New_York)
        );
        assert_eq!(windows_to_iana("Mars Standard Time"), None);
    }

    #[test]
    fn tzid_forms() {
        assert_eq!(
            zone_from_tzid("/mozilla.org/20050126_1/Europe/Berlin"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            zone_from_tzid("/citadel.org/20250101_1/America/Argentina/Buenos_Aires"),
            Some(chrono_tz::America::Argentina::Buenos_Aires)
        );
        assert_eq!(zone_from_tzid("GMT"), Some(chrono_tz::UTC));
        assert_eq!(zone_from_tzid("UTC"), Some(chrono_tz::UTC));
        assert_eq!(
            zone_from_tzid("tzone://Microsoft/Utc"),
            Some(chrono_tz::UTC)
        );
        assert_eq!(
            zone_from_tzid("tzone://Microsoft/Romance Standard Time"),
            Some(chrono_tz::Europe::Paris)
        );
        assert_eq!(
            zone_from_tzid("europe/stockholm"),
            Some(chrono_tz::Europe::Stockholm)
        );
        assert_eq!(zone_from_tzid("Custom Zone"), None);
    }

    #[test]
    fn stockholm_2026_transitions() {
        let tr = transitions(
            chrono_tz::Europe::Stockholm,
            year_start(2026),
            year_start(2027),
        );
        assert_eq!(tr.len(), 2);
        assert_eq!(
            tr[0].at,
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()
        );
        assert_eq!((tr[0].from, tr[0].to, tr[0].dst), (3600, 7200, true));
        assert_eq!(
            tr[1].at,
            Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap()
        );
        assert_eq!(tr[1].abbrev, "CET");
    }

    #[test]
    fn vtimezone_block_shape() {
        let mut w = LineWriter::new();
        write_vtimezone(&mut w, chrono_tz::America::New_York, 2026, 2026);
        let s = w.finish();
        assert!(s.contains("TZID:America/New_York\r\n"));
        assert!(s.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZNAME:EDT\r\nEND:DAYLIGHT"));
        assert!(s.contains("DTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"));
        assert!(!s.contains("DTSTAMP") && !s.contains("UID"));
    }

    fn rule(tz: Tz) -> ZoneTail {
        yearly_rules(tz).unwrap_or_else(|| panic!("no yearly rule for {}", tz.name()))
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn yearly_rules_of_common_zones() {
        // EU since 1996: last Sunday of March 02:00 CET, last Sunday of October 03:00 CEST.
        let s = rule(chrono_tz::Europe::Stockholm);
        assert_eq!(s.since, 1996);
        let texts: Vec<(String, NaiveTime, i32, i32)> = s
            .rules
            .iter()
            .map(|r| (r.rrule(), r.time, r.from, r.to))
            .collect();
        assert_eq!(
            texts,
            vec![
                (
                    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU".into(),
                    hm(2, 0),
                    3600,
                    7200
                ),
                (
                    "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU".into(),
                    hm(3, 0),
                    7200,
                    3600
                ),
            ]
        );
        // US since 2007: second Sunday of March, first Sunday of November, 02:00.
        let ny = rule(chrono_tz::America::New_York);
        assert_eq!(ny.since, 2007);
        let texts: Vec<String> = ny.rules.iter().map(|r| r.rrule()).collect();
        assert_eq!(
            texts,
            [
                "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
            ]
        );
        assert!(ny.rules.iter().all(|r| r.time == hm(2, 0)));
        // Southern hemisphere since 2008: summer time ends on the first Sunday of April at
        // 03:00 and starts on the first Sunday of October at 02:00.
        let syd = rule(chrono_tz::Australia::Sydney);
        assert_eq!(syd.since, 2008);
        let texts: Vec<(String, bool, NaiveTime)> = syd
            .rules
            .iter()
            .map(|r| (r.rrule(), r.dst, r.time))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("FREQ=YEARLY;BYMONTH=4;BYDAY=1SU".into(), false, hm(3, 0)),
                ("FREQ=YEARLY;BYMONTH=10;BYDAY=1SU".into(), true, hm(2, 0)),
            ]
        );
        // No summer time since 1951.
        let tokyo = rule(chrono_tz::Asia::Tokyo);
        assert!(tokyo.rules.is_empty());
        assert_eq!(tokyo.since, 1952);
        // Moscow dropped summer time in 2011 and moved from +04 to +03 in October 2014.
        let msk = rule(chrono_tz::Europe::Moscow);
        assert!(msk.rules.is_empty());
        assert_eq!(msk.since, 2015);
    }

    #[test]
    fn yearly_rules_give_the_database_offsets_for_decades() {
        for tz in [
            chrono_tz::Europe::Stockholm,
            chrono_tz::America::New_York,
            chrono_tz::Australia::Sydney,
            chrono_tz::Asia::Jerusalem,
            chrono_tz::America::Santiago,
        ] {
            let tail = rule(tz);
            for y in tail.since.max(2026)..=2060 {
                let want = transitions(tz, year_start(y), year_start(y + 1));
                let mut got: Vec<DateTime<Utc>> =
                    tail.rules.iter().filter_map(|r| r.at(y)).collect();
                got.sort();
                let want: Vec<DateTime<Utc>> = want.iter().map(|t| t.at).collect();
                assert_eq!(got, want, "{} {y}", tz.name());
            }
        }
    }

    #[test]
    fn open_ended_vtimezone_repeats_yearly() {
        let mut w = LineWriter::new();
        write_vtimezone(&mut w, chrono_tz::Europe::Stockholm, 2026, 2028);
        let s = w.finish();
        assert!(s.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
        ));
        assert!(s.contains(
            "DTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
        ));
        // No explicit observance after the rules take over (it would end them).
        assert!(!s.contains("DTSTART:20281029"));
        // Earlier history in range stays explicit: Moscow's 2014 change.
        let mut w = LineWriter::new();
        write_vtimezone(&mut w, chrono_tz::Europe::Moscow, 2014, 2030);
        let s = w.finish();
        assert!(s.contains("DTSTART:20141026T020000\r\nTZOFFSETFROM:+0400\r\nTZOFFSETTO:+0300"));
        assert!(!s.contains("RRULE"));
    }

    #[test]
    fn offsets_parse_and_format() {
        assert_eq!(parse_offset("+0530"), Some(19800));
        assert_eq!(parse_offset("-0345"), Some(-13500));
        assert_eq!(parse_offset("+005328"), Some(3208));
        assert_eq!(parse_offset("0100"), Some(3600));
        assert_eq!(parse_offset("+1"), None);
        assert_eq!(fmt_offset(-13500), "-0345");
        assert_eq!(fmt_offset(3208), "+005328");
    }

    #[test]
    fn custom_vtimezone_matched_by_offsets() {
        let d = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(2, 0, 0)
                .unwrap()
        };
        let eu = [
            Observance {
                daylight: true,
                start: d(1981, 3, 29),
                offset_to: 7200,
                month: 3,
            },
            Observance {
                daylight: false,
                start: d(1996, 10, 27),
                offset_to: 3600,
                month: 10,
            },
        ];
        let z = match_offsets(&eu, 2026).unwrap();
        assert_eq!(z, chrono_tz::Europe::Berlin);
        let us = [
            Observance {
                daylight: true,
                start: d(2007, 3, 11),
                offset_to: -4 * 3600,
                month: 3,
            },
            Observance {
                daylight: false,
                start: d(2007, 11, 4),
                offset_to: -5 * 3600,
                month: 11,
            },
        ];
        assert_eq!(match_offsets(&us, 2026), Some(chrono_tz::America::New_York));
        let fixed = [Observance {
            daylight: false,
            start: d(1970, 1, 1),
            offset_to: 9 * 3600,
            month: 1,
        }];
        assert_eq!(match_offsets(&fixed, 2026), Some(chrono_tz::Asia::Tokyo));
        let odd = [Observance {
            daylight: false,
            start: d(1970, 1, 1),
            offset_to: 3600 + 17 * 60,
            month: 1,
        }];
        assert_eq!(match_offsets(&odd, 2026), None);
    }
}
