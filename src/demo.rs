//! Deterministic, realistic demo data. (Owned by the demo work.)
//!
//! Two layers, like the rest of the crate:
//! - [`generate`] / [`generate_large`] are PURE: `(size, now, tz)` in, domain values out. Same
//!   inputs, same data (a splitmix64 generator seeded from the inputs; no wall clock, no
//!   global state). Records refer to contacts by *placeholder id*: the 1-based position of the
//!   contact in [`DemoData::contacts`].
//! - [`seed`] / [`insert`] write a [`DemoData`] in ONE store transaction, contacts first, and
//!   map the placeholder ids to the ids the store hands out.
//!
//! `tz` is the executive's home zone: the office schedule (staff meeting 09:00, lunches, calls)
//! is in it. Trips keep the real zones of their ends (Europe/London, America/New_York,
//! Asia/Tokyo...), and meetings abroad are entered in the local zone of the city.
//!
//! Phone numbers come from the ranges regulators reserve for fiction (PTS 070-17 406 xx and
//! 08-46 500 4xx, Ofcom 020 7946 0xxx and 07700 900xxx, NANP 555-01xx, ARCEP 01 99 xx xx xx,
//! Bundesnetzagentur 030 23125 xxx), so dialling one should reach nobody; the Tokyo numbers
//! (+81 3 5555 0xxx) are made up. E-mail addresses are invented people at real domains.
use crate::domain::{
    Attendee, Contact, Currency, Due, Event, EventCategory, EventStatus, EventTime, Invoice,
    InvoiceStatus, Labeled, Money, Priority, Segment, SegmentKind, SegmentStatus, Task,
    TaskDirection, TaskKind, TaskStatus, Trip,
};
use crate::store::Store;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoSize {
    /// One executive's month.
    Small,
    /// Scale work: 100k events, 20k contacts, 20k invoices, 50k tasks, 5k trips.
    Large,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoStats {
    pub events: u64,
    pub trips: u64,
    pub segments: u64,
    pub contacts: u64,
    pub invoices: u64,
    pub tasks: u64,
}

/// How many records of each kind [`generate_large`] makes (totals, the small month included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub events: usize,
    pub contacts: usize,
    pub invoices: usize,
    pub tasks: usize,
    pub trips: usize,
}

impl Counts {
    /// The `--size large` figures.
    pub const LARGE: Counts = Counts {
        events: 100_000,
        contacts: 20_000,
        invoices: 20_000,
        tasks: 50_000,
        trips: 5_000,
    };
}

/// Generated records, not yet stored. Contact references (`Attendee::contact_id`,
/// `Invoice::vendor_id`, `Task::contact_id`) hold placeholder ids: 1-based positions in
/// `contacts`. Every `id` is 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoData {
    pub contacts: Vec<Contact>,
    pub events: Vec<Event>,
    pub trips: Vec<Trip>,
    pub invoices: Vec<Invoice>,
    pub tasks: Vec<Task>,
}

impl DemoData {
    pub fn stats(&self) -> DemoStats {
        DemoStats {
            events: self.events.len() as u64,
            trips: self.trips.len() as u64,
            segments: self.trips.iter().map(|t| t.segments.len() as u64).sum(),
            contacts: self.contacts.len() as u64,
            invoices: self.invoices.len() as u64,
            tasks: self.tasks.len() as u64,
        }
    }

    /// The first record that breaks its own rules, named by kind and position.
    pub fn validate(&self) -> Result<(), String> {
        fn check<T>(
            kind: &str,
            items: &[T],
            f: impl Fn(&T) -> Result<(), crate::domain::ValidationError>,
        ) -> Result<(), String> {
            for (i, x) in items.iter().enumerate() {
                f(x).map_err(|e| format!("{kind} #{i}: {e}"))?;
            }
            Ok(())
        }
        check("contact", &self.contacts, Contact::validate)?;
        check("event", &self.events, Event::validate)?;
        check("trip", &self.trips, Trip::validate)?;
        check("invoice", &self.invoices, Invoice::validate)?;
        check("task", &self.tasks, Task::validate)?;
        let n = self.contacts.len() as i64;
        let bad = |id: Option<i64>| id.is_some_and(|i| i < 1 || i > n);
        for (i, e) in self.events.iter().enumerate() {
            if e.attendees.iter().any(|a| bad(a.contact_id)) {
                return Err(format!("event #{i}: attendee refers to a missing contact"));
            }
        }
        if let Some(i) = self.invoices.iter().position(|x| bad(x.vendor_id)) {
            return Err(format!("invoice #{i}: vendor refers to a missing contact"));
        }
        if let Some(i) = self.tasks.iter().position(|x| bad(x.contact_id)) {
            return Err(format!("task #{i}: contact refers to a missing contact"));
        }
        Ok(())
    }
}

/// Seed `store` with data for the weeks around `now` (same inputs, same data).
pub fn seed(
    store: &Store,
    size: DemoSize,
    now: DateTime<Utc>,
    tz: Tz,
) -> anyhow::Result<DemoStats> {
    let data = generate(size, now, tz);
    insert(store, &data)
}

/// The demo data for `size` (pure).
pub fn generate(size: DemoSize, now: DateTime<Utc>, tz: Tz) -> DemoData {
    match size {
        DemoSize::Small => {
            let mut d = generate_small(now, tz);
            stamp_uids(&mut d, now);
            d
        }
        DemoSize::Large => generate_large(Counts::LARGE, now, tz),
    }
}

/// Write `data` in one transaction: contacts first, then events, trips (with segments),
/// invoices and tasks with their contact placeholders mapped to the stored ids.
pub fn insert(store: &Store, data: &DemoData) -> anyhow::Result<DemoStats> {
    insert_with(store, data, |_, _| {})
}

/// [`insert`], calling `done(kind, rows)` after each kind ("contacts", "events", "trips",
/// "invoices", "tasks") is written, still inside the one transaction (for progress bars and
/// the bench's breakdown of where the time goes). One bulk write: the search indexes are
/// rebuilt once at the end (inside the transaction, after the last `done`).
pub fn insert_with(
    store: &Store,
    data: &DemoData,
    mut done: impl FnMut(&'static str, u64),
) -> anyhow::Result<DemoStats> {
    use crate::store::StoreError;
    let stats = store.write_bulk(|tx| {
        let mut ids: Vec<i64> = Vec::with_capacity(data.contacts.len());
        for c in &data.contacts {
            ids.push(tx.insert_contact(c)?);
        }
        done("contacts", ids.len() as u64);
        let map = |p: Option<i64>| -> Result<Option<i64>, StoreError> {
            match p {
                None => Ok(None),
                Some(p) => usize::try_from(p - 1)
                    .ok()
                    .and_then(|i| ids.get(i).copied())
                    .map(Some)
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!("demo data refers to missing contact {p}"))
                    }),
            }
        };
        for e in &data.events {
            if e.attendees.iter().any(|a| a.contact_id.is_some()) {
                let mut e = e.clone();
                for a in &mut e.attendees {
                    a.contact_id = map(a.contact_id)?;
                }
                tx.insert_event(&e)?;
            } else {
                tx.insert_event(e)?;
            }
        }
        done("events", data.events.len() as u64);
        for t in &data.trips {
            tx.insert_trip(t)?;
        }
        done("trips", data.trips.len() as u64);
        for i in &data.invoices {
            if i.vendor_id.is_some() {
                let mut i = i.clone();
                i.vendor_id = map(i.vendor_id)?;
                tx.insert_invoice(&i)?;
            } else {
                tx.insert_invoice(i)?;
            }
        }
        done("invoices", data.invoices.len() as u64);
        for t in &data.tasks {
            if t.contact_id.is_some() {
                let mut t = t.clone();
                t.contact_id = map(t.contact_id)?;
                tx.insert_task(&t)?;
            } else {
                tx.insert_task(t)?;
            }
        }
        done("tasks", data.tasks.len() as u64);
        Ok(data.stats())
    })?;
    Ok(stats)
}

/// UIDs are unique in the store: put the seeding instant in them, so demo data seeded at
/// another `now` can sit next to this one ("demo-20261123T093000Z-event-7@secretaire").
fn stamp_uids(d: &mut DemoData, now: DateTime<Utc>) {
    let prefix = format!("demo-{}-", now.format("%Y%m%dT%H%M%SZ"));
    let fix = |uid: &mut String| {
        if let Some(rest) = uid.strip_prefix("demo-") {
            *uid = format!("{prefix}{rest}");
        }
    };
    d.contacts.iter_mut().for_each(|c| fix(&mut c.uid));
    d.events.iter_mut().for_each(|e| fix(&mut e.uid));
    for t in &mut d.trips {
        t.segments.iter_mut().for_each(|s| fix(&mut s.uid));
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// splitmix64: tiny, fast, good enough for demo data, and the same on every platform.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (0 when n is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    /// Uniform in `lo..hi` (lo when empty).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo) as u64) as i64
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// A booking reference: 6 characters without the easily confused I, O, 0, 1.
    fn code(&mut self) -> String {
        const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        (0..6).map(|_| *self.pick(A) as char).collect()
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|i| {
                let d = if i == 0 {
                    1 + self.below(9)
                } else {
                    self.below(10)
                };
                char::from(b'0' + d as u8)
            })
            .collect()
    }
}

/// FNV-1a over the inputs, so the data depends on (size, now, tz) and nothing else.
fn seed_of(size: DemoSize, now: DateTime<Utc>, tz: Tz) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(match size {
        DemoSize::Small => b"small",
        DemoSize::Large => b"large",
    });
    eat(&now.timestamp().to_le_bytes());
    eat(tz.name().as_bytes());
    h
}

/// Append the Luhn (mod 10) check digit, as Swedish OCR references carry.
fn with_luhn(digits: &str) -> String {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

// ---------------------------------------------------------------------------------------------
// Time helpers

/// Local wall time `h:m` on `date` in `tz` as an instant. A time that falls in a DST gap moves
/// forward an hour; an ambiguous one takes the first.
fn at(tz: Tz, date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN));
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

