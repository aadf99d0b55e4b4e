//! `update` tests: state change and returned effects. No terminal, no database, fixed time.
use super::keymap::{Context, Key, resolve};
use super::today::TodayData;
use super::*;
use crate::domain::{
    Due, EventTime, InvoiceStatus, Money, Priority, SegmentKind, SegmentStatus, TaskStatus,
};
use chrono::TimeZone;
use ratatui::crossterm::event::KeyCode;

fn now() -> DateTime<Utc> {
    // Monday 23 Nov 2026, 10:00 in Stockholm
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}
fn tz() -> Tz {
    chrono_tz::Europe::Stockholm
}
fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}
fn config() -> Config {
    Config {
        timezone: tz(),
        ..Config::default()
    }
}
fn app() -> App {
    App::new(&config(), now(), vec![])
}
fn task(id: i64, subject: &str, due: Option<NaiveDate>, p: Priority) -> Task {
    let mut t = Task::new(subject, now() - Duration::days(10));
    t.id = id;
    t.due = due.map(Due::Date);
    t.priority = p;
    t
}
fn invoice(id: i64, due: NaiveDate) -> Invoice {
    Invoice {
        id,
        vendor_id: None,
        vendor_name: "Telia".into(),
        number: format!("INV-{id}"),
        issue_date: d(1),
        due_date: due,
        amount: Money::new(124900, Currency::SEK),
        status: InvoiceStatus::Received,
        paid_date: None,
        payment_ref: "OCR 555".into(),
        document_path: String::new(),
        notes: String::new(),
    }
}
fn event(id: i64, title: &str, h: u32, m: u32, len: i64) -> Event {
    let start = Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap();
    let mut e = Event::new(
        title,
        EventTime::Timed {
            start,
            end: start + Duration::minutes(len),
            tz: tz(),
        },
        now(),
    );
    e.id = id;
    e.uid = format!("e{id}@test");
    e
}
fn segment(id: i64, trip: i64, h: u32, hours: i64) -> Segment {
    let dep = Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap();
    Segment {
        id,
        trip_id: trip,
        uid: format!("s{id}"),
        kind: SegmentKind::Flight,
        provider: "SAS".into(),
        number: format!("SK {id}"),
        confirmation: format!("CONF{id}"),
        origin: "ARN".into(),
        destination: "CPH".into(),
        depart: dep,
        depart_tz: tz(),
        arrive: dep + Duration::hours(hours),
        arrive_tz: tz(),
        seat: String::new(),
        cost: None,
        status: SegmentStatus::Booked,
        notes: String::new(),
    }
}
fn today_data() -> TodayData {
    TodayData {
        day: Some(d(23)),
        // as the shell sends them: the overdue ones first
        tasks: vec![
            task(2, "Overdue normal", Some(d(20)), Priority::Normal),
            task(1, "Due today, low", Some(d(23)), Priority::Low),
            task(3, "Due today, high", Some(d(23)), Priority::High),
        ],
        overdue_shown: 1,
        events: vec![
            event(10, "Board", 8, 30, 60),
            event(11, "Press call", 9, 0, 30),
            event(12, "Lunch", 11, 0, 60),
        ],
        segments: vec![segment(20, 5, 11, 2)],
        invoices: vec![invoice(30, d(20)), invoice(31, d(27))],
        counts: Counts {
            overdue_tasks: 1,
            invoices_due: 2,
            trips_soon: 1,
        },
        due_today: 2,
        ..Default::default()
    }
}
fn loaded_today() -> App {
    let mut a = app();
    update(&mut a, Action::Loaded(Loaded::Today(today_data())));
    a
}
fn saved(fx: &[Effect]) -> (&Record, &Option<Record>) {
    match fx {
        [Effect::Save { record, before, .. }] => (record, before),
        other => panic!("expected one Save, got {other:?}"),
    }
}
fn type_str(a: &mut App, s: &str) -> Vec<Effect> {
    let mut fx = vec![];
    for c in s.chars() {
        fx.extend(update(a, Action::Input(Key::ch(c))));
    }
    fx
}

// ---- Today

#[test]
fn today_orders_overdue_then_priority_and_finds_conflicts() {
    let a = loaded_today();
    let subjects: Vec<&str> = a
        .today
        .data
        .tasks
        .iter()
        .map(|t| t.subject.as_str())
        .collect();
    assert_eq!(
        subjects,
        vec!["Overdue normal", "Due today, high", "Due today, low"]
    );
    // Board 09:30-10:30 overlaps Press call 10:00-10:30; the flight 12:00-14:00 overlaps Lunch 12:00-13:00
    assert_eq!(a.today.conflicts.len(), 2, "{:?}", a.today.conflicts);
    assert!(
        a.today
            .conflicts
            .iter()
            .any(|c| c.travel && c.events == vec![12]),
        "{:?}",
        a.today.conflicts
    );
    assert!(
        a.today
            .conflicts
            .iter()
            .any(|c| !c.travel && c.events.contains(&10) && c.events.contains(&11))
    );
    assert!(a.today.conflicts.iter().any(|c| !c.travel));
    assert_eq!(a.today.items().len(), 3 + 3 + 1 + 2 + 2);
    assert_eq!(
        a.counts.invoices_due, 2,
        "the tab bar counts come with Today"
    );
}

#[test]
fn today_done_snooze_paid_in_place() {
    let mut a = loaded_today();
    let fx = update(&mut a, Action::Done);
    let (r, before) = saved(&fx);
    let Record::Task(t) = r else { panic!() };
    assert_eq!(t.id, 2);
    assert_eq!(t.status, TaskStatus::Done);
    assert_eq!(t.done_at, Some(now()));
    assert!(matches!(before, Some(Record::Task(b)) if b.status == TaskStatus::Open));

    // snooze: a prompt prefilled "tomorrow", read live, saved on Enter
    let fx = update(&mut a, Action::Snooze);
    assert!(fx.is_empty());
    let Some(Popup::Prompt(p)) = &a.popup else {
        panic!()
    };
    assert_eq!(p.preview, vec!["→ Tue 24 Nov 2026 09:00".to_string()]);
    let fx = update(&mut a, Action::Submit);
    let (r, _) = saved(&fx);
    let Record::Task(t) = r else { panic!() };
    assert_eq!(
        t.snoozed_until,
        Some(Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap())
    );
    // typing replaces the suggestion: "next mon" is 30 Nov
    a.popup = None;
    update(&mut a, Action::Snooze);
    type_str(&mut a, "next mon");
    let fx = update(&mut a, Action::Submit);
    let Record::Task(t) = saved(&fx).0 else {
        panic!()
    };
    assert_eq!(
        t.snoozed_until,
        Some(Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap())
    );

    // go to the first invoice (the overdue one) and mark it paid
    a.popup = None;
    let idx = a
        .today
        .items()
        .iter()
        .position(|i| matches!(i, today::TodayItem::Invoice(_)))
        .unwrap();
    a.today.selected = idx;
    let fx = update(&mut a, Action::Paid);
    let (r, _) = saved(&fx);
    let Record::Invoice(i) = r else { panic!() };
    assert_eq!(
        (i.id, i.status, i.paid_date),
        (30, InvoiceStatus::Paid, Some(d(23)))
    );
    // done on an invoice does nothing but say so
    assert!(update(&mut a, Action::Done).is_empty());
    assert!(a.status.as_ref().unwrap().text.contains("tasks"));
}

/// What the shell answers to the reminder query, from `events` (no answers kept).
fn answer_reminders(a: &mut App, events: Vec<Event>) -> Vec<Effect> {
    answer_reminders_with(a, events, Vec::new())
}

/// What the shell answers to the reminder query, from `events` and the reminder answers the
/// database keeps.
fn answer_reminders_with(
    a: &mut App,
    events: Vec<Event>,
    answers: Vec<crate::domain::event::ReminderAnswer>,
) -> Vec<Effect> {
    let Effect::Load(Load::Reminders { from, to, .. }) = today::load_reminders(a) else {
        panic!()
    };
    update(
        a,
        Action::Loaded(Loaded::Reminders {
            from,
            to,
            events,
            skipped: 0,
            answers,
        }),
    )
}

#[test]
fn answering_a_reminder_asks_to_keep_the_answer_in_the_database() {
    use crate::domain::event::ReminderAnswer;
    let mut a = app();
    let mut lunch = event(66, "Lunch", 11, 0, 60);
    lunch.reminder_minutes = Some(10);
    answer_reminders(&mut a, vec![lunch.clone()]);
    tick(&mut a, 10, 52);
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap();
    let fx = update(&mut a, Action::ReminderSnooze);
    let snoozed = ReminderAnswer {
        uid: lunch.uid.clone(),
        start,
        until: Some(Utc.with_ymd_and_hms(2026, 11, 23, 10, 57, 0).unwrap()),
        at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 52, 0).unwrap(),
    };
    assert_eq!(fx, vec![Effect::AnswerReminder(snoozed)]);
    tick(&mut a, 10, 57);
    assert!(a.banner.is_some(), "back when the snooze is over");
    let fx = update(&mut a, Action::ReminderDismiss);
    let dismissed = ReminderAnswer {
        uid: lunch.uid.clone(),
        start,
        until: None,
        at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 57, 0).unwrap(),
    };
    assert_eq!(fx, vec![Effect::AnswerReminder(dismissed)]);
}

