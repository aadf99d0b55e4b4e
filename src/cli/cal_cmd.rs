//! `conflicts` and `free`. (Owned by the recurrence/conflicts work; the CLI work wires these in.)
//!
//! Both load only the window's rows (events overlapping it plus recurring masters and their
//! overrides, travel segments), expand series with their overrides, and hand the occurrences
//! to the pure rules in `domain::schedule`.
//!
//! JSON (stable; add keys, never rename): instants RFC 3339 UTC with `Z`, `*_local` with the
//! display zone's offset, dates `YYYY-MM-DD`.
//! - conflicts: `{"from","to","tz","conflicts":[{"start","end","start_local","end_local",
//!   "minutes","a":ITEM,"b":ITEM}]}`, ITEM = `{"kind":"event","event_id","title","start","end",
//!   "recurrence_id"}` or `{"kind":"segment","segment_id","trip_id","title","start","end"}`.
//! - free: `{"from","to","tz","duration_minutes","work_start","work_end","work_days",
//!   "slots":[{"date","start","end","start_local","end_local","minutes"}]}`.
use super::{Ctx, UserError};
use crate::config::Config;
use crate::domain::schedule::{self, Busy, Conflict, WorkHours};
use crate::domain::when::{self, local_to_utc};
use crate::domain::{Event, Segment};
use crate::store::EventQuery;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use std::io::Write;

