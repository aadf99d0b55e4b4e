//! The real `secretaire` binary on temporary databases: every subcommand, bad input (exit 2,
//! one line, database unchanged), CSV injection, JSON shapes, --db/SECRETAIRE_DB precedence,
//! the agenda across DST changes and in another zone.
//!
//! The clock is fixed with SECRETAIRE_NOW (Monday 23 Nov 2026, 10:00 in Stockholm) and the
//! zone comes from the config file, so nothing depends on the wall clock or the machine zone
//! (TZ is set to Asia/Tokyo to prove the config wins).
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-23T09:00:00Z";

struct T {
    dir: tempfile::TempDir,
}

impl T {
    fn new() -> T {
        T::with_config("timezone = \"Europe/Stockholm\"\ndefault_currency = \"SEK\"\n")
    }
    fn with_config(cfg: &str) -> T {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), cfg).unwrap();
        T { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn db(&self) -> PathBuf {
        self.path("s.db")
    }
    /// The binary with a private HOME, fixed clock, our config; no --db.
    fn bare(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_secretaire"));
        c.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("TZ", "Asia/Tokyo")
            .env("SECRETAIRE_NOW", NOW)
            .env_remove("SECRETAIRE_DB")
            .arg("--config")
            .arg(self.path("config.toml"));
        c
    }
    fn cmd(&self) -> Command {
        let mut c = self.bare();
        c.arg("--db").arg(self.db());
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
    /// Success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "{args:?} failed ({:?}): {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
    }
    /// The new id printed by `add`.
    fn add(&self, args: &[&str]) -> i64 {
        let mut a = vec!["add"];
        a.extend_from_slice(args);
        let out = self.ok(&a);
        out.trim()
            .parse()
            .unwrap_or_else(|_| panic!("not an id: {out:?}"))
    }
    /// Exit status 2, nothing on stdout, exactly one `error: ...` line on stderr (returned).
    fn fails(&self, args: &[&str]) -> String {
        fails_with(self.run(args), args)
    }
    /// Every row of every table, sorted, plus the schema version: equal dumps = same data.
    fn dump(&self) -> Vec<String> {
        dump(&self.db())
    }
}

fn fails_with(o: Output, args: &[&str]) -> String {
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?} printed {:?}", o.stdout);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: not one line: {err:?}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_string()
}

