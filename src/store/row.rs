//! Reading columns into domain values without panicking, and mapping SQLite constraint errors to
//! validation errors that name a field.
use super::keys::{DATE_FMT, LOCAL_FMT};
use super::{Result, StoreError};
use crate::domain::{Currency, Money, ValidationError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use rusqlite::types::Value;
use rusqlite::{CachedStatement, Connection};
use std::str::FromStr;

/// What a read does with a row it cannot turn into a record (a zone or date another tool wrote
/// wrong): the CLI fails, so a script never acts on a silently shortened list; the terminal UI
/// skips and counts it, so one bad row does not blank a whole pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damaged {
    Fail,
    Skip,
}

/// Read every row with `read` under the `damaged` policy: the records and how many rows were
/// skipped (always 0 with [`Damaged::Fail`]). A failing query is an error either way.
pub fn read_rows<T>(
    mut rows: rusqlite::Rows<'_>,
    damaged: Damaged,
    read: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<(Vec<T>, u64)> {
    let mut out = Vec::new();
    let mut skipped = 0;
    while let Some(r) = rows.next()? {
        match read(r) {
            Ok(x) => out.push(x),
            Err(e) if damaged == Damaged::Fail => return Err(e),
            Err(_) => skipped += 1,
        }
    }
    Ok((out, skipped))
}

/// Prepare a read query (a list, a count, a search). In the crate's tests, the query plan of
/// each one is recorded with its real parameters ([`plans::record`]), so the plan test checks
/// the SQL the store really runs.
pub fn prepare<'c>(
    c: &'c Connection,
    sql: &str,
    params: &[Value],
) -> rusqlite::Result<CachedStatement<'c>> {
    #[cfg(test)]
    plans::note(c, sql, params);
    #[cfg(not(test))]
    let _ = params;
    c.prepare_cached(sql)
}

/// Recording `EXPLAIN QUERY PLAN` of the queries run through [`prepare`] (tests only).
#[cfg(test)]
pub mod plans {
    use super::*;
    use std::cell::RefCell;

    /// One query and its plan lines.
    #[derive(Debug, Clone)]
    pub struct Plan {
        pub sql: String,
        pub lines: Vec<String>,
    }

    thread_local! {
        static RECORDING: RefCell<Option<Vec<Plan>>> = const { RefCell::new(None) };
    }

    pub(super) fn note(c: &Connection, sql: &str, params: &[Value]) {
        RECORDING.with(|r| {
            if let Some(plans) = r.borrow_mut().as_mut() {
                let mut st = c
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .expect("explain");
                let lines = st
                    .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                        r.get::<_, String>(3)
                    })
                    .expect("explain")
                    .map(|l| l.expect("plan line"))
                    .collect();
                plans.push(Plan {
                    sql: sql.to_string(),
                    lines,
                });
            }
        });
    }

    /// Run `f`, returning what it returned and the plans of the queries it ran.
    pub fn record<T>(f: impl FnOnce() -> T) -> (T, Vec<Plan>) {
        RECORDING.with(|r| *r.borrow_mut() = Some(Vec::new()));
        let out = f();
        let plans = RECORDING
            .with(|r| r.borrow_mut().take())
            .unwrap_or_default();
        (out, plans)
    }
}

/// Where a value came from, for Corrupt messages: "events id 7, column tz: ...".
#[derive(Clone, Copy)]
pub struct At {
    pub table: &'static str,
    pub id: i64,
}

impl At {
    pub fn new(table: &'static str, id: i64) -> At {
        At { table, id }
    }

    pub fn corrupt(self, column: &str, msg: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!(
            "{} id {}, column {column}: {msg}",
            self.table, self.id
        ))
    }

    pub fn parse<T: FromStr<Err = String>>(self, column: &str, s: &str) -> Result<T> {
        s.parse::<T>().map_err(|e| self.corrupt(column, e))
    }

    pub fn tz(self, column: &str, s: &str) -> Result<Tz> {
        s.parse::<Tz>()
            .map_err(|_| self.corrupt(column, format!("unknown time zone '{s}'")))
    }

    pub fn instant(self, column: &str, secs: i64) -> Result<DateTime<Utc>> {
        DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| self.corrupt(column, format!("timestamp {secs} out of range")))
    }

    pub fn opt_instant(self, column: &str, secs: Option<i64>) -> Result<Option<DateTime<Utc>>> {
        secs.map(|s| self.instant(column, s)).transpose()
    }

    pub fn date(self, column: &str, s: &str) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(s, DATE_FMT)
            .map_err(|_| self.corrupt(column, format!("'{s}' is not a date")))
    }

    pub fn opt_date(self, column: &str, s: Option<String>) -> Result<Option<NaiveDate>> {
        s.map(|s| self.date(column, &s)).transpose()
    }

    pub fn local(self, column: &str, s: &str) -> Result<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, LOCAL_FMT)
            .map_err(|_| self.corrupt(column, format!("'{s}' is not a local date-time")))
    }

    pub fn u32(self, column: &str, v: i64) -> Result<u32> {
        u32::try_from(v).map_err(|_| self.corrupt(column, format!("{v} is out of range")))
    }

    pub fn money(self, column: &str, minor: i64, currency: &str) -> Result<Money> {
        let c = Currency::parse(currency).map_err(|e| self.corrupt(column, e))?;
        Ok(Money::new(minor, c))
    }

    /// A JSON array of local date-times.
    pub fn local_list(self, column: &str, json: &str) -> Result<Vec<NaiveDateTime>> {
        let v: Vec<String> = serde_json::from_str(json)
            .map_err(|e| self.corrupt(column, format!("bad JSON: {e}")))?;
        v.iter().map(|s| self.local(column, s)).collect()
    }

    pub fn json<T: serde::de::DeserializeOwned>(self, column: &str, json: &str) -> Result<T> {
        serde_json::from_str(json).map_err(|e| self.corrupt(column, format!("bad JSON: {e}")))
    }
}

