//! `agenda`: loads only the window's rows, merges them with `domain::agenda::build`, prints.
use super::Ctx;
use super::args::AgendaArgs;
use super::input::{self, Res};
use super::json::{self, View};
use super::text::{self, Table};
use crate::domain::agenda::{self, AgendaDay, Entry, SegmentPart, Slot, Window};
use crate::domain::{
    Due, EventStatus, EventTime, SegmentKind, SegmentStatus, TaskDirection, TaskStatus,
};
use crate::domain::{Event, Invoice, Segment, Task};
use crate::store::{EventQuery, InvoiceQuery, Store, TaskOrder, TaskQuery};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::io::Write;

pub fn run(ctx: &Ctx, a: &AgendaArgs, out: &mut dyn Write) -> Res<()> {
    let now = ctx.now();
    let tz = match &a.tz {
        Some(z) => input::zone("tz", z)?,
        None => ctx.tz,
    };
    let from = match &a.date {
        Some(d) => input::date("date", d, now, tz, input::Direction::Nearest)?,
        None => now.with_timezone(&tz).date_naive(),
    };
    let w = Window {
        from,
        days: a.days,
        tz,
        now,
    };
    let l = load(&ctx.store, &w)?;
    let days = l.days(&w);
    let hidden = l.hidden;
    if ctx.json {
        let mut v = json::agenda(&days, View { now, tz });
        v["overdue_not_shown"] = serde_json::json!({"tasks": hidden.0, "invoices": hidden.1});
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    out.write_all(render(&days, tz, now).as_bytes())?;
    if hidden.0 > 0 || hidden.1 > 0 {
        writeln!(
            out,
            "\n… and {} more overdue tasks, {} more overdue invoices (secretaire list tasks / list invoices --open)",
            hidden.0, hidden.1
        )?;
    }
    Ok(())
}

/// At most this many overdue tasks and invoices each are carried into today.
const OVERDUE_SHOWN: u32 = 200;

/// What an agenda window shows, read as `secretaire agenda` reads it: only the window's rows
/// (events overlapping it with the series that may occur in it, travel legs, open tasks and
/// invoices due in it) plus, when today is in it, the overdue ones, most important first,
/// capped at [`OVERDUE_SHOWN`] each. (The bench times exactly this.)
pub struct Loaded {
    pub events: Vec<Event>,
    pub segments: Vec<Segment>,
    pub tasks: Vec<Task>,
    pub invoices: Vec<Invoice>,
    /// Overdue (tasks, invoices) left out.
    pub hidden: (u64, u64),
}

impl Loaded {
    /// The days, in time order: series expanded in the window, everything merged.
    pub fn days(&self, w: &Window) -> Vec<AgendaDay<'_>> {
        let occ = agenda::expand_all(&self.events, w.start(), w.end(), w.tz);
        agenda::build(&occ, &self.segments, &self.tasks, &self.invoices, *w)
    }
}

pub fn load(s: &Store, w: &Window) -> crate::store::Result<Loaded> {
    let (start, end) = (w.start(), w.end());
    let events = s.list_events(&EventQuery {
        from: Some(start),
        to: Some(end),
        tz: Some(w.tz),
        ..Default::default()
    })?;
    let segments = s.list_segments(start, end)?;
    let (from, last, tz) = (w.from, w.last(), w.tz);
    let today_in = w.today() >= from && w.today() <= last;
    let before = from.pred_opt().unwrap_or(from);
    let open = |due_to| TaskQuery {
        open_only: true,
        due_to: Some(due_to),
        tz: Some(tz),
        ..Default::default()
    };
    let mut tasks = s.list_tasks(&TaskQuery {
        due_from: Some(from),
        order: TaskOrder::Due,
        ..open(last)
    })?;
    let mut invoices = s.list_invoices(&InvoiceQuery {
        open_only: true,
        due_from: Some(from),
        due_to: Some(last),
        ..Default::default()
    })?;
    let mut hidden = (0, 0);
    if today_in {
        let overdue_tasks = s.list_tasks(&TaskQuery {
            order: TaskOrder::Priority,
            limit: Some(OVERDUE_SHOWN),
            ..open(before)
        })?;
        if overdue_tasks.len() as u32 == OVERDUE_SHOWN {
            hidden.0 = s
                .count_tasks(&open(before))?
                .saturating_sub(u64::from(OVERDUE_SHOWN));
        }
        tasks.extend(overdue_tasks);
        let q = InvoiceQuery {
            open_only: true,
            due_to: Some(before),
            limit: Some(OVERDUE_SHOWN),
            ..Default::default()
        };
        let overdue_invoices = s.list_invoices(&q)?;
        if overdue_invoices.len() as u32 == OVERDUE_SHOWN {
            hidden.1 = s
                .count_invoices(&InvoiceQuery { limit: None, ..q })?
                .saturating_sub(u64::from(OVERDUE_SHOWN));
        }
        invoices.extend(overdue_invoices);
    }
    Ok(Loaded {
        events,
        segments,
        tasks,
        invoices,
        hidden,
    })
}

