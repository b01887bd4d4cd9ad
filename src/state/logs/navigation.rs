//! Moving around the logs pane: the selected entry (cursor) and the view, both counted from
//! the newest shown entry; follow/pause; jump to a time; `n`/`N` to the next regex match.
//!
//! Following keeps the cursor on the newest entry. Moving the cursor up (or paging, jumping,
//! searching) pauses; moving it back down to the newest entry follows again. While paused,
//! arriving lines never move what is on screen: the top of the view and the cursor are
//! anchored to their entries and re-found after every change (new lines, a filter, a switch
//! between lines and invocations).

use unstuck_views::logs::invocations_view::entries_in_view;

use super::pane::LogsPane;

/// An entry that must stay put: a line or an invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Row { timestamp_ms: i64, seq: u64 },
    Invocation { start_ms: i64, serial: u64 },
}

/// Where a jump to a time landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JumpOutcome {
    /// The first entry at/after the time, with its own time.
    At {
        entry_ms: i64,
    },
    /// Every entry is older: the view shows the newest.
    AfterNewest,
    Empty,
}

impl LogsPane {
    /// Rows the shown entry `i` (0 = oldest shown) takes on screen.
    fn entry_height(&self, i: usize) -> usize {
        if self.by_invocation {
            self.shown_invocation(i).map_or(1, |item| item.height())
        } else {
            1
        }
    }

    /// Time of shown entry `i`: a line's timestamp, an invocation's start.
    pub fn entry_time(&self, i: usize) -> Option<i64> {
        if self.by_invocation {
            self.shown_invocation(i).map(|item| item.start_ms)
        } else {
            self.shown_row_index(i).map(|r| self.rows[r].timestamp_ms)
        }
    }

    /// The selected entry as a position from the oldest shown.
    pub fn cursor_position(&self) -> Option<usize> {
        let shown = self.shown_len();
        (shown > 0).then(|| shown - 1 - self.cursor_from_bottom.min(shown - 1))
    }

    fn anchor_at(&self, i: usize) -> Option<Anchor> {
        if self.by_invocation {
            self.shown_invocation(i).map(|item| Anchor::Invocation {
                start_ms: item.start_ms,
                serial: item.serial,
            })
        } else {
            let row = &self.rows[self.shown_row_index(i)?];
            Some(Anchor::Row {
                timestamp_ms: row.timestamp_ms,
                seq: row.seq,
            })
        }
    }

    /// The cursor's and the view top's entries, while paused.
    pub(super) fn anchors(&self) -> Option<(Anchor, Anchor)> {
        let shown = self.shown_len();
        if self.follow || shown == 0 {
            return None;
        }
        let cursor = shown - 1 - self.cursor_from_bottom.min(shown - 1);
        let top = self.view_range(self.scroll_from_bottom).start;
        Some((self.anchor_at(cursor)?, self.anchor_at(top)?))
    }

    /// First shown entry whose time is at or after `ms` (`shown_len()` when none).
    pub fn first_shown_at(&self, ms: i64) -> usize {
        match (self.by_invocation, &self.visible, &self.visible_invocations) {
            (false, Some(visible), _) => {
                visible.partition_point(|&i| self.rows[i].timestamp_ms < ms)
            }
            (false, None, _) => self.rows.partition_point(|r| r.timestamp_ms < ms),
            (true, _, Some(visible)) => {
                visible.partition_point(|&i| self.invocations.items[i].start_ms < ms)
            }
            (true, _, None) => self.invocations.items.partition_point(|i| i.start_ms < ms),
        }
    }

    /// The shown position of an anchored entry; if it is gone (dropped, filtered out, or of
    /// the other mode), the first entry at or after its time.
    fn position_of(&self, anchor: Anchor) -> usize {
        let shown_position = |index: usize, visible: &Option<Vec<usize>>| match visible {
            Some(v) => v.binary_search(&index).unwrap_or_else(|p| p),
            None => index,
        };
        let exact = match (anchor, self.by_invocation) {
            (Anchor::Row { timestamp_ms, seq }, by_invocation) => {
                let start = self.rows.partition_point(|r| r.timestamp_ms < timestamp_ms);
                let index = (start..self.rows.len())
                    .take_while(|&i| self.rows[i].timestamp_ms == timestamp_ms)
                    .find(|&i| self.rows[i].seq == seq);
                match (index, by_invocation) {
                    (Some(i), false) => Some(shown_position(i, &self.visible)),
                    (Some(i), true) => self.rows[i]
                        .request_id
                        .as_deref()
                        .and_then(|id| self.invocations.find_request(id))
                        .map(|i| shown_position(i, &self.visible_invocations)),
                    (None, _) => None,
                }
            }
            (Anchor::Invocation { start_ms, serial }, true) => self
                .invocations
                .find(start_ms, serial)
                .map(|i| shown_position(i, &self.visible_invocations)),
            (Anchor::Invocation { .. }, false) => None,
        };
        exact.unwrap_or_else(|| {
            let ms = match anchor {
                Anchor::Row { timestamp_ms, .. } => timestamp_ms,
                Anchor::Invocation { start_ms, .. } => start_ms,
            };
            self.first_shown_at(ms)
        })
    }

