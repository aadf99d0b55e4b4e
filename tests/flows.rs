//! Flow tests: synthetic keys through the real wiring (`tui::step`: keymap -> update ->
//! effects against a temp SQLite store -> render on a TestBackend), asserting both the screen
//! and the rows. Also the insta snapshots of every pane, the help overlay and a form, and
//! style assertions where colour carries meaning. Time is fixed (FixedClock).
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use secretaire::app::{App, Pane};
use secretaire::clock::FixedClock;
use secretaire::config::Config;
use secretaire::domain::{
    Contact, Currency, Due, Event as Ev, EventStatus, EventTime, Invoice, InvoiceStatus, Labeled,
    Money, Priority, Segment, SegmentKind, SegmentStatus, Task, TaskKind, TaskStatus, Trip,
};
use secretaire::store::{ContactQuery, Store, TaskQuery};
use secretaire::tui::{self, Step};

const TZ: chrono_tz::Tz = chrono_tz::Europe::Stockholm;

fn now() -> DateTime<Utc> {
    // Monday 23 November 2026, 10:00 in Stockholm
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}
fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}
fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

/// A small, fixed data set: two contacts, tasks, today's events (one overlap, one
/// cancelled), a trip with a flight and a hotel, invoices (overdue, due soon, paid).
fn fixture(s: &Store) -> (i64, i64) {
    let anna = s
        .insert_contact(&Contact {
            uid: "anna@test".into(),
            name: "Anna Berg".into(),
            organization: "Berg & Co".into(),
            title: "CFO".into(),
            emails: vec![Labeled::new("work", "anna@berg.se")],
            phones: vec![Labeled::new("mobile", "+46 70 123 45 67")],
            address: "Storgatan 1\n111 22 Stockholm".into(),
            tags: vec!["client".into(), "vip".into()],
            ..Default::default()
        })
        .unwrap();
    let telia = s
        .insert_contact(&Contact {
            uid: "telia@test".into(),
            name: "Telia".into(),
            tags: vec!["vendor".into()],
            ..Default::default()
        })
        .unwrap();
    let mut t = Task::new("Answer Anna about the budget", now() - Duration::days(5));
    t.contact_id = Some(anna);
    t.due = Some(Due::Date(d(11, 20)));
    t.priority = Priority::High;
    s.insert_task(&t).unwrap();
    let mut t = Task::new("Send the signed contract", now() - Duration::days(2));
    t.kind = TaskKind::Letter;
    t.due = Some(Due::Date(d(11, 23)));
    s.insert_task(&t).unwrap();
    let mut t = Task::new("Book dinner for the board", now() - Duration::days(1));
    t.kind = TaskKind::Call;
    t.due = Some(Due::Date(d(11, 27)));
    s.insert_task(&t).unwrap();

    let ev = |title: &str, start: DateTime<Utc>, mins: i64| {
        let mut e = Ev::new(
            title,
            EventTime::Timed {
                start,
                end: start + Duration::minutes(mins),
                tz: TZ,
            },
            now() - Duration::days(3),
        );
        e.uid = format!("{}@test", title.replace(' ', "-"));
        e
    };
    let mut board = ev("Board meeting", at(23, 8, 30), 90);
    board.location = "Room A".into();
    s.insert_event(&board).unwrap();
    s.insert_event(&ev("Press call", at(23, 9, 30), 30))
        .unwrap();
    let mut c = ev("Dentist", at(23, 14, 0), 60);
    c.status = EventStatus::Cancelled;
    s.insert_event(&c).unwrap();
    s.insert_event(&ev("Lunch with Anna", at(24, 11, 0), 60))
        .unwrap();
    s.insert_event(&ev("Budget review", at(26, 13, 0), 60))
        .unwrap();

    let seg = |kind, number: &str, conf: &str, o: &str, de: &str, dep, dtz, arr, atz| Segment {
        id: 0,
        trip_id: 0,
        uid: format!("{number}@test"),
        kind,
        provider: "SAS".into(),
        number: number.into(),
        confirmation: conf.into(),
        origin: o.into(),
        destination: de.into(),
        depart: dep,
        depart_tz: dtz,
        arrive: arr,
        arrive_tz: atz,
        seat: "12A".into(),
        cost: Some(Money::new(450000, Currency::SEK)),
        status: SegmentStatus::Booked,
        notes: String::new(),
    };
    let ny = chrono_tz::America::New_York;
    let mut hotel = seg(
        SegmentKind::Hotel,
        "",
        "H-7781",
        "Marriott Downtown",
        "New York",
        at(25, 20, 0),
        ny,
        at(27, 16, 0),
        ny,
    );
    hotel.provider = "Marriott".into();
    hotel.seat = "1204".into();
    s.insert_trip(&Trip {
        id: 0,
        name: "New York board visit".into(),
        purpose: "Board meeting".into(),
        notes: String::new(),
        segments: vec![
            seg(
                SegmentKind::Flight,
                "SK 1417",
                "ABC123",
                "ARN",
                "CPH",
                at(25, 7, 0),
                TZ,
                at(25, 8, 10),
                TZ,
            ),
            seg(
                SegmentKind::Flight,
                "SK 925",
                "ABC123",
                "CPH",
                "EWR",
                at(25, 9, 30),
                TZ,
                at(25, 18, 20),
                ny,
            ),
            hotel,
        ],
    })
    .unwrap();

    let inv =
        |vendor: Option<i64>, name: &str, no: &str, due: NaiveDate, minor: i64, cur| Invoice {
            id: 0,
            vendor_id: vendor,
            vendor_name: name.into(),
            number: no.into(),
            issue_date: d(11, 1),
            due_date: due,
            amount: Money::new(minor, cur),
            status: InvoiceStatus::Received,
            paid_date: None,
            payment_ref: format!("OCR {no}"),
            document_path: String::new(),
            notes: String::new(),
        };
    s.insert_invoice(&inv(
        Some(telia),
        "Telia",
        "T-1001",
        d(11, 18),
        124900,
        Currency::SEK,
    ))
    .unwrap();
    s.insert_invoice(&inv(
        None,
        "Hotel Diplomat",
        "HD-77",
        d(11, 26),
        890000,
        Currency::SEK,
    ))
    .unwrap();
    let mut paid = inv(None, "SAS", "SAS-9", d(11, 10), 45000, Currency::EUR);
    paid.mark_paid(d(11, 9));
    s.insert_invoice(&paid).unwrap();
    (anna, telia)
}

struct H {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    clock: FixedClock,
    app: App,
    term: Terminal<TestBackend>,
    last: Step,
}

impl H {
    fn new(w: u16, h: u16) -> H {
        H::with(w, h, true)
    }
    fn with(w: u16, h: u16, data: bool) -> H {
        let config = Config {
            timezone: TZ,
            bell: false,
            ..Config::default()
        };
        H::with_config(w, h, data, config, vec![])
    }
    fn with_config(w: u16, h: u16, data: bool, config: Config, warnings: Vec<String>) -> H {
        H::prepared(w, h, config, warnings, |s| {
            if data {
                fixture(s);
            }
        })
    }
    /// The fixture and then `more` written before the UI starts.
    fn setup(w: u16, h: u16, more: impl FnOnce(&Store)) -> H {
        let config = Config {
            timezone: TZ,
            bell: false,
            ..Config::default()
        };
        H::prepared(w, h, config, vec![], |s| {
            fixture(s);
            more(s);
        })
    }
    fn prepared(
        w: u16,
        h: u16,
        config: Config,
        warnings: Vec<String>,
        setup: impl FnOnce(&Store),
    ) -> H {
        H::prepared_at(w, h, config, warnings, now(), setup)
    }
    /// [`H::prepared`] with the clock at `now`.
    fn prepared_at(
        w: u16,
        h: u16,
        config: Config,
        warnings: Vec<String>,
        now: DateTime<Utc>,
        setup: impl FnOnce(&Store),
    ) -> H {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open(&path).unwrap();
        setup(&store);
        let clock = FixedClock::new(now);
        let mut app = App::new(&config, now, warnings);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let last = tui::start(&mut app, &store, &clock, &mut term).unwrap();
        H {
            _dir: dir,
            path,
            store,
            clock,
            app,
            term,
            last,
        }
    }
    fn ev(&mut self, e: Option<Event>) {
        self.last = tui::step(&mut self.app, &self.store, &self.clock, e, &mut self.term).unwrap();
    }
    fn code(&mut self, c: KeyCode) {
        self.ev(Some(Event::Key(KeyEvent::new(c, KeyModifiers::NONE))));
    }
    fn keys(&mut self, s: &str) {
        for c in s.chars() {
            self.code(KeyCode::Char(c));
        }
    }
    fn tick(&mut self) {
        self.ev(None);
    }
    fn screen(&self) -> String {
        let buf = self.term.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
    /// Cells whose text starts the first occurrence of `needle` on screen.
    fn find(&self, needle: &str) -> Option<(u16, u16)> {
        let buf = self.term.backend().buffer();
        for y in 0..buf.area.height {
            let mut line = String::new();
            let mut xs = Vec::new();
            for x in 0..buf.area.width {
                let s = buf[(x, y)].symbol();
                for _ in s.chars() {
                    xs.push(x);
                }
                line.push_str(s);
            }
            if let Some(i) = line.find(needle) {
                let ci = line[..i].chars().count();
                return Some((xs[ci], y));
            }
        }
        None
    }
    fn fg_at(&self, pos: (u16, u16)) -> Option<Color> {
        self.term.backend().buffer()[pos].style().fg
    }
    fn bg_at(&self, pos: (u16, u16)) -> Option<Color> {
        self.term.backend().buffer()[pos].style().bg
    }
    fn tasks(&self) -> Vec<Task> {
        self.store
            .list_tasks(&TaskQuery {
                ..Default::default()
            })
            .unwrap()
    }
}

// ------------------------------------------------------------------------------------------
// Snapshots

fn snap_all(w: u16, h: u16) {
    let mut t = H::new(w, h);
    for (i, p) in Pane::ALL.iter().enumerate() {
        t.keys(&(i + 1).to_string());
        assert_eq!(t.app.pane, *p);
        insta::assert_snapshot!(format!("{}_{w}x{h}", p.title().to_lowercase()), t.screen());
    }
    t.keys("1?");
    insta::assert_snapshot!(format!("help_{w}x{h}"), t.screen());
    t.code(KeyCode::Esc);
    t.keys("6a");
    t.keys("Call the bank");
    t.code(KeyCode::Tab);
    t.code(KeyCode::Tab);
    t.code(KeyCode::Tab);
    t.code(KeyCode::Tab);
    t.keys("fri 14:00");
    insta::assert_snapshot!(format!("task_form_{w}x{h}"), t.screen());
}

#[test]
fn snapshots_80x24() {
    snap_all(80, 24);
}

#[test]
fn snapshots_120x40() {
    snap_all(120, 40);
}

#[test]
fn schedule_views_snapshots() {
    let mut t = H::new(100, 30);
    t.keys("2v");
    insta::assert_snapshot!("schedule_day_100x30", t.screen());
    t.keys("v");
    insta::assert_snapshot!("schedule_week_100x30", t.screen());
    t.keys("v");
    insta::assert_snapshot!("schedule_month_100x30", t.screen());
    let s = t.screen();
    assert!(
        s.contains("Month November 2026") || s.contains("Month"),
        "{s}"
    );
}

// ------------------------------------------------------------------------------------------
// Flows: keys -> screen + rows

#[test]
fn add_a_task_through_the_form() {
    let mut t = H::new(100, 30);
    t.keys("6a");
    t.keys("Call the bank");
    for _ in 0..4 {
        t.code(KeyCode::Tab);
    }
    t.keys("fri 14:00");
    assert!(t.screen().contains("→ Fri 27 Nov 2026 14:00"));
    t.code(KeyCode::Enter);
    let rows = t.tasks();
    let new = rows
        .iter()
        .find(|x| x.subject == "Call the bank")
        .expect("saved");
    assert_eq!(new.due, Some(Due::At(at(27, 13, 0))));
    let s = t.screen();
    assert!(s.contains("Call the bank"), "{s}");
    assert!(s.contains("Add task 'Call the bank'"), "{s}");
}

#[test]
fn done_then_undo_in_today() {
    let mut t = H::new(100, 30);
    // first item on Today is the overdue, high-priority task
    assert!(t.screen().contains("Answer Anna about the budget"));
    t.keys("x");
    let done = t
        .tasks()
        .into_iter()
        .find(|x| x.subject.starts_with("Answer Anna"))
        .unwrap();
    assert_eq!(done.status, TaskStatus::Done);
    assert!(t.screen().contains("Tasks  0 overdue"), "{}", t.screen());
    t.keys("u");
    let back = t
        .tasks()
        .into_iter()
        .find(|x| x.subject.starts_with("Answer Anna"))
        .unwrap();
    assert_eq!(back.status, TaskStatus::Open);
    let s = t.screen();
    assert!(
        s.contains("Undid: done task 'Answer Anna about the budget'"),
        "{s}"
    );
    assert!(s.contains("Answer Anna about the budget"));
}

#[test]
fn delete_asks_and_undo_restores_the_same_id() {
    let mut t = H::new(100, 30);
    t.keys("6");
    let id = t.app.tasks.list.current().unwrap().id;
    t.keys("d");
    assert!(t.screen().contains("(y/n)"));
    t.keys("n");
    assert!(t.store.get_task(id).is_ok());
    t.keys("dy");
    assert!(t.store.get_task(id).is_err());
    t.keys("u");
    assert_eq!(t.store.get_task(id).unwrap().id, id);
    assert!(t.screen().contains("Undid: delete"));
}

#[test]
fn invoices_overdue_red_paid_by_key_and_totals() {
    let mut t = H::new(120, 30);
    t.keys("5");
    let s = t.screen();
    assert!(s.contains("Totals"), "{s}");
    // the selected row (first) is highlighted
    let due = t.find("2026-11-18").unwrap();
    assert_eq!(t.bg_at(due), Some(Color::Blue));
    t.keys("j");
    assert_ne!(t.bg_at(due), Some(Color::Blue));
    let pos = t.find("Telia").expect("Telia row");
    assert_eq!(t.fg_at(pos), Some(Color::Red), "overdue invoice is red");
    assert_eq!(t.fg_at(due), Some(Color::Red), "its due date too");
    let soon = t.find("Hotel Diplomat").unwrap();
    assert_ne!(t.fg_at(soon), Some(Color::Red));
    t.keys("k");
    t.keys("p");
    let inv = t
        .store
        .list_invoices(&Default::default())
        .unwrap()
        .into_iter()
        .find(|i| i.number == "T-1001")
        .unwrap();
    assert_eq!(inv.status, InvoiceStatus::Paid);
    assert_eq!(inv.paid_date, Some(d(11, 23)));
    t.keys("u");
    let inv = t
        .store
        .list_invoices(&Default::default())
        .unwrap()
        .into_iter()
        .find(|i| i.number == "T-1001")
        .unwrap();
    assert_eq!(inv.status, InvoiceStatus::Received);
}

#[test]
fn another_process_writing_shows_up_on_the_next_tick() {
    let mut t = H::new(100, 30);
    let other = Store::open(&t.path).unwrap();
    let mut task = Task::new("Written by the CLI", now());
    task.due = Some(Due::Date(d(11, 23)));
    other.insert_task(&task).unwrap();
    assert!(!t.screen().contains("Written by the CLI"));
    t.tick();
    assert!(t.screen().contains("Written by the CLI"), "{}", t.screen());
}

#[test]
fn the_cursor_stays_on_its_record_when_another_process_inserts_above_it() {
    let mut t = H::new(100, 30);
    // Tasks by due: Answer Anna (20 Nov), Send the signed contract (23), Book dinner (27)
    t.keys("6gjj");
    let on = |t: &H| t.app.tasks.list.current().map(|x| x.subject.clone());
    assert_eq!(on(&t).as_deref(), Some("Book dinner for the board"));
    let other = Store::open(&t.path).unwrap();
    let mut above = Task::new("Inserted above", now());
    above.due = Some(Due::Date(d(10, 1)));
    other.insert_task(&above).unwrap();
    t.tick();
    assert!(t.screen().contains("Inserted above"), "{}", t.screen());
    assert_eq!(on(&t).as_deref(), Some("Book dinner for the board"));
    t.keys("x");
    assert!(
        t.screen().contains("Done task 'Book dinner for the board'"),
        "{}",
        t.screen()
    );
    let done: Vec<String> = t
        .tasks()
        .into_iter()
        .filter(|x| x.status == TaskStatus::Done)
        .map(|x| x.subject)
        .collect();
    assert_eq!(done, ["Book dinner for the board"]);
    // Today: on the due-today task, an overdue one is added above it
    t.keys("1");
    let today_on = |t: &H| match t.app.today.current() {
        Some(i) => t.app.today.record(i).map(|r| r.label()),
        None => None,
    };
    while today_on(&t).as_deref() != Some("task 'Send the signed contract'") {
        t.keys("j");
    }
    let mut urgent = Task::new("Urgent from the CLI", now());
    urgent.due = Some(Due::Date(d(11, 22)));
    urgent.priority = Priority::High;
    other.insert_task(&urgent).unwrap();
    t.tick();
    assert!(t.screen().contains("Urgent from the CLI"), "{}", t.screen());
    assert_eq!(
        today_on(&t).as_deref(),
        Some("task 'Send the signed contract'")
    );
    t.keys("x");
    assert!(
        t.screen().contains("Done task 'Send the signed contract'"),
        "{}",
        t.screen()
    );
    // gone (done elsewhere): the nearest item is selected, nothing else is acted on
    let sel = t.app.today.selected;
    let next = t.app.today.items().len();
    let id = t
        .tasks()
        .into_iter()
        .find(|x| x.subject == "Urgent from the CLI")
        .unwrap()
        .id;
    other.delete_task(id).unwrap();
    t.tick();
    assert!(t.app.today.selected <= sel && t.app.today.items().len() < next);
}

#[test]
fn a_failed_write_is_reported_and_keeps_the_typing() {
    let mut t = H::new(100, 30);
    t.keys("6");
    let id = t.app.tasks.list.current().unwrap().id;
    t.keys("e");
    t.keys(" (edited)");
    // meanwhile another process deletes the row
    Store::open(&t.path).unwrap().delete_task(id).unwrap();
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("failed"), "{s}");
    assert!(s.contains("(edited)"), "the form stays with the text: {s}");
}

