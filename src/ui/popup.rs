//! Popups: help (drawn from the key table), confirm, detail, forms, prompts, reminders.
use super::{centered, fit, local, panel, sanitize, theme, trunc};
use crate::app::form::{FieldKind, Form};
use crate::app::keymap::Context;
use crate::app::{App, ContactExtra, Detail, Popup, Prompt, PromptPurpose, Record};
use crate::domain::{Due, EventTime};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn render(app: &mut App, f: &mut Frame, body: Rect) {
    let Some(p) = &app.popup else { return };
    match p {
        Popup::Help { scroll } => {
            let max = help(app, f, body, *scroll);
            // scrolling past the end stops there, so k moves at once
            if let Some(Popup::Help { scroll }) = &mut app.popup {
                *scroll = (*scroll).min(max);
            }
        }
        Popup::Confirm { question, .. } => confirm(app, f, body, question),
        Popup::QuitConfirm(back) => {
            // the unsaved work stays visible behind the question
            let back = (**back).clone();
            let question = format!("Discard your changes and quit? {}", app.yes_no());
            match &back {
                Popup::Form(form) => {
                    let scroll = form_view(app, f, body, form);
                    if let Some(Popup::Form(form)) = &mut app.popup {
                        form.scroll = scroll;
                    }
                }
                Popup::Prompt(p) => prompt(app, f, body, p),
                _ => {}
            }
            confirm(app, f, body, &question);
        }
        Popup::Totals { scroll } => {
            let max = totals(app, f, body, *scroll);
            if let Some(Popup::Totals { scroll }) = &mut app.popup {
                *scroll = (*scroll).min(max);
            }
        }
        Popup::Detail(d) => detail(app, f, body, d),
        Popup::Form(form) => {
            let scroll = form_view(app, f, body, form);
            if let Some(Popup::Form(form)) = &mut app.popup {
                form.scroll = scroll;
            }
        }
        Popup::Prompt(p) => prompt(app, f, body, p),
        Popup::Preview(p) => preview(app, f, body, p),
    }
}

/// A yes/no question with the keys that answer it (from the key table).
fn confirm(app: &App, f: &mut Frame, body: Rect, question: &str) {
    let question = sanitize(question);
    // at most 72 columns wide; a longer question wraps between words, and the box grows to
    // hold every line (the series hint after "Delete only this occurrence?" included)
    let w = u16::try_from(question.width())
        .unwrap_or(u16::MAX)
        .saturating_add(4)
        .clamp(30, 72)
        .min(body.width);
    let text_w = w.saturating_sub(2).max(1) as usize;
    let mut lines: Vec<Line> = super::wrap_words(&question, text_w)
        .into_iter()
        .map(Line::from)
        .collect();
    let h = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(4);
    let r = centered(body, w, h);
    let inner = panel(f, r, "Confirm");
    let km = &app.keymap;
    lines.extend([
        Line::from(""),
        Line::from(vec![
            Span::styled(
                format!("{} ", km.label_in(Context::Confirm, "yes")),
                theme::key(),
            ),
            Span::raw(" yes   "),
            Span::styled(
                format!(" {} ", km.label_in(Context::Confirm, "no")),
                theme::key(),
            ),
            Span::raw(" no"),
        ]),
    ]);
    f.render_widget(Paragraph::new(lines), inner);
}

fn preview(app: &App, f: &mut Frame, body: Rect, p: &crate::app::ImportPreview) {
    let k = |a: &str| app.key(Context::Preview, a);
    let h = (p.lines.len() as u16 + 7).clamp(8, body.height.max(8));
    let r = centered(body, 90.min(body.width), h);
    let inner = panel(f, r, "Import preview (dry run: nothing written yet)");
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for chunk in super::wrap_words(&sanitize(&p.headline), w) {
        lines.push(Line::from(Span::styled(
            chunk,
            Style::default().add_modifier(Modifier::BOLD),
        )));
    }
    lines.push(Line::from(""));
    let body_rows = inner.height.saturating_sub(lines.len() as u16 + 1) as usize;
    for l in p.lines.iter().skip(p.scroll as usize).take(body_rows) {
        let st = if l.starts_with("skip") {
            theme::overdue()
        } else if l.starts_with("note") {
            Style::default().fg(Color::Yellow)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(trunc(&sanitize(l), w), st)));
    }
    while lines.len() + 1 < inner.height as usize {
        lines.push(Line::from(""));
    }
    lines.push(if p.empty {
        Line::from(Span::styled(
            format!("Nothing new or changed to import · {} closes", k("no")),
            theme::muted(),
        ))
    } else {
        Line::from(vec![
            Span::styled(format!(" {} ", k("yes")), theme::key()),
            Span::raw(" import (one transaction)   "),
            Span::styled(format!(" {} ", k("no")), theme::key()),
            Span::raw(" cancel   "),
            Span::styled(format!(" {}/{} ", k("down"), k("up")), theme::key()),
            Span::raw(" scroll"),
        ])
    });
    f.render_widget(Paragraph::new(lines), inner);
}

