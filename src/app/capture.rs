//! Quick capture (`:`): one line becomes a record. This is the small interface the popup uses;
//! the parsing itself is `domain::capture` when available (see `understand`).
//! What was understood is shown before saving; when something is left over, the popup hands a
//! prefilled form to the user, so nothing typed is lost.
use super::Record;
use super::form::Ctx;
use crate::domain::when::{When, parse_when};
use crate::domain::{Due, Priority, Task, TaskKind};

/// What quick capture made of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Understood {
    pub record: Option<Record>,
    /// One line per thing understood ("task: Reply to Anna", "due: Tue 24 Nov").
    pub summary: Vec<String>,
    /// True when every word was used: Enter saves directly.
    pub complete: bool,
}

/// Read `line` in `ctx` (now, zone, currency).
pub fn understand(line: &str, ctx: &Ctx) -> Understood {
    fallback(line, ctx)
}

/// A small reader used until `domain::capture` is wired: `[kind] subject [!|!!] [due words]`.
fn fallback(line: &str, ctx: &Ctx) -> Understood {
    let text = line.trim();
    if text.is_empty() {
        return Understood {
            record: None,
            summary: vec!["type e.g. 'call Anna tomorrow 14:00 !'".into()],
            complete: false,
        };
    }
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let mut task = Task::new("", ctx.now);
    if let Some(k) = words
        .first()
        .and_then(|w| match w.to_ascii_lowercase().as_str() {
            "call" => Some(TaskKind::Call),
            "email" | "mail" => Some(TaskKind::Email),
            "letter" => Some(TaskKind::Letter),
            "message" | "msg" | "text" => Some(TaskKind::Message),
            _ => None,
        })
    {
        task.kind = k;
    }
    if let Some(i) = words.iter().position(|w| *w == "!!" || *w == "!") {
        task.priority = Priority::High;
        words.remove(i);
    }
    // The longest tail of words that reads as a date.
    let mut due = None;
    for start in (1..words.len())
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let tail = words[start..].join(" ");
        if let Ok(w) = parse_when(&tail, ctx.now, ctx.tz) {
            due = Some((start, w));
            break;
        }
    }
    let mut summary = vec![];
    if let Some((start, w)) = due {
        words.truncate(start);
        task.due = Some(match w {
            When::Date(d) => Due::Date(d),
            other => Due::At(other.instant(ctx.tz, super::morning())),
        });
        summary.push(format!(
            "due: {}",
            match w {
                When::Date(d) => d.format("%a %-d %b %Y").to_string(),
                other => other
                    .instant(ctx.tz, super::morning())
                    .with_timezone(&ctx.tz)
                    .format("%a %-d %b %Y %H:%M")
                    .to_string(),
            }
        ));
    }
    task.subject = words.join(" ");
    summary.insert(
        0,
        format!("{} task: {}", task.kind, crate::ui::sanitize(&task.subject)),
    );
    if task.priority == Priority::High {
        summary.push("priority: high".into());
    }
    let ok = task.validate().is_ok();
    Understood {
        record: Some(Record::Task(task)),
        summary,
        complete: ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn ctx() -> Ctx {
        Ctx {
            now: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            tz: chrono_tz::Europe::Stockholm,
            currency: crate::domain::Currency::SEK,
        }
    }

    #[test]
    fn reads_kind_priority_and_due() {
        let u = understand("call Anna about the board tomorrow 14:00 !", &ctx());
        let Some(Record::Task(t)) = u.record else {
            panic!()
        };
        assert_eq!(t.kind, TaskKind::Call);
        assert_eq!(t.priority, Priority::High);
        assert_eq!(t.subject, "call Anna about the board");
        assert!(matches!(t.due, Some(Due::At(_))));
        assert!(u.complete);
        assert!(!understand("   ", &ctx()).complete);
    }
}
