//! What every subcommand gets, and the error type that means "exit 2, one clear line".
use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub struct Ctx {
    pub store: Store,
    pub clock: Box<dyn Clock>,
    /// The configured display zone (config.toml, else the system's).
    pub tz: Tz,
    /// `--json` given.
    pub json: bool,
    /// The loaded config.toml (defaults where it is silent or wrong): `timezone`,
    /// `work_start`, `work_end`, `work_days`, `default_currency`, `bell`, `keys`.
    /// `tz` above is `config.timezone` unless a caller overrides the display zone.
    pub config: Config,
}

impl Ctx {
    /// A context whose display zone is the config's.
    pub fn new(store: Store, clock: Box<dyn Clock>, config: Config, json: bool) -> Ctx {
        Ctx {
            store,
            clock,
            tz: config.timezone,
            json,
            config,
        }
    }
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    pub fn today(&self) -> NaiveDate {
        self.clock.now().with_timezone(&self.tz).date_naive()
    }
}

/// A problem with the user's input or data (unknown id, invalid date, bad file): the binary
/// prints `error: <message>` on one line and exits with status 2. Anything else exits 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

impl UserError {
    /// The error as an `anyhow::Error`, ready to return.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(msg: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(UserError(msg.into()))
    }
}
