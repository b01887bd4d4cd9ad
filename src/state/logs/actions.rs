//! What the logs pane's actions and palette commands do: moving the selection, the detail
//! overlay, grouping by invocation, the level filter, highlight mode and `n`/`N`, jumping to
//! a time, the CloudWatch filter pattern, and starting an export.

use std::path::PathBuf;
use std::sync::Arc;

use unstuck_views::logs::log_row::LogRow;
use unstuck_views::logs::props::MatchMode;

use super::commands::LogsCommand;
use super::line_detail::{detail_for_invocation, detail_for_row};
use super::navigation::JumpOutcome;
use super::pane::PatternTrial;
use super::{ExportRun, LogsPane};
use crate::commands::{Command, ExportFormat, ExportJob, ExportSummary, default_file_name};
use crate::config::Action;
use crate::state::shared::msg::Effect;
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest};
use crate::state::shared::regex_filter::compile_filter;
use crate::state::shared::thousands::{count, progress};

/// Columns one left/right press scrolls long lines by.
const H_SCROLL_STEP: usize = 16;

impl LogsPane {
    /// Actions of the logs pane itself (the global ones are handled by the shell).
    pub fn act(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let page = ctx.body_rows;
        let logs = &mut *self;
        logs.page_rows = page.max(1);
        let page_entries = isize::try_from(logs.page_entries()).unwrap_or(isize::MAX);
        match action {
            Action::ScrollUp => {
                logs.move_cursor(1);
                return logs.older_if_at_top(ctx).into_iter().collect();
            }
            Action::ScrollDown => logs.move_cursor(-1),
            Action::PageUp => {
                logs.page_by(page_entries);
                return logs.older_if_at_top(ctx).into_iter().collect();
            }
            Action::PageDown => logs.page_by(-page_entries),
            Action::ScrollTop => {
                logs.scroll_to_top(page);
                return logs.older_if_at_top(ctx).into_iter().collect();
            }
            Action::ScrollBottom => logs.scroll_to_bottom(),
            Action::ToggleFollow => logs.toggle_follow(),
            Action::Expand => logs.open_detail(ctx),
            Action::ToggleInvocations => {
                let on = !logs.by_invocation;
                logs.set_by_invocation(on);
                let text = if on {
                    "one row per invocation (START … REPORT), errors under it"
                } else {
                    "one row per line"
                };
                ctx.info(text);
            }
            Action::CycleLevel => {
                logs.cycle_min_level();
                logs.announce_level(ctx);
            }
            Action::ToggleHighlight => {
                let mode = match logs.match_mode {
                    MatchMode::Hide => MatchMode::Highlight,
                    MatchMode::Highlight => MatchMode::Hide,
                };
                logs.set_match_mode(mode);
                let filter_text = logs.filter_text.clone();
                let text = match (mode, filter_text.as_deref()) {
                    (MatchMode::Highlight, Some(re)) => {
                        format!(
                            "/{re}: every line shown, matches highlighted; {} jump",
                            match_keys(ctx)
                        )
                    }
                    (MatchMode::Hide, Some(re)) => format!("/{re}: only matching lines shown"),
                    (MatchMode::Highlight, None) => {
                        "highlight mode: / now highlights matches instead of hiding lines".into()
                    }
                    (MatchMode::Hide, None) => {
                        "hide mode: / now hides lines that do not match".into()
                    }
                };
                ctx.info(text);
            }
            Action::OlderMatch | Action::NewerMatch => {
                let older = action == Action::OlderMatch;
                if logs.filter.is_none() {
                    ctx.warn("no regex yet: press / to type one");
                } else if !logs.search(older) {
                    let which = if older { "older" } else { "newer" };
                    ctx.warn(format!("no {which} match"));
                }
            }
            Action::JumpToTime => ctx.request(ShellRequest::OpenPalette("time ".into())),
            Action::Copy => ctx.request(ShellRequest::OpenPalette("copy ".into())),
            Action::PivotRequest => logs.pivot_to_request(ctx),
            Action::QueryInsights => return vec![logs.insights_scope(ctx.now_ms)],
            Action::ToggleWrap => {
                logs.wrap = !logs.wrap;
                logs.h_scroll = 0;
                ctx.info(if logs.wrap {
                    "long lines wrap"
                } else {
                    "long lines are cut: left/right scroll them"
                });
            }
            Action::ScrollRight if !logs.wrap => {
                logs.h_scroll = logs.h_scroll.saturating_add(H_SCROLL_STEP);
            }
            Action::ScrollLeft => logs.h_scroll = logs.h_scroll.saturating_sub(H_SCROLL_STEP),
            Action::EditPattern => {
                let current = logs
                    .rejected_pattern
                    .clone()
                    .or_else(|| logs.filter_pattern.clone())
                    .unwrap_or_default();
                ctx.request(ShellRequest::OpenPalette(format!("pattern {current}")));
            }
            Action::Export => {
                let name = default_file_name(ctx.now_ms);
                ctx.request(ShellRequest::OpenPalette(format!("export {name}")));
            }
            _ => {}
        }
        Vec::new()
    }

