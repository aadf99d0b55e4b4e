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

/// Open the terminal UI on `store` until the user quits, reading the time from `clock` (the
/// binary decides which clock; nothing here reads the environment). `warnings` (from loading
/// the config at `config_path`) are shown in the status line at start and all of them, in the
/// order of the file, at the top of the help overlay. The terminal is restored on quit, error
/// and panic.
pub fn run(
    store: Store,
    clock: &dyn Clock,
    config: Config,
    warnings: Vec<String>,
    config_path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
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
    let result = event_loop(&mut terminal, &store, clock, &mut app);
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    );
    ratatui::restore();
    result
}

fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    store: &Store,
    clock: &dyn Clock,
    app: &mut App,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let start = start(app, store, clock, terminal)?;
    emit(&start.out);
    let mut last_tick = Instant::now();
    loop {
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        let ev = if event::poll(timeout)? {
            Some(event::read()?)
        } else {
            None
        };
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
