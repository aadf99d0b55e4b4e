//! Terminal setup/restore, the event loop, effects. The loop body is [`step`], public so tests
//! drive the real wiring with synthetic events and a `TestBackend`.
pub mod effects;

use crate::app::keymap::{Key, resolve};
use crate::app::{Action, App, Effect, update};
use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How often the clock ticks (reminders, data_version polling).
pub const TICK: Duration = Duration::from_millis(500);

/// How long a tick's refresh waits for a database another process holds before it gives up
/// (and tries again on the next tick): the screen never freezes for the 5 s a write may wait.
pub const REFRESH_WAIT: Duration = Duration::from_millis(100);

/// What one step produced besides state: bytes for the terminal (OSC 52 copy, bell).
#[derive(Debug, Default)]
pub struct Step {
    pub quit: bool,
    pub out: Vec<String>,
}

/// How the UI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) ended it: the terminal was restored as on
    /// quit and whatever was not saved (an open form) was discarded.
    Signal(i32),
}

impl Ended {
    /// The conventional exit status: 0, or 128 + the signal's number (143 for SIGTERM).
    pub fn status(self) -> u8 {
        match self {
            Ended::Quit => 0,
            Ended::Signal(s) => u8::try_from(128 + s).unwrap_or(1),
        }
    }
}

/// The signals that end the UI through the same restore as quit. SIGINT reaches us only from
/// outside (`kill -INT`) or before raw mode is on: in raw mode Ctrl-C is a key.
pub const SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// Which of [`SIGNALS`] arrived (0: none yet). The handlers only store into atomics; the event
/// loop looks between two steps, so an effect in flight (a write is one transaction) finishes
/// first and the database is never touched by the signal path. A second signal while the first
/// is still being handled ends the process at once (128 + signal), as the default action would.
///
/// One thing the loop cannot do itself: when the terminal is closed (SIGHUP), crossterm's
/// read of the dead terminal returns nothing forever without giving control back. A watchdog
/// thread, asleep until a signal arrives, ends the process (128 + signal) when the loop has
/// been waiting for input for [`STUCK`] after the signal; it never does so while a step (a
/// write) is running or after the loop has left.
#[derive(Clone)]
pub struct Signals {
    caught: Arc<AtomicBool>,
    which: Arc<AtomicUsize>,
    /// [`WORKING`], [`WAITING`] (inside crossterm's poll/read) or [`LEFT`]
    state: Arc<AtomicUsize>,
}

const WORKING: usize = 0;
const WAITING: usize = 1;
const LEFT: usize = 2;

/// How long the loop may wait for input after a signal before the watchdog ends the process: a
/// loop that is not stuck looks at the signal within one [`TICK`].
pub const STUCK: Duration = Duration::from_millis(1500);

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        let s = Signals {
            caught: Arc::new(AtomicBool::new(false)),
            which: Arc::new(AtomicUsize::new(0)),
            state: Arc::new(AtomicUsize::new(WORKING)),
        };
        for sig in SIGNALS {
            // registered first, so it sees the flag as it was before this signal set it
            signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, s.caught.clone())?;
            signal_hook::flag::register_usize(sig, s.which.clone(), sig as usize)?;
            signal_hook::flag::register(sig, s.caught.clone())?;
        }
        let mut arrived = signal_hook::iterator::Signals::new(SIGNALS)?;
        let state = s.state.clone();
        std::thread::Builder::new()
            .name("signal-watchdog".into())
            .spawn(move || {
                let Some(sig) = arrived.forever().next() else {
                    return;
                };
                let mut waited = Duration::ZERO;
                let nap = Duration::from_millis(100);
                while waited < STUCK {
                    std::thread::sleep(nap);
                    match state.load(Ordering::SeqCst) {
                        LEFT => return,
                        WAITING => waited += nap,
                        _ => waited = Duration::ZERO,
                    }
                }
                // stuck reading a terminal that is gone: restore what can be, then leave
                restore_terminal();
                signal_hook::low_level::exit(128 + sig);
            })?;
        // A terminal can also go without a SIGHUP reaching us (a program started in its own
        // session with setsid): the read spins all the same. Once a second, while the loop
        // waits for input, look whether the terminal it started on is still one; when it is
        // not, leave as a hangup would. Never while a step (a write) runs.
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            let state = s.state.clone();
            std::thread::Builder::new()
                .name("terminal-watch".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(Duration::from_secs(1));
                        match state.load(Ordering::SeqCst) {
                            LEFT => return,
                            WAITING if !std::io::stdin().is_terminal() => break,
                            _ => {}
                        }
                    }
                    restore_terminal();
                    signal_hook::low_level::exit(128 + signal_hook::consts::SIGHUP);
                })?;
        }
        Ok(s)
    }

    fn set(&self, state: usize) {
        self.state.store(state, Ordering::SeqCst);
    }

    /// The signal that arrived, if one did.
    pub fn caught(&self) -> Option<i32> {
        if !self.caught.load(Ordering::SeqCst) {
            return None;
        }
        i32::try_from(self.which.load(Ordering::SeqCst)).ok()
    }
}

