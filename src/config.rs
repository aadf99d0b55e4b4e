//! Paths and settings. (Struct is the shared contract; loading is owned by the CLI work.)
//! `config.toml` lives in the platform config dir (e.g. `~/.config/secretaire/config.toml`),
//! created with comments from `assets/config.toml` on first run. A bad config is a warning and
//! the defaults, never a panic.
use crate::domain::Currency;
use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    if let Ok(tz) = std::env::var("TZ")
        && let Ok(z) = tz.trim_start_matches(':').parse::<Tz>()
    {
        return z;
    }
    if let Ok(s) = std::fs::read_to_string("/etc/timezone")
        && let Ok(z) = s.trim().parse::<Tz>()
    {
        return z;
    }
    if let Ok(target) = std::fs::read_link("/etc/localtime") {
        let t = target.to_string_lossy();
        if let Some(i) = t.find("zoneinfo/")
            && let Ok(z) = t[i + 9..].parse::<Tz>()
        {
            return z;
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

/// The commented template written on first run.
pub const TEMPLATE: &str = include_str!("../assets/config.toml");

/// Read `config.toml` from `path`, or from [`default_config_path`] when `None`. A missing file
/// is created from [`TEMPLATE`] (mode 0600, parent directories too). Every problem (unreadable
/// file, bad TOML, a value of the wrong kind, an unknown key) becomes one warning line naming
/// the key and line, and that setting keeps its default. Never panics.
pub fn load(path: Option<&Path>) -> Loaded {
    let path: Option<PathBuf> = path.map(Path::to_path_buf).or_else(default_config_path);
    let mut warnings = Vec::new();
    let Some(p) = path.clone() else {
        warnings.push("config: no home directory found; using defaults".to_string());
        return Loaded {
            config: Config::default(),
            warnings,
            path: None,
        };
    };
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Err(e) = create_template(&p) {
                warnings.push(format!(
                    "config: could not create {}: {e}; using defaults",
                    p.display()
                ));
            }
            TEMPLATE.to_string()
        }
        Err(e) => {
            warnings.push(format!(
                "config: cannot read {}: {e}; using defaults",
                p.display()
            ));
            return Loaded {
                config: Config::default(),
                warnings,
                path: Some(p),
            };
        }
    };
    let config = parse(&text, &p.display().to_string(), &mut warnings);
    Loaded {
        config,
        warnings,
        path: Some(p),
    }
}

fn create_template(p: &Path) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = p.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(p)?;
    f.write_all(TEMPLATE.as_bytes())
}

/// 1-based line of the byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    text.get(..at.min(text.len()))
        .map(|s| s.matches('\n').count() + 1)
        .unwrap_or(1)
}

/// 1-based line where `key = ...` is set (first match, in `[keys]` when `in_keys`).
fn line_of(text: &str, key: &str, in_keys: bool) -> Option<usize> {
    let mut section = String::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.starts_with('[') {
            section = l.trim_matches(['[', ']', ' ']).to_string();
            continue;
        }
        let Some((k, _)) = l.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches(['"', '\'']);
        if k == key && (section == "keys") == in_keys {
            return Some(i + 1);
        }
    }
    None
}

/// Parse the TOML text of a config file; `name` is how warnings refer to the file.
pub fn parse(text: &str, name: &str, warnings: &mut Vec<String>) -> Config {
    let mut cfg = Config::default();
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(1);
            warnings.push(format!(
                "{name}:{line}: invalid TOML: {}; using all defaults",
                e.message().trim().replace('\n', " ")
            ));
            return cfg;
        }
    };
    let defaults = Config::default();
    for (key, value) in &table {
        let line = line_of(text, key, false)
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        let mut warn = |what: String, default: String| {
            warnings.push(format!(
                "{name}{line}: {key}: {what}; using the default {default}"
            ));
        };
        match key.as_str() {
            "timezone" => match value.as_str().map(crate::domain::parse_tz) {
                Some(Ok(z)) => cfg.timezone = z,
                Some(Err(e)) => warn(e, defaults.timezone.name().to_string()),
                None => warn(
                    "must be a string such as \"Europe/Stockholm\"".into(),
                    defaults.timezone.name().to_string(),
                ),
            },
            "work_start" | "work_end" => {
                let parsed = value
                    .as_str()
                    .and_then(|s| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok());
                let default = if key == "work_start" {
                    defaults.work_start
                } else {
                    defaults.work_end
                };
                match parsed {
                    Some(t) if key == "work_start" => cfg.work_start = t,
                    Some(t) => cfg.work_end = t,
                    None => warn(
                        format!("'{}' is not a time HH:MM", show_value(value)),
                        default.format("%H:%M").to_string(),
                    ),
                }
            }
            "work_days" => {
                let days: Option<Vec<Weekday>> = value.as_array().and_then(|a| {
                    a.iter()
                        .map(|v| v.as_str().and_then(|s| s.trim().parse::<Weekday>().ok()))
                        .collect()
                });
                match days {
                    Some(d) if !d.is_empty() => {
                        let mut d = d;
                        d.sort_by_key(|w| w.num_days_from_monday());
                        d.dedup();
                        cfg.work_days = d;
                    }
                    _ => warn(
                        format!(
                            "'{}' is not a list of day names such as [\"mon\", \"fri\"]",
                            show_value(value)
                        ),
                        "mon..fri".into(),
                    ),
                }
            }
            "bell" => match value.as_bool() {
                Some(b) => cfg.bell = b,
                None => warn(
                    format!("'{}' is not true or false", show_value(value)),
                    defaults.bell.to_string(),
                ),
            },
            "default_currency" => match value.as_str().map(Currency::parse) {
                Some(Ok(c)) => cfg.default_currency = c,
                Some(Err(e)) => warn(e.to_string(), defaults.default_currency.to_string()),
                None => warn(
                    "must be a string such as \"SEK\"".into(),
                    defaults.default_currency.to_string(),
                ),
            },
            "keys" => match value.as_table() {
                Some(t) => {
                    for (action, k) in t {
                        match k.as_str() {
                            Some(s) => {
                                cfg.keys.insert(action.clone(), s.to_string());
                            }
                            None => {
                                let l = line_of(text, action, true)
                                    .map(|l| format!(":{l}"))
                                    .unwrap_or_default();
                                warnings.push(format!(
                                    "{name}{l}: keys.{action}: '{}' is not a key such as \"Q\"; using the default binding",
                                    show_value(k)
                                ));
                            }
                        }
                    }
                }
                None => warn("must be a table [keys]".into(), "bindings".into()),
            },
            _ => warnings.push(format!("{name}{line}: unknown key '{key}' (ignored)")),
        }
    }
    if cfg.work_end <= cfg.work_start {
        warnings.push(format!(
            "{name}: work_end {} is not after work_start {}; using the defaults 09:00-17:00",
            cfg.work_end.format("%H:%M"),
            cfg.work_start.format("%H:%M")
        ));
        cfg.work_start = defaults.work_start;
        cfg.work_end = defaults.work_end;
    }
    cfg
}

