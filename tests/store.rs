//! Store tests on temporary files: reopen, migration from an older schema, refusal of newer
//! ones, constraints, two handles writing at once, backup, paging, windows, search, and a
//! round trip of every field of every record kind.
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rusqlite::Connection;
use secretaire::domain::event::ReminderAnswer;
use secretaire::domain::{
    Attendee, Birthday, Contact, Currency, Due, Event, EventCategory, EventStatus, EventTime,
    Invoice, InvoiceStatus, Kind, Labeled, Money, Priority, Segment, SegmentKind, SegmentStatus,
    Task, TaskDirection, TaskKind, TaskStatus, Trip,
};
use secretaire::store::{
    ContactQuery, EventQuery, InvoiceQuery, SCHEMA_VERSION, Store, StoreError, TaskOrder,
    TaskQuery, TripQuery, schema,
};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn t(d: u32, h: u32) -> DateTime<Utc> {
    at(2026, 11, d, h, 0)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn local(d: u32, h: u32) -> NaiveDateTime {
    day(d).and_hms_opt(h, 0, 0).unwrap()
}

fn sto() -> chrono_tz::Tz {
    chrono_tz::Europe::Stockholm
}

fn timed(title: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Event {
    Event::new(
        title,
        EventTime::Timed {
            start,
            end,
            tz: sto(),
        },
        t(1, 0),
    )
}

fn all_day(title: &str, start: NaiveDate, end: NaiveDate) -> Event {
    Event::new(title, EventTime::AllDay { start, end }, t(1, 0))
}

fn contact(name: &str) -> Contact {
    Contact {
        name: name.into(),
        ..Default::default()
    }
}

fn segment(dep: DateTime<Utc>, arr: DateTime<Utc>) -> Segment {
    Segment {
        id: 0,
        trip_id: 0,
        uid: String::new(),
        kind: SegmentKind::Flight,
        provider: "SAS".into(),
        number: "SK 903".into(),
        confirmation: "ABC123".into(),
        origin: "ARN".into(),
        destination: "EWR".into(),
        depart: dep,
        depart_tz: sto(),
        arrive: arr,
        arrive_tz: chrono_tz::America::New_York,
        seat: "12A".into(),
        cost: None,
        status: SegmentStatus::Booked,
        notes: String::new(),
    }
}

fn trip(name: &str, segments: Vec<Segment>) -> Trip {
    Trip {
        id: 0,
        name: name.into(),
        purpose: String::new(),
        notes: String::new(),
        segments,
    }
}

fn invoice(vendor: &str, due: NaiveDate, minor: i64, cur: &str) -> Invoice {
    Invoice {
        id: 0,
        vendor_id: None,
        vendor_name: vendor.into(),
        number: "INV-1".into(),
        issue_date: day(1),
        due_date: due,
        amount: Money::new(minor, Currency::parse(cur).unwrap()),
        status: InvoiceStatus::Received,
        paid_date: None,
        payment_ref: String::new(),
        document_path: String::new(),
        notes: String::new(),
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn invalid_field(r: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid(v)) => v.field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn reopen_keeps_data_and_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/secretaire.db");
    let id = {
        let s = Store::open(&path).unwrap();
        let id = s
            .insert_event(&timed("Board", t(23, 9), t(23, 10)))
            .unwrap();
        assert_eq!(mode(&path), 0o600);
        for ext in ["-wal", "-shm"] {
            // SQLite gives its side files the database file's mode.
            let side = path.with_file_name(format!("secretaire.db{ext}"));
            assert!(side.exists(), "{ext} exists while open in WAL mode");
            assert_eq!(mode(&side), 0o600, "{ext}");
        }
        id
    };
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.get_event(id).unwrap().title, "Board");
    assert_eq!(s.path(), Some(path.as_path()));
    assert_eq!(mode(&path), 0o600);
    let journal: String = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn migration_from_version_one_keeps_rows_and_adds_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::migrations().to_version(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, uid, name, organization) VALUES (1, 'c1', 'Åsa Öberg', 'Telia');
             INSERT INTO contact_tags (contact_id, position, tag) VALUES (1, 0, 'VIP');
             INSERT INTO contact_emails (contact_id, position, label, value) VALUES (1, 0, 'work', 'asa@telia.se');
             INSERT INTO events (id, uid, title, all_day, start_at, end_at, tz, category, status, created, updated)
               VALUES (7, 'e7', 'Styrelsemöte', 0, 1795424400, 1795428000, 'Europe/Stockholm', 'meeting', 'confirmed', 0, 0);
             INSERT INTO event_attendees (event_id, position, contact_id, name, email)
               VALUES (7, 0, 1, 'Åsa', 'asa@telia.se');
             INSERT INTO contact_phones (contact_id, position, label, value) VALUES (1, 0, 'mobile', '070-123 45 67');
             INSERT INTO tasks (id, kind, direction, contact_id, subject, due_date, priority, status, created)
               VALUES (3, 'call', 'outgoing', 1, 'Ring Åsa', '2026-11-24', 'high', 'open', 0);
             INSERT INTO invoices (id, vendor_id, issue_date, due_date, amount_minor, currency, status)
               VALUES (4, 1, '2026-11-01', '2026-11-30', 124900, 'SEK', 'received');
             INSERT INTO trips (id, name, first_depart, last_arrive) VALUES (5, 'New York', 1795424400, 1795453200);
             INSERT INTO segments (id, trip_id, uid, kind, number, depart, depart_tz, arrive, arrive_tz, status)
               VALUES (6, 5, 's6', 'flight', 'SK 903', 1795424400, 'Europe/Stockholm', 1795453200, 'America/New_York', 'booked');",
        )
        .unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let s = Store::open(&path).unwrap();
    let v: i64 = Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    // Old rows are readable and the new search keys were filled from them.
    assert_eq!(s.get_event(7).unwrap().title, "Styrelsemöte");
    let found = s
        .list_events(&EventQuery {
            search: Some("STYRELSEMOTE".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    let vip = s
        .list_contacts(&ContactQuery {
            tag: Some("vip".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(vip.len(), 1);
    assert_eq!(vip[0].emails, vec![Labeled::new("work", "asa@telia.se")]);
    assert_eq!(s.find_contacts_by_name("asa", 5).unwrap().len(), 1);
    let by_phone = s
        .count_contacts(&ContactQuery {
            search: Some("0701234567".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_phone, 1);
    let with_asa = s
        .count_events(&EventQuery {
            search: Some("asa@telia".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(with_asa, 1, "attendees are searchable after migrating");
    assert_eq!(
        s.count_invoices(&InvoiceQuery {
            search: Some("1249.00".into()),
            ..Default::default()
        })
        .unwrap(),
        1
    );
    let task = s.get_task(3).unwrap();
    assert_eq!(task.contact_name, "Åsa Öberg");
    assert_eq!(task.priority, Priority::High);
    // due_key was derived for the old task, so due filters work.
    let due = s
        .list_tasks(&TaskQuery {
            due_to: Some(day(24)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(s.get_invoice(4).unwrap().vendor_name, "Åsa Öberg");
    assert_eq!(
        s.list_trips(&TripQuery {
            search: Some("sk 903".into()),
            ..Default::default()
        })
        .unwrap()
        .len(),
        1
    );
    // And it is writable under the new schema.
    s.insert_contact(&contact("Bo")).unwrap();
}

#[test]
fn newer_database_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let s = Store::open(&path).unwrap();
        s.insert_contact(&contact("Anna")).unwrap();
    }
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let _: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                supported: SCHEMA_VERSION
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn not_a_database_is_a_clear_error_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "these are my notes, not a database\n".repeat(200)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // Another program's SQLite file.
    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    let err = Store::open(&other).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert_eq!(std::fs::read(&other).unwrap(), before);

    // A folder.
    assert!(Store::open(dir.path()).is_err());
}

#[test]
fn deleting_a_contact_keeps_invoices_tasks_and_attendees() {
    let s = Store::open_in_memory().unwrap();
    let cid = s.insert_contact(&contact("Telia")).unwrap();
    let mut inv = invoice("", day(20), 100, "SEK");
    inv.vendor_id = Some(cid);
    let iid = s.insert_invoice(&inv).unwrap();
    let mut task = Task::new("Call Telia", t(1, 0));
    task.contact_id = Some(cid);
    let kid = s.insert_task(&task).unwrap();
    let mut e = timed("Review", t(2, 9), t(2, 10));
    e.attendees = vec![Attendee {
        contact_id: Some(cid),
        name: "Telia".into(),
        email: "x@telia.se".into(),
    }];
    let eid = s.insert_event(&e).unwrap();
    // renamed after the task was linked: the task follows (schema v5 keeps the name in step)
    let mut c = s.get_contact(cid).unwrap();
    c.name = "Telia AB".into();
    s.update_contact(&c).unwrap();

    let gone = s.delete_contact(cid).unwrap();
    assert_eq!(gone.name, "Telia AB");
    let inv = s.get_invoice(iid).unwrap();
    assert_eq!(inv.vendor_id, None);
    assert_eq!(inv.vendor_name, "Telia AB");
    assert!(inv.validate().is_ok());
    // the task keeps its counterpart's name, as the invoice does
    let task = s.get_task(kid).unwrap();
    assert_eq!(
        (task.contact_id, task.contact_name.as_str()),
        (None, "Telia AB")
    );
    let listed = s.list_tasks(&TaskQuery::default()).unwrap();
    assert_eq!(listed[0].contact_name, "Telia AB");
    // saving it again (an edit) keeps the name; unlinking on purpose clears it
    let mut task = s.get_task(kid).unwrap();
    task.notes = "still to call".into();
    s.update_task(&task).unwrap();
    assert_eq!(s.get_task(kid).unwrap().contact_name, "Telia AB");
    task.contact_name.clear();
    s.update_task(&task).unwrap();
    assert_eq!(s.get_task(kid).unwrap().contact_name, "");
    let e = s.get_event(eid).unwrap();
    assert_eq!(e.attendees[0].contact_id, None);
    assert_eq!(e.attendees[0].name, "Telia");
    // Undo: the contact comes back with its id.
    assert_eq!(s.insert_contact(&gone).unwrap(), cid);
    assert_eq!(s.get_contact(cid).unwrap(), gone);
}

/// A database from before v5: the tasks' counterpart names are filled from their contacts, and
/// a contact deleted after the upgrade leaves its name on its tasks.
#[test]
fn migration_to_v5_gives_tasks_their_counterparts_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::migrations().to_version(&mut conn, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, uid, name) VALUES (1, 'c1', 'Anna Berg');
             INSERT INTO tasks (id, kind, direction, contact_id, subject, priority, status, created, due_key)
             VALUES (1, 'email', 'incoming', 1, 'Reply to Anna', 'normal', 'open', 0, 9223372036854775807),
                    (2, 'call', 'incoming', NULL, 'Call the bank', 'normal', 'open', 0, 9223372036854775807);",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let raw = |id: i64| -> String {
        Connection::open(&path)
            .unwrap()
            .query_row("SELECT contact_name FROM tasks WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!((raw(1), raw(2)), ("Anna Berg".to_string(), String::new()));
    s.delete_contact(1).unwrap();
    let t = s.get_task(1).unwrap();
    assert_eq!((t.contact_id, t.contact_name.as_str()), (None, "Anna Berg"));
    assert_eq!(s.get_task(2).unwrap().contact_name, "");
}

#[test]
fn deleting_a_trip_cascades_to_segments_and_spans_follow_segments() {
    let s = Store::open_in_memory().unwrap();
    let tid = s
        .insert_trip(&trip(
            "NYC",
            vec![segment(t(25, 9), t(25, 17)), segment(t(28, 18), t(29, 7))],
        ))
        .unwrap();
    let tr = s.get_trip(tid).unwrap();
    assert_eq!(tr.segments.len(), 2);
    assert!(
        tr.segments
            .iter()
            .all(|x| x.trip_id == tid && !x.uid.is_empty())
    );
    let sid = tr.segments[1].id;

    // Window over trips follows the segment span, also after a segment moves.
    let in_window = |s: &Store, from, to| {
        s.list_trips(&TripQuery {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        })
        .unwrap()
        .len()
    };
    assert_eq!(in_window(&s, t(29, 0), t(30, 0)), 1);
    s.delete_segment(sid).unwrap();
    assert_eq!(in_window(&s, t(29, 0), t(30, 0)), 0);
    let mut late = segment(at(2026, 12, 3, 8, 0), at(2026, 12, 3, 9, 0));
    late.trip_id = tid;
    let late_id = s.insert_segment(&late).unwrap();
    assert_eq!(
        in_window(&s, at(2026, 12, 3, 0, 0), at(2026, 12, 4, 0, 0)),
        1
    );

    let deleted = s.delete_trip(tid).unwrap();
    assert_eq!(deleted.segments.len(), 2);
    assert!(matches!(
        s.get_segment(late_id),
        Err(StoreError::NotFound {
            kind: "segment",
            ..
        })
    ));
    // Undo restores trip and segments with their ids.
    assert_eq!(s.insert_trip(&deleted).unwrap(), tid);
    assert_eq!(s.get_trip(tid).unwrap(), deleted);
}

#[test]
fn update_trip_makes_segments_exactly_the_given_list() {
    let s = Store::open_in_memory().unwrap();
    let tid = s
        .insert_trip(&trip(
            "Paris",
            vec![segment(t(25, 9), t(25, 11)), segment(t(27, 9), t(27, 11))],
        ))
        .unwrap();
    let mut tr = s.get_trip(tid).unwrap();
    let dropped = tr.segments.remove(0).id;
    tr.segments[0].seat = "3C".into();
    let mut hotel = segment(t(25, 14), t(27, 8));
    hotel.kind = SegmentKind::Hotel;
    tr.segments.push(hotel);
    tr.name = "Paris and back".into();
    s.update_trip(&tr).unwrap();
    let got = s.get_trip(tid).unwrap();
    assert_eq!(got.name, "Paris and back");
    assert_eq!(got.segments.len(), 2);
    assert_eq!(
        got.segments[0].kind,
        SegmentKind::Hotel,
        "ordered by depart"
    );
    assert_eq!(got.segments[1].seat, "3C");
    assert!(s.get_segment(dropped).is_err());
    let mut missing = got.clone();
    missing.id = 999;
    assert!(matches!(
        s.update_trip(&missing),
        Err(StoreError::NotFound {
            kind: "trip",
            id: 999
        })
    ));
}

#[test]
fn uid_and_recurrence_id_are_unique_together() {
    let s = Store::open_in_memory().unwrap();
    let mut master = timed("Weekly", t(2, 9), t(2, 10));
    master.uid = "series@x".into();
    master.rrule = Some("FREQ=WEEKLY".into());
    s.insert_event(&master).unwrap();
    let mut dup = master.clone();
    dup.rrule = None;
    assert_eq!(invalid_field(s.insert_event(&dup)), "uid");
    let mut ov = timed("Weekly (moved)", t(9, 11), t(9, 12));
    ov.uid = "series@x".into();
    ov.recurrence_id = Some(local(9, 10));
    let ov_id = s.insert_event(&ov).unwrap();
    assert_eq!(invalid_field(s.insert_event(&ov)), "uid");
    let mut other = ov.clone();
    other.recurrence_id = Some(local(16, 10));
    s.insert_event(&other).unwrap();

    assert_eq!(
        s.find_event_by_uid("series@x", Some(local(9, 10)))
            .unwrap()
            .map(|e| e.id),
        Some(ov_id)
    );
    assert_eq!(
        s.find_event_by_uid("series@x", None)
            .unwrap()
            .unwrap()
            .rrule
            .as_deref(),
        Some("FREQ=WEEKLY")
    );
    assert!(s.find_event_by_uid("nope", None).unwrap().is_none());
    let series = s.list_series("series@x").unwrap();
    assert_eq!(series.len(), 3);
    assert!(series[0].recurrence_id.is_none(), "master first");
}

#[test]
fn validation_and_missing_links_surface_as_invalid_with_the_field() {
    let s = Store::open_in_memory().unwrap();
    assert_eq!(
        invalid_field(s.insert_event(&timed(" ", t(2, 9), t(2, 10)))),
        "title"
    );
    assert_eq!(
        invalid_field(s.insert_event(&timed("x", t(2, 10), t(2, 9)))),
        "end"
    );
    let mut e = timed("x", t(2, 9), t(2, 10));
    e.attendees.push(Attendee {
        contact_id: Some(42),
        name: "Ghost".into(),
        email: String::new(),
    });
    assert_eq!(invalid_field(s.insert_event(&e)), "attendee");
    assert_eq!(
        s.count_events(&EventQuery::default()).unwrap(),
        0,
        "rolled back"
    );

    let mut inv = invoice("Telia", day(20), 100, "SEK");
    inv.vendor_id = Some(42);
    assert_eq!(invalid_field(s.insert_invoice(&inv)), "vendor");
    let mut task = Task::new("x", t(1, 0));
    task.contact_id = Some(42);
    assert_eq!(invalid_field(s.insert_task(&task)), "contact");
    let mut seg = segment(t(25, 9), t(25, 17));
    seg.trip_id = 42;
    assert_eq!(invalid_field(s.insert_segment(&seg)), "trip");
    let mut c = contact("Anna");
    c.emails.push(Labeled::new("work", "not-an-address"));
    assert_eq!(invalid_field(s.insert_contact(&c)), "email");

    // An explicit id that exists already.
    let id = s.insert_task(&Task::new("one", t(1, 0))).unwrap();
    let mut again = Task::new("two", t(1, 0));
    again.id = id;
    assert_eq!(invalid_field(s.insert_task(&again)), "id");
    // Update and delete of missing rows.
    let mut ghost = Task::new("ghost", t(1, 0));
    ghost.id = 999;
    assert!(matches!(
        s.update_task(&ghost),
        Err(StoreError::NotFound {
            kind: "task",
            id: 999
        })
    ));
    assert!(matches!(
        s.delete_invoice(999),
        Err(StoreError::NotFound {
            kind: "invoice",
            id: 999
        })
    ));
    let err = s.get_contact(5).unwrap_err();
    assert_eq!(err.to_string(), "no contact with id 5");
}

#[test]
fn write_is_one_transaction() {
    let s = Store::open_in_memory().unwrap();
    let r: Result<(), StoreError> = s.write(|tx| {
        tx.insert_contact(&contact("A"))?;
        tx.insert_contact(&contact("B"))?;
        assert_eq!(tx.count_contacts(&ContactQuery::default())?, 2);
        tx.insert_contact(&contact(""))?; // invalid: rolls everything back
        Ok(())
    });
    assert!(r.is_err());
    assert_eq!(s.count_contacts(&ContactQuery::default()).unwrap(), 0);
    let ids = s
        .write(|tx| {
            let a = tx.insert_contact(&contact("A"))?;
            let mut task = Task::new("Reply", t(1, 0));
            task.contact_id = Some(a);
            let k = tx.insert_task(&task)?;
            Ok((a, k))
        })
        .unwrap();
    assert_eq!(s.get_task(ids.1).unwrap().contact_name, "A");
}

#[test]
fn two_handles_write_concurrently_without_locking_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    Store::open(&path).unwrap();
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let s = Store::open(&path).unwrap();
                for i in 0..150 {
                    // Read then write in one transaction: the upgrade must wait, not fail.
                    s.write(|tx| {
                        let n = tx.count_tasks(&TaskQuery::default())?;
                        tx.insert_task(&Task::new(format!("w{w} #{i} after {n}"), t(1, 0)))?;
                        Ok(())
                    })
                    .unwrap();
                    // Plain reads between writes.
                    s.list_tasks(&TaskQuery {
                        limit: Some(5),
                        ..Default::default()
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for h in workers {
        h.join().expect("worker ok");
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.count_tasks(&TaskQuery::default()).unwrap(), 300);
}

#[test]
fn handles_creating_or_migrating_one_file_at_once_all_succeed() {
    for round in 0..6 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("race{round}.db"));
        if round % 2 == 1 {
            // An old file that every opener wants to migrate at once.
            let mut conn = Connection::open(&path).unwrap();
            schema::migrations().to_version(&mut conn, 1).unwrap();
        }
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
        let openers: Vec<_> = (0..3)
            .map(|i| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let s = Store::open(&path).unwrap();
                    s.insert_contact(&contact(&format!("opener {i}"))).unwrap();
                })
            })
            .collect();
        for h in openers {
            h.join().expect("open raced without error");
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.count_contacts(&ContactQuery::default()).unwrap(), 3);
    }
}

#[test]
fn data_version_moves_when_another_handle_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dv.db");
    let a = Store::open(&path).unwrap();
    let b = Store::open(&path).unwrap();
    let v0 = a.data_version().unwrap();
    a.insert_contact(&contact("Own write")).unwrap();
    assert_eq!(a.data_version().unwrap(), v0, "own writes do not count");
    b.insert_contact(&contact("Other write")).unwrap();
    let v1 = a.data_version().unwrap();
    assert_ne!(v1, v0);
    assert_eq!(a.data_version().unwrap(), v1, "stable without writes");
    assert_eq!(a.count_contacts(&ContactQuery::default()).unwrap(), 2);
}

#[test]
fn backup_is_private_openable_and_equal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let s = Store::open(&path).unwrap();
    let cid = s.insert_contact(&full_contact()).unwrap();
    s.insert_event(&full_event(cid)).unwrap();
    s.insert_trip(&full_trip()).unwrap();
    s.insert_invoice(&full_invoice(cid)).unwrap();
    s.insert_task(&full_task(cid)).unwrap();

    let dest = dir.path().join("backups/copy.db");
    s.backup_to(&dest).unwrap();
    assert_eq!(mode(&dest), 0o600);
    assert!(!dir.path().join("backups/copy.db-wal").exists());
    let b = Store::open(&dest).unwrap();
    assert_eq!(
        b.list_events(&EventQuery::default()).unwrap(),
        s.list_events(&EventQuery::default()).unwrap()
    );
    assert_eq!(
        b.list_contacts(&ContactQuery::default()).unwrap(),
        s.list_contacts(&ContactQuery::default()).unwrap()
    );
    assert_eq!(
        b.list_trips(&TripQuery::default()).unwrap(),
        s.list_trips(&TripQuery::default()).unwrap()
    );
    assert_eq!(
        b.list_invoices(&InvoiceQuery::default()).unwrap(),
        s.list_invoices(&InvoiceQuery::default()).unwrap()
    );
    assert_eq!(
        b.list_tasks(&TaskQuery::default()).unwrap(),
        s.list_tasks(&TaskQuery::default()).unwrap()
    );
    // Replacing an existing backup works; backing up onto the live file does not.
    s.insert_task(&Task::new("later", t(2, 0))).unwrap();
    s.backup_to(&dest).unwrap();
    assert_eq!(
        Store::open(&dest)
            .unwrap()
            .count_tasks(&TaskQuery::default())
            .unwrap(),
        2
    );
    assert!(s.backup_to(&path).is_err());
}

/// The UI's exports ask the store the same question as the CLI's: the database file (or its
/// -wal) as the target is refused and the file stays a database.
#[test]
fn ui_exports_refuse_the_database_and_its_files() {
    use secretaire::app::{Action, Effect};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let s = Store::open(&path).unwrap();
    s.insert_task(&full_task(s.insert_contact(&full_contact()).unwrap()))
        .unwrap();
    let clock = secretaire::clock::FixedClock::new(t(23, 9));
    let wal = format!("{}-wal", path.display());
    for target in [path.display().to_string(), wal.clone()] {
        let effects = [
            Effect::ExportVcf {
                v3: false,
                path: target.clone(),
            },
            Effect::ExportIcs {
                window: None,
                travel: true,
                tasks: true,
                path: target.clone(),
                tz: sto(),
                profile: secretaire::ics::Profile::Standard,
            },
        ];
        for fx in effects {
            match secretaire::tui::effects::run(&s, &clock, fx) {
                Some(Action::Failed { error, .. }) => {
                    assert!(error.ends_with(": write to another file"), "{error}")
                }
                other => panic!("{target}: {other:?}"),
            }
        }
    }
    assert_eq!(s.count_tasks(&TaskQuery::default()).unwrap(), 1);
    drop(s);
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .count_tasks(&TaskQuery::default())
            .unwrap(),
        1
    );
}

#[test]
fn backup_is_consistent_while_another_handle_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let s = Store::open(&path).unwrap();
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            let w = Store::open(&path).unwrap();
            for i in 0..200 {
                // Always two rows per transaction.
                w.write(|tx| {
                    tx.insert_task(&Task::new(format!("a{i}"), t(1, 0)))?;
                    tx.insert_task(&Task::new(format!("b{i}"), t(1, 0)))?;
                    Ok(())
                })
                .unwrap();
            }
        })
    };
    for k in 0..5 {
        let dest = dir.path().join(format!("snap{k}.db"));
        s.backup_to(&dest).unwrap();
        let n = Store::open(&dest)
            .unwrap()
            .count_tasks(&TaskQuery::default())
            .unwrap();
        assert_eq!(n % 2, 0, "a backup never holds half a transaction");
    }
    writer.join().unwrap();
}

#[test]
fn event_windows_cover_timed_all_day_and_recurring() {
    let s = Store::open_in_memory().unwrap();
    let ids = s
        .write(|tx| {
            let id = |e: Event| tx.insert_event(&e);
            Ok([
                id(timed("inside", t(23, 9), t(23, 10)))?,
                id(timed("ends at from", t(22, 22), t(23, 0)))?,
                id(timed("starts at to", t(24, 0), t(24, 1)))?,
                id(timed("spans", t(20, 0), t(27, 0)))?,
                id(timed("zero at from", t(23, 0), t(23, 0)))?,
                id(all_day("all-day 23rd", day(23), day(23)))?,
                id(all_day("all-day 24th", day(24), day(24)))?,
                id(all_day("all-day 22nd", day(22), day(22)))?,
                {
                    let mut e = timed(
                        "weekly since oct",
                        at(2026, 10, 5, 8, 0),
                        at(2026, 10, 5, 9, 0),
                    );
                    e.rrule = Some("FREQ=WEEKLY".into());
                    id(e)?
                },
                {
                    let mut e = timed(
                        "series that ended",
                        at(2026, 10, 5, 8, 0),
                        at(2026, 10, 5, 9, 0),
                    );
                    e.rrule = Some("FREQ=WEEKLY;UNTIL=20261101T000000Z".into());
                    id(e)?
                },
                {
                    let mut e = timed(
                        "series in december",
                        at(2026, 12, 5, 8, 0),
                        at(2026, 12, 5, 9, 0),
                    );
                    e.rrule = Some("FREQ=DAILY".into());
                    id(e)?
                },
                {
                    let mut e = timed("moved away", at(2026, 12, 9, 8, 0), at(2026, 12, 9, 9, 0));
                    e.uid = "weekly@x".into();
                    e.recurrence_id = Some(local(23, 9));
                    id(e)?
                },
                id(timed(
                    "far past",
                    at(2025, 1, 1, 9, 0),
                    at(2025, 1, 1, 10, 0),
                ))?,
            ])
        })
        .unwrap();
    let title_of = |id: i64| s.get_event(id).unwrap().title;
    let window = |tz| EventQuery {
        from: Some(t(23, 0)),
        to: Some(t(24, 0)),
        tz,
        ..Default::default()
    };
    // UTC days: exact for all-day rows.
    let got: Vec<String> = s
        .list_events(&window(Some(chrono_tz::UTC)))
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    let mut want = vec![
        "weekly since oct",
        "spans",
        "inside",
        "zero at from",
        "all-day 23rd",
        "moved away",
    ];
    want.sort();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, want, "got {got:?}");
    // Ordered by start.
    assert_eq!(got[0], "weekly since oct");
    assert_eq!(got[1], "spans");
    assert_eq!(s.count_events(&window(Some(chrono_tz::UTC))).unwrap(), 6);

    // Without a zone, all-day rows near the window are included conservatively.
    let loose: Vec<String> = s
        .list_events(&window(None))
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    for title in &want {
        assert!(
            loose.iter().any(|t| t == title),
            "{title} missing: {loose:?}"
        );
    }
    for never in [
        "ends at from",
        "starts at to",
        "series that ended",
        "series in december",
        "far past",
    ] {
        assert!(
            !loose.iter().any(|t| t == never),
            "{never} included: {loose:?}"
        );
    }
    // In Stockholm, [23 00:00 UTC, 24 00:00 UTC) is 23 01:00 .. 24 01:00 local: the 24th counts.
    let stockholm: Vec<String> = s
        .list_events(&window(Some(sto())))
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert!(
        stockholm.iter().any(|t| t == "all-day 24th"),
        "{stockholm:?}"
    );
    assert!(
        !stockholm.iter().any(|t| t == "all-day 22nd"),
        "{stockholm:?}"
    );
    assert_eq!(title_of(ids[0]), "inside");

    // Open-ended windows.
    let from_only = s
        .count_events(&EventQuery {
            from: Some(at(2026, 12, 1, 0, 0)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        from_only, 3,
        "weekly since oct, series in december, moved away"
    );
    let to_only = s
        .count_events(&EventQuery {
            to: Some(at(2026, 1, 1, 0, 0)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(to_only, 1, "far past");
    // Status filter.
    let mut cancelled = timed("cancelled", t(23, 12), t(23, 13));
    cancelled.status = EventStatus::Cancelled;
    s.insert_event(&cancelled).unwrap();
    let q = EventQuery {
        status: Some(EventStatus::Cancelled),
        ..window(None)
    };
    assert_eq!(s.list_events(&q).unwrap().len(), 1);
}

#[test]
fn paging_walks_every_row_once_in_order() {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| {
        for i in 0..95u32 {
            // Inserted out of order.
            let h = (i * 37) % 95;
            let start = t(1, 0) + Duration::hours(i64::from(h));
            tx.insert_event(&timed(
                &format!("e{h:03}"),
                start,
                start + Duration::minutes(30),
            ))?;
            tx.insert_contact(&contact(&format!("Person {:03}", (i * 11) % 95)))?;
            let mut task = Task::new(
                format!("task {i}"),
                t(1, 0) + Duration::minutes(i64::from(i)),
            );
            task.due = (i % 3 != 0).then(|| Due::Date(day(1 + (i % 28))));
            task.priority = [Priority::Low, Priority::Normal, Priority::High][(i % 3) as usize];
            tx.insert_task(&task)?;
            tx.insert_invoice(&invoice("V", day(1 + (i % 28)), 100, "SEK"))?;
        }
        Ok(())
    })
    .unwrap();
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = s
            .list_events(&EventQuery {
                limit: Some(40),
                offset,
                ..Default::default()
            })
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 40);
        offset += page.len() as u32;
        seen.extend(page.into_iter().map(|e| e.title));
    }
    let want: Vec<String> = (0..95).map(|h| format!("e{h:03}")).collect();
    assert_eq!(seen, want);
    assert_eq!(s.count_events(&EventQuery::default()).unwrap(), 95);

    let names: Vec<String> = s
        .list_contacts(&ContactQuery {
            limit: Some(3),
            offset: 10,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Person 010", "Person 011", "Person 012"]);

    // Tasks: every order pages consistently and sorts as documented.
    for order in [
        TaskOrder::Due,
        TaskOrder::Priority,
        TaskOrder::Kind,
        TaskOrder::Created,
    ] {
        let all = s
            .list_tasks(&TaskQuery {
                order,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(all.len(), 95);
        let page = s
            .list_tasks(&TaskQuery {
                order,
                limit: Some(10),
                offset: 30,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page, all[30..40].to_vec(), "{order:?}");
    }
    let by_due = s.list_tasks(&TaskQuery::default()).unwrap();
    let dues: Vec<Option<NaiveDate>> = by_due
        .iter()
        .map(|t| t.due.map(|d| d.date_in(chrono_tz::UTC)))
        .collect();
    let first_none = dues.iter().position(Option::is_none).unwrap();
    assert!(
        dues[first_none..].iter().all(Option::is_none),
        "undated last"
    );
    assert!(dues[..first_none].windows(2).all(|w| w[0] <= w[1]));
    let by_prio = s
        .list_tasks(&TaskQuery {
            order: TaskOrder::Priority,
            ..Default::default()
        })
        .unwrap();
    assert!(
        by_prio
            .windows(2)
            .all(|w| w[0].priority.rank() <= w[1].priority.rank())
    );
    let by_created = s
        .list_tasks(&TaskQuery {
            order: TaskOrder::Created,
            ..Default::default()
        })
        .unwrap();
    assert!(by_created.windows(2).all(|w| w[0].created <= w[1].created));

    let invs = s
        .list_invoices(&InvoiceQuery {
            limit: Some(40),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(invs.len(), 40);
    assert!(invs.windows(2).all(|w| w[0].due_date <= w[1].due_date));
}

#[test]
fn search_escapes_wildcards_and_ignores_case_and_accents() {
    let s = Store::open_in_memory().unwrap();
    for title in ["50% off", "50 off", "a_b", "axb", "back\\slash", "ÅRSMÖTE"] {
        s.insert_event(&timed(title, t(2, 9), t(2, 10))).unwrap();
    }
    let find = |text: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .list_events(&EventQuery {
                search: Some(text.into()),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|e| e.title)
            .collect();
        v.sort();
        v
    };
    assert_eq!(find("50%"), ["50% off"]);
    assert_eq!(find("a_b"), ["a_b"]);
    assert_eq!(find("k\\s"), ["back\\slash"]);
    assert_eq!(find("årsmöte"), ["ÅRSMÖTE"]);
    assert_eq!(find("arsmote"), ["ÅRSMÖTE"]);
    assert_eq!(find("OFF"), ["50 off", "50% off"]);
    assert_eq!(find("   ").len(), 6, "blank search is no filter");

    let hits = s.search_all("50%", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, Kind::Event);
    assert_eq!(hits[0].title, "50% off");
    assert!(
        hits[0].detail.contains("2026-11-02 10:00"),
        "{}",
        hits[0].detail
    );
}

#[test]
fn search_all_covers_every_kind_with_a_per_kind_limit() {
    let s = Store::open_in_memory().unwrap();
    let cid = s.insert_contact(&contact("Kaj Lindqvist")).unwrap();
    for i in 0..5 {
        s.insert_event(&timed(&format!("Lindqvist lunch {i}"), t(2, 9), t(2, 10)))
            .unwrap();
    }
    let mut tr = trip("Lindqvist visit", vec![segment(t(25, 9), t(25, 17))]);
    tr.segments[0].notes = "booked by Lindqvist".into();
    s.insert_trip(&tr).unwrap();
    let mut inv = invoice("", day(20), 1250, "KWD");
    inv.vendor_id = Some(cid);
    s.insert_invoice(&inv).unwrap();
    let mut task = Task::new("Send contract", t(1, 0));
    task.contact_id = Some(cid);
    s.insert_task(&task).unwrap();

    let hits = s.search_all("LINDQVIST", 2).unwrap();
    let count = |k: Kind| hits.iter().filter(|h| h.kind == k).count();
    assert_eq!(count(Kind::Event), 2, "limited per kind");
    assert_eq!(count(Kind::Trip), 1);
    assert_eq!(count(Kind::Segment), 1);
    assert_eq!(count(Kind::Contact), 1);
    assert_eq!(count(Kind::Invoice), 1, "found through the vendor contact");
    assert_eq!(count(Kind::Task), 1, "found through the contact");
    let inv_hit = hits.iter().find(|h| h.kind == Kind::Invoice).unwrap();
    assert!(inv_hit.title.contains("Kaj Lindqvist"), "{inv_hit:?}");
    assert!(inv_hit.detail.contains("1.250 KWD"), "{inv_hit:?}");
    assert!(s.search_all("", 5).unwrap().is_empty());

    // Beyond the main text: attendees, phone digits, amounts, segment kinds.
    let mut c = contact("Eva");
    c.phones = vec![Labeled::new("mobile", "+46 (0)70-987 65 43")];
    s.insert_contact(&c).unwrap();
    let mut e = timed("Lunch", t(3, 11), t(3, 12));
    e.attendees.push(Attendee {
        contact_id: None,
        name: "Eva Ek".into(),
        email: "eva@ek.se".into(),
    });
    s.insert_event(&e).unwrap();
    let kinds = |text: &str| -> Vec<Kind> {
        s.search_all(text, 5)
            .unwrap()
            .into_iter()
            .map(|h| h.kind)
            .collect()
    };
    assert_eq!(kinds("eva@ek"), [Kind::Event]);
    assert_eq!(kinds("46070987"), [Kind::Contact]);
    assert_eq!(kinds("1.250 kwd"), [Kind::Invoice]);
    assert_eq!(kinds("flight"), [Kind::Segment]);
}

#[test]
fn contact_lookup_by_name_tag_uid_and_email() {
    let s = Store::open_in_memory().unwrap();
    for name in ["Annika Ström", "Anna", "Johanna Anna-Lisa", "Bo Anna"] {
        let mut c = contact(name);
        c.tags = vec!["Press".into()];
        if name == "Anna" {
            c.uid = "anna@vcard".into();
            c.emails = vec![Labeled::new("work", "Anna@Berg.se")];
            c.tags = vec!["vip".into(), "press".into()];
        }
        s.insert_contact(&c).unwrap();
    }
    s.insert_contact(&contact("Zed")).unwrap();
    let names: Vec<String> = s
        .find_contacts_by_name("ANNA", 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        ["Anna", "Bo Anna", "Johanna Anna-Lisa"],
        "exact first, then substring by name; Annika does not contain 'anna'"
    );
    assert_eq!(s.find_contacts_by_name("anna", 1).unwrap().len(), 1);
    let prefix: Vec<String> = s
        .find_contacts_by_name("ann", 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        prefix[..2],
        ["Anna", "Annika Ström"],
        "prefix before contains"
    );

    let press = s
        .count_contacts(&ContactQuery {
            tag: Some("PRESS".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(press, 4);
    let vip = s
        .list_contacts(&ContactQuery {
            tag: Some("vip".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(vip.len(), 1);
    // A tag is matched whole, not as a substring.
    assert_eq!(
        s.count_contacts(&ContactQuery {
            tag: Some("pres".into()),
            ..Default::default()
        })
        .unwrap(),
        0
    );
    assert_eq!(
        s.find_contact_by_uid("anna@vcard").unwrap().unwrap().name,
        "Anna"
    );
    assert!(s.find_contact_by_uid("none").unwrap().is_none());
    assert_eq!(s.find_contacts_by_email("anna@berg.SE").unwrap().len(), 1);
    assert_eq!(
        invalid_field(s.insert_contact(&Contact {
            uid: "anna@vcard".into(),
            ..contact("Other Anna")
        })),
        "uid"
    );
}

/// Totals are exact whatever another tool stored: sums that pass i64 on the way (SQLite's
/// sum() failed "integer overflow" and blanked the Invoices pane) come out right, a group whose
/// total no amount can hold is left out and counted (the rest still shows), and a row with an
/// amount beyond our range is still listed.
#[test]
fn invoice_totals_never_overflow_whatever_is_stored() {
    use secretaire::app::{Action, Effect, Load, Loaded};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let s = Store::open(&path).unwrap();
    let mut ids = Vec::new();
    for (vendor, cur) in [
        ("A", "EUR"),
        ("B", "EUR"),
        ("C", "EUR"),
        ("D", "USD"),
        ("E", "USD"),
        ("F", "SEK"),
    ] {
        ids.push(
            s.insert_invoice(&invoice(vendor, day(20), 100, cur))
                .unwrap(),
        );
    }
    // another tool's amounts: EUR adds up to 5 only through i64::MAX + 5 on the way; USD
    // adds up to 2^64 - 2, beyond i64
    let raw = Connection::open(&path).unwrap();
    for (id, minor) in ids
        .iter()
        .zip([i64::MAX, 5, i64::MIN + 1, i64::MAX, i64::MAX])
    {
        raw.execute(
            "UPDATE invoices SET amount_minor = ?1 WHERE id = ?2",
            rusqlite::params![minor, id],
        )
        .unwrap();
    }
    let (totals, left_out) = s.invoice_totals_lenient().unwrap();
    let got: Vec<(String, i64, u64)> = totals
        .iter()
        .map(|t| (t.total.currency.code().to_string(), t.total.minor, t.count))
        .collect();
    assert_eq!(
        got,
        [("EUR".to_string(), 5, 3), ("SEK".to_string(), 100, 1)]
    );
    assert_eq!(left_out, 2);
    let e = s.invoice_totals().unwrap_err().to_string();
    assert!(
        e.contains("the total of 2 received USD invoices is too large"),
        "{e}"
    );
    // every row still lists, and the pane loads with what it can show
    assert_eq!(s.list_invoices(&InvoiceQuery::default()).unwrap().len(), 6);
    let clock = secretaire::clock::FixedClock::new(t(23, 9));
    let load = Effect::Load(Load::Invoices {
        search: None,
        offset: 0,
        limit: 40,
        open_only: false,
    });
    match secretaire::tui::effects::run(&s, &clock, load) {
        Some(Action::Loaded(Loaded::Invoices {
            rows,
            totals,
            unreadable,
            ..
        })) => {
            assert_eq!((rows.len(), totals.len(), unreadable), (6, 2, 2));
        }
        other => panic!("{other:?}"),
    }
    // an amount that is not a number is counted as damaged, not summed
    raw.execute(
        "UPDATE invoices SET amount_minor = 'lots' WHERE id = ?1",
        [ids[5]],
    )
    .unwrap();
    let (totals, left_out) = s.invoice_totals_lenient().unwrap();
    assert_eq!((totals.len(), left_out), (1, 3));
}

#[test]
fn invoices_filter_and_total_per_status_and_currency() {
    let s = Store::open_in_memory().unwrap();
    let jpy = invoice("Sony", day(10), 150_000, "JPY");
    let kwd = invoice("Zain", day(12), 1_250, "KWD");
    let mut paid = invoice("Telia", day(5), 124_900, "SEK");
    paid.mark_paid(day(4));
    let sek = invoice("Telia", day(25), 10_000, "SEK");
    let sek2 = invoice("Vattenfall", day(28), 5_050, "SEK");
    for i in [&jpy, &kwd, &paid, &sek, &sek2] {
        s.insert_invoice(i).unwrap();
    }
    let totals = s.invoice_totals().unwrap();
    let find = |st: InvoiceStatus, cur: &str| {
        totals
            .iter()
            .find(|t| t.status == st && t.total.currency.code() == cur)
            .map(|t| (t.total.minor, t.count))
    };
    assert_eq!(find(InvoiceStatus::Received, "SEK"), Some((15_050, 2)));
    assert_eq!(find(InvoiceStatus::Paid, "SEK"), Some((124_900, 1)));
    assert_eq!(find(InvoiceStatus::Received, "JPY"), Some((150_000, 1)));
    assert_eq!(find(InvoiceStatus::Received, "KWD"), Some((1_250, 1)));
    assert_eq!(totals.len(), 4);

    let open = s
        .list_invoices(&InvoiceQuery {
            open_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(open.len(), 4);
    let window = s
        .list_invoices(&InvoiceQuery {
            due_from: Some(day(10)),
            due_to: Some(day(25)),
            ..Default::default()
        })
        .unwrap();
    let vendors: Vec<&str> = window.iter().map(|i| i.vendor_name.as_str()).collect();
    assert_eq!(vendors, ["Sony", "Zain", "Telia"]);
    assert_eq!(
        s.count_invoices(&InvoiceQuery {
            search: Some("telia".into()),
            status: Some(InvoiceStatus::Paid),
            ..Default::default()
        })
        .unwrap(),
        1
    );
    let cid = s.insert_contact(&contact("Vendor AB")).unwrap();
    let mut linked = invoice("", day(15), 1, "EUR");
    linked.vendor_id = Some(cid);
    s.insert_invoice(&linked).unwrap();
    let by_vendor = s
        .list_invoices(&InvoiceQuery {
            vendor_id: Some(cid),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_vendor.len(), 1);
    assert_eq!(by_vendor[0].vendor_name, "Vendor AB");
}

#[test]
fn tasks_filter_by_due_day_in_a_zone_contact_and_status() {
    let s = Store::open_in_memory().unwrap();
    let cid = s.insert_contact(&contact("Anna")).unwrap();
    let mk = |subject: &str, due: Option<Due>| {
        let mut task = Task::new(subject, t(1, 0));
        task.due = due;
        task
    };
    // 23:30 UTC on the 24th is the 25th in Stockholm.
    s.insert_task(&mk("late utc", Some(Due::At(at(2026, 11, 24, 23, 30)))))
        .unwrap();
    s.insert_task(&mk("dated 24", Some(Due::Date(day(24)))))
        .unwrap();
    s.insert_task(&mk("dated 25", Some(Due::Date(day(25)))))
        .unwrap();
    s.insert_task(&mk("no due", None)).unwrap();
    let mut done = mk("done one", Some(Due::Date(day(2))));
    done.contact_id = Some(cid);
    done.mark_done(t(3, 0));
    s.insert_task(&done).unwrap();

    let subjects = |q: TaskQuery| -> Vec<String> {
        s.list_tasks(&q)
            .unwrap()
            .into_iter()
            .map(|t| t.subject)
            .collect()
    };
    assert_eq!(
        subjects(TaskQuery {
            due_to: Some(day(24)),
            ..Default::default()
        }),
        ["done one", "late utc", "dated 24"],
        "a date-only due sorts at the end of its day"
    );
    assert_eq!(
        subjects(TaskQuery {
            due_to: Some(day(24)),
            tz: Some(sto()),
            open_only: true,
            ..Default::default()
        }),
        ["dated 24"]
    );
    assert_eq!(
        subjects(TaskQuery {
            contact_id: Some(cid),
            ..Default::default()
        }),
        ["done one"]
    );
    assert_eq!(
        subjects(TaskQuery {
            status: Some(TaskStatus::Done),
            ..Default::default()
        }),
        ["done one"]
    );
    assert_eq!(
        s.count_tasks(&TaskQuery {
            open_only: true,
            ..Default::default()
        })
        .unwrap(),
        4
    );
    assert_eq!(
        subjects(TaskQuery {
            search: Some("ANNA".into()),
            ..Default::default()
        }),
        ["done one"],
        "search reaches the contact's name"
    );
}

#[test]
fn bad_values_in_the_file_are_corrupt_errors_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.db");
    let s = Store::open(&path).unwrap();
    let eid = s.insert_event(&timed("ok", t(2, 9), t(2, 10))).unwrap();
    let kid = s.insert_task(&Task::new("ok", t(1, 0))).unwrap();
    let iid = s
        .insert_invoice(&invoice("V", day(20), 100, "SEK"))
        .unwrap();
    let tid = s
        .insert_trip(&trip("T", vec![segment(t(25, 9), t(25, 17))]))
        .unwrap();
    let raw = Connection::open(&path).unwrap();
    raw.execute("UPDATE events SET tz = 'Mars/Olympus' WHERE id = ?1", [eid])
        .unwrap();
    raw.execute("UPDATE tasks SET priority = 'urgent' WHERE id = ?1", [kid])
        .unwrap();
    raw.execute("UPDATE invoices SET currency = 'XXX' WHERE id = ?1", [iid])
        .unwrap();
    raw.execute(
        "UPDATE segments SET kind = 'zeppelin' WHERE trip_id = ?1",
        [tid],
    )
    .unwrap();
    let msg = |r: Result<(), StoreError>| match r {
        Err(StoreError::Corrupt(m)) => m,
        other => panic!("expected Corrupt, got {other:?}"),
    };
    let m = msg(s.get_event(eid).map(drop));
    assert!(
        m.contains("events") && m.contains("tz") && m.contains("Mars/Olympus"),
        "{m}"
    );
    let m = msg(s.list_tasks(&TaskQuery::default()).map(drop));
    assert!(
        m.contains("tasks") && m.contains("priority") && m.contains("urgent"),
        "{m}"
    );
    let m = msg(s.get_invoice(iid).map(drop));
    assert!(m.contains("invoices") && m.contains("XXX"), "{m}");
    let m = msg(s.get_trip(tid).map(drop));
    assert!(m.contains("segments") && m.contains("kind"), "{m}");
    // Deleting the damaged row still works (its read fails first, so it is reported).
    raw.execute(
        "UPDATE events SET exdates = 'not json' WHERE id = ?1",
        [eid],
    )
    .unwrap();
    assert!(s.list_events(&EventQuery::default()).is_err());
}

// ---------------------------------------------------------------------------------------------
// Round trips

fn full_contact() -> Contact {
    Contact {
        id: 0,
        uid: "c-1@secretaire".into(),
        name: "Åsa Öberg-Nakamura 中村".into(),
        organization: "Ångström & Co".into(),
        title: "Chief of Staff".into(),
        emails: vec![
            Labeled::new("work", "asa@angstrom.se"),
            Labeled::new("home", "asa.o@example.jp"),
        ],
        phones: vec![
            Labeled::new("mobile", "+46 70-123 45 67"),
            Labeled::new("", "(08) 123 45"),
        ],
        address: "Storgatan 1\n114 44 Stockholm\nSverige".into(),
        tags: vec!["vip".into(), "press".into(), "日本".into()],
        notes: "Prefers calls after 10.\n\tTea, not coffee.".into(),
        last_contacted: Some(day(20)),
        birthday: Some(Birthday {
            year: None,
            month: 2,
            day: 29,
        }),
    }
}

fn full_event(contact_id: i64) -> Event {
    Event {
        id: 0,
        uid: "ev-1@secretaire".into(),
        title: "Styrelsemöte — Q4 🚀".into(),
        time: EventTime::Timed {
            start: t(23, 8),
            end: t(23, 10),
            tz: chrono_tz::Asia::Tokyo,
        },
        location: "Konferensrum Ö, plan 3".into(),
        notes: "Agenda:\n1. Budget\n2. Övrigt\n".into(),
        category: EventCategory::Appointment,
        status: EventStatus::Tentative,
        attendees: vec![
            Attendee {
                contact_id: Some(contact_id),
                name: "Åsa".into(),
                email: "asa@angstrom.se".into(),
            },
            Attendee {
                contact_id: None,
                name: "Bo, Jr.".into(),
                email: String::new(),
            },
        ],
        reminder_minutes: Some(15),
        rrule: Some("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270101T000000Z".into()),
        exdates: vec![local(30, 17)],
        rdates: vec![at(2026, 12, 2, 17, 0).naive_utc()],
        recurrence_id: None,
        sequence: 7,
        created: at(2026, 10, 1, 12, 34),
        updated: at(2026, 11, 2, 1, 2),
        extra_ics: "X-MICROSOFT-CDO-BUSYSTATUS:BUSY\nCATEGORIES:Board,Q4\nURL:https://x.se/a?b=c"
            .into(),
    }
}

fn full_trip() -> Trip {
    let mut hotel = segment(at(2026, 12, 1, 21, 0), at(2026, 12, 4, 15, 0));
    hotel.kind = SegmentKind::Hotel;
    hotel.provider = "Park Hyatt".into();
    hotel.number = String::new();
    hotel.origin = "Park Hyatt Tokyo".into();
    hotel.destination = "東京".into();
    hotel.depart_tz = chrono_tz::Asia::Tokyo;
    hotel.arrive_tz = chrono_tz::Asia::Tokyo;
    hotel.cost = Some(Money::new(360_000, Currency::parse("JPY").unwrap()));
    hotel.status = SegmentStatus::Planned;
    hotel.notes = "Late check-in\nRoom with a view".into();
    let mut flight = segment(at(2026, 12, 1, 8, 0), at(2026, 12, 1, 20, 0));
    flight.uid = "seg-1@secretaire".into();
    flight.depart_tz = sto();
    flight.arrive_tz = chrono_tz::Asia::Tokyo;
    flight.cost = Some(Money::new(1_234_500, Currency::SEK));
    Trip {
        id: 0,
        name: "Tokyo – board visit".into(),
        purpose: "Signing".into(),
        notes: "Visa not needed.\nJR pass.".into(),
        segments: vec![hotel, flight],
    }
}

fn full_invoice(vendor_id: i64) -> Invoice {
    let mut i = invoice("Zain Kuwait", day(20), 12_345, "KWD");
    i.vendor_id = Some(vendor_id);
    i.vendor_name = "Åsa Öberg-Nakamura 中村".into();
    i.number = "F-2026/0042".into();
    i.payment_ref = "OCR 1234 5678".into();
    i.document_path = "/home/me/Skannat/faktura ö.pdf".into();
    i.notes = "Disputed twice.\nCall first.".into();
    i.mark_paid(day(19));
    i
}

fn full_task(contact_id: i64) -> Task {
    Task {
        id: 0,
        kind: TaskKind::Letter,
        direction: TaskDirection::Outgoing,
        contact_id: Some(contact_id),
        contact_name: "Åsa Öberg-Nakamura 中村".into(),
        subject: "Tack för mötet – 御礼".into(),
        notes: "Handwritten.\nPost by Friday.".into(),
        due: Some(Due::At(at(2026, 11, 27, 15, 30))),
        priority: Priority::Low,
        status: TaskStatus::Done,
        snoozed_until: Some(t(25, 8)),
        delegated_to: "Erik".into(),
        created: at(2026, 11, 20, 9, 15),
        done_at: Some(at(2026, 11, 26, 11, 0)),
    }
}

#[test]
fn every_field_of_every_kind_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rt.db");
    let (c, e, o, tr, inv, task, allday) = {
        let s = Store::open(&path).unwrap();
        let mut c = full_contact();
        c.id = s.insert_contact(&c).unwrap();
        let mut e = full_event(c.id);
        e.id = s.insert_event(&e).unwrap();
        let mut o = full_event(c.id);
        o.rrule = None;
        o.exdates.clear();
        o.rdates.clear();
        o.recurrence_id = Some(local(30, 17));
        o.reminder_minutes = None;
        o.id = s.insert_event(&o).unwrap();
        let mut allday = all_day("Midsommar ☀", day(28), day(30));
        allday.uid = "ad@x".into();
        allday.category = EventCategory::PrivateBlock;
        allday.rrule = Some("FREQ=YEARLY".into());
        allday.exdates = vec![
            NaiveDate::from_ymd_opt(2027, 11, 28)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        ];
        allday.id = s.insert_event(&allday).unwrap();
        let mut tr = full_trip();
        tr.id = s.insert_trip(&tr).unwrap();
        let mut inv = full_invoice(c.id);
        inv.id = s.insert_invoice(&inv).unwrap();
        let mut task = full_task(c.id);
        task.id = s.insert_task(&task).unwrap();
        (c, e, o, tr, inv, task, allday)
    };
    let s = Store::open(&path).unwrap();
    assert_eq!(s.get_contact(c.id).unwrap(), c);
    assert_eq!(s.get_event(e.id).unwrap(), e);
    assert_eq!(s.get_event(o.id).unwrap(), o);
    assert_eq!(s.get_event(allday.id).unwrap(), allday);
    let mut want = tr.clone();
    let got = s.get_trip(tr.id).unwrap();
    // Segments come back ordered by departure, with ids and the trip id filled.
    want.segments.sort_by_key(|x| x.depart);
    for (w, g) in want.segments.iter_mut().zip(&got.segments) {
        w.id = g.id;
        w.trip_id = tr.id;
        if w.uid.is_empty() {
            w.uid = g.uid.clone();
        }
    }
    assert_eq!(got, want);
    assert_eq!(s.get_segment(got.segments[0].id).unwrap(), got.segments[0]);
    assert_eq!(s.get_invoice(inv.id).unwrap(), inv);
    assert_eq!(s.get_task(task.id).unwrap(), task);

    // Edits round-trip too, and delete returns the stored record.
    let mut e2 = s.get_event(e.id).unwrap();
    e2.touch(t(24, 0));
    e2.time = EventTime::AllDay {
        start: day(26),
        end: day(26),
    };
    e2.attendees.reverse();
    e2.rrule = None;
    s.update_event(&e2).unwrap();
    assert_eq!(s.get_event(e.id).unwrap(), e2);
    let mut c2 = s.get_contact(c.id).unwrap();
    c2.emails.truncate(1);
    c2.tags = vec!["client".into()];
    c2.birthday = Some(Birthday {
        year: Some(1971),
        month: 12,
        day: 31,
    });
    s.update_contact(&c2).unwrap();
    assert_eq!(s.get_contact(c.id).unwrap(), c2);
    let mut inv2 = s.get_invoice(inv.id).unwrap();
    inv2.status = InvoiceStatus::Disputed;
    inv2.paid_date = None;
    inv2.vendor_id = None;
    inv2.vendor_name = "Free text vendor".into();
    s.update_invoice(&inv2).unwrap();
    assert_eq!(s.get_invoice(inv.id).unwrap(), inv2);
    let mut task2 = s.get_task(task.id).unwrap();
    task2.reopen();
    task2.due = Some(Due::Date(day(30)));
    task2.contact_id = None;
    task2.contact_name = String::new();
    s.update_task(&task2).unwrap();
    assert_eq!(s.get_task(task.id).unwrap(), task2);
    let mut seg = s.get_segment(got.segments[1].id).unwrap();
    seg.cost = None;
    seg.seat = "2K".into();
    s.update_segment(&seg).unwrap();
    assert_eq!(s.get_segment(seg.id).unwrap(), seg);
    assert_eq!(s.delete_task(task.id).unwrap(), task2);
    assert_eq!(s.delete_event(e.id).unwrap(), e2);
    assert_eq!(s.delete_segment(seg.id).unwrap(), seg);
}

/// The scale the demo seeds, in one transaction. Not timed here (speed belongs in benchmarks);
/// run with `cargo test --test store -- --ignored --nocapture` to see the time.
#[test]
#[ignore]
fn bulk_scale_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("big.db")).unwrap();
    let started = std::time::Instant::now();
    s.write(|tx| {
        let mut contact_ids = Vec::new();
        for i in 0..20_000 {
            let mut c = full_contact();
            c.uid = format!("c{i}@bulk");
            c.name = format!("Person {i}");
            contact_ids.push(tx.insert_contact(&c)?);
        }
        for i in 0..100_000i64 {
            let mut e = full_event(contact_ids[(i % 20_000) as usize]);
            e.uid = format!("e{i}@bulk");
            let start = t(1, 0) + Duration::minutes(37 * i);
            e.time = EventTime::Timed {
                start,
                end: start + Duration::hours(1),
                tz: sto(),
            };
            if i % 50 != 0 {
                e.rrule = None;
            }
            tx.insert_event(&e)?;
        }
        for &id in &contact_ids {
            tx.insert_invoice(&full_invoice(id))?;
        }
        for i in 0..50_000 {
            tx.insert_task(&full_task(contact_ids[i % 20_000]))?;
        }
        for _ in 0..5_000 {
            tx.insert_trip(&full_trip())?;
        }
        Ok(())
    })
    .unwrap();
    eprintln!("bulk insert: {:?}", started.elapsed());
    let q = std::time::Instant::now();
    let page = s
        .list_events(&EventQuery {
            from: Some(at(2027, 6, 1, 0, 0)),
            to: Some(at(2027, 6, 8, 0, 0)),
            limit: Some(40),
            ..Default::default()
        })
        .unwrap();
    eprintln!("window page: {:?} ({} rows)", q.elapsed(), page.len());
    let q = std::time::Instant::now();
    let tasks = s
        .list_tasks(&TaskQuery {
            open_only: true,
            limit: Some(40),
            ..Default::default()
        })
        .unwrap();
    eprintln!("task page: {:?} ({} rows)", q.elapsed(), tasks.len());
    let q = std::time::Instant::now();
    let hits = s.search_all("person 1999", 10).unwrap();
    eprintln!("search_all: {:?} ({} hits)", q.elapsed(), hits.len());
    assert!(!page.is_empty());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One-line text the domain accepts: any Unicode without control characters.
    fn line() -> impl Strategy<Value = String> {
        "[^\\p{Cc}]{1,24}".prop_filter("not blank", |s| !s.trim().is_empty())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any valid text round-trips, and any piece of it finds the event again, whatever
        /// wildcards or case it holds.
        #[test]
        fn text_round_trips_and_every_substring_finds_it(
            title in line(),
            notes in "[^\\p{Cc}]{0,40}(\n[^\\p{Cc}]{0,20}){0,2}",
            cut in any::<(prop::sample::Index, prop::sample::Index)>(),
            minor in 0..=secretaire::domain::money::MAX_MINOR,
        ) {
            let s = Store::open_in_memory().unwrap();
            let mut e = timed(&title, t(2, 9), t(2, 10));
            e.notes = notes.clone();
            let id = s.insert_event(&e).unwrap();
            let got = s.get_event(id).unwrap();
            prop_assert_eq!(&got.title, &title);
            prop_assert_eq!(&got.notes, &notes);

            let chars: Vec<char> = title.chars().collect();
            let (a, b) = (cut.0.index(chars.len()), cut.1.index(chars.len()));
            let piece: String = chars[a.min(b)..=a.max(b)].iter().collect();
            if !piece.trim().is_empty() {
                let found = s
                    .list_events(&EventQuery { search: Some(piece.clone()), ..Default::default() })
                    .unwrap();
                prop_assert_eq!(found.len(), 1, "piece {:?} of {:?}", piece, title);
            }

            let inv = invoice(&title, day(20), minor, "KWD");
            let iid = s.insert_invoice(&inv).unwrap();
            let mut want = inv.clone();
            want.id = iid;
            prop_assert_eq!(s.get_invoice(iid).unwrap(), want);
        }
    }
}

#[test]
fn extreme_window_bounds_do_not_panic() {
    let store = Store::open_in_memory().unwrap();
    let q = EventQuery {
        from: Some(chrono::DateTime::<chrono::Utc>::MIN_UTC),
        to: Some(chrono::DateTime::<chrono::Utc>::MAX_UTC),
        tz: Some(chrono_tz::Pacific::Kiritimati),
        ..Default::default()
    };
    assert!(store.list_events(&q).unwrap().is_empty());
    assert_eq!(store.count_events(&q).unwrap(), 0);
}

// ------------------------------------------------------------------------------------------
// Read-modify-write never loses a change another connection commits

fn busy(r: &rusqlite::Result<usize>) -> bool {
    matches!(r, Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy))
}

#[test]
fn modify_holds_the_write_lock_from_read_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.db");
    let a = Store::open(&p).unwrap();
    let id = a
        .insert_task(&Task::new("Reply to Anna", t(20, 9)))
        .unwrap();
    // another process (the TUI) that does not wait at all
    let other = Connection::open(&p).unwrap();
    other.busy_timeout(std::time::Duration::ZERO).unwrap();
    let m = a
        .modify::<Task, StoreError>(id, |_, task| {
            // between our read and our write nobody else may commit...
            let r = other.execute("UPDATE tasks SET notes = 'from the UI' WHERE id = ?1", [id]);
            assert!(busy(&r), "the other writer got in between: {r:?}");
            task.mark_done(t(23, 9));
            Ok(())
        })
        .unwrap();
    assert!(m.changed());
    // ...so its change comes after ours, and both are kept
    other
        .execute("UPDATE tasks SET notes = 'from the UI' WHERE id = ?1", [id])
        .unwrap();
    let got = a.get_task(id).unwrap();
    assert_eq!(
        (got.status, got.notes.as_str()),
        (TaskStatus::Done, "from the UI")
    );
}

#[test]
fn modify_with_a_second_store_waiting_keeps_both_changes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.db");
    let a = Store::open(&p).unwrap();
    let id = a
        .insert_invoice(&invoice("Telia", day(20), 124900, "SEK"))
        .unwrap();
    let (read_tx, read_rx) = std::sync::mpsc::channel();
    let (wrote_tx, wrote_rx) = std::sync::mpsc::channel::<()>();
    let p2 = p.clone();
    let other = std::thread::spawn(move || {
        let b = Store::open(&p2).unwrap();
        read_rx.recv().unwrap();
        // A has read the row: this write waits for A's transaction, then lands on top
        let r = b.modify::<Invoice, StoreError>(id, |_, i| {
            i.notes = "disputed VAT".into();
            Ok(())
        });
        wrote_tx.send(()).unwrap();
        r.unwrap();
    });
    a.modify::<Invoice, StoreError>(id, |_, i| {
        read_tx.send(()).unwrap();
        // B cannot finish while we hold the row
        assert!(
            wrote_rx
                .recv_timeout(std::time::Duration::from_millis(300))
                .is_err()
        );
        i.mark_paid(day(21));
        Ok(())
    })
    .unwrap();
    other.join().unwrap();
    let got = a.get_invoice(id).unwrap();
    assert_eq!(got.paid_date, Some(day(21)));
    assert_eq!(got.notes, "disputed VAT");
}

#[test]
fn modify_writes_nothing_when_nothing_changed_and_rolls_back_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.db");
    let s = Store::open(&p).unwrap();
    let id = s
        .insert_event(&timed("Board", t(24, 9), t(24, 10)))
        .unwrap();
    let watcher = Store::open(&p).unwrap();
    let v0 = watcher.data_version().unwrap();
    let m = s.modify::<Event, StoreError>(id, |_, e| {
        e.title = "Board".into();
        Ok(())
    });
    assert!(!m.unwrap().changed());
    assert_eq!(
        watcher.data_version().unwrap(),
        v0,
        "an unchanged row was written"
    );
    let r = s.modify::<Event, StoreError>(id, |tx, e| {
        e.title = "Moved".into();
        tx.delete_task(12345)?; // fails: NotFound
        Ok(())
    });
    assert!(matches!(r, Err(StoreError::NotFound { kind: "task", .. })));
    assert_eq!(s.get_event(id).unwrap().title, "Board");
}

/// The UI saves a form opened minutes ago: only what the user changed is written over the row
/// as it is now, so a change the CLI made meanwhile stays.
#[test]
fn update_from_keeps_a_change_made_since_the_record_was_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.db");
    let ui = Store::open(&p).unwrap();
    let cli = Store::open(&p).unwrap();
    let mut task = Task::new("Call the bank", t(20, 9));
    task.priority = Priority::Low;
    let id = ui.insert_task(&task).unwrap();
    let loaded = ui.get_task(id).unwrap();
    // meanwhile, from the shell
    let mut c = cli.get_task(id).unwrap();
    c.notes = "they called back".into();
    c.due = Some(Due::Date(day(25)));
    cli.update_task(&c).unwrap();
    // the user raises the priority in the form and saves
    let mut edited = loaded.clone();
    edited.priority = Priority::High;
    let saved = ui.update_from(&loaded, &edited).unwrap();
    let got = ui.get_task(id).unwrap();
    assert_eq!(saved, got);
    assert_eq!(got.priority, Priority::High);
    assert_eq!(got.notes, "they called back");
    assert_eq!(got.due, Some(Due::Date(day(25))));

    // events: SEQUENCE still goes above what the file holds
    let eid = ui
        .insert_event(&timed("Board", t(24, 9), t(24, 10)))
        .unwrap();
    let loaded = ui.get_event(eid).unwrap();
    let mut c = cli.get_event(eid).unwrap();
    c.location = "Room 4".into();
    c.touch(t(23, 9));
    cli.update_event(&c).unwrap();
    let mut edited = loaded.clone();
    edited.title = "Board meeting".into();
    edited.touch(t(23, 10));
    ui.update_from(&loaded, &edited).unwrap();
    let got = ui.get_event(eid).unwrap();
    assert_eq!(
        (got.title.as_str(), got.location.as_str()),
        ("Board meeting", "Room 4")
    );
    assert_eq!(got.sequence, 2);
    // a form saved without a change raises nothing
    let mut same = got.clone();
    same.touch(t(23, 11));
    ui.update_from(&got, &same).unwrap();
    assert_eq!(ui.get_event(eid).unwrap(), got);
}

// ------------------------------------------------------------------------------------------
// v3: search through trigram indexes finds exactly what reading every key finds

/// What the search keys say, read row by row (the way search worked before the indexes).
fn by_reading_keys(db: &Path, text: &str) -> Vec<(Kind, i64)> {
    let c = Connection::open(db).unwrap();
    let p = secretaire::store::keys::contains_pattern(text);
    let mut out = Vec::new();
    for (kind, sql) in [
        (
            Kind::Event,
            "SELECT id FROM events WHERE search_key LIKE ?1 ESCAPE '\\'",
        ),
        (
            Kind::Trip,
            "SELECT id FROM trips WHERE search_key LIKE ?1 ESCAPE '\\'",
        ),
        (
            Kind::Segment,
            "SELECT id FROM segments WHERE search_key LIKE ?1 ESCAPE '\\'",
        ),
        (
            Kind::Contact,
            "SELECT id FROM contacts WHERE search_key LIKE ?1 ESCAPE '\\'",
        ),
        (
            Kind::Invoice,
            "SELECT i.id FROM invoices i LEFT JOIN contacts v ON v.id = i.vendor_id \
             WHERE i.search_key LIKE ?1 ESCAPE '\\' OR v.name_key LIKE ?1 ESCAPE '\\'",
        ),
        (
            Kind::Task,
            "SELECT t.id FROM tasks t LEFT JOIN contacts c ON c.id = t.contact_id \
             WHERE t.search_key LIKE ?1 ESCAPE '\\' OR c.name_key LIKE ?1 ESCAPE '\\'",
        ),
    ] {
        let mut st = c.prepare(sql).unwrap();
        let ids = st.query_map([&p], |r| r.get::<_, i64>(0)).unwrap();
        out.extend(ids.map(|id| (kind, id.unwrap())));
    }
    out.sort_by_key(|(k, id)| (format!("{k:?}"), *id));
    out
}

fn by_search_all(s: &Store, text: &str) -> Vec<(Kind, i64)> {
    let mut out: Vec<(Kind, i64)> = s
        .search_all(text, 100_000)
        .unwrap()
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect();
    out.sort_by_key(|(k, id)| (format!("{k:?}"), *id));
    out
}

fn fts_intact(db: &Path) {
    let c = Connection::open(db).unwrap();
    for t in [
        "events", "trips", "segments", "contacts", "invoices", "tasks",
    ] {
        c.execute(
            &format!("INSERT INTO {t}_fts({t}_fts, rank) VALUES ('integrity-check', 1)"),
            [],
        )
        .unwrap_or_else(|e| panic!("{t}_fts out of step with {t}: {e}"));
    }
}

#[test]
fn indexed_search_finds_what_reading_the_keys_finds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let s = Store::open(&db).unwrap();
    secretaire::demo::seed(&s, secretaire::demo::DemoSize::Small, t(23, 9), sto()).unwrap();
    let mut anna = contact("Anna Müller");
    anna.notes = "50% off_on \"quoted\"".into();
    let anna = s.insert_contact(&anna).unwrap();
    let mut task = Task::new("Reply about the ÅRSMÖTE", t(20, 9));
    task.contact_id = Some(anna);
    let task_id = s.insert_task(&task).unwrap();
    let texts = [
        "sk 903",
        "lindqvist",
        "berg",
        "BERG",
        "telia",
        "room",
        "meeting",
        "sek",
        "1249",
        "@",
        "ab",
        "ö",
        "e",
        "müller",
        "muller",
        "arsmote",
        "50%",
        "%",
        "off_on",
        "_",
        "\"quoted\"",
        "q\"",
        "anna m",
        "no such text anywhere",
        "  berg  ",
    ];
    let check = |when: &str| {
        for text in texts {
            let want = by_reading_keys(&db, text);
            assert_eq!(by_search_all(&s, text), want, "{when}: '{text}'");
        }
        fts_intact(&db);
    };
    check("seeded");
    assert!(!by_reading_keys(&db, "müller").is_empty());
    // the indexes follow every write: an edit, a rename, deletes and cascades
    let mut c = s.get_contact(anna).unwrap();
    c.name = "Anna Lindqvist-Berg".into();
    s.update_contact(&c).unwrap();
    let trip = s.list_trips(&TripQuery::default()).unwrap()[0].id;
    s.delete_trip(trip).unwrap();
    let e = s
        .list_events(&EventQuery {
            limit: Some(1),
            ..Default::default()
        })
        .unwrap()[0]
        .id;
    s.delete_event(e).unwrap();
    let vendor = s
        .list_invoices(&InvoiceQuery::default())
        .unwrap()
        .into_iter()
        .find_map(|i| i.vendor_id)
        .unwrap();
    s.delete_contact(vendor).unwrap();
    s.purge(Kind::Task, 1).unwrap();
    check("after writes");
    // the renamed contact, and the task whose counterpart it is
    let hits = by_search_all(&s, "lindqvist-berg");
    assert_eq!(hits, [(Kind::Contact, anna), (Kind::Task, task_id)]);
}

#[test]
fn migration_from_version_two_marks_undated_tasks_and_indexes_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::migrations().to_version(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO tasks (id, kind, direction, subject, priority, status, created, search_key, due_key)
               VALUES (1, 'email', 'incoming', 'Someday', 'normal', 'open', 0, 'someday', NULL);
             INSERT INTO tasks (id, kind, direction, subject, due_date, priority, status, created, search_key, due_key)
               VALUES (2, 'email', 'incoming', 'Tomorrow', '2026-11-24', 'normal', 'open', 0, 'tomorrow', 1795737599);
             INSERT INTO contacts (id, uid, name, name_key, search_key) VALUES (1, 'c1', 'Åsa', 'asa', 'asa');",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let tasks = s.list_tasks(&TaskQuery::default()).unwrap();
    assert_eq!(
        tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        [2, 1],
        "undated last"
    );
    let key: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT due_key FROM tasks WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(key, i64::MAX);
    assert_eq!(by_search_all(&s, "someday"), [(Kind::Task, 1)]);
    assert_eq!(by_search_all(&s, "asa"), [(Kind::Contact, 1)]);
    fts_intact(&path);
}

#[test]
fn a_bulk_write_rebuilds_the_search_indexes_and_leaves_triggers_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let s = Store::open(&db).unwrap();
    s.write_bulk(|tx| {
        for i in 0..50 {
            tx.insert_contact(&contact(&format!("Bulk Person {i}")))?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(by_search_all(&s, "bulk person 4").len(), 1 + 10);
    // a failed bulk write changes nothing and does not leave the triggers off
    let r = s.write_bulk(|tx| {
        tx.insert_contact(&contact("Lost Person"))?;
        tx.delete_task(999)
    });
    assert!(r.is_err());
    assert!(by_search_all(&s, "lost person").is_empty());
    let id = s.insert_contact(&contact("Kept Person")).unwrap();
    assert_eq!(by_search_all(&s, "kept person"), [(Kind::Contact, id)]);
    fts_intact(&db);
}

#[test]
fn an_empty_file_made_a_database_is_private_and_so_are_its_wal_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("given.db");
    std::fs::write(&p, "").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let s = Store::open(&p).unwrap();
    s.insert_contact(&contact("Anna")).unwrap();
    // while the store is open, its -wal and -shm exist; SQLite gives them the file's mode
    for f in ["given.db", "given.db-wal", "given.db-shm"] {
        assert_eq!(mode(&dir.path().join(f)), 0o600, "{f}");
    }
    // a file that already holds data keeps the mode its owner gave it
    drop(s);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let _s = Store::open(&p).unwrap();
    assert_eq!(mode(&p), 0o640);
}

#[test]
fn a_read_only_open_writes_nothing_and_refuses_an_old_schema() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.db");
    let s = Store::open(&p).unwrap();
    s.insert_contact(&contact("Anna")).unwrap();
    drop(s);
    let before = std::fs::read(&p).unwrap();
    let r = Store::open_read_only(&p).unwrap();
    assert_eq!(r.list_contacts(&ContactQuery::default()).unwrap().len(), 1);
    assert!(r.insert_contact(&contact("Bo")).is_err());
    drop(r);
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // version 2: needs migrating, which a read-only open does not do
    let old = dir.path().join("old.db");
    {
        let mut c = Connection::open(&old).unwrap();
        schema::migrations().to_version(&mut c, 2).unwrap();
    }
    assert!(matches!(
        Store::open_read_only(&old),
        Err(StoreError::Outdated { found: 2 })
    ));
}

/// A series may be RDATEs alone, or have an RDATE before its DTSTART (RFC 5545 allows both): a
/// window holding only such an instance still reads the event (the window query read series
/// by their RRULE and start, so these instances never showed). A series is read as a
/// candidate for every window its span covers (expansion picks the occurrences); a window
/// past the end of the RDATEs-alone series does not read it.
#[test]
fn a_window_holding_only_an_rdate_instance_reads_its_event() {
    let s = Store::open_in_memory().unwrap();
    let mut only = timed("RDATEs alone", t(2, 9), t(2, 10));
    only.uid = "rdates@t".into();
    only.rdates = vec![local(20, 10)];
    s.insert_event(&only).unwrap();
    let mut early = timed("RDATE before its start", t(25, 9), t(25, 10));
    early.uid = "early@t".into();
    early.rrule = Some("FREQ=WEEKLY;UNTIL=20261203T000000Z".into());
    early.rdates = vec![local(10, 10)];
    s.insert_event(&early).unwrap();
    let mut single = timed("single", t(12, 9), t(12, 10));
    single.uid = "single@t".into();
    s.insert_event(&single).unwrap();
    let titles = |from: DateTime<Utc>, to: DateTime<Utc>| -> Vec<String> {
        let mut v: Vec<String> = s
            .list_events(&EventQuery {
                from: Some(from),
                to: Some(to),
                tz: Some(sto()),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|e| e.title)
            .collect();
        v.sort();
        v
    };
    assert!(titles(t(20, 0), t(21, 0)).contains(&"RDATEs alone".to_string()));
    assert!(titles(t(10, 0), t(11, 0)).contains(&"RDATE before its start".to_string()));
    assert_eq!(
        titles(at(2026, 10, 20, 0, 0), at(2026, 10, 21, 0, 0)),
        Vec::<String>::new()
    );
    assert!(titles(t(12, 0), t(13, 0)).contains(&"single".to_string()));
    assert!(titles(at(2027, 6, 1, 0, 0), at(2027, 6, 2, 0, 0)).is_empty());
    // the same through a count, as the Schedule's totals use
    let n = s
        .count_events(&EventQuery {
            from: Some(t(20, 0)),
            to: Some(t(21, 0)),
            tz: Some(sto()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(n, 2, "the RDATE series and the weekly one spanning 20 Nov");
}

/// A database from before v6: its series of RDATEs alone and its early RDATEs are found by
/// window queries after the upgrade (v6 fills `series_from` from the stored RDATEs).
#[test]
fn migration_to_v6_finds_series_by_their_first_instance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::migrations().to_version(&mut conn, 5).unwrap();
        // 2 Nov 09:00-10:00 UTC with an RDATE on 20 Nov 10:00 Stockholm (09:00 UTC); and a
        // weekly series from 25 Nov with an RDATE on 10 Nov: rows as v5 wrote them
        conn.execute_batch(
            "INSERT INTO events (id, uid, title, all_day, start_at, end_at, tz, category, status,
                                 created, updated, rdates)
               VALUES (1, 'rdates@t', 'RDATEs alone', 0, 1793610000, 1793613600,
                       'Europe/Stockholm', 'meeting', 'confirmed', 0, 0,
                       '[\"2026-11-20T10:00:00\"]');
             INSERT INTO events (id, uid, title, all_day, start_at, end_at, tz, category, status,
                                 created, updated, rrule, rdates)
               VALUES (2, 'early@t', 'RDATE before its start', 0, 1795597200, 1795600800,
                       'Europe/Stockholm', 'meeting', 'confirmed', 0, 0, 'FREQ=WEEKLY',
                       '[\"2026-11-10T10:00:00\"]');",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let titles = |from: DateTime<Utc>, to: DateTime<Utc>| -> Vec<String> {
        s.list_events(&EventQuery {
            from: Some(from),
            to: Some(to),
            tz: Some(sto()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect()
    };
    assert!(titles(t(20, 0), t(21, 0)).contains(&"RDATEs alone".to_string()));
    assert!(titles(t(10, 0), t(11, 0)).contains(&"RDATE before its start".to_string()));
    // the RDATEs-alone series ends with its last RDATE; the open-ended one does not end
    assert_eq!(
        titles(at(2027, 6, 1, 0, 0), at(2027, 6, 2, 0, 0)),
        ["RDATE before its start"]
    );
    // what v6 filled equals what the write path derives for the same events
    let filled: Vec<(Option<i64>, Option<i64>)> = {
        let c = Connection::open(&path).unwrap();
        let mut st = c
            .prepare("SELECT series_from, series_until FROM events ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let fresh = Store::open(&dir.path().join("fresh.db")).unwrap();
    for id in [1, 2] {
        fresh.insert_event(&s.get_event(id).unwrap()).unwrap();
    }
    drop(fresh);
    let derived: Vec<(Option<i64>, Option<i64>)> = {
        let c = Connection::open(dir.path().join("fresh.db")).unwrap();
        let mut st = c
            .prepare("SELECT series_from, series_until FROM events ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(filled, derived);
    assert!(filled.iter().all(|(from, _)| from.is_some()));
}

/// Tasks due on days and at times around `now` in zone `z`, in the order by due that holds
/// there: yesterday 20:00, yesterday (the day), today 09:00, today 18:00, today, tomorrow 08:00.
fn dues_around(s: &Store, z: chrono_tz::Tz, now: DateTime<Utc>) -> Vec<String> {
    let today = now.with_timezone(&z).date_naive();
    let at_local = |d: NaiveDate, h: u32| {
        z.from_local_datetime(&d.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let yesterday = today.pred_opt().unwrap();
    let tomorrow = today.succ_opt().unwrap();
    let want = [
        ("yesterday 20:00", Due::At(at_local(yesterday, 20))),
        ("yesterday", Due::Date(yesterday)),
        ("today 09:00", Due::At(at_local(today, 9))),
        ("today 18:00", Due::At(at_local(today, 18))),
        ("today", Due::Date(today)),
        ("tomorrow 08:00", Due::At(at_local(tomorrow, 8))),
    ];
    // inserted in reverse, so the id order is no help
    for (name, due) in want.iter().rev() {
        let mut t = Task::new(*name, now - Duration::days(3));
        t.due = Some(*due);
        s.insert_task(&t).unwrap();
    }
    want.iter().map(|(n, _)| n.to_string()).collect()
}

fn by_due(s: &Store, z: chrono_tz::Tz) -> Vec<String> {
    s.list_tasks(&TaskQuery {
        order: TaskOrder::Due,
        tz: Some(z),
        ..Default::default()
    })
    .unwrap()
    .into_iter()
    .map(|t| t.subject)
    .collect()
}

#[test]
fn due_days_sort_in_the_zone_in_use_and_are_rekeyed_when_it_changes() {
    use secretaire::store::{Triage, TriageQuery};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let auckland = chrono_tz::Pacific::Auckland;
    let la = chrono_tz::America::Los_Angeles;
    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.due_zone().unwrap(),
        chrono_tz::UTC,
        "keys made in UTC until told"
    );
    assert!(s.use_zone(auckland).unwrap());
    assert!(
        !s.use_zone(auckland).unwrap(),
        "the same zone: nothing to do"
    );
    let want = dues_around(&s, auckland, now);
    assert_eq!(by_due(&s, auckland), want);
    // the triage groups agree (Auckland: it is Tuesday 24th, 01:00)
    let q = |which| TriageQuery {
        which,
        day: now.with_timezone(&auckland).date_naive(),
        now,
        tz: auckland,
        search: None,
        order: TaskOrder::Due,
        limit: None,
        offset: 0,
    };
    let names = |which| -> Vec<String> {
        s.list_triage(&q(which))
            .unwrap()
            .0
            .into_iter()
            .map(|t| t.subject)
            .collect()
    };
    assert_eq!(names(Triage::Overdue), want[..2]);
    assert_eq!(names(Triage::DueToday), want[2..5]);
    assert_eq!(s.count_triage(&q(Triage::Overdue)).unwrap(), 2);
    // reopened, the zone is remembered
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.due_zone().unwrap(), auckland);
    // another zone: every date-only due is keyed again, in one go
    for t in s.list_tasks(&TaskQuery::default()).unwrap() {
        s.delete_task(t.id).unwrap();
    }
    let want = dues_around(&s, la, now);
    assert_ne!(by_due(&s, la), want, "still keyed for Auckland");
    assert!(s.use_zone(la).unwrap());
    assert_eq!(by_due(&s, la), want);
    assert_eq!(s.due_zone().unwrap(), la);
    // a range by due day finds the same tasks whatever zone the keys were made in
    let today_la = now.with_timezone(&la).date_naive();
    let range = |s: &Store| {
        s.count_tasks(&TaskQuery {
            due_from: Some(today_la),
            due_to: Some(today_la),
            tz: Some(la),
            ..Default::default()
        })
        .unwrap()
    };
    assert_eq!(range(&s), 3);
    s.use_zone(auckland).unwrap();
    assert_eq!(range(&s), 3);
}

#[test]
fn moving_the_first_part_of_a_split_series_never_runs_onto_the_second() {
    use secretaire::domain::recurrence::expand;
    use secretaire::domain::schedule::change_following;
    let s = Store::open_in_memory().unwrap();
    // daily 09:00 from 2 Nov, split on 6 Nov ("this and following"): the first part ends by
    // UNTIL just before 6 Nov 09:00
    let mut m = timed("Stand-up", t(2, 8), t(2, 9));
    m.rrule = Some("FREQ=DAILY".into());
    m.id = s.insert_event(&m).unwrap();
    let m = s.get_event(m.id).unwrap();
    let mut on6 = m.clone();
    on6.time = EventTime::Timed {
        start: t(6, 8),
        end: t(6, 9),
        tz: sto(),
    };
    let split = change_following(&m, &[], local(6, 9), &on6, "second@t", t(1, 0)).unwrap();
    // the second part starts at the split occurrence, as the form gives it
    let mut second = split.insert[0].clone();
    second.time = EventTime::Timed {
        start: t(6, 8),
        end: t(6, 9),
        tz: sto(),
    };
    s.write(|tx| {
        tx.update_event(&split.update[0])?;
        tx.insert_event(&second)
    })
    .unwrap();
    let first = s.get_event(m.id).unwrap();
    let starts = |e: &Event| -> Vec<DateTime<Utc>> {
        expand(e, t(1, 0), t(30, 0), sto())
            .iter()
            .map(|o| o.start)
            .collect()
    };
    assert_eq!(starts(&first), [t(2, 8), t(3, 8), t(4, 8), t(5, 8)]);
    // the TUI's save: the whole first part a day later, and back an hour earlier
    // (a day later the 6th would be the second part's first day: the part ends where it
    // ended; an hour earlier it keeps its count)
    for (start, want) in [
        (t(3, 8), vec![t(3, 8), t(4, 8), t(5, 8)]),
        (t(3, 7), vec![t(3, 7), t(4, 7), t(5, 7)]),
    ] {
        let before = s.get_event(m.id).unwrap();
        let mut after = before.clone();
        after.time = EventTime::Timed {
            start,
            end: start + Duration::hours(1),
            tz: sto(),
        };
        let (written, _) = s.update_event_from(&before, &after, t(1, 0)).unwrap();
        // nothing run onto the split day
        assert_eq!(starts(&written.after), want);
        assert_eq!(starts(&s.get_event(m.id).unwrap()), want);
    }
}

#[test]
fn an_id_is_never_handed_out_twice_even_after_the_last_record_goes() {
    let s = Store::open_in_memory().unwrap();
    // each kind: delete the newest record, add another: it gets a new id
    let a = s.insert_task(&Task::new("first", t(1, 0))).unwrap();
    s.delete_task(a).unwrap();
    assert!(s.insert_task(&Task::new("second", t(1, 0))).unwrap() > a);

    let c = s.insert_contact(&contact("Zed Maxid")).unwrap();
    s.delete_contact(c).unwrap();
    assert!(s.insert_contact(&contact("Yvonne Newperson")).unwrap() > c);

    let e = s.insert_event(&timed("Board", t(2, 9), t(2, 10))).unwrap();
    s.delete_event(e).unwrap();
    assert!(s.insert_event(&timed("Lunch", t(2, 12), t(2, 13))).unwrap() > e);

    let i = s
        .insert_invoice(&invoice("Telia", day(15), 124900, "SEK"))
        .unwrap();
    s.delete_invoice(i).unwrap();
    assert!(
        s.insert_invoice(&invoice("Atea", day(15), 100, "SEK"))
            .unwrap()
            > i
    );

    // a trip deleted with its segments (deleted by the cascade)
    let tid = s
        .insert_trip(&trip(
            "NYC",
            vec![segment(t(25, 9), t(25, 17)), segment(t(28, 18), t(29, 7))],
        ))
        .unwrap();
    let gone = s.delete_trip(tid).unwrap();
    let last_seg = gone.segments.iter().map(|x| x.id).max().unwrap();
    let other = s
        .insert_trip(&trip("London", vec![segment(t(26, 9), t(26, 11))]))
        .unwrap();
    assert!(other > tid);
    assert!(s.get_trip(other).unwrap().segments[0].id > last_seg);

    // an undo still puts a record back under its own id
    assert_eq!(s.insert_trip(&gone).unwrap(), tid);
    assert_eq!(s.get_trip(tid).unwrap(), gone);
}

#[test]
fn migration_to_v8_starts_above_every_id_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::migrations().to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO tasks (id, kind, direction, subject, priority, status, created, due_key)
             VALUES (41, 'call', 'incoming', 'Call the bank', 'normal', 'open', 0, 9223372036854775807);",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    s.delete_task(41).unwrap();
    assert_eq!(s.insert_task(&Task::new("next", t(1, 0))).unwrap(), 42);
    // a table that was empty starts at 1
    assert_eq!(s.insert_contact(&contact("Anna Berg")).unwrap(), 1);
}

fn answer(
    uid: &str,
    start: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> ReminderAnswer {
    ReminderAnswer {
        uid: uid.into(),
        start,
        until,
        at,
    }
}

#[test]
fn a_reminder_answer_is_kept_across_a_reopen_and_the_later_of_two_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let s = Store::open(&path).unwrap();
    let lunch = answer("lunch@x", t(23, 11), None, at(2026, 11, 23, 10, 51));
    let call = answer(
        "call@x",
        t(23, 15),
        Some(at(2026, 11, 23, 14, 55)),
        at(2026, 11, 23, 14, 50),
    );
    s.answer_reminder(&lunch).unwrap();
    s.answer_reminder(&call).unwrap();
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.reminder_answers().unwrap(),
        vec![lunch.clone(), call.clone()]
    );
    // another screen's earlier answer (written late) does not undo the dismissal
    let older = answer(
        "lunch@x",
        t(23, 11),
        Some(at(2026, 11, 23, 10, 55)),
        at(2026, 11, 23, 10, 50),
    );
    s.answer_reminder(&older).unwrap();
    // a later one replaces the snooze
    let dismissed = answer("call@x", t(23, 15), None, at(2026, 11, 23, 14, 56));
    s.answer_reminder(&dismissed).unwrap();
    assert_eq!(s.reminder_answers().unwrap(), vec![lunch, dismissed]);
}

#[test]
fn answering_a_reminder_drops_the_answers_of_occurrences_two_days_past() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("db.sqlite")).unwrap();
    let old = answer("old@x", t(20, 9), None, t(20, 8));
    let edge = answer("edge@x", t(21, 12), None, t(21, 11));
    s.answer_reminder(&old).unwrap();
    s.answer_reminder(&edge).unwrap();
    assert_eq!(s.reminder_answers().unwrap().len(), 2);
    // given on the 23rd at noon: the 20th is more than two days past, the 21st at noon is not
    let now = answer("now@x", t(23, 13), None, t(23, 12));
    s.answer_reminder(&now).unwrap();
    assert_eq!(s.reminder_answers().unwrap(), vec![edge, now]);
}

#[test]
fn a_split_series_keeps_the_reminders_answered_for_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("db.sqlite")).unwrap();
    let a = answer("weekly@x", t(23, 11), None, t(23, 10));
    s.answer_reminder(&a).unwrap();
    s.answer_reminder(&answer("other@x", t(23, 12), None, t(23, 10)))
        .unwrap();
    s.write(|tx| tx.carry_reminder_answers("weekly@x", "split@x").map(|_| ()))
        .unwrap();
    let kept = s.reminder_answers().unwrap();
    assert!(
        kept.contains(&answer("split@x", t(23, 11), None, t(23, 10))),
        "{kept:?}"
    );
    assert_eq!(kept.len(), 3, "{kept:?}");
}

#[test]
fn moving_the_second_part_of_a_split_moves_the_first_parts_end_in_the_same_write() {
    // the TUI's save of the second part: the first part's new end comes back with it, so one
    // undo step puts both back
    use secretaire::domain::recurrence::expand;
    use secretaire::domain::schedule::change_following;
    let s = Store::open_in_memory().unwrap();
    let mut m = timed("Stand-up", t(2, 8), t(2, 9));
    m.rrule = Some("FREQ=DAILY".into());
    m.id = s.insert_event(&m).unwrap();
    let m = s.get_event(m.id).unwrap();
    let mut on6 = m.clone();
    on6.time = EventTime::Timed {
        start: t(6, 8),
        end: t(6, 9),
        tz: sto(),
    };
    let split = change_following(&m, &[], local(6, 9), &on6, "second@t", t(1, 0)).unwrap();
    let mut second = split.insert[0].clone();
    second.time = EventTime::Timed {
        start: t(6, 8),
        end: t(6, 9),
        tz: sto(),
    };
    let sid = s
        .write(|tx| {
            tx.update_event(&split.update[0])?;
            tx.insert_event(&second)
        })
        .unwrap();
    let before = s.get_event(sid).unwrap();
    let mut after = before.clone();
    after.time = EventTime::Timed {
        start: t(4, 8),
        end: t(4, 9),
        tz: sto(),
    };
    let (_, moved) = s.update_event_from(&before, &after, t(1, 0)).unwrap();
    assert_eq!(moved.len(), 1, "the first part's end");
    assert_eq!(moved[0].before.id, m.id);
    let first = s.get_event(m.id).unwrap();
    let starts: Vec<DateTime<Utc>> = expand(&first, t(1, 0), t(30, 0), sto())
        .iter()
        .map(|o| o.start)
        .collect();
    assert_eq!(starts, [t(2, 8), t(3, 8)]);
}

#[test]
fn a_new_part_past_where_a_split_series_continues_is_refused_when_written() {
    // the TUI's 'this and following' knows only the series' own rows: the write refuses a
    // new part starting on or after the day the series already continues as another event
    use secretaire::domain::schedule::change_following;
    let s = Store::open_in_memory().unwrap();
    let mut m = timed("Stand-up", t(2, 8), t(2, 9));
    m.rrule = Some("FREQ=DAILY".into());
    m.id = s.insert_event(&m).unwrap();
    let m = s.get_event(m.id).unwrap();
    let mut on10 = m.clone();
    on10.time = EventTime::Timed {
        start: t(10, 8),
        end: t(10, 9),
        tz: sto(),
    };
    let split = change_following(&m, &[], local(10, 9), &on10, "second@t", t(1, 0)).unwrap();
    s.write(|tx| {
        tx.update_event(&split.update[0])?;
        tx.insert_event(&split.insert[0])
    })
    .unwrap();
    let first = s.get_event(m.id).unwrap();
    // from the 5th, moved to the 12th: past the second part's first day (the 10th)
    let mut on12 = first.clone();
    on12.time = EventTime::Timed {
        start: t(12, 8),
        end: t(12, 9),
        tz: sto(),
    };
    let again = change_following(&first, &[], local(5, 9), &on12, "third@t", t(1, 0)).unwrap();
    let err = s
        .write(|tx| tx.keep_changed_split_parts_apart(&again, t(1, 0)))
        .unwrap_err();
    assert!(err.to_string().contains("continues as event"), "{err}");
    // from the 5th at another hour: fine
    let mut at5 = first.clone();
    at5.time = EventTime::Timed {
        start: t(5, 9),
        end: t(5, 10),
        tz: sto(),
    };
    let ok = change_following(&first, &[], local(5, 9), &at5, "third@t", t(1, 0)).unwrap();
    assert!(
        s.write(|tx| tx.keep_changed_split_parts_apart(&ok, t(1, 0)))
            .is_ok()
    );
}
