//! Content-line mechanics shared by reading and writing: escaping, folding, parameters.

/// Escape a TEXT value: `\` `;` `,` and newlines (CR LF, CR and LF all become `\n`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Undo [`escape`] (lenient: `\N` is a newline, `\:` a colon, an unknown escape keeps the
/// character, a trailing backslash stays).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// Split on an unescaped separator, keeping the escapes (unescape each part afterwards).
pub fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Fold one content line at 75 octets (never inside a UTF-8 character) and end it with CRLF.
pub fn fold_into(out: &mut String, line: &str) {
    const MAX: usize = 75;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// A parameter value, double-quoted when it holds `:` `;` `,` (a `"` cannot be written and
/// becomes `'`; control characters are dropped).
pub fn param_value(v: &str) -> String {
    let clean: String = v
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Decode quoted-printable (`=C3=A9`, soft line breaks already joined) into bytes.
pub fn decode_qp(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    while i < b.len() {
        if b[i] == b'=' {
            if let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            ) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
            // "=" at the end of a line is a soft break; a stray "=" is kept
            if i + 1 == b.len() {
                break;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Bytes as text: UTF-8 when valid, else Windows-1252 (what Outlook writes for "ANSI").
pub fn decode_bytes(b: &[u8], charset: Option<&str>) -> String {
    let latin = charset.is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("8859") || c.contains("1252") || c == "latin1" || c == "ascii"
    });
    if !latin && let Ok(s) = std::str::from_utf8(b) {
        return s.to_string();
    }
    b.iter().map(|&c| cp1252(c)).collect()
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        let s = "a\\b;c,d\ne\r\nf\rg";
        assert_eq!(escape(s), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(unescape(&escape(s)), "a\\b;c,d\ne\nf\ng");
        assert_eq!(unescape("x\\Ny\\:z\\"), "x\ny:z\\");
    }

    #[test]
    fn split_respects_escapes() {
        assert_eq!(
            split_unescaped("a\\;b;c;;", ';'),
            vec!["a\\;b", "c", "", ""]
        );
        assert_eq!(split_unescaped("p\\,q,r", ','), vec!["p\\,q", "r"]);
        assert_eq!(split_unescaped("", ','), vec![""]);
    }

    #[test]
    fn folding_keeps_utf8_whole_and_lines_short() {
        let line = format!("NOTE:{}", "åäö€🎉x".repeat(40));
        let mut out = String::new();
        fold_into(&mut out, &line);
        assert!(out.ends_with("\r\n"));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn qp_and_charsets() {
        assert_eq!(decode_qp("M=C3=BCller=20AB="), "Müller AB".as_bytes());
        assert_eq!(decode_qp("a=zz=4"), b"a=zz=4");
        assert_eq!(decode_bytes(&[0x4d, 0xfc, 0x6c], None), "Mül");
        assert_eq!(decode_bytes(&[0x80], Some("windows-1252")), "€");
        assert_eq!(decode_bytes("ü".as_bytes(), Some("UTF-8")), "ü");
    }

    #[test]
    fn params_are_quoted_when_needed() {
        assert_eq!(param_value("work"), "work");
        assert_eq!(param_value("Berg, Anna"), "\"Berg, Anna\"");
        assert_eq!(param_value("a\"b\u{7}"), "a'b");
    }
}
