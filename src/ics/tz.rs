//! Time zones in calendar files: VTIMEZONE blocks generated from chrono-tz transitions,
//! Windows zone names (Outlook) mapped to IANA with the CLDR windowsZones table, and custom
//! VTIMEZONEs mapped to an IANA zone by matching their offsets.
use super::line::{LineWriter, escape_text};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

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

/// Write `BEGIN:VTIMEZONE ... END:VTIMEZONE` for `tz` covering the years `from..=to`: one
/// observance for the offset in force on 1 January of `from`, then one per transition, each
/// with an explicit DTSTART (no RRULE). No DTSTAMP/UID: they do not belong in VTIMEZONE.
pub fn write_vtimezone(w: &mut LineWriter, tz: Tz, from_year: i32, to_year: i32) {
    let start = year_start(from_year);
    let end = year_start(to_year.max(from_year) + 1);
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
    for t in std::iter::once(first).chain(transitions(tz, start, end)) {
        let kind = if t.dst { "DAYLIGHT" } else { "STANDARD" };
        w.raw(&format!("BEGIN:{kind}"));
        // DTSTART of an observance is local time in the offset in force before it.
        let local = t.at.naive_utc() + Duration::seconds(t.from as i64);
        w.raw(&format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
        w.raw(&format!("TZOFFSETFROM:{}", fmt_offset(t.from)));
        w.raw(&format!("TZOFFSETTO:{}", fmt_offset(t.to)));
        if !t.abbrev.is_empty() {
            w.raw(&format!("TZNAME:{}", escape_text(&t.abbrev)));
        }
        w.raw(&format!("END:{kind}"));
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
        assert!(s.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT"));
        assert!(s.contains("DTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"));
        assert!(!s.contains("DTSTAMP") && !s.contains("UID"));
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