    /// Put the cursor and the view back on their anchored entries after a change.
    pub(super) fn restore(&mut self, anchors: Option<(Anchor, Anchor)>) {
        let shown = self.shown_len();
        match anchors {
            _ if self.follow || shown == 0 => {
                self.cursor_from_bottom = 0;
                self.scroll_from_bottom = 0;
            }
            None => {}
            Some((cursor, top)) => {
                let position = self.position_of(cursor).min(shown - 1);
                self.cursor_from_bottom = shown - 1 - position;
                self.scroll_from_bottom =
                    self.scroll_with_top(self.position_of(top).min(shown - 1));
                // The view does not move; a selection pushed off it stays at its edge.
                self.clamp_cursor_into_view();
                return;
            }
        }
        self.keep_cursor_visible();
    }

    /// Move the cursor (not the view) onto the nearest entry on screen.
    fn clamp_cursor_into_view(&mut self) {
        let shown = self.shown_len();
        let range = self.view_range(self.scroll_from_bottom);
        if shown == 0 || range.is_empty() {
            return;
        }
        let cursor = shown - 1 - self.cursor_from_bottom.min(shown - 1);
        let clamped = cursor.clamp(range.start, range.end - 1);
        self.cursor_from_bottom = shown - 1 - clamped;
    }

    /// Shown entries (from the bottom of the view) that fit the page.
    pub fn view_range(&self, scroll: usize) -> std::ops::Range<usize> {
        entries_in_view(self.shown_len(), scroll, self.page_rows, |i| {
            self.entry_height(i)
        })
    }

    /// Entries on one screen (at least 1).
    pub fn page_entries(&self) -> usize {
        self.view_range(self.scroll_from_bottom).len().max(1)
    }

    /// Furthest the view can scroll up with `page` rows on screen.
    pub fn max_scroll(&self, page: usize) -> usize {
        let shown = self.shown_len();
        if !self.by_invocation {
            return shown.saturating_sub(page);
        }
        let mut used = 0;
        let mut fit = 0;
        while fit < shown {
            used += self.entry_height(fit);
            if used > page.max(1) && fit > 0 {
                break;
            }
            fit += 1;
        }
        shown - fit
    }

    /// Scroll so the selected entry is on screen (and the view not past the oldest entry).
    pub fn keep_cursor_visible(&mut self) {
        let shown = self.shown_len();
        if shown == 0 {
            self.cursor_from_bottom = 0;
            self.scroll_from_bottom = 0;
            return;
        }
        self.cursor_from_bottom = self.cursor_from_bottom.min(shown - 1);
        self.scroll_from_bottom = self.scroll_from_bottom.min(self.max_scroll(self.page_rows));
        if self.cursor_from_bottom < self.scroll_from_bottom {
            self.scroll_from_bottom = self.cursor_from_bottom;
        }
        let cursor = shown - 1 - self.cursor_from_bottom;
        if !self.view_range(self.scroll_from_bottom).contains(&cursor) {
            // The cursor is above the view: make it the top entry.
            self.scroll_from_bottom = self.scroll_with_top(cursor);
        }
    }

    /// Move the cursor by `delta` entries (positive = older). Leaving the newest entry
    /// pauses; coming back to it follows again.
    pub fn move_cursor(&mut self, delta: isize) {
        let shown = self.shown_len();
        if shown == 0 {
            return;
        }
        let next = self
            .cursor_from_bottom
            .saturating_add_signed(delta)
            .min(shown - 1);
        self.cursor_from_bottom = next;
        if delta > 0 {
            self.follow = false;
        } else if next == 0 {
            self.scroll_to_bottom();
            return;
        }
        self.keep_cursor_visible();
    }

