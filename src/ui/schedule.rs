//! Schedule: agenda / day / week / month.
use super::timeline::{Item, Row};
use super::{fit, local, row, sanitize, scrolled_lines, theme, trunc};
use crate::app::App;
use crate::app::schedule::{View, days_covered};
use crate::domain::EventStatus;
use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    let (a, b) = app.schedule.days();
    let last = b - Duration::days(1);
    let s = &app.schedule;
    let mut title = vec![
        Span::styled(format!("{} ", capital(s.view.name())), theme::header()),
        Span::raw(if s.view == View::Month {
            a.format("%B %Y").to_string()
        } else if a == last {
            a.format("%A %-d %B %Y").to_string()
        } else {
            format!(
                "{} – {}",
                a.format("%a %-d %b"),
                last.format("%a %-d %b %Y")
            )
        }),
        Span::styled(format!("  {} events", s.occs.len()), theme::muted()),
    ];
    if !s.filter.is_empty() {
        title.push(Span::styled(
            format!("  filter: {}", sanitize(&s.filter)),
            theme::due_soon(),
        ));
    }
    if s.truncated {
        title.push(Span::styled("  (first 2000 shown)", theme::due_soon()));
    }
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    f.render_widget(Paragraph::new(Line::from(title)), head);
    match s.view {
        View::Agenda => agenda(app, f, body),
        View::Day => day(app, f, body),
        View::Week => week(app, f, body),
        View::Month => {
            let grid_h = 8.min(body.height);
            let [g, rest] =
                Layout::vertical([Constraint::Length(grid_h), Constraint::Min(0)]).areas(body);
            month(app, f, g);
            if rest.height > 0 {
                agenda(app, f, rest);
            }
        }
    }
}

