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
use crate::domain::recurrence::{
    Freq, Rule, Until, event_zone, format_rule, is_occurrence, local_start, parse_rrule,
};
use crate::domain::schedule::{SeriesError, change_following};
use crate::domain::when::local_to_utc;
use crate::domain::{Event, EventTime};
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Utc, Weekday};
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
    let extra_masters: Vec<ParsedEvent> = masters.into_iter().skip(1).collect();
    // Every item of the series, for refusing it whole.
    let mut lines: Vec<usize> = std::iter::once(master.line)
        .chain(extra_masters.iter().map(|p| p.line))
        .chain(changes.iter().map(|p| p.line))
        .chain(plain.iter().map(|p| p.line))
        .collect();
    lines.sort_unstable();
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
    // The RECURRENCE-ID each override has in the file (a split moves it with its part).
    let mut in_file: HashMap<i64, NaiveDateTime> = HashMap::new();
    for o in &mut overrides {
        o.event.id = fresh();
        if let Some(r) = o.event.recurrence_id {
            in_file.insert(o.event.id, r);
        }
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
        // The series' rule goes on from the moved occurrence: when the move changes the day and
        // the rule pins days, its days move too, or nothing of the series is imported.
        let keeps_rule = t
            .event
            .rrule
            .as_ref()
            .is_none_or(|r| Some(r) == m.rrule.as_ref());
        let day_move = if keeps_rule {
            let rule = m.rrule.as_deref().unwrap_or("");
            match moved_rule(rule, local, local_start(&edited)) {
                Ok(d) => d,
                Err(why) => {
                    let message = cannot_move(&t, &series[0], rid, local_start(&edited), &why);
                    out.splits.retain(|s| s.uid != uid);
                    out.errors.extend(lines.iter().map(|&line| ItemError {
                        line,
                        uid: uid.to_string(),
                        message: message.clone(),
                    }));
                    return;
                }
            }
        } else {
            None
        };
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
                    SeriesError::Overlap(m) => m,
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
        // The whole series moved to other days: the series edit keeps the days its rule pins
        // (a Monday series started on a Tuesday keeps its Mondays), the file moves them.
        let whole_days = change.insert.is_empty() && day_move.is_some();
        let ovs_before: HashMap<i64, Option<NaiveDateTime>> = overrides
            .iter()
            .filter(|o| o.uid == m.uid)
            .map(|o| (o.event.id, o.event.recurrence_id))
            .collect();
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
                    let shift = local_start(&new) - local;
                    parts[pi].shift += shift;
                    if whole_days && let Some(r) = &m.rrule {
                        // its occurrences, cancelled ones, extra dates and end all move as much
                        let tz = event_zone(&new);
                        new.rrule = Some(moved_rule_text(r, day_move.as_ref(), shift, tz));
                        new.exdates = m.exdates.iter().map(|x| *x + shift).collect();
                        new.rdates = m.rdates.iter().map(|x| *x + shift).collect();
                        for o in overrides.iter_mut().filter(|o| o.uid == m.uid) {
                            if let Some(Some(r)) = ovs_before.get(&o.event.id) {
                                o.event.recurrence_id = Some(*r + shift);
                            }
                        }
                    }
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
        if keeps_rule && let Some(r) = &n.rrule {
            let shift = local_start(&n) - local;
            n.rrule = Some(moved_rule_text(r, day_move.as_ref(), shift, event_zone(&n)));
        }
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
    // A changed occurrence moved to a part that does not have it named no occurrence of the
    // series in the file either: said with the RECURRENCE-ID the file gives it.
    overrides.retain(|o| {
        let (Some(was), Some(now)) = (in_file.get(&o.event.id), o.event.recurrence_id) else {
            return true;
        };
        let placed = series
            .iter()
            .find(|s| s.uid == o.uid)
            .is_none_or(|s| *was == now || is_occurrence(&s.event, now));
        if !placed {
            out.errors.push(ItemError {
                line: o.line,
                uid: uid.to_string(),
                message: format!(
                    "RECURRENCE-ID {} names no occurrence of its series",
                    was.format(if all_day {
                        "%Y-%m-%d"
                    } else {
                        "%Y-%m-%d %H:%M"
                    })
                ),
            });
        }
        placed
    });
    for mut p in series.into_iter().chain(extra_masters).chain(overrides) {
        p.event.id = 0;
        out.items.push(p);
    }
}

/// Why nothing of a series is imported: its THISANDFUTURE item `t` moves the occurrence at
/// `rid` to `to`, which the rule of `series` (as the file gives it) `why` cannot follow.
fn cannot_move(
    t: &ParsedEvent,
    series: &ParsedEvent,
    rid: NaiveDateTime,
    to: NaiveDateTime,
    why: &str,
) -> String {
    let (at, to) = if series.event.time.is_all_day() {
        (rid.format("%Y-%m-%d"), to.format("%a %Y-%m-%d"))
    } else {
        (rid.format("%Y-%m-%d %H:%M"), to.format("%a %Y-%m-%d %H:%M"))
    };
    format!(
        "line {}: RECURRENCE-ID;RANGE=THISANDFUTURE {at} moves this and all following \
         occurrences to {to}, but the rule of the series at line {} ({}) {why}: the moved \
         occurrences are no rule of ours; nothing of this series is imported",
        t.line,
        series.line,
        series.event.rrule.as_deref().unwrap_or(""),
    )
}

