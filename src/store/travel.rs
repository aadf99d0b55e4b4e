//! Trips and their segments. `trips.first_depart`/`last_arrive` mirror the segments so trips
//! page by first departure through an index.
use super::keys::{self, ts};
use super::row::{
    At, Constraint, Damaged, Filter, id_value, int, on_constraint, prepare, read_rows, text,
};
use super::{Result, SegmentQuery, StoreError, TripQuery};
use crate::domain::event::new_uid;
use crate::domain::schedule::Revision;
use crate::domain::{Segment, Trip, ValidationError};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use std::collections::HashSet;

const SEG_COLS: &str = "s.id, s.trip_id, s.uid, s.kind, s.provider, s.number, s.confirmation, \
    s.origin, s.destination, s.depart, s.depart_tz, s.arrive, s.arrive_tz, s.seat, \
    s.cost_minor, s.cost_currency, s.status, s.notes";

fn read_segment(r: &rusqlite::Row<'_>) -> Result<Segment> {
    let id: i64 = r.get(0)?;
    let at = At::new("segments", id);
    let cost_minor: Option<i64> = r.get(14)?;
    let cost_currency: Option<String> = r.get(15)?;
    let cost = match (cost_minor, cost_currency) {
        (Some(m), Some(c)) => Some(at.money("cost_currency", m, &c)?),
        (None, None) => None,
        _ => return Err(at.corrupt("cost_minor", "amount and currency must both be set")),
    };
    Ok(Segment {
        id,
        trip_id: r.get(1)?,
        uid: r.get(2)?,
        kind: at.parse("kind", &r.get::<_, String>(3)?)?,
        provider: r.get(4)?,
        number: r.get(5)?,
        confirmation: r.get(6)?,
        origin: r.get(7)?,
        destination: r.get(8)?,
        depart: at.instant("depart", r.get(9)?)?,
        depart_tz: at.tz("depart_tz", &r.get::<_, String>(10)?)?,
        arrive: at.instant("arrive", r.get(11)?)?,
        arrive_tz: at.tz("arrive_tz", &r.get::<_, String>(12)?)?,
        seat: r.get(13)?,
        cost,
        status: at.parse("status", &r.get::<_, String>(16)?)?,
        notes: r.get(17)?,
    })
}

fn segments_of(c: &Connection, trip_id: i64) -> Result<Vec<Segment>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {SEG_COLS} FROM segments s WHERE s.trip_id = ?1 ORDER BY s.depart, s.id"
    ))?;
    let mut rows = st.query([trip_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read_segment(r)?);
    }
    Ok(out)
}

fn read_trip(c: &Connection, r: &rusqlite::Row<'_>) -> Result<Trip> {
    let id: i64 = r.get(0)?;
    Ok(Trip {
        id,
        name: r.get(1)?,
        purpose: r.get(2)?,
        notes: r.get(3)?,
        segments: segments_of(c, id)?,
    })
}

pub fn get_trip(c: &Connection, id: i64) -> Result<Trip> {
    let mut st = c.prepare_cached("SELECT id, name, purpose, notes FROM trips WHERE id = ?1")?;
    let mut rows = st.query([id])?;
    match rows.next()? {
        Some(r) => read_trip(c, r),
        None => Err(StoreError::NotFound { kind: "trip", id }),
    }
}

pub fn get_segment(c: &Connection, id: i64) -> Result<Segment> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {SEG_COLS} FROM segments s WHERE s.id = ?1"
    ))?;
    let mut rows = st.query([id])?;
    match rows.next()? {
        Some(r) => read_segment(r),
        None => Err(StoreError::NotFound {
            kind: "segment",
            id,
        }),
    }
}

/// The longest trip (first departure to last arrival), so a window query can bound its index
/// range from below.
fn max_trip_span(c: &Connection) -> Result<i64> {
    let mut st = prepare(c, "SELECT max(last_arrive - first_depart) FROM trips", &[])?;
    let v: Option<i64> = st.query_row([], |r| r.get(0))?;
    Ok(v.unwrap_or(0).max(0))
}

