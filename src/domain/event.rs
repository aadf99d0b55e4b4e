//! Schedule items: meetings, appointments, calls, deadlines, private blocks.
use super::{ValidationError, check_line, check_text};
use crate::string_enum;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

string_enum!(
    /// What kind of schedule item.
    EventCategory {
        Meeting = "meeting" | "mtg",
        Appointment = "appointment" | "appt",
        Call = "call",
        Deadline = "deadline",
        PrivateBlock = "private" | "private-block" | "block",
        Other = "other",
    }
);

string_enum!(
    EventStatus {
        Tentative = "tentative",
        Confirmed = "confirmed",
        Cancelled = "cancelled" | "canceled",
    }
);

/// When an event happens: an instant range entered in a zone, or whole days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTime {
    /// `start`..`end` as instants; `tz` is the zone it was entered in (and is shown/exported in).
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        tz: Tz,
    },
    /// Whole days `start`..=`end` (both inclusive; export writes DTEND = end + 1 day).
    AllDay { start: NaiveDate, end: NaiveDate },
}

impl EventTime {
    /// The instant the event starts, all-day events at midnight in `display`.
    pub fn start_in(&self, display: Tz) -> DateTime<Utc> {
        match self {
            EventTime::Timed { start, .. } => *start,
            EventTime::AllDay { start, .. } => local_midnight(*start, display),
        }
    }
    /// The instant the event ends (exclusive), all-day events at the next midnight.
    pub fn end_in(&self, display: Tz) -> DateTime<Utc> {
        match self {
            EventTime::Timed { end, .. } => *end,
            EventTime::AllDay { end, .. } => {
                local_midnight(end.succ_opt().unwrap_or(*end), display)
            }
        }
    }
    pub fn is_all_day(&self) -> bool {
        matches!(self, EventTime::AllDay { .. })
    }
}

/// Midnight of `d` in `tz` as an instant (the first valid instant of that day).
pub fn local_midnight(d: NaiveDate, tz: Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let naive = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

/// How an end given as a time alone, earlier than the start, is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overnight {
    /// Always the next day: an overnight flight, a hotel (in at 15:00, out at 11:00).
    Always,
    /// The next day only when the event then lasts less than this; a longer one is far more
    /// likely a slip (`--end 09:00` on a 10:00 meeting) and is refused.
    Within(chrono::Duration),
}

/// An event's end: a time alone before the start is the next day only within 12 hours.
pub const EVENT_OVERNIGHT: Overnight = Overnight::Within(chrono::Duration::hours(12));

/// Where an end as typed lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndAt {
    pub at: DateTime<Utc>,
    /// A time alone that was earlier than the start, read as the next day (say so).
    pub next_day: bool,
}

/// An end, an arrival or an all-day `--until` as typed, read against its `start` (the one
/// rule the CLI's `--end`/`--arrive` and the TUI's forms share):
/// - a time alone ("15:30", "9am") is on the start's local day in `tz`; earlier than the start
///   it is the next day as `overnight` allows (an overnight flight; an event past midnight);
/// - a weekday or a date without a year is the first on or after the start's day (a hotel in
///   on Friday 15:00, out "mon 11:00", leaves on the Monday after, not the one before);
/// - anything else as everywhere (`tomorrow`, `+2d`, `2026-12-05 10:00`); a date alone is
///   midnight.
///
/// An end still before the start is the caller's to refuse (naming both).
pub fn end_after(
    text: &str,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
    overnight: Overnight,
) -> Result<EndAt, super::when::WhenError> {
    use super::when;
    let t = text.trim();
    let day = start.with_timezone(&tz).date_naive();
    if is_bare_time(t) {
        let time = when::parse_time(t)?;
        let same = when::local_to_utc(day.and_time(time), tz);
        if same >= start {
            return Ok(EndAt {
                at: same,
                next_day: false,
            });
        }
        let next = when::local_to_utc((day + chrono::Duration::days(1)).and_time(time), tz);
        if let Overnight::Within(max) = overnight
            && next - start >= max
        {
            let today = now.with_timezone(&tz).date_naive();
            // a day word that reads as the start's next day (weekdays count from the start)
            let hint = if day == today {
                "tomorrow".to_string()
            } else {
                (day + chrono::Duration::days(1))
                    .format("%a")
                    .to_string()
                    .to_lowercase()
            };
            return Err(when::WhenError(format!(
                "{t} is before the start {} (write '{hint} {t}' for an event past midnight)",
                start.with_timezone(&tz).format("%H:%M")
            )));
        }
        return Ok(EndAt {
            at: next,
            next_day: true,
        });
    }
    let at = when::parse_when_dir(t, now, tz, when::Direction::From(day))?
        .instant(tz, chrono::NaiveTime::MIN);
    Ok(EndAt {
        at,
        next_day: false,
    })
}

