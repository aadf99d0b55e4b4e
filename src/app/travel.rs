//! Travel: upcoming (and recent) trips; each trip's segments as an itinerary. `h`/`l` move
//! between the trip and its segments; `y` copies the confirmation code.
use super::form::FormKind;
use super::{Action, App, Effect, Load, Record, confirm_delete, copy, open_detail, open_form};
use crate::domain::{Segment, Trip};
use chrono::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TravelState {
    pub trips: Vec<Trip>,
    pub selected: usize,
    /// None: the trip itself; Some(i): its i-th segment.
    pub segment: Option<usize>,
    pub filter: String,
    pub scroll: usize,
    pub loaded: bool,
    /// Trips added in this session (shown even without segments).
    pub also: Vec<i64>,
}

impl TravelState {
    pub fn current_trip(&self) -> Option<&Trip> {
        self.trips.get(self.selected)
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

/// Trips still running or starting from 30 days ago on.
pub fn load(app: &App) -> Effect {
    let f = app.travel.filter.trim();
    Effect::Load(Load::Travel {
        from: app.now - Duration::days(30),
        search: (!f.is_empty()).then(|| f.to_string()),
        also: app.travel.also.clone(),
    })
}

pub fn loaded(app: &mut App, search: Option<String>, trips: Vec<Trip>) -> Vec<Effect> {
    let f = app.travel.filter.trim().to_string();
    if search.unwrap_or_default() != f {
        return vec![];
    }
    let s = &mut app.travel;
    let first_load = !s.loaded;
    s.trips = trips;
    s.loaded = true;
    if first_load {
        // start on the first trip that has not ended
        let now = app.now;
        s.selected = s
            .trips
            .iter()
            .position(|t| t.span().is_none_or(|(_, end)| end >= now))
            .unwrap_or(0);
    }
    if s.selected >= s.trips.len() {
        s.selected = s.trips.len().saturating_sub(1);
    }
    let nseg = s.current_trip().map(|t| t.segments.len()).unwrap_or(0);
    if s.segment.is_some_and(|i| i >= nseg) {
        s.segment = nseg.checked_sub(1);
    }
    vec![]
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.travel.trips.len();
    let s = &mut app.travel;
    let nseg = s.current_trip().map(|t| t.segments.len()).unwrap_or(0);
    match action {
        Action::Down => {
            match s.segment {
                Some(i) if i + 1 < nseg => s.segment = Some(i + 1),
                _ if s.selected + 1 < n => {
                    s.selected += 1;
                    s.segment = None;
                }
                _ => {}
            };
        }
        Action::Up => match s.segment {
            Some(0) => s.segment = None,
            Some(i) => s.segment = Some(i - 1),
            None if s.selected > 0 => {
                s.selected -= 1;
                s.segment = None;
            }
            None => {}
        },
        Action::Next => {
            s.segment = match s.segment {
                None if nseg > 0 => Some(0),
                Some(i) if i + 1 < nseg => Some(i + 1),
                x => x,
            }
        }
        Action::Prev => {
            s.segment = match s.segment {
                Some(0) | None => None,
                Some(i) => Some(i - 1),
            }
        }
        Action::Top => {
            s.selected = 0;
            s.segment = None;
        }
        Action::Bottom => {
            s.selected = n.saturating_sub(1);
            s.segment = None;
        }
        Action::PageDown => {
            s.selected = (s.selected + 5).min(n.saturating_sub(1));
            s.segment = None;
        }
        Action::PageUp => {
            s.selected = s.selected.saturating_sub(5);
            s.segment = None;
        }
        Action::Add => return open_form(app, FormKind::Trip, None),
        Action::AddSegment => match s.current_trip() {
            Some(t) => {
                let id = t.id;
                return open_form(app, FormKind::Segment(id), None);
            }
            None => app.info("add a trip first (a)"),
        },
        other => {
            let Some(r) = s.current_record() else {
                app.info("no trip selected");
                return vec![];
            };
            return match other {
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
            };
        }
    }
    vec![]
}
