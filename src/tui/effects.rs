//! The only IO the UI does: run one [`Effect`] against the store and turn the result into an
//! [`Action`]. A failure becomes `Action::Failed` (shown in the status line), never a panic.
use crate::app::schedule::WINDOW_LIMIT;
use crate::app::{
    Action, ContactExtra, Counts, Effect, Hit, Load, Loaded, Record, Removed, TaskSort, Total,
    UndoEntry, kind_name, today::TodayData,
};
use crate::clock::Clock;
use crate::domain::{Event, Kind};
use crate::store::{
    ContactQuery, EventQuery, InvoiceQuery, Store, StoreError, TaskOrder, TaskQuery, Triage,
    TriageQuery, TripPage, Tx,
};
use chrono::Duration;

/// Run one effect. Copy and Bell are terminal output: the loop handles them, so they give None.
pub fn run(store: &Store, clock: &dyn Clock, effect: Effect) -> Option<Action> {
    match effect {
        Effect::Load(l) => Some(match load(store, clock, l) {
            Ok(x) => Action::Loaded(x),
            Err(e) if is_busy(&e) => Action::Busy {
                what: "loading".into(),
            },
            Err(e) => Action::Failed {
                what: "loading".into(),
                error: e.to_string(),
            },
        }),
        Effect::Save {
            mut record,
            before,
            label,
        } => {
            if let Record::Event(e) = &mut record {
                link_attendees(store, e);
            }
            Some(match save_moving(store, clock, &record, before.as_ref()) {
                Ok(Written::One(before, record)) => Action::Saved {
                    record,
                    before,
                    label,
                },
                Ok(Written::Series { before, after }) => {
                    // what moved with it: its changed occurrences, and the first part of a
                    // split series whose end follows this second part
                    let n = after
                        .iter()
                        .skip(1)
                        .filter(|e| e.recurrence_id.is_some())
                        .count();
                    let mut also = Vec::new();
                    if n > 0 {
                        also.push(format!(
                            "its {n} changed occurrence{} moved with it",
                            if n == 1 { "" } else { "s" }
                        ));
                    }
                    for p in after.iter().skip(1).filter(|e| e.recurrence_id.is_none()) {
                        also.push(format!(
                            "the part before it, '{}', now ends before it",
                            crate::ui::sanitize(&p.title)
                        ));
                    }
                    Action::SeriesApplied {
                        before,
                        after,
                        inserted: Vec::new(),
                        label: format!("{label} ({})", also.join("; ")),
                    }
                }
                Err(e) => Action::Failed {
                    what: label,
                    error: e.to_string(),
                },
            })
        }
        Effect::SaveCapture {
            mut record,
            contact,
            label,
        } => {
            if let Some(name) = contact {
                link_contact(store, &mut record, &name);
            }
            Some(match save(store, &record, None) {
                Ok((before, record)) => Action::Saved {
                    record,
                    before,
                    label,
                },
                Err(e) => Action::Failed {
                    what: label,
                    error: e.to_string(),
                },
            })
        }
        Effect::Delete { kind, id, label } => Some(match delete(store, kind, id) {
            Ok(removed) => Action::Deleted {
                removed: Box::new(removed),
                label,
            },
            Err(e) => Action::Failed {
                what: label,
                error: e.to_string(),
            },
        }),
        Effect::Undo(entry) => {
            let label = entry.label().to_string();
            Some(match undo(store, clock, entry) {
                Ok(kept) => Action::Undone { label, kept },
                Err(e) => Action::UndoFailed {
                    label,
                    keep: e.passing(),
                    error: e.to_string(),
                },
            })
        }
        // `before` (the events as the UI loaded them) is what the UI shows; undo works from
        // the rows as this transaction finds them
        Effect::Series {
            change,
            before: _,
            label,
        } => Some(
            match store.write(|tx| {
                // the undo images, from this transaction: each row it updates or deletes as
                // it was just before, and as written
                let (mut was, mut after) = (Vec::new(), Vec::new());
                // a whole series moved keeps clear of the other part of a split (the first
                // part's end it moves is undone with the rest)
                for m in tx.keep_changed_split_parts_apart(&change, clock.now())? {
                    was.push(m.before);
                    after.push(m.after);
                }
                for e in &change.update {
                    was.push(tx.get_event(e.id)?);
                    tx.update_event(e)?;
                    after.push(tx.get_event(e.id)?);
                }
                let mut inserted = Vec::new();
                for e in &change.insert {
                    let id = tx.insert_event(e)?;
                    inserted.push(tx.get_event(id)?);
                }
                // a new series (this and following): its reminders answered as the old one's
                tx.carry_series_answers(&change)?;
                for id in &change.delete {
                    was.push(tx.delete_event(*id)?);
                }
                Ok((was, after, inserted))
            }) {
                Ok((before, after, inserted)) => Action::SeriesApplied {
                    before,
                    after,
                    inserted,
                    label,
                },
                Err(e) => Action::Failed {
                    what: label,
                    error: e.to_string(),
                },
            },
        ),
        Effect::Open { kind, id } => Some(match get(store, kind, id) {
            Ok(r) => Action::Opened(r),
            Err(e) => Action::Failed {
                what: format!("opening {} {id}", kind_name(kind)),
                error: e.to_string(),
            },
        }),
        Effect::Search(q) => Some(match store.search_all(&q, 8) {
            Ok(hits) => Action::SearchResults {
                query: q,
                hits: hits
                    .into_iter()
                    .map(|h| Hit {
                        kind: h.kind,
                        id: h.id,
                        title: h.title,
                        detail: h.detail,
                    })
                    .collect(),
            },
            Err(e) => Action::Failed {
                what: "search".into(),
                error: e.to_string(),
            },
        }),
        Effect::SuggestContacts(q) => Some(match suggest(store, &q) {
            Ok(contacts) => Action::Suggestions { query: q, contacts },
            Err(e) => Action::Failed {
                what: "contact lookup".into(),
                error: e.to_string(),
            },
        }),
        Effect::CheckData => store.data_version().ok().map(Action::DataVersion),
        Effect::ExportIcs {
            window,
            travel,
            tasks,
            path,
            tz,
            profile,
        } => Some(
            match export_ics(store, clock, window, (travel, tasks), &path, tz, profile) {
                Ok(text) => Action::Exported { text },
                Err(error) => Action::Failed {
                    what: "export".into(),
                    error,
                },
            },
        ),
        Effect::ExportVcf { v3, path } => Some(match export_vcf(store, clock, v3, &path) {
            Ok(text) => Action::Exported { text },
            Err(error) => Action::Failed {
                what: "export".into(),
                error,
            },
        }),
        Effect::PreviewImport { format, path, tz } => {
            Some(match preview_import(store, clock, format, &path, tz) {
                Ok(p) => Action::ImportPreviewed(Box::new(p)),
                Err(error) => Action::Failed {
                    what: "import".into(),
                    error,
                },
            })
        }
        Effect::FindSlots {
            from,
            duration,
            hours,
            tz,
            exclude,
        } => Some(
            match find_slots(store, from, duration, &hours, tz, exclude) {
                Ok(slots) => Action::Slots(slots),
                Err(e) => Action::Failed {
                    what: "free-slot search".into(),
                    error: e.to_string(),
                },
            },
        ),
        Effect::Import(p) => Some(match import(store, clock, &p) {
            Ok(text) => Action::Imported { text },
            Err(error) => Action::Failed {
                what: format!("import of {}", p.path),
                error,
            },
        }),
        Effect::UseZone(tz) => match store.use_zone(tz) {
            Ok(_) => None,
            // a read-only file or a busy one: the lists still hold every task, the order of
            // a due day against timed dues may be off by the zone's offset until the next start
            Err(e) => Some(Action::Failed {
                what: format!("ordering tasks' due days in {}", tz.name()),
                error: e.to_string(),
            }),
        },
        // a failure keeps the answer on this screen: the status line says it was not kept
        Effect::AnswerReminder(a) => match store.answer_reminder(&a) {
            Ok(()) => None,
            Err(e) => Some(Action::Failed {
                what: if a.until.is_some() {
                    "keeping the reminder's snooze".into()
                } else {
                    "keeping the reminder's dismissal".into()
                },
                error: e.to_string(),
            }),
        },
        Effect::Copy(_) | Effect::Bell => None,
    }
}

