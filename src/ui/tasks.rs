//! Tasks (paged), with group headers for the current sort.
use super::{fit, keep_visible, local, row, sanitize, theme};
use crate::app::tasks::sort_name;
use crate::app::{App, TaskSort};
use crate::domain::{Due, Priority, Task, TaskStatus};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn group(t: &Task, sort: TaskSort, today: NaiveDate, app: &App) -> String {
    match sort {
        TaskSort::Priority => format!("{} priority", t.priority),
        TaskSort::Kind => t.kind.to_string(),
        TaskSort::Due => match t.due.map(|d| d.date_in(app.tz)) {
            _ if t.status == TaskStatus::Done => "Done".into(),
            None => "No due date".into(),
            Some(d) if d < today => "Overdue".into(),
            Some(d) if d == today => "Today".into(),
            Some(d) if (d - today).num_days() < 7 => "Next 7 days".into(),
            Some(_) => "Later".into(),
        },
    }
}

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    let today = app.today_date();
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let s = &app.tasks;
    let l = &s.list;
    let mut title = vec![
        Span::styled(format!("Tasks by {}", sort_name(s.sort)), theme::header()),
        if s.overdue_only {
            Span::styled(
                format!(
                    "  {} overdue only ({} shows all)",
                    l.len(),
                    app.keymap
                        .label_in(crate::app::keymap::Context::Tasks, "overdue")
                ),
                theme::overdue(),
            )
        } else {
            Span::styled(
                format!(
                    "  {} {}",
                    l.len(),
                    if s.show_done { "in all" } else { "open" }
                ),
                theme::muted(),
            )
        },
    ];
    if !s.filter.is_empty() {
        title.push(Span::styled(
            format!("  filter: {}", sanitize(&s.filter)),
            theme::due_soon(),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(title)), head);
    let w = area.width as usize;
    let subj_w = w.saturating_sub(12 + 8 + 22 + 8).max(10);
    let h = body.height as usize;
    // Each group change adds a header line: build lines for a window around the selection.
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut sel = None;
    if l.loaded_once && l.is_empty() {
        lines.push(super::empty_hint(app, "tasks"));
    }
    let start = l.scroll.min(l.selected).max(l.base);
    let end = (l.selected + h + 1).min(l.base + l.rows.len());
    let mut last_group: Option<String> = start
        .checked_sub(1)
        .and_then(|p| l.get(p))
        .map(|t| group(t, s.sort, today, app));
    for abs in start..end {
        let Some(t) = l.get(abs) else { break };
        let g = group(t, s.sort, today, app);
        if last_group.as_ref() != Some(&g) {
            let st = if g == "Overdue" {
                theme::overdue()
            } else {
                theme::header()
            };
            lines.push(Line::from(Span::styled(g.clone(), st)));
            last_group = Some(g);
        }
        if abs == l.selected {
            sel = Some(lines.len());
        }
        let od = t.is_overdue(today, app.now, app.tz);
        let mark = match t.status {
            TaskStatus::Done => "[x]",
            TaskStatus::Waiting => "[w]",
            TaskStatus::Open if t.is_snoozed(app.now) => "[z]",
            TaskStatus::Open => "[ ]",
        };
        let due = match t.due {
            None => String::new(),
            Some(Due::Date(d)) => d.format("%a %-d %b").to_string(),
            Some(Due::At(a)) => local(a, app.tz).format("%-d %b %H:%M").to_string(),
        };
        let base = if t.status == TaskStatus::Done {
            theme::dim()
        } else if od {
            theme::overdue()
        } else {
            Style::default()
        };
        let who = if !t.delegated_to.is_empty() {
            format!("→ {}", t.delegated_to)
        } else {
            t.contact_name.clone()
        };
        lines.push(row(
            vec![
                Span::styled(format!(" {mark} "), base),
                Span::styled(
                    if t.priority == Priority::High {
                        "! "
                    } else {
                        "  "
                    }
                    .to_string(),
                    theme::overdue(),
                ),
                Span::styled(format!("{} ", fit(&due, 12)), base),
                Span::styled(format!("{} ", fit(t.kind.as_str(), 7)), theme::muted()),
                Span::styled(fit(&sanitize(&t.subject), subj_w), base),
                Span::styled(format!(" {}", fit(&sanitize(&who), 20)), theme::muted()),
            ],
            abs == l.selected,
            area.width,
        ));
    }
    let first = sel
        .map(|s| s.saturating_sub(h.saturating_sub(1)))
        .unwrap_or(0);
    let visible: Vec<Line> = lines.into_iter().skip(first).take(h).collect();
    f.render_widget(Paragraph::new(visible), body);
    let l = &mut app.tasks.list;
    l.scroll = keep_visible(l.scroll, l.selected, h.saturating_sub(4).max(1));
}
