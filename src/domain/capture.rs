//! Quick capture: one line of text becomes a draft event, task or invoice. PURE: no store, no
//! clock (the caller passes `now`), never panics on any input.
//!
//! The first word says what it is (English or Swedish):
//!
//! | keyword | draft |
//! |---|---|
//! | `mtg` `meeting` `möte` | event, meeting |
//! | `appt` `appointment` `besök` | event, appointment |
//! | `lunch` `dinner` `breakfast` `fika` `middag` `frukost` | event, meeting; the keyword stays in the title ("Lunch with X") |
//! | `block` `focus` `private` | event, private block |
//! | `deadline` | event, deadline |
//! | `event` `ev` | event, other |
//! | `call` `ring` `phone` | task: call, outgoing (`call back` / `callback` / `... back`: incoming) |
//! | `email` `mail` `mejl` `mejla` | task: e-mail, outgoing (`email from X`: incoming) |
//! | `reply` `answer` `svara` | task: e-mail, incoming (something to answer) |
//! | `letter` `brev` | task: letter, outgoing |
//! | `msg` `message` `sms` `text` | task: message, outgoing |
//! | `task` `todo` `uppgift` | task: other |
//! | `inv` `invoice` `bill` `faktura` | invoice |
//!
//! Without a keyword the line is guessed (and [`Capture::guessed`] is set): an amount with a
//! currency makes an invoice, a time or `@place` an event, anything else a task.
//!
//! Anywhere in the line: a friendly date (`tomorrow`, `fri`, `this fri`, `next mon`, `+2d`,
//! `1 dec`, `dec 1st`, `2026-12-15`, Swedish `imorgon`, `fredag`, `3:e december`), a time
//! (`14:00`, `2pm`, `kl 9`, `noon`, `eod` = 17:00, `in 30 min`, and a bare hour right after a
//! date: `thu 12`), a time range (`14:00-15:30`, `14:00 to 15:30`, `fri 9-11`), a duration
//! (`1h`, `90m`, `for 30 min`), a repeat for events (`every mon`, `every tue and thu`,
//! `every weekday`, `every 2 weeks`, `daily`, `monthly`, `varje måndag`, `... until
//! 2027-06-30`: becomes the RRULE), a priority (`!high` `!h` `!!` `!low` `!hög`), a place
//! (`@Room 3`: up to the next date, time, `!`, `@` or `#`), an invoice amount (`1249`,
//! `1 249,00 kr`, `EUR 12.50`, `€12.50`, `1249:-`), an invoice number (`#INV-1`) and payment
//! reference (`ocr 123456`). Words such as `due`, `by`, `at`, `on`, `senast` before a date are
//! dropped. A time without a date is today; `tom` is a name unless it ends the line.
//!
//! Tasks: the counterpart follows the keyword (`call Anna Berg`, `reply to press@di.se`,
//! `letter to Skatteverket`) and is returned as text in `contact` for the caller to resolve.
//! The SUBJECT is the topic after `about` / `re` / `regarding` / `om` / `angående`
//! (`call Anna Berg about budget` -> subject "Budget"), the first letter upper-cased. With no
//! topic it is the action itself ("Call Anna Berg"). The task list shows the contact next to the
//! subject, so the name is not repeated in it; [`TaskDraft::to_task`] keeps the name in the
//! notes when the caller could not link a contact, so nothing typed is lost.
use super::event::{EventCategory, EventTime, looks_like_email};
use super::invoice::{Invoice, InvoiceStatus};
use super::money::{Currency, Money};
use super::task::{Due, Priority, Task, TaskDirection, TaskKind, TaskStatus};
use super::when::{
    When, is_time_word, local_to_utc, parse_date_words, parse_duration, parse_time,
    parse_time_range, parse_when,
};
use super::{Attendee, Event};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// Longer input is not read (it is kept in [`Capture::input`]).
pub const MAX_INPUT_CHARS: usize = 1000;

/// What a line was understood as. `input` is the original text, always kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The line as typed, unchanged.
    pub input: String,
    pub draft: Draft,
    /// Parts of the line that were not understood or were ignored, with why.
    pub issues: Vec<Issue>,
    /// No keyword: the kind of draft was guessed.
    pub guessed: bool,
    /// The zone the line was read in (times in the drafts are instants; this shows them).
    pub tz: Tz,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draft {
    Event(EventDraft),
    Task(TaskDraft),
    Invoice(InvoiceDraft),
    /// Nothing usable: see `Capture::issues` and `Capture::input`.
    Unparsed,
}

/// One piece the parser could not use: the text and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub fragment: String,
    pub message: String,
}

impl Issue {
    fn new(fragment: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            fragment: fragment.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.fragment.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "'{}': {}", self.fragment, self.message)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub title: String,
    pub category: EventCategory,
    /// None when no date or time was given.
    pub time: Option<EventTime>,
    pub location: String,
    /// Who it is with (`lunch with Anna`), as typed, for the caller to resolve.
    pub contact: Option<String>,
    /// RRULE value (`FREQ=WEEKLY;BYDAY=MO`) from `every mon`, `daily`, `every 2 weeks until
    /// 2027-06-30`.
    pub rrule: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDraft {
    pub kind: TaskKind,
    pub direction: TaskDirection,
    /// The counterpart as typed (a name or an e-mail address), for the caller to resolve.
    pub contact: Option<String>,
    pub subject: String,
    pub due: Option<Due>,
    pub priority: Priority,
    /// Extra text (a `@place`).
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// Vendor as typed, for the caller to resolve to a contact.
    pub vendor: String,
    pub amount: Option<Money>,
    pub due: Option<NaiveDate>,
    /// `issued 2026-11-01`, else today (or the due date, if that is earlier).
    pub issue_date: NaiveDate,
    pub number: String,
    pub payment_ref: String,
    pub notes: String,
}

impl EventDraft {
    /// Fields still needed before this can be saved.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.title.trim().is_empty() {
            m.push("title");
        }
        if self.time.is_none() {
            m.push("when");
        }
        m
    }

    /// The event, when complete. `uid` is left empty for the caller (`event::new_uid`).
    /// `contact_id` links the `contact` the caller resolved.
    pub fn to_event(&self, contact_id: Option<i64>, now: DateTime<Utc>) -> Option<Event> {
        if !self.missing().is_empty() {
            return None;
        }
        let mut e = Event::new(self.title.clone(), self.time.clone()?, now);
        e.category = self.category;
        e.location = self.location.clone();
        e.rrule = self.rrule.clone();
        if let Some(c) = &self.contact {
            let email = looks_like_email(c);
            e.attendees.push(Attendee {
                contact_id,
                name: if email { String::new() } else { c.clone() },
                email: if email { c.clone() } else { String::new() },
            });
        }
        Some(e)
    }
}

impl TaskDraft {
    pub fn missing(&self) -> Vec<&'static str> {
        if self.subject.trim().is_empty() {
            vec!["subject"]
        } else {
            Vec::new()
        }
    }

    /// The task (open). When `contact` was given but the caller could not link it
    /// (`contact_id` None), the name goes into the notes so it is not lost.
    pub fn to_task(&self, contact_id: Option<i64>, now: DateTime<Utc>) -> Task {
        let mut t = Task::new(self.subject.clone(), now);
        t.kind = self.kind;
        t.direction = self.direction;
        t.contact_id = contact_id;
        t.due = self.due;
        t.priority = self.priority;
        t.status = TaskStatus::Open;
        let mut notes = self.notes.clone();
        if let (None, Some(c)) = (contact_id, &self.contact)
            && !self.subject.contains(c.as_str())
        {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str("Counterpart: ");
            notes.push_str(c);
        }
        t.notes = notes;
        t
    }
}

impl InvoiceDraft {
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.vendor.trim().is_empty() {
            m.push("vendor");
        }
        if self.amount.is_none() {
            m.push("amount");
        }
        if self.due.is_none() {
            m.push("due");
        }
        m
    }

    /// The invoice (status received), when amount and due date are known.
    pub fn to_invoice(&self, vendor_id: Option<i64>) -> Option<Invoice> {
        let amount = self.amount?;
        let due = self.due?;
        if vendor_id.is_none() && self.vendor.trim().is_empty() {
            return None;
        }
        Some(Invoice {
            id: 0,
            vendor_id,
            vendor_name: self.vendor.clone(),
            number: self.number.clone(),
            issue_date: self.issue_date.min(due),
            due_date: due,
            amount,
            status: InvoiceStatus::Received,
            paid_date: None,
            payment_ref: self.payment_ref.clone(),
            document_path: String::new(),
            notes: self.notes.clone(),
        })
    }
}

impl Capture {
    /// Fields still needed (all of them for `Unparsed`).
    pub fn missing(&self) -> Vec<&'static str> {
        match &self.draft {
            Draft::Event(e) => e.missing(),
            Draft::Task(t) => t.missing(),
            Draft::Invoice(i) => i.missing(),
            Draft::Unparsed => vec!["everything"],
        }
    }

    /// Understood in full: can be saved without a form.
    pub fn is_complete(&self) -> bool {
        !matches!(self.draft, Draft::Unparsed)
            && self.missing().is_empty()
            && self.issues.is_empty()
    }

    /// "event", "task", "invoice" or "unparsed".
    pub fn kind_label(&self) -> &'static str {
        match self.draft {
            Draft::Event(_) => "event",
            Draft::Task(_) => "task",
            Draft::Invoice(_) => "invoice",
            Draft::Unparsed => "unparsed",
        }
    }

    /// What was understood, on one line, e.g.
    /// `Event: Board meeting · Fri 27 Nov 2026 14:00–15:30 · @ Room 3`, followed by what is
    /// missing and what was not understood (`· missing: when · ? '2026-02-30': ...`).
    pub fn summary(&self) -> String {
        let mut parts = vec![self.headline()];
        let missing = self.missing();
        if !missing.is_empty() && !matches!(self.draft, Draft::Unparsed) {
            parts.push(format!("missing: {}", missing.join(", ")));
        }
        for i in &self.issues {
            let frag: String = i.fragment.chars().take(40).collect();
            let frag: String = frag
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            parts.push(if frag.is_empty() {
                format!("? {}", i.message)
            } else {
                format!("? '{frag}': {}", i.message)
            });
        }
        parts.join(" · ")
    }

    /// Only what was understood (no missing fields, no issues), for a UI that lists those
    /// separately.
    pub fn headline(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let tz = self.tz;
        let guess = if self.guessed { " (guessed)" } else { "" };
        match &self.draft {
            Draft::Event(e) => {
                let head = if e.title.is_empty() {
                    "?".to_string()
                } else {
                    e.title.clone()
                };
                parts.push(format!("Event{guess}: {head}"));
                if e.category != EventCategory::Meeting {
                    parts.push(e.category.as_str().to_string());
                }
                parts.push(match &e.time {
                    Some(t) => describe_time(t),
                    None => "when?".into(),
                });
                if let Some(r) = &e.rrule {
                    parts.push(format!("repeats {r}"));
                }
                if !e.location.is_empty() {
                    parts.push(format!("@ {}", e.location));
                }
                if let Some(c) = &e.contact {
                    parts.push(format!("with {c}"));
                }
            }
            Draft::Task(t) => {
                let dir = match t.direction {
                    TaskDirection::Incoming => "to answer",
                    TaskDirection::Outgoing => "to send",
                };
                parts.push(format!(
                    "Task{guess}: {} ({dir})",
                    capitalize(t.kind.as_str())
                ));
                if let Some(c) = &t.contact {
                    parts.push(c.clone());
                }
                parts.push(if t.subject.is_empty() {
                    "subject?".into()
                } else {
                    format!("\u{201c}{}\u{201d}", t.subject)
                });
                match t.due {
                    Some(Due::Date(d)) => parts.push(format!("due {}", fmt_date(d))),
                    Some(Due::At(at)) => {
                        let l = at.with_timezone(&tz);
                        parts.push(format!(
                            "due {} {}",
                            fmt_date(l.date_naive()),
                            l.format("%H:%M")
                        ));
                    }
                    None => {}
                }
                if t.priority != Priority::Normal {
                    parts.push(format!("{} priority", t.priority));
                }
                if !t.notes.is_empty() {
                    parts.push(t.notes.clone());
                }
            }
            Draft::Invoice(i) => {
                let v = if i.vendor.is_empty() {
                    "vendor?"
                } else {
                    &i.vendor
                };
                parts.push(format!("Invoice{guess}: {v}"));
                parts.push(match i.amount {
                    Some(m) => m.to_string(),
                    None => "amount?".into(),
                });
                parts.push(match i.due {
                    Some(d) => format!("due {}", fmt_date(d)),
                    None => "due?".into(),
                });
                if !i.number.is_empty() {
                    parts.push(format!("#{}", i.number));
                }
                if !i.payment_ref.is_empty() {
                    parts.push(i.payment_ref.clone());
                }
            }
            Draft::Unparsed => {
                let shown: String = self.input.trim().chars().take(60).collect();
                let more = if self.input.trim().chars().count() > 60 {
                    "…"
                } else {
                    ""
                };
                let shown: String = shown
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                parts.push(format!("Not understood: \u{201c}{shown}{more}\u{201d}"));
            }
        }
        parts.join(" · ")
    }
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

