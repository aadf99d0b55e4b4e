//! The store side of vCard files, shared by the CLI (`secretaire import vcf`) and the TUI:
//! apply parsed cards in one transaction, or a dry run that only reads.
use crate::domain::Contact;
use crate::store::{Result as StoreResult, Store, Tx};
use crate::vcard::{self, CardError};
use std::collections::HashMap;
/// What happened to each card.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub cards: usize,
    /// (line, name) of new contacts.
    pub imported: Vec<(usize, String)>,
    /// (line, name) of contacts that changed.
    pub updated: Vec<(usize, String)>,
    /// (line, name) of contacts already as in the file.
    pub unchanged: Vec<(usize, String)>,
    /// Cards not imported, with why.
    pub skipped: Vec<CardError>,
    /// Cards imported with a change.
    pub warnings: Vec<CardError>,
}

/// The reads and writes an import needs, on a transaction (real run) or on the store with the
/// writes left out (dry run).
trait ContactRw {
    fn by_uid(&self, uid: &str) -> StoreResult<Option<Contact>>;
    fn by_name(&self, name: &str) -> StoreResult<Vec<Contact>>;
    fn insert(&self, c: &Contact) -> StoreResult<()>;
    fn update(&self, c: &Contact) -> StoreResult<()>;
}

impl ContactRw for Tx<'_> {
    fn by_uid(&self, uid: &str) -> StoreResult<Option<Contact>> {
        self.find_contact_by_uid(uid)
    }
    fn by_name(&self, name: &str) -> StoreResult<Vec<Contact>> {
        self.find_contacts_by_name(name, 20)
    }
    fn insert(&self, c: &Contact) -> StoreResult<()> {
        self.insert_contact(c).map(|_| ())
    }
    fn update(&self, c: &Contact) -> StoreResult<()> {
        self.update_contact(c)
    }
}

struct DryRun<'a>(&'a Store);

impl ContactRw for DryRun<'_> {
    fn by_uid(&self, uid: &str) -> StoreResult<Option<Contact>> {
        self.0.find_contact_by_uid(uid)
    }
    fn by_name(&self, name: &str) -> StoreResult<Vec<Contact>> {
        self.0.find_contacts_by_name(name, 20)
    }
    fn insert(&self, _c: &Contact) -> StoreResult<()> {
        Ok(())
    }
    fn update(&self, _c: &Contact) -> StoreResult<()> {
        Ok(())
    }
}

/// A card without a UID matches a stored contact with the same name (case-insensitive) and
/// the same first e-mail (or none on both), when exactly one does.
fn match_by_name(rw: &dyn ContactRw, c: &Contact) -> StoreResult<Option<Contact>> {
    let email = |x: &Contact| x.primary_email().map(str::to_lowercase);
    let hits: Vec<Contact> = rw
        .by_name(&c.name)?
        .into_iter()
        .filter(|x| x.name.to_lowercase() == c.name.to_lowercase() && email(x) == email(c))
        .collect();
    Ok(if hits.len() == 1 {
        hits.into_iter().next()
    } else {
        None
    })
}

fn apply(rw: &dyn ContactRw, report: &vcard::ImportReport) -> StoreResult<ImportSummary> {
    let mut s = ImportSummary {
        cards: report.cards,
        skipped: report.errors.clone(),
        warnings: report.warnings.clone(),
        ..Default::default()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (c, &line) in report.contacts.iter().zip(&report.lines) {
        if !c.uid.is_empty() {
            if let Some(first) = seen.get(&c.uid) {
                s.skipped.push(CardError {
                    line,
                    uid: Some(c.uid.clone()),
                    message: format!(
                        "the card at line {first} has the same UID; this one was left out"
                    ),
                });
                continue;
            }
            seen.insert(c.uid.clone(), line);
        }
        let existing = if c.uid.is_empty() {
            match_by_name(rw, c)?
        } else {
            rw.by_uid(&c.uid)?
        };
        match existing {
            None => {
                rw.insert(c)?;
                s.imported.push((line, c.name.clone()));
            }
            Some(old) => {
                let mut new = c.clone();
                new.id = old.id;
                new.uid = old.uid.clone();
                // what a vCard may not carry is kept
                new.last_contacted = c.last_contacted.or(old.last_contacted);
                if new == old {
                    s.unchanged.push((line, c.name.clone()));
                } else {
                    rw.update(&new)?;
                    s.updated.push((line, c.name.clone()));
                }
            }
        }
    }
    s.skipped.sort_by_key(|e| e.line);
    Ok(s)
}

/// Import parsed cards into the store: idempotent by UID (update the contact with that UID,
/// else insert), all in one transaction; `dry_run` writes nothing.
pub fn import_report(
    store: &Store,
    report: &vcard::ImportReport,
    dry_run: bool,
) -> StoreResult<ImportSummary> {
    if dry_run {
        apply(&DryRun(store), report)
    } else {
        store.write(|tx| apply(tx, report))
    }
}