fn dump(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut out = vec![format!(
        "user_version={}",
        c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
            .unwrap()
    )];
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in tables {
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                let mut s = format!("{t}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!("{v:?}|"));
                }
                Ok(s)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn sorted(k: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = k.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// One of each kind; returns (contact, event, trip, segment, invoice, task) ids.
fn seed(t: &T) -> (i64, i64, i64, i64, i64, i64) {
    let c = t.add(&[
        "contact",
        "Anna Berg",
        "--org",
        "Berg AB",
        "--title",
        "CFO",
        "--email",
        "work:anna@berg.se",
        "--phone",
        "mobile:+46 70 123 45 67",
        "--tag",
        "press,VIP",
        "--birthday",
        "--04-15",
    ]);
    let e = t.add(&[
        "event",
        "Board meeting",
        "--start",
        "tomorrow 9:00",
        "--duration",
        "1h30m",
        "--location",
        "Room 4",
        "--attendee",
        "Anna Berg",
        "--attendee",
        "Bo Ek <bo@ek.se>",
        "--reminder",
        "15",
        "--category",
        "meeting",
    ]);
    let tr = t.add(&["trip", "NYC board", "--purpose", "Board visit"]);
    let s = t.add(&[
        "segment",
        "--trip",
        &tr.to_string(),
        "--kind",
        "flight",
        "--provider",
        "SAS",
        "--number",
        "SK 903",
        "--origin",
        "ARN",
        "--destination",
        "EWR",
        "--depart",
        "2026-12-01 10:00",
        "--depart-tz",
        "Europe/Stockholm",
        "--arrive",
        "12:30",
        "--arrive-tz",
        "America/New_York",
        "--confirmation",
        "ABC123",
        "--seat",
        "12A",
        "--cost",
        "4 500 SEK",
    ]);
    let i = t.add(&[
        "invoice",
        "--vendor",
        "Telia",
        "--amount",
        "1 249,00",
        "--currency",
        "SEK",
        "--issued",
        "2026-11-01",
        "--due",
        "2026-11-20",
        "--number",
        "INV-1",
        "--payment-ref",
        "OCR 1234",
    ]);
    let k = t.add(&[
        "task",
        "Reply to Anna",
        "--contact",
        "Anna Berg",
        "--due",
        "2026-11-20",
        "--priority",
        "high",
        "--kind",
        "email",
        "--direction",
        "incoming",
    ]);
    (c, e, tr, s, i, k)
}

// ------------------------------------------------------------------------------------------

#[test]
fn add_prints_ids_and_json_records_have_the_documented_shape() {
    let t = T::new();
    let (c, e, tr, s, i, k) = seed(&t);
    assert_eq!((c, e, tr, s, i, k), (1, 1, 1, 1, 1, 1));
    // the database is created 0600
    assert_eq!(mode(&t.db()), 0o600);

    let ev = t.json(&["show", "event", "1"]);
    assert_eq!(
        keys(&ev),
        sorted(&[
            "type",
            "id",
            "uid",
            "title",
            "all_day",
            "start",
            "end",
            "start_local",
            "end_local",
            "tz",
            "location",
            "notes",
            "category",
            "status",
            "attendees",
            "reminder_minutes",
            "rrule",
            "exdates",
            "rdates",
            "recurrence_id",
            "sequence",
            "created",
            "updated",
        ])
    );
    assert_eq!(ev["start"], "2026-11-24T08:00:00Z");
    assert_eq!(ev["end"], "2026-11-24T09:30:00Z");
    assert_eq!(ev["start_local"], "2026-11-24T09:00:00+01:00");
    assert_eq!(ev["tz"], "Europe/Stockholm");
    assert_eq!(ev["reminder_minutes"], 15);
    assert_eq!(ev["attendees"][0]["contact_id"], 1);
    assert_eq!(ev["attendees"][0]["email"], "anna@berg.se");
    assert_eq!(ev["attendees"][1]["name"], "Bo Ek");
    assert_eq!(ev["attendees"][1]["contact_id"], Value::Null);

    let sg = t.json(&["show", "segment", "1"]);
    assert_eq!(
        keys(&sg),
        sorted(&[
            "type",
            "id",
            "trip_id",
            "uid",
            "kind",
            "provider",
            "number",
            "confirmation",
            "origin",
            "destination",
            "depart",
            "depart_tz",
            "depart_local",
            "arrive",
            "arrive_tz",
            "arrive_local",
            "seat",
            "cost",
            "status",
            "notes",
        ])
    );
    assert_eq!(sg["depart_local"], "2026-12-01T10:00:00+01:00");
    assert_eq!(sg["arrive_local"], "2026-12-01T12:30:00-05:00");
    assert_eq!(sg["cost"]["minor"], 450000);

    let trip = t.json(&["show", "trip", "1"]);
    assert_eq!(
        keys(&trip),
        sorted(&[
            "type", "id", "name", "purpose", "notes", "start", "end", "segments"
        ])
    );
    assert_eq!(trip["segments"].as_array().unwrap().len(), 1);

    let ct = t.json(&["show", "contact", "1"]);
    assert_eq!(
        keys(&ct),
        sorted(&[
            "type",
            "id",
            "uid",
            "name",
            "organization",
            "title",
            "emails",
            "phones",
            "address",
            "tags",
            "notes",
            "last_contacted",
            "birthday",
        ])
    );
    assert_eq!(ct["tags"], serde_json::json!(["press", "vip"]));
    assert_eq!(ct["birthday"], "--04-15");
    assert_eq!(ct["phones"][0]["label"], "mobile");

    let inv = t.json(&["show", "invoice", "1"]);
    assert_eq!(
        keys(&inv),
        sorted(&[
            "type",
            "id",
            "vendor_id",
            "vendor_name",
            "number",
            "issue_date",
            "due_date",
            "amount",
            "status",
            "paid_date",
            "payment_ref",
            "document_path",
            "notes",
            "overdue",
        ])
    );
    assert_eq!(
        inv["amount"],
        serde_json::json!({"minor": 124900, "currency": "SEK", "amount": "1249.00"})
    );
    assert_eq!(inv["overdue"], true);
    assert_eq!(inv["vendor_id"], Value::Null);

    let task = t.json(&["show", "task", "1"]);
    assert_eq!(
        keys(&task),
        sorted(&[
            "type",
            "id",
            "kind",
            "direction",
            "contact_id",
            "contact_name",
            "subject",
            "notes",
            "due_date",
            "due_at",
            "priority",
            "status",
            "snoozed_until",
            "delegated_to",
            "created",
            "done_at",
            "overdue",
        ])
    );
    assert_eq!(task["contact_name"], "Anna Berg");
    assert_eq!(task["created"], NOW);

    // add --json prints the record itself
    let v = t.json(&[
        "add",
        "task",
        "Call the bank",
        "--kind",
        "call",
        "--due",
        "fri 14:00",
    ]);
    assert_eq!(v["id"], 2);
    assert_eq!(v["due_at"], "2026-11-27T13:00:00Z");
    assert_eq!(v["kind"], "call");
}

#[test]
fn invoice_vendor_links_a_matching_contact_else_free_text() {
    let t = T::new();
    seed(&t);
    let v = t.json(&[
        "add",
        "invoice",
        "--vendor",
        "anna berg",
        "--amount",
        "1249 EUR",
    ]);
    assert_eq!(v["vendor_id"], 1);
    assert_eq!(v["vendor_name"], "Anna Berg");
    assert_eq!(v["amount"]["currency"], "EUR");
    // default due: 30 days after issue (today)
    assert_eq!(v["issue_date"], "2026-11-23");
    assert_eq!(v["due_date"], "2026-12-23");
    let v = t.json(&["add", "invoice", "--vendor", "Anna", "--amount", "10"]);
    assert_eq!(v["vendor_id"], Value::Null);
    assert_eq!(v["vendor_name"], "Anna");
    assert_eq!(v["amount"]["currency"], "SEK");
}

#[test]
fn events_all_day_zones_and_bare_end_times() {
    let t = T::new();
    let v = t.json(&[
        "add",
        "event",
        "Offsite",
        "--all-day",
        "--date",
        "2026-12-03",
        "--until",
        "2026-12-04",
    ]);
    assert_eq!(v["all_day"], true);
    assert_eq!(
        (v["start"].as_str(), v["end"].as_str()),
        (Some("2026-12-03"), Some("2026-12-04"))
    );
    // a date-only start is an all-day event
    let v = t.json(&["add", "event", "Holiday", "--start", "2026-12-24"]);
    assert_eq!(v["all_day"], true);
    // entered in New York's zone; a bare end time is on the start's day
    let v = t.json(&[
        "add",
        "event",
        "Call NY",
        "--start",
        "2026-12-01 16:00",
        "--end",
        "16:45",
        "--tz",
        "America/New_York",
    ]);
    assert_eq!(v["start"], "2026-12-01T21:00:00Z");
    assert_eq!(v["end"], "2026-12-01T21:45:00Z");
    assert_eq!(v["tz"], "America/New_York");
    // overnight: a bare end time before the start is the next day
    let v = t.json(&[
        "add",
        "event",
        "Night shift",
        "--start",
        "2026-12-01 22:00",
        "--end",
        "02:00",
    ]);
    assert_eq!(v["end"], "2026-12-02T01:00:00Z");
}

#[test]
fn list_every_kind_with_filters_and_paging() {
    let t = T::new();
    seed(&t);
    for i in 0..5 {
        t.add(&[
            "task",
            &format!("Letter {i}"),
            "--kind",
            "letter",
            "--due",
            &format!("+{i}d"),
        ]);
    }
    let out = t.ok(&["list", "events"]);
    assert!(
        out.contains("Board meeting") && out.contains("Room 4"),
        "{out}"
    );
    assert!(t.ok(&["list", "trips"]).contains("NYC board"));
    let out = t.ok(&["list", "contacts", "--tag", "vip"]);
    assert!(out.contains("Anna Berg"), "{out}");
    assert!(
        t.ok(&["list", "contacts", "--tag", "nobody"])
            .contains("no contacts")
    );
    let out = t.ok(&["list", "invoices"]);
    assert!(
        out.contains("1 249.00 SEK") && out.contains("OVERDUE"),
        "{out}"
    );
    let out = t.ok(&["list", "tasks"]);
    assert!(
        out.contains("Reply to Anna") && out.contains("OVERDUE"),
        "{out}"
    );

    // paging: 6 open tasks, by due date
    let page1 = t.json(&["list", "tasks", "--limit", "4"]);
    let page2 = t.json(&["list", "tasks", "--limit", "4", "--offset", "4"]);
    assert_eq!(page1.as_array().unwrap().len(), 4);
    assert_eq!(page2.as_array().unwrap().len(), 2);
    assert_eq!(page1[0]["subject"], "Reply to Anna");
    let human = t.ok(&["list", "tasks", "--limit", "4"]);
    assert!(
        human.contains("(1–4 of 6; next page: --offset 4)"),
        "{human}"
    );

    // search and status
    let v = t.json(&["list", "tasks", "--search", "letter 3"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    t.ok(&["done", "2"]);
    assert_eq!(t.json(&["list", "tasks"]).as_array().unwrap().len(), 5);
    assert_eq!(
        t.json(&["list", "tasks", "--all"])
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        t.json(&["list", "tasks", "--status", "done"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        t.json(&["list", "invoices", "--status", "paid"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // events in a window are occurrences
    let v = t.json(&["list", "events", "--from", "today", "--to", "+7d"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["occurrence"]["start"], "2026-11-24T08:00:00Z");
    let v = t.json(&[
        "list",
        "events",
        "--from",
        "2026-12-10",
        "--to",
        "2026-12-20",
    ]);
    assert!(v.as_array().unwrap().is_empty());
    let v = t.json(&[
        "list",
        "segments",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-01",
    ]);
    assert_eq!(v[0]["number"], "SK 903");
}

#[test]
fn show_every_kind_in_text() {
    let t = T::new();
    seed(&t);
    let out = t.ok(&["show", "event", "1"]);
    assert!(
        out.contains("Tue 24 Nov 2026 09:00–10:30 CET Europe/Stockholm"),
        "{out}"
    );
    assert!(
        out.contains("Anna Berg <anna@berg.se> (contact 1)"),
        "{out}"
    );
    let out = t.ok(&["show", "trip", "1"]);
    assert!(
        out.contains("SK 903") && out.contains("America/New_York"),
        "{out}"
    );
    let out = t.ok(&["show", "segment", "1"]);
    assert!(out.contains("10:00 CET Europe/Stockholm"), "{out}");
    assert!(
        out.contains("12:30 EST America/New_York (2026-12-01 18:30 here)"),
        "{out}"
    );
    let out = t.ok(&["show", "contact", "1"]);
    assert!(
        out.contains("anna@berg.se (work)") && out.contains("press, vip"),
        "{out}"
    );
    let out = t.ok(&["show", "invoice", "1"]);
    assert!(
        out.contains("1 249.00 SEK") && out.contains("OVERDUE"),
        "{out}"
    );
    let out = t.ok(&["show", "task", "1"]);
    assert!(
        out.contains("Anna Berg (contact 1)") && out.contains("high"),
        "{out}"
    );
}

#[test]
fn edit_every_kind() {
    let t = T::new();
    seed(&t);
    // moving the start keeps the length; the edit raises SEQUENCE
    assert_eq!(
        t.ok(&["edit", "event", "1", "--start", "2026-11-25 14:00"])
            .trim(),
        "updated event 1"
    );
    let v = t.json(&["show", "event", "1"]);
    assert_eq!(v["start"], "2026-11-25T13:00:00Z");
    assert_eq!(v["end"], "2026-11-25T14:30:00Z");
    assert_eq!(v["sequence"], 1);
    let v = t.json(&[
        "edit",
        "event",
        "1",
        "--reminder",
        "none",
        "--attendee",
        "none",
        "--status",
        "tentative",
    ]);
    assert_eq!(v["reminder_minutes"], Value::Null);
    assert_eq!(v["attendees"], serde_json::json!([]));
    assert_eq!(v["status"], "tentative");
    assert_eq!(v["sequence"], 2);
    // to an all-day event
    let v = t.json(&["edit", "event", "1", "--all-day", "--date", "2026-11-26"]);
    assert_eq!(v["all_day"], true);

    let v = t.json(&["edit", "trip", "1", "--name", "New York board"]);
    assert_eq!(v["name"], "New York board");
    let v = t.json(&[
        "edit",
        "segment",
        "1",
        "--seat",
        "1A",
        "--depart",
        "2026-12-01 11:00",
    ]);
    assert_eq!(v["seat"], "1A");
    assert_eq!(v["arrive_local"], "2026-12-01T13:30:00-05:00");
    let v = t.json(&[
        "edit",
        "contact",
        "1",
        "--email",
        "anna@new.se",
        "--tag",
        "none",
    ]);
    assert_eq!(v["emails"][0]["value"], "anna@new.se");
    assert_eq!(v["tags"], serde_json::json!([]));
    let v = t.json(&["edit", "invoice", "1", "--amount", "99.50"]);
    assert_eq!(v["amount"]["minor"], 9950);
    assert_eq!(v["due_date"], "2026-11-20");
    let v = t.json(&[
        "edit",
        "task",
        "1",
        "--contact",
        "none",
        "--due",
        "none",
        "--priority",
        "low",
    ]);
    assert_eq!(v["contact_id"], Value::Null);
    assert_eq!(v["due_date"], Value::Null);
    assert_eq!(v["priority"], "low");
}

#[test]
fn delete_every_kind_then_it_is_gone() {
    let t = T::new();
    seed(&t);
    for (kind, label) in [
        ("event", "Board meeting"),
        ("segment", "SK 903"),
        ("trip", "NYC board"),
        ("invoice", "Telia"),
        ("task", "Reply to Anna"),
        ("contact", "Anna Berg"),
    ] {
        let out = t.ok(&["delete", kind, "1"]);
        assert!(out.starts_with(&format!("deleted {kind} 1: ")), "{out}");
        assert!(out.contains(label), "{out}");
        let e = t.fails(&["show", kind, "1"]);
        assert_eq!(e, format!("error: no {kind} with id 1"));
    }
    // --json prints the deleted record (what an undo needs)
    let id = t.add(&["task", "Again"]).to_string();
    let v = t.json(&["delete", "task", &id]);
    assert_eq!(v["subject"], "Again");
}

#[test]
fn done_snooze_pay() {
    let t = T::new();
    seed(&t);
    assert_eq!(t.ok(&["done", "1"]).trim(), "done: task 1");
    let v = t.json(&["show", "task", "1"]);
    assert_eq!(
        (v["status"].as_str(), v["done_at"].as_str()),
        (Some("done"), Some(NOW))
    );
    let k = t.add(&["task", "Later"]);
    let out = t.ok(&["snooze", &k.to_string(), "tomorrow"]);
    // a bare date snoozes to the start of the working day (09:00 by default)
    assert_eq!(out.trim(), "snoozed task 2 until 2026-11-24 09:00");
    assert_eq!(
        t.json(&["show", "task", "2"])["snoozed_until"],
        "2026-11-24T08:00:00Z"
    );
    t.fails(&["snooze", "2", "yesterday"]);
    let out = t.ok(&["pay", "1", "--on", "2026-11-21"]);
    assert_eq!(out.trim(), "paid invoice 1 on 2026-11-21: 1 249.00 SEK");
    let v = t.json(&["show", "invoice", "1"]);
    assert_eq!(
        (v["status"].as_str(), v["paid_date"].as_str()),
        (Some("paid"), Some("2026-11-21"))
    );
    assert_eq!(v["overdue"], false);
}

#[test]
fn bad_input_exits_2_with_one_line_and_writes_nothing() {
    let t = T::new();
    seed(&t);
    let before = t.dump();
    let cases: &[(&[&str], &str)] = &[
        (&["show", "event", "99"], "error: no event with id 99"),
        (
            &["edit", "task", "42", "--subject", "x"],
            "error: no task with id 42",
        ),
        (&["delete", "contact", "7"], "error: no contact with id 7"),
        (&["done", "5"], "error: no task with id 5"),
        (&["snooze", "5", "tomorrow"], "error: no task with id 5"),
        (&["pay", "5"], "error: no invoice with id 5"),
        (
            &["add", "event", "X", "--start", "2026-02-30 10:00"],
            "invalid date '2026-02-30'",
        ),
        (
            &["add", "event", "X", "--start", "soon"],
            "error: --start: invalid date 'soon'",
        ),
        (
            &[
                "add",
                "event",
                "X",
                "--start",
                "2026-12-01 14:00",
                "--end",
                "2026-12-01 13:00",
            ],
            "error: --end 2026-12-01 13:00 is before the start 2026-12-01 14:00",
        ),
        (
            &[
                "add",
                "event",
                "X",
                "--all-day",
                "--date",
                "2026-12-02",
                "--until",
                "2026-12-01",
            ],
            "error: --until 2026-12-01 is before the start 2026-12-02",
        ),
        (
            &["edit", "event", "1", "--end", "2026-11-24 08:00"],
            "error: --end 2026-11-24 08:00 is before the start 2026-11-24 09:00",
        ),
        (
            &[
                "add",
                "invoice",
                "--vendor",
                "Telia",
                "--amount",
                "100",
                "--currency",
                "SEKK",
            ],
            "error: --currency: unknown currency 'SEKK'",
        ),
        (
            &["add", "invoice", "--vendor", "Telia", "--amount", "100 XYZ"],
            "unknown currency 'XYZ'",
        ),
        (
            &["add", "invoice", "--vendor", "Telia", "--amount", "lots"],
            "invalid amount 'lots'",
        ),
        (
            &["add", "task", "X", "--due", "someday"],
            "invalid date 'someday'",
        ),
        (
            &["add", "task", "X", "--contact", "Nobody"],
            "no contact named 'Nobody'",
        ),
        (
            &["add", "task", "X", "--contact", "77"],
            "no contact with id 77",
        ),
        (
            &["add", "task", "X", "--priority", "urgent"],
            "error: --priority 'urgent': expected high, normal or low",
        ),
        (
            &[
                "add",
                "segment",
                "--trip",
                "9",
                "--depart",
                "today 10:00",
                "--arrive",
                "12:00",
            ],
            "no trip with id 9",
        ),
        (
            &[
                "add",
                "segment",
                "--trip",
                "1",
                "--depart",
                "2026-12-01 12:00",
                "--arrive",
                "2026-12-01 10:00",
            ],
            "error: --arrive 2026-12-01 10:00 CET is before the departure 2026-12-01 12:00 CET",
        ),
        (
            &["add", "contact", "Anna", "--email", "not-an-email"],
            "'not-an-email' is not an e-mail address",
        ),
        (
            &["add", "contact", "Anna", "--birthday", "02-30"],
            "invalid birthday '02-30'",
        ),
        (
            &["add", "contact", "Bad\u{1b}[2Jname"],
            "error: --name: must be one line",
        ),
        (
            &[
                "add",
                "event",
                "X",
                "--start",
                "tomorrow 9:00",
                "--tz",
                "Mars/Olympus",
            ],
            "Mars/Olympus",
        ),
        (
            &["list", "invoices", "--status", "unpaid"],
            "error: --status 'unpaid': expected received, approved, paid, disputed or cancelled",
        ),
        (
            &["agenda", "--tz", "Mars/Olympus"],
            "error: --tz: unknown time zone 'Mars/Olympus'",
        ),
        (&["agenda", "--date", "2026-13-01"], "invalid date"),
        (&["backup", "."], "is a directory"),
    ];
    for (args, want) in cases {
        let line = t.fails(args);
        assert!(line.contains(want), "{args:?}: {line:?} lacks {want:?}");
        // nothing escapes to the terminal either
        assert!(!line.contains('\u{1b}'), "{line:?}");
    }
    assert_eq!(t.dump(), before, "a failed command changed the database");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let t = T::new();
    let p = t.path("notes.txt");
    std::fs::write(&p, "Dear diary,\nthis is not SQLite.\n").unwrap();
    let before = std::fs::read(&p).unwrap();
    let o = t
        .bare()
        .arg("--db")
        .arg(&p)
        .args(["list", "events"])
        .output()
        .unwrap();
    let line = fails_with(o, &["list"]);
    assert!(line.contains("is not a secretaire database"), "{line}");
    assert_eq!(std::fs::read(&p).unwrap(), before);
    assert!(!t.path("notes.txt-wal").exists());

    // an SQLite file of another program
    let other = t.path("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
            .unwrap();
    }
    let before = dump(&other);
    let o = t
        .bare()
        .arg("--db")
        .arg(&other)
        .args(["add", "task", "X"])
        .output()
        .unwrap();
    let line = fails_with(o, &["add"]);
    assert!(line.contains("another program"), "{line}");
    assert_eq!(dump(&other), before);

    // a directory
    let o = t
        .bare()
        .arg("--db")
        .arg(t.dir.path())
        .args(["list", "tasks"])
        .output()
        .unwrap();
    assert!(fails_with(o, &["dir"]).contains("is a directory"));
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let t = T::new();
    seed(&t);
    {
        let c = rusqlite::Connection::open(t.db()).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = t.dump();
    for args in [&["list", "events"][..], &["add", "task", "X"], &["agenda"]] {
        let line = t.fails(args);
        assert!(line.contains("newer secretaire"), "{line}");
        assert!(line.contains("99"), "{line}");
    }
    assert_eq!(t.dump(), before);
}

#[test]
fn a_bad_fixed_clock_is_a_clear_error() {
    let t = T::new();
    let o = t
        .cmd()
        .env("SECRETAIRE_NOW", "yesterday-ish")
        .args(["agenda"])
        .output()
        .unwrap();
    assert!(fails_with(o, &["agenda"]).contains("SECRETAIRE_NOW"));
}

#[test]
fn db_flag_beats_env_beats_default() {
    let t = T::new();
    let env_db = t.path("env/from-env.db");
    let flag_db = t.path("flag.db");
    // env only
    let o = t
        .bare()
        .env("SECRETAIRE_DB", &env_db)
        .args(["add", "task", "From env"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(env_db.exists());
    assert!(!t.path("xdg-data/secretaire/secretaire.db").exists());
    // flag and env: the flag wins, the env file is untouched
    let before = dump(&env_db);
    let o = t
        .bare()
        .env("SECRETAIRE_DB", &env_db)
        .arg("--db")
        .arg(&flag_db)
        .args(["add", "task", "From flag"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(dump(&env_db), before);
    let v: Value = serde_json::from_slice(
        &t.bare()
            .arg("--db")
            .arg(&flag_db)
            .args(["list", "tasks", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v[0]["subject"], "From flag");
    // neither: the platform default under XDG_DATA_HOME
    let o = t.bare().args(["add", "task", "Default"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let default = t.path("xdg-data/secretaire/secretaire.db");
    assert!(default.exists());
    assert_eq!(mode(&default), 0o600);
}

#[test]
fn agenda_merges_everything_in_time_order() {
    let t = T::new();
    seed(&t);
    t.add(&["event", "Offsite", "--all-day", "--date", "today"]);
    t.add(&["event", "Lunch", "--start", "12:00", "--duration", "1h"]);
    t.add(&[
        "event",
        "Standup",
        "--start",
        "today 9:30",
        "--duration",
        "15m",
    ]);
    t.add(&[
        "task",
        "Call back",
        "--kind",
        "call",
        "--due",
        "today 15:00",
    ]);
    t.add(&[
        "invoice",
        "--vendor",
        "Vattenfall",
        "--amount",
        "500",
        "--due",
        "today",
        "--issued",
        "2026-11-01",
    ]);
    let out = t.ok(&["agenda"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Monday 23 November 2026 (Europe/Stockholm) · today"
    );
    let order: Vec<&str> = [
        "Reply to Anna", // overdue task, carried to today
        "Telia",         // overdue invoice
        "Offsite",       // all day
        "Vattenfall",    // invoice due today
        "Standup",
        "Lunch",
        "Call back",
    ]
    .to_vec();
    let pos: Vec<usize> = order
        .iter()
        .map(|w| {
            lines
                .iter()
                .position(|l| l.contains(w))
                .unwrap_or_else(|| panic!("{w} missing:\n{out}"))
        })
        .collect();
    assert!(pos.windows(2).all(|p| p[0] < p[1]), "{pos:?}\n{out}");
    assert!(
        lines[pos[0]].contains("OVERDUE") && lines[pos[1]].contains("OVERDUE"),
        "{out}"
    );
    assert!(lines[pos[4]].contains("09:30–09:45"), "{out}");
    // aligned: the kind column starts at the same column on every item line
    let col: Vec<usize> = lines[1..]
        .iter()
        .map(|l| l.chars().position(|c| c == '#').unwrap())
        .collect();
    assert!(col.windows(2).all(|c| c[0] == c[1]), "{out}");

    let v = t.json(&["agenda", "--days", "2"]);
    assert_eq!(v["tz"], "Europe/Stockholm");
    assert_eq!(v["today"], "2026-11-23");
    assert_eq!(v["days"].as_array().unwrap().len(), 2);
    let first = &v["days"][0]["items"];
    assert_eq!(first[0]["type"], "task");
    assert_eq!(first[0]["overdue"], true);
    assert_eq!(first[0]["time"], Value::Null);
    let tomorrow = &v["days"][1]["items"];
    assert_eq!(tomorrow[0]["record"]["title"], "Board meeting");
    assert_eq!(tomorrow[0]["time_local"], "2026-11-24T09:00:00+01:00");
}

#[test]
fn agenda_in_another_zone_names_each_end_of_a_flight() {
    let t = T::new();
    seed(&t);
    t.add(&[
        "event",
        "Dinner",
        "--start",
        "2026-12-01 19:00",
        "--tz",
        "America/New_York",
    ]);
    // at home: the flight leaves at 10:00 and lands at 18:30 Stockholm time
    let out = t.ok(&["agenda", "--date", "2026-12-01"]);
    let flight = out.lines().find(|l| l.contains("SK 903")).unwrap();
    assert!(flight.contains("10:00–18:30"), "{flight}");
    assert!(
        flight.contains("departs 10:00 CET Europe/Stockholm"),
        "{flight}"
    );
    assert!(
        flight.contains("arrives Tue 1 Dec 12:30 EST America/New_York"),
        "{flight}"
    );
    // the New York dinner at 19:00 EST is 01:00 on the 2nd in Stockholm
    assert!(!out.contains("Dinner"), "{out}");
    // as lived in New York
    let out = t.ok(&["agenda", "--date", "2026-12-01", "--tz", "America/New_York"]);
    assert!(
        out.starts_with("Tuesday 1 December 2026 (America/New_York)"),
        "{out}"
    );
    let flight = out.lines().find(|l| l.contains("SK 903")).unwrap();
    assert!(flight.contains("04:00–12:30"), "{flight}");
    let dinner = out.lines().find(|l| l.contains("Dinner")).unwrap();
    assert!(dinner.contains("19:00–20:00"), "{dinner}");
    let v = t.json(&["agenda", "--date", "2026-12-01", "--tz", "America/New_York"]);
    let seg = v["days"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["type"] == "segment")
        .unwrap();
    assert_eq!(seg["part"], "whole");
    assert_eq!(seg["time_local"], "2026-12-01T04:00:00-05:00");
    assert_eq!(seg["record"]["depart_tz"], "Europe/Stockholm");
}

#[test]
fn agenda_across_dst_changes() {
    let t = T::new();
    // spring forward in Stockholm on 29 Mar 2026: the day has 23 hours
    t.add(&[
        "event",
        "Early",
        "--start",
        "2026-03-29 00:15",
        "--duration",
        "15m",
    ]);
    t.add(&[
        "event",
        "In the gap",
        "--start",
        "2026-03-29 02:30",
        "--duration",
        "30m",
    ]);
    t.add(&[
        "event",
        "Late",
        "--start",
        "2026-03-29 23:30",
        "--duration",
        "15m",
    ]);
    t.add(&[
        "event",
        "Next day",
        "--start",
        "2026-03-30 00:30",
        "--duration",
        "15m",
    ]);
    let v = t.json(&["agenda", "--date", "2026-03-29", "--days", "2"]);
    let titles = |d: usize| -> Vec<String> {
        v["days"][d]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["record"]["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(0), vec!["Early", "In the gap", "Late"]);
    assert_eq!(titles(1), vec!["Next day"]);
    // 02:30 does not exist that night: it moves forward to 03:30 summer time
    assert_eq!(
        v["days"][0]["items"][1]["time_local"],
        "2026-03-29T03:30:00+02:00"
    );
    assert_eq!(
        v["days"][0]["items"][0]["time_local"],
        "2026-03-29T00:15:00+01:00"
    );
    assert_eq!(
        v["days"][0]["items"][2]["time_local"],
        "2026-03-29T23:30:00+02:00"
    );

    // fall back on 25 Oct 2026: the day has 25 hours, 23:30 still belongs to it
    t.add(&[
        "event",
        "Autumn late",
        "--start",
        "2026-10-25 23:30",
        "--duration",
        "15m",
    ]);
    t.add(&[
        "event",
        "Autumn early",
        "--start",
        "2026-10-25 00:30",
        "--duration",
        "15m",
    ]);
    let out = t.ok(&["agenda", "--date", "2026-10-25"]);
    let a = out.find("Autumn early").unwrap();
    let b = out.find("Autumn late").unwrap();
    assert!(a < b, "{out}");
    assert!(out.contains("23:30–23:45"), "{out}");
    // in New York (which changed on 1 Nov) the late event is still on the 25th, 18:30 EDT
    let out = t.ok(&["agenda", "--date", "2026-10-25", "--tz", "America/New_York"]);
    assert!(out.contains("18:30–18:45"), "{out}");
    assert!(out.contains("(23:30 CET Europe/Stockholm)"), "{out}");
}

#[test]
fn csv_export_is_rfc4180_formula_safe_and_private() {
    let t = T::new();
    seed(&t);
    t.add(&[
        "contact",
        "=HYPERLINK(\"http://evil\",\"x\")",
        "--notes",
        "line1\nline2, with comma",
    ]);
    t.add(&["task", "+SUM(A1:A9)", "--notes", "@cmd"]);
    t.add(&[
        "invoice",
        "--vendor=-2+3",
        "--amount",
        "10",
        "--notes",
        "\ttabbed",
    ]);
    for (kind, n) in [("contacts", 2), ("tasks", 2), ("invoices", 2)] {
        let f = t.path(&format!("{kind}.csv"));
        let out = t.ok(&["export", "csv", kind, "-o", f.to_str().unwrap()]);
        assert_eq!(out.trim(), format!("wrote {n} {kind} to {}", f.display()));
        assert_eq!(mode(&f), 0o600, "{kind}");
        let bytes = std::fs::read(&f).unwrap();
        assert!(bytes.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), n);
        for row in &rows {
            for cell in row.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{kind}: dangerous cell {cell:?}"
                );
            }
        }
    }
    let text = std::fs::read_to_string(t.path("contacts.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[1], "name");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let evil = rows.iter().find(|r| r[1].contains("HYPERLINK")).unwrap();
    assert_eq!(&evil[1], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(
        &evil[10], "line1\nline2, with comma",
        "quoted newline and comma survive"
    );
    let anna = rows.iter().find(|r| &r[1] == "Anna Berg").unwrap();
    assert_eq!(&anna[5], "mobile:+46 70 123 45 67");
    let inv = std::fs::read_to_string(t.path("invoices.csv")).unwrap();
    assert!(inv.contains("'-2+3") && inv.contains("'\ttabbed"), "{inv}");
    assert!(inv.contains("1249.00,SEK"), "{inv}");
    // to stdout
    let out = t.ok(&["export", "csv", "tasks", "-o", "-"]);
    assert!(out.starts_with("id,subject,kind"), "{out}");
    assert!(out.contains("'+SUM(A1:A9)"), "{out}");
}

#[test]
fn stored_control_characters_never_reach_the_terminal() {
    let t = T::new();
    seed(&t);
    // text written by another tool, bypassing validation
    {
        let c = rusqlite::Connection::open(t.db()).unwrap();
        c.execute(
            "UPDATE contacts SET name = ?1, notes = ?2 WHERE id = 1",
            [
                "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J",
                "ok\nthen\u{1b}[31mred\u{202e}",
            ],
        )
        .unwrap();
        c.execute(
            "UPDATE tasks SET subject = ?1 WHERE id = 1",
            ["Task\u{9b}31m"],
        )
        .unwrap();
    }
    for args in [
        &["list", "contacts"][..],
        &["show", "contact", "1"],
        &["list", "tasks"],
        &["show", "task", "1"],
        &["agenda"],
        &["show", "event", "1"],
        &["delete", "task", "1"],
    ] {
        let out = t.ok(args);
        assert!(
            !out.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{args:?} printed a control character: {out:?}"
        );
    }
    let out = t.ok(&["show", "contact", "1"]);
    assert!(out.contains("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"), "{out}");
    assert!(out.contains("ok\n"), "notes keep their newlines: {out}");
}

#[test]
fn backup_is_consistent_private_and_never_overwrites_by_accident() {
    let t = T::new();
    seed(&t);
    let f = t.path("backup.db");
    let out = t.ok(&["backup", f.to_str().unwrap()]);
    assert!(
        out.starts_with(&format!("backed up to {}", f.display())),
        "{out}"
    );
    assert_eq!(mode(&f), 0o600);
    let b = dump(&f);
    assert_eq!(b, t.dump());
    let line = t.fails(&["backup", f.to_str().unwrap()]);
    assert!(line.contains("already exists"), "{line}");
    t.add(&["task", "After the backup"]);
    t.ok(&["backup", f.to_str().unwrap(), "--force"]);
    assert_eq!(dump(&f), t.dump());
    // the backup opens as a database
    let o = t
        .bare()
        .arg("--db")
        .arg(&f)
        .args(["list", "tasks", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success());
}

#[test]
fn config_problems_are_warnings_not_failures() {
    let t = T::with_config("timezone = \"Mars/Olympus\"\nbell = \"loud\"\n");
    t.add(&["task", "X"]);
    let o = t.run(&["list", "tasks"]);
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("warning: ") && err.contains(":1: timezone: unknown time zone 'Mars/Olympus'"),
        "{err}"
    );
    assert!(err.contains(":2: bell"), "{err}");
    // a missing config is created from the commented template
    let t = T::new();
    let cfg = t.path("fresh/config.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_secretaire"))
        .env("HOME", t.dir.path())
        .env("SECRETAIRE_NOW", NOW)
        .arg("--config")
        .arg(&cfg)
        .arg("--db")
        .arg(t.db())
        .args(["add", "task", "X"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(&cfg)
            .unwrap()
            .contains("# timezone = ")
    );
    assert_eq!(mode(&cfg), 0o600);
}

#[test]
fn calendar_and_contact_file_commands_are_wired() {
    let t = T::new();
    // each parses its documented flags (the work itself is tested in tests/ics.rs, vcard.rs)
    for args in [
        &["export", "ics", "--help"][..],
        &["import", "ics", "--help"],
        &["export", "vcf", "--help"],
        &["import", "vcf", "--help"],
        &["conflicts", "--help"],
        &["free", "--help"],
    ] {
        let out = t.ok(args);
        assert!(out.contains("Usage: secretaire"), "{args:?}: {out}");
    }
    // a missing input file is the user's mistake, and nothing is written
    seed(&t);
    let before = t.dump();
    for kind in ["ics", "vcf"] {
        let line = t.fails(&["import", kind, t.path("missing.file").to_str().unwrap()]);
        assert!(line.contains("missing.file"), "{line}");
    }
    assert_eq!(t.dump(), before);
    // a round trip through files into a second database
    let ics = t.path("out.ics");
    let vcf = t.path("out.vcf");
    t.ok(&["export", "ics", "-o", ics.to_str().unwrap()]);
    t.ok(&["export", "vcf", "-o", vcf.to_str().unwrap()]);
    assert_eq!(mode(&ics), 0o600);
    let other = t.path("other.db");
    let run = |args: &[&str]| {
        let o = t
            .bare()
            .arg("--db")
            .arg(&other)
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    run(&["import", "ics", ics.to_str().unwrap()]);
    run(&["import", "vcf", vcf.to_str().unwrap()]);
    let ev: Value = serde_json::from_str(&run(&["list", "events", "--json"])).unwrap();
    assert_eq!(ev[0]["title"], "Board meeting");
    assert_eq!(ev[0]["start"], "2026-11-24T08:00:00Z");
    let ct: Value = serde_json::from_str(&run(&["list", "contacts", "--json"])).unwrap();
    assert_eq!(ct[0]["name"], "Anna Berg");
}

#[test]
fn help_lists_every_subcommand() {
    let t = T::new();
    let out = t.ok(&["--help"]);
    for c in [
        "add",
        "list",
        "show",
        "edit",
        "delete",
        "done",
        "snooze",
        "pay",
        "agenda",
        "export",
        "import",
        "occurrence",
        "conflicts",
        "free",
        "backup",
        "demo",
    ] {
        assert!(out.contains(&format!("\n  {c} ")), "{c} missing:\n{out}");
    }
}

#[test]
fn agenda_caps_overdue_items_and_still_shows_the_window() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use secretaire::domain::{Due, Priority, Task};
    let t = T::new();
    t.ok(&["add", "contact", "Nobody in particular"]); // creates the database
    {
        let store = secretaire::store::Store::open(&t.db()).unwrap();
        let created = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        store
            .write(|tx| {
                for i in 0..230 {
                    let mut k = Task::new(format!("Old {i}"), created);
                    k.due = Some(Due::Date(
                        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
                            + chrono::Duration::days(i % 40),
                    ));
                    if i == 229 {
                        k.priority = Priority::High;
                        k.subject = "Most urgent".into();
                    }
                    tx.insert_task(&k)?;
                }
                // due in the window, at its edges in the display zone
                for (s, due) in [
                    (
                        "Just after midnight",
                        Due::At(Utc.with_ymd_and_hms(2026, 11, 23, 23, 10, 0).unwrap()),
                    ),
                    (
                        "Late on the last day",
                        Due::At(Utc.with_ymd_and_hms(2026, 11, 24, 22, 50, 0).unwrap()),
                    ),
                    (
                        "Dated tomorrow",
                        Due::Date(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
                    ),
                    (
                        "After the window",
                        Due::At(Utc.with_ymd_and_hms(2026, 11, 24, 23, 10, 0).unwrap()),
                    ),
                ] {
                    let mut k = Task::new(s, created);
                    k.due = Some(due);
                    tx.insert_task(&k)?;
                }
                Ok(())
            })
            .unwrap();
    }
    let v = t.json(&["agenda", "--days", "2"]);
    let today = v["days"][0]["items"].as_array().unwrap();
    assert_eq!(today.iter().filter(|i| i["overdue"] == true).count(), 200);
    assert_eq!(v["overdue_not_shown"]["tasks"], 30);
    // the high-priority one is among those shown, and first
    assert_eq!(today[0]["record"]["subject"], "Most urgent");
    let tomorrow: Vec<&str> = v["days"][1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["record"]["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        tomorrow,
        vec![
            "Dated tomorrow",
            "Just after midnight",
            "Late on the last day"
        ]
    );
    let out = t.ok(&["agenda"]);
    assert!(out.contains("… and 30 more overdue tasks"), "{out}");
    // a window in the future carries nothing over
    let v = t.json(&["agenda", "--date", "tomorrow"]);
    assert_eq!(v["days"][0]["items"].as_array().unwrap().len(), 3);
}

#[test]
fn demo_refuses_a_database_that_holds_records() {
    let t = T::new();
    t.add(&["task", "Mine"]);
    let before = t.dump();
    let line = t.fails(&["demo"]);
    assert!(line.contains("already holds records"), "{line}");
    assert_eq!(t.dump(), before);
}

#[test]
fn attendees_link_contacts_by_id_name_or_address() {
    let t = T::new();
    seed(&t);
    let v = t.json(&[
        "add",
        "event",
        "Lunch",
        "--start",
        "tomorrow 12:00",
        "--attendee",
        "ANNA@berg.se",
        "--attendee",
        "1",
        "--attendee",
        "Stranger <s@x.se>",
        "--attendee",
        "Just A Name",
    ]);
    let a = &v["attendees"];
    assert_eq!(
        (a[0]["contact_id"].as_i64(), a[0]["name"].as_str()),
        (Some(1), Some("Anna Berg"))
    );
    assert_eq!(
        (a[1]["contact_id"].as_i64(), a[1]["email"].as_str()),
        (Some(1), Some("anna@berg.se"))
    );
    assert_eq!(a[2]["contact_id"], Value::Null);
    assert_eq!(a[3]["name"], "Just A Name");
    assert_eq!(a[3]["email"], "");
    let line = t.fails(&[
        "add",
        "event",
        "X",
        "--start",
        "tomorrow 12:00",
        "--attendee",
        "42",
    ]);
    assert!(line.contains("--attendee: no contact with id 42"), "{line}");
}

#[test]
fn a_rule_is_stored_in_one_spelling_however_it_was_typed() {
    // calcurse refuses lower-case rule names; every entry path stores the canonical form.
    let t = T::new();
    let id = t.add(&[
        "event",
        "Standup",
        "--start",
        "2026-11-24 09:00",
        "--rrule",
        "rrule:count=3;byday=tu;freq=weekly",
    ]);
    let ev = t.json(&["show", "event", &id.to_string()]);
    assert_eq!(ev["rrule"], "FREQ=WEEKLY;BYDAY=TU;COUNT=3");
    t.ok(&[
        "edit",
        "event",
        &id.to_string(),
        "--rrule",
        "freq=weekly;interval=1;byday=tu;until=20261231",
    ]);
    let ev = t.json(&["show", "event", &id.to_string()]);
    assert_eq!(ev["rrule"], "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231");
}

#[test]
fn recurring_events_expand_in_lists_and_the_agenda_across_dst() {
    let t = T::new();
    // Mondays 09:00 Stockholm, starting before the October change
    let id = t.add(&[
        "event",
        "Standup",
        "--start",
        "2026-10-19 09:00",
        "--duration",
        "15m",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=MO;COUNT=4",
        "--exdate",
        "2026-11-02 09:00",
    ]);
    let v = t.json(&[
        "list",
        "events",
        "--from",
        "2026-10-19",
        "--to",
        "2026-11-30",
    ]);
    let starts: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["occurrence"]["start"].as_str().unwrap())
        .collect();
    // 07:00 UTC in summer time, 08:00 UTC after; 2 Nov skipped; COUNT counts it
    assert_eq!(
        starts,
        vec![
            "2026-10-19T07:00:00Z",
            "2026-10-26T08:00:00Z",
            "2026-11-09T08:00:00Z"
        ]
    );
    assert_eq!(v[1]["occurrence"]["recurrence_id"], "2026-10-26T09:00:00");
    assert_eq!(v[0]["id"], id);
    let out = t.ok(&["agenda", "--date", "2026-10-26"]);
    assert!(
        out.contains("09:00–09:15") && out.contains("Standup ↻"),
        "{out}"
    );
    // an extra date
    t.ok(&[
        "edit",
        "event",
        &id.to_string(),
        "--rdate",
        "2026-11-25 15:00",
    ]);
    let v = t.json(&[
        "list",
        "events",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-25",
    ]);
    assert_eq!(v[0]["occurrence"]["start"], "2026-11-25T14:00:00Z");
    assert_eq!(v[0]["rdates"], serde_json::json!(["2026-11-25T15:00:00"]));
    // without a window the series is one row
    assert_eq!(t.json(&["list", "events"]).as_array().unwrap().len(), 1);
    let line = t.fails(&[
        "add",
        "event",
        "X",
        "--start",
        "mon 9:00",
        "--rrule",
        "FREQ=FORTNIGHTLY",
    ]);
    assert!(line.starts_with("error: --rrule: "), "{line}");
}

#[test]
fn demo_seeds_an_empty_database_and_reports_it() {
    let t = T::new();
    let out = t.ok(&["demo"]);
    assert!(
        out.starts_with("wrote ") && out.contains(" events, ") && out.contains(" s\n"),
        "{out}"
    );
    let t = T::new();
    let v = t.json(&["demo", "--size", "small"]);
    for k in [
        "events", "trips", "segments", "contacts", "invoices", "tasks",
    ] {
        assert!(v[k].as_u64().unwrap() > 0, "{k}: {v}");
    }
    assert!(v["seconds"].as_f64().is_some());
    let n = t
        .json(&["list", "contacts", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len() as u64;
    assert_eq!(n, v["contacts"].as_u64().unwrap());
    // the demo is built around the fixed "now": today has something in it
    let a = t.json(&["agenda"]);
    assert!(!a["days"][0]["items"].as_array().unwrap().is_empty());
}

#[test]
fn usage_mistakes_are_one_line_too() {
    let t = T::new();
    for (args, want) in [
        (&["lst"][..], "tip: a similar subcommand exists: 'list'"),
        (&["agenda", "--days", "0"], "0 is not in 1..=366"),
        (&["show", "event", "abc"], "invalid value 'abc'"),
        (
            &[
                "add",
                "event",
                "X",
                "--start",
                "9:00",
                "--end",
                "10:00",
                "--duration",
                "1h",
            ],
            "cannot be used with",
        ),
        // clap's details stay in the line: the missing argument, the possible values
        (
            &["export", "csv", "tasks"],
            "not provided: --output <OUTPUT>",
        ),
        (&["snooze", "5"], "not provided: <UNTIL>"),
        (&["show", "task"], "not provided: <ID>"),
        (
            &["export", "ics", "--for", "outlook", "-o", "x.ics"],
            "[possible values: standard, calcurse]",
        ),
        (
            &["export", "csv", "events", "-o", "x.csv"],
            "[possible values: invoices, contacts, tasks]",
        ),
    ] {
        let line = t.fails(args);
        assert!(line.contains(want), "{args:?}: {line}");
    }
    assert!(t.ok(&["--version"]).starts_with("secretaire "));
}

// ------------------------------------------------------------------ series exceptions

/// Mondays 09:00 Stockholm from 7 Dec 2026, `n` times; returns its id.
fn weekly_staff(t: &T, n: u32) -> i64 {
    t.add(&[
        "event",
        "Staff",
        "--start",
        "2026-12-07 09:00",
        "--duration",
        "1h",
        "--rrule",
        &format!("FREQ=WEEKLY;COUNT={n}"),
    ])
}

fn states(v: &Value) -> Vec<(String, String)> {
    v["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["recurrence_id"].as_str().unwrap().to_string(),
                o["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn occurrence_delete_and_edit_one_show_in_list_and_agenda() {
    let t = T::new();
    let id = weekly_staff(&t, 5);
    let sid = id.to_string();
    let v = t.json(&["occurrence", "list", &sid]);
    assert_eq!(
        keys(&v),
        sorted(&["series", "from", "to", "occurrences", "more"])
    );
    assert_eq!(v["series"]["id"], id);
    assert_eq!(v["more"], false);
    let occ = v["occurrences"].as_array().unwrap();
    assert_eq!(occ.len(), 5);
    assert_eq!(
        keys(&occ[0]),
        sorted(&[
            "recurrence_id",
            "state",
            "start",
            "end",
            "all_day",
            "override_id",
            "title"
        ])
    );
    assert_eq!(occ[0]["start"], "2026-12-07T08:00:00Z");
    assert_eq!(occ[0]["state"], "scheduled");

    // delete one: an EXDATE, the series' SEQUENCE up, gone from the agenda
    assert!(t.ok(&["agenda", "--date", "2026-12-14"]).contains("Staff"));
    let v = t.json(&["occurrence", "delete", &sid, "--at", "2026-12-14"]);
    assert_eq!(
        keys(&v),
        sorted(&[
            "action",
            "event_id",
            "recurrence_id",
            "removed_overrides",
            "series",
            "series_empty"
        ])
    );
    assert_eq!(v["action"], "deleted");
    assert_eq!(v["series_empty"], false);
    assert_eq!(v["recurrence_id"], "2026-12-14T09:00:00");
    assert_eq!(
        v["series"]["exdates"],
        serde_json::json!(["2026-12-14T09:00:00"])
    );
    assert_eq!(v["series"]["sequence"], 1);
    let day = t.ok(&["agenda", "--date", "2026-12-14"]);
    assert!(!day.contains("Staff"), "{day}");
    // deleting it again is an error naming it, and writes nothing
    let before = t.dump();
    let line = t.fails(&["occurrence", "delete", &sid, "--at", "2026-12-14 09:00"]);
    assert!(line.contains("already deleted"), "{line}");
    assert_eq!(t.dump(), before);

    // move one to another day: an override with the series' UID and RECURRENCE-ID
    let v = t.json(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-21",
        "--start",
        "2026-12-22 13:00",
        "--title",
        "Staff (moved)",
    ]);
    assert_eq!(
        keys(&v),
        sorted(&["action", "event_id", "recurrence_id", "created", "override"])
    );
    assert_eq!(v["action"], "changed");
    assert_eq!(v["created"], true);
    let o = &v["override"];
    assert_eq!(o["recurrence_id"], "2026-12-21T09:00:00");
    assert_eq!(o["start"], "2026-12-22T12:00:00Z");
    assert_eq!(o["end"], "2026-12-22T13:00:00Z", "the length is kept");
    assert_eq!(o["rrule"], Value::Null);
    let series = t.json(&["show", "event", &sid]);
    assert_eq!(o["uid"], series["uid"]);
    assert_eq!(series["sequence"], 1, "an override leaves the series alone");
    let oid = o["id"].as_i64().unwrap();
    let seq = o["sequence"].as_i64().unwrap();
    assert!(seq > series["sequence"].as_i64().unwrap());

    let old_day = t.ok(&["agenda", "--date", "2026-12-21"]);
    assert!(!old_day.contains("Staff"), "{old_day}");
    let new_day = t.ok(&["agenda", "--date", "2026-12-22"]);
    assert!(
        new_day.contains("13:00–14:00") && new_day.contains("Staff (moved)"),
        "{new_day}"
    );

    // edit it again, found by its new time: the same override is updated
    let v = t.json(&[
        "occ",
        "edit",
        &sid,
        "--at",
        "2026-12-22 13:00",
        "--location",
        "Room 2",
    ]);
    assert_eq!(v["created"], false);
    assert_eq!(v["override"]["id"], oid);
    assert_eq!(v["override"]["location"], "Room 2");
    assert_eq!(v["override"]["title"], "Staff (moved)");
    assert_eq!(v["override"]["sequence"], seq + 1);

    // a bare time is on the occurrence's own day
    let v = t.json(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-28",
        "--start",
        "10:30",
    ]);
    assert_eq!(v["override"]["start"], "2026-12-28T09:30:00Z");

    // cancel one, keeping its record
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2027-01-04",
        "--status",
        "cancelled",
    ]);
    assert!(
        !t.ok(&["agenda", "--date", "2027-01-04"]).contains("Staff"),
        "a cancelled occurrence is not on the agenda"
    );

    let v = t.json(&["occurrence", "list", &sid, "--from", "2026-12-01"]);
    assert_eq!(
        states(&v),
        vec![
            ("2026-12-07T09:00:00".into(), "scheduled".into()),
            ("2026-12-14T09:00:00".into(), "deleted".into()),
            ("2026-12-21T09:00:00".into(), "moved".into()),
            ("2026-12-28T09:00:00".into(), "moved".into()),
            ("2027-01-04T09:00:00".into(), "cancelled".into()),
        ]
    );
    assert_eq!(v["occurrences"][1]["start"], Value::Null);
    assert_eq!(v["occurrences"][2]["override_id"], oid);
    // the override's id finds the series too; the text marks each state
    let out = t.ok(&[
        "occurrence",
        "list",
        &oid.to_string(),
        "--from",
        "2026-12-01",
    ]);
    assert!(
        out.starts_with(&format!("event {id} 'Staff' · every week, 5 times")),
        "{out}"
    );
    for w in [
        "deleted",
        "moved",
        "cancelled",
        "Tue 22 Dec 2026 13:00–14:00",
    ] {
        assert!(out.contains(w), "{w}: {out}");
    }
    // a window with one occurrence
    let v = t.json(&[
        "occurrence",
        "list",
        &sid,
        "--from",
        "2026-12-07",
        "--to",
        "2026-12-07",
    ]);
    assert_eq!(v["occurrences"].as_array().unwrap().len(), 1);
    let out = t.ok(&["occurrence", "delete", &sid, "--at", "2026-12-07"]);
    assert_eq!(
        out,
        format!(
            "deleted the occurrence Mon 7 Dec 2026 09:00 Europe/Stockholm of event {id} 'Staff' (EXDATE; series sequence 2)\n"
        )
    );
    // show names the exceptions, and an override names its series
    let out = t.ok(&["show", "event", &sid]);
    assert!(
        out.contains(&format!(
            "2026-12-21 09:00 → Tue 22 Dec 2026 13:00–14:00 CET Europe/Stockholm (event {oid})"
        )) && out.contains("2027-01-04 09:00 → cancelled"),
        "{out}"
    );
    let out = t.ok(&["show", "event", &oid.to_string()]);
    assert!(
        out.contains(&format!(
            "replaces the occurrence 2026-12-21 09:00 of event {id}"
        )),
        "{out}"
    );
    // deleting the series takes its changed occurrences with it
    let out = t.ok(&["delete", "event", &sid]);
    assert_eq!(
        out,
        format!("deleted event {id}: Staff (and its 3 changed occurrences)\n")
    );
    assert_eq!(t.json(&["list", "events"]), serde_json::json!([]));
}

#[test]
fn occurrence_bad_at_exits_2_with_one_line_and_writes_nothing() {
    let t = T::new();
    let id = weekly_staff(&t, 5);
    let sid = id.to_string();
    let single = t
        .add(&["event", "Dentist", "--start", "2026-12-08 10:00"])
        .to_string();
    let twice = t
        .add(&[
            "event",
            "Pills",
            "--start",
            "2026-12-07 09:00",
            "--duration",
            "5m",
            "--rrule",
            "FREQ=DAILY;BYHOUR=9,14;COUNT=6",
        ])
        .to_string();
    let byday = t
        .add(&[
            "event",
            "Review",
            "--start",
            "2026-12-07 09:00",
            "--rrule",
            "FREQ=WEEKLY;BYDAY=MO",
        ])
        .to_string();
    let before = t.dump();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["occurrence", "delete", &sid, "--at", "2026-12-15"],
            "error: --at: event 1 'Staff' has no occurrence on Tue 15 Dec 2026 (Europe/Stockholm); nearest: Mon 14 Dec 2026 09:00, Mon 21 Dec 2026 09:00",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &sid,
                "--at",
                "2026-12-07 10:00",
                "--title",
                "x",
            ],
            "error: --at: event 1 'Staff' has no occurrence at Mon 7 Dec 2026 10:00 (Europe/Stockholm); that day: 09:00",
        ),
        (
            vec!["occurrence", "delete", &sid, "--at", "2027-06-07"],
            "has no occurrence on Mon 7 Jun 2027",
        ),
        (
            vec!["occurrence", "delete", &sid, "--at", "someday"],
            "error: --at: ",
        ),
        (
            vec!["occurrence", "delete", &single, "--at", "2026-12-08"],
            "'Dentist' does not repeat; use `edit event 2`",
        ),
        (
            vec!["occurrence", "delete", "99", "--at", "2026-12-08"],
            "error: no event with id 99",
        ),
        (
            vec!["occurrence", "list", "99"],
            "error: no event with id 99",
        ),
        (
            vec!["occurrence", "edit", &sid, "--at", "2026-12-07"],
            "error: nothing to change",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &sid,
                "--at",
                "2026-12-07",
                "--rrule",
                "FREQ=DAILY",
            ],
            "error: --rrule: changes the rule of this and following occurrences: add --following",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &sid,
                "--at",
                "2026-12-14",
                "--following",
                "--rrule",
                "FREQ=HOURLY",
            ],
            "error: --rrule: ",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &sid,
                "--at",
                "2026-12-14",
                "--end",
                "2026-12-14 08:00",
            ],
            "error: --end 2026-12-14 08:00 is before the start 2026-12-14 09:00",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &sid,
                "--at",
                "2026-12-14",
                "--status",
                "maybe",
            ],
            "error: --status 'maybe': expected tentative, confirmed or cancelled",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &twice,
                "--at",
                "2026-12-08",
                "--title",
                "x",
            ],
            "'Pills' has 2 occurrences on Tue 8 Dec 2026 (Europe/Stockholm): 09:00, 14:00; give the time too (--at \"2026-12-08 09:00\")",
        ),
        (
            vec![
                "occurrence",
                "list",
                &sid,
                "--from",
                "2026-12-10",
                "--to",
                "2026-12-01",
            ],
            "error: --to 2026-12-01 is before --from 2026-12-10",
        ),
        (
            vec![
                "occurrence",
                "edit",
                &byday,
                "--at",
                "2026-12-14",
                "--following",
                "--start",
                "2026-12-15 09:00",
            ],
            "error: --start: Tue 15 Dec 2026 09:00 is not an occurrence of the rule FREQ=WEEKLY;BYDAY=MO; give a rule that includes it (--rrule ...)",
        ),
    ];
    for (args, want) in cases {
        let line = t.fails(&args);
        assert!(line.contains(want), "{args:?}: {line}");
        assert_eq!(t.dump(), before, "{args:?} wrote something");
    }
    // with the time, the same day works
    let v = t.json(&[
        "occurrence",
        "edit",
        &twice,
        "--at",
        "2026-12-08 14:00",
        "--title",
        "Pills (evening)",
    ]);
    assert_eq!(v["override"]["recurrence_id"], "2026-12-08T14:00:00");
    // with a rule that includes the new day, the split goes through
    let v = t.json(&[
        "occurrence",
        "edit",
        &byday,
        "--at",
        "2026-12-14",
        "--following",
        "--start",
        "2026-12-15 09:00",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=TU",
    ]);
    assert_eq!(v["new_series"]["rrule"], "FREQ=WEEKLY;BYDAY=TU");
    assert_eq!(
        v["series"]["rrule"],
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261214T075959Z"
    );
}

#[test]
fn occurrence_split_keeps_the_count_and_exports_both_series() {
    let t = T::new();
    let id = weekly_staff(&t, 6); // 7, 14, 21, 28 Dec, 4, 11 Jan
    let sid = id.to_string();
    t.ok(&["occurrence", "delete", &sid, "--at", "2026-12-14"]);
    let moved = t.json(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2027-01-04",
        "--start",
        "2027-01-05 09:00",
    ])["override"]["id"]
        .as_i64()
        .unwrap();
    let count = |t: &T| {
        t.json(&[
            "list",
            "events",
            "--from",
            "2026-12-01",
            "--to",
            "2027-03-31",
        ])
        .as_array()
        .unwrap()
        .len()
    };
    assert_eq!(count(&t), 5);

    let v = t.json(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-21",
        "--following",
        "--start",
        "10:00",
        "--location",
        "Room 2",
    ]);
    assert_eq!(
        keys(&v),
        sorted(&[
            "action",
            "event_id",
            "recurrence_id",
            "series",
            "new_series",
            "moved_overrides",
            "deleted_overrides"
        ])
    );
    assert_eq!(v["action"], "split");
    let old = &v["series"];
    let new = &v["new_series"];
    // 09:00 CET is 08:00 UTC: the old series ends one second before
    assert_eq!(old["rrule"], "FREQ=WEEKLY;UNTIL=20261221T075959Z");
    assert_eq!(old["sequence"], 2);
    // 6 - (7 Dec and the deleted 14 Dec, which COUNT still counts) = 4 left
    assert_eq!(new["rrule"], "FREQ=WEEKLY;COUNT=4");
    assert_eq!(new["start"], "2026-12-21T09:00:00Z");
    assert_eq!(new["location"], "Room 2");
    assert_eq!(old["location"], "");
    assert_ne!(new["uid"], old["uid"]);
    assert_eq!(new["sequence"], 0);
    assert_eq!(v["moved_overrides"], serde_json::json!([moved]));
    // the moved override followed, shifted with the new start
    let o = t.json(&["show", "event", &moved.to_string()]);
    assert_eq!(o["uid"], new["uid"]);
    assert_eq!(o["recurrence_id"], "2027-01-04T10:00:00");
    assert_eq!(o["start"], "2027-01-05T08:00:00Z");
    // the same number of occurrences as before, and the moved one still moved
    assert_eq!(count(&t), 5);
    let jan4 = t.ok(&["agenda", "--date", "2027-01-04"]);
    assert!(!jan4.contains("Staff"), "{jan4}");
    assert!(t.ok(&["agenda", "--date", "2027-01-05"]).contains("Staff"));
    let dec28 = t.ok(&["agenda", "--date", "2026-12-28"]);
    assert!(
        dec28.contains("10:00–11:00") && dec28.contains("Staff"),
        "{dec28}"
    );
    let new_id = new["id"].as_i64().unwrap().to_string();
    let v = t.json(&["occurrence", "list", &new_id, "--from", "2026-12-01"]);
    assert_eq!(v["occurrences"].as_array().unwrap().len(), 4);

    // both halves and the override export: two UIDs, UNTIL in UTC, a RECURRENCE-ID
    let file = t.path("cal.ics");
    t.ok(&["export", "ics", "-o", file.to_str().unwrap()]);
    let ics = std::fs::read_to_string(&file).unwrap().replace("\r\n ", "");
    let mut uids: Vec<&str> = ics.lines().filter_map(|l| l.strip_prefix("UID:")).collect();
    assert_eq!(uids.len(), 3, "{ics}");
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 2, "{ics}");
    assert!(ics.contains("UNTIL=20261221T075959Z"), "{ics}");
    assert!(ics.contains("COUNT=4"), "{ics}");
    assert!(ics.contains("RECURRENCE-ID"), "{ics}");

    // split at the first occurrence: the whole series changes in place
    let v = t.json(&[
        "occurrence",
        "edit",
        &new_id,
        "--at",
        "2026-12-21",
        "--following",
        "--title",
        "Staff meeting",
    ]);
    assert_eq!(v["action"], "changed_series");
    assert_eq!(v["new_series"], Value::Null);
    assert_eq!(v["series"]["title"], "Staff meeting");
    assert_eq!(v["series"]["rrule"], "FREQ=WEEKLY;COUNT=4");
}

#[test]
fn occurrence_commands_on_an_all_day_series() {
    let t = T::new();
    let id = t
        .add(&[
            "event",
            "Report",
            "--start",
            "2026-12-01",
            "--rrule",
            "FREQ=DAILY;COUNT=10",
        ])
        .to_string();
    let two = t
        .add(&[
            "event",
            "Twice",
            "--start",
            "2026-12-01",
            "--rrule",
            "FREQ=DAILY;COUNT=2",
        ])
        .to_string();
    t.ok(&["occurrence", "delete", &two, "--at", "2026-12-01"]);
    let out = t.ok(&["occurrence", "delete", &two, "--at", "2026-12-02"]);
    assert!(
        out.ends_with(&format!(
            "\nthe series has no occurrences left; `secretaire delete event {two}` removes it\n"
        )),
        "{out}"
    );
    t.ok(&["delete", "event", &two]);
    let out = t.ok(&["occurrence", "delete", &id, "--at", "2026-12-03"]);
    assert!(
        out.starts_with("deleted the occurrence Thu 3 Dec 2026 of event"),
        "{out}"
    );
    let v = t.json(&[
        "occurrence",
        "edit",
        &id,
        "--at",
        "2026-12-05",
        "--following",
        "--title",
        "Report v2",
    ]);
    assert_eq!(v["series"]["rrule"], "FREQ=DAILY;UNTIL=20261204");
    assert_eq!(v["new_series"]["rrule"], "FREQ=DAILY;COUNT=6");
    assert_eq!(v["new_series"]["all_day"], true);
    assert_eq!(v["new_series"]["start"], "2026-12-05");
    let v = t.json(&[
        "list",
        "events",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
    ]);
    assert_eq!(v.as_array().unwrap().len(), 9);
}

#[test]
fn occurrence_list_json_gives_all_day_occurrences_as_dates() {
    let t = T::new();
    let id = t
        .add(&[
            "event",
            "Offsite",
            "--start",
            "2027-02-10",
            "--end",
            "2027-02-11",
            "--rrule",
            "FREQ=WEEKLY;COUNT=2",
        ])
        .to_string();
    let v = t.json(&["occurrence", "list", &id, "--from", "2027-02-01"]);
    let occ = &v["occurrences"];
    assert_eq!(occ[0]["start"], "2027-02-10", "{v}");
    assert_eq!(occ[0]["end"], "2027-02-11", "{v}");
    assert_eq!(occ[1]["start"], "2027-02-17", "{v}");
    assert_eq!(occ[0]["all_day"], true);
}

#[test]
fn occurrence_restore_undoes_a_delete_a_cancel_and_a_move() {
    let t = T::new();
    let id = weekly_staff(&t, 5);
    let sid = id.to_string();
    t.ok(&["occurrence", "delete", &sid, "--at", "2026-12-14"]);
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-21",
        "--start",
        "2026-12-23 15:00",
    ]);
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-28",
        "--status",
        "cancelled",
    ]);
    // a date alone on a deleted occurrence says how to bring it back
    let line = t.fails(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-14",
        "--title",
        "x",
    ]);
    assert!(
        line.contains(
            "is deleted (bring it back with `secretaire occurrence restore 1 --at 2026-12-14`)"
        ),
        "{line}"
    );
    let before = t.dump();
    for (at, want) in [
        (
            "2026-12-07",
            "has no deleted, cancelled or changed occurrence on Mon 7 Dec 2026",
        ),
        (
            "2026-12-14 10:00",
            "has one exception on Mon 14 Dec 2026: 09:00",
        ),
    ] {
        let line = t.fails(&["occurrence", "restore", &sid, "--at", at]);
        assert!(line.contains(want), "{at}: {line}");
        assert_eq!(t.dump(), before);
    }

    let v = t.json(&["occurrence", "restore", &sid, "--at", "2026-12-14"]);
    assert_eq!(
        keys(&v),
        sorted(&[
            "action",
            "event_id",
            "recurrence_id",
            "removed_overrides",
            "series"
        ])
    );
    assert_eq!(v["action"], "restored");
    assert_eq!(v["series"]["exdates"], serde_json::json!([]));
    assert_eq!(v["series"]["sequence"], 2);
    // the moved one, found by its new day
    let out = t.ok(&["occurrence", "restore", &sid, "--at", "2026-12-23"]);
    assert!(
        out.starts_with("restored the occurrence Mon 21 Dec 2026 09:00 of event 1 'Staff'"),
        "{out}"
    );
    t.ok(&["occurrence", "restore", &sid, "--at", "2026-12-28 09:00"]);
    let v = t.json(&["occurrence", "list", &sid, "--from", "2026-12-01"]);
    assert!(states(&v).iter().all(|(_, s)| s == "scheduled"), "{v}");
    assert_eq!(v["occurrences"].as_array().unwrap().len(), 5);
    assert!(
        t.ok(&["agenda", "--date", "2026-12-21"])
            .contains("09:00–10:00")
    );
    assert!(!t.ok(&["agenda", "--date", "2026-12-23"]).contains("Staff"));
    // only the series is left
    assert_eq!(t.json(&["list", "events"]).as_array().unwrap().len(), 1);
}

#[test]
fn moving_a_series_moves_its_exceptions_with_it() {
    let t = T::new();
    let id = weekly_staff(&t, 5);
    let sid = id.to_string();
    t.ok(&["occurrence", "delete", &sid, "--at", "2026-12-14"]);
    let oid = t.json(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-21",
        "--start",
        "2026-12-22 13:00",
    ])["override"]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    // the standup moves to 09:30
    let v = t.json(&["edit", "event", &sid, "--start", "2026-12-07 09:30"]);
    assert_eq!(v["exdates"], serde_json::json!(["2026-12-14T09:30:00"]));
    let o = t.json(&["show", "event", &oid]);
    assert_eq!(o["recurrence_id"], "2026-12-21T09:30:00");
    assert_eq!(
        o["start"], "2026-12-22T12:00:00Z",
        "the moved one stays put"
    );
    let v = t.json(&["occurrence", "list", &sid, "--from", "2026-12-01"]);
    assert_eq!(
        states(&v),
        vec![
            ("2026-12-07T09:30:00".into(), "scheduled".into()),
            ("2026-12-14T09:30:00".into(), "deleted".into()),
            ("2026-12-21T09:30:00".into(), "moved".into()),
            ("2026-12-28T09:30:00".into(), "scheduled".into()),
            ("2027-01-04T09:30:00".into(), "scheduled".into()),
        ]
    );
    assert!(!t.ok(&["agenda", "--date", "2026-12-14"]).contains("Staff"));
    assert!(!t.ok(&["agenda", "--date", "2026-12-21"]).contains("Staff"));
    // a change of title alone leaves the exceptions as they are
    let v = t.json(&["edit", "event", &sid, "--title", "Standup"]);
    assert_eq!(v["exdates"], serde_json::json!(["2026-12-14T09:30:00"]));
    // a date alone moves one occurrence to that day at its own time
    let v = t.json(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-28",
        "--start",
        "2026-12-30",
    ]);
    assert_eq!(v["override"]["all_day"], false);
    assert_eq!(v["override"]["start"], "2026-12-30T08:30:00Z");
    assert_eq!(v["override"]["end"], "2026-12-30T09:30:00Z");
    // lists mark the series and its changed occurrences
    let out = t.ok(&["list", "events"]);
    assert_eq!(out.matches("↻ changed").count(), 2, "{out}");
    let out = t.ok(&[
        "list",
        "events",
        "--from",
        "2026-12-30",
        "--to",
        "2026-12-30",
    ]);
    assert!(
        out.contains("Wed 30 Dec 2026  09:30–10:30 ↻ changed"),
        "{out}"
    );
}

#[test]
fn export_for_calcurse_names_a_series_written_out_only_over_its_window() {
    let t = T::new();
    // calcurse spins forever on this rule: it is written out one by one
    t.add(&[
        "event",
        "Month close",
        "--start",
        "2026-12-03 10:00",
        "--rrule",
        "FREQ=MONTHLY;BYMONTHDAY=-29",
    ]);
    t.add(&[
        "event",
        "Weekly",
        "--start",
        "2026-12-07 09:00",
        "--rrule",
        "FREQ=WEEKLY",
    ]);
    let file = t.path("cc.ics");
    let f = file.to_str().unwrap();
    let out = t.ok(&[
        "export",
        "ics",
        "--for",
        "calcurse",
        "--from",
        "2026-12-01",
        "--to",
        "2027-02-28",
        "-o",
        f,
    ]);
    let notes: Vec<&str> = out.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(notes.len(), 1, "{out}");
    assert!(
        notes[0].starts_with("note: series 'Month close' (UID ")
            && notes[0].contains(
                "its occurrences from 2027-03-01 (next Wed 3 Mar 2027 10:00) are not in the file"
            ),
        "{out}"
    );
    let v = t.json(&[
        "export",
        "ics",
        "--for",
        "calcurse",
        "--from",
        "2026-12-01",
        "--to",
        "2027-02-28",
        "-o",
        f,
    ]);
    assert_eq!(v["cut_off"][0]["title"], "Month close");
    assert_eq!(v["cut_off"][0]["later"], true);
    assert_eq!(v["cut_off"][0]["next"], "2027-03-03T09:00:00Z");
    assert_eq!(v["cut_off"].as_array().unwrap().len(), 1);
    // the standard export writes the rule and has nothing to say
    let out = t.ok(&["export", "ics", "-o", f]);
    assert!(!out.contains("note:"), "{out}");
}

#[test]
fn moving_a_series_moves_its_extra_dates_with_it() {
    // the audit's case: a daily series of three with an extra date and a cancelled day
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "RD series",
            "--start",
            "2026-11-23 16:00",
            "--rrule",
            "FREQ=DAILY;COUNT=3",
            "--rdate",
            "2026-11-28 16:00",
            "--exdate",
            "2026-11-24 16:00",
        ])
        .to_string();
    let v = t.json(&["edit", "event", &sid, "--start", "18:00"]);
    assert_eq!(v["rdates"], serde_json::json!(["2026-11-28T18:00:00"]));
    let v = t.json(&["occurrence", "list", &sid, "--from", "2026-11-20"]);
    assert_eq!(
        states(&v),
        vec![
            ("2026-11-23T18:00:00".into(), "scheduled".into()),
            ("2026-11-24T18:00:00".into(), "deleted".into()),
            ("2026-11-25T18:00:00".into(), "scheduled".into()),
            ("2026-11-28T18:00:00".into(), "scheduled".into()),
        ]
    );
}

#[test]
fn moving_the_first_part_of_a_split_series_never_runs_onto_the_second() {
    let t = T::new();
    let id = t.add(&[
        "event",
        "Stand-up",
        "--start",
        "2026-12-07 09:00",
        "--duration",
        "15m",
        "--rrule",
        "FREQ=DAILY",
    ]);
    let sid = id.to_string();
    // this and following from 10 Dec at 10:00: the first part is 7, 8, 9 Dec
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-10",
        "--following",
        "--start",
        "10:00",
    ]);
    let ids =
        |v: &Value| -> Vec<String> { states(v).into_iter().map(|(r, _)| r).collect::<Vec<_>>() };
    let list = || {
        t.json(&[
            "occurrence",
            "list",
            &sid,
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-20",
        ])
    };
    assert_eq!(
        ids(&list()),
        [
            "2026-12-07T09:00:00",
            "2026-12-08T09:00:00",
            "2026-12-09T09:00:00"
        ]
    );
    // an hour earlier: the same three, at 08:00, and none gained on the 10th
    t.ok(&["edit", "event", &sid, "--start", "2026-12-07 08:00"]);
    assert_eq!(
        ids(&list()),
        [
            "2026-12-07T08:00:00",
            "2026-12-08T08:00:00",
            "2026-12-09T08:00:00"
        ]
    );
    // a day later: 8 and 9 Dec; the 10th is where the second part has taken over, so the
    // first part still ends where it ended rather than run onto it
    t.ok(&["edit", "event", &sid, "--start", "2026-12-08 08:00"]);
    assert_eq!(ids(&list()), ["2026-12-08T08:00:00", "2026-12-09T08:00:00"]);
    let day = t.ok(&["agenda", "--date", "2026-12-10"]);
    assert_eq!(day.matches("Stand-up").count(), 1, "{day}");
}

#[test]
fn moving_the_first_part_of_a_split_series_a_week_later_never_reaches_the_second() {
    // the audit's case: weekly from Mon 30 Nov, split on 4 Jan at 11:00, the first part
    // moved a week later: it kept its count and met the second part on 4 Jan
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "W",
            "--start",
            "2026-11-30 10:00",
            "--duration",
            "1h",
            "--rrule",
            "FREQ=WEEKLY",
        ])
        .to_string();
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "11:00",
    ]);
    t.ok(&["edit", "event", &sid, "--start", "2026-12-07 10:00"]);
    let day = t.ok(&["agenda", "--date", "2027-01-04", "--days", "1"]);
    assert_eq!(day.matches(" W").count(), 1, "{day}");
    assert!(day.contains("11:00"), "{day}");
    let v = t.json(&[
        "occurrence",
        "list",
        &sid,
        "--from",
        "2026-11-01",
        "--to",
        "2027-02-01",
    ]);
    assert_eq!(
        states(&v).into_iter().map(|(r, _)| r).collect::<Vec<_>>(),
        [
            "2026-12-07T10:00:00",
            "2026-12-14T10:00:00",
            "2026-12-21T10:00:00",
            "2026-12-28T10:00:00"
        ]
    );
}

