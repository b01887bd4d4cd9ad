//! The logs pane: a bounded, timestamp-ordered buffer of display rows, the per-invocation
//! index, follow/pause with a selected row, and the client-side filters (regex that hides or
//! highlights, minimum level). Navigation lives in `navigation.rs`.
//!
//! Level filter: a line without a level counts as INFO, so at WARN+ the Lambda platform
//! lines (START/END/REPORT) are hidden too, while `Task timed out` lines (ERROR) stay.
//! Continuation lines (stack frames) carry the level of their event.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use regex::Regex;
use unstuck_aws::model::LogEvent;
use unstuck_views::logs::invocation_row::InvocationRow;
use unstuck_views::logs::log_row::{Level, LogRow};
use unstuck_views::logs::props::MatchMode;
use unstuck_views::props::Loadable;

use super::ExportRun;
use super::history::History;
pub use super::ingest::common_tag_prefix;
use super::ingest::{rows_for_event, tag_for_group};
use super::invocations::InvocationIndex;
use super::navigation::Anchor;
use crate::state::shared::polled::PollError;
use crate::state::shared::tail_health::TailHealth;

pub const DEFAULT_BUFFER_LINES: usize = 100_000;
/// Distinct stream names remembered before the intern table starts over.
const MAX_INTERNED_STREAMS: usize = 20_000;
/// While paused, the buffer may exceed its capacity by capacity / this, so the lines on
/// screen stay put.
const PAUSED_SLACK_DIVISOR: usize = 10;
/// Rows a page holds before the first resize tells the real size.
const DEFAULT_PAGE_ROWS: usize = 20;

/// A CloudWatch filter pattern that AWS has not accepted yet; `previous` comes back if AWS
/// rejects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternTrial {
    pub previous: Option<String>,
}

pub struct LogsPane {
    pub rows: VecDeque<LogRow>,
    pub capacity: usize,
    /// Rows dropped from the front because the buffer was full.
    pub dropped: u64,
    pub follow: bool,
    /// Shown entries between the bottom of the view and the newest entry.
    pub scroll_from_bottom: usize,
    /// The selected entry, counted from the newest shown (0 while following).
    pub cursor_from_bottom: usize,
    /// Rows of list the view has room for (kept up to date by the reducer).
    pub page_rows: usize,
    pub filter: Option<Regex>,
    pub filter_text: Option<String>,
    pub match_mode: MatchMode,
    /// Lines below this level are hidden.
    pub min_level: Option<Level>,
    /// A CloudWatch filter pattern sent to AWS with every query of the tail.
    pub filter_pattern: Option<String>,
    pub pattern_trial: Option<PatternTrial>,
    /// The last pattern AWS refused (offered again for editing).
    pub rejected_pattern: Option<String>,
    /// The rows on screen belong to a tail being replaced: the first report of the new
    /// tail clears them (so a pattern change never blanks the pane while AWS answers).
    pub replace_on_report: bool,
    /// Events already held that a restarted tail will deliver again: (timestamp, key hash).
    /// Cleared once the new tail has caught up.
    pub replayed: Option<HashSet<(i64, u64)>>,
    /// Indices into `rows` of the rows passing the filters (only while a filter hides rows).
    pub visible: Option<Vec<usize>>,
    /// Show one entry per invocation instead of one per line.
    pub by_invocation: bool,
    pub invocations: InvocationIndex,
    /// Indices into `invocations.items` passing the filters (only while one hides entries).
    pub visible_invocations: Option<Vec<usize>>,
    /// Prefixes given at start (`--log-group`, config.toml): the groups starting with one
    /// are tailed once the list of groups arrives.
    pub pending_prefixes: Vec<String>,
    /// Why the list of groups could not be read while resolving those prefixes.
    pub list_error: Option<PollError>,
    /// When the tail last reported (the header's ↻ on this pane).
    pub last_tail_ms: Option<i64>,
    /// The export being written, if any (one at a time).
    pub export: Option<ExportRun>,
    /// What the Live Tail is doing, for the title ("live tail", "SAMPLED", "polling").
    pub live_note: Option<String>,
    pub next_tail_id: u64,
    /// The groups being tailed.
    pub groups: Vec<String>,
    pub tail_id: Option<u64>,
    pub state: Loadable,
    /// Per-group errors of the current tail, cleared by a full successful round.
    pub group_errors: HashMap<String, String>,
    /// How well the tail keeps up (lag, quiet groups, late events).
    pub health: TailHealth,
    /// Long lines wrap (`w`) instead of being cut; else `h_scroll` columns are scrolled off.
    pub wrap: bool,
    pub h_scroll: usize,
    /// The start every tailed group's tag shares ("tax-"), not drawn.
    pub tag_prefix: String,
    /// Only these streams (`:stream a b`) or those starting with a prefix (`:stream p*`).
    pub stream_names: Vec<String>,
    pub stream_prefix: Option<String>,
    /// How far back a new tail starts (`--since`, `:since`).
    pub since_back_ms: i64,
    /// How far back the buffer holds every event, and older loads.
    pub history: History,
    /// Once the tail has caught up, select the first line at this time and pause (logs
    /// opened from a moment: a chart point, a step).
    pub jump_when_caught_up: Option<i64>,
    next_seq: u64,
    interned: HashMap<String, (Arc<str>, Arc<str>)>,
    streams: HashMap<String, Arc<str>>,
}