fn local_naive(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

/// The `n`-th (1-based) `weekday` of the month holding `d`.
fn nth_weekday(d: NaiveDate, weekday: chrono::Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(d.year(), d.month(), weekday, n).unwrap_or(d)
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

// ---------------------------------------------------------------------------------------------
// Static material

/// (name, organisation, title, email domain, phone style, tags)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Phone,
    &'static str,
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phone {
    SeMobile,
    SeOffice,
    UkOffice,
    UkMobile,
    Ny,
    Tokyo,
    Paris,
    Berlin,
}

const HOME_ORG: &str = "Aurora Nordic AB";

/// The people one executive actually deals with; the small month refers to them by name.
#[rustfmt::skip]
const PEOPLE: &[Person] = &[
    ("Anna Berg", "Telia Company", "Key Account Manager", "teliacompany.com", Phone::SeMobile, "vendor"),
    ("Johan Lindqvist", "Ericsson", "VP Strategy", "ericsson.com", Phone::SeOffice, "client,vip"),
    ("Maria Svensson", "SEB", "Private Banker", "seb.se", Phone::SeOffice, "vendor"),
    ("Erik Nilsson", "Vattenfall", "Head of Communications", "vattenfall.com", Phone::SeMobile, "client"),
    ("Sophie Martin", "Financial Times", "Nordic Correspondent", "ft.com", Phone::UkMobile, "press"),
    ("James Whitfield", "Whitfield Capital LLP", "Non-executive Director", "whitfieldcapital.co.uk", Phone::UkOffice, "board,vip"),
    ("Yuki Tanaka", "Sony Group", "Director, Nordic Partnerships", "sony.com", Phone::Tokyo, "client,vip"),
    ("Lars Holm", "Dagens Industri", "Reporter", "di.se", Phone::SeMobile, "press"),
    ("Emma Lund", "Svenska Dagbladet", "Business Editor", "svd.se", Phone::SeOffice, "press"),
    ("Oliver Grant", "Reuters", "Stockholm Bureau Chief", "thomsonreuters.com", Phone::SeMobile, "press"),
    ("Rachel Kim", "Bloomberg News", "Reporter", "bloomberg.net", Phone::Ny, "press"),
    ("Per Åkesson", "Advokatfirman Vinge", "Partner", "vinge.se", Phone::SeOffice, "vendor"),
    ("Cecilia Wahlberg", "Mannheimer Swartling", "Senior Associate", "msa.se", Phone::SeOffice, "vendor"),
    ("David Cohen", "Cohen & Park LLP", "Partner", "cohenpark.com", Phone::Ny, "vendor"),
    ("Sara Nyberg", "Sthlm Catering AB", "Event Manager", "sthlmcatering.se", Phone::SeMobile, "vendor"),
    ("Magnus Ek", "BCD Travel", "Senior Travel Consultant", "bcdtravel.se", Phone::SeOffice, "vendor"),
    ("Ingrid Sandberg", HOME_ORG, "CFO", "auroranordic.se", Phone::SeMobile, "colleague"),
    ("Henrik Dahl", HOME_ORG, "COO", "auroranordic.se", Phone::SeMobile, "colleague"),
    ("Lena Forsberg", HOME_ORG, "Head of HR", "auroranordic.se", Phone::SeOffice, "colleague"),
    ("Karl Johansson", HOME_ORG, "General Counsel", "auroranordic.se", Phone::SeOffice, "colleague"),
    ("Maja Persson", HOME_ORG, "Executive Assistant", "auroranordic.se", Phone::SeMobile, "colleague"),
    ("Helena Ström", HOME_ORG, "Chair of the Board", "stromadvisory.se", Phone::SeMobile, "board,vip"),
    ("Gunnar Wikström", HOME_ORG, "Board Member", "wikstrom.se", Phone::SeMobile, "board"),
    ("Birgitta Holmberg", HOME_ORG, "Board Member", "holmbergkonsult.se", Phone::SeOffice, "board"),
    ("Michael O'Brien", "J.P. Morgan", "Managing Director", "jpmorgan.com", Phone::Ny, "client,vip"),
    ("Charlotte Webb", "Barclays", "Relationship Director", "barclays.com", Phone::UkOffice, "client"),
    ("Fredrik Lundgren", "Tandläkarhuset Östermalm", "Dentist", "tandlakarhuset.se", Phone::SeOffice, "vendor"),
    ("Elisabeth Roos", "Operakällaren", "Reservations", "operakallaren.se", Phone::SeOffice, "vendor"),
    ("Thomas Berglund", "Taxi Stockholm", "Corporate Accounts", "taxistockholm.se", Phone::SeOffice, "vendor"),
    ("Sofia Andersson", "Interflora", "Corporate Orders", "interflora.se", Phone::SeOffice, "vendor"),
    ("Niklas Hedlund", "Atea", "Account Manager", "atea.se", Phone::SeMobile, "vendor"),
    ("Jessica Palmer", "The Langham, New York", "Guest Relations", "langhamhotels.com", Phone::Ny, "vendor"),
    ("Hiroshi Sato", "Park Hyatt Tokyo", "Concierge", "hyatt.com", Phone::Tokyo, "vendor"),
    ("Camilla Björk", "Sveriges Radio Ekot", "Economics Reporter", "sr.se", Phone::SeMobile, "press"),
    ("Mats Olofsson", "Dagens Nyheter", "Reporter", "dn.se", Phone::SeMobile, "press"),
    ("Nora Eriksson", "Spotify", "Chief of Staff", "spotify.com", Phone::SeMobile, "client"),
    ("Alexander Wolff", "Deutsche Bank", "Director, Nordic Coverage", "db.com", Phone::Berlin, "client"),
    ("Pierre Dubois", "Les Echos", "Nordic Correspondent", "lesechos.fr", Phone::Paris, "press"),
    ("Anders Lind", "PwC", "Audit Partner", "pwc.com", Phone::SeOffice, "vendor"),
    ("Claire Fontaine", "Hotel Diplomat", "Events Coordinator", "diplomathotel.com", Phone::SeOffice, "vendor"),
    ("Victoria Hughes", "The Savoy", "Reservations Manager", "thesavoylondon.com", Phone::UkOffice, "vendor"),
    ("Daniel Petersson", "Vattenfall", "Energy Advisor, Business", "vattenfall.com", Phone::SeOffice, "vendor"),
    ("Kenji Watanabe", "Mitsubishi Corporation", "General Manager", "mitsubishicorp.com", Phone::Tokyo, "client"),
    ("Linnea Holmqvist", "Nordic Print & Design", "Project Manager", "nordicprint.se", Phone::SeMobile, "vendor"),
];

/// Suppliers as organisation cards (what invoices link to): (name, email domain, phone style,
/// tags). Swedish ones bill from faktura@, the others from invoices@.
#[rustfmt::skip]
const VENDORS: &[(&str, &str, Phone, &str)] = &[
    ("Telia Company", "teliacompany.com", Phone::SeOffice, "vendor"),
    ("Vattenfall", "vattenfall.se", Phone::SeOffice, "vendor"),
    ("Sthlm Catering AB", "sthlmcatering.se", Phone::SeOffice, "vendor"),
    ("BCD Travel", "bcdtravel.se", Phone::SeOffice, "vendor"),
    ("Advokatfirman Vinge", "vinge.se", Phone::SeOffice, "vendor"),
    ("Mannheimer Swartling", "msa.se", Phone::SeOffice, "vendor"),
    ("PwC", "pwc.se", Phone::SeOffice, "vendor"),
    ("Taxi Stockholm", "taxistockholm.se", Phone::SeOffice, "vendor"),
    ("Interflora", "interflora.se", Phone::SeOffice, "vendor"),
    ("Atea", "atea.se", Phone::SeOffice, "vendor"),
    ("Hotel Diplomat", "diplomathotel.com", Phone::SeOffice, "vendor"),
    ("Nordic Print & Design", "nordicprint.se", Phone::SeOffice, "vendor"),
    ("Operakällaren", "operakallaren.se", Phone::SeOffice, "vendor"),
    ("Dagens Industri", "di.se", Phone::SeOffice, "vendor,press"),
    ("The Savoy", "thesavoylondon.com", Phone::UkOffice, "vendor"),
    ("The Langham, New York", "langhamhotels.com", Phone::Ny, "vendor"),
    ("Cohen & Park LLP", "cohenpark.com", Phone::Ny, "vendor"),
    ("Deutsche Bank", "db.com", Phone::Berlin, "vendor"),
    ("Financial Times", "ft.com", Phone::UkOffice, "vendor,press"),
    ("Freshfields", "freshfields.com", Phone::UkOffice, "vendor"),
];

fn vendor_contact(i: usize, rng: &mut Rng, now: DateTime<Utc>) -> Option<Contact> {
    let (name, domain, style, tags) = *VENDORS.get(i)?;
    let mailbox = if domain.ends_with(".se") {
        "faktura"
    } else {
        "invoices"
    };
    let person: Person = (name, name, "Accounts receivable", domain, style, tags);
    let mut c = contact_from(&person, 500 + i as u64, rng, now);
    c.uid = format!("demo-vendor-{i}@secretaire");
    c.emails = vec![Labeled::new("billing", format!("{mailbox}@{domain}"))];
    c.birthday = None;
    Some(c)
}

#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Emma",
    "Elin",
    "Ida",
    "Johanna",
    "Sofia",
    "Kristina",
    "Linda",
    "Malin",
    "Hanna",
    "Frida",
    "Klara",
    "Astrid",
    "Ebba",
    "Lisa",
    "Jenny",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Mikael",
    "Jan",
    "Peter",
    "Nils",
    "Oskar",
    "Gustav",
    "Fredrik",
    "Magnus",
    "Viktor",
    "Axel",
    "Olof",
    "Jonas",
    "Emil",
    "Hugo",
    "James",
    "Oliver",
    "Charlotte",
    "Emily",
    "Thomas",
    "Sophie",
    "Pierre",
    "Camille",
    "Lukas",
    "Julia",
    "Marco",
    "Giulia",
    "Yuki",
    "Haruto",
    "Aiko",
    "Wei",
    "Mei",
    "Priya",
    "Arjun",
    "Daniel",
    "Rachel",
    "Michael",
    "Sarah",
    "David",
    "Laura",
];

#[rustfmt::skip]
const LAST: &[&str] = &[
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson",
    "Lindberg", "Lindqvist", "Berg", "Lindgren", "Axelsson", "Bergström", "Lundberg", "Lind",
    "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson",
    "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Håkansson", "Lundin",
    "Björk", "Ström", "Åberg", "Holm", "Ek", "Smith", "Brown", "Taylor", "Whitfield", "Clarke",
    "Hughes", "Martin", "Dubois", "Müller", "Schmidt", "Rossi", "Tanaka", "Suzuki", "Sato", "Chen",
    "Wang", "Patel", "O'Connor", "García", "Novak",
];

/// (organisation, email domain, phone style, tag, typical titles)
type Org = (
    &'static str,
    &'static str,
    Phone,
    &'static str,
    &'static [&'static str],
);

#[rustfmt::skip]
const ORGS: &[Org] = &[
    ("Telia Company", "teliacompany.com", Phone::SeOffice, "vendor", &["Account Manager", "Support Specialist"]),
    ("Vattenfall", "vattenfall.com", Phone::SeOffice, "client", &["Project Director", "Analyst", "Head of Sustainability"]),
    ("Ericsson", "ericsson.com", Phone::SeOffice, "client", &["Director", "Program Manager", "VP Sales"]),
    ("SEB", "seb.se", Phone::SeOffice, "vendor", &["Relationship Manager", "Credit Analyst"]),
    ("Handelsbanken", "handelsbanken.se", Phone::SeOffice, "vendor", &["Branch Manager", "Advisor"]),
    ("Dagens Industri", "di.se", Phone::SeMobile, "press", &["Reporter", "Editor", "Columnist"]),
    ("Svenska Dagbladet", "svd.se", Phone::SeMobile, "press", &["Reporter", "Business Editor"]),
    ("Dagens Nyheter", "dn.se", Phone::SeMobile, "press", &["Reporter", "Photographer"]),
    ("Financial Times", "ft.com", Phone::UkOffice, "press", &["Correspondent", "Editor", "Reporter"]),
    ("Reuters", "thomsonreuters.com", Phone::UkMobile, "press", &["Correspondent", "Bureau Chief"]),
    ("Bloomberg News", "bloomberg.net", Phone::Ny, "press", &["Reporter", "Producer"]),
    ("Advokatfirman Vinge", "vinge.se", Phone::SeOffice, "vendor", &["Partner", "Associate"]),
    ("Mannheimer Swartling", "msa.se", Phone::SeOffice, "vendor", &["Partner", "Senior Associate"]),
    ("Freshfields", "freshfields.com", Phone::UkOffice, "vendor", &["Partner", "Counsel"]),
    ("Sthlm Catering AB", "sthlmcatering.se", Phone::SeMobile, "vendor", &["Event Manager", "Chef"]),
    ("BCD Travel", "bcdtravel.se", Phone::SeOffice, "vendor", &["Travel Consultant"]),
    (
        HOME_ORG,
        "auroranordic.se",
        Phone::SeMobile,
        "colleague",
        &[
            "Controller",
            "Head of IR",
            "Communications Manager",
            "Legal Counsel",
            "Project Lead",
        ],
    ),
    ("Spotify", "spotify.com", Phone::SeMobile, "client", &["Partnerships Lead", "Director"]),
    ("Volvo Cars", "volvocars.com", Phone::SeOffice, "client", &["VP Procurement", "Manager"]),
    ("J.P. Morgan", "jpmorgan.com", Phone::Ny, "client", &["Vice President", "Analyst"]),
    ("Deutsche Bank", "db.com", Phone::Berlin, "client", &["Director", "Associate"]),
    ("Le Monde", "lemonde.fr", Phone::Paris, "press", &["Correspondent"]),
    ("Sony Group", "sony.com", Phone::Tokyo, "client", &["Manager", "Director"]),
    ("PwC", "pwc.com", Phone::SeOffice, "vendor", &["Auditor", "Manager"]),
    ("Atea", "atea.se", Phone::SeMobile, "vendor", &["Technician", "Account Manager"]),
];

fn phone(style: Phone, n: u64) -> Labeled {
    let k = n % 95 + 5; // 05..=99: the reserved Swedish fiction blocks
    let t = n % 1000;
    match style {
        Phone::SeMobile => Labeled::new("mobile", format!("+46 70 174 06 {k:02}")),
        Phone::SeOffice => Labeled::new("work", format!("+46 8 465 004 {:02}", n % 100)),
        Phone::UkOffice => Labeled::new("work", format!("+44 20 7946 0{t:03}")),
        Phone::UkMobile => Labeled::new("mobile", format!("+44 7700 900{t:03}")),
        Phone::Ny => Labeled::new("work", format!("+1 212 555 01{:02}", n % 100)),
        Phone::Tokyo => Labeled::new("work", format!("+81 3 5555 0{t:03}")),
        Phone::Paris => Labeled::new(
            "work",
            format!("+33 1 99 00 {:02} {:02}", n % 100, (n / 7) % 100),
        ),
        Phone::Berlin => Labeled::new("work", format!("+49 30 23125 {t:03}")),
    }
}