/// The trip's key, or one of its segments', contains `s` (also used by `search_all`).
pub fn trip_search_sql(f: &mut Filter, s: &str) -> String {
    let l = keys::lookup(s);
    let own = keys::contains_sql(f, &l, "t.id", "trips_fts", None, "t.search_key");
    let leg = keys::contains_sql(f, &l, "s.id", "segments_fts", None, "s.search_key");
    format!("{own} OR t.id IN (SELECT s.trip_id FROM segments s WHERE {leg})")
}

pub fn list_trips(c: &Connection, q: &TripQuery) -> Result<Vec<Trip>> {
    let mut f = Filter::default();
    let windowed = q.from.is_some() || q.to.is_some();
    if windowed {
        f.push_raw("t.first_depart IS NOT NULL".into());
    }
    if let Some(to) = q.to {
        f.cond("t.first_depart < ?", [int(ts(to))]);
    }
    if let Some(from) = q.from {
        // no trip that departed before this can still be under way: an index range
        let lo = ts(from).saturating_sub(max_trip_span(c)?);
        let (pl, p) = (f.param(int(lo)), f.param(int(ts(from))));
        f.push_raw(format!(
            "t.first_depart >= {pl} AND (t.last_arrive > {p} \
             OR (t.last_arrive = t.first_depart AND t.first_depart >= {p}))"
        ));
    }
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let cond = trip_search_sql(&mut f, s);
        f.push_raw(cond);
    }
    let page = f.page(q.limit, q.offset);
    // undated trips last; a window has none (both orders have an index: schema v3)
    let order = if windowed {
        "t.first_depart, t.id"
    } else {
        "t.first_depart IS NULL, t.first_depart, t.id"
    };
    let sql = format!(
        "SELECT t.id, t.name, t.purpose, t.notes FROM trips t{} ORDER BY {order}{page}",
        f.where_sql()
    );
    let mut st = prepare(c, &sql, &f.params)?;
    let mut rows = st.query(rusqlite::params_from_iter(f.params.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read_trip(c, r)?);
    }
    Ok(out)
}

pub fn list_segments(
    c: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Segment>> {
    Ok(segments_in(c, from, to, Damaged::Fail)?.0)
}

/// [`list_segments`], skipping rows that cannot be read (for the terminal UI): the segments and
/// how many rows were skipped.
pub fn list_segments_lenient(
    c: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Vec<Segment>, u64)> {
    segments_in(c, from, to, Damaged::Skip)
}

/// The filter of a [`SegmentQuery`]: the window as [`list_segments`] reads it (an index range
/// on `depart`), the status, the search (through `segments_fts`).
fn segment_filter(c: &Connection, q: &SegmentQuery) -> Result<Filter> {
    let mut f = Filter::default();
    if q.from.is_some() || q.to.is_some() {
        let span: Option<i64> = prepare(c, "SELECT max(arrive - depart) FROM segments", &[])?
            .query_row([], |r| r.get(0))?;
        if let Some(from) = q.from {
            let lo = ts(from).saturating_sub(span.unwrap_or(0).max(0));
            let (pl, p) = (f.param(int(lo)), f.param(int(ts(from))));
            f.push_raw(format!(
                "s.depart >= {pl} AND (s.arrive > {p} OR (s.arrive = s.depart AND s.depart >= {p}))"
            ));
        }
        if let Some(to) = q.to {
            f.cond("s.depart < ?", [int(ts(to))]);
        }
    }
    if let Some(st) = q.status {
        f.cond("s.status = ?", [text(st.as_str())]);
    }
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let l = keys::lookup(s);
        let cond = keys::contains_sql(&mut f, &l, "s.id", "segments_fts", None, "s.search_key");
        f.push_raw(cond);
    }
    Ok(f)
}

/// See [`SegmentQuery`]: a page of segments by departure.
pub fn list_segments_by(c: &Connection, q: &SegmentQuery) -> Result<Vec<Segment>> {
    let mut f = segment_filter(c, q)?;
    let page = f.page(q.limit, q.offset);
    let sql = format!(
        "SELECT {SEG_COLS} FROM segments s{} ORDER BY s.depart, s.id{page}",
        f.where_sql()
    );
    let mut st = prepare(c, &sql, &f.params)?;
    Ok(read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        Damaged::Fail,
        read_segment,
    )?
    .0)
}