impl LogsPane {
    pub fn new(capacity: usize) -> Self {
        Self::with_start_prefixes(capacity, Vec::new())
    }

    /// A pane that will tail the groups starting with one of `prefixes` once it can list them.
    pub fn with_start_prefixes(capacity: usize, prefixes: Vec<String>) -> Self {
        Self {
            rows: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
            follow: true,
            scroll_from_bottom: 0,
            cursor_from_bottom: 0,
            page_rows: DEFAULT_PAGE_ROWS,
            filter: None,
            filter_text: None,
            match_mode: MatchMode::Hide,
            min_level: None,
            filter_pattern: None,
            pattern_trial: None,
            rejected_pattern: None,
            replace_on_report: false,
            replayed: None,
            visible: None,
            by_invocation: false,
            invocations: InvocationIndex::default(),
            visible_invocations: None,
            pending_prefixes: prefixes,
            list_error: None,
            last_tail_ms: None,
            export: None,
            live_note: None,
            next_tail_id: 1,
            groups: Vec::new(),
            tail_id: None,
            state: Loadable::Loading,
            group_errors: HashMap::new(),
            health: TailHealth::default(),
            since_back_ms: super::tail_reports::TAIL_BACKFILL_MS,
            wrap: false,
            h_scroll: 0,
            stream_names: Vec::new(),
            stream_prefix: None,
            jump_when_caught_up: None,
            tag_prefix: String::new(),
            history: History::default(),
            next_seq: 0,
            interned: HashMap::new(),
            streams: HashMap::new(),
        }
    }

    /// Tails start this long before they are started (`--since`), when given.
    pub fn starting_back(mut self, since_back_ms: Option<i64>) -> Self {
        if let Some(back) = since_back_ms {
            self.since_back_ms = back.max(0);
        }
        self
    }

    /// Start over with a new set of groups (the buffer is cleared; the new tail back-fills).
    pub fn reset_for(&mut self, groups: Vec<String>, tail_id: u64) {
        self.clear_rows();
        self.follow = true;
        self.tag_prefix = common_tag_prefix(&groups);
        self.groups = groups;
        self.tail_id = Some(tail_id);
        self.jump_when_caught_up = None;
        self.state = Loadable::Loading;
        self.group_errors.clear();
        self.health.reset();
    }

    /// Empty the buffer and the invocation index; filters and modes stay.
    pub fn clear_rows(&mut self) {
        self.rows.clear();
        self.invocations.clear();
        self.dropped = 0;
        self.scroll_from_bottom = 0;
        self.cursor_from_bottom = 0;
        self.replace_on_report = false;
        self.replayed = None;
        self.rebuild_visible();
    }

    /// A tail restarting at `since_ms` will send again the events held from then on: note
    /// them so `ingest` skips them instead of showing them twice.
    pub fn expect_replay_since(&mut self, since_ms: i64) {
        let known = self
            .rows
            .iter()
            .rev()
            .take_while(|r| r.timestamp_ms >= since_ms)
            .filter(|r| r.kind != unstuck_views::logs::log_row::RowKind::Continuation)
            .map(|r| (r.timestamp_ms, event_key(r)))
            .collect();
        self.replayed = Some(known);
    }

    /// Number of entries the view can show (after filtering): lines, or invocations.
    pub fn shown_len(&self) -> usize {
        if self.by_invocation {
            self.visible_invocations
                .as_ref()
                .map_or(self.invocations.len(), Vec::len)
        } else {
            self.visible.as_ref().map_or(self.rows.len(), Vec::len)
        }
    }

