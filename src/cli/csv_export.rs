//! `export csv`: RFC 4180 (csv crate), paged through the store, formula-safe, file 0600.
use super::Ctx;
use super::UserError;
use super::args::{CsvArgs, CsvKind};
use super::input::Res;
use crate::domain::{Due, Labeled};
use crate::store::{ContactQuery, InvoiceQuery, TaskOrder, TaskQuery};
use std::io::Write;
use std::path::Path;

/// Rows per store query. The store pages with OFFSET, which re-reads the skipped rows, so
/// fewer, larger pages keep a 50k-row export near-linear; 5000 rows stay a few MB.
const PAGE: u32 = 5000;

/// A spreadsheet reads a cell starting with `=`, `+`, `-`, `@`, tab or CR as a formula
/// (OWASP "CSV injection"): prefix it with `'` so it stays text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn write_row<W: Write>(w: &mut csv::Writer<W>, cells: &[String]) -> Res<()> {
    w.write_record(cells.iter().map(|c| neutralise(c)))?;
    Ok(())
}

fn labeled(v: &[Labeled]) -> String {
    v.iter()
        .map(|l| {
            if l.label.is_empty() {
                l.value.clone()
            } else {
                format!("{}:{}", l.label, l.value)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Write all rows of `kind` to `w`; returns how many.
pub fn write_all<W: Write>(ctx: &Ctx, kind: CsvKind, w: W) -> Res<u64> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    let mut n = 0u64;
    let mut offset = 0u32;
    let s = &ctx.store;
    match kind {
        CsvKind::Invoices => {
            write_row(
                &mut w,
                &[
                    "id",
                    "vendor",
                    "vendor_id",
                    "number",
                    "issue_date",
                    "due_date",
                    "amount",
                    "currency",
                    "status",
                    "paid_date",
                    "payment_ref",
                    "document",
                    "notes",
                ]
                .map(String::from),
            )?;
            loop {
                let page = s.list_invoices(&InvoiceQuery {
                    limit: Some(PAGE),
                    offset,
                    ..Default::default()
                })?;
                for i in &page {
                    write_row(
                        &mut w,
                        &[
                            i.id.to_string(),
                            i.vendor_name.clone(),
                            opt(i.vendor_id),
                            i.number.clone(),
                            i.issue_date.to_string(),
                            i.due_date.to_string(),
                            i.amount.amount_plain(),
                            i.amount.currency.to_string(),
                            i.status.to_string(),
                            opt(i.paid_date),
                            i.payment_ref.clone(),
                            i.document_path.clone(),
                            i.notes.clone(),
                        ],
                    )?;
                }
                n += page.len() as u64;
                if (page.len() as u32) < PAGE {
                    break;
                }
                offset += PAGE;
            }
        }
        CsvKind::Contacts => {
            write_row(
                &mut w,
                &[
                    "id",
                    "name",
                    "organization",
                    "title",
                    "emails",
                    "phones",
                    "address",
                    "tags",
                    "birthday",
                    "last_contacted",
                    "notes",
                    "uid",
                ]
                .map(String::from),
            )?;
            loop {
                let page = s.list_contacts(&ContactQuery {
                    limit: Some(PAGE),
                    offset,
                    ..Default::default()
                })?;
                for c in &page {
                    write_row(
                        &mut w,
                        &[
                            c.id.to_string(),
                            c.name.clone(),
                            c.organization.clone(),
                            c.title.clone(),
                            labeled(&c.emails),
                            labeled(&c.phones),
                            c.address.clone(),
                            c.tags.join(","),
                            c.birthday
                                .map(|b| match b.year {
                                    Some(y) => format!("{y:04}-{:02}-{:02}", b.month, b.day),
                                    None => format!("--{:02}-{:02}", b.month, b.day),
                                })
                                .unwrap_or_default(),
                            opt(c.last_contacted),
                            c.notes.clone(),
                            c.uid.clone(),
                        ],
                    )?;
                }
                n += page.len() as u64;
                if (page.len() as u32) < PAGE {
                    break;
                }
                offset += PAGE;
            }
        }
        CsvKind::Tasks => {
            write_row(
                &mut w,
                &[
                    "id",
                    "subject",
                    "kind",
                    "direction",
                    "contact",
                    "contact_id",
                    "due",
                    "priority",
                    "status",
                    "snoozed_until",
                    "delegated_to",
                    "created",
                    "done_at",
                    "notes",
                ]
                .map(String::from),
            )?;
            let rfc = |t: chrono::DateTime<chrono::Utc>| {
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            };
            loop {
                let page = s.list_tasks(&TaskQuery {
                    order: TaskOrder::Created,
                    limit: Some(PAGE),
                    offset,
                    ..Default::default()
                })?;
                for t in &page {
                    write_row(
                        &mut w,
                        &[
                            t.id.to_string(),
                            t.subject.clone(),
                            t.kind.to_string(),
                            t.direction.to_string(),
                            t.contact_name.clone(),
                            opt(t.contact_id),
                            match t.due {
                                None => String::new(),
                                Some(Due::Date(d)) => d.to_string(),
                                Some(Due::At(at)) => rfc(at),
                            },
                            t.priority.to_string(),
                            t.status.to_string(),
                            t.snoozed_until.map(rfc).unwrap_or_default(),
                            t.delegated_to.clone(),
                            rfc(t.created),
                            t.done_at.map(rfc).unwrap_or_default(),
                            t.notes.clone(),
                        ],
                    )?;
                }
                n += page.len() as u64;
                if (page.len() as u32) < PAGE {
                    break;
                }
                offset += PAGE;
            }
        }
    }
    w.flush()?;
    Ok(n)
}

/// Create `path` for writing, mode 0600, via a temporary file renamed into place on success
/// (a failed export leaves nothing half-written).
pub fn write_file_atomic(path: &Path, f: impl FnOnce(&mut std::fs::File) -> Res<()>) -> Res<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(UserError::new(format!("{} is a directory", path.display())));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| UserError::new(format!("cannot write {}: {e}", path.display())))?;
    let r = f(&mut file).and_then(|_| Ok(file.sync_all()?));
    drop(file);
    match r {
        Ok(()) => std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            UserError::new(format!("cannot write {}: {e}", path.display()))
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

pub fn run(ctx: &Ctx, a: &CsvArgs, out: &mut dyn Write) -> Res<()> {
    if a.output.as_os_str() == "-" {
        write_all(ctx, a.kind, &mut *out)?;
        return Ok(());
    }
    let mut n = 0;
    write_file_atomic(&a.output, |f| {
        n = write_all(ctx, a.kind, f)?;
        Ok(())
    })?;
    let what = match a.kind {
        CsvKind::Invoices => "invoices",
        CsvKind::Contacts => "contacts",
        CsvKind::Tasks => "tasks",
    };
    if ctx.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"kind": what, "rows": n, "file": a.output.display().to_string()})
        )?;
    } else {
        writeln!(out, "wrote {n} {what} to {}", a.output.display())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+46 70", "'+46 70"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Anna", "Anna"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }
}
