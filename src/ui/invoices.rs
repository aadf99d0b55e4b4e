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
    // totals: a line per status, the currencies that fit (T lists them all)
    let foot = totals_lines(app, area.width as usize);
    let foot_h = (foot.len() as u16).min(area.height.saturating_sub(3));
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

/// Footer order: what is still to pay first; paid and cancelled last.
fn rank(s: InvoiceStatus) -> u8 {
    match s {
        InvoiceStatus::Received => 0,
        InvoiceStatus::Approved => 1,
        InvoiceStatus::Disputed => 2,
        InvoiceStatus::Paid => 3,
        InvoiceStatus::Cancelled => 4,
    }
}

/// The totals by status (footer order; paid and cancelled only with `all`), each status's
/// currencies with the default currency first, then the most invoices first.
pub(super) fn grouped(app: &App, all: bool) -> Vec<(InvoiceStatus, Vec<&crate::app::Total>)> {
    let mut out: Vec<(InvoiceStatus, Vec<&crate::app::Total>)> = Vec::new();
    let mut totals: Vec<&crate::app::Total> = app
        .invoices
        .totals
        .iter()
        .filter(|t| all || rank(t.status) < 3)
        .collect();
    totals.sort_by_key(|t| {
        (
            rank(t.status),
            t.sum.currency != app.currency,
            std::cmp::Reverse(t.count),
            t.sum.currency.code(),
        )
    });
    for t in totals {
        match out.last_mut() {
            Some((s, v)) if *s == t.status => v.push(t),
            _ => out.push((t.status, vec![t])),
        }
    }
    out
}

/// One line per status ("Totals received 10 149.00 SEK (2)  450.00 EUR (1)"): open statuses,
/// and paid and cancelled when `H` lists them. The currencies that do not fit the line end it
/// with "+N more (T)", the key that lists every total.
fn totals_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let key = app.key(crate::app::keymap::Context::Invoices, "totals");
    // narrow: no "Totals" column, and "+N (T)" for "+N more (T)"
    let narrow = width < 60;
    let mut lines = Vec::new();
    for (i, (status, ts)) in grouped(app, app.invoices.show_all).into_iter().enumerate() {
        let lead = match (narrow, i) {
            (true, _) => Span::raw(""),
            (false, 0) => Span::styled("Totals ", theme::header()),
            (false, _) => Span::raw("       "),
        };
        let label = format!("{:<10}", status.to_string());
        let mut used = lead.content.width() + label.width();
        let mut spans = vec![lead, Span::styled(label, status_style(status))];
        for (k, t) in ts.iter().enumerate() {
            let sep = if k > 0 { "  " } else { "" };
            let entry = format!("{} ({})", t.sum, t.count);
            let left = ts.len() - k - 1;
            let more = |n: usize, sep: &str| {
                if narrow {
                    format!("{sep}+{n} ({key})")
                } else {
                    format!("{sep}+{n} more ({key})")
                }
            };
            let room = if left > 0 {
                more(left, "  ").width()
            } else {
                0
            };
            if used + sep.width() + entry.width() + room > width {
                spans.push(Span::styled(more(ts.len() - k, sep), theme::due_soon()));
                break;
            }
            spans.push(Span::raw(format!("{sep}{entry}")));
            used += sep.width() + entry.width();
        }
        lines.push(Line::from(spans));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Total;
    use crate::domain::{Currency, Money};

    #[test]
    fn totals_show_every_status_and_say_how_many_currencies_did_not_fit() {
        let config = crate::config::Config::default();
        let mut app = App::new(&config, chrono::Utc::now(), vec![]);
        app.invoices.show_all = true;
        let t = |status, minor, cur, count| Total {
            status,
            sum: Money::new(minor, cur),
            count,
        };
        let curs = [
            Currency::SEK,
            Currency::EUR,
            Currency::USD,
            Currency::GBP,
            Currency::parse("NOK").unwrap(),
            Currency::parse("DKK").unwrap(),
        ];
        let statuses = [
            InvoiceStatus::Received,
            InvoiceStatus::Approved,
            InvoiceStatus::Disputed,
            InvoiceStatus::Paid,
            InvoiceStatus::Cancelled,
        ];
        app.invoices.totals = statuses
            .iter()
            .flat_map(|s| {
                curs.iter()
                    .enumerate()
                    .map(move |(i, c)| t(*s, 123_456_789 / (i as i64 + 1), *c, 7))
            })
            .collect();
        for width in [40, 60, 80, 100, 200] {
            let texts: Vec<String> = totals_lines(&app, width)
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            assert_eq!(texts.len(), 5, "a line per status: {texts:?}");
            for (line, status) in texts.iter().zip(statuses) {
                assert!(line.width() <= width, "{width}: {line}");
                assert!(line.contains(&status.to_string()), "{width}: {line}");
                // what is shown plus what is counted is every currency, none cut in half
                let shown = app
                    .invoices
                    .totals
                    .iter()
                    .filter(|x| x.status == status)
                    .filter(|x| line.contains(&format!("{} ({})", x.sum, x.count)))
                    .count();
                let more = line
                    .split('+')
                    .nth(1)
                    .and_then(|r| r.split(' ').next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0);
                assert_eq!(shown + more, curs.len(), "{width}: {line}");
                if more > 0 && width >= 60 {
                    assert!(line.ends_with(&format!("+{more} more (T)")), "{line}");
                } else if more > 0 {
                    assert!(line.ends_with(&format!("+{more} (T)")), "{line}");
                }
                // the first currency shows whenever it fits beside its status at all
                if width >= 40 {
                    assert!(shown >= 1, "{width}: {line}");
                }
            }
            if width >= 60 {
                assert!(texts[0].starts_with("Totals received"));
            } else {
                assert!(texts[0].starts_with("received"));
            }
        }
        assert!(
            !totals_lines(&app, 200)[0]
                .spans
                .iter()
                .any(|s| s.content.contains("more"))
        );
        // the open list's footer: what is still to pay, received first, no paid/cancelled
        app.invoices.show_all = false;
        let texts: Vec<String> = totals_lines(&app, 80)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[2].contains("disputed"), "{texts:?}");
        assert!(!texts.iter().any(|l| l.contains("paid")), "{texts:?}");
    }
}
