//! Add/edit forms for every kind: Tab between fields, live parsing (dates through
//! `domain::when`, amounts through `Money`), inline validation next to the field it names
//! (the domain's `validate()`), contacts picked from suggestions. Pure state.
use super::input::LineInput;
use super::keymap::Key;
use super::{Action, App, Effect, Record, save};
use crate::domain::when::{self, When, parse_when};
use crate::domain::{
    Birthday, Contact, Currency, Due, Event, EventCategory, EventStatus, EventTime, Invoice,
    InvoiceStatus, Labeled, Money, Priority, Segment, SegmentKind, SegmentStatus, Task,
    TaskDirection, TaskKind, TaskStatus, Trip, parse_tz,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use ratatui::crossterm::event::KeyCode;

/// What forms need from the app: the time, the zone, the default currency, and the keys their
/// messages name (as the user has them bound).
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub currency: Currency,
    /// The key that picks the next suggestion or choice.
    pub pick: Key,
    /// The key that accepts a prompt.
    pub submit: Key,
}

impl Ctx {
    /// With the default keys (↓ picks, Enter accepts).
    pub fn new(now: DateTime<Utc>, tz: Tz, currency: Currency) -> Ctx {
        Ctx {
            now,
            tz,
            currency,
            pick: Key::plain(KeyCode::Down),
            submit: Key::plain(KeyCode::Enter),
        }
    }
    pub fn of(app: &App) -> Ctx {
        use super::keymap::Context;
        let key = |ctx: Context, action: &str, default: Key| {
            app.keymap
                .in_context(ctx)
                .find(|b| b.action == action)
                .map_or(default, |b| b.key)
        };
        let d = Ctx::new(app.now, app.tz, app.currency);
        Ctx {
            pick: key(Context::Form, "pick.next", d.pick),
            submit: key(Context::Prompt, "submit", d.submit),
            ..d
        }
    }
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Event,
    Trip,
    /// A segment of the trip with this id.
    Segment(i64),
    Contact,
    Invoice,
    Task,
    /// Export the calendar to an .ics file (range, travel, tasks, path).
    ExportIcs,
    /// Import an .ics file (path; a preview follows).
    ImportIcs,
    /// Export contacts to a .vcf file (version, path).
    ExportVcf,
    /// Import a .vcf file (path; a preview follows).
    ImportVcf,
}

