//! Derived columns: folded search keys, LIKE patterns, and the conservative time bounds that
//! let one indexed range query serve timed and all-day rows.
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Widening for all-day rows and wall times whose zone is not known to the query: the widest
/// UTC offsets in use are −12 h and +14 h.
pub const ZONE_SLACK: i64 = 14 * 3600;

/// Lower-case and strip diacritics ("Müller" -> "muller"), so search is case-insensitive for
/// every script, not only ASCII as SQLite's LIKE is.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            out.push(nucleo_matcher::chars::normalize(l));
        }
    }
    out
}

/// Fold several fields into one key, separated by a newline so a pattern does not match across
/// fields by accident.
pub fn join(parts: &[&str]) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&fold(p));
    }
    out
}

/// Search key of an event: title, location, notes and the attendees' names and addresses
/// (`attendees` is them joined with spaces).
pub fn event_key(title: &str, location: &str, notes: &str, attendees: &str) -> String {
    join(&[title, location, notes, attendees])
}

/// Search key of a contact; phones (one per line) also as bare digits, so `0701234567`
/// finds `070-123 45 67`.
#[allow(clippy::too_many_arguments)]
pub fn contact_key(
    name: &str,
    organization: &str,
    title: &str,
    address: &str,
    notes: &str,
    emails: &str,
    phones: &str,
    tags: &str,
) -> String {
    // `phones` holds one number per line.
    let digits = phones
        .lines()
        .map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    join(&[
        name,
        organization,
        title,
        address,
        notes,
        emails,
        phones,
        &digits,
        tags,
    ])
}

pub fn trip_key(name: &str, purpose: &str, notes: &str) -> String {
    join(&[name, purpose, notes])
}

/// Search key of a segment, its kind included (`hotel` finds hotel stays).
pub fn segment_key(kind: &str, fields: &[&str]) -> String {
    let mut parts = vec![kind];
    parts.extend_from_slice(fields);
    join(&parts)
}

/// Search key of an invoice, its amount included (`1249.00`, and the currency code).
pub fn invoice_key(
    vendor: &str,
    number: &str,
    payment_ref: &str,
    notes: &str,
    amount: &str,
) -> String {
    join(&[vendor, number, payment_ref, notes, amount])
}

/// `1249.00 SEK` (plain, ungrouped) for the search key.
pub fn amount_text(minor: i64, currency: &str) -> String {
    match crate::domain::Currency::parse(currency) {
        Ok(c) => format!(
            "{} {}",
            crate::domain::Money::new(minor, c).amount_plain(),
            c
        ),
        Err(_) => format!("{minor} {currency}"),
    }
}

pub fn task_key(subject: &str, notes: &str, delegated_to: &str) -> String {
    join(&[subject, notes, delegated_to])
}

/// Escape LIKE wildcards (`%`, `_`) and the escape character itself; use with `ESCAPE '\'`.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `%text%` folded and escaped.
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", escape_like(&fold(text.trim())))
}

/// How rows whose key contains a search text are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Through a trigram FTS index: an FTS5 phrase (the folded text in double quotes), which
    /// matches wherever the text occurs in the key, as LIKE '%text%' would.
    Index(String),
    /// By reading the keys: a `%text%` LIKE pattern (`ESCAPE '\'`). For texts under three
    /// characters, which a trigram index cannot find.
    Scan(String),
}

/// Shortest text the trigram indexes can find.
pub const TRIGRAM: usize = 3;

/// The lookup for `text` (folded like the keys).
pub fn lookup(text: &str) -> Lookup {
    let folded = fold(text.trim());
    if folded.chars().count() >= TRIGRAM {
        Lookup::Index(format!("\"{}\"", folded.replace('"', "\"\"")))
    } else {
        Lookup::Scan(format!("%{}%", escape_like(&folded)))
    }
}

/// SQL for "the key of row `id_sql` contains the text": `id_sql IN (rowids the FTS table
/// `fts` matches)`, or a LIKE on `key_sql`. `column` limits the FTS match to one of its
/// columns (`name_key` of contacts). The parameter is pushed to `f`.
pub fn contains_sql(
    f: &mut super::row::Filter,
    l: &Lookup,
    id_sql: &str,
    fts: &str,
    column: Option<&str>,
    key_sql: &str,
) -> String {
    match l {
        Lookup::Index(phrase) => {
            let q = match column {
                Some(c) => format!("{c} : {phrase}"),
                None => phrase.clone(),
            };
            let p = f.param(super::row::text(&q));
            format!("{id_sql} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {p})")
        }
        Lookup::Scan(pattern) => {
            let p = f.param(super::row::text(pattern));
            format!("{key_sql} LIKE {p} ESCAPE '\\'")
        }
    }
}

/// SQL for "the row's own key, or the name of the contact it links, contains `text`" (an
/// invoice's vendor, a task's counterpart): `own` is (row id, FTS table, key column), `contact`
/// is (the link column, the joined contact's `name_key`).
pub fn own_or_contact_sql(
    f: &mut super::row::Filter,
    text: &str,
    own: (&str, &str, &str),
    contact: (&str, &str),
) -> String {
    let l = lookup(text);
    let mine = contains_sql(f, &l, own.0, own.1, None, own.2);
    let theirs = contains_sql(
        f,
        &l,
        contact.0,
        "contacts_fts",
        Some("name_key"),
        contact.1,
    );
    format!("{mine} OR {theirs}")
}

