//! Correspondence tasks: mail to answer, calls to return, letters and follow-ups to send.
use super::{ValidationError, check_line, check_text};
use crate::string_enum;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

string_enum!(TaskKind { Email = "email" | "mail", Call = "call", Letter = "letter", Message = "message" | "msg", Other = "other" });
string_enum!(
    /// Incoming: something to answer. Outgoing: something to send.
    TaskDirection { Incoming = "incoming" | "in", Outgoing = "outgoing" | "out" }
);
string_enum!(Priority { High = "high" | "h", Normal = "normal" | "n", Low = "low" | "l" });
string_enum!(TaskStatus { Open = "open", Waiting = "waiting", Done = "done" });

impl Priority {
    /// Sort key: high first.
    pub fn rank(self) -> u8 {
        match self {
            Priority::High => 0,
            Priority::Normal => 1,
            Priority::Low => 2,
        }
    }
}

/// A due date, or a due instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Date(NaiveDate),
    At(DateTime<Utc>),
}

impl Due {
    /// The local date it falls on in `tz`.
    pub fn date_in(&self, tz: Tz) -> NaiveDate {
        match self {
            Due::Date(d) => *d,
            Due::At(t) => t.with_timezone(&tz).date_naive(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: i64,
    pub kind: TaskKind,
    pub direction: TaskDirection,
    /// The counterpart as a contact.
    pub contact_id: Option<i64>,
    /// Filled by the store from the contact on read (empty when none).
    pub contact_name: String,
    pub subject: String,
    pub notes: String,
    pub due: Option<Due>,
    pub priority: Priority,
    pub status: TaskStatus,
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Free text: who it was handed to.
    pub delegated_to: String,
    pub created: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

impl Task {
    pub fn new(subject: impl Into<String>, now: DateTime<Utc>) -> Task {
        Task {
            id: 0,
            kind: TaskKind::Email,
            direction: TaskDirection::Incoming,
            contact_id: None,
            contact_name: String::new(),
            subject: subject.into(),
            notes: String::new(),
            due: None,
            priority: Priority::Normal,
            status: TaskStatus::Open,
            snoozed_until: None,
            delegated_to: String::new(),
            created: now,
            done_at: None,
        }
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        check_line("subject", &self.subject, true)?;
        check_text("notes", &self.notes)?;
        check_line("delegated-to", &self.delegated_to, false)?;
        match (self.status, self.done_at) {
            (TaskStatus::Done, None) => {
                return Err(ValidationError::new("done-at", "is required when done"));
            }
            (s, Some(_)) if s != TaskStatus::Done => {
                return Err(ValidationError::new(
                    "done-at",
                    "is only set on a done task",
                ));
            }
            _ => {}
        }
        if let Some(d) = self.done_at
            && d < self.created
        {
            return Err(ValidationError::new(
                "done-at",
                "is before the task was created",
            ));
        }
        Ok(())
    }

    pub fn mark_done(&mut self, now: DateTime<Utc>) {
        self.status = TaskStatus::Done;
        self.done_at = Some(now.max(self.created));
        self.snoozed_until = None;
    }

    /// Re-open a done task.
    pub fn reopen(&mut self) {
        self.status = TaskStatus::Open;
        self.done_at = None;
    }

    pub fn snooze(&mut self, until: DateTime<Utc>) {
        self.snoozed_until = Some(until);
    }

    pub fn is_snoozed(&self, now: DateTime<Utc>) -> bool {
        self.snoozed_until.is_some_and(|s| s > now)
    }

    /// Not done, due before `today` (in `tz`) and not snoozed.
    pub fn is_overdue(&self, today: NaiveDate, now: DateTime<Utc>, tz: Tz) -> bool {
        self.status != TaskStatus::Done
            && !self.is_snoozed(now)
            && match self.due {
                Some(Due::Date(d)) => d < today,
                Some(Due::At(t)) => t < now,
                None => false,
            }
            && self.due.is_some_and(|d| d.date_in(tz) <= today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn done_rules() {
        let mut t = Task::new("Reply to Anna", now());
        assert!(t.validate().is_ok());
        t.status = TaskStatus::Done;
        assert_eq!(t.validate().unwrap_err().field, "done-at");
        t.mark_done(now());
        assert!(t.validate().is_ok());
        t.reopen();
        assert!(t.validate().is_ok());
        t.subject = "".into();
        assert_eq!(t.validate().unwrap_err().field, "subject");
    }

    #[test]
    fn done_at_before_created_is_refused() {
        let mut t = Task::new("Reply to Anna", now());
        t.status = TaskStatus::Done;
        t.done_at = Some(now() - chrono::Duration::seconds(1));
        let e = t.validate().unwrap_err();
        assert_eq!(
            (e.field, e.message.as_str()),
            ("done-at", "is before the task was created")
        );
        t.done_at = Some(now());
        assert!(t.validate().is_ok());
        // mark_done never produces it, even with a clock behind the creation time
        let mut t = Task::new("Reply to Anna", now());
        t.mark_done(now() - chrono::Duration::hours(2));
        assert_eq!(t.done_at, Some(now()));
        assert!(t.validate().is_ok());
    }

    #[rstest::rstest]
    #[case(TaskStatus::Open)]
    #[case(TaskStatus::Waiting)]
    fn done_at_on_a_task_not_done_is_refused(#[case] status: TaskStatus) {
        let mut t = Task::new("Reply to Anna", now());
        t.status = status;
        t.done_at = Some(now());
        let e = t.validate().unwrap_err();
        assert_eq!(
            (e.field, e.message.as_str()),
            ("done-at", "is only set on a done task")
        );
        t.done_at = None;
        assert!(t.validate().is_ok());
    }

    #[test]
    fn overdue_and_snooze() {
        let tz = chrono_tz::Europe::Stockholm;
        let mut t = Task::new("Call back", now() - chrono::Duration::days(3));
        t.due = Some(Due::Date(today() - chrono::Duration::days(1)));
        assert!(t.is_overdue(today(), now(), tz));
        t.snooze(now() + chrono::Duration::hours(1));
        assert!(!t.is_overdue(today(), now(), tz));
        t.snoozed_until = None;
        t.due = Some(Due::Date(today()));
        assert!(!t.is_overdue(today(), now(), tz));
        t.due = Some(Due::At(now() - chrono::Duration::minutes(5)));
        assert!(t.is_overdue(today(), now(), tz));
        t.mark_done(now());
        assert!(!t.is_overdue(today(), now(), tz));
    }

    #[test]
    fn priority_rank_orders_high_first() {
        let mut v = vec![Priority::Low, Priority::High, Priority::Normal];
        v.sort_by_key(|p| p.rank());
        assert_eq!(v, vec![Priority::High, Priority::Normal, Priority::Low]);
    }
}