/// The help overlay; returns the largest useful scroll.
fn help(app: &App, f: &mut Frame, body: Rect, scroll: u16) -> u16 {
    let r = centered(body, 78, body.height);
    let inner = panel(
        f,
        r,
        &format!("Keys ({} closes)", app.key(Context::Help, "close")),
    );
    let mut lines: Vec<Line> = Vec::new();
    // what was wrong with config.toml first, all of it, in the order of the file
    if !app.warnings.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("Config warnings ({})", app.warnings.len()),
            theme::due_soon().add_modifier(Modifier::BOLD),
        )));
        for w in &app.warnings {
            for (i, part) in
                super::wrap_words(&sanitize(w), (inner.width as usize).saturating_sub(4))
                    .into_iter()
                    .enumerate()
            {
                let lead = if i == 0 { "  ! " } else { "    " };
                lines.push(Line::from(Span::styled(
                    format!("{lead}{part}"),
                    theme::due_soon(),
                )));
            }
        }
        lines.push(Line::from(""));
    }
    // the pane you are in first, then the rest of the table
    let here = Context::of_pane(app.pane);
    let order = std::iter::once(here).chain(Context::ALL.into_iter().filter(|c| *c != here));
    for c in order {
        let bs: Vec<_> = app.keymap.in_context(c).collect();
        if bs.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(c.name(), theme::header())));
        // group keys of the same action on one line
        let mut seen: Vec<&str> = Vec::new();
        for b in &bs {
            if seen.contains(&b.action) {
                continue;
            }
            seen.push(b.action);
            let keys: Vec<String> = bs
                .iter()
                .filter(|o| o.action == b.action)
                .map(|o| o.key.to_string())
                .collect();
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<14}", keys.join(" ")),
                    Style::default().fg(Color::Yellow),
                ),
                Span::raw(format!("{:<32}", b.desc)),
                Span::styled(b.action, theme::muted()),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Override keys in config.toml [keys]: action = \"key\"",
        theme::muted(),
    )));
    let max = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height);
    f.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
    max
}

/// Every invoice total, a block per status (what is still to pay first), a line per
/// currency; returns the largest useful scroll.
fn totals(app: &App, f: &mut Frame, body: Rect, scroll: u16) -> u16 {
    let groups = super::invoices::grouped(app, true);
    let mut lines: Vec<Line> = Vec::new();
    if groups.is_empty() {
        lines.push(Line::from(Span::styled("No invoices.", theme::muted())));
    }
    for (i, (status, ts)) in groups.iter().enumerate() {
        if i > 0 {
            lines.push(Line::from(""));
        }
        let n: u64 = ts.iter().map(|t| t.count).sum();
        lines.push(Line::from(vec![
            Span::styled(
                status.to_string(),
                super::invoices::status_style(*status).add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(
                    "  {n} invoice{} in {} currenc{}",
                    if n == 1 { "" } else { "s" },
                    ts.len(),
                    if ts.len() == 1 { "y" } else { "ies" }
                ),
                theme::muted(),
            ),
        ]));
        for t in ts {
            lines.push(Line::from(vec![
                Span::raw(format!("  {:>22}", t.sum.to_string())),
                Span::styled(format!("  ({})", t.count), theme::muted()),
            ]));
        }
    }
    let h = (lines.len() as u16 + 2).min(body.height);
    let r = centered(body, 46, h);
    let inner = panel(
        f,
        r,
        &format!(
            "Invoice totals ({} closes)",
            app.key(Context::Help, "close")
        ),
    );
    let max = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height);
    f.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
    max
}

fn kv(k: &str, v: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{k:<14}"), theme::muted()),
        Span::raw(sanitize(&v)),
    ])
}