/// Another connection holds the database (it gave up waiting).
fn is_busy(e: &StoreError) -> bool {
    matches!(e, StoreError::Sqlite(s) if matches!(
        s.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    ))
}

/// Contacts for a picker: name matches from the store, then fuzzy matches ("mlr" finds
/// "Müller"), best first, at most 6.
fn suggest(store: &Store, q: &str) -> Result<Vec<(i64, String)>, StoreError> {
    let mut cands = match store.find_contacts_by_name(q, 50) {
        Ok(v) => v,
        // a damaged contact among the matches: the lenient list below still suggests the rest
        Err(StoreError::Corrupt(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    if cands.len() < 6 {
        let first: String = q.chars().take(1).collect();
        let (more, _) = store.list_contacts_lenient(&ContactQuery {
            search: Some(first),
            limit: Some(3000),
            ..Default::default()
        })?;
        for c in more {
            if !cands.iter().any(|x| x.id == c.id) {
                cands.push(c);
            }
        }
    }
    let mut fz = crate::domain::fuzzy::Fuzzy::new();
    let names: Vec<(i64, String)> = cands.into_iter().map(|c| (c.id, c.name)).collect();
    let best = fz.best(q, names.iter().map(|(id, n)| (*id, n.as_str())), 6);
    Ok(best
        .into_iter()
        .filter_map(|id| names.iter().find(|(i, _)| *i == id).cloned())
        .collect())
}

/// Contacts whose names match `text` fuzzily, best first. Candidates share the first letter
/// (accent-folded by the store's search), so a large table is never read whole.
fn fuzzy_contacts(
    store: &Store,
    text: &str,
    limit: usize,
) -> Result<(Vec<crate::domain::Contact>, u64), StoreError> {
    let first: String = text.trim().chars().take(1).collect();
    let (cands, skipped) = store.list_contacts_lenient(&ContactQuery {
        search: Some(first),
        limit: Some(5000),
        ..Default::default()
    })?;
    let mut fz = crate::domain::fuzzy::Fuzzy::new();
    let best = fz.best(
        text,
        cands.iter().enumerate().map(|(i, c)| (i, c.name.as_str())),
        limit,
    );
    Ok((
        best.into_iter()
            .filter_map(|i| cands.get(i).cloned())
            .collect(),
        skipped,
    ))
}

/// Link event attendees without a contact: exact e-mail first, else the one contact with
/// exactly that name; a linked attendee without an e-mail gets the contact's.
fn link_attendees(store: &Store, e: &mut crate::domain::Event) {
    for a in &mut e.attendees {
        if a.contact_id.is_none() {
            if !a.email.is_empty() {
                a.contact_id = store
                    .find_contacts_by_email(&a.email)
                    .ok()
                    .and_then(|v| v.first().map(|c| c.id));
            } else if !a.name.is_empty()
                && let Ok(found) = store.find_contacts_by_name(&a.name, 3)
            {
                let exact: Vec<_> = found
                    .iter()
                    .filter(|c| c.name.eq_ignore_ascii_case(a.name.trim()))
                    .collect();
                if let [c] = exact[..] {
                    a.contact_id = Some(c.id);
                }
            }
        }
        if let Some(id) = a.contact_id
            && (a.email.is_empty() || a.name.is_empty())
            && let Ok(c) = store.get_contact(id)
        {
            if a.email.is_empty() {
                a.email = c.primary_email().unwrap_or_default().to_string();
            }
            if a.name.is_empty() {
                a.name = c.name.clone();
            }
        }
    }
}

/// Link a quick-capture record to the one contact named exactly `name`.
fn link_contact(store: &Store, record: &mut Record, name: &str) {
    let Ok(found) = store.find_contacts_by_name(name, 3) else {
        return;
    };
    let exact: Vec<_> = found
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(name.trim()))
        .collect();
    let [c] = exact[..] else { return };
    match record {
        Record::Task(t) => {
            t.contact_id = Some(c.id);
            let line = format!("Counterpart: {name}");
            t.notes = t
                .notes
                .lines()
                .filter(|l| *l != line)
                .collect::<Vec<_>>()
                .join("\n");
        }
        Record::Invoice(i) => {
            i.vendor_id = Some(c.id);
            i.vendor_name = c.name.clone();
        }
        Record::Event(e) => {
            for a in &mut e.attendees {
                if a.name.eq_ignore_ascii_case(name.trim()) {
                    a.contact_id = Some(c.id);
                    if a.email.is_empty() {
                        a.email = c.primary_email().unwrap_or_default().to_string();
                    }
                }
            }
        }
        _ => {}
    }
}

/// Insert a new record, or update one. Returns the row just before the write (None for an
/// insert) and as written, read back in the write's transaction: the undo images. An update
/// that knows the record as it was loaded (`before`) writes only the fields changed since,
/// over the row as it is now (`Store::update_from`), so a change another process made
/// meanwhile is not undone.
fn save(
    store: &Store,
    r: &Record,
    before: Option<&Record>,
) -> Result<(Option<Record>, Record), StoreError> {
    if r.id() == 0 {
        let written = store.write(|tx| {
            let id = insert_keeping_id(tx, r)?;
            get_in(tx, r.kind(), id)
        })?;
        return Ok((None, written));
    }
    fn pair<T>(m: crate::store::Modified<T>, f: fn(T) -> Record) -> (Option<Record>, Record) {
        (Some(f(m.before)), f(m.after))
    }
    let (b, a) = match (r, before) {
        (Record::Event(x), Some(Record::Event(b))) => {
            pair(store.update_from_undoable(b, x)?, Record::Event)
        }
        (Record::Trip(x), Some(Record::Trip(b))) => {
            pair(store.update_from_undoable(b, x)?, Record::Trip)
        }
        (Record::Segment(x), Some(Record::Segment(b))) => {
            pair(store.update_from_undoable(b, x)?, Record::Segment)
        }
        (Record::Contact(x), Some(Record::Contact(b))) => {
            pair(store.update_from_undoable(b, x)?, Record::Contact)
        }
        (Record::Invoice(x), Some(Record::Invoice(b))) => {
            pair(store.update_from_undoable(b, x)?, Record::Invoice)
        }
        (Record::Task(x), Some(Record::Task(b))) => {
            pair(store.update_from_undoable(b, x)?, Record::Task)
        }
        // an update without the row it was made from: the whole record is written
        (r, _) => store.write(|tx| {
            let was = get_in(tx, r.kind(), r.id())?;
            match r {
                Record::Event(x) => tx.update_event(x)?,
                Record::Trip(x) => tx.update_trip(x)?,
                Record::Segment(x) => tx.update_segment(x)?,
                Record::Contact(x) => tx.update_contact(x)?,
                Record::Invoice(x) => tx.update_invoice(x)?,
                Record::Task(x) => tx.update_task(x)?,
            }
            Ok((Some(was), get_in(tx, r.kind(), r.id())?))
        })?,
    };
    Ok((b, a))
}

/// What [`save_moving`] wrote.
#[allow(clippy::large_enum_variant)] // one per save, never stored
enum Written {
    /// One row: as it was just before (None: inserted) and as written.
    One(Option<Record>, Record),
    /// A series moved with its changed occurrences: the rows as they were and as written,
    /// the series first.
    Series {
        before: Vec<Event>,
        after: Vec<Event>,
    },
}

/// [`save`], except that a whole series whose start moved takes its exceptions along in the
/// same transaction (`Store::update_event_from`): its EXDATEs and the RECURRENCE-IDs of its
/// changed occurrences move by the same amount, all of it one undo step.
fn save_moving(
    store: &Store,
    clock: &dyn Clock,
    r: &Record,
    before: Option<&Record>,
) -> Result<Written, StoreError> {
    let (Record::Event(x), Some(Record::Event(b))) = (r, before) else {
        return save(store, r, before).map(|(b, a)| Written::One(b, a));
    };
    if x.id == 0 {
        return save(store, r, before).map(|(b, a)| Written::One(b, a));
    }
    let (m, moved) = store.update_event_from(b, x, clock.now())?;
    if moved.is_empty() {
        return Ok(Written::One(
            Some(Record::Event(m.before)),
            Record::Event(m.after),
        ));
    }
    let (mut was, mut now) = (vec![m.before], vec![m.after]);
    for o in moved {
        was.push(o.before);
        now.push(o.after);
    }
    Ok(Written::Series {
        before: was,
        after: now,
    })
}

fn insert_keeping_id(tx: &Tx<'_>, r: &Record) -> Result<i64, StoreError> {
    match r {
        Record::Event(x) => tx.insert_event(x),
        Record::Trip(x) => tx.insert_trip(x),
        Record::Segment(x) => tx.insert_segment(x),
        Record::Contact(x) => tx.insert_contact(x),
        Record::Invoice(x) => tx.insert_invoice(x),
        Record::Task(x) => tx.insert_task(x),
    }
}

/// Delete a record in one transaction and return everything the delete changed: a series goes
/// with its changed occurrences (as `secretaire delete event` does), a contact's links are read
/// before the foreign keys clear them. A trip's segments and an event's attendees are part of
/// the record itself.
fn delete(store: &Store, kind: Kind, id: i64) -> Result<Removed, StoreError> {
    store.write(|tx| delete_in(tx, kind, id))
}

/// [`delete`] inside a transaction.
fn delete_in(tx: &Tx<'_>, kind: Kind, id: i64) -> Result<Removed, StoreError> {
    Ok(match kind {
        Kind::Event => {
            let e = tx.delete_event(id)?;
            let mut also = Vec::new();
            if e.recurrence_id.is_none() && crate::domain::recurrence::is_recurring(&e) {
                for o in tx.list_series(&e.uid)? {
                    if o.recurrence_id.is_some() {
                        tx.delete_event(o.id)?;
                        also.push(Record::Event(o));
                    }
                }
            }
            Removed {
                record: Record::Event(e),
                also,
                links: None,
            }
        }
        Kind::Contact => {
            let links = tx.contact_links(id)?;
            Removed {
                record: Record::Contact(tx.delete_contact(id)?),
                also: Vec::new(),
                links: (!links.is_empty()).then_some(links),
            }
        }
        Kind::Trip => Removed::of(Record::Trip(tx.delete_trip(id)?)),
        Kind::Segment => Removed::of(Record::Segment(tx.delete_segment(id)?)),
        Kind::Invoice => Removed::of(Record::Invoice(tx.delete_invoice(id)?)),
        Kind::Task => Removed::of(Record::Task(tx.delete_task(id)?)),
    })
}

fn get(store: &Store, kind: Kind, id: i64) -> Result<Record, StoreError> {
    Ok(match kind {
        Kind::Event => Record::Event(store.get_event(id)?),
        Kind::Trip => Record::Trip(store.get_trip(id)?),
        Kind::Segment => Record::Segment(store.get_segment(id)?),
        Kind::Contact => Record::Contact(store.get_contact(id)?),
        Kind::Invoice => Record::Invoice(store.get_invoice(id)?),
        Kind::Task => Record::Task(store.get_task(id)?),
    })
}

/// Record `id` of `kind` as a transaction sees it.
fn get_in(tx: &Tx<'_>, kind: Kind, id: i64) -> Result<Record, StoreError> {
    Ok(match kind {
        Kind::Event => Record::Event(tx.get_event(id)?),
        Kind::Trip => Record::Trip(tx.get_trip(id)?),
        Kind::Segment => Record::Segment(tx.get_segment(id)?),
        Kind::Contact => Record::Contact(tx.get_contact(id)?),
        Kind::Invoice => Record::Invoice(tx.get_invoice(id)?),
        Kind::Task => Record::Task(tx.get_task(id)?),
    })
}

/// Why an undo could not be written.
#[derive(Debug)]
enum UndoError {
    Store(StoreError),
    /// The inserted record was changed elsewhere since: deleting it would lose that change.
    ChangedSince(String),
}

impl From<StoreError> for UndoError {
    fn from(e: StoreError) -> Self {
        UndoError::Store(e)
    }
}

impl std::fmt::Display for UndoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UndoError::Store(StoreError::NotFound { kind, id }) => {
                write!(f, "{kind} {id} was deleted elsewhere")
            }
            UndoError::Store(e) => write!(f, "{e}"),
            UndoError::ChangedSince(what) => {
                write!(
                    f,
                    "{what} was changed elsewhere since it was added, so it stays"
                )
            }
        }
    }
}