/// How many segments [`list_segments_by`] would return without limit/offset.
pub fn count_segments(c: &Connection, q: &SegmentQuery) -> Result<u64> {
    let f = segment_filter(c, q)?;
    let sql = format!("SELECT count(*) FROM segments s{}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    let n: i64 = st.query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

fn segments_in(
    c: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    damaged: Damaged,
) -> Result<(Vec<Segment>, u64)> {
    let span: Option<i64> = prepare(c, "SELECT max(arrive - depart) FROM segments", &[])?
        .query_row([], |r| r.get(0))?;
    let (from, to) = (ts(from), ts(to));
    let params = [from - span.unwrap_or(0).max(0), from, to].map(int);
    let mut st = prepare(
        c,
        &format!(
            "SELECT {SEG_COLS} FROM segments s \
             WHERE s.depart >= ?1 AND s.depart < ?3 \
               AND (s.arrive > ?2 OR (s.arrive = s.depart AND s.depart >= ?2)) \
             ORDER BY s.depart, s.id"
        ),
        &params,
    )?;
    read_rows(
        st.query(rusqlite::params_from_iter(params.iter()))?,
        damaged,
        read_segment,
    )
}

pub(crate) fn refresh_span(c: &Connection, trip_id: i64) -> Result<()> {
    c.prepare_cached(
        "UPDATE trips SET \
           first_depart = (SELECT min(depart) FROM segments WHERE trip_id = ?1), \
           last_arrive = (SELECT max(arrive) FROM segments WHERE trip_id = ?1) \
         WHERE id = ?1",
    )?
    .execute([trip_id])?;
    Ok(())
}

fn trip_values(t: &Trip) -> Vec<Value> {
    let span = t.span();
    vec![
        text(&t.name),
        text(&t.purpose),
        text(&t.notes),
        span.map_or(Value::Null, |(s, _)| int(ts(s))),
        span.map_or(Value::Null, |(_, e)| int(ts(e))),
        text(&keys::trip_key(&t.name, &t.purpose, &t.notes)),
    ]
}

const SEG_UPSERT: &str = "trip_id, uid, kind, provider, number, confirmation, origin, \
    destination, depart, depart_tz, arrive, arrive_tz, seat, cost_minor, cost_currency, status, \
    notes, search_key";

fn seg_values(s: &Segment, trip_id: i64, uid: &str) -> Vec<Value> {
    vec![
        int(trip_id),
        text(uid),
        text(s.kind.as_str()),
        text(&s.provider),
        text(&s.number),
        text(&s.confirmation),
        text(&s.origin),
        text(&s.destination),
        int(ts(s.depart)),
        text(s.depart_tz.name()),
        int(ts(s.arrive)),
        text(s.arrive_tz.name()),
        text(&s.seat),
        s.cost.map_or(Value::Null, |m| int(m.minor)),
        s.cost.map_or(Value::Null, |m| text(m.currency.code())),
        text(s.status.as_str()),
        text(&s.notes),
        text(&keys::segment_key(
            s.kind.as_str(),
            &[
                &s.provider,
                &s.number,
                &s.confirmation,
                &s.origin,
                &s.destination,
                &s.notes,
            ],
        )),
    ]
}

fn seg_error(s: &Segment, trip_id: i64, k: Constraint) -> Option<ValidationError> {
    match k {
        Constraint::ForeignKey => Some(ValidationError::new(
            "trip",
            format!("no trip with id {trip_id}"),
        )),
        Constraint::PrimaryKey => Some(ValidationError::new(
            "id",
            format!("segment {} already exists", s.id),
        )),
        _ => None,
    }
}

/// Insert one segment row without touching the trip's span.
fn insert_segment_row(c: &Connection, s: &Segment, trip_id: i64) -> Result<i64> {
    let uid = if s.uid.trim().is_empty() {
        new_uid(s.depart)
    } else {
        s.uid.clone()
    };
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO segments (id, {SEG_UPSERT}) VALUES ({id}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, \
         ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        id = super::row::new_id("segments")
    ))?;
    let mut vals = vec![id_value(s.id)];
    vals.extend(seg_values(s, trip_id, &uid));
    st.execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| seg_error(s, trip_id, k)))?;
    let id = c.last_insert_rowid();
    c.prepare_cached("UPDATE segments SET modified = unixepoch() WHERE id = ?1")?
        .execute([id])?;
    Ok(id)
}

