//! Contacts with labelled e-mails and phones and tags, each in a child table.
use super::keys;
use super::row::{
    At, Constraint, Damaged, Filter, date_text, id_value, int, on_constraint, prepare, read_rows,
    text,
};
use super::{ContactQuery, Result, StoreError};
use crate::domain::event::new_uid;
use crate::domain::{Birthday, Contact, Labeled, ValidationError};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

const COLS: &str = "c.id, c.uid, c.name, c.organization, c.title, c.address, c.notes, \
    c.last_contacted, c.birthday, \
    (SELECT json_group_array(json_array(label, value) ORDER BY position) \
     FROM contact_emails WHERE contact_id = c.id), \
    (SELECT json_group_array(json_array(label, value) ORDER BY position) \
     FROM contact_phones WHERE contact_id = c.id), \
    (SELECT json_group_array(tag ORDER BY position) FROM contact_tags WHERE contact_id = c.id)";

fn birthday_text(b: Birthday) -> String {
    match b.year {
        Some(y) => format!("{y:04}-{:02}-{:02}", b.month, b.day),
        None => format!("--{:02}-{:02}", b.month, b.day),
    }
}

fn parse_birthday(at: At, s: &str) -> Result<Birthday> {
    let bad = || at.corrupt("birthday", format!("'{s}' is not a birthday"));
    let (year, rest) = match s.strip_prefix("--") {
        Some(r) => (None, r),
        None => {
            let (y, r) = s.split_once('-').ok_or_else(bad)?;
            (Some(y.parse::<i32>().map_err(|_| bad())?), r)
        }
    };
    let (m, d) = rest.split_once('-').ok_or_else(bad)?;
    let b = Birthday {
        year,
        month: m.parse().map_err(|_| bad())?,
        day: d.parse().map_err(|_| bad())?,
    };
    if b.is_valid() { Ok(b) } else { Err(bad()) }
}

fn read(r: &rusqlite::Row<'_>) -> Result<Contact> {
    let id: i64 = r.get(0)?;
    let at = At::new("contacts", id);
    let labeled = |col: &str, json: String| -> Result<Vec<Labeled>> {
        let v: Vec<(String, String)> = at.json(col, &json)?;
        Ok(v.into_iter()
            .map(|(label, value)| Labeled { label, value })
            .collect())
    };
    let birthday: Option<String> = r.get(8)?;
    Ok(Contact {
        id,
        uid: r.get(1)?,
        name: r.get(2)?,
        organization: r.get(3)?,
        title: r.get(4)?,
        address: r.get(5)?,
        notes: r.get(6)?,
        last_contacted: at.opt_date("last_contacted", r.get(7)?)?,
        birthday: birthday.map(|b| parse_birthday(at, &b)).transpose()?,
        emails: labeled("emails", r.get(9)?)?,
        phones: labeled("phones", r.get(10)?)?,
        tags: at.json("tags", &r.get::<_, String>(11)?)?,
    })
}

fn collect(mut rows: rusqlite::Rows<'_>) -> Result<Vec<Contact>> {
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

pub fn get(c: &Connection, id: i64) -> Result<Contact> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM contacts c WHERE c.id = ?1"))?;
    let mut rows = st.query([id])?;
    match rows.next()? {
        Some(r) => read(r),
        None => Err(StoreError::NotFound {
            kind: "contact",
            id,
        }),
    }
}

pub fn find_by_uid(c: &Connection, uid: &str) -> Result<Option<Contact>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM contacts c WHERE c.uid = ?1"))?;
    let mut rows = st.query([uid])?;
    rows.next()?.map(read).transpose()
}

pub fn find_by_email(c: &Connection, email: &str) -> Result<Vec<Contact>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM contacts c WHERE c.id IN \
         (SELECT contact_id FROM contact_emails WHERE value = ?1 COLLATE NOCASE) \
         ORDER BY c.name_key, c.id"
    ))?;
    collect(st.query([email.trim()])?)
}