#[test]
fn moving_a_series_that_ends_on_a_date_keeps_its_meetings_and_moving_back_restores_them() {
    // the audit's case: a course of three Mondays ending by UNTIL, put off a week and back
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "Course",
            "--start",
            "2026-11-30 10:00",
            "--rrule",
            "FREQ=WEEKLY;UNTIL=20261215T000000Z",
        ])
        .to_string();
    let starts = || {
        let v = t.json(&[
            "occurrence",
            "list",
            &sid,
            "--from",
            "2026-11-01",
            "--to",
            "2027-01-31",
        ]);
        states(&v).into_iter().map(|(r, _)| r).collect::<Vec<_>>()
    };
    let was = starts();
    assert_eq!(was.len(), 3);
    t.ok(&["edit", "event", &sid, "--start", "2026-12-07 10:00"]);
    assert_eq!(
        starts(),
        [
            "2026-12-07T10:00:00",
            "2026-12-14T10:00:00",
            "2026-12-21T10:00:00"
        ]
    );
    t.ok(&["edit", "event", &sid, "--start", "2026-11-30 10:00"]);
    assert_eq!(starts(), was);
}

#[test]
fn the_second_part_of_a_split_series_names_the_first_in_the_calendar_file() {
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "W",
            "--start",
            "2026-11-30 10:00",
            "--rrule",
            "FREQ=WEEKLY",
        ])
        .to_string();
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "11:00",
    ]);
    let uid = t.json(&["show", "event", &sid])["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let out = t.dir.path().join("split.ics");
    t.ok(&[
        "export",
        "ics",
        "-o",
        out.to_str().unwrap(),
        "--from",
        "2026-11-01",
    ]);
    let text = std::fs::read_to_string(&out).unwrap().replace("\r\n ", "");
    assert!(
        text.contains(&format!("RELATED-TO;RELTYPE=X-SECRETAIRE-SPLIT:{uid}")),
        "{text}"
    );
    // imported into another database, the link still holds: moving the first part a week
    // later there never reaches the second part either
    let u = T::new();
    u.ok(&["import", "ics", out.to_str().unwrap()]);
    let first = u
        .json(&["list", "events"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"] == uid.as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    u.ok(&["edit", "event", &first, "--start", "2026-12-07 10:00"]);
    let day = u.ok(&["agenda", "--date", "2027-01-04", "--days", "1"]);
    assert_eq!(day.matches(" W").count(), 1, "{day}");
}

#[test]
fn a_split_series_first_part_moved_later_and_back_is_what_it_was() {
    // the audit's case: ten Mondays, split on 4 Jan, the first part a week later and back
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "Course",
            "--start",
            "2026-12-07 09:00",
            "--rrule",
            "FREQ=WEEKLY;BYDAY=MO;COUNT=10",
        ])
        .to_string();
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "10:00",
    ]);
    let starts = || {
        let v = t.json(&[
            "occurrence",
            "list",
            &sid,
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-01",
        ]);
        states(&v).into_iter().map(|(r, _)| r).collect::<Vec<_>>()
    };
    let was = starts();
    assert_eq!(was.len(), 4, "{was:?}");
    t.ok(&["edit", "event", &sid, "--start", "2026-12-14 09:00"]);
    assert_eq!(starts().len(), 3);
    t.ok(&["edit", "event", &sid, "--start", "2026-12-07 09:00"]);
    assert_eq!(starts(), was);
}

