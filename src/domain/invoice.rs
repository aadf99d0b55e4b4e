//! Invoices and payment documents.
use super::{Money, ValidationError, check_line, check_text};
use crate::string_enum;
use chrono::NaiveDate;

string_enum!(InvoiceStatus {
    Received = "received",
    Approved = "approved",
    Paid = "paid",
    Disputed = "disputed",
    Cancelled = "cancelled" | "canceled",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: i64,
    /// The vendor as a contact.
    pub vendor_id: Option<i64>,
    /// The vendor's name: filled by the store from the contact on read; when there is no
    /// linked contact, the free-text vendor name that is stored.
    pub vendor_name: String,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Money,
    pub status: InvoiceStatus,
    pub paid_date: Option<NaiveDate>,
    /// OCR number, IBAN, bankgiro, plusgiro text.
    pub payment_ref: String,
    /// Path to the scanned document or PDF.
    pub document_path: String,
    pub notes: String,
}

impl Invoice {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.vendor_id.is_none() && self.vendor_name.trim().is_empty() {
            return Err(ValidationError::new("vendor", "must name a vendor"));
        }
        check_line("vendor", &self.vendor_name, false)?;
        check_line("number", &self.number, false)?;
        check_line("payment-ref", &self.payment_ref, false)?;
        check_line("document", &self.document_path, false)?;
        check_text("notes", &self.notes)?;
        if self.due_date < self.issue_date {
            return Err(ValidationError::new("due", "is before the issue date"));
        }
        if let Err(e) = self.amount.in_range() {
            return Err(ValidationError::new("amount", e.to_string()));
        }
        if self.amount.minor < 0 {
            return Err(ValidationError::new(
                "amount",
                "must not be negative (record a credit note in notes)",
            ));
        }
        match (self.status, self.paid_date) {
            (InvoiceStatus::Paid, None) => {
                return Err(ValidationError::new("paid-date", "is required when paid"));
            }
            (s, Some(_)) if s != InvoiceStatus::Paid => {
                return Err(ValidationError::new(
                    "paid-date",
                    "is only set on a paid invoice",
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Due date passed and neither paid nor cancelled.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_date < today
    }

    /// Still to be paid: not paid and not cancelled.
    pub fn is_open(&self) -> bool {
        !matches!(self.status, InvoiceStatus::Paid | InvoiceStatus::Cancelled)
    }

    /// Mark paid on `date`.
    pub fn mark_paid(&mut self, date: NaiveDate) {
        self.status = InvoiceStatus::Paid;
        self.paid_date = Some(date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn inv() -> Invoice {
        Invoice {
            id: 0,
            vendor_id: None,
            vendor_name: "Telia".into(),
            number: "INV-1".into(),
            issue_date: d(1),
            due_date: d(20),
            amount: Money::new(124900, Currency::SEK),
            status: InvoiceStatus::Received,
            paid_date: None,
            payment_ref: "OCR 1234".into(),
            document_path: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn overdue_rules() {
        let mut i = inv();
        assert!(!i.is_overdue(d(20)));
        assert!(i.is_overdue(d(21)));
        i.status = InvoiceStatus::Disputed;
        assert!(i.is_overdue(d(21)));
        i.status = InvoiceStatus::Cancelled;
        assert!(!i.is_overdue(d(21)));
        let mut i = inv();
        i.mark_paid(d(22));
        assert!(!i.is_overdue(d(23)));
        assert!(i.validate().is_ok());
    }

    #[test]
    fn validation_names_fields() {
        let mut i = inv();
        i.vendor_name = "".into();
        assert_eq!(i.validate().unwrap_err().field, "vendor");
        let mut i = inv();
        i.due_date = d(1) - chrono::Duration::days(1);
        assert_eq!(i.validate().unwrap_err().field, "due");
        let mut i = inv();
        i.amount.minor = -1;
        assert_eq!(i.validate().unwrap_err().field, "amount");
        // the largest amount passes; one more, or a 17-digit OCR number, does not
        i.amount.minor = super::super::money::MAX_MINOR;
        assert!(i.validate().is_ok());
        for too_large in [
            super::super::money::MAX_MINOR + 1,
            9_223_372_036_854_775_800,
        ] {
            i.amount.minor = too_large;
            let e = i.validate().unwrap_err();
            assert_eq!(e.field, "amount");
            assert!(
                e.message
                    .contains("out of range (at most 9 999 999 999 999.99"),
                "{e:?}"
            );
        }
        let mut i = inv();
        i.status = InvoiceStatus::Paid;
        assert_eq!(i.validate().unwrap_err().field, "paid-date");
        let mut i = inv();
        i.paid_date = Some(d(3));
        assert_eq!(i.validate().unwrap_err().field, "paid-date");
    }
}
