//! Today (triage): overdue and due-today tasks by priority, today's timeline, travel in the
//! next 7 days, invoices overdue or due within 7 days, conflicts. Every item acts in place.
use super::form::FormKind;
use super::{
    Action, App, Effect, Level, Load, Record, ReminderBanner, confirm_delete, copy, mark_paid,
    open_detail, open_form, open_snooze, toggle_done,
};
use crate::domain::event::{ReminderAnswer, ReminderState, reminder_state};
use crate::domain::recurrence::Occurrence;
use crate::domain::{Event, EventStatus, Invoice, Segment, Task};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// At most this many overdue tasks are listed on Today (the most urgent: by priority, then the
/// oldest), so today's own work shows too; a line says how many more there are and opens them
/// all in Tasks.
pub const OVERDUE_SHOWN: u32 = 10;
/// Due-today tasks and soon-due invoices listed on Today (all of them, in practice).
pub const DUE_SHOWN: u32 = 500;
pub const INVOICES_SHOWN: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TodayData {
    pub day: Option<NaiveDate>,
    /// Open, not snoozed tasks: first the `overdue_shown` most urgent overdue ones, then the
    /// ones due today.
    pub tasks: Vec<Task>,
    pub overdue_shown: usize,
    /// Events overlapping today (recurring masters included; expanded here).
    pub events: Vec<Event>,
    /// Segments departing or underway in the next 7 days.
    pub segments: Vec<Segment>,
    /// Open invoices due within 7 days (overdue included).
    pub invoices: Vec<Invoice>,
    /// The tab-bar numbers: every overdue task, every invoice due within 7 days, listed or
    /// not (the Tasks header says the same).
    pub counts: super::Counts,
    /// Every task due today (listed or not).
    pub due_today: u64,
    /// Rows that could not be read (damaged by another tool) and are left out.
    pub skipped: u64,
    /// Of those, overdue and due-today tasks: counted in the headers' numbers (SQL counts),
    /// so the header says how many of them cannot be shown.
    pub unreadable_overdue: u64,
    pub unreadable_due: u64,
    /// Rows left out of the day's events, the travel and the invoices (each section's header
    /// says so, as the Tasks header does).
    pub unreadable_events: u64,
    pub unreadable_segments: u64,
    pub unreadable_invoices: u64,
}

/// Two things booked at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub a: String,
    pub b: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// One side is a travel segment.
    pub travel: bool,
    /// The event Enter/e/d act on.
    pub event_id: i64,
    /// Every event involved (to mark them on the timeline).
    pub events: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodayItem {
    Task(usize),
    Event(usize),
    Segment(usize),
    Invoice(usize),
    Conflict(usize),
    /// "N more …": Enter lists them all in their pane.
    More(More),
}

/// What a "N more" line on Today stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum More {
    Overdue,
    DueToday,
    Invoices,
}

/// An item of Today by what it is, not where it is (see `TodayState::key`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum ItemKey {
    Task(i64),
    Event(i64, DateTime<Utc>),
    Segment(i64),
    Invoice(i64),
    Conflict(Vec<i64>, DateTime<Utc>),
    More(More),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TodayState {
    pub data: TodayData,
    /// Today's occurrences, by start; `.0` indexes `data.events`.
    pub occs: Vec<(usize, Occurrence)>,
    pub conflicts: Vec<Conflict>,
    pub selected: usize,
    /// First visible line of the left and right columns.
    pub scroll: (usize, usize),
    pub loaded: bool,
}

