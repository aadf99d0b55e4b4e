//! Events: one row each, attendees in a child table, exdates/rdates as JSON arrays.
use super::keys::{self, ZONE_SLACK, date_ts, naive_ts, ts};
use super::row::{
    At, Constraint, Damaged, Filter, id_value, int, local_list_json, local_text, on_constraint,
    prepare, read_rows, text,
};
use super::{EventQuery, Result, StoreError};
use crate::domain::event::new_uid;
use crate::domain::{Attendee, Event, EventTime, ValidationError};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

const COLS: &str = "e.id, e.uid, e.recurrence_id, e.title, e.all_day, e.start_at, e.end_at, e.tz, \
    e.start_date, e.end_date, e.location, e.notes, e.category, e.status, e.reminder_minutes, \
    e.rrule, e.exdates, e.rdates, e.sequence, e.created, e.updated, e.extra_ics, \
    (SELECT json_group_array(json_array(a.contact_id, a.name, a.email) ORDER BY a.position) \
     FROM event_attendees a WHERE a.event_id = e.id)";

/// Far enough to never overflow when widened.
const FAR: i64 = 1 << 50;

fn read(r: &rusqlite::Row<'_>) -> Result<Event> {
    let id: i64 = r.get(0)?;
    let at = At::new("events", id);
    let all_day: i64 = r.get(4)?;
    let time = if all_day != 0 {
        let s: Option<String> = r.get(8)?;
        let e: Option<String> = r.get(9)?;
        let (Some(s), Some(e)) = (s, e) else {
            return Err(at.corrupt("start_date", "all-day event without dates"));
        };
        EventTime::AllDay {
            start: at.date("start_date", &s)?,
            end: at.date("end_date", &e)?,
        }
    } else {
        let tz: Option<String> = r.get(7)?;
        let tz = tz.ok_or_else(|| at.corrupt("tz", "timed event without a zone"))?;
        EventTime::Timed {
            start: at.instant("start_at", r.get(5)?)?,
            end: at.instant("end_at", r.get(6)?)?,
            tz: at.tz("tz", &tz)?,
        }
    };
    let rid: Option<String> = r.get(2)?;
    let reminder: Option<i64> = r.get(14)?;
    let attendees: Vec<(Option<i64>, String, String)> =
        at.json("attendees", &r.get::<_, String>(22)?)?;
    Ok(Event {
        id,
        uid: r.get(1)?,
        title: r.get(3)?,
        time,
        location: r.get(10)?,
        notes: r.get(11)?,
        category: at.parse("category", &r.get::<_, String>(12)?)?,
        status: at.parse("status", &r.get::<_, String>(13)?)?,
        attendees: attendees
            .into_iter()
            .map(|(contact_id, name, email)| Attendee {
                contact_id,
                name,
                email,
            })
            .collect(),
        reminder_minutes: reminder
            .map(|m| at.u32("reminder_minutes", m))
            .transpose()?,
        rrule: r.get(15)?,
        exdates: at.local_list("exdates", &r.get::<_, String>(16)?)?,
        rdates: at.local_list("rdates", &r.get::<_, String>(17)?)?,
        recurrence_id: rid.map(|s| at.local("recurrence_id", &s)).transpose()?,
        sequence: at.u32("sequence", r.get(18)?)?,
        created: at.instant("created", r.get(19)?)?,
        updated: at.instant("updated", r.get(20)?)?,
        extra_ics: r.get(21)?,
    })
}

fn collect(rows: rusqlite::Rows<'_>) -> Result<Vec<Event>> {
    Ok(read_rows(rows, Damaged::Fail, read)?.0)
}

pub fn get(c: &Connection, id: i64) -> Result<Event> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM events e WHERE e.id = ?1"))?;
    let mut rows = st.query([id])?;
    match rows.next()? {
        Some(r) => read(r),
        None => Err(StoreError::NotFound { kind: "event", id }),
    }
}

pub fn find_by_uid(
    c: &Connection,
    uid: &str,
    recurrence_id: Option<NaiveDateTime>,
) -> Result<Option<Event>> {
    let rid = recurrence_id.map(local_text).unwrap_or_default();
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM events e WHERE e.uid = ?1 AND ifnull(e.recurrence_id, '') = ?2"
    ))?;
    let mut rows = st.query(params![uid, rid])?;
    rows.next()?.map(read).transpose()
}

