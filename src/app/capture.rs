//! Quick capture (`:`): one line becomes a record, read by `domain::capture::parse`. What was
//! understood is shown before saving. Enter files it only when the kind was said (a keyword)
//! and everything was understood; otherwise (something missing or not understood, or the kind
//! only guessed) a prefilled form opens on the first field that needs you, with the line as
//! typed kept in the notes, so nothing typed is lost.
use super::Record;
use super::form::{Ctx, Form, FormKind};
use crate::domain::capture::{Capture, Draft, parse};
use crate::domain::event::new_uid;

/// What quick capture made of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Understood {
    /// The record to save (contact links resolved by the effect, by exact name).
    pub record: Option<Record>,
    /// The counterpart/vendor name as typed, for the effect to link.
    pub contact: Option<String>,
    /// One line per thing understood or missing.
    pub summary: Vec<String>,
    /// True when the line was understood in full: Enter saves directly.
    pub complete: bool,
}

pub fn read(line: &str, ctx: &Ctx) -> Capture {
    parse(line, ctx.now, ctx.tz, ctx.currency)
}

/// Read `line` in `ctx` (now, zone, currency).
pub fn understand(line: &str, ctx: &Ctx) -> Understood {
    if line.trim().is_empty() {
        return Understood {
            record: None,
            contact: None,
            summary: vec![
                "e.g. 'call Anna Berg about budget tomorrow 14:00 !h',".into(),
                "'mtg Board fri 14:00-15:30 @Room 3', 'inv Telia 1249 kr due 30 nov'".into(),
            ],
            complete: false,
        };
    }
    let c = read(line, ctx);
    let mut summary = vec![c.summary()];
    for i in &c.issues {
        summary.push(format!("not understood: {i}"));
    }
    let missing = c.missing();
    if !missing.is_empty() && !matches!(c.draft, Draft::Unparsed) {
        summary.push(format!(
            "missing: {} ({} opens a form)",
            missing.join(", "),
            ctx.submit
        ));
    } else if c.guessed && c.issues.is_empty() {
        summary.push(format!(
            "the kind is a guess: {} opens the {} form to check it (start with mtg, call, task or inv to file it at once)",
            ctx.submit,
            c.kind_label()
        ));
    }
    let (record, contact) = match &c.draft {
        Draft::Task(t) => (
            Some(Record::Task(t.to_task(None, ctx.now))),
            t.contact.clone(),
        ),
        Draft::Event(e) => (
            e.to_event(None, ctx.now).map(|mut ev| {
                ev.uid = new_uid(ctx.now);
                Record::Event(ev)
            }),
            e.contact.clone(),
        ),
        Draft::Invoice(i) => (
            i.to_invoice(None).map(Record::Invoice),
            Some(i.vendor.clone()).filter(|v| !v.trim().is_empty()),
        ),
        Draft::Unparsed => (None, None),
    };
    let valid = match &record {
        Some(Record::Task(t)) => t.validate().is_ok(),
        Some(Record::Event(e)) => e.validate().is_ok(),
        Some(Record::Invoice(i)) => i.validate().is_ok(),
        _ => false,
    };
    Understood {
        // a guessed kind is never filed unseen: an undated "task" would vanish from Today
        complete: c.is_complete() && valid && !c.guessed,
        record,
        contact,
        summary,
    }
}

/// A form prefilled with everything the line said (for an incomplete capture).
pub fn form_for(line: &str, ctx: &Ctx) -> Form {
    let c = read(line, ctx);
    let mut f = match &c.draft {
        Draft::Task(t) => {
            let mut f = Form::new_prefilled(
                FormKind::Task,
                Some(Record::Task(t.to_task(None, ctx.now))),
                ctx,
            );
            if let Some(who) = &t.contact {
                f.set_text("contact", who);
            }
            f
        }
        Draft::Event(e) => match e.to_event(None, ctx.now) {
            Some(ev) => Form::new_prefilled(FormKind::Event, Some(Record::Event(ev)), ctx),
            None => {
                let mut f = Form::new(FormKind::Event, None, ctx);
                f.set_text("title", &e.title);
                f.set_text("location", &e.location);
                f.set_text("category", e.category.as_str());
                if let Some(r) = &e.rrule {
                    f.set_text("rrule", r);
                }
                if let Some(who) = &e.contact {
                    let notes = format!("With {who}");
                    f.set_text("notes", &notes);
                }
                f
            }
        },
        Draft::Invoice(i) => match i.to_invoice(None) {
            Some(inv) => Form::new_prefilled(FormKind::Invoice, Some(Record::Invoice(inv)), ctx),
            None => {
                let mut f = Form::new(FormKind::Invoice, None, ctx);
                f.set_text("vendor", &i.vendor);
                if let Some(a) = i.amount {
                    f.set_text("amount", &a.to_string());
                }
                if let Some(d) = i.due {
                    f.set_text("due", &d.to_string());
                }
                f.set_text("number", &i.number);
                f.set_text("payment-ref", &i.payment_ref);
                f.set_text("notes", &i.notes);
                f
            }
        },
        Draft::Unparsed => {
            let mut f = Form::new(FormKind::Task, None, ctx);
            f.set_text("subject", line.trim());
            f
        }
    };
    let issues: Vec<String> = c.issues.iter().map(|i| i.to_string()).collect();
    // what was not understood has no field of its own: the line as typed goes in the notes
    if !issues.is_empty() && !matches!(c.draft, Draft::Unparsed) {
        let frags: Vec<String> = c
            .issues
            .iter()
            .filter(|i| !i.fragment.is_empty())
            .map(|i| format!("'{}'", i.fragment))
            .collect();
        let mut note = format!("Quick capture: {}", line.trim());
        if !frags.is_empty() {
            note.push_str(&format!(" (not understood: {})", frags.join(", ")));
        }
        f.append_line("notes", &note);
    }
    f.dirty = true;
    f.error = Some(if !issues.is_empty() {
        format!("not understood (kept in Notes): {}", issues.join("; "))
    } else if c.guessed {
        format!(
            "a guess from “{}”: check the kind and fields, then save",
            line.trim()
        )
    } else {
        format!(
            "from quick capture: “{}” — complete the fields",
            line.trim()
        )
    });
    f.build(ctx);
    f.focus = first_to_fill(&f, &c);
    f
}

