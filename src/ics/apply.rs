//! What importing one parsed event does to the store, decided without the store: insert it,
//! update the stored one, or leave it alone. Idempotent: the same file twice changes nothing.
use super::export::{normalize_rrule, sync_dtstart};
use crate::domain::{Attendee, Event};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Insert(Event),
    /// The stored event replaced by this one (same id and created; the file's SEQUENCE and
    /// LAST-MODIFIED, so the organizer's next version compares right).
    Update(Event),
    Unchanged,
    /// The file holds an older version than the store (lower SEQUENCE, or the same SEQUENCE
    /// and an earlier LAST-MODIFIED/DTSTAMP): a stale file must not undo newer edits.
    Older {
        stored_sequence: u32,
        stored_modified: DateTime<Utc>,
    },
}

impl Change {
    /// Why an `Older` item is skipped, for the import summary.
    pub fn older_reason(&self, incoming: &Event) -> Option<String> {
        let Change::Older {
            stored_sequence,
            stored_modified,
        } = self
        else {
            return None;
        };
        Some(if incoming.sequence < *stored_sequence {
            format!(
                "older than the stored version (SEQUENCE {} in the file, {stored_sequence} stored)",
                incoming.sequence
            )
        } else {
            format!(
                "older than the stored version (SEQUENCE {stored_sequence} in both, last modified {} in the file, {} stored)",
                incoming.updated.format("%Y-%m-%d %H:%M:%SZ"),
                stored_modified.format("%Y-%m-%d %H:%M:%SZ")
            )
        })
    }
}

/// Equal in everything a user or a calendar client sees: all fields but the row id, the
/// creation/modification stamps and SEQUENCE (RRULEs compared as exported, UNTIL in UTC).
pub fn same_content(a: &Event, b: &Event) -> bool {
    // Compare series as they are exported (DTSTART synchronised with the rule).
    let (sa, sb) = (sync_dtstart(a), sync_dtstart(b));
    let a = sa.as_ref().unwrap_or(a);
    let b = sb.as_ref().unwrap_or(b);
    a.uid == b.uid
        && a.title == b.title
        && a.time == b.time
        && a.location == b.location
        && a.notes == b.notes
        && a.category == b.category
        && a.status == b.status
        && a.attendees == b.attendees
        && a.reminder_minutes == b.reminder_minutes
        && a.rrule.as_deref().map(|r| normalize_rrule(r, &a.time))
            == b.rrule.as_deref().map(|r| normalize_rrule(r, &b.time))
        && a.exdates == b.exdates
        && a.rdates == b.rdates
        && a.recurrence_id == b.recurrence_id
        && a.extra_ics == b.extra_ics
}

/// Keep the local contact links of attendees the file names without one (matched by e-mail,
/// else by name).
fn keep_links(incoming: &mut [Attendee], existing: &[Attendee]) {
    // Our export fills a linked attendee's empty name/e-mail from the contact: reading that
    // back is no change.
    for a in incoming.iter_mut().filter(|a| a.contact_id.is_some()) {
        if let Some(x) = existing.iter().find(|x| x.contact_id == a.contact_id) {
            if x.name.is_empty() {
                a.name.clear();
            }
            if x.email.is_empty() {
                a.email.clear();
            }
        }
    }
    for a in incoming.iter_mut().filter(|a| a.contact_id.is_none()) {
        let found = existing.iter().find(|x| {
            x.contact_id.is_some()
                && ((!a.email.is_empty() && x.email.eq_ignore_ascii_case(&a.email))
                    || (a.email.is_empty() && x.name == a.name))
        });
        if let Some(x) = found {
            a.contact_id = x.contact_id;
            if a.email.is_empty() {
                a.email = x.email.clone();
            }
        }
    }
}