fn detail(app: &App, f: &mut Frame, body: Rect, d: &Detail) {
    let tz = app.tz;
    let r = centered(body, 76, body.height);
    let inner = panel(f, r, &d.record.label());
    let mut lines: Vec<Line<'static>> = Vec::new();
    let t =
        |x: chrono::DateTime<chrono::Utc>| local(x, tz).format("%a %-d %b %Y %H:%M %Z").to_string();
    match &d.record {
        Record::Task(x) => {
            lines.push(kv("Subject", x.subject.clone()));
            lines.push(kv("Kind", format!("{} ({})", x.kind, x.direction)));
            lines.push(kv("Status", x.status.to_string()));
            lines.push(kv("Priority", x.priority.to_string()));
            lines.push(kv(
                "Due",
                match x.due {
                    None => "—".into(),
                    Some(Due::Date(d)) => d.format("%a %-d %b %Y").to_string(),
                    Some(Due::At(a)) => t(a),
                },
            ));
            lines.push(kv("Contact", x.contact_name.clone()));
            lines.push(kv("Delegated to", x.delegated_to.clone()));
            if let Some(s) = x.snoozed_until {
                lines.push(kv("Snoozed until", t(s)));
            }
            lines.push(kv("Created", t(x.created)));
            if let Some(dn) = x.done_at {
                lines.push(kv("Done", t(dn)));
            }
            notes(&mut lines, &x.notes);
        }
        Record::Invoice(x) => {
            lines.push(kv("Vendor", x.vendor_name.clone()));
            lines.push(kv("Number", x.number.clone()));
            lines.push(kv("Amount", x.amount.to_string()));
            lines.push(kv("Status", x.status.to_string()));
            lines.push(kv("Issued", x.issue_date.to_string()));
            let due = Line::from(vec![
                Span::styled(format!("{:<14}", "Due"), theme::muted()),
                Span::styled(
                    x.due_date.to_string(),
                    if x.is_overdue(app.today_date()) {
                        theme::overdue()
                    } else {
                        Style::default()
                    },
                ),
            ]);
            lines.push(due);
            if let Some(p) = x.paid_date {
                lines.push(kv("Paid", p.to_string()));
            }
            lines.push(kv("Payment ref", x.payment_ref.clone()));
            lines.push(kv("Document", x.document_path.clone()));
            notes(&mut lines, &x.notes);
        }
        Record::Contact(x) => {
            lines.push(kv("Name", x.name.clone()));
            lines.push(kv("Organization", x.organization.clone()));
            lines.push(kv("Title", x.title.clone()));
            for e in &x.emails {
                lines.push(kv("E-mail", format!("{} ({})", e.value, e.label)));
            }
            for p in &x.phones {
                lines.push(kv("Phone", format!("{} ({})", p.value, p.label)));
            }
            for (i, a) in x.address.lines().enumerate() {
                lines.push(kv(if i == 0 { "Address" } else { "" }, a.to_string()));
            }
            lines.push(kv("Tags", x.tags.join(", ")));
            if let Some(b) = x.birthday {
                lines.push(kv(
                    "Birthday",
                    match b.year {
                        Some(y) => format!("{y}-{:02}-{:02}", b.month, b.day),
                        None => format!("{:02}-{:02}", b.month, b.day),
                    },
                ));
            }
            if let Some(l) = x.last_contacted {
                lines.push(kv("Last contact", l.to_string()));
            }
            notes(&mut lines, &x.notes);
            extra(app, &mut lines, d.extra.as_ref());
        }
        Record::Event(x) if d.occurrence.is_some() => {
            // one occurrence of a series: its own date and time, then the series
            let o = d.occurrence.as_ref().map(|o| (o.start, o.end, o.all_day));
            lines.push(kv("Title", x.title.clone()));
            if let Some((start, end, all_day)) = o {
                if all_day {
                    let (a, b) = (local(start, tz).date_naive(), local(end, tz).date_naive());
                    let last = b.pred_opt().unwrap_or(b).max(a);
                    lines.push(kv(
                        "All day",
                        if last == a {
                            a.format("%a %-d %b %Y").to_string()
                        } else {
                            format!(
                                "{} – {}",
                                a.format("%a %-d %b"),
                                last.format("%a %-d %b %Y")
                            )
                        },
                    ));
                } else {
                    lines.push(kv("Start", t(start)));
                    lines.push(kv("End", t(end)));
                }
            }
            let series = match &x.rrule {
                Some(r) => crate::domain::recurrence::describe(r),
                None if x.recurrence_id.is_some() => "a changed occurrence of a series".into(),
                None => "extra dates".into(),
            };
            let first = x.time.start_in(tz);
            lines.push(kv(
                "Repeats",
                format!(
                    "{series} (series from {})",
                    local(first, tz).format("%a %-d %b %Y")
                ),
            ));
            lines.push(kv("Location", x.location.clone()));
            lines.push(kv("Category", x.category.to_string()));
            lines.push(kv("Status", x.status.to_string()));
            if let Some(m) = x.reminder_minutes {
                lines.push(kv("Reminder", format!("{m} min before")));
            }
            for a in &x.attendees {
                lines.push(kv("Attendee", format!("{} <{}>", a.name, a.email)));
            }
            notes(&mut lines, &x.notes);
            let (one, following, edit) = (
                app.key(Context::Schedule, "edit-one"),
                app.key(Context::Schedule, "edit-following"),
                app.key(Context::Detail, "edit"),
            );
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!(
                    "{edit} here edits the whole series; in the list {one} edits this occurrence, {following} this and the following"
                ),
                theme::muted(),
            )));
        }
        Record::Event(x) => {
            lines.push(kv("Title", x.title.clone()));
            match &x.time {
                EventTime::Timed { start, end, tz: ez } => {
                    lines.push(kv("Start", t(*start)));
                    lines.push(kv("End", t(*end)));
                    if *ez != tz {
                        lines.push(kv(
                            "Entered in",
                            format!(
                                "{} ({})",
                                ez.name(),
                                start.with_timezone(ez).format("%H:%M %Z")
                            ),
                        ));
                    }
                }
                EventTime::AllDay { start, end } => {
                    lines.push(kv("All day", format!("{start} – {end}")));
                }
            }
            lines.push(kv("Location", x.location.clone()));
            lines.push(kv("Category", x.category.to_string()));
            lines.push(kv("Status", x.status.to_string()));
            if let Some(r) = &x.rrule {
                lines.push(kv(
                    "Repeats",
                    format!("{} ({r})", crate::domain::recurrence::describe(r)),
                ));
            }
            if let Some(m) = x.reminder_minutes {
                lines.push(kv("Reminder", format!("{m} min before")));
            }
            for a in &x.attendees {
                lines.push(kv("Attendee", format!("{} <{}>", a.name, a.email)));
            }
            notes(&mut lines, &x.notes);
        }
        Record::Trip(x) => {
            lines.push(kv("Name", x.name.clone()));
            lines.push(kv("Purpose", x.purpose.clone()));
            for s in &x.segments {
                lines.push(kv(
                    s.kind.as_str(),
                    format!(
                        "{} {} {}→{}  {}  conf {}",
                        s.provider,
                        s.number,
                        s.origin,
                        s.destination,
                        s.depart_local().format("%-d %b %H:%M %Z"),
                        s.confirmation
                    ),
                ));
            }
            notes(&mut lines, &x.notes);
        }
        Record::Segment(s) => {
            lines.push(kv("Kind", s.kind.to_string()));
            lines.push(kv("Provider", format!("{} {}", s.provider, s.number)));
            lines.push(Line::from(vec![
                Span::styled(format!("{:<14}", "Confirmation"), theme::muted()),
                Span::styled(
                    sanitize(&s.confirmation),
                    Style::default()
                        .fg(Color::Yellow)
                        .add_modifier(Modifier::BOLD),
                ),
            ]));
            lines.push(kv(
                "Departs",
                format!(
                    "{}  {} ({})",
                    s.origin,
                    s.depart_local().format("%a %-d %b %H:%M %Z"),
                    s.depart_tz.name()
                ),
            ));
            lines.push(kv(
                "Arrives",
                format!(
                    "{}  {} ({})",
                    s.destination,
                    s.arrive_local().format("%a %-d %b %H:%M %Z"),
                    s.arrive_tz.name()
                ),
            ));
            lines.push(kv("Seat/room", s.seat.clone()));
            if let Some(c) = s.cost {
                lines.push(kv("Cost", c.to_string()));
            }
            lines.push(kv("Status", s.status.to_string()));
            notes(&mut lines, &s.notes);
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        inner,
    );
}

