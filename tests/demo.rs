//! Demo data through the real store: counts and shapes the Today pane, agenda and lists rely
//! on, determinism, and that everything read back still validates. Fixed clock values only.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use secretaire::demo::{self, Counts, DemoSize, DemoStats};
use secretaire::domain::{
    Event, EventStatus, EventTime, InvoiceStatus, SegmentKind, Task, TaskStatus,
};
use secretaire::store::{
    ContactQuery, EventQuery, InvoiceQuery, Store, TaskOrder, TaskQuery, TripQuery,
};

const TZ: Tz = chrono_tz::Europe::Stockholm;

/// Monday 23 November 2026, 09:30 UTC (10:30 in Stockholm).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
}

fn today() -> NaiveDate {
    now().with_timezone(&TZ).date_naive()
}

fn seeded() -> (tempfile::TempDir, Store, DemoStats) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    let stats = demo::seed(&store, DemoSize::Small, now(), TZ).unwrap();
    (dir, store, stats)
}

fn all_events(s: &Store) -> Vec<Event> {
    s.list_events(&EventQuery::default()).unwrap()
}

fn all_tasks(s: &Store) -> Vec<Task> {
    s.list_tasks(&TaskQuery::default()).unwrap()
}

#[test]
fn small_has_the_promised_counts() {
    let (_d, s, stats) = seeded();
    assert_eq!(stats.contacts, 80);
    assert_eq!(stats.invoices, 30);
    assert_eq!(stats.tasks, 50);
    assert_eq!(stats.trips, 3);
    assert!((55..=75).contains(&stats.events), "{stats:?}");
    assert!(stats.segments >= 14, "{stats:?}");
    // What the store holds matches what seed reports.
    assert_eq!(
        s.count_events(&EventQuery::default()).unwrap(),
        stats.events
    );
    assert_eq!(
        s.count_contacts(&ContactQuery::default()).unwrap(),
        stats.contacts
    );
    assert_eq!(
        s.count_invoices(&InvoiceQuery::default()).unwrap(),
        stats.invoices
    );
    assert_eq!(s.count_tasks(&TaskQuery::default()).unwrap(), stats.tasks);
    let trips = s.list_trips(&TripQuery::default()).unwrap();
    assert_eq!(trips.len() as u64, stats.trips);
    assert_eq!(
        trips.iter().map(|t| t.segments.len() as u64).sum::<u64>(),
        stats.segments
    );
}

#[test]
fn everything_read_back_validates() {
    let (_d, s, _) = seeded();
    for e in all_events(&s) {
        e.validate()
            .unwrap_or_else(|err| panic!("{}: {err}", e.title));
    }
    for c in s.list_contacts(&ContactQuery::default()).unwrap() {
        c.validate().unwrap();
    }
    for t in s.list_trips(&TripQuery::default()).unwrap() {
        t.validate().unwrap();
    }
    for i in s.list_invoices(&InvoiceQuery::default()).unwrap() {
        i.validate().unwrap();
    }
    for t in all_tasks(&s) {
        t.validate().unwrap();
    }
}