/// A value as it was written, on one line and bounded (for warnings).
fn show_value(v: &toml::Value) -> String {
    let s = match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(60)
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn first_run_creates_the_template_0600() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nested/dir/config.toml");
        let l = load(Some(&p));
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let written = std::fs::read_to_string(&p).unwrap();
        assert_eq!(written, TEMPLATE);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(l.config, Config::default());
        // the template parses to the defaults with no warnings
        let mut w = Vec::new();
        assert_eq!(parse(TEMPLATE, "t", &mut w), Config::default());
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn every_key_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            r#"
timezone = "America/New_York"
work_start = "08:30"
work_end = "18:00"
work_days = ["sat", "mon", "tue"]
bell = false
default_currency = "eur"
[keys]
quit = "Q"
"pane.tasks" = "F6"
"#,
        )
        .unwrap();
        let l = load(Some(&p));
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let c = l.config;
        assert_eq!(c.timezone, chrono_tz::America::New_York);
        assert_eq!(c.work_start, NaiveTime::from_hms_opt(8, 30, 0).unwrap());
        assert_eq!(c.work_end, NaiveTime::from_hms_opt(18, 0, 0).unwrap());
        assert_eq!(c.work_days, vec![Weekday::Mon, Weekday::Tue, Weekday::Sat]);
        assert!(!c.bell);
        assert_eq!(c.default_currency, Currency::EUR);
        assert_eq!(c.keys.get("pane.tasks").map(String::as_str), Some("F6"));
        assert_eq!(c.keys.get("quit").map(String::as_str), Some("Q"));
    }

    #[test]
    fn bad_values_warn_with_key_line_and_default() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            "bell = true\ntimezone = \"Mars/Olympus\"\nwork_start = \"9am\"\ndefault_currency = \"XYZ\"\nwork_days = [\"funday\"]\nbell2 = 1\n[keys]\nquit = 5\n",
        )
        .unwrap();
        let l = load(Some(&p));
        let w = l.warnings.join("\n");
        assert_eq!(l.warnings.len(), 6, "{w}");
        assert!(
            w.contains(":2: timezone: unknown time zone 'Mars/Olympus'"),
            "{w}"
        );
        assert!(
            w.contains(":3: work_start: '9am' is not a time HH:MM; using the default 09:00"),
            "{w}"
        );
        assert!(
            w.contains(":4: default_currency: unknown currency 'XYZ'"),
            "{w}"
        );
        assert!(w.contains("using the default SEK"), "{w}");
        assert!(w.contains(":5: work_days"), "{w}");
        assert!(w.contains(":6: unknown key 'bell2'"), "{w}");
        assert!(w.contains(":8: keys.quit"), "{w}");
        // the good value still applies, the bad ones keep defaults
        let d = Config::default();
        assert!(l.config.bell);
        assert_eq!(l.config.timezone, d.timezone);
        assert_eq!(l.config.work_start, d.work_start);
        assert_eq!(l.config.default_currency, Currency::SEK);
        assert!(l.config.keys.is_empty());
        // every warning is one line
        assert!(l.warnings.iter().all(|w| !w.contains('\n')));
    }

    #[test]
    fn broken_toml_is_one_warning_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "bell = true\n\ntimezone = \"Europe/Stockholm\n").unwrap();
        let l = load(Some(&p));
        assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
        assert!(
            l.warnings[0].contains(":3: invalid TOML"),
            "{:?}",
            l.warnings
        );
        assert!(!l.warnings[0].contains('\n'));
        assert_eq!(l.config, Config::default());
        // not overwritten
        assert!(
            std::fs::read_to_string(&p)
                .unwrap()
                .contains("Europe/Stockholm")
        );
    }

    #[test]
    fn unreadable_file_and_inverted_hours() {
        let dir = tempfile::tempdir().unwrap();
        // a directory where the file should be
        let l = load(Some(dir.path()));
        assert_eq!(l.warnings.len(), 1);
        assert!(l.warnings[0].contains("cannot read"), "{:?}", l.warnings);
        let mut w = Vec::new();
        let c = parse(
            "work_start = \"18:00\"\nwork_end = \"08:00\"\n",
            "c",
            &mut w,
        );
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("work_end 08:00 is not after work_start 18:00"),
            "{w:?}"
        );
        assert_eq!(c.work_start, Config::default().work_start);
    }
}