impl UndoError {
    /// A problem that may be gone on the next try (another process holds the database, an IO
    /// error): the step is kept. Anything else (the record is gone, a rule it would break now)
    /// stays the same however often it is tried.
    fn passing(&self) -> bool {
        match self {
            UndoError::Store(e) => is_busy(e) || matches!(e, StoreError::Io(_)),
            UndoError::ChangedSince(_) => false,
        }
    }
}

/// The same data, bookkeeping aside (an event's SEQUENCE and LAST-MODIFIED).
fn same_content(a: &Record, b: &Record) -> bool {
    use crate::store::Stored;
    match (a, b) {
        (Record::Event(x), Record::Event(y)) => Stored::same_content(x, y),
        _ => a == b,
    }
}

/// Undo one step over the rows as they are now. Returns the fields left alone because they
/// were changed elsewhere after the step (`Store::revert`).
fn undo(store: &Store, clock: &dyn Clock, entry: UndoEntry) -> Result<Vec<String>, UndoError> {
    let now = clock.now();
    let names = |kept: Vec<&'static str>| -> Vec<String> {
        kept.into_iter().map(|f| f.replace('_', " ")).collect()
    };
    match entry {
        UndoEntry::Restore { before, after, .. } => {
            let kept = match (&before, &after) {
                (Record::Event(b), Record::Event(a)) => store.revert(b, a, now)?.kept,
                (Record::Trip(b), Record::Trip(a)) => store.revert(b, a, now)?.kept,
                (Record::Segment(b), Record::Segment(a)) => store.revert(b, a, now)?.kept,
                (Record::Contact(b), Record::Contact(a)) => store.revert(b, a, now)?.kept,
                (Record::Invoice(b), Record::Invoice(a)) => store.revert(b, a, now)?.kept,
                (Record::Task(b), Record::Task(a)) => store.revert(b, a, now)?.kept,
                _ => Vec::new(),
            };
            Ok(names(kept))
        }
        UndoEntry::Remove { record, .. } => store.write_with(|tx| {
            let current = get_in(tx, record.kind(), record.id())?;
            if !same_content(&current, &record) {
                return Err(UndoError::ChangedSince(record.label()));
            }
            delete_in(tx, record.kind(), record.id())?;
            Ok(Vec::new())
        }),
        UndoEntry::Reinsert { removed, .. } => store
            .write(|tx| {
                insert_keeping_id(tx, &removed.record)?;
                for r in &removed.also {
                    insert_keeping_id(tx, r)?;
                }
                if let Some(l) = &removed.links {
                    tx.restore_contact_links(l)?;
                }
                Ok(Vec::new())
            })
            .map_err(UndoError::from),
        UndoEntry::Events {
            before,
            after,
            inserted,
            ..
        } => store.write_with(|tx| {
            for e in &inserted {
                let current = tx.get_event(e.id)?;
                if !same_content(&Record::Event(current), &Record::Event(e.clone())) {
                    return Err(UndoError::ChangedSince(Record::Event(e.clone()).label()));
                }
                tx.delete_event(e.id)?;
            }
            let mut kept = Vec::new();
            // last written first: rows moved one after another (a series' changed occurrences
            // shifted by a week) never meet on the way back
            for b in before.iter().rev() {
                match after.iter().find(|a| a.id == b.id) {
                    Some(a) => kept.extend(tx.revert(b, a, now)?.kept),
                    // deleted by the change: back with its id
                    None => {
                        tx.insert_event(b)?;
                    }
                }
            }
            kept.dedup();
            Ok(names(kept))
        }),
    }
}

