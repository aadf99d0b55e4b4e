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
use crate::domain::{Contact, Event, Invoice, Segment, Task, Trip};

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
        self.write(|tx| {
            let current = T::load(tx, after.row_id())?;
            if T::same_content(before, after) {
                return Ok(current);
            }
            let merged = if current == *before {
                after.clone()
            } else {
                let mut m = current.clone();
                T::merge(&mut m, before, after);
                m
            };
            if merged != current {
                T::save(tx, &merged)?;
            }
            Ok(merged)
        })
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
}