pub fn find_by_name(c: &Connection, name: &str, limit: u32) -> Result<Vec<Contact>> {
    let folded = keys::fold(name.trim());
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let mut f = Filter::default();
    let exact = f.param(text(&folded));
    let prefix = f.param(text(&keys::prefix_pattern(name)));
    let l = keys::lookup(name);
    let within = keys::contains_sql(
        &mut f,
        &l,
        "c.id",
        "contacts_fts",
        Some("name_key"),
        "c.name_key",
    );
    let lim = f.param(int(i64::from(limit)));
    let sql = format!(
        "SELECT {COLS} FROM contacts c WHERE {within} \
         ORDER BY CASE WHEN c.name_key = {exact} THEN 0 \
                       WHEN c.name_key LIKE {prefix} ESCAPE '\\' THEN 1 \
                       ELSE 2 END, c.name_key, c.id \
         LIMIT {lim}"
    );
    let mut st = prepare(c, &sql, &f.params)?;
    collect(st.query(rusqlite::params_from_iter(f.params.iter()))?)
}

/// The contact's key contains `s` (also used by `search_all`).
pub fn search_sql(f: &mut Filter, s: &str) -> String {
    let l = keys::lookup(s);
    keys::contains_sql(f, &l, "c.id", "contacts_fts", None, "c.search_key")
}

fn filter(q: &ContactQuery) -> Filter {
    let mut f = Filter::default();
    if let Some(s) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let cond = search_sql(&mut f, s);
        f.push_raw(cond);
    }
    if let Some(t) = q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        f.cond(
            "c.id IN (SELECT contact_id FROM contact_tags WHERE tag_key = ?)",
            [text(&keys::fold(t.trim()))],
        );
    }
    f
}

pub fn list(c: &Connection, q: &ContactQuery) -> Result<Vec<Contact>> {
    Ok(list_rows(c, q, Damaged::Fail)?.0)
}

/// [`list`], skipping rows that cannot be read (for the terminal UI): the contacts and how
/// many rows were skipped.
pub fn list_lenient(c: &Connection, q: &ContactQuery) -> Result<(Vec<Contact>, u64)> {
    list_rows(c, q, Damaged::Skip)
}

fn list_rows(c: &Connection, q: &ContactQuery, damaged: Damaged) -> Result<(Vec<Contact>, u64)> {
    let mut f = filter(q);
    let page = f.page(q.limit, q.offset);
    let sql = format!(
        "SELECT {COLS} FROM contacts c{} ORDER BY c.name_key, c.id{page}",
        f.where_sql()
    );
    let mut st = prepare(c, &sql, &f.params)?;
    read_rows(
        st.query(rusqlite::params_from_iter(f.params.iter()))?,
        damaged,
        read,
    )
}

