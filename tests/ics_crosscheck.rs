//! A second, independent implementation reads what ours writes and writes what ours reads:
//! the `icalendar` crate (the design's calendar dependency). Our own writer/parser stays the
//! production path (it avoids that crate's VTIMEZONE/PRODID/CR pitfalls, see src/ics/mod.rs);
//! this keeps the two honest against each other on every test run, without Python.
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, EventLike};
use secretaire::domain::EventTime;
use secretaire::ics::{ParseOptions, parse};

fn opts() -> ParseOptions {
    ParseOptions {
        default_tz: chrono_tz::Europe::Stockholm,
        now: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
    }
}

/// Property values of one component by name, as the icalendar crate's parser reads them.
fn props<'a>(c: &'a icalendar::parser::Component<'a>, name: &str) -> Vec<String> {
    c.properties
        .iter()
        .filter(|p| p.name.as_str() == name)
        .map(|p| p.val.as_str().to_string())
        .collect()
}

#[test]
fn the_icalendar_crate_reads_our_golden_export_as_we_do() {
    let text = std::fs::read_to_string("tests/fixtures/ics/golden.ics").unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let cal =
        icalendar::parser::read_calendar(&unfolded).expect("icalendar crate parses our export");
    let vevents: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(vevents.len(), text.matches("BEGIN:VEVENT").count());
    assert!(!vevents.is_empty());
    // Every VTIMEZONE we write is a component it understands, holding no UID/DTSTAMP.
    for tz in cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
    {
        assert_eq!(props(tz, "TZID").len(), 1);
        assert!(props(tz, "UID").is_empty() && props(tz, "DTSTAMP").is_empty());
    }
    let ours = parse(text.as_bytes(), &opts()).unwrap();
    for v in &vevents {
        assert_eq!(props(v, "UID").len(), 1, "one UID per VEVENT");
        assert_eq!(props(v, "DTSTAMP").len(), 1, "one DTSTAMP per VEVENT");
        let uid = &props(v, "UID")[0];
        let summary = &props(v, "SUMMARY")[0];
        let rid = props(v, "RECURRENCE-ID");
        if !props(v, "X-SECRETAIRE-SEGMENT").is_empty() {
            // Our travel segments are edited in their trip: our importer reports them as skipped.
            assert!(
                ours.errors
                    .iter()
                    .any(|e| &e.uid == uid && e.message.contains("travel segment")),
                "{uid} not reported"
            );
            continue;
        }
        let mine: Vec<_> = ours
            .items
            .iter()
            .filter(|i| &i.uid == uid && i.event.recurrence_id.is_some() != rid.is_empty())
            .collect();
        assert_eq!(mine.len(), 1, "our parser finds {uid} once");
        // The crate leaves TEXT escapes in place; unescape the common ones to compare.
        let unescaped = summary
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
        assert_eq!(mine[0].event.title, unescaped, "{uid}");
    }
}

#[test]
fn we_read_what_the_icalendar_crate_writes() {
    let stamp = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap();
    let mut cal = Calendar::empty();
    cal.push(
        icalendar::Event::new()
            .uid("timed-1@other")
            .timestamp(stamp)
            .summary("Budget review, Q1; draft")
            .description("Line one\nLine two with ünïcödé and a \\ backslash")
            .location("Room 3")
            .starts(start)
            .ends(start + chrono::Duration::minutes(90))
            .done(),
    );
    cal.push(
        icalendar::Event::new()
            .uid("allday-1@other")
            .timestamp(stamp)
            .summary("Offsite")
            .starts(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap())
            .ends(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
            .done(),
    );
    let text = cal.to_string();
    let report = parse(text.as_bytes(), &opts()).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.items.len(), 2);
    let timed = report
        .items
        .iter()
        .find(|i| i.uid == "timed-1@other")
        .unwrap();
    assert_eq!(timed.event.title, "Budget review, Q1; draft");
    assert_eq!(
        timed.event.notes,
        "Line one\nLine two with ünïcödé and a \\ backslash"
    );
    assert_eq!(timed.event.location, "Room 3");
    match timed.event.time {
        EventTime::Timed { start: s, end, .. } => {
            assert_eq!(s, start);
            assert_eq!(end - s, chrono::Duration::minutes(90));
        }
        ref other => panic!("expected a timed event, got {other:?}"),
    }
    let all_day = report
        .items
        .iter()
        .find(|i| i.uid == "allday-1@other")
        .unwrap();
    // DTEND is exclusive: 3 Dec to 5 Dec is two days, the 3rd and the 4th.
    assert_eq!(
        all_day.event.time,
        EventTime::AllDay {
            start: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        }
    );
    let _: DateTime<Utc> = start;
}
