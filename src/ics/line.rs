//! RFC 5545 content lines: writing (CRLF, folding at 75 octets, TEXT escaping, parameter
//! quoting) and reading (unfolding with line numbers, splitting name/parameters/value,
//! unescaping). No calendar semantics here.

/// Builds a calendar text: one content line at a time, folded and CRLF-terminated.
#[derive(Debug, Default)]
pub struct LineWriter {
    out: String,
}

/// Longest physical line, in octets, without the CRLF.
pub const FOLD_AT: usize = 75;

impl LineWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Write one unfolded content line (no CR/LF inside), folding it at 75 octets without ever
    /// splitting a UTF-8 character.
    pub fn raw(&mut self, line: &str) {
        // A content line never holds a line break; be defensive about stray ones.
        let line: String = line.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        let mut used = 0usize;
        let mut limit = FOLD_AT;
        for ch in line.chars() {
            let n = ch.len_utf8();
            if used + n > limit {
                self.out.push_str("\r\n ");
                used = 0;
                limit = FOLD_AT - 1;
            }
            self.out.push(ch);
            used += n;
        }
        self.out.push_str("\r\n");
    }

    /// `NAME;P1=v1;P2=v2:value` with parameter values quoted when needed; `value` is written
    /// as given (escape TEXT first with [`escape_text`]).
    pub fn prop(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut s = String::with_capacity(name.len() + value.len() + 16);
        s.push_str(name);
        for (k, v) in params {
            s.push(';');
            s.push_str(k);
            s.push('=');
            s.push_str(&param_value(v));
        }
        s.push(':');
        s.push_str(value);
        self.raw(&s);
    }

    /// A TEXT property: the value is escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.prop(name, &[], &escape_text(value));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escape a TEXT value: `\` `;` `,` and newlines (`\r\n` and bare `\r` count as newlines).
pub fn escape_text(s: &str) -> String {
    let norm = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(norm.len() + 8);
    for ch in norm.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {} // not representable; dropped
            c => out.push(c),
        }
    }
    out
}

/// Undo [`escape_text`]; unknown escapes keep the escaped character.
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Split a multi-valued TEXT value (CATEGORIES) on unescaped commas, unescaping each part.
pub fn split_text_list(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push('\\');
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            parts.push(unescape_text(&cur));
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    if escaped {
        cur.push('\\');
    }
    parts.push(unescape_text(&cur));
    parts
}

