//! Schedule: agenda, day, week and month views (`v` cycles), `t` today, `h`/`l` move by the
//! view's unit. Only the visible window is queried; recurring events are expanded here.
use super::form::FormKind;
use super::{Action, App, Effect, Load, Record, confirm_delete, copy, open_form};
use crate::domain::event::local_midnight;
use crate::domain::recurrence::Occurrence;
use crate::domain::when::add_months;
use crate::domain::{Event, Segment};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Agenda,
    Day,
    Week,
    Month,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            View::Agenda => "agenda",
            View::Day => "day",
            View::Week => "week",
            View::Month => "month",
        }
    }
    fn next(self) -> View {
        match self {
            View::Agenda => View::Day,
            View::Day => View::Week,
            View::Week => View::Month,
            View::Month => View::Agenda,
        }
    }
}

/// Days the agenda view shows.
pub const AGENDA_DAYS: i64 = 14;
/// At most this many events are drawn per window (a dense month on a huge DB stays fast).
pub const WINDOW_LIMIT: u32 = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleState {
    pub view: View,
    /// The day the view is anchored on.
    pub date: NaiveDate,
    pub filter: String,
    pub events: Vec<Event>,
    /// Occurrences in the window, by start; `.0` indexes `events`.
    pub occs: Vec<(usize, Occurrence)>,
    /// Occurrence indices that overlap another.
    pub conflicted: Vec<bool>,
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Travel segments in the window, by departure.
    pub segments: Vec<Segment>,
    /// Month view: how many items (events and travel segments, a multi-day one on each day
    /// it covers) each day of the grid has, from [`ScheduleState::grid`]'s first day on,
    /// greyed days of the months around included. Empty in the other views.
    pub counts: Vec<usize>,
    pub selected: usize,
    pub scroll: usize,
    pub loaded: bool,
    pub truncated: bool,
    /// After a move (h/l, t, v): the day whose first item is selected once the new window's
    /// rows arrive (selecting earlier would pick from the old window).
    pub pending: Option<NaiveDate>,
    /// The item just selected by a move: the agenda scrolls its day's heading to the top
    /// (the day you went to, and what follows it, rather than the days before).
    pub reveal: bool,
}

impl ScheduleState {
    /// The day the selected item is listed on, else the anchor day.
    fn day_in_view(&self, tz: chrono_tz::Tz) -> NaiveDate {
        let (first, _) = self.days();
        self.occs
            .get(self.selected)
            .map(|(_, o)| display_day(o, first, tz))
            .unwrap_or(self.date)
    }

    pub fn new(today: NaiveDate) -> ScheduleState {
        ScheduleState {
            view: View::Agenda,
            date: today,
            filter: String::new(),
            events: Vec::new(),
            occs: Vec::new(),
            conflicted: Vec::new(),
            window: None,
            segments: Vec::new(),
            counts: Vec::new(),
            selected: 0,
            scroll: 0,
            loaded: false,
            truncated: false,
            pending: None,
            reveal: false,
        }
    }
    /// First and last (exclusive) day of the window.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        let d = self.date;
        match self.view {
            View::Agenda => (d, d + Duration::days(AGENDA_DAYS)),
            View::Day => (d, d + Duration::days(1)),
            View::Week => {
                let mon = d - Duration::days(d.weekday().num_days_from_monday() as i64);
                (mon, mon + Duration::days(7))
            }
            View::Month => {
                let first = d.with_day(1).unwrap_or(d);
                let next = add_months(first, 1).unwrap_or(first + Duration::days(31));
                (first, next)
            }
        }
    }
    /// The days the month grid shows, first (a Monday) and last (exclusive, a Monday): the
    /// month's weeks whole, with the days of the months around it greyed.
    pub fn grid(&self) -> (NaiveDate, NaiveDate) {
        let (first, next) = self.days();
        let start = first - Duration::days(first.weekday().num_days_from_monday() as i64);
        let end = next + Duration::days((7 - next.weekday().num_days_from_monday() as i64) % 7);
        (start, end)
    }
    /// The days read from the store: the window, or for the month view its whole grid (its
    /// greyed days are counted too).
    fn read_days(&self) -> (NaiveDate, NaiveDate) {
        match self.view {
            View::Month => self.grid(),
            _ => self.days(),
        }
    }
    /// How many items the day `d` of the month grid has.
    pub fn count_on(&self, d: NaiveDate) -> usize {
        let (start, _) = self.grid();
        usize::try_from((d - start).num_days())
            .ok()
            .and_then(|k| self.counts.get(k).copied())
            .unwrap_or(0)
    }
    pub fn current(&self) -> Option<&Event> {
        self.occs
            .get(self.selected)
            .and_then(|(i, _)| self.events.get(*i))
    }
}