    fn announce_level(&self, ctx: &mut PaneCtx<'_>) {
        let text = match self.min_level {
            None => "level: all lines".to_string(),
            Some(level) => format!(
                "level: {}+ only (lines without a level count as INFO)",
                level.label()
            ),
        };
        ctx.info(text);
    }

    /// Open the detail overlay on the selected line or invocation.
    fn open_detail(&mut self, ctx: &mut PaneCtx<'_>) {
        let logs = &*self;
        let Some(position) = logs.cursor_position() else {
            return;
        };
        let detail = if logs.by_invocation {
            logs.shown_invocation(position)
                .map(|item| detail_for_invocation(item, &logs.rows, ctx.zone))
        } else {
            logs.shown_row_index(position)
                .and_then(|index| detail_for_row(&logs.rows, index, ctx.zone))
        };
        if let Some(detail) = detail {
            ctx.request(ShellRequest::OpenDetail(detail));
        }
    }

    /// Run a logs palette command.
    pub fn run(&mut self, command: LogsCommand, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        ctx.request(ShellRequest::ShowMe);
        match command {
            LogsCommand::Time(ms) => {
                self.page_rows = ctx.body_rows.max(1);
                ctx.request(ShellRequest::CloseLayers);
                ctx.request(ShellRequest::ShowMe);
                let when = ctx.zone.clock(ms);
                if let Some(load) = self.load_back_to(ms, ctx) {
                    ctx.info(format!(
                        "{when} is before the oldest line held: loading back to it…"
                    ));
                    return vec![load];
                }
                match self.jump_to_time(ms) {
                    JumpOutcome::At { entry_ms } if entry_ms == ms => {
                        let follow = ctx.key_for(Action::ToggleFollow);
                        ctx.info(format!("at {when} (paused; {follow} follows)"));
                    }
                    JumpOutcome::At { entry_ms } => {
                        let follow = ctx.key_for(Action::ToggleFollow);
                        ctx.info(format!(
                            "first line after {when} is at {} (paused; {follow} follows)",
                            ctx.zone.row_time(entry_ms)
                        ));
                    }
                    JumpOutcome::AfterNewest => ctx.warn(format!(
                        "nothing at or after {when}: showing the newest (paused)"
                    )),
                    JumpOutcome::Empty => {
                        ctx.warn("no lines to jump in yet");
                    }
                }
                Vec::new()
            }
            LogsCommand::Pattern(pattern) => self.set_pattern(Some(pattern), ctx),
            LogsCommand::NoPattern => self.set_pattern(None, ctx),
            LogsCommand::Level(level) => {
                self.set_min_level(level);
                self.announce_level(ctx);
                Vec::new()
            }
            LogsCommand::Highlight(text) => {
                match compile_filter(&text) {
                    Ok(re) => {
                        self.set_match_mode(MatchMode::Highlight);
                        self.set_filter(Some((text.clone(), re)));
                        ctx.info(format!("/{text} highlighted; {} jump", match_keys(ctx)));
                    }
                    Err(error) => ctx.error(error),
                }
                Vec::new()
            }
            LogsCommand::Export { path, overwrite } => self.start_export(path, overwrite, ctx),
            LogsCommand::Filter(text) => {
                match compile_filter(&text) {
                    Ok(re) => {
                        self.set_match_mode(MatchMode::Hide);
                        self.set_filter(Some((text, re)));
                    }
                    Err(error) => ctx.error(error),
                }
                Vec::new()
            }
            LogsCommand::NoFilter => {
                self.set_filter(None);
                Vec::new()
            }
            LogsCommand::Follow => {
                self.scroll_to_bottom();
                Vec::new()
            }
            LogsCommand::Pause => {
                self.follow = false;
                Vec::new()
            }
            LogsCommand::Copy(what) => self.copy(what, ctx),
            LogsCommand::Streams { names, prefix } => {
                let text = match (&prefix, names.len()) {
                    (Some(p), _) => format!("tailing streams starting with {p}"),
                    (None, 0) => "tailing every stream".to_string(),
                    (None, n) => format!("tailing {n} stream{}", if n == 1 { "" } else { "s" }),
                };
                self.stream_names = names;
                self.stream_prefix = prefix;
                if self.groups.is_empty() {
                    ctx.info(format!("{text} once log groups are chosen"));
                    return Vec::new();
                }
                ctx.info(format!("{text}…"));
                let back = self.since_back_ms;
                vec![self.replace_tail(back, true, ctx.now_ms)]
            }
            LogsCommand::Request => {
                self.pivot_to_request(ctx);
                Vec::new()
            }
            LogsCommand::Since(back_ms) => {
                self.since_back_ms = back_ms;
                let from = ctx.zone.clock(ctx.now_ms - back_ms);
                if self.groups.is_empty() {
                    ctx.info(format!("tails will start at {from}"));
                    return Vec::new();
                }
                ctx.info(format!("tailing again from {from}…"));
                let back = self.since_back_ms;
                vec![self.replace_tail(back, true, ctx.now_ms)]
            }
        }
    }

