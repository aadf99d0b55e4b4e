//! Rendering only: one view per pane, shared widgets (popups, help, forms). Every string from
//! the database goes through [`sanitize`] before it reaches a widget.
mod contacts;
mod invoices;
mod popup;
mod schedule;
mod tasks;
mod timeline;
mod today;
mod travel;

use crate::app::keymap::Key;
use crate::app::{Action, App, Level, Pane};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Smallest size we draw the UI in; below it a calm message.
pub const MIN_W: u16 = 40;
pub const MIN_H: u16 = 12;

/// Make stored text harmless before it reaches a widget: control characters and escape
/// sequences become visible placeholders; newlines and tabs become spaces; bidi overrides and
/// zero-width characters become '?'.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => ' ',
            '\u{1b}' => '␛',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            '\u{7f}' => '␡',
            c if ('\u{80}'..='\u{9f}').contains(&c) => '?',
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '?',
            c => c,
        })
        .collect()
}

/// Colours that carry meaning (tests assert on them).
pub mod theme {
    use ratatui::style::{Color, Modifier, Style};
    pub fn selected() -> Style {
        Style::default()
            .bg(Color::Blue)
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    }
    pub fn overdue() -> Style {
        Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn due_soon() -> Style {
        Style::default().fg(Color::Yellow)
    }
    pub fn header() -> Style {
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
    }
    pub fn dim() -> Style {
        Style::default()
            .fg(Color::DarkGray)
            .add_modifier(Modifier::CROSSED_OUT)
    }
    pub fn muted() -> Style {
        Style::default().fg(Color::DarkGray)
    }
    pub fn conflict() -> Style {
        Style::default()
            .fg(Color::Magenta)
            .add_modifier(Modifier::BOLD)
    }
    pub fn now_line() -> Style {
        Style::default()
            .fg(Color::Green)
            .add_modifier(Modifier::BOLD)
    }
    pub fn key() -> Style {
        Style::default().fg(Color::Black).bg(Color::Gray)
    }
}

/// Shorten to `width` display columns with an ellipsis.
pub fn trunc(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Break into lines of at most `width` display columns, at spaces where possible; a word wider
/// than the line is cut (by columns, never inside a character).
pub fn wrap_words(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let sep = usize::from(!cur.is_empty());
        if cur.width() + sep + word.width() <= width {
            if sep == 1 {
                cur.push(' ');
            }
            cur.push_str(word);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        for c in word.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if cur.width() + cw > width && !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Pad or cut to exactly `width` columns.
pub fn fit(s: &str, width: usize) -> String {
    let t = trunc(s, width);
    let pad = width.saturating_sub(t.width());
    format!("{t}{}", " ".repeat(pad))
}

pub fn local(t: DateTime<Utc>, tz: Tz) -> DateTime<Tz> {
    t.with_timezone(&tz)
}

/// Keep `selected` on screen: returns the new first visible row.
pub fn keep_visible(scroll: usize, selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    if selected < scroll {
        selected
    } else if selected >= scroll + height {
        selected + 1 - height
    } else {
        scroll
    }
}

/// Keep line `selected` on screen and, when both fit, the heading line `head` above it (the
/// day or section it belongs to): returns the new first visible line.
pub fn keep_with_heading(scroll: usize, selected: usize, head: usize, height: usize) -> usize {
    let s = keep_visible(scroll, selected, height);
    if head < s && selected - head < height {
        head
    } else {
        s
    }
}

/// Draw the whole screen.
pub fn render(app: &mut App, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let msg = Paragraph::new(vec![
            Line::from("Terminal too small"),
            Line::from(format!(
                "need {MIN_W}x{MIN_H}, have {}x{}",
                area.width, area.height
            )),
        ])
        .centered();
        let y = area.height.saturating_sub(2) / 2;
        let r = Rect::new(area.x, area.y + y, area.width, area.height.min(2));
        f.render_widget(msg, r);
        return;
    }
    // a long message wraps onto up to three lines (between words) rather than losing its end
    let status_lines = status_lines(app, area.width as usize);
    // a reminder is a strip of its own: it covers nothing and takes no focus
    let banner_lines = banner_lines(app, area.width as usize);
    let [tabs, body, banner, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(banner_lines.len() as u16),
        Constraint::Length(status_lines.len().max(1) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(app, f, tabs);
    match app.pane {
        Pane::Today => today::render(app, f, body),
        Pane::Schedule => schedule::render(app, f, body),
        Pane::Travel => travel::render(app, f, body),
        Pane::Contacts => contacts::render(app, f, body),
        Pane::Invoices => invoices::render(app, f, body),
        Pane::Tasks => tasks::render(app, f, body),
    }
    f.render_widget(Paragraph::new(banner_lines), banner);
    f.render_widget(Paragraph::new(status_lines), status);
    render_hints(app, f, hints);
    popup::render(app, f, body);
}

fn render_tabs(app: &App, f: &mut Frame, area: Rect) {
    let mut spans: Vec<Span> = Vec::new();
    for p in Pane::ALL {
        let badge = match p {
            Pane::Today if app.counts.overdue_tasks > 0 => {
                Some((format!("{}!", app.counts.overdue_tasks), theme::overdue()))
            }
            Pane::Tasks if app.counts.overdue_tasks > 0 => {
                Some((format!("{}!", app.counts.overdue_tasks), theme::overdue()))
            }
            Pane::Invoices if app.counts.invoices_due > 0 => {
                Some((format!("{}", app.counts.invoices_due), theme::due_soon()))
            }
            Pane::Travel if app.counts.trips_soon > 0 => Some((
                format!("{}", app.counts.trips_soon),
                Style::default().fg(Color::Cyan),
            )),
            _ => None,
        };
        let style = if p == app.pane {
            theme::selected()
        } else {
            Style::default()
        };
        // the key that shows the pane, as bound now ("F6 Tasks" after a remap)
        let key = app
            .keymap
            .in_context(crate::app::keymap::Context::Global)
            .find(|b| crate::app::keymap::action_named(b.action) == Some(Action::ShowPane(p)))
            .map(|b| format!("{} ", b.key))
            .unwrap_or_default();
        spans.push(Span::styled(format!(" {key}{}", p.title()), style));
        if let Some((b, st)) = badge {
            let st = if p == app.pane { style } else { st };
            spans.push(Span::styled(format!(" {b}"), st));
        }
        spans.push(Span::styled(" ", style));
        spans.push(Span::raw("│"));
    }
    let clock = local(app.now, app.tz)
        .format(" %a %-d %b %H:%M ")
        .to_string();
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if used + clock.width() <= area.width as usize {
        let pad = area.width as usize - used - clock.width();
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(clock, theme::muted()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The reminder strip: what and when ("starts 10:30, in 15 min", or "started 10:30" once it
/// is going on), and the keys that answer it.
fn banner_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(b) = &app.banner else {
        return Vec::new();
    };
    let start = local(b.start, app.tz);
    let clock = if start.date_naive() == app.today_date() {
        start.format("%H:%M").to_string()
    } else {
        start.format("%a %-d %b %H:%M").to_string()
    };
    let left = b.start - app.now;
    let when = if left <= chrono::Duration::zero() {
        format!("started {clock}")
    } else if left < chrono::Duration::hours(1) {
        format!("starts {clock}, in {} min", left.num_minutes().max(1))
    } else if left < chrono::Duration::days(2) {
        format!("starts {clock}, in {} h", left.num_hours())
    } else {
        format!("starts {clock}, in {} days", left.num_days())
    };
    let style = Style::default()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD);
    let text = format!(" Reminder: {} · {when}", sanitize(&b.title));
    let ctx = crate::app::keymap::Context::Reminder;
    vec![
        Line::from(Span::styled(fit(&text, width), style)),
        Line::from(vec![
            Span::styled(
                format!(" {} ", app.key(ctx, "reminder.snooze")),
                theme::key(),
            ),
            Span::raw(" snooze 5 min   "),
            Span::styled(
                format!(" {} ", app.key(ctx, "reminder.dismiss")),
                theme::key(),
            ),
            Span::raw(" dismiss   (other keys work as usual)"),
        ]),
    ]
}

/// Most lines a status message takes.
pub const STATUS_LINES: usize = 3;

/// The status message broken between words into lines of `width` (at most [`STATUS_LINES`],
/// the last cut with an ellipsis if it still does not fit).
fn status_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(s) = &app.status else {
        return Vec::new();
    };
    let style = match s.level {
        Level::Info => Style::default().fg(Color::Green),
        Level::Warn => Style::default().fg(Color::Yellow),
        Level::Error => Style::default().fg(Color::White).bg(Color::Red),
    };
    let mut lines = wrap_words(&sanitize(&s.text), width);
    if lines.len() > STATUS_LINES {
        let rest = lines.split_off(STATUS_LINES - 1).join(" ");
        lines.push(trunc(&rest, width));
    }
    lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

fn render_hints(app: &App, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    let mut w = 0usize;
    let hints = app.keymap.hints(app);
    // "? help" always fits: it is drawn last, its room kept.
    let help = hints.iter().find(|b| b.action == "help").copied();
    let reserve = help
        .map(|b| b.key.to_string().width() + b.desc.width() + 3)
        .unwrap_or(0);
    let max = (area.width as usize).saturating_sub(reserve);
    for b in hints.iter().filter(|b| b.action != "help") {
        let k = b.key.to_string();
        let item_w = k.width() + 1 + b.desc.width() + 2;
        if w + item_w > max {
            break;
        }
        w += item_w;
        spans.push(Span::styled(k, theme::key()));
        spans.push(Span::raw(format!(" {}  ", b.desc)));
    }
    if let Some(b) = help
        && reserve <= area.width as usize
    {
        spans.push(Span::styled(b.key.to_string(), theme::key()));
        spans.push(Span::raw(format!(" {}", b.desc)));
    }
    f.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::default().add_modifier(Modifier::DIM)),
        area,
    );
}

/// A centred rectangle of at most `w`x`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clear `r` and draw a titled block; returns the inner area.
pub fn panel(f: &mut Frame, r: Rect, title: &str) -> Rect {
    f.render_widget(Clear, r);
    let b = Block::bordered()
        .title(Span::styled(
            format!(" {} ", sanitize(title)),
            theme::header(),
        ))
        .border_style(Style::default().fg(Color::Cyan));
    let inner = b.inner(r);
    f.render_widget(b, r);
    inner
}

/// Render `lines` in `area` scrolled so line `selected` is visible; returns the scroll.
pub fn scrolled_lines(
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    selected_line: Option<usize>,
    scroll: usize,
) -> usize {
    let h = area.height as usize;
    let scroll = match selected_line {
        Some(s) => keep_visible(scroll, s, h),
        None => scroll.min(lines.len().saturating_sub(h)),
    };
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    f.render_widget(Paragraph::new(visible), area);
    scroll
}

/// The key bound to an action, for messages in views ("press a to add").
pub fn key_of(app: &App, action: &str) -> String {
    app.keymap
        .key_for(action)
        .map(|k: Key| k.to_string())
        .unwrap_or_else(|| "?".into())
}

/// A full-width line with the selection style when `selected`.
pub fn row(spans: Vec<Span<'static>>, selected: bool, width: u16) -> Line<'static> {
    if !selected {
        return Line::from(spans);
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let mut spans: Vec<Span<'static>> = spans
        .into_iter()
        .map(|s| {
            let st = s.style.patch(theme::selected());
            Span::styled(s.content, st)
        })
        .collect();
    if used < width as usize {
        spans.push(Span::styled(
            " ".repeat(width as usize - used),
            theme::selected(),
        ));
    }
    Line::from(spans)
}

pub fn empty_hint(app: &App, what: &str) -> Line<'static> {
    Line::from(Span::styled(
        format!("  No {what}. Press {} to add one.", key_of(app, "add")),
        theme::muted(),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_words_breaks_at_spaces_and_cuts_only_overlong_words() {
        let l = super::wrap_words("would import 5, update 0; unchanged 0", 20);
        assert_eq!(l, ["would import 5,", "update 0; unchanged", "0"]);
        // a word longer than the line is cut by columns, a wide character is never split
        assert_eq!(
            super::wrap_words("ab 会議会議会議", 4),
            ["ab", "会議", "会議", "会議"]
        );
        assert_eq!(super::wrap_words("", 10), [""]);
        for line in super::wrap_words("x y zzzzzzzzzzzzzzzzzz w", 5) {
            assert!(
                unicode_width::UnicodeWidthStr::width(line.as_str()) <= 5,
                "{line}"
            );
        }
    }

    use super::*;

    #[test]
    fn sanitize_neutralises_controls() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(sanitize("x\ny\tz\u{7}"), "x y z␇");
        assert_eq!(sanitize("\u{9b}31m"), "?31m");
        assert_eq!(sanitize("ab\u{202e}cd"), "ab?cd");
        assert_eq!(sanitize("Müller 東京"), "Müller 東京");
    }

    #[test]
    fn truncation_respects_width() {
        assert_eq!(trunc("hello world", 5), "hell…");
        assert_eq!(trunc("東京東京", 5), "東京…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(keep_visible(0, 15, 10), 6);
        assert_eq!(keep_visible(8, 3, 10), 3);
    }
}