fn describe_time(t: &EventTime) -> String {
    match t {
        EventTime::AllDay { start, end } if start == end => {
            format!("{} (all day)", fmt_date(*start))
        }
        EventTime::AllDay { start, end } => {
            format!("{} – {} (all day)", fmt_date(*start), fmt_date(*end))
        }
        EventTime::Timed { start, end, tz } => {
            let s = start.with_timezone(tz);
            let e = end.with_timezone(tz);
            if s.date_naive() == e.date_naive() {
                format!(
                    "{} {}–{}",
                    fmt_date(s.date_naive()),
                    s.format("%H:%M"),
                    e.format("%H:%M")
                )
            } else {
                format!(
                    "{} {} – {} {}",
                    fmt_date(s.date_naive()),
                    s.format("%H:%M"),
                    fmt_date(e.date_naive()),
                    e.format("%H:%M")
                )
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Event {
        category: EventCategory,
        /// The keyword is part of the title ("Lunch with X").
        keep_keyword: bool,
    },
    Task(TaskKind, TaskDirection),
    Invoice,
    Unknown,
}

fn keyword(word: &str) -> Option<Mode> {
    use EventCategory as C;
    use TaskDirection::{Incoming, Outgoing};
    let w = word.trim_end_matches(':').to_lowercase();
    let ev = |category, keep_keyword| {
        Some(Mode::Event {
            category,
            keep_keyword,
        })
    };
    match w.as_str() {
        "mtg" | "meeting" | "möte" | "mote" | "meet" => ev(C::Meeting, false),
        "appt" | "appointment" | "besök" | "besok" => ev(C::Appointment, false),
        "lunch" | "dinner" | "breakfast" | "brunch" | "fika" | "middag" | "frukost" => {
            ev(C::Meeting, true)
        }
        "block" | "focus" | "private" | "busy" => ev(C::PrivateBlock, false),
        "deadline" => ev(C::Deadline, false),
        "event" | "ev" | "evt" | "cal" => ev(C::Other, false),
        "call" | "ring" | "phone" | "tel" | "ringa" => Some(Mode::Task(TaskKind::Call, Outgoing)),
        "callback" | "call-back" => Some(Mode::Task(TaskKind::Call, Incoming)),
        "email" | "e-mail" | "mail" | "mejl" | "mejla" | "maila" => {
            Some(Mode::Task(TaskKind::Email, Outgoing))
        }
        "reply" | "answer" | "respond" | "svara" | "besvara" => {
            Some(Mode::Task(TaskKind::Email, Incoming))
        }
        "letter" | "brev" => Some(Mode::Task(TaskKind::Letter, Outgoing)),
        "msg" | "message" | "sms" | "text" | "meddelande" => {
            Some(Mode::Task(TaskKind::Message, Outgoing))
        }
        "task" | "todo" | "to-do" | "uppgift" | "followup" | "follow-up" => {
            Some(Mode::Task(TaskKind::Other, Outgoing))
        }
        "inv" | "invoice" | "bill" | "faktura" => Some(Mode::Invoice),
        _ => None,
    }
}

#[derive(Debug, Clone)]
struct Tok {
    raw: String,
    /// Lower-case, trailing `,;` dropped, Swedish date words mapped to English.
    norm: String,
}

fn swedish(w: &str) -> &str {
    match w {
        "idag" => "today",
        "imorgon" | "imorn" => "tomorrow",
        "igår" | "igar" => "yesterday",
        "övermorgon" => "+2d",
        "måndag" | "mån" => "mon",
        "tisdag" | "tis" => "tue",
        "onsdag" | "ons" => "wed",
        "torsdag" | "tors" | "tor" => "thu",
        "fredag" | "fre" => "fri",
        "lördag" | "lör" => "sat",
        "söndag" | "sön" => "sun",
        "nästa" => "next",
        "vecka" | "veckor" => "weeks",
        "dag" | "dagar" => "days",
        "månad" | "månader" => "months",
        "år" => "years",
        "januari" => "jan",
        "februari" => "feb",
        "mars" => "mar",
        "maj" => "may",
        "juni" => "jun",
        "juli" => "jul",
        "augusti" => "aug",
        "okt" | "oktober" => "oct",
        "vecka." => "week",
        other => other,
    }
}

fn tokenize(text: &str) -> Vec<Tok> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<Tok> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let lower = w.to_lowercase();
        // Swedish two-word days: "i morgon", "i dag", "i övermorgon", "i går"
        if lower == "i"
            && let Some(next) = words.get(i + 1)
        {
            let n = next.to_lowercase();
            let n = n.trim_end_matches([',', ';']);
            let mapped = match n {
                "morgon" | "morn" => Some("tomorrow"),
                "dag" => Some("today"),
                "övermorgon" => Some("+2d"),
                "går" | "gar" => Some("yesterday"),
                _ => None,
            };
            if let Some(m) = mapped {
                out.push(Tok {
                    raw: format!("{w} {next}"),
                    norm: m.into(),
                });
                i += 2;
                continue;
            }
        }
        let trimmed = lower.trim_end_matches([',', ';']);
        let norm = swedish(trimmed).to_string();
        out.push(Tok {
            raw: w.to_string(),
            norm,
        });
        i += 1;
    }
    out
}

/// Something recognised at a position.
#[derive(Debug, Clone)]
enum Det {
    Date(NaiveDate),
    DateRange(NaiveDate, NaiveDate),
    DateTime(NaiveDate, NaiveTime),
    Time(NaiveTime),
    TimeRange(NaiveTime, NaiveTime),
    Duration(Duration),
    Priority(Priority),
    Location(String),
    Number(String),
    PayRef(String),
    Amount {
        money: Money,
        explicit: bool,
    },
    Repeat(Repeat),
    /// Looked like a field but was wrong: (fragment, message).
    Bad(String, String),
}

/// `every mon`, `every 2 weeks`, `daily`, `every weekday`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Repeat {
    freq: &'static str,
    interval: u32,
    byday: Vec<Weekday>,
}

fn weekday_word(w: &str) -> Option<Weekday> {
    let w = w.trim_end_matches(['.', ',']);
    let w = w.strip_suffix('s').filter(|x| x.len() >= 6).unwrap_or(w);
    if w.len() < 3 {
        return None;
    }
    [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ]
    .into_iter()
    .find_map(|(full, d)| full.starts_with(w).then_some(d))
}

fn hm(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

fn byday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    Due,
    Issued,
}

const RANGE_WORDS: &[&str] = &["-", "–", "—", "to", "till", "until", "tills"];
const TOPIC_WORDS: &[&str] = &[
    "about",
    "re",
    "re:",
    "regarding",
    "concerning",
    "om",
    "angående",
    "ang",
    "ang.",
    "ang:",
    "gällande",
];
const DUE_WORDS: &[&str] = &[
    "due",
    "by",
    "until",
    "before",
    "senast",
    "förfaller",
    "forfaller",
    "förfallodag",
];
const FILLER_WORDS: &[&str] = &[
    "at", "on", "from", "den", "på", "från", "kl", "kl.", "this", "i", "nu", "coming",
];
const ISSUED_WORDS: &[&str] = &["issued", "dated", "utfärdad", "daterad", "fakturadatum"];

struct Parser<'a> {
    toks: &'a [Tok],
    today: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
    mode: Mode,
    default_currency: Currency,
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn currency_word(w: &str) -> Option<Currency> {
    match w {
        "kr" | "kr." | "kronor" | "sek" | ":-" | "skr" => Some(Currency::SEK),
        "€" | "eur" | "euro" | "euros" => Some(Currency::EUR),
        "$" | "usd" | "dollar" | "dollars" => Some(Currency::USD),
        "£" | "gbp" => Some(Currency::GBP),
        w if w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic()) => Currency::parse(w).ok(),
        _ => None,
    }
}

/// `1st` -> `1`, `22nd` -> `22`, `3:e` -> `3` (other words unchanged).
fn strip_ordinal(w: &str) -> &str {
    for suf in ["st", "nd", "rd", "th", ":e", ":a", "e", "a"] {
        if let Some(n) = w.strip_suffix(suf)
            && (1..=2).contains(&n.len())
            && n.chars().all(|c| c.is_ascii_digit())
        {
            return n;
        }
    }
    w
}

/// Split an amount word into (currency before, number core, currency after):
/// `€12.50`, `1249kr`, `1249:-`, `12,50€`, `1249`.
fn amount_core(w: &str) -> Option<(Option<Currency>, &str, Option<Currency>)> {
    let mut s = w;
    let mut pre = None;
    for (sym, c) in [
        ("€", Currency::EUR),
        ("$", Currency::USD),
        ("£", Currency::GBP),
    ] {
        if let Some(r) = s.strip_prefix(sym) {
            pre = Some(c);
            s = r;
        }
    }
    let mut post = None;
    for (suf, c) in [
        (":-", Currency::SEK),
        ("kr.", Currency::SEK),
        ("kr", Currency::SEK),
        ("sek", Currency::SEK),
        ("€", Currency::EUR),
        ("eur", Currency::EUR),
        ("$", Currency::USD),
        ("£", Currency::GBP),
    ] {
        if let Some(r) = s.strip_suffix(suf) {
            post = Some(c);
            s = r;
            break;
        }
    }
    // "1249." or "1 249,-"
    let s = s.strip_suffix(",-").unwrap_or(s);
    if s.is_empty()
        || !s.starts_with(|c: char| c.is_ascii_digit())
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    Some((pre, s, post))
}

