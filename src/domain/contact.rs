//! People: press, vendors, clients, colleagues.
use super::event::looks_like_email;
use super::{ValidationError, check_line, check_text};
use chrono::NaiveDate;
use serde::Serialize;

/// A labelled value: ("work", "anna@berg.se"), ("mobile", "+46 70 123 45 67").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Labeled {
    pub label: String,
    pub value: String,
}

impl Labeled {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Labeled {
        Labeled {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// A birthday; the year may be unknown (vCard `--0415`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    pub fn is_valid(&self) -> bool {
        // Feb 29 without a year is fine: check against a leap year.
        NaiveDate::from_ymd_opt(self.year.unwrap_or(2000), self.month, self.day).is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub id: i64,
    /// vCard UID, made once.
    pub uid: String,
    pub name: String,
    pub organization: String,
    /// Title or role.
    pub title: String,
    pub emails: Vec<Labeled>,
    pub phones: Vec<Labeled>,
    /// Postal address, may be several lines.
    pub address: String,
    /// Free-form tags, lower-case: press, vendor, client, colleague, vip...
    pub tags: Vec<String>,
    pub notes: String,
    pub last_contacted: Option<NaiveDate>,
    pub birthday: Option<Birthday>,
}

impl Contact {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_line("name", &self.name, true)?;
        check_line("organization", &self.organization, false)?;
        check_line("title", &self.title, false)?;
        check_text("address", &self.address)?;
        check_text("notes", &self.notes)?;
        for e in &self.emails {
            check_line("email", &e.label, false)?;
            if !looks_like_email(&e.value) {
                return Err(ValidationError::new(
                    "email",
                    format!("'{}' is not an e-mail address", e.value),
                ));
            }
        }
        for p in &self.phones {
            check_line("phone", &p.label, false)?;
            let digits = p.value.chars().filter(|c| c.is_ascii_digit()).count();
            let allowed = p
                .value
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
            if digits < 3 || !allowed {
                return Err(ValidationError::new(
                    "phone",
                    format!("'{}' is not a phone number", p.value),
                ));
            }
        }
        for t in &self.tags {
            if t.trim().is_empty() || t.contains(',') || t.chars().any(|c| c.is_control()) {
                return Err(ValidationError::new(
                    "tags",
                    format!("'{t}' is not a valid tag"),
                ));
            }
        }
        if let Some(b) = self.birthday
            && !b.is_valid()
        {
            return Err(ValidationError::new("birthday", "is not a real date"));
        }
        Ok(())
    }

    /// Tags from "press, VIP ,vendor": lower-cased, trimmed, de-duplicated, order kept.
    pub fn parse_tags(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in text.split(',') {
            let t = t.trim().to_lowercase();
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))
    }

    pub fn primary_email(&self) -> Option<&str> {
        self.emails.first().map(|e| e.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anna() -> Contact {
        Contact {
            name: "Anna Berg".into(),
            emails: vec![Labeled::new("work", "anna@berg.se")],
            phones: vec![Labeled::new("mobile", "+46 (0)70-123 45 67")],
            ..Default::default()
        }
    }

    #[test]
    fn valid_contact() {
        assert!(anna().validate().is_ok());
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut c = anna();
        c.name = "".into();
        assert_eq!(c.validate().unwrap_err().field, "name");
        let mut c = anna();
        c.emails[0].value = "anna.berg.se".into();
        assert_eq!(c.validate().unwrap_err().field, "email");
        let mut c = anna();
        c.phones[0].value = "call me".into();
        assert_eq!(c.validate().unwrap_err().field, "phone");
        let mut c = anna();
        c.tags = vec!["a,b".into()];
        assert_eq!(c.validate().unwrap_err().field, "tags");
        let mut c = anna();
        c.birthday = Some(Birthday {
            year: Some(2023),
            month: 2,
            day: 29,
        });
        assert_eq!(c.validate().unwrap_err().field, "birthday");
        c.birthday = Some(Birthday {
            year: None,
            month: 2,
            day: 29,
        });
        assert!(c.validate().is_ok());
        let mut c = anna();
        c.name = "Evil\u{1b}]0;pwned\u{7}".into();
        assert_eq!(c.validate().unwrap_err().field, "name");
    }

    #[test]
    fn tags_normalised() {
        assert_eq!(
            Contact::parse_tags("press, VIP ,vendor,,press"),
            vec!["press", "vip", "vendor"]
        );
        let mut c = anna();
        c.tags = Contact::parse_tags("VIP");
        assert!(c.has_tag("vip"));
    }
}