fn notes(lines: &mut Vec<Line<'static>>, n: &str) {
    if n.trim().is_empty() {
        return;
    }
    lines.push(Line::from(Span::styled("Notes", theme::muted())));
    for l in n.lines() {
        lines.push(Line::from(format!("  {}", sanitize(l))));
    }
}

fn extra(app: &App, lines: &mut Vec<Line<'static>>, x: Option<&ContactExtra>) {
    lines.push(Line::from(""));
    let Some(x) = x else {
        lines.push(Line::from(Span::styled(
            "loading related items…",
            theme::muted(),
        )));
        return;
    };
    let today = app.today_date();
    lines.push(Line::from(Span::styled(
        format!("Open tasks ({})", x.tasks.len()),
        theme::header(),
    )));
    for t in &x.tasks {
        let st = if t.is_overdue(today, app.now, app.tz) {
            theme::overdue()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!("  {} {}", t.kind, sanitize(&t.subject)),
            st,
        )));
    }
    lines.push(Line::from(Span::styled(
        format!("Invoices ({})", x.invoices.len()),
        theme::header(),
    )));
    for i in &x.invoices {
        let st = if i.is_overdue(today) {
            theme::overdue()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "  {}  {}  {}  {}",
                i.due_date,
                sanitize(&i.number),
                i.amount,
                i.status
            ),
            st,
        )));
    }
    lines.push(Line::from(Span::styled(
        format!("Upcoming meetings ({})", x.meetings.len()),
        theme::header(),
    )));
    for e in &x.meetings {
        lines.push(Line::from(format!(
            "  {}  {}",
            local(e.time.start_in(app.tz), app.tz).format("%a %-d %b %H:%M"),
            sanitize(&e.title)
        )));
    }
}

