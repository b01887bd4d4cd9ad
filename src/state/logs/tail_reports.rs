//! The logs pane's tail: starting and replacing it, and what its reports do to the pane.

use unstuck_aws::model::BackendError;
use unstuck_views::props::Loadable;

use super::LogsPane;
use super::history::History;
use crate::config::Action;
use crate::state::shared::msg::Effect;
use crate::state::shared::pane_ctx::PaneCtx;
use crate::tail::{LiveState, TailReport, TailSpec};

/// How far back a new tail starts, so the pane is not empty when it opens.
pub const TAIL_BACKFILL_MS: i64 = 5 * 60 * 1000;
/// A tail restarted over lines already held starts this long before the newest of them (so
/// late events are not lost); what it sends again is skipped.
const RESTART_OVERLAP_MS: i64 = 60 * 1000;

impl LogsPane {
    /// A report of the running tail (reports of a replaced tail are ignored).
    pub fn on_tail(&mut self, report: TailReport, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let current = self.tail_id;
        match report {
            TailReport::Events {
                tail_id,
                at_ms,
                events,
            } if Some(tail_id) == current => {
                self.last_tail_ms = Some(at_ms);
                self.accept_replacement(ctx);
                let is_error = |e: &unstuck_aws::model::LogEvent| {
                    crate::state::shared::log_level::is_error(&e.message)
                };
                if let Some(late) = self.health.on_events(&events, at_ms, is_error) {
                    ctx.info(late);
                }
                self.ingest(events);
                if self.group_errors.is_empty() {
                    self.state = Loadable::Ready;
                }
            }
            TailReport::Failed {
                tail_id,
                group,
                error,
                ..
            } if Some(tail_id) == current => {
                if let BackendError::InvalidInput(reason) = &error
                    && self.pattern_trial.is_some()
                {
                    return self.reject_pattern(reason, ctx);
                }
                let text = describe_error(&error);
                ctx.error(match error.fix() {
                    Some(_) => text.clone(),
                    None => format!("tail {group}: {text}"),
                });
                self.group_errors.insert(group, text.clone());
                self.state = if self.rows.is_empty() && self.last_tail_ms.is_none() {
                    Loadable::Failed(text)
                } else {
                    Loadable::Stale(text)
                };
            }
            TailReport::Caught { tail_id, at_ms } if Some(tail_id) == current => {
                self.last_tail_ms = Some(at_ms);
                self.accept_replacement(ctx);
                self.replayed = None;
                if let Some(at) = self.jump_when_caught_up.take() {
                    self.jump_to_time(at);
                }
                if !self.group_errors.is_empty() {
                    self.group_errors.clear();
                    ctx.clear_error();
                    ctx.info("tail: all groups reachable again");
                }
                self.state = Loadable::Ready;
            }
            TailReport::Older {
                tail_id, result, ..
            } if Some(tail_id) == current => {
                return self.on_older(result, ctx);
            }
            TailReport::Progress {
                tail_id,
                at_ms,
                groups,
            } if Some(tail_id) == current => {
                self.health.on_progress(groups);
                let live_on = self
                    .live_note
                    .as_deref()
                    .is_some_and(|n| n.starts_with("live tail"));
                if let Some(hint) = self.health.live_tail_suggestion(at_ms, live_on) {
                    ctx.warn(hint);
                }
            }
            TailReport::Live {
                tail_id,
                groups,
                state: live,
                ..
            } if Some(tail_id) == current => {
                self.on_live(groups.len(), live, ctx);
            }
            _ => {}
        }
        Vec::new()
    }

    /// The first good report of a replacing tail: its lines take the place of the old ones, and
    /// a new filter pattern counts as accepted.
    fn accept_replacement(&mut self, ctx: &mut PaneCtx<'_>) {
        if self.replace_on_report {
            self.clear_rows();
        }
        if self.pattern_trial.take().is_some()
            && let Some(pattern) = &self.filter_pattern
        {
            let text = format!("filter pattern applied by AWS: {pattern}");
            ctx.info(text);
        }
    }

