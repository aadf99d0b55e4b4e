//! Invoices: amount in minor units plus currency; the vendor is a contact or free text.
use super::keys;
use super::row::{
    At, Constraint, Damaged, Filter, date_text, id_value, int, on_constraint, prepare, read_rows,
    text,
};
use super::{InvoiceQuery, InvoiceTotal, Result, StoreError};
use crate::domain::{Invoice, InvoiceStatus, ValidationError};
use rusqlite::Connection;
use rusqlite::types::Value;

const COLS: &str = "i.id, i.vendor_id, coalesce(v.name, i.vendor_name), i.number, i.issue_date, \
    i.due_date, i.amount_minor, i.currency, i.status, i.paid_date, i.payment_ref, \
    i.document_path, i.notes";
const FROM: &str = "invoices i LEFT JOIN contacts v ON v.id = i.vendor_id";

fn read(r: &rusqlite::Row<'_>) -> Result<Invoice> {
    let id: i64 = r.get(0)?;
    let at = At::new("invoices", id);
    Ok(Invoice {
        id,
        vendor_id: r.get(1)?,
        vendor_name: r.get(2)?,
        number: r.get(3)?,
        issue_date: at.date("issue_date", &r.get::<_, String>(4)?)?,
        due_date: at.date("due_date", &r.get::<_, String>(5)?)?,
        amount: at.money("currency", r.get(6)?, &r.get::<_, String>(7)?)?,
        status: at.parse("status", &r.get::<_, String>(8)?)?,
        paid_date: at.opt_date("paid_date", r.get(9)?)?,
        payment_ref: r.get(10)?,
        document_path: r.get(11)?,
        notes: r.get(12)?,
    })
}

pub fn get(c: &Connection, id: i64) -> Result<Invoice> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM {FROM} WHERE i.id = ?1"))?;
    let mut rows = st.query([id])?;
    match rows.next()? {
        Some(r) => read(r),
        None => Err(StoreError::NotFound {
            kind: "invoice",
            id,
        }),
    }
}

fn filter(q: &InvoiceQuery) -> Filter {
    let mut f = Filter::default();
    if let Some(s) = q.status {
        f.cond("i.status = ?", [text(s.as_str())]);
    }
    if q.open_only {
        // a literal, exactly the partial index's condition (schema v3: invoices_open_due)
        debug_assert_eq!(
            (
                InvoiceStatus::Paid.as_str(),
                InvoiceStatus::Cancelled.as_str()
            ),
            ("paid", "cancelled")
        );
        f.push_raw("i.status NOT IN ('paid', 'cancelled')".into());
    }
    if let Some(d) = q.due_from {
        f.cond("i.due_date >= ?", [text(&date_text(d))]);
    }
    if let Some(d) = q.due_to {
        f.cond("i.due_date <= ?", [text(&date_text(d))]);
    }
    if let Some(v) = q.vendor_id {
        f.cond("i.vendor_id = ?", [int(v)]);
    }
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let cond = search_sql(&mut f, s);
        f.push_raw(cond);
    }
    f
}

/// The invoice's key, or its vendor contact's name, contains `s` (also used by `search_all`).
pub fn search_sql(f: &mut Filter, s: &str) -> String {
    keys::own_or_contact_sql(
        f,
        s,
        ("i.id", "invoices_fts", "i.search_key"),
        ("i.vendor_id", "v.name_key"),
    )
}

pub fn list(c: &Connection, q: &InvoiceQuery) -> Result<Vec<Invoice>> {
    Ok(list_rows(c, q, Damaged::Fail)?.0)
}

/// [`list`], skipping rows that cannot be read (for the terminal UI): the invoices and how
/// many rows were skipped.
pub fn list_lenient(c: &Connection, q: &InvoiceQuery) -> Result<(Vec<Invoice>, u64)> {
    list_rows(c, q, Damaged::Skip)
}

fn list_rows(c: &Connection, q: &InvoiceQuery, damaged: Damaged) -> Result<(Vec<Invoice>, u64)> {
    let mut f = filter(q);
    let page = f.page(q.limit, q.offset);
    let sql = format!(
        "SELECT {COLS} FROM {FROM}{} ORDER BY i.due_date, i.id{page}",
        f.where_sql()
    );
    let mut st = prepare(c, &sql, &f.params)?;
    read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        damaged,
        read,
    )
}

