//! The logs pane: a bounded, timestamp-ordered buffer of display rows, follow/pause,
//! scroll-back, and a client-side regex filter.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use regex::Regex;
use unstuck_aws::model::LogEvent;
use unstuck_views::log_row::LogRow;
use unstuck_views::props::Loadable;

use super::log_ingest::{rows_for_event, tag_for_group};

pub const DEFAULT_BUFFER_LINES: usize = 100_000;

pub struct LogsPane {
    pub rows: VecDeque<LogRow>,
    pub capacity: usize,
    /// Rows dropped from the front because the buffer was full.
    pub dropped: u64,
    pub follow: bool,
    /// Filtered rows between the bottom of the view and the newest row.
    pub scroll_from_bottom: usize,
    pub filter: Option<Regex>,
    pub filter_text: Option<String>,
    /// Indices into `rows` of the rows matching `filter` (kept only while a filter is set).
    pub visible: Option<Vec<usize>>,
    /// The groups being tailed.
    pub groups: Vec<String>,
    pub tail_id: Option<u64>,
    pub state: Loadable,
    /// Per-group errors of the current tail, cleared by a full successful round.
    pub group_errors: HashMap<String, String>,
    next_seq: u64,
    interned: HashMap<String, (Arc<str>, Arc<str>)>,
}

impl LogsPane {
    pub fn new(capacity: usize) -> Self {
        Self {
            rows: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
            follow: true,
            scroll_from_bottom: 0,
            filter: None,
            filter_text: None,
            visible: None,
            groups: Vec::new(),
            tail_id: None,
            state: Loadable::Loading,
            group_errors: HashMap::new(),
            next_seq: 0,
            interned: HashMap::new(),
        }
    }

    /// Start over with a new set of groups (the buffer is cleared; the new tail back-fills).
    pub fn reset_for(&mut self, groups: Vec<String>, tail_id: u64) {
        self.rows.clear();
        self.dropped = 0;
        self.scroll_from_bottom = 0;
        self.follow = true;
        self.groups = groups;
        self.tail_id = Some(tail_id);
        self.state = Loadable::Loading;
        self.group_errors.clear();
        self.rebuild_visible();
    }

    /// Number of rows the view can show (after filtering).
    pub fn shown_len(&self) -> usize {
        self.visible.as_ref().map_or(self.rows.len(), Vec::len)
    }

    /// Merge new events into the buffer in timestamp order.
    pub fn ingest(&mut self, mut events: Vec<LogEvent>) {
        if events.is_empty() {
            return;
        }
        events.sort_by_key(|e| e.timestamp_ms);
        let shown_before = self.shown_len();
        let mut structural = false;
        for event in &events {
            let (group, tag) = self.intern(&event.group);
            let rows = rows_for_event(event, &group, &tag, &mut self.next_seq);
            let at_end = self
                .rows
                .back()
                .is_none_or(|last| last.timestamp_ms <= event.timestamp_ms);
            if at_end {
                for row in rows {
                    if let (Some(visible), Some(re)) = (self.visible.as_mut(), self.filter.as_ref())
                        && re.is_match(&row.text)
                    {
                        visible.push(self.rows.len());
                    }
                    self.rows.push_back(row);
                }
            } else {
                // Late event: its place is before newer rows already shown.
                let pos = self
                    .rows
                    .partition_point(|r| r.timestamp_ms <= event.timestamp_ms);
                for (i, row) in rows.into_iter().enumerate() {
                    self.rows.insert(pos + i, row);
                }
                structural = true;
            }
        }
        let overflow = self.rows.len().saturating_sub(self.capacity);
        if overflow > 0 {
            self.rows.drain(..overflow);
            self.dropped += overflow as u64;
            structural = true;
        }
        if structural {
            self.rebuild_visible();
        }
        if !self.follow || self.scroll_from_bottom > 0 {
            // Keep the rows on screen where they are: what arrived goes below the view.
            let added = self.shown_len().saturating_sub(shown_before);
            self.scroll_from_bottom = (self.scroll_from_bottom + added).min(self.max_scroll_any());
        }
    }

    fn intern(&mut self, group: &str) -> (Arc<str>, Arc<str>) {
        if let Some(pair) = self.interned.get(group) {
            return pair.clone();
        }
        let pair: (Arc<str>, Arc<str>) = (Arc::from(group), Arc::from(tag_for_group(group)));
        self.interned.insert(group.to_string(), pair.clone());
        pair
    }

    /// Set (or clear, with `None`) the client-side filter.
    pub fn set_filter(&mut self, filter: Option<(String, Regex)>) {
        match filter {
            Some((text, re)) => {
                self.filter_text = Some(text);
                self.filter = Some(re);
            }
            None => {
                self.filter_text = None;
                self.filter = None;
            }
        }
        self.scroll_from_bottom = 0;
        self.rebuild_visible();
    }