#[test]
fn exceptions_moved_past_a_split_series_end_come_back_with_it() {
    // the audit's case: an all-day weekly series with a deleted and a changed occurrence,
    // split, its first part a week later (the changed one falls past the end) and back
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "Tue allday",
            "--all-day",
            "--date",
            "2026-12-01",
            "--rrule",
            "FREQ=WEEKLY;COUNT=10",
        ])
        .to_string();
    t.ok(&["occurrence", "delete", &sid, "--at", "2026-12-15"]);
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-22",
        "--start",
        "2026-12-23",
        "--title",
        "moved allday",
    ]);
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-29",
        "--following",
        "--title",
        "Part two",
    ]);
    let list = || {
        t.json(&[
            "occurrence",
            "list",
            &sid,
            "--from",
            "2026-11-01",
            "--to",
            "2027-01-10",
        ])
    };
    let was = states(&list());
    t.ok(&["edit", "event", &sid, "--date", "2026-12-08"]);
    // never the changed occurrence on another slot, never a deleted slot with a change on it
    let mid = states(&list());
    assert!(!mid.iter().any(|(_, s)| s == "moved"), "{mid:?}");
    t.ok(&["edit", "event", &sid, "--date", "2026-12-01"]);
    assert_eq!(states(&list()), was);
    let out = t.dir.path().join("a.ics");
    t.ok(&[
        "export",
        "ics",
        "-o",
        out.to_str().unwrap(),
        "--from",
        "2026-11-01",
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("SUMMARY:moved allday"), "{text}");
    let day = t.ok(&["agenda", "--date", "2026-12-23", "--days", "1"]);
    assert!(day.contains("moved allday"), "{day}");
}