    /// The index into `rows` of shown line `i` (0 = oldest shown).
    pub fn shown_row_index(&self, i: usize) -> Option<usize> {
        let index = match &self.visible {
            Some(visible) => *visible.get(i)?,
            None => i,
        };
        (index < self.rows.len()).then_some(index)
    }

    /// Shown invocation `i` (0 = oldest shown) as an index into `invocations.items`.
    pub fn shown_invocation_index(&self, i: usize) -> Option<usize> {
        let index = match &self.visible_invocations {
            Some(visible) => *visible.get(i)?,
            None => i,
        };
        (index < self.invocations.len()).then_some(index)
    }

    pub fn shown_invocation(&self, i: usize) -> Option<&InvocationRow> {
        self.invocations.items.get(self.shown_invocation_index(i)?)
    }

    fn level_passes(&self, level: Option<Level>) -> bool {
        self.min_level
            .is_none_or(|min| level.unwrap_or(Level::Info) >= min)
    }

    fn hiding_regex(&self) -> Option<&Regex> {
        self.filter
            .as_ref()
            .filter(|_| self.match_mode == MatchMode::Hide)
    }

    /// True while some rows are hidden by a filter (so `visible` is kept).
    fn filtering(&self) -> bool {
        self.min_level.is_some() || self.hiding_regex().is_some()
    }

    pub fn row_passes(&self, row: &LogRow) -> bool {
        self.level_passes(row.level) && self.hiding_regex().is_none_or(|re| row.matches(re))
    }

    pub fn invocation_passes(&self, item: &InvocationRow) -> bool {
        self.level_passes(item.max_level) && self.hiding_regex().is_none_or(|re| item.matches(re))
    }

    /// Merge new events into the buffer in timestamp order. A paused view keeps its rows
    /// (and selection) where they are while lines arrive below or above.
    pub fn ingest(&mut self, mut events: Vec<LogEvent>) {
        if events.is_empty() {
            return;
        }
        let anchors = self.anchors();
        events.sort_by_key(|e| e.timestamp_ms);
        let filtering = self.filtering();
        for event in &events {
            let (group, tag) = self.intern(&event.group);
            let stream = self.intern_stream(&event.stream);
            let (mut rows, facts) =
                rows_for_event(event, &group, &tag, &stream, &mut self.next_seq);
            if let (Some(replayed), Some(first)) = (self.replayed.as_mut(), rows.first())
                && replayed.remove(&(first.timestamp_ms, event_key(first)))
            {
                continue;
            }
            self.invocations.observe(&facts, &mut rows);
            let at_end = self
                .rows
                .back()
                .is_none_or(|last| last.timestamp_ms <= event.timestamp_ms);
            let pos = if at_end {
                self.rows.len()
            } else {
                // Late event: its place is before newer rows already held.
                self.rows
                    .partition_point(|r| r.timestamp_ms <= event.timestamp_ms)
            };
            let passing: Vec<usize> = if filtering {
                (0..rows.len())
                    .filter(|&i| self.row_passes(&rows[i]))
                    .map(|i| pos + i)
                    .collect()
            } else {
                Vec::new()
            };
            let added = rows.len();
            if at_end {
                self.rows.extend(rows);
            } else {
                for (i, row) in rows.into_iter().enumerate() {
                    self.rows.insert(pos + i, row);
                }
            }
            if let Some(visible) = self.visible.as_mut() {
                let split = visible.partition_point(|&v| v < pos);
                if split < visible.len() {
                    visible[split..].iter_mut().for_each(|v| *v += added);
                }
                visible.splice(split..split, passing);
            }
        }
        self.drop_overflow(anchors);
        if self.by_invocation {
            self.rebuild_visible_invocations();
        }
        self.restore(anchors);
    }

    /// Drop the oldest rows over the capacity. While paused (`anchors`), the rows on screen
    /// stay: only rows older than the view's top go, and the buffer may hold up to a tenth
    /// more than its capacity meanwhile; past that the oldest go even if shown.
    fn drop_overflow(&mut self, anchors: Option<(Anchor, Anchor)>) {
        let mut overflow = self.rows.len().saturating_sub(self.capacity);
        if overflow == 0 {
            return;
        }
        if let Some((_, top)) = anchors {
            let above_view = self.row_index_of(top);
            let past_slack = self
                .rows
                .len()
                .saturating_sub(self.capacity + self.capacity / PAUSED_SLACK_DIVISOR);
            overflow = overflow.min(above_view).max(past_slack);
            if overflow == 0 {
                return;
            }
        }
        self.rows.drain(..overflow);
        self.dropped += overflow as u64;
        if let Some(visible) = self.visible.as_mut() {
            let split = visible.partition_point(|&v| v < overflow);
            visible.drain(..split);
            visible.iter_mut().for_each(|v| *v -= overflow);
        }
        if let Some(oldest) = self.rows.front().map(|r| r.timestamp_ms) {
            self.invocations.evict(oldest, self.capacity);
        }
    }