/// Decide for one incoming event, given the stored event with the same (UID, RECURRENCE-ID).
/// Same content: unchanged. Otherwise the versions are compared as RFC 5546 does, by SEQUENCE
/// and then LAST-MODIFIED (DTSTAMP when the file has none): an older file is not applied
/// (local edits raise SEQUENCE, so a stale re-import cannot undo them); a newer or equal one
/// updates, keeping the row id and creation time and taking the file's SEQUENCE and stamp.
pub fn decide(existing: Option<&Event>, incoming: &Event, now: DateTime<Utc>) -> Change {
    let Some(old) = existing else {
        let mut e = incoming.clone();
        e.id = 0;
        return Change::Insert(e);
    };
    let mut new = incoming.clone();
    keep_links(&mut new.attendees, &old.attendees);
    // The same content is unchanged, unless the organizer numbered it as a new version: that
    // version is recorded, so an older file is recognised as older afterwards (a series whose
    // moved occurrence was taken back has the same master, and the old file must not bring the
    // move back).
    if same_content(old, &new) && incoming.sequence <= old.sequence {
        return Change::Unchanged;
    }
    if (incoming.sequence, incoming.updated) < (old.sequence, old.updated) {
        return Change::Older {
            stored_sequence: old.sequence,
            stored_modified: old.updated,
        };
    }
    new.id = old.id;
    new.created = old.created;
    if (incoming.sequence, incoming.updated) == (old.sequence, old.updated) {
        // Changed without a new version (a hand-edited file): raise ours, so the clients we
        // export to take the change.
        new.updated = old.updated;
        new.touch(now);
    } else {
        // The file's stamp, never later than the import itself.
        new.updated = incoming.updated.min(now).max(old.updated);
    }
    Change::Update(new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EventTime;
    use chrono::TimeZone;

    fn ev() -> Event {
        let t = |h| Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
        let mut e = Event::new(
            "Board",
            EventTime::Timed {
                start: t(9),
                end: t(10),
                tz: chrono_tz::Europe::Stockholm,
            },
            t(0),
        );
        e.uid = "u1".into();
        e
    }

    #[test]
    fn new_is_inserted_same_is_unchanged() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
        let e = ev();
        assert!(matches!(decide(None, &e, now), Change::Insert(_)));
        let mut stored = e.clone();
        stored.id = 7;
        stored.updated = now; // stamps do not count
        assert_eq!(decide(Some(&stored), &e, now), Change::Unchanged);
    }

    #[test]
    fn newer_versions_update_older_ones_are_refused() {
        let t = |d| Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap();
        let now = t(9);
        let mut stored = ev();
        stored.id = 7;
        stored.sequence = 2;
        stored.updated = t(3);
        // A higher SEQUENCE wins, whatever the stamps.
        let mut inc = ev();
        inc.title = "Board (moved)".into();
        inc.sequence = 3;
        inc.updated = t(1);
        let Change::Update(new) = decide(Some(&stored), &inc, now) else {
            panic!("expected update")
        };
        assert_eq!((new.id, new.sequence, new.updated), (7, 3, t(3)));
        assert_eq!(new.title, "Board (moved)");
        // A lower SEQUENCE loses, even when modified later.
        inc.sequence = 1;
        inc.updated = t(5);
        let older = decide(Some(&stored), &inc, now);
        assert_eq!(
            older,
            Change::Older {
                stored_sequence: 2,
                stored_modified: t(3)
            }
        );
        assert_eq!(
            older.older_reason(&inc).unwrap(),
            "older than the stored version (SEQUENCE 1 in the file, 2 stored)"
        );
        // Same SEQUENCE: LAST-MODIFIED decides.
        inc.sequence = 2;
        inc.updated = t(2);
        assert!(matches!(
            decide(Some(&stored), &inc, now),
            Change::Older { .. }
        ));
        inc.updated = t(4);
        let Change::Update(new) = decide(Some(&stored), &inc, now) else {
            panic!("expected update")
        };
        assert_eq!((new.sequence, new.updated), (2, t(4)));
        // The same version with other content (a hand-edited file): ours goes up.
        inc.updated = t(3);
        let Change::Update(new) = decide(Some(&stored), &inc, now) else {
            panic!("expected update")
        };
        assert_eq!((new.sequence, new.updated), (3, now));
        // An older file with the same content is simply unchanged.
        let mut same = stored.clone();
        same.sequence = 0;
        assert_eq!(decide(Some(&stored), &same, now), Change::Unchanged);
        // So is a later stamp alone (a feed downloaded again); a higher SEQUENCE is recorded.
        same.sequence = 2;
        same.updated = t(8);
        assert_eq!(decide(Some(&stored), &same, now), Change::Unchanged);
        same.sequence = 5;
        let Change::Update(new) = decide(Some(&stored), &same, now) else {
            panic!("expected update")
        };
        assert_eq!((new.id, new.sequence, new.updated), (7, 5, t(8)));
    }

    #[test]
    fn a_local_edit_is_not_undone_by_re_importing_the_old_file() {
        let t = |d| Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap();
        let file = ev(); // SEQUENCE 0
        let mut stored = file.clone();
        stored.id = 1;
        stored.title = "Board (room 4)".into();
        stored.touch(t(5)); // what every local edit does
        assert!(matches!(
            decide(Some(&stored), &file, t(6)),
            Change::Older { .. }
        ));
    }

    #[test]
    fn contact_links_survive_a_reimport() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
        let mut stored = ev();
        stored.id = 1;
        stored.attendees = vec![Attendee {
            contact_id: Some(4),
            name: "Anna".into(),
            email: "anna@berg.se".into(),
        }];
        let mut inc = ev();
        inc.attendees = vec![Attendee {
            contact_id: None,
            name: "Anna".into(),
            email: "anna@berg.se".into(),
        }];
        assert_eq!(decide(Some(&stored), &inc, now), Change::Unchanged);
        // filled from the contact on export, empty in the store: unchanged too
        stored.attendees[0].name.clear();
        stored.attendees[0].email.clear();
        inc.attendees[0].contact_id = Some(4);
        assert_eq!(decide(Some(&stored), &inc, now), Change::Unchanged);
    }
}
