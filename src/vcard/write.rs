//! Contacts to vCard 4.0 (RFC 6350) or 3.0 (RFC 2426) text.
use super::Version;
use super::text::{escape, fold_into};
use crate::domain::{Birthday, Contact, Labeled};
use chrono::{DateTime, Utc};

pub const PRODID: &str = "-//secretaire//secretaire vCard export//EN";

/// Labels written as TYPE values as they are (all other labels go in an Apple-style
/// `itemN.X-ABLabel`, which Apple, Google and Outlook read, so any label survives).
const TYPE_LABELS: &[&str] = &[
    "work",
    "home",
    "fax",
    "pager",
    "video",
    "text",
    "textphone",
    "main",
    "iphone",
    "other",
];

/// The TYPE values for a label, or None when it needs an X-ABLabel.
fn label_types(label: &str, phone: bool) -> Option<Vec<String>> {
    let words: Vec<&str> = label.split(' ').collect();
    let mut out = Vec::new();
    for w in words {
        if out
            .iter()
            .any(|o: &String| o == w || (w == "mobile" && o == "cell"))
        {
            return None; // "fax fax" would come back as "fax"
        }
        match w {
            "mobile" if phone => out.push("cell".to_string()),
            w if TYPE_LABELS.contains(&w) => out.push(w.to_string()),
            _ => return None,
        }
    }
    Some(out)
}

fn family_split(name: &str) -> (String, String, String) {
    const PARTICLES: &[&str] = &[
        "von", "van", "de", "af", "der", "den", "la", "le", "di", "da", "du",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.len() {
        0 => (String::new(), String::new(), String::new()),
        1 => (String::new(), words[0].to_string(), String::new()),
        n => {
            let mut start = n - 1;
            while start > 1 && PARTICLES.contains(&words[start - 1].to_lowercase().as_str()) {
                start -= 1;
            }
            (
                words[start..].join(" "),
                words[0].to_string(),
                words[1..start].join(" "),
            )
        }
    }
}

fn bday(b: &Birthday, v: Version) -> String {
    match (b.year, v) {
        (Some(y), Version::V4) => format!("BDAY:{y:04}{:02}{:02}", b.month, b.day),
        (None, Version::V4) => format!("BDAY:--{:02}{:02}", b.month, b.day),
        (Some(y), Version::V3) => format!("BDAY:{y:04}-{:02}-{:02}", b.month, b.day),
        // Apple's way: a placeholder leap year and a marker that the year is not known
        (None, Version::V3) => format!(
            "BDAY;X-APPLE-OMIT-YEAR=1604:1604-{:02}-{:02}",
            b.month, b.day
        ),
    }
}

struct Card<'a> {
    out: &'a mut String,
    item: u32,
    v: Version,
}

impl Card<'_> {
    fn line(&mut self, l: &str) {
        fold_into(self.out, l);
    }

    fn labeled(&mut self, prop: &str, l: &Labeled, phone: bool) {
        let label = l.label.trim();
        let mut types: Vec<String> = Vec::new();
        if prop == "EMAIL" && self.v == Version::V3 {
            types.push("INTERNET".into());
        }
        let custom = match label_types(label, phone) {
            _ if label.is_empty() => None,
            Some(t) => {
                types.extend(t);
                None
            }
            None => Some(label),
        };
        if self.v == Version::V3 {
            for t in &mut types {
                *t = t.to_uppercase();
            }
        }
        let params = if types.is_empty() {
            String::new()
        } else {
            format!(";TYPE={}", types.join(","))
        };
        let value = escape(&l.value);
        match custom {
            None => self.line(&format!("{prop}{params}:{value}")),
            Some(c) => {
                self.item += 1;
                let g = format!("item{}", self.item);
                self.line(&format!("{g}.{prop}{params}:{value}"));
                self.line(&format!("{g}.X-ABLabel:{}", escape(c)));
            }
        }
    }
}

/// One card, appended to `out`.
pub fn write_card(out: &mut String, c: &Contact, v: Version, now: DateTime<Utc>) {
    let mut card = Card { out, item: 0, v };
    card.line("BEGIN:VCARD");
    card.line(match v {
        Version::V4 => "VERSION:4.0",
        Version::V3 => "VERSION:3.0",
    });
    card.line(&format!("PRODID:{PRODID}"));
    let uid = c.uid.trim();
    if !uid.is_empty() {
        // 4.0 UIDs are URIs; ours are plain text, which 4.0 allows when said so
        let is_uri = uid.contains(':') && !uid.contains(char::is_whitespace);
        match v {
            Version::V4 if is_uri => card.line(&format!("UID:{uid}")),
            Version::V4 => card.line(&format!("UID;VALUE=text:{}", escape(uid))),
            Version::V3 => card.line(&format!("UID:{}", escape(uid))),
        }
    }
    card.line(&format!("FN:{}", escape(&c.name)));
    let (family, given, additional) = family_split(&c.name);
    card.line(&format!(
        "N:{};{};{};;",
        escape(&family),
        escape(&given),
        escape(&additional)
    ));
    if !c.organization.trim().is_empty() {
        card.line(&format!("ORG:{}", escape(&c.organization)));
    }
    if !c.title.trim().is_empty() {
        card.line(&format!("TITLE:{}", escape(&c.title)));
    }
    for e in &c.emails {
        card.labeled("EMAIL", e, false);
    }
    for p in &c.phones {
        card.labeled("TEL", p, true);
    }
    if !c.address.trim().is_empty() {
        card.line(&format!("ADR:;;{};;;;", escape(&c.address)));
    }
    if let Some(b) = &c.birthday {
        card.line(&bday(b, v));
    }
    if !c.tags.is_empty() {
        let tags: Vec<String> = c.tags.iter().map(|t| escape(t)).collect();
        card.line(&format!("CATEGORIES:{}", tags.join(",")));
    }
    if !c.notes.is_empty() {
        card.line(&format!("NOTE:{}", escape(&c.notes)));
    }
    if let Some(d) = c.last_contacted {
        card.line(&format!(
            "X-SECRETAIRE-LAST-CONTACTED:{}",
            d.format("%Y-%m-%d")
        ));
    }
    card.line(&match v {
        Version::V4 => format!("REV:{}", now.format("%Y%m%dT%H%M%SZ")),
        Version::V3 => format!("REV:{}", now.format("%Y-%m-%dT%H:%M:%SZ")),
    });
    card.line("END:VCARD");
}

/// All contacts as one vCard file (CRLF line ends, folded at 75 octets).
pub fn export(contacts: &[Contact], version: Version, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for c in contacts {
        write_card(&mut out, c, version, now);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_keep_particles() {
        assert_eq!(
            family_split("Anna Berg"),
            ("Berg".into(), "Anna".into(), String::new())
        );
        assert_eq!(
            family_split("Karin von Platen"),
            ("von Platen".into(), "Karin".into(), String::new())
        );
        assert_eq!(
            family_split("Per Erik Lind"),
            ("Lind".into(), "Per".into(), "Erik".into())
        );
        assert_eq!(
            family_split("Telia"),
            (String::new(), "Telia".into(), String::new())
        );
    }

    #[test]
    fn labels_to_types() {
        assert_eq!(label_types("mobile", true), Some(vec!["cell".into()]));
        assert_eq!(label_types("mobile", false), None);
        assert_eq!(
            label_types("work fax", true),
            Some(vec!["work".into(), "fax".into()])
        );
        assert_eq!(label_types("Work", true), None);
        assert_eq!(label_types("assistant", true), None);
        assert_eq!(label_types("fax fax", true), None);
    }
}