pub fn list_series(c: &Connection, uid: &str) -> Result<Vec<Event>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM events e WHERE e.uid = ?1 ORDER BY ifnull(e.recurrence_id, ''), e.id"
    ))?;
    collect(st.query([uid])?)
}

/// The series split from series `uid` ("this and following"), which name it by
/// `domain::schedule::split_marker`: a whole-series move of `uid` ends before their start.
pub fn split_parts(c: &Connection, uid: &str) -> Result<Vec<Event>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM events e WHERE e.recurrence_id IS NULL AND e.uid <> ?1 \
         AND instr(e.extra_ics, ?2) > 0 ORDER BY e.start_at, e.id"
    ))?;
    collect(st.query(rusqlite::params![
        uid,
        crate::domain::schedule::split_marker(uid)
    ])?)
}

/// Every event whose UID begins with `prefix` (through the UID index: the range from the
/// prefix up to the prefix with its last character raised), by UID then RECURRENCE-ID.
pub fn list_uid_prefix(c: &Connection, prefix: &str) -> Result<Vec<Event>> {
    let Some(last) = prefix.chars().last() else {
        return Ok(Vec::new());
    };
    let Some(next) = char::from_u32(last as u32 + 1) else {
        return Ok(Vec::new());
    };
    let hi = format!("{}{next}", &prefix[..prefix.len() - last.len_utf8()]);
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM events e WHERE e.uid >= ?1 AND e.uid < ?2 \
         ORDER BY e.uid, ifnull(e.recurrence_id, ''), e.id"
    ))?;
    collect(st.query(params![prefix, hi])?)
}

/// The longest event, so a window query can bound its index range from below.
fn max_span(c: &Connection) -> Result<i64> {
    let mut st = prepare(c, "SELECT max(end_at - start_at) FROM events", &[])?;
    let v: Option<i64> = st.query_row([], |r| r.get(0))?;
    Ok(v.unwrap_or(0).max(0))
}

/// Keep a caller's bound inside years 1..9000 so zone conversions below cannot overflow
/// (`DateTime::<Utc>::MAX_UTC` in a zone east of UTC is out of chrono's range).
fn sane(t: DateTime<Utc>) -> DateTime<Utc> {
    let lo = DateTime::<Utc>::from_naive_utc_and_offset(
        chrono::NaiveDate::from_ymd_opt(1, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default(),
        Utc,
    );
    let hi = DateTime::<Utc>::from_naive_utc_and_offset(
        chrono::NaiveDate::from_ymd_opt(9000, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default(),
        Utc,
    );
    t.clamp(lo, hi)
}

/// Which rows of a window one query reads. A window is read in three parts, each through its
/// own index and, for the first two, in start order, so that a page is merged from ordered
/// runs instead of sorting the window (see [`list`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// All three at once (for counting).
    All,
    /// Single events and occurrences moved in (neither RRULE nor RDATE) starting in the widened
    /// window.
    Singles,
    /// Series (an RRULE, RDATEs or both) whose first possible instance is before the window's
    /// end and whose last has not ended before it, in order of that first instance.
    Masters,
    /// Overrides whose original slot (RECURRENCE-ID) is in the window.
    Overrides,
}

fn filter(c: &Connection, q: &EventQuery, part: Part) -> Result<Filter> {
    let q = &EventQuery {
        from: q.from.map(sane),
        to: q.to.map(sane),
        ..q.clone()
    };
    let mut f = Filter::default();
    if q.from.is_some() || q.to.is_some() {
        let from = q.from.map_or(-FAR, ts).clamp(-FAR, FAR);
        let to = q.to.map_or(FAR, ts).clamp(-FAR, FAR);
        let lo = if q.from.is_some() {
            from - ZONE_SLACK - max_span(c)?
        } else {
            -FAR * 2
        };
        let p_lo = f.param(int(lo));
        let p_from = f.param(int(from));
        let p_to = f.param(int(to));
        let p_from_w = f.param(int(from - ZONE_SLACK));
        let p_to_w = f.param(int(to + ZONE_SLACK));
        let all_day = match q.tz {
            Some(tz) => {
                let dfrom = q.from.map(|t| t.with_timezone(&tz).date_naive());
                let dto =
                    q.to.map(|t| (t - Duration::seconds(1)).with_timezone(&tz).date_naive());
                let p_df = f.param(dfrom.map_or(Value::Null, |d| text(&super::row::date_text(d))));
                let p_dt = f.param(dto.map_or(Value::Null, |d| text(&super::row::date_text(d))));
                format!(
                    "(e.all_day = 1 AND ({p_df} IS NULL OR e.end_date >= {p_df}) \
                     AND ({p_dt} IS NULL OR e.start_date <= {p_dt}))"
                )
            }
            None => format!("(e.all_day = 1 AND e.start_at < {p_to_w} AND e.end_at > {p_from_w})"),
        };
        let singles =
            format!("e.series_from IS NULL AND e.start_at >= {p_lo} AND e.start_at < {p_to_w}");
        let masters = format!(
            "e.series_from IS NOT NULL AND e.series_from < {p_to_w} \
             AND (e.series_until IS NULL OR e.series_until > {p_from})"
        );
        let overrides = format!(
            "e.recurrence_id IS NOT NULL AND e.rid_at >= {p_from_w} AND e.rid_at < {p_to_w}"
        );
        f.push_raw(match part {
            Part::Singles => singles,
            Part::Masters => masters,
            Part::Overrides => overrides,
            Part::All => format!("({singles}) OR ({masters}) OR ({overrides})"),
        });
        f.push_raw(format!(
            "e.series_from IS NOT NULL \
             OR (e.recurrence_id IS NOT NULL AND e.rid_at >= {p_from_w} AND e.rid_at < {p_to_w}) \
             OR (e.all_day = 0 AND e.start_at < {p_to} \
                 AND (e.end_at > {p_from} OR (e.end_at = e.start_at AND e.start_at >= {p_from}))) \
             OR {all_day}"
        ));
    }
    if let Some(s) = q.status {
        f.cond("e.status = ?", [text(s.as_str())]);
    }
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let cond = search_sql(&mut f, s);
        f.push_raw(cond);
    }
    Ok(f)
}