#[test]
fn quick_capture_links_the_contact() {
    let mut t = H::new(100, 30);
    t.keys(":");
    t.keys("call Anna Berg about budget tomorrow 14:00 !h");
    assert!(t.screen().contains("Budget"));
    t.code(KeyCode::Enter);
    let task = t
        .tasks()
        .into_iter()
        .find(|x| x.subject == "Budget")
        .expect("captured");
    assert_eq!(task.contact_name, "Anna Berg");
    assert_eq!(task.priority, Priority::High);
    assert_eq!(task.kind, TaskKind::Call);
}

#[test]
fn quick_capture_that_is_not_understood_opens_a_form() {
    let mut t = H::new(100, 30);
    t.keys(":");
    t.keys("inv Telia");
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("New invoice"), "{s}");
    assert!(s.contains("Telia"), "{s}");
}

#[test]
fn travel_shows_zones_layovers_and_copies_the_code() {
    let mut t = H::new(120, 30);
    t.keys("3");
    let s = t.screen();
    assert!(s.contains("(Europe/Stockholm)"), "{s}");
    assert!(s.contains("(America/New_York)"), "{s}");
    assert!(s.contains("layover 1h 20m"), "{s}");
    assert!(s.contains("ABC123"), "{s}");
    t.keys("ly");
    assert_eq!(t.last.out, vec![tui::osc52("ABC123")]);
    assert!(t.screen().contains("copied: ABC123"));
}

#[test]
fn contacts_filter_and_detail_with_related_items() {
    let mut t = H::new(100, 30);
    t.keys("4/tel");
    let s = t.screen();
    assert!(s.contains("Telia") && !s.contains("Anna Berg"), "{s}");
    t.code(KeyCode::Esc);
    assert!(t.screen().contains("Anna Berg"));
    // no contact contains "abrg": the filter falls back to fuzzy matching
    t.keys("/abrg");
    let s = t.screen();
    assert!(s.contains("Anna Berg") && !s.contains("Telia"), "{s}");
    t.code(KeyCode::Enter); // Enter keeps the filter and closes the prompt
    t.code(KeyCode::Enter); // open the contact
    let s = t.screen();
    assert!(s.contains("Open tasks (1)"), "{s}");
    assert!(s.contains("Answer Anna about the budget"), "{s}");
    assert!(s.contains("anna@berg.se"), "{s}");
}

#[test]
fn search_everything_opens_the_record() {
    let mut t = H::new(100, 30);
    t.keys("F");
    t.keys("diplomat");
    assert!(t.screen().contains("Hotel Diplomat"));
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("invoice 'Hotel Diplomat HD-77'"), "{s}");
    assert!(s.contains("8 900.00 SEK"), "{s}");
}

#[test]
fn stored_escape_sequences_are_rendered_harmlessly() {
    let mut t = H::new(100, 30);
    let conn = rusqlite::Connection::open(&t.path).unwrap();
    conn.execute(
        "UPDATE contacts SET name = ?1 WHERE name = 'Telia'",
        ["Evil\u{1b}[2J\u{1b}]0;pwned\u{7}Co"],
    )
    .unwrap();
    t.keys("4");
    let s = t.screen();
    assert!(s.contains("Evil␛[2J␛]0;pwned␇Co"), "{s}");
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'));
}

#[test]
fn any_size_renders_and_small_ones_say_so() {
    let mut t = H::new(80, 24);
    for (w, h) in [
        (1, 1),
        (10, 3),
        (39, 30),
        (100, 11),
        (40, 12),
        (41, 13),
        (80, 24),
        (250, 70),
    ] {
        t.term.backend_mut().resize(w, h);
        for k in ["1", "2", "v", "v", "v", "3", "4", "5", "6", "?"] {
            t.keys(k);
            if k == "?" {
                t.code(KeyCode::Esc);
            }
        }
        t.keys("6a");
        t.keys("x");
        let s = t.screen();
        if w < 40 || h < 12 {
            assert!(s.contains("Terminal") || w < 10, "{w}x{h}: {s}");
        } else {
            assert!(s.contains("New task"), "{w}x{h}: {s}");
        }
        t.code(KeyCode::Esc);
        t.keys("y");
    }
}