/// The answer given to one reminder: dismissed (`until` None) or snoozed until `until`. Kept
/// by (event UID, occurrence start), which survives an edit that rewrites the row; `at` is
/// when it was given, so the later of two answers (two screens on one file) wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderAnswer {
    pub uid: String,
    pub start: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

impl ReminderAnswer {
    /// Whether this answer is for the occurrence of `uid` starting at `start`.
    pub fn is_for(&self, uid: &str, start: DateTime<Utc>) -> bool {
        self.uid == uid && self.start == start
    }
}

/// Where one occurrence's reminder stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderState {
    /// Its time has not come.
    Upcoming,
    /// It should show now: its time has come before the start, or its snooze is over before
    /// the end (`after_snooze`).
    Due {
        after_snooze: bool,
    },
    /// Snoozed until this instant.
    Snoozed(DateTime<Utc>),
    Dismissed,
    /// Not answered and the occurrence has started (it is not announced late), or it is over.
    Past,
}

/// The state of the reminder due at `remind_at` for the occurrence `[start, end)`, answered
/// with `answer` (if at all), at `now`: the one rule the TUI's strip and `reminder list` share.
pub fn reminder_state(
    remind_at: DateTime<Utc>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    answer: Option<&ReminderAnswer>,
    now: DateTime<Utc>,
) -> ReminderState {
    match answer.map(|a| a.until) {
        Some(None) => ReminderState::Dismissed,
        Some(Some(u)) if now < u => ReminderState::Snoozed(u),
        Some(Some(_)) if now < end => ReminderState::Due { after_snooze: true },
        Some(Some(_)) => ReminderState::Past,
        None if now < remind_at => ReminderState::Upcoming,
        None if now < start => ReminderState::Due {
            after_snooze: false,
        },
        None => ReminderState::Past,
    }
}

/// How long after its occurrence's start an answered reminder is kept: past that the answer
/// is dropped (on the next answer written), so the table stays small.
pub const REMINDER_ANSWER_KEPT_DAYS: i64 = 2;

/// The earliest a reminder may come before its event: four weeks.
pub const MAX_REMINDER_MINUTES: u32 = 60 * 24 * 28;

/// A time of day with no date ("15:30", "9am", "14h"): read on a day the caller knows.
pub fn is_bare_time(text: &str) -> bool {
    use super::when;
    let t = text.trim();
    !t.contains(char::is_whitespace)
        && !t.contains('-')
        && when::parse_time(t).is_ok()
        && (when::is_time_word(t) || t.ends_with('h'))
}

/// `text` read on `day` when it is a time alone ("15:00" on edit keeps the record's own day,
/// in the CLI and the forms alike); None when it is anything else.
pub fn time_on_day(text: &str, day: chrono::NaiveDate) -> Option<chrono::NaiveDateTime> {
    if !is_bare_time(text) {
        return None;
    }
    super::when::parse_time(text.trim())
        .ok()
        .map(|t| day.and_time(t))
}

/// Someone invited: a linked contact, or a bare name/address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attendee {
    pub contact_id: Option<i64>,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Row id; 0 until stored. An insert with a non-zero id keeps it (undo of a delete).
    pub id: i64,
    /// iCalendar UID: made once, never regenerated. Overrides share their series' UID.
    pub uid: String,
    pub title: String,
    pub time: EventTime,
    pub location: String,
    pub notes: String,
    pub category: EventCategory,
    pub status: EventStatus,
    pub attendees: Vec<Attendee>,
    /// Reminder this many minutes before start.
    pub reminder_minutes: Option<u32>,
    /// RFC 5545 RRULE value without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=MO`.
    pub rrule: Option<String>,
    /// Excluded occurrences: the original local start (wall time in the event's zone; all-day:
    /// midnight of the date).
    pub exdates: Vec<NaiveDateTime>,
    /// Extra occurrences (RDATE), same convention as `exdates`.
    pub rdates: Vec<NaiveDateTime>,
    /// Set on an override of one occurrence: the original local start it replaces.
    pub recurrence_id: Option<NaiveDateTime>,
    /// iCalendar SEQUENCE, raised on every edit.
    pub sequence: u32,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Properties we do not model (X-, CATEGORIES, URL, CLASS...), as unfolded content lines,
    /// kept so a round trip loses nothing.
    pub extra_ics: String,
}

