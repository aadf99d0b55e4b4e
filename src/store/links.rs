//! What deleting a contact changes besides its own rows: the foreign keys of tasks, invoices and
//! event attendees are cleared (`ON DELETE SET NULL`), and invoices keep the vendor's name as
//! text. [`Tx::contact_links`] reads those links in the delete's transaction and
//! [`Tx::restore_contact_links`] puts them back (undo), so nothing the delete touched is lost.
use super::{Result, Store, Tx};
use rusqlite::{Connection, params};

/// The rows that pointed at one contact, as they were before it was deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactLinks {
    pub contact_id: i64,
    /// Tasks with this contact as counterpart.
    pub tasks: Vec<i64>,
    /// Invoices from this vendor, with the vendor name they had stored.
    pub invoices: Vec<(i64, String)>,
    /// Event attendees linked to it: (event id, position).
    pub attendees: Vec<(i64, i64)>,
}

impl ContactLinks {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.invoices.is_empty() && self.attendees.is_empty()
    }
}

fn read(c: &Connection, id: i64) -> Result<ContactLinks> {
    let tasks = c
        .prepare_cached("SELECT id FROM tasks WHERE contact_id = ?1 ORDER BY id")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let invoices = c
        .prepare_cached("SELECT id, vendor_name FROM invoices WHERE vendor_id = ?1 ORDER BY id")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let attendees = c
        .prepare_cached(
            "SELECT event_id, position FROM event_attendees WHERE contact_id = ?1 \
             ORDER BY event_id, position",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ContactLinks {
        contact_id: id,
        tasks,
        invoices,
        attendees,
    })
}

/// Link the rows again. A row deleted since, or linked to someone else meanwhile, is left as
/// it is: undo never overwrites a later change.
fn restore(c: &Connection, l: &ContactLinks) -> Result<()> {
    let id = l.contact_id;
    let mut st =
        c.prepare_cached("UPDATE tasks SET contact_id = ?1 WHERE id = ?2 AND contact_id IS NULL")?;
    for t in &l.tasks {
        st.execute(params![id, t])?;
    }
    let mut st = c.prepare_cached(
        "UPDATE invoices SET vendor_id = ?1, vendor_name = ?3 WHERE id = ?2 AND vendor_id IS NULL",
    )?;
    for (i, name) in &l.invoices {
        st.execute(params![id, i, name])?;
    }
    let mut st = c.prepare_cached(
        "UPDATE event_attendees SET contact_id = ?1 \
         WHERE event_id = ?2 AND position = ?3 AND contact_id IS NULL",
    )?;
    for (e, pos) in &l.attendees {
        st.execute(params![id, e, pos])?;
    }
    Ok(())
}

impl Tx<'_> {
    /// The tasks, invoices and attendees linked to contact `id` (read before deleting it).
    pub fn contact_links(&self, id: i64) -> Result<ContactLinks> {
        read(&self.tx, id)
    }
    /// Put back links read by [`Tx::contact_links`] (the contact must exist again).
    pub fn restore_contact_links(&self, l: &ContactLinks) -> Result<()> {
        restore(&self.tx, l)
    }
}

impl Store {
    /// [`Tx::contact_links`] outside a write.
    pub fn contact_links(&self, id: i64) -> Result<ContactLinks> {
        read(&self.conn, id)
    }
}
