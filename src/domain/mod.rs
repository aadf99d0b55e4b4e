//! Plain types and rules: no SQL, no terminal. Every record validates itself and a failure
//! names the field it is about.
pub mod agenda;
pub mod capture;
pub mod contact;
pub mod event;
pub mod fuzzy;
pub mod invoice;
pub mod money;
pub mod recurrence;
pub mod schedule;
pub mod task;
pub mod travel;
pub mod when;

pub use contact::{Birthday, Contact, Labeled};
pub use event::{Attendee, Event, EventCategory, EventStatus, EventTime};
pub use invoice::{Invoice, InvoiceStatus};
pub use money::{Currency, Money, MoneyError};
pub use task::{Due, Priority, Task, TaskDirection, TaskKind, TaskStatus};
pub use travel::{Segment, SegmentKind, SegmentStatus, Trip};

/// A rule a record broke, naming the field (as the CLI flag / form field is named).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        ValidationError {
            field,
            message: message.into(),
        }
    }
}

/// Which kind of record; used by the CLI (`show KIND ID`), search results and undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Event,
    Trip,
    Segment,
    Contact,
    Invoice,
    Task,
}

/// Defines a closed string enum with `as_str`, `ALL`, `Display` and `FromStr`
/// (case-insensitive, also accepting listed aliases). The string is what the database and the
/// JSON output store, so never rename one.
#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let l = s.trim().to_ascii_lowercase();
                $( if l == $s $(|| l == $alias)* { return Ok($name::$variant); } )+
                Err(format!("'{}': expected {}", s.trim(), $crate::domain::one_of(&[$($s),+])))
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

/// "a, b or c": the words a closed set accepts, for a message.
pub fn one_of(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Parse an IANA zone name ("Europe/Stockholm"), with a message naming it when unknown.
pub fn parse_tz(name: &str) -> Result<chrono_tz::Tz, String> {
    name.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        format!(
            "unknown time zone '{}' (use an IANA name such as Europe/Stockholm)",
            name.trim()
        )
    })
}

/// Reject control characters in one-line fields (names, titles, codes).
pub(crate) fn check_line(
    field: &'static str,
    value: &str,
    required: bool,
) -> Result<(), ValidationError> {
    if required && value.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(ValidationError::new(
            field,
            "must be one line without control characters",
        ));
    }
    Ok(())
}

/// Multi-line text may hold newlines and tabs but no other control characters.
pub(crate) fn check_text(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tz_parsing_names_the_bad_zone() {
        assert_eq!(
            parse_tz("Europe/Stockholm").unwrap(),
            chrono_tz::Europe::Stockholm
        );
        let e = parse_tz("Mars/Olympus").unwrap_err();
        assert!(e.contains("Mars/Olympus"), "{e}");
    }

    #[test]
    fn line_checks() {
        assert!(check_line("name", "Anna", true).is_ok());
        assert_eq!(check_line("name", "  ", true).unwrap_err().field, "name");
        assert!(check_line("name", "a\u{1b}[2J", false).is_err());
        assert!(check_text("notes", "line1\nline2\tx").is_ok());
        assert!(check_text("notes", "bell\u{7}").is_err());
    }
}
