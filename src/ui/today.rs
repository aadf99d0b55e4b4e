//! Today: triage in sections. From 80 columns, tasks and invoices are on the
//! left and the day's timeline (current time marked), travel and conflicts on the right.
use super::timeline::{Item, Row};
use super::{empty_hint, fit, local, row, sanitize, scrolled_lines, theme, trunc};
use crate::app::App;
use crate::app::keymap::Context;
use crate::app::today::{More, TodayItem};
use crate::domain::{Due, Priority, SegmentStatus, TaskStatus};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// Lines of one column, the line of the selected item in it and of its section's header.
struct Col {
    lines: Vec<Line<'static>>,
    sel: Option<usize>,
    /// The header line of the section being filled, and of the selected item's section.
    head: usize,
    sel_head: usize,
    width: u16,
}

impl Col {
    fn new(width: u16) -> Col {
        Col {
            lines: Vec::new(),
            sel: None,
            head: 0,
            sel_head: 0,
            width,
        }
    }
    fn push(&mut self, l: Line<'static>) {
        self.lines.push(l);
    }
    /// A section header: the items after it belong to it.
    fn section(&mut self, l: Line<'static>) {
        self.head = self.lines.len();
        self.lines.push(l);
    }
    fn item(&mut self, spans: Vec<Span<'static>>, selected: bool) {
        if selected {
            self.sel = Some(self.lines.len());
            self.sel_head = self.head;
        }
        self.lines.push(row(spans, selected, self.width));
    }
    /// Draw the column scrolled so the selected item AND its section header show (the top
    /// when the first item is selected).
    fn draw(self, f: &mut Frame, area: Rect, scroll: usize, top: bool) -> usize {
        let h = area.height as usize;
        let scroll = match self.sel {
            _ if top => 0,
            Some(sel) => super::keep_with_heading(scroll, sel, self.sel_head, h),
            None => scroll,
        };
        scrolled_lines(f, area, self.lines, None, scroll)
    }
    fn gap(&mut self) {
        if !self.lines.is_empty() {
            self.lines.push(Line::from(""));
        }
    }
}

fn head(title: &str, note: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(title.to_string(), theme::header()),
        Span::styled(format!("  {note}"), theme::muted()),
    ])
}

/// " (2 unreadable)": rows of a section left out because another tool wrote them wrong.
fn unreadable(n: u64) -> String {
    if n > 0 {
        format!(" ({n} unreadable)")
    } else {
        String::new()
    }
}

pub fn render(app: &mut App, f: &mut Frame, area: Rect) {
    if !app.today.loaded {
        f.render_widget(Line::from("Loading…"), area);
        return;
    }
    // from 80 columns the day (timeline, travel, conflicts) sits beside the tasks: at 09:00 the
    // first meeting matters as much as the first overdue task
    let two = area.width >= 80;
    let (lw, rw) = if two {
        let r = area.width * 45 / 100;
        (area.width - r - 1, r)
    } else {
        (area.width, area.width)
    };
    let mut left = Col::new(lw);
    let mut right = Col::new(rw);
    tasks(app, &mut left);
    left.gap();
    invoices(app, &mut left);
    {
        let target = if two { &mut right } else { &mut left };
        if !two {
            target.gap();
        }
        timeline(app, target);
        target.gap();
        travel(app, target);
        conflicts(app, target);
    }
    if app.today.items().is_empty() {
        left.gap();
        left.push(empty_hint(app, "items today"));
    }
    let (sl, sr) = app.today.scroll;
    // g (the first item) shows the very top of both columns
    let top = app.today.selected == 0;
    if two {
        let [la, _, ra] = Layout::horizontal([
            Constraint::Length(lw),
            Constraint::Length(1),
            Constraint::Length(rw),
        ])
        .areas(area);
        let sl = left.draw(f, la, sl, top);
        let sr = right.draw(f, ra, sr, top);
        app.today.scroll = (sl, sr);
    } else {
        let sl = left.draw(f, area, sl, top);
        app.today.scroll = (sl, 0);
    }
}

fn is_sel(app: &App, item: TodayItem) -> bool {
    app.today.current() == Some(item)
}

/// "… 478 more overdue · Enter lists them all in Tasks"
fn more(app: &App, c: &mut Col, m: More) {
    let n = app.today.more(m);
    if n == 0 {
        return;
    }
    let (what, pane) = match m {
        More::Overdue => ("overdue", "Tasks"),
        More::DueToday => ("due today", "Tasks"),
        More::Invoices => ("due within 7 days", "Invoices"),
    };
    let open = app.keymap.label_in(Context::Today, "open");
    c.item(
        vec![Span::styled(
            trunc(
                &format!("  … {n} more {what} · {open} lists them all in {pane}"),
                c.width as usize,
            ),
            theme::due_soon(),
        )],
        is_sel(app, TodayItem::More(m)),
    );
}

