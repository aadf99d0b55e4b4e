//! End-to-end: the real binary in a private tmux server (keys in, screen out). The pane is
//! polled for the expected text instead of sleeping. Skipped, with a printed reason, only
//! when tmux is not installed.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_secretaire");
const NOW: &str = "2026-11-23T09:00:00Z";

fn have_tmux() -> bool {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => true,
        // .ci/run installs tmux: there a missing tmux is a failure, never a silent pass
        _ if std::env::var_os("CI").is_some() => panic!("tmux is not installed (CI must have it)"),
        _ => {
            eprintln!("SKIPPED: tmux is not installed (CI installs it)");
            false
        }
    }
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, cmd: &str, w: u16, h: u16) -> Tmux {
        let socket = format!("secretaire-e2e-{name}-{}", std::process::id());
        let st = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &w.to_string(), "-y", &h.to_string(), cmd])
            .args([";", "set", "-g", "escape-time", "0"])
            .args([";", "set", "-g", "remain-on-exit", "on"])
            .status()
            .expect("tmux runs");
        assert!(st.success(), "tmux new-session failed");
        Tmux { socket }
    }
    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            // one key per call: ESC followed at once by a letter would read as Alt+letter
            self.tmux(&["send-keys", "-t", "0", k]);
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    fn text(&self, s: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", s]);
    }
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "0"]).stdout).into_owned()
    }
    fn dead(&self) -> bool {
        let o = self.tmux(&["display-message", "-p", "-t", "0", "#{pane_dead}"]);
        String::from_utf8_lossy(&o.stdout).trim() == "1"
    }
    /// Wait (up to 10 s) until the screen shows `want`; the screen on failure.
    fn wait_for(&self, want: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(want) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {want:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
    fn wait_dead(&self) {
        let start = Instant::now();
        while !self.dead() {
            if start.elapsed() > Duration::from_secs(10) {
                panic!("the program did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn setup(dir: &Path) -> (PathBuf, String) {
    let db = dir.join("t.db");
    let cfg = dir.join("config.toml");
    std::fs::write(&cfg, "timezone = \"Europe/Stockholm\"\nbell = false\n").unwrap();
    let base = format!(
        "env SECRETAIRE_NOW={NOW} TZ=Europe/Stockholm {BIN} --db {} --config {}",
        db.display(),
        cfg.display()
    );
    (db, base)
}

fn cli(base: &str, args: &[&str]) {
    let mut parts = base.split_whitespace();
    assert_eq!(parts.next(), Some("env"));
    let mut cmd = Command::new("env");
    cmd.args(parts).args(args);
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn quick_capture_in_the_real_terminal_writes_the_row() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, base) = setup(dir.path());
    cli(&base, &["add", "contact", "Anna Berg"]);
    let t = Tmux::start("capture", &base, 100, 30);
    t.wait_for("1 Today");
    t.wait_for("Nothing due.");
    t.keys(&[":"]);
    t.wait_for("Quick capture");
    t.text("call Anna Berg about budget tomorrow 14:00 !h");
    t.wait_for("due Tue 24 Nov 2026 14:00");
    t.keys(&["Enter"]);
    t.wait_for("Add task 'Budget'");
    t.keys(&["6"]);
    let s = t.wait_for("Tasks by due date");
    assert!(s.contains("Budget"), "{s}");
    assert!(s.contains("Anna Berg"), "{s}");
    t.keys(&["x"]);
    t.wait_for("Done task 'Budget'");
    t.keys(&["u"]);
    t.wait_for("Undid: done task 'Budget'");
    t.keys(&["q"]);
    t.wait_dead();
    // the alternate screen is gone: the UI is no longer on the terminal
    assert!(!t.screen().contains("1 Today"), "{}", t.screen());
    let store = secretaire::store::Store::open(&db).unwrap();
    let tasks = store.list_tasks(&Default::default()).unwrap();
    let task = tasks
        .iter()
        .find(|x| x.subject == "Budget")
        .expect("row written");
    assert_eq!(task.contact_name, "Anna Berg");
    assert_eq!(task.status, secretaire::domain::TaskStatus::Open);
}

#[test]
fn panes_forms_and_help_then_ctrl_c_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, base) = setup(dir.path());
    cli(&base, &["add", "trip", "New York", "--purpose", "Board"]);
    cli(
        &base,
        &[
            "add",
            "segment",
            "--trip",
            "1",
            "--kind",
            "flight",
            "--provider",
            "SAS",
            "--number",
            "SK 903",
            "--confirmation",
            "ABC123",
            "--origin",
            "ARN",
            "--destination",
            "EWR",
            "--depart",
            "2026-11-25 10:00",
            "--arrive",
            "2026-11-25 12:40",
            "--arrive-tz",
            "America/New_York",
        ],
    );
    cli(
        &base,
        &[
            "add",
            "invoice",
            "--vendor",
            "Telia",
            "--number",
            "T-1",
            "--issued",
            "2026-11-01",
            "--due",
            "2026-11-20",
            "--amount",
            "1249 SEK",
        ],
    );
    let t = Tmux::start("panes", &base, 100, 30);
    t.wait_for("1 Today");
    t.wait_for("3d overdue");
    t.keys(&["2"]);
    t.wait_for("Agenda");
    t.keys(&["v"]);
    t.wait_for("Day ");
    t.keys(&["3"]);
    t.wait_for("(America/New_York)");
    t.keys(&["l", "y"]);
    t.wait_for("copied: ABC123");
    t.keys(&["5"]);
    t.wait_for("Totals");
    t.keys(&["p"]);
    t.wait_for("Paid invoice 'Telia T-1'");
    t.keys(&["4", "a"]);
    t.wait_for("New contact");
    t.text("Bo Ek");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("not-an-email");
    t.wait_for("is not an e-mail");
    t.keys(&["Escape"]);
    t.wait_for("Discard your changes?");
    t.keys(&["y"]);
    t.keys(&["?"]);
    t.wait_for("Keys (Esc closes)");
    t.keys(&["Escape"]);
    t.keys(&["C-c"]);
    t.wait_dead();
    assert!(!t.screen().contains("Totals"), "{}", t.screen());
    let store = secretaire::store::Store::open(&db).unwrap();
    let inv = store.list_invoices(&Default::default()).unwrap();
    assert_eq!(inv[0].status, secretaire::domain::InvoiceStatus::Paid);
    assert!(
        store.list_contacts(&Default::default()).unwrap().is_empty(),
        "the cancelled form wrote nothing"
    );
}

#[test]
fn demo_opens_on_seeded_data_and_walks_every_pane() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "timezone = \"Europe/Stockholm\"\nbell = false\n").unwrap();
    let cmd = format!(
        "env SECRETAIRE_NOW={NOW} TZ=Europe/Stockholm {BIN} --config {} --demo",
        cfg.display()
    );
    let t = Tmux::start("demo", &cmd, 120, 35);
    let s = t.wait_for("── 10:00 now ──");
    assert!(s.contains("Tasks") && s.contains("overdue"), "{s}");
    t.keys(&["2"]);
    t.wait_for("Agenda Mon 23 Nov");
    t.keys(&["v", "v", "v"]);
    t.wait_for("Month November 2026");
    t.keys(&["3"]);
    t.wait_for("Trips");
    t.keys(&["4"]);
    t.wait_for("Organization");
    t.keys(&["5"]);
    t.wait_for("Totals");
    t.keys(&["6"]);
    t.wait_for("Tasks by due date");
    t.keys(&["Tab"]);
    t.wait_for("── 10:00 now ──");
    t.keys(&["q"]);
    t.wait_dead();
}

