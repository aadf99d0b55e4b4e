//! Paths and settings. (Struct is the shared contract; loading is owned by the CLI work.)
//! `config.toml` lives in the platform config dir (e.g. `~/.config/secretaire/config.toml`),
//! created with comments from `assets/config.toml` on first run. A bad config is a warning and
//! the defaults, never a panic.
use crate::domain::Currency;
use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Display zone: how the day is shown. Default: the system's.
    pub timezone: Tz,
    /// Working hours for free-slot search.
    pub work_start: NaiveTime,
    pub work_end: NaiveTime,
    pub work_days: Vec<Weekday>,
    /// Ring the terminal bell when a reminder fires.
    pub bell: bool,
    /// Currency assumed when an amount is typed without one.
    pub default_currency: Currency,
    /// Key overrides: action name -> key spec ("quit" = "Q", "pane.tasks" = "F6").
    /// Interpreted (and validated, with warnings) by the TUI keymap.
    pub keys: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            timezone: system_tz(),
            work_start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid"),
            work_end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid"),
            work_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            bell: true,
            default_currency: Currency::SEK,
            keys: BTreeMap::new(),
        }
    }
}

/// A config and what was wrong with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// One line each, shown in the status line / on stderr.
    pub warnings: Vec<String>,
    pub path: Option<PathBuf>,
}

/// The system's zone: `$TZ`, then `/etc/timezone`, then the `/etc/localtime` link; else UTC.
pub fn system_tz() -> Tz {
    if let Ok(tz) = std::env::var("TZ") {
        if let Ok(z) = tz.trim_start_matches(':').parse::<Tz>() {
            return z;
        }
    }
    if let Ok(s) = std::fs::read_to_string("/etc/timezone") {
        if let Ok(z) = s.trim().parse::<Tz>() {
            return z;
        }
    }
    if let Ok(target) = std::fs::read_link("/etc/localtime") {
        let t = target.to_string_lossy();
        if let Some(i) = t.find("zoneinfo/") {
            if let Ok(z) = t[i + 9..].parse::<Tz>() {
                return z;
            }
        }
    }
    chrono_tz::UTC
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "secretaire")
}

/// `~/.local/share/secretaire/secretaire.db` on Linux.
pub fn default_db_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("secretaire.db"))
}

/// `~/.config/secretaire/config.toml` on Linux.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}
