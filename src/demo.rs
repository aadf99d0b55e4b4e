//! Deterministic, realistic demo data. (Owned by the demo work.)
use crate::store::Store;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoSize {
    /// One executive's month.
    Small,
    /// Scale work: 100k events, 20k contacts, 20k invoices, 50k tasks, 5k trips.
    Large,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoStats {
    pub events: u64,
    pub trips: u64,
    pub segments: u64,
    pub contacts: u64,
    pub invoices: u64,
    pub tasks: u64,
}

/// Seed `store` with data for the weeks around `now` (same inputs, same data).
pub fn seed(
    _store: &Store,
    _size: DemoSize,
    _now: DateTime<Utc>,
    _tz: Tz,
) -> anyhow::Result<DemoStats> {
    anyhow::bail!("demo data is not built yet")
}
