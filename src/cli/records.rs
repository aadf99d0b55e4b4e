//! add / edit / show / delete / list / done / snooze / pay.
//!
//! Every flag is read and checked before anything is written: bad input leaves the database
//! as it was. Each write is one store call (one transaction).
use super::args::{
    AddCmd, ContactFields, EditCmd, EventFields, InvoiceFields, KindArg, KindId, ListArgs,
    SegmentFields, TaskFields, TripFields,
};
use super::input::{self, Direction, Res, bad, is_none};
use super::json::{self, View};
use super::text::{self, Table};
use super::{Ctx, UserError};
use crate::config::Config;
use crate::domain::agenda::expand_all;
use crate::domain::event::{EVENT_OVERNIGHT, Overnight, new_uid};
use crate::domain::when::When;
use crate::domain::{
    Attendee, Contact, Due, Event, EventStatus, EventTime, Invoice, InvoiceStatus, Segment,
    SegmentKind, SegmentStatus, Task, TaskStatus, Trip, ValidationError,
};
use crate::store::{
    ContactQuery, EventQuery, InvoiceQuery, SegmentQuery, StoreError, TaskOrder, TaskQuery,
    TripQuery,
};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::io::Write;

fn view(ctx: &Ctx) -> View {
    View {
        now: ctx.now(),
        tz: ctx.tz,
    }
}

/// `--field: message` for a record that broke a rule (checked before writing).
fn invalid(e: ValidationError) -> anyhow::Error {
    UserError::new(format!("--{}: {}", e.field, e.message))
}

/// A store lookup whose NotFound is the user's mistake.
pub fn not_found(kind: &str, id: i64) -> anyhow::Error {
    UserError::new(format!("no {kind} with id {id}"))
}

fn get<T>(kind: &str, id: i64, r: crate::store::Result<T>) -> Res<T> {
    match r {
        Err(StoreError::NotFound { .. }) => Err(not_found(kind, id)),
        other => Ok(other?),
    }
}

fn print_json(out: &mut dyn Write, v: &serde_json::Value) -> Res<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// contacts by id or name

