//! `RECURRENCE-ID;RANGE=THISANDFUTURE` read as RFC 5545 (3.2.13, 3.8.4.4) means it: the item's
//! properties apply to that occurrence and every later one, and a moved start moves every
//! later one by as much. The series of the file is split there exactly as our own "this and
//! following" edit splits a series ([`change_following`]): the first part ends just before the
//! occurrence (UNTIL; a COUNT is shared out), the second part starts at the item's DTSTART with
//! the series' rule (or the item's own RRULE) and the item's properties, and the series'
//! changed occurrences and EXDATEs from then on move to it, shifted by the same amount.
//!
//! Pure and deterministic, on the items of one VCALENDAR before anything is stored: the
//! second part's UID is made from the series' UID and the RECURRENCE-ID ([`part_uid`]), each
//! part keeps the SEQUENCE and stamps of the item it comes from, so importing the same file
//! twice gives the same records and changes nothing, and a newer version of the file updates
//! both parts (the import removes a stored part the newer file no longer makes).
use super::parse::{ItemError, ParsedEvent};
use crate::domain::recurrence::local_start;
use crate::domain::schedule::{SeriesError, change_following};
use crate::domain::{Event, EventTime};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use std::collections::{HashMap, HashSet};

/// What separates a series' UID from the occurrence its second part starts at.
pub const PART_MARK: &str = "/from-";

/// The UID of the part of series `uid` that a THISANDFUTURE change at `rid` (the occurrence's
/// original start, in the series' frame) starts: `<uid>/from-20270118T090000`, for an all-day
/// series `<uid>/from-20270118`.
pub fn part_uid(uid: &str, rid: NaiveDateTime, all_day: bool) -> String {
    let at = if all_day {
        rid.format("%Y%m%d")
    } else {
        rid.format("%Y%m%dT%H%M%S")
    };
    format!("{uid}{PART_MARK}{at}")
}

/// A split the file asks for (reported by the import, a dry run included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The line of the THISANDFUTURE item.
    pub line: usize,
    pub uid: String,
    /// The occurrence it changes from (its RECURRENCE-ID, in the series' frame).
    pub at: NaiveDateTime,
    pub all_day: bool,
    /// The UID of the part from `at` on; None when `at` is the first occurrence (the whole
    /// series changes).
    pub new_uid: Option<String>,
}

impl std::fmt::Display for Split {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.all_day {
            self.at.format("%a %-d %b %Y").to_string()
        } else {
            self.at.format("%a %-d %b %Y %H:%M").to_string()
        };
        match &self.new_uid {
            Some(n) => write!(
                f,
                "line {} (UID {}): split at {at} (RANGE=THISANDFUTURE): from then on the series is {n}",
                self.line, self.uid
            ),
            None => write!(
                f,
                "line {} (UID {}): changed from its first occurrence, {at} (RANGE=THISANDFUTURE): \
                 the whole series changes",
                self.line, self.uid
            ),
        }
    }
}

/// The items after the splits, the items skipped (with line and reason), and the splits.
pub struct Applied {
    pub items: Vec<ParsedEvent>,
    pub errors: Vec<ItemError>,
    pub splits: Vec<Split>,
}

/// Apply the THISANDFUTURE items of one VCALENDAR. `items` are its events with every
/// override's RECURRENCE-ID in its series' frame; `future` holds the BEGIN:VEVENT lines of the
/// THISANDFUTURE items among them. A series not in `items` cannot be split here: its
/// THISANDFUTURE items and its other changed occurrences are skipped (nothing of it imported
/// half-way). A THISANDFUTURE item naming no occurrence of its series is skipped alone.
pub fn apply(items: Vec<ParsedEvent>, future: &HashSet<usize>, now: DateTime<Utc>) -> Applied {
    let mut out = Applied {
        items: Vec::new(),
        errors: Vec::new(),
        splits: Vec::new(),
    };
    let uids: HashSet<String> = items
        .iter()
        .filter(|p| future.contains(&p.line) && p.event.recurrence_id.is_some())
        .map(|p| p.uid.clone())
        .collect();
    if uids.is_empty() {
        out.items = items;
        return out;
    }
    let mut by_uid: HashMap<String, Vec<ParsedEvent>> = HashMap::new();
    for p in items {
        if uids.contains(&p.uid) {
            by_uid.entry(p.uid.clone()).or_default().push(p);
        } else {
            out.items.push(p);
        }
    }
    let mut groups: Vec<(String, Vec<ParsedEvent>)> = by_uid.into_iter().collect();
    groups.sort_by_key(|(_, g)| g.iter().map(|p| p.line).min());
    for (uid, group) in groups {
        split_series(&uid, group, future, now, &mut out);
    }
    out
}

/// One part of a series being split: where it starts (the original RECURRENCE-ID) and how far
/// its occurrences have moved from the original ones.
struct Part {
    from: Option<NaiveDateTime>,
    shift: Duration,
    uid: String,
}

