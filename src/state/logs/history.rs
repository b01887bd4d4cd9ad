//! Looking back: how far back the buffer holds every event, and loading older windows on
//! demand — when the selection reaches the oldest line, or `:time` asks for a time before it.
//! Windows grow (5 min, then four times longer each time one is empty) until a line turns up
//! or a year back is reached ("nothing older"); a group with an empty window is probed once
//! for anything older at all (see `tail::older`), so most groups are settled in two calls. Older lines never push newer ones out: a load
//! asks for at most the room left in the buffer.

use unstuck_aws::model::BackendError;

use super::LogsPane;
use crate::state::shared::msg::Effect;
use crate::state::shared::pane_ctx::PaneCtx;
use crate::tail::{OlderRequest, OlderWindow, QueryScope};

/// The first older window, and how much longer each empty one makes the next.
const FIRST_WINDOW_MS: i64 = 5 * 60_000;
const GROWTH: i64 = 4;
/// Nothing is looked for further back than this (CloudWatch retention is at most 10 years,
/// but an on-call look-back of more than a year is not what this is for).
pub const LOOK_BACK_LIMIT_MS: i64 = 365 * 86_400_000;
/// A `:time` before the oldest line loads from this much before that time.
const JUMP_MARGIN_MS: i64 = 60_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The buffer holds every event from here on (the tail's start, then each older window's).
    pub covered_from_ms: Option<i64>,
    pub loading: bool,
    /// Nothing older within the look-back limit.
    pub exhausted: bool,
    window_ms: i64,
    /// A `:time` before the oldest line: jump there once the loads reach it.
    pub jump_to: Option<i64>,
    /// Groups known to hold nothing older than what the buffer has.
    pub done_groups: std::collections::HashSet<String>,
}

impl History {
    /// A new tail starting at `since_ms`.
    pub fn start_at(since_ms: i64) -> Self {
        Self {
            covered_from_ms: Some(since_ms),
            window_ms: FIRST_WINDOW_MS,
            ..Self::default()
        }
    }

    /// The row drawn above the oldest line, if any.
    pub fn note(&self) -> Option<String> {
        if self.loading {
            Some("loading older lines…".into())
        } else if self.exhausted {
            Some("nothing older in the retention period (looked back a year)".into())
        } else {
            None
        }
    }
}

impl LogsPane {
    /// Load the window before the oldest line held (from `from_ms` when given). None when a
    /// load is under way, nothing older exists, or the buffer is full.
    pub fn load_older(&mut self, from_ms: Option<i64>, ctx: &mut PaneCtx<'_>) -> Option<Effect> {
        let end = self.history.covered_from_ms?;
        let tail_id = self.tail_id?;
        if self.history.loading || self.history.exhausted || self.groups.is_empty() {
            return None;
        }
        let room = self.capacity.saturating_sub(self.rows.len());
        if room == 0 {
            ctx.warn(format!(
                "the buffer is full ({} lines): older lines would push out newer ones; raise \
                 --buffer-lines to look further back",
                self.capacity
            ));
            return None;
        }
        let floor = ctx.now_ms.saturating_sub(LOOK_BACK_LIMIT_MS);
        let start = from_ms
            .unwrap_or_else(|| end.saturating_sub(self.history.window_ms))
            .max(floor);
        let groups: Vec<String> = self
            .groups
            .iter()
            .filter(|g| !self.history.done_groups.contains(*g))
            .cloned()
            .collect();
        if groups.is_empty() {
            self.history.exhausted = true;
            return None;
        }
        self.history.loading = true;
        Some(Effect::LoadOlder(OlderRequest {
            tail_id,
            groups,
            floor_ms: floor,
            scope: QueryScope {
                filter_pattern: self.filter_pattern.clone(),
                stream_names: self.stream_names.clone(),
                stream_prefix: self.stream_prefix.clone(),
            },
            start_ms: start,
            end_ms: end,
            room,
        }))
    }

    /// `:time` before the oldest line held: load back to it, then jump.
    pub fn load_back_to(&mut self, ms: i64, ctx: &mut PaneCtx<'_>) -> Option<Effect> {
        let covered = self.history.covered_from_ms?;
        if ms >= covered || self.history.exhausted {
            return None;
        }
        self.history.jump_to = Some(ms);
        self.load_older(Some(ms.saturating_sub(JUMP_MARGIN_MS)), ctx)
    }

    /// An older window arrived: take its lines in, then keep going while windows are empty
    /// (or a jump waits for an earlier time).
    pub fn on_older(
        &mut self,
        result: Result<OlderWindow, BackendError>,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        self.history.loading = false;
        let window = match result {
            Ok(window) => window,
            Err(error) => {
                self.history.jump_to = None;
                ctx.error(format!(
                    "could not load older lines: {}",
                    super::tail_reports::describe_error(&error)
                ));
                return Vec::new();
            }
        };
        let found = window.events.len();
        self.ingest(window.events);
        self.history.covered_from_ms = Some(window.start_ms);
        self.history.done_groups.extend(window.exhausted);
        let limit = ctx.now_ms.saturating_sub(LOOK_BACK_LIMIT_MS);
        if self
            .groups
            .iter()
            .all(|g| self.history.done_groups.contains(g))
        {
            self.history.exhausted = true;
        }
        if found == 0 {
            self.history.window_ms = self.history.window_ms.saturating_mul(GROWTH);
        } else {
            self.history.window_ms = FIRST_WINDOW_MS;
            ctx.info(format!(
                "{found} older line{} loaded, from {}",
                if found == 1 { "" } else { "s" },
                ctx.zone.row_time(window.start_ms)
            ));
        }
        if window.start_ms <= limit {
            self.history.exhausted = true;
        }
        if let Some(target) = self.history.jump_to {
            if window.start_ms <= target || self.history.exhausted {
                self.history.jump_to = None;
                self.jump_to_time(target);
                return Vec::new();
            }
            return self
                .load_older(Some(target.saturating_sub(JUMP_MARGIN_MS)), ctx)
                .into_iter()
                .collect();
        }
        if self.history.exhausted {
            ctx.info("nothing older in the retention period");
            return Vec::new();
        }
        if found == 0 {
            return self.load_older(None, ctx).into_iter().collect();
        }
        Vec::new()
    }

    /// After a move: the selection is on the oldest line held, so look further back.
    pub fn older_if_at_top(&mut self, ctx: &mut PaneCtx<'_>) -> Option<Effect> {
        if self.follow || self.shown_len() == 0 || self.cursor_position() != Some(0) {
            return None;
        }
        self.load_older(None, ctx)
    }
}