impl Parser<'_> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    /// A date (or date range, or ISO date-time) starting at `i`.
    fn detect_date(&self, i: usize, allow_range: bool) -> Option<(Det, usize)> {
        let t = self.tok(i)?;
        let n = t.norm.as_str();
        // "Tom" and "Tod" are names, not tomorrow/today; "tom" is tomorrow only at the end of
        // the line or before a time ("call Anna tom 14:00"), not in "call tom tomorrow".
        if matches!(n, "tom" | "tod")
            && (starts_upper(&t.raw)
                || (i + 1 < self.toks.len() && self.detect_time(i + 1).is_none()))
        {
            return None;
        }
        // "Sun Microsystems", "Sat Nav": a capitalised short weekday before a capitalised word
        if matches!(n, "sun" | "sat" | "mon" | "wed")
            && starts_upper(&t.raw)
            && self.tok(i + 1).is_some_and(|nx| {
                starts_upper(&nx.raw)
                    && self.detect_date(i + 1, false).is_none()
                    && self.detect_time(i + 1).is_none()
            })
        {
            return None;
        }
        // a phone number such as +46701234567 is not an offset
        if n.starts_with('+')
            && (n.chars().filter(|c| c.is_ascii_digit()).count() >= 5
                || (n[1..].chars().all(|c| c.is_ascii_digit())
                    && self
                        .tok(i + 1)
                        .is_some_and(|t| t.norm.starts_with(|c: char| c.is_ascii_digit()))))
        {
            return None;
        }
        // 2026-12-01T14:00, 2026-12-01T13:00:00Z
        if n.len() > 10 && n.get(..10).is_some_and(is_iso_date) && n.get(10..11) == Some("t") {
            return Some(match parse_when(&t.raw, self.now, self.tz) {
                Ok(When::Date(d)) => (Det::Date(d), 1),
                Ok(When::Local(l)) => (Det::DateTime(l.date(), l.time()), 1),
                Ok(When::Instant(u)) => {
                    let l = u.with_timezone(&self.tz).naive_local();
                    (Det::DateTime(l.date(), l.time()), 1)
                }
                Err(e) => (Det::Bad(t.raw.clone(), e.0), 1),
            });
        }
        let end = (i + 4).min(self.toks.len());
        let mut words: Vec<&str> = self.toks[i..end].iter().map(|t| t.norm.as_str()).collect();
        if words.first() == Some(&"om") {
            words[0] = "in"; // "om 3 dagar"
        }
        // "1st dec", "dec 1st", "3:e dec": an ordinal next to a month is a day
        let is_month = |w: &str| parse_date_words(&["1", w], self.today).is_ok_and(|r| r.is_some());
        if words.len() >= 2 {
            if is_month(words[1]) {
                words[0] = strip_ordinal(words[0]);
            } else if is_month(words[0]) {
                words[1] = strip_ordinal(words[1]);
            }
        }
        match parse_date_words(&words, self.today) {
            Ok(Some((d, used))) => {
                if allow_range
                    && let Some(sep) = self.tok(i + used)
                    && RANGE_WORDS.contains(&sep.norm.as_str())
                    && let Some((Det::Date(d2), used2)) = self.detect_date(i + used + 1, false)
                {
                    return Some((Det::DateRange(d, d2), used + 1 + used2));
                }
                Some((Det::Date(d), used))
            }
            Ok(None) => None,
            Err(e) => {
                // how many words the broken date spans: "31 feb [2027]" or one word
                let month_form = words.len() >= 2
                    && words[0].chars().all(|c| c.is_ascii_digit())
                    && parse_date_words(&["1", words[1]], self.today).is_ok_and(|r| r.is_some());
                let used = if month_form {
                    if words
                        .get(2)
                        .is_some_and(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
                    {
                        3
                    } else {
                        2
                    }
                } else {
                    1
                };
                let frag = self.toks[i..i + used]
                    .iter()
                    .map(|t| t.raw.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                Some((Det::Bad(frag, e.0), used))
            }
        }
    }

    fn single_time(&self, i: usize) -> Option<NaiveTime> {
        let t = self.tok(i)?;
        let n = t.norm.as_str();
        if n.len() > 8 {
            return None;
        }
        if is_time_word(n) {
            // "1:1" is not a time; "9:05", "2pm", "2:30pm" are
            let mins_ok = match n.split_once(':') {
                Some((_, m)) => m.chars().take_while(|c| c.is_ascii_digit()).count() == 2,
                None => true,
            };
            return if mins_ok { parse_time(n).ok() } else { None };
        }
        // 14.30 (not in invoices, where it is an amount)
        if self.mode != Mode::Invoice
            && let Some((h, m)) = n.split_once('.')
            && (1..=2).contains(&h.len())
            && m.len() == 2
            && h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
        {
            return parse_time(n).ok();
        }
        None
    }

    /// A bare hour or hour range (`12`, `9-11`), read as a time only right after a date or
    /// `kl` (elsewhere a number is just a number).
    fn bare_hours(&self, i: usize) -> Option<(Det, usize)> {
        if self.mode == Mode::Invoice {
            return None;
        }
        let n = self.tok(i)?.norm.replace('–', "-");
        let hour = |s: &str| -> Option<NaiveTime> {
            if s.is_empty() || s.len() > 2 || !s.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: u32 = s.parse().ok()?;
            NaiveTime::from_hms_opt(h, 0, 0)
        };
        if let Some((a, b)) = n.split_once('-') {
            return Some((Det::TimeRange(hour(a)?, hour(b)?), 1));
        }
        Some((Det::Time(hour(&n)?), 1))
    }

    /// A time or time range at `i`: `14:00`, `2pm`, `kl 9`, `14:00-15:30`, `14:00 to 15:30`.
    fn detect_time(&self, i: usize) -> Option<(Det, usize)> {
        let t = self.tok(i)?;
        let n = t.norm.as_str();
        if n.chars().count() > 16 {
            return None;
        }
        match n {
            "noon" | "midday" | "lunchtime" => return Some((Det::Time(hm(12, 0)?), 1)),
            "midnight" | "midnatt" => return Some((Det::Time(hm(0, 0)?), 1)),
            // end of day / close of business
            "eod" | "cob" => return Some((Det::Time(hm(17, 0)?), 1)),
            _ => {}
        }
        // in 30 min, in 2 hours, om 2 timmar: from now
        if matches!(n, "in" | "om") {
            let num: i64 = self.tok(i + 1)?.norm.parse().ok()?;
            let unit = self.tok(i + 2)?.norm.as_str();
            let mins = match unit {
                "min" | "mins" | "minute" | "minutes" | "minuter" | "minut" | "m" => num,
                "h" | "hr" | "hrs" | "hour" | "hours" | "timme" | "timmar" | "tim" => {
                    num.checked_mul(60)?
                }
                _ => return None,
            };
            if !(1..=7 * 24 * 60).contains(&mins) {
                return None;
            }
            let at = (self.now + Duration::minutes(mins)).with_timezone(&self.tz);
            let l = at.naive_local();
            let t = NaiveTime::from_hms_opt(l.time().hour(), l.time().minute(), 0)?;
            return Some((Det::DateTime(l.date(), t), 3));
        }
        // kl 9, kl. 14:30
        if matches!(n, "kl" | "kl.") {
            let next = self.tok(i + 1)?;
            if let Some((Det::TimeRange(a, b), used)) = self.detect_time(i + 1) {
                return Some((Det::TimeRange(a, b), used + 1));
            }
            if let Some((d, used)) = self.bare_hours(i + 1) {
                return Some((d, used + 1));
            }
            let tm = self
                .single_time(i + 1)
                .or_else(|| parse_time(&next.norm).ok())?;
            return Some((Det::Time(tm), 2));
        }
        if n.contains(['-', '–']) && !n.starts_with(['-', '+']) {
            let timeish = |s: &str| {
                let s = s.trim();
                s.contains(':') || s.ends_with("am") || s.ends_with("pm") || s.contains('.')
            };
            let norm = n.replace('–', "-");
            if let Some((a, b)) = norm.split_once('-')
                && ((timeish(a) || timeish(b)) && self.mode != Mode::Invoice || timeish(a))
                && let Some((ta, tb)) = parse_time_range(&norm)
            {
                return Some((Det::TimeRange(ta, tb), 1));
            }
            return None;
        }
        let Some(start) = self.single_time(i) else {
            // 25:00, 14:60: clearly meant as a time
            let b = n.as_bytes();
            let looks = (4..=5).contains(&b.len())
                && b[b.len() - 3] == b':'
                && b.iter().filter(|c| c.is_ascii_digit()).count() == b.len() - 1;
            return looks.then(|| {
                (
                    Det::Bad(
                        t.raw.clone(),
                        "not a time of day (use HH:MM, 00:00-23:59)".into(),
                    ),
                    1,
                )
            });
        };
        if let Some(sep) = self.tok(i + 1)
            && RANGE_WORDS.contains(&sep.norm.as_str())
            && let Some(end) = self.single_time(i + 2)
        {
            return Some((Det::TimeRange(start, end), 3));
        }
        Some((Det::Time(start), 1))
    }

    fn detect_when(&self, i: usize) -> Option<(Det, usize)> {
        self.detect_date(i, true).or_else(|| self.detect_time(i))
    }

    /// `1h`, `90m`, `30min`, `for 1h`, `90 min`, `2 hours`.
    fn detect_duration(&self, i: usize) -> Option<(Det, usize)> {
        if !matches!(self.mode, Mode::Event { .. } | Mode::Unknown) {
            return None;
        }
        let t = self.tok(i)?;
        if matches!(t.norm.as_str(), "for" | "i") {
            return self.detect_duration(i + 1).map(|(d, u)| (d, u + 1));
        }
        let n = t.norm.as_str();
        if n.len() > 10 || !n.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let unit = |u: &str| -> Option<&'static str> {
            match u {
                "m" | "min" | "mins" | "minute" | "minutes" | "minuter" => Some("m"),
                "h" | "hr" | "hrs" | "hour" | "hours" | "tim" | "timme" | "timmar" => Some("h"),
                "d" | "day" | "days" => Some("d"),
                _ => None,
            }
        };
        // "90 min", "2 hours"
        if n.chars().all(|c| c.is_ascii_digit()) {
            let u = unit(self.tok(i + 1)?.norm.as_str())?;
            let d = parse_duration(&format!("{n}{u}")).ok()?;
            return Some((Det::Duration(d), 2));
        }
        let split = n.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(n.len());
        let (num, u) = n.split_at(split);
        let text = match unit(u) {
            Some(u) => format!("{num}{u}"),
            None => n.to_string(),
        };
        if !text.ends_with(['m', 'h', 'd']) {
            return None;
        }
        parse_duration(&text).ok().map(|d| (Det::Duration(d), 1))
    }

    fn detect_priority(&self, i: usize) -> Option<(Det, usize)> {
        let t = self.tok(i)?;
        let rest = t.norm.strip_prefix('!')?;
        let p = match rest {
            "high" | "h" | "hi" | "!" | "!!" | "1" | "hög" | "hog" | "urgent" | "brådskande"
            | "viktig" | "important" => Some(Priority::High),
            "normal" | "n" | "2" | "medium" | "med" | "mid" => Some(Priority::Normal),
            "low" | "l" | "lo" | "3" | "låg" | "lag" => Some(Priority::Low),
            _ => None,
        };
        Some(match p {
            Some(p) => (Det::Priority(p), 1),
            None => (
                Det::Bad(
                    t.raw.clone(),
                    "unknown priority (use !high, !normal or !low)".into(),
                ),
                1,
            ),
        })
    }

    /// `@Room 3`, `@ Café Opera`: up to the next date, time, duration or marked token.
    fn detect_location(&self, i: usize) -> Option<(Det, usize)> {
        let t = self.tok(i)?;
        let first = t.raw.strip_prefix('@')?;
        let mut words: Vec<&str> = Vec::new();
        if !first.is_empty() {
            words.push(first);
        }
        let mut j = i + 1;
        while let Some(w) = self.tok(j) {
            if w.raw.starts_with(['!', '@', '#'])
                || self.detect_repeat(j).is_some()
                || self.detect_when(j).is_some()
                || self.detect_duration(j).is_some()
            {
                break;
            }
            // "due fri", "at 14:00"
            let filler =
                FILLER_WORDS.contains(&w.norm.as_str()) || DUE_WORDS.contains(&w.norm.as_str());
            if filler && self.detect_when(j + 1).is_some() {
                break;
            }
            words.push(&w.raw);
            j += 1;
        }
        if words.is_empty() {
            return Some((
                Det::Bad(t.raw.clone(), "'@' without a place (write @Room 3)".into()),
                j - i,
            ));
        }
        Some((Det::Location(words.join(" ")), j - i))
    }

    fn detect_invoice_bits(&self, i: usize) -> Option<(Det, usize)> {
        let t = self.tok(i)?;
        if let Some(num) = t.raw.strip_prefix('#')
            && !num.is_empty()
        {
            return Some((Det::Number(num.to_string()), 1));
        }
        if matches!(
            t.norm.as_str(),
            "ocr" | "ref" | "bg" | "pg" | "bankgiro" | "plusgiro"
        ) {
            let next = self.tok(i + 1)?;
            if next.raw.chars().any(|c| c.is_ascii_digit()) {
                let label = if t.norm == "ref" {
                    "Ref".to_string()
                } else {
                    t.norm.to_uppercase()
                };
                return Some((Det::PayRef(format!("{label} {}", next.raw)), 2));
            }
        }
        if matches!(t.norm.as_str(), "nr" | "no" | "no." | "number" | "nummer") {
            let next = self.tok(i + 1)?;
            if next.raw.chars().any(|c| c.is_ascii_digit()) {
                return Some((Det::Number(next.raw.trim_start_matches('#').to_string()), 2));
            }
        }
        None
    }

    /// An amount: `1249`, `1 249,00 SEK`, `EUR 12.50`, `€12.50`, `1249 kr`, `1249:-`.
    /// Without a keyword (`Mode::Unknown`) only with a currency.
    fn detect_amount(&self, i: usize) -> Option<(Det, usize)> {
        if !matches!(self.mode, Mode::Invoice | Mode::Unknown) {
            return None;
        }
        let t = self.tok(i)?;
        let mut j = i;
        let mut currency = None;
        if amount_core(&t.norm).is_none() {
            // "EUR 12.50", "SEK 1 249"
            currency = Some(currency_word(&t.norm)?);
            j += 1;
        }
        let first = self.tok(j)?;
        let (pre, core, post) = amount_core(&first.norm)?;
        if first.norm.len() > 40 {
            return None;
        }
        currency = currency.or(pre).or(post);
        let mut text = core.to_string();
        let mut last_has_sep = core.contains(['.', ',']);
        j += 1;
        let mut closed = post.is_some();
        // "1 249,00": groups of three digits after a first group without separators
        while !closed && !last_has_sep {
            let Some(next) = self.tok(j) else { break };
            let Some((None, c, p)) = amount_core(&next.norm) else {
                break;
            };
            let lead = c.chars().take_while(|c| c.is_ascii_digit()).count();
            if lead != 3 || text.len() > 20 {
                break;
            }
            text.push(' ');
            text.push_str(c);
            last_has_sep = c.contains(['.', ',']);
            if p.is_some() {
                currency = currency.or(p);
                closed = true;
            }
            j += 1;
        }
        if currency.is_none()
            && let Some(c) = self.tok(j).and_then(|n| currency_word(&n.norm))
        {
            currency = Some(c);
            j += 1;
        }
        if self.mode == Mode::Unknown && currency.is_none() {
            return None;
        }
        let explicit = currency.is_some();
        let cur = currency.unwrap_or(self.default_currency);
        let frag = self.toks[i..j]
            .iter()
            .map(|t| t.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some(match Money::parse_amount(&text, cur) {
            Ok(money) if money.minor >= 0 => (Det::Amount { money, explicit }, j - i),
            Ok(_) => (Det::Bad(frag, "amount must not be negative".into()), j - i),
            Err(e) => (Det::Bad(frag, e.to_string()), j - i),
        })
    }

    /// `every mon`, `every mon and thu`, `every weekday`, `every day`, `every 2 weeks`,
    /// `daily`, `weekly`, `monthly`, `yearly`, Swedish `varje måndag`, `dagligen`.
    fn detect_repeat(&self, i: usize) -> Option<(Det, usize)> {
        if !matches!(
            self.mode,
            Mode::Event { .. } | Mode::Unknown | Mode::Task(..)
        ) {
            return None;
        }
        let t = self.tok(i)?;
        let simple = |freq: &'static str| {
            Some((
                Det::Repeat(Repeat {
                    freq,
                    interval: 1,
                    byday: vec![],
                }),
                1,
            ))
        };
        match t.norm.as_str() {
            "daily" | "dagligen" => return simple("DAILY"),
            "weekly" | "veckovis" => return simple("WEEKLY"),
            "monthly" | "månadsvis" => return simple("MONTHLY"),
            "yearly" | "annually" | "årligen" => return simple("YEARLY"),
            "every" | "each" | "varje" | "var" | "varannan" => {}
            _ => return None,
        }
        let mut j = i + 1;
        let mut interval: u32 = if t.norm == "varannan" { 2 } else { 1 };
        if let Some(n) = self.tok(j).and_then(|w| w.norm.parse::<u32>().ok()) {
            if (1..=99).contains(&n) {
                interval = n;
                j += 1;
            }
        } else if self
            .tok(j)
            .is_some_and(|w| matches!(w.norm.as_str(), "other" | "second"))
        {
            interval = 2;
            j += 1;
        }
        let w = self.tok(j)?.norm.as_str();
        let unit = |freq: &'static str, byday: Vec<Weekday>, used: usize| {
            Some((
                Det::Repeat(Repeat {
                    freq,
                    interval,
                    byday,
                }),
                used,
            ))
        };
        match w {
            "day" | "days" | "dag" | "dagar" => return unit("DAILY", vec![], j + 1 - i),
            "week" | "weeks" | "vecka" | "veckor" => return unit("WEEKLY", vec![], j + 1 - i),
            "month" | "months" | "månad" | "månader" => {
                return unit("MONTHLY", vec![], j + 1 - i);
            }
            "year" | "years" | "år" => return unit("YEARLY", vec![], j + 1 - i),
            "weekday" | "weekdays" | "vardag" | "vardagar" => {
                use Weekday::*;
                return unit("WEEKLY", vec![Mon, Tue, Wed, Thu, Fri], j + 1 - i);
            }
            _ => {}
        }
        // one or more weekdays: "mon", "mon,thu", "mon and thu", "mon & thu"
        let mut days: Vec<Weekday> = Vec::new();
        let mut k = j;
        while let Some(tok) = self.tok(k) {
            let parts: Vec<&str> = tok.norm.split(',').filter(|p| !p.is_empty()).collect();
            let ds: Vec<Weekday> = parts.iter().filter_map(|p| weekday_word(p)).collect();
            if !parts.is_empty() && ds.len() == parts.len() {
                for d in ds {
                    if !days.contains(&d) {
                        days.push(d);
                    }
                }
                k += 1;
                continue;
            }
            let joiner = matches!(tok.norm.as_str(), "and" | "&" | "och" | "+");
            if joiner
                && !days.is_empty()
                && self
                    .tok(k + 1)
                    .is_some_and(|n| weekday_word(&n.norm).is_some())
            {
                k += 1;
                continue;
            }
            break;
        }
        if days.is_empty() {
            return None;
        }
        unit("WEEKLY", days, k - i)
    }

    fn detect(&self, i: usize) -> Option<(Det, usize)> {
        let t = self.tok(i)?;
        if let Some(r) = self.detect_repeat(i) {
            return Some(r);
        }
        if t.raw.starts_with('!') {
            return self.detect_priority(i);
        }
        if t.raw.starts_with('@') {
            return self.detect_location(i);
        }
        if self.mode == Mode::Invoice
            && let Some(d) = self.detect_invoice_bits(i)
        {
            return Some(d);
        }
        self.detect_when(i)
            .or_else(|| self.detect_amount(i))
            .or_else(|| self.detect_duration(i))
    }
}

