//! Correspondence tasks. A due is a date (`due_date`) or an instant (`due_at`); `due_key` orders
//! both (a date sorts at the end of its day in the database's [`due_zone`]; no due is
//! `UNDATED`, after every date). Each order
//! a pane pages in has an index whose columns are exactly its ORDER BY (schema v3), partial
//! for open tasks: the WHERE term `t.status <> 'done'` is written as that literal so SQLite
//! can use them.
use super::keys::{self, UNDATED, ZONE_SLACK, date_due_key, date_due_key_in, ts};
use super::row::{
    At, Constraint, Damaged, Filter, date_text, id_value, int, on_constraint, prepare, read_rows,
    text,
};
use super::{Result, StoreError, TaskOrder, TaskQuery};
use crate::domain::event::local_midnight;
use crate::domain::{Due, Task, TaskStatus, ValidationError};
use rusqlite::Connection;
use rusqlite::types::Value;

/// The counterpart's name is the contact's as it is now, else the one the task kept (schema
/// v5: the contact was deleted): `coalesce(c.name, t.contact_name)`.
const COLS: &str = "t.id, t.kind, t.direction, t.contact_id, coalesce(c.name, t.contact_name), t.subject, \
    t.notes, t.due_date, t.due_at, t.priority, t.status, t.snoozed_until, t.delegated_to, \
    t.created, t.done_at";
const FROM: &str = "tasks t LEFT JOIN contacts c ON c.id = t.contact_id";
/// Must read exactly as in the v3 indexes (`CASE priority WHEN ...`) for SQLite to match them.
const PRIORITY_RANK: &str = "CASE t.priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END";
/// The partial indexes' condition, as a literal (a bound parameter would hide it).
const OPEN: &str = "t.status <> 'done'";

fn read(r: &rusqlite::Row<'_>) -> Result<Task> {
    let id: i64 = r.get(0)?;
    let at = At::new("tasks", id);
    let due_date: Option<String> = r.get(7)?;
    let due_at: Option<i64> = r.get(8)?;
    let due = match (due_date, due_at) {
        (Some(d), None) => Some(Due::Date(at.date("due_date", &d)?)),
        (None, Some(t)) => Some(Due::At(at.instant("due_at", t)?)),
        (None, None) => None,
        (Some(_), Some(_)) => return Err(at.corrupt("due_at", "both a due date and instant")),
    };
    Ok(Task {
        id,
        kind: at.parse("kind", &r.get::<_, String>(1)?)?,
        direction: at.parse("direction", &r.get::<_, String>(2)?)?,
        contact_id: r.get(3)?,
        contact_name: r.get(4)?,
        subject: r.get(5)?,
        notes: r.get(6)?,
        due,
        priority: at.parse("priority", &r.get::<_, String>(9)?)?,
        status: at.parse("status", &r.get::<_, String>(10)?)?,
        snoozed_until: at.opt_instant("snoozed_until", r.get(11)?)?,
        delegated_to: r.get(12)?,
        created: at.instant("created", r.get(13)?)?,
        done_at: at.opt_instant("done_at", r.get(14)?)?,
    })
}

pub fn get(c: &Connection, id: i64) -> Result<Task> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM {FROM} WHERE t.id = ?1"))?;
    let mut rows = st.query([id])?;
    match rows.next()? {
        Some(r) => read(r),
        None => Err(StoreError::NotFound { kind: "task", id }),
    }
}

fn filter(q: &TaskQuery) -> Filter {
    let mut f = Filter::default();
    if let Some(s) = q.status {
        f.cond("t.status = ?", [text(s.as_str())]);
    }
    if q.open_only {
        debug_assert_eq!(TaskStatus::Done.as_str(), "done");
        f.push_raw(OPEN.to_string());
    }
    if let Some(d) = q.due_from {
        let tz = q.tz.unwrap_or(chrono_tz::UTC);
        let midnight = ts(local_midnight(d, tz));
        // the lowest due_key that can qualify, for the index range (a date's key is the end of
        // that day in the zone the keys were made in: within ZONE_SLACK of the UTC one)
        let bound = (date_due_key(d) - ZONE_SLACK).min(midnight);
        let (pb, pd, pm) = (
            f.param(int(bound)),
            f.param(text(&date_text(d))),
            f.param(int(midnight)),
        );
        let pu = f.param(int(UNDATED));
        f.push_raw(format!(
            "t.due_key >= {pb} AND t.due_key < {pu} \
             AND ((t.due_date IS NOT NULL AND t.due_date >= {pd}) \
             OR (t.due_at IS NOT NULL AND t.due_at >= {pm}))"
        ));
    }
    if let Some(d) = q.due_to {
        let tz = q.tz.unwrap_or(chrono_tz::UTC);
        let next = d.succ_opt().unwrap_or(d);
        let midnight = ts(local_midnight(next, tz));
        let bound = (date_due_key(d) + ZONE_SLACK).max(midnight - 1);
        let (pb, pd, pm) = (
            f.param(int(bound)),
            f.param(text(&date_text(d))),
            f.param(int(midnight)),
        );
        f.push_raw(format!(
            "t.due_key <= {pb} AND ((t.due_date IS NOT NULL AND t.due_date <= {pd}) \
             OR (t.due_at IS NOT NULL AND t.due_at < {pm}))"
        ));
    }
    if let Some(id) = q.contact_id {
        f.cond("t.contact_id = ?", [int(id)]);
    }
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let cond = search_sql(&mut f, s);
        f.push_raw(cond);
    }
    f
}