impl TodayState {
    /// How many overdue / due-today tasks / invoices are not listed.
    pub fn more(&self, m: More) -> u64 {
        let d = &self.data;
        // the unreadable ones are not "more" to open elsewhere: no pane can show them
        let listed = match m {
            More::Overdue => d.overdue_shown as u64 + d.unreadable_overdue,
            More::DueToday => {
                (d.tasks.len() - d.overdue_shown.min(d.tasks.len())) as u64 + d.unreadable_due
            }
            More::Invoices => d.invoices.len() as u64,
        };
        let all = match m {
            More::Overdue => d.counts.overdue_tasks,
            More::DueToday => d.due_today,
            More::Invoices => d.counts.invoices_due,
        };
        all.saturating_sub(listed)
    }
    /// Actionable items in screen order.
    pub fn items(&self) -> Vec<TodayItem> {
        let n = self.data.tasks.len();
        let over = self.data.overdue_shown.min(n);
        let mut v: Vec<TodayItem> = (0..over).map(TodayItem::Task).collect();
        for (m, range) in [(More::Overdue, None), (More::DueToday, Some(over..n))] {
            v.extend(range.into_iter().flatten().map(TodayItem::Task));
            if self.more(m) > 0 {
                v.push(TodayItem::More(m));
            }
        }
        v.extend((0..self.data.invoices.len()).map(TodayItem::Invoice));
        if self.more(More::Invoices) > 0 {
            v.push(TodayItem::More(More::Invoices));
        }
        v.extend((0..self.occs.len()).map(TodayItem::Event));
        v.extend((0..self.data.segments.len()).map(TodayItem::Segment));
        v.extend((0..self.conflicts.len()).map(TodayItem::Conflict));
        v
    }
    pub fn current(&self) -> Option<TodayItem> {
        self.items().get(self.selected).copied()
    }
    /// What an item stands for, whatever its position: the record (an event's occurrence by
    /// its start too), so a reload can find it again.
    fn key(&self, item: TodayItem) -> Option<ItemKey> {
        Some(match item {
            TodayItem::Task(i) => ItemKey::Task(self.data.tasks.get(i)?.id),
            TodayItem::Event(i) => {
                let (e, o) = self.occs.get(i)?;
                ItemKey::Event(self.data.events.get(*e)?.id, o.start)
            }
            TodayItem::Segment(i) => ItemKey::Segment(self.data.segments.get(i)?.id),
            TodayItem::Invoice(i) => ItemKey::Invoice(self.data.invoices.get(i)?.id),
            TodayItem::Conflict(i) => {
                let c = self.conflicts.get(i)?;
                ItemKey::Conflict(c.events.clone(), c.start)
            }
            TodayItem::More(m) => ItemKey::More(m),
        })
    }
    pub fn record(&self, item: TodayItem) -> Option<Record> {
        Some(match item {
            TodayItem::Task(i) => Record::Task(self.data.tasks.get(i)?.clone()),
            TodayItem::Event(i) => {
                Record::Event(self.data.events.get(self.occs.get(i)?.0)?.clone())
            }
            TodayItem::Segment(i) => Record::Segment(self.data.segments.get(i)?.clone()),
            TodayItem::Invoice(i) => Record::Invoice(self.data.invoices.get(i)?.clone()),
            TodayItem::Conflict(i) => {
                let id = self.conflicts.get(i)?.event_id;
                Record::Event(self.data.events.iter().find(|e| e.id == id)?.clone())
            }
            TodayItem::More(_) => return None,
        })
    }
}

pub fn load(app: &App) -> Effect {
    let day = app.today_date();
    let from = crate::domain::event::local_midnight(day, app.tz);
    let to = crate::domain::event::local_midnight(day + Duration::days(1), app.tz);
    Effect::Load(Load::Today {
        day,
        from,
        to,
        tz: app.tz,
    })
}

pub use crate::domain::recurrence::occurrences;

/// Pairs of overlapping intervals (indices), for conflict marks. Sorted sweep: O(n log n + k).
pub fn overlapping(spans: &[(DateTime<Utc>, DateTime<Utc>)]) -> Vec<(usize, usize)> {
    let mut idx: Vec<usize> = (0..spans.len()).collect();
    idx.sort_by_key(|&i| spans[i].0);
    let mut active: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for &i in &idx {
        let (s, e) = spans[i];
        active.retain(|&j| spans[j].1 > s);
        for &j in &active {
            if e > s && spans[j].1 > spans[j].0 {
                out.push((j.min(i), j.max(i)));
            }
        }
        active.push(i);
    }
    out
}

/// Conflicts among timed, not-cancelled occurrences, and segments overlapping them.
/// Conflicts by the shared rule (`domain::schedule::conflicts`, as `secretaire conflicts`
/// reports them): overlapping timed, not-cancelled occurrences, and travel legs over them.
pub fn conflicts(
    events: &[Event],
    occs: &[(usize, Occurrence)],
    segs: &[Segment],
) -> Vec<Conflict> {
    use crate::domain::schedule::{Busy, conflicts as shared};
    let pairs: Vec<(Occurrence, &Event)> = occs
        .iter()
        .filter_map(|(i, o)| events.get(*i).map(|e| (o.clone(), e)))
        .collect();
    shared(&pairs, segs)
        .into_iter()
        .map(|c| {
            let travel = matches!(c.a, Busy::Segment { .. }) || matches!(c.b, Busy::Segment { .. });
            let event_id = match (&c.b, &c.a) {
                (Busy::Event { event_id, .. }, _) | (_, Busy::Event { event_id, .. }) => *event_id,
                _ => 0,
            };
            let events = [&c.a, &c.b]
                .iter()
                .filter_map(|x| match x {
                    Busy::Event { event_id, .. } => Some(*event_id),
                    Busy::Segment { .. } => None,
                })
                .collect();
            Conflict {
                events,
                a: c.a.title().to_string(),
                b: c.b.title().to_string(),
                start: c.start,
                end: c.end,
                travel,
                event_id,
            }
        })
        .collect()
}

