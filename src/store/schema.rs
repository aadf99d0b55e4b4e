//! The schema: versioned, append-only migrations. Never edit a migration that has shipped; add
//! a new one at the end. `PRAGMA user_version` holds how many have been applied.
use rusqlite::Transaction;
use rusqlite_migration::{HookResult, M, Migrations};

/// Version 1: the core tables.
///
/// Instants are INTEGER unix seconds (UTC) with the IANA zone they were entered in; dates are
/// `YYYY-MM-DD` text; local wall times (RECURRENCE-ID, EXDATE, RDATE) are `YYYY-MM-DDTHH:MM:SS`.
/// Events keep `start_at`/`end_at` for every row: the instants of a timed event, and for an
/// all-day event the midnights (UTC) of its first day and of the day after its last, so one
/// indexed range query (widened by 14 hours for all-day rows) serves both kinds.
pub const V1_CORE: &str = r#"
CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    organization   TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    last_contacted TEXT,
    birthday       TEXT
);
CREATE TABLE contact_emails (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE TABLE contact_phones (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL,
    recurrence_id    TEXT,
    rid_at           INTEGER,
    title            TEXT NOT NULL,
    all_day          INTEGER NOT NULL CHECK (all_day IN (0, 1)),
    start_at         INTEGER NOT NULL,
    end_at           INTEGER NOT NULL,
    tz               TEXT,
    start_date       TEXT,
    end_date         TEXT,
    location         TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL,
    status           TEXT NOT NULL,
    reminder_minutes INTEGER,
    rrule            TEXT,
    series_until     INTEGER,
    exdates          TEXT NOT NULL DEFAULT '[]',
    rdates           TEXT NOT NULL DEFAULT '[]',
    sequence         INTEGER NOT NULL DEFAULT 0,
    created          INTEGER NOT NULL,
    updated          INTEGER NOT NULL,
    extra_ics        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX events_uid ON events(uid, ifnull(recurrence_id, ''));
CREATE TABLE event_attendees (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    name       TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_attendees_contact ON event_attendees(contact_id) WHERE contact_id IS NOT NULL;

CREATE TABLE trips (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    purpose      TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    first_depart INTEGER,
    last_arrive  INTEGER
);
CREATE TABLE segments (
    id            INTEGER PRIMARY KEY,
    trip_id       INTEGER NOT NULL REFERENCES trips(id) ON DELETE CASCADE,
    uid           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    provider      TEXT NOT NULL DEFAULT '',
    number        TEXT NOT NULL DEFAULT '',
    confirmation  TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT '',
    destination   TEXT NOT NULL DEFAULT '',
    depart        INTEGER NOT NULL,
    depart_tz     TEXT NOT NULL,
    arrive        INTEGER NOT NULL,
    arrive_tz     TEXT NOT NULL,
    seat          TEXT NOT NULL DEFAULT '',
    cost_minor    INTEGER,
    cost_currency TEXT,
    status        TEXT NOT NULL,
    notes         TEXT NOT NULL DEFAULT '',
    CHECK ((cost_minor IS NULL) = (cost_currency IS NULL))
);
CREATE INDEX segments_trip ON segments(trip_id, depart);

CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY,
    vendor_id     INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    vendor_name   TEXT NOT NULL DEFAULT '',
    number        TEXT NOT NULL DEFAULT '',
    issue_date    TEXT NOT NULL,
    due_date      TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL,
    paid_date     TEXT,
    payment_ref   TEXT NOT NULL DEFAULT '',
    document_path TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invoices_vendor ON invoices(vendor_id) WHERE vendor_id IS NOT NULL;

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    direction     TEXT NOT NULL,
    contact_id    INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    subject       TEXT NOT NULL,
    notes         TEXT NOT NULL DEFAULT '',
    due_date      TEXT,
    due_at        INTEGER,
    priority      TEXT NOT NULL,
    status        TEXT NOT NULL,
    snoozed_until INTEGER,
    delegated_to  TEXT NOT NULL DEFAULT '',
    created       INTEGER NOT NULL,
    done_at       INTEGER,
    CHECK (due_date IS NULL OR due_at IS NULL)
);
CREATE INDEX tasks_contact ON tasks(contact_id) WHERE contact_id IS NOT NULL;
"#;

/// Version 2: folded search/sort keys (lower-case, diacritics removed, so `muller` finds
/// "Müller") and the indexes the panes page through. The hook fills the keys of existing rows.
pub const V2_SEARCH: &str = r#"
ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contact_tags ADD COLUMN tag_key TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE trips ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE segments ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN due_key INTEGER;

CREATE INDEX events_start ON events(start_at);
CREATE INDEX events_span ON events(end_at - start_at);
CREATE INDEX events_masters ON events(start_at) WHERE rrule IS NOT NULL;
CREATE INDEX events_overrides ON events(rid_at) WHERE recurrence_id IS NOT NULL;
CREATE INDEX trips_depart ON trips(first_depart);
CREATE INDEX segments_depart ON segments(depart);
CREATE INDEX segments_span ON segments(arrive - depart);
CREATE INDEX segments_uid ON segments(uid);
CREATE INDEX contacts_name ON contacts(name_key);
CREATE INDEX contact_tags_key ON contact_tags(tag_key, contact_id);
CREATE INDEX contact_emails_value ON contact_emails(value COLLATE NOCASE);
CREATE INDEX invoices_due ON invoices(due_date);
CREATE INDEX invoices_status_due ON invoices(status, due_date);
CREATE INDEX tasks_due ON tasks(due_key);
CREATE INDEX tasks_status_due ON tasks(status, due_key);
CREATE INDEX tasks_created ON tasks(created);
"#;

/// v3: a revision for travel segments and tasks, as events have one: `sequence` goes up and
/// `modified` (unix seconds) is set by every write that changes the row, whoever makes it (the
/// store's update functions do it), so an exported flight or to-do that changed looks newer to
/// a calendar client (SEQUENCE, LAST-MODIFIED). Rows from before have no `modified`.
pub const V3_REVISIONS: &str = r#"
ALTER TABLE segments ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN modified INTEGER;
ALTER TABLE tasks ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN modified INTEGER;
"#;

/// v4: indexes that serve each paged query's ORDER BY, and trigram full-text indexes for search.
///
/// - `tasks.due_key` of a task without a due is now `UNDATED` (i64::MAX) instead of NULL, so
///   "earliest due first, undated last" is one column: the same index serves the order and a
///   due range. Open tasks (status <> 'done', the panes' default) have partial indexes in each
///   order the panes offer (due, priority, kind, created); all tasks have full ones.
/// - Open invoices (neither paid nor cancelled) by due date: a partial index; the totals per
///   status and currency from a covering index instead of the rows.
/// - Trips: "undated last, then by first departure", the longest span (a window query's
///   lower bound, as for events), and the end (the Travel pane's upcoming and past pages).
/// - `*_fts`: FTS5 tables with the trigram tokenizer over each kind's folded `search_key`
///   (contacts also `name_key`), external content (the index only; the text stays in its
///   table), kept in step by triggers and filled here ('rebuild'). A search of three
///   characters or more finds its rows through them instead of reading every key.
pub const V4_INDEXES: &str = r#"
UPDATE tasks SET due_key = 9223372036854775807 WHERE due_key IS NULL;
DROP INDEX tasks_due;
DROP INDEX tasks_status_due;
CREATE INDEX tasks_due ON tasks(due_key, CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END);
CREATE INDEX tasks_priority ON tasks(CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, due_key);
CREATE INDEX tasks_kind ON tasks(kind, due_key);
CREATE INDEX tasks_status_due ON tasks(status, due_key, CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END);
CREATE INDEX tasks_open_due ON tasks(due_key, CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END) WHERE status <> 'done';
CREATE INDEX tasks_open_priority ON tasks(CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, due_key) WHERE status <> 'done';
CREATE INDEX tasks_open_kind ON tasks(kind, due_key) WHERE status <> 'done';
CREATE INDEX tasks_open_created ON tasks(created) WHERE status <> 'done';

CREATE INDEX invoices_open_due ON invoices(due_date) WHERE status NOT IN ('paid', 'cancelled');
CREATE INDEX invoices_totals ON invoices(status, currency, amount_minor);

CREATE INDEX trips_order ON trips(first_depart IS NULL, first_depart);
CREATE INDEX trips_span ON trips(last_arrive - first_depart);
CREATE INDEX trips_arrive ON trips(last_arrive);

CREATE VIRTUAL TABLE events_fts USING fts5(search_key, content='events', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE trips_fts USING fts5(search_key, content='trips', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE segments_fts USING fts5(search_key, content='segments', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE contacts_fts USING fts5(name_key, search_key, content='contacts', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE invoices_fts USING fts5(search_key, content='invoices', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE tasks_fts USING fts5(search_key, content='tasks', content_rowid='id', tokenize='trigram');

CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF search_key ON events
WHEN old.search_key IS NOT new.search_key BEGIN
    INSERT INTO events_fts(events_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO events_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO events_fts(events_fts) VALUES ('rebuild');

CREATE TRIGGER trips_fts_insert AFTER INSERT ON trips BEGIN
    INSERT INTO trips_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER trips_fts_delete AFTER DELETE ON trips BEGIN
    INSERT INTO trips_fts(trips_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER trips_fts_update AFTER UPDATE OF search_key ON trips
WHEN old.search_key IS NOT new.search_key BEGIN
    INSERT INTO trips_fts(trips_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO trips_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO trips_fts(trips_fts) VALUES ('rebuild');

CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER segments_fts_update AFTER UPDATE OF search_key ON segments
WHEN old.search_key IS NOT new.search_key BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO segments_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO segments_fts(segments_fts) VALUES ('rebuild');

CREATE TRIGGER invoices_fts_insert AFTER INSERT ON invoices BEGIN
    INSERT INTO invoices_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER invoices_fts_delete AFTER DELETE ON invoices BEGIN
    INSERT INTO invoices_fts(invoices_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER invoices_fts_update AFTER UPDATE OF search_key ON invoices
WHEN old.search_key IS NOT new.search_key BEGIN
    INSERT INTO invoices_fts(invoices_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO invoices_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO invoices_fts(invoices_fts) VALUES ('rebuild');

CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_fts(tasks_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF search_key ON tasks
WHEN old.search_key IS NOT new.search_key BEGIN
    INSERT INTO tasks_fts(tasks_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO tasks_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild');

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts(rowid, name_key, search_key)
        VALUES (new.id, new.name_key, new.search_key);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, name_key, search_key)
        VALUES ('delete', old.id, old.name_key, old.search_key);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name_key, search_key ON contacts
WHEN old.name_key IS NOT new.name_key OR old.search_key IS NOT new.search_key BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, name_key, search_key)
        VALUES ('delete', old.id, old.name_key, old.search_key);
    INSERT INTO contacts_fts(rowid, name_key, search_key)
        VALUES (new.id, new.name_key, new.search_key);
END;
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');
"#;

/// v5: a task keeps its counterpart's name, as an invoice keeps its vendor's: `contact_name` is
/// written when the task is linked (the contact's name then), kept in step when the contact
/// is renamed (a trigger, whoever renames it), and stays when the contact is deleted (the link
/// is cleared, `ON DELETE SET NULL`). Reads take the live name and fall back to it.
pub const V5_TASK_CONTACT_NAME: &str = r#"
ALTER TABLE tasks ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
UPDATE tasks SET contact_name = ifnull((SELECT name FROM contacts c WHERE c.id = tasks.contact_id), '')
WHERE contact_id IS NOT NULL;
CREATE TRIGGER tasks_contact_renamed AFTER UPDATE OF name ON contacts
WHEN old.name IS NOT new.name BEGIN
    UPDATE tasks SET contact_name = new.name WHERE contact_id = new.id;
END;
"#;

/// v6: series found by their first possible instance. An event with RDATEs and no RRULE, or
/// an RDATE before its DTSTART, is a series too, but the window query read series by
/// `rrule IS NOT NULL` and `start_at`, so such instances never showed. `series_from` is the
/// earliest instant an instance can start (the start or an earlier RDATE, less the 14-hour
/// zone slack RDATEs' local times need; NULL for a single event), and `series_until` now
/// also bounds a series of RDATEs alone. RDATEs are stored as a JSON array of local times,
/// which `unixepoch` reads as UTC, as the write path does.
pub const V6_SERIES_FROM: &str = r#"
ALTER TABLE events ADD COLUMN series_from INTEGER;
UPDATE events SET series_from = min(start_at,
    ifnull((SELECT min(unixepoch(value)) FROM json_each(events.rdates)) - 50400, start_at))
WHERE rrule IS NOT NULL OR rdates <> '[]';
UPDATE events SET series_until = max(start_at,
    (SELECT max(unixepoch(value)) FROM json_each(events.rdates)) + 50400) + max(end_at - start_at, 0)
WHERE rrule IS NULL AND rdates <> '[]';
DROP INDEX events_masters;
CREATE INDEX events_series ON events(series_from) WHERE series_from IS NOT NULL;
"#;

/// v7: what the database keeps about itself, as `key`/`value` text. `due_zone`: the zone the
/// sort keys of tasks' date-only dues were made in (a due day sorts at the end of that day
/// there, after the tasks due at a time that day); absent, they were made in UTC, as before.
/// `Store::use_zone` re-keys them when the zone in use is another.
pub const V7_SETTINGS: &str = r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// v8: ids are never handed out twice. SQLite gives a new row one more than the highest id
/// in the table, so deleting the last record freed its id for the next insert, and a screen,
/// an undo step or a script holding the old id acted on the new record. `id_high` keeps the
/// highest id deleted from each table (`store::row::new_id` allocates above it); the
/// migration starts it at today's highest ids, as nothing else is known of earlier deletes.
pub const V8_ID_HIGH: &str = r#"
CREATE TABLE id_high (
    tbl TEXT PRIMARY KEY,
    hi  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO id_high (tbl, hi)
    SELECT 'contacts', ifnull(max(id), 0) FROM contacts
    UNION ALL SELECT 'events', ifnull(max(id), 0) FROM events
    UNION ALL SELECT 'trips', ifnull(max(id), 0) FROM trips
    UNION ALL SELECT 'segments', ifnull(max(id), 0) FROM segments
    UNION ALL SELECT 'invoices', ifnull(max(id), 0) FROM invoices
    UNION ALL SELECT 'tasks', ifnull(max(id), 0) FROM tasks;
CREATE TRIGGER contacts_id_high AFTER DELETE ON contacts BEGIN
    INSERT INTO id_high (tbl, hi) VALUES ('contacts', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET hi = max(hi, excluded.hi);
END;
CREATE TRIGGER events_id_high AFTER DELETE ON events BEGIN
    INSERT INTO id_high (tbl, hi) VALUES ('events', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET hi = max(hi, excluded.hi);
END;
CREATE TRIGGER trips_id_high AFTER DELETE ON trips BEGIN
    INSERT INTO id_high (tbl, hi) VALUES ('trips', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET hi = max(hi, excluded.hi);
END;
CREATE TRIGGER segments_id_high AFTER DELETE ON segments BEGIN
    INSERT INTO id_high (tbl, hi) VALUES ('segments', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET hi = max(hi, excluded.hi);
END;
CREATE TRIGGER invoices_id_high AFTER DELETE ON invoices BEGIN
    INSERT INTO id_high (tbl, hi) VALUES ('invoices', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET hi = max(hi, excluded.hi);
END;
CREATE TRIGGER tasks_id_high AFTER DELETE ON tasks BEGIN
    INSERT INTO id_high (tbl, hi) VALUES ('tasks', OLD.id)
        ON CONFLICT (tbl) DO UPDATE SET hi = max(hi, excluded.hi);
END;
"#;

/// v9: reminders answered on a screen (dismissed, or snoozed until `snooze_until`), by event
/// UID and occurrence start, so a restart or a second screen on the same file does not bring
/// them back. `answered_at`: the later of two answers wins. Rows whose occurrence started more
/// than two days ago are dropped with each answer written.
pub const V9_REMINDER_ANSWERS: &str = r#"
CREATE TABLE reminder_answers (
    uid          TEXT NOT NULL,
    start_at     INTEGER NOT NULL,
    snooze_until INTEGER,
    answered_at  INTEGER NOT NULL,
    PRIMARY KEY (uid, start_at)
) WITHOUT ROWID;
"#;

/// The number of migrations this build knows: databases with a higher `user_version` are
/// refused untouched.
pub const SCHEMA_VERSION: i64 = 9;

/// All migrations, in order. Public so tests can build an older schema
/// (`migrations().to_version(&mut conn, 1)`).
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1_CORE).comment("core tables"),
        M::up_with_hook(V2_SEARCH, fill_keys_v2).comment("search keys and indexes"),
        M::up(V3_REVISIONS).comment("v3: segment and task revisions"),
        M::up(V4_INDEXES).comment("v4: order indexes and trigram search"),
        M::up(V5_TASK_CONTACT_NAME).comment("v5: tasks keep their counterpart's name"),
        M::up(V6_SERIES_FROM).comment("v6: series found by their first possible instance"),
        M::up(V7_SETTINGS).comment("v7: settings (the zone of tasks' due keys)"),
        M::up(V8_ID_HIGH).comment("v8: ids never handed out twice"),
        M::up(V9_REMINDER_ANSWERS).comment("v9: reminder dismissals"),
    ])
}

/// Fill the v2 key columns of rows written under v1, with the same functions the write path
/// uses.
fn fill_keys_v2(tx: &Transaction) -> HookResult {
    use super::keys;
    fill(
        tx,
        "SELECT id, name, organization, title, address, notes,
                (SELECT group_concat(value, ' ') FROM contact_emails WHERE contact_id = c.id),
                (SELECT group_concat(value, char(10)) FROM contact_phones WHERE contact_id = c.id),
                (SELECT group_concat(tag, ' ') FROM contact_tags WHERE contact_id = c.id)
         FROM contacts c",
        "UPDATE contacts SET name_key = ?2, search_key = ?3 WHERE id = ?1",
        8,
        |p| {
            vec![
                keys::fold(&p[0]).into(),
                keys::contact_key(&p[0], &p[1], &p[2], &p[3], &p[4], &p[5], &p[6], &p[7]).into(),
            ]
        },
    )?;
    {
        // contact_tags is WITHOUT ROWID: rows are addressed by (contact_id, position).
        let mut read = tx.prepare("SELECT contact_id, position, tag FROM contact_tags")?;
        let mut write = tx.prepare(
            "UPDATE contact_tags SET tag_key = ?3 WHERE contact_id = ?1 AND position = ?2",
        )?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let (c, p, t): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            write.execute(rusqlite::params![c, p, keys::fold(t.trim())])?;
        }
    }
    fill(
        tx,
        "SELECT id, title, location, notes,
                (SELECT group_concat(name || ' ' || email, ' ') FROM event_attendees
                 WHERE event_id = e.id)
         FROM events e",
        "UPDATE events SET search_key = ?2 WHERE id = ?1",
        4,
        |p| vec![keys::event_key(&p[0], &p[1], &p[2], &p[3]).into()],
    )?;
    fill(
        tx,
        "SELECT id, name, purpose, notes FROM trips",
        "UPDATE trips SET search_key = ?2 WHERE id = ?1",
        3,
        |p| vec![keys::trip_key(&p[0], &p[1], &p[2]).into()],
    )?;
    fill(
        tx,
        "SELECT id, kind, provider, number, confirmation, origin, destination, notes FROM segments",
        "UPDATE segments SET search_key = ?2 WHERE id = ?1",
        7,
        |p| {
            let fields: Vec<&str> = p[1..].iter().map(String::as_str).collect();
            vec![keys::segment_key(&p[0], &fields).into()]
        },
    )?;
    fill(
        tx,
        "SELECT id, vendor_name, number, payment_ref, notes, amount_minor, currency FROM invoices",
        "UPDATE invoices SET search_key = ?2 WHERE id = ?1",
        6,
        |p| {
            let minor = p[4].parse::<i64>().unwrap_or_default();
            let amount = keys::amount_text(minor, &p[5]);
            vec![keys::invoice_key(&p[0], &p[1], &p[2], &p[3], &amount).into()]
        },
    )?;
    fill(
        tx,
        "SELECT id, subject, notes, delegated_to,
                ifnull(due_at, CAST(unixepoch(due_date) + 86399 AS TEXT)) FROM tasks",
        "UPDATE tasks SET search_key = ?2, due_key = ?3 WHERE id = ?1",
        4,
        |p| {
            vec![
                keys::task_key(&p[0], &p[1], &p[2]).into(),
                p[3].parse::<i64>().map_or(
                    rusqlite::types::Value::Null,
                    rusqlite::types::Value::Integer,
                ),
            ]
        },
    )?;
    Ok(())
}

/// For each row of `read_sql` (an id, then `n` columns read as text, NULL as empty), run
/// `write_sql` with the id and the values `derive` makes of the columns.
fn fill(
    tx: &Transaction,
    read_sql: &str,
    write_sql: &str,
    n: usize,
    derive: impl Fn(&[String]) -> Vec<rusqlite::types::Value>,
) -> HookResult {
    let mut read = tx.prepare(read_sql)?;
    let mut write = tx.prepare(write_sql)?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let mut parts = Vec::with_capacity(n);
        for i in 1..=n {
            let v: rusqlite::types::Value = r.get(i)?;
            parts.push(match v {
                rusqlite::types::Value::Null => String::new(),
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Real(f) => f.to_string(),
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
            });
        }
        let mut values = vec![rusqlite::types::Value::Integer(id)];
        values.extend(derive(&parts));
        write.execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a, 64 bits: a stable fingerprint of a migration's text.
    fn fingerprint(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Migrations are append-only: a database at version N ran exactly the first N texts, so
    /// editing one that has shipped leaves old databases with another schema than new ones.
    /// Each shipped migration's text is pinned here; a new migration appends its line.
    #[test]
    fn shipped_migrations_never_change() {
        let shipped: [(&str, &str, u64); 9] = [
            ("v1 core tables", V1_CORE, 0x2fed1749443c7530),
            ("v2 search keys and indexes", V2_SEARCH, 0x4dfcc6de712dfdb3),
            (
                "v3 segment and task revisions",
                V3_REVISIONS,
                0xee1830ebd0854fa3,
            ),
            (
                "v4 order indexes and trigram search",
                V4_INDEXES,
                0xc9dc1934e7f2d8ce,
            ),
            (
                "v5 tasks keep their counterpart's name",
                V5_TASK_CONTACT_NAME,
                0xbdb7_751b_1620_c103,
            ),
            (
                "v6 series found by their first possible instance",
                V6_SERIES_FROM,
                0x67d895d324639d4f,
            ),
            ("v7 settings", V7_SETTINGS, 0xa875_a2f5_367d_86c8),
            (
                "v8 ids never handed out twice",
                V8_ID_HIGH,
                0xcb5f_628a_f0c1_b3bd,
            ),
            (
                "v9 reminder dismissals",
                V9_REMINDER_ANSWERS,
                0x2b61_c22c_d1d9_2c05,
            ),
        ];
        assert_eq!(
            shipped.len() as i64,
            SCHEMA_VERSION,
            "a migration without a pinned text"
        );
        for (name, text, want) in shipped {
            assert_eq!(
                fingerprint(text),
                want,
                "migration '{name}' changed: never edit a shipped migration, append a new one"
            );
        }
    }

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }
}
