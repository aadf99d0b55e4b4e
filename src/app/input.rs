//! A one-line text editor used by forms, prompts, filters, search and quick capture.
//! Pure state: keys come in as [`Key`]s; nothing here touches the terminal.
use super::keymap::Key;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in chars.
    cursor: usize,
}

/// A field holds at most this many characters (a huge paste is cut, never slow).
pub const MAX_CHARS: usize = 10_000;

impl LineInput {
    pub fn new(text: impl Into<String>) -> LineInput {
        let text: String = text.into();
        let cursor = text.chars().count();
        LineInput { text, cursor }
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    pub fn set(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.cursor = self.text.chars().count();
    }
    fn byte_at(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map(|(i, _)| i)
            .unwrap_or(self.text.len())
    }

    /// Insert text at the cursor (a paste): control characters dropped, newlines become
    /// " | ", the field capped at [`MAX_CHARS`]. Returns true when the text changed.
    pub fn insert_str(&mut self, s: &str) -> bool {
        let room = MAX_CHARS.saturating_sub(self.text.chars().count());
        let clean: String = s
            .replace("\r\n", "\n")
            .replace('\n', " | ")
            .chars()
            .filter(|c| !c.is_control())
            .take(room)
            .collect();
        if clean.is_empty() {
            return false;
        }
        let b = self.byte_at(self.cursor);
        self.text.insert_str(b, &clean);
        self.cursor += clean.chars().count();
        true
    }

    /// Apply an editing key. Returns true when the text changed.
    pub fn handle(&mut self, key: Key) -> bool {
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let b = self.byte_at(self.cursor);
                self.text.replace_range(..b, "");
                self.cursor = 0;
                true
            }
            KeyCode::Char('k') if ctrl => {
                let b = self.byte_at(self.cursor);
                self.text.truncate(b);
                true
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                false
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = len;
                false
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut i = self.cursor;
                while i > 0 && chars[i - 1] == ' ' {
                    i -= 1;
                }
                while i > 0 && chars[i - 1] != ' ' {
                    i -= 1;
                }
                let (a, b) = (self.byte_at(i), self.byte_at(self.cursor));
                self.text.replace_range(a..b, "");
                let changed = i != self.cursor;
                self.cursor = i;
                changed
            }
            KeyCode::Char(c) if !ctrl && !key.mods.contains(KeyModifiers::ALT) => {
                if c.is_control() || len >= MAX_CHARS {
                    return false;
                }
                let b = self.byte_at(self.cursor);
                self.text.insert(b, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let a = self.byte_at(self.cursor - 1);
                let b = self.byte_at(self.cursor);
                self.text.replace_range(a..b, "");
                self.cursor -= 1;
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let a = self.byte_at(self.cursor);
                let b = self.byte_at(self.cursor + 1);
                self.text.replace_range(a..b, "");
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn typing_and_editing() {
        let mut i = LineInput::default();
        for c in "héllo".chars() {
            assert!(i.handle(k(c)));
        }
        assert_eq!(i.text(), "héllo");
        i.handle(Key::new(KeyCode::Left, KeyModifiers::NONE));
        i.handle(Key::new(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(i.text(), "hélo");
        i.handle(Key::new(KeyCode::Home, KeyModifiers::NONE));
        i.handle(k('>'));
        assert_eq!(i.text(), ">hélo");
        i.handle(Key::new(KeyCode::End, KeyModifiers::NONE));
        i.handle(k(' '));
        i.handle(k('x'));
        i.handle(Key::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(i.text(), ">hélo ");
        i.handle(Key::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(i.text(), "");
        assert!(!i.handle(Key::new(KeyCode::Backspace, KeyModifiers::NONE)));
    }
}