#[test]
fn weekly_staff_meeting_is_a_real_series_with_an_override_and_a_skipped_week() {
    let (_d, s, _) = seeded();
    let events = all_events(&s);
    let master = events
        .iter()
        .find(|e| e.title == "Weekly staff meeting" && e.rrule.is_some())
        .expect("staff meeting series");
    assert_eq!(master.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=MO"));
    // Skipped on the Mondays the executive travels: the date lies within a trip's days.
    assert!(!master.exdates.is_empty());
    let trips = s.list_trips(&TripQuery::default()).unwrap();
    for x in &master.exdates {
        assert_eq!(x.format("%a %H:%M").to_string(), "Mon 09:00");
        let on_trip = trips.iter().any(|t| {
            t.span().is_some_and(|(a, b)| {
                let (a, b) = (
                    a.with_timezone(&TZ).date_naive(),
                    b.with_timezone(&TZ).date_naive(),
                );
                a <= x.date() && x.date() <= b
            })
        });
        assert!(on_trip, "{x} is not a travel day");
    }
    assert_eq!(master.attendees.len(), 4);
    let series = s.list_series(&master.uid).unwrap();
    assert_eq!(series.len(), 2, "master and one moved occurrence");
    assert!(series[1].recurrence_id.is_some());
    // The monthly board meeting too, on a fixed weekday of the month.
    let board = events
        .iter()
        .find(|e| e.title == "Board meeting" && e.rrule.is_some())
        .expect("board series");
    let rule = board.rrule.as_deref().unwrap();
    assert!(rule.starts_with("FREQ=MONTHLY;BYDAY="), "{rule}");
    assert_eq!(board.attendees.len(), 6);
}

#[test]
fn shapes_the_schedule_needs() {
    let (_d, s, _) = seeded();
    let events = all_events(&s);
    let has = |f: &dyn Fn(&Event) -> bool| events.iter().any(f);
    assert!(has(&|e| e.status == EventStatus::Cancelled));
    assert!(has(&|e| e.status == EventStatus::Tentative));
    assert!(has(&|e| e.time.is_all_day()));
    assert!(has(&|e| e.category.as_str() == "deadline"));
    assert!(has(&|e| e.category.as_str() == "private"));
    assert!(has(
        &|e| e.title == "Dentist" && e.category.as_str() == "appointment"
    ));
    assert!(
        events
            .iter()
            .filter(|e| e.reminder_minutes.is_some())
            .count()
            >= 10
    );
    // Meetings abroad are entered in the city's zone.
    assert!(has(
        &|e| matches!(e.time, EventTime::Timed { tz, .. } if tz == chrono_tz::America::New_York)
    ));
    // Attendees are linked to contacts that exist and carry the same name.
    let mut linked = 0;
    for e in &events {
        for a in &e.attendees {
            let id = a.contact_id.expect("attendee linked");
            assert_eq!(s.get_contact(id).unwrap().name, a.name);
            linked += 1;
        }
    }
    assert!(linked >= 40, "{linked}");
    // The weeks around now: from two weeks back to three ahead are covered.
    let in_window = |from: i64, to: i64| {
        s.count_events(&EventQuery {
            from: Some(now() + Duration::days(from)),
            to: Some(now() + Duration::days(to)),
            ..Default::default()
        })
        .unwrap()
    };
    assert!(in_window(-14, 0) >= 15);
    assert!(in_window(0, 21) >= 25);
}

fn timed_span(e: &Event) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    match e.time {
        EventTime::Timed { start, end, .. } if e.rrule.is_none() && end > start => {
            Some((start, end))
        }
        _ => None,
    }
}

#[test]
fn no_office_meeting_is_booked_while_abroad() {
    let (_d, s, _) = seeded();
    let trips = s.list_trips(&TripQuery::default()).unwrap();
    for e in all_events(&s) {
        let Some((a, b)) = timed_span(&e) else {
            continue;
        };
        let home = matches!(e.time, EventTime::Timed { tz, .. } if tz == TZ);
        let in_person = matches!(e.category.as_str(), "meeting" | "appointment");
        if !home || !in_person || e.status == EventStatus::Cancelled || e.title.contains("video") {
            continue;
        }
        for t in &trips {
            let (ts, te) = t.span().unwrap();
            assert!(
                !(a < te && ts < b),
                "'{}' is booked during '{}'",
                e.title,
                t.name
            );
        }
    }
}