/// A contact named exactly `name` (case-insensitive): `None` when none, an error when several.
fn exact_contact(ctx: &Ctx, flag: &str, name: &str) -> Res<Option<Contact>> {
    let want = name.trim().to_lowercase();
    let found: Vec<Contact> = ctx
        .store
        .find_contacts_by_name(name.trim(), 20)?
        .into_iter()
        .filter(|c| c.name.trim().to_lowercase() == want)
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => Err(bad(
            flag,
            format!(
                "{} contacts are named '{}'; use an id ({})",
                found.len(),
                name.trim(),
                found
                    .iter()
                    .map(|c| c.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A contact by id ("12") or exact name; an error naming the flag when there is none.
fn contact_ref(ctx: &Ctx, flag: &str, text: &str) -> Res<Contact> {
    let t = text.trim();
    if let Ok(id) = t.parse::<i64>() {
        return match ctx.store.get_contact(id) {
            Err(StoreError::NotFound { .. }) => Err(bad(flag, format!("no contact with id {id}"))),
            other => Ok(other?),
        };
    }
    exact_contact(ctx, flag, t)?.ok_or_else(|| {
        bad(
            flag,
            format!("no contact named '{t}' (give an id or an exact name)"),
        )
    })
}

fn attendee(ctx: &Ctx, text: &str) -> Res<Attendee> {
    let t = text.trim();
    if t.parse::<i64>().is_ok() {
        let c = contact_ref(ctx, "attendee", t)?;
        return Ok(Attendee {
            contact_id: Some(c.id),
            email: c.primary_email().unwrap_or_default().to_string(),
            name: c.name,
        });
    }
    let (name, email) = input::attendee_text(t);
    if name.is_empty() && email.is_empty() {
        return Err(bad("attendee", "is empty"));
    }
    // an address links the one contact that has it
    if !email.is_empty() {
        let mut found = ctx.store.find_contacts_by_email(&email)?;
        if found.len() == 1 {
            let c = found.remove(0);
            return Ok(Attendee {
                contact_id: Some(c.id),
                name: if name.is_empty() { c.name } else { name },
                email,
            });
        }
    }
    // a name alone links the contact of that name when there is exactly one
    if email.is_empty()
        && let Some(c) = exact_contact(ctx, "attendee", &name)?
    {
        return Ok(Attendee {
            contact_id: Some(c.id),
            email: c.primary_email().unwrap_or_default().to_string(),
            name: c.name,
        });
    }
    Ok(Attendee {
        contact_id: None,
        name,
        email,
    })
}

// ---------------------------------------------------------------------------------------
// field application: the same code for add (on a fresh record) and edit

fn set_text(dst: &mut String, v: &Option<String>) {
    if let Some(v) = v {
        *dst = v.clone();
    }
}

/// Apply the flags to an event (a fresh one when `is_new`); returns notes to show (an end read
/// as the next day, a series starting at a wall time that comes twice).
pub(super) fn apply_event(
    ctx: &Ctx,
    e: &mut Event,
    f: &EventFields,
    is_new: bool,
) -> Res<Vec<String>> {
    let mut notes = apply_event_fields(ctx, e, f, is_new)?;
    let placed = is_new || f.start.is_some() || f.rrule.is_some() || f.tz.is_some();
    if placed && let Some(n) = repeated_wall_note(e) {
        notes.push(n);
    }
    Ok(notes)
}

/// A series whose start is the second of two equal wall times (02:30 on the night the clocks
/// go back, given as 01:30Z in Stockholm): its rule repeats the wall time, which RFC 5545, every
/// calendar and our agenda read as the first, an hour earlier. Said, not refused: the first is
/// a valid start too.
fn repeated_wall_note(e: &Event) -> Option<String> {
    let EventTime::Timed { start, tz, .. } = &e.time else {
        return None;
    };
    if !crate::domain::recurrence::is_recurring(e)
        || !crate::domain::when::second_of_two(*start, *tz)
    {
        return None;
    }
    let wall = start.with_timezone(tz);
    let first = crate::domain::when::local_to_utc(wall.naive_local(), *tz);
    Some(format!(
        "series '{}' starts at {} on {}, a time that comes twice that night (the clocks go back): \
         a series repeats its wall time, which the agenda and every calendar read as the first \
         {} ({} UTC), an hour before {} UTC",
        e.title,
        wall.format("%H:%M"),
        wall.format("%a %-d %b %Y"),
        wall.format("%H:%M"),
        first.format("%H:%M"),
        start.format("%H:%M"),
    ))
}

fn apply_event_fields(ctx: &Ctx, e: &mut Event, f: &EventFields, is_new: bool) -> Res<Vec<String>> {
    let now = ctx.now();
    let mut notes = Vec::new();
    set_text(&mut e.title, &f.title);
    set_text(&mut e.location, &f.location);
    set_text(&mut e.notes, &f.notes);
    if let Some(c) = &f.category {
        e.category = input::choice("category", c)?;
    }
    if let Some(s) = &f.status {
        e.status = input::choice("status", s)?;
    }
    if let Some(r) = &f.reminder {
        e.reminder_minutes = input::reminder(r)?;
    }
    if let Some(r) = &f.rrule {
        e.rrule = if is_none(r) {
            None
        } else {
            let r = r.trim().trim_start_matches("RRULE:");
            Some(crate::domain::recurrence::canonical(r).map_err(|m| bad("rrule", m))?)
        };
    }
    if !f.attendee.is_empty() {
        e.attendees = if f.attendee.len() == 1 && is_none(&f.attendee[0]) {
            Vec::new()
        } else {
            f.attendee
                .iter()
                .map(|a| attendee(ctx, a))
                .collect::<Res<_>>()?
        };
    }

    // time
    let old_tz = match e.time {
        EventTime::Timed { tz, .. } => Some(tz),
        EventTime::AllDay { .. } => None,
    };
    let tz = match &f.tz {
        Some(z) => input::zone("tz", z)?,
        None => old_tz.unwrap_or(ctx.tz),
    };
    for x in &f.exdate {
        let n = input::local_naive("exdate", x, now, tz, Direction::Nearest)?;
        if !e.exdates.contains(&n) {
            e.exdates.push(n);
        }
    }
    for x in &f.rdate {
        let n = input::local_naive("rdate", x, now, tz, Direction::Future)?;
        if !e.rdates.contains(&n) {
            e.rdates.push(n);
        }
    }
    // on edit, the record's own start as a wall time: a time alone keeps its day, a date
    // alone (on a timed event) its time of day
    let own_start = match e.time {
        _ if is_new => None,
        EventTime::Timed { start, tz: z, .. } => Some(start.with_timezone(&z).naive_local()),
        EventTime::AllDay { start, .. } => Some(start.and_time(NaiveTime::MIN)),
    };
    let was_timed = !is_new && !e.time.is_all_day();
    let start_when = match (&f.start, own_start) {
        (Some(s), Some(own)) => Some(input::moved("start", s, own, was_timed, now, tz)?),
        (Some(s), None) => Some(input::parse_when("start", s, now, tz, Direction::Future)?),
        (None, _) => None,
    };
    let start_timed = start_when.is_some_and(|w| w.has_time());
    let end_timed = f.end.as_deref().is_some_and(|s| {
        crate::domain::event::is_bare_time(s)
            || input::parse_when("end", s, now, tz, Direction::Future).is_ok_and(|w| w.has_time())
    });
    let all_day = if f.all_day {
        true
    } else if is_new {
        f.date.is_some()
            || (f.until.is_some() && !start_timed)
            || (matches!(start_when, Some(When::Date(_))) && !end_timed && f.duration.is_none())
    } else if e.time.is_all_day() {
        !start_timed && !end_timed && f.duration.is_none()
    } else {
        false
    };
    if !all_day {
        // --date and --until are an all-day event's days; a timed one would lose its hours
        if f.until.is_some() {
            return Err(bad(
                "until",
                "is the last day of an all-day event: a timed event ends with --end (or add --all-day)",
            ));
        }
        if f.date.is_some() {
            return Err(bad(
                "date",
                "is the first day of an all-day event: a timed event moves with --start (a date alone keeps its time), or add --all-day",
            ));
        }
    }
    if all_day {
        if f.duration.is_some() {
            return Err(bad(
                "duration",
                "does not apply to an all-day event (use --until)",
            ));
        }
        let (old_start, old_len) = match e.time {
            EventTime::AllDay { start, end } => (Some(start), end - start),
            EventTime::Timed { start, end, tz } if !is_new => {
                let s = start.with_timezone(&tz).date_naive();
                (Some(s), end.with_timezone(&tz).date_naive() - s)
            }
            EventTime::Timed { .. } => (None, Duration::zero()),
        };
        let start = match (&f.date, &start_when) {
            (Some(d), _) => input::date("date", d, now, ctx.tz, Direction::Future)?,
            (None, Some(w)) => w.date(tz),
            (None, None) => {
                old_start.ok_or_else(|| bad("date", "is required for an all-day event"))?
            }
        };
        // the last day counts from the first: `--date fri --until mon` is four days
        let from_start = Direction::From(start);
        let (flag, end) = match (&f.until, &f.end) {
            (Some(d), _) => ("until", input::date("until", d, now, ctx.tz, from_start)?),
            (None, Some(d)) => ("end", input::date("end", d, now, ctx.tz, from_start)?),
            (None, None) => ("until", start + old_len),
        };
        if end < start {
            return Err(input::bad_value(
                flag,
                end,
                format!("is before the start {start}"),
            ));
        }
        e.time = EventTime::AllDay { start, end };
        return Ok(notes);
    }
    let touched = is_new || f.start.is_some() || f.end.is_some() || f.duration.is_some();
    let (old_start, old_len) = match e.time {
        EventTime::Timed { start, end, .. } => (Some(start), end - start),
        EventTime::AllDay { .. } if is_new => (None, Duration::hours(1)),
        EventTime::AllDay { .. } => (Some(e.time.start_in(tz)), Duration::hours(1)),
    };
    if !touched {
        // only the zone (or nothing) changed: keep the instants
        if let (EventTime::Timed { start, end, .. }, Some(_)) = (&e.time, &f.tz) {
            e.time = EventTime::Timed {
                start: *start,
                end: *end,
                tz,
            };
        }
        return Ok(notes);
    }
    let start = match start_when {
        Some(w) => w.instant(tz, NaiveTime::MIN),
        None => old_start.ok_or_else(|| bad("start", "is required"))?,
    };
    // the end moves with the start (the same length) unless it is given
    let end = match (&f.end, &f.duration) {
        (Some(t), _) => {
            // the record's end (moved with the start, the same length): a time alone keeps
            // its day, a date alone its time
            let own = was_timed.then(|| (start + old_len).with_timezone(&tz).naive_local());
            let read = input::end_after("end", t, start, own, now, tz, EVENT_OVERNIGHT)?;
            if read.next_day {
                notes.push(format!(
                    "ends next day: --end {} is {}",
                    t.trim(),
                    text::local(read.at, tz)
                ));
            }
            read.at
        }
        (None, Some(d)) => start + input::duration("duration", d)?,
        (None, None) => start + old_len,
    };
    if end < start {
        return Err(input::bad_value(
            "end",
            text::local(end, tz),
            format!("is before the start {}", text::local(start, tz)),
        ));
    }
    e.time = EventTime::Timed { start, end, tz };
    Ok(notes)
}

fn apply_trip(t: &mut Trip, f: &TripFields) {
    set_text(&mut t.name, &f.name);
    set_text(&mut t.purpose, &f.purpose);
    set_text(&mut t.notes, &f.notes);
}

fn apply_segment(
    ctx: &Ctx,
    cfg: &Config,
    s: &mut Segment,
    f: &SegmentFields,
    is_new: bool,
) -> Res<()> {
    let now = ctx.now();
    if let Some(k) = &f.kind {
        s.kind = input::choice("kind", k)?;
    }
    if let Some(st) = &f.status {
        s.status = input::choice("status", st)?;
    }
    set_text(&mut s.provider, &f.provider);
    set_text(&mut s.number, &f.number);
    set_text(&mut s.confirmation, &f.confirmation);
    set_text(&mut s.origin, &f.origin);
    set_text(&mut s.destination, &f.destination);
    set_text(&mut s.seat, &f.seat);
    set_text(&mut s.notes, &f.notes);
    match (&f.cost, &f.currency) {
        (Some(c), _) if is_none(c) => s.cost = None,
        (Some(c), cur) => {
            // a bare amount keeps the cost's own currency on edit ("200" of a JPY fare)
            let own = s.cost.map_or(cfg.default_currency, |m| m.currency);
            s.cost = Some(input::money("cost", c, cur.as_deref(), own)?)
        }
        (None, Some(c)) => match s.cost {
            // the same cost in another currency, or a refusal
            Some(m) => s.cost = Some(input::recurrency("cost", m, c)?),
            None => return Err(bad("currency", "goes with --cost")),
        },
        (None, None) => {}
    }
    // on edit, the segment's own departure as a wall time: a time alone keeps its day, a date
    // alone its time
    let own_depart = (!is_new).then(|| s.depart.with_timezone(&s.depart_tz).naive_local());
    if let Some(z) = &f.depart_tz {
        s.depart_tz = input::zone("depart-tz", z)?;
    }
    if let Some(z) = &f.arrive_tz {
        s.arrive_tz = input::zone("arrive-tz", z)?;
    } else if is_new {
        s.arrive_tz = s.depart_tz;
    }
    let old_len = s.arrive - s.depart;
    match (&f.depart, own_depart) {
        (Some(d), Some(own)) => {
            s.depart = input::moved("depart", d, own, true, now, s.depart_tz)?
                .instant(s.depart_tz, NaiveTime::MIN)
        }
        (Some(d), None) => {
            s.depart = input::instant(
                "depart",
                d,
                now,
                s.depart_tz,
                NaiveTime::MIN,
                Direction::Future,
            )?
        }
        (None, _) if is_new => return Err(bad("depart", "is required")),
        (None, _) => {}
    }
    // an arrival earlier than the departure is the next day, however long (a night flight, a
    // hotel stay); a weekday is the first on or after the departure's day. On edit, the
    // segment's own arrival (moved with the departure, the same length): a time alone keeps
    // its day (a hotel's check-out 11:00 stays on the last day), a date alone its time.
    match &f.arrive {
        Some(a) => {
            let own_arrive = (!is_new).then(|| {
                (s.depart + old_len)
                    .with_timezone(&s.arrive_tz)
                    .naive_local()
            });
            s.arrive = input::end_after(
                "arrive",
                a,
                s.depart,
                own_arrive,
                now,
                s.arrive_tz,
                Overnight::Always,
            )?
            .at
        }
        None if is_new => return Err(bad("arrive", "is required")),
        None if f.depart.is_some() => s.arrive = s.depart + old_len,
        None => {}
    }
    if s.arrive < s.depart {
        let at = |t: DateTime<Utc>, z: Tz| {
            let l = t.with_timezone(&z);
            format!("{} {}", l.format("%Y-%m-%d %H:%M"), l.format("%Z"))
        };
        return Err(input::bad_value(
            "arrive",
            at(s.arrive, s.arrive_tz),
            format!("is before the departure {}", at(s.depart, s.depart_tz)),
        ));
    }
    Ok(())
}

fn apply_contact(ctx: &Ctx, c: &mut Contact, f: &ContactFields) -> Res<()> {
    set_text(&mut c.name, &f.name);
    set_text(&mut c.organization, &f.organization);
    set_text(&mut c.title, &f.title);
    set_text(&mut c.address, &f.address);
    set_text(&mut c.notes, &f.notes);
    let list = |v: &[String]| -> Option<Vec<crate::domain::Labeled>> {
        if v.is_empty() {
            None
        } else if v.len() == 1 && is_none(&v[0]) {
            Some(Vec::new())
        } else {
            Some(v.iter().map(|x| input::labeled(x)).collect())
        }
    };
    if let Some(e) = list(&f.email) {
        c.emails = e;
    }
    if let Some(p) = list(&f.phone) {
        c.phones = p;
    }
    if !f.tag.is_empty() {
        c.tags = if f.tag.len() == 1 && is_none(&f.tag[0]) {
            Vec::new()
        } else {
            Contact::parse_tags(&f.tag.join(","))
        };
    }
    if let Some(d) = &f.last_contacted {
        c.last_contacted = if is_none(d) {
            None
        } else {
            Some(input::past_date(
                "last-contacted",
                d,
                ctx.now(),
                ctx.tz,
                "the last contact",
            )?)
        };
    }
    if let Some(b) = &f.birthday {
        c.birthday = if is_none(b) {
            None
        } else {
            Some(input::birthday(b)?)
        };
    }
    Ok(())
}

fn apply_invoice(
    ctx: &Ctx,
    cfg: &Config,
    i: &mut Invoice,
    f: &InvoiceFields,
    is_new: bool,
) -> Res<()> {
    let (now, tz) = (ctx.now(), ctx.tz);
    if let Some(v) = &f.vendor {
        let t = v.trim();
        if t.is_empty() {
            return Err(bad("vendor", "must name a vendor"));
        }
        if t.parse::<i64>().is_ok() {
            let c = contact_ref(ctx, "vendor", t)?;
            i.vendor_id = Some(c.id);
            i.vendor_name = c.name;
        } else if let Some(c) = exact_contact(ctx, "vendor", t)? {
            i.vendor_id = Some(c.id);
            i.vendor_name = c.name;
        } else {
            i.vendor_id = None;
            i.vendor_name = t.to_string();
        }
    }
    set_text(&mut i.number, &f.number);
    set_text(&mut i.payment_ref, &f.payment_ref);
    set_text(&mut i.document_path, &f.document);
    set_text(&mut i.notes, &f.notes);
    if let Some(d) = &f.issued {
        i.issue_date = input::date("issued", d, now, tz, Direction::Past)?;
    }
    match &f.due {
        Some(d) => {
            // after the issue date given with it; alone, the closest (an invoice recorded
            // after its due date is normal)
            let dir = match f.issued {
                Some(_) => Direction::From(i.issue_date),
                None => Direction::Nearest,
            };
            i.due_date = input::date("due", d, now, tz, dir)?;
            if is_new && f.issued.is_none() {
                // issued today unless it fell due before: then no later than that
                i.issue_date = i.issue_date.min(i.due_date);
            }
        }
        None if is_new => i.due_date = i.issue_date + Duration::days(30),
        // on edit, a new issue date leaves the due date where it is (the invoice says when
        // it is due); one after it is refused below
        None => {}
    }
    match (&f.amount, &f.currency) {
        (Some(a), cur) => {
            // a bare amount keeps the invoice's currency on edit; "200 EUR" or --currency wins
            let own = if is_new {
                cfg.default_currency
            } else {
                i.amount.currency
            };
            i.amount = input::money("amount", a, cur.as_deref(), own)?
        }
        // the same amount in another currency (1.250 KWD is 1.25 SEK), or a refusal
        (None, Some(c)) => i.amount = input::recurrency("amount", i.amount, c)?,
        (None, None) if is_new => return Err(bad("amount", "is required")),
        (None, None) => {}
    }
    if let Some(s) = &f.status {
        let st: InvoiceStatus = input::choice("status", s)?;
        i.status = st;
        if st == InvoiceStatus::Paid {
            i.paid_date = i.paid_date.or(Some(ctx.today()));
        } else {
            i.paid_date = None;
        }
    }
    if let Some(p) = &f.paid {
        if is_none(p) {
            i.paid_date = None;
            if i.status == InvoiceStatus::Paid {
                i.status = InvoiceStatus::Received;
            }
        } else {
            i.mark_paid(input::past_date("paid", p, now, tz, "a payment date")?);
        }
    }
    if i.due_date < i.issue_date {
        return Err(if f.due.is_none() {
            input::bad_value(
                "issued",
                i.issue_date,
                format!("is after the due date {} (give --due too)", i.due_date),
            )
        } else {
            input::bad_value(
                "due",
                i.due_date,
                format!("is before the issue date {}", i.issue_date),
            )
        });
    }
    Ok(())
}

fn apply_task(ctx: &Ctx, t: &mut Task, f: &TaskFields) -> Res<()> {
    let (now, tz) = (ctx.now(), ctx.tz);
    set_text(&mut t.subject, &f.subject);
    set_text(&mut t.notes, &f.notes);
    set_text(&mut t.delegated_to, &f.delegated_to);
    if let Some(k) = &f.kind {
        t.kind = input::choice("kind", k)?;
    }
    if let Some(d) = &f.direction {
        t.direction = input::choice("direction", d)?;
    }
    if let Some(p) = &f.priority {
        t.priority = input::choice("priority", p)?;
    }
    if let Some(c) = &f.contact {
        if is_none(c) {
            t.contact_id = None;
            t.contact_name.clear();
        } else {
            let c = contact_ref(ctx, "contact", c)?;
            t.contact_id = Some(c.id);
            t.contact_name = c.name;
        }
    }
    if let Some(d) = &f.due {
        // against a due date it has (on edit): a time alone keeps its day, a date alone the
        // time of day it is due at
        let own = match t.due {
            Some(Due::Date(day)) => Some((day.and_time(NaiveTime::MIN), false)),
            Some(Due::At(at)) => Some((at.with_timezone(&tz).naive_local(), true)),
            None => None,
        };
        t.due = if is_none(d) {
            None
        } else {
            let w = match own {
                Some((own, keep_time)) => input::moved("due", d, own, keep_time, now, tz)?,
                None => input::parse_when("due", d, now, tz, Direction::Future)?,
            };
            Some(match w {
                When::Date(d) => Due::Date(d),
                w => Due::At(w.instant(tz, NaiveTime::MIN)),
            })
        };
    }
    if let Some(s) = &f.status {
        // a status given is the task handled now: done, or open/waiting again, it is no
        // longer snoozed (unless --snoozed-until below snoozes it again)
        match input::choice::<TaskStatus>("status", s)? {
            TaskStatus::Done => {
                if t.status != TaskStatus::Done {
                    t.mark_done(now)
                }
            }
            other => {
                t.reopen();
                t.status = other;
            }
        }
        t.snoozed_until = None;
    }
    if let Some(u) = &f.snoozed_until {
        t.snoozed_until = if is_none(u) {
            None
        } else if t.status == TaskStatus::Done {
            return Err(bad("snoozed-until", "a done task cannot be snoozed"));
        } else {
            Some(snooze_until(ctx, &ctx.config, "--snoozed-until", u)?)
        };
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// commands

/// Notes on how a value was read (an end on the next day): on stderr, as `note: ...` lines,
/// so standard output stays what scripts read (the id, the JSON).
fn say(notes: &[String]) {
    for n in notes {
        eprintln!("note: {}", text::line(n));
    }
}

fn finish_write(ctx: &Ctx, out: &mut dyn Write, kind: KindArg, id: i64, verb: &str) -> Res<()> {
    if ctx.json {
        let v = record_json(ctx, kind, id)?;
        print_json(out, &v)
    } else if verb.is_empty() {
        writeln!(out, "{id}")?;
        Ok(())
    } else {
        writeln!(out, "{verb} {} {id}", kind.name())?;
        Ok(())
    }
}

pub fn add(ctx: &Ctx, cfg: &Config, cmd: &AddCmd, out: &mut dyn Write) -> Res<()> {
    let now = ctx.now();
    let pick = |pos: &Option<String>, flag: &Option<String>, name: &str| -> Res<String> {
        match (pos, flag) {
            (Some(_), Some(_)) => Err(bad(name, format!("give the {name} once"))),
            (Some(v), None) | (None, Some(v)) => Ok(v.clone()),
            (None, None) => Err(bad(name, "is required")),
        }
    };
    let (kind, id) = match cmd {
        AddCmd::Event { title, f } => {
            let title = pick(title, &f.title, "title")?;
            if f.start.is_none() && f.date.is_none() {
                return Err(bad("start", "is required (or --all-day --date D)"));
            }
            let mut e = Event::new(
                title,
                EventTime::AllDay {
                    start: ctx.today(),
                    end: ctx.today(),
                },
                now,
            );
            e.uid = new_uid(now);
            let notes = apply_event(ctx, &mut e, f, true)?;
            e.validate().map_err(invalid)?;
            let id = ctx.store.insert_event(&e)?;
            say(&notes);
            (KindArg::Event, id)
        }
        AddCmd::Trip { name, f } => {
            let mut t = Trip {
                id: 0,
                name: pick(name, &f.name, "name")?,
                purpose: String::new(),
                notes: String::new(),
                segments: Vec::new(),
            };
            apply_trip(&mut t, f);
            t.validate().map_err(invalid)?;
            (KindArg::Trip, ctx.store.insert_trip(&t)?)
        }
        AddCmd::Segment { f } => {
            let trip_id = f
                .trip
                .ok_or_else(|| bad("trip", "is required (the trip's id)"))?;
            get("trip", trip_id, ctx.store.get_trip(trip_id))
                .map_err(|_| bad("trip", format!("no trip with id {trip_id}")))?;
            let mut s = Segment {
                id: 0,
                trip_id,
                uid: new_uid(now),
                kind: SegmentKind::Flight,
                provider: String::new(),
                number: String::new(),
                confirmation: String::new(),
                origin: String::new(),
                destination: String::new(),
                depart: now,
                depart_tz: ctx.tz,
                arrive: now,
                arrive_tz: ctx.tz,
                seat: String::new(),
                cost: None,
                status: SegmentStatus::Booked,
                notes: String::new(),
            };
            apply_segment(ctx, cfg, &mut s, f, true)?;
            s.validate().map_err(invalid)?;
            (KindArg::Segment, ctx.store.insert_segment(&s)?)
        }
        AddCmd::Contact { name, f } => {
            let mut c = Contact {
                name: pick(name, &f.name, "name")?,
                uid: new_uid(now).replace("@secretaire", "@secretaire.contact"),
                ..Default::default()
            };
            apply_contact(ctx, &mut c, f)?;
            c.validate().map_err(invalid)?;
            (KindArg::Contact, ctx.store.insert_contact(&c)?)
        }
        AddCmd::Invoice { f } => {
            if f.vendor.is_none() {
                return Err(bad("vendor", "is required"));
            }
            let today = ctx.today();
            let mut i = Invoice {
                id: 0,
                vendor_id: None,
                vendor_name: String::new(),
                number: String::new(),
                issue_date: today,
                due_date: today,
                amount: crate::domain::Money::new(0, cfg.default_currency),
                status: InvoiceStatus::Received,
                paid_date: None,
                payment_ref: String::new(),
                document_path: String::new(),
                notes: String::new(),
            };
            apply_invoice(ctx, cfg, &mut i, f, true)?;
            i.validate().map_err(invalid)?;
            (KindArg::Invoice, ctx.store.insert_invoice(&i)?)
        }
        AddCmd::Task { subject, f } => {
            let mut t = Task::new(pick(subject, &f.subject, "subject")?, now);
            apply_task(ctx, &mut t, f)?;
            t.validate().map_err(invalid)?;
            (KindArg::Task, ctx.store.insert_task(&t)?)
        }
    };
    finish_write(ctx, out, kind, id, "")
}

/// Read, change and write one record in ONE transaction (`Store::modify`), so a change another
/// process commits meanwhile is never undone. Whether anything changed.
fn modify<T: crate::store::Stored>(
    ctx: &Ctx,
    id: i64,
    f: impl FnOnce(&crate::store::Tx<'_>, &mut T) -> Res<()>,
) -> Res<crate::store::Modified<T>> {
    ctx.store.modify(id, f)
}

pub fn edit(ctx: &Ctx, cfg: &Config, cmd: &EditCmd, out: &mut dyn Write) -> Res<()> {
    let (kind, id, empty) = match cmd {
        EditCmd::Event { id, f } => (KindArg::Event, *id, f.is_empty()),
        EditCmd::Trip { id, f } => (KindArg::Trip, *id, f.is_empty()),
        EditCmd::Segment { id, f } => (KindArg::Segment, *id, f.is_empty()),
        EditCmd::Contact { id, f } => (KindArg::Contact, *id, f.is_empty()),
        EditCmd::Invoice { id, f } => (KindArg::Invoice, *id, f.is_empty()),
        EditCmd::Task { id, f } => (KindArg::Task, *id, f.is_empty()),
    };
    if empty {
        return Err(UserError::new(format!(
            "nothing to change: give a field to change (secretaire edit {} --help lists them)",
            kind.name()
        )));
    }
    let mut notes = Vec::new();
    let changed = match cmd {
        EditCmd::Event { id, f } => {
            let now = ctx.now();
            modify::<Event>(ctx, *id, |tx, e| {
                let old = e.clone();
                notes = apply_event(ctx, e, f, false)?;
                e.validate().map_err(invalid)?;
                if *e == old {
                    // the same values: no new SEQUENCE, nothing for calendars to take
                    return Ok(());
                }
                e.touch(now);
                // a series moved: its cancelled and changed occurrences move with it
                tx.move_series_exceptions(&old, e, now)?;
                Ok(())
            })?
            .changed()
        }
        EditCmd::Trip { id, f } => modify::<Trip>(ctx, *id, |_, t| {
            apply_trip(t, f);
            t.validate().map_err(invalid)
        })?
        .changed(),
        EditCmd::Segment { id, f } => modify::<Segment>(ctx, *id, |tx, s| {
            if let Some(t) = f.trip {
                tx.get_trip(t)
                    .map_err(|_| bad("trip", format!("no trip with id {t}")))?;
                s.trip_id = t;
            }
            apply_segment(ctx, cfg, s, f, false)?;
            s.validate().map_err(invalid)
        })?
        .changed(),
        EditCmd::Contact { id, f } => modify::<Contact>(ctx, *id, |_, c| {
            apply_contact(ctx, c, f)?;
            c.validate().map_err(invalid)
        })?
        .changed(),
        EditCmd::Invoice { id, f } => modify::<Invoice>(ctx, *id, |_, i| {
            apply_invoice(ctx, cfg, i, f, false)?;
            i.validate().map_err(invalid)
        })?
        .changed(),
        EditCmd::Task { id, f } => modify::<Task>(ctx, *id, |_, t| {
            apply_task(ctx, t, f)?;
            t.validate().map_err(invalid)
        })?
        .changed(),
    };
    say(&notes);
    if ctx.json {
        return print_changed(ctx, out, kind, id, changed, None);
    }
    if changed {
        writeln!(out, "updated {} {id}", kind.name())?;
    } else {
        writeln!(
            out,
            "{} {id} unchanged: it already has these values",
            kind.name()
        )?;
    }
    Ok(())
}

/// The record as stored now, with `"changed"` (and the extra key, if any) added.
fn print_changed(
    ctx: &Ctx,
    out: &mut dyn Write,
    kind: KindArg,
    id: i64,
    changed: bool,
    extra: Option<(&str, serde_json::Value)>,
) -> Res<()> {
    let mut v = record_json(ctx, kind, id)?;
    v["changed"] = serde_json::Value::Bool(changed);
    if let Some((k, x)) = extra {
        v[k] = x;
    }
    print_json(out, &v)
}

/// "↻" on a series, "↻ changed" on a changed occurrence of one, else nothing.
fn series_mark(e: &Event) -> &'static str {
    if e.rrule.is_some() {
        " ↻"
    } else if e.recurrence_id.is_some() {
        " ↻ changed"
    } else {
        ""
    }
}

fn record_json(ctx: &Ctx, kind: KindArg, id: i64) -> Res<serde_json::Value> {
    let s = &ctx.store;
    let v = view(ctx);
    Ok(match kind {
        KindArg::Event => json::event(&get("event", id, s.get_event(id))?),
        KindArg::Trip => json::trip(&get("trip", id, s.get_trip(id))?),
        KindArg::Segment => json::segment(&get("segment", id, s.get_segment(id))?),
        KindArg::Contact => json::contact(&get("contact", id, s.get_contact(id))?),
        KindArg::Invoice => json::invoice(&get("invoice", id, s.get_invoice(id))?, v),
        KindArg::Task => json::task(&get("task", id, s.get_task(id))?, v),
    })
}

pub fn delete(ctx: &Ctx, a: &KindId, out: &mut dyn Write) -> Res<()> {
    let (s, id, v) = (&ctx.store, a.id, view(ctx));
    let k = a.kind.name();
    let (label, value) = match a.kind {
        KindArg::Event => {
            // a series takes its changed occurrences (same UID) with it, in one transaction
            let (x, gone) = get(
                k,
                id,
                s.write(|tx| {
                    let x = tx.delete_event(id)?;
                    let mut gone = Vec::new();
                    if x.recurrence_id.is_none() && crate::domain::recurrence::is_recurring(&x) {
                        for o in tx.list_series(&x.uid)? {
                            if o.recurrence_id.is_some() {
                                tx.delete_event(o.id)?;
                                gone.push(o.id);
                            }
                        }
                    }
                    Ok((x, gone))
                }),
            )?;
            let mut label = x.title.clone();
            if !gone.is_empty() {
                label.push_str(&format!(
                    " (and its {} changed occurrence{})",
                    gone.len(),
                    if gone.len() == 1 { "" } else { "s" }
                ));
            }
            (label, json::event(&x))
        }
        KindArg::Trip => {
            let x = get(k, id, s.delete_trip(id))?;
            (x.name.clone(), json::trip(&x))
        }
        KindArg::Segment => {
            let x = get(k, id, s.delete_segment(id))?;
            (segment_label(&x), json::segment(&x))
        }
        KindArg::Contact => {
            let x = get(k, id, s.delete_contact(id))?;
            (x.name.clone(), json::contact(&x))
        }
        KindArg::Invoice => {
            let x = get(k, id, s.delete_invoice(id))?;
            (
                format!("{} {}", x.vendor_name, x.number),
                json::invoice(&x, v),
            )
        }
        KindArg::Task => {
            let x = get(k, id, s.delete_task(id))?;
            (x.subject.clone(), json::task(&x, v))
        }
    };
    if ctx.json {
        print_json(out, &value)
    } else {
        writeln!(out, "deleted {k} {id}: {}", text::line(label.trim()))?;
        Ok(())
    }
}

pub fn done(ctx: &Ctx, id: i64, out: &mut dyn Write) -> Res<()> {
    let m = modify::<Task>(ctx, id, |_, t| {
        if t.status != TaskStatus::Done {
            t.mark_done(ctx.now());
        }
        Ok(())
    })?;
    if ctx.json {
        return print_changed(ctx, out, KindArg::Task, id, m.changed(), None);
    }
    match m.before.done_at {
        Some(d) if !m.changed() => writeln!(
            out,
            "task {id} was already done (on {})",
            text::local(d, ctx.tz)
        )?,
        _ => writeln!(out, "done: task {id}")?,
    }
    Ok(())
}

/// `none` or `clear`: take a snooze away.
fn is_clear(text: &str) -> bool {
    let t = text.trim();
    t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("clear")
}

/// A snooze: an instant after now (`when::snooze_until`: a bare date is the start of the
/// working day, a weekday that is today next week's). `what` names the argument as typed:
/// `--snoozed-until`, or `snooze until` for the command's own.
fn snooze_until(ctx: &Ctx, cfg: &Config, what: &str, text: &str) -> Res<DateTime<Utc>> {
    crate::domain::when::snooze_until(text, ctx.now(), ctx.tz, cfg.work_start)
        .map_err(|e| UserError::new(format!("{what}: {e}")))
}

pub fn snooze(ctx: &Ctx, cfg: &Config, id: i64, until: &str, out: &mut dyn Write) -> Res<()> {
    let at = if is_clear(until) {
        None
    } else {
        Some(snooze_until(ctx, cfg, "snooze until", until)?)
    };
    let m = modify::<Task>(ctx, id, |_, t| {
        match at {
            Some(_) if t.status == TaskStatus::Done => {
                return Err(UserError::new(format!(
                    "task {id} is done; nothing to snooze"
                )));
            }
            Some(at) => t.snooze(at),
            None => t.snoozed_until = None,
        }
        Ok(())
    })?;
    if ctx.json {
        return print_changed(ctx, out, KindArg::Task, id, m.changed(), None);
    }
    match at {
        Some(at) => writeln!(out, "snoozed task {id} until {}", text::local(at, ctx.tz))?,
        None if m.before.is_snoozed(ctx.now()) => writeln!(out, "task {id} is no longer snoozed")?,
        None => writeln!(out, "task {id} was not snoozed")?,
    }
    Ok(())
}

/// Mark an invoice paid: on `on`, else today. An invoice already paid keeps its date unless
/// `--on` gives another.
pub fn pay(ctx: &Ctx, id: i64, on: Option<&str>, out: &mut dyn Write) -> Res<()> {
    let date = match on {
        Some(d) => Some(input::past_date(
            "on",
            d,
            ctx.now(),
            ctx.tz,
            "a payment date",
        )?),
        None => None,
    };
    let m = modify::<Invoice>(ctx, id, |_, i| {
        if i.status == InvoiceStatus::Cancelled {
            return Err(UserError::new(format!(
                "invoice {id} is cancelled; not paying it"
            )));
        }
        let already = i.status == InvoiceStatus::Paid && i.paid_date.is_some();
        let date = match date {
            Some(d) => d,
            None if already => return Ok(()),
            None => ctx.today(),
        };
        if date < i.issue_date {
            return Err(input::bad_value(
                "on",
                date,
                format!("is before the issue date {}", i.issue_date),
            ));
        }
        i.mark_paid(date);
        i.validate().map_err(invalid)
    })?;
    let (before, after) = (&m.before, &m.after);
    let already = before.status == InvoiceStatus::Paid;
    if ctx.json {
        let extra = ("already_paid", serde_json::Value::Bool(already));
        return print_changed(ctx, out, KindArg::Invoice, id, m.changed(), Some(extra));
    }
    let paid = after.paid_date.map(|d| d.to_string()).unwrap_or_default();
    match (already, before.paid_date) {
        (true, Some(was)) if m.changed() => writeln!(
            out,
            "invoice {id}: payment date changed from {was} to {paid}"
        )?,
        (true, Some(_)) if on.is_none() => writeln!(
            out,
            "invoice {id} was already paid on {paid}; nothing changed (--on DATE changes the date)"
        )?,
        (true, _) => writeln!(
            out,
            "invoice {id} was already paid on {paid}; nothing changed"
        )?,
        (false, _) => writeln!(out, "paid invoice {id} on {paid}: {}", after.amount)?,
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// human descriptions

fn segment_label(s: &Segment) -> String {
    let mut parts = vec![s.kind.as_str().to_string()];
    for p in [&s.provider, &s.number] {
        if !p.is_empty() {
            parts.push(p.clone());
        }
    }
    if !s.origin.is_empty() || !s.destination.is_empty() {
        parts.push(format!("{} → {}", s.origin, s.destination));
    }
    parts.join(" ")
}

/// "Mon 23 Nov 2026 10:00–11:00 CET Europe/Stockholm" in the event's zone, or the days.
pub fn event_when(e: &Event) -> String {
    match &e.time {
        EventTime::AllDay { start, end } if start == end => {
            format!("{} (all day)", text::day(*start))
        }
        EventTime::AllDay { start, end } => {
            format!("{} – {} (all day)", text::day(*start), text::day(*end))
        }
        EventTime::Timed { start, end, tz } => span_in(*start, *end, *tz),
    }
}

fn span_in(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let s = start.with_timezone(&tz);
    let e = end.with_timezone(&tz);
    if s.date_naive() == e.date_naive() {
        format!(
            "{} {}–{} {} {}",
            text::day(s.date_naive()),
            s.format("%H:%M"),
            e.format("%H:%M"),
            s.format("%Z"),
            tz.name()
        )
    } else {
        format!(
            "{} {} – {} {} {} {}",
            text::day(s.date_naive()),
            s.format("%H:%M"),
            text::day(e.date_naive()),
            e.format("%H:%M"),
            e.format("%Z"),
            tz.name()
        )
    }
}

pub fn show(ctx: &Ctx, a: &KindId, out: &mut dyn Write) -> Res<()> {
    if ctx.json {
        let v = record_json(ctx, a.kind, a.id)?;
        return print_json(out, &v);
    }
    let (s, id, tz) = (&ctx.store, a.id, ctx.tz);
    let k = a.kind.name();
    let body = match a.kind {
        KindArg::Event => {
            let e = get(k, id, s.get_event(id))?;
            let mut when = event_when(&e);
            if let EventTime::Timed {
                start,
                end,
                tz: etz,
            } = e.time
                && etz != tz
            {
                when.push_str(&format!("\n{} (display zone)", span_in(start, end, tz)));
            }
            let attendees = e
                .attendees
                .iter()
                .map(|a| match (a.name.is_empty(), a.email.is_empty()) {
                    (false, false) => format!("{} <{}>", a.name, a.email),
                    (false, true) => a.name.clone(),
                    _ => a.email.clone(),
                } + &a.contact_id.map(|c| format!(" (contact {c})")).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            text::fields(&[
                ("event", format!("{id}")),
                ("title", e.title.clone()),
                ("when", when),
                ("location", e.location.clone()),
                ("category", e.category.to_string()),
                ("status", e.status.to_string()),
                ("attendees", attendees),
                (
                    "reminder",
                    e.reminder_minutes
                        .map(|m| format!("{m} minutes before"))
                        .unwrap_or_default(),
                ),
                ("repeats", text::repeats(&e)),
                (
                    "except",
                    e.exdates
                        .iter()
                        .map(|n| n.format("%Y-%m-%d %H:%M").to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                ("exceptions", series_exceptions(ctx, &e)?),
                ("notes", e.notes.clone()),
                ("uid", e.uid.clone()),
            ])
        }
        KindArg::Trip => {
            let t = get(k, id, s.get_trip(id))?;
            let mut f = text::fields(&[
                ("trip", format!("{id}")),
                ("name", t.name.clone()),
                ("purpose", t.purpose.clone()),
                (
                    "dates",
                    t.span()
                        .map(|(a, b)| {
                            format!(
                                "{} – {}",
                                text::day(a.with_timezone(&tz).date_naive()),
                                text::day(b.with_timezone(&tz).date_naive())
                            )
                        })
                        .unwrap_or_default(),
                ),
                ("notes", t.notes.clone()),
            ]);
            if !t.segments.is_empty() {
                f.push('\n');
                f.push_str(&segments_table(&t.segments).render());
            }
            f
        }
        KindArg::Segment => {
            let x = get(k, id, s.get_segment(id))?;
            text::fields(&[
                ("segment", format!("{id} (trip {})", x.trip_id)),
                ("what", segment_label(&x)),
                ("depart", local_both(x.depart, x.depart_tz, tz)),
                ("arrive", local_both(x.arrive, x.arrive_tz, tz)),
                ("confirmation", x.confirmation.clone()),
                (x.kind.seat_label(), x.seat.clone()),
                ("cost", x.cost.map(|c| c.to_string()).unwrap_or_default()),
                ("status", x.status.to_string()),
                ("notes", x.notes.clone()),
            ])
        }
        KindArg::Contact => {
            let c = get(k, id, s.get_contact(id))?;
            let lab = |v: &[crate::domain::Labeled]| {
                v.iter()
                    .map(|l| {
                        if l.label.is_empty() {
                            l.value.clone()
                        } else {
                            format!("{} ({})", l.value, l.label)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            text::fields(&[
                ("contact", format!("{id}")),
                ("name", c.name.clone()),
                ("organization", c.organization.clone()),
                ("title", c.title.clone()),
                ("email", lab(&c.emails)),
                ("phone", lab(&c.phones)),
                ("address", c.address.clone()),
                ("tags", c.tags.join(", ")),
                (
                    "birthday",
                    c.birthday
                        .map(|b| match b.year {
                            Some(y) => format!("{y:04}-{:02}-{:02}", b.month, b.day),
                            None => format!("--{:02}-{:02}", b.month, b.day),
                        })
                        .unwrap_or_default(),
                ),
                (
                    "last contacted",
                    c.last_contacted.map(text::day).unwrap_or_default(),
                ),
                ("notes", c.notes.clone()),
            ])
        }
        KindArg::Invoice => {
            let i = get(k, id, s.get_invoice(id))?;
            let overdue = if i.is_overdue(ctx.today()) {
                " OVERDUE"
            } else {
                ""
            };
            text::fields(&[
                ("invoice", format!("{id}")),
                (
                    "vendor",
                    i.vendor_name.clone()
                        + &i.vendor_id
                            .map(|c| format!(" (contact {c})"))
                            .unwrap_or_default(),
                ),
                ("number", i.number.clone()),
                ("amount", i.amount.to_string()),
                ("issued", text::day(i.issue_date)),
                ("due", format!("{}{overdue}", text::day(i.due_date))),
                ("status", i.status.to_string()),
                ("paid", i.paid_date.map(text::day).unwrap_or_default()),
                ("payment ref", i.payment_ref.clone()),
                ("document", i.document_path.clone()),
                ("notes", i.notes.clone()),
            ])
        }
        KindArg::Task => {
            let t = get(k, id, s.get_task(id))?;
            let overdue = if t.is_overdue(ctx.today(), ctx.now(), tz) {
                " OVERDUE"
            } else {
                ""
            };
            text::fields(&[
                ("task", format!("{id}")),
                ("subject", t.subject.clone()),
                ("kind", format!("{} ({})", t.kind, t.direction)),
                (
                    "contact",
                    if t.contact_name.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "{}{}",
                            t.contact_name,
                            t.contact_id
                                .map(|c| format!(" (contact {c})"))
                                .unwrap_or_default()
                        )
                    },
                ),
                (
                    "due",
                    t.due.map(|d| due_text(d, tz) + overdue).unwrap_or_default(),
                ),
                ("priority", t.priority.to_string()),
                ("status", t.status.to_string()),
                (
                    "snoozed until",
                    t.snoozed_until
                        .filter(|s| *s > ctx.now())
                        .map(|s| text::local(s, tz))
                        .unwrap_or_default(),
                ),
                ("delegated to", t.delegated_to.clone()),
                (
                    "done",
                    t.done_at.map(|d| text::local(d, tz)).unwrap_or_default(),
                ),
                ("created", text::local(t.created, tz)),
                ("notes", t.notes.clone()),
            ])
        }
    };
    out.write_all(body.as_bytes())?;
    Ok(())
}

/// For a series: its changed occurrences; for an override: which series and occurrence it
/// replaces. Empty for a single event.
fn series_exceptions(ctx: &Ctx, e: &Event) -> Res<String> {
    use crate::domain::recurrence::is_recurring;
    let is_master = e.recurrence_id.is_none() && is_recurring(e);
    if !is_master && e.recurrence_id.is_none() {
        return Ok(String::new());
    }
    let series = ctx.store.list_series(&e.uid)?;
    if let Some(rid) = e.recurrence_id {
        let master = series
            .iter()
            .find(|m| m.recurrence_id.is_none() && is_recurring(m));
        return Ok(match master {
            Some(m) => format!(
                "replaces the occurrence {} of event {} (secretaire occurrence list {})",
                rid.format("%Y-%m-%d %H:%M"),
                m.id,
                m.id
            ),
            None => format!(
                "a changed occurrence ({}) whose series is gone",
                rid.format("%Y-%m-%d %H:%M")
            ),
        });
    }
    let lines: Vec<String> = series
        .iter()
        .filter_map(|o| {
            let rid = o.recurrence_id?;
            let now = if o.status == EventStatus::Cancelled {
                "cancelled".to_string()
            } else {
                event_when(o)
            };
            Some(format!(
                "{} → {now} (event {})",
                rid.format("%Y-%m-%d %H:%M"),
                o.id
            ))
        })
        .collect();
    Ok(lines.join("\n"))
}

fn due_text(d: Due, tz: Tz) -> String {
    match d {
        Due::Date(d) => text::day(d),
        Due::At(t) => text::local(t, tz),
    }
}

/// `10:00 CET Europe/Stockholm (04:00 here)` when the display zone differs.
fn local_both(t: DateTime<Utc>, own: Tz, display: Tz) -> String {
    let l = t.with_timezone(&own);
    let mut s = format!("{} {}", text::day(l.date_naive()), text::hm_zone(t, own));
    if own != display {
        s.push_str(&format!(" ({} here)", text::local(t, display)));
    }
    s
}

fn segments_table(segs: &[Segment]) -> Table {
    let mut t = Table::new(&["ID", "WHAT", "DEPART", "ARRIVE", "CONF", "STATUS"]).right(0);
    for s in segs {
        t.row(vec![
            s.id.to_string(),
            segment_label(s),
            format!(
                "{} {}",
                text::local(s.depart, s.depart_tz),
                s.depart_tz.name()
            ),
            format!(
                "{} {}",
                text::local(s.arrive, s.arrive_tz),
                s.arrive_tz.name()
            ),
            s.confirmation.clone(),
            s.status.to_string(),
        ]);
    }
    t
}

// ---------------------------------------------------------------------------------------
// list

/// `--from`/`--to` as a window of days (events, trips, segments): `--from` alone is 30 days,
/// `--to` alone starts today (or at `--to` when that is earlier).
fn window_bounds(ctx: &Ctx, a: &ListArgs) -> Res<Option<(NaiveDate, NaiveDate)>> {
    Ok(match date_bounds(ctx, a)? {
        (None, None) => None,
        (Some(f), None) => Some((f, f + Duration::days(30))),
        (None, Some(t)) => Some((ctx.today().min(t), t)),
        (Some(f), Some(t)) => Some((f, t)),
    })
}

/// `--from`/`--to` as they are (a due date's bounds: each side may be open).
fn date_bounds(ctx: &Ctx, a: &ListArgs) -> Res<(Option<NaiveDate>, Option<NaiveDate>)> {
    let (now, tz) = (ctx.now(), ctx.tz);
    let from = a
        .from
        .as_deref()
        .map(|d| input::date("from", d, now, tz, Direction::Nearest))
        .transpose()?;
    let to =
        a.to.as_deref()
            .map(|d| input::range_day("to", d, from, now, tz))
            .transpose()?;
    Ok((from, to))
}

/// How far a list goes past its page: the number of rows in all (a count), or only whether
/// there are more.
enum Total {
    Known(u64),
    More(bool),
}

/// "no tasks", or when the page is full, which rows these are and where the next page starts.
fn footer(
    out: &mut dyn Write,
    shown: usize,
    a: &ListArgs,
    kind: &str,
    total: impl FnOnce() -> Res<Total>,
) -> Res<()> {
    if shown == 0 {
        if a.offset > 0 {
            writeln!(out, "no {kind}s after row {}", a.offset)?;
        } else {
            writeln!(out, "no {kind}s")?;
        }
        return Ok(());
    }
    if (shown as u32) < a.limit {
        return Ok(());
    }
    let next = a.offset.saturating_add(a.limit);
    let (first, last) = (u64::from(a.offset) + 1, u64::from(a.offset) + shown as u64);
    match total()? {
        Total::Known(t) if t <= u64::from(next) => {}
        Total::Known(t) => writeln!(out, "({first}–{last} of {t}; next page: --offset {next})")?,
        Total::More(false) => {}
        Total::More(true) if a.offset == 0 => {
            writeln!(out, "(first {shown}; more with --offset {next})")?
        }
        Total::More(true) if first == last => {
            writeln!(out, "(row {first}; more with --offset {next})")?
        }
        Total::More(true) => writeln!(out, "(rows {first}–{last}; more with --offset {next})")?,
    }
    Ok(())
}

pub fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Res<()> {
    let (s, tz, v) = (&ctx.store, ctx.tz, view(ctx));
    let limit = Some(a.limit);
    let search = a.search.clone().filter(|s| !s.trim().is_empty());
    let kind = a.kind;
    if a.tag.is_some() && kind != KindArg::Contact {
        return Err(bad("tag", "applies to contacts only"));
    }
    if a.status.is_some() && matches!(kind, KindArg::Trip | KindArg::Contact) {
        return Err(bad("status", format!("does not apply to {}s", kind.name())));
    }
    if a.open && kind != KindArg::Invoice {
        return Err(bad(
            "open",
            "applies to invoices only (tasks: open and waiting ones are listed unless --all)",
        ));
    }
    if a.all && kind != KindArg::Task {
        return Err(bad("all", "applies to tasks only"));
    }
    match kind {
        KindArg::Event => {
            let status: Option<EventStatus> = a
                .status
                .as_deref()
                .map(|x| input::choice("status", x))
                .transpose()?;
            let window = window_bounds(ctx, a)?;
            let mut q = EventQuery {
                status,
                search,
                ..Default::default()
            };
            match window {
                None => {
                    q.limit = limit;
                    q.offset = a.offset;
                    let events = s.list_events(&q)?;
                    if ctx.json {
                        let arr: Vec<_> = events.iter().map(json::event).collect();
                        return print_json(out, &serde_json::Value::Array(arr));
                    }
                    let mut t = Table::new(&["ID", "WHEN", "TITLE", "LOCATION", "STATUS"]).right(0);
                    for e in &events {
                        let when = match e.time {
                            EventTime::AllDay { start, end } if start == end => {
                                format!("{} all day", start)
                            }
                            EventTime::AllDay { start, end } => format!("{start} – {end}"),
                            EventTime::Timed { start, end, .. } => {
                                format!("{}–{}", text::local(start, tz), text::hm(end, tz))
                            }
                        };
                        t.row(vec![
                            e.id.to_string(),
                            when + series_mark(e),
                            e.title.clone(),
                            e.location.clone(),
                            e.status.to_string(),
                        ]);
                    }
                    if !t.is_empty() {
                        out.write_all(t.render().as_bytes())?;
                    }
                    footer(out, events.len(), a, "event", || {
                        Ok(Total::Known(s.count_events(&q)?))
                    })
                }
                Some((from, to)) => {
                    let start = crate::domain::event::local_midnight(from, tz);
                    let end = crate::domain::event::local_midnight(to + Duration::days(1), tz);
                    q.from = Some(start);
                    q.to = Some(end);
                    q.tz = Some(tz);
                    // the window bounds what is loaded; paging applies to the occurrences
                    let events = s.list_events(&q)?;
                    let occ = expand_all(&events, start, end, tz);
                    let matching: Vec<_> = occ
                        .iter()
                        .filter(|(e, _)| status.is_none_or(|st| e.status == st))
                        .collect();
                    let total = matching.len() as u64;
                    let page: Vec<_> = matching
                        .into_iter()
                        .skip(a.offset as usize)
                        .take(a.limit as usize)
                        .collect();
                    if ctx.json {
                        let arr: Vec<_> = page
                            .iter()
                            .map(|(e, o)| json::event_occurrence(e, o, tz))
                            .collect();
                        return print_json(out, &serde_json::Value::Array(arr));
                    }
                    let mut t =
                        Table::new(&["ID", "DATE", "TIME", "TITLE", "LOCATION", "STATUS"]).right(0);
                    for (e, o) in &page {
                        let d = o.start.with_timezone(&tz).date_naive();
                        let end_day = o.end.with_timezone(&tz).date_naive();
                        let time = if o.all_day {
                            let n = (end_day - d).num_days();
                            if n > 1 {
                                format!("all day ({n} days)")
                            } else {
                                "all day".to_string()
                            }
                        } else if end_day == d {
                            format!("{}–{}", text::hm(o.start, tz), text::hm(o.end, tz))
                        } else {
                            format!(
                                "{}–{} {}",
                                text::hm(o.start, tz),
                                o.end.with_timezone(&tz).format("%a"),
                                text::hm(o.end, tz)
                            )
                        };
                        t.row(vec![
                            e.id.to_string(),
                            text::day(d),
                            time + series_mark(e),
                            e.title.clone(),
                            e.location.clone(),
                            e.status.to_string(),
                        ]);
                    }
                    if !t.is_empty() {
                        out.write_all(t.render().as_bytes())?;
                    }
                    footer(out, page.len(), a, "event", || Ok(Total::Known(total)))
                }
            }
        }
        KindArg::Trip => {
            let window = window_bounds(ctx, a)?;
            let q = TripQuery {
                from: window.map(|w| crate::domain::event::local_midnight(w.0, tz)),
                to: window
                    .map(|w| crate::domain::event::local_midnight(w.1 + Duration::days(1), tz)),
                search,
                // one more than the page: whether there are more
                limit: Some(a.limit.saturating_add(1)),
                offset: a.offset,
            };
            let mut trips = s.list_trips(&q)?;
            let more = trips.len() > a.limit as usize;
            trips.truncate(a.limit as usize);
            if ctx.json {
                let arr: Vec<_> = trips.iter().map(json::trip).collect();
                return print_json(out, &serde_json::Value::Array(arr));
            }
            let mut t = Table::new(&["ID", "FROM", "TO", "NAME", "LEGS", "PURPOSE"])
                .right(0)
                .right(4);
            for x in &trips {
                let (a1, b1) = x
                    .span()
                    .map(|(a, b)| {
                        (
                            a.with_timezone(&tz).date_naive().to_string(),
                            b.with_timezone(&tz).date_naive().to_string(),
                        )
                    })
                    .unwrap_or_default();
                t.row(vec![
                    x.id.to_string(),
                    a1,
                    b1,
                    x.name.clone(),
                    x.segments.len().to_string(),
                    x.purpose.clone(),
                ]);
            }
            if !t.is_empty() {
                out.write_all(t.render().as_bytes())?;
            }
            footer(out, trips.len(), a, "trip", || Ok(Total::More(more)))
        }
        KindArg::Segment => {
            let status: Option<SegmentStatus> = a
                .status
                .as_deref()
                .map(|x| input::choice("status", x))
                .transpose()?;
            // the coming 30 days, unless a window is given or a search looks through them all
            let window = match window_bounds(ctx, a)? {
                None if search.is_some() => None,
                None => Some((ctx.today(), ctx.today() + Duration::days(30))),
                w => w,
            };
            let q = SegmentQuery {
                from: window.map(|w| crate::domain::event::local_midnight(w.0, tz)),
                to: window
                    .map(|w| crate::domain::event::local_midnight(w.1 + Duration::days(1), tz)),
                status,
                search,
                limit,
                offset: a.offset,
            };
            let segs = s.list_segments_by(&q)?;
            if ctx.json {
                let arr: Vec<_> = segs.iter().map(json::segment).collect();
                return print_json(out, &serde_json::Value::Array(arr));
            }
            let t = segments_table(&segs);
            if !segs.is_empty() {
                out.write_all(t.render().as_bytes())?;
            }
            footer(out, segs.len(), a, "segment", || {
                Ok(Total::Known(s.count_segments(&q)?))
            })
        }
        KindArg::Contact => {
            if a.from.is_some() || a.to.is_some() {
                return Err(bad("from", "does not apply to contacts"));
            }
            let q = ContactQuery {
                search,
                tag: a.tag.as_ref().map(|t| t.trim().to_lowercase()),
                limit,
                offset: a.offset,
            };
            let cs = s.list_contacts(&q)?;
            if ctx.json {
                let arr: Vec<_> = cs.iter().map(json::contact).collect();
                return print_json(out, &serde_json::Value::Array(arr));
            }
            let mut t =
                Table::new(&["ID", "NAME", "ORGANIZATION", "EMAIL", "PHONE", "TAGS"]).right(0);
            for c in &cs {
                t.row(vec![
                    c.id.to_string(),
                    c.name.clone(),
                    c.organization.clone(),
                    c.primary_email().unwrap_or_default().to_string(),
                    c.phones
                        .first()
                        .map(|p| p.value.clone())
                        .unwrap_or_default(),
                    c.tags.join(","),
                ]);
            }
            if !t.is_empty() {
                out.write_all(t.render().as_bytes())?;
            }
            footer(out, cs.len(), a, "contact", || {
                Ok(Total::Known(s.count_contacts(&q)?))
            })
        }
        KindArg::Invoice => {
            let status: Option<InvoiceStatus> = a
                .status
                .as_deref()
                .map(|x| input::choice("status", x))
                .transpose()?;
            let (due_from, due_to) = date_bounds(ctx, a)?;
            let q = InvoiceQuery {
                status,
                due_from,
                due_to,
                open_only: a.open,
                vendor_id: None,
                search,
                limit,
                offset: a.offset,
            };
            let is = s.list_invoices(&q)?;
            if ctx.json {
                let arr: Vec<_> = is.iter().map(|i| json::invoice(i, v)).collect();
                return print_json(out, &serde_json::Value::Array(arr));
            }
            let today = ctx.today();
            let mut t = Table::new(&["ID", "DUE", "VENDOR", "NUMBER", "AMOUNT", "STATUS"])
                .right(0)
                .right(4);
            for i in &is {
                let status = if i.is_overdue(today) {
                    format!("{} OVERDUE", i.status)
                } else {
                    i.status.to_string()
                };
                t.row(vec![
                    i.id.to_string(),
                    i.due_date.to_string(),
                    i.vendor_name.clone(),
                    i.number.clone(),
                    i.amount.to_string(),
                    status,
                ]);
            }
            if !t.is_empty() {
                out.write_all(t.render().as_bytes())?;
            }
            footer(out, is.len(), a, "invoice", || {
                Ok(Total::Known(s.count_invoices(&q)?))
            })
        }
        KindArg::Task => {
            let status: Option<TaskStatus> = a
                .status
                .as_deref()
                .map(|x| input::choice("status", x))
                .transpose()?;
            let (due_from, due_to) = date_bounds(ctx, a)?;
            let q = TaskQuery {
                status,
                open_only: status.is_none() && !a.all,
                due_from,
                due_to,
                contact_id: None,
                search,
                order: TaskOrder::Due,
                tz: Some(ctx.tz),
                limit,
                offset: a.offset,
            };
            let ts = s.list_tasks(&q)?;
            if ctx.json {
                let arr: Vec<_> = ts.iter().map(|t| json::task(t, v)).collect();
                return print_json(out, &serde_json::Value::Array(arr));
            }
            let (today, now) = (ctx.today(), ctx.now());
            let mut t =
                Table::new(&["ID", "DUE", "PRI", "KIND", "SUBJECT", "CONTACT", "STATUS"]).right(0);
            for x in &ts {
                let mut st = x.status.to_string();
                if x.is_overdue(today, now, tz) {
                    st.push_str(" OVERDUE");
                } else if x.is_snoozed(now) {
                    st.push_str(" snoozed");
                }
                t.row(vec![
                    x.id.to_string(),
                    x.due
                        .map(|d| match d {
                            Due::Date(d) => d.to_string(),
                            Due::At(t) => text::local(t, tz),
                        })
                        .unwrap_or_default(),
                    x.priority.to_string(),
                    format!(
                        "{} {}",
                        x.kind,
                        if x.direction == crate::domain::TaskDirection::Incoming {
                            "in"
                        } else {
                            "out"
                        }
                    ),
                    x.subject.clone(),
                    x.contact_name.clone(),
                    st,
                ]);
            }
            if !t.is_empty() {
                out.write_all(t.render().as_bytes())?;
            }
            footer(out, ts.len(), a, "task", || {
                Ok(Total::Known(s.count_tasks(&q)?))
            })
        }
    }
}