/// "Per Åkesson" -> "per.akesson"; "Michael O'Brien" -> "michael.obrien".
fn email_local(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => out.push('a'),
            'ö' | 'ø' | 'ó' | 'ô' => out.push('o'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' | 'ú' => out.push('u'),
            'í' => out.push('i'),
            'ç' => out.push('c'),
            ' ' => out.push('.'),
            c if c.is_ascii_alphanumeric() || c == '-' => out.push(c),
            _ => {}
        }
    }
    out
}

const STREETS: &[&str] = &[
    "Birger Jarlsgatan",
    "Strandvägen",
    "Kungsgatan",
    "Hamngatan",
    "Sveavägen",
    "Regeringsgatan",
    "Stureplan",
    "Norrlandsgatan",
];

fn contact_from(person: &Person, n: u64, rng: &mut Rng, now: DateTime<Utc>) -> Contact {
    let (name, org, title, domain, style, tags) = *person;
    let mut phones = vec![phone(style, n)];
    if style == Phone::SeOffice && rng.chance(50) {
        phones.push(phone(Phone::SeMobile, n + 17));
    }
    let address = match style {
        Phone::SeOffice | Phone::SeMobile if rng.chance(60) => format!(
            "{} {}\n{} {:02} Stockholm\nSweden",
            rng.pick(STREETS),
            rng.range(1, 60),
            rng.range(111, 115),
            rng.range(10, 60)
        ),
        _ => String::new(),
    };
    let birthday = rng.chance(25).then(|| crate::domain::Birthday {
        year: rng.chance(50).then(|| rng.range(1950, 1995) as i32),
        month: rng.range(1, 13) as u32,
        day: rng.range(1, 29) as u32,
    });
    let last_contacted = rng
        .chance(70)
        .then(|| (now - days(rng.range(1, 200))).date_naive());
    Contact {
        id: 0,
        uid: format!("demo-contact-{n}@secretaire"),
        name: name.to_string(),
        organization: org.to_string(),
        title: title.to_string(),
        emails: vec![Labeled::new(
            "work",
            format!("{}@{domain}", email_local(name)),
        )],
        phones,
        address,
        tags: Contact::parse_tags(tags),
        notes: String::new(),
        last_contacted,
        birthday,
    }
}

/// A contact made up from the name pools (for the small tail and for large).
fn pooled_contact(n: u64, rng: &mut Rng, now: DateTime<Utc>) -> Contact {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let (org, domain, style, tag, titles) = *rng.pick(ORGS);
    let name = format!("{first} {last}");
    let title = *rng.pick(titles);
    let leaked: &'static str = match tag {
        "press" => "press",
        "vendor" => "vendor",
        "client" => "client",
        "colleague" => "colleague",
        _ => "client",
    };
    let person: Person = ("", org, title, domain, style, leaked);
    let mut c = contact_from(&person, n, rng, now);
    c.name = name;
    c.emails = vec![Labeled::new(
        "work",
        format!("{}@{domain}", email_local(&c.name)),
    )];
    if rng.chance(8) {
        c.tags.push("vip".into());
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Small: one executive's month

/// Builds the small month; refers to people by name.
struct Month {
    rng: Rng,
    now: DateTime<Utc>,
    tz: Tz,
    /// Monday of the week holding `now` (in `tz`).
    monday: NaiveDate,
    today: NaiveDate,
    data: DemoData,
}

impl Month {
    fn day(&self, offset: i64) -> NaiveDate {
        self.monday + days(offset)
    }

    /// Placeholder id (1-based position) of the named person.
    fn cid(&self, name: &str) -> Option<i64> {
        let found = self
            .data
            .contacts
            .iter()
            .position(|c| c.name == name)
            .map(|i| i as i64 + 1);
        debug_assert!(found.is_some(), "demo refers to unknown person {name}");
        found
    }

    fn people(&self, names: &[&str]) -> Vec<Attendee> {
        names
            .iter()
            .filter_map(|n| {
                let id = self.cid(n)?;
                let c = &self.data.contacts[(id - 1) as usize];
                Some(Attendee {
                    contact_id: Some(id),
                    name: c.name.clone(),
                    email: c.primary_email().unwrap_or_default().to_string(),
                })
            })
            .collect()
    }

    fn push_event(&mut self, title: &str, time: EventTime) -> &mut Event {
        let n = self.data.events.len();
        let created =
            self.now - days(self.rng.range(3, 40)) - Duration::minutes(self.rng.range(0, 600));
        let mut e = Event::new(title, time, created);
        e.uid = format!("demo-event-{n}@secretaire");
        self.data.events.push(e);
        let last = self.data.events.len() - 1;
        &mut self.data.events[last]
    }

    /// A timed event on `day` (offset from this Monday) at `h:m` for `minutes`, home zone.
    fn timed(&mut self, title: &str, day: i64, h: u32, m: u32, minutes: i64) -> &mut Event {
        let (tz, date) = (self.tz, self.day(day));
        self.timed_in(title, tz, date, h, m, minutes)
    }

    fn timed_in(
        &mut self,
        title: &str,
        tz: Tz,
        date: NaiveDate,
        h: u32,
        m: u32,
        minutes: i64,
    ) -> &mut Event {
        let start = at(tz, date, h, m);
        self.push_event(
            title,
            EventTime::Timed {
                start,
                end: start + Duration::minutes(minutes),
                tz,
            },
        )
    }

    fn all_day(&mut self, title: &str, first: i64, last: i64) -> &mut Event {
        let (start, end) = (self.day(first), self.day(last));
        self.push_event(title, EventTime::AllDay { start, end })
    }
}

fn generate_small(now: DateTime<Utc>, tz: Tz) -> DemoData {
    let today = now.with_timezone(&tz).date_naive();
    let monday = today - days(i64::from(today.weekday().num_days_from_monday()));
    let mut m = Month {
        rng: Rng::new(seed_of(DemoSize::Small, now, tz)),
        now,
        tz,
        monday,
        today,
        data: DemoData::default(),
    };
    small_contacts(&mut m);
    small_events(&mut m);
    small_trips(&mut m);
    small_invoices(&mut m);
    small_tasks(&mut m);
    m.data
}

const SMALL_CONTACTS: usize = 80;

fn small_contacts(m: &mut Month) {
    for (i, p) in PEOPLE.iter().enumerate() {
        let c = contact_from(p, i as u64, &mut m.rng, m.now);
        m.data.contacts.push(c);
    }
    for i in 0..VENDORS.len() {
        if let Some(c) = vendor_contact(i, &mut m.rng, m.now) {
            m.data.contacts.push(c);
        }
    }
    while m.data.contacts.len() < SMALL_CONTACTS {
        let n = m.data.contacts.len() as u64;
        let c = pooled_contact(n, &mut m.rng, m.now);
        m.data.contacts.push(c);
    }
    // A few notes a secretary would keep.
    #[rustfmt::skip]
    let notes: &[(&str, &str)] = &[
        ("Johan Lindqvist", "Prefers calls before 09:00. Assistant: Eva (+46 8 465 004 51)."),
        ("Sophie Martin", "Off the record only with prior approval from Comms."),
        ("James Whitfield", "Vegetarian. Based in London, in Stockholm for board weeks."),
        ("Yuki Tanaka", "Exchange business cards with both hands; gift: Swedish glass (Orrefors)."),
        ("Helena Ström", "Chair. Board pack must reach her 7 days before each meeting."),
        ("Magnus Ek", "Our BCD Travel agent. Emergency line 24/7: +46 8 465 004 99."),
        ("Per Åkesson", "Handles the share-purchase agreement and board legal questions."),
    ];
    for (name, note) in notes {
        if let Some(c) = m.data.contacts.iter_mut().find(|c| c.name == *name) {
            c.notes = note.to_string();
        }
    }
}

/// Days (offsets from this Monday, inclusive) the executive is abroad; `small_trips` books
/// the flights for exactly these.
const AWAY: &[(i64, i64, &str)] = &[(-14, -9, "Tokyo"), (7, 9, "London"), (14, 18, "New York")];

fn away(off: i64) -> Option<&'static str> {
    AWAY.iter()
        .find(|(a, b, _)| (*a..=*b).contains(&off))
        .map(|(_, _, c)| *c)
}

/// The home series (staff meeting, 1:1, gym) get an EXDATE on each day abroad they would
/// fall on, as a secretary clears the diary around a trip.
fn skip_away_days(m: &mut Month) {
    use chrono::Weekday::*;
    let rules: &[(&str, &[chrono::Weekday], i64)] = &[
        ("Weekly staff meeting", &[Mon], 7),
        ("1:1 Ingrid (CFO)", &[Thu], 14),
        ("Gym (private)", &[Tue, Thu], 7),
    ];
    let (tz, monday) = (m.tz, m.monday);
    for e in m.data.events.iter_mut().filter(|e| e.rrule.is_some()) {
        let Some((_, weekdays, period)) = rules.iter().find(|r| r.0 == e.title) else {
            continue;
        };
        let EventTime::Timed { start, .. } = e.time else {
            continue;
        };
        let local = start.with_timezone(&tz);
        let first = local.date_naive();
        for &(a, b, _) in AWAY {
            for off in a..=b {
                let date = monday + days(off);
                let weeks_ok = ((date - first).num_days().div_euclid(7) * 7) % period == 0;
                if weekdays.contains(&date.weekday()) && weeks_ok && date >= first {
                    e.exdates.push(date.and_time(local.time()));
                }
            }
        }
    }
}