#[test]
fn a_changed_occurrence_that_kept_its_time_moves_with_its_series() {
    // the audit's case: an occurrence given another title only, then the series a week earlier
    let t = T::new();
    let sid = t
        .add(&[
            "event",
            "Course",
            "--start",
            "2026-12-14 09:00",
            "--rrule",
            "FREQ=WEEKLY;COUNT=4",
        ])
        .to_string();
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2026-12-21",
        "--title",
        "Course (room B)",
    ]);
    t.ok(&["edit", "event", &sid, "--start", "2026-12-07 09:00"]);
    let day = |d: &str| t.ok(&["agenda", "--date", d, "--days", "1"]);
    assert!(
        day("2026-12-14").contains("Course (room B)"),
        "{}",
        day("2026-12-14")
    );
    let d21 = day("2026-12-21");
    assert_eq!(d21.matches("Course").count(), 1, "{d21}");
    assert!(!d21.contains("room B"), "{d21}");
    // and an hour later: still in its slot, at 10:00
    t.ok(&["edit", "event", &sid, "--start", "2026-12-07 10:00"]);
    let d14 = day("2026-12-14");
    assert!(d14.contains("10:00") && d14.contains("room B"), "{d14}");
    assert!(!d14.contains("09:00"), "{d14}");
}

#[test]
fn the_two_parts_of_a_split_series_never_overlap_whichever_moves() {
    // the audit's case: Mondays at 09:00 from 7 Dec, split on 4 Jan at 10:00
    let t = T::new();
    let first = t
        .add(&[
            "event",
            "Course",
            "--start",
            "2026-12-07 09:00",
            "--rrule",
            "FREQ=WEEKLY;BYDAY=MO;COUNT=10",
        ])
        .to_string();
    let v = t.json(&[
        "occurrence",
        "edit",
        &first,
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "10:00",
    ]);
    let second = v["new_series"]["id"].as_i64().unwrap().to_string();
    let courses = |d: &str| {
        t.ok(&["agenda", "--date", d, "--days", "1"])
            .matches("Course")
            .count()
    };
    let firsts = || {
        let v = t.json(&[
            "occurrence",
            "list",
            &first,
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-01",
        ]);
        states(&v).into_iter().map(|(r, _)| r).collect::<Vec<_>>()
    };
    let was = firsts();
    assert_eq!(was.len(), 4);
    // the second part two weeks earlier: the first ends before it, one meeting a day
    t.ok(&["edit", "event", &second, "--start", "2026-12-21 10:00"]);
    assert_eq!(firsts(), ["2026-12-07T09:00:00", "2026-12-14T09:00:00"]);
    assert_eq!(courses("2026-12-21"), 1);
    assert_eq!(courses("2026-12-28"), 1);
    // back: the first part runs to it again
    t.ok(&["edit", "event", &second, "--start", "2027-01-04 10:00"]);
    assert_eq!(firsts(), was);
    // the first part onto or past the second's first day, or the second before the first's:
    // refused, nothing written
    let before = t.dump();
    let e = t.fails(&["edit", "event", &first, "--start", "2027-01-11 09:00"]);
    assert!(e.contains("continues as event"), "{e}");
    let e = t.fails(&["edit", "event", &second, "--start", "2026-11-30 10:00"]);
    assert!(e.contains("continues event"), "{e}");
    assert_eq!(t.dump(), before);
}

#[test]
fn this_and_following_from_a_parts_first_occurrence_keeps_the_parts_apart_too() {
    // the audit's case: the second part moved earlier through 'this and following' at its
    // first occurrence (the whole series edited in place)
    let t = T::new();
    t.add(&[
        "event",
        "Course",
        "--start",
        "2026-12-07 09:00",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=MO;COUNT=8",
    ]);
    let v = t.json(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2027-01-04",
        "--following",
        "--location",
        "Room 2",
    ]);
    let second = v["new_series"]["id"].as_i64().unwrap().to_string();
    t.ok(&[
        "occurrence",
        "edit",
        &second,
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "2026-12-21 09:00",
    ]);
    for d in ["2026-12-21", "2026-12-28"] {
        let day = t.ok(&["agenda", "--date", d, "--days", "1"]);
        assert_eq!(day.matches("Course").count(), 1, "{d}: {day}");
    }
    // onto the first part's first day, or the first part past the second's: refused
    let before = t.dump();
    let e = t.fails(&[
        "occurrence",
        "edit",
        &second,
        "--at",
        "2026-12-21",
        "--following",
        "--start",
        "2026-12-07 09:00",
    ]);
    assert!(e.contains("continues event"), "{e}");
    let e = t.fails(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2026-12-07",
        "--following",
        "--start",
        "2027-01-11 09:00",
    ]);
    assert!(e.contains("continues as event"), "{e}");
    assert_eq!(t.dump(), before);
}

#[test]
fn a_changed_occurrence_past_its_series_end_shows_in_no_window() {
    // the audit's case: the series ended before the changed occurrence's slot; a window
    // starting after the end showed it alone, a wider one did not
    let t = T::new();
    t.add(&[
        "event",
        "X",
        "--start",
        "2026-12-07 09:00",
        "--rrule",
        "FREQ=WEEKLY;COUNT=4",
    ]);
    t.ok(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2026-12-28",
        "--title",
        "XR",
    ]);
    t.ok(&[
        "edit",
        "event",
        "1",
        "--rrule",
        "FREQ=WEEKLY;UNTIL=20261214T080000Z",
    ]);
    for (d, n) in [
        ("2026-12-28", "1"),
        ("2026-12-21", "8"),
        ("2026-12-01", "40"),
    ] {
        let out = t.ok(&["agenda", "--date", d, "--days", n]);
        assert!(!out.contains("XR"), "{d} +{n}: {out}");
    }
    let v = t.json(&[
        "list",
        "events",
        "--from",
        "2026-12-27",
        "--to",
        "2026-12-30",
    ]);
    assert_eq!(v.as_array().unwrap().len(), 0, "{v}");
}

#[test]
fn this_and_following_never_starts_over_the_part_before_or_after() {
    // the audit's cases: the new part started before the series' last kept meeting (two on
    // one day), or past where a split series continues
    let t = T::new();
    t.add(&[
        "event",
        "Course",
        "--start",
        "2026-12-07 09:00",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=MO",
    ]);
    t.ok(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "10:00",
    ]);
    let before = t.dump();
    let e = t.fails(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2026-12-21",
        "--following",
        "--start",
        "2026-12-14 11:00",
    ]);
    assert!(
        e.contains("--start") && e.contains("on or before Mon 14 Dec 2026 09:00"),
        "{e}"
    );
    let e = t.fails(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2026-12-14",
        "--following",
        "--start",
        "2027-01-11 09:00",
    ]);
    assert!(
        e.contains("--start") && e.contains("continues as event"),
        "{e}"
    );
    assert_eq!(t.dump(), before);
    // the same slot at another hour is fine
    t.ok(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2026-12-21",
        "--following",
        "--start",
        "2026-12-21 11:00",
    ]);
}

#[test]
fn a_new_rule_from_an_occurrence_on_keeps_the_series_end() {
    // the audit's case: the series already continues as a later part; 'this and following'
    // earlier with a new rule and no end ran on beside that part
    let t = T::new();
    t.add(&[
        "event",
        "1:1",
        "--start",
        "2026-12-03 15:00",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=TH",
    ]);
    let later = t.json(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2027-01-07",
        "--following",
        "--title",
        "1:1 new",
    ]);
    let later = later["new_series"]["id"].as_i64().unwrap().to_string();
    let v = t.json(&[
        "occurrence",
        "edit",
        "1",
        "--at",
        "2026-12-24",
        "--following",
        "--start",
        "2026-12-22 15:00",
        "--rrule",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    ]);
    let mid = v["new_series"]["id"].as_i64().unwrap().to_string();
    assert!(
        v["new_series"]["rrule"]
            .as_str()
            .unwrap()
            .contains("UNTIL="),
        "{v}"
    );
    let list = |id: &str| {
        let v = t.json(&[
            "occurrence",
            "list",
            id,
            "--from",
            "2027-01-06",
            "--to",
            "2027-03-01",
        ]);
        states(&v).len()
    };
    assert_eq!(
        list(&mid),
        0,
        "the new part ends where the later one takes over"
    );
    assert!(list(&later) > 0);
}

#[test]
fn moving_the_first_part_of_a_split_weekday_series_never_duplicates_a_meeting() {
    let t = T::new();
    let id = t.add(&[
        "event",
        "W",
        "--start",
        "2026-11-30 10:00",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=MO",
    ]);
    let sid = id.to_string();
    t.ok(&[
        "occurrence",
        "edit",
        &sid,
        "--at",
        "2027-01-04",
        "--following",
        "--start",
        "11:00",
    ]);
    // the first part moved to start on Tuesday 1 Dec: still five meetings, the later ones on
    // Mondays as its rule says, the last on 28 Dec
    t.ok(&["edit", "event", &sid, "--start", "2026-12-01 10:00"]);
    let v = t.json(&[
        "occurrence",
        "list",
        &sid,
        "--from",
        "2026-11-20",
        "--to",
        "2027-02-01",
    ]);
    let starts: Vec<String> = states(&v).into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        starts,
        [
            "2026-12-01T10:00:00",
            "2026-12-07T10:00:00",
            "2026-12-14T10:00:00",
            "2026-12-21T10:00:00",
            "2026-12-28T10:00:00"
        ]
    );
    // Monday 4 Jan has the second part's 11:00 meeting only
    let day = t.ok(&["agenda", "--date", "2027-01-04"]);
    assert_eq!(day.matches(" W").count(), 1, "{day}");
    assert!(day.contains("11:00"), "{day}");
}

#[test]
fn the_second_of_two_wall_times_keeps_its_instant_and_a_series_there_is_named() {
    let t = T::new();
    // 25 Oct 2026, Stockholm: 00:30Z and 01:30Z are both 02:30
    let o = t.run(&[
        "add",
        "event",
        "A3",
        "--start",
        "2026-10-25T01:30Z",
        "--duration",
        "30m",
    ]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "",
        "a single event is no note"
    );
    let file = t.path("s.ics");
    t.ok(&["export", "ics", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("DTSTART;X-SECRETAIRE-TZID=Europe/Stockholm:20261025T013000Z\r\n"),
        "{text}"
    );
    // into a new database: the same instant (it came back at 00:30Z) in the same zone
    let u = T::new();
    u.ok(&["import", "ics", file.to_str().unwrap()]);
    let v = u.json(&["show", "event", "1"]);
    assert_eq!(v["start"], "2026-10-25T01:30:00Z", "{v}");
    assert_eq!(v["tz"], "Europe/Stockholm", "{v}");
    // a series starting there says what its rule repeats, when added and when moved there
    let o = t.run(&[
        "add",
        "event",
        "D",
        "--start",
        "2026-10-25T01:30Z",
        "--duration",
        "30m",
        "--rrule",
        "FREQ=DAILY;COUNT=2",
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with(
            "note: series 'D' starts at 02:30 on Sun 25 Oct 2026, a time that comes twice"
        ) && err.contains("the first 02:30 (00:30 UTC)"),
        "{err}"
    );
    let o = t.run(&["edit", "event", "2", "--title", "D2"]);
    assert_eq!(String::from_utf8_lossy(&o.stderr), "", "no move, no note");
    let o = t.run(&["edit", "event", "1", "--rrule", "FREQ=DAILY"]);
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("note: series 'A3' starts at 02:30"));
}

#[test]
fn free_reads_working_hours_and_days_from_the_config() {
    let t = T::with_config(
        "timezone = \"Europe/Stockholm\"\nwork_start = \"08:00\"\nwork_end = \"12:00\"\nwork_days = [\"mon\", \"sat\"]\n",
    );
    t.add(&[
        "event",
        "Call",
        "--start",
        "2026-11-23 10:00",
        "--duration",
        "30m",
    ]);
    let v = t.json(&["free", "--days", "6", "--duration", "30m"]);
    assert_eq!(v["work_start"], "08:00");
    assert_eq!(v["work_end"], "12:00");
    assert_eq!(v["work_days"], serde_json::json!(["mon", "sat"]));
    let slots: Vec<(&str, &str)> = v["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start_local"].as_str().unwrap(),
                s["end_local"].as_str().unwrap(),
            )
        })
        .collect();
    // now is Monday 10:00: the rest of Monday after the call, then Saturday's morning
    assert_eq!(
        slots,
        vec![
            ("2026-11-23T10:30:00+01:00", "2026-11-23T12:00:00+01:00"),
            ("2026-11-28T08:00:00+01:00", "2026-11-28T12:00:00+01:00"),
        ]
    );
}

#[test]
fn occurrence_at_is_read_in_the_event_zone() {
    let t = T::new();
    // Mondays 09:00 in New York (15:00 in Stockholm)
    let id = t
        .add(&[
            "event",
            "NY sync",
            "--start",
            "2026-12-07 09:00",
            "--tz",
            "America/New_York",
            "--rrule",
            "FREQ=WEEKLY;COUNT=4",
        ])
        .to_string();
    let line = t.fails(&["occurrence", "delete", &id, "--at", "2026-12-14 15:00"]);
    assert!(
        line.contains("no occurrence at Mon 14 Dec 2026 15:00 (America/New_York); that day: 09:00"),
        "{line}"
    );
    let v = t.json(&["occurrence", "delete", &id, "--at", "2026-12-14 09:00"]);
    assert_eq!(v["recurrence_id"], "2026-12-14T09:00:00");
    // an exact instant names it too
    let v = t.json(&["occurrence", "delete", &id, "--at", "2026-12-21T14:00Z"]);
    assert_eq!(v["recurrence_id"], "2026-12-21T09:00:00");
    let out = t.ok(&["occurrence", "list", &id, "--from", "2026-12-01"]);
    assert!(out.contains("· America/New_York"), "{out}");
    assert!(out.contains("Mon 7 Dec 2026 09:00   15:00–16:00"), "{out}");
}

// ------------------------------------------------------------------------------------------
// Values that start with a hyphen

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn hyphen_leading_values_reach_the_command() {
    let t = T::new();
    seed(&t);
    // invoice 1 is due Fri 20 Nov: within -1w (16 Nov) .. -1d (22 Nov)
    let v = t.json(&["list", "invoices", "--from", "-1w", "--to", "-1d"]);
    assert_eq!(ids(&v), [1]);
    let v = t.json(&["agenda", "--date", "-1d"]);
    assert_eq!(v["days"][0]["date"], "2026-11-22");
    let v = t.json(&["pay", "1", "--on", "-1d"]);
    assert_eq!(v["paid_date"], "2026-11-22");
    // text flags
    let v = t.json(&["edit", "task", "1", "--notes", "-n"]);
    assert_eq!(v["notes"], "-n");
    let v = t.json(&["add", "event", "--title", "-2+3", "--start", "-1d 10:00"]);
    assert_eq!(
        (v["title"].as_str(), v["start"].as_str()),
        (Some("-2+3"), Some("2026-11-22T09:00:00Z"))
    );
    // a flag where the value belongs is a forgotten value, not the text "--due"
    let line = t.fails(&["edit", "task", "1", "--notes", "--due"]);
    assert!(line.contains("'--due' is a flag, not a value"), "{line}");
    // the README's export line, as printed there
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("secretaire export ics --from -1m"))
        .expect("the README's export example");
    let file = t.path("executive.ics");
    let args: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(|w| {
            if w == "executive.ics" {
                file.display().to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.ok(&args);
    let ics = std::fs::read_to_string(&file).unwrap();
    assert!(ics.contains("SUMMARY:Board meeting"), "{ics}");
}

// ------------------------------------------------------------------------------------------
// Dates without a year and bare weekdays lean the way the field looks (Mon 23 Nov 2026)

#[test]
fn dates_without_a_year_lean_by_field() {
    let t = T::new();
    seed(&t);
    // past-facing: a payment, an issue date, the last contact
    let v = t.json(&["pay", "1", "--on", "20 nov"]);
    assert_eq!(v["paid_date"], "2026-11-20");
    let v = t.json(&["pay", "1", "--on", "fri"]);
    assert_eq!(v["paid_date"], "2026-11-20");
    let v = t.json(&[
        "add", "invoice", "--vendor", "Bo", "--amount", "10", "--issued", "1 nov",
    ]);
    assert_eq!(
        (v["issue_date"].as_str(), v["due_date"].as_str()),
        (Some("2026-11-01"), Some("2026-12-01"))
    );
    let v = t.json(&["edit", "contact", "1", "--last-contacted", "15 nov"]);
    assert_eq!(v["last_contacted"], "2026-11-15");
    let v = t.json(&["edit", "invoice", "2", "--paid", "mon"]);
    assert_eq!(v["paid_date"], "2026-11-23");
    // ...and a day after today is refused there, naming the flag
    let before = t.dump();
    let line = t.fails(&["pay", "2", "--on", "2026-11-30"]);
    assert_eq!(
        line,
        "error: --on: 2026-11-30 is in the future (a payment date is today or earlier)"
    );
    let line = t.fails(&["edit", "contact", "1", "--last-contacted", "tomorrow"]);
    assert!(
        line.starts_with("error: --last-contacted: 2026-11-24 is in the future"),
        "{line}"
    );
    let line = t.fails(&[
        "add", "invoice", "--vendor", "Bo", "--amount", "1", "--paid", "+1d",
    ]);
    assert!(
        line.starts_with("error: --paid: 2026-11-24 is in the future"),
        "{line}"
    );
    assert_eq!(t.dump(), before);
    // ranges take the closest: November of this year
    let v = t.json(&["list", "invoices", "--from", "1 nov", "--to", "30 nov"]);
    assert_eq!(ids(&v), [1]);
    // a weekday in a range is the coming one (today included): this Friday
    let v = t.json(&["agenda", "--date", "fri"]);
    assert_eq!(v["days"][0]["date"], "2026-11-27");
    let v = t.json(&["agenda", "--date", "mon"]);
    assert_eq!(v["days"][0]["date"], "2026-11-23");
    let v = t.json(&["agenda", "--date", "thu"]);
    assert_eq!(v["days"][0]["date"], "2026-11-26");
    // forward-looking: an event, a due date
    let v = t.json(&["add", "event", "Lunch", "--start", "fri 12:00"]);
    assert_eq!(v["start_local"], "2026-11-27T12:00:00+01:00");
    let v = t.json(&["add", "task", "Renew", "--due", "20 nov"]);
    assert_eq!(v["due_date"], "2027-11-20");
}

// ------------------------------------------------------------------------------------------
// edit, done, snooze, pay: only real changes are written

#[test]
fn edit_without_fields_or_with_the_same_values_writes_nothing() {
    let t = T::new();
    seed(&t);
    let before = t.dump();
    for kind in ["event", "trip", "segment", "contact", "invoice", "task"] {
        let line = t.fails(&["edit", kind, "1"]);
        assert_eq!(
            line,
            format!(
                "error: nothing to change: give a field to change (secretaire edit {kind} --help lists them)"
            )
        );
    }
    // the same values again: no new SEQUENCE, no LAST-MODIFIED, not a byte written
    let v = t.json(&[
        "edit",
        "event",
        "1",
        "--title",
        "Board meeting",
        "--location",
        "Room 4",
        "--start",
        "tomorrow 9:00",
    ]);
    assert_eq!(
        (v["changed"].as_bool(), v["sequence"].as_i64()),
        (Some(false), Some(0))
    );
    let out = t.ok(&["edit", "task", "1", "--priority", "high", "--kind", "email"]);
    assert_eq!(out.trim(), "task 1 unchanged: it already has these values");
    assert_eq!(t.dump(), before);
    // a change raises SEQUENCE once
    let v = t.json(&["edit", "event", "1", "--location", "Room 5"]);
    assert_eq!(
        (v["changed"].as_bool(), v["sequence"].as_i64()),
        (Some(true), Some(1))
    );
    assert_eq!(
        t.ok(&["edit", "trip", "1", "--notes", "Visa"]).trim(),
        "updated trip 1"
    );
    // an unknown id is still exit 2, one line
    assert_eq!(
        t.fails(&["edit", "task", "99", "--notes", "x"]),
        "error: no task with id 99"
    );
}

#[test]
fn pay_an_already_paid_invoice_keeps_its_date_unless_on_says() {
    let t = T::new();
    seed(&t);
    t.ok(&["pay", "1", "--on", "2026-11-21"]);
    let before = t.dump();
    let out = t.ok(&["pay", "1"]);
    assert_eq!(
        out.trim(),
        "invoice 1 was already paid on 2026-11-21; nothing changed (--on DATE changes the date)"
    );
    let v = t.json(&["pay", "1"]);
    assert_eq!(
        (
            v["already_paid"].as_bool(),
            v["changed"].as_bool(),
            v["paid_date"].as_str()
        ),
        (Some(true), Some(false), Some("2026-11-21"))
    );
    assert_eq!(t.dump(), before);
    let out = t.ok(&["pay", "1", "--on", "2026-11-22"]);
    assert_eq!(
        out.trim(),
        "invoice 1: payment date changed from 2026-11-21 to 2026-11-22"
    );
    let v = t.json(&["pay", "1", "--on", "2026-11-22"]);
    assert_eq!(
        (v["already_paid"].as_bool(), v["changed"].as_bool()),
        (Some(true), Some(false))
    );
    let i = t
        .add(&["invoice", "--vendor", "Bo", "--amount", "10"])
        .to_string();
    let v = t.json(&["pay", &i]);
    assert_eq!(
        (
            v["already_paid"].as_bool(),
            v["changed"].as_bool(),
            v["paid_date"].as_str()
        ),
        (Some(false), Some(true), Some("2026-11-23"))
    );
}

#[test]
fn snooze_clears_and_is_a_task_field_and_a_status_wakes_the_task() {
    let t = T::new();
    seed(&t);
    t.ok(&["snooze", "1", "tomorrow"]);
    assert_eq!(
        t.ok(&["snooze", "1", "none"]).trim(),
        "task 1 is no longer snoozed"
    );
    assert_eq!(t.json(&["show", "task", "1"])["snoozed_until"], Value::Null);
    assert_eq!(
        t.ok(&["snooze", "1", "clear"]).trim(),
        "task 1 was not snoozed"
    );
    // on add and edit; "none" clears; the past is refused
    let v = t.json(&["add", "task", "Later", "--snoozed-until", "mon 14:00"]);
    assert_eq!(v["snoozed_until"], "2026-11-23T13:00:00Z");
    let id = v["id"].to_string();
    let v = t.json(&["edit", "task", &id, "--snoozed-until", "none"]);
    assert_eq!(v["snoozed_until"], Value::Null);
    let line = t.fails(&["add", "task", "X", "--snoozed-until", "yesterday"]);
    assert_eq!(
        line,
        "error: --snoozed-until: Sun 22 Nov 2026 09:00 is not in the future"
    );
    // giving a status is handling the task now: it wakes up
    t.ok(&["snooze", "1", "+2d"]);
    let v = t.json(&["edit", "task", "1", "--status", "open"]);
    assert_eq!(
        (v["status"].as_str(), &v["snoozed_until"]),
        (Some("open"), &Value::Null)
    );
    let v = t.json(&[
        "edit",
        "task",
        "1",
        "--status",
        "waiting",
        "--snoozed-until",
        "fri",
    ]);
    assert_eq!(
        (v["status"].as_str(), v["snoozed_until"].as_str()),
        (Some("waiting"), Some("2026-11-27T08:00:00Z"))
    );
    // done takes the snooze away; a done task cannot be snoozed
    let v = t.json(&["done", "1"]);
    assert_eq!(
        (v["changed"].as_bool(), &v["snoozed_until"]),
        (Some(true), &Value::Null)
    );
    assert_eq!(
        t.ok(&["done", "1"]).trim(),
        "task 1 was already done (on 2026-11-23 10:00)"
    );
    let line = t.fails(&["edit", "task", "1", "--snoozed-until", "fri"]);
    assert_eq!(
        line,
        "error: --snoozed-until: a done task cannot be snoozed"
    );
    let line = t.fails(&["snooze", "1", "fri"]);
    assert_eq!(line, "error: task 1 is done; nothing to snooze");
    // reopening does not bring an old snooze back
    let v = t.json(&["edit", "task", "1", "--status", "open"]);
    assert_eq!(v["snoozed_until"], Value::Null);
}

// ------------------------------------------------------------------------------------------
// list: --from/--to per kind, --search per kind

#[test]
fn list_from_to_filter_the_due_date_or_the_span_and_search_finds_each_kind() {
    let t = T::new();
    seed(&t); // task 1 and invoice 1 due Fri 20 Nov; trip 1 on 1 Dec
    let k2 = t.add(&["task", "Book the venue", "--due", "2026-11-25"]);
    // 00:30 on the 26th in Stockholm is still the 25th in UTC
    let k3 = t.add(&["task", "Call the bank", "--due", "2026-11-26 00:30"]);
    t.add(&["task", "Someday"]);
    let q = |args: &[&str]| {
        let mut a = vec!["list", "tasks"];
        a.extend_from_slice(args);
        ids(&t.json(&a))
    };
    assert_eq!(q(&["--from", "2026-11-21", "--to", "2026-11-25"]), [k2]);
    assert_eq!(q(&["--from", "2026-11-26"]), [k3]);
    assert_eq!(q(&["--to", "2026-11-25"]), [1, k2]);
    assert_eq!(q(&["--from", "2026-11-20", "--to", "2026-11-20"]), [1]);
    assert_eq!(
        t.ok(&["list", "tasks", "--from", "2027-01-01"]).trim(),
        "no tasks"
    );
    assert_eq!(
        t.fails(&[
            "list",
            "tasks",
            "--from",
            "2026-11-25",
            "--to",
            "2026-11-21"
        ]),
        "error: --to 2026-11-21 is before --from 2026-11-25"
    );

    let i2 = t.add(&[
        "invoice",
        "--vendor",
        "Vattenfall",
        "--amount",
        "900",
        "--due",
        "2026-12-15",
    ]);
    let qi = |args: &[&str]| {
        let mut a = vec!["list", "invoices"];
        a.extend_from_slice(args);
        ids(&t.json(&a))
    };
    assert_eq!(qi(&["--from", "2026-12-01"]), [i2]);
    assert_eq!(qi(&["--to", "2026-11-30"]), [1]);
    assert_eq!(qi(&["--from", "2026-11-20", "--to", "2026-12-15"]), [1, i2]);

    // a trip is listed when its span (first departure to last arrival) overlaps the window
    let tr = t.add(&["trip", "Davos"]).to_string();
    t.add(&[
        "segment",
        "--trip",
        &tr,
        "--kind",
        "hotel",
        "--origin",
        "Belvedere",
        "--depart",
        "2026-12-10 15:00",
        "--arrive",
        "2026-12-14 11:00",
    ]);
    let qt = |args: &[&str]| {
        let mut a = vec!["list", "trips"];
        a.extend_from_slice(args);
        ids(&t.json(&a))
    };
    assert_eq!(qt(&["--from", "2026-12-12", "--to", "2026-12-20"]), [2]);
    assert_eq!(
        qt(&["--from", "2026-12-02", "--to", "2026-12-09"]),
        Vec::<i64>::new()
    );
    assert_eq!(qt(&["--from", "2026-11-30", "--to", "2026-12-10"]), [1, 2]);
    assert_eq!(qt(&["--to", "2026-12-05"]), [1]);

    // where a filter has no meaning, a clear refusal
    assert_eq!(
        t.fails(&["list", "contacts", "--status", "open"]),
        "error: --status: does not apply to contacts"
    );
    assert_eq!(
        t.fails(&["list", "contacts", "--from", "today"]),
        "error: --from: does not apply to contacts"
    );

    // --search on each kind
    let s = |kind: &str, text: &str| ids(&t.json(&["list", kind, "--search", text]));
    assert_eq!(s("events", "board"), [1]);
    assert_eq!(s("events", "room 4"), [1]);
    assert_eq!(s("events", "nothing like it"), Vec::<i64>::new());
    assert_eq!(s("contacts", "BERG"), [1]);
    assert_eq!(s("contacts", "anna@berg"), [1]);
    assert_eq!(s("contacts", "vattenfall"), Vec::<i64>::new());
    assert_eq!(s("invoices", "telia"), [1]);
    assert_eq!(s("invoices", "OCR 1234"), [1]);
    assert_eq!(s("invoices", "vattenfall"), [i2]);
    assert_eq!(s("trips", "belvedere"), [2]);
    assert_eq!(s("tasks", "venue"), [k2]);
}

// ------------------------------------------------------------------------------------------
// Opening: read-only files, missing files, one clear line

fn am_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
        .unwrap_or(false)
}

impl T {
    /// The binary as a user who may not write what we made read-only: root writes anything,
    /// so as root it runs as `nobody` (through setpriv); None when that is impossible.
    fn unprivileged(&self, args: &[&str]) -> Option<Output> {
        let mut c = if am_root() {
            if Command::new("setpriv").arg("--version").output().is_err() {
                return None;
            }
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_secretaire"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_secretaire"))
        };
        c.env("HOME", self.dir.path())
            .env("TZ", "Asia/Tokyo")
            .env("SECRETAIRE_NOW", NOW)
            .env_remove("SECRETAIRE_DB")
            .arg("--config")
            .arg(self.path("config.toml"))
            .arg("--db")
            .arg(self.db())
            .args(args);
        Some(c.output().unwrap())
    }
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

