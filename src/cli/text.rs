//! Human output: stored text made safe for a terminal, aligned tables, date formatting.
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Characters that reorder or hide text (bidi overrides, zero-width joiners used for spoofing).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// One line, safe to print: every control character (ESC, BEL, CR, newline, tab, C1) and every
/// bidi override becomes a visible escape such as `\u{1b}`, so stored text can never send an
/// escape sequence to the terminal. Newlines and tabs become spaces (a table cell is one line).
pub fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_invisible_format(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Human output of a command that prints text read from files or the store (titles, UIDs,
/// import errors): every control character but newline and tab is escaped as [`line`] does,
/// so a UID holding ESC or BEL cannot drive the terminal. JSON passes unchanged (serde_json
/// already escapes control characters). Expects whole `str`s per write, as `write!` gives.
pub struct Safe<'a>(pub &'a mut dyn std::io::Write);

impl std::io::Write for Safe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let s = String::from_utf8_lossy(buf);
        let clean = s
            .split('\n')
            .map(|l| l.split('\t').map(line).collect::<Vec<_>>().join("\t"))
            .collect::<Vec<_>>()
            .join("\n");
        self.0.write_all(clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Multi-line text (notes, addresses): keeps newlines, escapes every other control character.
pub fn block(s: &str) -> String {
    s.split('\n').map(line).collect::<Vec<_>>().join("\n")
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut to at most `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

fn pad(s: &str, to: usize, right: bool) -> String {
    let fill = " ".repeat(to.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A plain aligned table: a header row, then rows; every cell is passed through [`line`] and
/// cut to `max_width` columns.
pub struct Table {
    headers: Vec<&'static str>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
    max_width: usize,
    header: bool,
    indent: usize,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            right: vec![false; headers.len()],
            rows: Vec::new(),
            max_width: 48,
            header: true,
            indent: 0,
        }
    }
    /// Right-align column `i` (amounts, ids).
    pub fn right(mut self, i: usize) -> Table {
        if let Some(r) = self.right.get_mut(i) {
            *r = true;
        }
        self
    }
    /// No header row; every line indented by `indent` spaces.
    pub fn bare(mut self, indent: usize) -> Table {
        self.header = false;
        self.indent = indent;
        self
    }
    /// Cells cut at this many columns (default 48).
    pub fn max_width(mut self, w: usize) -> Table {
        self.max_width = w;
        self
    }
    pub fn row(&mut self, cells: Vec<String>) {
        let cells = cells
            .iter()
            .map(|c| truncate(&line(c), self.max_width))
            .collect();
        self.rows.push(cells);
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    pub fn render(&self) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = if self.header {
            self.headers.iter().map(|h| width(h)).collect()
        } else {
            vec![0; n]
        };
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(width(c));
            }
        }
        let mut out = String::new();
        let mut emit = |cells: &[String]| {
            let mut l = " ".repeat(self.indent);
            for (i, w) in widths.iter().enumerate() {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                if i > 0 {
                    l.push_str("  ");
                }
                l.push_str(&pad(c, *w, self.right[i]));
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        if self.header {
            let head: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
            emit(&head);
        }
        for r in &self.rows {
            emit(r);
        }
        out
    }
}

/// Key/value lines for `show`, keys padded to one column; multi-line values indented.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let kw = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (k, v) in pairs {
        if v.is_empty() {
            continue;
        }
        let v = block(v);
        let indent = " ".repeat(kw + 2);
        let v = v.replace('\n', &format!("\n{indent}"));
        out.push_str(&format!("{}  {}\n", pad(k, kw, false), v));
    }
    out
}

/// `Mon 23 Nov 2026`
/// How an event repeats, for a person: its rule described with the rule itself ("every week
/// on Mon (FREQ=WEEKLY;BYDAY=MO)"), the extra dates it has (RDATE) counted, and for an event
/// with dates but no rule, how many dates it falls on ("on 3 dates"), its start included,
/// skipped ones (EXDATE) not. Empty for a single event.
pub fn repeats(e: &crate::domain::Event) -> String {
    use crate::domain::recurrence::{describe, local_start};
    let start = local_start(e);
    let extra: std::collections::BTreeSet<_> = e.rdates.iter().filter(|r| **r != start).collect();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match e.rrule.as_deref() {
        Some(rule) if extra.is_empty() => format!("{} ({rule})", describe(rule)),
        Some(rule) => format!(
            "{} ({rule}), and on {} more date{}",
            describe(rule),
            extra.len(),
            plural(extra.len())
        ),
        None if extra.is_empty() => String::new(),
        None => {
            let n = std::iter::once(&start)
                .chain(extra)
                .filter(|d| !e.exdates.contains(d))
                .count();
            format!("on {n} date{}", plural(n))
        }
    }
}

pub fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// `2026-11-23 10:00` in `tz`.
pub fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// `10:00`
pub fn hm(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

/// `10:00 CET Europe/Stockholm`
pub fn hm_zone(t: DateTime<Utc>, tz: Tz) -> String {
    let l = t.with_timezone(&tz);
    format!("{} {} {}", l.format("%H:%M"), l.format("%Z"), tz.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_and_bidi() {
        assert_eq!(line("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(line("x\u{7}\r"), "x\\u{7}\\u{d}");
        assert_eq!(line("tab\tnl\n"), "tab nl ");
        assert_eq!(line("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert_eq!(line("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(block("l1\nl2\u{1b}"), "l1\nl2\\u{1b}");
        assert_eq!(line("Müller 東京"), "Müller 東京");
    }

    #[test]
    fn truncates_by_columns() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("東京東京", 5), "東京…");
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn table_aligns_wide_characters() {
        let mut t = Table::new(&["ID", "NAME", "AMOUNT"]).right(2);
        t.row(vec!["1".into(), "東京".into(), "5.00".into()]);
        t.row(vec!["22".into(), "Anna".into(), "1 249.00".into()]);
        let r = t.render();
        let lines: Vec<&str> = r.lines().collect();
        assert_eq!(lines[0], "ID  NAME    AMOUNT");
        assert_eq!(lines[1], "1   東京      5.00");
        assert_eq!(lines[2], "22  Anna  1 249.00");
    }

    #[test]
    fn fields_indent_multiline() {
        let f = fields(&[
            ("name", "Anna".into()),
            ("address", "Gatan 1\nStockholm".into()),
            ("x", String::new()),
        ]);
        assert_eq!(f, "name     Anna\naddress  Gatan 1\n         Stockholm\n");
    }
}