fn small_events(m: &mut Month) {
    use EventCategory as C;
    let staff = [
        "Ingrid Sandberg",
        "Henrik Dahl",
        "Lena Forsberg",
        "Karl Johansson",
    ];

    // Weekly staff meeting: a real series that started ten weeks ago, skipped while the
    // executive travels (see `skip_away_days`) and with one occurrence moved.
    let staff_att = m.people(&staff);
    let e = m.timed("Weekly staff meeting", -70, 9, 0, 60);
    let uid = e.uid.clone();
    e.rrule = Some("FREQ=WEEKLY;BYDAY=MO".into());
    e.location = "Boardroom Gamla Stan, 5th floor".into();
    e.attendees = staff_att.clone();
    e.reminder_minutes = Some(10);
    e.notes = "Standing agenda: numbers of the week, pipeline, people, AOB.".into();
    let moved_from = local_naive(m.day(-7), 9, 0);
    let e = m.timed("Weekly staff meeting (moved: investor call)", -7, 13, 0, 60);
    e.uid = uid;
    e.recurrence_id = Some(moved_from);
    e.location = "Boardroom Gamla Stan, 5th floor".into();
    e.attendees = staff_att;
    e.sequence = 1;

    // Monthly board meeting, 13:00-17:00, a series since three months back. Boards fix the
    // day a year ahead; pick the first usual rule (second Tuesday, ...) whose meetings in
    // these weeks do not fall on a trip.
    use chrono::Weekday::{Thu, Tue, Wed};
    let candidates = [
        (Tue, 2),
        (Tue, 3),
        (Tue, 1),
        (Wed, 2),
        (Wed, 3),
        (Thu, 2),
        (Thu, 3),
        (Tue, 4),
        (Wed, 4),
        (Thu, 4),
        (Wed, 1),
        (Thu, 1),
    ];
    let clear = |wd: chrono::Weekday, n: u8| {
        (-14..28).all(|off| {
            let date = m.day(off);
            nth_weekday(date, wd, n) != date || away(off).is_none()
        })
    };
    let (wd, nth) = candidates
        .iter()
        .copied()
        .find(|(wd, n)| clear(*wd, *n))
        .unwrap_or((Tue, 2));
    let first_board = nth_weekday(m.today - days(90), wd, nth);
    let off = (first_board - m.monday).num_days();
    let rule = format!(
        "FREQ=MONTHLY;BYDAY={nth}{}",
        &wd.to_string().to_ascii_uppercase()[..2]
    );
    let board = m.people(&[
        "Helena Ström",
        "James Whitfield",
        "Gunnar Wikström",
        "Birgitta Holmberg",
        "Ingrid Sandberg",
        "Karl Johansson",
    ]);
    let e = m.timed("Board meeting", off, 13, 0, 240);
    e.rrule = Some(rule);
    e.location = "Hotel Diplomat, Strandvägen 7C".into();
    e.attendees = board.clone();
    let board_uid = e.uid.clone();
    e.reminder_minutes = Some(24 * 60);
    e.notes = "Board pack out 7 days before. Catering: Sthlm Catering (order 3 days ahead).".into();

    // Fortnightly 1:1 with the CFO on Thursdays.
    let att = m.people(&["Ingrid Sandberg"]);
    let e = m.timed("1:1 Ingrid (CFO)", -67, 15, 0, 45);
    e.rrule = Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH".into());
    e.attendees = att;

    // Gym before work: a private block twice a week.
    let e = m.timed("Gym (private)", -70, 7, 0, 60);
    e.rrule = Some("FREQ=WEEKLY;BYDAY=TU,TH".into());
    e.category = C::PrivateBlock;
    e.location = "Sturebadet".into();

    skip_away_days(m);
    // A board meeting that falls on a trip is attended by video: an override of that
    // occurrence. The board dinner is the evening of the first one at home.
    let mut dinner_day = None;
    for off in -14..28 {
        let date = m.day(off);
        if nth_weekday(date, wd, nth) != date {
            continue;
        }
        match away(off) {
            Some(city) => {
                let e = m.timed(
                    &format!("Board meeting (joining by video from {city})"),
                    off,
                    13,
                    0,
                    240,
                );
                e.uid = board_uid.clone();
                e.recurrence_id = Some(local_naive(date, 13, 0));
                e.location = format!("Teams, from {city}");
                e.attendees = board.clone();
                e.sequence = 1;
            }
            None => {
                dinner_day.get_or_insert(off);
            }
        }
    }
    if let Some(day) = dinner_day {
        let att = m.people(&["Helena Ström", "James Whitfield"]);
        let e = m.timed("Board dinner", day, 18, 30, 150);
        e.location = "Hotel Diplomat, Strandvägen 7C".into();
        e.attendees = att;
    }

    // Client lunches.
    #[rustfmt::skip]
    let lunches: &[(&str, &str, i64, &str)] = &[
        ("Lunch with Johan Lindqvist (Ericsson)", "Johan Lindqvist", -6, "Operakällaren, Karl XII:s torg"),
        ("Lunch with Erik Nilsson (Vattenfall)", "Erik Nilsson", -4, "Sturehof, Stureplan 2"),
        ("Lunch with Nora Eriksson (Spotify)", "Nora Eriksson", -3, "Riche, Birger Jarlsgatan 4"),
        ("Lunch with Maria Svensson (SEB)", "Maria Svensson", 1, "Villa Källhagen, Djurgårdsbrunnsvägen 10"),
        ("Lunch with Charlotte Webb (Barclays)", "Charlotte Webb", 4, "Mathias Dahlgren Matbaren, Grand Hôtel"),
        ("Lunch with Alexander Wolff (Deutsche Bank)", "Alexander Wolff", 10, "Sturehof, Stureplan 2"),
        ("Lunch with Johan Lindqvist (Ericsson)", "Johan Lindqvist", 23, "Operakällaren, Karl XII:s torg"),
        ("Lunch with Anders Lind (PwC)", "Anders Lind", 22, "Riche, Birger Jarlsgatan 4"),
    ];
    for (title, who, day, place) in lunches {
        let att = m.people(&[who]);
        let e = m.timed(title, *day, 12, 0, 90);
        e.location = place.to_string();
        e.attendees = att;
        e.reminder_minutes = Some(30);
    }
    // Cancelled lunch; tentative drinks.
    if let Some(e) = m
        .data
        .events
        .iter_mut()
        .find(|e| e.title.contains("Maria Svensson"))
    {
        e.status = EventStatus::Cancelled;
        e.notes = "Cancelled by SEB: Maria ill. Rebook in two weeks.".into();
    }
    let att = m.people(&["Sophie Martin"]);
    let e = m.timed(
        "Drinks with Sophie Martin (FT), background only",
        2,
        17,
        30,
        60,
    );
    e.status = EventStatus::Tentative;
    e.location = "Tak, Brunkebergstorg 4".into();
    e.attendees = att;

    // Calls.
    #[rustfmt::skip]
    let calls: &[(&str, &str, i64, u32, u32, i64)] = &[
        ("Call: Oliver Grant (Reuters), quarterly comment", "Oliver Grant", -11, 10, 30, 30),
        ("Call: Yuki Tanaka (Sony), follow-up from Tokyo", "Yuki Tanaka", -6, 8, 0, 30),
        ("Call: Per Åkesson (Vinge), SPA draft", "Per Åkesson", -4, 16, 0, 45),
        ("Call: Michael O'Brien (J.P. Morgan)", "Michael O'Brien", -3, 15, 30, 30),
        ("Call: Rachel Kim (Bloomberg)", "Rachel Kim", 3, 16, 0, 20),
        ("Call: Helena Ström, board agenda", "Helena Ström", 3, 8, 0, 30),
        ("Call: Erik Nilsson (Vattenfall) comms", "Erik Nilsson", 8, 8, 30, 30),
        ("Call: Kenji Watanabe (Mitsubishi)", "Kenji Watanabe", 11, 8, 0, 30),
        ("Call: David Cohen (Cohen & Park), US filing", "David Cohen", 15, 15, 0, 45),
        ("Call: Pierre Dubois (Les Echos)", "Pierre Dubois", 22, 11, 0, 30),
        ("Call: Camilla Björk (Ekot), radio interview", "Camilla Björk", 23, 7, 45, 15),
        ("Call: Anna Berg (Telia), contract renewal", "Anna Berg", 23, 10, 0, 30),
    ];
    for (title, who, day, h, mi, min) in calls {
        let att = m.people(&[who]);
        let e = m.timed(title, *day, *h, *mi, *min);
        e.category = C::Call;
        e.attendees = att;
        if *min >= 30 {
            e.reminder_minutes = Some(5);
        }
    }

    // Meetings at the office and around town.
    #[rustfmt::skip]
    #[allow(clippy::type_complexity)]
    let meetings: &[(&str, &[&str], i64, u32, u32, i64, &str)] = &[
        ("Strategy review Q1", &["Henrik Dahl", "Ingrid Sandberg"], -7, 14, 30, 120, "Boardroom Gamla Stan"),
        ("Interview: Svenska Dagbladet (Emma Lund)", &["Emma Lund"], -5, 10, 0, 60, "Office, meeting room Riddarholmen"),
        ("Recruitment: final interview Head of IR", &["Lena Forsberg"], -5, 14, 0, 90, "Office, meeting room Skeppsholmen"),
        ("Budget review with Ingrid", &["Ingrid Sandberg"], -6, 10, 0, 60, "CFO office"),
        ("Legal update with Karl", &["Karl Johansson"], 2, 9, 0, 45, "Office"),
        ("Ericsson partnership workshop", &["Johan Lindqvist", "Henrik Dahl"], 2, 13, 0, 180, "Ericsson, Torshamnsgatan 21, Kista"),
        ("Audit committee prep with PwC", &["Anders Lind", "Ingrid Sandberg"], 21, 13, 0, 90, "Office, meeting room Riddarholmen"),
        ("Press briefing: Q4 results", &["Lars Holm", "Emma Lund", "Oliver Grant", "Mats Olofsson"], 22, 8, 0, 60, "Hotel Diplomat, Strandvägen 7C"),
        ("Quarterly all-hands", &["Henrik Dahl", "Lena Forsberg"], 24, 15, 0, 60, "Auditorium, ground floor"),
        ("Christmas party planning with Sthlm Catering", &["Sara Nyberg", "Lena Forsberg"], 4, 10, 0, 45, "Office"),
    ];
    for (title, who, day, h, mi, min, place) in meetings {
        let att = m.people(who);
        let remind = m.rng.chance(50);
        let e = m.timed(title, *day, *h, *mi, *min);
        e.attendees = att;
        e.location = place.to_string();
        if remind {
            e.reminder_minutes = Some(15);
        }
    }

    // A real conflict on today: an interview that runs into a call (at the weekend, a
    // family lunch that an urgent call cuts into).
    let today = (m.today - m.monday).num_days();
    if today < 5 {
        let att = m.people(&["Lars Holm"]);
        let e = m.timed("Interview: Dagens Industri (Lars Holm)", today, 14, 0, 60);
        e.attendees = att;
        e.location = "Office, meeting room Riddarholmen".into();
        e.reminder_minutes = Some(15);
        e.notes = "Topic: the Ericsson partnership. Comms (Erik) to sit in.".into();
    } else {
        let e = m.timed("Family lunch", today, 13, 30, 120);
        e.category = C::PrivateBlock;
        e.location = "Villa Källhagen, Djurgårdsbrunnsvägen 10".into();
    }
    let att = m.people(&["Johan Lindqvist"]);
    let e = m.timed(
        "Call: Johan Lindqvist (Ericsson), urgent",
        today,
        14,
        30,
        30,
    );
    e.category = C::Call;
    e.attendees = att;
    e.reminder_minutes = Some(5);
    // And one later this week.
    let att = m.people(&["Henrik Dahl"]);
    let e = m.timed("Site visit planning with Henrik", 3, 10, 0, 60);
    e.attendees = att;
    let att = m.people(&["Niklas Hedlund"]);
    let e = m.timed("IT: new laptop hand-over (Atea)", 3, 10, 30, 30);
    e.attendees = att;
    e.location = "Office, reception".into();

    // Appointments and private blocks.
    let att = m.people(&["Fredrik Lundgren"]);
    let e = m.timed("Dentist", 21, 8, 0, 45);
    e.category = C::Appointment;
    e.location = "Tandläkarhuset Östermalm, Karlavägen 58".into();
    e.attendees = att;
    e.reminder_minutes = Some(60);
    let e = m.timed("Annual health check", -4, 8, 0, 60);
    e.category = C::Appointment;
    e.location = "Sophiahemmet, Valhallavägen 91".into();
    let e = m.timed("Private: school concert (Elsa)", 4, 16, 0, 90);
    e.category = C::PrivateBlock;
    let e = m.timed("Private", 24, 10, 0, 180);
    e.category = C::PrivateBlock;
    e.notes = "Do not book. Reachable on mobile for urgent matters only.".into();

    // All-day items: a conference day, an offsite, a public holiday-ish day off.
    let e = m.all_day("Nordic Business Forum (speaker)", 8, 8);
    e.category = C::Other;
    e.location = "Stockholm Waterfront Congress Centre".into();
    e.notes = "Keynote 10:15-10:45. Slides to organisers by Friday before.".into();
    e.reminder_minutes = Some(24 * 60);
    let e = m.all_day("Management offsite, Sandhamn", 25, 26);
    e.location = "Sandhamn Seglarhotell".into();
    let e = m.all_day("Day off after New York", 18, 18);
    e.category = C::PrivateBlock;

    // Deadlines.
    #[rustfmt::skip]
    let deadlines: &[(&str, i64, u32)] = &[
        ("Deadline: board pack to Helena Ström", 7, 12),
        ("Deadline: annual report draft to PwC", 21, 17),
        ("Deadline: Q4 budget submission", -3, 17),
    ];
    for (title, day, h) in deadlines {
        let e = m.timed(title, *day, *h, 0, 0);
        e.category = C::Deadline;
        e.reminder_minutes = Some(24 * 60);
    }

    // Dinners.
    let att = m.people(&["Michael O'Brien"]);
    let e = m.timed("Dinner with Michael O'Brien", -5, 19, 0, 150);
    e.location = "Operakällaren, Karl XII:s torg".into();
    e.attendees = att;
}

/// (name, zone) of the trips' cities.
const LONDON: Tz = chrono_tz::Europe::London;
const NEW_YORK: Tz = chrono_tz::America::New_York;
const TOKYO: Tz = chrono_tz::Asia::Tokyo;
const STOCKHOLM: Tz = chrono_tz::Europe::Stockholm;
const COPENHAGEN: Tz = chrono_tz::Europe::Copenhagen;

#[allow(clippy::too_many_arguments)]
fn segment(
    m: &mut Month,
    kind: SegmentKind,
    provider: &str,
    number: &str,
    (origin, dtz, dday, dh, dm): (&str, Tz, NaiveDate, u32, u32),
    (dest, atz, aday, ah, am): (&str, Tz, NaiveDate, u32, u32),
    seat: &str,
    cost: Option<Money>,
) -> Segment {
    Segment {
        id: 0,
        trip_id: 0,
        uid: String::new(),
        kind,
        provider: provider.into(),
        number: number.into(),
        confirmation: m.rng.code(),
        origin: origin.into(),
        destination: dest.into(),
        depart: at(dtz, dday, dh, dm),
        depart_tz: dtz,
        arrive: at(atz, aday, ah, am),
        arrive_tz: atz,
        seat: seat.into(),
        cost,
        status: SegmentStatus::Booked,
        notes: String::new(),
    }
}

