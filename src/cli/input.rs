//! Reading flag values: friendly dates in the right zone, money, labelled values. Every error
//! is a [`UserError`] that names the flag and the value.
use super::UserError;
pub use crate::domain::when::Direction;
use crate::domain::when::{self, When};
use crate::domain::{Birthday, Currency, Labeled, Money};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use std::str::FromStr;

pub type Res<T> = anyhow::Result<T>;

/// `--flag: message`
pub fn bad(flag: &str, msg: impl std::fmt::Display) -> anyhow::Error {
    UserError::new(format!("--{flag}: {msg}"))
}

/// The word that clears an optional field on edit.
pub fn is_none(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.eq_ignore_ascii_case("none")
}

/// A date and maybe a time; `dir` says which day a date without a year (`1 nov`) or a bare
/// weekday (`fri`) is: see [`Direction`].
pub fn parse_when(flag: &str, text: &str, now: DateTime<Utc>, tz: Tz, dir: Direction) -> Res<When> {
    when::parse_when_dir(text, now, tz, dir).map_err(|e| bad(flag, e))
}

/// An instant; a bare date takes `default_time` in `tz`.
pub fn instant(
    flag: &str,
    text: &str,
    now: DateTime<Utc>,
    tz: Tz,
    default_time: NaiveTime,
    dir: Direction,
) -> Res<DateTime<Utc>> {
    Ok(parse_when(flag, text, now, tz, dir)?.instant(tz, default_time))
}

/// A day. A time in the text is refused (the field is a date).
pub fn date(flag: &str, text: &str, now: DateTime<Utc>, tz: Tz, dir: Direction) -> Res<NaiveDate> {
    match parse_when(flag, text, now, tz, dir)? {
        When::Date(d) => Ok(d),
        _ => Err(bad(
            flag,
            format!("'{}' has a time; this field takes a date", text.trim()),
        )),
    }
}

/// A day that has happened (a payment, last contact): `1 nov` and `fri` are the last ones,
/// and a day after today is refused, naming `what` ("a payment date").
pub fn past_date(flag: &str, text: &str, now: DateTime<Utc>, tz: Tz, what: &str) -> Res<NaiveDate> {
    let d = date(flag, text, now, tz, Direction::Past)?;
    let today = now.with_timezone(&tz).date_naive();
    if d > today {
        return Err(bad(
            flag,
            format!("{d} is in the future ({what} is today or earlier)"),
        ));
    }
    Ok(d)
}

pub fn zone(flag: &str, text: &str) -> Res<Tz> {
    crate::domain::parse_tz(text).map_err(|e| bad(flag, e))
}

/// A closed set such as a status or kind (the domain enums' `FromStr`):
/// `--status 'bogus': expected tentative, confirmed or cancelled`.
pub fn choice<T: FromStr<Err = String>>(flag: &str, text: &str) -> Res<T> {
    text.parse::<T>()
        .map_err(|e| UserError::new(format!("--{flag} {e}")))
}

