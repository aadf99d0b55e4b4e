//! A cursor over a list that is loaded a page at a time: panes never load a whole table.
//! `selected` is an absolute row number; `rows` hold rows `base..base + rows.len()`.

/// Rows per query.
pub const PAGE: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub base: usize,
    /// Known once a short page came back (or a count was given).
    pub total: Option<usize>,
    pub selected: usize,
    /// First row on screen (absolute); the renderer keeps the selection visible.
    pub scroll: usize,
    /// A page was asked for and has not come back.
    pub loading: bool,
    pub loaded_once: bool,
    /// The selected row is a record the user chose (not a fresh list): a reload keeps the
    /// selection on it ([`Paged::receive_by`]). Off after [`Paged::reset`].
    pub follow: bool,
    /// A record to select when a page holding it arrives (one an undo just put back).
    pub want: Option<i64>,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            rows: Vec::new(),
            base: 0,
            total: None,
            selected: 0,
            scroll: 0,
            loading: false,
            loaded_once: false,
            follow: false,
            want: None,
        }
    }
}

impl<T> Paged<T> {
    pub fn reset(&mut self) {
        self.selected = 0;
        self.scroll = 0;
        self.base = 0;
        self.total = None;
        self.follow = false;
    }
    /// Number of rows we know of (at least the loaded ones).
    pub fn len(&self) -> usize {
        self.total.unwrap_or(self.base + self.rows.len())
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn get(&self, abs: usize) -> Option<&T> {
        abs.checked_sub(self.base).and_then(|i| self.rows.get(i))
    }
    pub fn current(&self) -> Option<&T> {
        self.get(self.selected)
    }
    /// Offset of the page to load so `selected` is covered.
    pub fn page_for_selected(&self) -> usize {
        self.selected.saturating_sub(PAGE / 2)
    }
    /// Take a page that came back for `offset`.
    pub fn receive(&mut self, offset: usize, rows: Vec<T>, total: Option<usize>) {
        let short = rows.len() < PAGE;
        self.base = offset;
        self.rows = rows;
        self.loading = false;
        self.loaded_once = true;
        self.total = match total {
            Some(t) => Some(t),
            None if short => Some(offset + self.rows.len()),
            None => None,
        };
        let len = self.len();
        if self.selected >= len {
            self.selected = len.saturating_sub(1);
        }
    }
    /// [`Paged::receive`], keeping the selection on the record it was on (by `key`, a row id)
    /// when the new page holds it: another process inserting or deleting a row above it does
    /// not move the cursor onto another record. A record gone from the page leaves the
    /// selection where it was (the nearest row).
    pub fn receive_by(
        &mut self,
        offset: usize,
        rows: Vec<T>,
        total: Option<usize>,
        key: impl Fn(&T) -> i64,
    ) {
        let was = if self.follow {
            self.current().map(&key)
        } else {
            None
        };
        self.receive(offset, rows, total);
        let find = |k: i64| self.rows.iter().position(|r| key(r) == k);
        if let Some(i) = self
            .want
            .take()
            .and_then(find)
            .or_else(|| was.and_then(find))
        {
            self.selected = self.base + i;
        }
        self.follow = true;
    }
    /// Move by `delta` rows (clamped). Returns the offset to load when the new selection is
    /// outside the loaded page.
    pub fn move_by(&mut self, delta: isize) -> Option<usize> {
        let len = self.len();
        let may_grow = self.total.is_none();
        let max = if may_grow {
            // allow walking one past the loaded rows to trigger the next page
            self.base + self.rows.len()
        } else {
            len.saturating_sub(1)
        };
        let target = (self.selected as isize + delta).max(0) as usize;
        self.selected = target.min(max);
        if may_grow && self.selected >= self.base + self.rows.len() && !self.rows.is_empty() {
            self.selected = self.base + self.rows.len();
        }
        self.need_page()
    }
    pub fn top(&mut self) -> Option<usize> {
        self.selected = 0;
        self.need_page()
    }
    pub fn bottom(&mut self) -> Option<usize> {
        match self.total {
            Some(t) => self.selected = t.saturating_sub(1),
            None => self.selected = self.base + self.rows.len(),
        }
        self.need_page()
    }
    fn need_page(&mut self) -> Option<usize> {
        let loaded = self.base..self.base + self.rows.len();
        if loaded.contains(&self.selected) || (self.rows.is_empty() && self.total == Some(0)) {
            None
        } else {
            self.loading = true;
            Some(self.page_for_selected())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_selection() {
        let mut p: Paged<usize> = Paged::default();
        p.receive(0, (0..PAGE).collect(), None);
        assert_eq!(p.total, None);
        assert_eq!(p.move_by(5), None);
        assert_eq!(p.selected, 5);
        // walking off the end asks for the next page around the selection
        let want = p.move_by(1000);
        assert_eq!(p.selected, PAGE);
        assert_eq!(want, Some(PAGE - PAGE / 2));
        p.receive(PAGE / 2, (PAGE / 2..PAGE + 50).collect(), None);
        assert_eq!(p.total, Some(PAGE + 50));
        assert_eq!(p.current(), Some(&PAGE));
        assert_eq!(p.bottom(), None);
        assert_eq!(p.selected, PAGE + 49);
        assert_eq!(p.top(), Some(0));
    }

    #[test]
    fn a_reload_keeps_the_selection_on_its_record_not_its_row() {
        let id = |x: &u32| *x as i64;
        let mut p: Paged<u32> = Paged::default();
        p.receive_by(0, vec![10, 20, 30, 40], None, id);
        p.move_by(2);
        assert_eq!(p.current(), Some(&30));
        // a row inserted above it
        p.receive_by(0, vec![10, 15, 20, 30, 40], None, id);
        assert_eq!(p.current(), Some(&30));
        assert_eq!(p.selected, 3);
        // rows deleted above it
        p.receive_by(0, vec![30, 40], None, id);
        assert_eq!(p.current(), Some(&30));
        // gone: the nearest row
        p.receive_by(0, vec![10, 40, 50], None, id);
        assert_eq!(p.selected, 0);
        assert_eq!(p.current(), Some(&10));
        // a record asked for (put back by an undo) is selected when it arrives
        p.want = Some(40);
        p.receive_by(0, vec![10, 40, 50], None, id);
        assert_eq!(p.current(), Some(&40));
        // a new order or filter starts at the top
        p.move_by(2);
        p.reset();
        p.receive_by(0, vec![50, 10, 40], None, id);
        assert_eq!(p.current(), Some(&50));
    }

    #[test]
    fn empty_and_shrinking_lists() {
        let mut p: Paged<u8> = Paged::default();
        p.receive(0, vec![], None);
        assert_eq!(p.move_by(3), None);
        assert_eq!(p.selected, 0);
        assert_eq!(p.current(), None);
        p.receive(0, vec![1, 2, 3], None);
        p.move_by(2);
        p.receive(0, vec![1], None);
        assert_eq!(p.selected, 0);
    }
}