pub fn loaded(app: &mut App, mut d: TodayData) -> Vec<Effect> {
    app.counts = d.counts;
    app.note_skipped("Today", d.skipped);
    let day = d.day.unwrap_or(app.today_date());
    let from = crate::domain::event::local_midnight(day, app.tz);
    let to = crate::domain::event::local_midnight(day + Duration::days(1), app.tz);
    // overdue first, then due today; each by priority, then the oldest due first
    let tz = app.tz;
    let over = d.overdue_shown.min(d.tasks.len());
    let key = |t: &Task| {
        let (date, at) = match t.due {
            Some(crate::domain::Due::At(a)) => (Some(a.with_timezone(&tz).date_naive()), Some(a)),
            Some(crate::domain::Due::Date(d)) => (Some(d), None),
            None => (None, None),
        };
        // on one day, a task due at a time comes before one due "some time that day"
        (t.priority.rank(), date, at.is_none(), at)
    };
    d.tasks[..over].sort_by_key(key);
    d.tasks[over..].sort_by_key(key);
    d.invoices.sort_by_key(|i| i.due_date);
    let mut occs = occurrences(&d.events, from, to, app.tz);
    occs.sort_by_key(|(_, o)| (!o.all_day, o.start));
    let c = conflicts(&d.events, &occs, &d.segments);
    let s = &mut app.today;
    // the selection stays on its item (another process added a task above it, one was done):
    // found again by what it is; gone, the nearest position
    let was = s.current().and_then(|i| s.key(i));
    s.conflicts = c;
    s.occs = occs;
    s.data = d;
    s.loaded = true;
    let items = s.items();
    if let Some(k) = was
        && let Some(i) = items.iter().position(|i| s.key(*i).as_ref() == Some(&k))
    {
        s.selected = i;
    }
    let n = items.len();
    if s.selected >= n {
        s.selected = n.saturating_sub(1);
    }
    vec![]
}

/// Events whose reminders may fire before the next reload, series expanded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reminders {
    pub events: Vec<Event>,
    /// Occurrences with a reminder, by start; `.0` indexes `events`.
    pub upcoming: Vec<(usize, Occurrence)>,
}

/// The reminder query: events not yet ended whose reminder can come before tomorrow's reload
/// (a reminder may be set up to four weeks ahead).
pub fn load_reminders(app: &App) -> Effect {
    let from = app.now;
    let to = crate::domain::event::local_midnight(app.today_date() + Duration::days(2), app.tz)
        + Duration::minutes(crate::domain::event::MAX_REMINDER_MINUTES as i64);
    Effect::Load(Load::Reminders {
        from,
        to,
        tz: app.tz,
    })
}

pub fn reminders_loaded(
    app: &mut App,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    events: Vec<Event>,
    skipped: u64,
    answers: Vec<ReminderAnswer>,
) -> Vec<Effect> {
    // Today's own warning (its sections' unreadable rows) is not replaced by this one
    if !app.status.as_ref().is_some_and(|s| s.level != Level::Info) {
        app.note_skipped("reminders", skipped);
    }
    let mut upcoming: Vec<(usize, Occurrence)> = occurrences(&events, from, to, app.tz)
        .into_iter()
        .filter(|(i, _)| events[*i].reminder_minutes.is_some())
        .collect();
    upcoming.sort_by_key(|(_, o)| o.start);
    app.reminders = Reminders { events, upcoming };
    for a in answers {
        keep_answer(app, a);
    }
    // answered on another screen meanwhile: the strip here goes too
    let now = app.now;
    if let Some(b) = &app.banner
        && let Some(a) = app
            .reminder_answers
            .iter()
            .find(|a| a.is_for(&b.uid, b.start))
        && a.until.is_none_or(|u| u > now)
    {
        app.banner = None;
    }
    check_reminders(app)
}

/// Keep `a` unless a later answer to the same occurrence is kept already.
fn keep_answer(app: &mut App, a: ReminderAnswer) {
    match app
        .reminder_answers
        .iter_mut()
        .find(|k| k.is_for(&a.uid, a.start))
    {
        Some(k) if k.at > a.at => {}
        Some(k) => *k = a,
        None => app.reminder_answers.push(a),
    }
}