impl FormKind {
    /// A file export/import form rather than a record form.
    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            FormKind::ExportIcs | FormKind::ImportIcs | FormKind::ExportVcf | FormKind::ImportVcf
        )
    }
    pub fn of(r: &Record) -> FormKind {
        match r {
            Record::Event(_) => FormKind::Event,
            Record::Trip(_) => FormKind::Trip,
            Record::Segment(s) => FormKind::Segment(s.trip_id),
            Record::Contact(_) => FormKind::Contact,
            Record::Invoice(_) => FormKind::Invoice,
            Record::Task(_) => FormKind::Task,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            FormKind::Event => "event",
            FormKind::Trip => "trip",
            FormKind::Segment(_) => "segment",
            FormKind::Contact => "contact",
            FormKind::Invoice => "invoice",
            FormKind::Task => "task",
            FormKind::ExportIcs => "calendar export",
            FormKind::ImportIcs => "calendar import",
            FormKind::ExportVcf => "contacts export",
            FormKind::ImportVcf => "contacts import",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Free text whose newlines are shown and typed as " | ".
    Lines,
    /// A friendly date/time (`domain::when`).
    When,
    /// A date only.
    Date,
    Money,
    /// One of these values; ↑/↓ cycle, typing is accepted too.
    Choice(Vec<&'static str>),
    /// A contact: typed text with suggestions; picked id in `Field::contact_id`.
    Contact,
    /// Comma-separated people ("Name <e-mail>", an e-mail, or a name); the last one typed
    /// gets contact suggestions.
    Attendees,
    Zone,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name validation errors use ("subject", "due"...).
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: LineInput,
    pub required: bool,
    pub error: Option<String>,
    /// What the text was read as ("→ Tue 24 Nov 09:00").
    pub preview: Option<String>,
    pub contact_id: Option<i64>,
    pub touched: bool,
}

impl Field {
    fn new(key: &'static str, label: &'static str, kind: FieldKind, value: String) -> Field {
        Field {
            key,
            label,
            kind,
            input: LineInput::new(value),
            required: false,
            error: None,
            preview: None,
            contact_id: None,
            touched: false,
        }
    }
    fn req(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn text(&self) -> &str {
        self.input.text()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    /// The record being edited (None when adding).
    pub original: Option<Record>,
    /// The record the form starts from: `original`, or an unsaved draft (quick capture) whose
    /// data without a field (attendees, ...) must survive.
    pub base: Option<Record>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// Esc on an edited form asks first.
    pub confirm_discard: bool,
    pub submitted: bool,
    /// A problem not tied to one field (or the last failed save).
    pub error: Option<String>,
    pub suggestions: Vec<(i64, String)>,
    pub suggestion: Option<usize>,
    /// Editing one occurrence of a series: saving writes an override.
    pub series: Option<SeriesTarget>,
    /// Free slots proposed (F2 in an event form); ↓/↑ picks one into start/end.
    pub slots: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    pub slot: Option<usize>,
    /// Contacts picked into the attendees field: (name as filled in, contact id).
    pub picked: Vec<(String, i64)>,
    /// The first field on screen when the form is taller than the screen (the renderer keeps
    /// the focused field visible).
    pub scroll: usize,
    /// An event's length while its end was not typed: a new start moves the end with it.
    pub keep: Option<Keep>,
}

/// How long an event lasts, kept when its start is retyped and its end was not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Timed(Duration),
    /// An all-day event's last day, counted from its first.
    Days(i64),
}

/// The series and occurrence a one-occurrence form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesTarget {
    pub master: Event,
    pub overrides: Vec<Event>,
    pub rid: chrono::NaiveDateTime,
    /// This and all following occurrences: saving splits the series at `rid`.
    pub following: bool,
    /// The rule the form showed for the following part (what saving it unchanged writes).
    pub shown_rule: Option<String>,
}

macro_rules! choice {
    ($t:ty) => {
        FieldKind::Choice(<$t>::ALL.iter().map(|v| v.as_str()).collect())
    };
}

fn lines_out(s: &str) -> String {
    s.replace('\n', " | ")
}
fn lines_in(s: &str) -> String {
    s.split(" | ")
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn fmt_local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

fn labeled_out(v: &[Labeled]) -> String {
    v.iter()
        .map(|l| {
            if l.label.is_empty() {
                l.value.clone()
            } else {
                format!("{}: {}", l.label, l.value)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
fn labeled_in(s: &str) -> Vec<Labeled> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| match x.split_once(':') {
            Some((l, v)) if !l.contains('@') => Labeled::new(l.trim(), v.trim()),
            _ => Labeled::new("", x),
        })
        .collect()
}

impl Form {
    pub fn new(kind: FormKind, original: Option<Record>, ctx: &Ctx) -> Form {
        let fields = fields_for(kind, original.as_ref(), ctx);
        let mut f = Form {
            kind,
            base: original.clone(),
            original,
            fields,
            focus: 0,
            dirty: false,
            confirm_discard: false,
            submitted: false,
            error: None,
            suggestions: Vec::new(),
            suggestion: None,
            series: None,
            slots: Vec::new(),
            slot: None,
            picked: Vec::new(),
            scroll: 0,
            keep: None,
        };
        f.keep = match &f.base {
            Some(Record::Event(e)) => Some(match e.time {
                EventTime::Timed { start, end, .. } => Keep::Timed(end - start),
                EventTime::AllDay { start, end } => Keep::Days((end - start).num_days()),
            }),
            _ => None,
        };
        f.build(ctx);
        f
    }

    /// The start was retyped: an end the user has not typed moves with it, keeping the event's
    /// length (the record's, or the slot's picked), instead of staying put ("(0 min)").
    fn follow_start(&mut self, ctx: &Ctx) {
        let Some(keep) = self.keep else { return };
        let end = self.val("end");
        // empty (an hour) or a length ("30m"): already counted from the start
        if end.is_empty() || when::parse_duration(end).is_ok() {
            return;
        }
        let zone = parse_tz(self.val("tz")).unwrap_or(ctx.tz);
        let text = match (parse_when(self.val("start"), ctx.now, zone), keep) {
            (Ok(When::Date(d)), Keep::Days(n)) => (d + Duration::days(n)).to_string(),
            (Ok(w @ (When::Local(_) | When::Instant(_))), Keep::Timed(len)) => {
                fmt_local(w.instant(zone, super::morning()) + len, zone)
            }
            _ => return,
        };
        if let Some(f) = self.field_mut("end") {
            f.input.set(text);
        }
    }

    /// A new-record form filled from a record that was never stored (quick capture).
    pub fn new_prefilled(kind: FormKind, record: Option<Record>, ctx: &Ctx) -> Form {
        let mut f = Form::new(kind, record, ctx);
        f.original = None;
        f.build(ctx);
        f
    }

    pub fn title(&self) -> String {
        match self.kind {
            FormKind::ExportIcs => return "Export calendar (.ics)".into(),
            FormKind::ImportIcs => return "Import calendar (.ics)".into(),
            FormKind::ExportVcf => return "Export contacts (.vcf)".into(),
            FormKind::ImportVcf => return "Import contacts (.vcf)".into(),
            _ => {}
        }
        if let Some(t) = &self.series {
            let what = if t.following {
                "this and following occurrences"
            } else {
                "one occurrence"
            };
            return format!("Edit {what} of '{}'", crate::ui::sanitize(&t.master.title));
        }
        match &self.original {
            Some(r) => format!("Edit {}", r.label()),
            None => format!("New {}", self.kind.name()),
        }
    }

    /// Set a field's text (prefilling from quick capture).
    pub fn set_text(&mut self, key: &str, text: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.input.set(text);
            f.touched = true;
            if f.kind == FieldKind::Contact {
                f.contact_id = None;
            }
        }
    }

    /// Add a line to a free-text field (" | " separates lines), keeping what is there.
    pub fn append_line(&mut self, key: &str, line: &str) {
        let Some(f) = self.fields.iter().find(|f| f.key == key) else {
            return;
        };
        let cur = f.text().trim().to_string();
        let text = if cur.is_empty() {
            line.to_string()
        } else {
            format!("{cur} | {line}")
        };
        self.set_text(key, &text);
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn set_suggestions(&mut self, query: &str, contacts: Vec<(i64, String)>) {
        if let Some(f) = self.fields.get(self.focus)
            && ((f.kind == FieldKind::Contact && f.text().trim() == query)
                || (f.kind == FieldKind::Attendees && last_token(f.text()) == query))
        {
            self.suggestions = contacts;
            self.suggestion = None;
        }
    }

    /// Handle an action; returns (keep the form open, effects).
    pub fn update(&mut self, action: Action, ctx: &Ctx) -> (bool, Vec<Effect>) {
        if self.confirm_discard {
            return match action {
                Action::Yes => (false, vec![]),
                Action::No | Action::Close => {
                    self.confirm_discard = false;
                    (true, vec![])
                }
                _ => (true, vec![]),
            };
        }
        match action {
            Action::Close => {
                if self.dirty {
                    self.confirm_discard = true;
                    (true, vec![])
                } else {
                    (false, vec![])
                }
            }
            Action::NextField => {
                self.leave_field();
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                (true, vec![])
            }
            Action::PrevField => {
                self.leave_field();
                let n = self.fields.len().max(1);
                self.focus = (self.focus + n - 1) % n;
                (true, vec![])
            }
            Action::PickNext | Action::PickPrev if !self.slots.is_empty() => {
                let n = self.slots.len();
                let i = match (self.slot, action == Action::PickNext) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                self.slot = Some(i);
                let (s, e) = self.slots[i];
                let zone = self.val("tz").parse::<Tz>().unwrap_or(ctx.tz);
                self.set_text("start", &fmt_local(s, zone));
                self.set_text("end", &fmt_local(e, zone));
                self.keep = Some(Keep::Timed(e - s));
                self.dirty = true;
                self.build(ctx);
                (true, vec![])
            }
            Action::PickNext | Action::PickPrev => {
                let down = action == Action::PickNext;
                self.pick(down, ctx);
                (true, vec![])
            }
            Action::Input(_) | Action::Paste(_) => {
                let mut fx = vec![];
                if let Some(f) = self.fields.get_mut(self.focus)
                    && match &action {
                        Action::Input(k) => f.input.handle(*k),
                        Action::Paste(t) => f.input.insert_str(t),
                        _ => false,
                    }
                {
                    f.touched = true;
                    self.dirty = true;
                    if matches!(f.key, "start" | "end" | "tz") {
                        // the proposals were for another length or zone
                        self.slots.clear();
                        self.slot = None;
                    }
                    let key = f.key;
                    if self.kind == FormKind::Event {
                        match key {
                            // the user's own end: it stays where they put it
                            "end" => self.keep = None,
                            "start" => self.follow_start(ctx),
                            _ => {}
                        }
                    }
                    let Some(f) = self.fields.get_mut(self.focus) else {
                        return (true, fx);
                    };
                    if f.kind == FieldKind::Contact {
                        f.contact_id = None;
                        self.suggestion = None;
                        let q = f.text().trim().to_string();
                        if q.is_empty() {
                            self.suggestions.clear();
                        } else {
                            fx.push(Effect::SuggestContacts(q));
                        }
                    }
                    if f.kind == FieldKind::Attendees {
                        self.suggestion = None;
                        let q = last_token(f.text()).to_string();
                        if q.is_empty() || q.contains('@') || q.contains('<') {
                            self.suggestions.clear();
                        } else {
                            fx.push(Effect::SuggestContacts(q));
                        }
                    }
                    self.build(ctx);
                }
                (true, fx)
            }
            Action::Submit => {
                self.submitted = true;
                for f in &mut self.fields {
                    f.touched = true;
                }
                if self.kind.is_transfer() {
                    self.build(ctx);
                    if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
                        self.focus = i;
                        return (true, vec![]);
                    }
                    return (true, self.transfer(ctx).into_iter().collect());
                }
                match self.build(ctx) {
                    Some(Record::Event(edited)) if self.series.is_some() => {
                        let Some(t) = &self.series else {
                            return (true, vec![]);
                        };
                        let mut edited = edited;
                        let result = if t.following {
                            // an emptied rule field, or the one shown (the series' rule with
                            // what is left of its COUNT), keeps the series' rule
                            if edited.rrule == t.shown_rule {
                                edited.rrule = None;
                            }
                            crate::domain::schedule::change_following(
                                &t.master,
                                &t.overrides,
                                t.rid,
                                &edited,
                                &crate::domain::event::new_uid(ctx.now),
                                ctx.now,
                            )
                        } else {
                            edited.rrule = None;
                            crate::domain::schedule::change_occurrence(
                                &t.master,
                                &t.overrides,
                                t.rid,
                                &edited,
                                ctx.now,
                            )
                        };
                        match result {
                            Ok(change) => {
                                let mut before = vec![t.master.clone()];
                                before.extend(
                                    t.overrides
                                        .iter()
                                        .filter(|o| {
                                            change.update.iter().any(|u| u.id == o.id)
                                                || change.delete.contains(&o.id)
                                        })
                                        .cloned(),
                                );
                                let label = format!(
                                    "edit {} of '{}'",
                                    if t.following {
                                        "this and following"
                                    } else {
                                        "one occurrence"
                                    },
                                    crate::ui::sanitize(&t.master.title)
                                );
                                (
                                    true,
                                    vec![Effect::Series {
                                        change,
                                        before,
                                        label,
                                    }],
                                )
                            }
                            Err(e) => {
                                self.error = Some(e.to_string());
                                (true, vec![])
                            }
                        }
                    }
                    Some(r) => {
                        let label = match &self.original {
                            Some(o) => format!("edit {}", o.label()),
                            None => format!("add {}", r.label()),
                        };
                        self.error = None;
                        (true, vec![save(r, self.original.clone(), label)])
                    }
                    None => {
                        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
                            self.focus = i;
                        }
                        (true, vec![])
                    }
                }
            }
            _ => (true, vec![]),
        }
    }

    fn leave_field(&mut self) {
        // Leaving a contact field with one suggestion highlighted takes it.
        if let Some(i) = self.suggestion
            && let (Some(f), Some((id, name))) =
                (self.fields.get_mut(self.focus), self.suggestions.get(i))
            && f.kind == FieldKind::Contact
        {
            f.contact_id = Some(*id);
            f.input.set(name.clone());
        }
        self.suggestions.clear();
        self.suggestion = None;
    }

    fn pick(&mut self, down: bool, ctx: &Ctx) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &f.kind {
            FieldKind::Choice(values) => {
                if values.is_empty() {
                    return;
                }
                let cur = values
                    .iter()
                    .position(|v| v.eq_ignore_ascii_case(f.text().trim()));
                let n = values.len();
                let next = match (cur, down) {
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                    (None, _) => 0,
                };
                f.input.set(values[next]);
                f.touched = true;
                self.dirty = true;
            }
            FieldKind::Attendees => {
                if self.suggestions.is_empty() {
                    return;
                }
                let n = self.suggestions.len();
                let i = match (self.suggestion, down) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                self.suggestion = Some(i);
                let (id, name) = self.suggestions[i].clone();
                let text = f.text().to_string();
                let head = match text.rfind(',') {
                    Some(k) => format!("{}, ", text[..k].trim_end()),
                    None => String::new(),
                };
                f.input.set(format!("{head}{name}"));
                self.picked.retain(|(_, x)| *x != id);
                self.picked.push((name, id));
                self.dirty = true;
            }
            FieldKind::Contact => {
                if self.suggestions.is_empty() {
                    return;
                }
                let n = self.suggestions.len();
                let i = match (self.suggestion, down) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                self.suggestion = Some(i);
                let (id, name) = self.suggestions[i].clone();
                f.contact_id = Some(id);
                f.input.set(name);
                self.dirty = true;
            }
            _ => return,
        }
        self.build(ctx);
    }

    fn val(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.text().trim())
            .unwrap_or("")
    }
    fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }
    fn contact(&self, key: &str) -> Option<i64> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.contact_id)
    }
    fn set_err(&mut self, key: &str, msg: impl Into<String>) {
        if let Some(f) = self.field_mut(key)
            && f.error.is_none()
        {
            f.error = Some(msg.into());
        }
    }
    fn set_preview(&mut self, key: &str, msg: impl Into<String>) {
        if let Some(f) = self.field_mut(key) {
            f.preview = Some(msg.into());
        }
    }

    /// Parse every field, fill previews and errors, and return the record when all is well.
    pub fn build(&mut self, ctx: &Ctx) -> Option<Record> {
        for f in &mut self.fields {
            f.error = None;
            f.preview = None;
            if f.required && f.text().trim().is_empty() {
                f.error = Some("required".into());
            }
            if let FieldKind::Choice(values) = &f.kind
                && !values
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(f.text().trim()))
            {
                f.error = Some(format!("one of {}", values.join(", ")));
            }
        }
        let record = match self.kind {
            FormKind::Task => self.build_task(ctx),
            FormKind::Invoice => self.build_invoice(ctx),
            FormKind::Contact => self.build_contact(),
            FormKind::Event => self.build_event(ctx),
            FormKind::Trip => self.build_trip(),
            FormKind::Segment(trip) => self.build_segment(trip, ctx),
            FormKind::ExportIcs
            | FormKind::ImportIcs
            | FormKind::ExportVcf
            | FormKind::ImportVcf => {
                // previews and errors only; Submit asks `transfer` for the effect
                self.transfer(ctx);
                None
            }
        };
        let mut general = None;
        if let Some(r) = &record {
            let v = match r {
                Record::Task(x) => x.validate(),
                Record::Invoice(x) => x.validate(),
                Record::Contact(x) => x.validate(),
                Record::Event(x) => x.validate(),
                Record::Trip(x) => x.validate(),
                Record::Segment(x) => x.validate(),
            };
            if let Err(e) = v {
                let key = match e.field {
                    "done-at" => "status",
                    "attendee" => "",
                    k => k,
                };
                if self.fields.iter().any(|f| f.key == key) {
                    self.set_err(key, e.message.clone());
                } else {
                    general = Some(e.to_string());
                }
            }
        }
        // Show errors only on fields the user has been in (or after a save attempt).
        let submitted = self.submitted;
        for f in &mut self.fields {
            if !f.touched && !submitted && f.error.as_deref() == Some("required") {
                f.error = None;
                f.preview = Some("required".into());
            }
        }
        let all_ok = self.fields.iter().all(|f| f.error.is_none())
            && general.is_none()
            && !self
                .fields
                .iter()
                .any(|f| f.required && f.text().trim().is_empty());
        if general.is_some() || self.submitted {
            self.error = general;
        }
        if all_ok { record } else { None }
    }

    fn when(&mut self, key: &str, ctx: &Ctx, tz: Tz) -> Option<Option<When>> {
        self.when_on(key, ctx, tz, None)
    }

    /// [`Form::when`], with a time alone ("15:00") read on `own_day` when given (the record's
    /// own day on edit, as the CLI's `edit` reads it) rather than today.
    fn when_on(
        &mut self,
        key: &str,
        ctx: &Ctx,
        tz: Tz,
        own_day: Option<NaiveDate>,
    ) -> Option<Option<When>> {
        let text = self.val(key).to_string();
        if text.is_empty() {
            return Some(None);
        }
        let on_own_day = own_day.and_then(|d| crate::domain::event::time_on_day(&text, d));
        let parsed = match on_own_day {
            Some(n) => Ok(When::Local(n)),
            None => parse_when(&text, ctx.now, tz),
        };
        match parsed {
            Ok(w) => {
                let p = match w {
                    When::Date(d) => d.format("→ %a %-d %b %Y").to_string(),
                    When::Local(n) => n.format("→ %a %-d %b %Y %H:%M").to_string(),
                    When::Instant(t) => t
                        .with_timezone(&tz)
                        .format("→ %a %-d %b %Y %H:%M %Z")
                        .to_string(),
                };
                self.set_preview(key, p);
                Some(Some(w))
            }
            Err(e) => {
                self.set_err(key, e.0);
                None
            }
        }
    }

    /// A date field; `dir` says which day `1 nov` or `fri` is (a payment: the last one).
    fn date(&mut self, key: &str, ctx: &Ctx, dir: when::Direction) -> Option<Option<NaiveDate>> {
        let text = self.val(key).to_string();
        if text.is_empty() {
            return Some(None);
        }
        match when::parse_date_dir(&text, ctx.today(), dir) {
            Ok(d) => {
                self.set_preview(key, d.format("→ %a %-d %b %Y").to_string());
                Some(Some(d))
            }
            Err(e) => {
                self.set_err(key, e.0);
                None
            }
        }
    }

    fn money(&mut self, key: &str, ctx: &Ctx) -> Option<Option<Money>> {
        let text = self.val(key).to_string();
        if text.is_empty() {
            return Some(None);
        }
        let parsed = Money::parse(&text).or_else(|e| {
            if text.chars().any(|c| c.is_ascii_alphabetic()) {
                Err(e)
            } else {
                Money::parse_amount(&text, ctx.currency)
            }
        });
        match parsed {
            Ok(m) => {
                self.set_preview(key, format!("→ {m}"));
                Some(Some(m))
            }
            Err(e) => {
                self.set_err(key, e.to_string());
                None
            }
        }
    }

    fn zone(&mut self, key: &str, default: Tz) -> Option<Tz> {
        let text = self.val(key).to_string();
        if text.is_empty() {
            return Some(default);
        }
        match parse_tz(&text) {
            Ok(z) => Some(z),
            Err(e) => {
                self.set_err(key, e);
                None
            }
        }
    }

    fn build_task(&mut self, ctx: &Ctx) -> Option<Record> {
        let mut t = match &self.base {
            Some(Record::Task(t)) => t.clone(),
            _ => Task::new("", ctx.now),
        };
        // editing a task due on a day: a time alone keeps that day (`edit task --due 15:00`)
        let own_day = match &self.original {
            Some(Record::Task(o)) => o.due.map(|d| d.date_in(ctx.tz)),
            _ => None,
        };
        let due = self.when_on("due", ctx, ctx.tz, own_day)?;
        t.subject = self.val("subject").to_string();
        t.kind = self.val("kind").parse::<TaskKind>().ok()?;
        t.direction = self.val("direction").parse::<TaskDirection>().ok()?;
        t.priority = self.val("priority").parse::<Priority>().ok()?;
        let status = self.val("status").parse::<TaskStatus>().ok()?;
        if status == TaskStatus::Done && t.status != TaskStatus::Done {
            t.mark_done(ctx.now);
        } else if status != TaskStatus::Done {
            t.status = status;
            t.done_at = None;
        }
        t.due = due.map(|w| match w {
            When::Date(d) => Due::Date(d),
            other => Due::At(other.instant(ctx.tz, super::morning())),
        });
        let contact_text = self.val("contact").to_string();
        t.contact_id = self.contact("contact");
        if contact_text.is_empty() {
            t.contact_id = None;
            t.contact_name.clear();
        } else if t.contact_id.is_none() {
            // the counterpart as it was (linked, or a deleted contact's kept name)
            let keep =
                matches!(&self.base, Some(Record::Task(o)) if o.contact_name == contact_text);
            if keep {
                if let Some(Record::Task(o)) = &self.base {
                    t.contact_id = o.contact_id;
                }
            } else {
                self.set_err(
                    "contact",
                    format!("pick a contact with {} (or leave empty)", ctx.pick),
                );
                return None;
            }
        }
        t.contact_name = contact_text;
        t.delegated_to = self.val("delegated-to").to_string();
        t.notes = lines_in(self.val("notes"));
        Some(Record::Task(t))
    }

    fn build_invoice(&mut self, ctx: &Ctx) -> Option<Record> {
        let issue = self.date("issue", ctx, when::Direction::Past)?;
        let due = self.date("due", ctx, when::Direction::Future)?;
        let amount = self.money("amount", ctx)?;
        let paid = self.date("paid-date", ctx, when::Direction::Past)?;
        if paid.is_some_and(|p| p > ctx.today()) {
            self.set_err(
                "paid-date",
                "in the future: a payment date is today or earlier",
            );
            return None;
        }
        let status = self.val("status").parse::<InvoiceStatus>().ok()?;
        let orig = match &self.base {
            Some(Record::Invoice(i)) => Some(i.clone()),
            _ => None,
        };
        let issue = issue.unwrap_or(ctx.today());
        let Some(due) = due else {
            self.set_err("due", "required");
            return None;
        };
        let Some(amount) = amount else {
            self.set_err("amount", "required (e.g. 1249 or 1 249,00 SEK)");
            return None;
        };
        let vendor_text = self.val("vendor").to_string();
        let mut vendor_id = self.contact("vendor");
        if vendor_id.is_none()
            && let Some(o) = &orig
            && o.vendor_name == vendor_text
        {
            vendor_id = o.vendor_id;
        }
        let paid_date = match status {
            InvoiceStatus::Paid => Some(paid.unwrap_or(ctx.today())),
            _ => None,
        };
        let inv = Invoice {
            id: orig.as_ref().map(|o| o.id).unwrap_or(0),
            vendor_id,
            vendor_name: vendor_text,
            number: self.val("number").to_string(),
            issue_date: issue,
            due_date: due,
            amount,
            status,
            paid_date,
            payment_ref: self.val("payment-ref").to_string(),
            document_path: self.val("document").to_string(),
            notes: lines_in(self.val("notes")),
        };
        Some(Record::Invoice(inv))
    }

    fn build_contact(&mut self) -> Option<Record> {
        let mut c = match &self.base {
            Some(Record::Contact(c)) => c.clone(),
            _ => Contact::default(),
        };
        c.name = self.val("name").to_string();
        c.organization = self.val("organization").to_string();
        c.title = self.val("title").to_string();
        c.emails = labeled_in(self.val("email"));
        c.phones = labeled_in(self.val("phone"));
        c.address = lines_in(self.val("address"));
        c.tags = Contact::parse_tags(self.val("tags"));
        c.notes = lines_in(self.val("notes"));
        let b = self.val("birthday").to_string();
        c.birthday = if b.is_empty() {
            None
        } else {
            match parse_birthday(&b) {
                Some(bd) => Some(bd),
                None => {
                    self.set_err("birthday", "use YYYY-MM-DD or MM-DD");
                    return None;
                }
            }
        };
        Some(Record::Contact(c))
    }

    fn build_event(&mut self, ctx: &Ctx) -> Option<Record> {
        let orig = match &self.base {
            Some(Record::Event(e)) => Some(e.clone()),
            _ => None,
        };
        // Every field is read, and shows its own error or reading, even when another field is
        // wrong (a bad zone does not hide the start's reading: it is read in the default zone).
        let zone = self.zone("tz", ctx.tz);
        let z = zone.unwrap_or(ctx.tz);
        let time = match self.when("start", ctx, z) {
            Some(Some(start)) => self.event_time(start, z, ctx),
            Some(None) => {
                self.set_err("start", "required");
                None
            }
            None => None,
        };
        let rem = self.val("reminder").to_string();
        let reminder = if rem.is_empty() || rem == "none" {
            Some(None)
        } else {
            match when::parse_duration(&rem) {
                Ok(d) => {
                    self.set_preview("reminder", format!("→ {} min before", d.num_minutes()));
                    Some(Some(d.num_minutes().clamp(0, u32::MAX as i64) as u32))
                }
                Err(e) => {
                    self.set_err("reminder", e.0);
                    None
                }
            }
        };
        let rr = self.val("rrule").trim_start_matches("RRULE:").to_string();
        let rrule = if rr.is_empty() {
            Some(None)
        } else {
            match crate::domain::recurrence::canonical(&rr) {
                Ok(rr) => {
                    self.set_preview(
                        "rrule",
                        format!("→ {}", crate::domain::recurrence::describe(&rr)),
                    );
                    Some(Some(rr))
                }
                Err(e) => {
                    self.set_err("rrule", e);
                    None
                }
            }
        };
        let attendees = self.fields.iter().any(|f| f.key == "attendees").then(|| {
            let old = orig
                .as_ref()
                .map(|e| e.attendees.clone())
                .unwrap_or_default();
            attendees_in(self.val("attendees"), &old, &self.picked)
        });
        if let Some(v) = attendees.as_ref().filter(|v| !v.is_empty()) {
            let linked = v.iter().filter(|a| a.contact_id.is_some()).count();
            self.set_preview(
                "attendees",
                format!("→ {} people, {linked} linked to contacts", v.len()),
            );
        }
        let (Some(_), Some(time), Some(reminder), Some(rrule)) = (zone, time, reminder, rrule)
        else {
            return None;
        };
        let mut ev = orig
            .clone()
            .unwrap_or_else(|| Event::new("", time.clone(), ctx.now));
        if self.original.is_some() {
            ev.touch(ctx.now);
        } else if ev.uid.is_empty() {
            ev.uid = crate::domain::event::new_uid(ctx.now);
        }
        ev.time = time;
        ev.title = self.val("title").to_string();
        ev.location = self.val("location").to_string();
        ev.category = self.val("category").parse::<EventCategory>().ok()?;
        ev.status = self.val("status").parse::<EventStatus>().ok()?;
        ev.reminder_minutes = reminder;
        ev.rrule = rrule;
        if let Some(rr) = &ev.rrule {
            // the rule must give occurrences from this start, in a form every client expands alike
            let local = crate::domain::recurrence::local_start(&ev);
            if let Err(e) = crate::domain::recurrence::check_series(rr, local, ev.time.is_all_day())
            {
                self.set_err("rrule", e);
                return None;
            }
        }
        if let Some(a) = attendees {
            ev.attendees = a;
        }
        ev.notes = lines_in(self.val("notes"));
        Some(Record::Event(ev))
    }

    /// The event's time from its start and the end field (a length, a date, a time alone on
    /// the start's day, or a date and time), with the end's reading or error shown.
    fn event_time(&mut self, start: When, zone: Tz, ctx: &Ctx) -> Option<EventTime> {
        let end_text = self.val("end").to_string();
        match start {
            When::Date(d) => {
                let end = if end_text.is_empty() {
                    d
                } else if let Ok(dur) = when::parse_duration(&end_text) {
                    d + Duration::days((dur.num_days() - 1).max(0))
                } else {
                    match when::parse_date(&end_text, d) {
                        Ok(e) => e,
                        Err(e) => {
                            self.set_err("end", e.0);
                            return None;
                        }
                    }
                };
                self.set_preview("end", end.format("→ all day until %a %-d %b").to_string());
                Some(EventTime::AllDay { start: d, end })
            }
            w => {
                let s = w.instant(zone, super::morning());
                let mut next_day = false;
                let e = if end_text.is_empty() {
                    s + Duration::hours(1)
                } else if let Ok(dur) = when::parse_duration(&end_text) {
                    s + dur
                } else {
                    use crate::domain::event::{EVENT_OVERNIGHT, end_after};
                    match end_after(&end_text, s, ctx.now, zone, EVENT_OVERNIGHT) {
                        Ok(e) => {
                            next_day = e.next_day;
                            e.at
                        }
                        Err(e) => {
                            self.set_err("end", e.0);
                            return None;
                        }
                    }
                };
                self.set_preview(
                    "end",
                    format!(
                        "→ {} ({} min{})",
                        e.with_timezone(&zone).format("%a %-d %b %H:%M %Z"),
                        (e - s).num_minutes(),
                        if next_day { ", ends next day" } else { "" }
                    ),
                );
                Some(EventTime::Timed {
                    start: s,
                    end: e,
                    tz: zone,
                })
            }
        }
    }

    /// An event form's start and length as typed now (title not needed): for free-slot search.
    /// None when the start does not parse; all-day events count as one hour.
    pub fn span(&self, ctx: &Ctx) -> Option<(DateTime<Utc>, Duration)> {
        let mut probe = self.clone();
        if probe.val("title").is_empty() {
            probe.set_text("title", "-");
        }
        probe.series = None;
        match probe.build_event(ctx)? {
            Record::Event(e) => match e.time {
                EventTime::Timed { start, end, .. } if end > start => Some((start, end - start)),
                t => Some((t.start_in(ctx.tz), Duration::hours(1))),
            },
            _ => None,
        }
    }

    /// The export/import effect of a transfer form, with previews and inline errors.
    pub fn transfer(&mut self, ctx: &Ctx) -> Option<Effect> {
        let path = self.val("path").to_string();
        let ext = match self.kind {
            FormKind::ExportIcs | FormKind::ImportIcs => ".ics",
            _ => ".vcf",
        };
        if path.is_empty() {
            self.set_err("path", "required");
        } else if path.ends_with('/') {
            self.set_err("path", "a file name, not a folder");
        } else if path.starts_with("~/") {
            self.set_preview("path", "~ is your home folder");
        } else if !path.to_ascii_lowercase().ends_with(ext) {
            self.set_preview("path", format!("note: not a {ext} name"));
        }
        match self.kind {
            FormKind::ExportIcs => {
                let from = self.date("from", ctx, when::Direction::Nearest)?;
                let to = self.date("to", ctx, when::Direction::Nearest)?;
                if let (Some(a), Some(b)) = (from, to)
                    && b < a
                {
                    self.set_err("to", "before the first day");
                    return None;
                }
                let yes = |v: &str| v.eq_ignore_ascii_case("yes");
                let travel = yes(self.val("travel"));
                let tasks = yes(self.val("tasks"));
                let profile = if self.val("for") == "calcurse" {
                    crate::ics::Profile::Calcurse
                } else {
                    crate::ics::Profile::Standard
                };
                if path.is_empty() || path.ends_with('/') {
                    return None;
                }
                let far = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
                let window = match (from, to) {
                    (None, None) => None,
                    (a, b) => Some((
                        crate::domain::event::local_midnight(a.unwrap_or(far(1)), ctx.tz),
                        crate::domain::event::local_midnight(
                            b.and_then(|d| d.succ_opt()).unwrap_or(far(9000)),
                            ctx.tz,
                        ),
                    )),
                };
                Some(Effect::ExportIcs {
                    window,
                    travel,
                    tasks,
                    path,
                    tz: ctx.tz,
                    profile,
                })
            }
            FormKind::ExportVcf => {
                let v3 = self.val("version") == "3.0";
                if path.is_empty() || path.ends_with('/') {
                    return None;
                }
                Some(Effect::ExportVcf { v3, path })
            }
            FormKind::ImportIcs | FormKind::ImportVcf => {
                if path.is_empty() || path.ends_with('/') {
                    return None;
                }
                let format = if self.kind == FormKind::ImportIcs {
                    super::FileFormat::Ics
                } else {
                    super::FileFormat::Vcf
                };
                Some(Effect::PreviewImport {
                    format,
                    path,
                    tz: ctx.tz,
                })
            }
            _ => None,
        }
    }

    fn build_trip(&mut self) -> Option<Record> {
        let mut t = match &self.base {
            Some(Record::Trip(t)) => t.clone(),
            _ => Trip {
                id: 0,
                name: String::new(),
                purpose: String::new(),
                notes: String::new(),
                segments: Vec::new(),
            },
        };
        t.name = self.val("name").to_string();
        t.purpose = self.val("purpose").to_string();
        t.notes = lines_in(self.val("notes"));
        Some(Record::Trip(t))
    }

    fn build_segment(&mut self, trip_id: i64, ctx: &Ctx) -> Option<Record> {
        // Every field is read and shows its own error or reading, even when another is wrong
        // (a bad zone is marked beside the zone; the times are still read, in the default).
        let dz_ok = self.zone("depart-tz", ctx.tz);
        let dz = dz_ok.unwrap_or(ctx.tz);
        let az_ok = self.zone("arrive-tz", dz);
        let az = az_ok.unwrap_or(dz);
        let depart = match self.when("depart", ctx, dz) {
            Some(Some(w)) => Some(w.instant(dz, super::morning())),
            Some(None) => {
                self.set_err("depart", "required");
                None
            }
            None => None,
        };
        if let Some(d) = depart {
            self.set_preview(
                "depart",
                format!("→ {}", d.with_timezone(&dz).format("%a %-d %b %H:%M %Z")),
            );
        }
        // an arrival time alone is on the departure's day (the next day when earlier: an
        // overnight flight), as `secretaire add segment --arrive` reads it
        let arrive_text = self.val("arrive").to_string();
        let arrive = if arrive_text.is_empty() {
            depart.map(Some)
        } else {
            let read = crate::domain::event::end_after(
                &arrive_text,
                depart.unwrap_or(ctx.now),
                ctx.now,
                az,
                crate::domain::event::Overnight::Always,
            );
            match read {
                Ok(crate::domain::event::EndAt { at: a, .. }) => {
                    self.set_preview(
                        "arrive",
                        format!("→ {}", a.with_timezone(&az).format("%a %-d %b %H:%M %Z")),
                    );
                    depart.map(|_| Some(a))
                }
                Err(e) => {
                    self.set_err("arrive", e.0);
                    None
                }
            }
        };
        let cost = self.money("cost", ctx);
        let (Some(dz), Some(az), Some(depart), Some(arrive), Some(cost)) =
            (dz_ok, az_ok, depart, arrive, cost)
        else {
            return None;
        };
        let arrive = arrive.unwrap_or(depart);
        let mut s = match &self.base {
            Some(Record::Segment(s)) => s.clone(),
            _ => Segment {
                id: 0,
                trip_id,
                uid: crate::domain::event::new_uid(ctx.now),
                kind: SegmentKind::Flight,
                provider: String::new(),
                number: String::new(),
                confirmation: String::new(),
                origin: String::new(),
                destination: String::new(),
                depart,
                depart_tz: dz,
                arrive,
                arrive_tz: az,
                seat: String::new(),
                cost: None,
                status: SegmentStatus::Booked,
                notes: String::new(),
            },
        };
        s.kind = self.val("kind").parse::<SegmentKind>().ok()?;
        s.status = self.val("status").parse::<SegmentStatus>().ok()?;
        s.provider = self.val("provider").to_string();
        s.number = self.val("number").to_string();
        s.confirmation = self.val("confirmation").to_string();
        s.origin = self.val("origin").to_string();
        s.destination = self.val("destination").to_string();
        s.depart = depart;
        s.depart_tz = dz;
        s.arrive = arrive;
        s.arrive_tz = az;
        s.seat = self.val("seat").to_string();
        s.cost = cost;
        s.notes = lines_in(self.val("notes"));
        Some(Record::Segment(s))
    }
}

