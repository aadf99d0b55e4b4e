//! What an import keeps verbatim (properties and sub-components we do not model) must be
//! something we can write back validly: a strict reader (python-icalendar, Outlook) refuses a
//! whole file for one alarm with `TRIGGER:soon`. These checks say why a kept property or
//! component cannot be kept; the importer drops it and reports it, the exporter drops it too
//! (for rows stored before the check existed).
use super::line::Prop;
use super::parse::parse_duration;

/// A DURATION value exactly as RFC 5545 (and python-icalendar) reads it:
/// `[+-]P(nW | [nD][T[nH][nM][nS]])`, at least one part, none after an empty `T`.
pub fn is_strict_duration(s: &str) -> bool {
    let s = s.trim();
    let rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(rest) = rest.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    // Units in order, each once, each after digits.
    fn units(s: &str, allowed: &[char]) -> Option<usize> {
        let mut next = 0usize;
        let mut digits = 0usize;
        let mut parts = 0usize;
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits += 1;
                continue;
            }
            let pos = allowed.iter().position(|u| *u == c)?;
            if digits == 0 || pos < next {
                return None;
            }
            next = pos + 1;
            digits = 0;
            parts += 1;
        }
        (digits == 0).then_some(parts)
    }
    let Some(d) = units(date, &['W', 'D']) else {
        return false;
    };
    if date.contains('W') && (date.contains('D') || time.is_some()) {
        return false;
    }
    match time {
        None => d > 0,
        Some(t) => matches!(units(t, &['H', 'M', 'S']), Some(n) if n > 0),
    }
}

