//! Key bindings as DATA: one table of (context, key, action name, description). `resolve` maps a
//! key to an [`Action`]; the help overlay and the hint bar are drawn from the same table, so
//! they cannot drift. User overrides (`[keys]` in config.toml: action name -> key spec) replace
//! an action's default keys; a bad override is a warning and the default stays.
use super::{Action, App, Pane, Popup};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;

/// A key press, normalised: SHIFT is folded into the character for printable keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }
    pub fn plain(code: KeyCode) -> Key {
        Key::new(code, KeyModifiers::NONE)
    }
    pub fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        Some(Key::new(ev.code, ev.modifiers))
    }

    /// Parse a key spec: `q`, `Q`, `?`, `ctrl-f`, `C-f`, `alt-x`, `F6`, `tab`, `shift-tab`,
    /// `enter`, `esc`, `space`, `up`, `pgdn`, `home`...
    pub fn parse(spec: &str) -> Result<Key, String> {
        let s = spec.trim();
        if s.is_empty() {
            return Err("empty key".into());
        }
        if s.chars().count() == 1 {
            let c = s.chars().next().unwrap_or(' ');
            if c.is_control() {
                return Err(format!("'{}' is not a key", s.escape_debug()));
            }
            return Ok(Key::ch(c));
        }
        let lower = s.to_ascii_lowercase();
        for (prefix, m) in [
            ("ctrl-", KeyModifiers::CONTROL),
            ("ctrl+", KeyModifiers::CONTROL),
            ("c-", KeyModifiers::CONTROL),
            ("alt-", KeyModifiers::ALT),
            ("alt+", KeyModifiers::ALT),
            ("m-", KeyModifiers::ALT),
            ("shift-", KeyModifiers::SHIFT),
            ("shift+", KeyModifiers::SHIFT),
            ("s-", KeyModifiers::SHIFT),
        ] {
            if lower.starts_with(prefix) && s.len() > prefix.len() {
                let inner = Key::parse(&s[prefix.len()..])?;
                if m == KeyModifiers::SHIFT {
                    return Ok(match inner.code {
                        KeyCode::Tab => Key::plain(KeyCode::BackTab),
                        KeyCode::Char(c) => Key::ch(c.to_ascii_uppercase()),
                        c => Key::new(c, inner.mods | m),
                    });
                }
                return Ok(Key::new(inner.code, inner.mods | m));
            }
        }
        let code = match lower.as_str() {
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "enter" | "return" | "ret" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "space" | "spc" => KeyCode::Char(' '),
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" | "pgdown" => KeyCode::PageDown,
            f if f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse::<u8>().unwrap_or(1))
            }
            _ => {
                return Err(format!(
                    "unknown key '{s}' (try q, Q, ctrl-f, F6, tab, enter, esc)"
                ));
            }
        };
        Ok(Key::plain(code))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("M-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("BS"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            _ => f.write_str("?"),
        }
    }
}

/// Where a binding applies. Pane contexts are checked before `Global`; a popup's context
/// replaces both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Today,
    Schedule,
    Travel,
    Contacts,
    Invoices,
    Tasks,
    Detail,
    Form,
    Prompt,
    Confirm,
    /// An import's dry run.
    Preview,
    Help,
    /// The reminder strip: its keys act while it shows over a pane, so they must be keys no
    /// pane and no global binding uses.
    Reminder,
}

impl Context {
    pub const ALL: [Context; 14] = [
        Context::Global,
        Context::Today,
        Context::Schedule,
        Context::Travel,
        Context::Contacts,
        Context::Invoices,
        Context::Tasks,
        Context::Detail,
        Context::Form,
        Context::Prompt,
        Context::Confirm,
        Context::Preview,
        Context::Help,
        Context::Reminder,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Today => "Today",
            Context::Schedule => "Schedule",
            Context::Travel => "Travel",
            Context::Contacts => "Contacts",
            Context::Invoices => "Invoices",
            Context::Tasks => "Tasks",
            Context::Detail => "Detail view",
            Context::Form => "Forms",
            Context::Prompt => "Prompts, filter, search, quick capture",
            Context::Confirm => "Confirmations",
            Context::Preview => "Import preview",
            Context::Help => "Help",
            Context::Reminder => "Reminder strip (over any pane)",
        }
    }
    pub fn of_pane(p: Pane) -> Context {
        match p {
            Pane::Today => Context::Today,
            Pane::Schedule => Context::Schedule,
            Pane::Travel => Context::Travel,
            Pane::Contacts => Context::Contacts,
            Pane::Invoices => Context::Invoices,
            Pane::Tasks => Context::Tasks,
        }
    }
    /// Text-entry contexts: unbound printable keys are typed, not looked up.
    pub fn is_text(self) -> bool {
        matches!(self, Context::Form | Context::Prompt)
    }
}