/// The event's key contains `s` (also used by `search_all`).
pub fn search_sql(f: &mut Filter, s: &str) -> String {
    let l = keys::lookup(s);
    keys::contains_sql(f, &l, "e.id", "events_fts", None, "e.search_key")
}

fn run(c: &Connection, f: &Filter, tail: &str, damaged: Damaged) -> Result<(Vec<Event>, u64)> {
    let sql = format!("SELECT {COLS} FROM events e{}{tail}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        damaged,
        read,
    )
}

/// Ordered by start. Without a window, one query pages through `events_start`. A window is
/// read in its three [`Part`]s: singles and masters each in start order through their index,
/// at most `offset + limit` of each, overrides (few: their slot is in the window) as they
/// come; the page is merged from them.
pub fn list(c: &Connection, q: &EventQuery) -> Result<Vec<Event>> {
    Ok(list_rows(c, q, Damaged::Fail)?.0)
}

/// [`list`], skipping rows that cannot be read (for the terminal UI): the events and how many
/// rows were skipped.
pub fn list_lenient(c: &Connection, q: &EventQuery) -> Result<(Vec<Event>, u64)> {
    list_rows(c, q, Damaged::Skip)
}

fn list_rows(c: &Connection, q: &EventQuery, damaged: Damaged) -> Result<(Vec<Event>, u64)> {
    if q.from.is_none() && q.to.is_none() {
        let mut f = filter(c, q, Part::All)?;
        let page = f.page(q.limit, q.offset);
        return run(c, &f, &format!(" ORDER BY e.start_at, e.id{page}"), damaged);
    }
    let want = q.limit.map(|l| u64::from(l) + u64::from(q.offset));
    let mut out = Vec::new();
    let mut skipped = 0;
    for part in [Part::Singles, Part::Masters] {
        let mut f = filter(c, q, part)?;
        let n = f.param(int(
            want.map_or(-1, |w| i64::try_from(w).unwrap_or(i64::MAX))
        ));
        let order = match part {
            Part::Masters => "e.series_from",
            _ => "e.start_at",
        };
        let (rows, bad) = run(
            c,
            &f,
            &format!(" ORDER BY {order}, e.id LIMIT {n}"),
            damaged,
        )?;
        out.extend(rows);
        skipped += bad;
    }
    let (rows, bad) = run(c, &filter(c, q, Part::Overrides)?, "", damaged)?;
    out.extend(rows);
    skipped += bad;
    out.sort_by_key(|e| (derive(e).start_at, e.id));
    out.dedup_by_key(|e| e.id);
    // A changed occurrence whose series is not in the window (it ended before it): kept only
    // while it still names an occurrence of that series, as a wider window's expansion
    // decides, so whether it shows never depends on where the window starts.
    let masters: std::collections::HashSet<String> = out
        .iter()
        .filter(|e| e.recurrence_id.is_none())
        .map(|e| e.uid.clone())
        .collect();
    let mut kept = Vec::with_capacity(out.len());
    for e in out {
        if let Some(rid) = e.recurrence_id
            && !masters.contains(&e.uid)
            && let Some(m) = find_by_uid(c, &e.uid, None)?
            && !crate::domain::recurrence::is_occurrence(&m, rid)
        {
            continue;
        }
        kept.push(e);
    }
    let page = kept.into_iter().skip(q.offset as usize);
    let page = match q.limit {
        Some(l) => page.take(l as usize).collect(),
        None => page.collect(),
    };
    Ok((page, skipped))
}