#[test]
fn a_dismissal_kept_in_the_database_holds_for_a_new_screen() {
    use crate::domain::event::ReminderAnswer;
    let mut lunch = event(67, "Lunch", 11, 0, 60);
    lunch.reminder_minutes = Some(10);
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 51, 0).unwrap();
    // a fresh screen at 10:52 (a restart): the reminder was due at 10:50
    let mut a = app();
    a.now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 52, 0).unwrap();
    let dismissed = ReminderAnswer {
        uid: lunch.uid.clone(),
        start,
        until: None,
        at,
    };
    answer_reminders_with(&mut a, vec![lunch.clone()], vec![dismissed]);
    assert!(a.banner.is_none(), "{:?}", a.banner);
    // without it, it shows
    let mut b = app();
    b.now = a.now;
    answer_reminders(&mut b, vec![lunch.clone()]);
    assert!(b.banner.is_some());
    // snoozed on the other screen until 10:57: the strip here goes, and comes back at 10:57
    let snoozed = ReminderAnswer {
        uid: lunch.uid.clone(),
        start,
        until: Some(Utc.with_ymd_and_hms(2026, 11, 23, 10, 57, 0).unwrap()),
        at,
    };
    answer_reminders_with(&mut b, vec![lunch.clone()], vec![snoozed.clone()]);
    assert!(b.banner.is_none(), "answered on another screen");
    tick(&mut b, 10, 56);
    assert!(b.banner.is_none());
    tick(&mut b, 10, 57);
    assert!(b.banner.is_some(), "the snooze is over");
    // dismissed here (the write failed, say): an older answer read back does not undo it
    update(&mut b, Action::ReminderDismiss);
    answer_reminders_with(&mut b, vec![lunch], vec![snoozed]);
    tick(&mut b, 10, 58);
    assert!(b.banner.is_none(), "{:?}", b.banner);
    assert!(
        b.reminder_answers.iter().all(|r| r.until.is_none()),
        "{:?}",
        b.reminder_answers
    );
}

#[test]
fn reminder_fires_once_with_bell_and_can_be_snoozed() {
    let mut a = app();
    let mut data = today_data();
    data.events[2].reminder_minutes = Some(15); // Lunch 12:00 local -> reminder 11:45 local
    answer_reminders(&mut a, data.events.clone());
    update(&mut a, Action::Loaded(Loaded::Today(data)));
    assert!(a.popup.is_none());
    let fx = update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 10, 45, 0).unwrap()),
    );
    assert!(fx.contains(&Effect::Bell));
    assert!(matches!(&a.banner, Some(r) if r.title == "Lunch"));
    update(&mut a, Action::ReminderSnooze); // snooze 5 minutes
    assert!(a.banner.is_none());
    update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 10, 47, 0).unwrap()),
    );
    assert!(a.banner.is_none());
    update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 10, 51, 0).unwrap()),
    );
    assert!(a.banner.is_some());
    update(&mut a, Action::ReminderDismiss);
    update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 10, 52, 0).unwrap()),
    );
    assert!(a.banner.is_none(), "dismissed reminders stay dismissed");
}

#[test]
fn a_reminder_a_day_ahead_fires_today_but_the_event_is_not_on_today() {
    let mut a = app();
    let data = today_data();
    let mut tomorrow = event(40, "Flight check-in", 8, 0, 30);
    tomorrow.time = EventTime::Timed {
        start: Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 24, 8, 30, 0).unwrap(),
        tz: tz(),
    };
    tomorrow.reminder_minutes = Some(22 * 60); // 10:00 UTC today
    update(&mut a, Action::Loaded(Loaded::Today(data)));
    answer_reminders(&mut a, vec![tomorrow]);
    assert_eq!(a.today.occs.len(), 3, "only today's events on the timeline");
    assert!(a.banner.is_none());
    update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 10, 1, 0).unwrap()),
    );
    assert!(matches!(&a.banner, Some(r) if r.title == "Flight check-in"));
}

#[test]
fn a_reminder_a_week_ahead_fires_on_its_day_from_its_own_query() {
    let mut a = app();
    // every reload asks for reminders, weeks ahead (a reminder may be four weeks early)
    let fx = a.reload();
    let Some(Effect::Load(Load::Reminders { from, to, .. })) = fx
        .iter()
        .find(|e| matches!(e, Effect::Load(Load::Reminders { .. })))
        .cloned()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(from, now());
    assert!(to - now() >= Duration::days(29), "{to}");
    let mut board = event(50, "Board dinner", 17, 0, 120);
    let start = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap();
    board.time = EventTime::Timed {
        start,
        end: start + Duration::hours(2),
        tz: tz(),
    };
    board.reminder_minutes = Some(7 * 24 * 60); // 17:00 UTC today
    answer_reminders(&mut a, vec![board]);
    update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 16, 59, 0).unwrap()),
    );
    assert!(a.banner.is_none(), "not yet");
    update(
        &mut a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, 17, 0, 0).unwrap()),
    );
    assert!(matches!(&a.banner, Some(r) if r.title == "Board dinner"));
}

fn tick(a: &mut App, h: u32, m: u32) -> Vec<Effect> {
    update(
        a,
        Action::Tick(Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()),
    )
}

#[test]
fn only_reminders_of_events_not_started_yet_fire_and_a_missed_one_fires_once_at_start() {
    let mut a = app();
    // 10:00 now. Going on since 09:30 (its reminder was at 09:15): not announced at start-up
    let mut going = event(60, "Going on", 8, 30, 60);
    going.reminder_minutes = Some(15);
    // starts 10:30; its reminder time (09:30) passed while the app was closed: fires now
    let mut ahead = event(61, "Ahead", 9, 30, 30);
    ahead.reminder_minutes = Some(60);
    answer_reminders(&mut a, vec![going, ahead]);
    assert!(
        matches!(&a.banner, Some(r) if r.title == "Ahead"),
        "{:?}",
        a.banner
    );
    update(&mut a, Action::ReminderDismiss);
    tick(&mut a, 9, 1);
    assert!(a.banner.is_none(), "neither fires again");
}

#[test]
fn the_banner_says_started_after_the_start_and_closes_when_the_event_ends() {
    let mut a = app();
    let mut lunch = event(62, "Lunch", 11, 0, 60);
    lunch.reminder_minutes = Some(10);
    answer_reminders(&mut a, vec![lunch]);
    tick(&mut a, 10, 52);
    assert!(a.banner.is_some());
    // not answered: still there after the start (the strip says "started 12:00")
    tick(&mut a, 11, 5);
    assert!(a.banner.is_some());
    tick(&mut a, 12, 0);
    assert!(a.banner.is_none(), "gone once the event is over");
}

#[test]
fn a_dismissed_reminder_stays_dismissed_after_this_and_following_makes_a_new_series() {
    let mut a = app();
    let mut weekly = event(63, "Weekly", 11, 0, 30);
    weekly.rrule = Some("FREQ=WEEKLY".into());
    weekly.reminder_minutes = Some(10);
    answer_reminders(&mut a, vec![weekly.clone()]);
    tick(&mut a, 10, 51);
    assert!(a.banner.is_some());
    update(&mut a, Action::ReminderDismiss);
    // T from today's occurrence: the old series ends, a new one (new UID, new id) starts today
    let mut old = weekly.clone();
    old.rrule = Some("FREQ=WEEKLY;UNTIL=20261123T105959Z".into());
    let mut new = weekly.clone();
    new.id = 64;
    new.uid = "split@test".into();
    new.title = "Weekly (new room)".into();
    update(
        &mut a,
        Action::SeriesApplied {
            before: vec![weekly],
            after: vec![old.clone()],
            inserted: vec![new.clone()],
            label: "edit this and following of 'Weekly'".into(),
        },
    );
    answer_reminders(&mut a, vec![old, new]);
    tick(&mut a, 10, 52);
    assert!(a.banner.is_none(), "{:?}", a.banner);
}

#[test]
fn a_reminder_on_screen_does_not_take_the_next_key() {
    let mut a = loaded_today();
    let mut lunch = event(65, "Lunch", 11, 0, 60);
    lunch.reminder_minutes = Some(10);
    answer_reminders(&mut a, vec![lunch]);
    tick(&mut a, 10, 52);
    assert!(a.banner.is_some());
    // u is undo, j moves, as if the banner were not there
    assert_eq!(resolve(&a, Key::ch('u')), Some(Action::Undo));
    assert_eq!(resolve(&a, Key::ch('j')), Some(Action::Down));
    update(&mut a, Action::Down);
    assert_eq!(a.today.selected, 1);
    assert!(a.banner.is_some(), "still shown");
    // its own keys answer it; a pane's y (copy the confirmation code) stays the pane's
    assert_eq!(resolve(&a, Key::ch('z')), Some(Action::ReminderSnooze));
    assert_eq!(
        resolve(&a, Key::plain(KeyCode::Esc)),
        Some(Action::ReminderDismiss)
    );
    assert_eq!(resolve(&a, Key::ch('y')), Some(Action::Copy));
    assert_eq!(resolve(&a, Key::ch('x')), Some(Action::Done));
    // a reminder due while a form is open shows, and the form keeps every key
    update(&mut a, Action::ReminderDismiss);
    update(&mut a, Action::Add);
    assert_eq!(resolve(&a, Key::ch('n')), Some(Action::Input(Key::ch('n'))));
}

// ---- Schedule