/// The task's key, or its contact's name, contains `s` (also used by `search_all`).
pub fn search_sql(f: &mut Filter, s: &str) -> String {
    keys::own_or_contact_sql(
        f,
        s,
        ("t.id", "tasks_fts", "t.search_key"),
        ("t.contact_id", "c.name_key"),
    )
}

/// The ORDER BY of each order: every one has an index (schema v3).
fn order_sql(o: TaskOrder) -> String {
    match o {
        TaskOrder::Due => format!("t.due_key, {PRIORITY_RANK}, t.id"),
        TaskOrder::Priority => format!("{PRIORITY_RANK}, t.due_key, t.id"),
        TaskOrder::Kind => "t.kind, t.due_key, t.id".to_string(),
        TaskOrder::Created => "t.created, t.id".to_string(),
    }
}

pub fn list(c: &Connection, q: &TaskQuery) -> Result<Vec<Task>> {
    Ok(list_rows(c, q, Damaged::Fail)?.0)
}

/// [`list`], skipping rows that cannot be read (for the terminal UI): the tasks and how many
/// rows were skipped.
pub fn list_lenient(c: &Connection, q: &TaskQuery) -> Result<(Vec<Task>, u64)> {
    list_rows(c, q, Damaged::Skip)
}

fn list_rows(c: &Connection, q: &TaskQuery, damaged: Damaged) -> Result<(Vec<Task>, u64)> {
    let mut f = filter(q);
    let page = f.page(q.limit, q.offset);
    let sql = format!(
        "SELECT {COLS} FROM {FROM}{} ORDER BY {}{page}",
        f.where_sql(),
        order_sql(q.order)
    );
    let mut st = prepare(c, &sql, &f.params)?;
    read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        damaged,
        read,
    )
}

pub fn count(c: &Connection, q: &TaskQuery) -> Result<u64> {
    let f = filter(q);
    // the contact's row is needed only to match its name
    let searching = q.search.as_deref().is_some_and(|s| !s.trim().is_empty());
    let from = if searching { FROM } else { "tasks t" };
    let sql = format!("SELECT count(*) FROM {from}{}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    let n: i64 = st.query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

const UPSERT_COLS: &str = "kind, direction, contact_id, subject, notes, due_date, due_at, \
    due_key, priority, status, snoozed_until, delegated_to, created, done_at, search_key, \
    contact_name";

/// The `contact_name` written: a linked task takes its contact's name as it is now (`?4` is
/// `contact_id` in both statements below), an unlinked one keeps the name it carries.
const CONTACT_NAME_SQL: &str = "ifnull((SELECT name FROM contacts WHERE id = ?4), ?17)";

/// The row's values; a date-only due is keyed at the end of that day in `zone` (the
/// database's [`due_zone`]).
fn values(t: &Task, zone: chrono_tz::Tz) -> Vec<Value> {
    let (due_date, due_at, due_key) = match t.due {
        Some(Due::Date(d)) => (
            text(&date_text(d)),
            Value::Null,
            int(date_due_key_in(d, zone)),
        ),
        Some(Due::At(a)) => (Value::Null, int(ts(a)), int(ts(a))),
        None => (Value::Null, Value::Null, int(UNDATED)),
    };
    vec![
        text(t.kind.as_str()),
        text(t.direction.as_str()),
        t.contact_id.map_or(Value::Null, int),
        text(&t.subject),
        text(&t.notes),
        due_date,
        due_at,
        due_key,
        text(t.priority.as_str()),
        text(t.status.as_str()),
        t.snoozed_until.map_or(Value::Null, |s| int(ts(s))),
        text(&t.delegated_to),
        int(ts(t.created)),
        t.done_at.map_or(Value::Null, |d| int(ts(d))),
        text(&keys::task_key(&t.subject, &t.notes, &t.delegated_to)),
        // linked: the contact's own name is written (CONTACT_NAME_SQL)
        text(if t.contact_id.is_some() {
            ""
        } else {
            &t.contact_name
        }),
    ]
}

fn key_error(t: &Task, k: Constraint) -> Option<ValidationError> {
    match k {
        Constraint::ForeignKey => Some(ValidationError::new(
            "contact",
            format!("no contact with id {}", t.contact_id.unwrap_or_default()),
        )),
        Constraint::PrimaryKey => Some(ValidationError::new(
            "id",
            format!("task {} already exists", t.id),
        )),
        _ => None,
    }
}

pub fn insert(c: &Connection, t: &Task) -> Result<i64> {
    t.validate()?;
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO tasks (id, {UPSERT_COLS}) \
         VALUES ({id}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
         {CONTACT_NAME_SQL})",
        id = super::row::new_id("tasks")
    ))?;
    let mut vals = vec![id_value(t.id)];
    vals.extend(values(t, due_zone(c)?));
    st.execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| key_error(t, k)))?;
    let id = c.last_insert_rowid();
    c.prepare_cached("UPDATE tasks SET modified = unixepoch() WHERE id = ?1")?
        .execute([id])?;
    Ok(id)
}