#[test]
fn a_read_only_database_reads_and_refuses_writes_in_one_line() {
    let t = T::new();
    seed(&t);
    chmod(&t.path("config.toml"), 0o644);
    let before = std::fs::read(t.db()).unwrap();
    // the file is read-only; its folder we may write (SQLite may put its -shm there)
    chmod(&t.db(), 0o444);
    chmod(t.dir.path(), 0o777);
    let Some(o) = t.unprivileged(&["list", "tasks"]) else {
        eprintln!("skipped: cannot run as another user");
        return;
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Reply to Anna"));
    for args in [
        &["add", "task", "X"][..],
        &["done", "1"],
        &["edit", "task", "1", "--notes", "x"],
    ] {
        let line = fails_with(t.unprivileged(args).unwrap(), args);
        assert_eq!(line, format!("error: {} is read-only", t.db().display()));
    }
    // the folder read-only too: read without a -shm file (as immutable)
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(t.path(&format!("s.db{ext}")));
    }
    chmod(t.dir.path(), 0o755);
    let o = t.unprivileged(&["agenda", "--json"]).unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    chmod(t.dir.path(), 0o700);
    chmod(&t.db(), 0o600);
    assert_eq!(
        std::fs::read(t.db()).unwrap(),
        before,
        "a read wrote to the file"
    );
}

/// Reading a file made read-only leaves no 0400 `-wal`/`-shm` behind: once the file is
/// writable again, writes work (they failed "the database is read-only", plain sqlite3 too).
#[test]
fn a_read_of_a_read_only_file_leaves_no_side_files_that_refuse_later_writes() {
    let t = T::new();
    seed(&t);
    chmod(&t.path("config.toml"), 0o644);
    // the file and its folder belong to whoever runs the binary (nobody, when we are root)
    if am_root() {
        for p in [t.dir.path().to_path_buf(), t.db(), t.path("config.toml")] {
            std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
        }
    }
    for ext in ["-wal", "-shm"] {
        assert!(!t.path(&format!("s.db{ext}")).exists());
    }
    chmod(&t.db(), 0o400);
    let Some(o) = t.unprivileged(&["list", "tasks"]) else {
        eprintln!("skipped: cannot run as another user");
        return;
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for ext in ["-wal", "-shm"] {
        let p = t.path(&format!("s.db{ext}"));
        assert!(
            !p.exists() || mode(&p) & 0o600 == 0o600,
            "{ext} left with {:o}",
            mode(&p)
        );
    }
    chmod(&t.db(), 0o600);
    let o = t.unprivileged(&["add", "task", "After the read"]).unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = t
        .unprivileged(&["list", "tasks", "--search", "after the read"])
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("After the read"));
}

#[test]
fn opening_problems_are_one_line_naming_the_file_once() {
    let t = T::new();
    seed(&t);
    let run = |db: &Path, args: &[&str]| {
        let o = t.bare().arg("--db").arg(db).args(args).output().unwrap();
        fails_with(o, args)
    };
    let proc = Path::new("/proc/secretaire-test/foo.db");
    assert_eq!(
        run(proc, &["list", "tasks"]),
        "error: no database at /proc/secretaire-test/foo.db (run `secretaire demo` or add something first)"
    );
    let line = run(proc, &["add", "task", "X"]);
    assert!(line.starts_with("error: cannot create"), "{line}");
    assert_eq!(line.matches("/proc/secretaire-test").count(), 1, "{line}");
    // a truncated file
    let cut = t.path("cut.db");
    std::fs::write(&cut, &std::fs::read(t.db()).unwrap()[..3000]).unwrap();
    let line = run(&cut, &["list", "tasks"]);
    assert_eq!(line.matches("cut.db").count(), 1, "{line}");
    assert!(line.contains("is damaged"), "{line}");
    // closed sets say what they accept, not the name of a Rust type
    assert_eq!(
        t.fails(&[
            "add",
            "event",
            "X",
            "--start",
            "today 10:00",
            "--status",
            "bogus"
        ]),
        "error: --status 'bogus': expected tentative, confirmed or cancelled"
    );
    assert_eq!(
        t.fails(&[
            "add", "segment", "--trip", "1", "--kind", "boat", "--depart", "now", "--arrive", "+1d"
        ]),
        "error: --kind 'boat': expected flight, train, hotel, car or other"
    );
}

