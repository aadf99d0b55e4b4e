//! `reminder list|dismiss|snooze`: what the TUI's reminder strip does, for scripts. Answers
//! are kept in the database by event UID and occurrence start (`store::reminders`), so the
//! TUI (running or started later) does not show a reminder dismissed here, and the other way
//! round.
use super::input::{self, Res, bad};
use super::json;
use super::text::{self, Table};
use super::{Ctx, UserError};
use crate::domain::event::{
    MAX_REMINDER_MINUTES, ReminderAnswer, ReminderState, local_midnight, reminder_state,
};
use crate::domain::recurrence::{Occurrence, event_zone, occurrences};
use crate::domain::{Event, EventStatus};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum ReminderCmd {
    /// Reminders due now and coming up to the end of tomorrow, with their state (upcoming,
    /// due, snoozed, dismissed), by occurrence start.
    List,
    /// Dismiss the reminder of one occurrence: it does not show again (in the TUI too).
    Dismiss {
        /// The event id (a repeating event's id, or a changed occurrence's).
        id: i64,
        /// The occurrence: its start ("2026-11-23 10:30", "mon 10:30"), or its date when it
        /// is the only one that day, in the event's zone.
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        at: String,
    },
    /// Snooze the reminder of one occurrence: it shows again when the snooze is over.
    Snooze {
        /// The event id (a repeating event's id, or a changed occurrence's).
        id: i64,
        /// The occurrence: its start, or its date when it is the only one that day.
        #[arg(long, allow_hyphen_values = true, value_parser = super::args::flag_value)]
        at: String,
        /// How long: 5m, 1h, 1h30m.
        #[arg(long = "for", default_value = "5m", allow_hyphen_values = true, value_parser = super::args::flag_value)]
        for_: String,
    },
}

pub fn run(ctx: &Ctx, cmd: &ReminderCmd, out: &mut dyn Write) -> Res<()> {
    let mut safe = super::text::Safe(out);
    let out: &mut dyn Write = &mut safe;
    match cmd {
        ReminderCmd::List => list(ctx, out),
        ReminderCmd::Dismiss { id, at } => answer(ctx, *id, at, None, out),
        ReminderCmd::Snooze { id, at, for_ } => {
            let d = input::duration("for", for_)?;
            if d <= Duration::zero() {
                return Err(bad("for", "give a length above zero (5m, 1h)"));
            }
            let most = crate::domain::event::MAX_REMINDER_MINUTES;
            if d > Duration::minutes(i64::from(most)) {
                return Err(bad(
                    "for",
                    format!("a snooze is at most 4 weeks ({most} minutes)"),
                ));
            }
            answer(ctx, *id, at, Some(d), out)
        }
    }
}

/// The occurrences with a reminder whose reminder may matter from `now` to the end of
/// tomorrow (as the TUI's reminder query), with the events they come from.
/// The events whose reminder may matter from now on, and their occurrences (`.0` indexes
/// the events).
type Pending = (Vec<Event>, Vec<(usize, Occurrence)>);

fn pending(ctx: &Ctx) -> Res<Pending> {
    let now = ctx.now();
    let to = local_midnight(ctx.today() + Duration::days(2), ctx.tz)
        + Duration::minutes(MAX_REMINDER_MINUTES as i64);
    let (events, _) = ctx.store.list_reminders(now, to, ctx.tz)?;
    let mut occs: Vec<(usize, Occurrence)> = occurrences(&events, now, to, ctx.tz)
        .into_iter()
        .filter(|(i, _)| {
            events[*i].reminder_minutes.is_some() && events[*i].status != EventStatus::Cancelled
        })
        .collect();
    occs.sort_by_key(|(i, o)| (o.start, events[*i].id));
    Ok((events, occs))
}

fn state_name(s: ReminderState) -> &'static str {
    match s {
        ReminderState::Upcoming => "upcoming",
        ReminderState::Due { .. } => "due",
        ReminderState::Snoozed(_) => "snoozed",
        ReminderState::Dismissed => "dismissed",
        ReminderState::Past => "past",
    }
}