fn load(store: &Store, clock: &dyn Clock, l: Load) -> Result<Loaded, StoreError> {
    Ok(match l {
        Load::Today { day, from, to, tz } => {
            let now = clock.now();
            let triage = |which| TriageQuery {
                which,
                day,
                now,
                tz,
                search: None,
                order: TaskOrder::Priority,
                limit: None,
                offset: 0,
            };
            // the most urgent overdue tasks and every one due today, with true counts
            let (mut tasks, s1) = store.list_triage(&TriageQuery {
                limit: Some(crate::app::today::OVERDUE_SHOWN),
                ..triage(Triage::Overdue)
            })?;
            let overdue_shown = tasks.len();
            let (due, s2) = store.list_triage(&TriageQuery {
                limit: Some(crate::app::today::DUE_SHOWN),
                ..triage(Triage::DueToday)
            })?;
            tasks.extend(due);
            let overdue_tasks = store.count_triage(&triage(Triage::Overdue))?;
            let due_today = store.count_triage(&triage(Triage::DueToday))?;
            let (events, s3) = store.list_events_lenient(&EventQuery {
                from: Some(from),
                to: Some(to),
                tz: Some(tz),
                limit: Some(WINDOW_LIMIT),
                ..Default::default()
            })?;
            let (mut segments, s4) =
                store.list_segments_lenient(now.min(from), to + Duration::days(7))?;
            segments.retain(|s| s.arrive >= now);
            segments.truncate(50);
            let soon = InvoiceQuery {
                open_only: true,
                due_to: Some(day + Duration::days(7)),
                ..Default::default()
            };
            let (invoices, s5) = store.list_invoices_lenient(&InvoiceQuery {
                limit: Some(crate::app::today::INVOICES_SHOWN),
                ..soon.clone()
            })?;
            let invoices_due = store.count_invoices(&soon)?;
            let mut trips: Vec<i64> = segments
                .iter()
                .filter(|s| s.depart >= now && s.depart < now + Duration::days(7))
                .map(|s| s.trip_id)
                .collect();
            trips.sort_unstable();
            trips.dedup();
            Loaded::Today(TodayData {
                day: Some(day),
                tasks,
                overdue_shown,
                events,
                segments,
                invoices,
                counts: Counts {
                    overdue_tasks,
                    invoices_due,
                    trips_soon: trips.len() as u64,
                },
                due_today,
                skipped: s1 + s2 + s3 + s4 + s5,
                unreadable_overdue: s1,
                unreadable_due: s2,
                unreadable_events: s3,
                unreadable_segments: s4,
                unreadable_invoices: s5,
            })
        }
        Load::Reminders { from, to, tz } => {
            let (events, skipped) = store.list_reminders(from, to, tz)?;
            Loaded::Reminders {
                from,
                to,
                events,
                skipped,
                answers: store.reminder_answers()?,
            }
        }
        Load::Schedule {
            from,
            to,
            search,
            limit,
        } => {
            let (events, s1) = store.list_events_lenient(&EventQuery {
                from: Some(from),
                to: Some(to),
                search: search.clone(),
                limit,
                ..Default::default()
            })?;
            let (segments, s2) = if search.is_none() {
                let (mut s, n) = store.list_segments_lenient(from, to)?;
                if limit.is_some() {
                    s.truncate(500);
                }
                (s, n)
            } else {
                (Vec::new(), 0)
            };
            Loaded::Schedule {
                segments,
                events,
                from,
                to,
                search,
                skipped: s1 + s2,
            }
        }
        Load::Travel {
            now,
            past,
            search,
            offset,
            limit,
        } => {
            let (trips, total, skipped) = store.list_trip_page(&TripPage {
                now,
                past,
                search: search.clone(),
                limit,
                offset,
            })?;
            Loaded::Travel {
                search,
                past,
                offset,
                trips,
                total,
                skipped,
            }
        }
        Load::Contacts {
            search,
            offset,
            limit,
        } => {
            let mut q = ContactQuery {
                search: search.clone(),
                ..Default::default()
            };
            let total = store.count_contacts(&q)?;
            match &search {
                // nothing contains the text: rank names fuzzily ("mlr" finds "Müller")
                Some(text) if total == 0 => {
                    let (rows, skipped) = fuzzy_contacts(store, text, limit as usize)?;
                    Loaded::Contacts {
                        total: rows.len() as u64,
                        rows,
                        search,
                        offset: 0,
                        skipped,
                    }
                }
                _ => {
                    q.limit = Some(limit);
                    q.offset = offset;
                    let (rows, skipped) = store.list_contacts_lenient(&q)?;
                    Loaded::Contacts {
                        rows,
                        total,
                        search,
                        offset,
                        skipped,
                    }
                }
            }
        }
        Load::ContactDetail { id, name, from } => {
            // damaged rows are left out here as in the panes
            let (tasks, _) = store.list_tasks_lenient(&TaskQuery {
                contact_id: Some(id),
                open_only: true,
                limit: Some(50),
                ..Default::default()
            })?;
            let (invoices, _) = store.list_invoices_lenient(&InvoiceQuery {
                vendor_id: Some(id),
                limit: Some(50),
                ..Default::default()
            })?;
            let (mut meetings, _) = store.list_events_lenient(&EventQuery {
                from: Some(from),
                to: Some(from + Duration::days(90)),
                limit: Some(1000),
                ..Default::default()
            })?;
            meetings.retain(|e| e.attendees.iter().any(|a| a.contact_id == Some(id)));
            if !name.trim().is_empty() {
                // also events naming them (title, location, notes), further out too
                for e in store
                    .list_events_lenient(&EventQuery {
                        from: Some(from),
                        to: Some(from + Duration::days(365)),
                        search: Some(name.clone()),
                        limit: Some(50),
                        ..Default::default()
                    })?
                    .0
                {
                    if !meetings.iter().any(|m| m.id == e.id) {
                        meetings.push(e);
                    }
                }
            }
            meetings.sort_by_key(|e| e.time.start_in(chrono_tz::UTC));
            meetings.truncate(20);
            Loaded::ContactDetail(ContactExtra {
                contact_id: id,
                tasks,
                invoices,
                meetings,
            })
        }
        Load::Invoices {
            search,
            offset,
            limit,
            open_only,
        } => {
            let (rows, skipped) = store.list_invoices_lenient(&InvoiceQuery {
                search: search.clone(),
                open_only,
                limit: Some(limit),
                offset,
                ..Default::default()
            })?;
            let (totals, left_out) = store.invoice_totals_lenient()?;
            Loaded::Invoices {
                total: store.count_invoices(&InvoiceQuery {
                    search: search.clone(),
                    open_only,
                    ..Default::default()
                })?,
                rows,
                totals: totals
                    .into_iter()
                    .map(|t| Total {
                        status: t.status,
                        sum: t.total,
                        count: t.count,
                    })
                    .collect(),
                search,
                offset,
                skipped,
                unreadable: left_out,
            }
        }
        Load::Tasks {
            search,
            offset,
            limit,
            sort,
            show_done,
            overdue,
        } => {
            let order = match sort {
                TaskSort::Due => TaskOrder::Due,
                TaskSort::Priority => TaskOrder::Priority,
                TaskSort::Kind => TaskOrder::Kind,
            };
            if let Some((now, tz)) = overdue {
                // Today's rule (snoozed tasks left out), so the numbers agree with Today
                let q = TriageQuery {
                    which: Triage::Overdue,
                    day: now.with_timezone(&tz).date_naive(),
                    now,
                    tz,
                    search: search.clone(),
                    order,
                    limit: Some(limit),
                    offset,
                };
                let (rows, skipped) = store.list_triage(&q)?;
                return Ok(Loaded::Tasks {
                    rows,
                    total: store.count_triage(&q)?,
                    search,
                    offset,
                    skipped,
                });
            }
            let mut q = TaskQuery {
                open_only: !show_done,
                search: search.clone(),
                order,
                ..Default::default()
            };
            let total = store.count_tasks(&q)?;
            q.limit = Some(limit);
            q.offset = offset;
            let (rows, skipped) = store.list_tasks_lenient(&q)?;
            Loaded::Tasks {
                rows,
                total,
                search,
                offset,
                skipped,
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Files: the same library code as `secretaire export/import ics|vcf` (ics::sync, vcard::sync).

/// `~/x` is in the home folder; anything else as typed (relative to the current folder).
pub fn expand_path(p: &str) -> std::path::PathBuf {
    let p = p.trim();
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return std::path::PathBuf::from(home).join(rest);
    }
    std::path::PathBuf::from(p)
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn export_ics(
    store: &Store,
    clock: &dyn Clock,
    window: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
    (travel, tasks): (bool, bool),
    path: &str,
    tz: chrono_tz::Tz,
    profile: crate::ics::Profile,
) -> Result<String, String> {
    let file = expand_path(path);
    if let Some(own) = store.own_file(&file) {
        return Err(own.refusal(&file));
    }
    let opts = crate::ics::sync::export_options(profile, window, tz, clock.now());
    let (text, g, n_tasks) =
        crate::ics::sync::export_text(store, window, tz, travel, tasks, &opts, clock.now())
            .map_err(|e| e.to_string())?;
    crate::ics::sync::write_private(&file, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut what = vec![plural(g.events.len(), "event")];
    if travel {
        what.push(plural(g.segments.len(), "travel segment"));
    }
    if tasks {
        what.push(plural(n_tasks, "task"));
    }
    let for_ = if profile == crate::ics::Profile::Calcurse {
        " (for calcurse)"
    } else {
        ""
    };
    // a series calcurse cannot follow is written out over the range only: say so, as the CLI does
    let cut = match g.cutoffs.as_slice() {
        [] => String::new(),
        [c] => format!(
            "; '{}' has dates outside the range, not in the file",
            crate::ui::sanitize(&c.title)
        ),
        more => format!(
            "; {} series have dates outside the range, not in the file (the CLI's export lists them)",
            more.len()
        ),
    };
    Ok(format!(
        "Exported {} to {}{for_}{cut}",
        what.join(", "),
        file.display()
    ))
}

fn export_vcf(store: &Store, clock: &dyn Clock, v3: bool, path: &str) -> Result<String, String> {
    let file = expand_path(path);
    if let Some(own) = store.own_file(&file) {
        return Err(own.refusal(&file));
    }
    let contacts = store
        .list_contacts(&ContactQuery::default())
        .map_err(|e| e.to_string())?;
    let version = if v3 {
        crate::vcard::Version::V3
    } else {
        crate::vcard::Version::V4
    };
    let text = crate::vcard::export(&contacts, version, clock.now());
    crate::ics::sync::write_private(&file, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(format!(
        "Exported {} (vCard {}) to {}",
        plural(contacts.len(), "contact"),
        if v3 { "3.0" } else { "4.0" },
        file.display()
    ))
}

/// How many reasons and titles a preview lists.
const PREVIEW_ITEMS: usize = 8;

fn preview_import(
    store: &Store,
    clock: &dyn Clock,
    format: crate::app::FileFormat,
    path: &str,
    tz: chrono_tz::Tz,
) -> Result<crate::app::ImportPreview, String> {
    use crate::app::{FileFormat, ImportPreview, Incoming};
    let file = expand_path(path);
    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let now = clock.now();
    let shown = file.display().to_string();
    let (incoming, headline, mut lines, empty) = match format {
        FileFormat::Ics => {
            let opts = crate::ics::ParseOptions {
                default_tz: tz,
                now,
            };
            let report = crate::ics::parse(&bytes, &opts).map_err(|e| format!("{shown}: {e}"))?;
            let s = crate::ics::sync::import_into(store, &report, now, true)
                .map_err(|e| e.to_string())?;
            let headline = format!(
                "{} in {shown}: would import {}, update {}; unchanged {}, skipped {}",
                plural(report.items.len() + report.errors.len(), "event"),
                s.imported,
                s.updated,
                s.unchanged,
                s.skipped.len()
            );
            let mut lines: Vec<String> = s
                .skipped
                .iter()
                .take(PREVIEW_ITEMS)
                .map(|e| format!("skip {e}"))
                .collect();
            if s.skipped.len() > PREVIEW_ITEMS {
                lines.push(format!(
                    "… and {} more skipped",
                    s.skipped.len() - PREVIEW_ITEMS
                ));
            }
            lines.extend(
                s.dropped
                    .iter()
                    .take(PREVIEW_ITEMS)
                    .map(|e| format!("note {e}")),
            );
            lines.extend(
                s.removed
                    .iter()
                    .take(PREVIEW_ITEMS)
                    .map(|e| format!("remove {e}")),
            );
            let titles: Vec<String> = report
                .items
                .iter()
                .take(PREVIEW_ITEMS)
                .map(|i| {
                    format!(
                        "line {}: {} ({})",
                        i.line,
                        i.event.title,
                        i.event
                            .time
                            .start_in(tz)
                            .with_timezone(&tz)
                            .format("%a %-d %b %Y %H:%M")
                    )
                })
                .collect();
            lines.extend(titles);
            let empty = s.imported + s.updated == 0 && s.removed.is_empty();
            (Incoming::Ics(report), headline, lines, empty)
        }
        FileFormat::Vcf => {
            let report = crate::vcard::import_bytes(&bytes).map_err(|e| format!("{shown}: {e}"))?;
            let s = crate::vcard::sync::import_report(store, &report, true)
                .map_err(|e| e.to_string())?;
            let headline = format!(
                "{} in {shown}: would import {}, update {}; unchanged {}, skipped {}",
                plural(s.cards, "card"),
                s.imported.len(),
                s.updated.len(),
                s.unchanged.len(),
                s.skipped.len()
            );
            let mut lines: Vec<String> = s
                .skipped
                .iter()
                .take(PREVIEW_ITEMS)
                .map(|e| format!("skip {e}"))
                .collect();
            lines.extend(
                s.warnings
                    .iter()
                    .take(PREVIEW_ITEMS)
                    .map(|e| format!("note {e}")),
            );
            for (verb, v) in [("new", &s.imported), ("update", &s.updated)] {
                lines.extend(
                    v.iter()
                        .take(PREVIEW_ITEMS)
                        .map(|(l, n)| format!("{verb} line {l}: {n}")),
                );
            }
            let empty = s.imported.len() + s.updated.len() == 0;
            (Incoming::Vcf(report), headline, lines, empty)
        }
    };
    lines.iter_mut().for_each(|l| *l = crate::ui::sanitize(l));
    Ok(ImportPreview {
        path: path.to_string(),
        incoming,
        headline,
        lines,
        empty,
        scroll: 0,
    })
}

fn import(
    store: &Store,
    clock: &dyn Clock,
    p: &crate::app::ImportPreview,
) -> Result<String, String> {
    use crate::app::Incoming;
    match &p.incoming {
        Incoming::Ics(report) => {
            let s = crate::ics::sync::import_into(store, report, clock.now(), false)
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "Imported {} from {}: {} new, {} updated, {}{} unchanged, {} skipped",
                plural((s.imported + s.updated) as usize, "event"),
                p.path,
                s.imported,
                s.updated,
                if s.removed.is_empty() {
                    String::new()
                } else {
                    format!("{} removed, ", s.removed.len())
                },
                s.unchanged,
                s.skipped.len(),
            ))
        }
        Incoming::Vcf(report) => {
            let s = crate::vcard::sync::import_report(store, report, false)
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "Imported {} from {}: {} new, {} updated, {} unchanged, {} skipped",
                plural(s.imported.len() + s.updated.len(), "contact"),
                p.path,
                s.imported.len(),
                s.updated.len(),
                s.unchanged.len(),
                s.skipped.len()
            ))
        }
    }
}

/// A time span (start, end).
type Span = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);

/// How many free slots the event form proposes.
const SLOTS_SHOWN: usize = 6;

/// The next free slots of `duration` in working hours from `from` (rounded up to a quarter
/// hour) over the next days: every occurrence of every event (recurrence expanded) and
/// travel count as busy, cancelled events and all-day markers do not (domain rules).
fn find_slots(
    store: &Store,
    from: chrono::DateTime<chrono::Utc>,
    duration: Duration,
    hours: &crate::domain::schedule::WorkHours,
    tz: chrono_tz::Tz,
    exclude: Option<i64>,
) -> Result<Vec<Span>, StoreError> {
    use crate::domain::schedule::{busy_intervals, free_slots};
    let first_day = from.with_timezone(&tz).date_naive();
    let to = from + Duration::days(crate::app::SLOT_DAYS + 1);
    let mut events = store.list_events(&EventQuery {
        from: Some(from),
        to: Some(to),
        tz: Some(tz),
        limit: Some(WINDOW_LIMIT),
        ..Default::default()
    })?;
    events.retain(|e| Some(e.id) != exclude);
    let occs = crate::app::today::occurrences(&events, from, to, tz);
    let pairs: Vec<_> = occs
        .iter()
        .filter_map(|(i, o)| events.get(*i).map(|e| (o.clone(), e)))
        .collect();
    let segments = store.list_segments(from, to)?;
    let mut busy = busy_intervals(&pairs, &segments);
    // proposals start on a quarter hour, not before now
    let quarter = |t: chrono::DateTime<chrono::Utc>| {
        let q = 15 * 60;
        chrono::DateTime::from_timestamp((t.timestamp() + q - 1).div_euclid(q) * q, 0).unwrap_or(t)
    };
    busy.push((
        crate::domain::event::local_midnight(first_day, tz),
        quarter(from),
    ));
    let days: Vec<chrono::NaiveDate> = (0..crate::app::SLOT_DAYS)
        .map(|k| first_day + Duration::days(k))
        .collect();
    Ok(free_slots(&busy, &days, duration, hours, tz)
        .into_iter()
        .map(|(s, e)| (quarter(s), e))
        .filter(|(s, e)| *s + duration <= *e)
        .take(SLOTS_SHOWN)
        .map(|(s, _)| (s, s + duration))
        .collect())
}