pub fn count(c: &Connection, q: &InvoiceQuery) -> Result<u64> {
    let f = filter(q);
    // the vendor's row is needed only to match its name
    let searching = q.search.as_deref().is_some_and(|s| !s.trim().is_empty());
    let from = if searching { FROM } else { "invoices i" };
    let sql = format!("SELECT count(*) FROM {from}{}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    let n: i64 = st.query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

pub fn totals(c: &Connection) -> Result<Vec<InvoiceTotal>> {
    Ok(totals_rows(c, Damaged::Fail)?.0)
}

/// [`totals`], leaving out groups whose status or currency cannot be read (for the terminal
/// UI): the totals and how many invoices were left out.
pub fn totals_lenient(c: &Connection) -> Result<(Vec<InvoiceTotal>, u64)> {
    totals_rows(c, Damaged::Skip)
}

/// The totals' SQL. Amounts are summed exactly whatever is stored: `sum()` of the amounts
/// themselves fails ("integer overflow") once a group passes i64, which blanked the pane, so
/// each amount is split into its high and low 32 bits (`hi * 2^32 + lo`, the shift is
/// arithmetic), summed apart (no overflow below two billion rows) and combined in i128. A
/// stored amount that is not an integer is counted, not summed.
pub(crate) const TOTALS_SQL: &str = "SELECT status, currency, sum(amount_minor >> 32), \
     sum(amount_minor & 4294967295), count(*), sum(typeof(amount_minor) <> 'integer') \
     FROM invoices GROUP BY status, currency ORDER BY status, currency";

/// A group's exact total in minor units from [`TOTALS_SQL`]'s high and low sums.
fn exact_total(high: i64, low: i64) -> i128 {
    (i128::from(high) << 32) + i128::from(low)
}

fn totals_rows(c: &Connection, damaged: Damaged) -> Result<(Vec<InvoiceTotal>, u64)> {
    let mut st = prepare(c, TOTALS_SQL, &[])?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    let mut skipped = 0;
    while let Some(r) = rows.next()? {
        let status: String = r.get(0)?;
        let currency: String = r.get(1)?;
        let at = At::new("invoices", 0);
        let n: i64 = r.get(4)?;
        let group = (|| {
            let status = at.parse("status", &status)?;
            let not_integers: i64 = r.get(5)?;
            if not_integers > 0 {
                return Err(at.corrupt(
                    "amount_minor",
                    format!("{not_integers} {status} {currency} amount(s) are not whole numbers"),
                ));
            }
            // a sum beyond what one amount can hold (written by another tool): left out, said
            let sum = exact_total(r.get(2)?, r.get(3)?);
            let minor = i64::try_from(sum).map_err(|_| {
                at.corrupt(
                    "amount_minor",
                    format!("the total of {n} {status} {currency} invoices is too large"),
                )
            })?;
            Ok(InvoiceTotal {
                status,
                total: at.money("currency", minor, &currency)?,
                count: n.max(0) as u64,
            })
        })();
        match group {
            Ok(t) => out.push(t),
            Err(e) if damaged == Damaged::Fail => return Err(e),
            Err(_) => skipped += n.max(0) as u64,
        }
    }
    Ok((out, skipped))
}

const UPSERT_COLS: &str = "vendor_id, vendor_name, number, issue_date, due_date, amount_minor, \
    currency, status, paid_date, payment_ref, document_path, notes, search_key";

fn values(i: &Invoice) -> Vec<Value> {
    vec![
        i.vendor_id.map_or(Value::Null, int),
        text(&i.vendor_name),
        text(&i.number),
        text(&date_text(i.issue_date)),
        text(&date_text(i.due_date)),
        int(i.amount.minor),
        text(i.amount.currency.code()),
        text(i.status.as_str()),
        i.paid_date.map_or(Value::Null, |d| text(&date_text(d))),
        text(&i.payment_ref),
        text(&i.document_path),
        text(&i.notes),
        text(&keys::invoice_key(
            &i.vendor_name,
            &i.number,
            &i.payment_ref,
            &i.notes,
            &keys::amount_text(i.amount.minor, i.amount.currency.code()),
        )),
    ]
}

fn key_error(i: &Invoice, k: Constraint) -> Option<ValidationError> {
    match k {
        Constraint::ForeignKey => Some(ValidationError::new(
            "vendor",
            format!("no contact with id {}", i.vendor_id.unwrap_or_default()),
        )),
        Constraint::PrimaryKey => Some(ValidationError::new(
            "id",
            format!("invoice {} already exists", i.id),
        )),
        _ => None,
    }
}

pub fn insert(c: &Connection, i: &Invoice) -> Result<i64> {
    i.validate()?;
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO invoices (id, {UPSERT_COLS}) \
         VALUES ({id}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        id = super::row::new_id("invoices")
    ))?;
    let mut vals = vec![id_value(i.id)];
    vals.extend(values(i));
    st.execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| key_error(i, k)))?;
    Ok(c.last_insert_rowid())
}

pub fn update(c: &Connection, i: &Invoice) -> Result<()> {
    i.validate()?;
    let sets: Vec<String> = UPSERT_COLS
        .split(',')
        .enumerate()
        .map(|(n, col)| format!("{} = ?{}", col.trim(), n + 2))
        .collect();
    let mut st = c.prepare_cached(&format!(
        "UPDATE invoices SET {} WHERE id = ?1",
        sets.join(", ")
    ))?;
    let mut vals = vec![int(i.id)];
    vals.extend(values(i));
    let n = st
        .execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| key_error(i, k)))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            kind: "invoice",
            id: i.id,
        });
    }
    Ok(())
}

pub fn delete(c: &Connection, id: i64) -> Result<Invoice> {
    let i = get(c, id)?;
    c.prepare_cached("DELETE FROM invoices WHERE id = ?1")?
        .execute([id])?;
    Ok(i)
}