#[test]
fn many_contacts_page_through_the_store() {
    let mut t = H::with(100, 30, false);
    t.store
        .write(|tx| {
            for i in 0..1234 {
                tx.insert_contact(&Contact {
                    uid: format!("c{i}@t"),
                    name: format!("Person {i:05}"),
                    ..Default::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
    t.keys("4");
    assert!(t.app.contacts.list.rows.len() <= 200, "loads one page");
    t.keys("G");
    let s = t.screen();
    assert!(s.contains("Person 01233"), "{s}");
    assert_eq!(
        t.store.count_contacts(&ContactQuery::default()).unwrap(),
        1234
    );
    t.keys("g");
    assert!(t.screen().contains("Person 00000"));
}

/// The binary decides the clock (`SECRETAIRE_NOW` fixes it) and hands it to the UI: no other
/// file reads that variable, so the library never depends on the environment for the time.
#[test]
fn only_main_reads_the_clock_override() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    let var = concat!("\"SECRETAIRE", "_NOW\"");
    let readers: Vec<_> = files
        .iter()
        .filter(|p| std::fs::read_to_string(p).unwrap().contains(var))
        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert_eq!(readers, vec!["src/main.rs".to_string()]);
}

/// docs/keys.md is generated from the key table; `UPDATE_DOCS=1` rewrites it.
#[test]
fn keys_doc_matches_the_key_table() {
    let want = secretaire::app::keymap::markdown(&secretaire::app::keymap::Keymap::default());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/keys.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have, want,
        "docs/keys.md is stale: run UPDATE_DOCS=1 cargo test --test flows"
    );
}

/// Not a test of speed (no timed tests): a measurement to run by hand,
/// `cargo test --test flows large_db -- --ignored --nocapture`. It prints how long the first
/// screen and each key take on 100k events, 20k contacts and 50k tasks.
#[test]
#[ignore]
fn large_db_measurement() {
    let mut t = H::with(120, 40, false);
    let t0 = std::time::Instant::now();
    // MEASURE_DB=path measures an existing database (e.g. `secretaire demo --size large`)
    if let Some(p) = std::env::var_os("MEASURE_DB") {
        t.store = Store::open(std::path::Path::new(&p)).unwrap();
    } else {
        seed_large(&t.store);
    }
    eprintln!("seeded in {:?}", t0.elapsed());
    measure(&mut t);
}

fn seed_large(store: &Store) {
    store
        .write(|tx| {
            for i in 0..100_000i64 {
                let start = now() - Duration::days(365) + Duration::minutes(i * 317 % (730 * 1440));
                let mut e = Ev::new(
                    format!("Event {i}"),
                    EventTime::Timed {
                        start,
                        end: start + Duration::minutes(45),
                        tz: TZ,
                    },
                    now(),
                );
                e.uid = format!("big{i}@t");
                tx.insert_event(&e)?;
            }
            for i in 0..20_000 {
                tx.insert_contact(&Contact {
                    uid: format!("bc{i}@t"),
                    name: format!("Person {i:05}"),
                    ..Default::default()
                })?;
            }
            for i in 0..50_000i64 {
                let mut task = Task::new(format!("Task {i}"), now() - Duration::days(400));
                task.due = Some(Due::Date(d(11, 23) + Duration::days(i % 200 - 100)));
                tx.insert_task(&task)?;
            }
            Ok(())
        })
        .unwrap();
}

fn measure(t: &mut H) {
    let config = Config {
        timezone: TZ,
        ..Config::default()
    };
    t.app = App::new(&config, now(), vec![]);
    let t1 = std::time::Instant::now();
    tui::start(&mut t.app, &t.store, &t.clock, &mut t.term).unwrap();
    eprintln!("first screen (Today): {:?}", t1.elapsed());
    for k in [
        "2", "v", "v", "v", "l", "l", "t", "4", "G", "g", "6", "G", "j", "o", "5", "1",
    ] {
        let t2 = std::time::Instant::now();
        if k == "\u{1b}" {
            t.code(KeyCode::Esc);
        } else {
            t.keys(k);
        }
        eprintln!("key {k:>2}: {:?}", t2.elapsed());
    }
    let t3 = std::time::Instant::now();
    t.tick();
    eprintln!("tick: {:?}", t3.elapsed());
}

#[test]
fn long_task_list_keeps_the_selection_on_screen() {
    let mut t = H::with(100, 24, false);
    t.store
        .write(|tx| {
            for i in 0..450i64 {
                let mut task = Task::new(format!("Task number {i:03}"), now() - Duration::days(30));
                task.due = Some(Due::Date(d(11, 1) + Duration::days(i / 5)));
                task.priority = [Priority::High, Priority::Normal, Priority::Low][(i % 3) as usize];
                tx.insert_task(&task)?;
            }
            Ok(())
        })
        .unwrap();
    t.keys("6");
    let check = |t: &H| {
        let cur = t
            .app
            .tasks
            .list
            .current()
            .expect("selected row loaded")
            .subject
            .clone();
        let pos = t
            .find(&cur)
            .unwrap_or_else(|| panic!("{cur} not on screen:\n{}", t.screen()));
        assert_eq!(t.bg_at(pos), Some(Color::Blue), "{cur} highlighted");
    };
    check(&t);
    t.keys("G");
    assert_eq!(t.app.tasks.list.selected, 449);
    check(&t);
    for _ in 0..3 {
        t.code(KeyCode::PageUp);
        check(&t);
    }
    t.keys("g");
    check(&t);
    for _ in 0..30 {
        t.keys("j");
    }
    check(&t);
    t.keys("o"); // by priority: groups change, selection resets to the top
    check(&t);
    assert!(t.screen().contains("high priority"), "{}", t.screen());
}

/// The Today pane at 100x30 on the demo data (what docs/today.txt shows; `UPDATE_DOCS=1`
/// rewrites that file). Skips, saying so, while the demo data is not available.
#[test]
fn today_on_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    if let Err(e) = secretaire::demo::seed(&store, secretaire::demo::DemoSize::Small, now(), TZ) {
        eprintln!("SKIPPED: no demo data ({e})");
        return;
    }
    let clock = FixedClock::new(now());
    let config = Config {
        timezone: TZ,
        bell: false,
        ..Config::default()
    };
    let mut app = App::new(&config, now(), vec![]);
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    tui::start(&mut app, &store, &clock, &mut term).unwrap();
    let buf = term.backend().buffer();
    let mut screen = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        screen.push_str(line.trim_end());
        screen.push('\n');
    }
    for section in ["1 Today", "Tasks", "Schedule", "Travel", "Invoices"] {
        assert!(screen.contains(section), "{section}: {screen}");
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/today.txt");
        std::fs::write(path, &screen).unwrap();
    }
}

#[test]
fn a_huge_paste_into_a_field_does_not_break_anything() {
    let mut t = H::new(80, 24);
    t.keys("6a");
    let big: String = "東京\u{1b}x\n".repeat(30_000);
    t.ev(Some(Event::Paste(big)));
    let s = t.screen();
    assert!(s.contains("New task"), "{s}");
    let f = match &t.app.popup {
        Some(secretaire::app::Popup::Form(f)) => f,
        other => panic!("{other:?}"),
    };
    let text = f.fields[0].text();
    assert_eq!(text.chars().count(), 10_000, "capped");
    assert!(
        !text.chars().any(|c| c.is_control()),
        "control characters dropped"
    );
    assert!(text.starts_with("東京x | 東京x"), "newlines shown as ' | '");
    t.code(KeyCode::Esc);
    t.keys("y");
}

/// By hand, with MEASURE_DB: how long the store queries behind each pane take.
#[test]
#[ignore]
fn large_db_queries() {
    let Some(p) = std::env::var_os("MEASURE_DB") else {
        return;
    };
    let s = Store::open(std::path::Path::new(&p)).unwrap();
    let time = |what: &str, f: &mut dyn FnMut() -> usize| {
        let t = std::time::Instant::now();
        let n = f();
        eprintln!("{what:<40} {n:>6} rows {:?}", t.elapsed());
    };
    let day = d(11, 23);
    let from = secretaire::domain::event::local_midnight(day, TZ);
    use secretaire::store::{EventQuery, InvoiceQuery};
    time("events today", &mut || {
        s.list_events(&EventQuery {
            from: Some(from),
            to: Some(from + Duration::days(3)),
            tz: Some(TZ),
            limit: Some(500),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    time("events month (2000)", &mut || {
        s.list_events(&EventQuery {
            from: Some(from - Duration::days(22)),
            to: Some(from + Duration::days(8)),
            limit: Some(2000),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    let evs = s
        .list_events(&EventQuery {
            from: Some(from),
            to: Some(from + Duration::days(14)),
            limit: Some(2000),
            ..Default::default()
        })
        .unwrap();
    time("expand 2000 (agenda window)", &mut || {
        secretaire::app::today::occurrences(&evs, from, from + Duration::days(14), TZ).len()
    });
    time("events agenda 14d", &mut || {
        s.list_events(&EventQuery {
            from: Some(from),
            to: Some(from + Duration::days(14)),
            limit: Some(2000),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    time("tasks due today (200)", &mut || {
        s.list_tasks(&TaskQuery {
            open_only: true,
            due_to: Some(day),
            tz: Some(TZ),
            limit: Some(200),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    time("tasks due today (200, by due)", &mut || {
        s.list_tasks(&TaskQuery {
            open_only: true,
            due_to: Some(day),
            tz: Some(TZ),
            limit: Some(200),
            order: secretaire::store::TaskOrder::Due,
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    time("tasks due scan (5000)", &mut || {
        s.list_tasks(&TaskQuery {
            open_only: true,
            due_to: Some(day),
            tz: Some(TZ),
            limit: Some(5000),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    time("count overdue", &mut || {
        s.count_tasks(&TaskQuery {
            open_only: true,
            due_to: day.pred_opt(),
            tz: Some(TZ),
            ..Default::default()
        })
        .unwrap() as usize
    });
    time("segments 8d", &mut || {
        s.list_segments(from, from + Duration::days(8))
            .unwrap()
            .len()
    });
    time("invoices due 7d", &mut || {
        s.list_invoices(&InvoiceQuery {
            open_only: true,
            due_to: Some(day + Duration::days(7)),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
    time("count invoices due", &mut || {
        s.count_invoices(&InvoiceQuery {
            open_only: true,
            due_to: Some(day + Duration::days(7)),
            ..Default::default()
        })
        .unwrap() as usize
    });
    time("trips", &mut || {
        s.list_trips(&secretaire::store::TripQuery {
            from: Some(now() - Duration::days(30)),
            limit: Some(200),
            ..Default::default()
        })
        .unwrap()
        .len()
    });
}

#[test]
fn deleting_one_occurrence_of_a_series_and_undo() {
    let mut t = H::with(100, 30, false);
    let weekly = weekly_sync(at(23, 13, 0));
    let id = t.store.insert_event(&weekly).unwrap();
    t.keys("2");
    let s = t.screen();
    assert!(s.contains("Monday 30 November"), "{s}");
    assert_eq!(t.app.schedule.occs.len(), 2);
    t.keys("jd");
    let s = t.screen();
    assert!(
        s.contains("Delete only 'Weekly sync' on Mon 30 Nov 14:00?"),
        "{s}"
    );
    t.keys("y");
    let master = t.store.get_event(id).unwrap();
    assert_eq!(
        master.exdates,
        vec![d(11, 30).and_hms_opt(14, 0, 0).unwrap()],
        "only that occurrence is excluded"
    );
    assert_eq!(t.app.schedule.occs.len(), 1);
    assert!(!t.screen().contains("Monday 30 November"));
    t.keys("u");
    assert!(t.store.get_event(id).unwrap().exdates.is_empty());
    assert_eq!(t.app.schedule.occs.len(), 2);
    assert!(
        t.screen()
            .contains("Undid: delete 'Weekly sync' on Mon 30 Nov 14:00")
    );
}

/// The text inside the popup titled `title`, its lines joined by spaces.
fn popup_text(screen: &str, title: &str) -> String {
    let mut inside = false;
    let mut words = Vec::new();
    for l in screen.lines() {
        if l.contains(&format!("┌ {title} ")) {
            inside = true;
            continue;
        }
        if inside && l.contains('└') {
            break;
        }
        if inside {
            let t = l.split('│').nth(1).unwrap_or("").trim();
            words.extend(t.split_whitespace().map(str::to_string));
        }
    }
    words.join(" ")
}

#[test]
fn the_delete_one_occurrence_question_wraps_whole_at_80_and_100_columns() {
    for w in [80, 100] {
        let mut t = H::with(w, 24, false);
        let mut e = weekly_sync(at(23, 13, 0));
        e.title = "Weekly sync with the regional managers".into();
        t.store.insert_event(&e).unwrap();
        t.keys("2jd");
        let text = popup_text(&t.screen(), "Confirm");
        assert_eq!(
            text,
            "Delete only 'Weekly sync with the regional managers' on Mon 30 Nov 14:00? (y/n) \
             The series stays; delete it from its detail (Enter, d). y yes n no",
            "{w}: {}",
            t.screen()
        );
    }
}

#[test]
fn editing_one_occurrence_writes_an_override_and_undo_removes_it() {
    let mut t = H::with(100, 30, false);
    let weekly = weekly_sync(at(23, 13, 0));
    let id = t.store.insert_event(&weekly).unwrap();
    t.keys("2jE");
    let s = t.screen();
    assert!(s.contains("Edit one occurrence of 'Weekly sync'"), "{s}");
    // change the title of just this one
    t.keys(" (moved)");
    t.code(KeyCode::Enter);
    let series = t.store.list_series("weekly@test").unwrap();
    assert_eq!(series.len(), 2, "master and one override");
    assert_eq!(series[1].title, "Weekly sync (moved)");
    assert_eq!(
        series[1].recurrence_id,
        Some(d(11, 30).and_hms_opt(14, 0, 0).unwrap())
    );
    let s = t.screen();
    assert!(s.contains("Weekly sync (moved)"), "{s}");
    assert_eq!(
        t.app.schedule.occs.len(),
        2,
        "the override replaces its occurrence"
    );
    t.keys("u");
    assert_eq!(t.store.list_series("weekly@test").unwrap().len(), 1);
    assert_eq!(t.store.get_event(id).unwrap().title, "Weekly sync");
    assert!(!t.screen().contains("(moved)"));
}

#[test]
fn popup_snapshots_80x24() {
    let mut t = H::new(80, 24);
    t.keys(":");
    t.keys("mtg Board review fri 14:00-15:30 @Room 3");
    insta::assert_snapshot!("capture_80x24", t.screen());
    t.code(KeyCode::Esc);
    t.keys("F");
    t.keys("anna");
    insta::assert_snapshot!("search_80x24", t.screen());
    t.code(KeyCode::Esc);
    t.keys("4");
    t.code(KeyCode::Enter);
    insta::assert_snapshot!("contact_detail_80x24", t.screen());
    t.code(KeyCode::Esc);
    t.keys("6d");
    insta::assert_snapshot!("confirm_delete_80x24", t.screen());
    t.keys("n");
    t.keys("s");
    insta::assert_snapshot!("snooze_80x24", t.screen());
}

// ------------------------------------------------------------------------------------------
// Files: export and import from the keyboard (same library code as the CLI)

impl H {
    fn ctrl(&mut self, c: char) {
        self.ev(Some(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        ))));
    }
    /// Replace the focused field's text.
    fn retype(&mut self, s: &str) {
        self.code(KeyCode::End);
        self.ctrl('u');
        self.keys(s);
    }
    fn dir(&self) -> std::path::PathBuf {
        self.path.parent().unwrap().to_path_buf()
    }
}

#[test]
fn export_ics_from_the_schedule_writes_a_private_file_the_parser_reads_back() {
    use std::os::unix::fs::PermissionsExt;
    let mut t = H::new(100, 30);
    t.keys("2X");
    let s = t.screen();
    assert!(s.contains("Export calendar (.ics)"), "{s}");
    // defaults: today-30d .. +1 year, travel on
    assert!(s.contains("2026-10-24"), "{s}");
    assert!(s.contains("2027-11-23"), "{s}");
    assert!(s.contains("~/secretaire-2026-11-23.ics"), "{s}");
    // a bad date is shown inline and nothing is written
    t.retype("someday");
    t.code(KeyCode::Enter);
    assert!(t.screen().contains("✗"), "{}", t.screen());
    t.retype("2026-11-01");
    t.code(KeyCode::BackTab); // to the path (wraps)
    let out = t.dir().join("cal.ics");
    t.retype(out.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Exported 5 events, 3 travel segments"), "{s}");
    assert!(t.app.popup.is_none());
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let bytes = std::fs::read(&out).unwrap();
    let report = secretaire::ics::parse(
        &bytes,
        &secretaire::ics::ParseOptions {
            default_tz: TZ,
            now: now(),
        },
    )
    .unwrap();
    // 5 events, and the 3 travel segments (which the importer knows as ours and leaves out)
    assert_eq!(report.items.len(), 5, "{:?}", report.errors);
    assert_eq!(report.errors.len(), 3);
    assert!(
        report
            .errors
            .iter()
            .all(|e| e.message.contains("travel segment"))
    );
    assert!(
        report
            .items
            .iter()
            .any(|i| i.event.title == "Board meeting")
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("VTODO"));
}

#[test]
fn export_ics_with_tasks_toggled_on() {
    let mut t = H::new(100, 30);
    t.keys("2X");
    t.code(KeyCode::Tab);
    t.code(KeyCode::Tab);
    t.code(KeyCode::Down); // travel yes -> no
    t.code(KeyCode::Tab);
    t.code(KeyCode::Down); // tasks no -> yes
    t.code(KeyCode::Tab); // for: standard
    t.code(KeyCode::Tab);
    let out = t.dir().join("with-tasks.ics");
    t.retype(out.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Exported 5 events, 3 tasks"), "{s}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("BEGIN:VTODO").count(), 3);
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 5);
}

#[test]
fn export_for_calcurse_says_which_series_are_written_out_over_the_range_only() {
    // calcurse spins on a 30th day from the month's end: the profile writes those dates out
    // one by one over the range, and the later ones are not in the file
    let mut t = H::with(100, 30, false);
    let mut e = weekly_sync(at(23, 13, 0));
    e.title = "Month-end review".into();
    e.rrule = Some("FREQ=MONTHLY;BYMONTHDAY=-30".into());
    e.time = EventTime::Timed {
        start: at(2, 13, 0) + Duration::days(30),
        end: at(2, 14, 0) + Duration::days(30),
        tz: TZ,
    };
    t.store.insert_event(&e).unwrap();
    t.keys("2X");
    for _ in 0..4 {
        t.code(KeyCode::Tab);
    }
    t.code(KeyCode::Down); // for: standard -> calcurse
    t.code(KeyCode::Tab);
    let out = t.dir().join("cc.ics");
    t.retype(out.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("(for calcurse)"), "{s}");
    // the status line wraps it whole
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("'Month-end review' has dates outside the range, not in the file"),
        "{s}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("BYMONTHDAY=-30"), "written out: {text}");
}

const TWO_EVENTS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:new-1@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261201T090000Z\r\n\
DTEND:20261201T100000Z\r\nSUMMARY:Strategy offsite\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:new-2@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261202T090000Z\r\n\
DTEND:20261202T100000Z\r\nSUMMARY:Auditor visit\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:broken@test\r\nSUMMARY:No start\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn import_ics_previews_then_writes_on_y() {
    let mut t = H::new(100, 30);
    let file = t.dir().join("in.ics");
    std::fs::write(&file, TWO_EVENTS).unwrap();
    let before = t.store.count_events(&Default::default()).unwrap();
    t.keys("2I");
    assert!(t.screen().contains("Import calendar (.ics)"));
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Import preview"), "{s}");
    assert!(s.contains("would import 2, update 0"), "{s}");
    assert!(s.contains("skipped 1"), "{s}");
    assert!(s.contains("Strategy offsite"), "{s}");
    assert!(s.contains("skip line"), "{s}");
    // a dry run: nothing written yet
    assert_eq!(t.store.count_events(&Default::default()).unwrap(), before);
    t.keys("y");
    assert_eq!(
        t.store.count_events(&Default::default()).unwrap(),
        before + 2
    );
    let s = t.screen();
    assert!(s.contains("Imported 2 events"), "{s}");
    assert!(t.app.popup.is_none());
    // the same file again: everything unchanged, nothing to confirm
    t.keys("I");
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    assert!(t.screen().contains("would import 0, update 0; unchanged 2"));
    t.code(KeyCode::Esc);
    assert!(t.screen().contains("import cancelled"));
    assert_eq!(
        t.store.count_events(&Default::default()).unwrap(),
        before + 2
    );
}

#[test]
fn import_ics_preview_names_the_moved_occurrence_a_newer_series_removes() {
    let series = |seq: u32, moved: bool| {
        let mut s = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:ser1\r\n\
             DTSTAMP:20270101T000000Z\r\nSEQUENCE:{seq}\r\nDTSTART:20270104T080000Z\r\n\
             DTEND:20270104T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\nSUMMARY:Series\r\nEND:VEVENT\r\n"
        );
        if moved {
            s.push_str(
                "BEGIN:VEVENT\r\nUID:ser1\r\nDTSTAMP:20270101T000000Z\r\nSEQUENCE:1\r\n\
                 RECURRENCE-ID:20270111T080000Z\r\nDTSTART:20270111T130000Z\r\n\
                 DTEND:20270111T140000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n",
            );
        }
        s + "END:VCALENDAR\r\n"
    };
    let mut t = H::new(120, 30);
    let file = t.dir().join("series.ics");
    std::fs::write(&file, series(1, true)).unwrap();
    t.keys("2I");
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    t.keys("y");
    assert_eq!(t.store.list_series("ser1").unwrap().len(), 2);
    std::fs::write(&file, series(2, false)).unwrap();
    t.keys("I");
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(
        s.contains("remove line 4 (UID ser1): the changed occurrence"),
        "{s}"
    );
    t.keys("y");
    let s = t.screen();
    assert!(s.contains("1 updated, 1 removed, 0 unchanged"), "{s}");
    assert_eq!(t.store.list_series("ser1").unwrap().len(), 1);
}

#[test]
fn import_of_a_missing_file_says_so_in_the_form() {
    let mut t = H::new(100, 30);
    t.keys("2I");
    let file = t.dir().join("nope.ics");
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("cannot read"), "{s}");
    assert!(matches!(t.app.popup, Some(secretaire::app::Popup::Form(_))));
}

#[test]
fn vcf_export_then_import_round_trips_through_the_contacts_pane() {
    let mut t = H::new(100, 30);
    t.keys("4X");
    let s = t.screen();
    assert!(s.contains("Export contacts (.vcf)"), "{s}");
    t.code(KeyCode::Down); // 4.0 -> 3.0
    t.code(KeyCode::Tab);
    let out = t.dir().join("people.vcf");
    t.retype(out.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Exported 2 contacts (vCard 3.0)"), "{s}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD").count(), 2);
    assert!(text.contains("VERSION:3.0"));
    // a new card plus the two we have
    let more = text.clone()
        + "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:nils@test\r\nFN:Nils Holm\r\nEMAIL:nils@holm.se\r\nEND:VCARD\r\n";
    let file = t.dir().join("more.vcf");
    std::fs::write(&file, more).unwrap();
    t.keys("I");
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("would import 1"), "{s}");
    assert!(s.contains("Nils Holm"), "{s}");
    assert_eq!(
        t.store
            .list_contacts(&ContactQuery::default())
            .unwrap()
            .len(),
        2
    );
    t.code(KeyCode::Enter);
    let names: Vec<String> = t
        .store
        .list_contacts(&ContactQuery::default())
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"Nils Holm".to_string()));
    assert!(t.screen().contains("Imported 1 contact"), "{}", t.screen());
}

#[test]
fn file_popup_snapshots_80x24() {
    let mut t = H::new(80, 24);
    t.keys("2X");
    insta::assert_snapshot!("export_ics_80x24", t.screen());
    t.code(KeyCode::Esc);
    // a fixed path so the snapshot does not carry the temp folder
    let file = std::path::PathBuf::from("target/flows-import-preview.ics");
    // `target/` is not there when CARGO_TARGET_DIR points elsewhere
    std::fs::create_dir_all("target").unwrap();
    std::fs::write(&file, TWO_EVENTS).unwrap();
    t.keys("I");
    t.keys(file.to_str().unwrap());
    t.code(KeyCode::Enter);
    insta::assert_snapshot!("import_preview_80x24", t.screen());
    let _ = std::fs::remove_file(&file);
}

#[test]
fn this_and_following_splits_the_series_and_undo_joins_it_again() {
    let mut t = H::with(100, 30, false);
    let weekly = weekly_sync(at(23, 13, 0));
    let id = t.store.insert_event(&weekly).unwrap();
    t.keys("2jT");
    let s = t.screen();
    assert!(
        s.contains("Edit this and following occurrences of 'Weekly sync'"),
        "{s}"
    );
    assert!(s.contains("FREQ=WEEKLY;BYDAY=MO"), "the rule is shown: {s}");
    t.keys(" v2");
    t.code(KeyCode::Enter);
    assert!(t.app.popup.is_none(), "{}", t.screen());
    let all = |t: &H| {
        t.store
            .list_events(&secretaire::store::EventQuery {
                search: Some("Weekly".into()),
                ..Default::default()
            })
            .unwrap()
    };
    let rows = all(&t);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let old = t.store.get_event(id).unwrap();
    assert!(
        old.rrule.as_deref().unwrap_or("").contains("UNTIL="),
        "{:?}",
        old.rrule
    );
    let new = rows.iter().find(|e| e.id != id).unwrap();
    assert_eq!(new.title, "Weekly sync v2");
    assert_ne!(new.uid, "weekly@test");
    assert_eq!(new.time.start_in(TZ), at(30, 13, 0));
    let s = t.screen();
    assert!(s.contains("Weekly sync v2"), "{s}");
    assert!(s.contains("Edit this and following"), "status: {s}");
    // the first Monday keeps the old title
    assert_eq!(t.app.schedule.occs.len(), 2);
    // one undo puts the single series back
    t.keys("u");
    let rows = all(&t);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=MO"));
    assert!(!t.screen().contains("v2"));
}

/// The demo data set (Stockholm), opened at 100x30.
fn demo_h() -> H {
    let config = Config {
        timezone: TZ,
        bell: false,
        ..Config::default()
    };
    H::prepared(100, 30, config, vec![], |s| {
        secretaire::demo::seed(s, secretaire::demo::DemoSize::Small, now(), TZ).unwrap();
    })
}

#[test]
fn moving_a_whole_series_in_the_form_moves_its_cancelled_and_changed_occurrences() {
    use secretaire::domain::recurrence::expand_series;
    let mut t = demo_h();
    let series = |t: &H| {
        let mut v = t
            .store
            .list_series(&t.store.get_event(1).unwrap().uid)
            .unwrap();
        let m = v.remove(v.iter().position(|e| e.recurrence_id.is_none()).unwrap());
        (m, v)
    };
    let (m0, o0) = series(&t);
    assert_eq!(m0.title, "Weekly staff meeting");
    assert_eq!(m0.exdates.len(), 3, "{:?}", m0.exdates);
    assert_eq!(o0.len(), 1, "the moved 16 Nov meeting");
    let occurrences = |t: &H| {
        let (m, o) = series(t);
        expand_series(&m, &o, at(1, 0, 0), at(1, 0, 0) + Duration::days(44), TZ)
            .into_iter()
            .map(|x| x.start)
            .collect::<Vec<_>>()
    };
    let utc = |day: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, day, h, 0, 0).unwrap();
    // 09:00 Stockholm (08:00 UTC) on 2, 23 Nov, 14 Dec; the 16th moved to 13:00
    let first = occurrences(&t);
    assert!(first.contains(&utc(16, 12)), "{first:?}");
    t.keys("2g");
    assert!(
        t.screen().contains("Weekly staff meeting"),
        "{}",
        t.screen()
    );
    t.keys("e");
    assert!(
        t.screen().contains("Edit event 'Weekly staff meeting'"),
        "{}",
        t.screen()
    );
    t.code(KeyCode::Tab);
    t.retype("2026-09-14 10:00");
    t.code(KeyCode::Tab);
    t.retype("2026-09-14 11:00");
    t.code(KeyCode::Enter);
    assert!(t.app.popup.is_none(), "{}", t.screen());
    assert!(
        t.screen().contains("changed occurrence moved with it"),
        "{}",
        t.screen()
    );
    let (m1, o1) = series(&t);
    let hour = Duration::hours(1);
    assert_eq!(
        m1.exdates,
        m0.exdates.iter().map(|x| *x + hour).collect::<Vec<_>>(),
        "the cancelled meetings stay cancelled at the new time"
    );
    assert_eq!(o1[0].recurrence_id, o0[0].recurrence_id.map(|r| r + hour));
    assert_eq!(
        o1[0].time, o0[0].time,
        "the moved meeting keeps its own time"
    );
    let moved = occurrences(&t);
    assert_eq!(
        moved.len(),
        first.len(),
        "no cancelled meeting came back: {moved:?}"
    );
    assert!(
        moved.contains(&utc(16, 12)),
        "the 16 Nov meeting: {moved:?}"
    );
    for x in &first {
        if *x != utc(16, 12) {
            assert!(moved.contains(&(*x + hour)), "{x} moved: {moved:?}");
        }
    }
    // one undo puts the series and its exceptions back
    t.keys("u");
    let (m2, o2) = series(&t);
    assert_eq!(m2.time, m0.time);
    assert_eq!(m2.exdates, m0.exdates);
    assert_eq!(o2[0].recurrence_id, o0[0].recurrence_id);
    assert_eq!(occurrences(&t), first);
}

#[test]
fn moving_a_series_by_a_week_onto_its_own_changed_occurrences_and_back() {
    let mut t = H::with(100, 30, false);
    let local = |day: u32, m: u32| {
        NaiveDate::from_ymd_opt(2026, m, day)
            .unwrap()
            .and_hms_opt(14, 0, 0)
            .unwrap()
    };
    let mut weekly = weekly_sync(at(23, 13, 0));
    weekly.exdates = vec![local(14, 12)];
    let id = t.store.insert_event(&weekly).unwrap();
    let mut ids = Vec::new();
    for (day, m) in [(30, 11), (7, 12)] {
        let mut o = weekly.clone();
        o.rrule = None;
        o.exdates.clear();
        o.recurrence_id = Some(local(day, m));
        o.title = format!("Weekly sync (changed {day})");
        ids.push(t.store.insert_event(&o).unwrap());
    }
    let rids = |t: &H| -> Vec<_> {
        ids.iter()
            .map(|i| t.store.get_event(*i).unwrap().recurrence_id.unwrap())
            .collect()
    };
    t.keys("2e");
    assert!(
        t.screen().contains("Edit event 'Weekly sync'"),
        "{}",
        t.screen()
    );
    t.code(KeyCode::Tab);
    t.retype("2026-11-30 14:00");
    t.code(KeyCode::Tab);
    t.retype("30m");
    t.code(KeyCode::Enter);
    assert!(t.app.popup.is_none(), "{}", t.screen());
    // each a week later: 30 Nov -> 7 Dec only once 7 Dec -> 14 Dec is out of its way
    assert_eq!(rids(&t), [local(7, 12), local(14, 12)]);
    assert_eq!(t.store.get_event(id).unwrap().exdates, [local(21, 12)]);
    t.keys("u");
    assert!(t.screen().contains("Undid"), "{}", t.screen());
    assert_eq!(rids(&t), [local(30, 11), local(7, 12)]);
    let back = t.store.get_event(id).unwrap();
    assert_eq!(back.exdates, [local(14, 12)]);
    assert_eq!(back.time, weekly.time);
}

#[test]
fn week_and_month_show_a_multi_day_item_on_every_day_it_covers() {
    let mut t = H::setup(120, 30, |s| {
        let mut e = Ev::new(
            "Nordic CFO Forum",
            EventTime::AllDay {
                start: d(11, 25),
                end: d(11, 27),
            },
            now(),
        );
        e.uid = "forum@test".into();
        s.insert_event(&e).unwrap();
    });
    t.keys("2vv");
    // the column of each day: the text below its heading
    let column = |t: &H, head: &str| -> String {
        let (x, y) = t
            .find(head)
            .unwrap_or_else(|| panic!("{head}: {}", t.screen()));
        let buf = t.term.backend().buffer();
        let w = 120 / 7;
        (y + 1..buf.area.height)
            .map(|yy| {
                (x..(x + w as u16).min(buf.area.width))
                    .map(|xx| buf[(xx, yy)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let wed = column(&t, "Wed 25");
    assert!(wed.contains("• Nordic CFO"), "{wed}");
    for day in ["Thu 26", "Fri 27"] {
        let c = column(&t, day);
        assert!(c.contains("↪ Nordic CFO"), "{day}: {c}");
    }
    let sat = column(&t, "Sat 28");
    assert!(!sat.contains("Nordic"), "{sat}");
    // the hotel (in Wed 20:00, out Fri 16:00 New York): on each day of the stay
    assert!(wed.contains("⌂21:00 New York"), "{wed}");
    for day in ["Thu 26", "Fri 27"] {
        let c = column(&t, day);
        assert!(c.contains("⌂↪ New York"), "{day}: {c}");
    }
    // the month counts it on each day as the week shows them: Wednesday with the two
    // flights and the hotel, Thursday with the hotel and the budget review, Friday the hotel
    t.keys("v");
    let s = t.screen();
    for cell in ["25 •4", "26 •3", "27 •2"] {
        assert!(s.contains(cell), "{cell}: {s}");
    }
    assert!(!s.contains("28 •"), "{s}");
}

/// The row of a week or month view's weekday headings ("Mon 23  Tue 24", "Mon  Tue"), as
/// one symbol per cell.
fn weekday_row(t: &H) -> (u16, Vec<String>) {
    let buf = t.term.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let cells: Vec<String> = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            (y, cells)
        })
        .find(|(_, cells)| cells.concat().starts_with("Mon "))
        .unwrap_or_else(|| panic!("no weekday headings: {}", t.screen()))
}

/// The month grid's cells in screen order, greyed days of the months around included: the
/// day and its count (0 for a cell without one).
fn month_cells(t: &H) -> Vec<(u32, usize)> {
    let buf = t.term.backend().buffer();
    let cw = (buf.area.width as usize / 7).max(4);
    let (head, _) = weekday_row(t);
    let mut cells = Vec::new();
    for y in head + 1..buf.area.height {
        let line: Vec<String> = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        let row: Option<Vec<(u32, usize)>> = (0..7)
            .map(|c| {
                let text: String = line[c * cw..(c + 1) * cw].concat();
                let (day, n) = text.trim().split_once('•').unwrap_or((text.trim(), "0"));
                Some((day.trim().parse().ok()?, n.trim().parse().ok()?))
            })
            .collect();
        match row {
            Some(r) => cells.extend(r),
            None => break,
        }
    }
    cells
}

/// How many items each day column of the week view lists (the lines under its heading).
fn week_counts(t: &H) -> Vec<usize> {
    let buf = t.term.backend().buffer();
    let w = buf.area.width / 7;
    let (y0, cells) = weekday_row(t);
    let row = cells.concat();
    ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "]
        .iter()
        .map(|head| {
            let x = row.find(head).unwrap() as u16;
            (y0 + 1..buf.area.height)
                .map(|y| {
                    (x..x + w)
                        .map(|xx| buf[(xx, y)].symbol())
                        .collect::<String>()
                })
                .take_while(|l| !l.trim().is_empty())
                .count()
        })
        .collect()
}

#[test]
fn the_month_grid_counts_what_the_week_view_shows_greyed_days_and_travel_included() {
    let stockholm = |m, day, h| {
        TZ.from_local_datetime(&d(m, day).and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let mut t = H::setup(100, 30, |s| {
        // on the grid's greyed days: before November (30 Oct) and after it (1-6 Dec)
        for (uid, m, day) in [("oct30", 10, 30), ("dec1", 12, 1), ("dec3", 12, 3)] {
            let mut e = Ev::new(
                uid,
                EventTime::Timed {
                    start: stockholm(m, day, 10),
                    end: stockholm(m, day, 11),
                    tz: TZ,
                },
                now(),
            );
            e.uid = format!("{uid}@test");
            s.insert_event(&e).unwrap();
        }
        // a hotel stay over the turn of the month (Sat 28 Nov to Wed 2 Dec) and a flight on
        // a day with nothing else (Mon 7 Dec)
        let seg = |uid: &str, kind, dep, arr| Segment {
            id: 0,
            trip_id: 0,
            uid: uid.into(),
            kind,
            provider: String::new(),
            number: uid.to_uppercase(),
            confirmation: String::new(),
            origin: "Stockholm".into(),
            destination: "Oslo".into(),
            depart: dep,
            depart_tz: TZ,
            arrive: arr,
            arrive_tz: TZ,
            seat: String::new(),
            cost: None,
            status: SegmentStatus::Booked,
            notes: String::new(),
        };
        s.insert_trip(&Trip {
            id: 0,
            name: "Oslo".into(),
            purpose: String::new(),
            notes: String::new(),
            segments: vec![
                seg(
                    "stay",
                    SegmentKind::Hotel,
                    stockholm(11, 28, 15),
                    stockholm(12, 2, 11),
                ),
                seg(
                    "sk 903",
                    SegmentKind::Flight,
                    stockholm(12, 7, 9),
                    stockholm(12, 7, 11),
                ),
            ],
        })
        .unwrap();
    });
    // the week view's counts, Mon 26 Oct to Sun 13 Dec
    t.keys("2vv");
    assert!(t.screen().contains("Week Mon 23 Nov"), "{}", t.screen());
    t.keys("hhhh");
    let mut week = Vec::new();
    for _ in 0..7 {
        assert!(t.screen().contains("Week Mon"), "{}", t.screen());
        week.extend(week_counts(&t));
        t.keys("l");
    }
    let day = |k: usize| d(10, 26) + Duration::days(k as i64);
    let on = |date: NaiveDate| week[(date - d(10, 26)).num_days() as usize];
    // what the cells below must say (the travel and greyed days are there to be counted)
    assert_eq!(on(d(10, 30)), 1);
    assert_eq!(on(d(11, 28)), 1);
    assert_eq!(on(d(12, 1)), 2);
    assert_eq!(on(d(12, 7)), 1);
    // November's grid (26 Oct to 6 Dec), then December's (30 Nov to 3 Jan): every cell as the
    // week shows its day
    t.keys("vt");
    for (month, first, weeks) in [("November", d(10, 26), 6), ("December", d(11, 30), 5)] {
        let s = t.screen();
        assert!(s.contains(&format!("Month {month} 2026")), "{s}");
        let cells = month_cells(&t);
        assert_eq!(cells.len(), weeks * 7, "{s}");
        for (k, (n, count)) in cells.iter().enumerate() {
            let date = first + Duration::days(k as i64);
            assert_eq!(*n, date.day(), "{s}");
            if date <= day(week.len() - 1) {
                assert_eq!(*count, on(date), "{month}: {date}\n{s}");
            }
        }
        t.keys("l");
    }
}

#[test]
fn free_slots_in_the_event_form_fill_start_and_end() {
    let mut t = H::new(100, 34);
    t.keys("2a");
    t.keys("Budget prep");
    t.code(KeyCode::Tab);
    t.code(KeyCode::Tab);
    t.keys("45m");
    t.code(KeyCode::F(2));
    let s = t.screen();
    assert!(s.contains("free in working hours"), "{s}");
    // now is 10:00; the board meeting and the press call hold until 11:00; the cancelled
    // dentist at 15:00 does not count
    assert!(s.contains("Mon 23 Nov 11:00–11:45"), "{s}");
    assert!(!s.contains("Mon 23 Nov 09:00"), "{s}");
    // Tuesday: lunch with Anna 12:00-13:00 splits the day
    assert!(s.contains("Tue 24 Nov 09:00–09:45"), "{s}");
    assert!(s.contains("Tue 24 Nov 13:00–13:45"), "{s}");
    t.code(KeyCode::Down);
    t.code(KeyCode::Enter);
    assert!(t.app.popup.is_none(), "{}", t.screen());
    let e = t
        .store
        .list_events(&secretaire::store::EventQuery {
            search: Some("Budget prep".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].time.start_in(TZ), at(23, 10, 0));
    match &e[0].time {
        EventTime::Timed { start, end, .. } => assert_eq!(*end - *start, Duration::minutes(45)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn attendees_are_picked_from_contacts_linked_and_kept_on_edit() {
    let mut t = H::new(100, 34);
    t.keys("2a");
    t.keys("Budget review 2");
    for _ in 0..5 {
        t.code(KeyCode::Tab);
    }
    t.keys("ann");
    let s = t.screen();
    assert!(s.contains("Anna Berg"), "suggestions: {s}");
    t.code(KeyCode::Down);
    t.keys(", nils@holm.se, Telia");
    let s = t.screen();
    assert!(s.contains("Anna Berg, nils@holm.se, Telia"), "{s}");
    t.code(KeyCode::Enter);
    assert!(t.app.popup.is_none(), "{}", t.screen());
    let find = |t: &H| {
        t.store
            .list_events(&secretaire::store::EventQuery {
                search: Some("Budget review 2".into()),
                ..Default::default()
            })
            .unwrap()
            .remove(0)
    };
    let e = find(&t);
    let contacts = t.store.list_contacts(&ContactQuery::default()).unwrap();
    let id_of = |n: &str| contacts.iter().find(|c| c.name == n).unwrap().id;
    assert_eq!(e.attendees.len(), 3, "{:?}", e.attendees);
    assert_eq!(e.attendees[0].name, "Anna Berg");
    assert_eq!(e.attendees[0].contact_id, Some(id_of("Anna Berg")));
    assert_eq!(
        e.attendees[0].email, "anna@berg.se",
        "filled from the contact"
    );
    assert_eq!(e.attendees[1].email, "nils@holm.se");
    assert_eq!(e.attendees[1].contact_id, None);
    // typed in full, linked by its exact name
    assert_eq!(e.attendees[2].contact_id, Some(id_of("Telia")));
    // editing something else keeps them all, links included
    let n = t
        .app
        .schedule
        .occs
        .iter()
        .position(|(i, _)| t.app.schedule.events[*i].id == e.id)
        .unwrap();
    t.keys("g");
    for _ in 0..n {
        t.keys("j");
    }
    t.keys("e");
    assert!(
        t.screen().contains("Anna Berg <anna@berg.se>"),
        "{}",
        t.screen()
    );
    t.keys("!");
    t.code(KeyCode::Enter);
    let e2 = find(&t);
    assert_eq!(e2.title, "Budget review 2!");
    assert_eq!(e2.attendees, e.attendees);
}

#[test]
fn f_in_the_schedule_proposes_free_hours_for_a_new_meeting() {
    let mut t = H::new(100, 34);
    t.keys("2f");
    let s = t.screen();
    assert!(s.contains("New event"), "{s}");
    assert!(s.contains("Mon 23 Nov 11:00–12:00"), "{s}");
    t.code(KeyCode::Down);
    t.keys("Call with the auditor");
    t.code(KeyCode::Enter);
    let e = t
        .store
        .list_events(&secretaire::store::EventQuery {
            search: Some("auditor".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].time.start_in(TZ), at(23, 10, 0));
}

#[test]
fn event_form_with_free_slots_snapshot_80x24() {
    let mut t = H::new(80, 24);
    t.keys("2f");
    t.code(KeyCode::Down);
    insta::assert_snapshot!("event_form_slots_80x24", t.screen());
}

#[test]
fn t_in_today_edits_this_and_following_too() {
    let mut t = H::with(100, 30, false);
    let weekly = weekly_sync(at(16, 13, 0));
    t.store.insert_event(&weekly).unwrap();
    t.keys("1");
    t.tick();
    assert!(t.screen().contains("Weekly sync"), "{}", t.screen());
    t.keys("T");
    let s = t.screen();
    assert!(
        s.contains("Edit this and following occurrences of 'Weekly sync'"),
        "{s}"
    );
    t.code(KeyCode::End);
    t.keys(" (new room)");
    t.code(KeyCode::Enter);
    let n = t
        .store
        .list_events(&secretaire::store::EventQuery {
            search: Some("Weekly".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(n.len(), 2, "split into two series: {n:?}");
    assert!(
        t.screen().contains("Weekly sync (new room)"),
        "{}",
        t.screen()
    );
}

/// "Weekly sync": Mondays 14:00 Stockholm, 30 minutes, from `start`.
fn weekly_sync(start: DateTime<Utc>) -> Ev {
    let mut weekly = Ev::new(
        "Weekly sync",
        EventTime::Timed {
            start,
            end: start + Duration::minutes(30),
            tz: TZ,
        },
        now(),
    );
    weekly.uid = "weekly@test".into();
    weekly.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
    weekly
}

// ------------------------------------------------------------------------------------------
// Undo of a delete puts back everything the delete changed, for every kind

impl H {
    fn contact_named(&self, name: &str) -> Contact {
        self.store
            .find_contacts_by_name(name, 5)
            .unwrap()
            .into_iter()
            .find(|c| c.name == name)
            .unwrap()
    }
}

#[test]
fn undo_of_a_contact_delete_restores_its_tasks_invoices_and_attendees() {
    let mut t = H::new(100, 30);
    let anna = t.contact_named("Anna Berg").id;
    // Anna is also an invoice's vendor and a meeting's attendee
    let inv = t
        .store
        .insert_invoice(&Invoice {
            id: 0,
            vendor_id: Some(anna),
            vendor_name: "Anna Berg".into(),
            number: "AB-1".into(),
            issue_date: d(11, 1),
            due_date: d(12, 1),
            amount: Money::new(10000, Currency::SEK),
            status: InvoiceStatus::Received,
            paid_date: None,
            payment_ref: String::new(),
            document_path: String::new(),
            notes: String::new(),
        })
        .unwrap();
    let mut meeting = Ev::new(
        "Budget with Anna",
        EventTime::Timed {
            start: at(25, 9, 0),
            end: at(25, 10, 0),
            tz: TZ,
        },
        now(),
    );
    meeting.uid = "budget-anna@test".into();
    meeting.attendees = vec![
        secretaire::domain::Attendee {
            contact_id: None,
            name: "Nils".into(),
            email: "nils@holm.se".into(),
        },
        secretaire::domain::Attendee {
            contact_id: Some(anna),
            name: "Anna Berg".into(),
            email: "anna@berg.se".into(),
        },
    ];
    let ev = t.store.insert_event(&meeting).unwrap();
    let task = t
        .tasks()
        .into_iter()
        .find(|x| x.subject.starts_with("Answer Anna"))
        .unwrap()
        .id;
    t.keys("4");
    t.code(KeyCode::Enter);
    assert!(t.screen().contains("Open tasks (1)"), "{}", t.screen());
    t.code(KeyCode::Esc);
    t.keys("dy");
    assert!(t.store.get_contact(anna).is_err());
    assert_eq!(t.store.get_task(task).unwrap().contact_id, None);
    assert_eq!(t.store.get_invoice(inv).unwrap().vendor_id, None);
    assert_eq!(t.store.get_event(ev).unwrap().attendees[1].contact_id, None);
    t.keys("u");
    assert!(t.screen().contains("Undid: delete contact 'Anna Berg'"));
    assert_eq!(t.store.get_contact(anna).unwrap().name, "Anna Berg");
    assert_eq!(t.store.get_task(task).unwrap().contact_id, Some(anna));
    let i = t.store.get_invoice(inv).unwrap();
    assert_eq!(
        (i.vendor_id, i.vendor_name.as_str()),
        (Some(anna), "Anna Berg")
    );
    let e = t.store.get_event(ev).unwrap();
    assert_eq!(e.attendees[1].contact_id, Some(anna));
    assert_eq!(e.attendees[0].contact_id, None, "Nils was never linked");
    // and the contact's detail lists them again
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Open tasks (1)"), "{s}");
    assert!(s.contains("Invoices (1)"), "{s}");
}

#[test]
fn undo_of_a_trip_delete_restores_its_segments_with_their_ids() {
    let mut t = H::new(120, 30);
    t.keys("3");
    let trip = t.app.travel.current_trip().unwrap().clone();
    assert_eq!(trip.segments.len(), 3);
    t.keys("d");
    assert!(t.screen().contains("and its 3 segments"), "{}", t.screen());
    t.keys("y");
    assert!(t.store.get_trip(trip.id).is_err());
    for s in &trip.segments {
        assert!(
            t.store.get_segment(s.id).is_err(),
            "segments go with the trip"
        );
    }
    t.keys("u");
    let back = t.store.get_trip(trip.id).unwrap();
    assert_eq!(back, trip, "the same trip, segments and ids");
    assert!(t.screen().contains("New York board visit"));
}

#[test]
fn undo_of_a_segment_invoice_and_task_delete_puts_each_back() {
    let mut t = H::new(120, 30);
    // a segment: the trip's span follows it out and back
    t.keys("3l");
    let seg = t.app.travel.current_segment().unwrap().clone();
    t.keys("dy");
    assert!(t.store.get_segment(seg.id).is_err());
    assert_eq!(t.store.get_trip(seg.trip_id).unwrap().segments.len(), 2);
    t.keys("u");
    assert_eq!(t.store.get_segment(seg.id).unwrap(), seg);
    assert_eq!(t.store.get_trip(seg.trip_id).unwrap().segments.len(), 3);
    // an invoice
    t.keys("5");
    let inv = t.app.invoices.list.current().unwrap().clone();
    t.keys("dy");
    assert!(t.store.get_invoice(inv.id).is_err());
    t.keys("u");
    assert_eq!(t.store.get_invoice(inv.id).unwrap(), inv);
    // a task with its contact link
    t.keys("6");
    let task = t
        .tasks()
        .into_iter()
        .find(|x| x.contact_id.is_some())
        .unwrap();
    while t.app.tasks.list.current().map(|x| x.id) != Some(task.id) {
        t.keys("j");
    }
    t.keys("dy");
    assert!(t.store.get_task(task.id).is_err());
    t.keys("u");
    assert_eq!(t.store.get_task(task.id).unwrap(), task);
}

#[test]
fn undo_of_a_series_delete_restores_its_changed_occurrences() {
    let mut t = H::with(100, 30, false);
    let anna = t
        .store
        .insert_contact(&Contact {
            uid: "anna2@test".into(),
            name: "Anna Berg".into(),
            ..Default::default()
        })
        .unwrap();
    let mut weekly = weekly_sync(at(23, 13, 0));
    weekly.attendees = vec![secretaire::domain::Attendee {
        contact_id: Some(anna),
        name: "Anna Berg".into(),
        email: String::new(),
    }];
    let id = t.store.insert_event(&weekly).unwrap();
    let master = t.store.get_event(id).unwrap();
    // next Monday's occurrence was moved to 15:00
    let rid = d(11, 30).and_hms_opt(14, 0, 0).unwrap();
    let mut moved = secretaire::domain::schedule::occurrence_event(
        &master,
        &secretaire::domain::recurrence::expand(
            &master,
            at(30, 0, 0),
            at(30, 0, 0) + Duration::days(1),
            TZ,
        )[0],
    );
    moved.time = EventTime::Timed {
        start: at(30, 14, 0),
        end: at(30, 14, 30),
        tz: TZ,
    };
    let change =
        secretaire::domain::schedule::change_occurrence(&master, &[], rid, &moved, now()).unwrap();
    for e in &change.insert {
        t.store.insert_event(e).unwrap();
    }
    let series = t.store.list_series("weekly@test").unwrap();
    assert_eq!(series.len(), 2);
    t.keys("2");
    t.code(KeyCode::Enter);
    t.keys("d");
    let s = t.screen();
    assert!(s.contains("(the whole series)"), "{s}");
    t.keys("y");
    assert!(t.store.list_series("weekly@test").unwrap().is_empty());
    assert!(
        t.screen().contains("and its 1 changed occurrence"),
        "{}",
        t.screen()
    );
    t.keys("u");
    let back = t.store.list_series("weekly@test").unwrap();
    assert_eq!(back, series, "master and override, attendee links and all");
    assert_eq!(back[0].attendees[0].contact_id, Some(anna));
    assert_eq!(t.app.schedule.occs.len(), 2);
}

#[test]
fn invoice_status_keys_stay_on_the_invoice_and_cancel_asks() {
    let mut t = H::new(120, 30);
    t.keys("5");
    let id = t.app.invoices.list.current().unwrap().id;
    let status = |t: &H| t.store.get_invoice(id).unwrap().status;
    for want in [
        InvoiceStatus::Approved,
        InvoiceStatus::Disputed,
        InvoiceStatus::Received,
        InvoiceStatus::Approved,
    ] {
        t.keys("c");
        assert_eq!(status(&t), want);
        assert_eq!(t.app.invoices.list.current().unwrap().id, id);
    }
    t.keys("C");
    assert!(
        t.screen().contains("Cancel invoice 'Telia T-1001'"),
        "{}",
        t.screen()
    );
    t.keys("n");
    assert_eq!(status(&t), InvoiceStatus::Approved);
    t.keys("Cy");
    assert_eq!(status(&t), InvoiceStatus::Cancelled);
    let listed = |t: &H| t.app.invoices.list.rows.iter().any(|i| i.id == id);
    assert!(!listed(&t), "it leaves the open list");
    t.keys("u");
    assert_eq!(status(&t), InvoiceStatus::Approved);
    assert!(listed(&t));
}

#[test]
fn ctrl_c_in_an_edited_form_asks_and_keeps_the_typing() {
    let mut t = H::new(100, 30);
    t.keys("6a");
    t.keys("Quote for the press");
    t.ctrl('c');
    assert!(!t.last.quit && !t.app.quit);
    let s = t.screen();
    assert!(s.contains("Discard your changes and quit? (y/n)"), "{s}");
    assert!(
        s.contains("Quote for the press"),
        "the form stays visible: {s}"
    );
    t.keys("n");
    t.code(KeyCode::Enter);
    assert!(t.tasks().iter().any(|x| x.subject == "Quote for the press"));
    t.ctrl('c');
    assert!(t.last.quit, "nothing unsaved: Ctrl-C quits");
}

// ------------------------------------------------------------------------------------------
// Today on a big desk: true counts, every task due today reachable, the rest one key away

#[test]
fn today_counts_everything_and_reaches_every_task_due_today() {
    let mut t = H::with(100, 30, false);
    t.store
        .write(|tx| {
            for i in 0..300i64 {
                let mut task = Task::new(format!("Overdue {i:03}"), now() - Duration::days(60));
                task.due = Some(Due::Date(d(11, 22) - Duration::days(i % 40)));
                task.priority = [Priority::High, Priority::Normal, Priority::Low][(i % 3) as usize];
                tx.insert_task(&task)?;
            }
            for i in 0..30i64 {
                let mut task = Task::new(format!("Due today {i:02}"), now() - Duration::days(3));
                task.due = Some(Due::Date(d(11, 23)));
                task.priority = Priority::Low;
                tx.insert_task(&task)?;
            }
            // snoozed and done ones are not counted
            let mut s = Task::new("Snoozed", now() - Duration::days(9));
            s.due = Some(Due::Date(d(11, 2)));
            s.snooze(now() + Duration::days(1));
            tx.insert_task(&s)?;
            let mut done = Task::new("Done", now() - Duration::days(9));
            done.due = Some(Due::Date(d(11, 2)));
            done.mark_done(now());
            tx.insert_task(&done)?;
            Ok(())
        })
        .unwrap();
    t.tick();
    t.keys("1");
    let s = t.screen();
    assert!(s.contains("Tasks  300 overdue, 30 due today"), "{s}");
    assert!(s.contains(" 1 Today 300! "), "the tab says the same: {s}");
    assert!(s.contains(" 6 Tasks 300! "), "{s}");
    assert!(
        s.contains("290 more overdue · Enter lists them all in Tasks"),
        "{s}"
    );
    // every task due today is an item, and j reaches each of them
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..80 {
        if let Some(secretaire::app::today::TodayItem::Task(i)) = t.app.today.current() {
            let subject = t.app.today.data.tasks[i].subject.clone();
            assert!(
                t.screen().contains(&subject),
                "{subject} drawn when selected"
            );
            seen.insert(subject);
        }
        t.keys("j");
    }
    let due: Vec<_> = seen.iter().filter(|x| x.starts_with("Due today")).collect();
    assert_eq!(due.len(), 30, "{seen:?}");
    // the line opens Tasks with only the overdue ones
    t.keys("g");
    while t.app.today.current()
        != Some(secretaire::app::today::TodayItem::More(
            secretaire::app::today::More::Overdue,
        ))
    {
        t.keys("j");
    }
    t.code(KeyCode::Enter);
    assert_eq!(t.app.pane, Pane::Tasks);
    let s = t.screen();
    assert!(s.contains("300 overdue only (O shows all)"), "{s}");
    assert!(!s.contains("Due today 00"), "{s}");
    t.keys("O");
    assert!(t.screen().contains("331 open"), "{}", t.screen()); // the snoozed one too
}

#[test]
fn a_damaged_row_is_left_out_and_the_rest_of_today_and_the_schedule_shows() {
    let mut t = H::new(100, 30);
    let conn = rusqlite::Connection::open(&t.path).unwrap();
    // another tool wrote a zone we cannot read into one of today's events
    conn.execute(
        "UPDATE events SET tz = 'Mars/Olympus' WHERE title = 'Press call'",
        [],
    )
    .unwrap();
    t.keys("2");
    t.keys("1");
    let s = t.screen();
    assert!(s.contains("Board meeting"), "the rest is shown: {s}");
    assert!(!s.contains("Press call"), "{s}");
    assert!(s.contains("Answer Anna about the budget"), "{s}");
    assert!(s.contains("1 row could not be read"), "{s}");
    assert!(!s.contains("loading failed"), "{s}");
    t.keys("2");
    let s = t.screen();
    assert!(
        s.contains("Board meeting") && s.contains("Lunch with Anna"),
        "{s}"
    );
    assert!(s.contains("Schedule: 1 row could not be read"), "{s}");
}

#[test]
fn a_reminder_set_a_week_ahead_fires_a_week_ahead() {
    let mut t = H::with(100, 30, false);
    let start = now() + Duration::days(7) + Duration::minutes(5);
    let mut e = Ev::new(
        "Board dinner at Operakällaren",
        EventTime::Timed {
            start,
            end: start + Duration::hours(3),
            tz: TZ,
        },
        now(),
    );
    e.uid = "dinner@test".into();
    e.reminder_minutes = Some(7 * 24 * 60);
    // written by another process (the CLI): the next tick reloads
    Store::open(&t.path).unwrap().insert_event(&e).unwrap();
    t.tick();
    assert!(
        t.app
            .reminders
            .events
            .iter()
            .any(|x| x.uid == "dinner@test")
    );
    assert!(!t.screen().contains("Reminder"), "{}", t.screen());
    t.clock.advance(Duration::minutes(6));
    t.tick();
    let s = t.screen();
    assert!(s.contains("Reminder"), "{s}");
    assert!(s.contains("Board dinner at Operakällaren"), "{s}");
}

#[test]
fn today_keeps_the_selected_items_section_header_in_view_and_g_goes_to_the_top() {
    let mut t = H::with(100, 24, false);
    t.store
        .write(|tx| {
            for i in 0..25i64 {
                let mut task = Task::new(format!("Due today {i:02}"), now() - Duration::days(3));
                task.due = Some(Due::Date(d(11, 23)));
                tx.insert_task(&task)?;
            }
            for i in 0..30i64 {
                tx.insert_invoice(&Invoice {
                    id: 0,
                    vendor_id: None,
                    vendor_name: format!("Vendor {i:02}"),
                    number: format!("V-{i}"),
                    issue_date: d(11, 1),
                    due_date: d(11, 24) + Duration::days(i % 5),
                    amount: Money::new(10000 + i, Currency::SEK),
                    status: InvoiceStatus::Received,
                    paid_date: None,
                    payment_ref: String::new(),
                    document_path: String::new(),
                    notes: String::new(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    t.keys("2");
    t.keys("1");
    let header_shown = |t: &H, title: &str| {
        t.screen()
            .lines()
            .any(|l| l.starts_with(title) || l.contains(&format!("│{title}")))
    };
    // down into the invoices: their header scrolls in with the first one
    for _ in 0..25 {
        t.keys("j");
    }
    assert!(matches!(
        t.app.today.current(),
        Some(secretaire::app::today::TodayItem::Invoice(0))
    ));
    assert!(header_shown(&t, "Invoices"), "{}", t.screen());
    // from the last invoice (the header scrolled away) up to the first: the header comes along
    t.keys("G");
    assert!(!header_shown(&t, "Invoices"), "{}", t.screen());
    for _ in 0..29 {
        t.keys("k");
    }
    assert!(matches!(
        t.app.today.current(),
        Some(secretaire::app::today::TodayItem::Invoice(0))
    ));
    assert!(header_shown(&t, "Invoices"), "{}", t.screen());
    // up into the tasks, then g: the very top, header first
    for _ in 0..5 {
        t.keys("k");
    }
    t.keys("g");
    let s = t.screen();
    let first_body_line = s.lines().nth(1).unwrap();
    assert!(
        first_body_line.starts_with("Tasks  0 overdue, 25 due today"),
        "{s}"
    );
}

#[test]
fn travel_pages_to_the_last_trip_and_h_shows_the_past_ones() {
    let mut t = H::with(100, 30, false);
    let trip = |i: i64, start: DateTime<Utc>| Trip {
        id: 0,
        name: format!("Trip {i:03}"),
        purpose: String::new(),
        notes: String::new(),
        segments: vec![Segment {
            id: 0,
            trip_id: 0,
            uid: format!("trip{i}@test"),
            kind: SegmentKind::Train,
            provider: "SJ".into(),
            number: format!("{i}"),
            confirmation: format!("C{i}"),
            origin: "Stockholm C".into(),
            destination: "Göteborg C".into(),
            depart: start,
            depart_tz: TZ,
            arrive: start + Duration::hours(3),
            arrive_tz: TZ,
            seat: String::new(),
            cost: None,
            status: SegmentStatus::Booked,
            notes: String::new(),
        }],
    };
    t.store
        .write(|tx| {
            for i in 0..250i64 {
                tx.insert_trip(&trip(i, now() + Duration::days(1 + i * 2)))?;
            }
            for i in 0..5i64 {
                tx.insert_trip(&trip(900 + i, now() - Duration::days(10 + i * 30)))?;
            }
            Ok(())
        })
        .unwrap();
    t.keys("3");
    assert!(t.app.travel.list.rows.len() <= 100, "one page at a time");
    let s = t.screen();
    assert!(s.contains("Trips (250)"), "{s}");
    assert!(s.contains("Trip 000"), "upcoming first: {s}");
    t.keys("G");
    let s = t.screen();
    assert!(s.contains("Trip 249"), "{s}");
    assert!(
        s.contains("5 Apr–5 Apr 2028"),
        "a trip in another year says which: {s}"
    );
    t.keys("g");
    assert!(t.screen().contains("Trip 000"));
    t.keys("H");
    let s = t.screen();
    assert!(s.contains("Past trips (5)"), "{s}");
    let first = s.find("Trip 900").expect("the most recent first");
    assert!(first < s.find("Trip 904").unwrap(), "{s}");
    t.keys("H");
    assert!(t.screen().contains("Trips (250)"));
}

#[test]
fn quick_capture_keeps_what_it_did_not_understand_and_never_files_a_guess_unseen() {
    let mut t = H::new(100, 30);
    let before = t.tasks().len();
    t.keys(":");
    t.keys("lorem ipsum dolor");
    assert!(
        t.screen().contains("Enter opens the task form"),
        "{}",
        t.screen()
    );
    t.code(KeyCode::Enter);
    assert!(t.screen().contains("New task"), "{}", t.screen());
    assert_eq!(t.tasks().len(), before, "nothing filed yet");
    t.code(KeyCode::Esc);
    t.keys("y");
    t.keys(":");
    t.keys("xyzzy 123 !!! @@ fri 99:99");
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("New event"), "{s}");
    assert!(s.contains("kept in Notes"), "{s}");
    let Some(secretaire::app::Popup::Form(f)) = &t.app.popup else {
        panic!()
    };
    let notes = f.fields.iter().find(|x| x.key == "notes").unwrap().text();
    assert!(notes.contains("99:99") && notes.contains("!!!"), "{notes}");
    assert_eq!(f.focused().unwrap().key, "start");
    // saving keeps it: the typed line is in the event's notes
    t.code(KeyCode::Enter);
    let events = t.store.list_events(&Default::default()).unwrap();
    let e = events
        .iter()
        .find(|e| e.title == "Xyzzy 123")
        .expect("saved");
    assert!(
        e.notes.contains("xyzzy 123 !!! @@ fri 99:99"),
        "{}",
        e.notes
    );
}

#[test]
fn remapped_keys_are_the_ones_the_screen_names() {
    let mut keys = std::collections::BTreeMap::new();
    keys.insert("pane.tasks".to_string(), "F6".to_string());
    keys.insert("undo".to_string(), "ctrl-z".to_string());
    keys.insert("yes".to_string(), "o".to_string());
    let config = Config {
        timezone: TZ,
        bell: false,
        keys,
        ..Config::default()
    };
    let mut t = H::with_config(120, 30, true, config, vec![]);
    let s = t.screen();
    assert!(s.contains("│ F6 Tasks"), "{s}");
    assert!(!s.contains(" 6 Tasks"), "{s}");
    t.keys("6");
    assert_eq!(t.app.pane, Pane::Today, "6 does nothing now");
    t.code(KeyCode::F(6));
    assert_eq!(t.app.pane, Pane::Tasks);
    t.keys("d");
    let s = t.screen();
    assert!(s.contains("? (o/n)"), "{s}");
    assert!(s.contains("│o  yes"), "{s}");
    t.keys("o");
    let s = t.screen();
    assert!(s.contains("(undo: C-z)"), "{s}");
    assert!(!s.contains("u to undo"), "{s}");
}

#[test]
fn every_config_warning_is_readable_in_help_in_the_order_of_the_file() {
    let text = "work_start = \"nine\"\ntimezone = \"Mars/Olympus\"\nbell = \"loud\"\n\n[keys]\nquit = \"banana\"\nnonsense = \"x\"\n";
    let mut warnings = Vec::new();
    let mut config = secretaire::config::parse(text, "cfg.toml", &mut warnings);
    config.timezone = TZ;
    config.bell = false;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let clock = FixedClock::new(now());
    let mut app = App::with_config_file(&config, now(), warnings, Some(("cfg.toml", text)));
    assert_eq!(app.warnings.len(), 5, "{:?}", app.warnings);
    let lines: Vec<&str> = app
        .warnings
        .iter()
        .map(|w| w.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "cfg.toml:1",
            "cfg.toml:2",
            "cfg.toml:3",
            "cfg.toml:6",
            "cfg.toml:7"
        ],
        "{:?}",
        app.warnings
    );
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    tui::start(&mut app, &store, &clock, &mut term).unwrap();
    let screen = |term: &Terminal<TestBackend>| {
        let buf = term.backend().buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let key = |app: &mut App, term: &mut Terminal<TestBackend>, c: char| {
        let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        tui::step(app, &store, &clock, Some(ev), term).unwrap();
    };
    assert!(
        screen(&term).contains("5 config warnings (? lists them all): cfg.toml:1: work_start"),
        "{}",
        screen(&term)
    );
    key(&mut app, &mut term, '?');
    let s = screen(&term);
    assert!(s.contains("Config warnings (5)"), "{s}");
    let at = |needle: &str| s.find(needle).unwrap_or_else(|| panic!("{needle}: {s}"));
    assert!(at("work_start") < at("Mars/Olympus"));
    assert!(at("Mars/Olympus") < at("'loud'"));
    assert!(at("'loud'") < at("banana"));
    assert!(at("banana") < at("keys.nonsense"));
    // help scrolls no further than its end: one k after many j moves at once
    for _ in 0..300 {
        key(&mut app, &mut term, 'j');
    }
    let bottom = screen(&term);
    key(&mut app, &mut term, 'k');
    assert_ne!(screen(&term), bottom, "k scrolls back at once");
}

#[test]
fn a_form_taller_than_the_screen_scrolls_to_the_focused_field() {
    let mut t = H::new(40, 12);
    t.keys("2a");
    t.keys("Board");
    for _ in 0..10 {
        t.code(KeyCode::Tab);
    }
    let Some(secretaire::app::Popup::Form(f)) = &t.app.popup else {
        panic!()
    };
    assert_eq!(f.focused().unwrap().key, "notes");
    t.keys("bring the slides");
    let s = t.screen();
    assert!(s.contains("Notes"), "the focused field is on screen: {s}");
    assert!(s.contains("slides"), "the typing shows where it goes: {s}");
    insta::assert_snapshot!("event_form_40x12", s);
    // back up to the first field: it scrolls back
    for _ in 0..10 {
        t.code(KeyCode::BackTab);
    }
    let s = t.screen();
    assert!(s.contains("Title") && s.contains("Board"), "{s}");
}

#[test]
fn the_day_view_is_a_timeline_with_the_hours_and_now_marked_on_today() {
    let mut t = H::new(80, 24);
    t.keys("2v");
    let s = t.screen();
    insta::assert_snapshot!("schedule_day_80x24", s);
    let line_of = |s: &str, needle: &str| {
        s.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {s}"))
    };
    // hours down the side, each event at its hour, now between them
    assert!(line_of(&s, "08:00 │") < line_of(&s, "09:00 │ 09:30–11:00  Board meeting"));
    assert!(line_of(&s, "Board meeting") < line_of(&s, "── 10:00 now ──"));
    assert!(line_of(&s, "── 10:00 now ──") < line_of(&s, "Press call"));
    assert!(
        s.contains("15:00 │ 15:00–16:00  Dentist (cancelled)"),
        "{s}"
    );
    assert!(s.contains("17:00 │"), "a working day at least: {s}");
    // tomorrow: no now mark; Lunch at its hour
    t.keys("l");
    let s = t.screen();
    assert!(!s.contains("now ──"), "{s}");
    assert!(s.contains("12:00 │ 12:00–13:00  Lunch with Anna"), "{s}");
    assert_eq!(t.app.schedule.current().unwrap().title, "Lunch with Anna");
}

#[test]
fn delegate_suggests_contacts_from_the_store() {
    let mut t = H::new(100, 30);
    t.keys("6D");
    t.keys("tel");
    let s = t.screen();
    assert!(s.contains("  Telia"), "{s}");
    t.code(KeyCode::Down);
    t.code(KeyCode::Enter);
    let task = t
        .tasks()
        .into_iter()
        .find(|x| x.subject.starts_with("Answer Anna"))
        .unwrap();
    assert_eq!(task.delegated_to, "Telia");
}

#[test]
fn opening_a_repeating_event_shows_the_occurrence_not_the_series_start() {
    let mut t = H::with(100, 30, false);
    // started in September, every Monday
    let mut weekly = weekly_sync(Utc.with_ymd_and_hms(2026, 9, 14, 12, 0, 0).unwrap());
    weekly.location = "Room 4".into();
    t.store.insert_event(&weekly).unwrap();
    t.keys("2");
    t.keys("1");
    assert!(t.screen().contains("Weekly sync"), "{}", t.screen());
    // Today: the timeline's first event is today's occurrence
    while !matches!(
        t.app.today.current(),
        Some(secretaire::app::today::TodayItem::Event(_))
    ) {
        t.keys("j");
    }
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(
        s.contains("Mon 23 Nov 2026 14:00"),
        "today's date and time: {s}"
    );
    assert!(!s.contains("14 Sep 2026 14:00"), "{s}");
    assert!(
        s.contains("every week on Mon (series from Mon 14 Sep 2026)"),
        "{s}"
    );
    t.code(KeyCode::Esc);
    // the Schedule too, for next week's
    t.keys("2j");
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Mon 30 Nov 2026 14:00"), "{s}");
}

// ------------------------------------------------------------------------------------------
// Undo never undoes another process's change

fn task_by_id(s: &Store, id: i64) -> Task {
    s.get_task(id).unwrap()
}

#[test]
fn undo_of_done_keeps_what_a_script_changed_meanwhile() {
    let mut t = H::new(100, 30);
    t.keys("6");
    let id = t.app.tasks.list.current().unwrap().id;
    let orig = task_by_id(&t.store, id);
    t.keys("x");
    assert_eq!(task_by_id(&t.store, id).status, TaskStatus::Done);
    // `secretaire edit task ID --subject RENAMED --notes IMPORTANT` from another process
    let other = Store::open(&t.path).unwrap();
    let mut x = other.get_task(id).unwrap();
    x.subject = "RENAMED".into();
    x.notes = "IMPORTANT".into();
    other.update_task(&x).unwrap();
    t.keys("u");
    let back = task_by_id(&t.store, id);
    assert_eq!(back.status, orig.status, "our change is undone");
    assert_eq!(back.done_at, None);
    assert_eq!(back.subject, "RENAMED", "the script's subject stays");
    assert_eq!(back.notes, "IMPORTANT", "the script's notes stay");
    assert!(t.screen().contains("Undid: done task"), "{}", t.screen());
}

#[test]
fn undo_of_done_puts_the_cursor_back_on_that_task() {
    let mut t = H::new(100, 30);
    t.keys("6j");
    let id = t.app.tasks.list.current().unwrap().id;
    t.keys("x");
    assert_ne!(t.app.tasks.list.current().map(|x| x.id), Some(id));
    t.keys("u");
    assert_eq!(t.app.tasks.list.current().map(|x| x.id), Some(id));
    // so the next key acts on it, not on its neighbour
    t.keys("x");
    assert_eq!(task_by_id(&t.store, id).status, TaskStatus::Done);
}

#[test]
fn a_record_deleted_elsewhere_is_never_confused_with_one_added_since() {
    // the audit's case: a delete question open on the newest task while a script deletes it
    // and adds another, which SQLite would have given the same id
    let mut t = H::new(100, 30);
    let newest = {
        let mut n = Task::new("FIFTH: board pack for CEO", now());
        n.due = None;
        t.store.insert_task(&n).unwrap()
    };
    t.keys("6/FIFTH");
    t.code(KeyCode::Enter);
    assert_eq!(t.app.tasks.list.current().map(|x| x.id), Some(newest));
    t.keys("d");
    assert!(t.screen().contains("FIFTH"), "{}", t.screen());
    let other = Store::open(&t.path).unwrap();
    other.delete_task(newest).unwrap();
    let added = other
        .insert_task(&Task::new("SIXTH: pay the rent", now()))
        .unwrap();
    assert_ne!(added, newest, "a new id");
    t.keys("y");
    assert_eq!(task_by_id(&t.store, added).subject, "SIXTH: pay the rent");
    let s = t.screen();
    assert!(s.contains("failed: no task with id"), "{s}");
}

#[test]
fn undo_of_a_form_edit_reverts_only_the_fields_the_form_changed() {
    let mut t = H::new(100, 30);
    t.keys("6");
    let id = t.app.tasks.list.current().unwrap().id;
    let orig = task_by_id(&t.store, id);
    t.keys("e");
    // while the form is open a script sets notes and priority
    let other = Store::open(&t.path).unwrap();
    let mut x = other.get_task(id).unwrap();
    x.notes = "from the script".into();
    x.priority = Priority::Low;
    other.update_task(&x).unwrap();
    t.keys(" (edited)");
    t.code(KeyCode::Enter);
    let saved = task_by_id(&t.store, id);
    assert_eq!(saved.subject, format!("{} (edited)", orig.subject));
    assert_eq!(
        saved.notes, "from the script",
        "the save kept the script's notes"
    );
    t.keys("u");
    let back = task_by_id(&t.store, id);
    assert_eq!(back.subject, orig.subject, "the subject change is undone");
    assert_eq!(
        back.notes, "from the script",
        "notes stay as the script left them"
    );
    assert_eq!(back.priority, Priority::Low, "priority too");
}

#[test]
fn undo_leaves_a_field_changed_elsewhere_after_the_step_and_says_so() {
    let mut t = H::new(100, 30);
    t.keys("6");
    let id = t.app.tasks.list.current().unwrap().id;
    t.keys("x");
    // the script reopens it as waiting: the very field our step changed
    let other = Store::open(&t.path).unwrap();
    let mut x = other.get_task(id).unwrap();
    x.status = TaskStatus::Waiting;
    x.done_at = None;
    other.update_task(&x).unwrap();
    t.keys("u");
    assert_eq!(task_by_id(&t.store, id).status, TaskStatus::Waiting);
    let s = t.screen();
    assert!(
        s.contains("status was changed elsewhere since, kept"),
        "{s}"
    );
    assert!(t.app.undo.is_empty());
}

#[test]
fn a_step_whose_record_was_deleted_elsewhere_is_dropped_and_the_one_before_undone() {
    let mut t = H::new(100, 30);
    t.keys("6");
    let a = t.app.tasks.list.current().unwrap().id;
    t.keys("x");
    t.keys("j");
    let b = t.app.tasks.list.current().unwrap().id;
    assert_ne!(a, b);
    t.keys("x");
    Store::open(&t.path).unwrap().delete_task(b).unwrap();
    t.keys("u");
    let s = t.screen();
    assert!(
        s.contains(&format!("task {b} was deleted elsewhere")),
        "{s}"
    );
    // the message, with its key hint, is on screen whole (wrapped between words, not cut)
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains("step dropped, u undoes the step before"),
        "{s}"
    );
    t.keys("u");
    assert_eq!(task_by_id(&t.store, a).status, TaskStatus::Open);
    assert!(t.screen().contains("Undid: done task"), "{}", t.screen());
    assert!(t.app.undo.is_empty());
}

#[test]
fn undo_of_an_add_keeps_a_record_changed_elsewhere_since() {
    let mut t = H::new(100, 30);
    t.keys("6a");
    t.keys("Call the bank");
    t.code(KeyCode::Enter);
    let new = t
        .tasks()
        .into_iter()
        .find(|x| x.subject == "Call the bank")
        .unwrap();
    let other = Store::open(&t.path).unwrap();
    let mut x = other.get_task(new.id).unwrap();
    x.notes = "the script wrote here".into();
    other.update_task(&x).unwrap();
    t.keys("u");
    assert!(t.store.get_task(new.id).is_ok(), "not deleted");
    assert!(
        t.screen()
            .contains("was changed elsewhere since it was added"),
        "{}",
        t.screen()
    );
    assert!(t.app.undo.is_empty());
}

// ------------------------------------------------------------------------------------------
// Invoice totals: every status shown, every total reachable

fn many_currency_invoices(s: &Store) {
    let curs = ["SEK", "EUR", "USD", "GBP", "NOK", "DKK", "CHF"];
    let statuses = [
        InvoiceStatus::Received,
        InvoiceStatus::Approved,
        InvoiceStatus::Disputed,
        InvoiceStatus::Paid,
        InvoiceStatus::Cancelled,
    ];
    let mut n = 0;
    for st in statuses {
        for (i, c) in curs.iter().enumerate() {
            n += 1;
            let mut inv = Invoice {
                id: 0,
                vendor_id: None,
                vendor_name: format!("Vendor {n}"),
                number: format!("M-{n}"),
                issue_date: d(11, 1),
                due_date: d(12, 1 + (n % 20) as u32),
                amount: Money::new(1_000_000 * (i as i64 + 1), Currency::parse(c).unwrap()),
                status: InvoiceStatus::Received,
                paid_date: None,
                payment_ref: String::new(),
                document_path: String::new(),
                notes: String::new(),
            };
            if st == InvoiceStatus::Paid {
                inv.mark_paid(d(11, 20));
            } else {
                inv.status = st;
            }
            s.insert_invoice(&inv).unwrap();
        }
    }
}

#[test]
fn invoice_totals_show_every_status_and_t_lists_every_total() {
    let mut t = H::new(80, 24);
    many_currency_invoices(&t.store);
    t.keys("5");
    let s = t.screen();
    insta::assert_snapshot!("invoices_many_currencies_80x24", s);
    for status in ["received", "approved", "disputed"] {
        assert!(
            s.lines()
                .any(|l| l.contains(status) && l.contains("more (T)")),
            "{status}: {s}"
        );
    }
    t.keys("T");
    let s = t.screen();
    assert!(s.contains("Invoice totals"), "{s}");
    insta::assert_snapshot!("invoice_totals_popup_80x24", s);
    // the popup scrolls through every total: collect what it shows
    let mut seen = String::new();
    for _ in 0..60 {
        seen.push_str(&t.screen());
        t.keys("j");
    }
    for tot in t.store.invoice_totals().unwrap() {
        let entry = tot.total.to_string();
        assert!(seen.contains(&entry), "{} {entry} missing", tot.status);
    }
    for status in ["received", "approved", "disputed", "paid", "cancelled"] {
        assert!(seen.contains(status), "{status}");
    }
    t.code(KeyCode::Esc);
    // H lists paid and cancelled invoices, and the footer their totals
    t.keys("H");
    let s = t.screen();
    for status in ["paid", "cancelled"] {
        assert!(
            s.lines()
                .any(|l| l.trim_start().starts_with(status)
                    || l.contains(&format!("Totals {status}"))),
            "{status}: {s}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// Schedule: selection and scroll per view

fn forum(s: &Store) {
    let mut e = Ev::new(
        "Forum",
        EventTime::AllDay {
            start: d(11, 21),
            end: d(11, 26),
        },
        now() - Duration::days(10),
    );
    e.uid = "forum@test".into();
    s.insert_event(&e).unwrap();
}

#[test]
fn schedule_opens_on_today_and_each_view_starts_with_its_day_in_view() {
    let mut t = H::new(100, 30);
    forum(&t.store);
    t.keys("2");
    let s = t.screen();
    // the Forum (since Saturday) is listed under today, which is the first heading
    let body: Vec<&str> = s.lines().skip(2).collect();
    assert!(body[0].contains("Monday 23 November  (today)"), "{s}");
    assert!(!s.contains("Saturday 21 November"), "{s}");
    // v: the day view of today, not of Saturday; the day fits, so all of it shows
    t.keys("v");
    let s = t.screen();
    assert!(s.contains("Monday 23 November 2026"), "{s}");
    assert!(s.contains("all day") && s.contains("Forum"), "{s}");
    assert!(s.contains("08:00"), "the morning is not scrolled off: {s}");
    // scrolled down in a long agenda, t brings today's heading back
    t.keys("vvv"); // week, month, agenda
    for _ in 0..30 {
        t.keys("j");
    }
    t.keys("t");
    let s = t.screen();
    assert!(s.contains("Monday 23 November  (today)"), "{s}");
    t.keys("v");
    let s = t.screen();
    assert!(s.contains("08:00") && s.contains("Forum"), "{s}");
}

#[test]
fn agenda_at_80_columns_cuts_the_title_never_the_markers() {
    let mut t = H::new(80, 24);
    let mut e = Ev::new(
        "Interview: Dagens Industri about the quarterly results and the outlook",
        EventTime::Timed {
            start: at(23, 14, 0),
            end: at(23, 15, 0),
            tz: TZ,
        },
        now(),
    );
    e.uid = "di@test".into();
    e.location = "Office, meeting room 4 on the fifth floor".into();
    t.store.insert_event(&e).unwrap();
    let mut c = e.clone();
    c.uid = "call@test".into();
    c.title = "Call: Johan Lindqvist".into();
    c.time = EventTime::Timed {
        start: at(23, 14, 30),
        end: at(23, 15, 0),
        tz: TZ,
    };
    t.store.insert_event(&c).unwrap();
    let mut w = weekly_sync(at(23, 16, 0));
    w.title = "Weekly sync with the whole communications department".into();
    t.store.insert_event(&w).unwrap();
    t.keys("2");
    let s = t.screen();
    insta::assert_snapshot!("agenda_long_titles_80x24", s);
    let row = s.lines().find(|l| l.contains("Interview")).unwrap();
    assert!(row.contains("⚠ overlaps"), "{row}");
    assert!(row.contains("@ Office"), "{row}");
    let row = s.lines().find(|l| l.contains("Weekly sync")).unwrap();
    assert!(row.trim_end().ends_with('↻'), "{row}");
}

#[test]
fn week_view_lists_travel_among_events_by_time_each_kind_with_its_icon() {
    let mut t = H::new(120, 30);
    let mut e = Ev::new(
        "Planning",
        EventTime::Timed {
            start: at(25, 8, 0), // 09:00 in Stockholm, between the two flights
            end: at(25, 9, 0),
            tz: TZ,
        },
        now(),
    );
    e.uid = "planning@test".into();
    t.store.insert_event(&e).unwrap();
    let car = Segment {
        id: 0,
        trip_id: 0,
        uid: "car@test".into(),
        kind: SegmentKind::Car,
        provider: "Hertz".into(),
        number: "CAR".into(),
        confirmation: String::new(),
        origin: "Arlanda".into(),
        destination: "Uppsala".into(),
        depart: at(26, 6, 0), // 07:00, before the 14:00 budget review
        depart_tz: TZ,
        arrive: at(26, 7, 0),
        arrive_tz: TZ,
        seat: String::new(),
        cost: None,
        status: SegmentStatus::Booked,
        notes: String::new(),
    };
    t.store
        .insert_trip(&Trip {
            id: 0,
            name: "Uppsala".into(),
            purpose: String::new(),
            notes: String::new(),
            segments: vec![car],
        })
        .unwrap();
    t.keys("2vv");
    let s = t.screen();
    assert!(s.contains("Week"), "{s}");
    let col = |text: &str| t.find(text).unwrap_or_else(|| panic!("{text}: {s}"));
    // Wednesday: flight 08:00, the 09:00 meeting, flight 10:30, in that order down the column
    let (x1, y1) = col("✈08:00");
    let (x2, y2) = col("09:00 Planning");
    let (x3, y3) = col("✈10:30");
    assert!(x1 == x2 && x2 == x3 && y1 < y2 && y2 < y3, "{s}");
    // Thursday: the car (its own icon, not a plane) before the 14:00 review
    let (x4, y4) = col("◇07:00 CAR");
    let (x5, y5) = col("14:00 Budget");
    assert!(x4 == x5 && y4 < y5, "{s}");
    assert!(!s.contains("✈07:00"), "{s}");
}

// ------------------------------------------------------------------------------------------
// Reminders

#[test]
fn a_reminder_strip_takes_only_its_own_keys_and_says_started_after_the_start() {
    let mut t = H::setup(100, 30, |s| {
        auditors_call(s);
        // going on already (since 09:30): its reminder is not announced late
        let mut board = s
            .list_events(&Default::default())
            .unwrap()
            .into_iter()
            .find(|e| e.title == "Board meeting")
            .unwrap();
        board.reminder_minutes = Some(15);
        s.update_event(&board).unwrap();
    });
    let s = t.screen();
    insta::assert_snapshot!("reminder_strip_100x30", s);
    assert!(
        s.contains("Reminder: Call with the auditors · starts 10:30, in 30 min"),
        "{s}"
    );
    assert!(!s.contains("Reminder: Board meeting"), "{s}");
    // x, u and the panes' y (copy) and n go to the pane as if the strip were not there
    let first = t.app.today.data.tasks[0].id;
    t.keys("x");
    assert_eq!(t.store.get_task(first).unwrap().status, TaskStatus::Done);
    t.keys("u");
    assert_eq!(t.store.get_task(first).unwrap().status, TaskStatus::Open);
    t.keys("yn");
    assert!(t.screen().contains("Reminder: Call with the auditors"));
    // after the start it says so, and Esc dismisses it
    t.clock.advance(Duration::minutes(35));
    t.tick();
    assert!(t.screen().contains("started 10:30"), "{}", t.screen());
    t.code(KeyCode::Esc);
    let s = t.screen();
    assert!(!s.contains("Reminder:"), "{s}");
    assert!(s.contains("reminder dismissed"), "{s}");
}

impl H {
    /// A second screen on the same file, its clock at this one's time: a restart after quit
    /// (the other one then stays unused), or another TUI beside this one.
    fn second_screen(&self) -> H {
        let store = Store::open(&self.path).unwrap();
        let config = Config {
            timezone: TZ,
            bell: false,
            ..Config::default()
        };
        let clock = FixedClock::new(secretaire::clock::Clock::now(&self.clock));
        let mut app = App::new(&config, secretaire::clock::Clock::now(&clock), vec![]);
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let last = tui::start(&mut app, &store, &clock, &mut term).unwrap();
        H {
            _dir: tempfile::tempdir().unwrap(),
            path: self.path.clone(),
            store,
            clock,
            app,
            term,
            last,
        }
    }
}

/// The auditors' call at 10:30 local, its reminder due at 09:30 (an hour before).
fn auditors_call(s: &Store) {
    let mut e = Ev::new(
        "Call with the auditors",
        EventTime::Timed {
            start: at(23, 9, 30),
            end: at(23, 10, 0),
            tz: TZ,
        },
        now() - Duration::days(1),
    );
    e.uid = "auditors@test".into();
    e.reminder_minutes = Some(60);
    s.insert_event(&e).unwrap();
}

#[test]
fn a_dismissed_reminder_does_not_come_back_after_a_restart_or_on_another_screen() {
    let mut t = H::setup(100, 30, auditors_call);
    // a second screen open beside it shows the same reminder
    let mut other = t.second_screen();
    assert!(other.screen().contains("Reminder: Call with the auditors"));
    t.code(KeyCode::Esc);
    assert!(!t.screen().contains("Reminder:"));
    // the other screen sees the dismissal on its next tick, as it sees other changes
    other.tick();
    assert!(!other.screen().contains("Reminder:"), "{}", other.screen());
    // quit and start again: still dismissed
    t.clock.advance(Duration::minutes(10));
    let mut again = t.second_screen();
    again.tick();
    assert!(!again.screen().contains("Reminder:"), "{}", again.screen());
}

#[test]
fn a_dismissal_that_cannot_be_kept_says_so_and_still_holds_on_this_screen() {
    let mut t = H::setup(100, 30, auditors_call);
    assert!(t.screen().contains("Reminder: Call with the auditors"));
    rusqlite::Connection::open(&t.path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON reminder_answers \
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    t.tick();
    t.code(KeyCode::Esc);
    let s = t.screen();
    assert!(
        s.contains("keeping the reminder's dismissal failed") && s.contains("disk full"),
        "{s}"
    );
    t.clock.advance(Duration::minutes(1));
    t.tick();
    assert!(!t.screen().contains("Reminder:"), "{}", t.screen());
    assert!(t.store.reminder_answers().unwrap().is_empty());
}

#[test]
fn a_snoozed_reminder_comes_back_after_a_restart_when_its_snooze_is_over() {
    let mut t = H::setup(100, 30, auditors_call);
    assert!(t.screen().contains("Reminder: Call with the auditors"));
    t.keys("z");
    assert!(
        t.screen().contains("reminder snoozed 5 minutes"),
        "{}",
        t.screen()
    );
    t.clock.advance(Duration::minutes(1));
    let mut again = t.second_screen();
    assert!(!again.screen().contains("Reminder:"), "{}", again.screen());
    again.clock.advance(Duration::minutes(3));
    again.tick();
    assert!(!again.screen().contains("Reminder:"), "not yet");
    again.clock.advance(Duration::minutes(1));
    again.tick();
    assert!(
        again.screen().contains("Reminder: Call with the auditors"),
        "{}",
        again.screen()
    );
}

// ------------------------------------------------------------------------------------------
// One damaged row never blanks a pane

fn raw(t: &H, sql: &str) {
    rusqlite::Connection::open(&t.path)
        .unwrap()
        .execute(sql, [])
        .unwrap();
}

#[test]
fn a_task_of_an_unknown_kind_is_left_out_of_tasks_and_today_says_so() {
    let mut t = H::new(100, 30);
    // due today, written by another tool with a kind we do not know
    raw(
        &t,
        "UPDATE tasks SET kind = 'fax' WHERE subject = 'Send the signed contract'",
    );
    t.keys("6");
    let s = t.screen();
    assert!(!s.contains("loading failed"), "{s}");
    assert!(s.contains("Answer Anna about the budget"), "{s}");
    assert!(s.contains("Book dinner for the board"), "{s}");
    assert!(!s.contains("Send the signed contract"), "{s}");
    assert!(s.contains("Tasks: 1 row could not be read"), "{s}");
    assert!(s.contains("2 open"), "the count is what can be shown: {s}");
    t.keys("1");
    let s = t.screen();
    assert!(
        s.contains("1 overdue, 1 due today (1 unreadable)"),
        "the header says why the list is shorter: {s}"
    );
    assert!(!s.contains("more due today"), "{s}");
}

#[test]
fn today_says_in_each_section_how_many_rows_it_could_not_read() {
    let mut t = H::new(120, 40);
    raw(
        &t,
        "UPDATE events SET tz = 'Mars/Olympus' WHERE title = 'Press call'",
    );
    raw(
        &t,
        "UPDATE invoices SET currency = 'XXX' WHERE number = 'HD-77'",
    );
    raw(
        &t,
        "UPDATE segments SET depart_tz = 'Mars/Olympus' WHERE number = 'SK 925'",
    );
    t.keys("2");
    t.keys("1");
    // the status line (which the next key clears) and the headers, which stay
    t.keys("j");
    let s = t.screen();
    for (section, rest) in [
        ("Schedule", "Monday 23 November (1 unreadable)"),
        ("Invoices", "overdue or due within 7 days (1 unreadable)"),
    ] {
        assert!(s.contains(&format!("{section}  {rest}")), "{section}: {s}");
    }
    assert!(s.contains("Board meeting") && s.contains("Telia"), "{s}");
    assert!(
        !s.contains("Press call") && !s.contains("Hotel Diplomat"),
        "{s}"
    );
    // a trip with a segment it cannot read is left out whole
    assert!(s.contains("Travel  next 7 days (1 unreadable)"), "{s}");
    assert!(!s.contains("SK 925"), "{s}");
}

#[test]
fn an_invoice_in_an_unknown_currency_is_left_out_and_the_rest_and_totals_show() {
    let mut t = H::new(100, 30);
    raw(
        &t,
        "UPDATE invoices SET currency = 'XXX' WHERE number = 'HD-77'",
    );
    t.keys("5");
    let s = t.screen();
    assert!(!s.contains("loading failed"), "{s}");
    assert!(s.contains("Telia"), "{s}");
    assert!(!s.contains("Hotel Diplomat"), "{s}");
    assert!(s.contains("Totals received  1 249.00 SEK (1)"), "{s}");
    assert!(s.contains("Invoices: 1 row could not be read"), "{s}");
}

#[test]
fn a_contact_with_an_impossible_birthday_is_left_out_of_contacts() {
    let mut t = H::new(100, 30);
    raw(
        &t,
        "UPDATE contacts SET birthday = '31/02' WHERE name = 'Telia'",
    );
    t.keys("4");
    let s = t.screen();
    assert!(!s.contains("loading failed"), "{s}");
    assert!(s.contains("Anna Berg"), "{s}");
    assert!(s.contains("Contacts: 1 row could not be read"), "{s}");
    // the detail of another contact still opens with its tasks
    t.code(KeyCode::Enter);
    let s = t.screen();
    assert!(s.contains("Answer Anna about the budget"), "{s}");
}

#[test]
fn a_trip_with_an_unreadable_segment_is_left_out_of_travel() {
    let mut t = H::new(100, 30);
    t.store
        .insert_trip(&Trip {
            id: 0,
            name: "Oslo".into(),
            purpose: String::new(),
            notes: String::new(),
            segments: vec![],
        })
        .unwrap();
    raw(
        &t,
        "UPDATE segments SET depart_tz = 'Mars/Olympus' WHERE number = 'SK 925'",
    );
    t.keys("3");
    let s = t.screen();
    assert!(!s.contains("loading failed"), "{s}");
    assert!(s.contains("Oslo"), "{s}");
    assert!(!s.contains("New York board visit"), "{s}");
    assert!(s.contains("Travel: 1 row could not be read"), "{s}");
}

#[test]
fn month_view_t_shows_today_and_the_days_after_it_not_only_the_days_before() {
    let mut t = H::setup(100, 30, |s| {
        for day in 2..20 {
            let mut e = Ev::new(
                format!("Earlier {day}"),
                EventTime::Timed {
                    start: at(day, 9, 0),
                    end: at(day, 10, 0),
                    tz: TZ,
                },
                now() - Duration::days(30),
            );
            e.uid = format!("earlier{day}@test");
            s.insert_event(&e).unwrap();
        }
    });
    t.keys("2vvv");
    assert!(t.screen().contains("Month November 2026"), "{}", t.screen());
    t.keys("t");
    // today's heading and the days after it are in view (not today's first item on the last
    // line under the days before it)
    let s = t.screen();
    assert!(s.contains("Monday 23 November  (today)"), "{s}");
    assert!(s.contains("Budget review"), "{s}");
    assert!(!s.contains("Earlier 10"), "{s}");
}

// ------------------------------------------------------------------------------------------
// Tasks by due in zones far from UTC

/// In zone `z` at 12:00 UTC on 23 Nov, tasks due around today (local days and times): the
/// Tasks pane lists them in due order with each heading once, and Today agrees.
fn due_order_in(z: chrono_tz::Tz) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let today = now.with_timezone(&z).date_naive();
    let at_local = |d: NaiveDate, h: u32| {
        z.from_local_datetime(&d.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let want = [
        ("Yesterday at eight", Due::At(at_local(yesterday, 20))),
        ("Yesterday some time", Due::Date(yesterday)),
        ("Today at nine", Due::At(at_local(today, 9))),
        ("Today at six", Due::At(at_local(today, 18))),
        ("Today some time", Due::Date(today)),
        ("Tomorrow at eight", Due::At(at_local(tomorrow, 8))),
    ];
    let config = Config {
        timezone: z,
        bell: false,
        ..Config::default()
    };
    let mut t = H::prepared_at(100, 30, config, vec![], now, |s| {
        for (name, due) in want.iter().rev() {
            let mut task = Task::new(*name, now - Duration::days(3));
            task.due = Some(*due);
            s.insert_task(&task).unwrap();
        }
    });
    t.keys("6");
    let listed: Vec<&str> = t
        .app
        .tasks
        .list
        .rows
        .iter()
        .map(|x| x.subject.as_str())
        .collect();
    let names: Vec<&str> = want.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, names, "{z}");
    let s = t.screen();
    for head in ["Overdue", "Today", "Next 7 days"] {
        assert_eq!(
            s.lines().filter(|l| l.trim() == head).count(),
            1,
            "{head} once in {z}: {s}"
        );
    }
    let (o, td) = (s.find("Overdue").unwrap(), s.find("Today some").unwrap());
    assert!(o < td, "{s}");
    // Today: the two overdue, then the three due today
    t.keys("1");
    assert!(
        t.screen().contains("2 overdue, 3 due today"),
        "{z}: {}",
        t.screen()
    );
}

#[test]
fn tasks_by_due_keep_their_order_east_of_utc() {
    due_order_in(chrono_tz::Pacific::Auckland);
}

#[test]
fn tasks_by_due_keep_their_order_west_of_utc() {
    due_order_in(chrono_tz::America::Los_Angeles);
}

#[test]
fn moving_the_second_part_of_a_split_says_the_first_part_now_ends_before_it_and_undoes_both() {
    use secretaire::domain::recurrence::expand;
    use secretaire::domain::schedule::change_following;
    // Mondays at 14:00 from 2 Nov, split on today (23 Nov): the second part is today's
    let mut t = H::with(100, 30, false);
    let id = t.store.insert_event(&weekly_sync(at(2, 13, 0))).unwrap();
    let m = t.store.get_event(id).unwrap();
    let rid = NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(14, 0, 0)
        .unwrap();
    let mut edited = m.clone();
    edited.time = EventTime::Timed {
        start: at(23, 13, 0),
        end: at(23, 13, 30),
        tz: TZ,
    };
    let split = change_following(&m, &[], rid, &edited, "second@test", now()).unwrap();
    t.store
        .write(|tx| {
            tx.update_event(&split.update[0])?;
            tx.insert_event(&split.insert[0])
        })
        .unwrap();
    let mondays = |t: &H| -> usize {
        expand(
            &t.store.get_event(id).unwrap(),
            at(1, 0, 0),
            at(30, 0, 0),
            TZ,
        )
        .len()
    };
    assert_eq!(mondays(&t), 3, "2, 9 and 16 Nov");
    // the second part a week earlier, from its form
    t.keys("2");
    t.keys("e");
    assert!(t.screen().contains("Edit event"), "{}", t.screen());
    t.code(KeyCode::Tab);
    t.retype("2026-11-16 14:00");
    t.code(KeyCode::Tab);
    t.retype("2026-11-16 14:30");
    t.code(KeyCode::Enter);
    let flat = t.screen().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("the part before it, 'Weekly sync', now ends before it"),
        "{}",
        t.screen()
    );
    assert!(!flat.contains("changed occurrence"), "{}", t.screen());
    assert_eq!(mondays(&t), 2, "2 and 9 Nov");
    // one undo puts both parts back
    t.keys("u");
    assert_eq!(mondays(&t), 3);
}

#[test]
fn a_long_save_error_in_a_form_wraps_whole_and_keeps_what_was_typed() {
    // 'this and following' from today's meeting moved onto last week's: refused, and the
    // message ends with what to do, which a one-line footer cut off
    let mut t = H::with(100, 30, false);
    t.store.insert_event(&weekly_sync(at(2, 13, 0))).unwrap();
    t.keys("2T");
    assert!(t.screen().contains("this and following"), "{}", t.screen());
    t.code(KeyCode::Tab);
    t.retype("2026-11-16 14:00");
    t.code(KeyCode::Enter);
    let s = t.screen();
    // the message's lines, read across the box's border
    let flat = s
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("the series' last meeting before it: give a start after that day"),
        "{s}"
    );
    assert!(s.contains("2026-11-16 14:00"), "{s}");
    assert_eq!(t.store.list_series("weekly@test").unwrap().len(), 1);
}
