//! Invoices table (paged) with totals per status and currency in the footer.
use super::{fit, keep_visible, row, sanitize, theme};
use crate::app::App;
use crate::domain::InvoiceStatus;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn status_style(s: InvoiceStatus) -> Style {
    match s {
        InvoiceStatus::Paid => theme::muted(),
        InvoiceStatus::Cancelled => theme::dim(),
        InvoiceStatus::Disputed => theme::conflict(),
        InvoiceStatus::Approved => Style::default().fg(ratatui::style::Color::Green),
        InvoiceStatus::Received => Style::default(),
    }
}

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    let today = app.today_date();
    // totals wrap: as many lines as they need, at most 4
    let foot_w: usize = app
        .invoices
        .totals
        .iter()
        .map(|t| t.status.as_str().len() + t.sum.to_string().len() + t.count.to_string().len() + 6)
        .sum::<usize>()
        + 7;
    let foot_h = if app.invoices.totals.is_empty() {
        0
    } else {
        (foot_w.div_ceil(area.width.max(1) as usize) as u16 + 1).min(4)
    };
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(foot_h),
    ])
    .areas(area);
    let w = area.width as usize;
    let due_w = 11;
    let amt_w = 17;
    let st_w = 10;
    let num_w = (w * 16 / 100).max(8);
    let vendor_w = w.saturating_sub(due_w + amt_w + st_w + num_w + 6);
    let mut title = format!(
        " {}{}{}{:>amt_w$} {}",
        fit("Due", due_w + 1),
        fit("Vendor", vendor_w + 1),
        fit("Number", num_w + 1),
        "Amount",
        fit("Status", st_w)
    );
    if !app.invoices.filter.is_empty() {
        title = format!(
            "{}  filter: {}",
            fit(&title, w.saturating_sub(30)),
            sanitize(&app.invoices.filter)
        );
    }
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(title, theme::header()))),
        head,
    );
    let l = &app.invoices.list;
    let h = body.height as usize;
    let scroll = keep_visible(l.scroll, l.selected, h);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if l.loaded_once && l.is_empty() {
        lines.push(super::empty_hint(app, "invoices"));
    }
    for abs in scroll..(scroll + h).min(l.len()) {
        let Some(i) = l.get(abs) else {
            lines.push(Line::from(Span::styled("  …", theme::muted())));
            continue;
        };
        let od = i.is_overdue(today);
        let due_st = if od {
            theme::overdue()
        } else if i.is_open() && (i.due_date - today).num_days() <= 7 {
            theme::due_soon()
        } else {
            Style::default()
        };
        let row_st = if od {
            theme::overdue()
        } else {
            Style::default()
        };
        let status = if od {
            format!("{} !", i.status)
        } else {
            i.status.to_string()
        };
        lines.push(row(
            vec![
                Span::styled(format!(" {} ", fit(&i.due_date.to_string(), due_w)), due_st),
                Span::styled(fit(&sanitize(&i.vendor_name), vendor_w) + " ", row_st),
                Span::styled(fit(&sanitize(&i.number), num_w) + " ", theme::muted()),
                Span::styled(format!("{:>amt_w$} ", i.amount.to_string()), row_st),
                Span::styled(
                    fit(&status, st_w),
                    if od {
                        theme::overdue()
                    } else {
                        status_style(i.status)
                    },
                ),
            ],
            abs == l.selected,
            area.width,
        ));
    }
    f.render_widget(Paragraph::new(lines), body);
    app.invoices.list.scroll = scroll;
    if foot_h > 0 {
        let mut spans = vec![Span::styled("Totals ", theme::header())];
        for t in &app.invoices.totals {
            spans.push(Span::styled(
                format!("{} ", t.status),
                status_style(t.status),
            ));
            spans.push(Span::raw(format!("{} ({})  ", t.sum, t.count)));
        }
        f.render_widget(
            Paragraph::new(Line::from(spans)).wrap(ratatui::widgets::Wrap { trim: true }),
            foot,
        );
    }
}