/// One row of the key table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub key: Key,
    /// Stable action name, as used in config.toml `[keys]`.
    pub action: &'static str,
    pub desc: &'static str,
    /// Shown in the hint bar.
    pub hint: bool,
}

use Context as C;
/// The default table: (context, key spec, action name, description, in hint bar).
pub const DEFAULTS: &[(Context, &str, &str, &str, bool)] = &[
    (C::Global, "q", "quit", "quit", true),
    (C::Global, "ctrl-c", "quit", "quit", false),
    (C::Global, "?", "help", "help", true),
    (C::Global, "1", "pane.today", "Today pane", false),
    (C::Global, "2", "pane.schedule", "Schedule pane", false),
    (C::Global, "3", "pane.travel", "Travel pane", false),
    (C::Global, "4", "pane.contacts", "Contacts pane", false),
    (C::Global, "5", "pane.invoices", "Invoices pane", false),
    (C::Global, "6", "pane.tasks", "Tasks pane", false),
    (C::Global, "tab", "pane.next", "next pane", false),
    (C::Global, "backtab", "pane.prev", "previous pane", false),
    (C::Global, "j", "down", "move down", false),
    (C::Global, "down", "down", "move down", false),
    (C::Global, "k", "up", "move up", false),
    (C::Global, "up", "up", "move up", false),
    (C::Global, "g", "top", "go to top", false),
    (C::Global, "home", "top", "go to top", false),
    (C::Global, "G", "bottom", "go to bottom", false),
    (C::Global, "end", "bottom", "go to bottom", false),
    (C::Global, "pgdn", "page-down", "page down", false),
    (C::Global, "pgup", "page-up", "page up", false),
    (C::Global, "enter", "open", "open detail", true),
    (C::Global, "a", "add", "add", true),
    (C::Global, "e", "edit", "edit", true),
    (C::Global, "d", "delete", "delete", true),
    (C::Global, "u", "undo", "undo", true),
    (C::Global, "/", "filter", "filter this pane", true),
    (C::Global, "ctrl-f", "search", "search everything", false),
    (C::Global, "F", "search", "search everything", true),
    (C::Global, ":", "capture", "quick capture", true),
    (C::Today, "x", "done", "task done", true),
    (C::Today, "s", "snooze", "snooze task", true),
    (C::Today, "p", "paid", "invoice paid today", true),
    (C::Today, "y", "copy", "copy confirmation code", false),
    (
        C::Today,
        "E",
        "edit-one",
        "edit only this occurrence",
        false,
    ),
    (
        C::Today,
        "T",
        "edit-following",
        "edit this and all following",
        false,
    ),
    (
        C::Schedule,
        "v",
        "view",
        "cycle agenda/day/week/month",
        true,
    ),
    (C::Schedule, "t", "today", "jump to today", true),
    (
        C::Schedule,
        "E",
        "edit-one",
        "edit only this occurrence",
        false,
    ),
    (
        C::Schedule,
        "T",
        "edit-following",
        "edit this and all following",
        false,
    ),
    (
        C::Schedule,
        "f",
        "slots",
        "new meeting in a free slot",
        false,
    ),
    (C::Schedule, "X", "export", "export .ics", false),
    (C::Schedule, "I", "import", "import .ics", false),
    (C::Schedule, "h", "prev", "previous day/week/month", true),
    (
        C::Schedule,
        "left",
        "prev",
        "previous day/week/month",
        false,
    ),
    (C::Schedule, "l", "next", "next day/week/month", true),
    (C::Schedule, "right", "next", "next day/week/month", false),
    (
        C::Travel,
        "n",
        "segment.add",
        "add a segment to the trip",
        true,
    ),
    (C::Travel, "y", "copy", "copy confirmation code", true),
    (C::Travel, "h", "prev", "previous segment", false),
    (C::Travel, "l", "next", "next segment", false),
    (C::Travel, "H", "show-done", "past trips / upcoming", false),
    (C::Contacts, "y", "copy", "copy e-mail/phone", false),
    (C::Contacts, "X", "export", "export .vcf", false),
    (C::Contacts, "I", "import", "import .vcf", false),
    (C::Invoices, "p", "paid", "mark paid today", true),
    (C::Invoices, "c", "status", "next status", true),
    (C::Invoices, "C", "cancel", "cancel invoice (asks)", false),
    (C::Invoices, "y", "copy", "copy payment reference", false),
    (
        C::Invoices,
        "T",
        "totals",
        "every total (status, currency)",
        false,
    ),
    (C::Invoices, "H", "show-done", "show/hide paid", false),
    (C::Tasks, "x", "done", "done / reopen", true),
    (C::Tasks, "s", "snooze", "snooze", true),
    (C::Tasks, "w", "waiting", "waiting / open", true),
    (C::Tasks, "D", "delegate", "delegate", true),
    (C::Tasks, "o", "sort", "sort by due/priority/kind", true),
    (C::Tasks, "H", "show-done", "show/hide done", false),
    (C::Tasks, "O", "overdue", "only overdue / all", false),
    (C::Detail, "esc", "close", "close", true),
    (C::Detail, "q", "close", "close", false),
    (C::Detail, "e", "edit", "edit", true),
    (C::Detail, "d", "delete", "delete", true),
    (C::Detail, "y", "copy", "copy code/reference", true),
    (C::Detail, "j", "down", "scroll down", false),
    (C::Detail, "down", "down", "scroll down", false),
    (C::Detail, "k", "up", "scroll up", false),
    (C::Detail, "up", "up", "scroll up", false),
    (C::Form, "tab", "field.next", "next field", true),
    (C::Form, "backtab", "field.prev", "previous field", true),
    (C::Form, "enter", "submit", "save", true),
    (C::Form, "ctrl-s", "submit", "save", false),
    (C::Form, "esc", "close", "cancel", true),
    (
        C::Form,
        "down",
        "pick.next",
        "next suggestion / choice",
        true,
    ),
    (
        C::Form,
        "up",
        "pick.prev",
        "previous suggestion / choice",
        false,
    ),
    (
        C::Form,
        "F2",
        "slots",
        "propose free slots (event form)",
        false,
    ),
    (
        C::Form,
        "ctrl-n",
        "slots",
        "propose free slots (event form)",
        false,
    ),
    (C::Prompt, "enter", "submit", "accept", true),
    (C::Prompt, "esc", "close", "cancel", true),
    (C::Prompt, "down", "pick.next", "next result", true),
    (C::Prompt, "up", "pick.prev", "previous result", false),
    (C::Prompt, "tab", "pick.next", "next result", false),
    (
        C::Reminder,
        "z",
        "reminder.snooze",
        "snooze the reminder 5 minutes",
        true,
    ),
    (
        C::Reminder,
        "esc",
        "reminder.dismiss",
        "dismiss the reminder",
        true,
    ),
    (C::Confirm, "y", "yes", "yes", true),
    (C::Confirm, "n", "no", "no", true),
    (C::Confirm, "esc", "no", "no", false),
    (C::Preview, "y", "yes", "import", true),
    (C::Preview, "enter", "yes", "import", false),
    (C::Preview, "n", "no", "cancel", false),
    (C::Preview, "esc", "no", "cancel", true),
    (C::Preview, "j", "down", "scroll down", false),
    (C::Preview, "down", "down", "scroll down", false),
    (C::Preview, "k", "up", "scroll up", false),
    (C::Preview, "up", "up", "scroll up", false),
    (C::Help, "esc", "close", "close", true),
    (C::Help, "?", "close", "close", false),
    (C::Help, "q", "close", "close", false),
    (C::Help, "j", "down", "scroll down", true),
    (C::Help, "down", "down", "scroll down", false),
    (C::Help, "k", "up", "scroll up", true),
    (C::Help, "up", "up", "scroll up", false),
];

