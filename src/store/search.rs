//! Search across every kind: one small indexed-key LIKE query per kind, `limit` hits each.
use super::keys::contains_pattern;
use super::row::At;
use super::{Result, SearchHit};
use crate::domain::Kind;
use rusqlite::{Connection, params};

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
    let p = contains_pattern(text);
    let lim = i64::from(limit);
    let mut out = Vec::new();

    let mut st = c.prepare_cached(
        "SELECT id, title, start_at, all_day, tz, location FROM events \
         WHERE search_key LIKE ?1 ESCAPE '\\' ORDER BY start_at DESC, id LIMIT ?2",
    )?;
    let mut rows = st.query(params![p, lim])?;
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

    let mut st = c.prepare_cached(
        "SELECT id, name, purpose, first_depart FROM trips \
         WHERE search_key LIKE ?1 ESCAPE '\\' ORDER BY first_depart DESC, id LIMIT ?2",
    )?;
    let mut rows = st.query(params![p, lim])?;
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

    let mut st = c.prepare_cached(
        "SELECT id, kind, provider, number, origin, destination, depart, depart_tz FROM segments \
         WHERE search_key LIKE ?1 ESCAPE '\\' ORDER BY depart DESC, id LIMIT ?2",
    )?;
    let mut rows = st.query(params![p, lim])?;
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

    let mut st = c.prepare_cached(
        "SELECT c.id, c.name, c.organization, \
           (SELECT value FROM contact_emails WHERE contact_id = c.id ORDER BY position LIMIT 1) \
         FROM contacts c WHERE c.search_key LIKE ?1 ESCAPE '\\' ORDER BY c.name_key, c.id LIMIT ?2",
    )?;
    let mut rows = st.query(params![p, lim])?;
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

    let mut st = c.prepare_cached(
        "SELECT i.id, coalesce(v.name, i.vendor_name), i.number, i.amount_minor, i.currency, \
           i.due_date, i.status \
         FROM invoices i LEFT JOIN contacts v ON v.id = i.vendor_id \
         WHERE i.search_key LIKE ?1 ESCAPE '\\' OR v.name_key LIKE ?1 ESCAPE '\\' \
         ORDER BY i.due_date DESC, i.id LIMIT ?2",
    )?;
    let mut rows = st.query(params![p, lim])?;
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

    let mut st = c.prepare_cached(
        "SELECT t.id, t.subject, t.kind, t.status, t.due_date, t.due_at, ifnull(c.name, '') \
         FROM tasks t LEFT JOIN contacts c ON c.id = t.contact_id \
         WHERE t.search_key LIKE ?1 ESCAPE '\\' OR c.name_key LIKE ?1 ESCAPE '\\' \
         ORDER BY t.due_key IS NULL, t.due_key DESC, t.id LIMIT ?2",
    )?;
    let mut rows = st.query(params![p, lim])?;
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