    fn rebuild_visible(&mut self) {
        self.visible = self.filter.as_ref().map(|re| {
            self.rows
                .iter()
                .enumerate()
                .filter(|(_, r)| re.is_match(&r.text))
                .map(|(i, _)| i)
                .collect()
        });
    }

    fn max_scroll_any(&self) -> usize {
        self.shown_len()
    }

    /// Furthest the view can scroll up with `page` rows on screen.
    pub fn max_scroll(&self, page: usize) -> usize {
        self.shown_len().saturating_sub(page)
    }

    /// Scroll by `delta` rows (positive = towards older rows). Reaching the bottom resumes
    /// following; leaving it pauses.
    pub fn scroll_by(&mut self, delta: isize, page: usize) {
        let max = self.max_scroll(page);
        let current = self.scroll_from_bottom.min(max);
        let next = if delta >= 0 {
            current.saturating_add(delta.unsigned_abs()).min(max)
        } else {
            current.saturating_sub(delta.unsigned_abs())
        };
        self.scroll_from_bottom = next;
        self.follow = next == 0;
    }

    pub fn scroll_to_top(&mut self, page: usize) {
        self.scroll_from_bottom = self.max_scroll(page);
        self.follow = self.scroll_from_bottom == 0;
    }

    pub fn scroll_to_bottom(&mut self) {
        self.scroll_from_bottom = 0;
        self.follow = true;
    }

    pub fn toggle_follow(&mut self) {
        if self.follow && self.scroll_from_bottom == 0 {
            self.follow = false;
        } else {
            self.scroll_to_bottom();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(ts: i64, id: &str, msg: &str) -> LogEvent {
        LogEvent {
            timestamp_ms: ts,
            ingestion_time_ms: ts,
            group: "/aws/lambda/a".to_string(),
            stream: "s".to_string(),
            event_id: id.to_string(),
            message: msg.to_string(),
        }
    }

    fn texts(p: &LogsPane) -> Vec<&str> {
        p.rows.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn merges_late_events_in_timestamp_order() {
        let mut pane = LogsPane::new(100);
        pane.ingest(vec![ev(30, "3", "c"), ev(10, "1", "a")]);
        pane.ingest(vec![ev(20, "2", "b"), ev(40, "4", "d")]);
        assert_eq!(texts(&pane), ["a", "b", "c", "d"]);
    }

    #[test]
    fn bounded_buffer_counts_dropped_lines() {
        let mut pane = LogsPane::new(3);
        pane.ingest(
            (0..5)
                .map(|i| ev(i, &i.to_string(), &format!("m{i}")))
                .collect(),
        );
        assert_eq!(texts(&pane), ["m2", "m3", "m4"]);
        assert_eq!(pane.dropped, 2);
    }

    #[test]
    fn filter_keeps_matching_rows_as_they_arrive() {
        let mut pane = LogsPane::new(100);
        pane.ingest(vec![ev(1, "1", "ok"), ev(2, "2", "ERROR boom")]);
        pane.set_filter(Some(("error".into(), Regex::new("(?i)error").unwrap())));
        assert_eq!(pane.visible.as_deref(), Some(&[1][..]));
        pane.ingest(vec![ev(3, "3", "fine"), ev(4, "4", "another error")]);
        assert_eq!(pane.visible.as_deref(), Some(&[1, 3][..]));
        pane.ingest(vec![ev(0, "0", "early error")]);
        assert_eq!(pane.visible.as_deref(), Some(&[0, 2, 4][..]));
        pane.set_filter(None);
        assert_eq!(pane.shown_len(), 5);
    }

    #[test]
    fn paused_view_stays_put_while_lines_arrive() {
        let mut pane = LogsPane::new(100);
        pane.ingest((0..50).map(|i| ev(i, &i.to_string(), "x")).collect());
        pane.scroll_by(5, 10);
        assert!(!pane.follow);
        pane.ingest((50..53).map(|i| ev(i, &i.to_string(), "y")).collect());
        assert_eq!(pane.scroll_from_bottom, 8);
        pane.scroll_by(-100, 10);
        assert!(pane.follow);
        assert_eq!(pane.scroll_from_bottom, 0);
    }

    #[test]
    fn toggle_follow_pauses_and_resumes_at_the_bottom() {
        let mut pane = LogsPane::new(100);
        pane.ingest((0..30).map(|i| ev(i, &i.to_string(), "x")).collect());
        pane.toggle_follow();
        assert!(!pane.follow);
        pane.ingest(vec![ev(31, "31", "z")]);
        assert_eq!(pane.scroll_from_bottom, 1);
        pane.toggle_follow();
        assert!(pane.follow);
        assert_eq!(pane.scroll_from_bottom, 0);
    }
}
