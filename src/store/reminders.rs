//! Reminders answered on a screen (schema v9): dismissed, or snoozed until an instant, by
//! event UID and occurrence start. A restart or a second screen on the same file reads them
//! with its reminder query, so an answered reminder does not fire again.
use super::keys::ts;
use super::{Result, Store, Tx};
use crate::domain::event::{REMINDER_ANSWER_KEPT_DAYS, ReminderAnswer};
use crate::domain::schedule::SeriesChange;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};

/// Every answer kept, by occurrence start then UID. A row whose instants are out of range
/// (damaged) is left out: it is an answer lost, the reminder may show again.
pub fn list(c: &Connection) -> Result<Vec<ReminderAnswer>> {
    let mut st = c.prepare_cached(
        "SELECT uid, start_at, snooze_until, answered_at FROM reminder_answers \
         ORDER BY start_at, uid",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (uid, start, until, at) = row?;
        let instant = |s: i64| DateTime::<Utc>::from_timestamp(s, 0);
        let (Some(start), Some(at)) = (instant(start), instant(at)) else {
            continue;
        };
        let until = match until.map(instant) {
            Some(None) => continue,
            Some(Some(u)) => Some(u),
            None => None,
        };
        out.push(ReminderAnswer {
            uid,
            start,
            until,
            at,
        });
    }
    Ok(out)
}

/// Keep `a`, replacing an earlier answer to the same occurrence (a later one already kept,
/// from another screen, stays), and drop the answers whose occurrence started more than
/// [`REMINDER_ANSWER_KEPT_DAYS`] before `a` was given.
pub fn answer(c: &Connection, a: &ReminderAnswer) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO reminder_answers (uid, start_at, snooze_until, answered_at) \
         VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (uid, start_at) DO UPDATE SET \
             snooze_until = excluded.snooze_until, answered_at = excluded.answered_at \
         WHERE excluded.answered_at >= answered_at",
    )?
    .execute(params![a.uid, ts(a.start), a.until.map(ts), ts(a.at)])?;
    prune(c, a.at)
}

/// Drop the answers whose occurrence started more than [`REMINDER_ANSWER_KEPT_DAYS`] before
/// `now`.
fn prune(c: &Connection, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached("DELETE FROM reminder_answers WHERE start_at < ?1")?
        .execute([ts(now - Duration::days(REMINDER_ANSWER_KEPT_DAYS))])?;
    Ok(())
}

/// A series split in two (this and following: the new part has a new UID): the answers
/// given to occurrences of `from` hold for the same occurrences of `to`. How many were copied.
pub fn carry(c: &Connection, from: &str, to: &str) -> Result<usize> {
    if from == to {
        return Ok(0);
    }
    Ok(c.prepare_cached(
        "INSERT INTO reminder_answers (uid, start_at, snooze_until, answered_at) \
         SELECT ?2, start_at, snooze_until, answered_at FROM reminder_answers WHERE uid = ?1 \
         ON CONFLICT (uid, start_at) DO NOTHING",
    )?
    .execute([from, to])?)
}

impl Tx<'_> {
    /// Keep a reminder's answer (see [`Store::answer_reminder`]).
    pub fn answer_reminder(&self, a: &ReminderAnswer) -> Result<()> {
        answer(&self.tx, a)
    }
    /// The answers kept (see [`Store::reminder_answers`]).
    pub fn reminder_answers(&self) -> Result<Vec<ReminderAnswer>> {
        list(&self.tx)
    }
    /// Copy the reminder answers of series `from` to series `to` (a split series' new part).
    pub fn carry_reminder_answers(&self, from: &str, to: &str) -> Result<usize> {
        carry(&self.tx, from, to)
    }
    /// After writing `change` (this and following: the old series updated, a new one with
    /// its own UID inserted): the new series keeps the reminders answered for the old one.
    pub fn carry_series_answers(&self, change: &SeriesChange) -> Result<()> {
        for old in &change.update {
            for new in &change.insert {
                carry(&self.tx, &old.uid, &new.uid)?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Keep a reminder's answer (dismissed, or snoozed until `a.until`) in one transaction,
    /// dropping the answers of occurrences more than two days past.
    pub fn answer_reminder(&self, a: &ReminderAnswer) -> Result<()> {
        self.write(|tx| tx.answer_reminder(a))
    }
    /// Every reminder answer kept, by occurrence start.
    pub fn reminder_answers(&self) -> Result<Vec<ReminderAnswer>> {
        list(&self.conn)
    }
}
