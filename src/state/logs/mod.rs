//! The logs pane: merged, timestamp-ordered lines of the tailed groups (or one row per
//! invocation), with follow/pause, filters, details and export. Its seam with the shell is
//! the [`Pane`] impl at the bottom of this file.

mod actions;
mod commands;
mod copy_pivot;
mod history;
mod ingest;
mod invocations;
mod line_detail;
mod navigation;
mod pane;
mod tail_reports;

use std::collections::BTreeSet;
use unstuck_views::zone::Zone;

use unstuck_aws::api::{Data, LogsData, Topic};
use unstuck_aws::model::BackendError;
use unstuck_views::logs::props::{LogsBody, LogsProps};
use unstuck_views::props::PaneProps;

use crate::config::{Action, Keymap};
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, key_for};
use crate::state::shared::polled::PollError;
use crate::state::shared::regex_filter::compile_filter;
use crate::state::shared::thousands::{count, plural};
use crate::state::shell::palette::CommandSpec;
use crate::state::shell::panes::{Pane, PaneClick, PaneId};

pub use commands::{LOGS_COMMANDS, LogsCommand, parse_since, parse_since_in, parse_time};
pub use copy_pivot::{Clip, CopyWhat};
pub use ingest::{
    EventFacts, PlatformLine, ReportNumbers, level_of, rows_for_event, tag_for_group,
};
pub use invocations::InvocationIndex;
pub use navigation::JumpOutcome;
pub use pane::{DEFAULT_BUFFER_LINES, LogsPane, PatternTrial};
pub use tail_reports::{TAIL_BACKFILL_MS, describe_error};

/// An export being written by the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRun {
    /// As typed, for the progress line.
    pub path: String,
    pub total: usize,
}

impl LogsPane {
    /// Tail the groups the prefixes given at start select, now that the list is here.
    fn resolve_start_prefixes(&mut self, names: Vec<String>, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let prefixes = std::mem::take(&mut self.pending_prefixes);
        let matched: Vec<String> = names
            .into_iter()
            .filter(|name| prefixes.iter().any(|p| name.starts_with(p.as_str())))
            .collect();
        if matched.is_empty() {
            ctx.warn(format!(
                "no log group starts with {}: choose some here",
                prefixes.join(" or ")
            ));
            return vec![Effect::Goto {
                pane: PaneId::Groups,
                focus: Focus::Pane,
                show: true,
            }];
        }
        let n = matched.len();
        ctx.info(format!("tailing {}", count(n, "log group")));
        vec![
            self.start_tail(matched.clone(), ctx.now_ms),
            Effect::Goto {
                pane: PaneId::Groups,
                focus: Focus::TailedGroups(matched),
                show: false,
            },
        ]
    }

    /// `I`: the insights pane, over the tailed groups from the oldest line held (or where
    /// the tail started).
    fn insights_scope(&self, now_ms: i64) -> Effect {
        let tail_start = now_ms.saturating_sub(self.since_back_ms);
        let oldest = self.rows.front().map(|r| r.timestamp_ms);
        Effect::Goto {
            pane: PaneId::Insights,
            focus: Focus::InsightsScope {
                groups: self.groups.clone(),
                start_ms: Some(oldest.map_or(tail_start, |o| o.min(tail_start))),
            },
            show: true,
        }
    }

    fn empty_hint(&self, keymap: &Keymap) -> String {
        if !self.pending_prefixes.is_empty() {
            let prefixes = self.pending_prefixes.join(" or ");
            return match &self.list_error {
                Some(error) => format!(
                    "Cannot list log groups to find {prefixes} yet: {}",
                    error.headline
                ),
                None => format!("Looking for log groups that start with {prefixes}…"),
            };
        }
        let groups_key = key_for(keymap, crate::config::Context::Logs, Action::GotoGroups);
        format!("No log groups chosen yet. Press {groups_key} (or type :groups) to choose some.")
    }
}

