//! Invoices table (paged) with totals per status and currency in the footer.
use super::{fit, keep_visible, row, sanitize, theme};
use crate::app::App;
use crate::domain::InvoiceStatus;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

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
    // totals: one entry per status and currency, lines broken between entries, at most 4
    let foot = totals_lines(app, area.width as usize);
    let foot_h = foot.len().min(4) as u16;
    let [head, body, foot_area] = Layout::vertical([
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
    f.render_widget(Paragraph::new(foot), foot_area);
}

/// "Totals received 10 149.00 SEK (2)  approved 450.00 EUR (1)": open statuses first (paid and
/// cancelled too when `H` lists them), wrapped between entries (never inside one) to `width`.
fn totals_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    if app.invoices.totals.is_empty() {
        return Vec::new();
    }
    let mut any = false;
    // what is still to pay first; paid and cancelled only when they are listed (H)
    let rank = |s: InvoiceStatus| match s {
        InvoiceStatus::Received => 0,
        InvoiceStatus::Approved => 1,
        InvoiceStatus::Disputed => 2,
        InvoiceStatus::Paid => 3,
        InvoiceStatus::Cancelled => 4,
    };
    let mut totals: Vec<&crate::app::Total> = app
        .invoices
        .totals
        .iter()
        .filter(|t| app.invoices.show_all || rank(t.status) < 3)
        .collect();
    totals.sort_by_key(|t| rank(t.status));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = vec![Span::styled("Totals ", theme::header())];
    let mut used = "Totals ".len();
    for t in totals {
        let status = format!("{} ", t.status);
        let amount = format!("{} ({})", t.sum, t.count);
        let w = status.width() + amount.width();
        let sep = if cur.len() > 1 { 2 } else { 0 };
        if cur.len() > 1 && used + sep + w > width {
            lines.push(Line::from(std::mem::take(&mut cur)));
            cur.push(Span::raw("       "));
            used = 7;
        } else if sep > 0 {
            cur.push(Span::raw("  "));
            used += sep;
        }
        cur.push(Span::styled(status, status_style(t.status)));
        cur.push(Span::raw(amount));
        used += w;
        any = true;
    }
    if !any {
        return Vec::new();
    }
    lines.push(Line::from(cur));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Total;
    use crate::domain::{Currency, Money};

    #[test]
    fn totals_wrap_between_entries_never_inside_one() {
        let config = crate::config::Config::default();
        let mut app = App::new(&config, chrono::Utc::now(), vec![]);
        app.invoices.show_all = true;
        let t = |status, minor, cur, count| Total {
            status,
            sum: Money::new(minor, cur),
            count,
        };
        app.invoices.totals = vec![
            t(InvoiceStatus::Approved, 123_456_789, Currency::SEK, 12),
            t(InvoiceStatus::Disputed, 1_500_000, Currency::USD, 1),
            t(InvoiceStatus::Paid, 45_000, Currency::EUR, 3),
            t(InvoiceStatus::Received, 9_876_543, Currency::SEK, 40),
        ];
        for width in [40, 60, 80, 200] {
            let lines = totals_lines(&app, width);
            let texts: Vec<String> = lines
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            for x in &app.invoices.totals {
                let entry = format!("{} {} ({})", x.status, x.sum, x.count);
                assert!(
                    texts.iter().any(|l| l.contains(&entry)),
                    "{width}: {entry} split: {texts:?}"
                );
            }
            for l in &texts {
                assert!(l.width() <= width, "{width}: {l}");
            }
            assert!(texts[0].starts_with("Totals "));
        }
        assert_eq!(totals_lines(&app, 200).len(), 1);
        // the open list's footer: what is still to pay, received first
        app.invoices.show_all = false;
        let text: String = totals_lines(&app, 200)[0]
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert!(text.starts_with("Totals received"), "{text}");
        assert!(!text.contains("paid"), "{text}");
    }
}
