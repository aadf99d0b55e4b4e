//! Search across every kind: one query per kind, `limit` hits each. A text of three
//! characters or more is found through the trigram FTS indexes (schema v3), so "as you type"
//! costs the matching rows, not a read of every key; shorter texts read the keys.
use super::keys::{self, UNDATED};
use super::row::{At, Filter, int, prepare};
use super::{Result, SearchHit};
use crate::domain::Kind;
use rusqlite::Connection;

/// Every trigram search index (schema v3), each over its table's `search_key`.
pub const FTS_TABLES: [&str; 6] = [
    "events_fts",
    "trips_fts",
    "segments_fts",
    "contacts_fts",
    "invoices_fts",
    "tasks_fts",
];

/// Refill every search index from its table (after a bulk load without triggers).
pub fn rebuild_indexes(c: &Connection) -> Result<()> {
    for t in FTS_TABLES {
        c.execute(&format!("INSERT INTO {t}({t}) VALUES ('rebuild')"), [])?;
    }
    Ok(())
}

/// `SELECT {cols} FROM {from} WHERE {cond} ORDER BY {order} LIMIT n`, prepared, with `cond`
/// made by `cond` on the filter that holds the parameters.
fn query<'c>(
    c: &'c Connection,
    cols_from: &str,
    cond: impl FnOnce(&mut Filter) -> String,
    order: &str,
    limit: i64,
) -> Result<(rusqlite::CachedStatement<'c>, Vec<rusqlite::types::Value>)> {
    let mut f = Filter::default();
    let w = cond(&mut f);
    let lim = f.param(int(limit));
    let sql = format!("SELECT {cols_from} WHERE {w} ORDER BY {order} LIMIT {lim}");
    Ok((prepare(c, &sql, &f.params)?, f.params))
}

fn when(at: At, secs: i64, tz: Option<&str>, all_day: bool) -> Result<String> {
    let t = at.instant("start", secs)?;
    if all_day {
        return Ok(t.format("%Y-%m-%d").to_string());
    }
    match tz.and_then(|z| z.parse::<chrono_tz::Tz>().ok()) {
        Some(z) => Ok(t.with_timezone(&z).format("%Y-%m-%d %H:%M %Z").to_string()),
        None => Ok(t.format("%Y-%m-%d %H:%M UTC").to_string()),
    }
}

fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn search_all(c: &Connection, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
    if text.trim().is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let lim = i64::from(limit);
    let mut out = Vec::new();

    let (mut st, p) = query(
        c,
        "e.id, e.title, e.start_at, e.all_day, e.tz, e.location FROM events e",
        |f| super::events::search_sql(f, text),
        "e.start_at DESC, e.id",
        lim,
    )?;
    let mut rows = st.query(rusqlite::params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let tz: Option<String> = r.get(4)?;
        let loc: String = r.get(5)?;
        let w = when(
            At::new("events", id),
            r.get(2)?,
            tz.as_deref(),
            r.get::<_, i64>(3)? != 0,
        )?;
        out.push(SearchHit {
            kind: Kind::Event,
            id,
            title: r.get(1)?,
            detail: joined(&[&w, &loc]),
        });
    }

    let (mut st, p) = query(
        c,
        "t.id, t.name, t.purpose, t.first_depart FROM trips t",
        |f| {
            let l = keys::lookup(text);
            keys::contains_sql(f, &l, "t.id", "trips_fts", None, "t.search_key")
        },
        "t.first_depart DESC, t.id",
        lim,
    )?;
    let mut rows = st.query(rusqlite::params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let purpose: String = r.get(2)?;
        let first: Option<i64> = r.get(3)?;
        let w = first
            .map(|f| when(At::new("trips", id), f, None, true))
            .transpose()?
            .unwrap_or_default();
        out.push(SearchHit {
            kind: Kind::Trip,
            id,
            title: r.get(1)?,
            detail: joined(&[&purpose, &w]),
        });
    }

    let (mut st, p) = query(
        c,
        "s.id, s.kind, s.provider, s.number, s.origin, s.destination, s.depart, s.depart_tz \
         FROM segments s",
        |f| {
            let l = keys::lookup(text);
            keys::contains_sql(f, &l, "s.id", "segments_fts", None, "s.search_key")
        },
        "s.depart DESC, s.id",
        lim,
    )?;
    let mut rows = st.query(rusqlite::params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (kind, provider, number): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let (origin, dest): (String, String) = (r.get(4)?, r.get(5)?);
        let tz: String = r.get(7)?;
        let w = when(At::new("segments", id), r.get(6)?, Some(&tz), false)?;
        let route = if dest.is_empty() {
            origin
        } else {
            format!("{origin} → {dest}")
        };
        out.push(SearchHit {
            kind: Kind::Segment,
            id,
            title: joined(&[&number, &route]),
            detail: joined(&[&kind, &provider, &w]),
        });
    }

    let (mut st, p) = query(
        c,
        "c.id, c.name, c.organization, \
           (SELECT value FROM contact_emails WHERE contact_id = c.id ORDER BY position LIMIT 1) \
         FROM contacts c",
        |f| super::contacts::search_sql(f, text),
        "c.name_key, c.id",
        lim,
    )?;
    let mut rows = st.query(rusqlite::params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let org: String = r.get(2)?;
        let email: Option<String> = r.get(3)?;
        out.push(SearchHit {
            kind: Kind::Contact,
            id: r.get(0)?,
            title: r.get(1)?,
            detail: joined(&[&org, email.as_deref().unwrap_or("")]),
        });
    }

    let (mut st, p) = query(
        c,
        "i.id, coalesce(v.name, i.vendor_name), i.number, i.amount_minor, i.currency, \
           i.due_date, i.status \
         FROM invoices i LEFT JOIN contacts v ON v.id = i.vendor_id",
        |f| super::invoices::search_sql(f, text),
        "i.due_date DESC, i.id",
        lim,
    )?;
    let mut rows = st.query(rusqlite::params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (vendor, number): (String, String) = (r.get(1)?, r.get(2)?);
        let money =
            At::new("invoices", id).money("currency", r.get(3)?, &r.get::<_, String>(4)?)?;
        let (due, status): (String, String) = (r.get(5)?, r.get(6)?);
        out.push(SearchHit {
            kind: Kind::Invoice,
            id,
            title: joined(&[&vendor, &number]),
            detail: joined(&[&money.to_string(), &format!("due {due}"), &status]),
        });
    }

    // latest due first, undated last
    let (mut st, p) = query(
        c,
        "t.id, t.subject, t.kind, t.status, t.due_date, t.due_at, coalesce(c.name, t.contact_name) \
         FROM tasks t LEFT JOIN contacts c ON c.id = t.contact_id",
        |f| super::tasks::search_sql(f, text),
        &format!("t.due_key = {UNDATED}, t.due_key DESC, t.id"),
        lim,
    )?;
    let mut rows = st.query(rusqlite::params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (kind, status): (String, String) = (r.get(2)?, r.get(3)?);
        let due_date: Option<String> = r.get(4)?;
        let due_at: Option<i64> = r.get(5)?;
        let who: String = r.get(6)?;
        let due = match (due_date, due_at) {
            (Some(d), _) => format!("due {d}"),
            (None, Some(t)) => format!("due {}", when(At::new("tasks", id), t, None, false)?),
            (None, None) => String::new(),
        };
        out.push(SearchHit {
            kind: Kind::Task,
            id,
            title: r.get(1)?,
            detail: joined(&[&kind, &who, &status, &due]),
        });
    }
    Ok(out)
}