    /// Page up (positive) or down: the view and the cursor move together.
    pub fn page_by(&mut self, delta: isize) {
        let max = self.max_scroll(self.page_rows);
        self.scroll_from_bottom = self
            .scroll_from_bottom
            .saturating_add_signed(delta)
            .min(max);
        self.move_cursor(delta);
    }

    /// Scroll the view by `delta` rows (positive = towards older rows), keeping the cursor on
    /// screen. Reaching the bottom resumes following; leaving it pauses.
    pub fn scroll_by(&mut self, delta: isize, page: usize) {
        self.page_rows = page.max(1);
        let max = self.max_scroll(self.page_rows);
        let next = self
            .scroll_from_bottom
            .saturating_add_signed(delta)
            .min(max);
        self.scroll_from_bottom = next;
        self.follow = next == 0;
        if self.follow {
            self.cursor_from_bottom = 0;
        } else {
            self.clamp_cursor_into_view();
        }
    }

    pub fn scroll_to_top(&mut self, page: usize) {
        self.page_rows = page.max(1);
        self.cursor_from_bottom = self.shown_len().saturating_sub(1);
        self.follow = self.cursor_from_bottom == 0;
        self.keep_cursor_visible();
    }

    pub fn scroll_to_bottom(&mut self) {
        self.scroll_from_bottom = 0;
        self.cursor_from_bottom = 0;
        self.follow = true;
    }

    pub fn toggle_follow(&mut self) {
        if self.follow && self.scroll_from_bottom == 0 {
            self.follow = false;
        } else {
            self.scroll_to_bottom();
        }
    }

    /// Select the entry drawn at list row `row` of the view (a mouse click); pauses.
    pub fn select_at_row(&mut self, row: usize) {
        let shown = self.shown_len();
        let mut top = 0;
        for i in self.view_range(self.scroll_from_bottom) {
            let height = self.entry_height(i);
            if row < top + height {
                self.follow = false;
                self.cursor_from_bottom = shown - 1 - i;
                return;
            }
            top += height;
        }
    }

    /// Select the first entry at or after `ms` and scroll it to the top of the view; pauses.
    pub fn jump_to_time(&mut self, ms: i64) -> JumpOutcome {
        let shown = self.shown_len();
        if shown == 0 {
            return JumpOutcome::Empty;
        }
        self.follow = false;
        let position = self.first_shown_at(ms);
        if position >= shown {
            self.cursor_from_bottom = 0;
            self.scroll_from_bottom = 0;
            return JumpOutcome::AfterNewest;
        }
        self.cursor_from_bottom = shown - 1 - position;
        self.scroll_from_bottom = self.scroll_with_top(position);
        self.keep_cursor_visible();
        JumpOutcome::At {
            entry_ms: self.entry_time(position).unwrap_or(ms),
        }
    }

    /// The scroll that shows entry `top` at the top of the view (or as high as it goes).
    fn scroll_with_top(&self, top: usize) -> usize {
        let shown = self.shown_len();
        let mut used = 0;
        let mut bottom = top;
        while bottom < shown {
            used += self.entry_height(bottom);
            if used > self.page_rows && bottom > top {
                break;
            }
            bottom += 1;
        }
        shown - bottom
    }

    /// Move the cursor to the next entry matching the regex: older (`n`) or newer (`N`).
    /// Returns false when there is none (or no regex).
    pub fn search(&mut self, older: bool) -> bool {
        let Some(re) = self.filter.clone() else {
            return false;
        };
        let shown = self.shown_len();
        if shown == 0 {
            return false;
        }
        let cursor = self.cursor_from_bottom.min(shown - 1);
        let matches = |k: usize| {
            let i = shown - 1 - k;
            if self.by_invocation {
                self.shown_invocation(i)
                    .is_some_and(|item| item.matches(&re))
            } else {
                self.shown_row_index(i)
                    .is_some_and(|r| self.rows[r].matches(&re))
            }
        };
        let found = if older {
            (cursor + 1..shown).find(|&k| matches(k))
        } else {
            (0..cursor).rev().find(|&k| matches(k))
        };
        let Some(k) = found else {
            return false;
        };
        self.follow = false;
        self.cursor_from_bottom = k;
        let range = self.view_range(self.scroll_from_bottom);
        if !range.contains(&(shown - 1 - k)) {
            // Off screen: bring it to the middle.
            self.scroll_from_bottom = k.saturating_sub(self.page_entries() / 2);
        }
        self.keep_cursor_visible();
        true
    }
}
