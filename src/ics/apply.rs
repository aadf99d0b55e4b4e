//! What importing one parsed event does to the store, decided without the store: insert it,
//! update the stored one, or leave it alone. Idempotent: the same file twice changes nothing.
use crate::domain::{Attendee, Event};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Insert(Event),
    /// The stored event replaced by `new` (same id, same created, SEQUENCE raised).
    Update {
        old: Event,
        new: Event,
    },
    Unchanged,
}

/// Equal in everything a user or a calendar client sees: all fields but the row id, the
/// creation/modification stamps and SEQUENCE.
pub fn same_content(a: &Event, b: &Event) -> bool {
    a.uid == b.uid
        && a.title == b.title
        && a.time == b.time
        && a.location == b.location
        && a.notes == b.notes
        && a.category == b.category
        && a.status == b.status
        && a.attendees == b.attendees
        && a.reminder_minutes == b.reminder_minutes
        && a.rrule == b.rrule
        && a.exdates == b.exdates
        && a.rdates == b.rdates
        && a.recurrence_id == b.recurrence_id
        && a.extra_ics == b.extra_ics
}

/// Keep the local contact links of attendees the file names without one (matched by e-mail,
/// else by name).
fn keep_links(incoming: &mut [Attendee], existing: &[Attendee]) {
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
/// An update happens when the content differs or the file's SEQUENCE is higher; it keeps the
/// row id and creation time, takes the higher SEQUENCE and then [`Event::touch`]es.
pub fn decide(existing: Option<&Event>, incoming: &Event, now: DateTime<Utc>) -> Change {
    let Some(old) = existing else {
        let mut e = incoming.clone();
        e.id = 0;
        return Change::Insert(e);
    };
    let mut new = incoming.clone();
    keep_links(&mut new.attendees, &old.attendees);
    if same_content(old, &new) && new.sequence <= old.sequence {
        return Change::Unchanged;
    }
    new.id = old.id;
    new.created = old.created;
    new.sequence = old.sequence.max(incoming.sequence);
    new.updated = old.updated;
    new.touch(now);
    Change::Update {
        old: old.clone(),
        new,
    }
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
    fn changed_content_or_higher_sequence_updates() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
        let mut stored = ev();
        stored.id = 7;
        stored.sequence = 2;
        let mut inc = ev();
        inc.title = "Board (moved)".into();
        let Change::Update { new, .. } = decide(Some(&stored), &inc, now) else {
            panic!("expected update")
        };
        assert_eq!((new.id, new.sequence, new.updated), (7, 3, now));
        assert_eq!(new.title, "Board (moved)");
        let mut inc = ev();
        inc.sequence = 5;
        let Change::Update { new, .. } = decide(Some(&stored), &inc, now) else {
            panic!("expected update")
        };
        assert_eq!(new.sequence, 6);
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
    }
}
