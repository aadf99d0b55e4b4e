//! Today: triage list in sections; the timeline marks the current time.
use super::{empty_hint, local, row, sanitize, scrolled_lines, theme, trunc};
use crate::app::App;
use crate::app::today::TodayItem;
use crate::domain::{Due, EventStatus, TaskStatus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    let s = &app.today;
    let tz = app.tz;
    let now = app.now;
    let today = app.today_date();
    let w = area.width;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut sel_line = None;
    let items = s.items();
    let selected = s.selected;
    let mut mark = |lines: &mut Vec<Line<'static>>, item: TodayItem| {
        let is = items.get(selected) == Some(&item);
        if is {
            sel_line = Some(lines.len());
        }
        is
    };
    if !s.loaded {
        f.render_widget(Line::from("Loading…"), area);
        return;
    }
    // Tasks
    let overdue = s
        .data
        .tasks
        .iter()
        .filter(|t| t.is_overdue(today, now, tz))
        .count();
    lines.push(Line::from(vec![
        Span::styled("Tasks", theme::header()),
        Span::styled(
            format!(
                "  {} overdue, {} due today",
                overdue,
                s.data.tasks.len() - overdue
            ),
            theme::muted(),
        ),
    ]));
    if s.data.tasks.is_empty() {
        lines.push(Line::from(Span::styled("  Nothing due. ", theme::muted())));
    }
    for (i, t) in s.data.tasks.iter().enumerate() {
        let is = mark(&mut lines, TodayItem::Task(i));
        let od = t.is_overdue(today, now, tz);
        let when = match t.due {
            Some(Due::Date(d)) if d < today => format!("{}d late", (today - d).num_days()),
            Some(Due::Date(_)) => "today".to_string(),
            Some(Due::At(a)) if a < now => {
                let l = local(a, tz);
                if l.date_naive() == today {
                    format!("{} late", l.format("%H:%M"))
                } else {
                    format!("{}d late", (today - l.date_naive()).num_days().max(1))
                }
            }
            Some(Due::At(a)) => local(a, tz).format("%H:%M").to_string(),
            None => String::new(),
        };
        let pri = match t.priority {
            crate::domain::Priority::High => "!",
            _ => " ",
        };
        let st = if od {
            theme::overdue()
        } else {
            Style::default()
        };
        let who = if t.contact_name.is_empty() {
            String::new()
        } else {
            format!("  {}", sanitize(&t.contact_name))
        };
        let status = if t.status == TaskStatus::Waiting {
            " (waiting)"
        } else {
            ""
        };
        lines.push(row(
            vec![
                Span::raw("  "),
                Span::styled(format!("{pri} {:<9} ", when), st),
                Span::styled(format!("{:<7} ", t.kind.as_str()), theme::muted()),
                Span::styled(
                    trunc(
                        &sanitize(&t.subject),
                        (w as usize).saturating_sub(45).max(10),
                    ),
                    st,
                ),
                Span::styled(format!("{who}{status}"), theme::muted()),
            ],
            is,
            w,
        ));
    }
    lines.push(Line::from(""));
    // Timeline
    lines.push(Line::from(vec![
        Span::styled("Schedule", theme::header()),
        Span::styled(format!("  {}", today.format("%A %-d %B")), theme::muted()),
    ]));
    if s.occs.is_empty() {
        lines.push(Line::from(Span::styled(
            "  No events today.",
            theme::muted(),
        )));
    }
    let mut now_drawn = false;
    let now_line = |lines: &mut Vec<Line<'static>>| {
        lines.push(Line::from(Span::styled(
            format!("  ── {} now ──", local(now, tz).format("%H:%M")),
            theme::now_line(),
        )));
    };
    for (i, (ei, o)) in s.occs.iter().enumerate() {
        let Some(e) = s.data.events.get(*ei) else {
            continue;
        };
        if !now_drawn && !o.all_day && o.start > now {
            now_line(&mut lines);
            now_drawn = true;
        }
        let is = mark(&mut lines, TodayItem::Event(i));
        let time = if o.all_day {
            "all day    ".to_string()
        } else {
            format!(
                "{}–{}",
                local(o.start, tz).format("%H:%M"),
                local(o.end, tz).format("%H:%M")
            )
        };
        let conflict = s.conflicts.iter().any(|c| c.event_id == e.id)
            || s.conflicts.iter().any(|c| c.a == e.title && !c.travel);
        let base = if e.status == EventStatus::Cancelled {
            theme::dim()
        } else if o.start <= now && now < o.end {
            theme::now_line()
        } else {
            Style::default()
        };
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(format!("{time}  "), base),
            Span::styled(sanitize(&e.title), base),
        ];
        if !e.location.is_empty() {
            spans.push(Span::styled(
                format!("  @ {}", trunc(&sanitize(&e.location), 24)),
                theme::muted(),
            ));
        }
        if conflict {
            spans.push(Span::styled("  ⚠ conflict", theme::conflict()));
        }
        match e.status {
            EventStatus::Tentative => spans.push(Span::styled("  (tentative)", theme::muted())),
            EventStatus::Cancelled => spans.push(Span::styled("  (cancelled)", theme::muted())),
            EventStatus::Confirmed => {}
        }
        lines.push(row(spans, is, w));
    }
    if !now_drawn && !s.occs.is_empty() {
        now_line(&mut lines);
    }
    lines.push(Line::from(""));
    // Travel
    lines.push(Line::from(vec![
        Span::styled("Travel", theme::header()),
        Span::styled("  next 7 days", theme::muted()),
    ]));
    if s.data.segments.is_empty() {
        lines.push(Line::from(Span::styled("  No travel.", theme::muted())));
    }
    for (i, sg) in s.data.segments.iter().enumerate() {
        let is = mark(&mut lines, TodayItem::Segment(i));
        let d = sg.depart_local();
        let a = sg.arrive_local();
        let mut spans = vec![
            Span::raw("  "),
            Span::raw(format!("{} ", d.format("%a %-d %H:%M %Z"))),
            Span::styled(
                format!("{} {} ", sg.kind, sanitize(&sg.number)),
                Style::default().fg(ratatui::style::Color::Cyan),
            ),
            Span::raw(format!(
                "{}→{} ",
                trunc(&sanitize(&sg.origin), 14),
                trunc(&sanitize(&sg.destination), 14)
            )),
            Span::styled(format!("arr {}", a.format("%H:%M %Z")), theme::muted()),
        ];
        if !sg.confirmation.is_empty() {
            spans.push(Span::raw(format!("  {}", sanitize(&sg.confirmation))));
        }
        let dim = sg.status == crate::domain::SegmentStatus::Cancelled;
        if dim {
            spans = spans
                .into_iter()
                .map(|s| Span::styled(s.content, theme::dim()))
                .collect();
        }
        lines.push(row(spans, is, w));
    }
    lines.push(Line::from(""));
    // Invoices
    lines.push(Line::from(vec![
        Span::styled("Invoices", theme::header()),
        Span::styled("  overdue or due within 7 days", theme::muted()),
    ]));
    if s.data.invoices.is_empty() {
        lines.push(Line::from(Span::styled(
            "  Nothing to pay.",
            theme::muted(),
        )));
    }
    for (i, inv) in s.data.invoices.iter().enumerate() {
        let is = mark(&mut lines, TodayItem::Invoice(i));
        let od = inv.is_overdue(today);
        let days = (inv.due_date - today).num_days();
        let when = if od {
            format!("{}d overdue", -days)
        } else if days == 0 {
            "due today".to_string()
        } else {
            format!("due in {days}d")
        };
        let st = if od {
            theme::overdue()
        } else {
            theme::due_soon()
        };
        lines.push(row(
            vec![
                Span::raw("  "),
                Span::styled(format!("{when:<11} "), st),
                Span::raw(format!("{:<20} ", trunc(&sanitize(&inv.vendor_name), 20))),
                Span::styled(format!("{:>16} ", inv.amount.to_string()), Style::default()),
                Span::styled(
                    format!("{} {}", trunc(&sanitize(&inv.number), 14), inv.status),
                    theme::muted(),
                ),
            ],
            is,
            w,
        ));
    }
    if !s.conflicts.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Conflicts", theme::conflict())));
        for (i, c) in s.conflicts.iter().enumerate() {
            let is = mark(&mut lines, TodayItem::Conflict(i));
            lines.push(row(
                vec![
                    Span::raw("  "),
                    Span::styled("⚠ ", theme::conflict()),
                    Span::raw(format!(
                        "{}–{}  {} ✕ {}",
                        local(c.start, tz).format("%H:%M"),
                        local(c.end, tz).format("%H:%M"),
                        trunc(&sanitize(&c.a), 28),
                        trunc(&sanitize(&c.b), 28)
                    )),
                    Span::styled(if c.travel { "  (travel)" } else { "" }, theme::muted()),
                ],
                is,
                w,
            ));
        }
    }
    if items.is_empty() {
        lines.push(Line::from(""));
        lines.push(empty_hint(app, "items today"));
    }
    let scroll = app.today.scroll;
    app.today.scroll = scrolled_lines(f, area, lines, sel_line, scroll);
}