    /// AWS refused the filter pattern: say so, put the previous pattern back and tail with it
    /// again, keeping the lines on screen (the refused pattern stays editable with `P`).
    fn reject_pattern(&mut self, reason: &str, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let refused = self.filter_pattern.take();
        let previous = self.pattern_trial.take().and_then(|t| t.previous);
        self.filter_pattern = previous.clone();
        self.rejected_pattern = refused;
        let now = match &previous {
            Some(p) => format!("tailing with {p} again"),
            None => "tailing without a pattern".to_string(),
        };
        ctx.error(format!(
            "filter pattern rejected: {reason}; {now} ({} edits it)",
            ctx.key_for(Action::EditPattern)
        ));
        // The lines on screen are those of the previous pattern: keep them, and ask again only
        // from a little before the newest one (late events), skipping what is already held.
        let backfill_ms = match self.rows.back() {
            Some(newest) => {
                let since = newest.timestamp_ms - RESTART_OVERLAP_MS;
                self.expect_replay_since(since);
                (ctx.now_ms - since).clamp(0, TAIL_BACKFILL_MS)
            }
            None => TAIL_BACKFILL_MS,
        };
        vec![self.replace_tail(backfill_ms, false, ctx.now_ms)]
    }

    fn on_live(&mut self, groups: usize, live: LiveState, ctx: &mut PaneCtx<'_>) {
        let of = format!("{groups} group{}", if groups == 1 { "" } else { "s" });
        match live {
            LiveState::Streaming => {
                self.live_note = Some("live tail".into());
                ctx.info(format!("live tail streaming {of}"));
            }
            LiveState::Sampled => {
                self.live_note = Some("live tail SAMPLED".into());
                ctx.warn(format!(
                "live tail of {of} is sampled by AWS (over 500 events/s): some events are not shown"
            ));
            }
            LiveState::Reopening(reason) => {
                ctx.info(format!("live tail session ended ({reason}); reopening"));
            }
            LiveState::Polling(why) => {
                self.live_note = Some("polling".into());
                ctx.warn(format!(
                    "live tail not available for {of} ({why}): polling instead"
                ));
            }
        }
    }

    /// Replace the tail with one over `groups`, starting `since_back_ms` before `now_ms`.
    pub fn start_tail(&mut self, groups: Vec<String>, now_ms: i64) -> Effect {
        let since = now_ms.saturating_sub(self.since_back_ms);
        self.start_tail_from(groups, since, now_ms)
    }

    /// Replace the tail with one over `groups`, starting at `since` (a step's logs).
    pub fn start_tail_from(&mut self, groups: Vec<String>, since: i64, now_ms: i64) -> Effect {
        let since = since.min(now_ms);
        let tail_id = self.next_tail_id;
        self.next_tail_id += 1;
        self.reset_for(groups.clone(), tail_id);
        self.pattern_trial = None;
        if groups.is_empty() {
            self.tail_id = None;
            return Effect::StopTail;
        }
        self.history = History::start_at(since);
        Effect::StartTail(TailSpec {
            tail_id,
            groups,
            backfill_ms: now_ms - since,
            since_ms: Some(since),
            filter_pattern: self.filter_pattern.clone(),
            stream_names: self.stream_names.clone(),
            stream_prefix: self.stream_prefix.clone(),
        })
    }

    /// Restart the tail of the same groups (new filter pattern). The rows on screen stay; with
    /// `replace_rows` the first report of the new tail replaces them.
    pub fn replace_tail(&mut self, backfill_ms: i64, replace_rows: bool, now_ms: i64) -> Effect {
        let tail_id = self.next_tail_id;
        self.next_tail_id += 1;
        self.tail_id = Some(tail_id);
        self.group_errors.clear();
        self.replace_on_report = replace_rows;
        if replace_rows {
            self.history = History::start_at(now_ms.saturating_sub(backfill_ms));
        }
        Effect::StartTail(TailSpec {
            tail_id,
            groups: self.groups.clone(),
            backfill_ms,
            since_ms: Some(now_ms.saturating_sub(backfill_ms)),
            filter_pattern: self.filter_pattern.clone(),
            stream_names: self.stream_names.clone(),
            stream_prefix: self.stream_prefix.clone(),
        })
    }
}

/// One line for the status bar: the fix first when the error knows it; throttling and
/// network errors say that the tail retries (it retries everything by itself).
pub fn describe_error(error: &BackendError) -> String {
    match error {
        BackendError::Credentials { message, fix } => {
            format!("{fix} — credentials problem: {message}")
        }
        BackendError::Setup { message, fix } => format!("{fix} — set-up problem: {message}"),
        BackendError::Throttled { .. } => format!("{error}; backing off and retrying"),
        BackendError::Network(_) | BackendError::Timeout(_) => format!("{error}; retrying"),
        _ => error.to_string(),
    }
}