/// A form; a form taller than the screen scrolls its fields so the focused one shows (the
/// footer stays). Returns the first field shown.
fn form_view(app: &App, f: &mut Frame, body: Rect, form: &Form) -> usize {
    let tz = app.tz;
    let k = |a: &str| app.key(Context::Form, a);
    let (down, up) = (k("pick.next"), k("pick.prev"));
    let extra = if !form.slots.is_empty() {
        form.slots.len() as u16 + 1
    } else if form.suggestions.is_empty() {
        0
    } else {
        5
    };
    // a failed save's message wraps between words (it says what to do at its end); the box
    // grows to hold it
    let box_w = 100.min(body.width);
    let error: Vec<String> = match (&form.error, form.confirm_discard) {
        (Some(e), false) => super::wrap_words(&sanitize(e), box_w.saturating_sub(2) as usize),
        _ => Vec::new(),
    };
    let more = error.len().saturating_sub(1) as u16;
    let h = (form.fields.len() as u16 + 4 + extra + more).min(body.height);
    let r = centered(body, box_w, h);
    let inner = panel(f, r, &form.title());
    let w = inner.width as usize;
    let label_w = 14usize;
    let input_w = ((w.saturating_sub(label_w)) * 45 / 100).max(10);
    let note_w = w.saturating_sub(label_w + input_w + 2);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_st = if focused {
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            theme::muted()
        };
        let star = if fl.required { "*" } else { " " };
        let text = sanitize(fl.text());
        // scroll the input horizontally so the cursor stays visible
        let cur = fl.input.cursor();
        let skip = if focused {
            cur.saturating_sub(input_w.saturating_sub(2))
        } else {
            0
        };
        let shown: String = text.chars().skip(skip).collect();
        let mut input_st = Style::default().bg(Color::Rgb(40, 40, 48));
        if focused {
            input_st = input_st.bg(Color::Rgb(30, 50, 80));
        }
        let kind_hint = match &fl.kind {
            FieldKind::Choice(_) => format!("{up}{down}"),
            FieldKind::Contact if fl.contact_id.is_some() => "✓".into(),
            FieldKind::Contact => down.clone(),
            FieldKind::Attendees => format!("a, b <e-mail> · {down} picks a contact"),
            FieldKind::Lines => "' | ' starts a new line".into(),
            _ => String::new(),
        };
        let (note, note_st) = match (&fl.error, &fl.preview) {
            (Some(e), _) => (format!("✗ {e}"), theme::overdue()),
            (None, Some(p)) => (p.clone(), Style::default().fg(Color::Green)),
            (None, None) => (kind_hint, theme::muted()),
        };
        lines.push(Line::from(vec![
            Span::styled(fit(&format!("{}{star}", fl.label), label_w), label_st),
            Span::styled(fit(&shown, input_w), input_st),
            Span::raw("  "),
            Span::styled(trunc(&sanitize(&note), note_w), note_st),
        ]));
        if focused {
            let before: String = text.chars().skip(skip).take(cur - skip).collect();
            cursor = Some(Position::new(
                inner
                    .x
                    .saturating_add(label_w as u16)
                    .saturating_add(u16::try_from(before.width()).unwrap_or(u16::MAX)),
                inner.y + i as u16,
            ));
        }
    }
    if !form.slots.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "  free in working hours ({down}/{up} to pick, {} saves):",
                k("submit")
            ),
            theme::muted(),
        )));
        for (i, (s, e)) in form.slots.iter().enumerate() {
            let st = if form.slot == Some(i) {
                theme::selected()
            } else {
                Style::default()
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "  {}–{}",
                    local(*s, tz).format("%a %-d %b %H:%M"),
                    local(*e, tz).format("%H:%M")
                ),
                st,
            )));
        }
    }
    if !form.suggestions.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  matching contacts ({down}/{up} to pick):"),
            theme::muted(),
        )));
        for (i, (_, name)) in form.suggestions.iter().take(4).enumerate() {
            let st = if form.suggestion == Some(i) {
                theme::selected()
            } else {
                Style::default()
            };
            lines.push(Line::from(Span::styled(
                format!("  {}", sanitize(name)),
                st,
            )));
        }
    }
    lines.push(Line::from(""));
    if form.confirm_discard {
        lines.push(Line::from(Span::styled(
            format!(
                "Discard your changes? {} = discard, {} = keep editing",
                app.key(Context::Confirm, "yes"),
                app.key(Context::Confirm, "no")
            ),
            Style::default().fg(Color::Black).bg(Color::Yellow),
        )));
    } else if !error.is_empty() {
        for l in &error {
            lines.push(Line::from(Span::styled(trunc(l, w), theme::overdue())));
        }
    } else {
        // every key named here as bound now
        let keys = |action: &str| {
            app.keymap
                .in_context(Context::Form)
                .filter(|b| b.action == action)
                .map(|b| b.key.to_string())
                .collect::<Vec<_>>()
                .join("/")
        };
        let (next, save, cancel) = (k("field.next"), keys("submit"), k("close"));
        let hint = match form.kind {
            crate::app::form::FormKind::ExportIcs | crate::app::form::FormKind::ExportVcf => {
                format!("{next} next field · {up}{down} toggle · {save} export · {cancel} cancel")
            }
            crate::app::form::FormKind::ImportIcs | crate::app::form::FormKind::ImportVcf => {
                format!("{save} shows a preview first (nothing written yet) · {cancel} cancel")
            }
            crate::app::form::FormKind::Event => format!(
                "{next} next field · {} free slots · {save} save · {cancel} cancel",
                k("slots")
            ),
            _ => format!("{next} next field · {save} save · {cancel} cancel"),
        };
        lines.push(Line::from(Span::styled(hint, theme::muted())));
    }
    // too tall for the screen: a window of the fields around the focused one, then the rest
    let n = form.fields.len().min(lines.len());
    let rest = lines.len() - n;
    let avail = inner.height as usize;
    let mut scroll = 0;
    if lines.len() > avail && n > 0 {
        let rows = avail.saturating_sub(rest).max(1).min(n);
        scroll = super::keep_visible(form.scroll.min(n - rows), form.focus, rows);
        let tail = lines.split_off(n);
        lines = lines.into_iter().skip(scroll).take(rows).collect();
        lines.extend(tail);
        if let Some(c) = &mut cursor {
            c.y =
                c.y.saturating_sub(u16::try_from(scroll).unwrap_or(u16::MAX));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(c) = cursor
        && !form.confirm_discard
        && c.y < inner.bottom()
        && c.x < inner.right()
    {
        f.set_cursor_position(c);
    }
    scroll
}

fn prompt(app: &App, f: &mut Frame, body: Rect, p: &Prompt) {
    let submit = app.key(Context::Prompt, "submit");
    let extra = match p.purpose {
        PromptPurpose::Search => 12,
        PromptPurpose::Capture => 6,
        // input, reading or error, the choices, the hint
        PromptPurpose::Snooze(_) => {
            2 + p.choices.len() as u16 + u16::from(p.error.is_some() && !p.preview.is_empty())
        }
        // input, error, the suggestions, the hint
        PromptPurpose::Delegate(_) => 2 + p.hits.len().min(6) as u16,
        _ => 3,
    };
    let r = if matches!(p.purpose, PromptPurpose::Filter(_)) {
        // a filter sits at the bottom of the pane, the list stays visible
        Rect::new(
            body.x,
            body.bottom().saturating_sub(3),
            body.width,
            3.min(body.height),
        )
    } else {
        centered(body, 80, 3 + extra)
    };
    let inner = panel(f, r, &p.title());
    let w = inner.width as usize;
    let text = sanitize(p.input.text());
    let cur = p.input.cursor();
    let skip = cur.saturating_sub(w.saturating_sub(3));
    let shown: String = text.chars().skip(skip).collect();
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", Style::default().fg(Color::Yellow)),
        Span::raw(shown),
    ])];
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {}", sanitize(e)),
            theme::overdue(),
        )));
    }
    for l in &p.preview {
        // wrap long readings (quick capture summaries) rather than cut them
        let text = sanitize(l);
        let chars: Vec<char> = text.chars().collect();
        for chunk in chars.chunks(w.max(1)) {
            lines.push(Line::from(Span::styled(
                chunk.iter().collect::<String>(),
                Style::default().fg(Color::Green),
            )));
        }
    }
    if matches!(p.purpose, PromptPurpose::Snooze(_)) {
        // the ready answers, by number; the one the input names is highlighted
        let chosen = p.choice();
        for (i, (_, what)) in p.choices.iter().enumerate() {
            let st = if chosen == Some(i) {
                theme::selected()
            } else {
                Style::default()
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {} ", i + 1), theme::key()),
                Span::styled(fit(&format!(" {what}"), w.saturating_sub(3)), st),
            ]));
        }
        let (down, up) = (
            app.key(Context::Prompt, "pick.next"),
            app.key(Context::Prompt, "pick.prev"),
        );
        lines.push(Line::from(Span::styled(
            format!(
                "1-{} or {down}/{up} picks, {submit} snoozes · or type: fri 14:00, 1 dec, +3d",
                p.choices.len()
            ),
            theme::muted(),
        )));
    }
    if matches!(p.purpose, PromptPurpose::Delegate(_)) {
        // contacts matching what is typed; any name is fine too
        for (i, h) in p.hits.iter().take(6).enumerate() {
            let st = if i == p.selected && p.input.text().trim() == h.title {
                theme::selected()
            } else {
                Style::default()
            };
            lines.push(Line::from(Span::styled(
                fit(&format!("  {}", sanitize(&h.title)), w),
                st,
            )));
        }
        let (down, up) = (
            app.key(Context::Prompt, "pick.next"),
            app.key(Context::Prompt, "pick.prev"),
        );
        lines.push(Line::from(Span::styled(
            format!(
                "{down}/{up} picks a contact · any name is fine · {submit} saves, empty clears"
            ),
            theme::muted(),
        )));
    }
    if p.purpose == PromptPurpose::Capture {
        lines.push(Line::from(Span::styled(
            format!("{submit} saves when all is understood, else opens a form"),
            theme::muted(),
        )));
    }
    if p.purpose == PromptPurpose::Search {
        if p.hits.is_empty() && !p.input.text().trim().is_empty() {
            lines.push(Line::from(Span::styled("no matches", theme::muted())));
        }
        for (i, h) in p.hits.iter().enumerate() {
            let st = if i == p.selected {
                theme::selected()
            } else {
                Style::default()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:<8} ", crate::app::kind_name(h.kind)),
                    theme::muted(),
                ),
                Span::styled(
                    fit(
                        &format!("{}  {}", sanitize(&h.title), sanitize(&h.detail)),
                        w.saturating_sub(9),
                    ),
                    st,
                ),
            ]));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
    let before: String = text.chars().skip(skip).take(cur - skip).collect();
    let x = inner
        .x
        .saturating_add(2)
        .saturating_add(u16::try_from(before.width()).unwrap_or(u16::MAX));
    if x < inner.right() && inner.height > 0 {
        f.set_cursor_position(Position::new(x, inner.y));
    }
}
