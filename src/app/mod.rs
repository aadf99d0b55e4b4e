//! The UI state machine: `App` state, `Action`s in, `Effect`s out. PURE: no terminal, no
//! database, no clock (the time comes in with `Action::Tick`). `update` is where most UI
//! behaviour lives and is tested without a terminal.
pub mod capture;
pub mod contacts;
pub mod form;
pub mod input;
pub mod invoices;
pub mod keymap;
pub mod paged;
pub mod schedule;
pub mod tasks;
pub mod today;
pub mod travel;

use crate::config::Config;
use crate::domain::{
    Contact, Currency, Event, Invoice, InvoiceStatus, Kind, Segment, Task, TaskStatus, Trip,
};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use form::{Form, FormKind};
use input::LineInput;
use keymap::{Key, Keymap};

/// The panes, in tab order. Closed: one module each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Today,
    Schedule,
    Travel,
    Contacts,
    Invoices,
    Tasks,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Today,
        Pane::Schedule,
        Pane::Travel,
        Pane::Contacts,
        Pane::Invoices,
        Pane::Tasks,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Pane::Today => "Today",
            Pane::Schedule => "Schedule",
            Pane::Travel => "Travel",
            Pane::Contacts => "Contacts",
            Pane::Invoices => "Invoices",
            Pane::Tasks => "Tasks",
        }
    }
    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// Any stored record, as effects save it and undo restores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Event(Event),
    Trip(Trip),
    Segment(Segment),
    Contact(Contact),
    Invoice(Invoice),
    Task(Task),
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Event(_) => Kind::Event,
            Record::Trip(_) => Kind::Trip,
            Record::Segment(_) => Kind::Segment,
            Record::Contact(_) => Kind::Contact,
            Record::Invoice(_) => Kind::Invoice,
            Record::Task(_) => Kind::Task,
        }
    }
    pub fn id(&self) -> i64 {
        match self {
            Record::Event(x) => x.id,
            Record::Trip(x) => x.id,
            Record::Segment(x) => x.id,
            Record::Contact(x) => x.id,
            Record::Invoice(x) => x.id,
            Record::Task(x) => x.id,
        }
    }
    pub fn set_id(&mut self, id: i64) {
        match self {
            Record::Event(x) => x.id = id,
            Record::Trip(x) => x.id = id,
            Record::Segment(x) => x.id = id,
            Record::Contact(x) => x.id = id,
            Record::Invoice(x) => x.id = id,
            Record::Task(x) => x.id = id,
        }
    }
    /// A short human name: "task 'Reply to Anna'".
    pub fn label(&self) -> String {
        let (k, t) = match self {
            Record::Event(x) => ("event", x.title.clone()),
            Record::Trip(x) => ("trip", x.name.clone()),
            Record::Segment(x) => (
                "segment",
                format!("{} {} {}→{}", x.kind, x.number, x.origin, x.destination),
            ),
            Record::Contact(x) => ("contact", x.name.clone()),
            Record::Invoice(x) => ("invoice", format!("{} {}", x.vendor_name, x.number)),
            Record::Task(x) => ("task", x.subject.clone()),
        };
        // at most 40 columns, cut with an ellipsis (by display width: 会議 is four)
        let t = crate::ui::trunc(&crate::ui::sanitize(t.trim()), 40);
        format!("{k} '{t}'")
    }
}

pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Event => "event",
        Kind::Trip => "trip",
        Kind::Segment => "segment",
        Kind::Contact => "contact",
        Kind::Invoice => "invoice",
        Kind::Task => "task",
    }
}

/// Everything a delete changed, read in the delete's own transaction, so undo puts ALL of it
/// back: the record (a trip with its segments, an event with its attendees), the rows that went
/// with it, and the links the foreign keys cleared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub record: Record,
    /// Rows deleted with it: the changed occurrences (overrides) of a deleted series.
    pub also: Vec<Record>,
    /// A deleted contact's tasks, invoices and attendee links.
    pub links: Option<crate::store::ContactLinks>,
}

impl Removed {
    pub fn of(record: Record) -> Removed {
        Removed {
            record,
            also: Vec::new(),
            links: None,
        }
    }
}

/// What undo puts back. Undo changes only what the step changed, over the rows as they are
/// now: a change another process made since is never undone (see `Store::revert`).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoEntry {
    /// An update: the row just before it and as written. Undo puts back the fields that
    /// differ between the two, leaving any changed elsewhere since.
    Restore {
        before: Record,
        after: Record,
        label: String,
    },
    /// An insert (the record as written): delete it again, unless it was changed elsewhere
    /// since.
    Remove { record: Record, label: String },
    /// A delete: insert it (and what went with it) again with the same ids, and relink.
    Reinsert {
        removed: Box<Removed>,
        label: String,
    },
    /// A change of several events at once (one occurrence of a series): undone together.
    Events {
        /// Updated or deleted events as they were before.
        before: Vec<Event>,
        /// The updated ones as written (a `before` without one here was deleted).
        after: Vec<Event>,
        /// Events the change inserted, as written.
        inserted: Vec<Event>,
        label: String,
    },
}

impl UndoEntry {
    pub fn label(&self) -> &str {
        match self {
            UndoEntry::Restore { label, .. }
            | UndoEntry::Remove { label, .. }
            | UndoEntry::Reinsert { label, .. }
            | UndoEntry::Events { label, .. } => label,
        }
    }
}

/// Undo keeps this many steps.
pub const UNDO_DEPTH: usize = 100;

/// A search result (any kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    pub detail: String,
}

/// Invoice totals per status and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub status: InvoiceStatus,
    pub sum: crate::domain::Money,
    pub count: u64,
}

/// Numbers the tab bar shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub overdue_tasks: u64,
    pub invoices_due: u64,
    pub trips_soon: u64,
}

/// What a contact's detail view shows besides the contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactExtra {
    pub contact_id: i64,
    pub tasks: Vec<Task>,
    pub invoices: Vec<Invoice>,
    pub meetings: Vec<Event>,
}

/// Task ordering in the Tasks pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskSort {
    Due,
    Priority,
    Kind,
}

/// A query an effect runs; panes ask only for what they show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    Today {
        day: NaiveDate,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: Tz,
    },
    Schedule {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        search: Option<String>,
        /// At most this many events (None: the whole window: the month view counts every day).
        limit: Option<u32>,
    },
    /// Events whose reminders may fire in `[from, to)`.
    Reminders {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: Tz,
    },
    /// A page of trips: upcoming at `now` (or past ones).
    Travel {
        now: DateTime<Utc>,
        past: bool,
        search: Option<String>,
        offset: u32,
        limit: u32,
    },
    Contacts {
        search: Option<String>,
        offset: u32,
        limit: u32,
    },
    ContactDetail {
        id: i64,
        name: String,
        from: DateTime<Utc>,
    },
    Invoices {
        search: Option<String>,
        offset: u32,
        limit: u32,
        open_only: bool,
    },
    Tasks {
        search: Option<String>,
        offset: u32,
        limit: u32,
        sort: TaskSort,
        show_done: bool,
        /// Only the overdue ones, as of this instant in this zone (Today's rule).
        overdue: Option<(DateTime<Utc>, Tz)>,
    },
}

/// What a [`Load`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Today(today::TodayData),
    Schedule {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        search: Option<String>,
        events: Vec<Event>,
        /// Travel in the window (shown in the agenda, checked for overlaps).
        segments: Vec<Segment>,
        /// Rows that could not be read (damaged by another tool) and are left out.
        skipped: u64,
    },
    Reminders {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        events: Vec<Event>,
        skipped: u64,
        /// The reminders answered (dismissed or snoozed) kept in the database, by this screen
        /// or another.
        answers: Vec<crate::domain::event::ReminderAnswer>,
    },
    Travel {
        search: Option<String>,
        past: bool,
        offset: u32,
        trips: Vec<Trip>,
        total: u64,
        /// Rows that could not be read (damaged by another tool) and are left out.
        skipped: u64,
    },
    Contacts {
        search: Option<String>,
        offset: u32,
        rows: Vec<Contact>,
        total: u64,
        skipped: u64,
    },
    ContactDetail(ContactExtra),
    Invoices {
        search: Option<String>,
        offset: u32,
        rows: Vec<Invoice>,
        totals: Vec<Total>,
        total: u64,
        /// Rows of this page that could not be read.
        skipped: u64,
        /// Invoices known to be unreadable (this page's, or left out of the totals).
        unreadable: u64,
    },
    Tasks {
        search: Option<String>,
        offset: u32,
        rows: Vec<Task>,
        total: u64,
        skipped: u64,
    },
}