/// A parameter value, double-quoted when it holds `:` `;` `,`. `^`, `"` and newlines are
/// written with RFC 6868 caret escapes (`^^`, `^'`, `^n`); other control characters are dropped.
pub fn param_value(v: &str) -> String {
    let mut clean = String::with_capacity(v.len());
    for c in v.replace("\r\n", "\n").replace('\r', "\n").chars() {
        match c {
            '^' => clean.push_str("^^"),
            '"' => clean.push_str("^'"),
            '\n' => clean.push_str("^n"),
            c if c.is_control() => {}
            c => clean.push(c),
        }
    }
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Undo RFC 6868 caret escapes in a parameter value.
pub fn unescape_param(v: &str) -> String {
    if !v.contains('^') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars().peekable();
    while let Some(c) = it.next() {
        if c == '^' {
            match it.peek() {
                Some('^') => {
                    out.push('^');
                    it.next();
                }
                Some('\'') => {
                    out.push('"');
                    it.next();
                }
                Some('n') | Some('N') => {
                    out.push('\n');
                    it.next();
                }
                _ => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One content line as read: name upper-cased, parameters, raw value (still escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    /// 1-based physical line where it starts.
    pub line: usize,
    pub name: String,
    /// (NAME upper-cased, values unquoted).
    pub params: Vec<(String, Vec<String>)>,
    pub value: String,
    /// The unfolded line as it was in the file.
    pub raw: String,
    /// Parameters that break RFC 5545's grammar (`param-name` is letters, digits and `-`; a
    /// `param-value` holds no control character, and no `"` unless quoted), with why. They are
    /// still in `params` (read leniently); what we write back leaves them out.
    pub bad_params: Vec<(String, String)>,
}

impl Prop {
    /// First value of a parameter (case-insensitive name).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first().map(String::as_str))
    }
}

/// Unfold physical lines into logical ones with the line number each starts on. Accepts CRLF,
/// LF-only and CR-less files, skips blank lines.
pub fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, phys) in text.split('\n').enumerate() {
        let phys = phys.strip_suffix('\r').unwrap_or(phys);
        if let Some(rest) = phys.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.1.push_str(rest);
            continue;
        }
        if phys.trim().is_empty() {
            continue;
        }
        out.push((i + 1, phys.to_string()));
    }
    out
}

/// Parse `NAME;P=V;P="a:b":value`. Errors say what is wrong with the line.
pub fn parse_line(line_no: usize, raw: &str) -> Result<Prop, String> {
    let bytes = raw.as_bytes();
    let name_end = raw
        .find([';', ':'])
        .ok_or_else(|| "no ':' in the line".to_string())?;
    let name = raw[..name_end].trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!("bad property name '{}'", shorten(name)));
    }
    let mut params = Vec::new();
    let mut bad_params: Vec<(String, String)> = Vec::new();
    let mut i = name_end;
    // i points at ';' (another parameter) or ':' (the value)
    loop {
        match bytes.get(i) {
            Some(b':') => {
                return Ok(Prop {
                    line: line_no,
                    name: name.to_ascii_uppercase(),
                    params,
                    value: raw[i + 1..].to_string(),
                    raw: raw.to_string(),
                    bad_params,
                });
            }
            Some(b';') => {
                i += 1;
                let eq = raw[i..]
                    .find('=')
                    .map(|p| p + i)
                    .ok_or_else(|| "parameter without '='".to_string())?;
                let pname = raw[i..eq].trim().to_ascii_uppercase();
                if pname.is_empty() || pname.contains([':', ';', '"']) {
                    return Err(format!("bad parameter name '{}'", shorten(&pname)));
                }
                if !is_param_name(&pname) {
                    bad_params.push((
                        pname.clone(),
                        format!("parameter name '{}' is not valid", shorten(&pname)),
                    ));
                }
                i = eq + 1;
                let mut values = Vec::new();
                loop {
                    let text = if bytes.get(i) == Some(&b'"') {
                        let close = raw[i + 1..]
                            .find('"')
                            .map(|p| p + i + 1)
                            .ok_or_else(|| format!("unclosed quote in parameter {pname}"))?;
                        let t = &raw[i + 1..close];
                        i = close + 1;
                        t
                    } else {
                        let end = raw[i..]
                            .find([',', ';', ':'])
                            .map(|p| p + i)
                            .ok_or_else(|| "no ':' before the value".to_string())?;
                        let t = &raw[i..end];
                        i = end;
                        if t.contains('"') {
                            bad_params.push((
                                pname.clone(),
                                format!("parameter {} has a '\"' outside quotes", shorten(&pname)),
                            ));
                        }
                        t
                    };
                    if t_has_control(text) {
                        bad_params.push((
                            pname.clone(),
                            format!("parameter {} holds a control character", shorten(&pname)),
                        ));
                    }
                    values.push(unescape_param(text));
                    if bytes.get(i) == Some(&b',') {
                        i += 1;
                        continue;
                    }
                    break;
                }
                params.push((pname, values));
            }
            _ => return Err("no ':' before the value".to_string()),
        }
    }
}

