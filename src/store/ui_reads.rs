//! Reads the terminal UI needs beyond the common queries: lists that skip (and count) a
//! damaged row instead of failing the whole pane, Today's triage groups, pending reminders,
//! trip pages, and a short wait for the once-a-second refresh. New code only: the queries
//! reuse each table's reader and filter.
use super::contacts;
use super::events;
use super::invoices;
use super::tasks::{self, TriageQuery};
use super::travel::{self, TripPage};
use super::{ContactQuery, EventQuery, InvoiceQuery, InvoiceTotal, Result, Store, TaskQuery};
use crate::domain::{Contact, Event, Invoice, Segment, Task, Trip};
use chrono::{DateTime, Utc};
use std::time::Duration;

impl Store {
    /// [`Store::list_events`] skipping damaged rows: the events and how many were skipped.
    pub fn list_events_lenient(&self, q: &EventQuery) -> Result<(Vec<Event>, u64)> {
        events::list_lenient(&self.conn, q)
    }
    /// Events whose reminder may fire in `[from, to)` (see `events::list_reminders`).
    pub fn list_reminders(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<(Vec<Event>, u64)> {
        events::list_reminders(&self.conn, from, to, tz)
    }
    /// [`Store::list_invoices`] skipping damaged rows.
    pub fn list_invoices_lenient(&self, q: &InvoiceQuery) -> Result<(Vec<Invoice>, u64)> {
        invoices::list_lenient(&self.conn, q)
    }
    /// [`Store::list_segments`] skipping damaged rows.
    pub fn list_segments_lenient(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<(Vec<Segment>, u64)> {
        travel::list_segments_lenient(&self.conn, from, to)
    }
    /// Overdue or due-today tasks as Today shows them (snoozed ones left out), damaged rows
    /// skipped and counted.
    pub fn list_triage(&self, q: &TriageQuery) -> Result<(Vec<Task>, u64)> {
        tasks::list_triage(&self.conn, q)
    }
    /// How many tasks [`Store::list_triage`] finds without limit.
    pub fn count_triage(&self, q: &TriageQuery) -> Result<u64> {
        tasks::count_triage(&self.conn, q)
    }
    /// A page of upcoming or past trips, the number of trips in that list, and how many of
    /// the page's trips could not be read (skipped).
    pub fn list_trip_page(&self, q: &TripPage) -> Result<(Vec<Trip>, u64, u64)> {
        travel::list_trip_page(&self.conn, q)
    }
    /// [`Store::list_tasks`] skipping damaged rows.
    pub fn list_tasks_lenient(&self, q: &TaskQuery) -> Result<(Vec<Task>, u64)> {
        tasks::list_lenient(&self.conn, q)
    }
    /// [`Store::list_contacts`] skipping damaged rows.
    pub fn list_contacts_lenient(&self, q: &ContactQuery) -> Result<(Vec<Contact>, u64)> {
        contacts::list_lenient(&self.conn, q)
    }
    /// [`Store::invoice_totals`] leaving out groups that cannot be read, and how many
    /// invoices those held.
    pub fn invoice_totals_lenient(&self) -> Result<(Vec<InvoiceTotal>, u64)> {
        invoices::totals_lenient(&self.conn)
    }
    /// Run `f` with reads and writes giving up after `wait` when another process holds the
    /// database (instead of [`super::BUSY_TIMEOUT`]): the UI's periodic refresh must not
    /// freeze the screen. The usual timeout is back afterwards.
    pub fn with_busy_timeout<T>(&self, wait: Duration, f: impl FnOnce(&Store) -> T) -> T {
        let _ = self.conn.busy_timeout(wait);
        let out = f(self);
        let _ = self.conn.busy_timeout(super::BUSY_TIMEOUT);
        out
    }
    /// The busy timeout in force, in milliseconds.
    pub fn busy_timeout_ms(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "busy_timeout", |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Due, EventTime, Segment, SegmentKind, SegmentStatus, TaskStatus, Trip};
    use crate::store::{TaskOrder, Triage};
    use chrono::{Duration, NaiveDate, TimeZone};

    const TZ: chrono_tz::Tz = chrono_tz::Europe::Stockholm;
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() // 10:00 in Stockholm
    }
    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }
    fn triage(which: Triage) -> TriageQuery {
        TriageQuery {
            which,
            day: day(23),
            now: now(),
            tz: TZ,
            search: None,
            order: TaskOrder::Priority,
            limit: None,
            offset: 0,
        }
    }

