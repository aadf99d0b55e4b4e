//! vCard in and out for contacts: 4.0 (RFC 6350) by default, 3.0 (RFC 2426) for older
//! clients; reads 2.1, 3.0 and 4.0 as Apple, Google and Outlook write them.
//!
//! Field mapping: name <-> FN (and a derived N), organization <-> ORG, title <-> TITLE (ROLE
//! when there is no TITLE), e-mails/phones <-> EMAIL/TEL with their labels as TYPE values
//! (`mobile` is TYPE=cell) or, for any other label, an Apple-style `itemN.X-ABLabel`; address
//! <-> ADR (the text goes in the street part; on import the parts become lines), tags <->
//! CATEGORIES, notes <-> NOTE, birthday <-> BDAY (no year: `--0415` in 4.0,
//! `X-APPLE-OMIT-YEAR=1604` in 3.0), last contacted <-> X-SECRETAIRE-LAST-CONTACTED, uid <->
//! UID (never made here: the store gives a contact without one a UID when it is saved), REV is
//! the export time. On import, what a contact cannot hold (a second address, a URL, a phone
//! with an extension, an invalid e-mail) goes into the notes with a warning, never dropped in
//! silence.
pub mod read;
pub mod sync;
pub mod text;
pub mod write;

pub use read::{import, import_bytes};
pub use write::export;

use crate::domain::Contact;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// vCard 3.0 (RFC 2426), for older clients.
    V3,
    /// vCard 4.0 (RFC 6350).
    #[default]
    V4,
}

/// A card that could not be imported (or, in `warnings`, was imported with a change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardError {
    /// Line of the card's BEGIN:VCARD (1-based; after unfolding, the first physical line).
    pub line: usize,
    /// The card's UID, when it had one.
    pub uid: Option<String>,
    pub message: String,
}

impl std::fmt::Display for CardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(u) = &self.uid {
            write!(f, " (UID {u})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What an import read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Contacts read, valid (`id` 0; `uid` as in the file, empty when the card had none).
    pub contacts: Vec<Contact>,
    /// The BEGIN:VCARD line of each contact, same order as `contacts`.
    pub lines: Vec<usize>,
    /// Cards (or stray text) not imported, with why.
    pub errors: Vec<CardError>,
    /// Cards imported with a change (e.g. a phone with an extension moved to the notes).
    pub warnings: Vec<CardError>,
    /// BEGIN:VCARD seen.
    pub cards: usize,
}

/// The whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcardError {
    #[error("the file is empty (no vCard in it)")]
    Empty,
    #[error("not a vCard file: line {line} is '{found}' (a vCard file starts with BEGIN:VCARD)")]
    NotVcard { line: usize, found: String },
}
