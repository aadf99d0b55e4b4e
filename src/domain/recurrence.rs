//! Recurrence expansion. CONTRACT (filled in by the calendar work): `expand` returns every
//! occurrence of `event` that overlaps `[from, to)`, honouring RRULE, RDATE, EXDATE, in the
//! event's own zone (a weekly 09:00 Europe/Stockholm stays 09:00 local across DST).
//! Overrides (events with `recurrence_id`) are applied by `expand_series`.
use super::{Event, EventTime};
use chrono::{DateTime, NaiveDateTime, Utc};

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

/// Occurrences of one event overlapping `[from, to)`; `display` places all-day days.
pub fn expand(
    event: &Event,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    display: chrono_tz::Tz,
) -> Vec<Occurrence> {
    // Single events; recurring expansion is added by the calendar work.
    let start = event.time.start_in(display);
    let end = event.time.end_in(display);
    let overlaps = start < to && (end > from || (end == start && start >= from));
    if overlaps {
        vec![Occurrence {
            event_id: event.id,
            start,
            end,
            all_day: matches!(event.time, EventTime::AllDay { .. }),
            recurrence_id: None,
        }]
    } else {
        vec![]
    }
}