/// Show a banner for an event whose reminder time has come, once per occurrence and only
/// before the event starts (a reminder missed while the app was closed fires at start-up if the
/// event is still ahead; one that is going on already is not announced). A dismissed reminder
/// never comes back, here or after a restart; a snoozed one comes back when its snooze is over,
/// until its event is over. The banner on screen closes by itself when its event ends.
pub fn check_reminders(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    if app.banner.as_ref().is_some_and(|b| now >= b.end) {
        app.banner = None;
    }
    if app.banner.is_some() {
        return vec![];
    }
    let mut due: Option<ReminderBanner> = None;
    for (i, o) in &app.reminders.upcoming {
        let Some(e) = app.reminders.events.get(*i) else {
            continue;
        };
        let Some(m) = e.reminder_minutes else {
            continue;
        };
        if e.status == EventStatus::Cancelled {
            continue;
        }
        let at = o.start - Duration::minutes(m as i64);
        let key = (e.uid.clone(), o.start);
        let answer = app
            .reminder_answers
            .iter()
            .find(|a| a.is_for(&e.uid, o.start));
        // a snoozed one is back when its snooze is over (the strip then stays until it is
        // answered again, or the event ends); an unanswered one shows once per screen
        let fire = match reminder_state(at, o.start, o.end, answer, now) {
            ReminderState::Due { after_snooze } => after_snooze || !app.fired.contains(&key),
            _ => false,
        };
        if fire {
            due = Some(ReminderBanner {
                event_id: e.id,
                uid: e.uid.clone(),
                title: e.title.clone(),
                start: o.start,
                end: o.end,
            });
            break;
        }
    }
    let Some(b) = due else {
        return vec![];
    };
    let key = b.key();
    if !app.fired.contains(&key) {
        app.fired.push(key.clone());
    }
    app.banner = Some(b);
    if app.bell { vec![Effect::Bell] } else { vec![] }
}
/// How long `z` snoozes a reminder.
pub const REMINDER_SNOOZE_MINUTES: i64 = 5;

/// The answer to the reminder on screen: yes snoozes it 5 minutes, no dismisses it. Kept here
/// at once and written to the database (a restart, or another screen on the file, then knows).
pub fn answer_banner(app: &mut App, snooze: bool) -> Vec<Effect> {
    let Some(b) = app.banner.take() else {
        return vec![];
    };
    let answer = ReminderAnswer {
        uid: b.uid.clone(),
        start: b.start,
        until: snooze.then(|| app.now + Duration::minutes(REMINDER_SNOOZE_MINUTES)),
        at: app.now,
    };
    keep_answer(app, answer.clone());
    if snooze {
        app.info(format!(
            "reminder snoozed {REMINDER_SNOOZE_MINUTES} minutes: {}",
            b.title
        ));
    } else {
        app.info(format!("reminder dismissed: {}", b.title));
    }
    vec![Effect::AnswerReminder(answer)]
}

/// A series edit that started a new series (this and following: a new UID) keeps what was
/// shown, dismissed or snoozed for the old one, so those reminders do not fire again. (The
/// write copies the database's answers in its own transaction; this keeps the screen's, which
/// includes one whose write failed.)
pub fn carry_dismissals(app: &mut App, before: &[Event], inserted: &[Event]) {
    for b in before {
        for n in inserted.iter().filter(|n| n.uid != b.uid) {
            let fired: Vec<_> = app
                .fired
                .iter()
                .filter(|(u, _)| *u == b.uid)
                .map(|(_, t)| (n.uid.clone(), *t))
                .collect();
            for f in fired {
                if !app.fired.contains(&f) {
                    app.fired.push(f);
                }
            }
            let answered: Vec<_> = app
                .reminder_answers
                .iter()
                .filter(|a| a.uid == b.uid)
                .map(|a| ReminderAnswer {
                    uid: n.uid.clone(),
                    ..a.clone()
                })
                .collect();
            for a in answered {
                keep_answer(app, a);
            }
        }
    }
}