/// The action a name stands for (the names config.toml may override).
pub fn action_named(name: &str) -> Option<Action> {
    Some(match name {
        "quit" => Action::Quit,
        "help" => Action::Help,
        "pane.today" => Action::ShowPane(Pane::Today),
        "pane.schedule" => Action::ShowPane(Pane::Schedule),
        "pane.travel" => Action::ShowPane(Pane::Travel),
        "pane.contacts" => Action::ShowPane(Pane::Contacts),
        "pane.invoices" => Action::ShowPane(Pane::Invoices),
        "pane.tasks" => Action::ShowPane(Pane::Tasks),
        "pane.next" => Action::NextPane,
        "pane.prev" => Action::PrevPane,
        "down" => Action::Down,
        "up" => Action::Up,
        "top" => Action::Top,
        "bottom" => Action::Bottom,
        "page-down" => Action::PageDown,
        "page-up" => Action::PageUp,
        "open" => Action::Open,
        "add" => Action::Add,
        "edit" => Action::Edit,
        "edit-one" => Action::EditOne,
        "edit-following" => Action::EditFollowing,
        "delete" => Action::Delete,
        "undo" => Action::Undo,
        "filter" => Action::Filter,
        "search" => Action::Search,
        "capture" => Action::Capture,
        "done" => Action::Done,
        "snooze" => Action::Snooze,
        "paid" => Action::Paid,
        "copy" => Action::Copy,
        "view" => Action::CycleView,
        "today" => Action::GoToday,
        "prev" => Action::Prev,
        "next" => Action::Next,
        "segment.add" => Action::AddSegment,
        "slots" => Action::FreeSlots,
        "export" => Action::Export,
        "import" => Action::Import,
        "status" => Action::CycleStatus,
        "reminder.snooze" => Action::ReminderSnooze,
        "reminder.dismiss" => Action::ReminderDismiss,
        "cancel" => Action::CancelInvoice,
        "totals" => Action::Totals,
        "waiting" => Action::Waiting,
        "delegate" => Action::Delegate,
        "sort" => Action::Sort,
        "show-done" => Action::ToggleDone,
        "overdue" => Action::ToggleOverdue,
        "close" => Action::Close,
        "field.next" => Action::NextField,
        "field.prev" => Action::PrevField,
        "submit" => Action::Submit,
        "pick.next" => Action::PickNext,
        "pick.prev" => Action::PickPrev,
        "yes" => Action::Yes,
        "no" => Action::No,
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULTS
                .iter()
                .filter_map(|(c, k, a, d, h)| {
                    Some(Binding {
                        context: *c,
                        key: Key::parse(k).ok()?,
                        action: a,
                        desc: d,
                        hint: *h,
                    })
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// Defaults with `overrides` (action name -> key spec) applied. Each bad override is a
    /// warning naming it; its action keeps the default keys.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> (Keymap, Vec<String>) {
        let mut km = Keymap::default();
        let mut warnings = Vec::new();
        for (name, spec) in overrides {
            let Some(action) = DEFAULTS.iter().find(|d| d.2 == name.as_str()).map(|d| d.2) else {
                warnings.push(format!("keys.{name}: unknown action (see ? for the names)"));
                continue;
            };
            let key = match Key::parse(spec) {
                Ok(k) => k,
                Err(e) => {
                    warnings.push(format!("keys.{name} = \"{spec}\": {e}; default kept"));
                    continue;
                }
            };
            let contexts: Vec<Context> = km
                .bindings
                .iter()
                .filter(|b| b.action == action)
                .map(|b| b.context)
                .collect();
            let clash = km.bindings.iter().find(|b| {
                b.key == key
                    && b.action != action
                    && contexts.iter().any(|c| {
                        *c == b.context
                            || (overlays_panes(*c) && pane_context(b.context))
                            || (overlays_panes(b.context) && pane_context(*c))
                            || (*c == Context::Reminder && b.context == Context::Global)
                            || (*c == Context::Global && b.context == Context::Reminder)
                    })
            });
            if let Some(b) = clash {
                warnings.push(format!(
                    "keys.{name} = \"{spec}\": {key} is already '{}' ({}); default kept",
                    b.action,
                    b.context.name()
                ));
                continue;
            }
            let mut kept_one: Vec<Context> = Vec::new();
            km.bindings.retain_mut(|b| {
                if b.action != action {
                    return true;
                }
                if kept_one.contains(&b.context) {
                    return false;
                }
                kept_one.push(b.context);
                b.key = key;
                b.hint = true;
                true
            });
        }
        (km, warnings)
    }

    pub fn lookup(&self, context: Context, key: Key) -> Option<&Binding> {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.key == key)
    }

    /// Bindings of a context, in table order.
    pub fn in_context(&self, context: Context) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }

    /// The first key bound to `action` in `context` (or Global), for messages.
    pub fn key_for(&self, action: &str) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.key)
    }

    /// The key of `action` as the user sees it in messages ("u", or "C-z" when remapped);
    /// "(unbound)" when no key runs it.
    pub fn label(&self, action: &str) -> String {
        self.key_for(action)
            .map(|k| k.to_string())
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// The key of `action` in `context` (a pane context falls back to Global), for the key
    /// labels drawn inside popups and views.
    /// The key shown in the hint bar is preferred (Esc over n to cancel an import).
    pub fn label_in(&self, context: Context, action: &str) -> String {
        let all = || {
            self.in_context(context)
                .chain(
                    self.in_context(Context::Global)
                        .filter(|_| pane_context(context)),
                )
                .filter(|b| b.action == action)
        };
        all()
            .find(|b| b.hint)
            .or_else(|| all().next())
            .map(|b| b.key.to_string())
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// Bindings for the hint bar in the app's current situation: popup or pane first.
    pub fn hints(&self, app: &App) -> Vec<&Binding> {
        let ctx = active_context(app);
        let mut out: Vec<&Binding> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let order: Vec<Context> = if pane_context(ctx) {
            vec![ctx, Context::Global]
        } else {
            vec![ctx]
        };
        for c in order {
            for b in self.in_context(c).filter(|b| b.hint) {
                if !seen.contains(&b.action) {
                    seen.push(b.action);
                    out.push(b);
                }
            }
        }
        out
    }
}

/// Contexts whose keys act on top of every pane (Global, and the reminder strip while it
/// shows): a pane binding on the same key would be shadowed.
fn overlays_panes(c: Context) -> bool {
    matches!(c, Context::Global | Context::Reminder)
}

fn pane_context(c: Context) -> bool {
    matches!(
        c,
        Context::Today
            | Context::Schedule
            | Context::Travel
            | Context::Contacts
            | Context::Invoices
            | Context::Tasks
    )
}

/// The context keys are looked up in right now.
pub fn active_context(app: &App) -> Context {
    match &app.popup {
        Some(Popup::Help { .. }) | Some(Popup::Totals { .. }) => Context::Help,
        Some(Popup::Confirm { .. }) | Some(Popup::QuitConfirm(_)) => Context::Confirm,
        Some(Popup::Detail(_)) => Context::Detail,
        Some(Popup::Form(f)) if f.confirm_discard => Context::Confirm,
        Some(Popup::Form(_)) => Context::Form,
        Some(Popup::Prompt(_)) => Context::Prompt,
        Some(Popup::Preview(_)) => Context::Preview,
        None => Context::of_pane(app.pane),
    }
}

/// The key table as markdown (docs/keys.md is this text; a test keeps them equal).
pub fn markdown(km: &Keymap) -> String {
    let mut out = String::from(
        "# Keys\n\nGenerated from the key table in `src/app/keymap.rs` (the help overlay `?` and the \
         hint bar are drawn from the same table). Override any action in `config.toml`:\n\n\
         ```toml\n[keys]\nquit = \"Q\"\n\"pane.tasks\" = \"F6\"\n```\n\n\
         An invalid override is a warning in the status line and the default stays.\n",
    );
    for c in Context::ALL {
        let bs: Vec<&Binding> = km.in_context(c).collect();
        if bs.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {}\n\n| Keys | Action | Name in config |\n|---|---|---|\n",
            c.name()
        ));
        let mut seen: Vec<&str> = Vec::new();
        for b in &bs {
            if seen.contains(&b.action) {
                continue;
            }
            seen.push(b.action);
            let keys: Vec<String> = bs
                .iter()
                .filter(|o| o.action == b.action)
                .map(|o| format!("`{}`", o.key.to_string().replace('|', "\\|")))
                .collect();
            out.push_str(&format!(
                "| {} | {} | `{}` |\n",
                keys.join(" "),
                b.desc,
                b.action
            ));
        }
    }
    out
}