/// The field a capture form opens on: the first that is wrong or still empty but required,
/// else (a time or date that was not understood) the date field, else the first.
fn first_to_fill(f: &Form, c: &Capture) -> usize {
    let needs =
        |x: &super::form::Field| x.error.is_some() || (x.required && x.text().trim().is_empty());
    if let Some(i) = f.fields.iter().position(needs) {
        return i;
    }
    let datelike = c
        .issues
        .iter()
        .any(|i| i.fragment.chars().any(|ch| ch.is_ascii_digit()));
    let when = match f.kind {
        FormKind::Event => "start",
        _ => "due",
    };
    datelike
        .then(|| f.fields.iter().position(|x| x.key == when))
        .flatten()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Due, Priority, TaskKind};
    use chrono::{TimeZone, Utc};

    fn ctx() -> Ctx {
        Ctx::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            chrono_tz::Europe::Stockholm,
            crate::domain::Currency::SEK,
        )
    }

    #[test]
    fn a_complete_task_line_saves_directly() {
        let u = understand("call Anna Berg about budget tomorrow 14:00 !h", &ctx());
        let Some(Record::Task(t)) = &u.record else {
            panic!("{u:?}")
        };
        assert_eq!(t.kind, TaskKind::Call);
        assert_eq!(t.priority, Priority::High);
        assert!(matches!(t.due, Some(Due::At(_))));
        assert_eq!(u.contact.as_deref(), Some("Anna Berg"));
        assert!(u.complete, "{u:?}");
        assert!(!u.summary.is_empty());
    }

    #[test]
    fn an_incomplete_line_becomes_a_form_keeping_the_text() {
        let u = understand("inv Telia", &ctx());
        assert!(!u.complete);
        let f = form_for("inv Telia", &ctx());
        assert_eq!(f.kind, FormKind::Invoice);
        assert_eq!(f.fields[0].text(), "Telia");
        let f = form_for("%%% ???", &ctx());
        assert!(f.fields.iter().any(|x| x.text().contains("%%%")));
        assert!(!understand("   ", &ctx()).complete);
    }

    fn text<'a>(f: &'a Form, key: &str) -> &'a str {
        f.fields.iter().find(|x| x.key == key).unwrap().text()
    }

    #[test]
    fn what_was_not_understood_is_kept_in_the_notes_of_the_form() {
        let line = "xyzzy 123 !!! @@ fri 99:99";
        let u = understand(line, &ctx());
        assert!(!u.complete);
        let f = form_for(line, &ctx());
        assert_eq!(f.kind, FormKind::Event);
        let notes = text(&f, "notes");
        assert!(notes.contains(line), "the line as typed: {notes}");
        assert!(notes.contains("'99:99'"), "{notes}");
        // a time that was not understood: the form opens on the start
        assert_eq!(f.focused().unwrap().key, "start");
        assert!(f.error.as_deref().unwrap_or("").contains("kept in Notes"));
    }

    #[test]
    fn the_form_opens_on_the_first_field_that_needs_you() {
        let f = form_for("inv Telia due fri", &ctx());
        assert_eq!(f.kind, FormKind::Invoice);
        assert_eq!(f.focused().unwrap().key, "amount");
        assert_eq!(text(&f, "vendor"), "Telia");
        let f = form_for("mtg Board review @Room 3", &ctx());
        assert_eq!(f.focused().unwrap().key, "start", "no time was given");
        assert_eq!(text(&f, "location"), "Room 3");
    }

    #[test]
    fn a_guessed_kind_opens_the_form_instead_of_filing_an_undated_task() {
        let u = understand("lorem ipsum dolor", &ctx());
        assert!(matches!(u.record, Some(Record::Task(_))));
        assert!(!u.complete, "never filed unseen");
        assert!(
            u.summary
                .iter()
                .any(|l| l.contains("Enter opens the task form")),
            "{:?}",
            u.summary
        );
        let f = form_for("lorem ipsum dolor", &ctx());
        assert_eq!(f.kind, FormKind::Task);
        assert_eq!(text(&f, "subject"), "Lorem ipsum dolor");
        // with a keyword the same line files at once
        assert!(understand("task lorem ipsum dolor", &ctx()).complete);
    }
}