#[test]
fn today_has_a_real_conflict() {
    let (_d, s, _) = seeded();
    let from = demo_midnight(today());
    let to = demo_midnight(today() + Duration::days(1));
    let todays: Vec<(DateTime<Utc>, DateTime<Utc>, String)> = s
        .list_events(&EventQuery {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .filter(|e| e.status != EventStatus::Cancelled)
        .filter_map(|e| timed_span(e).map(|(a, b)| (a, b, e.title.clone())))
        .filter(|(a, _, _)| *a >= from && *a < to)
        .collect();
    let clash = todays
        .iter()
        .enumerate()
        .any(|(i, a)| todays[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1));
    assert!(clash, "no overlapping pair today: {todays:?}");
}

fn demo_midnight(d: NaiveDate) -> DateTime<Utc> {
    secretaire::domain::event::local_midnight(d, TZ)
}

#[test]
fn trips_cross_zones_and_one_flight_clashes_with_a_meeting() {
    let (_d, s, _) = seeded();
    let trips = s.list_trips(&TripQuery::default()).unwrap();
    let ny = trips
        .iter()
        .find(|t| t.segments.iter().any(|g| g.number == "SK 903"))
        .expect("New York trip");
    let out = ny.segments.iter().find(|g| g.number == "SK 903").unwrap();
    assert_eq!(out.depart_tz, chrono_tz::Europe::Stockholm);
    assert_eq!(out.arrive_tz, chrono_tz::America::New_York);
    assert_eq!(out.confirmation.len(), 6);
    assert!(out.cost.is_some());
    for kind in [SegmentKind::Flight, SegmentKind::Hotel, SegmentKind::Car] {
        assert!(ny.segments.iter().any(|g| g.kind == kind), "{kind}");
    }
    assert!(
        trips
            .iter()
            .any(|t| t.segments.iter().any(|g| g.kind == SegmentKind::Train))
    );
    let currencies: std::collections::BTreeSet<&str> = trips
        .iter()
        .flat_map(|t| &t.segments)
        .filter_map(|g| g.cost.map(|c| c.currency.code()))
        .collect();
    for c in ["SEK", "GBP", "USD", "JPY"] {
        assert!(currencies.contains(c), "{c} missing from {currencies:?}");
    }
    // A flight in the air during a (non-cancelled) meeting or call.
    let flights: Vec<_> = trips
        .iter()
        .flat_map(|t| &t.segments)
        .filter(|g| g.kind == SegmentKind::Flight)
        .collect();
    let events = all_events(&s);
    let clash = events
        .iter()
        .filter_map(timed_span)
        .any(|(a, b)| flights.iter().any(|f| a < f.arrive && f.depart < b));
    assert!(clash, "no meeting overlaps a flight");
    // The store finds segments by window.
    let (start, end) = ny.span().unwrap();
    assert_eq!(
        s.list_segments(start, end).unwrap().len(),
        ny.segments.len()
    );
}

#[test]
fn invoices_overdue_due_soon_paid_and_disputed() {
    let (_d, s, _) = seeded();
    let yesterday = today() - Duration::days(1);
    let overdue = s
        .list_invoices(&InvoiceQuery {
            open_only: true,
            due_to: Some(yesterday),
            ..Default::default()
        })
        .unwrap();
    assert!(overdue.len() >= 4, "{}", overdue.len());
    assert!(overdue.iter().all(|i| i.is_overdue(today())));
    let soon = s
        .list_invoices(&InvoiceQuery {
            open_only: true,
            due_from: Some(today()),
            due_to: Some(today() + Duration::days(7)),
            ..Default::default()
        })
        .unwrap();
    assert!(soon.len() >= 4, "{}", soon.len());
    let all = s.list_invoices(&InvoiceQuery::default()).unwrap();
    let count = |st: InvoiceStatus| all.iter().filter(|i| i.status == st).count();
    assert!(count(InvoiceStatus::Paid) >= 5);
    assert_eq!(count(InvoiceStatus::Disputed), 1);
    assert!(count(InvoiceStatus::Approved) >= 1);
    assert!(
        all.iter()
            .filter(|i| i.amount.currency.code() == "SEK")
            .count()
            >= 20
    );
    assert!(all.iter().any(|i| i.amount.currency.code() == "EUR"));
    assert!(all.iter().any(|i| i.amount.currency.code() == "USD"));
    // Vendors are linked contacts and the store fills their names in.
    assert!(
        all.iter()
            .all(|i| i.vendor_id.is_some() && !i.vendor_name.is_empty())
    );
    for i in &all {
        let v = s.get_contact(i.vendor_id.unwrap()).unwrap();
        assert!(v.has_tag("vendor"), "{} is not tagged vendor", v.name);
        assert_eq!(v.name, i.vendor_name);
        assert_eq!(v.name, v.organization, "invoices go to organisation cards");
    }
    assert!(all.iter().any(|i| i.payment_ref.starts_with("OCR ")));
}

#[test]
fn tasks_in_every_state() {
    let (_d, s, _) = seeded();
    for st in TaskStatus::ALL {
        let n = s
            .count_tasks(&TaskQuery {
                status: Some(*st),
                ..Default::default()
            })
            .unwrap();
        assert!(n >= 5, "{st}: {n}");
    }
    let tasks = all_tasks(&s);
    let count = |f: &dyn Fn(&Task) -> bool| tasks.iter().filter(|t| f(t)).count();
    assert!(count(&|t| t.is_overdue(today(), now(), TZ)) >= 3);
    assert!(
        count(&|t| t.status != TaskStatus::Done && t.due.is_some_and(|d| d.date_in(TZ) == today()))
            >= 3
    );
    assert!(count(&|t| t.is_snoozed(now())) >= 2);
    assert!(count(&|t| !t.delegated_to.is_empty()) >= 2);
    for k in ["email", "call", "letter", "message"] {
        assert!(count(&|t| t.kind.as_str() == k) >= 2, "{k}");
    }
    for d in ["incoming", "outgoing"] {
        assert!(count(&|t| t.direction.as_str() == d) >= 5, "{d}");
    }
    for p in ["high", "normal", "low"] {
        assert!(count(&|t| t.priority.as_str() == p) >= 3, "{p}");
    }
    assert!(count(&|t| t.contact_id.is_some() && !t.contact_name.is_empty()) >= 40);
    // Open tasks ordered by due: the overdue ones come first.
    let open = s
        .list_tasks(&TaskQuery {
            open_only: true,
            order: TaskOrder::Due,
            limit: Some(3),
            ..Default::default()
        })
        .unwrap();
    assert!(open[0].due.is_some_and(|d| d.date_in(TZ) < today()));
}

#[test]
fn seeding_is_deterministic() {
    let a = Store::open_in_memory().unwrap();
    let b = Store::open_in_memory().unwrap();
    demo::seed(&a, DemoSize::Small, now(), TZ).unwrap();
    demo::seed(&b, DemoSize::Small, now(), TZ).unwrap();
    assert_eq!(all_events(&a), all_events(&b));
    assert_eq!(all_tasks(&a), all_tasks(&b));
    assert_eq!(
        a.list_contacts(&ContactQuery::default()).unwrap(),
        b.list_contacts(&ContactQuery::default()).unwrap()
    );
    assert_eq!(
        a.list_trips(&TripQuery::default()).unwrap(),
        b.list_trips(&TripQuery::default()).unwrap()
    );
    assert_eq!(
        a.list_invoices(&InvoiceQuery::default()).unwrap(),
        b.list_invoices(&InvoiceQuery::default()).unwrap()
    );
}

#[test]
fn seeding_is_one_transaction_and_a_second_seed_at_another_time_fits() {
    let s = Store::open_in_memory().unwrap();
    demo::seed(&s, DemoSize::Small, now(), TZ).unwrap();
    let before = s.count_events(&EventQuery::default()).unwrap();
    // Same instant: the UIDs collide, the whole seed is refused and nothing half-written stays.
    let err = demo::seed(&s, DemoSize::Small, now(), TZ).unwrap_err();
    assert!(err.to_string().contains("UID"), "{err}");
    assert_eq!(s.count_events(&EventQuery::default()).unwrap(), before);
    assert_eq!(s.count_contacts(&ContactQuery::default()).unwrap(), 80);
    // Another instant: a second, separate set.
    demo::seed(&s, DemoSize::Small, now() + Duration::days(1), TZ).unwrap();
    assert_eq!(s.count_contacts(&ContactQuery::default()).unwrap(), 160);
}

#[test]
fn large_generator_at_reduced_scale_goes_through_the_store() {
    let counts = Counts {
        events: 1_500,
        contacts: 300,
        invoices: 300,
        tasks: 600,
        trips: 40,
    };
    let data = demo::generate_large(counts, now(), TZ);
    data.validate().unwrap();
    let s = Store::open_in_memory().unwrap();
    let stats = demo::insert(&s, &data).unwrap();
    assert_eq!(stats, data.stats());
    assert_eq!(s.count_events(&EventQuery::default()).unwrap(), 1_500);
    assert_eq!(s.count_tasks(&TaskQuery::default()).unwrap(), 600);
    // Large invoices go to the vendor cards or to suppliers known only by name.
    let invoices = s.list_invoices(&InvoiceQuery::default()).unwrap();
    assert!(
        invoices
            .iter()
            .any(|i| i.vendor_id.is_none() && !i.vendor_name.is_empty())
    );
    assert!(invoices.iter().filter(|i| i.vendor_id.is_some()).count() > 150);
    // The large set keeps the small month inside it.
    assert!(
        all_events(&s)
            .iter()
            .any(|e| e.rrule.as_deref() == Some("FREQ=WEEKLY;BYDAY=MO"))
    );
}

#[test]
fn large_counts_are_the_documented_ones() {
    assert_eq!(
        Counts::LARGE,
        Counts {
            events: 100_000,
            contacts: 20_000,
            invoices: 20_000,
            tasks: 50_000,
            trips: 5_000,
        }
    );
}
