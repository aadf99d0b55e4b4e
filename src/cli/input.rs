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

/// `--flag VALUE message`: for messages about the value itself, such as `--to 2026-05-31 is
/// before --from 2027-01-01` (the resolved value, not only what was typed).
pub fn bad_value(
    flag: &str,
    value: impl std::fmt::Display,
    msg: impl std::fmt::Display,
) -> anyhow::Error {
    UserError::new(format!("--{flag} {value} {msg}"))
}

/// A domain error about `text`: `--end 09:00 is before ...` when the message opens with the
/// value, else `--end: message`.
fn about(flag: &str, text: &str, e: impl std::fmt::Display) -> anyhow::Error {
    let msg = e.to_string();
    match msg.strip_prefix(text.trim()) {
        Some(rest) if !text.trim().is_empty() && rest.starts_with(' ') => {
            UserError::new(format!("--{flag} {msg}"))
        }
        _ => bad(flag, msg),
    }
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

/// An occurrence named by `--at` in zone `tz`: its day, and its wall time when one was given
/// (a date alone names the day's only occurrence).
pub fn occurrence_at(
    flag: &str,
    text: &str,
    now: DateTime<Utc>,
    tz: Tz,
) -> Res<(NaiveDate, Option<NaiveDateTime>)> {
    Ok(match parse_when(flag, text, now, tz, Direction::Nearest)? {
        When::Date(d) => (d, None),
        When::Local(n) => (n.date(), Some(n)),
        When::Instant(t) => {
            let n = t.with_timezone(&tz).naive_local();
            (n.date(), Some(n))
        }
    })
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

/// A day. A time in the text is refused (the field is a date); `now` is today.
pub fn date(flag: &str, text: &str, now: DateTime<Utc>, tz: Tz, dir: Direction) -> Res<NaiveDate> {
    match parse_when(flag, text, now, tz, dir)? {
        When::Date(d) => Ok(d),
        When::Instant(t) if text.trim().eq_ignore_ascii_case("now") => {
            Ok(t.with_timezone(&tz).date_naive())
        }
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

/// The bounds of a range of days (`--from`, `--to` of a list, an export, `conflicts`): the
/// closest `--from` (a weekday: the coming one), and `--to` read from `from` on (a weekday or
/// a date without a year is the first on or after it: `--from "1 jan" --to "31 may"` is five
/// months, whichever year). `from` is `--from`, or the day the command starts from without
/// it (None: `--to` alone is the closest). A `--to` before `from` is refused, naming both.
pub fn range_day(
    flag: &str,
    text: &str,
    from: Option<NaiveDate>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Res<NaiveDate> {
    let d = date(
        flag,
        text,
        now,
        tz,
        from.map_or(Direction::Nearest, Direction::From),
    )?;
    match from {
        Some(f) if d < f => Err(bad_value(flag, d, format!("is before --from {f}"))),
        _ => Ok(d),
    }
}

/// An end or arrival read against its start (`domain::event::end_after`, shared with the TUI's
/// forms): a time alone is on the start's day (the next day as `overnight` allows), a weekday
/// or a date without a year the first on or after the start's day. On edit, `own` is the
/// record's end as a wall time in `tz` (moved along with the start when the start moves too):
/// a time alone keeps its day (a three-day conference given `--end 16:00` still ends on its
/// third day; the start's day and the rollover apply only when that day would end it before
/// its start), and a date alone keeps its time of day.
pub fn end_after(
    flag: &str,
    text: &str,
    start: DateTime<Utc>,
    own: Option<NaiveDateTime>,
    now: DateTime<Utc>,
    tz: Tz,
    overnight: crate::domain::event::Overnight,
) -> Res<crate::domain::event::EndAt> {
    use crate::domain::event::{EndAt, is_bare_time};
    if let Some(o) = own
        && is_bare_time(text)
    {
        let t = when::parse_time(text).map_err(|e| bad(flag, e))?;
        let at = when::local_to_utc(o.date().and_time(t), tz);
        if at >= start {
            return Ok(EndAt {
                at,
                next_day: false,
            });
        }
    }
    if let Some(o) = own
        && !is_bare_time(text)
    {
        let day = start.with_timezone(&tz).date_naive();
        if let Ok(When::Date(d)) = when::parse_when_dir(text, now, tz, Direction::From(day)) {
            return Ok(EndAt {
                at: when::local_to_utc(d.and_time(o.time()), tz),
                next_day: false,
            });
        }
    }
    crate::domain::event::end_after(text, start, now, tz, overnight)
        .map_err(|e| about(flag, text, e))
}

/// A new start typed on edit, against the record's own (`own`, its wall time): a time alone
/// keeps the record's day ("10:00" moves the meeting within its day, not to today), and a date
/// alone keeps its time of day when `keep_time` (a timed record: "fri" moves it to Friday at
/// the same hour; it does not become all-day).
pub fn moved(
    flag: &str,
    text: &str,
    own: NaiveDateTime,
    keep_time: bool,
    now: DateTime<Utc>,
    tz: Tz,
) -> Res<When> {
    if let Some(n) = crate::domain::event::time_on_day(text, own.date()) {
        return Ok(When::Local(n));
    }
    Ok(match parse_when(flag, text, now, tz, Direction::Future)? {
        When::Date(d) if keep_time => When::Local(d.and_time(own.time())),
        w => w,
    })
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
    // "12.50 XYZ": the unknown currency is named rather than the amount
    match Money::split_currency(amount).map_err(|e| bad(flag, e))? {
        Some((_, c)) if explicit.is_some_and(|x| x != c) => Err(bad(
            flag,
            format!(
                "'{}' is in {} but --currency says {}",
                amount.trim(),
                c,
                explicit.map(|x| x.code()).unwrap_or_default()
            ),
        )),
        // the currency in the text reads the number ("0.001 SEK": more decimals than SEK has)
        Some((number, c)) => Money::parse_amount(&number, c).map_err(|e| bad(flag, e)),
        None => Money::parse_amount(amount, explicit.unwrap_or(default)).map_err(|e| bad(flag, e)),
    }
}

/// A record's amount `m` (the `--amount` or `--cost` named `flag`) in the currency `--currency`
/// gives, the amount kept: converted through the minor units, never printed and read back.
/// One the new currency cannot hold exactly is refused, asking for the amount too.
pub fn recurrency(flag: &str, m: Money, currency: &str) -> Res<Money> {
    let to = Currency::parse(currency).map_err(|e| bad("currency", e))?;
    m.in_currency(to)
        .map_err(|e| bad("currency", format!("{e}: give --{flag} too")))
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
    fn ends_name_their_flag_and_value_and_keep_the_records_time_on_edit() {
        use crate::domain::event::{EVENT_OVERNIGHT, Overnight};
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap(); // Tue 14:00 CET
        let end = |t, own| end_after("end", t, start, own, now(), Stockholm, EVENT_OVERNIGHT);
        assert_eq!(
            end("15:30", None).unwrap().at,
            Utc.with_ymd_and_hms(2026, 12, 1, 14, 30, 0).unwrap()
        );
        let e = end("01:00", None).unwrap();
        assert_eq!(
            (e.at, e.next_day),
            (Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap(), true)
        );
        assert_eq!(
            end("09:00", None).unwrap_err().to_string(),
            "--end 09:00 is before the start 14:00 (write 'wed 09:00' for an event past midnight)"
        );
        assert!(
            end("soonish", None)
                .unwrap_err()
                .to_string()
                .starts_with("--end: invalid date")
        );
        // on edit, a date alone keeps the record's end time (fri: the first after Tuesday)
        let own = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(15, 45, 0);
        assert_eq!(
            end("fri", own).unwrap().at,
            Utc.with_ymd_and_hms(2026, 12, 4, 14, 45, 0).unwrap()
        );
        // on edit, a time alone keeps the record's end day (a three-day event keeps its third)
        let third = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(17, 0, 0);
        let e = end("16:00", third).unwrap();
        assert_eq!(
            (e.at, e.next_day),
            (Utc.with_ymd_and_hms(2026, 12, 3, 15, 0, 0).unwrap(), false)
        );
        // unless that is before the start: then as on add
        assert_eq!(
            end("15:30", own).unwrap().at,
            end("15:30", None).unwrap().at
        );
        assert!(end("09:00", own).is_err());
        // a hotel stay: the next day, however long
        let out = end_after(
            "arrive",
            "11:00",
            start,
            None,
            now(),
            Stockholm,
            Overnight::Always,
        );
        assert!(out.unwrap().next_day);
    }

    #[test]
    fn a_moved_start_keeps_the_records_day_or_time() {
        let own = NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(10, 5, 0)
            .unwrap();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        assert_eq!(
            moved("depart", "11:00", own, true, now(), Stockholm).unwrap(),
            When::Local(own.date().and_time(t(11, 0)))
        );
        assert_eq!(
            moved("start", "fri", own, true, now(), Stockholm).unwrap(),
            When::Local(d(27).and_time(t(10, 5)))
        );
        // an all-day record keeps a date a date
        assert_eq!(
            moved("start", "fri", own, false, now(), Stockholm).unwrap(),
            When::Date(d(27))
        );
        assert_eq!(
            moved("start", "fri 14:00", own, true, now(), Stockholm).unwrap(),
            When::Local(d(27).and_time(t(14, 0)))
        );
    }

    #[test]
    fn range_ends_count_from_their_start_and_name_both_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let jan = d(2027, 1, 1);
        assert_eq!(
            range_day("to", "31 may", Some(jan), now(), Stockholm).unwrap(),
            d(2027, 5, 31)
        );
        assert_eq!(
            range_day("to", "2026-05-31", Some(jan), now(), Stockholm)
                .unwrap_err()
                .to_string(),
            "--to 2026-05-31 is before --from 2027-01-01"
        );
        assert_eq!(
            range_day("to", "20 nov", None, now(), Stockholm).unwrap(),
            d(2026, 11, 20)
        );
        assert_eq!(
            date("from", "now", now(), Stockholm, Direction::Nearest).unwrap(),
            d(2026, 11, 23)
        );
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
        // the currency in the text gives the same precise message as --currency
        for (text, cur) in [
            ("0.001 SEK", None),
            ("SEK 0.001", None),
            ("0.001", Some("SEK")),
        ] {
            assert_eq!(
                money("amount", text, cur, Currency::EUR)
                    .unwrap_err()
                    .to_string(),
                format!("--amount: amount '0.001' has more decimals than SEK has (2)"),
                "{text}"
            );
        }
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