/// SEQUENCE/LAST-MODIFIED of a task for calendar export.
pub fn revision(c: &Connection, id: i64) -> Result<crate::domain::schedule::Revision> {
    super::travel::revision_of(c, "tasks", id)
}

pub fn update(c: &Connection, t: &Task) -> Result<()> {
    t.validate()?;
    // Only a change raises the revision (schema v3).
    let zone = due_zone(c)?;
    let changed = values(&get(c, t.id)?, zone) != values(t, zone);
    let sets: Vec<String> = UPSERT_COLS
        .split(',')
        .enumerate()
        .map(|(n, col)| match col.trim() {
            "contact_name" => format!("contact_name = {CONTACT_NAME_SQL}"),
            col => format!("{col} = ?{}", n + 2),
        })
        .collect();
    let mut st = c.prepare_cached(&format!(
        "UPDATE tasks SET {} WHERE id = ?1",
        sets.join(", ")
    ))?;
    let mut vals = vec![int(t.id)];
    vals.extend(values(t, zone));
    let n = st
        .execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| key_error(t, k)))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            kind: "task",
            id: t.id,
        });
    }
    if changed {
        super::travel::bump_revision(c, "tasks", t.id)?;
    }
    Ok(())
}

pub fn delete(c: &Connection, id: i64) -> Result<Task> {
    let t = get(c, id)?;
    c.prepare_cached("DELETE FROM tasks WHERE id = ?1")?
        .execute([id])?;
    Ok(t)
}

// ---------------------------------------------------------------------------------------------
// Triage (the TUI's Today): overdue and due-today tasks as `Task::is_overdue` decides, snoozed
// tasks left out, so the counts and the lists agree with what Today shows.

/// Which of the day's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Triage {
    /// Not done, not snoozed, due on a day before `day` or at an instant before `now`.
    Overdue,
    /// Not done, not snoozed, due on `day` (a date, or an instant from `now` to midnight).
    DueToday,
}

#[derive(Debug, Clone)]
pub struct TriageQuery {
    pub which: Triage,
    /// Today in `tz`.
    pub day: chrono::NaiveDate,
    pub now: chrono::DateTime<chrono::Utc>,
    pub tz: chrono_tz::Tz,
    /// Substring of subject, notes, delegated-to or the contact's name.
    pub search: Option<String>,
    pub order: TaskOrder,
    pub limit: Option<u32>,
    pub offset: u32,
}