/// A duration in RFC 5545's canonical form (`-PT15M`, `P1DT2H`, `PT0S`).
pub fn format_duration(d: chrono::Duration) -> String {
    let neg = d < chrono::Duration::zero();
    let mut secs = d.num_seconds().unsigned_abs();
    let days = secs / 86400;
    secs %= 86400;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let mut out = String::from(if neg { "-P" } else { "P" });
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if h + m + s > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || (h == 0 && m == 0) {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

fn is_date(v: &str) -> bool {
    v.len() == 8 && chrono::NaiveDate::parse_from_str(v, "%Y%m%d").is_ok()
}

fn is_date_time(v: &str) -> bool {
    let body = v.strip_suffix('Z').unwrap_or(v);
    body.len() == 15 && chrono::NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S").is_ok()
}

fn is_utc_date_time(v: &str) -> bool {
    v.ends_with('Z') && is_date_time(v)
}

fn is_time(v: &str) -> bool {
    let body = v.strip_suffix('Z').unwrap_or(v);
    body.len() == 6 && chrono::NaiveTime::parse_from_str(body, "%H%M%S").is_ok()
}

/// `start/end` or `start/duration` (RFC 5545 3.3.9).
fn is_period(v: &str) -> bool {
    match v.split_once('/') {
        Some((a, b)) => is_date_time(a) && (is_date_time(b) || is_strict_duration(b)),
        None => false,
    }
}

/// `+HHMM` or `-HHMMSS` (RFC 5545 3.3.14): the sign is required.
fn is_utc_offset(v: &str) -> bool {
    let Some(rest) = v.strip_prefix(['+', '-']) else {
        return false;
    };
    (rest.len() == 4 || rest.len() == 6)
        && rest.bytes().all(|b| b.is_ascii_digit())
        && rest[..2] < *"24"
        && rest[2..4] < *"60"
        && rest.get(4..).is_none_or(|s| s.is_empty() || s < "60")
}

fn is_base64(v: &str) -> bool {
    !v.is_empty()
        && v.len().is_multiple_of(4)
        && v.trim_end_matches('=').len() + 2 >= v.len()
        && v.trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn is_weekday(v: &str) -> bool {
    matches!(v, "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU")
}

/// A RECUR value as RFC 5545 3.3.10 writes it (all frequencies and parts, which is more than
/// we expand): known parts, each once, each with values of its kind.
fn is_recur(v: &str) -> bool {
    let int_list = |s: &str, lo: i64, hi: i64, signed: bool| {
        s.split(',').all(|x| {
            let t = x.strip_prefix(['+', '-']).filter(|_| signed).unwrap_or(x);
            !t.is_empty()
                && t.len() <= 3
                && t.bytes().all(|b| b.is_ascii_digit())
                && t.parse::<i64>().is_ok_and(|n| n >= lo && n <= hi)
        })
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut freq = false;
    for part in v.split(';') {
        let Some((k, val)) = part.split_once('=') else {
            return false;
        };
        if seen.contains(&k) || val.is_empty() {
            return false;
        }
        seen.push(k);
        let ok = match k {
            "FREQ" => {
                freq = true;
                matches!(
                    val,
                    "SECONDLY" | "MINUTELY" | "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY"
                )
            }
            "UNTIL" => is_date(val) || is_date_time(val),
            "COUNT" | "INTERVAL" => {
                val.len() <= 9 && val.bytes().all(|b| b.is_ascii_digit()) && val != "0"
            }
            "BYSECOND" => int_list(val, 0, 60, false),
            "BYMINUTE" => int_list(val, 0, 59, false),
            "BYHOUR" => int_list(val, 0, 23, false),
            "BYMONTHDAY" => int_list(val, 1, 31, true),
            "BYYEARDAY" | "BYSETPOS" => int_list(val, 1, 366, true),
            "BYWEEKNO" => int_list(val, 1, 53, true),
            "BYMONTH" => int_list(val, 1, 12, false),
            "BYDAY" => val.split(',').all(|d| {
                d.len() >= 2
                    && is_weekday(&d[d.len() - 2..])
                    && (d.len() == 2 || int_list(&d[..d.len() - 2], 1, 53, true))
            }),
            "WKST" => is_weekday(val),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    freq
}

/// A value type of RFC 5545 (3.3), as a strict reader (python-icalendar) checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Binary,
    Boolean,
    Date,
    DateTime,
    /// A DATE-TIME that must be in UTC (CREATED, DTSTAMP, LAST-MODIFIED, COMPLETED...).
    Utc,
    Duration,
    Float,
    Integer,
    Period,
    Recur,
    Time,
    UtcOffset,
    Geo,
    /// TEXT, URI, CAL-ADDRESS and unknown types: any characters.
    Any,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Binary => "binary",
            Ty::Boolean => "boolean",
            Ty::Date => "date",
            Ty::DateTime => "date-time",
            Ty::Utc => "UTC date-time",
            Ty::Duration => "duration",
            Ty::Float => "float",
            Ty::Integer => "integer",
            Ty::Period => "period",
            Ty::Recur => "recurrence rule",
            Ty::Time => "time",
            Ty::UtcOffset => "UTC offset",
            Ty::Geo => "latitude;longitude",
            Ty::Any => "text",
        }
    }

    fn holds(self, v: &str) -> bool {
        match self {
            Ty::Binary => is_base64(v),
            Ty::Boolean => v.eq_ignore_ascii_case("TRUE") || v.eq_ignore_ascii_case("FALSE"),
            Ty::Date => is_date(v),
            Ty::DateTime => is_date_time(v),
            Ty::Utc => is_utc_date_time(v),
            Ty::Duration => is_strict_duration(v),
            Ty::Float => v.parse::<f64>().is_ok_and(f64::is_finite),
            Ty::Integer => v.parse::<i64>().is_ok(),
            Ty::Period => is_period(v),
            Ty::Recur => is_recur(v),
            Ty::Time => is_time(v),
            Ty::UtcOffset => is_utc_offset(v),
            Ty::Geo => {
                let mut parts = v.split(';');
                let ok = |s: Option<&str>| s.is_some_and(|s| s.trim().parse::<f64>().is_ok());
                ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
            }
            Ty::Any => true,
        }
    }
}

/// The properties RFC 5545 defines (section 3.7 and 3.8), and the later ones with a home in a
/// component we keep (RFC 7986 COLOR/CONFERENCE/IMAGE, RFC 9074 ACKNOWLEDGED/PROXIMITY). One of
/// these outside the components RFC 5545 lists for it is refused by strict readers; any other
/// name (X- and new IANA names) may stand anywhere.
const KNOWN: &[&str] = &[
    "CALSCALE",
    "METHOD",
    "PRODID",
    "VERSION",
    "ATTACH",
    "CATEGORIES",
    "CLASS",
    "COMMENT",
    "DESCRIPTION",
    "GEO",
    "LOCATION",
    "PERCENT-COMPLETE",
    "PRIORITY",
    "RESOURCES",
    "STATUS",
    "SUMMARY",
    "COMPLETED",
    "DTEND",
    "DUE",
    "DTSTART",
    "DURATION",
    "FREEBUSY",
    "TRANSP",
    "TZID",
    "TZNAME",
    "TZOFFSETFROM",
    "TZOFFSETTO",
    "TZURL",
    "ATTENDEE",
    "CONTACT",
    "ORGANIZER",
    "RECURRENCE-ID",
    "RELATED-TO",
    "URL",
    "UID",
    "EXDATE",
    "EXRULE",
    "RDATE",
    "RRULE",
    "ACTION",
    "REPEAT",
    "TRIGGER",
    "CREATED",
    "DTSTAMP",
    "LAST-MODIFIED",
    "SEQUENCE",
    "REQUEST-STATUS",
    "COLOR",
    "CONFERENCE",
    "IMAGE",
    "ACKNOWLEDGED",
    "PROXIMITY",
];

/// The known properties a VEVENT may hold (RFC 5545 3.6.1, RFC 7986 5.9-5.11).
const IN_EVENT: &[&str] = &[
    "DTSTAMP",
    "UID",
    "DTSTART",
    "CLASS",
    "CREATED",
    "DESCRIPTION",
    "GEO",
    "LAST-MODIFIED",
    "LOCATION",
    "ORGANIZER",
    "PRIORITY",
    "SEQUENCE",
    "STATUS",
    "SUMMARY",
    "TRANSP",
    "URL",
    "RECURRENCE-ID",
    "RRULE",
    "DTEND",
    "DURATION",
    "ATTACH",
    "ATTENDEE",
    "CATEGORIES",
    "COMMENT",
    "CONTACT",
    "EXDATE",
    "REQUEST-STATUS",
    "RELATED-TO",
    "RESOURCES",
    "RDATE",
    "COLOR",
    "CONFERENCE",
    "IMAGE",
];

/// The known properties a VALARM may hold (RFC 5545 3.6.6, RFC 9074 UID, RELATED-TO,
/// ACKNOWLEDGED, PROXIMITY).
const IN_ALARM: &[&str] = &[
    "ACTION",
    "TRIGGER",
    "DURATION",
    "REPEAT",
    "DESCRIPTION",
    "SUMMARY",
    "ATTENDEE",
    "ATTACH",
    "UID",
    "RELATED-TO",
    "ACKNOWLEDGED",
    "PROXIMITY",
];

/// Properties a component holds at most once (RFC 5545's "MUST NOT occur more than once"),
/// among those we keep verbatim: a second one is dropped.
pub fn once_only(component: &str, name: &str) -> bool {
    match component {
        "VEVENT" => matches!(
            name,
            "CLASS" | "GEO" | "ORGANIZER" | "PRIORITY" | "TRANSP" | "URL" | "COLOR"
        ),
        "VALARM" => matches!(
            name,
            "DURATION" | "REPEAT" | "UID" | "ACKNOWLEDGED" | "PROXIMITY"
        ),
        _ => false,
    }
}

/// The type a property's value has: its VALUE parameter when that names an RFC 5545 type,
/// else the type RFC 5545 gives the name (python-icalendar reads them so).
fn declared_type(p: &Prop) -> Ty {
    let by_value = p.param("VALUE").and_then(|v| {
        Some(match v.to_ascii_uppercase().as_str() {
            "BINARY" => Ty::Binary,
            "BOOLEAN" => Ty::Boolean,
            "DATE" => Ty::Date,
            "DATE-TIME" => Ty::DateTime,
            "DURATION" => Ty::Duration,
            "FLOAT" => Ty::Float,
            "INTEGER" => Ty::Integer,
            "PERIOD" => Ty::Period,
            "RECUR" => Ty::Recur,
            "TIME" => Ty::Time,
            "UTC-OFFSET" => Ty::UtcOffset,
            "TEXT" | "URI" | "CAL-ADDRESS" => Ty::Any,
            _ => return None,
        })
    });
    if let Some(t) = by_value {
        return t;
    }
    match p.name.as_str() {
        "PRIORITY" | "REPEAT" | "PERCENT-COMPLETE" | "SEQUENCE" => Ty::Integer,
        "COMPLETED" | "CREATED" | "DTSTAMP" | "LAST-MODIFIED" | "ACKNOWLEDGED" => Ty::Utc,
        "DUE" | "DTSTART" | "DTEND" | "RECURRENCE-ID" | "EXDATE" | "RDATE" => Ty::DateTime,
        "DURATION" | "TRIGGER" | "REFRESH-INTERVAL" => Ty::Duration,
        "FREEBUSY" => Ty::Period,
        "RRULE" | "EXRULE" => Ty::Recur,
        "TZOFFSETFROM" | "TZOFFSETTO" => Ty::UtcOffset,
        "GEO" => Ty::Geo,
        _ => Ty::Any,
    }
}

/// Why the value of `p` is not one of its declared type (None: it is). EXDATE, RDATE and
/// FREEBUSY hold lists.
fn value_problem(p: &Prop) -> Option<String> {
    let v = p.value.trim();
    let ty = declared_type(p);
    let ok = if matches!(p.name.as_str(), "EXDATE" | "RDATE" | "FREEBUSY") {
        v.split(',').all(|x| ty.holds(x.trim()))
    } else {
        ty.holds(v)
    };
    (!ok).then(|| format!("{} '{}' is not a valid {}", p.name, short(v), ty.name()))
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(30).filter(|c| !c.is_control()).collect();
    if s.chars().count() > 30 {
        out.push('…');
    }
    out
}

/// How a component is named in messages.
fn component_word(c: &str) -> String {
    match c {
        "VEVENT" => "an event".into(),
        "VALARM" => "an alarm".into(),
        other => format!("a {other}"),
    }
}

/// Why a property kept verbatim in `component` (VEVENT, VALARM, or a component we do not
/// know, which may hold anything of a valid type) cannot be written back (None: it can):
/// a parameter off the grammar, a known property that does not belong there (an alarm's
/// EXDATE, an event's TRIGGER), EXRULE, a TZID (its VTIMEZONE is not kept), or a value that
/// is not of its type.
pub fn prop_problem_in(component: &str, p: &Prop) -> Option<String> {
    if let Some((_, why)) = p.bad_params.first() {
        return Some(format!("{}: {why}", p.name));
    }
    let allowed: Option<&[&str]> = match component {
        "VEVENT" => Some(IN_EVENT),
        "VALARM" => Some(IN_ALARM),
        _ => None,
    };
    if let Some(list) = allowed
        && KNOWN.contains(&p.name.as_str())
        && !list.contains(&p.name.as_str())
    {
        return Some(format!(
            "{} does not belong in {}",
            p.name,
            component_word(component)
        ));
    }
    if p.name == "EXRULE" {
        // Deprecated by RFC 5545; our expansion would not follow it, so clients would show
        // other occurrences than we do.
        return Some("EXRULE is not supported (RFC 5545 deprecated it)".into());
    }
    if p.param("TZID").is_some() {
        // We write a VTIMEZONE only for the zones of the times we model.
        return Some(format!(
            "{} carries a TZID whose VTIMEZONE is not kept",
            p.name
        ));
    }
    value_problem(p)
}

/// [`prop_problem_in`] for a property kept at the top of an event.
pub fn event_prop_problem(p: &Prop) -> Option<String> {
    prop_problem_in("VEVENT", p)
}

/// A component name that may sit inside a VEVENT and be kept: VALARM, or one we do not know
/// (an extension such as VLOCATION, or an X- component). Calendar components nested where
/// they do not belong are not kept.
pub fn keepable_component(name: &str) -> bool {
    !matches!(
        name,
        "VEVENT"
            | "VTODO"
            | "VJOURNAL"
            | "VFREEBUSY"
            | "VTIMEZONE"
            | "STANDARD"
            | "DAYLIGHT"
            | "VCALENDAR"
            | "VAVAILABILITY"
            | "AVAILABLE"
    )
}

/// Check one VALARM's properties: exactly one ACTION and one valid TRIGGER, DURATION and REPEAT
/// together, a DESCRIPTION for DISPLAY and EMAIL, a SUMMARY and an ATTENDEE for EMAIL. Returns
/// the TRIGGER line rewritten in canonical form when the file wrote a duration leniently
/// (`-P300S`, as calcurse does), else None.
/// `line` is where the alarm begins (reported for what it lacks).
pub fn alarm_problem(props: &[Prop], line: usize) -> Result<Option<String>, (usize, String)> {
    let count = |n: &str| props.iter().filter(|p| p.name == n).count();
    let first = |n: &str| props.iter().find(|p| p.name == n);
    let action = match (count("ACTION"), first("ACTION")) {
        (1, Some(a)) => a.value.trim().to_ascii_uppercase(),
        _ => return Err((line, "VALARM without exactly one ACTION".into())),
    };
    if action.is_empty()
        || !action
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err((line, format!("VALARM with ACTION '{}'", short(&action))));
    }
    let Some(t) = first("TRIGGER").filter(|_| count("TRIGGER") == 1) else {
        return Err((line, "VALARM without exactly one TRIGGER".into()));
    };
    let mut rewritten = None;
    let v = t.value.trim();
    if t.param("VALUE")
        .is_some_and(|x| x.eq_ignore_ascii_case("DATE-TIME"))
    {
        if !is_utc_date_time(v) {
            return Err((
                t.line,
                format!("VALARM TRIGGER '{}' is not a UTC date-time", short(v)),
            ));
        }
    } else if !is_strict_duration(v) {
        match parse_duration(v) {
            Some(d) => {
                let head = &t.raw[..t.raw.len() - t.value.len()];
                rewritten = Some(format!("{head}{}", format_duration(d)));
            }
            None => {
                return Err((
                    t.line,
                    format!("VALARM TRIGGER '{}' is not a duration", short(v)),
                ));
            }
        }
    }
    if (count("DURATION") == 0) != (count("REPEAT") == 0) {
        return Err((
            line,
            "VALARM with DURATION but no REPEAT, or the reverse".into(),
        ));
    }
    let needs: &[&str] = match action.as_str() {
        "DISPLAY" => &["DESCRIPTION"],
        "EMAIL" => &["DESCRIPTION", "SUMMARY", "ATTENDEE"],
        _ => &[],
    };
    if let Some(n) = needs.iter().find(|n| count(n) == 0) {
        return Err((line, format!("VALARM ACTION:{action} without {n}")));
    }
    for p in props {
        if p.name != "TRIGGER"
            && let Some(m) = prop_problem_in("VALARM", p)
        {
            return Err((p.line, format!("VALARM: {m}")));
        }
    }
    Ok(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ics::line::parse_line;

    #[test]
    fn strict_durations() {
        for ok in [
            "-PT15M",
            "P1D",
            "P2W",
            "PT0S",
            "-P0DT0H10M0S",
            "+P1DT2H",
            "P1DT1S",
        ] {
            assert!(is_strict_duration(ok), "{ok}");
        }
        for bad in [
            "soon",
            "-P300S",
            "P",
            "PT",
            "P1H",
            "PT1D",
            "-PT15MACTION:DISPLAY",
            "P1W2D",
            "PT1M1H",
            "P1",
        ] {
            assert!(!is_strict_duration(bad), "{bad}");
        }
    }

    #[test]
    fn canonical_durations() {
        use chrono::Duration;
        assert_eq!(format_duration(Duration::seconds(-300)), "-PT5M");
        assert_eq!(format_duration(Duration::hours(26)), "P1DT2H");
        assert_eq!(format_duration(Duration::zero()), "PT0S");
        assert_eq!(format_duration(Duration::days(-2)), "-P2D");
        assert_eq!(format_duration(Duration::seconds(3725)), "PT1H2M5S");
    }

    fn props(lines: &[&str]) -> Vec<Prop> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| parse_line(i + 1, l).unwrap())
            .collect()
    }

    #[test]
    fn alarms() {
        let good = props(&["ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT15M"]);
        assert_eq!(alarm_problem(&good, 1), Ok(None));
        let apple_none = props(&["ACTION:NONE", "TRIGGER;VALUE=DATE-TIME:19760401T005545Z"]);
        assert_eq!(alarm_problem(&apple_none, 1), Ok(None));
        let calcurse = props(&["ACTION:AUDIO", "TRIGGER:-P300S"]);
        assert_eq!(
            alarm_problem(&calcurse, 1),
            Ok(Some("TRIGGER:-PT5M".to_string()))
        );
        for bad in [
            &["ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:soon"][..],
            &["TRIGGER:-PT15MACTION:DISPLAY"],
            &["ACTION:DISPLAY", "TRIGGER:-PT15M"],
            &["ACTION:AUDIO", "TRIGGER;VALUE=DATE-TIME:20270101T100000"],
            &["ACTION:AUDIO", "TRIGGER:-PT1M", "REPEAT:2"],
            &["ACTION:AUDIO", "TRIGGER:-PT1M", "TRIGGER:-PT2M"],
            &["ACTION:AUDIO", "TRIGGER:-PT1M", "REPEAT:x", "DURATION:PT1M"],
        ] {
            assert!(alarm_problem(&props(bad), 1).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn kept_properties() {
        // in a component we do not know: any property, of a valid type
        let p = |l: &str| prop_problem_in("X-THING", &parse_line(1, l).unwrap());
        assert_eq!(p("X-FOO:anything"), None);
        assert_eq!(p("PRIORITY:5"), None);
        assert_eq!(p("GEO:59.3;18.06"), None);
        assert_eq!(p("URL:https://x"), None);
        assert!(p("PRIORITY:high").is_some());
        assert!(p("GEO:north").is_some());
        assert!(p("X-WHEN;VALUE=DATE:2027-01-01").is_some());
        assert!(p("COMPLETED:20270101T100000").is_some());
        assert!(p("EXRULE:FREQ=DAILY").is_some());
        assert!(p("X-MS-OLK-ORIGINALSTART;TZID=Custom:20270101T100000").is_some());
        let e = |l: &str| event_prop_problem(&parse_line(1, l).unwrap());
        assert!(e("TRIGGER:-PT15M").is_some());
        assert!(e("DUE:20270101T100000Z").is_some());
        assert_eq!(e("X-FOO:1"), None);
        assert_eq!(e("X-FOO;X-BAR=1:1"), None);
        assert!(e("X-FOO;X-B$R=1:1").is_some());
    }

    #[test]
    fn each_value_by_its_type() {
        let p = |l: &str| prop_problem_in("X-THING", &parse_line(1, l).unwrap());
        for ok in [
            "EXDATE:20270101T100000Z,20270102T100000",
            "EXDATE;VALUE=DATE:20270101,20270102",
            "RDATE;VALUE=PERIOD:20270101T100000Z/PT1H,20270102T100000Z/20270102T110000Z",
            "RRULE:FREQ=HOURLY;BYDAY=MO,-1FR;BYWEEKNO=3;INTERVAL=2",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:-053000",
            "X-A;VALUE=BOOLEAN:true",
            "X-A;VALUE=TIME:093000Z",
            "X-A;VALUE=BINARY;ENCODING=BASE64:aGVsbG8=",
            "X-A;VALUE=FLOAT:1.5",
            "X-A;VALUE=X-OWN:anything",
            "ACKNOWLEDGED:20270101T100000Z",
            "REFRESH-INTERVAL;VALUE=DURATION:P1W",
        ] {
            assert_eq!(p(ok), None, "{ok}");
        }
        for bad in [
            "EXDATE:garbage",
            "EXDATE:20270101T100000Z,x",
            "RDATE;VALUE=PERIOD:20270101T100000Z",
            "RRULE:FREQ=WEEKLY;BYDAY=XX",
            "RRULE:BYDAY=MO",
            "RRULE:FREQ=DAILY;COUNT=2;COUNT=3",
            "TZOFFSETFROM:0100",
            "X-A;VALUE=BOOLEAN:yes",
            "X-A;VALUE=TIME:25",
            "X-A;VALUE=BINARY:@@",
            "X-A;VALUE=DATE:20270101,20270102",
            "ACKNOWLEDGED:20270101T100000",
            "DUE:tomorrow",
        ] {
            assert!(p(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn an_alarm_keeps_only_what_belongs_in_an_alarm() {
        let a = |l: &str| prop_problem_in("VALARM", &parse_line(1, l).unwrap());
        for ok in [
            "ACTION:AUDIO",
            "ATTACH:https://x/y.wav",
            "DESCRIPTION:x",
            "UID:a1",
            "ACKNOWLEDGED:20270101T100000Z",
            "X-WR-ALARMUID:a1",
            "X-APPLE-DEFAULT-ALARM:TRUE",
        ] {
            assert_eq!(a(ok), None, "{ok}");
        }
        assert_eq!(
            a("EXDATE:20270101T100000Z").as_deref(),
            Some("EXDATE does not belong in an alarm")
        );
        assert!(a("RRULE:FREQ=WEEKLY;BYDAY=XX").is_some());
        assert!(a("DTSTART:20270101T100000Z").is_some());
        assert!(a("LOCATION:x").is_some());
        assert!(once_only("VALARM", "REPEAT") && !once_only("VALARM", "ATTACH"));
    }
}