/// A file format the TUI exports and imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Ics,
    Vcf,
}

/// What an import read from its file (kept so the confirmed import writes exactly what the
/// preview showed).
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Ics(crate::ics::ParseReport),
    Vcf(crate::vcard::ImportReport),
}

/// A dry run of an import, shown before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPreview {
    /// The path as typed (for messages).
    pub path: String,
    pub incoming: Incoming,
    /// "would import 3, update 1, unchanged 0, skipped 1".
    pub headline: String,
    /// Skip reasons with line numbers, then the first titles.
    pub lines: Vec<String>,
    /// Nothing to write: confirming only closes.
    pub empty: bool,
    pub scroll: u16,
}

/// Data the shell is asked to act on. The only way `update` touches the world.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Load(Load),
    /// Insert (id 0) or update; `before` is the undo image (None for an insert).
    Save {
        record: Record,
        before: Option<Record>,
        label: String,
    },
    Delete {
        kind: Kind,
        id: i64,
        label: String,
    },
    /// Insert a quick-capture record, linking `contact` (a name as typed) when exactly one
    /// contact has that name.
    SaveCapture {
        record: Record,
        contact: Option<String>,
        label: String,
    },
    Undo(UndoEntry),
    /// Apply a series edit (update/insert/delete events) in one transaction; `before` holds
    /// the events it updates or deletes as the UI loaded them (the undo images are read again
    /// in the write's own transaction, so a change made elsewhere meanwhile is not undone).
    Series {
        change: crate::domain::schedule::SeriesChange,
        before: Vec<Event>,
        label: String,
    },
    /// Fetch a record to show it.
    Open {
        kind: Kind,
        id: i64,
    },
    Search(String),
    SuggestContacts(String),
    /// Poll the database's data_version.
    CheckData,
    /// Export events (overlapping `window`, None: all) and optionally travel and tasks as .ics.
    ExportIcs {
        window: Option<(DateTime<Utc>, DateTime<Utc>)>,
        travel: bool,
        tasks: bool,
        path: String,
        /// The zone days (task due dates, floating times) are read in.
        tz: Tz,
        /// Which client the file is for (the calcurse profile detaches overrides).
        profile: crate::ics::Profile,
    },
    /// Export every contact as vCard 4.0 (or 3.0).
    ExportVcf {
        v3: bool,
        path: String,
    },
    /// Read a file and dry-run its import: answers with a preview.
    PreviewImport {
        format: FileFormat,
        path: String,
        /// The zone for floating times in the file.
        tz: Tz,
    },
    /// Write a previewed import, in one transaction.
    Import(Box<ImportPreview>),
    /// Find free slots of `duration` in working hours from `from` (14 days), honouring every
    /// event occurrence and travel; `exclude` is the event being edited.
    FindSlots {
        from: DateTime<Utc>,
        duration: Duration,
        hours: crate::domain::schedule::WorkHours,
        tz: Tz,
        exclude: Option<i64>,
    },
    /// Order tasks' due days in this zone (`Store::use_zone`: re-keys them when the database
    /// keyed them in another).
    UseZone(Tz),
    /// Keep a reminder's answer (dismissed or snoozed) in the database, so a restart or another
    /// screen on the file does not show it again.
    AnswerReminder(crate::domain::event::ReminderAnswer),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    Bell,
}

/// Everything that can happen to the app: keys (through the keymap) and effect results.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    Help,
    ShowPane(Pane),
    NextPane,
    PrevPane,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Add,
    Edit,
    /// Edit one occurrence of a repeating event (an override), not the series.
    EditOne,
    /// Edit this and the following occurrences (split the series).
    EditFollowing,
    Delete,
    Undo,
    Filter,
    Search,
    Capture,
    Done,
    Snooze,
    Waiting,
    Delegate,
    Paid,
    CycleStatus,
    /// Cancel an invoice (asks first).
    CancelInvoice,
    /// Every invoice total (per status and currency) in a popup.
    Totals,
    Sort,
    ToggleDone,
    /// Tasks: only the overdue ones, or all.
    ToggleOverdue,
    CycleView,
    GoToday,
    Prev,
    Next,
    Copy,
    AddSegment,
    /// Propose free slots for the event in the form.
    FreeSlots,
    /// Export this pane's records to a file (a form first).
    Export,
    /// Import a file into this pane (a form, then a preview).
    Import,
    Close,
    Submit,
    NextField,
    PrevField,
    PickNext,
    PickPrev,
    Yes,
    No,
    /// The reminder strip's answers.
    ReminderSnooze,
    ReminderDismiss,
    /// A key typed into a text field.
    Input(Key),
    /// Text pasted into a text field (bracketed paste).
    Paste(String),
    /// The clock moved (the loop sends this about twice a second).
    Tick(DateTime<Utc>),
    Loaded(Loaded),
    Saved {
        record: Record,
        before: Option<Record>,
        label: String,
    },
    Deleted {
        removed: Box<Removed>,
        label: String,
    },
    /// The last undo step was written: it leaves the undo list. `kept` names the fields it
    /// left alone because another process changed them after the step.
    Undone {
        label: String,
        kept: Vec<String>,
    },
    /// An undo could not be written. A passing problem (a busy database, IO) keeps the step
    /// to try again (`keep`); one that cannot go away (the record was deleted elsewhere)
    /// drops it, so the next undo reaches the step before.
    UndoFailed {
        label: String,
        error: String,
        keep: bool,
    },
    /// A series edit was written: the events as they were, as written, and the new ones.
    SeriesApplied {
        before: Vec<Event>,
        after: Vec<Event>,
        inserted: Vec<Event>,
        label: String,
    },
    Opened(Record),
    SearchResults {
        query: String,
        hits: Vec<Hit>,
    },
    Suggestions {
        query: String,
        contacts: Vec<(i64, String)>,
    },
    DataVersion(i64),
    /// A file was written: the status line says what and where.
    Exported {
        text: String,
    },
    ImportPreviewed(Box<ImportPreview>),
    /// Free slots found for the event form (start, end), soonest first.
    Slots(Vec<(DateTime<Utc>, DateTime<Utc>)>),
    Imported {
        text: String,
    },
    Failed {
        what: String,
        error: String,
    },
    /// A read gave up because another process held the database: shown as it was, tried again
    /// on the next refresh.
    Busy {
        what: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub at: DateTime<Utc>,
}

/// A one-line prompt: its purpose decides what Enter does.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptPurpose {
    Filter(Pane),
    Snooze(Box<Task>),
    Delegate(Box<Task>),
    Search,
    Capture,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub purpose: PromptPurpose,
    pub input: LineInput,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// Live reading of the input (snooze date, quick capture).
    pub preview: Vec<String>,
    pub error: Option<String>,
    /// The prefilled text is replaced by the first character typed (like a selected field).
    pub fresh: bool,
    /// Ready answers (snooze: tomorrow, next Monday, in a week): the words they stand for and
    /// what those mean now. `1`..`n` or ↓/↑ pick one, Enter takes it.
    pub choices: Vec<(String, String)>,
}

