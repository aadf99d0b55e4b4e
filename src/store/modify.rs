//! Read-modify-write of one record without losing a concurrent change.
//!
//! Two ways in, for the two kinds of caller:
//! - [`Store::modify`]: the CLI reads a row, changes it and writes it back inside ONE
//!   `BEGIN IMMEDIATE` transaction, so no other writer can commit in between;
//! - [`Store::update_from`]: the UI loaded a row long ago (a form was open for minutes). It
//!   sends the row as it was loaded and as the user left it; inside one transaction the
//!   current row is read and only the fields the user changed are written over it, so a
//!   change made meanwhile by another process (the CLI, a second UI) stays.
use super::{Result, Store, StoreError, Tx};
use crate::domain::recurrence::event_zone;
use crate::domain::{Contact, Event, Invoice, Segment, Task, Trip, ValidationError};
use chrono::NaiveDate;

/// A kind of record that can be read, merged and written back by id.
pub trait Stored: Clone + PartialEq + Sized {
    fn load(tx: &Tx<'_>, id: i64) -> Result<Self>;
    /// Validates, then writes the whole row.
    fn save(tx: &Tx<'_>, r: &Self) -> Result<()>;
    fn row_id(&self) -> i64;
    /// Write into `current` every field that `after` changed from `before`; the other fields
    /// stay as `current` has them.
    fn merge(current: &mut Self, before: &Self, after: &Self);
    /// Whether `a` and `b` hold the same data, bookkeeping aside (an event's SEQUENCE and
    /// LAST-MODIFIED, which an edit raises even when it changed nothing else).
    fn same_content(a: &Self, b: &Self) -> bool {
        a == b
    }
    /// Undo a change over the row as it is now: for each field `after` changed from `before`,
    /// put `before`'s value back into `current` if `current` still holds `after`'s. Returns the
    /// names of the fields changed elsewhere since (left as `current` has them).
    fn revert(current: &mut Self, before: &Self, after: &Self) -> Vec<&'static str>;
    /// Bookkeeping for a row an undo changed (an event's SEQUENCE and LAST-MODIFIED rise over
    /// `was`, the row before the undo, so calendar clients take it).
    fn bump(&mut self, was: &Self, now: chrono::DateTime<chrono::Utc>) {
        let _ = (was, now);
    }
}

/// What [`Store::modify`] did: the row as read and as written (equal when nothing changed,
/// and then nothing was written).
#[derive(Debug, Clone)]
pub struct Modified<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Modified<T> {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

impl Store {
    /// Load record `id`, let `f` change it (it may also read and write other rows through the
    /// `Tx`), and write it back if it changed, all in one IMMEDIATE transaction. An error from
    /// `f` or from validation rolls everything back.
    pub fn modify<T: Stored, E: From<StoreError>>(
        &self,
        id: i64,
        f: impl FnOnce(&Tx<'_>, &mut T) -> std::result::Result<(), E>,
    ) -> std::result::Result<Modified<T>, E> {
        self.write_with(|tx| {
            let before = T::load(tx, id)?;
            let mut after = before.clone();
            f(tx, &mut after)?;
            if after != before {
                T::save(tx, &after)?;
            }
            Ok(Modified { before, after })
        })
    }

    /// Write `after` over the record `before` was loaded from, keeping what changed in the
    /// database meanwhile: in one transaction, the fields `after` changed from `before` are
    /// written over the current row. Returns the record as written (the current one when
    /// nothing differs: an edit that changed no value writes nothing, not even a new SEQUENCE).
    pub fn update_from<T: Stored>(&self, before: &T, after: &T) -> Result<T> {
        Ok(self.update_from_undoable(before, after)?.after)
    }

    /// [`Store::update_from`], returning what undo needs: the row just before the write and as
    /// read back after it (equal when nothing was written), from the same transaction.
    pub fn update_from_undoable<T: Stored>(&self, before: &T, after: &T) -> Result<Modified<T>> {
        Ok(self.update_from_with(before, after, |_, _, _| Ok(()))?.0)
    }

    /// [`Store::update_from_undoable`] for an event: a whole series whose start moved takes its
    /// exceptions with it (`Tx::move_series_exceptions`) in the same transaction. Returns the
    /// event's undo images and each moved override as it was and as written.
    pub fn update_event_from(
        &self,
        before: &Event,
        after: &Event,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(Modified<Event>, Vec<Modified<Event>>)> {
        self.update_from_with(before, after, |tx, current, merged| {
            tx.move_series_exceptions(current, merged, now)
        })
    }

    /// The merge of [`Store::update_from_undoable`]; `also` runs in the transaction, after the
    /// merge and before the write, with the current row and the one about to be written (it
    /// may change that and write other rows), only when something is written.
    fn update_from_with<T: Stored, R: Default>(
        &self,
        before: &T,
        after: &T,
        also: impl FnOnce(&Tx<'_>, &T, &mut T) -> Result<R>,
    ) -> Result<(Modified<T>, R)> {
        self.write(|tx| {
            let current = T::load(tx, after.row_id())?;
            let unchanged = |current: T| {
                Ok((
                    Modified {
                        before: current.clone(),
                        after: current,
                    },
                    R::default(),
                ))
            };
            if T::same_content(before, after) {
                return unchanged(current);
            }
            let mut merged = if current == *before {
                after.clone()
            } else {
                let mut m = current.clone();
                T::merge(&mut m, before, after);
                m
            };
            if merged == current {
                return unchanged(current);
            }
            let extra = also(tx, &current, &mut merged)?;
            T::save(tx, &merged)?;
            // read back: what the row holds now (joined names, new segment ids)
            let written = T::load(tx, after.row_id())?;
            Ok((
                Modified {
                    before: current,
                    after: written,
                },
                extra,
            ))
        })
    }

    /// Undo a change made by [`Store::update_from_undoable`] (`before` and `after` as it
    /// returned them), in one transaction, over the row as it is now: only the fields that
    /// change set are put back, and one changed elsewhere since is left as it is and named in
    /// [`Reverted::kept`]. A row deleted since is [`StoreError::NotFound`].
    pub fn revert<T: Stored>(
        &self,
        before: &T,
        after: &T,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Reverted<T>> {
        self.write(|tx| tx.revert(before, after, now))
    }
}

/// What [`Store::revert`] did: the row as written and the fields it left alone because they
/// were changed elsewhere after the change being undone.
#[derive(Debug, Clone)]
pub struct Reverted<T> {
    pub record: T,
    pub kept: Vec<&'static str>,
}

impl Tx<'_> {
    /// [`Store::revert`] inside a transaction (several rows undone together).
    pub fn revert<T: Stored>(
        &self,
        before: &T,
        after: &T,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Reverted<T>> {
        let current = T::load(self, after.row_id())?;
        let mut m = current.clone();
        let kept = T::revert(&mut m, before, after);
        if m != current {
            m.bump(&current, now);
            T::save(self, &m)?;
        }
        Ok(Reverted { record: m, kept })
    }

    /// A whole series moves from `old` (the row as stored) to `new` (about to be written):
    /// its EXDATEs in `new` and its overrides' RECURRENCE-IDs move by the same local amount
    /// (`domain::schedule::shift_exceptions`, the one rule for the TUI and the CLI), the
    /// overrides written here. Returns each moved override as it was and as written. Nothing
    /// happens unless the edit moves the series' start with its rule, zone and kind unchanged.
    pub fn move_series_exceptions(
        &self,
        old: &Event,
        new: &mut Event,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Modified<Event>>> {
        use crate::domain::schedule::{series_move, shift_exceptions};
        if series_move(old, new).is_none() {
            return Ok(Vec::new());
        }
        let mut series = self.list_series(&old.uid)?;
        let (parts, prev) = self.keep_split_parts_apart(new, now)?;
        // the series split from it, whose first start its end stays before
        series.extend(parts);
        let mut out: Vec<Modified<Event>> = prev.into_iter().collect();
        for o in shift_exceptions(old, new, &series, now) {
            let Some(was) = series.iter().find(|x| x.id == o.id).cloned() else {
                continue;
            };
            self.update_event(&o)?;
            out.push(Modified {
                before: was,
                after: self.get_event(o.id)?,
            });
        }
        Ok(out)
    }

    /// The two parts of a split series never overlap: `new`, a whole series about to be
    /// written at a new start, must start before the day the series split from it starts (an
    /// error naming it otherwise), and when it is itself the second part of a split, the
    /// first part's end moves to run until the day it now starts (written here; its undo
    /// images returned), or the move is refused when the first part would start after it.
    /// Returns the series split from `new` (for `shift_exceptions`) and that first part.
    pub fn keep_split_parts_apart(
        &self,
        new: &Event,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(Vec<Event>, Option<Modified<Event>>)> {
        use crate::domain::recurrence::local_start;
        use crate::domain::schedule::{run_until_day, split_from, start_day};
        let new_day = local_start(new).date();
        let parts = self.split_parts(&new.uid)?;
        self.starts_before_parts(new, new_day, &parts, "this series continues as event")?;
        let mut moved = None;
        if let Some(prev_uid) = split_from(&new.extra_ics)
            && let Some(prev) = self.find_event_by_uid(prev_uid, None)?
            && prev.rrule.is_some()
        {
            let Some(rule) = run_until_day(&prev, new_day) else {
                return Err(ValidationError::new(
                    "start",
                    format!(
                        "this series continues event {} '{}', which starts on {}: give a start after that day",
                        prev.id,
                        prev.title,
                        start_day(&prev, event_zone(new)).format("%a %-d %b %Y")
                    ),
                )
                .into());
            };
            if prev.rrule.as_deref() != Some(rule.as_str()) {
                let mut p = prev.clone();
                p.rrule = Some(rule);
                p.touch(now);
                self.update_event(&p)?;
                moved = Some(Modified {
                    before: prev,
                    after: self.get_event(p.id)?,
                });
            }
        }
        Ok((parts, moved))
    }

    /// An error naming the earliest of `parts` (series split from the one `e` belongs to)
    /// when `day`, the day `e` starts, is on or after that part's first day.
    fn starts_before_parts(
        &self,
        e: &Event,
        day: NaiveDate,
        parts: &[Event],
        what: &str,
    ) -> Result<()> {
        use crate::domain::schedule::start_day;
        let zone = event_zone(e);
        let Some(next) = parts
            .iter()
            .filter(|q| q.uid != e.uid)
            .min_by_key(|q| start_day(q, zone))
        else {
            return Ok(());
        };
        let next_day = start_day(next, zone);
        if day < next_day {
            return Ok(());
        }
        Err(ValidationError::new(
            "start",
            format!(
                "{what} {} '{}' from {}: give a start before that day",
                next.id,
                next.title,
                next_day.format("%a %-d %b %Y")
            ),
        )
        .into())
    }

    /// [`Tx::keep_split_parts_apart`] for each whole series a series change (an occurrence
    /// edit, "this and following" from a first occurrence) moves, and a new part it adds
    /// starts before the day any part already split from the same series starts; call
    /// before writing the change.
    pub fn keep_changed_split_parts_apart(
        &self,
        change: &crate::domain::schedule::SeriesChange,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Modified<Event>>> {
        use crate::domain::recurrence::{is_recurring, local_start};
        use crate::domain::schedule::split_from;
        for n in change.insert.iter().filter(|e| e.recurrence_id.is_none()) {
            if let Some(prev) = split_from(&n.extra_ics) {
                let parts = self.split_parts(prev)?;
                let day = local_start(n).date();
                self.starts_before_parts(
                    n,
                    day,
                    &parts,
                    "the new part would start where the series already continues as event",
                )?;
            }
        }
        let mut out = Vec::new();
        for e in change
            .update
            .iter()
            .filter(|e| e.id != 0 && e.recurrence_id.is_none())
        {
            let old = self.get_event(e.id)?;
            // its start moved (its rule's end may have moved with it)
            if is_recurring(e) && local_start(&old) != local_start(e) {
                out.extend(self.keep_split_parts_apart(e, now)?.1);
            }
        }
        Ok(out)
    }
}

/// Copy each listed field that `after` changed from `before` into `current`. The pattern
/// names every field of the struct, so a field added later fails to compile until it is
/// listed here (merged) or in `keep` (handled by the caller).
macro_rules! merge_fields {
    ($ty:ident, $current:expr, $before:expr, $after:expr; [$($f:ident),* $(,)?] keep [$($k:ident),* $(,)?]) => {{
        let $ty { $($f: _,)* $($k: _,)* } = $after;
        $(
            if $after.$f != $before.$f {
                $current.$f = $after.$f.clone();
            }
        )*
    }};
}

/// For each listed field that `after` changed from `before`: put `before`'s value back into
/// `current` when it still holds `after`'s; collect the names of those changed since. Like
/// [`merge_fields`], the pattern names every field, so a new field must be listed.
macro_rules! revert_fields {
    ($ty:ident, $current:expr, $before:expr, $after:expr; [$($f:ident),* $(,)?] keep [$($k:ident),* $(,)?]) => {{
        let $ty { $($f: _,)* $($k: _,)* } = $after;
        let mut kept: Vec<&'static str> = Vec::new();
        $(
            if $after.$f != $before.$f {
                if $current.$f == $after.$f {
                    $current.$f = $before.$f.clone();
                } else if $current.$f != $before.$f {
                    kept.push(stringify!($f));
                }
            }
        )*
        kept
    }};
}

macro_rules! stored {
    ($ty:ident, $get:ident, $update:ident, [$($f:ident),* $(,)?]) => {
        impl Stored for $ty {
            fn load(tx: &Tx<'_>, id: i64) -> Result<Self> {
                tx.$get(id)
            }
            fn save(tx: &Tx<'_>, r: &Self) -> Result<()> {
                tx.$update(r)
            }
            fn row_id(&self) -> i64 {
                self.id
            }
            fn merge(current: &mut Self, before: &Self, after: &Self) {
                merge_fields!($ty, current, before, after; [$($f),*] keep [id]);
            }
            fn revert(current: &mut Self, before: &Self, after: &Self) -> Vec<&'static str> {
                revert_fields!($ty, current, before, after; [$($f),*] keep [id])
            }
        }
    };
}

stored!(
    Task,
    get_task,
    update_task,
    [
        kind,
        direction,
        contact_id,
        contact_name,
        subject,
        notes,
        due,
        priority,
        status,
        snoozed_until,
        delegated_to,
        created,
        done_at,
    ]
);
stored!(
    Invoice,
    get_invoice,
    update_invoice,
    [
        vendor_id,
        vendor_name,
        number,
        issue_date,
        due_date,
        amount,
        status,
        paid_date,
        payment_ref,
        document_path,
        notes,
    ]
);
stored!(
    Contact,
    get_contact,
    update_contact,
    [
        uid,
        name,
        organization,
        title,
        emails,
        phones,
        address,
        tags,
        notes,
        last_contacted,
        birthday,
    ]
);
stored!(
    Trip,
    get_trip,
    update_trip,
    [name, purpose, notes, segments]
);
stored!(
    Segment,
    get_segment,
    update_segment,
    [
        trip_id,
        uid,
        kind,
        provider,
        number,
        confirmation,
        origin,
        destination,
        depart,
        depart_tz,
        arrive,
        arrive_tz,
        seat,
        cost,
        status,
        notes,
    ]
);

impl Stored for Event {
    fn load(tx: &Tx<'_>, id: i64) -> Result<Self> {
        tx.get_event(id)
    }
    fn save(tx: &Tx<'_>, r: &Self) -> Result<()> {
        tx.update_event(r)
    }
    fn row_id(&self) -> i64 {
        self.id
    }
    fn same_content(a: &Self, b: &Self) -> bool {
        let mut b = b.clone();
        b.sequence = a.sequence;
        b.updated = a.updated;
        *a == b
    }
    /// Also keeps SEQUENCE rising: a change raised it from `before`, so the result is above
    /// what the database holds now (another edit may have raised it too), or calendar
    /// clients would not take the update.
    fn merge(current: &mut Self, before: &Self, after: &Self) {
        let was = current.clone();
        merge_fields!(Event, current, before, after; [
            uid, title, time, location, notes, category, status, attendees, reminder_minutes,
            rrule, exdates, rdates, recurrence_id, created, extra_ics,
        ] keep [id, sequence, updated]);
        if *current != was {
            let raised = after.sequence.saturating_sub(before.sequence);
            current.sequence = was.sequence.saturating_add(raised).max(after.sequence);
            current.updated = was.updated.max(after.updated);
        }
    }
    fn revert(current: &mut Self, before: &Self, after: &Self) -> Vec<&'static str> {
        revert_fields!(Event, current, before, after; [
            uid, title, time, location, notes, category, status, attendees, reminder_minutes,
            rrule, exdates, rdates, recurrence_id, created, extra_ics,
        ] keep [id, sequence, updated])
    }
    /// An undone change is a change: SEQUENCE rises above what the row held.
    fn bump(&mut self, was: &Self, now: chrono::DateTime<chrono::Utc>) {
        self.sequence = was.sequence.saturating_add(1);
        self.updated = was.updated.max(now);
    }
}

#[cfg(test)]
mod revert_tests {
    use super::*;
    use crate::domain::EventTime;
    use chrono::{Duration, TimeZone, Utc};

    fn event(s: &Store) -> Event {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut e = Event::new(
            "Board",
            EventTime::Timed {
                start,
                end: start + Duration::hours(1),
                tz: chrono_tz::Europe::Stockholm,
            },
            start,
        );
        e.uid = "board@test".into();
        let id = s.insert_event(&e).unwrap();
        s.get_event(id).unwrap()
    }

    #[test]
    fn revert_puts_back_only_our_fields_keeps_later_changes_and_raises_sequence() {
        let s = Store::open_in_memory().unwrap();
        let loaded = event(&s);
        let mut edit = loaded.clone();
        edit.title = "Board (moved)".into();
        edit.location = "Room B".into();
        edit.touch(loaded.updated);
        let m = s.update_from_undoable(&loaded, &edit).unwrap();
        assert_eq!(m.before, loaded, "the row just before the write");
        assert_eq!(m.after.title, "Board (moved)");
        // elsewhere: notes (not ours) and location (ours) change after the step
        let mut other = s.get_event(loaded.id).unwrap();
        other.notes = "agenda attached".into();
        other.location = "Room C".into();
        other.touch(loaded.updated);
        s.update_event(&other).unwrap();
        let seq = other.sequence;
        let now = loaded.updated + Duration::hours(1);
        let r = s.revert(&m.before, &m.after, now).unwrap();
        assert_eq!(r.kept, ["location"]);
        let back = s.get_event(loaded.id).unwrap();
        assert_eq!(back.title, "Board", "our title change is undone");
        assert_eq!(back.location, "Room C", "a later change to our field stays");
        assert_eq!(back.notes, "agenda attached", "another field stays");
        assert_eq!(back.sequence, seq + 1, "calendars see a newer version");
        assert_eq!(back.updated, now);
        // a row deleted since cannot be reverted
        s.delete_event(loaded.id).unwrap();
        assert!(matches!(
            s.revert(&m.before, &m.after, now),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn an_edit_that_changed_nothing_returns_the_row_twice_and_writes_nothing() {
        let s = Store::open_in_memory().unwrap();
        let loaded = event(&s);
        let m = s.update_from_undoable(&loaded, &loaded.clone()).unwrap();
        assert_eq!(m.before, m.after);
        assert_eq!(s.get_event(loaded.id).unwrap().sequence, loaded.sequence);
    }
}