fn money(minor: i64, code: &str) -> Option<Money> {
    Currency::parse(code).ok().map(|c| Money::new(minor, c))
}

fn push_trip(m: &mut Month, name: &str, purpose: &str, notes: &str, mut segments: Vec<Segment>) {
    segments.sort_by_key(|s| s.depart);
    let t = m.data.trips.len();
    for (i, s) in segments.iter_mut().enumerate() {
        s.uid = format!("demo-trip-{t}-seg-{i}@secretaire");
    }
    m.data.trips.push(Trip {
        id: 0,
        name: name.into(),
        purpose: purpose.into(),
        notes: notes.into(),
        segments,
    });
}

fn small_trips(m: &mut Month) {
    use SegmentKind::*;
    let d = |m: &Month, o: i64| m.day(o);

    // Tokyo, two weeks back: ARN-CPH-HND with a layover, Park Hyatt, Shinkansen, back via CPH.
    let (d0, d1, d3, d5) = (d(m, -14), d(m, -13), d(m, -11), d(m, -9));
    #[rustfmt::skip]
    let mut s = vec![
        segment(m, Flight, "SAS", "SK 1415", ("ARN Stockholm Arlanda", STOCKHOLM, d0, 7, 0), ("CPH Copenhagen", COPENHAGEN, d0, 8, 10), "3A", money(1_245_000, "SEK")),
        segment(m, Flight, "SAS", "SK 983", ("CPH Copenhagen", COPENHAGEN, d0, 10, 5), ("HND Tokyo Haneda", TOKYO, d1, 7, 15), "2A", None),
        segment(m, Hotel, "Park Hyatt Tokyo", "", ("Park Hyatt Tokyo", TOKYO, d1, 15, 0), ("Tokyo, Shinjuku", TOKYO, d5, 11, 0), "Room 4712", money(312_000, "JPY")),
        segment(m, Train, "JR Central", "Nozomi 215", ("Tokyo Station", TOKYO, d3, 8, 0), ("Kyoto Station", TOKYO, d3, 10, 15), "Car 8, seat 6A", money(14_170, "JPY")),
        segment(m, Train, "JR Central", "Nozomi 248", ("Kyoto Station", TOKYO, d3, 17, 30), ("Tokyo Station", TOKYO, d3, 19, 45), "Car 8, seat 4D", money(14_170, "JPY")),
        segment(m, Flight, "SAS", "SK 984", ("HND Tokyo Haneda", TOKYO, d5, 13, 0), ("CPH Copenhagen", COPENHAGEN, d5, 18, 35), "2A", None),
        segment(m, Flight, "SAS", "SK 1424", ("CPH Copenhagen", COPENHAGEN, d5, 20, 5), ("ARN Stockholm Arlanda", STOCKHOLM, d5, 21, 15), "3A", None),
    ];
    s[1].confirmation = s[0].confirmation.clone();
    s[5].confirmation = s[0].confirmation.clone();
    s[6].confirmation = s[0].confirmation.clone();
    s[1].notes = "Business class, lounge access. Layover 1h55 in CPH.".into();
    push_trip(
        m,
        "Tokyo: Sony and Mitsubishi",
        "Partnership talks with Sony Group; Mitsubishi dinner",
        "Visa not required (90 days). JR Pass not worth it for one trip to Kyoto.",
        s,
    );
    // Meetings in Tokyo, entered in Tokyo time.
    let att = m.people(&["Yuki Tanaka"]);
    let e = m.timed_in(
        "Meeting at Sony HQ with Yuki Tanaka",
        TOKYO,
        d(m, -12),
        10,
        0,
        120,
    );
    e.location = "Sony Group HQ, 1-7-1 Konan, Minato-ku".into();
    e.attendees = att;
    let att = m.people(&["Kenji Watanabe"]);
    let e = m.timed_in(
        "Dinner with Kenji Watanabe (Mitsubishi)",
        TOKYO,
        d(m, -10),
        19,
        0,
        150,
    );
    e.location = "Sukiyabashi Jiro Roppongi".into();
    e.attendees = att;

    // London, next week Monday to Wednesday (so Today's "travel in the next 7 days" has it):
    // out with SAS, back with BA, The Savoy.
    let (l0, l2) = (d(m, 7), d(m, 9));
    #[rustfmt::skip]
    let s = vec![
        segment(m, Flight, "SAS", "SK 1531", ("ARN Stockholm Arlanda", STOCKHOLM, l0, 7, 5), ("LHR London Heathrow", LONDON, l0, 8, 55), "1C", money(685_000, "SEK")),
        segment(m, Car, "Addison Lee", "", ("LHR Terminal 2", LONDON, l0, 9, 30), ("The Savoy, Strand", LONDON, l0, 10, 30), "", money(9_500, "GBP")),
        segment(m, Hotel, "The Savoy", "", ("The Savoy, Strand", LONDON, l0, 15, 0), ("London", LONDON, l2, 11, 0), "Room 512, river view", money(186_000, "GBP")),
        segment(m, Flight, "British Airways", "BA 780", ("LHR London Heathrow", LONDON, l2, 17, 35), ("ARN Stockholm Arlanda", STOCKHOLM, l2, 20, 55), "2A", money(412_000, "SEK")),
    ];
    push_trip(
        m,
        "London: FT and Barclays",
        "FT interview, Barclays relationship meeting, James Whitfield",
        "Oyster card in the travel wallet. Savoy: late check-out requested.",
        s,
    );
    // A real clash: a call booked while the flight to London is in the air.
    let att = m.people(&["Erik Nilsson"]);
    let e = m.timed_in(
        "Call: Vattenfall comms (clashes with flight!)",
        STOCKHOLM,
        l0,
        8,
        0,
        30,
    );
    e.category = EventCategory::Call;
    e.attendees = att;
    let att = m.people(&["Sophie Martin"]);
    let e = m.timed_in(
        "Interview: Financial Times (Sophie Martin)",
        LONDON,
        l0,
        14,
        0,
        60,
    );
    e.location = "FT, Bracken House, 1 Friday Street".into();
    e.attendees = att;
    let att = m.people(&["Charlotte Webb"]);
    let e = m.timed_in(
        "Meeting at Barclays (Charlotte Webb)",
        LONDON,
        d(m, 8),
        10,
        0,
        90,
    );
    e.location = "Barclays, 1 Churchill Place, Canary Wharf".into();
    e.attendees = att;
    let att = m.people(&["James Whitfield"]);
    let e = m.timed_in("Dinner with James Whitfield", LONDON, d(m, 8), 19, 30, 120);
    e.location = "Rules, 35 Maiden Lane".into();
    e.attendees = att;

    // New York, the week after: SK 903 ARN-EWR, car, The Langham, SK 904 back.
    let (n0, n3, n4) = (d(m, 14), d(m, 17), d(m, 18));
    #[rustfmt::skip]
    let mut s = vec![
        segment(m, Flight, "SAS", "SK 903", ("ARN Stockholm Arlanda", STOCKHOLM, n0, 10, 5), ("EWR Newark Liberty", NEW_YORK, n0, 12, 55), "2A", money(3_850_000, "SEK")),
        segment(m, Car, "Carey", "", ("EWR Terminal B", NEW_YORK, n0, 13, 30), ("The Langham, 400 Fifth Avenue", NEW_YORK, n0, 14, 30), "", money(22_500, "USD")),
        segment(m, Hotel, "The Langham, New York", "", ("The Langham, 400 Fifth Avenue", NEW_YORK, n0, 15, 0), ("New York", NEW_YORK, n3, 12, 0), "Room 2204, king", money(284_700, "USD")),
        segment(m, Car, "Carey", "", ("The Langham, 400 Fifth Avenue", NEW_YORK, n3, 14, 0), ("EWR Terminal B", NEW_YORK, n3, 15, 15), "", money(22_500, "USD")),
        segment(m, Flight, "SAS", "SK 904", ("EWR Newark Liberty", NEW_YORK, n3, 18, 10), ("ARN Stockholm Arlanda", STOCKHOLM, n4, 8, 5), "2A", None),
    ];
    s[4].confirmation = s[0].confirmation.clone();
    s[0].notes = "Round trip fare; ESTA valid until 2028.".into();
    push_trip(
        m,
        "New York: investors",
        "J.P. Morgan investor day, Bloomberg interview, US counsel",
        "ESTA approved. Driver will hold a sign 'AURORA'.",
        s,
    );
    let att = m.people(&["Michael O'Brien"]);
    let e = m.timed_in("J.P. Morgan investor day", NEW_YORK, d(m, 15), 8, 30, 480);
    e.location = "383 Madison Avenue".into();
    e.attendees = att;
    e.reminder_minutes = Some(60);
    let att = m.people(&["Rachel Kim"]);
    let e = m.timed_in(
        "Interview: Bloomberg TV (Rachel Kim)",
        NEW_YORK,
        d(m, 16),
        9,
        0,
        45,
    );
    e.location = "Bloomberg, 731 Lexington Avenue".into();
    e.attendees = att;
    let att = m.people(&["David Cohen"]);
    let e = m.timed_in(
        "Meeting with US counsel (Cohen & Park)",
        NEW_YORK,
        d(m, 16),
        14,
        0,
        90,
    );
    e.location = "Cohen & Park LLP, 1 Vanderbilt Avenue".into();
    e.attendees = att;
}

fn small_invoices(m: &mut Month) {
    // (vendor, number prefix, notes, currency, amount in major units, due offset from today,
    //  status). Paid ones get a paid date a couple of days before due.
    use InvoiceStatus::*;
    #[rustfmt::skip]
    #[allow(clippy::type_complexity)]
    let rows: &[(&str, &str, &str, i64, i64, Option<InvoiceStatus>)] = &[
        ("Telia Company", "Mobile subscriptions, 14 lines", "SEK", 8_412, -40, Some(Paid)),
        ("Telia Company", "Mobile subscriptions, 14 lines", "SEK", 8_412, -10, None),
        ("Telia Company", "Mobile subscriptions, 14 lines", "SEK", 8_530, 20, None),
        ("Vattenfall", "Electricity, office", "SEK", 23_760, -35, Some(Paid)),
        ("Vattenfall", "Electricity, office", "SEK", 26_115, -5, None),
        ("Sthlm Catering AB", "Board lunch, 9 covers", "SEK", 7_650, -20, Some(Paid)),
        ("Sthlm Catering AB", "Board dinner, 12 covers", "SEK", 18_900, 3, None),
        ("BCD Travel", "Tokyo trip: flights and hotel", "SEK", 96_480, -2, None),
        ("BCD Travel", "London trip: flights", "SEK", 10_970, 6, None),
        ("BCD Travel", "New York trip: flights", "SEK", 38_500, 12, None),
        ("Advokatfirman Vinge", "Legal fees: SPA, October", "SEK", 184_000, -15, Some(Disputed)),
        ("Advokatfirman Vinge", "Legal fees: board matters, September", "SEK", 62_500, -45, Some(Paid)),
        ("Mannheimer Swartling", "Legal opinion: data protection", "SEK", 48_000, 9, None),
        ("PwC", "Audit, interim review", "SEK", 145_000, 25, None),
        ("PwC", "Audit, planning phase", "SEK", 98_000, -25, Some(Paid)),
        ("Taxi Stockholm", "Corporate account, October", "SEK", 6_245, -18, Some(Paid)),
        ("Taxi Stockholm", "Corporate account, November", "SEK", 5_980, 1, None),
        ("Interflora", "Flowers: condolences and congratulations", "SEK", 1_890, -7, None),
        ("Atea", "Laptop and docking station", "SEK", 32_450, 0, Some(Approved)),
        ("Atea", "Support agreement Q4", "SEK", 12_000, -30, Some(Paid)),
        ("Hotel Diplomat", "Board meeting room and coffee", "SEK", 14_300, 4, Some(Approved)),
        ("Nordic Print & Design", "Annual report layout, first proof", "SEK", 41_250, 15, None),
        ("Operakällaren", "Client dinner, 4 covers", "SEK", 9_840, -12, Some(Paid)),
        ("Dagens Industri", "Subscription, digital, 12 months", "SEK", 4_788, 5, None),
        ("The Savoy", "Deposit: 2 nights", "GBP", 1_860, 7, None),
        ("The Langham, New York", "Deposit: 3 nights", "USD", 2_847, 10, Some(Approved)),
        ("Cohen & Park LLP", "US counsel: retainer", "USD", 15_000, -3, None),
        ("Deutsche Bank", "Advisory: market sounding", "EUR", 12_500, -60, Some(Paid)),
        ("Financial Times", "FT Professional, 3 seats", "GBP", 1_437, -28, Some(Paid)),
        ("Freshfields", "Cancelled engagement letter", "EUR", 5_000, 30, Some(Cancelled)),
    ];
    for (i, (vendor, notes, cur, major, due_off, status)) in rows.iter().enumerate() {
        let vendor_id = m
            .data
            .contacts
            .iter()
            .position(|c| c.name == *vendor)
            .map(|p| p as i64 + 1);
        let currency = Currency::parse(cur).unwrap_or(Currency::SEK);
        let cents = if *major > 5_000 {
            0
        } else {
            m.rng.range(0, 100)
        };
        let amount = Money::new(
            major * 10i64.pow(u32::from(currency.exponent())) + cents,
            currency,
        );
        let due = m.today + days(*due_off);
        let issue = due - days(if currency == Currency::SEK { 30 } else { 14 });
        let status = status.unwrap_or(if *due_off < 0 || m.rng.chance(40) {
            Received
        } else {
            Approved
        });
        let paid_date = (status == Paid).then(|| due - days(m.rng.range(0, 4)));
        let style = VENDORS.iter().position(|v| v.0 == *vendor).unwrap_or(i);
        let number = invoice_number(&mut m.rng, style, issue);
        let payment_ref = payment_ref(&mut m.rng, currency);
        let mut inv = Invoice {
            id: 0,
            vendor_id,
            vendor_name: if vendor_id.is_some() {
                String::new()
            } else {
                vendor.to_string()
            },
            number,
            issue_date: issue,
            due_date: due,
            amount,
            status,
            paid_date,
            payment_ref,
            document_path: format!(
                "~/Documents/Invoices/{}-{}.pdf",
                issue.format("%Y-%m"),
                email_local(vendor)
            ),
            notes: notes.to_string(),
        };
        if status == Disputed {
            inv.notes = format!(
                "{notes}. DISPUTED: hours exceed the agreed cap of 120 h; Karl Johansson handling."
            );
        }
        m.data.invoices.push(inv);
    }
}