#[test]
fn schedule_views_windows_and_stale_answers() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule));
    let fx = update(&mut a, Action::CycleView); // day
    assert_eq!(a.schedule.view, schedule::View::Day);
    let Effect::Load(Load::Schedule { from, to, .. }) = &fx[0] else {
        panic!("{fx:?}")
    };
    assert_eq!((*to - *from).num_hours(), 24);
    update(&mut a, Action::CycleView); // week
    let fx = update(&mut a, Action::Next);
    assert_eq!(a.schedule.days(), (d(30), d(30) + Duration::days(7)));
    assert!(matches!(fx[0], Effect::Load(Load::Schedule { .. })));
    let fx = update(&mut a, Action::Prev);
    assert_eq!(a.schedule.days(), (d(23), d(30)));
    let Effect::Load(Load::Schedule { from, to, .. }) = fx[0].clone() else {
        panic!()
    };
    // an answer for the old window is ignored
    update(
        &mut a,
        Action::Loaded(Loaded::Schedule {
            from: from + Duration::days(7),
            to: to + Duration::days(7),
            search: None,
            events: vec![event(1, "old", 9, 0, 30)],
            segments: vec![],
            skipped: 0,
        }),
    );
    assert!(a.schedule.occs.is_empty());
    let mut cancelled = event(3, "Cancelled overlap", 9, 0, 60);
    cancelled.status = crate::domain::EventStatus::Cancelled;
    update(
        &mut a,
        Action::Loaded(Loaded::Schedule {
            from,
            to,
            search: None,
            events: vec![
                event(1, "A", 9, 0, 60),
                event(2, "B", 9, 30, 60),
                cancelled,
                event(4, "C", 12, 0, 30),
            ],
            segments: vec![segment(9, 1, 11, 2)],
            skipped: 0,
        }),
    );
    assert_eq!(a.schedule.occs.len(), 4);
    // by start: A 10:00, the cancelled one 10:00 (never a conflict), B 10:30, C 13:00 (during
    // the flight 12:00-14:00)
    assert_eq!(a.schedule.conflicted, vec![true, false, true, true]);
    update(&mut a, Action::GoToday);
    assert_eq!(a.schedule.date, d(23));
    update(&mut a, Action::CycleView); // month
    assert_eq!(
        a.schedule.days(),
        (d(1), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
    );
}

// ---- Travel

fn trip(id: i64, name: &str) -> Trip {
    Trip {
        id,
        name: name.into(),
        purpose: String::new(),
        notes: String::new(),
        segments: vec![segment(id * 10, id, 11, 2)],
    }
}

#[test]
fn travel_pages_through_sql_and_h_shows_past_trips() {
    let mut a = app();
    let fx = update(&mut a, Action::ShowPane(Pane::Travel));
    let [
        Effect::Load(Load::Travel {
            past: false,
            offset: 0,
            limit,
            now: at,
            ..
        }),
    ] = &fx[..]
    else {
        panic!("{fx:?}")
    };
    assert_eq!((*limit as usize, *at), (travel::TRIP_PAGE, now()));
    // 250 upcoming trips: a page of 100 arrives; G asks for the page holding the last
    let page: Vec<Trip> = (0..100)
        .map(|i| trip(i + 1, &format!("Trip {i}")))
        .collect();
    update(
        &mut a,
        Action::Loaded(Loaded::Travel {
            search: None,
            past: false,
            offset: 0,
            trips: page,
            total: 250,
            skipped: 0,
        }),
    );
    assert_eq!(a.travel.list.len(), 250);
    let fx = update(&mut a, Action::Bottom);
    assert_eq!(a.travel.list.selected, 249);
    let [Effect::Load(Load::Travel { offset, .. })] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert!(
        *offset <= 249 && *offset + travel::TRIP_PAGE as u32 > 249,
        "{offset}"
    );
    // H: the past trips instead, from the top; an answer for the upcoming list is ignored
    let fx = update(&mut a, Action::ToggleDone);
    assert!(a.travel.past);
    assert!(matches!(
        &fx[..],
        [Effect::Load(Load::Travel {
            past: true,
            offset: 0,
            ..
        })]
    ));
    update(
        &mut a,
        Action::Loaded(Loaded::Travel {
            search: None,
            past: false,
            offset: 150,
            trips: vec![trip(999, "stale")],
            total: 250,
            skipped: 0,
        }),
    );
    assert!(a.travel.current_trip().is_none_or(|t| t.id != 999));
    update(
        &mut a,
        Action::Loaded(Loaded::Travel {
            search: None,
            past: true,
            offset: 0,
            trips: vec![trip(7, "Tokyo last spring")],
            total: 1,
            skipped: 0,
        }),
    );
    assert_eq!(a.travel.current_trip().unwrap().name, "Tokyo last spring");
}

#[test]
fn travel_moves_between_trip_and_segments_and_copies_codes() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Travel));
    let trip = Trip {
        id: 5,
        name: "Copenhagen".into(),
        purpose: String::new(),
        notes: String::new(),
        segments: vec![segment(20, 5, 11, 2), segment(21, 5, 15, 1)],
    };
    update(
        &mut a,
        Action::Loaded(Loaded::Travel {
            search: None,
            past: false,
            offset: 0,
            trips: vec![trip],
            total: 1,
            skipped: 0,
        }),
    );
    assert_eq!(a.travel.segment, None);
    update(&mut a, Action::Next);
    update(&mut a, Action::Next);
    assert_eq!(a.travel.segment, Some(1));
    let fx = update(&mut a, Action::Copy);
    assert_eq!(fx, vec![Effect::Copy("CONF21".into())]);
    assert!(a.status.as_ref().unwrap().text.contains("CONF21"));
    // delete asks first; y deletes the segment
    assert!(update(&mut a, Action::Delete).is_empty());
    assert!(matches!(a.popup, Some(Popup::Confirm { .. })));
    let fx = update(&mut a, Action::Yes);
    assert!(matches!(
        &fx[..],
        [Effect::Delete {
            kind: Kind::Segment,
            id: 21,
            ..
        }]
    ));
    let fx = update(&mut a, Action::AddSegment);
    assert!(fx.is_empty());
    assert!(matches!(&a.popup, Some(Popup::Form(f)) if f.kind == form::FormKind::Segment(5)));
}

// ---- Contacts (paging, filter)

#[test]
fn contacts_page_in_as_the_selection_moves_and_filter_reloads() {
    let mut a = app();
    let fx = update(&mut a, Action::ShowPane(Pane::Contacts));
    assert!(matches!(
        &fx[..],
        [Effect::Load(Load::Contacts {
            offset: 0,
            search: None,
            ..
        })]
    ));
    let rows: Vec<Contact> = (0..paged::PAGE)
        .map(|i| Contact {
            id: i as i64 + 1,
            name: format!("C{i:04}"),
            ..Default::default()
        })
        .collect();
    update(
        &mut a,
        Action::Loaded(Loaded::Contacts {
            search: None,
            offset: 0,
            rows,
            total: 1000,
            skipped: 0,
        }),
    );
    assert!(update(&mut a, Action::PageDown).is_empty());
    let fx = update(&mut a, Action::Bottom);
    assert_eq!(a.contacts.list.selected, 999);
    assert!(
        matches!(&fx[..], [Effect::Load(Load::Contacts { offset, .. })] if *offset as usize == 999 - paged::PAGE / 2),
        "{fx:?}"
    );
    // filter: typing reloads from the top with the text
    update(&mut a, Action::Filter);
    let fx = type_str(&mut a, "an");
    assert_eq!(
        fx.last(),
        Some(&Effect::Load(Load::Contacts {
            search: Some("an".into()),
            offset: 0,
            limit: paged::PAGE as u32
        }))
    );
    // a late answer for the old filter is ignored
    update(
        &mut a,
        Action::Loaded(Loaded::Contacts {
            search: Some("a".into()),
            offset: 0,
            rows: vec![],
            total: 0,
            skipped: 0,
        }),
    );
    assert!(!a.contacts.list.loaded_once || a.contacts.list.len() == paged::PAGE);
    // Esc clears the filter
    let fx = update(&mut a, Action::Close);
    assert!(a.contacts.filter.is_empty());
    assert!(matches!(
        &fx[..],
        [Effect::Load(Load::Contacts { search: None, .. })]
    ));
}

// ---- Invoices

#[test]
fn invoices_paid_and_status_cycle() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Invoices));
    update(
        &mut a,
        Action::Loaded(Loaded::Invoices {
            search: None,
            offset: 0,
            rows: vec![invoice(1, d(20)), invoice(2, d(30))],
            totals: vec![Total {
                status: InvoiceStatus::Received,
                sum: Money::new(249800, Currency::SEK),
                count: 2,
            }],
            total: 2,
            skipped: 0,
            unreadable: 0,
        }),
    );
    assert_eq!(a.invoices.totals.len(), 1);
    let fx = update(&mut a, Action::CycleStatus);
    let (r, _) = saved(&fx);
    assert!(matches!(r, Record::Invoice(i) if i.status == InvoiceStatus::Approved));
    update(&mut a, Action::Down);
    let fx = update(&mut a, Action::Paid);
    let (r, _) = saved(&fx);
    assert!(matches!(r, Record::Invoice(i) if i.id == 2 && i.paid_date == Some(d(23))));
}