impl Event {
    /// A new confirmed meeting with defaults; `uid` must be set by the caller (see `new_uid`).
    pub fn new(title: impl Into<String>, time: EventTime, now: DateTime<Utc>) -> Event {
        Event {
            id: 0,
            uid: String::new(),
            title: title.into(),
            time,
            location: String::new(),
            notes: String::new(),
            category: EventCategory::Meeting,
            status: EventStatus::Confirmed,
            attendees: Vec::new(),
            reminder_minutes: None,
            rrule: None,
            exdates: Vec::new(),
            rdates: Vec::new(),
            recurrence_id: None,
            sequence: 0,
            created: now,
            updated: now,
            extra_ics: String::new(),
        }
    }

    /// Mark an edit: SEQUENCE goes up and `updated` moves, so calendar clients take the change.
    /// Every edit path (CLI, TUI, import update) calls this before `update_event`.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.sequence += 1;
        self.updated = now.max(self.updated);
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        check_line("title", &self.title, true)?;
        check_line("location", &self.location, false)?;
        check_text("notes", &self.notes)?;
        match &self.time {
            EventTime::Timed { start, end, .. } => {
                if end < start {
                    return Err(ValidationError::new("end", "is before the start"));
                }
            }
            EventTime::AllDay { start, end } => {
                if end < start {
                    return Err(ValidationError::new("end", "is before the start"));
                }
            }
        }
        if let Some(m) = self.reminder_minutes
            && m > MAX_REMINDER_MINUTES
        {
            return Err(ValidationError::new(
                "reminder",
                "must be at most 4 weeks before",
            ));
        }
        if let Some(r) = &self.rrule {
            if r.trim().is_empty() || r.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return Err(ValidationError::new(
                    "rrule",
                    "must be an RRULE value such as FREQ=WEEKLY;BYDAY=MO",
                ));
            }
            if !r.to_ascii_uppercase().contains("FREQ=") {
                return Err(ValidationError::new(
                    "rrule",
                    "needs FREQ= (e.g. FREQ=WEEKLY)",
                ));
            }
            // Only a rule that parses is checked further (forms report parse errors first).
            if crate::domain::recurrence::parse_rrule(r).is_ok() {
                crate::domain::recurrence::check_series(
                    r,
                    crate::domain::recurrence::local_start(self),
                    self.time.is_all_day(),
                )
                .map_err(|m| ValidationError::new("rrule", m))?;
            }
        }
        for a in &self.attendees {
            check_line("attendee", &a.name, false)?;
            if !a.email.is_empty() && !looks_like_email(&a.email) {
                return Err(ValidationError::new(
                    "attendee",
                    format!("'{}' is not an e-mail address", a.email),
                ));
            }
        }
        Ok(())
    }
}

/// A loose e-mail check: one '@' with text either side and a dot in the domain, no spaces.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && !domain.contains('@')
}