/// Each vendor numbers its invoices its own way.
fn invoice_number(rng: &mut Rng, vendor: usize, issue: NaiveDate) -> String {
    let y = issue.year();
    match vendor % 5 {
        0 => format!("INV-{y}-{}", rng.digits(5)),
        1 => rng.digits(8),
        2 => format!("F{}", rng.digits(6)),
        3 => format!("{y}{:02}-{}", issue.month(), rng.digits(4)),
        _ => format!("{}/{}", rng.digits(5), y % 100),
    }
}

fn payment_ref(rng: &mut Rng, currency: Currency) -> String {
    if currency == Currency::SEK {
        let len = rng.range(8, 14) as usize;
        let ocr = with_luhn(&rng.digits(len));
        if rng.chance(70) {
            format!("OCR {ocr}, BG {}-{}", rng.digits(3), rng.digits(4))
        } else {
            format!("OCR {ocr}, PG {}-{}", rng.digits(6), rng.digits(1))
        }
    } else if currency == Currency::EUR {
        format!(
            "IBAN DE{} {} {} {} {} {}, BIC DEUTDEFF",
            rng.digits(2),
            rng.digits(4),
            rng.digits(4),
            rng.digits(4),
            rng.digits(4),
            rng.digits(2)
        )
    } else if currency == Currency::GBP {
        format!(
            "Sort code {}-{}-{}, account {}",
            rng.digits(2),
            rng.digits(2),
            rng.digits(2),
            rng.digits(8)
        )
    } else {
        format!("Wire: ABA {}, account {}", rng.digits(9), rng.digits(10))
    }
}

fn small_tasks(m: &mut Month) {
    use Priority::*;
    use TaskDirection::*;
    use TaskKind::*;
    use TaskStatus::*;
    /// When it is due, relative to today.
    #[derive(Clone, Copy)]
    enum D {
        None,
        Day(i64),
        /// Due at hour h today (home zone).
        Today(u32),
    }
    /// Special states.
    #[derive(Clone, Copy, PartialEq)]
    enum X {
        No,
        Snoozed,
        Delegated,
    }
    #[rustfmt::skip]
    #[allow(clippy::type_complexity)]
    let rows: &[(&str, &str, TaskKind, TaskDirection, Priority, TaskStatus, D, X)] = &[
        // Open, overdue
        ("Reply to Sophie Martin: interview request (FT)", "Sophie Martin", Email, Incoming, High, Open, D::Day(-2), X::No),
        ("Return call: Johan Lindqvist re partnership terms", "Johan Lindqvist", Call, Incoming, High, Open, D::Day(-1), X::No),
        ("Send signed NDA back to Vinge", "Per Åkesson", Letter, Outgoing, Normal, Open, D::Day(-4), X::No),
        ("Confirm dinner guests with Operakällaren", "Elisabeth Roos", Call, Outgoing, Normal, Open, D::Day(-1), X::No),
        ("Answer Rachel Kim (Bloomberg) on quote approval", "Rachel Kim", Email, Incoming, Normal, Open, D::Day(-3), X::No),
        ("Thank-you letter to Yuki Tanaka after Tokyo visit", "Yuki Tanaka", Letter, Outgoing, Normal, Open, D::Day(-5), X::No),
        // Open, due today
        ("Call back Erik Nilsson (Vattenfall) before 11:00", "Erik Nilsson", Call, Incoming, High, Open, D::Today(11), X::No),
        ("Send board pack draft to Helena Ström", "Helena Ström", Email, Outgoing, High, Open, D::Today(16), X::No),
        ("Reply to Oliver Grant (Reuters): comment on Q3", "Oliver Grant", Email, Incoming, Normal, Open, D::Day(0), X::No),
        ("Text Maja: taxi for the FT interview", "Maja Persson", Message, Outgoing, Low, Open, D::Day(0), X::No),
        ("Approve Atea laptop invoice", "Niklas Hedlund", Other, Incoming, Normal, Open, D::Day(0), X::No),
        // Open, upcoming
        ("Book table for dinner with James Whitfield (London)", "James Whitfield", Email, Outgoing, Normal, Open, D::Day(2), X::No),
        ("Send speaker bio and photo to Nordic Business Forum", "", Email, Outgoing, Normal, Open, D::Day(3), X::No),
        ("Confirm car pick-up at EWR with Carey", "Magnus Ek", Email, Outgoing, Normal, Open, D::Day(9), X::No),
        ("Reply to Pierre Dubois (Les Echos)", "Pierre Dubois", Email, Incoming, Low, Open, D::Day(5), X::No),
        ("Call Sara Nyberg: Christmas party menu", "Sara Nyberg", Call, Outgoing, Normal, Open, D::Day(6), X::No),
        ("Letter of recommendation for Lena Forsberg's intern", "Lena Forsberg", Letter, Outgoing, Low, Open, D::Day(12), X::No),
        ("Reply to Camilla Björk (Ekot): radio slot", "Camilla Björk", Email, Incoming, Normal, Open, D::Day(4), X::No),
        ("Send condolence card to the Wikström family", "Gunnar Wikström", Letter, Outgoing, High, Open, D::Day(1), X::No),
        // Open, no date
        ("Update press list for Q4 results", "", Other, Outgoing, Low, Open, D::None, X::No),
        ("Answer LinkedIn message from Charlotte Webb", "Charlotte Webb", Message, Incoming, Low, Open, D::None, X::No),
        // Open, snoozed
        ("Follow up: Mitsubishi visit to Stockholm", "Kenji Watanabe", Email, Outgoing, Normal, Open, D::Day(-1), X::Snoozed),
        ("Call Maria Svensson to rebook lunch", "Maria Svensson", Call, Outgoing, Normal, Open, D::Day(0), X::Snoozed),
        ("Reply to Mats Olofsson (DN) request", "Mats Olofsson", Email, Incoming, Low, Open, D::Day(3), X::Snoozed),
        // Open, delegated
        ("Collect receipts for the Tokyo trip expense report", "Maja Persson", Other, Outgoing, Normal, Open, D::Day(2), X::Delegated),
        // Waiting
        ("Signed engagement letter from Mannheimer Swartling", "Cecilia Wahlberg", Letter, Incoming, Normal, Waiting, D::Day(4), X::No),
        ("Vinge credit note for disputed hours", "Per Åkesson", Email, Incoming, High, Waiting, D::Day(-3), X::No),
        ("FT to send interview questions", "Sophie Martin", Email, Incoming, Normal, Waiting, D::Day(5), X::No),
        ("BCD Travel revised NY itinerary", "Magnus Ek", Email, Incoming, Normal, Waiting, D::Day(1), X::No),
        ("Callback from J.P. Morgan on investor list", "Michael O'Brien", Call, Incoming, High, Waiting, D::Day(0), X::No),
        ("Deutsche Bank NDA countersignature", "Alexander Wolff", Letter, Incoming, Normal, Waiting, D::None, X::No),
        ("Telia new contract proposal", "Anna Berg", Email, Incoming, Low, Waiting, D::Day(10), X::No),
        ("Board pack: CFO section", "Ingrid Sandberg", Email, Incoming, High, Waiting, D::Day(5), X::Delegated),
        ("Press release draft for Q4 results", "Karl Johansson", Email, Outgoing, Normal, Waiting, D::Day(15), X::Delegated),
        ("Visa letter for Yuki Tanaka's Stockholm visit", "Lena Forsberg", Letter, Outgoing, Normal, Waiting, D::Day(8), X::Delegated),
        // Done
        ("Reply to Emma Lund (SvD) with interview time", "Emma Lund", Email, Incoming, Normal, Done, D::Day(-10), X::No),
        ("Book Tokyo flights with BCD Travel", "Magnus Ek", Email, Outgoing, High, Done, D::Day(-25), X::No),
        ("Call Fredrik Lundgren's clinic to move dentist", "Fredrik Lundgren", Call, Outgoing, Low, Done, D::Day(-6), X::No),
        ("Send board minutes to Birgitta Holmberg", "Birgitta Holmberg", Email, Outgoing, Normal, Done, D::Day(-12), X::No),
        ("Thank-you note to Michael O'Brien for dinner", "Michael O'Brien", Letter, Outgoing, Normal, Done, D::Day(-7), X::No),
        ("Return call: Anders Lind (PwC) about audit dates", "Anders Lind", Call, Incoming, Normal, Done, D::Day(-9), X::No),
        ("Answer Nora Eriksson: lunch date", "Nora Eriksson", Message, Incoming, Low, Done, D::Day(-5), X::No),
        ("Order flowers for Helena Ström's birthday", "Sofia Andersson", Call, Outgoing, Normal, Done, D::Day(-14), X::No),
        ("Reply to Lars Holm (DI): interview confirmed for today", "Lars Holm", Email, Incoming, High, Done, D::Day(-2), X::No),
        ("Send Savoy booking details to James Whitfield", "James Whitfield", Email, Outgoing, Low, Done, D::Day(-1), X::No),
        ("Renew Telia roaming package for Japan", "Anna Berg", Call, Outgoing, Normal, Done, D::Day(-16), X::No),
        ("Forward Reuters fact-check to Comms", "Oliver Grant", Email, Incoming, Normal, Done, D::None, X::No),
        ("Post signed contract to Sony Nordic", "Yuki Tanaka", Letter, Outgoing, High, Done, D::Day(-20), X::No),
        ("Confirm Hotel Diplomat room for board meeting", "Claire Fontaine", Call, Outgoing, Normal, Done, D::Day(-8), X::No),
        ("Reply to David Cohen: NY meeting slot", "David Cohen", Email, Incoming, Normal, Done, D::Day(-4), X::No),
    ];
    for (subject, who, kind, dir, prio, status, due, x) in rows {
        let contact_id = if who.is_empty() { None } else { m.cid(who) };
        let age = m.rng.range(1, 20);
        let created = m.now - days(age) - Duration::minutes(m.rng.range(0, 480));
        let mut t = Task::new(*subject, created);
        t.kind = *kind;
        t.direction = *dir;
        t.priority = *prio;
        t.contact_id = contact_id;
        t.due = match due {
            D::None => None,
            D::Day(o) => Some(Due::Date(m.today + days(*o))),
            D::Today(h) => Some(Due::At(at(m.tz, m.today, *h, 0))),
        };
        match *status {
            Done => {
                let done = created + Duration::hours(m.rng.range(1, 24 * age.max(1)));
                t.mark_done(done.min(m.now));
            }
            s => t.status = s,
        }
        match x {
            X::Snoozed => {
                t.snoozed_until = Some(at(m.tz, m.today + days(m.rng.range(1, 4)), 8, 0));
                t.notes = "Snoozed: nothing to do until they are back from holiday.".into();
            }
            X::Delegated => {
                t.delegated_to = if who.is_empty() {
                    "Maja Persson".into()
                } else {
                    who.to_string()
                };
                t.notes = format!("Delegated to {}; check progress.", t.delegated_to);
            }
            X::No => {}
        }
        m.data.tasks.push(t);
    }
}