impl Prompt {
    pub fn new(purpose: PromptPurpose, text: &str) -> Prompt {
        Prompt {
            purpose,
            input: LineInput::new(text),
            hits: Vec::new(),
            selected: 0,
            preview: Vec::new(),
            error: None,
            fresh: !text.is_empty(),
            choices: Vec::new(),
        }
    }
    /// The choice the input stands for: its number ("2") or its words ("next mon").
    pub fn choice(&self) -> Option<usize> {
        let t = self.input.text().trim();
        if let Ok(n) = t.parse::<usize>() {
            return (1..=self.choices.len()).contains(&n).then(|| n - 1);
        }
        self.choices
            .iter()
            .position(|(w, _)| w.eq_ignore_ascii_case(t))
    }
    pub fn title(&self) -> String {
        match &self.purpose {
            PromptPurpose::Filter(p) => format!("Filter {}", p.title()),
            PromptPurpose::Snooze(_) => "Snooze until".into(),
            PromptPurpose::Delegate(_) => "Delegate to".into(),
            PromptPurpose::Search => "Search everything".into(),
            PromptPurpose::Capture => "Quick capture".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub record: Record,
    pub extra: Option<ContactExtra>,
    pub scroll: u16,
    /// The occurrence of a repeating event that was opened (its own date and time are shown,
    /// with the series described).
    pub occurrence: Option<crate::domain::recurrence::Occurrence>,
}

/// A reminder on screen: a strip above the status line that takes no focus (only the yes/no
/// keys answer it; every other key goes to the pane or popup as if it were not there).
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderBanner {
    pub event_id: i64,
    /// The event's UID: dismissals are kept by (UID, occurrence start), which survives an edit
    /// that rewrites the row.
    pub uid: String,
    pub title: String,
    pub start: DateTime<Utc>,
    /// When the occurrence ends: the banner closes by itself then.
    pub end: DateTime<Utc>,
}

impl ReminderBanner {
    /// The occurrence this reminder is for.
    pub fn key(&self) -> (String, DateTime<Utc>) {
        (self.uid.clone(), self.start)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Help {
        scroll: u16,
    },
    Confirm {
        question: String,
        effect: Box<Effect>,
    },
    Detail(Box<Detail>),
    Form(Box<Form>),
    Prompt(Box<Prompt>),
    /// An import's dry run: y/Enter writes it, Esc cancels.
    Preview(Box<ImportPreview>),
    /// Quit asked (Ctrl-C) while `back` holds unsaved typing: y quits, n returns to it.
    QuitConfirm(Box<Popup>),
    /// Every invoice total, per status and currency (the footer shows the ones that fit).
    Totals {
        scroll: u16,
    },
}

impl Popup {
    /// Typing that quitting now would lose: an edited form, a quick-capture line, a typed
    /// snooze date or delegate name. (A filter or search is not work to lose.)
    pub fn unsaved(&self) -> bool {
        match self {
            Popup::Form(f) => f.dirty,
            Popup::Prompt(p) => {
                matches!(
                    p.purpose,
                    PromptPurpose::Capture | PromptPurpose::Snooze(_) | PromptPurpose::Delegate(_)
                ) && !p.fresh
                    && !p.input.text().trim().is_empty()
            }
            _ => false,
        }
    }
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    pub tz: Tz,
    pub bell: bool,
    pub currency: Currency,
    pub now: DateTime<Utc>,
    pub pane: Pane,
    pub keymap: Keymap,
    /// Working hours (config work_start/work_end/work_days) for free-slot search.
    pub work: crate::domain::schedule::WorkHours,
    pub today: today::TodayState,
    pub schedule: schedule::ScheduleState,
    pub travel: travel::TravelState,
    pub contacts: contacts::ContactsState,
    pub invoices: invoices::InvoicesState,
    pub tasks: tasks::TasksState,
    pub popup: Option<Popup>,
    pub status: Option<Status>,
    pub undo: Vec<UndoEntry>,
    pub counts: Counts,
    pub data_version: Option<i64>,
    pub quit: bool,
    /// Reminders already shown by this screen, by (event UID, occurrence start), so each fires
    /// once while it runs (an unanswered one fires again after a restart).
    pub fired: Vec<(String, DateTime<Utc>)>,
    /// Reminders answered: dismissed, or snoozed until an instant. Those of the database (by
    /// any screen, read with the reminder query) and this screen's own (kept even when
    /// writing them failed); of two answers to one occurrence the later counts.
    pub reminder_answers: Vec<crate::domain::event::ReminderAnswer>,
    /// The reminder on screen, if any.
    pub banner: Option<ReminderBanner>,
    /// Events whose reminders may fire soon (their own query, weeks ahead).
    pub reminders: today::Reminders,
    /// A refresh gave up on a busy database: the next poll reloads even without a change.
    pub stale: bool,
    /// Every config warning, in the order of the file (the help overlay lists them).
    pub warnings: Vec<String>,
}

/// The line a warning names: `path:12: …` as the config loader writes them, or, for a key
/// override (`keys.quit = …`), the line of that key in the `[keys]` table of `text`.
fn warning_line(w: &str, text: Option<&str>) -> Option<usize> {
    if let Some(rest) = w.strip_prefix("keys.") {
        let name: String = rest
            .chars()
            .take_while(|c| !matches!(c, ' ' | ':' | '='))
            .collect();
        let mut in_keys = false;
        for (i, line) in text?.lines().enumerate() {
            let l = line.trim();
            if l.starts_with('[') {
                in_keys = l.trim_matches(['[', ']', ' ']) == "keys";
                continue;
            }
            let key = l
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if in_keys && key == name {
                return Some(i + 1);
            }
        }
        return None;
    }
    let head = w.split(": ").next()?;
    head.rsplit_once(':')?.1.parse().ok()
}

/// Config warnings and key-override warnings in the order of the lines they name in the
/// config file (those naming no line first); a key override's warning gets the file and line.
pub fn order_warnings(
    config: Vec<String>,
    keys: Vec<String>,
    file: Option<(&str, &str)>,
) -> Vec<String> {
    let text = file.map(|(_, t)| t);
    let mut all: Vec<(Option<usize>, String)> = config
        .into_iter()
        .map(|w| (warning_line(&w, text), w))
        .collect();
    for w in keys {
        let line = warning_line(&w, text);
        let shown = match (file, line) {
            (Some((name, _)), Some(l)) => format!("{name}:{l}: {w}"),
            _ => w,
        };
        all.push((line, shown));
    }
    all.sort_by_key(|(l, _)| *l);
    all.into_iter().map(|(_, w)| w).collect()
}

impl App {
    /// A fresh app at `now`; config warnings and bad key overrides go to the status line (and
    /// all of them to the top of the help overlay).
    pub fn new(config: &Config, now: DateTime<Utc>, warnings: Vec<String>) -> App {
        App::with_config_file(config, now, warnings, None)
    }

    /// [`App::new`], with the config file's name and text so every warning, the key overrides'
    /// too, names its line and they are listed in the order of the file.
    pub fn with_config_file(
        config: &Config,
        now: DateTime<Utc>,
        warnings: Vec<String>,
        file: Option<(&str, &str)>,
    ) -> App {
        let (keymap, key_warnings) = Keymap::with_overrides(&config.keys);
        let all = order_warnings(warnings, key_warnings, file);
        let today = now.with_timezone(&config.timezone).date_naive();
        let mut app = App {
            tz: config.timezone,
            bell: config.bell,
            currency: config.default_currency,
            now,
            pane: Pane::Today,
            keymap,
            work: crate::domain::schedule::WorkHours {
                start: config.work_start,
                end: config.work_end,
                days: config.work_days.clone(),
            },
            today: Default::default(),
            schedule: schedule::ScheduleState::new(today),
            travel: Default::default(),
            contacts: Default::default(),
            invoices: Default::default(),
            tasks: Default::default(),
            popup: None,
            status: None,
            undo: Vec::new(),
            counts: Counts::default(),
            data_version: None,
            quit: false,
            fired: Vec::new(),
            reminder_answers: Vec::new(),
            banner: None,
            reminders: Default::default(),
            stale: false,
            warnings: Vec::new(),
        };
        if let Some(first) = all.first() {
            let text = match all.len() {
                1 => first.clone(),
                // the count and the key first: a long warning is cut at the screen's edge
                n => format!(
                    "{n} config warnings ({} lists them all): {first}",
                    app.key(keymap::Context::Global, "help")
                ),
            };
            app.set_status(Level::Warn, text);
        }
        app.warnings = all;
        app
    }

    /// The effects that fill the first screen.
    pub fn start(&mut self) -> Vec<Effect> {
        // first: the task lists' order by due day holds in the configured zone
        let mut fx = vec![Effect::UseZone(self.tz)];
        fx.extend(self.reload());
        fx.push(Effect::CheckData);
        fx
    }

    pub fn today_date(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    pub fn set_status(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(Status {
            text: crate::ui::sanitize(&text.into()),
            level,
            at: self.now,
        });
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.set_status(Level::Info, text);
    }

    /// The key that runs `action` in `ctx` as bound now (for messages and labels).
    pub fn key(&self, ctx: keymap::Context, action: &str) -> String {
        self.keymap.label_in(ctx, action)
    }

    /// "(y/n)" with the keys that answer a question now.
    pub fn yes_no(&self) -> String {
        format!(
            "({}/{})",
            self.key(keymap::Context::Confirm, "yes"),
            self.key(keymap::Context::Confirm, "no")
        )
    }

    /// Say (as a warning) that `n` rows of `what` could not be read and are not shown.
    pub fn note_skipped(&mut self, what: &str, n: u64) {
        if n > 0 {
            let rows = if n == 1 {
                "1 row"
            } else {
                &format!("{n} rows")
            };
            self.set_status(
                Level::Warn,
                format!(
                    "{what}: {rows} could not be read (damaged data, perhaps written by another \
                     tool) and {} left out; the rest is shown",
                    if n == 1 { "is" } else { "are" }
                ),
            );
        }
    }

    /// Reload what the current pane shows, Today (which also brings the tab-bar counts) and
    /// the pending reminders.
    pub fn reload(&mut self) -> Vec<Effect> {
        let mut fx = vec![self.load_pane(self.pane)];
        if self.pane != Pane::Today {
            fx.push(self.load_pane(Pane::Today));
        }
        fx.push(today::load_reminders(self));
        if let Some(Popup::Detail(d)) = &self.popup
            && let Record::Contact(c) = &d.record
        {
            fx.push(Effect::Load(Load::ContactDetail {
                id: c.id,
                name: c.name.clone(),
                from: self.now,
            }));
        }
        fx
    }

    pub fn load_pane(&self, pane: Pane) -> Effect {
        match pane {
            Pane::Today => today::load(self),
            Pane::Schedule => schedule::load(self),
            Pane::Travel => travel::load(self),
            Pane::Contacts => contacts::load(self),
            Pane::Invoices => invoices::load(self),
            Pane::Tasks => tasks::load(self),
        }
    }

    /// Select record `id` of `kind` when the pane on screen lists that kind and next loads.
    pub fn select_record(&mut self, kind: Kind, id: i64) {
        match (kind, self.pane) {
            (Kind::Task, Pane::Tasks) => self.tasks.list.want = Some(id),
            (Kind::Contact, Pane::Contacts) => self.contacts.list.want = Some(id),
            (Kind::Invoice, Pane::Invoices) => self.invoices.list.want = Some(id),
            (Kind::Trip, Pane::Travel) => self.travel.list.want = Some(id),
            _ => {}
        }
    }

    fn push_undo(&mut self, e: UndoEntry) {
        self.undo.push(e);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }
}

/// Time of day a date-only snooze wakes up.
pub fn morning() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Shared operations (used by several panes)

/// Mark a task done (or reopen a done one).
pub fn toggle_done(app: &mut App, task: &Task) -> Vec<Effect> {
    let mut t = task.clone();
    let label = if t.status == TaskStatus::Done {
        t.reopen();
        format!("reopen {}", Record::Task(task.clone()).label())
    } else {
        t.mark_done(app.now);
        format!("done {}", Record::Task(task.clone()).label())
    };
    vec![save(
        Record::Task(t),
        Some(Record::Task(task.clone())),
        label,
    )]
}

pub fn toggle_waiting(task: &Task) -> Vec<Effect> {
    let mut t = task.clone();
    let label = match t.status {
        TaskStatus::Waiting => {
            t.status = TaskStatus::Open;
            "open again"
        }
        TaskStatus::Open => {
            t.status = TaskStatus::Waiting;
            "waiting"
        }
        TaskStatus::Done => return vec![],
    };
    vec![save(
        Record::Task(t),
        Some(Record::Task(task.clone())),
        format!("{label}: {}", Record::Task(task.clone()).label()),
    )]
}

pub fn mark_paid(app: &mut App, inv: &Invoice) -> Vec<Effect> {
    if inv.status == InvoiceStatus::Paid {
        app.info("already paid");
        return vec![];
    }
    let mut i = inv.clone();
    i.mark_paid(app.today_date());
    let label = format!("paid {}", Record::Invoice(inv.clone()).label());
    vec![save(
        Record::Invoice(i),
        Some(Record::Invoice(inv.clone())),
        label,
    )]
}

pub fn save(record: Record, before: Option<Record>, label: String) -> Effect {
    Effect::Save {
        record,
        before,
        label,
    }
}

/// `d` on one occurrence of a repeating event: ask, then exclude just that occurrence
/// (`domain::schedule::delete_occurrence`). None when `events[idx]` is not part of a series.
pub fn delete_one_occurrence(
    app: &mut App,
    events: &[Event],
    idx: usize,
    occ: &crate::domain::recurrence::Occurrence,
) -> Option<Vec<Effect>> {
    let e = events.get(idx)?;
    let master = if e.recurrence_id.is_some() {
        events
            .iter()
            .find(|m| m.uid == e.uid && m.recurrence_id.is_none() && m.rrule.is_some())?
    } else if e.rrule.is_some() {
        e
    } else {
        return None;
    };
    let rid = e.recurrence_id.or(occ.recurrence_id)?;
    let overrides: Vec<Event> = events
        .iter()
        .filter(|o| o.uid == master.uid && o.recurrence_id.is_some())
        .cloned()
        .collect();
    match crate::domain::schedule::delete_occurrence(master, &overrides, rid, app.now) {
        Ok(change) => {
            let mut before = vec![master.clone()];
            before.extend(
                overrides
                    .iter()
                    .filter(|o| change.delete.contains(&o.id))
                    .cloned(),
            );
            let when = occ.start.with_timezone(&app.tz).format("%a %-d %b %H:%M");
            let title = crate::ui::sanitize(&master.title);
            let (yn, open, delete) = (
                app.yes_no(),
                app.key(keymap::Context::Global, "open"),
                app.key(keymap::Context::Detail, "delete"),
            );
            app.popup = Some(Popup::Confirm {
                question: format!(
                    "Delete only '{title}' on {when}? {yn} The series stays; delete it from its detail ({open}, {delete})."
                ),
                effect: Box::new(Effect::Series {
                    change,
                    before,
                    label: format!("delete '{title}' on {when}"),
                }),
            });
            Some(vec![])
        }
        Err(err) => {
            app.set_status(Level::Warn, err.to_string());
            Some(vec![])
        }
    }
}

/// `E` on one occurrence of a repeating event: a form for just that occurrence; saving
/// writes an override (`domain::schedule::change_occurrence`). None when not in a series.
pub fn edit_one_occurrence(
    app: &mut App,
    events: &[Event],
    idx: usize,
    occ: &crate::domain::recurrence::Occurrence,
) -> Option<Vec<Effect>> {
    edit_occurrence(app, events, idx, occ, false)
}

/// `T` on an occurrence of a repeating event: a form for this and all following
/// occurrences; saving splits the series there (`domain::schedule::change_following`),
/// undone as one step. None when not in a series.
pub fn edit_following(
    app: &mut App,
    events: &[Event],
    idx: usize,
    occ: &crate::domain::recurrence::Occurrence,
) -> Option<Vec<Effect>> {
    edit_occurrence(app, events, idx, occ, true)
}

fn edit_occurrence(
    app: &mut App,
    events: &[Event],
    idx: usize,
    occ: &crate::domain::recurrence::Occurrence,
    following: bool,
) -> Option<Vec<Effect>> {
    let e = events.get(idx)?;
    let master = if e.recurrence_id.is_some() {
        events
            .iter()
            .find(|m| m.uid == e.uid && m.recurrence_id.is_none() && m.rrule.is_some())?
    } else if e.rrule.is_some() {
        e
    } else {
        return None;
    };
    let rid = e.recurrence_id.or(occ.recurrence_id)?;
    let overrides: Vec<Event> = events
        .iter()
        .filter(|o| o.uid == master.uid && o.recurrence_id.is_some())
        .cloned()
        .collect();
    // start from the override when there is one, else from the occurrence as generated
    let mut base = if e.recurrence_id.is_some() {
        e.clone()
    } else {
        crate::domain::schedule::occurrence_event(master, occ)
    };
    if following {
        // the rule of the new part of the series, as saving will write it (a COUNT is what
        // is left of it); it may be changed
        base.rrule = crate::domain::schedule::following_rule(master, rid);
    }
    let shown_rule = base.rrule.clone();
    let ctx = form::Ctx::of(app);
    let mut f = Form::new_prefilled(FormKind::Event, Some(Record::Event(base)), &ctx);
    f.series = Some(form::SeriesTarget {
        master: master.clone(),
        overrides,
        rid,
        following,
        shown_rule,
    });
    app.popup = Some(Popup::Form(Box::new(f)));
    Some(vec![])
}

/// Ask before deleting.
pub fn confirm_delete(app: &mut App, kind: Kind, id: i64, label: String) -> Vec<Effect> {
    app.popup = Some(Popup::Confirm {
        question: format!("Delete {label}? {}", app.yes_no()),
        effect: Box::new(Effect::Delete {
            kind,
            id,
            label: format!("delete {label}"),
        }),
    });
    vec![]
}

/// The snooze prompt's ready answers: tomorrow, next Monday, in a week (each at 09:00).
pub const SNOOZE_CHOICES: [(&str, &str); 3] = [
    ("tomorrow", "tomorrow"),
    ("next mon", "next Monday"),
    ("+7d", "in a week"),
];

pub fn open_snooze(app: &mut App, task: &Task) -> Vec<Effect> {
    let mut p = Prompt::new(PromptPurpose::Snooze(Box::new(task.clone())), "tomorrow");
    // each answer once: on a Monday "next Monday" is "in a week", offered once
    let mut seen: Vec<DateTime<Utc>> = Vec::new();
    for (words, name) in SNOOZE_CHOICES {
        let Ok(t) = snooze_until(app, words) else {
            continue;
        };
        if seen.contains(&t) {
            continue;
        }
        seen.push(t);
        let when = t.with_timezone(&app.tz).format("%a %-d %b %H:%M");
        p.choices
            .push((words.to_string(), format!("{name}, {when}")));
    }
    snooze_preview(app, &mut p);
    app.popup = Some(Popup::Prompt(Box::new(p)));
    vec![]
}

/// When a snooze typed as `text` (a choice's number, words, or any date) wakes the task: the
/// CLI's rule (`when::snooze_until`: after now; a weekday that is today is next week's).
fn snooze_until(app: &App, text: &str) -> Result<DateTime<Utc>, crate::domain::when::WhenError> {
    crate::domain::when::snooze_until(text, app.now, app.tz, morning())
}

/// The words of the choice the prompt's input names, else the input itself.
fn snooze_text(p: &Prompt) -> String {
    match p.choice() {
        Some(i) => p.choices[i].0.clone(),
        None => p.input.text().to_string(),
    }
}

fn snooze_preview(app: &App, p: &mut Prompt) {
    match snooze_until(app, &snooze_text(p)) {
        Ok(t) => {
            p.preview = vec![format!(
                "→ {}",
                t.with_timezone(&app.tz).format("%a %-d %b %Y %H:%M")
            )];
            p.error = None;
        }
        Err(e) => {
            p.preview.clear();
            p.error = Some(e.0);
        }
    }
}

pub fn open_form(app: &mut App, kind: FormKind, original: Option<Record>) -> Vec<Effect> {
    let f = Form::new(kind, original, &form::Ctx::of(app));
    app.popup = Some(Popup::Form(Box::new(f)));
    vec![]
}

pub fn open_detail(app: &mut App, record: Record) -> Vec<Effect> {
    let mut fx = vec![];
    if let Record::Contact(c) = &record {
        fx.push(Effect::Load(Load::ContactDetail {
            id: c.id,
            name: c.name.clone(),
            from: app.now,
        }));
    }
    app.popup = Some(Popup::Detail(Box::new(Detail {
        record,
        extra: None,
        scroll: 0,
        occurrence: None,
    })));
    fx
}

/// Open one occurrence of an event: a repeating event shows that occurrence's date and time
/// (and the series it belongs to), not the series' first one.
pub fn open_occurrence(
    app: &mut App,
    event: Event,
    occ: crate::domain::recurrence::Occurrence,
) -> Vec<Effect> {
    let repeating = event.recurrence_id.is_some()
        || crate::domain::recurrence::is_recurring(&event)
        || occ.recurrence_id.is_some();
    let fx = open_detail(app, Record::Event(event));
    if repeating && let Some(Popup::Detail(d)) = &mut app.popup {
        d.occurrence = Some(occ);
    }
    fx
}

/// The text `y` copies for a record.
pub fn copy_text(r: &Record) -> Option<String> {
    let s = match r {
        Record::Segment(s) => s.confirmation.clone(),
        Record::Trip(t) => t
            .segments
            .iter()
            .map(|s| s.confirmation.clone())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        Record::Invoice(i) => i.payment_ref.clone(),
        Record::Contact(c) => c
            .primary_email()
            .map(str::to_string)
            .or_else(|| c.phones.first().map(|p| p.value.clone()))
            .unwrap_or_default(),
        Record::Event(e) => e.location.clone(),
        Record::Task(t) => t.subject.clone(),
    };
    (!s.trim().is_empty()).then_some(s)
}

pub fn copy(app: &mut App, r: &Record) -> Vec<Effect> {
    match copy_text(r) {
        Some(t) => {
            app.info(format!("copied: {t}"));
            vec![Effect::Copy(t)]
        }
        None => {
            app.info("nothing to copy here");
            vec![]
        }
    }
}

// ---------------------------------------------------------------------------------------------
// update

/// Whether an action comes from the user (a key, a paste) rather than from the clock or an
/// effect's result.
fn from_user(a: &Action) -> bool {
    !matches!(
        a,
        Action::Tick(_)
            | Action::Loaded(_)
            | Action::Saved { .. }
            | Action::Deleted { .. }
            | Action::Undone { .. }
            | Action::UndoFailed { .. }
            | Action::SeriesApplied { .. }
            | Action::Opened(_)
            | Action::SearchResults { .. }
            | Action::Suggestions { .. }
            | Action::DataVersion(_)
            | Action::Exported { .. }
            | Action::ImportPreviewed(_)
            | Action::Slots(_)
            | Action::Imported { .. }
            | Action::Failed { .. }
            | Action::Busy { .. }
    )
}

/// The state machine. Pure: changes `app` and returns what the shell should do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    // a message answers the action before; the next one starts without it (it would be
    // stale: "day view" still showing over a snooze prompt)
    if from_user(&action) {
        app.status = None;
    }
    match action {
        Action::Quit => {
            match app.popup.take() {
                // like Esc on an edited form: ask before the typing is lost
                Some(p) if p.unsaved() => app.popup = Some(Popup::QuitConfirm(Box::new(p))),
                // Ctrl-C twice quits
                _ => app.quit = true,
            }
            vec![]
        }
        Action::Tick(now) => tick(app, now),
        Action::Loaded(l) => on_loaded(app, l),
        Action::Saved {
            record,
            before,
            label,
        } => {
            // `before` is the row just before the write: equal to `record` when the save
            // changed nothing, which leaves nothing to undo
            let undo = match before {
                Some(b) if b == record => None,
                Some(b) => Some(UndoEntry::Restore {
                    before: b,
                    after: record.clone(),
                    label: label.clone(),
                }),
                None => Some(UndoEntry::Remove {
                    record: record.clone(),
                    label: label.clone(),
                }),
            };
            let changed = undo.is_some();
            if let Some(u) = undo {
                app.push_undo(u);
            }
            if matches!(app.popup, Some(Popup::Form(_)) | Some(Popup::Prompt(_))) {
                app.popup = None;
            }
            if let Some(Popup::Detail(d)) = &mut app.popup
                && d.record.kind() == record.kind()
                && d.record.id() == record.id()
            {
                d.record = record.clone();
            }
            if changed {
                app.info(format!(
                    "{} (undo: {})",
                    capitalize(&label),
                    app.keymap.label("undo")
                ));
            } else {
                app.info(format!("{}: nothing changed", capitalize(&label)));
            }
            app.reload()
        }
        Action::Deleted { removed, label } => {
            let mut text = capitalize(&label);
            if !removed.also.is_empty() {
                let n = removed.also.len();
                text.push_str(&format!(
                    " and its {n} changed occurrence{}",
                    if n == 1 { "" } else { "s" }
                ));
            }
            app.push_undo(UndoEntry::Reinsert {
                removed,
                label: label.clone(),
            });
            if matches!(app.popup, Some(Popup::Detail(_))) {
                app.popup = None;
            }
            app.info(format!("{text} (undo: {})", app.keymap.label("undo")));
            app.reload()
        }
        Action::SeriesApplied {
            before,
            after,
            inserted,
            label,
        } => {
            today::carry_dismissals(app, &before, &inserted);
            app.push_undo(UndoEntry::Events {
                before,
                after,
                inserted,
                label: label.clone(),
            });
            if matches!(app.popup, Some(Popup::Form(_))) {
                app.popup = None;
            }
            app.info(format!(
                "{} (undo: {})",
                capitalize(&label),
                app.keymap.label("undo")
            ));
            app.reload()
        }
        Action::Undone { label, kept } => {
            // the step leaves the list only now that it is written
            if app.undo.last().is_some_and(|e| e.label() == label) {
                // the cursor goes to the record put back or changed back (a task undone
                // from done is where the next key acts, not its neighbour)
                match app.undo.pop() {
                    Some(UndoEntry::Reinsert { removed, .. }) => {
                        app.select_record(removed.record.kind(), removed.record.id())
                    }
                    Some(UndoEntry::Restore { after, .. }) => {
                        app.select_record(after.kind(), after.id())
                    }
                    _ => {}
                }
            }
            if kept.is_empty() {
                app.info(format!("Undid: {label}"));
            } else {
                let (fields, were) = match &kept[..] {
                    [one] => (one.clone(), "was"),
                    [init @ .., last] => (format!("{} and {last}", init.join(", ")), "were"),
                    [] => (String::new(), "was"),
                };
                app.set_status(
                    Level::Warn,
                    format!("Undid: {label}; {fields} {were} changed elsewhere since, kept"),
                );
            }
            app.reload()
        }
        Action::UndoFailed { label, error, keep } => {
            let u = app.keymap.label("undo");
            if keep {
                app.set_status(
                    Level::Error,
                    format!("undo of {label} failed: {error} (kept: {u} tries again)"),
                );
                return vec![];
            }
            // it can never succeed: drop it so the step before can be undone
            if app.undo.last().is_some_and(|e| e.label() == label) {
                app.undo.pop();
            }
            let next = if app.undo.is_empty() {
                "nothing left to undo".to_string()
            } else {
                format!("{u} undoes the step before")
            };
            app.set_status(
                Level::Error,
                format!("cannot undo {label}: {error}; step dropped, {next}"),
            );
            app.reload()
        }
        Action::Opened(record) => open_detail(app, record),
        Action::SearchResults { query, hits } => {
            if let Some(Popup::Prompt(p)) = &mut app.popup
                && p.purpose == PromptPurpose::Search
                && p.input.text().trim() == query
            {
                p.hits = hits;
                p.selected = 0;
            }
            vec![]
        }
        Action::Suggestions { query, contacts } => {
            match &mut app.popup {
                Some(Popup::Form(f)) => f.set_suggestions(&query, contacts),
                Some(Popup::Prompt(p))
                    if matches!(p.purpose, PromptPurpose::Delegate(_))
                        && p.input.text().trim() == query =>
                {
                    p.hits = contacts
                        .into_iter()
                        .map(|(id, name)| Hit {
                            kind: Kind::Contact,
                            id,
                            title: name,
                            detail: String::new(),
                        })
                        .collect();
                    p.selected = 0;
                }
                _ => {}
            }
            vec![]
        }
        Action::Exported { text } => {
            if matches!(app.popup, Some(Popup::Form(_))) {
                app.popup = None;
            }
            app.info(text);
            vec![]
        }
        Action::ImportPreviewed(p) => {
            if matches!(app.popup, Some(Popup::Form(_))) {
                app.popup = Some(Popup::Preview(p));
            }
            vec![]
        }
        Action::Slots(slots) => {
            let n = slots.len();
            let mut shown = false;
            if let Some(Popup::Form(f)) = &mut app.popup
                && f.kind == FormKind::Event
            {
                f.error = (n == 0).then(|| {
                    format!(
                        "no free slot of that length in working hours in the next {SLOT_DAYS} days"
                    )
                });
                f.slots = slots;
                f.slot = None;
                f.suggestions.clear();
                shown = true;
            }
            if shown && n > 0 {
                let (down, up) = (
                    app.key(keymap::Context::Form, "pick.next"),
                    app.key(keymap::Context::Form, "pick.prev"),
                );
                app.info(format!(
                    "{n} free slots: {down}/{up} picks one into start and end"
                ));
            } else if shown {
                app.status = None;
            }
            vec![]
        }
        Action::Imported { text } => {
            app.popup = None;
            app.info(text);
            app.reload()
        }
        Action::DataVersion(v) => {
            let changed = app.data_version.is_some_and(|old| old != v) || app.stale;
            app.data_version = Some(v);
            app.stale = false;
            if changed { app.reload() } else { vec![] }
        }
        Action::Busy { what } => {
            app.stale = true;
            app.set_status(
                Level::Warn,
                format!("{what}: the database is busy (another program is writing); trying again"),
            );
            vec![]
        }
        Action::Failed { what, error } => {
            app.set_status(Level::Error, format!("{what} failed: {error}"));
            if let Some(Popup::Form(f)) = &mut app.popup {
                f.error = Some(error);
            }
            vec![]
        }
        Action::ReminderSnooze | Action::ReminderDismiss
            if app.popup.is_none() && app.banner.is_some() =>
        {
            today::answer_banner(app, action == Action::ReminderSnooze)
        }
        other => {
            if app.popup.is_some() {
                popup_update(app, other)
            } else {
                pane_update(app, other)
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn tick(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    let day_before = app.today_date();
    app.now = now;
    let mut fx = vec![Effect::CheckData];
    if app.today_date() != day_before {
        fx.extend(app.reload());
    }
    // Status messages fade after 8 seconds.
    if app
        .status
        .as_ref()
        .is_some_and(|s| s.level == Level::Info && now - s.at > Duration::seconds(8))
    {
        app.status = None;
    }
    fx.extend(today::check_reminders(app));
    fx
}

fn on_loaded(app: &mut App, l: Loaded) -> Vec<Effect> {
    match l {
        Loaded::Today(d) => today::loaded(app, d),
        Loaded::Schedule {
            from,
            to,
            search,
            events,
            segments,
            skipped,
        } => {
            app.note_skipped("Schedule", skipped);
            schedule::loaded(app, from, to, search, events, segments)
        }
        Loaded::Reminders {
            from,
            to,
            events,
            skipped,
            answers,
        } => today::reminders_loaded(app, from, to, events, skipped, answers),
        // a page with a row that cannot be read is shorter by it: the list ends where its
        // rows do, and the status line says how many were left out
        Loaded::Travel {
            search,
            past,
            offset,
            trips,
            total,
            skipped,
        } => {
            app.note_skipped("Travel", skipped);
            travel::loaded(app, search, past, offset, trips, total - skipped.min(total))
        }
        Loaded::Contacts {
            search,
            offset,
            rows,
            total,
            skipped,
        } => {
            app.note_skipped("Contacts", skipped);
            contacts::loaded(app, search, offset, rows, total - skipped.min(total))
        }
        Loaded::ContactDetail(x) => {
            if let Some(Popup::Detail(d)) = &mut app.popup
                && d.record.kind() == Kind::Contact
                && d.record.id() == x.contact_id
            {
                d.extra = Some(x);
            }
            vec![]
        }
        Loaded::Invoices {
            search,
            offset,
            rows,
            totals,
            total,
            skipped,
            unreadable,
        } => {
            app.note_skipped("Invoices", unreadable.max(skipped));
            invoices::loaded(
                app,
                search,
                offset,
                rows,
                totals,
                total - skipped.min(total),
            )
        }
        Loaded::Tasks {
            search,
            offset,
            rows,
            total,
            skipped,
        } => {
            app.note_skipped("Tasks", skipped);
            tasks::loaded(app, search, offset, rows, total - skipped.min(total))
        }
    }
}

fn pane_update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Help => {
            app.popup = Some(Popup::Help { scroll: 0 });
            vec![]
        }
        Action::ShowPane(p) => show_pane(app, p),
        Action::NextPane => show_pane(app, app.pane.next()),
        Action::PrevPane => show_pane(app, app.pane.prev()),
        // the step stays on the list until the undo is written (Undone pops it)
        Action::Undo => match app.undo.last() {
            Some(e) => vec![Effect::Undo(e.clone())],
            None => {
                app.info("nothing to undo");
                vec![]
            }
        },
        Action::Search => {
            app.popup = Some(Popup::Prompt(Box::new(Prompt::new(
                PromptPurpose::Search,
                "",
            ))));
            vec![]
        }
        Action::Capture => {
            app.popup = Some(Popup::Prompt(Box::new(Prompt::new(
                PromptPurpose::Capture,
                "",
            ))));
            vec![]
        }
        Action::Filter => {
            let current = match app.pane {
                Pane::Today => {
                    app.info("Today shows everything due; filter in the other panes");
                    return vec![];
                }
                Pane::Schedule => app.schedule.filter.clone(),
                Pane::Travel => app.travel.filter.clone(),
                Pane::Contacts => app.contacts.filter.clone(),
                Pane::Invoices => app.invoices.filter.clone(),
                Pane::Tasks => app.tasks.filter.clone(),
            };
            app.popup = Some(Popup::Prompt(Box::new(Prompt::new(
                PromptPurpose::Filter(app.pane),
                &current,
            ))));
            vec![]
        }
        other => match app.pane {
            Pane::Today => today::update(app, other),
            Pane::Schedule => schedule::update(app, other),
            Pane::Travel => travel::update(app, other),
            Pane::Contacts => contacts::update(app, other),
            Pane::Invoices => invoices::update(app, other),
            Pane::Tasks => tasks::update(app, other),
        },
    }
}

fn show_pane(app: &mut App, p: Pane) -> Vec<Effect> {
    app.pane = p;
    if p == Pane::Schedule {
        schedule::shown(app);
    }
    vec![app.load_pane(p)]
}

fn set_filter(app: &mut App, pane: Pane, text: String) -> Vec<Effect> {
    match pane {
        Pane::Today => return vec![],
        Pane::Schedule => app.schedule.filter = text,
        Pane::Travel => {
            app.travel.filter = text;
            app.travel.list.reset();
        }
        Pane::Contacts => {
            app.contacts.filter = text;
            app.contacts.list.reset();
        }
        Pane::Invoices => {
            app.invoices.filter = text;
            app.invoices.list.reset();
        }
        Pane::Tasks => {
            app.tasks.filter = text;
            app.tasks.list.reset();
        }
    }
    vec![app.load_pane(pane)]
}

fn popup_update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(popup) = app.popup.take() else {
        return vec![];
    };
    match popup {
        Popup::Help { scroll } => {
            match action {
                Action::Close => {}
                Action::Down => app.popup = Some(Popup::Help { scroll: scroll + 1 }),
                Action::Up => {
                    app.popup = Some(Popup::Help {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                _ => app.popup = Some(Popup::Help { scroll }),
            }
            vec![]
        }
        Popup::Totals { scroll } => {
            match action {
                Action::Close => {}
                Action::Down => {
                    app.popup = Some(Popup::Totals {
                        scroll: scroll.saturating_add(1),
                    })
                }
                Action::Up => {
                    app.popup = Some(Popup::Totals {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                _ => app.popup = Some(Popup::Totals { scroll }),
            }
            vec![]
        }
        Popup::Confirm { question, effect } => match action {
            Action::Yes => vec![*effect],
            Action::No | Action::Close => {
                app.info("kept");
                vec![]
            }
            _ => {
                app.popup = Some(Popup::Confirm { question, effect });
                vec![]
            }
        },
        Popup::QuitConfirm(back) => {
            match action {
                Action::Yes => app.quit = true,
                Action::No | Action::Close => app.popup = Some(*back),
                _ => app.popup = Some(Popup::QuitConfirm(back)),
            }
            vec![]
        }
        Popup::Detail(mut d) => match action {
            Action::Close => vec![],
            Action::Down => {
                d.scroll = d.scroll.saturating_add(1);
                app.popup = Some(Popup::Detail(d));
                vec![]
            }
            Action::Up => {
                d.scroll = d.scroll.saturating_sub(1);
                app.popup = Some(Popup::Detail(d));
                vec![]
            }
            Action::Edit => {
                let kind = FormKind::of(&d.record);
                open_form(app, kind, Some(d.record.clone()))
            }
            Action::Delete => {
                let (k, id, mut l) = (d.record.kind(), d.record.id(), d.record.label());
                if let Record::Event(e) = &d.record
                    && e.recurrence_id.is_none()
                    && crate::domain::recurrence::is_recurring(e)
                {
                    l.push_str(" (the whole series)");
                }
                app.popup = Some(Popup::Detail(d));
                confirm_delete(app, k, id, l)
            }
            Action::Copy => {
                let r = d.record.clone();
                app.popup = Some(Popup::Detail(d));
                copy(app, &r)
            }
            _ => {
                app.popup = Some(Popup::Detail(d));
                vec![]
            }
        },
        Popup::Form(mut f) if action == Action::FreeSlots => {
            let fx = slots_request(app, &mut f);
            app.popup = Some(Popup::Form(f));
            fx
        }
        Popup::Form(mut f) => {
            let ctx = form::Ctx::of(app);
            let (keep, fx) = f.update(action, &ctx);
            if keep {
                app.popup = Some(Popup::Form(f));
            } else {
                app.info("cancelled");
            }
            fx
        }
        Popup::Prompt(p) => prompt_update(app, *p, action),
        Popup::Preview(mut p) => match action {
            Action::Yes | Action::Submit => {
                if p.empty {
                    app.info(format!("nothing to import from {}", p.path));
                    vec![]
                } else {
                    // stays open until the import answers (a failure shows on the status line)
                    app.popup = Some(Popup::Preview(p.clone()));
                    vec![Effect::Import(p)]
                }
            }
            Action::No | Action::Close => {
                app.info("import cancelled: nothing written");
                vec![]
            }
            Action::Down => {
                p.scroll = p.scroll.saturating_add(1);
                app.popup = Some(Popup::Preview(p));
                vec![]
            }
            Action::Up => {
                p.scroll = p.scroll.saturating_sub(1);
                app.popup = Some(Popup::Preview(p));
                vec![]
            }
            _ => {
                app.popup = Some(Popup::Preview(p));
                vec![]
            }
        },
    }
}

/// Days a free-slot search looks ahead.
pub const SLOT_DAYS: i64 = 14;

/// F2 in the event form: ask for free slots as long as the event, from its start day (or
/// now, whichever is later). Other forms say where it works.
pub fn slots_request(app: &mut App, f: &mut Form) -> Vec<Effect> {
    if f.kind != FormKind::Event {
        app.info("free slots: in an event form");
        return vec![];
    }
    let ctx = form::Ctx::of(app);
    let (start, duration) = f.span(&ctx).unwrap_or((app.now, Duration::hours(1)));
    let day_start =
        crate::domain::event::local_midnight(start.with_timezone(&app.tz).date_naive(), app.tz);
    let from = day_start.max(app.now);
    f.error = None;
    app.info(format!(
        "looking for {} min free in working hours…",
        duration.num_minutes()
    ));
    vec![Effect::FindSlots {
        from,
        duration,
        hours: app.work.clone(),
        tz: app.tz,
        exclude: f.original.as_ref().map(Record::id),
    }]
}

/// `X` / `I` in Schedule and Contacts: the export or import form.
pub fn open_transfer(app: &mut App, kind: FormKind) -> Vec<Effect> {
    open_form(app, kind, None)
}

fn prompt_update(app: &mut App, mut p: Prompt, action: Action) -> Vec<Effect> {
    match action {
        Action::Close => {
            if let PromptPurpose::Filter(pane) = p.purpose {
                // Esc on a filter clears it.
                return set_filter(app, pane, String::new());
            }
            vec![]
        }
        Action::PickNext | Action::PickPrev => {
            let down = action == Action::PickNext;
            let step = |cur: Option<usize>, n: usize| match (cur, down) {
                (None, true) => 0,
                (None, false) => n - 1,
                (Some(i), true) => (i + 1) % n,
                (Some(i), false) => (i + n - 1) % n,
            };
            if !p.choices.is_empty() {
                // snooze: ↓/↑ walk the ready answers
                let i = step(p.choice(), p.choices.len());
                p.input.set(p.choices[i].0.clone());
                p.fresh = false;
                snooze_preview(app, &mut p);
            } else if !p.hits.is_empty() {
                let n = p.hits.len();
                let i = if p.purpose == PromptPurpose::Search
                    || p.input.text().trim() == p.hits[p.selected.min(n - 1)].title
                {
                    step(Some(p.selected.min(n - 1)), n)
                } else {
                    step(None, n)
                };
                p.selected = i;
                if matches!(p.purpose, PromptPurpose::Delegate(_)) {
                    // a suggested contact fills the name (free text stays possible)
                    p.input.set(p.hits[i].title.clone());
                    p.fresh = false;
                }
            }
            app.popup = Some(Popup::Prompt(Box::new(p)));
            vec![]
        }
        Action::Input(_) | Action::Paste(_) => {
            if p.fresh
                && matches!(
                    p.purpose,
                    PromptPurpose::Snooze(_) | PromptPurpose::Delegate(_)
                )
                && match &action {
                    Action::Input(k) => {
                        matches!(k.code, ratatui::crossterm::event::KeyCode::Char(_))
                    }
                    _ => true,
                }
            {
                p.input.set("");
            }
            p.fresh = false;
            let changed = match &action {
                Action::Input(k) => p.input.handle(*k),
                Action::Paste(t) => p.input.insert_str(t),
                _ => false,
            };
            let mut fx = vec![];
            if changed {
                let text = p.input.text().trim().to_string();
                match &p.purpose {
                    PromptPurpose::Filter(pane) => {
                        let pane = *pane;
                        app.popup = Some(Popup::Prompt(Box::new(p)));
                        return set_filter(app, pane, text);
                    }
                    PromptPurpose::Search => {
                        if text.is_empty() {
                            p.hits.clear();
                        } else {
                            fx.push(Effect::Search(text));
                        }
                    }
                    PromptPurpose::Snooze(_) => snooze_preview(app, &mut p),
                    PromptPurpose::Capture => {
                        let u = capture::understand(p.input.text(), &form::Ctx::of(app));
                        p.preview = u.summary;
                    }
                    PromptPurpose::Delegate(_) => {
                        p.hits.clear();
                        p.selected = 0;
                        if !text.is_empty() {
                            fx.push(Effect::SuggestContacts(text));
                        }
                    }
                }
            }
            app.popup = Some(Popup::Prompt(Box::new(p)));
            fx
        }
        Action::Submit => match p.purpose.clone() {
            PromptPurpose::Filter(_) => vec![],
            PromptPurpose::Search => match p.hits.get(p.selected) {
                Some(h) => vec![Effect::Open {
                    kind: h.kind,
                    id: h.id,
                }],
                None => {
                    app.popup = Some(Popup::Prompt(Box::new(p)));
                    vec![]
                }
            },
            PromptPurpose::Snooze(task) => match snooze_until(app, &snooze_text(&p)) {
                // a time already past is shown as an error and never saved
                Ok(until) if until <= app.now => {
                    snooze_preview(app, &mut p);
                    app.popup = Some(Popup::Prompt(Box::new(p)));
                    vec![]
                }
                Ok(until) => {
                    let mut t = (*task).clone();
                    t.snooze(until);
                    let label = format!(
                        "snooze {} until {}",
                        Record::Task((*task).clone()).label(),
                        until.with_timezone(&app.tz).format("%a %-d %b %H:%M")
                    );
                    app.popup = Some(Popup::Prompt(Box::new(p)));
                    vec![save(Record::Task(t), Some(Record::Task(*task)), label)]
                }
                Err(e) => {
                    p.error = Some(e.0);
                    app.popup = Some(Popup::Prompt(Box::new(p)));
                    vec![]
                }
            },
            PromptPurpose::Delegate(task) => {
                let who = p.input.text().trim().to_string();
                let mut t = (*task).clone();
                t.delegated_to = who.clone();
                if !who.is_empty() && t.status == TaskStatus::Open {
                    t.status = TaskStatus::Waiting;
                }
                if let Err(e) = t.validate() {
                    p.error = Some(e.to_string());
                    app.popup = Some(Popup::Prompt(Box::new(p)));
                    return vec![];
                }
                let label = if who.is_empty() {
                    format!("undelegate {}", Record::Task((*task).clone()).label())
                } else {
                    format!(
                        "delegate {} to {who}",
                        Record::Task((*task).clone()).label()
                    )
                };
                app.popup = Some(Popup::Prompt(Box::new(p)));
                vec![save(Record::Task(t), Some(Record::Task(*task)), label)]
            }
            PromptPurpose::Capture => {
                let ctx = form::Ctx::of(app);
                let line = p.input.text().to_string();
                if line.trim().is_empty() {
                    return vec![];
                }
                let u = capture::understand(&line, &ctx);
                match (u.complete, u.record) {
                    (true, Some(record)) => {
                        let label = format!("add {}", record.label());
                        app.popup = Some(Popup::Prompt(Box::new(p)));
                        vec![Effect::SaveCapture {
                            record,
                            contact: u.contact,
                            label,
                        }]
                    }
                    _ => {
                        // Not everything understood: continue in a form, nothing lost.
                        let f = capture::form_for(&line, &ctx);
                        app.popup = Some(Popup::Form(Box::new(f)));
                        vec![]
                    }
                }
            }
        },
        _ => {
            app.popup = Some(Popup::Prompt(Box::new(p)));
            vec![]
        }
    }
}

#[cfg(test)]
mod tests;