impl Pane for LogsPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        self.act(action, ctx)
    }

    fn on_polled(
        &mut self,
        topic: &Topic,
        result: &Result<Data, BackendError>,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        if *topic != Topic::LOG_GROUPS || self.pending_prefixes.is_empty() {
            return Vec::new();
        }
        match result {
            Ok(Data::Logs(LogsData::Groups(groups))) => {
                self.list_error = None;
                let names = groups.iter().map(|g| g.name.clone()).collect();
                self.resolve_start_prefixes(names, ctx)
            }
            Ok(_) => Vec::new(),
            Err(error) => {
                let explained = PollError::explain(&topic.resource(), error, ctx.now_ms);
                ctx.error(explained.headline.clone());
                self.list_error = Some(explained);
                Vec::new()
            }
        }
    }

    fn on_focus(&mut self, focus: Focus, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        match focus {
            Focus::TailGroups(groups) => {
                self.pending_prefixes.clear();
                let n = groups.len();
                let effect = self.start_tail(groups, ctx.now_ms);
                ctx.info(format!("tailing {n} log group{}", plural(n)));
                vec![effect]
            }
            Focus::StepLogs {
                group,
                since_ms,
                request_id,
            } => {
                self.pending_prefixes.clear();
                let effect = self.start_tail_from(vec![group.clone()], since_ms, ctx.now_ms);
                let shown = match request_id {
                    Some(id) => {
                        let pattern = regex::escape(&id);
                        if let Ok(re) = compile_filter(&pattern) {
                            LogsPane::set_filter(self, Some((pattern, re)));
                        }
                        format!("request {id} in {group}")
                    }
                    None => {
                        LogsPane::set_filter(self, None);
                        // Shown from its start once the lines are in, not from the newest.
                        self.jump_when_caught_up = Some(since_ms);
                        format!(
                            "{group} from {}, paused on its first line once it is read",
                            ctx.zone.clock(since_ms)
                        )
                    }
                };
                ctx.info(format!("logs: {shown}"));
                vec![effect]
            }
            Focus::MachineLogs { group, note } => {
                self.pending_prefixes.clear();
                let effect = self.start_tail(vec![group], ctx.now_ms);
                ctx.info(note);
                vec![effect]
            }
            Focus::Pane
            | Focus::TailedGroups(_)
            | Focus::InsightsScope { .. }
            | Focus::Execution(_)
            | Focus::Machine(_)
            | Focus::Queue(_)
            | Focus::Function(_)
            | Focus::Signal(_) => Vec::new(),
        }
    }

    fn commands(&self) -> &'static [CommandSpec] {
        LOGS_COMMANDS
    }

    fn run_command(
        &mut self,
        name: &'static str,
        arg: &str,
        ctx: &mut PaneCtx<'_>,
    ) -> Result<Vec<Effect>, String> {
        let command = commands::parse(name, arg, ctx.now_ms, ctx.zone)?;
        Ok(self.run(command, ctx))
    }

    fn argument_values(&self, command: &'static str, now_ms: i64) -> Vec<String> {
        commands::argument_values(command, now_ms)
    }

    fn subscriptions(&self, _visible: bool, out: &mut BTreeSet<Topic>) {
        // The tail is its own task; the list of groups is needed only to resolve the
        // prefixes given at start.
        if !self.pending_prefixes.is_empty() {
            out.insert(Topic::LOG_GROUPS);
        }
    }

    fn filter_text(&self) -> Option<&str> {
        self.filter_text.as_deref()
    }

    fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        match text {
            None => self.set_filter(None),
            Some(text) => {
                let re = compile_filter(text)?;
                LogsPane::set_filter(self, Some((text.to_string(), re)));
            }
        }
        Ok(())
    }

    fn on_mouse(&mut self, click: PaneClick, ctx: &mut PaneCtx<'_>) {
        use crossterm::event::MouseEventKind;
        self.page_rows = ctx.body_rows.max(1);
        match click.kind {
            MouseEventKind::ScrollUp => self.scroll_by(3, ctx.body_rows),
            MouseEventKind::ScrollDown => self.scroll_by(-3, ctx.body_rows),
            _ => self.select_at_row(click.row),
        }
    }

    fn on_resize(&mut self, body_rows: usize) {
        self.page_rows = body_rows.max(1);
        self.keep_cursor_visible();
    }

    fn props<'a>(&'a self, keymap: &Keymap, now_ms: i64, zone: Zone) -> PaneProps<'a> {
        PaneProps::Logs(LogsProps {
            body: if self.by_invocation {
                LogsBody::Invocations {
                    items: &self.invocations.items,
                    visible: self.visible_invocations.as_deref(),
                }
            } else {
                LogsBody::Lines {
                    rows: &self.rows,
                    visible: self.visible.as_deref(),
                }
            },
            total_lines: self.rows.len(),
            scroll_from_bottom: self.scroll_from_bottom,
            cursor_from_bottom: (!self.follow).then_some(self.cursor_from_bottom),
            follow: self.follow,
            filter: self.filter.as_ref(),
            filter_text: self.filter_text.as_deref(),
            match_mode: self.match_mode,
            min_level: self.min_level,
            pattern: self.filter_pattern.as_deref(),
            pattern_pending: self.pattern_trial.is_some(),
            groups: &self.groups,
            tag_width: self
                .groups
                .iter()
                .map(|g| {
                    let tag = tag_for_group(g);
                    let shown = unstuck_views::logs::logs_view::tag_shown(&tag, &self.tag_prefix);
                    unicode_width::UnicodeWidthStr::width(shown)
                })
                .max()
                .unwrap_or(0),
            tag_prefix: &self.tag_prefix,
            wrap: self.wrap,
            h_scroll: self.h_scroll,
            source: self.live_note.as_deref(),
            streams: self.stream_note(),
            zone,
            tail_note: self.health.note(now_ms),
            history_note: self.history.note(),
            dropped: self.dropped,
            state: self.state.clone(),
            empty_hint: self.empty_hint(keymap),
        })
    }

    fn is_stale(&self) -> bool {
        matches!(self.state, unstuck_views::props::Loadable::Stale(_))
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        self.last_tail_ms
    }

    fn last_error(&self) -> Option<&PollError> {
        self.list_error.as_ref()
    }
}