#[test]
fn c_cycles_open_statuses_on_the_same_invoice_and_cancel_asks_first() {
    use InvoiceStatus::*;
    use invoices::next_status;
    assert_eq!(next_status(Received), Some(Approved));
    assert_eq!(next_status(Approved), Some(Disputed));
    assert_eq!(
        next_status(Disputed),
        Some(Received),
        "never cancelled by c"
    );
    assert_eq!(next_status(Paid), None);
    assert_eq!(next_status(Cancelled), None);
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Invoices));
    let page = |rows: Vec<Invoice>| {
        Action::Loaded(Loaded::Invoices {
            search: None,
            offset: 0,
            total: rows.len() as u64,
            rows,
            totals: vec![],
            skipped: 0,
            unreadable: 0,
        })
    };
    let rows = vec![invoice(1, d(20)), invoice(2, d(25)), invoice(3, d(30))];
    update(&mut a, page(rows.clone()));
    update(&mut a, Action::Down);
    let fx = update(&mut a, Action::CycleStatus);
    let (r, _) = saved(&fx);
    assert_eq!(r.id(), 2);
    // the page comes back in another order (another process added one): the cursor follows
    let mut moved = vec![invoice(9, d(19))];
    moved.extend(rows.clone());
    update(&mut a, page(moved));
    assert_eq!(a.invoices.list.current().map(|i| i.id), Some(2));
    // C asks, and only y writes the cancel (undoable: it carries the before-image)
    let fx = update(&mut a, Action::CancelInvoice);
    assert!(fx.is_empty());
    let Some(Popup::Confirm { question, .. }) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert!(
        question.starts_with("Cancel invoice 'Telia INV-2'"),
        "{question}"
    );
    assert_eq!(keymap::active_context(&a), Context::Confirm);
    let fx = update(&mut a, Action::Yes);
    let (r, before) = saved(&fx);
    assert!(matches!(r, Record::Invoice(i) if i.id == 2 && i.status == Cancelled));
    assert!(matches!(before, Some(Record::Invoice(i)) if i.status == Received));
    update(&mut a, Action::CancelInvoice);
    update(&mut a, Action::No);
    assert!(a.popup.is_none());
    // a paid invoice is not cycled
    let mut paid = invoice(4, d(1));
    paid.mark_paid(d(2));
    update(&mut a, page(vec![paid]));
    assert!(update(&mut a, Action::CycleStatus).is_empty());
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("open invoices only")
    );
}

// ---- Tasks

#[test]
fn tasks_sort_waiting_delegate() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Tasks));
    update(
        &mut a,
        Action::Loaded(Loaded::Tasks {
            search: None,
            offset: 0,
            rows: vec![task(1, "One", Some(d(20)), Priority::Normal)],
            total: 1,
            skipped: 0,
        }),
    );
    let fx = update(&mut a, Action::Sort);
    assert!(matches!(
        &fx[..],
        [Effect::Load(Load::Tasks {
            sort: TaskSort::Priority,
            ..
        })]
    ));
    let fx = update(&mut a, Action::Waiting);
    assert!(matches!(saved(&fx).0, Record::Task(t) if t.status == TaskStatus::Waiting));
    update(&mut a, Action::Delegate);
    type_str(&mut a, "Bo");
    let fx = update(&mut a, Action::Submit);
    let Record::Task(t) = saved(&fx).0 else {
        panic!()
    };
    assert_eq!(t.delegated_to, "Bo");
    assert_eq!(t.status, TaskStatus::Waiting);
}

// ---- Undo, failures, external changes

#[test]
fn undo_keeps_at_least_twenty_steps_and_names_them() {
    let mut a = app();
    for i in 0..25 {
        let t = task(i, &format!("T{i}"), None, Priority::Normal);
        let mut after = t.clone();
        after.mark_done(now());
        update(
            &mut a,
            Action::Saved {
                record: Record::Task(after),
                before: Some(Record::Task(t)),
                label: format!("done T{i}"),
            },
        );
    }
    assert!(a.undo.len() >= 20);
    let fx = update(&mut a, Action::Undo);
    let [Effect::Undo(UndoEntry::Restore { before, label, .. })] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(label, "done T24");
    assert!(matches!(before, Record::Task(t) if t.status == TaskStatus::Open));
    update(
        &mut a,
        Action::Undone {
            label: label.clone(),
            kept: vec![],
        },
    );
    assert_eq!(a.status.as_ref().unwrap().text, "Undid: done T24");
    // a delete is undone by re-inserting the same record (same id)
    let gone = Box::new(Removed::of(Record::Task(task(
        77,
        "Gone",
        None,
        Priority::Low,
    ))));
    update(
        &mut a,
        Action::Deleted {
            removed: gone.clone(),
            label: "delete x".into(),
        },
    );
    let fx = update(&mut a, Action::Undo);
    assert_eq!(
        fx,
        vec![Effect::Undo(UndoEntry::Reinsert {
            removed: gone,
            label: "delete x".into()
        })]
    );
    update(
        &mut a,
        Action::Undone {
            label: "delete x".into(),
            kept: vec![],
        },
    );
    // an insert is undone by removing it
    update(
        &mut a,
        Action::Saved {
            record: Record::Task(task(88, "New", None, Priority::Low)),
            before: None,
            label: "add".into(),
        },
    );
    assert!(matches!(
        &update(&mut a, Action::Undo)[..],
        [Effect::Undo(UndoEntry::Remove {
            record: Record::Task(t),
            ..
        })] if t.id == 88
    ));
}

#[test]
fn a_failed_undo_keeps_the_step_to_try_again() {
    let mut a = app();
    let t = task(5, "Reply to Anna", None, Priority::Normal);
    let mut done = t.clone();
    done.mark_done(now());
    update(
        &mut a,
        Action::Saved {
            record: Record::Task(done),
            before: Some(Record::Task(t.clone())),
            label: "done task 'Reply to Anna'".into(),
        },
    );
    assert_eq!(a.undo.len(), 1);
    let fx = update(&mut a, Action::Undo);
    assert!(matches!(&fx[..], [Effect::Undo(UndoEntry::Restore { .. })]));
    // the shell could not write it (another process holds the lock)
    update(
        &mut a,
        Action::UndoFailed {
            label: "done task 'Reply to Anna'".into(),
            error: "database is locked".into(),
            keep: true,
        },
    );
    assert_eq!(a.undo.len(), 1, "the step is still there");
    let st = a.status.clone().unwrap();
    assert_eq!(st.level, Level::Error);
    assert!(st.text.contains("database is locked"), "{}", st.text);
    assert!(st.text.contains("u tries again"), "{}", st.text);
    // so u tries the same step again, and only a written undo removes it
    let again = update(&mut a, Action::Undo);
    assert_eq!(again, fx);
    update(
        &mut a,
        Action::Undone {
            label: "done task 'Reply to Anna'".into(),
            kept: vec![],
        },
    );
    assert!(a.undo.is_empty());
    update(&mut a, Action::Undo);
    assert_eq!(a.status.unwrap().text, "nothing to undo");
}

fn done_step(a: &mut App, id: i64, subject: &str) -> String {
    let t = task(id, subject, None, Priority::Normal);
    let mut done = t.clone();
    done.mark_done(now());
    let label = format!("done task '{subject}'");
    update(
        a,
        Action::Saved {
            record: Record::Task(done),
            before: Some(Record::Task(t)),
            label: label.clone(),
        },
    );
    label
}

#[test]
fn an_undo_that_can_never_succeed_is_dropped_so_the_step_before_is_reachable() {
    let mut a = app();
    let first = done_step(&mut a, 1, "A");
    let second = done_step(&mut a, 27, "B");
    assert_eq!(a.undo.len(), 2);
    update(&mut a, Action::Undo);
    // task 27 was deleted by another process: no retry can bring it back
    update(
        &mut a,
        Action::UndoFailed {
            label: second.clone(),
            error: "task 27 was deleted elsewhere".into(),
            keep: false,
        },
    );
    assert_eq!(a.undo.len(), 1, "the impossible step is dropped");
    let st = a.status.clone().unwrap();
    assert!(
        st.text
            .contains("cannot undo done task 'B': task 27 was deleted elsewhere"),
        "{}",
        st.text
    );
    assert!(st.text.contains("u undoes the step before"), "{}", st.text);
    // the next u reaches A
    let fx = update(&mut a, Action::Undo);
    assert!(
        matches!(&fx[..], [Effect::Undo(e)] if e.label() == first),
        "{fx:?}"
    );
}

#[test]
fn an_undo_that_kept_a_field_changed_elsewhere_says_so() {
    let mut a = app();
    let label = done_step(&mut a, 6, "Reply");
    update(
        &mut a,
        Action::Undone {
            label: label.clone(),
            kept: vec!["subject".into(), "notes".into()],
        },
    );
    assert!(a.undo.is_empty());
    let st = a.status.unwrap();
    assert_eq!(st.level, Level::Warn);
    assert_eq!(
        st.text,
        "Undid: done task 'Reply'; subject and notes were changed elsewhere since, kept"
    );
}

#[test]
fn a_save_that_changed_nothing_leaves_no_undo_step() {
    let mut a = app();
    let t = task(6, "Same", None, Priority::Normal);
    update(
        &mut a,
        Action::Saved {
            record: Record::Task(t.clone()),
            before: Some(Record::Task(t)),
            label: "edit task 'Same'".into(),
        },
    );
    assert!(a.undo.is_empty());
    assert_eq!(a.status.unwrap().text, "Edit task 'Same': nothing changed");
}

#[test]
fn a_failed_save_keeps_the_form_and_what_was_typed() {
    let mut a = app();
    update(&mut a, Action::Add); // Today: a task form
    type_str(&mut a, "Write to the board");
    let fx = update(&mut a, Action::Submit);
    assert_eq!(fx.len(), 1);
    update(
        &mut a,
        Action::Failed {
            what: "add task".into(),
            error: "database is locked".into(),
        },
    );
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("form closed")
    };
    assert_eq!(f.fields[0].text(), "Write to the board");
    assert_eq!(f.error.as_deref(), Some("database is locked"));
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.level, Level::Error);
    assert!(s.text.contains("add task failed"));
}

#[test]
fn another_process_writing_reloads_the_pane() {
    let mut a = app();
    assert!(update(&mut a, Action::DataVersion(3)).is_empty());
    assert!(update(&mut a, Action::DataVersion(3)).is_empty());
    let fx = update(&mut a, Action::DataVersion(4));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Load(Load::Today { .. })))
    );
    // ticks ask for the version
    assert!(update(&mut a, Action::Tick(now())).contains(&Effect::CheckData));
}