pub fn count(c: &Connection, q: &EventQuery) -> Result<u64> {
    let f = filter(c, q, Part::All)?;
    let sql = format!("SELECT count(*) FROM events e{}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    let n: i64 = st.query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// The derived columns of one event.
struct Derived {
    all_day: bool,
    start_at: i64,
    end_at: i64,
    tz: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    series_until: Option<i64>,
    /// The earliest instant an instance of a series can start (None: a single event): the
    /// window query reads series through it.
    series_from: Option<i64>,
}

fn derive(e: &Event) -> Derived {
    match &e.time {
        EventTime::Timed { start, end, tz } => {
            let (s, en) = (ts(*start), ts(*end));
            Derived {
                all_day: false,
                start_at: s,
                end_at: en,
                tz: Some(tz.name().to_string()),
                start_date: None,
                end_date: None,
                series_until: series_until(e, s, en - s),
                series_from: keys::series_from(s, e.rrule.as_deref(), &e.rdates),
            }
        }
        EventTime::AllDay { start, end } => {
            let s = date_ts(*start);
            let after: NaiveDate = end.succ_opt().unwrap_or(*end);
            let en = date_ts(after);
            Derived {
                all_day: true,
                start_at: s,
                end_at: en,
                tz: None,
                start_date: Some(super::row::date_text(*start)),
                end_date: Some(super::row::date_text(*end)),
                series_until: series_until(e, s, en - s),
                series_from: keys::series_from(s, e.rrule.as_deref(), &e.rdates),
            }
        }
    }
}

/// When a series' last instance ends at the latest (None: unbounded, or a single event).
fn series_until(e: &Event, start_at: i64, duration: i64) -> Option<i64> {
    match e.rrule.as_deref() {
        Some(r) => keys::series_until(r, &e.rdates, duration),
        None => keys::rdates_until(start_at, &e.rdates, duration),
    }
}

fn uid_error(e: &Event, k: Constraint) -> Option<ValidationError> {
    match k {
        Constraint::Unique => Some(ValidationError::new(
            "uid",
            match e.recurrence_id {
                Some(r) => format!(
                    "another event already has UID '{}' and recurrence-id {}",
                    e.uid,
                    local_text(r)
                ),
                None => format!("another event already has UID '{}'", e.uid),
            },
        )),
        Constraint::PrimaryKey => Some(ValidationError::new(
            "id",
            format!("event {} already exists", e.id),
        )),
        Constraint::ForeignKey => Some(ValidationError::new(
            "attendee",
            "links a contact that does not exist",
        )),
        Constraint::Other => None,
    }
}

const UPSERT_COLS: &str = "uid, recurrence_id, rid_at, title, all_day, start_at, end_at, tz, \
    start_date, end_date, location, notes, category, status, reminder_minutes, rrule, \
    series_until, exdates, rdates, sequence, created, updated, extra_ics, search_key, \
    series_from";

fn values(e: &Event, uid: &str) -> Vec<Value> {
    let d = derive(e);
    let opt_text = |s: Option<String>| s.map_or(Value::Null, Value::Text);
    vec![
        text(uid),
        opt_text(e.recurrence_id.map(local_text)),
        e.recurrence_id.map_or(Value::Null, |r| int(naive_ts(r))),
        text(&e.title),
        int(i64::from(d.all_day)),
        int(d.start_at),
        int(d.end_at),
        opt_text(d.tz),
        opt_text(d.start_date),
        opt_text(d.end_date),
        text(&e.location),
        text(&e.notes),
        text(e.category.as_str()),
        text(e.status.as_str()),
        e.reminder_minutes
            .map_or(Value::Null, |m| int(i64::from(m))),
        opt_text(e.rrule.clone()),
        d.series_until.map_or(Value::Null, int),
        text(&local_list_json(&e.exdates)),
        text(&local_list_json(&e.rdates)),
        int(i64::from(e.sequence)),
        int(ts(e.created)),
        int(ts(e.updated)),
        text(&e.extra_ics),
        text(&keys::event_key(
            &e.title,
            &e.location,
            &e.notes,
            &e.attendees
                .iter()
                .map(|a| format!("{} {}", a.name, a.email))
                .collect::<Vec<_>>()
                .join(" "),
        )),
        d.series_from.map_or(Value::Null, int),
    ]
}

fn write_attendees(c: &Connection, id: i64, e: &Event) -> Result<()> {
    if e.attendees.is_empty() {
        return Ok(());
    }
    let mut st = c.prepare_cached(
        "INSERT INTO event_attendees (event_id, position, contact_id, name, email) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, a) in e.attendees.iter().enumerate() {
        st.execute(params![id, i as i64, a.contact_id, a.name, a.email])
            .map_err(|err| {
                on_constraint(err, |k| {
                    (k == Constraint::ForeignKey).then(|| {
                        ValidationError::new(
                            "attendee",
                            format!(
                                "'{}' links contact {} which does not exist",
                                a.name,
                                a.contact_id.unwrap_or_default()
                            ),
                        )
                    })
                })
            })?;
    }
    Ok(())
}

pub fn insert(c: &Connection, e: &Event) -> Result<i64> {
    e.validate()?;
    let uid = if e.uid.trim().is_empty() {
        new_uid(e.created)
    } else {
        e.uid.clone()
    };
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO events (id, {UPSERT_COLS}) VALUES ({id}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
         ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
        id = super::row::new_id("events")
    ))?;
    let mut vals = vec![id_value(e.id)];
    vals.extend(values(e, &uid));
    st.execute(rusqlite::params_from_iter(vals))
        .map_err(|err| on_constraint(err, |k| uid_error(e, k)))?;
    let id = c.last_insert_rowid();
    write_attendees(c, id, e)?;
    Ok(id)
}

pub fn update(c: &Connection, e: &Event) -> Result<()> {
    e.validate()?;
    let uid = if e.uid.trim().is_empty() {
        // Keep the stored UID rather than inventing a new one on edit.
        let mut st = c.prepare_cached("SELECT uid FROM events WHERE id = ?1")?;
        st.query_row([e.id], |r| r.get::<_, String>(0))
            .optional()?
            .ok_or(StoreError::NotFound {
                kind: "event",
                id: e.id,
            })?
    } else {
        e.uid.clone()
    };
    let sets: Vec<String> = UPSERT_COLS
        .split(',')
        .enumerate()
        .map(|(i, col)| format!("{} = ?{}", col.trim(), i + 2))
        .collect();
    let mut st = c.prepare_cached(&format!(
        "UPDATE events SET {} WHERE id = ?1",
        sets.join(", ")
    ))?;
    let mut vals = vec![int(e.id)];
    vals.extend(values(e, &uid));
    let n = st
        .execute(rusqlite::params_from_iter(vals))
        .map_err(|err| on_constraint(err, |k| uid_error(e, k)))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            kind: "event",
            id: e.id,
        });
    }
    c.prepare_cached("DELETE FROM event_attendees WHERE event_id = ?1")?
        .execute([e.id])?;
    write_attendees(c, e.id, e)
}

pub fn delete(c: &Connection, id: i64) -> Result<Event> {
    let e = get(c, id)?;
    c.prepare_cached("DELETE FROM events WHERE id = ?1")?
        .execute([id])?;
    Ok(e)
}

// ---------------------------------------------------------------------------------------------
// Reads for the TUI: a damaged row is skipped and counted, never fatal to the whole window.

/// Events with a reminder that may fire in `[from, to)`: those with `reminder_minutes`
/// overlapping the window (series as masters, to expand), and every changed occurrence in it
/// (an override without a reminder still replaces its master's occurrence). Damaged rows are
/// skipped and counted.
pub fn list_reminders(
    c: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<(Vec<Event>, u64)> {
    let mut f = filter(
        c,
        &EventQuery {
            from: Some(from),
            to: Some(to),
            tz: Some(tz),
            ..Default::default()
        },
        Part::All,
    )?;
    f.push_raw("e.reminder_minutes IS NOT NULL OR e.recurrence_id IS NOT NULL".into());
    run(c, &f, " ORDER BY e.start_at, e.id", Damaged::Skip)
}