fn seg_kind(k: SegmentKind) -> &'static str {
    k.as_str()
}

/// The plain-text agenda: a heading per day, then TIME  KIND  WHAT  #ID lines.
pub fn render(days: &[AgendaDay<'_>], tz: Tz, now: DateTime<Utc>) -> String {
    let today = now.with_timezone(&tz).date_naive();
    let mut out = String::new();
    for (n, d) in days.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mark = if d.date == today { " · today" } else { "" };
        out.push_str(&format!(
            "{} ({}){mark}\n",
            d.date.format("%A %-d %B %Y"),
            tz.name()
        ));
        if d.items.is_empty() {
            out.push_str("  nothing scheduled\n");
            continue;
        }
        let mut t = Table::new(&["TIME", "KIND", "ID", "WHAT"])
            .bare(2)
            .max_width(400);
        for it in &d.items {
            let (time, kind, what, id) = describe(it.slot, &it.entry, tz, d.date);
            t.row(vec![time, kind, format!("#{id}"), what]);
        }
        out.push_str(&t.render());
    }
    out
}

fn own_zone_note(t: DateTime<Utc>, own: Tz, display: Tz) -> String {
    if own == display {
        String::new()
    } else {
        format!(" ({})", text::hm_zone(t, own))
    }
}

fn describe(
    slot: Slot,
    e: &Entry<'_>,
    tz: Tz,
    day: chrono::NaiveDate,
) -> (String, String, String, i64) {
    match e {
        Entry::Event {
            event,
            occurrence: o,
            continued,
        } => {
            let ends_today = o.end.with_timezone(&tz).date_naive() == day
                || o.end == crate::domain::event::local_midnight(day.succ_opt().unwrap_or(day), tz);
            let time = if o.all_day {
                "all day".to_string()
            } else if *continued && slot == Slot::Untimed {
                "… all day".to_string()
            } else if *continued {
                format!("…–{}", text::hm(o.end, tz))
            } else if o.end == o.start {
                text::hm(o.start, tz)
            } else if ends_today {
                format!("{}–{}", text::hm(o.start, tz), text::hm(o.end, tz))
            } else {
                format!("{}–…", text::hm(o.start, tz))
            };
            let mut what = String::new();
            match event.status {
                EventStatus::Cancelled => what.push_str("[cancelled] "),
                EventStatus::Tentative => what.push_str("[tentative] "),
                EventStatus::Confirmed => {}
            }
            what.push_str(&text::line(&event.title));
            if !event.location.is_empty() {
                what.push_str(&format!(" · {}", text::line(&event.location)));
            }
            if let (EventTime::Timed { tz: etz, .. }, false) = (&event.time, *continued) {
                what.push_str(&own_zone_note(o.start, *etz, tz));
            }
            if event.rrule.is_some() {
                what.push_str(" ↻");
            }
            (time, event.category.as_str().to_string(), what, event.id)
        }
        Entry::Segment { segment: s, part } => {
            let hotel = s.kind == SegmentKind::Hotel;
            let (dep_word, arr_word) = if hotel {
                ("check-in", "check-out")
            } else {
                ("departs", "arrives")
            };
            let mut what = String::new();
            if s.status == SegmentStatus::Cancelled {
                what.push_str("[cancelled] ");
            }
            // a hotel's name is usually its origin too: say it once
            let provider = if hotel && s.origin.to_lowercase().contains(&s.provider.to_lowercase())
            {
                ""
            } else {
                s.provider.as_str()
            };
            let head = [provider, s.number.as_str()]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            what.push_str(&text::line(&head));
            if !s.origin.is_empty() || !s.destination.is_empty() {
                if !what.is_empty() {
                    what.push(' ');
                }
                if hotel {
                    what.push_str(&text::line(&format!("{}, {}", s.origin, s.destination)));
                } else {
                    what.push_str(&text::line(&format!("{} → {}", s.origin, s.destination)));
                }
            }
            let dep = format!("{dep_word} {}", text::hm_zone(s.depart, s.depart_tz));
            let arr_day = s.arrive.with_timezone(&s.arrive_tz).format("%a %-d %b");
            let arr = format!(
                "{arr_word} {} {}",
                arr_day,
                text::hm_zone(s.arrive, s.arrive_tz)
            );
            let time = match part {
                SegmentPart::Whole => {
                    format!("{}–{}", text::hm(s.depart, tz), text::hm(s.arrive, tz))
                }
                SegmentPart::Depart => format!("{}–…", text::hm(s.depart, tz)),
                SegmentPart::Arrive => format!("…–{}", text::hm(s.arrive, tz)),
                SegmentPart::During => "… all day".to_string(),
            };
            let detail = match part {
                SegmentPart::Whole | SegmentPart::Depart => format!("{dep}, {arr}"),
                SegmentPart::Arrive => {
                    let dep_day = s.depart.with_timezone(&s.depart_tz).format("%a %-d %b");
                    format!(
                        "{arr} (departed {dep_day} {})",
                        text::hm_zone(s.depart, s.depart_tz)
                    )
                }
                SegmentPart::During => arr,
            };
            if !s.confirmation.is_empty() && *part != SegmentPart::During {
                what.push_str(&format!(
                    " · {detail} · conf {}",
                    text::line(&s.confirmation)
                ));
            } else {
                what.push_str(&format!(" · {detail}"));
            }
            (time, seg_kind(s.kind).to_string(), what, s.id)
        }
        Entry::Task { task: t, overdue } => {
            let time = match (overdue, slot, t.due) {
                (true, _, _) => "OVERDUE".to_string(),
                (false, Slot::At(at), _) => text::hm(at, tz),
                _ => "due".to_string(),
            };
            let dir = match t.direction {
                TaskDirection::Incoming => "in",
                TaskDirection::Outgoing => "out",
            };
            let mut what = text::line(&t.subject);
            if !t.contact_name.is_empty() {
                what.push_str(&format!(" · {}", text::line(&t.contact_name)));
            }
            if t.priority == crate::domain::Priority::High {
                what.push_str(" · high");
            }
            if t.status == TaskStatus::Waiting {
                what.push_str(" · waiting");
            }
            if *overdue {
                let due = match t.due {
                    Some(Due::Date(d)) => text::day(d),
                    Some(Due::At(at)) => text::local(at, tz),
                    None => String::new(),
                };
                what.push_str(&format!(" (was due {due})"));
            }
            (time, format!("{} {dir}", t.kind), what, t.id)
        }
        Entry::Invoice {
            invoice: i,
            overdue,
        } => {
            let time = if *overdue { "OVERDUE" } else { "due" }.to_string();
            let mut what = text::line(&i.vendor_name);
            if !i.number.is_empty() {
                what.push_str(&format!(" {}", text::line(&i.number)));
            }
            what.push_str(&format!(" · {}", i.amount));
            if *overdue {
                what.push_str(&format!(" (was due {})", text::day(i.due_date)));
            }
            (time, "invoice".to_string(), what, i.id)
        }
    }
}