/// One travel segment in the agenda and day views.
fn seg_line(sg: &crate::domain::Segment) -> Line<'static> {
    let cancelled = sg.status == crate::domain::SegmentStatus::Cancelled;
    let st = if cancelled {
        theme::dim()
    } else {
        Style::default().fg(ratatui::style::Color::Cyan)
    };
    let (when, what) = if sg.kind == crate::domain::SegmentKind::Hotel {
        (
            format!("  {}  ", sg.depart_local().format("%H:%M %Z")),
            format!(
                "hotel {} ({}) until {}",
                trunc(&sanitize(&sg.origin), 24),
                trunc(&sanitize(&sg.destination), 16),
                sg.arrive_local().format("%a %-d %b")
            ),
        )
    } else {
        (
            format!(
                "  {}–{}  ",
                sg.depart_local().format("%H:%M %Z"),
                sg.arrive_local().format("%H:%M %Z")
            ),
            format!(
                "{} {} {}→{}",
                sg.kind,
                sanitize(&sg.number),
                trunc(&sanitize(&sg.origin), 16),
                trunc(&sanitize(&sg.destination), 16)
            ),
        )
    };
    Line::from(vec![
        Span::styled(when, st),
        Span::styled(what, st),
        Span::styled(
            if sg.confirmation.is_empty() {
                String::new()
            } else {
                format!("  {}", sanitize(&sg.confirmation))
            },
            theme::muted(),
        ),
    ])
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|x| x.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn agenda(app: &mut App, f: &mut Frame, area: Rect) {
    let tz = app.tz;
    let now = app.now;
    let today = app.today_date();
    let s = &app.schedule;
    let w = area.width;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut sel = None;
    let mut day: Option<NaiveDate> = None;
    if s.loaded && s.occs.is_empty() && s.segments.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "  Nothing scheduled. Press {} to add an event.",
                super::key_of(app, "add")
            ),
            theme::muted(),
        )));
    }
    let mut segs = s.segments.iter().peekable();
    let (first, _) = s.days();
    // the line of the selected item's day heading (kept in view with it)
    let mut sel_head = 0;
    let mut head_at = 0;
    let header = |d: NaiveDate| -> Line<'static> {
        let st = if d == today {
            theme::now_line()
        } else {
            theme::header()
        };
        Line::from(Span::styled(
            d.format("%A %-d %B").to_string() + if d == today { "  (today)" } else { "" },
            st,
        ))
    };
    for (i, (ei, o)) in s.occs.iter().enumerate() {
        let Some(e) = s.events.get(*ei) else { continue };
        while let Some(sg) = segs.next_if(|sg| sg.depart <= o.start) {
            let sd = local(sg.depart, tz).date_naive().max(first);
            if day != Some(sd) {
                head_at = lines.len();
                lines.push(header(sd));
                day = Some(sd);
            }
            lines.push(seg_line(sg));
        }
        // an item going on since before the window is listed on its first day
        let d = crate::app::schedule::display_day(o, first, tz);
        if day != Some(d) {
            head_at = lines.len();
            lines.push(header(d));
            day = Some(d);
        }
        if i == s.selected {
            sel = Some(lines.len());
            sel_head = head_at;
        }
        let time = super::timeline::times(o, tz);
        let cancelled = e.status == EventStatus::Cancelled;
        let base = if cancelled {
            theme::dim()
        } else if o.end <= now {
            theme::muted()
        } else {
            Style::default()
        };
        // the marks are never cut: the title, place and category share what is left
        let mut marks = Vec::new();
        if e.rrule.is_some() || e.recurrence_id.is_some() {
            marks.push(Span::styled(" ↻", theme::muted()));
        }
        if s.conflicted.get(i).copied().unwrap_or(false) {
            marks.push(Span::styled("  ⚠ overlaps", theme::conflict()));
        }
        if cancelled {
            marks.push(Span::styled("  cancelled", theme::muted()));
        }
        let lead = format!("  {time}  ");
        let used = lead.width() + marks.iter().map(|m| m.content.width()).sum::<usize>();
        let (title, cat, place) = fit_row(
            &sanitize(&e.title),
            &format!("  {}", e.category),
            &sanitize(&e.location),
            (w as usize).saturating_sub(used),
        );
        let mut spans = vec![Span::styled(lead, base), Span::styled(title, base)];
        if !cat.is_empty() {
            spans.push(Span::styled(cat, theme::muted()));
        }
        if !place.is_empty() {
            spans.push(Span::styled(place, theme::muted()));
        }
        spans.extend(marks);
        lines.push(row(spans, i == s.selected, w));
    }
    for sg in segs {
        let sd = local(sg.depart, tz).date_naive().max(first);
        if day != Some(sd) {
            lines.push(header(sd));
            day = Some(sd);
        }
        lines.push(seg_line(sg));
    }
    // the selected item and, when they fit together, its day's heading
    let h = area.height as usize;
    let scroll = match sel {
        // just moved there: the day's heading at the top, the day below it
        Some(_) if app.schedule.reveal => sel_head,
        Some(l) => super::keep_with_heading(app.schedule.scroll, l, sel_head, h),
        None => app.schedule.scroll,
    };
    app.schedule.reveal = false;
    app.schedule.scroll = scrolled_lines(f, area, lines, None, scroll);
}

/// Share `room` columns between an agenda row's title, category ("  Meeting") and place
/// (shown as "  @ place"): everything when it fits; else the category goes, then the place is
/// cut (to what a whole title leaves, or a third of the room for a long title; left out below
/// 6 columns) and the title gets the rest.
fn fit_row(title: &str, cat: &str, place: &str, room: usize) -> (String, String, String) {
    let at = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!("  @ {p}")
        }
    };
    let (tw, cw, pw) = (title.width(), cat.width(), at(place).width());
    if tw + cw + pw <= room {
        return (title.to_string(), cat.to_string(), at(place));
    }
    if tw + pw <= room {
        return (title.to_string(), String::new(), at(place));
    }
    let place_w = match pw.min((room / 3).max(room.saturating_sub(tw))) {
        w if w < 6 => 0,
        w => w,
    };
    let place = if place_w == 0 {
        String::new()
    } else {
        // "  @ " and the place cut to fit
        format!("  @ {}", trunc(place, place_w - 4))
    };
    (trunc(title, room - place.width()), String::new(), place)
}

