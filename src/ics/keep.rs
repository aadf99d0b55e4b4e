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

/// Why the value of `p` is not one of its type (None: it is), judged by its VALUE parameter,
/// else by the type RFC 5545 gives the property name.
fn value_problem(p: &Prop) -> Option<String> {
    let v = p.value.trim();
    let ty = p
        .param("VALUE")
        .map(|t| t.to_ascii_uppercase())
        .or_else(|| {
            Some(
                match p.name.as_str() {
                    "PRIORITY" | "REPEAT" | "PERCENT-COMPLETE" | "SEQUENCE" => "INTEGER",
                    "COMPLETED" | "CREATED" | "DTSTAMP" | "LAST-MODIFIED" => "UTC",
                    "DUE" | "DTSTART" | "DTEND" => "DATE-TIME",
                    "DURATION" => "DURATION",
                    "GEO" => "GEO",
                    _ => return None,
                }
                .to_string(),
            )
        })?;
    let each = |f: &dyn Fn(&str) -> bool| v.split(',').all(|x| f(x.trim()));
    let ok = match ty.as_str() {
        "INTEGER" => each(&|x| x.parse::<i64>().is_ok()),
        "FLOAT" => each(&|x| x.parse::<f64>().is_ok_and(f64::is_finite)),
        "BOOLEAN" => v.eq_ignore_ascii_case("TRUE") || v.eq_ignore_ascii_case("FALSE"),
        "DATE" => each(&is_date),
        "DATE-TIME" => each(&is_date_time),
        "UTC" => is_utc_date_time(v),
        "DURATION" => each(&is_strict_duration),
        "GEO" => {
            let mut parts = v.split(';');
            let ok = |s: Option<&str>| s.is_some_and(|s| s.trim().parse::<f64>().is_ok());
            ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
        }
        _ => true,
    };
    (!ok).then(|| {
        format!(
            "{} '{}' is not a valid {}",
            p.name,
            short(v),
            match ty.as_str() {
                "UTC" => "UTC date-time",
                "GEO" => "latitude;longitude",
                t => t,
            }
            .to_ascii_lowercase()
        )
    })
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(30).filter(|c| !c.is_control()).collect();
    if s.chars().count() > 30 {
        out.push('…');
    }
    out
}

/// Why a property kept verbatim on an event (or inside a kept component) cannot be written
/// back (None: it can).
pub fn prop_problem(p: &Prop) -> Option<String> {
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

/// Why a property kept at the top of an event cannot be written back there: one of
/// [`prop_problem`], or a property that belongs to another component (an alarm's TRIGGER or
/// ACTION, a to-do's DUE, a time zone's offsets), which strict readers refuse in a VEVENT.
pub fn event_prop_problem(p: &Prop) -> Option<String> {
    if matches!(
        p.name.as_str(),
        "TRIGGER"
            | "ACTION"
            | "REPEAT"
            | "DUE"
            | "COMPLETED"
            | "PERCENT-COMPLETE"
            | "TZOFFSETFROM"
            | "TZOFFSETTO"
            | "TZNAME"
            | "TZID"
            | "TZURL"
            | "FREEBUSY"
    ) {
        return Some(format!("{} does not belong in an event", p.name));
    }
    prop_problem(p)
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
            && let Some(m) = prop_problem(p)
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
        let p = |l: &str| prop_problem(&parse_line(1, l).unwrap());
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
    }
}