/// A fresh UID: time-based and random enough, `@secretaire` suffixed.
pub fn new_uid(now: DateTime<Utc>) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id();
    format!(
        "{}-{pid:x}-{n:x}@secretaire",
        now.format("%Y%m%dT%H%M%S%.6fZ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap()
    }

    fn timed(s: u32, e: u32) -> Event {
        Event::new(
            "Board",
            EventTime::Timed {
                start: at(s),
                end: at(e),
                tz: chrono_tz::Europe::Stockholm,
            },
            at(0),
        )
    }

    /// Ends read against their start. "Now" is Monday 23 Nov 2026 10:00 in Stockholm.
    #[rstest::rstest]
    // a time alone: the start's day, or the next day within 12 hours for an event
    #[case("2026-11-23 10:00", "11:30", EVENT_OVERNIGHT, Ok(("2026-11-23 11:30", false)))]
    #[case("2026-11-23 22:00", "02:00", EVENT_OVERNIGHT, Ok(("2026-11-24 02:00", true)))]
    #[case("2026-11-23 10:00", "10:00", EVENT_OVERNIGHT, Ok(("2026-11-23 10:00", false)))]
    #[case(
        "2026-11-23 10:00",
        "09:00",
        EVENT_OVERNIGHT,
        Err("09:00 is before the start 10:00 (write 'tomorrow 09:00' for an event past midnight)")
    )]
    #[case(
        "2026-11-27 10:00",
        "09:00",
        EVENT_OVERNIGHT,
        Err("09:00 is before the start 10:00 (write 'sat 09:00' for an event past midnight)")
    )]
    // 23 hours later: a slip for an event, a hotel's check-out for a stay
    #[case("2026-11-27 15:00", "11:00", Overnight::Always, Ok(("2026-11-28 11:00", true)))]
    // weekdays and dates without a year: the first on or after the start's day
    #[case("2026-11-27 15:00", "mon 11:00", EVENT_OVERNIGHT, Ok(("2026-11-30 11:00", false)))]
    #[case("2026-11-27 22:00", "mon 08:00", EVENT_OVERNIGHT, Ok(("2026-11-30 08:00", false)))]
    #[case("2026-11-27 22:00", "sat 01:00", EVENT_OVERNIGHT, Ok(("2026-11-28 01:00", false)))]
    #[case("2026-12-30 10:00", "2 jan 10:00", EVENT_OVERNIGHT, Ok(("2027-01-02 10:00", false)))]
    // the hint's day word reads as the start's next day
    #[case("2026-11-27 10:00", "sat 09:00", EVENT_OVERNIGHT, Ok(("2026-11-28 09:00", false)))]
    // explicit forms count from today, and may end before the start (the caller refuses)
    #[case("2026-11-27 10:00", "tomorrow 09:00", EVENT_OVERNIGHT, Ok(("2026-11-24 09:00", false)))]
    #[case("2026-11-27 10:00", "2026-11-28", EVENT_OVERNIGHT, Ok(("2026-11-28 00:00", false)))]
    fn ends_are_read_against_their_start(
        #[case] start: &str,
        #[case] text: &str,
        #[case] overnight: Overnight,
        #[case] want: Result<(&str, bool), &str>,
    ) {
        let tz = chrono_tz::Europe::Stockholm;
        let local = |s: &str| {
            super::super::when::local_to_utc(
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
                tz,
            )
        };
        let got = end_after(text, local(start), at(9), tz, overnight)
            .map(|e| (e.at, e.next_day))
            .map_err(|e| e.0);
        let want = want.map(|(t, n)| (local(t), n)).map_err(str::to_string);
        assert_eq!(got, want, "{start} / {text}");
    }

    #[test]
    fn end_before_start_is_named() {
        assert_eq!(timed(10, 9).validate().unwrap_err().field, "end");
        assert!(timed(9, 10).validate().is_ok());
        let d = |x| NaiveDate::from_ymd_opt(2026, 11, x).unwrap();
        let mut e = timed(9, 10);
        e.time = EventTime::AllDay {
            start: d(24),
            end: d(23),
        };
        assert_eq!(e.validate().unwrap_err().field, "end");
    }

    #[test]
    fn spans_midnight_and_days() {
        let mut e = timed(22, 23);
        e.time = EventTime::Timed {
            start: at(22),
            end: at(22) + chrono::Duration::days(2),
            tz: chrono_tz::UTC,
        };
        assert!(e.validate().is_ok());
    }

    #[test]
    fn title_rrule_attendee_rules() {
        let mut e = timed(9, 10);
        e.title = " ".into();
        assert_eq!(e.validate().unwrap_err().field, "title");
        let mut e = timed(9, 10);
        e.rrule = Some("BYDAY=MO".into());
        assert_eq!(e.validate().unwrap_err().field, "rrule");
        e.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
        assert!(e.validate().is_ok());
        e.attendees.push(Attendee {
            contact_id: None,
            name: "Anna".into(),
            email: "anna@".into(),
        });
        assert_eq!(e.validate().unwrap_err().field, "attendee");
        e.attendees[0].email = "anna@berg.se".into();
        assert!(e.validate().is_ok());
        e.reminder_minutes = Some(60 * 24 * 29);
        assert_eq!(e.validate().unwrap_err().field, "reminder");
    }

    #[test]
    fn all_day_bounds_follow_display_zone() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let t = EventTime::AllDay { start: d, end: d };
        let sto = chrono_tz::Europe::Stockholm;
        assert_eq!(
            t.start_in(sto),
            Utc.with_ymd_and_hms(2026, 3, 28, 23, 0, 0).unwrap()
        );
        // DST starts that night: the day is 23 hours long
        assert_eq!(
            t.end_in(sto),
            Utc.with_ymd_and_hms(2026, 3, 29, 22, 0, 0).unwrap()
        );
    }

    #[test]
    fn touch_raises_sequence() {
        let mut e = timed(9, 10);
        e.touch(at(5));
        e.touch(at(3));
        assert_eq!(e.sequence, 2);
        assert_eq!(e.updated, at(5));
    }

    #[test]
    fn email_check() {
        assert!(looks_like_email("a.b@c.se"));
        for bad in ["", "a", "@c.se", "a@c", "a@.se", "a b@c.se", "a@c.se."] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn uids_are_unique() {
        let a = new_uid(at(1));
        let b = new_uid(at(1));
        assert_ne!(a, b);
        assert!(a.ends_with("@secretaire"));
    }

    #[test]
    fn enums_parse_with_aliases() {
        assert_eq!(
            "MTG".parse::<EventCategory>().unwrap(),
            EventCategory::Meeting
        );
        assert_eq!(
            "canceled".parse::<EventStatus>().unwrap(),
            EventStatus::Cancelled
        );
        let e = "maybe".parse::<EventStatus>().unwrap_err();
        assert_eq!(e, "'maybe': expected tentative, confirmed or cancelled");
    }
}