#[test]
fn quick_capture_saves_or_opens_a_form() {
    let mut a = app();
    update(&mut a, Action::Capture);
    type_str(&mut a, "call Anna Berg about budget tomorrow 14:00");
    let Some(Popup::Prompt(p)) = &a.popup else {
        panic!()
    };
    assert!(p.preview[0].contains("Budget"), "{:?}", p.preview);
    let fx = update(&mut a, Action::Submit);
    assert!(matches!(&fx[..], [Effect::SaveCapture { contact: Some(c), .. }] if c == "Anna Berg"));
    a.popup = None;
    update(&mut a, Action::Capture);
    type_str(&mut a, "mtg Board with nothing else");
    assert!(update(&mut a, Action::Submit).is_empty());
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(f.kind, form::FormKind::Event);
}

#[test]
fn ctrl_c_with_unsaved_typing_asks_before_quitting() {
    let ctrl_c = Key::ctrl('c');
    let mut a = app();
    // nothing typed: Ctrl-C quits at once
    assert_eq!(resolve(&a, ctrl_c), Some(Action::Quit));
    update(&mut a, Action::Add);
    assert_eq!(
        resolve(&a, ctrl_c),
        Some(Action::Quit),
        "also from a text field"
    );
    // q in a text field is a letter
    assert_eq!(resolve(&a, Key::ch('q')), Some(Action::Input(Key::ch('q'))));
    type_str(&mut a, "Quarterly report");
    update(&mut a, Action::Quit);
    assert!(!a.quit, "the typing would be lost");
    assert!(matches!(a.popup, Some(Popup::QuitConfirm(_))));
    assert_eq!(keymap::active_context(&a), Context::Confirm);
    // n: back in the form, nothing lost
    update(&mut a, Action::No);
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(f.fields[0].text(), "Quarterly report");
    update(&mut a, Action::Quit);
    update(&mut a, Action::Yes);
    assert!(a.quit);
    // a quick-capture line counts too; Ctrl-C twice quits
    let mut a = app();
    update(&mut a, Action::Capture);
    type_str(&mut a, "call Anna");
    update(&mut a, Action::Quit);
    assert!(!a.quit);
    update(&mut a, Action::Quit);
    assert!(a.quit);
    // an empty capture line or a search is not work to lose
    let mut a = app();
    update(&mut a, Action::Search);
    type_str(&mut a, "anna");
    update(&mut a, Action::Quit);
    assert!(a.quit);
}

// ---- keymap in context

#[test]
fn every_binding_resolves_in_its_context() {
    let mut a = app();
    for b in a.keymap.bindings.clone() {
        a.popup = match b.context {
            Context::Help => Some(Popup::Help { scroll: 0 }),
            Context::Confirm => Some(Popup::Confirm {
                question: "?".into(),
                effect: Box::new(Effect::CheckData),
            }),
            Context::Detail => Some(Popup::Detail(Box::new(Detail {
                record: Record::Task(task(1, "x", None, Priority::Low)),
                extra: None,
                scroll: 0,
                occurrence: None,
            }))),
            Context::Form => Some(Popup::Form(Box::new(Form::new(
                form::FormKind::Task,
                None,
                &form::Ctx::of(&a),
            )))),
            Context::Prompt => Some(Popup::Prompt(Box::new(Prompt::new(
                PromptPurpose::Search,
                "",
            )))),
            Context::Preview => Some(Popup::Preview(Box::new(preview(false)))),
            _ => None,
        };
        a.banner = (b.context == Context::Reminder).then(|| ReminderBanner {
            event_id: 1,
            uid: "r@t".into(),
            title: "Reminder".into(),
            start: a.now + chrono::Duration::minutes(10),
            end: a.now + chrono::Duration::minutes(70),
        });
        a.pane = match b.context {
            Context::Schedule => Pane::Schedule,
            Context::Travel => Pane::Travel,
            Context::Contacts => Pane::Contacts,
            Context::Invoices => Pane::Invoices,
            Context::Tasks => Pane::Tasks,
            _ => Pane::Today,
        };
        let got = resolve(&a, b.key);
        let want = keymap::action_named(b.action);
        if b.key == Key::ctrl('c') {
            assert_eq!(got, Some(Action::Quit));
        } else {
            assert_eq!(got, want, "{:?} {} in {:?}", b.action, b.key, b.context);
        }
    }
}

#[test]
fn text_fields_swallow_letters() {
    let mut a = app();
    update(&mut a, Action::Add);
    for c in ['q', 'x', 'j', 'k', '1', '?', 'u', 'd', ':', '/'] {
        assert_eq!(resolve(&a, Key::ch(c)), Some(Action::Input(Key::ch(c))));
    }
    assert_eq!(resolve(&a, Key::plain(KeyCode::Esc)), Some(Action::Close));
    assert_eq!(
        resolve(&a, Key::plain(KeyCode::Tab)),
        Some(Action::NextField)
    );
    type_str(&mut a, "quit?");
    assert!(!a.quit);
    let Some(Popup::Form(f)) = &a.popup else {
        panic!()
    };
    assert_eq!(f.fields[0].text(), "quit?");
}

#[test]
fn bad_key_override_is_a_warning_and_default_stays() {
    let mut c = config();
    c.keys.insert("quit".into(), "ctrl-".into());
    let a = App::new(&c, now(), vec![]);
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.level, Level::Warn);
    assert!(s.text.contains("keys.quit"));
    assert_eq!(resolve(&a, Key::ch('q')), Some(Action::Quit));
}

#[test]
fn series_expand_with_overrides_replacing_their_occurrence() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule)); // agenda: 14 days from today
    let mut weekly = event(1, "Weekly sync", 8, 0, 30); // Mondays 09:00 local
    weekly.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
    let mut moved = event(2, "Weekly sync (moved)", 12, 0, 30);
    moved.uid = weekly.uid.clone();
    moved.recurrence_id = Some(d(30).and_hms_opt(9, 0, 0).unwrap());
    moved.time = EventTime::Timed {
        start: Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 30, 12, 30, 0).unwrap(),
        tz: tz(),
    };
    let Effect::Load(Load::Schedule {
        from, to, search, ..
    }) = schedule::load(&a)
    else {
        panic!()
    };
    update(
        &mut a,
        Action::Loaded(Loaded::Schedule {
            from,
            to,
            search,
            events: vec![weekly, moved],
            segments: vec![],
            skipped: 0,
        }),
    );
    let titles: Vec<&str> = a
        .schedule
        .occs
        .iter()
        .map(|(i, _)| a.schedule.events[*i].title.as_str())
        .collect();
    assert_eq!(
        titles,
        vec!["Weekly sync", "Weekly sync (moved)"],
        "{:?}",
        a.schedule.occs
    );
}

// ---------------------------------------------------------------------------------------------
// Files: export/import forms and the import preview

fn typed(a: &mut App, s: &str) -> Vec<Effect> {
    let mut fx = vec![];
    for c in s.chars() {
        fx.extend(update(a, Action::Input(Key::ch(c))));
    }
    fx
}
fn clear_field(a: &mut App) {
    update(a, Action::Input(Key::plain(KeyCode::End)));
    update(a, Action::Input(Key::ctrl('u')));
}

#[test]
fn schedule_x_opens_the_export_form_and_enter_asks_the_shell_to_write() {
    let mut a = app();
    a.pane = Pane::Schedule;
    assert_eq!(resolve(&a, Key::ch('X')), Some(Action::Export));
    assert!(update(&mut a, Action::Export).is_empty());
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("no form")
    };
    assert_eq!(f.kind, form::FormKind::ExportIcs);
    assert_eq!(keymap::active_context(&a), Context::Form);
    // to before from: inline error, no effect
    update(&mut a, Action::NextField);
    clear_field(&mut a);
    typed(&mut a, "2026-01-01");
    let fx = update(&mut a, Action::Submit);
    assert!(fx.is_empty(), "{fx:?}");
    let Some(Popup::Form(f)) = &a.popup else {
        panic!()
    };
    assert_eq!(
        f.fields[1].error.as_deref(),
        Some("before the first day"),
        "{:?}",
        f.fields[1]
    );
    clear_field(&mut a);
    typed(&mut a, "2026-12-31");
    let fx = update(&mut a, Action::Submit);
    match fx.as_slice() {
        [
            Effect::ExportIcs {
                window: Some((from, to)),
                travel: true,
                tasks: false,
                path,
                ..
            },
        ] => {
            // 24 Oct 00:00 CEST .. 1 Jan 2027 00:00 CET
            assert_eq!(*from, Utc.with_ymd_and_hms(2026, 10, 23, 22, 0, 0).unwrap());
            assert_eq!(*to, Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap());
            assert_eq!(path, "~/secretaire-2026-11-23.ics");
        }
        other => panic!("{other:?}"),
    }
    // the shell answers: the form closes, the status says where
    update(
        &mut a,
        Action::Exported {
            text: "Exported 3 events to /x.ics".into(),
        },
    );
    assert!(a.popup.is_none());
    assert!(a.status.as_ref().unwrap().text.contains("/x.ics"));
}

#[test]
fn the_calendar_export_form_offers_the_calcurse_profile() {
    let mut a = app();
    a.pane = Pane::Schedule;
    update(&mut a, Action::Export);
    let standard = update(&mut a, Action::Submit);
    assert!(
        matches!(
            standard.as_slice(),
            [Effect::ExportIcs {
                profile: crate::ics::Profile::Standard,
                ..
            }]
        ),
        "{standard:?}"
    );
    update(&mut a, Action::Export);
    for _ in 0..4 {
        update(&mut a, Action::NextField); // from, to, travel, tasks -> for
    }
    update(&mut a, Action::PickNext); // standard -> calcurse
    let fx = update(&mut a, Action::Submit);
    assert!(
        matches!(
            fx.as_slice(),
            [Effect::ExportIcs {
                profile: crate::ics::Profile::Calcurse,
                ..
            }]
        ),
        "{fx:?}"
    );
}