fn tasks(app: &App, c: &mut Col) {
    let (tz, now, today) = (app.tz, app.now, app.today_date());
    let s = &app.today;
    c.section(head(
        "Tasks",
        format!(
            "{} overdue, {} due today{}",
            s.data.counts.overdue_tasks,
            s.data.due_today,
            unreadable(s.data.unreadable_overdue + s.data.unreadable_due)
        ),
    ));
    if s.data.tasks.is_empty() && s.more(More::Overdue) == 0 {
        c.push(Line::from(Span::styled("  Nothing due.", theme::muted())));
    }
    let over = s.data.overdue_shown.min(s.data.tasks.len());
    let w = c.width as usize;
    let show_kind = w >= 80;
    let who_w = if w >= 60 { 16 } else { 0 };
    for (i, t) in s.data.tasks.iter().enumerate() {
        if i == over {
            more(app, c, More::Overdue);
        }
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
        let st = if od {
            theme::overdue()
        } else {
            Style::default()
        };
        let pri = if t.priority == Priority::High {
            "!"
        } else {
            " "
        };
        let mut who = sanitize(&t.contact_name);
        if t.status == TaskStatus::Waiting {
            who = if who.is_empty() {
                "(waiting)".into()
            } else {
                format!("{who} (waiting)")
            };
        }
        let kind_w = if show_kind { 8 } else { 0 };
        let subj_w = w.saturating_sub(2 + 2 + 10 + kind_w + who_w + 1).max(8);
        let mut spans = vec![Span::styled(format!("  {pri} {:<9} ", trunc(&when, 9)), st)];
        if show_kind {
            spans.push(Span::styled(
                format!("{:<8}", t.kind.as_str()),
                theme::muted(),
            ));
        }
        spans.push(Span::styled(fit(&sanitize(&t.subject), subj_w), st));
        if who_w > 0 {
            spans.push(Span::styled(
                format!(" {}", trunc(&who, who_w)),
                theme::muted(),
            ));
        }
        c.item(spans, is_sel(app, TodayItem::Task(i)));
    }
    if over == s.data.tasks.len() {
        more(app, c, More::Overdue);
    }
    more(app, c, More::DueToday);
}

fn invoices(app: &App, c: &mut Col) {
    let today = app.today_date();
    let s = &app.today;
    c.section(head(
        "Invoices",
        format!(
            "overdue or due within 7 days{}",
            unreadable(s.data.unreadable_invoices)
        ),
    ));
    if s.data.invoices.is_empty() {
        c.push(Line::from(Span::styled(
            "  Nothing to pay.",
            theme::muted(),
        )));
    }
    let w = c.width as usize;
    let show_no = w >= 80;
    for (i, inv) in s.data.invoices.iter().enumerate() {
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
        let amount = inv.amount.to_string();
        let no_w = if show_no { 24 } else { 0 };
        let vendor_w = w
            .saturating_sub(2 + 12 + amount.chars().count() + 2 + no_w)
            .max(8);
        let mut spans = vec![
            Span::styled(format!("  {when:<11} "), st),
            Span::raw(fit(&sanitize(&inv.vendor_name), vendor_w)),
            Span::raw(format!(" {amount}")),
        ];
        if show_no {
            spans.push(Span::styled(
                format!("  {} {}", trunc(&sanitize(&inv.number), 12), inv.status),
                theme::muted(),
            ));
        }
        c.item(spans, is_sel(app, TodayItem::Invoice(i)));
    }
    more(app, c, More::Invoices);
}

fn timeline(app: &App, c: &mut Col) {
    let (tz, now, today) = (app.tz, app.now, app.today_date());
    let s = &app.today;
    c.section(head(
        "Schedule",
        format!(
            "{}{}",
            today.format("%A %-d %B"),
            unreadable(s.data.unreadable_events)
        ),
    ));
    if s.occs.is_empty() {
        c.push(Line::from(Span::styled(
            "  No events today.",
            theme::muted(),
        )));
    }
    // (occurrence index, item)
    let (at, items): (Vec<usize>, Vec<Item>) = s
        .occs
        .iter()
        .enumerate()
        .filter_map(|(k, (ei, o))| {
            let e = s.data.events.get(*ei)?;
            let item = Item {
                occ: o,
                event: e,
                conflict: s.conflicts.iter().any(|x| x.events.contains(&e.id)),
            };
            Some((k, item))
        })
        .unzip();
    let frame = super::timeline::Frame {
        day: today,
        now,
        tz,
        width: c.width as usize,
        hours: false,
    };
    for r in super::timeline::rows(&items, &frame) {
        match r {
            Row::Item(i, spans) => {
                let selected = at.get(i).is_some_and(|&k| is_sel(app, TodayItem::Event(k)));
                c.item(spans, selected)
            }
            Row::Plain(l) => c.push(l),
        }
    }
}