fn list(ctx: &Ctx, out: &mut dyn Write) -> Res<()> {
    let now = ctx.now();
    let end_of_tomorrow = local_midnight(ctx.today() + Duration::days(2), ctx.tz);
    let (events, occs) = pending(ctx)?;
    let answers = ctx.store.reminder_answers()?;
    let mut rows = Vec::new();
    for (i, o) in &occs {
        let e = &events[*i];
        let Some(m) = e.reminder_minutes else {
            continue;
        };
        let at = o.start - Duration::minutes(m as i64);
        let answer = answers.iter().find(|a| a.is_for(&e.uid, o.start));
        let state = reminder_state(at, o.start, o.end, answer, now);
        // what is due, snoozed or answered, and what comes up to the end of tomorrow
        let shown = match state {
            ReminderState::Past => false,
            ReminderState::Upcoming => at < end_of_tomorrow,
            _ => true,
        };
        if shown {
            rows.push((e, o, at, state));
        }
    }
    if ctx.json {
        let v: Vec<_> = rows
            .iter()
            .map(|(e, o, at, state)| {
                json!({
                    "event_id": e.id,
                    "uid": e.uid,
                    "title": e.title,
                    "start": json::instant(o.start),
                    "end": json::instant(o.end),
                    "remind_at": json::instant(*at),
                    "state": state_name(*state),
                    "snoozed_until": match state {
                        ReminderState::Snoozed(u) => json::instant(*u),
                        _ => serde_json::Value::Null,
                    },
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "No reminders due or coming up.")?;
        return Ok(());
    }
    let mut t = Table::new(&["ID", "STARTS", "REMIND", "STATE", "TITLE"]).right(0);
    for (e, o, at, state) in &rows {
        let local = |x: DateTime<Utc>| {
            x.with_timezone(&ctx.tz)
                .format("%a %d %b %H:%M")
                .to_string()
        };
        let st = match state {
            ReminderState::Snoozed(u) => {
                format!("snoozed until {}", until_text(*u, now, ctx.tz))
            }
            s => state_name(*s).to_string(),
        };
        t.row(vec![
            e.id.to_string(),
            local(o.start),
            local(*at),
            st,
            text::line(&e.title),
        ]);
    }
    write!(out, "{}", t.render())?;
    Ok(())
}

/// Dismiss (`snooze` None) or snooze the reminder of the occurrence of event `id` at `at`.
fn answer(ctx: &Ctx, id: i64, at: &str, snooze: Option<Duration>, out: &mut dyn Write) -> Res<()> {
    let now = ctx.now();
    let e = ctx.store.get_event(id)?;
    if e.reminder_minutes.is_none() {
        return Err(UserError::new(format!(
            "event {id} '{}' has no reminder (set one with `edit event {id} --reminder 15`)",
            text::line(&e.title)
        )));
    }
    let zone = if e.time.is_all_day() {
        ctx.tz
    } else {
        event_zone(&e)
    };
    let (day, time) = input::occurrence_at("at", at, now, zone)?;
    // the series (a changed occurrence's id names it too), expanded over that day
    let series = ctx.store.list_series(&e.uid)?;
    let events = if series.is_empty() {
        vec![e.clone()]
    } else {
        series
    };
    let (from, to) = (
        local_midnight(day, zone),
        local_midnight(day + Duration::days(1), zone),
    );
    let on_day: Vec<Occurrence> = occurrences(&events, from, to, ctx.tz)
        .into_iter()
        .map(|(_, o)| o)
        .filter(|o| o.start.with_timezone(&zone).date_naive() == day)
        .collect();
    let found: Vec<&Occurrence> = match time {
        Some(n) => on_day
            .iter()
            .filter(|o| o.start.with_timezone(&zone).naive_local() == n)
            .collect(),
        None => on_day.iter().collect(),
    };
    let o = match found.as_slice() {
        [o] => *o,
        [] => {
            return Err(bad(
                "at",
                format!(
                    "event {id} '{}' has no occurrence at {at} ({})",
                    text::line(&e.title),
                    zone.name()
                ),
            ));
        }
        _ => {
            return Err(bad(
                "at",
                format!(
                    "event {id} '{}' has {} occurrences on {}; give the time too",
                    text::line(&e.title),
                    found.len(),
                    day.format("%Y-%m-%d")
                ),
            ));
        }
    };
    let a = ReminderAnswer {
        uid: e.uid.clone(),
        start: o.start,
        until: snooze.map(|d| now + d),
        at: now,
    };
    ctx.store.answer_reminder(&a)?;
    let when = o.start.with_timezone(&ctx.tz).format("%a %d %b %H:%M");
    // a changed occurrence has its own title
    let title = events
        .iter()
        .find(|x| x.id == o.event_id)
        .map_or(e.title.as_str(), |x| x.title.as_str());
    if ctx.json {
        serde_json::to_writer_pretty(
            &mut *out,
            &json!({
                "event_id": e.id,
                "uid": e.uid,
                "start": json::instant(o.start),
                "state": if a.until.is_some() { "snoozed" } else { "dismissed" },
                "snoozed_until": a.until.map_or(serde_json::Value::Null, json::instant),
            }),
        )?;
        writeln!(out)?;
    } else if let Some(u) = a.until {
        writeln!(
            out,
            "Snoozed the reminder of '{}' ({when}) until {}",
            text::line(title),
            until_text(u, now, ctx.tz)
        )?;
    } else {
        writeln!(
            out,
            "Dismissed the reminder of '{}' ({when})",
            text::line(title)
        )?;
    }
    Ok(())
}

/// A snooze's end: its time, with its day when that is not today.
fn until_text(u: DateTime<Utc>, now: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let (u, now) = (u.with_timezone(&tz), now.with_timezone(&tz));
    if u.date_naive() == now.date_naive() {
        u.format("%H:%M").to_string()
    } else {
        u.format("%a %d %b %H:%M").to_string()
    }
}