pub fn count(c: &Connection, q: &ContactQuery) -> Result<u64> {
    let f = filter(q);
    let sql = format!("SELECT count(*) FROM contacts c{}", f.where_sql());
    let mut st = prepare(c, &sql, &f.params)?;
    let n: i64 = st.query_row(rusqlite::params_from_iter(f.params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

const UPSERT_COLS: &str = "uid, name, organization, title, address, notes, last_contacted, \
    birthday, name_key, search_key";

fn values(ct: &Contact, uid: &str) -> Vec<Value> {
    let emails: Vec<&str> = ct.emails.iter().map(|e| e.value.as_str()).collect();
    let phones: Vec<&str> = ct.phones.iter().map(|p| p.value.as_str()).collect();
    vec![
        text(uid),
        text(&ct.name),
        text(&ct.organization),
        text(&ct.title),
        text(&ct.address),
        text(&ct.notes),
        ct.last_contacted
            .map_or(Value::Null, |d| Value::Text(date_text(d))),
        ct.birthday
            .map_or(Value::Null, |b| Value::Text(birthday_text(b))),
        text(&keys::fold(&ct.name)),
        text(&keys::contact_key(
            &ct.name,
            &ct.organization,
            &ct.title,
            &ct.address,
            &ct.notes,
            &emails.join(" "),
            &phones.join("\n"),
            &ct.tags.join(" "),
        )),
    ]
}

fn key_error(ct: &Contact, k: Constraint) -> Option<ValidationError> {
    match k {
        Constraint::Unique => Some(ValidationError::new(
            "uid",
            format!("another contact already has UID '{}'", ct.uid),
        )),
        Constraint::PrimaryKey => Some(ValidationError::new(
            "id",
            format!("contact {} already exists", ct.id),
        )),
        _ => None,
    }
}

fn write_children(c: &Connection, id: i64, ct: &Contact) -> Result<()> {
    if !ct.emails.is_empty() {
        let mut st = c.prepare_cached(
            "INSERT INTO contact_emails (contact_id, position, label, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, e) in ct.emails.iter().enumerate() {
            st.execute(params![id, i as i64, e.label, e.value])?;
        }
    }
    if !ct.phones.is_empty() {
        let mut st = c.prepare_cached(
            "INSERT INTO contact_phones (contact_id, position, label, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, p) in ct.phones.iter().enumerate() {
            st.execute(params![id, i as i64, p.label, p.value])?;
        }
    }
    if !ct.tags.is_empty() {
        let mut st = c.prepare_cached(
            "INSERT INTO contact_tags (contact_id, position, tag, tag_key) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, t) in ct.tags.iter().enumerate() {
            st.execute(params![id, i as i64, t, keys::fold(t.trim())])?;
        }
    }
    Ok(())
}

pub fn insert(c: &Connection, ct: &Contact) -> Result<i64> {
    ct.validate()?;
    let uid = if ct.uid.trim().is_empty() {
        new_uid(chrono::Utc::now())
    } else {
        ct.uid.clone()
    };
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO contacts (id, {UPSERT_COLS}) VALUES ({id}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        id = super::row::new_id("contacts")
    ))?;
    let mut vals = vec![id_value(ct.id)];
    vals.extend(values(ct, &uid));
    st.execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| key_error(ct, k)))?;
    let id = c.last_insert_rowid();
    write_children(c, id, ct)?;
    Ok(id)
}

pub fn update(c: &Connection, ct: &Contact) -> Result<()> {
    ct.validate()?;
    let uid = if ct.uid.trim().is_empty() {
        let mut st = c.prepare_cached("SELECT uid FROM contacts WHERE id = ?1")?;
        st.query_row([ct.id], |r| r.get::<_, String>(0))
            .optional()?
            .ok_or(StoreError::NotFound {
                kind: "contact",
                id: ct.id,
            })?
    } else {
        ct.uid.clone()
    };
    let sets: Vec<String> = UPSERT_COLS
        .split(',')
        .enumerate()
        .map(|(i, col)| format!("{} = ?{}", col.trim(), i + 2))
        .collect();
    let mut st = c.prepare_cached(&format!(
        "UPDATE contacts SET {} WHERE id = ?1",
        sets.join(", ")
    ))?;
    let mut vals = vec![int(ct.id)];
    vals.extend(values(ct, &uid));
    let n = st
        .execute(rusqlite::params_from_iter(vals))
        .map_err(|e| on_constraint(e, |k| key_error(ct, k)))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            kind: "contact",
            id: ct.id,
        });
    }
    for table in ["contact_emails", "contact_phones", "contact_tags"] {
        c.prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
            .execute([ct.id])?;
    }
    write_children(c, ct.id, ct)
}

pub fn delete(c: &Connection, id: i64) -> Result<Contact> {
    let ct = get(c, id)?;
    // Invoices keep the vendor's name as text once the link is gone.
    c.prepare_cached("UPDATE invoices SET vendor_name = ?2 WHERE vendor_id = ?1")?
        .execute(params![id, ct.name])?;
    c.prepare_cached("DELETE FROM contacts WHERE id = ?1")?
        .execute([id])?;
    Ok(ct)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_text_round_trip() {
        let at = At::new("contacts", 1);
        for b in [
            Birthday {
                year: Some(1980),
                month: 4,
                day: 15,
            },
            Birthday {
                year: None,
                month: 2,
                day: 29,
            },
        ] {
            assert_eq!(parse_birthday(at, &birthday_text(b)).unwrap(), b);
        }
        for bad in ["", "--13-01", "1980-02-30", "x-1-1", "--0415"] {
            assert!(parse_birthday(at, bad).is_err(), "{bad}");
        }
    }
}