/// An end or arrival: a full date/time, or a bare time ("15:30") placed on `start`'s local day
/// in `tz` (the next day when that is before `start`, e.g. an overnight flight). The rule is
/// `domain::event::end_after`, shared with the TUI's forms.
pub fn end_after(
    flag: &str,
    text: &str,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Res<DateTime<Utc>> {
    crate::domain::event::end_after(text, start, now, tz).map_err(|e| bad(flag, e))
}

/// A wall time in an event's zone (EXDATE / RDATE convention): a date gives midnight.
pub fn local_naive(
    flag: &str,
    text: &str,
    now: DateTime<Utc>,
    tz: Tz,
    dir: Direction,
) -> Res<NaiveDateTime> {
    Ok(match parse_when(flag, text, now, tz, dir)? {
        When::Date(d) => d.and_time(NaiveTime::MIN),
        When::Local(n) => n,
        When::Instant(t) => t.with_timezone(&tz).naive_local(),
    })
}

pub fn duration(flag: &str, text: &str) -> Res<Duration> {
    when::parse_duration(text).map_err(|e| bad(flag, e))
}

/// `1249 SEK`, `SEK 1249`, or a bare amount read in `currency` (the flag, else `default`).
pub fn money(flag: &str, amount: &str, currency: Option<&str>, default: Currency) -> Res<Money> {
    let explicit = match currency {
        Some(c) => Some(Currency::parse(c).map_err(|e| bad("currency", e))?),
        None => None,
    };
    if let Ok(m) = Money::parse(amount) {
        if let Some(c) = explicit
            && c != m.currency
        {
            return Err(bad(
                flag,
                format!(
                    "'{}' is in {} but --currency says {}",
                    amount.trim(),
                    m.currency,
                    c
                ),
            ));
        }
        return Ok(m);
    }
    // "12.50 XYZ": name the unknown currency rather than the amount
    if let Err(e @ crate::domain::MoneyError::UnknownCurrency(_)) = Money::parse(amount) {
        return Err(bad(flag, e));
    }
    Money::parse_amount(amount, explicit.unwrap_or(default)).map_err(|e| bad(flag, e))
}

/// `label:value`; without a colon the label is empty.
pub fn labeled(text: &str) -> Labeled {
    match text.split_once(':') {
        Some((l, v)) if !l.trim().is_empty() && !l.contains('@') && !l.contains(' ') => {
            Labeled::new(l.trim().to_lowercase(), v.trim())
        }
        _ => Labeled::new("", text.trim()),
    }
}

/// `1980-04-15`, `--04-15`, `04-15`.
pub fn birthday(text: &str) -> Res<Birthday> {
    let t = text.trim();
    let b = if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        use chrono::Datelike;
        Some(Birthday {
            year: Some(d.year()),
            month: d.month(),
            day: d.day(),
        })
    } else {
        let md = t.trim_start_matches('-');
        md.split_once('-').and_then(|(m, d)| {
            let (m, d) = (m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
            Some(Birthday {
                year: None,
                month: m,
                day: d,
            })
        })
    };
    match b {
        Some(b) if b.is_valid() => Ok(b),
        _ => Err(bad(
            "birthday",
            format!("invalid birthday '{t}' (use YYYY-MM-DD, or --MM-DD without a year)"),
        )),
    }
}

/// Minutes before the start; "none" is no reminder.
pub fn reminder(text: &str) -> Res<Option<u32>> {
    if is_none(text) {
        return Ok(None);
    }
    let t = text.trim();
    if let Ok(m) = t.parse::<u32>() {
        return Ok(Some(m));
    }
    // also accept 15m, 1h, 1d
    let d = when::parse_duration(t).map_err(|_| {
        bad(
            "reminder",
            format!("invalid reminder '{t}' (minutes before, e.g. 15, or 1h)"),
        )
    })?;
    u32::try_from(d.num_minutes())
        .map(Some)
        .map_err(|_| bad("reminder", format!("'{t}' is out of range")))
}

/// An attendee text without a contact lookup: `Name <a@b.se>`, `a@b.se`, or a bare name.
pub fn attendee_text(text: &str) -> (String, String) {
    let t = text.trim();
    if let (Some(lt), true) = (t.rfind('<'), t.ends_with('>')) {
        let name = t[..lt].trim().trim_matches('"').trim().to_string();
        let email = t[lt + 1..t.len() - 1].trim().to_string();
        return (name, email);
    }
    if t.contains('@') && !t.contains(' ') {
        return (String::new(), t.to_string());
    }
    (t.to_string(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    #[test]
    fn bare_end_time_lands_on_start_day_or_next() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap(); // 14:00 CET
        let e = end_after("end", "15:30", start, now(), Stockholm).unwrap();
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 12, 1, 14, 30, 0).unwrap());
        let e = end_after("end", "01:00", start, now(), Stockholm).unwrap();
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap());
        // a full date before the start stays before (validation refuses it later)
        let e = end_after("end", "2026-11-30 10:00", start, now(), Stockholm).unwrap();
        assert!(e < start);
    }

    #[test]
    fn money_forms() {
        let sek = Currency::SEK;
        assert_eq!(
            money("amount", "1 249,00", None, sek).unwrap().minor,
            124900
        );
        assert_eq!(
            money("amount", "1249 EUR", None, sek).unwrap().currency,
            Currency::EUR
        );
        assert_eq!(
            money("amount", "12.50", Some("usd"), sek).unwrap(),
            Money::new(1250, Currency::USD)
        );
        let e = money("amount", "12", Some("XYZ"), sek)
            .unwrap_err()
            .to_string();
        assert!(e.contains("--currency: unknown currency 'XYZ'"), "{e}");
        let e = money("amount", "12.50 XYZ", None, sek)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown currency 'XYZ'"), "{e}");
        let e = money("amount", "12 EUR", Some("SEK"), sek)
            .unwrap_err()
            .to_string();
        assert!(e.contains("--currency says SEK"), "{e}");
        assert!(money("amount", "lots", None, sek).is_err());
    }

    #[test]
    fn labels_birthdays_attendees() {
        assert_eq!(
            labeled("work:anna@berg.se"),
            Labeled::new("work", "anna@berg.se")
        );
        assert_eq!(labeled("anna@berg.se"), Labeled::new("", "anna@berg.se"));
        assert_eq!(labeled("Mobile: +46 70"), Labeled::new("mobile", "+46 70"));
        assert_eq!(birthday("--04-15").unwrap().year, None);
        assert_eq!(birthday("1980-04-15").unwrap().year, Some(1980));
        assert!(birthday("02-30").is_err());
        assert_eq!(
            attendee_text("Anna Berg <anna@berg.se>"),
            ("Anna Berg".into(), "anna@berg.se".into())
        );
        assert_eq!(attendee_text("a@b.se"), ("".into(), "a@b.se".into()));
        assert_eq!(attendee_text("Anna"), ("Anna".into(), "".into()));
        assert_eq!(reminder("15").unwrap(), Some(15));
        assert_eq!(reminder("1h").unwrap(), Some(60));
        assert_eq!(reminder("none").unwrap(), None);
        assert!(reminder("soon").is_err());
    }

    #[test]
    fn dates_name_their_flag() {
        let e = date("due", "soonish", now(), Stockholm, Direction::Future)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--due: invalid date 'soonish'"), "{e}");
        let e = date("due", "tomorrow 14:00", now(), Stockholm, Direction::Future)
            .unwrap_err()
            .to_string();
        assert!(e.contains("has a time"), "{e}");
    }
}