#[test]
fn export_and_import_ics_in_the_real_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, base) = setup(dir.path());
    {
        let store = secretaire::store::Store::open(&db).unwrap();
        let start = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .to_utc();
        let e = secretaire::domain::Event::new(
            "Board prep",
            secretaire::domain::EventTime::Timed {
                start,
                end: start + chrono::Duration::hours(1),
                tz: chrono_tz::Europe::Stockholm,
            },
            start,
        );
        store.insert_event(&e).unwrap();
    }
    // the default path is in the home folder
    let base = base.replacen("env ", &format!("env HOME={} ", dir.path().display()), 1);
    let t = Tmux::start("files", &base, 100, 30);
    t.wait_for("1 Today");
    t.keys(&["2"]);
    t.wait_for("Board prep");
    t.keys(&["X"]);
    t.wait_for("Export calendar (.ics)");
    t.keys(&["Enter"]);
    let out = dir.path().join("secretaire-2026-11-23.ics");
    t.wait_for("Exported 1 event");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("SUMMARY:Board prep"), "{text}");
    // a calendar with one new event: preview, then y
    let other = dir.path().join("in.ics");
    std::fs::write(
        &other,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:x1@t\r\n\
         DTSTAMP:20261101T000000Z\r\nDTSTART:20261125T090000Z\r\nDTEND:20261125T100000Z\r\n\
         SUMMARY:Auditor visit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    t.keys(&["I"]);
    t.wait_for("Import calendar (.ics)");
    t.text(&other.display().to_string());
    t.keys(&["Enter"]);
    t.wait_for("would import 1");
    t.keys(&["y"]);
    t.wait_for("Imported 1 event");
    t.wait_for("Auditor visit");
    t.keys(&["q"]);
    t.wait_dead();
    let store = secretaire::store::Store::open(&db).unwrap();
    assert_eq!(store.count_events(&Default::default()).unwrap(), 2);
}