    /// The index into `rows` of an anchored entry's first row (or where it would be).
    fn row_index_of(&self, anchor: Anchor) -> usize {
        match anchor {
            Anchor::Row { timestamp_ms, seq } => {
                let start = self.rows.partition_point(|r| r.timestamp_ms < timestamp_ms);
                (start..self.rows.len())
                    .take_while(|&i| self.rows[i].timestamp_ms == timestamp_ms)
                    .find(|&i| self.rows[i].seq == seq)
                    .unwrap_or(start)
            }
            Anchor::Invocation { start_ms, .. } => {
                self.rows.partition_point(|r| r.timestamp_ms < start_ms)
            }
        }
    }

    fn intern(&mut self, group: &str) -> (Arc<str>, Arc<str>) {
        if let Some(pair) = self.interned.get(group) {
            return pair.clone();
        }
        let tag = unstuck_aws::untrusted_text::sanitize_line(&tag_for_group(group)).into_owned();
        let pair: (Arc<str>, Arc<str>) = (Arc::from(group), Arc::from(tag));
        self.interned.insert(group.to_string(), pair.clone());
        pair
    }

    fn intern_stream(&mut self, stream: &str) -> Arc<str> {
        if let Some(name) = self.streams.get(stream) {
            return Arc::clone(name);
        }
        if self.streams.len() >= MAX_INTERNED_STREAMS {
            self.streams.clear();
        }
        let name: Arc<str> = Arc::from(stream);
        self.streams.insert(stream.to_string(), Arc::clone(&name));
        name
    }

    /// Set (or clear, with `None`) the client-side regex. Its mode (hide or highlight) stays.
    pub fn set_filter(&mut self, filter: Option<(String, Regex)>) {
        let anchors = self.anchors();
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
        self.refilter(anchors);
    }

    pub fn set_match_mode(&mut self, mode: MatchMode) {
        let anchors = self.anchors();
        self.match_mode = mode;
        self.refilter(anchors);
    }

    pub fn set_min_level(&mut self, level: Option<Level>) {
        let anchors = self.anchors();
        self.min_level = level;
        self.refilter(anchors);
    }

    /// ALL → DEBUG+ → INFO+ → WARN+ → ERROR+ → ALL.
    pub fn cycle_min_level(&mut self) {
        let next = match self.min_level {
            None => Some(Level::Debug),
            Some(Level::Trace | Level::Debug) => Some(Level::Info),
            Some(Level::Info) => Some(Level::Warn),
            Some(Level::Warn) => Some(Level::Error),
            Some(Level::Error | Level::Fatal) => None,
        };
        self.set_min_level(next);
    }

    /// Switch between one entry per line and one per invocation, staying at the same time.
    pub fn set_by_invocation(&mut self, on: bool) {
        let anchors = self.anchors();
        self.by_invocation = on;
        self.refilter(anchors);
    }

    fn refilter(&mut self, anchors: Option<(Anchor, Anchor)>) {
        self.rebuild_visible();
        self.rebuild_visible_invocations();
        self.restore(anchors);
    }

    fn rebuild_visible(&mut self) {
        self.visible = self.filtering().then(|| {
            self.rows
                .iter()
                .enumerate()
                .filter(|(_, r)| self.row_passes(r))
                .map(|(i, _)| i)
                .collect()
        });
    }

    fn rebuild_visible_invocations(&mut self) {
        self.visible_invocations = (self.by_invocation && self.filtering()).then(|| {
            self.invocations
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| self.invocation_passes(item))
                .map(|(i, _)| i)
                .collect()
        });
    }
}

/// What identifies an event's first row besides its time: group, stream and text.
fn event_key(row: &LogRow) -> u64 {
    let mut hasher = DefaultHasher::new();
    row.group.hash(&mut hasher);
    row.stream.hash(&mut hasher);
    row.text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
#[path = "pane_tests.rs"]
mod tests;
