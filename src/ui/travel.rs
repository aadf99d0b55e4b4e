//! Travel: trips on the left, the selected trip's itinerary on the right (stacked when narrow).
use super::{fit, keep_visible, local, row, sanitize, scrolled_lines, theme, trunc};
use crate::app::App;
use crate::domain::travel::layovers;
use crate::domain::{SegmentKind, SegmentStatus};
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::{Block, Borders};
use unicode_width::UnicodeWidthStr;

/// The mark for a kind of segment (also on Today's travel lines).
pub(super) fn icon(k: SegmentKind) -> &'static str {
    match k {
        SegmentKind::Flight => "✈",
        SegmentKind::Train => "≡",
        SegmentKind::Hotel => "⌂",
        SegmentKind::Car => "◇",
        SegmentKind::Other => "•",
    }
}

fn dur(d: chrono::Duration) -> String {
    let m = d.num_minutes();
    if m >= 60 {
        format!("{}h {:02}m", m / 60, m % 60)
    } else {
        format!("{m}m")
    }
}

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    let tz = app.tz;
    let s = &app.travel;
    let wide = area.width >= 90;
    let (list_area, itin_area) = if wide {
        let [a, b] = Layout::horizontal([
            Constraint::Length((area.width / 3).clamp(30, 44)),
            Constraint::Min(20),
        ])
        .areas(area);
        (a, b)
    } else {
        let h = (area.height / 3).max(3);
        let [a, b] = Layout::vertical([Constraint::Length(h), Constraint::Min(3)]).areas(area);
        (a, b)
    };
    // trips: only the visible rows of the loaded page
    let l = &s.list;
    let which = if s.past { "Past trips" } else { "Trips" };
    let mut title = format!("{which} ({})", l.len());
    if !s.filter.is_empty() {
        title.push_str(&format!("  filter: {}", sanitize(&s.filter)));
    }
    let other = if s.past { "upcoming" } else { "past" };
    let toggle = app
        .keymap
        .label_in(crate::app::keymap::Context::Travel, "show-done");
    let mut lines = vec![Line::from(vec![
        Span::styled(title, theme::header()),
        Span::styled(format!("  {toggle}: {other}"), theme::muted()),
    ])];
    if l.loaded_once && l.is_empty() {
        lines.push(super::empty_hint(
            app,
            if s.past { "past trips" } else { "trips" },
        ));
    }
    let lw = list_area.width;
    let h = (list_area.height as usize).saturating_sub(1);
    let scroll = keep_visible(l.scroll, l.selected, h);
    for abs in scroll..(scroll + h).min(l.len()) {
        let Some(t) = l.get(abs) else {
            lines.push(Line::from(Span::styled("  …", theme::muted())));
            continue;
        };
        let when = t
            .span()
            .map(|(a, b)| {
                let (a, b) = (local(a, tz), local(b, tz));
                // a trip in another year says which
                if a.year() != local(app.now, tz).year() || b.year() != a.year() {
                    format!("{}–{}", a.format("%-d %b"), b.format("%-d %b %Y"))
                } else {
                    format!("{}–{}", a.format("%-d %b"), b.format("%-d %b"))
                }
            })
            .unwrap_or_else(|| "no segments".into());
        let is = abs == l.selected;
        let st = if is && s.segment.is_none() {
            theme::selected()
        } else if is {
            Style::default().fg(Color::Cyan)
        } else {
            Style::default()
        };
        let name_w = (lw as usize).saturating_sub(when.width() + 3);
        lines.push(row(
            vec![
                Span::styled(format!(" {}", fit(&sanitize(&t.name), name_w)), st),
                Span::styled(format!(" {when}"), theme::muted()),
            ],
            is && s.segment.is_none(),
            lw,
        ));
    }
    f.render_widget(Paragraph::new(lines), list_area);
    app.travel.list.scroll = scroll;
    let s = &app.travel;
    // itinerary
    let block = if wide {
        Block::default().borders(Borders::LEFT)
    } else {
        Block::default().borders(Borders::TOP)
    };
    let inner = block.inner(itin_area);
    f.render_widget(block, itin_area);
    let Some(t) = s.current_trip() else {
        return;
    };
    let w = inner.width;
    let mut lines = vec![Line::from(vec![
        Span::styled(sanitize(&t.name), theme::header()),
        Span::styled(
            if t.purpose.is_empty() {
                String::new()
            } else {
                format!("  {}", sanitize(&t.purpose))
            },
            theme::muted(),
        ),
    ])];
    let lay = layovers(&t.segments);
    let mut sel_line = None;
    for (i, sg) in t.segments.iter().enumerate() {
        if let Some((_, d)) = lay.iter().find(|(j, _)| *j == i) {
            let st = if *d < chrono::Duration::minutes(45) {
                theme::overdue()
            } else {
                theme::muted()
            };
            lines.push(Line::from(Span::styled(
                format!("   ⏱ layover {}", dur(*d)),
                st,
            )));
        }
        let is = s.segment == Some(i);
        if is {
            sel_line = Some(lines.len());
        }
        let cancelled = sg.status == SegmentStatus::Cancelled;
        let base = if cancelled {
            theme::dim()
        } else {
            Style::default()
        };
        let mut head = vec![
            Span::styled(format!(" {} ", icon(sg.kind)), base),
            Span::styled(
                format!(
                    "{} {} {}",
                    sg.kind,
                    sanitize(&sg.provider),
                    sanitize(&sg.number)
                ),
                base.fg(Color::Cyan),
            ),
        ];
        if !sg.confirmation.is_empty() {
            head.push(Span::raw("  conf "));
            head.push(Span::styled(
                sanitize(&sg.confirmation),
                Style::default()
                    .fg(Color::Yellow)
                    .add_modifier(ratatui::style::Modifier::BOLD),
            ));
        }
        if let Some(seat) = sg.seat_text() {
            head.push(Span::styled(
                format!("  {}", sanitize(&seat)),
                theme::muted(),
            ));
        }
        if sg.status != SegmentStatus::Booked {
            head.push(Span::styled(format!("  {}", sg.status), theme::due_soon()));
        }
        lines.push(row(head, is, w));
        let (dl, al) = if sg.kind == SegmentKind::Hotel {
            ("check-in ", "check-out")
        } else {
            ("dep", "arr")
        };
        let d = sg.depart_local();
        let a = sg.arrive_local();
        lines.push(Line::from(vec![
            Span::styled(format!("    {dl} {}", d.format("%a %-d %b %H:%M %Z")), base),
            Span::styled(format!(" ({})", sg.depart_tz.name()), theme::muted()),
            Span::styled(format!("  {}", trunc(&sanitize(&sg.origin), 30)), base),
        ]));
        lines.push(Line::from(vec![
            Span::styled(format!("    {al} {}", a.format("%a %-d %b %H:%M %Z")), base),
            Span::styled(format!(" ({})", sg.arrive_tz.name()), theme::muted()),
            Span::styled(format!("  {}", trunc(&sanitize(&sg.destination), 30)), base),
        ]));
        if sg.kind != SegmentKind::Hotel {
            lines.push(Line::from(Span::styled(
                format!("    duration {}", dur(sg.arrive - sg.depart)),
                theme::muted(),
            )));
        }
    }
    if t.segments.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "  No segments yet. Press {} to add one.",
                super::key_of(app, "segment.add")
            ),
            theme::muted(),
        )));
    }
    if !t.notes.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(" Notes: {}", sanitize(&t.notes)),
            theme::muted(),
        )));
    }
    let sc = app.travel.itinerary_scroll;
    app.travel.itinerary_scroll = scrolled_lines(f, inner, lines, sel_line, sc);
}