fn split_series(
    uid: &str,
    group: Vec<ParsedEvent>,
    future: &HashSet<usize>,
    now: DateTime<Utc>,
    out: &mut Applied,
) {
    let (masters, rest): (Vec<_>, Vec<_>) = group
        .into_iter()
        .partition(|p| p.event.recurrence_id.is_none());
    let (mut changes, plain): (Vec<_>, Vec<_>) =
        rest.into_iter().partition(|p| future.contains(&p.line));
    let Some(master) = masters.first().cloned() else {
        // An override without its series: it could only be placed in a stored series, and
        // one half of a split there and the other here is no import to make.
        for p in changes.iter().chain(&plain) {
            out.errors.push(ItemError {
                line: p.line,
                uid: uid.to_string(),
                message: "a change to this and all following occurrences \
                          (RECURRENCE-ID;RANGE=THISANDFUTURE) of a series that is not in the \
                          same calendar is not applied; nothing of this series is imported: \
                          import the file with the series itself"
                    .into(),
            });
        }
        return;
    };
    out.items.extend(masters.into_iter().skip(1));
    changes.sort_by_key(|p| (p.event.recurrence_id, p.line));
    let all_day = master.event.time.is_all_day();
    // Temporary ids, so that the series edit tells the records apart (0 is "not stored").
    let mut next_id = -1;
    let mut fresh = || {
        next_id -= 1;
        next_id
    };
    let mut series: Vec<ParsedEvent> = vec![master];
    series[0].event.id = fresh();
    let mut overrides: Vec<ParsedEvent> = plain;
    for o in &mut overrides {
        o.event.id = fresh();
    }
    let mut parts = vec![Part {
        from: None,
        shift: Duration::zero(),
        uid: uid.to_string(),
    }];
    for t in changes {
        let Some(rid) = t.event.recurrence_id else {
            continue;
        };
        let Some(pi) = parts.iter().rposition(|p| p.from.is_none_or(|f| f <= rid)) else {
            continue;
        };
        let local = rid + parts[pi].shift;
        let Some(si) = series.iter().position(|s| s.uid == parts[pi].uid) else {
            continue;
        };
        let m = series[si].event.clone();
        let ovs: Vec<Event> = overrides
            .iter()
            .filter(|o| o.uid == m.uid)
            .map(|o| o.event.clone())
            .collect();
        let mut edited = t.event.clone();
        edited.uid = m.uid.clone();
        // The occurrences keep the series' zone: the move is measured in its wall time.
        if let (EventTime::Timed { start, end, .. }, EventTime::Timed { tz, .. }) =
            (&t.event.time, &m.time)
        {
            edited.time = EventTime::Timed {
                start: *start,
                end: *end,
                tz: *tz,
            };
        }
        let new_uid = part_uid(uid, rid, all_day);
        if parts.iter().any(|p| p.uid == new_uid) {
            out.errors.push(ItemError {
                line: t.line,
                uid: uid.to_string(),
                message: "a second change to this and all following occurrences from the same \
                          occurrence (RECURRENCE-ID;RANGE=THISANDFUTURE)"
                    .into(),
            });
            continue;
        }
        let change = match change_following(&m, &ovs, local, &edited, &new_uid, now) {
            Ok(c) => c,
            Err(e) => {
                let why = match e {
                    SeriesError::NoSuchOccurrence(_) => "names no occurrence of its series".into(),
                    SeriesError::NotRecurring(_) => "changes a series that does not repeat".into(),
                    SeriesError::Rule(r) => format!("cannot split the series' rule: {r}"),
                };
                out.errors.push(ItemError {
                    line: t.line,
                    uid: uid.to_string(),
                    message: format!(
                        "RECURRENCE-ID;RANGE=THISANDFUTURE {} {why}; this change is not applied",
                        rid.format(if all_day {
                            "%Y-%m-%d"
                        } else {
                            "%Y-%m-%d %H:%M"
                        })
                    ),
                });
                continue;
            }
        };
        // Every record keeps the version of the item it comes from (the edit raised them).
        for u in change.update {
            if u.id == m.id {
                let first = u.uid == m.uid && change.insert.is_empty();
                let mut new = u;
                let old = &series[si].event;
                (new.sequence, new.updated, new.created) = if first {
                    // the whole series took the item's properties: the later of both versions
                    let v = (old.sequence, old.updated).max((t.event.sequence, t.event.updated));
                    (v.0, v.1, old.created)
                } else {
                    (old.sequence, old.updated, old.created)
                };
                if first {
                    parts[pi].shift += local_start(&new) - local;
                }
                series[si].event = new;
            } else if let Some(o) = overrides.iter_mut().find(|o| o.event.id == u.id) {
                let mut new = u;
                (new.sequence, new.updated) = (o.event.sequence, o.event.updated);
                o.uid = new.uid.clone();
                o.event = new;
            }
        }
        for id in change.delete {
            if let Some(i) = overrides.iter().position(|o| o.event.id == id) {
                let o = overrides.remove(i);
                out.errors.push(ItemError {
                    line: o.line,
                    uid: uid.to_string(),
                    message: format!(
                        "a changed occurrence after the change to this and all following \
                         occurrences at line {}, which gives the series another rule: it names \
                         no occurrence of the new rule",
                        t.line
                    ),
                });
            }
        }
        let split = Split {
            line: t.line,
            uid: uid.to_string(),
            at: rid,
            all_day,
            new_uid: None,
        };
        let Some(mut n) = change.insert.into_iter().next() else {
            out.splits.push(split);
            continue;
        };
        n.id = fresh();
        (n.sequence, n.updated, n.created) = (t.event.sequence, t.event.updated, t.event.created);
        parts.push(Part {
            from: Some(rid),
            shift: local_start(&n) - rid,
            uid: new_uid.clone(),
        });
        series.push(ParsedEvent {
            line: t.line,
            uid: new_uid.clone(),
            event: n,
            unplaced_recurrence: None,
            calcurse_of: None,
        });
        out.splits.push(Split {
            new_uid: Some(new_uid),
            ..split
        });
    }
    for mut p in series.into_iter().chain(overrides) {
        p.event.id = 0;
        out.items.push(p);
    }
}