pub fn load(app: &App) -> Effect {
    let (a, b) = app.schedule.read_days();
    let filter = app.schedule.filter.trim();
    Effect::Load(Load::Schedule {
        from: local_midnight(a, app.tz),
        to: local_midnight(b, app.tz),
        search: (!filter.is_empty()).then(|| filter.to_string()),
        // the month grid counts every day it shows: its whole grid is read, six weeks at
        // most (about 47 ms for the large demo's November, 3,000 occurrences in the month,
        // release build; the month alone took 40 ms)
        limit: (app.schedule.view != View::Month).then_some(WINDOW_LIMIT),
    })
}

pub fn loaded(
    app: &mut App,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    search: Option<String>,
    events: Vec<Event>,
    mut segments: Vec<Segment>,
) -> Vec<Effect> {
    let Effect::Load(Load::Schedule {
        from: f,
        to: t,
        search: q,
        limit,
    }) = load(app)
    else {
        return vec![];
    };
    if (f, t, &q) != (from, to, &search) {
        return vec![]; // a stale answer for a window we left
    }
    let tz = app.tz;
    let s = &mut app.schedule;
    s.truncated = limit.is_some_and(|l| events.len() >= l as usize);
    let mut occs = super::today::occurrences(&events, from, to, tz);
    occs.sort_by_key(|(_, o)| (o.start, !o.all_day));
    segments.sort_by_key(|s| s.depart);
    // the month grid counts what the week view shows on each of its days; the list below it
    // (and the title, selection, conflicts) keeps to the month itself
    s.counts = Vec::new();
    if s.view == View::Month {
        let (start, end) = s.grid();
        s.counts = day_counts(
            start,
            end,
            occs.iter()
                .map(|(_, o)| (o.start, o.end))
                .chain(segments.iter().map(|sg| (sg.depart, sg.arrive))),
            tz,
        );
        let (first, next) = s.days();
        let within = |a, b| {
            let (d0, d1) = days_covered(a, b, tz);
            d1 >= first && d0 < next
        };
        occs.retain(|(_, o)| within(o.start, o.end));
        segments.retain(|sg| within(sg.depart, sg.arrive));
    }
    // conflicts by the shared rule; travel legs over meetings included
    let mut conflicted = vec![false; occs.len()];
    let mut by_event: std::collections::HashMap<i64, Vec<usize>> = Default::default();
    for (k, (i, _)) in occs.iter().enumerate() {
        by_event.entry(events[*i].id).or_default().push(k);
    }
    for c in super::today::conflicts(&events, &occs, &segments) {
        for id in &c.events {
            for &k in by_event.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                let o = &occs[k].1;
                if o.start < c.end && c.start < o.end {
                    conflicted[k] = true;
                }
            }
        }
    }
    // a reload of the same window keeps the selection on its occurrence (by event and start)
    let was = s
        .occs
        .get(s.selected)
        .and_then(|(i, o)| Some((s.events.get(*i)?.id, o.start)));
    let found = was.and_then(|(id, start)| {
        occs.iter()
            .position(|(i, o)| events.get(*i).is_some_and(|e| e.id == id) && o.start == start)
    });
    let same_window = s.window == Some((from, to));
    s.segments = segments;
    s.events = events;
    s.occs = occs;
    s.conflicted = conflicted;
    s.window = Some((from, to));
    s.loaded = true;
    let (now, today) = (app.now, app.today_date());
    let s = &mut app.schedule;
    match s.pending.take() {
        Some(d) => {
            select_from(s, d, today, now, tz);
            s.reveal = true;
        }
        None => {
            if let Some(i) = found.filter(|_| same_window) {
                s.selected = i;
            }
            if s.selected >= s.occs.len() {
                s.selected = s.occs.len().saturating_sub(1);
            }
        }
    }
    vec![]
}