// ---------------------------------------------------------------------------------------------
// Large: years of history and plans, for scale work

/// (city, airport, zone, carrier, flight number base, currency, hotels)
type City = (
    &'static str,
    &'static str,
    Tz,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

#[rustfmt::skip]
const CITIES: &[City] = &[
    ("London", "LHR", LONDON, "British Airways", "BA 7", "GBP", &["The Savoy", "Claridge's", "The Ned"]),
    (
        "New York",
        "EWR",
        NEW_YORK,
        "SAS",
        "SK 90",
        "USD",
        &[
            "The Langham, New York",
            "The Peninsula",
            "Park Hyatt New York",
        ],
    ),
    ("Tokyo", "HND", TOKYO, "SAS", "SK 98", "JPY", &["Park Hyatt Tokyo", "Aman Tokyo", "The Okura Tokyo"]),
    ("Singapore", "SIN", chrono_tz::Asia::Singapore, "Singapore Airlines", "SQ 3", "SGD", &["Raffles Singapore", "Marina Bay Sands"]),
    ("Paris", "CDG", chrono_tz::Europe::Paris, "Air France", "AF 1", "EUR", &["Le Bristol", "Hôtel Lutetia"]),
    ("Frankfurt", "FRA", chrono_tz::Europe::Berlin, "Lufthansa", "LH 8", "EUR", &["Steigenberger Frankfurter Hof", "Villa Kennedy"]),
    ("Oslo", "OSL", chrono_tz::Europe::Oslo, "SAS", "SK 4", "NOK", &["The Thief", "Grand Hotel Oslo"]),
    ("Helsinki", "HEL", chrono_tz::Europe::Helsinki, "Finnair", "AY 8", "EUR", &["Hotel Kämp", "Hotel St. George"]),
    ("San Francisco", "SFO", chrono_tz::America::Los_Angeles, "SAS", "SK 93", "USD", &["The St. Regis", "Fairmont San Francisco"]),
    ("Dubai", "DXB", chrono_tz::Asia::Dubai, "Emirates", "EK 15", "AED", &["Jumeirah Emirates Towers", "Armani Hotel Dubai"]),
];

const EVENT_TITLES: &[(&str, EventCategory)] = &[
    ("Meeting with {}", EventCategory::Meeting),
    ("Lunch with {}", EventCategory::Meeting),
    ("Call: {}", EventCategory::Call),
    ("Follow-up call with {}", EventCategory::Call),
    ("Interview with {}", EventCategory::Meeting),
    ("Review with {}", EventCategory::Meeting),
    ("Coffee with {}", EventCategory::Meeting),
    ("Dinner with {}", EventCategory::Meeting),
    ("Project steering group", EventCategory::Meeting),
    ("Budget review", EventCategory::Meeting),
    ("Leadership team", EventCategory::Meeting),
    ("Investor relations update", EventCategory::Meeting),
    ("Doctor's appointment", EventCategory::Appointment),
    ("Hairdresser", EventCategory::Appointment),
    ("Private", EventCategory::PrivateBlock),
    ("Focus time", EventCategory::PrivateBlock),
    ("Deadline: report to the board", EventCategory::Deadline),
    ("Deadline: contract signature", EventCategory::Deadline),
];

const PLACES: &[&str] = &[
    "Boardroom Gamla Stan",
    "Office, meeting room Riddarholmen",
    "Office, meeting room Skeppsholmen",
    "Operakällaren",
    "Sturehof",
    "Riche",
    "Hotel Diplomat",
    "Grand Hôtel",
    "Teams",
    "",
];

const OTHER_SUPPLIERS: &[&str] = &[
    "Stockholms Stadsmission (gala table)",
    "Systembolaget",
    "Arlanda Express",
    "SJ AB",
    "Kontorsgiganten",
    "Fotograf Lisa Öberg",
    "Sturebadet",
    "Hertz Sverige",
];

const INVOICE_NOTES: &[&str] = &[
    "Monthly services",
    "Consulting hours",
    "Subscription",
    "Event: venue and catering",
    "Travel: flights and hotel",
    "Legal fees",
    "Office supplies",
    "",
];

const TASK_SUBJECTS: &[(&str, TaskKind)] = &[
    ("Reply to {}", TaskKind::Email),
    ("Return call from {}", TaskKind::Call),
    ("Send letter to {}", TaskKind::Letter),
    ("Message {} about the meeting", TaskKind::Message),
    ("Forward documents to {}", TaskKind::Email),
    ("Follow up with {}", TaskKind::Email),
    ("Confirm booking with {}", TaskKind::Call),
    ("Thank-you note to {}", TaskKind::Letter),
    ("Chase signature from {}", TaskKind::Other),
];

/// The large set: the small month plus bulk history and plans spread over about two years
/// back and one ahead, up to `counts` totals.
pub fn generate_large(counts: Counts, now: DateTime<Utc>, tz: Tz) -> DemoData {
    let mut data = generate_small(now, tz);
    let mut rng = Rng::new(seed_of(DemoSize::Large, now, tz));
    let today = now.with_timezone(&tz).date_naive();
    let span_back = 730;
    let span_ahead = 365;

    while data.contacts.len() < counts.contacts {
        let n = data.contacts.len() as u64;
        let c = pooled_contact(n, &mut rng, now);
        data.contacts.push(c);
    }
    let nc = data.contacts.len() as i64;
    let pick_contact = |rng: &mut Rng| rng.range(1, nc + 1);

    data.events
        .reserve(counts.events.saturating_sub(data.events.len()));
    while data.events.len() < counts.events {
        let n = data.events.len();
        let date = today + days(rng.range(-span_back, span_ahead));
        let (template, category) = *rng.pick(EVENT_TITLES);
        let who = pick_contact(&mut rng);
        let person = &data.contacts[(who - 1) as usize];
        let title = template.replace("{}", &person.name);
        let time = if rng.chance(2) {
            let len = rng.range(0, 3);
            EventTime::AllDay {
                start: date,
                end: date + days(len),
            }
        } else {
            let h = rng.range(7, 19) as u32;
            let mi = (rng.below(4) * 15) as u32;
            let start = at(tz, date, h, mi);
            let minutes = if category == EventCategory::Deadline {
                0
            } else {
                *rng.pick(&[15, 30, 30, 45, 60, 60, 60, 90, 120, 180])
            };
            EventTime::Timed {
                start,
                end: start + Duration::minutes(minutes),
                tz,
            }
        };
        let created = (now.min(time.start_in(tz)) - days(rng.range(1, 60))).min(now);
        let mut e = Event::new(title, time, created);
        e.uid = format!("demo-event-{n}@secretaire");
        e.category = category;
        e.location = rng.pick(PLACES).to_string();
        if template.contains("{}") {
            e.attendees.push(Attendee {
                contact_id: Some(who),
                name: person.name.clone(),
                email: person.primary_email().unwrap_or_default().to_string(),
            });
        }
        for _ in 0..rng.below(3) {
            let o = pick_contact(&mut rng);
            let p = &data.contacts[(o - 1) as usize];
            e.attendees.push(Attendee {
                contact_id: Some(o),
                name: p.name.clone(),
                email: p.primary_email().unwrap_or_default().to_string(),
            });
        }
        if rng.chance(30) {
            e.reminder_minutes = Some(*rng.pick(&[5, 10, 15, 30, 60, 1440]));
        }
        let roll = rng.below(100);
        if roll < 3 {
            e.status = EventStatus::Cancelled;
        } else if roll < 8 {
            e.status = EventStatus::Tentative;
        }
        if rng.chance(1) && !e.time.is_all_day() {
            // Series end by UNTIL (in UTC, as RFC 5545 wants with a zoned DTSTART), the way
            // Outlook and Google write them; one in five by COUNT.
            let (freq, span_days) = *rng.pick(&[
                ("FREQ=WEEKLY", 70),
                ("FREQ=WEEKLY;INTERVAL=2", 168),
                ("FREQ=MONTHLY", 180),
                ("FREQ=DAILY", 4),
            ]);
            let until = e.time.start_in(tz) + days(span_days);
            e.rrule = Some(if rng.chance(20) {
                format!("{freq};COUNT={}", rng.range(3, 12))
            } else {
                format!("{freq};UNTIL={}", until.format("%Y%m%dT235959Z"))
            });
        }
        data.events.push(e);
    }

    while data.trips.len() < counts.trips {
        let t = data.trips.len();
        let (city, airport, ctz, carrier, num, cur, hotels) = *rng.pick(CITIES);
        let d0 = today + days(rng.range(-span_back, span_ahead));
        let nights = rng.range(1, 6);
        let d1 = d0 + days(nights);
        let long_haul = matches!(airport, "EWR" | "HND" | "SIN" | "SFO" | "DXB");
        let dep_h = rng.range(6, 12) as u32;
        let out_dep = at(STOCKHOLM, d0, dep_h, 5);
        let flight_h = if long_haul {
            rng.range(7, 13)
        } else {
            rng.range(1, 3)
        };
        let out_arr = out_dep + Duration::hours(flight_h) + Duration::minutes(rng.range(0, 4) * 15);
        let ret_dep = at(ctz, d1, rng.range(12, 19) as u32, 30);
        let ret_arr = ret_dep + Duration::hours(flight_h) + Duration::minutes(rng.range(0, 4) * 15);
        let code = rng.code();
        let fare = money(rng.range(3_000, 45_000) * 100, "SEK");
        let flight =
            |number: String, o: &str, dep, dtz, d: &str, arr, atz, seat: String, cost| Segment {
                id: 0,
                trip_id: 0,
                uid: String::new(),
                kind: SegmentKind::Flight,
                provider: carrier.into(),
                number,
                confirmation: code.clone(),
                origin: o.into(),
                destination: d.into(),
                depart: dep,
                depart_tz: dtz,
                arrive: arr,
                arrive_tz: atz,
                seat,
                cost,
                status: SegmentStatus::Booked,
                notes: String::new(),
            };
        let seat = format!("{}{}", rng.range(1, 8), rng.pick(&["A", "C", "D", "F"]));
        let mut segs = vec![
            flight(
                format!("{num}{}", rng.range(0, 10)),
                "ARN",
                out_dep,
                STOCKHOLM,
                airport,
                out_arr,
                ctz,
                seat.clone(),
                fare,
            ),
            flight(
                format!("{num}{}", rng.range(0, 10)),
                airport,
                ret_dep,
                ctz,
                "ARN",
                ret_arr,
                STOCKHOLM,
                seat,
                None,
            ),
        ];
        let hotel = *rng.pick(hotels);
        let per_night = match cur {
            "JPY" => rng.range(45_000, 120_000),
            "AED" | "SGD" | "NOK" => rng.range(1_500, 6_000) * 100,
            _ => rng.range(250, 900) * 100,
        };
        segs.push(Segment {
            kind: SegmentKind::Hotel,
            provider: hotel.into(),
            number: String::new(),
            confirmation: rng.code(),
            origin: hotel.into(),
            destination: city.into(),
            depart: at(ctz, d0, 15, 0).max(out_arr),
            depart_tz: ctz,
            arrive: at(ctz, d1, 11, 0),
            arrive_tz: ctz,
            seat: format!("Room {}{:02}", rng.range(2, 30), rng.range(1, 40)),
            cost: money(per_night * nights, cur),
            ..segs[0].clone()
        });
        if rng.chance(40) {
            segs.push(Segment {
                kind: SegmentKind::Car,
                provider: "Hertz".into(),
                number: String::new(),
                confirmation: rng.code(),
                origin: format!("{airport} arrivals"),
                destination: hotel.into(),
                depart: out_arr + Duration::minutes(30),
                depart_tz: ctz,
                arrive: out_arr + Duration::minutes(90),
                arrive_tz: ctz,
                seat: String::new(),
                cost: None,
                ..segs[0].clone()
            });
        }
        if rng.chance(5) {
            segs[1].status = SegmentStatus::Cancelled;
        } else if d0 > today && rng.chance(20) {
            segs[1].status = SegmentStatus::Planned;
        }
        segs.sort_by_key(|s| s.depart);
        for (i, s) in segs.iter_mut().enumerate() {
            s.uid = format!("demo-trip-{t}-seg-{i}@secretaire");
        }
        data.trips.push(Trip {
            id: 0,
            name: format!("{city} {}", d0.format("%b %Y")),
            purpose: rng
                .pick(&[
                    "Client meetings",
                    "Conference",
                    "Investor roadshow",
                    "Board visit",
                    "Partner workshop",
                ])
                .to_string(),
            notes: String::new(),
            segments: segs,
        });
    }

    while data.invoices.len() < counts.invoices {
        // The organisation cards of the small month, or a supplier known only by name.
        let vendor_card = rng.below(VENDORS.len() as u64 + 8) as usize;
        let vendor_id = data
            .contacts
            .iter()
            .position(|c| VENDORS.get(vendor_card).is_some_and(|v| v.0 == c.name))
            .map(|p| p as i64 + 1);
        let vendor_name = match vendor_id {
            Some(_) => String::new(),
            None => rng.pick(OTHER_SUPPLIERS).to_string(),
        };
        let due = today + days(rng.range(-span_back, 60));
        let issue = due - days(*rng.pick(&[10, 14, 20, 30, 30, 30]));
        let currency = match rng.below(20) {
            0 => Currency::EUR,
            1 => Currency::USD,
            2 => Currency::GBP,
            _ => Currency::SEK,
        };
        let amount = Money::new(rng.range(200, 250_000) * 100, currency);
        // Old invoices are settled; only the last three months still hold overdue and
        // disputed ones, as in a real ledger.
        let status = if due < today - days(90) {
            if rng.chance(3) {
                InvoiceStatus::Cancelled
            } else {
                InvoiceStatus::Paid
            }
        } else if due < today - days(5) {
            match rng.below(100) {
                0..=1 => InvoiceStatus::Disputed,
                2..=4 => InvoiceStatus::Cancelled,
                5..=8 => InvoiceStatus::Received,
                _ => InvoiceStatus::Paid,
            }
        } else if rng.chance(50) {
            InvoiceStatus::Received
        } else {
            InvoiceStatus::Approved
        };
        let paid_date =
            (status == InvoiceStatus::Paid).then(|| (due - days(rng.range(0, 5))).max(issue));
        data.invoices.push(Invoice {
            id: 0,
            vendor_id,
            vendor_name,
            number: invoice_number(&mut rng, vendor_card, issue),
            issue_date: issue,
            due_date: due,
            amount,
            status,
            paid_date,
            payment_ref: payment_ref(&mut rng, currency),
            document_path: String::new(),
            notes: rng.pick(INVOICE_NOTES).to_string(),
        });
    }

    while data.tasks.len() < counts.tasks {
        let who = pick_contact(&mut rng);
        let (template, kind) = *rng.pick(TASK_SUBJECTS);
        let name = &data.contacts[(who - 1) as usize].name;
        let created = now - days(rng.range(0, span_back)) - Duration::minutes(rng.range(0, 1440));
        let mut t = Task::new(template.replace("{}", name), created);
        t.kind = kind;
        t.contact_id = Some(who);
        t.direction = if rng.chance(50) {
            TaskDirection::Incoming
        } else {
            TaskDirection::Outgoing
        };
        t.priority = *rng.pick(&[
            Priority::High,
            Priority::Normal,
            Priority::Normal,
            Priority::Low,
        ]);
        let created_day = created.with_timezone(&tz).date_naive();
        if rng.chance(80) {
            t.due = Some(Due::Date(created_day + days(rng.range(0, 21))));
        }
        let age = (now - created).num_days();
        // Per mille: old correspondence is dealt with; a handful stay waiting for years.
        let done_per_mille = match age {
            a if a > 60 => 998,
            a if a > 14 => 900,
            _ => 400,
        };
        if rng.below(1000) < done_per_mille {
            let done = created + Duration::hours(rng.range(1, 24 * 10));
            t.mark_done(done.min(now));
        } else if age > 60 || rng.chance(25) {
            t.status = TaskStatus::Waiting;
        }
        if t.status != TaskStatus::Done {
            if rng.chance(5) {
                t.snoozed_until = Some(now + days(rng.range(1, 10)));
            }
            if rng.chance(5) {
                t.delegated_to = rng
                    .pick(&["Maja Persson", "Comms", "Finance", "Legal"])
                    .to_string();
            }
        }
        data.tasks.push(t);
    }
    stamp_uids(&mut data, now);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
    }
    const TZ: Tz = chrono_tz::Europe::Stockholm;

    #[test]
    fn rng_is_deterministic_and_spread() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        for d in 0..10 {
            assert!(xs.contains(&d), "digit {d} never drawn");
        }
        let c = a.code();
        assert_eq!(c.len(), 6);
        assert!(
            c.chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())
        );
    }

    #[test]
    fn luhn_check_digit() {
        // Known: 7992739871 -> check digit 3.
        assert_eq!(with_luhn("7992739871"), "79927398713");
        assert_eq!(with_luhn("0"), "00");
    }

    #[test]
    fn email_local_folds_swedish_letters() {
        assert_eq!(email_local("Per Åkesson"), "per.akesson");
        assert_eq!(email_local("Michael O'Brien"), "michael.obrien");
        assert_eq!(email_local("Camilla Björk"), "camilla.bjork");
    }

    #[test]
    fn dst_gap_moves_forward() {
        // 2026-03-29 02:30 does not exist in Stockholm.
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let t = at(TZ, d, 2, 30);
        assert_eq!(t.with_timezone(&TZ).format("%H:%M").to_string(), "03:30");
    }

    #[test]
    fn small_validates_and_is_deterministic() {
        let a = generate(DemoSize::Small, now(), TZ);
        a.validate().unwrap();
        assert_eq!(a, generate(DemoSize::Small, now(), TZ));
        let s = a.stats();
        assert_eq!(s.contacts, 80);
        assert_eq!(s.invoices, 30);
        assert_eq!(s.tasks, 50);
        assert_eq!(s.trips, 3);
        assert!((55..=75).contains(&s.events), "{} events", s.events);
        // A different now gives different dates.
        let b = generate(DemoSize::Small, now() + days(30), TZ);
        assert_ne!(a.events[0].time, b.events[0].time);
    }

    /// Whatever the date, nothing in-person at home is booked while the executive is abroad,
    /// and the board meets at home at least once in the weeks shown.
    #[test]
    fn small_keeps_the_diary_clear_during_trips_on_any_date() {
        for step in 0..40 {
            let t = now() + days(step * 9) + Duration::hours(step * 5);
            let d = generate(DemoSize::Small, t, TZ);
            let spans: Vec<_> = d.trips.iter().filter_map(Trip::span).collect();
            assert_eq!(spans.len(), 3);
            for e in &d.events {
                let EventTime::Timed { start, end, tz } = e.time else {
                    continue;
                };
                let in_person = matches!(
                    e.category,
                    EventCategory::Meeting | EventCategory::Appointment
                );
                if e.rrule.is_some()
                    || tz != TZ
                    || !in_person
                    || e.status == EventStatus::Cancelled
                    || e.title.contains("video")
                {
                    continue;
                }
                let wd = start.with_timezone(&TZ).weekday();
                assert!(
                    !matches!(wd, chrono::Weekday::Sat | chrono::Weekday::Sun),
                    "{t}: '{}' on a {wd}",
                    e.title
                );
                for (a, b) in &spans {
                    assert!(
                        !(start < *b && *a < end),
                        "{t}: '{}' at {start} during a trip {a}..{b}",
                        e.title
                    );
                }
            }
            assert!(
                d.events.iter().any(|e| e.title == "Board dinner"),
                "{t}: no board meeting at home"
            );
        }
    }

    /// Every day of the week, the Today pane has a conflict to show.
    #[test]
    fn small_has_a_conflict_today_on_every_weekday() {
        for k in 0..7 {
            let t = now() + days(k);
            let today = t.with_timezone(&TZ).date_naive();
            let d = generate(DemoSize::Small, t, TZ);
            let spans: Vec<_> = d
                .events
                .iter()
                .filter(|e| e.rrule.is_none() && e.status != EventStatus::Cancelled)
                .filter_map(|e| match e.time {
                    EventTime::Timed { start, end, .. }
                        if start.with_timezone(&TZ).date_naive() == today =>
                    {
                        Some((start, end))
                    }
                    _ => None,
                })
                .collect();
            let clash = spans
                .iter()
                .enumerate()
                .any(|(i, a)| spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1));
            assert!(clash, "no conflict on {today}");
        }
    }

    #[test]
    fn small_every_named_person_exists_and_attendees_link() {
        let a = generate(DemoSize::Small, now(), TZ);
        let linked = a.events.iter().flat_map(|e| &e.attendees).count();
        assert!(linked > 40, "{linked}");
        assert!(
            a.events
                .iter()
                .flat_map(|e| &e.attendees)
                .all(|x| x.contact_id.is_some())
        );
        // Every invoice vendor that is a demo organisation is linked.
        assert!(
            a.invoices.iter().all(|i| i.vendor_id.is_some()),
            "unlinked vendor"
        );
    }

    #[test]
    fn small_works_in_other_zones_and_around_dst() {
        for (t, tz) in [
            (Utc.with_ymd_and_hms(2026, 3, 28, 23, 0, 0).unwrap(), TZ),
            (Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap(), TZ),
            (now(), chrono_tz::America::New_York),
            (now(), chrono_tz::Pacific::Kiritimati),
            (
                Utc.with_ymd_and_hms(2028, 2, 29, 12, 0, 0).unwrap(),
                chrono_tz::UTC,
            ),
        ] {
            generate(DemoSize::Small, t, tz).validate().unwrap();
        }
    }

    /// Every RRULE we write is one a real parser (the rrule crate the recurrence work uses)
    /// accepts with its DTSTART.
    #[test]
    fn every_rrule_parses() {
        let counts = Counts {
            events: 20_000,
            contacts: 200,
            invoices: 30,
            tasks: 50,
            trips: 3,
        };
        let d = generate_large(counts, now(), TZ);
        let mut n = 0;
        for e in d.events.iter().filter(|e| e.rrule.is_some()) {
            let EventTime::Timed { start, tz, .. } = e.time else {
                panic!("all-day series in demo data");
            };
            let text = format!(
                "DTSTART;TZID={}:{}\nRRULE:{}",
                tz.name(),
                start.with_timezone(&tz).format("%Y%m%dT%H%M%S"),
                e.rrule.as_deref().unwrap_or_default()
            );
            let set: rrule::RRuleSet = text.parse().unwrap_or_else(|err| panic!("{text}: {err}"));
            assert!(!set.all(3).dates.is_empty(), "{text}");
            n += 1;
        }
        assert!(n > 100, "{n} series");
    }

    #[test]
    fn large_generator_scaled_down_validates() {
        let counts = Counts {
            events: 3_000,
            contacts: 500,
            invoices: 400,
            tasks: 1_000,
            trips: 100,
        };
        let d = generate_large(counts, now(), TZ);
        d.validate().unwrap();
        let s = d.stats();
        assert_eq!(
            (s.events, s.contacts, s.invoices, s.tasks, s.trips),
            (3_000, 500, 400, 1_000, 100)
        );
        assert!(s.segments >= 300);
        assert_eq!(d, generate_large(counts, now(), TZ));
        // Spread over years, not just the month.
        let first = d.events.iter().map(|e| e.time.start_in(TZ)).min().unwrap();
        let last = d.events.iter().map(|e| e.time.start_in(TZ)).max().unwrap();
        assert!((last - first).num_days() > 700);
        // Old business is settled: no invoice more than 90 days overdue, and tasks older
        // than two months that are not done are at most waiting on someone.
        let today = now().with_timezone(&TZ).date_naive();
        assert!(!d.invoices.iter().any(|i| i.is_overdue(today - days(90))));
        assert!(d.invoices.iter().any(|i| i.is_overdue(today)));
        assert!(
            d.tasks
                .iter()
                .all(|t| t.status != TaskStatus::Open || (now() - t.created).num_days() <= 60)
        );
        for st in TaskStatus::ALL {
            assert!(d.tasks.iter().any(|t| t.status == *st), "{st}");
        }
    }
}