/// Raise the row's revision (see schema v3): every write that changes it calls this.
pub(super) fn bump_revision(c: &Connection, table: &str, id: i64) -> Result<()> {
    c.prepare_cached(&format!(
        "UPDATE {table} SET sequence = sequence + 1, modified = unixepoch() WHERE id = ?1"
    ))?
    .execute([id])?;
    Ok(())
}

/// The revision of a row of `table` (segments or tasks).
pub(super) fn revision_of(c: &Connection, table: &str, id: i64) -> Result<Revision> {
    let mut st = c.prepare_cached(&format!(
        "SELECT sequence, modified FROM {table} WHERE id = ?1"
    ))?;
    let (seq, modified): (i64, Option<i64>) = st
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: if table == "tasks" { "task" } else { "segment" },
            id,
        })?;
    Ok(Revision {
        sequence: u32::try_from(seq).unwrap_or(0),
        modified: modified.and_then(|m| DateTime::<Utc>::from_timestamp(m, 0)),
    })
}

/// SEQUENCE/LAST-MODIFIED of a segment for calendar export.
pub fn segment_revision(c: &Connection, id: i64) -> Result<Revision> {
    revision_of(c, "segments", id)
}

/// Update one segment row (and move it to `trip_id`); NotFound when missing.
fn update_segment_row(c: &Connection, s: &Segment, trip_id: i64) -> Result<()> {
    let old = get_segment(c, s.id)?;
    let uid = if s.uid.trim().is_empty() {
        old.uid.clone()
    } else {
        s.uid.clone()
    };
    // Only a change raises the revision (a form saved untouched does not).
    let changed = seg_values(&old, old.trip_id, &old.uid) != seg_values(s, trip_id, &uid);
    let sets: Vec<String> = SEG_UPSERT
        .split(',')
        .enumerate()
        .map(|(i, col)| format!("{} = ?{}", col.trim(), i + 2))
        .collect();
    let mut st = c.prepare_cached(&format!(
        "UPDATE segments SET {} WHERE id = ?1",
        sets.join(", ")
    ))?;
    let mut vals = vec![int(s.id)];
    vals.extend(seg_values(s, trip_id, &uid));
    let n = st
        .execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| seg_error(s, trip_id, k)))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            kind: "segment",
            id: s.id,
        });
    }
    if changed {
        bump_revision(c, "segments", s.id)?;
    }
    Ok(())
}

fn trip_key_error(t: &Trip, k: Constraint) -> Option<ValidationError> {
    (k == Constraint::PrimaryKey)
        .then(|| ValidationError::new("id", format!("trip {} already exists", t.id)))
}

pub fn insert_trip(c: &Connection, t: &Trip) -> Result<i64> {
    t.validate()?;
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO trips (id, name, purpose, notes, first_depart, last_arrive, search_key) \
         VALUES ({id}, ?2, ?3, ?4, ?5, ?6, ?7)",
        id = super::row::new_id("trips")
    ))?;
    let mut vals = vec![id_value(t.id)];
    vals.extend(trip_values(t));
    st.execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| trip_key_error(t, k)))?;
    let id = c.last_insert_rowid();
    for s in &t.segments {
        insert_segment_row(c, s, id)?;
    }
    Ok(id)
}