/// `text%` folded and escaped.
pub fn prefix_pattern(text: &str) -> String {
    format!("{}%", escape_like(&fold(text.trim())))
}

pub fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// Midnight UTC of a date, in unix seconds.
pub fn date_ts(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map(|n| n.and_utc().timestamp())
        .unwrap_or(0)
}

/// A wall time read as if it were UTC (the zone is applied by the reader).
pub fn naive_ts(n: NaiveDateTime) -> i64 {
    n.and_utc().timestamp()
}

/// `due_key` of a task without a due: after every date, so "earliest due first, undated
/// last" is one ascending column (schema v3).
pub const UNDATED: i64 = i64::MAX;

/// Sort key for a date-only due: the end of that day (UTC), so a task due at an instant on
/// the day sorts before one due "some time that day".
pub fn date_due_key(d: NaiveDate) -> i64 {
    date_ts(d) + 86_400 - 1
}

/// [`date_due_key`] in the zone `tz`: the last second of day `d` there, so in that zone a
/// task due that day sorts after every task due at a time that day and before the next day's
/// (in UTC, a date-only due in Auckland sorted after the next morning's). Keys in any zone lie
/// within [`ZONE_SLACK`] of the UTC one, which range queries widen by.
pub fn date_due_key_in(d: NaiveDate, tz: chrono_tz::Tz) -> i64 {
    let next = d.succ_opt().unwrap_or(d);
    ts(crate::domain::event::local_midnight(next, tz)) - 1
}

pub const DATE_FMT: &str = "%Y-%m-%d";
pub const LOCAL_FMT: &str = "%Y-%m-%dT%H:%M:%S";

/// Lower bound (unix seconds) before which a series (RRULE or RDATE) has no instance: its start,
/// or an earlier RDATE (RFC 5545 allows one before DTSTART). RDATEs are local times: the zone
/// slack covers any offset. None for a single event.
pub fn series_from(start_at: i64, rrule: Option<&str>, rdates: &[NaiveDateTime]) -> Option<i64> {
    if rrule.is_none() && rdates.is_empty() {
        return None;
    }
    let first_rdate = rdates.iter().map(|r| naive_ts(*r) - ZONE_SLACK).min();
    Some(first_rdate.map_or(start_at, |r| r.min(start_at)))
}

/// Upper bound (unix seconds) after which a series of RDATEs alone (no RRULE) has no instance
/// still running: its last RDATE or its start, whichever is later, plus the slack and the
/// instance's length. None when there are no RDATEs.
pub fn rdates_until(start_at: i64, rdates: &[NaiveDateTime], duration: i64) -> Option<i64> {
    let last = rdates.iter().map(|r| naive_ts(*r) + ZONE_SLACK).max()?;
    Some(last.max(start_at).saturating_add(duration.max(0)))
}

/// Upper bound (unix seconds) after which a recurring series can have no occurrence that
/// starts, or None when it is unbounded (no UNTIL; COUNT is treated as unbounded because its
/// end depends on the expansion). RDATEs extend the bound. `duration` is added so an
/// occurrence that started before the bound but is still running is kept.
pub fn series_until(rrule: &str, rdates: &[NaiveDateTime], duration: i64) -> Option<i64> {
    let mut until: Option<i64> = None;
    for part in rrule.split(';') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case("UNTIL") {
            let v = v.trim();
            let date = v
                .get(0..8)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
            match date {
                // The whole UNTIL day plus slack covers UTC, floating and zoned forms.
                Some(d) => until = Some(date_ts(d) + 86_400 + ZONE_SLACK),
                // An UNTIL we cannot read: do not risk hiding occurrences.
                None => return None,
            }
        }
    }
    let until = until?;
    let last_rdate = rdates.iter().map(|r| naive_ts(*r) + ZONE_SLACK).max();
    let bound = last_rdate.map_or(until, |r| r.max(until));
    Some(bound.saturating_add(duration.max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_unicode_aware() {
        assert_eq!(fold("Müller ÅSA"), "muller asa");
        assert_eq!(fold("ÉCOLE"), "ecole");
    }

    #[test]
    fn like_escapes_wildcards() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(prefix_pattern(" Ann "), "ann%");
    }

    #[test]
    fn series_bounds() {
        assert_eq!(series_until("FREQ=WEEKLY;BYDAY=MO", &[], 3600), None);
        assert_eq!(series_until("FREQ=DAILY;COUNT=3", &[], 3600), None);
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(
            series_until("FREQ=DAILY;UNTIL=20261231T235959Z", &[], 60),
            Some(date_ts(d) + 86_400 + ZONE_SLACK + 60)
        );
        let late = NaiveDate::from_ymd_opt(2027, 3, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            series_until("FREQ=DAILY;UNTIL=20261231", &[late], 0),
            Some(naive_ts(late) + ZONE_SLACK)
        );
        assert_eq!(series_until("FREQ=DAILY;UNTIL=garbage", &[], 0), None);
    }
}