    #[test]
    fn triage_groups_follow_is_overdue_and_leave_snoozed_tasks_out() {
        let s = Store::open_in_memory().unwrap();
        let add = |subject: &str, due: Option<Due>, f: &dyn Fn(&mut Task)| {
            let mut t = Task::new(subject, now() - Duration::days(30));
            t.due = due;
            f(&mut t);
            s.insert_task(&t).unwrap();
        };
        let none = |_: &mut Task| {};
        add("last week", Some(Due::Date(day(16))), &none);
        add("yesterday", Some(Due::Date(day(22))), &none);
        add(
            "09:30 today",
            Some(Due::At(now() - Duration::minutes(30))),
            &none,
        );
        add("today", Some(Due::Date(day(23))), &none);
        add(
            "15:00 today",
            Some(Due::At(now() + Duration::hours(5))),
            &none,
        );
        add("tomorrow", Some(Due::Date(day(24))), &none);
        add("undated", None, &none);
        add("done", Some(Due::Date(day(20))), &|t| t.mark_done(now()));
        add("snoozed", Some(Due::Date(day(20))), &|t| {
            t.snooze(now() + Duration::hours(1))
        });
        add("snooze over", Some(Due::Date(day(21))), &|t| {
            t.snooze(now() - Duration::hours(1))
        });
        let names = |which| {
            let (v, skipped) = s.list_triage(&triage(which)).unwrap();
            assert_eq!(skipped, 0);
            let mut n: Vec<String> = v.into_iter().map(|t| t.subject).collect();
            n.sort();
            n
        };
        assert_eq!(
            names(Triage::Overdue),
            ["09:30 today", "last week", "snooze over", "yesterday"]
        );
        assert_eq!(names(Triage::DueToday), ["15:00 today", "today"]);
        assert_eq!(s.count_triage(&triage(Triage::Overdue)).unwrap(), 4);
        assert_eq!(s.count_triage(&triage(Triage::DueToday)).unwrap(), 2);
        // the same rule as Task::is_overdue
        for t in s.list_tasks(&Default::default()).unwrap() {
            let over = names(Triage::Overdue).contains(&t.subject);
            assert_eq!(over, t.is_overdue(day(23), now(), TZ), "{}", t.subject);
        }
        let mut q = triage(Triage::Overdue);
        q.search = Some("week".into());
        assert_eq!(s.count_triage(&q).unwrap(), 1);
        assert!(
            s.list_tasks(&Default::default())
                .unwrap()
                .iter()
                .any(|t| t.status == TaskStatus::Done)
        );
    }

    fn timed(title: &str, start: DateTime<Utc>) -> Event {
        let mut e = Event::new(
            title,
            EventTime::Timed {
                start,
                end: start + Duration::hours(1),
                tz: TZ,
            },
            now(),
        );
        e.uid = format!("{title}@t");
        e
    }

    #[test]
    fn a_damaged_row_is_skipped_and_counted_not_fatal() {
        let s = Store::open_in_memory().unwrap();
        s.insert_event(&timed("good", now())).unwrap();
        let bad = s
            .insert_event(&timed("bad", now() + Duration::hours(2)))
            .unwrap();
        s.conn
            .execute("UPDATE events SET tz = 'Mars/Olympus' WHERE id = ?1", [bad])
            .unwrap();
        let q = EventQuery {
            from: Some(now() - Duration::hours(1)),
            to: Some(now() + Duration::days(1)),
            ..Default::default()
        };
        assert!(s.list_events(&q).is_err(), "the strict read fails");
        let (v, skipped) = s.list_events_lenient(&q).unwrap();
        assert_eq!((v.len(), skipped), (1, 1));
        assert_eq!(v[0].title, "good");
    }