/// Map a key to an action in the app's current context. Ctrl-C always asks to quit (also in a
/// text field); `update` asks first when typing would be lost.
pub fn resolve(app: &App, key: Key) -> Option<Action> {
    if key == Key::ctrl('c') {
        return Some(Action::Quit);
    }
    let km = &app.keymap;
    let ctx = active_context(app);
    // a reminder strip over a pane takes its own keys only (none of them a pane's)
    if app.banner.is_some()
        && pane_context(ctx)
        && let Some(b) = km.lookup(Context::Reminder, key)
    {
        return action_named(b.action);
    }
    if let Some(b) = km.lookup(ctx, key) {
        return action_named(b.action);
    }
    if ctx.is_text() {
        return Some(Action::Input(key));
    }
    if pane_context(ctx)
        && let Some(b) = km.lookup(Context::Global, key)
    {
        return action_named(b.action);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_print() {
        assert_eq!(Key::parse("q").unwrap(), Key::ch('q'));
        assert_eq!(Key::parse("Q").unwrap(), Key::ch('Q'));
        assert_eq!(Key::parse("ctrl-f").unwrap(), Key::ctrl('f'));
        assert_eq!(Key::parse("C-F").unwrap(), Key::ctrl('f'));
        assert_eq!(Key::parse("F6").unwrap(), Key::plain(KeyCode::F(6)));
        assert_eq!(
            Key::parse("shift-tab").unwrap(),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(Key::parse("PgDn").unwrap(), Key::plain(KeyCode::PageDown));
        assert!(Key::parse("F13").is_err());
        assert!(Key::parse("banana").is_err());
        assert!(Key::parse("").is_err());
        assert_eq!(Key::ctrl('f').to_string(), "C-f");
        assert_eq!(Key::plain(KeyCode::BackTab).to_string(), "S-Tab");
        // SHIFT folded into characters as terminals report them
        assert_eq!(
            Key::new(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Key::ch('G')
        );
    }

    #[test]
    fn every_default_parses_and_names_an_action() {
        for (c, k, a, _, _) in DEFAULTS {
            assert!(Key::parse(k).is_ok(), "{c:?} {k}");
            assert!(action_named(a).is_some(), "{a}");
        }
        assert_eq!(Keymap::default().bindings.len(), DEFAULTS.len());
    }

    #[test]
    fn no_collisions_within_a_context_or_with_global() {
        let km = Keymap::default();
        for b in &km.bindings {
            let same: Vec<_> = km
                .bindings
                .iter()
                .filter(|o| o.key == b.key && o.context == b.context)
                .collect();
            assert_eq!(same.len(), 1, "{} twice in {:?}", b.key, b.context);
            if pane_context(b.context) {
                assert!(
                    km.lookup(Context::Global, b.key).is_none(),
                    "{} in {:?} shadows a global key",
                    b.key,
                    b.context
                );
                assert!(
                    km.lookup(Context::Reminder, b.key).is_none(),
                    "{} in {:?} is taken by the reminder strip while it shows",
                    b.key,
                    b.context
                );
            }
            if b.context == Context::Reminder {
                assert!(
                    km.lookup(Context::Global, b.key).is_none(),
                    "{} of the reminder strip shadows a global key",
                    b.key
                );
            }
        }
    }

    #[test]
    fn overrides_apply_and_bad_ones_warn() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), "Q".to_string());
        o.insert("pane.tasks".to_string(), "F6".to_string());
        o.insert("help".to_string(), "j".to_string()); // clashes with down
        o.insert("nonsense".to_string(), "x".to_string());
        o.insert("undo".to_string(), "ctrl-zz".to_string());
        let (km, w) = Keymap::with_overrides(&o);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w.iter().any(|m| m.contains("keys.help")));
        assert!(w.iter().any(|m| m.contains("keys.nonsense")));
        assert!(w.iter().any(|m| m.contains("keys.undo")));
        assert_eq!(
            km.lookup(Context::Global, Key::ch('Q')).unwrap().action,
            "quit"
        );
        assert!(km.lookup(Context::Global, Key::ch('q')).is_none());
        assert_eq!(
            km.lookup(Context::Global, Key::plain(KeyCode::F(6)))
                .unwrap()
                .action,
            "pane.tasks"
        );
        assert_eq!(
            km.lookup(Context::Global, Key::ch('?')).unwrap().action,
            "help"
        );
        assert_eq!(
            km.lookup(Context::Global, Key::ch('u')).unwrap().action,
            "undo"
        );
    }
}