fn triage_filter(q: &TriageQuery) -> Filter {
    let mut f = filter(&TaskQuery {
        open_only: true,
        search: q.search.clone(),
        ..Default::default()
    });
    let now = ts(q.now);
    let next = q.day.succ_opt().unwrap_or(q.day);
    let midnight = ts(local_midnight(next, q.tz));
    let p_now = f.param(int(now));
    f.push_raw(format!(
        "t.snoozed_until IS NULL OR t.snoozed_until <= {p_now}"
    ));
    let day = f.param(text(&date_text(q.day)));
    match q.which {
        Triage::Overdue => {
            let prev = q.day.pred_opt().unwrap_or(q.day);
            let bound = f.param(int((date_due_key(prev) + ZONE_SLACK).max(now - 1)));
            f.push_raw(format!(
                "t.due_key <= {bound} AND ((t.due_date IS NOT NULL AND t.due_date < {day}) \
                 OR (t.due_at IS NOT NULL AND t.due_at < {p_now}))"
            ));
        }
        Triage::DueToday => {
            let lo = f.param(int((date_due_key(q.day) - ZONE_SLACK).min(now)));
            let hi = f.param(int((date_due_key(q.day) + ZONE_SLACK).max(midnight - 1)));
            let p_mid = f.param(int(midnight));
            f.push_raw(format!(
                "t.due_key >= {lo} AND t.due_key <= {hi} AND (t.due_date = {day} \
                 OR (t.due_at IS NOT NULL AND t.due_at >= {p_now} AND t.due_at < {p_mid}))"
            ));
        }
    }
    f
}

/// A triage group is a due range of open tasks, whatever its order: read through the open-tasks
/// due index (then a few rows are sorted by priority), never by walking the priority index
/// over every open task, which SQLite's estimates may prefer for an open-ended range.
const TRIAGE_FROM: &str =
    "tasks t INDEXED BY tasks_open_due LEFT JOIN contacts c ON c.id = t.contact_id";

/// The tasks of one triage group in `q.order`; rows that cannot be read are skipped and
/// counted.
pub fn list_triage(c: &Connection, q: &TriageQuery) -> Result<(Vec<Task>, u64)> {
    let mut f = triage_filter(q);
    let page = f.page(q.limit, q.offset);
    let sql = format!(
        "SELECT {COLS} FROM {TRIAGE_FROM}{} ORDER BY {}{page}",
        f.where_sql(),
        order_sql(q.order)
    );
    let mut st = prepare(c, &sql, &f.params)?;
    read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        Damaged::Skip,
        read,
    )
}

pub fn count_triage(c: &Connection, q: &TriageQuery) -> Result<u64> {
    let f = triage_filter(q);
    let sql = format!("SELECT count(*) FROM {TRIAGE_FROM}{}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    let n: i64 = st.query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

// ---------------------------------------------------------------------------------------------
// The zone of the due keys (schema v7)

/// The `settings` key naming the zone date-only dues are keyed in.
const DUE_ZONE: &str = "due_zone";

/// The zone the keys of date-only dues are made in: the `due_zone` setting, UTC when there is
/// none (keys written before v7, or never re-keyed). A zone name this build does not know
/// counts as UTC (the next [`use_zone`] re-keys).
pub fn due_zone(c: &Connection) -> Result<chrono_tz::Tz> {
    let mut st = c.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
    let v: Option<String> =
        st.query_row([DUE_ZONE], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
    Ok(v.and_then(|z| z.parse().ok()).unwrap_or(chrono_tz::UTC))
}

/// Key date-only dues in `tz` from now on: when the keys were made in another zone, every
/// date-only due is keyed again, in the caller's transaction, and `tz` is remembered. Whether
/// anything was re-keyed.
pub fn use_zone(c: &Connection, tz: chrono_tz::Tz) -> Result<bool> {
    if due_zone(c)? == tz {
        return Ok(false);
    }
    {
        let mut read = c.prepare("SELECT id, due_date FROM tasks WHERE due_date IS NOT NULL")?;
        let mut write = c.prepare("UPDATE tasks SET due_key = ?2 WHERE id = ?1")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let (id, d): (i64, String) = (r.get(0)?, r.get(1)?);
            // a damaged date keeps its key: the row is skipped where it is listed anyway
            if let Ok(day) = chrono::NaiveDate::parse_from_str(&d, keys::DATE_FMT) {
                write.execute(rusqlite::params![id, date_due_key_in(day, tz)])?;
            }
        }
    }
    c.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([DUE_ZONE, tz.name()])?;
    Ok(true)
}

impl super::Store {
    /// Order tasks' due days in `tz` (the configured zone): when the keys of date-only dues
    /// were made in another zone they are made again, every such task in one transaction, and
    /// the zone is remembered. Whether they were. Only a read when the zone is the same.
    pub fn use_zone(&self, tz: chrono_tz::Tz) -> Result<bool> {
        if due_zone(&self.conn)? == tz {
            return Ok(false);
        }
        self.write(|tx| use_zone(&tx.tx, tz))
    }
}