fn travel(app: &App, c: &mut Col) {
    let s = &app.today;
    c.section(head(
        "Travel",
        format!("next 7 days{}", unreadable(s.data.unreadable_segments)),
    ));
    if s.data.segments.is_empty() {
        c.push(Line::from(Span::styled("  No travel.", theme::muted())));
    }
    let w = c.width as usize;
    for (i, sg) in s.data.segments.iter().enumerate() {
        let d = sg.depart_local();
        let a = sg.arrive_local();
        let st = if sg.status == SegmentStatus::Cancelled {
            theme::dim()
        } else {
            Style::default().fg(Color::Cyan)
        };
        // a narrow column keeps the route: no zone names, no "arr", an icon for the kind
        let narrow = w < 60;
        let hotel = sg.kind == crate::domain::SegmentKind::Hotel;
        let what = match (hotel, narrow) {
            (true, false) => format!(
                "hotel {} until {}",
                sanitize(&sg.origin),
                a.format("%a %-d")
            ),
            (true, true) => format!(
                "{} {} →{}",
                super::travel::icon(sg.kind),
                sanitize(&sg.origin),
                a.format("%a %-d")
            ),
            (false, false) => format!(
                "{} {} {}→{} arr {}",
                sg.kind,
                sanitize(&sg.number),
                sanitize(&sg.origin),
                sanitize(&sg.destination),
                a.format("%H:%M %Z")
            ),
            (false, true) => {
                let number = sanitize(&sg.number);
                let number = if number.is_empty() {
                    String::new()
                } else {
                    format!("{number} ")
                };
                format!(
                    "{} {number}{}→{} {}",
                    super::travel::icon(sg.kind),
                    sanitize(&sg.origin),
                    sanitize(&sg.destination),
                    a.format("%H:%M")
                )
            }
        };
        let conf = if sg.confirmation.is_empty() {
            String::new()
        } else {
            format!("  {}", sanitize(&sg.confirmation))
        };
        let when = if narrow {
            format!("  {} ", d.format("%a %-d %H:%M"))
        } else {
            format!("  {} ", d.format("%a %-d %H:%M %Z"))
        };
        let room = w.saturating_sub(when.chars().count() + conf.chars().count());
        c.item(
            vec![
                Span::raw(when),
                Span::styled(trunc(&what, room.max(8)), st),
                Span::styled(conf, Style::default().fg(Color::Yellow)),
            ],
            is_sel(app, TodayItem::Segment(i)),
        );
    }
}

fn conflicts(app: &App, c: &mut Col) {
    let s = &app.today;
    if s.conflicts.is_empty() {
        return;
    }
    c.gap();
    c.section(Line::from(Span::styled("Conflicts", theme::conflict())));
    let w = c.width as usize;
    let wide = w >= 80;
    let each = if wide {
        (w.saturating_sub(2 + 2 + 12 + 3 + 9) / 2).max(6)
    } else {
        w.saturating_sub(2 + 2 + 12).max(6)
    };
    for (i, x) in s.conflicts.iter().enumerate() {
        let times = format!(
            "{}–{} ",
            local(x.start, app.tz).format("%H:%M"),
            local(x.end, app.tz).format("%H:%M")
        );
        let travel = Span::styled(if x.travel { " (travel)" } else { "" }, theme::muted());
        if wide {
            c.item(
                vec![
                    Span::raw("  "),
                    Span::styled("⚠ ", theme::conflict()),
                    Span::raw(format!(
                        "{times}{} ✕ {}",
                        trunc(&sanitize(&x.a), each),
                        trunc(&sanitize(&x.b), each)
                    )),
                    travel,
                ],
                is_sel(app, TodayItem::Conflict(i)),
            );
        } else {
            // narrow column: one line per side
            c.item(
                vec![
                    Span::raw("  "),
                    Span::styled("⚠ ", theme::conflict()),
                    Span::raw(format!("{times}{}", trunc(&sanitize(&x.a), each))),
                ],
                is_sel(app, TodayItem::Conflict(i)),
            );
            c.push(Line::from(vec![
                Span::raw(format!("{:>w$}", "✕ ", w = 4 + times.chars().count())),
                Span::raw(trunc(&sanitize(&x.b), each)),
                travel,
            ]));
        }
    }
}