    #[test]
    fn reminders_are_found_as_far_ahead_as_they_may_be_set() {
        let s = Store::open_in_memory().unwrap();
        let mut far = timed("Board dinner", now() + Duration::days(20));
        far.reminder_minutes = Some(crate::domain::event::MAX_REMINDER_MINUTES);
        s.insert_event(&far).unwrap();
        s.insert_event(&timed("no reminder", now() + Duration::days(1)))
            .unwrap();
        let mut weekly = timed("Weekly", now() - Duration::days(70));
        weekly.rrule = Some("FREQ=WEEKLY".into());
        weekly.reminder_minutes = Some(10);
        s.insert_event(&weekly).unwrap();
        let (v, _) = s
            .list_reminders(now(), now() + Duration::days(30), TZ)
            .unwrap();
        let titles: Vec<&str> = v.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Weekly", "Board dinner"]);
    }

    fn trip(name: &str, start: Option<DateTime<Utc>>) -> Trip {
        let segments = start
            .map(|d| {
                vec![Segment {
                    id: 0,
                    trip_id: 0,
                    uid: format!("{name}@seg"),
                    kind: SegmentKind::Flight,
                    provider: "SAS".into(),
                    number: "SK 1".into(),
                    confirmation: String::new(),
                    origin: "ARN".into(),
                    destination: "CPH".into(),
                    depart: d,
                    depart_tz: TZ,
                    arrive: d + Duration::hours(2),
                    arrive_tz: TZ,
                    seat: String::new(),
                    cost: None,
                    status: SegmentStatus::Booked,
                    notes: String::new(),
                }]
            })
            .unwrap_or_default();
        Trip {
            id: 0,
            name: name.into(),
            purpose: String::new(),
            notes: String::new(),
            segments,
        }
    }

    #[test]
    fn trip_pages_list_upcoming_soonest_first_and_past_most_recent_first() {
        let s = Store::open_in_memory().unwrap();
        for (n, d) in [
            ("old", Some(-60)),
            ("recent", Some(-3)),
            ("underway", None),
            ("next week", Some(7)),
            ("next year", Some(300)),
            ("planned", None),
        ] {
            let start = match (n, d) {
                ("underway", _) => Some(now() - Duration::hours(1)),
                (_, Some(days)) => Some(now() + Duration::days(days)),
                _ => None,
            };
            s.insert_trip(&trip(n, start)).unwrap();
        }
        let page = |past, offset, limit| {
            let (v, n, _) = s
                .list_trip_page(&TripPage {
                    now: now(),
                    past,
                    search: None,
                    limit,
                    offset,
                })
                .unwrap();
            (v.into_iter().map(|t| t.name).collect::<Vec<_>>(), n)
        };
        assert_eq!(
            page(false, 0, 10),
            (
                vec![
                    "underway".to_string(),
                    "next week".into(),
                    "next year".into(),
                    "planned".into()
                ],
                4
            )
        );
        assert_eq!(
            page(false, 1, 2),
            (vec!["next week".into(), "next year".into()], 4)
        );
        assert_eq!(page(true, 0, 10), (vec!["recent".into(), "old".into()], 2));
    }

    #[test]
    fn a_short_busy_wait_applies_inside_and_the_usual_one_after() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.busy_timeout_ms().unwrap(), 5000);
        let inside = s.with_busy_timeout(Duration::milliseconds(50).to_std().unwrap(), |s| {
            s.busy_timeout_ms().unwrap()
        });
        assert_eq!(inside, 50);
        assert_eq!(s.busy_timeout_ms().unwrap(), 5000);
    }
}
