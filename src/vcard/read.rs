//! vCard 2.1, 3.0 and 4.0 text to contacts. Lenient about what real producers write (LF line
//! ends, folded lines with tabs, quoted-printable, Windows-1252, a BOM, bare 2.1 parameters,
//! Apple `itemN.X-ABLabel` labels), strict about what we keep (every contact validates).
use super::text::{decode_bytes, decode_qp, split_unescaped, unescape};
use super::{CardError, ImportReport, VcardError};
use crate::domain::event::looks_like_email;
use crate::domain::{Birthday, Contact, Labeled};
use chrono::NaiveDate;

/// One content line, parsed.
#[derive(Debug, Clone)]
struct Prop {
    line: usize,
    group: Option<String>,
    /// Upper-case.
    name: String,
    /// (upper-case key, values)
    params: Vec<(String, Vec<String>)>,
    /// Decoded (quoted-printable, charset), still escaped.
    value: String,
}

impl Prop {
    fn param(&self, key: &str) -> impl Iterator<Item = &String> {
        self.params
            .iter()
            .filter(move |(k, _)| k == key)
            .flat_map(|(_, v)| v.iter())
    }
    fn types(&self) -> Vec<String> {
        self.param("TYPE")
            .flat_map(|t| t.split(','))
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect()
    }
    fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// Bare 2.1 parameters (`TEL;WORK;VOICE:`) and what they mean.
fn bare_param(p: &str) -> (String, String) {
    let up = p.to_ascii_uppercase();
    match up.as_str() {
        "QUOTED-PRINTABLE" | "BASE64" | "8BIT" | "7BIT" | "B" => ("ENCODING".into(), up),
        _ => ("TYPE".into(), p.to_string()),
    }
}

fn valid_name(n: &str) -> bool {
    !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Split `[group.]NAME;P=V;P="a,b":value`.
fn parse_line(s: &str, line: usize) -> Result<Prop, String> {
    // the first ':' outside double quotes ends the name and parameters
    let mut in_q = false;
    let mut colon = None;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_q = !in_q,
            ':' if !in_q => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let shown: String = s.chars().take(40).collect();
    let Some(colon) = colon else {
        return Err(format!("line {line}: '{shown}' is not a property (no ':')"));
    };
    let head = &s[..colon];
    let value = &s[colon + 1..];
    // split the head on ';' outside quotes
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    in_q = false;
    for (i, c) in head.char_indices() {
        match c {
            '"' => in_q = !in_q,
            ';' if !in_q => {
                parts.push(&head[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&head[start..]);
    let full = parts[0].trim();
    let (group, name) = match full.rsplit_once('.') {
        Some((g, n)) => (Some(g.to_string()), n),
        None => (None, full),
    };
    if !valid_name(name) || group.as_deref().is_some_and(|g| !valid_name(g)) {
        return Err(format!(
            "line {line}: '{}' is not a property name",
            full.chars().take(40).collect::<String>()
        ));
    }
    let mut params = Vec::new();
    for p in &parts[1..] {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let (k, vals) = match p.split_once('=') {
            Some((k, v)) => {
                let mut vals = Vec::new();
                let mut cur = String::new();
                let mut q = false;
                for c in v.chars() {
                    match c {
                        '"' => q = !q,
                        ',' if !q => vals.push(std::mem::take(&mut cur)),
                        c => cur.push(c),
                    }
                }
                vals.push(cur);
                (k.trim().to_ascii_uppercase(), vals)
            }
            None => {
                let (k, v) = bare_param(p);
                (k, vec![v])
            }
        };
        params.push((k, vals));
    }
    let mut prop = Prop {
        line,
        group: group.map(|g| g.to_ascii_lowercase()),
        name: name.to_ascii_uppercase(),
        params,
        value: String::new(),
    };
    let qp = prop
        .param("ENCODING")
        .any(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"));
    let charset = prop.param("CHARSET").next().cloned();
    prop.value = if qp {
        decode_bytes(&decode_qp(value), charset.as_deref())
    } else {
        value.to_string()
    };
    Ok(prop)
}

/// Logical lines: (first physical line number, text) with folding and QP soft breaks joined.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let norm = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in norm.split('\n').enumerate() {
        let n = i + 1;
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.1.push_str(rest);
            continue;
        }
        if let Some(last) = out.last_mut()
            && is_qp_line(&last.1)
            && last.1.ends_with('=')
        {
            last.1.pop();
            last.1.push_str(raw.trim_start());
            continue;
        }
        out.push((n, raw.to_string()));
    }
    out.retain(|(_, l)| !l.trim().is_empty());
    out
}

fn is_qp_line(l: &str) -> bool {
    match l.find(':') {
        Some(i) => l[..i].to_ascii_uppercase().contains("QUOTED-PRINTABLE"),
        None => false,
    }
}

fn is_begin(l: &str) -> bool {
    l.trim().eq_ignore_ascii_case("BEGIN:VCARD")
}
fn is_end(l: &str) -> bool {
    l.trim().eq_ignore_ascii_case("END:VCARD")
}

/// Read vCard text. Refuses text that is not vCard; otherwise reports each card that could
/// not be read (line and UID) and goes on with the rest.
pub fn import(text: &str) -> Result<ImportReport, VcardError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = logical_lines(text);
    let Some((first_line, first)) = lines.first() else {
        return Err(VcardError::Empty);
    };
    if !is_begin(first) {
        let shown: String = first.trim().chars().take(40).collect();
        let shown: String = shown.chars().filter(|c| !c.is_control()).collect();
        if first.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR") {
            return Err(VcardError::NotVcard {
                line: *first_line,
                found: "BEGIN:VCALENDAR (an iCalendar file: import it with `import ics`)".into(),
            });
        }
        return Err(VcardError::NotVcard {
            line: *first_line,
            found: shown,
        });
    }
    let mut report = ImportReport::default();
    let mut i = 0;
    while i < lines.len() {
        let (n, l) = &lines[i];
        if !is_begin(l) {
            let shown: String = l.trim().chars().take(40).collect();
            report.errors.push(CardError {
                line: *n,
                uid: None,
                message: format!("text outside a vCard ignored: '{shown}'"),
            });
            // skip to the next BEGIN
            i += 1;
            while i < lines.len() && !is_begin(&lines[i].1) {
                i += 1;
            }
            continue;
        }
        let begin = *n;
        let mut body: Vec<&(usize, String)> = Vec::new();
        i += 1;
        let mut ended = false;
        while i < lines.len() {
            let l = &lines[i].1;
            if is_end(l) {
                ended = true;
                i += 1;
                break;
            }
            if is_begin(l) {
                break;
            }
            body.push(&lines[i]);
            i += 1;
        }
        report.cards += 1;
        let props: Vec<Result<Prop, String>> =
            body.iter().map(|(n, l)| parse_line(l, *n)).collect();
        let uid = props.iter().find_map(|p| match p {
            Ok(p) if p.name == "UID" && !p.value.trim().is_empty() => {
                Some(p.text().trim().to_string())
            }
            _ => None,
        });
        let fail = |report: &mut ImportReport, message: String| {
            report.errors.push(CardError {
                line: begin,
                uid: uid.clone(),
                message,
            });
        };
        if !ended {
            fail(
                &mut report,
                "no END:VCARD: the card is cut off and was not imported".into(),
            );
            continue;
        }
        if let Some(Err(e)) = props.iter().find(|p| p.is_err()) {
            fail(&mut report, e.clone());
            continue;
        }
        let props: Vec<Prop> = props.into_iter().flatten().collect();
        match card_to_contact(&props) {
            Ok((c, warnings)) => {
                for w in warnings {
                    report.warnings.push(CardError {
                        line: begin,
                        uid: uid.clone(),
                        message: w,
                    });
                }
                report.contacts.push(c);
                report.lines.push(begin);
            }
            Err(e) => fail(&mut report, e),
        }
    }
    Ok(report)
}

/// Read a file's bytes: UTF-8, else Windows-1252.
pub fn import_bytes(bytes: &[u8]) -> Result<ImportReport, VcardError> {
    import(&decode_bytes(bytes, None))
}

/// Single-line fields: whitespace runs become one space; other control characters go.
fn one_line(s: &str, warnings: &mut Vec<String>, field: &str) -> String {
    let mut dropped = false;
    let cleaned: String = s
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_control() {
                dropped = true;
                None
            } else {
                Some(c)
            }
        })
        .collect();
    if dropped {
        warnings.push(format!("{field}: control characters removed"));
    }
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Multi-line fields keep newlines and tabs; other control characters go.
fn multi_line(s: &str, warnings: &mut Vec<String>, field: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut dropped = false;
    let cleaned: String = s
        .chars()
        .filter(|&c| {
            let bad = c.is_control() && c != '\n' && c != '\t';
            dropped |= bad;
            !bad
        })
        .collect();
    if dropped {
        warnings.push(format!("{field}: control characters removed"));
    }
    cleaned
}

/// A label from Apple's X-ABLabel (`_$!<Mobile>!$_` -> "mobile") or the TYPE values.
fn label_of(p: &Prop, ab_labels: &[(String, String)], phone: bool) -> String {
    if let Some(g) = &p.group
        && let Some((_, l)) = ab_labels.iter().find(|(gg, _)| gg == g)
    {
        let l = l.trim();
        if let Some(inner) = l.strip_prefix("_$!<").and_then(|r| r.strip_suffix(">!$_")) {
            return inner.to_lowercase();
        }
        return l.to_string();
    }
    let types = p.types();
    let skip = |t: &str| {
        matches!(
            t,
            "pref" | "internet" | "x400" | "x-internet" | "msg" | "x-pref"
        )
    };
    let mut out: Vec<String> = Vec::new();
    let voice_alone = types.iter().filter(|t| !skip(t)).all(|t| t == "voice");
    for t in &types {
        if skip(t) || (t == "voice" && !voice_alone) {
            continue;
        }
        let t = match t.as_str() {
            "cell" | "mobile" if phone => "mobile".to_string(),
            other => other.to_string(),
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out.join(" ")
}

/// `19800415`, `1980-04-15`, `--0415`, `--04-15`, `1604-04-15` with X-APPLE-OMIT-YEAR, a
/// trailing time (`T000000Z`) is ignored.
fn parse_bday(p: &Prop) -> Option<Birthday> {
    let v = p.text();
    let v = v.trim();
    let date = v.split(['T', 't']).next().unwrap_or(v);
    let omit: Option<i32> = p
        .param("X-APPLE-OMIT-YEAR")
        .next()
        .and_then(|y| y.trim().parse().ok());
    let digits: String = date.chars().filter(|c| *c != '-').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let b = if let Some(md) = date.strip_prefix("--") {
        let md: String = md.chars().filter(|c| *c != '-').collect();
        if md.len() != 4 {
            return None;
        }
        Birthday {
            year: None,
            month: md[..2].parse().ok()?,
            day: md[2..].parse().ok()?,
        }
    } else {
        if digits.len() != 8 {
            return None;
        }
        let year: i32 = digits[..4].parse().ok()?;
        Birthday {
            year: if omit == Some(year) { None } else { Some(year) },
            month: digits[4..6].parse().ok()?,
            day: digits[6..].parse().ok()?,
        }
    };
    b.is_valid().then_some(b)
}

/// Join ADR components into lines: street, "code locality", region, country.
fn address_text(p: &Prop) -> String {
    let comps: Vec<String> = split_unescaped(&p.value, ';')
        .into_iter()
        .map(|c| {
            split_unescaped(c, ',')
                .into_iter()
                .map(|x| unescape(x).trim().to_string())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let get = |i: usize| comps.get(i).cloned().unwrap_or_default();
    let (pobox, ext, street, locality, region, code, country) =
        (get(0), get(1), get(2), get(3), get(4), get(5), get(6));
    let mut lines: Vec<String> = Vec::new();
    for s in [pobox, ext, street] {
        if !s.is_empty() {
            lines.push(s);
        }
    }
    let city = [code, locality]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for s in [city, region, country] {
        if !s.is_empty() {
            lines.push(s);
        }
    }
    lines.join("\n")
}

fn phone_ok(v: &str) -> bool {
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 3
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

fn card_to_contact(props: &[Prop]) -> Result<(Contact, Vec<String>), String> {
    let mut w: Vec<String> = Vec::new();
    let mut c = Contact::default();
    let mut extra_notes: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let ab_labels: Vec<(String, String)> = props
        .iter()
        .filter(|p| p.name == "X-ABLABEL")
        .filter_map(|p| p.group.clone().map(|g| (g, p.text())))
        .collect();
    let mut fn_name = None;
    let mut n_name = None;
    let mut addresses = 0;
    for p in props {
        match p.name.as_str() {
            "FN" if fn_name.is_none() => fn_name = Some(p.text()),
            "N" if n_name.is_none() => {
                let parts: Vec<String> = split_unescaped(&p.value, ';')
                    .into_iter()
                    .map(|x| unescape(x).replace(',', " ").trim().to_string())
                    .collect();
                let get = |i: usize| parts.get(i).cloned().unwrap_or_default();
                // prefix given additional family suffix
                let name = [get(3), get(1), get(2), get(0), get(4)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                n_name = Some(name);
            }
            "UID" if c.uid.is_empty() => c.uid = one_line(&p.text(), &mut w, "uid"),
            "ORG" if c.organization.is_empty() => {
                let org = split_unescaped(&p.value, ';')
                    .into_iter()
                    .map(|x| unescape(x).trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                c.organization = one_line(&org, &mut w, "organization");
            }
            "TITLE" if c.title.is_empty() => c.title = one_line(&p.text(), &mut w, "title"),
            "ROLE" if c.title.is_empty() => c.title = one_line(&p.text(), &mut w, "title"),
            "EMAIL" => {
                let label = one_line(&label_of(p, &ab_labels, false), &mut w, "email label");
                let v = p.text();
                let v = v.trim().trim_start_matches("mailto:").trim();
                if v.is_empty() {
                    continue;
                }
                if looks_like_email(v) {
                    c.emails.push(Labeled::new(label, v));
                } else {
                    w.push(format!(
                        "line {}: '{v}' is not an e-mail address; kept in the notes",
                        p.line
                    ));
                    extra_notes.push(format!("E-mail{}: {v}", paren(&label)));
                }
            }
            "TEL" => {
                let label = one_line(&label_of(p, &ab_labels, true), &mut w, "phone label");
                let v = p.text();
                let v = v.trim().trim_start_matches("tel:").trim();
                if v.is_empty() {
                    continue;
                }
                if phone_ok(v) {
                    c.phones.push(Labeled::new(label, v));
                } else {
                    w.push(format!(
                        "line {}: phone '{v}' has characters we do not store; kept in the notes",
                        p.line
                    ));
                    extra_notes.push(format!("Phone{}: {v}", paren(&label)));
                }
            }
            "ADR" => {
                let text = multi_line(&address_text(p), &mut w, "address");
                if text.is_empty() {
                    continue;
                }
                addresses += 1;
                if addresses == 1 {
                    c.address = text;
                } else {
                    let label = label_of(p, &ab_labels, false);
                    extra_notes.push(format!("Address{}:\n{text}", paren(&label)));
                }
            }
            "NOTE" => {
                let t = multi_line(&p.text(), &mut w, "notes");
                if !t.trim().is_empty() {
                    notes.push(t);
                }
            }
            "CATEGORIES" => {
                for t in split_unescaped(&p.value, ',') {
                    let t = one_line(&unescape(t), &mut w, "tags").to_lowercase();
                    if !t.is_empty() && !c.tags.contains(&t) {
                        c.tags.push(t);
                    }
                }
            }
            "BDAY" => match parse_bday(p) {
                Some(b) => c.birthday = Some(b),
                None => w.push(format!(
                    "line {}: birthday '{}' not understood; left out",
                    p.line,
                    p.value.chars().take(30).collect::<String>()
                )),
            },
            "URL" => {
                let u = one_line(&p.text(), &mut w, "url");
                if !u.is_empty() {
                    extra_notes.push(format!("URL: {u}"));
                }
            }
            "X-SECRETAIRE-LAST-CONTACTED" => {
                match NaiveDate::parse_from_str(p.text().trim(), "%Y-%m-%d") {
                    Ok(d) => c.last_contacted = Some(d),
                    Err(_) => w.push(format!(
                        "line {}: last-contacted date not understood; left out",
                        p.line
                    )),
                }
            }
            _ => {}
        }
    }
    let name = fn_name
        .map(|n| one_line(&n, &mut w, "name"))
        .filter(|n| !n.is_empty())
        .or_else(|| {
            n_name
                .map(|n| one_line(&n, &mut w, "name"))
                .filter(|n| !n.is_empty())
        })
        .or_else(|| (!c.organization.is_empty()).then(|| c.organization.clone()))
        .or_else(|| c.emails.first().map(|e| e.value.clone()));
    let Some(name) = name else {
        return Err("the card has no name (FN, N or ORG)".into());
    };
    c.name = name;
    notes.extend(extra_notes);
    c.notes = notes.join("\n");
    c.validate()
        .map_err(|e| format!("{} (card for '{}')", e, c.name))?;
    Ok((c, w))
}

fn paren(label: &str) -> String {
    if label.is_empty() {
        String::new()
    } else {
        format!(" ({label})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_parsing() {
        let p = parse_line("item1.EMAIL;TYPE=INTERNET,WORK;type=pref:a@b.se", 3).unwrap();
        assert_eq!(p.group.as_deref(), Some("item1"));
        assert_eq!(p.name, "EMAIL");
        assert_eq!(p.types(), vec!["internet", "work", "pref"]);
        assert_eq!(p.value, "a@b.se");
        let p = parse_line("TEL;WORK;VOICE:+46 8 123", 1).unwrap();
        assert_eq!(p.types(), vec!["work", "voice"]);
        let p = parse_line("X-X;LABEL=\"a:b;c\":v:w", 1).unwrap();
        assert_eq!(p.param("LABEL").next().unwrap(), "a:b;c");
        assert_eq!(p.value, "v:w");
        let p = parse_line(
            "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCller",
            1,
        )
        .unwrap();
        assert_eq!(p.value, "Müller");
        assert!(
            parse_line("no colon here", 7)
                .unwrap_err()
                .contains("line 7")
        );
        assert!(parse_line("BAD NAME:x", 2).is_err());
    }

    #[test]
    fn birthdays() {
        let b = |s: &str| parse_bday(&parse_line(s, 1).unwrap());
        let full = Some(Birthday {
            year: Some(1980),
            month: 4,
            day: 15,
        });
        let no_year = Some(Birthday {
            year: None,
            month: 4,
            day: 15,
        });
        assert_eq!(b("BDAY:19800415"), full);
        assert_eq!(b("BDAY:1980-04-15"), full);
        assert_eq!(b("BDAY;VALUE=date:1980-04-15T00:00:00Z"), full);
        assert_eq!(b("BDAY:--0415"), no_year);
        assert_eq!(b("BDAY:--04-15"), no_year);
        assert_eq!(b("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15"), no_year);
        assert_eq!(b("BDAY:2023-02-29"), None);
        assert_eq!(b("BDAY:--0229").map(|x| x.day), Some(29));
        assert_eq!(b("BDAY:yesterday"), None);
        assert_eq!(b("BDAY:--ääää"), None);
    }

    #[test]
    fn folded_and_qp_lines_are_joined() {
        let l = logical_lines("A:1\r\n 2\r\n\t3\nNOTE;QUOTED-PRINTABLE:a=\nb\n\nB:x");
        assert_eq!(
            l,
            vec![
                (1, "A:123".to_string()),
                (4, "NOTE;QUOTED-PRINTABLE:ab".to_string()),
                (7, "B:x".to_string())
            ]
        );
    }

    #[test]
    fn addresses_become_lines() {
        let p = parse_line("ADR;TYPE=work:;;Storgatan 1;Stockholm;;111 22;Sweden", 1).unwrap();
        assert_eq!(address_text(&p), "Storgatan 1\n111 22 Stockholm\nSweden");
        let p = parse_line("ADR:;;Line 1\\nLine 2\\, c/o X;;;;", 1).unwrap();
        assert_eq!(address_text(&p), "Line 1\nLine 2, c/o X");
    }
}
