//! The command-line grammar (clap derive). See docs/cli.md for the reference with examples.
use super::cal_cmd::{ConflictsArgs, FreeArgs};
use super::ics_cmd::{ExportIcsArgs, ImportIcsArgs};
use super::occurrence_cmd::OccurrenceCmd;
use super::vcf_cmd::{ExportVcfArgs, ImportVcfArgs};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The parser of every text-valued flag. Values may start with a hyphen (`--from -1w`,
/// `--title -2+3`, `--amount -50`), but a value that is itself a long flag (`--notes --due fri`)
/// is a forgotten value, not the note "--due": refused rather than swallowed.
pub fn flag_value(s: &str) -> Result<String, String> {
    // `--notes=--force`: attached with '=', the value cannot be a forgotten one
    if let Some(v) = s.strip_prefix(ATTACHED) {
        return Ok(v.to_string());
    }
    let is_flag = s
        .strip_prefix("--")
        .and_then(|r| r.chars().next().map(|c| (c, r)))
        .is_some_and(|(c, r)| {
            c.is_ascii_lowercase() && r.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        });
    if is_flag {
        Err(format!(
            "'{s}' is a flag, not a value (the value is missing)"
        ))
    } else {
        Ok(s.to_string())
    }
}

/// Put before a value given as `--flag=VALUE` by [`mark_attached_values`] and taken off by
/// [`flag_value`]: a character no one types (Unicode's last noncharacter).
const ATTACHED: char = '\u{10FFFF}';

/// The long names of the options whose values go through [`flag_value`] (text that may start
/// with a hyphen), in every subcommand.
fn text_options() -> std::collections::BTreeSet<String> {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, out: &mut std::collections::BTreeSet<String>) {
        for a in cmd.get_arguments() {
            let text = a.get_value_parser().type_id() == std::any::TypeId::of::<String>();
            let takes = a.get_num_args().is_some_and(|n| n.takes_values());
            if let Some(long) = a.get_long()
                && text
                && takes
                && a.is_allow_hyphen_values_set()
            {
                out.insert(long.to_string());
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = std::collections::BTreeSet::new();
    let mut cmd = Cli::command();
    cmd.build();
    walk(&cmd, &mut out);
    out
}

/// The arguments as typed, with a value attached by '=' to a text option (`--notes=--force`)
/// marked so [`flag_value`] takes it as it is: only a value given on its own (`--notes --force`)
/// can be a forgotten one. Everything after `--` is left alone.
pub fn mark_attached_values(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let names = text_options();
    let mut rest = false;
    args.into_iter()
        .map(|a| {
            if rest {
                return a;
            }
            let Some(s) = a.to_str() else { return a };
            if s == "--" {
                rest = true;
                return a;
            }
            match s.strip_prefix("--").and_then(|r| r.split_once('=')) {
                Some((name, value)) if names.contains(name) && value.starts_with('-') => {
                    format!("--{name}={ATTACHED}{value}").into()
                }
                _ => a,
            }
        })
        .collect()
}

/// A count that must be 1 or more (`--limit`).
pub fn at_least_one(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(0) => Err("at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("'{s}' is not a number of rows")),
    }
}

/// A keyboard-driven organizer for a personal secretary: schedule, travel, contacts, invoices
/// and correspondence in one SQLite file. Without a command, opens the terminal UI.
#[derive(Debug, Parser)]
#[command(name = "secretaire", version, about, long_about = None)]
#[command(
    after_help = "Dates accept: today, tomorrow, mon..sun, next fri, +3d, -1w, \
in 2 weeks, 1 dec, 2026-12-01, 14:00, 2pm, \"2026-12-01 14:00\", 2026-12-01T13:00Z.\n\
Environment: SECRETAIRE_DB (database path, overridden by --db)."
)]
pub struct Cli {
    /// Database file (default: $SECRETAIRE_DB, else ~/.local/share/secretaire/secretaire.db).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file (default: ~/.config/secretaire/config.toml, created on first run).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print JSON instead of text (see docs/json.md for the shapes).
    #[arg(long, global = true)]
    pub json: bool,
    /// Open the terminal UI on a fresh temporary database filled with demo data.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a record; prints its id (with --json, the record).
    #[command(subcommand)]
    Add(AddCmd),
    /// List records, paged.
    List(ListArgs),
    /// Show one record in full.
    Show(KindId),
    /// Change fields of a record (the same flags as add, all optional).
    #[command(subcommand)]
    Edit(EditCmd),
    /// Delete a record (a trip takes its segments with it).
    Delete(KindId),
    /// Mark a task done.
    Done {
        /// Task id.
        id: i64,
    },
    /// Hide a task until a date/time.
    Snooze {
        /// Task id.
        id: i64,
        /// When it comes back: tomorrow, mon 9:00, +3d, 2026-12-01 14:00.
        until: String,
    },
    /// Mark an invoice paid.
    Pay {
        /// Invoice id.
        id: i64,
        /// Payment date (default today).
        #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
        on: Option<String>,
    },
    /// The day (or days): events, travel, tasks and invoices due, in time order.
    Agenda(AgendaArgs),
    /// Write records to a file: csv, ics (calendar), vcf (contacts).
    #[command(subcommand)]
    Export(ExportCmd),
    /// Read calendar (.ics) or contact (.vcf) files.
    #[command(subcommand)]
    Import(ImportCmd),
    /// One occurrence of a repeating event: list them, delete one, change one, or change
    /// this and the following ones (splits the series).
    #[command(subcommand, visible_alias = "occ")]
    Occurrence(OccurrenceCmd),
    /// Event reminders: list those due and coming up, dismiss or snooze one (as the TUI's
    /// reminder strip does; kept in the database, so the TUI respects them).
    #[command(subcommand)]
    Reminder(super::reminder_cmd::ReminderCmd),
    /// Overlapping events in a period.
    Conflicts(ConflictsArgs),
    /// Free slots within working hours.
    Free(FreeArgs),
    /// Copy the database to FILE, consistently, even while the app runs.
    Backup {
        file: PathBuf,
        /// Replace FILE if it exists (atomically: the old copy stays whole until the new one is
        /// complete).
        #[arg(long)]
        force: bool,
    },
    /// Fill the database with demo data and report what was written.
    Demo {
        #[arg(long, value_enum, default_value_t = DemoSizeArg::Small)]
        size: DemoSizeArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoSizeArg {
    Small,
    Large,
}

/// Which kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    #[value(alias = "events")]
    Event,
    #[value(alias = "trips")]
    Trip,
    #[value(alias = "segments")]
    Segment,
    #[value(alias = "contacts")]
    Contact,
    #[value(alias = "invoices")]
    Invoice,
    #[value(alias = "tasks")]
    Task,
}

impl KindArg {
    pub fn name(self) -> &'static str {
        match self {
            KindArg::Event => "event",
            KindArg::Trip => "trip",
            KindArg::Segment => "segment",
            KindArg::Contact => "contact",
            KindArg::Invoice => "invoice",
            KindArg::Task => "task",
        }
    }
}

#[derive(Debug, Args)]
pub struct KindId {
    #[arg(value_enum)]
    pub kind: KindArg,
    pub id: i64,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(value_enum)]
    pub kind: KindArg,
    /// From this day, inclusive (events, trips, segments: the window they overlap; invoices
    /// and tasks: due on or after it). Contacts have no dates.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub from: Option<String>,
    /// To this day, inclusive.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub to: Option<String>,
    /// Only this status (event: tentative|confirmed|cancelled; segment:
    /// planned|booked|cancelled; invoice: received|approved|paid|disputed|cancelled; task:
    /// open|waiting|done).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub status: Option<String>,
    /// Text to look for (title, name, subject, vendor, notes...). Segments: every segment
    /// unless --from/--to bound them.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub search: Option<String>,
    /// Contacts with this tag.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub tag: Option<String>,
    /// Invoices: only unpaid, uncancelled ones.
    #[arg(long)]
    pub open: bool,
    /// Tasks: include done ones (by default only open and waiting are listed).
    #[arg(long)]
    pub all: bool,
    /// At most this many rows (at least 1).
    #[arg(long, default_value_t = 100, value_parser = at_least_one)]
    pub limit: u32,
    /// Skip this many rows (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// First day (default today).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub date: Option<String>,
    /// How many days.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
    /// Show the days as lived in this zone (e.g. the destination of a trip).
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true, value_parser = flag_value)]
    pub tz: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// RFC 4180 CSV of invoices, contacts or tasks (formula-safe for spreadsheets).
    Csv(CsvArgs),
    /// iCalendar file of events.
    Ics(ExportIcsArgs),
    /// vCard file of contacts.
    Vcf(ExportVcfArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvKind {
    #[value(alias = "invoice")]
    Invoices,
    #[value(alias = "contact")]
    Contacts,
    #[value(alias = "task")]
    Tasks,
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    #[arg(value_enum)]
    pub kind: CsvKind,
    /// Output file ("-" for standard output); created with mode 0600.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    Ics(ImportIcsArgs),
    Vcf(ImportVcfArgs),
}

#[derive(Debug, Subcommand)]
pub enum AddCmd {
    /// A meeting, appointment, call, deadline or private block.
    Event {
        /// Title.
        #[arg(id = "title_pos", value_name = "TITLE")]
        title: Option<String>,
        #[command(flatten)]
        f: EventFields,
    },
    /// A trip (add its legs with `add segment --trip ID`).
    Trip {
        #[arg(id = "name_pos", value_name = "NAME")]
        name: Option<String>,
        #[command(flatten)]
        f: TripFields,
    },
    /// A leg of a trip: flight, train, hotel, car.
    Segment {
        #[command(flatten)]
        f: SegmentFields,
    },
    /// A person: press, vendor, client, colleague.
    Contact {
        #[arg(id = "name_pos", value_name = "NAME")]
        name: Option<String>,
        #[command(flatten)]
        f: ContactFields,
    },
    /// An invoice to approve and pay.
    Invoice {
        #[command(flatten)]
        f: InvoiceFields,
    },
    /// Correspondence: mail to answer, a call to return, a letter to send.
    Task {
        #[arg(id = "subject_pos", value_name = "SUBJECT")]
        subject: Option<String>,
        #[command(flatten)]
        f: TaskFields,
    },
}

#[derive(Debug, Subcommand)]
pub enum EditCmd {
    /// Event fields; every edit raises its SEQUENCE.
    Event {
        id: i64,
        #[command(flatten)]
        f: EventFields,
    },
    /// Trip fields.
    Trip {
        id: i64,
        #[command(flatten)]
        f: TripFields,
    },
    /// Segment fields.
    Segment {
        id: i64,
        #[command(flatten)]
        f: SegmentFields,
    },
    /// Contact fields.
    Contact {
        id: i64,
        #[command(flatten)]
        f: ContactFields,
    },
    /// Invoice fields.
    Invoice {
        id: i64,
        #[command(flatten)]
        f: InvoiceFields,
    },
    /// Task fields.
    Task {
        id: i64,
        #[command(flatten)]
        f: TaskFields,
    },
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct EventFields {
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub title: Option<String>,
    /// Start: "2026-12-01 14:00", "tomorrow 9:30", "fri 14:00", or a date for an all-day event.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub start: Option<String>,
    /// End: a date/time, or just a time ("15:30") on the start's day.
    #[arg(long, conflicts_with = "duration", allow_hyphen_values = true, value_parser = flag_value)]
    pub end: Option<String>,
    /// Length instead of --end: 30m, 1h, 1h30m, 2d (default 1h).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub duration: Option<String>,
    /// A whole-day event (use --date and --until).
    #[arg(long)]
    pub all_day: bool,
    /// First day of an all-day event.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub date: Option<String>,
    /// Last day of an all-day event (inclusive).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub until: Option<String>,
    /// The zone the times are entered in (default: the configured zone).
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true, value_parser = flag_value)]
    pub tz: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub location: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub notes: Option<String>,
    /// meeting|appointment|call|deadline|private|other.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub category: Option<String>,
    /// tentative|confirmed|cancelled.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub status: Option<String>,
    /// A contact id, a contact's name, "Name <mail@x.se>" or a bare address. Repeat for more;
    /// on edit the list is replaced ("none" clears it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub attendee: Vec<String>,
    /// Reminder this many minutes before the start ("none" removes it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub reminder: Option<String>,
    /// RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=MO ("none" removes it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub rrule: Option<String>,
    /// Skip the occurrence starting at this local date/time (repeatable).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub exdate: Vec<String>,
    /// An extra occurrence starting at this local date/time (repeatable).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub rdate: Vec<String>,
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct TripFields {
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub name: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub purpose: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub notes: Option<String>,
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct SegmentFields {
    /// The trip it belongs to (required on add).
    #[arg(long)]
    pub trip: Option<i64>,
    /// flight|train|hotel|car|other.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub kind: Option<String>,
    /// Airline, rail company, hotel chain, rental firm.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub provider: Option<String>,
    /// Flight or train number.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub number: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub confirmation: Option<String>,
    /// Where it leaves from (hotel: its name; car: pick-up).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub origin: Option<String>,
    /// Where it arrives (hotel: the city; car: drop-off).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub destination: Option<String>,
    /// Departure (hotel: check-in), local time in --depart-tz.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub depart: Option<String>,
    /// Zone of the departure (default: the configured zone).
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true, value_parser = flag_value)]
    pub depart_tz: Option<String>,
    /// Arrival (hotel: check-out), local time in --arrive-tz; a bare time is on the
    /// departure's day, or the next day when earlier.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub arrive: Option<String>,
    /// Zone of the arrival (default: the departure's zone).
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true, value_parser = flag_value)]
    pub arrive_tz: Option<String>,
    /// Seat or room.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub seat: Option<String>,
    /// "4 500 SEK", or an amount with --currency ("none" removes it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub cost: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub currency: Option<String>,
    /// planned|booked|cancelled.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub status: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub notes: Option<String>,
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct ContactFields {
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub name: Option<String>,
    #[arg(long, alias = "org", allow_hyphen_values = true, value_parser = flag_value)]
    pub organization: Option<String>,
    /// Title or role.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub title: Option<String>,
    /// label:address, e.g. work:anna@berg.se (repeatable; on edit replaces the list).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub email: Vec<String>,
    /// label:number, e.g. "mobile:+46 70 123 45 67" (repeatable; on edit replaces the list).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub phone: Vec<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub address: Option<String>,
    /// A tag, or several comma-separated (repeatable; on edit replaces the list).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub tag: Vec<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub notes: Option<String>,
    /// Date last in touch ("none" clears it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub last_contacted: Option<String>,
    /// YYYY-MM-DD, or --MM-DD / MM-DD when the year is unknown ("none" clears it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub birthday: Option<String>,
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct InvoiceFields {
    /// A contact id or name (linked when one matches exactly), else free text.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub vendor: Option<String>,
    /// The vendor's invoice number.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub number: Option<String>,
    /// Issue date (default today).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub issued: Option<String>,
    /// Due date (default 30 days after issue).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub due: Option<String>,
    /// "1 249,00" with --currency, or "1249 SEK".
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub amount: Option<String>,
    /// ISO 4217 code (default: the configured default_currency).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub currency: Option<String>,
    /// received|approved|paid|disputed|cancelled.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub status: Option<String>,
    /// Date paid (sets the status to paid).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub paid: Option<String>,
    /// OCR number, IBAN, bankgiro.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub payment_ref: Option<String>,
    /// Path of the scanned invoice or PDF.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub document: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub notes: Option<String>,
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct TaskFields {
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub subject: Option<String>,
    /// email|call|letter|message|other.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub kind: Option<String>,
    /// incoming (to answer) | outgoing (to send).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub direction: Option<String>,
    /// Contact id or exact name ("none" unlinks).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub contact: Option<String>,
    /// A date, or a date and time ("none" clears it).
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub due: Option<String>,
    /// high|normal|low.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub priority: Option<String>,
    /// open|waiting|done.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub status: Option<String>,
    /// Hide it until then: "mon", "tomorrow 14:00" (a date alone: work_start); "none" wakes it.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub snoozed_until: Option<String>,
    /// Who it was handed to.
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub delegated_to: Option<String>,
    #[arg(long, allow_hyphen_values = true, value_parser = flag_value)]
    pub notes: Option<String>,
}

/// `edit KIND ID` with no field flag has nothing to do.
macro_rules! field_sets {
    ($($t:ident),*) => {$(
        impl $t {
            /// No field given.
            pub fn is_empty(&self) -> bool {
                *self == $t::default()
            }
        }
    )*};
}
field_sets!(
    EventFields,
    TripFields,
    SegmentFields,
    ContactFields,
    InvoiceFields,
    TaskFields
);

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every option of every subcommand that takes text takes it even when it starts with a
    /// hyphen (`--from -1w`), through `flag_value`.
    #[test]
    fn every_text_option_accepts_hyphen_values() {
        fn walk(cmd: &clap::Command, path: &str, bad: &mut Vec<String>, seen: &mut usize) {
            for a in cmd.get_arguments() {
                let takes = a.get_num_args().is_some_and(|n| n.takes_values());
                let text = a.get_value_parser().type_id() == std::any::TypeId::of::<String>();
                if a.is_positional() || !takes || !text || a.is_global_set() {
                    continue;
                }
                *seen += 1;
                if !a.is_allow_hyphen_values_set() {
                    bad.push(format!("{path} --{}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), bad, seen);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let (mut bad, mut seen) = (Vec::new(), 0);
        walk(&cmd, "secretaire", &mut bad, &mut seen);
        assert!(seen > 50, "only {seen} text options found");
        assert!(bad.is_empty(), "refuse a leading hyphen: {bad:#?}");
    }

    #[rstest::rstest]
    #[case(&["s", "list", "invoices", "--from", "-1w", "--to", "-1d"])]
    #[case(&["s", "agenda", "--date", "-1d"])]
    #[case(&["s", "pay", "5", "--on", "-1d"])]
    #[case(&["s", "export", "ics", "--from", "-1m", "--to", "+1y", "--include", "travel", "-o", "x.ics"])]
    #[case(&["s", "edit", "task", "5", "--notes", "-n", "--due", "-2d"])]
    #[case(&["s", "add", "event", "--title", "-2+3", "--start", "-1w"])]
    #[case(&["s", "occurrence", "edit", "3", "--at", "-1w", "--start", "-1d"])]
    #[case(&["s", "conflicts", "--from", "-1w"])]
    fn hyphen_values_parse(#[case] argv: &[&str]) {
        Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
    }

    #[test]
    fn a_flag_where_a_value_belongs_is_a_forgotten_value() {
        let e = Cli::try_parse_from(["s", "edit", "task", "5", "--notes", "--all-day"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("'--all-day' is a flag, not a value"), "{e}");
        // the flag's own value then has no place: still an error, never a note "--due"
        assert!(
            Cli::try_parse_from(["s", "edit", "task", "5", "--notes", "--due", "fri"]).is_err()
        );
        // attached with '=', a value that looks like a flag is what was meant
        let argv = |v: &[&str]| mark_attached_values(v.iter().map(std::ffi::OsString::from));
        match Cli::try_parse_from(argv(&["s", "edit", "task", "5", "--notes=--force"])) {
            Ok(Cli {
                command: Some(Command::Edit(EditCmd::Task { f, .. })),
                ..
            }) => assert_eq!(f.notes.as_deref(), Some("--force")),
            other => panic!("{other:?}"),
        }
        // after `--` nothing is touched: the subject is the text as typed
        match Cli::try_parse_from(argv(&["s", "add", "task", "--notes=-n", "--", "--due=--x"])) {
            Ok(Cli {
                command: Some(Command::Add(AddCmd::Task { subject, f })),
                ..
            }) => {
                assert_eq!(subject.as_deref(), Some("--due=--x"));
                assert_eq!(f.notes.as_deref(), Some("-n"));
            }
            other => panic!("{other:?}"),
        }
        // the mark never reaches a value that did not come with '='
        assert!(
            Cli::try_parse_from(argv(&["s", "edit", "task", "5", "--notes", "--force"])).is_err()
        );
        assert_eq!(flag_value("--04-15").as_deref(), Ok("--04-15"));
        assert_eq!(flag_value("-n").as_deref(), Ok("-n"));
        assert_eq!(flag_value("--").as_deref(), Ok("--"));
        assert!(flag_value("--all-day").is_err());
    }

    #[test]
    fn parses_a_full_add_event() {
        let cli = Cli::try_parse_from([
            "secretaire",
            "--db",
            "x.db",
            "add",
            "event",
            "Board",
            "--start",
            "tomorrow 9:00",
            "--duration",
            "1h",
            "--attendee",
            "Anna <anna@berg.se>",
            "--attendee",
            "3",
            "--json",
        ])
        .unwrap();
        assert!(cli.json);
        match cli.command {
            Some(Command::Add(AddCmd::Event { title, f })) => {
                assert_eq!(title.as_deref(), Some("Board"));
                assert_eq!(f.attendee.len(), 2);
                assert_eq!(f.duration.as_deref(), Some("1h"));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            Cli::try_parse_from(["s", "add", "event", "X", "--end", "1", "--duration", "1h"])
                .is_err()
        );
    }
}