pub fn update_trip(c: &Connection, t: &Trip) -> Result<()> {
    t.validate()?;
    let mut st = c.prepare_cached(
        "UPDATE trips SET name = ?2, purpose = ?3, notes = ?4, first_depart = ?5, \
         last_arrive = ?6, search_key = ?7 WHERE id = ?1",
    )?;
    let mut vals = vec![int(t.id)];
    vals.extend(trip_values(t));
    if st.execute(rusqlite::params_from_iter(vals))? == 0 {
        return Err(StoreError::NotFound {
            kind: "trip",
            id: t.id,
        });
    }
    let existing: HashSet<i64> = {
        let mut st = c.prepare_cached("SELECT id FROM segments WHERE trip_id = ?1")?;
        st.query_map([t.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let kept: HashSet<i64> = t
        .segments
        .iter()
        .map(|s| s.id)
        .filter(|&i| i != 0)
        .collect();
    for gone in existing.difference(&kept) {
        c.prepare_cached("DELETE FROM segments WHERE id = ?1")?
            .execute([gone])?;
    }
    for s in &t.segments {
        if s.id != 0 && existing.contains(&s.id) {
            update_segment_row(c, s, t.id)?;
        } else {
            // New, or one being moved in / restored with its old id.
            let moved = s.id != 0 && {
                let mut st = c.prepare_cached("SELECT 1 FROM segments WHERE id = ?1")?;
                st.exists([s.id])?
            };
            if moved {
                let from: i64 = c
                    .prepare_cached("SELECT trip_id FROM segments WHERE id = ?1")?
                    .query_row([s.id], |r| r.get(0))?;
                update_segment_row(c, s, t.id)?;
                refresh_span(c, from)?;
            } else {
                insert_segment_row(c, s, t.id)?;
            }
        }
    }
    Ok(())
}

pub fn delete_trip(c: &Connection, id: i64) -> Result<Trip> {
    let t = get_trip(c, id)?;
    c.prepare_cached("DELETE FROM trips WHERE id = ?1")?
        .execute([id])?;
    Ok(t)
}

pub fn insert_segment(c: &Connection, s: &Segment) -> Result<i64> {
    s.validate()?;
    let id = insert_segment_row(c, s, s.trip_id)?;
    refresh_span(c, s.trip_id)?;
    Ok(id)
}

pub fn update_segment(c: &Connection, s: &Segment) -> Result<()> {
    s.validate()?;
    let old = get_segment(c, s.id)?;
    update_segment_row(c, s, s.trip_id)?;
    refresh_span(c, s.trip_id)?;
    if old.trip_id != s.trip_id {
        refresh_span(c, old.trip_id)?;
    }
    Ok(())
}

pub fn delete_segment(c: &Connection, id: i64) -> Result<Segment> {
    let s = get_segment(c, id)?;
    c.prepare_cached("DELETE FROM segments WHERE id = ?1")?
        .execute([id])?;
    refresh_span(c, s.trip_id)?;
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// Reads for the TUI: trips a page at a time, upcoming or past; damaged rows skipped.

/// A page of the Travel pane: upcoming trips (not ended at `now`, soonest first, then trips
/// without segments yet) or past ones (ended, the most recently ended first).
#[derive(Debug, Clone)]
pub struct TripPage {
    pub now: DateTime<Utc>,
    pub past: bool,
    /// Case-insensitive substring of the trip's or any of its segments' text.
    pub search: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

fn trip_page_filter(q: &TripPage) -> Filter {
    let mut f = Filter::default();
    let now = f.param(int(ts(q.now)));
    f.push_raw(if q.past {
        format!("t.last_arrive IS NOT NULL AND t.last_arrive <= {now}")
    } else {
        format!("t.last_arrive IS NULL OR t.last_arrive > {now}")
    });
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let cond = trip_search_sql(&mut f, s);
        f.push_raw(cond);
    }
    f
}

/// One page of trips (with their segments), how many trips the page's rule finds in all, and
/// how many of the page's trips were left out because a segment of theirs cannot be read
/// (the whole trip: a trip saved without one of its segments would delete it).
pub fn list_trip_page(c: &Connection, q: &TripPage) -> Result<(Vec<Trip>, u64, u64)> {
    let mut f = trip_page_filter(q);
    let order = if q.past {
        "t.last_arrive DESC, t.id DESC"
    } else {
        "t.first_depart IS NULL, t.first_depart, t.id"
    };
    let page = f.page(Some(q.limit), q.offset);
    let sql = format!(
        "SELECT t.id, t.name, t.purpose, t.notes FROM trips t{} ORDER BY {order}{page}",
        f.where_sql()
    );
    let mut st = prepare(c, &sql, &f.params)?;
    let (out, skipped) = read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        Damaged::Skip,
        |r| read_trip(c, r),
    )?;
    let f = trip_page_filter(q);
    let sql = format!("SELECT count(*) FROM trips t{}", f.where_sql());
    let n: i64 = prepare(c, &sql, &f.params)?
        .query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok((out, n.max(0) as u64, skipped))
}