#[test]
fn only_add_import_and_demo_create_a_database() {
    let t = T::new();
    let db = t.path("new/dir/s.db");
    let run = |args: &[&str]| t.bare().arg("--db").arg(&db).args(args).output().unwrap();
    let want = format!(
        "error: no database at {} (run `secretaire demo` or add something first)",
        db.display()
    );
    for args in [
        &["show", "task", "1"][..],
        &["list", "events"],
        &["agenda"],
        &["delete", "task", "1"],
        &["edit", "task", "1", "--notes", "x"],
        &["done", "1"],
        &["snooze", "1", "tomorrow"],
        &["pay", "1"],
        &["export", "csv", "tasks", "-o", "-"],
        &["backup", "/tmp/never-written.db"],
        &["occurrence", "list", "1"],
        &["conflicts"],
    ] {
        assert_eq!(fails_with(run(args), args), want, "{args:?}");
    }
    assert!(!t.path("new").exists(), "a folder was created");
    // a failed first add leaves nothing either
    fails_with(run(&["add", "event", "X", "--start", "blah"]), &["add"]);
    assert!(!t.path("new").exists(), "a failed add left a database");
    // an empty file stays empty when the first add fails
    let empty = t.path("empty.db");
    std::fs::write(&empty, "").unwrap();
    let o = t
        .bare()
        .arg("--db")
        .arg(&empty)
        .args(["add", "task", "X", "--due", "bogus"])
        .output()
        .unwrap();
    fails_with(o, &["add"]);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    // a dry run compares with nothing and creates nothing
    let ics = t.path("one.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@b\r\n\
         DTSTAMP:20261101T000000Z\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\n\
         SUMMARY:Board\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let o = run(&["import", "ics", ics.to_str().unwrap(), "--dry-run"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!t.path("new").exists());
    // add creates it, folders 0700 and file 0600
    let o = run(&["add", "task", "First"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        (mode(&t.path("new")), mode(&t.path("new/dir")), mode(&db)),
        (0o700, 0o700, 0o600)
    );
}

#[test]
fn backup_folders_are_private_and_force_replaces_atomically() {
    let t = T::new();
    seed(&t);
    let f = t.path("sub/dir/b.db");
    t.ok(&["backup", f.to_str().unwrap()]);
    assert_eq!(
        (mode(&t.path("sub")), mode(&t.path("sub/dir")), mode(&f)),
        (0o700, 0o700, 0o600)
    );
    let old = std::fs::read(&f).unwrap();
    assert_eq!(
        t.fails(&["backup", f.to_str().unwrap()]),
        format!(
            "error: {} already exists (add --force to replace it)",
            f.display()
        )
    );
    assert_eq!(std::fs::read(&f).unwrap(), old);
    t.add(&["task", "After the backup"]);
    // the same inode is not written in place: the new copy is renamed over the old one
    use std::os::unix::fs::MetadataExt;
    let ino = std::fs::metadata(&f).unwrap().ino();
    t.ok(&["backup", f.to_str().unwrap(), "--force"]);
    assert_ne!(std::fs::metadata(&f).unwrap().ino(), ino);
    assert_eq!(dump(&f), t.dump());
    assert_eq!(mode(&f), 0o600);
    // nothing else is left in the folder
    let names: Vec<_> = std::fs::read_dir(t.path("sub/dir"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["b.db"]);
    // the database itself, by any path, is an input mistake (exit 2), with or without --force
    let before = t.dump();
    let itself = t.dir.path().join("sub/../s.db");
    for extra in [&[][..], &["--force"]] {
        let mut args = vec!["backup", itself.to_str().unwrap()];
        args.extend_from_slice(extra);
        let line = t.fails(&args);
        assert!(line.contains("is the database itself"), "{line}");
    }
    assert_eq!(t.dump(), before);
}

/// No command writes over its own database: every export and backup refuses the database
/// file, its -wal/-shm (also before they exist) and links to them, with one line, exit 2, and
/// leaves every file as it was.
#[test]
fn exports_and_backups_never_write_over_the_database() {
    let t = T::new();
    seed(&t);
    let db = t.db();
    let side = |ext: &str| PathBuf::from(format!("{}{ext}", db.display()));
    std::fs::create_dir(t.path("sub")).unwrap();
    std::os::unix::fs::symlink(&db, t.path("link.db")).unwrap();
    std::fs::hard_link(&db, t.path("hard.db")).unwrap();
    std::os::unix::fs::symlink("s.db-shm", t.path("shm-link")).unwrap();
    let targets = [
        (db.clone(), "the database itself"),
        (t.path("sub/../s.db"), "the database itself"),
        (t.path("link.db"), "the database itself"),
        (t.path("hard.db"), "the database itself"),
        (side("-wal"), "the database's -wal file"),
        (side("-shm"), "the database's -shm file"),
        (t.path("shm-link"), "the database's -shm file"),
        (side("-journal"), "the database's -journal file"),
    ];
    let before = t.dump();
    let bytes = std::fs::read(&db).unwrap();
    for (dest, what) in &targets {
        let d = dest.to_str().unwrap();
        for args in [
            vec!["export", "csv", "tasks", "-o", d],
            vec!["export", "csv", "invoices", "-o", d],
            vec!["export", "ics", "-o", d],
            vec!["export", "vcf", "-o", d],
            vec!["backup", d],
            vec!["backup", d, "--force"],
        ] {
            let line = t.fails(&args);
            assert_eq!(
                line,
                format!("error: {d} is {what}: write to another file"),
                "{args:?}"
            );
        }
    }
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    assert_eq!(t.dump(), before);
    assert!(
        std::fs::symlink_metadata(t.path("shm-link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // another file beside it is fine
    t.ok(&[
        "export",
        "csv",
        "tasks",
        "-o",
        t.path("s.db.csv").to_str().unwrap(),
    ]);
}

// ------------------------------------------------------------------------------------------
// Every JSON key of every command is in docs/json.md

/// docs/json.md: the keys of each record's block (keyed by its "type"), and every quoted name
/// anywhere on the page.
fn documented_keys() -> (
    std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    std::collections::BTreeSet<String>,
) {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let quoted = |text: &str, key_only: bool| -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(off) = text[i..].find('"') {
            let start = i + off + 1;
            let Some(len) = text[start..].find('"') else {
                break;
            };
            let word = &text[start..start + len];
            let after = text[start + len + 1..].trim_start();
            let is_key = after.starts_with(':');
            if !word.is_empty()
                && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && (!key_only || is_key)
            {
                out.push(word.to_string());
            }
            i = start + len + 1;
        }
        out
    };
    let mut records = std::collections::BTreeMap::new();
    for block in doc.split("```json").skip(1) {
        let block = block.split("```").next().unwrap();
        let keys = quoted(block, true);
        if keys.first().map(String::as_str) == Some("type") {
            let ty = block.split("\"type\":").nth(1).unwrap();
            let ty = ty.trim_start().trim_start_matches('"');
            let ty = &ty[..ty.find('"').unwrap()];
            records.insert(ty.to_string(), keys.into_iter().collect());
        }
    }
    let all = quoted(&doc, false).into_iter().collect();
    (records, all)
}

fn undocumented(
    v: &Value,
    path: &str,
    records: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    all: &std::collections::BTreeSet<String>,
    out: &mut Vec<String>,
) {
    match v {
        Value::Array(a) => {
            for x in a {
                undocumented(x, path, records, all, out);
            }
        }
        Value::Object(o) => {
            // a record: its keys are in its own block (plus what a command adds, documented too)
            let ty = o
                .get("type")
                .and_then(Value::as_str)
                .filter(|_| o.contains_key("id"));
            for (k, x) in o {
                let ok = match ty.and_then(|t| records.get(t)) {
                    Some(own) => {
                        own.contains(k)
                            || (["changed", "already_paid", "occurrence"].contains(&k.as_str())
                                && all.contains(k))
                    }
                    None if ty.is_some() => false,
                    None => all.contains(k),
                };
                if !ok {
                    out.push(format!(
                        "{path}: {}{k}",
                        ty.map(|t| format!("{t}.")).unwrap_or_default()
                    ));
                }
                undocumented(x, path, records, all, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_json_key_of_every_command_is_documented() {
    let (records, all) = documented_keys();
    for t in ["event", "trip", "segment", "contact", "invoice", "task"] {
        assert!(
            records.contains_key(t),
            "no ```json block for {t}: {records:?}"
        );
    }
    let t = T::new();
    seed(&t);
    let weekly = weekly_staff(&t, 6).to_string();
    let call = t
        .add(&[
            "event",
            "Auditors",
            "--start",
            "2026-11-23 10:30",
            "--reminder",
            "60",
        ])
        .to_string();
    let ics = t.path("out.ics");
    let vcf = t.path("out.vcf");
    let (ics_s, vcf_s) = (ics.to_str().unwrap(), vcf.to_str().unwrap());
    let bad_vcf = t.path("bad.vcf");
    std::fs::write(&bad_vcf, "BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n").unwrap();
    let backup = t.path("b.db");
    let commands: Vec<Vec<&str>> = vec![
        vec!["add", "event", "Lunch", "--start", "fri 12:00"],
        vec!["add", "task", "Call back", "--due", "tomorrow"],
        vec!["add", "trip", "Oslo"],
        vec!["add", "contact", "Bo Ek"],
        vec!["add", "invoice", "--vendor", "Bo Ek", "--amount", "10"],
        vec![
            "add",
            "segment",
            "--trip",
            "1",
            "--depart",
            "2026-12-02 10:00",
            "--arrive",
            "12:00",
        ],
        vec!["show", "event", "1"],
        vec!["show", "trip", "1"],
        vec!["show", "segment", "1"],
        vec!["show", "contact", "1"],
        vec!["show", "invoice", "1"],
        vec!["show", "task", "1"],
        vec!["list", "events"],
        vec!["list", "events", "--from", "today", "--to", "+30d"],
        vec!["list", "trips"],
        vec!["list", "segments"],
        vec!["list", "contacts"],
        vec!["list", "invoices"],
        vec!["list", "tasks", "--all"],
        vec!["edit", "event", "1", "--notes", "x"],
        vec!["edit", "task", "1", "--notes", "x"],
        vec!["edit", "contact", "1", "--notes", "x"],
        vec!["edit", "trip", "1", "--notes", "x"],
        vec!["edit", "segment", "1", "--seat", "1A"],
        vec!["edit", "invoice", "1", "--notes", "x"],
        vec!["snooze", "2", "tomorrow"],
        vec!["done", "1"],
        vec!["pay", "1"],
        vec!["agenda", "--days", "14"],
        vec!["occurrence", "list", &weekly],
        vec!["occurrence", "delete", &weekly, "--at", "2026-12-07"],
        vec!["occurrence", "restore", &weekly, "--at", "2026-12-07"],
        vec![
            "occurrence",
            "edit",
            &weekly,
            "--at",
            "2026-12-14",
            "--title",
            "Moved",
        ],
        vec![
            "occurrence",
            "edit",
            &weekly,
            "--at",
            "2026-12-21",
            "--following",
            "--location",
            "B",
        ],
        vec!["reminder", "list"],
        vec!["reminder", "snooze", &call, "--at", "10:30"],
        vec!["reminder", "dismiss", &call, "--at", "10:30"],
        vec!["conflicts", "--to", "+60d"],
        vec!["free"],
        vec!["export", "csv", "tasks", "-o", "-"],
        vec!["export", "ics", "--include", "travel,tasks", "-o", ics_s],
        vec!["export", "vcf", "-o", vcf_s],
        vec!["import", "ics", ics_s, "--dry-run"],
        vec!["import", "vcf", vcf_s],
        vec!["import", "vcf", bad_vcf.to_str().unwrap(), "--dry-run"],
        vec!["backup", backup.to_str().unwrap()],
        vec!["delete", "task", "2"],
    ];
    let mut missing = Vec::new();
    for args in &commands {
        let out = if args.starts_with(&["export", "csv"]) {
            // CSV goes to stdout with -o -; the JSON summary comes with a file
            let f = t.path("t.csv");
            t.json(&["export", "csv", "tasks", "-o", f.to_str().unwrap()])
        } else {
            t.json(args)
        };
        undocumented(&out, &args.join(" "), &records, &all, &mut missing);
    }
    let demo = T::new();
    let v = demo.json(&["demo"]);
    undocumented(&v, "demo", &records, &all, &mut missing);
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys missing from docs/json.md:\n{}",
        missing.join("\n")
    );
}

// ------------------------------------------------------------------------------------------
// list: every flag filters or is refused; pages say which rows they hold

#[test]
fn list_flags_filter_or_are_refused_and_pages_name_their_rows() {
    let t = T::new();
    t.ok(&["demo"]);
    // segments: --search and --status filter (they were accepted and ignored)
    assert_eq!(
        t.ok(&["list", "segments", "--search", "zzzzqq"]),
        "no segments\n"
    );
    let found = t.json(&["list", "segments", "--search", "sk 903"]);
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["number"], "SK 903");
    // a search looks through every segment, not only the coming 30 days
    let past = t.json(&["list", "segments", "--search", "nozomi"]);
    assert!(!past.as_array().unwrap().is_empty());
    let all = t.json(&["list", "segments", "--from", "-1y", "--to", "+1y"]);
    let booked = t.json(&[
        "list", "segments", "--from", "-1y", "--to", "+1y", "--status", "booked",
    ]);
    let want = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "booked")
        .count();
    assert!(want > 0 && want <= all.as_array().unwrap().len());
    assert_eq!(booked.as_array().unwrap().len(), want);
    // flags of other kinds are refused, never ignored
    for (args, want) in [
        (
            &["list", "tasks", "--open"][..],
            "--open: applies to invoices only",
        ),
        (
            &["list", "contacts", "--open"],
            "--open: applies to invoices only",
        ),
        (
            &["list", "invoices", "--all"],
            "--all: applies to tasks only",
        ),
        (
            &["list", "events", "--tag", "x"],
            "--tag: applies to contacts only",
        ),
        (
            &["list", "trips", "--status", "booked"],
            "--status: does not apply to trips",
        ),
        (
            &["list", "tasks", "--limit", "0"],
            "'0' for '--limit <LIMIT>': at least 1",
        ),
    ] {
        let line = t.fails(args);
        assert!(line.contains(want), "{args:?}: {line}");
    }
    // pages: which rows these are, for lists that count and for those that only know more
    let out = t.ok(&["list", "trips", "--limit", "1", "--offset", "1"]);
    assert!(out.ends_with("(row 2; more with --offset 2)\n"), "{out}");
    let out = t.ok(&["list", "trips", "--limit", "2"]);
    assert!(out.ends_with("(first 2; more with --offset 2)\n"), "{out}");
    let n = t.json(&["list", "segments"]).as_array().unwrap().len();
    assert!(n > 4);
    let out = t.ok(&["list", "segments", "--limit", "2", "--offset", "2"]);
    assert!(
        out.ends_with(&format!("(3–4 of {n}; next page: --offset 4)\n")),
        "{out}"
    );
    let out = t.ok(&[
        "list", "events", "--from", "today", "--to", "+6d", "--limit", "3", "--offset", "3",
    ]);
    assert!(out.contains("(4–6 of "), "{out}");
    assert_eq!(
        t.ok(&["list", "tasks", "--offset", "1000"]),
        "no tasks after row 1000\n"
    );
}

#[test]
fn a_value_attached_with_equals_may_look_like_a_flag() {
    let t = T::new();
    let (.., k) = seed(&t);
    let id = k.to_string();
    t.ok(&["edit", "task", &id, "--notes=--force", "--subject=-2+3"]);
    let v = t.json(&["show", "task", &id]);
    assert_eq!(
        (v["notes"].as_str(), v["subject"].as_str()),
        (Some("--force"), Some("-2+3"))
    );
    // on its own it is still a forgotten value
    let line = t.fails(&["edit", "task", &id, "--notes", "--force"]);
    assert!(line.contains("'--force' is a flag, not a value"), "{line}");
}

// ------------------------------------------------------------------------------------------
// Money on edit: a bare amount keeps the record's currency

#[test]
fn an_amount_without_a_currency_keeps_the_records_currency_on_edit() {
    let t = T::new();
    let (_, _, trip, ..) = seed(&t);
    let i = t.add(&[
        "invoice",
        "--vendor",
        "Cohen",
        "--amount",
        "15000",
        "--currency",
        "USD",
    ]);
    let id = i.to_string();
    t.ok(&["edit", "invoice", &id, "--amount", "100"]);
    assert_eq!(
        t.json(&["show", "invoice", &id])["amount"]["currency"],
        "USD"
    );
    assert_eq!(t.json(&["show", "invoice", &id])["amount"]["minor"], 10000);
    // a currency in the text wins, and so does --currency
    t.ok(&["edit", "invoice", &id, "--amount", "200 EUR"]);
    assert_eq!(
        t.json(&["show", "invoice", &id])["amount"]["currency"],
        "EUR"
    );
    t.ok(&[
        "edit",
        "invoice",
        &id,
        "--amount",
        "300",
        "--currency",
        "GBP",
    ]);
    let v = t.json(&["show", "invoice", &id]);
    assert_eq!(
        (
            v["amount"]["currency"].as_str(),
            v["amount"]["minor"].as_i64()
        ),
        (Some("GBP"), Some(30000))
    );
    // a new invoice takes the configured default, and zeros before a separator are a fraction
    let half = t.add(&[
        "invoice",
        "--vendor",
        "X",
        "--amount",
        "0,500",
        "--currency",
        "EUR",
    ]);
    let v = t.json(&["show", "invoice", &half.to_string()]);
    assert_eq!(
        (
            v["amount"]["currency"].as_str(),
            v["amount"]["minor"].as_i64()
        ),
        (Some("EUR"), Some(50))
    );
    let line = t.fails(&["add", "invoice", "--vendor", "X", "--amount", "0.001"]);
    assert!(line.contains("more decimals than SEK has (2)"), "{line}");
    // a segment's cost likewise
    let s = t.add(&[
        "segment",
        "--trip",
        &trip.to_string(),
        "--kind",
        "train",
        "--depart",
        "2026-12-03 17:30",
        "--depart-tz",
        "Asia/Tokyo",
        "--arrive",
        "19:45",
        "--cost",
        "14170 JPY",
    ]);
    let sid = s.to_string();
    t.ok(&["edit", "segment", &sid, "--cost", "200"]);
    let v = t.json(&["show", "segment", &sid]);
    assert_eq!(
        (v["cost"]["currency"].as_str(), v["cost"]["minor"].as_i64()),
        (Some("JPY"), Some(200))
    );
}

/// `--currency` alone keeps the amount and changes its currency through the minor units
/// (1.250 KWD is 1.25 SEK, never 1 250.00), refusing what the new currency cannot hold.
#[test]
fn a_currency_change_alone_keeps_the_amount() {
    let t = T::new();
    let (_, _, trip, ..) = seed(&t);
    let id = t
        .add(&[
            "invoice",
            "--vendor",
            "Zain",
            "--amount",
            "1.250",
            "--currency",
            "KWD",
        ])
        .to_string();
    let v = t.json(&["edit", "invoice", &id, "--currency", "SEK"]);
    assert_eq!(
        (
            v["amount"]["minor"].as_i64(),
            v["amount"]["amount"].as_str()
        ),
        (Some(125), Some("1.25"))
    );
    assert_eq!(v["amount"]["currency"], "SEK");
    let v = t.json(&["edit", "invoice", &id, "--currency", "CLF"]);
    assert_eq!(
        (
            v["amount"]["minor"].as_i64(),
            v["amount"]["amount"].as_str()
        ),
        (Some(12500), Some("1.2500"))
    );
    // what the new currency cannot hold exactly is refused, and nothing changes
    let odd = t
        .add(&["invoice", "--vendor", "Zain", "--amount", "1.255 KWD"])
        .to_string();
    let before = t.dump();
    assert_eq!(
        t.fails(&["edit", "invoice", &odd, "--currency", "SEK"]),
        "error: --currency: 1.255 KWD cannot be written in SEK exactly (SEK has 2 decimals): give --amount too"
    );
    assert_eq!(t.dump(), before);
    // a segment's cost likewise: 14 170 JPY is 14 170.00 SEK
    let s = t
        .add(&[
            "segment",
            "--trip",
            &trip.to_string(),
            "--kind",
            "train",
            "--depart",
            "2026-12-03 17:30",
            "--arrive",
            "19:45",
            "--cost",
            "14170 JPY",
        ])
        .to_string();
    let v = t.json(&["edit", "segment", &s, "--currency", "SEK"]);
    assert_eq!(
        (v["cost"]["minor"].as_i64(), v["cost"]["currency"].as_str()),
        (Some(1_417_000), Some("SEK"))
    );
    assert_eq!(
        t.fails(&["edit", "segment", &s, "--currency", "XYZ"]),
        "error: --currency: unknown currency 'XYZ' (use an ISO 4217 code such as SEK, EUR, USD)"
    );
}

/// A new issue date alone leaves the due date where it is (the payment term is not kept by
/// moving it); one after the due date is refused naming both.
#[test]
fn a_new_issue_date_keeps_the_due_date() {
    let t = T::new();
    let id = t
        .add(&[
            "invoice",
            "--vendor",
            "Telia",
            "--amount",
            "8530",
            "--issued",
            "2026-11-13",
            "--due",
            "2026-12-13",
        ])
        .to_string();
    let v = t.json(&["edit", "invoice", &id, "--issued", "2026-10-01"]);
    assert_eq!(
        (&v["issue_date"], &v["due_date"], &v["overdue"]),
        (
            &Value::from("2026-10-01"),
            &Value::from("2026-12-13"),
            &Value::Bool(false)
        )
    );
    // past-facing: "5 dec" is last year's
    let v = t.json(&["edit", "invoice", &id, "--issued", "5 dec"]);
    assert_eq!(
        (&v["issue_date"], &v["due_date"]),
        (&Value::from("2025-12-05"), &Value::from("2026-12-13"))
    );
    let late = t.add(&[
        "invoice", "--vendor", "X", "--amount", "1", "--due", "20 nov",
    ]);
    let before = t.dump();
    assert_eq!(
        t.fails(&["edit", "invoice", &late.to_string(), "--issued", "21 nov"]),
        "error: --issued 2026-11-21 is after the due date 2026-11-20 (give --due too)"
    );
    // both given: the due date is the one named
    assert_eq!(
        t.fails(&[
            "edit",
            "invoice",
            &id,
            "--issued",
            "2026-11-20",
            "--due",
            "2026-11-01"
        ]),
        "error: --due 2026-11-01 is before the issue date 2026-11-20"
    );
    assert_eq!(t.dump(), before);
}

/// An amount has a largest value (15 digits of minor units): a 17-digit OCR number pasted
/// into --amount is refused naming the field and the maximum, and a currency in the text gives
/// the same precise messages as --currency.
#[test]
fn amounts_are_bounded_and_their_errors_precise() {
    let t = T::new();
    let (_, _, trip, ..) = seed(&t);
    let before = t.dump();
    assert_eq!(
        t.fails(&[
            "add",
            "invoice",
            "--vendor",
            "X",
            "--amount",
            "92233720368547758"
        ]),
        "error: --amount: amount '92233720368547758' is out of range (at most 9 999 999 999 999.99 SEK)"
    );
    assert_eq!(
        t.fails(&[
            "add",
            "segment",
            "--trip",
            &trip.to_string(),
            "--depart",
            "fri 10:00",
            "--arrive",
            "12:00",
            "--cost",
            "1000000000000000 JPY",
        ]),
        "error: --cost: amount '1000000000000000' is out of range (at most 999 999 999 999 999 JPY)"
    );
    for args in [["--amount", "0.001 SEK"], ["--amount", "SEK 0.001"]] {
        let mut a = vec!["add", "invoice", "--vendor", "X"];
        a.extend_from_slice(&args);
        assert_eq!(
            t.fails(&a),
            "error: --amount: amount '0.001' has more decimals than SEK has (2)"
        );
    }
    assert_eq!(t.dump(), before);
    // the largest is fine, and the list shows it
    let big = t.add(&["invoice", "--vendor", "X", "--amount", "9999999999999.99"]);
    // a currency change that would pass the largest is refused too
    let jpy = t
        .add(&[
            "invoice",
            "--vendor",
            "Y",
            "--amount",
            "999999999999999 JPY",
        ])
        .to_string();
    assert!(
        t.fails(&["edit", "invoice", &jpy, "--currency", "SEK"])
            .contains("is out of range (at most 9 999 999 999 999.99 SEK): give --amount too")
    );
    assert!(
        t.ok(&["list", "invoices"])
            .contains("9 999 999 999 999.99 SEK")
    );
    assert!(big > 0);
}

/// All-day occurrences read as dates in every command's JSON (the first and the last day,
/// inclusive, as the event's own start/end), never as the display zone's midnights in UTC
/// (which read a day early), and the agenda's later days of one are `continued`.
#[test]
fn all_day_occurrences_are_dates_in_every_json() {
    let t = T::new();
    let id = t.add(&[
        "event",
        "Offsite",
        "--all-day",
        "--date",
        "2026-12-18",
        "--until",
        "2026-12-19",
    ]);
    let series = t.add(&[
        "event",
        "Holiday",
        "--all-day",
        "--date",
        "2026-12-24",
        "--rrule",
        "FREQ=YEARLY;COUNT=2",
    ]);
    let dates = |o: &Value| {
        (
            o["start"].as_str().unwrap().to_string(),
            o["end"].as_str().unwrap().to_string(),
            o["all_day"].clone(),
        )
    };
    let offsite = (
        "2026-12-18".to_string(),
        "2026-12-19".to_string(),
        Value::Bool(true),
    );
    let v = t.json(&[
        "list",
        "events",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
    ]);
    let by_id = |id: i64| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(dates(&by_id(id)["occurrence"]), offsite);
    let holiday = (
        "2026-12-24".to_string(),
        "2026-12-24".to_string(),
        Value::Bool(true),
    );
    assert_eq!(dates(&by_id(series)["occurrence"]), holiday);
    // the agenda: both days, the second continued
    let a = t.json(&["agenda", "--date", "2026-12-18", "--days", "2"]);
    let items: Vec<(String, Value, (String, String, Value))> = a["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            d["items"].as_array().unwrap().iter().map(move |it| {
                (
                    d["date"].as_str().unwrap().to_string(),
                    it["continued"].clone(),
                    dates(&it["occurrence"]),
                )
            })
        })
        .collect();
    assert_eq!(
        items,
        [
            (
                "2026-12-18".to_string(),
                Value::Bool(false),
                offsite.clone()
            ),
            ("2026-12-19".to_string(), Value::Bool(true), offsite.clone()),
        ]
    );
    // occurrence list says the same of the series
    let o = t.json(&[
        "occurrence",
        "list",
        &series.to_string(),
        "--from",
        "2026-12-01",
    ]);
    assert_eq!(dates(&o["occurrences"][0]), holiday);
}

/// Dates outside 1900-2999 are refused in every flag (an export would write an invalid
/// DTSTART), and an event with extra dates but no rule is described by its dates.
#[test]
fn far_years_are_refused_and_rdate_series_described() {
    let t = T::new();
    t.add(&["task", "Something"]);
    let before = t.dump();
    assert_eq!(
        t.fails(&["add", "event", "X", "--start", "+100000y 10:00"]),
        "error: --start: invalid date '+100000y': year 102026 is out of range (1900-2999)"
    );
    assert_eq!(
        t.fails(&["add", "task", "X", "--due", "3000-01-01"]),
        "error: --due: invalid date '3000-01-01': year 3000 is out of range (1900-2999)"
    );
    assert_eq!(
        t.fails(&["list", "events", "--from", "-1000y"]),
        "error: --from: invalid date '-1000y': year 1026 is out of range (1900-2999)"
    );
    assert_eq!(t.dump(), before);
    let id = t
        .add(&[
            "event",
            "Site visits",
            "--start",
            "2026-12-01 10:00",
            "--rdate",
            "2026-12-08 10:00",
            "--rdate",
            "2026-12-15 10:00",
        ])
        .to_string();
    let out = t.ok(&["occurrence", "list", &id]);
    assert!(
        out.starts_with(&format!(
            "event {id} 'Site visits' · on 3 dates · Europe/Stockholm\n"
        )),
        "{out}"
    );
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(
        t.ok(&["show", "event", &id])
            .contains("repeats   on 3 dates\n")
    );
    // a rule with extra dates says both
    let w = t
        .add(&[
            "event",
            "Staff",
            "--start",
            "mon 09:00",
            "--rrule",
            "FREQ=WEEKLY;COUNT=3",
            "--rdate",
            "2026-12-02 09:00",
        ])
        .to_string();
    assert!(
        t.ok(&["occurrence", "list", &w])
            .contains("· every week, 3 times (FREQ=WEEKLY;COUNT=3), and on 1 more date ·"),
    );
}

// ------------------------------------------------------------------------------------------
// Dates typed on edit, ends read against their start, ranges read together, snoozes

/// The one record of `kind` whose text holds `search` (the demo's).
fn only(t: &T, kind: &str, search: &str) -> Value {
    let v = t.json(&["list", kind, "--search", search]);
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 1, "{kind} '{search}': {a:?}");
    a[0].clone()
}

#[test]
fn on_edit_a_time_alone_keeps_the_day_and_a_date_alone_keeps_the_time() {
    let t = T::new();
    t.ok(&["demo"]);
    // the weekly staff meeting, a series from Mon 14 Sep 09:00: a time moves it within its day
    let staff = t.json(&["list", "events", "--search", "weekly staff meeting"]);
    let staff = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rrule"].is_string())
        .unwrap()
        .clone();
    let id = staff["id"].to_string();
    assert_eq!(staff["start_local"], "2026-09-14T09:00:00+02:00");
    t.ok(&["edit", "event", &id, "--start", "10:00"]);
    let v = t.json(&["show", "event", &id]);
    assert_eq!(v["start_local"], "2026-09-14T10:00:00+02:00");
    assert_eq!(v["end_local"], "2026-09-14T11:00:00+02:00");
    // its exceptions move by the hour, not by months
    assert!(
        v["exdates"]
            .as_array()
            .unwrap()
            .contains(&Value::from("2026-11-30T10:00:00")),
        "{v}"
    );
    // the SK 903 flight: a time moves it within its day (in its zone); the arrival keeps the length
    let sk = only(&t, "segments", "sk 903");
    let sid = sk["id"].to_string();
    t.ok(&["edit", "segment", &sid, "--depart", "11:00"]);
    let v = t.json(&["show", "segment", &sid]);
    assert_eq!(v["depart_local"], "2026-12-07T11:00:00+01:00");
    assert_eq!(v["arrive_local"], "2026-12-07T13:50:00-05:00");
    // a date alone keeps a timed event's time of day and its length; it stays timed
    let interview = only(&t, "events", "interview: dagens industri");
    let eid = interview["id"].to_string();
    assert_eq!(interview["start_local"], "2026-11-23T14:00:00+01:00");
    t.ok(&["edit", "event", &eid, "--start", "fri"]);
    let v = t.json(&["show", "event", &eid]);
    assert_eq!(
        (&v["all_day"], &v["start_local"], &v["end_local"]),
        (
            &Value::Bool(false),
            &Value::from("2026-11-27T14:00:00+01:00"),
            &Value::from("2026-11-27T15:00:00+01:00")
        )
    );
    // and so does a date alone for the end (the first such day from the start)
    t.ok(&["edit", "event", &eid, "--end", "sat"]);
    assert_eq!(
        t.json(&["show", "event", &eid])["end_local"],
        "2026-11-28T15:00:00+01:00"
    );
    // a timed event has no --until or --date: they would drop its hours
    let before = t.dump();
    let line = t.fails(&["edit", "event", &eid, "--until", "mon"]);
    assert!(
        line.contains(
            "--until: is the last day of an all-day event: a timed event ends with --end"
        ),
        "{line}"
    );
    let line = t.fails(&["edit", "event", &eid, "--date", "mon"]);
    assert!(line.contains("a timed event moves with --start"), "{line}");
    assert_eq!(t.dump(), before);
    // --all-day makes it one, on its own day
    t.ok(&["edit", "event", &eid, "--all-day"]);
    let v = t.json(&["show", "event", &eid]);
    assert_eq!(
        (&v["all_day"], &v["start"]),
        (&Value::Bool(true), &Value::from("2026-11-27"))
    );
}

/// On edit, an end or arrival time alone keeps the record's own end day: a hotel stay keeps
/// its last day, a three-day conference its third; with the start moved too, the end's day
/// moves with it; a same-day end before the start still follows the twelve-hour rule.
#[test]
fn on_edit_an_end_time_alone_keeps_the_end_day() {
    let t = T::new();
    t.ok(&["demo"]);
    // The Langham: Mon 7 Dec 15:00 -> Thu 10 Dec 12:00, New York
    let hotel = only(&t, "segments", "uubty5");
    let hid = hotel["id"].to_string();
    assert_eq!(
        (&hotel["depart_local"], &hotel["arrive_local"]),
        (
            &Value::from("2026-12-07T15:00:00-05:00"),
            &Value::from("2026-12-10T12:00:00-05:00")
        )
    );
    t.ok(&["edit", "segment", &hid, "--arrive", "11:00"]);
    let v = t.json(&["show", "segment", &hid]);
    assert_eq!(v["arrive_local"], "2026-12-10T11:00:00-05:00");
    // a later check-in the same day, a check-out time: still the same four days
    t.ok(&[
        "edit", "segment", &hid, "--depart", "16:00", "--arrive", "10:00",
    ]);
    let v = t.json(&["show", "segment", &hid]);
    assert_eq!(
        (&v["depart_local"], &v["arrive_local"]),
        (
            &Value::from("2026-12-07T16:00:00-05:00"),
            &Value::from("2026-12-10T10:00:00-05:00")
        )
    );
    // a conference Tue 1 Dec 09:00 -> Thu 3 Dec 17:00
    let id = t
        .add(&[
            "event",
            "Conference",
            "--start",
            "2026-12-01 09:00",
            "--end",
            "2026-12-03 17:00",
        ])
        .to_string();
    t.ok(&["edit", "event", &id, "--end", "16:00"]);
    let v = t.json(&["show", "event", &id]);
    assert_eq!(
        (&v["start_local"], &v["end_local"]),
        (
            &Value::from("2026-12-01T09:00:00+01:00"),
            &Value::from("2026-12-03T16:00:00+01:00")
        )
    );
    // moved a day on, the end time given: the end's day moves with it
    t.ok(&[
        "edit",
        "event",
        &id,
        "--start",
        "2026-12-02 09:00",
        "--end",
        "12:00",
    ]);
    let v = t.json(&["show", "event", &id]);
    assert_eq!(
        (&v["start_local"], &v["end_local"]),
        (
            &Value::from("2026-12-02T09:00:00+01:00"),
            &Value::from("2026-12-04T12:00:00+01:00")
        )
    );
    // a one-hour meeting: an end time keeps its day, and one before the start is refused
    let m = t
        .add(&["event", "Meeting", "--start", "fri 14:00"])
        .to_string();
    t.ok(&["edit", "event", &m, "--end", "16:30"]);
    assert_eq!(
        t.json(&["show", "event", &m])["end_local"],
        "2026-11-27T16:30:00+01:00"
    );
    assert_eq!(
        t.fails(&["edit", "event", &m, "--end", "13:00"]),
        "error: --end 13:00 is before the start 14:00 (write 'sat 13:00' for an event past midnight)"
    );
}

/// A task's due date on edit: a time alone keeps its due day (not today), a date alone keeps
/// the time of day it is due at.
#[test]
fn on_edit_a_due_time_keeps_the_day_and_a_due_date_keeps_the_time() {
    let t = T::new();
    let id = t
        .add(&["task", "Confirm the car", "--due", "2026-12-02"])
        .to_string();
    let v = t.json(&["edit", "task", &id, "--due", "15:00"]);
    assert_eq!(
        (&v["due_date"], &v["due_at"]),
        (
            &Value::from("2026-12-02"),
            &Value::from("2026-12-02T14:00:00Z")
        )
    );
    let v = t.json(&["edit", "task", &id, "--due", "fri"]);
    assert_eq!(
        (&v["due_date"], &v["due_at"]),
        (
            &Value::from("2026-11-27"),
            &Value::from("2026-11-27T14:00:00Z")
        )
    );
    // a date with a time sets both; a date alone on a dated task stays a date
    let v = t.json(&["edit", "task", &id, "--due", "mon 09:30"]);
    assert_eq!(v["due_at"], "2026-11-23T08:30:00Z");
    let d = t.add(&["task", "Reply", "--due", "2026-12-02"]).to_string();
    let v = t.json(&["edit", "task", &d, "--due", "fri"]);
    assert_eq!(
        (&v["due_date"], &v["due_at"]),
        (&Value::from("2026-11-27"), &Value::Null)
    );
    // without a due date, a time alone is today's
    let n = t.add(&["task", "Call back"]).to_string();
    let v = t.json(&["edit", "task", &n, "--due", "15:00"]);
    assert_eq!(v["due_at"], "2026-11-23T14:00:00Z");
}

#[test]
fn ends_arrivals_and_last_days_count_from_their_start() {
    let t = T::new();
    let (_, _, trip, ..) = seed(&t);
    // on Monday 23 Nov: a hotel in on Friday, out "mon" is the Monday after
    let v = t.json(&[
        "add",
        "segment",
        "--trip",
        &trip.to_string(),
        "--kind",
        "hotel",
        "--depart",
        "fri 15:00",
        "--arrive",
        "mon 11:00",
    ]);
    assert_eq!(
        (v["depart_local"].as_str(), v["arrive_local"].as_str()),
        (
            Some("2026-11-27T15:00:00+01:00"),
            Some("2026-11-30T11:00:00+01:00")
        )
    );
    let v = t.json(&[
        "add",
        "event",
        "Offsite",
        "--all-day",
        "--date",
        "fri",
        "--until",
        "mon",
    ]);
    assert_eq!(
        (v["start"].as_str(), v["end"].as_str()),
        (Some("2026-11-27"), Some("2026-11-30"))
    );
    let v = t.json(&[
        "add",
        "event",
        "Night shift",
        "--start",
        "fri 22:00",
        "--end",
        "mon 08:00",
    ]);
    assert_eq!(v["end_local"], "2026-11-30T08:00:00+01:00");
    // an end given with a year still before the start names both
    let line = t.fails(&[
        "add",
        "event",
        "X",
        "--all-day",
        "--date",
        "fri",
        "--until",
        "2026-11-26",
    ]);
    assert_eq!(
        line,
        "error: --until 2026-11-26 is before the start 2026-11-27"
    );
}

#[test]
fn an_end_time_before_the_start_is_the_next_day_only_within_twelve_hours() {
    let t = T::new();
    let o = t.run(&[
        "add",
        "event",
        "Late dinner",
        "--start",
        "today 22:00",
        "--end",
        "02:00",
        "--json",
    ]);
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["end_local"], "2026-11-24T02:00:00+01:00");
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        err,
        "note: ends next day: --end 02:00 is 2026-11-24 02:00\n"
    );
    let id = t.add(&["event", "Meeting", "--start", "today 10:00"]);
    let before = t.dump();
    for args in [
        vec![
            "add",
            "event",
            "X",
            "--start",
            "today 10:00",
            "--end",
            "09:00",
        ],
        vec!["edit", "event", &id.to_string(), "--end", "09:00"],
    ] {
        assert_eq!(
            t.fails(&args),
            "error: --end 09:00 is before the start 10:00 (write 'tomorrow 09:00' for an event past midnight)"
        );
    }
    // the words the message suggests work
    let v = t.json(&[
        "add",
        "event",
        "Y",
        "--start",
        "fri 10:00",
        "--end",
        "sat 09:00",
    ]);
    assert_eq!(v["end_local"], "2026-11-28T09:00:00+01:00");
    assert_ne!(t.dump(), before);
    // now is a timed event starting now
    let v = t.json(&["add", "event", "Call", "--start", "now"]);
    assert_eq!(
        (&v["all_day"], v["start"].as_str(), v["end"].as_str()),
        (
            &Value::Bool(false),
            Some("2026-11-23T09:00:00Z"),
            Some("2026-11-23T10:00:00Z")
        )
    );
}

#[test]
fn ranges_due_dates_and_snoozes_lean_the_way_their_field_does() {
    let t = T::new();
    seed(&t);
    // two dates without a year resolve together: five months, not "--to before --from"
    t.ok(&["list", "invoices", "--from", "1 jan", "--to", "31 may"]);
    t.ok(&[
        "export", "ics", "-o", "-", "--from", "1 dec", "--to", "31 jan",
    ]);
    t.ok(&["conflicts", "--from", "1 dec", "--to", "2 jan"]);
    assert_eq!(
        t.fails(&[
            "list",
            "tasks",
            "--from",
            "2027-01-01",
            "--to",
            "2026-05-31"
        ]),
        "error: --to 2026-05-31 is before --from 2027-01-01"
    );
    assert_eq!(
        t.fails(&[
            "export",
            "ics",
            "-o",
            "-",
            "--from",
            "2027-01-01",
            "--to",
            "2026-05-31"
        ]),
        "error: --to 2026-05-31 is before --from 2027-01-01"
    );
    // an invoice's due date: after the issue date given with it, else the closest
    let v = t.json(&[
        "add", "invoice", "--vendor", "X", "--amount", "10", "--issued", "1 nov", "--due", "30 nov",
    ]);
    assert_eq!(
        (v["issue_date"].as_str(), v["due_date"].as_str()),
        (Some("2026-11-01"), Some("2026-11-30"))
    );
    let v = t.json(&[
        "add", "invoice", "--vendor", "X", "--amount", "10", "--due", "20 nov",
    ]);
    // recorded after it fell due: issued no later than that
    assert_eq!(
        (v["issue_date"].as_str(), v["due_date"].as_str()),
        (Some("2026-11-20"), Some("2026-11-20"))
    );
    let id = v["id"].to_string();
    assert_eq!(
        t.fails(&["edit", "invoice", &id, "--due", "2026-11-01"]),
        "error: --due 2026-11-01 is before the issue date 2026-11-20"
    );
    // a task's due date looks forward
    let v = t.json(&["add", "task", "Renew", "--due", "20 nov"]);
    assert_eq!(v["due_date"], "2027-11-20");
    // snooze: a weekday that is today is next week's; today alone after 09:00 asks for a time
    let k = t.add(&["task", "Later"]).to_string();
    let v = t.json(&["snooze", &k, "mon"]);
    assert_eq!(v["snoozed_until"], "2026-11-30T08:00:00Z");
    assert_eq!(
        t.fails(&["snooze", &k, "today"]),
        "error: snooze until: today's 09:00 has passed: give a time, e.g. 'today 11:00'"
    );
    assert_eq!(
        t.fails(&["snooze", &k, "yesterday 15:00"]),
        "error: snooze until: Sun 22 Nov 2026 15:00 is not in the future"
    );
    let v = t.json(&["snooze", &k, "today 15:00"]);
    assert_eq!(v["snoozed_until"], "2026-11-23T14:00:00Z");
}

#[test]
fn deleting_a_contact_leaves_its_name_on_its_tasks() {
    let t = T::new();
    let (c, .., k) = seed(&t);
    let (cid, kid) = (c.to_string(), k.to_string());
    t.ok(&["edit", "contact", &cid, "--name", "Anna Berg-Ek"]);
    t.ok(&["delete", "contact", &cid]);
    let out = t.ok(&["show", "task", &kid]);
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["contact", "Anna", "Berg-Ek"]),
        "{out}"
    );
    let v = t.json(&["list", "tasks"]);
    let task = v.as_array().unwrap().iter().find(|x| x["id"] == k).unwrap();
    assert_eq!(
        (&task["contact_id"], task["contact_name"].as_str()),
        (&Value::Null, Some("Anna Berg-Ek"))
    );
    let csv = t.ok(&["export", "csv", "tasks", "-o", "-"]);
    let row = csv.lines().find(|l| l.contains("Reply to Anna")).unwrap();
    assert!(row.contains(",Anna Berg-Ek,,"), "{row}");
    // unlinking on purpose forgets it
    t.ok(&["edit", "task", &kid, "--contact", "none"]);
    assert_eq!(t.json(&["show", "task", &kid])["contact_name"], "");
}