    /// Change the CloudWatch filter pattern and restart the tail with it. The lines on screen
    /// stay until AWS answers: the first report of the new tail replaces them; a rejection puts
    /// the previous pattern back (see `update::on_tail`).
    fn set_pattern(&mut self, pattern: Option<String>, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let previous = self.filter_pattern.clone();
        self.rejected_pattern = None;
        self.filter_pattern = pattern.clone();
        if self.groups.is_empty() {
            let text = match &pattern {
                Some(p) => format!("filter pattern {p} applies once you tail log groups"),
                None => "no filter pattern".to_string(),
            };
            ctx.info(text);
            return Vec::new();
        }
        self.pattern_trial = pattern.as_ref().map(|_| PatternTrial { previous });
        let text = match &pattern {
            Some(p) => format!("asking AWS for lines matching {p}…"),
            None => "tailing without a filter pattern…".to_string(),
        };
        ctx.info(text);
        let back = self.since_back_ms;
        vec![self.replace_tail(back, true, ctx.now_ms)]
    }

    fn start_export(
        &mut self,
        path: Option<String>,
        overwrite: bool,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        if self.export.is_some() {
            ctx.warn("an export is already running");
            return Vec::new();
        }
        let logs = &*self;
        let rows: Vec<LogRow> = (0..logs.visible.as_ref().map_or(logs.rows.len(), Vec::len))
            .filter_map(|i| logs.shown_row_index(i))
            .map(|i| logs.rows[i].clone())
            .collect();
        if rows.is_empty() {
            ctx.warn("nothing to export: no line is shown");
            return Vec::new();
        }
        let path = PathBuf::from(path.unwrap_or_else(|| default_file_name(ctx.now_ms)));
        let format = ExportFormat::for_path(&path);
        let total = rows.len();
        self.export = Some(ExportRun {
            path: path.display().to_string(),
            total,
        });
        ctx.info(export_progress_text(0, total, &path.display().to_string()));
        vec![Effect::Execute(Command::ExportLines(ExportJob {
            path,
            format,
            overwrite,
            rows: Arc::new(rows),
        }))]
    }
}

/// `n/N`: the keys to the older and the newer match.
fn match_keys(ctx: &PaneCtx<'_>) -> String {
    format!(
        "{}/{}",
        ctx.key_for(Action::OlderMatch),
        ctx.key_for(Action::NewerMatch)
    )
}

/// `exporting ▕█████░░░░░▏ 45% (45,000/100,000 lines) → out.jsonl`.
pub fn export_progress_text(written: usize, total: usize, path: &str) -> String {
    format!("exporting {} → {path}", progress(written, total, "lines"))
}

impl LogsPane {
    pub fn on_export_progress(&mut self, done: usize, total: usize, ctx: &mut PaneCtx<'_>) {
        if let Some(run) = &self.export {
            ctx.info(export_progress_text(done, total, &run.path));
        }
    }

    pub fn on_export_done(&mut self, result: Result<ExportSummary, String>, ctx: &mut PaneCtx<'_>) {
        let total = self.export.take().map_or(0, |run| run.total);
        match result {
            Ok(summary) => {
                let what = if summary.written == total {
                    count(summary.written, "line")
                } else {
                    format!(
                        "{} (a stack trace is one event)",
                        count(summary.written, "event")
                    )
                };
                ctx.info(format!("exported {what} to {}", summary.path.display()));
            }
            Err(error) => ctx.error(format!("export failed: {error}")),
        }
    }
}
