//! Contacts table (paged).
use super::{fit, keep_visible, row, sanitize, theme};
use crate::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let w = area.width as usize;
    // column widths: name, org, email, phone, tags
    let name_w = (w * 26 / 100).max(12);
    let org_w = (w * 20 / 100).max(8);
    let mail_w = (w * 26 / 100).max(10);
    let phone_w = (w * 16 / 100).max(8);
    let tags_w = w.saturating_sub(name_w + org_w + mail_w + phone_w + 5);
    let l = &app.contacts.list;
    let mut title = format!(
        "{}{}{}{}{}",
        fit(" Name", name_w + 1),
        fit("Organization", org_w + 1),
        fit("E-mail", mail_w + 1),
        fit("Phone", phone_w + 1),
        fit("Tags", tags_w)
    );
    if !app.contacts.filter.is_empty() {
        title = format!(
            "{}  filter: {}",
            fit(&title, w.saturating_sub(30)),
            sanitize(&app.contacts.filter)
        );
    }
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(title, theme::header()))),
        head,
    );
    let h = body.height as usize;
    let scroll = keep_visible(l.scroll, l.selected, h);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if l.loaded_once && l.is_empty() {
        lines.push(if app.contacts.filter.is_empty() {
            super::empty_hint(app, "contacts")
        } else {
            Line::from(Span::styled(
                "  No contact matches the filter.",
                theme::muted(),
            ))
        });
    }
    for abs in scroll..(scroll + h).min(l.len()) {
        let Some(c) = l.get(abs) else {
            lines.push(Line::from(Span::styled("  …", theme::muted())));
            continue;
        };
        let vip = c.has_tag("vip");
        let nst = if vip {
            Style::default().add_modifier(ratatui::style::Modifier::BOLD)
        } else {
            Style::default()
        };
        lines.push(row(
            vec![
                Span::styled(format!(" {}", fit(&sanitize(&c.name), name_w)), nst),
                Span::raw(format!(" {}", fit(&sanitize(&c.organization), org_w))),
                Span::raw(format!(
                    " {}",
                    fit(&sanitize(c.primary_email().unwrap_or("")), mail_w)
                )),
                Span::raw(format!(
                    " {}",
                    fit(
                        &sanitize(c.phones.first().map(|p| p.value.as_str()).unwrap_or("")),
                        phone_w
                    )
                )),
                Span::styled(
                    format!(" {}", fit(&sanitize(&c.tags.join(",")), tags_w)),
                    theme::muted(),
                ),
            ],
            abs == l.selected,
            area.width,
        ));
    }
    f.render_widget(Paragraph::new(lines), body);
    app.contacts.list.scroll = scroll;
}
