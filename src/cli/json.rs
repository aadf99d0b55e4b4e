//! JSON shapes of every record. STABLE: scripts depend on these; add keys, never rename or
//! remove one. The reference is docs/json.md. Conventions: instants are RFC 3339 in UTC with
//! `Z`; `*_local` are RFC 3339 with the offset of the record's own zone; dates are
//! `YYYY-MM-DD`; money is `{minor, currency, amount}`; absent optional values are `null`;
//! enums are the lower-case strings the CLI accepts.
use crate::domain::agenda::{AgendaDay, Entry, SegmentPart, Slot};
use crate::domain::recurrence::Occurrence;
use crate::domain::{
    Birthday, Contact, Due, Event, EventTime, Invoice, Labeled, Money, Segment, Task, Trip,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

/// What computed fields (overdue, local dates) are relative to.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl View {
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

pub fn instant(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn local(t: DateTime<Utc>, tz: Tz) -> Value {
    Value::String(
        t.with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

fn date(d: NaiveDate) -> Value {
    Value::String(d.format("%Y-%m-%d").to_string())
}

fn naive(n: NaiveDateTime) -> Value {
    Value::String(n.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> Value) -> Value {
    v.map(f).unwrap_or(Value::Null)
}

pub fn money(m: Money) -> Value {
    json!({ "minor": m.minor, "currency": m.currency.code(), "amount": m.amount_plain() })
}

fn labeled(v: &[Labeled]) -> Value {
    Value::Array(
        v.iter()
            .map(|l| json!({ "label": l.label, "value": l.value }))
            .collect(),
    )
}

fn birthday(b: Birthday) -> Value {
    Value::String(match b.year {
        Some(y) => format!("{y:04}-{:02}-{:02}", b.month, b.day),
        None => format!("--{:02}-{:02}", b.month, b.day),
    })
}

pub fn event(e: &Event) -> Value {
    let (all_day, start, end, start_local, end_local, tz) = match &e.time {
        EventTime::Timed { start, end, tz } => (
            false,
            instant(*start),
            instant(*end),
            local(*start, *tz),
            local(*end, *tz),
            Value::String(tz.name().to_string()),
        ),
        EventTime::AllDay { start, end } => (
            true,
            date(*start),
            date(*end),
            date(*start),
            date(*end),
            Value::Null,
        ),
    };
    json!({
        "type": "event",
        "id": e.id,
        "uid": e.uid,
        "title": e.title,
        "all_day": all_day,
        "start": start,
        "end": end,
        "start_local": start_local,
        "end_local": end_local,
        "tz": tz,
        "location": e.location,
        "notes": e.notes,
        "category": e.category.as_str(),
        "status": e.status.as_str(),
        "attendees": e.attendees.iter().map(|a| json!({
            "contact_id": a.contact_id, "name": a.name, "email": a.email
        })).collect::<Vec<_>>(),
        "reminder_minutes": e.reminder_minutes,
        "rrule": e.rrule,
        "exdates": e.exdates.iter().map(|n| naive(*n)).collect::<Vec<_>>(),
        "rdates": e.rdates.iter().map(|n| naive(*n)).collect::<Vec<_>>(),
        "recurrence_id": opt(e.recurrence_id, naive),
        "sequence": e.sequence,
        "created": instant(e.created),
        "updated": instant(e.updated),
    })
}

/// An occurrence's `start` and `end`: instants, or for an all-day one (its instants are the
/// display zone's midnights, the end exclusive) the dates it covers in `tz`, the end the last
/// day (inclusive), as an all-day event's own `start`/`end` give them: the offsite on 18-19
/// Dec is `"2026-12-18"`..`"2026-12-19"`, not `2026-12-17T23:00:00Z`..`2026-12-19T23:00:00Z`.
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>, all_day: bool, tz: Tz) -> (Value, Value) {
    if !all_day {
        return (instant(start), instant(end));
    }
    let first = start.with_timezone(&tz).date_naive();
    let after = end.with_timezone(&tz).date_naive();
    (
        date(first),
        date(after.pred_opt().unwrap_or(after).max(first)),
    )
}

/// An occurrence of an event, its span read in the display zone `tz` ([`span`]).
pub fn occurrence(o: &Occurrence, tz: Tz) -> Value {
    let (start, end) = span(o.start, o.end, o.all_day, tz);
    json!({
        "start": start,
        "end": end,
        "all_day": o.all_day,
        "recurrence_id": opt(o.recurrence_id, naive),
    })
}

/// An event with the occurrence in a listed window.
pub fn event_occurrence(e: &Event, o: &Occurrence, tz: Tz) -> Value {
    let mut v = event(e);
    v["occurrence"] = occurrence(o, tz);
    v
}

pub fn segment(s: &Segment) -> Value {
    json!({
        "type": "segment",
        "id": s.id,
        "trip_id": s.trip_id,
        "uid": s.uid,
        "kind": s.kind.as_str(),
        "provider": s.provider,
        "number": s.number,
        "confirmation": s.confirmation,
        "origin": s.origin,
        "destination": s.destination,
        "depart": instant(s.depart),
        "depart_tz": s.depart_tz.name(),
        "depart_local": local(s.depart, s.depart_tz),
        "arrive": instant(s.arrive),
        "arrive_tz": s.arrive_tz.name(),
        "arrive_local": local(s.arrive, s.arrive_tz),
        "seat": s.seat,
        "cost": opt(s.cost, money),
        "status": s.status.as_str(),
        "notes": s.notes,
    })
}

pub fn trip(t: &Trip) -> Value {
    let span = t.span();
    json!({
        "type": "trip",
        "id": t.id,
        "name": t.name,
        "purpose": t.purpose,
        "notes": t.notes,
        "start": opt(span.map(|s| s.0), instant),
        "end": opt(span.map(|s| s.1), instant),
        "segments": t.segments.iter().map(segment).collect::<Vec<_>>(),
    })
}

pub fn contact(c: &Contact) -> Value {
    json!({
        "type": "contact",
        "id": c.id,
        "uid": c.uid,
        "name": c.name,
        "organization": c.organization,
        "title": c.title,
        "emails": labeled(&c.emails),
        "phones": labeled(&c.phones),
        "address": c.address,
        "tags": c.tags,
        "notes": c.notes,
        "last_contacted": opt(c.last_contacted, date),
        "birthday": opt(c.birthday, birthday),
    })
}

pub fn invoice(i: &Invoice, v: View) -> Value {
    json!({
        "type": "invoice",
        "id": i.id,
        "vendor_id": i.vendor_id,
        "vendor_name": i.vendor_name,
        "number": i.number,
        "issue_date": date(i.issue_date),
        "due_date": date(i.due_date),
        "amount": money(i.amount),
        "status": i.status.as_str(),
        "paid_date": opt(i.paid_date, date),
        "payment_ref": i.payment_ref,
        "document_path": i.document_path,
        "notes": i.notes,
        "overdue": i.is_overdue(v.today()),
    })
}

pub fn task(t: &Task, v: View) -> Value {
    let (due_date, due_at) = match t.due {
        None => (Value::Null, Value::Null),
        Some(Due::Date(d)) => (date(d), Value::Null),
        Some(d @ Due::At(at)) => (date(d.date_in(v.tz)), instant(at)),
    };
    json!({
        "type": "task",
        "id": t.id,
        "kind": t.kind.as_str(),
        "direction": t.direction.as_str(),
        "contact_id": t.contact_id,
        "contact_name": t.contact_name,
        "subject": t.subject,
        "notes": t.notes,
        "due_date": due_date,
        "due_at": due_at,
        "priority": t.priority.as_str(),
        "status": t.status.as_str(),
        "snoozed_until": opt(t.snoozed_until, instant),
        "delegated_to": t.delegated_to,
        "created": instant(t.created),
        "done_at": opt(t.done_at, instant),
        "overdue": t.is_overdue(v.today(), v.now, v.tz),
    })
}

/// The agenda: `{tz, today, from, days: [{date, items: [...]}]}`.
pub fn agenda(days: &[AgendaDay<'_>], v: View) -> Value {
    let days: Vec<Value> = days
        .iter()
        .map(|d| {
            let items: Vec<Value> = d
                .items
                .iter()
                .map(|it| {
                    let (time, time_local) = match it.slot {
                        Slot::Untimed => (Value::Null, Value::Null),
                        Slot::At(t) => (instant(t), local(t, v.tz)),
                    };
                    let mut item = json!({
                        "time": time,
                        "time_local": time_local,
                        "overdue": it.entry.is_overdue(),
                    });
                    match &it.entry {
                        Entry::Event {
                            event: e,
                            occurrence: o,
                            continued,
                        } => {
                            item["type"] = json!("event");
                            item["continued"] = json!(continued);
                            item["occurrence"] = occurrence(o, v.tz);
                            item["record"] = event(e);
                        }
                        Entry::Segment { segment: s, part } => {
                            item["type"] = json!("segment");
                            item["part"] = json!(match part {
                                SegmentPart::Whole => "whole",
                                SegmentPart::Depart => "depart",
                                SegmentPart::Arrive => "arrive",
                                SegmentPart::During => "during",
                            });
                            item["record"] = segment(s);
                        }
                        Entry::Task { task: t, .. } => {
                            item["type"] = json!("task");
                            item["record"] = task(t, v);
                        }
                        Entry::Invoice { invoice: i, .. } => {
                            item["type"] = json!("invoice");
                            item["record"] = invoice(i, v);
                        }
                    }
                    item
                })
                .collect();
            json!({ "date": date(d.date), "items": items })
        })
        .collect();
    json!({
        "tz": v.tz.name(),
        "today": date(v.today()),
        "days": days,
    })
}