/// Enter on "N more": the pane that lists them all (Tasks showing only the overdue ones, Tasks
/// by due date, Invoices).
fn show_more(app: &mut App, m: More) -> Vec<Effect> {
    match m {
        More::Overdue | More::DueToday => {
            let t = &mut app.tasks;
            t.overdue_only = m == More::Overdue;
            t.sort = super::TaskSort::Due;
            t.show_done = false;
            t.filter.clear();
            t.list.reset();
            app.pane = super::Pane::Tasks;
        }
        More::Invoices => {
            let i = &mut app.invoices;
            i.show_all = false;
            i.filter.clear();
            i.list.reset();
            app.pane = super::Pane::Invoices;
        }
    }
    vec![app.load_pane(app.pane)]
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.today.items().len();
    let s = &mut app.today;
    let page = 10;
    match action {
        Action::Down => s.selected = (s.selected + 1).min(n.saturating_sub(1)),
        Action::Up => s.selected = s.selected.saturating_sub(1),
        Action::Top => s.selected = 0,
        Action::Bottom => s.selected = n.saturating_sub(1),
        Action::PageDown => s.selected = (s.selected + page).min(n.saturating_sub(1)),
        Action::PageUp => s.selected = s.selected.saturating_sub(page),
        Action::Add => {
            let kind = match s.current() {
                Some(TodayItem::Event(_)) | Some(TodayItem::Conflict(_)) => FormKind::Event,
                Some(TodayItem::Invoice(_)) => FormKind::Invoice,
                _ => FormKind::Task,
            };
            return open_form(app, kind, None);
        }
        other => {
            let Some(item) = s.current() else {
                app.info("nothing selected");
                return vec![];
            };
            if let TodayItem::More(m) = item {
                return match other {
                    Action::Open => show_more(app, m),
                    _ => {
                        let open = app.key(super::keymap::Context::Today, "open");
                        app.info(format!("{open} lists them all"));
                        vec![]
                    }
                };
            }
            let Some(rec) = s.record(item) else {
                return vec![];
            };
            return match (other, &rec) {
                (Action::Open, Record::Event(e)) => match item {
                    TodayItem::Event(i) => {
                        let occ = s.occs[i].1.clone();
                        super::open_occurrence(app, e.clone(), occ)
                    }
                    TodayItem::Conflict(i) => {
                        // the occurrence of that event that is in the conflict
                        let c = &s.conflicts[i];
                        let occ = s
                            .occs
                            .iter()
                            .find(|(ei, o)| {
                                s.data.events.get(*ei).is_some_and(|x| x.id == c.event_id)
                                    && o.start < c.end
                                    && c.start < o.end
                            })
                            .map(|(_, o)| o.clone());
                        match occ {
                            Some(o) => super::open_occurrence(app, e.clone(), o),
                            None => open_detail(app, rec),
                        }
                    }
                    _ => open_detail(app, rec),
                },
                (Action::Open, _) => open_detail(app, rec),
                (Action::Edit, r) => open_form(app, FormKind::of(r), Some(rec.clone())),
                (a @ (Action::EditOne | Action::EditFollowing), _) => {
                    let following = a == Action::EditFollowing;
                    let edited = match item {
                        TodayItem::Event(i) => {
                            let (idx, occ) = s.occs[i].clone();
                            let events = s.data.events.clone();
                            if following {
                                super::edit_following(app, &events, idx, &occ)
                            } else {
                                super::edit_one_occurrence(app, &events, idx, &occ)
                            }
                        }
                        _ => None,
                    };
                    edited.unwrap_or_else(|| {
                        let (one, following) = (
                            app.key(super::keymap::Context::Today, "edit-one"),
                            app.key(super::keymap::Context::Today, "edit-following"),
                        );
                        app.info(format!(
                            "{one} and {following} edit occurrences of a repeating event"
                        ));
                        vec![]
                    })
                }
                (Action::Delete, r) => {
                    if let TodayItem::Event(i) = item {
                        let (idx, occ) = s.occs[i].clone();
                        let events = s.data.events.clone();
                        if let Some(fx) = super::delete_one_occurrence(app, &events, idx, &occ) {
                            return fx;
                        }
                    }
                    confirm_delete(app, r.kind(), r.id(), r.label())
                }
                (Action::Done, Record::Task(t)) => toggle_done(app, t),
                (Action::Snooze, Record::Task(t)) => open_snooze(app, t),
                (Action::Paid, Record::Invoice(i)) => mark_paid(app, i),
                (Action::Copy, r) => copy(app, r),
                (Action::Done | Action::Snooze, _) => {
                    app.info("done/snooze apply to tasks");
                    vec![]
                }
                (Action::Paid, _) => {
                    let p = app.key(super::keymap::Context::Today, "paid");
                    app.info(format!("{p} marks an invoice paid"));
                    vec![]
                }
                _ => vec![],
            };
        }
    }
    vec![]
}
