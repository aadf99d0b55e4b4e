//! A day as a timeline, shared by Today and the Schedule's day view: each event with its times,
//! place and marks (conflict, tentative, cancelled), the current time marked when the day is
//! today. Compact (Today: only the events) or with the hours down the side (day view: an empty
//! hour shows as free time).
use super::{local, sanitize, theme, trunc};
use crate::domain::recurrence::Occurrence;
use crate::domain::{Event, EventStatus};
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// One occurrence to place.
pub struct Item<'a> {
    pub occ: &'a Occurrence,
    pub event: &'a Event,
    /// It overlaps something else.
    pub conflict: bool,
}

/// A timeline row: an item (selectable, by its index in the items given) or a plain line.
pub enum Row {
    Item(usize, Vec<Span<'static>>),
    Plain(Line<'static>),
}

/// Where and how wide the day is drawn.
pub struct Frame {
    pub day: NaiveDate,
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub width: usize,
    /// Hours down the side (from 08:00 to 18:00 at least), else only the events.
    pub hours: bool,
}

/// Width of the hour gutter: "09:00 │ ".
const GUTTER: usize = 8;

/// "09:30–11:00", "09:30" or "all day", 11 columns.
pub fn times(o: &Occurrence, tz: Tz) -> String {
    if o.all_day {
        "all day    ".to_string()
    } else if o.end == o.start {
        format!("{}      ", local(o.start, tz).format("%H:%M"))
    } else {
        format!(
            "{}–{}",
            local(o.start, tz).format("%H:%M"),
            local(o.end, tz).format("%H:%M")
        )
    }
}

/// The spans of one event: times, title, place, marks, fitted to `width` columns.
fn event_spans(it: &Item, fr: &Frame, width: usize) -> Vec<Span<'static>> {
    let (o, e, tz, now) = (it.occ, it.event, fr.tz, fr.now);
    let time = times(o, tz);
    let base = if e.status == EventStatus::Cancelled {
        theme::dim()
    } else if o.start <= now && now < o.end {
        theme::now_line()
    } else if o.end <= now {
        theme::muted()
    } else {
        Style::default()
    };
    let mut tail = String::new();
    if e.rrule.is_some() || e.recurrence_id.is_some() {
        tail.push_str(" ↻");
    }
    if it.conflict {
        tail.push_str(" ⚠");
    }
    match e.status {
        EventStatus::Tentative => tail.push_str(" (tentative)"),
        EventStatus::Cancelled => tail.push_str(" (cancelled)"),
        EventStatus::Confirmed => {}
    }
    let room = width.saturating_sub(11 + 2 + tail.width());
    let title = trunc(&sanitize(&e.title), room.max(6));
    let title_w = title.width();
    let mut spans = vec![
        Span::styled(format!("{time}  "), base),
        Span::styled(title, base),
    ];
    if !e.location.is_empty() && room > title_w + 6 {
        spans.push(Span::styled(
            format!("  @ {}", trunc(&sanitize(&e.location), room - title_w - 4)),
            theme::muted(),
        ));
    }
    spans.push(Span::styled(tail, theme::conflict()));
    spans
}

fn now_spans(fr: &Frame) -> Vec<Span<'static>> {
    vec![Span::styled(
        format!("── {} now ──", local(fr.now, fr.tz).format("%H:%M")),
        theme::now_line(),
    )]
}

/// The rows of the day. `items` are placed all-day first, then by start; an item's row names
/// its index in `items`.
pub fn rows(items: &[Item], fr: &Frame) -> Vec<Row> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (!items[i].occ.all_day, items[i].occ.start));
    let is_today = local(fr.now, fr.tz).date_naive() == fr.day;
    if fr.hours {
        hours(items, &order, fr, is_today)
    } else {
        compact(items, &order, fr, is_today)
    }
}

fn compact(items: &[Item], order: &[usize], fr: &Frame, is_today: bool) -> Vec<Row> {
    let lead = |mut v: Vec<Span<'static>>| {
        v.insert(0, Span::raw("  "));
        v
    };
    let w = fr.width.saturating_sub(2);
    let mut out = Vec::new();
    let mut now_drawn = !is_today;
    for &i in order {
        let it = &items[i];
        if !now_drawn && !it.occ.all_day && it.occ.start > fr.now {
            out.push(Row::Plain(Line::from(lead(now_spans(fr)))));
            now_drawn = true;
        }
        out.push(Row::Item(i, lead(event_spans(it, fr, w))));
    }
    if !now_drawn && !items.is_empty() {
        out.push(Row::Plain(Line::from(lead(now_spans(fr)))));
    }
    out
}

/// The local hour an occurrence starts in on the day (0 when it began the day before).
fn hour_of(it: &Item, fr: &Frame) -> u32 {
    let l = local(it.occ.start, fr.tz);
    if l.date_naive() < fr.day { 0 } else { l.hour() }
}

fn hours(items: &[Item], order: &[usize], fr: &Frame, is_today: bool) -> Vec<Row> {
    let gutter = |text: String| Span::styled(format!("{text:>5} │ "), theme::muted());
    let w = fr.width.saturating_sub(GUTTER);
    let mut out = Vec::new();
    let timed: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| !items[i].occ.all_day)
        .collect();
    for &i in order.iter().filter(|&&i| items[i].occ.all_day) {
        let mut spans = vec![gutter(String::new())];
        spans.extend(event_spans(&items[i], fr, w));
        out.push(Row::Item(i, spans));
    }
    // the working day at least, and every event's hours
    let now_hour = is_today.then(|| local(fr.now, fr.tz).hour());
    let first = timed
        .iter()
        .map(|&i| hour_of(&items[i], fr))
        .chain(now_hour)
        .min()
        .unwrap_or(8)
        .min(8);
    let last = timed
        .iter()
        .map(|&i| {
            let end = local(items[i].occ.end, fr.tz);
            if end.date_naive() > fr.day {
                24
            } else {
                end.hour() + u32::from(end.minute() > 0)
            }
        })
        .chain(now_hour.map(|h| h + 1))
        .max()
        .unwrap_or(18)
        .clamp(18, 24);
    for h in first..last {
        // the events starting in this hour, and the current time among them
        let mut entries: Vec<Option<usize>> = timed
            .iter()
            .copied()
            .filter(|&i| hour_of(&items[i], fr) == h)
            .map(Some)
            .collect();
        if now_hour == Some(h) {
            let at = entries
                .iter()
                .position(|e| e.is_some_and(|i| items[i].occ.start > fr.now))
                .unwrap_or(entries.len());
            entries.insert(at, None);
        }
        if entries.is_empty() {
            out.push(Row::Plain(Line::from(gutter(format!("{h:02}:00")))));
            continue;
        }
        for (k, e) in entries.into_iter().enumerate() {
            let g = gutter(if k == 0 {
                format!("{h:02}:00")
            } else {
                String::new()
            });
            match e {
                Some(i) => {
                    let mut spans = vec![g];
                    spans.extend(event_spans(&items[i], fr, w));
                    out.push(Row::Item(i, spans));
                }
                None => {
                    let mut spans = vec![g];
                    spans.extend(now_spans(fr));
                    out.push(Row::Plain(Line::from(spans)));
                }
            }
        }
    }
    out
}