/// The day an occurrence is listed under in a window starting on `first`: its own start day,
/// or the window's first day for one that began before it and is still going on (a
/// conference since Saturday is listed on Monday when the view starts on Monday).
pub fn display_day(o: &Occurrence, first: NaiveDate, tz: chrono_tz::Tz) -> NaiveDate {
    o.start.with_timezone(&tz).date_naive().max(first)
}

/// The days `[start, end)` touches in `tz`, first and last: an item ending at midnight does not
/// touch the day after; a zero-length one is on its start's day.
pub fn days_covered(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> (NaiveDate, NaiveDate) {
    let first = start.with_timezone(&tz).date_naive();
    let last = if end > start {
        (end - Duration::nanoseconds(1))
            .with_timezone(&tz)
            .date_naive()
    } else {
        first
    };
    (first, last.max(first))
}

/// How many of the `[start, end)` spans touch each day from `first` to `last` (exclusive):
/// an item over several days counts on each of them.
pub fn day_counts(
    first: NaiveDate,
    last: NaiveDate,
    spans: impl IntoIterator<Item = (DateTime<Utc>, DateTime<Utc>)>,
    tz: chrono_tz::Tz,
) -> Vec<usize> {
    let n = (last - first).num_days().max(0);
    let mut counts = vec![0usize; n as usize];
    for (a, b) in spans {
        let (d0, d1) = days_covered(a, b, tz);
        let lo = (d0 - first).num_days().max(0);
        let hi = (d1 - first).num_days().min(n - 1);
        for k in lo..=hi {
            counts[k as usize] += 1;
        }
    }
    counts
}

/// Select the first occurrence listed on or after day `d` (or the last one before it); on
/// today, the first one not over yet.
fn select_from(
    s: &mut ScheduleState,
    d: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) {
    let (first, _) = s.days();
    let day = |o: &Occurrence| display_day(o, first, tz);
    let on_today = (d == today)
        .then(|| s.occs.iter().position(|(_, o)| day(o) == d && o.end > now))
        .flatten();
    s.selected = on_today
        .or_else(|| s.occs.iter().position(|(_, o)| day(o) >= d))
        .unwrap_or(s.occs.len().saturating_sub(1));
}

/// Move the view to `date` and select its first item when the window's rows arrive; the new
/// view is drawn from its top (no scroll carried over from another view or day).
fn go(app: &mut App, date: NaiveDate) -> Vec<Effect> {
    app.schedule.date = date;
    app.schedule.pending = Some(date);
    app.schedule.scroll = 0;
    vec![load(app)]
}

/// The pane is shown: when its window holds today, today's first item not over yet is
/// selected once the rows arrive (not the first row of the window).
pub fn shown(app: &mut App) {
    let today = app.today_date();
    let (a, b) = app.schedule.days();
    if (a..b).contains(&today) {
        app.schedule.pending = Some(today);
        app.schedule.scroll = 0;
    }
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.schedule.occs.len();
    let s = &mut app.schedule;
    match action {
        Action::Down => s.selected = (s.selected + 1).min(n.saturating_sub(1)),
        Action::Up => s.selected = s.selected.saturating_sub(1),
        Action::Top => s.selected = 0,
        Action::Bottom => s.selected = n.saturating_sub(1),
        Action::PageDown => s.selected = (s.selected + 10).min(n.saturating_sub(1)),
        Action::PageUp => s.selected = s.selected.saturating_sub(10),
        Action::CycleView => {
            // the new view shows the day the selected item is listed on (else the anchor day)
            let day = s.day_in_view(app.tz);
            s.view = s.view.next();
            app.info(format!("{} view", app.schedule.view.name()));
            return go(app, day);
        }
        Action::GoToday => {
            let today = app.today_date();
            return go(app, today);
        }
        Action::Prev | Action::Next => {
            let sign = if action == Action::Next { 1 } else { -1 };
            let day = match s.view {
                View::Day | View::Agenda => s.date + Duration::days(sign),
                View::Week => s.date + Duration::days(7 * sign),
                View::Month => add_months(s.date, sign as i32).unwrap_or(s.date),
            };
            return go(app, day);
        }
        Action::FreeSlots => {
            // a new meeting, with the next free hours proposed right away
            let fx = open_form(app, FormKind::Event, None);
            let mut more = match app.popup.take() {
                Some(super::Popup::Form(mut f)) => {
                    let fx = super::slots_request(app, &mut f);
                    app.popup = Some(super::Popup::Form(f));
                    fx
                }
                other => {
                    app.popup = other;
                    vec![]
                }
            };
            more.extend(fx);
            return more;
        }
        Action::Export => return super::open_transfer(app, FormKind::ExportIcs),
        Action::Import => return super::open_transfer(app, FormKind::ImportIcs),
        Action::Add => {
            // start on the day in view (the selected event's day, else the anchor day)
            let day = s.day_in_view(app.tz);
            let fx = open_form(app, FormKind::Event, None);
            let ctx = super::form::Ctx::of(app);
            if let Some(super::Popup::Form(f)) = &mut app.popup {
                f.set_text("start", &format!("{day} 09:00"));
                f.dirty = false;
                f.build(&ctx);
            }
            return fx;
        }
        other => {
            let Some(e) = s.current().cloned() else {
                app.info("no event selected");
                return vec![];
            };
            let series = if e.rrule.is_some() {
                " (the whole series)"
            } else {
                ""
            };
            return match other {
                Action::Open => {
                    let occ = s.occs[s.selected].1.clone();
                    super::open_occurrence(app, e, occ)
                }
                Action::Edit => {
                    if !series.is_empty() {
                        let one = app.key(super::keymap::Context::Schedule, "edit-one");
                        app.info(format!(
                            "editing the whole series ({one} edits just this occurrence)"
                        ));
                    }
                    open_form(app, FormKind::Event, Some(Record::Event(e)))
                }
                Action::EditOne => {
                    let (idx, occ) = s.occs[s.selected].clone();
                    let events = s.events.clone();
                    super::edit_one_occurrence(app, &events, idx, &occ).unwrap_or_else(|| {
                        let e = app.key(super::keymap::Context::Schedule, "edit");
                        app.info(format!("not a repeating event: {e} edits it"));
                        vec![]
                    })
                }
                Action::EditFollowing => {
                    let (idx, occ) = s.occs[s.selected].clone();
                    let events = s.events.clone();
                    super::edit_following(app, &events, idx, &occ).unwrap_or_else(|| {
                        let e = app.key(super::keymap::Context::Schedule, "edit");
                        app.info(format!("not a repeating event: {e} edits it"));
                        vec![]
                    })
                }
                Action::Delete => {
                    let (idx, occ) = s.occs[s.selected].clone();
                    let events = s.events.clone();
                    if let Some(fx) = super::delete_one_occurrence(app, &events, idx, &occ) {
                        return fx;
                    }
                    let r = Record::Event(e);
                    let label = format!("{}{series}", r.label());
                    confirm_delete(app, r.kind(), r.id(), label)
                }
                Action::Copy => copy(app, &Record::Event(e)),
                _ => vec![],
            };
        }
    }
    vec![]
}