#[test]
fn ctrl_c_in_an_edited_form_asks_first_in_the_real_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, base) = setup(dir.path());
    let t = Tmux::start("ctrlc", &base, 100, 30);
    t.wait_for("1 Today");
    t.keys(&["6", "a"]);
    t.wait_for("New task");
    t.text("Quote for the press");
    t.keys(&["C-c"]);
    let s = t.wait_for("Discard your changes and quit?");
    assert!(
        s.contains("Quote for the press"),
        "the typing is still there: {s}"
    );
    assert!(!t.dead());
    t.keys(&["n"]);
    t.keys(&["Enter"]);
    t.wait_for("Add task 'Quote for the press'");
    // nothing unsaved: Ctrl-C quits at once
    t.keys(&["C-c"]);
    t.wait_dead();
    let store = secretaire::store::Store::open(&db).unwrap();
    let tasks = store.list_tasks(&Default::default()).unwrap();
    assert!(tasks.iter().any(|x| x.subject == "Quote for the press"));
}

/// `kill -SIG` of the running UI leaves the way quit does: raw mode off, alternate screen left,
/// the status 128 + signal, and a form open at that moment discarded (nothing written).
fn signal_restores_the_terminal(sig: &str, want: i32, form_open: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (db, base) = setup(dir.path());
    let pid = dir.path().join("pid");
    let st = dir.path().join("status");
    let stty = dir.path().join("stty");
    let script = dir.path().join("run.sh");
    // the pane's shell stays to report how the program left its terminal
    std::fs::write(
        &script,
        format!(
            "sh -c 'echo $$ > {pid}; exec {base}'\necho $? > {st}\nstty -a > {stty}\n",
            pid = pid.display(),
            st = st.display(),
            stty = stty.display(),
        ),
    )
    .unwrap();
    let t = Tmux::start(
        &format!("sig{sig}"),
        &format!("sh {}", script.display()),
        100,
        30,
    );
    t.wait_for("1 Today");
    if form_open {
        t.keys(&["6", "a"]);
        t.wait_for("New task");
        t.text("Never saved");
        t.wait_for("Never saved");
    }
    let on = |t: &Tmux| {
        let o = t.tmux(&["display-message", "-p", "-t", "0", "#{alternate_on}"]);
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    assert_eq!(on(&t), "1", "the UI is on the alternate screen");
    let pid = std::fs::read_to_string(&pid).unwrap();
    let k = Command::new("kill")
        .args([&format!("-{sig}"), pid.trim()])
        .status()
        .unwrap();
    assert!(k.success());
    t.wait_dead();
    let status = std::fs::read_to_string(&st).unwrap();
    assert_eq!(status.trim(), want.to_string(), "SIG{sig}: exit status");
    let modes = std::fs::read_to_string(&stty).unwrap();
    for flag in ["icanon", "echo", "isig", "opost"] {
        assert!(
            modes.split_whitespace().any(|w| w == flag),
            "SIG{sig}: {flag} is off (the terminal is left raw): {modes}"
        );
    }
    assert_eq!(on(&t), "0", "SIG{sig}: the alternate screen is left");
    let store = secretaire::store::Store::open(&db).unwrap();
    assert!(
        store.list_tasks(&Default::default()).unwrap().is_empty(),
        "SIG{sig}: the open form wrote nothing"
    );
}

#[test]
fn sigterm_with_a_form_open_restores_the_terminal_and_writes_nothing() {
    if !have_tmux() {
        return;
    }
    signal_restores_the_terminal("TERM", 143, true);
}

#[test]
fn sighup_sigquit_and_sigint_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    signal_restores_the_terminal("HUP", 129, false);
    signal_restores_the_terminal("QUIT", 131, true);
    signal_restores_the_terminal("INT", 130, false);
}