/// The person being typed: the text after the last comma.
pub fn last_token(s: &str) -> &str {
    s.rsplit(',').next().unwrap_or("").trim()
}

fn attendees_out(v: &[crate::domain::event::Attendee]) -> String {
    v.iter()
        .map(|a| match (a.name.is_empty(), a.email.is_empty()) {
            (false, false) => format!("{} <{}>", a.name, a.email),
            (false, true) => a.name.clone(),
            _ => a.email.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Read the attendees field. A person already on the event keeps its contact link (matched by
/// e-mail, else name); a contact picked from the suggestions is linked by id; the rest are
/// linked on save by exact e-mail or exact name (`tui::effects`).
pub fn attendees_in(
    s: &str,
    old: &[crate::domain::event::Attendee],
    picked: &[(String, i64)],
) -> Vec<crate::domain::event::Attendee> {
    let mut out: Vec<crate::domain::event::Attendee> = Vec::new();
    for tok in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let (name, email) = match (tok.find('<'), tok.strip_suffix('>')) {
            (Some(i), Some(inner)) => (
                tok[..i].trim().to_string(),
                inner[i + 1..].trim().to_string(),
            ),
            _ if tok.contains('@') && !tok.contains(' ') => (String::new(), tok.to_string()),
            _ => (tok.to_string(), String::new()),
        };
        let same = |a: &crate::domain::event::Attendee| {
            if !email.is_empty() {
                a.email.eq_ignore_ascii_case(&email)
            } else {
                a.name.eq_ignore_ascii_case(&name)
            }
        };
        let mut a = match old.iter().find(|a| same(a)) {
            Some(prev) => prev.clone(),
            None => crate::domain::event::Attendee {
                contact_id: None,
                name: name.clone(),
                email: email.clone(),
            },
        };
        a.name = name.clone();
        if !email.is_empty() || a.name.is_empty() {
            a.email = email.clone();
        }
        if let Some((_, id)) = picked.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            a.contact_id = Some(*id);
        }
        if !out.iter().any(|x| {
            (!a.email.is_empty() && x.email.eq_ignore_ascii_case(&a.email))
                || (a.email.is_empty()
                    && x.email.is_empty()
                    && x.name.eq_ignore_ascii_case(&a.name))
        }) {
            out.push(a);
        }
    }
    out
}

fn parse_birthday(s: &str) -> Option<Birthday> {
    let t = s.trim().trim_start_matches("--");
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(Birthday {
            year: Some(d.year()),
            month: d.month(),
            day: d.day(),
        });
    }
    let (m, d) = t.split_once('-')?;
    let b = Birthday {
        year: None,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    };
    b.is_valid().then_some(b)
}

fn fields_for(kind: FormKind, r: Option<&Record>, ctx: &Ctx) -> Vec<Field> {
    use FieldKind as K;
    let f = Field::new;
    match (kind, r) {
        (FormKind::Task, r) => {
            let t = match r {
                Some(Record::Task(t)) => t.clone(),
                _ => Task::new("", ctx.now),
            };
            let due = match t.due {
                None => String::new(),
                Some(Due::Date(d)) => d.to_string(),
                Some(Due::At(a)) => fmt_local(a, ctx.tz),
            };
            let mut contact = f("contact", "Contact", K::Contact, t.contact_name.clone());
            contact.contact_id = t.contact_id;
            vec![
                f("subject", "Subject", K::Text, t.subject.clone()).req(),
                f("kind", "Kind", choice!(TaskKind), t.kind.to_string()),
                f(
                    "direction",
                    "Direction",
                    choice!(TaskDirection),
                    t.direction.to_string(),
                ),
                contact,
                f("due", "Due", K::When, due),
                f(
                    "priority",
                    "Priority",
                    choice!(Priority),
                    t.priority.to_string(),
                ),
                f(
                    "status",
                    "Status",
                    choice!(TaskStatus),
                    t.status.to_string(),
                ),
                f(
                    "delegated-to",
                    "Delegated to",
                    K::Text,
                    t.delegated_to.clone(),
                ),
                f("notes", "Notes", K::Lines, lines_out(&t.notes)),
            ]
        }
        (FormKind::Invoice, r) => {
            let i = match r {
                Some(Record::Invoice(i)) => Some(i.clone()),
                _ => None,
            };
            let g = |fun: &dyn Fn(&Invoice) -> String| i.as_ref().map(fun).unwrap_or_default();
            let mut vendor = f(
                "vendor",
                "Vendor",
                K::Contact,
                g(&|i| i.vendor_name.clone()),
            )
            .req();
            vendor.contact_id = i.as_ref().and_then(|i| i.vendor_id);
            vec![
                vendor,
                f("number", "Number", K::Text, g(&|i| i.number.clone())),
                f(
                    "issue",
                    "Issued",
                    K::Date,
                    i.as_ref()
                        .map(|i| i.issue_date.to_string())
                        .unwrap_or_else(|| "today".into()),
                ),
                f("due", "Due", K::Date, g(&|i| i.due_date.to_string())).req(),
                f("amount", "Amount", K::Money, g(&|i| i.amount.to_string())).req(),
                f(
                    "status",
                    "Status",
                    choice!(InvoiceStatus),
                    i.as_ref()
                        .map(|i| i.status.to_string())
                        .unwrap_or_else(|| "received".into()),
                ),
                f(
                    "paid-date",
                    "Paid on",
                    K::Date,
                    g(&|i| i.paid_date.map(|d| d.to_string()).unwrap_or_default()),
                ),
                f(
                    "payment-ref",
                    "Payment ref",
                    K::Text,
                    g(&|i| i.payment_ref.clone()),
                ),
                f(
                    "document",
                    "Document",
                    K::Text,
                    g(&|i| i.document_path.clone()),
                ),
                f("notes", "Notes", K::Lines, g(&|i| lines_out(&i.notes))),
            ]
        }
        (FormKind::Contact, r) => {
            let c = match r {
                Some(Record::Contact(c)) => c.clone(),
                _ => Contact::default(),
            };
            let bday = c
                .birthday
                .map(|b| match b.year {
                    Some(y) => format!("{y:04}-{:02}-{:02}", b.month, b.day),
                    None => format!("{:02}-{:02}", b.month, b.day),
                })
                .unwrap_or_default();
            vec![
                f("name", "Name", K::Text, c.name.clone()).req(),
                f(
                    "organization",
                    "Organization",
                    K::Text,
                    c.organization.clone(),
                ),
                f("title", "Title/role", K::Text, c.title.clone()),
                f("email", "E-mails", K::Text, labeled_out(&c.emails)),
                f("phone", "Phones", K::Text, labeled_out(&c.phones)),
                f("address", "Address", K::Lines, lines_out(&c.address)),
                f("tags", "Tags", K::Text, c.tags.join(", ")),
                f("birthday", "Birthday", K::Text, bday),
                f("notes", "Notes", K::Lines, lines_out(&c.notes)),
            ]
        }
        (FormKind::Event, r) => {
            let e = match r {
                Some(Record::Event(e)) => Some(e.clone()),
                _ => None,
            };
            let (start, end, tz) = match e.as_ref().map(|e| &e.time) {
                Some(EventTime::Timed { start, end, tz }) => (
                    fmt_local(*start, *tz),
                    fmt_local(*end, *tz),
                    tz.name().to_string(),
                ),
                Some(EventTime::AllDay { start, end }) => (
                    start.to_string(),
                    end.to_string(),
                    ctx.tz.name().to_string(),
                ),
                None => (String::new(), String::new(), ctx.tz.name().to_string()),
            };
            let g = |fun: &dyn Fn(&Event) -> String| e.as_ref().map(fun).unwrap_or_default();
            vec![
                f("title", "Title", K::Text, g(&|e| e.title.clone())).req(),
                f("start", "Start", K::When, start).req(),
                f("end", "End / length", K::Text, end),
                f("tz", "Time zone", K::Zone, tz),
                f("location", "Location", K::Text, g(&|e| e.location.clone())),
                f(
                    "attendees",
                    "Attendees",
                    K::Attendees,
                    g(&|e| attendees_out(&e.attendees)),
                ),
                f(
                    "category",
                    "Category",
                    choice!(EventCategory),
                    e.as_ref()
                        .map(|e| e.category.to_string())
                        .unwrap_or_else(|| "meeting".into()),
                ),
                f(
                    "status",
                    "Status",
                    choice!(EventStatus),
                    e.as_ref()
                        .map(|e| e.status.to_string())
                        .unwrap_or_else(|| "confirmed".into()),
                ),
                f(
                    "reminder",
                    "Reminder",
                    K::Text,
                    g(&|e| {
                        e.reminder_minutes
                            .map(|m| format!("{m}m"))
                            .unwrap_or_default()
                    }),
                ),
                f(
                    "rrule",
                    "Repeat (RRULE)",
                    K::Text,
                    g(&|e| e.rrule.clone().unwrap_or_default()),
                ),
                f("notes", "Notes", K::Lines, g(&|e| lines_out(&e.notes))),
            ]
        }
        (FormKind::ExportIcs, _) => {
            let today = ctx.today();
            let yes_no = || K::Choice(vec!["yes", "no"]);
            vec![
                f(
                    "from",
                    "From",
                    K::Date,
                    (today - Duration::days(30)).to_string(),
                ),
                f(
                    "to",
                    "To",
                    K::Date,
                    crate::domain::when::add_months(today, 12)
                        .unwrap_or(today + Duration::days(365))
                        .to_string(),
                ),
                f("travel", "Travel", yes_no(), "yes".into()),
                f("tasks", "Tasks (due)", yes_no(), "no".into()),
                f(
                    "for",
                    "For",
                    K::Choice(vec!["standard", "calcurse"]),
                    "standard".into(),
                ),
                f(
                    "path",
                    "Save to",
                    K::Text,
                    format!("~/secretaire-{today}.ics"),
                )
                .req(),
            ]
        }
        (FormKind::ExportVcf, _) => vec![
            f(
                "version",
                "vCard",
                K::Choice(vec!["4.0", "3.0"]),
                "4.0".into(),
            ),
            f(
                "path",
                "Save to",
                K::Text,
                format!("~/secretaire-contacts-{}.vcf", ctx.today()),
            )
            .req(),
        ],
        (FormKind::ImportIcs | FormKind::ImportVcf, _) => {
            vec![f("path", "File", K::Text, String::new()).req()]
        }
        (FormKind::Trip, r) => {
            let t = match r {
                Some(Record::Trip(t)) => Some(t.clone()),
                _ => None,
            };
            let g = |fun: &dyn Fn(&Trip) -> String| t.as_ref().map(fun).unwrap_or_default();
            vec![
                f("name", "Name", K::Text, g(&|t| t.name.clone())).req(),
                f("purpose", "Purpose", K::Text, g(&|t| t.purpose.clone())),
                f("notes", "Notes", K::Lines, g(&|t| lines_out(&t.notes))),
            ]
        }
        (FormKind::Segment(_), r) => {
            let s = match r {
                Some(Record::Segment(s)) => Some(s.clone()),
                _ => None,
            };
            let g = |fun: &dyn Fn(&Segment) -> String| s.as_ref().map(fun).unwrap_or_default();
            vec![
                f(
                    "kind",
                    "Kind",
                    choice!(SegmentKind),
                    s.as_ref()
                        .map(|s| s.kind.to_string())
                        .unwrap_or_else(|| "flight".into()),
                ),
                f("provider", "Provider", K::Text, g(&|s| s.provider.clone())),
                f("number", "Number", K::Text, g(&|s| s.number.clone())),
                f(
                    "confirmation",
                    "Confirmation",
                    K::Text,
                    g(&|s| s.confirmation.clone()),
                ),
                f("origin", "From", K::Text, g(&|s| s.origin.clone())),
                f(
                    "depart",
                    "Departs",
                    K::When,
                    g(&|s| fmt_local(s.depart, s.depart_tz)),
                )
                .req(),
                f(
                    "depart-tz",
                    "Depart zone",
                    K::Zone,
                    s.as_ref()
                        .map(|s| s.depart_tz.name().to_string())
                        .unwrap_or_else(|| ctx.tz.name().to_string()),
                ),
                f("destination", "To", K::Text, g(&|s| s.destination.clone())),
                f(
                    "arrive",
                    "Arrives",
                    K::When,
                    g(&|s| fmt_local(s.arrive, s.arrive_tz)),
                ),
                f(
                    "arrive-tz",
                    "Arrive zone",
                    K::Zone,
                    g(&|s| s.arrive_tz.name().to_string()),
                ),
                f("seat", "Seat/room", K::Text, g(&|s| s.seat.clone())),
                f(
                    "cost",
                    "Cost",
                    K::Money,
                    g(&|s| s.cost.map(|c| c.to_string()).unwrap_or_default()),
                ),
                f(
                    "status",
                    "Status",
                    choice!(SegmentStatus),
                    s.as_ref()
                        .map(|s| s.status.to_string())
                        .unwrap_or_else(|| "booked".into()),
                ),
                f("notes", "Notes", K::Lines, g(&|s| lines_out(&s.notes))),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Key;
    use chrono::TimeZone;

    fn ctx() -> Ctx {
        Ctx::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            chrono_tz::Europe::Stockholm,
            Currency::SEK,
        )
    }

    fn type_text(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.update(Action::Input(Key::ch(c)), &ctx());
        }
    }

    #[test]
    fn task_form_parses_due_live_and_saves() {
        let mut f = Form::new(FormKind::Task, None, &ctx());
        // pristine: no error shown yet, but cannot save
        assert!(f.fields[0].error.is_none());
        let (_, fx) = f.update(Action::Submit, &ctx());
        assert!(fx.is_empty());
        assert_eq!(f.fields[0].error.as_deref(), Some("required"));
        type_text(&mut f, "Reply to Anna");
        f.focus = 4;
        type_text(&mut f, "tomorrow 14:00");
        assert_eq!(
            f.fields[4].preview.as_deref(),
            Some("→ Tue 24 Nov 2026 14:00")
        );
        let (keep, fx) = f.update(Action::Submit, &ctx());
        assert!(keep);
        match &fx[..] {
            [
                Effect::Save {
                    record: Record::Task(t),
                    before: None,
                    ..
                },
            ] => {
                assert_eq!(t.subject, "Reply to Anna");
                assert_eq!(
                    t.due,
                    Some(Due::At(
                        Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0).unwrap()
                    ))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    /// Editing a task due Wed 2 Dec (a day, or a time that day): "15:00" is 15:00 on the 2nd,
    /// in the preview and the saved task, as `edit task --due 15:00` reads it; a new task's
    /// "15:00" is today.
    #[test]
    fn a_due_time_alone_keeps_the_edited_tasks_day() {
        let c = ctx();
        let tz = chrono_tz::Europe::Stockholm;
        let wed = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let at_wed_15 = tz
            .from_local_datetime(&wed.and_hms_opt(15, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc);
        for own in [Due::Date(wed), Due::At(at_wed_15 - Duration::hours(6))] {
            let mut t = Task::new("Call Anna", c.now);
            t.id = 7;
            t.due = Some(own);
            let mut f = Form::new(FormKind::Task, Some(Record::Task(t)), &c);
            f.set_text("due", "15:00");
            let built = f.build(&c);
            let due = f.fields.iter().find(|x| x.key == "due").unwrap();
            assert_eq!(
                due.preview.as_deref(),
                Some("→ Wed 2 Dec 2026 15:00"),
                "{own:?}"
            );
            let Some(Record::Task(t)) = built else {
                panic!("{:?}", f.fields)
            };
            assert_eq!(t.due, Some(Due::At(at_wed_15)), "{own:?}");
        }
        // a new task, and an edited one with no due: today
        let mut undated = Task::new("Call Anna", c.now);
        undated.id = 8;
        for original in [None, Some(Record::Task(undated))] {
            let mut f = Form::new(FormKind::Task, original, &c);
            f.set_text("subject", "Call Anna");
            f.set_text("due", "15:00");
            let Some(Record::Task(t)) = f.build(&c) else {
                panic!("{:?}", f.fields)
            };
            let due = f.fields.iter().find(|x| x.key == "due").unwrap();
            assert_eq!(due.preview.as_deref(), Some("→ Mon 23 Nov 2026 15:00"));
            assert_eq!(
                t.due.map(|d| d.date_in(tz)),
                NaiveDate::from_ymd_opt(2026, 11, 23)
            );
        }
    }

    #[test]
    fn bad_date_is_shown_next_to_its_field() {
        let mut f = Form::new(FormKind::Task, None, &ctx());
        type_text(&mut f, "x");
        f.focus = 4;
        type_text(&mut f, "31 feb 2027");
        assert!(f.fields[4].error.as_deref().unwrap_or("").contains("feb"));
        assert!(f.update(Action::Submit, &ctx()).1.is_empty());
        assert_eq!(f.focus, 4);
    }

    #[test]
    fn invoice_amount_defaults_currency_and_validation_maps_fields() {
        let mut f = Form::new(FormKind::Invoice, None, &ctx());
        type_text(&mut f, "Telia");
        f.focus = 3;
        type_text(&mut f, "2026-11-01"); // due before issue (today)
        f.focus = 4;
        type_text(&mut f, "1249,50");
        assert_eq!(f.fields[4].preview.as_deref(), Some("→ 1 249.50 SEK"));
        assert!(f.update(Action::Submit, &ctx()).1.is_empty());
        assert_eq!(
            f.fields[3].error.as_deref(),
            Some("is before the issue date")
        );
    }

    /// On Monday 23 Nov 2026 an invoice issued and paid "20 nov" was this month, not next
    /// year; it is due "1 dec" this year; a payment date after today is refused.
    #[test]
    fn invoice_dates_lean_the_right_way() {
        let mut f = Form::new(FormKind::Invoice, None, &ctx());
        f.set_text("vendor", "Telia");
        f.set_text("issue", "20 nov");
        f.set_text("due", "1 dec");
        f.set_text("amount", "100");
        f.set_text("status", "paid");
        f.set_text("paid-date", "fri");
        let Some(Record::Invoice(i)) = f.build(&ctx()) else {
            panic!("{:?}", f.fields)
        };
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(
            (i.issue_date, i.due_date, i.paid_date),
            (d(11, 20), d(12, 1), Some(d(11, 20)))
        );
        f.set_text("paid-date", "2026-11-24");
        assert!(f.build(&ctx()).is_none());
        let paid = f.fields.iter().find(|x| x.key == "paid-date").unwrap();
        assert!(
            paid.error
                .as_deref()
                .unwrap_or("")
                .contains("in the future")
        );
    }

    #[test]
    fn choice_cycles_and_esc_asks_when_edited() {
        let mut f = Form::new(FormKind::Task, None, &ctx());
        f.focus = 5;
        f.update(Action::PickNext, &ctx());
        assert_eq!(f.fields[5].text(), "low");
        assert!(f.dirty);
        let (keep, _) = f.update(Action::Close, &ctx());
        assert!(keep && f.confirm_discard);
        let (keep, _) = f.update(Action::No, &ctx());
        assert!(keep && !f.confirm_discard);
        f.update(Action::Close, &ctx());
        let (keep, _) = f.update(Action::Yes, &ctx());
        assert!(!keep);
        let mut clean = Form::new(FormKind::Contact, None, &ctx());
        assert!(!clean.update(Action::Close, &ctx()).0);
    }

    #[test]
    fn event_form_builds_timed_and_all_day() {
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Board");
        f.focus = 1;
        type_text(&mut f, "fri 14:00");
        f.focus = 2;
        type_text(&mut f, "90m");
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Event(e),
            ..
        }) = fx.first()
        else {
            panic!("{fx:?}")
        };
        assert_eq!(
            e.time,
            EventTime::Timed {
                start: Utc.with_ymd_and_hms(2026, 11, 27, 13, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 11, 27, 14, 30, 0).unwrap(),
                tz: chrono_tz::Europe::Stockholm
            }
        );
        assert!(!e.uid.is_empty());
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Offsite");
        f.focus = 1;
        type_text(&mut f, "1 dec");
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Event(e),
            ..
        }) = fx.first()
        else {
            panic!("{fx:?}")
        };
        assert!(e.time.is_all_day());
    }

    /// The CLI's rule for an end time before the start (`domain::event::end_after`): the next
    /// day within 12 hours, said in the preview; longer is refused with the words to use.
    #[test]
    fn event_form_end_time_before_the_start() {
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Dinner");
        f.focus = 1;
        type_text(&mut f, "fri 22:00");
        f.focus = 2;
        type_text(&mut f, "01:30");
        f.update(Action::Submit, &ctx());
        assert_eq!(
            f.fields[2].preview.as_deref(),
            Some("→ Sat 28 Nov 01:30 CET (210 min, ends next day)")
        );
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Board");
        f.focus = 1;
        type_text(&mut f, "fri 10:00");
        f.focus = 2;
        type_text(&mut f, "09:00");
        let (_, fx) = f.update(Action::Submit, &ctx());
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(
            f.fields[2].error.as_deref(),
            Some("09:00 is before the start 10:00 (write 'sat 09:00' for an event past midnight)")
        );
    }

    /// A task whose contact was deleted keeps the name (schema v5): saving it again is fine.
    #[test]
    fn a_task_keeps_a_deleted_contacts_name_on_save() {
        let mut t = Task::new("Call Telia", ctx().now);
        t.id = 4;
        t.contact_name = "Telia AB".into();
        let mut f = Form::new(FormKind::Task, Some(Record::Task(t)), &ctx());
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Task(saved),
            ..
        }) = fx.first()
        else {
            panic!("{fx:?} {:?}", f.fields.iter().find_map(|x| x.error.clone()))
        };
        assert_eq!(
            (saved.contact_id, saved.contact_name.as_str()),
            (None, "Telia AB")
        );
    }

    #[test]
    fn an_event_form_saves_the_rule_in_its_canonical_spelling() {
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Standup");
        fill(&mut f, "start", "fri 14:00");
        fill(&mut f, "rrule", "byday=fr;freq=weekly;count=3");
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Event(e),
            ..
        }) = fx.first()
        else {
            panic!("{fx:?}")
        };
        assert_eq!(e.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=FR;COUNT=3"));
    }

    #[test]
    fn a_prefilled_draft_keeps_data_without_a_field() {
        let start = Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap();
        let mut e = Event::new(
            "Lunch",
            EventTime::Timed {
                start,
                end: start + Duration::hours(1),
                tz: chrono_tz::Europe::Stockholm,
            },
            ctx().now,
        );
        e.attendees.push(crate::domain::Attendee {
            contact_id: Some(4),
            name: "Anna".into(),
            email: String::new(),
        });
        let mut f = Form::new_prefilled(FormKind::Event, Some(Record::Event(e)), &ctx());
        assert!(f.original.is_none());
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Event(saved),
            before: None,
            ..
        }) = fx.first()
        else {
            panic!("{fx:?}")
        };
        assert_eq!(saved.attendees.len(), 1);
        assert_eq!(saved.sequence, 0, "a new event is not an edit");
        assert!(!saved.uid.is_empty());
    }

    #[test]
    fn repeat_rule_is_described_or_refused_live() {
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Sync");
        f.focus = 1;
        type_text(&mut f, "mon 9:00");
        f.focus = 9;
        type_text(&mut f, "FREQ=WEEKLY;BYDAY=MO");
        assert!(
            f.fields[9]
                .preview
                .as_deref()
                .unwrap_or("")
                .starts_with("→ every")
        );
        type_text(&mut f, ";BYDAY=XX");
        assert!(f.fields[9].error.is_some());
    }

    #[test]
    fn attendees_field_reads_names_emails_and_keeps_links() {
        use crate::domain::event::Attendee;
        let old = vec![Attendee {
            contact_id: Some(7),
            name: "Anna Berg".into(),
            email: "anna@berg.se".into(),
        }];
        let v = attendees_in(
            "Anna Berg <anna@berg.se>, nils@holm.se, Telia, , telia, Eva",
            &old,
            &[("Eva".to_string(), 9)],
        );
        assert_eq!(v.len(), 4, "{v:?}");
        assert_eq!(v[0], old[0]);
        assert_eq!(
            (v[1].name.as_str(), v[1].email.as_str()),
            ("", "nils@holm.se")
        );
        assert_eq!((v[2].name.as_str(), v[2].contact_id), ("Telia", None));
        assert_eq!(v[3].contact_id, Some(9), "picked from the suggestions");
        assert_eq!(
            attendees_out(&v),
            "Anna Berg <anna@berg.se>, nils@holm.se, Telia, Eva"
        );
        assert_eq!(last_token("Anna, Ev"), "Ev");
    }

    #[test]
    fn attendee_suggestions_replace_only_the_last_name() {
        let mut f = Form::new(FormKind::Event, None, &ctx());
        f.focus = f.fields.iter().position(|x| x.key == "attendees").unwrap();
        type_text(&mut f, "nils@holm.se, an");
        f.set_suggestions("an", vec![(3, "Anna Berg".into()), (4, "Anders".into())]);
        assert_eq!(f.suggestions.len(), 2);
        f.update(Action::PickNext, &ctx());
        f.update(Action::PickNext, &ctx());
        assert_eq!(f.focused().unwrap().text(), "nils@holm.se, Anders");
        assert_eq!(
            f.picked,
            vec![("Anna Berg".to_string(), 3), ("Anders".to_string(), 4)]
        );
        // a stale answer for another query is ignored
        f.set_suggestions("zz", vec![(5, "Zed".into())]);
        assert_eq!(f.suggestions.len(), 2);
    }

    fn field<'a>(f: &'a Form, key: &str) -> &'a Field {
        f.fields.iter().find(|x| x.key == key).unwrap()
    }
    fn fill(f: &mut Form, key: &str, text: &str) {
        f.focus = f.fields.iter().position(|x| x.key == key).unwrap();
        f.fields[f.focus].input.set("");
        type_text(f, text);
    }

    #[test]
    fn an_arrival_time_alone_is_on_the_departure_day_like_the_cli() {
        let mut f = Form::new(FormKind::Segment(1), None, &ctx());
        fill(&mut f, "depart", "2026-12-04 07:10");
        fill(&mut f, "arrive-tz", "Europe/London");
        fill(&mut f, "arrive", "09:45");
        assert_eq!(
            field(&f, "arrive").preview.as_deref(),
            Some("→ Fri 4 Dec 09:45 GMT"),
            "the departure's day, not today"
        );
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Segment(s),
            ..
        }) = fx.first()
        else {
            panic!("{fx:?}")
        };
        assert_eq!(
            s.arrive,
            Utc.with_ymd_and_hms(2026, 12, 4, 9, 45, 0).unwrap()
        );
        // the same rule as the CLI's --arrive: earlier than the departure is the next day
        fill(&mut f, "depart", "2026-12-04 22:30");
        fill(&mut f, "arrive", "06:05");
        assert_eq!(
            field(&f, "arrive").preview.as_deref(),
            Some("→ Sat 5 Dec 06:05 GMT")
        );
        let dep = Utc.with_ymd_and_hms(2026, 12, 4, 21, 30, 0).unwrap();
        assert_eq!(
            crate::domain::event::end_after(
                "06:05",
                dep,
                ctx().now,
                chrono_tz::Europe::London,
                crate::domain::event::Overnight::Always
            )
            .unwrap()
            .at,
            Utc.with_ymd_and_hms(2026, 12, 5, 6, 5, 0).unwrap()
        );
    }

    #[test]
    fn each_segment_field_shows_its_own_error_and_the_others_keep_their_readings() {
        let mut f = Form::new(FormKind::Segment(1), None, &ctx());
        fill(&mut f, "depart", "fri 07:10");
        fill(&mut f, "depart-tz", "Mars/Olympus");
        fill(&mut f, "arrive", "fri 09:00");
        fill(&mut f, "cost", "12 parsecs");
        assert!(
            field(&f, "depart-tz").error.is_some(),
            "the zone says what is wrong"
        );
        assert!(field(&f, "cost").error.is_some());
        assert_eq!(
            field(&f, "depart").preview.as_deref(),
            Some("→ Fri 27 Nov 07:10 CET"),
            "read in the default zone meanwhile"
        );
        assert!(field(&f, "arrive").preview.is_some());
        assert!(
            f.update(Action::Submit, &ctx()).1.is_empty(),
            "nothing saved"
        );
        assert_eq!(
            f.focused().unwrap().key,
            "depart-tz",
            "the first wrong field"
        );
        // the event form too: a bad zone keeps the start's and end's readings
        let mut f = Form::new(FormKind::Event, None, &ctx());
        type_text(&mut f, "Board");
        fill(&mut f, "start", "fri 16:00");
        fill(&mut f, "end", "17:30");
        fill(&mut f, "tz", "Nowhere/Land");
        assert!(field(&f, "tz").error.is_some());
        assert_eq!(
            field(&f, "start").preview.as_deref(),
            Some("→ Fri 27 Nov 2026 16:00")
        );
        assert!(
            field(&f, "end")
                .preview
                .as_deref()
                .unwrap_or("")
                .contains("(90 min)"),
            "{:?}",
            field(&f, "end")
        );
        fill(&mut f, "reminder", "soon");
        fill(&mut f, "rrule", "FREQ=SOMETIMES");
        assert!(field(&f, "reminder").error.is_some() && field(&f, "rrule").error.is_some());
        assert!(field(&f, "end").preview.is_some(), "still read");
    }

    #[test]
    fn a_new_start_moves_an_end_never_typed_keeping_the_length() {
        let start = Utc.with_ymd_and_hms(2026, 9, 14, 7, 0, 0).unwrap(); // 09:00 Stockholm
        let mut e = Event::new(
            "Staff",
            EventTime::Timed {
                start,
                end: start + Duration::minutes(45),
                tz: chrono_tz::Europe::Stockholm,
            },
            start,
        );
        e.id = 4;
        let mut f = Form::new(FormKind::Event, Some(Record::Event(e)), &ctx());
        assert_eq!(field(&f, "end").text(), "2026-09-14 09:45");
        fill(&mut f, "start", "2026-09-14 10:00");
        assert_eq!(field(&f, "end").text(), "2026-09-14 10:45");
        let end = field(&f, "end").preview.clone().unwrap_or_default();
        assert!(end.contains("(45 min)"), "{end}");
        // an end the user typed stays where they put it
        fill(&mut f, "end", "2026-09-14 12:00");
        fill(&mut f, "start", "2026-09-14 11:00");
        assert_eq!(field(&f, "end").text(), "2026-09-14 12:00");
        // an all-day event keeps its days
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let mut e = Event::new(
            "Forum",
            EventTime::AllDay {
                start: d,
                end: d + Duration::days(2),
            },
            start,
        );
        e.id = 5;
        let mut f = Form::new(FormKind::Event, Some(Record::Event(e)), &ctx());
        fill(&mut f, "start", "2026-12-01");
        assert_eq!(field(&f, "end").text(), "2026-12-03");
        // a length in the end field already counts from the start
        fill(&mut f, "end", "1h");
        fill(&mut f, "start", "2026-12-02 10:00");
        assert_eq!(field(&f, "end").text(), "1h");
    }

    #[test]
    fn contact_field_needs_a_pick() {
        let mut f = Form::new(FormKind::Task, None, &ctx());
        type_text(&mut f, "Call");
        f.focus = 3;
        let (_, fx) = f.update(Action::Input(Key::ch('a')), &ctx());
        assert_eq!(fx, vec![Effect::SuggestContacts("a".into())]);
        f.set_suggestions("a", vec![(7, "Anna Berg".into()), (8, "Axel".into())]);
        assert!(f.update(Action::Submit, &ctx()).1.is_empty());
        assert!(f.fields[3].error.is_some());
        f.update(Action::PickNext, &ctx());
        assert_eq!(f.fields[3].text(), "Anna Berg");
        let (_, fx) = f.update(Action::Submit, &ctx());
        let Some(Effect::Save {
            record: Record::Task(t),
            ..
        }) = fx.first()
        else {
            panic!("{fx:?}")
        };
        assert_eq!(t.contact_id, Some(7));
    }
}
