//! The agenda: a PURE merge of already-loaded records (expanded event occurrences, travel
//! segments, tasks, invoices) into time-ordered items, one list per display day. The CLI's
//! `agenda` and the TUI's Today pane both call [`build`]; loading the window's rows is the
//! caller's job.
//!
//! Rules:
//! - Days are calendar days in the display zone `tz` (a DST day is 23 or 25 hours long).
//! - Each day lists first its untimed items (overdue tasks then overdue invoices, all-day
//!   events and continuing multi-day events, stays between travel legs, tasks due that day,
//!   invoices due that day), then its timed items by instant. Tasks go high priority first,
//!   then earliest due; invoices earliest due first.
//! - An event occurrence appears on every day it overlaps; on the days after its first it is
//!   `continued` (untimed) unless it also ends that day, then it sits at that day's midnight.
//! - A segment appears at its departure and at its arrival (one item when both fall on the same
//!   day), and as an untimed `During` item on the days in between (a hotel stay).
//! - Done tasks and paid/cancelled invoices are left out. An open task or invoice whose due day
//!   is before the window is carried to today, flagged overdue, when today is in the window. A
//!   task snoozed past a day's end is not shown on that day, nor carried while snoozed.
use super::event::local_midnight;
use super::recurrence::{Occurrence, expand, expand_series, is_recurring};
use super::{Due, Event, EventStatus, Invoice, Segment, Task, TaskStatus};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

/// Where in the day an item sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// No time of day: listed before the timed items.
    Untimed,
    /// At this instant.
    At(DateTime<Utc>),
}

/// Which part of a travel segment an item shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentPart {
    /// Departure and arrival fall on the same day.
    Whole,
    Depart,
    Arrive,
    /// A day strictly between departure and arrival (a night at the hotel, a long journey).
    During,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry<'a> {
    Event {
        event: &'a Event,
        occurrence: Occurrence,
        /// The occurrence started on an earlier day.
        continued: bool,
    },
    Segment {
        segment: &'a Segment,
        part: SegmentPart,
    },
    Task {
        task: &'a Task,
        overdue: bool,
    },
    Invoice {
        invoice: &'a Invoice,
        overdue: bool,
    },
}

impl Entry<'_> {
    /// Overdue task or invoice.
    pub fn is_overdue(&self) -> bool {
        matches!(
            self,
            Entry::Task { overdue: true, .. } | Entry::Invoice { overdue: true, .. }
        )
    }
    /// Order among items in the same slot: overdue tasks, overdue invoices, events, travel,
    /// tasks, invoices; then high priority first; then the earliest due.
    fn rank(&self) -> (u8, u8, i64) {
        match self {
            Entry::Task { task, overdue } => (
                if *overdue { 0 } else { 4 },
                task.priority.rank(),
                task.due.map_or(i64::MAX, |d| match d {
                    Due::Date(d) => d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp(),
                    Due::At(t) => t.timestamp(),
                }),
            ),
            Entry::Invoice { invoice, overdue } => (
                if *overdue { 1 } else { 5 },
                0,
                invoice
                    .due_date
                    .and_time(chrono::NaiveTime::MIN)
                    .and_utc()
                    .timestamp(),
            ),
            Entry::Event { .. } => (2, 0, 0),
            Entry::Segment { .. } => (3, 0, 0),
        }
    }
    fn title(&self) -> &str {
        match self {
            Entry::Event { event, .. } => &event.title,
            Entry::Segment { segment, .. } => &segment.number,
            Entry::Task { task, .. } => &task.subject,
            Entry::Invoice { invoice, .. } => &invoice.vendor_name,
        }
    }
    fn id(&self) -> i64 {
        match self {
            Entry::Event { event, .. } => event.id,
            Entry::Segment { segment, .. } => segment.id,
            Entry::Task { task, .. } => task.id,
            Entry::Invoice { invoice, .. } => invoice.id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem<'a> {
    pub slot: Slot,
    pub entry: Entry<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaDay<'a> {
    pub date: NaiveDate,
    /// Untimed first, then by time.
    pub items: Vec<AgendaItem<'a>>,
}

/// The days asked for and the moment "now" (which fixes today and overdue).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: NaiveDate,
    pub days: u32,
    /// Display zone: days are its calendar days.
    pub tz: Tz,
    pub now: DateTime<Utc>,
}