#[test]
fn an_empty_path_is_refused_inline() {
    let mut a = app();
    a.pane = Pane::Contacts;
    update(&mut a, Action::Export);
    update(&mut a, Action::NextField);
    clear_field(&mut a);
    assert!(update(&mut a, Action::Submit).is_empty());
    let Some(Popup::Form(f)) = &a.popup else {
        panic!()
    };
    assert_eq!(f.fields[1].error.as_deref(), Some("required"));
    typed(&mut a, "out.vcf");
    update(&mut a, Action::PrevField);
    update(&mut a, Action::PickNext); // 4.0 -> 3.0
    assert_eq!(
        update(&mut a, Action::Submit),
        vec![Effect::ExportVcf {
            v3: true,
            path: "out.vcf".into()
        }]
    );
}

fn preview(empty: bool) -> ImportPreview {
    ImportPreview {
        path: "in.ics".into(),
        incoming: Incoming::Ics(Default::default()),
        headline: "would import 2".into(),
        lines: vec!["skip line 3: no DTSTART".into()],
        empty,
        scroll: 0,
    }
}

#[test]
fn import_asks_for_a_path_then_previews_then_imports_on_y() {
    let mut a = app();
    a.pane = Pane::Schedule;
    assert_eq!(resolve(&a, Key::ch('I')), Some(Action::Import));
    update(&mut a, Action::Import);
    typed(&mut a, "in.ics");
    let fx = update(&mut a, Action::Submit);
    assert_eq!(
        fx,
        vec![Effect::PreviewImport {
            format: FileFormat::Ics,
            path: "in.ics".into(),
            tz: tz()
        }]
    );
    update(&mut a, Action::ImportPreviewed(Box::new(preview(false))));
    assert!(matches!(a.popup, Some(Popup::Preview(_))));
    assert_eq!(keymap::active_context(&a), Context::Preview);
    // Enter and y both confirm; letters do not type anywhere
    assert_eq!(resolve(&a, Key::plain(KeyCode::Enter)), Some(Action::Yes));
    assert_eq!(resolve(&a, Key::ch('y')), Some(Action::Yes));
    assert_eq!(resolve(&a, Key::ch('x')), None);
    let fx = update(&mut a, Action::Yes);
    assert_eq!(fx, vec![Effect::Import(Box::new(preview(false)))]);
    let fx = update(
        &mut a,
        Action::Imported {
            text: "Imported 2 events".into(),
        },
    );
    assert!(a.popup.is_none());
    assert!(!fx.is_empty(), "reloads");
    assert_eq!(a.status.as_ref().unwrap().text, "Imported 2 events");
}

#[test]
fn esc_on_a_preview_writes_nothing_and_an_empty_one_has_nothing_to_confirm() {
    let mut a = app();
    a.pane = Pane::Contacts;
    update(&mut a, Action::Import);
    update(&mut a, Action::ImportPreviewed(Box::new(preview(false))));
    assert!(update(&mut a, Action::Close).is_empty());
    assert!(a.popup.is_none());
    assert!(a.status.as_ref().unwrap().text.contains("nothing written"));
    update(&mut a, Action::Import);
    update(&mut a, Action::ImportPreviewed(Box::new(preview(true))));
    assert!(update(&mut a, Action::Yes).is_empty());
    assert!(a.popup.is_none());
}

#[test]
fn a_preview_arriving_after_the_form_was_closed_is_ignored() {
    let mut a = app();
    update(&mut a, Action::ImportPreviewed(Box::new(preview(false))));
    assert!(a.popup.is_none());
}

fn load_schedule(a: &mut App, events: Vec<Event>) {
    load_schedule_with(a, events, vec![]);
}
/// [`load_schedule`] with travel segments.
fn load_schedule_with(a: &mut App, events: Vec<Event>, segments: Vec<Segment>) {
    let Effect::Load(Load::Schedule {
        from, to, search, ..
    }) = schedule::load(a)
    else {
        panic!()
    };
    update(
        a,
        Action::Loaded(Loaded::Schedule {
            from,
            to,
            search,
            events,
            segments,
            skipped: 0,
        }),
    );
}

#[test]
fn t_splits_a_series_at_the_selected_occurrence_as_one_series_effect() {
    let mut a = app();
    a.pane = Pane::Schedule;
    assert_eq!(resolve(&a, Key::ch('T')), Some(Action::EditFollowing));
    let mut weekly = event(1, "Weekly sync", 9, 0, 30);
    weekly.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
    load_schedule(&mut a, vec![weekly.clone()]);
    update(&mut a, Action::Down);
    update(&mut a, Action::EditFollowing);
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("no form")
    };
    assert!(f.title().contains("this and following"), "{}", f.title());
    assert!(f.series.as_ref().unwrap().following);
    typed(&mut a, " v2");
    let fx = update(&mut a, Action::Submit);
    let [Effect::Series { change, before, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(before, &vec![weekly]);
    assert_eq!(change.update.len(), 1, "the old part ends");
    assert!(
        change.update[0]
            .rrule
            .as_deref()
            .unwrap()
            .contains("UNTIL=")
    );
    assert_eq!(change.insert.len(), 1, "a new series from this occurrence");
    assert_eq!(change.insert[0].title, "Weekly sync v2");
    assert_eq!(
        change.insert[0].rrule.as_deref(),
        Some("FREQ=WEEKLY;BYDAY=MO")
    );
}

#[test]
fn t_on_a_single_event_says_so() {
    let mut a = app();
    a.pane = Pane::Schedule;
    load_schedule(&mut a, vec![event(1, "Once", 9, 0, 30)]);
    assert!(update(&mut a, Action::EditFollowing).is_empty());
    assert!(a.popup.is_none());
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("not a repeating event")
    );
}

#[test]
fn f2_in_the_event_form_asks_for_slots_and_picking_one_fills_start_and_end() {
    let mut a = app();
    a.pane = Pane::Schedule;
    update(&mut a, Action::Add);
    assert_eq!(
        resolve(&a, Key::plain(KeyCode::F(2))),
        Some(Action::FreeSlots)
    );
    assert_eq!(resolve(&a, Key::ctrl('n')), Some(Action::FreeSlots));
    typed(&mut a, "Prep");
    update(&mut a, Action::NextField);
    update(&mut a, Action::NextField);
    typed(&mut a, "30m");
    let fx = update(&mut a, Action::FreeSlots);
    match fx.as_slice() {
        [
            Effect::FindSlots {
                from,
                duration,
                hours,
                exclude: None,
                ..
            },
        ] => {
            assert_eq!(*from, now(), "the start day is today: from now");
            assert_eq!(*duration, Duration::minutes(30));
            assert_eq!(hours.start, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        }
        other => panic!("{other:?}"),
    }
    let s1 = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let s2 = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    update(
        &mut a,
        Action::Slots(vec![
            (s1, s1 + Duration::minutes(30)),
            (s2, s2 + Duration::minutes(30)),
        ]),
    );
    update(&mut a, Action::PickNext);
    update(&mut a, Action::PickNext);
    let Some(Popup::Form(f)) = &a.popup else {
        panic!()
    };
    assert_eq!(f.slot, Some(1));
    assert_eq!(f.fields[1].text(), "2026-11-24 09:00");
    assert_eq!(f.fields[2].text(), "2026-11-24 09:30");
    match update(&mut a, Action::Submit).as_slice() {
        [
            Effect::Save {
                record: Record::Event(e),
                ..
            },
        ] => assert_eq!(e.time.start_in(tz()), s2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn f2_outside_an_event_form_explains() {
    let mut a = app();
    a.pane = Pane::Tasks;
    update(&mut a, Action::Add);
    assert!(update(&mut a, Action::FreeSlots).is_empty());
    assert!(a.status.as_ref().unwrap().text.contains("event form"));
    assert!(matches!(a.popup, Some(Popup::Form(_))));
}

#[test]
fn f_in_the_schedule_opens_a_meeting_form_with_slots_on_the_way() {
    let mut a = app();
    a.pane = Pane::Schedule;
    assert_eq!(resolve(&a, Key::ch('f')), Some(Action::FreeSlots));
    let fx = update(&mut a, Action::FreeSlots);
    assert!(matches!(&a.popup, Some(Popup::Form(f)) if f.kind == form::FormKind::Event));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::FindSlots { from, duration, .. }
            if *from == now() && *duration == Duration::hours(1))),
        "{fx:?}"
    );
    let s = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    update(&mut a, Action::Slots(vec![(s, s + Duration::hours(1))]));
    update(&mut a, Action::PickNext);
    // typing the title keeps the proposals; typing a new length drops them
    typed(&mut a, "Call");
    let Some(Popup::Form(f)) = &a.popup else {
        panic!()
    };
    assert_eq!(f.slots.len(), 1);
    assert_eq!(f.fields[1].text(), "2026-11-23 13:00");
    update(&mut a, Action::NextField);
    update(&mut a, Action::NextField);
    typed(&mut a, "x");
    let Some(Popup::Form(f)) = &a.popup else {
        panic!()
    };
    assert!(f.slots.is_empty());
}

fn event_on(id: i64, title: &str, day: NaiveDate, h: u32) -> Event {
    let mut e = event(id, title, h, 0, 30);
    let start = local_midnight_utc(day) + Duration::hours(h as i64);
    e.time = EventTime::Timed {
        start,
        end: start + Duration::minutes(30),
        tz: tz(),
    };
    e
}
fn local_midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    crate::domain::event::local_midnight(day, tz())
}
/// What the shell would answer for the Schedule's current window, from `all`.
fn answer_schedule(a: &mut App, all: &[Event]) {
    let Effect::Load(Load::Schedule { from, to, .. }) = schedule::load(a) else {
        panic!()
    };
    let events = all
        .iter()
        .filter(|e| e.time.start_in(tz()) < to && e.time.end_in(tz()) > from)
        .cloned()
        .collect();
    load_schedule(a, events);
}
fn selected_title(a: &App) -> String {
    a.schedule
        .current()
        .map(|e| e.title.clone())
        .unwrap_or_default()
}