/// Open the terminal UI on `store` until the user quits or one of [`SIGNALS`] arrives, reading
/// the time from `clock` (the binary decides which clock; nothing here reads the environment).
/// `warnings` (from loading the config at `config_path`) are shown in the status line at start
/// and all of them, in the order of the file, at the top of the help overlay. The terminal is
/// restored on quit, signal, error and panic.
pub fn run(
    store: Store,
    clock: &dyn Clock,
    config: Config,
    warnings: Vec<String>,
    config_path: Option<&std::path::Path>,
) -> anyhow::Result<Ended> {
    // before raw mode: from here on no signal we catch can leave the terminal raw
    let signals =
        Signals::install().map_err(|e| anyhow::Error::new(e).context("cannot catch signals"))?;
    // the file's text places every warning (key overrides too) on its line
    let file = config_path.and_then(|p| {
        std::fs::read_to_string(p)
            .ok()
            .map(|t| (p.display().to_string(), t))
    });
    // try_init installs a panic hook that restores the terminal first.
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            return Err(anyhow::Error::new(e).context("cannot set up the terminal"));
        }
    };
    // Pasted text arrives as one event (a pasted newline does not press Enter).
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let file = file.as_ref().map(|(n, t)| (n.as_str(), t.as_str()));
    let mut app = App::with_config_file(&config, clock.now(), warnings, file);
    let result = event_loop(&mut terminal, &store, clock, &mut app, &signals);
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    );
    signals.set(LEFT);
    restore_terminal();
    if terminal.show_cursor().is_err() {
        // Terminal's drop would try again and print the failure to the same dead terminal
        std::mem::forget(terminal);
    }
    result?;
    Ok(signals.caught().map_or(Ended::Quit, Ended::Signal))
}

/// Raw mode off and the alternate screen left. Errors are ignored, never printed with a
/// panicking eprintln: after a hangup (SIGHUP) the terminal is gone and writing to it fails.
fn restore_terminal() {
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::terminal::LeaveAlternateScreen
    );
}

fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    store: &Store,
    clock: &dyn Clock,
    app: &mut App,
    signals: &Signals,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let start = start(app, store, clock, terminal)?;
    emit(&start.out);
    let mut last_tick = Instant::now();
    loop {
        // between two steps: whatever the last step wrote is committed; an open form is dropped
        if signals.caught().is_some() {
            return Ok(());
        }
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        signals.set(WAITING);
        let ev = if event::poll(timeout)? {
            Some(event::read()?)
        } else {
            None
        };
        signals.set(WORKING);
        let tick_due = last_tick.elapsed() >= TICK;
        let s = match ev {
            Some(e) => step(app, store, clock, Some(e), terminal)?,
            None => Step::default(),
        };
        emit(&s.out);
        if s.quit || app.quit {
            return Ok(());
        }
        if tick_due {
            last_tick = Instant::now();
            let s = step(app, store, clock, None, terminal)?;
            emit(&s.out);
            if s.quit {
                return Ok(());
            }
        }
    }
}

fn emit(out: &[String]) {
    if out.is_empty() {
        return;
    }
    let mut so = std::io::stdout();
    for o in out {
        let _ = so.write_all(o.as_bytes());
    }
    let _ = so.flush();
}

/// Load the first screen and draw it.
pub fn start<B: Backend>(
    app: &mut App,
    store: &Store,
    clock: &dyn Clock,
    terminal: &mut Terminal<B>,
) -> anyhow::Result<Step>
where
    B::Error: Send + Sync + 'static,
{
    let fx = app.start();
    let mut s = Step::default();
    perform(app, store, clock, fx, &mut s);
    terminal.draw(|f| crate::ui::render(app, f))?;
    s.quit = app.quit;
    Ok(s)
}

/// One turn of the loop: an input event (None = a clock tick) becomes an action, `update`
/// runs, its effects run against the store (their results fed back to `update`), and the
/// screen is drawn.
pub fn step<B: Backend>(
    app: &mut App,
    store: &Store,
    clock: &dyn Clock,
    event: Option<Event>,
    terminal: &mut Terminal<B>,
) -> anyhow::Result<Step>
where
    B::Error: Send + Sync + 'static,
{
    let action = match &event {
        None => Some(Action::Tick(clock.now())),
        Some(Event::Key(k)) => Key::from_event(k).and_then(|k| resolve(app, k)),
        // pasted text goes into the focused field in one piece; elsewhere it is ignored
        Some(Event::Paste(text)) if crate::app::keymap::active_context(app).is_text() => {
            Some(Action::Paste(text.clone()))
        }
        Some(_) => None, // resize and others: just redraw
    };
    let mut s = Step::default();
    if let Some(a) = action {
        let fx = update(app, a);
        if event.is_none() {
            // the periodic refresh: a busy database is skipped, not waited for
            store.with_busy_timeout(REFRESH_WAIT, |store| perform(app, store, clock, fx, &mut s));
        } else {
            perform(app, store, clock, fx, &mut s);
        }
    }
    terminal.draw(|f| crate::ui::render(app, f))?;
    s.quit = app.quit;
    Ok(s)
}

/// Run effects until none are left (results go back through `update`).
fn perform(app: &mut App, store: &Store, clock: &dyn Clock, fx: Vec<Effect>, s: &mut Step) {
    let mut queue: std::collections::VecDeque<Effect> = fx.into();
    let mut budget = 1000;
    while let Some(e) = queue.pop_front() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        match &e {
            Effect::Copy(text) => s.out.push(osc52(text)),
            Effect::Bell => s.out.push("\x07".into()),
            _ => {}
        }
        if let Some(a) = effects::run(store, clock, e) {
            queue.extend(update(app, a));
        }
    }
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal (also over ssh).
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(osc52("ABC123"), "\x1b]52;c;QUJDMTIz\x07");
    }
}