impl Window {
    /// First instant of the window.
    pub fn start(&self) -> DateTime<Utc> {
        local_midnight(self.from, self.tz)
    }
    /// First instant after the window.
    pub fn end(&self) -> DateTime<Utc> {
        local_midnight(self.last() + Duration::days(1), self.tz)
    }
    /// Last day of the window (inclusive).
    pub fn last(&self) -> NaiveDate {
        self.from + Duration::days(i64::from(self.days.max(1)) - 1)
    }
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

/// Every occurrence of `events` in `[from, to)`, sorted by start. A recurring master is
/// expanded with its overrides from `events` (same UID, `recurrence_id` set) through
/// `recurrence::expand_series`: an override replaces the occurrence it names, wherever it
/// moved, and a cancelled override drops it. An override whose master is not in `events`
/// shows on its own (unless cancelled).
pub fn expand_all(
    events: &[Event],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
) -> Vec<(&Event, Occurrence)> {
    let by_id: HashMap<i64, &Event> = events.iter().map(|e| (e.id, e)).collect();
    let masters: HashSet<&str> = events
        .iter()
        .filter(|e| e.recurrence_id.is_none() && is_recurring(e) && !e.uid.is_empty())
        .map(|e| e.uid.as_str())
        .collect();
    let mut overrides: HashMap<&str, Vec<Event>> = HashMap::new();
    for e in events.iter().filter(|e| e.recurrence_id.is_some()) {
        overrides.entry(e.uid.as_str()).or_default().push(e.clone());
    }
    let mut out: Vec<(&Event, Occurrence)> = Vec::new();
    for e in events {
        if e.recurrence_id.is_some() {
            if masters.contains(e.uid.as_str()) || e.status == EventStatus::Cancelled {
                continue; // placed by its series, or cancelled
            }
            out.extend(expand(e, from, to, tz).into_iter().map(|o| (e, o)));
        } else if masters.contains(e.uid.as_str()) && is_recurring(e) {
            let mine = overrides.get(e.uid.as_str()).map_or(&[][..], Vec::as_slice);
            for o in expand_series(e, mine, from, to, tz) {
                let owner = by_id.get(&o.event_id).copied().unwrap_or(e);
                out.push((owner, o));
            }
        } else {
            out.extend(expand(e, from, to, tz).into_iter().map(|o| (e, o)));
        }
    }
    out.sort_by(|a, b| {
        (a.1.start, a.1.end, &a.0.title, a.0.id).cmp(&(b.1.start, b.1.end, &b.0.title, b.0.id))
    });
    out
}

/// Merge into days. `occurrences` are the expanded events (see [`expand_all`]); the other
/// slices may hold rows outside the window (they are filtered here).
pub fn build<'a>(
    occurrences: &[(&'a Event, Occurrence)],
    segments: &'a [Segment],
    tasks: &'a [Task],
    invoices: &'a [Invoice],
    w: Window,
) -> Vec<AgendaDay<'a>> {
    let tz = w.tz;
    let today = w.today();
    let last = w.last();
    let today_in_window = today >= w.from && today <= last;
    let mut days: Vec<AgendaDay<'a>> = (0..i64::from(w.days.max(1)))
        .map(|i| AgendaDay {
            date: w.from + Duration::days(i),
            items: Vec::new(),
        })
        .collect();
    let index = |d: NaiveDate| -> Option<usize> {
        (d >= w.from && d <= last).then(|| (d - w.from).num_days() as usize)
    };
    let day_bounds = |d: NaiveDate| {
        (
            local_midnight(d, tz),
            local_midnight(d + Duration::days(1), tz),
        )
    };

    for (event, occ) in occurrences {
        for day in days.iter_mut() {
            let (ds, de) = day_bounds(day.date);
            let overlaps = if occ.all_day {
                // all-day occurrences carry midnights in the display zone
                occ.start < de && occ.end > ds
            } else {
                occ.start < de && (occ.end > ds || (occ.end == occ.start && occ.start >= ds))
            };
            if !overlaps {
                continue;
            }
            // a multi-day all-day event continues on its second day too
            let continued = occ.start < ds;
            let slot = if occ.all_day || (continued && occ.end > de) {
                Slot::Untimed
            } else if continued {
                Slot::At(ds)
            } else {
                Slot::At(occ.start)
            };
            day.items.push(AgendaItem {
                slot,
                entry: Entry::Event {
                    event,
                    occurrence: occ.clone(),
                    continued,
                },
            });
        }
    }

    for s in segments {
        let dep = s.depart.with_timezone(&tz).date_naive();
        let arr = s.arrive.with_timezone(&tz).date_naive();
        if dep == arr {
            if let Some(i) = index(dep) {
                days[i].items.push(AgendaItem {
                    slot: Slot::At(s.depart),
                    entry: Entry::Segment {
                        segment: s,
                        part: SegmentPart::Whole,
                    },
                });
            }
            continue;
        }
        for day in days.iter_mut() {
            let (slot, part) = if day.date == dep {
                (Slot::At(s.depart), SegmentPart::Depart)
            } else if day.date == arr {
                (Slot::At(s.arrive), SegmentPart::Arrive)
            } else if day.date > dep && day.date < arr {
                (Slot::Untimed, SegmentPart::During)
            } else {
                continue;
            };
            day.items.push(AgendaItem {
                slot,
                entry: Entry::Segment { segment: s, part },
            });
        }
    }

    for t in tasks {
        if t.status == TaskStatus::Done {
            continue;
        }
        let Some(due) = t.due else { continue };
        let due_day = due.date_in(tz);
        let overdue = t.is_overdue(today, w.now, tz);
        let (target, slot) = match index(due_day) {
            Some(i) => {
                let (_, de) = day_bounds(due_day);
                if t.snoozed_until.is_some_and(|s| s >= de) {
                    continue;
                }
                let slot = match due {
                    Due::At(at) if !overdue => Slot::At(at),
                    _ => Slot::Untimed,
                };
                (i, slot)
            }
            None if overdue && due_day < w.from && today_in_window => match index(today) {
                Some(i) => (i, Slot::Untimed),
                None => continue,
            },
            None => continue,
        };
        days[target].items.push(AgendaItem {
            slot,
            entry: Entry::Task { task: t, overdue },
        });
    }

    for inv in invoices {
        if !inv.is_open() {
            continue;
        }
        let overdue = inv.is_overdue(today);
        let target = match index(inv.due_date) {
            Some(i) => i,
            None if overdue && inv.due_date < w.from && today_in_window => match index(today) {
                Some(i) => i,
                None => continue,
            },
            None => continue,
        };
        days[target].items.push(AgendaItem {
            slot: Slot::Untimed,
            entry: Entry::Invoice {
                invoice: inv,
                overdue,
            },
        });
    }

    for day in &mut days {
        day.items.sort_by(|a, b| {
            (a.slot, a.entry.rank(), a.entry.title(), a.entry.id()).cmp(&(
                b.slot,
                b.entry.rank(),
                b.entry.title(),
                b.entry.id(),
            ))
        });
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Currency, EventTime, InvoiceStatus, Money, SegmentKind, SegmentStatus, TaskStatus,
    };
    use chrono::TimeZone;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Stockholm;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }
    fn utc(m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, day, h, min, 0).unwrap()
    }
    // Monday 23 Nov 2026, 10:00 in Stockholm
    fn now() -> DateTime<Utc> {
        utc(11, 23, 9, 0)
    }
    fn win(from: NaiveDate, days: u32, tz: Tz) -> Window {
        Window {
            from,
            days,
            tz,
            now: now(),
        }
    }
    fn ev(id: i64, title: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Event {
        let mut e = Event::new(
            title,
            EventTime::Timed {
                start,
                end,
                tz: Stockholm,
            },
            now(),
        );
        e.id = id;
        e.uid = format!("e{id}@t");
        e
    }
    fn all_day(id: i64, title: &str, a: NaiveDate, b: NaiveDate) -> Event {
        let mut e = ev(id, title, now(), now());
        e.time = EventTime::AllDay { start: a, end: b };
        e
    }
    fn seg(id: i64, dep: DateTime<Utc>, arr: DateTime<Utc>, kind: SegmentKind) -> Segment {
        Segment {
            id,
            trip_id: 1,
            uid: format!("s{id}@t"),
            kind,
            provider: "SAS".into(),
            number: format!("SK {id}"),
            confirmation: String::new(),
            origin: "ARN".into(),
            destination: "EWR".into(),
            depart: dep,
            depart_tz: Stockholm,
            arrive: arr,
            arrive_tz: New_York,
            seat: String::new(),
            cost: None,
            status: SegmentStatus::Booked,
            notes: String::new(),
        }
    }
    fn task(id: i64, subject: &str, due: Option<Due>) -> Task {
        let mut t = Task::new(subject, now() - Duration::days(30));
        t.id = id;
        t.due = due;
        t
    }
    fn invoice(id: i64, vendor: &str, due: NaiveDate) -> Invoice {
        Invoice {
            id,
            vendor_id: None,
            vendor_name: vendor.into(),
            number: format!("INV-{id}"),
            issue_date: due - Duration::days(30),
            due_date: due,
            amount: Money::new(124900, Currency::SEK),
            status: InvoiceStatus::Received,
            paid_date: None,
            payment_ref: String::new(),
            document_path: String::new(),
            notes: String::new(),
        }
    }
    fn run<'a>(
        events: &'a [Event],
        segments: &'a [Segment],
        tasks: &'a [Task],
        invoices: &'a [Invoice],
        w: Window,
    ) -> Vec<AgendaDay<'a>> {
        let occ = expand_all(events, w.start(), w.end(), w.tz);
        build(&occ, segments, tasks, invoices, w)
    }
    /// "kind:id" per item, per day: what the tests compare.
    fn labels(days: &[AgendaDay<'_>]) -> Vec<Vec<String>> {
        days.iter()
            .map(|d| {
                d.items
                    .iter()
                    .map(|i| match &i.entry {
                        Entry::Event {
                            event, continued, ..
                        } => {
                            format!("e{}{}", event.id, if *continued { "+" } else { "" })
                        }
                        Entry::Segment { segment, part } => format!("s{}{:?}", segment.id, part),
                        Entry::Task { task, overdue } => {
                            format!("t{}{}", task.id, if *overdue { "!" } else { "" })
                        }
                        Entry::Invoice { invoice, overdue } => {
                            format!("i{}{}", invoice.id, if *overdue { "!" } else { "" })
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn one_day_in_time_order_with_untimed_first() {
        let events = vec![
            ev(1, "Lunch", utc(11, 23, 11, 0), utc(11, 23, 12, 0)),
            ev(2, "Board", utc(11, 23, 8, 0), utc(11, 23, 9, 0)),
            all_day(3, "Offsite", d(11, 23), d(11, 23)),
            ev(4, "Tomorrow", utc(11, 24, 8, 0), utc(11, 24, 9, 0)),
        ];
        let segments = vec![seg(
            5,
            utc(11, 23, 9, 30),
            utc(11, 23, 10, 30),
            SegmentKind::Train,
        )];
        let tasks = vec![
            task(6, "Call back", Some(Due::At(utc(11, 23, 13, 0)))),
            task(7, "Reply", Some(Due::Date(d(11, 23)))),
            task(8, "No due", None),
        ];
        let invoices = vec![invoice(9, "Telia", d(11, 23))];
        let days = run(
            &events,
            &segments,
            &tasks,
            &invoices,
            win(d(11, 23), 1, Stockholm),
        );
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].date, d(11, 23));
        assert_eq!(
            labels(&days),
            vec![vec!["e3", "t7", "i9", "e2", "s5Whole", "e1", "t6"]]
        );
        assert_eq!(days[0].items[3].slot, Slot::At(utc(11, 23, 8, 0)));
    }

    #[test]
    fn overdue_items_are_carried_to_today_and_flagged() {
        let mut done = task(3, "Done", Some(Due::Date(d(11, 20))));
        done.mark_done(now());
        let mut snoozed = task(4, "Snoozed", Some(Due::Date(d(11, 20))));
        snoozed.snooze(now() + Duration::days(2));
        let mut urgent = task(7, "Urgent", Some(Due::Date(d(11, 22))));
        urgent.priority = crate::domain::Priority::High;
        let tasks = vec![
            task(1, "Late reply", Some(Due::Date(d(11, 20)))),
            task(2, "Late call", Some(Due::At(utc(11, 23, 8, 0)))),
            done,
            snoozed,
            urgent,
        ];
        let mut paid = invoice(6, "Paid", d(11, 1));
        paid.mark_paid(d(11, 2));
        let invoices = vec![invoice(5, "Overdue AB", d(11, 1)), paid];
        let days = run(&[], &[], &tasks, &invoices, win(d(11, 23), 2, Stockholm));
        // high priority first, then the oldest; tasks before invoices
        assert_eq!(
            labels(&days),
            vec![vec!["t7!", "t1!", "t2!", "i5!"], vec![]]
        );
        // a window that does not hold today shows no carried items
        let days = run(&[], &[], &tasks, &invoices, win(d(11, 24), 3, Stockholm));
        assert!(labels(&days).iter().all(Vec::is_empty));
        // a past window shows them on their own day, still flagged
        let days = run(&[], &[], &tasks, &invoices, win(d(11, 20), 1, Stockholm));
        assert_eq!(labels(&days), vec![vec!["t1!"]]);
    }

    #[test]
    fn snoozed_task_hidden_until_the_snooze_ends() {
        let mut t = task(1, "Later", Some(Due::Date(d(11, 24))));
        t.snooze(utc(11, 26, 8, 0));
        let tasks = vec![t];
        let days = run(&[], &[], &tasks, &[], win(d(11, 24), 1, Stockholm));
        assert!(days[0].items.is_empty());
    }

    #[test]
    fn flight_shows_departure_and_arrival_on_their_days() {
        // Stockholm 22:00 Nov 23 -> New York, arriving 02:00 Stockholm time Nov 24
        let segments = vec![seg(
            1,
            utc(11, 23, 21, 0),
            utc(11, 24, 1, 0),
            SegmentKind::Flight,
        )];
        let days = run(&[], &segments, &[], &[], win(d(11, 23), 2, Stockholm));
        assert_eq!(labels(&days), vec![vec!["s1Depart"], vec!["s1Arrive"]]);
        // seen from New York (UTC-5) the whole flight is on the 23rd
        let days = run(&[], &segments, &[], &[], win(d(11, 23), 2, New_York));
        assert_eq!(labels(&days), vec![vec!["s1Whole"], vec![]]);
    }

    #[test]
    fn hotel_stay_spans_the_nights_between() {
        let segments = vec![seg(
            1,
            utc(11, 23, 14, 0),
            utc(11, 26, 10, 0),
            SegmentKind::Hotel,
        )];
        let days = run(&[], &segments, &[], &[], win(d(11, 22), 6, Stockholm));
        assert_eq!(
            labels(&days),
            vec![
                vec![],
                vec!["s1Depart"],
                vec!["s1During"],
                vec!["s1During"],
                vec!["s1Arrive"],
                vec![]
            ]
        );
    }

    #[test]
    fn multi_day_events_continue() {
        let events = vec![
            // 20:00 Mon to 10:00 Wed (UTC): continues all Tuesday, ends Wednesday morning
            ev(1, "Conference", utc(11, 23, 20, 0), utc(11, 25, 10, 0)),
            all_day(2, "Holiday", d(11, 24), d(11, 25)),
        ];
        let days = run(&events, &[], &[], &[], win(d(11, 23), 3, Stockholm));
        assert_eq!(
            labels(&days),
            // the holiday's second day continues it, as the conference's second does
            vec![vec!["e1"], vec!["e1+", "e2"], vec!["e2+", "e1+"]]
        );
        assert_eq!(
            days[2].items[1].slot,
            Slot::At(local_midnight(d(11, 25), Stockholm))
        );
    }

    #[test]
    fn days_follow_the_display_zone_across_dst() {
        // 2026-03-29: Stockholm springs forward, the day is 23 hours long.
        // 22:30 UTC on the 29th is 00:30 on the 30th in CEST.
        let events = vec![
            ev(1, "Late", utc(3, 29, 21, 30), utc(3, 29, 21, 45)), // 23:30 CEST on the 29th
            ev(2, "After midnight", utc(3, 29, 22, 30), utc(3, 29, 23, 0)),
            ev(3, "Early", utc(3, 28, 23, 15), utc(3, 28, 23, 30)), // 00:15 CET on the 29th
        ];
        let w = win(d(3, 29), 1, Stockholm);
        assert_eq!(w.end() - w.start(), Duration::hours(23));
        let days = run(&events, &[], &[], &[], w);
        assert_eq!(labels(&days), vec![vec!["e3", "e1"]]);
        // the autumn day is 25 hours long
        let w = win(d(10, 25), 1, Stockholm);
        assert_eq!(w.end() - w.start(), Duration::hours(25));
        // in New York the same instants land on the 28th/29th differently
        let days = run(&events, &[], &[], &[], win(d(3, 28), 2, New_York));
        assert_eq!(labels(&days), vec![vec!["e3"], vec!["e1", "e2"]]);
    }

    #[test]
    fn series_expand_with_their_overrides() {
        // weekly on Mondays 09:00 Stockholm from 23 Nov
        let mut master = ev(1, "Weekly", utc(11, 23, 8, 0), utc(11, 23, 9, 0));
        master.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
        let rid = |day: u32, m: u32| {
            NaiveDate::from_ymd_opt(2026, m, day)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
        };
        // this week's moved to 14:00, next week's cancelled
        let mut moved = ev(2, "Weekly (moved)", utc(11, 23, 13, 0), utc(11, 23, 14, 0));
        moved.uid = master.uid.clone();
        moved.recurrence_id = Some(rid(23, 11));
        let mut cancelled = ev(3, "Weekly", utc(11, 30, 8, 0), utc(11, 30, 9, 0));
        cancelled.uid = master.uid.clone();
        cancelled.recurrence_id = Some(rid(30, 11));
        cancelled.status = EventStatus::Cancelled;
        // an override whose master was not loaded still shows
        let mut orphan = ev(4, "Orphan", utc(11, 24, 8, 0), utc(11, 24, 9, 0));
        orphan.uid = "other@t".into();
        orphan.recurrence_id = Some(rid(24, 11));
        let events = vec![master, moved, cancelled, orphan];
        let w = win(d(11, 23), 15, Stockholm);
        let occ = expand_all(&events, w.start(), w.end(), Stockholm);
        let got: Vec<(i64, DateTime<Utc>)> = occ.iter().map(|(e, o)| (e.id, o.start)).collect();
        assert_eq!(
            got,
            vec![
                (2, utc(11, 23, 13, 0)),
                (4, utc(11, 24, 8, 0)),
                (1, utc(12, 7, 8, 0)),
            ]
        );
        let days = build(&occ, &[], &[], &[], w);
        assert_eq!(labels(&days)[0], vec!["e2"]);
        assert!(labels(&days)[7].is_empty());
    }

    #[test]
    fn weekly_series_keeps_local_time_across_dst() {
        let mut e = ev(1, "Standup", utc(10, 19, 7, 0), utc(10, 19, 7, 15)); // 09:00 CEST
        e.rrule = Some("FREQ=WEEKLY;COUNT=3".into());
        let events = vec![e];
        let w = win(d(10, 19), 15, Stockholm);
        let occ = expand_all(&events, w.start(), w.end(), Stockholm);
        let local: Vec<String> = occ
            .iter()
            .map(|(_, o)| {
                o.start
                    .with_timezone(&Stockholm)
                    .format("%m-%d %H:%M")
                    .to_string()
            })
            .collect();
        assert_eq!(local, vec!["10-19 09:00", "10-26 09:00", "11-02 09:00"]);
    }

    #[test]
    fn cancelled_invoices_and_done_tasks_stay_out_of_the_day() {
        let mut c = invoice(1, "Cancelled", d(11, 23));
        c.status = InvoiceStatus::Cancelled;
        let mut t = task(2, "Done", Some(Due::Date(d(11, 23))));
        t.status = TaskStatus::Done;
        t.done_at = Some(now());
        let invoices = vec![c];
        let tasks = vec![t];
        let days = run(&[], &[], &tasks, &invoices, win(d(11, 23), 1, Stockholm));
        assert!(days[0].items.is_empty());
    }
}