#[test]
fn schedule_navigation_selects_the_first_item_of_the_target_day_in_the_new_window() {
    let dec = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
    let all = vec![
        event_on(1, "Mon early", d(23), 8),
        event_on(2, "Mon late", d(23), 15),
        event_on(3, "Tue first", d(24), 9),
        event_on(4, "Tue second", d(24), 11),
        event_on(5, "Wed", d(25), 9),
        event_on(6, "Nov 30", d(30), 9),
        event_on(7, "Dec 22", dec(22), 9),
        event_on(8, "Dec 28", dec(28), 9),
        event_on(9, "Dec 31", dec(31), 9),
    ];
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule));
    answer_schedule(&mut a, &all);
    // opening: today's first item not over yet (10:00 now, "Mon early" ended at 08:30)
    assert_eq!(selected_title(&a), "Mon late");
    // agenda l: the window starts on Tuesday, and Tuesday's first item is selected
    let fx = update(&mut a, Action::Next);
    assert!(matches!(&fx[..], [Effect::Load(Load::Schedule { .. })]));
    answer_schedule(&mut a, &all);
    assert_eq!(selected_title(&a), "Tue first");
    // month view from there: the selected day is kept
    update(&mut a, Action::CycleView); // day (Tue 24)
    answer_schedule(&mut a, &all);
    assert_eq!(selected_title(&a), "Tue first");
    update(&mut a, Action::CycleView); // week
    answer_schedule(&mut a, &all);
    assert_eq!(selected_title(&a), "Tue first");
    update(&mut a, Action::CycleView); // month
    answer_schedule(&mut a, &all);
    assert_eq!(selected_title(&a), "Tue first");
    // month l: December, on the first item on or after the 24th (not the last of the month)
    update(&mut a, Action::Next);
    answer_schedule(&mut a, &all);
    assert_eq!(a.schedule.date, dec(24));
    assert_eq!(selected_title(&a), "Dec 28");
    // month t: back to November, on today's first item not over yet (not the first of the
    // month)
    update(&mut a, Action::GoToday);
    answer_schedule(&mut a, &all);
    assert_eq!(selected_title(&a), "Mon late");
    // a window whose items all lie before the target day: the last one before it
    update(&mut a, Action::Next); // December again, from the 23rd
    let early: Vec<Event> = all
        .iter()
        .filter(|e| e.id != 8 && e.id != 9)
        .cloned()
        .collect();
    answer_schedule(&mut a, &early);
    assert_eq!(selected_title(&a), "Dec 22");
}

/// The month view reads its whole grid (26 Oct to 6 Dec for November) and counts each day's
/// events and travel; its list, title and selection keep to the month.
#[test]
fn the_month_reads_its_grid_counts_travel_and_lists_the_month_only() {
    let dec = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
    let oct30 = NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule));
    for _ in 0..3 {
        update(&mut a, Action::CycleView);
    }
    assert_eq!(a.schedule.view, schedule::View::Month);
    assert_eq!(a.schedule.grid(), (d(26) - Duration::days(31), dec(7)));
    let Effect::Load(Load::Schedule { from, to, .. }) = schedule::load(&a) else {
        panic!()
    };
    assert_eq!(
        (from, to),
        (
            local_midnight_utc(oct30 - Duration::days(4)),
            local_midnight_utc(dec(7))
        )
    );
    // a two-night hotel from Mon 30 Nov 15:00 (Stockholm) and a flight on 2 Dec
    let mut hotel = segment(1, 1, 0, 0);
    hotel.kind = SegmentKind::Hotel;
    hotel.depart = local_midnight_utc(d(30)) + Duration::hours(15);
    hotel.arrive = local_midnight_utc(dec(2)) + Duration::hours(11);
    let mut flight = segment(2, 1, 0, 0);
    flight.depart = local_midnight_utc(dec(2)) + Duration::hours(9);
    flight.arrive = flight.depart + Duration::hours(2);
    load_schedule_with(
        &mut a,
        vec![
            event_on(1, "Oct 30", oct30, 10),
            event_on(2, "Nov 23", d(23), 15),
            event_on(3, "Dec 1", dec(1), 10),
        ],
        vec![hotel, flight],
    );
    let s = &a.schedule;
    let counts: Vec<(NaiveDate, usize)> = [oct30, d(23), d(29), d(30), dec(1), dec(2), dec(3)]
        .into_iter()
        .map(|day| (day, s.count_on(day)))
        .collect();
    assert_eq!(
        counts,
        [
            (oct30, 1),
            (d(23), 1),
            (d(29), 0),
            (d(30), 1),
            (dec(1), 2),
            (dec(2), 2),
            (dec(3), 0)
        ]
    );
    // listed: November's event and the hotel that begins in November, nothing of the days
    // around it
    assert_eq!(selected_title(&a), "Nov 23");
    assert_eq!(a.schedule.occs.len(), 1);
    assert_eq!(a.schedule.conflicted.len(), 1);
    let ids: Vec<i64> = a.schedule.segments.iter().map(|sg| sg.id).collect();
    assert_eq!(ids, [1]);
    // another view keeps no grid counts
    update(&mut a, Action::CycleView);
    load_schedule(&mut a, vec![]);
    assert!(a.schedule.counts.is_empty());
}

fn all_day(id: i64, title: &str, first: NaiveDate, last: NaiveDate) -> Event {
    let mut e = event(id, title, 0, 0, 0);
    e.time = EventTime::AllDay {
        start: first,
        end: last + Duration::days(1),
    };
    e
}

#[test]
fn opening_the_schedule_selects_today_not_a_conference_that_began_on_saturday() {
    let all = vec![
        all_day(1, "Forum", d(21), d(25)),
        event_on(2, "Sat talk", d(21), 10),
        event_on(3, "Mon early", d(23), 8),
        event_on(4, "Mon late", d(23), 15),
    ];
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule));
    answer_schedule(&mut a, &all);
    // the Forum is on today too (since Saturday, until Wednesday) and not over
    assert_eq!(selected_title(&a), "Forum");
    // v opens the day view of TODAY, not of the Saturday the Forum began on
    update(&mut a, Action::CycleView);
    assert_eq!(a.schedule.view, schedule::View::Day);
    assert_eq!(a.schedule.date, d(23));
    assert_eq!(a.schedule.scroll, 0, "the new view starts at its top");
    answer_schedule(&mut a, &all);
    assert_eq!(selected_title(&a), "Forum");
    // week and month: still this week / month, today's item
    update(&mut a, Action::CycleView);
    assert_eq!(a.schedule.date, d(23));
    // scrolled far down in one view, the next starts from its top
    a.schedule.scroll = 40;
    update(&mut a, Action::GoToday);
    assert_eq!(a.schedule.scroll, 0);
    // without the Forum: today's first item not over yet
    let rest: Vec<Event> = all.into_iter().skip(1).collect();
    update(&mut a, Action::ShowPane(Pane::Today));
    update(&mut a, Action::ShowPane(Pane::Schedule));
    answer_schedule(&mut a, &rest);
    assert_eq!(selected_title(&a), "Mon late");
}

#[test]
fn today_says_how_many_more_overdue_and_enter_lists_them_in_tasks() {
    let mut a = app();
    let mut data = today_data();
    data.counts.overdue_tasks = 40; // one listed, 39 more
    data.counts.invoices_due = 5; // two listed
    update(&mut a, Action::Loaded(Loaded::Today(data)));
    let items = a.today.items();
    assert_eq!(items[0], today::TodayItem::Task(0));
    assert_eq!(items[1], today::TodayItem::More(today::More::Overdue));
    assert_eq!(a.today.more(today::More::Overdue), 39);
    assert_eq!(a.today.more(today::More::DueToday), 0);
    assert!(items.contains(&today::TodayItem::More(today::More::Invoices)));
    // x on the line does nothing but say what Enter does
    update(&mut a, Action::Down);
    assert!(update(&mut a, Action::Done).is_empty());
    let fx = update(&mut a, Action::Open);
    assert_eq!(a.pane, Pane::Tasks);
    assert!(a.tasks.overdue_only);
    let [Effect::Load(Load::Tasks { overdue, .. })] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(*overdue, Some((now(), tz())));
    // O shows all open tasks again
    let fx = update(&mut a, Action::ToggleOverdue);
    assert!(!a.tasks.overdue_only);
    assert!(matches!(
        &fx[..],
        [Effect::Load(Load::Tasks { overdue: None, .. })]
    ));
}

#[test]
fn a_refresh_that_found_the_database_busy_is_tried_again_on_the_next_poll() {
    let mut a = app();
    update(&mut a, Action::DataVersion(7));
    // a tick's reload gave up: another process held the database
    update(
        &mut a,
        Action::Busy {
            what: "loading".into(),
        },
    );
    assert_eq!(a.status.as_ref().unwrap().level, Level::Warn);
    // the next poll reloads even though no other write happened meanwhile
    let fx = update(&mut a, Action::DataVersion(7));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Load(Load::Today { .. }))),
        "{fx:?}"
    );
    assert!(
        update(&mut a, Action::DataVersion(7)).is_empty(),
        "then quiet"
    );
}