/// A program in its own session (setsid) gets no SIGHUP when its terminal goes: it must end
/// by itself instead of spinning on the dead terminal.
#[test]
fn a_terminal_gone_without_a_hangup_signal_still_ends_the_program() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_db, base) = setup(dir.path());
    let pid = dir.path().join("pid");
    let st = dir.path().join("status");
    let script = dir.path().join("run.sh");
    // setsid -w: a new session, so the kernel's hangup never reaches the program
    std::fs::write(
        &script,
        format!(
            "trap : HUP\nsetsid -w sh -c 'echo $$ > {pid}; exec {base}'\necho $? > {st}\n",
            pid = pid.display(),
            st = st.display(),
        ),
    )
    .unwrap();
    let t = Tmux::start("nohup", &format!("sh {}", script.display()), 100, 30);
    t.wait_for("1 Today");
    let pid = std::fs::read_to_string(&pid).unwrap();
    drop(t); // kills the server: the terminal is gone, and no signal is sent
    let start = Instant::now();
    let status = loop {
        match std::fs::read_to_string(&st) {
            Ok(s) if s.ends_with('\n') => break s,
            _ => {}
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
            panic!("still running 10 s after its terminal went");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.trim(), "129");
}

/// A closed terminal: crossterm's read of it never returns, so the loop cannot look at the
/// SIGHUP that follows; the watchdog still ends the process with 129 instead of leaving it
/// spinning on the dead terminal.
#[test]
fn sighup_after_the_terminal_is_gone_still_ends_the_program() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_db, base) = setup(dir.path());
    let pid = dir.path().join("pid");
    let st = dir.path().join("status");
    let script = dir.path().join("run.sh");
    // the shell outlives the terminal (its trap) to report the status
    std::fs::write(
        &script,
        format!(
            "trap : HUP\nsh -c 'echo $$ > {pid}; exec {base}'\necho $? > {st}\n",
            pid = pid.display(),
            st = st.display(),
        ),
    )
    .unwrap();
    let t = Tmux::start("hangup", &format!("sh {}", script.display()), 100, 30);
    t.wait_for("1 Today");
    let pid = std::fs::read_to_string(&pid).unwrap();
    drop(t); // kills the server: the terminal is gone
    let k = Command::new("kill")
        .args(["-HUP", pid.trim()])
        .status()
        .unwrap();
    assert!(k.success());
    let start = Instant::now();
    let status = loop {
        match std::fs::read_to_string(&st) {
            Ok(s) if s.ends_with('\n') => break s,
            _ => {}
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
            panic!("still running 10 s after the hangup");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.trim(), "129");
}