pub fn date_text(d: NaiveDate) -> String {
    d.format(DATE_FMT).to_string()
}

pub fn local_text(n: NaiveDateTime) -> String {
    n.format(LOCAL_FMT).to_string()
}

pub fn local_list_json(v: &[NaiveDateTime]) -> String {
    let texts: Vec<String> = v.iter().map(|n| local_text(*n)).collect();
    serde_json::to_string(&texts).unwrap_or_else(|_| "[]".to_string())
}

/// Which constraint an error broke, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    PrimaryKey,
    Unique,
    ForeignKey,
    Other,
}

pub fn constraint_of(e: &rusqlite::Error) -> Option<Constraint> {
    use rusqlite::ffi;
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Some(match f.extended_code {
                ffi::SQLITE_CONSTRAINT_PRIMARYKEY => Constraint::PrimaryKey,
                ffi::SQLITE_CONSTRAINT_UNIQUE => Constraint::Unique,
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Constraint::ForeignKey,
                _ => Constraint::Other,
            })
        }
        _ => None,
    }
}

/// Map a constraint failure to a validation error via `f`; other errors pass through.
pub fn on_constraint(
    e: rusqlite::Error,
    f: impl FnOnce(Constraint) -> Option<ValidationError>,
) -> StoreError {
    match constraint_of(&e).and_then(f) {
        Some(v) => StoreError::Invalid(v),
        None => StoreError::Sqlite(e),
    }
}

/// The id to insert: NULL (a fresh rowid) for 0.
pub fn id_value(id: i64) -> Value {
    if id == 0 {
        Value::Null
    } else {
        Value::Integer(id)
    }
}

/// The id of a row inserted into `table`, as SQL for parameter `?1` ([`id_value`]): the id
/// given (an undo puts a record back under its own), else one above every id the table ever
/// had. SQLite alone would hand a deleted last row's id to the next insert, and a screen, an
/// undo step or a script still holding the old id would then act on the new record. The
/// highest deleted id is kept in `id_high` (schema v8) by a trigger on delete.
pub fn new_id(table: &str) -> String {
    format!(
        "coalesce(?1, max(ifnull((SELECT hi FROM id_high WHERE tbl = '{table}'), 0), \
         ifnull((SELECT max(id) FROM {table}), 0)) + 1)"
    )
}

/// SQLite LIMIT: -1 means none.
pub fn limit_value(limit: Option<u32>) -> i64 {
    limit.map_or(-1, i64::from)
}

/// A WHERE clause built from optional filters, with positional parameters.
#[derive(Default)]
pub struct Filter {
    conds: Vec<String>,
    pub params: Vec<Value>,
}

impl Filter {
    /// Add a condition; `?` in it are numbered in order as parameters are pushed.
    pub fn cond(&mut self, sql: &str, params: impl IntoIterator<Item = Value>) {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut params = params.into_iter();
        for ch in sql.chars() {
            if ch == '?' {
                let Some(v) = params.next() else {
                    out.push(ch);
                    continue;
                };
                self.params.push(v);
                out.push_str(&format!("?{}", self.params.len()));
            } else {
                out.push(ch);
            }
        }
        self.conds.push(format!("({out})"));
    }

    /// A named parameter used several times: returns its `?N`.
    pub fn param(&mut self, v: Value) -> String {
        self.params.push(v);
        format!("?{}", self.params.len())
    }

    pub fn push_raw(&mut self, sql: String) {
        self.conds.push(format!("({sql})"));
    }

    pub fn where_sql(&self) -> String {
        if self.conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conds.join(" AND "))
        }
    }

    /// ` LIMIT ?n OFFSET ?m`
    pub fn page(&mut self, limit: Option<u32>, offset: u32) -> String {
        let l = self.param(Value::Integer(limit_value(limit)));
        let o = self.param(Value::Integer(i64::from(offset)));
        format!(" LIMIT {l} OFFSET {o}")
    }
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

pub fn int(i: i64) -> Value {
    Value::Integer(i)
}