#[test]
fn labels_are_cut_by_display_width_with_an_ellipsis() {
    let long = task(
        1,
        "Reply to the board about the agenda after Tove's questions",
        None,
        Priority::Normal,
    );
    let l = Record::Task(long).label();
    assert_eq!(l, "task 'Reply to the board about the agenda aft…'"); // 40 columns
    let wide = task(
        2,
        "東京の会議の議事録を送る東京の会議の議事録を送る東京の会議",
        None,
        Priority::Normal,
    );
    let l = Record::Task(wide).label();
    let inner = l.trim_start_matches("task '").trim_end_matches('\'');
    assert!(
        unicode_width::UnicodeWidthStr::width(inner) <= 40,
        "{inner}"
    );
    assert!(inner.ends_with('…'), "{inner}");
    let short = Record::Task(task(3, "Call Anna", None, Priority::Normal)).label();
    assert_eq!(short, "task 'Call Anna'");
}

#[test]
fn snooze_offers_ready_answers_by_number_or_arrow_and_still_takes_a_typed_date() {
    let until = |fx: &[Effect]| match saved(fx).0 {
        Record::Task(t) => t.snoozed_until.unwrap(),
        other => panic!("{other:?}"),
    };
    let at9 = |day: u32| Utc.with_ymd_and_hms(2026, 11, day, 8, 0, 0).unwrap();
    let mut a = loaded_today();
    update(&mut a, Action::Snooze);
    let Some(Popup::Prompt(p)) = &a.popup else {
        panic!()
    };
    let shown: Vec<&str> = p.choices.iter().map(|(_, s)| s.as_str()).collect();
    // on a Monday "in a week" is next Monday: offered once
    assert_eq!(
        shown,
        [
            "tomorrow, Tue 24 Nov 09:00",
            "next Monday, Mon 30 Nov 09:00"
        ]
    );
    // 2 (replacing the suggestion) then Enter: next Monday
    type_str(&mut a, "2");
    let Some(Popup::Prompt(p)) = &a.popup else {
        panic!()
    };
    assert_eq!(p.choice(), Some(1));
    assert_eq!(p.preview, vec!["→ Mon 30 Nov 2026 09:00".to_string()]);
    assert_eq!(until(&update(&mut a, Action::Submit)), at9(30));
    // ↓ walks the answers
    a.popup = None;
    update(&mut a, Action::Snooze);
    update(&mut a, Action::PickNext); // "tomorrow" -> next Monday
    assert_eq!(until(&update(&mut a, Action::Submit)), at9(30));
    a.popup = None;
    update(&mut a, Action::Snooze);
    update(&mut a, Action::PickNext); // -> next Monday
    update(&mut a, Action::PickNext); // -> back to tomorrow
    assert_eq!(until(&update(&mut a, Action::Submit)), at9(24));
    // a typed date beginning with a digit is a date, not a choice
    a.popup = None;
    update(&mut a, Action::Snooze);
    type_str(&mut a, "12 dec");
    let t = until(&update(&mut a, Action::Submit));
    assert_eq!(t, Utc.with_ymd_and_hms(2026, 12, 12, 8, 0, 0).unwrap());
}

#[test]
fn delegate_suggests_contacts_as_you_type_and_takes_any_name() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Tasks));
    update(
        &mut a,
        Action::Loaded(Loaded::Tasks {
            search: None,
            offset: 0,
            rows: vec![task(1, "Book the venue", Some(d(25)), Priority::Normal)],
            total: 1,
            skipped: 0,
        }),
    );
    update(&mut a, Action::Delegate);
    let fx = type_str(&mut a, "maj");
    assert_eq!(fx.last(), Some(&Effect::SuggestContacts("maj".into())));
    update(
        &mut a,
        Action::Suggestions {
            query: "maj".into(),
            contacts: vec![(4, "Maja Lind".into()), (9, "Majken Ek".into())],
        },
    );
    update(&mut a, Action::PickNext);
    update(&mut a, Action::PickNext);
    let Some(Popup::Prompt(p)) = &a.popup else {
        panic!()
    };
    assert_eq!(p.input.text(), "Majken Ek");
    let fx = update(&mut a, Action::Submit);
    let Record::Task(t) = saved(&fx).0 else {
        panic!()
    };
    assert_eq!(t.delegated_to, "Majken Ek");
    assert_eq!(t.status, TaskStatus::Waiting);
    // free text is fine too
    a.popup = None;
    update(&mut a, Action::Delegate);
    type_str(&mut a, "the travel agency");
    let fx = update(&mut a, Action::Submit);
    let Record::Task(t) = saved(&fx).0 else {
        panic!()
    };
    assert_eq!(t.delegated_to, "the travel agency");
}

#[test]
fn enter_on_a_snooze_in_the_past_saves_nothing_and_keeps_the_error() {
    let mut a = loaded_today();
    for past in ["yesterday", "today", "mon 8:00"] {
        a.popup = None;
        update(&mut a, Action::Snooze);
        type_str(&mut a, past);
        // the same rule and words as `secretaire snooze`
        let Some(Popup::Prompt(p)) = &a.popup else {
            panic!()
        };
        let shown = p.error.clone().unwrap_or_default();
        assert!(
            shown.ends_with("is not in the future") || shown.contains("give a time"),
            "{past}: {shown:?}"
        );
        let fx = update(&mut a, Action::Submit);
        assert!(fx.is_empty(), "{past}: {fx:?}");
        let Some(Popup::Prompt(p)) = &a.popup else {
            panic!("{past}: the prompt stays open")
        };
        assert_eq!(p.error.as_deref(), Some(shown.as_str()), "{past}");
    }
    // corrected, it saves
    a.popup = None;
    update(&mut a, Action::Snooze);
    type_str(&mut a, "fri");
    assert!(!update(&mut a, Action::Submit).is_empty());
}

#[test]
fn this_and_following_shows_the_count_that_is_left_and_saves_that() {
    let mut a = app();
    a.pane = Pane::Schedule;
    // weekly, 8 times, from three weeks ago: today is the 4th, 5 are left from it
    let mut weekly = event(1, "Weekly sync", 11, 0, 30);
    let start = Utc.with_ymd_and_hms(2026, 11, 2, 11, 0, 0).unwrap();
    weekly.time = EventTime::Timed {
        start,
        end: start + Duration::minutes(30),
        tz: tz(),
    };
    weekly.rrule = Some("FREQ=WEEKLY;COUNT=8".into());
    // one of the following ones is skipped: it stays skipped in the new series
    weekly.exdates = vec![d(30).and_hms_opt(12, 0, 0).unwrap()];
    load_schedule(&mut a, vec![weekly.clone()]);
    assert_eq!(selected_title(&a), "Weekly sync");
    update(&mut a, Action::EditFollowing);
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("no form")
    };
    let rule = f.fields.iter().find(|f| f.key == "rrule").unwrap();
    assert_eq!(rule.text(), "FREQ=WEEKLY;COUNT=5");
    let shown = rule.preview.clone().unwrap_or_default();
    assert!(shown.contains('5') && !shown.contains('8'), "{shown}");
    typed(&mut a, " v2");
    let fx = update(&mut a, Action::Submit);
    let [Effect::Series { change, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(
        change.insert[0].rrule.as_deref(),
        Some("FREQ=WEEKLY;COUNT=5")
    );
    assert_eq!(
        change.insert[0].exdates, weekly.exdates,
        "saved as the series' own rule: its exceptions go along"
    );
}

#[test]
fn on_a_tuesday_the_three_snooze_answers_are_three_dates() {
    let mut a = loaded_today();
    a.now = now() + Duration::days(1);
    update(&mut a, Action::Snooze);
    let Some(Popup::Prompt(p)) = &a.popup else {
        panic!()
    };
    let shown: Vec<&str> = p.choices.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        shown,
        [
            "tomorrow, Wed 25 Nov 09:00",
            "next Monday, Mon 30 Nov 09:00",
            "in a week, Tue 1 Dec 09:00"
        ]
    );
}

#[test]
fn a_message_from_the_last_action_is_gone_with_the_next_key() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule));
    update(&mut a, Action::CycleView);
    assert_eq!(a.status.as_ref().unwrap().text, "day view");
    // the next key (opening a prompt, moving) starts without it
    update(&mut a, Action::Search);
    assert!(a.status.is_none(), "{:?}", a.status);
    update(&mut a, Action::Close);
    // an effect's answer or a tick does not clear what the action said
    update(&mut a, Action::CycleView);
    update(&mut a, Action::Tick(now() + Duration::seconds(1)));
    assert_eq!(a.status.as_ref().unwrap().text, "week view");
}

#[test]
fn a_schedule_reload_keeps_the_selection_on_its_occurrence() {
    let mut a = app();
    update(&mut a, Action::ShowPane(Pane::Schedule));
    // tomorrow's events with these ids, at 8:00 (3), 9:00 (1) and 10:00 (2) UTC
    let tomorrow = |ids: &[i64]| -> Vec<Event> {
        ids.iter()
            .map(|&id| {
                let h = [9, 10, 8][(id - 1) as usize];
                let mut e = event(id, "E", h, 0, 30);
                if let EventTime::Timed { start, end, .. } = &mut e.time {
                    *start += Duration::days(1);
                    *end += Duration::days(1);
                }
                e
            })
            .collect()
    };
    load_schedule(&mut a, tomorrow(&[1, 2]));
    update(&mut a, Action::Bottom);
    assert_eq!(a.schedule.current().map(|e| e.id), Some(2));
    // another process adds one before it: the same window comes back with it
    load_schedule(&mut a, tomorrow(&[3, 1, 2]));
    assert_eq!(a.schedule.current().map(|e| e.id), Some(2));
    // gone: the nearest row
    load_schedule(&mut a, tomorrow(&[3, 1]));
    assert_eq!(a.schedule.current().map(|e| e.id), Some(1));
}