/// How the days a rule pins move with its occurrences (see [`moved_rule`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum DayMove {
    /// Every weekday (and the week start) `n` days later.
    Weekdays(i64),
    /// Every day of the month `n` days later (each stays in its month, 1 to 28).
    MonthDays(i64),
}

impl DayMove {
    /// `rule` (a part's rule, its end as the split left it) with its days moved.
    fn apply(&self, r: &mut Rule) {
        match *self {
            DayMove::Weekdays(n) => {
                let later = |d: Weekday| (0..n.rem_euclid(7)).fold(d, |d, _| d.succ());
                for (_, d) in &mut r.by_day {
                    *d = later(*d);
                }
                // With one day a week or every week, the week start changes nothing; else it
                // moves with the days, so each keeps the week it had.
                if r.interval > 1 && r.by_day.len() > 1 {
                    r.wkst = later(r.wkst);
                }
            }
            DayMove::MonthDays(n) => {
                for d in &mut r.by_month_day {
                    *d += n as i32;
                }
            }
        }
    }
}

/// The rule of a part whose occurrences are the series' ones moved by `shift` (wall time of
/// `tz`): its days moved as `days` says, and an UNTIL moved by as much, so the last occurrence
/// moved later is not cut off (nor one more let in when moved earlier). `rule` as it is when
/// nothing moves in it.
fn moved_rule_text(
    rule: &str,
    days: Option<&DayMove>,
    shift: Duration,
    tz: chrono_tz::Tz,
) -> String {
    let Ok(mut r) = parse_rrule(rule) else {
        return rule.to_string();
    };
    if days.is_none() && (r.until.is_none() || shift.is_zero()) {
        return rule.to_string();
    }
    if let Some(d) = days {
        d.apply(&mut r);
    }
    r.until = r.until.map(|u| match u {
        Until::Date(d) => Until::Date(d + Duration::days(shift.num_days())),
        Until::Local(n) => Until::Local(n + shift),
        Until::Utc(t) => Until::Utc(local_to_utc(t.with_timezone(&tz).naive_local() + shift, tz)),
    });
    format_rule(&r)
}

/// The change a THISANDFUTURE item makes to its series' rule when it moves the occurrence at
/// `from` (wall time of the series) to `to`: RFC 5545 moves every later occurrence by as much,
/// and a rule that pins days (BYDAY=MO) must pin the moved days, or started at `to` it makes
/// other days (Mondays at the new time). None when the rule stays as it is. Only moves that
/// give exactly the old occurrences moved are made; any other is an error saying what pins the
/// days, and the caller refuses the series rather than import another one.
fn moved_rule(
    rule: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Option<DayMove>, String> {
    let Ok(r) = parse_rrule(rule) else {
        // change_following says what is wrong with it
        return Ok(None);
    };
    let days = (to.date() - from.date()).num_days();
    if to.time() != from.time() {
        let pinned = [
            ("BYHOUR", r.by_hour.is_empty()),
            ("BYMINUTE", r.by_minute.is_empty()),
            ("BYSECOND", r.by_second.is_empty()),
        ];
        if let Some((part, _)) = pinned.iter().find(|(_, none)| !none) {
            return Err(format!("pins the time with {part}"));
        }
    }
    if days == 0 {
        return Ok(None);
    }
    let pins = |what: &str| Err(format!("pins the days with {what}"));
    if !r.by_set_pos.is_empty() {
        return pins("BYSETPOS");
    }
    if !r.by_year_day.is_empty() {
        return pins("BYYEARDAY");
    }
    if r.by_day.iter().any(|(n, _)| *n != 0) {
        return pins("BYDAY with an ordinal (the nth weekday)");
    }
    match r.freq {
        Freq::Daily | Freq::Weekly => {
            if !r.by_month.is_empty() {
                return pins("BYMONTH");
            }
            if !r.by_month_day.is_empty() {
                return pins("BYMONTHDAY");
            }
            Ok((!r.by_day.is_empty()).then_some(DayMove::Weekdays(days)))
        }
        Freq::Monthly | Freq::Yearly => {
            if !r.by_day.is_empty() {
                return pins("BYDAY");
            }
            // Every occurrence is on a day of the month from 1 to 28 (every month has it) and
            // moved stays on one in the same month: the moved days are one rule's.
            let in_month = |d: i64| (1..=28).contains(&d);
            let old: Vec<i64> = if r.by_month_day.is_empty() {
                vec![i64::from(from.day())]
            } else {
                r.by_month_day.iter().map(|d| i64::from(*d)).collect()
            };
            if old.iter().all(|d| in_month(*d) && in_month(d + days)) {
                Ok((!r.by_month_day.is_empty()).then_some(DayMove::MonthDays(days)))
            } else {
                pins(&format!(
                    "{} and the move of {days} days takes an occurrence out of its month or to \
                     a day not every month has",
                    if r.by_month_day.is_empty() {
                        "the day of the month of its start".to_string()
                    } else {
                        "BYMONTHDAY".to_string()
                    }
                ))
            }
        }
    }
}