/// The day view: hours down the side, each event at its time, the current time marked on
/// today (the timeline Today draws, with empty hours shown as free time); travel below.
fn day(app: &mut App, f: &mut Frame, area: Rect) {
    let s = &app.schedule;
    let (d, _) = s.days();
    let w = area.width;
    // (occurrence index, item)
    let (at, items): (Vec<usize>, Vec<Item>) = s
        .occs
        .iter()
        .enumerate()
        .filter_map(|(k, (ei, o))| {
            let item = Item {
                occ: o,
                event: s.events.get(*ei)?,
                conflict: s.conflicted.get(k).copied().unwrap_or(false),
            };
            Some((k, item))
        })
        .unzip();
    let frame = super::timeline::Frame {
        day: d,
        now: app.now,
        tz: app.tz,
        width: w as usize,
        hours: true,
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut sel = None;
    for r in super::timeline::rows(&items, &frame) {
        match r {
            Row::Item(i, spans) => {
                let is = at.get(i) == Some(&s.selected);
                if is {
                    sel = Some(lines.len());
                }
                lines.push(row(spans, is, w));
            }
            Row::Plain(l) => lines.push(l),
        }
    }
    if !s.segments.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Travel", theme::header())));
        for sg in &s.segments {
            lines.push(seg_line(sg));
        }
    }
    let scroll = app.schedule.scroll;
    app.schedule.scroll = scrolled_lines(f, area, lines, sel, scroll);
}