#[derive(Debug, Clone, clap::Args)]
pub struct ConflictsArgs {
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub from: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub to: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct FreeArgs {
    /// How many days ahead to look, from today.
    #[arg(long, default_value_t = 5)]
    pub days: u32,
    /// Length of the slot wanted: 30m, 1h, 1h30m.
    #[arg(long, default_value = "60m", allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub duration: String,
    /// Working hours, e.g. 09:00-17:00 (default from config).
    #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
    pub within: Option<String>,
}

/// Default span of `conflicts` without `--to`.
pub const CONFLICT_DAYS: i64 = 14;

fn instant(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn local(t: DateTime<Utc>, tz: Tz) -> Value {
    Value::String(
        t.with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

fn day(text: &str, flag: &str, today: NaiveDate) -> anyhow::Result<NaiveDate> {
    when::parse_date_dir(text, today, when::Direction::Nearest)
        .map_err(|e| UserError::new(format!("--{flag}: {e}")))
}

/// Events (singles, masters, overrides) and segments for `[from, to)`, expanded. Overrides
/// moved out of the window are found through their master's UID.
fn load(
    ctx: &Ctx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<(Vec<Event>, Vec<Segment>)> {
    let mut events = ctx.store.list_events(&EventQuery {
        from: Some(from),
        to: Some(to),
        tz: Some(ctx.tz),
        ..Default::default()
    })?;
    // Overrides of a master in the window that the window query did not return (moved far
    // away): fetch the whole series once per recurring master.
    let masters: Vec<String> = events
        .iter()
        .filter(|e| e.recurrence_id.is_none() && e.rrule.is_some())
        .map(|e| e.uid.clone())
        .collect();
    for uid in masters {
        for o in ctx.store.list_series(&uid)? {
            if o.recurrence_id.is_some() && !events.iter().any(|e| e.id == o.id) {
                events.push(o);
            }
        }
    }
    let segments = ctx.store.list_segments(from, to)?;
    Ok((events, segments))
}

fn window_days(from: NaiveDate, to_exclusive: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d < to_exclusive).collect()
}

pub fn conflicts(ctx: &Ctx, args: &ConflictsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    let today = ctx.today();
    let tz = ctx.tz;
    let first = match &args.from {
        Some(t) => day(t, "from", today)?,
        None => today,
    };
    // --to is the last day shown (inclusive)
    let end_day = match &args.to {
        Some(t) => super::input::range_day("to", t, Some(first), ctx.now(), tz)?
            .succ_opt()
            .ok_or_else(|| UserError::new("--to: date out of range"))?,
        None => first + Duration::days(CONFLICT_DAYS),
    };
    if end_day <= first {
        return Err(UserError::new(format!(
            "--to: {} is before --from {first}",
            end_day.pred_opt().unwrap_or(end_day)
        )));
    }
    if (end_day - first).num_days() > 3660 {
        return Err(UserError::new("--to: at most 10 years after --from"));
    }
    let from = local_to_utc(first.and_time(NaiveTime::MIN), tz);
    let to = local_to_utc(end_day.and_time(NaiveTime::MIN), tz);
    let (events, segments) = load(ctx, from, to)?;
    let occ = schedule::occurrences_in(&events, from, to, tz);
    let found = schedule::conflicts(&occ, &segments);
    if ctx.json {
        let v = json!({
            "from": instant(from),
            "to": instant(to),
            "tz": tz.name(),
            "conflicts": found.iter().map(|c| conflict_json(c, tz)).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let last = end_day.pred_opt().unwrap_or(end_day);
    if found.is_empty() {
        writeln!(out, "No conflicts from {first} to {last} ({}).", tz.name())?;
        return Ok(());
    }
    writeln!(
        out,
        "{} conflict{} from {first} to {last} ({}):",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        tz.name()
    )?;
    let rows: Vec<[String; 4]> = found
        .iter()
        .map(|c| {
            let s = c.start.with_timezone(&tz);
            let e = c.end.with_timezone(&tz);
            let when = if s.date_naive() == e.date_naive() || e.time() == NaiveTime::MIN {
                format!("{}-{}", s.format("%H:%M"), e.format("%H:%M"))
            } else {
                format!("{}-{}", s.format("%H:%M"), e.format("%a %H:%M"))
            };
            [
                s.format("%a %Y-%m-%d").to_string(),
                when,
                item_label(&c.a),
                item_label(&c.b),
            ]
        })
        .collect();
    write_table(out, &rows, " overlaps ")?;
    Ok(())
}

fn item_label(b: &Busy) -> String {
    match b {
        Busy::Event {
            event_id, title, ..
        } => format!("{title} (event {event_id})"),
        Busy::Segment {
            segment_id, title, ..
        } => format!("{title} (segment {segment_id})"),
    }
}

/// Columns padded to their widest cell (by display width); the last two joined by `join`.
fn write_table(out: &mut dyn Write, rows: &[[String; 4]], join: &str) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let mut w = [0usize; 4];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.width());
        }
    }
    for r in rows {
        let pad = |i: usize| " ".repeat(w[i].saturating_sub(r[i].width()));
        writeln!(
            out,
            "  {}{}  {}{}  {}{}{join}{}",
            r[0],
            pad(0),
            r[1],
            pad(1),
            r[2],
            pad(2),
            r[3]
        )?;
    }
    Ok(())
}

fn busy_json(b: &Busy) -> Value {
    match b {
        Busy::Event {
            event_id,
            title,
            start,
            end,
            recurrence_id,
        } => json!({
            "kind": "event",
            "event_id": event_id,
            "title": title,
            "start": instant(*start),
            "end": instant(*end),
            "recurrence_id": recurrence_id
                .map(|r| Value::String(r.format("%Y-%m-%dT%H:%M:%S").to_string()))
                .unwrap_or(Value::Null),
        }),
        Busy::Segment {
            segment_id,
            trip_id,
            title,
            start,
            end,
        } => json!({
            "kind": "segment",
            "segment_id": segment_id,
            "trip_id": trip_id,
            "title": title,
            "start": instant(*start),
            "end": instant(*end),
        }),
    }
}

fn conflict_json(c: &Conflict, tz: Tz) -> Value {
    json!({
        "start": instant(c.start),
        "end": instant(c.end),
        "start_local": local(c.start, tz),
        "end_local": local(c.end, tz),
        "minutes": (c.end - c.start).num_minutes(),
        "a": busy_json(&c.a),
        "b": busy_json(&c.b),
    })
}

/// `free` with the working hours and days of the built-in defaults (09:00-17:00, Mon-Fri).
/// The dispatcher does not pass the loaded config to `free`; call [`free_with_config`] to honour
/// `config.toml`.
pub fn free(ctx: &Ctx, args: &FreeArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    free_with_config(ctx, &Config::default(), args, out)
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn minutes_text(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}m"),
    }
}

/// `free` using `cfg`'s working hours and days (the display zone is `ctx.tz`).
pub fn free_with_config(
    ctx: &Ctx,
    cfg: &Config,
    args: &FreeArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    let tz = ctx.tz;
    let now = ctx.now();
    if args.days == 0 || args.days > 366 {
        return Err(UserError::new(format!(
            "--days: {} must be from 1 to 366",
            args.days
        )));
    }
    let duration = when::parse_duration(&args.duration)
        .map_err(|e| UserError::new(format!("--duration: {e}")))?;
    if duration > Duration::hours(24) {
        return Err(UserError::new(format!(
            "--duration: {} is longer than a day",
            args.duration.trim()
        )));
    }
    let (ws, we) = match &args.within {
        Some(t) => when::parse_time_range(t).ok_or_else(|| {
            UserError::new(format!(
                "--within: '{}' is not a time range such as 09:00-17:00",
                t.trim()
            ))
        })?,
        None => (cfg.work_start, cfg.work_end),
    };
    if we <= ws {
        return Err(UserError::new(format!(
            "--within: the end {} is not after the start {}",
            hm(we),
            hm(ws)
        )));
    }
    let hours = WorkHours {
        start: ws,
        end: we,
        days: cfg.work_days.clone(),
    };
    let first = ctx.today();
    let end_day = first + Duration::days(i64::from(args.days));
    let from = local_to_utc(first.and_time(NaiveTime::MIN), tz);
    let to = local_to_utc(end_day.and_time(NaiveTime::MIN), tz);
    let (events, segments) = load(ctx, from, to)?;
    let occ = schedule::occurrences_in(&events, from, to, tz);
    let mut busy = schedule::busy_intervals(&occ, &segments);
    // The past is not free.
    busy.push((from - Duration::days(1), now));
    let days = window_days(first, end_day);
    let slots = schedule::free_slots(&busy, &days, duration, &hours, tz);
    if ctx.json {
        let v = json!({
            "from": instant(from),
            "to": instant(to),
            "tz": tz.name(),
            "duration_minutes": duration.num_minutes(),
            "work_start": hm(ws),
            "work_end": hm(we),
            "work_days": hours.days.iter().map(|d| d.to_string().to_ascii_lowercase()).collect::<Vec<_>>(),
            "slots": slots.iter().map(|(s, e)| json!({
                "date": s.with_timezone(&tz).format("%Y-%m-%d").to_string(),
                "start": instant(*s),
                "end": instant(*e),
                "start_local": local(*s, tz),
                "end_local": local(*e, tz),
                "minutes": (*e - *s).num_minutes(),
            })).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let last = end_day.pred_opt().unwrap_or(end_day);
    if slots.is_empty() {
        writeln!(
            out,
            "No free {} between {} and {} from {first} to {last} ({}).",
            minutes_text(duration.num_minutes()),
            hm(ws),
            hm(we),
            tz.name()
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "Free for {} or more, {}-{} ({}):",
        minutes_text(duration.num_minutes()),
        hm(ws),
        hm(we),
        tz.name()
    )?;
    let mut prev: Option<NaiveDate> = None;
    for (s, e) in &slots {
        let ls = s.with_timezone(&tz);
        let le = e.with_timezone(&tz);
        let d = ls.date_naive();
        let label = if prev == Some(d) {
            " ".repeat(14)
        } else {
            ls.format("%a %Y-%m-%d").to_string()
        };
        prev = Some(d);
        writeln!(
            out,
            "  {label}  {}-{}  {:>7}",
            ls.format("%H:%M"),
            le.format("%H:%M"),
            minutes_text((*e - *s).num_minutes())
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::{EventTime, SegmentKind, SegmentStatus};
    use crate::store::Store;
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;

    fn ctx(json: bool) -> Ctx {
        // Monday 2026-12-07 07:00 UTC = 08:00 Stockholm
        Ctx {
            store: Store::open_in_memory().unwrap(),
            clock: Box::new(FixedClock::new(
                Utc.with_ymd_and_hms(2026, 12, 7, 7, 0, 0).unwrap(),
            )),
            tz: Stockholm,
            json,
            config: Default::default(),
        }
    }

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Stockholm
            .with_ymd_and_hms(2026, 12, d, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn add(c: &Ctx, title: &str, s: DateTime<Utc>, e: DateTime<Utc>, rule: Option<&str>) -> i64 {
        let mut ev = Event::new(
            title,
            EventTime::Timed {
                start: s,
                end: e,
                tz: Stockholm,
            },
            s,
        );
        ev.uid = format!("{title}@t");
        ev.rrule = rule.map(str::to_string);
        c.store.insert_event(&ev).unwrap()
    }

    fn run_conflicts(c: &Ctx, a: ConflictsArgs) -> String {
        let mut out = Vec::new();
        conflicts(c, &a, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn run_free(c: &Ctx, a: FreeArgs) -> String {
        let mut out = Vec::new();
        free(c, &a, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn seed(c: &Ctx) {
        add(
            c,
            "Staff",
            at(7, 9, 0),
            at(7, 10, 0),
            Some("FREQ=WEEKLY;BYDAY=MO,WE"),
        );
        add(c, "Dentist", at(9, 9, 30), at(9, 10, 30), None);
        add(c, "Lunch", at(7, 12, 0), at(7, 13, 0), None);
        let seg = Segment {
            id: 0,
            trip_id: 0,
            uid: "s@t".into(),
            kind: SegmentKind::Train,
            provider: "SJ".into(),
            number: "SJ 421".into(),
            confirmation: String::new(),
            origin: "Stockholm".into(),
            destination: "Göteborg".into(),
            depart: at(8, 8, 0),
            depart_tz: Stockholm,
            arrive: at(8, 11, 0),
            arrive_tz: Stockholm,
            seat: String::new(),
            cost: None,
            status: SegmentStatus::Booked,
            notes: String::new(),
        };
        let trip = crate::domain::Trip {
            id: 0,
            name: "Göteborg".into(),
            purpose: String::new(),
            notes: String::new(),
            segments: vec![seg],
        };
        c.store.insert_trip(&trip).unwrap();
        add(c, "Call", at(8, 10, 0), at(8, 10, 30), None);
    }

    #[test]
    fn conflicts_lists_series_and_travel_overlaps() {
        let mut c = ctx(false);
        seed(&c);
        let text = run_conflicts(
            &c,
            ConflictsArgs {
                from: None,
                to: None,
            },
        );
        assert_eq!(
            text,
            "2 conflicts from 2026-12-07 to 2026-12-20 (Europe/Stockholm):\n  \
Tue 2026-12-08  10:00-10:30  train SJ 421 Stockholm-Göteborg (segment 1) overlaps Call (event 4)\n  \
Wed 2026-12-09  09:30-10:00  Staff (event 1)                             overlaps Dentist (event 2)\n"
        );
        c.json = true;
        let j: Value = serde_json::from_str(&run_conflicts(
            &c,
            ConflictsArgs {
                from: Some("2026-12-09".into()),
                to: Some("2026-12-09".into()),
            },
        ))
        .unwrap();
        assert_eq!(j["conflicts"].as_array().unwrap().len(), 1);
        assert_eq!(
            j["conflicts"][0]["a"]["recurrence_id"],
            "2026-12-09T09:00:00"
        );
        assert_eq!(j["conflicts"][0]["start"], "2026-12-09T08:30:00Z");
        assert_eq!(j["conflicts"][0]["minutes"], 30);
    }

    #[test]
    fn conflicts_bad_dates_are_user_errors() {
        let c = ctx(false);
        let mut out = Vec::new();
        let e = conflicts(
            &c,
            &ConflictsArgs {
                from: Some("2026-12-10".into()),
                to: Some("2026-12-01".into()),
            },
            &mut out,
        )
        .unwrap_err();
        assert!(e.downcast_ref::<UserError>().is_some());
        assert!(e.to_string().contains("--to"), "{e}");
        let e = conflicts(
            &c,
            &ConflictsArgs {
                from: Some("someday".into()),
                to: None,
            },
            &mut out,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("--from"), "{e}");
    }

    #[test]
    fn free_skips_busy_travel_and_the_past() {
        let mut c = ctx(false);
        seed(&c);
        let text = run_free(
            &c,
            FreeArgs {
                days: 3,
                duration: "60m".into(),
                within: Some("08:00-14:00".into()),
            },
        );
        // Mon 7th: now is 08:00; Staff 9-10, Lunch 12-13 -> 08:00-09:00, 10:00-12:00, 13:00-14:00
        // Tue 8th: train 8-11 -> 11:00-14:00 (call 10:00-10:30 is inside the train)
        // Wed 9th: Staff 9-10, Dentist 9:30-10:30 -> 08:00-09:00, 10:30-14:00
        let expect = "Free for 1h or more, 08:00-14:00 (Europe/Stockholm):\n  \
Mon 2026-12-07  08:00-09:00       1h\n                  \
10:00-12:00       2h\n                  \
13:00-14:00       1h\n  \
Tue 2026-12-08  11:00-14:00       3h\n  \
Wed 2026-12-09  08:00-09:00       1h\n                  \
10:30-14:00    3h30m\n";
        assert_eq!(text, expect);
        c.json = true;
        let j: Value = serde_json::from_str(&run_free(
            &c,
            FreeArgs {
                days: 1,
                duration: "2h".into(),
                within: Some("08:00-14:00".into()),
            },
        ))
        .unwrap();
        assert_eq!(j["slots"].as_array().unwrap().len(), 1);
        assert_eq!(j["slots"][0]["start_local"], "2026-12-07T10:00:00+01:00");
        assert_eq!(j["duration_minutes"], 120);
    }

    #[test]
    fn free_rejects_bad_input() {
        let c = ctx(false);
        for (a, needle) in [
            (
                FreeArgs {
                    days: 0,
                    duration: "1h".into(),
                    within: None,
                },
                "--days",
            ),
            (
                FreeArgs {
                    days: 5,
                    duration: "soon".into(),
                    within: None,
                },
                "--duration",
            ),
            (
                FreeArgs {
                    days: 5,
                    duration: "1h".into(),
                    within: Some("17:00-09:00".into()),
                },
                "--within",
            ),
        ] {
            let mut out = Vec::new();
            let e = free(&c, &a, &mut out).unwrap_err();
            assert!(e.downcast_ref::<UserError>().is_some());
            assert!(e.to_string().contains(needle), "{e}");
        }
    }
}