/// RFC 5545 `param-name`: `iana-token` or `x-name`, both letters, digits and `-`.
fn is_param_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A CONTROL character as RFC 5545 defines it (any but HTAB).
fn t_has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\t')
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_on_char_boundaries() {
        let mut w = LineWriter::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        w.raw(&long);
        let out = w.finish();
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let back = unfold(&out);
        assert_eq!(back, vec![(1, long)]);
    }

    #[test]
    fn fold_exactly_75_is_not_folded() {
        let mut w = LineWriter::new();
        let s = "X".repeat(75);
        w.raw(&s);
        assert_eq!(w.finish(), format!("{s}\r\n"));
        let mut w = LineWriter::new();
        w.raw(&"X".repeat(76));
        assert_eq!(w.finish(), format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn text_escaping_round_trips() {
        let s = "a\\b;c,d\r\ne\rf\ng\tz";
        let e = escape_text(s);
        assert_eq!(e, "a\\\\b\\;c\\,d\\ne\\nf\\ng\tz");
        assert_eq!(unescape_text(&e), "a\\b;c,d\ne\nf\ng\tz");
        assert_eq!(unescape_text("x\\Ny\\:"), "x\ny:");
    }

    #[test]
    fn params_quoted_when_needed() {
        assert_eq!(param_value("Berg, Anna"), "\"Berg, Anna\"");
        assert_eq!(param_value("Anna Berg"), "Anna Berg");
        assert_eq!(param_value("a\"b:c^"), "\"a^'b:c^^\"");
        let p = parse_line(1, &format!("ATTENDEE;CN={}:x", param_value("A \"B\"^, C"))).unwrap();
        assert_eq!(p.param("CN"), Some("A \"B\"^, C"));
    }

    #[test]
    fn parses_params_and_quoted_values() {
        let p = parse_line(
            3,
            "ATTENDEE;CN=\"Berg, Anna: CEO\";ROLE=REQ-PARTICIPANT:mailto:a@b.se",
        )
        .unwrap();
        assert_eq!(p.name, "ATTENDEE");
        assert_eq!(p.param("cn"), Some("Berg, Anna: CEO"));
        assert_eq!(p.param("ROLE"), Some("REQ-PARTICIPANT"));
        assert_eq!(p.value, "mailto:a@b.se");
        let p = parse_line(1, "dtstart;tzid=Europe/Stockholm:20261201T090000").unwrap();
        assert_eq!(p.name, "DTSTART");
        assert_eq!(p.param("TZID"), Some("Europe/Stockholm"));
        let p = parse_line(1, "CATEGORIES;X=a,b:x").unwrap();
        assert_eq!(p.params[0].1, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn parameters_off_the_grammar_are_named() {
        let p = parse_line(1, "SUMMARY;LANGU$GE=sv;LANGUAGE=de:Hello").unwrap();
        assert_eq!(p.value, "Hello");
        assert_eq!(p.bad_params.len(), 1);
        assert_eq!(p.bad_params[0].0, "LANGU$GE");
        let p = parse_line(1, "LOCATION;X-A=a\"b:Room").unwrap();
        assert_eq!(p.bad_params[0].0, "X-A");
        let p = parse_line(1, "X-B;X-C=\"a\u{7}b\":v").unwrap();
        assert_eq!(p.bad_params[0].0, "X-C");
        for good in [
            "ATTENDEE;CN=\"Berg, Anna\";X-SECRETAIRE-CONTACT-ID=4:mailto:a@b.se",
            "SUMMARY;LANGUAGE=sv;ALTREP=\"cid:x\":Hej",
            "X-A;X-B=a^'b:v",
        ] {
            assert!(parse_line(1, good).unwrap().bad_params.is_empty(), "{good}");
        }
    }

    #[test]
    fn bad_lines_are_errors() {
        assert!(parse_line(1, "NOCOLON").is_err());
        assert!(parse_line(1, ":value").is_err());
        assert!(parse_line(1, "X;P=\"open:value").is_err());
        assert!(parse_line(1, "X;P:v").is_err());
        assert!(parse_line(1, "BAD NAME:v").is_err());
    }

    #[test]
    fn unfold_handles_lf_tabs_blank_lines() {
        let t = "A:1\n\nB:2\n\tcont\r\n C\r\n";
        assert_eq!(
            unfold(t),
            vec![(1, "A:1".to_string()), (3, "B:2contC".to_string())]
        );
    }

    #[test]
    fn list_split_honours_escapes() {
        assert_eq!(split_text_list("a\\,b,c"), vec!["a,b", "c"]);
    }
}