fn week(app: &mut App, f: &mut Frame, area: Rect) {
    let tz = app.tz;
    let today = app.today_date();
    let s = &app.schedule;
    let (start, _) = s.days();
    let cols = Layout::horizontal([Constraint::Ratio(1, 7); 7]).split(area);
    for (c, col) in cols.iter().enumerate() {
        let d = start + Duration::days(c as i64);
        let cw = col.width.saturating_sub(1) as usize;
        let hst = if d == today {
            theme::now_line()
        } else {
            theme::header()
        };
        let mut lines = vec![Line::from(Span::styled(
            fit(&d.format("%a %-d").to_string(), cw),
            hst.add_modifier(Modifier::UNDERLINED),
        ))];
        // events and travel of the day in one list by time (all-day events first)
        let mut entries: Vec<(bool, chrono::DateTime<chrono::Utc>, Line<'static>)> = Vec::new();
        // an item over several days (a three-day conference, a night flight) shows on each of
        // them; after its first day marked ↪ and listed with the all-day ones
        for (i, (ei, o)) in s.occs.iter().enumerate() {
            let (first, last) = days_covered(o.start, o.end, tz);
            if d < first || d > last {
                continue;
            }
            let continued = d > first;
            let Some(e) = s.events.get(*ei) else { continue };
            let t = if continued {
                "↪".to_string()
            } else if o.all_day {
                "•".to_string()
            } else {
                local(o.start, tz).format("%H:%M").to_string()
            };
            let mut st = if e.status == EventStatus::Cancelled {
                theme::dim()
            } else if s.conflicted.get(i).copied().unwrap_or(false) {
                theme::conflict()
            } else {
                Style::default()
            };
            if i == s.selected {
                st = theme::selected();
            }
            let line = Line::from(Span::styled(
                fit(&format!("{t} {}", sanitize(&e.title)), cw),
                st,
            ));
            entries.push((!o.all_day && !continued, o.start, line));
        }
        for sg in &s.segments {
            let (first, last) = days_covered(sg.depart, sg.arrive, tz);
            if d < first || d > last {
                continue;
            }
            let continued = d > first;
            let st = if sg.status == crate::domain::SegmentStatus::Cancelled {
                theme::dim()
            } else {
                Style::default().fg(ratatui::style::Color::Cyan)
            };
            let line = Line::from(Span::styled(
                fit(
                    &format!(
                        "{}{} {}",
                        super::travel::icon(sg.kind),
                        if continued {
                            "↪".to_string()
                        } else {
                            local(sg.depart, tz).format("%H:%M").to_string()
                        },
                        sanitize(if sg.number.is_empty() {
                            &sg.destination
                        } else {
                            &sg.number
                        })
                    ),
                    cw,
                ),
                st,
            ));
            entries.push((!continued, sg.depart, line));
        }
        entries.sort_by_key(|(timed, at, _)| (*timed, *at));
        lines.extend(entries.into_iter().map(|(_, _, l)| l));
        let h = col.height as usize;
        if lines.len() > h && h > 0 {
            let more = lines.len() - h + 1;
            lines.truncate(h - 1);
            lines.push(Line::from(Span::styled(
                format!("+{more} more"),
                theme::muted(),
            )));
        }
        f.render_widget(Paragraph::new(lines), *col);
    }
}

fn month(app: &App, f: &mut Frame, area: Rect) {
    let tz = app.tz;
    let today = app.today_date();
    let s = &app.schedule;
    let (first, _) = s.days();
    let (grid_start, grid_end) = s.grid();
    let day_of = |o| crate::app::schedule::display_day(o, first, tz);
    let sel_day = s.occs.get(s.selected).map(|(_, o)| day_of(o));
    let cw = (area.width as usize / 7).max(4);
    let mut lines = vec![Line::from(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .map(|d| Span::styled(fit(d, cw), theme::header()))
            .collect::<Vec<_>>(),
    )];
    // the counts of every day shown, greyed days too (made when the grid's rows arrived)
    let mut d = grid_start;
    while d < grid_end {
        let mut spans = vec![];
        for _ in 0..7 {
            let n = s.count_on(d);
            let text = month_cell(d.day(), n, cw);
            let mut st = if d.month() != first.month() {
                theme::muted()
            } else {
                Style::default()
            };
            if d == today {
                st = theme::now_line();
            }
            if Some(d) == sel_day {
                st = theme::selected();
            }
            spans.push(Span::styled(fit(&text, cw), st));
            d += Duration::days(1);
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// A month cell: the day and how many items it has, within `cw - 1` columns so cells never
/// run together: "23 •81", narrower "23•81", "23•9+", then "23•".
fn month_cell(day: u32, n: usize, cw: usize) -> String {
    if n == 0 {
        return format!("{day:>2}");
    }
    let room = cw.saturating_sub(1);
    [
        format!("{day:>2} •{n}"),
        format!("{day:>2}•{n}"),
        format!("{day:>2}•9+"),
    ]
    .into_iter()
    .filter(|t| n > 9 || !t.ends_with('+'))
    .find(|t| t.width() <= room)
    .unwrap_or_else(|| format!("{day:>2}•"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_cells_never_run_into_the_next_one() {
        assert_eq!(month_cell(23, 81, 14), "23 •81");
        assert_eq!(month_cell(23, 81, 6), "23•81");
        assert_eq!(month_cell(23, 181, 6), "23•9+");
        assert_eq!(month_cell(3, 4, 5), " 3•4");
        assert_eq!(month_cell(23, 81, 5), "23•");
        assert_eq!(month_cell(9, 0, 5), " 9");
    }

    #[test]
    fn an_agenda_row_gives_up_category_then_place_then_title_never_overflowing() {
        let title = "Interview: Dagens Industri about the quarterly results";
        for room in [0, 5, 12, 30, 45, 60, 80, 120] {
            let (t, c, p) = fit_row(title, "  Meeting", "Office, meeting room 4", room);
            let w = t.width() + c.width() + p.width();
            assert!(w <= room, "{room}: {t}|{c}|{p}");
            if room >= 12 {
                assert!(!t.is_empty(), "{room}");
            }
        }
        assert_eq!(
            fit_row("Board", "  Meeting", "Room A", 80),
            ("Board".into(), "  Meeting".into(), "  @ Room A".into())
        );
        // no room for the category: the place stays
        assert_eq!(
            fit_row("Board", "  Meeting", "Room A", 16),
            ("Board".into(), String::new(), "  @ Room A".into())
        );
        // a long title: the place is cut to a third of the room and the title takes the rest
        let (t, c, p) = fit_row(title, "  Meeting", "Office, meeting room 4", 45);
        assert_eq!(c, "");
        assert_eq!(p.width(), 15);
        assert!(p.starts_with("  @ Office"), "{p}");
        assert_eq!(t.width(), 30);
        assert!(t.ends_with('…'));
    }
}