/// What the walk over the words collected.
#[derive(Debug, Default)]
struct Found {
    /// Text words, in runs separated by recognised fields.
    runs: Vec<Vec<String>>,
    dates: Vec<(NaiveDate, Option<NaiveDate>, Marker)>,
    start: Option<NaiveTime>,
    end: Option<NaiveTime>,
    duration: Option<Duration>,
    priority: Option<Priority>,
    location: Option<String>,
    amounts: Vec<(Money, bool, String)>,
    number: Option<String>,
    payment_ref: Option<String>,
    repeat: Option<Repeat>,
    issues: Vec<Issue>,
}

impl Found {
    fn text_count(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }
    fn has_fields(&self) -> bool {
        !self.dates.is_empty()
            || self.start.is_some()
            || self.priority.is_some()
            || self.location.is_some()
            || !self.amounts.is_empty()
            || self.duration.is_some()
    }
    fn set_time(&mut self, t: NaiveTime, frag: &str) {
        if self.start.is_none() {
            self.start = Some(t);
        } else if self.end.is_none() {
            self.end = Some(t);
        } else {
            self.issues.push(Issue::new(
                frag,
                "a third time; only a start and an end are used",
            ));
        }
    }
}

fn walk(p: &Parser<'_>, from: usize) -> Found {
    let mut f = Found {
        runs: vec![Vec::new()],
        ..Default::default()
    };
    let mut marker = Marker::None;
    let mut i = from;
    while i < p.toks.len() {
        if let Some((det, used)) = p.detect(i) {
            let used = used.max(1);
            let frag = p.toks[i..(i + used).min(p.toks.len())]
                .iter()
                .map(|t| t.raw.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let m = std::mem::replace(&mut marker, Marker::None);
            let is_date = matches!(det, Det::Date(_) | Det::DateRange(..));
            match det {
                Det::Date(d) => f.dates.push((d, None, m)),
                Det::DateRange(a, b) => f.dates.push((a, Some(b), m)),
                Det::DateTime(d, t) => {
                    f.dates.push((d, None, m));
                    f.set_time(t, &frag);
                }
                Det::Time(t) => f.set_time(t, &frag),
                Det::TimeRange(a, b) => {
                    if f.start.is_none() {
                        f.start = Some(a);
                        f.end = Some(b);
                    } else {
                        f.issues
                            .push(Issue::new(frag, "a second time range; ignored"));
                    }
                }
                Det::Duration(d) => {
                    if f.duration.is_some() {
                        f.issues
                            .push(Issue::new(frag, "a second duration; ignored"));
                    } else {
                        f.duration = Some(d);
                    }
                }
                Det::Priority(pr) => f.priority = Some(pr),
                Det::Location(l) => {
                    if let Some(old) = &f.location {
                        f.issues
                            .push(Issue::new(frag, format!("a second place; kept '{old}'")));
                    } else {
                        f.location = Some(l);
                    }
                }
                Det::Number(n) => f.number = Some(n),
                Det::PayRef(r) => f.payment_ref = Some(r),
                Det::Repeat(r) => {
                    if f.repeat.is_some() {
                        f.issues
                            .push(Issue::new(frag, "a second repeat rule; ignored"));
                    } else {
                        f.repeat = Some(r);
                    }
                }
                Det::Amount { money, explicit } => f.amounts.push((money, explicit, frag)),
                Det::Bad(frag, msg) => f.issues.push(Issue::new(frag, msg)),
            }
            if f.runs.last().is_some_and(|r| !r.is_empty()) {
                f.runs.push(Vec::new());
            }
            i += used;
            // "thu 12", "tomorrow 9-11": a bare hour right after a date
            if is_date && f.start.is_none() {
                if let Some((Det::Time(t), 1)) = p.bare_hours(i) {
                    f.start = Some(t);
                    i += 1;
                } else if let Some((Det::TimeRange(a, b), 1)) = p.bare_hours(i) {
                    f.start = Some(a);
                    f.end = Some(b);
                    i += 1;
                }
            }
            continue;
        }
        let t = &p.toks[i];
        let n = t.norm.as_str();
        // words that only introduce a date or time: "due fri", "at 14:00", "on 3 dec"
        let intro =
            DUE_WORDS.contains(&n) || FILLER_WORDS.contains(&n) || ISSUED_WORDS.contains(&n);
        if intro && p.detect_when(i + 1).is_some() {
            marker = if DUE_WORDS.contains(&n) {
                Marker::Due
            } else if ISSUED_WORDS.contains(&n) {
                Marker::Issued
            } else {
                Marker::None
            };
            i += 1;
            continue;
        }
        if let Some(run) = f.runs.last_mut() {
            run.push(t.raw.clone());
        }
        i += 1;
    }
    f.runs.retain(|r| !r.is_empty());
    f
}

fn is_topic(w: &str) -> bool {
    TOPIC_WORDS.contains(&w.to_lowercase().as_str())
}

fn clean_email(w: &str) -> Option<String> {
    let e = w
        .trim_start_matches(['<', '('])
        .trim_end_matches(['>', ')', ',', ';', ':', '.']);
    looks_like_email(e).then(|| e.to_string())
}

const PARTICLES: &[&str] = &[
    "von", "van", "de", "af", "der", "den", "la", "le", "di", "da",
];

/// A name at the start of `words`: capitalised words (particles between them allowed).
/// Returns the name and the number of words used. A word ending in ':' ends the name.
fn name_run(words: &[String], max: usize) -> (Vec<String>, usize) {
    let mut out: Vec<String> = Vec::new();
    let mut j = 0;
    while j < words.len() && out.len() < max {
        let w = &words[j];
        let lower = w.to_lowercase();
        let ok = starts_upper(w)
            || (!out.is_empty()
                && PARTICLES.contains(&lower.as_str())
                && words.get(j + 1).is_some_and(|n| starts_upper(n)));
        if !ok || is_topic(w) {
            break;
        }
        let stripped = w.trim_end_matches([',', ':', ';']);
        if !stripped.is_empty() {
            out.push(stripped.to_string());
        }
        j += 1;
        if w.ends_with([':', ',', ';']) {
            break;
        }
    }
    (out, j)
}

fn join(words: &[String]) -> String {
    words.join(" ")
}

fn task_draft(
    kind: TaskKind,
    mut direction: TaskDirection,
    f: &mut Found,
    ctx: &Ctx,
    guessed: bool,
) -> TaskDraft {
    let mut runs = std::mem::take(&mut f.runs);
    let first: Vec<String> = if runs.is_empty() {
        Vec::new()
    } else {
        runs.remove(0)
    };
    let mut idx = 0;
    let lower = |w: &String| w.to_lowercase();
    let mut contact: Option<String> = None;
    if !guessed {
        // "call back Anna", "ring tillbaka"
        if kind == TaskKind::Call
            && first
                .get(idx)
                .is_some_and(|w| matches!(lower(w).as_str(), "back" | "tillbaka"))
        {
            direction = TaskDirection::Incoming;
            idx += 1;
        }
        let mut connector = false;
        if let Some(w) = first.get(idx) {
            match lower(w).as_str() {
                "to" | "till" | "with" | "w/" | "med" | "för" => {
                    connector = true;
                    idx += 1;
                }
                "from" | "från" => {
                    connector = true;
                    direction = TaskDirection::Incoming;
                    idx += 1;
                }
                _ => {}
            }
        }
        let rest = &first[idx..];
        let names_allowed = kind != TaskKind::Other || connector;
        let topic_pos = rest.iter().position(|w| is_topic(w));
        let phone_len = rest
            .iter()
            .take_while(|w| {
                w.chars().any(|c| c.is_ascii_digit())
                    && w.chars()
                        .all(|c| c.is_ascii_digit() || "+-()./".contains(c))
            })
            .count();
        let phone_digits: usize = rest[..phone_len]
            .iter()
            .map(|w| w.chars().filter(char::is_ascii_digit).count())
            .sum();
        if let Some(email) = rest.first().and_then(|w| clean_email(w)) {
            contact = Some(email);
            idx += 1;
        } else if matches!(kind, TaskKind::Call | TaskKind::Message) && phone_digits >= 5 {
            // "call +46 70 123 45 67"
            contact = Some(join(&rest[..phone_len]));
            idx += phone_len;
        } else if names_allowed {
            let (name, used) = name_run(rest, 5);
            let loose_ok = kind != TaskKind::Letter || connector;
            if !name.is_empty() && topic_pos.is_none_or(|p| p >= used) {
                contact = Some(join(&name));
                idx += used;
            } else if let Some(p) = topic_pos.filter(|&p| p > 0 && p <= 4 && loose_ok) {
                // "call anna berg about budget": everything before the topic word
                contact = Some(join(&rest[..p]));
                idx += p;
            } else if topic_pos.is_none()
                && loose_ok
                && !rest.is_empty()
                && rest.len() <= 2
                && runs.is_empty()
                && kind != TaskKind::Other
            {
                // "call anna", "email board tomorrow"
                contact = Some(join(rest));
                idx += rest.len();
            }
        }
        // "call Anna back"
        if kind == TaskKind::Call
            && first
                .get(idx)
                .is_some_and(|w| matches!(lower(w).as_str(), "back" | "tillbaka"))
        {
            direction = TaskDirection::Incoming;
            idx += 1;
        }
        if first.get(idx).is_some_and(|w| is_topic(w)) {
            idx += 1;
        }
    }
    let mut subject_words: Vec<String> = first.get(idx..).unwrap_or_default().to_vec();
    for r in runs {
        subject_words.extend(r);
    }
    let mut subject = capitalize(&join(&subject_words));
    if subject.is_empty()
        && let Some(c) = &contact
    {
        subject = match (kind, direction) {
            (TaskKind::Call, TaskDirection::Outgoing) => format!("Call {c}"),
            (TaskKind::Call, TaskDirection::Incoming) => format!("Call back {c}"),
            (TaskKind::Email, TaskDirection::Outgoing) => format!("E-mail {c}"),
            (TaskKind::Email, TaskDirection::Incoming) => format!("Reply to {c}"),
            (TaskKind::Letter, _) => format!("Letter to {c}"),
            (TaskKind::Message, _) => format!("Message {c}"),
            (TaskKind::Other, _) => c.clone(),
        };
    }
    // the due moment
    let date = f.dates.first().map(|d| d.0);
    if f.dates.len() > 1 {
        f.issues.push(Issue::new(
            fmt_date(f.dates[1].0),
            "a second date; the first is the due date",
        ));
    }
    if f.dates.iter().any(|d| d.1.is_some()) {
        f.issues.push(Issue::new(
            "",
            "a task has one due date; the end of the range is ignored",
        ));
    }
    if f.end.is_some() {
        f.issues.push(Issue::new(
            "",
            "a task has one due time; the end time is ignored",
        ));
    }
    if let Some(d) = f.duration {
        f.issues.push(Issue::new(
            format!("{}m", d.num_minutes()),
            "a task has no duration; ignored",
        ));
    }
    if f.repeat.is_some() {
        f.issues.push(Issue::new(
            "",
            "tasks do not repeat; only events do (start the line with mtg)",
        ));
    }
    let due = match (date, f.start) {
        (Some(d), Some(t)) => Some(Due::At(local_to_utc(d.and_time(t), ctx.tz))),
        (Some(d), None) => Some(Due::Date(d)),
        (None, Some(t)) => Some(Due::At(local_to_utc(ctx.today.and_time(t), ctx.tz))),
        (None, None) => None,
    };
    let mut notes = String::new();
    if let Some(l) = &f.location {
        notes = format!("@ {l}");
    }
    if !f.amounts.is_empty() {
        let a: Vec<String> = f.amounts.iter().map(|a| a.2.clone()).collect();
        if !notes.is_empty() {
            notes.push('\n');
        }
        notes.push_str(&a.join(", "));
    }
    TaskDraft {
        kind,
        direction,
        contact,
        subject,
        due,
        priority: f.priority.unwrap_or(Priority::Normal),
        notes,
    }
}

struct Ctx {
    today: NaiveDate,
    tz: Tz,
}

fn default_minutes(c: EventCategory) -> i64 {
    match c {
        EventCategory::Call => 30,
        EventCategory::Deadline => 0,
        _ => 60,
    }
}

fn event_draft(
    category: EventCategory,
    keep: Option<&str>,
    f: &mut Found,
    ctx: &Ctx,
) -> EventDraft {
    let mut words: Vec<String> = Vec::new();
    if let Some(k) = keep {
        words.push(k.trim_end_matches(':').to_string());
    }
    for r in std::mem::take(&mut f.runs) {
        words.extend(r);
    }
    // "with Anna Berg"
    let mut contact = None;
    if let Some(p) = words
        .iter()
        .position(|w| matches!(w.to_lowercase().as_str(), "with" | "w/" | "med"))
    {
        let rest = &words[p + 1..];
        if let Some(e) = rest.first().and_then(|w| clean_email(w)) {
            contact = Some(e);
        } else {
            let (name, _) = name_run(rest, 5);
            if !name.is_empty() {
                contact = Some(join(&name));
            } else if !rest.is_empty() && rest.len() <= 2 {
                contact = Some(join(rest));
            }
        }
        if p == 0 && keep.is_none() {
            let label = match category {
                EventCategory::Appointment => "Appointment",
                EventCategory::Call => "Call",
                _ => "Meeting",
            };
            words.insert(0, label.to_string());
        }
    }
    let title = capitalize(&join(&words));
    // "every mon ... until 2027-06-30": the until date ends the series
    let mut until = None;
    if f.repeat.is_some()
        && let Some(pos) = f.dates.iter().position(|d| d.2 == Marker::Due)
    {
        until = Some(f.dates.remove(pos).0);
    }
    let (mut d0, range_end) = match f.dates.first() {
        Some(&(d, e, _)) => (Some(d), e),
        None => (None, None),
    };
    if d0.is_none() {
        // the first occurrence: the next listed weekday, today included
        if let Some(r) = f.repeat.as_ref().filter(|r| !r.byday.is_empty()) {
            d0 = (0..7)
                .map(|k| ctx.today + Duration::days(k))
                .find(|d| r.byday.contains(&d.weekday()));
        } else if f.repeat.is_some() && f.start.is_none() {
            d0 = Some(ctx.today);
        }
    }
    let mut end_date = range_end;
    if f.dates.len() > 1 {
        let (d1, _, _) = f.dates[1];
        if end_date.is_none() && f.start.is_none() && d0.is_some_and(|d| d1 >= d) {
            end_date = Some(d1); // "2026-12-03 2026-12-05" spans days
        } else {
            f.issues
                .push(Issue::new(fmt_date(d1), "a second date; ignored"));
        }
    }
    let time = match (d0, f.start) {
        (None, None) => None,
        (Some(d), None) => {
            let mut end = end_date.unwrap_or(d);
            if let Some(dur) = f.duration {
                let days = dur.num_days();
                if days >= 1 && end_date.is_none() {
                    end = d + Duration::days(days - 1);
                } else if days < 1 {
                    f.issues.push(Issue::new(
                        format!("{}m", dur.num_minutes()),
                        "a duration without a start time; the event is all day",
                    ));
                }
            }
            if end < d {
                f.issues.push(Issue::new(
                    fmt_date(end),
                    "the end date is before the start; using one day",
                ));
                end = d;
            }
            Some(EventTime::AllDay { start: d, end })
        }
        (d, Some(st)) => {
            let day = d.unwrap_or(ctx.today);
            if end_date.is_some() {
                f.issues.push(Issue::new(
                    "",
                    "a date range with a time; the range end is ignored",
                ));
            }
            let start_local = day.and_time(st);
            let end_local = match (f.end, f.duration) {
                (Some(e), dur) => {
                    if dur.is_some() {
                        f.issues.push(Issue::new(
                            "",
                            "both an end time and a duration; the end time is used",
                        ));
                    }
                    let mut e = day.and_time(e);
                    if e < start_local {
                        e += Duration::days(1); // 23:00-01:00 ends the next day
                    }
                    e
                }
                (None, Some(dur)) => start_local + dur,
                (None, None) => start_local + Duration::minutes(default_minutes(category)),
            };
            Some(EventTime::Timed {
                start: local_to_utc(start_local, ctx.tz),
                end: local_to_utc(end_local, ctx.tz),
                tz: ctx.tz,
            })
        }
    };
    let rrule = f.repeat.as_ref().map(|r| {
        let mut v = format!("FREQ={}", r.freq);
        if r.interval > 1 {
            v.push_str(&format!(";INTERVAL={}", r.interval));
        }
        if !r.byday.is_empty() {
            let days: Vec<&str> = r.byday.iter().map(|d| byday_code(*d)).collect();
            v.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        if let Some(u) = until {
            match &time {
                // UNTIL is UTC when the start has a zone, a DATE for all-day events
                Some(EventTime::Timed { .. }) => {
                    let end = u.and_hms_opt(23, 59, 59).map(|n| local_to_utc(n, ctx.tz));
                    if let Some(end) = end {
                        v.push_str(&format!(";UNTIL={}", end.format("%Y%m%dT%H%M%SZ")));
                    }
                }
                _ => v.push_str(&format!(";UNTIL={}", u.format("%Y%m%d"))),
            }
        }
        v
    });
    if let (Some(u), Some(t)) = (until, &time)
        && u < t.start_in(ctx.tz).with_timezone(&ctx.tz).date_naive()
    {
        f.issues.push(Issue::new(
            fmt_date(u),
            "the repeat ends before the first occurrence",
        ));
    }
    if let Some(p) = f.priority {
        f.issues.push(Issue::new(
            format!("!{p}"),
            "events have no priority; ignored",
        ));
    }
    if !f.amounts.is_empty() {
        let a: Vec<String> = f.amounts.iter().map(|a| a.2.clone()).collect();
        f.issues
            .push(Issue::new(a.join(", "), "an amount in an event; ignored"));
    }
    EventDraft {
        title,
        category,
        time,
        location: f.location.clone().unwrap_or_default(),
        contact,
        rrule,
    }
}

fn invoice_draft(f: &mut Found, ctx: &Ctx) -> InvoiceDraft {
    let mut runs = std::mem::take(&mut f.runs);
    let vendor = if runs.is_empty() {
        String::new()
    } else {
        join(&runs.remove(0))
    };
    let mut notes: Vec<String> = runs.iter().map(|r| join(r)).collect();
    // the amount: the one with a currency, else the first
    let pick = f
        .amounts
        .iter()
        .position(|a| a.1)
        .or(if f.amounts.is_empty() { None } else { Some(0) });
    let amount = pick.map(|p| f.amounts[p].0);
    for (k, a) in f.amounts.iter().enumerate() {
        if Some(k) != pick {
            f.issues.push(Issue::new(
                a.2.clone(),
                "a second amount; not used (kept in the notes)",
            ));
            notes.push(a.2.clone());
        }
    }
    let mut due = None;
    let mut issued = None;
    let mut plain = Vec::new();
    for &(d, e, m) in &f.dates {
        if e.is_some() {
            f.issues.push(Issue::new(
                fmt_date(d),
                "a date range in an invoice; using its start",
            ));
        }
        match m {
            Marker::Due if due.is_none() => due = Some(d),
            Marker::Issued if issued.is_none() => issued = Some(d),
            _ => plain.push(d),
        }
    }
    for d in plain {
        if due.is_none() {
            due = Some(d);
        } else if issued.is_none() && due.is_some_and(|x| d < x) {
            issued = Some(d);
        } else {
            f.issues
                .push(Issue::new(fmt_date(d), "an extra date; ignored"));
        }
    }
    if f.start.is_some() {
        f.issues
            .push(Issue::new("", "a time in an invoice; ignored"));
    }
    if let Some(p) = f.priority {
        f.issues.push(Issue::new(
            format!("!{p}"),
            "invoices have no priority; ignored",
        ));
    }
    if let Some(l) = &f.location {
        notes.push(format!("@ {l}"));
    }
    let issue_date = match (issued, due) {
        (Some(i), Some(d)) if i > d => {
            f.issues.push(Issue::new(
                fmt_date(i),
                "the issue date is after the due date; using the due date",
            ));
            d
        }
        (Some(i), _) => i,
        (None, Some(d)) => ctx.today.min(d),
        (None, None) => ctx.today,
    };
    InvoiceDraft {
        vendor,
        amount,
        due,
        issue_date,
        number: f.number.clone().unwrap_or_default(),
        payment_ref: f.payment_ref.clone().unwrap_or_default(),
        notes: notes.join("\n"),
    }
}

/// Read one quick-capture line. `now` and `tz` fix "today"; amounts without a currency are in
/// `default_currency`. Never panics; the original text is kept in [`Capture::input`].
pub fn parse(line: &str, now: DateTime<Utc>, tz: Tz, default_currency: Currency) -> Capture {
    let mut cap = Capture {
        input: line.to_string(),
        draft: Draft::Unparsed,
        issues: Vec::new(),
        guessed: false,
        tz,
    };
    let count = line.chars().count();
    if count > MAX_INPUT_CHARS {
        cap.issues.push(Issue::new(
            "",
            format!("too long to read: {count} characters (at most {MAX_INPUT_CHARS})"),
        ));
        return cap;
    }
    // tabs and newlines are spaces; other control characters go, with a note
    let mut had_control = false;
    let text: String = line
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                if !c.is_whitespace() {
                    had_control = true;
                }
                ' '
            } else {
                c
            }
        })
        .collect();
    if had_control {
        cap.issues
            .push(Issue::new("", "control characters were removed"));
    }
    let toks = tokenize(&text);
    if toks.is_empty() {
        cap.issues.push(Issue::new("", "nothing to capture"));
        return cap;
    }
    let mode = keyword(&toks[0].raw);
    let (mode, from) = match mode {
        Some(m) => (m, 1),
        None => (Mode::Unknown, 0),
    };
    let today = now.with_timezone(&tz).date_naive();
    let p = Parser {
        toks: &toks,
        today,
        now,
        tz,
        mode,
        default_currency,
    };
    let mut f = walk(&p, from);
    let ctx = Ctx { today, tz };
    let has_words = f
        .runs
        .iter()
        .flatten()
        .any(|w| w.chars().any(char::is_alphanumeric));
    let draft = match mode {
        Mode::Event {
            category,
            keep_keyword,
        } => Draft::Event(event_draft(
            category,
            keep_keyword.then_some(toks[0].raw.as_str()),
            &mut f,
            &ctx,
        )),
        Mode::Task(kind, dir) => Draft::Task(task_draft(kind, dir, &mut f, &ctx, false)),
        Mode::Invoice => Draft::Invoice(invoice_draft(&mut f, &ctx)),
        Mode::Unknown => {
            if !has_words {
                if f.has_fields() {
                    cap.issues.push(Issue::new(
                        "",
                        "no words to use as a title (start with mtg, call, email, task or inv)",
                    ));
                } else if f.text_count() > 0 {
                    cap.issues.push(Issue::new(
                        "",
                        "no letters or digits to read (start with mtg, call, email, task or inv)",
                    ));
                } else {
                    cap.issues.push(Issue::new("", "nothing to capture"));
                }
                cap.issues.append(&mut f.issues);
                return cap;
            }
            cap.guessed = true;
            if f.amounts.iter().any(|a| a.1) {
                Draft::Invoice(invoice_draft(&mut f, &ctx))
            } else if f.start.is_some() || f.location.is_some() || f.repeat.is_some() {
                Draft::Event(event_draft(EventCategory::Meeting, None, &mut f, &ctx))
            } else {
                Draft::Task(task_draft(
                    TaskKind::Other,
                    TaskDirection::Outgoing,
                    &mut f,
                    &ctx,
                    true,
                ))
            }
        }
    };
    cap.draft = draft;
    cap.issues.append(&mut f.issues);
    const MAX_ISSUES: usize = 8;
    if cap.issues.len() > MAX_ISSUES {
        let more = cap.issues.len() - MAX_ISSUES;
        cap.issues.truncate(MAX_ISSUES);
        cap.issues.push(Issue::new(
            "",
            format!("and {more} more things not understood"),
        ));
    }
    cap
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;
    use proptest::prelude::*;
    use rstest::rstest;

    /// Monday 2026-11-23 10:00 in Stockholm.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }
    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }
    fn at(m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        local_to_utc(d(m, day).and_hms_opt(h, min, 0).unwrap(), Stockholm)
    }
    fn cap(s: &str) -> Capture {
        parse(s, now(), Stockholm, Currency::SEK)
    }

    #[derive(Debug)]
    enum W {
        AllDay(NaiveDate, NaiveDate),
        /// local start and end: (month, day, hour, minute)
        Timed((u32, u32, u32, u32), (u32, u32, u32, u32)),
        None,
    }
    #[derive(Debug)]
    enum Due2 {
        Day(u32, u32),
        At(u32, u32, u32, u32),
        None,
    }
    #[derive(Debug)]
    enum Want {
        Event {
            title: &'static str,
            cat: EventCategory,
            when: W,
            loc: &'static str,
            with: Option<&'static str>,
        },
        Task {
            kind: TaskKind,
            dir: TaskDirection,
            contact: Option<&'static str>,
            subject: &'static str,
            due: Due2,
            prio: Priority,
        },
        Invoice {
            vendor: &'static str,
            minor: Option<i64>,
            cur: &'static str,
            due: Option<NaiveDate>,
        },
        Unparsed,
    }
    use EventCategory as EC;
    use TaskDirection::{Incoming as In, Outgoing as Out};
    use TaskKind as TK;

    fn ev(title: &'static str, when: W, loc: &'static str) -> Want {
        Want::Event {
            title,
            cat: EC::Meeting,
            when,
            loc,
            with: None,
        }
    }
    fn ev_with(title: &'static str, cat: EC, when: W, with: Option<&'static str>) -> Want {
        Want::Event {
            title,
            cat,
            when,
            loc: "",
            with,
        }
    }
    fn task(
        kind: TK,
        dir: TaskDirection,
        contact: Option<&'static str>,
        subject: &'static str,
        due: Due2,
        prio: Priority,
    ) -> Want {
        Want::Task {
            kind,
            dir,
            contact,
            subject,
            due,
            prio,
        }
    }
    fn inv(
        vendor: &'static str,
        minor: Option<i64>,
        cur: &'static str,
        due: Option<NaiveDate>,
    ) -> Want {
        Want::Invoice {
            vendor,
            minor,
            cur,
            due,
        }
    }
    fn timed(s: (u32, u32, u32, u32), e: (u32, u32, u32, u32)) -> W {
        W::Timed(s, e)
    }
    const N: Priority = Priority::Normal;
    const H: Priority = Priority::High;
    const L: Priority = Priority::Low;

    /// `complete`: saved without a form. `note`: a piece of an issue message ("" = no issue).
    #[rstest]
    // --- tasks
    #[case(
        "call Anna Berg about budget tomorrow !high",
        task(TK::Call, Out, Some("Anna Berg"), "Budget", Due2::Day(11, 24), H),
        true,
        ""
    )]
    #[case(
        "email Sophie re contract +2d",
        task(TK::Email, Out, Some("Sophie"), "Contract", Due2::Day(11, 25), N),
        true,
        ""
    )]
    #[case(
        "reply to press@di.se about interview request fri",
        task(
            TK::Email,
            In,
            Some("press@di.se"),
            "Interview request",
            Due2::Day(11, 27),
            N
        ),
        true,
        ""
    )]
    #[case(
        "letter to Skatteverket re tax return next mon",
        task(
            TK::Letter,
            Out,
            Some("Skatteverket"),
            "Tax return",
            Due2::Day(11, 30),
            N
        ),
        true,
        ""
    )]
    #[case(
        "letter thank-you card for the gala",
        task(TK::Letter, Out, None, "Thank-you card for the gala", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "task Book flights for Anna",
        task(TK::Other, Out, None, "Book flights for Anna", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "todo renew passport by 2026-12-01 !l",
        task(TK::Other, Out, None, "Renew passport", Due2::Day(12, 1), L),
        true,
        ""
    )]
    #[case(
        "call Anna !low",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::None, L),
        true,
        ""
    )]
    #[case(
        "call Anna !h",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::None, H),
        true,
        ""
    )]
    #[case(
        "call anna about the lease",
        task(TK::Call, Out, Some("anna"), "The lease", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "call plumber tomorrow",
        task(TK::Call, Out, Some("plumber"), "Call plumber", Due2::Day(11, 24), N),
        true,
        ""
    )]
    #[case(
        "call back Erik",
        task(TK::Call, In, Some("Erik"), "Call back Erik", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "call Erik Lind back re offer",
        task(TK::Call, In, Some("Erik Lind"), "Offer", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "email from Sophie re contract",
        task(TK::Email, In, Some("Sophie"), "Contract", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "call Anna Berg tomorrow 14:00",
        task(
            TK::Call,
            Out,
            Some("Anna Berg"),
            "Call Anna Berg",
            Due2::At(11, 24, 14, 0),
            N
        ),
        true,
        ""
    )]
    #[case(
        "call tom tomorrow",
        task(TK::Call, Out, Some("tom"), "Call tom", Due2::Day(11, 24), N),
        true,
        ""
    )]
    #[case(
        "call Anna tom 14:00",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::At(11, 24, 14, 0), N),
        true,
        ""
    )]
    #[case("mtg Sun Microsystems review fri 10:00",
        ev("Sun Microsystems review", timed((11, 27, 10, 0), (11, 27, 11, 0)), ""), true, "")]
    #[case(
        "call Tom tomorrow",
        task(TK::Call, Out, Some("Tom"), "Call Tom", Due2::Day(11, 24), N),
        true,
        ""
    )]
    #[case(
        "call Karin von Platen: board seat",
        task(TK::Call, Out, Some("Karin von Platen"), "Board seat", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "msg Karin re running late",
        task(TK::Message, Out, Some("Karin"), "Running late", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "ring Anna imorgon",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::Day(11, 24), N),
        true,
        ""
    )]
    #[case(
        "svara Erik om offerten senast fre !hög",
        task(TK::Email, In, Some("Erik"), "Offerten", Due2::Day(11, 27), H),
        true,
        ""
    )]
    #[case(
        "Buy flowers tomorrow",
        task(TK::Other, Out, None, "Buy flowers", Due2::Day(11, 24), N),
        true,
        ""
    )]
    #[case(
        "\t\ncall Anna\r\n",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::None, N),
        true,
        ""
    )]
    #[case(
        "call Anna about",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::None, N),
        true,
        ""
    )]
    // --- events
    #[case("mtg Board meeting fri 14:00-15:30 @Room 3",
        ev("Board meeting", timed((11, 27, 14, 0), (11, 27, 15, 30)), "Room 3"), true, "")]
    #[case("mtg Board meeting @Room 3 fri 14:00 to 15:30",
        ev("Board meeting", timed((11, 27, 14, 0), (11, 27, 15, 30)), "Room 3"), true, "")]
    #[case("appt dentist tue 8:30 1h",
        ev_with("Dentist", EC::Appointment, timed((11, 24, 8, 30), (11, 24, 9, 30)), None), true, "")]
    #[case("lunch with Karin thu 12:00",
        ev_with("Lunch with Karin", EC::Meeting, timed((11, 26, 12, 0), (11, 26, 13, 0)), Some("Karin")), true, "")]
    #[case("mtg with Anna Berg fri 10:00",
        ev_with("Meeting with Anna Berg", EC::Meeting, timed((11, 27, 10, 0), (11, 27, 11, 0)), Some("Anna Berg")), true, "")]
    #[case(
        "mtg Offsite 2026-12-03",
        ev("Offsite", W::AllDay(d(12, 3), d(12, 3)), ""),
        true,
        ""
    )]
    #[case(
        "mtg Offsite 2026-12-03 - 2026-12-05",
        ev("Offsite", W::AllDay(d(12, 3), d(12, 5)), ""),
        true,
        ""
    )]
    #[case(
        "mtg Offsite 2026-12-03 3d",
        ev("Offsite", W::AllDay(d(12, 3), d(12, 5)), ""),
        true,
        ""
    )]
    #[case("mtg Review @Café Opera fri 12:00",
        ev("Review", timed((11, 27, 12, 0), (11, 27, 13, 0)), "Café Opera"), true, "")]
    #[case("mtg Planning @Room 3 at 14:00",
        ev("Planning", timed((11, 23, 14, 0), (11, 23, 15, 0)), "Room 3"), true, "")]
    #[case("möte Styrelsen fredag kl 14",
        ev("Styrelsen", timed((11, 27, 14, 0), (11, 27, 15, 0)), ""), true, "")]
    #[case("mtg Late show fri 23:00-01:00",
        ev("Late show", timed((11, 27, 23, 0), (11, 28, 1, 0)), ""), true, "")]
    #[case("mtg Standup 9:00 for 15 min",
        ev("Standup", timed((11, 23, 9, 0), (11, 23, 9, 15)), ""), true, "")]
    #[case("mtg Board 2026-11-30T10:00",
        ev("Board", timed((11, 30, 10, 0), (11, 30, 11, 0)), ""), true, "")]
    #[case(
        "deadline Annual report 2026-12-31",
        ev_with("Annual report", EC::Deadline, W::AllDay(d(12, 31), d(12, 31)), None),
        true,
        ""
    )]
    #[case("Coffee with Jonas 15:00",
        ev_with("Coffee with Jonas", EC::Meeting, timed((11, 23, 15, 0), (11, 23, 16, 0)), Some("Jonas")), true, "")]
    #[case(
        "mtg Party 🎉 fri",
        ev("Party 🎉", W::AllDay(d(11, 27), d(11, 27)), ""),
        true,
        ""
    )]
    // --- invoices
    #[case(
        "inv Telia 1 249,00 SEK due 2026-12-15",
        inv("Telia", Some(124_900), "SEK", Some(d(12, 15))),
        true,
        ""
    )]
    #[case(
        "inv Telia 1249 due fri",
        inv("Telia", Some(124_900), "SEK", Some(d(11, 27))),
        true,
        ""
    )]
    #[case(
        "inv Lufthansa EUR 12.50 due 2026-12-01",
        inv("Lufthansa", Some(1250), "EUR", Some(d(12, 1))),
        true,
        ""
    )]
    #[case(
        "inv Vattenfall 1 249,00 kr 2026-12-20",
        inv("Vattenfall", Some(124_900), "SEK", Some(d(12, 20))),
        true,
        ""
    )]
    #[case(
        "inv Adobe €59.99 #INV-77 due 1 dec",
        inv("Adobe", Some(5999), "EUR", Some(d(12, 1))),
        true,
        ""
    )]
    #[case(
        "inv Bauhaus 1249:- due 2026-12-10",
        inv("Bauhaus", Some(124_900), "SEK", Some(d(12, 10))),
        true,
        ""
    )]
    #[case(
        "faktura Telia 1 249 kr förfaller 2026-12-15",
        inv("Telia", Some(124_900), "SEK", Some(d(12, 15))),
        true,
        ""
    )]
    #[case(
        "Telia 1249 kr fri",
        inv("Telia", Some(124_900), "SEK", Some(d(11, 27))),
        true,
        ""
    )]
    #[case(
        "inv Telia due 2026-12-15",
        inv("Telia", None, "SEK", Some(d(12, 15))),
        false,
        ""
    )]
    #[case("inv 1249 kr", inv("", Some(124_900), "SEK", None), false, "")]
    #[case(
        "inv Telia 12,345 kr fri",
        inv("Telia", Some(1_234_500), "SEK", Some(d(11, 27))),
        true,
        ""
    )]
    #[case(
        "inv Telia 1249,9999 kr fri",
        inv("Telia", None, "SEK", Some(d(11, 27))),
        false,
        "decimals"
    )]
    // --- partial and garbage
    #[case("", Want::Unparsed, false, "nothing")]
    #[case("    ", Want::Unparsed, false, "nothing")]
    #[case("!high", Want::Unparsed, false, "no words")]
    #[case("\u{1b}\u{7}\u{0}", Want::Unparsed, false, "control")]
    #[case("🎉🎉🎉", Want::Unparsed, false, "no letters")]
    #[case("x".repeat(10_000), Want::Unparsed, false, "too long")]
    #[case("mtg", ev("", W::None, ""), false, "")]
    #[case("call", task(TK::Call, Out, None, "", Due2::None, N), false, "")]
    #[case("mtg Board @", ev("Board", W::None, ""), false, "without a place")]
    #[case(
        "mtg Review 2026-02-30",
        ev("Review", W::None, ""),
        false,
        "no such day"
    )]
    #[case(
        "mtg Board fri 25:00",
        ev("Board", W::AllDay(d(11, 27), d(11, 27)), ""),
        false,
        "not a time"
    )]
    #[case(
        "call Anna !urgentish",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::None, N),
        false,
        "unknown priority"
    )]
    #[case("mtg Board 14:00 15:00 16:00",
        ev("Board", timed((11, 23, 14, 0), (11, 23, 15, 0)), ""), false, "third time")]
    #[case(
        "mtg Board fri !high",
        ev("Board", W::AllDay(d(11, 27), d(11, 27)), ""),
        false,
        "no priority"
    )]
    #[case(
        "call Anna\u{1b}[2J tomorrow",
        task(TK::Call, Out, Some("Anna"), "[2J", Due2::Day(11, 24), N),
        false,
        "control"
    )]
    #[case(
        "call Anna 31 feb",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::None, N),
        false,
        "feb"
    )]
    #[case(
        "call +46 70 123 45 67 tomorrow",
        task(
            TK::Call,
            Out,
            Some("+46 70 123 45 67"),
            "Call +46 70 123 45 67",
            Due2::Day(11, 24),
            N
        ),
        true,
        ""
    )]
    #[case("lunch w/ Karin thu 12",
        ev_with("Lunch w/ Karin", EC::Meeting, timed((11, 26, 12, 0), (11, 26, 13, 0)), Some("Karin")), true, "")]
    #[case("block Focus time tomorrow 9-11",
        ev_with("Focus time", EC::PrivateBlock, timed((11, 24, 9, 0), (11, 24, 11, 0)), None), true, "")]
    #[case("mtg 1:1 with Erik mon 9:00-9:30",
        ev_with("1:1 with Erik", EC::Meeting, timed((11, 23, 9, 0), (11, 23, 9, 30)), Some("Erik")), true, "")]
    #[case("mtg Room 3 review fri kl 9-11",
        ev("Room 3 review", timed((11, 27, 9, 0), (11, 27, 11, 0)), ""), true, "")]
    #[case(
        "call Anna in 30 min",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::At(11, 23, 10, 30), N),
        true,
        ""
    )]
    #[case(
        "call Anna in 2 hours",
        task(TK::Call, Out, Some("Anna"), "Call Anna", Due2::At(11, 23, 12, 0), N),
        true,
        ""
    )]
    #[case(
        "reply Anna re contract eod",
        task(TK::Email, In, Some("Anna"), "Contract", Due2::At(11, 23, 17, 0), N),
        true,
        ""
    )]
    #[case("mtg Board this fri noon", ev("Board", timed((11, 27, 12, 0), (11, 27, 13, 0)), ""), true, "")]
    #[case(
        "mtg Gala dec 1st",
        ev("Gala", W::AllDay(d(12, 1), d(12, 1)), ""),
        true,
        ""
    )]
    #[case(
        "mtg Gala 3rd december",
        ev("Gala", W::AllDay(d(12, 3), d(12, 3)), ""),
        true,
        ""
    )]
    #[case(
        "möte Gala 3:e december",
        ev("Gala", W::AllDay(d(12, 3), d(12, 3)), ""),
        true,
        ""
    )]
    #[case(
        "mtg fri 4th floor",
        ev("4th floor", W::AllDay(d(11, 27), d(11, 27)), ""),
        true,
        ""
    )]
    #[case(
        "mtg Plan in the office fri",
        ev("Plan in the office", W::AllDay(d(11, 27), d(11, 27)), ""),
        true,
        ""
    )]
    #[case(
        "task pay +46701234567",
        task(TK::Other, Out, None, "Pay +46701234567", Due2::None, N),
        true,
        ""
    )]
    fn understands(
        #[case] input: String,
        #[case] want: Want,
        #[case] complete: bool,
        #[case] note: &str,
    ) {
        let c = cap(&input);
        assert_eq!(c.input, input, "the text is kept");
        let ctx = format!("{input:?} -> {c:#?}\nsummary: {}", c.summary());
        match (&want, &c.draft) {
            (
                Want::Event {
                    title,
                    cat,
                    when,
                    loc,
                    with,
                },
                Draft::Event(e),
            ) => {
                assert_eq!(e.title, *title, "{ctx}");
                assert_eq!(e.category, *cat, "{ctx}");
                assert_eq!(e.location, *loc, "{ctx}");
                assert_eq!(e.contact.as_deref(), *with, "{ctx}");
                assert_eq!(e.rrule, None, "{ctx}");
                let got = &e.time;
                match when {
                    W::None => assert_eq!(got, &None, "{ctx}"),
                    W::AllDay(s, en) => assert_eq!(
                        got,
                        &Some(EventTime::AllDay {
                            start: *s,
                            end: *en
                        }),
                        "{ctx}"
                    ),
                    W::Timed(s, en) => assert_eq!(
                        got,
                        &Some(EventTime::Timed {
                            start: at(s.0, s.1, s.2, s.3),
                            end: at(en.0, en.1, en.2, en.3),
                            tz: Stockholm
                        }),
                        "{ctx}"
                    ),
                }
            }
            (
                Want::Task {
                    kind,
                    dir,
                    contact,
                    subject,
                    due,
                    prio,
                },
                Draft::Task(t),
            ) => {
                assert_eq!(t.kind, *kind, "{ctx}");
                assert_eq!(t.direction, *dir, "{ctx}");
                assert_eq!(t.contact.as_deref(), *contact, "{ctx}");
                assert_eq!(t.subject, *subject, "{ctx}");
                assert_eq!(t.priority, *prio, "{ctx}");
                let want_due = match due {
                    Due2::Day(m, day) => Some(Due::Date(d(*m, *day))),
                    Due2::At(m, day, h, min) => Some(Due::At(at(*m, *day, *h, *min))),
                    Due2::None => None,
                };
                assert_eq!(t.due, want_due, "{ctx}");
            }
            (
                Want::Invoice {
                    vendor,
                    minor,
                    cur,
                    due,
                },
                Draft::Invoice(i),
            ) => {
                assert_eq!(i.vendor, *vendor, "{ctx}");
                assert_eq!(i.amount.map(|m| m.minor), *minor, "{ctx}");
                if minor.is_some() {
                    assert_eq!(i.amount.map(|m| m.currency.code()), Some(*cur), "{ctx}");
                }
                assert_eq!(i.due, *due, "{ctx}");
            }
            (Want::Unparsed, Draft::Unparsed) => {}
            _ => panic!("wanted {want:?}\n{ctx}"),
        }
        assert_eq!(c.is_complete(), complete, "{ctx}");
        if note.is_empty() {
            assert!(c.issues.is_empty(), "{ctx}");
        } else {
            assert!(
                c.issues.iter().any(|i| i.to_string().contains(note)),
                "wanted an issue with {note:?}\n{ctx}"
            );
            assert!(
                c.summary().contains(note),
                "the summary shows the issue\n{ctx}"
            );
        }
        assert!(!c.summary().is_empty());
    }

    #[test]
    fn summaries_say_what_was_understood() {
        assert_eq!(
            cap("mtg Board meeting fri 14:00-15:30 @Room 3").summary(),
            "Event: Board meeting · Fri 27 Nov 2026 14:00–15:30 · @ Room 3"
        );
        assert_eq!(
            cap("call Anna Berg about budget tomorrow !high").summary(),
            "Task: Call (to send) · Anna Berg · “Budget” · due Tue 24 Nov 2026 · high priority"
        );
        assert_eq!(
            cap("inv Telia 1 249,00 SEK due 2026-12-15").summary(),
            "Invoice: Telia · 1 249.00 SEK · due Tue 15 Dec 2026"
        );
        let s = cap("mtg Review 2026-02-30").summary();
        assert!(
            s.contains("missing: when") && s.contains("2026-02-30"),
            "{s}"
        );
        let s = cap("Buy milk").summary();
        assert!(s.starts_with("Task (guessed)"), "{s}");
        let c = cap("mtg Review 2026-02-30 !high");
        assert_eq!(c.headline(), "Event: Review · when?");
        assert!(
            c.summary()
                .starts_with("Event: Review · when? · missing: when · ? ")
        );
        let s = cap("\u{1b}\u{7}").summary();
        assert!(
            s.starts_with("Not understood") && !s.contains('\u{1b}'),
            "{s}"
        );
    }

    #[test]
    fn invoice_number_and_reference() {
        let c = cap("inv Adobe €59.99 #INV-77 ocr 4711 due 1 dec");
        let Draft::Invoice(i) = &c.draft else {
            panic!("{c:?}")
        };
        assert_eq!(i.number, "INV-77");
        assert_eq!(i.payment_ref, "OCR 4711");
        let inv = i.to_invoice(None).expect("complete");
        assert!(inv.validate().is_ok());
        assert_eq!(inv.issue_date, d(11, 23));
        // an old invoice: due before today, the issue date follows
        let c = cap("inv Telia 100 2026-11-01");
        let Draft::Invoice(i) = &c.draft else {
            panic!("{c:?}")
        };
        let inv = i.to_invoice(Some(7)).expect("complete");
        assert_eq!((inv.issue_date, inv.vendor_id), (d(11, 1), Some(7)));
        assert!(inv.validate().is_ok());
    }

    #[test]
    fn drafts_become_valid_records() {
        let c = cap("call Anna Berg about budget tomorrow !high");
        let Draft::Task(t) = &c.draft else { panic!() };
        let linked = t.to_task(Some(3), now());
        assert_eq!(linked.contact_id, Some(3));
        assert!(linked.notes.is_empty());
        assert!(linked.validate().is_ok());
        // not linked: the name is kept in the notes
        let loose = t.to_task(None, now());
        assert_eq!(loose.notes, "Counterpart: Anna Berg");
        let c = cap("lunch with Karin thu 12:00 @Tranan");
        let Draft::Event(e) = &c.draft else { panic!() };
        let ev = e.to_event(Some(9), now()).expect("complete");
        assert!(ev.validate().is_ok());
        assert_eq!(ev.location, "Tranan");
        assert_eq!(ev.attendees[0].contact_id, Some(9));
        assert_eq!(ev.attendees[0].name, "Karin");
        let c = cap("mtg Board");
        let Draft::Event(e) = &c.draft else { panic!() };
        assert!(e.to_event(None, now()).is_none());
        assert_eq!(c.missing(), vec!["when"]);
    }

    /// Repeats: (line, RRULE, first start as local (month, day, hour, minute); hour 99 = all day)
    #[rstest]
    #[case("mtg Standup every mon 9:00", "FREQ=WEEKLY;BYDAY=MO", (11, 23, 9, 0))]
    #[case("mtg Standup every weekday 9:00-9:15", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", (11, 23, 9, 0))]
    #[case("mtg Sync every tue and thu 10:00", "FREQ=WEEKLY;BYDAY=TU,TH", (11, 24, 10, 0))]
    #[case("mtg Sync every wed,fri 10:00", "FREQ=WEEKLY;BYDAY=WE,FR", (11, 25, 10, 0))]
    #[case("mtg 1:1 Erik every 2 weeks fri 15:00", "FREQ=WEEKLY;INTERVAL=2", (11, 27, 15, 0))]
    #[case("mtg Board monthly 2026-12-01 14:00", "FREQ=MONTHLY", (12, 1, 14, 0))]
    #[case("mtg Gym daily 7:00 until 2026-12-31", "FREQ=DAILY;UNTIL=20261231T225959Z", (11, 23, 7, 0))]
    #[case("mtg Pay day every month 2026-11-25", "FREQ=MONTHLY", (11, 25, 99, 0))]
    #[case("mtg Review every fri until 2027-01-29", "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270129", (11, 27, 99, 0))]
    #[case("möte Ledning varje måndag kl 9", "FREQ=WEEKLY;BYDAY=MO", (11, 23, 9, 0))]
    #[case("möte Avstämning varannan vecka tis 13:00", "FREQ=WEEKLY;INTERVAL=2", (11, 24, 13, 0))]
    #[case("Yoga every thu 18:00 @Studio 4", "FREQ=WEEKLY;BYDAY=TH", (11, 26, 18, 0))]
    fn repeats(#[case] line: &str, #[case] rrule: &str, #[case] first: (u32, u32, u32, u32)) {
        let c = cap(line);
        let ctx = format!("{line:?} -> {c:#?}");
        let Draft::Event(e) = &c.draft else {
            panic!("{ctx}")
        };
        assert_eq!(e.rrule.as_deref(), Some(rrule), "{ctx}");
        assert!(c.is_complete(), "{ctx}");
        let start = match &e.time {
            Some(EventTime::Timed { start, .. }) => *start,
            Some(EventTime::AllDay { start, .. }) => {
                assert_eq!(first.2, 99, "{ctx}");
                assert_eq!(*start, d(first.0, first.1), "{ctx}");
                return;
            }
            None => panic!("{ctx}"),
        };
        assert_eq!(start, at(first.0, first.1, first.2, first.3), "{ctx}");
        let ev = e.to_event(None, now()).unwrap();
        assert!(ev.validate().is_ok());
        assert_eq!(ev.rrule.as_deref(), Some(rrule));
        assert!(c.summary().contains("repeats FREQ="), "{}", c.summary());
    }

    #[test]
    fn repeats_elsewhere_are_noted() {
        let c = cap("call Anna every mon");
        assert!(matches!(c.draft, Draft::Task(_)));
        assert!(
            c.summary().contains("tasks do not repeat"),
            "{}",
            c.summary()
        );
        let c = cap("mtg Gym daily 7:00 until 2026-11-01");
        assert!(
            c.summary().contains("ends before the first"),
            "{}",
            c.summary()
        );
        // "every" alone is a word
        let c = cap("mtg Every one counts fri");
        let Draft::Event(e) = &c.draft else { panic!() };
        assert_eq!(
            (e.title.as_str(), e.rrule.as_deref()),
            ("Every one counts", None)
        );
    }

    #[test]
    fn many_problems_are_capped() {
        let c = cap(&format!("inv Telia {}", "1 ".repeat(300)));
        assert_eq!(c.issues.len(), 9);
        assert!(
            c.issues[8].message.contains("291 more"),
            "{:?}",
            c.issues[8]
        );
        assert!(c.summary().chars().count() < 1000);
    }

    #[test]
    fn task_location_goes_to_notes() {
        let c = cap("call Anna @office fri");
        let Draft::Task(t) = &c.draft else { panic!() };
        assert_eq!(t.notes, "@ office");
        assert_eq!(t.due, Some(Due::Date(d(11, 27))));
    }

    const WORDS: &[&str] = &[
        "mtg",
        "call",
        "inv",
        "email",
        "reply",
        "to",
        "about",
        "re",
        "Anna",
        "Berg",
        "tomorrow",
        "fri",
        "next",
        "in",
        "3",
        "days",
        "14:00",
        "14:00-15:30",
        "-",
        "to",
        "@",
        "@Room",
        "!high",
        "!",
        "!!",
        "due",
        "1",
        "249,00",
        "SEK",
        "kr",
        "€12",
        ":-",
        "2026-02-30",
        "2026-12-03",
        "+2d",
        "-1w",
        "+999999999999d",
        "1h",
        "for",
        "90",
        "min",
        "kl",
        "i",
        "morgon",
        "#",
        "#1",
        "ocr",
        "with",
        "back",
        "🎉",
        "\u{1b}",
        "Tom",
        "dec",
        "31",
        "feb",
        "9999999999999999d",
        "1.5h",
        "99999999999999999999",
        "2026-12-01T25:00",
        "2026-12-01T10:00Z",
        "om",
        "2",
        "dagar",
        ",",
        ":",
        "12.50",
        "EUR",
        "x",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn any_text_never_panics(s in "\\PC{0,200}") {
            let c = cap(&s);
            prop_assert_eq!(&c.input, &s);
            prop_assert!(!c.summary().is_empty());
        }

        #[test]
        fn any_bytes_never_panic(s in any::<String>()) {
            let c = cap(&s);
            prop_assert_eq!(&c.input, &s);
            let _ = c.summary();
        }

        #[test]
        fn word_soup_never_panics(words in prop::collection::vec(prop::sample::select(WORDS), 0..14)) {
            let line = words.join(" ");
            let c = cap(&line);
            let _ = c.summary();
            // complete drafts make records that pass validation (or fail with a message)
            match &c.draft {
                Draft::Event(e) => { if let Some(ev) = e.to_event(None, now()) { let _ = ev.validate(); } }
                Draft::Task(t) => { let _ = t.to_task(None, now()).validate(); }
                Draft::Invoice(i) => { if let Some(inv) = i.to_invoice(None) { let _ = inv.validate(); } }
                Draft::Unparsed => prop_assert!(!c.issues.is_empty(), "unparsed says why: {:?}", line),
            }
        }
    }
}