/// An event with RDATEs and no rule, and a series with an RDATE before its start: the agenda
/// of the RDATE's day shows the instance (window queries read series by their first
/// possible instance, not by their start).
#[test]
fn the_agenda_shows_an_instance_that_only_an_rdate_gives() {
    let t = T::new();
    t.add(&[
        "event",
        "Quarterly review",
        "--start",
        "2027-01-05 10:00",
        "--duration",
        "1h",
        "--rdate",
        "2027-03-01 10:00",
    ]);
    t.add(&[
        "event",
        "Board dinner",
        "--start",
        "2027-02-03 19:00",
        "--duration",
        "2h",
        "--rrule",
        "FREQ=MONTHLY;COUNT=3",
        "--rdate",
        "2027-01-20 19:00",
    ]);
    let day = |d: &str| -> Vec<String> {
        let v = t.json(&["agenda", "--date", d]);
        v["days"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["type"] == "event")
            .filter_map(|i| i["record"]["title"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(day("2027-03-01"), ["Quarterly review"]);
    assert_eq!(day("2027-01-20"), ["Board dinner"]);
    assert_eq!(day("2027-01-05"), ["Quarterly review"]);
    assert!(day("2027-03-02").is_empty());
}

#[test]
fn reminders_are_listed_dismissed_and_snoozed_from_the_command_line() {
    let t = T::new();
    // 10:30 Stockholm, reminder an hour before (09:30); now is 10:00 Stockholm
    let call = t.add(&[
        "event",
        "Call with the auditors",
        "--start",
        "2026-11-23 10:30",
        "--duration",
        "30m",
        "--reminder",
        "60",
    ]);
    let v = t.json(&["reminder", "list"]);
    assert_eq!(v[0]["event_id"], call);
    assert_eq!(v[0]["state"], "due", "{v}");
    assert_eq!(v[0]["start"], "2026-11-23T09:30:00Z");
    let out = t.ok(&["reminder", "dismiss", &call.to_string(), "--at", "10:30"]);
    assert!(
        out.contains("Dismissed the reminder of 'Call with the auditors'"),
        "{out}"
    );
    let v = t.json(&["reminder", "list"]);
    assert_eq!(v[0]["state"], "dismissed", "{v}");
    let v = t.json(&[
        "reminder",
        "snooze",
        &call.to_string(),
        "--at",
        "2026-11-23",
        "--for",
        "10m",
    ]);
    assert_eq!(v["state"], "snoozed", "{v}");
    let list = t.ok(&["reminder", "list"]);
    assert!(list.contains("snoozed until 10:10"), "{list}");
    // an occurrence that is not there, an event without a reminder: one clear line, nothing kept
    let before = t.dump();
    let e = t.fails(&["reminder", "dismiss", &call.to_string(), "--at", "11:30"]);
    assert!(e.contains("--at") && e.contains("no occurrence"), "{e}");
    let plain = t.add(&["event", "No reminder", "--start", "2026-11-23 15:00"]);
    let after_add = t.dump();
    assert_ne!(before, after_add);
    let e = t.fails(&["reminder", "dismiss", &plain.to_string(), "--at", "15:00"]);
    assert!(e.contains("has no reminder"), "{e}");
    let e = t.fails(&[
        "reminder",
        "snooze",
        &call.to_string(),
        "--at",
        "10:30",
        "--for",
        "soon",
    ]);
    assert!(e.contains("--for"), "{e}");
    // a snooze longer than any reminder could be is refused too
    let e = t.fails(&[
        "reminder",
        "snooze",
        &call.to_string(),
        "--at",
        "10:30",
        "--for",
        "100000h",
    ]);
    assert!(e.contains("--for") && e.contains("at most 4 weeks"), "{e}");
    assert_eq!(t.dump(), after_add);
    // a snooze into another day names the day
    let out = t.ok(&[
        "reminder",
        "snooze",
        &call.to_string(),
        "--at",
        "10:30",
        "--for",
        "2d",
    ]);
    assert!(out.contains("until Wed 25 Nov 10:00"), "{out}");
}

#[test]
fn answering_a_changed_occurrences_reminder_names_that_occurrence() {
    let t = T::new();
    let daily = t.add(&[
        "event",
        "Daily",
        "--start",
        "2026-11-23 10:30",
        "--duration",
        "15m",
        "--reminder",
        "60",
        "--rrule",
        "FREQ=DAILY;COUNT=5",
    ]);
    t.ok(&[
        "occurrence",
        "edit",
        &daily.to_string(),
        "--at",
        "2026-11-24",
        "--title",
        "Daily moved",
        "--start",
        "11:00",
    ]);
    let out = t.ok(&[
        "reminder",
        "dismiss",
        &daily.to_string(),
        "--at",
        "2026-11-23 10:30",
    ]);
    assert!(out.contains("'Daily'"), "{out}");
    let out = t.ok(&[
        "reminder",
        "dismiss",
        &daily.to_string(),
        "--at",
        "2026-11-24 11:00",
    ]);
    assert!(out.contains("'Daily moved'"), "{out}");
}

#[test]
fn a_series_split_from_the_command_line_keeps_its_dismissed_reminder() {
    let t = T::new();
    let weekly = t.add(&[
        "event",
        "Weekly sync",
        "--start",
        "2026-11-16 10:30",
        "--duration",
        "30m",
        "--reminder",
        "60",
        "--rrule",
        "FREQ=WEEKLY",
    ]);
    t.ok(&[
        "reminder",
        "dismiss",
        &weekly.to_string(),
        "--at",
        "2026-11-23",
    ]);
    t.ok(&[
        "occurrence",
        "edit",
        &weekly.to_string(),
        "--at",
        "2026-11-23",
        "--following",
        "--title",
        "Weekly sync (new room)",
    ]);
    let v = t.json(&["reminder", "list"]);
    let today: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["start"] == "2026-11-23T09:30:00Z")
        .collect();
    assert_eq!(today.len(), 1, "{v}");
    assert_eq!(today[0]["title"], "Weekly sync (new room)");
    assert_eq!(today[0]["state"], "dismissed", "{v}");
}

#[test]
fn import_ics_splits_a_series_changed_from_an_occurrence_on() {
    let t = T::new();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/cases/this-and-future");
    let first = case.join("1-series.ics");
    let second = case.join("2-this-and-future.ics");
    t.ok(&["import", "ics", first.to_str().unwrap()]);
    // A dry run names the split, by JSON too, and writes nothing.
    let v = t.json(&["import", "ics", second.to_str().unwrap(), "--dry-run"]);
    assert_eq!(
        v["split"],
        serde_json::json!([{"line": 13, "uid": "ser-future", "at": "2027-01-18T09:00:00",
            "new_uid": "ser-future/from-20270118T090000"}])
    );
    assert_eq!(
        (v["imported"].as_u64(), v["updated"].as_u64()),
        (Some(1), Some(1))
    );
    let day = |d: &str| t.ok(&["agenda", "--date", d]);
    assert!(day("2027-01-18").contains("09:00–10:00"), "dry run wrote");
    t.ok(&["import", "ics", second.to_str().unwrap()]);
    // The agenda across the split: the first part before it, the second from it on.
    assert!(day("2027-01-11").contains("09:00–10:00  meeting  #1  Series"));
    for d in ["2027-01-18", "2027-01-25"] {
        let a = day(d);
        assert!(a.contains("11:00–12:00  meeting  #2  Later"), "{a}");
        assert!(!a.contains("Series"), "{a}");
    }
    assert!(!day("2027-02-01").contains("Later"));
    let again = t.ok(&["import", "ics", second.to_str().unwrap()]);
    assert!(
        again.ends_with("imported 0, updated 0, unchanged 2, skipped 0\n"),
        "{again}"
    );
    // Both parts are exported, each its own series.
    let out = t.path("out.ics");
    t.ok(&["export", "ics", "-o", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("UID:ser-future\r\n"), "{text}");
    assert!(
        text.contains("RRULE:FREQ=WEEKLY;UNTIL=20270118T075959Z\r\n"),
        "{text}"
    );
    assert!(
        text.contains("UID:ser-future/from-20270118T090000\r\n"),
        "{text}"
    );
    assert!(text.contains("RRULE:FREQ=WEEKLY;COUNT=2\r\n"), "{text}");
}
