//! RFC 5545 in and out. Functional core: `export` turns domain records into calendar text,
//! `parse` turns bytes into events plus per-item errors, `apply::decide` says what an import
//! does to the store. The CLI (`cli::ics_cmd`) is the shell that reads files and writes rows.
//!
//! The text is written by a small line writer rather than the `icalendar` crate: it avoids that
//! crate's invalid VTIMEZONE/VALARM UIDs, PRODID duplication and unescaped CRs (see
//! DEPENDENCIES.md), and keeps unmodeled properties byte for byte.
pub mod apply;
pub mod export;
pub mod future;
pub mod keep;
pub mod line;
pub mod parse;
pub mod profile;
pub mod sync;
pub mod tz;

pub use apply::{Change, decide, same_content};
pub use export::{ExportOptions, PRODID, export, segment_summary, task_uid};
pub use parse::{
    ItemError, ParseError, ParseOptions, ParseReport, ParsedEvent, RecurrenceAt, parse,
    rid_for_series,
};
pub use profile::Profile;
pub use tz::windows_to_iana;
