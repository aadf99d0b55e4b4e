//! Travel: trips a page at a time through SQL, upcoming ones (not yet ended, soonest first, then
//! trips without segments yet) or, with `H`, past ones (most recent first). Each trip's segments
//! as an itinerary; `h`/`l` move between the trip and its segments; `y` copies the confirmation
//! code.
use super::contacts::move_paged;
use super::form::FormKind;
use super::paged::Paged;
use super::{Action, App, Effect, Load, Record, confirm_delete, copy, open_detail, open_form};
use crate::domain::{Segment, Trip};

/// Trips per query (each comes with its segments).
pub const TRIP_PAGE: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TravelState {
    pub list: Paged<Trip>,
    /// None: the trip itself; Some(i): its i-th segment.
    pub segment: Option<usize>,
    pub filter: String,
    /// Past trips (ended), most recent first, instead of the upcoming ones.
    pub past: bool,
    /// First visible line of the itinerary.
    pub itinerary_scroll: usize,
}

impl TravelState {
    pub fn current_trip(&self) -> Option<&Trip> {
        self.list.current()
    }
    pub fn current_segment(&self) -> Option<&Segment> {
        self.current_trip()
            .and_then(|t| self.segment.and_then(|i| t.segments.get(i)))
    }
    pub fn current_record(&self) -> Option<Record> {
        match self.current_segment() {
            Some(s) => Some(Record::Segment(s.clone())),
            None => self.current_trip().cloned().map(Record::Trip),
        }
    }
}

fn search(f: &str) -> Option<String> {
    let f = f.trim();
    (!f.is_empty()).then(|| f.to_string())
}

pub fn load_at(app: &App, offset: usize) -> Effect {
    Effect::Load(Load::Travel {
        now: app.now,
        past: app.travel.past,
        search: search(&app.travel.filter),
        offset: offset as u32,
        limit: TRIP_PAGE as u32,
    })
}

pub fn load(app: &App) -> Effect {
    load_at(app, page_for(&app.travel.list))
}

/// The offset of the page that covers the selection.
fn page_for(l: &Paged<Trip>) -> usize {
    l.selected.saturating_sub(TRIP_PAGE / 2)
}

pub fn loaded(
    app: &mut App,
    s: Option<String>,
    past: bool,
    offset: u32,
    rows: Vec<Trip>,
    total: u64,
) -> Vec<Effect> {
    if s != search(&app.travel.filter) || past != app.travel.past {
        return vec![]; // an answer for another filter or list
    }
    let t = &mut app.travel;
    // the cursor stays on its trip, and on its segment, when rows come and go around them
    let seg = t.current_segment().map(|s| s.id);
    t.list
        .receive_by(offset as usize, rows, Some(total as usize), |r| r.id);
    if let Some(id) = seg
        && let Some(i) = t
            .current_trip()
            .and_then(|x| x.segments.iter().position(|s| s.id == id))
    {
        t.segment = Some(i);
    }
    let nseg = t.current_trip().map(|x| x.segments.len()).unwrap_or(0);
    if t.segment.is_some_and(|i| i >= nseg) {
        t.segment = nseg.checked_sub(1);
    }
    vec![]
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let s = &mut app.travel;
    let nseg = s.current_trip().map(|t| t.segments.len()).unwrap_or(0);
    // j/k walk through the open trip's segments before moving to the next trip
    match (&action, s.segment) {
        (Action::Down, Some(i)) if i + 1 < nseg => {
            s.segment = Some(i + 1);
            return vec![];
        }
        (Action::Up, Some(0)) => {
            s.segment = None;
            return vec![];
        }
        (Action::Up, Some(i)) => {
            s.segment = Some(i - 1);
            return vec![];
        }
        _ => {}
    }
    let before = s.list.selected;
    if let Some(need) = move_paged(&mut s.list, &action, 5) {
        if s.list.selected != before {
            s.segment = None;
            s.itinerary_scroll = 0;
        }
        // a page is loaded around the selection, TRIP_PAGE trips at a time
        return need
            .map(|_| load_at(app, page_for(&app.travel.list)))
            .into_iter()
            .collect();
    }
    match action {
        Action::Next => {
            s.segment = match s.segment {
                None if nseg > 0 => Some(0),
                Some(i) if i + 1 < nseg => Some(i + 1),
                x => x,
            };
            return vec![];
        }
        Action::Prev => {
            s.segment = match s.segment {
                Some(0) | None => None,
                Some(i) => Some(i - 1),
            };
            return vec![];
        }
        Action::ToggleDone => {
            s.past = !s.past;
            s.list.reset();
            s.segment = None;
            let msg = if s.past {
                "showing past trips, most recent first"
            } else {
                "showing upcoming trips"
            };
            app.info(msg);
            return vec![load(app)];
        }
        Action::Add => return open_form(app, FormKind::Trip, None),
        Action::AddSegment => {
            return match s.current_trip() {
                Some(t) => {
                    let id = t.id;
                    open_form(app, FormKind::Segment(id), None)
                }
                None => {
                    app.info(format!("add a trip first ({})", app.keymap.label("add")));
                    vec![]
                }
            };
        }
        _ => {}
    }
    let Some(r) = s.current_record() else {
        app.info("no trip selected");
        return vec![];
    };
    match action {
        Action::Open => open_detail(app, r),
        Action::Edit => open_form(app, FormKind::of(&r), Some(r)),
        Action::Delete => {
            let label = match &r {
                Record::Trip(t) if !t.segments.is_empty() => {
                    format!("{} and its {} segments", r.label(), t.segments.len())
                }
                _ => r.label(),
            };
            confirm_delete(app, r.kind(), r.id(), label)
        }
        Action::Copy => copy(app, &r),
        _ => vec![],
    }
}
